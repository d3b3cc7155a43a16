"""Rule IR compiled to Python source, one function per expression and one matcher per rule.

Why generate source: the evaluator's cost was in calling one closure per IR node for every binding
of every rule. A generated function evaluates a whole condition in one frame, with the aliases' facts
in local variables, and the per-rule matcher loops over fact pools with the early filters inline.

The semantics are the rule language's (Kleene three-valued logic over `Unknown`; null never satisfies
an ordering or membership; true division, and division by zero gives null), written once below as
code templates. The source is built only from the parsed IR: names and field keys are emitted with
`repr`, every other value is passed in as a constant, and nothing of the rule text is executed.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Callable, Mapping, NamedTuple, Sequence

from cadre_rules.codecache import compile_source
from cadre_rules.facts import REGISTER_SCHEMA, SCHEMA, FactSet, Unknown
from cadre_rules.rulebook import ir
from cadre_rules.rulebook.typecheck import free_aliases

Env = dict[str, Any]
Compiled = Callable[[Env, Mapping[str, Any], FactSet], Any]

_REPR_LITERALS = (str, int, bool, type(None))  # written into the source; anything else is a named constant
_ORDER_OPS = {"<", "<=", ">", ">="}


class _Source:
    """Lines of a generated function, fresh local names and the constants it refers to."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.constants: dict[str, Any] = {"Unknown": Unknown, "date": date}
        self.params = "params"  # the local holding the rule's parameters
        # Values already computed in an enclosing loop body, by (node, locals of its aliases): the
        # matcher's filters, which the condition would otherwise compute again for every binding.
        self.known: dict[tuple[ir.Node, tuple[str, ...]], Value] = {}
        # The fact type of each local bound to a fact, when known (a rule's aliases): then the schema
        # says which fields may be Unknown or null, and a rule's parameters are never Unknown.
        self.typed = False
        # Lenient: any fact field may hold an Unknown, whatever the schema says (the facts of a case whose
        # acts are dated to the month only, facts/months.py): every field read is tested.
        self.lenient = False
        self.fact_types: dict[str, str] = {}
        self.blocks = 0  # loops open around the next emitted line (Python allows 20 per function)
        self._count = 0

    def name(self, prefix: str = "t") -> str:
        self._count += 1
        return f"{prefix}{self._count}"

    def const(self, value: Any) -> str:
        if type(value) in _REPR_LITERALS:
            return repr(value)
        name = self.name("K")
        self.constants[name] = value
        return name

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def build(self, name: str) -> Callable[..., Any]:
        namespace = dict(self.constants)
        exec(compile_source("\n".join(self.lines), f"<cadre-rules {name}>"), namespace)  # noqa: S102 - our own source
        return namespace["_generated"]


class Value(NamedTuple):
    """What the generator knows of a value: the expression holding it (a local or a constant) and
    whether it may be `Unknown` or null at run time. Fact fields say so in the schema (the facts layer
    keeps to it; tests/facts/test_derive_shape.py checks), so most run-time tests are never emitted."""

    code: str
    unknown: bool
    null: bool
    literal: bool = False


# Python refuses a function with more than 20 statically nested loops ("too many statically nested
# blocks"). Each `and`/`or` and `exists` opens one; below this many, a nested one is compiled into a
# function of its own (called with the facts, the parameters and the bound facts), so any condition the
# parser accepts compiles.
_MAX_BLOCKS = 12


