"""The back office for the registry. Lists come from the selectors (so every user sees only their
scope), every save goes through a service (so every change is validated and audited with a
reason), nothing is deleted (memberships are ended instead)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jamsostek.accounts.nik_log import Disclosures
from jamsostek.accounts.policy import Action, for_user
from jamsostek.core.errors import DomainError, Forbidden, NotFound
from jamsostek.registry import selectors, services
from jamsostek.registry.models import (
    Employer,
    Membership,
    MembershipEvent,
    Person,
    Project,
    Region,
    SponsorProgram,
    WageReport,
)


class ScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Staff see what their role's scope allows; nobody deletes registry records."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        policy = for_user(request.user)
        return policy.may(Action.USE_BACK_OFFICE) and policy.may(Action.SEE_REGISTRY)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request) and for_user(request.user).may(Action.CHANGE_REGISTRY)

    placed_by_employer = False
    """Whether a new record of this model can belong to an employer (then an agency administrator
    may add one for their own employer)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        policy = for_user(request.user)
        return self.has_module_permission(request) and policy.may_create(
            Action.CHANGE_REGISTRY, by_employer=self.placed_by_employer
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        raise NotImplementedError  # every subclass saves through a service

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (Forbidden, NotFound):
            raise PermissionDenied from None


class ReasonForm(ModelForm):  # type: ignore[type-arg]
    reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=500,
        widget=forms.TextInput(attrs={"size": 60}),
        help_text=_("Kept in the audit record."),
    )


# --- regions -------------------------------------------------------------------------------------


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ("code", "name", "level", "bps_code", "population", "area_km2")
    list_filter = ("level",)
    search_fields = ("code", "name", "bps_code")
    readonly_fields = ("code", "bps_code", "name", "level", "kind", "parent", "area_km2", "population",
                       "villages", "urban_villages", "source")  # fmt: skip
    exclude = ("boundary", "label_point")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


# --- persons -------------------------------------------------------------------------------------


FORM_FIELD = {"district_code": "region", "region_code": "region"}


