"""Rule IR compiled to durable_rules ruleset JSON, following the safe recipe.

This module is pure Python (it never imports durable_rules): it decides which rules the Rete engine
can judge exactly like the reference evaluator, and writes them in the engine's JSON grammar with the
rewrites that the measured defects of stock 2.0.28 make necessary (docs/engines.md, "The stock
durable_rules 2.0.28: what was measured"):

* every join pattern ends with an always-true join test (the *sentinel*, defect 1);
* no join test inside or after a nested group: conditions are split into one engine rule per
  combination of joined `or` branches (capped), join-free groups go after the sentinel (defect 2);
* every rule with an absence (`$not`) starts on a `$gate` fact the driver asserts last (defect 3);
* one always-firing rule on the gate, so every session runs an action (defect 4);
* validations the engine does not do: property-name hash collisions, integer ranges for exact
  arithmetic, string ordering, list membership, mixed-type equality joins, references to aliases.

Semantics are those of the Python evaluator without unknowns: every comparison is expanded into
what makes it true (T) and what makes it false (F), with null (a missing property) handled
explicitly, so the engine never compares a missing value. Dates become day ordinals, `/` is done in
floating point (the engine's `$div` on two integers truncates), and parameters are folded into
constants, one engine rule per set of parameter values with a test on the act date.

Lists: `len(a.list)` and `literal in a.list` become properties the driver derives before asserting
the fact (`Derived`); `x in a.list` for a value x of another fact becomes a join with the list's
members, which the driver asserts as facts of their own type (`member_type`). Every rule has
`"dist": 0`: one fact may stand for several patterns, as in Python (the engine's default also keeps
a fact already in the frame from blocking a `$not`).

A rule that cannot be expressed exactly (Kleene unknowns, nested absence, too many branches, ...)
is marked for the Python evaluator, with the reason. At load, the alpha network the engine will
build is rebuilt here and checked against the engine's limits (the 64-entry stack per fact above
all); a rule that would exceed one is left to Python too.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping, Sequence

from cadre_rules.facts import REGISTER_SCHEMA, FieldType
from cadre_rules.facts import SCHEMA as _CASE_SCHEMA

# Case facts and the register's cross-case facts (rules with `scope: register`): both compile alike.
SCHEMA = {**_CASE_SCHEMA, **REGISTER_SCHEMA}
from cadre_rules.facts.periods import next_day, previous_day
from cadre_rules.rulebook import ir
from cadre_rules.rulebook.editions import citations_in_force
from cadre_rules.rulebook.model import Edition, Rule

GATE_TYPE = "$gate"
DONE_RULE = "$done"
TYPE_FIELD = "_t"
ZERO_FIELD = "_z"
SID = "c"
MAX_BRANCHES = 8  # engine rules per source rule (all edition variants together)
VALUE_BOUND = 10_000_000  # |int| and |num| fact values the engine may judge (exact in int64 and double)
MIN_FLOAT = 1e-6  # smallest non-zero |num| value (keeps divisions finite)
MAX_STRING_BYTES = 8192  # property values are measured in unsigned shorts inside the engine
EXACT = 2 ** 53
MAX_PROPERTIES = 200  # properties of one fact (the engine's limit is 255, and it does not check on every path)
MAX_PATTERNS = 15  # patterns of one engine rule (a frame holds 16 facts: MAX_MESSAGE_FRAMES)
MAX_SEQUENCE_EXPRESSIONS = 32  # per pattern: join tests + 2 per $and/$or (the engine refuses the ruleset at 32)
MAX_ALPHA_STACK = 64  # the engine's alpha-network stack per fact (MAX_STACK_SIZE; error 303 beyond)


class Unsupported(Exception):
    """A rule (or part) that the engine cannot judge exactly; the message says why."""


# ---------------------------------------------------------------------------------------------
# Formulas in negation normal form over engine-level atoms.


@dataclass(frozen=True)
class Const:
    value: bool


@dataclass(frozen=True)
class Ex:
    """alias.name is present (not null)."""
    alias: str
    name: str


@dataclass(frozen=True)
class Nex:
    """alias.name is missing (null)."""
    alias: str
    name: str


@dataclass(frozen=True)
class Raw:
    """`left op right` on values known to be present; always conjoined with its guards."""
    op: str
    left: Any  # Term
    right: Any


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Exists:
    alias: str  # engine alias
    fact_type: str
    body: Any


@dataclass(frozen=True)
class NotExists:
    alias: str
    fact_type: str
    body: Any


# Terms: ("lit", value) | ("field", alias, name, kind) | ("arith", op, left, right) ; kind of a term is computed.

TRUE, FALSE = Const(True), Const(False)
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def conj(items) -> Any:
    out: list = []
    for item in items:
        if item == TRUE:
            continue
        if item == FALSE:
            return FALSE
        for sub in (item.items if isinstance(item, And) else (item,)):
            if sub not in out:
                out.append(sub)
    present = {(i.alias, i.name) for i in out if isinstance(i, Ex)}
    if any(isinstance(i, Nex) and (i.alias, i.name) in present for i in out):
        return FALSE  # a value both present and missing
    if not out:
        return TRUE
    return out[0] if len(out) == 1 else And(tuple(out))


def disj(items) -> Any:
    out: list = []
    for item in items:
        if item == FALSE:
            continue
        if item == TRUE:
            return TRUE
        for sub in (item.items if isinstance(item, Or) else (item,)):
            if sub not in out:
                out.append(sub)
    if not out:
        return FALSE
    return out[0] if len(out) == 1 else Or(tuple(out))


def term_aliases(term) -> set[str]:
    if term[0] == "field":
        return {term[1]}
    if term[0] == "arith":
        return term_aliases(term[2]) | term_aliases(term[3])
    return set()


def term_fields(term) -> list[tuple[str, str, str]]:
    if term[0] == "field":
        return [(term[1], term[2], term[3])]
    if term[0] == "arith":
        return term_fields(term[2]) + term_fields(term[3])
    return []


def term_kind(term) -> str:
    if term[0] == "lit":
        v = term[1]
        return "bool" if isinstance(v, bool) else "int" if isinstance(v, int) else "num" if isinstance(v, float) else "str"
    if term[0] == "field":
        return term[3]
    op, lk, rk = term[1], term_kind(term[2]), term_kind(term[3])
    return "num" if op == "/" or "num" in (lk, rk) else "int"


def atoms_aliases(f) -> set[str]:
    """Aliases referred to by a formula without quantifiers (None if it has one)."""
    if isinstance(f, Const):
        return set()
    if isinstance(f, (Ex, Nex)):
        return {f.alias}
    if isinstance(f, Raw):
        return term_aliases(f.left) | term_aliases(f.right)
    if isinstance(f, (And, Or)):
        out: set[str] = set()
        for item in f.items:
            sub = atoms_aliases(item)
            if sub is None:
                return None  # type: ignore[return-value]
            out |= sub
        return out
    return None  # type: ignore[return-value]


def negate(f) -> Any:
    """The semantic negation (raw comparisons keep their guards)."""
    if isinstance(f, Const):
        return Const(not f.value)
    if isinstance(f, Ex):
        return Nex(f.alias, f.name)
    if isinstance(f, Nex):
        return Ex(f.alias, f.name)
    if isinstance(f, Raw):
        guards = valid(f.left) , valid(f.right)
        return disj([negate(guards[0]), negate(guards[1]), conj([guards[0], guards[1], Raw(NEGATE[f.op], f.left, f.right)])])
    if isinstance(f, And):
        return disj([negate(i) for i in f.items])
    if isinstance(f, Or):
        return conj([negate(i) for i in f.items])
    if isinstance(f, Exists):
        return NotExists(f.alias, f.fact_type, f.body)
    if isinstance(f, NotExists):
        return Exists(f.alias, f.fact_type, f.body)
    raise TypeError(f)


def valid(term) -> Any:
    """The formula saying that a term has a value (is not null)."""
    if term[0] == "lit":
        return FALSE if term[1] is None else TRUE
    if term[0] == "field":
        alias, name, nullable = term[1], term[2], term[4]
        return Ex(alias, name) if nullable else TRUE
    op, left, right = term[1], term[2], term[3]
    parts = [valid(left), valid(right)]
    if op == "/":
        parts.append(raw_cmp("!=", right, ("lit", 0)))
    return conj(parts)


def raw_cmp(op: str, left, right) -> Any:
    """`left op right` given both present, folded when both are constants."""
    if left[0] == "lit" and right[0] == "lit":
        a, b = left[1], right[1]
        return Const({"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[op])
    return conj([valid(left), valid(right), Raw(op, left, right)])


# ---------------------------------------------------------------------------------------------
# IR → T/F formulas.


@dataclass(frozen=True)
class Derived:
    """A property the driver computes from a list field of a fact before asserting it: `len` is
    len(field); `has` is `literal in field` (exactly the Python evaluator's test)."""
    kind: str  # len | has
    source: str  # the list field
    literal: Any = None


def derived_name(source: str, kind: str, literal: Any = None) -> str:
    """The engine property of a derived value: `attested__len`, `attested__has__s_health`, ..."""
    if kind == "len":
        return f"{source}__len"
    tag = {bool: "b", int: "i", float: "f", str: "s"}.get(type(literal), "x")
    text = str(literal).lower() if isinstance(literal, bool) else str(literal)
    if tag == "x" or not re.fullmatch(r"[A-Za-z0-9_]{1,40}", text):
        text = "h" + hashlib.sha1(repr((type(literal).__name__, literal)).encode("utf-8")).hexdigest()[:16]
    return f"{source}__has__{tag}_{text}"


def member_type(fact_type: str, source: str) -> str:
    """The fact type of the members of a list field, asserted one fact per member (fields o, v)."""
    return f"{fact_type}.{source}"


MEMBER_OWNER, MEMBER_VALUE = "o", "v"


class _Builder:
    def __init__(self, rule: Rule, params: Mapping[str, Any]) -> None:
        self.rule = rule
        self.params = params
        self.counter = itertools.count(len(rule.match))
        self.types: dict[str, str] = {}  # engine alias → fact type
        self.derived: dict[str, dict[str, Derived]] = {}  # fact type → engine property → how to compute it
        self.members: dict[str, tuple[str, str]] = {}  # member fact type → (owner fact type, list field)
        self.unknown: set[tuple[str, str]] = set()  # (fact type, field) read here that may hold an unknown

    def _list_field(self, node: ir.FieldRef, env: Mapping[str, tuple[str, str]]) -> tuple[str, str, FieldType]:
        engine_alias, fact_type = env[node.alias]
        ft: FieldType = SCHEMA[fact_type][node.name]
        if ft.kind != "list":
            raise Unsupported(f"{node.alias}.{node.name} is not a list")
        if ft.may_be_unknown:
            raise Unsupported(f"{node.alias}.{node.name} may be unknown (three-valued logic is judged in Python)")
        return engine_alias, fact_type, ft

    def _derive(self, fact_type: str, derived: Derived) -> str:
        name = derived_name(derived.source, derived.kind, derived.literal)
        if name in SCHEMA[fact_type]:
            raise Unsupported(f"derived property {name} would shadow a field of {fact_type}")
        known = self.derived.setdefault(fact_type, {}).setdefault(name, derived)
        if known != derived:
            raise Unsupported(f"derived property {name} would stand for two values")
        return name

    def _constant(self, node) -> tuple[bool, Any]:
        """(True, the Python value) for a literal or a parameter, else (False, None)."""
        if isinstance(node, ir.Literal):
            return True, node.value
        if isinstance(node, ir.ParamRef):
            return True, self.params[node.name]
        return False, None

    def term(self, node, env: Mapping[str, tuple[str, str]]):
        match node:
            case ir.Literal(value=value):
                if isinstance(value, date):
                    return ("lit", value.toordinal())
                return ("lit", value)
            case ir.ParamRef(name=name):
                value = self.params[name]
                if isinstance(value, date):
                    return ("lit", value.toordinal())
                if value is not None and not isinstance(value, (bool, int, float, str)):
                    raise Unsupported(f"parameter {name} has a value of type {type(value).__name__}")
                return ("lit", value)
            case ir.FieldRef(alias=alias, name=name):
                engine_alias, fact_type = env[alias]
                ft: FieldType = SCHEMA[fact_type][name]
                if ft.may_be_unknown:
                    # with every value known, three-valued logic is two-valued: the engine judges the rule;
                    # in a case where this field holds an unknown, the driver judges the rule in Python
                    self.unknown.add((fact_type, name))
                if ft.kind == "list":
                    raise Unsupported(f"{alias}.{name} is a list (lists are judged in Python)")
                kind = "int" if ft.kind == "date" else ft.kind
                return ("field", engine_alias, name, kind, ft.nullable, ft.kind)
            case ir.Arith(op=op, left=left, right=right):
                lt, rt = self.term(left, env), self.term(right, env)
                if lt[0] == "lit" and rt[0] == "lit":
                    a, b = lt[1], rt[1]
                    if a is None or b is None or (op == "/" and b == 0):
                        return ("lit", None)
                    return ("lit", {"+": a + b, "-": a - b, "*": a * b, "/": a / b if op == "/" else None}[op])
                return ("arith", op, lt, rt)
            case ir.Neg(operand=operand):
                t = self.term(operand, env)
                if t[0] == "lit":
                    return ("lit", None if t[1] is None else -t[1])
                return ("arith", "*", t, ("lit", -1))
            case ir.Call(name="len", args=(ir.FieldRef() as arg,)):
                # the driver asserts len(list) as an integer property (missing where the list is null)
                engine_alias, fact_type, ft = self._list_field(arg, env)
                name = self._derive(fact_type, Derived("len", arg.name))
                return ("field", engine_alias, name, "int", ft.nullable, "int")
            case ir.Call(name=name):
                raise Unsupported(f"{name}() of anything but a list field is judged in Python")
            case ir.ListExpr():
                raise Unsupported("a list outside 'in' is judged in Python")
        raise Unsupported(f"{type(node).__name__} is not a value the engine can compute")

    def tf(self, node, env: Mapping[str, tuple[str, str]]) -> tuple[Any, Any]:
        """(formula that the node is true, formula that it is false)."""
        match node:
            case ir.Literal(value=value) if isinstance(value, bool):
                return Const(value), Const(not value)
            case ir.BoolOp(op="and", items=items):
                parts = [self.tf(i, env) for i in items]
                return conj(p[0] for p in parts), disj(p[1] for p in parts)
            case ir.BoolOp(op="or", items=items):
                parts = [self.tf(i, env) for i in items]
                return disj(p[0] for p in parts), conj(p[1] for p in parts)
            case ir.Not(operand=operand):
                t, f = self.tf(operand, env)
                return f, t
            case ir.Exists(fact_type=fact_type, alias=alias, cond=cond):
                engine_alias = f"a{next(self.counter)}"
                self.types[engine_alias] = fact_type
                inner = dict(env)
                inner[alias] = (engine_alias, fact_type)
                body, _ = self.tf(cond, inner)
                return Exists(engine_alias, fact_type, body), NotExists(engine_alias, fact_type, body)
            case ir.Compare(op=op, left=left, right=right):
                return self.compare(op, left, right, env)
            case ir.FieldRef():
                t = self.term(node, env)
                if t[5] != "bool":
                    raise Unsupported(f"{node.alias}.{node.name} used as a condition is not true/false")
                true = raw_cmp("==", t, ("lit", True))
                false = disj([negate(valid(t)), raw_cmp("==", t, ("lit", False))])
                return true, false
            case ir.ParamRef():
                value = self.params[node.name]
                return Const(bool(value)), Const(not value)
        raise Unsupported(f"{type(node).__name__} is not a condition the engine can judge")

    def compare(self, op: str, left, right, env) -> tuple[Any, Any]:
        if op in ("in", "not_in"):
            if isinstance(right, ir.FieldRef):
                return self.in_list_field(op, left, right, env)
            if not isinstance(right, ir.ListExpr):
                raise Unsupported("membership in a computed list is judged in Python")
            lt = self.term(left, env)
            self._check_pair("==", lt, None)
            items = [self.term(i, env) for i in right.items]
            members = []
            for it in items:
                if it[0] == "lit" and it[1] is None:
                    continue  # None is never equal to a present value
                self._check_pair("==", lt, it)
                members.append(raw_cmp("==", lt, it))
            is_in = conj([valid(lt), disj(members)])
            not_in = conj([valid(lt)] + [negate(m) for m in members])
            return (is_in, disj([negate(valid(lt)), is_in])) if op == "in" else (not_in, disj([negate(valid(lt)), is_in]))
        lt, rt = self.term(left, env), self.term(right, env)
        self._check_pair(op, lt, rt)
        vl, vr = valid(lt), valid(rt)
        nl, nr = negate(vl), negate(vr)
        if op == "==":
            if lt[0] == "lit" and lt[1] is None:
                return nr, vr
            if rt[0] == "lit" and rt[1] is None:
                return nl, vl
            true = disj([raw_cmp("==", lt, rt), conj([nl, nr])])
            false = disj([raw_cmp("!=", lt, rt), conj([vl, nr]), conj([nl, vr])])
            return true, false
        if op == "!=":
            t, f = self.compare("==", left, right, env)
            return f, t
        if (lt[0] == "lit" and lt[1] is None) or (rt[0] == "lit" and rt[1] is None):
            return FALSE, TRUE
        return raw_cmp(op, lt, rt), disj([nl, nr, raw_cmp(NEGATE[op], lt, rt)])

    def in_list_field(self, op: str, left, right: ir.FieldRef, env) -> tuple[Any, Any]:
        """`x in a.list` / `x not in a.list`. Python: False (for both) when x or the list is null.

        A constant x (literal or parameter) becomes a derived true/false property of the list's fact;
        any other x a join with the list's members, asserted as facts of their own type."""
        engine_alias, fact_type, ft = self._list_field(right, env)
        constant, value = self._constant(left)
        if constant:
            if value is None:
                return FALSE, TRUE
            flag = ("field", engine_alias, self._derive(fact_type, Derived("has", right.name, value)), "bool",
                    ft.nullable, "bool")
            yes, no = raw_cmp("==", flag, ("lit", True)), raw_cmp("==", flag, ("lit", False))
            absent = negate(valid(flag))
            return (yes, disj([absent, no])) if op == "in" else (no, disj([absent, yes]))
        if ft.nullable:
            raise Unsupported(f"membership in {right.alias}.{right.name}, which may be null, is judged in Python")
        lt = self.term(left, env)
        if term_kind(lt) != "str" or lt[0] != "field":
            raise Unsupported("membership of a value that is not a text field in a fact's list is judged in Python")
        mtype = member_type(fact_type, right.name)
        self.members[mtype] = (fact_type, right.name)
        m = f"a{next(self.counter)}"
        self.types[m] = mtype
        owner = Raw("==", ("field", m, MEMBER_OWNER, "str", False, "str"), ("field", engine_alias, "id", "str", False, "str"))
        body = conj([owner, Raw("==", ("field", m, MEMBER_VALUE, "str", False, "str"), lt)])
        present = valid(lt)
        found = conj([present, Exists(m, mtype, body)])
        missing = conj([present, NotExists(m, mtype, body)])
        if op == "in":
            return found, disj([negate(present), missing])
        return missing, disj([negate(present), found])

    def _check_pair(self, op: str, lt, rt) -> None:
        """Validations the engine does not do: text ordering, exact ranges."""
        for t in (lt, rt):
            if t is None:
                continue
            if op not in ("==", "!=") and term_kind(t) == "str" and not (t[0] == "lit" and t[1] is None):
                raise Unsupported("ordering of texts is judged in Python (the engine compares raw JSON bytes)")
            if t[0] == "lit" and isinstance(t[1], (int, float)) and not isinstance(t[1], bool) and abs(t[1]) > VALUE_BOUND:
                raise Unsupported(f"constant {t[1]} is outside the range the engine computes exactly")
            if t[0] == "arith" and bound(t) >= EXACT:
                raise Unsupported("arithmetic may leave the range the engine computes exactly")


def bound(term) -> float:
    if term[0] == "lit":
        return abs(term[1]) if isinstance(term[1], (int, float)) and term[1] is not None else 0
    if term[0] == "field":
        return VALUE_BOUND
    op, a, b = term[1], bound(term[2]), bound(term[3])
    if op in "+-":
        return a + b
    if op == "*":
        return a * b
    return a / MIN_FLOAT


# ---------------------------------------------------------------------------------------------
# Formulas → branches (conjunctions of items) → engine patterns.


def single_alias(f) -> str | None:
    """The alias of a quantifier-free formula on exactly one fact, else None."""
    aliases = atoms_aliases(f)
    if aliases is None or len(aliases) != 1:
        return None
    alias = next(iter(aliases))
    return alias if _alpha_only(f) else None


def _alpha_only(f) -> bool:
    if isinstance(f, Raw):
        return len(term_aliases(f.left) | term_aliases(f.right)) == 1
    if isinstance(f, (And, Or)):
        return all(_alpha_only(i) for i in f.items)
    return isinstance(f, (Ex, Nex, Const))


def branches(f, cap: int) -> list[list]:
    """Disjunctive split: a list of conjunctions; single-fact groups are kept whole."""
    if isinstance(f, Const):
        return [[]] if f.value else []
    if isinstance(f, (Ex, Nex, Raw)) or single_alias(f) is not None:
        return [[f]]
    if isinstance(f, Or):
        grouped: dict[str, list] = {}
        rest: list = []
        for item in f.items:
            alias = single_alias(item)
            if alias is not None:
                grouped.setdefault(alias, []).append(item)
            else:
                rest.append(item)
        out: list[list] = [[disj(items)] for items in grouped.values()]
        for item in rest:
            out.extend(branches(item, cap))
            if len(out) > cap:
                raise Unsupported(f"the condition splits into more than {cap} engine rules")
        return out
    if isinstance(f, And):
        result: list[list] = [[]]
        for item in f.items:
            sub = branches(item, cap)
            result = [c for a in result for b in sub if (c := _merge(a, b)) is not None]
            if len(result) > cap:
                raise Unsupported(f"the condition splits into more than {cap} engine rules")
        return result
    if isinstance(f, Exists):
        return [[Exists(f.alias, f.fact_type, conj(b))] for b in branches(f.body, cap)]
    if isinstance(f, NotExists):
        # not exists (D1 or D2) = not exists D1 and not exists D2; each Dk split into outer and inner items
        result = [[]]
        for body in branches(f.body, cap):
            inner, outer = [], []
            for item in body:
                if isinstance(item, (Exists, NotExists)):
                    raise Unsupported("a quantifier inside an absence is judged in Python")
                (inner if f.alias in atoms_aliases(item) else outer).append(item)
            # not exists (O and I) = not O  or  (O and not exists I)
            options = branches(negate(conj(outer)), cap) if outer else []
            options.append(outer + [NotExists(f.alias, f.fact_type, conj(inner))])
            result = [c for a in result for b in options if (c := _merge(a, b)) is not None]
            if len(result) > cap:
                raise Unsupported(f"the condition splits into more than {cap} engine rules")
        return result
    raise TypeError(f)


def _merge(a: list, b: list) -> list | None:
    """The conjunction of two branches, without repeated items; None if it is contradictory (a value
    both present and missing), so no engine rule is spent on a branch that can never match."""
    out = list(a) + [item for item in b if item not in a]
    present = {(i.alias, i.name) for i in out if isinstance(i, Ex)}
    if any(isinstance(i, Nex) and (i.alias, i.name) in present for i in out):
        return None
    return out


@dataclass
class Pattern:
    alias: str
    fact_type: str
    negated: bool = False
    plain: list = field(default_factory=list)  # single-fact atoms
    joins: list = field(default_factory=list)  # atoms reading earlier patterns
    groups: list = field(default_factory=list)  # single-fact or-groups (after the sentinel)


class _Emitter:
    """Turns one branch into the engine's JSON for one rule."""

    def __init__(self, order: list[str], types: Mapping[str, str]) -> None:
        self.order = order
        self.types = types

    def rule(self, items: list) -> dict[str, Any]:
        patterns: dict[str, Pattern] = {alias: Pattern(alias, self.types[alias]) for alias in self.order}
        negs: list[Pattern] = []

        def flatten(item) -> None:
            if isinstance(item, Exists):
                patterns.setdefault(item.alias, Pattern(item.alias, item.fact_type))
                for sub in (item.body.items if isinstance(item.body, And) else [item.body]):
                    flatten(sub)
                return
            if isinstance(item, NotExists):
                p = Pattern(item.alias, item.fact_type, negated=True)
                negs.append(p)
                for sub in (item.body.items if isinstance(item.body, And) else [item.body]):
                    if isinstance(sub, (Exists, NotExists)):
                        raise Unsupported("a quantifier inside an absence is judged in Python")
                    self._place(sub, {item.alias: p}, item.alias)
                return
            self._place(item, patterns, None)

        for item in items:
            flatten(item)
        ordered = list(patterns.values())  # the match's aliases, then quantified ones in order of appearance
        position = {p.alias: i for i, p in enumerate(ordered)}
        for p in ordered + negs:
            for atom in p.joins + p.groups:
                for a in _atom_aliases(atom):
                    if a != p.alias and (a not in position or (not p.negated and position[a] >= position[p.alias])):
                        raise Unsupported("a join refers to an alias that is not bound before it")
        seq: list[dict[str, Any]] = []
        if negs:
            seq.append({"g": {TYPE_FIELD: GATE_TYPE}})
        first = "g" if negs else ordered[0].alias
        names: set[str] = set()
        for p in ordered + negs:
            name = p.alias
            while name in names:  # an absence split in two ($not of a disjunction): one name per pattern
                name += "n"
            names.add(name)
            seq.append({name + ("$not" if p.negated else ""): self._pattern(p, first)})
            if expression_count(next(iter(seq[-1].values()))) >= MAX_SEQUENCE_EXPRESSIONS:
                raise Unsupported(f"a pattern would need {MAX_SEQUENCE_EXPRESSIONS} or more join expressions")
        if len(seq) > MAX_PATTERNS:
            raise Unsupported(f"an engine rule would have more than {MAX_PATTERNS} patterns")
        # dist 0: one fact may stand for two patterns of a rule, as in Python (the default, 1, also
        # keeps a fact already in the frame from blocking a $not pattern: a missed absence check)
        return {"all": seq, "dist": 0}

    def _place(self, atom, patterns: dict[str, Pattern], forced: str | None) -> None:
        aliases = _atom_aliases(atom)
        if forced is not None:
            target = forced
        else:
            rank = {a: i for i, a in enumerate(self.order)}
            # quantified aliases come after the match's, in creation order (their numbers grow)
            target = max(aliases, key=lambda a: (rank.get(a, len(rank)), int(a[1:]))) if aliases else None
            if target is None:
                return
        p = patterns.setdefault(target, Pattern(target, self.types[target]))
        if isinstance(atom, (Or, And)):
            if single_alias(atom) == target:
                p.groups.append(atom)
                return
            raise Unsupported("a group mixing facts is judged in Python")
        if isinstance(atom, Const):
            if not atom.value:
                raise Unsupported("constant false branch")
            return
        if aliases == {target}:
            p.plain.append(atom)
        else:
            p.joins.append(atom)

    def _pattern(self, p: Pattern, first: str) -> dict[str, Any]:
        tests: list[dict[str, Any]] = [{TYPE_FIELD: p.fact_type}]
        for a in p.plain:
            tests += self._atom(a, p.alias)
        if p.joins:
            for a in p.joins:
                tests += self._atom(a, p.alias)
            tests.append({"sid": {first: "sid"}})  # the sentinel: an always-true last join test
        tests += [self._group(g, p.alias) for g in p.groups]
        return tests[0] if len(tests) == 1 else {"$and": tests}

    def _group(self, f, alias: str) -> dict[str, Any]:
        if isinstance(f, And):
            tests = [self._group(i, alias) for i in f.items]
        elif isinstance(f, Or):
            return {"$or": [self._group(i, alias) for i in f.items]}
        else:
            tests = self._atom(f, alias)
        if not tests:  # rete.c would hang what follows an empty $and on the root of the network
            raise Unsupported("an empty group")
        return tests[0] if len(tests) == 1 else {"$and": tests}

    def _atom(self, atom, alias: str) -> list[dict[str, Any]]:
        if isinstance(atom, Ex):
            return [{"$ex": {atom.name: 1}}]
        if isinstance(atom, Nex):
            return [{"$nex": {atom.name: 1}}]
        if isinstance(atom, Raw):
            return self._raw(atom.op, atom.left, atom.right, alias)
        raise Unsupported(f"cannot emit {type(atom).__name__} here")

    def _raw(self, op: str, left, right, alias: str) -> list[dict[str, Any]]:
        if not _is_own_field(left, alias) and _is_own_field(right, alias):
            op, left, right = FLIP[op], right, left
        if _is_own_field(left, alias):
            name = left[2]
            rhs = self._rhs(right, alias)
            if op == "==":
                if right[0] == "lit" or (right[0] == "field" and right[3] == left[3]):
                    return [{name: rhs}]
                # equality joins are hashed by printed value: 3 and 3.0 would differ; test both orders instead
                return [{"$lte": {name: rhs}}, {"$gte": {name: rhs}}]
            return [{_OPS[op]: {name: rhs}}]
        # neither side is a bare field of this fact: 0 op (right - left)
        diff = ("arith", "-", right, left)
        if op == "==":
            rhs = self._rhs(diff, alias)
            return [{"$lte": {ZERO_FIELD: rhs}}, {"$gte": {ZERO_FIELD: rhs}}]
        return [{_OPS[op]: {ZERO_FIELD: self._rhs(diff, alias)}}]

    def _rhs(self, term, alias: str) -> Any:
        if term[0] == "lit":
            value = term[1]
            if isinstance(value, float) and value == 0:
                value = 0.0  # no negative zero
            return value
        if term[0] == "field":
            return {"$m": term[2]} if term[1] == alias else {term[1]: term[2]}
        op, left, right = term[1], term[2], term[3]
        if op == "/":
            # true division: make the numerator a double (the engine truncates int / int)
            numerator = {"$mul": {"$l": self._rhs(left, alias), "$r": 1.0}}
            return {"$div": {"$l": numerator, "$r": self._rhs(right, alias)}}
        return {_ARITH[op]: {"$l": self._rhs(left, alias), "$r": self._rhs(right, alias)}}


def expression_count(cond: Any) -> int:
    """Entries the engine appends to a pattern's expression sequence (rete.c: GET_EXPRESSION for a
    test whose right side reads another fact or computes, APPEND_EXPRESSION around $and and $or)."""
    (key, value), = cond.items()
    if key in ("$and", "$or"):
        return 2 + sum(expression_count(c) for c in value)
    if key in _OPS.values() or key in ("$ex", "$nex"):
        (_, value), = value.items()
    return 1 if isinstance(value, dict) and "$m" not in value and not _message_expression(value) else 0


def _message_expression(value: Any) -> bool:
    """An arithmetic expression over the current fact only ($m and literals): judged in the alpha network."""
    if not isinstance(value, dict):
        return True
    (key, inner), = value.items()
    if key == "$m":
        return True
    if key in ("$add", "$sub", "$mul", "$div"):
        return _message_expression(inner["$l"]) and _message_expression(inner["$r"])
    return False


_OPS = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}
_ARITH = {"+": "$add", "-": "$sub", "*": "$mul"}


