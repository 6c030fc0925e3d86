"""The contributions API: a session for every call, who may bill and post payments, and each
officer's view limited to their region's bills."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.test import Client

from jamsostek.contributions.models import Bill, Payment
from jamsostek.contributions.services import billing_run
from jamsostek.rules.periods import Month
from tests.conftest import KETAPANG, SAMBAS, Personas
from tests.contributions.conftest import Billed

API = "/api/contributions"
MARCH = Month(2025, 3)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_contributions_call_needs_a_session(billed: Billed) -> None:
    anonymous = Client()
    for path in ("/bills", "/bills/1", "/arrears", "/sponsor-budgets",
                 "/memberships/1/status?first=2025-01&last=2025-03",
                 "/cohort-cost?workers=10&months=12&first_month=2026-01"):  # fmt: skip
        response = anonymous.get(API + path)
        assert response.status_code == 401, path
        assert response.json()["code"] == "not_authenticated"
    for path, body in (("/billing-runs", {"period": "2025-03"}), ("/payments", {})):
        response = anonymous.post(API + path, body, content_type="application/json")
        assert response.status_code == 401, path
    assert Bill.objects.count() == 0


def test_a_province_wide_editor_bills_a_month_once_through_the_api(billed: Billed, personas: Personas) -> None:
    client = client_for(personas.bpjs)
    first = client.post(API + "/billing-runs", {"period": "2025-03"}, content_type="application/json")
    assert first.status_code == 201
    body = first.json()
    assert (body["period"], body["bills"], body["lines"], body["total"]) == ("2025-03", 7, 7, 1_384_000)
    assert body["warnings"] == []  # 2025's public holidays are in the calendar
    again = client.post(API + "/billing-runs", {"period": "2025-03"}, content_type="application/json").json()
    assert (again["bills"], again["already_billed"]) == (0, 7)
    assert Bill.objects.filter(period=MARCH.first_day).count() == 7
    later = client.post(API + "/billing-runs", {"period": "2026-12"}, content_type="application/json").json()
    assert later["warnings"] == [  # in the user's language (Indonesian unless they switched)
        "hari libur nasional tahun 2027 belum ada di kalender: tanggal jatuh tempo 2027-01-15 hanya bergeser karena "
        "akhir pekan"
    ]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.post(API + "/billing-runs", {"period": "2027-01"}, content_type="application/json").json()
    assert english["bills"] > 0
    assert english["warnings"] == [
        "the public holidays of 2027 are not in the calendar: the due date 2027-02-15 moves for weekends only",
        "the public holidays of 2027 are not in the calendar: the due date 2027-01-15 moves for weekends only",
    ]
    wrong = client.post(API + "/billing-runs", {"period": "2025-13"}, content_type="application/json")
    assert wrong.status_code == 422  # the schema states the month's form (it was 400, found by the rules)
    assert wrong.json()["field"] == "period"


def test_only_province_wide_editors_bill_and_post_payments(billed: Billed, personas: Personas) -> None:
    billing_run(actor=None, period=MARCH)
    bill = Bill.objects.get(payer_key=f"participant:{billed.farmer.pk}", period=MARCH.first_day)
    payment = {"transaction_reference": "BANK-1", "payment_reference": bill.reference, "amount": 10_000,
               "paid_on": "2025-03-10"}  # fmt: skip
    for user in (personas.analyst, personas.ketapang, personas.agency):
        client = client_for(user)
        assert (
            client.post(API + "/billing-runs", {"period": "2025-04"}, content_type="application/json").status_code
            == 403
        )
        assert client.post(API + "/payments", payment, content_type="application/json").status_code == 403
    assert not Bill.objects.filter(period=date(2025, 4, 1)).exists()
    assert Payment.objects.count() == 0
    posted = client_for(personas.admin).post(API + "/payments", payment, content_type="application/json")
    assert posted.status_code == 201
    assert posted.json()["allocations"] == [{"bill": bill.reference, "amount": 10_000}]
    twice = client_for(personas.admin).post(API + "/payments", payment, content_type="application/json")
    assert twice.status_code == 409  # a bank transaction is posted once
    assert Payment.objects.count() == 1


def test_an_officer_sees_only_their_regencys_bills(billed: Billed, personas: Personas) -> None:
    billing_run(actor=None, period=MARCH)
    everyone = {row["id"] for row in client_for(personas.analyst).get(API + "/bills?limit=100").json()["items"]}
    assert len(everyone) == Bill.objects.count()
    for user, regency in ((personas.ketapang, KETAPANG), (personas.sambas, SAMBAS)):
        rows = client_for(user).get(API + "/bills?limit=100").json()["items"]
        assert rows
        assert {row["regency"] for row in rows} == {regency}
        assert {row["id"] for row in rows} == set(Bill.objects.filter(regency_id=regency).values_list("id", flat=True))
        other = Bill.objects.exclude(regency_id=regency).first()
        assert other is not None
        assert client_for(user).get(f"{API}/bills/{other.pk}").status_code == 404
    officer = client_for(personas.sambas)
    personas.sambas.is_active = False  # a deactivated account's open session stops working
    personas.sambas.save()
    assert officer.get(API + "/bills").status_code == 401
