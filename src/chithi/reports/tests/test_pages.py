"""The pages, the home panels by role, the dashboard with its charts and exports, and the API of the reports room."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from chithi.campaigns.tests.factories import PlanFactory, PlanTaskFactory

from .. import services
from ..models import Report, ReportStatus, Round
from .factories import open_ward_round, product_data, sections

pytestmark = pytest.mark.django_db


def _login(client: Client, world: Any, role: str) -> Client:
    client.force_login(world.user(role))
    return client


def test_open_a_round_from_the_page_and_refuse_a_bad_period(world: Any, client: Client) -> None:
    _login(client, world, "secretary")
    url = reverse("reports:round_create")
    bad = client.post(url, {"unit": world.ward_a.pk, "kind": "annual", "title": "Tổng kết năm 2026",
                            "period_start": "2026-12-31", "period_end": "2026-01-01", "deadline": "2026-12-20"})
    assert bad.status_code == 200 and "Ngày kết thúc kỳ báo cáo trước ngày bắt đầu." in bad.content.decode()
    assert not Round.objects.exists()
    good = client.post(url, {"unit": world.ward_a.pk, "kind": "annual", "title": "Tổng kết năm 2026",
                             "period_start": "2026-01-01", "period_end": "2026-12-31", "deadline": "2026-12-20"})
    round_ = Round.objects.get()
    assert good.status_code == 302 and good["Location"] == round_.get_absolute_url()
    board = client.get(good["Location"]).content.decode()
    assert "Chi bộ Khu phố 1" in board and "Chi bộ Khu phố 2" in board


def test_edit_a_report_a_corrected_figure_needs_its_reason(world: Any, client: Client) -> None:
    product_data(world)
    s = open_ward_round(world)
    _login(client, world, "cell_secretary")
    url = reverse("reports:report_edit", args=[s.a1.pk])
    data = {f"section_{k}": v for k, v in sections().items()} | {"summary": "Sơ kết", "fig_tasks_done": "2",
                                                                   "why_tasks_done": ""}
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "sửa số liệu do phần mềm tính thì phải ghi lý do" in refused.content.decode()
    s.a1.refresh_from_db()
    assert s.a1.overrides == {} and s.a1.sections["I"] == ""
    saved = client.post(url, data | {"why_tasks_done": "Hoàn thành ngày 30/6"})
    assert saved.status_code == 302
    s.a1.refresh_from_db()
    assert s.a1.value("tasks_done") == 2 and s.a1.sections["V"] == "Nội dung V"
    client.post(reverse("reports:report_submit", args=[s.a1.pk]))
    s.a1.refresh_from_db()
    assert s.a1.status == ReportStatus.SUBMITTED
    page = client.get(s.a1.get_absolute_url()).content.decode()
    assert "Hoàn thành ngày 30/6" in page and "Đã gửi" in page


def test_home_panels_by_role(world: Any, client: Client) -> None:
    s = open_ward_round(world)
    plan = PlanFactory(organisation=world.ward_a)
    PlanTaskFactory(plan=plan, deadline=dt.date.today() - dt.timedelta(days=3), owner_people=[world.person_a1])
    secretary = _login(client, world, "secretary").get("/").content.decode()
    assert "Việc của tôi hôm nay" in secretary and "nhiệm vụ quá hạn" in secretary
    assert f"?unit={world.ward_a.pk}&amp;overdue=true" in secretary  # the number links to its list
    leader = _login(Client(), world, "leader")
    body = leader.get("/").content.decode()
    assert "đơn vị chậm báo cáo" in body and reverse("reports:dashboard") in body
    # After the deadline, the late cells are named on the leader's home (the round's deadline is 5/7/2026).
    Round.objects.filter(pk=s.round.pk).update(deadline=dt.date.today() - dt.timedelta(days=1))
    body = leader.get("/").content.decode()
    assert "Chi bộ Khu phố 1" in body and "Chi bộ Khu phố 2" in body
    nobody = _login(Client(), world, "nobody").get("/").content.decode()
    assert "Việc của tôi hôm nay" not in nobody


def test_a_cell_secretary_sees_the_next_meeting_of_their_cell_once(world: Any, client: Client) -> None:
    """Seen in the demo: a cell's secretary read the same meeting twice on the home page, under "My work
    today" and under "My next meeting". The work panel names it only for a unit the user does not attend."""
    from chithi.grassroots.tests.factories import meeting, next_month
    from chithi.orgs.models import Person

    user = world.user("cell_secretary")
    type(user).objects.filter(pk=user.pk).update(person=world.person_a1)
    assert Person.objects.filter(pk=world.person_a1.pk, memberships__organisation=world.cell_a1).exists()
    day = next_month(9).strftime("%d/%m/%Y")
    meeting(world.cell_a1, day=next_month(9))
    home = _login(client, world, "cell_secretary").get(reverse("core:home")).content.decode()
    assert "Kỳ sinh hoạt tới của tôi" in home and "Buổi sinh hoạt chi bộ tới" not in home
    assert home.count(day) == 1
    # The ward's secretary attends no cell meeting: the work panel names the next one under the ward.
    ward = _login(Client(), world, "secretary").get(reverse("core:home")).content.decode()
    assert "Buổi sinh hoạt chi bộ tới" in ward and day in ward


