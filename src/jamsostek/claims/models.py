"""Claims: from an event (a death, an accident, a job loss, retirement) to benefits paid.

A claim is taken in (``submitted``) with the program's document checklist, its documents arrive
(``documents_complete``), an officer verifies them (``verified``), another decides from the rules
package (``approved`` or ``rejected``), and payments are recorded (``paid``). Historical claims
imported from a BPJS branch arrive paid. History is rows: a decision is never changed (a
correction is a new decision that names the one it corrects), payments are rows, every step is
an audit record. Writes go through ``services`` only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jamsostek.core.places import Place, by_fields


class Program(models.TextChoices):
    JKK = "jkk", "JKK"
    JKM = "jkm", "JKM"
    JHT = "jht", "JHT"
    JP = "jp", "JP"
    JKP = "jkp", "JKP"
    SCHOLARSHIP = "scholarship", _("scholarship")


class Origin(models.TextChoices):
    INTAKE = "intake", _("taken in here")
    IMPORT = "import", _("imported (historical)")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    COMPLETE = "documents_complete", _("documents complete")
    VERIFIED = "verified", _("verified")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    PAID = "paid", _("paid")


OPEN_STATES = (State.SUBMITTED, State.COMPLETE, State.VERIFIED, State.APPROVED)
"""States in which a claim still waits for someone (a rejected or paid claim is done)."""
DECIDED_STATES = (State.APPROVED, State.REJECTED, State.PAID)


class EventKind(models.TextChoices):
    """What happened, in the rules package's words (``reason`` of JHT and JKP, ``event`` of JKK and JP)."""

    DEATH = "death", _("death")
    TEMPORARY_INCAPACITY = "temporary_incapacity", _("temporary incapacity to work")
    TOTAL_DISABILITY = "total_disability", _("total permanent disability")
    PARTIAL_DISABILITY = "partial_disability", _("partial permanent disability")
    COSTS = "costs", _("costs of care only")
    AGE = "age", _("retirement age reached")
    OLD_AGE = "old_age", _("pension age reached")
    RESIGNATION = "resignation", _("resignation")
    TERMINATION = "termination", _("termination of employment (PHK)")
    CONTRACT_END = "contract_end", _("end of a fixed-term contract, or a BPU worker stopping work")
    LEAVING_INDONESIA = "leaving_indonesia", _("leaving Indonesia for good")
    RETIREMENT = "retirement", _("retirement")


EVENT_KINDS: dict[str, tuple[str, ...]] = {
    Program.JKK: ("temporary_incapacity", "death", "total_disability", "partial_disability", "costs"),
    Program.JKM: ("death",),
    Program.JHT: ("age", "contract_end", "resignation", "termination", "leaving_indonesia", "total_disability",
                  "death"),
    Program.JP: ("old_age", "death"),
    Program.JKP: ("termination", "resignation", "retirement", "total_disability", "death"),
    Program.SCHOLARSHIP: ("death", "total_disability"),
}  # fmt: skip
"""The events each program is claimed for (the rules decide which of them pay)."""


class Cause(models.TextChoices):
    WORK_ACCIDENT = "work_accident", _("accident at work")
    ROAD_ACCIDENT = "road_accident", _("road accident on the way to or from work or on duty")
    OCCUPATIONAL_DISEASE = "occupational_disease", _("occupational disease")
    ILLNESS = "illness", _("illness or natural cause (not work)")
    OTHER = "other", _("other cause (not work)")


WORK_CAUSES = (Cause.WORK_ACCIDENT, Cause.ROAD_ACCIDENT, Cause.OCCUPATIONAL_DISEASE)

PROTECTION_LABELS = {
    "protected": _("protected"),
    "unpaid": _("not protected: contributions unpaid"),
    "lapsed": _("not protected: the membership lapsed"),
    "not billed": _("not protected: not billed"),
    "no membership": _("no membership on that date"),
}
"""The protection on the event date, as the contributions' status names it, in words."""
RELATION_LABELS = {
    "participant": _("the participant"), "spouse": _("widow or widower"), "child": _("child"),
    "parent": _("parent"), "grandchild": _("grandchild"), "grandparent": _("grandparent"), "sibling": _("sibling"),
    "parent_in_law": _("parent-in-law"), "named_in_will": _("named in the will"),
}  # fmt: skip
PAYMENT_LABELS = {
    "lump_sum": _("lump sum"), "pension": _("pension, the month"), "scholarship": _("scholarship, the school year"),
    "historical": _("paid before the system (imported)"),
}  # fmt: skip
DEADLINE_LABELS = {
    "jkk_report": _("accident report (2x24 hours)"),
    "jkp_claim": _("claim after the termination"),
    "jkk_claim": _("claim before the right lapses"),
    "payment": _("payment"),
}


