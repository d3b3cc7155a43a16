"""The two democratic reviews of a year (两评议) as a record: who took part and the ballots per option.

一报告两评议 (2010 办法 Arts 2–5, [S34]): each year the standing committee reports its selection work to
the full committee, and those taking part review, on anonymous forms, the year's selection work
(满意 / 基本满意 / 不满意 / 不了解) and each newly appointed cadre (认可 / 基本认可 / 不认可 / 不了解).
The record holds counts only — never how one person voted — and a reviewed cadre by an id and post; a
name is optional and never printed. Rates and flags are derived in facts/reviews.py. docs/reviews.md
describes the file format.
"""
from __future__ import annotations

from datetime import date as Day
from typing import Any

from pydantic import Field, model_validator

from cadre_rules.codes import AppointeeOption, WorkOption
from cadre_rules.errors import ErrorKind, Problem
from cadre_rules.model.base import Id, Record, WholeNumber


class Participants(Record):
    """Who was due to take part and who handed in forms. `groups` counts those present by the
    categories of the 2010 办法 Art 3 (全委会成员, 人大政府政协领导班子成员 …), as the record gives them."""

    expected: WholeNumber = Field(ge=1, description="应参加评议人数")
    present: WholeNumber = Field(ge=0, description="实际参加评议人数 (forms handed out)")
    groups: dict[str, int] = Field(default_factory=dict, description="those present by category (free text keys)")

    @model_validator(mode="after")
    def _fits(self) -> "Participants":
        if self.present > self.expected:
            raise ValueError(Problem(ErrorKind.present_exceeds_expected, present=self.present, expected=self.expected))
        if any(n < 0 for n in self.groups.values()):
            raise ValueError(Problem(ErrorKind.negative_group))
        if self.groups and sum(self.groups.values()) > self.present:
            raise ValueError(Problem(ErrorKind.groups_exceed_present, total=sum(self.groups.values()), present=self.present))
        return self


class WorkBallots(Record):
    """Ballots of the review of the selection work, per option; `invalid` forms count in no option."""

    satisfied: WholeNumber = Field(ge=0)
    basically_satisfied: WholeNumber = Field(ge=0)
    dissatisfied: WholeNumber = Field(ge=0)
    unknown: WholeNumber = Field(default=0, ge=0, description="不了解")
    invalid: WholeNumber = Field(default=0, ge=0, description="废票 (blank or spoilt forms)")

    def counts(self) -> dict[WorkOption, int]:
        return {option: getattr(self, option.value) for option in WorkOption}


class AppointeeBallots(Record):
    """Ballots on one newly appointed cadre, per option; `invalid` forms count in no option."""

    approve: WholeNumber = Field(ge=0)
    basically_approve: WholeNumber = Field(ge=0)
    disapprove: WholeNumber = Field(ge=0)
    unknown: WholeNumber = Field(default=0, ge=0, description="不了解")
    invalid: WholeNumber = Field(default=0, ge=0, description="废票 (blank or spoilt forms)")

    def counts(self) -> dict[AppointeeOption, int]:
        return {option: getattr(self, option.value) for option in AppointeeOption}


class ReviewedAppointee(Record):
    """A newly appointed cadre under review: an id, the post, and the ballots on them."""

    id: Id
    post: str = Field(min_length=1, description="the post the cadre was appointed to")
    name: str | None = Field(default=None, description="personal data: kept in the record, never printed")
    case: str | None = Field(default=None, description="the case id of the appointment, when audited")
    appointed: Day | None = Field(default=None, description="date of the appointment")
    ballots: AppointeeBallots


class ReviewRecord(Record):
    """One year's two reviews for one organisation."""

    organisation: str = Field(min_length=1)
    year: WholeNumber = Field(ge=2000, le=2100, description="the year whose selection work is reviewed")
    date: Day = Field(description="the day of the review (usually late in the year or early the next)")
    meeting: str | None = Field(default=None, description="the meeting it was held at, e.g. 全委（扩大）会")
    participants: Participants
    work: WorkBallots
    appointees: list[ReviewedAppointee] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> "ReviewRecord":
        present = self.participants.present
        forms = sum(self.work.counts().values()) + self.work.invalid
        if forms > present:
            raise ValueError(Problem(ErrorKind.forms_exceed_present, forms=forms, present=present))
        seen: set[str] = set()
        for i, person in enumerate(self.appointees):
            if person.id in seen:
                raise ValueError(Problem(ErrorKind.appointee_used_twice, index=i, id=person.id))
            seen.add(person.id)
            forms = sum(person.ballots.counts().values()) + person.ballots.invalid
            if forms > present:
                raise ValueError(Problem(ErrorKind.appointee_forms_exceed_present, index=i, id=person.id, forms=forms,
                                         present=present))
        return self

    def describe(self) -> dict[str, Any]:
        """What the record is about, without personal data."""
        return {"organisation": self.organisation, "year": self.year, "date": self.date.isoformat(),
                "appointees": len(self.appointees)}
