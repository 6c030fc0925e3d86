"""The whole-list check (Polars) is held to the row-by-row reference, row for row, on generated
lists: the same status, field and reason (as worded, in English and in Indonesian), the same cleaned
values; and the whole-list match against the registry to the person-by-person one."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl
import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamsostek.drives.bulk import checking, matching, reference
from jamsostek.drives.funding import AgeLimits, age_limits
from jamsostek.drives.reasons import reason
from jamsostek.registry import services as registry
from tests.drives.conftest import nik

AS_OF = date(2026, 3, 15)
DISTRICTS = frozenset({"61.04.01", "61.04.02", "61.04.03", "61.01.01", "61.71.01"})
AGES = age_limits(AS_OF)
WHITESPACE = [" ", "\t", "\xa0", "\u2003", "\x1c", "\x1f", "\n"]


def _context(region: str = "61.04", default: str = "vulnerable", ages: AgeLimits = AGES) -> checking.Context:
    return checking.Context(as_of=AS_OF, districts=DISTRICTS, region=region, default_category=default, ages=ages)


@st.composite
def a_birth(draw: st.DrawFn) -> date:
    years = draw(st.sampled_from([(18, 60)] * 6 + [(0, 80)]))
    return AS_OF - timedelta(days=draw(st.integers(years[0] * 365, years[1] * 366)))


@st.composite
def a_row(draw: st.DrawFn) -> dict[str, str]:
    district = draw(
        st.sampled_from(["61.04.01", "61.04.02", "61.04.03"] * 3 + sorted(DISTRICTS) + ["61.04.99", "62.01.01"])
    )
    birth = draw(a_birth())
    sex = draw(st.sampled_from("LP"))
    text = nik(district, birth, sex, draw(st.sampled_from([1, 2, 3, 4, 5, 6, 7, 0])))
    mutation = draw(st.integers(0, 24))  # most rows unmutated: a bad value in a few of each list
    if mutation == 0:
        text = text[: draw(st.integers(0, 15))]
    elif mutation == 1:
        position = draw(st.integers(0, 15))
        text = text[:position] + draw(st.sampled_from("xX٣ -")) + text[position + 1 :]
    elif mutation == 2:
        text = draw(st.sampled_from(["00", "99", "32", "61"])) + text[2:]
    elif mutation == 3:
        text = (
            text[:6] + draw(st.sampled_from(["000000", "320295", "722999", "290221", "290200", "410101"])) + text[12:]
        )
    elif mutation == 4:
        text = draw(st.sampled_from(WHITESPACE)) + text + draw(st.sampled_from(WHITESPACE))
    birth_form = draw(st.integers(0, 16))
    if birth_form == 0:
        birth_text = birth.strftime("%d-%m-%Y")
    elif birth_form == 1:
        birth_text = f"{birth.day}/{birth.month}/{birth.year}"
    elif birth_form == 2:
        birth_text = draw(
            st.sampled_from(
                [
                    "",
                    "kemarin",
                    "2024-02-30",
                    "31.04.1990",
                    "0000-01-01",
                    "1990-1-1",
                    "2099-01-01",
                    "1990-01-01\n",
                    "12-12-90",
                ]
            )
        )
    elif birth_form == 3:
        birth_text = (birth + timedelta(days=draw(st.integers(-400, 400)))).isoformat()
    elif birth_form == 4 and (birth.month, birth.day) != (2, 29):  # the same day, another year (or century)
        birth_text = birth.replace(year=birth.year + draw(st.sampled_from([-1, 1, -100]))).isoformat()
    else:
        birth_text = birth.isoformat()
    sex_text = draw(
        st.sampled_from([sex] * 12 + [sex.lower(), " " + sex, "Laki-laki", "PEREMPUAN", "M", "F", "x", "", "w"])
    )
    if mutation == 5:
        sex_text = "P" if sex == "L" else "L"
    name = draw(
        st.sampled_from(
            ["Siti Aminah"] * 6
            + ["  Budi   Santoso ", "", "\u2003", "Dewi\x1cLestari", "A" * 151, "Yohanes " + "B" * 140]
        )
    )
    district_text = draw(
        st.sampled_from(["", "", "", district, district, district, "61.04.01", "61.04.02", "61.01.01", "61.99.99"])
    )
    village = draw(st.sampled_from(["", "Sungai  Awan", " Desa\u2003Baru "]))
    category = draw(
        st.sampled_from(["", "", "", "rentan", "Perangkat Desa", "bpd", "KPPS", "vulnerable", "astronaut", " rt "])
    )
    flag = draw(st.sampled_from([""] * 18 + ["extra", "too_long:name"]))
    return {
        "nik": text,
        "name": name,
        "birth_date": birth_text,
        "sex": sex_text,
        "district_code": district_text,
        "village": village,
        "category": category,
        "flag": flag,
    }


def _frame(rows: list[dict[str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"row": number, **row} for number, row in enumerate(rows, start=2)],
        schema={"row": pl.Int64, **dict.fromkeys(checking.TEXT, pl.String), "flag": pl.String},
    )


def _compare(frame: pl.DataFrame, context: checking.Context) -> None:
    fast = checking.check(frame, context)
    slow = reference.check_rows(frame, context)
    assert fast.height == len(slow)
    for got, expected in zip(fast.iter_rows(named=True), slow, strict=True):
        worded = reason(got["problem"], got["detail"]) if got["problem"] else ""
        assert (got["row"], got["status"], got["field"], worded) == (
            expected.row,
            expected.status,
            expected.field,
            expected.reason,
        ), got
        if expected.status == "usable":
            assert (
                got["nik"],
                got["name"],
                got["birth_date"],
                got["sex"],
                got["district"],
                got["village"],
                got["category"],
            ) == (
                expected.nik,
                expected.name,
                expected.birth_date,
                expected.sex,
                expected.district,
                expected.village,
                expected.category,
            )
            assert got["regency"] == expected.district[:5]


@given(
    st.lists(a_row(), min_size=1, max_size=40),
    st.sampled_from(["61", "61.04", "61.04.01"]),
    st.lists(st.tuples(st.integers(0, 39), st.sampled_from(["same", "spaced", "other_name"])), max_size=6),
)
@settings(max_examples=150, deadline=None)
def test_the_whole_list_check_agrees_with_the_row_by_row_reference(
    rows: list[dict[str, str]], region: str, copies: list[tuple[int, str]]
) -> None:
    for index, how in copies:  # the same person again further down the list
        row = dict(rows[index % len(rows)])
        if how == "spaced":
            row["nik"] = " " + row["nik"]
        elif how == "other_name":
            row["name"] = "Nama Lain"
        rows.append(row)
    frame = _frame(rows)
    for language in ("en", "id"):
        with translation.override(language):
            _compare(frame, _context(region=region))


def test_a_nik_repeated_in_a_list_is_kept_in_its_first_usable_row_only() -> None:
    birth = date(1990, 8, 17)
    good = {
        "nik": nik("61.04.01", birth, "P", 1),
        "name": "Siti",
        "birth_date": birth.isoformat(),
        "sex": "P",
        "district_code": "",
        "village": "",
        "category": "",
        "flag": "",
    }
    rows = [{**good, "sex": "x"}, good, {**good, "nik": " " + good["nik"]}, good]
    with translation.override("en"):
        outcome = checking.check(_frame(rows), _context())
        _compare(_frame(rows), _context())
    assert outcome["status"].to_list() == ["rejected", "usable", "rejected", "rejected"]
    assert outcome["problem"].to_list() == ["sex_invalid", "", "duplicate_in_list", "duplicate_in_list"]
    with translation.override("en"):
        assert reason(outcome["problem"][3], outcome["detail"][3]) == "the same NIK is already in row 3 of this list"


def test_the_age_limits_reject_the_too_young_and_the_too_old_with_their_age() -> None:
    young, old = AS_OF.replace(year=AS_OF.year - 14), AS_OF.replace(year=AS_OF.year - 66) - timedelta(days=1)
    rows = [
        {
            "nik": nik("61.04.01", birth, "L", 1),
            "name": "A",
            "birth_date": birth.isoformat(),
            "sex": "L",
            "district_code": "",
            "village": "",
            "category": "",
            "flag": "",
        }
        for birth in (young, old)
    ]
    with translation.override("en"):
        outcome = checking.check(_frame(rows), _context())
        assert outcome["problem"].to_list() == ["too_young", "too_old"]
        assert reason(outcome["problem"][1], outcome["detail"][1]) == (
            f"is 66 years old on {AS_OF}; BPU enrolment is from 15 to 65 years (UNCONFIRMED limits)"
        )


def test_a_birth_date_before_1900_is_out_of_range_on_both_paths() -> None:
    birth = date(1999, 12, 31)
    row = {"nik": nik("61.04.01", birth, "L", 1), "name": "A", "birth_date": "1899-12-31", "sex": "P",
           "district_code": "", "village": "", "category": "", "flag": ""}  # fmt: skip
    with translation.override("en"):
        outcome = checking.check(_frame([row]), _context())
        _compare(_frame([row]), _context())
        assert (outcome["field"][0], reason(outcome["problem"][0], outcome["detail"][0])) == (
            "birth_date",
            "must be between 1900-01-01 and 2099-12-31",
        )


# --- the match against the registry -----------------------------------------------------------


@pytest.fixture
def people(db: Any) -> list[str]:
    """A registry with a person in each state: protected by an employer, by a sponsor, twice, with
    a membership ended, with one not started yet, with none; and NIKs it does not hold."""
    company = registry.employer_register(
        actor=None, npp="K1", name="PT Satu", risk_class=2, size_class="small", region_code="61.04.01", reason="setup"
    )
    sponsor = registry.sponsor_program_create(
        actor=None,
        code="S1",
        name="Rentan",
        kind="regency_budget",
        region_code="61.04",
        year=2026,
        quota=10,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        reason="setup",
    )
    niks = []
    for serial, plan in enumerate(("pu", "bpu_sponsored", "both", "ended", "future", "none", "ended_twice"), start=1):
        birth = date(1980, 1, serial)
        person = registry.person_register(
            actor=None,
            nik=nik("61.04.01", birth, "L", serial),
            name=f"P{serial}",
            birth_date=birth,
            sex="M",
            region_code="61.04.01",
            reason="setup",
        )
        niks.append(person.nik)
        if plan in ("pu", "both"):
            registry.membership_enrol(
                actor=None,
                person=person,
                segment="pu",
                employer=company,
                start_date=date(2024, 1, 1),
                wage=3_000_000,
                reason="setup",
            )
        if plan in ("bpu_sponsored", "both"):
            registry.membership_enrol(
                actor=None, person=person, segment="bpu", sponsor=sponsor, start_date=date(2026, 1, 1), reason="setup"
            )
        if plan in ("ended", "ended_twice"):
            first = registry.membership_enrol(
                actor=None,
                person=person,
                segment="pu",
                employer=company,
                start_date=date(2020, 1, 1),
                wage=3_000_000,
                reason="setup",
            )
            registry.membership_end(actor=None, membership=first, end_date=date(2022, 6, 30), reason="setup")
            if plan == "ended_twice":
                second = registry.membership_enrol(
                    actor=None,
                    person=person,
                    segment="bpu",
                    start_date=date(2023, 1, 1),
                    wage=1_000_000,
                    reason="setup",
                )
                registry.membership_end(actor=None, membership=second, end_date=date(2025, 3, 31), reason="setup")
        if plan == "future":
            registry.membership_enrol(
                actor=None, person=person, segment="bpu", start_date=date(2026, 6, 1), wage=1_000_000, reason="setup"
            )
    return [*niks, nik("61.04.01", date(1999, 9, 9), "L", 1), nik("61.04.02", date(1970, 2, 2), "P", 7)]


@given(data=st.data())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_whole_list_match_agrees_with_the_person_by_person_reference(people: list[str], data: Any) -> None:
    from django.db import connection

    asked = data.draw(st.lists(st.sampled_from(people), min_size=1, max_size=12))
    day = data.draw(st.sampled_from([AS_OF, date(2022, 1, 1), date(2026, 7, 1), date(2025, 3, 31)]))
    usable = pl.DataFrame(
        {"row": list(range(2, 2 + len(asked))), "nik": asked}, schema={"row": pl.Int64, "nik": pl.String}
    )
    fast = matching.match(connection, usable, day=day, list_id=None)
    for got, asked_nik in zip(fast.iter_rows(named=True), asked, strict=True):
        expected = reference.match_nik(asked_nik, day=day, list_id=None)
        assert (
            got["match"],
            got["person_id"],
            got["protected_segment"],
            got["protected_payer"],
            got["protected_by"],
            got["protected_regency"],
            got["last_end"],
            got["in_other_lists"],
        ) == (
            expected.match,
            expected.person_id,
            expected.segment,
            expected.payer,
            expected.by,
            expected.regency,
            expected.last_end,
            expected.in_other_lists,
        )
