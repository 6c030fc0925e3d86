"""Enrolling a person in a segment, ending a membership, reporting a wage.

A change that reaches months already billed is handed to whoever registered for it
(``registry.hooks``: the contributions app turns it into adjustment notes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Action, for_actor
from jamsostek.core.audit import actor_label, audit_record, diff, snapshot
from jamsostek.core.bulk.values import check_day
from jamsostek.core.errors import Conflict, InvalidField, NotFound, duplicate_is_conflict
from jamsostek.core.places import Place
from jamsostek.registry.hooks import membership_changed
from jamsostek.registry.models import (
    Employer,
    Membership,
    MembershipEvent,
    Person,
    Project,
    Segment,
    SponsorProgram,
    WageReport,
)
from jamsostek.registry.services.validation import (
    EmployerFacts,
    ProjectFacts,
    SponsorFacts,
    clean_rupiah,
    membership_defaults,
)

MEMBERSHIP_FIELDS = (
    "person", "segment", "employer", "project", "sponsor", "payer", "regency",
    "jkk", "jkm", "jht", "jp", "jkp", "start_date", "end_date", "contract_months", "pre_departure",
)  # fmt: skip


@transaction.atomic
def membership_enrol(
    *,
    actor: Any,
    person: Person,
    segment: str,
    start_date: date,
    wage: int | None = None,
    fixed_allowances: int = 0,
    employer: Employer | None = None,
    sponsor: SponsorProgram | None = None,
    project: Project | None = None,
    jht: bool | None = None,
    jp: bool | None = None,
    jkp: bool | None = None,
    contract_months: int | None = None,
    pre_departure: bool = False,
    reason: str,
) -> Membership:
    """Enrol a person in a segment from ``start_date``; the wage (or declared income) is dated too."""
    check_day(start_date, "start_date")
    # Another regency's program or project is as if it did not exist (enrolling would bill it).
    if sponsor is not None and not for_actor(actor).may_see(sponsor.place):
        raise NotFound(_("no sponsor program with this code"), field="sponsor_code")
    if project is not None and not for_actor(actor).may_see(project.place):
        raise NotFound(_("no construction project with this code"), field="project_code")
    values = membership_defaults(
        segment=segment,
        person_regency_id=person.regency_id,
        employer=EmployerFacts.of(employer) if employer else None,
        sponsor=SponsorFacts.of(sponsor) if sponsor else None,
        project=ProjectFacts.of(project) if project else None,
        jht=jht,
        jp=jp,
        jkp=jkp,
        contract_months=contract_months,
    )
    employer_id = values.pop("employer_id")
    for_actor(actor).require_change(
        Action.CHANGE_REGISTRY,
        before=None,
        after=Place(region=values["regency_id"], employer=employer_id),
        field="npp" if employer_id else "nik",
    )
    if sponsor is not None and not sponsor.start_date <= start_date <= sponsor.end_date:
        raise InvalidField(_("is outside the sponsor program's period"), field="start_date")
    amount = wage
    if amount is None and sponsor is not None:
        amount = sponsor.income_nominal
    if segment in (Segment.PU, Segment.JAKON, Segment.BPU) and amount is None:
        field = "income" if segment == Segment.BPU else "wage"
        raise InvalidField(_("is required for this segment"), field=field, code="required")
    if amount is not None:
        clean_rupiah(amount, "wage")
    clean_rupiah(fixed_allowances, "fixed_allowances")
    key = Membership.make_key(
        person.pk,
        segment,
        employer_id,
        sponsor.pk if sponsor else None,
        project.pk if project else None,
        start_date,
    )
    # Two enrolments at once: the person's row (and the sponsor program's, for its quota) is locked
    # first on PostgreSQL, so the second waits and then sees the first's membership.
    Person.objects.select_for_update().filter(pk=person.pk).exists()
    if sponsor is not None:
        SponsorProgram.objects.select_for_update().filter(pk=sponsor.pk).exists()
    duplicate = _("this membership is already registered")
    if Membership.objects.filter(natural_key=key).exists():
        raise Conflict(duplicate, field="start_date", code="duplicate")
    overlapping = Membership.objects.filter(
        person=person, segment=segment, employer_id=employer_id, sponsor=sponsor, project=project
    ).exclude(end_date__lt=start_date)
    if overlapping.exists():
        raise Conflict(
            _("the person already has an open membership of this kind; end it first"),
            field="start_date",
            code="overlap",
        )
    if sponsor is not None and sponsor.memberships.count() >= sponsor.quota:
        raise Conflict(_("the sponsor program's quota is full"), field="sponsor_code", code="quota_full")
    with duplicate_is_conflict(duplicate, field="start_date"):
        membership = Membership.objects.create(
            person=person,
            segment=segment,
            employer_id=employer_id,
            sponsor=sponsor,
            project=project,
            start_date=start_date,
            contract_months=contract_months,
            pre_departure=pre_departure,
            natural_key=key,
            **values,
        )
    if amount is not None:
        WageReport.objects.create(
            membership=membership, valid_from=start_date, amount=amount, fixed_allowances=fixed_allowances
        )
    MembershipEvent.objects.create(
        membership=membership, kind=MembershipEvent.Kind.ENROLLED, on=start_date, reason=reason,
        actor_label=actor_label(actor),
    )  # fmt: skip
    changes = diff({}, snapshot(membership, MEMBERSHIP_FIELDS))
    if amount is not None:
        changes["wage"] = [None, amount]
    audit_record(actor=actor, action="create", instance=membership, changes=changes, reason=reason)
    membership_changed(actor=actor, membership=membership, since=start_date, reason=reason)
    return membership


@transaction.atomic
def membership_end(*, actor: Any, membership: Membership, end_date: date, reason: str) -> Membership:
    """End a membership (possibly back-dated); the history stays."""
    check_day(end_date, "end_date")
    for_actor(actor).require_change(
        Action.CHANGE_REGISTRY, before=membership.place, after=membership.place, record=membership
    )
    if end_date < membership.start_date:
        raise InvalidField(_("must not be before the start date"), field="end_date")
    if membership.end_date is not None and membership.end_date <= end_date:
        raise Conflict(_("the membership already ended on %(date)s") % {"date": membership.end_date}, field="end_date")
    before = membership.end_date
    membership.end_date = end_date
    membership.save(update_fields=["end_date", "updated_at"])
    MembershipEvent.objects.create(
        membership=membership, kind=MembershipEvent.Kind.ENDED, on=end_date, reason=reason,
        actor_label=actor_label(actor),
    )  # fmt: skip
    audit_record(
        actor=actor,
        action="update",
        instance=membership,
        changes={"end_date": [before.isoformat() if before else None, end_date.isoformat()]},
        reason=reason,
    )
    membership_changed(actor=actor, membership=membership, since=end_date, reason=reason)
    return membership


@transaction.atomic
def membership_report_wage(
    *,
    actor: Any,
    membership: Membership,
    valid_from: date,
    amount: int,
    fixed_allowances: int = 0,
    reason: str,
) -> WageReport:
    """Report a new wage (or declared income) from a date; earlier reports stay."""
    check_day(valid_from, "valid_from")
    for_actor(actor).require_change(
        Action.CHANGE_REGISTRY, before=membership.place, after=membership.place, record=membership
    )
    clean_rupiah(amount, "wage")
    clean_rupiah(fixed_allowances, "fixed_allowances")
    if valid_from < membership.start_date:
        raise InvalidField(_("is before the membership started"), field="valid_from")
    if membership.wages.filter(valid_from=valid_from).exists():
        raise Conflict(_("a wage is already reported from this date"), field="valid_from", code="duplicate")
    report = WageReport.objects.create(
        membership=membership, valid_from=valid_from, amount=amount, fixed_allowances=fixed_allowances
    )
    MembershipEvent.objects.create(
        membership=membership, kind=MembershipEvent.Kind.WAGE_REPORTED, on=valid_from, reason=reason,
        actor_label=actor_label(actor),
    )  # fmt: skip
    audit_record(
        actor=actor,
        action="update",
        instance=membership,
        changes={"wage": [None, amount], "wage_valid_from": [None, valid_from.isoformat()]},
        reason=reason,
    )
    membership_changed(actor=actor, membership=membership, since=valid_from, reason=reason)
    return report
