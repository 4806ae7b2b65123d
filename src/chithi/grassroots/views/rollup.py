"""Grassroots work by unit: meeting attendance, regular and thematic meetings, and flag-ceremony completion of a
unit and each of its sub-units for a year (the dashboards of issue 13 will join these figures)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from chithi.core.permissions import Action, has_any
from chithi.core.xlsx import write_xlsx, xlsx_response
from chithi.orgs.selectors import visible_parent

from ..selectors import rollup as selectors
from .common import focus_unit, year_param


@login_required
def rollup(request: HttpRequest) -> HttpResponse:
    unit = focus_unit(request)
    year = year_param(request)
    total, rows = selectors.by_unit(user=request.user, focus=unit, year=year)
    return render(request, "grassroots/rollup.html", {
        "unit": unit, "up": visible_parent(user=request.user, org=unit), "year": year, "total": total, "rows": rows,
        "years": range(year - 3, year + 2),
        "can_export": has_any(request.user, Action.EXPORT)})


@login_required
def rollup_export(request: HttpRequest) -> HttpResponse:
    unit = focus_unit(request)
    year = year_param(request)
    total, rows = selectors.by_unit(user=request.user, focus=unit, year=year)
    headers = [_("Unit"), _("Party cells"), _("Regular meetings held"), _("Regular meetings due"),
               _("Thematic meetings"), _("Members present"), _("Members expected"), _("Attendance rate (%)"),
               _("Flag ceremonies held"), _("Flag ceremonies due"), _("Flag ceremonies missing")]
    data = [[r.unit.name, r.cells, r.regular, r.regular_due, r.thematic, r.present, r.expected, r.attendance_rate,
             r.flags_held, r.flags_due, r.flags_missing] for r in [*rows, total]]
    return xlsx_response(write_xlsx(headers=headers, rows=data, title=str(year)),
                         f"co-so-{unit.pk}-{year}-{dt.date.today():%Y%m%d}.xlsx")
