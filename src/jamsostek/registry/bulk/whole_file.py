"""The fast import path: whole-file checks and writes with Polars, for the common case.

The row-by-row importers (``persons.py``, ``memberships.py``) are the reference: they check
every rule and word every reason. This path applies the same rules to whole columns, but only
takes a file it can prove clean: a plain UTF-8 CSV in canonical form (ISO dates, canonical
codes), every row valid, every row new or unchanged, and every row inside the importing user's
reach by the same access policy (``Reach.includes_column``, the column form of the row check).
Anything else (a bad row, an alias it does not know, an update, a row outside the user's reach)
sends the whole file down the row-by-row path, which words the reason, so the outcome never
depends on which path ran. A property test holds the two to the same result.

Only the importers' ``whole_file`` (called by ``registry.services.import_file``) runs this.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from jamsostek.accounts.policy import Action
from jamsostek.core.bulk.frames import (
    ForeignKeysCheckedOnce,
    catch_up_ids,
    query_frame,
    read_frame,
    reserve_ids,
    timestamp,
    write_frame,
)
from jamsostek.core.bulk.importer import Importer
from jamsostek.core.bulk.report import ACCEPTED, UNCHANGED, ImportReport, fill_from_frame
from jamsostek.core.constants import FIRST_DAY, LAST_DAY
from jamsostek.registry.nik import HOME_PROVINCE, PROVINCE_CODES
from jamsostek.registry.services.validation import SEX_ALIASES, district_codes
from jamsostek.rules.model import MAX_PMI_MONTHS, MAX_RUPIAH

logger = logging.getLogger(__name__)
BULK = 50_000
"""From this many new memberships, foreign keys are checked once at the end (PostgreSQL)."""
MEMBERSHIP_TABLES = ("registry_membership", "registry_wagereport", "registry_membershipevent")
POSSIBLE_DUPLICATE = gettext_noop("possible duplicate of NIK %(nik)s (same name and birth date): check before merging")
"""The row-by-row path's warning, word for word, translated into the active language where it is used."""


def _in_reach(importer: Importer, frame: pl.DataFrame, region: str, employer: str | None = None) -> bool:
    """Every row's place (``region``, ``employer`` columns) is one the importing user may change."""
    policy = importer.policy
    if not policy.may(Action.CHANGE_REGISTRY):
        return False
    places = policy.reach.includes_column(pl.col(region), pl.col(employer) if employer else None)
    return _all(frame, places.fill_null(False))


def _decline(importer: Importer, why: str) -> ImportReport | None:
    """The fast path does not take this file; say where it stopped (the row-by-row path follows)."""
    logger.info("%s: the whole-file import does not apply (%s); checking row by row", importer.kind, why)
    return None


def _all(frame: pl.DataFrame, expression: pl.Expr) -> bool:
    return bool(frame.select(expression.all()).item())


def _report(
    importer: Importer, path: Path, dry_run: bool, report_path: Path | None, frame: pl.DataFrame
) -> ImportReport:
    """The report of a fast import: ``frame`` has row, key, status, warnings (one text per row)."""
    report = importer.new_report(path, dry_run=dry_run, report_path=report_path, method="whole-file")
    return fill_from_frame(report, frame.select("row", "key", "status", "warnings"))


# --- persons -------------------------------------------------------------------------------------


