"""Merging and splitting units: history survives, people and open records move to the successor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chithi.core.models import AuditEntry
from chithi.orgs import selectors, services
from chithi.orgs.models import Membership, Organisation, RoleAssignment
from chithi.orgs.tests.factories import PersonFactory

DAY = dt.date(2025, 7, 1)


def names(nodes):
    return [n.org.name for n in selectors.flatten(nodes)]


def test_merge_into_new_unit_moves_people_cells_and_roles(world):
    admin = world.user("admin")
    target, event = services.merge_organisations(
        actor=admin, sources=[world.ward_a, world.ward_b], effective_on=DAY, new_name="Đảng ủy phường Đông Hà",
        new_code="19333", decision="NQ 1680")
    world.ward_a.refresh_from_db()
    world.cell_a1.refresh_from_db()
    # the old units are closed, readable, and point to the successor
    assert world.ward_a.dissolved_on == DAY and world.ward_a.successor == target
    assert not world.ward_a.is_active
    # active cells moved under the successor, with their paths rewritten
    assert world.cell_a1.parent == target and world.cell_a1.path.startswith(target.path)
    # roles on the old ward now hold on the successor
    assert RoleAssignment.objects.filter(user=world.user("secretary"), organisation=target).exists()
    assert set(event.sources.all()) == {world.ward_a, world.ward_b}
    assert AuditEntry.objects.filter(action="merge", object_id=str(event.pk)).exists()


def test_merge_moves_open_memberships_and_keeps_past_roster(world):
    person = PersonFactory(full_name="Phạm Văn Khu", organisation=world.ward_a, position="Bí thư Đảng ủy",
                           since=dt.date(2020, 1, 1))
    target, _ = services.merge_organisations(actor=world.user("admin"), sources=[world.ward_a, world.ward_b],
                                             effective_on=DAY, new_name="Đảng ủy phường Mới")
    old = Membership.objects.get(person=person, organisation=world.ward_a)
    new = Membership.objects.get(person=person, organisation=target)
    assert old.until == DAY - dt.timedelta(days=1)
    assert new.since == DAY and new.until is None and new.position == "Bí thư Đảng ủy"


def test_tree_on_a_past_date_shows_what_existed_then(world):
    _target, _ = services.merge_organisations(actor=world.user("admin"), sources=[world.ward_a, world.ward_b],
                                             effective_on=DAY, new_name="Đảng ủy phường Mới")
    before = names(selectors.org_tree(user=world.user("admin"), on_date=dt.date(2020, 5, 1)))
    after = names(selectors.org_tree(user=world.user("admin"), on_date=dt.date(2025, 8, 1)))
    today = names(selectors.org_tree(user=world.user("admin")))
    assert "Đảng ủy phường Đông Thanh" in before and "Đảng ủy phường Mới" not in before
    # in 2020 the cell stood under its old ward
    assert before.index("Chi bộ Khu phố 1") == before.index("Đảng ủy phường Đông Thanh") + 1
    assert "Đảng ủy phường Đông Thanh" not in after and "Đảng ủy phường Mới" in after
    assert after.index("Chi bộ Khu phố 1") > after.index("Đảng ủy phường Mới")
    assert today == after


def test_old_unit_page_stays_readable_with_history(client, world):
    _target, _ = services.merge_organisations(actor=world.user("admin"), sources=[world.ward_a, world.ward_b],
                                             effective_on=DAY, new_name="Đảng ủy phường Mới")
    client.force_login(world.user("admin"))
    page = client.get(f"/to-chuc/{world.ward_a.pk}/").content.decode()
    assert "Đảng ủy phường Mới" in page  # the successor is linked
    assert "01/07/2025" in page
    assert client.get(f"/to-chuc/{world.ward_a.pk}/lich-su/").status_code == 200


def test_successor_handler_runs_inside_the_merge(world, toy_room):
    calls = toy_room.calls
    _target, _ = services.merge_organisations(actor=world.user("admin"), sources=[world.cell_a1],
                                             target=world.cell_a2, effective_on=DAY)
    assert calls == [(world.cell_a1.pk, world.cell_a2.pk, DAY)]


def test_failing_handler_undoes_the_whole_merge(world, toy_room):
    toy_room.fail = True
    with pytest.raises(ValidationError):
        services.merge_organisations(actor=world.user("admin"), sources=[world.ward_a, world.ward_b],
                                     effective_on=DAY, new_name="Đảng ủy phường Mới")
    assert not Organisation.objects.filter(name="Đảng ủy phường Mới").exists()
    world.ward_a.refresh_from_db()
    assert world.ward_a.is_active


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sources": "one", "new_name": "X"}, "sources"),
        ({"sources": "both", "new_name": ""}, "new_name"),
        ({"sources": "ward_a", "target": "cell_a1"}, "target"),
        ({"sources": "ward_a", "target": "ward_a"}, "target"),
        ({"sources": "both", "new_name": "X", "effective_on": dt.date(2005, 1, 1)}, "effective_on"),
    ],
)
def test_bad_merges_are_refused_with_the_field_named(world, kwargs, field):
    chosen = {"one": [world.ward_a], "both": [world.ward_a, world.ward_b], "ward_a": [world.ward_a]}
    args = {"actor": world.user("admin"), "effective_on": kwargs.get("effective_on", DAY),
            "sources": chosen[kwargs["sources"]], "new_name": kwargs.get("new_name", "")}
    if "target" in kwargs:
        args["target"] = getattr(world, kwargs["target"])
    with pytest.raises(ValidationError) as info:
        services.merge_organisations(**args)
    assert field in info.value.message_dict


def test_merging_a_merged_unit_again_is_refused(world):
    services.merge_organisations(actor=world.user("admin"), sources=[world.cell_a1], target=world.cell_a2,
                                 effective_on=DAY)
    with pytest.raises(ValidationError) as info:
        services.merge_organisations(actor=world.user("admin"), sources=[world.cell_a1], target=world.cell_b1,
                                     effective_on=DAY)
    assert "no longer exists" in str(info.value) or "không còn" in str(info.value)


def test_secretary_cannot_restructure(world):
    with pytest.raises(PermissionDenied):
        services.merge_organisations(actor=world.user("secretary"), sources=[world.cell_a1], target=world.cell_a2,
                                     effective_on=DAY)


def test_split_distributes_people_and_sub_units(world):
    stay = PersonFactory(full_name="Hồ Thị Ở", organisation=world.ward_a)
    go = PersonFactory(full_name="Ngô Văn Đi", organisation=world.ward_a)
    results, event = services.split_organisation(
        actor=world.user("admin"), source=world.ward_a, effective_on=DAY,
        parts=[services.SplitPart(name="Đảng ủy phường Bắc"),
               services.SplitPart(name="Đảng ủy phường Nam", people=[go], children=[world.cell_a2])])
    north, south = results
    world.ward_a.refresh_from_db()
    world.cell_a1.refresh_from_db()
    world.cell_a2.refresh_from_db()
    assert world.ward_a.dissolved_on == DAY and world.ward_a.successor == north
    assert world.cell_a1.parent == north and world.cell_a2.parent == south
    assert Membership.objects.filter(person=go, organisation=south, until__isnull=True).exists()
    assert Membership.objects.filter(person=stay, organisation=north, until__isnull=True).exists()
    assert set(event.results.all()) == {north, south}


def test_split_needs_two_distinct_names(world):
    with pytest.raises(ValidationError) as info:
        services.split_organisation(actor=world.user("admin"), source=world.ward_a, effective_on=DAY,
                                    parts=[services.SplitPart(name="A"), services.SplitPart(name="a ")])
    assert "parts" in info.value.message_dict


def test_split_through_the_page(client, world):
    client.force_login(world.user("admin"))
    person = world.person_a1
    response = client.post(f"/to-chuc/{world.cell_a1.pk}/chia-tach/", {
        "names": "Chi bộ Khu phố 1A\nChi bộ Khu phố 1B", "effective_on": "2025-07-01", "decision": "QĐ 12",
        f"person_{person.pk}": "2"})
    assert response.status_code == 302
    b = Organisation.objects.get(name="Chi bộ Khu phố 1B")
    assert Membership.objects.filter(person=person, organisation=b, until__isnull=True).exists()


def test_merge_through_the_page_reports_bad_input(client, world):
    client.force_login(world.user("admin"))
    response = client.post("/to-chuc/sap-nhap/", {"sources": [world.ward_a.pk], "effective_on": "2025-07-01"})
    assert response.status_code == 200
    assert response.context["form"].errors
