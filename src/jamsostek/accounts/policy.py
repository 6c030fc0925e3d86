"""The one access policy: for a user, which rows they may see, what they may do, whether a record
may be changed given where it is before and after the change, and whether they see the NIK.

Every selector, service, bulk path, admin class, API operation and page asks this module; no other
code branches on roles. The table of who may do what is ``ACTIONS`` below; where a role reaches is
``Reach`` (the whole province, one regency, or one employer's staff).

| Role                   | Reach                     | NIK                   | Changes          |
|------------------------|---------------------------|-----------------------|------------------|
| Administrator          | the province              | visible               | everything       |
| BPJS officer           | the province              | visible               | everything       |
| Provincial analyst     | the province              | masked                | nothing          |
| Regency officer        | their regency             | masked                | in their regency |
| Agency/village admin   | their own staff           | visible (their staff) | their staff      |

Claims (``claims``): everyone who sees claims sees those of their reach (a regency officer their
regency's, an agency administrator their staff's); regency officers and agency administrators take
claims in (register them, receive their documents) but do not verify, decide or pay them, which
BPJS officers do (the officer who verifies a claim may not decide it: ``claims.services``);
provincial analysts read claims (NIK masked) and their statistics, not their documents; agency
administrators see their staff's claims but no regional statistics.

Enrolment drives (``drives``) add four kinds of work: preparing (importing lists of names, funding
a program, choosing a drive's people), approving, enrolling (and renewing), planning. Administrators
and BPJS officers do all four; regency officers all four in their regency; agency and village
administrators prepare for their own agency or village (their lists and their staff) and neither
approve nor enrol (enrolment registers persons, which they may not); provincial analysts plan. On top
of the role, each funded program says at which level its drives are prepared and approved
(``Level``: an agency or village, the regency, the province), and the approver must be someone
other than the preparer (the drives services ask ``require_step``).

A record outside a user's reach does not exist for them (selectors filter it out, services answer
``NotFound``). A change must keep the record inside the user's reach: both where it is before the
change and where it is after (a regency officer cannot move a person into or out of their
regency). ``actor=None`` in a service is the system itself (synthetic data, migrations, a command
run without ``--user``): ``for_actor(None)`` may do everything; ``for_user(None)`` sees nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

import polars as pl
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from jamsostek.accounts.models import Role
from jamsostek.core.errors import Forbidden, NotFound
from jamsostek.core.places import Place, Scoping

M = TypeVar("M", bound=Model)


class Action(StrEnum):
    """What a user may be allowed to do (besides seeing the rows of their reach)."""

    SEE_REGISTRY = "see_registry"
    CHANGE_REGISTRY = "change_registry"
    CHANGE_BILLING_FACTS = "change_billing_facts"  # a registered employer's kind, risk and size class, state body...
    IMPORT_FILES = "import_files"
    SEE_BILLS = "see_bills"
    RUN_BILLING = "run_billing"
    POST_PAYMENTS = "post_payments"
    SEE_ARREARS = "see_arrears"
    SEE_COVERAGE = "see_coverage"
    CHANGE_COVERAGE = "change_coverage"  # denominators, targets, recomputation
    ESTIMATE_COSTS = "estimate_costs"
    SEE_CLAIMS = "see_claims"
    TAKE_CLAIMS = "take_claims"  # register a claim, receive its documents, correct its facts before a decision
    SEE_CLAIM_DOCUMENTS = "see_claim_documents"  # the uploaded files (KTP, death certificates...)
    VERIFY_CLAIMS = "verify_claims"  # check the documents and the claim (the first pair of eyes)
    DECIDE_CLAIMS = "decide_claims"  # approve or reject from the rules (the second pair of eyes)
    PAY_CLAIMS = "pay_claims"  # record payments, and import historical (paid) claims
    SEE_CLAIM_STATISTICS = "see_claim_statistics"
    USE_BACK_OFFICE = "use_back_office"
    SEE_AUDIT = "see_audit"
    MANAGE_USERS = "manage_users"
    PREPARE_DRIVES = "prepare_drives"  # candidate lists, a program's funding, a drive's people
    APPROVE_DRIVES = "approve_drives"
    ENROL_DRIVES = "enrol_drives"  # enrol an approved drive; renew one
    PLAN_DRIVES = "plan_drives"  # what a budget buys; the cheapest allocation to a target


EVERYTHING = frozenset(Action)
ACTIONS: dict[str, frozenset[Action]] = {
    Role.ADMINISTRATOR: EVERYTHING,
    Role.BPJS_OFFICER: EVERYTHING - {Action.SEE_AUDIT, Action.MANAGE_USERS},
    Role.PROVINCIAL_ANALYST: frozenset({
        Action.SEE_REGISTRY, Action.SEE_BILLS, Action.SEE_ARREARS, Action.SEE_COVERAGE, Action.ESTIMATE_COSTS,
        Action.USE_BACK_OFFICE, Action.SEE_CLAIMS, Action.SEE_CLAIM_STATISTICS, Action.PLAN_DRIVES,
    }),
    Role.REGENCY_OFFICER: frozenset({
        Action.SEE_REGISTRY, Action.CHANGE_REGISTRY, Action.IMPORT_FILES, Action.SEE_BILLS, Action.SEE_ARREARS,
        Action.SEE_COVERAGE, Action.ESTIMATE_COSTS, Action.USE_BACK_OFFICE, Action.SEE_CLAIMS, Action.TAKE_CLAIMS,
        Action.SEE_CLAIM_DOCUMENTS, Action.SEE_CLAIM_STATISTICS, Action.PREPARE_DRIVES, Action.APPROVE_DRIVES,
        Action.ENROL_DRIVES, Action.PLAN_DRIVES,
    }),
    Role.AGENCY_ADMIN: frozenset({
        Action.SEE_REGISTRY, Action.CHANGE_REGISTRY, Action.IMPORT_FILES, Action.SEE_BILLS, Action.ESTIMATE_COSTS,
        Action.USE_BACK_OFFICE, Action.SEE_CLAIMS, Action.TAKE_CLAIMS, Action.SEE_CLAIM_DOCUMENTS,
        Action.PREPARE_DRIVES,
    }),
}  # fmt: skip
"""Who may do what. A regency officer's or agency administrator's actions apply within their reach.
Neither may change the facts that set a registered employer's contributions and fines
(``CHANGE_BILLING_FACTS``: an agency lowering its own risk class, or declaring itself a state body
to escape late-payment fines, changes what it owes): BPJS officers and administrators do."""

SEES_NIK = frozenset({Role.ADMINISTRATOR, Role.BPJS_OFFICER, Role.AGENCY_ADMIN})
"""Roles that see the full NIK of the persons they may see (the others see it masked)."""


@dataclass(frozen=True)
class Reach:
    """Where a user reaches: the whole province, one regency, one employer's staff, or nothing."""

    province: bool = False
    regency: str | None = None
    employer: int | None = None

    def includes(self, place: Place) -> bool:
        if self.province:
            return True
        if self.regency is not None and place.region is not None:
            return place.region == self.regency or place.region.startswith(self.regency + ".")
        return self.employer is not None and place.employer == self.employer

    def includes_column(self, region: pl.Expr, employer: pl.Expr | None = None) -> pl.Expr:
        """``includes`` for a whole column of places at once (the bulk paths): true where it holds."""
        if self.province:
            return pl.lit(True)
        if self.regency is not None:
            return (region == self.regency) | region.str.starts_with(self.regency + ".")
        if self.employer is not None and employer is not None:
            return employer == self.employer
        return pl.lit(False)

    def includes_region(self, code: str) -> bool:
        """The figures of a region (the province, a regency, a district): the province sees every region;
        a regency officer their regency and its districts."""
        return self.province or (
            self.regency is not None and (code == self.regency or code.startswith(self.regency + "."))
        )


