"""``DATABASE_URL`` and the other settings read from the environment."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from jamsostek.web.env import database_from_url, env_bool, env_int


def test_sqlite_urls_give_a_file_and_keep_each_threads_connection() -> None:
    absolute = database_from_url("sqlite:////var/lib/jamsostek/db.sqlite3")
    assert absolute["ENGINE"] == "django.db.backends.sqlite3"
    assert absolute["NAME"] == "/var/lib/jamsostek/db.sqlite3"
    assert absolute["CONN_MAX_AGE"] == 60
    assert "journal_mode=WAL" in absolute["OPTIONS"]["init_command"]
    assert database_from_url("sqlite:///data/db.sqlite3")["NAME"] == "data/db.sqlite3"


def test_postgres_urls_give_each_part() -> None:
    db = database_from_url("postgres://jm:s%40cret@db.example:6543/jamsostek")
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql", "jamsostek", "jm", "s@cret", "db.example", "6543",
    )  # fmt: skip
    assert db["CONN_MAX_AGE"] == 60


@pytest.mark.parametrize(
    ("url", "says"),
    [("sqlite:///", "no SQLite file"), ("postgres://host:5432/", "no database name"), ("mysql://x/y", "must start")],
)
def test_a_bad_url_says_what_is_wrong(url: str, says: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=says):
        database_from_url(url)


def test_a_flag_is_true_or_false_or_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAMSOSTEK_FLAG", "Yes")
    assert env_bool("JAMSOSTEK_FLAG", False) is True
    monkeypatch.setenv("JAMSOSTEK_FLAG", "0")
    assert env_bool("JAMSOSTEK_FLAG", True) is False
    monkeypatch.setenv("JAMSOSTEK_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="true or false"):
        env_bool("JAMSOSTEK_FLAG", False)


def test_a_number_is_whole_and_not_below_its_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_int("JAMSOSTEK_NUMBER", 8) == 8
    monkeypatch.setenv("JAMSOSTEK_NUMBER", " 12 ")
    assert env_int("JAMSOSTEK_NUMBER", 8, minimum=1) == 12
    monkeypatch.setenv("JAMSOSTEK_NUMBER", "eight")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("JAMSOSTEK_NUMBER", 8)
    monkeypatch.setenv("JAMSOSTEK_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("JAMSOSTEK_NUMBER", 8, minimum=1)
