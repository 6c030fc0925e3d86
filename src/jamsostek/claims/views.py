"""Claims pages: the queues and the overdue list, taking a claim in, a claim with its checklist,
deadlines, decisions and payments (and the forms of the steps the user may take), a document's
file, and the statistics of benefits paid (page, Excel, PDF).

Every read goes through the selectors, every step through the services; a step the user may not
take is not offered, and refused by the service if sent anyway."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamsostek.accounts.policy import Action, for_user
from jamsostek.claims import exports, selectors, services
from jamsostek.claims.checklists import label
from jamsostek.claims.models import EVENT_KINDS, Cause, EventKind, Program, State
from jamsostek.claims.reference import PUBLISHED
from jamsostek.claims.storage import MAX_BYTES
from jamsostek.core.constants import PROVINCE, PROVINCE_NAME
from jamsostek.core.errors import DomainError, Forbidden, NotFound
from jamsostek.registry.models import Region

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def page(view: V) -> V:
    """A page: a record the user may not see answers 404, a step their role may not take 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except Forbidden as error:
            raise PermissionDenied(error.message) from None

    return wrapped  # type: ignore[return-value]


# --- the queues --------------------------------------------------------------------------------


@page
def queues(request: HttpRequest) -> HttpResponse:
    """The claims of the user's reach waiting in each state, the overdue ones, and a search."""
    policy = for_user(request.user)
    if not policy.may(Action.SEE_CLAIMS):
        raise PermissionDenied
    today = timezone.localdate()
    state = request.GET.get("state") or ""
    if state and state not in State.values:
        state = ""
    search = (request.GET.get("search") or "").strip()
    listed = selectors.claim_list(visible_to=request.user, state=state or None, search=search or None)
    context = {
        "counts": [(value, State(value).label, number) for value, number in
                   selectors.open_counts(visible_to=request.user).items()],
        "overdue": list(selectors.claim_list(visible_to=request.user, overdue_on=today)[:50]),
        "claims": [(claim, policy.nik(claim.nik)) for claim in listed[:100]],
        "state": state, "search": search, "today": today,
        "may_take": policy.may(Action.TAKE_CLAIMS),
        "may_see_statistics": selectors.home_region(request.user) is not None,
    }  # fmt: skip
    return render(request, "claims/queues.html", context)


# --- taking a claim in ---------------------------------------------------------------------------

KIND_CHOICES = [(kind.value, kind.label) for kind in EventKind]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
"""A date field the browser offers a calendar for, sent as YYYY-MM-DD whatever the language."""


class IntakeForm(forms.Form):
    nik = forms.CharField(label=gettext_lazy("Participant's NIK"), max_length=16)
    program = forms.ChoiceField(label=gettext_lazy("Program"), choices=Program.choices)
    event_kind = forms.ChoiceField(label=gettext_lazy("Event"), choices=KIND_CHOICES)
    event_date = forms.DateField(label=gettext_lazy("Event date"), widget=DATE)
    cause = forms.ChoiceField(label=gettext_lazy("Cause"), choices=[("", "—"), *Cause.choices], required=False)
    event_description = forms.CharField(label=gettext_lazy("What happened"), widget=forms.Textarea(attrs={"rows": 2}),
                                        required=False)  # fmt: skip
    event_place = forms.CharField(label=gettext_lazy("Where it happened"), max_length=200, required=False)
    claimant_relation = forms.CharField(
        label=gettext_lazy("Who claims"), initial="participant", max_length=20,
        help_text=gettext_lazy("participant, or the relation of the heir who claims (istri, suami, anak...)"),
    )  # fmt: skip
    claimant_nik = forms.CharField(label=gettext_lazy("Claimant's NIK"), max_length=16, required=False)
    claimant_name = forms.CharField(label=gettext_lazy("Claimant's name"), max_length=150, required=False)
    relatives = forms.CharField(
        label=gettext_lazy("Heirs and children"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One a line: relation; name; birth date; school level; year of study "
                               "(e.g. anak; Rina; 2014-05-02; smp; 2)"),
    )  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("Reason (kept in the audit record)"), max_length=300)

    def relatives_list(self) -> list[dict[str, Any]]:
        found = []
        for line in (self.cleaned_data.get("relatives") or "").splitlines():
            parts = [part.strip() for part in line.split(";")]
            if not any(parts):
                continue
            item: dict[str, Any] = dict(zip(("relation", "name", "birth_date", "level", "year"), parts, strict=False))
            if item.get("year"):
                item["year"] = int(item["year"]) if item["year"].isdigit() else item["year"]
            found.append({key: value for key, value in item.items() if value not in ("", None)})
        return found


