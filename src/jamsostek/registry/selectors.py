"""Every read of the registry goes through these functions; each takes the user and applies what
that user may see (``accounts.access``). A record outside the user's scope does not exist for them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from jamsostek.accounts.access import scope_of
from jamsostek.core.errors import NotFound
from jamsostek.registry.models import Employer, Membership, Person, Region


def active_on(day: date) -> Q:
    """Memberships running on ``day`` (the one place where 'current' is defined)."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def person_list(*, visible_to: Any, search: str | None = None, regency_code: str | None = None) -> QuerySet[Person]:
    scope = scope_of(visible_to)
    persons = Person.objects.select_related("region", "regency")
    if scope.nothing:
        return persons.none()
    if not scope.everything:
        if scope.regency_code is not None:
            persons = persons.filter(regency_id=scope.regency_code)
        else:
            persons = persons.filter(memberships__employer_id=scope.employer_id or 0).distinct()
    if regency_code:
        persons = persons.filter(regency_id=regency_code)
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


def employer_list(*, visible_to: Any, search: str | None = None) -> QuerySet[Employer]:
    scope = scope_of(visible_to)
    employers = Employer.objects.select_related("region", "regency")
    if scope.nothing:
        return employers.none()
    if not scope.everything:
        if scope.regency_code is not None:
            employers = employers.filter(regency_id=scope.regency_code)
        else:
            employers = employers.filter(pk=scope.employer_id or 0)
    if search:
        text = search.strip()
        employers = employers.filter(Q(npp=text) | Q(name__icontains=text))
    return employers.order_by("name", "id")


def employer_get(*, visible_to: Any, pk: int) -> Employer:
    try:
        return employer_list(visible_to=visible_to).get(pk=pk)
    except Employer.DoesNotExist:
        raise NotFound() from None


def membership_list(*, visible_to: Any, active: date | None = None, segment: str | None = None) -> QuerySet[Membership]:
    scope = scope_of(visible_to)
    memberships = Membership.objects.select_related("person", "employer", "sponsor", "regency")
    if scope.nothing:
        return memberships.none()
    if not scope.everything:
        if scope.regency_code is not None:
            memberships = memberships.filter(regency_id=scope.regency_code)
        else:
            memberships = memberships.filter(employer_id=scope.employer_id or 0)
    if active is not None:
        memberships = memberships.filter(active_on(active))
    if segment:
        memberships = memberships.filter(segment=segment)
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
