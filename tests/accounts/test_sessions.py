"""Sessions and their users, read with one fixed statement each (``accounts.sessions``,
``ThrottledModelBackend.get_user``), answer as Django's own readers: a live session logs its user
in, an expired, unknown or ended one does not, nor does an inactive or removed user's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jamsostek.accounts.models import User
from jamsostek.accounts.throttle import ThrottledModelBackend
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

PAGE = "/api/registry/regions?level=province"


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_request_reads_its_session_and_its_user_once_each(personas: Personas) -> None:
    client = logged_in(personas.analyst)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    sessions = [query["sql"] for query in queries.captured_queries if "django_session" in query["sql"]]
    users = [query["sql"] for query in queries.captured_queries if 'FROM "accounts_user"' in query["sql"]]
    assert len(sessions) == 1, sessions
    assert len(users) == 1, users


def test_an_expired_unknown_or_ended_session_is_not_logged_in(personas: Personas) -> None:
    expired = logged_in(personas.analyst)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert expired.get(PAGE).status_code == 401

    unknown = Client()
    unknown.cookies["sessionid"] = "x" * 32
    assert unknown.get(PAGE).status_code == 401

    ended = logged_in(personas.analyst)
    assert ended.get(PAGE).status_code == 200
    Session.objects.all().delete()  # a logout in another server process
    assert ended.get(PAGE).status_code == 401


def test_an_inactive_or_removed_user_is_logged_out(personas: Personas) -> None:
    client = logged_in(personas.bpjs)
    assert client.get(PAGE).status_code == 200
    User.objects.filter(pk=personas.bpjs.pk).update(is_active=False)
    assert client.get(PAGE).status_code == 401

    backend = ThrottledModelBackend()
    assert backend.get_user(personas.analyst.pk) == personas.analyst
    assert backend.get_user(str(personas.analyst.pk)) == personas.analyst  # as a session keeps it
    assert backend.get_user(personas.bpjs.pk) is None  # inactive
    assert backend.get_user(10**9) is None
    assert backend.get_user("not a number") is None


def test_a_password_change_ends_the_users_other_sessions(personas: Personas) -> None:
    client = logged_in(personas.analyst)
    assert client.get(PAGE).status_code == 200
    personas.analyst.set_password("another long test password")
    personas.analyst.save()
    assert client.get(PAGE).status_code == 401
