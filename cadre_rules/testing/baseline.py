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
    AppointmentNotice,
    Body,
    Candidate,
    Case,
    Education,
    Filing,
    Inspection,
    Level,
    Meeting,
    Member,
    Motion,
    MoveKind,
    Post,
    Publicity,
    Recommendation,
    Role,
    TargetPost,
)
from cadre_rules.model.base import AttestationKind
from cadre_rules.model.case import Attestation, Consultation
from cadre_rules.testing import records

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
    return [Member.model_validate(records.member(f"m{i + 1:02d}", MEMBER_NAMES[i] if i < len(MEMBER_NAMES) else f"成员{i + 1}",
                                                 member_roles(i) if member_roles(i) != [Role.member] else None))
            for i in range(count)]


def baseline_case() -> Case:
    members = make_members(11)
    due = [m.id for m in members]
    # the organisation lead presents and speaks first, the principal leader last
    speaking = records.speaking_order(["m02", "m04", "m05", "m06", "m07", "m08", "m09"], "m01", "m03")
    return Case(
        id="2021-qx-czj-001",
        title="清溪县财政局局长提拔（合规）",
        organisation="中共清溪县委",
        jurisdiction="national",
        status="closed",
        move=MoveKind.promotion,
        body=Body.model_validate(records.body("qx-cwh", "中共清溪县委常委会", "standing_committee", members)),
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
        recommendations=[Recommendation.model_validate(records.recommendation(
            "r1", "meeting", date(2021, 3, 16), participants_expected=45, participants_actual=42, individual_talks=True,
            results=[records.recommendation_result("c1", 36)]))],
        inspections=[Inspection.model_validate(records.inspection(
            "i1", "c1", [records.team_member("张卫红", "leader"), records.team_member("许明", "member")],
            target_decision=records.target_decision("县委组织部部务会", date(2021, 3, 19), True, True, "推荐意见集中，等额考察"),
            plan_date=date(2021, 3, 19), unit_consultation_date=date(2021, 3, 22), notice_date=date(2021, 3, 22),
            methods=["individual_talk", "opinion_forms", "evaluation", "file_review", "interview"],
            feedback_date=date(2021, 4, 8), department_review_date=date(2021, 4, 12),
            report=records.inspection_report(date(2021, 4, 9), "政治立场坚定，熟悉财政预算管理，推进预算绩效改革成效明显",
                                             "统筹协调全局工作经验有待丰富", "会议推荐得票36票，得票率85.7%",
                                             "民主测评优秀率78%，称职以上100%"),
            start=date(2021, 3, 22), completed=date(2021, 4, 9),
            file_review=records.check(date(2021, 3, 25)), personal_matters=records.check(date(2021, 3, 30)),
            discipline_opinion=records.check(date(2021, 4, 2)), petition_check=records.check(date(2021, 4, 6)),
            petitions=[], integrity_conclusion=records.integrity_conclusion(date(2021, 4, 7))))],
        meetings=[Meeting.model_validate(records.meeting(
            "mt1", "decision", date(2021, 4, 16), due, due[:9], chair="m01",
            non_voting_attendees=[records.non_voting("县委组织部干部科科长", "organisation_department")],
            records=records.meeting_records(),
            agenda=[records.agenda_item(
                "a1", "c1", circulated_in_advance=True, presenter="m03",
                statements=records.statements(speaking, {m: "disagree" if m == "m07" else "agree" for m in speaking}),
                vote=records.vote("hands", 8, 1, 0), outcome="adopted")]))],
        publicity=[Publicity.model_validate(records.publicity("p1", "c1", date(2021, 4, 19), date(2021, 4, 25),
                                                              "清溪县人民政府网站"))],
        appointments=[AppointmentNotice.model_validate(records.appointment_notice(
            "n1", "c1", date(2021, 4, 28), "清委〔2021〕18号", talk=records.talk(date(2021, 4, 29), "王海燕")))],
        attestations=[
            Attestation.model_validate(records.attestation(AttestationKind.health, "c1", date(2021, 4, 7), "县委组织部（体检结论）")),
            Attestation.model_validate(records.attestation(AttestationKind.basic_conditions, "c1", date(2021, 4, 9),
                                                           "考察组（考察材料）")),
        ],
        consultations=[Consultation.model_validate(records.consultation("leaders", date(2021, 4, 13), "同意提交常委会讨论")),
                       Consultation.model_validate(records.consultation("superior_leader", date(2021, 4, 14), "无不同意见"))],
        filings=[Filing.model_validate(records.filing("f1", "c1", date(2021, 5, 7), "中共江州市委组织部"))],
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
