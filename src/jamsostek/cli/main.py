"""Entry point of the ``jamsostek`` command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from jamsostek.cli import benefit, contribution, heirs
from jamsostek.cli.common import EXIT_BAD_INPUT, Parser, fail, fail_input, language
from jamsostek.rules.errors import InvalidInput, ParameterError, RulesError
from jamsostek.rules.model import SEGMENTS

OWN_COMMANDS = ("contribution", "benefit", "heirs")
EPILOG = """The database, registry and web commands are Django management commands under the same name:
  jamsostek migrate | createsuperuser | runserver | import | synth | ...
  jamsostek help            lists them all; jamsostek help <command> explains one."""


def build_parser() -> Parser:
    parser = Parser(
        prog="jamsostek",
        description="Jamsostek: employment social security coverage for Kalimantan Barat.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    subparsers.required = True
    contribution.add_parser(subparsers)
    benefit.add_parser(subparsers)
    heirs.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and not args_list[0].startswith("-") and args_list[0] not in OWN_COMMANDS:
        return django_command(args_list)
    parser = build_parser()
    _check_segment(args_list)
    args = parser.parse_args(args_list)
    try:
        result: int = args.handler(args)
    except InvalidInput as error:
        fail_input(error)
    except ParameterError as error:
        print(f"jamsostek: broken parameter file: {error}", file=sys.stderr)
        return 1
    except RulesError as error:
        fail(str(error))
    return result


def django_command(argv: list[str]) -> int:
    """``jamsostek <command>`` for every Django management command (migrate, runserver, import...),
    in the language the environment asks for, like the rules commands (``language``: Bahasa
    Indonesia when JAMSOSTEK_LANG, LC_ALL or LANG says so, else English; Django alone would use
    the web app's Indonesian default for the translated parts, such as an import's summary, in the
    middle of English output). The web pages keep choosing their language per request.

    A domain error a command lets through (a service refusing a value or an actor) is one line
    naming the field, and exit status 2, as the rules commands do: never a traceback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jamsostek.web.settings")
    import django
    from django.core.management import execute_from_command_line
    from django.utils import translation

    from jamsostek.core.errors import DomainError, from_rules

    django.setup()
    translation.activate(language())
    try:
        execute_from_command_line(["jamsostek", *argv])
    except DomainError as error:
        fail(str(error))
    except RulesError as error:
        fail(str(from_rules(error)))
    return 0


def _check_segment(argv: list[str]) -> None:
    """An unknown segment gets the same one-line error as any other bad field."""
    if len(argv) >= 2 and argv[0] == "contribution" and not argv[1].startswith("-") and argv[1] not in SEGMENTS:
        fail_input(InvalidInput("segment", "unknown_segment", value=argv[1]))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

__all__ = ["EXIT_BAD_INPUT", "language", "main"]
