"""Benchmark of grassroots work at national scale (PostgreSQL): party cells' meetings and their roll calls.

At --scale 1: 34 provinces, ~3,300 wards, 60,000 party cells with ~21 members each (1.26 million people and
memberships), 12 months of meetings (720,000) and their roll calls (~15 million attendance rows), written with
COPY. Then, through Django's test Client and the real views and selectors, it times:

  - the province-level "attendance by unit" page (/co-so/tong-hop/?unit=<province>&year=<year>) as the province's
    secretary: median and p95, and its query count (target: median under 300 ms);
  - a cell's meeting page (/sinh-hoat-chi-bo/<id>/) for the smallest and the largest cell, as the ward's secretary:
    median and p95 (target: under 50 ms) and query counts (target: the same whatever the cell's size);
  - the national roll-up (superuser), for information.

It prints figures; nothing is asserted (a benchmark is not a test).

    createdb chithi_grassroots_bench
    DATABASE_URL=postgres:///chithi_grassroots_bench .venv/bin/python bench/grassroots_bench.py --scale 0.05
    ... --scale 1 --runs 30            # the issue's numbers (about 15 million attendance rows)
    ... --measure-only                 # measure again without regenerating

Joining the national generator (bench/generate.py, branch issue15-infra): the three writers below (`_meetings`,
`_attendance`, and the members' standing they read) become a `@generator_step("grassroots", after=["orgs"])` in
`bench/gen_grassroots.py`, reading the cells and memberships the orgs step wrote instead of writing their own
tree (`_tree`, `_people`); the measurement part stays here and takes the national database as its input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chithi.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from chithi.core.models import User  # noqa: E402
from chithi.core.permissions import Role  # noqa: E402
from chithi.core.text import fold, person_sort_key, vi_sort_key  # noqa: E402
from chithi.grassroots.selectors import rollup  # noqa: E402
from chithi.orgs.models import PATH_STEP, Organisation, RoleAssignment  # noqa: E402

PROVINCES, WARDS, CELLS = 34, 3_321, 60_000
MEMBERS = (12, 30)  # members of a cell: uniform in this range, ~21 on average
YEAR = dt.date.today().year - 1  # a whole year of meetings, all held
STATUS = [("present", "", 0.86), ("excused", "work", 0.07), ("excused", "illness", 0.04), ("unexcused", "", 0.03)]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Minh", "Nam", "Phúc",
         "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Yến"]
NOW = "2026-01-01 00:00:00+07"


def _copy(cursor: Any, table: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    """COPY rows (tuples of str/int/None) into a table, in 8 MB chunks of tab-separated text."""
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
            buffer.write("\n")
            count += 1
            if buffer.tell() > 8_000_000:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    return count


def _path(parent: str, pk: int) -> str:
    return f"{parent}{pk:0{PATH_STEP}d}/"


def _tree(cursor: Any, scale: float) -> list[tuple[int, int, str, int]]:
    """The root, provinces, wards and cells; returns the cells as (id, ward id, path, member count)."""
    rng = random.Random(11)
    provinces = max(1, round(PROVINCES * min(scale * 4, 1)))
    wards = max(provinces, round(WARDS * scale))
    cells = max(wards, round(CELLS * scale))
    rows: list[tuple[Any, ...]] = []
    cols = ["id", "name", "short_name", "code", "kind", "parent_id", "path", "depth", "residential", "established_on",
            "description", "search_text", "sort_key", "created_at", "updated_at"]

    def org(pk: int, name: str, kind: str, parent: int | None, path: str, depth: int, residential: bool) -> None:
        rows.append((pk, name, "", str(pk), kind, parent, path, depth, "t" if residential else "f", "2010-01-01", "",
                     fold(name), vi_sort_key(name), NOW, NOW))

    org(1, "Ban Chấp hành Trung ương", "party_committee", None, _path("", 1), 0, False)
    next_id = 2
    level: list[tuple[int, str]] = [(1, _path("", 1))]
    for depth, (count, label, kind) in enumerate(
            [(provinces, "Tỉnh ủy thử nghiệm", "party_committee"), (wards, "Đảng ủy phường", "ward_committee"),
             (cells, "Chi bộ khu dân cư", "party_cell")], start=1):
        below = []
        for n in range(count):
            parent, parent_path = level[n % len(level)]  # spread evenly over the level above
            path = _path(parent_path, next_id)
            org(next_id, f"{label} {n + 1}", kind, parent, path, depth, kind == "party_cell")
            below.append((next_id, path, parent))
            next_id += 1
        level = [(pk, path) for pk, path, _parent in below]
    cell_rows = [(pk, parent, path, rng.randint(*MEMBERS)) for pk, path, parent in below]
    _copy(cursor, "orgs_organisation", cols, iter(rows))
    return cell_rows


def _people(cursor: Any, cells: list[tuple[int, int, str, int]]) -> dict[int, range]:
    """Members of every cell (a person each), with their memberships; returns cell id -> person ids."""
    rng = random.Random(12)
    members: dict[int, range] = {}
    start = 1
    for cell_id, *_rest, size in cells:
        members[cell_id] = range(start, start + size)
        start += size

    def persons() -> Iterator[tuple[Any, ...]]:
        for cell_id, *_rest in cells:
            for pk in members[cell_id]:
                name = f"{rng.choice(FAMILY)} Văn {rng.choice(GIVEN)}"
                joined = f"{rng.randint(1975, YEAR - 2)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
                if pk % 40 == 0:
                    joined = f"{YEAR}-03-15"  # admitted this year: probationary for part of it
                yield (pk, name, "", None, "t", joined, "", "", "", fold(name), person_sort_key(name), NOW, NOW)

    _copy(cursor, "orgs_person", ["id", "full_name", "gender", "birth_date", "is_party_member", "party_joined_on",
                                  "phone", "email", "note", "search_text", "sort_key", "created_at", "updated_at"],
          persons())

    def memberships() -> Iterator[tuple[Any, ...]]:
        for cell_id, *_rest in cells:
            for n, pk in enumerate(members[cell_id]):
                yield (pk, cell_id, "Bí thư Chi bộ" if n == 0 else "Đảng viên", "2015-01-01", None, NOW, NOW)

    _copy(cursor, "orgs_membership", ["person_id", "organisation_id", "position", "since", "until", "created_at",
                                      "updated_at"], memberships())
    return members


def _meetings(cursor: Any, cells: list[tuple[int, int, str, int]], members: dict[int, range]) -> tuple[int, int]:
    """12 monthly meetings per cell (a thematic one each quarter), all held, with their whole roll call.

    Each meeting's counters are computed with its roll call, as services.record_attendance writes them."""
    rng = random.Random(13)
    weights = [w for _s, _r, w in STATUS]
    meeting_rows: list[tuple[Any, ...]] = []
    attendance_lines = io.StringIO()
    meeting_id = 0
    attendance_count = 0
    cols = ["id", "organisation_id", "kind", "theme_kind", "topic", "starts_at", "planned_minutes", "place", "period",
            "status", "cancel_reason", "note", "notified_at", "roster_official", "roster_probationary",
            "present_official", "present_probationary", "absent_excused", "absent_unexcused", "exempt_absent",
            "search_text", "created_at", "updated_at"]
    probation_end = dt.date(YEAR + 1, 3, 15)
    with cursor.copy("COPY grassroots_attendance (meeting_id, person_id, status, reason, note, probationary) "
                     "FROM STDIN") as copy:
        for cell_id, *_rest in cells:
            people = members[cell_id]
            for month in range(1, 13):
                meeting_id += 1
                day = dt.date(YEAR, month, 5 + cell_id % 7)
                thematic = month % 3 == 0
                counts = {"po": 0, "pp": 0, "ro": 0, "rp": 0, "ex": 0, "un": 0}
                statuses = rng.choices(STATUS, weights, k=len(people))
                for pk, (status, reason, _w) in zip(people, statuses, strict=True):
                    probationary = pk % 40 == 0 and day >= dt.date(YEAR, 3, 15) and day < probation_end
                    if pk % 40 == 0 and day < dt.date(YEAR, 3, 15):
                        continue  # not yet a party member on that day
                    counts["rp" if probationary else "ro"] += 1
                    if status == "present":
                        counts["pp" if probationary else "po"] += 1
                    elif status == "excused":
                        counts["ex"] += 1
                    else:
                        counts["un"] += 1
                    flag = "t" if probationary else "f"
                    attendance_lines.write(f"{meeting_id}\t{pk}\t{status}\t{reason}\t\t{flag}\n")
                    attendance_count += 1
                if attendance_lines.tell() > 8_000_000:
                    copy.write(attendance_lines.getvalue())
                    attendance_lines = io.StringIO()
                meeting_rows.append((
                    meeting_id, cell_id, "combined" if thematic else "regular", "ho_chi_minh" if thematic else "",
                    "Học tập và làm theo Bác" if thematic else "", f"{day} 19:30:00+07", 120 if thematic else 90,
                    "Nhà văn hóa", YEAR * 100 + month, "held", "", "", f"{day} 08:00:00+07", counts["ro"], counts["rp"],
                    counts["po"], counts["pp"], counts["ex"], counts["un"], 0, "nha van hoa", NOW, NOW))
        copy.write(attendance_lines.getvalue())
    _copy(cursor, "grassroots_meeting", cols, iter(meeting_rows))
    return meeting_id, attendance_count


