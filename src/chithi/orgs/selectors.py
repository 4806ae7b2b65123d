"""Reads for organisations and people, always scoped through restrict(), and so is every related unit they show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When

from chithi.core.permissions import Action, get_scoped_or_404, path_q, restrict, scope_paths
from chithi.core.text import differing_start

from .models import (
    Membership,
    Organisation,
    OrganisationQuerySet,
    OrgParentPeriod,
    Person,
    RestructuringEvent,
    RoleAssignment,
)


@dataclass
class TreeNode:
    org: Organisation
    children: list[TreeNode] = field(default_factory=list)
    level: int = 0


def visible_orgs(user: Any, action: Action | str = Action.VIEW) -> OrganisationQuerySet:
    return cast(OrganisationQuerySet, restrict(Organisation.objects.all(), user, action))


def org_tree(*, user: Any, on_date: dt.date | None = None) -> list[TreeNode]:
    """The visible tree, today or as it stood on a date; two queries whatever its size."""
    orgs = visible_orgs(user)
    if on_date is None:
        orgs = orgs.active()
        rows = list(orgs.order_by("depth", "sort_key"))
        parent_of = {o.pk: o.parent_id for o in rows}
    else:
        orgs = orgs.active_on(on_date)
        rows = list(orgs.order_by("depth", "sort_key"))
        periods = OrgParentPeriod.objects.filter(
            Q(since__isnull=True) | Q(since__lte=on_date), Q(until__isnull=True) | Q(until__gt=on_date),
            organisation__in=[o.pk for o in rows],
        ).values_list("organisation_id", "parent_id")
        parent_of = dict(periods)
    nodes = {o.pk: TreeNode(org=o) for o in rows}
    roots: list[TreeNode] = []
    for org in rows:
        parent_id = parent_of.get(org.pk)
        node = nodes[org.pk]
        if parent_id in nodes:
            nodes[parent_id].children.append(node)
        else:
            roots.append(node)  # the top of what this user may see

    def sort(children: list[TreeNode], level: int) -> None:
        children.sort(key=lambda n: (n.org.kind != "department", n.org.sort_key))
        for child in children:
            child.level = level
            sort(child.children, level + 1)

    sort(roots, 0)
    return roots


def flatten(nodes: list[TreeNode]) -> list[TreeNode]:
    out: list[TreeNode] = []
    for node in nodes:
        out.append(node)
        out.extend(flatten(node.children))
    return out


def org_detail(*, user: Any, pk: int) -> Organisation:
    return get_scoped_or_404(Organisation.objects.select_related("parent"), user, Action.VIEW, pk=pk)


def org_children(*, user: Any, org: Organisation) -> QuerySet[Organisation]:
    return visible_orgs(user).filter(parent=org).annotate(
        member_count=Count("memberships", filter=Q(memberships__until__isnull=True))
    ).order_by("dissolved_on", "sort_key")


# A unit's roster reads as its posts rank, the way a committee lists itself: the head (Bí thư, Trưởng ban, Chủ tịch…),
# the deputies, the standing committee, the other committee members, then everyone else; by name within a rank. The
# position is free text, so the rank is read from how it begins; an unknown post sorts with the members.
_HEADS = ("Bí thư", "Trưởng", "Chủ tịch", "Chủ nhiệm", "Chánh", "Giám đốc", "Hiệu trưởng", "Chỉ huy trưởng",
          "Tổ trưởng")


def post_rank() -> Case:
    whens = [When(position__startswith=head, then=Value(0)) for head in _HEADS]
    whens += [When(position__startswith="Phó", then=Value(1)),
              When(position__startswith="Chính trị viên", then=Value(1)),
              When(position__startswith="Ủy viên Ban Thường vụ", then=Value(2)),
              When(position__startswith="Ủy viên", then=Value(3))]
    return Case(*whens, default=Value(4), output_field=IntegerField())


def org_memberships(*, org: Organisation, current: bool = True) -> QuerySet[Membership]:
    qs = Membership.objects.filter(organisation=org).select_related("person")
    if current:
        return qs.filter(until__isnull=True).order_by(post_rank(), "person__sort_key", "id")
    return qs.filter(until__isnull=False).order_by("-until", "person__sort_key")


def org_roles(*, org: Organisation) -> QuerySet[RoleAssignment]:
    """The roles held on the unit itself (the caller has checked the user may manage them)."""
    return RoleAssignment.objects.filter(organisation=org).select_related("user").order_by("user__username")


def org_restructurings(*, user: Any, org: Organisation) -> QuerySet[RestructuringEvent]:
    """The mergers and splits the unit took part in, each with the other units the user may see."""
    visible = visible_orgs(user).order_by("sort_key")
    return RestructuringEvent.objects.filter(Q(sources=org) | Q(results=org)).distinct().prefetch_related(
        Prefetch("sources", queryset=visible), Prefetch("results", queryset=visible))


def visible_parent(*, user: Any, org: Organisation) -> Organisation | None:
    """The unit above `org`, if the user may see it: where an "up one level" link may lead (a ward secretary's
    pages stop at the ward)."""
    if org.parent_id is None:
        return None
    return visible_orgs(user).filter(pk=org.parent_id).first()


def unit_labels(units: Iterable[Organisation]) -> list[str]:
    """Names for units shown side by side (chart bars): each unit's short name where no other unit among them has
    it; where it is shared, the short name with what tells the full names apart ("Chi bộ KP1 · phường 3").

    After the 2025 merger one ward holds a "Chi bộ KP1" from each former ward: their short names no longer tell
    them apart, and their full names differ only at the end, which a chart's label column cuts off."""
    units = list(units)
    short = [u.short_name or u.name for u in units]
    groups: dict[str, list[int]] = {}
    for index, name in enumerate(short):
        groups.setdefault(name, []).append(index)
    labels = list(short)
    for name, indexes in groups.items():
        if len(indexes) < 2:
            continue
        full = [units[i].name for i in indexes]
        start = differing_start(full)
        for i, name_in_full in zip(indexes, full, strict=True):
            rest = name_in_full[start:].strip(" ,")
            labels[i] = f"{name} · {rest}" if start and rest else name_in_full
    return labels


