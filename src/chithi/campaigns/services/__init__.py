"""Writes of the campaigns room, one module a concern (after Zulip's zerver/actions/): directives, themes, plans,
tasks (progress and evidence), the cascade, the XLSX progress import and the hand-over to a successor unit.

Each function takes keyword arguments, checks the actor's scope and the object's policy (policy.py), validates,
writes and audits inside one transaction, and refuses bad input with a ValidationError naming the field. Every
public name is re-exported here, so callers write `services.cascade_plan(...)`.
"""

from .cascade import CascadePreview, CascadeResult, cascade_plan, preview_cascade
from .directives import DIRECTIVE_FIELDS, add_directive_attachment, create_directive, update_directive
from .plans import PLAN_FIELDS, close_plan, create_plan, update_plan
from .progress_import import import_progress, progress_columns
from .succession import move_to_successor
from .tasks import TASK_FIELDS, add_evidence, create_task, report_progress, resolve_deadline, update_task
from .themes import THEME_FIELDS, create_theme, update_theme

__all__ = [
    "DIRECTIVE_FIELDS",
    "PLAN_FIELDS",
    "TASK_FIELDS",
    "THEME_FIELDS",
    "CascadePreview",
    "CascadeResult",
    "add_directive_attachment",
    "add_evidence",
    "cascade_plan",
    "close_plan",
    "create_directive",
    "create_plan",
    "create_task",
    "create_theme",
    "import_progress",
    "move_to_successor",
    "preview_cascade",
    "progress_columns",
    "report_progress",
    "resolve_deadline",
    "update_directive",
    "update_plan",
    "update_task",
    "update_theme",
]
