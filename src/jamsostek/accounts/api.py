"""How a machine client authenticates to the API: ``Authorization: Bearer <key>``.

The key acts as the user it belongs to (``request.user`` is that user, so the access policy sees the
same role and reach as for a browser); requests with a key need no CSRF token (there is no cookie
to forge), requests with a session keep Django's CSRF check (``ninja.security.django_auth``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from jamsostek.accounts.services import apikey_user


class ApiKeyAuth(HttpBearer):
    openapi_description = "An API key: `Authorization: Bearer jms_...` (see docs/api.md)."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = apikey_user(token)
        if user is None:
            return None
        request.user = user
        request.api_key = True  # type: ignore[attr-defined]
        return user


class SessionUnlessKey(SessionAuth):
    """A browser session (with its CSRF check for writes), for requests that present no key: a
    request with a wrong, revoked or expired key answers 401 "not logged in", not a CSRF failure
    from the session's check."""

    def __call__(self, request: HttpRequest) -> Any:
        if has_api_key(request):
            return None
        return super().__call__(request)


session_auth = SessionUnlessKey()


def has_api_key(request: HttpRequest) -> bool:
    """Whether the request presents a key (the login-required middleware lets the API judge it)."""
    return request.headers.get("Authorization", "").startswith("Bearer ")
