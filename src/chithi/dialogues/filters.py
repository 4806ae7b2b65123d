"""One FilterSet per list, shared by the HTML pages and the API (after NetBox); `unit` is the one subtree filter."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chithi.core.inputs import IdFilter, YearFilter
from chithi.core.search import search
from chithi.orgs.filters import UnitFilter

from . import selectors
from .models import OPEN_STATUSES, Dialogue, Issue, IssueCategory, IssueChannel, IssueStatus


class SearchFilterSet(django_filters.FilterSet):
    """`q`: the folded search over the model's search column."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return search(queryset, value)


class IssueFilterSet(SearchFilterSet):
    # An issue lies in a unit's subtree when that unit handles it or it was escalated there. (UnitFilter reads
    # path_fields only; field_name tells the API schema that `unit` is a unit's id.)
    unit = UnitFilter(field_name="organisation", path_fields=("organisation__path", "escalated_to__path"))
    state = django_filters.ChoiceFilter(
        method="filter_state", label=_("Show"), empty_label=_("All"),
        choices=[("open", pgettext_lazy("issue", "Open")), ("overdue", _("Overdue")), ("finished", _("Finished"))])
    status = django_filters.ChoiceFilter(choices=IssueStatus.choices, label=_("Status"), empty_label=_("Any status"))
    category = django_filters.ModelChoiceFilter(queryset=IssueCategory.objects.all(), label=_("Category"),
                                                empty_label=_("Any category"))
    channel = django_filters.ChoiceFilter(choices=IssueChannel.choices, label=_("Channel"))
    dialogue = IdFilter(field_name="dialogue_id", label=_("Dialogue (id)"))

    class Meta:
        model = Issue
        fields = ["q", "unit", "state", "status", "category", "channel", "dialogue"]

    def filter_state(self, queryset: QuerySet[Issue], name: str, value: str) -> QuerySet[Issue]:
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == "overdue":
            return queryset.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
        if value == "finished":
            return queryset.exclude(status__in=OPEN_STATUSES)
        return queryset


class IssueQueueFilterSet(IssueFilterSet):
    """The staff queue: a unit's own queue (what it handles and what was escalated to it), or with
    `sub` its whole subtree's."""

    sub = django_filters.BooleanFilter(method="filter_sub", label=_("with sub-units"), widget=forms.CheckboxInput)
    channel = None  # type: ignore[assignment]
    dialogue = None  # type: ignore[assignment]

    class Meta(IssueFilterSet.Meta):
        fields = ["unit", "sub", "state", "status", "category", "q"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["unit"].label = _("Unit")
        # Empty means the user's own unit (the view fills it in). Without an empty choice, Django would read the
        # whole list of units once more to decide on the `required` attribute.
        self.filters["unit"].extra["empty_label"] = _("— my unit —")
        self.filters["q"].extra["widget"] = forms.TextInput(attrs={"type": "search",
                                                                   "placeholder": _("Code, words, area")})

    def filter_sub(self, queryset: QuerySet[Issue], name: str, value: bool | None) -> QuerySet[Issue]:
        unit = self.form.cleaned_data.get("unit")
        if unit is None or value:
            return queryset  # the unit filter has kept the whole subtree
        return queryset.filter(selectors.queue_q(unit))


class DialogueFilterSet(SearchFilterSet):
    unit = UnitFilter(field_name="organisation")
    year = YearFilter(field_name="held_on__year", label=_("Year"))

    class Meta:
        model = Dialogue
        fields = ["q", "unit", "year"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["q"].extra["widget"] = forms.TextInput(attrs={"type": "search",
                                                                   "placeholder": _("Topic or place")})


class PublishedIssueFilterSet(django_filters.FilterSet):
    """The public list of answered issues: by kind and ward only, never by free text, which could match a
    reporter's name."""

    category = django_filters.ModelChoiceFilter(
        queryset=selectors.public_categories(), to_field_name="code", label=_("Kind of issue"),
        empty_label=_("All categories"), widget=forms.Select(attrs={"data-autosubmit": ""}))
    # Past the ward limit (a national installation) the province comes first: choosing one reloads the list
    # with that province's issues and its wards in the ward list (selectors.wards_by_province).
    province = django_filters.ModelChoiceFilter(
        field_name="area_unit__parent", queryset=selectors.public_provinces(), label=_("Province or city"),
        empty_label=_("All provinces and cities"), widget=forms.Select(attrs={"data-autosubmit": ""}))
    ward = django_filters.ModelChoiceFilter(
        field_name="area_unit", queryset=selectors.public_wards(), label=_("Ward"), empty_label=_("All wards"),
        widget=forms.Select(attrs={"data-autosubmit": ""}))

    class Meta:
        model = Issue
        fields = ["category", "province", "ward"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        by_province = selectors.wards_by_province()
        if not by_province:
            self.filters.pop("province")
        fields = self.form.fields
        fields["ward"].label_from_instance = selectors.ward_label  # type: ignore[attr-defined]
        if by_province:
            fields["province"].label_from_instance = selectors.ward_label  # type: ignore[attr-defined]
            fields["ward"].queryset = selectors.ward_choices(  # type: ignore[attr-defined]
                province=self.data.get("province"), ward=self.data.get("ward"))
