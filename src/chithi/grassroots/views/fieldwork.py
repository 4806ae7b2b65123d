"""Pages of working groups, households and household visits (with the concerns that become citizen issues)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chithi.core.forms import form_page, run_action
from chithi.core.history import history_page
from chithi.core.pagination import list_page, paginate, query_without_page
from chithi.core.permissions import Action, get_scoped_or_404, has_any, restrict
from chithi.core.xlsx import write_xlsx, xlsx_response
from chithi.orgs.models import Person

from .. import policy, services
from ..filters import GroupFilterSet, HouseholdFilterSet, VisitFilterSet
from ..forms import (
    ConcernForm,
    GroupAttendanceForm,
    GroupForm,
    HouseholdForm,
    RaiseIssueForm,
    VisitPlanForm,
    VisitRecordForm,
)
from ..models import Concern, GroupRole, Household, Meeting, MeetingStatus, Visit, WorkingGroup
from ..selectors import fieldwork as selectors
from .common import phone_form, refused

# --- working groups -------------------------------------------------------------------------------------


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, "grassroots/group_list.html", GroupFilterSet, selectors.visible_groups(request.user),
                     can_add=has_any(request.user, Action.ADD))


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    form = GroupForm(request.POST or None, user=request.user, initial={"starts_on": timezone.localdate()})
    return form_page(request, form=form, title=_("New working group"), back_url=reverse("grassroots:group_list"),
                     success=_("The working group is set up."),
                     save=lambda data: services.create_group(
                         actor=request.user, organisation=data["organisation"], name=data["name"],
                         starts_on=data["starts_on"], ends_on=data["ends_on"], note=data["note"],
                         members=form.members(), followed_units=data["followed_units"]))


def _group(request: HttpRequest, pk: int) -> WorkingGroup:
    return selectors.group_detail(user=request.user, pk=pk)


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    visits = selectors.visible_visits(request.user).filter(group=group).order_by("-starts_at")
    return render(request, "grassroots/group_detail.html", {
        "group": group, "members": selectors.group_members(group),
        "units": group.followed_units.order_by("path"), "allowed": policy.GROUP.allowed(request.user, group),
        "visits": paginate(request, visits, per_page=20), "query": query_without_page(request),
        "meetings": selectors.group_meetings(user=request.user, group=group)})


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    if (answer := refused(request, policy.GROUP, "edit", group)) is not None:
        return answer
    members = selectors.group_members(group)
    leader = next((m.person_id for m in members if m.role == GroupRole.LEADER), None)
    initial = {"name": group.name, "starts_on": group.starts_on, "ends_on": group.ends_on, "note": group.note,
               "leader": leader, "members": [m.person_id for m in members if m.person_id != leader],
               "followed_units": list(group.followed_units.values_list("pk", flat=True))}
    form = GroupForm(request.POST or None, user=request.user, group=group, initial=initial)
    return form_page(request, form=form, title=_("Change the working group"), back_url=group.get_absolute_url(),
                     success=_("The working group is changed."),
                     save=lambda data: services.update_group(
                         actor=request.user, group=group, name=data["name"], starts_on=data["starts_on"],
                         ends_on=data["ends_on"], note=data["note"], members=form.members(),
                         followed_units=data["followed_units"]))


def _member_people(group: WorkingGroup) -> Any:
    return Person.objects.filter(working_groups__group=group).order_by("sort_key")


@login_required
def group_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """From the group's side: which of its members attended which meeting of a cell it follows."""
    group = _group(request, pk)
    if (answer := refused(request, policy.GROUP, "attend", group)) is not None:
        return answer
    meetings = restrict(Meeting.objects.select_related("organisation"), request.user, Action.VIEW).filter(
        selectors.followed_q(group, "organisation__path"), starts_at__lte=timezone.now(),
        starts_at__gte=timezone.now() - dt.timedelta(days=120)).exclude(status=MeetingStatus.CANCELLED)
    meetings = meetings.order_by("-starts_at")
    form = GroupAttendanceForm(request.POST or None, meetings=meetings, members=_member_people(group))
    return form_page(request, form=form, title=_("Meetings attended by %(group)s") % {"group": group.name},
                     back_url=group.get_absolute_url(), success=_("The group's attendance is recorded."),
                     redirect_to=lambda _guests: group,
                     save=lambda data: services.record_group_attendance(actor=request.user, group=group, **data))


@login_required
def group_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, _group(request, pk))


# --- households -----------------------------------------------------------------------------------------


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    households = selectors.visible_households(request.user).order_by("residential_area__path", "address")
    return list_page(request, "grassroots/household_list.html", HouseholdFilterSet, households,
                     can_add=has_any(request.user, Action.ADD))


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    initial = {"residential_area": request.GET.get("unit")} if request.GET.get("unit") else {}
    return phone_form(request, form=HouseholdForm(request.POST or None, user=request.user, initial=initial),
                      title=_("New household"), back_url=reverse("grassroots:household_list"), draft="household:new",
                      success=_("The household is recorded."),
                      save=lambda data: services.create_household(actor=request.user, **data))


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_detail(user=request.user, pk=pk)
    return render(request, "grassroots/household_detail.html", {
        "household": household,
        "visits": selectors.visible_visits(request.user).filter(household=household).order_by("-starts_at")[:20],
        "requests": selectors.visible_requests(request.user).filter(household=household).order_by("-slot_start")[:20],
        "can_change": restrict(Household.objects.filter(pk=household.pk), request.user, Action.CHANGE).exists(),
        "can_book": policy.may_book_help(request.user)})


