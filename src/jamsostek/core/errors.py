"""The domain exception hierarchy. Services raise these; the edges (admin, API, CLI, import
report) map them to one error shape: the field, the reason in the user's language."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """Base class of every error a service raises on purpose."""

    def __init__(self, message: str | Promise, *, field: str | None = None, code: str = "invalid") -> None:
        self.field = field
        self.code = code
        self._message = message
        super().__init__(str(message))

    @property
    def message(self) -> str:
        """The reason, translated into the active language at the time it is read."""
        return str(self._message)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidField(DomainError):
    """A value a service cannot accept; names the field."""


class NotFound(DomainError):
    """The record does not exist, or the user may not see it (both answer 404)."""

    def __init__(self, message: str | Promise = "not found") -> None:
        super().__init__(message, code="not_found")


class Forbidden(DomainError):
    """The user may see the record but not do this to it."""

    def __init__(self, message: str | Promise = "forbidden") -> None:
        super().__init__(message, code="forbidden")


class Conflict(DomainError):
    """The change conflicts with the current state (e.g. a duplicate key)."""