def _is_own_field(term, alias: str) -> bool:
    return term[0] == "field" and term[1] == alias


def _atom_aliases(atom) -> set[str]:
    aliases = atoms_aliases(atom)
    return aliases if aliases is not None else set()


# ---------------------------------------------------------------------------------------------
# Rules → engine rules.


@dataclass(frozen=True)
class EngineRule:
    name: str  # the engine's rule name
    rule_id: str
    params: Mapping[str, Any]  # the parameter values of the editions this engine rule is for
    aliases: tuple[tuple[str, str], ...]  # (rule alias, engine alias) of the match, in order
    definition: Mapping[str, Any]


@dataclass
class RulePlan:
    rule: Rule
    engine: str  # durable | python
    reason: str = ""
    engine_rules: list[EngineRule] = field(default_factory=list)
    derived: dict[str, dict[str, Derived]] = field(default_factory=dict)  # fact type → property → Derived
    members: dict[str, tuple[str, str]] = field(default_factory=dict)  # member fact type → (owner type, list field)
    unknown: set[tuple[str, str]] = field(default_factory=set)  # fields read that may be unknown (Python then)


@dataclass
class CompiledRuleset:
    plans: list[RulePlan]
    definition: dict[str, Any]  # the ruleset JSON document (as a dict)
    fields: dict[str, tuple[str, ...]]  # fact type → schema fields the engine reads
    by_name: dict[str, EngineRule]
    derived: dict[str, dict[str, Derived]] = field(default_factory=dict)  # fact type → computed properties
    members: dict[str, tuple[str, str]] = field(default_factory=dict)  # member fact type → (owner type, list field)
    alpha_stack: dict[str, int] = field(default_factory=dict)  # fact type → worst alpha stack (limit 64)
    # (fact type, field) that may hold an unknown → the engine rules' source rules reading it: in a case
    # where it does, those rules are judged by the Python evaluator
    unknown_fields: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return json.dumps(self.definition, ensure_ascii=False, sort_keys=False)

    def plan(self, rule_id: str) -> RulePlan:
        for p in self.plans:
            if p.rule.id == rule_id:
                return p
        raise KeyError(rule_id)


