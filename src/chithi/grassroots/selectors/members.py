"""Reads for commitments: the cells in the user's scope, and the user's own (a member reads and writes theirs)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from chithi.core.permissions import Action, restrict
from chithi.orgs.models import Membership, Organisation, OrgKind

from ..models import Commitment
from .meetings import members_on_q


def visible_commitments(user: Any, action: Action | str = Action.VIEW) -> QuerySet[Commitment]:
    scoped = restrict(Commitment.objects.all(), user, action)
    own = Q(person_id=user.person_id) if getattr(user, "person_id", None) else Q(pk__in=[])
    return Commitment.objects.filter(Q(pk__in=scoped.values("pk")) | own).select_related("person", "organisation")


def commitment_detail(*, user: Any, pk: int) -> Commitment:
    try:
        return visible_commitments(user).get(pk=pk)
    except (Commitment.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def own_cells(user: Any) -> QuerySet[Organisation]:
    """The party cells the user's person belongs to today."""
    today = timezone.localdate()
    return Organisation.objects.filter(kind=OrgKind.PARTY_CELL, pk__in=Membership.objects.filter(
        members_on_q(today), person_id=user.person_id).values("organisation_id"))


def year_end_reviews(*, user: Any, unit: Organisation, year: int) -> dict[str, int]:
    """How the cells under a unit reviewed their members' commitments for a year: {grade or "": count} — what the
    annual evaluation (oversight) reads. Scoped: only what the user may see."""
    from django.db.models import Count

    rows = restrict(Commitment.objects.filter(year=year, organisation__path__startswith=unit.path), user,
                    Action.VIEW).values("review_grade").annotate(n=Count("id"))
    return {row["review_grade"]: row["n"] for row in rows}
