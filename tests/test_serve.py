"""``jamsostek serve --workers N``: N server processes on one socket, stopped together."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.skipif(not hasattr(os, "fork"), reason="several workers need fork (POSIX)")
def test_two_workers_answer_on_one_port_and_stop_together(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "JAMSOSTEK_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("JAMSOSTEK_TEST_DATABASE_NAME", None)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "jamsostek"), "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
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


def test_waitress_gets_the_request_limit_and_trusts_only_the_named_proxy(settings: Any) -> None:
    from jamsostek.web.management.commands.serve import server_options

    assert server_options() == {"max_request_body_size": settings.MAX_REQUEST_SIZE}
    settings.TRUSTED_PROXY = "127.0.0.1"
    options = server_options()
    assert (options["trusted_proxy"], options["trusted_proxy_headers"]) == ("127.0.0.1", {"x-forwarded-for"})
    assert options["clear_untrusted_proxy_headers"] is True
