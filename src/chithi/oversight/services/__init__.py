"""Writes of the oversight room, by concern."""

from .awards import add_award
from .discipline import record_discipline
from .evaluation import (
    best_level,
    criteria_of,
    decide,
    facts_for,
    facts_from_evidence,
    install_frame,
    open_round,
    propose,
    self_assess,
    send_back,
    set_score,
    start_evaluation,
)
from .inspection import (
    add_item,
    add_recommendation,
    conclude_case,
    create_programme,
    escalate_overdue,
    extend_case,
    open_case,
    pull_evidence,
    report_remedy,
    submit_self_report,
    update_case,
    update_item,
    update_programme,
    verify_remedy,
)

__all__ = [
    "add_award", "add_item", "add_recommendation", "best_level", "conclude_case", "create_programme",
    "criteria_of", "decide", "escalate_overdue", "extend_case", "facts_for", "facts_from_evidence",
    "install_frame", "open_case",
    "open_round", "propose", "pull_evidence", "record_discipline", "report_remedy", "self_assess", "send_back",
    "set_score", "start_evaluation", "submit_self_report", "update_case", "update_item", "update_programme",
    "verify_remedy",
]
