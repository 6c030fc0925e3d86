"""Loading the province, regencies and districts of Kalimantan Barat from ``data/``."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from jamsostek.core.constants import PROVINCE, PROVINCE_NAME

DATA = Path(__file__).parent / "data"
SOURCE = "cahyadsn/wilayah (Kepmendagri 2025, MIT); boundaries cahyadsn/wilayah_boundaries (MIT); see data/SOURCES.md"


def _features(name: str) -> dict[str, dict[str, Any]]:
    collection = json.loads((DATA / name).read_text("utf-8"))
    return {feature["properties"]["kemendagri_code"]: feature for feature in collection["features"]}


def region_rows() -> list[dict[str, Any]]:
    """Rows for the Region table: the province, then 14 regencies, then 174 districts."""
    regencies = _features("kalbar_regencies.geojson")
    districts = _features("kalbar_districts.geojson")
    with (DATA / "kalbar_regions.csv").open(encoding="utf-8") as handle:
        regency_rows = list(csv.DictReader(handle))
    with (DATA / "kalbar_districts.csv").open(encoding="utf-8") as handle:
        district_rows = list(csv.DictReader(handle))
    rows: list[dict[str, Any]] = [
        {
            "code": PROVINCE,
            "bps_code": PROVINCE,  # the BPS and Kemendagri codes agree at province level
            "name": PROVINCE_NAME,
            "level": "province",
            "kind": "provinsi",
            "parent_id": None,
            "area_km2": round(sum(float(row["area_km2_big2024"]) for row in regency_rows), 3),
            "population": sum(int(row["population_dukcapil_2024s2"]) for row in regency_rows),
            "villages": sum(int(row["n_desa"]) for row in regency_rows),
            "urban_villages": sum(int(row["n_kelurahan"]) for row in regency_rows),
            "boundary": None,
            "label_point": None,
            "source": SOURCE,
        }
    ]
    for row in regency_rows:
        feature = regencies.get(row["kemendagri_code"])
        rows.append(
            {
                "code": row["kemendagri_code"],
                "bps_code": row["bps_code"],
                "name": ("Kota " if row["type"] == "kota" else "Kab. ") + row["name"],
                "level": "regency",
                "kind": row["type"],
                "parent_id": PROVINCE,
                "area_km2": float(row["area_km2_big2024"]),
                "population": int(row["population_dukcapil_2024s2"]),
                "villages": int(row["n_desa"]),
                "urban_villages": int(row["n_kelurahan"]),
                "boundary": feature["geometry"] if feature else None,
                "label_point": _label(feature),
                "source": SOURCE,
            }
        )
    for row in district_rows:
        feature = districts.get(row["kemendagri_code"])
        rows.append(
            {
                "code": row["kemendagri_code"],
                "bps_code": "",
                "name": row["name"],
                "level": "district",
                "kind": "kecamatan",
                "parent_id": row["regency_code"],
                "area_km2": None,
                "population": None,
                "villages": int(row["n_desa"]),
                "urban_villages": int(row["n_kelurahan"]),
                "boundary": feature["geometry"] if feature else None,
                "label_point": _label(feature),
                "source": SOURCE,
            }
        )
    return rows


def _label(feature: dict[str, Any] | None) -> list[float] | None:
    if not feature:
        return None
    properties = feature["properties"]
    return [properties["label_lng"], properties["label_lat"]]
