"""A write that meets a unique constraint another request filled first (after both checked that
nothing was there) answers 409 "duplicate", never a server error, and the transaction goes on."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from jamsostek.core.errors import Conflict
from jamsostek.registry import services
from jamsostek.registry.models import Employer, SponsorProgram
from tests.conftest import Personas, World


def test_a_duplicate_met_at_the_constraint_is_a_conflict_and_the_transaction_goes_on(world: World) -> None:
    with transaction.atomic():
        with pytest.raises(Conflict) as met:
            _register_past_the_check(world)
        assert (met.value.field, met.value.code) == ("npp", "duplicate")
        assert Employer.objects.filter(npp="K0001").count() == 1  # the transaction is still usable


def _register_past_the_check(world: World) -> Any:
    """``employer_register`` as the second of two requests at once: its check saw no such NPP."""
    from unittest import mock

    real_filter = Employer.objects.filter

    def missing(*args: Any, **kwargs: Any) -> Any:
        rows = real_filter(*args, **kwargs)
        return rows.none() if kwargs.get("npp") == "K0001" else rows

    with mock.patch.object(Employer.objects, "filter", side_effect=missing):
        return services.employer_register(
            actor=None, npp="K0001", name="PT Lain", risk_class=1, size_class="small", region_code="61.04.01",
            reason="race",
        )  # fmt: skip


def test_a_sponsor_program_code_met_at_the_constraint_is_a_conflict(world: World, personas: Personas) -> None:
    from datetime import date
    from unittest import mock

    made: dict[str, Any] = {
        "code": "KTP-2025", "name": "Pekerja rentan", "kind": "regency_budget", "region_code": "61.04",
        "year": 2025, "quota": 5, "start_date": date(2025, 1, 1), "end_date": date(2025, 12, 31), "reason": "setup",
    }  # fmt: skip
    services.sponsor_program_create(actor=None, **made)
    real_filter = SponsorProgram.objects.filter

    def missing(*args: Any, **kwargs: Any) -> Any:
        rows = real_filter(*args, **kwargs)
        return rows.none() if "code" in kwargs else rows

    with mock.patch.object(SponsorProgram.objects, "filter", side_effect=missing), pytest.raises(Conflict) as met:
        services.sponsor_program_create(actor=personas.bpjs, **made)
    assert (met.value.field, met.value.code) == ("code", "duplicate")
    assert SponsorProgram.objects.filter(code="KTP-2025").count() == 1
