"""The words of the specs: how the staff say dates, numbers, kinships and verdicts, in Chinese and English.

Step texts are matched with regular expressions built from these tables. The words for codes (kinds
of move, levels, kinships, verdicts …) come from the code lists in cadre_rules/codes.py, so a new
synonym of a code is one entry there; the other tables here map phrases to fields and steps.
"""
from __future__ import annotations

import re
from datetime import date

from cadre_rules.codes import (
    AttestationKind,
    AvoidanceLevel,
    BodyKind,
    CheckOutcome,
    CommitteeLevel,
    Grade,
    Kinship,
    Level,
    MeetingKind,
    MoveKind,
    PostFunction,
    PriorMatter,
    Proposer,
    ReportSection,
    SanctionSystem,
    SanctionType,
    ScenarioClass,
    SelectionMethod,
    SubmissionDoc,
    Verdict,
    View,
    VoteMethod,
)

# --- numbers and dates -------------------------------------------------------------------------

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUMBER = r"(?:\d+|[零〇一二两三四五六七八九十]+)"
DATE = r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)"
RULE_ID = r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+"
RULE_LIST = rf"{RULE_ID}(?:\s*(?:、|,|，|和)\s*{RULE_ID})*"
QUOTED = r"[\"“「](?P<{name}>[^\"”」]+)[\"”」]"


def quoted(name: str) -> str:
    """A regex group for a quoted argument: "…", “…” or 「…」."""
    return QUOTED.replace("{name}", name)


def number(text: str) -> int:
    """'9', '九', '十二', '二十' → int (Chinese numerals up to 99)."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)
    if len(text) == 1 and text in _DIGITS:
        return _DIGITS[text]
    raise ValueError(f"not a number: {text!r}")


def day(text: str) -> date:
    """'2024-09-29' or '2024年9月29日' → date."""
    text = text.strip()
    m = re.fullmatch(r"(\d{4})(?:-|年)(\d{1,2})(?:-|月)(\d{1,2})日?", text)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:  # 2023-13-05, 2023年2月30日: the step names the text, not only "month must be..."
        raise ValueError(f"not a date: {text!r} ({exc})") from None
    raise ValueError(f"not a date: {text!r} (write 2024-09-29 or 2024年9月29日)")


def rule_ids(text: str) -> list[str]:
    return re.findall(RULE_ID, text)


def alternatives(words: dict[str, object]) -> str:
    """A regex alternation of the table's words, longest first (so 父母 wins over 父)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# --- the deciding body ---------------------------------------------------------------------------

BODY_KINDS: dict[str, BodyKind] = BodyKind.words()

# --- levels ---------------------------------------------------------------------------------------------

LEVELS: dict[str, Level] = Level.words()

# --- meetings and votes ----------------------------------------------------------------------------------

MEETING_KINDS: dict[str, MeetingKind] = MeetingKind.words()
#: The permitted methods, and applause (鼓掌通过), which a spec may record to show DEC-VOTE-METHOD flagging it.
VOTE_METHODS: dict[str, str] = {**VoteMethod.words(), "鼓掌通过": "applause", "applause": "applause"}

# --- sanctions -------------------------------------------------------------------------------------------

SANCTION_SYSTEMS: dict[str, SanctionSystem] = SanctionSystem.words()
#: Kinds of sanction as the rules name them; other words (诫勉, 调离岗位 …) are kept as written.
SANCTION_TYPES: dict[str, SanctionType] = SanctionType.words()

# --- the post to fill, and the candidate's record ------------------------------------------------

