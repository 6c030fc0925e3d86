"""The Excel workbook and the PDF report of the dashboard, filled from the same dicts as the API.

The workbook keeps numbers as numbers (UCJ in percent with two decimals, rupiah as integers) so an
analyst can compute with them, and no text as a formula (``core.spreadsheet``: a source or a name
that starts with ``=`` is shown as text); the PDF has a province summary page, then one page per regency."""

from __future__ import annotations

from html import escape
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from reportlab.graphics.shapes import Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jamsostek.core.constants import PROVINCE
from jamsostek.core.spreadsheet import safe_workbook
from jamsostek.coverage import drawing, present
from jamsostek.coverage.indicators import PAYER_GROUPS, Indicators
from jamsostek.registry.models import Region
from jamsostek.rules.model import SEGMENTS
from jamsostek.rules.periods import Month


def _regencies(indicators: Indicators, scope: str) -> list[str]:
    codes = sorted(code for code, r in indicators.regions.items() if r.level == Region.Level.REGENCY)
    return codes if scope == PROVINCE else [scope]


def _yes_no(value: Any) -> str:
    return _("yes") if value else _("no")


def _is_estimate(item: dict[str, Any]) -> bool:
    return bool(item["denominator"] and item["denominator"]["is_estimate"])


def _denominator_text(item: dict[str, Any]) -> str:
    used = item["denominator"]
    if used is None:
        return _("no denominator")
    text = f"{used['label']}, {used['period']}: {used['value']:,}"
    return text + (" (" + _("estimate") + ")" if used["is_estimate"] else "")


def _projection_text(projection: dict[str, Any]) -> str:
    status = projection["status"]
    if status == "projected":
        return _("target reached in %(month)s at the current pace") % {"month": projection["month"]}
    if status == "reached":
        return _("target reached")
    if status == "not at the current pace":
        return _("not reached at the current pace")
    return _("not enough data for a projection")


# --- Excel ----------------------------------------------------------------------------------------


