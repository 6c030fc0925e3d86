"""Funding of sponsor programs, candidate lists and their checked rows, drives and their members.

A list's rows and a drive's members are written once (a list is re-imported as a new list; a drive
is renewed as a new drive); what happens to a drive is its status, with who took each step and
when, and the audit records of every step (``core.AuditRecord``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jamsostek.core.places import Place, Scoping
from jamsostek.registry.models import Employer, Region, SponsorProgram


def _in_regency(relation: str, employer: str | None) -> Scoping:
    """A regency's rows are those whose ``relation`` (a region) is the regency or one of its
    districts; an agency's or village's are those it owns (``employer``)."""
    return Scoping(
        regency=lambda code: (
            models.Q(**{f"{relation}__code": code}) | models.Q(**{f"{relation}__code__startswith": code + "."})
        ),
        employer=(lambda pk: models.Q(**{employer: pk})) if employer else None,
    )


class FundingSource(models.TextChoices):
    PROVINCE_APBD = "province_apbd", _("provincial budget (APBD Provinsi)")
    REGENCY_APBD = "regency_apbd", _("regency or city budget (APBD Kabupaten/Kota)")
    APBDES = "apbdes", _("village budget, own revenue (APBDes)")
    DANA_DESA = "dana_desa", _("village fund (Dana Desa)")
    ADD = "add", _("village fund allocation (ADD)")
    DBH_SAWIT = "dbh_sawit", _("palm-oil revenue-sharing fund (DBH Sawit)")
    CSR = "csr", _("company CSR (TSLP)")
    OTHER = "other", _("other lawful source")


class Category(models.TextChoices):
    """Who a candidate is, for the question of who may pay for them."""

    VULNERABLE = "vulnerable", _("vulnerable or poor worker")
    RELIGIOUS_SOCIAL = "religious_social", _("religious or social worker")
    PLANTATION = "plantation", _("plantation worker or smallholder")
    NON_ASN = "non_asn", _("non-ASN government staff")
    VILLAGE_OFFICIAL = "village_official", _("village head or official")
    BPD_LKD = "bpd_lkd", _("BPD or LKD member")
    RT_RW = "rt_rw", _("RT or RW head")
    ELECTION_WORKER = "election_worker", _("election worker (PPK, PPS, KPPS, Linmas)")
    OTHER = "other", _("other")


class ListSource(models.TextChoices):
    DTKS = "dtks", _("DTKS extract")
    REGSOSEK = "regsosek", _("Regsosek extract")
    VILLAGE_LIST = "village_list", _("village list of vulnerable workers")
    NON_ASN_ROSTER = "non_asn_roster", _("agency roster of non-ASN staff")
    VILLAGE_ROSTER = "village_roster", _("roster of village officials, BPD, LKD and RT/RW heads")
    ELECTION_ROSTER = "election_roster", _("roster of election workers")
    OTHER = "other", _("other list")


class InstrumentKind(models.TextChoices):
    PERGUB = "pergub", _("governor regulation (Pergub)")
    KEPGUB = "kepgub", _("governor decree (Kepgub)")
    PERBUP = "perbup", _("regent or mayor regulation (Perbup/Perwal)")
    KEPBUP = "kepbup", _("regent or mayor decree (Kepbup/Kepwal)")
    PERDES = "perdes", _("village regulation (Perdes APBDes)")
    DPA = "dpa", _("budget implementation document (DPA)")
    MOU = "mou", _("memorandum or cooperation agreement (MoU/PKS)")
    OTHER = "other", _("other instrument")


class Funding(models.Model):
    """How a sponsor program is funded and authorised, and who prepares and approves its drives.

    The package (which programs, how many months) is the program's own: JKK and JKM, with JHT when
    the program pays it, at the program's declared income, for its months inside the fiscal year."""

    program = models.OneToOneField(
        SponsorProgram, verbose_name=_("sponsor program"), on_delete=models.PROTECT, related_name="funding"
    )
    source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    budget_ceiling = models.BigIntegerField(_("budget ceiling (Rp)"))
    owner = models.ForeignKey(
        Employer,
        verbose_name=_("agency or village holding the budget"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    instrument_kind = models.CharField(_("instrument"), max_length=10, choices=InstrumentKind.choices)
    instrument_number = models.CharField(_("instrument number"), max_length=120)
    instrument_date = models.DateField(_("instrument date"))
    prepare_levels = models.JSONField(_("prepared at"), default=list)
    approve_levels = models.JSONField(_("approved at"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("program funding")
        verbose_name_plural = _("program fundings")
        constraints = [
            models.CheckConstraint(condition=models.Q(budget_ceiling__gte=0), name="drives_funding_ceiling_positive")
        ]

    scoping = _in_regency("program__region", "owner_id")

    def __str__(self) -> str:
        return f"{self.program.code} ({self.get_source_display()}, {self.fiscal_year})"

    @property
    def place(self) -> Place:
        return Place(region=self.program.region_id, employer=self.owner_id)


class CandidateList(models.Model):
    """A list of names as received (a DTKS extract, a village's list, an agency's roster), checked."""

    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=20, choices=ListSource.choices)
    source_date = models.DateField(_("date of the list"))
    region = models.ForeignKey(
        Region, verbose_name=_("region the list covers"), on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        Employer,
        verbose_name=_("agency or village whose list it is"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    default_category = models.CharField(_("category of its rows"), max_length=20, choices=Category.choices)
    file_name = models.CharField(_("file"), max_length=200)
    checked_on = models.DateField(_("checked on"))
    rows = models.PositiveIntegerField(_("rows"), default=0)
    usable = models.PositiveIntegerField(_("usable rows"), default=0)
    rejected = models.PositiveIntegerField(_("rejected rows"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_by_label = models.CharField(_("imported by"), max_length=150)
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    batch = models.CharField(max_length=32, editable=False)

    class Meta:
        verbose_name = _("candidate list")
        verbose_name_plural = _("candidate lists")

    scoping = _in_regency("region", "owner_id")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_source_display()}, {self.source_date})"

    @property
    def place(self) -> Place:
        return Place(region=self.region_id, employer=self.owner_id)


class CandidateStatus(models.TextChoices):
    USABLE = "usable", _("usable")
    REJECTED = "rejected", _("rejected")


class Match(models.TextChoices):
    """What the registry says of a usable candidate on the day the list was checked."""

    NEW = "new", _("not in the registry")
    REGISTERED = "registered", _("registered, never a member")
    PROTECTED = "protected", _("already protected")
    LAPSED = "lapsed", _("protected before, lapsed")


class Candidate(models.Model):
    """One row of a list: its values as cleaned, and either the reason it was rejected (a code and
    its detail, worded in the reader's language when shown) or what the registry said of it."""

    list = models.ForeignKey(CandidateList, on_delete=models.PROTECT, related_name="candidates", db_index=False)
    row = models.PositiveIntegerField(_("row"))
    nik = models.CharField(_("NIK"), max_length=1000)
    name = models.CharField(_("name"), max_length=1000)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    district = models.CharField(_("district"), max_length=13, blank=True)
    regency = models.CharField(_("regency"), max_length=5, blank=True)
    village = models.CharField(_("village"), max_length=1000, blank=True)
    category = models.CharField(_("category"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=CandidateStatus.choices)
    field = models.CharField(_("field"), max_length=40, blank=True)
    problem = models.CharField(_("problem"), max_length=40, blank=True)
    detail = models.CharField(_("detail"), max_length=1000, blank=True)
    match = models.CharField(_("registry"), max_length=10, choices=Match.choices, blank=True)
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    protected_segment = models.CharField(_("protected in segment"), max_length=5, blank=True)
    protected_payer = models.CharField(_("paid by"), max_length=12, blank=True)
    protected_by = models.CharField(_("protected by"), max_length=200, blank=True)
    protected_regency = models.CharField(max_length=5, blank=True)
    last_end = models.DateField(_("last membership ended"), null=True, blank=True)
    in_other_lists = models.PositiveIntegerField(_("in other lists"), default=0)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        indexes = [models.Index(fields=["list", "row"]), models.Index(fields=["nik"])]

    scoping = _in_regency("list__region", "list__owner_id")

    def __str__(self) -> str:
        return f"{self.list_id}:{self.row}"


class DriveStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("awaiting approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    ENROLLED = "enrolled", _("enrolled")


class Drive(models.Model):
    """A sponsor program's drive: a frozen set of people, its exact cost, its approval and enrolment."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    program = models.ForeignKey(
        SponsorProgram, verbose_name=_("sponsor program"), on_delete=models.PROTECT, related_name="+"
    )
    funding = models.ForeignKey(Funding, verbose_name=_("funding"), on_delete=models.PROTECT, related_name="drives")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    first_month = models.DateField(_("first month"))
    months = models.PositiveSmallIntegerField(_("months"))
    quotas = models.JSONField(_("quotas per district or village"), default=dict, blank=True)
    excluded = models.JSONField(_("candidates left out, by reason"), default=dict, blank=True)
    members_count = models.PositiveIntegerField(_("members"), default=0)
    cost = models.BigIntegerField(_("cost for the fiscal year (Rp)"), default=0)
    cost_notes = models.JSONField(_("notes on the cost"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=DriveStatus.choices)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prepared_by_label = models.CharField(_("prepared by"), max_length=150)
    prepared_at = models.DateTimeField(_("prepared"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by_label = models.CharField(_("approved or rejected by"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("approved or rejected"), null=True, blank=True)
    decision_note = models.TextField(_("note of the decision"), blank=True)
    enrolled_by_label = models.CharField(_("enrolled by"), max_length=150, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled"), null=True, blank=True)
    enrolled_from = models.DateField(_("protected from"), null=True, blank=True)
    renewal_of = models.ForeignKey(
        "self", verbose_name=_("renews"), null=True, blank=True, on_delete=models.PROTECT, related_name="renewals"
    )

    class Meta:
        verbose_name = _("enrolment drive")
        verbose_name_plural = _("enrolment drives")
        indexes = [models.Index(fields=["fiscal_year", "status"])]

    scoping = _in_regency("program__region", "funding__owner_id")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def place(self) -> Place:
        return Place(region=self.program.region_id, employer=self.funding.owner_id)


class MemberStatus(models.TextChoices):
    CHOSEN = "chosen", _("chosen")
    ENROLLED = "enrolled", _("enrolled")
    SKIPPED = "skipped", _("not enrolled")


class DriveMember(models.Model):
    """One person of a drive as frozen when it was prepared (or renewed), and what enrolment did."""

    drive = models.ForeignKey(Drive, on_delete=models.PROTECT, related_name="members")
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    nik = models.CharField(_("NIK"), max_length=16)
    name = models.CharField(_("name"), max_length=150)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1)
    district = models.CharField(_("district"), max_length=13)
    regency = models.CharField(_("regency"), max_length=5)
    village = models.CharField(_("village"), max_length=1000, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    cost = models.BigIntegerField(_("cost (Rp)"))
    status = models.CharField(_("status"), max_length=10, choices=MemberStatus.choices)
    skip_reason = models.CharField(_("why not enrolled"), max_length=40, blank=True)
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    membership = models.ForeignKey(
        "registry.Membership",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("drive member")
        verbose_name_plural = _("drive members")
        indexes = [models.Index(fields=["nik"])]

    scoping = _in_regency("drive__program__region", "drive__funding__owner_id")

    def __str__(self) -> str:
        return f"{self.drive_id}:{self.nik}"
