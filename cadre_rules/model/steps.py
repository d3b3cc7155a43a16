"""Records of the procedure's steps, in the order the procedure runs."""
from __future__ import annotations

import warnings
from datetime import date
from typing import Any

from pydantic import ConfigDict, Field, model_validator

from cadre_rules.errors import CaseFormatDeprecated, ErrorKind, Problem
from cadre_rules.model.base import (
    ActDate, CheckOutcome, Id, MeetingKind, NonVotingRoleCode, Outcome, PriorMatterCode, ProbationResultCode, Record,
    RecommendationFormCode, ReplyCode, SelectionMethod, SelectionMethodCode, TeamRole, TeamRoleCode, View, WholeNumber, WholeNumberOrNone,
)


class Precheck(Record):
    """动议即审: an early check of an intended candidate."""

    kind: str = Field(description="file | personal_matters | integrity | other")
    date: date
    blocking: bool = False
    resolved: date | None = None


class Motion(Record):
    """动议: the initial proposal to fill the post, reported to the principal leader."""

    date: ActDate
    proposer: str = Field(default="organisation_department", description="committee | organisation_department | principal_leader")
    analysis_date: date | None = Field(default=None, description="分析研判 done (2019 chapter 3)")
    reported_to_principal: date | None = None
    consultation_dates: list[date] = Field(default_factory=list, description="酝酿 of the initial proposal")
    work_plan_date: date | None = Field(default=None, description="工作方案 fixed")
    method: SelectionMethodCode = SelectionMethod.regular
    method_reason: str | None = None
    eligibility_relaxations: list[str] = Field(default_factory=list)
    intended_candidates: list[Id] = Field(default_factory=list)
    prechecks: list[Precheck] = Field(default_factory=list)


class RecommendationResult(Record):
    candidate: Id
    votes: WholeNumber = Field(ge=0)


class Recommendation(Record):
    """民主推荐: one recommendation round (meeting or talks)."""

    id: Id
    form: RecommendationFormCode
    date: ActDate
    chair_body: str | None = None
    participants_expected: WholeNumberOrNone = Field(default=None, ge=0)
    participants_actual: WholeNumberOrNone = Field(default=None, ge=0)
    participant_categories: list[str] = Field(default_factory=list, description="categories that took part")
    required_categories: list[str] = Field(default_factory=list, description="categories the rules require here")
    reference_list: list[Id] = Field(default_factory=list, description="参考人选 presented to the meeting")
    results: list[RecommendationResult] = Field(default_factory=list)
    targeted_post: bool = True
    individual_talks: bool = Field(
        default=False, description="个别谈话推荐 held together with this meeting round (the 2002/2014 texts require both forms)")


class TeamMember(Record):
    name: str
    role: TeamRoleCode = TeamRole.member
    person: Id | None = Field(default=None, description="id of a person of the case, for recusal")


class Check(Record):
    """One of the four musts (凡提四必): when it was done and what it found."""

    date: date
    outcome: CheckOutcome = CheckOutcome.clear
    note: str | None = None


class Petition(Record):
    """A complaint about the candidate (信访举报)."""

    id: Id
    received: date
    specific: bool = Field(description="specific and checkable (线索具体、可查)")
    closed: date | None = None
    conclusion: str | None = None


class IntegrityConclusion(Record):
    """廉洁自律结论性意见, co-signed by the unit secretary and the discipline head."""

    date: date
    signed_by_secretary: bool
    signed_by_discipline_head: bool


class TargetDecision(Record):
    """确定考察对象: who fixed the inspection targets, how and why."""

    body: str
    date: date
    collective: bool = True
    rationale: str | None = None
    views_concentrated: bool = False


class InspectionReport(Record):
    """考察材料."""

    date: date
    strengths: str | None = None
    weaknesses: str | None = None
    recommendation_results: str | None = None
    evaluation_results: str | None = None


