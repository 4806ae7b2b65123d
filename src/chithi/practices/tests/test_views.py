"""Pages: what users see and may do, and the public showcase (which role gets which page: the permission
table in test_permission_matrix.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from chithi.practices.models import Practice, Result

from .factories import (
    CommendationFactory,
    IndicatorFactory,
    PhotoFactory,
    PracticeFactory,
    ReplicationFactory,
    ResultFactory,
)


@pytest.fixture
def practices(world):
    """A practice in ward A's cell, one in ward B's cell, one public in the agency replicated into both wards."""
    a = PracticeFactory(name="Tổ tự quản ANTT", organisation=world.cell_a1)
    b = PracticeFactory(name="Quỹ giúp nhau", organisation=world.cell_b1)
    public = PracticeFactory(name="Hũ gạo tình thương", organisation=world.agency, is_public=True,
                             public_names="Chi hội Phụ nữ khu phố 1")
    ReplicationFactory(origin=public, organisation=world.cell_a2, adaptation_notes="GHI CHÚ NỘI BỘ")
    ReplicationFactory(origin=public, organisation=world.cell_b1)
    return {"a": a, "b": b, "public": public}


# Which role gets which page of which practice: test_permission_matrix.py.


def test_anonymous_is_sent_to_login(client, practices):
    response = client.get(reverse("practices:registry"))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_registry_lists_only_the_scope_and_ranks_by_spread(client, world, practices):
    client.force_login(world.user("secretary"))
    body = client.get(reverse("practices:registry")).content.decode()
    assert "Tổ tự quản ANTT" in body
    assert "Quỹ giúp nhau" not in body
    client.force_login(world.user("admin"))
    page = client.get(reverse("practices:registry")).context["page"]
    assert page.object_list[0] == practices["public"] and page.object_list[0].reach == 2
    found = client.get(reverse("practices:registry"), {"q": "QUY GIUP"}).context["page"]
    assert [p.name for p in found] == ["Quỹ giúp nhau"]


def test_registry_filters_by_field(client, world):
    PracticeFactory(name="Loa tuyên truyền", organisation=world.cell_a1, fields=["law"])
    PracticeFactory(name="Vẽ cột điện", organisation=world.cell_a1, fields=["culture", "environment"])
    client.force_login(world.user("secretary"))
    page = client.get(reverse("practices:registry"), {"field": "culture"}).context["page"]
    assert [p.name for p in page] == ["Vẽ cột điện"]


def test_register_through_the_form_and_duplicate_links_to_existing(client, world):
    client.force_login(world.user("secretary"))
    data = {"organisation": world.cell_a1.pk, "name": "Nuôi heo đất tiết kiệm", "areas": ["economy", "welfare"],
            "started_on": "2019-03-08", "status": "running", "description": "Tiết kiệm"}
    response = client.post(reverse("practices:create"), data)
    practice = Practice.objects.get()
    assert response.status_code == 302 and response["Location"] == practice.get_absolute_url()
    assert practice.field_list == ["economy", "welfare"]
    response = client.post(reverse("practices:create"), {**data, "name": "nuoi heo dat tiet kiem"})
    assert response.status_code == 200
    body = response.content.decode()
    assert practice.get_absolute_url() in body
    assert Practice.objects.count() == 1


def test_register_in_a_unit_outside_scope_is_refused(client, world):
    client.force_login(world.user("secretary"))
    response = client.post(reverse("practices:create"), {
        "organisation": world.cell_b1.pk, "name": "X", "areas": ["law"], "started_on": "2020-01-01",
        "status": "running"})
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Practice.objects.exists()


def test_recording_a_result_before_the_start_shows_the_reason(client, world):
    practice = PracticeFactory(organisation=world.cell_a1, started_on=dt.date(2023, 3, 1))
    indicator = IndicatorFactory(practice=practice)
    client.force_login(world.user("secretary"))
    response = client.post(reverse("practices:result_record", args=[practice.pk]), {
        f"actual_{indicator.pk}": "10", "period_start": "2022-01-01", "period_end": "2022-06-30"})
    assert response.status_code == 200
    assert "01/03/2023" in str(response.context["form"].errors["period_start"])
    response = client.post(reverse("practices:result_record", args=[practice.pk]), {
        f"actual_{indicator.pk}": "10", "period_start": "2023-01-01", "period_end": "2023-06-30",
        "period_label": "6 tháng đầu năm 2023"})
    assert response.status_code == 302
    assert "6 tháng đầu năm 2023" in client.get(practice.get_absolute_url()).content.decode()


def test_replicate_by_own_unit_shows_an_error(client, world):
    practice = PracticeFactory(organisation=world.cell_a1)
    client.force_login(world.user("secretary"))
    response = client.post(reverse("practices:replicate", args=[practice.pk]), {
        "organisation": world.cell_a1.pk, "adopted_on": "2022-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    response = client.post(reverse("practices:replicate", args=[practice.pk]), {
        "organisation": world.cell_a2.pk, "adopted_on": "2022-01-01", "adaptation_notes": "Theo khu phố"})
    assert response.status_code == 302
    body = client.get(practice.get_absolute_url()).content.decode()
    assert "Chi bộ Khu phố 2" in body and "Theo khu phố" in body


def test_detail_shows_the_tree_with_public_or_placeholder_nodes_outside_scope(client, world, practices):
    origin = practices["public"]
    internal = ReplicationFactory(origin=origin, organisation=world.ward_b, is_public=False).adopting
    mine = origin.replications.get(adopting__organisation=world.cell_a2).adopting
    client.force_login(world.user("secretary"))
    assert client.get(origin.get_absolute_url()).status_code == 404  # the origin is outside ward A
    body = client.get(mine.get_absolute_url()).content.decode()
    assert origin.get_public_url() in body  # public origin: named, linked to its public page
    assert "Chi bộ Khu phố 3" in body  # ward B's replication is public, so its unit is named
    assert internal.get_absolute_url() not in body
    assert "<strong>Đảng ủy phường Đông Lễ</strong>" not in body  # only named as cell B's parent, not as running it
    assert "a replication in a unit outside your scope" in body or "ngoài phạm vi" in body


def test_org_page_shows_the_practices_panel(client, world, practices):
    client.force_login(world.user("secretary"))
    body = client.get(world.cell_a1.get_absolute_url()).content.decode()
    assert "Tổ tự quản ANTT" in body


def test_photo_files_are_scoped(client, world, practices):
    photo = PhotoFactory(practice=practices["b"])
    client.force_login(world.user("secretary"))
    assert client.get(reverse("practices:photo_file", args=[photo.pk])).status_code == 404
    client.force_login(world.user("other_secretary"))
    response = client.get(reverse("practices:photo_file", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_delete_photo_is_audited(client, world, practices):
    photo = PhotoFactory(practice=practices["a"])
    client.force_login(world.user("viewer"))
    assert client.post(reverse("practices:attachment_delete", args=["anh", photo.pk])).status_code == 404
    client.force_login(world.user("secretary"))
    assert client.post(reverse("practices:attachment_delete", args=["anh", photo.pk])).status_code == 302
    assert not practices["a"].photos.exists()
    from chithi.core.models import AuditEntry
    assert AuditEntry.objects.filter(action="delete", object_repr=photo.original_name).exists()


# --- the public showcase -------------------------------------------------------------------------------


def test_showcase_search_with_or_without_diacritics(client, practices):
    for query in ["hu gao", "Hũ gạo", "HU GAO TINH"]:
        response = client.get(reverse("practices:showcase"), {"q": query})
        assert response.status_code == 200
        assert "Hũ gạo tình thương" in response.content.decode()
    response = client.get(reverse("practices:showcase"), {"q": "quy giup"})
    assert "Quỹ giúp nhau" not in response.content.decode()


def test_showcase_lists_only_public_practices_once_per_lineage(client, practices):
    page = client.get(reverse("practices:showcase")).context["page"]
    assert [p.name for p in page] == ["Hũ gạo tình thương"]
    assert page[0].organisation.name == "Công an thành phố"


def test_showcase_filters_by_field_and_unit(client, world, practices):
    PracticeFactory(name="Cột điện nở hoa", organisation=world.cell_b1, fields=["culture"], is_public=True)
    page = client.get(reverse("practices:showcase"), {"field": "culture"}).context["page"]
    assert [p.name for p in page] == ["Cột điện nở hoa"]
    page = client.get(reverse("practices:showcase"), {"unit": world.ward_b.pk}).context["page"]
    # What runs in ward B: its own practice and the public replication of the agency's practice in cell B1.
    assert sorted(p.name for p in page) == ["Cột điện nở hoa", "Hũ gạo tình thương"]
    page = client.get(reverse("practices:showcase"), {"unit": world.ward_a.pk, "field": "culture"}).context["page"]
    assert list(page) == []


def test_a_large_showcase_unit_filter_offers_no_search_a_citizen_cannot_use(client, world, practices, settings):
    """Past CHITHI_UNIT_PICKER_LIMIT units the staff's unit filter lists the top levels and searches the rest at
    /to-chuc/chon/, which answers signed-in users only: on the public showcase the box would send a citizen's
    typing to a sign-in redirect. The public filter lists the top levels and the chosen unit, and the words box
    ("name or unit") finds the rest."""
    settings.CHITHI_UNIT_PICKER_LIMIT = 2
    PracticeFactory(name="Cột điện nở hoa", organisation=world.cell_b1, fields=["culture"], is_public=True)
    page = client.get(reverse("practices:showcase")).content.decode()
    assert 'name="unit"' in page and "data-unit-search" not in page
    assert client.get(reverse("orgs:unit_options"), {"q": "khu pho"}).status_code == 302  # staff only
    chosen = client.get(reverse("practices:showcase"), {"unit": world.cell_b1.pk})
    import re

    select = re.search(r'<select name="unit".*?</select>', chosen.content.decode(), re.S)
    assert select and re.search(rf'<option value="{world.cell_b1.pk}"[^>]* selected', select.group(0))
    assert sorted(p.name for p in chosen.context["page"]) == ["Cột điện nở hoa", "Hũ gạo tình thương"]


def test_internal_practice_is_not_public(client, practices):
    assert client.get(reverse("practices:public_detail", args=[practices["a"].pk])).status_code == 404


def test_public_page_shows_results_and_replications_but_nothing_internal(client, world, practices):
    public = practices["public"]
    ResultFactory(indicator=IndicatorFactory(practice=public, name="Gạo quyên góp"), actual=1234,
                  note="GHI CHÚ KẾT QUẢ")
    CommendationFactory(practice=public, person=world.person_a1)  # a person whose name was not published
    CommendationFactory(practice=public, title="Bằng khen của UBND tỉnh")
    response = client.get(reverse("practices:public_detail", args=[public.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Gạo quyên góp" in body and "1.234" in body
    assert "Chi hội Phụ nữ khu phố 1" in body
    assert "Bằng khen của UBND tỉnh" in body
    assert "Chi bộ Khu phố 2" in body  # where it was replicated
    for secret in ["GHI CHÚ KẾT QUẢ", "GHI CHÚ NỘI BỘ", world.person_a1.full_name, "Tổ tự quản ANTT", "/lich-su/",
                   "danh-muc"]:
        assert secret not in body


def test_public_photos_only_of_public_practices(client, practices):
    public_photo = PhotoFactory(practice=practices["public"])
    hidden_photo = PhotoFactory(practice=practices["public"], is_public=False)
    internal_photo = PhotoFactory(practice=practices["a"])
    assert client.get(reverse("practices:public_photo", args=[public_photo.pk])).status_code == 200
    assert client.get(reverse("practices:public_photo", args=[hidden_photo.pk])).status_code == 404
    assert client.get(reverse("practices:public_photo", args=[internal_photo.pk])).status_code == 404
    assert client.get(reverse("practices:photo_file", args=[public_photo.pk])).status_code == 302  # login


def test_showcase_is_in_the_menu_for_anonymous_visitors(client, practices):
    body = client.get(reverse("practices:showcase")).content.decode()
    assert reverse("practices:showcase") in body
    assert reverse("practices:registry") not in body


def test_link_an_existing_practice_as_a_replication(client, world):
    origin = PracticeFactory(name="Hũ gạo", organisation=world.cell_a1, started_on=dt.date(2019, 1, 1))
    existing = PracticeFactory(name="Hũ gạo nghĩa tình", organisation=world.cell_a2)
    client.force_login(world.user("secretary"))
    url = reverse("practices:replication_link", args=[origin.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["adopting"].queryset) == [existing]  # not the origin's own unit, not itself
    response = client.post(url, {"adopting": existing.pk, "adopted_on": "2021-05-01", "adaptation_notes": "Ghép"})
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.lineage_path.startswith(origin.lineage_path)
    client.force_login(world.user("other_secretary"))
    assert client.get(url).status_code == 404


def test_origin_outside_scope_is_not_named(client, world):
    origin = PracticeFactory(name="Mô hình nội bộ của phường B", organisation=world.cell_b1)
    mine = ReplicationFactory(origin=origin, organisation=world.cell_a1, name="Cách làm của chi bộ").adopting
    client.force_login(world.user("secretary"))
    body = client.get(mine.get_absolute_url()).content.decode()
    assert "Cách làm của chi bộ" in body
    assert "Mô hình nội bộ của phường B" not in body
    assert origin.get_absolute_url() not in body


def test_detail_page_query_count_does_not_grow_with_the_tree(client, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    origin = PracticeFactory(organisation=world.agency)
    ReplicationFactory(origin=origin, organisation=world.cell_a1)
    client.force_login(world.user("admin"))
    with CaptureQueriesContext(connection) as small:
        client.get(origin.get_absolute_url())
    for org in [world.cell_a2, world.cell_b1, world.ward_a, world.ward_b]:
        ReplicationFactory(origin=origin, organisation=org)
    with CaptureQueriesContext(connection) as large:
        client.get(origin.get_absolute_url())
    assert len(large) == len(small)


def test_registry_filters_by_unit_with_sub_units(client, world, practices):
    client.force_login(world.user("admin"))
    response = client.get(reverse("practices:registry"), {"unit": world.ward_a.pk})
    names = {p.name for p in response.context["page"]}
    assert names == {"Tổ tự quản ANTT", "Hũ gạo tình thương"}  # cell A1's and the replication in cell A2
    assert "Đảng ủy phường Đông Lễ" in response.content.decode()  # offered in the unit filter


def test_showcase_is_rate_limited_per_address(client, practices):
    from django.core.cache import cache

    # The limit counts per clock minute: a run that straddles a minute boundary starts a new window
    # half-way, so try once more (two runs of a few seconds cannot both straddle).
    for _attempt in range(2):
        cache.clear()
        statuses = [client.get(reverse("practices:showcase")).status_code for _i in range(121)]
        if statuses[120] == 429:
            break
    assert statuses[:120] == [200] * 120
    assert statuses[120] == 429


def test_documents_upload_checked_and_served_by_scope_or_public_flag(client, world, practices):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.user("secretary"))
    url = reverse("practices:document_add", args=[practices["a"].pk])
    fake = SimpleUploadedFile("bao-cao.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = client.post(url, {"file": fake, "title": "Báo cáo"})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n%test\n", content_type="text/html")
    assert client.post(url, {"file": pdf, "title": "Báo cáo sơ kết", "is_public": "on"}).status_code == 302
    document = practices["a"].documents.get()
    assert document.content_type == "application/pdf"  # from the checked extension, not the client's claim
    response = client.get(reverse("practices:document_file", args=[document.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    client.force_login(world.user("other_secretary"))
    assert client.get(reverse("practices:document_file", args=[document.pk])).status_code == 404
    client.logout()
    # Public flag on the document, but the practice is internal: not served.
    assert client.get(reverse("practices:public_document", args=[document.pk])).status_code == 404


def test_admin_lists_practices_read_only(client, world, practices):
    from chithi.orgs.tests.factories import superuser

    client.force_login(superuser())  # fresh: each factory call resets its password, which ends older sessions
    response = client.get("/quan-tri/practices/practice/")
    assert response.status_code == 200 and "Hũ gạo tình thương" in response.content.decode()
    assert client.get("/quan-tri/practices/practice/add/").status_code == 403


def test_export_is_scoped_and_follows_the_filter(client, world, practices):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(world.user("secretary"))
    response = client.get(reverse("practices:export"), {"q": "ANTT"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in values] == ["Tổ tự quản ANTT"]
    response = client.get(reverse("practices:export"))
    names = [row[0] for row in load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)]
    assert "Quỹ giúp nhau" not in names and "Hũ gạo tình thương" in names  # ward A's replication
    client.force_login(world.user("nobody"))
    assert client.get(reverse("practices:export")).status_code == 404


def test_period_report_records_every_indicator_or_none(client, world):
    practice = PracticeFactory(organisation=world.cell_a1)
    rice = IndicatorFactory(practice=practice, name="Gạo quyên góp", unit="kg")
    households = IndicatorFactory(practice=practice, name="Hộ được hỗ trợ", unit="hộ")
    client.force_login(world.user("secretary"))
    url = reverse("practices:result_record", args=[practice.pk])
    response = client.post(url, {"period_start": "2024-01-01", "period_end": "2024-06-30",
                                 f"actual_{rice.pk}": "1200", f"actual_{households.pk}": "-3"})
    assert response.status_code == 200
    assert response.context["form"].errors[f"actual_{households.pk}"]
    assert not Result.objects.exists()  # the valid figure was not kept either
    response = client.post(url, {"period_start": "2024-01-01", "period_end": "2024-06-30",
                                 f"actual_{rice.pk}": "1200", f"actual_{households.pk}": "35"})
    assert response.status_code == 302
    assert sorted(Result.objects.values_list("actual", flat=True)) == [35, 1200]
    response = client.post(url, {"period_start": "2024-07-01", "period_end": "2024-12-31"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_showcase_unit_filter_includes_replications_running_there(client, world, practices):
    page = client.get(reverse("practices:showcase"), {"unit": world.cell_a2.pk}).context["page"]
    assert [(p.name, p.organisation) for p in page] == [("Hũ gạo tình thương", world.cell_a2)]


def test_a_stopped_practice_offers_no_replication_and_its_pages_say_why(client, world):
    """The policy answers the buttons, the pages and the service alike: nothing offered and then refused."""
    from chithi.practices import services
    from chithi.practices.models import PracticeStatus

    practice = PracticeFactory(name="Hũ gạo", organisation=world.cell_a1)
    client.force_login(world.user("secretary"))
    body = client.get(practice.get_absolute_url()).content.decode()
    assert reverse("practices:replicate", args=[practice.pk]) in body
    assert reverse("practices:replication_link", args=[practice.pk]) in body
    services.update_practice(actor=world.user("secretary"), practice=practice, status=PracticeStatus.STOPPED)
    body = client.get(practice.get_absolute_url()).content.decode()
    assert reverse("practices:replicate", args=[practice.pk]) not in body
    assert reverse("practices:replication_link", args=[practice.pk]) not in body
    for page in ["practices:replicate", "practices:replication_link"]:
        response = client.get(reverse(page, args=[practice.pk]), follow=True)
        assert response.redirect_chain[-1][0] == practice.get_absolute_url()
        assert "Hũ gạo" in " ".join(str(m) for m in response.context["messages"])
    client.force_login(world.user("other_secretary"))
    assert client.get(reverse("practices:replicate", args=[practice.pk])).status_code == 404
