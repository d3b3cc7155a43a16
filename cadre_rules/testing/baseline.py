"""The one compliant baseline case of the test tooling, built from the public models (not read from a file).

It is the case of examples/cases/01-合规-县财政局局长提拔.yaml: in 2021 the 清溪县 standing committee
(11 members, 9 present) promotes the deputy head of the county finance bureau to head, with every
step of the procedure in order. Gherkin scenarios (the builder) start from `baseline_case()`; the test
suite mutates `baseline_data()`, the same case as the plain data a case file holds.
tests/bdd/test_bdd_plugin.py checks that the model, the data and the example file stay the same case.

Why the model and not the YAML file: a model-level baseline is checked by the type checker and by
pydantic when it is built, it needs no file lookup from an installed package, and the builder works on
models anyway; the example file stays what it is, a documented example for users.
"""
from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from cadre_rules.model import (
    AgendaItem,
    AppointmentNotice,
    Body,
    Candidate,
    Case,
    Check,
    CheckOutcome,
    Education,
    Filing,
    Inspection,
    IntegrityConclusion,
    Level,
    Meeting,
    MeetingKind,
    Member,
    Motion,
    MoveKind,
    NonVotingAttendee,
    Post,
    Publicity,
    Recommendation,
    RecommendationResult,
    Role,
    Statement,
    TargetPost,
    TeamMember,
    View,
    Vote,
)
from cadre_rules.model.base import AttestationKind
from cadre_rules.model.case import Attestation, Consultation
from cadre_rules.model.steps import InspectionReport, MeetingRecords, Talk, TargetDecision

#: Names for generated members (党组共有 N 名成员); the first eleven are the baseline's.
MEMBER_NAMES = [
    "周建国", "李文华", "王海燕", "陈志强", "刘晓梅", "赵国庆", "孙立新", "吴春兰", "郑永明", "黄丽萍", "杨卫东",
    "何玉兰", "高志远", "林秀英", "罗建军", "梁红梅", "宋晓东", "唐立华", "许文静", "韩国栋", "冯雪梅", "邓志刚",
    "曹丽娟", "彭海涛", "曾晓红",
]


def member_roles(index: int) -> list[Role]:
    """Roles by position: 1st principal leader, 3rd organisation lead, 4th discipline official."""
    return {0: [Role.principal_leader], 2: [Role.organisation_lead], 3: [Role.discipline_official]}.get(index, [Role.member])


def make_members(count: int) -> list[Member]:
    """`count` members; a plain member's role is the model's default (not set, as a case file leaves it out)."""
    return [Member(id=f"m{i + 1:02d}", name=MEMBER_NAMES[i] if i < len(MEMBER_NAMES) else f"成员{i + 1}",
                   **({"roles": member_roles(i)} if member_roles(i) != [Role.member] else {})) for i in range(count)]


