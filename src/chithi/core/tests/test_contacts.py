"""The one rule for a Vietnamese phone number (core.contacts), as a table: what every room takes and refuses. The
dialogues room took "123456789" (any 9 to 11 digits) and refused "0912 345 678-1"; grassroots took "12345678" and
"1234 5678 9012" (8 to 15 characters) and refused "0912-345-678" and "(0233) 3852 123"; people's phones were not
checked at all."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from chithi.core.contacts import (
    clean_phone_field,
    contact_problem,
    email_problem,
    new_phone_problem,
    normalise_phone,
    phone_problem,
)
from chithi.dialogues import services as dialogue_services

ACCEPTED = {  # as written → as dialled inside Viet Nam
    "0912345678": "0912345678",
    "0912 345 678": "0912345678",
    "0912.345.678": "0912345678",
    "0912-345-678": "0912345678",
    "(091) 234-5678": "0912345678",
    " 0905 111 222 ": "0905111222",
    "0351 234 567": "0351234567",  # 03x, 05x, 07x, 08x: mobiles since 2018
    "0561234567": "0561234567",
    "0761234567": "0761234567",
    "0861234567": "0861234567",
    "+84 912 345 678": "0912345678",
    "+84912345678": "0912345678",
    "84 912 345 678": "0912345678",
    "+84 (912) 345.678": "0912345678",
    "0233 3852 123": "02333852123",  # Quảng Trị: area code 0233, 7 digits
    "(0233) 3852 123": "02333852123",
    "024 3825 1234": "02438251234",  # Hà Nội: area code 024, 8 digits
    "028.3822.1234": "02838221234",
    "+84 24 3825 1234": "02438251234",
    "0203 123 456": "0203123456",  # 10 digits starting 02
}

REFUSED = [
    "",
    "12",
    "12345678",  # grassroots took 8 digits
    "123456789",  # dialogues took any 9 digits
    "0905 111",
    "0912 345 67",  # 9 digits
    "0912 345 6789",  # 11 digits for a mobile
    "09051112223334",
    "1234 5678 9012",  # grassroots took up to 15 characters
    "0123 456 789",  # 01x: no mobile since 2018
    "0412 345 678",
    "0612 345 678",
    "0012 345 678",
    "02 1234 567",  # 9 digits starting 02
    "0233 3852 1234",  # 12 digits
    "912 345 678",  # the leading 0 lost (a spreadsheet's number)
    "+84 0912 345 678",  # the 0 and the country code both
    "+1 212 555 0100",  # not a Vietnamese number
    "++84905111222",
    "abcdefgh-123",
    "12ab",
    "số 0905111222",
    "0905111222 (con trai)",
    "0905111222/0914777352",
    "0912_345_678",
    "０９１２３４５６７８",  # full-width digits
    "0912³45678",
    "nam@example.vn",
]


@pytest.mark.parametrize(("written", "dialled"), ACCEPTED.items())
def test_a_vietnamese_number_as_people_write_it_is_taken(written: str, dialled: str) -> None:
    assert phone_problem(written) == ""
    assert normalise_phone(written) == dialled
    assert contact_problem(written) == ""


@pytest.mark.parametrize("written", REFUSED)
def test_what_no_one_could_call_is_refused(written: str) -> None:
    assert phone_problem(written)
    assert bool(new_phone_problem(written)) is bool(written.strip())  # no phone at all is not a wrong one


def test_the_refusal_says_what_to_write_in_vietnamese() -> None:
    with translation.override("vi"):
        assert phone_problem("12").startswith("Vui lòng ghi số điện thoại Việt Nam")
        assert contact_problem("12").startswith("Vui lòng ghi số điện thoại")
        assert email_problem("nam@").startswith("Vui lòng ghi địa chỉ e-mail")


@pytest.mark.parametrize(("typed", "refused"), [
    ("0905 111 222, nam@example.vn", False), ("0914 777 352; thuthao.hoang@example.vn", False),
    ("nam@example.vn", False), ("0905 111 222, 12", True), ("nam@", True), ("abc!!@@", True)])
def test_a_contact_is_phones_and_addresses(typed: str, refused: bool) -> None:
    assert bool(contact_problem(typed)) is refused


def test_dialogues_asks_the_same_rule() -> None:
    assert dialogue_services.phone_problem is phone_problem
    assert dialogue_services.contact_problem is contact_problem
    assert dialogue_services.email_problem is email_problem


def test_a_number_recorded_before_the_rule_passes_unchanged_and_a_change_is_checked() -> None:
    assert new_phone_problem("12345678", recorded="12345678") == ""
    assert new_phone_problem(" 12345678 ", recorded="12345678") == ""
    assert new_phone_problem("1234567", recorded="12345678")
    assert new_phone_problem("0912 345 678", recorded="12345678") == ""
    assert new_phone_problem("", recorded="12345678") == ""


class _Form(forms.Form):
    phone = forms.CharField(required=False)

    def clean_phone(self) -> str:
        return clean_phone_field(self)


def test_the_form_says_it_under_the_field_and_keeps_a_recorded_number() -> None:
    with translation.override("vi"):
        form = _Form({"phone": "12345678"})
        assert not form.is_valid()
        assert form.errors["phone"][0].startswith("Vui lòng ghi số điện thoại Việt Nam")
    assert _Form({"phone": "12345678"}, initial={"phone": "12345678"}).is_valid()  # an edit page, phone untouched
    assert not _Form({"phone": "1234567"}, initial={"phone": "12345678"}).is_valid()
    assert _Form({"phone": "0233 3852 123"}).is_valid() and _Form({"phone": ""}).is_valid()