def _expr(src: _Source, node: ir.Node, scope: Mapping[str, str], depth: int) -> Value:
    """Emit statements computing `node`; return what holds its value."""
    if src.known and (known := src.known.get(_key(node, scope))):
        return known
    if src.blocks >= _MAX_BLOCKS and isinstance(node, (ir.BoolOp, ir.Exists)):
        return _outsourced(src, node, scope, depth)
    match node:
        case ir.Literal(value=value):
            return Value(src.const(value), False, value is None, literal=True)
        case ir.FieldRef(alias=alias, name=name):
            out, local = src.name(), scope[alias]
            src.emit(depth, f"{out} = {local}[{name!r}]")
            fact_type = src.fact_types.get(local, "")
            field = (SCHEMA.get(fact_type) or REGISTER_SCHEMA.get(fact_type) or {}).get(name)
            return Value(out, src.lenient or (field.may_be_unknown if field else True), field.nullable if field else True)
        case ir.ParamRef(name=name):
            out = src.name()
            src.emit(depth, f"{out} = {src.params}[{name!r}]")
            return Value(out, not src.typed, True)
        case ir.ListExpr(items=items) if all(isinstance(item, ir.Literal) for item in items):
            return Value(src.const([item.value for item in items]), False, False, literal=True)  # nothing mutates it
        case ir.ListExpr(items=items):
            parts = [_expr(src, item, scope, depth).code for item in items]
            out = src.name()
            src.emit(depth, f"{out} = [{', '.join(parts)}]")
            return Value(out, False, False)
        case ir.Neg(operand=operand):
            return _unary(src, "-", _expr(src, operand, scope, depth), depth, null_stays=True)
        case ir.Not(operand=operand):
            return _unary(src, "not ", _expr(src, operand, scope, depth), depth, null_stays=False)
        case ir.Call(name="len", args=(arg,)):
            return _unary(src, "len", _expr(src, arg, scope, depth), depth, null_stays=True)
        case ir.Arith(op=op, left=left, right=right):
            return _arith(src, op, left, right, scope, depth)
        case ir.Compare(op=op, left=left, right=right):
            return _compare(src, op, left, right, scope, depth)
        case ir.BoolOp(op=op, items=items):
            return _kleene(src, op == "or", items, scope, depth)
        case ir.Exists(fact_type=fact_type, alias=alias, cond=cond):
            return _exists(src, fact_type, alias, cond, scope, depth)
    raise TypeError(f"cannot compile {node!r}")


def _outsourced(src: _Source, node: ir.Node, scope: Mapping[str, str], depth: int) -> Value:
    """`node` computed by a generated function of its own, so that loops do not nest without bound."""
    sub = _Source()
    sub._count = src._count  # fresh names stay distinct from the locals passed in
    sub.typed, sub.lenient = src.typed, src.lenient
    bound = sorted(set(scope.values()))
    sub.fact_types = {local: t for local, t in src.fact_types.items() if local in bound}
    sub.emit(0, f"def _generated({', '.join(['facts', 'params', *bound])}):")
    value = _expr(sub, node, scope, 1)
    sub.emit(1, f"return {value.code}")
    src._count = sub._count
    function, out = sub.build("nested condition"), src.name()
    src.emit(depth, f"{out} = {src.const(function)}({', '.join(['facts', src.params, *bound])})")
    return Value(out, value.unknown, value.null)


def _key(node: ir.Node, scope: Mapping[str, str]) -> tuple[ir.Node, tuple[str, ...]]:
    return node, tuple(scope[alias] for alias in sorted(free_aliases(node)))


def _unary(src: _Source, op: str, operand: Value, depth: int, null_stays: bool) -> Value:
    """`-x`, `not x` or `len(x)`: Unknown stays Unknown, and null stays null where `null_stays`."""
    x, out = operand.code, src.name()
    apply = f"len({x})" if op == "len" else f"{op}{x}"
    null = null_stays and operand.null
    if operand.literal:  # no run-time test (and `3 is None` would warn)
        src.emit(depth, f"{out} = {'None' if null else apply}")
        return Value(out, False, null)
    tests = [t for t, needed in ((f"{x} is None", null), (f"type({x}) is Unknown", operand.unknown)) if needed]
    kept = f"{src.const(unranged_unknown)}({x})" if operand.unknown and op == "-" else x  # -x is not in x's range
    src.emit(depth, f"{out} = {kept} if {' or '.join(tests)} else {apply}" if tests else f"{out} = {apply}")
    return Value(out, operand.unknown, null)


def _unknown_first(src: _Source, out: str, operands: Sequence[Value], depth: int, unranged: bool = False) -> str:
    """Emit `if` branches that make `out` the first Unknown operand; return the keyword for the next branch.
    `unranged`: the result is not the operand's value (arithmetic), so it keeps the reason, not the range."""
    keyword = "if"
    for operand in operands:
        if operand.unknown:
            src.emit(depth, f"{keyword} type({operand.code}) is Unknown:")
            src.emit(depth + 1, f"{out} = {src.const(unranged_unknown)}({operand.code})" if unranged
                     else f"{out} = {operand.code}")
            keyword = "elif"
    return keyword


