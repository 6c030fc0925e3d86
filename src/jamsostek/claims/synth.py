"""Synthetic claims for the demo, on the synthetic province: two years of historical (paid) claims,
and a few dozen live claims in every state of the workflow, some past their deadlines, so that the
demo shows the "protection delivered" panel, the statistics and the queues.

Calibration: Kab. Landak's published 2024 counts per program (``reference.landak``: JKM 138, JKK
214, JHT 1,980, JP 860, JKP 297, scholarships 79) over Landak's active participants in the
registry's calibration (``registry.synth.calibration``) give claims per 1,000 active participants
per program and year; each regency gets that rate times its active participants in the registry.
Amounts are drawn around Landak's average paid per claim of each program (JKM: the Rp42 million
the rules give). The historical claims go through the import (``claims_import``), the live ones
through the workflow's services, so the synthetic data takes the same doors as real data.
Deterministic for a seed and a date.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _

from jamsostek.claims import services
from jamsostek.claims.models import Claim, ClaimDocument, Program, State
from jamsostek.claims.reference import LANDAK, landak
from jamsostek.core.cli import count
from jamsostek.core.errors import DomainError
from jamsostek.registry.models import Membership
from jamsostek.registry.selectors import active_on
from jamsostek.registry.synth import calibration

HISTORY_MONTHS = 24
SIGMA = {"jkk": 1.0, "jht": 1.0, "jp": 0.6, "jkp": 0.4}
"""Spread (log scale) of the amounts drawn around a program's average."""
SCHOLARSHIPS = (1_500_000, 2_000_000, 3_000_000, 12_000_000)
PDF = b"%PDF-1.4\n% synthetic document for the demo\n%%EOF\n"
REASON = "synthetic claims for the demo"


@dataclass
class Summary:
    imported: int = 0
    live: Counter[str] = field(default_factory=Counter)
    kept: bool = False

    def summary(self) -> str:
        if self.kept:
            return _("synthetic claims: already loaded, kept")
        states = ", ".join(f"{State(state).label} {number}" for state, number in sorted(self.live.items()))
        return _("synthetic claims: %(imported)s historical claims imported; live claims: %(states)s") % {
            "imported": count(self.imported), "states": states}  # fmt: skip


def rates() -> dict[str, float]:
    """Claims per active participant per year, by program, from Kab. Landak's 2024 counts."""
    active = next(plan.active for plan in calibration(1.0) if plan.code == LANDAK)
    return {item.program: item.cases / active for item in landak() if item.cases}


def averages() -> dict[str, int]:
    """The average paid per claim, by program, in Kab. Landak in 2024."""
    return {item.program: (item.amount or 0) // item.cases for item in landak() if item.cases}


def synthesize(*, seed: int, as_of: date) -> Summary:
    """Load the synthetic claims (once: a second run keeps them)."""
    if Claim.objects.exists():
        return Summary(kept=True)
    rng = np.random.default_rng(seed)
    members = list(
        Membership.objects.filter(active_on(as_of)).values_list("person__nik", "regency_id", "jht", "jp", "jkp")
    )
    summary = Summary()
    if not members:
        return summary
    path = Path(settings.DATA_DIR) / f"synth-claims-seed{seed}.csv"
    summary.imported = _history(rng, members, as_of, path)
    report = services.claims_import(actor=None, path=path, reason=REASON)
    if not report.ok:
        raise DomainError(report.summary())
    summary.live = _live(rng, as_of)
    return summary


def _history(rng: np.random.Generator, members: list[tuple[Any, ...]], as_of: date, path: Path) -> int:
    """Write two years of paid claims, per regency at the calibrated rates; returns how many."""
    by_regency: dict[str, list[tuple[Any, ...]]] = {}
    for member in members:
        by_regency.setdefault(member[1], []).append(member)
    rate, average = rates(), averages()
    first = as_of - timedelta(days=HISTORY_MONTHS * 30)
    span = (as_of - first).days
    rows = []
    for regency, people in sorted(by_regency.items()):
        for program, per_year in sorted(rate.items()):
            flag = {"jht": 2, "jp": 3, "jkp": 4}.get(program)
            eligible = [person for person in people if flag is None or person[flag]] or people
            for _claim in range(int(rng.poisson(per_year * len(people) * HISTORY_MONTHS / 12))):
                nik = eligible[int(rng.integers(len(eligible)))][0]
                paid = first + timedelta(days=int(rng.integers(span)))
                event = paid - timedelta(days=int(rng.integers(5, 60)))
                rows.append((nik, program, event, paid, _amount(rng, program, average[program]), regency))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["claim_number", "nik", "program", "event_date", "paid_date", "amount", "regency_code"])
        for number, (nik, program, event, paid, amount, regency) in enumerate(sorted(rows, key=lambda r: r[3]), 1):
            writer.writerow([f"HIST/{paid.year}/{number:06d}", nik, program, event.isoformat(), paid.isoformat(),
                             amount, regency])  # fmt: skip
    return len(rows)


