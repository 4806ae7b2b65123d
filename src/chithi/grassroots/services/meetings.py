"""Scheduling a cell meeting, its agenda (standing items, plan tasks), changing or cancelling it, and the notice
that reaches members and the committee above before it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chithi.core import audit
from chithi.core.models import AuditAction, User
from chithi.core.notify import notify
from chithi.core.permissions import Action, Role
from chithi.core.writes import acting_user, model_update, require, save_new
from chithi.orgs.models import Organisation, OrgKind
from chithi.orgs.selectors import users_with_role

from .. import rules
from ..models import (
    REGULAR_KINDS,
    STANDING_ITEMS,
    THEMATIC_KINDS,
    AgendaItem,
    AgendaKind,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from ..selectors.meetings import current_plan_tasks, previous_open_tasks, roster
from .common import changing_meeting, clean_text, fmt, raise_if, required_text, unit_exists_on

MEETING_FIELDS = ("kind", "theme_kind", "topic", "starts_at", "planned_minutes", "place", "note")


def _period(starts_at: dt.datetime) -> int:
    local = timezone.localtime(starts_at)
    return local.year * 100 + local.month


def _validate_meeting(meeting: Meeting) -> None:
    errors: dict[str, Any] = {}
    cell = meeting.organisation
    if cell.kind != OrgKind.PARTY_CELL:
        errors["organisation"] = _("Only a party cell holds cell meetings.")
    if meeting.starts_at is None:
        errors["starts_at"] = _("Give the day and time of the meeting.")
        raise_if(errors)
    day = timezone.localtime(meeting.starts_at).date()
    gone = unit_exists_on(cell, day)
    if gone:
        errors["organisation"] = gone + " " + _("A meeting on %(date)s cannot be held in it.") % {"date": fmt(day)}
    if meeting.kind not in MeetingKind.values:
        errors["kind"] = _("Choose the kind of meeting.")
    meeting.topic = clean_text(errors, "topic", meeting.topic, max_length=300,
                               required=meeting.kind in THEMATIC_KINDS)
    if meeting.kind in THEMATIC_KINDS and not meeting.theme_kind:
        errors["theme_kind"] = _("Choose the kind of topic of a thematic meeting.")
    if meeting.kind not in THEMATIC_KINDS:
        meeting.theme_kind = ""
    minimum = rules.minimum_minutes(combined=meeting.kind == MeetingKind.COMBINED)
    if meeting.planned_minutes is None or meeting.planned_minutes < minimum:
        errors["planned_minutes"] = _("A meeting of this kind lasts at least %(n)d minutes (Hướng dẫn 42-HD/BTCTW).") \
            % {"n": minimum}
    elif meeting.planned_minutes > 480:
        errors["planned_minutes"] = _("At most %(n)d minutes.") % {"n": 480}
    meeting.place = clean_text(errors, "place", meeting.place, max_length=255)
    meeting.period = _period(meeting.starts_at)
    if meeting.kind in REGULAR_KINDS and "organisation" not in errors:
        clash = Meeting.objects.filter(organisation=cell, period=meeting.period, kind__in=REGULAR_KINDS).exclude(
            status=MeetingStatus.CANCELLED).exclude(pk=meeting.pk).first()
        if clash is not None:
            errors["starts_at"] = _("%(cell)s already has its regular meeting for %(month)s (%(date)s).") % {
                "cell": cell.name, "month": f"{meeting.period % 100:02d}/{meeting.period // 100}",
                "date": fmt(clash.local_date())}
    raise_if(errors)


def _standing_items(meeting: Meeting) -> list[AgendaItem]:
    titles = {AgendaKind.LAST_MONTH: _("Results of last month's tasks"),
              AgendaKind.STUDY: _("Studying and following Hồ Chí Minh's thought, morality and style (Chỉ thị 05)"),
              AgendaKind.NEXT_MONTH: _("Tasks for next month")}
    items = [AgendaItem(meeting=meeting, kind=kind, title=str(titles[kind])) for kind in STANDING_ITEMS]
    if meeting.kind in THEMATIC_KINDS:
        items.insert(2, AgendaItem(meeting=meeting, kind=AgendaKind.THEME,
                                   title=_("Thematic topic: %(topic)s") % {"topic": meeting.topic}))
    if previous_open_tasks(meeting).exists():
        items.insert(0, AgendaItem(meeting=meeting, kind=AgendaKind.REVIEW,
                                   title=str(AgendaKind.REVIEW.label)))
    return items


def _renumber(meeting: Meeting, items: Iterable[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        item.position = position


@transaction.atomic
def schedule_meeting(
    *, actor: Any, organisation: Organisation, starts_at: dt.datetime, kind: str = MeetingKind.REGULAR,
    planned_minutes: int | None = None, place: str = "", topic: str = "", theme_kind: str = "", note: str = "",
    plan_tasks: Iterable[Any] = (), notify_members: bool = False,
) -> Meeting:
    """A cell's meeting with its standing agenda (and the plan tasks chosen); optionally announced at once."""
    require(actor, Action.ADD, organisation.path)
    if planned_minutes is None:
        planned_minutes = rules.minimum_minutes(combined=kind == MeetingKind.COMBINED)
    meeting = Meeting(organisation=organisation, kind=kind, starts_at=starts_at, planned_minutes=planned_minutes,
                      place=place, topic=topic, theme_kind=theme_kind, note=(note or "").strip(),
                      created_by=acting_user(actor))
    _validate_meeting(meeting)
    tasks = _checked_plan_tasks(actor, organisation, plan_tasks)
    save_new(meeting, actor=actor)
    items = _standing_items(meeting)
    items[-1:-1] = [AgendaItem(meeting=meeting, kind=AgendaKind.PLAN_TASK, title=task.title[:500], plan_task=task)
                    for task in tasks]
    _renumber(meeting, items)
    AgendaItem.objects.bulk_create(items)
    if notify_members:
        send_meeting_notice(actor=actor, meeting=meeting)
    return meeting


