"""``jamsostek benefit {jkm,jkk,jht,jp,jkp}``: what a worker or the family is owed, itemised.

Each program prints a table (default) or JSON: ``{"program", "eligible", "reason", "lines":
[{"item", "amount", "reference", "confirmed", ...}], "total", "warnings", ...}`` with integer
amounts. Bad input: one line ``jamsostek: error: <field>: <reason>``, exit status 2.
"""

from __future__ import annotations

import argparse
import json
from fractions import Fraction
from typing import Any

from jamsostek.cli.common import date_option, int_option, language, month_option, rupiah_option, table
from jamsostek.cli.options import (
    CommandParser,
    check_keys,
    flag_value,
    json_int,
    month_value,
    optional,
    rate_option,
    read_json,
    required,
    spec_option,
)
from jamsostek.rules.benefits import (
    BenefitResult,
    Child,
    Contribution,
    Costs,
    Savings,
    jht_balance,
    jht_benefit,
    jht_partial_withdrawal,
    jkk_benefit,
    jkm_benefit,
    jkp_benefit,
    jp_benefit,
)
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.money import rupiah

CHILD_FORM = "LEVEL[,year=N][,birth_date=YYYY-MM-DD][,married][,employed][,employed_as=KIND][,name=NAME]"
CHILD_KEYS = ("year", "birth_date", "married", "employed", "employed_as", "name")
JHT_REASONS = (
    "age",
    "contract_end",
    "resignation",
    "termination",
    "leaving_indonesia",
    "total_disability",
    "death",
    "partial_housing",
    "partial_other",
    "balance",
)
COSTS = ("medical", "transport_land", "transport_sea", "transport_air", "home_care", "eyeglasses")


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "benefit",
        help="compute a benefit (JKM, JKK, JHT, JP, JKP), itemised, with eligibility",
        description="Compute what a participant or the family is owed under one program, line by line, "
        "with the legal basis of every amount and of the eligibility decision.",
    )
    programs = parser.add_subparsers(dest="program", parser_class=CommandParser)
    programs.required = True

    def new(name: str, help_text: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = programs.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--format", choices=("table", "json"), default="table")
        return sub

    jkm = new("jkm", "death not caused by work: lump sum, periodic benefit, funeral, scholarship")
    jkm.add_argument("--death-date", help="date of death, YYYY-MM-DD")
    jkm.add_argument("--contribution-months", help="months of contributions paid (for the scholarship)")
    jkm.add_argument("--inactive", action="store_true", help="membership was not active at death")
    jkm.add_argument("--segment", default="pu", help="pu, bpu, jakon or pmi (default pu)")
    jkm.add_argument("--membership-months", help="whole months since the membership began (BPU: early death)")
    _children(jkm)
    jkm.set_defaults(handler=_run, compute=_jkm)

    jkk = new("jkk", "work accident or occupational disease")
    jkk.add_argument("--event", help="temporary_incapacity, death, total_disability, partial_disability, costs")
    jkk.add_argument("--date", help="date of the accident (or diagnosis), YYYY-MM-DD")
    jkk.add_argument("--wage", help="last monthly wage reported to BPJS Ketenagakerjaan, rupiah")
    jkk.add_argument("--months", help="months of temporary incapacity (temporary_incapacity)")
    jkk.add_argument("--percentage", help="disability percentage, 0.35 or 35%% (partial_disability)")
    jkk.add_argument("--function-loss", help="share of function lost, for a functional disability")
    jkk.add_argument("--claim-date", help="date of the claim, to check that the right has not lapsed")
    for cost in COSTS:
        jkk.add_argument(f"--{cost.replace('_', '-')}", help=f"{cost.replace('_', ' ')} costs claimed, rupiah")
    _children(jkk)
    jkk.set_defaults(handler=_run, compute=_jkk)

    jht = new("jht", "old-age savings: balance, claim, partial withdrawal")
    jht.add_argument("--claim-date", help="date of the claim (or of the balance), YYYY-MM-DD")
    jht.add_argument("--reason", help=", ".join(JHT_REASONS))
    jht.add_argument("--birth-date", help="participant's birth date (reason age)")
    jht.add_argument("--retirement-age", help="retirement age in the contract, company rules or CLA")
    jht.add_argument("--event-date", help="date of the resignation letter, the termination or the end of the contract")
    jht.add_argument("--membership-start", help="date membership started (partial withdrawal)")
    jht.add_argument(
        "--previous-withdrawals", default="0", help="partial withdrawals already made (partial withdrawal)"
    )
    _savings(jht)
    jht.set_defaults(handler=_run, compute=_jht)

    jp = new("jp", "pension: pension age, old-age pension, lump sum, survivors")
    jp.add_argument("--date", help="date the pension starts, or date of death, YYYY-MM-DD")
    jp.add_argument("--birth-date", help="participant's birth date")
    jp.add_argument("--contribution-months", help="months of JP contributions")
    jp.add_argument("--average-wage", help="average monthly wage over the contribution period, indexed, rupiah")
    jp.add_argument("--event", default="old_age", help="old_age (default), death or disability")
    jp.add_argument("--survivor", help="after a death: spouse, child or parent (computes that survivor's amount)")
    jp.add_argument("--membership-months", help="months since joining JP (death with under 180 months)")
    _savings(jp)
    jp.set_defaults(handler=_run, compute=_jp)

    jkp = new("jkp", "job loss: eligibility, cash benefit, claim deadline")
    jkp.add_argument("--last-wage", help="last monthly wage reported, rupiah")
    jkp.add_argument("--termination-date", help="date of the termination (PHK), YYYY-MM-DD")
    jkp.add_argument("--months-paid-last-24", help="contribution months paid in the 24 months before it")
    jkp.add_argument("--consecutive-months", help="contribution months paid without a gap just before it")
    jkp.add_argument(
        "--reason",
        default="termination",
        help="termination (default), contract_end (a PKWT ending at its term), resignation, total_disability, "
        "retirement, death",
    )
    jkp.add_argument("--previous-claims", default="0", help="JKP benefits already received (default 0)")
    jkp.add_argument("--months-since-previous-claim", help="contribution months paid since the previous JKP benefit")
    jkp.add_argument("--age-at-registration", help="age when registered in JKP")
    jkp.add_argument("--claim-date", help="date of the claim, to check the deadline")
    jkp.set_defaults(handler=_run, compute=_jkp)


def _children(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--child",
        action="append",
        default=[],
        help=f"a child for the scholarship (repeat; at most 2 are paid): {CHILD_FORM.replace('%', '%%')}",
    )
    parser.add_argument("--payment-date", help="date of the scholarship payment (default: the event date)")


def _savings(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--history", help='JSON file of contributions [{"month": "YYYY-MM", "amount": N}, ...] ("-" = stdin)'
    )
    parser.add_argument("--monthly-contribution", help="the same contribution every month, rupiah")
    parser.add_argument("--from", dest="first", help="first contribution month, YYYY-MM")
    parser.add_argument("--to", dest="last", help="last contribution month, YYYY-MM")
    parser.add_argument(
        "--return", dest="returns", action="append", default=[], help="declared return YEAR=RATE (repeat)"
    )
    parser.add_argument("--balance", help="a balance already known on the date, instead of a history")


# --- building the inputs -----------------------------------------------------------------------


def _child(text: str) -> Child:
    level, options = spec_option(text, "child", CHILD_FORM)
    check_keys("child", options, CHILD_KEYS)
    return Child(
        level=level,
        year=int_option(options.get("year", "1"), "year"),
        birth_date=optional(options.get("birth_date"), date_option, "birth_date"),
        married=flag_value(options.get("married", "no"), "married"),
        employed=flag_value(options.get("employed", "no"), "employed"),
        name=options.get("name"),
        employed_as=options.get("employed_as"),
    )


def _returns(items: list[str]) -> dict[int, Fraction]:
    returns: dict[int, Fraction] = {}
    for item in items:
        year, separator, rate = item.partition("=")
        if not separator:
            raise InvalidInput("return", "bad_spec", value=item, form="YEAR=RATE (2024=5.5%)")
        returns[int_option(year, "return")] = rate_option(rate, "return")
    return returns


def _history(path: str) -> tuple[tuple[Contribution, ...], dict[int, Fraction]]:
    data = read_json(path, "history")
    returns: dict[int, Fraction] = {}
    if isinstance(data, dict):
        check_keys("history", data, ("contributions", "returns"))
        raw_returns = data.get("returns", {})
        if not isinstance(raw_returns, dict):
            raise InvalidInput("returns", "bad_spec", value=raw_returns, form='{"2024": "5.5%"}')
        returns = {
            int_option(str(year), "returns"): rate_option(str(rate), "returns") for year, rate in raw_returns.items()
        }
        data = data.get("contributions", [])
    if not isinstance(data, list) or not data:
        raise InvalidInput("history", "bad_spec", value=path, form='[{"month": "YYYY-MM", "amount": N}, ...]')
    contributions = []
    for item in data:
        if not isinstance(item, dict) or set(item) != {"month", "amount"}:
            raise InvalidInput("history", "bad_spec", value=item, form='{"month": "YYYY-MM", "amount": N}')
        contributions.append(
            Contribution(month_value(item["month"], "month"), json_int(item["amount"], "amount", rupiah=True))
        )
    return tuple(contributions), returns


def _savings_input(args: argparse.Namespace) -> Savings | None:
    returns = _returns(args.returns)
    given = [name for name in ("history", "monthly_contribution", "balance") if getattr(args, name) is not None]
    if len(given) > 1:
        raise InvalidInput(given[1], "one_of_required", choices="--history, --monthly-contribution, --balance")
    if args.history is not None:
        contributions, from_file = _history(args.history)
        return Savings(contributions, {**from_file, **returns})
    if args.monthly_contribution is not None:
        return Savings.monthly(
            rupiah_option(args.monthly_contribution, "monthly_contribution"),
            required(args.first, month_option, "from"),
            required(args.last, month_option, "to"),
            returns,
        )
    if args.balance is not None:
        return Savings(balance=rupiah_option(args.balance, "balance"), returns=returns)
    return None


def _jkm(args: argparse.Namespace) -> BenefitResult:
    return jkm_benefit(
        death_date=required(args.death_date, date_option, "death_date"),
        contribution_months=required(args.contribution_months, int_option, "contribution_months"),
        active=not args.inactive,
        children=[_child(text) for text in args.child],
        payment_date=optional(args.payment_date, date_option, "payment_date"),
        segment=args.segment,
        membership_months=optional(args.membership_months, int_option, "membership_months"),
    )


def _jkk(args: argparse.Namespace) -> BenefitResult:
    if args.event is None:
        raise InvalidInput("event", "required")
    costs = Costs(**{name: rupiah_option(getattr(args, name) or "0", name) for name in COSTS})
    return jkk_benefit(
        event=args.event,
        accident_date=required(args.date, date_option, "date"),
        wage=optional(args.wage, rupiah_option, "wage"),
        months=optional(args.months, int_option, "months"),
        percentage=optional(args.percentage, rate_option, "percentage"),
        function_loss=optional(args.function_loss, rate_option, "function_loss"),
        children=[_child(text) for text in args.child],
        payment_date=optional(args.payment_date, date_option, "payment_date"),
        costs=costs,
        claim_date=optional(args.claim_date, date_option, "claim_date"),
    )


def _jht(args: argparse.Namespace) -> BenefitResult:
    claim_date = required(args.claim_date, date_option, "claim_date")
    if args.reason is None:
        raise InvalidInput("reason", "required")
    if args.reason not in JHT_REASONS:
        raise InvalidInput("reason", "not_one_of", value=args.reason, choices=", ".join(JHT_REASONS))
    savings = _savings_input(args)
    if savings is None:
        raise InvalidInput("history", "one_of_required", choices="--history, --monthly-contribution, --balance")
    if args.reason == "balance":
        return jht_balance(on=claim_date, savings=savings)
    if args.reason.startswith("partial_"):
        return jht_partial_withdrawal(
            claim_date=claim_date,
            purpose=args.reason.removeprefix("partial_"),
            membership_start=required(args.membership_start, date_option, "membership_start"),
            savings=savings,
            previous_withdrawals=int_option(args.previous_withdrawals, "previous_withdrawals"),
        )
    return jht_benefit(
        claim_date=claim_date,
        reason=args.reason,
        savings=savings,
        birth_date=optional(args.birth_date, date_option, "birth_date"),
        event_date=optional(args.event_date, date_option, "event_date"),
        retirement_age=optional(args.retirement_age, int_option, "retirement_age"),
    )


def _jp(args: argparse.Namespace) -> BenefitResult:
    return jp_benefit(
        on=required(args.date, date_option, "date"),
        birth_date=required(args.birth_date, date_option, "birth_date"),
        contribution_months=required(args.contribution_months, int_option, "contribution_months"),
        average_indexed_wage=optional(args.average_wage, rupiah_option, "average_wage"),
        event=args.event,
        membership_months=optional(args.membership_months, int_option, "membership_months"),
        savings=_savings_input(args),
        survivor=args.survivor,
    )


def _jkp(args: argparse.Namespace) -> BenefitResult:
    return jkp_benefit(
        termination_date=required(args.termination_date, date_option, "termination_date"),
        last_wage=required(args.last_wage, rupiah_option, "last_wage"),
        months_paid_last_24=required(args.months_paid_last_24, int_option, "months_paid_last_24"),
        consecutive_months=required(args.consecutive_months, int_option, "consecutive_months"),
        reason=args.reason,
        age_at_registration=optional(args.age_at_registration, int_option, "age_at_registration"),
        claim_date=optional(args.claim_date, date_option, "claim_date"),
        previous_claims=int_option(args.previous_claims, "previous_claims"),
        months_since_previous_claim=optional(
            args.months_since_previous_claim, int_option, "months_since_previous_claim"
        ),
    )


# --- output ------------------------------------------------------------------------------------


def _run(args: argparse.Namespace) -> int:
    result: BenefitResult = args.compute(args)
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render(result))
    return 0


def render(result: BenefitResult) -> str:
    """The result as a readable table, amounts in the user's language."""
    lang = language()
    verdict = "eligible" if result.eligible else "NOT eligible"
    parts = [
        f"{result.program.upper()} benefit on {result.on.isoformat()}: {verdict}",
        f"Reason: {result.reason}",
        f"Legal basis: {result.legal_basis}",
    ]
    if result.lines:
        rows = [
            [
                line.item,
                rupiah(line.amount, lang),
                "" if line.confirmed else "*",
                line.explanation,
                line.reference,
            ]
            for line in result.lines
        ]
        parts += ["", table(["Item", "Amount", "", "How", "Legal basis"], rows, right=(1,))]
    parts += ["", f"Total: {rupiah(result.total, lang)}"]
    if not result.confirmed:
        parts.append("* = uses a value that is not confirmed")
    if result.details:
        parts += ["", "Details:", *(f"- {key}: {value}" for key, value in result.details.items())]
    if result.warnings:
        parts += ["", "Warnings:", *(f"- {warning}" for warning in result.warnings)]
    return "\n".join(parts)