def persons(importer: Importer, path: Path, *, dry_run: bool, report_path: Path | None) -> ImportReport | None:
    """A persons file through the fast path, or None when it does not take the file (nothing written)."""
    from jamsostek.registry.bulk.persons import COLUMNS

    frame = read_frame(path, COLUMNS)
    if frame is None:
        return _decline(importer, "not a plain canonical CSV")
    districts = sorted(district_codes())
    today = timezone.localdate()
    nik = pl.col("nik")
    female = nik.str.slice(6, 2).cast(pl.Int32, strict=False) > 40
    day = nik.str.slice(6, 2).cast(pl.Int32, strict=False) - pl.when(female).then(40).otherwise(0)
    birth = pl.col("birth_date").str.to_date("%Y-%m-%d", strict=False)
    frame = frame.with_row_index("row", offset=2).with_columns(
        birth=birth,
        sex_code=pl.col("sex").str.to_uppercase().replace_strict(SEX_ALIASES, default=None),
        nik_sex=pl.when(female).then(pl.lit("F")).otherwise(pl.lit("M")),
        clean_name=pl.col("name").str.replace_all(r"\s+", " ").str.strip_chars(),
    )
    valid = (
        nik.str.contains(r"^\d{16}$")
        & nik.str.slice(0, 2).is_in(sorted(PROVINCE_CODES))
        & ((nik.str.slice(0, 2) != HOME_PROVINCE) | (
            (nik.str.slice(0, 2) + "." + nik.str.slice(2, 2) + "." + nik.str.slice(4, 2)).is_in(districts)))
        & (nik.str.slice(12, 4) != "0000")
        & pl.col("birth_date").str.contains(r"^\d{4}-\d{2}-\d{2}$")
        & pl.col("birth").is_not_null()
        & (pl.col("birth") <= today)
        & (pl.col("birth") >= FIRST_DAY)
        & (pl.col("birth").dt.day() == day)
        & (pl.col("birth").dt.month() == nik.str.slice(8, 2).cast(pl.Int32, strict=False))
        & (pl.col("birth").dt.year() % 100 == nik.str.slice(10, 2).cast(pl.Int32, strict=False))
        & pl.col("sex_code").is_not_null()
        & (pl.col("sex_code") == pl.col("nik_sex"))
        & ~pl.col("name").str.contains(r"[\x00-\x1f\x7f-\x9f]")
        & (pl.col("clean_name").str.len_chars().is_between(1, 150))
        & pl.col("district_code").is_in(districts)
        & ((pl.col("phone") == "") | pl.col("phone").str.contains(r"^\+?[0-9 -]{6,20}$"))
        & ((pl.col("kpj") == "") | pl.col("kpj").str.contains(r"^\d{11}$"))
        & ~nik.is_duplicated()
        & ((pl.col("kpj") == "") | ~pl.col("kpj").is_duplicated())
    )  # fmt: skip
    if not _all(frame, valid.fill_null(False)):
        return _decline(importer, "a row breaks a rule or is not in canonical form")
    if not _in_reach(importer, frame, "district_code"):
        return _decline(importer, "a row is outside the importing user's reach")
    frame = frame.with_columns(birth_text=pl.col("birth").dt.to_string("%Y-%m-%d"))
    db = importer.db
    existing = query_frame(
        db,
        "SELECT id, nik, name, CAST(birth_date AS TEXT), sex, region_id, phone, kpj FROM registry_person ORDER BY id",
        [],
        {"id": pl.Int64, "nik": pl.String, "name": pl.String, "birth_date": pl.String, "sex": pl.String,
         "region_id": pl.String, "phone": pl.String, "kpj": pl.String},
    )  # fmt: skip
    existing = existing.with_columns(pl.col("birth_date").str.slice(0, 10), pl.col("kpj").fill_null(""),
                                     pl.col("phone").fill_null(""))  # fmt: skip
    joined = frame.join(existing.rename({c: f"old_{c}" for c in existing.columns if c != "nik"}), on="nik", how="left")
    matched = joined.filter(pl.col("old_id").is_not_null())
    if matched.height and not _in_reach(importer, matched, "old_region_id"):
        return _decline(importer, "a row is a person outside the importing user's reach")
    same = (
        (pl.col("clean_name") == pl.col("old_name"))
        & (pl.col("birth_text") == pl.col("old_birth_date"))
        & (pl.col("sex_code") == pl.col("old_sex"))
        & (pl.col("district_code") == pl.col("old_region_id"))
        & (pl.col("phone") == pl.col("old_phone"))
        & (pl.col("kpj") == pl.col("old_kpj"))
    )
    if matched.height and not _all(matched, same):
        return _decline(
            importer, "a row changes a registered person"
        )  # an update: the row-by-row path words and audits each change
    kpj_owners = existing.filter(pl.col("kpj") != "").select(pl.col("kpj"), pl.col("nik").alias("owner"))
    clash = frame.filter(pl.col("kpj") != "").join(kpj_owners, on="kpj").filter(pl.col("owner") != pl.col("nik"))
    if clash.height:
        return _decline(importer, "a KPJ number belongs to another person")

    # Possible duplicates: the first NIK seen (the registry in id order, then the file in row
    # order) for a name and birth date; a row whose NIK is not that one gets a warning. Only the
    # persons the importing user may see are compared (a warning must not tell them who is
    # registered in another regency).
    visible = existing.filter(importer.policy.reach.includes_column(pl.col("region_id")))
    keys = pl.concat([
        visible.select(pl.col("name").str.to_lowercase().alias("name_key"), pl.col("birth_date").alias("birth_text"),
                        "nik"),
        frame.select(pl.col("clean_name").str.to_lowercase().alias("name_key"), "birth_text", "nik"),
    ]).with_row_index("sequence")  # fmt: skip
    first = (
        keys.sort("sequence")
        .group_by(["name_key", "birth_text"], maintain_order=True)
        .agg(pl.col("nik").first().alias("first_nik"))
    )
    frame = (
        frame.with_columns(name_key=pl.col("clean_name").str.to_lowercase())
        .join(first, on=["name_key", "birth_text"], how="left")
        .with_columns(
            status=pl.when(pl.col("nik").is_in(existing["nik"].implode())).then(pl.lit(UNCHANGED)).otherwise(
                pl.lit(ACCEPTED)),
            warnings=pl.when(pl.col("first_nik") != pl.col("nik"))
            .then(pl.format(gettext(POSSIBLE_DUPLICATE).replace("%(nik)s", "{}"), _nik_as_seen(importer, "first_nik")))
            .otherwise(pl.lit("")),
        )
        .sort("row")
    )  # fmt: skip
    _record_shown(importer, frame, existing)
    report = _report(importer, path, dry_run, report_path,
                     frame.select("row", pl.col("nik").alias("key"), "status", "warnings"))  # fmt: skip
    if dry_run:
        return report
    now = timestamp(db, importer.now)
    new = frame.filter(pl.col("status") == ACCEPTED).select(
        "nik", pl.col("clean_name").alias("name"), pl.col("birth_text").alias("birth_date"),
        pl.col("sex_code").alias("sex"), pl.col("district_code").alias("region_id"),
        pl.col("district_code").str.slice(0, 5).alias("regency_id"), "phone",
        pl.when(pl.col("kpj") == "").then(None).otherwise(pl.col("kpj")).alias("kpj"),
        pl.lit(now).alias("created_at"), pl.lit(now).alias("updated_at"),
    )  # fmt: skip
    first_id = reserve_ids(db, "registry_person")
    created = new.with_row_index("id", offset=first_id).with_columns(pl.col("id").cast(pl.Int64))
    write_frame(db, "registry_person", created)
    catch_up_ids(db, "registry_person")
    changes = pl.struct(
        [pl.concat_list(pl.lit(None, dtype=pl.String), pl.col(source).cast(pl.String)).alias(target)
         for target, source in (("nik", "nik"), ("name", "name"), ("birth_date", "birth_date"), ("sex", "sex"),
                                ("region", "region_id"), ("phone", "phone"), ("kpj", "kpj"))]
    ).struct.json_encode()  # fmt: skip
    importer.audit.write_frame(db, created.select(pl.col("id").alias("entity_id"), changes.alias("changes")),
                               action="create", entity="registry.person")  # fmt: skip
    report.applied = True
    return report


