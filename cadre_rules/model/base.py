"""Shared pieces of the case model.

Every model forbids unknown fields: a misspelt field in a personnel record must be an error,
not silently dropped data.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import core_schema

Id = Annotated[str, StringConstraints(min_length=1, max_length=128, strip_whitespace=True)]


class YearMonth:
    """A date known only to the month (`1980-05`), as appointment forms and many records give it.

    Written `YYYY-MM` in case files. It is a range of days, never a guessed day: the facts layer
    counts with its first and last day (facts/periods.py) and gives `unknown` when the two disagree."""

    __slots__ = ("year", "month")
    _PATTERN = re.compile(r"(\d{4})-(\d{2})")

    def __init__(self, year: int, month: int) -> None:
        if not 1 <= month <= 12 or not 1 <= year <= 9999:
            raise ValueError(f"no month {year:04d}-{month:02d}")
        self.year, self.month = year, month

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __repr__(self) -> str:
        return f"YearMonth({self.year}, {self.month})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, YearMonth) and (self.year, self.month) == (other.year, other.month)

    def __hash__(self) -> int:
        return hash((self.year, self.month))

    @classmethod
    def parse(cls, value: Any) -> "YearMonth":
        if isinstance(value, YearMonth):
            return value
        if isinstance(value, str):
            m = cls._PATTERN.fullmatch(value.strip())
            if m:
                return cls(int(m.group(1)), int(m.group(2)))
        raise ValueError("a month is written YYYY-MM")

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="always"))

    @classmethod
    def __get_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "description": "a month, YYYY-MM"}

    __get_pydantic_json_schema__ = __get_json_schema__


def _day_or_month(value: Any) -> "date | YearMonth":
    if isinstance(value, YearMonth) or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str):
        text = value.strip()
        if YearMonth._PATTERN.fullmatch(text):
            return YearMonth.parse(text)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                return date.fromisoformat(text)
            except ValueError as exc:
                raise ValueError(f"not a date: {exc}") from None
    raise ValueError("a date is written YYYY-MM-DD, or a month alone YYYY-MM")


# A person's date as sources give it: a day, or only the month (`1980-05`).
DayOrMonth = Annotated[
    date | YearMonth,
    PlainValidator(_day_or_month),
    PlainSerializer(lambda v: v.isoformat() if isinstance(v, date) else str(v), when_used="json"),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"},
                              {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}],
                    "description": "a day YYYY-MM-DD, or the month alone YYYY-MM"}),
]


def earliest_day(value: "date | YearMonth") -> date:
    """The earliest day a person's date may be (the day, or the month's first); counting with months
    (their last day, full years) is the facts layer's (facts/periods.py)."""
    return value.first_day if isinstance(value, YearMonth) else value


def before(a: "date | YearMonth", b: "date | YearMonth") -> bool:
    """`a` is surely before `b`: every day `a` may be precedes every day `b` may be."""
    if isinstance(a, YearMonth) or isinstance(b, YearMonth):
        return (a.year, a.month) < (b.year, b.month)
    return a < b


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
