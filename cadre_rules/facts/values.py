"""The values facts are made of: plain dicts, typed fields, and `Unknown` for what cannot be derived."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Fact = dict[str, Any]
FactSet = dict[str, list[Fact]]


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be derived; `reason` (English) and `reason_zh` name the field and why."""

    reason: str
    reason_zh: str = ""

    def __str__(self) -> str:
        return f"<unknown: {self.reason}>"


@dataclass(frozen=True)
class FieldType:
    """The type of a fact field as the rule language sees it."""

    kind: str  # str | int | num | bool | date | list
    nullable: bool = False
    may_be_unknown: bool = False
    doc: str = ""
