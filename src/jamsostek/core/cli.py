"""Option values of the ``jamsostek`` commands: a bad one is one line naming the option and exit
status 2, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.periods import Month

if TYPE_CHECKING:
    from jamsostek.core.bulk.report import ImportReport


def month_option(text: str, name: str) -> Month:
    """``YYYY-MM`` given to the option ``name``."""
    try:
        return Month.parse(text, field=name)
    except InvalidInput as error:
        raise CommandError(error.message(), returncode=2) from None


def date_option(text: str | None, name: str, default: date) -> date:
    """``YYYY-MM-DD`` given to the option ``name``, or ``default`` when it was not given."""
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("%(option)s: not a date YYYY-MM-DD: %(text)r") % {"option": name, "text": text}, returncode=2
        ) from None


def row_problem(row: object, field: str, reason: str) -> str:
    """One rejected row of a file, as the commands list them (``row 3: nik: ...``), in the active language."""
    return _("row %(row)s: %(field)s: %(reason)s") % {"row": row, "field": field, "reason": reason}


def count(value: int) -> str:
    """A number with the active language's thousands separator (1.234 in Indonesian, 1,234 in English)."""
    return str(number_format(value, force_grouping=True))


def percent(share: float) -> str:
    """A share as a percentage with one decimal, in the active language (12,3% in Indonesian)."""
    return f"{number_format(share * 100, 1)}%"


# --- the commands that import a file ------------------------------------------------------------

EXIT_REJECTED = 2


def add_import_options(parser: CommandParser, *, file_help: str = "the CSV or XLSX file") -> None:
    """The options of every ``jamsostek ... import FILE`` command."""
    parser.add_argument("file", nargs="?", help=file_help)
    parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    parser.add_argument("--template", action="store_true", help="print the CSV template and exit")
    parser.add_argument("--report", help="where to write the row-by-row report (CSV)")
    parser.add_argument("--reason", help="why (kept in the audit record); default: the file name")
    parser.add_argument("--user", help="username of the acting user (default: the system)")


@dataclass(frozen=True)
class ImportRequest:
    path: Path
    actor: Any
    reason: str
    dry_run: bool
    report_path: Path


def import_request(options: dict[str, Any], *, kind: str, reason: str) -> ImportRequest:
    """What an import command was asked to do: the file, the acting user (``--user``, default the
    system), the reason (default ``reason`` with the file's name) and where the report goes."""
    if not options["file"]:
        raise CommandError(_("file: give the file to import (or --template)"), returncode=EXIT_REJECTED)
    path = Path(options["file"])
    actor = None
    if options["user"]:
        from jamsostek.accounts.models import User

        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(_("user: no active user %(user)r") % {"user": options["user"]}, returncode=EXIT_REJECTED)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    report_path = Path(options["report"] or settings.DATA_DIR / "reports" / f"import-{kind}-{stamp}.csv")
    return ImportRequest(path, actor, options["reason"] or f"{reason} {path.name}", options["dry_run"], report_path)


def import_outcome(write: Callable[[str], None], report: ImportReport, report_path: Path) -> None:
    """The import's summary, where its report is and the first rejected rows; exit status 2 when the
    file was not imported."""
    write(report.summary())
    write(_("report: %(path)s") % {"path": report_path})
    for result in [r for r in report.rows if r.status == "rejected"][:10]:
        write("  " + row_problem(result.row, result.field, result.reason))
    if not report.ok:
        raise CommandError(_("the file was not imported (see the report)"), returncode=EXIT_REJECTED)
