"""The back office: Django admin, branded, for staff users only."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class BackOffice(admin.AdminSite):
    site_header = _("Jamsostek back office")
    site_title = _("Jamsostek")
    index_title = _("Registry, contributions and coverage")
