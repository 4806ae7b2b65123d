"""Writes of the grassroots room, one module a concern; every public service is re-exported here."""

from .attendance import add_guest, record_attendance, remove_guest
from .ceremonies import record_ceremony
from .feeds import issue_feed, revoke_feeds, token_hash
from .groups import create_group, record_group_attendance, update_group
from .homehelp import create_request, record_outcome, reschedule_request
from .meetings import (
    add_agenda_item,
    cancel_meeting,
    remove_agenda_item,
    schedule_meeting,
    send_due_notices,
    send_meeting_notice,
    update_meeting,
)
from .members import review_commitment, save_commitment, set_standing, write_reflection
from .minutes import (
    add_resolution_task,
    approve_minutes,
    correct_minutes,
    delete_resolution_task,
    review_tasks,
    save_minutes,
)
from .procedures import save_procedure
from .succession import move_to_successor
from .visits import add_concern, cancel_visit, create_household, plan_visit, raise_issue, record_visit, update_household

__all__ = [
    "add_agenda_item", "add_concern", "add_guest", "add_resolution_task", "approve_minutes", "cancel_meeting",
    "cancel_visit", "correct_minutes", "create_group", "create_household", "create_request",
    "delete_resolution_task", "issue_feed", "move_to_successor", "plan_visit", "raise_issue",
    "record_attendance", "record_ceremony", "record_group_attendance", "record_outcome", "record_visit",
    "remove_agenda_item", "remove_guest", "reschedule_request", "review_commitment", "review_tasks",
    "revoke_feeds", "save_commitment", "save_minutes", "save_procedure", "schedule_meeting", "send_due_notices",
    "send_meeting_notice", "set_standing", "token_hash", "update_group", "update_household", "update_meeting",
    "write_reflection",
]
