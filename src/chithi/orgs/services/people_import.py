"""People from a spreadsheet: the columns (shared with the export) and the all-or-nothing import."""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chithi.core.models import AuditAction
from chithi.core.permissions import Action, restrict
from chithi.core.text import fold
from chithi.core.xlsx import (
    CellError,
    Column,
    ImportRejected,
    ParsedSheet,
    parse_bool,
    parse_choice,
    parse_date,
    parse_text,
    read_sheet,
)

from ..models import Gender, Organisation, Person
from .people import create_person, new_person

# The person's own fields a row may carry, besides the name, the unit and the membership's position and dates.
_ROW_FIELDS = ("gender", "birth_date", "is_party_member", "party_joined_on", "phone", "email")


def _parse_phone(value: Any) -> str:
    """A phone cell as text. A column typed as numbers holds 905123456 for 0905123456: the spreadsheet dropped the
    leading 0 that every number dialled inside Viet Nam has, so it is given back (84… is the country code, kept);
    the result meets core.contacts' rule like any typed phone, in new_person."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        text = str(value)
        value = text if text.startswith("84") else f"0{text}"
    return parse_text(20)(value)


def people_columns() -> list[Column]:
    return [
        Column("full_name", gettext_lazy("Full name"), parse_text(120)),
        Column("organisation", gettext_lazy("Unit code or name"), parse_text(255)),
        Column("position", gettext_lazy("Position"), parse_text(120), required=False),
        Column("since", gettext_lazy("Since"), parse_date, required=False),
        Column("gender", gettext_lazy("Gender"), parse_choice(Gender.choices), required=False),
        Column("birth_date", gettext_lazy("Date of birth"), parse_date, required=False),
        Column("is_party_member", gettext_lazy("Party member"), parse_bool, required=False),
        Column("party_joined_on", gettext_lazy("Joined the party on"), parse_date, required=False),
        Column("phone", gettext_lazy("Phone"), _parse_phone, required=False),
        Column("email", gettext_lazy("E-mail"), parse_text(254), required=False),
    ]


class _UnitFinder:
    """A row's unit, by code or by (folded) name, among the active units the actor may add people to."""

    def __init__(self, actor: Any) -> None:
        allowed = restrict(Organisation.objects.active(), actor, Action.ADD)
        self.by_code = {o.code.casefold(): o for o in allowed.exclude(code="")}
        self.by_name: dict[str, list[Organisation]] = {}
        for candidate in allowed:
            self.by_name.setdefault(fold(candidate.name), []).append(candidate)

    def find(self, key: str) -> Organisation | str:
        """The unit, or why there is none."""
        found = self.by_code.get(key.casefold())
        if found is not None:
            return found
        matches = self.by_name.get(fold(key), [])
        if len(matches) > 1:
            return _("Several units are called %(name)s; use the unit code.") % {"name": key}
        return matches[0] if matches else _("No unit %(name)s in your scope.") % {"name": key}


def _check_rows(actor: Any, sheet: ParsedSheet) -> tuple[list[tuple[dict[str, Any], Organisation]], list[CellError]]:
    """Every row checked, every problem reported: (rows ready to write, errors)."""
    errors: list[CellError] = list(sheet.errors)
    units = _UnitFinder(actor)
    prepared: list[tuple[dict[str, Any], Organisation]] = []
    for number, row in sheet.rows:
        # Keep checking a row after a bad cell, so one upload reports every problem at once.
        row_ok = not any(e.row == number for e in errors)
        if row.get("organisation") is None:
            continue
        unit = units.find(str(row["organisation"]))
        if isinstance(unit, str):
            errors.append(CellError(number, sheet.label("organisation"), unit))
            continue
        fields = {k: row[k] for k in _ROW_FIELDS if row.get(k) is not None}
        if not row.get("full_name"):
            continue
        try:
            new_person(full_name=row["full_name"], **fields)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                errors.extend(CellError(number, sheet.label(field_name), m) for m in messages)
            continue
        if row_ok:
            prepared.append((row | {"_fields": fields}, unit))
    return prepared, errors


def import_people(*, actor: Any, source: IO[bytes] | bytes) -> list[Person]:
    """All rows or none: every bad cell is reported (row, column, reason) and nothing is written."""
    prepared, errors = _check_rows(actor, read_sheet(source, people_columns()))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: (e.row, e.column)))
    with transaction.atomic():
        return [create_person(actor=actor, full_name=row["full_name"], organisation=unit,
                              position=row.get("position") or "", since=row.get("since"),
                              audit_action=AuditAction.IMPORT, **row["_fields"])
                for row, unit in prepared]
