"""The contributions commands speak the environment's language: their own lines, headers and
thousands separators too (1.234 in Indonesian, 1,234 in English), not only the translated errors."""

from __future__ import annotations

import pytest
from django.db import connections
from django.utils import translation

from jamsostek.cli.main import main
from tests.contributions.conftest import Billed


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en_US.UTF-8", ["billing 2025-03: ", " bills with ", "arrears on 2025-06-20: ", " payers owe something",
                         "payer", "current", "fines", "410,800"]),
        ("id_ID.UTF-8", ["penagihan 2025-03: ", " tagihan dengan ", "tunggakan per 2025-06-20: ",
                         " pembayar masih berutang", "pembayar", "berjalan", "denda", "410.800"]),
    ],
)  # fmt: skip
def test_billing_and_arrears_follow_the_environments_language(
    billed: Billed, lang: str, expected: list[str], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(connections, "close_all", lambda: None)  # run_from_argv closes them: the test's own
    monkeypatch.delenv("JAMSOSTEK_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.setenv("LANG", lang)
    saved = translation.get_language()
    try:
        assert main(["billing", "run", "--period", "2025-03"]) == 0
        assert main(["arrears", "--as-of", "2025-06-20"]) == 0
        out = capsys.readouterr().out
        for text in expected:
            assert text in out, (text, out)
        with pytest.raises(SystemExit) as exited:  # a CommandError: one line, status 2, no traceback
            main(["billing", "run", "--period", "2025-04", "--through", "2025-03"])
        assert exited.value.code == 2
        error = capsys.readouterr().err
        assert ("tidak boleh sebelum" in error) == lang.startswith("id"), error
    finally:
        translation.activate(saved)
