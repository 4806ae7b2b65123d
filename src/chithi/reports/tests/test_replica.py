"""Report reads go through the read-replica route when one is configured (issue 13): every page and API read of
rounds, submissions and compiled figures reads its reports from the `replica` alias (a TEST MIRROR of the test
database, src/chithi/conftest.py), and a write still reads what it changes from the primary."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chithi.core.db_routers import PrimaryReplicaRouter, reporting_db

from ..models import Report, ReportStatus
from .factories import open_ward_round, product_data, sections

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def _touches_reports(queries: list[dict[str, Any]]) -> list[str]:
    return [q["sql"] for q in queries if '"reports_report"' in q["sql"] or '"reports_round"' in q["sql"]]


def test_the_router_sends_report_reads_to_the_configured_replica(settings: Any) -> None:
    assert reporting_db() == "default"  # no replica configured: everything on the primary
    settings.REPORTING_DATABASE = "replica"
    assert reporting_db() == "replica"
    router = PrimaryReplicaRouter()
    assert router.db_for_write(Report) == "default" and not router.allow_migrate("replica", "reports")


def test_pages_and_api_reads_go_to_the_replica_and_a_write_to_the_primary(world: Any, settings: Any) -> None:
    product_data(world)
    s = open_ward_round(world)
    cell = world.user("cell_secretary")
    from .. import services

    services.update_report(actor=cell, report=s.a1, sections=sections())
    services.submit_report(actor=cell, report=s.a1)
    settings.REPORTING_DATABASE = "replica"
    client = Client()
    client.force_login(world.user("secretary"))
    reads = [
        reverse("reports:round_list"), reverse("reports:round_detail", args=[s.round.pk]),
        reverse("reports:report_list"), reverse("reports:report_detail", args=[s.a1.pk]),
        reverse("reports:report_detail", args=[s.own.pk]),  # the compiled report and its check
        reverse("reports:round_export", args=[s.round.pk]), reverse("reports:report_xlsx", args=[s.own.pk]),
        reverse("report-round-list"), reverse("report-round-detail", args=[s.round.pk]),
        reverse("report-round-board", args=[s.round.pk]), reverse("report-list"),
        reverse("report-detail", args=[s.a1.pk]),
    ]
    for url in reads:
        with CaptureQueriesContext(connections["replica"]) as replica, \
                CaptureQueriesContext(connections["default"]) as primary:
            response = client.get(url)
        assert response.status_code == 200, url
        assert _touches_reports(replica.captured_queries), url
        assert not _touches_reports(primary.captured_queries), (url, _touches_reports(primary.captured_queries))
    # A write reads the report it changes from the primary, never from a possibly lagging copy.
    with CaptureQueriesContext(connections["replica"]) as replica:
        client.post(reverse("reports:report_accept", args=[s.a1.pk]))
    assert not _touches_reports(replica.captured_queries)
    assert Report.objects.get(pk=s.a1.pk).status == ReportStatus.ACCEPTED