#: 拟任职位为… : the level of the post (the candidate is made a qualified holder of the level below).
POST_GRADES: dict[str, Level] = {
    "乡科级正职": Level.section_chief, "县处级副职": Level.division_deputy, "县处级正职": Level.division_chief,
    "厅局级副职": Level.bureau_deputy, "厅局级正职": Level.bureau_chief,
    "section chief": Level.section_chief, "division deputy": Level.division_deputy,
    "division chief": Level.division_chief, "bureau deputy": Level.bureau_deputy, "bureau chief": Level.bureau_chief,
}
COMMITTEE_LEVELS: dict[str, CommitteeLevel] = CommitteeLevel.words()
#: Highest education as written in the file (the degree text the facts layer reads).
DEGREES: dict[str, str] = {
    "初中": "初中", "中专": "中专", "高中": "高中", "大专": "大专", "大学专科": "大学专科", "大学本科": "大学本科", "本科": "大学本科",
    "硕士研究生": "硕士研究生", "博士研究生": "博士研究生",
    "secondary school": "中专", "college": "大专", "bachelor's degree": "大学本科", "master's degree": "硕士研究生",
    "doctorate": "博士研究生",
}
GRADES: dict[str, Grade] = Grade.words()
#: What bars a person from inspection (不得列为考察对象), as a flag of the candidate's record.
CANDIDATE_FLAGS: dict[str, str] = {
    "有跑官要官、拉票等非组织活动": "canvassing_found", "群众公认度不高": "low_recognition",
    "配偶已移居国（境）外": "spouse_emigrated", "子女均已移居国（境）外": "children_all_emigrated",
    "canvassed for votes": "canvassing_found", "has low public recognition": "low_recognition",
    "has a spouse who emigrated": "spouse_emigrated", "has children who all emigrated": "children_all_emigrated",
}
ATTESTATIONS: dict[str, AttestationKind] = AttestationKind.words()
FUNCTIONS: dict[str, PostFunction] = PostFunction.words()
AVOIDANCE_LEVELS: dict[str, AvoidanceLevel] = AvoidanceLevel.words()
BUSINESS_RELATIVES: dict[str, str] = {
    "配偶": "spouse", "子女": "child", "子女的配偶": "child_in_law",
    "spouse": "spouse", "child": "child", "child's spouse": "child_in_law",
}

# --- motion and recommendation --------------------------------------------------------------------

PROPOSERS: dict[str, Proposer] = Proposer.words()
SELECTION_METHODS: dict[str, SelectionMethod] = SelectionMethod.words()
#: Categories of participants in an individual promotion's recommendation (one code each).
PARTICIPANTS: dict[str, str] = {
    "领导班子成员": "leadership", "内设机构负责人": "department_heads", "下一级单位主要负责人": "subordinate_chiefs",
    "其他人员": "others",
    "leadership team members": "leadership", "department heads": "department_heads",
    "heads of subordinate units": "subordinate_chiefs", "other participants": "others",
}
#: 整体平移案例，使…于 D …: the step of the procedure the whole case is moved by.
ANCHORS: dict[str, str] = {
    "动议": "motion", "民主推荐": "recommendation", "会议推荐": "meeting_recommendation",
    "确定考察对象": "target", "考察": "inspection", "讨论决定会议": "meeting",
    "motion": "motion", "recommendation": "recommendation", "recommendation meeting": "meeting_recommendation",
    "target decision": "target", "inspection": "inspection", "decision meeting": "meeting",
}

# --- inspection steps and report -----------------------------------------------------------------

#: A mandatory step of the inspection left out: ("field", name) empties a date, ("method", name) drops a method.
INSPECTION_GAPS: dict[str, tuple[str, str]] = {
    "未制定考察工作方案": ("field", "plan_date"),
    "考察方案未与所在单位主要负责人沟通": ("field", "unit_consultation_date"),
    "未发布考察预告": ("field", "notice_date"),
    "考察组未向所在单位反馈": ("field", "feedback_date"),
    "考察结果未经组织部门集体研究": ("field", "department_review_date"),
    "考察未进行个别谈话": ("method", "individual_talk"),
    "考察未查阅干部档案": ("method", "file_review"),
    "no inspection plan was made": ("field", "plan_date"),
    "the plan was not discussed with the unit's principal": ("field", "unit_consultation_date"),
    "no inspection notice was issued": ("field", "notice_date"),
    "the inspection team gave no feedback to the unit": ("field", "feedback_date"),
    "the department did not review the inspection collectively": ("field", "department_review_date"),
    "the inspection held no individual talks": ("method", "individual_talk"),
    "the inspection did not read the personnel file": ("method", "file_review"),
}
REPORT_SECTIONS: dict[str, ReportSection] = ReportSection.words()

# --- the meeting's records, submissions ------------------------------------------------------------

