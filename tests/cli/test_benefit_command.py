"""``jamsostek benefit`` and ``jamsostek heirs``: JSON contract, table, one clear line for bad input."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_contribution_command import JAMSOSTEK, run

JKP = "benefit jkp --last-wage 7000000 --termination-date 2025-06-01 --months-paid-last-24 20 --consecutive-months 8"


def as_json(capsys: pytest.CaptureFixture[str], command: str, *extra: str) -> dict[str, Any]:
    """Run ``command`` (split on spaces) plus ``extra`` arguments with ``--format json``."""
    code, out, err = run(capsys, *command.split(), *extra, "--format", "json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def check_contract(data: dict[str, Any]) -> None:
    assert {"program", "eligible", "reason", "lines", "total", "warnings"} <= set(data)
    assert isinstance(data["total"], int)
    assert data["reason"]
    for line in data["lines"]:
        assert {"item", "amount", "reference", "confirmed"} <= set(line)
        assert isinstance(line["amount"], int)
        assert line["amount"] >= 0
        assert line["reference"]
        assert isinstance(line["confirmed"], bool)
    assert sum(line["amount"] for line in data["lines"]) == data["total"]
    if any(not line["confirmed"] for line in data["lines"]):
        assert data["warnings"]


def test_jkm_answers_the_json_contract_with_the_pp_82_2019_amounts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = as_json(capsys, "benefit", "jkm", "--death-date", "2025-05-01", "--contribution-months", "40")
    check_contract(data)
    assert data["program"] == "jkm"
    assert data["eligible"] is True
    assert [line["amount"] for line in data["lines"]] == [20_000_000, 12_000_000, 10_000_000]
    assert data["total"] == 42_000_000
    assert all("PP 82/2019" in line["reference"] for line in data["lines"])


def test_jkm_for_an_early_bpu_death_pays_the_reduced_amount_flagged(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--death-date", "2025-06-01", "--contribution-months", "2", "--membership-months", "2"]
    data = as_json(capsys, "benefit", "jkm", *argv, "--segment", "bpu")
    assert [(line["key"], line["amount"]) for line in data["lines"]] == [("jkm.early_death", 10_000_000)]
    assert data["confirmed"] is False
    assert as_json(capsys, "benefit", "jkm", *argv)["total"] == 42_000_000


def test_jkp_after_a_fixed_term_contract_ends_is_ineligible_with_the_article(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = "benefit jkp --last-wage 4000000 --termination-date 2025-06-01 --months-paid-last-24 24"
    data = as_json(capsys, argv, "--consecutive-months", "24", "--reason", "contract_end")
    assert data["eligible"] is False
    assert data["total"] == 0
    assert "PP 37/2021 art. 20(2)" in data["legal_basis"]
    assert "fixed-term contract (PKWT)" in data["reason"]


def test_jp_survivor_and_disability_amounts_cite_their_articles(capsys: pytest.CaptureFixture[str]) -> None:
    argv = "benefit jp --date 2024-06-01 --birth-date 1980-06-01 --contribution-months 100"
    argv += " --membership-months 110 --average-wage 8000000"
    widow = as_json(capsys, argv, "--event", "death", "--survivor", "spouse")
    assert [(line["key"], line["amount"]) for line in widow["lines"]] == [("jp.spouse_pension", 600_000)]
    assert widow["confirmed"] is True  # PP 45/2015 art. 21(2)(a), text seen
    assert "21(2)" in widow["lines"][0]["reference"]
    disabled = as_json(capsys, argv, "--event", "disability")
    assert disabled["total"] == 1_200_000
    assert disabled["details"]["registration_deadline"] == "2045-05-01"  # 65 on 2045-06-01, one month before


def test_jkk_death_answers_the_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(capsys, "benefit", "jkk", "--event", "death", "--wage", "5000000", "--date", "2025-05-01")
    check_contract(data)
    assert data["total"] == 262_000_000
    assert data["lines"][0]["amount"] == 240_000_000


def test_jkp_answers_the_json_contract_with_the_wage_cap(capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(capsys, JKP)
    check_contract(data)
    assert data["eligible"] is True
    assert data["total"] == 18_000_000
    assert data["details"]["claim_deadline"] == "2025-12-01"


def test_an_ineligible_result_pays_nothing_and_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(capsys, JKP, "--reason", "resignation")
    check_contract(data)
    assert data["eligible"] is False
    assert data["total"] == 0
    assert data["lines"] == []
    assert "resignation" in data["reason"]
    assert data["legal_basis"]


def test_jkk_takes_children_percentages_and_costs(capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(
        capsys,
        "benefit jkk --event total_disability --wage 5.000.000 --date 2025-05-01 --child "
        "sma,year=1,birth_date=2009-01-01,name=Ani --transport-land 7000000",
    )
    check_contract(data)
    amounts = {line["key"]: line["amount"] for line in data["lines"]}
    assert amounts == {
        "jkk.total_disability_lump_sum": 280_000_000,
        "jkk.periodic": 12_000_000,
        "jkk.scholarship.child_1": 3_000_000,
        "jkk.transport_land": 5_000_000,
    }
    partial = as_json(
        capsys, "benefit jkk --event partial_disability --wage 5000000 --date 2025-05-01 --percentage 35%"
    )
    assert partial["total"] == 140_000_000
    assert partial["confirmed"] is False


def test_jht_computes_a_balance_from_a_history_file_and_declared_returns(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    history = tmp_path / "history.json"
    months = [{"month": f"2023-{month:02d}", "amount": 100000} for month in range(1, 13)]
    months += [{"month": f"2024-{month:02d}", "amount": 100000} for month in range(1, 13)]
    history.write_text(json.dumps({"contributions": months, "returns": {"2023": "6%", "2025": "0.05"}}), "utf-8")
    data = as_json(
        capsys,
        "benefit",
        "jht",
        "--claim-date",
        "2025-03-10",
        "--reason",
        "termination",
        "--event-date",
        "2025-02-01",
        "--history",
        str(history),
        "--return",
        "2024=5%",
    )
    check_contract(data)
    assert data["total"] == 2_543_168
    monthly = as_json(
        capsys,
        "benefit jht --claim-date 2025-03-10 --reason balance --monthly-contribution "
        "100000 --from 2023-01 --to 2024-12 --return 2023=6% --return 2024=5% --return "
        "2025=5%",
    )
    assert monthly["total"] == 2_543_168


def test_jht_partial_withdrawal_and_waiting_period(capsys: pytest.CaptureFixture[str]) -> None:
    partial = as_json(
        capsys,
        "benefit jht --claim-date 2025-01-01 --reason partial_housing --membership-start "
        "2015-01-01 --balance 100000000",
    )
    assert partial["total"] == 30_000_000
    waiting = as_json(
        capsys,
        "benefit jht --claim-date 2025-02-10 --reason resignation --event-date 2025-02-01 --balance 100000000",
    )
    assert waiting["eligible"] is False
    assert waiting["details"]["eligible_from"] == "2025-03-01"


def test_jp_gives_the_pension_date_and_the_first_year_pension(capsys: pytest.CaptureFixture[str]) -> None:
    data = as_json(
        capsys,
        "benefit jp --date 2024-06-01 --birth-date 1966-06-01 --contribution-months 240 --average-wage 8000000",
    )
    check_contract(data)
    assert data["total"] == 1_600_000
    assert data["details"]["pension_date"] == "2024-06-01"
    early = as_json(
        capsys,
        "benefit jp --date 2025-06-01 --birth-date 1967-01-01 --contribution-months 240 --average-wage 8000000",
    )
    assert early["eligible"] is False
    assert early["details"]["pension_date"] == "2026-01-01"


def test_the_table_shows_items_total_and_flags(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["benefit", "jkm", "--death-date", "2025-05-01", "--contribution-months", "2"]
    code, out, _ = run(capsys, *argv, "--segment", "bpu", "--membership-months", "2")
    assert code == 0
    assert "JKM benefit on 2025-05-01: eligible" in out
    assert "Total: Rp10,000,000" in out
    assert "* = uses a value that is not confirmed" in out
    assert "benefits.jkm.early_death_amount (from 2025-02-24) is not confirmed" in out
    code, out, _ = run(capsys, "benefit", "jkm", "--death-date", "2019-11-15", "--contribution-months", "40")
    assert (code, "Total: Rp24,000,000" in out, "not confirmed" in out) == (0, True, False)


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["jkm", "--contribution-months", "40"], "death_date"),
        (["jkm", "--death-date", "2025-02-30", "--contribution-months", "40"], "death_date"),
        (["jkm", "--death-date", "2010-01-01", "--contribution-months", "40"], "death_date"),
        (["jkm", "--death-date", "2025-05-01", "--contribution-months", "forty"], "contribution_months"),
        (["jkm", "--death-date", "2025-05-01", "--contribution-months", "40", "--child", "phd"], "level"),
        (
            ["jkm", "--death-date", "2025-05-01", "--contribution-months", "4", "--child", "sd,grade=2"],
            "child",
        ),
        (["jkk", "--date", "2025-05-01", "--wage", "1"], "event"),
        (["jkk", "--event", "fall", "--date", "2025-05-01", "--wage", "1"], "event"),
        (["jkk", "--event", "death", "--date", "2025-05-01"], "wage"),
        (["jkk", "--event", "death", "--date", "2025-05-01", "--wage", "-5"], "wage"),
        (["jkk", "--event", "death", "--date", "2025-05-01", "--wage", "1", "--months", "2"], "months"),
        (
            [
                "jkk",
                "--event",
                "partial_disability",
                "--date",
                "2025-05-01",
                "--wage",
                "1",
                "--percentage",
                "x",
            ],
            "percentage",
        ),
        (["jht", "--claim-date", "2025-05-01", "--reason", "age", "--balance", "1"], "birth_date"),
        (["jht", "--claim-date", "2025-05-01", "--reason", "holiday", "--balance", "1"], "reason"),
        (["jht", "--claim-date", "2025-05-01", "--reason", "death"], "history"),
        (
            ["jht", "--claim-date", "2025-05-01", "--reason", "death", "--history", "/no/such/file.json"],
            "history",
        ),
        (
            [
                "jht",
                "--claim-date",
                "2025-05-01",
                "--reason",
                "balance",
                "--balance",
                "1",
                "--return",
                "2024",
            ],
            "return",
        ),
        (["jp", "--date", "2025-05-01", "--contribution-months", "200"], "birth_date"),
        (
            ["jp", "--date", "2025-05-01", "--birth-date", "1960-01-01", "--contribution-months", "200"],
            "average_wage",
        ),
        (
            [
                "jkp",
                "--last-wage",
                "1",
                "--termination-date",
                "2025-06-01",
                "--months-paid-last-24",
                "30",
                "--consecutive-months",
                "8",
            ],
            "months_paid_last_24",
        ),
        (
            [
                "jkp",
                "--last-wage",
                "1",
                "--termination-date",
                "2025-06-01",
                "--months-paid-last-24",
                "20",
                "--consecutive-months",
                "8",
                "--reason",
                "fired",
            ],
            "reason",
        ),
        (["xyz"], "program"),
        (["jkm", "--death-date", "2025-05-01", "--contribution-months", "4", "--format", "xml"], "--format"),
    ],
)
def test_bad_input_is_one_line_naming_the_field_and_exit_status_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], field: str
) -> None:
    code, out, err = run(capsys, "benefit", *argv)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert f"{field}:" in lines[0]
    assert "Traceback" not in err


def test_a_bad_history_file_names_the_field(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    history = tmp_path / "history.json"
    history.write_text("[{", "utf-8")
    code, _, err = run(
        capsys, "benefit", "jht", "--claim-date", "2025-05-01", "--reason", "death", "--history", str(history)
    )
    assert code == 2
    assert err.startswith("jamsostek: error: history: is not valid JSON")


def test_errors_speak_indonesian_when_asked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JAMSOSTEK_LANG", "id")
    code, _, err = run(capsys, "benefit", "jkm", "--death-date", "2010-01-01", "--contribution-months", "4")
    assert code == 2
    assert "death_date: 2010-01-01 sebelum aturan JKM yang dikodekan" in err


def test_the_installed_command_fails_without_a_traceback() -> None:
    env = {**os.environ, "JAMSOSTEK_LANG": "en"}
    result = subprocess.run(
        [str(JAMSOSTEK), "benefit", "jkp", "--last-wage", "abc", "--termination-date", "2025-06-01"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == "jamsostek: error: last_wage: must be a whole number of rupiah, got 'abc'\n"


# --- heirs --------------------------------------------------------------------------------------


def test_heirs_from_options_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["heirs", "--relative", "ibu=Aminah", "--relative", "janda=Siti", "--relative", "anak=Budi"]
    data = as_json(capsys, *argv, "--date", "2025-05-01")
    assert [heir["name"] for heir in data["entitled"]] == ["Siti", "Budi"]
    assert data["rank"] == 1
    assert [(item["rank"], item["name"]) for item in data["order"]] == [
        (1, "Siti"),
        (1, "Budi"),
        (2, "Aminah"),
    ]
    code, out, _ = run(capsys, *argv, "--date", "2025-05-01")
    assert code == 0
    assert "Heirs for JHT on 2025-05-01: Siti, Budi" in out


def test_heirs_from_a_json_file_for_jp(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    relatives = tmp_path / "relatives.json"
    relatives.write_text(
        json.dumps(
            [
                {"relation": "child", "name": "Ani", "birth_date": "2001-01-01"},
                {"relation": "child", "name": "Budi", "birth_date": "2010-01-01"},
                {"relation": "mother", "name": "Aminah"},
            ]
        ),
        "utf-8",
    )
    data = as_json(capsys, "heirs", "--relatives", str(relatives), "--program", "jp", "--date", "2025-05-01")
    assert [heir["name"] for heir in data["entitled"]] == ["Budi"]
    assert data["excluded"][0]["name"] == "Ani"
    nobody = as_json(capsys, "heirs", "--date", "2025-05-01")
    assert nobody["entitled"] == []
    assert "Balai Harta Peninggalan" in nobody["recipient"]


def test_heirs_of_jkm_with_nobody_name_the_dana_jaminan_sosial_and_pp_44_2015(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys, "heirs", "--program", "jkm", "--relative", "sibling=Rina,deceased", "--date", "2025-05-01"
    )
    assert code == 0
    assert "Dana Jaminan Sosial" in out
    assert "whoever arranged the funeral" in out
    assert "Legal basis: PP 44/2015 art. 40(2)" in out
    assert "Balai Harta Peninggalan" not in out


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["--relative", "cousin=Rudi"], "relation"),
        (["--relative", "child"], "relative"),
        (["--relative", "child=Budi,birth_date=2010-13-01"], "birth_date"),
        (["--relative", "child=Budi,age=3"], "relative"),
        (["--relatives", "/no/such/file.json"], "relatives"),
        (["--program", "jkp"], "program"),
        (["--date", "yesterday"], "date"),
    ],
)
def test_heirs_bad_input_is_one_line_naming_the_field(
    capsys: pytest.CaptureFixture[str], argv: list[str], field: str
) -> None:
    code, out, err = run(capsys, "heirs", *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"jamsostek: error: {field}:")


def test_a_relatives_file_entry_without_a_name_names_its_place(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    relatives = tmp_path / "relatives.json"
    relatives.write_text(json.dumps([{"relation": "child"}]), "utf-8")
    code, _, err = run(capsys, "heirs", "--relatives", str(relatives))
    assert code == 2
    assert err.startswith("jamsostek: error: relatives[0].name: is required")