def _attach(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's validation error on the form field it names."""
    field = FORM_FIELD.get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


class PersonForm(ReasonForm):
    class Meta:
        model = Person
        fields = ("nik", "name", "birth_date", "sex", "region", "phone", "kpj")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "region" in self.fields:
            self.fields["region"].queryset = Region.objects.filter(level=Region.Level.DISTRICT)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        required = ("name", "birth_date", "sex", "region")
        if all(data.get(name) for name in required):
            try:
                services.clean_person(
                    nik=data.get("nik") or self.instance.nik,
                    name=data["name"],
                    birth_date=data["birth_date"],
                    sex=data["sex"],
                    region_code=data["region"].pk,
                    phone=data.get("phone"),
                    kpj=data.get("kpj"),
                    districts=services.district_codes(),
                    today=timezone.localdate(),
                )
            except DomainError as error:
                _attach(self, error)
        return data


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    fk_name = "person"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("segment", "employer", "sponsor", "payer", "start_date", "end_date")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _nik_column(request: HttpRequest) -> Any:
    """A column showing the NIK as this user may see it (masked unless the role needs it); every
    full NIK it shows is recorded (``accounts.nik_log``), all of a page in one insert once the page
    is rendered (``_record_disclosures``).

    One function per request, so that the admin recognises it in both ``fields`` and
    ``readonly_fields``."""
    existing = getattr(request, "_nik_column", None)
    if existing is not None:
        return existing

    disclosures = Disclosures(request.user, f"admin:{request.path}")

    def nik(obj: Person) -> str:
        return disclosures.nik(obj.pk, obj.nik)

    nik.short_description = _("NIK")  # type: ignore[attr-defined]
    nik.admin_order_field = "nik"  # type: ignore[attr-defined]
    nik.disclosures = disclosures  # type: ignore[attr-defined]
    request._nik_column = nik  # type: ignore[attr-defined]
    return nik


def _record_disclosures(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Record the full NIKs the page showed, once it is rendered (one insert for the page)."""
    column = getattr(request, "_nik_column", None)
    if column is None:
        return response

    def save(_rendered: Any = None) -> None:
        column.disclosures.save()

    if isinstance(response, TemplateResponse) and not response.is_rendered:
        response.add_post_render_callback(save)
    else:
        save()
    return response


def _nik_search(request: HttpRequest, queryset: QuerySet[Any], search_term: str, nik_field: str) -> Any:
    """A user who may not see NIKs finds a person by NIK only by typing the whole of it (quotes and
    spaces aside): a part of a NIK would let them learn the rest digit by digit. The other search
    fields never include the NIK for them (``_search_fields``)."""
    if for_user(request.user).sees_nik:
        return None
    typed = "".join(character for character in search_term if character not in "\"' ")
    if not typed.isdigit():
        return None
    return queryset.filter(**{nik_field: typed}), False


def _search_fields(request: HttpRequest, fields: tuple[str, ...], nik_field: str) -> tuple[str, ...]:
    """The search fields, without the NIK for a user who sees it masked (they search it whole, exactly)."""
    if for_user(request.user).sees_nik:
        return fields
    return tuple(field for field in fields if field != nik_field)


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    form = PersonForm
    list_filter = ("sex", ("regency", admin.RelatedOnlyFieldListFilter))
    search_fields = ("nik", "name")
    inlines = (MembershipInline,)
    list_select_related = ("regency",)

    def get_list_display(self, request: HttpRequest) -> tuple[Any, ...]:
        return ("name", _nik_column(request), "birth_date", "sex", "regency")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return selectors.person_list(visible_to=request.user)

    def get_search_fields(self, request: HttpRequest) -> tuple[str, ...]:
        return _search_fields(request, tuple(self.search_fields), "nik")

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Person], search_term: str) -> Any:
        found = _nik_search(request, queryset, search_term, "nik")
        return found or super().get_search_results(request, queryset, search_term)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return _record_disclosures(request, super().changelist_view(request, extra_context))

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        return _record_disclosures(request, super().changeform_view(request, object_id, form_url, extra_context))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[Any, ...]:
        return (_nik_column(request), "nik_log", "kpj_masked") if obj is not None else ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is None:
            return ["nik", "name", "birth_date", "sex", "region", "phone", "kpj", "reason"]
        policy = for_user(request.user)
        log = ["nik_log"] if policy.may(Action.SEE_AUDIT) else []
        kpj = "kpj" if policy.sees_nik else "kpj_masked"
        return [_nik_column(request), *log, "name", "birth_date", "sex", "region", "phone", kpj, "reason"]

    @admin.display(description=_("KPJ number"))
    def kpj_masked(self, obj: Person) -> str:
        """The card number, hidden from those who see NIKs masked (they keep it as it is)."""
        return for_user(None).kpj(obj.kpj) or "—"

    @admin.display(description=_("NIK log"))
    def nik_log(self, obj: Person) -> str:
        """A link to who saw this person's full NIK (for those who read audit records)."""
        url = reverse("admin:accounts_nikdisclosure_changelist") + f"?person__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("who saw this person's full NIK"))

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if "region" in form.base_fields:
            districts = Region.objects.filter(level=Region.Level.DISTRICT)
            form.base_fields["region"].queryset = for_user(request.user).regions_to_place(districts)  # type: ignore[attr-defined]
        return form

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        data = form.cleaned_data
        reason = data["reason"]
        if change:
            saved = services.person_update(
                actor=request.user,
                person=Person.objects.get(pk=obj.pk),
                reason=reason,
                name=data["name"],
                birth_date=data["birth_date"],
                sex=data["sex"],
                region_code=data["region"].pk,
                phone=data.get("phone") or "",
                kpj=(data.get("kpj") or None) if "kpj" in form.base_fields else obj.kpj,
            )
        else:
            saved = services.person_register(
                actor=request.user,
                nik=data["nik"],
                name=data["name"],
                birth_date=data["birth_date"],
                sex=data["sex"],
                region_code=data["region"].pk,
                phone=data.get("phone") or "",
                kpj=data.get("kpj") or None,
                reason=reason,
            )
        obj.pk = saved.pk
        obj.refresh_from_db()


# --- employers, sponsors, projects ---------------------------------------------------------------


class EmployerForm(ReasonForm):
    class Meta:
        model = Employer
        fields = ("npp", "name", "kind", "kbli", "risk_class", "size_class", "region", "state_body", "labour_intensive")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(name) for name in ("name", "risk_class", "size_class", "region")):
            try:
                services.clean_employer(
                    npp=data.get("npp") or self.instance.npp,
                    name=data["name"],
                    kind=data.get("kind"),
                    kbli=data.get("kbli"),
                    risk_class=data["risk_class"],
                    size_class=data["size_class"],
                    region_code=data["region"].pk,
                    regions=services.region_codes(),
                )
            except DomainError as error:
                _attach(self, error)
        return data


@admin.register(Employer)
class EmployerAdmin(ScopedAdmin):
    form = EmployerForm
    list_display = ("npp", "name", "kind", "risk_class", "size_class", "regency")
    list_filter = ("kind", "size_class", "risk_class", ("regency", admin.RelatedOnlyFieldListFilter))
    search_fields = ("npp", "name", "kbli")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Employer]:
        return selectors.employer_list(visible_to=request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "region":
            regions = Region.objects.exclude(level=Region.Level.PROVINCE)
            kwargs["queryset"] = for_user(request.user).regions_to_place(regions)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        if for_user(request.user).may(Action.CHANGE_BILLING_FACTS):
            return ("npp",)
        return ("npp", *services.BILLING_FACTS)  # set at registration; BPJS changes them

    def save_model(self, request: HttpRequest, obj: Employer, form: Any, change: bool) -> None:
        data = {name: getattr(obj, name) for name in services.BILLING_FACTS} | form.cleaned_data
        common = {
            "name": data["name"],
            "kind": data["kind"],
            "kbli": data.get("kbli") or "",
            "risk_class": data["risk_class"],
            "size_class": data["size_class"],
            "region_code": data["region"].pk,
            "state_body": data.get("state_body", False),
            "labour_intensive": data.get("labour_intensive", False),
        }
        if change:
            saved = services.employer_update(
                actor=request.user, employer=Employer.objects.get(pk=obj.pk), reason=data["reason"], **common
            )
        else:
            # unticked on a new employer: the default (a government agency is a state body)
            common["state_body"] = common["state_body"] or None
            saved = services.employer_register(actor=request.user, npp=data["npp"], reason=data["reason"], **common)
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(SponsorProgram)
class SponsorProgramAdmin(ScopedAdmin):
    list_display = ("code", "name", "kind", "region", "year", "quota", "start_date", "end_date")
    list_filter = ("kind", "year")
    search_fields = ("code", "name", "budget_line")

    def get_queryset(self, request: HttpRequest) -> QuerySet[SponsorProgram]:
        return selectors.sponsor_program_list(visible_to=request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "region":
            kwargs["queryset"] = for_user(request.user).regions_to_place(Region.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        return tuple(field.name for field in SponsorProgram._meta.fields)

    def save_model(self, request: HttpRequest, obj: SponsorProgram, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = services.sponsor_program_create(
            actor=request.user,
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            region_code=data["region"].pk,
            year=data["year"],
            quota=data["quota"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            budget_line=data.get("budget_line") or "",
            with_jht=data.get("with_jht", False),
            income_nominal=data["income_nominal"],
            reason=str(_("created in the back office")),
        )
        obj.pk = saved.pk


@admin.register(Project)
class ProjectAdmin(ScopedAdmin):
    placed_by_employer = True
    list_display = ("code", "name", "employer", "region", "contract_value", "start_date", "end_date")
    search_fields = ("code", "name", "employer__npp")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Project]:
        return selectors.project_list(visible_to=request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "employer":
            kwargs["queryset"] = selectors.employer_list(visible_to=request.user)
        elif db_field.name == "region":
            kwargs["queryset"] = Region.objects.exclude(level=Region.Level.PROVINCE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        return tuple(field.name for field in Project._meta.fields)

    def save_model(self, request: HttpRequest, obj: Project, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = services.project_create(
            actor=request.user,
            code=data["code"],
            name=data["name"],
            employer=data["employer"],
            region_code=data["region"].pk,
            contract_value=data["contract_value"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            reason=str(_("created in the back office")),
        )
        obj.pk = saved.pk


# --- memberships ---------------------------------------------------------------------------------


class WageInline(admin.TabularInline):  # type: ignore[type-arg]
    model = WageReport
    extra = 0
    can_delete = False
    fields = ("valid_from", "amount", "fixed_allowances")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = MembershipEvent
    extra = 0
    can_delete = False
    fields = ("kind", "on", "reason", "actor_label", "recorded_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ActiveFilter(admin.SimpleListFilter):
    title = _("status today")
    parameter_name = "active"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("running")), ("no", _("ended or not started"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(selectors.active_on(today))
        if self.value() == "no":
            return queryset.exclude(selectors.active_on(today))
        return queryset


class EndMembershipForm(forms.Form):
    end_date = forms.DateField(label=_("End date"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), max_length=500)


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ("person", "segment", "employer", "sponsor", "payer", "regency", "start_date", "end_date")
    list_filter = ("segment", "payer", ActiveFilter, ("regency", admin.RelatedOnlyFieldListFilter))
    search_fields = ("person__nik", "person__name", "employer__npp", "sponsor__code")
    date_hierarchy = "start_date"
    inlines = (WageInline, EventInline)
    actions = ("end_memberships",)
    list_select_related = ("person", "employer", "sponsor", "regency")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return selectors.membership_list(visible_to=request.user)

    def get_search_fields(self, request: HttpRequest) -> tuple[str, ...]:
        return _search_fields(request, tuple(self.search_fields), "person__nik")

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Membership], search_term: str) -> Any:
        found = _nik_search(request, queryset, search_term, "person__nik")
        return found or super().get_search_results(request, queryset, search_term)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return tuple(field.name for field in Membership._meta.fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # enrolment happens through the import, the API or the CLI (with wages)

    @admin.action(description=_("End the selected memberships"))
    def end_memberships(self, request: HttpRequest, queryset: QuerySet[Membership]) -> HttpResponse | None:
        if "apply" in request.POST:
            form = EndMembershipForm(request.POST)
            if form.is_valid():
                ended = 0
                for membership in queryset:
                    try:
                        services.membership_end(
                            actor=request.user,
                            membership=membership,
                            end_date=form.cleaned_data["end_date"],
                            reason=form.cleaned_data["reason"],
                        )
                        ended += 1
                    except DomainError as error:
                        self.message_user(request, f"{membership}: {error}", level=messages.ERROR)
                message = ngettext("%(count)d membership ended.", "%(count)d memberships ended.", ended)
                self.message_user(request, message % {"count": ended})
                return None
        else:
            form = EndMembershipForm(initial={"end_date": timezone.localdate()})
        return render(
            request,
            "admin/registry/end_memberships.html",
            {
                **self.admin_site.each_context(request),
                "title": _("End memberships"),
                "memberships": queryset,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )
