"""``jamsostek serve``: the web app on a production WSGI server (waitress), not Django's runserver.

One process serves with threads, and Python runs one thread at a time in it: on a machine with
several cores, ``--workers N`` starts N such processes on the same listening socket (POSIX only;
the kernel hands each new connection to one of them). Each worker is a fresh interpreter that
inherits the socket and nothing else, never a fork of the calling process: ``jamsostek demo``
computes with Polars before it serves, and Polars' thread pool does not survive a fork (a forked
worker hung for ever on the first page that grouped a frame). Each process keeps its own rendered API
answers and page sections (``coverage.kept``); they all see a change within a second
(``coverage.indicators.stamp``), and sessions live in the database, so a logout ends the session in
every process.

Waitress reads a whole request before the app sees it: it refuses one larger than the app's
``MAX_REQUEST_SIZE``. Behind a reverse proxy, ``JAMSOSTEK_TRUSTED_PROXY`` (the proxy's address)
makes waitress take the client's address from the proxy's ``X-Forwarded-For``, so that the login
throttle tells clients apart (otherwise every request comes from the proxy)."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

THREADS = 4
"""Threads per process. Python runs one of them at a time, so more threads than requests that wait on
the database only queue for the interpreter: on 2 cores, 2 processes and 20 API clients, 8 threads
gave p95 118 to 150 ms and 4 threads 89 to 112 ms, in alternating runs (``docs/performance.md``).
Four still leave a process free threads while a long export or a cold computation holds one."""


class Command(BaseCommand):
    help = "Serve the web app with waitress (threads, no auto-reload); --workers N: N processes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=THREADS, help=f"threads per process (default {THREADS})")
        parser.add_argument("--workers", type=int, default=1, help="server processes (POSIX; default 1)")
        parser.add_argument("--listen-fd", type=int, help=argparse.SUPPRESS)  # a worker: serve on this socket
        parser.add_argument("--supervisor", type=int, help=argparse.SUPPRESS)  # a worker: end when it is gone

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        threads = options["threads"]
        if options["listen_fd"] is not None:
            self._work(socket.socket(fileno=options["listen_fd"]), threads, options["supervisor"])
            return
        workers = options["workers"]
        if workers < 1:
            raise CommandError(_("workers: must be at least 1"), returncode=2)
        if workers > 1 and not hasattr(os, "fork"):
            raise CommandError(_("workers: more than one needs a POSIX system (fork)"), returncode=2)
        host, port = options["host"], options["port"]
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
        fd = listener.fileno()
        command = [sys.executable, "-c", "import sys; from jamsostek.cli.main import main; sys.exit(main())",
                   "serve", "--listen-fd", str(fd), "--threads", str(threads),
                   "--supervisor", str(os.getpid())]  # fmt: skip
        children = [subprocess.Popen(command, pass_fds=(fd,)) for _worker in range(workers)]
        listener.close()
        self._supervise(children)

    def _work(self, listener: socket.socket, threads: int, supervisor: int | None) -> None:
        """A worker: serve on the inherited socket until told to stop (the supervisor stops it with
        SIGTERM; Ctrl+C reaches the whole process group and ends it quietly)."""
        from waitress import serve

        from jamsostek.web.wsgi import application

        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if supervisor is not None:
            threading.Thread(target=_end_with, args=(supervisor,), daemon=True, name="supervisor-watch").start()
        serve(application, sockets=[listener], threads=threads, ident="jamsostek", **server_options())

    def _supervise(self, children: list[subprocess.Popen[bytes]]) -> None:
        """Wait for the workers; on Ctrl+C or SIGTERM, or when one of them ends, stop them all. The
        exit status is 1 when a worker ended by itself, 0 when the server was told to stop."""
        told: list[bool] = []

        def stop() -> None:
            for child in children:
                if child.returncode is None:
                    with contextlib.suppress(ProcessLookupError):
                        child.send_signal(signal.SIGTERM)

        def on_term(*_args: Any) -> None:
            told.append(True)
            stop()

        signal.signal(signal.SIGTERM, on_term)
        signal.signal(signal.SIGINT, on_term)
        ended, status = os.wait()  # the first worker to end (or to be stopped) ends the server
        for child in children:
            if child.pid == ended:
                child.returncode = os.waitstatus_to_exitcode(status)
        stop()
        for child in children:
            child.wait()
        if not told:
            sys.exit(1)


def _end_with(supervisor: int) -> None:
    """A worker ends when its supervisor is gone (killed outright, so that it could not stop its
    workers; perhaps before this worker had started): otherwise the worker would go on serving the
    port on its own, for ever."""
    while os.getppid() == supervisor:
        time.sleep(1)
    os._exit(0)


def server_options() -> dict[str, Any]:
    """Waitress's limits and proxy settings, from the app's settings."""
    options: dict[str, Any] = {"max_request_body_size": settings.MAX_REQUEST_SIZE}
    if settings.TRUSTED_PROXY:
        options.update(trusted_proxy=settings.TRUSTED_PROXY, trusted_proxy_count=1,
                       trusted_proxy_headers={"x-forwarded-for"}, clear_untrusted_proxy_headers=True)  # fmt: skip
    return options
