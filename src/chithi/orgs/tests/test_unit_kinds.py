"""Testers' findings: a party cell's secretary created a ward party committee under the cell, the kind list offered
every kind whatever the parent, and units were saved as established in 1800 or 3000 (models.CHILD_KINDS,
services.organisations)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from chithi.orgs import services
from chithi.orgs.models import Organisation, OrgKind
from chithi.orgs.tests.factories import OrganisationFactory, superuser


def _kind_options(page: str) -> list[str]:
    select = re.search(r'<select name="kind".*?</select>', page, re.S)
    assert select is not None
    return re.findall(r'<option value="([a-z_]+)"', select.group(0))


def test_cell_secretary_cannot_create_a_ward_committee_under_the_cell(client, world):
    client.force_login(world.user("cell_secretary"))
    response = client.post("/to-chuc/them/", {"parent": world.cell_a1.pk, "name": "Đảng ủy phường Khu phố 1",
                                              "kind": OrgKind.WARD_COMMITTEE})
    page = response.content.decode()
    assert response.status_code == 200
    assert not Organisation.objects.filter(name="Đảng ủy phường Khu phố 1").exists()
    assert "Không thể đặt “Đảng ủy phường” trực thuộc Chi bộ Khu phố 1" in page
    assert "Chi bộ Khu phố 1" in page and 'value="Đảng ủy phường Khu phố 1"' in page  # the input is kept


def test_the_api_refuses_a_ward_committee_under_a_cell_and_a_date_of_1800(client, world):
    client.force_login(world.user("cell_secretary"))
    response = client.post("/api/orgs/", {"name": "Đảng ủy phường Khu phố 1", "kind": OrgKind.WARD_COMMITTEE,
                                          "parent": world.cell_a1.pk}, content_type="application/json")
    assert response.status_code == 400 and list(response.json()) == ["kind"]
    response = client.post("/api/orgs/", {"name": "Tổ đảng 1", "kind": OrgKind.PARTY_CELL, "parent": world.cell_a1.pk,
                                          "established_on": "1800-01-01"}, content_type="application/json")
    assert response.status_code == 400 and list(response.json()) == ["established_on"]
    assert not Organisation.objects.filter(parent=world.cell_a1).exists()


@pytest.mark.parametrize("kind", [OrgKind.PARTY_COMMITTEE, OrgKind.WARD_COMMITTEE, OrgKind.DEPARTMENT,
                                  OrgKind.GOVERNMENT, OrgKind.SCHOOL])
def test_no_committee_or_body_stands_under_a_party_cell(world, kind):
    with pytest.raises(ValidationError) as caught:
        services.create_organisation(actor=world.user("cell_secretary"), name="Đơn vị con", kind=kind,
                                     parent=world.cell_a1)
    assert "kind" in caught.value.message_dict
    assert not Organisation.objects.filter(name="Đơn vị con").exists()


def test_a_party_cell_may_hold_its_party_groups(world):
    group = services.create_organisation(actor=world.user("cell_secretary"), name="Tổ đảng 1",
                                         kind=OrgKind.PARTY_CELL, parent=world.cell_a1)
    assert group.parent == world.cell_a1


def test_a_body_holds_no_committee_of_the_party(world):
    with pytest.raises(ValidationError) as caught:
        services.create_organisation(actor=superuser(), name="Đảng ủy phường trong Công an", parent=world.agency,
                                     kind=OrgKind.WARD_COMMITTEE)
    assert "Chi bộ" in caught.value.message_dict["kind"][0]  # names what may stand there


def test_a_working_group_has_no_sub_units(world):
    group = OrganisationFactory(name="Tổ công tác", kind=OrgKind.WORKING_GROUP, parent=world.city)
    with pytest.raises(ValidationError) as caught:
        services.create_organisation(actor=superuser(), name="Chi bộ tổ", kind=OrgKind.PARTY_CELL, parent=group)
    assert "không có đơn vị trực thuộc" in caught.value.message_dict["kind"][0]


def test_new_unit_form_offers_a_cell_secretary_only_what_may_stand_under_the_cell(client, world):
    client.force_login(world.user("cell_secretary"))
    assert _kind_options(client.get(f"/to-chuc/them/?parent={world.cell_a1.pk}").content.decode()) == [
        OrgKind.PARTY_CELL]


def test_new_unit_form_offers_a_ward_secretary_no_committee_above_a_ward(client, world):
    client.force_login(world.user("secretary"))
    offered = _kind_options(client.get("/to-chuc/them/").content.decode())
    assert OrgKind.PARTY_CELL in offered and OrgKind.AGENCY in offered
    assert OrgKind.WARD_COMMITTEE not in offered and OrgKind.PARTY_COMMITTEE not in offered


def test_edit_form_offers_no_kind_that_could_not_hold_the_units_sub_units(client, world):
    client.force_login(world.user("admin"))
    offered = _kind_options(client.get(f"/to-chuc/{world.ward_a.pk}/sua/").content.decode())
    assert OrgKind.WARD_COMMITTEE in offered and OrgKind.WORKING_GROUP not in offered


def test_a_kind_that_would_strand_the_sub_units_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        services.update_organisation(actor=world.user("admin"), org=world.ward_a, kind=OrgKind.WORKING_GROUP)
    assert "Chi bộ" in caught.value.message_dict["kind"][0]
    world.ward_a.refresh_from_db()
    assert world.ward_a.kind == OrgKind.WARD_COMMITTEE


def test_a_unit_recorded_before_the_rule_can_still_be_renamed(world):
    Organisation.objects.filter(pk=world.cell_a2.pk).update(kind=OrgKind.WARD_COMMITTEE)  # under ward_a
    Organisation.objects.filter(pk=world.cell_a1.pk).update(established_on=dt.date(1800, 1, 1))
    services.update_organisation(actor=world.user("admin"), org=Organisation.objects.get(pk=world.cell_a2.pk),
                                 name="Chi bộ Khu phố 2 mới")
    services.update_organisation(actor=world.user("admin"), org=Organisation.objects.get(pk=world.cell_a1.pk),
                                 name="Chi bộ Khu phố 1 mới")


def test_a_ward_is_not_moved_under_a_cell(world):
    with pytest.raises(ValidationError) as caught:
        services.move_organisation(actor=superuser(), org=world.ward_b, new_parent=world.cell_a1,
                                   on_date=dt.date.today())
    assert "parent" in caught.value.message_dict
    world.ward_b.refresh_from_db()
    assert world.ward_b.parent == world.city


def test_a_merger_into_a_unit_that_cannot_take_the_sub_units_is_refused(world):
    group = OrganisationFactory(name="Tổ công tác", kind=OrgKind.WORKING_GROUP, parent=world.city)
    with pytest.raises(ValidationError) as caught:
        services.merge_organisations(actor=superuser(), sources=[world.ward_b], target=group,
                                     effective_on=dt.date(2025, 7, 1))
    assert "“Chi bộ”" in caught.value.message_dict["target"][0]
    world.ward_b.refresh_from_db()
    assert world.ward_b.is_active and world.cell_b1.parent == world.ward_b


def test_every_unit_of_the_test_world_stands_where_its_kind_may(world):
    from chithi.orgs.services.organisations import kind_problem

    for org in Organisation.objects.select_related("parent"):
        assert kind_problem(org.kind, org.parent) == "", org.name


# --- plausible dates of establishment ---------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["01/01/1800", "01/01/3000"])
def test_an_implausible_date_of_establishment_is_refused_on_the_new_unit_page(client, world, typed):
    client.force_login(world.user("secretary"))
    response = client.post("/to-chuc/them/", {"parent": world.ward_a.pk, "name": "Chi bộ Khu phố 9",
                                              "kind": OrgKind.PARTY_CELL, "established_on": typed})
    assert response.status_code == 200
    assert "Ngày thành lập không hợp lý" in response.content.decode()
    assert not Organisation.objects.filter(name="Chi bộ Khu phố 9").exists()


@pytest.mark.parametrize("typed", ["01/01/1800", "01/01/3000"])
def test_an_implausible_date_of_establishment_is_refused_on_the_edit_page(client, world, typed):
    client.force_login(world.user("secretary"))
    response = client.post(f"/to-chuc/{world.cell_a2.pk}/sua/", {
        "parent": world.ward_a.pk, "name": world.cell_a2.name, "kind": OrgKind.PARTY_CELL, "established_on": typed})
    assert response.status_code == 200
    assert "Ngày thành lập không hợp lý" in response.content.decode()
    world.cell_a2.refresh_from_db()
    assert world.cell_a2.established_on == dt.date(2010, 1, 1)


def test_a_plausible_date_of_establishment_is_saved(client, world):
    client.force_login(world.user("secretary"))
    response = client.post(f"/to-chuc/{world.cell_a2.pk}/sua/", {
        "parent": world.ward_a.pk, "name": world.cell_a2.name, "kind": OrgKind.PARTY_CELL,
        "established_on": "03/02/1930"})
    assert response.status_code == 302
    world.cell_a2.refresh_from_db()
    assert world.cell_a2.established_on == dt.date(1930, 2, 3)


def test_a_merger_decided_ahead_founds_its_new_unit_on_the_effective_date(world):
    ahead = dt.date.today() + dt.timedelta(days=30)
    target, _event = services.merge_organisations(actor=superuser(), sources=[world.ward_a, world.ward_b],
                                                  effective_on=ahead, new_name="Đảng ủy phường mới")
    assert target.established_on == ahead and target.kind == OrgKind.WARD_COMMITTEE
