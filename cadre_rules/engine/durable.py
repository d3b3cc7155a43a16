"""The durable_rules backend: the same rule files matched by the Rete engine of durable_rules 2.0.28.

The compiler (durable_compile) writes the rules the engine can judge exactly; the rest are judged by
the Python evaluator, and `cadre-rules rules list` says which and why. This driver talks to the
engine's C-level functions directly (the `durable_rules_engine` module): no `Host`, no timers, one
session open at a time, facts and never events, every action drained and every result code checked.

Per case: the facts the engine reads are validated and encoded (dates as day ordinals, nulls as
missing properties, the derived list properties `len()` and `literal in list`, and one member fact
per element of the lists the rules join on), asserted in one call with the `$gate` fact last, every
action is drained, the always-firing rule must have fired exactly once, and the session is deleted.
Findings are deduplicated by (rule, matched facts) and built by the rule's CompiledRule exactly as
the Python evaluator builds them (messages, pending messages, severity escalation). On any engine
error the ruleset is recreated, the case is judged by the Python evaluator, and a note says so
(`last_notes`).
"""
from __future__ import annotations

import itertools
import json
import math
from datetime import date, datetime
from typing import Any, Mapping

from cadre_rules.facts import FactSet, Unknown
from cadre_rules.facts.values import MonthFacts
from cadre_rules.rulebook.model import Edition, Rule
from cadre_rules.engine.durable_compile import (
    SCHEMA,  # the case facts and the register's cross-case facts
    DONE_RULE,
    GATE_TYPE,
    MAX_STRING_BYTES,
    MEMBER_OWNER,
    MEMBER_VALUE,
    MIN_FLOAT,
    SID,
    TYPE_FIELD,
    VALUE_BOUND,
    ZERO_FIELD,
    CompiledRuleset,
    compile_ruleset,
)
from cadre_rules.engine.findings import Finding
from cadre_rules.engine.python import CompiledRule, PythonEvaluator

_SPECIAL = {"id", "sid", TYPE_FIELD, ZERO_FIELD}
_SHORT = MAX_STRING_BYTES // 4  # characters: a text this short is within MAX_STRING_BYTES in UTF-8
_names = itertools.count(1)


def load_engine_module():
    """The C engine module, or EngineUnavailable with a reason a person can act on."""
    from cadre_rules.engine import EngineUnavailable

    try:
        import durable_rules_engine  # type: ignore[import-not-found]
    except ImportError as exc:  # not installed (Python >= 3.13) or does not load
        import sys

        raise EngineUnavailable(
            f"the durable engine needs the durable-rules package (2.0.28), which does not load here ({exc}); "
            f"it is installed only on Python < 3.13 (this is {sys.version_info.major}.{sys.version_info.minor}). "
            "Use --engine python.") from None
    return durable_rules_engine


class InvalidFacts(ValueError):
    """Facts the engine cannot judge exactly (the case goes to the Python evaluator)."""


class EngineFailure(RuntimeError):
    """The engine reported an error or behaved inconsistently."""


# Stand-ins for an unknown value whose rules are judged in Python for the case (never read as a verdict).
_NEUTRAL: dict[str, Any] = {"int": 0, "num": 0, "bool": False, "date": 0}