def _variants(rule: Rule, editions: Mapping[str, Edition]) -> list[tuple[dict[str, Any], list[tuple[date, date | None]]]]:
    """Sets of parameter values with the act-date windows in which they apply."""
    points = {rule.effective_from}
    if rule.effective_to is not None:
        points.add(next_day(rule.effective_to))
    for c in rule.basis:
        e = editions[c.edition]
        points.add(e.start)
        if e.end is not None:
            points.add(next_day(e.end))
    ordered = sorted(points)
    defaults = {name: p.default for name, p in rule.parameters.items()}
    windows: list[tuple[dict[str, Any], date, date | None]] = []
    for i, start in enumerate(ordered):
        end = previous_day(ordered[i + 1]) if i + 1 < len(ordered) else None
        if not rule.applies_on(start):
            continue
        citations = citations_in_force(rule, editions, start)
        if not citations:
            continue
        params = dict(defaults)
        for citation in reversed(citations):
            params.update(citation.params)
        windows.append((params, start, end))
    out: list[tuple[dict[str, Any], list[tuple[date, date | None]]]] = []
    for params, start, end in windows:
        for existing, spans in out:
            if existing == params:
                if spans[-1][1] is not None and next_day(spans[-1][1]) == start:
                    spans[-1] = (spans[-1][0], end)
                else:
                    spans.append((start, end))
                break
        else:
            out.append((params, [(start, end)]))
    return out