NOWHERE = Reach()


class Level(StrEnum):
    """Where a step of a sponsored scheme is taken: by an agency or village administration (for its
    own lists and staff), by the regency, or by the province. A funded program names the levels
    that prepare and approve its drives; a user acts at the level of their reach."""

    EMPLOYER = "employer"
    REGENCY = "regency"
    PROVINCE = "province"


@dataclass(frozen=True)
class Policy:
    """What one user (or the system) may do. Build it with ``for_user`` or ``for_actor``."""

    reach: Reach
    actions: frozenset[Action]
    sees_nik: bool
    is_system: bool = False

    # --- what they may do ---

    def may(self, action: Action) -> bool:
        return action in self.actions

    def require(self, action: Action) -> None:
        """Raise ``Forbidden`` unless the user may do ``action``."""
        if action not in self.actions:
            raise Forbidden(_("your role may not do this"))

    @property
    def province_wide(self) -> bool:
        """Whether the user reaches the whole province (administrators, BPJS officers, analysts)."""
        return self.reach.province

    # --- which rows they see ---

    def visible(self, rows: QuerySet[M]) -> QuerySet[M]:
        """The rows of ``rows`` this user may see (every selector applies this)."""
        if self.reach.province:
            return rows
        scoping: Scoping = rows.model.scoping  # type: ignore[attr-defined]
        if self.reach.regency is not None and scoping.regency is not None:
            return rows.filter(scoping.regency(self.reach.regency))
        if self.reach.employer is not None and scoping.employer is not None:
            rows = rows.filter(scoping.employer(self.reach.employer))
            return rows.distinct() if scoping.distinct else rows
        return rows.none()

    def regions_to_place(self, regions: QuerySet[M]) -> QuerySet[M]:
        """The regions (rows with a ``code``) where the user may place a record: their regency and its
        districts for a regency officer; any region for province-wide editors and for an agency
        administrator (whose records are theirs by employer, wherever they are); none for the others."""
        if not self.may(Action.CHANGE_REGISTRY):
            return regions.none()
        if self.reach.regency is not None:
            return regions.filter(Q(code=self.reach.regency) | Q(code__startswith=self.reach.regency + "."))
        return regions

    def may_create(self, action: Action, *, by_employer: bool) -> bool:
        """Whether the user may create some record of a kind placed by region (and, with
        ``by_employer``, by employer too): a regency officer may create in their regency, an agency
        administrator only what belongs to their employer (a project of theirs, not a person or an
        employer)."""
        if action not in self.actions:
            return False
        if self.reach.province or self.reach.regency is not None:
            return True
        return by_employer and self.reach.employer is not None

    def may_see(self, place: Place) -> bool:
        return self.reach.includes(place)

    def may_see_region(self, code: str, figures: Action = Action.SEE_COVERAGE) -> bool:
        """The figures of a region (the province, a regency or a district): coverage, or another kind
        of regional figures (``figures``: claim statistics)."""
        return self.may(figures) and self.reach.includes_region(code)

    def home_region(self, figures: Action = Action.SEE_COVERAGE) -> str | None:
        """The widest region whose figures (coverage, or ``figures``) the user may see: the province,
        their regency, or None."""
        if not self.may(figures):
            return None
        if self.reach.province:
            from jamsostek.core.constants import PROVINCE

            return PROVINCE
        return self.reach.regency

    def regency_filter(self) -> str | None:
        """The one regency a user's region-wide reads are limited to (None: every regency)."""
        return None if self.reach.province else self.reach.regency

    # --- changes ---

    def change_problem(self, action: Action, *, before: Place | None, after: Place | None) -> str | None:
        """Why this change may not be made (``"action"``, ``"before"`` or ``"after"``), or None.

        ``before`` is where the record is now (None for a new record), ``after`` where it will be."""
        if action not in self.actions:
            return "action"
        if before is not None and not self.reach.includes(before):
            return "before"
        if after is not None and not self.reach.includes(after):
            return "after"
        return None

    def require_change(
        self,
        action: Action,
        *,
        before: Place | None,
        after: Place | None,
        field: str | None = None,
        record: Model | None = None,
    ) -> None:
        """Raise unless this change may be made: ``Forbidden`` when the role may not make it or the
        record would end up outside the user's reach (naming ``field``, what moved it), ``NotFound``
        when the record is outside the user's reach now (it does not exist for them) — unless they
        may see it (``record``: an agency administrator sees its staff's persons, and may not change
        them), which is ``Forbidden`` too."""
        problem = self.change_problem(action, before=before, after=after)
        if problem == "action":
            raise Forbidden(_("your role may not change this"))
        if problem == "before":
            if record is not None and self.visible(type(record)._default_manager.filter(pk=record.pk)).exists():
                raise Forbidden(_("your role may not change this"))
            raise NotFound()
        if problem == "after":
            raise Forbidden(_("is outside the region or staff you may change"), field=field)

    @property
    def level(self) -> Level | None:
        """The level this user acts at (the system: the province)."""
        if self.reach.province:
            return Level.PROVINCE
        if self.reach.regency is not None:
            return Level.REGENCY
        if self.reach.employer is not None:
            return Level.EMPLOYER
        return None

    def require_step(self, action: Action, *, place: Place, levels: Collection[str], field: str | None = None) -> None:
        """Raise unless this user may take a step of a sponsored scheme: the role may do ``action``
        (else ``Forbidden``), the record is in their reach (else ``NotFound``) and they act at one of
        the ``levels`` the scheme names (else ``Forbidden``, naming ``field``). The system takes any step."""
        self.require_change(action, before=place, after=place, field=field)
        if not self.is_system and self.level not in levels:
            raise Forbidden(_("this scheme's step is taken at another level (%(levels)s)") % {
                "levels": ", ".join(sorted(levels))}, field=field)  # fmt: skip

    # --- personal data ---

    def nik(self, nik: str) -> str:
        """The NIK as this user may see it."""
        return nik if self.sees_nik else mask_nik(nik)

    def kpj(self, kpj: str | None) -> str:
        """The KPJ card number as this user may see it: a participant's number, hidden with the NIK."""
        if not kpj:
            return ""
        return kpj if self.sees_nik else "*" * len(kpj)


