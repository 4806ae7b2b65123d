"""Issue 10: history people can read — verbose field names, related objects by name with a link, choice labels,
dates as dd/mm/yyyy HH:MM in Asia/Ho_Chi_Minh, the system actor as "Hệ thống", notes translated; /nhat-ky/ filters
and links each entry to its object."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from chithi.core import audit
from chithi.core.models import AuditAction, AuditEntry
from chithi.orgs import services


def test_history_page_speaks_like_a_person(client, world):
    services.update_organisation(actor=world.user("superuser"), org=world.cell_a2, name="Chi bộ Khu phố 2 (mới)",
                                 kind="party_cell", established_on=dt.date(2020, 3, 5))
    services.move_organisation(actor=world.user("superuser"), org=world.cell_a2, new_parent=world.ward_b,
                               on_date=dt.date(2025, 7, 1))
    when = dt.datetime(2026, 11, 27, 12, 58, 34, tzinfo=dt.UTC)
    audit.record(action=AuditAction.UPDATE, obj=world.cell_a2, actor=None, note="closed after the reopening window",
                 before={"dissolved_on": None}, after={"dissolved_on": "2026-11-27", "updated": when.isoformat()})
    client.force_login(world.user("admin"))
    page = client.get(f"/to-chuc/{world.cell_a2.pk}/lich-su/").content.decode()
    assert "<code>name</code>" not in page and "parent_id" not in page
    assert "Tên" in page  # the field's verbose name
    assert "Đơn vị cấp trên" in page
    # the related unit by name, with a link
    assert f'href="/to-chuc/{world.ward_b.pk}/"' in page and "Đảng ủy phường Đông Lễ" in page
    assert "05/03/2020" in page and "2020-03-05" not in page
    assert "27/11/2026" in page and "T12:58" not in page
    assert "Hệ thống" in page
    assert "reopening window" not in page


def test_choice_fields_show_their_label(client, world):
    services.update_organisation(actor=world.user("superuser"), org=world.agency, kind="mass_org")
    client.force_login(world.user("admin"))
    page = client.get(f"/to-chuc/{world.agency.pk}/lich-su/").content.decode()
    assert "mass_org" not in page and "Tổ chức chính trị - xã hội" in page


def test_entry_times_are_local(client, world):
    services.update_organisation(actor=world.user("superuser"), org=world.cell_b1, name="Chi bộ KP3")
    entry = AuditEntry.objects.filter(object_id=str(world.cell_b1.pk), action="update").get()
    client.force_login(world.user("admin"))
    page = client.get("/nhat-ky/").content.decode()
    assert timezone.localtime(entry.timestamp).strftime("%d/%m/%Y %H:%M") in page


def _log(client, query: str) -> str:
    """The log's entries, without its filter row (whose unit and person lists name what the entries name)."""
    page = client.get(f"/nhat-ky/{query}").content.decode()
    return page[page.index("</form>", page.index("chithi-filters")):]


def test_audit_log_links_each_entry_and_filters(client, world):
    services.update_organisation(actor=world.user("superuser"), org=world.cell_b1, name="Chi bộ KP3")
    services.update_organisation(actor=world.user("admin"), org=world.cell_a1, name="Chi bộ KP1")
    client.force_login(world.user("admin"))
    page = client.get("/nhat-ky/").content.decode()
    assert f'href="/to-chuc/{world.cell_b1.pk}/"' in page
    by_unit = _log(client, f"?don_vi={world.ward_b.pk}")
    assert "Chi bộ KP3" in by_unit and "Chi bộ KP1" not in by_unit
    by_person = _log(client, f"?nguoi={world.user('admin').pk}")
    assert "Chi bộ KP1" in by_person and "Chi bộ KP3" not in by_person
    by_action = _log(client, "?hanh_dong=update")
    assert "Chi bộ KP1" in by_action and "Đường Văn Ánh" not in by_action
    by_kind = _log(client, "?loai=orgs.person")
    assert "Đường Văn Ánh" in by_kind and "Chi bộ KP1" not in by_kind
    today = timezone.localdate()
    later = (today + dt.timedelta(days=2)).strftime("%d/%m/%Y")
    assert "Chi bộ KP1" not in _log(client, f"?tu_ngay={later}")
    assert "Chi bộ KP1" in _log(client, f"?tu_ngay={today:%d/%m/%Y}&den_ngay={today:%d/%m/%Y}")
    # a unit outside the user's scope is not a filter that leaks
    client.force_login(world.user("other_secretary"))
    assert "Chi bộ KP1" not in _log(client, f"?don_vi={world.ward_a.pk}")


