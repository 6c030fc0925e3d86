"""A claim from the event to the payment, through the services: the checklist, two pairs of eyes,
decisions from the rules package kept whole, corrections, payments and their schedules, and every
step audited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from jamsostek.claims import assessment, selectors, services
from jamsostek.claims import facts as registry_facts
from jamsostek.claims.models import Claim, ClaimDecision, State
from jamsostek.core.errors import Conflict, Forbidden, InvalidField, NotFound
from jamsostek.core.models import AuditRecord
from jamsostek.rules.benefits import jkm_benefit
from tests.claims.conftest import PDF, complete, submit, verified
from tests.conftest import Personas, World


def test_a_jkm_claim_goes_from_the_death_to_the_payment_with_the_rules_amount_and_the_heirs(
    protected: World, personas: Personas
) -> None:
    claim = submit(protected, personas.ketapang)
    assert (claim.state, claim.protection, claim.regency_id) == (State.SUBMITTED, "protected", "61.04")
    assert claim.membership == protected.pu
    required = sorted(claim.documents.filter(required=True).values_list("kind", flat=True))
    assert required == ["death_certificate", "heirs_ktp", "heirship_letter", "kk", "kpj_card", "ktp", "savings_book"]
    claim = complete(claim, personas.ketapang)
    assert (claim.state, claim.complete_on) == (State.COMPLETE, date(2025, 6, 10))
    claim = verified(claim, personas.bpjs)
    assert (claim.state, claim.verified_by) == (State.VERIFIED, personas.bpjs)
    decision = services.claim_decide(actor=personas.admin, claim=claim, reason="heirs' file complete")
    rules = jkm_benefit(death_date=date(2025, 5, 10), contribution_months=5)
    assert (decision.outcome, decision.total) == ("approved", rules.total) == ("approved", 42_000_000)
    assert [line["key"] for line in decision.lines] == ["jkm.lump_sum", "jkm.periodic", "jkm.funeral"]
    assert decision.legal_basis == rules.legal_basis
    assert decision.heirs is not None
    assert [heir["name"] for heir in decision.heirs["entitled"]] == ["Sri Wahyuni", "Rina"]
    assert decision.parameters["benefits.jkm.lump_sum"]["value"] == 20_000_000
    assert decision.parameters["benefits.jkm.lump_sum"]["reference"] == "PP 82/2019 art. 34(1)(a)"
    assert decision.inputs["contribution_months"] == 5  # January to May 2025 billed and paid
    payment = services.claim_pay(actor=personas.bpjs, claim=claim, bank_reference="BNI-778812",
                                 paid_on=date(2025, 6, 10), reason="transfer to the widow's account")  # fmt: skip
    claim.refresh_from_db()
    assert (claim.state, claim.paid_on, payment.amount, payment.bank_reference) == (
        State.PAID, date(2025, 6, 10), 42_000_000, "BNI-778812")  # fmt: skip
    states = [
        change["state"][1]
        for change in AuditRecord.objects.filter(entity="claims.claim", entity_id=str(claim.pk))
        .order_by("id").values_list("changes", flat=True)
        if "state" in change
    ]  # fmt: skip
    assert states == ["submitted", "documents_complete", "verified", "approved", "paid"]
    assert AuditRecord.objects.filter(entity="claims.claimdocument").count() == 14  # 7 received, 7 verified
    assert AuditRecord.objects.get(entity="claims.claimdecision").actor == personas.admin


def test_the_officer_who_verified_a_claim_may_not_decide_it(protected: World, personas: Personas) -> None:
    claim = verified(submit(protected), personas.bpjs)
    with pytest.raises(Forbidden) as refused:
        services.claim_decide(actor=personas.bpjs, claim=claim, reason="my own")
    assert "another officer" in refused.value.message
    assert services.claim_decide(actor=personas.admin, claim=claim, reason="second pair of eyes").outcome == "approved"


def test_each_step_is_for_the_roles_that_take_it(protected: World, personas: Personas) -> None:
    with pytest.raises(Forbidden):
        submit(protected, personas.analyst)
    with pytest.raises(NotFound):  # a Ketapang participant does not exist for the Sambas officer
        submit(protected, personas.sambas)
    claim = complete(submit(protected, personas.ketapang), personas.ketapang)
    with pytest.raises(Forbidden):  # a regency officer takes claims in, BPJS verifies them
        services.claim_verify(actor=personas.ketapang, claim=claim, reason="mine")
    with pytest.raises(NotFound):  # another regency's claim does not exist for its officer
        selectors.claim_get(visible_to=personas.sambas, pk=claim.pk)
    with pytest.raises(NotFound):
        services.claim_update(actor=personas.sambas, claim=claim, event_place="Sambas", reason="not mine")


def test_an_agency_takes_in_its_staffs_claims_only(protected: World, personas: Personas) -> None:
    nurse = submit(protected, personas.agency, nik=protected.nurse.nik, relatives=[], claimant_relation="participant",
                   program="jkk", event_kind="temporary_incapacity", cause="work_accident")  # fmt: skip
    assert (nurse.employer, nurse.regency_id) == (protected.agency, "61.04")
    with pytest.raises(NotFound):
        submit(protected, personas.agency)  # the company's worker is not the agency's staff


def test_a_participant_not_protected_on_the_event_date_is_decided_ineligible_with_the_reason(
    protected: World, personas: Personas
) -> None:
    """The Sambas company paid no bill: in April its worker's bills of February, March and April are
    all unpaid past their due dates. Not an error: a decision."""
    claim = submit(protected, nik=protected.sambas_worker.nik, program="jkk", event_kind="temporary_incapacity",
                   cause="work_accident", relatives=[], claimant_relation="participant",
                   event_date=date(2025, 4, 10))  # fmt: skip
    assert claim.protection == "unpaid"
    decision = services.claim_decide(actor=personas.admin, claim=verified(claim, personas.bpjs), reason="decide")
    assert (decision.outcome, decision.eligible, decision.code, decision.total) == ("rejected", False,
                                                                                   "not_protected", 0)  # fmt: skip
    assert "not protected on the event date" in decision.reason
    assert not decision.payments.exists()
    jkm = submit(protected, nik=protected.sambas_worker.nik, event_date=date(2025, 4, 10))
    decision = services.claim_decide(actor=personas.admin, claim=verified(jkm, personas.bpjs), reason="decide")
    assert (decision.outcome, decision.code) == ("rejected", "not_active")
    assert decision.legal_basis == "PP 82/2019 art. 34(1)(a)"


def test_a_jkp_claim_after_its_deadline_is_rejected_with_the_article(protected: World, personas: Personas) -> None:
    """Terminated on 2 December 2024 (PP 37/2021: 3 months, UNCONFIRMED) and claimed in June 2025."""
    claim = submit(protected, program="jkp", event_kind="termination", event_date=date(2024, 12, 2), cause="",
                   relatives=[], claimant_relation="participant")  # fmt: skip
    clock = {c.key: c for c in assessment_clocks(claim)}["jkp_claim"]
    assert (clock.due, clock.status(date(2025, 6, 10))) == (date(2025, 3, 2), "late")
    decision = services.claim_decide(actor=personas.admin, claim=verified(claim, personas.bpjs), reason="decide")
    assert (decision.outcome, decision.code) == ("rejected", "too_few_months")  # bills only from January 2025
    assert decision.legal_basis.startswith("PP 37/2021")


def test_a_jkp_claim_claimed_too_late_is_rejected_for_the_deadline(
    protected: World, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With enough contribution months (the contributions stubbed: 20 of the last 24, 20 in a row),
    the deadline decides: terminated 1 December 2024, claimed 10 June 2025, after 1 March 2025."""
    monkeypatch.setattr(registry_facts, "months_before", lambda *args, **kwargs: (20, 20))
    claim = submit(protected, program="jkp", event_kind="termination", event_date=date(2024, 12, 1), cause="",
                   relatives=[], claimant_relation="participant")  # fmt: skip
    decision = services.claim_decide(actor=personas.admin, claim=verified(claim, personas.bpjs), reason="decide")
    assert (decision.outcome, decision.code) == ("rejected", "claim_deadline_passed")
    assert "after the deadline 2025-03-01" in decision.reason
    assert decision.legal_basis == "PP 37/2021"