def test_the_dashboard_draws_charts_drills_down_and_exports(world: Any, client: Client) -> None:
    product_data(world)
    _login(client, world, "leader")
    response = client.get(reverse("reports:dashboard"), {"unit": world.ward_a.pk, "period": "half", "year": 2026,
                                                         "part": 1})
    page = response.content.decode()
    assert response.status_code == 200 and page.count('role="img"') == 4  # with the months' line chart
    assert f"?unit={world.cell_a1.pk}&amp;period=half" in page  # drill down
    assert response.context["board"].total.figures["tasks_total"] == 3
    export = client.get(reverse("reports:dashboard_export"), {"unit": world.ward_a.pk, "period": "half",
                                                              "year": 2026, "part": 1})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Đơn vị" and rows[-1][0] == world.ward_a.name and rows[-1][1] == 3
    # Out of scope: a unit the user cannot see does not exist.
    assert _login(Client(), world, "other_secretary").get(reverse("reports:dashboard"),
                                                          {"unit": world.ward_a.pk}).status_code == 404


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_dashboard_reads_from_the_replica(world: Any, client: Client, settings: Any) -> None:
    settings.REPORTING_DATABASE = "replica"
    product_data(world)
    _login(client, world, "leader")
    with CaptureQueriesContext(connections["replica"]) as replica:
        response = client.get(reverse("reports:dashboard"), {"unit": world.ward_a.pk, "period": "half",
                                                             "year": 2026, "part": 1})
    assert response.context["board"].total.figures["tasks_total"] == 3
    # The sub-units, the four figure groups, field work and findings (three), and the issues by category, ward and
    # month (one grouped query each). Only the names of categories and wards read the primary.
    assert len(replica.captured_queries) == 11


def test_docx_pdf_and_xlsx_downloads(world: Any, client: Client) -> None:
    s = open_ward_round(world)
    _login(client, world, "secretary")
    assert client.get(reverse("reports:report_docx", args=[s.own.pk])).status_code == 404  # not rendered yet
    client.post(reverse("reports:report_render", args=[s.own.pk]))
    docx = client.get(reverse("reports:report_docx", args=[s.own.pk]))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    xlsx = client.get(reverse("reports:report_xlsx", args=[s.own.pk]))
    assert load_workbook(io.BytesIO(xlsx.content)).active.max_row == 12
    export = client.get(reverse("reports:round_export", args=[s.round.pk]))
    assert load_workbook(io.BytesIO(export.content)).active.max_row == 4