def test_audit_rows_cannot_be_raw_deleted(world):
    from django.db import router

    qs = AuditEntry.objects.filter(pk__gt=0)
    with pytest.raises(PermissionError):
        qs._raw_delete(router.db_for_write(AuditEntry))
    assert AuditEntry.objects.exists()


def test_the_change_log_names_every_field_in_vietnamese_and_hides_bookkeeping(client, world):
    """Seen by a tester on /nhat-ky/: "Created by", "Items: [[…, '2026-06-15']]", "Owner people: — → 108" and
    "Lineage path: 0000000060/ → …" — fields the models left unnamed, ids, and internal tree paths."""
    from chithi.campaigns.tests.factories import PlanTaskFactory
    from chithi.orgs.tests.factories import MembershipFactory, PersonFactory
    from chithi.practices.tests.factories import PracticeFactory

    task = PlanTaskFactory(plan__organisation=world.ward_a)
    person = PersonFactory(full_name="Lê Thị Hoa")
    MembershipFactory(person=person, organisation=world.ward_a)
    audit.record(action=AuditAction.UPDATE, obj=task, actor=world.user("secretary"),
                 before={"owner_people": []}, after={"owner_people": [person.pk]})
    practice = PracticeFactory(organisation=world.ward_a)
    audit.record(action=AuditAction.UPDATE, obj=practice, actor=world.user("secretary"),
                 before={"lineage_path": "0000000060/", "lineage_depth": 0, "created_by": None},
                 after={"lineage_path": "0000000002/0000000060/", "lineage_depth": 1,
                        "created_by": world.user("secretary").pk,
                        "items": [["Dọn vệ sinh khu phố", "2026-06-15"]]})
    client.force_login(world.user("admin"))
    page = client.get("/nhat-ky/").content.decode()
    for english in ("Owner people", "Lineage", "Created by", "Items"):
        assert english not in page, english
    assert "0000000060/" not in page
    assert "Lê Thị Hoa" in page and "Người tạo" in page
    assert "Dọn vệ sinh khu phố · 15/06/2026" in page and "2026-06-15" not in page


def test_the_home_page_names_who_changed_what_as_the_change_log_does(client, world):
    """The home page's recent changes read "sysadmin" where the change log read the account's full name."""
    secretary = world.user("secretary")
    secretary.first_name, secretary.last_name = "Hà", "Trần Thu"
    secretary.save()
    services.update_organisation(actor=secretary, org=world.cell_a1, name="Chi bộ KP1 (mới)")
    client.force_login(world.user("admin"))
    home = client.get("/").content.decode()
    assert secretary.get_full_name() in home and f"· {secretary.username} ·" not in home


def test_a_field_holding_parts_reads_as_its_parts(client, world):
    """Seen in the demo's change log: a report's sections read "{'I': '', 'II': '', …} → {'I': 'Ngay từ …', …}"."""
    audit.record(action=AuditAction.UPDATE, obj=world.cell_a1, actor=world.user("superuser"),
                 before={"note": {"I": "", "II": ""}}, after={"note": {"I": "Đã làm", "II": "", "III": "Còn chậm"}})
    client.force_login(world.user("admin"))
    page = client.get(f"/to-chuc/{world.cell_a1.pk}/lich-su/").content.decode()
    assert "I: Đã làm; III: Còn chậm" in page and "{&#x27;I&#x27;" not in page and "{'I'" not in page


def test_the_audit_log_shows_its_filter_inputs(client, world):
    """Seen in the demo: /nhat-ky/ showed a lone "Lọc" button. The shared filter row (core/_filters.html) reads a
    FilterSet's `.form`, and this page's filter is a plain form: every input had silently gone."""
    client.force_login(world.user("admin"))
    page = client.get("/nhat-ky/?hanh_dong=update").content.decode()
    for name in ("don_vi", "nguoi", "loai", "hanh_dong", "tu_ngay", "den_ngay"):
        assert f'name="{name}"' in page, name
    assert '<option value="update" selected>' in page


def test_the_audit_logs_lists_stay_bounded_on_a_large_tree(client, world, settings):
    """A national reader would get every unit and every account as options: above CHITHI_UNIT_PICKER_LIMIT the
    unit list is the shared picker (top levels and a search box) and the person list is read from the address
    only."""
    settings.CHITHI_UNIT_PICKER_LIMIT = 2
    client.force_login(world.user("admin"))
    page = client.get(f"/nhat-ky/?nguoi={world.user('admin').pk}").content.decode()
    assert "data-unit-search" in page
    assert f'<input type="hidden" name="nguoi" value="{world.user("admin").pk}"' in page
