"""The sources the parameter files cite, by key (``sources.yaml`` beside ``parameters/``).

A parameter value names where its evidence was found (``sources: [SRC-KONTAN-DENDA]``); this file
says what each key is, so a reader of the repository can follow a citation without the research
note. ``load_sources`` reads and checks it; a test holds it and the parameters together.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from jamsostek.rules.errors import ParameterError
from jamsostek.rules.parameterset import ParameterSet
from jamsostek.rules.units import read_yaml, unknown_keys

SOURCES_FILE = Path(__file__).parent / "sources.yaml"
SOURCE_KEYS = {"url", "about"}
_KEY = re.compile(r"^SRC-[A-Z0-9]+(-[A-Z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a cited text was found: its address, and what it is when the address does not say."""

    key: str
    url: str | None
    about: str | None


def parse_sources(data: object, source: str) -> dict[str, Source]:
    """Check a sources mapping (``SRC-...: {url, about}``; one of the two at least) and build it."""
    if not isinstance(data, dict) or not data:
        raise ParameterError(source, "a sources file is a non-empty mapping of SRC-... keys")
    sources: dict[str, Source] = {}
    for key, entry in data.items():
        if not isinstance(key, str) or not _KEY.match(key):
            raise ParameterError(source, f"{key!r} is not a source key (SRC-UPPER-CASE-PARTS)")
        if not isinstance(entry, dict):
            raise ParameterError(source, f"{key}: needs url and/or about")
        unknown_keys(source, key, entry, SOURCE_KEYS)
        url, about = entry.get("url"), entry.get("about")
        if url is not None and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
            raise ParameterError(source, f"{key}: url must be an http(s) address, got {url!r}")
        if about is not None and (not isinstance(about, str) or not about.strip()):
            raise ParameterError(source, f"{key}: about must be text")
        if url is None and about is None:
            raise ParameterError(source, f"{key}: needs url and/or about")
        sources[key] = Source(key, url, about)
    return sources


@functools.cache
def load_sources(path: Path = SOURCES_FILE) -> dict[str, Source]:
    """The sources file shipped with the package (read once)."""
    return parse_sources(read_yaml(path.read_text("utf-8"), str(path)), str(path))


def cited_keys(parameters: ParameterSet) -> dict[str, list[str]]:
    """Each source key cited by a parameter value, with the values (``name from date``) citing it."""
    cited: dict[str, list[str]] = {}
    for parameter in parameters:
        for entry in parameter.entries:
            for key in entry.sources:
                cited.setdefault(key, []).append(f"{parameter.name} from {entry.start}")
    return cited