def _record_shown(importer: Importer, frame: pl.DataFrame, existing: pl.DataFrame) -> None:
    """The registered persons whose full NIK the warnings show, recorded as the row-by-row path does
    (``accounts.nik_log``; a NIK from the file itself is the importer's own)."""
    if not importer.policy.sees_nik:
        return
    warned = frame.filter(pl.col("first_nik") != pl.col("nik")).select(pl.col("first_nik").alias("nik"))
    shown = warned.join(existing.select("id", "nik"), on="nik").select("id", "nik").sort("id")
    for person_id, nik in shown.iter_rows():
        importer.disclosures.nik(person_id, nik)  # type: ignore[attr-defined]


def _nik_as_seen(importer: Importer, column: str) -> pl.Expr:
    """A column of NIKs as the importing user may see them (``Policy.nik`` and ``mask_nik``, for whole
    columns: a test holds the two equal)."""
    nik = pl.col(column)
    if importer.policy.sees_nik:
        return nik
    return nik.str.slice(0, 6) + pl.lit("*" * 10)


# --- memberships ---------------------------------------------------------------------------------

TRUE = ["1", "y", "ya", "yes", "true", "benar"]
FALSE = ["0", "n", "tidak", "no", "false", "salah"]
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
NUMBER = r"^[0-9]+$"
FAR = date(9999, 12, 31)


