"""Pages: what users see, writes through forms, and scope cases beyond the permission matrix
(test_permission_matrix.py holds every role × every page and endpoint)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chithi.campaigns import services
from chithi.campaigns.models import DirectiveAttachment, Plan, PlanTask, TaskEvidence


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cascaded(world: Any, campaign: Any) -> dict[str, Any]:
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a, world.ward_b])
    ward_a_plan = Plan.objects.get(organisation=world.ward_a)
    ward_b_plan = Plan.objects.get(organisation=world.ward_b)
    return {"a": ward_a_plan, "b": ward_b_plan, "task_a": ward_a_plan.tasks.first(),
            "task_b": ward_b_plan.tasks.first()}


@pytest.mark.parametrize("username", ["secretary", "cell_secretary", "viewer"])
def test_directive_and_theme_of_the_city_are_readable_below(world: Any, campaign: Any, username: str) -> None:
    client = _client(world.user(username))
    assert client.get(reverse("campaigns:directive_detail", args=[campaign.directive.pk])).status_code == 200
    response = client.get(reverse("campaigns:theme_detail", args=[campaign.theme.pk]))
    assert response.status_code == 200
    assert "Nâng cao chất lượng hoạt động" in response.content.decode()


def test_ward_cannot_edit_the_citys_directive_or_theme(world: Any, campaign: Any) -> None:
    client = _client(world.user("secretary"))
    assert client.get(reverse("campaigns:directive_edit", args=[campaign.directive.pk])).status_code == 404
    assert client.get(reverse("campaigns:theme_edit", args=[campaign.theme.pk])).status_code == 404
    assert client.post(reverse("campaigns:directive_edit", args=[campaign.directive.pk]),
                       {"kind": "directive", "number": "X", "issued_on": "2016-05-15", "issuer": "X",
                        "title": "X"}).status_code == 404


def test_neighbouring_wards_theme_is_invisible(world: Any) -> None:
    from chithi.campaigns.tests.factories import ThemeFactory

    theme = ThemeFactory(organisation=world.ward_b, year=2026)
    assert _client(world.user("secretary")).get(
        reverse("campaigns:theme_detail", args=[theme.pk])).status_code == 404
    assert _client(world.user("nobody")).get(reverse("campaigns:theme_detail", args=[theme.pk])).status_code == 404


def test_lists_show_only_the_scope(world: Any, cascaded: dict[str, Any]) -> None:
    body = _client(world.user("secretary")).get(reverse("campaigns:plan_list")).content.decode()
    assert cascaded["a"].title in body and cascaded["b"].title not in body
    body = _client(world.user("secretary")).get(reverse("campaigns:task_list"), {"year": 2026}).content.decode()
    assert f">{cascaded['task_a'].pk}<" in body and f">{cascaded['task_b'].pk}<" not in body


def test_anonymous_is_sent_to_login(world: Any, campaign: Any) -> None:
    response = Client().get(reverse("campaigns:rollup"))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_rollup_page_drills_down_city_ward_cell_in_three_clicks(world: Any, cascaded: dict[str, Any]) -> None:
    services.cascade_plan(actor=world.user("admin"), plan=cascaded["a"])
    client = _client(world.user("leader"))
    # Click 1: the menu's progress page shows the city with its wards and their cells.
    page = client.get(reverse("campaigns:rollup"), {"year": 2026}).content.decode()
    assert "Thành ủy Đông Hà" in page and "Đảng ủy phường Đông Thanh" in page and "Chi bộ Khu phố 1" in page
    assert f"?unit={world.ward_a.pk}&amp;year=2026" in page
    # Click 2: the ward.
    page = client.get(reverse("campaigns:rollup"), {"unit": world.ward_a.pk, "year": 2026}).content.decode()
    assert f"?unit={world.cell_a1.pk}&amp;year=2026" in page and "Đảng ủy phường Đông Lễ" not in page
    # Click 3: the cell, with its overdue tasks.
    page = client.get(reverse("campaigns:rollup"), {"unit": world.cell_a1.pk, "year": 2026}).content.decode()
    assert "Chi bộ Khu phố 1" in page and 'class="progress-bar' in page and 'style=' not in page


def test_rollup_lists_overdue_tasks_of_the_subtree(world: Any, cascaded: dict[str, Any]) -> None:
    late = cascaded["task_a"]
    page = _client(world.user("secretary")).get(reverse("campaigns:rollup"), {"year": 2026}).content.decode()
    overdue_section = page.split('id="overdue"')[1]
    assert late.title in overdue_section
    assert cascaded["task_b"].get_absolute_url() not in page


def test_rollup_of_a_unit_outside_scope_is_404(world: Any, cascaded: dict[str, Any]) -> None:
    response = _client(world.user("secretary")).get(reverse("campaigns:rollup"), {"unit": world.ward_b.pk})
    assert response.status_code == 404


def test_cascade_through_the_form(world: Any, campaign: Any) -> None:
    client = _client(world.user("admin"))
    url = reverse("campaigns:plan_cascade", args=[campaign.plan.pk])
    form = client.get(url).content.decode()
    assert "Đảng ủy phường Đông Thanh" in form
    data = {"units": [world.ward_a.pk], "tasks": [t.pk for t in campaign.tasks], "lead_working_days": 0,
            "confirm": "1"}
    response = client.post(url, data)
    assert response.status_code == 302
    client.post(url, data)  # twice: nothing new
    assert PlanTask.objects.filter(plan__organisation=world.ward_a).count() == 3


def test_cascade_page_outside_scope_is_404(world: Any, campaign: Any) -> None:
    response = _client(world.user("secretary")).get(reverse("campaigns:plan_cascade", args=[campaign.plan.pk]))
    assert response.status_code == 404


def test_task_form_shows_bad_input_on_the_field(world: Any, campaign: Any) -> None:
    client = _client(world.user("admin"))
    response = client.post(reverse("campaigns:task_create", args=[campaign.plan.pk]),
                           {"title": "Việc", "deadline": "2025-12-01", "weight": "-1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "invalid-feedback" in body
    assert PlanTask.objects.count() == 3


def test_viewer_cannot_report_progress(world: Any, cascaded: dict[str, Any]) -> None:
    task = cascaded["task_a"]
    response = _client(world.user("viewer")).post(reverse("campaigns:task_progress", args=[task.pk]),
                                                  {"progress": 50})
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.progress == 0


def test_staff_reports_progress_and_sees_the_timeline(world: Any, cascaded: dict[str, Any]) -> None:
    task = cascaded["task_a"]
    client = _client(world.user("staff"))
    response = client.post(reverse("campaigns:task_progress", args=[task.pk]),
                           {"progress": 60, "note": "Đã tổ chức hội nghị ở 3/5 khu phố"}, follow=True)
    assert "Đã tổ chức hội nghị ở 3/5 khu phố" in response.content.decode()
    task.refresh_from_db()
    assert task.progress == 60


def test_evidence_file_is_checked_and_served_only_in_scope(world: Any, cascaded: dict[str, Any]) -> None:
    task = cascaded["task_a"]
    client = _client(world.user("staff"))
    bad = SimpleUploadedFile("bien-ban.pdf", b"not a pdf", content_type="application/pdf")
    client.post(reverse("campaigns:task_evidence", args=[task.pk]), {"kind": "file", "file": bad})
    assert not TaskEvidence.objects.exists()
    good = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(reverse("campaigns:task_evidence", args=[task.pk]), {"kind": "file", "file": good})
    evidence = TaskEvidence.objects.get()
    response = client.get(reverse("campaigns:evidence_file", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert _client(world.user("other_secretary")).get(
        reverse("campaigns:evidence_file", args=[evidence.pk])).status_code == 404


def test_directive_document_upload(world: Any, campaign: Any) -> None:
    client = _client(world.user("admin"))
    upload = SimpleUploadedFile("chi-thi-05.pdf", b"%PDF-1.4 ct05", content_type="application/pdf")
    client.post(reverse("campaigns:directive_upload", args=[campaign.directive.pk]), {"file": upload})
    attachment = DirectiveAttachment.objects.get()
    assert _client(world.user("cell_secretary")).get(
        reverse("campaigns:directive_file", args=[attachment.pk])).status_code == 200
    assert _client(world.user("nobody")).get(
        reverse("campaigns:directive_file", args=[attachment.pk])).status_code == 404


def test_org_page_shows_the_plans_panel(world: Any, cascaded: dict[str, Any]) -> None:
    page = _client(world.user("secretary")).get(reverse("orgs:org_detail", args=[world.ward_a.pk])).content.decode()
    assert 'id="campaigns-panel"' in page and cascaded["a"].title in page


def test_create_directive_theme_plan_through_forms(world: Any) -> None:
    client = _client(world.user("admin"))
    response = client.post(reverse("campaigns:directive_create"), {
        "organisation": world.city.pk, "kind": "resolution", "number": "04-NQ/TW", "issued_on": "2016-10-30",
        "issuer": "Ban Chấp hành Trung ương", "title": "Nghị quyết Trung ương 4 khóa XII"})
    assert response.status_code == 302
    from chithi.campaigns.models import Directive, Theme

    directive = Directive.objects.get(number="04-NQ/TW")
    response = client.post(reverse("campaigns:theme_create"), {
        "organisation": world.city.pk, "directive": directive.pk, "year": 2026, "kind": "theme",
        "text": "Nâng cao chất lượng sinh hoạt chi bộ"})
    assert response.status_code == 302
    theme = Theme.objects.get()
    response = client.post(reverse("campaigns:plan_create"), {
        "organisation": world.city.pk, "theme": theme.pk, "title": "Kế hoạch 2026"})
    plan = Plan.objects.get()
    assert response.status_code == 302 and plan.starts_on == dt.date(2026, 1, 1)


def test_history_page_shows_audit(world: Any, campaign: Any) -> None:
    page = _client(world.user("admin")).get(reverse("campaigns:plan_history", args=[campaign.plan.pk]))
    assert page.status_code == 200 and "root-admin" in page.content.decode()


def test_user_without_role_sees_empty_pages(world: Any, cascaded: dict[str, Any]) -> None:
    client = _client(world.user("nobody"))
    for name in ("rollup", "plan_list", "task_list", "theme_list", "directive_list"):
        response = client.get(reverse(f"campaigns:{name}"))
        assert response.status_code == 200
        assert cascaded["a"].title not in response.content.decode()
    assert client.get(reverse("campaigns:plan_create")).status_code == 404
    assert client.get(reverse("campaigns:task_import")).status_code == 404


def test_task_page_lists_the_sub_units_carrying_it(world: Any, campaign: Any, cascaded: dict[str, Any]) -> None:
    page = _client(world.user("leader")).get(reverse("campaigns:task_detail", args=[campaign.tasks[0].pk]))
    body = page.content.decode()
    assert "Đảng ủy phường Đông Thanh" in body and "Đảng ủy phường Đông Lễ" in body


def test_lists_draw_their_filters_from_the_filterset_and_filter_by_unit(world: Any, cascaded: dict[str, Any]) -> None:
    services.cascade_plan(actor=world.user("admin"), plan=cascaded["a"])
    client = _client(world.user("leader"))
    page = client.get(reverse("campaigns:task_list"), {"unit": world.cell_a1.pk, "plan": cascaded["a"].pk})
    body = page.content.decode()
    # The unit filter offers the units of the scope; a plan filter reached by a link stays in the form.
    assert 'name="unit"' in body and f'<option value="{world.cell_a1.pk}" selected>' in body
    assert f'<input type="hidden" name="plan" value="{cascaded["a"].pk}"' in body
    assert 'name="status"' in body and 'name="overdue"' in body
    assert {t.plan.organisation for t in page.context["page"]} <= {world.cell_a1}
    page = client.get(reverse("campaigns:task_list"), {"unit": world.cell_a1.pk})
    assert {t.plan.organisation for t in page.context["page"]} == {world.cell_a1}
    plans = client.get(reverse("campaigns:plan_list"), {"unit": world.ward_a.pk}).context["page"]
    assert {p.organisation for p in plans} == {world.ward_a, world.cell_a1, world.cell_a2}
    themes = client.get(reverse("campaigns:theme_list")).content.decode()
    assert 'name="unit"' in themes and 'name="q"' in themes and 'name="year"' in themes
    # A secretary is offered only the units of their ward, and a unit outside it filters nothing in.
    body = _client(world.user("secretary")).get(reverse("campaigns:task_list")).content.decode()
    assert f'value="{world.ward_b.pk}"' not in body and f'value="{world.cell_a2.pk}"' in body
    page = _client(world.user("secretary")).get(reverse("campaigns:task_list"), {"unit": world.ward_b.pk})
    assert all(t.plan.organisation.path.startswith(world.ward_a.path) for t in page.context["page"])


def test_cascade_form_ticks_nothing_and_confirms_before_writing(world: Any, campaign: Any) -> None:
    """Issue 10: the form pre-ticked every unit and task; now nothing is ticked, and a confirmation page lists the
    units, the tasks (past deadlines flagged) and the number of rows before anything is written."""
    client = _client(world.user("admin"))
    url = reverse("campaigns:plan_cascade", args=[campaign.plan.pk])
    form = client.get(url).content.decode()
    assert "checked" not in form
    past = campaign.tasks[0]
    PlanTask.objects.filter(pk=past.pk).update(deadline=dt.date.today() - dt.timedelta(days=3))
    PlanTask.objects.filter(pk__in=[t.pk for t in campaign.tasks[1:]]).update(
        deadline=min(dt.date.today() + dt.timedelta(days=20), campaign.plan.ends_on))
    data = {"units": [world.ward_a.pk, world.ward_b.pk], "tasks": [t.pk for t in campaign.tasks],
            "lead_working_days": 0}
    page = client.post(url, data)
    body = page.content.decode()
    assert page.status_code == 200 and not Plan.objects.filter(organisation=world.ward_a).exists()
    assert "Đảng ủy phường Đông Thanh" in body and "Đảng ủy phường Đông Lễ" in body
    assert "Công an thành phố" not in body.split("cascade-units")[1].split("</ul>")[0]
    assert "Quán triệt chủ đề năm" in body and "Tổng kết năm" in body
    assert body.count("cascade-past") == 1  # the one task already past its deadline
    assert "8" in body.split("alert-warning")[1].split("</div>")[0]  # 2 plans + 2 × 3 tasks
    back = client.post(url, {**data, "back": "1"}).content.decode()
    assert "checked" in back and not Plan.objects.filter(organisation=world.ward_a).exists()
    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    assert PlanTask.objects.filter(plan__organisation=world.ward_b).count() == 3


def test_refused_progress_comes_back_with_what_was_typed_and_the_field_named(world: Any,
                                                                             cascaded: dict[str, Any]) -> None:
    """A tester typed 150 % with a note: the page came back with one generic message and the note was gone."""
    task = cascaded["task_a"]
    client = _client(world.user("staff"))
    response = client.post(reverse("campaigns:task_progress", args=[task.pk]),
                           {"progress": "150", "note": "Đã họp dân khu phố 3 XYZ123"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đã họp dân khu phố 3 XYZ123" in body  # the note is still there
    progress = body.split('name="progress"')[1].split(">")[0]
    assert 'max="100"' in progress and "is-invalid" in progress and 'value="150"' in progress
    task.refresh_from_db()
    assert task.progress == 0
    upload = client.post(reverse("campaigns:task_evidence", args=[task.pk]), {"kind": "link", "url": "",
                                                                               "note": "Ghi chú giữ lại"})
    assert upload.status_code == 200 and "Ghi chú giữ lại" in upload.content.decode()


def test_the_edit_form_keeps_a_person_in_charge_who_has_since_left(world: Any, campaign: Any) -> None:
    """The form shows them selected and marked; saving it unchanged keeps them, not drops them silently."""
    from chithi.orgs import services as org_services
    from chithi.orgs.tests.factories import superuser

    task = services.create_task(actor=world.user("admin"), plan=campaign.plan, title="Việc",
                                deadline=dt.date(2026, 9, 1), owner_people=[world.person_a1])
    for membership in world.person_a1.memberships.filter(until__isnull=True):
        org_services.end_membership(actor=superuser(), membership=membership, until=dt.date(2026, 6, 1))
    client = _client(world.user("admin"))
    url = reverse("campaigns:task_edit", args=[task.pk])
    page = client.get(url).content.decode()
    assert f'value="{world.person_a1.pk}" selected' in page
    assert "đã thôi công tác tại đơn vị" in page
    response = client.post(url, {"title": "Việc", "deadline": "15/09/2026", "weight": "1",
                                 "owner_people": [world.person_a1.pk]})
    assert response.status_code == 302, response.content.decode()[:3000]
    task.refresh_from_db()
    assert task.deadline == dt.date(2026, 9, 15) and list(task.owner_people.all()) == [world.person_a1]


def test_the_task_list_opens_on_the_latest_year(world: Any, campaign: Any) -> None:
    """Seen in the demo: the list began with 2017's tasks, the current year's pages later."""
    from chithi.campaigns.tests.factories import PlanFactory, PlanTaskFactory, ThemeFactory

    old = PlanFactory(organisation=world.city, theme=ThemeFactory(organisation=world.city, year=2017),
                      starts_on=dt.date(2017, 1, 1), ends_on=dt.date(2017, 12, 31))
    PlanTaskFactory(plan=old, title="Việc năm 2017", deadline=dt.date(2017, 3, 1))
    page = _client(world.user("admin")).get(reverse("campaigns:task_list")).content.decode()
    assert page.index("Quán triệt chủ đề năm") < page.index("Ký cam kết làm theo") < page.index("Việc năm 2017")
