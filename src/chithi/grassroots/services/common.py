"""Small checks the grassroots services share: required text, a unit that exists on a date, a person in scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chithi.core.permissions import Action, restrict
from chithi.core.writes import locked, require
from chithi.orgs.models import Organisation, Person

from ..models import Meeting


def clean_text(errors: dict[str, Any], field: str, value: str | None, *, max_length: int, required: bool = False,
               min_length: int = 0) -> str:
    text = (value or "").strip()
    if required and not text:
        errors[field] = _("This field is required.")
    elif len(text) > max_length:
        errors[field] = _("At most %(n)d characters.") % {"n": max_length}
    elif text and len(text) < min_length:
        errors[field] = _("Write at least %(n)d characters.") % {"n": min_length}
    return text


def raise_if(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


def required_text(field: str, value: str | None, *, max_length: int, min_length: int = 0) -> str:
    """A reason or a description that must be given: the cleaned text, or a ValidationError on `field`."""
    errors: dict[str, Any] = {}
    text = clean_text(errors, field, value, max_length=max_length, required=True, min_length=min_length)
    raise_if(errors)
    return text


def changing_meeting(actor: Any, meeting: Meeting, step: str, *, lock: bool = True) -> Meeting:
    """The meeting for a write: in the actor's CHANGE scope (else PermissionDenied, a 404), locked, and the step
    allowed by the meeting's policy now (else ValidationError with the reason)."""
    from .. import policy

    require(actor, Action.CHANGE, meeting)
    if lock:
        meeting = locked(meeting)
    policy.MEETING.check(actor, step, meeting)
    return meeting


def unit_exists_on(unit: Organisation, day: dt.date) -> str:
    """'' when the unit existed on the day, else why not (in Vietnamese), naming its successor."""
    if unit.established_on and day < unit.established_on:
        return _("%(unit)s was only established on %(date)s.") % {
            "unit": unit.name, "date": unit.established_on.strftime("%d/%m/%Y")}
    if unit.dissolved_on and day >= unit.dissolved_on:
        message = _("%(unit)s ceased to exist on %(date)s.") % {
            "unit": unit.name, "date": unit.dissolved_on.strftime("%d/%m/%Y")}
        if unit.successor_id and unit.successor is not None:
            message += " " + _("Its successor is %(successor)s.") % {"successor": unit.successor.name}
        return message
    return ""


def visible_person(actor: Any, person: Person | int | None) -> Person | None:
    """The person if the actor may see them; None for an id outside scope (it reads as unknown)."""
    if person is None:
        return None
    pk = person.pk if isinstance(person, Person) else person
    return restrict(Person.objects.filter(pk=pk), actor, Action.VIEW).first()


def fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")