def unranged_unknown(value: Any) -> Any:
    """An Unknown's reason without its range: `x * 2` or `-x` of a count known to lie in 1–2 is not
    known to lie in 1–2, and a comparison must not judge it by that range."""
    return value if type(value) is not Unknown or value.days is None else Unknown(value.reason, value.reason_zh)


def _null_test(operands: Sequence[Value]) -> str:
    """`x is None or ...` over the operands that can be null."""
    return " or ".join(f"{operand.code} is None" for operand in operands if operand.null)


def _otherwise(src: _Source, keyword: str, out: str, result: str, depth: int) -> None:
    """`out = result`, as the final `else` of the branches emitted so far (if any)."""
    if keyword == "if":
        src.emit(depth, f"{out} = {result}")
    else:
        src.emit(depth, "else:")
        src.emit(depth + 1, f"{out} = {result}")


def range_compare(op: str, a: Any, b: Any) -> Any:
    """`a op b` where a date may be known only as a range of days (`Unknown.days`, an act dated to the
    month): True or False when every day of the ranges gives it, else the ranged Unknown. Ranges are
    taken as independent, so a verdict is given only when it holds on every combination of days."""
    ranged = next(v for v in (a, b) if type(v) is Unknown and v.days is not None)
    for v in (a, b):
        if type(v) is Unknown and v.days is None:
            return v
    if a is None or b is None:  # null never satisfies an ordering; a range of days is never null
        return op == "!="
    lo_a, hi_a = a.days if type(a) is Unknown else (a, a)
    lo_b, hi_b = b.days if type(b) is Unknown else (b, b)
    if op == "<":
        sure, never = hi_a < lo_b, lo_a >= hi_b
    elif op == "<=":
        sure, never = hi_a <= lo_b, lo_a > hi_b
    elif op == ">":
        sure, never = lo_a > hi_b, hi_a <= lo_b
    elif op == ">=":
        sure, never = lo_a >= hi_b, hi_a < lo_b
    else:
        disjoint = hi_a < lo_b or hi_b < lo_a
        sure, never = (False, disjoint) if op == "==" else (disjoint, False)
    return True if sure else False if never else ranged


def _compare(src: _Source, op: str, left: ir.Node, right: ir.Node, scope: Mapping[str, str], depth: int) -> Value:
    a, b = _expr(src, left, scope, depth), _expr(src, right, scope, depth)
    out = src.name()
    ranged = [f"(type({v.code}) is Unknown and {v.code}.days is not None)" for v in (a, b) if v.unknown]
    if ranged and op in ("==", "!=", *_ORDER_OPS):
        # a date may be a range of days: facts of acts dated to the month (facts/months.py, every field
        # in lenient code) and dates the records give to the month only (facts/dossier.py work_start)
        src.emit(depth, f"if {' or '.join(ranged)}:")
        src.emit(depth + 1, f"{out} = {src.const(range_compare)}({op!r}, {a.code}, {b.code})")
        src.emit(depth, "else:")
        depth += 1
    keyword = _unknown_first(src, out, (a, b), depth)
    if op in ("==", "!="):
        result = f"({a.code} == {b.code}) is {op == '=='}"
    else:
        if nullable := _null_test((a, b)):
            src.emit(depth, f"{keyword} {nullable}:")
            src.emit(depth + 1, f"{out} = False")
            keyword = "elif"
        result = f"{a.code} {op} {b.code}" if op in _ORDER_OPS else f"({a.code} in {b.code}) is {op == 'in'}"
    _otherwise(src, keyword, out, result, depth)
    return Value(out, a.unknown or b.unknown, False)


def _arith(src: _Source, op: str, left: ir.Node, right: ir.Node, scope: Mapping[str, str], depth: int) -> Value:
    a, b = _expr(src, left, scope, depth), _expr(src, right, scope, depth)
    out = src.name()
    keyword = _unknown_first(src, out, (a, b), depth, unranged=True)
    if tests := [t for t in (_null_test((a, b)), f"{b.code} == 0" if op == "/" else "") if t]:
        src.emit(depth, f"{keyword} {' or '.join(tests)}:")
        src.emit(depth + 1, f"{out} = None")
        keyword = "elif"
    _otherwise(src, keyword, out, f"{a.code} {op} {b.code}", depth)
    return Value(out, a.unknown or b.unknown, bool(tests))