def _checked_plan_tasks(actor: Any, cell: Organisation, chosen: Iterable[Any]) -> list[Any]:
    wanted = [getattr(t, "pk", t) for t in chosen]
    if not wanted:
        return []
    found = {t.pk: t for t in current_plan_tasks(user=actor, cell=cell).filter(pk__in=wanted)}
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise ValidationError({"plan_tasks": _("Only the cell's own open plan tasks can be put on its agenda.")})
    return [found[pk] for pk in wanted]


@transaction.atomic
def update_meeting(*, actor: Any, meeting: Meeting, **changes: Any) -> Meeting:
    meeting = changing_meeting(actor, meeting, "edit")
    meeting, changed = model_update(instance=meeting, data=changes, fields=MEETING_FIELDS, actor=actor,
                                    validate=_validate_meeting)
    if changed and "period" not in changes:
        Meeting.objects.filter(pk=meeting.pk).update(period=meeting.period)
    return meeting


@transaction.atomic
def cancel_meeting(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    meeting = changing_meeting(actor, meeting, "cancel")
    reason = required_text("cancel_reason", reason, max_length=500, min_length=5)
    was_announced = meeting.notified_at is not None
    meeting, _changed = model_update(instance=meeting, data={"status": MeetingStatus.CANCELLED,
                                                             "cancel_reason": reason},
                                     fields=("status", "cancel_reason"), actor=actor)
    if was_announced:
        _notify(meeting, title=_("Meeting cancelled: %(meeting)s") % {"meeting": meeting},
                body=reason, key=f"grassroots.meeting.{meeting.pk}.cancelled")
    return meeting


@transaction.atomic
def add_agenda_item(*, actor: Any, meeting: Meeting, title: str = "", plan_task: Any = None) -> AgendaItem:
    changing_meeting(actor, meeting, "agenda", lock=False)
    errors: dict[str, Any] = {}
    task = None
    if plan_task is not None:
        task = _checked_plan_tasks(actor, meeting.organisation, [plan_task])[0]
        if meeting.agenda.filter(plan_task=task).exists():
            errors["plan_task"] = _("This plan task is already on the agenda.")
        title = title or task.title
    title = clean_text(errors, "title", title, max_length=500, required=True)
    raise_if(errors)
    items = list(meeting.agenda.order_by("position", "id"))
    item = AgendaItem(meeting=meeting, kind=AgendaKind.PLAN_TASK if task else AgendaKind.OTHER, title=title,
                      plan_task=task)
    # New items go before "next month's tasks", which closes every agenda.
    closing = next((i for i, existing in enumerate(items) if existing.kind == AgendaKind.NEXT_MONTH), len(items))
    items.insert(closing, item)
    _renumber(meeting, items)
    save_new(item, actor=actor, related=meeting)
    AgendaItem.objects.bulk_update([i for i in items if i.pk != item.pk], ["position"])
    return item


@transaction.atomic
def remove_agenda_item(*, actor: Any, item: AgendaItem) -> None:
    meeting = changing_meeting(actor, item.meeting, "agenda", lock=False)
    if item.kind in STANDING_ITEMS:
        raise ValidationError(_("The standing items stay on every agenda."))
    audit.record(action=AuditAction.DELETE, obj=item, before=audit.snapshot(item), actor=actor, related=meeting,
                 org_path=meeting.organisation.path)
    item.delete()


def _member_users(meeting: Meeting) -> list[User]:
    people = [entry.person.pk for entry in roster(cell=meeting.organisation, day=meeting.local_date())]
    return list(User.objects.filter(person_id__in=people, is_active=True))


def _notify(meeting: Meeting, *, title: str, body: str, key: str) -> int:
    above = meeting.organisation.parent
    watchers = users_with_role(above, roles=[Role.SECRETARY], upward=True) if above else []
    url = reverse("grassroots:meeting_detail", args=[meeting.pk])
    return notify(users=[*_member_users(meeting), *watchers], title=title, body=body, url=url, dedupe_key=key)


def notice_body(meeting: Meeting) -> str:
    when = timezone.localtime(meeting.starts_at)
    lines = [_("When: %(time)s, %(date)s") % {"time": f"{when:%H:%M}", "date": fmt(when.date())},
             _("Where: %(place)s") % {"place": meeting.place or "—"}, _("Agenda:")]
    lines += [f"{item.position}. {item.title}" for item in meeting.agenda.order_by("position", "id")]
    return "\n".join(lines)


def _announce(meeting: Meeting) -> int:
    when = timezone.localtime(meeting.starts_at)
    sent = _notify(meeting, title=_("Cell meeting %(date)s: %(cell)s") % {"date": fmt(when.date()),
                                                                            "cell": meeting.organisation.name},
                   body=notice_body(meeting), key=f"grassroots.meeting.{meeting.pk}.{when:%Y%m%d%H%M}")
    Meeting.objects.filter(pk=meeting.pk).update(notified_at=timezone.now())
    return sent


@transaction.atomic
def send_meeting_notice(*, actor: Any, meeting: Meeting) -> int:
    """Members of the cell and the committee above receive the time, place and agenda (in-app and e-mail).

    Once per meeting and start time: a meeting moved to another time is announced again."""
    changing_meeting(actor, meeting, "notify", lock=False)
    return _announce(meeting)


def send_due_notices(*, days_before: int | None = None) -> int:
    """The daily job: announce scheduled meetings starting within the notice period that were not announced."""
    days = int(days_before if days_before is not None else rules.setting("GRASSROOTS_NOTICE_DAYS_BEFORE"))
    now = timezone.now()
    due = Meeting.objects.filter(status=MeetingStatus.SCHEDULED, notified_at__isnull=True, starts_at__gt=now,
                                 starts_at__lte=now + dt.timedelta(days=days + 1)).select_related("organisation")
    sent = 0
    for meeting in due:
        with transaction.atomic():
            sent += _announce(meeting)
    return sent
