"""Every list and detail view of the room reads in the same number of queries with more rows: the committed
baselines (query_counts.json) would otherwise only hold for the sample's size."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chithi.practices import services
from chithi.practices.models import PracticePhoto

from .samples import SAMPLES, sample


def _counts(client: Client, world: Any) -> dict[str, int]:
    counts = {}
    for name, spec in SAMPLES.items():
        if spec.post_only or spec.skip_counts:
            continue
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name, kwargs=spec.kwargs(world) or None))
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def _more_rows(world: Any) -> None:
    """Five more practices of the sample's kind, each with what hangs from a practice, and more of each below
    the sample's own practice."""
    from chithi.campaigns.tests.factories import PlanFactory, PlanTaskFactory

    admin = world.user("admin")
    built = sample(world)
    origin = built.origin
    plan = PlanFactory(organisation=world.ward_a)
    task = PlanTaskFactory(plan=plan)
    for number, unit in enumerate([world.cell_a2, world.cell_b1, world.ward_a, world.ward_b, world.city]):
        practice = services.register_practice(actor=admin, name=f"Mô hình {number}", organisation=unit,
                                              fields=["law", "culture"], started_on=dt.date(2020, 1, 1),
                                              is_public=True)
        indicator = services.add_indicator(actor=admin, practice=practice, name="Buổi", target=10)
        services.record_result(actor=admin, indicator=indicator, period_start=dt.date(2024, 1, 1),
                               period_end=dt.date(2024, 6, 30), actual=number)
        services.add_commendation(actor=admin, practice=practice, title="Giấy khen", level="city",
                                  awarded_on=dt.date(2023, 1, 1), decision_number=f"{number}-QĐ",
                                  person=world.person_b1)
        PracticePhoto.objects.create(practice=practice, file=f"practices/{number}.jpg", original_name="a.jpg",
                                     is_public=True)
        services.link_evidence(actor=admin, practice=practice, target=task)
        services.replicate_practice(actor=admin, origin=origin, organisation=unit, adopted_on=dt.date(2022, 1, 1),
                                    name=f"Hũ gạo {number}")
        extra = services.add_indicator(actor=admin, practice=origin, name=f"Chỉ tiêu {number}", target=5)
        services.record_result(actor=admin, indicator=extra, period_start=dt.date(2023, 1, 1),
                               period_end=dt.date(2023, 6, 30), actual=number)
        services.add_commendation(actor=admin, practice=origin, title="Bằng khen", level="province",
                                  awarded_on=dt.date(2023, 2, 1), decision_number=f"{number}-QĐ/UBND")
        services.link_evidence(actor=admin, practice=origin, target=PlanTaskFactory(plan=plan))


def test_views_read_in_as_many_queries_with_more_rows(client, world, settings):
    settings.RATELIMIT_ENABLE = False
    client.force_login(world.user("admin"))
    sample(world)
    few = _counts(client, world)
    _more_rows(world)
    many = _counts(client, world)
    grown = {name: (few[name], many[name]) for name in few if many[name] > few[name]}
    assert not grown, f"query counts that grow with the rows (before, after): {grown}"
