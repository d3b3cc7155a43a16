"""What each field of a planned derivation costs, and on how many records the rules reading it get
past their cheap filters: the most that static guards could save (issue 18; docs/performance.md
"Derivation, fifth round: static guards").

Why: the generated derivation (engine/fused.py, facts/compose.py) computes every field its plan names
for every record, while hand-written checks compute a value only after their cheap tests (the item's
kind, whether the decision was adopted, a flag of the record). A static guard would compute a field
only where some rule reading it gets past such tests; the most it can save is each field's cost times
the share of records where no reader does. This script measures both on bench_audit.py's corpus:

- the readers of each field (`readers`): every place a rule's act date, condition, pending and
  escalation conditions, message variants' conditions and messages read it, each with the cheap tests
  (a field never unknown compared with literals, a boolean field) on the same fact that the matcher
  answers before that read and that make the rule's condition false when they fail: the conjuncts
  before it in an `and`, and for a message or a pending condition the condition's top-level ones;
- on how many records some reader's tests hold (from the full facts of each case);
- what the fields cost: the builder composed for the plan against the builder of the plan without
  them (compile_builder), the runs taking turns 50 cases at a time, CPU time. One group's marginal cost
  is noisy (~0.3 us, more under load), so the groups are also removed together in bands of the share a
  guard would skip, and the bound is each band's cost times the largest share skipped in it.

    python benchmarks/profile_fields.py [--cases 3000] [--repeat 3] [--whole] [--examples]

`--whole`: the whole rulebook's plan instead of the 16 rules of benchmarks/handwritten.py. Also printed:
what the bound would be were the act date's period tested before the matcher's filters (it is not).
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import handwritten  # noqa: E402
from bench_audit import fine_interleaved  # noqa: E402 - one way of taking turns for every benchmark

from cadre_rules.audit.auditor import Auditor  # noqa: E402
from cadre_rules.engine import codegen  # noqa: E402
from cadre_rules.engine.codegen import facts_read  # noqa: E402
from cadre_rules.facts import SCHEMA, derive_facts  # noqa: E402
from cadre_rules.rulebook import ir  # noqa: E402
from cadre_rules.facts import appointment, case_fact, items, motion, publicity  # noqa: E402
from cadre_rules.facts.compose import compile_builder  # noqa: E402
from cadre_rules.facts.derive import _adopted_decisions, _last_recorded_date, rank  # noqa: E402
from cadre_rules.facts.kinship import kinship_graph  # noqa: E402
from cadre_rules.facts.months import month_only_dates  # noqa: E402
from cadre_rules.reading.cases import iter_case_files, load_case, validate_case_json  # noqa: E402
from cadre_rules.rulebook import load_rulebook  # noqa: E402
from cadre_rules.testing.synth import write_jsonl  # noqa: E402

MODULES = {"item": items, "appointment": appointment, "publicity": publicity, "case": case_fact, "motion": motion}


def turns(cases: list[Any], runs: dict[str, Callable[[Any], Any]], repeat: int) -> dict[str, float]:
    """The best total CPU seconds of each run: bench_audit.py's fine_interleaved (50-case chunks taking
    turns in a rotating order, so the first touch of a chunk's cases and the machine's bursts fall on
    every run alike), the best of its repeats."""
    return {name: min(totals) for name, totals in fine_interleaved(cases, runs, repeat=repeat).items()}


# --- the readers of each field and the cheap filters they share ----------------------------------------

def _cheap(node: ir.Node, fact_type: str, alias: str) -> tuple[str, str, Any] | None:
    """`node` as a test on one field of `alias`'s fact that plain Python answers exactly (a field never
    unknown compared with literals, or a boolean field never unknown or null), else None."""
    schema = SCHEMA[fact_type]

    def sure(name: str, nullable_ok: bool) -> bool:
        f = schema.get(name)
        return f is not None and not f.may_be_unknown and (nullable_ok or not f.nullable)

    match node:
        case ir.FieldRef(alias=a, name=name) if a == alias and sure(name, False) and schema[name].kind == "bool":
            return ("truthy", name, None)
        case ir.Not(operand=ir.FieldRef(alias=a, name=name)) if a == alias and sure(name, False) and schema[name].kind == "bool":
            return ("falsy", name, None)
        case ir.Compare(op=op, left=ir.FieldRef(alias=a, name=name), right=ir.Literal(value=value)) \
                if a == alias and op in ("==", "!=") and sure(name, True):
            return (op, name, value)
        case ir.Compare(op=op, left=ir.FieldRef(alias=a, name=name), right=ir.ListExpr(items=items)) \
                if a == alias and op in ("in", "not_in") and sure(name, False) and all(isinstance(i, ir.Literal) for i in items):
            return (op, name, tuple(i.value for i in items))
    return None


def holds(test: tuple[str, str, Any], fact: dict[str, Any]) -> bool:
    op, name, value = test
    v = fact[name]
    return {"truthy": lambda: bool(v), "falsy": lambda: not v, "==": lambda: v == value, "!=": lambda: v != value,
            "in": lambda: v in value, "not_in": lambda: v not in value}[op]()


def readers(rules: list[Any], period_first: bool = False) -> dict[tuple[str, str], list[tuple[Any, ...] | None]]:
    """(fact type, field) -> one guard per read: the cheap tests on the same fact that are answered before
    the read and make the rule's condition false when they fail (None: no such test). `period_first`:
    as if the matcher tested the act date's period before its filters (it does not: the filters come first)."""
    out: dict[tuple[str, str], list[tuple[Any, ...] | None]] = {}

    def walk(node: ir.Node, types: dict[str, str], guard: dict[str, tuple[Any, ...]]) -> None:
        match node:
            case ir.FieldRef(alias=alias, name=name):
                out.setdefault((types[alias], name), []).append(guard.get(alias, ()) or None)
            case ir.BoolOp(op="and", items=items):
                held = {a: tuple(g) for a, g in guard.items()}
                for item in items:
                    walk(item, types, held)
                    for alias, fact_type in types.items():
                        test = _cheap(item, fact_type, alias)
                        if test is not None:
                            held[alias] = (*held.get(alias, ()), test)
            case ir.Exists(fact_type=fact_type, alias=alias, cond=cond):
                inner = {**types, alias: fact_type}
                walk(cond, inner, {a: g for a, g in guard.items() if a != alias})
            case _:
                for child in codegen._children(node):
                    walk(child, types, guard)

    for rule in rules:
        types = dict(rule.match)
        after = _top_cheap(rule.when, types)  # what holds once the rule matched
        period: dict[str, tuple[Any, ...]] = {}
        if period_first and isinstance(rule.act_date, ir.FieldRef):
            period[rule.act_date.alias] = (("period", rule.act_date.name, (rule.effective_from, rule.effective_to)),)
            after = {a: (*period.get(a, ()), *after.get(a, ())) for a in set(after) | set(period)}
        walk(rule.act_date, types, {})
        walk(rule.when, types, period)
        for node in (rule.pending_when, rule.escalate_when, *(v.when for v in rule.message_variants)):
            if node is not None:
                walk(node, types, after)
        # a message is rendered for a finding of its own kind only: a variant's when its condition held, the
        # pending message when the pending condition held (engine/python.py CompiledRule._found)
        messages = [(v.message, _top_cheap(v.when, types)) for v in rule.message_variants]
        messages.append((rule.message, {}))
        if rule.pending_message:
            messages.append((rule.pending_message, _top_cheap(rule.pending_when, types) if rule.pending_when else {}))
        for templates, also in messages:
            held = {a: (*after.get(a, ()), *also.get(a, ())) for a in set(after) | set(also)}
            for template in templates.values():
                for alias, name in codegen._PLACEHOLDER.findall(template):
                    if alias in types:
                        out.setdefault((types[alias], name), []).append(held.get(alias, ()) or None)
        for alias, fact_type in types.items():  # every finding cites its facts by id and path
            for name in ("id", "path"):
                out.setdefault((fact_type, name), []).append(after.get(alias, ()) or None)
    return out


