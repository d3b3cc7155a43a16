"""Shared pieces of the case model.

Every model forbids unknown fields: a misspelt field in a personnel record must be an error,
not silently dropped data. The code lists (MoveKind, Level …) are declared once in
cadre_rules/codes.py; the model re-exports the ones its fields use.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from cadre_rules.codes import (
    AttestationKind,
    BodyKind,
    CheckOutcome,
    CommitteeLevel,
    ConsultationWith,
    EducationLevel,
    Grade,
    Kinship,
    Level,
    MeetingKind,
    MoveKind,
    NonVotingRole,
    Outcome,
    PostFunction,
    AvoidanceLevel,
    PriorMatter,
    ProbationResult,
    RecommendationForm,
    RecordStatus,
    Reply,
    Role,
    SanctionSystem,
    SelectionMethod,
    TeamRole,
    View,
    closed,
)

__all__ = ["Id", "Record", "AttestationKind", "CheckOutcome", "EducationLevel", "Grade", "Kinship", "Level",
           "MeetingKind", "MoveKind", "Outcome", "Role", "View"]

# Fields that were typed `Literal[...]` keep the inline JSON Schema of a literal (see codes.closed).
BodyKindCode = closed(BodyKind)
CommitteeLevelCode = closed(CommitteeLevel)
ConsultationWithCode = closed(ConsultationWith)
NonVotingRoleCode = closed(NonVotingRole)
PostFunctionCode = closed(PostFunction)
AvoidanceLevelCode = closed(AvoidanceLevel)
PriorMatterCode = closed(PriorMatter)
ProbationResultCode = closed(ProbationResult)
RecommendationFormCode = closed(RecommendationForm)
RecordStatusCode = closed(RecordStatus)
ReplyCode = closed(Reply)
SanctionSystemCode = closed(SanctionSystem)
SelectionMethodCode = closed(SelectionMethod)
TeamRoleCode = closed(TeamRole)

Id = Annotated[str, StringConstraints(min_length=1, max_length=128, strip_whitespace=True)]


class Record(BaseModel):
    """Base of every case record: strict about unknown fields, immutable once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
