"""Login throttling: repeated failures lock a username from an address (and an address that tries
many usernames), through every form that checks a password; the failures and the locks are
audited; an administrator unlocks through the back office; the login page says "temporarily
locked" in the user's language, and the same for a username that does not exist."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from jamsostek.accounts.models import Lockout, LoginFailure
from jamsostek.accounts.throttle import lockout_release, record_failure
from jamsostek.core.errors import Forbidden
from jamsostek.core.models import AuditRecord
from tests.conftest import Personas

PASSWORD = "a long test password"  # every persona's (tests/conftest.py)
HERE, ELSEWHERE = "198.51.100.7", "203.0.113.9"
LOCKED_ID = "Terlalu banyak login gagal"  # the start of the locked message in Indonesian
LOCKED_EN = "Too many failed logins"


def attempt(username: str, password: str, *, address: str = HERE, language: str | None = None,
            page: str = "/login/") -> Any:  # fmt: skip
    """One login through ``page`` from ``address``, in a fresh browser."""
    client = Client(REMOTE_ADDR=address)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(page, {"username": username, "password": password, "next": "/"})
    response.logged_in = settings.SESSION_COOKIE_NAME in client.cookies and bool(
        client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    return response


def fail(username: str, times: int, **kwargs: Any) -> Any:
    response = None
    for _attempt in range(times):
        response = attempt(username, "not the password", **kwargs)
    return response


def test_repeated_wrong_passwords_lock_the_username_from_that_address(personas: Personas) -> None:
    assert settings.LOGIN_ATTEMPTS == 5
    first = fail("ketapang", 4)
    assert first.status_code == 200
    assert not first.logged_in
    assert "Nama pengguna atau kata sandi salah" in first.content.decode()  # not locked yet
    fifth = fail("ketapang", 1)
    assert LOCKED_ID in fifth.content.decode()  # the fifth failure locks, and says so
    right = attempt("ketapang", PASSWORD)
    assert not right.logged_in  # even the right password, while locked: it is not even checked
    assert LOCKED_ID in right.content.decode()
    assert attempt("ketapang", PASSWORD, address=ELSEWHERE).logged_in  # another address is not locked
    assert attempt("sambas", PASSWORD).logged_in  # nor another username from this address
    lock = Lockout.objects.get()
    assert (lock.username, lock.address, lock.failures, lock.refused) == ("ketapang", HERE, 5, 1)


def test_the_lock_reads_the_same_for_a_username_that_does_not_exist(personas: Personas) -> None:
    real = fail("ketapang", settings.LOGIN_ATTEMPTS + 1).content.decode()
    unknown = fail("nobody-by-this-name", settings.LOGIN_ATTEMPTS + 1, address=ELSEWHERE).content.decode()
    assert LOCKED_ID in real
    assert LOCKED_ID in unknown
    message = '<p class="error" role="alert">'
    assert real[real.index(message) :].split("</p>")[0] == unknown[unknown.index(message) :].split("</p>")[0]


def test_the_locked_message_is_in_the_users_language(personas: Personas) -> None:
    english = fail("ketapang", settings.LOGIN_ATTEMPTS, language="en").content.decode()
    assert f"{LOCKED_EN}: logging in here is temporarily locked. Try again in 15 minutes" in english
    indonesian = attempt("ketapang", PASSWORD).content.decode()
    assert LOCKED_ID in indonesian
    assert LOCKED_EN not in indonesian


def test_an_address_that_tries_many_usernames_is_locked_for_every_username(personas: Personas, settings: Any) -> None:
    settings.LOGIN_ADDRESS_ATTEMPTS = 6
    for number in range(6):
        attempt(f"guess{number}", "not the password")
    lock = Lockout.objects.get()
    assert (lock.username, lock.address, lock.failures) == ("", HERE, 6)
    refused = attempt("bpjs", PASSWORD)  # a real user with the right password, from that address
    assert not refused.logged_in
    assert LOCKED_ID in refused.content.decode()
    assert attempt("bpjs", PASSWORD, address=ELSEWHERE).logged_in


def test_a_successful_login_clears_the_failures_of_that_username_and_address(personas: Personas) -> None:
    fail("ketapang", settings.LOGIN_ATTEMPTS - 1)
    assert attempt("ketapang", PASSWORD).logged_in
    fail("ketapang", settings.LOGIN_ATTEMPTS - 1)
    assert not Lockout.objects.exists()
    assert attempt("ketapang", PASSWORD).logged_in


def test_a_lock_ends_by_itself_after_its_time(personas: Personas) -> None:
    fail("ketapang", settings.LOGIN_ATTEMPTS)
    lock = Lockout.objects.get()
    assert (lock.until - lock.started_at).total_seconds() == 15 * 60
    Lockout.objects.filter(pk=lock.pk).update(until=lock.started_at)  # as if the 15 minutes had passed
    LoginFailure.objects.update(at=lock.started_at.replace(year=2000))
    assert attempt("ketapang", PASSWORD).logged_in


def test_the_failures_and_the_lock_are_audited(personas: Personas) -> None:
    fail("ketapang", settings.LOGIN_ATTEMPTS)
    failures = AuditRecord.objects.filter(entity="accounts.loginfailure", action="create")
    assert failures.count() == settings.LOGIN_ATTEMPTS
    assert failures.first().changes == {"username": [None, "ketapang"], "address": [None, HERE]}  # type: ignore[union-attr]
    lock = AuditRecord.objects.get(entity="accounts.lockout")
    assert lock.action == "create"
    assert lock.changes["username"] == [None, "ketapang"]
    assert lock.changes["failures"] == [None, 5]
    assert lock.actor_label == "system"


def test_an_administrator_unlocks_in_the_back_office_and_it_is_audited(personas: Personas) -> None:
    fail("ketapang", settings.LOGIN_ATTEMPTS)
    lock = Lockout.objects.get()
    admin = Client()
    admin.force_login(personas.admin)
    page = admin.get("/admin/accounts/lockout/")
    assert page.status_code == 200
    assert "ketapang" in page.content.decode()
    response = admin.post("/admin/accounts/lockout/", {"action": "unlock", "index": "0",
                                                        "_selected_action": [str(lock.pk)]})  # fmt: skip
    assert response.status_code == 302
    lock.refresh_from_db()
    assert lock.released_by == personas.admin
    assert lock.released_at is not None
    record = AuditRecord.objects.get(entity="accounts.lockout", action="update")
    assert record.actor_label == "admin"
    assert record.changes["released_by"] == [None, personas.admin.pk]
    assert attempt("ketapang", PASSWORD).logged_in
    # its failures no longer count: one more wrong password does not lock again at once
    fail("ketapang", 1)
    assert Lockout.objects.count() == 1


def test_only_an_administrator_may_unlock(personas: Personas) -> None:
    lock = [record_failure(username="ketapang", address=HERE) for _ in range(settings.LOGIN_ATTEMPTS)][-1]
    assert lock is not None
    for user in (personas.bpjs, personas.ketapang, personas.analyst):
        with pytest.raises(Forbidden):
            lockout_release(actor=user, lockout=lock, reason="please")
    bpjs = Client()
    bpjs.force_login(personas.bpjs)
    assert bpjs.post("/admin/accounts/lockout/", {"action": "unlock", "index": "0",
                                                  "_selected_action": [str(lock.pk)]}).status_code == 403  # fmt: skip
    lock.refresh_from_db()
    assert lock.released_at is None


def test_the_back_office_login_shares_the_throttle(personas: Personas) -> None:
    response = fail("admin", settings.LOGIN_ATTEMPTS, page="/admin/login/")
    assert LOCKED_ID in response.content.decode()
    assert not attempt("admin", PASSWORD).logged_in  # the web login refuses too: one lock for both
    assert not attempt("admin", PASSWORD, page="/admin/login/").logged_in
    assert attempt("admin", PASSWORD, address=ELSEWHERE, page="/admin/login/").logged_in


def test_a_wrong_old_password_in_the_back_office_counts_as_a_failed_login(personas: Personas) -> None:
    client = Client(REMOTE_ADDR=HERE)
    client.force_login(personas.bpjs)
    change = {"new_password1": "another long password 7", "new_password2": "another long password 7"}
    for _attempt in range(settings.LOGIN_ATTEMPTS):
        response = client.post("/admin/password_change/", {**change, "old_password": "wrong"})
    assert response.status_code == 200
    assert LOCKED_ID in response.content.decode()
    response = client.post("/admin/password_change/", {**change, "old_password": PASSWORD})
    assert response.status_code == 200
    assert LOCKED_ID in response.content.decode()
    personas.bpjs.refresh_from_db()
    assert personas.bpjs.check_password(PASSWORD)
    assert not attempt("bpjs", PASSWORD).logged_in  # and the login from that address is locked too