def _keep_first_unknown(src: _Source, value: Value, unknown: str, depth: int) -> str:
    """Emit: if `value` is Unknown, keep it in `unknown` unless one came first. Returns the keyword for
    the branch that tests the value itself."""
    if not value.unknown:
        return "if"
    src.emit(depth, f"if type({value.code}) is Unknown:")
    src.emit(depth + 1, f"if {unknown} is None:")
    src.emit(depth + 2, f"{unknown} = {value.code}")
    return "elif"


def _kleene(src: _Source, decisive: bool, items: Sequence[ir.Node], scope: Mapping[str, str], depth: int) -> Value:
    """`and` (decisive False) / `or` (decisive True): the decisive value wins at once, else the first
    Unknown, else the other value. `while True ... break` gives the early exit without nesting."""
    out, unknown = src.name(), src.name("u")
    src.emit(depth, f"{unknown} = None")
    src.emit(depth, "while True:")
    may_be_unknown = False
    src.blocks += 1
    for item in items:
        value = _expr(src, item, scope, depth + 1)
        may_be_unknown = may_be_unknown or value.unknown
        keyword = _keep_first_unknown(src, value, unknown, depth + 1)
        src.emit(depth + 1, f"{keyword} {'' if decisive else 'not '}{value.code}:")
        src.emit(depth + 2, f"{out} = {decisive}")
        src.emit(depth + 2, "break")
    src.emit(depth + 1, f"{out} = {not decisive} if {unknown} is None else {unknown}")
    src.emit(depth + 1, "break")
    src.blocks -= 1
    return Value(out, may_be_unknown, False)


def _exists(src: _Source, fact_type: str, alias: str, cond: ir.Node, scope: Mapping[str, str], depth: int) -> Value:
    out, unknown, local = src.name(), src.name("u"), src.name("f")
    src.fact_types[local] = fact_type
    src.emit(depth, f"{out} = False")
    src.emit(depth, f"{unknown} = None")
    src.emit(depth, f"for {local} in facts.get({fact_type!r}, ()):")
    src.blocks += 1
    value = _expr(src, cond, {**scope, alias: local}, depth + 1)
    keyword = _keep_first_unknown(src, value, unknown, depth + 1)
    src.emit(depth + 1, f"{keyword} {value.code}:")
    src.emit(depth + 2, f"{out} = True")
    src.emit(depth + 2, "break")
    src.blocks -= 1
    src.emit(depth, f"if {out} is False and {unknown} is not None:")
    src.emit(depth + 1, f"{out} = {unknown}")
    return Value(out, value.unknown, False)


def compile_node(node: ir.Node, label: str = "expression", fact_types: Mapping[str, str] | None = None,
                 lenient: bool = False) -> Compiled:
    """A function `(env, params, facts) -> value` computing `node` in three-valued logic. With
    `fact_types` (alias -> fact type, a rule's `match`) the schema says which fields may be Unknown or
    null; without, every value is tested."""
    src = _Source()
    src.emit(0, "def _generated(env, params, facts):")
    scope = {alias: f"a_{i}" for i, alias in enumerate(sorted(free_aliases(node)))}
    src.typed = fact_types is not None
    src.lenient = lenient
    for alias, local in scope.items():
        src.emit(1, f"{local} = env[{alias!r}]")
        if fact_types is not None:
            src.fact_types[local] = fact_types[alias]
    src.emit(1, f"return {_expr(src, node, scope, 1).code}")
    return src.build(label)


