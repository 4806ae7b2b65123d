"""Fill a PostgreSQL benchmark database for the public site: 100,000 articles (with reader feedback) and
10,000,000 citizens' issues over three years, then the public search index over the published ones — all with
COPY, indexes dropped before and built once after.

    createdb chithi_portal_bench
    DATABASE_URL=postgres:///chithi_portal_bench .venv/bin/python bench/portal_setup.py [--articles 100000]
        [--issues 10000000]

Refuses a database that already holds issues or articles (it fills scratch databases only).
`fill_articles(conn, rng, ...)` and `fill_issues(conn, rng, ...)` take a psycopg connection and a seeded random
source, so the national generator (bench/generate.py, issue 15) can call them from a `bench/gen_portal.py` step
(`@generator_step("portal", after=("orgs", "dialogues"))`) with its own units and categories.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chithi.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

import psycopg  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from chithi.core.search import folded_words  # noqa: E402
from chithi.core.text import fold  # noqa: E402
from chithi.dialogues.public import redact  # noqa: E402

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NOW = dt.datetime.now(dt.UTC)
TOPICS = ["Đối thoại với Nhân dân khu phố", "Mô hình Hũ gạo tình thương", "Chào cờ đầu tháng", "Sinh hoạt chi bộ",
          "Cột điện nở hoa", "Giải phóng mặt bằng", "Trật tự đô thị", "Văn minh đô thị", "Học tập và làm theo Bác",
          "Tổ công tác của phường", "Hỗ trợ thủ tục tại nhà", "Nghe dân nói, nói dân hiểu, làm dân tin"]
PARAGRAPH = ("<p>Thực hiện Chỉ thị 05-CT/TW, cấp ủy và chính quyền phường tiếp tục đối thoại trực tiếp với Nhân dân, "
             "giải quyết kịp thời những vấn đề bức xúc về giải phóng mặt bằng, trật tự đô thị và văn minh đô thị. "
             "Các chi bộ đưa nội dung học tập và làm theo Bác vào sinh hoạt hằng tháng, gắn với đánh giá, liên hệ "
             "cá nhân của từng đảng viên.</p>")
ISSUE_TEXT = ["Vỉa hè bị lấn chiếm, người đi bộ phải xuống lòng đường", "Đèn đường hỏng nhiều ngày, khu phố tối",
              "Cống thoát nước bị tắc, mưa xuống là ngập", "Rác thải tập kết sai giờ gây mùi",
              "Hồ sơ cấp giấy chứng nhận chậm trả kết quả", "Tiếng ồn từ quán karaoke sau 22 giờ",
              "Đường bê tông xuống cấp, nhiều ổ gà", "Đề nghị hỗ trợ hộ nghèo sửa nhà"]
ANSWERS = ["Đơn vị đã phối hợp xử lý dứt điểm, sẽ tiếp tục theo dõi.", "Đã thay bóng đèn và kiểm tra toàn tuyến.",
           "Đã nạo vét cống, đưa vào kế hoạch sửa chữa quý tới.", "Hồ sơ đã giải quyết, trả kết quả tại nhà."]


def _base() -> dict[str, Any]:
    """The minimal tree and the categories (bench/dialogues_setup.py's, plus news categories)."""
    import runpy  # bench/dialogues_setup.py owns the tree and the first issue category

    runpy.run_path(str(Path(__file__).parent / "dialogues_setup.py"))
    from chithi.dialogues import services as dialogues
    from chithi.dialogues.models import IssueCategory
    from chithi.orgs.models import Organisation, OrgKind
    from chithi.portal import services as portal
    from chithi.portal.models import Category

    root = __import__("chithi.core.models", fromlist=["User"]).User.objects.get(username="bench-root")
    for code, name in [("den-duong", "Hạ tầng, chiếu sáng"), ("moi-truong", "Văn minh đô thị, môi trường"),
                       ("thu-tuc", "Thủ tục hành chính"), ("an-ninh", "An ninh trật tự")]:
        if not IssueCategory.objects.filter(code=code).exists():
            dialogues.save_category(actor=root, code=code, name=name, ack_days=2, answer_days=10)
    for slug, name in [("chi-thi-05", "Chỉ thị 05"), ("mo-hinh", "Mô hình, cách làm hay"),
                       ("doi-thoai", "Đối thoại với Nhân dân"), ("tin-hoat-dong", "Tin hoạt động")]:
        if not Category.objects.filter(slug=slug).exists():
            portal.create_category(actor=None, name=name, slug=slug)
    return {
        "city": Organisation.objects.get(code="TU-DH").pk,
        "wards": list(Organisation.objects.filter(kind=OrgKind.WARD_COMMITTEE).values_list("pk", "short_name")),
        "issue_categories": list(IssueCategory.objects.values_list("pk", "name", "code")),
        "news_categories": list(Category.objects.values_list("pk", "name")),
    }


def _drop_indexes(conn: Any, table: str) -> list[str]:
    rows = conn.execute("""SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = %s AND NOT i.indisprimary
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""", (table,)).fetchall()
    for name, _ddl in rows:
        conn.execute(f"DROP INDEX {name}")
    return [ddl for _name, ddl in rows]


def _rebuild(conn: Any, ddl: list[str]) -> None:
    conn.execute("SET maintenance_work_mem = '512MB'")
    for statement in ddl:
        conn.execute(statement)
    conn.commit()


def fill_issues(conn: Any, rng: random.Random, *, count: int, unit: int, wards: list[tuple[int, str]],
                categories: list[tuple[int, str, str]]) -> int:
    """`count` issues received over three years in every state; a third of them consent to publication, about
    half of the answers are rated. Generated inside PostgreSQL (generate_series): ten million rows in minutes
    where a Python COPY loop takes most of an hour. Returns how many were written."""
    ddl = _drop_indexes(conn, "dialogues_issue")
    conn.execute("SELECT setseed(%s)", (rng.random(),))
    texts = [f"{text} (số " for text in ISSUE_TEXT]
    params = {
        "n": count, "unit": unit, "now": NOW,
        "cat": [c[0] for c in categories], "cat_folded": [fold(c[1]) for c in categories],
        "ward": [w[0] for w in wards], "ward_name": [w[1] for w in wards], "ward_folded": [fold(w[1]) for w in wards],
        "text": texts, "text_folded": [fold(t) for t in texts], "answer": ANSWERS,
    }
    conn.execute("""
        INSERT INTO dialogues_issue (tracking_code, channel, category_id, description, area, area_unit_id, address,
            reporter_name, reporter_contact, consent_to_publish, status, status_reason, organisation_id,
            escalated_stage, received_at, acknowledged_at, ack_due_on, answer_due_on, due_on, answer, answered_at,
            answered_by_unit_id, rating, rating_comment, updated_at, search_text)
        SELECT code, 'web', (%(cat)s::bigint[])[c], (%(text)s::text[])[t] || (g %% 500) || ' đường Lê Lợi)',
               (%(ward_name)s::text[])[w], (%(ward)s::bigint[])[w], 'Số ' || (g %% 300) || ' Lê Lợi', 'Người dân', '',
               g %% 3 = 0, status, '', %(unit)s, '', received,
               CASE WHEN status <> 'received' THEN received + interval '5 hours' END,
               received::date + 2, received::date + 14, CASE WHEN answered THEN NULL ELSE received::date + 14 END,
               CASE WHEN answered THEN (%(answer)s::text[])[1 + g %% 4] ELSE '' END,
               CASE WHEN answered THEN LEAST(received + (4 + r2 * 596) * interval '1 hour', %(now)s) END,
               CASE WHEN answered THEN %(unit)s END,
               CASE WHEN answered AND r3 < 0.5 THEN (ARRAY[5, 5, 4, 4, 3, 2, 1])[1 + floor(r3 * 14)::int] END,
               '', received,
               lower(code) || ' ' || (%(cat_folded)s::text[])[c] || ' ' || (%(text_folded)s::text[])[t] || (g %% 500)
                 || ' duong le loi) ' || (%(ward_folded)s::text[])[w]
        FROM (
            SELECT g, lpad(upper(to_hex(g)), 10, '0') AS code,
                   1 + floor(random() * cardinality(%(cat)s::bigint[]))::int AS c,
                   1 + floor(random() * cardinality(%(ward)s::bigint[]))::int AS w,
                   1 + g %% cardinality(%(text)s::text[]) AS t,
                   %(now)s - random() * interval '1095 days' AS received, random() AS r2, random() AS r3, s AS status,
                   s IN ('answered', 'closed') AS answered
            FROM generate_series(1, %(n)s) AS g,
                 LATERAL (SELECT CASE WHEN r < 0.50 THEN 'answered' WHEN r < 0.70 THEN 'closed'
                                      WHEN r < 0.80 THEN 'in_progress' WHEN r < 0.86 THEN 'assigned'
                                      WHEN r < 0.92 THEN 'received' WHEN r < 0.98 THEN 'rejected' ELSE 'merged' END
                          FROM (SELECT random() + g * 0 AS r) AS pick) AS state(s)
        ) AS generated""", params)
    conn.commit()
    _rebuild(conn, ddl)
    return count


def fill_articles(conn: Any, rng: random.Random, *, count: int, unit: int, categories: list[tuple[int, str]],
                  issue_categories: list[tuple[int, str, str]]) -> int:
    """`count` published articles over ten years (one in fifty featured), ~2,500 characters each, with approved
    feedback under one in ten."""
    columns = ["created_at", "updated_at", "organisation_id", "category_id", "title", "slug", "summary", "body",
               "body_text", "byline", "source_name", "source_url", "featured", "status", "published_at",
               "issue_category_id", "version", "review_note", "search_text"]
    ddl = _drop_indexes(conn, "portal_article")
    body = "<h2>Kết quả</h2>" + PARAGRAPH * 6
    text = folded_words(body)
    with conn.cursor().copy(f"COPY portal_article ({', '.join(columns)}) FROM STDIN") as copy:
        for number in range(count):
            published = NOW - dt.timedelta(minutes=rng.randint(60, 60 * 24 * 3650))
            category, category_name = categories[number % len(categories)]
            title = f"{TOPICS[number % len(TOPICS)]}: bài số {number + 1}"
            summary = f"Tin về {TOPICS[(number * 7) % len(TOPICS)].lower()} ở phường, kỳ {number + 1}."
            copy.write_row((
                published, published, unit, category, title, f"{slugify(fold(title))}", summary, body,
                "Kết quả\n" + PARAGRAPH[3:-4] * 6, "Ban Tuyên giáo", "", "", number % 50 == 0, "published", published,
                issue_categories[number % len(issue_categories)][0] if number % 4 == 0 else None, 1, "",
                fold(f"{title} {summary} {category_name}") + " " + text))
    conn.commit()
    _rebuild(conn, ddl)
    commented = conn.execute("SELECT id, published_at FROM portal_article WHERE id % 10 = 0").fetchall()
    with conn.cursor().copy("COPY portal_feedback (created_at, updated_at, article_id, name, email, show_name, "
                            "message, status, answer, answered_at, moderated_at, reason) FROM STDIN") as copy:
        for article_id, published in commented:
            moment = published + dt.timedelta(hours=3)
            copy.write_row((moment, moment, article_id, "Nguyễn Văn An", "an@example.vn", True,
                            "Bài viết thiết thực, mong có thêm tin về khu phố.", "answered", "Cảm ơn bạn.", moment,
                            moment, ""))
    conn.commit()
    return count


def fill_index(conn: Any, *, source: str | None = None) -> dict[str, int]:
    """The public search index (portal_publicdocument) over live articles and published issues, as
    portal.search.rebuild() would write it, but streamed with COPY. `source`: the connection string of another
    database to read them from (bench/portal_bench.py's national figure, without writing to the national one)."""
    ddl = _drop_indexes(conn, "portal_publicdocument")
    conn.execute("TRUNCATE portal_publicdocument")
    columns = ["kind", "object_id", "title", "body", "title_words", "body_words", "url", "label", "published_at",
               "indexed_at"]
    counts = {"portal.article": 0, "dialogues.issue": 0}
    reader = psycopg.connect(source or conn.info.dsn)
    with conn.cursor().copy(f"COPY portal_publicdocument ({', '.join(columns)}) FROM STDIN") as copy:
        with reader.cursor(name="articles") as cursor:
            cursor.execute("""SELECT a.id, a.title, a.summary, a.body_text, a.slug, c.name, a.published_at
                              FROM portal_article a JOIN portal_category c ON c.id = a.category_id
                              WHERE a.status = 'published'""")
            for pk, title, summary, body_text, slug, category, published in cursor:
                body = f"{summary}\n{body_text}"[:20000]
                copy.write_row(("portal.article", pk, title, body, folded_words(title), folded_words(body),
                                f"/tin-tuc/{slug}/", category, published, NOW))
                counts["portal.article"] += 1
        with reader.cursor(name="issues") as cursor:
            cursor.execute("""SELECT i.id, c.name, c.code, i.area_unit_id, i.area, i.description, i.answer,
                                     i.reporter_name, i.answered_at
                              FROM dialogues_issue i JOIN dialogues_issuecategory c ON c.id = i.category_id
                              WHERE i.consent_to_publish AND i.status IN ('answered', 'closed')
                                AND i.answered_at IS NOT NULL""")
            public_text = functools.lru_cache(maxsize=None)(
                lambda description, answer, name: "\n".join(
                    p for p in (redact(description, name=name), redact(answer, name=name)) if p))
            words = functools.lru_cache(maxsize=None)(folded_words)
            for pk, category, code, ward, area, description, answer, name, answered in cursor:
                body = public_text(description, answer, name)
                copy.write_row(("dialogues.issue", pk, category, body, words(category), words(body),
                                f"/phan-anh/?category={code}&ward={ward}", area, answered, NOW))
                counts["dialogues.issue"] += 1
    reader.close()
    conn.commit()
    _rebuild(conn, ddl)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--issues", type=int, default=10_000_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("the benchmark writes with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database")
    call_command("migrate", verbosity=0)
    settings = connection.settings_dict
    dsn = f"dbname={settings['NAME']}" + (f" host={settings['HOST']}" if settings.get("HOST") else "")
    with psycopg.connect(dsn) as conn:
        busy = conn.execute("SELECT (SELECT count(*) FROM dialogues_issue) + (SELECT count(*) FROM portal_article)")
        if busy.fetchone()[0]:  # type: ignore[index]
            sys.exit("this database already holds issues or articles: use a new one (createdb …)")
    base = _base()
    rng = random.Random(2026)
    with psycopg.connect(dsn) as conn:
        conn.execute("SET synchronous_commit = off")
        started = time.monotonic()
        fill_issues(conn, rng, count=args.issues, unit=base["city"], wards=base["wards"],
                    categories=base["issue_categories"])
        print(f"issues      {args.issues:>12,}  {time.monotonic() - started:8.1f} s", flush=True)
        started = time.monotonic()
        fill_articles(conn, rng, count=args.articles, unit=base["city"], categories=base["news_categories"],
                      issue_categories=base["issue_categories"])
        print(f"articles    {args.articles:>12,}  {time.monotonic() - started:8.1f} s", flush=True)
        started = time.monotonic()
        counts = fill_index(conn)
        print(f"search index {sum(counts.values()):>11,}  {time.monotonic() - started:8.1f} s  {counts}", flush=True)
        conn.execute("ANALYZE")
        conn.commit()


if __name__ == "__main__":
    main()
