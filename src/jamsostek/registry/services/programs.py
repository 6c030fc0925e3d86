"""Sponsor programs (a budget that pays contributions for a cohort) and construction projects."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Action, for_actor
from jamsostek.core.audit import audit_record
from jamsostek.core.bulk.values import check_day
from jamsostek.core.errors import Conflict, InvalidField, duplicate_is_conflict
from jamsostek.core.places import Place
from jamsostek.registry.models import Employer, Project, Region, SponsorProgram
from jamsostek.registry.services.validation import clean_code, clean_name, clean_rupiah


@transaction.atomic
def sponsor_program_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    region_code: str,
    year: int,
    quota: int,
    start_date: date,
    end_date: date,
    budget_line: str = "",
    with_jht: bool = False,
    income_nominal: int = 1_000_000,
    reason: str,
) -> SponsorProgram:
    """A budget of the province, a regency or a village (or a company's CSR) that pays for a cohort."""
    code = clean_code(code)
    check_day(start_date, "start_date")
    check_day(end_date, "end_date")
    if kind not in SponsorProgram.Kind.values:
        raise InvalidField(_("unknown sponsor kind"), field="kind")
    if not Region.objects.filter(code=region_code).exists():
        raise InvalidField(_("unknown region"), field="region_code", code="unknown_region")
    if end_date < start_date:
        raise InvalidField(_("must not be before the start date"), field="end_date")
    if quota < 1:
        raise InvalidField(_("must be at least 1"), field="quota")
    clean_rupiah(income_nominal, "income_nominal")
    for_actor(actor).require_change(
        Action.CHANGE_REGISTRY, before=None, after=Place(region=region_code), field="region_code"
    )
    duplicate = _("a sponsor program with this code exists")
    if SponsorProgram.objects.filter(code=code).exists():
        raise Conflict(duplicate, field="code", code="duplicate")
    with duplicate_is_conflict(duplicate, field="code"):
        program = SponsorProgram.objects.create(
            code=code,
            name=clean_name(name),
            kind=kind,
            region_id=region_code,
            budget_line=budget_line,
            year=year,
            quota=quota,
            with_jht=with_jht,
            income_nominal=income_nominal,
            start_date=start_date,
            end_date=end_date,
        )
    audit_record(
        actor=actor,
        action="create",
        instance=program,
        changes={"code": [None, code], "quota": [None, quota], "year": [None, year]},
        reason=reason,
    )
    return program


@transaction.atomic
def project_create(
    *,
    actor: Any,
    code: str,
    name: str,
    employer: Employer,
    region_code: str,
    contract_value: int,
    start_date: date,
    end_date: date,
    reason: str,
) -> Project:
    """A construction project (Jakon) of a contractor, in the region where the work is done."""
    code = clean_code(code)
    check_day(start_date, "start_date")
    check_day(end_date, "end_date")
    clean_rupiah(contract_value, "contract_value")
    if end_date < start_date:
        raise InvalidField(_("must not be before the start date"), field="end_date")
    if not Region.objects.filter(code=region_code).exists():
        raise InvalidField(_("unknown region"), field="region_code", code="unknown_region")
    for_actor(actor).require_change(
        Action.CHANGE_REGISTRY, before=None, after=Place(region=region_code, employer=employer.pk), field="region_code"
    )
    duplicate = _("a construction project with this code exists")
    if Project.objects.filter(code=code).exists():
        raise Conflict(duplicate, field="code", code="duplicate")
    with duplicate_is_conflict(duplicate, field="code"):
        project = Project.objects.create(
            code=code,
            name=clean_name(name),
            employer=employer,
            region_id=region_code,
            contract_value=contract_value,
            start_date=start_date,
            end_date=end_date,
        )
    audit_record(
        actor=actor,
        action="create",
        instance=project,
        changes={"code": [None, code], "contract_value": [None, contract_value]},
        reason=reason,
    )
    return project
