"""What other apps do when the registry changes, registered by those apps at start-up.

The registry imports nothing from the apps above it (contributions, coverage). When a membership
changes in a way that may reach months already billed (enrolled or ended back-dated, a wage
reported late), the registry calls every function registered here; the contributions app registers
the one that writes adjustment notes (``ContributionsConfig.ready``)."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from jamsostek.registry.models import Membership


class MembershipChanged(Protocol):
    def __call__(self, *, actor: Any, membership: Membership, since: date, reason: str) -> Any: ...


_on_membership_change: list[MembershipChanged] = []


def on_membership_change(handler: MembershipChanged) -> MembershipChanged:
    """Call ``handler`` after every change of a membership (inside the change's transaction)."""
    if handler not in _on_membership_change:
        _on_membership_change.append(handler)
    return handler


def membership_changed(*, actor: Any, membership: Membership, since: date, reason: str) -> None:
    """Tell every registered handler that ``membership`` changed from ``since``."""
    for handler in _on_membership_change:
        handler(actor=actor, membership=membership, since=since, reason=reason)
