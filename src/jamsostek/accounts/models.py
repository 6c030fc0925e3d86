"""Users and their role. What a role may see is decided in ``access.py`` and applied by selectors."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    PROVINCIAL_ANALYST = "provincial_analyst", _("Provincial analyst")
    REGENCY_OFFICER = "regency_officer", _("Regency officer")
    BPJS_OFFICER = "bpjs_officer", _("BPJS officer")
    AGENCY_ADMIN = "agency_admin", _("Agency or village administrator")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.PROVINCIAL_ANALYST)
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("regency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For a regency officer: the regency or city they work for."),
    )
    employer = models.ForeignKey(
        "registry.Employer",
        verbose_name=_("agency or village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For an agency or village administrator: the agency or village whose staff they manage."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="regency_officer") | models.Q(region__isnull=False),
                name="regency_officer_has_region",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="agency_admin") | models.Q(employer__isnull=False),
                name="agency_admin_has_employer",
            ),
        ]


class ApiKey(models.Model):
    """A key with which a system (a BPJS branch's, a regency's payroll, a bank channel, a notebook)
    calls the API as the user it belongs to: the same role and reach, without a browser session.

    The key is shown once when it is made; only its first characters (to find it) and its SHA-256
    hash are kept. A key of 256 random bits needs no slow hash: nothing can guess it."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="api_keys")
    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("Which system uses it."))
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    hashed = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
