"""The case model: what a selection case records, as pydantic v2 models."""
from .base import CheckOutcome, Kinship, Level, MeetingKind, MoveKind, Outcome, Role, View
from .case import Case, TargetPost, integrity_problems
from .people import Body, Candidate, Education, Member, Post, Relation, Sanction
from .steps import (
    AgendaItem,
    AppointmentNotice,
    Check,
    Filing,
    Inspection,
    IntegrityConclusion,
    LeaderDeparture,
    Meeting,
    Motion,
    NonVotingAttendee,
    Objection,
    Petition,
    PriorReport,
    Publicity,
    Recommendation,
    RecommendationResult,
    Statement,
    TeamMember,
    Vote,
)

__all__ = [name for name in dir() if not name.startswith("_")]