def org_successor(*, user: Any, org: Organisation) -> Organisation | None:
    """The unit that took over a ceased unit, if the user may see it."""
    if org.successor_id is None:
        return None
    return visible_orgs(user).filter(pk=org.successor_id).first()


def with_current_memberships(people: QuerySet[Person], user: Any,
                             action: Action | str = Action.VIEW) -> QuerySet[Person]:
    """People with their current memberships (and units) prefetched as `current_memberships_list` — only the
    memberships in the user's scope for `action`: a person in the user's cell who also heads a city department
    must not show the department to the cell (issue 9). Lists, the API and exports all read this one list."""
    current = restrict(Membership.objects.filter(until__isnull=True), user, action)
    current = current.select_related("organisation").order_by("since")
    return people.prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships_list"))


def visible_people(user: Any, action: Action | str = Action.VIEW) -> QuerySet[Person]:
    return with_current_memberships(restrict(Person.objects.all(), user, action), user, action)


def writable_people(user: Any) -> QuerySet[Person]:
    """The people a user may write (edit the record, add a membership): the one rule behind orgs.policy.PERSON,
    the edit pages and the API's writes: a *current* membership in the user's change scope. A past membership
    keeps the person readable as history (visible_people), never writable: a cell's secretary must not go on
    editing someone who left the cell (issue 9)."""
    paths = scope_paths(user, Action.CHANGE)
    people = Person.objects.all()
    if paths is None:
        return people
    if not paths:
        return people.none()
    current_in_scope = Membership.objects.filter(path_q("organisation__path", paths), person=OuterRef("pk"),
                                                 until__isnull=True)
    return people.filter(Exists(current_in_scope))


def person_detail(*, user: Any, pk: int) -> Person:
    return get_scoped_or_404(Person, user, Action.VIEW, pk=pk)


def users_with_role(
    unit: Organisation, *, roles: Iterable[str] | None = None, upward: bool = False,
) -> list[Any]:
    """Active users holding one of `roles` (any role when None) on `unit` — the one selector every notice uses.

    With `upward`, when nobody holds such a role on the unit itself, the nearest ancestor with such users
    answers instead (a referral to a cell with no account reaches the ward's secretary, then the province).
    """
    from chithi.core.models import User

    assignments = RoleAssignment.objects.filter(user__is_active=True, organisation__dissolved_on__isnull=True)
    if roles is not None:
        assignments = assignments.filter(role__in=list(roles))
    paths = unit.ancestor_paths()[::-1] if upward else [unit.path]
    holders: dict[str, list[int]] = {}
    for path, user_id in assignments.filter(organisation__path__in=paths).values_list("organisation__path",
                                                                                       "user_id"):
        holders.setdefault(path, []).append(user_id)
    for path in paths:
        if holders.get(path):
            return list(User.objects.filter(pk__in=holders[path]).order_by("pk"))
    return []
