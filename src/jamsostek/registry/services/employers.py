"""Registering an employer and changing its details."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsostek.accounts.policy import Action, for_actor
from jamsostek.core.audit import audit_record, diff, save_audited, snapshot
from jamsostek.core.errors import Conflict, Forbidden, InvalidField, duplicate_is_conflict
from jamsostek.core.places import Place
from jamsostek.registry.models import Employer
from jamsostek.registry.services.validation import clean_employer, region_codes

EMPLOYER_FIELDS = (
    "npp",
    "name",
    "kind",
    "kbli",
    "risk_class",
    "size_class",
    "region",
    "state_body",
    "labour_intensive",
)
BILLING_FACTS = ("kind", "risk_class", "size_class", "state_body", "labour_intensive")
"""What sets a registered employer's contributions and fines: changed only by those who may
(``Action.CHANGE_BILLING_FACTS``); a regency officer or agency administrator sets them at registration."""
BILLING_FACTS_REFUSED = gettext_lazy("your role may not change what sets an employer's contributions (BPJS sets it)")
EDITABLE = frozenset({"name", "kind", "kbli", "risk_class", "size_class", "region_code", "state_body",
                      "labour_intensive"})  # fmt: skip


def state_body_of(kind: str, state_body: bool | None) -> bool:
    """Whether an employer is a state body (not fined for late payment): as given, else a government
    agency is one (a village government is not marked unless someone says so: not confirmed)."""
    return kind == Employer.Kind.AGENCY if state_body is None else bool(state_body)


@transaction.atomic
def employer_register(
    *,
    actor: Any,
    npp: str,
    name: str,
    risk_class: int,
    size_class: str,
    region_code: str,
    kind: str = "company",
    kbli: str = "",
    state_body: bool | None = None,
    labour_intensive: bool = False,
    reason: str,
) -> Employer:
    """A new employer (company, agency, village or contractor) by its BPJS registration number (NPP).
    ``state_body`` None: a government agency is one (``state_body_of``)."""
    values = clean_employer(
        npp=npp,
        name=name,
        kind=kind,
        kbli=kbli,
        risk_class=risk_class,
        size_class=size_class,
        region_code=region_code,
        regions=region_codes(),
    )
    for_actor(actor).require_change(
        Action.CHANGE_REGISTRY, before=None, after=Place(region=values["region_id"]), field="region_code"
    )
    duplicate = _("an employer with this NPP is already registered")
    if Employer.objects.filter(npp=values["npp"]).exists():
        raise Conflict(duplicate, field="npp", code="duplicate")
    with duplicate_is_conflict(duplicate, field="npp"):
        employer = Employer.objects.create(
            **values, state_body=state_body_of(values["kind"], state_body), labour_intensive=bool(labour_intensive)
        )
    audit_record(
        actor=actor,
        action="create",
        instance=employer,
        changes=diff({}, snapshot(employer, EMPLOYER_FIELDS)),
        reason=reason,
    )
    return employer


@transaction.atomic
def employer_update(*, actor: Any, employer: Employer, reason: str, **changes: Any) -> Employer:
    """Change an employer's details (not the NPP). The employer must be in the actor's reach before
    the change and stay in it after (a regency officer cannot move an employer to another regency)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InvalidField(_("cannot be changed here"), field=sorted(unknown)[0], code="not_editable")
    policy = for_actor(actor)
    policy.require_change(Action.CHANGE_REGISTRY, before=employer.place, after=None, record=employer)
    before = snapshot(employer, EMPLOYER_FIELDS)
    values = clean_employer(
        npp=employer.npp,
        name=changes.get("name", employer.name),
        kind=changes.get("kind", employer.kind),
        kbli=changes.get("kbli", employer.kbli),
        risk_class=changes.get("risk_class", employer.risk_class),
        size_class=changes.get("size_class", employer.size_class),
        region_code=changes.get("region_code", employer.region_id),
        regions=region_codes(),
    )
    policy.require_change(
        Action.CHANGE_REGISTRY,
        before=employer.place,
        after=Place(region=values["region_id"], employer=employer.pk),
        field="region_code",
    )
    flags = {flag: bool(changes[flag]) for flag in ("state_body", "labour_intensive") if changes.get(flag) is not None}
    changed = [field for field in BILLING_FACTS
               if (field in values and values[field] != getattr(employer, field))
               or (field in flags and flags[field] != getattr(employer, field))]  # fmt: skip
    if changed and not policy.may(Action.CHANGE_BILLING_FACTS):
        raise Forbidden(BILLING_FACTS_REFUSED, field=changed[0])
    for key, value in values.items():
        setattr(employer, key, value)
    for flag, value in flags.items():
        setattr(employer, flag, value)
    save_audited(actor=actor, instance=employer, fields=EMPLOYER_FIELDS, before=before, reason=reason)
    return employer
