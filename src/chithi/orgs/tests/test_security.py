"""Issue 9 (a hostile tester's findings) for the orgs room: restructuring cannot escalate roles."""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from chithi.core.models import AuditEntry, Notification
from chithi.core.permissions import ROLE_ACTIONS, Action, Role
from chithi.orgs import services
from chithi.orgs.models import RoleAssignment
from chithi.orgs.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    superuser,
)

DAY = dt.date(2025, 7, 1)


def _cell_admin_and_ward_staff(world):
    user = UserFactory(username="climber")
    root = superuser()
    services.assign_role(actor=root, user=user, organisation=world.cell_a1, role=Role.ADMIN)
    services.assign_role(actor=root, user=user, organisation=world.ward_a, role=Role.STAFF)
    return user


def test_cell_admin_who_is_ward_staff_cannot_merge_the_cell_into_the_ward_page(client, world):
    user = _cell_admin_and_ward_staff(world)
    client.force_login(user)
    response = client.post("/to-chuc/sap-nhap/", {"sources": [world.cell_a1.pk], "target": world.ward_a.pk,
                                                  "effective_on": "2025-07-01"})
    assert response.status_code in (200, 404)  # the form refuses the target, or the page does not exist
    assert not RoleAssignment.objects.filter(user=user, organisation=world.ward_a, role=Role.ADMIN).exists()
    world.cell_a1.refresh_from_db()
    assert world.cell_a1.is_active
    assert client.post(f"/to-chuc/{world.ward_a.pk}/phan-quyen/", {"username": user.username, "role": "admin"}
                       ).status_code in (403, 404)


def test_merge_needs_restructure_on_the_target(world):
    user = _cell_admin_and_ward_staff(world)
    with pytest.raises(PermissionDenied):
        services.merge_organisations(actor=user, sources=[world.cell_a1], target=world.ward_a, effective_on=DAY)
    assert not RoleAssignment.objects.filter(user=user, organisation=world.ward_a, role=Role.ADMIN).exists()


