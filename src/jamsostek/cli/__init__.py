"""The ``jamsostek`` command."""
