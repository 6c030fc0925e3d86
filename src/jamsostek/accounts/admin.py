"""The back office for users: who may log in, with which role and reach, and the logins locked
after repeated failures (administrators unlock them): the access policy's ``MANAGE_USERS``. The
log of who saw which person's full NIK, read-only: ``SEE_AUDIT``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jamsostek.accounts.models import ApiKey, Lockout, NikDisclosure, User
from jamsostek.accounts.policy import Action, for_user
from jamsostek.accounts.services import apikey_revoke
from jamsostek.accounts.throttle import lockout_release
from jamsostek.core.admin import NoEdits
from jamsostek.core.errors import DomainError


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    list_display = (
        "username",
        "first_name",
        "last_name",
        "role",
        "region",
        "employer",
        "is_active",
        "is_staff",
    )
    list_filter = ("role", "is_active", "is_staff")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Role and scope"), {"fields": ("role", "region", "employer")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ("role", "region", "employer")}),
    )
    autocomplete_fields = ("employer",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return for_user(request.user).may(Action.MANAGE_USERS)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: the audit records name the user


class LockStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("locked", _("locked now")), ("ended", _("ended or unlocked"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        now = timezone.now()
        locked = Q(released_at__isnull=True, until__gt=now)
        if self.value() == "locked":
            return queryset.filter(locked)
        if self.value() == "ended":
            return queryset.exclude(locked)
        return queryset


@admin.register(Lockout)
class LockoutAdmin(NoEdits, admin.ModelAdmin[Lockout]):
    """Logins locked after repeated failures; an administrator may unlock them (``lockout_release``)."""

    list_display = ("started_at", "who", "address", "failures", "refused", "until", "state", "released_by")
    list_filter = (LockStateFilter,)
    search_fields = ("username", "address")
    actions = ("unlock",)
    date_hierarchy = "started_at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return for_user(request.user).may(Action.MANAGE_USERS)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    @admin.display(description=_("username (as typed)"), ordering="username")
    def who(self, lock: Lockout) -> str:
        return lock.username or str(_("every username from this address"))

    @admin.display(description=_("state"))
    def state(self, lock: Lockout) -> str:
        if lock.released_at is not None:
            return str(_("unlocked"))
        return str(_("locked")) if lock.active() else str(_("ended"))

    @admin.action(description=_("Unlock the selected logins"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[Lockout]) -> None:
        unlocked = 0
        for lock in queryset:
            if not lock.active():
                continue
            try:
                lockout_release(actor=request.user, lockout=lock, reason=str(_("unlocked in the back office")))
                unlocked += 1
            except DomainError as error:
                self.message_user(request, f"{lock}: {error}", level=messages.ERROR)
        message = ngettext("%(count)d login unlocked.", "%(count)d logins unlocked.", unlocked)
        self.message_user(request, message % {"count": unlocked})


class KeyStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("working", _("working")), ("revoked", _("revoked"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "working":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiKey)
class ApiKeyAdmin(NoEdits, admin.ModelAdmin[ApiKey]):
    """The machine clients' keys (``accounts.api``), for administrators: who uses which, when it was last
    used, and revoking one (audited). A key is made with ``jamsostek apikey create`` and shown only
    then; here only its first characters are listed, never the key."""

    list_display = ("name", "user", "prefix", "created_at", "expires_on", "last_used_at", "revoked_at")
    list_filter = (KeyStateFilter,)
    list_select_related = ("user",)
    search_fields = ("name", "user__username", "prefix")
    fields = ("name", "user", "prefix", "created_at", "expires_on", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return for_user(request.user).may(Action.MANAGE_USERS)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        revoked = 0
        for api_key in queryset.filter(revoked_at__isnull=True):
            try:
                apikey_revoke(actor=request.user, api_key=api_key, reason=str(_("revoked in the back office")))
                revoked += 1
            except DomainError as error:
                self.message_user(request, f"{api_key.name}: {error}", level=messages.ERROR)
        message = ngettext("%(count)d key revoked.", "%(count)d keys revoked.", revoked)
        self.message_user(request, message % {"count": revoked})


@admin.register(NikDisclosure)
class NikDisclosureAdmin(NoEdits, admin.ModelAdmin[NikDisclosure]):
    """Who saw which person's full NIK (``accounts.nik_log``): read-only, for administrators. Search
    by a person's full NIK to answer "who saw my data"; a person's page links here for them."""

    list_display = ("at", "user_label", "person", "location")
    list_select_related = ("person",)
    search_fields = ("=person__nik", "user_label", "location")
    search_help_text = _("A person's full NIK, a username, or where (api:..., admin:..., import:...).")
    date_hierarchy = "at"
    show_full_result_count = False  # the log grows with every page seen: no count of the whole table

    def has_module_permission(self, request: HttpRequest) -> bool:
        return for_user(request.user).may(Action.SEE_AUDIT)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        return lookup in ("person", "person__id__exact") or super().lookup_allowed(lookup, value, request)