def workbook(indicators: Indicators, month: Month, scope: str) -> bytes:
    book = Workbook()
    report = present.region_report(indicators, scope, month)
    summary = book.worksheets[0]
    summary.title = _("Summary")[:31]
    bold = Font(bold=True)
    summary.append([_("Universal Coverage Jamsostek (UCJ)"), report["name"]])
    summary["A1"].font = Font(bold=True, size=14)
    closing = report["closing"] or {}
    rows: list[tuple[str, Any]] = [
        (_("Month"), str(month)),
        (_("Denominator"), indicators.label),
        (_("Workers (denominator)"), report["denominator"]["value"] if report["denominator"] else None),
        (_("Denominator month"), report["denominator"]["period"] if report["denominator"] else None),
        (_("Denominator is an estimate"), _yes_no(_is_estimate(report))),
        (_("Denominator source"), report["denominator"]["source"] if report["denominator"] else ""),
        (_("Protected participants"), report["participants"]),
        (_("UCJ (%)"), report["ucj"]),
        (_("Target (%)"), report["target"]["percent"] if report["target"] else None),
        (_("Target year"), report["target"]["year"] if report["target"] else None),
        (_("Gap (workers)"), report["gap"]),
        (_("Projection"), _projection_text(report["projection"])),
        (_("Cost of closing the gap, per year (Rp)"), closing.get("total")),
        (_("Cost per worker, per year (Rp)"), closing.get("per_worker")),
        (_("Payments known on"), str(indicators.computation.as_of) if indicators.computation else ""),
        (_("Formula"), report["definition"]["formula"]),
        (_("Formula status"), report["definition"]["note"]),
    ]  # fmt: skip
    for segment in SEGMENTS:
        rows.append((_("Participants: %s") % segment.upper(), report["segments"][segment]))
    for group in PAYER_GROUPS:
        rows.append((_("Participants paid by: %s") % present.payer_names()[group], report["payers"][group]))
    summary.append([])
    for label, value in rows:
        summary.append([label, float(value) if hasattr(value, "as_tuple") else value])
        summary.cell(summary.max_row, 1).font = bold
    _percent_cells(summary, (_("UCJ (%)"), _("Target (%)")))

    header = [
        *(_("Rank"), _("Code"), _("Name"), _("Protected participants"), _("Workers (denominator)"), _("Estimate")),
        *(_("UCJ (%)"), _("Target (%)"), _("Gap (workers)"), _("Cost of closing the gap, per year (Rp)")),
        *[s.upper() for s in SEGMENTS],
        *[_("paid by: %s") % present.payer_names()[g] for g in PAYER_GROUPS],
    ]
    if scope == PROVINCE:
        sheet = book.create_sheet(_("Regencies")[:31])
        sheet.append(header)
        for child in report["children"]:
            cost = indicators.closing_cost(indicators.figure(child["region"], month))
            sheet.append(_row(child, child.get("rank"), cost.total if cost else None))
        _finish(sheet)
    districts = book.create_sheet(_("Districts")[:31])
    districts.append([_("Regency"), *header[1:]])
    for regency in _regencies(indicators, scope):
        for district in indicators.districts(regency, month):
            item = present.figure(district)
            districts.append([indicators.regions[regency].name, *_row(item, None, None)[1:]])
    _finish(districts)
    trend = book.create_sheet(_("Trend")[:31])
    trend.append(
        [_("Code"), _("Name"), _("Month"), _("Protected participants"), _("Workers (denominator)"), _("UCJ (%)")]
    )
    for code in [scope, *(_regencies(indicators, scope) if scope == PROVINCE else [])]:
        for point in indicators.trend(code):
            trend.append([code, point.name, str(point.month), point.participants,
                          point.denominator.value if point.denominator else None,
                          float(point.ucj) if point.ucj is not None else None])  # fmt: skip
    _finish(trend)
    sources = book.create_sheet(_("Sources")[:31])
    sources.append([_("Code"), _("Definition"), _("Month"), _("Workers"), _("Estimate"), _("Method"), _("Source")])
    for code, used in sorted(indicators._denominators.items()):
        if code == scope or code.startswith(scope + ".") or scope == PROVINCE:
            for row in used:
                sources.append([code, indicators.label, row.period.strftime("%Y-%m"), row.value,
                                _yes_no(row.is_estimate), row.method, row.source])  # fmt: skip
    sources.append([])
    sources.append([_("Code"), _("Year"), _("Target (%)"), _("Source")])
    for code, targets in sorted(indicators._targets.items()):
        if code not in (PROVINCE, scope) and not code.startswith(scope + ".") and scope != PROVINCE:
            continue  # as the API: a regency officer sees the province's targets and their own
        for target in targets:
            sources.append([code, target.year, float(target.percent), target.source])
    _finish(sources)
    buffer = BytesIO()
    safe_workbook(book).save(buffer)
    return buffer.getvalue()


def _row(item: dict[str, Any], rank: int | None, cost: int | None) -> list[Any]:
    return [
        rank,
        item["region"],
        item["name"],
        item["participants"],
        item["denominator"]["value"] if item["denominator"] else None,
        (_("yes") if item["denominator"]["is_estimate"] else _("no")) if item["denominator"] else None,
        float(item["ucj"]) if item["ucj"] is not None else None,
        float(item["target"]["percent"]) if item["target"] else None,
        item["gap"],
        cost,
        *[item["segments"][s] for s in SEGMENTS],
        *[item["payers"][g] for g in PAYER_GROUPS],
    ]


def _percent_cells(sheet: Any, labels: tuple[str, ...]) -> None:
    for row in sheet.iter_rows(min_row=1, max_col=2):
        if row[0].value in labels:
            row[1].number_format = "0.00"


def _finish(sheet: Any) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.iter_cols(max_row=min(sheet.max_row, 200)), start=1):
        width = max((len(str(cell.value)) for cell in column if cell.value is not None), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 48)
        for cell in column[1:]:
            if isinstance(cell.value, int):
                cell.number_format = "#,##0"
            elif isinstance(cell.value, float):
                cell.number_format = "0.00"


