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
    gives what it gave before the answer was built.

    One build per key at a time: a request that finds no answer while another thread of the process
    is building it waits for that build instead of starting its own. (Every request that came during
    a cold build used to build too: the province's arrears, seconds of work each, were worked out by
    every server thread at once, and the lists of the whole server waited seconds.)"""

    def __init__(self, size: int, stamp: Callable[[], tuple[object, ...]]) -> None:
        self.size = size
        self.stamp = stamp
        self._answers: OrderedDict[Hashable, tuple[tuple[object, ...], T]] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, _Build] = {}
        _everything.append(self)  # type: ignore[arg-type]

    def get(self, key: Hashable, build: Callable[[], T]) -> tuple[T, bool]:
        """The answer kept for ``key`` and True, or ``build()`` (then kept) and False."""
        seen = self.stamp()
        with self._lock:
            kept = self._kept(key, seen)
            if kept is not None:
                return kept[1], True
            building = self._building.setdefault(key, _Build())
            building.waiting += 1
        try:
            with building.lock:
                with self._lock:
                    kept = self._kept(key, seen)  # built by another thread while this one waited
                if kept is not None:
                    return kept[1], True
                value = build()
                with self._lock:
                    self._answers[key] = (seen, value)
                    self._answers.move_to_end(key)
                    while len(self._answers) > self.size:
                        self._answers.popitem(last=False)
                return value, False
        finally:
            with self._lock:
                building.waiting -= 1
                if not building.waiting:
                    del self._building[key]

    def _kept(self, key: Hashable, seen: tuple[object, ...]) -> tuple[tuple[object, ...], T] | None:
        """The answer for ``key`` if it was built on the data ``seen`` (the caller holds the lock)."""
        kept = self._answers.get(key)
        if kept is None or kept[0] != seen:
            return None
        self._answers.move_to_end(key)
        return kept

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


class _Build:
    """The lock of one key's build, and how many threads hold or wait for it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.waiting = 0


def forget() -> None:
    """Drop every kept answer (tests)."""
    for kept in _everything:
        kept.clear()
