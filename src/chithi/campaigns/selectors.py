"""Reads for directives, themes, plans and tasks, always scoped; and the progress roll-up of a subtree.

The roll-up is a report: it reads through `core.db_routers.reporting_db()` (the replica when one is configured).
It costs a fixed number of queries whatever the size of the tree, and reads no more rows than it shows: one for
the units with the subtree sums the services keep (totals.py), one for the tasks fallen due since those were
counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Subquery, Sum

from chithi.core.db_routers import reporting_db
from chithi.core.permissions import Action, get_scoped_or_404, path_q, restrict, scope_paths
from chithi.orgs.models import PATH_STEP, Organisation

from . import totals
from .models import OPEN_STATUSES, Directive, Plan, PlanTask, RollupClock, TaskUpdate, Theme
from .progress import progress_sums


def visible_directives(user: Any, action: Action | str = Action.VIEW) -> QuerySet[Directive]:
    return restrict(Directive.objects.select_related("organisation"), user, action)


def visible_themes(user: Any, action: Action | str = Action.VIEW) -> QuerySet[Theme]:
    return restrict(Theme.objects.select_related("organisation", "directive"), user, action)


def visible_plans(user: Any, action: Action | str = Action.VIEW) -> QuerySet[Plan]:
    return restrict(Plan.objects.select_related("organisation", "theme", "parent"), user, action)


def visible_tasks(user: Any, action: Action | str = Action.VIEW) -> QuerySet[PlanTask]:
    return restrict(PlanTask.objects.select_related("plan__organisation", "plan__theme"), user, action)


def plan_detail(*, user: Any, pk: int, action: Action | str = Action.VIEW) -> Plan:
    """The plan with its progress sums (progress.plan_progress reads them, no second query)."""
    return get_scoped_or_404(visible_plans(user, action).annotate(**progress_sums()), user, action, pk=pk)


def task_detail(*, user: Any, pk: int, action: Action | str = Action.VIEW) -> PlanTask:
    return get_scoped_or_404(visible_tasks(user, action).prefetch_related("owner_people", "owner_units"), user,
                             action, pk=pk)


def task_timeline(*, task: PlanTask) -> QuerySet[TaskUpdate]:
    return task.updates.select_related("author")


def plan_tasks(*, plan: Plan) -> QuerySet[PlanTask]:
    return plan.tasks.prefetch_related("owner_people", "owner_units").order_by("deadline", "id")


# --- roll-up ------------------------------------------------------------------------------------


@dataclass
class RollupNode:
    org_id: int
    name: str
    short_name: str
    path: str
    depth: int
    parent_id: int | None
    active: bool
    plans: int = 0  # plans of the whole subtree
    own_plans: int = 0
    tasks: int = 0
    done: int = 0
    overdue: int = 0
    progress_sum: float = 0.0  # sum of plan progresses in the subtree
    own_progress_sum: float = 0.0
    level: int = 0
    children: list[RollupNode] = field(default_factory=list)

    @property
    def progress(self) -> float | None:
        """The mean progress of every plan in the subtree: each unit's plan counts once."""
        return self.progress_sum / self.plans if self.plans else None

    @property
    def own_progress(self) -> float | None:
        return self.own_progress_sum / self.own_plans if self.own_plans else None

    @property
    def pct(self) -> int:
        return round(self.progress or 0)

    @property
    def own_pct(self) -> int:
        return round(self.own_progress or 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.org_id, "name": self.name, "parent": self.parent_id, "depth": self.depth,
            "active": self.active, "plans": self.plans, "own_plans": self.own_plans, "tasks": self.tasks,
            "done": self.done, "overdue": self.overdue,
            "progress": None if self.progress is None else round(self.progress, 1),
            "own_progress": None if self.own_progress is None else round(self.own_progress, 1),
        }


@dataclass
class Rollup:
    roots: list[RollupNode]
    year: int | None
    theme_id: int | None
    today: dt.date

    def flatten(self, max_levels: int | None = None) -> list[RollupNode]:
        out: list[RollupNode] = []

        def walk(nodes: list[RollupNode], level: int) -> None:
            for node in nodes:
                node.level = level
                out.append(node)
                if max_levels is None or level < max_levels:
                    walk(node.children, level + 1)

        walk(self.roots, 0)
        return out


def _under(field: str, root_paths: list[str] | None) -> Q:
    return Q() if root_paths is None else path_q(field, root_paths)


def _levels_under(root_paths: list[str] | None, levels: int | None) -> Q:
    """Units at most `levels` below each root (all of them without a limit): the page reads only what it shows."""
    if levels is None:
        return _under("path", root_paths)
    if root_paths is None:  # the whole product (a superuser): the top units are the roots
        return Q(depth__lte=levels)
    query = Q(pk__in=[])
    for root in root_paths:
        query |= Q(path__startswith=root, depth__lte=root.count("/") - 1 + levels)
    return query


