"""Writes for plan tasks: create, edit, progress reports (the task's timeline) and evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction
from chithi.core.workdays import add_working_days
from chithi.core.writes import acting_user, locked, model_update, save_new
from chithi.orgs.models import Membership, Organisation, Person

from .. import policy, totals
from ..models import EvidenceKind, Plan, PlanTask, TaskEvidence, TaskStatus, TaskUpdate
from .common import clean_upload, one_line

TASK_FIELDS = ("title", "description", "deadline", "weight", "target")


def parse_weight(value: Any) -> Decimal:
    try:
        weight = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"weight": _("The weight must be a number.")}) from None
    if not weight.is_finite():
        raise ValidationError({"weight": _("The weight must be a number.")})
    return weight


def _validate_owners(plan: Plan, people: Sequence[Person], units: Sequence[Organisation]) -> None:
    """Owners must belong to the plan's unit or its sub-units: a ward cannot assign work to another ward."""
    root = plan.organisation.path
    errors: list[str] = []
    for unit in units:
        if not unit.path.startswith(root):
            errors.append(_("%(unit)s is outside %(org)s.") % {"unit": unit.name, "org": plan.organisation.name})
        elif not unit.is_active:
            errors.append(_("%(unit)s no longer exists (merged or dissolved).") % {"unit": unit.name})
    if errors:
        raise ValidationError({"owner_units": errors})
    if people:
        inside = set(Membership.objects.filter(
            person__in=[p.pk for p in people], until__isnull=True, organisation__path__startswith=root,
        ).values_list("person_id", flat=True))
        outside = [p.full_name for p in people if p.pk not in inside]
        if outside:
            raise ValidationError({"owner_people": _("Not a current member of %(org)s or its sub-units: %(names)s.")
                                   % {"org": plan.organisation.name, "names": ", ".join(outside)}})


def resolve_deadline(plan: Plan, deadline: dt.date | None, deadline_working_days: int | None) -> dt.date:
    """A date, or a number of working days from the plan's start (weekends and Vietnamese holidays off)."""
    if deadline is not None:
        return deadline
    if deadline_working_days is None:
        raise ValidationError({"deadline": _("Give a deadline, or a number of working days from the plan's start.")})
    if deadline_working_days < 0:
        raise ValidationError({"deadline_working_days": _("The number of working days cannot be negative.")})
    return add_working_days(plan.starts_on, deadline_working_days)


def _validate_task(task: PlanTask) -> None:
    plan = task.plan
    errors: dict[str, str] = {}
    if not task.title.strip():
        errors["title"] = _("The task is required.")
    if task.weight < 0:
        errors["weight"] = _("The weight cannot be below zero.")
    elif task.weight > Decimal("9999"):
        errors["weight"] = _("The weight is at most 9999.")
    if not (0 <= task.progress <= 100):
        errors["progress"] = _("Progress must be between 0 and 100.")
    if task.deadline < plan.starts_on:
        errors["deadline"] = _("The deadline %(deadline)s is before the plan starts (%(start)s).") % {
            "deadline": task.deadline.strftime("%d/%m/%Y"), "start": plan.starts_on.strftime("%d/%m/%Y")}
    elif task.deadline > plan.ends_on:
        errors["deadline"] = _("The deadline %(deadline)s is after the plan ends (%(end)s).") % {
            "deadline": task.deadline.strftime("%d/%m/%Y"), "end": plan.ends_on.strftime("%d/%m/%Y")}
    if task.status not in TaskStatus.values:
        errors["status"] = _("Unknown status.")
    elif task.status == TaskStatus.CANCELLED and not task.cancel_reason.strip():
        errors["cancel_reason"] = _("Say why the task is cancelled.")
    if errors:
        raise ValidationError(errors)


def task_snapshot(task: PlanTask) -> dict[str, Any] | None:
    """The task's columns and its people and units in charge, for the audit log."""
    data = audit.snapshot(task)
    assert data is not None
    data["owner_people"] = sorted(task.owner_people.values_list("pk", flat=True))
    data["owner_units"] = sorted(task.owner_units.values_list("pk", flat=True))
    return data


