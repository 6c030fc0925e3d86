"""The API's one error edge: every failure reaches a client as ``{"detail", "field", "code"}`` with
its status (400, 401, 403, 404, 409, 422), the reason in the user's language, never an HTML page
or a bare list; and the JSON renderer every answer goes through.

``install_error_handlers`` maps each kind of failure (the domain errors of ``core.errors``, the
rules package's errors, Django's ``PermissionDenied`` and ``Http404``, Ninja's schema validation and
authentication errors) to that shape; ``errors(...)`` declares an operation's error answers in the
OpenAPI schema, so the schema says what a client may get back.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from jamsostek.core.errors import DomainError, Forbidden, NotAuthenticated, NotFound, Unprocessable, from_rules
from jamsostek.rules.errors import RulesError

renderer = JSONRenderer()
"""The JSON renderer of every API answer (the coverage endpoints render kept answers with it too)."""


class ErrorOut(Schema):
    """Every error answer of the API."""

    detail: str
    field: str | None
    code: str


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation may give, for its ``response=`` declaration:
    ``response={200: PersonOut, **errors(401, 404)}``."""
    return dict.fromkeys(statuses, ErrorOut)


READ = (401, 403, 422)
"""What any read may answer besides 200: not logged in, a role that may not, a malformed query."""
READ_ONE = (*READ, 404)
WRITE = (400, 401, 403, 404, 409, 422)


def _reason(kind: str) -> str:
    return {
        "missing": _("is required"),
        "int_parsing": _("must be a whole number"),
        "int_type": _("must be a whole number"),
        "int_from_float": _("must be a whole number"),
        "bool_parsing": _("must be true or false"),
        "bool_type": _("must be true or false"),
        "date_parsing": _("must be a date written YYYY-MM-DD"),
        "date_from_datetime_parsing": _("must be a date written YYYY-MM-DD"),
        "date_type": _("must be a date written YYYY-MM-DD"),
        "string_type": _("must be text"),
        "string_too_long": _("is too long"),
        "string_too_short": _("is too short"),
        "string_pattern_mismatch": _("does not have the expected form"),
        "greater_than": _("is too small"),
        "greater_than_equal": _("is too small"),
        "less_than": _("is too large"),
        "less_than_equal": _("is too large"),
        "json_invalid": _("is not valid JSON"),
        "model_attributes_type": _("must be a JSON object"),
        "dict_type": _("must be a JSON object"),
        "list_type": _("must be a list"),
        "literal_error": _("is not one of the allowed values"),
        "enum": _("is not one of the allowed values"),
    }.get(kind, _("is not valid"))


def unprocessable(error: ValidationError) -> Unprocessable:
    """The first problem of a request that does not fit the schema, as one domain error naming the
    field (the location without its ``body``/``query``/``path`` prefix and the payload's name)."""
    first: dict[str, Any] = error.errors[0] if error.errors else {}
    location = [str(part) for part in first.get("loc", ())]
    if location and location[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
        location = location[1:]
    if len(location) > 1 and location[0] in ("payload", "filters", "data"):
        location = location[1:]
    field = ".".join(location) or None
    return Unprocessable(_reason(str(first.get("type", ""))), field=field, code=str(first.get("type") or "invalid"))


def install_error_handlers(api: NinjaAPI) -> None:
    """Map every kind of failure to the one error shape, on ``api``."""

    def domain(request: HttpRequest, error: Any) -> HttpResponse:
        return api.create_response(request, error.as_dict(), status=error.status)

    def rules(request: HttpRequest, error: Any) -> HttpResponse:
        return domain(request, from_rules(error))

    def forbidden(request: HttpRequest, error: Any) -> HttpResponse:
        return domain(request, Forbidden())

    def not_found(request: HttpRequest, error: Any) -> HttpResponse:
        return domain(request, NotFound())

    def invalid(request: HttpRequest, error: Any) -> HttpResponse:
        return domain(request, unprocessable(error))

    def not_authenticated(request: HttpRequest, error: Any) -> HttpResponse:
        return domain(request, NotAuthenticated())

    def http_error(request: HttpRequest, error: Any) -> HttpResponse:
        codes = {401: "not_authenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
                 429: "throttled"}  # fmt: skip
        body = {"detail": str(error.message), "field": None, "code": codes.get(error.status_code, "error")}
        return api.create_response(request, body, status=error.status_code)

    api.add_exception_handler(DomainError, domain)
    api.add_exception_handler(RulesError, rules)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(AuthenticationError, not_authenticated)
    api.add_exception_handler(HttpError, http_error)
