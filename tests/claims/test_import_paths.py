"""The whole-file import of historical claims and the row-by-row import give the same outcome on
any file: the same report and the same claims, payments and audit records. The fast path takes only
files it can prove clean and steps aside for every other."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamsostek.claims.models import Claim, ClaimPayment
from jamsostek.claims.services import claims_import
from jamsostek.core.models import AuditRecord
from tests.claims.test_import import write
from tests.conftest import World

REGISTERED = ["6104015708900001", "6101011203850002", "6104024101950003"]  # the world's three persons
UNREGISTERED = ["6171014506800004", "6101014506800004"]  # Kalimantan Barat NIKs the registry does not know
OUTSIDE = "3201014506800004"  # West Java: needs a regency code
BASE = [  # recorded before each file
    ["OLD/1", REGISTERED[0], "jht", "2023-02-01", "2023-03-03", "15250000", "", ""],
    ["OLD/2", UNREGISTERED[0], "jkm", "2023-07-01", "2023-07-20", "42000000", "", "61.71"],
]


@st.composite
def claim_rows(draw: st.DrawFn, clean: bool = False) -> list[Any]:
    if not clean and draw(st.integers(0, 7)) == 0:
        base = list(draw(st.sampled_from(BASE)))
        if draw(st.booleans()):
            base[5] = "15350000"  # a recorded claim with another amount
        return base
    number = f"N/{draw(st.integers(1, 30))}"
    nik = draw(st.sampled_from([*REGISTERED, *UNREGISTERED, OUTSIDE]))
    program = draw(st.sampled_from(["jkk", "jkm", "jht", "jp", "jkp", "scholarship"]))
    event = date(2021, 1, 1) + timedelta(days=draw(st.integers(0, 1500)))
    paid = event + timedelta(days=draw(st.integers(0, 90)))
    amount = str(draw(st.integers(1, 90_000_000)))
    kpj = draw(st.sampled_from(["", "", "12345678901"]))
    regency = draw(st.sampled_from(["", "", "61.04", "61.71"])) if nik != OUTSIDE else "61.72"
    event_text, paid_text = event.isoformat(), paid.isoformat()
    trouble = "none" if clean else draw(st.sampled_from(["none"] * 8 + [
        "program", "upper", "dmy", "grouped", "zero", "order", "future", "kpj", "regency", "nik", "no_regency",
    ]))  # fmt: skip
    if trouble == "program":
        program = "pension"
    elif trouble == "upper":
        program = program.upper()
    elif trouble == "dmy":
        event_text = f"{event.day:02d}-{event.month:02d}-{event.year}"
    elif trouble == "grouped":
        amount = f"{int(amount):,}".replace(",", ".")
    elif trouble == "zero":
        amount = "0"
    elif trouble == "order":
        event_text, paid_text = (paid + timedelta(days=1)).isoformat(), event.isoformat()
    elif trouble == "future":
        paid_text = "2030-01-01"
    elif trouble == "kpj":
        kpj = "123"
    elif trouble == "regency":
        regency = "61.99"
    elif trouble == "nik":
        nik = nik[:-1]
    elif trouble == "no_regency":
        nik, regency = OUTSIDE, ""
    return [number, nik, program, event_text, paid_text, amount, kpj, regency]


claim_files = st.one_of(
    st.lists(claim_rows(clean=True), min_size=1, max_size=20, unique_by=lambda row: row[0]),
    st.lists(claim_rows(), min_size=1, max_size=20),
)


def outcome(path: Path, *, fast: bool, actor: Any = None) -> dict[str, Any]:
    """Import the base file, then ``path``, in a transaction that is rolled back; what it did."""
    with transaction.atomic():
        base = claims_import(actor=None, path=write(path.parent / "base.csv", BASE), reason="base")
        assert base.applied
        report = claims_import(actor=actor, path=path, reason="paths", fast_path=fast)
        result = {
            "method": report.method,
            "applied": report.applied,
            "counts": dict(report.counts),
            "rows": [(r.row, r.key, r.status, r.field, r.reason, r.warnings) for r in report.rows],
            "claims": sorted(Claim.objects.values_list(
                "id", "number", "origin", "program", "state", "person", "nik", "kpj", "membership", "segment", "payer",
                "sponsor", "employer", "regency", "event_date", "submitted_on", "decided_on", "paid_on",
            )),
            "payments": sorted(ClaimPayment.objects.values_list(
                "claim", "sequence", "what", "due_on", "amount", "state", "paid_on", "recorded_by_label",
            )),
            "audit": sorted(
                (record.action, record.entity, record.entity_id, json.dumps(record.changes, sort_keys=True))
                for record in AuditRecord.objects.filter(reason="paths")
            ),
        }  # fmt: skip
        transaction.set_rollback(True)
    return result


@pytest.mark.django_db
@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(rows=claim_files, bpjs=st.booleans())
def test_historical_claims_fast_and_row_by_row_agree(
    world: World, tmp_path_factory: pytest.TempPathFactory, rows: list[list[Any]], bpjs: bool
) -> None:
    from jamsostek.accounts.models import Role, User

    actor = User.objects.get_or_create(username="paths-bpjs", defaults={"role": Role.BPJS_OFFICER})[0] if bpjs else None
    path = write(tmp_path_factory.mktemp("claims") / "claims.csv", rows)
    slow = outcome(path, fast=False, actor=actor)
    quick = outcome(path, fast=True, actor=actor)
    assert slow.pop("method") == "row-by-row"
    quick.pop("method")
    assert quick == slow


def test_a_clean_file_takes_the_fast_path_and_an_unclean_one_does_not(world: World, tmp_path: Path) -> None:
    clean = write(tmp_path / "clean.csv", [
        ["N/1", REGISTERED[2], "jkk", "2023-05-20", "2023-06-02", "4800000", "", ""],
        ["N/2", OUTSIDE, "jht", "2023-05-20", "2023-06-02", "9000000", "", "61.72"],
        BASE[0],  # recorded already: unchanged
    ])  # fmt: skip
    quick = outcome(clean, fast=True)
    assert (quick["method"], quick["counts"]) == ("whole-file", {"accepted": 2, "unchanged": 1})
    assert [claim[9] for claim in quick["claims"] if claim[1] == "N/1"] == ["pu"]  # the nurse's membership
    dmy = write(tmp_path / "dmy.csv", [["N/1", REGISTERED[2], "jkk", "20-05-2023", "2023-06-02", "4800000", "", ""]])
    assert outcome(dmy, fast=True)["method"] == "row-by-row"
    changed = write(tmp_path / "changed.csv", [[*BASE[0][:5], "1", "", ""]])
    refused = outcome(changed, fast=True)
    assert (refused["method"], refused["applied"], refused["counts"]) == ("row-by-row", False, {"rejected": 1})