def compile_rule(rule: Rule, editions: Mapping[str, Edition], cap: int = MAX_BRANCHES) -> RulePlan:
    plan = RulePlan(rule, "durable")
    try:
        plan.engine_rules = _compile(rule, editions, cap, plan)
    except Unsupported as exc:
        return RulePlan(rule, "python", reason=str(exc))
    return plan


def _compile(rule: Rule, editions: Mapping[str, Edition], cap: int, plan: RulePlan) -> list[EngineRule]:
    env = {alias: (f"a{i}", fact_type) for i, (alias, fact_type) in enumerate(rule.match)}
    order = [env[alias][0] for alias, _ in rule.match]
    out: list[EngineRule] = []
    variants = _variants(rule, editions)
    n = 0
    for v, (params, spans) in enumerate(variants):
        builder = _Builder(rule, params)
        builder.types.update({ea: ft for ea, ft in env.values()})
        act = builder.term(rule.act_date, env)
        if act[0] == "lit":
            raise Unsupported("a constant act date is judged in Python")
        if act[0] != "field" or act[5] != "date":
            raise Unsupported("the act date must be a date field")
        windows = []
        for start, end in spans:
            parts = [raw_cmp(">=", act, ("lit", start.toordinal()))]
            if end is not None:
                parts.append(raw_cmp("<=", act, ("lit", end.toordinal())))
            windows.append(conj(parts))
        in_force = conj([valid(act), disj(windows)])
        # the engine finds the bindings for which `when` holds; pending_when and escalate.when are then
        # evaluated on each binding by the rule's generated Python code, as the Python evaluator does
        when_t, _ = builder.tf(rule.when, env)
        emitter = _Emitter(order, builder.types)
        for b, items in enumerate(branches(conj([in_force, when_t]), cap)):
            n += 1
            if n > cap:
                raise Unsupported(f"the condition splits into more than {cap} engine rules")
            definition = emitter.rule(items)
            out.append(EngineRule(f"{rule.id}#{v}.{b}", rule.id, params,
                                  tuple((alias, env[alias][0]) for alias, _ in rule.match), definition))
        for ft, props in builder.derived.items():
            plan.derived.setdefault(ft, {}).update(props)
        plan.members.update(builder.members)
        plan.unknown |= builder.unknown
    return out


