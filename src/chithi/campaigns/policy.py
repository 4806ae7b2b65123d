"""Which actions a user may take now on a directive, a theme, a plan or a task (core.policy.ObjectPolicy).

Pages show a button only for an allowed action, the API and the services check the same answer, so nothing is
offered and then refused. Directives and themes are read upward (a ward reads the city's theme), but acting on
one needs the right on the unit that recorded it: reading upward never grants writing upward.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from chithi.core.permissions import Action, allowed_on_path, has_any
from chithi.core.policy import ALLOW, OUT_OF_SCOPE, Decision, ObjectPolicy, refuse

from .models import Directive, Plan, PlanTask, Theme


def _on(user: Any, action: Action, path: str) -> Decision:
    return ALLOW if allowed_on_path(user, action, path) else OUT_OF_SCOPE


def _anywhere(user: Any, action: Action) -> Decision:
    """An action that creates something in a unit the user picks on the next page (any unit in their scope)."""
    return ALLOW if has_any(user, action) else OUT_OF_SCOPE


def closed_reason(plan: Plan) -> str:
    return _("The plan was closed on %(date)s.") % {
        "date": plan.closed_on.strftime("%d/%m/%Y") if plan.closed_on else ""}


def _while_open(decision: Decision, plan: Plan) -> Decision:
    if decision and not plan.is_open:
        return refuse(closed_reason(plan))
    return decision


class DirectivePolicy(ObjectPolicy[Directive]):
    def decide(self, user: Any, obj: Directive) -> Mapping[str, Decision]:
        own = _on(user, Action.CHANGE, obj.organisation.path)
        return {"edit": own, "attach": own, "add_theme": _anywhere(user, Action.ADD)}


class ThemePolicy(ObjectPolicy[Theme]):
    def decide(self, user: Any, obj: Theme) -> Mapping[str, Decision]:
        return {"edit": _on(user, Action.CHANGE, obj.organisation.path), "add_plan": _anywhere(user, Action.ADD)}


class PlanPolicy(ObjectPolicy[Plan]):
    def decide(self, user: Any, obj: Plan) -> Mapping[str, Decision]:
        path = obj.organisation.path
        change = _while_open(_on(user, Action.CHANGE, path), obj)
        add = _while_open(_on(user, Action.ADD, path), obj)
        cascade = add
        if cascade and not obj.organisation.children.filter(dissolved_on__isnull=True).exists():
            cascade = refuse(_("%(org)s has no sub-units to issue the plan to.") % {"org": obj.organisation.name})
        return {"edit": change, "close": change, "add_task": add, "cascade": cascade}


class TaskPolicy(ObjectPolicy[PlanTask]):
    def decide(self, user: Any, obj: PlanTask) -> Mapping[str, Decision]:
        change = _while_open(_on(user, Action.CHANGE, obj.plan.organisation.path), obj.plan)
        cancel = change
        if cancel and obj.required:
            cancel = refuse(_("A task required by the higher level cannot be cancelled here."))
        return {"edit": change, "progress": change, "evidence": change, "cancel": cancel}


DIRECTIVE = DirectivePolicy()
THEME = ThemePolicy()
PLAN = PlanPolicy()
TASK = TaskPolicy()