SYSTEM = Policy(reach=Reach(province=True), actions=EVERYTHING, sees_nik=True, is_system=True)
NOBODY = Policy(reach=NOWHERE, actions=frozenset(), sees_nik=False)


def _is_regency_code(code: str | None) -> bool:
    """A regency's or city's Kemendagri code, ``PP.RR`` (``61.04``): a regency officer set to the
    province or to a district reaches nothing rather than too much or a part."""
    return code is not None and len(code) == 5 and code[2] == "." and code.replace(".", "").isdigit()


def for_user(user: Any) -> Policy:
    """The policy of a (possibly anonymous) user; ``None`` and inactive users may do nothing. A
    policy given instead of a user is returned as it is (the commands read as ``SYSTEM``)."""
    if isinstance(user, Policy):
        return user
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    role = Role.ADMINISTRATOR if user.is_superuser else user.role
    if role in (Role.ADMINISTRATOR, Role.BPJS_OFFICER, Role.PROVINCIAL_ANALYST):
        reach = Reach(province=True)
    elif role == Role.REGENCY_OFFICER and _is_regency_code(user.region_id):
        reach = Reach(regency=user.region_id)
    elif role == Role.AGENCY_ADMIN and user.employer_id:
        reach = Reach(employer=user.employer_id)
    else:
        return NOBODY
    actions = ACTIONS.get(role, frozenset())
    if not user.is_staff:  # the back office is for staff users only
        actions -= {Action.USE_BACK_OFFICE, Action.MANAGE_USERS, Action.SEE_AUDIT}
    return Policy(reach=reach, actions=actions, sees_nik=role in SEES_NIK)


def for_actor(actor: Any) -> Policy:
    """The policy of whoever makes a change: ``None`` is the system itself."""
    return SYSTEM if actor is None else for_user(actor)


def mask_nik(nik: str) -> str:
    """Keep only the region part (the first 6 digits, which the person's district gives anyway):
    ``617101**********``. The next 6 digits are the birth date (plus 40 for women), which a masked
    page shows beside the NIK, so the serial (the last 4) is all a masked NIK keeps secret: none of
    it is shown."""
    if len(nik) != 16:
        return "*" * len(nik)
    return nik[:6] + "*" * 10
