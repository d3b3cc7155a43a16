"""Derivation and evaluation generated per rulebook: what the auditor runs for each case (issue 18).

Why: a rulebook's rules read a fraction of the facts layer's fields, and the cost of judging a case
was mostly in deriving fields no rule reads, as dictionaries of every field. Here, for one rulebook:

- the `item` facts (the agenda items, read by most rules) come from a builder generated from the
  functions of facts/items.py (one small function per value, the facts layer's one definition of
  each): only the fields the rulebook reads, each value computed once per case, meeting or item as it
  needs, in a local variable; a function that is a single `return` is inlined, the others called;
- the `person` facts, which only messages read, are derived when a finding's message first needs them
  (facts.derive.PeopleOnDemand), not for every case;
- the rules are called in groups by the fact types they join: a case without, say, publicity facts
  skips every rule joining them with one test.

Everything else is the facts layer's planned derivation (facts/derive.py) and the rules' generated
matchers (engine/codegen.py): the findings are the same, in the same order (tests/engine/
test_fused.py holds them equal to the dictionary path on examples and synthetic cases).
"""
from __future__ import annotations

import ast
import inspect
import textwrap
from functools import lru_cache
from types import ModuleType
from typing import Any, Callable, Iterable, Mapping, Sequence

from cadre_rules.engine.codegen import facts_read, fields_read
from cadre_rules.engine.findings import Finding
from cadre_rules.engine.python import PythonEvaluator
from cadre_rules.facts import FactSet, case_fact as case_functions, derive_facts, items as item_functions
from cadre_rules.facts.kinship import KinshipGraph
from cadre_rules.facts.values import Fact, MonthFacts
from cadre_rules.model import Case

class _Node:
    """One function of a fields module: its parameters, and its body when it is one `return`."""

    def __init__(self, name: str, function: Callable[..., Any]) -> None:
        self.name, self.function = name, function
        self.params = list(inspect.signature(function).parameters)
        tree = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
        assert isinstance(tree, ast.FunctionDef)
        body = [stmt for stmt in tree.body
                if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))]  # no docstring
        self.expr = ast.unparse(body[0].value) if len(body) == 1 and isinstance(body[0], ast.Return) \
            and body[0].value is not None else None
        self.names = ({n.id for n in ast.walk(body[0].value) if isinstance(n, ast.Name)}  # type: ignore[union-attr]
                      if self.expr is not None else set())


@lru_cache(maxsize=None)
def _nodes(module: ModuleType) -> dict[str, _Node]:
    """The module's functions (read once per process: `inspect.getsource` reads and parses the file)."""
    return {name: _Node(name, fn) for name, fn in vars(module).items()
            if inspect.isfunction(fn) and fn.__module__ == module.__name__ and not name.startswith("_")
            and name not in ("item_facts", "case_fact")}


def compile_item_builder(fields: Iterable[str] | None) -> Callable[[Case, KinshipGraph], list[Fact]]:
    """`build(case, graph)`: the `item` facts with just `fields` (None: all of them, in the fact's order),
    composed from the functions of facts/items.py; one per set of fields and process."""
    return compile_builder(item_functions, fields)


def compile_case_builder(fields: Iterable[str] | None) -> Callable[..., list[Fact]]:
    """`build(case, decisions, as_of, post_rank)`: the `case` fact (in a list) with just `fields`,
    composed from the functions of facts/case_fact.py."""
    return compile_builder(case_functions, fields)


def compile_builder(module: ModuleType, fields: Iterable[str] | None) -> Callable[..., list[Fact]]:
    """The builder of one fact type from a fields module (facts/items.py, facts/case_fact.py): its
    arguments are the module's `ARGS`, it loops as `LOOPS` says and makes one fact per innermost record
    with just `fields` (None: all of them)."""
    return _builder(module, frozenset(fields) if fields is not None else None)


