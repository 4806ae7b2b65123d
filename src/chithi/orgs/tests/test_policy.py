"""orgs.policy: what a page offers is what the service and the API accept, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chithi.core.models import AuditEntry
from chithi.core.permissions import Role
from chithi.orgs import services
from chithi.orgs.models import Membership
from chithi.orgs.policy import MEMBERSHIP, ORGANISATION, PERSON
from chithi.orgs.tests.factories import PersonFactory, superuser

DAY = dt.date(2025, 7, 1)


def _merge_cell_a1(world):
    services.merge_organisations(actor=world.user("admin"), sources=[world.cell_a1], target=world.cell_a2,
                                 effective_on=DAY)
    world.cell_a1.refresh_from_db()


@pytest.mark.parametrize(("role", "expected"), [
    ("admin", {"edit", "add", "restructure", "merge_into", "manage_roles", "assign_role"}),
    ("secretary", {"edit", "add"}),  # merge_into needs RESTRUCTURE (issue 9)
    ("leader", set()),
    ("other_secretary", set()),
])
def test_what_each_role_may_do_on_a_cell(world, role, expected):
    assert ORGANISATION.allowed(world.user(role), world.cell_a1) == expected


def test_a_ceased_unit_offers_only_its_roles_and_says_why(world):
    _merge_cell_a1(world)
    admin = world.user("admin")
    assert ORGANISATION.allowed(admin, world.cell_a1) == {"manage_roles"}
    decision = ORGANISATION.decide(admin, world.cell_a1)["edit"]
    assert decision.in_scope and "Chi bộ Khu phố 1" in decision.reason


def test_top_level_unit_cannot_be_restructured_even_by_admin(world):
    assert "restructure" not in ORGANISATION.allowed(world.user("admin"), world.city)
    assert "edit" in ORGANISATION.allowed(world.user("admin"), world.city)


def test_ceased_unit_page_shows_no_write_buttons_and_its_pages_are_gone(client, world):
    _merge_cell_a1(world)
    client.force_login(world.user("admin"))
    page = client.get(f"/to-chuc/{world.cell_a1.pk}/").content.decode()
    assert f"/to-chuc/{world.cell_a1.pk}/sua/" not in page
    assert f"/to-chuc/{world.cell_a1.pk}/chia-tach/" not in page
    assert f"?parent={world.cell_a1.pk}" not in page
    assert f"/to-chuc/{world.cell_a1.pk}/phan-quyen/" in page
    assert client.get(f"/to-chuc/{world.cell_a1.pk}/sua/").status_code == 404
    assert client.get(f"/to-chuc/{world.cell_a1.pk}/chia-tach/").status_code == 404
    roles = client.get(f"/to-chuc/{world.cell_a1.pk}/phan-quyen/")
    assert roles.status_code == 200 and 'name="role"' not in roles.content.decode()


def test_active_unit_page_offers_what_the_policy_allows(client, world):
    client.force_login(world.user("secretary"))
    page = client.get(f"/to-chuc/{world.cell_a1.pk}/").content.decode()
    assert f"/to-chuc/{world.cell_a1.pk}/sua/" in page
    assert f"?parent={world.cell_a1.pk}" in page
    assert f"/to-chuc/{world.cell_a1.pk}/chia-tach/" not in page
    assert f"/to-chuc/{world.cell_a1.pk}/phan-quyen/" not in page


def test_service_and_api_refuse_editing_a_ceased_unit_with_the_reason(client, world):
    _merge_cell_a1(world)
    with pytest.raises(ValidationError, match="Chi bộ Khu phố 1"):
        services.update_organisation(actor=world.user("admin"), org=world.cell_a1, description="x")
    client.force_login(world.user("admin"))
    response = client.patch(f"/api/orgs/{world.cell_a1.pk}/", data={"description": "x"},
                            content_type="application/json")
    assert response.status_code == 400
    assert "Chi bộ Khu phố 1" in str(response.json())


def test_assigning_a_role_on_a_ceased_unit_is_refused_on_its_field(world):
    _merge_cell_a1(world)
    with pytest.raises(ValidationError) as info:
        services.assign_role(actor=superuser(), user=world.user("nobody"), organisation=world.cell_a1,
                             role=Role.VIEWER)
    assert "organisation" in info.value.message_dict


def test_person_policy_follows_the_write_scope(world):
    assert PERSON.allowed(world.user("cell_secretary"), world.person_a1) == {"edit", "add_membership"}
    assert PERSON.allowed(world.user("viewer"), world.person_a1) == set()
    with pytest.raises(PermissionDenied):
        services.add_membership(actor=world.user("other_secretary"), person=world.person_a1,
                                organisation=world.cell_b1)
    assert not Membership.objects.filter(person=world.person_a1, organisation=world.cell_b1).exists()


def test_end_button_only_on_memberships_the_user_may_end(client, world):
    """A ward-A secretary who also views the whole city sees the person's city membership, but may end only
    the one in ward A."""
    root = superuser()
    user = world.user("secretary")
    services.assign_role(actor=root, user=user, organisation=world.city, role=Role.VIEWER)
    in_city = services.add_membership(actor=root, person=world.person_a1, organisation=world.agency,
                                      position="Cán bộ")
    in_cell = Membership.objects.get(person=world.person_a1, organisation=world.cell_a1)
    assert MEMBERSHIP.allowed(user, in_cell) == {"end", "correct"}
    assert MEMBERSHIP.allowed(user, in_city) == set()
    client.force_login(user)
    page = client.get(f"/nhan-su/{world.person_a1.pk}/").content.decode()
    assert f"/cong-tac/{in_cell.pk}/ket-thuc/" in page
    assert f"/cong-tac/{in_city.pk}/ket-thuc/" not in page
    assert client.post(f"/cong-tac/{in_city.pk}/ket-thuc/", {"until": "2025-01-01"}).status_code == 404


def test_an_ended_membership_cannot_be_ended_again(world):
    membership = Membership.objects.get(person=world.person_a1)
    services.end_membership(actor=superuser(), membership=membership, until=DAY)
    membership.refresh_from_db()
    assert "end" not in MEMBERSHIP.allowed(superuser(), membership)
    with pytest.raises(ValidationError) as info:
        services.end_membership(actor=superuser(), membership=membership, until=DAY)
    assert "until" in info.value.message_dict


def test_merger_shows_on_the_target_and_retired_unit_histories(world):
    _merge_cell_a1(world)
    on_target = set(AuditEntry.objects.for_object(world.cell_a2).values_list("action", flat=True))
    assert {"merge", "update"} <= on_target  # the merger and the retired unit's closing
    on_source = AuditEntry.objects.for_object(world.cell_a1)
    assert on_source.filter(action="update", note__contains="Chi bộ Khu phố 2").exists()


def test_membership_changes_show_on_the_person_history(client, world):
    root = superuser()
    services.add_membership(actor=root, person=world.person_a1, organisation=world.cell_a2, position="Ủy viên")
    membership = Membership.objects.get(person=world.person_a1, organisation=world.cell_a1)
    services.end_membership(actor=root, membership=membership, until=DAY)
    entries = AuditEntry.objects.for_object(world.person_a1)
    assert entries.filter(content_type__model="membership", action="create").count() == 2  # entry, then added
    assert entries.filter(content_type__model="membership", action="update").exists()
    client.force_login(world.user("admin"))
    page = client.get(f"/nhan-su/{world.person_a1.pk}/lich-su/").content.decode()
    assert "Ủy viên" in page


def test_correct_a_post_a_merger_carried_over(client, world):
    """Seen in the demo: the merged ward's roster read five "Bí thư Đảng ủy" — the merger moves each person with the
    post they held in the old ward — and the only way to fix one was to end it and add another, which left the
    wrong post on the roster of the merger day. Now a current post is corrected in place, audited."""
    root = superuser()
    first = PersonFactory(full_name="Lê Văn Một", organisation=world.ward_a, position="Bí thư Đảng ủy")
    second = PersonFactory(full_name="Trần Văn Hai", organisation=world.ward_b, position="Bí thư Đảng ủy")
    target, _ = services.merge_organisations(actor=root, sources=[world.ward_a, world.ward_b], effective_on=DAY,
                                             new_name="Đảng ủy phường Mới")
    assert Membership.objects.filter(organisation=target, position="Bí thư Đảng ủy").count() == 2
    moved = Membership.objects.get(person=second, organisation=target)
    client.force_login(world.user("secretary"))  # her role on ward A now holds on the successor
    page = client.get(f"/nhan-su/{second.pk}/").content.decode()
    assert f"/cong-tac/{moved.pk}/sua/" in page
    url = f"/cong-tac/{moved.pk}/sua/"
    bad = client.post(url, {"position": "Phó Bí thư Đảng ủy", "since": "31/02/2025"})
    assert bad.status_code == 200 and 'aria-invalid="true"' in bad.content.decode()
    done = client.post(url, {"position": " Phó Bí thư Đảng ủy ", "since": DAY.strftime("%d/%m/%Y")})
    assert done.status_code == 302 and done["Location"] == f"/nhan-su/{second.pk}/"
    moved.refresh_from_db()
    assert moved.position == "Phó Bí thư Đảng ủy" and moved.since == DAY and moved.until is None
    assert list(Membership.objects.filter(organisation=target, position="Bí thư Đảng ủy")
                .values_list("person", flat=True)) == [first.pk]
    entry = AuditEntry.objects.filter(content_type__model="membership", object_id=str(moved.pk),
                                      action="update").first()
    assert entry is not None and entry.after["position"] == "Phó Bí thư Đảng ủy"
    # An ended post is history: the link is gone and the page refuses it.
    services.end_membership(actor=root, membership=moved, until=DAY)
    assert f"/cong-tac/{moved.pk}/sua/" not in client.get(f"/nhan-su/{second.pk}/").content.decode()
    refused = client.post(url, {"position": "Bí thư Đảng ủy"})
    assert refused.status_code == 302
    moved.refresh_from_db()
    assert moved.position == "Phó Bí thư Đảng ủy"
    # Outside the scope the post does not exist.
    other = PersonFactory(full_name="Ngoài Phạm Vi", organisation=world.cell_b1, position="Đảng viên")
    outside = Membership.objects.get(person=other)
    client.force_login(world.user("other_secretary"))
    assert client.get(f"/cong-tac/{outside.pk}/sua/").status_code == 200
    client.force_login(world.user("cell_secretary"))
    assert client.get(f"/cong-tac/{outside.pk}/sua/").status_code == 404