# --- PDF --------------------------------------------------------------------------------------------


def _number(value: Any) -> str:
    return "—" if value is None else f"{value:,}"


def _percent(value: Any) -> str:
    return "—" if value is None else f"{value}%"


def _headline(item: dict[str, Any]) -> list[list[str]]:
    closing = item.get("closing") or {}
    target = item["target"]
    return [
        [_("Protected participants"), _number(item["participants"])],
        [_("Denominator"), _denominator_text(item)],
        [_("UCJ"), _percent(item["ucj"])],
        [_("Target"), "—" if target is None else f"{target['percent']}% ({target['year']})"],
        [_("Gap (workers)"), _number(item["gap"])],
        [_("Projection"), _projection_text(item["projection"])],
        [_("Cost of closing the gap, per year"), "—" if not closing else f"Rp{closing['total']:,}"],
    ]


def _map_drawing(parent: str, report: dict[str, Any], width: float) -> Drawing:
    projection, shapes = drawing.project(
        Region.objects.filter(parent_id=parent).order_by("code").values_list("code", "name", "boundary"), width=width
    )
    children = {child["region"]: child for child in report["children"]}
    canvas = Drawing(width, projection.height)
    for shape in shapes:
        child = children.get(shape.code)
        fill = colors.HexColor(drawing.colour(child["to_target"] if child else None))
        for ring in shape.rings:
            points = [value for x, y in ring for value in (x, projection.height - y)]
            canvas.add(Polygon(points, fillColor=fill, strokeColor=colors.white, strokeWidth=0.4))
    return canvas


def _trend_drawing(indicators: Indicators, code: str, width: float, height: float = 90) -> Drawing:
    points = [(str(f.month), f.ucj) for f in indicators.trend(code)]
    canvas = Drawing(width, height)
    values = [float(v) for _m, v in points if v is not None]
    target = indicators.target(code, indicators.months[-1]) if indicators.months else None
    top = max([*values, float(target.percent) if target else 0.0, 1.0]) * 1.1
    left, bottom = 30, 18

    def xy(i: int, v: float) -> tuple[float, float]:
        return (left + (width - left - 6) * i / max(len(points) - 1, 1), bottom + (height - bottom - 6) * v / top)

    canvas.add(Line(left, bottom, width - 6, bottom, strokeColor=colors.grey))
    canvas.add(String(2, height - 12, f"{top:.0f}%", fontSize=7))
    canvas.add(String(2, bottom, "0%", fontSize=7))
    if target is not None:
        y = xy(0, float(target.percent))[1]
        canvas.add(Line(left, y, width - 6, y, strokeColor=colors.HexColor("#b35806"), strokeDashArray=[4, 3]))
    line = [value for i, (_m, v) in enumerate(points) if v is not None for value in xy(i, float(v))]
    if len(line) >= 4:
        canvas.add(PolyLine(line, strokeColor=colors.HexColor("#0868ac"), strokeWidth=1.5))
    for i, (month, _v) in enumerate(points):
        if i in (0, len(points) - 1):
            canvas.add(String(xy(i, 0)[0] - 12, 4, month, fontSize=7))
    return canvas


def _cell(text: str) -> Paragraph:
    """A table cell that wraps (plain strings in reportlab tables do not)."""
    style = getSampleStyleSheet()["BodyText"]
    style.fontSize = 8
    style.leading = 10
    return Paragraph(escape(str(text)), style)


