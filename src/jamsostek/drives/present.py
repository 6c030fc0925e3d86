"""Lists, drives, funding and plans as plain data: the one shape the API returns and the pages and
exports are filled from. NIKs are shown as the reader may see them (``Policy.nik``), and a full NIK of a
registered person shown is recorded (``accounts.nik_log``: ``candidates`` and ``members`` take the
place they are shown in); who protects an already protected candidate is named only to a reader who
may see that membership's region."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsostek.accounts.nik_log import Disclosures
from jamsostek.accounts.policy import Policy, for_user
from jamsostek.core.places import Place
from jamsostek.drives.funding import FundingRule
from jamsostek.drives.models import (
    Candidate,
    CandidateList,
    Category,
    Drive,
    DriveMember,
    Funding,
    FundingSource,
    Match,
)
from jamsostek.drives.planning import PlanPackage
from jamsostek.drives.reasons import reason
from jamsostek.drives.selectors import BudgetAnswer, Renewals, TargetPlan

LEVEL_NAMES = {
    "employer": gettext_lazy("agency or village"),
    "regency": gettext_lazy("regency"),
    "province": gettext_lazy("province"),
}


def level_names(levels: list[str]) -> str:
    return ", ".join(str(LEVEL_NAMES.get(level, level)) for level in levels)


def package_name(package: PlanPackage) -> str:
    programs = "JKK + JKM + JHT" if package.with_jht else "JKK + JKM"
    if package.months == 12:
        return _("%(programs)s, 12 months (January to December)") % {"programs": programs}
    return _("%(programs)s, %(months)s months (to December)") % {"programs": programs, "months": package.months}


def candidate_list(listed: CandidateList) -> dict[str, Any]:
    return {
        "id": listed.pk,
        "name": listed.name,
        "source": listed.source,
        "source_name": listed.get_source_display(),
        "source_date": listed.source_date,
        "region": listed.region_id,
        "owner": listed.owner.name if listed.owner_id and listed.owner else None,
        "default_category": listed.default_category,
        "checked_on": listed.checked_on,
        "rows": listed.rows,
        "usable": listed.usable,
        "rejected": listed.rejected,
        "imported_by": listed.imported_by_label,
        "imported_at": listed.imported_at,
    }


def _nik(policy: Policy, shown: Disclosures | None, person_id: int | None, nik: str) -> str:
    """A row's NIK as the reader may see it; a registered person's full NIK is recorded in ``shown``."""
    if shown is not None and person_id is not None:
        return shown.nik(person_id, nik)
    return policy.nik(nik)


def candidates(user: Any, rows: Iterable[Candidate], where: str) -> list[dict[str, Any]]:
    """A list's rows as ``user`` may see them, the full NIKs shown recorded as shown at ``where``."""
    policy = for_user(user)
    shown = Disclosures(user, where, policy=policy)
    items = [candidate(policy, row, shown) for row in rows]
    shown.save()
    return items


def members(user: Any, rows: Iterable[DriveMember], where: str) -> list[dict[str, Any]]:
    """A drive's people as ``user`` may see them, the full NIKs shown recorded as shown at ``where``."""
    policy = for_user(user)
    shown = Disclosures(user, where, policy=policy)
    items = [member(policy, row, shown) for row in rows]
    shown.save()
    return items


def candidate(policy: Policy, row: Candidate, shown: Disclosures | None = None) -> dict[str, Any]:
    sees_payer = bool(row.protected_regency) and policy.may_see(Place(region=row.protected_regency))
    return {
        "row": row.row,
        "nik": _nik(policy, shown, row.person_id, row.nik),
        "name": row.name,
        "birth_date": row.birth_date,
        "sex": row.sex,
        "district": row.district,
        "village": row.village,
        "category": row.category,
        "status": row.status,
        "field": row.field,
        "reason": reason(row.problem, row.detail) if row.problem else "",
        "match": row.match,
        "match_name": str(Match(row.match).label) if row.match else "",
        "protected_segment": row.protected_segment,
        "protected_payer": row.protected_payer,
        "protected_by": row.protected_by if sees_payer else "",
        "last_end": row.last_end,
        "in_other_lists": row.in_other_lists,
    }


def funding(item: Funding) -> dict[str, Any]:
    program = item.program
    return {
        "program": program.code,
        "program_name": program.name,
        "region": program.region_id,
        "source": item.source,
        "source_name": item.get_source_display(),
        "fiscal_year": item.fiscal_year,
        "budget_ceiling": item.budget_ceiling,
        "owner": item.owner.name if item.owner_id and item.owner else None,
        "instrument": f"{item.get_instrument_kind_display()} {item.instrument_number} ({item.instrument_date})",
        "prepare_levels": list(item.prepare_levels),
        "approve_levels": list(item.approve_levels),
        "prepared_at": level_names(item.prepare_levels),
        "approved_at": level_names(item.approve_levels),
        "programs": ["jkk", "jkm", "jht"] if program.with_jht else ["jkk", "jkm"],
        "income": program.income_nominal,
        "quota": program.quota,
        "start_date": program.start_date,
        "end_date": program.end_date,
    }


def source_name(source: str) -> str:
    """A funding source's name in the reader's language (the code where it is not a known source)."""
    return str(FundingSource(source).label) if source in FundingSource.values else source


def funding_rule(rule: FundingRule) -> dict[str, Any]:
    return {
        "source": rule.source,
        "source_name": source_name(rule.source),
        "pays_for": list(rule.pays_for),
        "pays_for_names": [str(Category(category).label) for category in rule.pays_for],
        "region": rule.region,
        "valid_from": rule.start,
        "valid_until": rule.end,
        "reference": str(rule.reference),
        "url": rule.reference.url,
        "confirmed": rule.confirmed,
        "note": rule.note,
    }


