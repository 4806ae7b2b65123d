"""The figures on citizens' issues (dialogues.figures) that the public page and the dashboards share."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from chithi.core.permissions import restrict
from chithi.core.workdays import working_days_elapsed
from chithi.dialogues import figures, services
from chithi.dialogues.models import Issue, IssueStatus
from chithi.orgs.tests.factories import superuser

from .factories import IssueCategoryFactory, IssueFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def _issue(*, received: dt.date, answered: dt.date | None = None, due: dt.date | None = None, rating: int | None = None,
           status: str | None = None, **extra) -> Issue:
    issue = IssueFactory(**extra)
    changes: dict = {"received_at": _at(received), "answer_due_on": due or received + dt.timedelta(days=14)}
    if answered is not None:
        changes.update(status=IssueStatus.ANSWERED, answered_at=_at(answered, 16), rating=rating,
                       answer_working_days=working_days_elapsed(_at(received), _at(answered, 16)))
    if status is not None:
        changes["status"] = status
    Issue.objects.filter(pk=issue.pk).update(**changes)  # back-dated: the figures are about the past
    return issue


def test_received_answered_on_time_late_open_and_rejected(world):
    month = dt.date(2026, 3, 2)  # a Monday
    _issue(received=month, answered=dt.date(2026, 3, 6), due=dt.date(2026, 3, 10), rating=5)  # on time, 4 days
    _issue(received=month, answered=dt.date(2026, 3, 16), due=dt.date(2026, 3, 10), rating=2)  # late, 10 days
    _issue(received=month)  # still open
    _issue(received=month, status=IssueStatus.REJECTED)
    _issue(received=dt.date(2026, 4, 1))  # another month: outside the period
    result = figures.summary(Issue.objects.all(), start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    assert (result.received, result.answered, result.answered_on_time, result.answered_late) == (4, 2, 1, 1)
    assert (result.open, result.rejected, result.rated, result.satisfied, result.dissatisfied) == (1, 1, 2, 1, 1)
    assert result.answered_share == 50.0 and result.on_time_share == 50.0 and result.satisfied_share == 50.0
    assert result.average_working_days == 7.0  # (4 + 10) / 2


def test_working_days_leave_out_weekends_and_public_holidays(world):
    # Received Wednesday 29/4/2026; 30/4 and 1/5 are holidays, 2–3/5 a weekend: answered Monday 4/5 = 1 day.
    _issue(received=dt.date(2026, 4, 29), answered=dt.date(2026, 5, 4))
    result = figures.summary(Issue.objects.all(), start=dt.date(2026, 4, 1), end=dt.date(2026, 5, 31))
    assert result.average_working_days == 1.0


def test_by_month_lists_every_month_of_the_period(world):
    _issue(received=dt.date(2026, 1, 15), answered=dt.date(2026, 1, 20))
    _issue(received=dt.date(2026, 3, 31))
    rows = figures.by_month(Issue.objects.all(), start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    assert [(row.label, row.received, row.answered) for row in rows] == [
        ("01/2026", 1, 1), ("02/2026", 0, 0), ("03/2026", 1, 0)]


def test_by_category_and_by_ward(world):
    roads = IssueCategoryFactory(name="Hạ tầng, chiếu sáng", code="ha-tang")
    order = IssueCategoryFactory(name="Trật tự đô thị", code="trat-tu")
    day = dt.date(2026, 2, 3)
    _issue(received=day, category=roads, area_unit=world.ward_a)
    _issue(received=day, category=roads, area_unit=world.ward_b)
    _issue(received=day, category=order)
    categories = figures.by_category(Issue.objects.all(), start=day, end=day)
    assert [(row.label, row.received) for row in categories] == [("Hạ tầng, chiếu sáng", 2), ("Trật tự đô thị", 1)]
    wards = figures.by_ward(Issue.objects.all(), start=day, end=day)
    assert [(row.label, row.received) for row in wards] == [("Phường Đông Lễ", 1), ("Phường Đông Thanh", 1),
                                                            ("", 1)]


def test_the_public_subset_leaves_out_internal_categories(world):
    internal = IssueCategoryFactory(name="Nội bộ", code="noi-bo", public=False)
    day = dt.date(2026, 2, 3)
    _issue(received=day)
    _issue(received=day, category=internal, channel="staff", organisation=world.ward_a)
    assert figures.summary(figures.public_subset(), start=day, end=day).received == 1
    assert figures.summary(Issue.objects.all(), start=day, end=day).received == 2


def test_a_dashboard_counts_what_its_user_may_see(world):
    day = dt.date(2026, 2, 3)
    _issue(received=day, channel="staff", organisation=world.ward_a)
    _issue(received=day, channel="staff", organisation=world.ward_b)
    mine = restrict(Issue.objects.all(), world.user("secretary"))
    assert figures.summary(mine, start=day, end=day).received == 1


def test_the_figures_follow_the_service_workflow(world):
    issue = IssueFactory()
    actor = superuser()
    services.accept_issue(actor=actor, issue=issue, note="")
    services.reject_issue(actor=actor, issue=IssueFactory(), reason="Trùng nội dung")
    today = issue.received_at.astimezone(TZ).date()
    result = figures.summary(Issue.objects.all(), start=today, end=today)
    assert (result.received, result.open, result.rejected, result.answered) == (2, 1, 1, 0)


def test_answering_stores_the_working_days_the_figures_sum(world):
    # Received on Friday 24/4/2026 09:00; answered now. The service writes the working days once, with answered_at.
    issue = IssueFactory()
    Issue.objects.filter(pk=issue.pk).update(received_at=_at(dt.date(2026, 4, 24)))
    issue.refresh_from_db()
    actor = superuser()
    services.assign_issue(actor=actor, issue=issue, unit=world.ward_a)
    issue = services.answer_issue(actor=actor, issue=Issue.objects.get(pk=issue.pk), answer="Đã xử lý xong.")
    assert issue.answer_working_days == working_days_elapsed(issue.received_at, issue.answered_at)
    assert issue.answer_working_days > 100  # more than half a year of working days since April 2026
    result = figures.summary(Issue.objects.all(), start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30))
    assert result.average_working_days == float(issue.answer_working_days)


def test_an_answered_issue_without_its_working_days_is_left_out_of_the_mean_only(world):
    day = dt.date(2026, 3, 2)  # a Monday
    _issue(received=day, answered=dt.date(2026, 3, 6))  # 4 working days
    legacy = _issue(received=day, answered=dt.date(2026, 3, 20))
    Issue.objects.filter(pk=legacy.pk).update(answer_working_days=None)
    result = figures.summary(Issue.objects.all(), start=day, end=day)
    assert (result.answered, result.average_working_days) == (2, 4.0)


def test_the_breakdown_gives_the_three_lists(world, django_assert_num_queries):
    roads = IssueCategoryFactory(name="Hạ tầng, chiếu sáng", code="ha-tang")
    order = IssueCategoryFactory(name="Trật tự đô thị", code="trat-tu")
    _issue(received=dt.date(2026, 1, 5), answered=dt.date(2026, 1, 9), category=roads, area_unit=world.ward_a,
           rating=5)
    _issue(received=dt.date(2026, 1, 6), category=roads, area_unit=world.ward_b)
    _issue(received=dt.date(2026, 3, 2), answered=dt.date(2026, 3, 20), due=dt.date(2026, 3, 10), category=order,
           area_unit=world.ward_a, rating=2)
    _issue(received=dt.date(2026, 3, 3), category=order)
    issues, start, end = Issue.objects.all(), dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    with django_assert_num_queries(5):  # three grouped counts, the categories' names, the wards' names
        parts = figures.breakdown(issues, start=start, end=end)

    def rows(found):
        return [(f.label, f.received, f.answered, f.answered_on_time, f.rated, f.satisfied, f.average_working_days)
                for f in found]

    assert rows(parts.by_category) == rows(figures.by_category(issues, start=start, end=end))
    assert rows(parts.by_ward) == rows(figures.by_ward(issues, start=start, end=end))
    assert rows(parts.by_month) == rows(figures.by_month(issues, start=start, end=end))
    assert rows(parts.by_category) == [("Hạ tầng, chiếu sáng", 2, 1, 1, 1, 1, 4.0),
                                       ("Trật tự đô thị", 2, 1, 0, 1, 0, 14.0)]
    assert [(f.label, f.received, f.answered) for f in parts.by_month] == [
        ("01/2026", 2, 1), ("02/2026", 0, 0), ("03/2026", 2, 1)]
    assert [(f.label, f.received) for f in parts.by_ward] == [("Phường Đông Thanh", 2), ("Phường Đông Lễ", 1),
                                                              ("", 1)]
