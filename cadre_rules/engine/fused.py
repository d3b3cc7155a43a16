"""Derivation and evaluation generated per rulebook: what the auditor runs for each case (issue 18).

Why: a rulebook's rules read a fraction of the facts layer's fields, and the cost of judging a case
was mostly in deriving fields no rule reads, as dictionaries of every field. Here, for one rulebook:

- the `item` facts (the agenda items, read by most rules) and the `case` fact come from builders
  composed (facts/compose.py) from the functions of facts/items.py and facts/case_fact.py (one small
  function per value, the facts layer's one definition of each): only the fields the rulebook reads,
  each value computed once per case, meeting or item as it needs, in a local variable; a function
  that is a single `return` is inlined, the others called;
- each rule's matcher chooses the edition period of an act date by comparisons written into its code
  (engine/codegen.Periods), and a finding's message is rendered when first read (Finding.message);
- the `person` facts, which only messages read, are derived when a finding's message first needs them
  (facts.derive.PeopleOnDemand), not for every case;
- the rules are called in groups by the fact types they join: a case without, say, publicity facts
  skips every rule joining them with one test.

Everything else is the facts layer's planned derivation (facts/derive.py) and the rules' generated
matchers (engine/codegen.py): the findings are the same, in the same order (tests/engine/
test_fused.py holds them equal to the dictionary path on examples and synthetic cases).
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from cadre_rules.codecache import compile_source
from cadre_rules.engine.codegen import facts_read, fields_read
from cadre_rules.engine.findings import Finding
from cadre_rules.engine.python import PythonEvaluator
from cadre_rules.facts import FactSet, case_fact as case_functions, derive_facts, items as item_functions
from cadre_rules.facts.compose import compile_builder
from cadre_rules.facts.derive import compile_derivation
from cadre_rules.facts.months import month_only_dates
from cadre_rules.facts.kinship import KinshipGraph
from cadre_rules.facts.values import Fact, MonthFacts
from cadre_rules.model import Case


def compile_item_builder(fields: Iterable[str] | None) -> Callable[[Case, KinshipGraph], list[Fact]]:
    """`build(case, graph)`: the `item` facts with just `fields` (None: all of them, in the fact's order),
    composed from the functions of facts/items.py; one per set of fields and process."""
    return compile_builder(item_functions, fields)


def compile_case_builder(fields: Iterable[str] | None) -> Callable[..., list[Fact]]:
    """`build(case, decisions, as_of, post_rank)`: the `case` fact (in a list) with just `fields`,
    composed from the functions of facts/case_fact.py."""
    return compile_builder(case_functions, fields)


def rules_join(rules: Sequence[Any]) -> set[str]:
    """The fact types that rules' matches, conditions and `exists` read (not their messages)."""
    out: dict[str, set[str]] = {}
    for rule in rules:
        types = dict(rule.match)
        for fact_type in types.values():
            out.setdefault(fact_type, set())
        for node in rule.condition_trees():
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
    exec(compile_source("\n".join(lines), "<cadre-rules dispatch>"), constants)  # noqa: S102 - our own source
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
        self.items = compile_item_builder(plan["item"]) if "item" in plan else None
        self.cases = compile_case_builder(plan["case"]) if "case" in plan else None
        self._builders = {name: builder for name, builder in (("items", self.items), ("cases", self.cases)) if builder}
        # the derivation generated for the plan (facts/derive.py compile_derivation: the plan's fact types
        # only, the appointment, publicity and motion facts composed for the fields read, like these two)
        self._derive = compile_derivation(plan, people_on_demand=self.people_on_demand, **self._builders)
        by_id = {c.rule.id: c for c in evaluator.compiled}
        self.dispatch = compile_dispatch([([t for _, t in by_id[r.id].rule.match], by_id[r.id].match)
                                          for r in rules if r.id in by_id])

    def derive(self, case: Case) -> FactSet:
        """The facts the rules and messages read (a `PeopleOnDemand` set, or `MonthFacts` for a case
        with acts dated to the month)."""
        if not month_only_dates(case):  # nearly every case: the derivation generated for the plan
            return self._derive(case)
        return derive_facts(case, self.plan, people_on_demand=self.people_on_demand, **self._builders)

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


__all__ = ["FusedJudge", "compile_case_builder", "compile_dispatch", "compile_item_builder",
           "rules_join"]
