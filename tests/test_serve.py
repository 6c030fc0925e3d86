"""``jamsostek serve --workers N``: N server processes on one socket, stopped together."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def own_database(tmp_path: Path) -> dict[str, str]:
    """The environment of a server process with its own SQLite database in ``tmp_path``."""
    env = {**os.environ, "JAMSOSTEK_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("JAMSOSTEK_TEST_DATABASE_NAME", None)
    return env


def jamsostek(*arguments: str, env: dict[str, str], output: Any = subprocess.PIPE, text: bool = False) -> Any:
    """``jamsostek ARGUMENTS`` started in the background, its output (and errors) to ``output``."""
    return subprocess.Popen([str(Path(sys.executable).parent / "jamsostek"), *arguments], env=env, stdout=output,
                            stderr=subprocess.STDOUT, text=text)  # fmt: skip


@pytest.mark.skipif(not hasattr(os, "fork"), reason="several workers need fork (POSIX)")
def test_two_workers_answer_on_one_port_and_stop_together(tmp_path: Path) -> None:
    port = free_port()
    server = jamsostek("serve", "--port", str(port), "--workers", "2", env=own_database(tmp_path))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline
                time.sleep(0.2)
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
        while children.exists() and len(children.read_text().split()) < 2:  # the port answers before the 2nd fork
            assert time.monotonic() < deadline, children.read_text()
            time.sleep(0.2)
        if children.exists():
            assert len(children.read_text().split()) == 2
        for _request in range(6):  # each connection is taken by one of the workers
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/api/coverage/summary", headers={"Accept": "application/json"})
            response = connection.getresponse()
            assert response.status == 401
            assert json.loads(response.read())["code"] == "not_authenticated"
            connection.close()
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        if children.parent.exists():
            pytest.fail("the server process is still there")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="reads the workers from /proc")
def test_workers_end_when_their_supervisor_is_killed_outright(tmp_path: Path) -> None:
    """A supervisor killed with SIGKILL cannot stop its workers: they notice and end by themselves,
    instead of serving the port on their own for ever (as they did)."""
    port = free_port()
    server = jamsostek("serve", "--port", str(port), "--workers", "2", env=own_database(tmp_path),
                       output=subprocess.DEVNULL)  # fmt: skip
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 2:
        assert time.monotonic() < deadline
        workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
        time.sleep(0.2)
    server.kill()
    server.wait()
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() and "Z" not in _state(pid) for pid in workers):
        if time.monotonic() > deadline:
            for pid in workers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            pytest.fail("the workers went on after their supervisor was killed")
        time.sleep(0.2)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def login(port: int, username: str, password: str) -> str:
    """Logs in through the login form as a browser does; returns the session cookie."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/login/")
    response = connection.getresponse()
    response.read()
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    token = cookies["csrftoken"].value
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    connection.request("POST", "/login/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={token}",
        "Referer": f"http://127.0.0.1:{port}/login/"})  # fmt: skip
    response = connection.getresponse()
    response.read()
    assert response.status == 302, response.status
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    connection.close()
    return f"sessionid={cookies['sessionid'].value}"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="several workers need a POSIX system")
def test_the_demo_serves_its_pages_with_two_workers(tmp_path: Path) -> None:
    """The demo computes with Polars, whose thread pool does not survive a fork: workers forked from
    the demo's process hung on the first page that grouped a frame (the coverage page, through the
    drives' panel). Workers are fresh processes that inherit only the listening socket."""
    port = free_port()
    env = {**own_database(tmp_path), "JAMSOSTEK_LANG": "en"}
    server = jamsostek("demo", "--scale", "0.002", "--port", str(port), "--workers", "2", env=env, text=True)
    try:
        assert server.stdout is not None
        printed = []
        for line in server.stdout:
            printed.append(line)
            if line.startswith("Serving "):
                break
        text = "".join(printed)
        assert "Serving " in text, text
        logins = dict(re.findall(r"^\s+(demo|ketapang)\s+(\S+)\s", text, flags=re.MULTILINE))
        deadline = time.monotonic() + 60
        while True:  # the banner comes before the socket
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None
                assert time.monotonic() < deadline
                time.sleep(0.2)
        for username, coverage in (("demo", "/coverage/"), ("ketapang", "/coverage/61.04/")):  # the officer's regency
            cookie = login(port, username, logins[username])
            for path, expected in ((coverage, "UCJ"), ("/drives/", "Gerakan pendaftaran"), ("/claims/", "Klaim")):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)  # hung for ever before
                connection.request("GET", path, headers={"Cookie": cookie})  # Indonesian first
                response = connection.getresponse()
                body = response.read().decode()
                assert response.status == 200, (username, path, response.status)
                assert expected in body, (username, path)
                connection.close()
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_waitress_gets_the_request_limit_and_trusts_only_the_named_proxy(settings: Any) -> None:
    from jamsostek.web.management.commands.serve import server_options

    assert server_options() == {"max_request_body_size": settings.MAX_REQUEST_SIZE}
    settings.TRUSTED_PROXY = "127.0.0.1"
    options = server_options()
    assert (options["trusted_proxy"], options["trusted_proxy_headers"]) == ("127.0.0.1", {"x-forwarded-for"})
    assert options["clear_untrusted_proxy_headers"] is True


def test_requests_waiting_for_a_thread_are_not_logged_one_by_one(caplog: pytest.LogCaptureFixture) -> None:
    """Waitress warns for every request queued behind busy threads (nearly every request under load);
    the app's logging keeps its queue's errors only."""
    from waitress.task import ThreadedTaskDispatcher

    dispatcher = ThreadedTaskDispatcher()  # no threads started: every task waits
    dispatcher.add_task(object())
    dispatcher.add_task(object())
    assert [record for record in caplog.records if record.name == "waitress.queue"] == []
    dispatcher.queue_logger.error("still reported")
    assert [record.getMessage() for record in caplog.records if record.name == "waitress.queue"] == ["still reported"]