def _amount(rng: np.random.Generator, program: str, average: int) -> int:
    if program == Program.JKM:
        return 42_000_000
    if program == Program.SCHOLARSHIP:
        return int(rng.choice(SCHOLARSHIPS, p=[0.4, 0.3, 0.2, 0.1]))
    sigma = SIGMA[program]
    drawn = float(rng.lognormal(np.log(average) - sigma**2 / 2, sigma))
    return max(100_000, round(drawn / 100) * 100)


# --- live claims, through the workflow ---------------------------------------------------------

# (program, event, cause, days before today: event, submitted; how far it goes)
LIVE = (
    ("jkm", "death", "illness", 20, 15, "paid"),
    ("jkm", "death", "illness", 12, 10, "approved"),
    ("jkm", "death", "illness", 9, 8, "complete"),
    ("jkk", "temporary_incapacity", "work_accident", 40, 39, "paid"),
    ("jkk", "temporary_incapacity", "work_accident", 10, 9, "verified"),
    ("jkk", "temporary_incapacity", "road_accident", 6, 5, "submitted"),
    ("jkk", "partial_disability", "work_accident", 14, 12, "submitted"),
    ("jkk", "costs", "work_accident", 3, 3, "received"),
    ("jht", "resignation", "", 75, 40, "paid"),
    ("jht", "resignation", "", 70, 30, "complete"),
    ("jht", "resignation", "", 65, 21, "complete"),
    ("jht", "termination", "", 50, 10, "verified"),
    ("jht", "resignation", "", 20, 5, "decided"),
    ("jkp", "termination", "", 30, 20, "decided"),
    ("jkp", "termination", "", 25, 3, "submitted"),
    ("jkp", "resignation", "", 15, 6, "decided"),
    ("scholarship", "death", "illness", 20, 14, "approved"),
    ("jp", "death", "illness", 18, 12, "complete"),
)
STEPS = ("submitted", "received", "complete", "verified", "decided", "approved", "paid")
FAMILY: list[dict[str, Any]] = [
    {"relation": "istri", "name": "Sri Wahyuni", "birth_date": "1988-04-02"},
    {"relation": "anak", "name": "Rina", "birth_date": "2013-07-19", "level": "smp", "year": 2},
    {"relation": "anak", "name": "Bagus", "birth_date": "2017-01-05", "level": "tk_sd", "year": 3},
]


def _live(rng: np.random.Generator, as_of: date) -> Counter[str]:
    """Claims in every state, for participants protected now; returns how many end in each state."""
    people = list(
        Membership.objects.filter(active_on(as_of - timedelta(days=90)), end_date__isnull=True, segment="pu")
        .annotate(person_claims=Count("person__claims")).filter(person_claims=0)
        .values_list("person__nik", flat=True).order_by("id")[:2000]
    )  # fmt: skip
    picked = [people[int(index)] for index in rng.choice(len(people), size=min(len(LIVE), len(people)), replace=False)]
    for nik, plan in zip(picked, LIVE, strict=False):
        try:
            _one(nik, as_of, *plan)
        except DomainError:
            continue  # a participant the synthetic registry cannot give this claim to: skipped
    return Counter(Claim.objects.filter(origin="intake").values_list("state", flat=True))


def _one(nik: str, as_of: date, program: str, kind: str, cause: str, event_days: int, days: int, last: str) -> None:
    death = kind == "death"
    claim = services.claim_submit(
        actor=None, nik=nik, program=program, event_date=as_of - timedelta(days=event_days), event_kind=kind,
        cause=cause, event_description="synthetic", relatives=FAMILY if death else (),
        claimant_relation="istri" if death else "participant", claimant_nik="6104014204880001" if death else "",
        claimant_name="Sri Wahyuni" if death else "", facts=_facts(program, kind),
        submitted_on=as_of - timedelta(days=days), reason=REASON,
    )  # fmt: skip
    reach = STEPS.index(last)
    documents = list(claim.documents.all())
    if reach >= STEPS.index("received"):
        for document in documents[: len(documents) // 2 if last == "received" else None]:
            if document.required:
                services.claim_document_receive(actor=None, claim=claim, kind=document.kind, data=PDF,
                                                name=f"{document.kind}.pdf", reason=REASON)  # fmt: skip
    if reach >= STEPS.index("verified"):
        claim.refresh_from_db()
        for document in ClaimDocument.objects.filter(claim=claim, state="received"):
            services.claim_document_verify(actor=None, claim=claim, kind=document.kind, reason=REASON)
        services.claim_verify(actor=None, claim=claim, reason=REASON)
    if reach >= STEPS.index("decided"):
        services.claim_decide(actor=None, claim=claim, reason=REASON)
    claim.refresh_from_db()
    if last == "paid" and claim.state == State.APPROVED:
        services.claim_pay(actor=None, claim=claim, bank_reference=f"TRF-{claim.pk:08d}", paid_on=as_of,
                           reason=REASON)  # fmt: skip


def _facts(program: str, kind: str) -> dict[str, Any]:
    costs = {"costs": {"medical": 4_750_000, "transport_land": 350_000}}
    if program == Program.JKK:
        return {**costs, "months": 2} if kind == "temporary_incapacity" else costs
    if program == Program.JHT:
        return {"balance": 18_450_000}
    if program == Program.JP:
        return {"average_indexed_wage": 3_900_000, "balance": 6_200_000}
    return {}
