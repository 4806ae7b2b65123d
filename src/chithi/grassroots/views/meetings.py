"""Pages of cell meetings: the list, scheduling, the meeting's page, attendance, guests, minutes (with their A4
print), the resolution's tasks and their review, the attendance export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chithi.core.forms import form_page, page_form, run_action
from chithi.core.history import history_page
from chithi.core.pagination import list_page
from chithi.core.permissions import Action, get_scoped_or_404, has_any
from chithi.core.xlsx import write_xlsx, xlsx_response

from .. import policy, rules, services
from ..filters import MeetingFilterSet
from ..forms import (
    AgendaItemForm,
    AttendanceForm,
    GuestForm,
    MeetingForm,
    MinutesForm,
    ReasonForm,
    ResolutionTaskForm,
    ReviewForm,
)
from ..models import AgendaItem, Attendance, AttendanceStatus, Meeting, MeetingGuest, MeetingStatus, ResolutionTask
from ..selectors import meetings as selectors
from .common import phone_form, refused


def _meeting(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> Meeting:
    return selectors.meeting_detail(user=request.user, pk=pk, action=action)


def meeting_step(step: str) -> Callable[[Callable[[HttpRequest, Meeting], HttpResponse]], Callable[..., HttpResponse]]:
    """A page for one step of a meeting's life (`step` of policy.MEETING): the meeting within the user's change
    scope (else 404) and the step allowed now (else back to the meeting with the reason), then the page itself,
    called with the meeting. A step page cannot be written without the check its button made."""
    def decorate(view: Callable[[HttpRequest, Meeting], HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def page(request: HttpRequest, pk: int) -> HttpResponse:
            meeting = _meeting(request, pk, Action.CHANGE)
            if (answer := refused(request, policy.MEETING, step, meeting)) is not None:
                return answer
            return view(request, meeting)
        return page
    return decorate


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    return list_page(request, "grassroots/meeting_list.html", MeetingFilterSet,
                     selectors.visible_meetings(request.user).order_by("-starts_at", "-id"),
                     can_add=has_any(request.user, Action.ADD), can_export=has_any(request.user, Action.EXPORT))


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    initial = {"organisation": request.GET.get("unit")} if request.GET.get("unit") else {}
    form = MeetingForm(request.POST or None, user=request.user, initial=initial)
    return form_page(request, form=form, title=_("Schedule a cell meeting"),
                     back_url=reverse("grassroots:meeting_list"),
                     success=_("The meeting is scheduled."),
                     save=lambda data: services.schedule_meeting(actor=request.user, **data))


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _meeting(request, pk))


def _detail_page(request: HttpRequest, meeting: Meeting, *, agenda_form: forms.Form | None = None) -> HttpResponse:
    """The meeting's page; `agenda_form` is the agenda form sent back with its errors."""
    page = selectors.meeting_page(meeting=meeting)
    allowed = policy.MEETING.allowed(request.user, meeting)
    decisions = policy.MEETING.decide(request.user, meeting)
    # The cell's plan tasks are offered while the agenda is being prepared, before the meeting.
    if agenda_form is None and "agenda" in allowed and meeting.status == MeetingStatus.SCHEDULED:
        agenda_form = AgendaItemForm(plan_tasks=selectors.current_plan_tasks(user=request.user,
                                                                             cell=meeting.organisation))
    return render(request, "grassroots/meeting_detail.html", {
        "meeting": meeting, "page": page, "allowed": allowed, "decisions": decisions, "agenda_form": agenda_form,
        "min_minutes": rules.minimum_minutes(combined=meeting.kind == "combined"),
        "legal_basis": rules.setting("GRASSROOTS_LEGAL_BASIS")})


