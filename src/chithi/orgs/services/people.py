"""Writes for people: a person enters through a membership, and their own record is edited under PersonPolicy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from chithi.core.contacts import new_phone_problem
from chithi.core.models import AuditAction
from chithi.core.text import has_bidi_controls, person_sort_key
from chithi.core.writes import locked, model_update, save_new

from ..models import Gender, Membership, Organisation, Person
from ..policy import ORGANISATION, PERSON

PERSON_FIELDS = ("full_name", "gender", "birth_date", "is_party_member", "party_joined_on", "phone", "email",
                 "note")


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def validate_person(person: Person, *, recorded_phone: str = "") -> None:
    """Every rule on a person's own fields, each error under its field (the import reports them by column).
    `recorded_phone`: the phone as stored before an update, which passes unchanged (core.contacts)."""
    errors: dict[str, str] = {}
    if not person.full_name.strip():
        errors["full_name"] = _("The full name is required.")
    elif len(person.full_name.split()) < 2:
        errors["full_name"] = _("Write the full name: family name and given name.")
    elif has_bidi_controls(person.full_name):
        errors["full_name"] = _("The name contains invisible text-direction characters; type it again.")
    if person.gender and person.gender not in Gender.values:
        errors["gender"] = _("Unknown gender.")
    today = dt.date.today()
    if person.birth_date and not (dt.date(1900, 1, 1) <= person.birth_date <= today):
        errors["birth_date"] = _("The date of birth is not plausible.")
    if person.party_joined_on:
        if not person.is_party_member:
            errors["party_joined_on"] = _("Only a party member has a party joining date.")
        elif person.party_joined_on > today:
            errors["party_joined_on"] = _("The joining date is in the future.")
        elif person.birth_date and _age_on(person.birth_date, person.party_joined_on) < 18:
            errors["party_joined_on"] = _("A party member joins at 18 or older.")
    # The one phone rule of every room: people's phones were not checked, and "12345678" reached no one.
    if problem := new_phone_problem(person.phone, recorded_phone):
        errors["phone"] = problem
    if person.email:
        try:
            validate_email(person.email)
        except ValidationError:
            errors["email"] = _("Not a valid e-mail address.")
    if errors:
        raise ValidationError(errors)


def _with_name_keys(data: dict[str, Any]) -> dict[str, Any]:
    """The full name with single spaces, and the sort key derived from it."""
    if isinstance(data.get("full_name"), str):
        data["full_name"] = " ".join(data["full_name"].split())
        data["sort_key"] = person_sort_key(data["full_name"])
    return data


def _refuse_unknown(names: Any) -> None:
    unknown = set(names) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})


def new_person(*, full_name: str, **fields: Any) -> Person:
    """An unsaved, validated person (create_person and the import's dry run share it)."""
    _refuse_unknown(fields)
    person = Person(**_with_name_keys({"full_name": full_name or "", **fields}))
    validate_person(person)
    return person


@transaction.atomic
def create_person(
    *, actor: Any, full_name: str, organisation: Organisation, position: str = "", since: dt.date | None = None,
    audit_action: AuditAction = AuditAction.CREATE, **fields: Any,
) -> Person:
    """A person always enters through a membership: that is what places them in someone's scope."""
    ORGANISATION.check(actor, "add", organisation, field="organisation")  # a ceased unit takes nobody
    person = new_person(full_name=full_name, **fields)
    save_new(person, actor=actor, action=audit_action, org_path=organisation.path)
    save_new(Membership(person=person, organisation=organisation, position=position.strip(), since=since),
             actor=actor, action=audit_action, related=person)
    return person


@transaction.atomic
def update_person(*, actor: Any, person: Person, **changes: Any) -> Person:
    PERSON.check(actor, "edit", person)
    _refuse_unknown(changes)
    person = locked(person)
    recorded = person.phone
    person, _changed = model_update(instance=person, data=_with_name_keys(dict(changes)),
                                    fields=(*PERSON_FIELDS, "sort_key"), actor=actor,
                                    validate=lambda changed: validate_person(changed, recorded_phone=recorded),
                                    org_path=_person_path(person))
    return person


def _person_path(person: Person) -> str:
    """Where a person's history entries sit in the tree: their latest membership's unit."""
    membership = person.memberships.select_related("organisation").order_by("until", "-since").first()
    return membership.organisation.path if membership else ""
