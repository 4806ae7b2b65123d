"""Every page and API view of the room costs the same number of queries with more rows: lists and details fetch
their related objects in bulk (the committed baselines in query_counts.json hold the numbers themselves)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chithi.campaigns import services
from chithi.campaigns.tests.samples import SAMPLES, pdf, sampled
from chithi.core.testing import Sample, walked_urls
from chithi.orgs.tests.factories import OrganisationFactory, PersonFactory, superuser


def _counts(world: Any) -> dict[str, int]:
    client = Client()
    client.force_login(world.user("admin"))
    counts: dict[str, int] = {}
    for url in [u for u in walked_urls() if u.room == "campaigns"]:
        sample = SAMPLES.get(url.name) or Sample()
        if sample.post_only:
            continue
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(url.name, kwargs=sample.kwargs(world) or None), {"year": 2026})
        assert response.status_code == 200, url.name
        counts[url.name] = len(queries)
    return counts


def test_query_counts_do_not_grow_with_the_rows(world: Any) -> None:
    sample = sampled(world)
    root = superuser()
    # The history names each kind of object its changes name with one query (core.history): start from a task whose
    # history already names a person in charge, so what is measured is the growth with the rows, not a new kind.
    services.update_task(actor=root, task=sample.task_a, owner_people=[PersonFactory(organisation=world.ward_a)])
    before = _counts(world)
    for number in range(3):
        services.create_directive(actor=root, organisation=world.city, number=f"{number}-CT/TU",
                                  issued_on=dt.date(2017, 1, 1), issuer="Thành ủy", title="Chỉ thị")
        services.add_directive_attachment(actor=root, directive=sample.directive, upload=pdf(f"tai-lieu-{number}.pdf"))
        services.create_theme(actor=root, organisation=world.city, year=2026, directive=sample.directive,
                              text=f"Khâu đột phá {number}", kind="breakthrough")
        person = PersonFactory(organisation=world.ward_a)
        services.create_task(actor=root, plan=sample.plan, title=f"Việc {number}", deadline=dt.date(2026, 6, 1),
                             owner_units=[world.ward_a], owner_people=[person])
        services.create_task(actor=root, plan=sample.plan_a, title=f"Việc của phường {number}",
                             deadline=dt.date(2026, 6, 1), owner_units=[world.cell_a2], owner_people=[person])
        services.update_task(actor=root, task=sample.task_a, owner_people=[person])
        services.report_progress(actor=root, task=sample.task_a, progress=50 + number, note="Tiếp tục")
        services.add_evidence(actor=root, task=sample.task_a, kind="note", note=f"Biên bản {number}")
        services.cascade_plan(actor=root, plan=sample.plan,
                              units=[OrganisationFactory(parent=world.city, name=f"Phường mới {number}")])
    after = _counts(world)
    assert {name: (before[name], after[name]) for name in before if before[name] != after[name]} == {}
