"""The synthetic province: deterministic, valid, calibrated."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from jamsostek.registry.models import Membership, Person, SponsorProgram
from jamsostek.registry.nik import parse_nik
from jamsostek.registry.selectors import active_on
from jamsostek.registry.services import district_codes
from jamsostek.registry.synth import Generator, calibration

AS_OF = date(2026, 10, 31)


def test_the_same_seed_gives_the_same_files(tmp_path: Path) -> None:
    first = Generator(scale=0.002, seed=7, as_of=AS_OF).write(tmp_path / "a")
    second = Generator(scale=0.002, seed=7, as_of=AS_OF).write(tmp_path / "b")
    other = Generator(scale=0.002, seed=8, as_of=AS_OF).write(tmp_path / "c")
    for name in ("persons", "employers", "memberships"):
        assert getattr(first, name).read_bytes() == getattr(second, name).read_bytes()
    assert first.persons.read_bytes() != other.persons.read_bytes()


def test_the_calibration_spreads_the_employed_and_follows_published_coverage() -> None:
    plans = {plan.code: plan for plan in calibration(1.0)}
    assert sum(plan.employed for plan in plans.values()) == pytest.approx(2_860_000, abs=20)
    assert plans["61.04"].coverage == 0.6802  # Ketapang, published
    assert plans["61.01"].coverage == 0.24  # Sambas, published
    assert plans["61.03"].coverage_source == "assumed"
    total_active = sum(plan.active for plan in plans.values())
    assert 900_000 < total_active < 1_100_000  # "about 1 million participants" at scale 1.0


@pytest.mark.django_db
def test_synth_loads_a_valid_province_close_to_its_targets(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("synth", "--scale", "0.004", "--seed", "3", "--as-of", AS_OF.isoformat(),
                 "--directory", str(tmp_path), stdout=out)  # fmt: skip
    districts = district_codes()
    persons = list(Person.objects.all())
    assert len(persons) > 3_000
    for person in persons[:500]:
        facts = parse_nik(person.nik, districts=districts)
        assert facts.matches_birth_date(person.birth_date)
        assert facts.sex == person.sex
    assert SponsorProgram.objects.exists()
    assert set(Membership.objects.values_list("segment", flat=True)) == {"pu", "bpu", "jakon", "pmi"}
    active = Membership.objects.filter(active_on(AS_OF))
    for plan in calibration(0.004):
        people = active.filter(regency_id=plan.code).values("person").distinct().count()
        assert people == pytest.approx(plan.active, rel=0.12, abs=6), plan.name
    ketapang = active.filter(regency_id="61.04").values("person").distinct().count()
    sambas = active.filter(regency_id="61.01").values("person").distinct().count()
    assert ketapang / calibration(1)[3].employed > sambas / calibration(1)[0].employed
    assert "Ketapang" in out.getvalue()


@pytest.mark.django_db
def test_running_synth_twice_with_the_same_seed_changes_nothing(tmp_path: Path) -> None:
    arguments: list[Any] = ["synth", "--scale", "0.001", "--seed", "5", "--as-of", AS_OF.isoformat(),
                            "--directory", str(tmp_path)]  # fmt: skip
    call_command(*arguments, stdout=io.StringIO())
    counts = (Person.objects.count(), Membership.objects.count())
    out = io.StringIO()
    call_command(*arguments, stdout=out)
    assert (Person.objects.count(), Membership.objects.count()) == counts
    assert "tidak ada yang perlu diubah" in out.getvalue()  # the CLI speaks the default language
