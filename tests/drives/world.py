"""The drives' part of the persona matrix's world, set up through the real services: funded programs
in Ketapang (this year's and next year's) and Sambas, lists of names of Ketapang, Sambas and the
Ketapang agency, and a Ketapang drive at each step (awaiting approval, approved, enrolled) beside a
Sambas drive awaiting approval."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from jamsostek.drives import services
from jamsostek.drives.models import CandidateList, Drive
from tests.drives.conftest import funded_program, person, write_list

ON = date(2025, 1, 15)


LEVELS = ("employer", "regency", "province")


class DriveRecords:
    def __init__(self, world: Any) -> None:
        self.program, _funding = funded_program(code="KTP-P1", region="61.04", year=2025, prepare=LEVELS)
        self.next_program, _next = funded_program(code="KTP-2026", region="61.04", year=2026, prepare=LEVELS)
        self.sambas_program, _sambas = funded_program(code="SBS-P1", region="61.01", year=2025, prepare=LEVELS)
        with tempfile.TemporaryDirectory() as scratch:
            self.directory = Path(scratch)
            self.ketapang_list = self._list("ketapang", "61.04", "61.04.01", 1)
            self.free_list = self._list("free", "61.04", "61.04.02", 20)
            approved_list = self._list("approved", "61.04", "61.04.01", 40)
            enrolled_list = self._list("enrolled", "61.04", "61.04.02", 60)
            self.sambas_list = self._list("sambas", "61.01", "61.01.01", 80)
            self.agency_list = self._list("agency", "61.04", "61.04.03", 100, owner=world.agency)
        self.awaiting_drive = self._drive("KTP-D1", self.program, self.ketapang_list)
        self.approved_drive = self._drive("KTP-D2", self.program, approved_list)
        services.drive_approve(actor=None, drive=self.approved_drive, reason="setup")
        self.enrolled_drive = self._drive("KTP-D3", self.program, enrolled_list)
        services.drive_approve(actor=None, drive=self.enrolled_drive, reason="setup")
        services.drive_enrol(actor=None, drive=self.enrolled_drive, on=date(2025, 2, 1), reason="setup")
        self.sambas_drive = self._drive("SBS-D1", self.sambas_program, self.sambas_list)

    def _list(self, name: str, region: str, district: str, serial: int, owner: Any = None) -> CandidateList:
        rows = [person(district, date(1980 + i, 2 + i, 3 + i), "LP"[i % 2], serial + i) for i in range(2)]
        return services.candidate_list_import(
            actor=None, path=write_list(self.directory / f"{name}.csv", rows), name=f"Daftar {name}",
            source="village_list", source_date=date(2024, 12, 1), region_code=region, default_category="vulnerable",
            owner=owner, as_of=ON, reason="setup",
        )  # fmt: skip

    @staticmethod
    def _drive(code: str, program: Any, listed: CandidateList) -> Drive:
        return services.drive_prepare(actor=None, program=program, code=code, name=f"Drive {code}", lists=[listed],
                                      on=ON, reason="setup")  # fmt: skip


def list_file() -> Any:
    """A Ketapang list of names as a browser uploads it."""
    from io import BytesIO

    text = "nik,name,birth_date,sex\n6104014506000004,Dewi Lestari,2000-06-05,P\n"
    upload = BytesIO(text.encode("utf-8"))
    upload.name = "daftar.csv"
    return upload
