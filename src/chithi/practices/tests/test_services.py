"""Writes: registration, duplicates, results, replication (own unit, cycles), uploads, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chithi.core.models import AuditEntry
from chithi.orgs import services as org_services
from chithi.orgs.tests.factories import OrganisationFactory, superuser
from chithi.practices import selectors, services
from chithi.practices.models import Practice, PracticeStatus, Replication, Result

from .factories import IndicatorFactory, PracticeFactory, ReplicationFactory, jpeg_bytes, jpeg_upload


def test_register_folds_search_text_and_audits(world):
    practice = services.register_practice(
        actor=world.user("secretary"), name="Hũ gạo  tình thương", organisation=world.cell_a1,
        fields=["welfare"], started_on=dt.date(2020, 3, 8))
    assert practice.name == "Hũ gạo tình thương"
    assert "hu gao tinh thuong" in practice.search_text
    assert practice.lineage_path == f"{practice.pk:010d}/"
    entry = AuditEntry.objects.for_object(practice).get()
    assert entry.action == "create" and entry.user == world.user("secretary")
    assert entry.org_path == world.cell_a1.path


def test_duplicate_name_in_same_unit_is_refused_with_the_existing_one(world):
    existing = PracticeFactory(name="Hũ gạo tình thương", organisation=world.cell_a1)
    with pytest.raises(services.DuplicatePractice) as caught:
        services.register_practice(actor=world.user("secretary"), name="HŨ GẠO  tình thương",
                                   organisation=world.cell_a1, fields=["welfare"], started_on=dt.date(2021, 1, 1))
    assert caught.value.existing == existing
    assert "name" in caught.value.message_dict
    # Another unit may register the same name.
    other = services.register_practice(actor=world.user("secretary"), name="Hũ gạo tình thương",
                                       organisation=world.cell_a2, fields=["welfare"], started_on=dt.date(2021, 1, 1))
    assert other.pk != existing.pk


def test_register_outside_scope_is_denied(world):
    with pytest.raises(PermissionDenied):
        services.register_practice(actor=world.user("secretary"), name="Mô hình", organisation=world.cell_b1,
                                   fields=["law"], started_on=dt.date(2020, 1, 1))
    with pytest.raises(PermissionDenied):
        services.register_practice(actor=world.user("viewer"), name="Mô hình", organisation=world.cell_a1,
                                   fields=["law"], started_on=dt.date(2020, 1, 1))
    assert not Practice.objects.exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": "  "}, "name"),
    ({"fields": []}, "fields"),
    ({"fields": ["astrology"]}, "fields"),
    ({"started_on": dt.date.today() + dt.timedelta(days=3)}, "started_on"),
    ({"started_on": dt.date(2000, 1, 1)}, "started_on"),  # before the unit was established (2010)
])
def test_bad_registration_names_the_field(world, changes, field):
    data = {"name": "Mô hình", "organisation": world.cell_a1, "fields": ["law"], "started_on": dt.date(2020, 1, 1)}
    data.update(changes)
    with pytest.raises(ValidationError) as caught:
        services.register_practice(actor=world.user("secretary"), **data)
    assert field in caught.value.message_dict
    assert not Practice.objects.exists()


def test_results_before_the_start_are_refused(world):
    practice = PracticeFactory(organisation=world.cell_a1, started_on=dt.date(2023, 3, 1))
    indicator = IndicatorFactory(practice=practice, name="Gạo quyên góp", unit="kg", target=1500)
    with pytest.raises(ValidationError) as caught:
        services.record_result(actor=world.user("secretary"), indicator=indicator, period_start=dt.date(2022, 7, 1),
                               period_end=dt.date(2022, 12, 31), actual=100)
    assert "period_start" in caught.value.message_dict
    assert "01/03/2023" in caught.value.message_dict["period_start"][0]
    # A half-year the practice started in is accepted.
    result = services.record_result(actor=world.user("secretary"), indicator=indicator,
                                    period_start=dt.date(2023, 1, 1), period_end=dt.date(2023, 6, 30), actual="1200")
    assert result.percent_of_target == 80


def test_result_period_checks_and_correction(world):
    indicator = IndicatorFactory(practice=PracticeFactory(organisation=world.cell_a1))
    secretary = world.user("secretary")
    with pytest.raises(ValidationError) as caught:
        services.record_result(actor=secretary, indicator=indicator, period_start=dt.date(2024, 6, 30),
                               period_end=dt.date(2024, 1, 1), actual=5)
    assert "period_end" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.record_result(actor=secretary, indicator=indicator, period_start=dt.date(2024, 1, 1),
                               period_end=dt.date(2024, 6, 30), actual=-1)
    assert "actual" in caught.value.message_dict
    first = services.record_result(actor=secretary, indicator=indicator, period_start=dt.date(2024, 1, 1),
                                   period_end=dt.date(2024, 6, 30), actual=5)
    again = services.record_result(actor=secretary, indicator=indicator, period_start=dt.date(2024, 1, 1),
                                   period_end=dt.date(2024, 6, 30), actual=7)
    assert again.pk == first.pk and Result.objects.get().actual == 7
    assert list(AuditEntry.objects.for_object(first).values_list("action", flat=True)) == ["update", "create"]
    with pytest.raises(ValidationError) as caught:
        services.record_result(actor=secretary, indicator=indicator, period_start=dt.date(2024, 3, 1),
                               period_end=dt.date(2024, 9, 30), actual=1)
    assert "period_start" in caught.value.message_dict


def test_replication_by_its_own_unit_is_refused(world):
    origin = PracticeFactory(organisation=world.ward_a)
    with pytest.raises(ValidationError) as caught:
        services.replicate_practice(actor=world.user("secretary"), origin=origin, organisation=world.ward_a,
                                    adopted_on=dt.date(2022, 1, 1))
    assert "organisation" in caught.value.message_dict
    assert not Replication.objects.exists()


def test_replication_creates_the_adopting_practice_and_marks_the_origin(world):
    origin = PracticeFactory(name="Cột điện nở hoa", organisation=world.agency, is_public=True)
    replication = services.replicate_practice(actor=world.user("admin"), origin=origin, organisation=world.cell_a1,
                                              adopted_on=dt.date(2022, 1, 1), adaptation_notes="Vẽ theo chủ đề")
    adopting = replication.adopting
    assert adopting.organisation == world.cell_a1 and adopting.name == "Cột điện nở hoa"
    assert adopting.lineage_path == f"{origin.lineage_path}{adopting.pk:010d}/"
    assert adopting.is_public  # inherits the origin's choice
    origin.refresh_from_db()
    assert origin.status == PracticeStatus.REPLICATED
    assert origin.reach == 1


def test_replication_into_a_unit_outside_scope_is_denied(world):
    origin = PracticeFactory(organisation=world.cell_a1)
    with pytest.raises(PermissionDenied):
        services.replicate_practice(actor=world.user("secretary"), origin=origin, organisation=world.cell_b1,
                                    adopted_on=dt.date(2022, 1, 1))


def test_cycles_in_replication_are_refused(world):
    admin = world.user("admin")
    a = PracticeFactory(organisation=world.cell_a1, started_on=dt.date(2019, 1, 1))
    b = ReplicationFactory(origin=a, organisation=world.cell_a2).adopting
    c = ReplicationFactory(origin=b, organisation=world.cell_b1, adopted_on=dt.date(2023, 1, 1)).adopting
    # a is an origin; making it a replication of its own descendant c would close a loop.
    with pytest.raises(ValidationError) as caught:
        services.link_replication(actor=admin, origin=c, adopting=a, adopted_on=dt.date(2024, 1, 1))
    assert "vòng lặp" in caught.value.message_dict["adopting"][0]  # "cycle", in the Vietnamese interface
    with pytest.raises(ValidationError):
        services.link_replication(actor=admin, origin=a, adopting=a, adopted_on=dt.date(2024, 1, 1))
    # b already has an origin.
    with pytest.raises(ValidationError):
        services.link_replication(actor=admin, origin=c, adopting=b, adopted_on=dt.date(2024, 1, 1))


def test_linking_moves_the_whole_subtree(world):
    admin = world.user("admin")
    origin = PracticeFactory(organisation=world.agency)
    other = PracticeFactory(organisation=world.cell_a1)
    child = ReplicationFactory(origin=other, organisation=world.cell_b1).adopting
    services.link_replication(actor=admin, origin=origin, adopting=other, adopted_on=dt.date(2021, 1, 1))
    other.refresh_from_db()
    child.refresh_from_db()
    assert other.lineage_path.startswith(origin.lineage_path) and other.lineage_depth == 1
    assert child.lineage_path.startswith(other.lineage_path) and child.lineage_depth == 2
    assert [n.practice for n in selectors.lineage(practice=child, user=admin)] == [origin, other, child]


def test_lineage_reads_in_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    admin = world.user("admin")
    origin = PracticeFactory(organisation=world.agency)
    parent = origin
    for org in [world.cell_a1, world.cell_a2, world.cell_b1, world.ward_a, world.ward_b]:
        parent = ReplicationFactory(origin=parent, organisation=org).adopting
    with django_assert_max_num_queries(4):
        nodes = selectors.lineage(practice=origin, user=world.user("secretary"))
    assert [n.level for n in nodes] == [0, 1, 2, 3, 4, 5]
    # The secretary of ward A sees ward A's nodes; the others are placeholders (not public).
    assert [n.visible for n in nodes] == [False, True, True, False, True, False]
    everything = selectors.lineage(practice=origin, user=admin)
    with django_assert_max_num_queries(1):
        units = selectors.unit_map(everything)
    assert world.city in [u.org for u in units]


def test_photo_is_reencoded_without_exif_gps(world):
    practice = PracticeFactory(organisation=world.cell_a1)
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh thử"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (16.0, 49.0, 0.0)  # Đông Hà's latitude
    gps[3] = "E"
    gps[4] = (107.0, 5.0, 0.0)
    source = jpeg_bytes(exif=exif.tobytes())
    with Image.open(__import__("io").BytesIO(source)) as check:
        assert check.getexif().get_ifd(0x8825)  # the upload really carries GPS
    photo = services.add_photo(actor=world.user("secretary"), practice=practice,
                               upload=SimpleUploadedFile("gps.jpg", source, content_type="image/jpeg"))
    with photo.file.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert not image.getexif().get_ifd(0x8825)
        assert "exif" not in image.info
    assert photo.content_type == "image/jpeg"


def test_non_images_and_large_images_are_refused(world, settings):
    practice = PracticeFactory(organisation=world.cell_a1)
    fake = SimpleUploadedFile("anh.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        services.add_photo(actor=world.user("secretary"), practice=practice, upload=fake)
    assert "file" in caught.value.message_dict and "anh.jpg" in caught.value.message_dict["file"][0]
    big = jpeg_upload()
    big.size = 6 * 1024 * 1024  # over the 5 MB limit, as the upload declares it
    with pytest.raises(ValidationError) as caught:
        services.add_photo(actor=world.user("secretary"), practice=practice, upload=big)
    assert "5 MB" in caught.value.message_dict["file"][0]
    assert not practice.photos.exists()


def test_commendation_checks(world):
    practice = PracticeFactory(organisation=world.cell_a1, started_on=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError) as caught:
        services.add_commendation(actor=world.user("secretary"), practice=practice, title="", level="city",
                                  awarded_on=dt.date(2019, 1, 1), decision_number="")
    assert {"title", "awarded_on", "decision_number"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        services.add_commendation(actor=world.user("secretary"), practice=practice, title="Giấy khen",
                                  level="city", awarded_on=dt.date(2021, 1, 1), decision_number="1",
                                  person=world.person_b1)
    assert "person" in caught.value.message_dict
    commendation = services.add_commendation(actor=world.user("secretary"), practice=practice, title="Giấy khen",
                                             level="city", awarded_on=dt.date(2021, 1, 1), decision_number="12-QĐ/TU",
                                             person=world.person_a1)
    assert AuditEntry.objects.for_object(commendation).exists()


def test_merger_moves_running_practices_to_the_successor(world):
    running = PracticeFactory(organisation=world.ward_b, name="Tổ tự quản")
    stopped = PracticeFactory(organisation=world.ward_b, name="Cũ")
    services.update_practice(actor=superuser(), practice=stopped, status=PracticeStatus.STOPPED)
    target = OrganisationFactory(name="Đảng ủy phường mới", parent=world.city)
    org_services.merge_organisations(actor=superuser(), sources=[world.ward_b], target=target,
                                     effective_on=dt.date(2025, 7, 1))
    running.refresh_from_db()
    stopped.refresh_from_db()
    assert running.organisation == target
    assert stopped.organisation == world.ward_b


def test_evidence_link_to_another_record(world):
    from chithi.campaigns.tests.factories import PlanFactory, PlanTaskFactory

    practice = PracticeFactory(organisation=world.cell_a1)
    task_a = PlanTaskFactory(plan=PlanFactory(organisation=world.ward_a))
    task_b = PlanTaskFactory(plan=PlanFactory(organisation=world.ward_b))
    # A record of any room that declares its kind linkable (campaigns: plan tasks).
    link = services.link_evidence(actor=world.user("secretary"), practice=practice, target=task_a,
                                  note="Minh chứng")
    assert list(selectors.evidence_for(user=world.user("secretary"), target=task_a)) == [link]
    assert list(selectors.evidence_for(user=world.user("other_secretary"), target=task_a)) == []
    with pytest.raises(ValidationError):
        services.link_evidence(actor=world.user("secretary"), practice=practice, target=task_a)
    with pytest.raises(PermissionDenied):
        services.link_evidence(actor=world.user("secretary"), practice=practice, target=task_b)


def test_evidence_link_to_a_kind_no_room_declares_is_refused(world):
    practice = PracticeFactory(organisation=world.cell_a1)
    with pytest.raises(ValidationError) as caught:
        services.link_evidence(actor=world.user("admin"), practice=practice, target=world.user("secretary"))
    assert "target" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.link_evidence(actor=world.user("admin"), practice=practice, target=world.cell_a2)


def test_reach_counts_units_at_any_depth_and_drops_stopped_ones(world):
    admin = world.user("admin")
    origin = PracticeFactory(organisation=world.agency)
    first = ReplicationFactory(origin=origin, organisation=world.cell_a1).adopting
    ReplicationFactory(origin=first, organisation=world.cell_a2, adopted_on=dt.date(2023, 1, 1))
    ReplicationFactory(origin=first, organisation=world.agency, adopted_on=dt.date(2023, 1, 1), name="Tại chỗ")
    origin.refresh_from_db()
    first.refresh_from_db()
    assert origin.reach == 2  # cell A1 and cell A2; the agency's own replication-of-a-replication is not "spread"
    assert first.reach == 2  # cell A2 and the agency
    services.update_practice(actor=admin, practice=first, status=PracticeStatus.STOPPED)
    origin.refresh_from_db()
    assert origin.reach == 1


def test_replication_is_audited_on_both_sides_and_stopped_practices_cannot_spread(world):
    admin = world.user("admin")
    origin = PracticeFactory(organisation=world.agency)
    replication = services.replicate_practice(actor=admin, origin=origin, organisation=world.cell_a1,
                                              adopted_on=dt.date(2022, 1, 1))
    assert AuditEntry.objects.for_object(replication).get().org_path == world.agency.path
    assert AuditEntry.objects.for_object(replication.adopting).get().org_path == world.cell_a1.path
    assert AuditEntry.objects.for_object(origin).filter(action="update").exists()  # marked "replicated"
    services.update_practice(actor=admin, practice=origin, status=PracticeStatus.STOPPED)
    with pytest.raises(ValidationError) as caught:
        services.replicate_practice(actor=admin, origin=origin, organisation=world.cell_a2,
                                    adopted_on=dt.date(2022, 1, 1))
    assert "origin" in caught.value.message_dict


def test_update_follows_one_rule_for_absent_none_and_unchanged_values(world):
    practice = PracticeFactory(organisation=world.cell_a1, name="Hũ gạo", description="Mô tả cũ")
    secretary = world.user("secretary")
    entries = AuditEntry.objects.for_object(practice)
    assert entries.count() == 1
    services.update_practice(actor=secretary, practice=practice, name=" Hũ gạo ", description="Mô tả cũ")
    assert entries.count() == 1  # nothing changed: nothing written, nothing audited
    practice = services.update_practice(actor=secretary, practice=practice, description=None, name="Hũ  gạo mới")
    practice.refresh_from_db()
    assert practice.description == "" and practice.name == "Hũ gạo mới" and practice.name_key == "hu gao moi"
    assert practice.fields == ",welfare,"  # left out: kept
    assert entries.count() == 2
    with pytest.raises(ValidationError) as caught:
        services.update_practice(actor=secretary, practice=practice, started_on=None)
    assert "started_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.update_practice(actor=secretary, practice=practice, name_key="khac", organisation=world.cell_a2)
    assert {"name_key", "organisation"} <= set(caught.value.message_dict)


def test_children_and_moves_show_on_the_history_of_what_they_belong_to(world):
    """audit.record(related=): an indicator, a result, a replication on the practice (origin)'s history, a move
    by restructuring on the retired unit's."""
    admin = world.user("admin")
    practice = PracticeFactory(organisation=world.ward_b, name="Tổ tự quản")
    indicator = IndicatorFactory(practice=practice)
    services.record_result(actor=admin, indicator=indicator, period_start=dt.date(2024, 1, 1),
                           period_end=dt.date(2024, 6, 30), actual=5)
    adopting = ReplicationFactory(origin=practice, organisation=world.cell_a1).adopting
    kinds = {entry.content_type.model for entry in AuditEntry.objects.for_object(practice)}
    assert {"practice", "indicator", "result"} <= kinds
    assert AuditEntry.objects.for_object(practice).filter(object_id=str(adopting.pk)).exists()
    target = OrganisationFactory(name="Đảng ủy phường mới", parent=world.city)
    org_services.merge_organisations(actor=superuser(), sources=[world.ward_b], target=target,
                                     effective_on=dt.date(2025, 7, 1))
    assert AuditEntry.objects.for_object(world.ward_b).filter(action="move", object_id=str(practice.pk)).exists()
