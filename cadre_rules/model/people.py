"""People of a case: the deciding body, its members, candidates and their ties."""
from __future__ import annotations

from datetime import date

from pydantic import Field

from .base import Id, Kinship, Level, Record, Role


class Member(Record):
    """A member of the deciding body on the meeting date."""

    id: Id
    name: str
    roles: list[Role] = Field(default_factory=lambda: [Role.member])
    id_number: str | None = Field(default=None, description="Identity number; sensitive, redacted in reports")


class Body(Record):
    """The deciding body (党委常委会 / 党组 / 全委会) and its sitting members."""

    id: Id
    name: str
    kind: str = Field(default="standing_committee", description="standing_committee | party_group | full_committee | other")
    members: list[Member] = Field(min_length=1)


class Post(Record):
    """A post in a candidate's work history."""

    title: str
    unit: str | None = None
    level: Level | None = None
    is_chief: bool = False
    grassroots: bool = False
    start: date
    end: date | None = None


class Sanction(Record):
    system: str = Field(description="party | administrative | organisational")
    type: str
    decision_date: date
    period_months: int | None = Field(default=None, ge=0)


class Education(Record):
    degree: str
    institution: str | None = None
    full_time: bool = True
    completed: date | None = None


class Candidate(Record):
    """A person considered for the post."""

    id: Id
    name: str
    gender: str | None = None
    birth_date: date
    id_number: str | None = Field(default=None, description="Identity number; sensitive, redacted in reports")
    work_start_date: date | None = None
    party_join_date: date | None = None
    education: list[Education] = Field(default_factory=list)
    work_history: list[Post] = Field(default_factory=list)
    current_post: str | None = None
    current_level: Level | None = None
    current_since: date | None = None
    sanctions: list[Sanction] = Field(default_factory=list)


class Relation(Record):
    """A declared family tie between two people of the case (members, candidates, inspectors)."""

    person: Id
    relative: Id
    kind: Kinship
