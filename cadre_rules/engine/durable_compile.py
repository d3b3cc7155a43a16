"""Rule IR compiled to durable_rules ruleset JSON, following the safe recipe.

This module is pure Python (it never imports durable_rules): it decides which rules the Rete engine
can judge exactly like the reference evaluator, and writes them in the engine's JSON grammar with the
rewrites that /work/shared/design/durable-rules-notes.md found necessary for stock 2.0.28:

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

A rule that cannot be expressed exactly (Kleene unknowns, `len`, membership in a fact's list,
nested absence, too many branches...) is marked for the Python evaluator, with the reason.
"""
from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Mapping, Sequence

from ..facts import SCHEMA, FieldType
from ..rulebook import ir
from ..rulebook.editions import citations_in_force
from ..rulebook.model import Edition, Rule

GATE_TYPE = "$gate"
DONE_RULE = "$done"
TYPE_FIELD = "_t"
ZERO_FIELD = "_z"
SID = "c"
MAX_BRANCHES = 8  # engine rules per source rule (all verdicts and edition variants together)
MAX_RULES_PER_TYPE = 48  # engine rules with a pattern on one fact type (alpha stack of 64, error 303)
VALUE_BOUND = 10_000_000  # |int| and |num| fact values the engine may judge (exact in int64 and double)
MIN_FLOAT = 1e-6  # smallest non-zero |num| value (keeps divisions finite)
MAX_STRING_BYTES = 8192  # property values are measured in unsigned shorts inside the engine
EXACT = 2 ** 53
MAX_PROPERTIES = 200  # properties of one fact (the engine's limit is 255, and it does not check on every path)


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
        alias, name, kind, nullable = term[1], term[2], term[3], term[4]
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


class _Builder:
    def __init__(self, rule: Rule, params: Mapping[str, Any]) -> None:
        self.rule = rule
        self.params = params
        self.counter = itertools.count(len(rule.match))
        self.types: dict[str, str] = {}  # engine alias → fact type

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
                    raise Unsupported(f"{alias}.{name} may be unknown (three-valued logic is judged in Python)")
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
            case ir.Call(name=name):
                raise Unsupported(f"{name}() is judged in Python")
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
            if not isinstance(right, ir.ListExpr):
                raise Unsupported("membership in a fact's list is judged in Python")
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
            result = [a + b for a in result for b in sub]
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
            result = [a + b for a in result for b in options]
            if len(result) > cap:
                raise Unsupported(f"the condition splits into more than {cap} engine rules")
        return result
    raise TypeError(f)


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
        for p in ordered + negs:
            seq.append({p.alias + ("$not" if p.negated else ""): self._pattern(p, first)})
        return {"all": seq}

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
            return tests[0] if len(tests) == 1 else {"$and": tests}
        if isinstance(f, Or):
            return {"$or": [self._group(i, alias) for i in f.items]}
        tests = self._atom(f, alias)
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
    verdict: str  # violated | pending
    params: Mapping[str, Any]
    aliases: tuple[tuple[str, str], ...]  # (rule alias, engine alias) of the match, in order
    definition: Mapping[str, Any]


@dataclass
class RulePlan:
    rule: Rule
    engine: str  # durable | python
    reason: str = ""
    engine_rules: list[EngineRule] = field(default_factory=list)


@dataclass
class CompiledRuleset:
    plans: list[RulePlan]
    definition: dict[str, Any]  # the ruleset JSON document (as a dict)
    fields: dict[str, tuple[str, ...]]  # fact type → fields the engine reads
    by_name: dict[str, EngineRule]

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
        points.add(rule.effective_to + timedelta(days=1))
    for c in rule.basis:
        e = editions[c.edition]
        points.add(e.start)
        if e.end is not None:
            points.add(e.end + timedelta(days=1))
    ordered = sorted(points)
    defaults = {name: p.default for name, p in rule.parameters.items()}
    windows: list[tuple[dict[str, Any], date, date | None]] = []
    for i, start in enumerate(ordered):
        end = ordered[i + 1] - timedelta(days=1) if i + 1 < len(ordered) else None
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
                if spans[-1][1] is not None and spans[-1][1] + timedelta(days=1) == start:
                    spans[-1] = (spans[-1][0], end)
                else:
                    spans.append((start, end))
                break
        else:
            out.append((params, [(start, end)]))
    return out


def compile_rule(rule: Rule, editions: Mapping[str, Edition], cap: int = MAX_BRANCHES) -> RulePlan:
    try:
        return RulePlan(rule, "durable", engine_rules=_compile(rule, editions, cap))
    except Unsupported as exc:
        return RulePlan(rule, "python", reason=str(exc))


def _compile(rule: Rule, editions: Mapping[str, Edition], cap: int) -> list[EngineRule]:
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
        when_t, _ = builder.tf(rule.when, env)
        if rule.pending_when is None:
            cases = [("violated", conj([in_force, when_t]))]
        else:
            pend_t, pend_f = builder.tf(rule.pending_when, env)
            cases = [("violated", conj([in_force, when_t, pend_f])), ("pending", conj([in_force, when_t, pend_t]))]
        emitter = _Emitter(order, builder.types)
        for verdict, formula in cases:
            for b, items in enumerate(branches(formula, cap)):
                n += 1
                if n > cap:
                    raise Unsupported(f"the condition splits into more than {cap} engine rules")
                definition = emitter.rule(items)
                name = f"{rule.id}#{v}.{verdict[0]}.{b}"
                out.append(EngineRule(name, rule.id, verdict, params, tuple((alias, env[alias][0]) for alias, _ in rule.match),
                                      definition))
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
            "all", "any", "pri", "count", "cap", "dist", "run", "$t", "$f")


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
                    per_type: int = MAX_RULES_PER_TYPE) -> CompiledRuleset:
    plans = [compile_rule(r, editions, cap) for r in rules]
    # load-time check: engine rules hanging off each fact type
    while True:
        counts: dict[str, list[RulePlan]] = {}
        for plan in plans:
            if plan.engine != "durable":
                continue
            for er in plan.engine_rules:
                for ft in _pattern_types(er.definition):
                    counts.setdefault(ft, []).append(plan)
        over = [(ft, ps) for ft, ps in counts.items() if len(ps) > per_type]
        if not over:
            break
        ft, ps = max(over, key=lambda x: len(x[1]))
        worst = max(set(map(id, ps)), key=lambda i: sum(1 for p in ps if id(p) == i))
        plan = next(p for p in ps if id(p) == worst)
        plan.engine, plan.reason, plan.engine_rules = "python", (
            f"fact type {ft!r} would carry {len(ps)} engine rules (limit {per_type})"), []
    definition: dict[str, Any] = {}
    by_name: dict[str, EngineRule] = {}
    fields: dict[str, set[str]] = {}
    for plan in plans:
        for er in plan.engine_rules:
            definition[er.name] = er.definition
            by_name[er.name] = er
    definition[DONE_RULE] = {"all": [{"g": {TYPE_FIELD: GATE_TYPE}}]}
    for plan in plans:
        for er in plan.engine_rules:
            _collect_fields(er.definition, fields)
    for ft, fs in fields.items():
        if len(fs) + 4 >= MAX_PROPERTIES:  # + id, sid, type, zero; the engine does not check (it corrupts memory)
            raise ValueError(f"the engine would read {len(fs)} fields of {ft!r}; at most {MAX_PROPERTIES - 5}")
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
    return CompiledRuleset(plans, definition, {ft: tuple(sorted(fs - special)) for ft, fs in fields.items()}, by_name)


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
