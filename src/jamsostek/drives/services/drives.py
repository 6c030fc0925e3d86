"""A drive's life: prepared (its people chosen and frozen, its cost priced), approved or rejected by
someone other than its preparer, enrolled in one transaction, renewed into the next fiscal year."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Action, for_actor
from jamsostek.core.audit import AuditBatch, actor_label, audit_record
from jamsostek.core.bulk.frames import query_frame
from jamsostek.core.cli import count
from jamsostek.core.errors import Conflict, Forbidden, InvalidField, NotFound
from jamsostek.drives.bulk import costing, matching, members, selection
from jamsostek.drives.bulk.checking import PERSON
from jamsostek.drives.funding import Package, age_limits, payable_categories, program_months
from jamsostek.drives.models import (
    CandidateList,
    Category,
    Drive,
    DriveMember,
    DriveStatus,
    Funding,
    MemberStatus,
)
from jamsostek.drives.reasons import reason as reason_text
from jamsostek.registry.models import Membership, SponsorProgram
from jamsostek.registry.services import import_file
from jamsostek.registry.services.validation import clean_code, clean_name
from jamsostek.rules.periods import Month

CANDIDATES_SQL = (
    "SELECT id, nik, name, CAST(birth_date AS TEXT), sex, district, regency, village, category FROM drives_candidate "
    "WHERE list_id = %s AND status = 'usable' ORDER BY row"
)
CANDIDATE_SCHEMA = {"candidate_id": pl.Int64, **PERSON}


def funding_of(program: SponsorProgram) -> Funding:
    funding = Funding.objects.filter(program=program).first()
    if funding is None:
        raise InvalidField(_("the sponsor program has no funding yet: set its funding first"), field="program")
    return funding


def package_of(funding: Funding, first: Month | None = None) -> Package:
    """The package a funded program buys, from ``first`` (default: its first month in the fiscal year)."""
    program = funding.program
    start, months = program_months(program.start_date, program.end_date, funding.fiscal_year)
    if first is not None:
        if not start <= first <= start.plus(months - 1):
            raise InvalidField(_("is outside the program's months in its fiscal year"), field="first_month")
        months -= first.index - start.index
        start = first
    return Package(with_jht=program.with_jht, income=program.income_nominal, first=start, months=months)


def _room(program: SponsorProgram, *, excluding: Drive | None = None) -> int:
    """Persons the program may still take: its quota, less its memberships and the members of its
    drives not enrolled yet."""
    taken = Membership.objects.filter(sponsor=program).count()
    waiting = DriveMember.objects.filter(
        drive__program=program, drive__status__in=(DriveStatus.AWAITING_APPROVAL, DriveStatus.APPROVED)
    )
    if excluding is not None:
        waiting = waiting.exclude(drive=excluding)
    return max(0, program.quota - taken - waiting.count())


def _check_quotas(quotas: Mapping[str, int] | None) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for key, value in (quotas or {}).items():
        district, _slash, village = str(key).partition("/")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidField(_("a quota is a whole number of persons, at least 0"), field="quotas")
        if len(district) != 8:
            raise InvalidField(_("a quota is given for a district code, or 'district/village'"), field="quotas")
        cleaned[selection.area_key(district, village)] = value
    return cleaned


def _choose(
    people: pl.DataFrame,
    funding: Funding,
    package: Package,
    *,
    quotas: Mapping[str, int],
    check_day: date,
    field: str,
    excluding: Drive | None = None,
) -> tuple[pl.DataFrame, dict[str, int]]:
    """The chosen people of ``people`` (in their order) and how many were left out for each reason;
    ``InvalidField`` naming ``field`` when nobody can be taken."""
    program = funding.program
    first_day = package.first.first_day
    rules = selection.Rules(
        region=program.region_id,
        first_day=first_day,
        check_day=check_day,
        fiscal_year=funding.fiscal_year,
        payable=payable_categories(source=funding.source, region=program.region_id, day=first_day),
        ages=age_limits(first_day),
        room=_room(program, excluding=excluding),
        quotas=quotas,
    )
    pool = people.with_row_index("order").with_columns(pl.col("order").cast(pl.Int64)).select(list(selection.POOL))
    chosen, excluded = selection.select(connections[DEFAULT_DB_ALIAS], pool, rules)
    if chosen.height == 0:
        reasons = "; ".join(f"{reason_text(code)}: {count}" for code, count in excluded.items()) or "-"
        raise InvalidField(_("nobody can be taken (%(reasons)s)") % {"reasons": reasons}, field=field)
    return chosen, excluded


def _write_drive(
    *,
    actor: Any,
    code: str,
    name: str,
    funding: Funding,
    package: Package,
    chosen: pl.DataFrame,
    excluded: dict[str, int],
    quotas: dict[str, int],
    renewal_of: Drive | None,
    reason: str,
) -> Drive:
    priced = costing.price(np.zeros(chosen.height, dtype=np.int64), [package])
    drive = Drive.objects.create(
        code=code,
        name=name,
        program=funding.program,
        funding=funding,
        fiscal_year=funding.fiscal_year,
        first_month=package.first.first_day,
        months=package.months,
        quotas=quotas,
        excluded=excluded,
        members_count=chosen.height,
        cost=priced.total,
        cost_notes=list(priced.notes),
        status=DriveStatus.AWAITING_APPROVAL,
        prepared_by=actor if getattr(actor, "pk", None) else None,
        prepared_by_label=actor_label(actor),
        prepared_at=timezone.now(),
        renewal_of=renewal_of,
    )
    audit = AuditBatch(actor=actor, reason=reason, batch=uuid.uuid4().hex[:16])
    members.write(connections[DEFAULT_DB_ALIAS], drive.pk, chosen, priced.per_member, audit)
    audit_record(
        actor=actor,
        action="create",
        instance=drive,
        reason=reason,
        batch=audit.batch,
        changes={
            "status": [None, drive.status],
            "members": [None, drive.members_count],
            "cost": [None, drive.cost],
            "excluded": [None, excluded],
            "renewal_of": [None, renewal_of.pk if renewal_of else None],
        },
    )
    return drive


def _clean_drive_code(code: str) -> str:
    code = clean_code(code)
    if Drive.objects.filter(code=code).exists():
        raise Conflict(_("a drive with this code exists"), field="code", code="duplicate")
    return code


@transaction.atomic
def drive_prepare(
    *,
    actor: Any,
    program: SponsorProgram,
    code: str,
    name: str,
    lists: Sequence[CandidateList],
    categories: Collection[str] | None = None,
    quotas: Mapping[str, int] | None = None,
    first_month: Month | None = None,
    on: date | None = None,
    reason: str,
) -> Drive:
    """Choose a drive's people from the usable candidates of ``lists`` (in that order, then by row):
    those of ``categories`` (default: all) the program's funding may pay for, within the age limits,
    not protected on ``on`` (default today), in no other drive of the fiscal year, within the
    ``quotas`` per district or village and the program's quota. The people are frozen, the cost
    priced; the drive awaits approval."""
    funding = funding_of(program)
    policy = for_actor(actor)
    policy.require_step(Action.PREPARE_DRIVES, place=funding.place, levels=funding.prepare_levels, field="program")
    name = clean_name(name)
    code = _clean_drive_code(code)
    if not lists:
        raise InvalidField(_("choose at least one candidate list"), field="lists")
    for listed in lists:
        if not policy.may_see(listed.place):
            raise NotFound(field="lists")
    wanted = set(categories or Category.values)
    if not wanted <= set(Category.values):
        raise InvalidField(
            _("must be one of %(choices)s") % {"choices": ", ".join(Category.values)}, field="categories"
        )
    cleaned_quotas = _check_quotas(quotas)
    package = package_of(funding, first_month)
    db = connections[DEFAULT_DB_ALIAS]
    frames = [query_frame(db, CANDIDATES_SQL, [listed.pk], CANDIDATE_SCHEMA) for listed in lists]
    people = pl.concat(frames).filter(pl.col("category").is_in(sorted(wanted)))
    chosen, excluded = _choose(
        people, funding, package, quotas=cleaned_quotas, check_day=on or timezone.localdate(), field="lists"
    )
    return _write_drive(
        actor=actor,
        code=code,
        name=name,
        funding=funding,
        package=package,
        chosen=chosen,
        excluded=excluded,
        quotas=cleaned_quotas,
        renewal_of=None,
        reason=reason,
    )


def _decide(actor: Any, drive: Drive) -> Funding:
    funding = drive.funding
    for_actor(actor).require_step(
        Action.APPROVE_DRIVES, place=drive.place, levels=funding.approve_levels, field="drive"
    )
    if drive.status != DriveStatus.AWAITING_APPROVAL:
        raise Conflict(
            _("the drive is %(status)s, not awaiting approval") % {"status": drive.get_status_display()},
            field="status",
            code="status",
        )
    if actor is not None and drive.prepared_by_id is not None and drive.prepared_by_id == getattr(actor, "pk", None):
        raise Forbidden(
            _("a drive is approved or rejected by someone other than the one who prepared it"), field="drive"
        )
    return funding


def committed_cost(funding: Funding, *, excluding: Drive | None = None) -> int:
    """What the funding's approved and enrolled drives cost (its budget already committed)."""
    drives = funding.drives.filter(status__in=(DriveStatus.APPROVED, DriveStatus.ENROLLED))
    if excluding is not None:
        drives = drives.exclude(pk=excluding.pk)
    return int(drives.aggregate(total=Sum("cost"))["total"] or 0)


