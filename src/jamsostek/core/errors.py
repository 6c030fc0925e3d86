"""The domain exception hierarchy. Services raise these; the edges (admin, API, CLI, import
report) map them to one error shape: the field, the reason in the user's language, a code.

The rules package (which never imports Django) has its own errors (``jamsostek.rules.errors``);
``from_rules`` turns one into the matching domain error, so every edge handles one hierarchy.

| Class             | HTTP | Meaning                                                        |
|-------------------|------|----------------------------------------------------------------|
| InvalidField      | 400  | a value a service cannot accept (names the field)              |
| NotAuthenticated  | 401  | nobody is logged in                                            |
| Forbidden         | 403  | the user may see the record but not do this (or not at all)    |
| NotFound          | 404  | the record does not exist, or the user may not see it          |
| Conflict          | 409  | the change conflicts with the current state (a duplicate)      |
| Unprocessable     | 422  | the request does not fit the operation's schema                |
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base class of every error a service raises on purpose."""

    status = 400

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

    def as_dict(self) -> dict[str, str | None]:
        """The one error shape of the API: ``{"detail", "field", "code"}``."""
        return {"detail": self.message, "field": self.field, "code": self.code}


class InvalidField(DomainError):
    """A value a service cannot accept; names the field."""


class NotAuthenticated(DomainError):
    status = 401

    def __init__(self, message: str | Promise | None = None) -> None:
        super().__init__(message or _("Log in first: every API call needs a session."), code="not_authenticated")


class NotFound(DomainError):
    """The record does not exist, or the user may not see it (both answer 404)."""

    status = 404

    def __init__(self, message: str | Promise | None = None, *, field: str | None = None) -> None:
        super().__init__(message or _("not found"), field=field, code="not_found")


class Forbidden(DomainError):
    """The user may see the record but not do this to it (or their role may not do it at all)."""

    status = 403

    def __init__(self, message: str | Promise | None = None, *, field: str | None = None) -> None:
        super().__init__(message or _("your role may not do this"), field=field, code="forbidden")


class Conflict(DomainError):
    """The change conflicts with the current state (e.g. a duplicate key)."""

    status = 409


@contextmanager
def duplicate_is_conflict(message: str | Promise, *, field: str) -> Iterator[None]:
    """Write inside this block: a unique constraint that another request met first (two requests at
    once, each having checked that nothing was there) answers 409 ``duplicate``, as the check would
    have, instead of a server error. The block is its own savepoint, so the transaction goes on."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise Conflict(message, field=field, code="duplicate") from None


class Unprocessable(DomainError):
    """The request does not fit the operation's schema (a missing field, a value of the wrong type)."""

    status = 422


def from_rules(error: Exception) -> DomainError:
    """The domain error for an error of the rules package, worded in the active language."""
    from jamsostek.rules.errors import InvalidInput, ParameterNotInForce

    language = get_language() or "en"
    if isinstance(error, InvalidInput):
        return InvalidField(error.reason(language), field=error.field, code=error.code)
    if isinstance(error, ParameterNotInForce):
        return InvalidField(
            _("the encoded law has no value of %(name)s on %(day)s (first value: %(first)s)")
            % {"name": error.name, "day": error.on, "first": error.first or "-"},
            code="not_in_force",
        )
    return DomainError(str(error), code="rules")