def assessment_clocks(claim: Claim) -> list[Any]:
    from jamsostek.claims.service_levels import clocks

    return clocks(claim)


def test_a_second_claim_for_the_same_event_is_refused(protected: World) -> None:
    first = submit(protected)
    with pytest.raises(Conflict) as refused:
        submit(protected)
    assert (refused.value.field, refused.value.code) == ("event_date", "duplicate")
    assert first.number in refused.value.message
    assert submit(protected, program="scholarship").program == "scholarship"  # another program, same death
    with pytest.raises(Conflict):  # a death is claimed under JKM or JKK, not both
        submit(protected, program="jkk", cause="work_accident")


def test_a_document_of_the_wrong_type_or_size_is_refused_with_the_reason(protected: World) -> None:
    claim = submit(protected)
    with pytest.raises(InvalidField) as refused:
        services.claim_document_receive(actor=None, claim=claim, kind="ktp", data=b"MZ\x90\x00 an executable",
                                        name="ktp.pdf", reason="upload")  # fmt: skip
    assert (refused.value.field, refused.value.code) == ("file", "file_type")
    with pytest.raises(InvalidField) as refused:
        services.claim_document_receive(actor=None, claim=claim, kind="ktp", data=PDF + b"0" * 5 * 1024 * 1024,
                                        name="ktp.pdf", reason="upload")  # fmt: skip
    assert refused.value.code == "too_large"
    assert "at most 5 MB" in refused.value.message
    with pytest.raises(InvalidField) as refused:
        services.claim_document_receive(actor=None, claim=claim, kind="police_report", data=PDF, reason="upload")
    assert refused.value.field == "kind"
    assert claim.documents.get(kind="ktp").state == "missing"


