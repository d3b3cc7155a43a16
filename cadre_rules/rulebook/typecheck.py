"""Static checks of a parsed condition against the fact schema: every name known, every type right.

A rulebook that references an unknown field, compares a date with a number or quantifies over an
unknown fact type never loads; the error carries the column so the loader can say file:line.

Code fields (a `FieldType` with `codes`, e.g. `item.kind` draws from MeetingKind) are checked too: a
text literal compared with one (==, !=, in/not in a list, either side) must be one of its codes, so a
misspelt "decison" is refused at load time with the nearest code, instead of silently matching nothing.
"""
from __future__ import annotations

import difflib
from datetime import date
from typing import Iterator, Mapping

from cadre_rules.codes import Code
from cadre_rules.facts import FieldType
from cadre_rules.rulebook import ir
from cadre_rules.errors import ErrorKind as _K, Problem, Said, condition_kind as _kind, condition_kinds, names
from cadre_rules.rulebook.expr import ParseError

NUMERIC = {"int", "num"}


def literal_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "num"
    if isinstance(value, date):
        return "date"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "list"
    raise TypeError(f"unsupported literal {value!r}")


class TypeChecker:
    def __init__(self, schema: Mapping[str, Mapping[str, FieldType]], params: Mapping[str, str]) -> None:
        self.schema = schema
        self.params = params

    def check(self, node: ir.Node, scope: Mapping[str, str], expect: str | None = "bool") -> str:
        kind = self.kind(node, dict(scope))
        if expect and kind != expect and not (expect == "num" and kind == "int"):
            raise ParseError(Problem(_K.condition_wrong_type, expected=_kind(expect), kind=_kind(kind)), node.col)
        return kind

    def kind(self, node: ir.Node, scope: dict[str, str]) -> str:
        match node:
            case ir.Literal(value=value):
                return literal_kind(value)
            case ir.FieldRef(alias=alias, name=name, col=col):
                if alias not in scope:
                    raise ParseError(Problem(_K.condition_unknown_alias, alias=repr(alias), known=names(sorted(scope))), col)
                fields = self.schema[scope[alias]]
                if name not in fields:
                    raise ParseError(Problem(_K.condition_unknown_field, field=f"{alias}.{name}", fact_type=repr(scope[alias]),
                                             known=", ".join(sorted(fields))), col)
                return fields[name].kind
            case ir.ParamRef(name=name, col=col):
                if name not in self.params:
                    raise ParseError(Problem(_K.condition_unknown_parameter, name=name, known=names(sorted(self.params))), col)
                return self.params[name]
            case ir.ListExpr(items=items, col=col):
                kinds = {self.kind(i, scope) for i in items}
                if len(kinds - {"null"}) > 1:
                    raise ParseError(Problem(_K.condition_mixed_list, kinds=condition_kinds(sorted(kinds))), col)
                return "list"
            case ir.Neg(operand=operand, col=col):
                k = self.kind(operand, scope)
                if k not in NUMERIC:
                    raise ParseError(Problem(_K.condition_cannot_negate, kind=_kind(k)), col)
                return k
            case ir.Arith(op=op, left=left, right=right, col=col):
                lk, rk = self.kind(left, scope), self.kind(right, scope)
                if lk not in NUMERIC or rk not in NUMERIC:
                    raise ParseError(Problem(_K.condition_arithmetic, op=repr(op), left=_kind(lk), right=_kind(rk)), col)
                return "num" if op == "/" or "num" in (lk, rk) else "int"
            case ir.Compare(op=op, left=left, right=right, col=col):
                lk, rk = self.kind(left, scope), self.kind(right, scope)
                self.check_codes(node, scope)
                if op in ("in", "not_in"):
                    if rk != "list":
                        raise ParseError(Problem(_K.condition_in_needs_list, op=f"'{op.replace('_', ' ')}'", right=_kind(rk)), col)
                    if lk not in ("str", "int", "num"):
                        raise ParseError(Problem(_K.condition_in_needs_value, op=f"'{op.replace('_', ' ')}'", left=_kind(lk)), col)
                    return "bool"
                if "null" in (lk, rk):
                    if op not in ("==", "!="):
                        raise ParseError(Problem(_K.condition_null_order, op=op), col)
                    return "bool"
                same = lk == rk or {lk, rk} <= NUMERIC
                if not same:
                    raise ParseError(Problem(_K.condition_cannot_compare, left=_kind(lk), right=_kind(rk)), col)
                if op not in ("==", "!=") and lk in ("bool", "list"):
                    raise ParseError(Problem(_K.condition_cannot_order, op=op, kind=_kind(lk)), col)
                return "bool"
            case ir.BoolOp(op=op, items=items):
                for item in items:
                    k = self.kind(item, scope)
                    if k != "bool":
                        raise ParseError(Problem(_K.condition_bool_operands, op=f"'{op}'", kind=_kind(k)), item.col)
                return "bool"
            case ir.Not(operand=operand, col=col):
                k = self.kind(operand, scope)
                if k != "bool":
                    raise ParseError(Problem(_K.condition_not_operand, kind=_kind(k)), col)
                return "bool"
            case ir.Call(name="len", args=args, col=col):
                if len(args) != 1 or self.kind(args[0], scope) != "list":
                    raise ParseError(Problem(_K.condition_len_argument), col)
                return "int"
            case ir.Exists(fact_type=fact_type, alias=alias, cond=cond, col=col):
                if fact_type not in self.schema:
                    raise ParseError(Problem(_K.condition_unknown_fact_type, fact_type=repr(fact_type),
                                             known=", ".join(sorted(self.schema))), col)
                if alias in scope:
                    raise ParseError(Problem(_K.condition_alias_bound, alias=repr(alias)), col)
                inner = dict(scope)
                inner[alias] = fact_type
                k = self.kind(cond, inner)
                if k != "bool":
                    raise ParseError(Problem(_K.condition_where_type, kind=_kind(k)), cond.col)
                return "bool"
        raise ParseError(Problem(_K.condition_unsupported, type=type(node).__name__), getattr(node, "col", 0))

    def codes_of(self, node: ir.Node, scope: Mapping[str, str]) -> tuple[type[Code], str] | None:
        """The code list of a field reference (of its items, for a list field), with the field's name."""
        if isinstance(node, ir.FieldRef) and node.alias in scope:
            ft = self.schema[scope[node.alias]].get(node.name)
            if ft is not None and ft.codes is not None:
                return ft.codes, f"{node.alias}.{node.name}"
        return None

    def code_pairs(self, node: ir.Compare, scope: Mapping[str, str]) -> Iterator[tuple[ir.Literal, type[Code], str]]:
        """The text literals a comparison holds against a code field: (literal, its code list, field name)."""
        left, right = node.left, node.right
        pairs: list[tuple[tuple[type[Code], str] | None, ir.Node]] = []
        if node.op in ("==", "!="):
            pairs = [(self.codes_of(left, scope), right), (self.codes_of(right, scope), left)]
        elif node.op in ("in", "not_in"):
            field = self.codes_of(left, scope)
            if field is not None and isinstance(right, ir.ListExpr):
                pairs = [(field, item) for item in right.items]  # item.kind in ["decision", ...]
            elif isinstance(left, ir.Literal):
                pairs = [(self.codes_of(right, scope), left)]  # "breakthrough" in item.approved_matters
        for field, other in pairs:
            if field is not None and isinstance(other, ir.Literal) and isinstance(other.value, str):
                yield other, field[0], field[1]

    def check_codes(self, node: ir.Compare, scope: Mapping[str, str]) -> None:
        """Text literals compared with a code field must be codes of its list (see the module doc)."""
        for literal, codes, name in self.code_pairs(node, scope):
            if literal.value not in codes.values():
                raise ParseError(unknown_code_message(str(literal.value), codes, name), literal.col or node.col)

    def code_literals(self, node: ir.Node, scope: Mapping[str, str]) -> Iterator[tuple[ir.Literal, type[Code], str]]:
        """Every text literal a (type-correct) condition compares with a code field, in source order."""
        match node:
            case ir.Exists(fact_type=fact_type, alias=alias, cond=cond):
                yield from self.code_literals(cond, {**scope, alias: fact_type})
                return
            case ir.Compare():
                yield from self.code_pairs(node, scope)
        for f in node.__dataclass_fields__:
            value = getattr(node, f)
            for child in value if isinstance(value, tuple) else (value,):
                if hasattr(child, "__dataclass_fields__"):
                    yield from self.code_literals(child, scope)


def unknown_code_message(value: str, codes: type[Code], field: str) -> Problem:
    """E.g. "'decison' is not a code of item.kind (MeetingKind); did you mean 'decision'? (codes: …)"."""
    close = difflib.get_close_matches(value, codes.values(), n=1, cutoff=0.5)
    near = Said(f"; did you mean '{close[0]}'?", f"（是否应为 '{close[0]}'？）") if close else ""
    return Problem(_K.condition_unknown_code, value=value, field=field, codes=codes.__name__, near=near,
                   known=", ".join(codes.values()))


def free_aliases(node: ir.Node, bound: frozenset[str] = frozenset()) -> set[str]:
    """Aliases a condition reads that it does not bind itself (for planning and for backends)."""
    match node:
        case ir.FieldRef(alias=alias):
            return set() if alias in bound else {alias}
        case ir.Exists(alias=alias, cond=cond):
            return free_aliases(cond, bound | {alias})
    out: set[str] = set()
    for f in node.__dataclass_fields__:
        value = getattr(node, f)
        children = value if isinstance(value, tuple) else (value,)
        for child in children:
            if hasattr(child, "__dataclass_fields__"):
                out |= free_aliases(child, bound)
    return out
