"""The claim statistics as an Excel workbook and a PDF report, from the same figures as the page
and the API (amounts stay integer rupiah in the workbook, so an analyst can compute with them)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jamsostek.claims.models import Program
from jamsostek.claims.selectors import SponsorYear, Statistics, YearFigure
from jamsostek.claims.selectors.statistics import UNKNOWN
from jamsostek.core.constants import PROVINCE, PROVINCE_NAME
from jamsostek.core.spreadsheet import safe_workbook
from jamsostek.registry.models import Payer, Region, Segment, SponsorProgram


def breakdown_names() -> dict[str, str]:
    return {"program": _("program"), "regency": _("regency or city"), "month": _("month paid"),
            "segment": _("segment"), "sponsor": _("payer or sponsor program")}  # fmt: skip


def region_name(code: str) -> str:
    if code == PROVINCE:
        return PROVINCE_NAME
    return Region.objects.filter(code=code).values_list("name", flat=True).first() or code


def labelled(figures: Statistics) -> list[tuple[str, str, int, int]]:
    """(key, label, cases, amount) of each row, the keys named in the active language."""
    names: dict[str, str] = {UNKNOWN: _("unknown (no membership in the registry)")}
    keys = [row.key for row in figures.rows]
    if figures.by == "program":
        names.update({value: str(name) for value, name in Program.choices})
    elif figures.by == "regency":
        names.update(dict(Region.objects.filter(code__in=keys).values_list("code", "name")))
    elif figures.by == "segment":
        names.update({value: str(name) for value, name in Segment.choices})
    elif figures.by == "sponsor":
        names.update({value: str(name) for value, name in Payer.choices})
        names.update({code: f"{code} {name}" for code, name in
                      SponsorProgram.objects.filter(code__in=keys).values_list("code", "name")})  # fmt: skip
    return [(row.key, names.get(row.key, row.key), row.cases, row.amount) for row in figures.rows]


def _title(figures: Statistics) -> str:
    return _("Benefits paid in %(region)s, %(year)s, by %(by)s") % {
        "region": region_name(figures.region), "year": figures.year, "by": breakdown_names()[figures.by]}  # fmt: skip


# --- Excel ----------------------------------------------------------------------------------------


def workbook(figures: Statistics, history: list[YearFigure], sponsors: list[SponsorYear]) -> bytes:
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = _("Benefits paid")[:31]
    sheet.append([_title(figures)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("A case is a claim with a payment in the year; amounts in rupiah.")])
    sheet.append([])
    sheet.append([_("key"), breakdown_names()[figures.by], _("cases"), _("amount (Rp)")])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in labelled(figures):
        sheet.append(list(row))
    sheet.append([_("total"), "", figures.cases, figures.amount])
    years_sheet = book.create_sheet(_("Each year")[:31])
    years_sheet.append([_("year"), _("cases"), _("amount (Rp)")])
    for figure in history:
        years_sheet.append([figure.year, figure.cases, figure.amount])
    programs = book.create_sheet(_("Sponsor programs")[:31])
    programs.append([_("code"), _("name"), _("kind"), _("region"), _("year"), _("contributions paid (Rp)"),
                     _("benefits received (Rp)"), _("cases")])  # fmt: skip
    for item in sponsors:
        programs.append([item.code, item.name, item.kind, item.region, item.year, item.contributions_paid,
                         item.benefits, item.cases])  # fmt: skip
    for each in book.worksheets:
        for column in each.iter_cols(min_row=2):
            for cell in column:
                if isinstance(cell.value, int) and cell.column > 2:
                    cell.number_format = "#,##0"
    buffer = BytesIO()
    safe_workbook(book).save(buffer)
    return buffer.getvalue()


# --- PDF --------------------------------------------------------------------------------------------


def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"), ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey), ("ALIGN", (-2, 1), (-1, -1), "RIGHT"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f3f6f8")]),
    ]))  # fmt: skip
    return table


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def pdf(figures: Statistics, history: list[YearFigure], sponsors: list[SponsorYear]) -> bytes:
    buffer = BytesIO()
    styles = getSampleStyleSheet()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, title=_title(figures))
    story: list[Any] = [Paragraph(_title(figures), styles["Title"]),
                        Paragraph(_("A case is a claim with a payment in the year; amounts in rupiah."),
                                  styles["Normal"]), Spacer(1, 4 * mm)]  # fmt: skip
    rows: list[list[Any]] = [[breakdown_names()[figures.by], _("cases"), _("amount (Rp)")]]
    rows += [[name, _number(cases), _number(amount)] for _key, name, cases, amount in labelled(figures)]
    rows.append([_("total"), _number(figures.cases), _number(figures.amount)])
    story += [_table(rows, [100 * mm, 30 * mm, 45 * mm]), Spacer(1, 6 * mm)]
    story.append(Paragraph(_("Each year"), styles["Heading2"]))
    years = [[_("year"), _("cases"), _("amount (Rp)")]] + [
        [str(item.year), _number(item.cases), _number(item.amount)] for item in history
    ]
    story += [_table(years, [100 * mm, 30 * mm, 45 * mm]), Spacer(1, 6 * mm)]
    if sponsors:
        story.append(Paragraph(_("Sponsor programs: contributions paid and benefits received"), styles["Heading2"]))
        table = [[_("program"), _("year"), _("contributions paid (Rp)"), _("benefits received (Rp)")]] + [
            [f"{item.code} {item.name}"[:48], str(item.year), _number(item.contributions_paid), _number(item.benefits)]
            for item in sponsors
        ]
        story.append(_table(table, [85 * mm, 15 * mm, 40 * mm, 40 * mm]))
    document.build(story)
    return buffer.getvalue()