FORM_FIELD = {"submitted_on": None, "relatives": "relatives", "facts": None, "state": None}


def _attach(form: forms.Form, error: DomainError) -> None:
    """Show a service's error on the form field it names (else on the form)."""
    field = FORM_FIELD.get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


@page
def intake(request: HttpRequest) -> HttpResponse:
    if not for_user(request.user).may(Action.TAKE_CLAIMS):
        raise PermissionDenied
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.claim_submit(
                actor=request.user, nik=data["nik"], program=data["program"], event_date=data["event_date"],
                event_kind=data["event_kind"], cause=data["cause"], event_description=data["event_description"],
                event_place=data["event_place"], claimant_relation=data["claimant_relation"],
                claimant_nik=data["claimant_nik"], claimant_name=data["claimant_name"],
                relatives=form.relatives_list(), reason=data["reason"],
            )  # fmt: skip
        except DomainError as error:
            _attach(form, error)
        else:
            messages.success(request, _("Claim %(number)s taken in.") % {"number": claim.number})
            return redirect("claims:claim", pk=claim.pk)
    kinds = {program: [(kind, EventKind(kind).label) for kind in kinds] for program, kinds in EVENT_KINDS.items()}
    return render(request, "claims/intake.html", {"form": form, "kinds": kinds})


# --- one claim -----------------------------------------------------------------------------------

FACTS_BY_PROGRAM = {
    Program.JKK: ("months", "percentage", "function_loss", "medical", "transport_land", "transport_sea",
                  "transport_air", "home_care", "eyeglasses"),
    Program.JHT: ("balance", "retirement_age"),
    Program.JP: ("average_indexed_wage", "balance"),
}  # fmt: skip
COSTS = ("medical", "transport_land", "transport_sea", "transport_air", "home_care", "eyeglasses")


class DecisionForm(forms.Form):
    months = forms.IntegerField(label=gettext_lazy("Months unable to work (STMB)"), min_value=1, required=False)
    percentage = forms.CharField(label=gettext_lazy("Disability percentage (e.g. 0.25)"), required=False)
    function_loss = forms.CharField(label=gettext_lazy("Share of function lost (e.g. 0.5)"), required=False)
    medical = forms.IntegerField(label=gettext_lazy("Medical costs (Rp)"), min_value=0, required=False)
    transport_land = forms.IntegerField(label=gettext_lazy("Transport by land (Rp)"), min_value=0, required=False)
    transport_sea = forms.IntegerField(label=gettext_lazy("Transport by sea (Rp)"), min_value=0, required=False)
    transport_air = forms.IntegerField(label=gettext_lazy("Transport by air (Rp)"), min_value=0, required=False)
    home_care = forms.IntegerField(label=gettext_lazy("Home care (Rp)"), min_value=0, required=False)
    eyeglasses = forms.IntegerField(label=gettext_lazy("Eyeglasses (Rp)"), min_value=0, required=False)
    balance = forms.IntegerField(label=gettext_lazy("Balance stated by BPJS (Rp)"), min_value=0, required=False)
    retirement_age = forms.IntegerField(label=gettext_lazy("Retirement age in the contract"), min_value=1,
                                        required=False)  # fmt: skip
    average_indexed_wage = forms.IntegerField(label=gettext_lazy("Average indexed monthly wage (Rp)"), min_value=0,
                                              required=False)  # fmt: skip
    refusal = forms.CharField(label=gettext_lazy("Reject although eligible: why"), required=False, max_length=500)
    article = forms.CharField(label=gettext_lazy("Article the rejection rests on"), required=False, max_length=200)
    note = forms.CharField(label=gettext_lazy("Note (a correction says what it corrects)"), required=False,
                           max_length=500)  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("Reason (kept in the audit record)"), max_length=300)

    def facts(self) -> dict[str, Any]:
        data = self.cleaned_data
        stated: dict[str, Any] = {name: data[name] for name in ("months", "percentage", "function_loss", "balance",
                                                                 "retirement_age", "average_indexed_wage")
                                  if data.get(name) not in (None, "")}  # fmt: skip
        costs = {name: data[name] for name in COSTS if data.get(name)}
        if costs:
            stated["costs"] = costs
        return stated


