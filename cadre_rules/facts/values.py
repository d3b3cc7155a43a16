"""The values facts are made of: plain dicts, typed fields, and `Unknown` for what cannot be derived."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from cadre_rules.codes import Code

Fact = dict[str, Any]
FactSet = dict[str, list[Fact]]


class MonthFacts(dict):  # type: ignore[type-arg]
    """The facts of a case with acts dated to the month only (facts/months.py): a FactSet in which any
    field may be `Unknown`, whatever the schema says; the evaluators judge it with every field tested."""


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be derived; `reason` (English) and `reason_zh` name the field and why."""

    reason: str
    reason_zh: str = ""
    # The least and the most it can be, when that is known: for a date known only as a range of days
    # (an act dated to the month) its first and last day, so that the edition in force can still be
    # chosen when every day of the range falls under one; for a count whose members the days of such
    # an act decide (the decisions in a window), the fewest and the most. A comparison every value of
    # the range decides alike is made (engine/codegen.py range_compare); a message shows the range.
    days: "tuple[date, date] | tuple[int, int] | None" = None

    def __str__(self) -> str:
        return f"<unknown: {self.reason}>"


@dataclass(frozen=True)
class FieldType:
    """The type of a fact field as the rule language sees it.

    `codes` is the code list (cadre_rules/codes.py) a text field's values, or a list field's items,
    are drawn from: the type checker rejects a rule literal compared with such a field that is not
    one of its codes, and Chinese messages show the code's Chinese name."""

    kind: str  # str | int | num | bool | date | list
    nullable: bool = False
    may_be_unknown: bool = False
    doc: str = ""
    codes: type[Code] | None = None

    @property
    def type_name(self) -> str:
        """The type as docs show it: `code(MoveKind)`, `list of code(PriorMatter)`, or the kind."""
        if self.codes is None:
            return self.kind
        code = f"code({self.codes.__name__})"
        return code if self.kind == "str" else f"{self.kind} of {code}"
