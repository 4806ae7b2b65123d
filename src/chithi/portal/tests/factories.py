"""Test data for the public site; everything is written through the services, as the pages would."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from chithi.orgs.tests.factories import superuser
from chithi.portal import services
from chithi.portal.models import Article, Category, Feedback


def category(slug: str = "chi-thi-05", name: str = "Chỉ thị 05") -> Category:
    return Category.objects.filter(slug=slug).first() or services.create_category(actor=None, name=name, slug=slug)


def article(*, unit: Any, title: str = "Đông Hà học tập và làm theo Bác", state: str = "published",
            body: str = "<p>Nội dung bài viết về Chỉ thị 05.</p>", summary: str = "Tóm tắt bài viết.",
            when: dt.datetime | None = None, cat: Category | None = None, **extra: Any) -> Article:
    """An article of `unit` in `state` ("draft", "review", "published", "scheduled"), back-dated to `when`."""
    actor = superuser()
    made = services.create_article(actor=actor, organisation=unit, category=cat or category(), title=title,
                                   summary=summary, body=body, **extra)
    if state != "draft":
        services.submit_article(actor=actor, article=made)
    if state == "published":
        services.publish_article(actor=actor, article=made)
        if when is not None:
            Article.objects.filter(pk=made.pk).update(published_at=when)
    elif state == "scheduled":
        services.publish_article(actor=actor, article=made, publish_at=when or timezone.now() + dt.timedelta(days=1))
    return Article.objects.get(pk=made.pk)


def feedback(on: Article, *, name: str = "Nguyễn Văn Riêng", email: str = "rieng.tu@example.vn",
             message: str = "Bài viết hay, cảm ơn.", state: str = "pending", answer: str = "Cảm ơn bạn.") -> Feedback:
    item = services.submit_feedback(article=on, name=name, email=email, message=message)
    if state == "published":
        item = services.approve_feedback(actor=superuser(), feedback=item)
    elif state == "answered":
        item = services.answer_feedback(actor=superuser(), feedback=item, answer=answer)
    elif state == "rejected":
        item = services.reject_feedback(actor=superuser(), feedback=item, reason="quảng cáo")
    return item


def jpeg(width: int = 1600, height: int = 1000, *, gps: bool = False, name: str = "anh.jpg") -> SimpleUploadedFile:
    """A JPEG photo; with `gps`, it carries EXIF with a camera model and GPS coordinates."""
    picture = Image.new("RGB", (width, height), (180, 40, 40))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x0110] = "Camera Đông Hà"  # Model
        exif[0x8825] = {1: "N", 2: (16.0, 49.0, 0.0), 3: "E", 4: (107.0, 6.0, 0.0)}  # GPSInfo
        picture.save(out, format="JPEG", exif=exif)
    else:
        picture.save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def answered_issue(*, world: Any, description: str = "Đèn đường khu phố 3 hỏng đã lâu", answer: str = "Đã sửa xong.",
                   reporter_name: str = "Trần Văn Kín", rating: int | None = None, **extra: Any) -> Any:
    """A citizen's web issue taken through accept, assign, start and answer by the city's staff."""
    from chithi.dialogues import services as dialogues
    from chithi.dialogues.tests.factories import IssueFactory

    actor = superuser()
    issue = IssueFactory(description=description, reporter_name=reporter_name, **extra)
    dialogues.accept_issue(actor=actor, issue=issue, note="")
    dialogues.assign_issue(actor=actor, issue=issue, unit=world.ward_a, reason="", kind="assign")
    dialogues.start_issue(actor=actor, issue=issue)
    issue = dialogues.answer_issue(actor=actor, issue=issue, answer=answer)
    if rating is not None:
        issue = dialogues.rate_issue(issue=issue, rating=rating)
    return issue
