"""Writes for the year's themes and breakthrough tasks set under a directive."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core.permissions import Action
from chithi.core.text import fold
from chithi.core.writes import locked, model_update, require, require_active, save_new
from chithi.orgs.models import Organisation

from .. import policy
from ..models import Directive, Theme, ThemeKind
from .common import one_line

THEME_FIELDS = ("year", "directive", "text", "kind")


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
    require(actor, Action.ADD, organisation.path)
    require_active(organisation)
    theme = Theme(organisation=organisation, year=year, directive=directive, text=one_line(text), kind=kind)
    _validate_theme(theme)
    return save_new(theme, actor=actor)


@transaction.atomic
def update_theme(*, actor: Any, theme: Theme, **changes: Any) -> Theme:
    theme = locked(theme)
    policy.THEME.check(actor, "edit", theme)
    if "year" in changes and changes["year"] != theme.year and theme.plans.exists():
        raise ValidationError({"year": _("Plans already implement this theme; its year cannot change.")})
    if isinstance(changes.get("text"), str):
        changes["text"] = one_line(changes["text"])
    theme, _changed = model_update(instance=theme, data=changes, fields=THEME_FIELDS, actor=actor,
                                   validate=_validate_theme)
    return theme
