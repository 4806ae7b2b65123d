"""Articles: the workflow, sanitised bodies with what was removed, versions, slugs, scheduling, pictures."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from chithi.core.models import AuditEntry
from chithi.portal import services
from chithi.portal.models import Article, ArticleStatus, ArticleVersion

from .factories import article, category, jpeg

pytestmark = pytest.mark.django_db


def test_slug_is_the_title_without_marks_and_numbered_when_taken(world):
    first = article(unit=world.ward_a, title="Đông Hà: học tập và làm theo Bác")
    second = article(unit=world.ward_a, title="Đông Hà: học tập và làm theo Bác")
    assert first.slug == "dong-ha-hoc-tap-va-lam-theo-bac"
    assert second.slug == "dong-ha-hoc-tap-va-lam-theo-bac-2"


def test_a_chosen_slug_that_is_taken_is_refused_naming_the_other_article(world):
    first = article(unit=world.ward_a, title="Chào cờ đầu tháng")
    with pytest.raises(ValidationError) as caught:
        services.create_article(actor=world.user("staff"), organisation=world.ward_a, category=category(),
                                title="Bài khác", summary="Tóm tắt", slug=first.slug)
    message = caught.value.message_dict["slug"][0]
    assert "Chào cờ đầu tháng" in message and f"{first.slug}-2" in message
    assert Article.objects.count() == 1  # nothing half-written


def test_script_and_event_handlers_are_removed_and_the_editor_is_told(world):
    made = services.create_article(
        actor=world.user("staff"), organisation=world.ward_a, category=category(), title="Bài có mã độc",
        summary="Tóm tắt",
        body='<h2 onclick="steal()">Tiêu đề</h2><p style="x">Đoạn <a href="javascript:alert(1)">xem</a>'
             '<a href="https://baoquangtri.vn">nguồn</a></p><script>alert("x")</script><img src=x onerror=alert(1)>')
    assert "<script" not in made.body and "onclick" not in made.body and "javascript" not in made.body
    assert "alert" not in made.body and "<img" not in made.body
    assert '<a href="https://baoquangtri.vn" rel="noopener noreferrer">nguồn</a>' in made.body
    removed = " ".join(made.removed)
    assert "<script>" in removed and "onclick" in removed and "javascript:" in removed and "<img>" in removed
    assert ArticleVersion.objects.get(article=made).removed  # kept for the editor on the version


def test_writer_drafts_editor_publishes_and_the_history_records_it(world):
    draft = services.create_article(actor=world.user("staff"), organisation=world.ward_a, category=category(),
                                    title="Tin phường", summary="Tóm tắt", body="<p>Nội dung</p>")
    assert draft.status == ArticleStatus.DRAFT
    submitted = services.submit_article(actor=world.user("staff"), article=draft)
    assert submitted.status == ArticleStatus.REVIEW
    with pytest.raises(Exception) as refused:  # staff may write but not publish: nothing offered, 404
        services.publish_article(actor=world.user("staff"), article=submitted)
    assert refused.type.__name__ == "PermissionDenied"
    published = services.publish_article(actor=world.user("secretary"), article=submitted)
    assert published.is_live and published.reviewed_by == world.user("secretary")
    notes = list(AuditEntry.objects.for_object(published).values_list("note", flat=True))
    assert "đã đăng" in notes or "published" in notes


def test_a_scheduled_time_in_the_past_is_refused_and_nothing_changes(world):
    waiting = article(unit=world.ward_a, state="review")
    with pytest.raises(ValidationError) as caught:
        services.publish_article(actor=world.user("secretary"), article=waiting,
                                 publish_at=timezone.now() - dt.timedelta(hours=2))
    assert "publish_at" in caught.value.message_dict
    waiting.refresh_from_db()
    assert waiting.status == ArticleStatus.REVIEW and waiting.published_at is None


def test_a_scheduled_article_stays_hidden_until_its_time(world, client):
    later = article(unit=world.ward_a, title="Tin hẹn giờ", state="scheduled",
                    when=timezone.now() + dt.timedelta(hours=3))
    assert later.is_scheduled and not later.is_live
    assert client.get(later.get_public_url()).status_code == 404
    Article.objects.filter(pk=later.pk).update(published_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get(later.get_public_url()).status_code == 200


def test_editing_a_published_article_keeps_its_earlier_versions(world):
    live = article(unit=world.ward_a, title="Bản đầu", body="<p>Lần một</p>")
    services.update_article(actor=world.user("secretary"), article=live, title="Bản sửa", body="<p>Lần hai</p>")
    versions = list(ArticleVersion.objects.filter(article=live).order_by("number").values_list("title", "body"))
    assert versions == [("Bản đầu", "<p>Lần một</p>"), ("Bản sửa", "<p>Lần hai</p>")]
    live.refresh_from_db()
    assert live.version == 2 and live.status == ArticleStatus.PUBLISHED


def test_a_writer_cannot_edit_what_is_published(world):
    live = article(unit=world.ward_a)
    with pytest.raises(Exception) as refused:
        services.update_article(actor=world.user("staff"), article=live, title="Sửa lén")
    assert refused.type.__name__ == "PermissionDenied"


def test_a_picture_loses_its_exif_and_gps_and_is_kept_in_phone_widths(world):
    live = article(unit=world.ward_a)
    image = services.add_image(actor=world.user("staff"), article=article(unit=world.ward_a, state="draft"),
                               upload=jpeg(1600, 1000, gps=True), alt="Cán bộ hướng dẫn người dân")
    assert sorted(image.renditions) == ["1440", "480", "960"]
    for path in [image.file.name, *image.renditions.values()]:
        with default_storage.open(path, "rb") as stored, Image.open(stored) as picture:
            assert not picture.getexif(), path  # no camera model, no GPS
    with default_storage.open(image.renditions["480"], "rb") as small, Image.open(small) as picture:
        assert picture.size == (480, 300)
    assert live.lead_image is None


def test_a_picture_without_a_text_alternative_is_refused(world):
    draft = article(unit=world.ward_a, state="draft")
    with pytest.raises(ValidationError) as caught:
        services.add_image(actor=world.user("staff"), article=draft, upload=jpeg(), alt="  ")
    assert "alt" in caught.value.message_dict
    assert not draft.images.exists()


def test_a_file_that_is_not_an_image_is_refused_clearly(world):
    draft = article(unit=world.ward_a, state="draft")
    fake = SimpleUploadedFile("anh.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        services.add_image(actor=world.user("staff"), article=draft, upload=fake, alt="Ảnh")
    assert "anh.jpg" in caught.value.message_dict["image"][0]
    assert not draft.images.exists()


def test_an_image_too_large_is_refused(world):
    draft = article(unit=world.ward_a, state="draft")
    big = SimpleUploadedFile("lon.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 10), content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        services.add_image(actor=world.user("staff"), article=draft, upload=big, alt="Ảnh lớn")
    assert "5 MB" in caught.value.message_dict["image"][0]


def test_pictures_are_placed_in_the_body_by_their_marker(world, client):
    live = article(unit=world.ward_a, title="Bài có ảnh")
    image = services.add_image(actor=world.user("secretary"), article=live, upload=jpeg(), alt="Hũ gạo tình thương",
                               caption="Trao gạo cho hộ khó khăn")
    services.update_article(actor=world.user("secretary"), article=live,
                            body=f"<p>Trước ảnh</p><p>[ảnh:{image.pk}]</p><p>[ảnh:999999]</p>")
    page = client.get(live.get_public_url()).content.decode()
    assert 'alt="Hũ gạo tình thương"' in page and "480w" in page and "960w" in page and "1440w" in page
    assert "Trao gạo cho hộ khó khăn" in page and "[ảnh:" not in page
    response = client.get(image.url(480))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(response.content)).size[0] == 480


def test_a_picture_of_an_unpublished_article_is_not_public(world, client):
    draft = article(unit=world.ward_a, state="draft")
    image = services.add_image(actor=world.user("staff"), article=draft, upload=jpeg(), alt="Ảnh nháp")
    assert client.get(image.url(480)).status_code == 404
    client.force_login(world.user("staff"))
    assert client.get(image.url(480)).status_code == 200


def test_a_typed_address_with_vietnamese_marks_is_folded_not_refused_in_english(world):
    """A tester typed "bài viết mới" as the web address and got Django's English "Enter a valid slug"."""
    from chithi.portal.forms import ArticleForm

    form = ArticleForm({"slug": "  Bài viết mới: Đông Hà!  "}, user=world.user("staff"))
    form.is_valid()
    assert "slug" not in form.errors and form.cleaned_data["slug"] == "bai-viet-moi-dong-ha"
    nothing = ArticleForm({"slug": "!!!"}, user=world.user("staff"))
    nothing.is_valid()
    assert "slug" not in nothing.errors and nothing.cleaned_data["slug"] == "!!!"  # the service says why, in Vietnamese


