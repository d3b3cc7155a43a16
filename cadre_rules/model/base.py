"""Shared pieces of the case model.

Every model forbids unknown fields: a misspelt field in a personnel record must be an error,
not silently dropped data. The code lists (MoveKind, Level …) are declared once in
cadre_rules/codes.py; the model re-exports the ones its fields use.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError, core_schema

from cadre_rules.codes import (
    AttestationKind,
    BodyKind,
    CheckOutcome,
    CommitteeLevel,
    ConsultationWith,
    EducationLevel,
    Grade,
    Kinship,
    Level,
    MeetingKind,
    MoveKind,
    NonVotingRole,
    Outcome,
    PostFunction,
    AvoidanceLevel,
    PriorMatter,
    ProbationResult,
    RecommendationForm,
    RecordStatus,
    Reply,
    Role,
    SanctionSystem,
    SelectionMethod,
    TeamRole,
    View,
    closed,
)
from cadre_rules.errors import ErrorKind, Problem, date_complaint

__all__ = ["Id", "Record", "AttestationKind", "CheckOutcome", "EducationLevel", "Grade", "Kinship", "Level",
           "MeetingKind", "MoveKind", "Outcome", "Role", "View"]

# Fields that were typed `Literal[...]` keep the inline JSON Schema of a literal (see codes.closed).
BodyKindCode = closed(BodyKind)
CommitteeLevelCode = closed(CommitteeLevel)
ConsultationWithCode = closed(ConsultationWith)
NonVotingRoleCode = closed(NonVotingRole)
PostFunctionCode = closed(PostFunction)
AvoidanceLevelCode = closed(AvoidanceLevel)
PriorMatterCode = closed(PriorMatter)
ProbationResultCode = closed(ProbationResult)
RecommendationFormCode = closed(RecommendationForm)
RecordStatusCode = closed(RecordStatus)
ReplyCode = closed(Reply)
SanctionSystemCode = closed(SanctionSystem)
SelectionMethodCode = closed(SelectionMethod)
TeamRoleCode = closed(TeamRole)

Id = Annotated[str, StringConstraints(min_length=1, max_length=128, strip_whitespace=True)]


def _not_yes_no(value: Any) -> Any:
    """Why: pydantic's lax integers read `true` as 1, so `"abstain": true` (a JSON writer's slip) or
    `votes: yes` (YAML 1.1's true) became a vote or a head count the record never gave. Refused as
    pydantic refuses a boolean in strict mode (`int_type`); the documented lax readings (`"2"`, `2.0`)
    stay."""
    if value is True or value is False:
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


WholeNumber = Annotated[int, BeforeValidator(_not_yes_no)]  # every count, year, order and quota of the models
# The optional ones: `WholeNumber | None` would put a field's bound (`ge`) in its JSON schema as `ge`,
# not `minimum` (pydantic 2.14), and the service's OpenAPI document would no longer be valid.
WholeNumberOrNone = Annotated[int | None, BeforeValidator(_not_yes_no)]


class YearMonth:
    """A date known only to the month (`1980-05`), as appointment forms and many records give it.

    Written `YYYY-MM` in case files. It is a range of days, never a guessed day: the facts layer
    counts with its first and last day (facts/periods.py) and gives `unknown` when the two disagree."""

    __slots__ = ("year", "month")
    _PATTERN = re.compile(r"(\d{4})-(\d{2})")

    def __init__(self, year: int, month: int) -> None:
        if not 1 <= month <= 12 or not 1 <= year <= 9999:
            raise ValueError(Problem(ErrorKind.no_such_month, month=f"{year:04d}-{month:02d}"))
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
        raise ValueError(Problem(ErrorKind.month_format))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="always"))

    @classmethod
    def __get_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "description": "a month, YYYY-MM"}

    __get_pydantic_json_schema__ = __get_json_schema__


#: the text of a day, YYYY-MM-DD: the one pattern for it (case files, live events, the service's requests);
#: `date.fromisoformat` then reads it (Python 3.11's alone also takes week and compact dates)
DAY_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day_or_month(value: Any) -> "date | YearMonth":
    if isinstance(value, YearMonth) or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 7 and YearMonth._PATTERN.fullmatch(text):  # (the pattern matches 7 characters)
            return YearMonth.parse(text)
        if DAY_TEXT.fullmatch(text):
            try:
                return date.fromisoformat(text)
            except ValueError as exc:
                raise ValueError(Problem(ErrorKind.not_a_date, detail=date_complaint(str(exc)))) from None
    raise ValueError(Problem(ErrorKind.date_format))


# A person's date as sources give it: a day, or only the month (`1980-05`).
DayOrMonth = Annotated[
    date | YearMonth,
    PlainValidator(_day_or_month),
    PlainSerializer(lambda v: v.isoformat() if isinstance(v, date) else str(v), when_used="json"),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"},
                              {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}],
                    "description": "a day YYYY-MM-DD, or the month alone YYYY-MM"}),
]


class MonthDate(date):
    """The date of an act of the procedure known only to the month (`2009-05`), as 全程纪实 spreadsheets
    often give it.

    It is a `date` (the month's first day) so that everything that only orders or groups acts (reports,
    the annual report, the reader's chronology checks through `surely_before`) keeps working; it prints
    and serialises as `YYYY-MM`, and arithmetic on it gives plain dates. It is never judged as that first
    day: the facts layer (facts/months.py) derives the facts for the days of the month and keeps a value
    only where every day agrees, otherwise `unknown` naming this field and its month."""

    __slots__ = ()

    def __new__(cls, year: int, month: int, day: int = 1) -> "MonthDate":
        return date.__new__(cls, year, month, 1)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"MonthDate({self.year}, {self.month})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (MonthDate, (self.year, self.month))

    # Arithmetic gives plain dates (from the first day): a day counted from a month is not a month.
    def __add__(self, other: Any) -> Any:
        return self.first_day + other

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        return self.first_day - other

    def replace(self, *args: Any, **kwargs: Any) -> date:  # type: ignore[override]
        return self.first_day.replace(*args, **kwargs)


def act_day_or_month(value: Any) -> Any:
    """`YYYY-MM` → MonthDate; anything else goes on to pydantic's own date validation (same messages)."""
    # A day (`YYYY-MM-DD`, ten characters) is the common case: the month pattern matches seven
    # characters, so a text of ten or more is tried only when it has spaces around it.
    if isinstance(value, str) and (len(value) < 10 or value[:1].isspace() or value[-1:].isspace()):
        text = value.strip()
        if YearMonth._PATTERN.fullmatch(text):
            month = YearMonth.parse(text)
            return MonthDate(month.year, month.month)
    return value


# The date of an act of the procedure: a day, or only the month (`2009-05`) when the record gives no day.
ActDate = Annotated[
    date,
    BeforeValidator(act_day_or_month),
    PlainSerializer(lambda v: v.isoformat(), when_used="json"),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"},
                              {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}],
                    "description": "a day YYYY-MM-DD, or the month alone YYYY-MM"}),
]


def surely_before(a: date, b: date) -> bool:
    """`a` is before `b` on every day each may be (a MonthDate is any day of its month): the reader's
    chronology checks refuse only what is impossible."""
    if isinstance(a, MonthDate) or isinstance(b, MonthDate):
        return (a.year, a.month) < (b.year, b.month)
    return a < b


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