def fnv1_32(data: bytes) -> int:
    h = 0x811C9DC5
    for byte in data:
        h ^= byte if byte < 128 else byte - 256  # the engine hashes signed chars
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


# Names the engine recognises by their 32-bit hash; a field whose name hashes like one is misread.
RESERVED = ("id", "sid", "$s", "$i", "$m", "$l", "$r", "$lt", "$lte", "$gt", "$gte", "$eq", "$neq", "$ex", "$nex",
            "$and", "$or", "$all", "$any", "$not", "$add", "$sub", "$mul", "$div", "$mt", "$imt", "$iall", "$iany",
            "all", "any", "pri", "count", "cap", "dist", "run", "$t", "$f", "$forward", "name")


def _used_fields(definition: Any, out: set[str]) -> None:
    if isinstance(definition, dict):
        for key, value in definition.items():
            if not key.startswith("$"):
                out.add(key)
            _used_fields(value, out)
    elif isinstance(definition, list):
        for value in definition:
            _used_fields(value, out)


def compile_ruleset(rules: Sequence[Rule], editions: Mapping[str, Edition], cap: int = MAX_BRANCHES,
                    stack_limit: int = MAX_ALPHA_STACK) -> CompiledRuleset:
    plans = [compile_rule(r, editions, cap) for r in rules]
    # load-time check of the engine's limits on the alpha network the rules build (per fact type):
    # while one is exceeded, the rule whose removal helps most is left to Python
    while True:
        on_engine = [p for p in plans if p.engine == "durable"]
        problems = network_limits(alpha_network(_definitions(on_engine)), stack_limit)
        if not problems:
            break
        ft, what, value, limit = problems[0]
        candidates = [p for p in on_engine if any(ft in _pattern_types(er.definition) for er in p.engine_rules)]
        if not candidates:
            raise ValueError(f"the engine's alpha network for {ft!r} exceeds its {what} ({value} > {limit})")

        def after_removal(plan: RulePlan) -> tuple[int, int, int]:
            rest = network_limits(alpha_network(_definitions([p for p in on_engine if p is not plan])), stack_limit)
            same = [v for t, w, v, _ in rest if (t, w) == (ft, what)]
            return (len(rest), same[0] if same else 0, -plans.index(plan))

        worst = min(candidates, key=after_removal)
        worst.engine, worst.engine_rules, worst.derived, worst.members, worst.unknown = "python", [], {}, {}, set()
        worst.reason = (f"the engine's alpha network for fact type {ft!r} would exceed its {what} "
                        f"({value} > {limit}) with this rule too")
    definition: dict[str, Any] = {}
    by_name: dict[str, EngineRule] = {}
    fields: dict[str, set[str]] = {}
    derived: dict[str, dict[str, Derived]] = {}
    members: dict[str, tuple[str, str]] = {}
    for plan in plans:
        for er in plan.engine_rules:
            definition[er.name] = er.definition
            by_name[er.name] = er
        for ft, props in plan.derived.items():
            derived.setdefault(ft, {}).update(props)
        members.update(plan.members)
    definition[DONE_RULE] = {"all": [{"g": {TYPE_FIELD: GATE_TYPE}}]}
    for plan in plans:
        for er in plan.engine_rules:
            _collect_fields(er.definition, fields)
    for ft, fs in fields.items():
        if len(fs) + 4 >= MAX_PROPERTIES:  # + id, sid, type, zero; the engine does not check (it corrupts memory)
            raise ValueError(f"the engine would read {len(fs)} fields of {ft!r}; at most {MAX_PROPERTIES - 5}")
        if ft in members:
            if not fs <= {MEMBER_OWNER, MEMBER_VALUE, "id", "sid", TYPE_FIELD, ZERO_FIELD}:
                raise ValueError(f"member facts {ft!r} would be read for {sorted(fs)}")
        elif ft != GATE_TYPE:
            unknown = fs - set(SCHEMA[ft]) - set(derived.get(ft, {})) - {"sid", TYPE_FIELD, ZERO_FIELD}
            if unknown:
                raise ValueError(f"the engine would read {sorted(unknown)} of {ft!r}, which are not in the schema")
    used: set[str] = set()
    _used_fields(definition, used)
    aliases = {k.removesuffix("$not") for er in by_name.values() for p in er.definition["all"] for k in p} | {"g"}
    names = (used - aliases) | {TYPE_FIELD, ZERO_FIELD}
    reserved = {fnv1_32(r.encode()): r for r in RESERVED}
    seen: dict[int, str] = {}
    for name in sorted(names | aliases):
        h = fnv1_32(name.encode("utf-8"))
        if h in reserved and reserved[h] != name:
            raise ValueError(f"field or alias {name!r} hashes like the engine's {reserved[h]!r}")
        if h in seen and seen[h] != name:
            raise ValueError(f"fields {seen[h]!r} and {name!r} have the same 32-bit hash in the engine")
        seen[h] = name
    special = {"id", "sid", TYPE_FIELD, ZERO_FIELD}
    network = alpha_network(_definitions([p for p in plans if p.engine == "durable"]))
    unknown: dict[tuple[str, str], set[str]] = {}
    for plan in plans:
        for key in plan.unknown:
            unknown.setdefault(key, set()).add(plan.rule.id)
    return CompiledRuleset(plans, definition, {ft: tuple(sorted(fs - special)) for ft, fs in fields.items()}, by_name,
                           derived, members, {ft: worst_stack(node) for ft, node in network.types.items()},
                           {key: frozenset(ids) for key, ids in sorted(unknown.items())})


