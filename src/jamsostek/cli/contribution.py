"""``jamsostek contribution {pu,bpu,jakon,pmi}``: one participant's contribution, itemised."""

from __future__ import annotations

import argparse
import json
from typing import Any

from jamsostek.cli.common import (
    Parser,
    date_option,
    int_option,
    language,
    month_option,
    rupiah_option,
    table,
)
from jamsostek.cli.options import optional
from jamsostek.rules.contributions import contribution
from jamsostek.rules.model import (
    BPUInput,
    ContributionInput,
    ContributionResult,
    JakonInput,
    PMIInput,
    PUInput,
)
from jamsostek.rules.money import rupiah


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "contribution",
        help="compute one participant's contribution for a month, itemised",
        description="Compute the contribution of one participant (or project) for a contribution "
        "month, line by line, with the legal reference of every amount.",
    )
    segments = parser.add_subparsers(dest="segment", metavar="{pu,bpu,jakon,pmi}", parser_class=Parser)
    segments.required = True

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--period", required=True, help="contribution month, YYYY-MM")
        sub.add_argument("--format", choices=("table", "json"), default="table")

    pu = segments.add_parser("pu", help="wage earner (Penerima Upah)")
    common(pu)
    pu.add_argument("--wage", required=True, help="monthly basic wage in rupiah")
    pu.add_argument("--fixed-allowances", default="0", help="fixed allowances in rupiah (added to the wage)")
    pu.add_argument("--risk-class", required=True, help="the employer's JKK risk class, 1-5")
    pu.add_argument("--minimum-wage", help="regency (UMK) or provincial (UMP) minimum wage: the lowest base")
    pu.add_argument(
        "--labour-intensive",
        action="store_true",
        help="employer eligible for the PP 7/2025 JKK discount",
    )
    pu.add_argument("--paid-on", help="payment date YYYY-MM-DD, to compute the late-payment fine")
    pu.add_argument("--no-jp", action="store_true", help="not enrolled in JP (micro and small enterprises)")
    pu.add_argument("--no-jkp", action="store_true", help="not enrolled in JKP (hides the JKP financing lines)")
    pu.add_argument(
        "--no-jp-deferral",
        action="store_true",
        help="pay JP in full during the PP 49/2020 window instead of deferring 99%%",
    )
    pu.add_argument(
        "--state-body",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the employer is (or is not) a state body, penyelenggara negara: not fined (default: not known)",
    )
    pu.add_argument(
        "--relief-paid-up",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the employer met (or did not meet) the relief's paid-up condition: PP 49/2020 JKK and JKM "
        "through July 2020, PP 7/2025 JKK through January 2025 (default: not known)",
    )
    pu.add_argument(
        "--employer-first-month",
        help="the employer's first contribution month YYYY-MM (PP 49/2020 new registrants; default: not known)",
    )
    pu.set_defaults(build=_pu)

    bpu = segments.add_parser("bpu", help="informal worker (Bukan Penerima Upah)")
    common(bpu)
    bpu.add_argument("--income", required=True, help="declared monthly income in rupiah")
    bpu.add_argument("--with-jht", action="store_true", help="also pay JHT (2%% of the income nominal)")
    bpu.add_argument("--no-jkm", action="store_true", help="JKK only (apprentices, honorary staff, students)")
    bpu.add_argument("--months", default="1", help="months paid at once: 1, 3, 6 or 12")
    bpu.add_argument(
        "--relief-paid-up",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the participant had (or had not) paid JKK and JKM through July 2020, PP 49/2020 (default: not known)",
    )
    bpu.add_argument("--first-month", help="the participant's first contribution month YYYY-MM (default: not known)")
    bpu.set_defaults(build=_bpu)

    jakon = segments.add_parser("jakon", help="construction project (Jasa Konstruksi)")
    common(jakon)
    basis = jakon.add_mutually_exclusive_group(required=True)
    basis.add_argument("--contract-value", help="contract value excluding VAT, when wages are not known")
    basis.add_argument("--wages", help="each worker's monthly wage, comma-separated (e.g. 3500000,4200000)")
    jakon.set_defaults(build=_jakon)

    pmi = segments.add_parser("pmi", help="migrant worker (Pekerja Migran Indonesia)")
    common(pmi)
    pmi.add_argument("--months", required=True, help="length of the employment contract in months")
    pmi.add_argument(
        "--pre-departure",
        action="store_true",
        help="placed through an agency: add the pre-departure protection",
    )
    pmi.set_defaults(build=_pmi)
    parser.set_defaults(handler=run)


def _pu(args: argparse.Namespace) -> PUInput:
    return PUInput(
        wage=rupiah_option(args.wage, "wage"),
        fixed_allowances=rupiah_option(args.fixed_allowances, "fixed_allowances"),
        risk_class=int_option(args.risk_class, "risk_class"),
        minimum_wage=None if args.minimum_wage is None else rupiah_option(args.minimum_wage, "minimum_wage"),
        labour_intensive=args.labour_intensive,
        with_jp=not args.no_jp,
        with_jkp=not args.no_jkp,
        jp_deferral=not args.no_jp_deferral,
        paid_on=None if args.paid_on is None else date_option(args.paid_on, "paid_on"),
        state_body=args.state_body,
        relief_paid_up=args.relief_paid_up,
        employer_first_month=optional(args.employer_first_month, month_option, "employer_first_month"),
    )


def _bpu(args: argparse.Namespace) -> BPUInput:
    return BPUInput(
        income=rupiah_option(args.income, "income"),
        with_jht=args.with_jht,
        with_jkm=not args.no_jkm,
        months=int_option(args.months, "months"),
        relief_paid_up=args.relief_paid_up,
        first_month=optional(args.first_month, month_option, "first_month"),
    )


def _jakon(args: argparse.Namespace) -> JakonInput:
    if args.contract_value is not None:
        return JakonInput(contract_value=rupiah_option(args.contract_value, "contract_value"))
    wages = tuple(rupiah_option(part, "wages") for part in args.wages.split(",") if part.strip())
    return JakonInput(wages=wages)


def _pmi(args: argparse.Namespace) -> PMIInput:
    return PMIInput(months=int_option(args.months, "months"), pre_departure=args.pre_departure)


def run(args: argparse.Namespace) -> int:
    period = month_option(args.period)
    inputs: ContributionInput = args.build(args)
    result = contribution(inputs, period)
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render(result))
    return 0


def render(result: ContributionResult) -> str:
    """The result as a readable table, in the user's language for amounts."""
    lang = language()
    title = f"{result.segment.upper()} contribution, {result.period}"
    if result.due_date:
        title += f" (due {result.due_date.isoformat()})"
    rows = []
    for line in result.lines:
        flags = ("i" if line.information else "") + ("" if line.confirmed else "*")
        rows.append(
            [
                line.program.upper().replace("_", "+"),
                line.payer,
                rupiah(line.amount, lang),
                flags,
                line.label,
                line.explanation,
                line.reference,
            ]
        )
    body = table(["Program", "Payer", "Amount", "", "Item", "How", "Legal basis"], rows, right=(2,))
    totals = result.totals
    summary = "Billed: " + " · ".join(
        f"{payer} {rupiah(totals[payer], lang)}" for payer in ("employer", "worker", "participant", "total")
    )
    legend = "i = information only, not billed · * = uses a value that is not confirmed"
    parts = [title, "", body, "", summary, legend]
    if result.warnings:
        parts += ["", "Warnings:", *(f"- {warning}" for warning in result.warnings)]
    return "\n".join(parts)