def test_a_received_document_is_stored_under_the_data_directory_with_its_checksum(
    protected: World, settings: Any
) -> None:
    claim = submit(protected)
    document = services.claim_document_receive(actor=None, claim=claim, kind="ktp", data=PDF, name="KTP budi.pdf",
                                               reason="upload")  # fmt: skip
    stored = settings.DATA_DIR / document.file
    assert stored.read_bytes() == PDF
    assert stored.parent == settings.DATA_DIR / "claims" / str(claim.pk)
    assert (document.content_type, document.size, document.original_name) == ("application/pdf", len(PDF),
                                                                                 "KTP budi.pdf")  # fmt: skip
    assert len(document.sha256) == 64


def test_a_returned_document_makes_the_documents_incomplete_again(protected: World, personas: Personas) -> None:
    claim = complete(submit(protected))
    services.claim_document_return(actor=personas.bpjs, claim=claim, kind="heirship_letter",
                                   note="not signed by the camat", reason="checked")  # fmt: skip
    claim.refresh_from_db()
    assert (claim.state, claim.complete_on) == (State.SUBMITTED, None)
    assert claim.documents.get(kind="heirship_letter").note == "not signed by the camat"
    with pytest.raises(Conflict):
        services.claim_verify(actor=personas.bpjs, claim=claim, reason="too early")


def test_a_decided_claim_is_not_edited_and_a_correction_is_a_new_decision_naming_the_old(
    protected: World, personas: Personas
) -> None:
    claim = verified(submit(protected, program="jht", event_kind="resignation", event_date=date(2025, 4, 1),
                            cause="", relatives=[], claimant_relation="participant",
                            facts={"balance": 12_000_000}), personas.bpjs)  # fmt: skip
    first = services.claim_decide(actor=personas.admin, claim=claim, reason="balance as BPJS holds it")
    assert (first.outcome, first.total) == ("approved", 12_000_000)
    with pytest.raises(Conflict):
        services.claim_update(actor=personas.admin, claim=claim, event_place="Ketapang", reason="edit")
    second = services.claim_correct(actor=personas.admin, claim=claim, stated={"balance": 12_650_000},
                                    note="the balance with the 2025 returns", reason="correction")  # fmt: skip
    first.refresh_from_db()
    assert (first.total, first.sequence) == (12_000_000, 1)  # the first decision stays as it was
    assert (second.sequence, second.corrects, second.total) == (2, first, 12_650_000)
    payments = list(claim.payments.order_by("sequence").values_list("amount", "state", "decision"))
    assert payments == [(12_000_000, "cancelled", first.pk), (12_650_000, "scheduled", second.pk)]
    with pytest.raises(Forbidden):  # the verifier may not correct either
        services.claim_correct(actor=personas.bpjs, claim=claim, note="mine", reason="mine")