class Inspection(Record):
    """考察 of one target."""

    id: Id
    candidate: Id
    team: list[TeamMember] = Field(default_factory=list)
    target_decision: TargetDecision | None = None
    plan_date: date | None = None
    unit_consultation_date: date | None = Field(default=None, description="plan discussed with the unit's leaders")
    notice_date: date | None = Field(default=None, description="考察预告")
    methods: list[str] = Field(default_factory=list, description="individual_talk, opinion_forms, evaluation, site_visit, file_review, interview ...")
    feedback_date: date | None = Field(default=None, description="feedback to the unit's leaders")
    department_review_date: date | None = Field(default=None, description="组织部门集体研究（部务会）")
    report: InspectionReport | None = None
    start: ActDate
    completed: ActDate | None = None
    file_review: Check | None = None  # 档案凡提必审
    personal_matters: Check | None = None  # 个人有关事项报告凡提必核
    discipline_opinion: Check | None = None  # 纪检监察机关意见凡提必听
    petition_check: Check | None = None  # 信访举报凡提必查 (overall)
    petitions: list[Petition] = Field(default_factory=list)
    integrity_conclusion: IntegrityConclusion | None = None
    economic_audit: Check | None = Field(default=None, description="经济责任审计 report, where the post requires one")


class Statement(Record):
    """A member's statement on an agenda item, in speaking order."""

    member: Id
    order: WholeNumber = Field(ge=1)
    view: View


class Vote(Record):
    """A vote on an agenda item: votes in favour (`agree`), against (`disagree`) and abstaining.

    Why not `yes`/`no`: YAML 1.1 loaders (PyYAML's safe_load, many tools) read those keys as the
    booleans true/false, so a case written with them cannot be read the same everywhere. The old
    keys are still accepted, with a deprecation warning (see `OLD_VOTE_KEYS`)."""

    model_config = ConfigDict(json_schema_extra=lambda schema: _old_keys_in_schema(schema))

    method: str = Field(default="hands", description="oral | hands | secret")
    per_candidate: bool = Field(default=True, description="false for a bundled vote on several people")
    agree: WholeNumber = Field(ge=0, description="votes in favour (同意); formerly `yes`")
    disagree: WholeNumber = Field(default=0, ge=0, description="votes against (不同意); formerly `no`")
    abstain: WholeNumber = Field(default=0, ge=0, description="abstentions (弃权)")

    @model_validator(mode="before")
    @classmethod
    def _old_keys(cls, data: Any) -> Any:
        """`yes`/`no` read as `agree`/`disagree`, with a CaseFormatDeprecated warning; both spellings
        of one count in one vote is an error (which one would be meant?)."""
        if not isinstance(data, dict) or not any(old in data for old in OLD_VOTE_KEYS):
            return data
        data = dict(data)
        for old, new in OLD_VOTE_KEYS.items():
            if old in data:
                if new in data:
                    raise ValueError(Problem(ErrorKind.both_vote_keys, old=old, new=new))
                data[new] = data.pop(old)
        warnings.warn(CaseFormatDeprecated(VOTE_KEYS_MESSAGE, VOTE_KEYS_MESSAGE_ZH), stacklevel=2)
        return data

    @property
    def yes(self) -> int:
        """Votes in favour, under the old name (the facts layer's `item.yes`)."""
        return self.agree

    @property
    def no(self) -> int:
        """Votes against, under the old name (the facts layer's `item.no`)."""
        return self.disagree


OLD_VOTE_KEYS = {"yes": "agree", "no": "disagree"}


def _old_keys_in_schema(schema: dict[str, Any]) -> None:
    """The JSON Schema accepts what the reader accepts: `yes`/`no` marked deprecated, and either
    `agree` or `yes` required."""
    props = schema.setdefault("properties", {})
    for old, new in OLD_VOTE_KEYS.items():
        props[old] = {"type": "integer", "minimum": 0, "deprecated": True, "description": f"deprecated: write `{new}`"}
    schema["required"] = [r for r in schema.get("required", []) if r != "agree"]
    schema["anyOf"] = [{"required": ["agree"]}, {"required": ["yes"]}]
    schema["not"] = {"anyOf": [{"required": ["agree", "yes"]}, {"required": ["disagree", "no"]}]}