def test_merge_needs_restructure_on_every_source(world):
    ward_admin = UserFactory(username="ward_admin")
    services.assign_role(actor=superuser(), user=ward_admin, organisation=world.ward_a, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.merge_organisations(actor=ward_admin, sources=[world.cell_a2, world.cell_b1],
                                     target=world.cell_a1, effective_on=DAY)
    world.cell_b1.refresh_from_db()
    assert world.cell_b1.is_active


def test_moved_roles_are_audited_and_notified_to_the_target_admins(world):
    ward_admin = UserFactory(username="ward_admin")
    services.assign_role(actor=superuser(), user=ward_admin, organisation=world.ward_a, role=Role.ADMIN)
    cell_secretary = world.user("cell_secretary")
    services.merge_organisations(actor=world.user("admin"), sources=[world.cell_a1], target=world.cell_a2,
                                 effective_on=DAY)
    moved = RoleAssignment.objects.get(user=cell_secretary, organisation=world.cell_a2)
    entry = AuditEntry.objects.get(content_type__model="roleassignment", object_id=str(moved.pk), action="create")
    assert entry.related_id == str(world.cell_a1.pk)  # shows on the retired unit's history too
    assert world.cell_a2.path in entry.org_path
    notices = Notification.objects.filter(user=ward_admin)
    assert notices.count() == 1 and cell_secretary.username in notices.get().body


def test_moved_roles_never_exceed_what_the_actor_could_grant_on_the_target(world, monkeypatch):
    """Were a role ever allowed to restructure without managing roles, the merger would still move no role the
    actor could not have granted there: the role stays on the retired unit, and the target's admins are told."""
    monkeypatch.setitem(ROLE_ACTIONS, Role.STAFF, ROLE_ACTIONS[Role.STAFF] | {Action.RESTRUCTURE})
    ward_admin = UserFactory(username="ward_admin")
    services.assign_role(actor=superuser(), user=ward_admin, organisation=world.ward_a, role=Role.ADMIN)
    services.merge_organisations(actor=world.user("staff"), sources=[world.cell_a1], target=world.cell_a2,
                                 effective_on=DAY)
    assert not RoleAssignment.objects.filter(user=world.user("cell_secretary"), organisation=world.cell_a2).exists()
    assert "cell_secretary" in Notification.objects.get(user=ward_admin).body


# --- memberships outside the viewer's scope; past memberships -------------------------------------------


def _department_head(world):
    """A person in cell A1 who also heads a city department (a unit outside the cell's scope)."""
    department = OrganisationFactory(name="Ban Tuyên giáo Thành ủy", parent=world.city, code="BTG")
    person = PersonFactory(full_name="Trần Văn Trưởng", organisation=department, position="Trưởng ban",
                           since=dt.date(2010, 1, 1))
    MembershipFactory(person=person, organisation=world.cell_a1, position="Đảng viên", since=dt.date(2015, 1, 1))
    return person, department


def test_api_person_shows_only_memberships_in_the_viewers_scope(client, world):
    person, department = _department_head(world)
    client.force_login(world.user("cell_secretary"))
    data = client.get(f"/api/people/{person.pk}/").json()
    assert [m["organisation"] for m in data["memberships"]] == [world.cell_a1.pk]
    assert department.name not in json.dumps(data, ensure_ascii=False)
    written = client.patch(f"/api/people/{person.pk}/", {"note": "x"}, content_type="application/json").json()
    assert [m["organisation"] for m in written["memberships"]] == [world.cell_a1.pk]
    client.force_login(world.user("admin"))  # the city sees both
    assert len(client.get(f"/api/people/{person.pk}/").json()["memberships"]) == 2


def test_people_list_and_export_show_only_memberships_in_scope(client, world):
    person, department = _department_head(world)
    client.force_login(world.user("cell_secretary"))
    page = client.get("/nhan-su/").content.decode()
    assert person.full_name in page and department.name not in page
    sheet = load_workbook(BytesIO(client.get("/nhan-su/xuat.xlsx").content)).active
    rows = [[str(v or "") for v in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
    row = next(r for r in rows if r[0] == person.full_name)
    assert department.code not in row and department.name not in row and "Trưởng ban" not in row
    assert row[1] == world.cell_a1.code


def test_past_membership_gives_read_only_access(client, world):
    person = PersonFactory(full_name="Hoàng Văn Cũ", organisation=world.cell_a1, position="Đảng viên",
                           since=dt.date(2015, 1, 1))
    services.end_membership(actor=superuser(), membership=person.memberships.get(),
                            until=dt.date(2024, 1, 1))
    MembershipFactory(person=person, organisation=world.cell_b1, position="Đảng viên", since=dt.date(2024, 1, 2))
    client.force_login(world.user("cell_secretary"))
    assert client.get(f"/nhan-su/{person.pk}/").status_code == 200  # history stays readable
    assert client.get(f"/api/people/{person.pk}/").status_code == 200
    assert client.get(f"/nhan-su/{person.pk}/sua/").status_code == 404
    assert client.post(f"/nhan-su/{person.pk}/sua/", {"full_name": "Đã sửa"}).status_code == 404
    response = client.patch(f"/api/people/{person.pk}/", {"note": "sửa"}, content_type="application/json")
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.full_name == "Hoàng Văn Cũ" and person.note == ""
    # the current unit's secretary still writes
    client.force_login(world.user("other_secretary"))
    assert client.patch(f"/api/people/{person.pk}/", {"note": "sửa"},
                        content_type="application/json").status_code == 200


# --- bidirectional overrides in names ---------------------------------------------------------------------


@pytest.mark.parametrize("control", ["\u202e", "\u2066", "\u200f"])
def test_names_refuse_bidi_controls(world, control):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.create_person(actor=superuser(), full_name=f"Nguyễn Văn {control}nA", organisation=world.cell_a1)
    assert "full_name" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.create_organisation(actor=superuser(), name=f"Chi bộ {control}5", kind="party_cell",
                                     parent=world.ward_a)
    assert "name" in refused.value.message_dict
