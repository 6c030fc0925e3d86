"""A synthetic Kalimantan Barat: persons with valid NIKs, employers, sponsor programs, projects and
memberships, calibrated to the published figures, deterministic for a seed.

Calibration (see ``CALIBRATION``): the employed population (BPS Sakernas Aug 2024, 2.86 million)
is spread over the regencies by their Dukcapil population (an estimate: per-regency employment is
not published); each regency's share of active participants follows its most recent published
coverage figure in ``data/kalbar_labour_coverage_figures.csv`` that is not marked doubtful
(``registry.figures.latest_coverage``: Ketapang 68.02% (2024), Kubu Raya 39.21% (Nov 2023),
Mempawah 38.54%, Pontianak 40% (2025), Singkawang 27% (Dec 2025), Sambas 24%) and an assumed 25%
elsewhere. Landak's published 53.43% is doubtful (active members over members ever registered, not
a share of workers) and is not used: Landak takes the assumed share. At scale 1.0 that is about
1 million active participants, plus people whose memberships have ended.

The data is written as import files and loaded through the bulk import (the same door as real
data, with audit records); sponsor programs and projects go through their services.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from jamsostek.core.constants import PROVINCE
from jamsostek.registry.figures import latest_coverage
from jamsostek.registry.regions import DATA

EMPLOYED_PROVINCE = 2_860_000  # BPS Sakernas, August 2024 (kalbar_labour_coverage_figures.csv)
ASSUMED_COVERAGE = 0.25
MINIMUM_WAGE = 2_878_286  # illustrative floor for synthetic wages, not a published UMK
URBAN = {"61.71", "61.72"}
BORDER = {"61.01", "61.03", "61.07", "61.06"}  # more migrant workers

# (KBLI, sector, registered JKK risk class, weight among companies)
SECTORS = (
    ("01262", "perkebunan kelapa sawit", 4, 18),
    ("01291", "perkebunan karet", 4, 6),
    ("10431", "pabrik minyak kelapa sawit", 3, 5),
    ("16101", "penggergajian kayu", 4, 3),
    ("02201", "pembalakan kayu", 5, 1),
    ("08104", "penggalian pasir dan batu", 5, 1),
    ("47111", "perdagangan eceran", 1, 25),
    ("46100", "perdagangan besar", 1, 8),
    ("56101", "rumah makan", 2, 10),
    ("55110", "hotel", 2, 2),
    ("49431", "angkutan barang", 3, 5),
    ("64191", "bank", 1, 3),
    ("85210", "sekolah swasta", 1, 6),
    ("86103", "klinik", 1, 4),
    ("62019", "jasa teknologi informasi", 1, 2),
)
SIZES = (  # size class, workers (low, high), share of companies
    ("micro", (1, 4), 0.55),
    ("small", (5, 19), 0.30),
    ("medium", (20, 99), 0.11),
    ("large", (100, 800), 0.04),
)
GIVEN_MALE = tuple(
    (
        "Budi Agus Ahmad Andi Yohanes Rudi Hendra Dedi Eko Joko Fransiskus Antonius Stefanus Yusuf "
        "Hamdan Syarif Abdul Rahman Bujang Apui Acong Ahiong Kurniawan Rizky Fajar Ilham Iwan Sutarman "
        "Petrus Markus Aloysius Gusti Uray Daeng Irwan"
    ).split()
)
GIVEN_FEMALE = tuple(
    (
        "Siti Dewi Nur Sri Maria Yuliana Fransiska Agustina Rina Wati Lestari Aminah Fatimah Lina "
        "Melati Ayu Putri Indah Sari Yanti Herlina Margareta Veronika Anita Susanti Mei Ling Lily "
        "Rosita Dayang Utin Ratna"
    ).split()
)
FAMILY = tuple(
    (
        "Santoso Pratama Saputra Wijaya Hidayat Lim Tan Wong Gunawan Setiawan Kurnia Siregar Nainggolan "
        "Abdullah Hasan Syahrial Ahmad Rahman Jamal Effendi Usman Kristianus Ding Nyangun Ajun Lawai "
        "Hartono Susanto Halim Kusuma"
    ).split()
)


@dataclass(frozen=True)
class RegencyPlan:
    code: str
    name: str
    population: int
    employed: int
    coverage: float
    coverage_source: str
    active: int


def calibration(scale: float) -> list[RegencyPlan]:
    """Employed and active participants per regency at a scale (1.0 = the whole province)."""
    with (DATA / "kalbar_regions.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = sum(int(row["population_dukcapil_2024s2"]) for row in rows)
    published = latest_coverage()
    plans = []
    for row in rows:
        code = row["kemendagri_code"]
        population = int(row["population_dukcapil_2024s2"])
        employed = round(EMPLOYED_PROVINCE * population / total)
        figure = published.get(code)
        coverage = float(figure.value / 100) if figure is not None else ASSUMED_COVERAGE
        source = "published" if figure is not None else "assumed"
        plans.append(
            RegencyPlan(code, row["name"], population, employed, coverage, source, round(employed * coverage * scale))
        )
    return plans


CALIBRATION = calibration(1.0)


@dataclass
class Files:
    persons: Path
    employers: Path
    memberships: Path
    sponsors: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


class Generator:
    """Draws the synthetic province from one seeded random generator (same seed, same data)."""

    def __init__(self, *, scale: float, seed: int, as_of: date) -> None:
        if not 0 < scale <= 2:
            raise ValueError("scale must be above 0 and at most 2")
        self.scale = scale
        self.rng = np.random.default_rng(seed)
        self.seed = seed
        self.as_of = as_of
        self.serials: dict[str, int] = {}
        self.districts = self._districts()

    # --- helpers ---------------------------------------------------------------------------------

    def _districts(self) -> dict[str, tuple[list[str], np.ndarray]]:
        by_regency: dict[str, list[tuple[str, int]]] = {}
        with (DATA / "kalbar_districts.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                villages = int(row["n_desa"]) + int(row["n_kelurahan"])
                by_regency.setdefault(row["regency_code"], []).append((row["kemendagri_code"], villages + 1))
        result = {}
        for regency, items in by_regency.items():
            weights = np.array([weight for _, weight in items], dtype=float)
            result[regency] = ([code for code, _ in items], weights / weights.sum())
        return result

    def _district(self, regency: str) -> str:
        codes, weights = self.districts[regency]
        return codes[int(self.rng.choice(len(codes), p=weights))]

    def _people(self, regency: str, count: int) -> Iterator[list[str]]:
        """``count`` new working-age people of a regency: [nik, name, birth_date, sex, district, phone].

        Everything is drawn in bulk (one numpy call per attribute) and then assembled."""
        rng = self.rng
        codes, weights = self.districts[regency]
        female = rng.random(count) < 0.42
        age_days = rng.integers(18 * 365, 60 * 365, size=count)
        districts = rng.choice(len(codes), size=count, p=weights)
        given_f = rng.integers(len(GIVEN_FEMALE), size=count)
        given_m = rng.integers(len(GIVEN_MALE), size=count)
        family = rng.integers(len(FAMILY), size=count)
        has_phone = rng.random(count) < 0.6
        phones = rng.integers(0, 10**10, size=count)
        for i in range(count):
            is_female = bool(female[i])
            birth = self.as_of - timedelta(days=int(age_days[i]))
            district = codes[int(districts[i])]
            day = birth.day + (40 if is_female else 0)
            prefix = f"{district.replace('.', '')}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
            serial = self.serials.get(prefix, 0) + 1
            self.serials[prefix] = serial
            given = GIVEN_FEMALE[int(given_f[i])] if is_female else GIVEN_MALE[int(given_m[i])]
            name = f"{given} {FAMILY[int(family[i])]}"
            phone = f"08{int(phones[i]):010d}" if has_phone[i] else ""
            yield [f"{prefix}{serial:04d}", name, birth.isoformat(), "P" if is_female else "L", district, phone]

    def _start(self, *, recent: float) -> date:
        """A start date between 2016 and the reference date, skewed towards recent years."""
        span = (self.as_of - date(2016, 1, 1)).days
        fraction = float(self.rng.beta(1.0 + 2.5 * recent, 1.0))
        return date(2016, 1, 1) + timedelta(days=int(span * fraction))

    def _wage(self) -> int:
        wage = float(self.rng.lognormal(np.log(MINIMUM_WAGE * 1.25), 0.45))
        return max(MINIMUM_WAGE, int(round(wage, -3)))

    # --- the province ----------------------------------------------------------------------------

    def write(self, directory: Path, progress: Callable[[str], None] | None = None) -> Files:
        directory.mkdir(parents=True, exist_ok=True)
        files = Files(directory / "persons.csv", directory / "employers.csv", directory / "memberships.csv")
        with (
            files.persons.open("w", encoding="utf-8", newline="") as persons_handle,
            files.employers.open("w", encoding="utf-8", newline="") as employers_handle,
            files.memberships.open("w", encoding="utf-8", newline="") as memberships_handle,
        ):
            persons = csv.writer(persons_handle)
            employers = csv.writer(employers_handle)
            memberships = csv.writer(memberships_handle)
            persons.writerow(["nik", "name", "birth_date", "sex", "district_code", "phone"])
            employers.writerow(["npp", "name", "kind", "kbli", "risk_class", "size_class", "region_code"])
            memberships.writerow(["nik", "segment", "start_date", "end_date", "npp", "sponsor_code",
                                  "project_code", "wage", "jht", "contract_months", "pre_departure"])  # fmt: skip
            counts: dict[str, int] = {"persons": 0, "employers": 0, "memberships": 0}
            for plan in calibration(self.scale):
                for kind, row in self._regency(plan, files):
                    if kind == "person":
                        persons.writerow(row)
                    elif kind == "employer":
                        employers.writerow(row)
                    else:
                        memberships.writerow(row)
                    counts[kind + "s"] += 1
                if progress:
                    progress(f"synth: {plan.name}: {plan.active:,} active participants drawn")
        files.counts = counts
        return files

    def _regency(self, plan: RegencyPlan, files: Files) -> Iterator[tuple[str, list[Any]]]:
        rng = self.rng
        code = plan.code
        urban = code in URBAN
        shares = {"pu": 0.74 if urban else 0.60, "bpu": 0.20 if urban else 0.30, "jakon": 0.05, "pmi": 0.01}
        if code in BORDER:
            shares["pmi"], shares["bpu"] = 0.04, shares["bpu"] - 0.03
        counts = {segment: round(plan.active * share) for segment, share in shares.items()}
        counts["pu"] = plan.active - counts["bpu"] - counts["jakon"] - counts["pmi"]
        number = code.replace(".", "")

        # Employers: village governments and agencies (honorary staff), then companies by size.
        villages = max(1, round(self._villages(code) * self.scale))
        agencies = max(1, round(30 * self.scale))
        public_workers = min(counts["pu"] // 4, villages * 9 + agencies * 25)
        employers: list[tuple[str, int, bool]] = []  # (npp, capacity, jp required)
        for index in range(villages):
            npp = f"DS{number}{index:04d}"
            yield "employer", [npp, f"Pemerintah Desa {index + 1} {plan.name}", "village", "84111", 1, "small",
                               self._district(code)]  # fmt: skip
            employers.append((npp, 9, False))
        for index in range(agencies):
            npp = f"OPD{number}{index:03d}"
            yield "employer", [npp, f"Dinas {index + 1} {plan.name}", "agency", "84111", 1, "medium", code]
            employers.append((npp, 25, True))
        public = _allocate(public_workers, employers)
        company_workers = counts["pu"] - len(public)
        companies: list[tuple[str, int, bool]] = []
        weights = np.array([sector[3] for sector in SECTORS], dtype=float)
        weights /= weights.sum()
        filled = 0
        index = 0
        while filled < company_workers:
            size, (low, high), _ = SIZES[int(rng.choice(len(SIZES), p=[share for *_, share in SIZES]))]
            capacity = int(rng.integers(low, high + 1))
            kbli, sector, risk, _weight = SECTORS[int(rng.choice(len(SECTORS), p=weights))]
            npp = f"PK{number}{index:06d}"
            yield "employer", [npp, f"{'PT' if size in ('medium', 'large') else 'CV'} {sector.title()} {index + 1}",
                               "company", kbli, risk, size, self._district(code)]  # fmt: skip
            companies.append((npp, capacity, size in ("medium", "large")))
            filled += capacity
            index += 1
        jobs = public + _allocate(company_workers, companies)
        rng.shuffle(jobs)

        # Sponsor programs: the province's vulnerable-worker program everywhere, and the regency's own.
        sponsored = round(counts["bpu"] * (0.45 if code == "61.04" else 0.30))
        province_share = sponsored // 2
        sponsor_codes = []
        if province_share:
            sponsor = f"PROV-RENTAN-{number}"
            files.sponsors.append({
                "code": sponsor, "name": f"Pekerja rentan Pemprov Kalbar di {plan.name}", "kind": "province_budget",
                "region_code": PROVINCE, "quota": province_share,
            })  # fmt: skip
            sponsor_codes += [sponsor] * province_share
        if sponsored - province_share:
            sponsor = f"KAB-RENTAN-{number}"
            files.sponsors.append({"code": sponsor, "name": f"Pekerja rentan {plan.name} (APBD)",
                                   "kind": "regency_budget", "region_code": code,
                                   "quota": sponsored - province_share})  # fmt: skip
            sponsor_codes += [sponsor] * (sponsored - province_share)

        # Projects for construction workers.
        projects: list[tuple[str, date, date]] = []
        contractor = f"KON{number}"
        if counts["jakon"]:
            yield "employer", [contractor, f"PT Konstruksi {plan.name}", "contractor", "41011", 5, "medium", code]
            for index in range(max(1, counts["jakon"] // 25)):
                start = self.as_of - timedelta(days=int(rng.integers(30, 400)))
                end = start + timedelta(days=int(rng.integers(240, 720)))
                project = f"PRJ{number}{index:05d}"
                value = int(round(float(rng.lognormal(np.log(900_000_000), 0.9)), -6))
                files.projects.append({"code": project, "name": f"Proyek {index + 1} {plan.name}",
                                       "contractor": contractor, "region_code": self._district(code),
                                       "contract_value": value, "start_date": start, "end_date": end})  # fmt: skip
                projects.append((project, start, end))

        # Participants (active today), and some people whose only membership has ended.
        ended_only = int(plan.active * 0.12)
        people = self._people(code, plan.active + ended_only)
        for segment, count in counts.items():
            for position in range(count):
                person = next(people)
                membership = self._membership(segment, person[0], position, jobs, sponsor_codes, projects)
                yield "person", person
                if segment == "pu" and rng.random() < 0.12:  # an earlier job that ended before this one
                    earlier = self._ended(person[0], companies or employers, before=date.fromisoformat(membership[2]))
                    if earlier is not None:
                        yield "membership", earlier
                yield "membership", membership
        for person in people:
            yield "person", person
            ended = self._ended(person[0], companies or employers, before=self.as_of - timedelta(days=200))
            if ended is not None:
                yield "membership", ended

    def _membership(
        self,
        segment: str,
        nik: str,
        position: int,
        jobs: list[tuple[str, bool]],
        sponsors: list[str],
        projects: list[tuple[str, date, date]],
    ) -> list[Any]:
        rng = self.rng
        if segment == "pu":
            npp, _ = jobs[position % len(jobs)]
            start = self._start(recent=0.6)
            return [nik, "pu", start.isoformat(), "", npp, "", "", self._wage(), "", "", ""]
        if segment == "bpu":
            start = self._start(recent=1.0)
            if position < len(sponsors):
                return [nik, "bpu", max(start, date(self.as_of.year, 1, 1)).isoformat(), "", "", sponsors[position],
                        "", "", "", "", ""]  # fmt: skip
            income = 1_000_000 if rng.random() < 0.7 else int(round(float(rng.uniform(1_100_000, 4_000_000)), -3))
            jht = "ya" if rng.random() < 0.25 else ""
            return [nik, "bpu", start.isoformat(), "", "", "", "", income, jht, "", ""]
        if segment == "jakon":
            project, start, end = projects[position % len(projects)]
            end_text = end.isoformat() if end < self.as_of else ""
            return [nik, "jakon", start.isoformat(), end_text, "", "", project, self._wage(), "", "", ""]
        start = self.as_of - timedelta(days=int(rng.integers(10, 330)))  # within a year: billed by the demo
        return [nik, "pmi", start.isoformat(), "", "", "", "", "", "", 24, "ya" if rng.random() < 0.7 else ""]

    def _ended(self, nik: str, employers: list[tuple[str, int, bool]], *, before: date) -> list[Any] | None:
        """A PU membership that ended before ``before`` (None when there is no room for one)."""
        rng = self.rng
        room = (before - date(2016, 1, 1)).days - 60
        if room < 120:
            return None
        start = date(2016, 1, 1) + timedelta(days=int(rng.integers(0, room - 90)))
        end = min(start + timedelta(days=int(rng.integers(90, 900))), before - timedelta(days=30))
        npp = employers[int(rng.integers(len(employers)))][0]
        return [nik, "pu", start.isoformat(), end.isoformat(), npp, "", "", self._wage(), "", "", ""]

    def _villages(self, code: str) -> int:
        with (DATA / "kalbar_regions.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["kemendagri_code"] == code:
                    return int(row["n_desa"])
        return 0


def _allocate(workers: int, employers: list[tuple[str, int, bool]]) -> list[tuple[str, bool]]:
    """Fill employers up to their capacity, in order, until ``workers`` jobs exist."""
    jobs: list[tuple[str, bool]] = []
    for npp, capacity, jp in employers:
        take = min(capacity, workers - len(jobs))
        jobs += [(npp, jp)] * take
        if len(jobs) >= workers:
            break
    return jobs
