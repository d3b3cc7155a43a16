"""The words of the specs: how the staff say dates, numbers, kinships and verdicts, in Chinese and English.

Step texts are matched with regular expressions built from these tables, so a new synonym is one
entry here, not a new step.
"""
from __future__ import annotations

import re
from datetime import date

from cadre_rules.model import CheckOutcome, Kinship, Level, MeetingKind, MoveKind, View
from cadre_rules.model.base import AttestationKind, Grade

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
    if not m:
        raise ValueError(f"not a date: {text!r} (write 2024-09-29 or 2024年9月29日)")
    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def rule_ids(text: str) -> list[str]:
    return re.findall(RULE_ID, text)


def alternatives(words: dict[str, object]) -> str:
    """A regex alternation of the table's words, longest first (so 父母 wins over 父)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# --- the deciding body ---------------------------------------------------------------------------

BODY_KINDS: dict[str, str] = {
    "党委常委会": "standing_committee", "常委会": "standing_committee", "党组": "party_group",
    "党委": "full_committee", "全委会": "full_committee", "领导班子": "other",
    "standing committee": "standing_committee", "party group": "party_group", "party committee": "full_committee",
    "leadership team": "other", "body": "other",
}

# --- levels ---------------------------------------------------------------------------------------------

LEVELS: dict[str, Level] = {
    "副科": Level.section_deputy, "正科": Level.section_chief, "副处": Level.division_deputy, "副县": Level.division_deputy,
    "正处": Level.division_chief, "正县": Level.division_chief, "副厅": Level.bureau_deputy, "副局": Level.bureau_deputy,
    "正厅": Level.bureau_chief, "正局": Level.bureau_chief,
    "section deputy": Level.section_deputy, "section chief": Level.section_chief,
    "division deputy": Level.division_deputy, "division chief": Level.division_chief,
    "bureau deputy": Level.bureau_deputy, "bureau chief": Level.bureau_chief,
}

# --- meetings and votes ----------------------------------------------------------------------------------

MEETING_KINDS: dict[str, MeetingKind] = {
    "党委（党组）会议": MeetingKind.decision, "常委会会议": MeetingKind.decision, "党组会议": MeetingKind.decision,
    "书记办公会": MeetingKind.secretaries, "书记专题会": MeetingKind.secretaries, "部务会": MeetingKind.department,
    "复议会议": MeetingKind.reconsideration, "全委会": MeetingKind.full_committee, "全委会会议": MeetingKind.full_committee,
    "committee meeting": MeetingKind.decision, "secretaries' meeting": MeetingKind.secretaries,
    "department meeting": MeetingKind.department, "reconsideration meeting": MeetingKind.reconsideration,
    "full committee meeting": MeetingKind.full_committee,
}
VOTE_METHODS: dict[str, str] = {
    "口头表决": "oral", "举手表决": "hands", "无记名投票": "secret",
    "鼓掌通过": "applause",
    "oral vote": "oral", "show of hands": "hands", "secret ballot": "secret", "applause": "applause",
}

# --- sanctions -------------------------------------------------------------------------------------------

SANCTION_SYSTEMS: dict[str, str] = {
    "党纪处分": "party", "政务处分": "administrative", "组织处理": "organisational", "诫勉": "organisational",
    "party": "party", "administrative": "administrative", "organisational": "organisational",
}
#: Kinds of sanction as the rules name them; other words (诫勉, 调离岗位 …) are kept as written.
SANCTION_TYPES: dict[str, str] = {
    "警告": "warning", "严重警告": "serious_warning", "撤销党内职务": "removal_from_post", "记过": "demerit",
    "记大过": "major_demerit", "降级": "demotion", "撤职": "dismissal",
    "warning": "warning", "serious warning": "serious_warning", "removal from post": "removal_from_post",
    "demerit": "demerit", "major demerit": "major_demerit", "demotion": "demotion", "dismissal": "dismissal",
}

# --- the post to fill, and the candidate's record ------------------------------------------------

#: 拟任职位为… : the level of the post (the candidate is made a qualified holder of the level below).
POST_GRADES: dict[str, Level] = {
    "乡科级正职": Level.section_chief, "县处级副职": Level.division_deputy, "县处级正职": Level.division_chief,
    "厅局级副职": Level.bureau_deputy, "厅局级正职": Level.bureau_chief,
    "section chief": Level.section_chief, "division deputy": Level.division_deputy,
    "division chief": Level.division_chief, "bureau deputy": Level.bureau_deputy, "bureau chief": Level.bureau_chief,
}
COMMITTEE_LEVELS: dict[str, str] = {
    "县级": "county", "市级": "prefectural", "设区的市级": "prefectural", "省级": "provincial",
    "county": "county", "prefectural": "prefectural", "provincial": "provincial",
}
#: Highest education as written in the file (the degree text the facts layer reads).
DEGREES: dict[str, str] = {
    "中专": "中专", "高中": "高中", "大专": "大专", "大学专科": "大学专科", "大学本科": "大学本科", "本科": "大学本科",
    "硕士研究生": "硕士研究生", "博士研究生": "博士研究生",
    "secondary school": "中专", "college": "大专", "bachelor's degree": "大学本科", "master's degree": "硕士研究生",
    "doctorate": "博士研究生",
}
GRADES: dict[str, Grade] = {
    "优秀": Grade.excellent, "称职": Grade.competent, "基本称职": Grade.basically_competent, "不称职": Grade.incompetent,
    "excellent": Grade.excellent, "competent": Grade.competent, "basically competent": Grade.basically_competent,
    "incompetent": Grade.incompetent,
}
#: What bars a person from inspection (不得列为考察对象), as a flag of the candidate's record.
CANDIDATE_FLAGS: dict[str, str] = {
    "有跑官要官、拉票等非组织活动": "canvassing_found", "群众公认度不高": "low_recognition",
    "配偶已移居国（境）外": "spouse_emigrated", "子女均已移居国（境）外": "children_all_emigrated",
    "canvassed for votes": "canvassing_found", "has low public recognition": "low_recognition",
    "has a spouse who emigrated": "spouse_emigrated", "has children who all emigrated": "children_all_emigrated",
}
ATTESTATIONS: dict[str, AttestationKind] = {
    "身体健康": AttestationKind.health, "身体健康状况": AttestationKind.health, "基本条件评价": AttestationKind.basic_conditions,
    "health": AttestationKind.health, "basic conditions": AttestationKind.basic_conditions,
}
FUNCTIONS: dict[str, str] = {
    "组织人事": "personnel", "纪检监察": "discipline", "审计": "audit", "财务": "finance",
    "personnel": "personnel", "discipline": "discipline", "audit": "audit", "finance": "finance",
}
AVOIDANCE_LEVELS: dict[str, str] = {
    "县": "county", "县（市）": "county", "市（地）": "prefecture", "地市": "prefecture",
    "county": "county", "prefecture": "prefecture",
}
BUSINESS_RELATIVES: dict[str, str] = {
    "配偶": "spouse", "子女": "child", "子女的配偶": "child_in_law",
    "spouse": "spouse", "child": "child", "child's spouse": "child_in_law",
}

# --- motion and recommendation --------------------------------------------------------------------

PROPOSERS: dict[str, str] = {
    "党委（党组）": "committee", "党委": "committee", "党组": "committee", "组织部门": "organisation_department",
    "主要负责人": "principal_leader", "分管领导": "deputy_leader", "其他个人": "individual",
    "the committee": "committee", "the organisation department": "organisation_department",
    "the principal leader": "principal_leader", "a deputy leader": "deputy_leader", "an individual": "individual",
}
SELECTION_METHODS: dict[str, str] = {
    "竞争上岗": "competition", "公开选拔": "open_selection",
    "competition": "competition", "open selection": "open_selection",
}
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
REPORT_SECTIONS: dict[str, str] = {
    "主要优点": "strengths", "主要不足": "weaknesses", "民主推荐情况": "recommendation_results",
    "民主测评情况": "evaluation_results",
    "strengths": "strengths", "weaknesses": "weaknesses", "recommendation results": "recommendation_results",
    "evaluation results": "evaluation_results",
}

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
SUBMISSION_DOC_WORDS: dict[str, str] = {
    "干部任免审批表": "approval_form", "考察材料": "inspection_report", "干部人事档案": "personnel_file",
    "会议纪要": "minutes", "讨论记录": "discussion_record", "民主推荐情况": "recommendation_results",
    "approval form": "approval_form", "inspection report": "inspection_report", "personnel file": "personnel_file",
    "minutes": "minutes", "discussion record": "discussion_record", "recommendation results": "recommendation_results",
}

# --- kinds of move -------------------------------------------------------------------------------

MOVES: dict[str, MoveKind] = {
    "提拔": MoveKind.promotion, "进一步使用": MoveKind.further_use, "重用": MoveKind.further_use,
    "平级交流": MoveKind.lateral_transfer, "平级转任": MoveKind.lateral_transfer, "转任": MoveKind.lateral_transfer,
    "交流轮岗": MoveKind.rotation,
    "promotion": MoveKind.promotion, "further use": MoveKind.further_use,
    "lateral transfer": MoveKind.lateral_transfer, "rotation": MoveKind.rotation,
}

# --- kinship (回避范围 and beyond) ----------------------------------------------------------------

KINSHIPS: dict[str, Kinship] = {
    "配偶": Kinship.spouse, "妻子": Kinship.spouse, "丈夫": Kinship.spouse,
    "父母": Kinship.parent, "父亲": Kinship.parent, "母亲": Kinship.parent,
    "子女": Kinship.child, "儿子": Kinship.child, "女儿": Kinship.child,
    "祖父母": Kinship.grandparent, "外祖父母": Kinship.grandparent, "孙子女": Kinship.grandchild,
    "外孙子女": Kinship.grandchild,
    "兄弟姐妹": Kinship.sibling, "哥哥": Kinship.sibling, "弟弟": Kinship.sibling, "姐姐": Kinship.sibling,
    "妹妹": Kinship.sibling,
    "伯叔姑舅姨": Kinship.uncle_aunt, "叔叔": Kinship.uncle_aunt, "舅舅": Kinship.uncle_aunt,
    "姑姑": Kinship.uncle_aunt, "姨妈": Kinship.uncle_aunt,
    "侄子女": Kinship.nephew_niece, "侄子": Kinship.nephew_niece, "外甥": Kinship.nephew_niece,
    "堂兄弟姐妹": Kinship.cousin, "表兄弟姐妹": Kinship.cousin,
    "岳父母": Kinship.parent_in_law, "公婆": Kinship.parent_in_law,
    "女婿": Kinship.child_in_law, "儿媳": Kinship.child_in_law,
    "配偶的兄弟姐妹": Kinship.sibling_in_law, "兄弟姐妹的配偶": Kinship.sibling_in_law,
    "远房亲戚": Kinship.other, "其他亲属": Kinship.other,
    "spouse": Kinship.spouse, "parent": Kinship.parent, "child": Kinship.child, "sibling": Kinship.sibling,
    "cousin": Kinship.cousin, "uncle or aunt": Kinship.uncle_aunt, "nephew or niece": Kinship.nephew_niece,
    "parent-in-law": Kinship.parent_in_law, "child-in-law": Kinship.child_in_law,
    "sibling-in-law": Kinship.sibling_in_law, "distant relative": Kinship.other,
}

# --- the four musts (凡提四必) -----------------------------------------------------------------

CHECKS: dict[str, str] = {
    "干部人事档案审核": "file_review", "档案审核": "file_review",
    "个人有关事项报告查核": "personal_matters", "个人有关事项查核": "personal_matters",
    "听取纪检监察机关意见": "discipline_opinion", "纪检监察机关意见": "discipline_opinion",
    "信访举报核查": "petition_check", "经济责任审计": "economic_audit",
    "file review": "file_review", "personal-matters check": "personal_matters",
    "discipline opinion": "discipline_opinion", "petition check": "petition_check", "economic audit": "economic_audit",
}
CHECK_OUTCOMES: dict[str, CheckOutcome] = {
    "未发现问题": CheckOutcome.clear, "问题已查清": CheckOutcome.resolved, "问题尚未查清": CheckOutcome.open,
    "发现瞒报": CheckOutcome.concealment,
    "clear": CheckOutcome.clear, "resolved": CheckOutcome.resolved, "open": CheckOutcome.open,
    "concealment": CheckOutcome.concealment,
}

# --- views at the meeting ----------------------------------------------------------------------

VIEWS: dict[str, View] = {
    "同意": View.agree, "不同意": View.disagree, "缓议": View.defer, "未明确表态": View.unclear,
    "agree": View.agree, "disagree": View.disagree, "defer": View.defer, "state no clear view": View.unclear,
}

# --- prior reports (事先报告) --------------------------------------------------------------------

PRIOR_MATTERS: dict[str, str] = {
    "超职数配备": "over_quota", "主要领导离任前调整干部": "leader_departure", "离任前调整干部": "leader_departure",
    "破格提拔": "breakthrough", "越级提拔": "skip_level", "放宽资格条件": "eligibility_relaxation",
    "受处分干部重新任用": "sanction_reuse", "任用领导干部近亲属": "relative",
    "over-quota staffing": "over_quota", "appointments before the leader leaves": "leader_departure",
    "exceptional promotion": "breakthrough", "level-skipping promotion": "skip_level",
    "relaxed eligibility": "eligibility_relaxation", "reuse after a sanction": "sanction_reuse",
    "appointing a leader's close relative": "relative",
}

# --- verdicts and classes of scenario ------------------------------------------------------------

VERDICT_WORDS: dict[str, str] = {
    "违规": "violated", "待定": "pending", "无法判断": "unknown",
    "violated": "violated", "pending": "pending", "unknown": "unknown",
}

#: Tags that classify a rule-tagged scenario for `rules coverage` (see docs/specs.md).
SCENARIO_CLASSES: dict[str, str] = {
    "违规": "violating", "violating": "violating",
    "合规": "compliant", "compliant": "compliant",
    "待定": "pending", "pending": "pending",
    "无法判断": "unknown", "unknown": "unknown",
}