@transaction.atomic
def create_task(
    *, actor: Any, plan: Plan, title: str, deadline: dt.date | None = None, deadline_working_days: int | None = None,
    weight: Any = 1, target: str = "", description: str = "", owner_people: Sequence[Person] = (),
    owner_units: Sequence[Organisation] = (),
) -> PlanTask:
    policy.PLAN.check(actor, "add_task", plan)
    task = PlanTask(plan=plan, title=one_line(title), deadline=resolve_deadline(plan, deadline, deadline_working_days),
                    weight=parse_weight(weight), target=target or "", description=description or "")
    _validate_task(task)
    _validate_owners(plan, owner_people, owner_units)
    task.save()
    task.owner_people.set(owner_people)
    task.owner_units.set(owner_units)
    audit.record(action=AuditAction.CREATE, obj=task, after=task_snapshot(task), actor=actor)
    totals.refresh([plan.pk])
    return task


def _set_owners(task: PlanTask, people: Sequence[Person] | None, units: Sequence[Organisation] | None) -> bool:
    """Replace the people and units in charge where given; True when that changed anything."""
    changed = False
    if people is not None and {p.pk for p in people} != set(task.owner_people.values_list("pk", flat=True)):
        task.owner_people.set(people)
        changed = True
    if units is not None and {u.pk for u in units} != set(task.owner_units.values_list("pk", flat=True)):
        task.owner_units.set(units)
        changed = True
    return changed


def _first_then(first: dict[str, Any] | None, then: Callable[[PlanTask], dict[str, Any] | None]) -> Callable[
        [PlanTask], dict[str, Any] | None]:
    """A snapshot function for model_update that answers `first` the first time (the state before the owners
    changed), then the live state: one save, one audit entry, whatever changed."""
    answers = iter([first])
    return lambda task: next(answers, None) or then(task)


@transaction.atomic
def update_task(
    *, actor: Any, task: PlanTask, owner_people: Sequence[Person] | None = None,
    owner_units: Sequence[Organisation] | None = None, deadline_working_days: int | None = None, **changes: Any,
) -> PlanTask:
    """Change a task's fields (model_update's rule for absent, None and unchanged values) and, where given, its
    people and units in charge. `deadline_working_days` stands for a deadline counted from the plan's start."""
    task = locked(task)
    policy.TASK.check(actor, "edit", task)
    if deadline_working_days is not None:
        changes["deadline"] = resolve_deadline(task.plan, changes.get("deadline"), deadline_working_days)
    if changes.get("weight") is not None:
        changes["weight"] = parse_weight(changes["weight"])
    if isinstance(changes.get("title"), str):
        changes["title"] = one_line(changes["title"])
    # What the higher level required stays as it was sent: the sub-unit reports on it, it does not rewrite it.
    if task.required and any(name in changes and changes[name] != getattr(task, name) for name in ("title", "weight")):
        raise ValidationError({"title": _("A task required by the higher level keeps its title and weight.")})
    # Only the owners being added are checked: one already in charge who has since left the unit (or a unit since
    # dissolved) stays on the record until someone takes them off, and does not block a change of deadline.
    current_people = set(task.owner_people.values_list("pk", flat=True))
    current_units = set(task.owner_units.values_list("pk", flat=True))
    _validate_owners(task.plan, [p for p in owner_people or () if p.pk not in current_people],
                     [u for u in owner_units or () if u.pk not in current_units])
    before = task_snapshot(task)
    owners_changed = _set_owners(task, owner_people, owner_units)
    task, changed = model_update(instance=task, data=changes, fields=TASK_FIELDS, actor=actor,
                                 validate=_validate_task, snapshot=_first_then(before, task_snapshot))
    if owners_changed and not changed:
        audit.record(action=AuditAction.UPDATE, obj=task, before=before, after=task_snapshot(task), actor=actor)
    if changed:  # a weight or a deadline moves the plan's figures
        totals.refresh([task.plan_id])
    return task