def test_a_claim_is_corrected_before_its_first_payment_only(protected: World, personas: Personas) -> None:
    claim = verified(submit(protected), personas.bpjs)
    services.claim_decide(actor=personas.admin, claim=claim, reason="decide")
    services.claim_pay(actor=personas.admin, claim=claim, bank_reference="BNI-1", paid_on=date(2025, 6, 10),
                       reason="paid")  # fmt: skip
    with pytest.raises(Conflict):
        services.claim_correct(actor=personas.admin, claim=claim, note="late", reason="late")
    with pytest.raises(Conflict):  # the lump sum is paid: nothing more is due
        services.claim_pay(actor=personas.admin, claim=claim, bank_reference="BNI-2", paid_on=date(2025, 6, 10),
                           reason="twice")  # fmt: skip


def test_an_officer_may_reject_an_eligible_claim_only_with_the_article(protected: World, personas: Personas) -> None:
    claim = verified(submit(protected), personas.bpjs)
    with pytest.raises(InvalidField) as refused:
        services.claim_decide(actor=personas.admin, claim=claim, refusal="forged death certificate", reason="fraud")
    assert refused.value.field == "article"
    decision = services.claim_decide(actor=personas.admin, claim=claim, refusal="forged death certificate",
                                     article="UU 24/2011 art. 55", reason="fraud")  # fmt: skip
    assert (decision.outcome, decision.eligible, decision.code, decision.legal_basis, decision.total) == (
        "rejected", True, "refused_by_officer", "UU 24/2011 art. 55", 0)  # fmt: skip
    assert decision.lines  # what the rules would have paid is kept with the refusal


