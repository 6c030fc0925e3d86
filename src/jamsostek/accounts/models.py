"""Users and their role (what a role may see is decided in ``policy.py`` and applied by selectors);
failed logins and lockouts; the log of who saw which person's full NIK."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
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
        limit_choices_to={"level": "regency"},
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

    def clean(self) -> None:
        """A regency officer works for one regency or city: not the province, not a district."""
        super().clean()
        region = self.region if self.region_id else None
        if self.role == Role.REGENCY_OFFICER and region is not None and region.level != "regency":
            message = _("a regency officer works for a regency or city, not a province or district")
            raise ValidationError({"region": message})


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


# --- logins: failures and lockouts (``accounts.throttle``) ------------------------------------------


class LoginFailure(models.Model):
    """One failed password check: the username as typed (whether or not such a user exists) and the
    address it came from. A successful login or an administrator's unlock stops it counting."""

    username = models.CharField(_("username (as typed)"), max_length=150)
    address = models.CharField(_("address"), max_length=45)
    at = models.DateTimeField(_("when"), default=timezone.now)
    counts = models.BooleanField(_("counts towards a lockout"), default=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")
        indexes = [models.Index(fields=["address", "at"]), models.Index(fields=["username", "address", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.address}"


class Lockout(models.Model):
    """Logins refused for a while: one username from one address, or (``username`` empty) every
    username from one address. Ends by itself at ``until``, or earlier when an administrator lifts it."""

    username = models.CharField(_("username (as typed)"), max_length=150, blank=True,
                                help_text=_("Empty: every username from this address."))  # fmt: skip
    address = models.CharField(_("address"), max_length=45)
    started_at = models.DateTimeField(_("locked at"), default=timezone.now)
    until = models.DateTimeField(_("locked until"))
    failures = models.PositiveIntegerField(_("failed logins"))
    refused = models.PositiveIntegerField(_("logins refused while locked"), default=0)
    released_at = models.DateTimeField(_("unlocked at"), null=True, blank=True)
    released_by = models.ForeignKey(
        User, verbose_name=_("unlocked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("login lockout")
        verbose_name_plural = _("login lockouts")
        indexes = [models.Index(fields=["address", "until"])]
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.username or '*'} @ {self.address}"

    def active(self, now: datetime | None = None) -> bool:
        return self.released_at is None and self.until > (now or timezone.now())


# --- who saw which person's full NIK (``accounts.nik_log``) ----------------------------------------


class NikDisclosure(models.Model):
    """A person's full (unmasked) NIK was shown to a user: who, whose, when and where (UU 27/2022 on
    personal data protection: a person may learn who processed their data). Written in bulk by
    ``accounts.nik_log``, never edited; the NIK itself is not copied here."""

    at = models.DateTimeField(_("when"), default=timezone.now)
    # No foreign keys in the database (``db_constraint=False``; the ORM still refuses to delete a user
    # or person who has records: PROTECT). On PostgreSQL a foreign key checks each new record against
    # its person and user with a row lock (``SELECT ... FOR KEY SHARE``, written into each locked row's
    # page): a page of 50 persons locked 50 person rows and the reader's own row, shared by every
    # concurrent page of that reader, and its insert took 1.6 to 1.8 ms instead of 0.6 (benchmark
    # province). The ids come from the rows the same request has just read.
    user = models.ForeignKey(
        User, verbose_name=_("who"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_constraint=False,
    )  # fmt: skip
    user_label = models.CharField(_("who (as recorded)"), max_length=150)
    person = models.ForeignKey("registry.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="+", db_constraint=False)  # fmt: skip
    location = models.CharField(
        _("where"), max_length=200, help_text=_("api:<path>, admin:<path> or import:<kind>:<batch>")
    )

    class Meta:
        verbose_name = _("full NIK shown")
        verbose_name_plural = _("full NIKs shown")
        ordering = ["-id"]  # ids grow with time; no index on 'at', to keep the inserts cheap

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.location}"
