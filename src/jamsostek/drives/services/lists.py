"""Importing a candidate list: every row checked and matched, the bad ones reported, the rest usable."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Action, for_actor
from jamsostek.core.audit import actor_label, audit_record
from jamsostek.core.bulk.reading import FileProblem
from jamsostek.core.errors import InvalidField
from jamsostek.core.places import Place
from jamsostek.drives.bulk import candidates, checking, matching
from jamsostek.drives.funding import age_limits
from jamsostek.drives.models import CandidateList, Category, ListSource
from jamsostek.registry.models import Employer, Region
from jamsostek.registry.services import district_codes
from jamsostek.registry.services.validation import clean_name

OWNER_KINDS = (Employer.Kind.AGENCY, Employer.Kind.VILLAGE)


@transaction.atomic
def candidate_list_import(
    *,
    actor: Any,
    path: Path,
    name: str,
    source: str,
    source_date: date,
    region_code: str,
    default_category: str,
    owner: Employer | None = None,
    as_of: date | None = None,
    file_name: str = "",
    reason: str,
) -> CandidateList:
    """Check every row of the file at ``path`` (CSV or XLSX) and keep the list with every row's
    outcome: a rejected row with its field and reason, a usable one with what the registry says of
    it on ``as_of`` (default today). A list is never refused for its bad rows (a registry import
    applies whole or not at all; a list of names is a working document)."""
    day = as_of or timezone.localdate()
    name = clean_name(name)
    if source not in ListSource.values:
        raise InvalidField(_("must be one of %(choices)s") % {"choices": ", ".join(ListSource.values)}, field="source")
    if default_category not in Category.values:
        raise InvalidField(
            _("must be one of %(choices)s") % {"choices": ", ".join(Category.values)}, field="default_category"
        )
    if source_date > day:
        raise InvalidField(_("is in the future"), field="source_date")
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise InvalidField(_("unknown region"), field="region_code", code="unknown_region")
    if owner is not None and owner.kind not in OWNER_KINDS:
        raise InvalidField(_("a list belongs to a government agency or a village government"), field="owner")
    place = Place(region=region_code, employer=owner.pk if owner else None)
    for_actor(actor).require_change(Action.PREPARE_DRIVES, before=None, after=place, field="region_code")
    try:
        frame = checking.load(path)
    except FileProblem as problem:
        raise InvalidField(str(problem), field="file", code="file") from None
    if frame.height == 0:
        raise InvalidField(_("the file has a header but no rows"), field="file", code="file")
    context = checking.Context(
        as_of=day,
        districts=frozenset(district_codes()),
        region=region_code,
        default_category=default_category,
        ages=age_limits(day),
    )
    checked = checking.check(frame, context)
    usable = checked.filter(checked["status"] == "usable")
    batch = uuid.uuid4().hex[:16]
    listed = CandidateList.objects.create(
        name=name,
        source=source,
        source_date=source_date,
        region=region,
        owner=owner,
        default_category=default_category,
        file_name=(file_name or path.name)[:200],
        checked_on=day,
        rows=checked.height,
        usable=usable.height,
        rejected=checked.height - usable.height,
        imported_by=actor if getattr(actor, "pk", None) else None,
        imported_by_label=actor_label(actor),
        batch=batch,
    )
    db = connections[DEFAULT_DB_ALIAS]
    matched = matching.match(db, usable.select("row", "nik"), day=day, list_id=listed.pk)
    candidates.write(db, listed.pk, checked, matched)
    audit_record(
        actor=actor,
        action="create",
        instance=listed,
        reason=reason,
        batch=batch,
        changes={
            "name": [None, name],
            "source": [None, source],
            "rows": [None, listed.rows],
            "usable": [None, listed.usable],
            "rejected": [None, listed.rejected],
        },
    )
    return listed