class Judgement:
    """What judging one binding needs besides the condition: hooks into the rule's editions and the
    finding it makes (kept in Python: they run only for bindings that may violate)."""

    def __init__(self, act_date: ir.Node, when: ir.Node, defaults: Mapping[str, Any],
                 applies: Callable[[date], bool], in_force: Callable[[date], tuple[Any, Mapping[str, Any]]],
                 found: Callable[..., None], over_days: Callable[..., None] | None = None,
                 periods: "Periods | None" = None) -> None:
        self.act_date, self.when, self.defaults = act_date, when, dict(defaults)
        self.applies, self.in_force, self.found = applies, in_force, found
        # `over_days(env, facts, act, out)` judges a binding whose act date is a range of days (an act
        # dated to the month: Unknown with `days`), choosing the edition for the whole range.
        self.over_days = over_days
        # With `periods`, what `applies` and `in_force` answer is written into the code as comparisons of
        # the act date with the days the rule starts and ends and its editions change (no call per binding).
        self.periods = periods

    def emit(self, src: _Source, scope: Mapping[str, str], depth: int, reject: str) -> None:
        """The act's date under the default parameters; skip unless the rule applies on it and some
        edition is in force; the condition under that edition's parameters; then `found`."""
        src.params = src.const(self.defaults)
        act = _expr(src, self.act_date, scope, depth).code
        if self.over_days is not None and src.lenient:
            env = ", ".join(f"{alias!r}: {local}" for alias, local in scope.items())
            src.emit(depth, f"if type({act}) is Unknown and {act}.days is not None:")
            src.emit(depth + 1, f"{src.const(self.over_days)}({{{env}}}, facts, {act}, out)")
            src.emit(depth + 1, reject)
        if self.periods is None:
            src.emit(depth, f"if not isinstance({act}, date) or not {src.const(self.applies)}({act}):")
            src.emit(depth + 1, reject)
            src.emit(depth, f"in_force = {src.const(self.in_force)}({act})")
            src.emit(depth, "if not in_force[0]:")
            src.emit(depth + 1, reject)
        else:
            self.periods.emit(src, act, depth, reject)
        src.params = "in_force[1]"
        verdict = _expr(src, self.when, scope, depth).code
        src.emit(depth, f"if {verdict} is False or {verdict} is None:")
        src.emit(depth + 1, reject)
        env = ", ".join(f"{alias!r}: {local}" for alias, local in scope.items())
        src.emit(depth, f"{src.const(self.found)}({{{env}}}, facts, {act}, in_force, {verdict}, out)")


class Periods(NamedTuple):
    """A rule's days in force and the periods of its editions, for `Judgement.emit` to write inline:
    the rule applies from `first` to `last` (None: open-ended); `changes` are the days on which the
    citations in force change (sorted) and `table[k]` the (citations, parameters) in force from
    `changes[k - 1]` (inclusive) to `changes[k]` (exclusive): what `bisect_right(changes, act)` picks."""

    first: date
    last: date | None
    changes: Sequence[date]
    table: Sequence[tuple[Any, Mapping[str, Any]]]

    def emit(self, src: _Source, act: str, depth: int, reject: str) -> None:
        """`reject` unless `act` is a date on which the rule applies and an edition is in force; else
        `in_force` is that period's (citations, parameters)."""
        test = f"not isinstance({act}, date) or {act} < {src.const(self.first)}"
        if self.last is not None:
            test += f" or {act} > {src.const(self.last)}"
        src.emit(depth, f"if {test}:")
        src.emit(depth + 1, reject)
        # Only the periods the rule's own days can reach, and of those a period without citations rejects.
        keyword = "if"
        for k, (change, period) in enumerate(zip(self.changes, self.table)):
            if change <= self.first:
                continue  # every applicable act is on or after this change
            src.emit(depth, f"{keyword} {act} < {src.const(change)}:")
            self._choose(src, period, depth + 1, reject)
            keyword = "elif"
        last = self.table[len(self.changes)]
        if keyword == "if":
            self._choose(src, self._at(self.first), depth, reject)
        else:
            src.emit(depth, "else:")
            self._choose(src, last, depth + 1, reject)

    def _at(self, day: date) -> tuple[Any, Mapping[str, Any]]:
        from bisect import bisect_right

        return self.table[bisect_right(self.changes, day)]

    @staticmethod
    def _choose(src: _Source, period: tuple[Any, Mapping[str, Any]], depth: int, reject: str) -> None:
        if not period[0]:
            src.emit(depth, reject)
        else:
            src.emit(depth, f"in_force = {src.const(period)}")


def _typed_source(match: Sequence[tuple[str, str]], signature: str, lenient: bool = False) -> tuple[_Source, dict[str, str]]:
    """A function's source with each alias of `match` bound to a local whose fact type is known."""
    src = _Source()
    src.emit(0, f"def _generated({signature}):")
    src.typed, src.lenient = True, lenient
    scope = {alias: f"a_{level}" for level, (alias, _) in enumerate(match)}
    src.fact_types.update({f"a_{level}": fact_type for level, (_, fact_type) in enumerate(match)})
    return src, scope


