"""``jamsostek serve``: the web app on a production WSGI server (waitress), not Django's runserver."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the web app with waitress (threads, no auto-reload)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from jamsostek.web.wsgi import application

        self.stdout.write(f"Serving http://{options['host']}:{options['port']}/ (Ctrl+C stops)")
        serve(application, host=options["host"], port=options["port"], threads=options["threads"], ident="jamsostek")
