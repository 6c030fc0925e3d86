"""The back office: Django admin, branded, for staff users only. Its login and its password change
check passwords through the login throttle (``accounts.throttle``), as the web login does."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jamsostek.accounts.forms import BackOfficeLoginForm, password_change_form
from jamsostek.accounts.policy import Action, for_user


class BackOffice(admin.AdminSite):
    site_header = _("Jamsostek back office")
    site_title = _("Jamsostek")
    index_title = _("Registry, contributions and coverage")
    login_form = BackOfficeLoginForm

    def has_permission(self, request: HttpRequest) -> bool:
        """Staff users whose role uses the back office (the access policy decides, not ``is_staff`` alone)."""
        return for_user(request.user).may(Action.USE_BACK_OFFICE)

    def password_change(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        """Django's password change, with the old password checked through the login throttle."""
        request.current_app = self.name
        view = PasswordChangeView.as_view(
            form_class=password_change_form(request),
            success_url=reverse("admin:password_change_done", current_app=self.name),
            extra_context={**self.each_context(request), **(extra_context or {})},
        )
        # the form, or (as Django's own) a redirect once the password is changed
        return cast(TemplateResponse, view(request))
