"""Answers kept per process (``core.kept``): one build per key at a time, rebuilt when the data changes."""

from __future__ import annotations

import threading
import time

import pytest

from jamsostek.core.kept import Kept


def test_requests_during_a_cold_build_wait_for_it_instead_of_building_again() -> None:
    builds: list[int] = []
    kept: Kept[str] = Kept(4, lambda: (1,))

    def build() -> str:
        builds.append(1)
        time.sleep(0.3)  # seconds of work, like a province's arrears
        return "answer"

    answers: list[tuple[str, bool]] = []
    threads = [threading.Thread(target=lambda: answers.append(kept.get("arrears", build))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    assert sorted(answers) == [("answer", False)] + [("answer", True)] * 7


def test_different_keys_are_built_at_the_same_time() -> None:
    """A regency's answer does not wait behind the province's: each build waits for the other to
    start, which only ends if they run at once."""
    kept: Kept[str] = Kept(4, lambda: (1,))
    started = {key: threading.Event() for key in ("province", "61.04")}

    def build(key: str, other: str) -> str:
        started[key].set()
        assert started[other].wait(timeout=5), f"{key} was built alone"
        return key

    results: dict[str, str] = {}

    def ask(key: str, other: str) -> None:
        results[key] = kept.get(key, lambda: build(key, other))[0]

    threads = [
        threading.Thread(target=ask, args=("province", "61.04")),
        threading.Thread(target=ask, args=("61.04", "province")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"province": "province", "61.04": "61.04"}


def test_an_answer_is_built_again_when_its_data_changes() -> None:
    stamp = [1]
    kept: Kept[int] = Kept(4, lambda: (stamp[0],))
    assert kept.get("key", lambda: 10) == (10, False)
    assert kept.get("key", lambda: 11) == (10, True)
    stamp[0] = 2
    assert kept.get("key", lambda: 12) == (12, False)


def test_a_failed_build_keeps_nothing_and_the_next_request_builds() -> None:
    kept: Kept[int] = Kept(4, lambda: (1,))

    def fail() -> int:
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        kept.get("key", fail)
    assert kept.get("key", lambda: 5) == (5, False)
    assert not kept._building  # no lock left behind per key
