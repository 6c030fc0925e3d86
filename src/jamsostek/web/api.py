"""The one place that mounts every API router, so the API surface is easy to audit.

Every endpoint needs a logged-in session (and the CSRF token for writes); every failure reaches the
client in one shape, ``{"detail": reason, "field": name-or-null, "code": code}``, with its status
and in the user's language (``core.api``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI

from jamsostek.accounts.api import ApiKeyAuth, session_auth
from jamsostek.claims.api import router as claims_router
from jamsostek.contributions.api import router as contributions_router
from jamsostek.core.api import audit_router, install_error_handlers, renderer
from jamsostek.core.errors import NotAuthenticated
from jamsostek.coverage.api import router as coverage_router
from jamsostek.drives.api import router as drives_router
from jamsostek.registry.api import router as registry_router


def logged_in_or_key(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The documentation and the schema: for a logged-in user, or a request with a valid key."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        authenticated = request.user.is_authenticated
        if not authenticated and request.headers.get("Authorization", "").startswith("Bearer "):
            token = request.headers["Authorization"].removeprefix("Bearer ").strip()
            authenticated = ApiKeyAuth().authenticate(request, token) is not None
        if not authenticated:
            return JsonResponse(NotAuthenticated().as_dict(), status=401)
        return view(request, *args, **kwargs)

    return guarded


api = NinjaAPI(
    title="Jamsostek API",
    version="1",
    description="Registry, contributions, claims, coverage and enrolment drives of employment social security in "
    "Kalimantan Barat. Every operation needs a logged-in session (with its CSRF token for writes) or an API key "
    "(`Authorization: Bearer jms_...`, no CSRF). Every error answers "
    '`{"detail", "field", "code"}` in the language of the session. See docs/api.md.',
    auth=[ApiKeyAuth(), session_auth],
    urls_namespace="api",
    renderer=renderer,
    docs_decorator=logged_in_or_key,
)
api.add_router("/registry", registry_router)
api.add_router("/contributions", contributions_router)
api.add_router("/claims", claims_router)
api.add_router("/coverage", coverage_router)
api.add_router("/audit", audit_router)
api.add_router("/drives", drives_router)
install_error_handlers(api)
