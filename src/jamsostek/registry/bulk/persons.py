"""Importing persons: upsert by NIK; possible duplicates (same name and birth date, another NIK)
are reported for review, never merged."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from jamsostek.accounts.nik_log import Disclosures
from jamsostek.core.bulk import values
from jamsostek.core.bulk.importer import Importer
from jamsostek.core.bulk.reading import Column
from jamsostek.core.bulk.report import ACCEPTED, UNCHANGED, UPDATED, ImportReport, RowResult
from jamsostek.core.bulk.writer import fetch, insert_rows, max_id, update_rows
from jamsostek.core.errors import InvalidField
from jamsostek.core.places import Place
from jamsostek.registry.bulk.access import check_change
from jamsostek.registry.services.validation import clean_person, district_codes

COLUMNS = (
    Column("nik", True, "16-digit NIK", "6104015708900001"),
    Column("name", True, "full name as on the KTP", "Siti Aminah", ("nama",)),
    Column("birth_date", True, "YYYY-MM-DD or DD-MM-YYYY", "1990-08-17", ("tanggal_lahir", "tgl_lahir")),
    Column("sex", True, "L (male) or P (female)", "P", ("jenis_kelamin", "jk")),
    Column("district_code", True, "Kemendagri district (kecamatan) code", "61.04.01", ("kode_kecamatan",)),
    Column("phone", False, "mobile number", "081234567890", ("telepon", "hp")),
    Column("kpj", False, "BPJS Ketenagakerjaan card number (11 digits)", "", ("no_kpj",)),
)
FIELDS = ("name", "birth_date", "sex", "region_id", "phone", "kpj")
TABLE_COLUMNS = ("nik", "name", "birth_date", "sex", "region_id", "regency_id", "phone", "kpj", "created_at",
                 "updated_at")  # fmt: skip
SEPARATOR = "\x1f"


def signature(name: str, birth: str, sex: str, region: str, phone: str, kpj: str | None) -> str:
    """The person's values in one string, to tell an unchanged row from a changed one."""
    return SEPARATOR.join((name, birth, sex, region, phone, kpj or ""))


