"""Constants of the province the system serves, in one place.

The legal constants (the segments, the rupiah ceiling, the longest PMI contract) belong to the law
and live in the rules package (``jamsostek.rules.model``); the apps import them from there."""

from __future__ import annotations

PROVINCE = "61"
"""Kemendagri (and Dukcapil) code of Kalimantan Barat: the first two digits of a local NIK and of every
region code."""

PROVINCE_NAME = "Kalimantan Barat"
