"""The words of the specs: how the staff say dates, numbers, kinships and verdicts, in Chinese and English.

Step texts are matched with regular expressions built from these tables, so a new synonym is one
entry here, not a new step.
"""
from __future__ import annotations

import re
from datetime import date

from ..model import CheckOutcome, Kinship, Level, MeetingKind, MoveKind, View

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
    "复议会议": MeetingKind.reconsideration,
    "committee meeting": MeetingKind.decision, "secretaries' meeting": MeetingKind.secretaries,
    "department meeting": MeetingKind.department, "reconsideration meeting": MeetingKind.reconsideration,
}
VOTE_METHODS: dict[str, str] = {
    "口头表决": "oral", "举手表决": "hands", "无记名投票": "secret",
    "oral vote": "oral", "show of hands": "hands", "secret ballot": "secret",
}

# --- sanctions -------------------------------------------------------------------------------------------

SANCTION_SYSTEMS: dict[str, str] = {
    "党纪处分": "party", "政务处分": "administrative", "组织处理": "organisational", "诫勉": "organisational",
    "party": "party", "administrative": "administrative", "organisational": "organisational",
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
    "信访举报核查": "petition_check",
    "file review": "file_review", "personal-matters check": "personal_matters",
    "discipline opinion": "discipline_opinion", "petition check": "petition_check",
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
    "破格提拔": "breakthrough", "越级提拔": "skip_level",
    "over-quota staffing": "over_quota", "appointments before the leader leaves": "leader_departure",
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
