"""One FilterSet per list, shared by the HTML pages and the API (after NetBox)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chithi.core.search import search
from chithi.orgs.models import Organisation

from .models import OPEN_STATUSES, Dialogue, Issue, IssueCategory, IssueChannel, IssueStatus


class IssueFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=IssueStatus.choices, label=_("Status"))
    category = django_filters.ModelChoiceFilter(queryset=IssueCategory.objects.all(), label=_("Category"))
    channel = django_filters.ChoiceFilter(choices=IssueChannel.choices, label=_("Channel"))
    state = django_filters.ChoiceFilter(
        method="filter_state", label=_("Show"),
        choices=[("open", pgettext_lazy("issue", "Open")), ("overdue", _("Overdue")), ("finished", _("Finished"))])
    within = django_filters.NumberFilter(method="filter_within", label=_("Within unit (id)"))
    dialogue = django_filters.NumberFilter(field_name="dialogue_id", label=_("Dialogue (id)"))

    class Meta:
        model = Issue
        fields = ["q", "status", "category", "channel", "state", "within", "dialogue"]

    def filter_q(self, queryset: QuerySet[Issue], name: str, value: str) -> QuerySet[Issue]:
        return search(queryset, value)

    def filter_state(self, queryset: QuerySet[Issue], name: str, value: str) -> QuerySet[Issue]:
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == "overdue":
            return queryset.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
        if value == "finished":
            return queryset.exclude(status__in=OPEN_STATUSES)
        return queryset

    def filter_within(self, queryset: QuerySet[Issue], name: str, value: int) -> QuerySet[Issue]:
        root = Organisation.objects.filter(pk=value).values_list("path", flat=True).first()
        if not root:
            return queryset.none()
        return queryset.filter(Q(organisation__path__startswith=root) | Q(escalated_to__path__startswith=root))


class DialogueFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    year = django_filters.NumberFilter(field_name="held_on__year", label=_("Year"))
    within = django_filters.NumberFilter(method="filter_within", label=_("Within unit (id)"))

    class Meta:
        model = Dialogue
        fields = ["q", "year", "within"]

    def filter_q(self, queryset: QuerySet[Dialogue], name: str, value: str) -> QuerySet[Dialogue]:
        return search(queryset, value)

    def filter_within(self, queryset: QuerySet[Dialogue], name: str, value: Any) -> QuerySet[Dialogue]:
        root = Organisation.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(organisation__path__startswith=root) if root else queryset.none()
