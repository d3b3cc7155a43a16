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

from datetime import date
from typing import Any, Callable, Mapping, Sequence

from ..facts import FactSet, Unknown
from ..rulebook import ir
from ..rulebook.typecheck import free_aliases

Env = dict[str, Any]
Compiled = Callable[[Env, Mapping[str, Any], FactSet], Any]

_SIMPLE_LITERALS = (str, int, float, bool, type(None))
_ORDER_OPS = {"<", "<=", ">", ">="}


class _Source:
    """Lines of a generated function, fresh local names and the constants it refers to."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.constants: dict[str, Any] = {"Unknown": Unknown, "date": date}
        self.params = "params"  # the local holding the rule's parameters
        # Values already computed in an enclosing loop body, by (node, locals of its aliases): the
        # matcher's filters, which the condition would otherwise compute again for every binding.
        self.known: dict[tuple[ir.Node, tuple[str, ...]], str] = {}
        self._count = 0

    def name(self, prefix: str = "t") -> str:
        self._count += 1
        return f"{prefix}{self._count}"

    def const(self, value: Any) -> str:
        if type(value) in _SIMPLE_LITERALS and not isinstance(value, float):
            return repr(value)
        name = self.name("K")
        self.constants[name] = value
        return name

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def build(self, name: str) -> Callable[..., Any]:
        namespace = dict(self.constants)
        exec(compile("\n".join(self.lines), f"<cadre-rules {name}>", "exec"), namespace)  # noqa: S102 - our own source
        return namespace["_generated"]


def _expr(src: _Source, node: ir.Node, scope: Mapping[str, str], depth: int) -> tuple[str, bool]:
    """Emit statements computing `node`; return an expression for its value (a local or a constant)
    and whether that value may be `Unknown` (literals never are)."""
    if src.known and (known := src.known.get(_key(node, scope))):
        return known, True
    match node:
        case ir.Literal(value=value):
            return src.const(value), False
        case ir.FieldRef(alias=alias, name=name):
            out = src.name()
            src.emit(depth, f"{out} = {scope[alias]}[{name!r}]")
            return out, True
        case ir.ParamRef(name=name):
            out = src.name()
            src.emit(depth, f"{out} = {src.params}[{name!r}]")
            return out, True
        case ir.ListExpr(items=items) if all(isinstance(item, ir.Literal) for item in items):
            return src.const([item.value for item in items]), False  # built once; nothing mutates it
        case ir.ListExpr(items=items):
            parts = [_expr(src, item, scope, depth)[0] for item in items]
            out = src.name()
            src.emit(depth, f"{out} = [{', '.join(parts)}]")
            return out, False
        case ir.Neg(operand=operand):
            return _unary(src, "-", _expr(src, operand, scope, depth), depth, null_stays=True), True
        case ir.Not(operand=operand):
            return _unary(src, "not ", _expr(src, operand, scope, depth), depth, null_stays=False), True
        case ir.Call(name="len", args=(arg,)):
            return _unary(src, "len", _expr(src, arg, scope, depth), depth, null_stays=True), True
        case ir.Arith(op=op, left=left, right=right):
            return _arith(src, op, left, right, scope, depth), True
        case ir.Compare(op=op, left=left, right=right):
            return _compare(src, op, left, right, scope, depth), True
        case ir.BoolOp(op=op, items=items):
            return _kleene(src, op == "or", items, scope, depth), True
        case ir.Exists(fact_type=fact_type, alias=alias, cond=cond):
            return _exists(src, fact_type, alias, cond, scope, depth), True
    raise TypeError(f"cannot compile {node!r}")


def _key(node: ir.Node, scope: Mapping[str, str]) -> tuple[ir.Node, tuple[str, ...]]:
    return node, tuple(scope[alias] for alias in sorted(free_aliases(node)))


def _unary(src: _Source, op: str, operand: tuple[str, bool], depth: int, null_stays: bool) -> str:
    """`-x`, `not x` or `len(x)`: Unknown stays Unknown, and null stays null where `null_stays`."""
    value, computed = operand
    out = src.name()
    apply = f"len({value})" if op == "len" else f"{op}{value}"
    if not computed:  # a literal: no run-time test (and `3 is None` would warn)
        src.emit(depth, f"{out} = {'None' if value == 'None' and null_stays else apply}")
        return out
    null = f"{value} is None or " if null_stays else ""
    src.emit(depth, f"{out} = {value} if {null}type({value}) is Unknown else {apply}")
    return out


def _unknown_first(src: _Source, out: str, operands: Sequence[tuple[str, bool]], depth: int) -> str:
    """Emit `if` branches that make `out` the first Unknown operand; return the keyword for the next branch."""
    keyword = "if"
    for value, may_be_unknown in operands:
        if may_be_unknown:
            src.emit(depth, f"{keyword} type({value}) is Unknown:")
            src.emit(depth + 1, f"{out} = {value}")
            keyword = "elif"
    return keyword


def _null_test(operands: Sequence[tuple[str, bool]]) -> str:
    """`x is None or ...` over the operands that can be null (a literal can only if it is null)."""
    return " or ".join(f"{value} is None" for value, computed in operands if computed or value == "None")


def _compare(src: _Source, op: str, left: ir.Node, right: ir.Node, scope: Mapping[str, str], depth: int) -> str:
    a, b = _expr(src, left, scope, depth), _expr(src, right, scope, depth)
    out = src.name()
    keyword = _unknown_first(src, out, (a, b), depth)
    x, y = a[0], b[0]
    if op in ("==", "!="):
        result = f"({x} == {y}) is {op == '=='}"
    else:
        if nullable := _null_test((a, b)):
            src.emit(depth, f"{keyword} {nullable}:")
            src.emit(depth + 1, f"{out} = False")
            keyword = "elif"
        if op in _ORDER_OPS:
            result = f"{x} {op} {y}"
        else:
            result = f"({x} in {y}) is {op == 'in'}"
    _otherwise(src, keyword, out, result, depth)
    return out


def _otherwise(src: _Source, keyword: str, out: str, result: str, depth: int) -> None:
    """`out = result`, as the final `else` of the branches emitted so far (if any)."""
    if keyword == "if":
        src.emit(depth, f"{out} = {result}")
    else:
        src.emit(depth, "else:")
        src.emit(depth + 1, f"{out} = {result}")


def _arith(src: _Source, op: str, left: ir.Node, right: ir.Node, scope: Mapping[str, str], depth: int) -> str:
    a, b = _expr(src, left, scope, depth), _expr(src, right, scope, depth)
    out = src.name()
    keyword = _unknown_first(src, out, (a, b), depth)
    x, y = a[0], b[0]
    if tests := [t for t in (_null_test((a, b)), f"{y} == 0" if op == "/" else "") if t]:
        src.emit(depth, f"{keyword} {' or '.join(tests)}:")
        src.emit(depth + 1, f"{out} = None")
        keyword = "elif"
    _otherwise(src, keyword, out, f"{x} {op} {y}", depth)
    return out


def _kleene(src: _Source, decisive: bool, items: Sequence[ir.Node], scope: Mapping[str, str], depth: int) -> str:
    """`and` (decisive False) / `or` (decisive True): the decisive value wins at once, else the first
    Unknown, else the other value. `while True ... break` gives the early exit without nesting."""
    out, unknown = src.name(), src.name("u")
    src.emit(depth, f"{unknown} = None")
    src.emit(depth, "while True:")
    for item in items:
        value, may_be_unknown = _expr(src, item, scope, depth + 1)
        keyword = "if"
        if may_be_unknown:
            src.emit(depth + 1, f"if type({value}) is Unknown:")
            src.emit(depth + 2, f"if {unknown} is None:")
            src.emit(depth + 3, f"{unknown} = {value}")
            keyword = "elif"
        src.emit(depth + 1, f"{keyword} {'' if decisive else 'not '}{value}:")
        src.emit(depth + 2, f"{out} = {decisive}")
        src.emit(depth + 2, "break")
    src.emit(depth + 1, f"{out} = {not decisive} if {unknown} is None else {unknown}")
    src.emit(depth + 1, "break")
    return out


def _exists(src: _Source, fact_type: str, alias: str, cond: ir.Node, scope: Mapping[str, str], depth: int) -> str:
    out, unknown, local = src.name(), src.name("u"), src.name("f")
    src.emit(depth, f"{out} = False")
    src.emit(depth, f"{unknown} = None")
    src.emit(depth, f"for {local} in facts.get({fact_type!r}, ()):")
    value, may_be_unknown = _expr(src, cond, {**scope, alias: local}, depth + 1)
    keyword = "if"
    if may_be_unknown:
        src.emit(depth + 1, f"if type({value}) is Unknown:")
        src.emit(depth + 2, f"if {unknown} is None:")
        src.emit(depth + 3, f"{unknown} = {value}")
        keyword = "elif"
    src.emit(depth + 1, f"{keyword} {value}:")
    src.emit(depth + 2, f"{out} = True")
    src.emit(depth + 2, "break")
    src.emit(depth, f"if {out} is False and {unknown} is not None:")
    src.emit(depth + 1, f"{out} = {unknown}")
    return out


def compile_node(node: ir.Node, label: str = "expression") -> Compiled:
    """A function `(env, params, facts) -> value` computing `node` in three-valued logic."""
    src = _Source()
    src.emit(0, "def _generated(env, params, facts):")
    scope = {alias: f"a_{i}" for i, alias in enumerate(sorted(free_aliases(node)))}
    for alias, local in scope.items():
        src.emit(1, f"{local} = env[{alias!r}]")
    value, _ = _expr(src, node, scope, 1)
    src.emit(1, f"return {value}")
    return src.build(label)


class Judgement:
    """What judging one binding needs besides the condition: hooks into the rule's editions and the
    finding it makes (kept in Python: they run only for bindings that may violate)."""

    def __init__(self, act_date: ir.Node, when: ir.Node, defaults: Mapping[str, Any],
                 applies: Callable[[date], bool], in_force: Callable[[date], tuple[Any, Mapping[str, Any]]],
                 found: Callable[..., None]) -> None:
        self.act_date, self.when, self.defaults = act_date, when, dict(defaults)
        self.applies, self.in_force, self.found = applies, in_force, found

    def emit(self, src: _Source, scope: Mapping[str, str], depth: int, reject: str) -> None:
        """The act's date under the default parameters; skip unless the rule applies on it and some
        edition is in force; the condition under that edition's parameters; then `found`."""
        src.params = src.const(self.defaults)
        act, _ = _expr(src, self.act_date, scope, depth)
        src.emit(depth, f"if not isinstance({act}, date) or not {src.const(self.applies)}({act}):")
        src.emit(depth + 1, reject)
        src.emit(depth, f"in_force = {src.const(self.in_force)}({act})")
        src.emit(depth, "if not in_force[0]:")
        src.emit(depth + 1, reject)
        src.params = "in_force[1]"
        verdict, _ = _expr(src, self.when, scope, depth)
        src.emit(depth, f"if {verdict} is False or {verdict} is None:")
        src.emit(depth + 1, reject)
        env = ", ".join(f"{alias!r}: {local}" for alias, local in scope.items())
        src.emit(depth, f"{src.const(self.found)}({{{env}}}, facts, {act}, in_force, {verdict}, out)")