def rollup(*, user: Any, root: Organisation | None = None, year: int | None = None, theme_id: int | None = None,
           today: dt.date | None = None, using: str | None = None, levels: int | None = None) -> Rollup:
    """Progress of every visible unit under `root` (or under the top of the user's scope), down to `levels`
    below it: 2 queries after the scope lookup, read from `using` (default: the reporting database).

    The sums come from the stored totals (totals.py), so the cost follows the units shown, not the plans and tasks
    below them. A unit's subtree is wholly inside the scope of anyone who sees the unit (scopes are subtrees)."""
    today = today or dt.date.today()
    db = using or reporting_db()
    root_paths = [root.path] if root is not None else scope_paths(user, Action.VIEW)
    # Query 1: the units with their subtree sums for the period (plain tuples, no model instances).
    period = Q()
    if year:
        period &= Q(rollup_totals__year=year)
    if theme_id:
        period &= Q(rollup_totals__theme_id=theme_id)
    orgs = restrict(Organisation.objects.using(db), user, Action.VIEW).filter(_levels_under(root_paths, levels))
    rows = orgs.values_list("id", "name", "short_name", "path", "depth", "parent_id", "dissolved_on",
                            "sort_key").annotate(
        **{f"t_{name}": Sum(f"rollup_totals__{name}", filter=period, default=0) for name in totals.FIELDS},
    ).order_by()
    # Query 2: the stored overdue counts were counted against the clock's day; the open tasks that fell due
    # between that day and `today` (none once the nightly advance has run) correct them.
    clock = Subquery(RollupClock.objects.using(db).filter(pk=1).values("as_of")[:1])
    late = PlanTask.objects.using(db).filter(_under("plan__organisation__path", root_paths),
                                             status__in=OPEN_STATUSES).filter(
        Q(deadline__gte=clock, deadline__lt=today) | Q(deadline__gte=today, deadline__lt=clock))
    if year:
        late = late.filter(plan__year=year)
    if theme_id:
        late = late.filter(plan__theme_id=theme_id)
    corrections = late.values("plan__organisation__path").annotate(
        now_late=Count("id", filter=Q(deadline__lt=today)), not_yet=Count("id", filter=Q(deadline__gte=today)),
    ).order_by()
    nodes: dict[str, RollupNode] = {}
    by_id: dict[int, RollupNode] = {}
    order: dict[int, str] = {}
    for pk, name, short_name, path, depth, parent_id, dissolved_on, sort_key, *sums in rows:
        plans, progress_e6, tasks, done, overdue, own_plans, own_progress_e6 = sums
        node = RollupNode(org_id=pk, name=name, short_name=short_name, path=path, depth=depth, parent_id=parent_id,
                          active=dissolved_on is None, plans=plans, own_plans=own_plans, tasks=tasks, done=done,
                          overdue=overdue, progress_sum=progress_e6 / totals.E6,
                          own_progress_sum=own_progress_e6 / totals.E6)
        nodes[path] = node
        by_id[pk] = node
        order[pk] = sort_key
    step = PATH_STEP + 1
    for row in corrections:
        path = row["plan__organisation__path"]
        while path:  # the task counts in every shown ancestor's subtree
            above = nodes.get(path)
            if above is not None:
                above.overdue += row["now_late"] - row["not_yet"]
            path = path[:-step]
    roots: list[RollupNode] = []
    for node in nodes.values():
        # Units that have ceased show only where they still hold plans of the chosen period (history).
        if not node.active and not node.plans:
            continue
        parent = by_id.get(node.parent_id) if node.parent_id else None
        if parent is not None and (parent.active or parent.plans):
            parent.children.append(node)
        else:
            roots.append(node)

    def sort(children: list[RollupNode]) -> None:
        children.sort(key=lambda n: (not n.active, order[n.org_id]))
        for child in children:
            sort(child.children)

    sort(roots)
    roots.sort(key=lambda n: n.path)
    return Rollup(roots=roots, year=year, theme_id=theme_id, today=today)


def overdue_tasks(*, user: Any, root: Organisation | None, year: int | None = None, theme_id: int | None = None,
                  today: dt.date | None = None) -> QuerySet[PlanTask]:
    """The overdue tasks of the subtree, oldest deadline first."""
    tasks = visible_tasks(user).using(reporting_db()).overdue(today)  # type: ignore[attr-defined]
    if root is not None:
        tasks = tasks.filter(plan__organisation__path__startswith=root.path)
    if year:
        tasks = tasks.filter(plan__year=year)
    if theme_id:
        tasks = tasks.filter(plan__theme_id=theme_id)
    return tasks.order_by("deadline", "id")  # type: ignore[no-any-return]


def plan_years(user: Any) -> list[int]:
    years = restrict(Plan.objects.all(), user, Action.VIEW).order_by().values_list("year", flat=True).distinct()
    return sorted(years, reverse=True)