def test_the_api_reads_rounds_and_board_and_refuses_bad_input(world: Any, client: Client) -> None:
    s = open_ward_round(world)
    _login(client, world, "cell_secretary")
    url = reverse("report-detail", args=[s.a1.pk])
    refused = client.patch(url, {"overrides": {"tasks_done": {"value": 3, "reason": ""}}},
                           content_type="application/json")
    assert refused.status_code == 400 and "lý do" in refused.content.decode()
    client.patch(url, {"sections": sections()}, content_type="application/json")
    submitted = client.post(reverse("report-submit", args=[s.a1.pk]))
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert client.get(reverse("report-round-detail", args=[s.round.pk])).status_code == 404  # the ward's round
    _login(client, world, "secretary")
    board = client.get(reverse("report-round-board", args=[s.round.pk])).json()
    assert board["counts"]["submitted"] == 1 and len(board["submissions"]) == 2
    assert board["compiled"]["report"] == s.own.pk
    accepted = client.post(reverse("report-accept", args=[s.a1.pk]))
    assert accepted.json()["status"] == "accepted"
    corrected = _login(Client(), world, "cell_secretary").post(reverse("report-correct", args=[s.a1.pk]),
                                                               {"reason": "Sai số"})
    assert corrected.json()["version"] == 2
    created = client.post(reverse("report-round-list"), {
        "organisation": world.ward_a.pk, "kind": "directive_05", "title": "Chuyên đề",
        "period_start": "2026-01-01", "period_end": "2026-06-30", "deadline": "2026-07-10"})
    assert created.status_code == 201
    assert Report.objects.filter(round_id=created.json()["id"]).count() == 3
    outside = client.post(reverse("report-round-list"), {
        "organisation": world.ward_b.pk, "kind": "annual", "title": "X",
        "period_start": "2026-01-01", "period_end": "2026-06-30", "deadline": "2026-07-10"})
    assert outside.status_code == 400
    services.close_round(actor=world.user("secretary"), round_=s.round)


