"""Benefits paid in Kalimantan Barat as published (``../shared/reference/practice.md`` §4.4, each
with its source): shown beside the statistics, and the calibration of the synthetic claims.

The per-program counts published for one regency and year (Kab. Landak, 2024, where the counts and
amounts add up) give the claims per 1,000 active participants per program used for the demo:
Landak's active participants are the registry's calibration (``registry.synth.calibration``).
"""

from __future__ import annotations

from dataclasses import dataclass

from jamsostek.core.constants import PROVINCE, PROVINCE_NAME


@dataclass(frozen=True)
class Published:
    region: str
    name: str
    year: int
    program: str
    """``all`` for a total without a split by program."""
    cases: int | None
    amount: int | None
    source: str


LANDAK = "61.08"
LANDAK_2024 = "https://tarunakota.com/landak-raih-peringkat-kedua-capaian-kepesertaan-bpjs-ketenagakerjaan-2024"
SANGGAU_2024 = (
    "https://pontianak.tribunnews.com/2025/03/20/tahun-2024-bpjamsostek-sanggau-bayar-klaim-sebanyak-rp-808-miliar"
)
PROVINCE_2021 = "https://kalbar.antaranews.com/amp/berita/500153/tentang-kami"

PUBLISHED = (
    Published(PROVINCE, PROVINCE_NAME, 2024, "all", 61_533, 711_580_000_000,
              "prokal.co, 18 March 2025 (as cited by the project's sources; the excerpt seen does not show it)"),
    Published(PROVINCE, PROVINCE_NAME, 2021, "jht", 32_527, 359_700_000_000, PROVINCE_2021),
    Published(PROVINCE, PROVINCE_NAME, 2021, "jkm", 828, 30_900_000_000, PROVINCE_2021),
    Published(PROVINCE, PROVINCE_NAME, 2021, "jkk", 2_284, 23_700_000_000, PROVINCE_2021),
    Published(LANDAK, "Kab. Landak", 2024, "jkm", 138, 5_778_000_000, LANDAK_2024),
    Published(LANDAK, "Kab. Landak", 2024, "jkk", 214, 1_941_000_000, LANDAK_2024),
    Published(LANDAK, "Kab. Landak", 2024, "jht", 1_980, 21_722_000_000, LANDAK_2024),
    Published(LANDAK, "Kab. Landak", 2024, "jp", 860, 949_000_000, LANDAK_2024),
    Published(LANDAK, "Kab. Landak", 2024, "jkp", 297, 298_000_000, LANDAK_2024),
    Published(LANDAK, "Kab. Landak", 2024, "scholarship", 79, 300_000_000, LANDAK_2024),
    Published("61.05", "Kab. Sanggau (branch)", 2024, "jht", 4_022, 66_079_873_200, SANGGAU_2024),
    Published("61.05", "Kab. Sanggau (branch)", 2024, "jkk", 73, 1_260_791_730, SANGGAU_2024),
    Published("61.05", "Kab. Sanggau (branch)", 2024, "jkm", 393, 8_588_500_000, SANGGAU_2024),
    Published("61.05", "Kab. Sanggau (branch)", 2024, "jp", 2_079, 3_198_810_090, SANGGAU_2024),
    Published("61.05", "Kab. Sanggau (branch)", 2024, "jkp", 1_543, 1_729_375_030, SANGGAU_2024),
)  # fmt: skip


def landak() -> list[Published]:
    """Kab. Landak 2024 by program: the calibration of the synthetic claims."""
    return [item for item in PUBLISHED if item.region == LANDAK and item.year == 2024]