BIG_TABLES = ("grassroots_attendance", "grassroots_meeting", "orgs_membership", "orgs_person", "orgs_organisation")


def _drop_secondary(cursor: Any) -> list[str]:
    """Drop the big tables' foreign keys, unique constraints and indexes (COPY into bare tables, then one build per
    index is several times faster); returns the DDL that puts them back."""
    names = ", ".join(f"'{t}'" for t in BIG_TABLES)
    cursor.execute(f"""SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
        WHERE c.contype IN ('f', 'u') AND (c.conrelid::regclass::text IN ({names})
                                          OR c.confrelid::regclass::text IN ({names}))""")
    constraints = cursor.fetchall()
    cursor.execute(f"""SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
        WHERE NOT i.indisprimary AND i.indrelid::regclass::text IN ({names})
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""")
    indexes = cursor.fetchall()
    for table, name, _definition in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    ordered = sorted(constraints, key=lambda r: "FOREIGN" in r[2])  # unique ones first: foreign keys use them
    return [definition for _n, definition in indexes] + [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}'
                                                         for t, n, d in ordered]


def generate(scale: float) -> None:
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own cursor, for COPY
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(f"TRUNCATE {', '.join(BIG_TABLES)}, orgs_roleassignment RESTART IDENTITY CASCADE")
        restore = _drop_secondary(cursor)
        cells = _tree(cursor, scale)
        print(f"  tree: {len(cells):,} cells  ({time.monotonic() - started:.1f} s)")
        members = _people(cursor, cells)
        print(f"  people and memberships: {sum(len(r) for r in members.values()):,}  "
              f"({time.monotonic() - started:.1f} s)")
        meetings, rows = _meetings(cursor, cells, members)
        print(f"  meetings: {meetings:,}, attendance rows: {rows:,}  ({time.monotonic() - started:.1f} s)")
        for ddl in restore:
            cursor.execute(ddl)
        for table in (*BIG_TABLES, "orgs_roleassignment"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")
        cursor.execute(f"ANALYZE {', '.join(BIG_TABLES)}")
    print(f"  indexes rebuilt, analysed  ({time.monotonic() - started:.1f} s)")


def _user(name: str, unit: Organisation | None, role: str = Role.SECRETARY) -> User:
    user, _created = User.objects.get_or_create(username=name, defaults={"is_superuser": unit is None})
    if unit is not None:
        RoleAssignment.objects.get_or_create(user=user, organisation=unit, role=role)
    return user


def _time(client: Client, url: str, runs: int) -> tuple[float, float, float, int]:
    """(median wall-clock ms, p95 ms, median CPU ms of this process, queries). The CPU time leaves out the time
    spent waiting for a core, so it reads the same on a busy shared machine; the database's own time is not in
    it (the wall-clock is)."""
    assert client.get(url).status_code == 200, url  # warm-up (and the URL is right)
    timings, cpu = [], []
    for _run in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return (statistics.median(timings), sorted(timings)[max(0, int(len(timings) * 0.95) - 1)],
            statistics.median(cpu), len(queries))


def measure(runs: int) -> None:
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    from chithi.grassroots.models import Meeting

    province = Organisation.objects.filter(depth=1).order_by("id").first()
    assert province is not None, "no data: run without --measure-only first"
    client = Client()
    client.force_login(_user("bench-province", province))
    cells = Organisation.objects.filter(path__startswith=province.path, kind="party_cell").count()
    meetings = Meeting.objects.filter(organisation__path__startswith=province.path).count()
    print(f"\nProvince {province.name}: {cells:,} cells, {meetings:,} meetings in {YEAR}")
    url = f"/co-so/tong-hop/?unit={province.pk}&year={YEAR}"
    median, p95, cpu, queries = _time(client, url, runs)
    print(f"  attendance by unit page   median {median:7.1f} ms   p95 {p95:7.1f} ms   cpu {cpu:6.1f} ms"
          f"   {queries} queries   (target: median < 300 ms)")
    t0 = time.perf_counter()
    total, rows = rollup.by_unit(user=User.objects.get(username="bench-province"), focus=province, year=YEAR)
    print(f"  selector alone            {(time.perf_counter() - t0) * 1000:7.1f} ms   {len(rows)} wards, "
          f"attendance {total.attendance_rate} %")

    sizes = (Meeting.objects.filter(organisation__path__startswith=province.path)
             .order_by("roster_official", "id"))
    for label, meeting in (("smallest", sizes.first()), ("largest", sizes.last())):
        assert meeting is not None
        ward_client = Client()
        ward_client.force_login(_user(f"bench-ward-{meeting.organisation.parent_id}", meeting.organisation.parent))
        median, p95, cpu, queries = _time(ward_client, f"/sinh-hoat-chi-bo/{meeting.pk}/", runs)
        print(f"  meeting page, {label} cell ({meeting.roster} members)   median {median:6.1f} ms   p95 {p95:6.1f} ms"
              f"   cpu {cpu:5.1f} ms   {queries} queries   (target: < 50 ms, same count)")

    national = Client()
    national.force_login(_user("bench-national", None))
    root = Organisation.objects.get(depth=0)
    median, p95, _cpu, queries = _time(national, f"/co-so/tong-hop/?unit={root.pk}&year={YEAR}", max(3, runs // 5))
    total_meetings = Meeting.objects.count()
    print(f"\nNational roll-up over {total_meetings:,} meetings   median {median:7.1f} ms   p95 {p95:7.1f} ms"
          f"   {queries} queries   (for information)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.05, help="1 = 60,000 cells (about 15 million rows)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--measure-only", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("the benchmark writes with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database")
    if not args.measure_only:
        print(f"Generating at scale {args.scale} into {connection.settings_dict['NAME']} (its tables are emptied)")
        generate(args.scale)
    measure(args.runs)


if __name__ == "__main__":
    main()
