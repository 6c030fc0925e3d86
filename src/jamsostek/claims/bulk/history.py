"""Importing historical claims from a BPJS branch, row by row: the reference path, which checks
every rule and words every reason. A clean canonical file takes the whole-file path
(``whole_file``), held to this one by a property test.

A row is one paid claim: ``claim_number, nik, program, event_date, paid_date, amount`` and
optionally ``kpj`` and ``regency_code``. The claim counts for the regency the file gives, else the
registered participant's, else the regency of a Kalimantan Barat NIK. Re-importing a claim with the
same values changes nothing; a recorded claim is never changed by an import (a row that differs
from it is rejected).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext_lazy

from jamsostek.accounts.policy import Action
from jamsostek.claims.bulk.writes import STAGED, memberships, write_history
from jamsostek.claims.models import Program
from jamsostek.core.bulk import values
from jamsostek.core.bulk.frames import catch_up_ids, query_frame, reserve_ids
from jamsostek.core.bulk.importer import Importer
from jamsostek.core.bulk.reading import Column
from jamsostek.core.bulk.report import ACCEPTED, UNCHANGED, ImportReport, RowResult
from jamsostek.core.errors import InvalidField
from jamsostek.core.places import Place
from jamsostek.registry.models import Region
from jamsostek.registry.nik import parse_nik
from jamsostek.registry.services import district_codes
from jamsostek.rules.model import MAX_RUPIAH

COLUMNS = (
    Column("claim_number", True, "the branch's claim number (letters, digits, . _ / -)", "KLM/2024/000123",
           ("nomor_klaim", "no_klaim")),
    Column("nik", True, "16-digit NIK of the participant", "6104015708900001"),
    Column("program", True, "jkk, jkm, jht, jp, jkp or scholarship", "jht"),
    Column("event_date", True, "the death, accident, termination or retirement: YYYY-MM-DD or DD-MM-YYYY",
           "2024-02-10", ("tanggal_kejadian",)),
    Column("paid_date", True, "YYYY-MM-DD or DD-MM-YYYY", "2024-03-01", ("tanggal_bayar",)),
    Column("amount", True, "rupiah paid (a whole number)", "12500000", ("nominal", "jumlah")),
    Column("kpj", False, "BPJS Ketenagakerjaan card number (11 digits)", "", ("no_kpj",)),
    Column("regency_code", False, "Kemendagri regency code (default: the participant's)", "61.04",
           ("kode_kabupaten",)),
)  # fmt: skip
PROGRAMS = {**{value: value for value in Program.values}, "beasiswa": "scholarship"}
NUMBER = re.compile(r"^[A-Za-z0-9._/-]{1,40}$")
KPJ = re.compile(r"^[0-9]{11}$")
NOT_REGISTERED = gettext_noop("the participant is not in the registry: the claim counts for %(regency)s")
"""The warning of a claim whose participant the registry does not know (both paths word it so)."""


class Recorded(NamedTuple):
    """A claim already recorded, as an import row would state it."""

    origin: str
    signature: tuple[Any, ...]
    regency: str


def regency_codes() -> set[str]:
    return set(Region.objects.filter(level=Region.Level.REGENCY).values_list("code", flat=True))


def recorded_claims(db: Any) -> pl.DataFrame:
    """Every claim by number, with the values an import row states (its first payment's)."""
    return query_frame(
        db,
        "SELECT c.number, c.origin, c.nik, c.program, CAST(c.event_date AS TEXT), CAST(p.paid_on AS TEXT), p.amount, "
        "c.kpj, c.regency_id FROM claims_claim c LEFT JOIN claims_claimpayment p ON p.claim_id = c.id AND "
        "p.sequence = 1",
        [],
        {"number": pl.String, "origin": pl.String, "nik": pl.String, "program": pl.String, "event_date": pl.String,
         "paid_date": pl.String, "amount": pl.Int64, "kpj": pl.String, "regency_id": pl.String},
        bulk=True,
    )  # fmt: skip


def registered_persons(db: Any) -> pl.DataFrame:
    return query_frame(
        db, "SELECT nik, id, regency_id FROM registry_person", [],
        {"nik": pl.String, "person_id": pl.Int64, "person_regency": pl.String}, bulk=True,
    )  # fmt: skip


def refused(problem: str | None) -> None:
    """The access policy's refusal of a row, worded for the report."""
    if problem == "action":
        raise InvalidField(_("your role may not record claim payments"), field="claim_number", code="forbidden")
    if problem == "before":
        raise InvalidField(_("is recorded outside the region you may change"), field="claim_number",
                           code="forbidden")  # fmt: skip
    if problem == "after":
        raise InvalidField(_("is outside the region you may change"), field="regency_code", code="forbidden")


class HistoryImporter(Importer):
    kind = "claims"
    label = pgettext_lazy("import kind", "historical claims")
    columns = COLUMNS
    key_column = "claim_number"

    def load_existing(self) -> None:
        self.today: date = timezone.localdate()
        self.districts = district_codes()
        self.regencies = regency_codes()
        persons = registered_persons(self.db)
        self.persons = dict(zip(persons["nik"], zip(persons["person_id"], persons["person_regency"], strict=True),
                                strict=True))  # fmt: skip
        recorded = recorded_claims(self.db)
        self.recorded = {row[0]: Recorded(row[1], tuple(row[2:]), row[8] or "") for row in recorded.iter_rows()}
        self.members = memberships(self.db)
        self.next_id = reserve_ids(self.db, "claims_claim")
        self.seen: dict[str, int] = {}
        self.staged: list[tuple[Any, ...]] = []

    def check(self, number: int, row: dict[str, str], result: RowResult) -> None:
        claim_number = values.text(row, "claim_number", required=True)
        if not NUMBER.match(claim_number):
            raise InvalidField(_("must be 1-40 letters, digits, '.', '_', '/' or '-'"), field="claim_number")
        result.key = claim_number
        if claim_number in self.seen:
            raise InvalidField(_("this claim number is also in row %(row)d") % {"row": self.seen[claim_number]},
                               field="claim_number")  # fmt: skip
        nik = parse_nik(values.text(row, "nik", required=True), districts=self.districts)
        program = PROGRAMS.get(values.text(row, "program", required=True).lower())
        if program is None:
            raise InvalidField(_("must be one of %(choices)s") % {"choices": ", ".join(Program.values)},
                               field="program")  # fmt: skip
        event = values.a_date(row, "event_date", required=True)
        paid = values.a_date(row, "paid_date", required=True)
        assert event is not None
        assert paid is not None
        if event > self.today:
            raise InvalidField(_("must not be in the future"), field="event_date")
        if paid > self.today:
            raise InvalidField(_("must not be in the future"), field="paid_date")
        if paid < event:
            raise InvalidField(_("is before the event date"), field="paid_date")
        amount = values.an_int(row, "amount", required=True)
        assert amount is not None
        if amount <= 0:
            raise InvalidField(_("must be more than zero"), field="amount")
        if amount > MAX_RUPIAH:
            raise InvalidField(_("is implausibly large"), field="amount", code="too_large")
        kpj = values.text(row, "kpj")
        if kpj and not KPJ.match(kpj):
            raise InvalidField(_("a KPJ number has 11 digits"), field="kpj")
        given = values.text(row, "regency_code")
        if given and given not in self.regencies:
            raise InvalidField(_("is not a regency or city of Kalimantan Barat"), field="regency_code")
        person = self.persons.get(nik.nik)
        regency = given or (person[1] if person else "") or (nik.regency_code if nik.regency_code in self.regencies
                                                              else "")  # fmt: skip
        if not regency:
            raise InvalidField(
                _("is required for a participant who is neither registered nor has a Kalimantan Barat NIK"),
                field="regency_code", code="required",
            )  # fmt: skip
        recorded = self.recorded.get(claim_number)
        refused(self.policy.change_problem(
            Action.PAY_CLAIMS, before=Place(region=recorded.regency) if recorded else None, after=Place(region=regency)
        ))  # fmt: skip
        self.seen[claim_number] = number
        signature = (nik.nik, program, event.isoformat(), paid.isoformat(), amount, kpj, regency)
        if recorded is not None:
            if recorded.origin != "import":
                raise InvalidField(_("is a claim taken in here, not a historical one"), field="claim_number")
            if recorded.signature != signature:
                raise InvalidField(_("is already recorded with other values; a recorded claim is not changed by "
                                     "an import"), field="claim_number", code="changed")  # fmt: skip
            result.status = UNCHANGED
        else:
            result.status = ACCEPTED
            self.staged.append((number, claim_number, nik.nik, program, event, paid, amount, kpj, regency,
                                person[0] if person else None))  # fmt: skip
        if person is None:
            result.warn(_(NOT_REGISTERED) % {"regency": regency})

    def whole_file(self, path: Path, *, dry_run: bool, report_path: Path | None) -> ImportReport | None:
        from jamsostek.claims.bulk.whole_file import history

        return history(self, path, dry_run=dry_run, report_path=report_path)

    def pending(self) -> int:
        return len(self.staged)

    def take(self) -> list[tuple[Any, ...]]:
        batch, self.staged = self.staged, []
        return batch

    def write(self, batch: list[tuple[Any, ...]]) -> None:
        frame = pl.DataFrame(batch, schema=STAGED, orient="row")
        self.next_id += write_history(self.db, self.audit, frame, self.members, self.next_id, self.now)

    def after_write(self) -> None:
        catch_up_ids(self.db, "claims_claim")