# ---------------------------------------------------------------------------------------------
# The engine's alpha network, rebuilt the way rete.c builds it (createAlpha / findAlpha / linkAlpha),
# to bound what it does per fact at run time (the stack of handleAlpha in events.c: 64 entries,
# error 303 beyond) and to check the sizes it refuses at load time.


class AlphaNode:
    __slots__ = ("prop", "op", "key", "hashed", "nex", "betas")

    def __init__(self, prop: str, op: str, key: Any) -> None:
        self.prop, self.op, self.key = prop, op, key  # key None: never shared (a join, an expression, a forward node)
        self.hashed: list[AlphaNode] = []  # tests looked up by property (pushed when they match)
        self.nex: list[AlphaNode] = []  # $nex tests and forward nodes (pushed when the property is missing)
        self.betas = 0  # patterns ending here


@dataclass
class AlphaNetwork:
    root: AlphaNode
    types: dict[str, AlphaNode]  # fact type → its `_t == type` node
    nodes: list[AlphaNode]


_ALPHA_OPS = {"$lt": "lt", "$lte": "lte", "$gt": "gt", "$gte": "gte", "$neq": "neq", "$ex": "ex", "$nex": "nex"}


def _literal_key(value: Any) -> Any:
    if isinstance(value, dict):
        return None  # an identifier or an expression: rete.c stores its names anew, so never equal
    return (type(value).__name__, value)