def compile_judge(match: Sequence[tuple[str, str]], judgement: Judgement, label: str = "judge",
                  lenient: bool = False) -> Callable[..., None]:
    """`judge(env, facts, out)`: one complete binding, given as an environment (the durable backend)."""
    src, scope = _typed_source(match, "env, facts, out", lenient)
    for alias, local in scope.items():
        src.emit(1, f"{local} = env[{alias!r}]")
    judgement.emit(src, scope, 1, "return")
    return src.build(label)


def compile_matcher(match: Sequence[tuple[str, str]], filters: Sequence[Sequence[ir.Node]], judgement: Judgement,
                    label: str = "matcher", lenient: bool = False) -> Callable[[FactSet, list[Any]], None]:
    """`match(facts, out)`: binds each alias of `match` to a fact in turn. The conjuncts in
    `filters[level]` (parameter-free, reading only aliases bound up to that level) prune as soon as
    they are definitely false; every binding that survives is judged inline."""
    src, scope = _typed_source(match, "facts, out", lenient)
    src.params = src.const(judgement.defaults)
    pools = [f"p_{level}" for level in range(len(match))]
    for pool, (_, fact_type) in zip(pools, match):
        src.emit(1, f"{pool} = facts.get({fact_type!r}, ())")
    if pools:
        src.emit(1, f"if not ({' and '.join(pools)}):")
        src.emit(2, "return")
    bound: dict[str, str] = {}
    depth = 1
    for level, (alias, _) in enumerate(match):
        bound[alias] = scope[alias]
        src.emit(depth, f"for a_{level} in p_{level}:")
        src.blocks += 1
        depth += 1
        for conjunct in filters[level]:
            value = _expr(src, conjunct, bound, depth)
            if not value.literal:  # a literal conjunct cannot prune (and `"x" is False` would warn)
                src.emit(depth, f"if {value.code} is False:")
                src.emit(depth + 1, "continue")
                src.known[_key(conjunct, bound)] = value
    judgement.emit(src, bound, depth, "continue")
    return src.build(label)


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\}")
_ALWAYS = ("id", "path")  # every finding cites its facts by id and path


def fields_read(node: ir.Node, types: Mapping[str, str], out: dict[str, set[str]]) -> None:
    """Add to `out` (fact type -> fields) what `node` reads, `types` giving each alias's fact type;
    an `exists` reads its fact type whatever its condition reads."""
    match node:
        case ir.FieldRef(alias=alias, name=name):
            out.setdefault(types[alias], set()).add(name)
        case ir.Exists(fact_type=fact_type, alias=alias, cond=cond):
            out.setdefault(fact_type, set())
            fields_read(cond, {**types, alias: fact_type}, out)
        case _:
            for child in _children(node):
                fields_read(child, types, out)


def _children(node: ir.Node) -> list[ir.Node]:
    match node:
        case ir.ListExpr(items=items) | ir.BoolOp(items=items):
            return list(items)
        case ir.Compare(left=left, right=right) | ir.Arith(left=left, right=right):
            return [left, right]
        case ir.Neg(operand=operand) | ir.Not(operand=operand):
            return [operand]
        case ir.Call(args=args):
            return list(args)
    return []


def facts_read(rules: Sequence[Any]) -> dict[str, frozenset[str]]:
    """Fact type -> the fields that the rules' matches, conditions, act dates, pending and escalation
    conditions and messages read: all the facts layer must derive for them (facts/derive.py derives
    exactly these, so a rulebook of a few rules derives a few facts)."""
    # Messages name the people an id stands for through the `person` facts (engine/python.py people_of),
    # whatever the rule: every plan has them whole.
    out: dict[str, set[str]] = {"person": set(SCHEMA["person"])} if rules else {}
    for rule in rules:
        types = dict(rule.match)
        for fact_type in types.values():
            out.setdefault(fact_type, set()).update(_ALWAYS)
        for node in rule.condition_trees():
            fields_read(node, types, out)
        for templates in rule.message_texts():
            for template in templates.values():
                for alias, name in _PLACEHOLDER.findall(template):
                    if alias in types:
                        out[types[alias]].add(name)
    return {fact_type: frozenset(names) for fact_type, names in out.items()}


__all__ = ["Compiled", "Judgement", "Periods", "Value", "compile_judge", "compile_matcher", "compile_node", "facts_read",
           "fields_read"]
