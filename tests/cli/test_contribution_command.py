"""``jamsostek contribution``: the JSON contract, the table, and one clear line for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jamsostek.cli.main import main

JAMSOSTEK = Path(sys.executable).parent / "jamsostek"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_it_prints_the_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "contribution",
        "pu",
        "--wage",
        "5000000",
        "--risk-class",
        "1",
        "--period",
        "2025-03",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["segment"] == "pu"
    assert data["period"] == "2025-03"
    assert data["totals"] == {"employer": 312000, "worker": 150000, "participant": 0, "total": 462000}
    for line in data["lines"]:
        assert {"program", "payer", "base", "rate", "amount", "reference", "confirmed", "information"} <= set(line)
        assert line["program"] in {"jkk", "jkm", "jht", "jp", "jkp", "fine"}
        assert isinstance(line["amount"], int)
        assert line["reference"]
    billed = [line for line in data["lines"] if not line["information"]]
    assert sum(line["amount"] for line in billed) == data["totals"]["total"]
    jkp = [line for line in data["lines"] if line["program"] == "jkp"]
    assert jkp
    assert all(line["information"] for line in jkp)
    assert data["warnings"], "the 2025 JP cap is only partly confirmed and must say so"


def test_pu_takes_the_state_body_and_relief_condition_facts(capsys: pytest.CaptureFixture[str]) -> None:
    late = ["contribution", "pu", "--wage", "5000000", "--risk-class", "1", "--period", "2025-03"]
    late += ["--paid-on", "2025-05-20", "--format", "json"]
    code, out, _ = run(capsys, *late)
    assert code == 0
    unknown = json.loads(out)
    assert unknown["totals"]["employer"] == 330_480
    assert any("assumed: the employer is not a state body" in warning for warning in unknown["warnings"])
    code, out, _ = run(capsys, *late, "--state-body")
    assert json.loads(out)["totals"]["employer"] == 312_000
    code, out, _ = run(capsys, *late, "--no-state-body")
    assert json.loads(out)["totals"]["employer"] == 330_480
    assert not any("state body" in warning for warning in json.loads(out)["warnings"])
    relief = ["contribution", "pu", "--wage", "4000000", "--risk-class", "2", "--period", "2020-09", "--format", "json"]
    code, out, _ = run(capsys, *relief, "--no-relief-paid-up", "--employer-first-month", "2019-01")
    assert [line["amount"] for line in json.loads(out)["lines"][:2]] == [21_600, 12_000]
    code, out, _ = run(capsys, *relief, "--relief-paid-up", "--employer-first-month", "2019-01")
    assert [line["amount"] for line in json.loads(out)["lines"][:2]] == [216, 120]
    code, _, err = run(capsys, *relief, "--employer-first-month", "2020-13")
    assert code == 2
    assert "employer_first_month" in err


def test_it_prints_a_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "contribution", "bpu", "--income", "1000000", "--period", "2025-01")
    assert code == 0
    assert "Rp10,000" in out
    assert "Rp6,800" in out
    assert "participant Rp16,800" in out


def test_every_segment_answers_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    cases = [
        ("bpu", "--income", "1000000", "--with-jht", "--months", "3"),
        ("jakon", "--contract-value", "750000000"),
        ("jakon", "--wages", "3500000,4200000"),
        ("pmi", "--months", "24", "--pre-departure"),
        ("pu", "--wage", "4000000", "--risk-class", "2", "--paid-on", "2025-05-20", "--labour-intensive"),
    ]
    expected_totals = [110400, 1375000, 157080, 370000, None]
    for argv, total in zip(cases, expected_totals, strict=True):
        code, out, err = run(capsys, "contribution", *argv, "--period", "2025-03", "--format", "json")
        assert code == 0, err
        data = json.loads(out)
        if total is not None:
            assert data["totals"]["total"] == total, argv
    assert any(line["program"] == "fine" for line in data["lines"])


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["pu", "--wage", "-5", "--risk-class", "1"], "wage"),
        (["pu", "--wage", "lima juta", "--risk-class", "1"], "wage"),
        (["pu", "--wage", "5000000.50", "--risk-class", "1"], "wage"),
        (["pu", "--wage", "5000000", "--risk-class", "6"], "risk_class"),
        (["pu", "--wage", "5000000", "--risk-class", "one"], "risk_class"),
        (["pu", "--wage", "5000000", "--risk-class", "1", "--paid-on", "2025-02-31"], "paid_on"),
        (["pu", "--wage", "5000000", "--risk-class", "1", "--minimum-wage", "-1"], "minimum_wage"),
        (["bpu", "--income", "1000000", "--months", "2"], "months"),
        (["jakon", "--wages", "3500000,abc"], "wages"),
        (["pmi", "--months", "0"], "months"),
        (["xyz"], "segment"),
    ],
)
def test_bad_input_is_one_line_naming_the_field_and_exit_status_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], field: str
) -> None:
    code, out, err = run(capsys, "contribution", *argv, "--period", "2025-03")
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert f"{field}:" in lines[0]
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("segment", "argv", "period"),
    [
        ("pu", ["--wage", "5000000", "--risk-class", "1"], "2015-06"),
        ("pmi", ["--months", "24"], "2018-12"),
        ("pu", ["--wage", "5000000", "--risk-class", "1"], "2025-3"),
    ],
)
def test_a_period_the_rules_do_not_cover_is_refused(
    capsys: pytest.CaptureFixture[str], segment: str, argv: list[str], period: str
) -> None:
    code, _, err = run(capsys, "contribution", segment, *argv, "--period", period)
    assert code == 2
    assert err.strip().splitlines()[0].startswith("jamsostek: error: period:")


def test_a_missing_option_is_one_line_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "contribution", "pu", "--wage", "5000000", "--period", "2025-03")
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "--risk-class" in err


def test_errors_speak_indonesian_when_asked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JAMSOSTEK_LANG", "id")
    code, _, err = run(capsys, "contribution", "pu", "--wage", "-1", "--risk-class", "1", "--period", "2025-03")
    assert code == 2
    assert "wage: tidak boleh negatif" in err


def test_the_installed_command_fails_without_a_traceback() -> None:
    env = {**os.environ, "JAMSOSTEK_LANG": "en"}
    result = subprocess.run(
        [str(JAMSOSTEK), "contribution", "pu", "--wage", "abc", "--risk-class", "1", "--period", "2025-03"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == "jamsostek: error: wage: must be a whole number of rupiah, got 'abc'\n"