def _definitions(plans: Sequence[RulePlan]) -> list[Mapping[str, Any]]:
    return [er.definition for p in plans for er in p.engine_rules]


def alpha_network(definitions: Sequence[Mapping[str, Any]]) -> AlphaNetwork:
    """The network of a ruleset's rules (the always-firing rule included)."""
    root = AlphaNode("", "root", None)
    nodes = [root]
    done_rule = {"all": [{"g": {TYPE_FIELD: GATE_TYPE}}]}

    def find(parent: AlphaNode, prop: str, op: str, value: Any) -> AlphaNode:
        key = _literal_key(value)
        if key is not None:
            for child in parent.hashed + parent.nex:
                if child.prop == prop and child.op == op and child.key == key:
                    return child
        node = AlphaNode(prop, op, key)
        nodes.append(node)
        (parent.nex if op == "nex" else parent.hashed).append(node)
        return node

    def create(parent: AlphaNode, cond: Mapping[str, Any]) -> AlphaNode:
        (k, v), = cond.items()
        if k == "$and":
            node = root if not v else parent  # rete.c: an empty $and hands back node 0, the root
            for c in v:
                node = create(node, c)
            return node
        if k == "$or":
            forward = AlphaNode("$forward", "nex", None)
            nodes.append(forward)
            for c in v:
                create(parent, c).nex.append(forward)
            return forward
        if k in _ALPHA_OPS:
            (prop, value), = v.items()
            return find(parent, prop, _ALPHA_OPS[k], value)
        return find(parent, k, "eq", v)

    for definition in list(definitions) + [done_rule]:
        for pattern in definition["all"]:
            (_, cond), = pattern.items()
            create(root, cond).betas += 1
    types = {node.key[1]: node for node in root.hashed if node.prop == TYPE_FIELD and node.op == "eq"}
    return AlphaNetwork(root, types, nodes)


def worst_stack(node: AlphaNode, memo: dict[int, int] | None = None) -> int:
    """The most entries handleAlpha's stack can hold below `node` if every test matched: popping a
    node pushes all its children, the last pushed is popped first with the others still on the stack."""
    memo = {} if memo is None else memo
    if id(node) in memo:
        return memo[id(node)]
    children = node.hashed + node.nex
    out = 0
    if children:
        out = max(len(children), len(children) - 1 + max(worst_stack(c, memo) for c in children))
    memo[id(node)] = out
    return out


