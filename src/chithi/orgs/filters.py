"""One FilterSet per list, behind both the HTML page and the API (after NetBox)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from chithi.core.permissions import restrict
from chithi.core.search import search

from .models import Gender, Membership, Organisation, OrgKind, Person


def _visible_units(request: Any) -> QuerySet[Organisation]:
    return restrict(Organisation.objects.all(), getattr(request, "user", None)).order_by("path")


class UnitChoiceField(django_filters.fields.ModelChoiceField):  # type: ignore[misc]
    def label_from_instance(self, obj: Organisation) -> str:
        return "\u00a0\u00a0" * obj.depth + obj.name


@extend_schema_field(OpenApiTypes.INT)  # the unit's id (its choices depend on the user, so no enum)
class UnitFilter(django_filters.ModelChoiceFilter):
    """The one subtree filter of every list and API: `?unit=<id>` keeps what lies in that unit or its
    sub-units. Only units the user can see are accepted (another id reads as an unknown choice)."""

    field_class = UnitChoiceField

    def __init__(self, *, path_fields: tuple[str, ...] = ("organisation__path",), **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Unit (with sub-units)"))
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
