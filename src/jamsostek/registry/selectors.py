"""Every read of the registry goes through these functions; each takes the user and applies what
that user may see (``accounts.policy``). A record outside the user's reach does not exist for them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from jamsostek.accounts.policy import for_user
from jamsostek.core.bulk.reading import Column
from jamsostek.core.bulk.templates import template_csv, template_xlsx
from jamsostek.core.errors import NotFound
from jamsostek.registry.models import Employer, Membership, Person, Project, Region, SponsorProgram


def without_maps(*regions: str) -> tuple[str, ...]:
    """The map fields of the regions a list joins (``"regency"``, ``"program__region"``), to defer:
    a page of memberships read each row's regency boundary and parsed it (51 rows: 330 KB of
    GeoJSON), which was most of the page's time."""
    return tuple(f"{region}__{field}" for region in regions for field in Region.MAP_FIELDS)


def active_on(day: date) -> Q:
    """Memberships running on ``day`` (the one place where 'current' is defined)."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def person_list(
    *,
    visible_to: Any,
    search: str | None = None,
    regency_code: str | None = None,
    district_code: str | None = None,
    nik: str | None = None,
    kpj: str | None = None,
) -> QuerySet[Person]:
    """The persons the user may see; ``search`` is a full NIK or a part of the name. A user who sees
    NIKs masked may still find the one person whose full NIK they typed."""
    persons = for_user(visible_to).visible(
        Person.objects.select_related("region", "regency").defer(*without_maps("region", "regency"))
    )
    if regency_code:
        persons = persons.filter(regency_id=regency_code)
    if district_code:
        persons = persons.filter(region_id=district_code)
    if nik:
        persons = persons.filter(nik=nik)
    if kpj:
        persons = persons.filter(kpj=kpj)
    if search:
        text = search.strip()
        if text.isdigit() and len(text) == 16:
            persons = persons.filter(nik=text)
        else:
            persons = persons.filter(name__icontains=text)
    return persons.order_by("name", "id")


def person_get(*, visible_to: Any, pk: int) -> Person:
    try:
        return person_list(visible_to=visible_to).get(pk=pk)
    except Person.DoesNotExist:
        raise NotFound() from None


def employer_list(
    *,
    visible_to: Any,
    search: str | None = None,
    regency_code: str | None = None,
    kind: str | None = None,
    npp: str | None = None,
) -> QuerySet[Employer]:
    """The employers the user may see; ``search`` is an NPP or a part of the name."""
    employers = for_user(visible_to).visible(
        Employer.objects.select_related("region", "regency").defer(*without_maps("region", "regency"))
    )
    if regency_code:
        employers = employers.filter(regency_id=regency_code)
    if kind:
        employers = employers.filter(kind=kind)
    if npp:
        employers = employers.filter(npp=npp)
    if search:
        text = search.strip()
        employers = employers.filter(Q(npp=text) | Q(name__icontains=text))
    return employers.order_by("name", "id")


def employer_get(*, visible_to: Any, pk: int) -> Employer:
    try:
        return employer_list(visible_to=visible_to).get(pk=pk)
    except Employer.DoesNotExist:
        raise NotFound() from None


def membership_list(
    *,
    visible_to: Any,
    active: date | None = None,
    segment: str | None = None,
    person_id: int | None = None,
    regency_code: str | None = None,
    employer_id: int | None = None,
    sponsor_id: int | None = None,
    payer: str | None = None,
) -> QuerySet[Membership]:
    memberships = for_user(visible_to).visible(
        Membership.objects.select_related("person", "employer", "sponsor", "regency").defer(*without_maps("regency"))
    )
    if active is not None:
        memberships = memberships.filter(active_on(active))
    filters = {"segment": segment, "person_id": person_id, "regency_id": regency_code, "employer_id": employer_id,
               "sponsor_id": sponsor_id, "payer": payer}  # fmt: skip
    memberships = memberships.filter(**{name: value for name, value in filters.items() if value is not None})
    return memberships.order_by("-start_date", "id")


def membership_get(*, visible_to: Any, pk: int) -> Membership:
    try:
        return membership_list(visible_to=visible_to).get(pk=pk)
    except Membership.DoesNotExist:
        raise NotFound() from None


def region_list(*, level: str | None = None) -> QuerySet[Region]:
    """Regions are public reference data: every logged-in user sees all of them."""
    regions = Region.objects.all()
    if level:
        regions = regions.filter(level=level)
    return regions.order_by("code")


# --- import files ---------------------------------------------------------------------------------

IMPORT_KINDS = ("persons", "employers", "memberships")


def import_columns(kind: str) -> tuple[Column, ...]:
    """The columns of an import file of ``kind`` (what each means, the aliases it accepts)."""
    from jamsostek.registry.bulk import columns_of

    if kind not in IMPORT_KINDS:
        raise NotFound()
    return columns_of(kind)


def import_template(kind: str, extension: str) -> bytes:
    """The template of an import file of ``kind``: ``csv`` (header and an example row) or ``xlsx``
    (with a sheet explaining each column)."""
    columns = import_columns(kind)
    if extension == "csv":
        return template_csv(columns).encode("utf-8")
    if extension == "xlsx":
        return template_xlsx(kind, columns)
    raise NotFound()


def sponsor_program_get(*, visible_to: Any, pk: int) -> SponsorProgram:
    try:
        return sponsor_program_list(visible_to=visible_to).get(pk=pk)
    except SponsorProgram.DoesNotExist:
        raise NotFound() from None


def project_get(*, visible_to: Any, pk: int) -> Project:
    try:
        return project_list(visible_to=visible_to).get(pk=pk)
    except Project.DoesNotExist:
        raise NotFound() from None


def sponsor_program_list(*, visible_to: Any) -> QuerySet[SponsorProgram]:
    """Sponsor programs of the regions the user may see (a regency officer: their regency's and its
    villages'; the province's own programs only province-wide)."""
    return (
        for_user(visible_to)
        .visible(SponsorProgram.objects.select_related("region").defer(*without_maps("region")))
        .order_by("-year", "code")
    )


def project_list(*, visible_to: Any) -> QuerySet[Project]:
    """Construction projects in the user's regency, or of their own employer."""
    return (
        for_user(visible_to)
        .visible(Project.objects.select_related("employer", "region").defer(*without_maps("region")))
        .order_by("code")
    )
