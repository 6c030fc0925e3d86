"""Checking a whole candidate list at once (Polars): every rule applied to whole columns.

``bulk/reference.py`` is the reference: it checks one row at a time with the registry's own
validation functions (the NIK, the dates, the name, the sex) and plain Python for the drives' rules;
``tests/drives/test_check_paths.py`` holds this path to it, row for row, on generated lists. Each
rule here is the column form of one step there, in the same order, and a row's outcome is the
first rule it fails: the field, a code (``reasons.REASONS``) and the details as JSON.

Unlike a registry import, a list is never refused for its bad rows: each bad row is reported with
its reason and the rest stays usable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from jamsostek.core.bulk.frames import read_frame
from jamsostek.core.bulk.reading import MAX_VALUE, Column, read_rows
from jamsostek.core.constants import FIRST_DAY, LAST_DAY, PROVINCE
from jamsostek.drives.funding import CATEGORIES, AgeLimits
from jamsostek.registry.nik import HOME_PROVINCE, PROVINCE_CODES
from jamsostek.registry.services.validation import SEX_ALIASES

COLUMNS = (
    Column("nik", True, "the person's NIK (16 digits)", "6104015708900001"),
    Column("name", True, "full name as on the identity card", "Siti Aminah", ("nama", "nama_lengkap")),
    Column("birth_date", True, "birth date, YYYY-MM-DD or DD-MM-YYYY", "1990-08-17", ("tanggal_lahir", "tgl_lahir")),
    Column("sex", True, "L/M (male) or P/F (female)", "P", ("jenis_kelamin", "jk")),
    Column(
        "district_code",
        False,
        "district of residence (Kemendagri code); empty: the NIK's district",
        "61.04.01",
        ("kode_kecamatan", "kecamatan"),
    ),
    Column("village", False, "village (desa or kelurahan) of residence", "Sungai Awan Kiri", ("desa", "kelurahan")),
    Column(
        "category", False, "who the person is (empty: the list's category): " + ", ".join(CATEGORIES), "", ("kategori",)
    ),
)
TEXT = [column.name for column in COLUMNS]
CATEGORY_ALIASES = {
    "rentan": "vulnerable",
    "pekerja_rentan": "vulnerable",
    "miskin": "vulnerable",
    "keagamaan": "religious_social",
    "sosial_keagamaan": "religious_social",
    "pekerja_keagamaan": "religious_social",
    "perkebunan": "plantation",
    "sawit": "plantation",
    "pekebun": "plantation",
    "honorer": "non_asn",
    "non_asn": "non_asn",
    "tenaga_honorer": "non_asn",
    "perangkat_desa": "village_official",
    "kepala_desa": "village_official",
    "bpd": "bpd_lkd",
    "lkd": "bpd_lkd",
    "rt": "rt_rw",
    "rw": "rt_rw",
    "ppk": "election_worker",
    "pps": "election_worker",
    "kpps": "election_worker",
    "linmas": "election_worker",
    "penyelenggara_pemilu": "election_worker",
    "lainnya": "other",
    **{category: category for category in CATEGORIES},
}
PERSON = {"nik": pl.String, "name": pl.String, "birth_date": pl.Date, "sex": pl.String, "district": pl.String,
          "regency": pl.String, "village": pl.String, "category": pl.String}  # fmt: skip
"""A checked person's columns, as a list's rows, a drive's pool and its members hold them."""
SEGMENT_ORDER = {"pu": 0, "jakon": 1, "pmi": 2, "bpu": 3}
"""Which active membership names a protected candidate's protection when they have several."""

# Python's whitespace (``str.split``, ``str.strip``), as a regular expression class: it includes
# the ASCII separators 0x1c-0x1f, which Unicode's White_Space (and so Polars' own strip) does not.
SPACES = "".join(c for c in map(chr, range(0x110000)) if c.isspace())
WHITESPACE = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in SPACES) + "]"


