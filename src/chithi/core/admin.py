"""Admin for system administrators only. The audit log is read-only; writes elsewhere are audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import AuditAction, AuditEntry, Notification, User


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["timestamp", "user_name", "action", "content_type", "object_repr", "request_id"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "user_name", "request_id"]
    date_hierarchy = "timestamp"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "title", "read_at"]


@admin.register(User)
class ChithiUserAdmin(UserAdmin):  # type: ignore[type-arg]
    # An account an administrator creates starts with a password the administrator knows: by default its owner
    # must choose their own at the first sign-in (the box can be unticked, or ticked again later).
    fieldsets = (*UserAdmin.fieldsets, (_("Password"), {"fields": ("must_change_password",)}))  # type: ignore[misc]
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2",
                                                 "must_change_password")}),
    )
    list_display = (*UserAdmin.list_display, "must_change_password")  # type: ignore[misc]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {**super().get_changeform_initial_data(request), "must_change_password": True}

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = audit.snapshot(User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit.record(action=AuditAction.UPDATE if change else AuditAction.CREATE, obj=obj, before=before,
                     after=audit.snapshot(obj), actor=request.user)
