"""Admin: issue categories (SLA, Open311 code, routing) are edited here through the service; the
rest is read-only because it changes through the product's workflow."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from chithi.core.admin import ReadOnlyAdmin

from . import services
from .models import ApiClient, Dialogue, Issue, IssueCategory


class IssueCategoryForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = IssueCategory
        fields = ["name", "code", "description", "group", "keywords", "ack_days", "answer_days", "default_unit",
                  "public", "active", "sort_order"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ack_days") is not None and data.get("answer_days") is not None:
            for field, message in services.category_sla_errors(ack_days=data["ack_days"],
                                                               answer_days=data["answer_days"]).items():
                self.add_error(field, message)
        return data


@admin.register(IssueCategory)
class IssueCategoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = IssueCategoryForm
    list_display = ["name", "code", "ack_days", "answer_days", "default_unit", "public", "active"]
    list_filter = ["public", "active"]
    search_fields = ["name", "code"]
    raw_id_fields = ["default_unit"]

    def save_model(self, request: HttpRequest, obj: IssueCategory, form: Any, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        original = IssueCategory.objects.get(pk=obj.pk) if change else None
        saved = services.save_category(actor=request.user, category=original, **fields)
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # issues keep their category; switch it off with "in use" instead


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["tracking_code", "category", "status", "organisation", "received_at", "due_on"]
    list_filter = ["status", "channel", "category"]
    search_fields = ["tracking_code"]


@admin.register(Dialogue)
class DialogueAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "held_on", "participants_count"]


@admin.register(ApiClient)
class ApiClientAdmin(ReadOnlyAdmin):
    list_display = ["name", "contact", "active", "last_used_at"]
