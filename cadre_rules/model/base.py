"""Shared pieces of the case model.

Every model forbids unknown fields: a misspelt field in a personnel record must be an error,
not silently dropped data.
"""
from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Id = Annotated[str, StringConstraints(min_length=1, max_length=128, strip_whitespace=True)]


class Record(BaseModel):
    """Base of every case record: strict about unknown fields, immutable once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Role(str, Enum):
    """Roles a member of a deciding body may hold (several at once)."""

    principal_leader = "principal_leader"  # 主要负责人（书记）
    organisation_lead = "organisation_lead"  # 分管组织（人事）工作的领导成员
    discipline_official = "discipline_official"  # 纪委书记 / 派驻纪检监察组组长
    member = "member"


class MoveKind(str, Enum):
    """Kind of personnel move; only promotions carry publicity and the four musts."""

    promotion = "promotion"  # 提拔
    further_use = "further_use"  # 进一步使用
    lateral_transfer = "lateral_transfer"  # 平级交流/转任
    rotation = "rotation"  # 交流轮岗


class Level(str, Enum):
    """Administrative levels, lowest first (order matters for level gaps)."""

    section_deputy = "section_deputy"  # 副科
    section_chief = "section_chief"  # 正科
    division_deputy = "division_deputy"  # 副处 / 副县
    division_chief = "division_chief"  # 正处 / 正县
    bureau_deputy = "bureau_deputy"  # 副厅 / 副局
    bureau_chief = "bureau_chief"  # 正厅 / 正局


class MeetingKind(str, Enum):
    decision = "decision"  # 党委（党组）会议讨论决定
    reconsideration = "reconsideration"  # 复议
    full_committee = "full_committee"  # 全委会（票决）
    secretaries = "secretaries"  # 书记办公会（may consult, never decide）
    department = "department"  # 部务会


class View(str, Enum):
    """A member's stated position on an item; `unclear` records a statement with no explicit view."""

    agree = "agree"
    disagree = "disagree"
    defer = "defer"
    unclear = "unclear"


class Outcome(str, Enum):
    adopted = "adopted"
    rejected = "rejected"
    deferred = "deferred"


class CheckOutcome(str, Enum):
    """Outcome of one of the four musts (凡提四必)."""

    clear = "clear"  # no problem found
    resolved = "resolved"  # problems found and resolved with a conclusion
    open = "open"  # problems found, not resolved
    concealment = "concealment"  # personal-matters check found concealment (瞒报)


class Kinship(str, Enum):
    """Kinship kinds of the recusal rules (夫妻、直系血亲、三代以内旁系血亲、近姻亲) plus `other`."""

    spouse = "spouse"
    parent = "parent"
    child = "child"
    grandparent = "grandparent"
    grandchild = "grandchild"
    sibling = "sibling"
    uncle_aunt = "uncle_aunt"
    nephew_niece = "nephew_niece"
    cousin = "cousin"
    parent_in_law = "parent_in_law"
    child_in_law = "child_in_law"
    sibling_in_law = "sibling_in_law"
    other = "other"  # a declared tie outside the statutory recusal scope


class EducationLevel(str, Enum):
    """Highest education, lowest first (the order is used for thresholds)."""

    secondary = "secondary"  # 中专、高中及以下
    college = "college"  # 大专
    bachelor = "bachelor"  # 大学本科
    master = "master"  # 硕士研究生
    doctor = "doctor"  # 博士研究生


class Grade(str, Enum):
    """Annual appraisal grades (年度考核等次)."""

    excellent = "excellent"  # 优秀
    competent = "competent"  # 称职
    basically_competent = "basically_competent"  # 基本称职
    incompetent = "incompetent"  # 不称职


class AttestationKind(str, Enum):
    """Requirements no rule can check mechanically; the case must carry a recorded attestation."""

    health = "health"  # 身体健康，能正常履职
    statutory = "statutory"  # 符合法定任职资格
    basic_conditions = "basic_conditions"  # 基本条件（德）经考察作出评价
