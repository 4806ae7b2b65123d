"""Reads for inspection: what a user sees of programmes, cases and remedial work (the authorised roles of
either unit only: policy.SEE)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from chithi.core.permissions import get_scoped_or_404, restrict

from ..models import Case, Programme, ProgrammeItem, Remedy, RemedyStatus
from ..policy import SEE


def visible_programmes(user: Any) -> QuerySet[Programme]:
    return restrict(Programme.objects.select_related("organisation"), user, SEE).annotate(
        n_items=Count("items", distinct=True)).order_by("-year", "organisation__sort_key", "id")


def programme_detail(*, user: Any, pk: int) -> Programme:
    return get_scoped_or_404(Programme.objects.select_related("organisation"), user, SEE, pk=pk)


def programme_items(programme: Programme) -> list[ProgrammeItem]:
    return list(programme.items.select_related("target_unit", "target_person", "case"))


def item_detail(*, user: Any, pk: int) -> ProgrammeItem:
    return get_scoped_or_404(ProgrammeItem.objects.select_related("programme__organisation", "case"), user, SEE,
                             pk=pk)


def visible_cases(user: Any) -> QuerySet[Case]:
    today = timezone.localdate()
    return restrict(Case.objects.select_related("inspecting", "inspected_unit", "inspected_person"), user, SEE) \
        .annotate(n_remedies=Count("remedies", distinct=True),
                  n_open=Count("remedies", filter=~Q(remedies__status=RemedyStatus.VERIFIED), distinct=True),
                  n_overdue=Count("remedies", filter=~Q(remedies__status=RemedyStatus.VERIFIED)
                                  & Q(remedies__deadline__lt=today), distinct=True)).order_by("-decided_on", "-id")


def case_detail(*, user: Any, pk: int) -> Case:
    qs = Case.objects.select_related("inspecting", "inspected_unit", "inspected_unit__parent", "inspected_person",
                                     "item__programme").prefetch_related(
        "team", Prefetch("remedies", Remedy.objects.select_related("owner_unit", "owner_person", "case__inspecting")),
        "disciplines", "self_report_files")
    return get_scoped_or_404(qs, user, SEE, pk=pk)


def remedy_detail(*, user: Any, pk: int) -> Remedy:
    return get_scoped_or_404(Remedy.objects.select_related("case__inspecting", "case__inspected_unit", "owner_unit"),
                             user, SEE, pk=pk)