class Claim(models.Model):
    number = models.CharField(_("claim number"), max_length=40)
    origin = models.CharField(_("origin"), max_length=6, choices=Origin.choices, default=Origin.INTAKE)
    program = models.CharField(_("program"), max_length=11, choices=Program.choices)
    state = models.CharField(_("state"), max_length=18, choices=State.choices, default=State.SUBMITTED)
    # the participant: a registered person (an imported claim may name one the registry does not know)
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("participant"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="claims",
    )  # fmt: skip
    nik = models.CharField(_("participant's NIK"), max_length=16)
    kpj = models.CharField(_("KPJ number"), max_length=11, blank=True, default="")
    # the membership the claim falls under, and what it says (kept: the membership may end later)
    membership = models.ForeignKey(
        "registry.Membership", verbose_name=_("membership"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="claims", db_index=False,
    )  # fmt: skip
    segment = models.CharField(_("segment"), max_length=5, blank=True, default="")
    payer = models.CharField(_("payer"), max_length=12, blank=True, default="")
    sponsor = models.ForeignKey(
        "registry.SponsorProgram", verbose_name=_("sponsor program"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="claims", db_index=False,  # the statistics read the payments
    )  # fmt: skip
    employer = models.ForeignKey(
        "registry.Employer", verbose_name=_("employer"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="claims",
    )  # fmt: skip
    regency = models.ForeignKey(
        "registry.Region", verbose_name=_("regency"), on_delete=models.PROTECT, related_name="+",
        db_constraint=False, db_index=False,  # reference data, checked by the services and the import
    )  # fmt: skip
    protection = models.CharField(
        _("protection on the event date"), max_length=20, blank=True, default="",
        help_text=_("As the contributions showed when the claim was taken in."),
    )  # fmt: skip
    # the event
    event_date = models.DateField(_("event date"))
    event_kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices, blank=True, default="")
    cause = models.CharField(_("cause"), max_length=20, choices=Cause.choices, blank=True, default="")
    event_description = models.TextField(_("what happened"), blank=True, default="")
    event_place = models.CharField(_("where it happened"), max_length=200, blank=True, default="")
    # who claims
    claimant_nik = models.CharField(_("claimant's NIK"), max_length=16, blank=True, default="")
    claimant_name = models.CharField(_("claimant"), max_length=150, blank=True, default="")
    claimant_relation = models.CharField(_("claimant's relation"), max_length=20, blank=True, default="")
    relatives = models.JSONField(
        _("relatives and children"), default=list, blank=True,
        help_text=_("The heirs and children declared by the claimant (for death benefits and scholarships)."),
    )  # fmt: skip
    facts = models.JSONField(
        _("facts for the decision"), default=dict, blank=True,
        help_text=_("What the claim states for the rules: months of incapacity, costs, the JHT balance..."),
    )  # fmt: skip
    # the workflow's dates
    submitted_on = models.DateField(_("submitted on"))
    complete_on = models.DateField(_("documents complete on"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", db_index=False,
    )  # fmt: skip
    verified_by_label = models.CharField(_("verified by (as recorded)"), max_length=150, blank=True, default="")
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    paid_on = models.DateField(_("first paid on"), null=True, blank=True)
    due_on = models.DateField(
        _("next deadline"), null=True, blank=True, help_text=_("The earliest service level still running.")
    )
    due_what = models.CharField(_("deadline for"), max_length=20, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.UniqueConstraint(fields=["number"], name="claim_number_unique"),
            # one claim per event: the same participant, program, event and day (imports are keyed by number)
            models.UniqueConstraint(
                fields=["person", "program", "event_kind", "event_date"], condition=models.Q(origin="intake"),
                name="one_claim_per_event",
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["regency", "state"], name="claim_regency_state"),
            # the overdue list reads the open claims only: the paid and imported ones stay out of it
            models.Index(fields=["due_on"], name="claim_open_due", condition=models.Q(state__in=OPEN_STATES)),
        ]

    scoping = by_fields("regency_id", "employer_id")
    """A regency's claims are those of the participants counted there (the membership's regency, else
    the person's); an agency's are its staff's (the membership's employer)."""

    def __str__(self) -> str:
        return f"{self.number} ({self.get_program_display()})"

    @property
    def place(self) -> Place:
        return Place(region=self.regency_id, employer=self.employer_id)

    @property
    def decided(self) -> bool:
        return self.state in DECIDED_STATES

    @property
    def protection_label(self) -> str:
        return str(PROTECTION_LABELS.get(self.protection, self.protection))

    @property
    def claimant_relation_label(self) -> str:
        return str(RELATION_LABELS.get(self.claimant_relation, self.claimant_relation))

    @property
    def due_label(self) -> str:
        return str(DEADLINE_LABELS.get(self.due_what, self.due_what))


BY_CLAIM = by_fields("claim__regency_id", "claim__employer_id")
"""Documents, decisions and payments are seen by whoever sees their claim."""


class DocumentState(models.TextChoices):
    MISSING = "missing", _("missing")
    RECEIVED = "received", _("received")
    VERIFIED = "verified", _("verified")


class ClaimDocument(models.Model):
    """One item of the claim's checklist, with the file received for it (stored outside the web
    root, under the data directory, and served only through the access check)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=40)
    required = models.BooleanField(_("required"), default=True)
    state = models.CharField(_("state"), max_length=10, choices=DocumentState.choices, default=DocumentState.MISSING)
    file = models.CharField(_("stored file"), max_length=200, blank=True, default="", help_text="under DATA_DIR")
    original_name = models.CharField(_("file name"), max_length=200, blank=True, default="")
    content_type = models.CharField(_("type"), max_length=40, blank=True, default="")
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_by_label = models.CharField(_("received by"), max_length=150, blank=True, default="")
    verified_by_label = models.CharField(_("verified by"), max_length=150, blank=True, default="")
    note = models.CharField(_("note"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("claim document")
        verbose_name_plural = _("claim documents")
        constraints = [models.UniqueConstraint(fields=["claim", "kind"], name="one_document_per_kind")]
        ordering = ["claim", "id"]

    scoping = BY_CLAIM

    def __str__(self) -> str:
        return f"{self.claim.number}: {self.kind}"


class Outcome(models.TextChoices):
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class ClaimDecision(models.Model):
    """A decision, as the rules package gave it on the day: inputs, eligibility and reason, the
    amount line by line with citations, the heirs, and the parameter values in force. Never
    changed: a correction is a new decision (``corrects``)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="decisions")
    sequence = models.PositiveSmallIntegerField(_("decision number"))
    corrects = models.OneToOneField(
        "self", verbose_name=_("corrects"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="corrected_by",
    )  # fmt: skip
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    eligible = models.BooleanField(_("eligible under the rules"))
    code = models.CharField(_("reason code"), max_length=40)
    reason = models.TextField(_("reason"))
    legal_basis = models.TextField(_("legal basis"), blank=True, default="")
    total = models.BigIntegerField(_("amount"))
    lines = models.JSONField(_("amount line by line"), default=list)
    heirs = models.JSONField(_("heirs"), null=True, blank=True)
    inputs = models.JSONField(_("inputs"), default=dict)
    parameters = models.JSONField(_("parameter values in force"), default=dict)
    warnings = models.JSONField(_("warnings"), default=list)
    confirmed = models.BooleanField(_("every value confirmed"))
    note = models.TextField(_("officer's note"), blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    decided_by_label = models.CharField(_("decided by (as recorded)"), max_length=150)
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [models.UniqueConstraint(fields=["claim", "sequence"], name="decision_sequence_unique")]
        ordering = ["claim", "sequence"]

    scoping = BY_CLAIM

    def __str__(self) -> str:
        return f"{self.claim.number} #{self.sequence}: {self.get_outcome_display()}"


class PaymentState(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    PAID = "paid", _("paid")
    CANCELLED = "cancelled", _("cancelled (decision corrected)")


class ClaimPayment(models.Model):
    """A payment of a decided claim: a lump sum, or one of a schedule (a month of pension, a school
    year of scholarship). Imported claims have one, paid.

    A payment keeps what the statistics count it by (the claim's program, regency, segment, payer and
    sponsor program, as they were when it was scheduled): the statistics of a year read the year's
    payments alone, without joining half a million claims."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="payments", db_index=False)
    decision = models.ForeignKey(
        ClaimDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="payments", db_index=False
    )
    sequence = models.PositiveSmallIntegerField(_("payment number"))
    what = models.CharField(_("what"), max_length=120, blank=True, default="")
    due_on = models.DateField(_("due on"))
    amount = models.BigIntegerField(_("amount"))
    state = models.CharField(_("state"), max_length=10, choices=PaymentState.choices, default=PaymentState.SCHEDULED)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=60, blank=True, default="")
    recorded_by_label = models.CharField(_("recorded by"), max_length=150, blank=True, default="")
    program = models.CharField(_("program"), max_length=11, choices=Program.choices)
    regency = models.ForeignKey(
        "registry.Region", verbose_name=_("regency"), on_delete=models.PROTECT, related_name="+",
        db_constraint=False, db_index=False,
    )  # fmt: skip
    segment = models.CharField(_("segment"), max_length=5, blank=True, default="")
    payer = models.CharField(_("payer"), max_length=12, blank=True, default="")
    sponsor = models.ForeignKey(
        "registry.SponsorProgram", verbose_name=_("sponsor program"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False,
    )  # fmt: skip

    class Meta:
        verbose_name = _("claim payment")
        verbose_name_plural = _("claim payments")
        constraints = [
            models.UniqueConstraint(fields=["claim", "sequence"], name="payment_sequence_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="payment_amount_positive"),
        ]
        indexes = [models.Index(fields=["paid_on"], name="claim_payment_paid_on")]
        ordering = ["claim", "sequence"]

    scoping = BY_CLAIM

    def __str__(self) -> str:
        return f"{self.claim.number} #{self.sequence}"

    @property
    def what_label(self) -> str:
        """What the payment is for, in words: ``what`` is a kind (``lump_sum``, ``historical``) or a kind
        and its period (``pension:2026-05``, ``scholarship:2026/2027``)."""
        kind, _colon, period = self.what.partition(":")
        words = PAYMENT_LABELS.get(kind)
        return f"{words} {period}".strip() if words else self.what
