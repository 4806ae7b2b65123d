"""The dashboard's sections (issues by category, ward and month; field work; inspection findings), its period
inputs and its charts' legends."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from chithi.core import charts
from chithi.dialogues.models import Issue
from chithi.dialogues.tests.factories import IssueFactory

from .factories import product_data

pytestmark = pytest.mark.django_db

HALF = {"period": "half", "year": 2026, "part": 1}


def _leader(client: Client, world: Any) -> Client:
    client.force_login(world.user("leader"))
    return client


def test_the_custom_period_inputs_read_and_show_dd_mm_yyyy(world: Any, client: Client) -> None:
    _leader(client, world)
    response = client.get(reverse("reports:dashboard"), {"unit": world.ward_a.pk, "period": "custom",
                                                         "start": "01/02/2026", "end": "31/03/2026"})
    page = response.content.decode()
    assert response.context["start"] == dt.date(2026, 2, 1) and response.context["end"] == dt.date(2026, 3, 31)
    assert 'type="date"' not in page  # the browser's own date input shows mm/dd/yyyy on an English PC
    start = re.search(r'<input[^>]*id="d-start"[^>]*>', page)
    assert start and 'placeholder="dd/mm/yyyy"' in start.group(0) and 'value="01/02/2026"' in start.group(0)


def _legend_texts(svg: str) -> list[tuple[float, str]]:
    """(left edge of the text in the chart, text) of each legend entry."""
    found = []
    for group in re.finditer(r'<g transform="translate\(([\d.]+) [\d.]+\)">(.*?)</g>', svg):
        text = re.search(r'<text x="([\d.]+)"[^>]*>([^<]*)</text>', group.group(2))
        assert text
        found.append((float(group.group(1)) + float(text.group(1)), text.group(2)))
    return found


@pytest.mark.parametrize("width", [480, 360, 640])
def test_a_legend_label_is_never_cut_and_fits_in_the_chart(width: int) -> None:
    names = ["Đúng hạn", "Trễ hạn", "Chưa trả lời"]
    svg = str(charts.stacked_bar_chart(title="t", labels=["Chi bộ 1", "Chi bộ 2"], width=width,
                                       parts=[(n, [1, 2]) for n in names]))
    legend = _legend_texts(svg)
    assert [text for _x, text in legend] == names  # complete, no "Chu…"
    for left, text in legend:
        assert left + charts.text_width(text) <= width  # the box of the text fits inside the drawing


def test_the_dashboard_shows_issues_fieldwork_and_findings_with_tables_and_exports(world: Any,
                                                                                   client: Client) -> None:
    product_data(world)
    for unit, month in ((world.cell_a1, 3), (world.cell_a2, 4)):
        issue = IssueFactory()
        Issue.objects.filter(pk=issue.pk).update(organisation=unit, area_unit=world.ward_a,
                                                 received_at=dt.datetime(2026, month, 2, 9, tzinfo=dt.UTC))
    _leader(client, world)
    with translation.override("vi"):
        response = client.get(reverse("reports:dashboard"), {"unit": world.ward_a.pk, **HALF})
    page = response.content.decode()
    tables = {t.key: t for t in response.context["tables"]}
    assert set(tables) == {"issues-category", "issues-ward", "issues-month", "fieldwork", "findings"}
    assert [r.label for r in tables["issues-month"].rows] == ["01/2026", "02/2026", "03/2026", "04/2026",
                                                              "05/2026", "06/2026"]
    assert [r.cells[0] for r in tables["issues-month"].rows] == [0, 0, 1, 1, 0, 0]
    assert sum(r.cells[0] for r in tables["issues-category"].rows) == 2
    assert "Phản ánh theo tháng" in page and "Kiến nghị kiểm tra chưa khắc phục xong" in page
    assert page.count('role="img"') >= 6  # the three unit charts, categories, wards, months
    assert f"unit={world.cell_a1.pk}" in page  # field work drills down to the cells
    for key in tables:
        export = client.get(reverse("reports:dashboard_export"), {"unit": world.ward_a.pk, "table": key, **HALF})
        assert export.status_code == 200, key
        rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
        assert len(rows) == 1 + len(tables[key].rows) + (1 if tables[key].total else 0), key


def test_the_dashboard_reads_a_fixed_number_of_queries_whatever_the_number_of_sub_units(world: Any,
                                                                                        client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chithi.orgs.models import OrgKind
    from chithi.orgs.tests.factories import OrganisationFactory

    product_data(world)
    _leader(client, world)
    url = reverse("reports:dashboard")
    client.get(url, {"unit": world.ward_a.pk, **HALF})  # warm the session and the caches
    with CaptureQueriesContext(connection) as before:
        client.get(url, {"unit": world.ward_a.pk, **HALF})
    for n in range(4):
        OrganisationFactory(parent=world.ward_a, kind=OrgKind.PARTY_CELL, name=f"Chi bộ Khu phố {n + 10}")
    with CaptureQueriesContext(connection) as after:
        client.get(url, {"unit": world.ward_a.pk, **HALF})
    assert len(after.captured_queries) == len(before.captured_queries)


def test_bar_labels_and_month_names_fit_the_drawing() -> None:
    long = "Đảng ủy phường Nam Đông Hà thành phố Đông Hà"
    for svg in (str(charts.bar_chart(title="t", items=[(long, 3)], width=480)),
                str(charts.stacked_bar_chart(title="t", labels=[long], parts=[("a", [1])], width=480))):
        label = re.search(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="end"[^>]*>([^<]*)</text>', svg)
        assert label and label.group(2).endswith("…")
        assert float(label.group(1)) - charts.text_width(label.group(2)) >= 0  # not past the left edge
        assert long in svg  # the whole name stays in the description
    months = [f"{m:02d}/2026" for m in range(1, 13)]
    svg = str(charts.line_chart(title="t", labels=months, series=[("a", list(range(12)))], width=480))
    xs = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="middle"', svg)]
    assert len(xs) < 12 and all(b - a >= charts.text_width("01/2026", 11) for a, b in itertools.pairwise(xs))


def test_the_on_time_rate_is_a_share_of_the_answered_issues_as_on_the_public_figures() -> None:
    """Seen in the demo: the leader's home said 17,5% answered on time where the public figures said 45,7% for
    the same issues — the dashboard divided by the issues received (open ones included), the public page and
    dialogues.figures by the answered ones. One definition: answered on time, of the answered."""
    from chithi.reports.figures import rates

    shown = rates({"issues_received": 40, "issues_answered": 10, "issues_on_time": 5})
    assert shown["issues_on_time_pct"] == 50.0
    assert rates({"issues_received": 4, "issues_answered": 0, "issues_on_time": 0})["issues_on_time_pct"] is None


def test_up_one_level_is_offered_only_where_the_reader_may_go(world: Any, client: Client) -> None:
    """A ward secretary's dashboard stops at the ward: the city above is not theirs to open (it answered 404)."""
    up = f'href="?unit={world.city.pk}&amp;'
    client.force_login(world.user("secretary"))
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert up not in page
    _leader(client, world)
    page = client.get(reverse("reports:dashboard"), {"unit": world.ward_a.pk}).content.decode()
    assert up in page
    assert client.get(reverse("reports:dashboard"), {"unit": world.city.pk}).status_code == 200


