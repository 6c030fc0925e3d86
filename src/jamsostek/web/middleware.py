"""Every page needs login, except what a view marks with ``login_not_required``; everything under
``/api/`` answers in the API's one error shape, whatever failed.

Django's LoginRequiredMiddleware redirects to the login page; for the API a redirect is the
wrong answer, so requests under ``/api/`` get ``401`` with the API's error shape instead, in the
user's language like every other message. ``ApiErrorsMiddleware`` catches what the API's own
error handlers (``core.api``) never see: a path under ``/api/`` that matches no operation, a
method an operation does not take, a server error. The pages keep Django's own error pages.

Every answer carries the Content-Security-Policy (``ContentSecurityPolicyMiddleware``); a request
too large to be an import is refused before it is read (``RequestSizeLimitMiddleware``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.http.multipartparser import MultiPartParserError
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
        if isinstance(exception, MultiPartParserError | BadRequest | SuspiciousOperation):
            return JsonResponse(_shape(400), status=400)  # a body that cannot be read (a form without a boundary)
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


CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",  # no inline script, no eval: every script is a static file of the app
    "style-src 'self'",  # no inline style either (SVG presentation attributes are not styles)
    "img-src 'self' data:",  # the API documentation's icons are data: URLs in its stylesheet
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))  # fmt: skip
"""What a page of the app may load and run: only the app's own files. Every template and static file
keeps to it (``tests/web/test_security_headers.py`` reads them; the browser tests find no violation
on the dashboard, the back office and the API documentation)."""


class ContentSecurityPolicyMiddleware:
    """Every answer carries the Content-Security-Policy (and, over HTTPS, asks the browser to upgrade
    any plain-HTTP address in the page). Django's SecurityMiddleware sends the other headers:
    ``X-Content-Type-Options``, ``Referrer-Policy``, ``Cross-Origin-Opener-Policy``, and HSTS over
    HTTPS; ``XFrameOptionsMiddleware`` sends ``X-Frame-Options: DENY``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.policy = CONTENT_SECURITY_POLICY + ("; upgrade-insecure-requests" if settings.HTTPS else "")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        return response


class RequestSizeLimitMiddleware:
    """A request larger than ``MAX_REQUEST_SIZE`` (the largest import file and its form) is refused
    with 413 before its body is read. Django limits what it holds in memory
    (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but not an uploaded file, which it would stream to disk whole;
    in front of the app, waitress (``jamsostek serve``) and the reverse proxy get the same limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        if size > settings.MAX_REQUEST_SIZE:
            text = gettext(
                "The request is larger than %(limit)d MB; use the jamsostek import command for larger files."
            )
            limit = settings.MAX_UPLOAD_SIZE // (1024 * 1024)
            return HttpResponse(text % {"limit": limit}, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
