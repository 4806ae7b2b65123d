"""The cascade: a plan issued to the sub-units in one action, each getting its own plan with required tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core import audit, search
from chithi.core.models import AuditAction
from chithi.core.workdays import working_days_before
from chithi.orgs.models import Organisation

from .. import policy, totals
from ..models import Plan, PlanTask, TaskStatus, ThemeKind
from .common import one_line


@dataclass
class CascadeResult:
    plans_created: list[Plan] = field(default_factory=list)
    plans_existing: list[Plan] = field(default_factory=list)
    tasks_created: int = 0
    tasks_existing: int = 0

    @property
    def plans(self) -> list[Plan]:
        return self.plans_created + self.plans_existing


def _sub_plan_title(plan: Plan, unit: Organisation) -> str:
    if plan.theme.kind == ThemeKind.BREAKTHROUGH:
        title = _("Plan for the %(year)d breakthrough task of %(unit)s")
    else:
        title = _("Plan for the %(year)d theme of %(unit)s")
    return (title % {"year": plan.year, "unit": unit.name})[:300]


def _receivers(plan: Plan, units: Iterable[Organisation] | None) -> list[Organisation]:
    """The chosen units, read again (the caller's objects may predate a merger that happened meanwhile), each a
    current direct sub-unit of the plan's unit: every one is checked before anything is written."""
    if units is None:
        chosen = list(plan.organisation.children.filter(dissolved_on__isnull=True).order_by("sort_key"))
    else:
        chosen = list({u.pk: u for u in units}.values())
        if not chosen:
            raise ValidationError({"units": _("Choose at least one sub-unit.")})
    fresh = {o.pk: o for o in Organisation.objects.filter(pk__in=[u.pk for u in chosen]).select_related("successor")}
    problems: list[str] = []
    for unit in chosen:
        current = fresh.get(unit.pk)
        if current is None:
            problems.append(_("%(unit)s no longer exists.") % {"unit": unit.name})
        elif not current.is_active:
            if current.successor is not None:
                problems.append(_("%(unit)s no longer exists: it was merged into %(successor)s on %(date)s. "
                                  "Issue the plan to %(successor)s instead.") % {
                    "unit": current.name, "successor": current.successor.name,
                    "date": current.dissolved_on.strftime("%d/%m/%Y") if current.dissolved_on else ""})
            else:
                problems.append(_("%(unit)s no longer exists.") % {"unit": current.name})
        elif current.parent_id != plan.organisation_id:
            problems.append(_("%(unit)s is not a direct sub-unit of %(org)s.") % {
                "unit": current.name, "org": plan.organisation.name})
    if problems:
        raise ValidationError({"units": problems})
    return [fresh[u.pk] for u in chosen]


def _sent_tasks(plan: Plan, tasks: Iterable[PlanTask] | None, lead_working_days: int) -> dict[PlanTask, dt.date]:
    """The tasks to send (all live ones by default) with each sub-unit's deadline, `lead_working_days` earlier."""
    live = list(plan.tasks.exclude(status=TaskStatus.CANCELLED))
    if tasks is not None:
        wanted = {t.pk for t in tasks}
        send = [t for t in live if t.pk in wanted]
        if len(send) != len(wanted):
            raise ValidationError({"tasks": _("Choose tasks of this plan that are not cancelled.")})
    else:
        send = live
    deadlines: dict[PlanTask, dt.date] = {}
    for task in send:
        deadline = working_days_before(task.deadline, lead_working_days) if lead_working_days else task.deadline
        if deadline < plan.starts_on:
            raise ValidationError({"lead_working_days": _(
                "With %(n)d working days of lead time, the task “%(task)s” would be due before the plan starts.")
                % {"n": lead_working_days, "task": task.title}})
        deadlines[task] = deadline
    return deadlines


@dataclass
class CascadePreview:
    """What a cascade would write, shown on the confirmation page before anything is written."""

    units: list[Organisation]
    tasks: list[tuple[PlanTask, dt.date, bool]]  # (task, the sub-units' deadline, that deadline has passed)
    plans_new: int
    plans_existing: int
    tasks_new: int
    tasks_existing: int

    @property
    def rows(self) -> int:
        return self.plans_new + self.tasks_new

    @property
    def past_deadline(self) -> int:
        return sum(1 for _task, _deadline, past in self.tasks if past)


def _checked(actor: Any, plan: Plan, units: Iterable[Organisation] | None, tasks: Iterable[PlanTask] | None,
             lead_working_days: int) -> tuple[Plan, list[Organisation], dict[PlanTask, dt.date]]:
    """What the preview and the cascade both check first, so the preview never promises what the cascade refuses:
    the policy, the lead time's range, the receiving units and the tasks sent with their deadlines."""
    plan = Plan.objects.select_related("organisation", "theme").get(pk=plan.pk)
    policy.PLAN.check(actor, "cascade", plan)
    if lead_working_days < 0 or lead_working_days > 60:
        raise ValidationError({"lead_working_days": _("Between 0 and 60 working days.")})
    return plan, _receivers(plan, units), _sent_tasks(plan, tasks, lead_working_days)


def preview_cascade(
    *, actor: Any, plan: Plan, units: Iterable[Organisation], tasks: Iterable[PlanTask], lead_working_days: int = 0,
    today: dt.date | None = None,
) -> CascadePreview:
    """The units, tasks and number of rows `cascade_plan` would create, checked the same way; writes nothing."""
    plan, chosen, deadlines = _checked(actor, plan, units, tasks, lead_working_days)
    today = today or dt.date.today()
    existing = dict(Plan.objects.filter(theme=plan.theme, organisation__in=chosen).values_list("organisation_id",
                                                                                                "pk"))
    already = set(PlanTask.objects.filter(plan__in=list(existing.values()), source_task__in=list(deadlines))
                  .values_list("plan_id", "source_task_id")) if existing and deadlines else set()
    tasks_new = sum(1 for unit in chosen for task in deadlines if (existing.get(unit.pk), task.pk) not in already)
    return CascadePreview(
        units=chosen, tasks=[(task, deadline, deadline < today) for task, deadline in deadlines.items()],
        plans_new=sum(1 for unit in chosen if unit.pk not in existing), plans_existing=len(existing),
        tasks_new=tasks_new, tasks_existing=len(already))


def _issue_plans(*, actor: Any, plan: Plan, units: list[Organisation], result: CascadeResult) -> None:
    """Each unit's plan for the theme: found (and linked to `plan` if it stood alone) or bulk-inserted. Every
    entry names `plan` as related, so the source plan's history shows what was issued from it."""
    existing = {p.organisation_id: p for p in Plan.objects.filter(theme=plan.theme, organisation__in=units)}
    new_plans = [search.index(Plan(organisation=unit, theme=plan.theme, parent=plan, year=plan.year,
                                   title=one_line(_sub_plan_title(plan, unit)), starts_on=plan.starts_on,
                                   ends_on=plan.ends_on))
                 for unit in units if unit.pk not in existing]
    issued_from = _("issued from %(plan)s") % {"plan": plan.title}
    for child in Plan.objects.bulk_create(new_plans):
        audit.record(action=AuditAction.CREATE, obj=child, after=audit.snapshot(child), actor=actor,
                     note=issued_from, org_path=child.organisation.path, related=plan)
        result.plans_created.append(child)
    linked = _("linked to %(plan)s") % {"plan": plan.title}
    for unit in units:
        found = existing.get(unit.pk)
        if found is None:
            continue
        found.organisation = unit  # already read: no query per plan when its tasks are audited
        if found.parent_id is None:
            before = audit.snapshot(found)
            found.parent = plan
            found.save(update_fields=["parent", "updated_at"])
            audit.record(action=AuditAction.UPDATE, obj=found, before=before, after=audit.snapshot(found),
                         actor=actor, note=linked, org_path=unit.path, related=plan)
        result.plans_existing.append(found)


def _issue_tasks(*, actor: Any, plan: Plan, deadlines: dict[PlanTask, dt.date], result: CascadeResult) -> None:
    """The missing required tasks of every receiving plan, in bulk; the units receiving them are in charge."""
    children = result.plans
    already = set(PlanTask.objects.filter(plan__in=children, source_task__in=list(deadlines))
                  .values_list("plan_id", "source_task_id"))
    result.tasks_existing = len(already)
    new_tasks = [
        search.index(PlanTask(plan=child, source_task=task, title=task.title, description=task.description,
                              deadline=min(max(deadline, child.starts_on), child.ends_on), weight=task.weight,
                              target=task.target, required=True))
        for child in children for task, deadline in deadlines.items() if (child.pk, task.pk) not in already]
    created = PlanTask.objects.bulk_create(new_tasks)
    through = PlanTask.owner_units.through
    through.objects.bulk_create([through(plantask_id=t.pk, organisation_id=t.plan.organisation_id) for t in created])
    required_by = _("required by %(org)s") % {"org": plan.organisation.name}
    for sub_task in created:
        after = audit.snapshot(sub_task) or {}
        after.update(owner_people=[], owner_units=[sub_task.plan.organisation_id])
        # Related to the task it came from: that task's history lists every unit carrying it.
        audit.record(action=AuditAction.CREATE, obj=sub_task, after=after, actor=actor, note=required_by,
                     org_path=sub_task.plan.organisation.path, related=sub_task.source_task)
    result.tasks_created = len(created)


@transaction.atomic
def cascade_plan(
    *, actor: Any, plan: Plan, units: Iterable[Organisation] | None = None, tasks: Iterable[PlanTask] | None = None,
    lead_working_days: int = 0,
) -> CascadeResult:
    """Issue the plan to sub-units in one action: each gets its own plan with the chosen tasks as required tasks.

    Idempotent (a unit's plan for a theme and a cascaded task are found, not duplicated, by unique constraints)
    and all-or-nothing (one transaction; every unit is checked before anything is written). With
    `lead_working_days`, a sub-unit's deadline falls that many working days before the higher-level deadline so
    it can report in time. A few statements plus one audit row per created record; the unique constraints stay
    the guard, so a concurrent cascade fails the whole transaction, never duplicates.
    """
    plan, units, deadlines = _checked(actor, plan, units, tasks, lead_working_days)
    result = CascadeResult()
    _issue_plans(actor=actor, plan=plan, units=units, result=result)
    _issue_tasks(actor=actor, plan=plan, deadlines=deadlines, result=result)
    totals.refresh(p.pk for p in result.plans)
    return result
