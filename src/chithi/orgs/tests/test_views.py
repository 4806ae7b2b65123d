"""The orgs pages as a user meets them: forms that save and say what they made, list filters, the unit filter."""

from __future__ import annotations

import datetime as dt

from django.contrib.messages import get_messages

from chithi.orgs import services
from chithi.orgs.models import Membership, Organisation
from chithi.orgs.tests.factories import PersonFactory, superuser


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_ward_secretary_edits_her_own_ward(client, world):
    """The ward's parent (the city) lies outside her scope; the form keeps it instead of refusing every save."""
    client.force_login(world.user("secretary"))
    form = client.get(f"/to-chuc/{world.ward_a.pk}/sua/").content.decode()
    assert f'<option value="{world.city.pk}" selected>' in form
    response = client.post(f"/to-chuc/{world.ward_a.pk}/sua/", {
        "parent": world.city.pk, "name": "Đảng ủy phường Đông Thanh", "kind": "ward_committee",
        "description": "Phường trung tâm"})
    assert response.status_code == 302
    world.ward_a.refresh_from_db()
    assert world.ward_a.description == "Phường trung tâm" and world.ward_a.parent == world.city


def test_top_level_unit_is_edited_without_a_parent(client, world):
    client.force_login(world.user("admin"))
    assert 'name="parent"' not in client.get(f"/to-chuc/{world.city.pk}/sua/").content.decode()
    response = client.post(f"/to-chuc/{world.city.pk}/sua/", {"name": "Thành ủy Đông Hà", "kind": "party_committee",
                                                               "short_name": "TU"})
    assert response.status_code == 302
    world.city.refresh_from_db()
    assert world.city.short_name == "TU" and world.city.parent is None


def test_moving_a_unit_under_a_unit_outside_scope_is_refused(client, world):
    client.force_login(world.user("secretary"))
    response = client.post(f"/to-chuc/{world.cell_a1.pk}/sua/", {
        "parent": world.ward_b.pk, "name": "Chi bộ Khu phố 1", "kind": "party_cell"})
    assert response.status_code == 200 and response.context["form"].errors["parent"]
    world.cell_a1.refresh_from_db()
    assert world.cell_a1.parent == world.ward_a


def test_created_unit_and_person_are_named_in_the_message(client, world):
    client.force_login(world.user("secretary"))
    response = client.post("/to-chuc/them/", {"parent": world.ward_a.pk, "name": "Chi bộ Khu phố 9",
                                              "kind": "party_cell"})
    unit = Organisation.objects.get(name="Chi bộ Khu phố 9")
    assert response.status_code == 302 and response["Location"] == unit.get_absolute_url()
    assert any("Chi bộ Khu phố 9" in m for m in _messages(response))
    response = client.post("/nhan-su/them/", {"organisation": unit.pk, "full_name": "Trần  Văn   Chín",
                                              "position": "Bí thư"})
    assert response.status_code == 302
    assert any("Trần Văn Chín" in m for m in _messages(response))


def test_merge_page_goes_to_the_successor_and_names_it(client, world):
    client.force_login(world.user("admin"))
    response = client.post("/to-chuc/sap-nhap/", {"sources": [world.cell_a1.pk], "target": world.cell_a2.pk,
                                                  "effective_on": "2025-07-01"})
    assert response.status_code == 302 and response["Location"] == world.cell_a2.get_absolute_url()
    assert any("Chi bộ Khu phố 2" in m for m in _messages(response))


def test_lists_render_their_filters_from_the_filterset(client, world):
    client.force_login(world.user("secretary"))
    people = client.get("/nhan-su/").content.decode()
    for name in ("q", "unit", "is_party_member", "gender"):
        assert f'name="{name}"' in people
    assert f'<option value="{world.cell_a1.pk}">' in people
    assert f'<option value="{world.cell_b1.pk}">' not in people  # only units in her scope
    units = client.get("/to-chuc/danh-sach/").content.decode()
    for name in ("q", "kind", "unit", "active"):
        assert f'name="{name}"' in units
    assert 'hx-target="#org-rows"' in units


def test_unit_filter_keeps_current_members_of_the_subtree(client, world):
    moved = PersonFactory(full_name="Phan Văn Chuyển", organisation=world.cell_a2)
    services.end_membership(actor=superuser(), membership=Membership.objects.get(person=moved),
                            until=world.cell_a2.established_on.replace(year=2020))
    client.force_login(world.user("admin"))
    page = client.get("/nhan-su/", {"unit": world.ward_a.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "Đường Văn Ánh" in page  # a current member of a cell in ward A
    assert "Lê Thị Bình" not in page  # ward B
    assert "Phan Văn Chuyển" not in page  # a former member only
    rows = client.get("/to-chuc/danh-sach/", {"unit": world.ward_a.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "<select" not in rows  # the filters changed: the rows alone
    assert "Chi bộ Khu phố 2" in rows and "Chi bộ Khu phố 3" not in rows


def test_unit_outside_scope_is_an_unknown_choice(client, world):
    client.force_login(world.user("secretary"))
    response = client.get("/api/people/", {"unit": world.ward_b.pk})
    assert response.status_code == 400 and "unit" in response.json()


def test_a_ceased_unit_names_only_the_units_the_reader_may_see(client, world):
    """Ward A's secretary still reads her merged cell, but the cell of ward B that took it over is outside her
    scope: neither the successor nor the merger's other side is named."""
    services.merge_organisations(actor=superuser(), sources=[world.cell_a2], target=world.cell_b1,
                                 effective_on=dt.date(2025, 7, 1))
    client.force_login(world.user("secretary"))
    page = client.get(f"/to-chuc/{world.cell_a2.pk}/").content.decode()
    assert "Chi bộ Khu phố 2" in page and "01/07/2025" in page
    assert "Chi bộ Khu phố 3" not in page
    client.force_login(world.user("admin"))
    page = client.get(f"/to-chuc/{world.cell_a2.pk}/").content.decode()
    assert page.count("Chi bộ Khu phố 3") >= 2  # the successor and the merger's target


def test_a_units_roster_lists_its_posts_by_rank(client, world):
    """Seen in the demo: the merged ward's roster listed its committee by name, the secretary seventh and a
    deputy third. A committee lists itself by post: head, deputies, standing committee, members."""
    for name, post in [("An Văn Đảng", "Đảng viên"), ("Bùi Thị Ủy", "Ủy viên Ban Chấp hành"),
                       ("Cao Văn Thường", "Ủy viên Ban Thường vụ"), ("Đỗ Văn Phó", "Phó Bí thư Đảng ủy"),
                       ("Xa Văn Bí", "Bí thư Đảng ủy"), ("Lê Văn Trống", "")]:
        PersonFactory(full_name=name, organisation=world.ward_b, position=post)
    client.force_login(world.user("admin"))
    page = client.get(f"/to-chuc/{world.ward_b.pk}/").content.decode()
    order = ["Xa Văn Bí", "Đỗ Văn Phó", "Cao Văn Thường", "Bùi Thị Ủy", "An Văn Đảng", "Lê Văn Trống"]
    assert sorted(order, key=page.index) == order
