"""Benchmark of the oversight room (not a test): the evidence panel of one member and the per-unit summary table
of a ward, with their query counts at two sizes to show they do not grow with the number of members.

Builds, in the database named by DATABASE_URL (default: a throw-away SQLite file under var/), a province with
BENCH_WARDS wards of BENCH_CELLS party cells of BENCH_MEMBERS members each; for every member a year's plan
tasks, twelve cell meetings' attendance and an evaluation with a decided level. Run:

    DATABASE_URL=postgres:///bench_oversight .venv/bin/python bench/oversight_bench.py
    BENCH_CELLS=200 BENCH_MEMBERS=25 .venv/bin/python bench/oversight_bench.py

Against a database the national generator filled (bench/generate.py with bench/gen_oversight.py), nothing is
built: the figures are measured on the generated round, its members and the ward with the most cells:

    DATABASE_URL=postgres:///chithi_national .venv/bin/python bench/oversight_bench.py --generated
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chithi.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_oversight.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from chithi.campaigns import services as campaigns  # noqa: E402
from chithi.campaigns.models import PlanTask, TaskStatus  # noqa: E402
from chithi.core.models import User  # noqa: E402
from chithi.grassroots.models import Attendance, AttendanceStatus, Meeting, MeetingStatus  # noqa: E402
from chithi.orgs import services as orgs  # noqa: E402
from chithi.orgs.models import Membership, Organisation, OrgKind, Person  # noqa: E402
from chithi.oversight import services  # noqa: E402
from chithi.oversight.models import LEVEL_ORDER, Evaluation, EvaluationStatus, FormKind  # noqa: E402
from chithi.oversight.selectors.evaluation import unit_summary  # noqa: E402
from chithi.oversight.selectors.evidence import member_evidence  # noqa: E402

WARDS = int(os.environ.get("BENCH_WARDS", "2"))
CELLS = int(os.environ.get("BENCH_CELLS", "200"))
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "25"))
YEAR = 2025


def timed(label: str, func: Any, repeat: int = 21) -> None:
    samples = []
    queries = 0
    for _i in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            func()
            samples.append((time.perf_counter() - started) * 1000)
        queries = len(ctx)
    print(f"  {label:<62} median {statistics.median(samples):8.1f} ms   max {max(samples):8.1f} ms   "
          f"{queries} queries")


def build(root: User) -> tuple[list[Organisation], list[Person]]:
    rng = random.Random(12)
    province = orgs.create_organisation(actor=root, name="Tỉnh ủy Bench", kind=OrgKind.PARTY_COMMITTEE)
    directive = campaigns.create_directive(actor=root, organisation=province, number="05-CT/TW",
                                           issued_on=dt.date(2016, 5, 15), issuer="Bộ Chính trị", title="Chỉ thị 05")
    theme = campaigns.create_theme(actor=root, organisation=province, year=YEAR, directive=directive, text="Chủ đề")
    plan = campaigns.create_plan(actor=root, organisation=province, theme=theme, title="Kế hoạch",
                                 starts_on=dt.date(YEAR, 1, 1), ends_on=dt.date(YEAR, 12, 31))
    round_ = services.open_round(actor=root, organisation=province, year=YEAR, deadline=dt.date(YEAR + 1, 1, 15))
    wards = []
    people: list[Person] = []
    for w in range(WARDS):
        ward = orgs.create_organisation(actor=root, name=f"Đảng ủy phường {w}", kind=OrgKind.WARD_COMMITTEE,
                                        parent=province)
        wards.append(ward)
        cells = [orgs.create_organisation(actor=root, name=f"Chi bộ {w}-{c}", kind=OrgKind.PARTY_CELL, parent=ward)
                 for c in range(CELLS)]
        for cell in cells:
            members = Person.objects.bulk_create([Person(full_name=f"Đảng viên {cell.pk}-{m}", is_party_member=True,
                                                         sort_key=f"{cell.pk:08d}{m:04d}") for m in range(MEMBERS)])
            Membership.objects.bulk_create([Membership(person=p, organisation=cell, since=dt.date(2015, 1, 1))
                                            for p in members])
            people += members
            meetings = Meeting.objects.bulk_create([Meeting(
                organisation=cell, starts_at=timezone.make_aware(dt.datetime(YEAR, month, 10, 19, 30)),
                period=YEAR * 100 + month, status=MeetingStatus.HELD) for month in range(1, 13)])
            Attendance.objects.bulk_create([Attendance(
                meeting=meeting, person=p,
                status=AttendanceStatus.PRESENT if rng.random() < 0.9 else AttendanceStatus.EXCUSED)
                for meeting in meetings for p in members])
            tasks = PlanTask.objects.bulk_create([PlanTask(
                plan=plan, title=f"Nhiệm vụ {cell.pk}-{t}", deadline=dt.date(YEAR, 3 * t + 3, 28),
                status=TaskStatus.DONE,
                completed_on=dt.date(YEAR, 3 * t + 3, 20) + dt.timedelta(days=rng.randint(0, 15)))
                for t in range(4)])
            through = PlanTask.owner_people.through
            through.objects.bulk_create([through(plantask_id=t.pk, person_id=p.pk) for t in tasks for p in members])
            Evaluation.objects.bulk_create(
                [Evaluation(round=round_, organisation=cell, form_kind=FormKind.COLLECTIVE,
                            status=EvaluationStatus.APPROVED, decided_level=rng.choice(LEVEL_ORDER))]
                + [Evaluation(round=round_, organisation=cell, person=p, form_kind=FormKind.MEMBER,
                              status=EvaluationStatus.APPROVED, decided_level=rng.choice(LEVEL_ORDER))
                   for p in members])
    return wards, people


def generated() -> None:
    """Measure on a generated database: one member's evidence panel (21 members drawn at random) and the
    summary table of the ward with the most party cells (the generated tree has about 18 a ward, as the
    country has; the query count, not the ward's size, is what must stay constant)."""
    from django.db.models import Count

    from chithi.oversight.models import Round

    round_ = Round.objects.select_related("organisation").order_by("-year", "id").first()
    if round_ is None:
        print("No evaluation round: run bench/generate.py (with bench/gen_oversight.py) into this database first.")
        sys.exit(1)
    year = round_.year
    user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-oversight", "bench@example.vn", "bench-pass-1")
    members = Evaluation.objects.filter(round=round_, person__isnull=False).count()
    print(f"{connection.vendor} {connection.settings_dict['NAME']}: round {year} at {round_.organisation.name}, "
          f"{Evaluation.objects.count():,} evaluations in all ({members:,} members in this round)")
    rng = random.Random(3)
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    picks = list(Person.objects.filter(pk__in=[rng.randint(1, top) for _ in range(60)])[:21])
    it = iter(picks * 2)
    timed("evidence panel of one member (member_evidence)", lambda: member_evidence(next(it), year))
    ward = (Organisation.objects.filter(kind=OrgKind.WARD_COMMITTEE, path__startswith=round_.organisation.path)
            .annotate(cells=Count("children")).order_by("-cells", "pk").first())
    assert ward is not None
    timed(f"summary table of the ward with the most cells ({ward.cells} cells, unit_summary)",  # type: ignore[attr-defined]
          lambda: unit_summary(user=user, round=round_, unit=ward))
    cell = Organisation.objects.filter(parent=ward).order_by("pk").first()
    assert cell is not None
    timed("summary table of one cell (same query count expected)",
          lambda: unit_summary(user=user, round=round_, unit=cell))


def main() -> None:
    if "--generated" in sys.argv:
        generated()
        return
    call_command("migrate", verbosity=0)
    if Organisation.objects.filter(name="Tỉnh ủy Bench").exists():
        print("The benchmark database already has the bench province; use an empty database.")
        sys.exit(1)
    started = time.perf_counter()
    with transaction.atomic():
        root = User.objects.create_superuser("bench-root", "bench@example.vn", "bench-pass-1")
        wards, people = build(root)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum would have done after a load this size
    from chithi.oversight.models import Round

    round_ = Round.objects.get(organisation__name="Tỉnh ủy Bench")
    print(f"{connection.vendor}: {WARDS} wards × {CELLS} cells × {MEMBERS} members = {len(people)} members, "
          f"{Attendance.objects.count()} attendance rows, built in {time.perf_counter() - started:.0f} s")
    rng = random.Random(3)
    picks = rng.sample(people, 21)
    it = iter(picks * 2)
    timed("evidence panel of one member (member_evidence)", lambda: member_evidence(next(it), YEAR))
    timed(f"summary table of a ward with {CELLS} cells (unit_summary)",
          lambda: unit_summary(user=root, round=round_, unit=wards[0]))
    small = Organisation.objects.filter(parent=wards[0]).first()
    assert small is not None
    timed("summary table of one cell (same query count expected)",
          lambda: unit_summary(user=root, round=round_, unit=small))


if __name__ == "__main__":
    main()
