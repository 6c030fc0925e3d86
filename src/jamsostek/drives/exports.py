"""The plan as an Excel workbook and a PDF report, filled from the same dict as the page and the API
(``present.target_plan``): rupiah as integers, UCJ in percent with two decimals."""

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

from jamsostek.core.spreadsheet import safe_workbook


def method_text() -> str:
    return _(
        "Method: each funding source uses its cheapest package that protects in the target month (a dearer one "
        "never buys more protection in that month); the workers each source may pay for, the regencies' needs "
        "and their unprotected workers make a min-cost flow, solved exactly by successive shortest paths. "
        "Protection already counted is assumed to hold until the target month. Costs are exact, from the rules."
    )


def _rows(answer: dict[str, Any]) -> dict[str, list[list[Any]]]:
    summary = [
        [_("Fiscal year"), answer["year"]],
        [_("Target month"), answer["month"]],
        [_("Target"), _("each regency's own") if answer["mode"] == "regencies" else _("the province's")],
        [_("Target percent asked"), float(answer["percent"]) if answer["percent"] is not None else "-"],
        [_("Coverage month used"), answer["coverage_month"] or "-"],
        [_("Workers needed"), answer["needed"]],
        [_("Workers in the plan"), answer["workers"]],
        [_("Cost (Rp)"), answer["cost"]],
        [_("Target reached"), _("yes") if answer["reached"] else _("no")],
        [_("Short by (workers)"), answer["shortfall"]],
    ]
    budget = [
        [item["region"], item["name"], item["source_name"], item["workers"], item["cost"]] for item in answer["budget"]
    ]
    packages = [[item["key"], item["name"], item["cost_per_worker"]] for item in answer["packages"]]
    months = [
        [item["month"], item["participants"], float(item["ucj"]) if item["ucj"] is not None else None]
        for item in answer["months"]
    ]
    return {"summary": summary, "budget": budget, "packages": packages, "months": months}


def plan_workbook(answer: dict[str, Any]) -> bytes:
    rows = _rows(answer)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Plan")[:31]
    for row in rows["summary"]:
        sheet.append(row)
    sheet.append([])
    sheet.append([method_text()])
    tables = (
        (_("Budget"), [_("Region"), _("Name"), _("Source"), _("Workers"), _("Cost (Rp)")], rows["budget"]),
        (_("Packages"), [_("Package"), _("Programs and months"), _("Cost per worker (Rp)")], rows["packages"]),
        (_("Months"), [_("Month"), _("Participants with the plan"), _("UCJ (%)")], rows["months"]),
    )
    for title, header, body in tables:
        table = workbook.create_sheet(title[:31])
        table.append(header)
        for cell in table[1]:
            cell.font = Font(bold=True)
        for row in body:
            table.append(row)
    buffer = BytesIO()
    safe_workbook(workbook).save(buffer)
    return buffer.getvalue()


def plan_pdf(answer: dict[str, Any]) -> bytes:
    rows = _rows(answer)
    styles = getSampleStyleSheet()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, title=_("Enrolment drives: the plan")
    )
    story: list[Any] = [Paragraph(_("Enrolment drives: the cheapest plan to the target"), styles["Title"])]
    story.append(_table([[str(a), f"{b:,}" if isinstance(b, int) else str(b)] for a, b in rows["summary"]]))
    story += [Spacer(1, 4 * mm), Paragraph(method_text(), styles["BodyText"]), Spacer(1, 4 * mm)]
    story.append(Paragraph(_("Budget per regency and funding source"), styles["Heading2"]))
    story.append(
        _table(
            [
                [_("Region"), _("Name"), _("Source"), _("Workers"), _("Cost (Rp)")],
                *[[r, n, s, f"{w:,}", f"{c:,}"] for r, n, s, w, c in rows["budget"]],
            ],
            header=True,
        )
    )
    story.append(Paragraph(_("Packages"), styles["Heading2"]))
    story.append(
        _table(
            [
                [_("Package"), _("Programs and months"), _("Cost per worker (Rp)")],
                *[[k, n, f"{c:,}"] for k, n, c in rows["packages"]],
            ],
            header=True,
        )
    )
    story.append(Paragraph(_("UCJ month by month with the plan"), styles["Heading2"]))
    story.append(
        _table(
            [
                [_("Month"), _("Participants with the plan"), _("UCJ (%)")],
                *[[m, f"{p:,}", "-" if u is None else f"{u:.2f}"] for m, p, u in rows["months"]],
            ],
            header=True,
        )
    )
    document.build(story)
    return buffer.getvalue()


def _table(rows: list[list[Any]], header: bool = False) -> Table:
    table = Table(rows, hAlign="LEFT")
    style: list[Any] = [("FONTSIZE", (0, 0), (-1, -1), 8), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey))
    table.setStyle(TableStyle(style))
    return table
