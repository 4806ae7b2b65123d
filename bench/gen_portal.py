"""Generator step of the portal room: four news categories and NATIONAL_ARTICLES published articles over five
years from the provinces and wards (one in fifty featured), with reader feedback under one in ten — the rows as
portal.services writes them (search_text over title, summary, body text, byline, category and unit). The public
search index is not built here: `manage.py portal_reindex` builds it (bench/portal_setup.py times that)."""

from __future__ import annotations

import datetime as dt

from django.utils.text import slugify
from harness import GenContext, generator_step

from chithi.core.text import fold
from chithi.portal.models import Article, ArticleVersion, Category, Feedback

NATIONAL_ARTICLES = 100_000
CATEGORIES = [("Thực hiện Chỉ thị 05", "chi-thi-05"), ("Mô hình hay", "mo-hinh-hay"),
              ("Đối thoại với Nhân dân", "doi-thoai"), ("Tin hoạt động", "tin-hoat-dong")]
TOPICS = ["Đối thoại với Nhân dân khu phố", "Mô hình Hũ gạo tình thương", "Chào cờ đầu tháng", "Sinh hoạt chi bộ",
          "Cột điện nở hoa", "Giải phóng mặt bằng", "Trật tự đô thị", "Văn minh đô thị", "Học tập và làm theo Bác",
          "Tổ công tác của phường", "Hỗ trợ thủ tục tại nhà", "Nghe dân nói, nói dân hiểu, làm dân tin"]
PARAGRAPH = ("Thực hiện Chỉ thị 05-CT/TW, cấp ủy và chính quyền tiếp tục đối thoại trực tiếp với Nhân dân, giải "
             "quyết kịp thời những vấn đề bức xúc về giải phóng mặt bằng, trật tự đô thị và văn minh đô thị. Các chi "
             "bộ đưa nội dung học tập và làm theo Bác vào sinh hoạt hằng tháng.")
BODY = "<h2>Kết quả</h2>" + f"<p>{PARAGRAPH}</p>" * 4
BODY_TEXT = "Kết quả\n" + "\n".join([PARAGRAPH] * 4)
BYLINE = "Ban Tuyên giáo"


@generator_step("portal", after=("orgs",))
def portal(ctx: GenContext) -> None:
    units = ctx.shared["units"]
    writers = [(pk, name) for pk, path, name in units if path.count("/") <= 3]  # centre, provinces, wards
    rng = ctx.rng()
    with ctx.rows_of(Category, ["id", "name", "slug", "sort_order"]) as rows:
        for pk, (name, slug) in enumerate(CATEGORIES, start=1):
            rows.add(pk, name, slug, pk * 10)
    count = ctx.count(NATIONAL_ARTICLES)
    written: list[tuple[int, str, str, dt.datetime]] = []
    body_folded = {n: " ".join([fold(BODY_TEXT), fold(BYLINE), fold(name)])
                   for n, (name, _slug) in enumerate(CATEGORIES, start=1)}
    folded_units = {pk: fold(name) for pk, name in writers}
    fields = ["id", "organisation_id", "category_id", "title", "slug", "summary", "body", "body_text", "byline",
              "featured", "status", "published_at", "version", "search_text", "created_at", "updated_at"]
    with ctx.rows_of(Article, fields) as rows:
        for number in range(count):
            pk = number + 1
            unit, _unit_name = writers[int(rng.random() * len(writers))]
            category = 1 + number % len(CATEGORIES)
            published = ctx.now - dt.timedelta(minutes=60 + int(rng.random() * 60 * 24 * 1825))
            title = f"{TOPICS[number % len(TOPICS)]}: bài số {pk}"
            summary = f"Tin về {TOPICS[(number * 7) % len(TOPICS)].lower()}, kỳ {pk}."
            # fold(" ".join(parts)) as the services write it; fold works character by character and collapses
            # spaces, so the long body and the other fixed parts are folded once, not once an article.
            search_text = " ".join([fold(title), fold(summary), body_folded[category], folded_units[unit]])
            rows.add(pk, unit, category, title, slugify(fold(title)), summary, BODY, BODY_TEXT, BYLINE,
                     number % 50 == 0, "published", published, 1, search_text, published, published)
            written.append((pk, title, summary, published))
    with ctx.rows_of(ArticleVersion, ["article_id", "number", "title", "summary", "body", "created_at"]) as rows:
        for pk, title, summary, published in written:  # the first save writes version 1, as the services do
            rows.add(pk, 1, title, summary, BODY, published)
    with ctx.rows_of(Feedback, ["article_id", "name", "email", "show_name", "message", "status", "answer",
                                "answered_at", "moderated_at", "created_at", "updated_at"]) as rows:
        for article, _title, _summary, published in written[::10]:
            moment = published + dt.timedelta(hours=3)
            rows.add(article, "Nguyễn Văn An", "an@example.vn", True,
                     "Bài viết thiết thực, mong có thêm tin về khu phố.", "answered", "Cảm ơn bạn.", moment, moment,
                     moment, moment)
