"""A list or a detail page reads the same number of queries with more rows (no query per row): the committed
baselines (tests/query_counts.json) hold the numbers, this checks they do not depend on the data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chithi.dialogues import services
from chithi.dialogues.models import IssueChannel

from .factories import IssueCategoryFactory, IssueFactory
from .samples import REPORTER_NAME, sample_data

pytestmark = pytest.mark.django_db


def _more_rows(world: Any) -> None:
    """Another round of everything the pages list: issues in every state and unit, with steps and photos'
    worth of timeline, dialogues with issues and leaders, categories."""
    data = sample_data(world)
    admin = world.user("admin")
    category = IssueCategoryFactory(name="Giao thông", code="giao-thong")
    for unit in (world.ward_a, world.ward_b, world.agency, world.cell_a1):
        issue = IssueFactory(category=category, area_unit=world.ward_b, reporter_name=REPORTER_NAME)
        issue = services.assign_issue(actor=admin, issue=issue, unit=unit)
        services.answer_issue(actor=admin, issue=issue, answer="Đã xử lý.")
    services.start_issue(actor=admin, issue=services.assign_issue(
        actor=admin, issue=IssueFactory(category=category), unit=world.ward_b))
    dialogue = services.create_dialogue(actor=admin, organisation=world.ward_b, title="Đối thoại về môi trường",
                                        held_on=data.dialogue.held_on, leaders=[world.person_b1])
    for _ in range(2):
        IssueFactory(category=category, channel=IssueChannel.DIALOGUE, dialogue=data.dialogue, actor=admin)
        IssueFactory(category=category, channel=IssueChannel.DIALOGUE, dialogue=dialogue, actor=admin)
    services.update_dialogue(actor=admin, dialogue=data.dialogue, leaders=[world.person_a1, world.person_b1])
    # More steps on the sample issues' timelines, each back in the state it was in.
    moved = services.assign_issue(actor=admin, issue=data.issue, unit=world.cell_a1, kind="reassign",
                                  reason="Chi bộ khu phố nắm rõ")
    services.start_issue(actor=admin, issue=moved)
    services.reopen_issue(issue=data.published, reason="Cống lại tắc")
    services.create_api_client(actor=admin, name="Ứng dụng thứ hai")


PAGES: dict[str, Callable[[Any], str]] = {
    "queue": lambda w: "/phan-anh-kien-nghi/?sub=1",
    "queue rows (htmx)": lambda w: "/phan-anh-kien-nghi/?sub=1&state=open",
    "issue detail": lambda w: sample_data(w).issue.get_absolute_url(),
    "issue history": lambda w: f"{sample_data(w).issue.get_absolute_url()}lich-su/",
    "dialogue list": lambda w: "/doi-thoai/",
    "dialogue detail": lambda w: sample_data(w).dialogue.get_absolute_url(),
    "open311 clients": lambda w: "/phan-anh-kien-nghi/open311/",
    "answered issues (public)": lambda w: "/phan-anh/",
    "tracking page (public)": lambda w: sample_data(w).published.get_public_url(),
    "open311 services": lambda w: "/open311/v2/services.json",
    "open311 requests": lambda w: "/open311/v2/requests.json",
    "open311 requests (xml)": lambda w: "/open311/v2/requests.xml",
    "api issues": lambda w: "/api/issues/",
    "api issue detail": lambda w: f"/api/issues/{sample_data(w).issue.pk}/",
    "api dialogues": lambda w: "/api/dialogues/",
    "api categories": lambda w: "/api/issue-categories/",
}


def _count(client: Client, url: str) -> int:
    client.get(url)  # warm the per-process caches (categories, intake unit) as a running server has them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", list(PAGES))
def test_page_reads_as_many_queries_with_more_rows(world: Any, client: Client, settings: Any, page: str) -> None:
    settings.RATELIMIT_ENABLE = False
    sample_data(world)
    client.force_login(world.user("admin"))
    url = PAGES[page](world)
    before = _count(client, url)
    _more_rows(world)
    assert _count(client, url) == before
