"""NIK (Nomor Induk Kependudukan) validation: UU 23/2006 art. 13 as amended by UU 24/2013.

Layout (16 digits): province (2), regency/city (2), district (2), day of birth (+40 for women),
month of birth, last two digits of the year of birth, serial (4, from 0001). The region digits are
where the NIK was first registered, not the current address; the century is not encoded.
"""

from __future__ import annotations

from collections.abc import Collection, Container
from dataclasses import dataclass
from datetime import date

import polars as pl
from django.utils.translation import gettext_lazy as _

from jamsostek.core.constants import PROVINCE
from jamsostek.core.errors import InvalidField

# Kemendagri province codes (38 provinces, 2025 list as published in cahyadsn/wilayah).
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "21",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "51",
        "52",
        "53",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "72",
        "73",
        "74",
        "75",
        "76",
        "81",
        "82",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
    ]
)
HOME_PROVINCE = PROVINCE


@dataclass(frozen=True)
class NikFacts:
    nik: str
    province_code: str
    regency_code: str  # "61.04"
    district_code: str  # "61.04.01"
    birth_day: int
    birth_month: int
    birth_year_2: int
    sex: str  # "M" or "F"

    def matches_birth_date(self, birth: date) -> bool:
        return (birth.day, birth.month, birth.year % 100) == (
            self.birth_day,
            self.birth_month,
            self.birth_year_2,
        )


def parse_nik(nik: str, *, districts: Container[str] | None = None) -> NikFacts:
    """Check the NIK's structure and return what it encodes; raises ``InvalidField('nik')``.

    ``districts`` are the known district codes of the home province: a home-province NIK must name
    one of them. NIKs of other provinces are checked for their province code only.
    """
    value = nik.strip() if isinstance(nik, str) else ""
    if len(value) != 16 or not (value.isascii() and value.isdigit()):
        raise InvalidField(_("a NIK has exactly 16 digits"), field="nik", code="nik_format")
    province = value[:2]
    if province not in PROVINCE_CODES:
        raise InvalidField(
            _("province code %(code)s in the NIK does not exist") % {"code": province},
            field="nik",
            code="nik_province",
        )
    regency = f"{province}.{value[2:4]}"
    district = f"{regency}.{value[4:6]}"
    if province == HOME_PROVINCE and districts is not None and district not in districts:
        raise InvalidField(
            _("district code %(code)s in the NIK does not exist in Kalimantan Barat") % {"code": district},
            field="nik",
            code="nik_district",
        )
    day_part, month, year_2 = int(value[6:8]), int(value[8:10]), int(value[10:12])
    sex = "F" if day_part > 40 else "M"
    day = day_part - 40 if day_part > 40 else day_part
    if not (1 <= day_part <= 31 or 41 <= day_part <= 71) or not 1 <= month <= 12 or day > _longest(month, year_2):
        raise InvalidField(
            _("the birth date in the NIK (digits 7-12: %(digits)s) is not a real date") % {"digits": value[6:12]},
            field="nik",
            code="nik_birth_date",
        )
    if value[12:] == "0000":
        raise InvalidField(_("the NIK serial number (last 4 digits) cannot be 0000"), field="nik", code="nik_serial")
    return NikFacts(value, province, regency, district, day, month, year_2, sex)


def _longest(month: int, year_2: int) -> int:
    """Days in the month; 29 February is real when the year could be a leap year in either century."""
    if month == 2:
        return 29 if year_2 % 4 == 0 else 28
    return _DAYS[month]


_DAYS = {1: 31, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def check_against(facts: NikFacts, *, birth_date: date, sex: str) -> None:
    """The declared birth date and sex must be the ones the NIK encodes."""
    if not facts.matches_birth_date(birth_date):
        raise InvalidField(
            _("the birth date %(declared)s does not match the NIK, which encodes %(encoded)s")
            % {
                "declared": birth_date.isoformat(),
                "encoded": f"{facts.birth_day:02d}-{facts.birth_month:02d}-..{facts.birth_year_2:02d}",
            },
            field="birth_date",
            code="nik_birth_mismatch",
        )
    if facts.sex != sex:
        raise InvalidField(
            _("the sex does not match the NIK (day of birth +40 means female)"),
            field="sex",
            code="nik_sex_mismatch",
        )


def nik_column_valid(nik: pl.Expr, districts: Collection[str]) -> pl.Expr:
    """``parse_nik`` for a whole column of NIKs at once (a Polars expression, true where the NIK is
    valid): the bulk paths' form of the same rules."""
    day_part = nik.str.slice(6, 2).cast(pl.Int32, strict=False)
    month = nik.str.slice(8, 2).cast(pl.Int32, strict=False)
    year_2 = nik.str.slice(10, 2).cast(pl.Int32, strict=False)
    day = pl.when(day_part > 40).then(day_part - 40).otherwise(day_part)
    longest = (
        pl.when(month == 2).then(pl.when(year_2 % 4 == 0).then(29).otherwise(28))
        .when(month.is_in([4, 6, 9, 11])).then(30).otherwise(31)
    )  # fmt: skip
    district = nik.str.slice(0, 2) + "." + nik.str.slice(2, 2) + "." + nik.str.slice(4, 2)
    return (
        nik.str.contains(r"^\d{16}$")
        & nik.str.slice(0, 2).is_in(sorted(PROVINCE_CODES))
        & ((nik.str.slice(0, 2) != HOME_PROVINCE) | district.is_in(sorted(districts)))
        & (day_part.is_between(1, 31) | day_part.is_between(41, 71))
        & month.is_between(1, 12)
        & (day <= longest)
        & (nik.str.slice(12, 4) != "0000")
    ).fill_null(False)