def _flag(name: str) -> pl.Expr:
    value = pl.col(name).str.to_lowercase()
    return pl.when(value.is_in(TRUE)).then(True).when(value.is_in(FALSE)).then(False).otherwise(None)


def memberships(importer: Importer, path: Path, *, dry_run: bool, report_path: Path | None) -> ImportReport | None:
    """A memberships file through the fast path, or None when it does not take the file (nothing written)."""
    from jamsostek.registry.bulk.memberships import COLUMNS, FLAGS, TABLE_COLUMNS

    frame = read_frame(path, COLUMNS)
    if frame is None:
        return _decline(importer, "not a plain canonical CSV")
    db = importer.db
    text = {name: pl.col(name) for name in frame.columns}
    shape_ok = (
        text["segment"].str.to_lowercase().is_in(["pu", "bpu", "jakon", "pmi"])
        & text["start_date"].str.contains(DATE)
        & ((text["end_date"] == "") | text["end_date"].str.contains(DATE))
        & ((text["wage_valid_from"] == "") | text["wage_valid_from"].str.contains(DATE))
        & ((text["wage"] == "") | text["wage"].str.contains(NUMBER))
        & ((text["fixed_allowances"] == "") | text["fixed_allowances"].str.contains(NUMBER))
        & ((text["contract_months"] == "") | text["contract_months"].str.contains(NUMBER))
        & pl.all_horizontal([(text[name] == "") | text[name].str.to_lowercase().is_in(TRUE + FALSE)
                             for name in ("jht", "jp", "jkp", "pre_departure")])
        & (text["nik"] != "")
    )  # fmt: skip
    if not _all(frame, shape_ok):
        return _decline(importer, "a cell is not in canonical form")
    frame = frame.with_row_index("row", offset=2).with_columns(
        segment=text["segment"].str.to_lowercase(),
        start=text["start_date"].str.to_date("%Y-%m-%d", strict=False),
        end=pl.when(text["end_date"] == "").then(None).otherwise(
            text["end_date"].str.to_date("%Y-%m-%d", strict=False)),
        wage_from_given=pl.when(text["wage_valid_from"] == "").then(None).otherwise(
            text["wage_valid_from"].str.to_date("%Y-%m-%d", strict=False)),
        wage_given=pl.when(text["wage"] == "").then(None).otherwise(text["wage"].cast(pl.Int64, strict=False)),
        allowances=pl.when(text["fixed_allowances"] == "").then(0).otherwise(
            text["fixed_allowances"].cast(pl.Int64, strict=False)),
        months=pl.when(text["contract_months"] == "").then(None).otherwise(
            text["contract_months"].cast(pl.Int64, strict=False)),
        jht_given=_flag("jht"), jp_given=_flag("jp"), jkp_given=_flag("jkp"),
        pre_departure=_flag("pre_departure").fill_null(False),
    )  # fmt: skip
    parsed_ok = (
        pl.col("start").is_not_null()
        & pl.col("start").is_between(FIRST_DAY, LAST_DAY)
        & (pl.col("end").is_null() | pl.col("end").is_between(FIRST_DAY, LAST_DAY))
        & (pl.col("wage_from_given").is_null() | pl.col("wage_from_given").is_between(FIRST_DAY, LAST_DAY))
        & ((text["end_date"] == "") | pl.col("end").is_not_null())
        & ((text["wage_valid_from"] == "") | pl.col("wage_from_given").is_not_null())
        & ((text["wage"] == "") | pl.col("wage_given").is_not_null())
        & pl.col("allowances").is_not_null()
        & ((text["contract_months"] == "") | pl.col("months").is_not_null())
    )
    if not _all(frame, parsed_ok):
        return _decline(importer, "a date or number does not parse")

    persons = query_frame(db, "SELECT nik, id, regency_id FROM registry_person", [],
                          {"nik": pl.String, "person_id": pl.Int64, "person_regency": pl.String})  # fmt: skip
    employers = query_frame(
        db, "SELECT npp, id, regency_id, size_class FROM registry_employer", [],
        {"npp": pl.String, "employer_ref": pl.Int64, "employer_regency": pl.String, "size_class": pl.String},
    ).with_columns(jp_required=pl.col("size_class").is_in(["medium", "large"])).drop("size_class")  # fmt: skip
    sponsors = query_frame(
        db, "SELECT code, id, with_jht, income_nominal, CAST(start_date AS TEXT), CAST(end_date AS TEXT), quota, "
        "region_id FROM registry_sponsorprogram", [],
        {"sponsor_code": pl.String, "sponsor_id": pl.Int64, "sponsor_jht": pl.Boolean, "income": pl.Int64,
         "sponsor_start": pl.Date, "sponsor_end": pl.Date, "quota": pl.Int64, "sponsor_region": pl.String},
    )  # fmt: skip
    projects = query_frame(
        db, "SELECT code, id, employer_id, region_id FROM registry_project", [],
        {"project_code": pl.String, "project_id": pl.Int64, "project_employer": pl.Int64, "project_region": pl.String},
    )  # fmt: skip
    # Only what the importing user may see is found (as the row-by-row lookups): another regency's
    # employer, sponsor program or project is "not found", which sends the file to the row-by-row path.
    reach = importer.policy.reach
    employers = employers.filter(reach.includes_column(pl.col("employer_regency"), pl.col("employer_ref")))
    sponsors = sponsors.filter(reach.includes_column(pl.col("sponsor_region"))).drop("sponsor_region")
    projects = projects.filter(reach.includes_column(pl.col("project_region"), pl.col("project_employer")))
    frame = (
        frame.join(persons, on="nik", how="left")
        .join(employers, on="npp", how="left")
        .join(sponsors, on="sponsor_code", how="left")
        .join(projects, on="project_code", how="left")
        .sort("row")
    )
    segment = pl.col("segment")
    has_employer, has_sponsor, has_project = (text["npp"] != ""), (text["sponsor_code"] != ""), (
        text["project_code"] != "")  # fmt: skip
    found = (
        pl.col("person_id").is_not_null()
        & (~has_employer | pl.col("employer_ref").is_not_null())
        & (~has_sponsor | pl.col("sponsor_id").is_not_null())
        & (~has_project | pl.col("project_id").is_not_null())
    )
    rules = (
        pl.when(segment == "pu").then(has_employer & ~has_sponsor & ~has_project
                                      & ~(pl.col("jp_given").eq_missing(False) & pl.col("jp_required")))
        .when(segment == "jakon").then(has_project & ~has_employer & ~has_sponsor)
        .when(segment == "pmi").then(~has_employer & ~has_sponsor & ~has_project
                                     & pl.col("months").is_between(1, MAX_PMI_MONTHS).fill_null(False))
        .otherwise(~has_employer & ~has_project)  # bpu
    )  # fmt: skip
    frame = frame.with_columns(
        payer=pl.when(segment.is_in(["pu", "jakon"])).then(pl.lit("employer"))
        .when((segment == "bpu") & has_sponsor).then(pl.lit("sponsor")).otherwise(pl.lit("participant")),
        regency_id=pl.when(segment == "pu").then(pl.col("employer_regency"))
        .when(segment == "jakon").then(pl.col("project_region").str.slice(0, 5)).otherwise(pl.col("person_regency")),
        employer_id=pl.when(segment == "pu").then(pl.col("employer_ref"))
        .when(segment == "jakon").then(pl.col("project_employer")).otherwise(None),
        jkk=pl.lit(True), jkm=pl.lit(True),
        jht=pl.when(segment == "pu").then(True).when(segment == "jakon").then(False)
        .when(segment == "pmi").then(pl.col("jht_given").fill_null(False))
        .otherwise(pl.col("jht_given").fill_null(pl.col("sponsor_jht").fill_null(False))),
        jp=pl.when(segment == "pu").then(pl.col("jp_given").fill_null(pl.col("jp_required"))).otherwise(False),
        jkp=pl.when(segment == "pu").then(pl.col("jkp_given").fill_null(True)).otherwise(False),
        wage=pl.col("wage_given").fill_null(pl.col("income")),
        wage_from=pl.col("wage_from_given").fill_null(pl.col("start")),
    )  # fmt: skip
    valid = (
        found
        & rules.fill_null(False)
        & (pl.col("end").is_null() | (pl.col("end") >= pl.col("start")))
        & (~has_sponsor | pl.col("start").is_between(pl.col("sponsor_start"), pl.col("sponsor_end")))
        & (pl.col("wage").is_not_null() | (segment == "pmi"))
        & (pl.col("wage").is_null() | (pl.col("wage") <= MAX_RUPIAH))
        & (pl.col("wage_from") >= pl.col("start"))
    )
    if not _all(frame, valid.fill_null(False)):
        return _decline(importer, "a row breaks a rule or refers to an unknown record")
    if not _in_reach(importer, frame, "regency_id", "employer_id"):
        return _decline(importer, "a row is outside the importing user's reach")
    del persons, employers, sponsors, projects
    frame = frame.select(
        "row", "nik", "segment", "start", "end", "months", "pre_departure", "person_id", "employer_id", "sponsor_id",
        "project_id", "payer", "regency_id", *FLAGS, "wage", "allowances", "wage_from", "quota",
    )  # fmt: skip
    dash = pl.lit("-")
    frame = frame.with_columns(
        group=pl.concat_str([
            pl.col("person_id").cast(pl.String), segment,
            pl.col("employer_id").cast(pl.String).fill_null(dash), pl.col("sponsor_id").cast(pl.String).fill_null(dash),
            pl.col("project_id").cast(pl.String).fill_null(dash),
        ], separator=":"),
    ).with_columns(natural_key=pl.col("group") + ":" + pl.col("start").dt.to_string("%Y-%m-%d"))  # fmt: skip
    if frame["natural_key"].is_duplicated().any():
        return _decline(importer, "a membership appears twice")

    existing = query_frame(
        db, "SELECT id, natural_key, CAST(start_date AS TEXT), CAST(end_date AS TEXT), jkk, jkm, jht, jp, jkp, "
        "contract_months, pre_departure, regency_id, employer_id "
        "FROM registry_membership", [],
        {"id": pl.Int64, "natural_key": pl.String, "old_start": pl.Date, "old_end": pl.Date, "old_jkk": pl.Boolean,
         "old_jkm": pl.Boolean, "old_jht": pl.Boolean, "old_jp": pl.Boolean, "old_jkp": pl.Boolean,
         "old_months": pl.Int64, "old_pre": pl.Boolean, "old_regency": pl.String, "old_employer": pl.Int64},
    )  # fmt: skip
    # Overlaps within a group (same person, segment and enroller), existing and new together.
    intervals = pl.concat([
        existing.select(pl.col("natural_key").str.replace(r":[^:]*$", "").alias("group"),
                        pl.col("old_start").alias("start"), pl.col("old_end").alias("end"), pl.lit(False).alias("new")),
        frame.select("group", "start", "end", pl.lit(True).alias("new")),
    ]).unique(["group", "start"], keep="last")  # fmt: skip
    # Sorted by group and start, an interval overlaps an earlier one of its group when it starts on
    # or before the latest end seen so far in the group. The running maximum is taken over
    # group number x OFFSET + end day, which no earlier group can reach (no window functions).
    offset = 10_000_000  # more days than to 9999-12-31
    ordered = (
        intervals.filter(pl.col("group").is_in(frame["group"].implode()))
        .sort(["group", "start"])
        .with_columns(number=(pl.col("group") != pl.col("group").shift(1)).fill_null(True).cum_sum().cast(pl.Int64))
        .with_columns(reach=(pl.col("number") * offset + pl.col("end").fill_null(FAR).cast(pl.Int64)).cum_max())
    )
    overlapping = ordered.filter(
        (pl.col("number") == pl.col("number").shift(1))
        & (pl.col("reach").shift(1) - pl.col("number") * offset >= pl.col("start").cast(pl.Int64))
    )
    if overlapping.height:
        return _decline(importer, "memberships overlap")
    joined = frame.join(existing, on="natural_key", how="left")
    matched = joined.filter(pl.col("id").is_not_null())
    if matched.height and not _in_reach(importer, matched, "old_regency", "old_employer"):
        return _decline(importer, "a row is a membership outside the importing user's reach")
    if matched.height:
        wages = query_frame(
            db, "SELECT membership_id, CAST(valid_from AS TEXT), amount, fixed_allowances FROM registry_wagereport", [],
            {"id": pl.Int64, "wage_from": pl.Date, "old_wage": pl.Int64, "old_allowances": pl.Int64},
        )  # fmt: skip
        matched = matched.join(wages, on=["id", "wage_from"], how="left")
        same = (
            pl.col("end").eq_missing(pl.col("old_end"))
            & pl.all_horizontal([pl.col(flag) == pl.col(f"old_{flag}") for flag in FLAGS])
            & pl.col("months").eq_missing(pl.col("old_months"))
            & (pl.col("pre_departure") == pl.col("old_pre"))
            & (pl.col("wage").is_null() | ((pl.col("wage") == pl.col("old_wage"))
                                           & (pl.col("allowances") == pl.col("old_allowances"))))
        )  # fmt: skip
        if not _all(matched, same.fill_null(False)):
            return _decline(
                importer, "a row changes a registered membership"
            )  # an update: the row-by-row path words and audits each change
    frame = joined.with_columns(
        status=pl.when(pl.col("id").is_null()).then(pl.lit(ACCEPTED)).otherwise(pl.lit(UNCHANGED))
    )
    new = frame.filter(pl.col("status") == ACCEPTED)
    if new.filter(pl.col("sponsor_id").is_not_null()).height:
        counts = query_frame(
            db, "SELECT sponsor_id, COUNT(*) FROM registry_membership WHERE sponsor_id IS NOT NULL GROUP BY sponsor_id",
            [], {"sponsor_id": pl.Int64, "taken": pl.Int64},
        )  # fmt: skip
        quota = (
            new.group_by("sponsor_id", "quota").len().join(counts, on="sponsor_id", how="left")
            .filter(pl.col("sponsor_id").is_not_null()
                    & (pl.col("len") + pl.col("taken").fill_null(0) > pl.col("quota")))
        )  # fmt: skip
        if quota.height:
            return _decline(importer, "a sponsor program's quota is exceeded")
    outcome = frame.select("row", pl.col("nik").alias("key"), "status", pl.lit("").alias("warnings"))
    report = _report(importer, path, dry_run, report_path, outcome)
    if dry_run:
        return report
    now = timestamp(db, importer.now)
    rows = new.select(
        "person_id", "segment", "employer_id", "project_id", "sponsor_id", "payer", "regency_id", *FLAGS,
        pl.col("start").alias("start_date"), pl.col("end").alias("end_date"), pl.col("months").alias("contract_months"),
        "pre_departure", "natural_key", pl.lit(now).alias("created_at"), pl.lit(now).alias("updated_at"),
    )  # fmt: skip
    assert tuple(rows.columns) == TABLE_COLUMNS
    first_id = reserve_ids(db, "registry_membership")
    new = new.with_row_index("membership_id", offset=first_id).with_columns(pl.col("membership_id").cast(pl.Int64))
    checked_once = ForeignKeysCheckedOnce(db, MEMBERSHIP_TABLES) if new.height >= BULK else nullcontext()
    with checked_once:
        write_frame(db, "registry_membership", _texts(rows.with_columns(id=new["membership_id"])))
        catch_up_ids(db, "registry_membership")
        _membership_children(importer, db, now, new)
    report.applied = True
    return report