@lru_cache(maxsize=128)
def _builder(module: ModuleType, fields: frozenset[str] | None) -> Callable[..., list[Fact]]:
    nodes = _nodes(module)
    roots: Mapping[str, int] = module.ROOTS
    loops: Sequence[tuple[str, str, str]] = module.LOOPS
    where = f"{module.__name__.replace('.', '/')}.py"
    wanted = [f for f in module.FIELDS if fields is None or f in fields]
    unknown = set(fields or ()) - set(module.FIELDS)
    if unknown:
        raise ValueError(f"no function gives the field(s) {sorted(unknown)} ({where})")
    # every node the wanted fields need, and how deep it sits (0 the arguments, then one per loop)
    level: dict[str, int] = dict(roots)
    order: list[str] = []

    def need(name: str, chain: tuple[str, ...] = ()) -> int:
        if name in level:
            return level[name]
        if name in chain:
            raise ValueError(f"{where}: {' -> '.join((*chain, name))} is circular")
        node = nodes.get(name)
        if node is None:
            raise ValueError(f"{where}: no function or root named {name!r} (needed by {chain[-1] if chain else 'FIELDS'!r})")
        level[name] = max((need(p, (*chain, name)) for p in node.params), default=0)
        order.append(name)
        return level[name]

    for field in wanted:
        need(module.FIELDS[field])
    uses: dict[str, int] = {}
    for name in order:
        for p in nodes[name].params:
            uses[p] = uses.get(p, 0) + 1
    for field in wanted:
        uses[module.FIELDS[field]] = uses.get(module.FIELDS[field], 0) + 1
    namespace: dict[str, Any] = dict(vars(module))
    namespace.update({f"_f_{name}": node.function for name, node in nodes.items()})
    clash = set(nodes) & {"out", "enumerate", *(n for loop in loops for n in loop[:2])}
    if clash:
        raise ValueError(f"{where}: a function is named like a local of the builder: {sorted(clash)}")
    every_name = set(nodes) | set(roots)

    def value(name: str) -> str:
        """The expression computing node `name`: its body inlined when it reads only its parameters
        and the module's globals (not another node's name), else a call."""
        node = nodes[name]
        if node.expr is not None and not ((node.names - set(node.params)) & every_name):
            return f"({node.expr})"
        return f"_f_{name}({', '.join(node.params)})"  # by an alias: the local of the same name shadows it

    lines = [f"def _generated({', '.join(module.ARGS)}):", "    out = []"]
    heads = [f"for {index}, {record} in enumerate({source}):" for index, record, source in loops]
    # a value of the innermost record read by its fact only: computed inside the fact's dictionary
    direct = {module.FIELDS[f] for f in wanted
              if uses.get(module.FIELDS[f], 0) == 1 and level[module.FIELDS[f]] == len(loops)}
    for depth in range(len(loops) + 1):
        indent = "    " * (depth + 1)
        for name in order:
            if level[name] == depth and name not in direct:
                lines.append(f"{indent}{name} = {value(name)}")
        if depth < len(loops):
            lines.append(indent + heads[depth])
    indent = "    " * (len(loops) + 1)
    entries = ", ".join(f"{field!r}: {value(module.FIELDS[field]) if module.FIELDS[field] in direct else module.FIELDS[field]}"
                        for field in wanted)
    lines.append(f"{indent}out.append({{{entries}}})")
    lines.append("    return out")
    source = "\n".join(lines)
    exec(compile(source, f"<cadre-rules {where}>", "exec"), namespace)  # noqa: S102 - our own source
    built = namespace["_generated"]
    built.source = source  # type: ignore[attr-defined]
    return built


def rules_join(rules: Sequence[Any]) -> set[str]:
    """The fact types that rules' matches, conditions and `exists` read (not their messages)."""
    out: dict[str, set[str]] = {}
    for rule in rules:
        types = dict(rule.match)
        for fact_type in types.values():
            out.setdefault(fact_type, set())
        for node in (rule.act_date, rule.when, rule.pending_when, rule.escalate_when,
                     *(v.when for v in rule.message_variants)):
            if node is not None:
                fields_read(node, types, out)
    return set(out)


def compile_dispatch(matchers: Sequence[tuple[Sequence[str], Callable[[FactSet, list[Any]], None]]]
                     ) -> Callable[[FactSet, list[Any]], None]:
    """`evaluate(facts, out)`: every rule's matcher, the rules grouped by the fact types they join, a
    group skipped when one of its fact pools is empty (a matcher would return at once)."""
    constants: dict[str, Any] = {}
    groups: dict[tuple[str, ...], list[str]] = {}
    for n, (types, matcher) in enumerate(matchers):
        constants[f"M{n}"] = matcher
        groups.setdefault(tuple(sorted(set(types))), []).append(f"M{n}")
    pools = sorted({t for key in groups for t in key})
    local = {t: f"p{k}" for k, t in enumerate(pools)}
    lines = ["def _generated(facts, out):"]
    lines += [f"    {local[t]} = facts.get({t!r})" for t in pools]
    for key, calls in groups.items():
        indent = "    "
        if key:
            lines.append(f"    if {' and '.join(local[t] for t in key)}:")
            indent = "        "
        lines += [f"{indent}{call}(facts, out)" for call in calls]
    lines.append("    return out")
    exec(compile("\n".join(lines), "<cadre-rules dispatch>", "exec"), constants)  # noqa: S102 - our own source
    return constants["_generated"]


class FusedJudge:
    """Judges validated cases against one rulebook with its Python evaluator, deriving as generated above."""

    def __init__(self, rules: Sequence[Any], evaluator: PythonEvaluator) -> None:
        self.evaluator = evaluator
        plan = dict(facts_read(rules))
        # Messages read the person facts; when no rule joins them, they are derived on a finding's need.
        self.people_on_demand = "person" not in rules_join(rules)
        if self.people_on_demand:
            plan.pop("person", None)
        self.plan = plan
        self.items = compile_item_builder(plan["item"]) if "item" in plan else item_functions.item_facts
        self.cases = compile_case_builder(plan["case"]) if "case" in plan else None
        by_id = {c.rule.id: c for c in evaluator.compiled}
        self.dispatch = compile_dispatch([([t for _, t in by_id[r.id].rule.match], by_id[r.id].match)
                                          for r in rules if r.id in by_id])

    def derive(self, case: Case) -> FactSet:
        """The facts the rules and messages read (a `PeopleOnDemand` set, or `MonthFacts` for a case
        with acts dated to the month)."""
        if self.cases is None:
            return derive_facts(case, self.plan, items=self.items, people_on_demand=self.people_on_demand)
        return derive_facts(case, self.plan, items=self.items, cases=self.cases, people_on_demand=self.people_on_demand)

    def findings(self, case: Case, only: set[str] | None = None) -> list[Finding]:
        facts = self.derive(case)
        if only is not None or isinstance(facts, MonthFacts):
            return self.evaluator.evaluate(facts, only)
        findings: list[Finding] = []
        self.dispatch(facts, findings)
        if len(findings) > 1:
            stage_order = self.evaluator.stage_order
            findings.sort(key=lambda f: f.sort_key(stage_order))
        return findings


__all__ = ["FusedJudge", "compile_builder", "compile_case_builder", "compile_dispatch", "compile_item_builder",
           "rules_join"]
