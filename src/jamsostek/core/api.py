"""The API's one error edge: every failure reaches a client as ``{"detail", "field", "code"}`` with
its status (400, 401, 403, 404, 409, 422), the reason in the user's language, never an HTML page
or a bare list; and the JSON renderer every answer goes through.

``install_error_handlers`` maps each kind of failure (the domain errors of ``core.errors``, the
rules package's errors, Django's ``PermissionDenied`` and ``Http404``, Ninja's schema validation and
authentication errors) to that shape; ``errors(...)`` declares an operation's error answers in the
OpenAPI schema, so the schema says what a client may get back.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Path, Router, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from jamsostek.accounts.nik_log import nik_shown
from jamsostek.accounts.policy import Action, for_user
from jamsostek.core.audit import person_nik_of
from jamsostek.core.errors import DomainError, Forbidden, NotAuthenticated, NotFound, Unprocessable, from_rules
from jamsostek.core.models import AuditRecord
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


ID_MAX = 2**63 - 1
"""The largest record id (a signed 64-bit integer, on both databases)."""
RecordId = Annotated[int, Path(ge=1, le=ID_MAX, description="a record's id")]
"""A record's id in a path."""

_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _iso_day(value: Any) -> Any:
    """Only ``YYYY-MM-DD`` text (or a date) is a day: not a number of seconds, not ``2024-1-5``."""
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DAY.match(value)):
        return value
    raise PydanticCustomError("date_parsing", "must be a date written YYYY-MM-DD")


Day = Annotated[date, BeforeValidator(_iso_day)]
"""A day in a request, written ``YYYY-MM-DD`` (as the schema says: ``format: date``)."""


def links(status: int, parameter: str, *operations: str) -> dict[str, Any]:
    """OpenAPI links from an operation's answer to the operations that take the record it made (its
    ``id`` as ``parameter``): a client, and the fuzzer's stateful phase, can follow them. For an
    operation's ``openapi_extra``; ``operations`` are operation ids."""
    followed = {operation: {"operationId": operation, "parameters": {parameter: "$response.body#/id"}}
                for operation in operations}  # fmt: skip
    return {"responses": {status: {"links": followed}}}


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
    context = first.get("ctx") or {}
    location = [str(part) for part in first.get("loc", ())]
    if location and location[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
        location = location[1:]
    if len(location) > 1 and location[0] in ("payload", "filters", "data"):
        location = location[1:]
    field = ".".join(location) or None
    kind = str(first.get("type") or "invalid")
    reason = _reason(kind)
    if kind == "string_pattern_mismatch" and "pattern" in context:
        reason = _("does not have the expected form: %(pattern)s") % {"pattern": context["pattern"]}
    elif kind in ("less_than_equal", "greater_than_equal") and ("le" in context or "ge" in context):
        limit = context.get("le", context.get("ge"))
        reason = (_("must be at most %(limit)s") if kind == "less_than_equal" else _("must be at least %(limit)s")) % {
            "limit": limit}  # fmt: skip
    return Unprocessable(reason, field=field, code=kind)


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


# --- the audit trail of a record ------------------------------------------------------------------

audit_router = Router(tags=["audit"])


class AuditOut(Schema):
    at: datetime
    actor: str = Field(alias="actor_label")
    action: str
    changes: dict[str, Any]
    reason: str
    batch: str


ENTITY = r"^[a-z_]{1,30}\.[a-z_]{1,30}$"


@audit_router.get(
    "/{entity}/{entity_id}", response={200: list[AuditOut], **errors(*READ_ONE)},
    summary="Every recorded change of one record, oldest first (administrators)",
)  # fmt: skip
def record_trail(
    request: HttpRequest,
    entity: Annotated[str, Path(pattern=ENTITY, examples=["registry.person"])],
    entity_id: Annotated[str, Path(pattern=r"^[0-9]{1,18}$")],
) -> Any:
    for_user(request.user).require(Action.SEE_AUDIT)
    records = list(AuditRecord.objects.filter(entity=entity, entity_id=entity_id).order_by("id"))
    if not records:
        raise NotFound()
    shown = {found for found in map(person_nik_of, records) if found is not None}
    if shown:  # a person's trail shows their NIK: recorded as shown (``accounts.nik_log``)
        nik_shown(request.user, sorted(shown), f"api:{request.path}")
    return records
