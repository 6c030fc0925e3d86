"""The one place that mounts every API router, so the API surface is easy to audit.

Every endpoint needs a logged-in session (and the CSRF token for writes); domain errors map to
one error shape: ``{"detail": reason, "field": name-or-null, "code": code}``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from jamsostek.contributions.api import router as contributions_router
from jamsostek.core.errors import Conflict, DomainError, Forbidden, NotFound
from jamsostek.coverage.api import router as coverage_router
from jamsostek.registry.api import router as registry_router

api = NinjaAPI(
    title="Jamsostek API",
    version="1",
    description="Registry, contributions and coverage of employment social security in Kalimantan Barat. "
    "Log in through the web app; every endpoint needs the session.",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/registry", registry_router)
api.add_router("/contributions", contributions_router)
api.add_router("/coverage", coverage_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    status = 400
    if isinstance(error, NotFound):
        status = 404
    elif isinstance(error, Forbidden):
        status = 403
    elif isinstance(error, Conflict):
        status = 409
    body: dict[str, Any] = {"detail": error.message, "field": error.field, "code": error.code}
    return api.create_response(request, body, status=status)
