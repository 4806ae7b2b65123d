"""Scope: which objects a user may touch, as a queryset filter. Every list, detail, export and API
goes through `restrict(user, action)`; an object outside the scope answers 404, never 403.

A user holds role assignments (orgs.RoleAssignment: organisation, role). A role on an
organisation covers its whole subtree, which is one indexed prefix predicate on the
organisation's materialised path. A model says where its organisation path is with
`scope_path_field` (e.g. "organisation__path"), or overrides `scope_q(paths)`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from django.http import Http404
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

_M = TypeVar("_M", bound=models.Model)


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"
    IMPORT = "import"
    EXPORT = "export"
    RESTRUCTURE = "restructure"
    MANAGE_ROLES = "manage_roles"


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    LEADER = "leader", _("Standing committee / leader")
    SECRETARY = "secretary", _("Secretary")
    STAFF = "staff", _("Staff")
    VIEWER = "viewer", _("Viewer")


_ALL = frozenset(Action)
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ADMIN: _ALL,
    Role.LEADER: frozenset({Action.VIEW, Action.EXPORT}),
    Role.SECRETARY: frozenset(
        {Action.VIEW, Action.ADD, Action.CHANGE, Action.DELETE, Action.IMPORT, Action.EXPORT}
    ),
    Role.STAFF: frozenset({Action.VIEW, Action.ADD, Action.CHANGE, Action.IMPORT, Action.EXPORT}),
    Role.VIEWER: frozenset({Action.VIEW}),
}


# What each action is called where a user reads what their role lets them do (the account page).
ACTION_LABELS: dict[Action, Any] = {
    Action.VIEW: _("view"), Action.ADD: _("add"), Action.CHANGE: _("change"), Action.DELETE: _("delete"),
    Action.IMPORT: _("import"), Action.EXPORT: _("export"), Action.RESTRUCTURE: _("merge and split units"),
    Action.MANAGE_ROLES: _("give access to others"),
}


def role_actions_text(role: str) -> str:
    """"view, add, change…" for a role, in the order above, from ROLE_ACTIONS (so it cannot say otherwise)."""
    allowed = ROLE_ACTIONS.get(role, frozenset())
    return ", ".join(str(label) for action, label in ACTION_LABELS.items() if action in allowed)


def roles_allowing(action: Action | str) -> list[str]:
    return [role for role, actions in ROLE_ACTIONS.items() if Action(action) in actions]


def _minimal(paths: list[str]) -> list[str]:
    """Drop paths already covered by a shorter one: fewer OR branches in every query."""
    result: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return sorted(result)


# Reading follows the lineage: a role on a unit that took over ceased units (a merger, a split) also reads
# what those units left behind — their closed plans, issues, dialogues and their cells on past dates. Writing
# never does: the records that were still open moved to the successor when it took over.
LINEAGE_ACTIONS = frozenset({Action.VIEW, Action.EXPORT})
# How many restructurings back a chain is followed (a ward merged in 2025 whose successor merged again).
LINEAGE_DEPTH = 3


def _scope_rows(user: User, action: Action) -> list[str]:
    """The paths of the user's live roles allowing `action` and, for reading, of the ceased units whose
    successor (or successor's successor…) lies in one of those roles' subtrees: one query either way."""
    assignment = apps.get_model("orgs", "RoleAssignment")
    held = assignment.objects.filter(
        user=user, role__in=roles_allowing(action), organisation__dissolved_on__isnull=True
    )
    rows = held.order_by().values_list("organisation__path", flat=True)
    if action not in LINEAGE_ACTIONS:
        return list(rows)
    organisation = apps.get_model("orgs", "Organisation")
    heir = Q()
    for depth in range(1, LINEAGE_DEPTH + 1):
        chain = "__".join(["successor"] * depth)
        heir |= Q(Exists(held.filter(StartsWith(OuterRef(f"{chain}__path"), F("organisation__path")))))
    lineage = organisation.objects.filter(heir, dissolved_on__isnull=False).order_by().values_list("path", flat=True)
    return list(rows.union(lineage))


def scope_paths(user: User | AnonymousUser | None, action: Action | str) -> list[str] | None:
    """Organisation paths whose subtrees the user may act on; None means everything (superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    cache: dict[str, list[str]] = user.__dict__.setdefault("_chithi_scope_cache", {})
    key = str(Action(action))
    if key not in cache:
        cache[key] = _minimal(_scope_rows(user, Action(action)))
    return cache[key]


def clear_scope_cache(user: Any) -> None:
    user.__dict__.pop("_chithi_scope_cache", None)


def path_q(field: str, paths: list[str]) -> Q:
    query = Q()
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


class RestrictedQuerySet(models.QuerySet[_M]):
    """A queryset that knows how to cut itself down to what a user may see (after NetBox)."""

    def restrict(self, user: User | AnonymousUser | None, action: Action | str = Action.VIEW) -> RestrictedQuerySet[_M]:
        paths = scope_paths(user, action)
        if paths is None:
            return self
        if not paths:
            return self.none()
        return self.filter(self.scope_filter(paths, Action(action)))

    def scope_filter(self, paths: list[str], action: Action) -> Q:
        """The rows a user whose scope for `action` is `paths` may reach: the model's own scope. A queryset may
        widen it (the unit that referred an issue keeps reading it: dialogues.models.ReferrerReadsQuerySet)."""
        scope_q = getattr(self.model, "scope_q", None)
        if scope_q is not None:
            return scope_q(paths)  # type: ignore[no-any-return]
        field = getattr(self.model, "scope_path_field", None)
        if field is None:
            raise TypeError(f"{self.model.__name__} declares no scope_path_field or scope_q")
        return path_q(field, paths)


class NoUnitInScope(Http404):
    """The user holds no role on a live unit (an account not yet given one, or a former one), so a page that opens
    on "your unit" (a dashboard, a calendar, a board) has none to open on. core.middleware.NoUnitPageMiddleware
    answers it with a page that says so, instead of the bare 404 another view would give."""


def read_action(model: type[models.Model] | None) -> Action:
    """The action reading a model needs: VIEW, unless the model declares `read_action` (inspection files and
    evaluations are read only by the authorised roles: oversight's SEE). The change log and the history pages
    ask it too, so a change is not read where its object may not be opened."""
    return Action(getattr(model, "read_action", Action.VIEW))


def can_read(user: User | AnonymousUser | None, obj: models.Model) -> bool:
    """May the user open `obj`'s page? One query; pages ask it before linking to a record of another unit (a
    cell's visit names the ward's working group), so a link is offered only where it opens."""
    model = type(obj)
    return restrict(model._default_manager.filter(pk=obj.pk), user, read_action(model)).exists()


def stricter_read_models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if read_action(model) != Action.VIEW]


def restrict[M: models.Model](
    queryset: models.QuerySet[M] | type[M], user: User | AnonymousUser | None, action: Action | str = Action.VIEW
) -> models.QuerySet[M]:
    """The one entry point: `restrict(Person.objects.all(), request.user, "view")`."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    return qs.restrict(user, action)  # type: ignore[attr-defined,no-any-return]


def get_scoped_or_404[M: models.Model](
    queryset: models.QuerySet[M] | type[M], user: User | AnonymousUser | None,
    action: Action | str = Action.VIEW, **lookup: Any,
) -> M:
    try:
        return restrict(queryset, user, action).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def allowed_on_path(user: User | AnonymousUser | None, action: Action | str, path: str) -> bool:
    """May the user do `action` on something that lives at organisation `path`?"""
    paths = scope_paths(user, action)
    if paths is None:
        return True
    return any(path.startswith(p) for p in paths)


def has_any(user: User | AnonymousUser | None, action: Action | str) -> bool:
    paths = scope_paths(user, action)
    return paths is None or bool(paths)
