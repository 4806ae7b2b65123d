"""FilterSets for the practice registry (HTML and API share them), the public showcase (page and public API)
and the API-only lists of results and evidence links."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chithi.core.inputs import IdFilter, YesNoFilter
from chithi.core.search import search
from chithi.orgs.filters import UnitFilter

from . import selectors
from .models import EvidenceLink, Practice, PracticeField, PracticeStatus, Result

ORDERINGS = {
    "reach": ("-reach", "sort_key"),
    "name": ("sort_key", "id"),
    "newest": ("-started_on", "sort_key"),
}

# A tri-state choice whose empty answer reads "all", not Django's "Unknown".
def _words(placeholder: Any) -> django_filters.CharFilter:  # a lazy translation
    return django_filters.CharFilter(method="filter_q", label=_("Search"),
                                     widget=forms.SearchInput(attrs={"placeholder": placeholder}))


class _PracticeSearch(django_filters.FilterSet):
    """What both lists search by: words (with or without diacritics) and a field."""

    q = _words(_("Search, with or without diacritics"))
    field = django_filters.ChoiceFilter(choices=PracticeField.choices, method="filter_field", label=_("Field"),
                                        empty_label=_("All fields"))

    def filter_q(self, queryset: QuerySet[Practice], name: str, value: str) -> QuerySet[Practice]:
        return search(queryset, value)

    def filter_field(self, queryset: QuerySet[Practice], name: str, value: str) -> QuerySet[Practice]:
        return queryset.filter(fields__contains=f",{value},") if value else queryset


class PracticeFilterSet(_PracticeSearch):
    q = _words(_("Name or unit, with or without diacritics"))
    unit = UnitFilter()
    status = django_filters.ChoiceFilter(choices=PracticeStatus.choices, label=_("Status"),
                                         empty_label=_("All statuses"))
    is_public = YesNoFilter(label=_("Public"))
    origins_only = YesNoFilter(method="filter_origins", label=_("Origins only"))
    ordering = django_filters.ChoiceFilter(
        choices=[("reach", _("Spread furthest")), ("name", _("Name")), ("newest", _("Newest"))],
        method="filter_ordering", label=_("Order by"), empty_label=None)

    class Meta:
        model = Practice
        fields = ["q", "field", "unit", "status", "is_public", "origins_only", "ordering"]

    def filter_origins(self, queryset: QuerySet[Practice], name: str, value: bool | None) -> QuerySet[Practice]:
        if value is None:
            return queryset
        return queryset.filter(lineage_depth=0) if value else queryset.exclude(lineage_depth=0)

    def filter_ordering(self, queryset: QuerySet[Practice], name: str, value: str) -> QuerySet[Practice]:
        return queryset.order_by(*ORDERINGS.get(value, ORDERINGS["reach"]))

    @property
    def qs(self) -> QuerySet[Practice]:
        queryset = super().qs
        if not self.form.cleaned_data.get("ordering"):
            queryset = queryset.order_by(*ORDERINGS["reach"])
        return queryset


class PublicPracticeFilterSet(_PracticeSearch):
    """What a citizen may filter by: words, field and unit. The unit choices are only units that run a public
    practice and the units above them, so the filter reveals no other internal unit."""

    unit = UnitFilter(queryset=selectors.public_units, label=_("Unit"))

    class Meta:
        model = Practice
        fields = ["q", "field", "unit"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A large tree lists its top levels and the chosen unit; the staff's unit search needs a sign-in, so a
        # citizen finds other units with the words box, which matches unit names too.
        self.form.fields["unit"].widget.searchable = False  # type: ignore[attr-defined]

    @property
    def qs(self) -> QuerySet[Practice]:
        return super().qs.order_by("-reach", "sort_key")


class ResultFilterSet(django_filters.FilterSet):
    practice = IdFilter(field_name="indicator__practice_id")

    class Meta:
        model = Result
        fields = ["indicator", "practice"]


class EvidenceFilterSet(django_filters.FilterSet):
    target_type = django_filters.CharFilter(method="filter_target_type")

    class Meta:
        model = EvidenceLink
        fields = ["practice", "target_type", "target_id"]

    def filter_target_type(self, queryset: QuerySet[EvidenceLink], name: str, value: str) -> QuerySet[EvidenceLink]:
        app_label, _dot, model_name = value.lower().partition(".")
        return queryset.filter(target_type__app_label=app_label, target_type__model=model_name)
