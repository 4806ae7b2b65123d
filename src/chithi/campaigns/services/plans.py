"""Writes for implementation plans: create, edit, close."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core.permissions import Action
from chithi.core.writes import locked, model_update, require, require_active, save_new
from chithi.orgs.models import Organisation

from .. import policy, totals
from ..models import Plan, Theme
from .common import one_line

PLAN_FIELDS = ("title", "number", "description", "starts_on", "ends_on")


def validate_plan(plan: Plan) -> None:
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


def _period_defaults(data: dict[str, Any], year: int) -> dict[str, Any]:
    """An empty start or end means the first or last day of the theme's year (the forms say so)."""
    defaults = {"starts_on": dt.date(year, 1, 1), "ends_on": dt.date(year, 12, 31)}
    return {name: defaults[name] if name in defaults and value is None else value for name, value in data.items()}


@transaction.atomic
def create_plan(
    *, actor: Any, organisation: Organisation, theme: Theme, title: str, starts_on: dt.date | None = None,
    ends_on: dt.date | None = None, number: str = "", description: str = "", parent: Plan | None = None,
) -> Plan:
    require(actor, Action.ADD, organisation.path)
    require_active(organisation)
    # The theme must be the unit's own or set above it: a ward cannot implement a neighbour's theme.
    if not organisation.path.startswith(theme.organisation.path):
        raise ValidationError({"theme": _("This theme was set by %(org)s, which is not above this unit.")
                               % {"org": theme.organisation.name}})
    if Plan.objects.filter(organisation=organisation, theme=theme).exists():
        raise ValidationError({"theme": _("%(org)s already has a plan for this theme.") % {"org": organisation.name}})
    plan = Plan(organisation=organisation, theme=theme, parent=parent, year=theme.year, title=one_line(title),
                number=number or "", description=description or "",
                **_period_defaults({"starts_on": starts_on, "ends_on": ends_on}, theme.year))
    validate_plan(plan)
    plan = save_new(plan, actor=actor)
    totals.refresh([plan.pk])  # a plan without tasks counts, at 0
    return plan


@transaction.atomic
def update_plan(*, actor: Any, plan: Plan, **changes: Any) -> Plan:
    plan = locked(plan)
    policy.PLAN.check(actor, "edit", plan)
    if "title" in changes:
        changes["title"] = one_line(changes["title"])
    plan, _changed = model_update(instance=plan, data=_period_defaults(changes, plan.year), fields=PLAN_FIELDS,
                                  actor=actor, validate=validate_plan)
    return plan


@transaction.atomic
def close_plan(*, actor: Any, plan: Plan, closed_on: dt.date | None = None) -> Plan:
    """Close a plan at the end of its year: it stays readable and counted, but no longer moves or cascades."""
    plan = locked(plan)
    policy.PLAN.check(actor, "close", plan)
    plan, _changed = model_update(instance=plan, data={"closed_on": closed_on or dt.date.today()},
                                  fields=["closed_on"], actor=actor)
    return plan
