"""Maps and charts drawn on the server, as SVG for the pages and as shapes for the PDF.

The map is the regencies (or a regency's districts) from their GeoJSON boundaries, in a plain
longitude/latitude projection (Kalimantan Barat straddles the equator, so the distortion is under
0.5%), coloured by UCJ as a share of the target in five classes that read in grey scale and with
colour-blindness. Charts are a line of UCJ against the target and bars of participants."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# UCJ as a share of the target: upper bounds of the classes, and their colours (ColorBrewer GnBu).
CLASSES = (0.25, 0.5, 0.75, 1.0)
COLOURS = ("#f0f9e8", "#bae4bc", "#7bccc4", "#43a2ca", "#0868ac")
NO_DATA = "#d9d9d9"
TEXT = "#1b1f23"

Ring = list[tuple[float, float]]


def count(value: int) -> str:
    """A whole number in the active language (1.234 in Indonesian, 1,234 in English)."""
    return number_format(value, force_grouping=True)


def percent(value: Decimal | float, places: int = 2) -> str:
    return number_format(value, places) + "%"


def colour(to_target: float | None) -> str:
    if to_target is None:
        return NO_DATA
    for bound, fill in zip(CLASSES, COLOURS, strict=False):
        if to_target < bound:
            return fill
    return COLOURS[-1]


def legend() -> list[tuple[str, str]]:
    """(colour, label) of each class, for the map's key."""
    # The percent signs are literal, not placeholders: the markers keep gettext from checking them.
    labels = [
        # xgettext:no-python-format
        _("under 25% of the target"),
        # xgettext:no-python-format
        _("25–50% of the target"),
        # xgettext:no-python-format
        _("50–75% of the target"),
        # xgettext:no-python-format
        _("75–100% of the target"),
        _("target reached"),
    ]
    return [*zip(COLOURS, labels, strict=True), (NO_DATA, _("no denominator"))]


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    rings: list[Ring]  # projected, in map units (0..width, 0..height)


@dataclass(frozen=True)
class Projection:
    min_lng: float
    max_lat: float
    scale: float
    width: float
    height: float

    def point(self, lng: float, lat: float) -> tuple[float, float]:
        return (lng - self.min_lng) * self.scale, (self.max_lat - lat) * self.scale


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def project(
    regions: Iterable[tuple[str, str, dict[str, Any] | None]], width: float = 600
) -> tuple[Projection, list[Shape]]:
    """Fit the boundaries into ``width`` map units; tiny islets (under a fifth of a unit) are dropped."""
    present = [(code, name, geometry) for code, name, geometry in regions if geometry is not None]
    points = [
        point for _c, _n, geometry in present for polygon in _polygons(geometry) for ring in polygon for point in ring
    ]
    if not points:
        return Projection(0, 0, 1, width, width / 2), []
    min_lng = min(p[0] for p in points)
    max_lng = max(p[0] for p in points)
    min_lat = min(p[1] for p in points)
    max_lat = max(p[1] for p in points)
    scale = width / max(max_lng - min_lng, 1e-9)
    projection = Projection(min_lng, max_lat, scale, width, (max_lat - min_lat) * scale)
    shapes = []
    for code, name, geometry in present:
        rings = []
        for polygon in _polygons(geometry):
            for ring in polygon:
                projected = _thin([projection.point(lng, lat) for lng, lat, *_rest in ring])
                if len(projected) >= 3 and abs(_area(projected)) >= 0.2:
                    rings.append(projected)
        shapes.append(Shape(code, name, rings))
    return projection, shapes


def _thin(ring: Ring, step: float = 0.6) -> Ring:
    """Drop points closer than ``step`` map units to the last kept one (the outline stays closed)."""
    kept = [ring[0]]
    for x, y in ring[1:]:
        last = kept[-1]
        if abs(x - last[0]) + abs(y - last[1]) >= step:
            kept.append((x, y))
    return kept


def _area(ring: Ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)) / 2