VOTE_KEYS_MESSAGE = ("a vote's `yes`/`no` keys are deprecated (YAML 1.1 tools read them as booleans): "
                     "write `agree`/`disagree`; they are still read the same")
VOTE_KEYS_MESSAGE_ZH = ("表决的 `yes`/`no` 键已不推荐使用（YAML 1.1 工具会把它们读成布尔值）："
                        "请写作 `agree`/`disagree`；目前仍照常读取")


class AgendaItem(Record):
    """One personnel item at a meeting."""

    id: Id
    candidate: Id
    circulated_in_advance: bool | None = Field(default=True, description="null: the record does not say (not judged)")
    added_at_meeting: bool = False
    presenter: Id | None = None
    presented_by_org_head: bool = Field(default=False, description="presented by the organisation-department head (non-member)")
    reportable_matters_explained: bool = Field(default=False, description="破格 and other reported matters, and the superior's reply, explained")
    reconsideration_consent: WholeNumberOrNone = Field(default=None, ge=0, description="members who consented to reopen (复议)")
    defer_reason: str | None = None
    departed: list[Id] = Field(default_factory=list, description="members present at the meeting who left before this item")
    recused: list[Id] = Field(default_factory=list)
    statements: list[Statement] | None = Field(default_factory=list,
                                               description="null: the record does not say who stated what (not judged)")
    vote: Vote | None = None
    outcome: Outcome | None = None


class NonVotingAttendee(Record):
    """列席: attends without counting toward quorum or voting."""

    name: str
    role: NonVotingRoleCode
    person: Id | None = None


class MeetingRecords(Record):
    """会议纪要 and 讨论记录."""

    minutes: bool = False
    discussion_record: bool = False
    signed_by_chair: bool = False
    signed_by_recorder: bool = False


class Meeting(Record):
    id: Id
    kind: MeetingKind = MeetingKind.decision
    date: ActDate
    members_due: list[Id] = Field(min_length=1, description="应到会成员: all sitting members on the date")
    attendees: list[Id] = Field(default_factory=list, description="members present")
    non_voting_attendees: list[NonVotingAttendee] | None = Field(
        default_factory=list, description="null: the record does not say who attended without a vote (not judged)")
    chair: Id | None = None
    agenda: list[AgendaItem] = Field(default_factory=list)
    records: MeetingRecords | None = None
    urgent_between_plenums: bool = Field(default=False, description="standing committee deciding a chief post between plenums")
    plenum_members_consulted: bool = False


class Objection(Record):
    received: date
    affects_appointment: bool = False
    resolved: date | None = None


class Publicity(Record):
    """任前公示 of one candidate; explicit dates, counted inclusively."""

    id: Id
    candidate: Id
    start: ActDate
    end: ActDate | None = None
    channel: str | None = None
    breakthrough_statement: bool = Field(default=False, description="the notice states the 破格 ground and the superior's consent")
    objections: list[Objection] = Field(default_factory=list)


class Talk(Record):
    """任职谈话."""

    date: date
    by: str


class Probation(Record):
    """试用期 of a probationary appointment."""

    start: date
    planned_end: date
    extended_to: date | None = None
    assessment_date: date | None = None
    result: ProbationResultCode | None = None


class AppointmentNotice(Record):
    """任职通知 / 任免文件."""

    id: Id
    candidate: Id
    date: ActDate
    number: str | None = Field(default=None, description="文号")
    talk: Talk | None = None
    probation: Probation | None = None
    tenure_start: date | None = Field(default=None, description="任职时间 as recorded")


class Filing(Record):
    """报备 of an appointment to the superior department."""

    id: Id
    candidate: Id
    date: ActDate
    to: str


class PriorReport(Record):
    """事先报告 to the superior organisation department, and its reply."""

    id: Id
    matter: PriorMatterCode
    submitted: date
    reply_date: date | None = None
    reply: ReplyCode | None = None


class LeaderDeparture(Record):
    """The principal leader's departure: the freeze window for rush promotions (突击提拔)."""

    leader: Id
    decided: date
    announced: date | None = None
    left: date | None = Field(default=None, description="date the successor took office; open window if absent")
