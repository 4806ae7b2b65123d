"""One FilterSet per list, behind both the HTML page and the API (after NetBox)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from chithi.core.inputs import IdFilter, YesNoFilter
from chithi.core.permissions import restrict
from chithi.core.search import search

from .forms import indented
from .models import Gender, Membership, Organisation, OrgKind, Person


def _visible_units(request: Any) -> QuerySet[Organisation]:
    return restrict(Organisation.objects.all(), getattr(request, "user", None)).order_by("path")


class UnitSelect(forms.Select):
    """The unit filter's list, bounded: a reader who sees a province (thousands of units) or the country (60,000)
    would get a page of megabytes and a query over every unit. Up to `CHITHI_UNIT_PICKER_LIMIT` visible units it
    is the whole tree, indented; above, the top two levels of the reader's scope and the chosen unit, with a search
    box (core/static/chithi/chithi.js) that asks `orgs:unit_options` for the rest. `searchable` is False on public
    pages: that search answers signed-in users only."""

    searchable = True

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        iterator: Any = self.choices  # a ModelChoiceIterator: its field and queryset
        queryset = getattr(iterator, "queryset", None)
        if queryset is not None:
            limit = settings.CHITHI_UNIT_PICKER_LIMIT
            units = list(queryset[:limit + 1])
            if len(units) > limit:
                top = min(unit.depth for unit in units)
                chosen = [str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v]
                units = list(queryset.filter(depth__lte=top + 1)[:limit])
                # The chosen unit always shows, even where the top levels fill the list (it was cut by the slice).
                shown = {unit.pk for unit in units}
                units = sorted([*units, *(unit for unit in queryset.filter(pk__in=[c for c in chosen if c.isdigit()])
                                          if unit.pk not in shown)], key=lambda unit: unit.path)
                if self.searchable:
                    self.attrs.update({"data-unit-search": reverse("orgs:unit_options"),
                                       "data-unit-search-placeholder": str(_("Type to find a unit…"))})
            empty = [("", iterator.field.empty_label)] if iterator.field.empty_label is not None else []
            self.choices = [*empty, *((unit.pk, indented(unit)) for unit in units)]
        return super().get_context(name, value, attrs)


class UnitChoiceField(django_filters.fields.ModelChoiceField):  # type: ignore[misc]
    widget = UnitSelect

    def label_from_instance(self, obj: Organisation) -> str:
        return indented(obj)


@extend_schema_field(OpenApiTypes.INT)  # the API takes a unit's id
class UnitFilter(django_filters.ModelChoiceFilter):
    """The one subtree filter of every list and API: `?unit=<id>` keeps what lies in that unit or its
    sub-units. Only units the user can see are accepted (another id reads as an unknown choice)."""

    field_class = UnitChoiceField

    def __init__(self, *, path_fields: tuple[str, ...] = ("organisation__path",), **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Unit (with sub-units)"))
        kwargs.setdefault("empty_label", _("All units"))
        kwargs.setdefault("queryset", _visible_units)
        super().__init__(**kwargs)
        self.path_fields = path_fields

    def filter(self, qs: QuerySet[Any], value: Organisation | None) -> QuerySet[Any]:
        if not value:
            return qs
        condition = Q()
        for field in self.path_fields:
            condition |= Q(**{f"{field}__startswith": value.path})
        return qs.filter(condition)


def _search_box(placeholder: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"type": "search", "placeholder": placeholder})


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"),
                                  widget=_search_box(_("Name, with or without diacritics")))
    kind = django_filters.ChoiceFilter(choices=OrgKind.choices, label=_("Kind"), empty_label=_("All kinds"))
    parent = IdFilter(field_name="parent_id", label=_("Parent unit (id)"),
                                         widget=forms.HiddenInput)
    unit = UnitFilter(path_fields=("path",))
    active = YesNoFilter(label=_("Still existing"), empty=_("All"), yes=_("Existing"), no=_("Ceased"),
                         method="filter_active")

    class Meta:
        model = Organisation
        fields = ["q", "kind", "unit", "active", "parent"]

    def filter_q(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        return search(queryset, value)

    def filter_active(self, queryset: QuerySet[Organisation], name: str, value: bool | None) -> QuerySet[Organisation]:
        if value is None:
            return queryset
        return queryset.filter(dissolved_on__isnull=value)


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"),
                                  widget=_search_box(_("Name, phone, e-mail — with or without diacritics")))
    unit = UnitFilter(method="filter_unit")
    is_party_member = YesNoFilter(label=_("Party member"), empty=_("Everyone"), yes=_("Party members"),
                              no=_("Not party members"))
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("Gender"), empty_label=_("Everyone"))

    class Meta:
        model = Person
        fields = ["q", "unit", "is_party_member", "gender"]

    def filter_q(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return search(queryset, value)

    def filter_unit(self, queryset: QuerySet[Person], name: str, value: Organisation | None) -> QuerySet[Person]:
        """People who hold a current position in the unit or below (a past one does not count)."""
        if not value:
            return queryset
        return queryset.filter(Exists(Membership.objects.filter(
            organisation__path__startswith=value.path, person=OuterRef("pk"), until__isnull=True)))
