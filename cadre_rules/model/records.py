"""Sourced records of a candidate (三龄二历一身份): each item as every source of the case reports it.

A promotion case often holds the same fact about a person several times — the personnel dossier
(档案), the household register or identity card (户籍/身份证), the appointment form (任免审批表), the
publicity notice, the inspection report, an information system — and falsified records show up as
these copies disagreeing. The model keeps every copy with its source, so the facts layer can compare
them and pick the value that the rules in force say prevails. Everything here is optional: a case
without `records` is judged on the candidate's own fields as before.
"""
from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Literal

from pydantic import Field, model_validator

from cadre_rules.errors import ErrorKind, Problem
from cadre_rules.model.base import EducationLevel, Level, Record


class Source(str, Enum):
    """Where a recorded value comes from."""

    dossier = "dossier"  # 干部人事档案
    household_register = "household_register"  # 户籍（户口档案）/ 居民身份证
    appointment_form = "appointment_form"  # 干部任免审批表
    publicity = "publicity"  # 任前公示
    inspection_report = "inspection_report"  # 考察材料
    information_system = "information_system"  # 干部信息管理系统


SOURCE_NAMES = {
    "dossier": "档案", "household_register": "户籍", "appointment_form": "任免审批表", "publicity": "公示",
    "inspection_report": "考察材料", "information_system": "信息系统",
}


class SourcedDate(Record):
    """One source's value of a date item (出生日期、参加工作时间、入党时间)."""

    source: Source
    value: date
    recorded: date | None = Field(default=None, description="date of the earliest record of this value in the "
                                  "source (档案: the earliest material that states it)")
    document: str | None = Field(default=None, description="the material, e.g. 入团志愿书、招工登记表")


class StudyMode(str, Enum):
    full_time = "full_time"  # 全日制
    in_service = "in_service"  # 在职


class EducationEntry(Record):
    """One education entry (学历学位) as a source reports it."""

    source: Source = Source.dossier
    degree: str
    level: EducationLevel | None = None
    institution: str | None = None
    start: date | None = None
    end: date | None = Field(default=None, description="graduation or degree date")
    mode: StudyMode = StudyMode.full_time


class HistoryLine(Record):
    """One line of the work history (工作经历) as a source reports it."""

    source: Source = Source.dossier
    start: date
    end: date | None = None
    organisation: str
    post: str
    level: Level | None = None
    full_time: bool = Field(default=True, description="a full-time post (not a part-time or nominal one)")

    @model_validator(mode="after")
    def _ordered(self) -> "HistoryLine":
        if self.end is not None and self.end < self.start:
            raise ValueError(Problem(ErrorKind.history_end_before_start, end=self.end, start=self.start))
        return self


class CadreIdentity(Record):
    """How and when the candidate acquired cadre status (干部身份)."""

    how: str = Field(description="录用、招干、调任、军转安置、毕业分配 …")
    acquired: date | None = None
    document: str | None = None


DossierItem = Literal["birth_date", "work_start_date", "party_join_date", "education", "work_history", "cadre_identity"]


class ReviewConclusion(Record):
    """A dossier review's conclusion (认定) on one item."""

    item: DossierItem
    status: Literal["pending", "resolved"]
    date: date
    value: date | None = Field(default=None, description="the value the review settled on (认定), for a date item")
    note: str | None = None


class SourcedRecords(Record):
    """The sourced values of one candidate; every list may be empty."""

    birth_date: list[SourcedDate] = Field(default_factory=list, description="出生日期, one entry per source")
    work_start_date: list[SourcedDate] = Field(default_factory=list, description="参加工作时间, one entry per source")
    party_join_date: list[SourcedDate] = Field(default_factory=list, description="入党时间, one entry per source")
    education: list[EducationEntry] = Field(default_factory=list, description="学历学位 entries of every source")
    work_history: list[HistoryLine] = Field(default_factory=list, description="工作经历 lines of every source")
    cadre_identity: CadreIdentity | None = Field(default=None, description="干部身份: how and when acquired")
    dossier_review: list[ReviewConclusion] = Field(default_factory=list, description="the review's conclusion per item (认定)")
