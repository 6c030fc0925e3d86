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
