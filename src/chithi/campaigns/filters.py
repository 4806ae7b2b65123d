"""One FilterSet per list, behind both the HTML page and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chithi.core.search import search
from chithi.orgs.models import Organisation

from .models import OPEN_STATUSES, Directive, DirectiveKind, Plan, PlanTask, TaskStatus, Theme, ThemeKind


def _within(queryset: QuerySet[Any], field: str, value: Any) -> QuerySet[Any]:
    root = Organisation.objects.filter(pk=value).values_list("path", flat=True).first()
    return queryset.filter(**{f"{field}__startswith": root}) if root else queryset.none()


class DirectiveFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=DirectiveKind.choices, label=_("Kind"))

    class Meta:
        model = Directive
        fields = ["q", "kind"]

    def filter_q(self, queryset: QuerySet[Directive], name: str, value: str) -> QuerySet[Directive]:
        return search(queryset, value)


class ThemeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    year = django_filters.NumberFilter(label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=ThemeKind.choices, label=_("Kind"))
    organisation = django_filters.NumberFilter(field_name="organisation_id", label=_("Unit (id)"))
    directive = django_filters.NumberFilter(field_name="directive_id", label=_("Directive (id)"))

    class Meta:
        model = Theme
        fields = ["q", "year", "kind", "organisation", "directive"]

    def filter_q(self, queryset: QuerySet[Theme], name: str, value: str) -> QuerySet[Theme]:
        return search(queryset, value)


class PlanFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    year = django_filters.NumberFilter(label=_("Year"))
    theme = django_filters.NumberFilter(field_name="theme_id", label=_("Theme (id)"))
    organisation = django_filters.NumberFilter(field_name="organisation_id", label=_("Unit (id)"))
    within = django_filters.NumberFilter(method="filter_within", label=_("Within unit (id)"))
    open = django_filters.BooleanFilter(field_name="closed_on", lookup_expr="isnull", label=_("Open"))

    class Meta:
        model = Plan
        fields = ["q", "year", "theme", "organisation", "within", "open"]

    def filter_q(self, queryset: QuerySet[Plan], name: str, value: str) -> QuerySet[Plan]:
        return search(queryset, value)

    def filter_within(self, queryset: QuerySet[Plan], name: str, value: Any) -> QuerySet[Plan]:
        return _within(queryset, "organisation__path", value)


class TaskFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    plan = django_filters.NumberFilter(field_name="plan_id", label=_("Plan (id)"))
    year = django_filters.NumberFilter(field_name="plan__year", label=_("Year"))
    theme = django_filters.NumberFilter(field_name="plan__theme_id", label=_("Theme (id)"))
    within = django_filters.NumberFilter(method="filter_within", label=_("Within unit (id)"))
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    required = django_filters.BooleanFilter(label=_("Required by the higher level"))

    class Meta:
        model = PlanTask
        fields = ["q", "plan", "year", "theme", "within", "status", "overdue", "required"]

    def filter_q(self, queryset: QuerySet[PlanTask], name: str, value: str) -> QuerySet[PlanTask]:
        return search(queryset, value)

    def filter_within(self, queryset: QuerySet[PlanTask], name: str, value: Any) -> QuerySet[PlanTask]:
        return _within(queryset, "plan__organisation__path", value)

    def filter_overdue(self, queryset: QuerySet[PlanTask], name: str, value: bool | None) -> QuerySet[PlanTask]:
        if value is None:
            return queryset
        late = {"status__in": OPEN_STATUSES, "deadline__lt": dt.date.today()}
        return queryset.filter(**late) if value else queryset.exclude(**late)