def drive(item: Drive) -> dict[str, Any]:
    return {
        "id": item.pk,
        "code": item.code,
        "name": item.name,
        "program": item.program.code,
        "region": item.program.region_id,
        "source": item.funding.source,
        "source_name": item.funding.get_source_display(),
        "fiscal_year": item.fiscal_year,
        "first_month": item.first_month.strftime("%Y-%m"),
        "months": item.months,
        "status": item.status,
        "status_name": item.get_status_display(),
        "members": item.members_count,
        "cost": item.cost,
        "budget_ceiling": item.funding.budget_ceiling,
        "cost_notes": list(item.cost_notes),
        "quotas": dict(item.quotas),
        "excluded": {code: {"count": number, "reason": reason(code)} for code, number in item.excluded.items()},
        "prepared_by": item.prepared_by_label,
        "prepared_at": item.prepared_at,
        "decided_by": item.decided_by_label or None,
        "decided_at": item.decided_at,
        "decision_note": item.decision_note,
        "enrolled_by": item.enrolled_by_label or None,
        "enrolled_at": item.enrolled_at,
        "protected_from": item.enrolled_from,
        "renewal_of": item.renewal_of.code if item.renewal_of_id and item.renewal_of else None,
    }


def member(policy: Policy, row: DriveMember, shown: Disclosures | None = None) -> dict[str, Any]:
    return {
        "nik": _nik(policy, shown, row.person_id, row.nik),
        "name": row.name,
        "birth_date": row.birth_date,
        "sex": row.sex,
        "district": row.district,
        "village": row.village,
        "category": row.category,
        "cost": row.cost,
        "status": row.status,
        "not_enrolled_because": reason(row.skip_reason) if row.skip_reason else "",
    }


def renewals(answer: Renewals) -> dict[str, Any]:
    return {
        "year": answer.year,
        "listed": answer.listed,
        "month": str(answer.month) if answer.month else None,
        "lapsing": answer.lapsing,
        "drives": [
            {
                "drive": row.drive.code,
                "name": row.drive.name,
                "program": row.drive.program.code,
                "enrolled": row.enrolled,
                "lapsing": row.lapsing,
                "renewal": row.renewal.code if row.renewal else None,
            }
            for row in answer.drives
        ],
        "regencies": [
            {
                "region": row.code,
                "name": row.name,
                "lapsing": row.lapsing,
                "participants": row.participants,
                "denominator": row.denominator,
                "ucj": row.ucj,
                "ucj_after": row.ucj_after,
                "loss": row.loss,
            }
            for row in answer.regencies
        ],
    }


def _ucj(participants: int, denominator: int | None) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(100 * participants) / Decimal(denominator)).quantize(Decimal("0.01"))


def target_plan(plan: TargetPlan) -> dict[str, Any]:
    allocation = plan.allocation
    names = {regency.code: regency.name for regency in plan.regencies}
    by_source = allocation.by_regency_and_source()
    return {
        "year": plan.year,
        "month": plan.month,
        "mode": plan.mode,
        "percent": plan.percent,
        "coverage_month": str(plan.basis.month) if plan.basis.month else None,
        "denominator": plan.basis.kind,
        "sources": list(plan.sources),
        "ceilings": plan.ceilings,
        "packages": [
            {
                "key": package.key,
                "name": package_name(package),
                "months": package.months,
                "with_jht": package.with_jht,
                "cost_per_worker": package.cost,
            }
            for package in plan.packages.values()
        ],
        "province_need": plan.province_need,
        "missing_targets": list(plan.missing),
        "needed": allocation.needed,
        "workers": allocation.workers,
        "cost": allocation.cost,
        "reached": allocation.reached,
        "shortfall": allocation.shortfall,
        "regency_shortfalls": allocation.regency_shortfalls,
        "regencies": [
            {
                "region": regency.code,
                "name": regency.name,
                "room": regency.room,
                "need": regency.need,
                "workers": sum(line.workers for line in allocation.lines if line.regency == regency.code),
                "cost": sum(line.cost for line in allocation.lines if line.regency == regency.code),
            }
            for regency in plan.regencies
        ],
        "budget": [
            {
                "region": region,
                "name": names.get(region, region),
                "source": source,
                "source_name": source_name(source),
                "workers": workers,
                "cost": cost,
            }
            for (region, source), (workers, cost) in sorted(by_source.items())
        ],
        "lines": [
            {
                "region": line.regency,
                "source": line.source,
                "package": line.package,
                "workers": line.workers,
                "cost": line.cost,
            }
            for line in allocation.lines
        ],
        "months": [
            {"month": month, "participants": participants, "ucj": _ucj(participants, denominator)}
            for month, participants, denominator in plan.trajectory(
                None if plan.basis.province else (plan.regencies[0].code if plan.regencies else "")
            )
        ],
    }


def budget_plan(answer: BudgetAnswer) -> dict[str, Any]:
    plan = answer.plan
    return {
        "region": answer.region.code,
        "name": answer.region.name,
        "year": answer.year,
        "budget": plan.budget,
        "package": plan.package.key,
        "package_name": package_name(plan.package),
        "cost_per_worker": plan.package.cost,
        "workers": plan.workers,
        "cost": plan.cost,
        "left": plan.left,
        "room": plan.room,
        "participants": answer.region.participants,
        "denominator": answer.region.denominator,
        "months": [
            {
                "month": figure.month,
                "participants": figure.participants,
                "ucj": _ucj(figure.participants, figure.denominator),
            }
            for figure in plan.months
        ],
    }


def reader(user: Any) -> Policy:
    return for_user(user)
