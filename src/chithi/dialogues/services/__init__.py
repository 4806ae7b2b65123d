"""Writes for dialogues and citizens' issues, one module a concern (after Zulip's zerver/actions/).

Each function takes keyword arguments, checks scope and the policy, validates, writes, records the issue's
timeline and the audit entry inside one transaction, and refuses with a ValidationError naming the field.
Everything public is re-exported here, so callers write `services.submit_issue(...)`. What a user may do
now is dialogues.policy's to say; reads (the intake unit, referral targets) are in dialogues.selectors.
"""

# A citizen's contact is checked by core's one rule (core.contacts); callers keep writing services.phone_problem.
from chithi.core.contacts import contact_problem, email_problem, phone_problem

from .api_clients import authenticate_api_key, create_api_client, rotate_api_key, set_api_client_active
from .categories import category_sla_errors, save_category
from .citizens import rate_issue, reopen_issue
from .common import (
    MAX_ADDRESS,
    MAX_ANSWER,
    MAX_AREA,
    MAX_CONTACT,
    MAX_DESCRIPTION,
    MAX_NAME,
    MAX_PHOTOS,
    MAX_REASON,
)
from .dialogues import add_dialogue_attachment, create_dialogue, update_dialogue
from .intake import PUBLIC_CHANNELS, check_photos, notify_received, submit_issue
from .sla import close_answered_after_window, escalate_overdue
from .succession import hand_over_issues
from .workflow import (
    STEP_SERVICES,
    AssignKind,
    accept_issue,
    answer_issue,
    assign_issue,
    close_issue,
    merge_issue,
    reject_issue,
    start_issue,
    take_step,
)

__all__ = [
    "MAX_ADDRESS", "MAX_ANSWER", "MAX_AREA", "MAX_CONTACT", "MAX_DESCRIPTION", "MAX_NAME", "MAX_PHOTOS",
    "MAX_REASON", "PUBLIC_CHANNELS", "STEP_SERVICES", "AssignKind", "accept_issue", "add_dialogue_attachment",
    "answer_issue", "assign_issue", "authenticate_api_key", "category_sla_errors", "check_photos",
    "close_answered_after_window", "close_issue", "contact_problem", "create_api_client", "create_dialogue",
    "email_problem", "escalate_overdue", "hand_over_issues", "merge_issue", "notify_received", "phone_problem",
    "rate_issue", "reject_issue", "reopen_issue", "rotate_api_key", "save_category", "set_api_client_active",
    "start_issue", "submit_issue", "take_step", "update_dialogue",
]
