"""Jamsostek: employment social security coverage for Kalimantan Barat."""

__version__ = "0.1.0"
