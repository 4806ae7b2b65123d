"""Models of the oversight room, by concern."""

from .awards import Award, AwardLevel
from .evaluation import (
    LEVEL_ORDER,
    Criterion,
    CriterionGroup,
    Evaluation,
    EvaluationStatus,
    EvidenceSource,
    FormKind,
    Frame,
    Level,
    Round,
    RoundStatus,
    Score,
)
from .inspection import (
    REGISTER_OF,
    Case,
    CaseKind,
    CaseStatus,
    Discipline,
    DisciplineForm,
    Programme,
    ProgrammeItem,
    Register,
    Remedy,
    RemedyStatus,
    SelfReportFile,
)

__all__ = [
    "LEVEL_ORDER", "REGISTER_OF", "Award", "AwardLevel", "Case", "CaseKind", "CaseStatus", "Criterion",
    "CriterionGroup", "Discipline", "DisciplineForm", "Evaluation", "EvaluationStatus", "EvidenceSource",
    "FormKind", "Frame", "Level", "Programme", "ProgrammeItem", "Register", "Remedy", "RemedyStatus", "Round",
    "RoundStatus", "Score", "SelfReportFile",
]
