"""Issue categories (kinds of issue, Open311 services) with their SLAs: kept by the intake unit's administrators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core.writes import locked, model_update, save_new

from .. import policy
from ..models import IssueCategory
from .common import clean_text

CATEGORY_FIELDS = ("name", "code", "description", "group", "keywords", "ack_days", "answer_days", "default_unit",
                   "public", "active", "sort_order")


def category_sla_errors(*, ack_days: int, answer_days: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    if ack_days > answer_days:
        errors["ack_days"] = _("Acknowledging cannot take longer than answering.")
    if answer_days < 1 or answer_days > 90:
        errors["answer_days"] = _("Between 1 and 90 working days.")
    return errors


def _validate_category(category: IssueCategory) -> None:
    errors = category_sla_errors(ack_days=category.ack_days, answer_days=category.answer_days)
    category.name = clean_text(errors, "name", category.name, 150, required=True, label=_("The name"))
    if errors:
        raise ValidationError(errors)
    try:
        category.full_clean(exclude=["default_unit"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


@transaction.atomic
def save_category(*, actor: Any, category: IssueCategory | None = None, **fields: Any) -> IssueCategory:
    """Create a category (`category` None) or change the given fields of one."""
    if not policy.manages_intake(actor):
        raise PermissionDenied(_("Only an administrator of the intake unit can change issue categories."))
    if category is not None:
        category, _changed = model_update(instance=locked(category), data=fields, fields=CATEGORY_FIELDS,
                                          actor=actor, validate=_validate_category)
        return category
    unknown = set(fields) - set(CATEGORY_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    category = IssueCategory(**fields)
    _validate_category(category)
    return save_new(category, actor=actor)
