"""``jamsostek demo`` (``make demo``): a synthetic Kalimantan Barat, billed for twelve months, with
payments and coverage, served at http://127.0.0.1:8000 with demo logins printed.

Every step is idempotent: a second run reuses the generated province and the issued bills (billing
a month twice changes nothing), refreshes the payments and coverage, and serves again quickly."""

from __future__ import annotations

import os
import secrets
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jamsostek.accounts.models import Role, User
from jamsostek.registry.models import Employer, Region
from jamsostek.rules.periods import Month


def default_workers() -> int:
    """Two server processes where the machine can run them side by side (fork, two or more cores):
    one process runs one Python thread at a time (see ``serve``)."""
    return 2 if hasattr(os, "fork") and (os.cpu_count() or 1) >= 2 else 1


class Command(BaseCommand):
    help = "Build the demonstration province (synthetic data) and serve the app."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=0.02, help="share of the province (default 0.02)")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="prepare everything, then exit")
        parser.add_argument(
            "--workers", type=int, default=default_workers(),
            help="server processes (default: 2 on a POSIX machine with two or more cores, else 1)",
        )  # fmt: skip

    def step(self, text: str) -> float:
        self.stdout.write(self.style.MIGRATE_HEADING(f"\n== {text}"))
        return time.perf_counter()

    def done(self, started: float) -> None:
        self.stdout.write("   " + _("(%(seconds)s s)") % {"seconds": number_format(time.perf_counter() - started, 1)})

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
        if not 0 < scale <= 1:
            raise CommandError(_("scale: must be above 0 and at most 1"), returncode=2)
        today = timezone.localdate()
        last = Month.of(today)
        first = last.plus(-11)

        started = self.step(_("Database (embedded SQLite unless DATABASE_URL says otherwise)"))
        call_command("migrate", verbosity=0)
        self.done(started)

        if Employer.objects.exists():
            self.stdout.write(self.style.MIGRATE_HEADING("\n== " + _("Synthetic province: already loaded, kept")))
        else:
            started = self.step(
                _("Synthetic province at scale %(scale)s (seed %(seed)s)")
                % {"scale": f"{scale:g}", "seed": options["seed"]}
            )
            call_command("synth", scale=scale, seed=options["seed"])
            self.done(started)

        # --- enrolment drives (issue 17): lists of names, one drive per funding source ---
        started = self.step(_("Enrolment drives: lists of names and one drive per funding source"))
        call_command("drives", "demo", "--scale", str(scale), "--seed", str(options["seed"]), "--as-of", str(today))
        self.done(started)

        started = self.step(_("Billing %(first)s .. %(last)s (12 months)") % {"first": first, "last": last})
        call_command("billing", "run", period=str(first), through=str(last))
        self.done(started)

        started = self.step(_("Payments up to %(date)s (synthetic bank statement)") % {"date": today})
        call_command("payments", "simulate", seed=options["seed"], as_of=today.isoformat())
        self.done(started)

        started = self.step(_("Coverage: denominators, targets, protected participants per month"))
        call_command("coverage", "reference", scale=scale)
        call_command("coverage", "recompute", first=str(first), last=str(last), as_of=today.isoformat())
        self.done(started)

        # Claims (issue 16): two years of paid claims, and live claims in every state of the workflow.
        started = self.step(_("Claims: historical claims and live claims in every state"))
        call_command("claims", "synth", seed=options["seed"], as_of=today.isoformat())
        self.done(started)

        logins = self.logins()
        self.stdout.write(self.style.SUCCESS("\n" + _("Demo logins (new passwords on every run):")))
        for username, password, what in logins:
            self.stdout.write(f"   {username:<10} {password:<14} {what}")
        self.stdout.write(
            "\n"
            + _(
                "The data is synthetic (scale %(scale)s); the denominators are the published ones x %(scale)s, "
                "marked as estimates on every page."
            )
            % {"scale": f"{scale:g}"}
        )
        if options["no_serve"]:
            return
        self.stdout.write(
            self.style.SUCCESS("\n" + _("Open %(url)s and log in.") % {"url": f"http://127.0.0.1:{options['port']}/"})
        )
        call_command("serve", port=options["port"], workers=options["workers"])

    def logins(self) -> list[tuple[str, str, str]]:
        """A province-wide administrator and a Ketapang regency officer, with fresh passwords."""
        ketapang = Region.objects.filter(code="61.04").first()
        people = [
            ("demo", Role.ADMINISTRATOR, None, True, _("administrator: every page, the back office, NIK visible")),
            ("ketapang", Role.REGENCY_OFFICER, ketapang, True, _("regency officer: Kab. Ketapang only, NIK masked")),
        ]
        result = []
        for username, role, region, staff, what in people:
            user, _created = User.objects.get_or_create(username=username)
            user.role = role
            user.region = region
            user.is_staff = staff
            user.is_active = True
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.save()
            result.append((username, password, what))
        return result
