"""One rule for a Vietnamese phone number and an e-mail address, wherever one is typed: a citizen's contact (the
public form, its JSON twin, Open311), a household's phone (grassroots), a person's phone (orgs: the form, the API,
the spreadsheet import). Each room had its own ("9 to 11 digits" in dialogues, "8 to 15 characters" in
grassroots, none for people), so a number taken in one room was refused in another.

The phone rule (docs/decisions.md), on the number as dialled inside Viet Nam:
- a mobile: 10 digits starting 03, 05, 07, 08 or 09 (0912 345 678);
- a landline: 10 or 11 digits starting 02 (0233 3852 123; area codes are 02x or 02xx since 2017);
- +84 or 84 may stand for the leading 0 (+84 912 345 678); spaces, dots, dashes and parentheses may stand between
  digits ("0912.345.678", "(0233) 3852-123"); nothing else (no letters, no "++", no second number).
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

# What people write: an optional "+", then digits and separators. ASCII digits only: "²" or "٣" are digits to
# Python but no phone dials them.
_WRITTEN = re.compile(r"\+?[0-9(][0-9 .()-]*")
_MOBILE = re.compile(r"0[35789][0-9]{8}")
_LANDLINE = re.compile(r"02[0-9]{8,9}")


def normalise_phone(value: str) -> str:
    """The digits of `value` as dialled inside Viet Nam ("+84 912.345.678" → "0912345678"), or "" when `value` is
    not written as a phone number. Not a check: phone_problem says whether those digits are a number."""
    value = (value or "").strip()
    if not _WRITTEN.fullmatch(value):
        return ""
    digits = re.sub(r"[^0-9]", "", value)
    if digits.startswith("84"):  # a national number starts with 0, so "84…" is the country code
        return "0" + digits[2:]
    return "" if value.startswith("+") else digits  # "+1 …", "+33 …": not a Vietnamese number


def phone_problem(value: str) -> str:
    """Why `value` is not a Vietnamese phone number one could call (the module's rule), or ""."""
    digits = normalise_phone(value)
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return ""
    return _("Write a Vietnamese phone number: a mobile of 10 digits (e.g. 0912 345 678 or +84 912 345 678) or a "
             "landline starting with 02 (e.g. 0233 3852 123).")


def new_phone_problem(value: str, recorded: str = "") -> str:
    """phone_problem for a phone being recorded, or "" for none or the one already recorded: a number kept before
    the rule (by the old grassroots rule, or a person's phone, never checked) stays editable, and only a change is
    checked — as a unit's kind (docs/decisions.md). Editing a name did not have to mean fixing an old phone."""
    value = (value or "").strip()
    if not value or value == (recorded or "").strip():
        return ""
    return phone_problem(value)


def email_problem(value: str) -> str:
    """Why `value` is not an e-mail address, or ""."""
    try:
        validate_email(value)
    except ValidationError:
        return _("Write an e-mail address such as ten@example.vn.")
    return ""


def contact_problem(value: str) -> str:
    """Why a citizen's contact reaches nobody, or "": each part (a comma or semicolon between a phone and an
    address, as "0905 111 222, nam@example.vn") must be a phone number or an e-mail address. Testers' "abc!!@@"
    and "12" were taken, and no official could have called back or written."""
    parts = [part.strip() for part in re.split(r"[,;]", value)]
    if any(part and (email_problem(part) if "@" in part else phone_problem(part)) for part in parts):
        return _("Write a phone number (a mobile of 10 digits, e.g. 0912 345 678, or a landline starting with 02) "
                 "or an e-mail address.")
    return ""


def clean_phone_field(form: forms.Form, name: str = "phone") -> str:
    """A form's phone, refused under its field when it breaks the rule; sent back unchanged from the form's
    initial value (the recorded one, on an edit page) it passes, as in the services (new_phone_problem)."""
    value: str = form.cleaned_data.get(name) or ""
    recorded = form.get_initial_for_field(form.fields[name], name) or ""
    if problem := new_phone_problem(value, str(recorded)):
        raise ValidationError(problem, code="phone")
    return value
