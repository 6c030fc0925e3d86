"""The back office: Django admin, branded, for staff users only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jamsostek.accounts.policy import Action, for_user


class BackOffice(admin.AdminSite):
    site_header = _("Jamsostek back office")
    site_title = _("Jamsostek")
    index_title = _("Registry, contributions and coverage")

    def has_permission(self, request: HttpRequest) -> bool:
        """Staff users whose role uses the back office (the access policy decides, not ``is_staff`` alone)."""
        return for_user(request.user).may(Action.USE_BACK_OFFICE)