@dataclass(frozen=True)
class Context:
    """What a list is checked against: the day, the districts of the province, the list's region,
    its default category and the age limits in force."""

    as_of: date
    districts: frozenset[str]
    region: str
    default_category: str
    ages: AgeLimits


# --- reading -------------------------------------------------------------------------------------


def load(path: Path) -> pl.DataFrame:
    """The file as text columns (``TEXT``), its row numbers (``row``, the header is row 1) and what
    the reader found wrong with a row (``flag``: ``extra`` or ``too_long:<column>``). A plain UTF-8
    CSV is read whole; anything else row by row. Raises ``FileProblem`` for a file it cannot take."""
    frame = read_frame(path, COLUMNS)
    if frame is not None:
        return frame.with_row_index("row", offset=2).with_columns(
            pl.col("row").cast(pl.Int64), pl.lit("").alias("flag")
        )
    rows: dict[str, list[object]] = {name: [] for name in ("row", *TEXT, "flag")}
    for number, cells in read_rows(path, COLUMNS):
        extra, too_long = cells.pop("__extra__", None), cells.pop("__too_long__", None)
        rows["row"].append(number)
        rows["flag"].append("extra" if extra else (f"too_long:{too_long}" if too_long is not None else ""))
        for name in TEXT:
            rows[name].append(cells.get(name, ""))
    return pl.DataFrame(rows, schema={"row": pl.Int64, **dict.fromkeys(TEXT, pl.String), "flag": pl.String})


# --- the rules as column expressions ---------------------------------------------------------------


def py_strip(expression: pl.Expr) -> pl.Expr:
    """``str.strip()``: Python's whitespace off both ends."""
    return expression.str.strip_chars(SPACES)


def _int(expression: pl.Expr) -> pl.Expr:
    return expression.cast(pl.Int64, strict=False)


def _days_in_month(year: pl.Expr, month: pl.Expr) -> pl.Expr:
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    return (
        pl.when(month == 2)
        .then(pl.when(leap).then(29).otherwise(28))
        .when(month.is_in([4, 6, 9, 11]))
        .then(30)
        .otherwise(31)
    )


def _json(**values: pl.Expr) -> pl.Expr:
    """Details as JSON text (escaped as JSON wants)."""
    return pl.struct(*(value.alias(name) for name, value in values.items())).struct.json_encode()


def _with_date(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """``frame`` with ``_birth`` (the date or null), ``_birth_form`` (it has the form) and
    ``_birth_real`` (a real date) read from ``column`` as ``core.bulk.values.a_date`` reads it: ISO
    ``YYYY-MM-DD`` or ``DD-MM-YYYY`` / ``DD/MM/YYYY`` / ``DD.MM.YYYY``. Python's ``$`` also matches
    before a final line break, so the patterns allow one. Each pattern is matched once."""
    c = pl.col
    text = c(column)
    parts = frame.with_columns(
        text.str.extract_groups(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})\n?$").alias("_iso"),
        text.str.extract_groups(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})\n?$").alias("_dmy"),
    ).with_columns(c("_iso").struct.field("1").is_not_null().alias("_is_iso"))
    iso, dmy, is_iso = c("_iso"), c("_dmy"), c("_is_iso")
    parts = parts.with_columns(
        pl.when(is_iso).then(_int(iso.struct.field("1"))).otherwise(_int(dmy.struct.field("3"))).alias("_year"),
        pl.when(is_iso).then(_int(iso.struct.field("2"))).otherwise(_int(dmy.struct.field("2"))).alias("_month"),
        pl.when(is_iso).then(_int(iso.struct.field("3"))).otherwise(_int(dmy.struct.field("1"))).alias("_day"),
        (is_iso | dmy.struct.field("1").is_not_null()).alias("_birth_form"),
    )
    year, month, day = c("_year"), c("_month"), c("_day")
    parts = parts.with_columns(
        (
            c("_birth_form") & (year >= 1) & month.is_between(1, 12) & (day >= 1) & (day <= _days_in_month(year, month))
        ).alias("_birth_real")
    )
    text_date = pl.format(
        "{}-{}-{}",
        year.cast(pl.String).str.zfill(4),
        month.cast(pl.String).str.zfill(2),
        day.cast(pl.String).str.zfill(2),
    )
    return parts.with_columns(
        pl.when(c("_birth_real")).then(text_date.str.to_date("%Y-%m-%d", strict=False)).alias("_birth")
    ).drop("_iso", "_dmy", "_is_iso", "_year", "_month", "_day")


