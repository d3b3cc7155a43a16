"""The intermediate representation of rule conditions.

Both evaluators compile from this IR and nothing else: the default Python evaluator and the
durable_rules backend. Nodes are immutable and carry the source column for error messages.
`to_dict` gives a plain, JSON-able form for tools and for other backends.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, Union

Node = Union["Literal", "FieldRef", "ParamRef", "ListExpr", "Compare", "Arith", "Neg", "BoolOp", "Not", "Call", "Exists"]


@dataclass(frozen=True)
class Literal:
    value: str | int | float | bool | date | None
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class FieldRef:
    alias: str
    name: str
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class ParamRef:
    name: str
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class ListExpr:
    items: tuple[Node, ...]
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Compare:
    op: str  # == != < <= > >= in not_in
    left: Node
    right: Node
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Arith:
    op: str  # + - * / (true division)
    left: Node
    right: Node
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Neg:
    operand: Node
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class BoolOp:
    op: str  # and | or
    items: tuple[Node, ...]
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Not:
    operand: Node
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Call:
    name: str  # len
    args: tuple[Node, ...]
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Exists:
    """`exists T as a where cond`: some fact of type T satisfies cond (with a bound to it).

    Absence is `not exists ...`; the quantified alias may join with the rule's outer aliases.
    """

    fact_type: str
    alias: str
    cond: Node
    col: int = field(default=0, compare=False)


def to_dict(node: Any) -> Any:
    """A JSON-able form of an IR tree: {"node": class name, ...fields}; dates as ISO strings."""
    if isinstance(node, tuple):
        return [to_dict(n) for n in node]
    if isinstance(node, date):
        return {"date": node.isoformat()}
    if hasattr(node, "__dataclass_fields__"):
        out: dict[str, Any] = {"node": type(node).__name__}
        for f in fields(node):
            if f.name != "col":
                out[f.name] = to_dict(getattr(node, f.name))
        return out
    return node


def walk(node: Any):
    """Every node of a tree, parents before children."""
    yield node
    for f in fields(node):
        value = getattr(node, f.name)
        if isinstance(value, tuple):
            for v in value:
                yield from walk(v)
        elif hasattr(value, "__dataclass_fields__"):
            yield from walk(value)
