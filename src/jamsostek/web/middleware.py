"""Every page needs login, except what a view marks with ``login_not_required``.

Django's LoginRequiredMiddleware redirects to the login page; for the API a redirect is the
wrong answer, so requests under ``/api/`` get ``401`` with the API's error shape instead, in the
user's language like every other message.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils.translation import gettext


class LoginRequiredMiddleware(DjangoLoginRequired):
    def handle_no_permission(self, request: HttpRequest, view_func: Any) -> Any:
        if request.path.startswith("/api/"):
            body = {"detail": gettext("Log in first: every API call needs a session."), "field": None,
                    "code": "not_authenticated"}  # fmt: skip
            response: HttpResponseBase = JsonResponse(body, status=401)
            return response
        return super().handle_no_permission(request, view_func)


class IndonesianFirstMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the user chose English with the switch (the language cookie): the
    browser's Accept-Language is ignored, so an officer on an English-language laptop still gets
    the Indonesian pages their colleagues see, and one click away from English."""

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
