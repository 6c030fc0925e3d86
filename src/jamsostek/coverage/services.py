"""Every write to coverage goes through these functions: a denominator or a target (one, a file of
them, or the published reference), and the recomputation of the coverage facts.

Each takes the acting user (``None``: the system), asks the access policy (denominators, targets
and recomputation are for province-wide editors), validates, writes and leaves an audit record.
A file of denominators or targets is checked row by row and applies whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Action, for_actor
from jamsostek.core.audit import save_audited, snapshot
from jamsostek.core.bulk.reading import Column, FileProblem, read_rows, take_problem
from jamsostek.core.bulk.values import a_bool, an_int, text
from jamsostek.core.constants import PROVINCE
from jamsostek.core.errors import InvalidField, from_rules
from jamsostek.coverage.models import Denominator, DenominatorKind, Origin, Target
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
    Column("region_code", True, "Kemendagri code", PROVINCE),
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
            problem = take_problem(row)
            if problem is not None:
                outcome.rows.append((number, *problem))
                continue
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


DENOMINATOR_FIELDS = ("region", "kind", "period", "value", "is_estimate", "method", "source", "origin")
TARGET_FIELDS = ("region", "year", "percent", "source", "origin")


def _regions() -> set[str]:
    return set(Region.objects.values_list("code", flat=True))


def clean_denominator(*, region: str, kind: str, value: Any, source: str, regions: set[str] | None = None) -> None:
    """Raise ``InvalidField`` for the first value a denominator cannot have."""
    if region not in (regions if regions is not None else _regions()):
        raise InvalidField(_("is not a region of Kalimantan Barat"), field="region_code")
    if kind not in DenominatorKind.values:
        raise InvalidField(_("must be employed, potential or user"), field="kind")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidField(_("must be a whole number of workers"), field="value")
    if not source.strip():
        raise InvalidField(_("is required"), field="source", code="required")


def clean_target(*, region: str, year: int, percent: Decimal, regions: set[str] | None = None) -> None:
    """Raise ``InvalidField`` for the first value a target cannot have."""
    if region not in (regions if regions is not None else _regions()):
        raise InvalidField(_("is not a region of Kalimantan Barat"), field="region_code")
    if not 2015 <= year <= 2100:
        raise InvalidField(_("is not a plausible year"), field="year")
    if not 0 < percent <= 100:
        raise InvalidField(_("must be above 0 and at most 100"), field="percent")


@transaction.atomic
def denominator_set(
    *,
    actor: Any,
    region: str,
    kind: str,
    period: date,
    value: int,
    source: str,
    is_estimate: bool = False,
    method: str = "",
    origin: str = Origin.USER,
    reason: str,
) -> Denominator:
    """The number of workers of ``region`` by one definition, from ``period`` on (created or changed)."""
    for_actor(actor).require(Action.CHANGE_COVERAGE)
    clean_denominator(region=region, kind=kind, value=value, source=source)
    row = Denominator.objects.filter(region_id=region, kind=kind, period=period).first()
    before = snapshot(row, DENOMINATOR_FIELDS) if row is not None else None
    row = row or Denominator(region_id=region, kind=kind, period=period)
    row.value, row.is_estimate, row.method, row.source, row.origin = value, is_estimate, method, source, origin
    save_audited(actor=actor, instance=row, fields=DENOMINATOR_FIELDS, before=before, reason=reason)
    return row


@transaction.atomic
def target_set(
    *, actor: Any, region: str, year: int, percent: Decimal, source: str, origin: str = Origin.USER, reason: str
) -> Target:
    """The UCJ target of ``region`` for ``year`` (created or changed)."""
    for_actor(actor).require(Action.CHANGE_COVERAGE)
    clean_target(region=region, year=year, percent=percent)
    row = Target.objects.filter(region_id=region, year=year).first()
    before = snapshot(row, TARGET_FIELDS) if row is not None else None
    row = row or Target(region_id=region, year=year)
    row.percent, row.source, row.origin = percent, source, origin
    save_audited(actor=actor, instance=row, fields=TARGET_FIELDS, before=before, reason=reason)
    return row


def denominators_import(*, actor: Any, path: Path) -> Outcome:
    """Denominators from a CSV or XLSX file (``DENOMINATOR_COLUMNS``): every row checked, all or none."""
    for_actor(actor).require(Action.CHANGE_COVERAGE)
    regions = _regions()
    reason = _("imported from %(file)s") % {"file": path.name}

    def clean(row: dict[str, str]) -> dict[str, Any]:
        region = text(row, "region_code", required=True)
        kind = text(row, "kind", required=True).lower()
        period_text = text(row, "period", required=True)
        if len(period_text) == 10 and period_text.endswith("-01"):
            period_text = period_text[:7]  # a date cell: Excel stores 2024-08 typed in a cell as 1 Aug 2024
        try:
            period = Month.parse(period_text, field="period").first_day
        except InvalidInput as error:
            raise from_rules(error) from None
        value = an_int(row, "value", required=True)
        source = text(row, "source", required=True)
        clean_denominator(region=region, kind=kind, value=value, source=source, regions=regions)
        return {"region_id": region, "kind": kind, "period": period, "value": value,
                "is_estimate": bool(a_bool(row, "is_estimate")), "method": text(row, "method"),
                "source": source}  # fmt: skip

    def apply(cleaned: list[dict[str, Any]]) -> None:
        for values in cleaned:
            denominator_set(actor=actor, region=values["region_id"], kind=values["kind"], period=values["period"],
                            value=values["value"], source=values["source"], is_estimate=values["is_estimate"],
                            method=values["method"], reason=reason)  # fmt: skip

    return _apply_whole(path, DENOMINATOR_COLUMNS, clean, apply)


def targets_import(*, actor: Any, path: Path) -> Outcome:
    """Targets from a CSV or XLSX file (``TARGET_COLUMNS``): every row checked, all or none."""
    for_actor(actor).require(Action.CHANGE_COVERAGE)
    regions = _regions()
    reason = _("imported from %(file)s") % {"file": path.name}

    def clean(row: dict[str, str]) -> tuple[str, int, Decimal, str]:
        region = text(row, "region_code", required=True)
        year = an_int(row, "year", required=True)
        assert year is not None
        try:
            percent = Decimal(text(row, "percent", required=True).replace(",", "."))
        except InvalidOperation:
            raise InvalidField(_("is not a number"), field="percent") from None
        if not percent.is_finite():
            raise InvalidField(_("is not a number"), field="percent")
        clean_target(region=region, year=year, percent=percent, regions=regions)
        return region, year, percent, text(row, "source", required=True)

    def apply(cleaned: list[tuple[str, int, Decimal, str]]) -> None:
        for region, year, percent, source in cleaned:
            target_set(actor=actor, region=region, year=year, percent=percent, source=source, reason=reason)

    return _apply_whole(path, TARGET_COLUMNS, clean, apply)


def coverage_recompute(*, actor: Any, first: Month, last: Month, as_of: date) -> Any:
    """Recompute the protected participants per district, segment, payer and month from ``first`` to
    ``last``, from the bills and payments known on ``as_of`` (``compute.recompute``)."""
    from jamsostek.coverage.bulk.compute import recompute

    for_actor(actor).require(Action.CHANGE_COVERAGE)
    return recompute(first=first, last=last, as_of=as_of)