class PaymentForm(forms.Form):
    bank_reference = forms.CharField(label=gettext_lazy("Bank reference"), max_length=60)
    paid_on = forms.DateField(label=gettext_lazy("Paid on"), widget=DATE)
    reason = forms.CharField(label=gettext_lazy("Reason (kept in the audit record)"), max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason (kept in the audit record)"), max_length=300)


class DocumentForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=gettext_lazy("File (PDF, JPEG or PNG, at most 5 MB)"))
    reason = forms.CharField(label=gettext_lazy("Reason (kept in the audit record)"), max_length=300)


class DocumentStepForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=gettext_lazy("What is wrong with it (for the claimant)"), required=False,
                           max_length=300)  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("Reason (kept in the audit record)"), max_length=300)


@page
def claim_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.claim_file(visible_to=request.user, pk=pk)
    return _claim_page(request, found, {})


def _claim_page(request: HttpRequest, found: selectors.ClaimFile, bound: dict[str, forms.Form]) -> HttpResponse:
    policy, claim, today = for_user(request.user), found.claim, timezone.localdate()
    taking = claim.origin == "intake" and claim.state in (State.SUBMITTED, State.COMPLETE)
    verifier = getattr(request.user, "pk", None) is not None and claim.verified_by_id == request.user.pk
    steps = {
        "receive": policy.may(Action.TAKE_CLAIMS) and taking,
        "review": policy.may(Action.VERIFY_CLAIMS) and taking,
        "verify": policy.may(Action.VERIFY_CLAIMS) and claim.state == State.COMPLETE,
        "decide": policy.may(Action.DECIDE_CLAIMS) and claim.state == State.VERIFIED and not verifier,
        "correct": policy.may(Action.DECIDE_CLAIMS) and claim.state in (State.APPROVED, State.REJECTED)
        and not verifier,
        "pay": policy.may(Action.PAY_CLAIMS) and claim.state in (State.APPROVED, State.PAID)
        and any(p.state == "scheduled" for p in found.payments),
        "files": policy.may(Action.SEE_CLAIM_DOCUMENTS),
    }  # fmt: skip
    facts = FACTS_BY_PROGRAM.get(Program(claim.program), ())
    decision_form = bound.get("decide") or DecisionForm()
    context = {
        "found": found, "claim": claim, "kpj": policy.kpj(claim.kpj), "steps": steps, "today": today,
        "verifier": verifier,
        "documents": [(document, label(document.kind)) for document in found.documents],
        "clocks": [(clock, clock.status(today)) for clock in found.clocks],
        "decision_form": decision_form, "decision_fields": [decision_form[name] for name in facts],
        "payment_form": bound.get("pay") or PaymentForm(initial={"paid_on": today}),
        "reason_form": bound.get("verify") or ReasonForm(), "max_mb": MAX_BYTES // 1024 // 1024,
        "document_error": bound.get("document"),
    }  # fmt: skip
    return render(request, "claims/claim.html", context, status=400 if bound else 200)


STEPS = ("receive", "verify-document", "return-document", "verify", "decide", "correct", "pay")


@page
def claim_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """One step of the workflow, posted from the claim's page; back to it with what happened."""
    if step not in STEPS:
        raise Http404
    claim = selectors.claim_get(visible_to=request.user, pk=pk)
    if request.method != "POST":
        return redirect("claims:claim", pk=pk)
    form: forms.Form
    key = {"receive": "document", "verify-document": "document", "return-document": "document",
           "decide": "decide", "correct": "decide", "pay": "pay"}.get(step, "verify")  # fmt: skip
    if step == "receive":
        form = DocumentForm(request.POST, request.FILES)
    elif step in ("verify-document", "return-document"):
        form = DocumentStepForm(request.POST)
    elif step in ("decide", "correct"):
        form = DecisionForm(request.POST)
    elif step == "pay":
        form = PaymentForm(request.POST)
    else:
        form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            done = _take(request, claim, step, form)
        except (Forbidden, NotFound):
            raise  # 403 or 404, not a message on the form
        except DomainError as error:
            _attach(form, error)
        else:
            messages.success(request, done)
            return redirect("claims:claim", pk=pk)
    return _claim_page(request, selectors.claim_file(visible_to=request.user, pk=pk), {key: form})


