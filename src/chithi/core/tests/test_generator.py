"""The national generator (bench/generate.py) at a city's scale: right paths and derived columns, deterministic
by seed, and it refuses a database that holds data unless told it is a scratch one. PostgreSQL only (COPY)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from chithi.core.text import fold, person_sort_key, vi_sort_key
from chithi.core.workdays import working_days_elapsed

from .services import pg_url

ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture
def scratch_db(db: Any) -> Iterator[str]:
    if connection.vendor != "postgresql":
        pytest.skip("the generator writes with PostgreSQL's COPY; this test runs in the PostgreSQL pass")
    name = f"{connection.settings_dict['NAME']}_gen"
    admin = pg_url(connection.settings_dict, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_url(connection.settings_dict, name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _generate(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url.replace("postgresql://", "postgres://", 1)}
    return subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--scale", "0.001", *args],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)


def _digest(conn: Any) -> tuple[Any, ...]:
    """What must not change between two runs with one seed (timestamps of the run itself left out)."""
    return conn.execute("""SELECT
        (SELECT md5(string_agg(path || name || sort_key, ',' ORDER BY id)) FROM orgs_organisation),
        (SELECT md5(string_agg(full_name || phone || birth_date, ',' ORDER BY id)) FROM orgs_person),
        (SELECT md5(string_agg(plan_id || title || status || progress || deadline, ',' ORDER BY id))
           FROM campaigns_plantask),
        (SELECT md5(string_agg(tracking_code || status || received_at::date, ',' ORDER BY id)) FROM dialogues_issue),
        (SELECT md5(string_agg(meeting_id || '-' || person_id || status || reason, ',' ORDER BY meeting_id, person_id))
           FROM grassroots_attendance),
        (SELECT md5(string_agg(organisation_id || title || published_at, ',' ORDER BY id)) FROM portal_article),
        (SELECT md5(string_agg(organisation_id || '-' || theme_id || plans || progress_e6 || overdue, ','
                               ORDER BY organisation_id, theme_id)) FROM campaigns_unittotals)
    """).fetchone()


def test_generator_builds_a_city_that_reads_true_and_is_the_same_every_time(scratch_db: str) -> None:
    first = _generate(scratch_db)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "rows/s" in first.stdout and "database size" in first.stdout

    with psycopg.connect(scratch_db) as conn:
        counts = dict(conn.execute("""SELECT 'orgs', count(*) FROM orgs_organisation UNION ALL
            SELECT 'people', count(*) FROM orgs_person UNION ALL SELECT 'tasks', count(*) FROM campaigns_plantask
            UNION ALL SELECT 'issues', count(*) FROM dialogues_issue UNION ALL
            SELECT 'current memberships', count(*) FROM orgs_membership WHERE until IS NULL""").fetchall())
        assert counts == {"orgs": 1 + 1 + 3 + 60, "people": 5000, "tasks": 600, "issues": 10_000,
                          "current memberships": 5000}

        orgs = conn.execute("SELECT id, parent_id, path, depth, name, short_name, code, search_text, sort_key "
                            "FROM orgs_organisation").fetchall()
        by_id = {row[0]: row for row in orgs}
        for pk, parent, path, depth, name, short, code, search_text, sort_key in orgs:
            expected = (by_id[parent][2] if parent else "") + f"{pk:08d}/"
            assert path == expected and depth == path.count("/") - 1
            assert search_text == fold(" ".join(filter(None, [name, short, code])))
            assert sort_key == vi_sort_key(name)
        assert {row[4] for row in orgs if row[3] == 1} == {"Thành ủy Hà Nội"}

        for full_name, phone, search_text, sort_key in conn.execute(
                "SELECT full_name, phone, search_text, sort_key FROM orgs_person ORDER BY id LIMIT 500"):
            assert search_text == fold(" ".join([full_name, phone])) and sort_key == person_sort_key(full_name)
        for row in conn.execute("""SELECT i.tracking_code, c.name, i.description, i.area, i.address, i.reporter_name,
                                          i.search_text FROM dialogues_issue i
                                   JOIN dialogues_issuecategory c ON c.id = i.category_id ORDER BY i.id LIMIT 500"""):
            assert row[6] == fold(" ".join(filter(None, row[:6])))
        # The working days to the answer, as the answering service writes them (the figures sum this column).
        answered = conn.execute("SELECT received_at, answered_at, answer_working_days FROM dialogues_issue "
                                "WHERE answered_at IS NOT NULL ORDER BY id LIMIT 300").fetchall()
        assert len(answered) == 300
        assert [days for *_moments, days in answered] == [working_days_elapsed(r, a) for r, a, _days in answered]
        for title, target, search_text in conn.execute(
                "SELECT title, target, search_text FROM campaigns_plantask LIMIT 200"):
            assert search_text == fold(" ".join([title, target]))
        # Indexes and constraints are back, and the sequences continue after the generated ids.
        # The other rooms' rows: meetings with their roll call (counters as the services write them), articles.
        assert conn.execute("""SELECT count(*) FROM grassroots_meeting m WHERE m.present_official <> (
            SELECT count(*) FROM grassroots_attendance a WHERE a.meeting_id = m.id AND a.status = 'present')
            OR m.roster_official <> (SELECT count(*) FROM grassroots_attendance a WHERE a.meeting_id = m.id)"""
                            ).fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM grassroots_meeting").fetchone()[0] == 3 * 60
        assert conn.execute("SELECT count(*) FROM portal_article WHERE status = 'published'").fetchone() == (100,)
        assert conn.execute("SELECT count(*) FROM campaigns_plantotals").fetchone()[0] == (
            conn.execute("SELECT count(*) FROM campaigns_plan").fetchone()[0])
        assert conn.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'dialogues_issue_search_text_trgm'"
                            ).fetchone() == (1,)
        assert conn.execute("SELECT nextval(pg_get_serial_sequence('orgs_organisation', 'id')) > "
                            "(SELECT max(id) FROM orgs_organisation)").fetchone() == (True,)
        digest = _digest(conn)

    _derived_columns_as_the_services_write_them(scratch_db)
    refused = _generate(scratch_db)
    assert refused.returncode != 0 and "--scratch" in refused.stderr

    again = _generate(scratch_db, "--scratch")
    assert again.returncode == 0, again.stderr[-3000:]
    with psycopg.connect(scratch_db) as conn:
        assert _digest(conn) == digest



CHECK_DERIVED = """
import django
django.setup()
from chithi.core.search import search_text_of
from chithi.grassroots.models import Meeting
from chithi.portal.models import Article
assert all(m.search_text == search_text_of(m) for m in Meeting.objects.select_related("organisation")[:100])
assert all(a.search_text == search_text_of(a) for a in Article.objects.select_related("category", "organisation")[:100])
print("derived columns ok")
"""


def _derived_columns_as_the_services_write_them(url: str) -> None:
    """Search columns of the generated meetings and articles equal core.search's, and the roll-up totals equal a
    recount (the check command finds no drift). In subprocesses: they read the generated database."""
    env = {**os.environ, "DATABASE_URL": url.replace("postgresql://", "postgres://", 1),
           "DJANGO_SETTINGS_MODULE": "chithi.settings", "PYTHONPATH": str(ROOT / "src")}
    derived = subprocess.run([sys.executable, "-c", CHECK_DERIVED], env=env, cwd=ROOT, capture_output=True,
                             text=True, timeout=300)
    assert "derived columns ok" in derived.stdout, derived.stderr[-3000:]
    drift = subprocess.run([sys.executable, str(ROOT / "manage.py"), "campaigns_totals"], env=env, cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert drift.returncode == 0 and "drift: 0 plans, 0 unit rows" in drift.stdout, drift.stdout + drift.stderr
