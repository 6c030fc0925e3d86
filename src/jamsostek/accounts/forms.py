"""The forms that check passwords: the web login, the back office's login and its password change.
Each says "temporarily locked" when the login throttle (``accounts.throttle``) refuses, in the
user's language, and says it the same way whether or not the username exists."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm, AdminPasswordChangeForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jamsostek.accounts.throttle import active_lockout, client_address, locked_message, record_failure, refused


class _SaysLocked:
    """A login form whose refusal says so when the username is locked from this address."""

    request: HttpRequest | None
    cleaned_data: dict[str, Any]

    def get_invalid_login_error(self) -> ValidationError:
        if self.request is not None:
            lock = active_lockout(str(self.cleaned_data.get("username") or ""), client_address(self.request))
            if lock is not None:
                return ValidationError(locked_message(lock), code="locked")
        error: ValidationError = super().get_invalid_login_error()  # type: ignore[misc]
        return error


class LoginForm(_SaysLocked, AuthenticationForm):
    """The web login (``/login/``)."""

    error_messages = {**AuthenticationForm.error_messages, "invalid_login": _("The username or password is not right.")}


class BackOfficeLoginForm(_SaysLocked, AdminAuthenticationForm):
    """The back office's login (``/admin/login/``): the same throttle as the web login."""


class BackOfficePasswordChangeForm(AdminPasswordChangeForm):
    """The back office's password change: a wrong old password counts as a failed login."""

    request: HttpRequest | None = None

    def clean_old_password(self) -> str:
        old: str = self.cleaned_data["old_password"]
        username, address = self.user.get_username(), client_address(self.request)
        lock = refused(username, address)
        if lock is None and self.user.check_password(old):
            return old
        if lock is None:
            lock = record_failure(username=username, address=address)
        if lock is not None:
            raise ValidationError(locked_message(lock), code="locked")
        raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")


def password_change_form(request: HttpRequest) -> type[BackOfficePasswordChangeForm]:
    """``BackOfficePasswordChangeForm`` for this request (Django's view builds the form without it)."""
    return type("BackOfficePasswordChangeForm", (BackOfficePasswordChangeForm,), {"request": request})
