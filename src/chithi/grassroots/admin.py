"""Admin: the list of procedures helped with at home is edited here, through the service; everything else of the
room changes through its pages and API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from . import services
from .models import Procedure
from .services.procedures import PROCEDURE_FIELDS, validate_procedure


class ProcedureForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Procedure
        fields = list(PROCEDURE_FIELDS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        candidate = Procedure(pk=self.instance.pk, **{k: data.get(k) for k in PROCEDURE_FIELDS})
        try:
            validate_procedure(candidate)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        return data


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = ProcedureForm
    list_display = ("name", "code", "active", "position")
    ordering = ("position", "name")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # requests keep their procedure: retire it (untick "in use") instead

    def save_model(self, request: HttpRequest, obj: Procedure, form: forms.ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        data = {name: form.cleaned_data[name] for name in PROCEDURE_FIELDS}
        current = Procedure.objects.get(pk=obj.pk) if change else None
        obj.pk = services.save_procedure(actor=request.user, procedure=current, **data).pk
