"""Importing employers: upsert by NPP."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from jamsostek.accounts.policy import Action
from jamsostek.core.bulk import values
from jamsostek.core.bulk.importer import Importer
from jamsostek.core.bulk.reading import Column
from jamsostek.core.bulk.report import ACCEPTED, UNCHANGED, UPDATED, RowResult
from jamsostek.core.bulk.writer import fetch, insert_rows, max_id, update_rows
from jamsostek.core.errors import InvalidField
from jamsostek.core.places import Place
from jamsostek.registry.bulk.access import check_change
from jamsostek.registry.services.employers import BILLING_FACTS, BILLING_FACTS_REFUSED, state_body_of
from jamsostek.registry.services.validation import clean_employer, region_codes

COLUMNS = (
    Column("npp", True, "BPJS Ketenagakerjaan employer registration number", "K0001234"),
    Column("name", True, "registered name", "PT Sawit Ketapang", ("nama",)),
    Column("kind", False, "company, agency, village or contractor", "company", ("jenis",)),
    Column("kbli", False, "KBLI business sector code", "01262"),
    Column("risk_class", True, "JKK risk class 1-5 as registered", "4", ("kelas_risiko",)),
    Column("size_class", True, "micro, small, medium or large", "large", ("skala_usaha",)),
    Column("region_code", True, "Kemendagri regency or district code", "61.04.01", ("kode_wilayah",)),
)
FIELDS = ("name", "kind", "kbli", "risk_class", "size_class", "region_id")


class EmployerImporter(Importer):
    kind = "employers"
    label = pgettext_lazy("import kind", "employers")
    columns = COLUMNS
    key_column = "npp"

    def load_existing(self) -> None:
        self.regions = region_codes()
        self.existing: dict[str, tuple[int, tuple[Any, ...]]] = {
            npp: (pk, (name, kind, kbli, risk, size, region))
            for pk, npp, name, kind, kbli, risk, size, region in fetch(
                "SELECT id, npp, name, kind, kbli, risk_class, size_class, region_id FROM registry_employer"
            )
        }
        self.seen: dict[str, int] = {}
        self.creates: list[tuple[Any, ...]] = []
        self.updates: list[tuple[int, dict[str, Any], tuple[Any, ...]]] = []

    def check(self, number: int, row: dict[str, str], result: RowResult) -> None:
        cleaned = clean_employer(
            npp=values.text(row, "npp", required=True),
            name=values.text(row, "name", required=True),
            kind=values.text(row, "kind") or "company",
            kbli=values.text(row, "kbli"),
            risk_class=values.text(row, "risk_class", required=True),
            size_class=values.text(row, "size_class", required=True),
            region_code=values.text(row, "region_code", required=True),
            regions=self.regions,
        )
        npp = cleaned["npp"]
        result.key = npp
        if npp in self.seen:
            raise InvalidField(_("this NPP is also in row %(row)d") % {"row": self.seen[npp]}, field="npp")
        self.seen[npp] = number
        existing = self.existing.get(npp)
        employer_id = existing[0] if existing else None
        check_change(
            self.policy,
            before=Place(region=existing[1][-1], employer=employer_id) if existing else None,
            after=Place(region=cleaned["region_id"], employer=employer_id),
            key_field="npp",
            place_field="region_code",
        )
        new = tuple(cleaned[field] for field in FIELDS)
        if existing is None:
            result.status = ACCEPTED
            self.creates.append((npp, *new, cleaned["regency_id"], state_body_of(cleaned["kind"], None), self.now,
                                 self.now))  # fmt: skip
        elif existing[1] == new:
            result.status = UNCHANGED
        else:
            facts = [field for field, old, value in zip(FIELDS, existing[1], new, strict=True)
                     if field in BILLING_FACTS and old != value]  # fmt: skip
            if facts and not self.policy.may(Action.CHANGE_BILLING_FACTS):
                raise InvalidField(BILLING_FACTS_REFUSED, field=facts[0], code="forbidden")
            result.status = UPDATED
            self.updates.append((existing[0], cleaned, existing[1]))

    def pending(self) -> int:
        return len(self.creates) + len(self.updates)

    def take(self) -> tuple[list[tuple[Any, ...]], list[tuple[int, dict[str, Any], tuple[Any, ...]]]]:
        batch = (self.creates, self.updates)
        self.creates, self.updates = [], []
        return batch

    def write(self, batch: tuple[list[tuple[Any, ...]], list[tuple[int, dict[str, Any], tuple[Any, ...]]]]) -> None:
        creates, updates = batch
        before = max_id("registry_employer", self.db)
        columns = ("npp", *FIELDS, "regency_id", "state_body", "created_at", "updated_at")
        insert_rows("registry_employer", columns, creates, self.db)
        created = {row[0] for row in creates}
        for pk, npp, *rest in fetch(
            "SELECT id, npp, name, kind, kbli, risk_class, size_class, region_id FROM registry_employer WHERE id > %s",
            [before],
            self.db,
        ):
            if npp in created:
                changes = {"npp": [None, npp]} | {
                    f.removesuffix("_id"): [None, v] for f, v in zip(FIELDS, rest, strict=True)
                }
                self.audit_row("create", "registry.employer", pk, changes)
        rows = []
        for pk, cleaned, old in updates:
            changes = {
                field.removesuffix("_id"): [before_value, cleaned[field]]
                for field, before_value in zip(FIELDS, old, strict=True)
                if before_value != cleaned[field]
            }
            self.audit_row("update", "registry.employer", pk, changes)
            rows.append((pk, *(cleaned[field] for field in FIELDS), cleaned["regency_id"], self.now))
        update_rows("registry_employer", "id", (*FIELDS, "regency_id", "updated_at"), rows, self.db)
        self.write_audit()