def _side_by_side(left: Any, right: Any, widths: list[float]) -> Table:
    table = Table([[left, right]], colWidths=widths)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _legend(width: float) -> Drawing:
    """The map's classes, three to a row."""
    entries = drawing.legend()
    canvas = Drawing(width, 12 * ((len(entries) + 2) // 3))
    for index, (fill, label) in enumerate(entries):
        x = (index % 3) * width / 3
        y = canvas.height - 12 * (index // 3 + 1) + 2
        swatch = Rect(x, y, 8, 8)
        swatch.fillColor, swatch.strokeColor, swatch.strokeWidth = colors.HexColor(fill), colors.grey, 0.3
        canvas.add(swatch)
        canvas.add(String(x + 11, y + 1, label, fontSize=7))
    return canvas


def _table(rows: list[list[Any]], widths: list[float], header: bool = True, numbers_from: int | None = None) -> Table:
    """A table; the columns from ``numbers_from`` on hold numbers and are right-aligned."""
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style: list[Any] = [
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        # 8-point text on 10-point lines (the default leading is 12): 14-point rows keep the province
        # page (map and 14 regencies) and a regency of 23 districts on one A4 page each
        ("LEADING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#d9dee3")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    if header:
        style += [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f5")),
            ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ]
    else:
        style += [("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold")]
    if numbers_from is not None:
        style += [("ALIGN", (numbers_from, 0), (-1, -1), "RIGHT")]
    table.setStyle(TableStyle(style))
    return table


def pdf(indicators: Indicators, month: Month, scope: str) -> bytes:
    buffer = BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                                 bottomMargin=15 * mm, title=f"UCJ {month}", author="Jamsostek")  # fmt: skip
    styles = getSampleStyleSheet()
    width = A4[0] - 30 * mm
    story: list[Any] = []
    computation = indicators.computation
    note = _("Denominator: %(label)s. Payments known on %(day)s. %(definition)s.") % {
        "definition": present.definition()["note"],
        "label": indicators.label,
        "day": computation.as_of if computation else "—",
    }
    if scope == PROVINCE:
        report = present.region_report(indicators, PROVINCE, month)
        story += [
            Paragraph(_("Universal Coverage Jamsostek: %(name)s, %(month)s") % {"name": report["name"], "month": month},
                      styles["Title"]),
            Paragraph(note, styles["Normal"]),
            Spacer(1, 4 * mm),
            _side_by_side(
                _table([[_cell(a), _cell(b)] for a, b in _headline(report)], [38 * mm, 62 * mm], header=False),
                _map_drawing(PROVINCE, report, width - 104 * mm),
                [102 * mm, width - 102 * mm],
            ),
            _legend(width),
            Spacer(1, 3 * mm),
            _table(
                [[_("Rank"), _("Regency"), _("Participants"), _("UCJ"), _("Target"), _("Gap")]]
                + [[str(c["rank"] or "—"), c["name"] + (" *" if _is_estimate(c) else ""),
                    _number(c["participants"]), _percent(c["ucj"]),
                    _percent(c["target"]["percent"] if c["target"] else None), _number(c["gap"])]
                   for c in report["children"]],
                [14 * mm, 52 * mm, 28 * mm, 22 * mm, 22 * mm, 28 * mm],
                numbers_from=2,
            ),
            Paragraph("* " + _("estimate: the province's figure spread over the regencies"), styles["Italic"]),
        ]  # fmt: skip
    for regency in _regencies(indicators, scope):
        report = present.region_report(indicators, regency, month)
        if story:
            story.append(PageBreak())
        story += [
            Paragraph(f"{report['name']} · UCJ {month}", styles["Heading1"]),
            Paragraph(note, styles["Normal"]),
            Spacer(1, 3 * mm),
            _table([[_cell(a), _cell(b)] for a, b in _headline(report)], [60 * mm, width - 60 * mm], header=False),
            Spacer(1, 3 * mm),
            Paragraph(_("UCJ month by month"), styles["Heading3"]),
            _trend_drawing(indicators, regency, width),
            Spacer(1, 3 * mm),
            _table(
                [[_("District"), _("Participants"), "PU", "BPU", "Jakon", "PMI", _("UCJ")]]
                + [[c["name"], _number(c["participants"]), *[_number(c["segments"][s]) for s in SEGMENTS],
                    _percent(c["ucj"])]
                   for c in report["children"]],
                [52 * mm, 26 * mm, 20 * mm, 20 * mm, 20 * mm, 20 * mm, 22 * mm],
                numbers_from=1,
            ),
        ]  # fmt: skip
    document.build(story)
    return buffer.getvalue()
