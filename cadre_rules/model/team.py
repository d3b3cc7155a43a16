"""A team-structure profile (班子梯次结构目标): the targets a department sets for its leadership teams —
age tiers, women, younger members, education, the spread of 专业 — read from a documented file
(docs/team-structure.md) and checked in the annual report (facts/team.py). No target is built in: no
instrument setting such figures was read for this project, so every figure is the profile's own, with
its source.
"""
from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from cadre_rules.codes import BodyKind, EducationLevel
from cadre_rules.errors import ErrorKind, Problem
from cadre_rules.model.base import Id, Record, WholeNumber, WholeNumberOrNone


class YoungTarget(Record):
    """At least `count` members aged `age` or younger (at 31 December of the report's year)."""

    age: WholeNumber = Field(ge=18, le=80)
    count: WholeNumber = Field(ge=1)


class EducationTarget(Record):
    """At least `share` of the members with `level` or higher (EducationLevel, lowest first)."""

    level: EducationLevel
    share: float = Field(gt=0, le=1)


class TeamTarget(Record):
    """Targets for the teams of one kind of body (all bodies when `body_kind` is left out)."""

    body_kind: BodyKind | None = None
    min_women: WholeNumberOrNone = Field(default=None, ge=1)
    young: list[YoungTarget] = Field(default_factory=list)
    max_average_age: float | None = Field(default=None, gt=18, lt=90)
    education: EducationTarget | None = None
    min_specialties: WholeNumberOrNone = Field(default=None, ge=1, description="distinct 专业 among the members")
    source: str = Field(min_length=1, description="where the target comes from (a local document, a plan)")

    @model_validator(mode="after")
    def _something(self) -> "TeamTarget":
        if self.min_women is None and not self.young and self.max_average_age is None and self.education is None \
                and self.min_specialties is None:
            raise ValueError(Problem(ErrorKind.empty_team_target))
        return self


class TeamProfile(Record):
    """A department's targets for the structure of its leadership teams."""

    id: Id
    title: str = Field(min_length=1)
    age_tiers: list[WholeNumber] = Field(default_factory=lambda: [40, 45, 50, 55],
                                 description="upper bounds of the age tiers; the last tier is everyone older")
    targets: list[TeamTarget] = Field(default_factory=list)

    @field_validator("age_tiers")
    @classmethod
    def _ascending(cls, bounds: list[int]) -> list[int]:
        if not bounds or any(b <= a for a, b in zip(bounds, bounds[1:])) or bounds[0] < 18:
            raise ValueError(Problem(ErrorKind.age_tiers_order))
        return bounds