@transaction.atomic
def drive_approve(*, actor: Any, drive: Drive, reason: str) -> Drive:
    """Approve a drive awaiting approval: by someone other than its preparer, at a level the
    program's funding names, and only within the budget ceiling (with the funding's other approved
    and enrolled drives)."""
    drive = Drive.objects.select_for_update().get(pk=drive.pk)
    funding = _decide(actor, drive)
    committed = committed_cost(funding, excluding=drive)
    if committed + drive.cost > funding.budget_ceiling:
        raise Conflict(
            _(
                "the drive costs Rp%(cost)s; with Rp%(committed)s already committed it is over the budget ceiling of "
                "Rp%(ceiling)s"
            )
            % {"cost": count(drive.cost), "committed": count(committed), "ceiling": count(funding.budget_ceiling)},
            field="cost",
            code="over_ceiling",
        )
    return _set_status(actor, drive, DriveStatus.APPROVED, reason)


@transaction.atomic
def drive_reject(*, actor: Any, drive: Drive, reason: str) -> Drive:
    """Reject a drive awaiting approval (its people are free for another drive of the year)."""
    drive = Drive.objects.select_for_update().get(pk=drive.pk)
    _decide(actor, drive)
    return _set_status(actor, drive, DriveStatus.REJECTED, reason)