class DurableEvaluator:
    """Evaluates rules with durable_rules where it can, with the Python evaluator for the rest."""

    name = "durable"

    def __init__(self, rules: list[Rule], editions: Mapping[str, Edition], stage_order: Mapping[str, int]) -> None:
        self.engine = load_engine_module()
        self.rules = list(rules)
        self.editions = editions
        self.stage_order = dict(stage_order)
        self.compiled: CompiledRuleset = compile_ruleset(self.rules, editions)
        self.python_rules = {r.id: CompiledRule(r, editions) for r in self.rules}
        self._lenient: PythonEvaluator | None = None  # for acts dated to the month (built on first need)
        self.engine_rule_ids = {p.rule.id for p in self.compiled.plans if p.engine == "durable"}
        members = self.compiled.members
        self._kinds = {ft: {name: SCHEMA[ft][name] for name in fields
                            if name not in _SPECIAL and name not in self.compiled.derived.get(ft, {})}
                       for ft, fields in self.compiled.fields.items() if ft != GATE_TYPE and ft not in members}
        self._derived = {ft: [(name, d, SCHEMA[ft][d.source]) for name, d in sorted(props.items())]
                         for ft, props in self.compiled.derived.items()}
        for ft in self._derived:
            self._kinds.setdefault(ft, {})
        # member facts: per owner fact type, the list fields whose members are asserted as facts
        self._members: dict[str, list[tuple[str, str]]] = {}
        for mtype, (owner, source) in sorted(members.items()):
            self._members.setdefault(owner, []).append((mtype, source))
            self._kinds.setdefault(owner, {})
        self._spec = {ft: tuple((name, t.kind, t.nullable) for name, t in kinds.items()) for ft, kinds in self._kinds.items()}
        self._unknown: dict[str, dict[str, frozenset[str]]] = {}  # fact type → field → rules judged in Python if unknown
        for (ft, name), rule_ids in self.compiled.unknown_fields.items():
            self._unknown.setdefault(ft, {})[name] = rule_ids
        self.unknown_rules: set[str] = set()  # rules judged in Python for the last case encoded (an unknown value)
        self._text = self.compiled.text
        self.handle = self._create()
        self.last_notes: list[str] = []
        self.stats = {"cases": 0, "engine_errors": 0, "invalid_facts": 0}

    # -- engine lifecycle -----------------------------------------------------------------------
    def _create(self) -> int:
        return self.engine.create_ruleset(f"cadre{next(_names)}", self._text)

    def recreate(self) -> None:
        """A fresh ruleset after an error; the old one is abandoned, never touched again."""
        self.handle = self._create()

    # -- evaluation ----------------------------------------------------------------------------
    def evaluate(self, facts: FactSet, only: set[str] | None = None) -> list[Finding]:
        self.last_notes = []
        self.stats["cases"] += 1
        if isinstance(facts, MonthFacts):
            # acts dated to the month: any field may be unknown, so every rule is judged by the Python
            # evaluator compiled for that (the same generated code the Python engine runs: both agree)
            self.stats["month_cases"] = self.stats.get("month_cases", 0) + 1
            if self._lenient is None:
                self._lenient = PythonEvaluator(self.rules, self.editions, self.stage_order)
            return self._lenient.evaluate(facts, only)
        findings: list[Finding] = []
        try:
            payload, index = self.encode(facts)
        except InvalidFacts as exc:
            self.stats["invalid_facts"] += 1
            self.last_notes.append(f"durable engine not used for this case ({exc}); judged by the Python evaluator")
            return self._python(facts, None, only)
        unknown_rules = self.unknown_rules
        if unknown_rules:
            self.stats["unknown_fallbacks"] = self.stats.get("unknown_fallbacks", 0) + 1
        try:
            matches = self.run(payload)
            findings = self._findings(matches, index, facts, unknown_rules)
        except Exception as exc:  # every engine error: recreate, judge in Python, say so
            self.stats["engine_errors"] += 1
            self.recreate()
            self.last_notes.append(f"durable engine error ({type(exc).__name__}: {exc}); "
                                   "ruleset recreated, case judged by the Python evaluator")
            return self._python(facts, None, only)
        findings.extend(self._python(facts, (set(self.python_rules) - self.engine_rule_ids) | unknown_rules, None, sort=False))
        if only is not None:
            findings = [f for f in findings if f.rule_id in only]
        findings.sort(key=lambda f: f.sort_key(self.stage_order))
        return findings

    def _python(self, facts: FactSet, rule_ids: set[str] | None, only: set[str] | None, sort: bool = True) -> list[Finding]:
        out: list[Finding] = []
        for rule in self.rules:
            if (rule_ids is None or rule.id in rule_ids) and (only is None or rule.id in only):
                out.extend(self.python_rules[rule.id].evaluate(facts))
        if sort:
            out.sort(key=lambda f: f.sort_key(self.stage_order))
        return out

    def encode(self, facts: FactSet) -> tuple[str, dict[str, tuple[str, int]]]:
        """The JSON batch for one case (gate last) and engine id → (fact type, index)."""
        batch: list[dict[str, Any]] = []
        index: dict[str, tuple[str, int]] = {}
        self.unknown_rules = set()
        for fact_type, kinds in self._spec.items():
            unknowable = self._unknown.get(fact_type, {})
            for i, fact in enumerate(facts.get(fact_type, ())):
                eid = f"{fact_type}#{i}"
                out: dict[str, Any] = {"id": eid, "sid": SID, TYPE_FIELD: fact_type, ZERO_FIELD: 0}
                for name, kind, nullable in kinds:
                    value = fact.get(name)
                    if value is None:
                        if not nullable:
                            raise InvalidFacts(f"{fact_type}.{name} is null but the schema says it never is")
                        continue
                    # fast paths for the common values, each accepting exactly what _encode accepts
                    vt = type(value)
                    if kind == "str" and vt is str and len(value) <= _SHORT and "\x00" not in value:
                        out[name] = value  # at most 4 bytes per character: within MAX_STRING_BYTES
                    elif kind == "date" and vt is date:
                        out[name] = value.toordinal()
                    elif (kind == "bool" and vt is bool) or (kind == "int" and vt is int and -VALUE_BOUND <= value <= VALUE_BOUND):
                        out[name] = value
                    elif vt is Unknown and name in unknowable:
                        # the rules reading this field are judged by the Python evaluator for this case (their
                        # engine matches are dropped); the engine sees a neutral value of the field's kind, not a
                        # missing property, on which its arithmetic (item.yes * 2) would fail the whole assertion
                        self.unknown_rules |= unknowable[name]
                        if kind in _NEUTRAL:
                            out[name] = _NEUTRAL[kind]
                    else:
                        out[name] = _encode(value, kind, fact_type, name)
                for name, derived, ft in self._derived.get(fact_type, ()):
                    value = _list(fact.get(derived.source), ft, fact_type, derived.source)
                    if value is not None:
                        # exactly the Python evaluator's len() and `in` on this list
                        out[name] = len(value) if derived.kind == "len" else derived.literal in value
                batch.append(out)
                index[eid] = (fact_type, i)
                for mtype, source in self._members.get(fact_type, ()):
                    for j, member in enumerate(_list(fact.get(source), SCHEMA[fact_type][source], fact_type, source) or ()):
                        batch.append({"id": f"{eid}.{source}.{j}", "sid": SID, TYPE_FIELD: mtype, ZERO_FIELD: 0,
                                      MEMBER_OWNER: eid, MEMBER_VALUE: _encode(member, "str", fact_type, f"{source}[{j}]")})
        batch.append({"id": GATE_TYPE, "sid": SID, TYPE_FIELD: GATE_TYPE, ZERO_FIELD: 0})
        return json.dumps(batch, ensure_ascii=False), index

    def run(self, payload: str) -> list[tuple[str, dict[str, Any]]]:
        """Assert one case's facts, drain every action, delete the session: [(rule name, frame)]."""
        e, h = self.engine, self.handle
        code, state_offset = e.assert_facts(h, payload)
        if code not in (0, 1):  # 0: all handled; 1: some fact reached no rule (fine); 2 (observed), 3: never expected
            raise EngineFailure(f"assert_facts returned {code}")
        matches: list[tuple[str, dict[str, Any]]] = []
        result = e.start_action_for_state(h, state_offset)
        while result:
            messages = json.loads(result[1] if isinstance(result, tuple) else result)
            for name, frames in messages.items():
                for frame in (frames if isinstance(frames, list) else [frames]):
                    matches.append((name, frame))
            result = e.complete_and_start_action(h, state_offset)
        done = sum(1 for name, _ in matches if name == DONE_RULE)
        if done != 1:
            raise EngineFailure(f"the always-firing rule fired {done} times")
        e.delete_state(h, SID)
        return matches

    def _findings(self, matches, index: Mapping[str, tuple[str, int]], facts: FactSet,
                  skip: set[str] = frozenset()) -> list[Finding]:  # type: ignore[assignment]
        seen: set[tuple[str, tuple[str, ...]]] = set()
        out: list[Finding] = []
        by_name = self.compiled.by_name
        for name, frame in matches:
            if name == DONE_RULE:
                continue
            er = by_name.get(name)
            if er is None:
                raise EngineFailure(f"unknown rule {name!r} fired")
            if er.rule_id in skip:
                continue
            ids = tuple(frame[ea]["id"] for _, ea in er.aliases)
            key = (er.rule_id, ids)
            if key in seen:  # the same binding through other exists facts, list members or branches
                continue
            seen.add(key)
            combo = []
            for (alias, fact_type), eid in zip(self.python_rules[er.rule_id].rule.match, ids):
                ft, i = index[eid]
                if ft != fact_type:
                    raise EngineFailure(f"{er.rule_id}: alias {alias} matched a {ft} fact")
                combo.append(facts[ft][i])
            out.append(self._finding(er.rule_id, er.params, tuple(combo), facts))
        return out

    def _finding(self, rule_id: str, params: Mapping[str, Any], combo: tuple, facts: FactSet) -> Finding:
        """The finding for a binding the engine matched, made by the Python evaluator's own code for one
        binding (CompiledRule.judge_binding in python.py): act date and editions in force, `when` checked again,
        pending or unknown by `pending_when`, the message (pending message, or the unknown message from
        the title and the reason), the severity raised where `escalate.when` holds. A binding for which
        the rule does not hold there is an engine error (the case is then judged in Python, with a note)."""
        compiled = self.python_rules[rule_id]
        env = dict(zip(compiled.aliases, combo))
        out: list[Finding] = []
        compiled.judge_binding(env, facts, out)
        if len(out) != 1:
            raise EngineFailure(f"{rule_id} matched {[f['id'] for f in combo]}, for which the rule does not hold")
        finding = out[0]
        if finding.act_date is None or dict(compiled._in_force(date.fromisoformat(finding.act_date))[1]) != dict(params):
            raise EngineFailure(f"{rule_id} matched with the parameters of another edition")
        return finding

    def close(self) -> None:
        """Nothing to release eagerly: rulesets live as long as the process."""


