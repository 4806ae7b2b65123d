"""How the URL walk (core/tests/test_url_walk.py) reaches every page of the grassroots room."""

from __future__ import annotations

from typing import Any

from chithi.core.testing import Sample

from .factories import grassroots as g


def _feed_token(world: Any) -> dict[str, str]:
    from chithi.grassroots.services import issue_feed

    return {"token": issue_feed(actor=world.user("admin"))}


def _procedure(world: Any) -> dict[str, int]:
    # The procedures come from a data migration; a transactional test run earlier on the same
    # worker may have flushed them, so the walk makes sure one exists rather than assuming pk 1.
    from chithi.grassroots.models import Procedure

    procedure = Procedure.objects.order_by("pk").first() or Procedure.objects.create(
        code="walk", name="Chứng thực bản sao", position=1)
    return {"pk": procedure.pk}


SAMPLES = {
    "grassroots:meeting_detail": Sample(kwargs=lambda w: {"pk": g(w).meeting.pk}),
    "grassroots:meeting_edit": Sample(kwargs=lambda w: {"pk": g(w).upcoming.pk}),
    "grassroots:meeting_cancel": Sample(kwargs=lambda w: {"pk": g(w).upcoming.pk}),
    "grassroots:meeting_notify": Sample(kwargs=lambda w: {"pk": g(w).upcoming.pk}, post_only=True),
    "grassroots:agenda_add": Sample(kwargs=lambda w: {"pk": g(w).upcoming.pk}, post_only=True),
    "grassroots:agenda_remove": Sample(kwargs=lambda w: {"pk": g(w).upcoming.agenda.first().pk}, post_only=True),
    "grassroots:attendance": Sample(kwargs=lambda w: {"pk": g(w).meeting.pk}),
    "grassroots:guest_add": Sample(kwargs=lambda w: {"pk": g(w).meeting.pk}),
    "grassroots:guest_remove": Sample(kwargs=lambda w: {"pk": 1}, post_only=True),
    "grassroots:minutes_edit": Sample(kwargs=lambda w: {"pk": g(w).meeting.pk}),
    "grassroots:minutes_approve": Sample(kwargs=lambda w: {"pk": g(w).meeting.pk}, post_only=True),
    "grassroots:minutes_correct": Sample(kwargs=lambda w: {"pk": g(w).closed.pk}),
    "grassroots:minutes_print": Sample(kwargs=lambda w: {"pk": g(w).meeting.pk}),
    "grassroots:task_add": Sample(kwargs=lambda w: {"pk": g(w).meeting.pk}),
    "grassroots:task_delete": Sample(kwargs=lambda w: {"pk": 1}, post_only=True),
    "grassroots:review": Sample(kwargs=lambda w: {"pk": g(w).meeting.pk}),
    "grassroots:meeting_history": Sample(kwargs=lambda w: {"pk": g(w).meeting.pk}),
    "grassroots:attendance_export": Sample(skip_counts="a file download, one query per 2,000 rows"),
    "grassroots:standing_edit": Sample(kwargs=lambda w: {"person_pk": g(w).members[1].pk}),
    "grassroots:commitment_detail": Sample(kwargs=lambda w: {"pk": g(w).commitment.pk}),
    "grassroots:commitment_edit": Sample(kwargs=lambda w: {"pk": g(w).commitment.pk}),
    "grassroots:reflection_write": Sample(kwargs=lambda w: {"pk": g(w).commitment.pk}),
    "grassroots:commitment_review": Sample(kwargs=lambda w: {"pk": g(w).old_commitment.pk}),
    "grassroots:group_detail": Sample(kwargs=lambda w: {"pk": g(w).group.pk}),
    "grassroots:group_edit": Sample(kwargs=lambda w: {"pk": g(w).group.pk}),
    "grassroots:group_attendance": Sample(kwargs=lambda w: {"pk": g(w).group.pk}),
    "grassroots:visit_plan": Sample(kwargs=lambda w: {"pk": g(w).group.pk}),
    "grassroots:group_history": Sample(kwargs=lambda w: {"pk": g(w).group.pk}),
    "grassroots:household_detail": Sample(kwargs=lambda w: {"pk": g(w).household.pk}),
    "grassroots:household_edit": Sample(kwargs=lambda w: {"pk": g(w).household.pk}),
    "grassroots:visit_detail": Sample(kwargs=lambda w: {"pk": g(w).visit.pk}),
    "grassroots:visit_record": Sample(kwargs=lambda w: {"pk": g(w).visit.pk}),
    "grassroots:visit_cancel": Sample(kwargs=lambda w: {"pk": g(w).visit.pk}, post_only=True),
    "grassroots:concern_add": Sample(kwargs=lambda w: {"pk": g(w).visit.pk}),
    "grassroots:concern_raise": Sample(kwargs=lambda w: {"pk": g(w).concern.pk}),
    "grassroots:visit_history": Sample(kwargs=lambda w: {"pk": g(w).visit.pk}),
    "grassroots:visit_export": Sample(skip_counts="a file download, one query per 500 rows"),
    "grassroots:homehelp_detail": Sample(kwargs=lambda w: {"pk": g(w).request.pk}),
    "grassroots:homehelp_reschedule": Sample(kwargs=lambda w: {"pk": g(w).request.pk}),
    "grassroots:homehelp_outcome": Sample(kwargs=lambda w: {"pk": g(w).started_request.pk}),
    "grassroots:homehelp_history": Sample(kwargs=lambda w: {"pk": g(w).request.pk}),
    "grassroots:ceremony_record": Sample(kwargs=lambda w: {"pk": w.ward_a.pk}),
    "grassroots:ceremony_detail": Sample(kwargs=lambda w: {"pk": g(w).ceremony.pk}),
    "grassroots:unit_calendar": Sample(kwargs=lambda w: {"pk": w.ward_a.pk}),
    "grassroots:person_calendar": Sample(kwargs=lambda w: {"pk": g(w).members[0].pk}),
    "grassroots:my_calendar": Sample(kwargs=lambda w: (g(w), {})[1]),
    "grassroots:ical_feed": Sample(kwargs=_feed_token),
    "grassroots:rollup_export": Sample(skip_counts="a file download"),
    # API routes with an id
    "meeting-detail": Sample(kwargs=lambda w: {"pk": g(w).meeting.pk}),
    "meeting-attendance": Sample(kwargs=lambda w: {"pk": g(w).meeting.pk}, post_only=True),
    "meeting-notify": Sample(kwargs=lambda w: {"pk": g(w).upcoming.pk}, post_only=True),
    "meeting-cancel": Sample(kwargs=lambda w: {"pk": g(w).upcoming.pk}, post_only=True),
    "meeting-approve-minutes": Sample(kwargs=lambda w: {"pk": g(w).meeting.pk}, post_only=True),
    "meeting-correct-minutes": Sample(kwargs=lambda w: {"pk": g(w).meeting.pk}, post_only=True),
    "meeting-review-tasks": Sample(kwargs=lambda w: {"pk": g(w).upcoming.pk}, post_only=True),
    "meeting-agenda-detail": Sample(kwargs=lambda w: {"pk": g(w).meeting.agenda.first().pk}),
    "meeting-attendance-detail": Sample(kwargs=lambda w: {"pk": g(w).meeting.attendance.first().pk}),
    "meeting-guest-detail": Sample(kwargs=lambda w: {"pk": 1}, post_only=True),
    "meeting-minutes-detail": Sample(kwargs=lambda w: {"pk": g(w).meeting.minutes.first().pk}),
    "resolution-task-detail": Sample(kwargs=lambda w: {"pk": 1}, post_only=True),
    "party-standing-detail": Sample(kwargs=lambda w: {"pk": 1}, post_only=True),
    "commitment-detail": Sample(kwargs=lambda w: {"pk": g(w).commitment.pk}),
    "commitment-review": Sample(kwargs=lambda w: {"pk": g(w).commitment.pk}, post_only=True),
    "reflection-detail": Sample(kwargs=lambda w: {"pk": 1}, post_only=True),
    "working-group-detail": Sample(kwargs=lambda w: {"pk": g(w).group.pk}),
    "working-group-attendance": Sample(kwargs=lambda w: {"pk": g(w).group.pk}, post_only=True),
    "household-detail": Sample(kwargs=lambda w: {"pk": g(w).household.pk}),
    "visit-detail": Sample(kwargs=lambda w: {"pk": g(w).visit.pk}),
    "visit-record": Sample(kwargs=lambda w: {"pk": g(w).visit.pk}, post_only=True),
    "visit-cancel": Sample(kwargs=lambda w: {"pk": g(w).visit.pk}, post_only=True),
    "visit-concern-detail": Sample(kwargs=lambda w: {"pk": g(w).concern.pk}),
    "visit-concern-raise-issue": Sample(kwargs=lambda w: {"pk": g(w).concern.pk}, post_only=True),
    "home-help-detail": Sample(kwargs=lambda w: {"pk": g(w).request.pk}),
    "home-help-reschedule": Sample(kwargs=lambda w: {"pk": g(w).request.pk}, post_only=True),
    "home-help-outcome": Sample(kwargs=lambda w: {"pk": g(w).request.pk}, post_only=True),
    "home-help-procedure-detail": Sample(kwargs=_procedure),
    "flag-ceremony-detail": Sample(kwargs=lambda w: {"pk": g(w).ceremony.pk}),
}


def personal_data(world: Any) -> list[str]:
    """Residents' details: no public page may show them."""
    built = g(world)
    return [built.household.head_name, built.household.phone, built.household.address]
