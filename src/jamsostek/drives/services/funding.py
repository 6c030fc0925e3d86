"""Funding a sponsor program: the source, the fiscal year, the budget ceiling, the instrument that
authorises it, and the levels that prepare and approve its drives."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Action, Level, for_actor
from jamsostek.core.audit import save_audited, snapshot
from jamsostek.core.errors import Conflict, InvalidField
from jamsostek.drives.funding import SPONSOR_KINDS, program_months
from jamsostek.drives.models import DriveStatus, Funding, FundingSource, InstrumentKind
from jamsostek.registry.models import Employer, SponsorProgram
from jamsostek.registry.services.validation import clean_rupiah

FIELDS = (
    "source",
    "fiscal_year",
    "budget_ceiling",
    "owner",
    "instrument_kind",
    "instrument_number",
    "instrument_date",
    "prepare_levels",
    "approve_levels",
)
VILLAGE_SOURCES = ("apbdes", "dana_desa", "add")


def _levels(values: Collection[str], field: str) -> list[str]:
    levels = sorted(set(values))
    if not levels or not set(levels) <= set(Level):
        raise InvalidField(_("must be one or more of %(choices)s") % {"choices": ", ".join(Level)}, field=field)
    return levels


@transaction.atomic
def funding_set(
    *,
    actor: Any,
    program: SponsorProgram,
    source: str,
    budget_ceiling: int,
    instrument_kind: str,
    instrument_number: str,
    instrument_date: date,
    prepare_levels: Collection[str],
    approve_levels: Collection[str],
    owner: Employer | None = None,
    reason: str,
) -> Funding:
    """Set (or, while no drive is approved, change) how ``program`` is funded. The package is the
    program's own (JKK and JKM, with JHT when it pays JHT, at its declared income, for its months of
    the fiscal year). A village fund (APBDes, Dana Desa, ADD) is held by a village government, which
    then prepares its drives."""
    if source not in FundingSource.values:
        raise InvalidField(
            _("must be one of %(choices)s") % {"choices": ", ".join(FundingSource.values)}, field="source"
        )
    if program.kind not in SPONSOR_KINDS[source]:
        raise InvalidField(
            _("does not fund a sponsor program of this kind (%(kind)s)") % {"kind": program.get_kind_display()},
            field="source",
        )
    clean_rupiah(budget_ceiling, "budget_ceiling")
    if instrument_kind not in InstrumentKind.values:
        raise InvalidField(
            _("must be one of %(choices)s") % {"choices": ", ".join(InstrumentKind.values)}, field="instrument_kind"
        )
    number = " ".join(str(instrument_number or "").split())
    if not number or len(number) > 120:
        raise InvalidField(_("is required (at most 120 characters)"), field="instrument_number")
    _first, months = program_months(program.start_date, program.end_date, program.year)
    if months < 1:
        raise InvalidField(_("the program has no month in its budget year"), field="program")
    if source in VILLAGE_SOURCES and (owner is None or owner.kind != Employer.Kind.VILLAGE):
        raise InvalidField(_("a village fund is held by a village government"), field="owner")
    if owner is not None and owner.kind not in (Employer.Kind.AGENCY, Employer.Kind.VILLAGE):
        raise InvalidField(_("a budget is held by a government agency or a village government"), field="owner")
    prepare = _levels(prepare_levels, "prepare_levels")
    approve = _levels(approve_levels, "approve_levels")
    existing = Funding.objects.select_for_update().filter(program=program).first()
    policy = for_actor(actor)
    policy.require_change(Action.PREPARE_DRIVES, before=program.place, after=program.place, field="program")
    if (
        existing is not None
        and existing.drives.exclude(status__in=(DriveStatus.AWAITING_APPROVAL, DriveStatus.REJECTED)).exists()
    ):
        raise Conflict(_("the program has approved drives: its funding is fixed"), field="program", code="fixed")
    funding = existing or Funding(program=program)
    before = snapshot(existing, FIELDS) if existing is not None else None
    funding.source = source
    funding.fiscal_year = program.year
    funding.budget_ceiling = budget_ceiling
    funding.owner = owner
    funding.instrument_kind = instrument_kind
    funding.instrument_number = number
    funding.instrument_date = instrument_date
    funding.prepare_levels = prepare
    funding.approve_levels = approve
    save_audited(actor=actor, instance=funding, fields=FIELDS, before=before, reason=reason)
    return funding
