"""Pages of flag ceremonies: a parent unit's month (held, not held, missing) and the record form for a unit."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from chithi.core.permissions import Action, allowed_on_path, get_scoped_or_404
from chithi.orgs.models import Organisation
from chithi.orgs.selectors import visible_parent

from .. import policy, rules, services
from ..forms import CeremonyForm
from ..models import FlagCeremony
from ..selectors import ceremonies as selectors
from ..selectors.fieldwork import officers_of
from .common import focus_unit, month_param, phone_form, refused, shift_month


@login_required
def ceremony_board(request: HttpRequest) -> HttpResponse:
    """The month's ceremonies of every unit under the focus unit; a unit without a record is missing."""
    unit = focus_unit(request)
    year, month = month_param(request)
    day, rows = selectors.board(root=unit, year=year, month=month)
    for row in rows:
        row.can_record = allowed_on_path(request.user, Action.CHANGE, row.unit.path)  # type: ignore[attr-defined]
    counts = {state: sum(1 for r in rows if r.state == state) for state in ("held", "not_held", "missing", "upcoming")}
    return render(request, "grassroots/ceremony_board.html", {
        "unit": unit, "year": year, "month": month, "day": day, "rows": rows, "counts": counts,
        "previous": shift_month(year, month, -1), "next": shift_month(year, month, 1),
        "legal_basis": rules.setting("GRASSROOTS_FLAG_LEGAL_BASIS")})


@login_required
def ceremony_record(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_scoped_or_404(Organisation, request.user, Action.CHANGE, pk=pk)
    year, month = month_param(request)
    above = visible_parent(user=request.user, org=unit)  # the board the unit is a row of, if the user sees it
    board = f"{reverse('grassroots:ceremony_board')}?unit={(above or unit).pk}&month={year}-{month:02d}"
    if (answer := refused(request, policy.CEREMONY, "record", unit, back=board)) is not None:
        return answer
    day = rules.flag_day(year, month)
    existing = FlagCeremony.objects.filter(organisation=unit, period=year * 100 + month).first()
    initial = {"held_on": day, "start_time": rules.flag_time()}
    if existing is not None:
        initial = {name: getattr(existing, name) for name in services.ceremonies.CEREMONY_FIELDS}
    form = CeremonyForm(request.POST or None, speakers=officers_of(unit), initial=initial)
    return phone_form(request, form=form, title=_("Flag ceremony %(month)02d/%(year)d — %(unit)s") % {
        "month": month, "year": year, "unit": unit.name}, back_url=board, draft=f"ceremony:{unit.pk}:{year}{month:02d}",
        success=_("The ceremony is recorded."), context={"intro": _("Scheduled: %(date)s, %(time)s") % {
            "date": day.strftime("%d/%m/%Y"), "time": rules.flag_time().strftime("%H:%M")}},
        save=lambda data: services.record_ceremony(actor=request.user, organisation=unit, year=year, month=month,
                                                   **data))


@login_required
def ceremony_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ceremony = selectors.ceremony_detail(user=request.user, pk=pk)
    return render(request, "grassroots/ceremony_detail.html", {
        "ceremony": ceremony, "month": f"{ceremony.period // 100}-{ceremony.period % 100:02d}",
        "can_record": policy.CEREMONY.allowed(request.user, ceremony.organisation)})

