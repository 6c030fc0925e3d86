"""``current()``: one ``Indicators`` per process and denominator kind, rebuilt when the facts, a
denominator or a target change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jamsostek.coverage.bulk.compute import recompute
from jamsostek.coverage.indicators import current
from jamsostek.coverage.models import Computation, CoverageFact, Denominator, Target
from jamsostek.rules.periods import Month
from tests.conftest import Personas, World
from tests.coverage.conftest import computed, denominator, fact, target

MARCH = Month(2025, 3)


def test_current_is_shared_while_nothing_changes_and_kept_per_denominator_kind(db: Any) -> None:
    fact("2025-03", "61.04.01", 10)
    denominator("61.04", "2024-08", 100)
    computed("2025-03", "2025-03")
    employed = current("employed")
    assert current("employed") is employed
    potential = current("potential")
    assert potential is not employed
    assert current("potential") is potential
    assert (employed.kind, potential.kind) == ("employed", "potential")


def test_a_recompute_makes_current_read_the_new_facts(world: World) -> None:
    fact("2025-03", "61.04.01", 10)  # written by hand; the registry has no bill, so nobody is protected
    computed("2025-03", "2025-03")
    before = current()
    assert before.figure("61", MARCH).participants == 10

    recompute(first=MARCH, last=MARCH)
    after = current()
    assert after is not before
    assert after.months == [MARCH]  # computed, with nobody protected: a result, not a gap
    assert after.figure("61", MARCH).participants == 0


def test_a_new_or_changed_denominator_makes_current_stale(db: Any) -> None:
    fact("2025-03", "61.04.01", 10)
    computed("2025-03", "2025-03")
    first = current()
    assert first.figure("61.04", MARCH).ucj is None

    row = denominator("61.04", "2024-08", 100)
    second = current()
    assert second is not first
    assert second.figure("61.04", MARCH).ucj == Decimal("10.00")

    row.value = 200
    row.save()
    third = current()
    assert third is not second
    assert third.figure("61.04", MARCH).ucj == Decimal("5.00")

    Denominator.objects.filter(pk=row.pk).delete()
    assert current().figure("61.04", MARCH).ucj is None


def test_a_new_or_changed_target_makes_current_stale(db: Any) -> None:
    fact("2025-03", "61.04.01", 10)
    denominator("61.04", "2024-08", 100)
    computed("2025-03", "2025-03")
    first = current()
    assert first.figure("61.04", MARCH).gap is None

    row = target("61", 2025, "20.00")
    second = current()
    assert second is not first
    assert second.figure("61.04", MARCH).gap == 10

    row.percent = Decimal("30.00")
    row.save()
    third = current()
    assert third is not second
    assert third.figure("61.04", MARCH).gap == 20

    Target.objects.filter(pk=row.pk).delete()
    assert current().figure("61.04", MARCH).gap is None


# --- the API's kept answers ---------------------------------------------------------------------


def test_an_api_answer_is_kept_while_nothing_changes_and_redone_after_a_change(
    province: None, personas: Personas, django_assert_max_num_queries: Any
) -> None:
    from django.test import Client

    client = Client()
    client.force_login(personas.analyst)
    first = client.get("/api/coverage/summary")
    assert first.status_code == 200
    with django_assert_max_num_queries(2):  # the session and the user; no indicator is read again
        again = client.get("/api/coverage/summary")
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]

    row = Denominator.objects.get(region_id="61", kind="employed")
    row.value = 40_000
    row.save()  # as the back office or an import does: the stamp is read again at once
    changed = client.get("/api/coverage/summary").json()
    assert (changed["denominator"]["value"], changed["ucj"]) == (40_000, "5.78")  # 2,310 / 40,000


def test_a_change_made_by_another_process_shows_once_the_stamp_is_read_again(
    province: None, personas: Personas, monkeypatch: Any
) -> None:
    from django.test import Client

    from jamsostek.coverage import indicators

    client = Client()
    client.force_login(personas.analyst)
    assert client.get("/api/coverage/summary").json()["participants"] == 2310
    # another process recomputes: no signal reaches this one
    Computation.objects.bulk_create([Computation(first=date(2025, 3, 1), last=date(2025, 3, 1), as_of=date(2025, 4, 1),
                                                 computed_at=timezone.now(), seconds=0.1, rows=0)])  # fmt: skip
    CoverageFact.objects.filter(district="61.04.01", period=date(2025, 3, 1), segment="all").update(persons=1130)
    assert client.get("/api/coverage/summary").json()["participants"] == 2310  # within STAMP_SECONDS
    monkeypatch.setattr(indicators, "STAMP_SECONDS", 0.0)
    assert client.get("/api/coverage/summary").json()["participants"] == 3310


def test_a_kept_answer_is_still_refused_to_whoever_may_not_see_it(province: None, personas: Personas) -> None:
    from django.test import Client

    analyst, sambas = Client(), Client()
    analyst.force_login(personas.analyst)
    sambas.force_login(personas.sambas)
    for path in ("/api/coverage/regions/61.04", "/api/coverage/regions/61.04/trend", "/api/coverage/summary"):
        assert analyst.get(path).status_code == 200
        assert sambas.get(path).status_code == 403, path
    assert analyst.get("/api/coverage/regions/99.99").status_code == 404
    assert sambas.get("/api/coverage/regions/99.99").status_code == 404


def test_answers_in_each_language_are_kept_apart(province: None, personas: Personas) -> None:
    from django.test import Client

    client = Client()
    client.force_login(personas.analyst)
    indonesian = client.get("/api/coverage/summary").json()["denominator"]["label"]
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/api/coverage/summary").json()["denominator"]["label"]
    assert indonesian != english
    assert "Sakernas" in english
