"""``jamsostek serve``: the web app on a production WSGI server (waitress), not Django's runserver.

One process serves with threads, and Python runs one thread at a time in it: on a machine with
several cores, ``--workers N`` starts N such processes on the same listening socket (POSIX only;
the kernel hands each new connection to one of them). Each process keeps its own rendered API
answers and page sections (``coverage.kept``); they all see a change within a second
(``coverage.indicators.stamp``), and sessions live in the database, so a logout ends the session in
every process.

Waitress reads a whole request before the app sees it: it refuses one larger than the app's
``MAX_REQUEST_SIZE``. Behind a reverse proxy, ``JAMSOSTEK_TRUSTED_PROXY`` (the proxy's address)
makes waitress take the client's address from the proxy's ``X-Forwarded-For``, so that the login
throttle tells clients apart (otherwise every request comes from the proxy)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class Command(BaseCommand):
    help = "Serve the web app with waitress (threads, no auto-reload); --workers N: N processes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--workers", type=int, default=1, help="server processes (POSIX; default 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        workers = options["workers"]
        if workers < 1:
            raise CommandError(_("workers: must be at least 1"), returncode=2)
        if workers > 1 and not hasattr(os, "fork"):
            raise CommandError(_("workers: more than one needs a POSIX system (fork)"), returncode=2)
        host, port, threads = options["host"], options["port"], options["threads"]
        serving = ngettext(
            "Serving %(url)s with %(workers)d process (Ctrl+C stops)",
            "Serving %(url)s with %(workers)d processes (Ctrl+C stops)",
            workers,
        )
        self.stdout.write(serving % {"url": f"http://{host}:{port}/", "workers": workers})
        if workers == 1:
            from jamsostek.web.wsgi import application

            serve(application, host=host, port=port, threads=threads, ident="jamsostek", **server_options())
            return
        listener = socket.create_server((host, port), backlog=1024)
        connections.close_all()  # no database connection may be shared across the fork
        children = []
        for _worker in range(workers):
            pid = os.fork()
            if pid == 0:  # a worker: serve on the shared socket until told to stop
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                from jamsostek.web.wsgi import application

                serve(application, sockets=[listener], threads=threads, ident="jamsostek", **server_options())
                os._exit(0)
            children.append(pid)
        listener.close()
        self._supervise(children)

    def _supervise(self, children: list[int]) -> None:
        """Wait for the workers; on Ctrl+C or SIGTERM, or when one of them ends, stop them all. The
        exit status is 1 when a worker ended by itself, 0 when the server was told to stop."""
        told: list[bool] = []

        def stop() -> None:
            for pid in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)

        def on_term(*_args: Any) -> None:
            told.append(True)
            stop()

        signal.signal(signal.SIGTERM, on_term)
        signal.signal(signal.SIGINT, on_term)
        os.wait()  # the first worker to end (or to be stopped) ends the server
        stop()
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        if not told:
            sys.exit(1)


def server_options() -> dict[str, Any]:
    """Waitress's limits and proxy settings, from the app's settings."""
    options: dict[str, Any] = {"max_request_body_size": settings.MAX_REQUEST_SIZE}
    if settings.TRUSTED_PROXY:
        options.update(trusted_proxy=settings.TRUSTED_PROXY, trusted_proxy_count=1,
                       trusted_proxy_headers={"x-forwarded-for"}, clear_untrusted_proxy_headers=True)  # fmt: skip
    return options
