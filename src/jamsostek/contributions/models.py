"""Bills, payments, fines and adjustment notes.

A bill is issued once per payer and contribution month and never edited: later corrections are
adjustment notes, payments are allocated to bills, fines for late payment are charged on a later
bill. Every amount is integer rupiah.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jamsostek.core.places import Scoping


def _payer_bills(regency: str) -> models.Q:
    """Rows of the payers billed in ``regency`` (a payer's bills all carry its regency): for each row,
    one probe of the bills' (payer, month) index, so that a page of a regency's payments newest
    first reads a few hundred payments, not the regency's hundreds of thousands of bills."""
    return models.Q(models.Exists(Bill.objects.filter(payer_key=models.OuterRef("payer_key"), regency_id=regency)))


def _employer_bills(employer: int) -> models.Q:
    return models.Q(payer_key=f"employer:{employer}")


BY_BILL = Scoping(
    regency=lambda code: models.Q(bill__regency_id=code),
    employer=lambda pk: models.Q(bill__payer_key=f"employer:{pk}"),
)


class PayerKind(models.TextChoices):
    EMPLOYER = "employer", _("employer")
    PARTICIPANT = "participant", _("participant")
    SPONSOR = "sponsor", _("sponsor program")
    PROJECT = "project", _("construction project")


class RulesVersion(models.Model):
    """The legal parameters in force for a contribution month, as the bills of that month used them."""

    period = models.DateField(_("contribution month"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    parameters = models.JSONField(_("parameters in force"))

    class Meta:
        verbose_name = _("rules version")
        verbose_name_plural = _("rules versions")
        constraints = [models.UniqueConstraint(fields=["period", "fingerprint"], name="one_rules_version")]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} {self.fingerprint[:12]}"


class BillingRun(models.Model):
    period = models.DateField(_("contribution month"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    actor_label = models.CharField(_("by"), max_length=150)
    bills = models.PositiveIntegerField(_("bills issued"), default=0)
    lines = models.PositiveIntegerField(_("lines"), default=0)

    class Meta:
        verbose_name = _("billing run")
        verbose_name_plural = _("billing runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m} ({self.started_at:%Y-%m-%d %H:%M})"


# A bill with something still owed, in SQL on a bill aliased ``b`` (each bill keeps the sums of its
# allocations and adjustment notes): what the arrears, the credit step and the status look for.
OPEN_BILL_SQL = "b.allocated < b.total + b.adjusted"


class Bill(models.Model):
    """What one payer owes for one contribution month."""

    period = models.DateField(_("contribution month"))
    payer_kind = models.CharField(_("payer kind"), max_length=12, choices=PayerKind.choices)
    payer_id = models.BigIntegerField(_("payer"))
    payer_key = models.CharField(_("payer key"), max_length=40, help_text="kind:id")
    payer_name = models.CharField(_("payer name"), max_length=200)
    # no index of its own: the (regency, period) index serves a regency's bills, and two more
    # indexes (PostgreSQL adds a pattern one) cost every billing run a million index entries a year
    regency = models.ForeignKey(
        "registry.Region", verbose_name=_("regency"), on_delete=models.PROTECT, related_name="+", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    reference = models.CharField(_("payment reference"), max_length=32)
    due_date = models.DateField(_("due date"))
    employer_amount = models.BigIntegerField(_("employer's share"), default=0)
    worker_amount = models.BigIntegerField(_("workers' share"), default=0)
    participant_amount = models.BigIntegerField(_("participants' contributions"), default=0)
    fines = models.BigIntegerField(_("late-payment fines charged"), default=0)
    total = models.BigIntegerField(_("total"))
    # Kept by the payment posting and the adjustment notes (the sums of their rows), so who is paid
    # up is one scan of the bills: paid when allocated >= total + adjusted.
    allocated = models.BigIntegerField(_("paid (allocated)"), default=0, db_default=0)
    adjusted = models.BigIntegerField(_("adjustment notes"), default=0, db_default=0)
    members = models.PositiveIntegerField(_("participants"), default=0)
    run = models.ForeignKey(BillingRun, on_delete=models.PROTECT, related_name="bill_set", db_index=False)
    created_at = models.DateTimeField(_("issued"))

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        constraints = [
            models.UniqueConstraint(fields=["payer_key", "period"], name="one_bill_per_payer_and_month"),
            models.UniqueConstraint(fields=["reference"], name="bill_reference_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    total=models.F("employer_amount")
                    + models.F("worker_amount")
                    + models.F("participant_amount")
                    + models.F("fines")
                ),
                name="bill_total_adds_up",
            ),
        ]
        # On SQLite only, migration 0003 adds ``bill_payer_months`` (payer_kind, payer_id, period,
        # due_date, total, allocated, adjusted) for the status's per-payer reads; see its docstring.
        indexes = [models.Index(fields=["regency", "period"])]

    scoping = Scoping(regency=lambda code: models.Q(regency_id=code), employer=_employer_bills)
    """A regency's bills (the payer's regency); an agency's own bills as an employer."""

    def __str__(self) -> str:
        return f"{self.reference} {self.payer_name} {self.period:%Y-%m}"


class Amounts(models.Model):
    """A participant's contributions per program and payer (a bill line, or the change a note makes)."""

    jkk = models.BigIntegerField("JKK", default=0)
    jkm = models.BigIntegerField("JKM", default=0)
    jht_employer = models.BigIntegerField(_("JHT employer"), default=0)
    jht_worker = models.BigIntegerField(_("JHT worker"), default=0)
    jht_participant = models.BigIntegerField(_("JHT participant"), default=0)
    jp_employer = models.BigIntegerField(_("JP employer"), default=0)
    jp_worker = models.BigIntegerField(_("JP worker"), default=0)
    jkk_jkm_package = models.BigIntegerField(_("PMI package"), default=0)
    employer_share = models.BigIntegerField(_("employer's share"), default=0)
    worker_share = models.BigIntegerField(_("worker's share"), default=0)
    participant_share = models.BigIntegerField(_("participant's contribution"), default=0)

    class Meta:
        abstract = True


class BillLine(Amounts):
    """One participant's contributions on a bill, per program and payer, with the inputs used."""

    # indexed by the unique (bill, membership) constraint below, whose first column it is
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="lines", db_index=False)
    # Memberships are never deleted and lines are written only by the billing run, which takes
    # them from the membership table: no per-row database trigger for these two keys (a monthly
    # run writes a million lines; see docs/performance.md). The bill key keeps its constraint.
    membership = models.ForeignKey(
        "registry.Membership", on_delete=models.PROTECT, related_name="bill_lines", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    segment = models.CharField(_("segment"), max_length=5)
    wage = models.BigIntegerField(_("wage or declared income used"), default=0)
    fixed_allowances = models.BigIntegerField(_("fixed allowances used"), default=0)
    risk_class = models.PositiveSmallIntegerField(_("risk class used"), null=True)
    total = models.BigIntegerField(_("total"))
    rules = models.ForeignKey(
        RulesVersion, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )

    class Meta:
        verbose_name = _("bill line")
        verbose_name_plural = _("bill lines")
        # Bill first: a billing run's lines all go to new bills, so they are appended at the end of
        # this index; led by the membership, a million lines a month went in at random places of a
        # growing index (on PostgreSQL with a year of lines: 2 to 3 s more per run, and 1,058 MB of
        # WAL instead of 703 MB).
        # A membership's line of a month is found through its payer's bill (a membership's payer
        # never changes).
        constraints = [
            models.UniqueConstraint(fields=["bill", "membership"], name="one_line_per_bill_and_member"),
        ]


class AdjustmentNote(Amounts):
    """A correction to a billed month (a late wage report, a back-dated end): never an edited bill."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="adjustments")
    membership = models.ForeignKey("registry.Membership", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    wage = models.BigIntegerField(_("wage used now"), default=0)
    total = models.BigIntegerField(_("change"), help_text=_("negative: a credit to the payer"))
    actor_label = models.CharField(_("by"), max_length=150)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        verbose_name = _("adjustment note")
        verbose_name_plural = _("adjustment notes")

    scoping = BY_BILL


class Payment(models.Model):
    """Money received from a payer, by bank transfer or at a counter."""

    transaction_reference = models.CharField(_("bank transaction reference"), max_length=64)
    payment_reference = models.CharField(_("payment reference given"), max_length=32)
    payer_key = models.CharField(_("payer key"), max_length=40)
    amount = models.BigIntegerField(_("amount"))
    paid_on = models.DateField(_("paid on"))
    source = models.CharField(_("source"), max_length=100)
    actor_label = models.CharField(_("recorded by"), max_length=150)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # the sum of the payment's allocations, kept with them (``payments.add_allocated``): what is
    # left is the payer's credit, found through the ``payment_with_credit`` index by every billing
    # run instead of summing a province's millions of allocations
    allocated = models.BigIntegerField(_("allocated to bills"), default=0, db_default=0)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(fields=["transaction_reference"], name="payment_posted_once"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive"),
        ]
        indexes = [
            models.Index(fields=["payer_key", "paid_on"]),
            models.Index(
                fields=["payer_key"], condition=models.Q(amount__gt=models.F("allocated")), name="payment_with_credit"
            ),
        ]

    scoping = Scoping(regency=_payer_bills, employer=_employer_bills)

    def __str__(self) -> str:
        return f"{self.transaction_reference} {self.amount:,} on {self.paid_on}"


class Allocation(models.Model):
    """Part of a payment applied to a bill. What is not allocated is the payer's credit."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="allocations")
    amount = models.BigIntegerField(_("amount"))
    applied_on = models.DateField(_("applied on"))

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_positive")]


class Fine(models.Model):
    """The late-payment fine of a bill paid after its due date, charged on the payer's next bill."""

    bill = models.OneToOneField(Bill, on_delete=models.PROTECT, related_name="fine")
    months_late = models.PositiveSmallIntegerField(_("months late"))
    amount = models.BigIntegerField(_("amount"))
    paid_in_full_on = models.DateField(_("paid in full on"))
    charged_on = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="fines_charged", null=True, blank=True)
    explanation = models.TextField(_("explanation"))

    class Meta:
        verbose_name = _("late-payment fine")
        verbose_name_plural = _("late-payment fines")

    scoping = BY_BILL
