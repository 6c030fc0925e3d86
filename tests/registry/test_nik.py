"""NIK validation: structure, region codes, the encoded birth date and sex."""

from __future__ import annotations

from datetime import date

import pytest

from jamsostek.core.errors import InvalidField
from jamsostek.registry.nik import check_against, parse_nik

DISTRICTS = {"61.04.01", "61.71.01", "61.01.01"}


def test_it_reads_region_birth_date_and_sex() -> None:
    facts = parse_nik("6104015708900001", districts=DISTRICTS)
    assert facts.regency_code == "61.04"
    assert facts.district_code == "61.04.01"
    assert (facts.birth_day, facts.birth_month, facts.birth_year_2) == (17, 8, 90)
    assert facts.sex == "F"  # day 57 = 17 + 40
    male = parse_nik("6171011203850002", districts=DISTRICTS)
    assert male.sex == "M"
    assert male.birth_day == 12


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("610401570890001", "nik_format"),  # 15 digits
        ("61040157089000012", "nik_format"),  # 17 digits
        ("61040157089O0001", "nik_format"),  # a letter O
        ("6004015708900001", "nik_province"),  # province 60 does not exist
        ("6104995708900001", "nik_district"),  # district 61.04.99 does not exist
        ("6104013202900001", "nik_birth_date"),  # 32 February
        ("6104017202900001", "nik_birth_date"),  # day 72 (32 + 40)
        ("6104013501900001", "nik_birth_date"),  # day 35: neither a man's nor a woman's day
        ("6104012902890001", "nik_birth_date"),  # 29 February 1989/2089: no leap year
        ("6104011513900001", "nik_birth_date"),  # month 13
        ("6104011203900000", "nik_serial"),  # serial 0000
    ],
)
def test_it_rejects_malformed_niks_with_a_reason(nik: str, code: str) -> None:
    with pytest.raises(InvalidField) as raised:
        parse_nik(nik, districts=DISTRICTS)
    assert raised.value.field == "nik"
    assert raised.value.code == code


def test_a_leap_day_is_accepted_when_the_year_can_be_a_leap_year() -> None:
    assert parse_nik("6104012902880001", districts=DISTRICTS).birth_day == 29
    assert parse_nik("6104012902000001", districts=DISTRICTS).birth_year_2 == 0


def test_niks_of_other_provinces_are_checked_for_the_province_only() -> None:
    facts = parse_nik("3171011203850002", districts=DISTRICTS)
    assert facts.province_code == "31"


def test_the_declared_birth_date_and_sex_must_match_the_nik() -> None:
    facts = parse_nik("6104015708900001", districts=DISTRICTS)
    check_against(facts, birth_date=date(1990, 8, 17), sex="F")
    with pytest.raises(InvalidField) as raised:
        check_against(facts, birth_date=date(1990, 8, 18), sex="F")
    assert raised.value.field == "birth_date"
    with pytest.raises(InvalidField) as raised:
        check_against(facts, birth_date=date(1990, 8, 17), sex="M")
    assert raised.value.field == "sex"
    check_against(facts, birth_date=date(1890, 8, 17), sex="F")  # the century is not encoded
