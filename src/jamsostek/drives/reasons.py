"""Why a candidate row was rejected or a chosen person left out, worded in the reader's language.

Rows keep a code and its details (JSON); the words are chosen when the row is shown, so one list
reads in Bahasa Indonesia to one officer and in English to another. Where the registry's own
validation words the same rule (the NIK, a date, the sex), the message is the registry's, word for
word (the same msgid)."""

from __future__ import annotations

import json
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REASONS: dict[str, Promise] = {
    # the reader's (core.bulk.reading and core.bulk.importer)
    "extra_cells": _("the row has more cells than the header"),
    "cell_too_long": _("is longer than %(limit)d characters"),
    # the registry's (registry.nik, registry.services.validation, core.bulk.values)
    "nik_format": _("a NIK has exactly 16 digits"),
    "nik_province": _("province code %(code)s in the NIK does not exist"),
    "nik_district": _("district code %(code)s in the NIK does not exist in Kalimantan Barat"),
    "nik_birth_date": _("the birth date in the NIK (digits 7-12: %(digits)s) is not a real date"),
    "nik_serial": _("the NIK serial number (last 4 digits) cannot be 0000"),
    "required": _("is required"),
    "too_long": _("is longer than 150 characters"),
    "not_a_date": _("%(value)s is not a date; write YYYY-MM-DD or DD-MM-YYYY"),
    "not_real_date": _("%(value)s is not a real date"),
    "future": _("is in the future"),
    "out_of_range": _("must be between %(first)s and %(last)s"),
    "nik_birth_mismatch": _("the birth date %(declared)s does not match the NIK, which encodes %(encoded)s"),
    "sex_invalid": _("must be L/M (male) or P/F (female)"),
    "nik_sex_mismatch": _("the sex does not match the NIK (day of birth +40 means female)"),
    "unknown_district": _("district %(code)s does not exist in Kalimantan Barat"),
    "unknown_category": _("must be one of %(choices)s"),
    # the drives' own
    "too_young": _(
        "is %(age)s years old on %(day)s; BPU enrolment is from %(youngest)s to %(oldest)s years (UNCONFIRMED limits)"
    ),
    "too_old": _(
        "is %(age)s years old on %(day)s; BPU enrolment is from %(youngest)s to %(oldest)s years (UNCONFIRMED limits)"
    ),
    "outside_region": _("lives outside the region of the list (%(region)s)"),
    "duplicate_in_list": _("the same NIK is already in row %(row)s of this list"),
    # why a usable candidate is left out of a drive, or a member not enrolled
    "protected": _("already protected"),
    "in_other_drive": _("already in another drive of the same fiscal year"),
    "duplicate_in_drive": _("already chosen from another list"),
    "not_payable": _("the program's funding source may not pay for this category"),
    "outside_program": _("lives outside the program's region"),
    "over_quota": _("over the quota of the district or village"),
    "not_in_quotas": _("the district or village has no quota"),
    "program_full": _("the sponsor program's quota is full"),
    "age": _("outside the BPU age limits on the first day of the drive (UNCONFIRMED limits)"),
}


def reason(code: str, detail: str | dict[str, Any] = "") -> str:
    """The reason of ``code`` with its details, in the active language."""
    template = REASONS.get(code)
    if template is None:
        return code
    params = json.loads(detail) if isinstance(detail, str) and detail else (detail or {})
    text = str(template)
    return text % params if params else text
