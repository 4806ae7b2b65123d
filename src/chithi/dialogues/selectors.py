"""Reads for dialogues and issues, always scoped through restrict(); the public reads expose only
public fields and are answered by the public views."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core.inputs import parse_id
from chithi.core.permissions import Action, get_scoped_or_404, has_any, path_q, restrict, scope_paths
from chithi.orgs.models import Organisation

from . import codes
from .models import (
    OPEN_STATUSES,
    PUBLIC_EVENTS,
    Dialogue,
    DialogueAttachment,
    Issue,
    IssueCategory,
    IssueEvent,
    IssuePhoto,
    IssueQuerySet,
)


def visible_issues(user: Any, action: Action | str = Action.VIEW) -> IssueQuerySet:
    qs = restrict(Issue.objects.all(), user, action)
    return qs.select_related("category", "organisation", "escalated_to")  # type: ignore[return-value]


def issue_detail(*, user: Any, pk: int, action: Action | str = Action.VIEW) -> Issue:
    return get_scoped_or_404(
        Issue.objects.select_related("category", "organisation", "escalated_to", "dialogue", "duplicate_of",
                                     "area_unit", "answered_by_unit", "api_client"), user, action, pk=pk)


def issue_by_code(*, user: Any, code: str) -> Issue | None:
    """The issue a tracking code names, as printed or typed ("FF1BH-WNAQN", "ff1bh wnaqn"), if the user may
    see it; None for anything that is not a code."""
    normalised = codes.normalise((code or "").strip())
    if not normalised:
        return None
    return visible_issues(user).filter(tracking_code=normalised).first()


def issue_timeline(*, issue: Issue, public_only: bool = False) -> QuerySet[IssueEvent]:
    events = issue.events.select_related("from_unit", "to_unit").order_by("at", "id")
    return events.filter(kind__in=PUBLIC_EVENTS, public=True) if public_only else events


def issue_photos(*, issue: Issue) -> QuerySet[IssuePhoto]:
    return issue.photos.order_by("id")


def scoped_photo(*, user: Any, pk: int) -> IssuePhoto:
    return get_scoped_or_404(IssuePhoto.objects.select_related("issue"), user, Action.VIEW, pk=pk)


def intake_unit() -> tuple[int, str]:
    """(pk, path) of the unit whose queue receives unrouted public issues.

    DIALOGUES_INTAKE_UNIT_CODE names it; by default it is the top of the tree (the city party
    committee), whose staff route issues on. Cached briefly: public intake asks on every request.
    """
    cached = cache.get("dialogues:intake_unit")
    if cached:
        return cached  # type: ignore[no-any-return]
    code = getattr(settings, "DIALOGUES_INTAKE_UNIT_CODE", "")
    qs = Organisation.objects.active()
    unit = (qs.filter(code=code).first() if code else None) or qs.filter(parent__isnull=True).order_by("path").first()
    if unit is None:
        raise ValidationError(_("No unit receives issues yet: create the organisation tree first."))
    value = (unit.pk, unit.path)
    cache.set("dialogues:intake_unit", value, 300)
    return value


def assignable_officers(user: Any) -> tuple[QuerySet[Any], dict[int, list[str]]]:
    """Officers an issue can be given to by name: active users with a handling role on a current unit of the
    user's sub-tree; with, for each, the names of those units (two queries)."""
    from chithi.core.models import User
    from chithi.orgs.models import RoleAssignment

    from .services.common import HANDLER_ROLES

    paths = scope_paths(user, Action.CHANGE)
    assignments = RoleAssignment.objects.filter(user__is_active=True, role__in=HANDLER_ROLES,
                                                organisation__dissolved_on__isnull=True)
    if paths is not None:
        assignments = assignments.filter(path_q("organisation__path", paths)) if paths else assignments.none()
    units: dict[int, list[str]] = {}
    for user_id, name in assignments.order_by("organisation__path").values_list("user_id", "organisation__name"):
        units.setdefault(user_id, []).append(name)
    officers = User.objects.filter(pk__in=list(units)).select_related("person").order_by("username")
    return officers, units


def referral_targets() -> QuerySet[Organisation]:
    """Units an issue may be referred to outside one's own subtree: any current unit that handles
    citizens' affairs (party committees, departments, wards, government bodies, agencies, mass
    organisations). Party cells and schools are reached through their ward or agency."""
    return Organisation.objects.active().exclude(kind__in=["party_cell", "school", "working_group"])


def default_queue_unit(user: Any) -> Organisation | None:
    paths = scope_paths(user, Action.VIEW)
    qs = Organisation.objects.active()
    if paths is None:
        return qs.filter(parent__isnull=True).order_by("path").first()
    return qs.filter(path__in=paths).order_by("path").first()


def queue_q(unit: Organisation, *, subtree: bool = False) -> Q:
    """A unit's queue: the issues it handles and those escalated to it (with `subtree`, its sub-units' too)."""
    if subtree:
        return path_q("organisation__path", [unit.path]) | path_q("escalated_to__path", [unit.path])
    return Q(organisation=unit) | Q(escalated_to=unit)


