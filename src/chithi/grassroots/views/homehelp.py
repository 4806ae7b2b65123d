"""Pages of help with procedures at home: a unit's list (this week by default), the request form for officers on
a phone, rescheduling and the outcome."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core.forms import form_page
from chithi.core.history import history_page
from chithi.core.pagination import paginate, query_without_page
from chithi.core.permissions import Action, restrict
from chithi.orgs.models import Organisation, Person

from .. import policy, services
from ..filters import HomeHelpFilterSet
from ..forms import HomeHelpForm, OutcomeForm, RescheduleForm
from ..models import HomeHelpRequest, VisitStatus
from ..selectors import fieldwork as selectors
from .common import phone_form, refused


@login_required
def homehelp_list(request: HttpRequest) -> HttpResponse:
    filterset = HomeHelpFilterSet(request.GET, queryset=selectors.visible_requests(request.user), request=request)
    start, end = selectors.week_bounds()
    return render(request, "grassroots/homehelp_list.html", {
        "filter": filterset, "page": paginate(request, filterset.qs.order_by("slot_start", "id")),
        "query": query_without_page(request), "can_add": policy.may_book_help(request.user),
        "week_start": timezone.localtime(start).date(), "week_end": timezone.localtime(end).date()})


@login_required
def homehelp_create(request: HttpRequest) -> HttpResponse:
    if not policy.may_book_help(request.user):
        raise Http404
    units = restrict(Organisation.objects.active(), request.user, Action.ADD).order_by("path")
    unit = units.filter(pk=request.GET.get("unit") or 0).first() if (request.GET.get("unit") or "").isdigit() \
        else None
    officers = selectors.officers_of(unit) if unit else restrict(Person.objects.all(), request.user,
                                                                  Action.VIEW).order_by("sort_key")
    households = selectors.visible_households(request.user).order_by("residential_area__path", "address")
    visits = selectors.visible_visits(request.user).filter(status=VisitStatus.DONE).order_by("-starts_at")
    household = request.GET.get("household", "")
    if household.isdigit():
        visits = visits.filter(household_id=int(household))
    else:
        visits = visits.filter(starts_at__gte=timezone.now() - dt.timedelta(days=90))
    initial = {"organisation": unit.pk if unit else None, "household": household or None,
               "visit": request.GET.get("visit"), "channel": "visit" if request.GET.get("visit") else "phone"}
    form = HomeHelpForm(request.POST or None, units=units, households=households,
                        procedures=selectors.active_procedures(), officers=officers, visits=visits, initial=initial)
    return phone_form(request, form=form, title=_("Help with a procedure at home"),
                      back_url=reverse("grassroots:homehelp_list"), draft="homehelp:new",
                      success=_("The appointment is booked."),
                      save=lambda data: services.create_request(actor=request.user, **data))


def _request(request: HttpRequest, pk: int) -> HomeHelpRequest:
    return selectors.request_detail(user=request.user, pk=pk)


@login_required
def homehelp_detail(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = _request(request, pk)
    return render(request, "grassroots/homehelp_detail.html", {
        "req": help_request, "allowed": policy.HOME_HELP.allowed(request.user, help_request),
        "decisions": policy.HOME_HELP.decide(request.user, help_request)})


@login_required
def homehelp_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = _request(request, pk)
    if (answer := refused(request, policy.HOME_HELP, "reschedule", help_request)) is not None:
        return answer
    form = RescheduleForm(request.POST or None, officers=selectors.officers_of(help_request.organisation),
                          initial={"officer": help_request.officer_id})
    return form_page(request, form=form, title=_("Another appointment"), back_url=help_request.get_absolute_url(),
                     success=_("The appointment is moved."),
                     save=lambda data: services.reschedule_request(actor=request.user, request=help_request, **data))


@login_required
def homehelp_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = _request(request, pk)
    if (answer := refused(request, policy.HOME_HELP, "outcome", help_request)) is not None:
        return answer
    return phone_form(request, form=OutcomeForm(request.POST or None), title=_("Outcome of the visit"),
                      back_url=help_request.get_absolute_url(), draft=f"homehelp-outcome:{help_request.pk}",
                      success=_("The outcome is recorded."),
                      context={"intro": f"{help_request.procedure} — {help_request.household}"},
                      save=lambda data: services.record_outcome(actor=request.user, request=help_request, **data))


@login_required
def homehelp_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, _request(request, pk))
