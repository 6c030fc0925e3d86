"""Writes that a client may safely send again: ``Idempotency-Key``.

A client (a bank channel that retries, a clerk who double-clicks, a payroll job run twice) sends a
write with an ``Idempotency-Key`` header of its choosing. The first request with that key does the
work and its answer is kept; a request with the same key and the same method, path and body gets
that answer again (with ``Idempotent-Replayed: true``) and changes nothing; the same key with a
different request is refused (409: the key is taken). Two requests with the same key at the same moment: the first
claims the key (committed at once, before it works), the second waits for the first's answer.
Keys belong to whoever sends them (a logged-in user, or a valid API key: a request that is not
authenticated is passed on untouched, its body unread, and the API answers 401) and to one operation
(the method and path), and are kept for a day. A claim left without an answer (the process died
while working) is taken over by a retry after ``STALE``; answers 401 and 403 are never kept.

``IdempotencyMiddleware`` does this for every write under ``/api/``; operations declare the header
(``IdempotencyKey``) so that the schema shows it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header

from jamsostek.core.errors import Conflict, InvalidField
from jamsostek.core.models import IdempotentRequest

HEADER = "Idempotency-Key"
PATTERN = r"^[\x21-\x7e]{1,100}$"
KEPT = timedelta(days=1)
WAIT_SECONDS = 60.0
STALE = timedelta(minutes=15)
"""A claim with no answer after this long belongs to a request that died: a retry takes it over."""
NOT_KEPT = frozenset({401, 403})
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=HEADER,
        pattern=PATTERN,
        description="any text of 1-100 visible ASCII characters: a retry with the same key and the same "
        "request gets the first answer and changes nothing",
    ),
]


def _scope(request: HttpRequest) -> str | None:
    """Whose key, for which operation: a key names one request to one operation of one sender."""
    from jamsostek.accounts.services import apikey_user

    authorization = request.headers.get("Authorization", "")
    if authorization.startswith("Bearer "):
        if apikey_user(authorization[len("Bearer ") :].strip()) is None:
            return None  # an unknown, revoked or expired key: the API answers 401
        sender = "key:" + hashlib.sha256(authorization.encode()).hexdigest()[:32]
    elif request.user.is_authenticated:
        sender = f"user:{request.user.pk}"
    else:
        return None
    return f"{sender} {request.method} {request.path[:200]}"


def _fingerprint(request: HttpRequest) -> str:
    """The request's method, path and content: its body, or for an upload its fields and files (read
    in chunks and rewound for the view: an upload is not held in memory whole)."""
    digest = hashlib.sha256()
    content_type = request.headers.get("Content-Type", "")
    for part in (request.method or "", request.get_full_path(), content_type.split(";")[0]):
        digest.update(part.encode())
        digest.update(b"\0")
    if content_type.startswith("multipart/form-data"):
        for name, value in sorted(request.POST.lists()):
            digest.update(f"{name}={value!r}\0".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                digest.update(f"{name}:{upload.name}\0".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _answer(error: Conflict | InvalidField) -> JsonResponse:
    return JsonResponse(error.as_dict(), status=error.status)


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        if key is None or request.method not in UNSAFE or not request.path.startswith("/api/"):
            return self.get_response(request)
        scope = _scope(request)
        if scope is None:
            return self.get_response(request)  # not logged in: the API answers 401
        if not (1 <= len(key) <= 100 and all(0x21 <= ord(c) <= 0x7E for c in key)):
            return _answer(InvalidField(_("must be 1-100 visible ASCII characters"), field=HEADER))
        fingerprint = _fingerprint(request)
        now = timezone.now()
        IdempotentRequest.objects.filter(created_at__lt=now - KEPT).delete()
        IdempotentRequest.objects.filter(scope=scope, key=key, status__isnull=True, created_at__lt=now - STALE).delete()
        try:
            with transaction.atomic():
                claim = IdempotentRequest.objects.create(scope=scope, key=key, fingerprint=fingerprint)
        except IntegrityError:
            return self._replay(scope, key, fingerprint)
        try:
            response = self.get_response(request)
        except BaseException:
            claim.delete()
            raise
        if response.status_code >= 500 or response.status_code in NOT_KEPT or not isinstance(response, HttpResponse):
            claim.delete()  # nothing was decided (or not for this sender): a retry runs again
            return response
        claim.status = response.status_code
        claim.content_type = response.get("Content-Type", "")
        claim.body = response.content
        claim.save(update_fields=["status", "content_type", "body"])
        return response

    def _replay(self, scope: str, key: str, fingerprint: str) -> HttpResponseBase:
        """The first answer to this key, once the first request has one."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            first = IdempotentRequest.objects.filter(scope=scope, key=key).first()
            if first is None:  # the first request failed and let go of the key
                return _answer(Conflict(_("the first request with this key failed; send it again"),
                                        field=HEADER, code="retry"))  # fmt: skip
            if first.fingerprint != fingerprint:
                return _answer(Conflict(_("this key was used for another request"), field=HEADER,
                                        code="idempotency_key_reused"))  # fmt: skip
            if first.status is not None:
                replay = HttpResponse(bytes(first.body), status=first.status, content_type=first.content_type)
                replay["Idempotent-Replayed"] = "true"
                return replay
            if time.monotonic() > deadline:
                return _answer(Conflict(_("a request with this key is still running"), field=HEADER,
                                        code="in_progress"))  # fmt: skip
            time.sleep(0.05)
