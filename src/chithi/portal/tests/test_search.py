"""The one public search: articles, practices and answered issues, with or without diacritics, title before body,
recent before old, highlighted, kept in step with what is published, never matching private text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from chithi.core.search import Hit
from chithi.portal import search, services
from chithi.portal.models import PublicDocument

from .factories import answered_issue, article

pytestmark = pytest.mark.django_db(transaction=True)  # the index follows saves on commit


def _titles(query: str) -> list[str]:
    return [str(r.title) for r in search.public_search(query).results]


def test_found_with_or_without_diacritics_and_highlighted(world, client):
    article(unit=world.ward_a, title="Hũ gạo tình thương lan tỏa", body="<p>Hội phụ nữ góp gạo.</p>")
    for query in ("hũ gạo", "hu gao", "HU GAO", "Hu   gạo"):
        assert _titles(query) == ["<mark>Hũ</mark> <mark>gạo</mark> tình thương lan tỏa"], query
    page = client.get("/tim/", {"q": "hu gao"}).content.decode()
    assert "<mark>Hũ</mark> <mark>gạo</mark>" in page and 'noindex' in page


def test_a_word_must_begin_a_word(world):
    article(unit=world.ward_a, title="Đông Thanh tổ chức chào cờ")
    article(unit=world.ward_a, title="Đông Hà tổ chức đối thoại")
    assert _titles("dong ha") == ["<mark>Đông</mark> <mark>Hà</mark> tổ chức đối thoại"]
    assert _titles("ong") == []  # "Đông" does not begin with "ong"


def test_title_matches_come_before_body_matches_and_recent_before_old(world):
    now = timezone.now()
    article(unit=world.ward_a, title="Tin cũ về chào cờ", when=now - dt.timedelta(days=300))
    article(unit=world.ward_a, title="Tin mới về chào cờ", when=now - dt.timedelta(days=1))
    article(unit=world.ward_a, title="Sinh hoạt chi bộ", body="<p>Sau lễ chào cờ, chi bộ họp.</p>",
            when=now - dt.timedelta(hours=1))
    titles = [t.replace("<mark>", "").replace("</mark>", "") for t in _titles("chao co")]
    assert titles == ["Tin mới về chào cờ", "Tin cũ về chào cờ", "Sinh hoạt chi bộ"]
    body_hit = search.public_search("chao co").results[2]
    assert "<mark>chào</mark> <mark>cờ</mark>" in body_hit.snippet


def test_practices_and_answered_issues_are_found_too(world):
    from chithi.practices.tests.factories import PracticeFactory

    PracticeFactory(name="Cột điện nở hoa", organisation=world.cell_a1, is_public=True, fields=["culture"])
    PracticeFactory(name="Cột điện nội bộ", organisation=world.cell_a1, is_public=False, fields=["culture"])
    answered_issue(world=world, description="Cột điện nghiêng trước ngõ", answer="Điện lực đã dựng lại cột điện.")
    with translation.override("vi"):
        found = search.public_search("cot dien").results
    assert sorted(r.kind for r in found) == ["Mô hình", "Phản ánh đã trả lời"]
    assert all("nội bộ" not in str(r.title) for r in found)


def test_an_issues_private_text_never_matches(world):
    issue = answered_issue(world=world, reporter_name="Hoàng Bí Mật", description="Rác ở số 45 đường Lê Lợi",
                           answer="Đã thu gom.", address="45 Lê Lợi")
    assert search.public_search("bi mat").total == 0
    assert search.public_search("rac").total == 1
    row = PublicDocument.objects.get(kind="dialogues.issue", object_id=issue.pk)
    assert "Bí Mật" not in row.body and "45" not in row.body and issue.tracking_code not in row.url


def test_the_index_follows_publishing_and_withdrawal(world):
    waiting = article(unit=world.ward_a, title="Kết quả sơ kết", state="review")
    assert _titles("so ket") == []
    services.publish_article(actor=world.user("secretary"), article=waiting)
    assert len(_titles("so ket")) == 1
    services.withdraw_article(actor=world.user("secretary"), article=waiting)
    assert _titles("so ket") == []


def test_a_scheduled_article_is_not_found_before_its_time(world):
    article(unit=world.ward_a, title="Tin hẹn giờ tháng sau", state="scheduled",
            when=timezone.now() + dt.timedelta(days=30))
    assert _titles("hen gio") == []
    assert PublicDocument.objects.filter(kind="portal.article").count() == 1  # indexed, waiting for its time


def test_a_ten_thousand_character_query_is_answered_clearly(world, client):
    article(unit=world.ward_a, title="Đối thoại với Nhân dân")
    response = client.get("/tim/", {"q": "đối thoại " + "xin chào " * 1110})
    assert response.status_code == 200
    page = response.content.decode()
    assert "chỉ tìm theo phần đầu, gồm các từ: doi thoai xin chao" in page
    assert len(page) < 60_000  # the query is not echoed back whole


def test_paging_goes_on_from_title_hits_to_body_hits(world):
    for number in range(25):
        article(unit=world.ward_a, title=f"Tin đối thoại số {number}")
    for number in range(5):
        article(unit=world.ward_a, title=f"Tin khác {number}", body="<p>Buổi đối thoại ở khu phố.</p>")
    first, second = search.public_search("doi thoai", page=1), search.public_search("doi thoai", page=2)
    assert first.total == 30 and first.pages == 2
    assert len(first.results) == 20 and len(second.results) == 10
    assert [str(r.title).startswith("Tin khác") for r in second.results] == [False] * 5 + [True] * 5


def test_rebuild_drops_what_is_no_longer_public(world):
    live = article(unit=world.ward_a, title="Tin sẽ bị gỡ")
    PublicDocument.objects.create(kind="portal.article", object_id=999999, title="Mồ côi", url="/x/",
                                  published_at=timezone.now())
    from chithi.portal.models import Article, ArticleStatus

    Article.objects.filter(pk=live.pk).update(status=ArticleStatus.WITHDRAWN)  # a bulk write: no signal
    counts = search.rebuild()
    assert counts["portal.article"] == 0
    assert not PublicDocument.objects.filter(kind="portal.article").exists()


def test_the_internal_search_declaration_finds_articles_in_scope_only(world):
    article(unit=world.ward_a, title="Tin phường A về chào cờ")
    article(unit=world.ward_b, title="Tin phường B về chào cờ")
    hits = search.staff_search(user=world.user("secretary"), query="chao co")
    assert [hit.title for hit in hits] == ["Tin phường A về chào cờ"] and isinstance(hits[0], Hit)
    from chithi.core.rooms import search_providers

    assert any(room.label == "portal" for room, _provider in search_providers())


def test_the_reindex_command_catches_up_after_bulk_writes(world):
    from io import StringIO

    from django.core.management import call_command

    from chithi.portal.models import Article

    live = article(unit=world.ward_a, title="Tin cập nhật hàng loạt")
    Article.objects.filter(pk=live.pk).update(title="Tiêu đề sửa bằng lệnh cập nhật")  # no signal
    assert _titles("hang loat") and not _titles("lenh cap nhat")
    out = StringIO()
    call_command("portal_reindex", stdout=out)
    assert "portal.article" in out.getvalue()
    assert _titles("lenh cap nhat") and not _titles("hang loat")


@pytest.mark.parametrize("walk_max", [0, 10**9])  # the GIN index for every page past the window, or the walk
def test_the_postgresql_plans_for_a_large_index_rank_as_the_plain_query_does(world, client, monkeypatch,
                                                                              walk_max):
    """At scale PostgreSQL reads a window of the newest entries, then walks by date or asks the GIN index by the
    rarest word (search._PostgresRanking). Shrunk to a window of eight, every group and page must be what the
    plain query (LIKE over the folded words) gives: the same entries in the same order, ties by id."""
    from django.db import connection

    from chithi.core.search import PublicDocument as Document

    if connection.vendor != "postgresql":
        pytest.skip("the window, walk and GIN plans are PostgreSQL's")
    now = timezone.now()
    documents = [Document(kind="portal.article", object_id=number, url=f"/tin-tuc/{number}/", label="Tin",
                          title="Chào cờ đầu tháng" if number % 3 == 0 else f"Tin số {number}",
                          body="Sau lễ chào cờ, chi bộ họp." if number % 2 == 0 else "Đèn đường hỏng, cột nghiêng.",
                          published_at=now - dt.timedelta(hours=number // 2))  # pairs at the same time
                 for number in range(1, 61)]
    documents.append(Document(kind="portal.article", object_id=99, url="/tin-tuc/99/", title="Chào cờ sắp tới",
                              body="", published_at=now + dt.timedelta(days=1)))  # scheduled: never found
    search.store("portal.article", documents)
    monkeypatch.setattr(search, "WINDOW", 8)
    monkeypatch.setattr(search, "SAMPLED", 2)
    monkeypatch.setattr(search, "WALK_MAX", walk_max)
    for query in ["chao co", "den duong", "tin", "chao tin", "cot nghieng thang", "xyz"]:
        words, _cut = search.query_words(query)
        monkeypatch.setattr(search, "ESTIMATE_FROM", 10**9)  # counted, so comparable
        fast, plain = search._PostgresRanking(words, now), search._OrmRanking(words, now)
        assert not fast.complete
        for mine, expected in zip(fast.groups, plain.groups, strict=True):
            assert (mine.size, mine.estimated) == (expected.size, False), query
            for start, stop in [(0, 5), (3, 9), (0, 20), (15, 40)]:
                assert mine.ids(start, stop) == expected.ids(start, stop), (query, start, stop)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE portal_publicdocument")  # the size the estimates scale to (61 entries)
    monkeypatch.setattr(search, "ESTIMATE_FROM", 10)
    found = search.public_search("chao co")
    # The window holds 2 title hits and 3 body hits of 8 entries: 15 + 23 estimated, a whole page of title hits.
    assert (found.estimated, found.total, found.capped, found.pages) == (True, 38, False, 2)
    newest = search._OrmRanking(["chao", "co"], now).groups[0].ids(0, 20)
    urls = PublicDocument.objects.in_bulk(newest)
    assert [r.url for r in found.results] == [urls[pk].url for pk in newest] and len(newest) == 20
    assert "Khoảng 38 kết quả" in client.get("/tim/", {"q": "chào cờ"}).content.decode()  # not a count


def test_a_new_issue_costs_the_index_nothing_and_an_answered_one_enters_it(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chithi.dialogues.models import IssueChannel
    from chithi.dialogues.tests.factories import IssueCategoryFactory, IssueFactory

    category = IssueCategoryFactory()
    with CaptureQueriesContext(connection) as queries:
        IssueFactory(category=category, channel=IssueChannel.WEB)
    index = [q["sql"] for q in queries.captured_queries if "portal_publicdocument" in q["sql"]]
    assert index == []  # a new issue is never public (PublicSource.public_when_created): no delete
    reads = [q["sql"] for q in queries.captured_queries
             if q["sql"].startswith("SELECT") and "consent_to_publish" in q["sql"].split("WHERE")[-1]]
    assert reads == []  # and no read of the published issues either
    # The answered one still enters the index, and leaves it when its reporter's consent is withdrawn.
    issue = answered_issue(world=world, description="Cống thoát nước ở kiệt 7 đã được nạo vét")
    assert len(search.public_search("nao vet").results) == 1
    type(issue).objects.filter(pk=issue.pk).update(consent_to_publish=False)
    issue.refresh_from_db()
    issue.save()
    assert search.public_search("nao vet").results == []
