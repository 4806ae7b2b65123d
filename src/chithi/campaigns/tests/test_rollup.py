"""The roll-up: plan progress as a weighted mean, unit progress up the tree, scope, and a query count that does
not grow with the number of organisations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chithi.campaigns import selectors, services
from chithi.campaigns.models import Plan, PlanTask
from chithi.orgs.tests.factories import OrganisationFactory

TODAY = dt.date(2026, 5, 1)


def _cascade_all(world: Any, campaign: Any) -> None:
    services.cascade_plan(actor=world.user("admin"), plan=campaign.plan, units=[world.ward_a, world.ward_b])
    ward_plan = Plan.objects.get(organisation=world.ward_a)
    services.cascade_plan(actor=world.user("admin"), plan=ward_plan)


def _nodes(result: selectors.Rollup) -> dict[str, selectors.RollupNode]:
    return {node.name: node for node in result.flatten()}


def test_plan_progress_is_the_weighted_mean_of_its_tasks(world: Any, campaign: Any) -> None:
    admin = world.user("admin")
    services.report_progress(actor=admin, task=campaign.tasks[0], progress=100)  # weight 1
    services.report_progress(actor=admin, task=campaign.tasks[1], progress=50)  # weight 2
    services.create_task(actor=admin, plan=campaign.plan, title="Bỏ", deadline=dt.date(2026, 8, 3))
    dropped = PlanTask.objects.get(title="Bỏ")
    services.report_progress(actor=admin, task=dropped, status="cancelled", cancel_reason="Trùng lặp")
    nodes = _nodes(selectors.rollup(user=admin, year=2026, today=TODAY))
    city = nodes["Thành ủy Đông Hà"]
    # (1×100 + 2×50 + 1×0) / 4 = 50; the cancelled task does not count.
    assert city.own_progress == pytest.approx(50.0)
    assert (city.tasks, city.done) == (3, 1)


def test_unit_progress_rolls_up_its_plan_and_its_sub_units_plans(world: Any, campaign: Any) -> None:
    _cascade_all(world, campaign)
    admin = world.user("admin")
    for task in PlanTask.objects.filter(plan__organisation=world.cell_a1):
        services.report_progress(actor=admin, task=task, progress=100)
    for task in PlanTask.objects.filter(plan__organisation=world.ward_a):
        services.report_progress(actor=admin, task=task, progress=50)
    nodes = _nodes(selectors.rollup(user=admin, year=2026, today=TODAY))
    ward_a = nodes["Đảng ủy phường Đông Thanh"]
    # Ward A: its plan 50, cell A1 100, cell A2 0 → (50 + 100 + 0) / 3.
    assert ward_a.own_progress == pytest.approx(50.0)
    assert ward_a.progress == pytest.approx(50.0)
    assert ward_a.plans == 3 and ward_a.tasks == 9
    city = nodes["Thành ủy Đông Hà"]
    # City: own 0, ward A 50, cells 100 and 0, ward B 0 → 150 / 5.
    assert city.plans == 5 and city.progress == pytest.approx(30.0)
    # Overdue on 1/5/2026: the two tasks due in March and April, in each of the five plans, minus done ones.
    assert city.overdue == 2 * 5 - 2 and nodes["Chi bộ Khu phố 1"].overdue == 0


def test_ward_secretary_sees_only_their_subtree(world: Any, campaign: Any) -> None:
    _cascade_all(world, campaign)
    result = selectors.rollup(user=world.user("secretary"), year=2026, today=TODAY)
    names = {node.name for node in result.flatten()}
    assert names == {"Đảng ủy phường Đông Thanh", "Chi bộ Khu phố 1", "Chi bộ Khu phố 2"}
    assert all(t.plan.organisation.path.startswith(world.ward_a.path)
               for t in selectors.overdue_tasks(user=world.user("secretary"), root=None, today=TODAY))


def test_filter_by_theme_and_year(world: Any, campaign: Any) -> None:
    _cascade_all(world, campaign)
    admin = world.user("admin")
    assert selectors.rollup(user=admin, year=2025, today=TODAY).roots[0].plans == 0
    other = services.create_theme(actor=admin, organisation=world.city, year=2026, directive=campaign.directive,
                                  text="Khâu đột phá", kind="breakthrough")
    services.create_plan(actor=admin, organisation=world.city, theme=other, title="KH đột phá")
    assert selectors.rollup(user=admin, year=2026, today=TODAY).roots[0].plans == 6
    assert selectors.rollup(user=admin, theme_id=campaign.theme.pk, today=TODAY).roots[0].plans == 5


def _grow(world: Any, campaign: Any, wards: int) -> None:
    """More wards, each with cells and its own cascaded plan: the tree grows, the query count must not."""
    admin = world.user("admin")
    for number in range(wards):
        ward = OrganisationFactory(name=f"Phường thử {number}", kind="ward_committee", parent=world.city)
        for cell in range(3):
            OrganisationFactory(name=f"Chi bộ thử {number}.{cell}", parent=ward)
        services.cascade_plan(actor=admin, plan=campaign.plan, units=[ward])
        services.cascade_plan(actor=admin, plan=Plan.objects.get(organisation=ward))


# The expected query count, recorded: restrict's role lookup, the units, the plan aggregate.
ROLLUP_QUERIES = 3
# The page adds: session, user, the user's notifications badge, the overdue list, the theme and year choices.
ROLLUP_PAGE_QUERIES = 9
ROLLUP_API_QUERIES = 5


@pytest.mark.parametrize("wards", [0, 6])
def test_rollup_query_count_does_not_grow_with_the_tree(world: Any, campaign: Any, wards: int,
                                                        django_assert_num_queries: Any) -> None:
    _grow(world, campaign, wards)
    _cascade_all(world, campaign)
    user = type(world.user("leader")).objects.get(username="leader")  # a fresh object: no cached scope
    with django_assert_num_queries(ROLLUP_QUERIES):
        result = selectors.rollup(user=user, year=2026, today=TODAY)
    assert result.roots[0].plans == 5 + wards * 4


@pytest.mark.parametrize("wards", [0, 6])
def test_rollup_page_and_api_query_counts_are_fixed(world: Any, campaign: Any, wards: int,
                                                    django_assert_num_queries: Any) -> None:
    _grow(world, campaign, wards)
    _cascade_all(world, campaign)
    client = Client()
    client.force_login(world.user("leader"))
    with django_assert_num_queries(ROLLUP_PAGE_QUERIES):
        response = client.get(reverse("campaigns:rollup"), {"year": 2026})
    assert response.status_code == 200
    with django_assert_num_queries(ROLLUP_API_QUERIES):
        response = client.get("/api/rollup/", {"year": 2026})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 7 + wards * 4


def test_page_api_and_rollup_agree_on_a_plan_without_tasks_an_unweighted_and_a_weighted_plan(
        world: Any, campaign: Any, client: Client) -> None:
    """One rule (progress.py): a plan without tasks counts 0, weights 0 count tasks equally, else weighted."""
    admin = world.user("admin")
    services.report_progress(actor=admin, task=campaign.tasks[0], progress=100)  # weight 1
    services.report_progress(actor=admin, task=campaign.tasks[1], progress=50)  # weight 2; the third is at 0
    empty = services.create_plan(actor=admin, organisation=world.ward_b, theme=campaign.theme, title="Chưa có việc")
    unweighted = services.create_plan(actor=admin, organisation=world.ward_a, theme=campaign.theme, title="Trọng số 0")
    for progress in (20, 60):
        task = services.create_task(actor=admin, plan=unweighted, title=f"Việc {progress}", weight=0,
                                    deadline=dt.date(2026, 9, 1))
        services.report_progress(actor=admin, task=task, progress=progress)
    client.force_login(admin)
    listed = {p["id"]: p["progress"] for p in client.get("/api/plans/").json()["results"]}
    rolled = {n.org_id: n for n in selectors.rollup(user=admin, year=2026, today=TODAY).flatten()}
    api_rolled = {r["organisation"]: r for r in client.get("/api/rollup/", {"year": 2026}).json()["results"]}
    for plan, expected in ((campaign.plan, 50.0), (empty, 0.0), (unweighted, 40.0)):
        page = client.get(reverse("campaigns:plan_detail", args=[plan.pk]))
        assert page.context["progress"] == pytest.approx(expected), plan.title
        assert f'aria-valuenow="{round(expected)}"' in page.content.decode()
        assert client.get(f"/api/plans/{plan.pk}/").json()["progress"] == expected == listed[plan.pk]
        assert rolled[plan.organisation_id].own_progress == pytest.approx(expected)
        assert api_rolled[plan.organisation_id]["own_progress"] == expected


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_rollup_reads_from_the_replica_and_writes_go_to_the_primary(world: Any, campaign: Any, client: Client,
                                                                       settings: Any) -> None:
    """With a replica configured (here Django's test mirror of the database), the roll-up page, the API roll-up
    and the selector read from it; the writes before them went to the primary only."""
    settings.REPORTING_DATABASE = "replica"
    admin = world.user("admin")
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        services.report_progress(actor=admin, task=campaign.tasks[1], progress=50)
    assert primary.captured_queries and not replica.captured_queries
    leader = type(admin).objects.get(username="leader")
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        result = selectors.rollup(user=leader, year=2026, today=TODAY)
    # The mirror sees what the primary committed: (1×0 + 2×50 + 1×0) / 4.
    assert result.roots[0].own_progress == pytest.approx(25.0)
    assert len(replica.captured_queries) == 2  # the units and the plan aggregate
    assert len(primary.captured_queries) == 1  # only the user's scope (authorisation reads the primary)
    assert selectors.overdue_tasks(user=leader, root=None, year=2026, today=TODAY).db == "replica"
    client.force_login(leader)
    for url in (reverse("campaigns:rollup") + "?year=2026", "/api/rollup/?year=2026"):
        with CaptureQueriesContext(connections["replica"]) as replica:
            response = client.get(url)
        assert response.status_code == 200 and len(replica.captured_queries) >= 2, url
    assert "25.0" in client.get("/api/rollup/?year=2026").content.decode()


@pytest.mark.django_db
def test_a_tree_too_large_for_one_page_lists_one_level_and_says_so(world: Any, campaign: Any, client: Client,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """At national scale two levels under the centre are all 3,321 wards (3.3 MB of HTML, 2 s): the page lists
    the level directly below, says how many lie deeper, and every row still drills down."""
    from chithi.campaigns import views

    monkeypatch.setattr(views, "ROLLUP_MAX_ROWS", 3)
    client.force_login(world.user("leader"))
    page = client.get(reverse("campaigns:rollup"), {"year": 2026}).content.decode()
    assert world.ward_a.name in page and world.ward_b.name in page
    assert world.cell_a1.name not in page.split('id="overdue"')[0]
    assert "Chỉ hiển thị một cấp" in page
    assert f"?unit={world.ward_a.pk}&amp;year=2026" in page
    deeper = client.get(reverse("campaigns:rollup"), {"year": 2026, "unit": world.ward_a.pk}).content.decode()
    assert world.cell_a1.name in deeper and "Chỉ hiển thị một cấp" not in deeper
