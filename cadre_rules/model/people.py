"""People of a case: the deciding body, its members, candidates and their ties."""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from cadre_rules.model.base import (
    BodyKind, BodyKindCode, DayOrMonth, EducationLevel, Grade, Id, Kinship, Level, Record, Role, SanctionSystemCode, WholeNumber, WholeNumberOrNone,
)
from cadre_rules.model.records import SourcedRecords


class Member(Record):
    """A member of the deciding body on the meeting date."""

    id: Id
    name: str
    roles: list[Role] = Field(default_factory=lambda: [Role.member])
    id_number: str | None = Field(default=None, description="Identity number; sensitive, redacted in reports")
    birth_date: date | None = Field(default=None, description="for the age structure of the leadership team")


class Body(Record):
    """The deciding body (党委常委会 / 党组 / 全委会) and its sitting members."""

    id: Id
    name: str
    kind: BodyKindCode = BodyKind.standing_committee
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
    promotion: bool = Field(default=False, description="this post was a promotion (提拔)")
    probation_end: date | None = Field(default=None, description="end of the probation (试用期) in this post, if any")
    tenure_breakthrough: bool = Field(default=False, description="promoted to this post by a 破格 on tenure")


class Sanction(Record):
    system: SanctionSystemCode
    type: str
    decision_date: date
    period_months: WholeNumberOrNone = Field(default=None, ge=0)


class Education(Record):
    degree: str
    level: EducationLevel | None = None
    institution: str | None = None
    full_time: bool = True
    completed: date | None = None


class Appraisal(Record):
    year: WholeNumber = Field(ge=1949, le=2100)
    grade: Grade


class Training(Record):
    year: WholeNumber = Field(ge=1949, le=2100)
    hours: WholeNumber = Field(ge=0)
    institution: str | None = None


class FormFamilyMember(Record):
    """A family member or important social tie as the appointment form lists it (a kinship candidate:
    a tie to a person of the case is declared under `relations` once that person is known)."""

    title: str = Field(description="称谓 as written, e.g. 妻子")
    kinship: Kinship = Field(description="the kinship kind of the title; `other` when the title names none")
    name: str
    birth: str | None = Field(default=None, description="出生日期 as written")
    political_status: str | None = Field(default=None, description="政治面貌 as written")
    work: str | None = Field(default=None, description="工作单位及职务 as written")


class FormPeriod(Record):
    """One period of the form's 简历, months as `YYYY-MM`; `end` absent for 至今 or an open end."""

    start: str = Field(pattern=r"^\d{4}-\d{2}$")
    end: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}$")
    text: str
    during: list[str] = Field(default_factory=list, description="（其间：…） parallel study or posts")


class AppointmentFormRecord(Record):
    """The 干部任免审批表 a candidate was imported from: its values exactly as read, so that the
    dossier checks can compare them with the candidate's fields."""

    source: Literal["任免审批表"] = "任免审批表"
    format: Literal["lrmx", "lrm"] = "lrmx"
    file: str | None = Field(default=None, description="file name the form was read from")
    values: dict[str, str] = Field(default_factory=dict, description="every element as read, by its .lrmx name")
    family: list[FormFamilyMember] = Field(default_factory=list)
    resume: list[FormPeriod] = Field(default_factory=list, description="the 简历 read into periods (not judged)")
    unread_resume_lines: list[str] = Field(default_factory=list, description="简历 lines that could not be read")


class CandidateRecords(SourcedRecords):
    """What is known of a candidate source by source: the sourced values (三龄二历一身份) the dossier
    checks compare (DOS-*), and the imported 任免审批表 exactly as read (one source among several)."""

    appointment_form: AppointmentFormRecord | None = None


class Candidate(Record):
    """A person considered for the post."""

    id: Id
    name: str
    gender: str | None = None
    birth_date: DayOrMonth = Field(description="a day, or the month alone (YYYY-MM) when the source gives no day")
    id_number: str | None = Field(default=None, description="Identity number; sensitive, redacted in reports")
    work_start_date: DayOrMonth | None = Field(default=None, description="a day, or the month alone (YYYY-MM)")
    party_join_date: DayOrMonth | None = Field(default=None, description="a day, or the month alone (YYYY-MM)")
    education: list[Education] = Field(default_factory=list)
    work_history: list[Post] = Field(default_factory=list)
    current_post: str | None = None
    current_level: Level | None = None
    current_since: date | None = None
    sanctions: list[Sanction] = Field(default_factory=list)
    appraisals: list[Appraisal] = Field(default_factory=list, description="annual appraisals (年度考核)")
    training: list[Training] = Field(default_factory=list)
    party_member: bool = True
    canvassing_found: bool = Field(default=False, description="跑官、拉票等非组织活动 found")
    low_recognition: bool = Field(default=False, description="群众公认度不高, as the recommendation found")
    spouse_emigrated: bool = False
    children_all_emigrated: bool = Field(default=False, description="unmarried and all children emigrated")
    growth_place: str | None = Field(default=None, description="成长地 (locality code), for geographic avoidance")
    statutory_qualifications: list[str] = Field(default_factory=list)
    records: CandidateRecords | None = Field(default=None, description="sourced values (三龄二历一身份) per source, and the imported 任免审批表")


class Relation(Record):
    """A declared family tie between two people of the case (members, candidates, inspectors)."""

    person: Id
    relative: Id
    kind: Kinship
