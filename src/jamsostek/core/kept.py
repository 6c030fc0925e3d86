"""Answers kept per process while the data they show is unchanged.

An answer is kept with the stamp of its data (a small tuple read cheaply: the last computation, the
largest ids of the tables it reads...) seen before it was built, and given again while the stamp is
the same. Access is not part of a key: callers check it on every request."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")
_everything: list[Kept[object]] = []


class Kept(Generic[T]):
    """At most ``size`` answers, the least recently used dropped first, each valid while ``stamp()``
    gives what it gave before the answer was built."""

    def __init__(self, size: int, stamp: Callable[[], tuple[object, ...]]) -> None:
        self.size = size
        self.stamp = stamp
        self._answers: OrderedDict[Hashable, tuple[tuple[object, ...], T]] = OrderedDict()
        self._lock = threading.Lock()
        _everything.append(self)  # type: ignore[arg-type]

    def get(self, key: Hashable, build: Callable[[], T]) -> tuple[T, bool]:
        """The answer kept for ``key`` and True, or ``build()`` (then kept) and False."""
        seen = self.stamp()
        with self._lock:
            kept = self._answers.get(key)
            if kept is not None and kept[0] == seen:
                self._answers.move_to_end(key)
                return kept[1], True
        value = build()
        with self._lock:
            self._answers[key] = (seen, value)
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)
        return value, False

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


def forget() -> None:
    """Drop every kept answer (tests)."""
    for kept in _everything:
        kept.clear()
