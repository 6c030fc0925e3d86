"""``jamsostek demo`` (``make demo``): the main job, on a tiny synthetic province."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone, translation

from jamsostek.contributions.models import Bill, Payment
from jamsostek.rules.periods import Month
from jamsostek.web.management.commands import demo


def run_demo(monkeypatch: pytest.MonkeyPatch, **options: Any) -> tuple[str, list[dict[str, Any]]]:
    """Runs the demo, with the server's start recorded instead of serving."""
    served: list[dict[str, Any]] = []

    def calling(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "serve":
            served.append(kwargs)
            return None
        return call_command(name, *args, **kwargs)

    monkeypatch.setattr(demo, "call_command", calling)
    out = io.StringIO()
    call_command("demo", scale=0.001, stdout=out, **options)
    return out.getvalue(), served


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the regions are reference data
def test_demo_builds_a_billed_paid_province_prints_working_logins_and_serves(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with translation.override("id"):  # the demo's own lines in the user's language too
        text, served = run_demo(monkeypatch, workers=3, port=8123)
    for line in ("Provinsi sintetis skala 0.001", "Penagihan ", "Login demo (kata sandi baru",
                 "Buka http://127.0.0.1:8123/ lalu login."):  # fmt: skip
        assert line in text, (line, text)
    steps = capsys.readouterr().out  # what the steps (synth, billing, ...) print themselves
    for line in ("dibuat ", " kepesertaan di ", "peserta aktif per ", "kab/kota", "cakupan"):
        assert line in steps, (line, steps)

    last = Month.of(timezone.localdate())
    months = {bill.period for bill in Bill.objects.only("period")}
    assert months == {last.plus(-k).first_day for k in range(12)}
    assert Payment.objects.exists()
    logins = dict(re.findall(r"^\s+(demo|ketapang)\s+(\S+)\s", text, flags=re.MULTILINE))
    assert set(logins) == {"demo", "ketapang"}
    admin = authenticate(username="demo", password=logins["demo"])
    officer = authenticate(username="ketapang", password=logins["ketapang"])
    assert admin is not None
    assert admin.is_staff
    assert officer is not None
    assert officer.region_id == "61.04"
    assert officer.is_staff  # the back office for their regency's records (it was not staff before)
    assert served == [{"port": 8123, "workers": 3}]

    bills = Bill.objects.count()
    with translation.override("en"):
        again, _served = run_demo(monkeypatch, no_serve=True)
    assert "Synthetic province: already loaded, kept" in again
    assert "Demo logins (new passwords on every run):" in again
    assert Bill.objects.count() == bills  # billing the same months again issues nothing new
    assert _served == []
    old = logins["demo"]
    assert authenticate(username="demo", password=old) is None  # new passwords on every run


def test_the_demo_serves_with_two_processes_only_where_it_can(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo.os, "cpu_count", lambda: 4)
    assert demo.default_workers() == (2 if hasattr(demo.os, "fork") else 1)
    monkeypatch.setattr(demo.os, "cpu_count", lambda: 1)
    assert demo.default_workers() == 1
    monkeypatch.setattr(demo.os, "cpu_count", lambda: None)
    assert demo.default_workers() == 1