def test_reading_a_decided_claim_never_asks_the_rules_again(
    protected: World, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A later law change never rewrites a decided claim: its lines, citations and parameters are kept."""
    claim = verified(submit(protected), personas.bpjs)
    services.claim_decide(actor=personas.admin, claim=claim, reason="decide")

    def changed_law(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the rules were asked again")

    monkeypatch.setattr(assessment, "assess", changed_law)
    kept = ClaimDecision.objects.get(claim=claim)
    assert (kept.total, kept.parameters["benefits.jkm.funeral"]["value"]) == (42_000_000, 10_000_000)


def test_a_jp_claim_before_pension_age_is_rejected_with_the_age(protected: World, personas: Personas) -> None:
    claim = verified(submit(protected, nik=protected.ketapang_worker.nik, program="jp", event_kind="old_age",
                            event_date=date(2025, 6, 1), cause="", relatives=[], claimant_relation="participant",
                            facts={"average_indexed_wage": 4_000_000}), personas.bpjs)  # fmt: skip
    assert protected.ketapang_worker.birth_date == date(1990, 8, 17)  # far from pension age: ineligible
    decision = services.claim_decide(actor=personas.admin, claim=claim, reason="decide")
    assert (decision.outcome, decision.code) == ("rejected", "below_pension_age")


def test_a_pension_decided_monthly_gets_twelve_payments(
    protected: World, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jamsostek.registry import services as registry

    """With 240 contribution months since 2005 (stubbed: the world's bills start in 2025), the rules
    give a monthly pension: twelve payments, the first on the decision day."""
    monkeypatch.setattr(registry_facts, "contribution_months", lambda *args, **kwargs: 240)
    monkeypatch.setattr(registry_facts, "first_start", lambda *args, **kwargs: date(2005, 1, 1))
    retiree = registry.person_register(actor=None, nik="6104011005650007", name="Pak Harun",
                                       birth_date=date(1965, 5, 10), sex="M", region_code="61.04.01",
                                       reason="setup")  # fmt: skip
    registry.membership_enrol(actor=None, person=retiree, segment="pu", employer=protected.company,
                              start_date=date(2024, 1, 1), wage=5_000_000, jp=True, reason="setup")  # fmt: skip
    claim = verified(submit(protected, nik=retiree.nik, program="jp", event_kind="old_age", event_date=date(2025, 6, 1),
                            cause="", relatives=[], claimant_relation="participant",
                            facts={"average_indexed_wage": 4_000_000}), personas.bpjs)  # fmt: skip
    decision = services.claim_decide(actor=personas.admin, claim=claim, reason="decide")
    assert (decision.outcome, decision.total) == ("approved", 800_000)  # 1% x 20 years x Rp4,000,000
    schedule = list(claim.payments.order_by("sequence").values_list("due_on", "amount", "what"))
    assert len(schedule) == 12
    assert schedule[0] == (date(2025, 6, 10), 800_000, "pension:2025-06")
    assert schedule[1] == (date(2025, 7, 1), 800_000, "pension:2025-07")
    assert schedule[-1] == (date(2026, 5, 1), 800_000, "pension:2026-05")


def test_a_scholarship_is_scheduled_for_each_school_year_the_rules_pay(protected: World, personas: Personas) -> None:
    """A death at work: the JKK scholarship (no minimum period) for a child in year 2 of SMP in the
    2024/2025 school year: SMP Rp2 million, then SMP year 3, three years of SMA at Rp3 million and
    five of higher education at Rp12 million, each as the rules pay it in that school year."""
    claim = verified(submit(protected, program="scholarship", cause="work_accident"), personas.bpjs)
    decision = services.claim_decide(actor=personas.admin, claim=claim, reason="decide")
    assert (decision.outcome, decision.total) == ("approved", 2_000_000)
    assert [line["key"] for line in decision.lines] == ["jkk.scholarship.child_1"]
    plan = list(claim.payments.order_by("sequence").values_list("what", "amount"))
    assert plan == [
        ("scholarship:2024/2025", 2_000_000), ("scholarship:2025/2026", 2_000_000),
        ("scholarship:2026/2027", 3_000_000), ("scholarship:2027/2028", 3_000_000),
        ("scholarship:2028/2029", 3_000_000), *[(f"scholarship:{y}/{y + 1}", 12_000_000) for y in range(2029, 2034)],
    ]  # fmt: skip
    assert claim.payments.filter(what="scholarship:2025/2026").get().due_on == date(2025, 7, 15)


def test_a_jkm_scholarship_needs_three_years_of_contributions(protected: World, personas: Personas) -> None:
    claim = verified(submit(protected, program="scholarship"), personas.bpjs)
    decision = services.claim_decide(actor=personas.admin, claim=claim, reason="decide")
    assert (decision.outcome, decision.code) == ("rejected", "nothing_payable")
    assert "5 contribution months; at least 36 are required" in decision.reason


def test_payments_follow_their_schedule_and_refuse_a_date_in_the_future(protected: World, personas: Personas) -> None:
    claim = verified(submit(protected, program="scholarship", cause="work_accident"), personas.bpjs)
    services.claim_decide(actor=personas.admin, claim=claim, reason="decide")
    with pytest.raises(InvalidField):
        services.claim_pay(actor=personas.admin, claim=claim, bank_reference="X", paid_on=date(2025, 6, 11),
                           reason="tomorrow")  # fmt: skip
    first = services.claim_pay(actor=personas.admin, claim=claim, bank_reference="BRI-1", paid_on=date(2025, 6, 10),
                               reason="first year")  # fmt: skip
    assert first.sequence == 1
    with pytest.raises(Conflict) as refused:  # the next school year's falls due on 15 July
        services.claim_pay(actor=personas.admin, claim=claim, bank_reference="BRI-2", paid_on=date(2025, 6, 10),
                           reason="second year paid early")  # fmt: skip
    assert (refused.value.field, refused.value.code) == ("paid_on", "not_due")
    claim.payments.filter(sequence=2).update(due_on=date(2025, 6, 1))
    with pytest.raises(Conflict) as refused:
        services.claim_pay(actor=personas.admin, claim=claim, bank_reference="BRI-1", paid_on=date(2025, 6, 10),
                           reason="same transfer")  # fmt: skip
    assert refused.value.field == "bank_reference"


def test_deadlines_are_kept_on_the_claim_and_listed_when_overdue(protected: World, personas: Personas) -> None:
    from jamsostek.claims import selectors

    accident = submit(protected, program="jkk", event_kind="temporary_incapacity", cause="work_accident",
                      event_date=date(2025, 6, 5), relatives=[], claimant_relation="participant")  # fmt: skip
    assert (accident.due_on, accident.due_what) == (date(2025, 6, 7), "jkk_report")
    jht = complete(submit(protected, program="jht", event_kind="resignation", event_date=date(2025, 4, 1), cause="",
                          relatives=[], claimant_relation="participant"))  # fmt: skip
    assert (jht.due_on, jht.due_what) == (date(2025, 6, 17), "payment")  # 5 working days after 10 June
    overdue = selectors.claim_list(visible_to=personas.bpjs, overdue_on=date(2025, 6, 10))
    assert list(overdue) == [accident]
    later = selectors.claim_list(visible_to=personas.bpjs, overdue_on=date(2025, 6, 18))
    assert list(later) == [accident, jht]
    assert list(selectors.claim_list(visible_to=personas.sambas, overdue_on=date(2025, 6, 18))) == []
    services.claim_document_receive(actor=None, claim=accident, kind="accident_report", data=PDF, reason="late")
    accident.refresh_from_db()
    assert accident.due_on is None
    report = {clock.key: clock for clock in assessment_clocks(accident)}["jkk_report"]
    assert report.status(date(2025, 6, 10)) == "late"
    assert (report.source, report.confirmed) == ("PP 44/2015 art. 43(2), 44(2): within 2x24 hours", True)
    limit = {clock.key: clock for clock in assessment_clocks(accident)}["jkk_claim"]
    assert (limit.due, limit.status(date(2025, 6, 10)), limit.source, limit.confirmed) == (
        date(2030, 6, 5), "met", "PP 82/2019 art. 26", True)  # fmt: skip


def test_a_jkk_claim_more_than_two_years_after_a_2018_accident_is_rejected_as_lapsed(
    protected: World, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PP 44/2015 art. 26: the right lapses 2 years after the accident (5 years only since PP 82/2019).
    The protection and the wage of 2018 are stubbed: the test world's bills start in 2025."""
    from jamsostek.contributions.selectors.status import PROTECTED

    monkeypatch.setattr(registry_facts, "protection_on", lambda *args, **kwargs: PROTECTED)
    monkeypatch.setattr(registry_facts, "last_wage", lambda *args, **kwargs: 5_000_000)
    claim = submit(protected, program="jkk", event_kind="temporary_incapacity", cause="work_accident",
                   event_date=date(2018, 6, 1), relatives=[], claimant_relation="participant")  # fmt: skip
    limit = {clock.key: clock for clock in assessment_clocks(claim)}["jkk_claim"]
    # PP 82/2019 raised the limit to 5 years on 2 December 2019, while this right was running
    assert (limit.due, limit.status(date(2025, 6, 10)), limit.source, limit.confirmed) == (
        date(2020, 6, 1), "late", "PP 44/2015 art. 26", False)  # fmt: skip
    from jamsostek.claims.service_levels import jkk_claim_limit

    assert jkk_claim_limit(date(2017, 12, 1)) == (date(2019, 12, 1), "PP 44/2015 art. 26", True)
    decision = services.claim_decide(actor=personas.admin, claim=verified(claim, personas.bpjs), reason="decide")
    assert (decision.outcome, decision.code, decision.legal_basis) == (
        "rejected",
        "claim_right_lapsed",
        "PP 44/2015 art. 26",
    )
    assert "the right to JKK benefits has lapsed" in decision.reason


def test_a_jkk_claim_is_for_a_work_cause_and_a_jkm_claim_for_another(protected: World) -> None:
    with pytest.raises(InvalidField) as refused:
        submit(protected, program="jkk", event_kind="death", cause="illness")
    assert refused.value.field == "cause"
    with pytest.raises(InvalidField):
        submit(protected, program="jkm", cause="work_accident")
    with pytest.raises(InvalidField) as refused:
        submit(protected, program="jkm", event_kind="resignation")
    assert refused.value.field == "event_kind"
    with pytest.raises(InvalidField) as refused:
        submit(protected, event_date=date(2025, 6, 11))
    assert refused.value.field == "event_date"


def test_a_relative_the_rules_do_not_know_is_refused_naming_the_field(protected: World) -> None:
    with pytest.raises(InvalidField) as refused:
        submit(protected, relatives=[{"relation": "neighbour", "name": "Pak RT"}])
    assert refused.value.field == "relation"
    with pytest.raises(InvalidField) as refused:
        submit(protected, relatives=[{"relation": "anak", "name": "Rina", "level": "kindergarten-ish"}])
    assert refused.value.field == "level"


def test_a_temporary_incapacity_is_paid_from_the_wage_reported_on_the_accident_day(
    protected: World, personas: Personas
) -> None:
    claim = verified(submit(protected, program="jkk", event_kind="temporary_incapacity", cause="work_accident",
                            event_date=date(2025, 5, 20), relatives=[], claimant_relation="participant",
                            facts={"months": 2, "costs": {"medical": 3_500_000}}), personas.bpjs)  # fmt: skip
    decision = services.claim_decide(actor=personas.admin, claim=claim, reason="decide")
    assert decision.inputs["wage"] == 4_000_000
    assert [(line["key"], line["amount"]) for line in decision.lines] == [
        ("jkk.stmb.months_1_2", 8_000_000), ("jkk.medical", 3_500_000)]  # fmt: skip
    assert decision.total == 11_500_000


def test_an_imported_claim_is_not_taken_through_the_workflow(protected: World, personas: Personas) -> None:
    claim = submit(protected)
    Claim.objects.filter(pk=claim.pk).update(origin="import")
    claim.refresh_from_db()
    with pytest.raises(Conflict):
        services.claim_update(actor=None, claim=claim, event_place="x", reason="x")
    assert claim.submitted_on - timedelta(days=0) == date(2025, 6, 10)


def test_the_overdue_command_lists_the_claims_past_a_deadline(protected: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    late = submit(protected, program="jkk", event_kind="temporary_incapacity", cause="work_accident",
                  event_date=date(2025, 6, 1), relatives=[], claimant_relation="participant")  # fmt: skip
    out = StringIO()
    call_command("claims", "overdue", on="2025-06-10", stdout=out)
    assert out.getvalue().splitlines()[0] == "1 claims past a deadline on 2025-06-10:"
    assert late.number in out.getvalue()
    assert "jkk_report" in out.getvalue()
    out = StringIO()
    call_command("claims", "overdue", on="2025-06-03", stdout=out)
    assert out.getvalue().strip() == "no claim is past a deadline on 2025-06-03"


def test_a_month_not_yet_billed_follows_the_month_before(protected: World) -> None:
    """An accident on 10 June 2025, decided the same day: June is not billed yet, May was paid."""
    from jamsostek.claims.facts import protection_on

    assert protection_on(protected.pu, date(2025, 6, 10), as_of=date(2025, 6, 10)) == "protected"
    # on 20 June the Sambas company's bills of March, April and May are all unpaid past their due dates
    assert protection_on(protected.sambas_pu, date(2025, 6, 18), as_of=date(2025, 6, 20)) == "unpaid"
    assert protection_on(protected.pu, date(2024, 12, 10), as_of=date(2025, 6, 10)) == "not billed"
