"""A claim assessed by the rules package: the facts of the claim, the registry and the
contributions given to the program's public benefit function (``jamsostek.rules.benefits``), and
its answer kept as it was (eligibility and reason, lines with citations, warnings, heirs), with
the values of the parameters in force. No benefit formula is written here: the rules package
computes every amount; this module gathers inputs and reads results.

Each program's inputs (function: from the claim; from the registry and the contributions):

- JKM (``jkm_benefit``): the death date, the heirs; protected on that date, contribution months.
- JKK (``jkk_benefit``): the event and its date, months of incapacity, percentage, costs, the
  heirs; protected on that date, the wage reported then.
- JHT (``jht_benefit``): the reason, the event date, the balance BPJS states, the heirs; the
  participant's birth date.
- JP (``jp_benefit``): the event and its date, the average indexed wage, a lump-sum balance, the
  heirs; the birth date, JP contribution and membership months.
- JKP (``jkp_benefit``): the termination date and reason, the claim date; the last wage, months
  protected in the last 24 and in a row, the age at registration.
- scholarship (``jkm_benefit``, or ``jkk_benefit`` for work causes): the children (school level,
  year of study); as JKM or JKK.

A JKK (or work-caused scholarship) claim for a participant not protected on the event date is
ineligible with that reason: the JKK function answers for a protected participant only. A JKM
claim passes the protection to ``jkm_benefit`` (``active``), which answers it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import date
from fractions import Fraction
from typing import Any, NoReturn

from jamsostek.claims import facts as registry_facts
from jamsostek.claims.models import WORK_CAUSES, Claim, Program
from jamsostek.contributions.selectors.status import PROTECTED
from jamsostek.rules.benefits import (
    BenefitResult,
    Child,
    Costs,
    HeirsResult,
    Relative,
    Savings,
    heirs,
    jht_benefit,
    jkk_benefit,
    jkm_benefit,
    jkp_benefit,
    jp_benefit,
)
from jamsostek.rules.benefits.model import age_on
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.parameterset import default_parameters
from jamsostek.rules.periods import Month

COST_FIELDS = ("medical", "transport_land", "transport_sea", "transport_air", "home_care", "eyeglasses")
NEXT_LEVEL = {"tk_sd": "smp", "smp": "sma", "sma": "higher"}
"""The order of school levels, to plan the scholarship's later school years."""
SCHOOL_YEAR_MONTH = 7
"""Indonesian school years begin in July."""


@dataclasses.dataclass(frozen=True)
class Assessment:
    """What the rules answered for a claim, as it is kept in a decision."""

    program: str
    on: date
    eligible: bool
    code: str
    reason: str
    legal_basis: str
    lines: list[dict[str, Any]]
    total: int
    warnings: list[str]
    confirmed: bool
    details: dict[str, Any]
    heirs: dict[str, Any] | None
    inputs: dict[str, Any]
    parameters: dict[str, Any]
    schedule: list[tuple[date, int, str]]
    """The payments: (due on, amount, what: ``lump_sum``, ``pension:YYYY-MM``, ``scholarship:YYYY/YYYY``);
    empty when nothing is paid."""


def school_year(day: date) -> int:
    """The calendar year in which the school year of ``day`` began."""
    return day.year if day.month >= SCHOOL_YEAR_MONTH else day.year - 1


def _plain(value: Any) -> Any:
    """A parameter value as JSON (exact decimals as text)."""
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [_plain(item) for item in (sorted(value) if isinstance(value, frozenset | set) else value)]
    return value


def parameters_in_force(program: str, day: date, *, work: bool) -> dict[str, Any]:
    """The value, start, citation and confirmation of every parameter of the program (and of the
    scholarship and the heirs) in force on ``day``: kept with a decision, so that a later law change
    never rewrites what was decided."""
    own = {"scholarship": "jkk" if work else "jkm"}.get(program, program)
    prefixes = (f"benefits.{own}.", "benefits.scholarship.", "benefits.heirs.")
    kept: dict[str, Any] = {}
    for parameter in default_parameters():
        if not parameter.name.startswith(prefixes) or day < parameter.entries[0].start:
            continue
        entry = parameter.at(day)
        kept[parameter.name] = {"value": _plain(entry.value), "from": entry.start.isoformat(),
                                "reference": str(entry.reference), "confirmed": entry.confirmed}  # fmt: skip
    return kept


