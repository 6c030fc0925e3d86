"""Security headers, sessions and cookies: every answer carries the Content-Security-Policy and the
other headers; no template or static script needs an inline script, an event handler attribute or
an inline style; HSTS and secure cookies follow ``JAMSOSTEK_HTTPS``; a session lasts a working day
and ends with the browser."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

from jamsostek.web.middleware import CONTENT_SECURITY_POLICY
from tests.conftest import Personas

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "jamsostek"
PASSWORD = "a long test password"


def test_every_answer_carries_the_security_headers(db: None) -> None:
    for path in ("/login/", "/api/registry/persons", "/static/jamsostek/site.css", "/no-such-page/"):
        response = Client().get(path)
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert "Strict-Transport-Security" not in response, path  # plain HTTP: no HSTS
    assert Client().get("/login/")["X-Frame-Options"] == "DENY"
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_hsts_is_sent_over_https_behind_the_proxy(db: None, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = Client().get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in Client().get("/login/")


def test_jamsostek_https_turns_on_hsts_redirects_and_secure_cookies(tmp_path: Path) -> None:
    """The settings as a server started with ``JAMSOSTEK_HTTPS=1`` reads them (a fresh process)."""
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "from jamsostek.web.middleware import ContentSecurityPolicyMiddleware as m; "
        "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE, "
        "m(lambda r: None).policy.endswith('upgrade-insecure-requests')]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jamsostek.web.settings", "JAMSOSTEK_DATA_DIR": str(tmp_path),
           "JAMSOSTEK_HTTPS": "1"}  # fmt: skip
    env.pop("JAMSOSTEK_SECURE_COOKIES", None)
    found = json.loads(subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True,
                                      text=True).stdout)  # fmt: skip
    assert found == [31_536_000, True, ["HTTP_X_FORWARDED_PROTO", "https"], True, True, True, True]
    # this process runs without it: plain HTTP, no HSTS, cookies over HTTP too (a laptop, the tests)
    assert settings.SECURE_HSTS_SECONDS == 0
    assert not settings.SECURE_SSL_REDIRECT
    assert not settings.SESSION_COOKIE_SECURE


def test_a_session_lasts_a_working_day_and_ends_with_the_browser(personas: Personas) -> None:
    client = Client()
    response = client.post("/login/", {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"]
    assert not cookie["max-age"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert client.session.get_expiry_age() == 8 * 3600  # and the server forgets it after 8 hours anyway
    csrf = client.get("/login/").cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"]
    assert csrf["samesite"] == "Lax"


def test_cookies_are_secure_when_served_over_https(personas: Personas, settings: Any) -> None:
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    response = Client().post("/login/", {"username": "analyst", "password": PASSWORD}, secure=True)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["secure"]
    assert Client().get("/login/", secure=True).cookies[settings.CSRF_COOKIE_NAME]["secure"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE = re.compile(r"\sstyle\s*=|<style", re.IGNORECASE)


def templates() -> list[Path]:
    return sorted(PACKAGE.glob("*/templates/**/*.html"))


def test_no_template_has_an_inline_script_a_handler_or_an_inline_style() -> None:
    assert len(templates()) >= 13
    wrong = [f"{path.relative_to(PACKAGE)}: {pattern.pattern}" for path in templates()
             for pattern in (INLINE_SCRIPT, HANDLER, STYLE, re.compile("javascript:", re.IGNORECASE))
             if pattern.search(path.read_text("utf-8"))]  # fmt: skip
    assert wrong == []


def test_no_server_drawn_svg_has_an_inline_style() -> None:
    drawing = (PACKAGE / "coverage" / "drawing.py").read_text("utf-8")
    assert "style=" not in drawing
    assert "<style" not in drawing


def test_the_static_scripts_run_no_strings_as_code() -> None:
    scripts = sorted(PACKAGE.glob("*/static/**/*.js"))
    assert scripts
    words = ("eval(", "new Function", 'setTimeout("', ".innerHTML", "document.write", 'setAttribute("style"')
    wrong = [f"{path.name}: {word}" for path in scripts for word in words if word in path.read_text("utf-8")]
    assert wrong == []
