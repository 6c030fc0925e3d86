"""The documents each claim needs, by program and event: BPJS Ketenagakerjaan's published
checklists (``../shared/reference/practice.md`` §4.1, with their sources there). This is practice,
not law: the rules package decides what is paid, this list what an officer asks for.

Sources, as summarised in practice.md: JHT, Permenaker 4/2022 and BPJS TK's JMO/Lapak Asik
guidance; JKM, BPJS TK's list (death certificate, heirship letter confirmed by the village head or
lurah and the camat, KTP and KK of the heirs); JKK, forms 3/KK1 (within 2x24 hours), 3a/KK2 and
3b/KK3 with witnesses, a police report for road accidents and receipts for costs; JP, form 7 and
the documents of a disability or a death; JKP, proof of the termination and the job-search
commitment (KAPK) on SIAPKerja.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jamsostek.claims.models import Cause, Program

DOCUMENTS: dict[str, Promise] = {
    "kpj_card": _("KPJ card (or the digital card)"),
    "ktp": _("KTP of the participant"),
    "kk": _("family card (KK)"),
    "savings_book": _("savings book (the account to pay into)"),
    "employment_end_letter": _("letter of resignation, termination (PHK) or end of contract"),
    "npwp": _("NPWP (tax number), for a balance over Rp50 million"),
    "death_certificate": _("death certificate (Dukcapil) or death letter"),
    "heirship_letter": _("heirship letter, confirmed by the village head or lurah and the camat"),
    "heirs_ktp": _("KTP of the heirs"),
    "marriage_book": _("marriage book (for a widow or widower)"),
    "accident_report": _("accident report, stage I (form 3 / KK1), within 2x24 hours"),
    "recovery_report": _("report of recovery, disability or death, stage II (form 3a / KK2)"),
    "doctor_statement": _("doctor's statement (form 3b / KK3)"),
    "witness_statements": _("account of the accident with two witnesses and their KTP"),
    "attendance": _("attendance list of the month"),
    "police_report": _("police report or Jasa Raharja letter (road accident)"),
    "receipts": _("receipts and itemised costs of care"),
    "form_7": _("JP claim form (form 7)"),
    "employer_statement": _("employer's statement"),
    "termination_proof": _("proof of the termination (PHK) reported by the employer"),
    "job_search_commitment": _("signed commitment to look for work (KAPK), SIAPKerja"),
    "school_certificate": _("certificate of enrolment at school (this school year)"),
    "birth_certificate": _("birth certificate of the child"),
}


def checklist(program: str, event_kind: str, cause: str) -> list[tuple[str, bool]]:
    """(document, required) for a claim of ``program`` after ``event_kind`` with ``cause``, in the
    order an officer asks for them."""
    death = event_kind == "death"
    heirs = [("death_certificate", True), ("heirship_letter", True), ("heirs_ktp", True), ("marriage_book", False)]
    if program == Program.JKM:
        return [("kpj_card", True), ("ktp", True), ("kk", True), *heirs, ("savings_book", True)]
    if program == Program.JKK:
        items = [
            ("kpj_card", True), ("ktp", True), ("accident_report", True), ("witness_statements", True),
            ("attendance", True), ("doctor_statement", True),
        ]  # fmt: skip
        if cause == Cause.ROAD_ACCIDENT:
            items.append(("police_report", True))
        if event_kind in ("death", "total_disability", "partial_disability"):
            items.append(("recovery_report", True))
        if event_kind == "costs":
            items.append(("receipts", True))
        return items + (heirs if death else []) + [("savings_book", True)]
    if program == Program.JHT:
        items = [("kpj_card", True), ("ktp", True), ("kk", True)]
        if event_kind in ("resignation", "termination", "contract_end"):
            items.append(("employment_end_letter", True))
        if event_kind == "total_disability":
            items.append(("doctor_statement", True))
        return items + (heirs if death else []) + [("savings_book", True), ("npwp", False)]
    if program == Program.JP:
        items = [("form_7", True), ("kpj_card", True), ("ktp", True), ("kk", True)]
        return items + (heirs if death else []) + [("savings_book", True)]
    if program == Program.JKP:
        return [("ktp", True), ("termination_proof", True), ("job_search_commitment", True), ("savings_book", True)]
    # scholarship: the event that gives it, the children, the school
    event = [("death_certificate", True), ("heirship_letter", True)] if death else [("doctor_statement", True)]
    return [("kpj_card", True), *event, ("kk", True), ("birth_certificate", True), ("school_certificate", True),
            ("savings_book", True)]  # fmt: skip


def label(kind: str) -> str:
    """The document's name in the active language."""
    return str(DOCUMENTS.get(kind, kind))
