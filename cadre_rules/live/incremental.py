"""Incremental judging for the live path: re-evaluate only the rules whose inputs changed.

A rule's findings are a function of the facts it can see: the fact types it matches or quantifies
over (`exists`), and of those, the fields its act date, condition, pending condition and messages
read. Between two fact sets of the same case (before and after one event) most facts are equal, so
most rules would give the same findings again. `IncrementalJudge` compares the two fact sets,
re-evaluates the rules that read something that changed (or whose fact lists gained, lost or
reordered facts), keeps the previous findings of the others, and sorts as the evaluator does.
The result is the evaluator's result exactly; tests/live/test_live.py checks it against a full audit
after every event.
"""
from __future__ import annotations

import re
from dataclasses import fields as dc_fields
from typing import Any, Iterable

from cadre_rules.audit.auditor import Auditor
from cadre_rules.engine.findings import Finding
from cadre_rules.facts import FactSet, derive_facts
from cadre_rules.model import Case
from cadre_rules.rulebook import ir
from cadre_rules.rulebook.model import Rule

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\}")
_STRUCTURAL = ("id", "path")


def rule_inputs(rule: Rule) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """The fact types a rule ranges over, and the (fact type, field) pairs it reads."""
    types: set[str] = {t for _, t in rule.match}
    reads: set[tuple[str, str]] = set()

    def visit(node: Any, scope: dict[str, str]) -> None:
        if isinstance(node, ir.Exists):
            types.add(node.fact_type)
            visit(node.cond, {**scope, node.alias: node.fact_type})
            return
        if isinstance(node, ir.FieldRef):
            fact_type = scope.get(node.alias)
            if fact_type is None:  # the loader forbids this; be conservative if it ever happens
                raise ValueError(f"{rule.id}: unknown alias {node.alias!r}")
            reads.add((fact_type, node.name))
            return
        for f in dc_fields(node):
            value = getattr(node, f.name)
            for child in value if isinstance(value, tuple) else (value,):
                if hasattr(child, "__dataclass_fields__"):
                    visit(child, scope)

    scope = dict(rule.match)
    for tree in (rule.act_date, rule.when, rule.pending_when, rule.escalate_when,
                 *(v.when for v in rule.message_variants)):
        if tree is not None:
            visit(tree, scope)
    for texts in rule.message_texts():
        for template in texts.values():
            for alias, name in _PLACEHOLDER.findall(template):
                if alias in scope:
                    reads.add((scope[alias], name))
                    # an id in the message is shown with the person's name and post (engine/python.py)
                    reads.update(("person", field) for field in ("name", "post", "roles"))
    return frozenset(types), frozenset(reads)


def changes(old: FactSet, new: FactSet) -> tuple[set[str], set[tuple[str, str]]]:
    """Fact types whose list changed shape (facts added, removed, reordered), and changed fields."""
    reshaped: set[str] = set()
    changed: set[tuple[str, str]] = set()
    for fact_type in old.keys() | new.keys():
        a, b = old.get(fact_type, []), new.get(fact_type, [])
        if a == b:
            continue
        if len(a) != len(b) or any(x.get(k) != y.get(k) for x, y in zip(a, b) for k in _STRUCTURAL):
            reshaped.add(fact_type)
            continue
        for x, y in zip(a, b):
            if x != y:
                changed.update((fact_type, k) for k in x.keys() | y.keys() if x.get(k) != y.get(k))
    return reshaped, changed


class _Readers:
    """Which rules read each fact type and each (fact type, field): looking up what changed is then a
    few set unions, not a test of every rule."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.of_type: dict[str, set[str]] = {}
        self.of_field: dict[tuple[str, str], set[str]] = {}
        for rule in rules:
            types, reads = rule_inputs(rule)
            for fact_type in types:
                self.of_type.setdefault(fact_type, set()).add(rule.id)
            for read in reads:
                self.of_field.setdefault(read, set()).add(rule.id)

    def affected(self, reshaped: Iterable[str], changed: Iterable[tuple[str, str]]) -> set[str]:
        out: set[str] = set()
        for fact_type in reshaped:
            out |= self.of_type.get(fact_type, set())
        for read in changed:
            out |= self.of_field.get(read, set())
        return out


_READERS: dict[int, tuple[Auditor, _Readers]] = {}


def _readers_of(auditor: Auditor) -> _Readers:
    cached = _READERS.get(id(auditor))
    if cached is None or cached[0] is not auditor:
        cached = _READERS[id(auditor)] = (auditor, _Readers(auditor.rulebook.rules))
        while len(_READERS) > 8:
            _READERS.pop(next(iter(_READERS)))
    return cached[1]


class IncrementalJudge:
    """Judges successive versions of one case, reusing the findings of rules whose inputs are unchanged."""

    def __init__(self, auditor: Auditor) -> None:
        self.auditor = auditor
        self.evaluator = getattr(auditor, "evaluator", None)
        self.readers = _readers_of(auditor)
        self._memo: tuple[FactSet, list[Finding]] | None = None
        self.last_reevaluated: set[str] | None = None  # rule ids re-evaluated by the last call (None: all)

    def findings(self, case: Case) -> list[Finding]:
        if self.evaluator is None or not hasattr(self.evaluator, "stage_order"):
            self.last_reevaluated = None
            return self.auditor.findings(case)
        # Only the facts the rulebook reads (Auditor.derive): the rest could change nothing judged.
        derive = getattr(self.auditor, "derive", derive_facts)
        facts = derive(case)
        if self._memo is None:
            result = self.evaluator.evaluate(facts)
            self.last_reevaluated = None
        else:
            old_facts, old_findings = self._memo
            result = self.update(old_facts, old_findings, facts)
        self._memo = (facts, result)
        return list(result)

    def update(self, old_facts: FactSet, old_findings: Iterable[Finding], facts: FactSet) -> list[Finding]:
        affected = self.readers.affected(*changes(old_facts, facts))
        self.last_reevaluated = affected
        if not affected:
            return list(old_findings)
        kept = [f for f in old_findings if f.rule_id not in affected]
        fresh = self.evaluator.evaluate(facts, affected)
        merged = kept + fresh
        merged.sort(key=lambda f: f.sort_key(self.evaluator.stage_order))
        return merged

    def reset(self) -> None:
        self._memo = None


__all__ = ["IncrementalJudge", "changes", "rule_inputs"]
