"""The audit log's filters (/nhat-ky/): unit, person, kind of object, action and a date range. Every choice
offered comes from what the reader may see (restrict()), so a filter never names a unit or a person out of scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import AuditAction, AuditEntry, User
from .permissions import Action, path_q, restrict

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _kinds() -> list[tuple[str, str]]:
    """The kinds of records the rooms keep (every model with a scope), by their Vietnamese name."""
    kinds = []
    for model in apps.get_models():
        if not model.__module__.startswith("chithi.") or model is AuditEntry:
            continue
        if not (hasattr(model, "scope_path_field") or hasattr(model, "scope_q")):
            continue
        kinds.append((f"{model._meta.app_label}.{model._meta.model_name}", capfirst(str(model._meta.verbose_name))))
    return sorted(kinds, key=lambda kind: kind[1])


class AuditFilterForm(forms.Form):
    # Querysets set per reader in __init__ (what they may see).
    # The empty choices say what they keep, as every list's filters do (settings.FILTERS_EMPTY_CHOICE_LABEL).
    don_vi: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)
    nguoi: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Person"), queryset=None, required=False,
                                                                empty_label=_("All"))
    loai = forms.ChoiceField(label=_("Kind of record"), required=False)
    hanh_dong = forms.ChoiceField(label=_("Action"), required=False,
                                  choices=[("", _("All")), *AuditAction.choices])
    tu_ngay = forms.DateField(label=_("From"), required=False, input_formats=DATE_FORMATS,
                              widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}))
    den_ngay = forms.DateField(label=_("To"), required=False, input_formats=DATE_FORMATS,
                               widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}))
    request_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from chithi.orgs.filters import UnitChoiceField
        from chithi.orgs.models import Organisation, RoleAssignment

        units = restrict(Organisation.objects.all(), user, Action.VIEW).order_by("path")
        # Every list's unit picker: the whole tree up to CHITHI_UNIT_PICKER_LIMIT units, above it the top levels
        # and a search box (a national reader would otherwise get 60,000 options).
        self.fields["don_vi"] = UnitChoiceField(label=_("Unit"), queryset=units, required=False,
                                                empty_label=_("All units"))
        holders = restrict(RoleAssignment.objects.all(), user, Action.VIEW).values("user_id")
        people = User.objects.filter(pk__in=holders).order_by("first_name", "username")
        self.fields["nguoi"].queryset = people  # type: ignore[attr-defined]
        limit = settings.CHITHI_UNIT_PICKER_LIMIT
        listed = list(people[:limit + 1])  # one query, the options drawn from it (not a second one at render)
        if len(listed) > limit:
            # Too many to list: still read from the address, not offered.
            self.fields["nguoi"].widget = forms.HiddenInput()
        else:
            self.fields["nguoi"].widget.choices = [  # type: ignore[attr-defined]
                ("", self.fields["nguoi"].empty_label),  # type: ignore[attr-defined]
                *((u.pk, u.get_full_name() or u.get_username()) for u in listed)]
        self.fields["loai"].choices = [("", _("All")), *_kinds()]  # type: ignore[attr-defined]

    @property
    def form(self) -> AuditFilterForm:
        """The shared filter row (core/_filters.html) reads a FilterSet's `.form`; this form is its own. Without it
        the template found nothing and the log showed a lone "Lọc" button."""
        return self

    def apply(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["don_vi"] is not None:
            entries = entries.filter(path_q("org_path", [data["don_vi"].path]))
        if data["nguoi"] is not None:
            entries = entries.filter(user=data["nguoi"])
        if data["loai"]:
            app_label, model = data["loai"].split(".", 1)
            entries = entries.filter(content_type=ContentType.objects.get_by_natural_key(app_label, model))
        if data["hanh_dong"]:
            entries = entries.filter(action=data["hanh_dong"])
        zone = timezone.get_current_timezone()
        if data["tu_ngay"]:
            start = dt.datetime.combine(data["tu_ngay"], dt.time.min, tzinfo=zone)
            entries = entries.filter(timestamp__gte=start)
        if data["den_ngay"]:
            end = dt.datetime.combine(data["den_ngay"] + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
            entries = entries.filter(timestamp__lt=end)
        if data["request_id"]:
            entries = entries.filter(request_id=data["request_id"])
        return entries
