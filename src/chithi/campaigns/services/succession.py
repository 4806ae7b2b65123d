"""Restructuring: a merged or split unit's open plans and open tasks, the directives it recorded and the themes of
the years it never ran move on to its successor (the room's successor handler, declared in apps.py and run inside
the merger's transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.core.writes import model_update
from chithi.orgs.models import Organisation

from .. import totals
from ..models import OPEN_STATUSES, Directive, Plan, PlanTask, TaskStatus, Theme
from .tasks import task_snapshot


def _merge_plan_into(plan: Plan, target: Plan, *, successor: Organisation, effective_on: dt.date, note: str,
                     actor: Any) -> None:
    """The successor already has a plan for the theme: the open tasks join it (a required task it already
    received from the same higher-level task is cancelled: it is carried once), and the emptied plan closes."""
    for task in plan.tasks.filter(status__in=OPEN_STATUSES).select_related("source_task"):
        before = audit.snapshot(task)
        # Carried already: the successor holds a copy of the same higher-level task, or the successor's plan is
        # the one the task was copied from (a body merged into the unit that issued its plan).
        carried = task.source_task_id is not None and (
            task.source_task.plan_id == target.pk  # type: ignore[union-attr]
            or target.tasks.filter(source_task=task.source_task_id).exists())
        if carried:
            task.status = TaskStatus.CANCELLED
            task.cancel_reason = _("Carried by %(org)s after the merger.") % {"org": successor.name}
            task.save(update_fields=["status", "cancel_reason", "updated_at"])
        else:
            task.plan = target
            task.deadline = min(max(task.deadline, target.starts_on), target.ends_on)
            task.save(update_fields=["plan", "deadline", "updated_at"])
        audit.record(action=AuditAction.MOVE, obj=task, before=before, after=audit.snapshot(task), actor=actor,
                     note=note, related=target)
    # Sub-units' plans issued from the old plan now answer to the successor's.
    plan.children.update(parent=target)
    model_update(instance=plan, data={"closed_on": effective_on}, fields=["closed_on"], actor=actor, note=note,
                 related=target)


def _move(record: Directive | Theme | Plan, *, successor: Organisation, note: str, actor: Any) -> None:
    """Hand one record whole to the successor; the move shows on the record's history and on the successor's."""
    before = audit.snapshot(record)
    record.organisation = successor
    record.save(update_fields=["organisation", "updated_at"])
    audit.record(action=AuditAction.MOVE, obj=record, before=before, after=audit.snapshot(record), actor=actor,
                 note=note, related=successor)


def _hand_over_directives_and_themes(*, source: Organisation, successor: Organisation, effective_on: dt.date,
                                     note: str, actor: Any) -> None:
    """A directive stays in force when the unit that recorded it ends (Chỉ thị 05 outlived Thành ủy Đông Hà), so the
    successor carries it, and with it the themes of years that had not begun: the successor runs those years. The
    themes of years the old unit ran stay with it, as history; the units whose plans follow them still read them
    (models.FollowedReadsQuerySet). A directive the successor records already keeps the old unit's record as
    history too: one unit records a directive once."""
    for directive in Directive.objects.filter(organisation=source):
        if not Directive.objects.filter(organisation=successor, number=directive.number,
                                        issued_on=directive.issued_on).exists():
            _move(directive, successor=successor, note=note, actor=actor)
    first_year = effective_on.year if (effective_on.month, effective_on.day) == (1, 1) else effective_on.year + 1
    for theme in Theme.objects.filter(organisation=source, year__gte=first_year):
        _move(theme, successor=successor, note=note, actor=actor)


def move_to_successor(*, source: Organisation, successor: Organisation, effective_on: dt.date, actor: Any) -> None:
    """The open plans of a merged or split unit, and the open tasks it owns, move on.

    When the successor has no plan for the theme, the plan itself moves. When it already has one (two wards
    merged, each with the city's plan), the open tasks move into the successor's plan. Closed plans and finished
    tasks stay with the old unit, as history.
    """
    note = _("moved to %(org)s on %(date)s") % {"org": successor.name, "date": effective_on.strftime("%d/%m/%Y")}
    _hand_over_directives_and_themes(source=source, successor=successor, effective_on=effective_on, note=note,
                                     actor=actor)
    for plan in Plan.objects.filter(organisation=source, closed_on__isnull=True).select_related("organisation"):
        target = Plan.objects.filter(organisation=successor, theme=plan.theme_id).first()
        if target is None:
            _move(plan, successor=successor, note=note, actor=actor)
        else:
            _merge_plan_into(plan, target, successor=successor, effective_on=effective_on, note=note, actor=actor)
    # The plans that moved, gave up tasks or took them in all belong to one of the two units now.
    totals.refresh(Plan.objects.filter(organisation__in=[source, successor]).values_list("pk", flat=True))
    # Open tasks anywhere that the old unit was in charge of now fall to the successor; each task's history says so.
    for task in PlanTask.objects.filter(owner_units=source, status__in=OPEN_STATUSES):
        before = task_snapshot(task)
        task.owner_units.remove(source)
        task.owner_units.add(successor)
        audit.record(action=AuditAction.MOVE, obj=task, before=before, after=task_snapshot(task), actor=actor,
                     note=note, related=successor)