# --- the claim's stated facts -------------------------------------------------------------------


def _number(facts: Mapping[str, Any], name: str) -> int | None:
    value = facts.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(name, "not_number", value=value)
    return value


def _rate(facts: Mapping[str, Any], name: str) -> Fraction | None:
    value = facts.get(name)
    if value is None or value == "":
        return None
    try:
        return Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise InvalidInput(name, "bad_rate", value=value) from None


def _date(value: Any, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(name, "bad_date", value=value) from None


def relatives(claim: Claim) -> list[Relative]:
    """The relatives the claimant declared, as the rules' ``Relative``."""
    return [
        Relative(
            relation=str(item.get("relation", "")),
            name=str(item.get("name", "")),
            birth_date=_date(item.get("birth_date"), "relatives.birth_date"),
            married=bool(item.get("married")),
            employed=bool(item.get("employed")),
            deceased=bool(item.get("deceased")),
        )
        for item in claim.relatives
    ]


def children(claim: Claim) -> list[Child]:
    """The children declared with a school level, for the scholarship, in the order given."""
    found = []
    for relative, item in zip(relatives(claim), claim.relatives, strict=True):
        if relative.relation == "child" and item.get("level"):
            found.append(Child(level=str(item["level"]), year=_number(item, "year") or 1,
                               birth_date=relative.birth_date, married=relative.married,
                               employed=relative.employed, name=relative.name))  # fmt: skip
    return found


def _costs(facts: Mapping[str, Any]) -> Costs | None:
    given = facts.get("costs") or {}
    if not isinstance(given, Mapping):
        raise InvalidInput("costs", "not_one_of", value=given, choices=", ".join(COST_FIELDS))
    unknown = set(given) - set(COST_FIELDS)
    if unknown:
        raise InvalidInput("costs", "not_one_of", value=sorted(unknown)[0], choices=", ".join(COST_FIELDS))
    return Costs(**{name: _number(given, name) or 0 for name in COST_FIELDS}) if given else None


def _savings(facts: Mapping[str, Any]) -> Savings | None:
    balance = _number(facts, "balance")
    return None if balance is None else Savings(balance=balance)


# --- assessing ----------------------------------------------------------------------------------


def assess(claim: Claim, *, today: date, stated: Mapping[str, Any] | None = None) -> Assessment:
    """The rules' answer for ``claim`` on ``today`` (the decision day), from its facts (``stated``
    overrides the claim's own)."""
    given = {**claim.facts, **(stated or {})}
    person = claim.person
    if person is None:
        raise InvalidInput("nik", "required")
    work = claim.cause in WORK_CAUSES
    inputs: dict[str, Any] = {"decision_date": today.isoformat(), "facts": given}
    membership = registry_facts.membership_for(person, claim.program, claim.event_date)
    protection = registry_facts.protection_on(membership, claim.event_date, as_of=today)
    inputs.update(membership=membership.pk if membership else None, protection=protection)
    month = Month.of(claim.event_date)
    program = claim.program

    def contribution_months(of: str) -> int:
        months = registry_facts.contribution_months(person, of, month, as_of=today)
        inputs["contribution_months"] = months
        return months

    def wage() -> int | None:
        value = registry_facts.last_wage(membership, claim.event_date)
        inputs["wage"] = value
        return value

    heirs_of: str | None = None
    result: BenefitResult | None = None
    refusal: tuple[str, str, str] | None = None
    keep: Callable[[dict[str, Any]], bool] = _every_line
    if program in (Program.JKK, Program.SCHOLARSHIP) and (program == Program.JKK or work):
        if protection != PROTECTED:
            refusal = _unprotected(claim, protection, membership)
        elif program == Program.JKK:
            result = jkk_benefit(
                event=claim.event_kind, accident_date=claim.event_date, wage=wage() if claim.event_kind != "costs"
                else None, months=_number(given, "months"), percentage=_rate(given, "percentage"),
                function_loss=_rate(given, "function_loss"), costs=_costs(given), payment_date=today,
                claim_date=claim.submitted_on,
            )  # fmt: skip
            heirs_of = "jkk" if claim.event_kind == "death" else None
        else:
            result = jkk_benefit(event=claim.event_kind, accident_date=claim.event_date, wage=wage(),
                                 children=children(claim), payment_date=today,
                                 claim_date=claim.submitted_on)  # fmt: skip
            keep = _scholarship_line
    elif program in (Program.JKM, Program.SCHOLARSHIP):
        if program == Program.SCHOLARSHIP and claim.event_kind != "death":
            refusal = ("not_death", "a scholarship not caused by work is paid after a death (JKM) only",
                       "PP 82/2019")  # fmt: skip
        else:
            result = jkm_benefit(
                death_date=claim.event_date, contribution_months=contribution_months("jkm"),
                active=protection == PROTECTED, children=children(claim) if program == Program.SCHOLARSHIP else (),
                payment_date=max(today, claim.event_date),
            )  # fmt: skip
            heirs_of = "jkm" if program == Program.JKM else None
            if program == Program.SCHOLARSHIP:
                keep = _scholarship_line
    elif program == Program.JHT:
        if registry_facts.first_start(person, "jht") is None:
            refusal = ("no_jht_membership", "the participant never had a membership with JHT", "")
        else:
            reason = claim.event_kind
            result = jht_benefit(
                claim_date=claim.submitted_on, reason=reason, savings=_savings(given) or _required("balance"),
                birth_date=person.birth_date if reason == "age" else None,
                event_date=claim.event_date if reason in ("resignation", "termination", "contract_end") else None,
                retirement_age=_number(given, "retirement_age"),
            )  # fmt: skip
            heirs_of = "jht" if reason == "death" else None
    elif program == Program.JP:
        joined = registry_facts.first_start(person, "jp")
        membership_months = None
        if joined is not None:
            membership_months = max(0, month.index - Month.of(joined).index)
        inputs["membership_months"] = membership_months
        result = jp_benefit(
            on=claim.event_date, birth_date=person.birth_date, contribution_months=contribution_months("jp"),
            average_indexed_wage=_number(given, "average_indexed_wage"), event=claim.event_kind,
            membership_months=membership_months, savings=_savings(given),
        )  # fmt: skip
        heirs_of = "jp" if claim.event_kind == "death" else None
    else:  # JKP
        paid, in_a_row = registry_facts.months_before(person, "jkp", claim.event_date, as_of=today, window=24)
        joined = registry_facts.first_start(person, "jkp")
        age = age_on(person.birth_date, joined) if joined else None
        inputs.update(months_paid_last_24=paid, consecutive_months=in_a_row, age_at_registration=age)
        result = jkp_benefit(
            termination_date=claim.event_date, last_wage=wage() or 0, months_paid_last_24=paid,
            consecutive_months=in_a_row, reason=claim.event_kind, age_at_registration=age,
            claim_date=claim.submitted_on,
        )  # fmt: skip
    heirs_result = heirs(relatives=relatives(claim), on=claim.event_date, program=heirs_of) if heirs_of else None
    return _kept(claim, today, inputs, result, refusal, heirs_result, keep, work)


def _required(name: str) -> NoReturn:
    raise InvalidInput(name, "required")


def _every_line(line: dict[str, Any]) -> bool:
    return True


def _scholarship_line(line: dict[str, Any]) -> bool:
    return ".scholarship" in str(line["key"])


def _unprotected(claim: Claim, protection: str, membership: Any) -> tuple[str, str, str]:
    """Why a claim that needs protection on the event date is refused."""
    if membership is None:
        why = f"no membership covered {claim.event_date}"
    elif protection == registry_facts.NO_MEMBERSHIP:
        why = f"the membership did not run on {claim.event_date}"
    else:
        why = f"the membership was not protected in {Month.of(claim.event_date)} (contributions: {protection})"
    basis = ("Perdir 22/PERDIR.02/072022 (BPU lapse after more than 3 unpaid months)"
             if claim.segment == "bpu" else "contributions status: protected while contributions are paid")  # fmt: skip
    return "not_protected", f"not protected on the event date: {why}", basis


def _kept(
    claim: Claim,
    today: date,
    inputs: dict[str, Any],
    result: BenefitResult | None,
    refusal: tuple[str, str, str] | None,
    heirs_result: HeirsResult | None,
    keep: Callable[[dict[str, Any]], bool],
    work: bool,
) -> Assessment:
    on = claim.event_date if result is None else result.on
    parameters = parameters_in_force(claim.program, on, work=work)
    if result is None:
        assert refusal is not None
        code, reason, basis = refusal
        return Assessment(claim.program, on, False, code, reason, basis, [], 0, [], True, {}, None, inputs,
                          parameters, [])  # fmt: skip
    data = result.to_dict()
    lines = [line for line in data["lines"] if keep(line)]
    total = sum(int(line["amount"]) for line in lines) if result.eligible else 0
    eligible, code, reason = result.eligible, result.code, result.reason
    if eligible and lines and total == 0:  # every line says why nothing is paid (a scholarship, say)
        eligible, code = False, "nothing_payable"
        reason = "nothing is payable: " + "; ".join(f"{line['item']}: {line['explanation']}" for line in lines)
    basis = (
        result.legal_basis if eligible or not lines else "; ".join(dict.fromkeys(line["reference"] for line in lines))
    )
    heirs_data = heirs_result.to_dict() if heirs_result is not None else None
    warnings = [*data["warnings"], *(heirs_data["warnings"] if heirs_data else [])]
    schedule = _schedule(claim, today, result, lines, total) if eligible and total > 0 else []
    return Assessment(
        program=claim.program, on=on, eligible=eligible, code=code, reason=reason, legal_basis=basis, lines=lines,
        total=total, warnings=list(dict.fromkeys(warnings)), confirmed=bool(data["confirmed"]),
        details=dict(data["details"]), heirs=heirs_data, inputs=inputs, parameters=parameters, schedule=schedule,
    )  # fmt: skip


# --- payments -----------------------------------------------------------------------------------


def _schedule(
    claim: Claim, today: date, result: BenefitResult, lines: list[dict[str, Any]], total: int
) -> list[tuple[date, int, str]]:
    """The payments of an approved claim: one lump sum; a JP pension month by month for its first
    year (later years are indexed, which the rules do not encode: scheduled again each year); a
    scholarship this school year, and each later school year a child may be paid (planned: paid on
    proof of enrolment)."""
    if result.details.get("paid") == "monthly":
        first = max(Month.of(today), Month.of(result.on))
        return [(today if k == 0 else first.plus(k).first_day, total, f"pension:{first.plus(k)}") for k in range(12)]
    if claim.program != Program.SCHOLARSHIP:
        return [(today, total, "lump_sum")]
    year = school_year(today)
    plan: dict[int, int] = {year: total}
    declared = children(claim)
    for line in lines:
        number = int(str(line["key"]).rsplit("_", 1)[-1]) if "child_" in str(line["key"]) else 0
        if line["amount"] and 1 <= number <= len(declared):
            months = int(claim_months(result))
            for later, amount in _later_years(claim, declared[number - 1], year, months).items():
                plan[later] = plan.get(later, 0) + amount
    return [(today if start == year else date(start, SCHOOL_YEAR_MONTH, 15), amount, f"scholarship:{start}/{start + 1}")
            for start, amount in sorted(plan.items()) if amount]  # fmt: skip


def claim_months(result: BenefitResult) -> int:
    """The contribution months the rules were given (in the result's details)."""
    value = result.details.get("contribution_months")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _later_years(claim: Claim, child: Child, year: int, months: int) -> dict[int, int]:
    """What the rules pay ``child`` in each later school year, the child moving up a year each year
    and to the next level when the rules pay no more at this one; until nothing is paid."""
    level, study = child.level, child.year
    found: dict[int, int] = {}
    for later in range(year + 1, year + 25):
        paid_on = date(later, SCHOOL_YEAR_MONTH, 15)
        study += 1
        amount = _one_child(claim, dataclasses.replace(child, level=level, year=study), paid_on, months)
        if amount == 0 and level in NEXT_LEVEL:
            level, study = NEXT_LEVEL[level], 1
            amount = _one_child(claim, dataclasses.replace(child, level=level, year=study), paid_on, months)
        if amount == 0:
            break
        found[later] = amount
    return found


def _one_child(claim: Claim, child: Child, paid_on: date, months: int) -> int:
    """The scholarship the rules pay one child in the school year of ``paid_on``."""
    result: BenefitResult
    if claim.cause in WORK_CAUSES:
        result = jkk_benefit(event=claim.event_kind, accident_date=claim.event_date, wage=0, children=[child],
                             payment_date=paid_on)  # fmt: skip
    else:
        result = jkm_benefit(death_date=claim.event_date, contribution_months=months, children=[child],
                             payment_date=paid_on)  # fmt: skip
    return sum(line.amount for line in result.lines if ".scholarship" in line.key)
