"""Denominators, targets and the computed coverage facts behind every UCJ figure."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DenominatorKind(models.TextChoices):
    EMPLOYED = "employed", _("employed population (BPS Sakernas)")
    POTENTIAL = "potential", _("potential workers (BPJS Ketenagakerjaan)")
    USER = "user", _("entered by the user")


class Origin(models.TextChoices):
    REFERENCE = "reference", _("published reference (jamsostek coverage reference)")
    USER = "user", _("imported or entered by a user")


class Denominator(models.Model):
    """How many workers a region has, by one definition, from a reference date on."""

    region = models.ForeignKey("registry.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip
    kind = models.CharField(_("definition"), max_length=10, choices=DenominatorKind.choices)
    period = models.DateField(_("reference month"), help_text=_("Used from this month until a later value."))
    value = models.PositiveBigIntegerField(_("workers"))
    is_estimate = models.BooleanField(_("estimate"), default=False)
    method = models.TextField(_("how it was estimated"), blank=True, default="")
    source = models.TextField(_("source"), blank=True, default="")
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.USER,
                              help_text=_("Reloading the reference never overwrites a user's value."))  # fmt: skip
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("denominator")
        verbose_name_plural = _("denominators")
        constraints = [models.UniqueConstraint(fields=["region", "kind", "period"], name="one_denominator")]
        ordering = ["region", "kind", "period"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.kind} {self.period:%Y-%m}: {self.value:,}"


class Target(models.Model):
    """The UCJ a region aims for by the end of a year, in percent."""

    region = models.ForeignKey("registry.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    percent = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=2)
    source = models.TextField(_("source"), blank=True, default="")
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.USER)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="one_target_per_year")]
        ordering = ["region", "year"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.percent}%"


class CoverageFact(models.Model):
    """Protected participants (distinct persons) of a district in a month, by segment and payer
    group; ``all`` rows count each person once across segments."""

    period = models.DateField(_("month"))
    district = models.CharField(_("district"), max_length=13)
    regency = models.CharField(_("regency"), max_length=5)
    segment = models.CharField(_("segment"), max_length=5)
    payer_group = models.CharField(_("payer"), max_length=8)
    persons = models.PositiveIntegerField(_("protected participants"))

    class Meta:
        verbose_name = _("coverage fact")
        verbose_name_plural = _("coverage facts")
        indexes = [models.Index(fields=["period", "regency"])]


class Computation(models.Model):
    """When the facts were last recomputed, for which months, with payments known on which day."""

    first = models.DateField()
    last = models.DateField()
    as_of = models.DateField()
    computed_at = models.DateTimeField()
    seconds = models.FloatField()
    rows = models.PositiveIntegerField()

    class Meta:
        ordering = ["-computed_at"]
