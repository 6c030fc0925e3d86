"""The registry: regions, persons (by NIK), employers, sponsor programs, projects, memberships.

History is rows, not overwrites: memberships are date-bounded, reported wages are dated rows,
status changes are append-only events. Writes go through ``services.py`` only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jamsostek.core.places import Place, Scoping, by_fields


def _in_regency(relation: str) -> Scoping:
    """Rows whose ``relation`` is a region: a regency's rows are its own and its districts'."""
    return Scoping(
        regency=lambda code: (
            models.Q(**{f"{relation}__code": code}) | models.Q(**{f"{relation}__code__startswith": code + "."})
        ),
        employer=None,
    )


class Region(models.Model):
    """The province, its 14 regencies/cities and 174 districts, keyed by the Kemendagri code."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        REGENCY = "regency", _("regency or city")
        DISTRICT = "district", _("district")

    code = models.CharField(_("Kemendagri code"), max_length=13, primary_key=True)
    bps_code = models.CharField(_("BPS code"), max_length=10, blank=True, default="")
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("type"), max_length=20, blank=True, default="", help_text="kabupaten / kota")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    population = models.IntegerField(_("population (Dukcapil, Dec 2024)"), null=True, blank=True)
    villages = models.IntegerField(_("villages (desa)"), null=True, blank=True)
    urban_villages = models.IntegerField(_("urban villages (kelurahan)"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)
    label_point = models.JSONField(_("label point [lng, lat]"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True, default="")

    #: The map's fields (a regency's boundary is 6.5 KB of GeoJSON on average): lists that join a
    #: region to each row leave them out (``registry.selectors.without_maps``).
    MAP_FIELDS = ("boundary", "label_point")

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def regency_code(self) -> str | None:
        """The regency this region is in (itself for a regency), None for the province."""
        return self.code[:5] if len(self.code) >= 5 else None


class Person(models.Model):
    class Sex(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    nik = models.CharField(_("NIK"), max_length=16)
    name = models.CharField(_("name"), max_length=150)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    # Region codes are reference data (loaded by migration, never deleted) and every service and
    # import checks them against the Region table; the person table holds a million rows, so these
    # two keys carry no database constraint or trigger (see docs/performance.md).
    region = models.ForeignKey(
        Region,
        verbose_name=_("address (district)"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    regency = models.ForeignKey(
        Region,
        verbose_name=_("regency"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
        help_text=_("Derived from the address district; kept for scoping and aggregation."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, default="")
    kpj = models.CharField(_("KPJ number"), max_length=11, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        # Constraints and plain indexes rather than unique=True / db_index=True: on PostgreSQL those
        # add a second, pattern-matching index to every text key, which bulk imports pay for.
        constraints = [
            models.UniqueConstraint(fields=["nik"], name="person_nik_unique"),
            models.UniqueConstraint(fields=["kpj"], condition=models.Q(kpj__isnull=False), name="person_kpj_unique"),
        ]
        # (regency, id): a regency's persons in id order, as the API pages them (a regency's persons may sit
        # anywhere in the id order: by regency alone, the last regency's first page walked the whole table)
        indexes = [models.Index(fields=["name", "birth_date"]), models.Index(fields=["regency", "id"])]

    scoping = by_fields("regency_id", "memberships__employer_id", distinct=True)
    """A regency's persons live there; an agency's are its staff (a membership with it, past or present)."""

    def __str__(self) -> str:
        return self.name

    @property
    def place(self) -> Place:
        """For changes: where the person lives (an agency administrator changes memberships, not persons)."""
        return Place(region=self.region_id)


class Employer(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("company")
        AGENCY = "agency", _("government agency (OPD)")
        VILLAGE = "village", _("village government")
        CONTRACTOR = "contractor", _("construction contractor")

    class Size(models.TextChoices):
        MICRO = "micro", _("micro")
        SMALL = "small", _("small")
        MEDIUM = "medium", _("medium")
        LARGE = "large", _("large")

    npp = models.CharField(_("NPP (registration number)"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COMPANY)
    kbli = models.CharField(_("KBLI (business sector)"), max_length=5, blank=True, default="")
    risk_class = models.PositiveSmallIntegerField(_("JKK risk class"))
    size_class = models.CharField(_("size"), max_length=6, choices=Size.choices)
    labour_intensive = models.BooleanField(
        _("labour-intensive industry"),
        default=False,
        db_default=False,
        help_text=_("Eligible for the PP 7/2025 JKK discount (food, textiles, leather, footwear, toys, furniture; "
                    "at least 50 active workers)."),
    )  # fmt: skip
    state_body = models.BooleanField(
        _("state body"),
        default=False,
        db_default=False,
        help_text=_("A state body (penyelenggara negara: a government agency paying for its non-ASN staff) is not "
                    "fined for late payment. Agencies are marked when registered; whether a village government "
                    "counts is not confirmed: mark it here when it does."),
    )  # fmt: skip
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    regency = models.ForeignKey(Region, verbose_name=_("regency"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.CheckConstraint(condition=models.Q(risk_class__gte=1, risk_class__lte=5), name="risk_class_1_5")
        ]
        # The kept arrears ask for the employers' latest change on every page (a scan of the
        # province's 23,000 employers took 3.8 ms of a 9 ms answer).
        indexes = [models.Index(fields=["updated_at"], name="employer_updated_at")]

    scoping = by_fields("regency_id", "pk")

    def __str__(self) -> str:
        return f"{self.npp} {self.name}"

    @property
    def place(self) -> Place:
        return Place(region=self.region_id, employer=self.pk)

    @property
    def jp_required(self) -> bool:
        """JP is required for medium and large enterprises (PP 6/2025 art. 4(3) as amended)."""
        return self.size_class in (self.Size.MEDIUM, self.Size.LARGE)


class SponsorProgram(models.Model):
    """A budget that pays contributions for a cohort (APBD, APBDes, CSR), with its quota."""

    class Kind(models.TextChoices):
        PROVINCE_BUDGET = "province_budget", _("province budget (APBD)")
        REGENCY_BUDGET = "regency_budget", _("regency budget (APBD)")
        VILLAGE_BUDGET = "village_budget", _("village budget (APBDes)")
        CSR = "csr", _("company CSR")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("funding government's region"), on_delete=models.PROTECT, related_name="+"
    )
    budget_line = models.CharField(_("budget line"), max_length=200, blank=True, default="")
    year = models.PositiveSmallIntegerField(_("budget year"))
    quota = models.PositiveIntegerField(_("quota (persons)"))
    with_jht = models.BooleanField(_("pays JHT too"), default=False)
    income_nominal = models.BigIntegerField(_("declared income used"), default=1_000_000)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))

    class Meta:
        verbose_name = _("sponsor program")
        verbose_name_plural = _("sponsor programs")
        constraints = [
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="sponsor_dates")
        ]

    scoping = _in_regency("region")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def place(self) -> Place:
        """The funding government's region (the province's own programs: only province-wide staff)."""
        return Place(region=self.region_id)


class Project(models.Model):
    """A construction project (Jakon) whose contractor enrols its workers."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    employer = models.ForeignKey(
        Employer, verbose_name=_("contractor"), on_delete=models.PROTECT, related_name="projects"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    contract_value = models.BigIntegerField(_("contract value excluding VAT"))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))

    class Meta:
        verbose_name = _("construction project")
        verbose_name_plural = _("construction projects")

    scoping = Scoping(
        regency=lambda code: models.Q(region__code=code) | models.Q(region__code__startswith=code + "."),
        employer=lambda pk: models.Q(employer_id=pk),
    )

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def place(self) -> Place:
        return Place(region=self.region_id, employer=self.employer_id)


class Segment(models.TextChoices):
    PU = "pu", _("PU (wage earner)")
    BPU = "bpu", _("BPU (informal worker)")
    JAKON = "jakon", _("Jakon (construction)")
    PMI = "pmi", _("PMI (migrant worker)")


class Payer(models.TextChoices):
    EMPLOYER = "employer", _("employer")
    PARTICIPANT = "participant", _("the participant")
    SPONSOR = "sponsor", _("sponsor program")


class Membership(models.Model):
    """A person's participation in one segment, from a start date to an end date (open: null)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    segment = models.CharField(_("segment"), max_length=5, choices=Segment.choices)
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        db_index=False,  # few Jakon memberships: not worth an index on every insert
    )
    sponsor = models.ForeignKey(
        SponsorProgram,
        verbose_name=_("sponsor program"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    payer = models.CharField(_("payer"), max_length=12, choices=Payer.choices)
    regency = models.ForeignKey(
        Region,
        verbose_name=_("regency"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # covered by the (regency, segment) index
        db_constraint=False,  # reference data, checked by services and imports (see Person.region)
        help_text=_("Where the participant is counted: the employer's regency, else the person's."),
    )
    jkk = models.BooleanField("JKK", default=True)
    jkm = models.BooleanField("JKM", default=True)
    jht = models.BooleanField("JHT", default=False)
    jp = models.BooleanField("JP", default=False)
    jkp = models.BooleanField("JKP", default=False)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    contract_months = models.PositiveSmallIntegerField(_("PMI contract months"), null=True, blank=True)
    pre_departure = models.BooleanField(_("PMI placed by an agency"), default=False)
    natural_key = models.CharField(max_length=120, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["regency", "segment"]), models.Index(fields=["regency", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="membership_dates",
            ),
            models.CheckConstraint(
                condition=~models.Q(payer="sponsor") | models.Q(sponsor__isnull=False),
                name="sponsor_payer_has_sponsor",
            ),
            models.CheckConstraint(
                condition=~models.Q(segment="pu") | models.Q(employer__isnull=False),
                name="pu_has_employer",
            ),
            models.UniqueConstraint(fields=["natural_key"], name="membership_natural_key_unique"),
        ]

    scoping = by_fields("regency_id", "employer_id")
    """Where the member counts (the employer's or project's regency for PU and Jakon, the member's
    own for BPU and PMI), and the employer that enrolled them."""

    def __str__(self) -> str:
        return f"{self.person} · {self.get_segment_display()} · {self.start_date}"

    @property
    def place(self) -> Place:
        return Place(region=self.regency_id, employer=self.employer_id)

    @staticmethod
    def make_key(
        person_id: int,
        segment: str,
        employer_id: int | None,
        sponsor_id: int | None,
        project_id: int | None,
        start: object,
    ) -> str:
        """The identity of a membership for upserts: person, segment, who enrolled, start date."""
        return f"{person_id}:{segment}:{employer_id or '-'}:{sponsor_id or '-'}:{project_id or '-'}:{start}"


class WageReport(models.Model):
    """A reported monthly wage (PU, Jakon) or declared income (BPU), valid from a date."""

    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="wages",
        db_index=False,  # the unique pair indexes it
    )
    valid_from = models.DateField(_("valid from"))
    amount = models.BigIntegerField(_("wage or declared income"))
    fixed_allowances = models.BigIntegerField(_("fixed allowances"), default=0)

    class Meta:
        verbose_name = _("reported wage")
        verbose_name_plural = _("reported wages")
        constraints = [
            models.UniqueConstraint(fields=["membership", "valid_from"], name="one_wage_per_date"),
            models.CheckConstraint(condition=models.Q(amount__gte=0, fixed_allowances__gte=0), name="wage_positive"),
        ]
        ordering = ["membership", "valid_from"]


class MembershipEvent(models.Model):
    """An append-only status change of a membership."""

    class Kind(models.TextChoices):
        ENROLLED = "enrolled", _("enrolled")
        ENDED = "ended", _("ended")
        WAGE_REPORTED = "wage_reported", _("wage reported")
        CHANGED = "changed", _("changed")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=15, choices=Kind.choices)
    on = models.DateField(_("effective on"))
    reason = models.TextField(_("reason"))
    actor_label = models.CharField(_("by"), max_length=150)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")
        ordering = ["membership", "on", "id"]