def _set_status(actor: Any, drive: Drive, status: str, reason: str) -> Drive:
    before = drive.status
    drive.status = status
    drive.decided_by = actor if getattr(actor, "pk", None) else None
    drive.decided_by_label = actor_label(actor)
    drive.decided_at = timezone.now()
    drive.decision_note = reason.strip()
    drive.save(update_fields=["status", "decided_by", "decided_by_label", "decided_at", "decision_note"])
    audit_record(actor=actor, action="update", instance=drive, changes={"status": [before, status]}, reason=reason)
    return drive


@transaction.atomic
def drive_enrol(*, actor: Any, drive: Drive, on: date | None = None, reason: str) -> Drive:
    """Enrol an approved drive, in one transaction: each member is checked again (protected on the
    day, or enrolled by another drive of the year since, and they are left out with the reason);
    the others become sponsored BPU members of the program through the registry's import service
    (new persons registered first), protected from the later of the drive's first month and the
    month of ``on`` (default today) to the end of the program's fiscal year, billed to the sponsor
    by the existing billing."""
    drive = Drive.objects.select_for_update().get(pk=drive.pk)
    for_actor(actor).require_change(Action.ENROL_DRIVES, before=drive.place, after=drive.place, field="drive")
    if drive.status != DriveStatus.APPROVED:
        raise Conflict(
            _("the drive is %(status)s, not approved") % {"status": drive.get_status_display()},
            field="status",
            code="status",
        )
    day = on or timezone.localdate()
    program = drive.program
    start = max(drive.first_month, Month.of(day).first_day, program.start_date)
    end = min(program.end_date, date(drive.fiscal_year, 12, 31))
    if start > end:
        raise Conflict(_("the drive's fiscal year is over"), field="drive", code="over")
    db = connections[DEFAULT_DB_ALIAS]
    chosen = members.read(db, drive.pk, status=MemberStatus.CHOSEN)
    found = matching.match(db, chosen.select(pl.col("id").alias("row"), "nik"), day=start, list_id=None)
    elsewhere = selection.in_drives(db, chosen["nik"].to_list(), drive.fiscal_year, enrolled=True, excluding=drive.pk)
    checked = chosen.join(found.select(pl.col("row").alias("id"), "match"), on="id", how="left").with_columns(
        pl.when(pl.col("match") == "protected")
        .then(pl.lit("protected"))
        .when(pl.col("nik").is_in(elsewhere["nik"].implode()))
        .then(pl.lit("in_other_drive"))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("reason")
    )
    enrolling = checked.filter(pl.col("reason").is_null())
    skipped = checked.filter(pl.col("reason").is_not_null())
    if enrolling.height:
        new = enrolling.filter(pl.col("match") == "new")["nik"].to_list()
        with tempfile.TemporaryDirectory(prefix="drive-", dir=_scratch()) as scratch:
            persons, memberships = members.import_files(
                Path(scratch),
                enrolling,
                new,
                sponsor=program.code,
                start=start,
                end=end,
                income=program.income_nominal,
                with_jht=program.with_jht,
            )
            text = _("enrolment of drive %(code)s: %(reason)s") % {"code": drive.code, "reason": reason.strip()}
            for kind, path in (("persons", persons), ("memberships", memberships)):
                if kind == "persons" and not new:
                    continue
                report = import_file(actor=actor, kind=kind, path=path, reason=text)
                if not report.applied:
                    first = next((row for row in report.rows if row.status == "rejected"), None)
                    detail = f" ({first.key}: {first.field}: {first.reason})" if first else ""
                    raise Conflict(report.summary() + detail, field="drive", code="registry")
        written = query_frame(
            db,
            "SELECT p.nik, p.id, m.id FROM registry_membership m JOIN registry_person p ON p.id = m.person_id "
            "WHERE m.sponsor_id = %s AND m.start_date = %s AND m.segment = 'bpu'",
            [program.pk, start],
            {"nik": pl.String, "person_id": pl.Int64, "membership_id": pl.Int64},
        )
        enrolled = enrolling.select("id", "nik").join(written, on="nik", how="inner")
    else:
        enrolled = pl.DataFrame(
            schema={"id": pl.Int64, "nik": pl.String, "person_id": pl.Int64, "membership_id": pl.Int64}
        )
    members.mark(db, enrolled, skipped.select("id", "reason"))
    drive.status = DriveStatus.ENROLLED
    drive.enrolled_by_label = actor_label(actor)
    drive.enrolled_at = timezone.now()
    drive.enrolled_from = start
    drive.save(update_fields=["status", "enrolled_by_label", "enrolled_at", "enrolled_from"])
    skipped_counts = dict(skipped.group_by("reason").len().iter_rows())
    audit_record(
        actor=actor,
        action="update",
        instance=drive,
        reason=reason,
        changes={
            "status": [DriveStatus.APPROVED, DriveStatus.ENROLLED],
            "enrolled": [None, enrolled.height],
            "skipped": [None, skipped_counts],
            "protected_from": [None, start.isoformat()],
        },
    )
    return drive