RECORDS: dict[str, str] = {
    "会议纪要": "minutes", "讨论记录": "discussion_record", "minutes": "minutes", "discussion record": "discussion_record",
}
SIGNERS: dict[str, str] = {
    "主持人": "signed_by_chair", "记录人": "signed_by_recorder", "chair": "signed_by_chair", "recorder": "signed_by_recorder",
}
PRESENTERS: dict[str, str] = {
    "分管组织工作的领导成员": "organisation_lead", "组织部门负责人": "org_head", "其他成员": "member",
    "the organisation lead": "organisation_lead", "the organisation department head": "org_head",
    "another member": "member",
}
#: Documents a submission for approval encloses (2014 Art 39 / 2019 Art 40).
SUBMISSION_DOC_WORDS: dict[str, SubmissionDoc] = SubmissionDoc.words()

# --- kinds of move -------------------------------------------------------------------------------

MOVES: dict[str, MoveKind] = MoveKind.words()

# --- kinship (回避范围 and beyond) ----------------------------------------------------------------

KINSHIPS: dict[str, Kinship] = Kinship.words()

# --- the four musts (凡提四必) -----------------------------------------------------------------

CHECKS: dict[str, str] = {
    "干部人事档案审核": "file_review", "档案审核": "file_review",
    "个人有关事项报告查核": "personal_matters", "个人有关事项查核": "personal_matters",
    "听取纪检监察机关意见": "discipline_opinion", "纪检监察机关意见": "discipline_opinion",
    "信访举报核查": "petition_check", "经济责任审计": "economic_audit",
    "file review": "file_review", "personal-matters check": "personal_matters",
    "discipline opinion": "discipline_opinion", "petition check": "petition_check", "economic audit": "economic_audit",
}
CHECK_OUTCOMES: dict[str, CheckOutcome] = CheckOutcome.words()

# --- views at the meeting ----------------------------------------------------------------------

VIEWS: dict[str, View] = View.words()

# --- prior reports (事先报告) --------------------------------------------------------------------

PRIOR_MATTERS: dict[str, PriorMatter] = PriorMatter.words()

# --- verdicts and classes of scenario ------------------------------------------------------------

VERDICT_WORDS: dict[str, Verdict] = Verdict.words()

#: Tags that classify a rule-tagged scenario for `rules coverage` (see docs/specs.md).
SCENARIO_CLASSES: dict[str, ScenarioClass] = ScenarioClass.words()

# --- sourced records (三龄二历一身份, the dossier checks) ---------------------------------------------------

RECORD_SOURCES: dict[str, str] = {
    "档案": "dossier", "干部人事档案": "dossier", "户籍": "household_register", "身份证": "household_register",
    "任免审批表": "appointment_form", "公示": "publicity", "考察材料": "inspection_report", "信息系统": "information_system",
    "dossier": "dossier", "household register": "household_register", "appointment form": "appointment_form",
    "publicity notice": "publicity", "inspection report": "inspection_report", "information system": "information_system",
}
DATE_ITEMS: dict[str, str] = {
    "出生日期": "birth_date", "参加工作时间": "work_start_date", "入党时间": "party_join_date",
    "birth date": "birth_date", "work start": "work_start_date", "Party admission": "party_join_date",
}
DOSSIER_ITEMS: dict[str, str] = {
    **DATE_ITEMS, "学历学位": "education", "工作经历": "work_history", "干部身份": "cadre_identity",
    "education": "education", "work history": "work_history", "cadre status": "cadre_identity",
}
STUDY_MODES: dict[str, str] = {"全日制": "full_time", "在职": "in_service", "full-time": "full_time", "in-service": "in_service"}
DEGREE_LEVELS: dict[str, str] = {
    "初中": "junior", "中专": "secondary", "高中": "secondary", "大专": "college", "大学本科": "bachelor", "硕士研究生": "master", "博士研究生": "doctor",
    "secondary school": "secondary", "college": "college", "bachelor's": "bachelor", "master's": "master", "doctoral": "doctor",
}
RECOMMENDATION_FORMS: dict[str, str] = {
    "会议推荐": "meeting", "谈话调研推荐": "talk", "个别谈话推荐": "talk", "二次会议推荐": "second_meeting",
    "a recommendation meeting": "meeting", "talk-and-research recommendation": "talk",
    "a second-round recommendation meeting": "second_meeting",
}
REVIEW_STATES: dict[str, str] = {"已认定": "resolved", "尚未认定": "pending", "resolved": "resolved", "pending": "pending"}
