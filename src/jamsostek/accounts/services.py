"""Writes to accounts: API keys made and revoked (users themselves are managed in the back office).

A key belongs to a user and acts with that user's role and reach. Making and revoking one is
audited; its last use is kept on the key."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.accounts.models import ApiKey, User
from jamsostek.accounts.policy import Action, for_actor
from jamsostek.core.audit import audit_record
from jamsostek.core.errors import Conflict, InvalidField

KEY_PREFIX = "jms_"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class MadeKey:
    api_key: ApiKey
    key: str
    """The whole key: shown once, never stored."""


@transaction.atomic
def apikey_create(*, actor: Any, user: User, name: str, expires_on: date | None = None, reason: str) -> MadeKey:
    """A new key for ``user`` named ``name``; the returned ``key`` is the only time it is shown."""
    for_actor(actor).require(Action.MANAGE_USERS)
    name = " ".join(str(name or "").split())
    if not name or len(name) > 100:
        raise InvalidField(_("is required (at most 100 characters)"), field="name", code="required")
    if not user.is_active:
        raise InvalidField(_("this user is not active"), field="user")
    if expires_on is not None and expires_on <= timezone.localdate():
        raise InvalidField(_("must be after today"), field="expires")
    if ApiKey.objects.filter(name=name).exists():
        raise Conflict(_("a key with this name exists"), field="name", code="duplicate")
    secret = secrets.token_urlsafe(32)
    prefix = secret[:8]
    key = f"{KEY_PREFIX}{prefix}_{secret[8:]}"
    try:
        with transaction.atomic():
            api_key = ApiKey.objects.create(user=user, name=name, prefix=prefix, hashed=key_hash(key),
                                            expires_on=expires_on)  # fmt: skip
    except IntegrityError:
        raise Conflict(_("a key with this name exists"), field="name", code="duplicate") from None
    audit_record(actor=actor, action="create", instance=api_key, reason=reason,
                 changes={"name": [None, name], "user": [None, user.username],
                          "expires_on": [None, expires_on.isoformat() if expires_on else None]})  # fmt: skip
    return MadeKey(api_key, key)


@transaction.atomic
def apikey_revoke(*, actor: Any, api_key: ApiKey, reason: str) -> ApiKey:
    """Stop a key from working (it stays listed, with when it was revoked)."""
    for_actor(actor).require(Action.MANAGE_USERS)
    if api_key.revoked_at is not None:
        raise Conflict(_("this key was already revoked"), field="name", code="already_revoked")
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="update", instance=api_key, reason=reason,
                 changes={"revoked_at": [None, api_key.revoked_at.isoformat()]})  # fmt: skip
    return api_key


LAST_USE_EVERY = 60
"""Seconds between two writes of a key's last use (a client calling ten times a second writes once a minute)."""


def apikey_user(key: str) -> User | None:
    """The active user a presented key acts for, or None (unknown, wrong, revoked or expired key).
    Keeps the key's last use."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    prefix = key[len(KEY_PREFIX) : len(KEY_PREFIX) + 8]
    api_key = ApiKey.objects.select_related("user").filter(prefix=prefix).first()
    if api_key is None or not secrets.compare_digest(api_key.hashed, key_hash(key)):
        return None
    now = timezone.now()
    if api_key.revoked_at is not None or not api_key.user.is_active:
        return None
    if api_key.expires_on is not None and api_key.expires_on < timezone.localdate():
        return None
    if api_key.last_used_at is None or (now - api_key.last_used_at).total_seconds() >= LAST_USE_EVERY:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return api_key.user
