"""Reads for practices, always scoped through restrict(); the public showcase reads only public practices."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from chithi.core.permissions import Action, get_scoped_or_404, restrict
from chithi.core.rooms import linkable_models
from chithi.orgs.models import PATH_STEP, Organisation

from .models import (
    Commendation,
    EvidenceLink,
    Indicator,
    Practice,
    PracticeQuerySet,
    PracticeStatus,
    Replication,
    Result,
)
from .policy import CHANGE, PRACTICE


def count_reach(practice: Practice) -> int:
    """Other units running a replication of the practice, at any depth; stopped replications do not count."""
    return (Practice.objects.descendants_of(practice).exclude(organisation_id=practice.organisation_id)
            .exclude(status=PracticeStatus.STOPPED).values("organisation_id").distinct().count())


def visible_practices(user: Any, action: Action | str = Action.VIEW) -> PracticeQuerySet:
    return restrict(Practice.objects.select_related("organisation"), user, action)  # type: ignore[return-value]


def practice_detail(*, user: Any, pk: int, action: Action | str = Action.VIEW) -> Practice:
    return get_scoped_or_404(Practice.objects.select_related("organisation", "replicated_from__origin__organisation"),
                             user, action, pk=pk)


def public_practices(*, include_replications: bool = False) -> PracticeQuerySet:
    """Public practices. The showcase lists each lineage once, from its topmost public practice: a public
    replication of a public practice appears on that practice's page, not as a card of its own."""
    qs = Practice.objects.public().select_related("organisation")
    if not include_replications:
        qs = qs.exclude(replicated_from__origin__is_public=True)
    return qs


def public_practice(*, pk: int) -> Practice:
    from django.http import Http404

    practice = Practice.objects.public().select_related("organisation").filter(pk=pk).first()
    if practice is None:
        raise Http404
    return practice


def indicators_with_results(practice: Practice) -> list[Indicator]:
    """Indicators and their results by period: two queries."""
    return list(practice.indicators.prefetch_related(
        Prefetch("results", queryset=Result.objects.order_by("period_start"))).order_by("position", "id"))


def results_table(indicators: list[Indicator]) -> tuple[list[str], list[tuple[Indicator, list[Result | None]]]]:
    """Periods as columns (by start date), indicators as rows; None where nothing was recorded."""
    periods: dict[tuple[Any, Any], str] = {}
    for indicator in indicators:
        for result in indicator.results.all():
            periods.setdefault((result.period_start, result.period_end), result.period_label)
    keys = sorted(periods)
    rows = []
    for indicator in indicators:
        by_period = {(r.period_start, r.period_end): r for r in indicator.results.all()}
        rows.append((indicator, [by_period.get(k) for k in keys]))
    return [periods[k] for k in keys], rows


@dataclass
class LineageNode:
    practice: Practice
    level: int
    visible: bool
    replication: Replication | None = None
    is_current: bool = False
    in_scope: bool = False  # False for a public node outside the user's scope: it links to the showcase


def lineage(*, practice: Practice, user: Any = None, public: bool = False) -> list[LineageNode]:
    """The replication tree the practice belongs to, origin first, in tree order: three queries whatever its
    size. Internally, a node outside the user's scope that is not public shows only as a placeholder; on the
    public showcase, non-public nodes are left out and their public replications hang from the nearest
    public ancestor."""
    rows = list(Practice.objects.lineage_of(practice).select_related("organisation").order_by("lineage_path"))
    replications = {r.adopting_id: r for r in Replication.objects.filter(adopting__in=[p.pk for p in rows])}
    in_scope: set[int] = set()
    if public:
        shown = {p.pk for p in rows if p.is_public}
    else:
        in_scope = set(restrict(Practice.objects.filter(pk__in=[p.pk for p in rows]), user)
                       .values_list("pk", flat=True))
        shown = in_scope | {p.pk for p in rows if p.is_public}
    nodes: list[LineageNode] = []
    for row in rows:
        if public and row.pk not in shown:
            continue
        segments = [int(s) for s in row.lineage_path.strip("/").split("/")]
        level = sum(1 for s in segments[:-1] if s in shown) if public else row.lineage_depth
        nodes.append(LineageNode(practice=row, level=min(level, 10), visible=row.pk in shown,
                                 replication=replications.get(row.pk), is_current=row.pk == practice.pk,
                                 in_scope=row.pk in in_scope))
    return nodes


@dataclass
class UnitNode:
    org: Organisation
    level: int
    practices: list[Practice] = field(default_factory=list)


