"""Bulk progress update from the product's own XLSX task export: every row checked, all rows written or none."""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chithi.core.permissions import Action, restrict
from chithi.core.xlsx import CellError, Column, ImportRejected, parse_choice, parse_int, parse_text, read_sheet

from ..models import PlanTask, TaskStatus, TaskUpdate
from .tasks import report_progress


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


def _checked_rows(actor: Any, rows: list[tuple[int, dict[str, Any]]], header: dict[str, str],
                  errors: list[CellError]) -> tuple[list[tuple[PlanTask, dict[str, Any]]], dict[int, int]]:
    """The rows to apply, each with its task; what is wrong is added to `errors` with its row and column."""
    codes = [values["code"] for _n, values in rows if isinstance(values.get("code"), int)]
    tasks = {t.pk: t for t in restrict(PlanTask.objects.filter(pk__in=codes), actor, Action.CHANGE)
             .select_related("plan__organisation")}
    seen: dict[int, int] = {}
    planned: list[tuple[PlanTask, dict[str, Any]]] = []
    for number, values in rows:
        code = values.get("code")
        if not isinstance(code, int):
            continue  # the parser already reported it
        task = tasks.get(code)
        if task is None:
            errors.append(CellError(number, f"A ({header['code']})",
                                    _("No task with code %(code)d in your scope.") % {"code": code}))
        elif code in seen:
            errors.append(CellError(number, f"A ({header['code']})",
                                    _("Task %(code)d already appears in row %(row)d.") % {"code": code,
                                                                                          "row": seen[code]}))
        elif isinstance(values.get("progress"), int) and not 0 <= values["progress"] <= 100:
            seen[code] = number
            errors.append(CellError(number, header["progress"], _("Progress must be between 0 and 100.")))
        elif not task.plan.is_open:
            seen[code] = number
            errors.append(CellError(number, header["code"], _("The plan of this task is closed.")))
        else:
            seen[code] = number
            planned.append((task, values))
    return planned, seen


def import_progress(*, actor: Any, source: IO[bytes] | bytes) -> list[TaskUpdate]:
    """Update task progress from the product's own XLSX export: all rows or none.

    Every bad cell is reported by row and column; a task outside the actor's scope reads as unknown.
    """
    columns = progress_columns()
    sheet = read_sheet(source, columns)
    errors: list[CellError] = list(sheet.errors)
    header = {c.key: str(c.header) for c in columns}
    planned, seen = _checked_rows(actor, sheet.rows, header, errors)
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
                messages = exc.message_dict if hasattr(exc, "error_dict") else {"progress": exc.messages}
                errors.extend(CellError(seen[task.pk], header.get(key, key), " ".join(msgs))
                              for key, msgs in messages.items())
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportRejected(errors)
    return updates