def _parse_progress(value: Any) -> int:
    """A whole number from 0 to 100 (50.0 from a spreadsheet is fine, 50.5 is not)."""
    whole = _("Progress must be a whole number between 0 and 100.")
    if isinstance(value, bool):
        raise ValidationError({"progress": whole})
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationError({"progress": whole})
        value = int(value)
    if isinstance(value, str):
        text = value.strip().removesuffix("%").strip()
        if not text.lstrip("-").isdigit():
            raise ValidationError({"progress": whole})
        value = int(text)
    if not isinstance(value, int):
        raise ValidationError({"progress": whole})
    if not 0 <= value <= 100:
        raise ValidationError({"progress": _("Progress must be between 0 and 100.")})
    return value


def _apply_progress(actor: Any, task: PlanTask, *, progress: int | None, status: str | None,
                    cancel_reason: str) -> None:
    """The status follows the progress unless told otherwise: 100% is done, above 0 is in progress."""
    if status is None or status == "":
        if progress is None:
            return
        if progress >= 100:
            status = TaskStatus.DONE
        elif progress > 0:
            status = TaskStatus.IN_PROGRESS
        else:
            status = task.status if task.status != TaskStatus.DONE else TaskStatus.IN_PROGRESS
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    # The rule the progress form's select and the API ask too: what it does not offer is refused here, with why.
    decision = policy.status_decisions(actor, task)[TaskStatus(status)]
    if not decision:
        raise ValidationError({"status": decision.reason})
    if progress is not None:
        task.progress = progress
    if status == TaskStatus.DONE:
        if progress is not None and progress < 100:
            raise ValidationError({"progress": _("A task marked done has progress 100.")})
        task.progress = 100
        task.completed_on = task.completed_on or dt.date.today()
    else:
        task.completed_on = None
    task.status = status
    task.cancel_reason = cancel_reason.strip() if status == TaskStatus.CANCELLED else ""


@transaction.atomic
def report_progress(
    *, actor: Any, task: PlanTask, progress: Any = None, status: str | None = None, note: str = "",
    cancel_reason: str = "",
) -> TaskUpdate:
    """Record progress on a task: the task moves and its timeline gets one entry (a transition, audited with
    the note even when only a note was given, so it is not a model_update)."""
    task = locked(task)
    policy.TASK.check(actor, "progress", task)
    if progress is None and not status and not note.strip():
        raise ValidationError({"progress": _("Give a progress, a status or a note.")})
    before = task_snapshot(task)
    _apply_progress(actor, task, progress=None if progress in (None, "") else _parse_progress(progress),
                    status=status, cancel_reason=cancel_reason)
    _validate_task(task)
    task.save()
    update = TaskUpdate.objects.create(task=task, author=acting_user(actor), status=task.status,
                                       progress=task.progress, note=note.strip())
    audit.record(action=AuditAction.UPDATE, obj=task, before=before, after=task_snapshot(task), actor=actor,
                 note=note.strip())
    totals.refresh([task.plan_id])
    return update


def _validate_evidence(evidence: TaskEvidence, upload: UploadedFile | None) -> None:
    if evidence.kind == EvidenceKind.FILE:
        if upload is None:
            raise ValidationError({"file": _("Choose a file.")})
        content, name = clean_upload(upload)
        evidence.original_name = name
        evidence.content_type = getattr(upload, "content_type", "") or ""
        evidence.size = content.size or 0
        evidence.file.save(content.name or name, content, save=False)
    elif evidence.kind == EvidenceKind.LINK:
        try:
            URLValidator(schemes=["http", "https"])(evidence.url)
        except ValidationError:
            raise ValidationError({"url": _("Give a web address starting with http:// or https://.")}) from None
    elif evidence.kind == EvidenceKind.NOTE:
        if not evidence.note:
            raise ValidationError({"note": _("Write the note.")})
    else:
        raise ValidationError({"kind": _("Unknown kind of evidence.")})


@transaction.atomic
def add_evidence(
    *, actor: Any, task: PlanTask, kind: str, upload: UploadedFile | None = None, url: str = "", note: str = "",
) -> TaskEvidence:
    policy.TASK.check(actor, "evidence", task)
    evidence = TaskEvidence(task=task, kind=kind, url=(url or "").strip(), note=(note or "").strip(),
                            uploaded_by=acting_user(actor))
    _validate_evidence(evidence, upload)
    return save_new(evidence, actor=actor, related=task)
