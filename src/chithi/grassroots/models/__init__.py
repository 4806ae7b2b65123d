"""The grassroots room's models, one module a concern (meetings, members, field work, ceremonies, feeds)."""

from .ceremonies import CeremonyStatus, FlagCeremony
from .feeds import CalendarFeed
from .fieldwork import (
    Concern,
    GroupMember,
    GroupRole,
    HelpOutcome,
    HomeHelpRequest,
    HomeReason,
    Household,
    Procedure,
    RequestChannel,
    Visit,
    VisitStatus,
    WorkingGroup,
)
from .meetings import (
    REGULAR_KINDS,
    STANDING_ITEMS,
    THEMATIC_KINDS,
    AbsenceReason,
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingGuest,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    MinutesVersion,
    ResolutionTask,
    TaskOutcome,
    ThemeKind,
)
from .members import Commitment, CommitmentGrade, CommitmentItem, PartyStanding, Reflection, SelfAssessment

__all__ = [
    "REGULAR_KINDS", "STANDING_ITEMS", "THEMATIC_KINDS", "AbsenceReason", "AgendaItem", "AgendaKind", "Attendance",
    "AttendanceStatus", "CalendarFeed", "CeremonyStatus", "Commitment", "CommitmentGrade", "CommitmentItem",
    "Concern", "FlagCeremony", "GroupMember", "GroupRole", "HelpOutcome", "HomeHelpRequest", "HomeReason",
    "Household", "Meeting", "MeetingGuest", "MeetingKind", "MeetingStatus", "MinutesStatus", "MinutesVersion",
    "PartyStanding", "Procedure", "Reflection", "RequestChannel", "ResolutionTask", "SelfAssessment",
    "TaskOutcome", "ThemeKind", "Visit", "VisitStatus", "WorkingGroup",
]
