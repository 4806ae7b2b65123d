"""Writes for directives, themes, plans, tasks, progress, evidence, the cascade, the XLSX progress import
and the hand-over of open plans to a successor unit.

Each function takes keyword arguments, checks the actor's scope, validates, writes and audits inside one
transaction, and refuses bad input with a ValidationError naming the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chithi.core import audit, search
from chithi.core.models import AuditAction
from chithi.core.permissions import Action, allowed_on_path
from chithi.core.text import fold
from chithi.core.uploads import clean_document, clean_image, is_image_name
from chithi.core.workdays import add_working_days, working_days_before
from chithi.core.xlsx import CellError, Column, ImportRejected, parse_choice, parse_int, parse_text, read_sheet
from chithi.orgs.models import Membership, Organisation, Person

from .models import (
    OPEN_STATUSES,
    Directive,
    DirectiveAttachment,
    DirectiveKind,
    EvidenceKind,
    Plan,
    PlanTask,
    TaskEvidence,
    TaskStatus,
    TaskUpdate,
    Theme,
    ThemeKind,
)


def _require(actor: Any, action: Action, path: str) -> None:
    if not allowed_on_path(actor, action, path):
        raise PermissionDenied(_("You do not have permission for this unit."))


def _require_active(org: Organisation, field_name: str = "organisation") -> None:
    if not org.is_active:
        raise ValidationError({field_name: _("%(org)s no longer exists (merged or dissolved); choose its successor.")
                               % {"org": org.name}})


# --- directives ---------------------------------------------------------------------------------

_DIRECTIVE_FIELDS = ("kind", "number", "issued_on", "issuer", "title", "summary")


def _validate_directive(directive: Directive) -> None:
    errors: dict[str, str] = {}
    if not directive.number.strip():
        errors["number"] = _("The number is required (e.g. 05-CT/TW).")
    if not directive.title.strip():
        errors["title"] = _("The title is required.")
    if not directive.issuer.strip():
        errors["issuer"] = _("Say who issued it (e.g. Bộ Chính trị).")
    if directive.kind not in DirectiveKind.values:
        errors["kind"] = _("Unknown kind of document.")
    if directive.issued_on and directive.issued_on > dt.date.today():
        errors["issued_on"] = _("The date of issue is in the future.")
    if not errors and Directive.objects.filter(
        organisation=directive.organisation_id, number__iexact=directive.number.strip(),
        issued_on=directive.issued_on,
    ).exclude(pk=directive.pk).exists():
        errors["number"] = _("This document is already recorded.")
    if errors:
        raise ValidationError(errors)


def _directive_derived(directive: Directive) -> None:
    directive.number = directive.number.strip()
    directive.title = directive.title.strip()


@transaction.atomic
def create_directive(
    *, actor: Any, organisation: Organisation, number: str, issued_on: dt.date, issuer: str, title: str,
    summary: str = "", kind: str = DirectiveKind.DIRECTIVE,
) -> Directive:
    _require(actor, Action.ADD, organisation.path)
    _require_active(organisation)
    directive = Directive(organisation=organisation, number=number or "", issued_on=issued_on, issuer=issuer or "",
                          title=title or "", summary=summary or "", kind=kind)
    _directive_derived(directive)
    _validate_directive(directive)
    directive.save()
    audit.record(action=AuditAction.CREATE, obj=directive, after=audit.snapshot(directive), actor=actor)
    return directive


@transaction.atomic
def update_directive(*, actor: Any, directive: Directive, **changes: Any) -> Directive:
    _require(actor, Action.CHANGE, directive.organisation.path)
    unknown = set(changes) - set(_DIRECTIVE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    before = audit.snapshot(directive)
    for name, value in changes.items():
        setattr(directive, name, value if value is not None or name == "issued_on" else "")
    _directive_derived(directive)
    _validate_directive(directive)
    directive.save()
    audit.record(action=AuditAction.UPDATE, obj=directive, before=before, after=audit.snapshot(directive),
                 actor=actor)
    return directive


def _clean_upload(upload: UploadedFile) -> tuple[Any, str]:
    """A checked file and the name to show: images re-encoded, documents checked by their first bytes."""
    name = (upload.name or "file")[:255]
    if is_image_name(name):
        return clean_image(upload), name
    return clean_document(upload), name


@transaction.atomic
def add_directive_attachment(*, actor: Any, directive: Directive, upload: UploadedFile) -> DirectiveAttachment:
    _require(actor, Action.CHANGE, directive.organisation.path)
    try:
        content, name = _clean_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    attachment = DirectiveAttachment(directive=directive, original_name=name, uploaded_by=_user(actor),
                                     content_type=getattr(upload, "content_type", "") or "",
                                     size=content.size or 0)
    attachment.file.save(content.name or name, content, save=False)
    attachment.save()
    audit.record(action=AuditAction.CREATE, obj=attachment, after=audit.snapshot(attachment), actor=actor,
                 org_path=directive.organisation.path)
    return attachment


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# --- themes -------------------------------------------------------------------------------------


def _validate_theme(theme: Theme) -> None:
    errors: dict[str, str] = {}
    if not theme.text.strip():
        errors["text"] = _("The text of the theme is required.")
    if theme.kind not in ThemeKind.values:
        errors["kind"] = _("Unknown kind of theme.")
    if not (2000 <= (theme.year or 0) <= 2100):
        errors["year"] = _("The year must be between 2000 and 2100.")
    elif theme.directive_id and theme.year < theme.directive.issued_on.year:
        errors["year"] = _("The year is before the directive was issued (%(year)d).") % {
            "year": theme.directive.issued_on.year}
    if not errors:
        duplicate = Theme.objects.filter(organisation=theme.organisation_id, year=theme.year,
                                         search_text=fold(theme.text)).exclude(pk=theme.pk)
        if duplicate.exists():
            errors["text"] = _("This unit already has this theme for %(year)d.") % {"year": theme.year}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_theme(
    *, actor: Any, organisation: Organisation, year: int, directive: Directive, text: str,
    kind: str = ThemeKind.THEME,
) -> Theme:
    _require(actor, Action.ADD, organisation.path)
    _require_active(organisation)
    theme = Theme(organisation=organisation, year=year, directive=directive, text=" ".join((text or "").split()),
                  kind=kind)
    _validate_theme(theme)
    theme.save()
    audit.record(action=AuditAction.CREATE, obj=theme, after=audit.snapshot(theme), actor=actor)
    return theme


@transaction.atomic
def update_theme(*, actor: Any, theme: Theme, **changes: Any) -> Theme:
    _require(actor, Action.CHANGE, theme.organisation.path)
    unknown = set(changes) - {"year", "directive", "text", "kind"}
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    before = audit.snapshot(theme)
    if "year" in changes and changes["year"] != theme.year and theme.plans.exists():
        raise ValidationError({"year": _("Plans already implement this theme; its year cannot change.")})
    for name, value in changes.items():
        setattr(theme, name, value)
    theme.text = " ".join(theme.text.split())
    _validate_theme(theme)
    theme.save()
    audit.record(action=AuditAction.UPDATE, obj=theme, before=before, after=audit.snapshot(theme), actor=actor)
    return theme


# --- plans --------------------------------------------------------------------------------------

_PLAN_FIELDS = ("title", "number", "description", "starts_on", "ends_on")


def _validate_plan(plan: Plan) -> None:
    errors: dict[str, str] = {}
    if not plan.title.strip():
        errors["title"] = _("The title is required.")
    if plan.starts_on and plan.ends_on and plan.ends_on < plan.starts_on:
        errors["ends_on"] = _("The plan ends before it starts.")
    if plan.pk and plan.starts_on and plan.tasks.filter(deadline__lt=plan.starts_on).exists():
        errors["starts_on"] = _("Some tasks are due before this start date; change their deadlines first.")
    if plan.pk and plan.ends_on and plan.tasks.filter(deadline__gt=plan.ends_on).exists():
        errors["ends_on"] = _("Some tasks are due after this end date; change their deadlines first.")
    if errors:
        raise ValidationError(errors)


def _plan_derived(plan: Plan) -> None:
    plan.title = " ".join(plan.title.split())


@transaction.atomic
def create_plan(
    *, actor: Any, organisation: Organisation, theme: Theme, title: str, starts_on: dt.date | None = None,
    ends_on: dt.date | None = None, number: str = "", description: str = "", parent: Plan | None = None,
) -> Plan:
    _require(actor, Action.ADD, organisation.path)
    _require_active(organisation)
    # The theme must be the unit's own or set above it: a ward cannot implement a neighbour's theme.
    if not organisation.path.startswith(theme.organisation.path):
        raise ValidationError({"theme": _("This theme was set by %(org)s, which is not above this unit.")
                               % {"org": theme.organisation.name}})
    if Plan.objects.filter(organisation=organisation, theme=theme).exists():
        raise ValidationError({"theme": _("%(org)s already has a plan for this theme.") % {"org": organisation.name}})
    plan = Plan(
        organisation=organisation, theme=theme, parent=parent, year=theme.year, title=title or "", number=number,
        description=description, starts_on=starts_on or dt.date(theme.year, 1, 1),
        ends_on=ends_on or dt.date(theme.year, 12, 31),
    )
    _plan_derived(plan)
    _validate_plan(plan)
    plan.save()
    audit.record(action=AuditAction.CREATE, obj=plan, after=audit.snapshot(plan), actor=actor)
    return plan


@transaction.atomic
def update_plan(*, actor: Any, plan: Plan, **changes: Any) -> Plan:
    _require(actor, Action.CHANGE, plan.organisation.path)
    unknown = set(changes) - set(_PLAN_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    plan = Plan.objects.select_for_update().select_related("organisation").get(pk=plan.pk)
    before = audit.snapshot(plan)
    for name, value in changes.items():
        setattr(plan, name, value if value is not None else getattr(plan, name))
    _plan_derived(plan)
    _validate_plan(plan)
    plan.save()
    audit.record(action=AuditAction.UPDATE, obj=plan, before=before, after=audit.snapshot(plan), actor=actor)
    return plan


@transaction.atomic
def close_plan(*, actor: Any, plan: Plan, closed_on: dt.date | None = None) -> Plan:
    """Close a plan at the end of its year: it stays readable and counted, but no longer moves or cascades."""
    _require(actor, Action.CHANGE, plan.organisation.path)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.closed_on is not None:
        raise ValidationError({"closed_on": _("The plan is already closed.")})
    before = audit.snapshot(plan)
    plan.closed_on = closed_on or dt.date.today()
    plan.save(update_fields=["closed_on", "updated_at"])
    audit.record(action=AuditAction.UPDATE, obj=plan, before=before, after=audit.snapshot(plan), actor=actor)
    return plan


# --- tasks --------------------------------------------------------------------------------------


def _parse_weight(value: Any) -> Decimal:
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


def _resolve_deadline(plan: Plan, deadline: dt.date | None, deadline_working_days: int | None) -> dt.date:
    if deadline is None and deadline_working_days is None:
        raise ValidationError({"deadline": _("Give a deadline, or a number of working days from the plan's start.")})
    if deadline is None:
        assert deadline_working_days is not None
        if deadline_working_days < 0:
            raise ValidationError({"deadline_working_days": _("The number of working days cannot be negative.")})
        deadline = add_working_days(plan.starts_on, deadline_working_days)
    return deadline


def _validate_task(task: PlanTask, plan: Plan) -> None:
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


def _task_derived(task: PlanTask) -> None:
    task.title = " ".join(task.title.split())


def _require_open_plan(plan: Plan) -> None:
    if not plan.is_open:
        raise ValidationError({"plan": _("The plan was closed on %(date)s.") % {
            "date": plan.closed_on.strftime("%d/%m/%Y") if plan.closed_on else ""}})


@transaction.atomic
def create_task(
    *, actor: Any, plan: Plan, title: str, deadline: dt.date | None = None, deadline_working_days: int | None = None,
    weight: Any = 1, target: str = "", description: str = "", owner_people: Sequence[Person] = (),
    owner_units: Sequence[Organisation] = (),
) -> PlanTask:
    _require(actor, Action.ADD, plan.organisation.path)
    _require_open_plan(plan)
    task = PlanTask(plan=plan, title=title or "", deadline=_resolve_deadline(plan, deadline, deadline_working_days),
                    weight=_parse_weight(weight), target=target or "", description=description or "")
    _task_derived(task)
    _validate_task(task, plan)
    _validate_owners(plan, owner_people, owner_units)
    task.save()
    task.owner_people.set(owner_people)
    task.owner_units.set(owner_units)
    audit.record(action=AuditAction.CREATE, obj=task, after=_task_snapshot(task), actor=actor)
    return task


def _task_snapshot(task: PlanTask) -> dict[str, Any] | None:
    data = audit.snapshot(task)
    assert data is not None
    data["owner_people"] = sorted(task.owner_people.values_list("pk", flat=True))
    data["owner_units"] = sorted(task.owner_units.values_list("pk", flat=True))
    return data


_TASK_FIELDS = {"title", "description", "deadline", "weight", "target"}


@transaction.atomic
def update_task(
    *, actor: Any, task: PlanTask, owner_people: Sequence[Person] | None = None,
    owner_units: Sequence[Organisation] | None = None, **changes: Any,
) -> PlanTask:
    _require(actor, Action.CHANGE, task.plan.organisation.path)
    unknown = set(changes) - _TASK_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    task = PlanTask.objects.select_for_update().select_related("plan__organisation").get(pk=task.pk)
    _require_open_plan(task.plan)
    # What the higher level required stays as it was sent: the sub-unit reports on it, it does not rewrite it.
    if task.required and ({"title", "weight"} & {k for k, v in changes.items() if v != getattr(task, k)}):
        raise ValidationError({"title": _("A task required by the higher level keeps its title and weight.")})
    before = _task_snapshot(task)
    for name, value in changes.items():
        setattr(task, name, _parse_weight(value) if name == "weight" else (value if value is not None else ""))
    _task_derived(task)
    _validate_task(task, task.plan)
    people = list(owner_people) if owner_people is not None else list(task.owner_people.all())
    units = list(owner_units) if owner_units is not None else list(task.owner_units.all())
    _validate_owners(task.plan, people, units)
    task.save()
    if owner_people is not None:
        task.owner_people.set(people)
    if owner_units is not None:
        task.owner_units.set(units)
    audit.record(action=AuditAction.UPDATE, obj=task, before=before, after=_task_snapshot(task), actor=actor)
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


def _apply_progress(task: PlanTask, *, progress: int | None, status: str | None, cancel_reason: str) -> None:
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
    if status == TaskStatus.CANCELLED and task.required:
        raise ValidationError({"status": _("A task required by the higher level cannot be cancelled here.")})
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
    """Record progress on a task: the task moves and its timeline gets one entry."""
    _require(actor, Action.CHANGE, task.plan.organisation.path)
    task = PlanTask.objects.select_for_update().select_related("plan__organisation").get(pk=task.pk)
    _require_open_plan(task.plan)
    if progress is None and not status and not note.strip():
        raise ValidationError({"progress": _("Give a progress, a status or a note.")})
    before = _task_snapshot(task)
    _apply_progress(task, progress=None if progress in (None, "") else _parse_progress(progress), status=status,
                    cancel_reason=cancel_reason)
    _validate_task(task, task.plan)
    task.save()
    update = TaskUpdate.objects.create(task=task, author=_user(actor), status=task.status, progress=task.progress,
                                       note=note.strip())
    audit.record(action=AuditAction.UPDATE, obj=task, before=before, after=_task_snapshot(task), actor=actor,
                 note=note.strip())
    return update


@transaction.atomic
def add_evidence(
    *, actor: Any, task: PlanTask, kind: str, upload: UploadedFile | None = None, url: str = "", note: str = "",
) -> TaskEvidence:
    _require(actor, Action.CHANGE, task.plan.organisation.path)
    evidence = TaskEvidence(task=task, kind=kind, url=(url or "").strip(), note=(note or "").strip(),
                            uploaded_by=_user(actor))
    if kind == EvidenceKind.FILE:
        if upload is None:
            raise ValidationError({"file": _("Choose a file.")})
        try:
            content, name = _clean_upload(upload)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        evidence.original_name = name
        evidence.content_type = getattr(upload, "content_type", "") or ""
        evidence.size = content.size or 0
        evidence.file.save(content.name or name, content, save=False)
    elif kind == EvidenceKind.LINK:
        try:
            URLValidator(schemes=["http", "https"])(evidence.url)
        except ValidationError:
            raise ValidationError({"url": _("Give a web address starting with http:// or https://.")}) from None
    elif kind == EvidenceKind.NOTE:
        if not evidence.note:
            raise ValidationError({"note": _("Write the note.")})
    else:
        raise ValidationError({"kind": _("Unknown kind of evidence.")})
    evidence.save()
    audit.record(action=AuditAction.CREATE, obj=evidence, after=audit.snapshot(evidence), actor=actor)
    return evidence


# --- the cascade --------------------------------------------------------------------------------


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


@transaction.atomic
def cascade_plan(
    *, actor: Any, plan: Plan, units: Iterable[Organisation] | None = None, tasks: Iterable[PlanTask] | None = None,
    lead_working_days: int = 0,
) -> CascadeResult:
    """Issue the plan to sub-units in one action: each gets its own plan with the chosen tasks as required tasks.

    Idempotent (a unit's plan for a theme and a cascaded task are found, not duplicated, by unique constraints)
    and all-or-nothing (one transaction; every unit is checked before anything is written). With
    `lead_working_days`, a sub-unit's deadline falls that many working days before the higher-level deadline so
    it can report in time.
    """
    _require(actor, Action.ADD, plan.organisation.path)
    plan = Plan.objects.select_related("organisation", "theme").get(pk=plan.pk)
    _require_open_plan(plan)
    if lead_working_days < 0 or lead_working_days > 60:
        raise ValidationError({"lead_working_days": _("Between 0 and 60 working days.")})
    if units is None:
        chosen = list(plan.organisation.children.filter(dissolved_on__isnull=True).order_by("sort_key"))
    else:
        chosen = list({u.pk: u for u in units}.values())
        if not chosen:
            raise ValidationError({"units": _("Choose at least one sub-unit.")})
    if not chosen:
        raise ValidationError({"units": _("%(org)s has no sub-units to issue the plan to.")
                               % {"org": plan.organisation.name}})
    problems: list[str] = []
    # Re-read the units: the caller's objects may predate a merger that happened meanwhile.
    fresh = {o.pk: o for o in Organisation.objects.filter(pk__in=[u.pk for u in chosen]).select_related("successor")}
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
    all_tasks = plan.tasks.exclude(status=TaskStatus.CANCELLED)
    if tasks is not None:
        wanted = {t.pk for t in tasks}
        send = [t for t in all_tasks if t.pk in wanted]
        if len(send) != len(wanted):
            raise ValidationError({"tasks": _("Choose tasks of this plan that are not cancelled.")})
    else:
        send = list(all_tasks)
    deadlines: dict[int, dt.date] = {}
    for task in send:
        deadline = working_days_before(task.deadline, lead_working_days) if lead_working_days else task.deadline
        if deadline < plan.starts_on:
            raise ValidationError({"lead_working_days": _(
                "With %(n)d working days of lead time, the task “%(task)s” would be due before the plan starts.")
                % {"n": lead_working_days, "task": task.title}})
        deadlines[task.pk] = deadline
    result = CascadeResult()
    units = [fresh[u.pk] for u in chosen]
    # Read what exists, bulk-insert what is missing: a few statements plus one audit row per created record.
    # The unique constraints stay the guard: a concurrent cascade fails the whole transaction, never duplicates.
    existing = {p.organisation_id: p for p in Plan.objects.filter(theme=plan.theme, organisation__in=units)}
    issued_from = _("issued from %(plan)s") % {"plan": plan.title}
    new_plans = []
    for unit in units:
        if unit.pk in existing:
            continue
        child = Plan(organisation=unit, theme=plan.theme, parent=plan, year=plan.year,
                     title=_sub_plan_title(plan, unit), starts_on=plan.starts_on, ends_on=plan.ends_on)
        _plan_derived(child)
        new_plans.append(search.index(child))
    for child in Plan.objects.bulk_create(new_plans):
        audit.record(action=AuditAction.CREATE, obj=child, after=audit.snapshot(child), actor=actor,
                     note=issued_from, org_path=child.organisation.path)
        result.plans_created.append(child)
    for unit in units:
        found = existing.get(unit.pk)
        if found is None:
            continue
        if found.parent_id is None:
            before = audit.snapshot(found)
            found.parent = plan
            found.save(update_fields=["parent", "updated_at"])
            audit.record(action=AuditAction.UPDATE, obj=found, before=before, after=audit.snapshot(found),
                         actor=actor, note=_("linked to %(plan)s") % {"plan": plan.title}, org_path=unit.path)
        result.plans_existing.append(found)
    children = result.plans
    already = set(PlanTask.objects.filter(plan__in=children, source_task__in=send)
                  .values_list("plan_id", "source_task_id"))
    result.tasks_existing = len(already)
    new_tasks = []
    for child in children:
        for task in send:
            if (child.pk, task.pk) in already:
                continue
            new_tasks.append(PlanTask(
                plan=child, source_task=task, title=task.title, description=task.description,
                deadline=min(max(deadlines[task.pk], child.starts_on), child.ends_on), weight=task.weight,
                target=task.target, required=True))
    created_tasks = PlanTask.objects.bulk_create([search.index(t) for t in new_tasks])
    through = PlanTask.owner_units.through
    through.objects.bulk_create([through(plantask_id=t.pk, organisation_id=t.plan.organisation_id)
                                 for t in created_tasks])
    required_by = _("required by %(org)s") % {"org": plan.organisation.name}
    for sub_task in created_tasks:
        after = audit.snapshot(sub_task) or {}
        after.update(owner_people=[], owner_units=[sub_task.plan.organisation_id])
        audit.record(action=AuditAction.CREATE, obj=sub_task, after=after, actor=actor, note=required_by,
                     org_path=sub_task.plan.organisation.path)
    result.tasks_created = len(created_tasks)
    return result


# --- progress import ----------------------------------------------------------------------------


def progress_columns() -> list[Column]:
    """The columns of the task export; the import reads the code, status, progress and note and ignores the rest."""
    return [
        Column("code", gettext_lazy("Task code"), parse_int),
        Column("unit", gettext_lazy("Unit"), parse_text(255), required=False),
        Column("plan", gettext_lazy("Plan"), parse_text(300), required=False),
        Column("title", gettext_lazy("Task"), parse_text(500), required=False),
        Column("deadline", gettext_lazy("Deadline"), lambda v: v, required=False),
        Column("status", gettext_lazy("Status"), parse_choice(TaskStatus.choices), required=False),
        Column("progress", gettext_lazy("Progress (%)"), parse_int),
        Column("note", gettext_lazy("Note"), parse_text(2000), required=False),
        Column("cancel_reason", gettext_lazy("Reason for cancelling"), parse_text(500), required=False),
    ]


def import_progress(*, actor: Any, source: IO[bytes] | bytes) -> list[TaskUpdate]:
    """Update task progress from the product's own XLSX export: all rows or none.

    Every bad cell is reported by row and column; a task outside the actor's scope reads as unknown.
    """
    from chithi.core.permissions import restrict

    columns = progress_columns()
    sheet = read_sheet(source, columns)
    errors: list[CellError] = list(sheet.errors)
    header = {c.key: str(c.header) for c in columns}
    codes: list[int] = [values["code"] for _n, values in sheet.rows if isinstance(values.get("code"), int)]
    tasks = {t.pk: t for t in restrict(PlanTask.objects.filter(pk__in=codes), actor, Action.CHANGE)
             .select_related("plan__organisation")}
    seen: dict[int, int] = {}
    planned: list[tuple[PlanTask, dict[str, Any]]] = []
    for number, values in sheet.rows:
        code = values.get("code")
        if "code" not in values or not isinstance(code, int):
            continue  # the parser already reported it
        task = tasks.get(code)
        if task is None:
            errors.append(CellError(number, f"A ({header['code']})",
                                    _("No task with code %(code)d in your scope.") % {"code": code}))
            continue
        if code in seen:
            errors.append(CellError(number, f"A ({header['code']})",
                                    _("Task %(code)d already appears in row %(row)d.") % {"code": code,
                                                                                          "row": seen[code]}))
            continue
        seen[code] = number
        progress = values.get("progress")
        if isinstance(progress, int) and not 0 <= progress <= 100:
            errors.append(CellError(number, header["progress"], _("Progress must be between 0 and 100.")))
            continue
        if not task.plan.is_open:
            errors.append(CellError(number, header["code"], _("The plan of this task is closed.")))
            continue
        planned.append((task, values))
    if errors:
        raise ImportRejected(errors)
    updates: list[TaskUpdate] = []
    with transaction.atomic():
        for task, values in planned:
            # The export carries the current status: left as it was, it follows the new progress.
            status = values.get("status") if values.get("status") != task.status else None
            if values.get("progress") == task.progress and status is None and not values.get("note"):
                continue
            try:
                updates.append(report_progress(
                    actor=actor, task=task, progress=values.get("progress"), status=status,
                    note=values.get("note") or "", cancel_reason=values.get("cancel_reason") or ""))
            except ValidationError as exc:
                row = seen[task.pk]
                messages = exc.message_dict if hasattr(exc, "error_dict") else {"progress": exc.messages}
                errors.extend(CellError(row, header.get(key, key), " ".join(msgs)) for key, msgs in messages.items())
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportRejected(errors)
    return updates


# --- restructuring: open plans follow the unit into its successor -----------------------------------


def move_to_successor(*, source: Organisation, successor: Organisation, effective_on: dt.date, actor: Any) -> None:
    """Registered with orgs: the open plans of a merged or split unit, and the open tasks it owns, move on.

    When the successor has no plan for the theme, the plan itself moves. When it already has one (two wards
    merged, each with the city's plan), the open tasks move into the successor's plan; a required task the
    successor already received from the same higher-level task is cancelled with the reason, since the
    successor carries it once. Closed plans and finished tasks stay with the old unit, as history.
    """
    note = _("moved to %(org)s on %(date)s") % {"org": successor.name, "date": effective_on.strftime("%d/%m/%Y")}
    for plan in Plan.objects.filter(organisation=source, closed_on__isnull=True).select_related("organisation"):
        target = Plan.objects.filter(organisation=successor, theme=plan.theme_id).first()
        if target is None:
            before = audit.snapshot(plan)
            plan.organisation = successor
            plan.save(update_fields=["organisation", "updated_at"])
            audit.record(action=AuditAction.MOVE, obj=plan, before=before, after=audit.snapshot(plan), actor=actor,
                         note=note)
            continue
        for task in plan.tasks.filter(status__in=OPEN_STATUSES):
            before = audit.snapshot(task)
            if task.source_task_id and target.tasks.filter(source_task=task.source_task_id).exists():
                task.status = TaskStatus.CANCELLED
                task.cancel_reason = _("Carried by %(org)s after the merger.") % {"org": successor.name}
                task.save(update_fields=["status", "cancel_reason", "updated_at"])
            else:
                task.plan = target
                task.deadline = min(max(task.deadline, target.starts_on), target.ends_on)
                task.save(update_fields=["plan", "deadline", "updated_at"])
            audit.record(action=AuditAction.MOVE, obj=task, before=before, after=audit.snapshot(task), actor=actor,
                         note=note)
        # Sub-units' plans issued from the old plan now answer to the successor's.
        plan.children.update(parent=target)
        before = audit.snapshot(plan)
        plan.closed_on = effective_on
        plan.save(update_fields=["closed_on", "updated_at"])
        audit.record(action=AuditAction.UPDATE, obj=plan, before=before, after=audit.snapshot(plan), actor=actor,
                     note=note)
    # Open tasks anywhere that the old unit was in charge of now fall to the successor.
    through = PlanTask.owner_units.through
    for row in through.objects.filter(organisation=source, plantask__status__in=OPEN_STATUSES):
        if not through.objects.filter(plantask_id=row.plantask_id, organisation=successor).exists():
            through.objects.create(plantask_id=row.plantask_id, organisation=successor)
        row.delete()
