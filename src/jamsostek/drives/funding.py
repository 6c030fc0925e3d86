"""Who may pay for whom (``data/funding_rules.yaml``), the BPU age limits (``parameters/``), and the
package a funded program buys. Configuration with citations, read once per process; no Django
models here, so the rules can be read and tested alone."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from jamsostek.rules.parameterset import Entry, ParameterSet, load_directory
from jamsostek.rules.periods import Month

HERE = Path(__file__).resolve().parent
RULES_FILE = HERE / "data" / "funding_rules.yaml"
PARAMETERS = HERE / "parameters"
SOURCES = ("province_apbd", "regency_apbd", "apbdes", "dana_desa", "add", "dbh_sawit", "csr", "other")
CATEGORIES = (
    "vulnerable",
    "religious_social",
    "plantation",
    "non_asn",
    "village_official",
    "bpd_lkd",
    "rt_rw",
    "election_worker",
    "other",
)
RULE_KEYS = {"source", "pays_for", "region", "from", "until", "reference", "confirmed", "note"}
REFERENCE_KEYS = {"instrument", "number", "year", "article", "title", "url"}
SPONSOR_KINDS = {  # the registry's sponsor program kinds each funding source fits
    "province_apbd": {"province_budget"},
    "regency_apbd": {"regency_budget"},
    "apbdes": {"village_budget"},
    "dana_desa": {"village_budget"},
    "add": {"village_budget"},
    "dbh_sawit": {"province_budget", "regency_budget"},
    "csr": {"csr"},
    "other": {"province_budget", "regency_budget", "village_budget", "csr"},
}


class ConfigurationError(Exception):
    """The funding rules file does not hold what it must (raised when it is read)."""


@dataclass(frozen=True)
class Citation:
    instrument: str
    number: str
    year: int
    article: str | None = None
    title: str | None = None
    url: str | None = None

    def __str__(self) -> str:
        text = (
            f"{self.instrument} {self.number}/{self.year}"
            if self.number[:1].isdigit()
            else (f"{self.instrument}: {self.number} ({self.year})")
        )
        return f"{text} art. {self.article}" if self.article else text


@dataclass(frozen=True)
class FundingRule:
    """A funding source may pay for these categories, in a region (None: the whole province), from
    a day until a day (None: still in force)."""

    source: str
    pays_for: tuple[str, ...]
    region: str | None
    start: date
    end: date | None
    reference: Citation
    confirmed: bool
    note: str

    def applies(self, *, source: str, category: str, region: str, day: date) -> bool:
        in_region = self.region is None or region == self.region or region.startswith(self.region + ".")
        in_force = self.start <= day and (self.end is None or day <= self.end)
        return self.source == source and category in self.pays_for and in_region and in_force


def _fail(where: str, problem: str) -> ConfigurationError:
    return ConfigurationError(f"{RULES_FILE.name}: {where}: {problem}")


def parse_rules(data: Any) -> tuple[FundingRule, ...]:
    """Validate the file's content: every key known, every source and category real, every rule
    cited, an unconfirmed rule with a note."""
    if not isinstance(data, dict) or set(data) != {"rules"} or not isinstance(data["rules"], list):
        raise _fail("file", "must be a mapping with one key, rules, holding a list")
    rules = []
    for index, raw in enumerate(data["rules"], start=1):
        where = f"rule {index}"
        if not isinstance(raw, dict):
            raise _fail(where, "must be a mapping")
        unknown = set(raw) - RULE_KEYS
        missing = {"source", "pays_for", "from", "reference", "confirmed"} - set(raw)
        if unknown or missing:
            raise _fail(where, f"unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
        if raw["source"] not in SOURCES:
            raise _fail(where, f"unknown source {raw['source']!r}")
        pays_for = raw["pays_for"]
        if not isinstance(pays_for, list) or not pays_for or any(item not in CATEGORIES for item in pays_for):
            raise _fail(where, f"pays_for must list categories among {', '.join(CATEGORIES)}")
        start, end = raw["from"], raw.get("until")
        if not isinstance(start, date) or (end is not None and (not isinstance(end, date) or end < start)):
            raise _fail(where, "from (and until) must be dates YYYY-MM-DD, until not before from")
        region = raw.get("region")
        if region is not None and not (isinstance(region, str) and len(region) == 5):
            raise _fail(where, "region must be a regency code such as '61.04'")
        reference = raw["reference"]
        if (
            not isinstance(reference, dict)
            or set(reference) - REFERENCE_KEYS
            or not all(reference.get(key) for key in ("instrument", "number", "year"))
        ):
            raise _fail(where, "reference needs instrument, number and year (and may have article, title, url)")
        if not isinstance(raw["confirmed"], bool):
            raise _fail(where, "confirmed must be true or false")
        note = str(raw.get("note") or "").strip()
        if not raw["confirmed"] and not note:
            raise _fail(where, "an unconfirmed rule needs a note saying why")
        citation = Citation(
            instrument=str(reference["instrument"]),
            number=str(reference["number"]),
            year=int(reference["year"]),
            article=reference.get("article"),
            title=reference.get("title"),
            url=reference.get("url"),
        )
        rules.append(FundingRule(raw["source"], tuple(pays_for), region, start, end, citation, raw["confirmed"], note))
    return tuple(rules)


@functools.cache
def funding_rules() -> tuple[FundingRule, ...]:
    """Every rule of ``data/funding_rules.yaml`` (read once)."""
    return parse_rules(yaml.safe_load(RULES_FILE.read_text("utf-8")))


def paying_rule(
    *, source: str, category: str, region: str, day: date, rules: Iterable[FundingRule] | None = None
) -> FundingRule | None:
    """The rule that lets ``source`` pay for a ``category`` worker of a program of ``region`` on
    ``day`` (a confirmed one first), or None: not allowed."""
    found = [
        rule
        for rule in (funding_rules() if rules is None else rules)
        if rule.applies(source=source, category=category, region=region, day=day)
    ]
    found.sort(key=lambda rule: (not rule.confirmed, rule.region is None, rule.start))
    return found[0] if found else None


def payable_categories(*, source: str, region: str, day: date) -> set[str]:
    """The categories ``source`` may pay for in ``region`` on ``day``."""
    return {
        category for category in CATEGORIES if paying_rule(source=source, category=category, region=region, day=day)
    }


# --- the BPU age limits -----------------------------------------------------------------------


@functools.cache
def _age_parameters() -> ParameterSet:
    return load_directory(PARAMETERS)


@dataclass(frozen=True)
class AgeLimits:
    youngest: int
    oldest: int
    confirmed: bool
    entries: tuple[Entry, Entry]


def age_limits(day: date) -> AgeLimits:
    """The youngest and oldest age at which a worker may be enrolled in BPU on ``day``."""
    parameters = _age_parameters()
    low = parameters.at("bpu.minimum_age", day)
    high = parameters.at("bpu.maximum_enrolment_age", day)
    return AgeLimits(int(low.value), int(high.value), low.confirmed and high.confirmed, (low, high))


def age_on(birth: date, day: date) -> int:
    """Whole years of age on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- the package a program buys ---------------------------------------------------------------


@dataclass(frozen=True)
class Package:
    """What a sponsor program pays per worker: JKK and JKM (and JHT when ``with_jht``), at the
    declared income ``income``, for ``months`` months from ``first``."""

    with_jht: bool
    income: int
    first: Month
    months: int

    @property
    def programs(self) -> tuple[str, ...]:
        return ("jkk", "jkm", "jht") if self.with_jht else ("jkk", "jkm")

    @property
    def last(self) -> Month:
        return self.first.plus(self.months - 1)

    def covers(self, month: Month) -> bool:
        return self.first <= month <= self.last


def program_months(start: date, end: date, fiscal_year: int) -> tuple[Month, int]:
    """The first month and the number of months of a program's period inside its fiscal year."""
    first = max(Month.of(start), Month(fiscal_year, 1))
    last = min(Month.of(end), Month(fiscal_year, 12))
    return first, max(0, last.index - first.index + 1)
