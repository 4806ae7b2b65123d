"""Benchmark of the reports room on an existing database (the demo, or the national generator's: bench/generate.py).

It times, through the real selectors and services:
  - the dashboard of the top unit for a year (the unit and its sub-units: the report's figures, field work and
    findings, issues by category, ward and month; a fixed number of grouped queries): median and p95
    (issue 13's target at national scale: median under 500 ms);
  - compiling the top unit's report from its sub-units' reports and rendering its DOCX (target: under 10 s for
    200 ward reports): a round is opened, every sub-unit's report submitted and accepted, then compiled and
    rendered, all inside a transaction that is rolled back, so the database is left as it was;
  - and checks the roll-up against a hand-written SQL query over the same rows (plan tasks due in the year).

It prints figures; nothing is asserted (a benchmark is not a test).

    DATABASE_URL=postgres:///chithi_reports .venv/bin/python bench/reports_bench.py --year 2026 --runs 10

On a generated database (bench/generate.py with the `reports` step, bench/gen_reports.py), `--province` takes the
province with the most wards: its dashboard for the year, then its generated annual round — the wards' reports
already written and submitted — accepted, compiled and rendered (rolled back too):

    DATABASE_URL=postgres:///chithi_national .venv/bin/python bench/reports_bench.py --province --year 2026
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chithi.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=dt.date.today().year)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--wards", type=int, default=0,
                        help="add this many empty ward committees under the top unit (rolled back) for the compile")
    parser.add_argument("--province", action="store_true",
                        help="the province with the most wards (a generated database), and its generated round")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import translation

    from chithi.core.models import User
    from chithi.orgs.models import Organisation
    from chithi.reports import selectors, services
    from chithi.reports.models import Report, ReportKind

    translation.activate("vi")
    translation.gettext("Status")  # load the catalogues and the URLconf now, not inside the first timed call
    from django.urls import reverse

    reverse("reports:dashboard")
    admin = User.objects.filter(is_superuser=True).first()
    top = Organisation.objects.filter(parent__isnull=True, dissolved_on__isnull=True).order_by("path").first()
    if args.province:
        from django.db.models import Count

        top = (Organisation.objects.filter(depth=1, dissolved_on__isnull=True).annotate(n=Count("children"))
               .order_by("-n", "path").first())
    if admin is None:  # a generated database has no superuser: one that is never saved reads, one rolled back writes
        admin = User(username="bench-reports", is_superuser=True, is_staff=True, is_active=True)
    assert top is not None, "load the demo or generate data first"
    start, end = dt.date(args.year, 1, 1), dt.date(args.year, 12, 31)

    times = []
    for _ in range(args.runs):
        began = time.perf_counter()
        board = selectors.dashboard(user=admin, unit=top, start=start, end=end)
        selectors.issue_breakdown(user=admin, unit=top, start=start, end=end)  # by category, ward and month
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"dashboard of {top.name} for {args.year}: {len(board.rows)} sub-units, "
          f"median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms (target: median < 500 ms)")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM campaigns_plantask t JOIN campaigns_plan p ON p.id = t.plan_id "
            "JOIN orgs_organisation o ON o.id = p.organisation_id "
            "WHERE o.path LIKE %s AND t.deadline BETWEEN %s AND %s AND t.status <> 'cancelled'",
            [top.path + "%", start, end])
        by_sql = cursor.fetchone()[0]
    print(f"plan tasks due in {args.year}: roll-up {board.total.figures['tasks_total']}, hand-written SQL {by_sql}"
          f" — {'equal' if by_sql == board.total.figures['tasks_total'] else 'DIFFERENT'}")

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            if admin.pk is None:
                admin.save()
            from chithi.orgs.models import OrgKind
            from chithi.orgs.services import create_organisation

            for n in range(args.wards):
                create_organisation(actor=admin, name=f"Đảng ủy phường thử {n}", kind=OrgKind.WARD_COMMITTEE,
                                    parent=top)
            from chithi.reports.models import ReportStatus, Round, RoundStatus

            began = time.perf_counter()

            generated = Round.objects.filter(organisation=top, kind=ReportKind.ANNUAL, status=RoundStatus.OPEN,
                                             period_start=start).first() if args.province else None
            if generated is not None:  # the generator wrote the wards' reports: accept the submitted ones
                round_ = generated
                subs = list(Report.objects.filter(round=round_, compiled=False, status=ReportStatus.SUBMITTED)
                            .select_related("round", "organisation"))
                opened = time.perf_counter() - began
                for report in subs:
                    services.accept_report(actor=admin, report=report)
            else:
                round_ = services.open_round(actor=admin, unit=top, kind=ReportKind.ANNUAL, title="bench",
                                             period_start=start, period_end=end, deadline=end)
                opened = time.perf_counter() - began
                subs = list(Report.objects.filter(round=round_, compiled=False)
                            .select_related("round", "organisation"))
                text = dict.fromkeys(("I", "II", "III", "IV", "V"), "Nội dung " * 40)
                for report in subs:
                    report = services.update_report(actor=admin, report=report, sections=text)
                    services.accept_report(actor=admin, report=services.submit_report(actor=admin, report=report))
            own = Report.objects.get(round=round_, compiled=True)
            began = time.perf_counter()
            own = services.compile_report(actor=admin, report=own)
            compiled = time.perf_counter() - began
            began = time.perf_counter()
            services.render_document(actor=admin, report=own)
            rendered = time.perf_counter() - began
            check = services.compile_check(own)
            step = "accept the generated round's submitted" if generated is not None else "open a round for"
            print(f"{step} {len(subs)} sub-units: {opened:.2f} s; compile: {compiled:.2f} s; "
                  f"render DOCX: {rendered:.2f} s; compile + render {compiled + rendered:.2f} s (target < 10 s "
                  f"for 200); compiled figures flagged: {[c['key'] for c in check if c['flag']]}")
            raise Rollback
    except Rollback:
        pass
    print("(the round, its reports and the document were rolled back)")


if __name__ == "__main__":
    main()
