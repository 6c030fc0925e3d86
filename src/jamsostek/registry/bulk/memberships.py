"""Importing memberships: upsert by person, segment, who enrolled them and start date.

A re-imported row that changes the end date, the programs or the wage at a date updates the
membership (with an event and an audit record); the history stays: a new wage date adds a row."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from jamsostek.core.bulk import values
from jamsostek.core.bulk.importer import Importer
from jamsostek.core.bulk.reading import Column
from jamsostek.core.bulk.report import ACCEPTED, UNCHANGED, UPDATED, ImportReport, RowResult
from jamsostek.core.bulk.writer import execute_many, fetch, insert_rows, max_id, update_rows
from jamsostek.core.errors import InvalidField
from jamsostek.core.places import Place
from jamsostek.registry.bulk.access import check_change
from jamsostek.registry.hooks import membership_changed
from jamsostek.registry.models import Membership, Segment
from jamsostek.registry.services.validation import EmployerFacts, ProjectFacts, SponsorFacts, membership_defaults
from jamsostek.rules.model import MAX_RUPIAH

COLUMNS = (
    Column("nik", True, "the person's NIK (import persons first)", "6104015708900001"),
    Column("segment", True, "pu, bpu, jakon or pmi", "pu", ("segmen",)),
    Column("start_date", True, "membership start, YYYY-MM-DD or DD-MM-YYYY", "2024-01-01", ("tanggal_mulai",)),
    Column("end_date", False, "membership end, empty while running", "", ("tanggal_selesai",)),
    Column("npp", False, "employer NPP (PU)", "K0001234"),
    Column("sponsor_code", False, "sponsor program code (budget-funded BPU)", "", ("kode_program",)),
    Column("project_code", False, "construction project code (Jakon)", "", ("kode_proyek",)),
    Column("wage", False, "monthly wage (PU, Jakon) or declared income (BPU)", "4000000", ("upah", "penghasilan")),
    Column("fixed_allowances", False, "fixed allowances (PU)", "0", ("tunjangan_tetap",)),
    Column("wage_valid_from", False, "date the wage applies from (default: start date)", "", ("upah_berlaku",)),
    Column("jht", False, "ya/tidak: JHT (optional for BPU and PMI)", ""),
    Column("jp", False, "ya/tidak: JP (PU; required for medium and large employers)", ""),
    Column("jkp", False, "ya/tidak: JKP (PU)", ""),
    Column("contract_months", False, "PMI contract length in months", "", ("lama_kontrak",)),
    Column("pre_departure", False, "ya/tidak: PMI placed by an agency", "", ("pra_penempatan",)),
)
TABLE_COLUMNS = (
    "person_id", "segment", "employer_id", "project_id", "sponsor_id", "payer", "regency_id", "jkk", "jkm", "jht",
    "jp", "jkp", "start_date", "end_date", "contract_months", "pre_departure", "natural_key", "created_at",
    "updated_at",
)  # fmt: skip
FLAGS = ("jkk", "jkm", "jht", "jp", "jkp")
NO_EMPLOYER = gettext_lazy("no employer with this NPP is registered")
NO_SPONSOR = gettext_lazy("no sponsor program with this code")
NO_PROJECT = gettext_lazy("no construction project with this code")
WAGED = frozenset((Segment.PU, Segment.JAKON, Segment.BPU))


class Plan(NamedTuple):
    """One membership to write (a compact record: a million of them may wait for a flush)."""

    key: str
    row: tuple[Any, ...]  # the membership row, in TABLE_COLUMNS order (without timestamps)
    wage: int | None
    allowances: int
    wage_from: date


class Existing(NamedTuple):
    id: int
    end: date | None
    flags: tuple[bool, ...]
    months: int | None
    pre_departure: bool
    regency: str
    employer: int | None


def _overlaps(start: date, end: date | None, other_start: date, other_end: date | None) -> bool:
    return (end is None or other_start <= end) and (other_end is None or start <= other_end)


def _day(value: Any) -> date:
    """A date from the database (SQLite returns text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


class MembershipImporter(Importer):
    kind = "memberships"
    label = pgettext_lazy("import kind", "memberships")
    columns = COLUMNS
    key_column = "nik"

    def load_existing(self) -> None:
        self.persons = {
            nik: (pk, regency) for pk, nik, regency in fetch("SELECT id, nik, regency_id FROM registry_person")
        }
        # Only what the importing user may see is found: another regency's employer, sponsor program
        # or project answers "not found", as the API's lookups do.
        sees = self.policy.may_see
        self.employers = {
            npp: EmployerFacts(pk, regency, size in ("medium", "large"))
            for pk, npp, regency, size in fetch("SELECT id, npp, regency_id, size_class FROM registry_employer")
            if sees(Place(region=regency, employer=pk))
        }
        self.sponsors = {
            code: SponsorFacts(pk, bool(with_jht), income, _day(start), _day(end), quota)
            for pk, code, with_jht, income, start, end, quota, region in fetch(
                "SELECT id, code, with_jht, income_nominal, start_date, end_date, quota, region_id "
                "FROM registry_sponsorprogram"
            )
            if sees(Place(region=region))
        }
        self.projects = {
            code: ProjectFacts(pk, employer, region[:5])
            for pk, code, employer, region in fetch("SELECT id, code, employer_id, region_id FROM registry_project")
            if sees(Place(region=region, employer=employer))
        }
        self.sponsor_count: Counter[int] = Counter(
            dict(
                fetch(
                    "SELECT sponsor_id, COUNT(*) FROM registry_membership "
                    "WHERE sponsor_id IS NOT NULL GROUP BY sponsor_id"
                )
            )
        )
        self.existing: dict[str, Existing] = {}
        self.intervals: dict[str, list[tuple[date, date | None]]] = defaultdict(list)
        for pk, key, start, end, jkk, jkm, jht, jp, jkp, months, pre, regency, employer in fetch(
            "SELECT id, natural_key, start_date, end_date, jkk, jkm, jht, jp, jkp, contract_months, pre_departure, "
            "regency_id, employer_id FROM registry_membership"
        ):
            end_day = _day(end) if end is not None else None
            flags = (bool(jkk), bool(jkm), bool(jht), bool(jp), bool(jkp))
            self.existing[key] = Existing(pk, end_day, flags, months, bool(pre), regency, employer)
            self.intervals[key.rsplit(":", 1)[0]].append((_day(start), end_day))
        self.wages: dict[tuple[int, date], tuple[int, int]] = {
            (membership, _day(valid_from)): (amount, allowances)
            for membership, valid_from, amount, allowances in fetch(
                "SELECT membership_id, valid_from, amount, fixed_allowances FROM registry_wagereport"
            )
        }
        self.seen: dict[str, int] = {}
        self.creates: list[Plan] = []
        self.updates: list[tuple[Plan, Existing]] = []
        self.changed: list[tuple[int, date]] = []  # (membership, from when) for adjustment notes

    def check(self, number: int, row: dict[str, str], result: RowResult) -> None:
        nik = values.text(row, "nik", required=True)
        person = self.persons.get(nik)
        if person is None:
            raise InvalidField(_("no person with this NIK is registered: import the persons first"), field="nik")
        segment = values.text(row, "segment", required=True).lower()
        employer = self._lookup(self.employers, row, "npp", NO_EMPLOYER)
        sponsor = self._lookup(self.sponsors, row, "sponsor_code", NO_SPONSOR)
        project = self._lookup(self.projects, row, "project_code", NO_PROJECT)
        start = values.a_date(row, "start_date", required=True)
        assert start is not None
        end = values.a_date(row, "end_date")
        if end is not None and end < start:
            raise InvalidField(_("is before the start date"), field="end_date")
        contract_months = values.an_int(row, "contract_months")
        defaults = membership_defaults(
            segment=segment,
            person_regency_id=person[1],
            employer=employer,
            sponsor=sponsor,
            project=project,
            jht=values.a_bool(row, "jht"),
            jp=values.a_bool(row, "jp"),
            jkp=values.a_bool(row, "jkp"),
            contract_months=contract_months,
        )
        employer_id = defaults["employer_id"]
        after = Place(region=defaults["regency_id"], employer=employer_id)
        check_change(
            self.policy, before=None, after=after, key_field="nik", place_field="npp" if employer_id else "nik"
        )
        if sponsor is not None and not sponsor.start_date <= start <= sponsor.end_date:
            raise InvalidField(_("is outside the sponsor program's period"), field="start_date")
        wage = values.an_int(row, "wage")
        if wage is None and sponsor is not None:
            wage = sponsor.income_nominal
        if wage is None and segment in WAGED:
            raise InvalidField(_("is required for this segment"), field="wage", code="required")
        if wage is not None and wage > MAX_RUPIAH:
            raise InvalidField(_("is implausibly large"), field="wage")
        allowances = values.an_int(row, "fixed_allowances") or 0
        wage_from = values.a_date(row, "wage_valid_from") or start
        if wage_from < start:
            raise InvalidField(_("is before the start date"), field="wage_valid_from")
        sponsor_id = sponsor.id if sponsor else None
        project_id = project.id if project else None
        key = Membership.make_key(person[0], segment, employer_id, sponsor_id, project_id, start)
        if key in self.seen:
            raise InvalidField(_("the same membership is also in row %(row)d") % {"row": self.seen[key]}, field="nik")
        group = self.intervals[key.rsplit(":", 1)[0]]
        for other_start, other_end in group:
            if other_start != start and _overlaps(start, end, other_start, other_end):
                raise InvalidField(
                    _("overlaps the membership that starts on %(date)s; end it first") % {"date": other_start},
                    field="start_date",
                )
        flags = (defaults["jkk"], defaults["jkm"], defaults["jht"], defaults["jp"], defaults["jkp"])
        pre_departure = bool(values.a_bool(row, "pre_departure"))
        plan = Plan(
            key,
            (person[0], segment, employer_id, project_id, sponsor_id, defaults["payer"], defaults["regency_id"],
             *flags, start, end, contract_months, pre_departure),
            wage,
            allowances,
            wage_from,
        )  # fmt: skip
        existing = self.existing.get(key)
        if existing is not None:
            before = Place(region=existing.regency, employer=existing.employer)
            check_change(self.policy, before=before, after=before, key_field="nik", place_field="nik")
        if existing is None:
            if sponsor is not None:
                self.sponsor_count[sponsor.id] += 1
                if self.sponsor_count[sponsor.id] > sponsor.quota:
                    raise InvalidField(_("the sponsor program's quota is full"), field="sponsor_code")
            group.append((start, end))
            self.seen[key] = number
            result.status = ACCEPTED
            self.creates.append(plan)
            return
        self.seen[key] = number
        changed = (
            existing.end != end
            or existing.flags != flags
            or existing.months != contract_months
            or existing.pre_departure != pre_departure
        )
        wage_changed = wage is not None and self.wages.get((existing.id, wage_from)) != (wage, allowances)
        if changed or wage_changed:
            result.status = UPDATED
            self.updates.append((plan, existing))
            since = min(d for d in (start if changed else None, wage_from if wage_changed else None,
                                    existing.end, end) if d is not None)  # fmt: skip
            self.changed.append((existing.id, since))
        else:
            result.status = UNCHANGED

    def after_write(self) -> None:
        """Changes that may reach billed months go to the registry's hook (adjustment notes: bills stay
        as issued)."""
        if not self.changed:
            return
        memberships = Membership.objects.in_bulk([membership_id for membership_id, _ in self.changed])
        for membership_id, since in self.changed:
            membership_changed(actor=self.actor, membership=memberships[membership_id], since=since, reason=self.reason)

    def whole_file(self, path: Path, *, dry_run: bool, report_path: Path | None) -> ImportReport | None:
        from jamsostek.registry.bulk.whole_file import memberships

        return memberships(self, path, dry_run=dry_run, report_path=report_path)

    def _lookup(self, table: dict[str, Any], row: dict[str, str], field: str, missing: Any) -> Any:
        code = values.text(row, field)
        if not code:
            return None
        found = table.get(code)
        if found is None:
            raise InvalidField(missing, field=field)
        return found

    def pending(self) -> int:
        return len(self.creates) + len(self.updates)

    def take(self) -> tuple[list[Plan], list[tuple[Plan, Existing]]]:
        batch = (self.creates, self.updates)
        self.creates, self.updates = [], []
        return batch

    def write(self, batch: tuple[list[Plan], list[tuple[Plan, Existing]]]) -> None:
        creates, updates = batch
        wages: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        db = self.db
        if creates:
            before = max_id("registry_membership", db)
            now = self.now
            insert_rows("registry_membership", TABLE_COLUMNS, ((*p.row, p.key, now, now) for p in creates), db)
            ids = dict(fetch("SELECT natural_key, id FROM registry_membership WHERE id > %s", [before], db))
            for plan in creates:
                pk = ids[plan.key]
                start, end = plan.row[12], plan.row[13]
                if plan.wage is not None:
                    wages.append((pk, plan.wage_from, plan.wage, plan.allowances))
                events.append((pk, "enrolled", start, self.reason, self.actor_label, now))
                changes = {"segment": [None, plan.row[1]], "start_date": [None, start.isoformat()],
                           "payer": [None, plan.row[5]], "wage": [None, plan.wage]}  # fmt: skip
                if end is not None:
                    events.append((pk, "ended", end, self.reason, self.actor_label, now))
                    changes["end_date"] = [None, end.isoformat()]
                self.audit_row("create", "registry.membership", pk, changes)
        if updates:
            self._updates(updates, wages, events)
        insert_rows("registry_wagereport", ("membership_id", "valid_from", "amount", "fixed_allowances"), wages, db)
        insert_rows(
            "registry_membershipevent", ("membership_id", "kind", "on", "reason", "actor_label", "recorded_at"), events,
            db,
        )  # fmt: skip
        self.write_audit()

    def _updates(
        self, updates: list[tuple[Plan, Existing]], wages: list[tuple[Any, ...]], events: list[tuple[Any, ...]]
    ) -> None:
        membership_rows: list[tuple[Any, ...]] = []
        wage_updates: list[tuple[Any, ...]] = []
        for plan, existing in updates:
            pk = existing.id
            flags, start, end = plan.row[7:12], plan.row[12], plan.row[13]
            months, pre_departure = plan.row[14], plan.row[15]
            changes: dict[str, Any] = {}
            if (existing.end, existing.flags, existing.months, existing.pre_departure) != (
                end, flags, months, pre_departure,
            ):  # fmt: skip
                membership_rows.append((pk, *flags, end, months, pre_departure, self.now))
                if existing.end != end:
                    changes["end_date"] = [_iso(existing.end), _iso(end)]
                    kind, on = ("ended", end) if end is not None else ("changed", start)
                else:
                    kind, on = "changed", start
                events.append((pk, kind, on, self.reason, self.actor_label, self.now))
                if existing.flags != flags:
                    changes["programs"] = [
                        [name for name, on_ in zip(FLAGS, existing.flags, strict=True) if on_],
                        [name for name, on_ in zip(FLAGS, flags, strict=True) if on_],
                    ]
            old_wage = self.wages.get((pk, plan.wage_from))
            if plan.wage is not None and old_wage != (plan.wage, plan.allowances):
                changes["wage"] = [old_wage[0] if old_wage else None, plan.wage]
                changes["wage_valid_from"] = [None, plan.wage_from.isoformat()]
                row = (pk, plan.wage_from, plan.wage, plan.allowances)
                (wage_updates if old_wage else wages).append(row)
                events.append((pk, "wage_reported", plan.wage_from, self.reason, self.actor_label, self.now))
            self.audit_row("update", "registry.membership", pk, changes)
        update_rows(
            "registry_membership", "id", (*FLAGS, "end_date", "contract_months", "pre_departure", "updated_at"),
            membership_rows, self.db,
        )  # fmt: skip
        execute_many(
            "UPDATE registry_wagereport SET amount = %s, fixed_allowances = %s "
            "WHERE membership_id = %s AND valid_from = %s",
            [(amount, allowances, pk, valid_from) for pk, valid_from, amount, allowances in wage_updates],
            self.db,
        )
