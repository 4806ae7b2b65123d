"""Demo data for the public site: news categories, a dozen articles on the directive in Đông Hà (written in our own
words; the source article is named with its headline, summarised and linked, never copied), reader feedback in
every state, and the public search index over everything public."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chithi.core.demo import DemoContext
from chithi.orgs.models import Organisation

from . import search, services
from .models import Article, Category

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

CATEGORIES = [
    ("Chỉ thị 05", "chi-thi-05", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."),
    ("Mô hình, cách làm hay", "mo-hinh-cach-lam-hay", "Những mô hình được xây dựng và nhân rộng ở cơ sở."),
    ("Đối thoại với Nhân dân", "doi-thoai", "Lãnh đạo gặp gỡ, đối thoại và giải quyết kiến nghị của người dân."),
    ("Tin hoạt động", "tin-hoat-dong", "Hoạt động của các cấp ủy, chính quyền, Mặt trận và đoàn thể."),
]


@dataclass
class DemoArticle:
    title: str
    category: str
    when: dt.datetime | None  # None: not published (see state)
    summary: str
    paragraphs: list[str]
    picture: str = ""  # a practices.demo palette, drawn at seed time
    alt: str = ""
    caption: str = ""
    byline: str = "Ban Tuyên giáo"
    source: tuple[str, str] = ("", "")
    featured: bool = False
    practices: list[str] = field(default_factory=list)
    issue_category: str = ""
    state: str = "published"  # or "review", "draft", "scheduled"


def _at(year: int, month: int, day: int, hour: int = 8) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=TZ)


ARTICLES = [
    DemoArticle(
        "Chuyển biến trong học tập và làm theo Bác ở Đông Hà", "chi-thi-05", _at(2020, 9, 14),
        "Báo Quảng Trị ghi nhận cách Đông Hà thực hiện Chỉ thị 05: mỗi năm Ban Thường vụ Thành ủy chọn một chủ đề "
        "và khâu đột phá, các tổ chức cơ sở đảng cụ thể hóa bằng kế hoạch riêng, nhiều mô hình hay được nhân rộng.",
        ["<h2>Tóm tắt</h2>",
         "<p>Bài viết của báo Quảng Trị điểm lại những năm 2017–2020: chủ đề năm được chọn từ thực tiễn địa phương, "
         "lãnh đạo thành phố thường xuyên xuống cơ sở, đối thoại trực tiếp với cán bộ, đảng viên và Nhân dân ở khu "
         "dân cư, tổ công tác của Thành ủy theo dõi các phường, và lễ chào cờ đầu tháng được duy trì.</p>",
         "<p>Bài cũng nêu các mô hình của Công an, Quân sự, Hội LHPN, Thành đoàn, Hội CCB và Trường THPT chuyên "
         "Lê Quý Đôn. Đây là bản tóm tắt bằng lời của chúng tôi; toàn văn xem tại nguồn.</p>"],
        picture="police", alt="Cán bộ công an ngồi cùng người dân trong nhà, hướng dẫn điền tờ khai",
        caption="Cán bộ đến tận nhà giúp người dân làm thủ tục (ảnh minh họa)", byline="Thanh Tuyền",
        source=("Báo Quảng Trị", "http://baoquangtri.vn"), practices=["Nghe dân nói, nói dân hiểu, làm dân tin"]),
    DemoArticle(
        "Năm 2017: nâng cao chất lượng đội ngũ cán bộ, đảng viên", "chi-thi-05", _at(2017, 2, 20),
        "Ban Thường vụ Thành ủy Đông Hà chọn chủ đề năm 2017 cho việc thực hiện Chỉ thị 05; mỗi chi bộ đưa chủ đề "
        "vào kế hoạch và sinh hoạt hằng tháng.",
        ["<p>Chủ đề năm được phổ biến tới từng chi bộ. Mỗi đảng viên đăng ký việc làm cụ thể và tự liên hệ trong "
         "buổi sinh hoạt chi bộ hằng tháng.</p>", "<ul><li>Kế hoạch của từng tổ chức cơ sở đảng</li>"
         "<li>Đánh giá hằng quý</li><li>Sơ kết giữa năm</li></ul>"]),
    DemoArticle(
        "Năm 2018: đề cao kỷ luật, kỷ cương trong hệ thống chính trị", "chi-thi-05", _at(2018, 2, 26),
        "Chủ đề năm 2018 tập trung vào chất lượng hoạt động của hệ thống chính trị và kỷ luật, kỷ cương của cán "
        "bộ, đảng viên.", ["<p>Các cơ quan rà soát quy chế làm việc, công khai thời hạn giải quyết công việc "
                          "cho người dân và tổ chức.</p>"]),
    DemoArticle(
        "Năm 2019: phát huy vai trò, trách nhiệm của người đứng đầu", "chi-thi-05", _at(2019, 2, 18),
        "Người đứng đầu cấp ủy, cơ quan nêu gương trước; cán bộ, đảng viên giữ tính tiền phong, gương mẫu.",
        ["<p>Năm 2019, mỗi người đứng đầu đăng ký một việc làm theo Bác và báo cáo kết quả trước chi bộ.</p>"],
        picture="law", alt="Hội nghị cán bộ trong hội trường, phía trước là sân khấu", caption="Hội nghị quán "
        "triệt chủ đề năm 2019 (ảnh minh họa)"),
    DemoArticle(
        "Thường trực Thành ủy đối thoại với Nhân dân khu dân cư", "doi-thoai", _at(2020, 6, 12, 15),
        "Buổi đối thoại trực tiếp ở khu dân cư giúp lãnh đạo thành phố nắm những vấn đề bức xúc: giải phóng mặt "
        "bằng, trật tự và văn minh đô thị, sinh kế của người dân.",
        ["<p>Các kiến nghị được ghi nhận, giao đơn vị giải quyết và theo dõi đến khi trả lời người dân.</p>",
         "<blockquote><p>Việc gì dân hỏi, chúng tôi trả lời bằng văn bản và hẹn ngày cụ thể.</p></blockquote>"],
        picture="traffic", alt="Người dân ngồi thành hàng trong nhà văn hóa khu phố nghe lãnh đạo phát biểu",
        caption="Đối thoại tại nhà văn hóa khu phố (ảnh minh họa)", issue_category="trat-tu-do-thi"),
    DemoArticle(
        "Chào cờ và sinh hoạt tư tưởng dưới cờ sáng thứ Hai đầu tháng", "tin-hoat-dong", _at(2019, 3, 4, 7),
        "Các cơ quan đảng, chính quyền, Mặt trận và đoàn thể thành phố chào cờ vào sáng thứ Hai tuần đầu tháng, "
        "kết hợp sinh hoạt tư tưởng ngắn.", ["<p>Mỗi buổi chào cờ có một nội dung ngắn về tấm gương đạo đức "
                                            "Hồ Chí Minh và việc của cơ quan trong tháng.</p>"]),
    DemoArticle(
        "“Hũ gạo tình thương” của Hội Phụ nữ lan tới các chi hội", "mo-hinh-cach-lam-hay", _at(2020, 3, 8),
        "Mỗi bữa bớt một nắm gạo: mô hình của Hội LHPN thành phố giúp các hộ khó khăn và được nhiều chi hội "
        "nhân rộng.", ["<p>Gạo góp hằng tháng được trao cho hộ neo đơn, người ốm đau. Các chi hội ghi sổ công "
                       "khai từng lần nhận, lần trao.</p>"],
        picture="rice", alt="Những hũ gạo nhựa xếp hàng trên bàn, bên cạnh là sổ ghi chép",
        caption="Hũ gạo tình thương ở một chi hội phụ nữ (ảnh minh họa)",
        practices=["Hũ gạo tình thương", "Nuôi heo đất tiết kiệm"]),
    DemoArticle(
        "“Cột điện nở hoa”: thanh niên làm đẹp đường phố", "mo-hinh-cach-lam-hay", _at(2019, 8, 22),
        "Đoàn viên, thanh niên vẽ và trồng hoa quanh các cột điện, xóa quảng cáo rao vặt trên đường phố.",
        ["<p>Mỗi chi đoàn nhận một tuyến phố, chăm sóc hoa và giữ sạch cột điện.</p>"],
        picture="poles", alt="Cột điện được sơn màu và treo chậu hoa dọc vỉa hè",
        caption="Một tuyến phố sau khi làm “Cột điện nở hoa” (ảnh minh họa)", practices=["Cột điện nở hoa"]),
    DemoArticle(
        "Hội Cựu chiến binh nhân rộng chín mô hình", "mo-hinh-cach-lam-hay", _at(2020, 7, 27),
        "Hội CCB thành phố xây dựng và nhân rộng chín mô hình về phổ biến pháp luật, an ninh trật tự, an toàn "
        "giao thông và phát triển kinh tế ở khu dân cư.",
        ["<p>Theo Phó Chủ tịch Hội Trần Thanh Bình, các mô hình khẳng định vai trò gương mẫu của hội viên.</p>"],
        picture="security", alt="Hội viên cựu chiến binh mặc áo xanh đứng trước nhà văn hóa",
        caption="Hội viên cựu chiến binh tại khu dân cư (ảnh minh họa)"),
    DemoArticle(
        "Từ 1/7/2025, hai phường Đông Hà và Nam Đông Hà", "tin-hoat-dong", _at(2025, 7, 1),
        "Chính quyền địa phương hai cấp: các phường cũ của thành phố Đông Hà hợp thành phường Đông Hà và phường "
        "Nam Đông Hà thuộc tỉnh Quảng Trị mới.",
        ["<p>Hồ sơ, kế hoạch và phản ánh đang xử lý của các phường cũ chuyển sang phường mới tiếp nhận.</p>",
         "<p>Người dân tiếp tục gửi phản ánh tại trang <a href=\"/gop-y/\">Gửi phản ánh</a>.</p>"]),
    DemoArticle(
        "Phản ánh của người dân được trả lời trong bao lâu?", "doi-thoai", None,
        "Số liệu công khai mới: số phản ánh đã nhận, đã trả lời, trả lời đúng hạn và mức độ hài lòng, theo "
        "tháng, lĩnh vực và phường.",
        ["<p>Trang <a href=\"/so-lieu/\">Số liệu công khai</a> cập nhật mỗi ngày, không có thông tin cá nhân của "
         "người gửi.</p>"], picture="economy", alt="Biểu đồ cột vẽ trên bảng trắng trong phòng họp",
        caption="Số liệu phản ánh được công khai (ảnh minh họa)", featured=True,
        issue_category="trat-tu-do-thi"),
    DemoArticle(
        "Sinh hoạt chi bộ chuyên đề về học tập và làm theo Bác", "chi-thi-05", None,
        "Mỗi quý ít nhất một buổi sinh hoạt chuyên đề; đảng viên liên hệ bản thân và đăng ký việc làm cụ thể.",
        ["<p>Chi bộ chuẩn bị chuyên đề trước, gửi tài liệu cho đảng viên đọc trước buổi sinh hoạt.</p>"],
        state="scheduled"),
    DemoArticle(
        "Kết quả sơ kết 6 tháng đầu năm 2026", "tin-hoat-dong", None,
        "Bản nháp: số liệu sơ kết sẽ cập nhật khi các chi bộ nộp báo cáo.", ["<p>Đang tổng hợp.</p>"],
        state="review"),
    DemoArticle(
        "Ghi chép: một ngày với tổ công tác của phường", "tin-hoat-dong", None,
        "Bản nháp của phóng viên.", ["<p>Đang viết.</p><script>alert('thử')</script>"], state="draft"),
]

FEEDBACK = [
    # (article index, name, message, state, answer)
    (0, "Nguyễn Văn Hùng", "Bài viết rất thiết thực. Mong có thêm tin về mô hình của các phường.", "answered",
     "Cảm ơn bạn. Chuyên mục Mô hình, cách làm hay sẽ cập nhật thường xuyên."),
    (0, "Lê Thị Mai", "Công an đến tận nhà giúp làm căn cước cho mẹ tôi, rất cảm ơn các anh.", "published", ""),
    (0, "Trần Quốc", "Quảng cáo bán hàng, xem tại trang của tôi!", "rejected", ""),
    (6, "Phạm Thị Lan", "Chi hội tôi muốn làm hũ gạo, liên hệ ai để được hướng dẫn?", "pending", ""),
    (10, "Hoàng Minh", "Nên có số liệu theo từng tháng để so sánh.", "answered",
     "Trang số liệu đã có bảng và biểu đồ theo tháng, lĩnh vực và phường."),
    (10, "Võ Thị Hạnh", "<script>alert(1)</script> Đèn đường khu phố tôi hỏng đã lâu.", "pending", ""),
    (7, "Đặng Văn Tú", "Tuyến phố nhà tôi đẹp hơn hẳn, cảm ơn các bạn đoàn viên.", "published", ""),
]


def seed_categories(ctx: DemoContext) -> None:
    for order, (name, slug, description) in enumerate(CATEGORIES):
        services.create_category(actor=None, name=name, slug=slug, description=description, sort_order=order * 10)


def _picture(ctx: DemoContext, article: Article, spec: DemoArticle) -> None:
    from chithi.practices.demo import draw_picture

    upload = SimpleUploadedFile(f"{spec.picture}.jpg", draw_picture(spec.picture, ctx.rng), content_type="image/jpeg")
    image = services.add_image(actor=ctx.actor, article=article, upload=upload, alt=spec.alt, caption=spec.caption,
                               credit="Ban Tuyên giáo", lead=True)
    # A second picture in the body of the source article's summary shows a figure between paragraphs.
    if spec.source[0]:
        services.update_article(actor=ctx.actor, article=article,
                                body=article.body + f"<p>[ảnh:{image.pk}]</p>")


def seed_articles(ctx: DemoContext) -> None:
    from chithi.dialogues.models import IssueCategory
    from chithi.orgs.demo import PROVINCE_OFFICE
    from chithi.practices.models import Practice

    city = Organisation.objects.get(code="TU-DH")
    city_department = Organisation.objects.filter(parent=city, name__contains="Tuyên giáo").first() or city
    # Today's news is the province department's (the city's ended on 30/06/2025 and took no more work); the
    # article's years were written by the city's department. A ceased unit takes no new record, so those are
    # written as the department's successor and handed back to it, as the dates are set back below.
    unit = Organisation.objects.filter(name=PROVINCE_OFFICE).first() or city_department
    reform = dt.datetime(2025, 7, 1, tzinfo=TZ)
    categories = {c.slug: c for c in Category.objects.all()}
    now = timezone.now()
    made: list[Article] = []
    for index, spec in enumerate(ARTICLES):
        practices = list(Practice.objects.public().filter(name__in=spec.practices))
        issue_category = IssueCategory.objects.filter(code=spec.issue_category).first()
        article = services.create_article(
            actor=ctx.actor, organisation=unit, category=categories[spec.category], title=spec.title,
            summary=spec.summary, body="".join(spec.paragraphs), source_name=spec.source[0],
            byline=("Ban Tuyên giáo và Dân vận Tỉnh ủy" if spec.byline == "Ban Tuyên giáo" and (
                spec.when is None or spec.when >= reform) else spec.byline),
            source_url=spec.source[1], featured=spec.featured, practices=practices, issue_category=issue_category)
        if spec.picture:
            _picture(ctx, article, spec)
        if spec.state == "draft":
            made.append(article)
            continue
        services.submit_article(actor=ctx.actor, article=article)
        if spec.state == "published":
            services.publish_article(actor=ctx.actor, article=article)
            # Back-dated to when the news happened (the service publishes "now"); newest demo news last week.
            when = spec.when or now - dt.timedelta(days=7 - index % 5)
            then = {"organisation": city_department} if when < reform else {}
            Article.objects.filter(pk=article.pk).update(published_at=when, created_at=when, **then)
        elif spec.state == "scheduled":
            services.publish_article(actor=ctx.actor, article=article, publish_at=now + dt.timedelta(days=3))
        made.append(article)
    for index, name, message, state, answer in FEEDBACK:
        article = Article.objects.get(pk=made[index].pk)
        item = services.submit_feedback(article=article, name=name, email=f"bandoc{index}@example.vn",
                                        message=message, show_name=name != "Hoàng Minh")
        if state == "published":
            services.approve_feedback(actor=ctx.actor, feedback=item)
        elif state == "answered":
            services.answer_feedback(actor=ctx.actor, feedback=item, answer=answer)
        elif state == "rejected":
            services.reject_feedback(actor=ctx.actor, feedback=item, reason="Quảng cáo")


def seed_search_index(ctx: DemoContext) -> None:
    """Citizens rate about two answers in three (the figures' satisfaction), then everything public is indexed
    once: the demo writes issues with bulk updates, which the index does not hear about."""
    from django.core.exceptions import ValidationError

    from chithi.dialogues import services as dialogues
    from chithi.dialogues.models import Issue, IssueStatus

    for issue in Issue.objects.filter(status=IssueStatus.ANSWERED, rating__isnull=True).order_by("pk"):
        if ctx.rng.random() < 0.65:
            try:
                dialogues.rate_issue(issue=issue, rating=ctx.rng.choices([5, 4, 3, 2, 1], [40, 30, 15, 10, 5])[0],
                                     comment="")
            except ValidationError:
                continue  # past the rating window
    search.rebuild()
