"""Importing denominators and targets from CSV or XLSX: every row checked, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from jamsostek.core.errors import InvalidField
from jamsostek.coverage.models import Denominator, DenominatorKind, Origin, Target
from jamsostek.registry.importing.reading import Column, FileProblem, read_rows
from jamsostek.registry.importing.values import a_bool, an_int, text
from jamsostek.registry.models import Region
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.periods import Month

T = TypeVar("T")

DENOMINATOR_COLUMNS = (
    Column("region_code", True, "Kemendagri code of the province, a regency or a district", "61.04"),
    Column("kind", True, "employed, potential or user", "employed", ("jenis",)),
    Column("period", True, "reference month, YYYY-MM", "2024-08", ("periode",)),
    Column("value", True, "number of workers", "283450", ("jumlah",)),
    Column("is_estimate", False, "ya/tidak", "tidak", ("estimasi",)),
    Column("method", False, "how an estimate was made", "", ("metode",)),
    Column("source", True, "where the number comes from", "BPS Kalbar, Sakernas Agustus 2024", ("sumber",)),
)
TARGET_COLUMNS = (
    Column("region_code", True, "Kemendagri code", "61"),
    Column("year", True, "year", "2026", ("tahun",)),
    Column("percent", True, "target UCJ in percent", "60.80", ("target",)),
    Column("source", True, "the decision or document", "RPJMD", ("sumber",)),
)


@dataclass
class Outcome:
    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (row, field, reason) of rejected rows
    written: int = 0
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem and not self.rows


def _apply_whole(path: Path, columns: Sequence[Column], clean: Callable[[dict[str, str]], T],
                 apply: Callable[[list[T]], None]) -> Outcome:  # fmt: skip
    """Clean every row of the file; apply them all in one transaction, or none when a row is bad."""
    outcome = Outcome()
    cleaned: list[T] = []
    try:
        for number, row in read_rows(path, columns):
            try:
                cleaned.append(clean(row))
            except InvalidField as error:
                outcome.rows.append((number, error.field or "", error.message))
    except FileProblem as problem:
        outcome.problem = str(problem)
    if outcome.ok:
        with transaction.atomic():
            apply(cleaned)
        outcome.written = len(cleaned)
    return outcome


def _region(row: dict[str, str], regions: set[str]) -> str:
    region = text(row, "region_code", required=True)
    if region not in regions:
        raise InvalidField(_("is not a region of Kalimantan Barat"), field="region_code")
    return region


def import_denominators(path: Path) -> Outcome:
    regions = set(Region.objects.values_list("code", flat=True))

    def clean(row: dict[str, str]) -> dict[str, Any]:
        region = _region(row, regions)
        kind = text(row, "kind", required=True).lower()
        if kind not in DenominatorKind.values:
            raise InvalidField(_("must be employed, potential or user"), field="kind")
        period_text = text(row, "period", required=True)
        if len(period_text) == 10 and period_text.endswith("-01"):
            period_text = period_text[:7]  # a date cell: Excel stores 2024-08 typed in a cell as 1 Aug 2024
        try:
            period = Month.parse(period_text, field="period").first_day
        except InvalidInput as error:
            raise InvalidField(error.reason(), field="period") from None
        value = an_int(row, "value", required=True)
        return {"region_id": region, "kind": kind, "period": period, "value": value,
                "is_estimate": bool(a_bool(row, "is_estimate")), "method": text(row, "method"),
                "source": text(row, "source", required=True)}  # fmt: skip

    def apply(cleaned: list[dict[str, Any]]) -> None:
        for values in cleaned:
            keys = {key: values.pop(key) for key in ("region_id", "kind", "period")}
            Denominator.objects.update_or_create(**keys, defaults={**values, "origin": Origin.USER})

    return _apply_whole(path, DENOMINATOR_COLUMNS, clean, apply)


def import_targets(path: Path) -> Outcome:
    regions = set(Region.objects.values_list("code", flat=True))

    def clean(row: dict[str, str]) -> tuple[str, int, Decimal, str]:
        region = _region(row, regions)
        year = an_int(row, "year", required=True)
        assert year is not None
        if not 2015 <= year <= 2100:
            raise InvalidField(_("is not a plausible year"), field="year")
        try:
            percent = Decimal(text(row, "percent", required=True).replace(",", "."))
        except InvalidOperation:
            raise InvalidField(_("is not a number"), field="percent") from None
        if not 0 < percent <= 100:
            raise InvalidField(_("must be above 0 and at most 100"), field="percent")
        return region, year, percent, text(row, "source", required=True)

    def apply(cleaned: list[tuple[str, int, Decimal, str]]) -> None:
        for region, year, percent, source in cleaned:
            Target.objects.update_or_create(region_id=region, year=year,
                                            defaults={"percent": percent, "source": source,
                                                      "origin": Origin.USER})  # fmt: skip

    return _apply_whole(path, TARGET_COLUMNS, clean, apply)