def test_an_account_without_a_unit_is_told_so_rather_than_sent_a_404(world: Any, client: Client) -> None:
    client.force_login(world.user("nobody"))
    with translation.override("vi"):
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert "không giữ vai trò" in response.content.decode()


def _bar_labels(svg: str) -> list[str]:
    return re.findall(r'<text x="[\d.]+" y="[\d.]+" text-anchor="end"[^>]*>([^<]*)</text>', svg)


def test_cells_that_share_a_short_name_are_told_apart_in_the_charts(world: Any, client: Client) -> None:
    """Seen in the demo: after the 2025 merger a ward holds five "Chi bộ KP1" and five "Chi bộ Cơ quan" (one from
    each former ward), and every chart bar of theirs read the same short name. Where short names collide, the
    chart names the units in full, shortened so that the labels still differ."""
    from chithi.orgs.models import Organisation

    Organisation.objects.filter(pk=world.cell_a1.pk).update(short_name="Chi bộ KP1",
                                                            name="Chi bộ Khu phố 1, phường Đông Giang")
    Organisation.objects.filter(pk=world.cell_a2.pk).update(short_name="Chi bộ KP1",
                                                            name="Chi bộ Khu phố 1, phường Đông Thanh")
    product_data(world)
    _leader(client, world)
    response = client.get(reverse("reports:dashboard"), {"unit": world.ward_a.pk, **HALF})
    labels = _bar_labels(str(response.context["chart_tasks"]))
    assert len(labels) == 2 and len(set(labels)) == 2, labels
    assert all(label.endswith(("Đông Giang", "Đông Thanh")) for label in labels), labels


def test_a_shortened_label_keeps_what_tells_it_apart() -> None:
    names = ["Chi bộ Cơ quan UBND phường Đông Giang", "Chi bộ Cơ quan UBND phường Đông Thanh",
             "Đảng ủy phường Nam Đông Hà thành phố Đông Hà"]
    for svg in (str(charts.bar_chart(title="t", items=[(n, 1) for n in names], width=480)),
                str(charts.stacked_bar_chart(title="t", labels=names, parts=[("a", [1, 1, 1])], width=480))):
        labels = _bar_labels(svg)
        assert len(set(labels)) == 3 and all("…" in label for label in labels), labels
        assert labels[2].endswith("…")  # a label that is alone keeps its beginning, as before
        right = float(re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="end"', svg)[0])
        for label in labels:
            assert charts.text_width(label) <= right  # not past the left edge


def test_a_chart_of_counts_has_whole_numbers_on_its_axis() -> None:
    """The public figures' monthly chart read "37,5" issues half-way up its axis."""
    svg = str(charts.line_chart(title="t", labels=["01/2026", "02/2026"], series=[("a", [75, 3])], width=480))
    ticks = re.findall(r'text-anchor="end" fill="[^"]+">([^<]+)</text>', svg)
    assert ticks == ["38", "76"]


def test_the_months_still_to_come_are_not_drawn_as_zeros(world: Any, client: Client) -> None:
    """The year's dashboard drew December, not yet begun, as a month with no issue, pulling every line to 0."""
    from django.utils import timezone

    _leader(client, world)
    today = timezone.localdate()
    response = client.get(reverse("reports:dashboard"), {"unit": world.ward_a.pk, "period": "year",
                                                         "year": today.year + 1})
    months = {t.key: t for t in response.context["tables"]}["issues-month"].rows
    assert len(months) <= 1  # a year not begun: at most its first month, never twelve empty ones
    response = client.get(reverse("reports:dashboard"), {"unit": world.ward_a.pk, "period": "year",
                                                         "year": today.year})
    labels = [r.label for r in {t.key: t for t in response.context["tables"]}["issues-month"].rows]
    assert labels[-1] == f"{today:%m/%Y}"
