"""The coverage facts end to end: registry -> billing -> payments -> protected participants.

The billed world of the contributions tests (every segment and payer), plus a Ketapang wage
earner who also joins BPU and a Pontianak resident who works for the Ketapang company. March and
April 2025 are billed; payments are known on 20 July 2025, when every bill is past its due date.

| person (district)                  | membership              | March        | April        |
|------------------------------------|-------------------------|--------------|--------------|
| Siti Aminah (61.04.01)             | PU, PT Sawit (employer) | protected    | protected    |
|                                    | BPU (self)              | paid         | unpaid       |
| Tukang Bangunan (61.04.01)         | Jakon (project)         | protected    | protected    |
| Maria Ulfa (61.04.02)              | PU, agency (employer)   | protected    | protected    |
| Budi Santoso (61.01.01)            | PU (employer)           | protected    | protected    |
| Petani Mandiri (61.01.01)          | BPU (self)              | paid         | unpaid       |
| Pekerja Migran (61.01.01)          | PMI (self)              | package paid | package paid |
| Pekerja Rentan (61.71.01)          | BPU (province budget)   | paid         | paid         |
| Andi Pratama (61.71.02, commuter)  | PU, PT Sawit (employer) | protected    | protected    |

Wage earners stay protected until three consecutive months are unpaid (two here); an informal
worker is protected only in a paid month once it is due.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from jamsostek.contributions.models import Bill
from jamsostek.contributions.services import payment_record
from jamsostek.coverage.bulk.compute import facts, recompute
from jamsostek.coverage.indicators import Indicators
from jamsostek.coverage.models import Computation, CoverageFact
from jamsostek.registry import services
from jamsostek.registry.models import Person
from jamsostek.rules.periods import Month
from tests.contributions.test_status_arrears_budget import bill_all
from tests.coverage.conftest import Billed, fact

MARCH, APRIL = Month(2025, 3), Month(2025, 4)
AS_OF = date(2025, 7, 20)

Row = tuple[str, str, str, str, int]  # month, district, segment, payer group, persons

MARCH_ROWS: set[Row] = {
    # Siti (PU + BPU) and the builder (Jakon) live in Matan Hilir Utara: two persons, three memberships
    ("2025-03", "61.04.01", "all", "all", 2),
    ("2025-03", "61.04.01", "pu", "all", 1),
    ("2025-03", "61.04.01", "bpu", "all", 1),
    ("2025-03", "61.04.01", "jakon", "all", 1),
    ("2025-03", "61.04.01", "all", "employer", 2),
    ("2025-03", "61.04.01", "all", "self", 1),
    ("2025-03", "61.04.02", "all", "all", 1),
    ("2025-03", "61.04.02", "pu", "all", 1),
    ("2025-03", "61.04.02", "all", "employer", 1),
    ("2025-03", "61.01.01", "all", "all", 3),
    ("2025-03", "61.01.01", "pu", "all", 1),
    ("2025-03", "61.01.01", "bpu", "all", 1),
    ("2025-03", "61.01.01", "pmi", "all", 1),
    ("2025-03", "61.01.01", "all", "employer", 1),
    ("2025-03", "61.01.01", "all", "self", 2),
    ("2025-03", "61.71.01", "all", "all", 1),
    ("2025-03", "61.71.01", "bpu", "all", 1),
    ("2025-03", "61.71.01", "all", "budget", 1),
    # the commuter counts where he lives (Pontianak Timur), not where his employer is (Ketapang)
    ("2025-03", "61.71.02", "all", "all", 1),
    ("2025-03", "61.71.02", "pu", "all", 1),
    ("2025-03", "61.71.02", "all", "employer", 1),
}
APRIL_ROWS: set[Row] = {
    # Siti's unpaid BPU month: still protected through her employer, but no longer in BPU or "self"
    ("2025-04", "61.04.01", "all", "all", 2),
    ("2025-04", "61.04.01", "pu", "all", 1),
    ("2025-04", "61.04.01", "jakon", "all", 1),
    ("2025-04", "61.04.01", "all", "employer", 2),
    ("2025-04", "61.04.02", "all", "all", 1),
    ("2025-04", "61.04.02", "pu", "all", 1),
    ("2025-04", "61.04.02", "all", "employer", 1),
    # the farmer's unpaid April: not protected at all
    ("2025-04", "61.01.01", "all", "all", 2),
    ("2025-04", "61.01.01", "pu", "all", 1),
    ("2025-04", "61.01.01", "pmi", "all", 1),
    ("2025-04", "61.01.01", "all", "employer", 1),
    ("2025-04", "61.01.01", "all", "self", 1),
    ("2025-04", "61.71.01", "all", "all", 1),
    ("2025-04", "61.71.01", "bpu", "all", 1),
    ("2025-04", "61.71.01", "all", "budget", 1),
    ("2025-04", "61.71.02", "all", "all", 1),
    ("2025-04", "61.71.02", "pu", "all", 1),
    ("2025-04", "61.71.02", "all", "employer", 1),
}


def pay_in_full(payer_key: str, month: Month, reference: str, on: date = date(2025, 3, 10)) -> None:
    bill = Bill.objects.get(payer_key=payer_key, period=month.first_day)
    payment_record(actor=None, transaction_reference=reference, payment_reference=bill.reference, amount=bill.total,
                   paid_on=on)  # fmt: skip


def scenario(billed: Billed) -> Person:
    """Enrol the two extra people, bill March and April, pay what the table says is paid."""
    world = billed.world
    services.membership_enrol(actor=None, person=world.ketapang_worker, segment="bpu", start_date=date(2025, 3, 1),
                              wage=1_000_000, reason="side job")  # fmt: skip
    commuter = services.person_register(
        actor=None, nik="6171020101900008", name="Andi Pratama", birth_date=date(1990, 1, 1), sex="M",
        region_code="61.71.02", reason="test setup",
    )  # fmt: skip
    services.membership_enrol(actor=None, person=commuter, segment="pu", employer=world.company,
                              start_date=date(2025, 1, 1), wage=3_000_000, reason="test setup")  # fmt: skip
    bill_all([MARCH, APRIL])
    pay_in_full(f"participant:{world.ketapang_worker.pk}", MARCH, "T1")
    pay_in_full(f"participant:{billed.farmer.pk}", MARCH, "T2")
    pay_in_full(f"participant:{billed.migrant.pk}", MARCH, "T3")
    pay_in_full(f"sponsor:{billed.sponsor.pk}", MARCH, "T4")
    pay_in_full(f"sponsor:{billed.sponsor.pk}", APRIL, "T5")
    return commuter


def frame_rows(frame: pl.DataFrame) -> set[Row]:
    assert frame.columns == ["month", "district", "regency", "segment", "payer_group", "persons"]
    assert all(regency == district[:5] for district, regency in frame.select("district", "regency").iter_rows())
    return {(f"{m:%Y-%m}", d, s, g, n) for m, d, s, g, n in frame.drop("regency").iter_rows()}


def stored_rows() -> set[Row]:
    rows = CoverageFact.objects.values_list("period", "district", "segment", "payer_group", "persons")
    return {(f"{m:%Y-%m}", d, s, g, n) for m, d, s, g, n in rows}


def test_the_facts_count_protected_persons_where_they_live_by_segment_and_payer(billed: Billed) -> None:
    scenario(billed)
    assert frame_rows(facts(MARCH, APRIL, as_of=AS_OF)) == MARCH_ROWS | APRIL_ROWS


def test_a_month_not_yet_due_protects_an_informal_worker_who_has_not_paid(billed: Billed) -> None:
    scenario(billed)
    # on 10 April the April BPU bills (due 15 April) are not due yet: Siti and the farmer are protected
    april = frame_rows(facts(APRIL, APRIL, as_of=date(2025, 4, 10)))
    assert ("2025-04", "61.01.01", "all", "all", 3) in april
    assert ("2025-04", "61.01.01", "bpu", "all", 1) in april
    assert ("2025-04", "61.04.01", "all", "self", 1) in april


def test_recompute_stores_the_facts_and_the_indicators_read_them(billed: Billed) -> None:
    scenario(billed)
    computation = recompute(first=MARCH, last=APRIL, as_of=AS_OF)
    assert stored_rows() == MARCH_ROWS | APRIL_ROWS
    assert (computation.first, computation.last, computation.as_of) == (MARCH.first_day, APRIL.first_day, AS_OF)
    assert computation.rows == len(MARCH_ROWS) + len(APRIL_ROWS)
    indicators = Indicators()
    assert indicators.months == [MARCH, APRIL]
    assert [f.participants for f in indicators.trend("61")] == [2 + 1 + 3 + 1 + 1, 2 + 1 + 2 + 1 + 1]
    assert [f.participants for f in indicators.trend("61.04")] == [3, 3]
    assert indicators.figure("61.71", APRIL).payers == {"employer": 1, "self": 0, "budget": 1}


def test_recompute_replaces_only_its_own_months_and_is_idempotent(billed: Billed) -> None:
    scenario(billed)
    fact("2025-01", "61.05.01", 42)  # a month outside the recomputed range
    recompute(first=MARCH, last=APRIL, as_of=AS_OF)
    january = {("2025-01", "61.05.01", "all", "all", 42)}
    assert stored_rows() == january | MARCH_ROWS | APRIL_ROWS

    pay_in_full(f"participant:{billed.farmer.pk}", APRIL, "T6", on=date(2025, 4, 10))
    recompute(first=APRIL, last=APRIL, as_of=AS_OF)
    farmer_paid = {
        ("2025-04", "61.01.01", "all", "all", 3),
        ("2025-04", "61.01.01", "bpu", "all", 1),
        ("2025-04", "61.01.01", "all", "self", 2),
    }
    replaced = {("2025-04", "61.01.01", "all", "all", 2), ("2025-04", "61.01.01", "all", "self", 1)}
    assert stored_rows() == january | MARCH_ROWS | (APRIL_ROWS - replaced) | farmer_paid

    before = CoverageFact.objects.count()
    recompute(first=MARCH, last=APRIL, as_of=AS_OF)
    recompute(first=MARCH, last=APRIL, as_of=AS_OF)
    assert CoverageFact.objects.count() == before
    assert stored_rows() == january | MARCH_ROWS | (APRIL_ROWS - replaced) | farmer_paid
    assert Computation.objects.count() == 4  # one record per recomputation


def test_the_fast_facts_equal_persons_counted_from_the_month_by_month_status(db: object, tmp_path: object) -> None:
    """A small synthetic province, billed and paid like the demo: the bit-mask facts that feed the
    dashboard count exactly the distinct persons the reference status derivation marks protected."""
    from django.core.management import call_command

    from jamsostek.contributions.selectors.status import derive_status, reference_status

    as_of, first, last = date(2025, 11, 30), Month(2025, 1), Month(2025, 11)
    call_command("synth", scale=0.001, seed=7, as_of=as_of.isoformat(), directory=str(tmp_path), verbosity=0)
    call_command("billing", "run", period=str(first), through=str(last), verbosity=0)
    call_command("payments", "simulate", seed=7, as_of=date(2025, 12, 20).isoformat(), verbosity=0)
    paid_on = date(2025, 12, 20)
    fast = facts(first, last, as_of=paid_on)
    every = reference_status(first, last, as_of=paid_on)
    columns = ["membership_id", "month", "status", "protected", "person_id", "segment", "payer_kind", "district"]
    assert (
        derive_status(first, last, as_of=paid_on).select(columns).sort("membership_id", "month").rows()
        == every.select(columns).sort("membership_id", "month").rows()
    )  # the fast status, row by row
    status = every.filter(pl.col("protected"))
    group = (
        pl.when(pl.col("segment").is_in(["pu", "jakon"])).then(pl.lit("employer"))
        .when(pl.col("payer_kind") == "sponsor").then(pl.lit("budget")).otherwise(pl.lit("self"))
    )  # fmt: skip
    status = status.with_columns(payer_group=group)
    expected = []
    for by, segment, payer in (([], "all", "all"), (["segment"], None, "all"), (["payer_group"], "all", None)):
        counted = status.group_by(["month", "district", *by]).agg(pl.col("person_id").n_unique().alias("persons"))
        expected.append(counted.select(
            "month", "district",
            (pl.col("segment") if segment is None else pl.lit(segment)).alias("segment"),
            (pl.col("payer_group") if payer is None else pl.lit(payer)).alias("payer_group"),
            pl.col("persons").cast(pl.Int64),
        ))  # fmt: skip
    reference = pl.concat(expected).with_columns(
        pl.col("month").map_elements(lambda index: Month.from_index(index).first_day, return_dtype=pl.Date)
    )
    columns = ["month", "district", "segment", "payer_group", "persons"]
    assert reference.height > 100
    assert fast.select(columns).sort(columns).to_dicts() == reference.select(columns).sort(columns).to_dicts()
    # the statuses are not all alike: some memberships are unpaid, lapsed or not billed in some months
    assert every.filter(~pl.col("protected")).height > 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the regions are reference data
def test_outside_a_transaction_the_reads_run_at_once_on_their_own_connections_with_the_same_result(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``recompute`` does on a whole province: the memberships, places, payers and packages
    read in parallel threads (committed data: other connections see it) give the reference answer."""
    from concurrent.futures import ThreadPoolExecutor

    from django.core.management import call_command

    from jamsostek.contributions.selectors import status
    from jamsostek.core.bulk import frames

    submitted: list[object] = []

    class Counting(ThreadPoolExecutor):
        def submit(self, *args: Any, **kwargs: Any) -> Any:
            submitted.append(args[0])
            return super().submit(*args, **kwargs)

    monkeypatch.setattr(frames, "ThreadPoolExecutor", Counting)
    first, last, paid_on = Month(2025, 1), Month(2025, 6), date(2025, 7, 20)
    call_command("synth", scale=0.0005, seed=11, as_of="2025-06-30", directory=str(tmp_path), verbosity=0)
    call_command("billing", "run", period=str(first), through=str(last), verbosity=0)
    call_command("payments", "simulate", seed=11, as_of=paid_on.isoformat(), verbosity=0)
    masks = status.protected_masks(first, last, as_of=paid_on)
    assert len(submitted) >= 3  # the other reads ran in threads
    reference = status.reference_status(first, last, as_of=paid_on)
    expected: dict[int, int] = {}
    for membership_id, month, protected in reference.select("membership_id", "month", "protected").iter_rows():
        expected[membership_id] = expected.get(membership_id, 0) | (int(protected) << (month - first.index))
    assert dict(masks.select("membership_id", "mask").iter_rows()) == {
        membership_id: expected.get(membership_id, 0) for membership_id in masks["membership_id"]
    }
    assert sum(expected.values()) > 0
