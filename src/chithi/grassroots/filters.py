"""One FilterSet per list, behind both the page and the API; the subtree filter is orgs' UnitFilter (`unit`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chithi.core.inputs import IdFilter, YearFilter, YesNoFilter
from chithi.core.search import search
from chithi.orgs.filters import UnitFilter

from .models import (
    AttendanceStatus,
    CeremonyStatus,
    Commitment,
    FlagCeremony,
    HelpOutcome,
    HomeHelpRequest,
    Household,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Procedure,
    Visit,
    VisitStatus,
    WorkingGroup,
)
from .selectors.fieldwork import week_bounds


def _search(queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
    return search(queryset, value)


def _year(queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
    """Rows whose month (`period`, yyyymm) falls in the year."""
    year = int(value)
    return queryset.filter(period__gte=year * 100 + 1, period__lte=year * 100 + 12)


class MeetingFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method=_search, label=_("Search"))
    unit = UnitFilter()
    year = YearFilter(method=_year, label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices, label=_("Status"))

    class Meta:
        model = Meeting
        fields = ["q", "unit", "year", "kind", "status"]


class AttendanceFilterSet(django_filters.FilterSet):
    unit = UnitFilter(path_fields=("meeting__organisation__path",))
    meeting = IdFilter(field_name="meeting_id", label=_("Meeting"))
    person = IdFilter(field_name="person_id", label=_("Member"))
    status = django_filters.ChoiceFilter(choices=AttendanceStatus.choices, label=_("Attendance"))


class CommitmentFilterSet(django_filters.FilterSet):
    unit = UnitFilter()
    year = YearFilter(label=_("Year"))
    person = IdFilter(field_name="person_id", label=_("Member"))

    class Meta:
        model = Commitment
        fields = ["unit", "year", "person"]


class GroupFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method=_search, label=_("Search"))
    unit = UnitFilter()
    current = YesNoFilter(method="filter_current", label=_("Working now"), yes=_("Working now"),
                          no=_("Ended or not started"))

    class Meta:
        model = WorkingGroup
        fields = ["q", "unit", "current"]

    def filter_current(self, queryset: QuerySet[WorkingGroup], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        today = timezone.localdate()
        current = queryset.filter(starts_on__lte=today).exclude(ends_on__lt=today)
        return current if value else queryset.exclude(pk__in=current.values("pk"))


class HouseholdFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method=_search, label=_("Search"))
    unit = UnitFilter(path_fields=("residential_area__path",))

    class Meta:
        model = Household
        fields = ["q", "unit"]


class VisitFilterSet(django_filters.FilterSet):
    unit = UnitFilter(path_fields=("household__residential_area__path", "group__organisation__path"))
    group = IdFilter(field_name="group_id", label=_("Working group (id)"))
    status = django_filters.ChoiceFilter(choices=VisitStatus.choices, label=_("Status"))
    since = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("From"))
    until = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("Until"))

    class Meta:
        model = Visit
        fields = ["unit", "group", "status", "since", "until"]


WHEN = [("week", _("This week")), ("next_week", _("Next week")), ("open", _("Not finished")), ("all", _("All"))]


class HomeHelpFilterSet(django_filters.FilterSet):
    """A unit's list shows what is due this week unless asked otherwise."""

    unit = UnitFilter(path_fields=("organisation__path", "household__residential_area__path"))
    when = django_filters.ChoiceFilter(choices=WHEN, method="filter_when", label=_("When"), empty_label=None)
    outcome = django_filters.ChoiceFilter(choices=HelpOutcome.choices, label=_("Outcome"))
    procedure = django_filters.ModelChoiceFilter(queryset=Procedure.objects.all(), label=_("Procedure"))

    class Meta:
        model = HomeHelpRequest
        fields = ["unit", "when", "outcome", "procedure"]

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and not data.get("when"):
            data = data.copy()
            data["when"] = "week"
        super().__init__(data, *args, **kwargs)

    def filter_when(self, queryset: QuerySet[HomeHelpRequest], name: str, value: str) -> QuerySet[Any]:
        start, end = week_bounds()
        if value == "week":
            return queryset.filter(slot_start__gte=start, slot_start__lt=end)
        if value == "next_week":
            return queryset.filter(slot_start__gte=end, slot_start__lt=end + dt.timedelta(days=7))
        if value == "open":
            return queryset.filter(outcome__in=[HelpOutcome.PENDING, HelpOutcome.AGAIN])
        return queryset


class CeremonyFilterSet(django_filters.FilterSet):
    unit = UnitFilter()
    status = django_filters.ChoiceFilter(choices=CeremonyStatus.choices, label=_("Status"))
    year = YearFilter(method=_year, label=_("Year"))

    class Meta:
        model = FlagCeremony
        fields = ["unit", "status", "year"]
