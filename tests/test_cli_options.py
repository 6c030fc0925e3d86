"""A bad date or month given to a command is one line naming the option, exit status 2."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["arrears", "--as-of", "31-12-2025"], "as-of: not a date YYYY-MM-DD: '31-12-2025'"),
        (["payments", "simulate", "--as-of", "2026-13-01"], "as-of: not a date YYYY-MM-DD: '2026-13-01'"),
        (["coverage", "recompute", "--first", "2025-01", "--last", "2025-02", "--as-of", "x"],
         "as-of: not a date YYYY-MM-DD: 'x'"),
        (["synth", "--as-of", "yesterday"], "as-of: not a date YYYY-MM-DD: 'yesterday'"),
        (["billing", "run", "--period", "2025-13"], "period"),
        (["coverage", "recompute", "--first", "March", "--last", "2025-02"], "first"),
    ],
)  # fmt: skip
def test_a_bad_date_or_month_names_the_option(arguments: list[str], message: str) -> None:
    with translation.override("en"), pytest.raises(CommandError) as raised:  # the message is translated
        call_command(*arguments)
    assert message in str(raised.value)
    assert raised.value.returncode == 2
