"""A person's phone follows the one rule of core.contacts (a household's and a citizen's do too): it was not checked
at all, so "12345678" or "abcdefgh-123" was recorded for a party member and no one could call them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from chithi.orgs import services
from chithi.orgs.models import Person
from chithi.orgs.tests.factories import superuser

from .test_import_export import GOOD, upload, xlsx

MESSAGE = "Vui lòng ghi số điện thoại Việt Nam"


@pytest.mark.parametrize("phone", ["12345678", "abcdefgh-123", "0905 111", "+84 0912 345 678"])
def test_a_phone_no_one_could_call_is_refused_on_a_person(world, phone):
    with pytest.raises(ValidationError) as exc:
        services.create_person(actor=superuser(), full_name="Trần Văn Mười", organisation=world.cell_a1,
                               phone=phone)
    assert list(exc.value.message_dict) == ["phone"] and MESSAGE in exc.value.message_dict["phone"][0]
    assert not Person.objects.filter(full_name="Trần Văn Mười").exists()


@pytest.mark.parametrize("phone", ["0912-345-678", "(0233) 3852 123", "+84 912 345 678", ""])
def test_a_vietnamese_phone_or_none_is_taken(world, phone):
    person = services.create_person(actor=superuser(), full_name="Trần Văn Mười", organisation=world.cell_a1,
                                    phone=phone)
    assert person.phone == phone


def test_the_form_says_it_under_the_phone(client, world):
    client.force_login(world.user("secretary"))
    response = client.post("/nhan-su/them/", {"organisation": world.cell_a1.pk, "full_name": "Trần Văn Mười",
                                              "phone": "12345678"})
    assert response.status_code == 200
    assert MESSAGE in response.context["form"].errors["phone"][0]
    assert MESSAGE in response.content.decode()
    assert not Person.objects.filter(full_name="Trần Văn Mười").exists()


def test_the_api_refuses_it_on_its_field(client, world):
    client.force_login(world.user("secretary"))
    response = client.patch(f"/api/people/{world.person_a1.pk}/", {"phone": "abcdefgh-123"},
                            content_type="application/json")
    assert response.status_code == 400 and MESSAGE in response.json()["phone"][0]
    world.person_a1.refresh_from_db()
    assert world.person_a1.phone != "abcdefgh-123"


def test_a_phone_recorded_before_the_rule_stays_editable(client, world):
    Person.objects.filter(pk=world.person_a1.pk).update(phone="12345678")
    client.force_login(world.user("secretary"))
    url = f"/nhan-su/{world.person_a1.pk}/sua/"
    assert client.post(url, {"full_name": "Đường Văn Ánh", "phone": "12345678", "note": "Trưởng ban"}).status_code \
        == 302
    person = Person.objects.get(pk=world.person_a1.pk)
    assert (person.note, person.phone) == ("Trưởng ban", "12345678")
    assert client.patch(f"/api/people/{person.pk}/", {"note": "Phó ban"},
                        content_type="application/json").status_code == 200
    response = client.post(url, {"full_name": "Đường Văn Ánh", "phone": "1234567"})
    assert response.status_code == 200 and MESSAGE in response.context["form"].errors["phone"][0]
    assert Person.objects.get(pk=person.pk).phone == "12345678"


def test_an_import_reports_a_bad_phone_in_its_column(client, world):
    client.force_login(world.user("secretary"))
    before = Person.objects.count()
    bad = ["Lê Văn Bảy", "C-A1", "", "", "", "", "", "", "12345678", ""]
    response = upload(client, xlsx([GOOD, bad]))
    assert response.status_code == 200
    assert [(e.row, e.column.split(" ")[0]) for e in response.context["errors"]] == [(3, "I")]
    assert Person.objects.count() == before


def test_an_import_gives_back_the_zero_a_spreadsheet_number_lost(client, world):
    """A phone column typed as numbers keeps 905123456 for 0905123456: the leading 0 is the spreadsheet's loss."""
    client.force_login(world.user("secretary"))
    row = ["Lê Văn Tám", "C-A1", "", "", "", dt.date(1980, 1, 1), "", "", 905123456, ""]
    landline = ["Lê Văn Chín", "C-A1", "", "", "", "", "", "", 2333852123, ""]
    assert upload(client, xlsx([row, landline])).status_code == 302
    assert Person.objects.get(full_name="Lê Văn Tám").phone == "0905123456"
    assert Person.objects.get(full_name="Lê Văn Chín").phone == "02333852123"