def _take(request: HttpRequest, claim: Any, step: str, form: forms.Form) -> str:
    data, actor = form.cleaned_data, request.user
    if step == "receive":
        upload = data["file"]
        services.claim_document_receive(actor=actor, claim=claim, kind=data["kind"], data=upload.read(MAX_BYTES + 1),
                                        name=upload.name, reason=data["reason"])  # fmt: skip
        return _("Document received: %(name)s.") % {"name": label(data["kind"])}
    if step == "verify-document":
        services.claim_document_verify(actor=actor, claim=claim, kind=data["kind"], reason=data["reason"])
        return _("Document verified: %(name)s.") % {"name": label(data["kind"])}
    if step == "return-document":
        services.claim_document_return(actor=actor, claim=claim, kind=data["kind"], note=data["note"],
                                       reason=data["reason"])  # fmt: skip
        return _("Document returned to the claimant: %(name)s.") % {"name": label(data["kind"])}
    if step == "verify":
        services.claim_verify(actor=actor, claim=claim, reason=data["reason"])
        return _("Claim verified: another officer decides it.")
    if step in ("decide", "correct"):
        assert isinstance(form, DecisionForm)
        service = services.claim_decide if step == "decide" else services.claim_correct
        decision = service(actor=actor, claim=claim, stated=form.facts(), refusal=data["refusal"],
                           article=data["article"], note=data["note"], reason=data["reason"])  # fmt: skip
        return _("Decision %(number)s: %(outcome)s.") % {"number": decision.sequence,
                                                         "outcome": decision.get_outcome_display()}  # fmt: skip
    payment = services.claim_pay(actor=actor, claim=claim, bank_reference=data["bank_reference"],
                                 paid_on=data["paid_on"], reason=data["reason"])  # fmt: skip
    return _("Payment %(number)s recorded.") % {"number": payment.sequence}


@page
def document(request: HttpRequest, pk: int, document_id: int) -> FileResponse:
    """A document's file, after the access check (never served any other way)."""
    path, found = selectors.document_file(visible_to=request.user, claim_pk=pk, document_pk=document_id)
    return FileResponse(path.open("rb"), content_type=found.content_type, as_attachment=True,
                        filename=found.original_name or path.name)  # fmt: skip


# --- statistics ----------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[int, str, str]:
    """(year, region, breakdown) asked for, defaulting to this year, the user's widest region, programs."""
    home = selectors.home_region(request.user)
    if home is None:
        raise PermissionDenied(_("Your role does not include the claim statistics."))
    text = request.GET.get("year") or ""
    year = int(text) if text.isdigit() and 1900 <= int(text) <= 2999 else timezone.localdate().year
    region = request.GET.get("region") or home
    by = request.GET.get("by") or "program"
    return year, region, by if by in selectors.BREAKDOWNS else "program"


def _figures(
    request: HttpRequest, year: int, region: str, by: str
) -> tuple[selectors.Statistics, list[selectors.YearFigure], list[selectors.SponsorYear]]:
    """The year's figures, each year's, and the sponsor programs' (a region that is not one: 404)."""
    try:
        return (
            selectors.statistics(visible_to=request.user, year=year, region=region, by=by),
            selectors.years(visible_to=request.user, region=region),
            selectors.sponsors(visible_to=request.user, region=region),
        )
    except (Forbidden, NotFound):
        raise
    except DomainError as error:
        raise Http404(error.message) from None


@page
def statistics_page(request: HttpRequest) -> HttpResponse:
    year, region, by = _filters(request)
    figures, history, sponsors = _figures(request, year, region, by)
    policy = for_user(request.user)
    regencies = Region.objects.filter(level=Region.Level.REGENCY).order_by("code").values_list("code", "name")
    regions = [(code, name) for code, name in regencies if policy.may_see_region(code, Action.SEE_CLAIM_STATISTICS)]
    if policy.may_see_region(PROVINCE, Action.SEE_CLAIM_STATISTICS):
        regions.insert(0, (PROVINCE, PROVINCE_NAME))
    years_known = sorted({figure.year for figure in history} | {year, timezone.localdate().year}, reverse=True)
    context = {
        "figures": figures, "rows": exports.labelled(figures), "history": history, "sponsors": sponsors,
        "regions": regions, "years": years_known, "breakdowns": exports.breakdown_names(),
        "query": request.GET.urlencode(),
        "published": [item for item in PUBLISHED if region == PROVINCE or item.region == region],
        "region_name": dict(regions).get(region, region), "by_name": exports.breakdown_names()[by],
    }  # fmt: skip
    return render(request, "claims/statistics.html", context)


def _download(request: HttpRequest, kind: str) -> HttpResponse:
    year, region, by = _filters(request)
    figures, history, sponsors = _figures(request, year, region, by)
    if kind == "xlsx":
        content = exports.workbook(figures, history, sponsors)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content, content_type = exports.pdf(figures, history, sponsors), "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="claims-{region}-{year}-{by}.{kind}"'
    return response


@page
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "xlsx")


@page
def statistics_pdf(request: HttpRequest) -> HttpResponse:
    return _download(request, "pdf")