@login_required
@meeting_step("edit")
def meeting_edit(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    initial = {name: getattr(meeting, name) for name in services.meetings.MEETING_FIELDS}
    initial["starts_at"] = timezone.localtime(meeting.starts_at)
    form = MeetingForm(request.POST or None, user=request.user, with_cell=False, initial=initial)
    return form_page(request, form=form, title=_("Change the meeting"), back_url=meeting.get_absolute_url(),
                     success=_("The meeting is changed."),
                     save=lambda data: services.update_meeting(actor=request.user, meeting=meeting, **data))


@login_required
@meeting_step("cancel")
def meeting_cancel(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return form_page(request, form=ReasonForm(request.POST or None), title=_("Cancel the meeting"),
                     back_url=meeting.get_absolute_url(), success=_("The meeting is cancelled."),
                     save=lambda data: services.cancel_meeting(actor=request.user, meeting=meeting,
                                                               reason=data["reason"]))


@login_required
@require_POST
def meeting_notify(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, Action.CHANGE)
    run_action(request, services.send_meeting_notice, actor=request.user, meeting=meeting,
               success=_("The notice has been sent to the members."))
    return redirect(meeting)


@login_required
@require_POST
@meeting_step("agenda")
def agenda_add(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    form = AgendaItemForm(request.POST, plan_tasks=selectors.current_plan_tasks(user=request.user,
                                                                                cell=meeting.organisation))
    # An empty or refused item draws the meeting's page again with the error under the field (a redirect with the
    # error as a banner said "This field is required." without naming the field).
    return page_form(request, form, lambda data: services.add_agenda_item(actor=request.user, meeting=meeting, **data),
                     success=_("The item is on the agenda."), back=meeting,
                     page=lambda shown: _detail_page(request, meeting, agenda_form=shown))


def _remove_part(request: HttpRequest, model: type[Any], pk: int, service: Any, name: str,
                 success: str) -> HttpResponse:
    """A one-button removal of a part of a meeting (an agenda item, a guest, a task), back to the meeting."""
    part = get_scoped_or_404(model.objects.select_related("meeting__organisation"), request.user, Action.CHANGE, pk=pk)
    run_action(request, service, actor=request.user, success=success, **{name: part})
    return redirect(part.meeting)


@login_required
@require_POST
def agenda_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _remove_part(request, AgendaItem, pk, services.remove_agenda_item, "item",
                        _("The item is off the agenda."))


@login_required
@meeting_step("attendance")
def attendance(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    members = selectors.roster(cell=meeting.organisation, day=meeting.local_date())
    current = {row.person_id: row for row in Attendance.objects.filter(meeting=meeting)}
    form = AttendanceForm(request.POST or None, roster=members, current=current)
    return phone_form(request, form=form, title=_("Attendance — %(meeting)s") % {"meeting": meeting},
                      back_url=meeting.get_absolute_url(), draft=f"attendance:{meeting.pk}",
                      template="grassroots/attendance_form.html", success=_("The attendance is recorded."),
                      context={"meeting": meeting},
                      save=lambda data: services.record_attendance(actor=request.user, meeting=meeting,
                                                                   entries=form.entries()))


@login_required
@meeting_step("guests")
def guest_add(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return form_page(request, form=GuestForm(request.POST or None), title=_("Add a guest"),
                     back_url=meeting.get_absolute_url(), success=_("The guest is recorded."),
                     redirect_to=lambda guest: guest.meeting,
                     save=lambda data: services.add_guest(actor=request.user, meeting=meeting, **data))


@login_required
@require_POST
def guest_remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _remove_part(request, MeetingGuest, pk, services.remove_guest, "guest", _("The guest is removed."))


@login_required
@meeting_step("minutes")
def minutes_edit(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    page = selectors.meeting_page(meeting=meeting)
    present = [row.person for row in page.attendance if row.status == AttendanceStatus.PRESENT]
    form = MinutesForm(request.POST or None, meeting=meeting, present=present, agenda=page.agenda,
                       version=page.minutes)
    return phone_form(request, form=form, title=_("Minutes — %(meeting)s") % {"meeting": meeting},
                      back_url=meeting.get_absolute_url(), draft=f"minutes:{meeting.pk}",
                      template="grassroots/minutes_form.html", success=_("The minutes are saved."),
                      context={"meeting": meeting, "page": page}, redirect_to=lambda version: version.meeting,
                      save=lambda data: services.save_minutes(actor=request.user, meeting=meeting,
                                                              **form.service_data()))


@login_required
@require_POST
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, Action.CHANGE)
    run_action(request, services.approve_minutes, actor=request.user, meeting=meeting,
               success=_("The minutes are approved."))
    return redirect(meeting)


@login_required
@meeting_step("correct")
def minutes_correct(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return form_page(request, form=ReasonForm(request.POST or None), title=_("Correct the approved minutes"),
                     back_url=meeting.get_absolute_url(),
                     success=_("A new version of the minutes is open for the correction."),
                     redirect_to=lambda version: reverse("grassroots:minutes_edit", args=[meeting.pk]),
                     context={"intro": _("The approved version stays as it was signed; the correction is a new "
                                         "version that carries its reason.")},
                     save=lambda data: services.correct_minutes(actor=request.user, meeting=meeting,
                                                                reason=data["reason"]))


@login_required
def minutes_print(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    page = selectors.meeting_page(meeting=meeting)
    number = request.GET.get("version")
    version = next((v for v in page.versions if str(v.number) == number), None) if number else page.minutes
    if version is None:
        raise Http404
    position = {item.pk: item.position for item in page.agenda}
    figures = version.attendance_snapshot or services.attendance.counters(meeting)
    snapshot = {**figures, "roster": figures["roster_official"] + figures["roster_probationary"],
                "present": figures["present_official"] + figures["present_probationary"]}
    return render(request, "grassroots/minutes_print.html", {
        "meeting": meeting, "page": page, "version": version, "snapshot": snapshot,
        "conclusions": [(item, version.conclusions.get(str(item.pk), "")) for item in page.agenda],
        "remarks": [{**r, "position": position.get(r.get("item"))} for r in version.remarks],
        "absent": [a for a in page.attendance if a.status != AttendanceStatus.PRESENT],
        "ward": meeting.organisation.parent, "place_name": _place_name(meeting),
        "grade": dict(rules.GRADES).get(version.grade, "")})


def _place_name(meeting: Meeting) -> str:
    """The place a party document is dated from: the ward's name ("Đông Hà" for Đảng ủy phường Đông Hà)."""
    unit = meeting.organisation.parent or meeting.organisation
    name = unit.name
    for prefix in ("Đảng ủy phường ", "Đảng ủy xã ", "Đảng ủy ", "Chi bộ "):
        name = name.removeprefix(prefix)
    return name if not name.isdigit() else f"Phường {name}"


@login_required
@meeting_step("tasks")
def task_add(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    form = ResolutionTaskForm(request.POST or None,
                              roster=selectors.roster(cell=meeting.organisation, day=meeting.local_date()))
    return form_page(request, form=form, title=_("Add a task of the resolution"), back_url=meeting.get_absolute_url(),
                     success=_("The task is recorded."), redirect_to=lambda task: task.meeting,
                     save=lambda data: services.add_resolution_task(actor=request.user, meeting=meeting, **data))


@login_required
@require_POST
def task_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _remove_part(request, ResolutionTask, pk, services.delete_resolution_task, "task",
                        _("The task is removed."))


@login_required
@meeting_step("review")
def review(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    form = ReviewForm(request.POST or None, tasks=list(selectors.previous_open_tasks(meeting)))
    return phone_form(request, form=form, title=_("Review of the last resolution's tasks"),
                      back_url=meeting.get_absolute_url(), draft=f"review:{meeting.pk}",
                      template="grassroots/review_form.html", success=_("The review is recorded."),
                      redirect_to=lambda _tasks: meeting, context={"meeting": meeting},
                      save=lambda data: services.review_tasks(actor=request.user, meeting=meeting,
                                                              outcomes=form.outcomes()))


@login_required
def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, _meeting(request, pk))


@login_required
def attendance_export(request: HttpRequest) -> HttpResponse:
    """Attendance of the meetings listed (same filters as the list), one row per member and meeting."""
    if not has_any(request.user, Action.EXPORT):
        raise Http404
    filterset = MeetingFilterSet(request.GET, queryset=selectors.visible_meetings(request.user, Action.EXPORT),
                                 request=request)
    rows = (Attendance.objects.filter(meeting__in=filterset.qs.values("pk"))
            .select_related("meeting", "meeting__organisation", "person")
            .order_by("meeting__organisation__path", "meeting__starts_at", "person__sort_key"))
    headers = [_("Party cell"), _("Date"), _("Kind"), _("Member"), _("Standing"), _("Attendance"), _("Reason"),
               _("Note")]
    data: list[list[Any]] = []
    for row in rows.iterator(chunk_size=2000):
        data.append([row.meeting.organisation.name, row.meeting.local_date(), row.meeting.get_kind_display(),
                     row.person.full_name, _("probationary") if row.probationary else _("official"),
                     row.get_status_display(), row.get_reason_display() if row.reason else "", row.note])
    return xlsx_response(write_xlsx(headers=headers, rows=data, title=_("Attendance")),
                         f"diem-danh-sinh-hoat-{dt.date.today():%Y%m%d}.xlsx")