def test_the_staff_article_list_reads_as_written_words(world, client):
    """Seen in the demo: the last column of /tin-bai/ was headed "thời điểm cập nhật", the model's field name."""
    from chithi.core.testing import wording_problems

    article(unit=world.ward_a)
    client.force_login(world.user("secretary"))
    body = client.get("/tin-bai/").content.decode()
    assert "Cập nhật lần cuối" in body and wording_problems(body) == []


def test_a_merger_hands_the_unpublished_articles_to_the_successor(world):
    """A merged ward's drafts, articles waiting for review and articles scheduled after the merger stayed with the
    ceased ward: its successor's staff could not finish them, and the merged ward's staff have no role left."""
    from chithi.orgs import services as org_services
    from chithi.orgs.tests.factories import OrganisationFactory, superuser

    merged_on = dt.date(2025, 7, 1)
    draft = article(unit=world.ward_b, title="Bản nháp của phường", state="draft")
    waiting = article(unit=world.ward_b, title="Bài chờ duyệt", state="review")
    published = article(unit=world.ward_b, title="Bài đã đăng",
                        when=timezone.make_aware(dt.datetime(2025, 3, 1, 8, 0)))
    target = OrganisationFactory(name="Đảng ủy phường mới", parent=world.city)
    org_services.merge_organisations(actor=superuser(), sources=[world.ward_b], target=target,
                                     effective_on=merged_on)
    for item in (draft, waiting, published):
        item.refresh_from_db()
    assert draft.organisation == target and waiting.organisation == target
    assert waiting.status == ArticleStatus.REVIEW  # the step it was at carries on
    assert published.organisation == world.ward_b  # who published it stays in its history
    moved = AuditEntry.objects.get(object_id=str(draft.pk), action="move")
    assert "Đông Lễ" in moved.note or world.ward_b.name in moved.note
