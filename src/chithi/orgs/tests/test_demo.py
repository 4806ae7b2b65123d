"""Issue 10: the 2025 two-level reform in the demo, in full — the city level ends on 30/06/2025 (readable on past
dates), the new wards stand under the province, the provinces' merger is recorded, the article's years unchanged."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.test import Client

from chithi.campaigns.models import Plan
from chithi.core.models import User
from chithi.core.permissions import Action, scope_paths
from chithi.orgs import selectors
from chithi.orgs.models import Organisation, OrgKind, RestructuringEvent

REFORM = dt.date(2025, 7, 1)


def test_two_level_reform(db: Any) -> None:
    """One load (it takes a while), several checks."""
    out = StringIO()
    call_command("load_demo", stdout=out)
    province = Organisation.objects.get(code="TinhU-QT")
    _the_city_level_ended(province)
    _the_article_years_read_as_they_were()
    _today_is_two_level(province)
    _accounts(province, out.getvalue())
    _every_unit_stands_where_its_kind_may()
    _the_new_ward_reads_its_predecessors()
    _the_six_month_reports_were_sent_in_july()


def _the_city_level_ended(province: Organisation) -> None:
    city = Organisation.objects.get(code="TU-DH")
    assert city.dissolved_on == REFORM and city.successor == province
    assert not Organisation.objects.filter(path__startswith=city.path, dissolved_on__isnull=True).exists()
    propaganda = Organisation.objects.get(name="Ban Tuyên giáo Thành ủy")
    assert propaganda.dissolved_on == REFORM and propaganda.successor.name.startswith("Ban Tuyên giáo và Dân vận")
    other = Organisation.objects.get(code="TinhU-QB")
    assert other.dissolved_on == REFORM and other.successor == province
    assert RestructuringEvent.objects.filter(sources=other, results=province, effective_on=REFORM).exists()
    assert RestructuringEvent.objects.filter(sources=city, results=province, effective_on=REFORM).exists()


def _the_article_years_read_as_they_were() -> None:
    admin = User.objects.get(username="sysadmin")
    nodes = selectors.flatten(selectors.org_tree(user=admin, on_date=dt.date(2020, 1, 1)))
    city = next(n for n in nodes if n.org.code == "TU-DH")
    wards = [c.org.name for c in city.children if c.org.kind == OrgKind.WARD_COMMITTEE]
    assert len(wards) == 9 and "Đảng ủy phường 1" in wards
    assert all(n.org.name != "Đảng ủy phường Đông Hà" for n in nodes)
    # every old ward still has its cells under it on that date
    assert all(c.children for c in city.children if c.org.kind == OrgKind.WARD_COMMITTEE)
    assert Plan.objects.filter(year=2017, organisation__code="TU-DH").exists()


def _today_is_two_level(province: Organisation) -> None:
    admin = User.objects.get(username="sysadmin")
    roots = selectors.org_tree(user=admin)
    assert [r.org for r in roots] == [province]
    wards = {c.org.name for c in roots[0].children if c.org.kind == OrgKind.WARD_COMMITTEE}
    assert wards == {"Đảng ủy phường Đông Hà", "Đảng ủy phường Nam Đông Hà"}
    # the 2026 plan is the province's, cascaded to the two wards
    assert Plan.objects.filter(year=2026, organisation=province, closed_on__isnull=True).exists()


def _accounts(province: Organisation, printed: str) -> None:
    office = User.objects.get(username="demo.tinhuy")
    assert {a.organisation.name for a in office.role_assignments.all()} == {
        "Ban Tuyên giáo và Dân vận Tỉnh ủy Quảng Trị", province.name}
    # The province's propaganda specialist follows the directive in every ward: the wards' plans and the province's
    # report rounds (a role on the department alone showed one unit and no report).
    assert Plan.objects.filter(organisation__kind=OrgKind.WARD_COMMITTEE, organisation__dissolved_on__isnull=True,
                               year=2026).exists()
    client = Client()
    client.force_login(office)
    wards_plan = Plan.objects.filter(organisation__kind=OrgKind.WARD_COMMITTEE, year=2026,
                                     organisation__dissolved_on__isnull=True).first()
    assert client.get(wards_plan.get_absolute_url()).status_code == 200
    assert "Sơ kết 6 tháng đầu năm 2026 thực hiện Chỉ thị 05-CT/TW" in client.get("/bao-cao/").content.decode()
    assert User.objects.get(username="demo.quantri").role_assignments.filter(organisation=province).exists()
    former = User.objects.get(username="demo.tuyengiao")
    assert former.role_assignments.filter(organisation__code="TU-DH").exists()
    assert scope_paths(former, Action.VIEW) == []
    assert "vai trò đã kết thúc" in printed
    cell = User.objects.get(username="demo.bithuchibo").role_assignments.get().organisation
    assert cell.kind == OrgKind.PARTY_CELL and cell.is_active


def _the_new_ward_reads_its_predecessors() -> None:
    client = Client()
    client.force_login(User.objects.get(username="demo.bithuphuong"))
    old_ward = Organisation.objects.get(name="Đảng ủy phường 1")
    assert client.get(old_ward.get_absolute_url()).status_code == 200
    closed = Plan.objects.filter(organisation=old_ward, year=2024).get()
    assert client.get(closed.get_absolute_url()).status_code == 200
    assert client.get("/to-chuc/?ngay=2020-01-01").status_code == 200


def _every_unit_stands_where_its_kind_may() -> None:
    """Every room's seeders make units through the service, which holds to models.CHILD_KINDS; so does the merger."""
    from chithi.orgs.services.organisations import kind_problem

    misplaced = [f"{org.name} ({org.kind}) under {org.parent}" for org in Organisation.objects.select_related("parent")
                 if kind_problem(org.kind, org.parent)]
    assert misplaced == []


def _the_six_month_reports_were_sent_in_july() -> None:
    """They read "sent 29/11/2026" (the load's time) against a deadline of 05/07/2026, and the province's document on
    January to June was dated in November."""
    from chithi.reports.document import _date_line
    from chithi.reports.models import Report, ReportKind

    sent = Report.objects.filter(round__kind=ReportKind.SIX_MONTH, round__period_end=dt.date(2026, 6, 30),
                                 submitted_at__isnull=False).select_related("round")
    assert sent.count() > 10
    for report in sent:
        day = report.submitted_at.date()
        assert dt.date(2026, 6, 1) <= day <= report.round.deadline, (str(report), day)
        assert report.decided_at is None or report.decided_at >= report.submitted_at
    # Rounds whose every report came in were closed then; the one waiting on a late cell stays open.
    from chithi.reports.models import Round, RoundStatus

    rounds = Round.objects.filter(kind=ReportKind.SIX_MONTH, period_end=dt.date(2026, 6, 30))
    assert {r.status for r in rounds} == {RoundStatus.OPEN, RoundStatus.CLOSED}
    for round_ in rounds:
        waiting = round_.reports.filter(compiled=False, submitted_at__isnull=True).exists()
        assert (round_.status == RoundStatus.OPEN) == waiting, round_.title
    signed = sent.get(compiled=True, organisation__code="TinhU-QT")
    assert _date_line(signed).endswith("ngày 10 tháng 07 năm 2026")
    assert signed.document_number.registered_at.date() == dt.date(2026, 7, 10)