def _list(value: Any, ft, fact_type: str, name: str) -> list | tuple | None:
    """A list field the engine reads through derived properties or member facts (None: missing)."""
    if value is None:
        if not ft.nullable:
            raise InvalidFacts(f"{fact_type}.{name} is null but the schema says it never is")
        return None
    if not isinstance(value, (list, tuple)):
        raise InvalidFacts(f"{fact_type}.{name} is not a list")
    return value


def _encode(value: Any, kind: str, fact_type: str, name: str) -> Any:
    where = f"{fact_type}.{name}"
    if isinstance(value, Unknown):
        raise InvalidFacts(f"{where} is unknown")
    if kind == "date":
        if not isinstance(value, date) or isinstance(value, datetime):
            raise InvalidFacts(f"{where} is not a date")
        return value.toordinal()
    if kind == "bool":
        if not isinstance(value, bool):
            raise InvalidFacts(f"{where} is not true/false")
        return value
    if kind == "int":
        if type(value) is not int or abs(value) > VALUE_BOUND:
            raise InvalidFacts(f"{where}={value!r} is not an integer within ±{VALUE_BOUND}")
        return value
    if kind == "num":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or abs(value) > VALUE_BOUND or (value != 0 and abs(value) < MIN_FLOAT):
            raise InvalidFacts(f"{where}={value!r} is not a number the engine computes exactly")
        return float(value) + 0.0
    if kind == "str":
        if not isinstance(value, str) or "\x00" in value or len(value.encode("utf-8")) > MAX_STRING_BYTES:
            raise InvalidFacts(f"{where} is not a text the engine compares safely")
        return value
    raise InvalidFacts(f"{where} has kind {kind}, which the engine does not read")


def check_available(rulebook) -> None:
    """Raise EngineUnavailable (no engine module) or ValueError (rulebook the engine cannot take)."""
    load_engine_module()
    compile_ruleset(list(rulebook.rules), rulebook.editions)
