"""How far a plan has come: the one rule, used by the plan's page, the API and the roll-up alike.

A plan's progress is the weighted mean of the progress of its tasks that are not cancelled; when every weight is
0 the tasks count equally; a plan without tasks counts 0 — it has achieved nothing yet (docs/decisions.md).
The database only adds up (`progress_sums`), and `progress_from_sums` applies the rule to those sums, so a plan
read one at a time and ten thousand plans grouped in one query give the same figure.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, Count, DecimalField, ExpressionWrapper, F, Q, Sum

from .models import Plan, PlanTask, TaskStatus

# The names of the sums, as annotations on a plan or keys of an aggregate.
SUM_NAMES = ("progress_weighted", "progress_weights", "progress_total", "progress_tasks")


def progress_sums(prefix: str = "tasks__") -> dict[str, Aggregate]:
    """The sums the rule needs, over the live tasks reached through `prefix` ("tasks__" from a plan, "" from
    the tasks themselves): annotate plans with them, or aggregate one plan's tasks."""
    live = ~Q(**{f"{prefix}status": TaskStatus.CANCELLED})
    weighted = ExpressionWrapper(F(f"{prefix}weight") * F(f"{prefix}progress"),
                                 output_field=DecimalField(max_digits=12, decimal_places=2))
    return {
        "progress_weighted": Sum(weighted, filter=live),
        "progress_weights": Sum(f"{prefix}weight", filter=live),
        "progress_total": Sum(f"{prefix}progress", filter=live),
        "progress_tasks": Count(f"{prefix}id", filter=live),
    }


def progress_from_sums(*, progress_weighted: Decimal | None, progress_weights: Decimal | None,
                       progress_total: int | None, progress_tasks: int | None) -> float:
    """The rule: weighted mean; plain mean when all weights are 0; 0 for a plan without (live) tasks."""
    if not progress_tasks:
        return 0.0
    if progress_weights:
        return float((progress_weighted or Decimal(0)) / progress_weights)
    return float(progress_total or 0) / progress_tasks


def plan_progress(plan: Plan) -> float:
    """The plan's progress (0–100): from the sums annotated on it (`progress_sums()`), else one aggregate."""
    if all(hasattr(plan, name) for name in SUM_NAMES):
        sums: dict[str, Any] = {name: getattr(plan, name) for name in SUM_NAMES}
    else:
        sums = PlanTask.objects.filter(plan=plan).aggregate(**progress_sums(""))
    return progress_from_sums(**sums)
