"""One FilterSet per list, behind both the staff page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from chithi.core.search import search
from chithi.orgs.filters import UnitFilter

from .models import Article, ArticleStatus, Category, Feedback, FeedbackStatus


@extend_schema_field(OpenApiTypes.INT)
class _UnitFilter(UnitFilter):
    """orgs.filters.UnitFilter, typed for the OpenAPI schema (its choices come from a callable drf-spectacular
    cannot follow); the type belongs on UnitFilter itself once the orgs room takes it."""


class ArticleFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ArticleStatus.choices)
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=Category.objects.all())
    unit = _UnitFilter()

    class Meta:
        model = Article
        fields = ["q", "status", "category", "unit"]

    def filter_q(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return search(qs, value[:200])


class FeedbackFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FeedbackStatus.choices)
    unit = _UnitFilter(path_fields=("article__organisation__path",))

    class Meta:
        model = Feedback
        fields = ["status", "unit"]
