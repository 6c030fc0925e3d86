"""The source keys cited by the parameter files resolve inside the repository (rules/sources.yaml)."""

from __future__ import annotations

import pytest

from jamsostek.rules.errors import ParameterError
from jamsostek.rules.parameterset import default_parameters
from jamsostek.rules.sources import cited_keys, load_sources, parse_sources


def test_every_cited_source_key_is_listed() -> None:
    listed = load_sources()
    missing = {key: where for key, where in cited_keys(default_parameters()).items() if key not in listed}
    assert missing == {}


def test_every_listed_source_key_is_cited() -> None:
    cited = cited_keys(default_parameters())
    unused = sorted(key for key in load_sources() if key not in cited)
    assert unused == []


def test_the_parameters_cite_sources() -> None:
    # Not vacuous: most values name their evidence.
    assert len(cited_keys(default_parameters())) >= 60


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"SRC-A": {}}, "needs url and/or about"),
        ({"src-a": {"url": "https://example.org"}}, "not a source key"),
        ({"SRC-A": {"url": "example.org"}}, "http(s) address"),
        ({"SRC-A": {"url": "https://example.org", "title": "x"}}, "unknown key"),
        ({}, "non-empty mapping"),
    ],
)
def test_it_refuses_a_malformed_sources_file(data: object, message: str) -> None:
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_sources(data, "sources.yaml")