def compile_judge(aliases: Sequence[str], judgement: Judgement, label: str = "judge") -> Callable[..., None]:
    """`judge(env, facts, out)`: one complete binding, given as an environment (the durable backend)."""
    src = _Source()
    src.emit(0, "def _generated(env, facts, out):")
    scope = {alias: f"a_{level}" for level, alias in enumerate(aliases)}
    for alias, local in scope.items():
        src.emit(1, f"{local} = env[{alias!r}]")
    judgement.emit(src, scope, 1, "return")
    return src.build(label)


def compile_matcher(match: Sequence[tuple[str, str]], filters: Sequence[Sequence[ir.Node]], judgement: Judgement,
                    label: str = "matcher") -> Callable[[FactSet, list[Any]], None]:
    """`match(facts, out)`: binds each alias of `match` to a fact in turn. The conjuncts in
    `filters[level]` (parameter-free, reading only aliases bound up to that level) prune as soon as
    they are definitely false; every binding that survives is judged inline."""
    src = _Source()
    src.emit(0, "def _generated(facts, out):")
    src.params = src.const(judgement.defaults)
    pools = []
    for level, (_, fact_type) in enumerate(match):
        pools.append(f"p_{level}")
        src.emit(1, f"p_{level} = facts.get({fact_type!r}, ())")
    if pools:
        src.emit(1, f"if not ({' and '.join(pools)}):")
        src.emit(2, "return")
    scope: dict[str, str] = {}
    depth = 1
    for level, (alias, _) in enumerate(match):
        scope[alias] = f"a_{level}"
        src.emit(depth, f"for a_{level} in p_{level}:")
        depth += 1
        for conjunct in filters[level]:
            value, may_be_unknown = _expr(src, conjunct, scope, depth)
            if may_be_unknown:  # a literal conjunct cannot prune (and `"x" is False` would warn)
                src.emit(depth, f"if {value} is False:")
                src.emit(depth + 1, "continue")
                src.known[_key(conjunct, scope)] = value
    judgement.emit(src, scope, depth, "continue")
    return src.build(label)


__all__ = ["Compiled", "Judgement", "compile_judge", "compile_matcher", "compile_node"]
