"""The Indonesian catalogue: complete, faithful to its placeholders, compiled, current, and used.

The UI is Indonesian first (LANGUAGE_CODE "id") and English through the language switch; source
strings are English. ``make messages`` re-extracts the strings and compiles the catalogue: these
tests fail until every string has an Indonesian translation and the compiled .mo is committed again.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import polib
import pytest
from django.test import Client
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "jamsostek"
MESSAGES = PACKAGE / "locale" / "id" / "LC_MESSAGES"
PO = MESSAGES / "django.po"
MO = MESSAGES / "django.mo"

NAMED = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]")  # %(name)s, %(row)d, %(byte)02x
POSITIONAL = re.compile(r"%[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]")  # %s, %d
BRACES = re.compile(r"\{\w*\}")  # {name}, {}
TAGS = re.compile(r"</?[A-Za-z][^<>]*>")  # HTML


def catalogue() -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(PO)) if not entry.obsolete]


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def placeholders(text: str, python_format: bool) -> dict[str, Any]:
    found: dict[str, Any] = {"braces": Counter(BRACES.findall(text)), "html": Counter(TAGS.findall(text))}
    if python_format:  # in any other string a percent sign is literal ("under 25% of the target")
        text = text.replace("%%", "")
        found["named"] = {match.group(0) for match in NAMED.finditer(text)}
        found["positional"] = POSITIONAL.findall(NAMED.sub("", text))
    return found


def test_the_catalogue_is_indonesian_with_one_plural_form() -> None:
    metadata = polib.pofile(str(PO)).metadata
    assert metadata["Language"] == "id"
    assert metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert metadata["Content-Type"] == "text/plain; charset=UTF-8"


def test_every_string_has_a_translation_that_is_not_fuzzy() -> None:
    entries = catalogue()
    assert len(entries) > 400
    untranslated = [entry.msgid for entry in entries if any(not text.strip() for text in translations(entry))]
    fuzzy = [entry.msgid for entry in entries if entry.fuzzy]
    assert untranslated == [], "translate these (run `make messages` after): " + repr(untranslated)
    assert fuzzy == [], "check these and remove their fuzzy flag: " + repr(fuzzy)
    plurals = [entry.msgid for entry in entries if entry.msgid_plural and set(entry.msgstr_plural) != {0}]
    assert plurals == [], "Indonesian has one plural form: give these msgstr[0] only: " + repr(plurals)


def test_every_translation_keeps_the_placeholders_and_the_edges_of_its_source() -> None:
    wrong = []
    for entry in catalogue():
        python_format = "python-format" in entry.flags
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        expected = placeholders(sources[-1], python_format)
        for text in translations(entry):
            if placeholders(text, python_format) != expected:
                wrong.append((entry.msgid, text))
            elif text[:1].isspace() != sources[0][:1].isspace() or text[-1:].isspace() != sources[0][-1:].isspace():
                wrong.append((entry.msgid, text))  # "row %(row)d: " is a prefix: its space matters
    assert wrong == []


def test_the_placeholder_check_sees_a_dropped_or_renamed_placeholder() -> None:
    source = placeholders("also in row %(row)d of %s {name} <b>x</b>", python_format=True)
    assert placeholders("juga di baris %(row)d dari %s {name} <b>x</b>", python_format=True) == source
    assert placeholders("juga di baris %(baris)d dari %s {name} <b>x</b>", python_format=True) != source
    assert placeholders("juga di baris %(row)d {name} <b>x</b>", python_format=True) != source
    assert placeholders("juga di baris %(row)d dari %s <b>x</b>", python_format=True) != source
    assert placeholders("juga di baris %(row)d dari %s {name} x", python_format=True) != source
    assert placeholders("di bawah 25% dari target", python_format=False) == placeholders(
        "under 25% of the target", python_format=False
    )


def test_the_committed_mo_is_the_compiled_po() -> None:
    """What msgfmt would write from the committed .po (translated, not fuzzy, not obsolete) is what the
    committed .mo holds: a .po edited without running `make messages` fails here."""

    def content(entries: list[Any]) -> dict[tuple[str | None, str, str | None], Any]:
        return {
            (entry.msgctxt, entry.msgid, entry.msgid_plural or None): (
                {int(k): v for k, v in entry.msgstr_plural.items()} if entry.msgid_plural else entry.msgstr
            )
            for entry in entries
            if entry.msgid
        }

    po = polib.pofile(str(PO))
    compiled = [entry for entry in po.translated_entries() if not entry.obsolete]
    mo = polib.mofile(str(MO))
    assert content(mo) == content(compiled), "run `make messages` to compile the catalogue again"
    assert mo.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"


def _makemessages_options() -> list[str]:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    found = re.search(r"^MESSAGES_OPTIONS\s*:?=\s*(.+)$", makefile, re.MULTILINE)
    assert found, "the Makefile defines MESSAGES_OPTIONS for `make messages`"
    return shlex.split(found.group(1))


@pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgmerge") is None, reason="needs GNU gettext (xgettext)"
)
def test_the_catalogue_holds_every_string_of_the_source_and_no_other(tmp_path: Path) -> None:
    """`make messages` on a copy of the package changes no entry: nothing was marked for translation
    since, and nothing the catalogue holds has left the source."""
    copy = tmp_path / "jamsostek"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "data"))
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", *_makemessages_options()],
        cwd=copy, env=environment, check=True, capture_output=True,
    )  # fmt: skip

    def keys(path: Path) -> set[tuple[str | None, str, str]]:
        return {(e.msgctxt, e.msgid, e.msgid_plural) for e in polib.pofile(str(path)) if not e.obsolete}

    fresh, committed = keys(copy / "locale" / "id" / "LC_MESSAGES" / "django.po"), keys(PO)
    new = sorted(key[1] for key in fresh - committed)
    gone = sorted(key[1] for key in committed - fresh)
    assert new == [], "marked for translation but not in the catalogue: run `make messages` and translate them"
    assert gone == [], "in the catalogue but no longer in the source: run `make messages`"


def test_the_login_page_is_indonesian_first_and_english_after_the_switch(client: Client, db: object) -> None:
    page = client.get("/login/").content.decode()
    assert '<html lang="id">' in page
    assert "<title>Masuk · Jamsostek</title>" in page
    assert "Kata sandi" in page
    assert "Log in" not in page

    # The switch works before login too: the login page is where the language is chosen first.
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert switched.status_code == 302
    assert switched["Location"] == "/login/"

    page = client.get("/login/").content.decode()
    assert '<html lang="en">' in page
    assert "<title>Log in · Jamsostek</title>" in page
    assert "Password" in page
    assert "Masuk" not in page

    client.post("/i18n/setlang/", {"language": "id", "next": "/login/"})
    assert "<title>Masuk · Jamsostek</title>" in client.get("/login/").content.decode()


def test_a_browser_asking_for_english_still_gets_indonesian(client: Client, db: object) -> None:
    page = client.get("/login/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert "<title>Masuk · Jamsostek</title>" in page


def test_the_shared_coverage_indicators_speak_the_language_of_each_request() -> None:
    from jamsostek.coverage.indicators import Indicators
    from jamsostek.coverage.models import DenominatorKind

    indicators = Indicators(DenominatorKind.EMPLOYED)  # one instance serves every request of a process
    with translation.override("en"):
        assert indicators.label == "employed population (BPS Sakernas)"
    with translation.override("id"):
        assert indicators.label == "penduduk bekerja (BPS Sakernas)"
