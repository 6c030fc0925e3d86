"""The access policy's answer for one row of an import, worded for the row-by-row report."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jamsostek.accounts.policy import Action, Policy
from jamsostek.core.errors import InvalidField
from jamsostek.core.places import Place


def check_change(policy: Policy, *, before: Place | None, after: Place, key_field: str, place_field: str) -> None:
    """Reject the row unless the policy lets the importing user make this change: the record (when it
    exists) must be in their reach now, and stay in it after the row is applied."""
    problem = policy.change_problem(Action.CHANGE_REGISTRY, before=before, after=after)
    if problem == "action":
        raise InvalidField(_("your role may not change the registry"), field=key_field, code="forbidden")
    if problem == "before":
        raise InvalidField(
            _("is registered outside the region or staff you may change"), field=key_field, code="forbidden"
        )
    if problem == "after":
        raise InvalidField(_("is outside the region or staff you may change"), field=place_field, code="forbidden")
