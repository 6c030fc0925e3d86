"""Back office for coverage: denominators and targets, entered by province-wide editors through the
coverage services (validated and audited); the computations are shown read-only. Coverage facts are
derived, never edited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jamsostek.accounts.policy import Action, for_user
from jamsostek.core.admin import NoEdits
from jamsostek.core.constants import PROVINCE
from jamsostek.core.errors import DomainError
from jamsostek.coverage import services
from jamsostek.coverage.models import Computation, Denominator, Target


class ProvinceStaffOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """Seen by staff whose role sees the province's coverage; added and changed by those who may
    change it (through the services); nobody deletes."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        policy = for_user(request.user)
        return policy.may(Action.USE_BACK_OFFICE) and policy.may_see_region(PROVINCE)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request) and for_user(request.user).may(Action.CHANGE_COVERAGE)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceForm(forms.ModelForm):  # type: ignore[type-arg]
    """A form whose values the service checks before the admin saves (its error on the field it names)."""

    def check(self) -> None:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                self.check()
            except DomainError as error:
                field = {"region_code": "region"}.get(error.field or "", error.field)
                self.add_error(field if field in self.fields else None, error.message)
        return data


class DenominatorForm(ServiceForm):
    class Meta:
        model = Denominator
        fields = ("region", "kind", "period", "value", "is_estimate", "method", "source")

    def check(self) -> None:
        data = self.cleaned_data
        services.clean_denominator(region=data["region"].pk, kind=data["kind"], value=data["value"],
                                   source=data.get("source") or "")  # fmt: skip


@admin.register(Denominator)
class DenominatorAdmin(ProvinceStaffOnly):
    form = DenominatorForm
    list_display = ("region", "kind", "period", "value", "is_estimate", "source")
    list_filter = ("kind", "is_estimate")
    search_fields = ("region__code", "region__name", "source")
    raw_id_fields = ("region",)

    def save_model(self, request: HttpRequest, obj: Denominator, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = services.denominator_set(
            actor=request.user, region=data["region"].pk, kind=data["kind"], period=data["period"],
            value=data["value"], source=data.get("source") or "", is_estimate=data.get("is_estimate", False),
            method=data.get("method") or "", reason=str(_("entered in the back office")),
        )  # fmt: skip
        obj.pk = saved.pk


class TargetForm(ServiceForm):
    class Meta:
        model = Target
        fields = ("region", "year", "percent", "source")

    def check(self) -> None:
        data = self.cleaned_data
        services.clean_target(region=data["region"].pk, year=data["year"], percent=data["percent"])


@admin.register(Target)
class TargetAdmin(ProvinceStaffOnly):
    form = TargetForm
    list_display = ("region", "year", "percent", "source")
    search_fields = ("region__code", "region__name")
    raw_id_fields = ("region",)

    def save_model(self, request: HttpRequest, obj: Target, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = services.target_set(
            actor=request.user, region=data["region"].pk, year=data["year"], percent=data["percent"],
            source=data.get("source") or "", reason=str(_("entered in the back office")),
        )  # fmt: skip
        obj.pk = saved.pk


@admin.register(Computation)
class ComputationAdmin(NoEdits, ProvinceStaffOnly):
    list_display = ("computed_at", "first", "last", "as_of", "rows", "seconds")