@dataclass
class _Rule:
    failed: pl.Expr
    field: str | pl.Expr
    code: str
    detail: pl.Expr


def _cleaned(frame: pl.DataFrame, context: Context) -> pl.DataFrame:
    """The frame with every value the rules look at computed once, as columns (``_nik``, ``_name``,
    ``_birth``, ...): the rules then compare columns instead of parsing a cell again for each rule."""
    c = pl.col
    nik = c("_nik")
    parts = _with_date(frame, "birth_date").with_columns(py_strip(c("nik")).alias("_nik")).with_columns(
        nik.str.contains(r"^[0-9]{16}$").alias("_nik_ok"),
        nik.str.slice(0, 2).alias("_province"),
        pl.concat_str([nik.str.slice(0, 2), nik.str.slice(2, 2), nik.str.slice(4, 2)], separator=".").alias(
            "_nik_district"
        ),
        _int(nik.str.slice(6, 2)).alias("_day_part"),
        _int(nik.str.slice(8, 2)).alias("_nik_month"),
        _int(nik.str.slice(10, 2)).alias("_nik_year"),
        c("name").str.replace_all(f"{WHITESPACE}+", " ").str.strip_chars(" ").alias("_name"),
        py_strip(c("sex"))
        .str.to_uppercase()
        .replace_strict(SEX_ALIASES, default=None, return_dtype=pl.String)
        .alias("_sex"),
        py_strip(c("category")).str.to_lowercase().str.replace_all(r"[ -]", "_").alias("_category_key"),
    )  # fmt: skip
    day = context.as_of
    birth = c("_birth")
    return parts.with_columns(
        pl.when(c("_day_part") > 40).then(c("_day_part") - 40).otherwise(c("_day_part")).alias("_nik_day"),
        pl.when(c("_day_part") > 40).then(pl.lit("F")).otherwise(pl.lit("M")).alias("_nik_sex"),
        pl.when(c("district_code") != "")
        .then(c("district_code"))
        .when(c("_province") == HOME_PROVINCE)
        .then(c("_nik_district"))
        .alias("_district"),
        pl.when(c("_category_key") == "")
        .then(pl.lit(context.default_category))
        .otherwise(c("_category_key").replace_strict(CATEGORY_ALIASES, default=None, return_dtype=pl.String))
        .alias("_category"),
        (
            pl.lit(day.year)
            - birth.dt.year()
            - (
                (pl.lit(day.month) < birth.dt.month())
                | ((pl.lit(day.month) == birth.dt.month()) & (pl.lit(day.day) < birth.dt.day()))
            ).cast(pl.Int64)
        ).alias("_age"),
    )


def _rules(context: Context) -> list[_Rule]:
    """The rules, in the order the reference applies them, on the columns of ``_cleaned``."""
    c = pl.col
    districts = sorted(context.districts)
    nik, province, nik_district = c("_nik"), c("_province"), c("_nik_district")
    nik_day, nik_month, nik_year, birth = c("_nik_day"), c("_nik_month"), c("_nik_year"), c("_birth")
    longest = (
        pl.when(nik_month == 2)
        .then(pl.when(nik_year % 4 == 0).then(29).otherwise(28))
        .otherwise(_days_in_month(pl.lit(2001), nik_month))
    )
    day_part = c("_day_part")
    nik_birth_ok = (
        (day_part.is_between(1, 31) | day_part.is_between(41, 71)) & nik_month.is_between(1, 12) & (nik_day <= longest)
    )
    given_district, district = c("district_code"), c("_district")
    ages, day, region = context.ages, context.as_of, context.region
    age_detail = _json(
        age=c("_age"), day=pl.lit(day.isoformat()), youngest=pl.lit(ages.youngest), oldest=pl.lit(ages.oldest)
    )
    in_region = pl.lit(True) if region == PROVINCE else (district == region) | district.str.starts_with(region + ".")
    empty = pl.lit("")
    encoded = pl.format(
        "{}-{}-..{}",
        nik_day.cast(pl.String).str.zfill(2),
        nik_month.cast(pl.String).str.zfill(2),
        nik_year.cast(pl.String).str.zfill(2),
    )
    return [
        _Rule(c("flag") == "extra", "", "extra_cells", empty),
        _Rule(
            c("flag").str.starts_with("too_long:"),
            c("flag").str.strip_prefix("too_long:"),
            "cell_too_long",
            _json(limit=pl.lit(MAX_VALUE)),
        ),
        _Rule(~c("_nik_ok"), "nik", "nik_format", empty),
        _Rule(~province.is_in(sorted(PROVINCE_CODES)), "nik", "nik_province", _json(code=province)),
        _Rule(
            (province == HOME_PROVINCE) & ~nik_district.is_in(districts),
            "nik",
            "nik_district",
            _json(code=nik_district),
        ),
        _Rule(~nik_birth_ok, "nik", "nik_birth_date", _json(digits=nik.str.slice(6, 6))),
        _Rule(nik.str.slice(12, 4) == "0000", "nik", "nik_serial", empty),
        _Rule(c("_name") == "", "name", "required", empty),
        _Rule(c("_name").str.len_chars() > 150, "name", "too_long", empty),
        _Rule(c("_sex").is_null(), "sex", "sex_invalid", empty),
        _Rule(c("birth_date") == "", "birth_date", "required", empty),
        _Rule(~c("_birth_form"), "birth_date", "not_a_date", _json(value=c("birth_date"))),
        _Rule(~c("_birth_real"), "birth_date", "not_real_date", _json(value=c("birth_date"))),
        _Rule(
            ~birth.is_between(pl.lit(FIRST_DAY), pl.lit(LAST_DAY)),
            "birth_date",
            "out_of_range",
            _json(first=pl.lit(str(FIRST_DAY)), last=pl.lit(str(LAST_DAY))),
        ),
        _Rule(birth > pl.lit(day), "birth_date", "future", empty),
        _Rule(
            (birth.dt.day() != nik_day) | (birth.dt.month() != nik_month) | (birth.dt.year() % 100 != nik_year),
            "birth_date",
            "nik_birth_mismatch",
            _json(declared=birth.dt.strftime("%Y-%m-%d"), encoded=encoded),
        ),
        _Rule(c("_sex") != c("_nik_sex"), "sex", "nik_sex_mismatch", empty),
        _Rule(
            (given_district != "") & ~given_district.is_in(districts),
            "district_code",
            "unknown_district",
            _json(code=given_district),
        ),
        _Rule(district.is_null(), "district_code", "required", empty),
        _Rule(c("_category").is_null(), "category", "unknown_category", _json(choices=pl.lit(", ".join(CATEGORIES)))),
        _Rule(c("_age") < ages.youngest, "birth_date", "too_young", age_detail),
        _Rule(c("_age") > ages.oldest, "birth_date", "too_old", age_detail),
        _Rule(~in_region, "district_code", "outside_region", _json(region=pl.lit(region))),
    ]


def check(frame: pl.DataFrame, context: Context) -> pl.DataFrame:
    """Every row's outcome: ``row``, the cleaned values (``nik``, ``name``, ``birth_date``, ``sex``,
    ``district``, ``regency``, ``village``, ``category``), ``status`` (usable or rejected) and, for a
    rejected row, ``field``, ``problem`` and ``detail``."""
    if frame.height == 0:
        return _empty()
    c = pl.col
    rules = _rules(context)
    cleaned = _cleaned(frame, context)
    # the first rule each row fails (null: none); its field and code, and its details for the rejected rows only
    failed = pl.coalesce(
        [pl.when(rule.failed.fill_null(False)).then(pl.lit(index)) for index, rule in enumerate(rules)]
    )
    cleaned = cleaned.with_columns(failed.alias("_rule"))
    rejected = cleaned.filter(c("_rule").is_not_null())
    details = rejected.select(c("row"), _first(rules, "field"), _first(rules, "detail"))
    outcome = cleaned.select(
        c("row"),
        pl.when(c("_nik_ok")).then(c("_nik")).otherwise(c("nik")).alias("nik"),
        pl.when(c("_name") != "").then(c("_name")).otherwise(c("name")).alias("name"),
        c("_birth").alias("birth_date"),
        c("_sex").fill_null("").alias("sex"),
        c("_district").fill_null("").alias("district"),
        c("village").str.replace_all(f"{WHITESPACE}+", " ").str.strip_chars(" ").alias("village"),
        c("_category").fill_null("").alias("category"),
        c("_rule").replace_strict(dict(enumerate(rule.code for rule in rules)), default=None, return_dtype=pl.String)
        .alias("problem"),
    ).join(details, on="row", how="left")  # fmt: skip
    outcome = outcome.with_columns(
        pl.when(c("problem").is_null()).then(pl.lit("usable")).otherwise(pl.lit("rejected")).alias("status"),
    )
    # a NIK met again in a later row of the list: the first usable row keeps it
    first = outcome.filter(c("status") == "usable").group_by("nik").agg(c("row").min().alias("first_row"))
    outcome = outcome.join(first, on="nik", how="left").with_columns(
        duplicate=(c("status") == "usable") & (c("row") != c("first_row"))
    )
    outcome = outcome.with_columns(
        pl.when(c("duplicate")).then(pl.lit("rejected")).otherwise(c("status")).alias("status"),
        pl.when(c("duplicate")).then(pl.lit("nik")).otherwise(c("field")).fill_null("").alias("field"),
        pl.when(c("duplicate"))
        .then(pl.lit("duplicate_in_list"))
        .otherwise(c("problem"))
        .fill_null("")
        .alias("problem"),
        pl.when(c("duplicate")).then(_json(row=c("first_row"))).otherwise(c("detail")).fill_null("").alias("detail"),
    )
    return (
        outcome.with_columns(
            pl.when(c("status") == "usable").then(c("district").str.slice(0, 5)).otherwise(pl.lit("")).alias("regency"),
        )
        .select(RESULT)
        .sort("row")
    )


RESULT = [
    "row",
    "nik",
    "name",
    "birth_date",
    "sex",
    "district",
    "regency",
    "village",
    "category",
    "status",
    "field",
    "problem",
    "detail",
]


def _first(rules: Sequence[_Rule], what: str) -> pl.Expr:
    """The ``what`` (field, code or detail) of the first rule a row fails (null: none)."""
    chain: Any = None
    for rule in rules:
        field = pl.lit(rule.field) if isinstance(rule.field, str) else rule.field
        value = {"field": field, "code": pl.lit(rule.code), "detail": rule.detail}[what]
        chain = (
            pl.when(rule.failed.fill_null(False)).then(value)
            if chain is None
            else chain.when(rule.failed.fill_null(False)).then(value)
        )
    assert chain is not None
    result: pl.Expr = chain.otherwise(pl.lit(None, dtype=pl.String)).alias(what)
    return result


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema={"row": pl.Int64, **PERSON, "status": pl.String, "field": pl.String,
                                "problem": pl.String, "detail": pl.String})  # fmt: skip
