"""The values facts are made of: plain dicts, typed fields, and `Unknown` for what cannot be derived."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, ClassVar

from cadre_rules.codes import Code

Fact = dict[str, Any]
FactSet = dict[str, list[Fact]]


class MonthFacts(dict):  # type: ignore[type-arg]
    """The facts of a case with acts dated to the month only (facts/months.py): a FactSet in which any
    field may be `Unknown`, whatever the schema says; the evaluators judge it with every field tested."""


class LazyFact(dict):  # type: ignore[type-arg]
    """A fact some of whose fields are computed when first read (`fact[name]`, `fact.get(name)`).

    Why: a rulebook reads some fields only when a finding is made (a pending condition, a message): the
    auditor's derivation (engine/fused.py) computes them then, not for every record — a working-day
    count read by RPT-FILING's pending condition alone was computed for every appointment. The builders
    that make these (facts/compose.py) make one subclass per fact type and set of fields, whose `THUNKS`
    give each deferred field its facts-layer function and which of `args` (the values it needs, kept
    when the fact was built) are its arguments; `FIELDS` is the fact's field order. The value is the
    function's, the one the eager derivation computes (tests/engine/test_fused.py compares them).

    Only the fused path makes these; every other derivation (and anything that compares, serialises or
    iterates facts) has plain dicts: `complete()` gives the plain dict, every field computed."""

    __slots__ = ("args",)
    THUNKS: ClassVar[dict[str, tuple[Callable[..., Any], int, int]]] = {}
    FIELDS: ClassVar[tuple[str, ...]] = ()

    def __missing__(self, key: str) -> Any:
        thunk = self.THUNKS.get(key)
        if thunk is None:
            raise KeyError(key)
        function, start, stop = thunk
        value = self[key] = function(*self.args[start:stop])
        return value

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key in self or key in self.THUNKS:
            return self[key]
        return default

    def complete(self) -> Fact:
        """The fact as a plain dict in its field order, every deferred field computed."""
        return {name: self[name] for name in self.FIELDS}


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be derived; `reason` (English) and `reason_zh` name the field and why."""

    reason: str
    reason_zh: str = ""
    # For a date known only as a range of days (an act dated to the month): its first and last day, so
    # that the edition in force can still be chosen when every day of the range falls under one.
    days: "tuple[date, date] | None" = None

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