def unit_queue(*, user: Any, unit: Organisation | None, subtree: bool = False) -> IssueQuerySet:
    """A unit's queue (every issue the user sees when `unit` is None), sorted by due date — the most
    urgent first, finished issues last."""
    qs = visible_issues(user)
    if unit is not None:
        qs = qs.filter(queue_q(unit, subtree=subtree))
    return qs.order_by(F("due_on").asc(nulls_last=True), "received_at", "id")  # type: ignore[return-value]


def issue_counts(*, qs: QuerySet[Issue]) -> dict[str, int]:
    today = timezone.localdate()
    return qs.aggregate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
    )


def visible_dialogues(user: Any, action: Action | str = Action.VIEW) -> QuerySet[Dialogue]:
    return restrict(Dialogue.objects.all(), user, action).select_related("organisation", "residential_area") \
        .annotate(issue_count=Count("issues")).order_by("-held_on", "-id")


def dialogue_detail(*, user: Any, pk: int, action: Action | str = Action.VIEW) -> Dialogue:
    return get_scoped_or_404(Dialogue.objects.select_related("organisation", "residential_area"), user, action,
                             pk=pk)


def dialogue_issues(*, user: Any, dialogue: Dialogue) -> IssueQuerySet:
    """The issues raised at a dialogue that the user may see (some may have been referred elsewhere)."""
    return visible_issues(user).filter(dialogue=dialogue).order_by("received_at", "id")


def scoped_attachment(*, user: Any, pk: int) -> DialogueAttachment:
    return get_scoped_or_404(DialogueAttachment.objects.select_related("dialogue"), user, Action.VIEW, pk=pk)


def org_panel(*, user: Any, obj: Organisation) -> dict[str, Any]:
    """The organisation page's section: its issue queue figures and latest dialogues."""
    org = obj
    if not has_any(user, Action.VIEW):
        return {}
    queue = unit_queue(user=user, unit=org, subtree=True)
    counts = issue_counts(qs=queue)
    dialogues = visible_dialogues(user).filter(organisation__path__startswith=org.path)[:5]
    if not counts["open"] and not dialogues:
        return {}
    return {"org": org, "counts": counts, "dialogues": dialogues}


# --- public reads ---------------------------------------------------------------------------------


def public_categories() -> QuerySet[IssueCategory]:
    return IssueCategory.objects.filter(public=True, active=True).order_by("sort_order", "name")


def public_category(*, pk: int | None = None, code: str | None = None) -> IssueCategory | None:
    """A public category by id or code, from a per-process copy refreshed every minute: public
    intake asks on every submission and categories change a few times a year."""
    table = cache.get("dialogues:public_categories")
    if table is None:
        table = {c.pk: c for c in public_categories()}
        cache.set("dialogues:public_categories", table, 60)
    if pk is not None:
        return table.get(pk)  # type: ignore[no-any-return]
    return next((c for c in table.values() if c.code == code), None)


def public_issue(*, code: str) -> Issue | None:
    """The issue a tracking code names, or None for a malformed or unknown code."""
    normalised = codes.normalise(code)
    if not normalised:
        return None
    return (Issue.objects.select_related("category", "organisation", "answered_by_unit")
            .filter(tracking_code=normalised).first())


def published_issues() -> IssueQuerySet:
    return Issue.objects.published().select_related("category", "answered_by_unit").order_by("-answered_at", "-id")


def ward_label(unit: Organisation) -> str:
    """What a citizen calls the ward: "Phường Đông Hà", not "Đảng ủy phường Đông Hà"."""
    name = unit.short_name or unit.name
    for prefix in ("Đảng ủy ", "Đảng bộ "):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return name[:1].upper() + name[1:]


def public_wards() -> QuerySet[Organisation]:
    """Wards a citizen can choose as the place of the issue (current ward committees)."""
    return Organisation.objects.active().filter(kind="ward_committee").order_by("sort_key")


def wards_by_province() -> bool:
    """Whether the public pickers ask for the province first: past CHITHI_UNIT_PICKER_LIMIT wards (a national
    installation has 3,321) one list of every ward is a page of 180 KB on a phone, and no one scrolls it."""
    return public_wards().count() > settings.CHITHI_UNIT_PICKER_LIMIT


def public_provinces() -> QuerySet[Organisation]:
    """The units that hold public wards (provinces and cities), for the province-first pickers."""
    return Organisation.objects.active().filter(pk__in=public_wards().values("parent_id")).order_by("sort_key")


def province_wards(province: Any) -> QuerySet[Organisation]:
    """The public wards of one province (an id as a citizen's browser sends it; none for anything else)."""
    pk = parse_id(province)
    return public_wards().filter(parent_id=pk) if pk is not None else public_wards().none()


def ward_choices(*, province: Any, ward: Any) -> QuerySet[Organisation]:
    """The province-first ward list of a form sent with these values: the chosen province's wards, or without a
    province just the ward already chosen (a form sent back keeps it; chithi.js fills the rest)."""
    if province:
        return province_wards(province)
    pk = parse_id(ward)
    return public_wards().filter(pk=pk) if pk is not None else public_wards().none()
