"""Public pages: the home page's news and figures, categories, the article page, feeds, the sitemap, canonical and
Open Graph tags, the page cache and its invalidation on publish."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from chithi.core import pagecache
from chithi.portal import services

from .factories import article, category, feedback, jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://chithi.example.vn"


def test_home_shows_the_lead_story_the_latest_news_and_the_figures(world, client):
    lead = article(unit=world.ward_a, title="Tin nổi bật về đối thoại", featured=True)
    article(unit=world.ward_a, title="Tin thường về chào cờ")
    article(unit=world.ward_a, title="Bản nháp không hiện", state="draft")
    page = client.get("/").content.decode()
    assert lead.title in page and "Tin thường về chào cờ" in page and "Bản nháp không hiện" not in page
    assert page.index(lead.title) < page.index("Tin thường về chào cờ")
    assert "Phản ánh, kiến nghị của người dân trong 12 tháng qua" in page
    assert '<link rel="canonical" href="https://chithi.example.vn/">' in page


def test_article_page_has_canonical_open_graph_other_and_latest_news(world, client):
    cat = category("doi-thoai", "Đối thoại")
    older = article(unit=world.ward_a, title="Tin cũ cùng chuyên mục", cat=cat,
                    when=timezone.now() - dt.timedelta(days=5))
    live = article(unit=world.ward_a, title="Đối thoại ở khu phố 3", cat=cat, byline="Thanh Tuyền",
                   source_name="Báo Quảng Trị", source_url="http://baoquangtri.vn")
    services.add_image(actor=world.user("secretary"), article=live, upload=jpeg(), alt="Người dân dự đối thoại")
    page = client.get(live.get_public_url()).content.decode()
    assert f'<link rel="canonical" href="https://chithi.example.vn{live.get_public_url()}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert re.search(r'<meta property="og:image" content="https://chithi\.example\.vn/tin-tuc/anh/\d+/960/">', page)
    assert "Các tin khác" in page and older.title in page and "Mới nhất" in page
    assert "Thanh Tuyền" in page and 'href="http://baoquangtri.vn"' in page


def test_related_practices_and_answered_issues_are_linked(world, client):
    from chithi.practices.tests.factories import PracticeFactory

    from .factories import answered_issue

    shown = PracticeFactory(name="Hũ gạo tình thương", organisation=world.cell_a1, is_public=True, fields=["welfare"])
    issue = answered_issue(world=world, answer="Đã lắp lại đèn đường.")
    live = article(unit=world.ward_a, practices=[shown], issue_category=issue.category)
    page = Client().get(live.get_public_url()).content.decode()
    assert shown.get_public_url() in page and "Đã lắp lại đèn đường." in page
    assert issue.tracking_code not in page and issue.reporter_name not in page


def test_category_page_lists_only_its_live_articles(world, client):
    mine, other = category("mo-hinh", "Mô hình"), category("tin", "Tin hoạt động")
    article(unit=world.ward_a, title="Tin mô hình", cat=mine)
    article(unit=world.ward_a, title="Tin hoạt động khác", cat=other)
    page = client.get("/tin-tuc/chuyen-muc/mo-hinh/").content.decode()
    assert "Tin mô hình" in page and "Tin hoạt động khác" not in page
    assert client.get("/tin-tuc/chuyen-muc/khong-co/").status_code == 404


def test_feeds_per_category_in_rss_and_atom_with_absolute_links(world, client):
    mine, other = category("mo-hinh", "Mô hình"), category("tin", "Tin hoạt động")
    live = article(unit=world.ward_a, title="Cột điện nở hoa", cat=mine)
    article(unit=world.ward_a, title="Tin khác chuyên mục", cat=other)
    article(unit=world.ward_a, title="Bản nháp", cat=mine, state="draft")
    rss = client.get("/tin-tuc/chuyen-muc/mo-hinh/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert "Cột điện nở hoa" in body and "Tin khác chuyên mục" not in body and "Bản nháp" not in body
    assert f"<link>https://chithi.example.vn{live.get_public_url()}</link>" in body
    atom = client.get("/tin-tuc/atom/").content.decode()
    assert "<feed" in atom and "Cột điện nở hoa" in atom and "Tin khác chuyên mục" in atom


def test_sitemap_lists_live_articles_with_the_site_address(world, client):
    live = article(unit=world.ward_a, title="Tin trong sơ đồ trang")
    draft = article(unit=world.ward_a, title="Nháp ngoài sơ đồ", state="draft")
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-tin-tuc.xml" in index
    articles = client.get("/sitemap-tin-tuc.xml").content.decode()
    assert f"<loc>https://chithi.example.vn{live.get_public_url()}</loc>" in articles
    assert draft.slug not in articles


def test_anonymous_pages_come_from_the_cache_until_something_is_published(world, django_capture_on_commit_callbacks):
    live = article(unit=world.ward_a, title="Tin đầu tiên")
    visitor = Client()
    assert visitor.get("/").headers["X-Page-Cache"] == "miss"
    assert visitor.get("/").headers["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        newer = article(unit=world.ward_a, title="Tin vừa đăng")
    response = visitor.get("/")
    assert response.headers["X-Page-Cache"] == "miss" and newer.title in response.content.decode()
    assert live.title in response.content.decode()


def test_approving_feedback_refreshes_the_cached_article(world, django_capture_on_commit_callbacks):
    live = article(unit=world.ward_a)
    item = feedback(live, message="Một ý kiến mới")
    visitor = Client()
    assert "Một ý kiến mới" not in visitor.get(live.get_public_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_feedback(actor=world.user("secretary"), feedback=item)
    assert "Một ý kiến mới" in visitor.get(live.get_public_url()).content.decode()


def test_a_scheduled_publication_clears_the_cache_when_its_time_comes(world, django_capture_on_commit_callbacks):
    when = timezone.now() + dt.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        later = article(unit=world.ward_a, title="Tin hẹn giờ", state="scheduled", when=when)
    visitor = Client()
    assert later.title not in visitor.get("/").content.decode()
    assert visitor.get("/").headers["X-Page-Cache"] == "hit"
    from chithi.portal.models import Article

    Article.objects.filter(pk=later.pk).update(published_at=timezone.now() - dt.timedelta(seconds=1))
    pagecache._change_at(timezone.now().timestamp() - 1)  # the clock has reached the scheduled time
    response = visitor.get("/")
    assert response.headers["X-Page-Cache"] == "miss" and later.title in response.content.decode()


def test_each_visitor_gets_their_own_csrf_token_from_a_cached_page(world):
    live = article(unit=world.ward_a)
    first, second = Client(), Client()
    page_one = first.get(live.get_public_url())
    page_two = second.get(live.get_public_url())
    assert page_two.headers["X-Page-Cache"] == "hit"
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(page_one.content.decode()).group(1) != token.search(page_two.content.decode()).group(1)
    assert "csrftoken" in page_two.cookies
    posted = second.post(f"{live.get_public_url()}phan-hoi/", {
        "csrfmiddlewaretoken": token.search(page_two.content.decode()).group(1), "name": "An", "email": "an@x.vn",
        "message": "Gửi từ trang trong bộ nhớ đệm", "show_name": "on"}, enforce_csrf_checks=True)
    assert posted.status_code == 302


def test_signed_in_users_never_get_a_cached_page(world):
    article(unit=world.ward_a)
    staff = Client()
    staff.force_login(world.user("staff"))
    staff.get("/tin-tuc/")
    assert "X-Page-Cache" not in staff.get("/tin-tuc/").headers


def test_the_page_cache_can_be_turned_off(world, settings):
    settings.PAGE_CACHE_SECONDS = 0
    article(unit=world.ward_a)
    visitor = Client()
    visitor.get("/")
    assert "X-Page-Cache" not in visitor.get("/").headers
    assert pagecache.seconds() == 0


def test_public_figures_page_counts_like_dialogues_figures(world, client):
    from chithi.dialogues import figures

    from .factories import answered_issue

    answered_issue(world=world, rating=5)
    answered_issue(world=world, rating=2)
    page = client.get("/so-lieu/").content.decode()
    today = timezone.localdate()
    summary = figures.summary(figures.public_subset(), start=today.replace(day=1), end=today)
    assert summary.received == 2 and summary.answered == 2 and summary.satisfied_share == 50.0
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page and "<desc" in page
    assert "Trần Văn Kín" not in page  # counts only
    bad = client.get("/so-lieu/", {"nam": "1999"})
    assert bad.status_code == 200 and "Không có số liệu cho năm “1999”" in bad.content.decode()


def test_a_large_installation_never_counts_figures_in_a_request(world, client, settings, monkeypatch):
    from django.core.management import call_command

    from chithi.portal import selectors

    from .factories import answered_issue

    answered_issue(world=world)
    monkeypatch.setattr(selectors, "INLINE_LIMIT", 0)  # as if there were millions of issues
    settings.PAGE_CACHE_SECONDS = 0
    page = client.get("/so-lieu/").content.decode()
    assert "đang được tổng hợp" in page and "<svg" not in page
    assert "Phản ánh, kiến nghị của người dân trong 12 tháng qua" not in client.get("/").content.decode()
    call_command("portal_figures", stdout=__import__("io").StringIO())
    assert "<svg" in client.get("/so-lieu/").content.decode()
    assert "Phản ánh, kiến nghị của người dân trong 12 tháng qua" in client.get("/").content.decode()


def test_pages_go_out_compressed_to_a_browser_that_asks(world, client):
    import gzip

    article(unit=world.ward_a, title="Tin nén gzip cho điện thoại")
    plain = client.get("/")
    assert "Content-Encoding" not in plain.headers  # a client that does not ask gets the page as it is
    packed = client.get("/", headers={"accept-encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    page = gzip.decompress(packed.content).decode()
    assert "Tin nén gzip cho điện thoại" in page
    assert len(packed.content) < len(plain.content) / 3


def test_every_chart_of_the_figures_page_has_a_visible_title(world, client):
    """A tester met a chart of percentages under "By category" with nothing saying what they were (the title
    was only in the chart's aria-label)."""
    import re

    page = client.get("/so-lieu/").content.decode()
    charts = re.findall(r'aria-label="([^"]+)"><svg', page)
    captions = re.findall(r'<p class="small fw-semibold mt-3 mb-1" aria-hidden="true">([^<]+)</p>', page)
    assert charts and captions == charts
