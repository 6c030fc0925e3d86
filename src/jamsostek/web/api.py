"""The one place that mounts every API router, so the API surface is easy to audit.

Every endpoint needs a logged-in session (and the CSRF token for writes); every failure reaches the
client in one shape, ``{"detail": reason, "field": name-or-null, "code": code}``, with its status
and in the user's language (``core.api``).
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from jamsostek.claims.api import router as claims_router
from jamsostek.contributions.api import router as contributions_router
from jamsostek.core.api import install_error_handlers, renderer
from jamsostek.coverage.api import router as coverage_router
from jamsostek.registry.api import router as registry_router

api = NinjaAPI(
    title="Jamsostek API",
    version="1",
    description="Registry, contributions, claims and coverage of employment social security in Kalimantan Barat. "
    "Log in through the web app; every endpoint needs the session. Every error answers "
    '`{"detail", "field", "code"}` in the language of the session.',
    auth=django_auth,
    urls_namespace="api",
    renderer=renderer,
)
api.add_router("/registry", registry_router)
api.add_router("/contributions", contributions_router)
api.add_router("/claims", claims_router)
api.add_router("/coverage", coverage_router)
install_error_handlers(api)
