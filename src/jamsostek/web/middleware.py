"""Every page needs login, except what a view marks with ``login_not_required``; everything under
``/api/`` answers in the API's one error shape, whatever failed.

Django's LoginRequiredMiddleware redirects to the login page; for the API a redirect is the
wrong answer, so requests under ``/api/`` get ``401`` with the API's error shape instead, in the
user's language like every other message. ``ApiErrorsMiddleware`` catches what the API's own
error handlers (``core.api``) never see: a path under ``/api/`` that matches no operation, a
method an operation does not take, a server error. The pages keep Django's own error pages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils.translation import gettext

from jamsostek.accounts.api import has_api_key
from jamsostek.core.errors import NotAuthenticated

logger = logging.getLogger("jamsostek.api")
API = "/api/"


class LoginRequiredMiddleware(DjangoLoginRequired):
    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path.startswith(API) and has_api_key(request):
            return None  # the API checks the key itself (every operation, and the docs, need one or a session)
        response: HttpResponseBase | None = super().process_view(request, view_func, view_args, view_kwargs)
        return response

    def handle_no_permission(self, request: HttpRequest, view_func: Any) -> Any:
        if request.path.startswith(API):
            return JsonResponse(NotAuthenticated().as_dict(), status=401)
        return super().handle_no_permission(request, view_func)


class ApiErrorsMiddleware:
    """An error answer under ``/api/`` that is not already JSON becomes ``{"detail", "field", "code"}``
    (Django's 404 page for an unknown path, an empty 405, the 500 page of an unexpected error)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not request.path.startswith(API) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        shaped = JsonResponse(_shape(status), status=status)
        if status == 405 and response.has_header("Allow"):
            shaped["Allow"] = response["Allow"]
        return shaped

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API) or isinstance(exception, Http404 | PermissionDenied):
            return None  # Django answers these (404, 403), and __call__ gives the answer its shape
        logger.exception("unexpected error in %s %s", request.method, request.path)
        return JsonResponse(_shape(500), status=500)


def _shape(status: int) -> dict[str, str | None]:
    words = {
        400: (gettext("the request is not valid"), "invalid"),
        401: (gettext("Log in first: every API call needs a session."), "not_authenticated"),
        403: (gettext("your role may not do this"), "forbidden"),
        404: (gettext("not found"), "not_found"),
        405: (gettext("this operation does not take this method"), "method_not_allowed"),
        413: (gettext("the request is too large"), "too_large"),
    }
    detail, code = words.get(status, (gettext("the server could not answer; the error is logged"), "server_error"))
    return {"detail": detail, "field": None, "code": code}


class IndonesianFirstMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the user chose English with the switch (the language cookie): the
    browser's Accept-Language is ignored, so an officer on an English-language laptop still gets
    the Indonesian pages their colleagues see, and one click away from English."""

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