def test_a_typed_figure_beyond_any_count_is_refused(world: Any, client: Client) -> None:
    """A tester saved 88888888888888888888888 as "tasks done", and the report printed it."""
    product_data(world)
    s = open_ward_round(world)
    _login(client, world, "cell_secretary")
    url = reverse("reports:report_edit", args=[s.a1.pk])
    data = {f"section_{k}": v for k, v in sections().items()} | {
        "summary": "Sơ kết", "fig_tasks_done": "88888888888888888888888", "why_tasks_done": "Thử"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "10000000" in refused.content.decode().replace(".", "")
    s.a1.refresh_from_db()
    assert s.a1.overrides == {}
    from django.core.exceptions import ValidationError

    from chithi.reports.services import update_report

    with pytest.raises(ValidationError, match=r"10\.000\.000"):  # the service refuses it too (the API's way in)
        update_report(actor=world.user("cell_secretary"), report=s.a1,
                      overrides={"tasks_done": {"value": 10**12, "reason": "API"}})


def test_reports_to_write_lists_what_the_home_page_counts_and_all_on_request(world: Any, client: Client) -> None:
    """Seen in the demo: the home page said "2 reports to write" and the list it links to showed 21, nearly all
    accepted long ago. The list now shows what is still to write; "All my reports" shows the rest."""
    s = open_ward_round(world)
    _login(client, world, "cell_secretary")
    url = reverse("reports:report_list")
    assert [r.pk for r in client.get(url).context["page"]] == [s.a1.pk]
    Report.objects.filter(pk=s.a1.pk).update(status=ReportStatus.ACCEPTED)
    page = client.get(url)
    assert list(page.context["page"]) == [] and "Hiện không có báo cáo nào cần làm" in page.content.decode()
    assert [r.pk for r in client.get(url, {"all": "1"}).context["page"]] == [s.a1.pk]


def test_the_home_page_writes_an_issue_code_as_everywhere_else(world: Any, client: Client) -> None:
    """The home page read "QYHDE2PMQ1" where the queue and the issue's page read "QYHDE-2PMQ1"."""
    from chithi.dialogues.models import Issue
    from chithi.dialogues.tests.factories import IssueFactory

    issue = IssueFactory()
    Issue.objects.filter(pk=issue.pk).update(organisation=world.ward_a)
    issue.refresh_from_db()
    _login(client, world, "secretary")
    home = client.get(reverse("core:home")).content.decode()
    assert issue.display_code in home and "-" in issue.display_code
    assert f">{issue.tracking_code}<" not in home


def test_a_staff_member_sees_the_tasks_their_unit_is_in_charge_of(world: Any, client: Client) -> None:
    """Seen in the demo: a specialist of the province's propaganda board, the unit in charge of two of the
    province's open tasks, found nothing on the home page: "Assigned to me" counted only tasks naming their person."""
    plan = PlanFactory(organisation=world.city)
    theirs = PlanTaskFactory(plan=plan, title="Tuyên truyền chủ đề năm", owner_units=[world.ward_a],
                             deadline=dt.date.today() - dt.timedelta(days=2))
    PlanTaskFactory(plan=plan, title="Việc của phường khác", owner_units=[world.ward_b])
    home = _login(client, world, "staff").get("/").content.decode()
    assert "Việc giao cho tôi và đơn vị" in home and theirs.title in home and "1 quá hạn" in home
    assert "Việc của phường khác" not in home


def test_the_home_page_says_which_deadline_each_date_is(world: Any, client: Client) -> None:
    """Seen in the demo: a report's date read "hạn xử lý" (the issues' word) and an issue's did too, where its
    own page says "hạn tiếp nhận" or "hạn trả lời"."""
    from chithi.dialogues.tests.factories import IssueFactory

    open_ward_round(world)
    issue = IssueFactory(channel="staff", organisation=world.cell_a1)
    home = _login(client, world, "cell_secretary").get("/").content.decode()
    assert "hạn nộp " in home and "hạn xử lý" not in home
    assert f"· {issue.due_label} " in home


def test_a_staff_member_sees_the_issues_waiting_in_their_units_queue(world: Any, client: Client) -> None:
    """Seen in the demo: the ward police's officer had an overdue security issue in the police's queue, escalated
    to the ward, and the home page said nothing of it — only a secretary's panel counted issues waiting."""
    from chithi.dialogues.models import Issue
    from chithi.dialogues.tests.factories import IssueFactory

    theirs = IssueFactory(channel="staff", organisation=world.ward_a, description="Nhóm thanh niên đua xe ban đêm")
    Issue.objects.filter(pk=theirs.pk).update(due_on=dt.date.today() - dt.timedelta(days=3))
    other = IssueFactory(channel="staff", organisation=world.ward_b, description="Việc của phường khác")
    home = _login(client, world, "staff").get("/").content.decode()
    assert "Phản ánh chờ đơn vị xử lý (1, 1 quá hạn)" in home
    assert theirs.display_code in home and other.display_code not in home
    assert f'{reverse("dialogues:issue_queue")}?unit={world.ward_a.pk}' in home


def test_a_secretarys_waiting_issues_say_which_are_overdue(world: Any, client: Client) -> None:
    """The secretary's list named an issue "hạn trả lời 04/11/2025" a year later without a word of it being late,
    where the staff list beside it marks the overdue ones."""
    from chithi.dialogues.models import Issue
    from chithi.dialogues.tests.factories import IssueFactory

    late = IssueFactory(channel="staff", organisation=world.cell_a1)
    Issue.objects.filter(pk=late.pk).update(due_on=dt.date.today() - dt.timedelta(days=30))
    home = _login(client, world, "cell_secretary").get("/").content.decode()
    row = home[home.index(late.display_code):]
    assert "quá hạn" in row[:row.index("</li>")]