def _scratch() -> Path:
    directory = Path(settings.DATA_DIR) / "tmp"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@transaction.atomic
def drive_renew(
    *,
    actor: Any,
    drive: Drive,
    program: SponsorProgram,
    code: str,
    name: str | None = None,
    reason: str,
) -> Drive:
    """Carry an enrolled drive's people into ``program`` (funded for the next fiscal year), after
    checking each again: still of BPU age on the new first day, not protected then by anything else,
    in no other drive of the new year, payable by the new funding. The renewal awaits approval."""
    drive = Drive.objects.select_for_update().get(pk=drive.pk)
    if drive.status != DriveStatus.ENROLLED:
        raise Conflict(_("only an enrolled drive is renewed"), field="drive", code="status")
    funding = funding_of(program)
    for_actor(actor).require_step(
        Action.PREPARE_DRIVES, place=funding.place, levels=funding.prepare_levels, field="program"
    )
    for_actor(actor).require_change(Action.PREPARE_DRIVES, before=drive.place, after=drive.place, field="drive")
    if funding.fiscal_year != drive.fiscal_year + 1:
        raise InvalidField(
            _("the program of a renewal is funded for the next fiscal year (%(year)s)")
            % {"year": drive.fiscal_year + 1},
            field="program",
        )
    if drive.renewals.exclude(status=DriveStatus.REJECTED).exists():
        raise Conflict(_("this drive is already renewed"), field="drive", code="renewed")
    code = _clean_drive_code(code)
    package = package_of(funding)
    db = connections[DEFAULT_DB_ALIAS]
    carried = members.read(db, drive.pk, status=MemberStatus.ENROLLED)
    chosen, excluded = _choose(
        carried, funding, package, quotas=drive.quotas, check_day=package.first.first_day, field="drive"
    )
    return _write_drive(
        actor=actor,
        code=code,
        name=clean_name(name or drive.name),
        funding=funding,
        package=package,
        chosen=chosen,
        excluded=excluded,
        quotas=dict(drive.quotas),
        renewal_of=drive,
        reason=reason,
    )
