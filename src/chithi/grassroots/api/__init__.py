"""The grassroots room's API (declared in apps.py): one module a concern, every viewset re-exported here."""

from .fieldwork import (
    CeremonyViewSet,
    ConcernViewSet,
    HomeHelpViewSet,
    HouseholdViewSet,
    ProcedureViewSet,
    VisitViewSet,
    WorkingGroupViewSet,
)
from .meetings import (
    AgendaItemViewSet,
    AttendanceViewSet,
    GuestViewSet,
    MeetingViewSet,
    MinutesViewSet,
    ResolutionTaskViewSet,
)
from .members import CommitmentViewSet, ReflectionViewSet, StandingViewSet

__all__ = [
    "AgendaItemViewSet", "AttendanceViewSet", "CeremonyViewSet", "CommitmentViewSet", "ConcernViewSet",
    "GuestViewSet", "HomeHelpViewSet", "HouseholdViewSet", "MeetingViewSet", "MinutesViewSet", "ProcedureViewSet",
    "ReflectionViewSet", "ResolutionTaskViewSet", "StandingViewSet", "VisitViewSet", "WorkingGroupViewSet",
]
