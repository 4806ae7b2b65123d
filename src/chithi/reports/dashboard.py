"""The dashboard's sections beyond the unit table: citizens' issues by category, by ward and by month, field work
and inspection findings by unit. Each section is one `Table` (its chart, the table behind it and the rows its XLSX
export writes), built once for the page and the export so the two cannot disagree."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from chithi.core import charts
from chithi.orgs.selectors import unit_labels

from . import figures as fig
from .selectors import Dashboard, DashRow, IssueBreakdown

# Narrower than core's default (640): the charts sit two abreast on a laptop and alone on a phone, where a wider
# drawing would shrink its text below reading size.
CHART_WIDTH = 480


@dataclass
class Row:
    label: str
    cells: list[Any]
    link: str = ""  # the query string of the dashboard one level down (drill-down), when there is one


@dataclass
class Table:
    key: str
    title: str
    chart: SafeString | None
    headers: list[Any]
    rows: list[Row]
    total: Row | None = None

    def xlsx_rows(self) -> list[list[Any]]:
        return [[r.label, *r.cells] for r in [*self.rows, *([self.total] if self.total else [])]]


def drill(args: dict[str, Any], unit_id: int) -> str:
    """The query string of the same period's dashboard for another unit."""
    params: dict[str, Any] = {"unit": unit_id, "period": args["period"], "year": args["year"], "part": args["part"]}
    if args["period"] == "custom":
        params |= {"start": f"{args['start']:%d/%m/%Y}", "end": f"{args['end']:%d/%m/%Y}"}
    return urlencode(params)


def _answer_parts(groups: Sequence[Any]) -> list[tuple[str, list[int]]]:
    return [(_("On time"), [g.answered_on_time for g in groups]), (_("Late"), [g.answered_late for g in groups]),
            (_("Not answered"), [g.received - g.answered for g in groups])]


def _issue_cells(g: Any) -> list[Any]:
    return [g.received, g.answered_on_time, g.answered_late, g.received - g.answered, g.rated, g.satisfied_share,
            g.average_working_days]


def _issue_headers(first: Any) -> list[Any]:
    return [first, _("Received"), _("Answered on time"), _("Answered late"), _("Not answered"), _("Rated"),
            _("Satisfied (%)"), _("Average working days to answer")]


def _issue_table(key: str, title: str, first: Any, groups: list[Any],
                 link: Callable[[Any], str] = lambda _g: "") -> Table:
    labels = [g.label or _("Ward not given") for g in groups]
    chart = charts.stacked_bar_chart(title=title, labels=labels, parts=_answer_parts(groups),
                                     width=CHART_WIDTH) if groups else None
    rows = [Row(label, _issue_cells(g), link(g)) for label, g in zip(labels, groups, strict=True)]
    return Table(key, title, chart, _issue_headers(first), rows)


def _unit_rows(board: Dashboard, args: dict[str, Any],
               cells: Callable[[DashRow], list[Any]]) -> tuple[list[Row], Row]:
    rows = [Row(r.unit.name, cells(r), drill(args, r.unit.pk)) for r in board.rows]
    return rows, Row(f"{_('Total')} ({board.unit.name})", cells(board.total))


def tables(*, board: Dashboard, issues: IssueBreakdown, args: dict[str, Any]) -> list[Table]:
    shown = [r for r in board.rows if any(r.fieldwork.values())]  # charts skip sub-units with nothing to show
    names = unit_labels(r.unit for r in shown)
    result = [
        _issue_table("issues-category", _("Citizens' issues by category"), _("Category"), issues.by_category),
        _issue_table("issues-ward", _("Citizens' issues by ward"), _("Ward"), issues.by_ward,
                     link=lambda g: drill(args, g.key) if g.key else ""),
    ]
    months = issues.by_month
    month_chart = charts.line_chart(
        title=_("Citizens' issues by month: received, answered, answered on time"), width=CHART_WIDTH,
        labels=[m.label for m in months], series=[
            (_("Received"), [m.received for m in months]), (_("Answered"), [m.answered for m in months]),
            (_("Answered on time"), [m.answered_on_time for m in months])]) if months else None
    result.append(Table("issues-month", _("Citizens' issues by month: received, answered, answered on time"),
                        month_chart, _issue_headers(_("Month")),
                        [Row(m.label, _issue_cells(m)) for m in months]))
    rows, total = _unit_rows(board, args, lambda r: [r.fieldwork[f.key] for f in fig.FIELDWORK[:2]])
    result.append(Table(
        "fieldwork", _("Household visits and home help done by unit"),
        charts.stacked_bar_chart(title=_("Household visits and home help done by unit"), labels=names,
                                 width=CHART_WIDTH, parts=[
                                     (str(f.label), [r.fieldwork[f.key] for r in shown]) for f in fig.FIELDWORK[:2]])
        if shown else None,
        [_("Unit"), *[f.label for f in fig.FIELDWORK[:2]]], rows, total))
    rows, total = _unit_rows(board, args, lambda r: [r.fieldwork["findings_open"], r.fieldwork["findings_overdue"]])
    result.append(Table(
        "findings", _("Inspection findings open by unit (recommendations and remedial work not closed)"),
        charts.stacked_bar_chart(
            title=_("Inspection findings open by unit (recommendations and remedial work not closed)"),
            labels=names, width=CHART_WIDTH, parts=[
                (_("Within the deadline"),
                 [r.fieldwork["findings_open"] - r.fieldwork["findings_overdue"] for r in shown]),
                (_("Overdue"), [r.fieldwork["findings_overdue"] for r in shown])]) if shown else None,
        [_("Unit"), *[f.label for f in fig.FIELDWORK[2:]]], rows, total))
    return result
