"""The panels of the coverage pages: the registry lives in ``core.panels`` (so that apps below
coverage can register one); these are the same functions."""

from jamsostek.core.panels import Panel, register, render, unregister

__all__ = ["Panel", "register", "render", "unregister"]
