"""FilterSets for the practice registry (HTML and API share them) and for the public showcase."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chithi.core.search import search
from chithi.orgs.models import Organisation

from .models import Practice, PracticeField, PracticeStatus

ORDERINGS = {
    "reach": ("-reach", "sort_key"),
    "name": ("sort_key", "id"),
    "newest": ("-started_on", "sort_key"),
}


def _within(queryset: QuerySet[Practice], value: Any) -> QuerySet[Practice]:
    root = Organisation.objects.filter(pk=value).values_list("path", flat=True).first()
    return queryset.filter(organisation__path__startswith=root) if root else queryset.none()


class PracticeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    field = django_filters.ChoiceFilter(choices=PracticeField.choices, method="filter_field", label=_("Field"))
    status = django_filters.ChoiceFilter(choices=PracticeStatus.choices, label=_("Status"))
    organisation = django_filters.NumberFilter(method="filter_organisation", label=_("Unit (with sub-units)"))
    is_public = django_filters.BooleanFilter(label=_("Public"))
    origins_only = django_filters.BooleanFilter(method="filter_origins", label=_("Origins only"))
    ordering = django_filters.ChoiceFilter(
        choices=[("reach", _("Spread furthest")), ("name", _("Name")), ("newest", _("Newest"))],
        method="filter_ordering", label=_("Order by"), empty_label=None)

    class Meta:
        model = Practice
        fields = ["q", "field", "status", "organisation", "is_public", "origins_only", "ordering"]

    def filter_q(self, queryset: QuerySet[Practice], name: str, value: str) -> QuerySet[Practice]:
        return search(queryset, value)

    def filter_field(self, queryset: QuerySet[Practice], name: str, value: str) -> QuerySet[Practice]:
        return queryset.filter(fields__contains=f",{value},") if value else queryset

    def filter_organisation(self, queryset: QuerySet[Practice], name: str, value: Any) -> QuerySet[Practice]:
        return _within(queryset, value) if value else queryset

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


class PublicPracticeFilterSet(django_filters.FilterSet):
    """What a citizen may filter by: words, field and unit. Nothing internal."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    field = django_filters.ChoiceFilter(choices=PracticeField.choices, method="filter_field", label=_("Field"))
    unit = django_filters.NumberFilter(method="filter_unit", label=_("Unit"))

    class Meta:
        model = Practice
        fields = ["q", "field", "unit"]

    def filter_q(self, queryset: QuerySet[Practice], name: str, value: str) -> QuerySet[Practice]:
        return search(queryset, value)

    def filter_field(self, queryset: QuerySet[Practice], name: str, value: str) -> QuerySet[Practice]:
        return queryset.filter(fields__contains=f",{value},") if value else queryset

    def filter_unit(self, queryset: QuerySet[Practice], name: str, value: Any) -> QuerySet[Practice]:
        return _within(queryset, value) if value else queryset

    @property
    def qs(self) -> QuerySet[Practice]:
        return super().qs.order_by("-reach", "sort_key")