class PersonImporter(Importer):
    kind = "persons"
    label = pgettext_lazy("import kind", "persons")
    columns = COLUMNS
    key_column = "nik"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # the NIKs of registered persons that this import's warnings show (accounts.nik_log)
        self.disclosures = Disclosures(self.actor, f"import:persons:{self.batch}", policy=self.policy)

    def finished(self) -> None:
        self.disclosures.save()

    def load_existing(self) -> None:
        self.districts = district_codes()
        self.today: date = timezone.localdate()
        self.existing: dict[str, tuple[int, str, str]] = {}  # NIK: id, signature, district
        self.by_name: dict[tuple[str, str], str] = {}
        self.kpj_owner: dict[str, str] = {}
        rows = fetch("SELECT id, nik, name, birth_date, sex, region_id, phone, kpj FROM registry_person ORDER BY id")
        for pk, nik, name, birth, sex, region, phone, kpj in rows:
            birth_text = str(birth)
            self.existing[nik] = (pk, signature(name, birth_text, sex, region, phone, kpj), region)
            if self.policy.may_see(Place(region=region)):  # a warning names only persons the user may see
                self.by_name.setdefault((name.lower(), birth_text), nik)
            if kpj:
                self.kpj_owner[kpj] = nik
        self.seen: dict[str, int] = {}
        self.creates: list[tuple[Any, ...]] = []
        self.updates: list[tuple[int, dict[str, Any], str]] = []

    def check(self, number: int, row: dict[str, str], result: RowResult) -> None:
        nik = values.text(row, "nik", required=True)
        birth = values.a_date(row, "birth_date", required=True)
        assert birth is not None
        cleaned = clean_person(
            nik=nik,
            name=values.text(row, "name", required=True),
            birth_date=birth,
            sex=values.text(row, "sex", required=True),
            region_code=values.text(row, "district_code", required=True),
            phone=values.text(row, "phone"),
            kpj=values.text(row, "kpj"),
            districts=self.districts,
            today=self.today,
        )
        nik = cleaned["nik"]
        result.key = nik
        if nik in self.seen:
            raise InvalidField(_("this NIK is also in row %(row)d") % {"row": self.seen[nik]}, field="nik")
        existing = self.existing.get(nik)
        check_change(
            self.policy,
            before=Place(region=existing[2]) if existing else None,
            after=Place(region=cleaned["region_id"]),
            key_field="nik",
            place_field="district_code",
        )
        kpj = cleaned["kpj"]
        if kpj:
            owner = self.kpj_owner.get(kpj)
            if owner is not None and owner != nik:
                raise InvalidField(_("this KPJ number belongs to another person"), field="kpj")
            self.kpj_owner[kpj] = nik
        self.seen[nik] = number
        birth_text = birth.isoformat()
        other = self.by_name.setdefault((cleaned["name"].lower(), birth_text), nik)
        if other != nik:
            registered = self.existing.get(other)
            shown = self.disclosures.nik(registered[0], other) if registered else self.policy.nik(other)
            result.warn(
                _("possible duplicate of NIK %(nik)s (same name and birth date): check before merging") % {"nik": shown}
            )
        new_signature = signature(
            cleaned["name"], birth_text, cleaned["sex"], cleaned["region_id"], cleaned["phone"], kpj
        )
        if existing is None:
            result.status = ACCEPTED
            self.creates.append(
                (nik, cleaned["name"], birth, cleaned["sex"], cleaned["region_id"], cleaned["regency_id"],
                 cleaned["phone"], kpj, self.now, self.now)
            )  # fmt: skip
        elif existing[1] == new_signature:
            result.status = UNCHANGED
        else:
            result.status = UPDATED
            self.updates.append((existing[0], cleaned, existing[1]))

    def whole_file(self, path: Path, *, dry_run: bool, report_path: Path | None) -> ImportReport | None:
        from jamsostek.registry.bulk.whole_file import persons

        return persons(self, path, dry_run=dry_run, report_path=report_path)

    def pending(self) -> int:
        return len(self.creates) + len(self.updates)

    def take(self) -> tuple[list[tuple[Any, ...]], list[tuple[int, dict[str, Any], str]]]:
        batch = (self.creates, self.updates)
        self.creates, self.updates = [], []
        return batch

    def write(self, batch: tuple[list[tuple[Any, ...]], list[tuple[int, dict[str, Any], str]]]) -> None:
        creates, updates = batch
        if creates:
            before = max_id("registry_person", self.db)
            insert_rows("registry_person", TABLE_COLUMNS, creates, self.db)
            created = {row[0]: row for row in creates}
            for pk, nik in fetch("SELECT id, nik FROM registry_person WHERE id > %s", [before], self.db):
                row = created.get(nik)
                if row is not None:
                    changes = {"nik": [None, nik], "name": [None, row[1]], "birth_date": [None, row[2].isoformat()],
                               "sex": [None, row[3]], "region": [None, row[4]], "phone": [None, row[6]],
                               "kpj": [None, row[7]]}  # fmt: skip
                    self.audit_row("create", "registry.person", pk, changes)
        if updates:
            rows = []
            for pk, cleaned, old_signature in updates:
                old = dict(zip(FIELDS, old_signature.split(SEPARATOR), strict=True))
                new = {
                    "name": cleaned["name"], "birth_date": cleaned["birth_date"].isoformat(), "sex": cleaned["sex"],
                    "region_id": cleaned["region_id"], "phone": cleaned["phone"], "kpj": cleaned["kpj"] or "",
                }  # fmt: skip
                changes = {f.removesuffix("_id"): [old[f], new[f]] for f in FIELDS if old[f] != new[f]}
                self.audit_row("update", "registry.person", pk, changes)
                rows.append((pk, cleaned["name"], cleaned["birth_date"], cleaned["sex"], cleaned["region_id"],
                             cleaned["regency_id"], cleaned["phone"], cleaned["kpj"], self.now))  # fmt: skip
            update_rows(
                "registry_person", "id",
                ("name", "birth_date", "sex", "region_id", "regency_id", "phone", "kpj", "updated_at"), rows, self.db,
            )  # fmt: skip
        self.write_audit()
