"""Which actions a user may take now on a directive, a theme, a plan or a task (core.policy.ObjectPolicy).

Pages show a button only for an allowed action, the API and the services check the same answer, so nothing is
offered and then refused. Directives and themes are read upward (a ward reads the city's theme), but acting on
one needs the right on the unit that recorded it: reading upward never grants writing upward. The statuses a
progress report may give a task (`status_decisions`) are answered here too, for the form's select, the service,
the API and the import alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from chithi.core.permissions import Action, allowed_on_path, has_any
from chithi.core.policy import ALLOW, OUT_OF_SCOPE, Decision, ObjectPolicy, refuse

from .models import Directive, Plan, PlanTask, TaskStatus, Theme


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


def status_decisions(user: Any, task: PlanTask) -> dict[TaskStatus, Decision]:
    """Whether a progress report by `user` may give `task` each status now. Any status, except moving to
    cancelled where TASK refuses "cancel" (a task required by the higher level): the form offers only the allowed
    ones and report_progress refuses the others with the reason, so the select never offers what the save refuses.
    The status the task already has is no transition and stays allowed — a required task a merger cancelled may
    be reported on again, and the export that says "cancelled" re-imports. Where no progress may be reported
    (outside the scope, a closed plan), no status is allowed, for that reason."""
    decisions = TASK.decide(user, task)
    if not decisions["progress"]:
        return dict.fromkeys(TaskStatus, decisions["progress"])
    cancel = decisions["cancel"] if task.status != TaskStatus.CANCELLED else ALLOW
    return {status: cancel if status == TaskStatus.CANCELLED else ALLOW for status in TaskStatus}


def allowed_statuses(user: Any, task: PlanTask) -> list[TaskStatus]:
    """The statuses `status_decisions` allows, in the model's order (the progress form's choices)."""
    return [status for status, decision in status_decisions(user, task).items() if decision]
