"""Login throttling: repeated failed logins lock a username from an address, and an address that
fails with many usernames, for a while; an administrator may lift a lock earlier.

Every password check goes through ``ThrottledModelBackend`` (the only authentication backend):
the web login, the back office's login, and anything else that calls ``django.contrib.auth.authenticate``
with a request. It refuses a locked username and address before checking the password (so a
locked attacker learns nothing, not even a right guess), records each failure and each lockout
(``core.audit``), and clears the failures of a username and address when they log in. The back
office's own password change, which checks the old password without ``authenticate``, is
throttled the same way (``accounts.forms.BackOfficePasswordChangeForm``).

A lock depends only on the username as typed and the address, never on whether such a user
exists: the login page says "temporarily locked" for an unknown username exactly as for a real
one. The limits are settings (README, "Configuration"):

- ``LOGIN_ATTEMPTS`` failures of one username from one address within ``LOGIN_LOCKOUT_MINUTES``
  lock that username from that address for ``LOGIN_LOCKOUT_MINUTES``;
- ``LOGIN_ADDRESS_ATTEMPTS`` failures from one address (any usernames) in that time lock every
  username from that address as long.

The address is the request's ``REMOTE_ADDR``: behind a reverse proxy, ``jamsostek serve`` takes
it from ``X-Forwarded-For`` when told which proxy to trust (``JAMSOSTEK_TRUSTED_PROXY``);
otherwise every client would share the proxy's address.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jamsostek.accounts.models import Lockout, LoginFailure
from jamsostek.accounts.policy import Action, for_actor
from jamsostek.core.audit import audit_record, diff, save_audited, snapshot
from jamsostek.core.errors import InvalidField

UNKNOWN_ADDRESS = "unknown"


def client_address(request: HttpRequest | None) -> str:
    """The address a request came from, as the server saw it (see the module's note on proxies)."""
    if request is None:
        return UNKNOWN_ADDRESS
    return str(request.META.get("REMOTE_ADDR") or UNKNOWN_ADDRESS)[:45]


def _window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def active_lockout(username: str, address: str, *, now: datetime | None = None) -> Lockout | None:
    """The lock that refuses ``username`` from ``address`` now (its own, or its address's), if any."""
    now = now or timezone.now()
    locks = Lockout.objects.filter(Q(username=username[:150]) | Q(username=""), address=address)
    return locks.filter(until__gt=now, released_at__isnull=True).order_by("-until").first()


def refused(username: str, address: str) -> Lockout | None:
    """The lock that refuses this login, counting the refusal on it; None when the login may go on."""
    lock = active_lockout(username, address)
    if lock is not None:
        Lockout.objects.filter(pk=lock.pk).update(refused=F("refused") + 1)
    return lock


@transaction.atomic
def record_failure(*, username: str, address: str) -> Lockout | None:
    """Record one failed password check (audited); lock the username and address, or the whole
    address, when this failure reaches a limit. Returns the new lock, if any."""
    username = username[:150]
    now = timezone.now()
    failure = LoginFailure.objects.create(username=username, address=address, at=now)
    audit_record(actor=None, action="create", instance=failure,
                 changes={"username": [None, username], "address": [None, address]},
                 reason=_("failed login"))  # fmt: skip
    recent = LoginFailure.objects.filter(address=address, at__gt=now - _window(), counts=True)
    own = recent.filter(username=username).count()
    if own >= settings.LOGIN_ATTEMPTS and active_lockout(username, address, now=now) is None:
        return _lock(username, address, own, now)
    everyone = recent.count()
    if everyone >= settings.LOGIN_ADDRESS_ATTEMPTS and active_lockout("", address, now=now) is None:
        return _lock("", address, everyone, now)
    return None


def _lock(username: str, address: str, failures: int, now: datetime) -> Lockout:
    lock = Lockout.objects.create(username=username, address=address, started_at=now, until=now + _window(),
                                  failures=failures)  # fmt: skip
    audit_record(actor=None, action="create", instance=lock,
                 changes=diff({}, snapshot(lock, ("username", "address", "until", "failures"))),
                 reason=_("too many failed logins"))  # fmt: skip
    return lock


def record_success(*, username: str, address: str) -> None:
    """A right password: this username's failures from this address stop counting."""
    LoginFailure.objects.filter(username=username[:150], address=address, counts=True).update(counts=False)


def lockout_release(*, actor: Any, lockout: Lockout, reason: str) -> Lockout:
    """Lift a lock before it ends (administrators: the policy's ``MANAGE_USERS``); its failures stop
    counting, so the next wrong password does not lock again at once. Audited."""
    for_actor(actor).require(Action.MANAGE_USERS)
    with transaction.atomic():
        lock = Lockout.objects.select_for_update().get(pk=lockout.pk)
        if lock.released_at is not None:
            raise InvalidField(_("this lock was already lifted"), field="released_at", code="already_released")
        before = snapshot(lock, ("released_at", "released_by"))
        lock.released_at = timezone.now()
        lock.released_by = actor if getattr(actor, "pk", None) else None
        save_audited(actor=actor, instance=lock, fields=("released_at", "released_by"), before=before, reason=reason)
        failures = LoginFailure.objects.filter(address=lock.address, counts=True)
        if lock.username:
            failures = failures.filter(username=lock.username)
        failures.update(counts=False)
    return lock


def locked_message(lock: Lockout) -> str:
    """What the login page says to a locked login (the same whether or not the username exists)."""
    minutes = max(1, math.ceil((lock.until - timezone.now()).total_seconds() / 60))
    return ngettext(
        "Too many failed logins: logging in here is temporarily locked. Try again in %(minutes)d minute, "
        "or ask an administrator to unlock it.",
        "Too many failed logins: logging in here is temporarily locked. Try again in %(minutes)d minutes, "
        "or ask an administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


class ThrottledModelBackend(ModelBackend):
    """Django's username and password check, throttled: the one authentication backend."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if request is None or username is None or password is None:
            # no request, no address: a command or a test calling authenticate() itself
            return super().authenticate(request, username=username, password=password, **kwargs)
        address = client_address(request)
        if refused(str(username), address) is not None:
            raise PermissionDenied  # authenticate() stops here: no other backend, no password check
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username=str(username), address=address)
        else:
            record_success(username=str(username), address=address)
        return user

    def get_user(self, user_id: Any) -> Any:
        """The session's user, read with one fixed statement (``accounts.sessions`` says why); None
        when there is no such user or they may not log in (inactive), as Django's ``get_user``."""
        model = get_user_model()
        try:
            key = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(str(model._meta.pk.column))
        user = next(iter(model._default_manager.raw(f"SELECT * FROM {table} WHERE {column} = %s", [key])), None)
        return user if user is not None and self.user_can_authenticate(user) else None