def _membership_children(importer: Importer, db: Any, now: Any, created: pl.DataFrame) -> None:
    """Wages, events and audit records of newly written memberships (``membership_id`` set)."""
    segment = pl.col("segment")
    write_frame(db, "registry_wagereport", _texts(created.filter(pl.col("wage").is_not_null()).select(
        "membership_id", pl.col("wage_from").alias("valid_from"), pl.col("wage").alias("amount"),
        pl.col("allowances").alias("fixed_allowances"))))  # fmt: skip
    event = [pl.lit(importer.reason).alias("reason"), pl.lit(importer.actor_label).alias("actor_label"),
             pl.lit(now).alias("recorded_at")]  # fmt: skip
    events = pl.concat([
        created.select("membership_id", pl.lit("enrolled").alias("kind"), pl.col("start").alias("on"), *event),
        created.filter(pl.col("end").is_not_null()).select("membership_id", pl.lit("ended").alias("kind"),
                                                            pl.col("end").alias("on"), *event),
    ])  # fmt: skip
    write_frame(db, "registry_membershipevent", _texts(events))
    common = [pair(segment).alias("segment"), pair(pl.col("start").dt.to_string("%Y-%m-%d")).alias("start_date"),
              pair(pl.col("payer")).alias("payer")]  # fmt: skip
    wage_pair = pl.concat_list(pl.lit(None, dtype=pl.Int64), pl.col("wage")).alias("wage")
    changes = pl.when(pl.col("end").is_null()).then(pl.struct([*common, wage_pair]).struct.json_encode()).otherwise(
        pl.struct([*common, wage_pair, pair(pl.col("end").dt.to_string("%Y-%m-%d")).alias("end_date")])
        .struct.json_encode())  # fmt: skip
    importer.audit.write_frame(db, created.select(pl.col("membership_id").alias("entity_id"), changes.alias("changes")),
                               action="create", entity="registry.membership")  # fmt: skip


def pair(expression: pl.Expr) -> pl.Expr:
    """``[null, value]``: how an audit record shows a value that was created."""
    return pl.concat_list(pl.lit(None, dtype=pl.String), expression.cast(pl.String))


def _texts(frame: pl.DataFrame) -> pl.DataFrame:
    """Dates as ISO text, which every database's bulk path takes."""
    return frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
