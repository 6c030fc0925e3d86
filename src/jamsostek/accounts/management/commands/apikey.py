"""``jamsostek apikey {create,revoke,list}``: keys with which other systems call the API."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jamsostek.accounts.models import ApiKey, User
from jamsostek.accounts.services import apikey_create, apikey_revoke


class Command(BaseCommand):
    help = "API keys: create one for a user (shown once), revoke one, list them."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="a new key for a user (printed once)")
        create.add_argument("--user", required=True, help="the username the key acts as")
        create.add_argument("--name", required=True, help="which system uses it (unique)")
        create.add_argument("--expires", help="YYYY-MM-DD: the last day the key works")
        create.add_argument("--format", choices=["text", "json"], default="text")
        revoke = actions.add_parser("revoke", help="stop a key from working")
        revoke.add_argument("--name", required=True)
        listing = actions.add_parser("list", help="every key, with its user, expiry, last use and state")
        listing.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("user: no user %(user)r") % {"user": options["user"]}, returncode=2)
            expires = None
            if options["expires"]:
                try:
                    expires = date.fromisoformat(options["expires"])
                except ValueError:
                    raise CommandError(_("expires: not a date YYYY-MM-DD: %(text)r") % {"text": options["expires"]},
                                       returncode=2) from None  # fmt: skip
            made = apikey_create(actor=None, user=user, name=options["name"], expires_on=expires,
                                 reason="jamsostek apikey create")  # fmt: skip
            if options["format"] == "json":
                self.stdout.write(json.dumps({"name": made.api_key.name, "user": user.username, "key": made.key}))
            else:
                self.stdout.write(_("key %(name)s for %(user)s (shown once, keep it safe):") % {
                    "name": made.api_key.name, "user": user.username})  # fmt: skip
                self.stdout.write(made.key)
        elif action == "revoke":
            api_key = ApiKey.objects.filter(name=options["name"]).first()
            if api_key is None:
                raise CommandError(_("name: no key %(name)r") % {"name": options["name"]}, returncode=2)
            apikey_revoke(actor=None, api_key=api_key, reason="jamsostek apikey revoke")
            self.stdout.write(_("key %(name)s revoked") % {"name": api_key.name})
        else:
            keys = ApiKey.objects.select_related("user").order_by("name")
            rows = [
                {"name": k.name, "user": k.user.username,
                 "expires_on": k.expires_on.isoformat() if k.expires_on else None,
                 "last_used_at": k.last_used_at.isoformat() if k.last_used_at else None,
                 "revoked": k.revoked_at is not None}
                for k in keys
            ]  # fmt: skip
            if options["format"] == "json":
                self.stdout.write(json.dumps(rows))
                return
            for row in rows:
                state = _("revoked") if row["revoked"] else _("active")
                self.stdout.write(f"{row['name']:<30} {row['user']:<20} {row['expires_on'] or '-':<10} "
                                  f"{row['last_used_at'] or '-':<32} {state}")  # fmt: skip
