"""One FilterSet per list, behind both the HTML page and the API (after NetBox)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from chithi.core.search import search

from .models import Gender, Membership, Organisation, OrgKind, Person


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=OrgKind.choices, label=_("Kind"))
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("Parent unit (id)"))
    within = django_filters.NumberFilter(method="filter_within", label=_("Within unit (id)"))
    active = django_filters.BooleanFilter(method="filter_active", label=_("Still existing"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "parent", "within", "active"]

    def filter_q(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet[Organisation]:
        return search(queryset, value)

    def filter_within(self, queryset: QuerySet[Organisation], name: str, value: int) -> QuerySet[Organisation]:
        root = Organisation.objects.filter(pk=value).values_list("path", flat=True).first()
        return queryset.filter(path__startswith=root) if root else queryset.none()

    def filter_active(self, queryset: QuerySet[Organisation], name: str, value: bool | None) -> QuerySet[Organisation]:
        if value is None:
            return queryset
        return queryset.filter(dissolved_on__isnull=value)


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    organisation = django_filters.NumberFilter(method="filter_organisation", label=_("Unit (with sub-units)"))
    is_party_member = django_filters.BooleanFilter(label=_("Party member"))
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("Gender"))

    class Meta:
        model = Person
        fields = ["q", "organisation", "is_party_member", "gender"]

    def filter_q(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return search(queryset, value)

    def filter_organisation(self, queryset: QuerySet[Person], name: str, value: Any) -> QuerySet[Person]:
        root = Organisation.objects.filter(pk=value).values_list("path", flat=True).first()
        if not root:
            return queryset.none()
        return queryset.filter(Exists(Membership.objects.filter(
            Q(organisation__path__startswith=root), person=OuterRef("pk"), until__isnull=True)))