def _top_cheap(node: ir.Node, types: dict[str, str]) -> dict[str, tuple[Any, ...]]:
    """Alias -> the cheap tests among `node`'s top-level conjuncts (all hold when `node` is true)."""
    conjuncts = list(node.items) if isinstance(node, ir.BoolOp) and node.op == "and" else [node]
    held: dict[str, tuple[Any, ...]] = {}
    for c in conjuncts:
        for alias, fact_type in types.items():
            test = _cheap(c, fact_type, alias)
            if test is not None:
                held[alias] = (*held.get(alias, ()), test)
    return held


def needed(fact: dict[str, Any], guards: list[tuple[Any, ...] | None]) -> bool:
    """Whether some reader of a field gets past its filters on this fact."""
    for guard in guards:
        if guard is None:
            return True
        if all(_in(fact[t[1]], t[2]) if t[0] == "period" else holds(t, fact) for t in guard):
            return True
    return False


def _in(day: Any, days: tuple[Any, Any]) -> bool:
    """Whether a rule applies on its act date (a record without one is never judged)."""
    if not isinstance(day, date):
        return False
    return days[0] <= day and (days[1] is None or day <= days[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--whole", action="store_true", help="the whole rulebook's plan, not the 16 rules'")
    parser.add_argument("--examples", action="store_true", help="the example cases instead of the benchmark's corpus")
    args = parser.parse_args()
    load = os.getloadavg()
    if args.examples:  # the example cases (not the benchmark's corpus): the shares of a more varied set
        cases = [c for c in (load_case(p) for p in iter_case_files([ROOT / "examples" / "cases"]))
                 if not month_only_dates(c)]  # judged the lenient way, not by the generated derivation
    else:
        with tempfile.TemporaryDirectory(prefix="cadre-profile-") as tmp:
            corpus = Path(tmp) / "corpus.jsonl"
            write_jsonl(corpus, args.cases, 2024, 0.3)  # the corpus of bench_audit.py
            with corpus.open("rb") as handle:
                cases = [validate_case_json(line) for line in handle]
    n = len(cases)
    rulebook = load_rulebook()
    rules = [r for r in rulebook.rules if args.whole or r.id in handwritten.RULES]
    plan = facts_read(rules)
    subset = Auditor(dataclasses.replace(rulebook, rules=tuple(rules)))
    modules = {t: m for t, m in MODULES.items() if t in plan}
    derive = subset.fused.derive
    shared = {}
    for c in cases:
        shared[c.id] = {"item": (c, kinship_graph(c) if c.relations else {}), "publicity": (c,), "motion": (c,),
                        "appointment": (c, _adopted_decisions(c), c.as_of or _last_recorded_date(c), rank(c.post.level))}
        shared[c.id]["case"] = shared[c.id]["appointment"]
    source = "the examples" if args.examples else "bench_audit.py's corpus"
    print(f"{n} cases ({source}), 50-case chunks taking turns, best of {args.repeat}; "
          f"load {load[0]:.2f} at the start")

    def run_of(build: Callable[..., Any], fact_type: str) -> Callable[[Any], Any]:
        return lambda case: build(*shared[case.id][fact_type])

    parts = turns(cases, {
        f"judging, derive + evaluate ({len(rules)} rules)": subset.findings,
        "the hand-written checker (16 rules)": handwritten.judge,
        f"the derivation ({len(rules)} rules' plan)": derive,
        "adopted decisions": _adopted_decisions,
        "as_of": lambda c: c.as_of or _last_recorded_date(c),
        "kinship graph": lambda c: kinship_graph(c) if c.relations else {},
        **{f"{t} builder": run_of(compile_builder(m, plan[t]), t) for t, m in modules.items()},
    }, args.repeat)
    print("the derivation's parts, us/case:")
    for name, seconds in parts.items():
        print(f"  {name:34} {seconds / n * 1e6:6.2f}")
    # each field's readers and their filters; on how many records some reader's filters hold
    full = [derive_facts(c, plan) for c in cases]
    bound = {False: 0.0, True: 0.0}
    robust_bound = 0.0
    for fact_type, module in modules.items():
        wanted = sorted(plan[fact_type])
        facts = [f for fs in full for f in fs.get(fact_type, ())]
        groups: dict[Any, list[str]] = {}
        shares: dict[Any, dict[bool, float]] = {}
        read = {mode: readers(rules, mode) for mode in (False, True)}
        for field in wanted:
            by_mode = {mode: read[mode][(fact_type, field)] for mode in (False, True)}
            key = tuple(frozenset(g for g in guards) for guards in by_mode.values())
            groups.setdefault(key, []).append(field)
            shares[key] = {mode: sum(needed(f, guards) for f in facts) / max(len(facts), 1)
                           for mode, guards in by_mode.items()}
        runs = {"(all)": run_of(compile_builder(module, plan[fact_type]), fact_type)}
        for key, fields in groups.items():
            runs[", ".join(fields)] = run_of(compile_builder(module, frozenset(plan[fact_type]) - set(fields)), fact_type)
        # The marginal costs of single groups are noisy (~0.3 us each, more under load): the groups are
        # also removed together by the share of records a guard would skip (over half; 5-50 %; under 5 %),
        # each band's cost times the largest share skipped in it: an upper bound, robust to the noise.
        skipped = {key: 1 - shares[key][False] for key in groups}
        bands = {"over half": (0.5, 1.01), "5-50 %": (0.05, 0.5), "under 5 %": (1e-9, 0.05)}
        band_fields = {band: {f for key, fields in groups.items() if lo <= skipped[key] < hi for f in fields}
                       for band, (lo, hi) in bands.items()}
        for band, fields in band_fields.items():
            runs[f"({band})"] = run_of(compile_builder(module, frozenset(plan[fact_type]) - fields), fact_type)
        times = turns(cases, runs, args.repeat)
        whole = times.pop("(all)")
        robust = 0.0
        said = []
        for band, (lo, hi) in bands.items():
            cost = (whole - times.pop(f"({band})")) / n * 1e6
            most = max((skipped[key] for key in groups if lo <= skipped[key] < hi), default=0.0)
            robust += max(cost, 0.0) * most
            if band_fields[band]:
                said.append(f"{band} skipped ({len(band_fields[band])} fields, at most {most:.1%}): {cost:.2f} us/case")
        robust_bound += robust
        print(f"{fact_type}: fields a guard would skip on {'; on '.join(said) or 'no record'}; a guard saves at most "
              f"{robust:.2f} us/case")
        for key, fields in groups.items():
            cost = (whole - times[", ".join(fields)]) / n * 1e6
            filters = sorted({" and ".join(f"{t[1]} {t[0]} {t[2]!r}" for t in g) if g else "(none)"
                              for g in key[0]}) if key[0] else ["?"]
            saving = {mode: max(cost, 0.0) * (1 - shares[key][mode]) for mode in (False, True)}
            for mode in (False, True):
                bound[mode] += saving[mode]
            print(f"  {', '.join(fields)}\n      filters: {' | '.join(filters)}\n"
                  f"      cost {cost:5.2f}; needed on {shares[key][False]:6.1%} / {shares[key][True]:6.1%}; "
                  f"saving at most {saving[False]:4.2f} / {saving[True]:4.2f}")
    print(f"static guards could save at most {robust_bound:.2f} us/case, the groups removed together; "
          f"{bound[False]:.2f} summing each group's own (noisy) cost "
          f"({bound[True]:.2f} with the act date's period tested before the filters); "
          f"load {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
