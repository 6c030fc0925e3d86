"""Who may pay for whom is configuration with citations; a program's funding is data set through
its service; the package's cost comes from the rules' batch path and equals the scalar path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
import yaml

from jamsostek.core.errors import Conflict, Forbidden, InvalidField, NotFound
from jamsostek.drives import services
from jamsostek.drives.bulk.costing import price, scalar
from jamsostek.drives.funding import (
    RULES_FILE,
    ConfigurationError,
    Package,
    age_limits,
    funding_rules,
    parse_rules,
    paying_rule,
)
from jamsostek.registry import services as registry
from jamsostek.rules.periods import Month
from tests.conftest import Personas
from tests.drives.conftest import funded_program, person, write_list


def test_every_rule_of_the_configuration_is_cited_and_an_unconfirmed_one_says_why() -> None:
    rules = funding_rules()
    assert len(rules) >= 10
    for rule in rules:
        assert rule.reference.instrument
        assert rule.reference.year > 1945
        assert rule.confirmed or rule.note


def test_village_funds_pay_for_vulnerable_workers_only_where_a_regency_rule_allows_it() -> None:
    day = date(2026, 1, 1)
    ketapang = paying_rule(source="dana_desa", category="vulnerable", region="61.04.01", day=day)
    assert ketapang is not None
    assert "SOURCES DISAGREE" in ketapang.note
    assert paying_rule(source="dana_desa", category="vulnerable", region="61.01", day=day) is None
    assert paying_rule(source="apbdes", category="village_official", region="61.01", day=day) is not None
    assert paying_rule(source="dbh_sawit", category="plantation", region="61.05", day=day) is not None
    assert paying_rule(source="dbh_sawit", category="non_asn", region="61.05", day=day) is None
    assert paying_rule(source="regency_apbd", category="bpd_lkd", region="61.04", day=date(2023, 6, 1)) is None


@pytest.mark.parametrize("broken", [
    {"rules": [{"source": "lottery", "pays_for": ["vulnerable"], "from": date(2024, 1, 1),
                "reference": {"instrument": "X", "number": "1", "year": 2024}, "confirmed": True}]},
    {"rules": [{"source": "csr", "pays_for": ["astronauts"], "from": date(2024, 1, 1),
                "reference": {"instrument": "X", "number": "1", "year": 2024}, "confirmed": True}]},
    {"rules": [{"source": "csr", "pays_for": ["vulnerable"], "from": date(2024, 1, 1), "confirmed": True}]},
    {"rules": [{"source": "csr", "pays_for": ["vulnerable"], "from": date(2024, 1, 1),
                "reference": {"instrument": "X", "number": "1", "year": 2024}, "confirmed": False}]},
    {"rules": [{"source": "csr", "pays_for": ["vulnerable"], "from": "soon",
                "reference": {"instrument": "X", "number": "1", "year": 2024}, "confirmed": True}]},
])  # fmt: skip
def test_a_rule_without_a_known_source_category_citation_or_note_is_refused(broken: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        parse_rules(broken)


def test_the_shipped_file_parses_as_it_is_read() -> None:
    assert parse_rules(yaml.safe_load(RULES_FILE.read_text("utf-8"))) == funding_rules()


def test_the_age_limits_are_dated_and_unconfirmed() -> None:
    before, after = age_limits(date(2020, 6, 1)), age_limits(date(2026, 1, 1))
    assert (before.youngest, before.oldest) == (15, 56)
    assert (after.youngest, after.oldest) == (15, 65)
    assert not after.confirmed


@pytest.mark.parametrize(("with_jht", "income", "first", "months"), [
    (False, 1_000_000, Month(2026, 1), 12),
    (True, 1_000_000, Month(2026, 7), 6),
    (False, 2_500_000, Month(2025, 11), 3),
    (True, 5_000_000, Month(2020, 3), 12),  # across the 2020 relief months
])  # fmt: skip
def test_the_batch_price_of_a_package_equals_the_scalar_one(with_jht: bool, income: int, first: Month,
                                                            months: int) -> None:  # fmt: skip
    package = Package(with_jht=with_jht, income=income, first=first, months=months)
    other = Package(with_jht=not with_jht, income=1_000_000, first=first, months=1)
    priced = price(np.array([0, 1, 0], dtype=np.int64), [package, other])
    expected, _notes = scalar(package)
    assert priced.per_member.tolist() == [expected, scalar(other)[0], expected]
    assert priced.total == 2 * expected + scalar(other)[0]
    assert priced.per_member.dtype == np.int64


def test_a_program_is_funded_through_its_service_and_audited(personas: Personas) -> None:
    program, funding = funded_program(code="P", region="61.04", ceiling=500_000_000)
    assert (funding.fiscal_year, funding.source, funding.budget_ceiling) == (2026, "regency_apbd", 500_000_000)
    assert funding.prepare_levels == ["employer", "regency"]
    village_program = registry.sponsor_program_create(
        actor=None,
        code="V",
        name="Desa",
        kind="village_budget",
        region_code="61.04",
        year=2026,
        quota=100,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        reason="t",
    )
    arguments = {"program": village_program, "budget_ceiling": 1, "instrument_kind": "perdes",
                 "instrument_number": "1/2026", "instrument_date": date(2026, 1, 5), "prepare_levels": ["employer"],
                 "approve_levels": ["regency"], "reason": "t"}  # fmt: skip
    with pytest.raises(InvalidField) as no_village:
        services.funding_set(actor=personas.ketapang, source="dana_desa", **arguments)
    assert no_village.value.field == "owner"
    with pytest.raises(InvalidField) as wrong_kind:
        services.funding_set(actor=personas.ketapang, source="csr", **arguments)
    assert wrong_kind.value.field == "source"
    with pytest.raises(NotFound):
        services.funding_set(actor=personas.sambas, source="regency_apbd", **{**arguments, "program": program})
    with pytest.raises(Forbidden):
        services.funding_set(actor=personas.analyst, source="regency_apbd", **{**arguments, "program": program})


def test_the_funding_is_fixed_once_a_drive_is_approved(personas: Personas, tmp_path: Path) -> None:
    program, _funding = funded_program(code="P", region="61.04")
    listed = services.candidate_list_import(
        actor=None,
        path=write_list(tmp_path / "l.csv", [person("61.04.01", date(1980, 1, 1), "L", 1)]),
        name="l",
        source="dtks",
        source_date=date(2025, 12, 1),
        region_code="61.04",
        default_category="vulnerable",
        as_of=date(2026, 1, 5),
        reason="t",
    )
    drive = services.drive_prepare(actor=personas.ketapang, program=program, code="D", name="D", lists=[listed],
                                   on=date(2026, 1, 5), reason="t")  # fmt: skip
    services.drive_approve(actor=personas.bpjs, drive=drive, reason="ok")
    with pytest.raises(Conflict):
        services.funding_set(actor=personas.ketapang, program=program, source="regency_apbd", budget_ceiling=1,
                             instrument_kind="perbup", instrument_number="2", instrument_date=date(2026, 1, 1),
                             prepare_levels=["regency"], approve_levels=["regency"], reason="t")  # fmt: skip
