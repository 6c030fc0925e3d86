"""Importing persons: upsert by NIK; possible duplicates (same name and birth date, another NIK)
are reported for review, never merged."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.accounts.access import nik_for
from jamsostek.core.errors import InvalidField
from jamsostek.registry.importing import values
from jamsostek.registry.importing.base import Importer
from jamsostek.registry.importing.reading import Column
from jamsostek.registry.importing.report import ACCEPTED, UNCHANGED, UPDATED, RowResult
from jamsostek.registry.importing.writer import fetch, insert_rows, max_id, update_rows
from jamsostek.registry.services import clean_person, district_codes

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
    return SEPARATOR.join((name, birth, sex, region, phone, kpj or ""))


class PersonImporter(Importer):
    kind = "persons"
    columns = COLUMNS
    key_column = "nik"

    def load_existing(self) -> None:
        self.districts = district_codes()
        self.today: date = timezone.localdate()
        self.existing: dict[str, tuple[int, str]] = {}
        self.by_name: dict[tuple[str, str], str] = {}
        self.kpj_owner: dict[str, str] = {}
        rows = fetch("SELECT id, nik, name, birth_date, sex, region_id, phone, kpj FROM registry_person")
        for pk, nik, name, birth, sex, region, phone, kpj in rows:
            birth_text = str(birth)
            self.existing[nik] = (pk, signature(name, birth_text, sex, region, phone, kpj))
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
        if not self.may_edit(cleaned["regency_id"]):
            raise InvalidField(_("the address is outside the regency you may change"), field="district_code")
        kpj = cleaned["kpj"]
        if kpj:
            owner = self.kpj_owner.get(kpj)
            if owner is not None and owner != nik:
                raise InvalidField(_("this KPJ number belongs to another person"), field="kpj")
            self.kpj_owner[kpj] = nik
        self.seen[nik] = number
        birth_text = birth.isoformat()
        new_signature = signature(
            cleaned["name"], birth_text, cleaned["sex"], cleaned["region_id"], cleaned["phone"], kpj
        )
        name_key = (cleaned["name"].lower(), birth_text)
        other = self.by_name.setdefault(name_key, nik)
        if other != nik:
            result.warnings.append(
                _("possible duplicate of NIK %(nik)s (same name and birth date): check before merging")
                % {"nik": nik_for(self.actor, other) if self.actor is not None else other}
            )
        existing = self.existing.get(nik)
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

    def apply(self) -> None:
        before = max_id("registry_person")
        insert_rows("registry_person", TABLE_COLUMNS, self.creates)
        created = {row[0] for row in self.creates}
        self.creates = []
        for pk, nik, name, birth, sex, region, phone, kpj in fetch(
            "SELECT id, nik, name, birth_date, sex, region_id, phone, kpj FROM registry_person WHERE id > %s",
            [before],
        ):
            if nik not in created:
                continue
            changes = {"nik": [None, nik], "name": [None, name], "birth_date": [None, str(birth)], "sex": [None, sex],
                       "region": [None, region], "phone": [None, phone], "kpj": [None, kpj]}  # fmt: skip
            self.audit_row("create", "registry.person", pk, changes)
            if len(self.audit) >= 50_000:
                self.write_audit()
        self.write_audit()
        rows = []
        for pk, cleaned, old_signature in self.updates:
            old = dict(zip(FIELDS, old_signature.split(SEPARATOR), strict=True))
            new = {
                "name": cleaned["name"], "birth_date": cleaned["birth_date"].isoformat(), "sex": cleaned["sex"],
                "region_id": cleaned["region_id"], "phone": cleaned["phone"], "kpj": cleaned["kpj"] or "",
            }  # fmt: skip
            changes = {
                field.removesuffix("_id"): [old[field], new[field]] for field in FIELDS if old[field] != new[field]
            }
            self.audit_row("update", "registry.person", pk, changes)
            rows.append((pk, cleaned["name"], cleaned["birth_date"], cleaned["sex"], cleaned["region_id"],
                         cleaned["regency_id"], cleaned["phone"], cleaned["kpj"], self.now))  # fmt: skip
        update_rows(
            "registry_person", "id",
            ("name", "birth_date", "sex", "region_id", "regency_id", "phone", "kpj", "updated_at"), rows,
        )  # fmt: skip
        self.write_audit()