@login_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_detail(user=request.user, pk=pk, action=Action.CHANGE)
    initial = {name: getattr(household, name) for name in services.visits.HOUSEHOLD_FIELDS}
    return phone_form(request, form=HouseholdForm(request.POST or None, user=request.user, with_area=False,
                                                  initial=initial),
                      title=_("Change the household"), back_url=household.get_absolute_url(),
                      draft=f"household:{household.pk}", success=_("The household is changed."),
                      save=lambda data: services.update_household(actor=request.user, household=household, **data))


# --- visits ---------------------------------------------------------------------------------------------


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, "grassroots/visit_list.html", VisitFilterSet,
                     selectors.visible_visits(request.user).order_by("-starts_at"),
                     can_export=has_any(request.user, Action.EXPORT))


@login_required
def visit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    if (answer := refused(request, policy.GROUP, "visit", group)) is not None:
        return answer
    households = selectors.visible_households(request.user).filter(
        selectors.followed_q(group, "residential_area__path"))
    form = VisitPlanForm(request.POST or None, households=households.order_by("residential_area__path", "address"),
                         members=_member_people(group))
    return form_page(request, form=form, title=_("Plan a household visit"), back_url=group.get_absolute_url(),
                     success=_("The visit is planned."),
                     save=lambda data: services.plan_visit(actor=request.user, group=group, **data))


def _visit(request: HttpRequest, pk: int) -> Visit:
    return selectors.visit_detail(user=request.user, pk=pk)


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    return render(request, "grassroots/visit_detail.html", {
        "visit": visit, "visitors": selectors.visitors_of(visit),
        "concerns": selectors.visit_concerns(user=request.user, visit=visit),
        "allowed": policy.VISIT.allowed(request.user, visit), "concern_form": ConcernForm(),
        "requests": selectors.visible_requests(request.user).filter(visit=visit),
        "can_book": policy.may_book_help(request.user)})


@login_required
def visit_record(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    if (answer := refused(request, policy.VISIT, "record", visit)) is not None:
        return answer
    initial = {"situation": visit.situation, "raised": visit.raised, "follow_up": visit.follow_up,
               "visitors": [p.pk for p in selectors.visitors_of(visit)]}
    form = VisitRecordForm(request.POST or None, members=_member_people(visit.group), initial=initial)
    return phone_form(request, form=form, title=_("Visit to %(household)s") % {"household": visit.household.head_name},
                      back_url=visit.get_absolute_url(), draft=f"visit:{visit.pk}", success=_("The visit is recorded."),
                      save=lambda data: services.record_visit(actor=request.user, visit=visit, **data))


@login_required
@require_POST
def visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    run_action(request, services.cancel_visit, actor=request.user, visit=visit, success=_("The visit is called off."))
    return redirect(visit)


@login_required
def concern_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visit(request, pk)
    if (answer := refused(request, policy.VISIT, "concern", visit)) is not None:
        return answer
    return phone_form(request, form=ConcernForm(request.POST or None), title=_("What the residents raised"),
                      back_url=visit.get_absolute_url(), draft=f"concern:{visit.pk}",
                      success=_("The concern is recorded."), redirect_to=lambda concern: concern.visit,
                      save=lambda data: services.add_concern(actor=request.user, visit=visit, **data))


@login_required
def concern_raise(request: HttpRequest, pk: int) -> HttpResponse:
    """One action: the concern becomes a citizen issue (channel "visit") in the handling unit's queue."""
    from chithi.dialogues.models import IssueCategory

    concern = get_scoped_or_404(Concern.objects.select_related(
        "visit", "visit__group__organisation", "visit__household__residential_area"), request.user, Action.VIEW, pk=pk)
    if (answer := refused(request, policy.VISIT, "raise", concern.visit)) is not None:
        return answer
    ward = services.visits.receiving_unit(concern.visit.household.residential_area)
    form = RaiseIssueForm(request.POST or None, user=request.user,
                          categories=IssueCategory.objects.filter(active=True).order_by("sort_order", "name"),
                          initial={"organisation": ward.pk})
    return form_page(request, form=form, title=_("Send to the citizens' issues"),
                     back_url=concern.visit.get_absolute_url(),
                     success=_("The concern is now a citizen issue."), redirect_to=lambda issue: concern.visit,
                     context={"intro": concern.description},
                     save=lambda data: services.raise_issue(actor=request.user, concern=concern, **data))


@login_required
def visit_export(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.EXPORT):
        raise Http404
    filterset = VisitFilterSet(request.GET, queryset=selectors.visible_visits(request.user, Action.EXPORT)
                               .prefetch_related("visitors", "concerns").order_by("starts_at"), request=request)
    headers = [_("Date"), _("Working group"), _("Residential area"), _("Household"), _("Address"), _("Status"),
               _("Who went"), _("What the residents raised"), _("Follow-up"), _("Concerns"), _("Sent as issues")]
    rows = []
    for v in filterset.qs.iterator(chunk_size=500):
        concerns = list(v.concerns.all())
        rows.append([timezone.localtime(v.starts_at).date(), v.group.name, v.household.residential_area.name,
                     v.household.head_name, v.household.address, v.get_status_display(),
                     ", ".join(p.full_name for p in v.visitors.all()), v.raised, v.follow_up, len(concerns),
                     sum(1 for c in concerns if c.issue_id)])
    return xlsx_response(write_xlsx(headers=headers, rows=rows, title=_("Household visits")),
                         f"gap-ho-dan-{dt.date.today():%Y%m%d}.xlsx")


@login_required
def visit_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, _visit(request, pk))