def baseline_case() -> Case:
    members = make_members(11)
    due = [m.id for m in members]
    speaking = ["m03", "m02", "m04", "m05", "m06", "m07", "m08", "m09", "m01"]
    return Case(
        id="2021-qx-czj-001",
        title="清溪县财政局局长提拔（合规）",
        organisation="中共清溪县委",
        jurisdiction="national",
        status="closed",
        move=MoveKind.promotion,
        body=Body(id="qx-cwh", name="中共清溪县委常委会", kind="standing_committee", members=members),
        post=TargetPost(id="qx-czj-jz", title="县财政局局长", unit="清溪县财政局", level=Level.section_chief,
                        quota=1, incumbents=0),
        candidates=[Candidate(
            id="c1", name="马俊杰", gender="男", birth_date=date(1980, 5, 12), work_start_date=date(2002, 7, 1),
            party_join_date=date(2001, 6, 1),
            education=[Education(degree="大学本科", institution="江南财经大学", full_time=True, completed=date(2002, 6, 30))],
            current_post="县财政局副局长", current_level=Level.section_deputy, current_since=date(2016, 3, 1),
            work_history=[
                Post(title="乡镇财政所科员", unit="青石镇", level=None, grassroots=True, start=date(2002, 7, 1), end=date(2009, 12, 31)),
                Post(title="县财政局预算股股长", unit="清溪县财政局", level=None, start=date(2010, 1, 1), end=date(2016, 2, 29)),
                Post(title="县财政局副局长", unit="清溪县财政局", level=Level.section_deputy, start=date(2016, 3, 1)),
            ],
        )],
        motion=Motion(date=date(2021, 3, 2), proposer="organisation_department", analysis_date=date(2021, 2, 26),
                      reported_to_principal=date(2021, 3, 3), consultation_dates=[date(2021, 3, 5), date(2021, 3, 8)],
                      work_plan_date=date(2021, 3, 10), intended_candidates=["c1"]),
        recommendations=[Recommendation(id="r1", form="meeting", date=date(2021, 3, 16), participants_expected=45,
                                        participants_actual=42, individual_talks=True,
                                        results=[RecommendationResult(candidate="c1", votes=36)])],
        inspections=[Inspection(
            id="i1", candidate="c1", team=[TeamMember(name="张卫红", role="leader"), TeamMember(name="许明", role="member")],
            target_decision=TargetDecision(body="县委组织部部务会", date=date(2021, 3, 19), collective=True,
                                           views_concentrated=True, rationale="推荐意见集中，等额考察"),
            plan_date=date(2021, 3, 19), unit_consultation_date=date(2021, 3, 22), notice_date=date(2021, 3, 22),
            methods=["individual_talk", "opinion_forms", "evaluation", "file_review", "interview"],
            feedback_date=date(2021, 4, 8), department_review_date=date(2021, 4, 12),
            report=InspectionReport(date=date(2021, 4, 9), strengths="政治立场坚定，熟悉财政预算管理，推进预算绩效改革成效明显",
                                    weaknesses="统筹协调全局工作经验有待丰富",
                                    recommendation_results="会议推荐得票36票，得票率85.7%",
                                    evaluation_results="民主测评优秀率78%，称职以上100%"),
            start=date(2021, 3, 22), completed=date(2021, 4, 9),
            file_review=Check(date=date(2021, 3, 25), outcome=CheckOutcome.clear),
            personal_matters=Check(date=date(2021, 3, 30), outcome=CheckOutcome.clear),
            discipline_opinion=Check(date=date(2021, 4, 2), outcome=CheckOutcome.clear),
            petition_check=Check(date=date(2021, 4, 6), outcome=CheckOutcome.clear), petitions=[],
            integrity_conclusion=IntegrityConclusion(date=date(2021, 4, 7), signed_by_secretary=True,
                                                     signed_by_discipline_head=True),
        )],
        meetings=[Meeting(
            id="mt1", kind=MeetingKind.decision, date=date(2021, 4, 16), members_due=due, attendees=due[:9], chair="m01",
            non_voting_attendees=[NonVotingAttendee(name="县委组织部干部科科长", role="organisation_department")],
            records=MeetingRecords(minutes=True, discussion_record=True, signed_by_chair=True, signed_by_recorder=True),
            agenda=[AgendaItem(
                id="a1", candidate="c1", circulated_in_advance=True, presenter="m03",
                statements=[Statement(member=m, order=i, view=View.disagree if m == "m07" else View.agree)
                            for i, m in enumerate(speaking, start=1)],
                vote=Vote(method="hands", yes=8, no=1, abstain=0), outcome="adopted",
            )],
        )],
        publicity=[Publicity(id="p1", candidate="c1", start=date(2021, 4, 19), end=date(2021, 4, 25),
                             channel="清溪县人民政府网站")],
        appointments=[AppointmentNotice(id="n1", candidate="c1", date=date(2021, 4, 28), number="清委〔2021〕18号",
                                        talk=Talk(date=date(2021, 4, 29), by="王海燕"))],
        attestations=[
            Attestation(kind=AttestationKind.health, candidate="c1", date=date(2021, 4, 7), by="县委组织部（体检结论）"),
            Attestation(kind=AttestationKind.basic_conditions, candidate="c1", date=date(2021, 4, 9), by="考察组（考察材料）"),
        ],
        consultations=[Consultation(with_="leaders", date=date(2021, 4, 13), view="同意提交常委会讨论"),
                       Consultation(with_="superior_leader", date=date(2021, 4, 14), view="无不同意见")],
        filings=[Filing(id="f1", candidate="c1", date=date(2021, 5, 7), to="中共江州市委组织部")],
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def baseline_data() -> dict[str, Any]:
    """The baseline as a case file's data: the fields it sets, by their file names, dates as `date`s.

    A fresh object on every call, so a test can change it freely."""
    return _plain(baseline_case().model_dump(mode="python", by_alias=True, exclude_unset=True))
