"""Constants of the province the system serves, in one place.

The legal constants (the segments, the rupiah ceiling, the longest PMI contract) belong to the law
and live in the rules package (``jamsostek.rules.model``); the apps import them from there."""

from __future__ import annotations

from datetime import date

PROVINCE = "61"
"""Kemendagri (and Dukcapil) code of Kalimantan Barat: the first two digits of a local NIK and of every
region code."""

PROVINCE_NAME = "Kalimantan Barat"

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2099, 12, 31)
"""The days the system takes (a birth, a membership's start and end, a wage, a payment): anything
outside is a typing error, answered with the field and the reason (``core.bulk.values.check_day``)."""
