"""Writes for practices, a package by concern (after Zulip's zerver/actions/): each function takes keyword
arguments, asks the practice policy (or checks the actor's scope), validates, writes and audits inside one
transaction, and refuses with a ValidationError naming the field and the reason.

Callers import from here: `from chithi.practices import services; services.register_practice(...)`.
"""

from .commendations import add_commendation
from .evidence import link_evidence, unlink_evidence
from .files import add_document, add_photo, delete_attachment
from .practices import DuplicatePractice, find_duplicate, register_practice, update_practice
from .replication import link_replication, replicate_practice
from .results import add_indicator, record_period_results, record_result
from .succession import move_practices_to_successor

__all__ = [
    "DuplicatePractice",
    "add_commendation",
    "add_document",
    "add_indicator",
    "add_photo",
    "delete_attachment",
    "find_duplicate",
    "link_evidence",
    "link_replication",
    "move_practices_to_successor",
    "record_period_results",
    "record_result",
    "register_practice",
    "replicate_practice",
    "unlink_evidence",
    "update_practice",
]