def _path(rings: Sequence[Ring]) -> str:
    return " ".join("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in ring) + "Z" for ring in rings)


@dataclass(frozen=True)
class Area:
    """One region on a map: its shape, its fill, its hover text and where a click goes."""

    shape: Shape
    fill: str
    title: str
    href: str | None = None


def map_svg(projection: Projection, areas: Sequence[Area], *, label: str) -> str:
    """An accessible SVG map: each region is a link with a title (the hover text) and data-region."""
    parts = [
        f'<svg class="map" viewBox="0 0 {projection.width:.0f} {projection.height:.0f}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for area in areas:
        path = (
            f'<path d="{_path(area.shape.rings)}" fill="{area.fill}" stroke="#ffffff" stroke-width="0.8" '
            f'data-region="{escape(area.shape.code)}"><title>{escape(area.title)}</title></path>'
        )
        if area.href:
            path = f'<a href="{escape(area.href)}" aria-label="{escape(area.shape.name)}">{path}</a>'
        parts.append(path)
    parts.append("</svg>")
    return "".join(parts)


# The charts are drawn about as wide, in SVG units, as a phone shows them in CSS pixels (~340), so
# their text reads at 11-12 px there; a wider drawing shrank it to 6 px. Wider screens cap their
# width in site.css (.chart) so the text does not outgrow the page's.
CHART_WIDTH = 360


def line_svg(
    points: Sequence[tuple[str, Decimal | None]],
    *,
    target: Decimal | None,
    label: str,
    width: int = CHART_WIDTH,
    height: int = 200,
) -> str:
    """UCJ month by month (a line with dots), with the target as a dashed line."""
    left, right, top, bottom = 40, 20, 10, 26
    values = [float(v) for _m, v in points if v is not None]
    ceiling = max([*values, float(target) if target is not None else 0.0, 1.0])
    ceiling = _nice(ceiling * 1.1)
    inner_w = width - left - right
    inner_h = height - top - bottom
    every = max(1, math.ceil(40 / (inner_w / max(len(points) - 1, 1))))  # month labels at least 40 units apart

    def x(i: int) -> float:
        return left + (inner_w * i / max(len(points) - 1, 1))

    def y(v: float) -> float:
        return top + inner_h * (1 - v / ceiling)

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    for tick in _ticks(ceiling):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e1e4e8"/>'
            f'<text x="{left - 5}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="12" fill="{TEXT}">'
            f"{percent(tick, 0 if tick == int(tick) else 1)}</text>"
        )
    if target is not None:
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(float(target)):.1f}" y2="{y(float(target)):.1f}" '
            f'stroke="#b35806" stroke-width="1.5" stroke-dasharray="6 4"><title>{escape(_("target"))} '
            f"{percent(target)}</title></line>"
        )
    line = [f"{x(i):.1f},{y(float(v)):.1f}" for i, (_m, v) in enumerate(points) if v is not None]
    if len(line) > 1:
        parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#0868ac" stroke-width="2"/>')
    for i, (month, value) in enumerate(points):
        if value is not None:
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(float(value)):.1f}" r="3" fill="#0868ac">'
                f"<title>{escape(month)}: {percent(value)}</title></circle>"
            )
        if (len(points) - 1 - i) % every == 0:  # the latest month always has its label
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" font-size="12" fill="{TEXT}">'
                f"{escape(month[2:])}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def bars_svg(items: Sequence[tuple[str, int]], *, label: str, width: int = CHART_WIDTH) -> str:
    """Horizontal bars of counts, each under its name (which may be long, in either language) and
    followed by the count."""
    row = 38
    room = 64  # for the count after the longest bar
    height = row * len(items) + 4
    biggest = max([value for _l, value in items] + [1])
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (name, value) in enumerate(items):
        top = 2 + i * row
        length = (width - room) * value / biggest
        parts.append(
            f'<text x="0" y="{top + 12}" font-size="13" fill="{TEXT}">{escape(name)}</text>'
            f'<rect x="0" y="{top + 17}" width="{length:.1f}" height="14" fill="#43a2ca">'
            f"<title>{escape(name)}: {count(value)}</title></rect>"
            f'<text x="{length + 6:.1f}" y="{top + 29}" font-size="12" fill="{TEXT}">{count(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _nice(value: float) -> float:
    """The smallest ceiling of five round steps above ``value``."""
    for step in (0.2, 0.5, 1, 2, 5, 10, 20, 25):
        if step * 5 >= value:
            return step * 5
    return 25 * -(-value // 25)


def _ticks(ceiling: float) -> list[float]:
    return [round(ceiling * i / 5, 2) for i in range(6)]
