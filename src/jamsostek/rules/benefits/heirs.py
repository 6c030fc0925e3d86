"""Heirs (ahli waris): who receives the death benefits, from a list of relatives.

The cash goes to the first group, in the program's order, that has anyone in it. JHT
(``benefits.heirs.order``, BPJS practice): 1 the widow/widower or the children, together;
2 parents; 3 grandchildren; 4 grandparents; 5 siblings; 6 parents-in-law; 7 the person named in
the participant's will; if nobody, the Balai Harta Peninggalan (estate office). JKM and JKK
(``benefits.heirs.jkm_order``, ``benefits.heirs.jkk_order``; PP 44/2015 art. 40(2) and 37(5)):
the same, except that parents, grandchildren and grandparents are one group (the text does not
rank them); if nobody, the lump sums go to the Dana Jaminan Sosial and the funeral costs to
whoever arranged the funeral.

A JP survivor pension has its own list (``benefits.heirs.jp_order``): one spouse; else at most
two children under 23, unmarried and not working; else one parent.

Relations (English, with Indonesian aliases; case, spaces and hyphens ignored):

- ``spouse``: widow, widower, husband, wife, janda, duda, istri, suami, pasangan
- ``child``: son, daughter, anak, anak_kandung
- ``parent``: father, mother, ayah, bapak, ibu, orang_tua
- ``grandchild``: grandson, granddaughter, cucu
- ``grandparent``: grandfather, grandmother, kakek, nenek
- ``sibling``: brother, sister, saudara, saudara_kandung, kakak, adik
- ``parent_in_law``: father_in_law, mother_in_law, mertua
- ``named_in_will``: will, beneficiary, penerima_wasiat, wasiat

Project choices (docs/rules.md): a relative marked ``deceased`` is left out; where the law caps a
group (JP: two children, one spouse, one parent) the first ones listed are taken, with a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from jamsostek.rules.benefits.context import Lookup, child_right_ended
from jamsostek.rules.benefits.model import (
    Program,
    check_choice,
    check_date,
    check_optional_date,
)
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.model import check_bool
from jamsostek.rules.parameterset import Entry, ParameterSet, Reference

RELATIONS: dict[str, tuple[str, ...]] = {
    "spouse": (
        "widow",
        "widower",
        "husband",
        "wife",
        "janda",
        "duda",
        "istri",
        "isteri",
        "suami",
        "pasangan",
    ),
    "child": ("son", "daughter", "anak", "anak_kandung"),
    "parent": ("father", "mother", "ayah", "bapak", "ibu", "orang_tua"),
    "grandchild": ("grandson", "granddaughter", "cucu"),
    "grandparent": ("grandfather", "grandmother", "kakek", "nenek"),
    "sibling": ("brother", "sister", "saudara", "saudara_kandung", "kakak", "adik"),
    "parent_in_law": ("father_in_law", "mother_in_law", "mertua"),
    "named_in_will": ("will", "beneficiary", "penerima_wasiat", "wasiat"),
}
LABELS = {
    "spouse": "widow or widower",
    "child": "children",
    "parent": "parents",
    "grandchild": "grandchildren",
    "grandparent": "grandparents",
    "sibling": "siblings",
    "parent_in_law": "parents-in-law",
    "named_in_will": "the person named in the will",
}
PROGRAM_ORDERS = {
    "jht": "benefits.heirs.order",
    "jkm": "benefits.heirs.jkm_order",
    "jkk": "benefits.heirs.jkk_order",
    "jp": "benefits.heirs.jp_order",
}
ESTATE_OFFICE = "Balai Harta Peninggalan"
SOCIAL_SECURITY_FUND = "Dana Jaminan Sosial"
FUNERAL_ORGANISER = "whoever arranged the funeral"


def relation_name(value: object, field_name: str = "relation") -> str:
    """The canonical relation for a name or an alias."""
    if isinstance(value, str):
        text = value.strip().lower().replace(" ", "_").replace("-", "_")
        for relation, aliases in RELATIONS.items():
            if text == relation or text in aliases:
                return relation
    raise InvalidInput(field_name, "not_one_of", value=value, choices=", ".join(RELATIONS))


@dataclass(frozen=True, slots=True)
class Relative:
    """A relative of the deceased participant."""

    relation: str
    name: str
    birth_date: date | None = None
    married: bool = False
    employed: bool = False
    deceased: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "relation", relation_name(self.relation))
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidInput("name", "empty")
        check_optional_date("birth_date", self.birth_date)
        for name in ("married", "employed", "deceased"):
            check_bool(name, getattr(self, name))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"relation": self.relation, "name": self.name}
        if self.birth_date is not None:
            data["birth_date"] = self.birth_date.isoformat()
        for name in ("married", "employed", "deceased"):
            if getattr(self, name):
                data[name] = True
        return data


@dataclass(frozen=True)
class HeirsResult:
    """Who is entitled, the whole order of those who could inherit, and who is left out and why."""

    program: str
    on: date
    entitled: tuple[Relative, ...]
    rank: int | None
    """The entitled group's place in the order (1 = first); None when nobody is entitled."""
    reason: str
    basis: tuple[Reference, ...]
    order: tuple[tuple[int, Relative], ...]
    excluded: tuple[tuple[Relative, str], ...] = ()
    warnings: tuple[str, ...] = ()
    confirmed: bool = True
    recipient: str = ""
    """Who receives the money in words (the entitled names, the Balai Harta Peninggalan, ...)."""
    funeral_costs_to: str | None = None
    """JKM and JKK with no heir: the funeral costs go to whoever arranged the funeral (else None:
    they go with the rest)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "date": self.on.isoformat(),
            "entitled": [relative.to_dict() for relative in self.entitled],
            "rank": self.rank,
            "recipient": self.recipient,
            "funeral_costs_to": self.funeral_costs_to,
            "reason": self.reason,
            "legal_basis": "; ".join(dict.fromkeys(str(reference) for reference in self.basis)),
            "order": [{"rank": rank, **relative.to_dict()} for rank, relative in self.order],
            "excluded": [{**relative.to_dict(), "why": why} for relative, why in self.excluded],
            "confirmed": self.confirmed,
            "warnings": list(self.warnings),
        }


def heirs(
    *,
    relatives: Sequence[Relative],
    on: date,
    program: str = "jht",
    parameters: ParameterSet | None = None,
) -> HeirsResult:
    """The heirs entitled to the death benefits of ``program``, among ``relatives``, on ``on``."""
    check_date("date", on)
    check_choice("program", program, tuple(PROGRAM_ORDERS))
    for relative in relatives:
        if not isinstance(relative, Relative):
            raise InvalidInput("relatives", "not_one_of", value=relative, choices="Relative")
    ctx = Lookup(parameters, on, program=cast(Program, program), field="date")
    order = ctx.entry(PROGRAM_ORDERS[program])
    used: list[Entry] = [order]
    excluded: list[tuple[Relative, str]] = []
    candidates: list[Relative] = []
    for relative in relatives:
        why = _why_not(ctx, relative, program, on, used)
        if why is None:
            candidates.append(relative)
        else:
            excluded.append((relative, why))
    ranked: list[tuple[int, Relative]] = []
    for place, group in enumerate(order.value, start=1):
        members = [relative for relative in candidates if relative.relation in group.relations]
        if group.at_most is not None and len(members) > group.at_most:
            label = " or ".join(LABELS[relation] for relation in group.relations)
            ctx.warn(
                f"at most {group.at_most} of the {label} may receive it: the first listed are taken "
                "(which ones the law prefers is not encoded)"
            )
            excluded += [(relative, f"beyond the {group.at_most} allowed") for relative in members[group.at_most :]]
            members = members[: group.at_most]
        ranked += [(place, relative) for relative in members]
    listed = {id(relative) for _, relative in ranked} | {id(relative) for relative, _ in excluded}
    excluded += [
        (relative, f"not a recipient under {program.upper()}") for relative in candidates if id(relative) not in listed
    ]
    _general_warnings(ctx, candidates)
    rank = ranked[0][0] if ranked else None
    entitled = tuple(relative for place, relative in ranked if place == rank)
    funeral_to: str | None = None
    if rank is None:
        if program == "jp":
            recipient = "nobody: no survivor pension (a JP lump sum goes to the heirs under the general order)"
        elif program == "jht":
            recipient = f"the {ESTATE_OFFICE} (estate office)"
        else:
            recipient = f"the {SOCIAL_SECURITY_FUND} (the lump sums); the funeral costs to {FUNERAL_ORGANISER}"
            funeral_to = FUNERAL_ORGANISER
        reason = "no relative in the order of heirs" + ("" if program == "jp" else " and no will")
    else:
        group = order.value[rank - 1]
        label = " or ".join(LABELS[relation] for relation in group.relations)
        recipient = ", ".join(relative.name for relative in entitled)
        earlier = "" if rank == 1 else f"; nobody in groups 1 to {rank - 1}"
        reason = f"group {rank} of the order ({label}){earlier}"
    return HeirsResult(
        program=program,
        on=on,
        entitled=entitled,
        rank=rank,
        reason=reason,
        basis=tuple(entry.reference for entry in used),
        order=tuple(ranked),
        excluded=tuple(excluded),
        warnings=tuple(ctx.warnings),
        confirmed=all(entry.confirmed for entry in used),
        recipient=recipient,
        funeral_costs_to=funeral_to,
    )


def _why_not(ctx: Lookup, relative: Relative, program: str, on: date, used: list[Entry]) -> str | None:
    if relative.deceased:
        return "deceased"
    if program != "jp" or relative.relation != "child":
        return None
    limit = ctx.entry("benefits.jp.child_age_limit")
    if limit not in used:
        used.append(limit)
    return child_right_ended(
        ctx.at(on),
        who=relative.name,
        birth_date=relative.birth_date,
        married=relative.married,
        employed=relative.employed,
        age_limit=limit.value,
        what="a JP child pension",
    )


def _general_warnings(ctx: Lookup, candidates: Sequence[Relative]) -> None:
    relations = [relative.relation for relative in candidates]
    if relations.count("spouse") > 1:
        ctx.warn(
            "more than one spouse is listed: the legal spouse is the one registered with BPJS "
            "Ketenagakerjaan, and several spouses need an agreement (informal source, low weight)"
        )
    if "child" in relations:
        ctx.warn(
            "who counts as a child (biological, adopted, step) is defined by Permenaker 5/2021 and is "
            "UNCONFIRMED here: every child listed is counted"
        )