def network_limits(network: AlphaNetwork, stack_limit: int = MAX_ALPHA_STACK) -> list[tuple[str, str, int, int]]:
    """Limits the network exceeds: [(fact type, which, value, limit)], worst stack first."""
    out = []
    for ft, node in sorted(network.types.items()):
        worst = max(1, worst_stack(node))
        if worst > stack_limit:
            out.append((ft, "alpha stack per fact", worst, stack_limit))
    for node in network.nodes:  # rete.c: NEXT_BUCKET_LENGTH 512, NEXT_LIST_LENGTH 128, BETA_LIST_LENGTH 256
        for what, value, limit in (("tests after one test", len(node.hashed), 500), ("missing-property tests", len(node.nex), 120),
                                   ("patterns on one test", node.betas, 250)):
            if value > limit:
                out.append((_owner_type(network, node), what, value, limit))
    return out


def _owner_type(network: AlphaNetwork, target: AlphaNode) -> str:
    for ft, node in network.types.items():
        stack, seen = [node], set()
        while stack:
            n = stack.pop()
            if n is target:
                return ft
            if id(n) not in seen:
                seen.add(id(n))
                stack.extend(n.hashed + n.nex)
    return "?"


def _pattern_types(definition: Mapping[str, Any]) -> set[str]:
    out = set()
    for pattern in definition["all"]:
        for cond in pattern.values():
            t = cond.get(TYPE_FIELD) if TYPE_FIELD in cond else cond["$and"][0][TYPE_FIELD]
            out.add(t)
    return out


def _collect_fields(definition: Mapping[str, Any], fields: dict[str, set[str]]) -> None:
    """Which fields of which fact type the engine reads (only these are asserted)."""
    types: dict[str, str] = {}
    for pattern in definition["all"]:
        for key, cond in pattern.items():
            alias = key.removesuffix("$not")
            types[alias] = cond.get(TYPE_FIELD) if TYPE_FIELD in cond else cond["$and"][0][TYPE_FIELD]
    for pattern in definition["all"]:
        for key, cond in pattern.items():
            alias = key.removesuffix("$not")
            _walk_refs(cond, alias, types, fields, top=True)


def _walk_refs(node: Any, alias: str, types: Mapping[str, str], fields: dict[str, set[str]], top: bool) -> None:
    if isinstance(node, list):
        for n in node:
            _walk_refs(n, alias, types, fields, top)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in ("$and", "$or"):
            _walk_refs(value, alias, types, fields, True)
        elif key in ("$ex", "$nex", "$lt", "$lte", "$gt", "$gte", "$neq"):
            _walk_refs(value, alias, types, fields, True)
        elif key in ("$add", "$sub", "$mul", "$div"):
            _walk_refs(value, alias, types, fields, False)
        elif key in ("$l", "$r"):
            _walk_refs(value, alias, types, fields, False)
        elif key == "$m":
            fields.setdefault(types[alias], set()).add(value)
        elif key in types and not top:
            fields.setdefault(types[key], set()).add(value)
        elif top:
            fields.setdefault(types[alias], set()).add(key)
            if isinstance(value, dict):
                _walk_refs(value, alias, types, fields, False)
        elif key in types:
            fields.setdefault(types[key], set()).add(value)


# ---------------------------------------------------------------------------------------------
# The table of docs/engines.md (checked by tests/engine/test_durable_compile.py, so it cannot drift).

DOCS_START, DOCS_END = "<!-- durable-rules-table:start -->", "<!-- durable-rules-table:end -->"
# The cross-case rules of the organisation register (docs/register.md), in a table of their own.
REGISTER_START, REGISTER_END = "<!-- durable-register-table:start -->", "<!-- durable-register-table:end -->"


def plans_markdown(compiled: CompiledRuleset, title: str = "") -> str:
    """Which rules `--engine durable` matches in the engine and which it leaves to Python, and why."""
    plans = compiled.plans
    on = [p for p in plans if p.engine == "durable"]
    lines = [f"{title}{len(on)} of {len(plans)} rules run on the engine, as "
             f"{sum(len(p.engine_rules) for p in on)} engine rules; {len(plans) - len(on)} are judged by the Python "
             "evaluator. Worst alpha-network stack per fact (limit "
             f"{MAX_ALPHA_STACK}): " + ", ".join(f"{ft} {n}" for ft, n in sorted(compiled.alpha_stack.items(),
                                                                               key=lambda x: (-x[1], x[0]))
                                                    if ft != GATE_TYPE and n >= 10) + ".",
             "",
             "| rule | stage | evaluator | engine rules | how / why not |",
             "|---|---|---|---|---|"]
    for p in plans:
        if p.engine == "durable":
            how = []
            if not p.engine_rules:
                how.append("condition false with these parameters: no engine rule")
            if any(k.endswith("$not") for er in p.engine_rules for pat in er.definition["all"] for k in pat):
                how.append("absence (gated)")
            if p.derived:
                how.append("list " + ", ".join(sorted({"len()" if d.kind == "len" else "`in` a constant"
                                                        for props in p.derived.values() for d in props.values()}))
                           + " precomputed")
            if p.members:
                how.append("list members asserted as facts")
            if len({er.name.split("#")[1].split(".")[0] for er in p.engine_rules}) > 1:
                how.append("parameters per edition")
            if p.rule.pending_when is not None:
                how.append("pending decided in Python")
            if p.rule.escalate_when is not None:
                how.append("escalation evaluated in Python")
            if p.unknown:
                how.append("Python in a case where " + ", ".join(sorted(f"{ft}.{name}" for ft, name in p.unknown))
                           + " is unknown")
            lines.append(f"| `{p.rule.id}` | {p.rule.stage} | engine | {len(p.engine_rules)} | {'; '.join(how)} |")
        else:
            lines.append(f"| `{p.rule.id}` | {p.rule.stage} | **Python** | 0 | {p.reason.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def replace_docs_table(text: str, table: str, markers: tuple[str, str] = (DOCS_START, DOCS_END)) -> str:
    start, end = text.index(markers[0]) + len(markers[0]), text.index(markers[1])
    return text[:start] + "\n" + table + text[end:]


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m cadre_rules.engine.durable_compile [--docs docs/engines.md]`: print the table, or
    rewrite it in place between the markers."""
    import argparse
    from pathlib import Path

    from cadre_rules.rulebook import load_rulebook

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--docs", type=Path, default=None)
    args = parser.parse_args(argv)
    rulebook = load_rulebook()
    table = plans_markdown(compile_ruleset(list(rulebook.rules), rulebook.editions))
    register = plans_markdown(compile_ruleset(list(rulebook.register_rules), rulebook.editions), "Register rules: ")
    if args.docs is None:
        print(table, end="")
        print()
        print(register, end="")
    else:
        text = replace_docs_table(args.docs.read_text(encoding="utf-8"), table)
        if REGISTER_START in text:
            text = replace_docs_table(text, register, (REGISTER_START, REGISTER_END))
        args.docs.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
