"""One FilterSet per list, behind both the HTML page (which renders its form) and the API.

The subtree filter is orgs' UnitFilter (`?unit=<id>`) everywhere. Filters that pages reach only through links
(a plan's tasks, a theme's plans) are hidden inputs: kept when the form is sent again, never a bare id box.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

from chithi.core.inputs import IdFilter, YearFilter, YesNoFilter
from chithi.core.search import search
from chithi.orgs.filters import UnitFilter

from .models import OPEN_STATUSES, Directive, DirectiveKind, Plan, PlanTask, TaskStatus, Theme, ThemeKind
from .selectors import plan_years


def _search(placeholder: Any) -> django_filters.CharFilter:
    return django_filters.CharFilter(method="filter_q", label=_("Search"), widget=forms.TextInput(
        attrs={"type": "search", "placeholder": placeholder}))


def _hidden(field_name: str, label: Any) -> IdFilter:
    return IdFilter(field_name=field_name, label=label, widget=forms.HiddenInput)


class SearchFilterSet(django_filters.FilterSet):
    """The folded-text search every list of the room offers as `q`."""

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return search(queryset, value)


class DirectiveFilterSet(SearchFilterSet):
    q = _search(_("Number or title, with or without diacritics"))
    kind = django_filters.ChoiceFilter(choices=DirectiveKind.choices, label=_("Kind"), empty_label=_("Any kind"))

    class Meta:
        model = Directive
        fields = ["q", "kind"]


class ThemeFilterSet(SearchFilterSet):
    q = _search(_("Words of the theme"))
    year = YearFilter(label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=ThemeKind.choices, label=_("Kind"), empty_label=_("Any kind"))
    unit = UnitFilter()
    directive = _hidden("directive_id", _("Directive (id)"))

    class Meta:
        model = Theme
        fields = ["q", "year", "kind", "unit", "directive"]


class PlanFilterSet(SearchFilterSet):
    q = _search(_("Title, with or without diacritics"))
    year = YearFilter(label=_("Year"))
    theme = _hidden("theme_id", _("Theme (id)"))
    unit = UnitFilter()
    open = YesNoFilter(field_name="closed_on", lookup_expr="isnull", label=_("Open"),
                       empty=_("Open and closed plans"), yes=_("Open plans"), no=_("Closed plans"))

    class Meta:
        model = Plan
        fields = ["q", "year", "theme", "unit", "open"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        # The page offers the years that have plans; the list is read only when the form is drawn.
        self.filters["year"].extra["widget"] = forms.Select(attrs={"data-autosubmit": ""}, choices=(
            CallableChoiceIterator(lambda: [("", _("All years")), *((y, y) for y in plan_years(user))])))


class TaskFilterSet(SearchFilterSet):
    q = _search(_("Words of the task"))
    plan = _hidden("plan_id", _("Plan (id)"))
    year = YearFilter(field_name="plan__year", label=_("Year"))
    theme = _hidden("plan__theme_id", _("Theme (id)"))
    unit = UnitFilter(path_fields=("plan__organisation__path",))
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("Status"),
                                         empty_label=_("All statuses"))
    overdue = YesNoFilter(method="filter_overdue", label=_("Overdue"),
                          empty=_("Any deadline"), yes=_("Overdue only"), no=_("Not overdue"))
    required = YesNoFilter(label=_("Required by the higher level"),
                           empty=_("All tasks"), yes=_("Required tasks"), no=_("The unit's own tasks"))

    class Meta:
        model = PlanTask
        fields = ["q", "plan", "year", "theme", "unit", "status", "overdue", "required"]

    def filter_overdue(self, queryset: QuerySet[PlanTask], name: str, value: bool | None) -> QuerySet[PlanTask]:
        if value is None:
            return queryset
        late = {"status__in": OPEN_STATUSES, "deadline__lt": dt.date.today()}
        return queryset.filter(**late) if value else queryset.exclude(**late)