def unit_map(nodes: list[LineageNode]) -> list[UnitNode]:
    """The units where the lineage runs, placed in the organisation tree (with their ancestors for context):
    one query for the ancestors. Drawn as an indented list: no map tiles, works offline."""
    running: dict[int, list[Practice]] = {}
    orgs: dict[int, Organisation] = {}
    for node in nodes:
        if node.visible:
            running.setdefault(node.practice.organisation_id, []).append(node.practice)
            orgs[node.practice.organisation_id] = node.practice.organisation
    if not orgs:
        return []
    paths: set[str] = set()
    for org in orgs.values():
        paths.update(org.ancestor_paths())
    known = {o.path for o in orgs.values()}
    ancestors = list(Organisation.objects.filter(path__in=paths - known))
    everything = sorted([*orgs.values(), *ancestors], key=lambda o: o.path)
    top = min(len(o.path) for o in everything) // (PATH_STEP + 1)
    return [UnitNode(org=o, level=min(len(o.path) // (PATH_STEP + 1) - top, 10), practices=running.get(o.pk, []))
            for o in everything]


def commendations(practice: Practice) -> QuerySet[Commendation]:
    return practice.awards.select_related("person").order_by("-awarded_on", "-id")  # stored by oversight


def public_commendations(practice: Practice) -> list[Commendation]:
    """Commendations of the practice itself, and of people only when the unit published their names."""
    published = {n.casefold() for n in practice.public_name_list()}
    return [c for c in commendations(practice) if c.person is None or c.person.full_name.casefold() in published]


def evidence_links(practice: Practice, *, user: Any) -> list[dict[str, Any]]:
    """What the practice is evidence for, with a link where the target has a page: only the targets the user may
    open (each kind of record through restrict(), one query per kind), never a title whose page would be 404."""
    links = list(EvidenceLink.objects.filter(practice=practice).select_related("target_type").order_by("id"))
    by_type: dict[int, list[EvidenceLink]] = {}
    for link in links:
        by_type.setdefault(link.target_type_id, []).append(link)
    targets: dict[tuple[int, str], Any] = {}
    for type_id, group in by_type.items():
        model = group[0].target_type.model_class()
        if model is None:
            continue
        queryset = model._default_manager.filter(pk__in=[link.target_id for link in group])
        # A kind of record with no scope of its own is not shown: better hidden than leaked.
        queryset = restrict(queryset, user) if hasattr(queryset, "restrict") else queryset.none()
        for row in queryset:
            targets[(type_id, str(row.pk))] = row
    shown = []
    for link in links:
        target = targets.get((link.target_type_id, str(link.target_id)))
        if target is None:
            continue
        shown.append({"link": link, "target": target, "kind": link.target_type.name,
                      "url": target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""})
    return shown


def evidence_for(*, user: Any, target: Any) -> QuerySet[EvidenceLink]:
    """Practices linked as evidence to a record (for the campaigns room's task page), scoped to the user."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
    return restrict(EvidenceLink.objects.filter(target_type=content_type, target_id=target.pk), user).select_related(
        "practice__organisation")


def org_panel_context(*, user: Any, obj: Organisation) -> dict[str, Any]:
    """The practices a unit runs, for its page; {} hides the panel."""
    org = obj
    practices = list(visible_practices(user).filter(organisation=org).order_by("-reach", "sort_key")[:20])
    if not practices:
        return {}
    return {"org": org, "practices": practices}


def public_units(request: Any = None) -> QuerySet[Organisation]:
    """The showcase's unit filter: units that run a public practice, and the units above them (the public
    pages already name those, as the context of where a practice runs). No other internal unit is offered.
    Takes the request, as django-filter passes it to a queryset callable."""
    # One probe per unit on the practice's organisation index, not a scan of every public practice.
    paths = set(Organisation.objects.filter(Exists(Practice.objects.public().filter(organisation=OuterRef("pk"))))
                .values_list("path", flat=True))
    with_ancestors = {path[:end] for path in paths for end in range(PATH_STEP + 1, len(path) + 1, PATH_STEP + 1)}
    return Organisation.objects.filter(path__in=with_ancestors).order_by("path")


def linkable_target(*, user: Any, target_type: str, target_id: int) -> Any:
    """The record an evidence link may point at: of a kind a room declared linkable (RoomConfig.linkable) and
    within the user's scope; None otherwise, whether it does not exist or may not be seen."""
    from django.apps import apps

    label = target_type.lower()
    if label not in linkable_models():
        return None
    model = apps.get_model(label)
    return restrict(model._default_manager.all(), user, Action.VIEW).filter(pk=target_id).first()


def evidence_panel_context(*, user: Any, obj: Any) -> dict[str, Any]:
    """On another room's record page (a plan task): the practices offered as its evidence, and the
    practices this user may still offer. {} hides the panel for a user who can do neither."""
    from django.contrib.contenttypes.models import ContentType

    links = list(evidence_for(user=user, target=obj))
    linked = {link.practice_id for link in links}
    candidates = list(visible_practices(user, Action.CHANGE).exclude(pk__in=linked).order_by("sort_key")[:200])
    removable = {link.practice_id for link in links if CHANGE in PRACTICE.allowed(user, link.practice)}
    if not links and not candidates:
        return {}
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return {"links": links, "candidates": candidates, "target": obj, "removable": removable,
            "target_type": f"{content_type.app_label}.{content_type.model}"}
