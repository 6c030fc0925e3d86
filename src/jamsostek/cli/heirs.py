"""``jamsostek heirs``: who receives the death benefits, in the legal order, from a list of relatives.

Relatives come from a JSON file (``--relatives FILE``, ``-`` for standard input): a list of
``{"relation": "child", "name": "Budi", "birth_date": "2010-05-01", "married": false, "employed":
false, "deceased": false}`` (only relation and name are required), and/or from options
``--relative RELATION=NAME[,birth_date=YYYY-MM-DD][,married][,employed][,deceased]``. Relation
names are English or Indonesian (see ``jamsostek.rules.benefits.heirs``).
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from jamsostek.cli.common import date_option, table
from jamsostek.cli.options import (
    check_keys,
    flag_value,
    json_bool,
    json_date,
    read_json,
    spec_option,
)
from jamsostek.rules.benefits.heirs import PROGRAM_ORDERS, HeirsResult, Relative, heirs
from jamsostek.rules.errors import InvalidInput

RELATIVE_FORM = "RELATION=NAME[,birth_date=YYYY-MM-DD][,married][,employed][,deceased]"
FLAGS = ("married", "employed", "deceased")
WIB = timezone(timedelta(hours=7))
"""Western Indonesia Time (Kalimantan Barat): the default date is today there."""


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "heirs",
        help="list the heirs entitled to death benefits, in the legal order",
        description="From a list of relatives, print who receives the death benefits of a program "
        "(JHT, JKM, JKK: the general order of heirs; JP: the survivor list), in order.",
    )
    parser.add_argument("--relatives", help="JSON file with a list of relatives (- for standard input)")
    parser.add_argument("--relative", action="append", default=[], help=f"a relative (repeat): {RELATIVE_FORM}")
    parser.add_argument("--program", default="jht", help="jht (default), jkm, jkk or jp")
    parser.add_argument("--date", help="date of death (default: today, WIB)")
    parser.add_argument("--format", default="table", help="table (default) or json")
    parser.set_defaults(handler=run)


def _from_json(item: object, number: int) -> Relative:
    field = f"relatives[{number}]"
    if not isinstance(item, dict):
        raise InvalidInput(field, "bad_spec", value=item, form='{"relation": ..., "name": ...}')
    check_keys(field, item, ("relation", "name", "birth_date", *FLAGS))
    for key in ("relation", "name"):
        if key not in item:
            raise InvalidInput(f"{field}.{key}", "required")
    return Relative(
        relation=item["relation"],
        name=item["name"],
        birth_date=json_date(item.get("birth_date"), f"{field}.birth_date"),
        **{flag: json_bool(item.get(flag, False), f"{field}.{flag}") for flag in FLAGS},
    )


def _from_option(text: str) -> Relative:
    head, options = spec_option(text, "relative", RELATIVE_FORM)
    relation, separator, name = head.partition("=")
    if not separator or not name.strip():
        raise InvalidInput("relative", "bad_spec", value=text, form=RELATIVE_FORM)
    check_keys("relative", options, ("birth_date", *FLAGS))
    birth_date = options.get("birth_date")
    return Relative(
        relation=relation,
        name=name.strip(),
        birth_date=None if birth_date is None else date_option(birth_date, "birth_date"),
        **{flag: flag_value(options.get(flag, "no"), flag) for flag in FLAGS},
    )


def relatives_of(args: argparse.Namespace) -> list[Relative]:
    relatives: list[Relative] = []
    if args.relatives is not None:
        data = read_json(args.relatives, "relatives")
        if not isinstance(data, list):
            raise InvalidInput("relatives", "bad_spec", value=args.relatives, form="a JSON list of relatives")
        relatives += [_from_json(item, number) for number, item in enumerate(data)]
    relatives += [_from_option(text) for text in args.relative]
    return relatives


def run(args: argparse.Namespace) -> int:
    if args.format not in ("table", "json"):
        raise InvalidInput("format", "not_one_of", value=args.format, choices="table, json")
    if args.program not in PROGRAM_ORDERS:
        raise InvalidInput("program", "not_one_of", value=args.program, choices=", ".join(PROGRAM_ORDERS))
    on: date = datetime.now(UTC).astimezone(WIB).date() if args.date is None else date_option(args.date, "date")
    result = heirs(relatives=relatives_of(args), on=on, program=args.program)
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render(result))
    return 0


def render(result: HeirsResult) -> str:
    parts = [
        f"Heirs for {result.program.upper()} on {result.on.isoformat()}: {result.recipient}",
        f"Reason: {result.reason}",
        f"Legal basis: {'; '.join(dict.fromkeys(str(reference) for reference in result.basis))}",
    ]
    if result.order:
        rows = [
            [str(rank), relative.relation, relative.name, "entitled" if rank == result.rank else ""]
            for rank, relative in result.order
        ]
        parts += ["", table(["Group", "Relation", "Name", ""], rows)]
    if result.excluded:
        parts += [
            "",
            "Left out:",
            *(f"- {relative.name} ({relative.relation}): {why}" for relative, why in result.excluded),
        ]
    if result.warnings:
        parts += ["", "Warnings:", *(f"- {warning}" for warning in result.warnings)]
    return "\n".join(parts)
