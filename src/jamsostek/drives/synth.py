"""Synthetic enrolment drives for the synthetic province (``jamsostek drives demo``, run by
``jamsostek demo``): lists of names from several sources, and one drive per funding source at
different steps, all through the real services (the same doors as real data, with audit records).

For the fiscal year of the reference day (Y) and the next (Y+1):

| Source        | Program of    | List (its source)                                  | Drive of Y          |
|---------------|---------------|----------------------------------------------------|---------------------|
| province APBD | the province  | DTKS extract of Kab. Sambas                        | enrolled, renewed   |
| regency APBD  | Pontianak     | an agency's roster of non-ASN staff                | enrolled, renewed   |
| APBDes        | Bengkayang    | a village's roster of officials, BPD, RT/RW heads  | enrolled, renewed   |
| Dana Desa     | Ketapang      | a village's list of vulnerable workers (quota 100) | enrolled, renewed   |
| DBH Sawit     | Sintang       | plantation workers named by the regent's decree    | enrolled, to renew  |
| ADD           | Ketapang      | another village's list of vulnerable workers       | awaiting approval   |
| CSR           | Landak        | a village's list of vulnerable workers             | approved            |

plus a Regsosek extract of Kab. Kubu Raya and a roster of election workers of Kab. Mempawah held
for later. The renewals of Y+1 are approved. Every list mixes new people, people the registry already
protects (left out of a drive) or had protected before (taken again), and a few bad rows (each
reported with its reason). Memberships of enrolled drives start in February of Y (or the month of
the reference day, if earlier), so the demo's billing, payments and coverage count them.

Deterministic for a seed and a reference day. The steps are taken by the system (``actor=None``),
which the two-person rule of approval does not bind.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from jamsostek.core.constants import PROVINCE
from jamsostek.drives import services
from jamsostek.drives.models import CandidateList, Drive
from jamsostek.registry import services as registry
from jamsostek.registry.models import Employer, Membership, Person, Region, SponsorProgram
from jamsostek.registry.synth import FAMILY, GIVEN_FEMALE, GIVEN_MALE

PREFIX = "DEMO"
REASON = "synthetic enrolment drives (jamsostek drives demo)"
SERIALS = 9_000
"""New people's NIK serials start here: far above those of the synthetic province's people."""


@dataclass(frozen=True)
class Scheme:
    key: str
    source: str
    kind: str  # the sponsor program's kind
    region: str  # the program's region
    list_region: str
    list_source: str
    list_name: str
    category: str
    owner_kind: str | None  # the village or agency holding the budget and the list
    step: str  # enrolled, renewed, approved, awaiting
    with_jht: bool = False
    owner_index: int = 0  # which of the regency's villages or agencies (in NPP order)
    categories: tuple[str, ...] = ()  # the rows' categories (default: the list's)


SCHEMES = (
    Scheme("PROV", "province_apbd", "province_budget", PROVINCE, "61.01", "dtks", "DTKS Kab. Sambas", "vulnerable",
           None, "renewed"),
    Scheme("PNK", "regency_apbd", "regency_budget", "61.71", "61.71", "non_asn_roster",
           "Pegawai non-ASN Dinas 1 Kota Pontianak", "non_asn", "agency", "renewed", with_jht=True),
    Scheme("BKY", "apbdes", "village_budget", "61.07", "61.07", "village_roster",
           "Perangkat desa, BPD dan RT/RW Desa 1 Bengkayang", "village_official", "village", "renewed",
           categories=("village_official", "village_official", "bpd_lkd", "rt_rw")),
    Scheme("KTP-DD", "dana_desa", "village_budget", "61.04", "61.04", "village_list",
           "1 Desa 100 Pekerja Rentan: Desa 1 Ketapang", "vulnerable", "village", "renewed"),
    Scheme("STG", "dbh_sawit", "regency_budget", "61.05", "61.05", "other",
           "Pekerja kebun sawit penerima Kepbup Sintang", "plantation", None, "enrolled"),
    Scheme("KTP-ADD", "add", "village_budget", "61.04", "61.04", "village_list",
           "1 Desa 100 Pekerja Rentan: Desa 2 Ketapang", "vulnerable", "village", "awaiting", owner_index=1),
    Scheme("LDK", "csr", "csr", "61.08", "61.08", "village_list", "Pekerja rentan Landak (CSR kebun)",
           "vulnerable", None, "approved"),
)  # fmt: skip
HELD = (  # lists kept for a later drive
    ("61.12", "regsosek", "Regsosek Kab. Kubu Raya", "vulnerable"),
    ("61.02", "election_roster", "KPPS dan Linmas Kab. Mempawah", "election_worker"),
)


@dataclass
class Made:
    lists: list[CandidateList] = field(default_factory=list)
    drives: list[Drive] = field(default_factory=list)


class DrivesGenerator:
    def __init__(self, *, scale: float, seed: int, as_of: date, directory: Path) -> None:
        self.scale = scale
        self.rng = np.random.default_rng(seed + 17)
        self.as_of = as_of
        self.year = as_of.year
        self.checked = min(as_of, date(as_of.year, 1, 15))  # lists are checked and drives prepared in January
        self.directory = directory
        self.serial = SERIALS
        self.districts: dict[str, list[str]] = {}
        for code, parent in Region.objects.filter(level=Region.Level.DISTRICT).values_list("code", "parent_id"):
            self.districts.setdefault(parent, []).append(code)

    @property
    def rows_per_list(self) -> int:
        return max(30, round(15_000 * self.scale))

    # --- people ----------------------------------------------------------------------------------

    def _new(self, district: str, village: str, category: str) -> list[str]:
        female = bool(self.rng.random() < 0.45)
        birth = self.as_of - timedelta(days=int(self.rng.integers(19 * 366, 58 * 365)))
        self.serial += 1
        day = birth.day + (40 if female else 0)
        nik = f"{district.replace('.', '')}{day:02d}{birth.month:02d}{birth.year % 100:02d}{self.serial % 10_000:04d}"
        given = GIVEN_FEMALE if female else GIVEN_MALE
        name = f"{given[int(self.rng.integers(len(given)))]} {FAMILY[int(self.rng.integers(len(FAMILY)))]}"
        return [nik, name, birth.isoformat(), "P" if female else "L", district, village, category]

    def _known(self, region: str, count: int, *, active: bool) -> list[list[str]]:
        """People of the registry living in ``region``: protected today (``active``), or whose
        memberships have all ended."""
        running = Membership.objects.filter(start_date__lte=self.checked).exclude(end_date__lt=self.checked)
        people = Person.objects.filter(regency_id=region)
        if active:
            people = people.filter(pk__in=running.values("person_id"))
        else:
            people = people.filter(memberships__isnull=False).exclude(pk__in=running.values("person_id"))
        rows = []
        for person in people.order_by("pk").distinct()[:count]:
            rows.append([person.nik, person.name, person.birth_date.isoformat(), "P" if person.sex == "F" else "L",
                         person.region_id, "", ""])  # fmt: skip
        return rows

    def _bad(self, row: list[str], which: int) -> list[str]:
        bad = list(row)
        if which % 3 == 0:
            bad[2] = (date.fromisoformat(row[2]) + timedelta(days=1)).isoformat()  # not the NIK's birth date
        elif which % 3 == 1:
            bad[0] = row[0][:15]  # a digit lost
        else:
            bad[3] = "X"
        return bad

    def write_list(self, name: str, region: str, category: str, categories: tuple[str, ...] = (),
                   owner: Employer | None = None) -> Path:  # fmt: skip
        """A list's file: new people of three districts of ``region`` (of the owner village's own
        district and village), people the registry knows, a few bad rows and one row twice."""
        regency = region if len(region) == 5 else "61.01"
        districts = self.districts[regency][:3]
        village = ""
        if owner is not None and owner.kind == Employer.Kind.VILLAGE:
            districts, village = [owner.region_id], owner.name.removeprefix("Pemerintah ")
        count = self.rows_per_list
        rows: list[list[str]] = []
        for index in range(count):
            row_category = categories[index % len(categories)] if categories else ""
            rows.append(self._new(districts[index % len(districts)], village, row_category))
        rows += self._known(regency, max(2, count // 10), active=True)
        rows += self._known(regency, max(2, count // 14), active=False)
        rows += [self._bad(rows[index], index) for index in range(max(2, count // 33))]
        rows.append(rows[0])  # the same person twice
        order = self.rng.permutation(len(rows))
        path = self.directory / f"{name.replace(' ', '-').replace(':', '').replace('/', '-').lower()}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["nik", "name", "birth_date", "sex", "district_code", "village", "category"])
            writer.writerows(rows[int(position)] for position in order)
        return path

    # --- programs and drives ------------------------------------------------------------------------

    def _owner(self, scheme: Scheme) -> Employer | None:
        if scheme.owner_kind is None:
            return None
        owners = Employer.objects.filter(kind=scheme.owner_kind, regency_id=scheme.region).order_by("npp")
        return owners[scheme.owner_index] if owners.count() > scheme.owner_index else owners.first()

    def _program(self, scheme: Scheme, year: int, owner: Employer | None, quota: int) -> SponsorProgram:
        code = f"{PREFIX}-{scheme.key}-{year}"
        program = SponsorProgram.objects.filter(code=code).first() or registry.sponsor_program_create(
            actor=None, code=code, name=f"{scheme.list_name} ({year})", kind=scheme.kind, region_code=scheme.region,
            year=year, quota=quota, start_date=date(year, 1, 1), end_date=date(year, 12, 31),
            with_jht=scheme.with_jht, budget_line="5.1.02.01 Belanja iuran jaminan sosial ketenagakerjaan",
            reason=REASON,
        )  # fmt: skip
        levels = ("employer", "regency") if owner is not None else ("regency", "province")
        services.funding_set(
            actor=None, program=program, source=scheme.source, budget_ceiling=quota * 12 * 40_000,
            instrument_kind="perdes" if scheme.kind == "village_budget" else "perbup",
            instrument_number=f"{100 + SCHEMES.index(scheme)}/{year - 1}", instrument_date=date(year - 1, 12, 15),
            prepare_levels=levels, approve_levels=("regency", "province"), owner=owner, reason=REASON,
        )  # fmt: skip
        return program

    def make(self, progress: Callable[[str], None] | None = None) -> Made:
        made = Made()
        self.directory.mkdir(parents=True, exist_ok=True)
        enrol_on = min(self.as_of, date(self.year, 2, 1))
        checked = self.checked
        for scheme in SCHEMES:
            owner = self._owner(scheme)
            quota = self.rows_per_list * 2
            program = self._program(scheme, self.year, owner, quota)
            path = self.write_list(scheme.list_name, scheme.list_region, scheme.category, scheme.categories, owner)
            listed = services.candidate_list_import(
                actor=None, path=path, name=scheme.list_name, source=scheme.list_source,
                source_date=checked - timedelta(days=45), region_code=scheme.list_region,
                default_category=scheme.category, owner=owner, as_of=checked, reason=REASON,
            )  # fmt: skip
            made.lists.append(listed)
            quotas = {}
            if scheme.source in ("dana_desa", "add"):  # "1 Desa 100 Pekerja Rentan": at most 100 a village
                village = listed.candidates.filter(status="usable").values_list("district", "village").first()
                if village is not None:
                    quotas = {f"{village[0]}/{village[1]}": 100}
            drive = services.drive_prepare(
                actor=None, program=program, code=f"{PREFIX}-{scheme.key}-{self.year}", name=scheme.list_name,
                lists=[listed], quotas=quotas or None, on=checked, reason=REASON,
            )  # fmt: skip
            made.drives.append(drive)
            if scheme.step != "awaiting":
                drive = services.drive_approve(actor=None, drive=drive, reason=REASON)
            if scheme.step in ("enrolled", "renewed"):
                drive = services.drive_enrol(actor=None, drive=drive, on=enrol_on, reason=REASON)
            if scheme.step == "renewed":
                following = self._program(scheme, self.year + 1, owner, quota)
                code = f"{PREFIX}-{scheme.key}-{self.year + 1}"
                renewal = services.drive_renew(actor=None, drive=drive, program=following, code=code, reason=REASON)
                made.drives.append(services.drive_approve(actor=None, drive=renewal, reason=REASON))
            if progress:
                progress(f"drives: {scheme.list_name}: {listed.usable} usable of {listed.rows}, drive {drive.status}")
        for region, source, name, category in HELD:
            path = self.write_list(name, region, category)
            made.lists.append(services.candidate_list_import(
                actor=None, path=path, name=name, source=source, source_date=checked - timedelta(days=30),
                region_code=region, default_category=category, as_of=checked, reason=REASON,
            ))  # fmt: skip
        return made


def generate(*, scale: float, seed: int, as_of: date, directory: Path,
             progress: Callable[[str], None] | None = None) -> Made | None:  # fmt: skip
    """The synthetic drives, unless they are already there (then None: a second demo keeps them)."""
    if Drive.objects.filter(code__startswith=f"{PREFIX}-").exists():
        return None
    return DrivesGenerator(scale=scale, seed=seed, as_of=as_of, directory=directory).make(progress)
