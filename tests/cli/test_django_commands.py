"""``jamsostek <management command>`` speaks the language the environment asks for, as the rules
commands do: English unless JAMSOSTEK_LANG, LC_ALL or LANG asks for Bahasa Indonesia."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connections
from django.utils import translation

from jamsostek.cli.main import main
from tests.registry.test_import import PERSONS


@pytest.mark.django_db
def test_an_import_summary_follows_the_environments_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "persons.csv"
    path.write_text(PERSONS, "utf-8")
    report = tmp_path / "report.csv"
    expected = {
        "en_US.UTF-8": "persons: 3 rows: 3 new, 0 updated, 0 unchanged, 0 rejected",
        "id_ID.UTF-8": "orang: 3 baris: 3 baru, 0 diperbarui, 0 tidak berubah, 0 ditolak",
    }
    monkeypatch.setattr(connections, "close_all", lambda: None)  # run_from_argv closes them: the test's own
    saved = translation.get_language()
    try:
        for lang, summary in expected.items():
            monkeypatch.delenv("JAMSOSTEK_LANG", raising=False)
            monkeypatch.delenv("LC_ALL", raising=False)
            monkeypatch.setenv("LANG", lang)
            assert main(["import", "persons", str(path), "--dry-run", "--report", str(report)]) == 0
            assert summary in capsys.readouterr().out
        monkeypatch.setenv("JAMSOSTEK_LANG", "en")  # the project's own variable comes first
        main(["import", "persons", str(path), "--dry-run", "--report", str(report)])
        assert expected["en_US.UTF-8"] in capsys.readouterr().out
    finally:
        translation.activate(saved)


@pytest.mark.django_db
def test_a_refused_command_is_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A service that refuses (here: an analyst may not import) reaches the terminal as one line naming
    the reason, never a traceback."""
    from jamsostek.accounts.models import Role, User

    User.objects.create_user(username="analis", password="x" * 20, role=Role.PROVINCIAL_ANALYST)
    path = tmp_path / "persons.csv"
    path.write_text(PERSONS, "utf-8")
    monkeypatch.setattr(connections, "close_all", lambda: None)
    monkeypatch.setenv("JAMSOSTEK_LANG", "en")
    saved = translation.get_language()
    try:
        with pytest.raises(SystemExit) as stopped:
            main(["import", "persons", str(path), "--user", "analis", "--report", str(tmp_path / "report.csv")])
    finally:
        translation.activate(saved)
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert error.strip() == "jamsostek: error: your role may not do this"
    assert "Traceback" not in error
