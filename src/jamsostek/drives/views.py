"""The drives' pages: lists of names (import, read, the row-by-row report), drives (prepare, read,
approve or reject, enrol, renew), renewals and lapses, planning (with its Excel and PDF), who may
pay for whom, and the panel the coverage pages show. Every number and row comes from the selectors
(scoped to the reader) through ``present``; every change goes through a service."""

from __future__ import annotations

import contextlib
import csv
import io
import tempfile
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jamsostek.accounts.nik_log import Disclosures
from jamsostek.accounts.policy import Action, for_user
from jamsostek.core.constants import PROVINCE
from jamsostek.core.errors import DomainError
from jamsostek.core.spreadsheet import safe_row
from jamsostek.drives import exports, present, selectors, services
from jamsostek.drives.models import Category, DriveStatus, ListSource
from jamsostek.registry import selectors as registry
from jamsostek.registry.models import Employer, Region
from jamsostek.rules.errors import InvalidInput
from jamsostek.rules.periods import Month

MAX_UPLOAD = 60 * 1024 * 1024
STEPS = ("approve", "reject", "enrol", "renew")


def _raise_access(error: DomainError) -> None:
    """A record the reader may not see is a 404 page; a step their role may not take, a 403."""
    if error.status == 404:
        raise Http404(error.message)
    if error.status == 403:
        raise PermissionDenied(error.message)


def _attach(form: forms.BaseForm, error: DomainError) -> None:
    _raise_access(error)
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- the index ----------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    policy = for_user(request.user)
    if not policy.may(Action.SEE_REGISTRY):
        raise PermissionDenied
    year = timezone.localdate().year
    context = {
        "lists": [present.candidate_list(item) for item in selectors.candidate_list_list(visible_to=request.user)[:50]],
        "drives": [present.drive(item) for item in selectors.drive_list(visible_to=request.user)[:100]],
        "fundings": [present.funding(item) for item in selectors.funding_list(visible_to=request.user)[:100]],
        "may_prepare": policy.may(Action.PREPARE_DRIVES),
        "may_plan": policy.may(Action.PLAN_DRIVES) and policy.home_region() is not None,
        "year": year,
    }
    return render(request, "drives/index.html", context)


# --- lists of names -------------------------------------------------------------------------------


class ListForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the list"), max_length=150)
    source = forms.ChoiceField(label=gettext_lazy("Source"), choices=ListSource.choices)
    source_date = forms.DateField(label=gettext_lazy("Date of the list (YYYY-MM-DD)"))
    region = forms.ModelChoiceField(label=gettext_lazy("Region the list covers"), queryset=Region.objects.none())
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Agency or village whose list it is"), required=False, queryset=Employer.objects.none()
    )
    default_category = forms.ChoiceField(label=gettext_lazy("Category of its rows"), choices=Category.choices)
    file = forms.FileField(label=gettext_lazy("CSV (UTF-8) or XLSX file"))
    reason = forms.CharField(label=gettext_lazy("Reason (kept in the audit record)"), max_length=300)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        policy = for_user(user)
        self.fields["region"].queryset = policy.regions_to_place(  # type: ignore[attr-defined]
            Region.objects.exclude(level=Region.Level.DISTRICT)
        )
        self.fields["owner"].queryset = registry.employer_list(visible_to=user).filter(  # type: ignore[attr-defined]
            kind__in=(Employer.Kind.AGENCY, Employer.Kind.VILLAGE)
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 60 MB; use the jamsostek drives command."))
        return upload


def list_import(request: HttpRequest) -> HttpResponse:
    if not for_user(request.user).may(Action.PREPARE_DRIVES):
        raise PermissionDenied
    form = ListForm(request.user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
        with tempfile.NamedTemporaryFile(suffix=suffix, dir=settings.DATA_DIR) as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
            handle.flush()
            try:
                listed = services.candidate_list_import(
                    actor=request.user,
                    path=Path(handle.name),
                    name=data["name"],
                    source=data["source"],
                    source_date=data["source_date"],
                    region_code=data["region"].pk,
                    default_category=data["default_category"],
                    owner=data["owner"],
                    file_name=upload.name,
                    reason=data["reason"],
                )
            except DomainError as error:
                _attach(form, error)
            else:
                messages.success(
                    request,
                    _("%(usable)s of %(rows)s rows are usable; %(rejected)s rejected.")
                    % {"usable": listed.usable, "rows": listed.rows, "rejected": listed.rejected},
                )
                return redirect("drives:list", pk=listed.pk)
    return render(request, "drives/list_import.html", {"form": form, "columns": selectors.LIST_COLUMNS})


def list_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        listed = selectors.candidate_list_get(visible_to=request.user, pk=pk)
    except DomainError:
        raise Http404 from None
    status = request.GET.get("status") or None
    rows = selectors.candidate_rows(visible_to=request.user, listed=listed, status=status)
    matches = dict.fromkeys(("new", "registered", "protected", "lapsed"), 0)
    usable = selectors.candidate_rows(visible_to=request.user, listed=listed, status="usable").order_by()
    matches.update(dict(usable.values_list("match").annotate(count=Count("id"))))
    context = {
        "list": present.candidate_list(listed),
        "rows": present.candidates(request.user, rows[:500], f"page:{request.path}"),
        "shown": min(rows.count(), 500),
        "status": status,
        "matches": matches,
    }
    return render(request, "drives/list.html", context)


def list_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Every row of the list with its outcome, as CSV in the reader's language (NIK as they may see it)."""
    try:
        listed = selectors.candidate_list_get(visible_to=request.user, pk=pk)
    except DomainError:
        raise Http404 from None
    policy = for_user(request.user)
    shown = Disclosures(request.user, f"page:{request.path}", policy=policy)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = (
        "row",
        "nik",
        "name",
        "status",
        "field",
        "reason",
        "match",
        "protected_segment",
        "protected_by",
        "last_end",
        "in_other_lists",
    )
    writer.writerow(columns)
    for row in selectors.candidate_rows(visible_to=request.user, listed=listed).iterator(chunk_size=5_000):
        item = present.candidate(policy, row, shown)
        writer.writerow(safe_row(item[column] if item[column] is not None else "" for column in columns))
    shown.save()
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="list-{listed.pk}-report.csv"'
    return response


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def list_template(request: HttpRequest, extension: str) -> HttpResponse:
    if extension not in CONTENT_TYPES:
        raise Http404
    response = HttpResponse(selectors.list_template(extension), content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="jamsostek-candidates.{extension}"'
    return response


# --- drives ---------------------------------------------------------------------------------------


class PrepareForm(forms.Form):
    program = forms.ChoiceField(label=gettext_lazy("Funded sponsor program"))
    code = forms.CharField(label=gettext_lazy("Code of the drive"), max_length=40)
    name = forms.CharField(label=gettext_lazy("Name of the drive"), max_length=150)
    lists = forms.MultipleChoiceField(label=gettext_lazy("Candidate lists (people are taken in this order)"))
    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Categories (none: all)"), choices=Category.choices, required=False
    )
    quotas = forms.CharField(
        label=gettext_lazy("Quotas: one a line, a district code or district/village, '=' and persons"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    first_month = forms.CharField(label=gettext_lazy("First month (YYYY-MM; empty: the program's)"), required=False)
    reason = forms.CharField(label=gettext_lazy("Reason (kept in the audit record)"), max_length=300)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [  # type: ignore[attr-defined]
            (item.program.code, f"{item.program.code} · {item.program.name} ({item.get_source_display()})")
            for item in selectors.funding_list(visible_to=user)
        ]
        self.fields["lists"].choices = [  # type: ignore[attr-defined]
            (str(item.pk), f"{item.name} ({item.get_source_display()}, {item.source_date}): {item.usable}")
            for item in selectors.candidate_list_list(visible_to=user)[:200]
        ]

    def clean_quotas(self) -> dict[str, int]:
        quotas = {}
        for line in self.cleaned_data.get("quotas", "").splitlines():
            if not line.strip():
                continue
            key, _sep, value = line.partition("=")
            if not value.strip().isdigit():
                raise forms.ValidationError(_("Write each quota as 61.04.01=100 or 61.04.01/Desa Name=100."))
            quotas[key.strip()] = int(value.strip())
        return quotas


def prepare(request: HttpRequest) -> HttpResponse:
    if not for_user(request.user).may(Action.PREPARE_DRIVES):
        raise PermissionDenied
    form = PrepareForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program = selectors.funded_program_get(visible_to=request.user, code=data["program"])
            lists = [selectors.candidate_list_get(visible_to=request.user, pk=int(pk)) for pk in data["lists"]]
            first = Month.parse(data["first_month"], field="first_month") if data["first_month"] else None
            drive = services.drive_prepare(
                actor=request.user,
                program=program,
                code=data["code"],
                name=data["name"],
                lists=lists,
                categories=data["categories"] or None,
                quotas=data["quotas"],
                first_month=first,
                reason=data["reason"],
            )
        except DomainError as error:
            _attach(form, error)
        except InvalidInput:
            form.add_error("first_month", _("must be a month written YYYY-MM"))
        else:
            messages.success(request, _("The drive is prepared and awaits approval."))
            return redirect("drives:drive", pk=drive.pk)
    return render(request, "drives/prepare.html", {"form": form})


def drive_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        drive = selectors.drive_get(visible_to=request.user, pk=pk)
    except DomainError:
        raise Http404 from None
    policy = for_user(request.user)
    rows = selectors.drive_members(visible_to=request.user, drive=drive)
    context = {
        "drive": present.drive(drive),
        "members": present.members(request.user, rows[:500], f"page:{request.path}"),
        "shown": min(rows.count(), 500),
        "over": drive.cost + services.committed_cost(drive.funding, excluding=drive) > drive.funding.budget_ceiling,
        "may_decide": drive.status == DriveStatus.AWAITING_APPROVAL and policy.may(Action.APPROVE_DRIVES),
        "may_enrol": drive.status == DriveStatus.APPROVED and policy.may(Action.ENROL_DRIVES),
        "may_renew": drive.status == DriveStatus.ENROLLED and policy.may(Action.PREPARE_DRIVES),
        "next_programs": [
            item.program.code for item in selectors.funding_list(visible_to=request.user, year=drive.fiscal_year + 1)
        ],
    }
    return render(request, "drives/drive.html", context)


@require_POST
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Approve, reject, enrol or renew a drive (a form's POST); back to the drive with the outcome."""
    if step not in STEPS:
        raise Http404
    try:
        drive = selectors.drive_get(visible_to=request.user, pk=pk)
    except DomainError:
        raise Http404 from None
    reason = request.POST.get("reason", "")
    try:
        if step == "approve":
            services.drive_approve(actor=request.user, drive=drive, reason=reason)
            messages.success(request, _("The drive is approved."))
        elif step == "reject":
            services.drive_reject(actor=request.user, drive=drive, reason=reason)
            messages.success(request, _("The drive is rejected."))
        elif step == "enrol":
            services.drive_enrol(actor=request.user, drive=drive, reason=reason)
            messages.success(request, _("The drive is enrolled: its members are protected and billed to the sponsor."))
        else:
            program = selectors.funded_program_get(visible_to=request.user, code=request.POST.get("program", ""))
            renewal = services.drive_renew(
                actor=request.user, drive=drive, program=program, code=request.POST.get("code", ""), reason=reason
            )
            messages.success(request, _("The renewal is prepared and awaits approval."))
            return redirect("drives:drive", pk=renewal.pk)
    except DomainError as error:
        _raise_access(error)
        messages.error(request, str(error))
    return redirect("drives:drive", pk=drive.pk)


def renewals(request: HttpRequest) -> HttpResponse:
    if not for_user(request.user).may(Action.SEE_REGISTRY):
        raise PermissionDenied
    on = timezone.localdate()
    if request.GET.get("on"):
        with contextlib.suppress(ValueError):  # a mistyped link shows today's list
            on = date.fromisoformat(request.GET["on"])
    answer = present.renewals(selectors.renewal_list(visible_to=request.user, on=on))
    return render(request, "drives/renewals.html", {"answer": answer, "on": on})


def funding(request: HttpRequest) -> HttpResponse:
    rules = [present.funding_rule(rule) for rule in selectors.funding_rule_list()]
    fundings = [present.funding(item) for item in selectors.funding_list(visible_to=request.user)]
    return render(request, "drives/funding.html", {"rules": rules, "fundings": fundings})


# --- planning -------------------------------------------------------------------------------------


def _plan_inputs(request: HttpRequest) -> dict[str, Any]:
    """The planning page's choices from its query string, with the defaults."""
    query = request.GET
    today = timezone.localdate()

    def number(name: str, default: int) -> int:
        text = (query.get(name) or "").replace(".", "").replace(",", "").strip()
        return int(text) if text.isdigit() else default

    percent = None
    if query.get("percent"):
        try:
            percent = Decimal(query["percent"].replace(",", "."))
        except InvalidOperation:
            percent = None
    ceilings = {
        source: number(f"ceiling_{source}", 0)
        for source in selectors.PLAN_SOURCES
        if (query.get(f"ceiling_{source}") or "").strip()
    }
    return {
        "year": number("year", today.year),
        "month": number("month", 12),
        "mode": query.get("mode") or "",
        "percent": percent,
        "sources": [source for source in query.getlist("sources") if source in selectors.PLAN_SOURCES] or None,
        "packages": query.getlist("packages") or None,
        "ceilings": ceilings,
        "region": query.get("region") or "",
        "budget": number("budget", 0),
        "package": query.get("package") or "jkk_jkm_12",
    }


def _target_plan(request: HttpRequest, inputs: dict[str, Any]) -> selectors.TargetPlan:
    return selectors.plan_target(
        visible_to=request.user,
        year=inputs["year"],
        month=inputs["month"],
        mode=inputs["mode"] or None,
        percent=inputs["percent"],
        sources=inputs["sources"],
        packages=inputs["packages"],
        ceilings=inputs["ceilings"],
    )


def plan(request: HttpRequest) -> HttpResponse:
    policy = for_user(request.user)
    if not policy.may(Action.PLAN_DRIVES) or policy.home_region() is None:
        raise PermissionDenied(_("Your role does not include planning."))
    inputs = _plan_inputs(request)
    errors = []
    target = budget = None
    try:
        target = present.target_plan(_target_plan(request, inputs))
    except DomainError as problem:  # a year, a target or a source the reader got wrong: said on the page
        errors.append(str(problem))
    if inputs["budget"]:
        try:
            region = inputs["region"] or policy.home_region() or PROVINCE
            answer = selectors.plan_budget(visible_to=request.user, region=region, budget=inputs["budget"],
                                           package=inputs["package"], year=inputs["year"])  # fmt: skip
            budget = present.budget_plan(answer)
        except DomainError as problem:
            errors.append(str(problem))
    packages = selectors.plan_packages(inputs["year"])
    context = {
        "inputs": inputs,
        "target": target,
        "budget": budget,
        "errors": errors,
        "sources": [(source, present.source_name(source)) for source in selectors.PLAN_SOURCES],
        "packages": [(key, present.package_name(p)) for key, p in packages.items()],
        "query": request.GET.urlencode(),
        "home": policy.home_region(),
    }
    return render(request, "drives/plan.html", context)


def _plan_export(request: HttpRequest, extension: str) -> HttpResponse:
    policy = for_user(request.user)
    if not policy.may(Action.PLAN_DRIVES) or policy.home_region() is None:
        raise PermissionDenied(_("Your role does not include planning."))
    inputs = _plan_inputs(request)
    try:
        answer = present.target_plan(_target_plan(request, inputs))
    except DomainError as error:
        _raise_access(error)
        raise Http404(error.message) from None
    if extension == "xlsx":
        content, content_type = exports.plan_workbook(answer), CONTENT_TYPES["xlsx"]
    else:
        content, content_type = exports.plan_pdf(answer), "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="plan-{answer["year"]}.{extension}"'
    return response


def plan_xlsx(request: HttpRequest) -> HttpResponse:
    return _plan_export(request, "xlsx")


def plan_pdf(request: HttpRequest) -> HttpResponse:
    return _plan_export(request, "pdf")


# --- the panel on the coverage pages --------------------------------------------------------------


def coverage_panel(request: HttpRequest, *, region: str, month: Month | None) -> str:
    """Drives and planning for the region shown on a coverage page: the year's drives there by
    status, the drives due for renewal (from October), and the cheapest way to the region's target.
    Empty for a reader who may not plan for the region."""
    policy = for_user(request.user)
    if not policy.may(Action.PLAN_DRIVES) or not policy.may_see_region(region):
        return ""
    today = timezone.localdate()
    year = today.year  # the year's target, as the dashboard's headline
    drives = selectors.drive_list(visible_to=request.user, year=today.year)
    if region != PROVINCE:
        drives = drives.filter(program__region__code__startswith=region)
    counts = dict.fromkeys(DriveStatus.values, 0)
    people = cost = 0
    for drive in drives:
        counts[drive.status] += 1
        if drive.status in (DriveStatus.APPROVED, DriveStatus.ENROLLED):
            people += drive.members_count
            cost += drive.cost
    try:
        mode = "province" if region == PROVINCE else "regencies"
        plan = selectors.plan_target(visible_to=request.user, year=year, mode=mode)
    except DomainError:
        plan = None
    summary = None
    if plan is not None and not plan.missing:
        lines = [line for line in plan.allocation.lines if region == PROVINCE or line.regency == region]
        summary = {
            "workers": sum(line.workers for line in lines),
            "cost": sum(line.cost for line in lines),
            "reached": plan.allocation.reached,
            "year": year,
        }
    renewal = selectors.renewal_list(visible_to=request.user, on=today) if today.month >= 10 else None
    return render_to_string(
        "drives/_panel.html",
        {
            "region": region,
            "counts": counts,
            "people": people,
            "cost": cost,
            "plan": summary,
            "renewal": present.renewals(renewal) if renewal else None,
            "year": today.year,
        },
        request=request,
    )
