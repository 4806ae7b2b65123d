"""Every write is audited with who, when, the request id, before and after; the log is immutable."""

from __future__ import annotations

import pytest

from chithi.core.models import AuditEntry


def test_ui_edit_records_who_request_id_before_and_after(client, world):
    client.force_login(world.user("secretary"))
    response = client.post(f"/to-chuc/{world.cell_a1.pk}/sua/", {
        "parent": world.ward_a.pk, "name": "Chi bộ Khu phố 1 (mới)", "kind": "party_cell", "residential": "on"},
        HTTP_X_REQUEST_ID="req-test-000123")
    assert response.status_code == 302
    assert response["X-Request-ID"] == "req-test-000123"
    entry = AuditEntry.objects.filter(object_id=str(world.cell_a1.pk), action="update").get()
    assert entry.user == world.user("secretary")
    assert entry.request_id == "req-test-000123"
    assert entry.before["name"] == "Chi bộ Khu phố 1"
    assert entry.after["name"] == "Chi bộ Khu phố 1 (mới)"
    assert ("name", "Chi bộ Khu phố 1", "Chi bộ Khu phố 1 (mới)") in entry.changes()


def test_api_write_is_audited(client, world):
    client.force_login(world.user("secretary"))
    response = client.patch(f"/api/people/{world.person_a1.pk}/", {"phone": "0912000111"},
                            content_type="application/json")
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(object_id=str(world.person_a1.pk), action="update").latest("id")
    assert entry.after["phone"] == "0912000111" and entry.before["phone"] == ""
    assert entry.request_id  # generated when the client sends none


def test_history_page_shows_the_change(client, world):
    client.force_login(world.user("secretary"))
    client.post(f"/nhan-su/{world.person_a1.pk}/sua/", {"full_name": "Đường Văn Ánh", "phone": "0905111222"})
    page = client.get(f"/nhan-su/{world.person_a1.pk}/lich-su/").content.decode()
    assert "0905111222" in page


def test_audit_log_cannot_be_edited(world):
    entry = AuditEntry.objects.first()
    entry.note = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(note="rewritten")


def test_audit_log_is_read_only_in_admin(client, world):
    client.force_login(world.user("superuser"))
    entry = AuditEntry.objects.first()
    assert client.get("/quan-tri/core/auditentry/").status_code == 200
    response = client.post(f"/quan-tri/core/auditentry/{entry.pk}/change/", {"note": "x"})
    assert response.status_code == 403
    assert client.post(f"/quan-tri/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403


def test_audit_log_page_is_scoped(client, world):
    client.force_login(world.user("other_secretary"))
    page = client.get("/nhat-ky/").content.decode()
    assert "Chi bộ Khu phố 3" in page
    assert "Chi bộ Khu phố 1" not in page


def test_audit_rows_cannot_be_deleted_through_a_queryset(world):
    from chithi.core.models import AuditEntry

    assert AuditEntry.objects.exists()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk__gt=0).delete()
    assert AuditEntry.objects.exists()


def test_a_change_shows_on_the_history_of_its_related_object(world):
    from chithi.core import audit
    from chithi.core.models import AuditEntry

    entry = audit.record(action="update", obj=world.cell_a1, actor=world.user("admin"), related=world.ward_a,
                         note="moved")
    assert entry in AuditEntry.objects.for_object(world.ward_a)
    assert entry in AuditEntry.objects.for_object(world.cell_a1)


def test_home_groups_repeated_steps_on_one_object(client, world):
    """Seen in the demo: a report saved five times in a row filled the home page's recent changes with five
    identical lines. Repeats of the same step by the same person on the same object show once, with a count."""
    from chithi.orgs import services

    secretary = world.user("secretary")
    for n in range(5):
        services.update_organisation(actor=secretary, org=world.cell_a1, name=f"Chi bộ Khu phố 1 ({n})")
    services.update_organisation(actor=secretary, org=world.cell_a2, name="Chi bộ Khu phố 2 (mới)")
    client.force_login(secretary)
    page = client.get("/").content.decode()
    assert page.count("Chi bộ Khu phố 1 (4)") == 1
    assert "(5 lần)" in page
    assert "Chi bộ Khu phố 2 (mới)" in page
