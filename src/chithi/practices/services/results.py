"""Writes for what a practice measures: its indicators and the figures recorded for each period."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core.text import fold
from chithi.core.writes import acting_user, model_update, save_new

from ..models import Indicator, Practice, Result
from ..policy import CHANGE, PRACTICE


def _decimal(value: Any, field: str) -> decimal.Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = decimal.Decimal(str(value).replace(" ", ""))
    except (decimal.InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite() or abs(number) >= decimal.Decimal("1e14"):
        raise ValidationError({field: _("Enter a number.")})
    return number


@transaction.atomic
def add_indicator(*, actor: Any, practice: Practice, name: str, unit: str = "", target: Any = None) -> Indicator:
    PRACTICE.check(actor, CHANGE, practice)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("The indicator needs a name.")})
    if len(name) > 200:
        raise ValidationError({"name": _("At most %(n)d characters.") % {"n": 200}})
    target_value = _decimal(target, "target")
    if target_value is not None and target_value <= 0:
        raise ValidationError({"target": _("The target must be greater than zero.")})
    if any(fold(n) == fold(name) for n in practice.indicators.values_list("name", flat=True)):
        raise ValidationError({"name": _("This practice already has the indicator “%(name)s”.") % {"name": name}})
    indicator = Indicator(practice=practice, name=name, unit=unit.strip()[:40], target=target_value,
                          position=practice.indicators.count())
    return save_new(indicator, actor=actor, note=str(practice), related=practice)


def _check_period(practice: Practice, period_start: dt.date, period_end: dt.date, value: Any) -> None:
    errors: dict[str, str] = {}
    if value is None:
        errors["actual"] = _("Enter the actual figure.")
    elif value < 0:
        errors["actual"] = _("The actual figure cannot be negative.")
    if period_start is None:
        errors["period_start"] = _("The period start is required.")
    if period_end is None:
        errors["period_end"] = _("The period end is required.")
    if period_start and period_end:
        if period_end < period_start:
            errors["period_end"] = _("The period must end on or after its start.")
        elif period_end < practice.started_on:
            errors["period_start"] = _("The practice started on %(date)s; a period ending before that cannot "
                                       "have results.") % {"date": f"{practice.started_on:%d/%m/%Y}"}
        elif period_start > dt.date.today():
            errors["period_start"] = _("The period has not started yet.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_result(
    *, actor: Any, indicator: Indicator, period_start: dt.date, period_end: dt.date, actual: Any,
    period_label: str = "", note: str = "",
) -> Result:
    """Record (or correct) the figure of one indicator for one period."""
    practice = indicator.practice
    PRACTICE.check(actor, CHANGE, practice)
    value = _decimal(actual, "actual")
    _check_period(practice, period_start, period_end, value)
    data = {"actual": value, "period_label": " ".join(period_label.split())[:60]
            or f"{period_start:%d/%m/%Y} – {period_end:%d/%m/%Y}",
            "note": note.strip()[:500], "recorded_by": acting_user(actor)}
    existing = Result.objects.select_for_update().filter(indicator=indicator, period_start=period_start,
                                                         period_end=period_end).first()
    if existing is not None:
        existing, _changed = model_update(instance=existing, data=data, fields=data.keys(), actor=actor,
                                          note=str(practice), related=practice)
        return existing
    overlapping = Result.objects.filter(indicator=indicator, period_start__lte=period_end,
                                        period_end__gte=period_start).first()
    if overlapping is not None:
        message = _("This period overlaps the recorded period %(label)s; correct that one or choose another period.")
        raise ValidationError({"period_start": message % {"label": overlapping.period_label}})
    result = Result(indicator=indicator, period_start=period_start, period_end=period_end, **data)
    return save_new(result, actor=actor, note=str(practice), related=practice)


@transaction.atomic
def record_period_results(
    *, actor: Any, practice: Practice, period_start: dt.date, period_end: dt.date, values: dict[int, Any],
    period_label: str = "", note: str = "",
) -> list[Result]:
    """A unit's report for one period: a figure per indicator (by indicator id), all recorded or none.
    An error on a figure is named after that indicator's field, `actual_<id>`."""
    indicators = {i.pk: i for i in practice.indicators.all()}
    unknown = [pk for pk in values if pk not in indicators]
    if unknown:
        raise ValidationError({"values": _("Unknown indicator.")})
    if not any(v not in (None, "") for v in values.values()):
        raise ValidationError({"values": _("Enter at least one figure.")})
    results = []
    for pk, value in values.items():
        if value in (None, ""):
            continue
        try:
            results.append(record_result(actor=actor, indicator=indicators[pk], period_start=period_start,
                                         period_end=period_end, actual=value, period_label=period_label, note=note))
        except ValidationError as exc:
            errors = exc.message_dict
            if "actual" in errors:
                errors[f"actual_{pk}"] = errors.pop("actual")
            raise ValidationError(errors) from exc
    return results
