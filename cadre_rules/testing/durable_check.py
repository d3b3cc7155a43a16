"""Differential checking of the durable backend against the Python evaluator.

Silent memory corruption in the C engine cannot be excluded by counting crashes, so CI keeps
comparing both evaluators on the same facts: realistic synthetic cases (cadre_rules.testing.synth) and the
random fact sets made here, which reach the corners a real case rarely does (nulls, dates on
edition boundaries, duplicate candidates, unknown working days, empty fact types).
"""
from __future__ import annotations

import random
from datetime import date
from typing import Any, Iterable, Iterator, Mapping

from cadre_rules.facts import SCHEMA, FactSet, Unknown
from cadre_rules.facts.periods import days_after, next_day, previous_day
from cadre_rules.rulebook import ir
from cadre_rules.engine.findings import Finding


_IDS = ("candidate", "leader", "principal", "last_speaker")  # fields holding a candidate's id (c1, c2, c3)


def _list_pool(rules) -> dict[str, list[Any]]:
    """Per list field: the values the rulebook looks for in it (`"health" in cand.attested`, and the
    candidate ids where a candidate field is looked for, `item.candidate in c.related_candidates`)."""
    pool: dict[str, set[Any]] = {}
    for rule in rules:
        for root in (rule.when, rule.pending_when, rule.escalate_when):
            if root is None:
                continue
            for node in ir.walk(root):
                if isinstance(node, ir.Compare) and node.op in ("in", "not_in") and isinstance(node.right, ir.FieldRef):
                    values = pool.setdefault(node.right.name, set())
                    if isinstance(node.left, ir.Literal) and node.left.value is not None:
                        values.add(node.left.value)
                    elif isinstance(node.left, ir.FieldRef) and node.left.name in _IDS:
                        values.update(("c1", "c2", "c3"))
    return {k: sorted(v, key=repr) for k, v in pool.items()}


def _string_pool(rules) -> dict[str, list[str]]:
    """String literals of the rulebook per field name they are compared with, plus neutral values."""
    pool: dict[str, set[str]] = {}
    for rule in rules:
        for root in (rule.when, rule.pending_when, rule.escalate_when):
            if root is None:
                continue
            for node in ir.walk(root):
                if isinstance(node, ir.Compare) and isinstance(node.left, ir.FieldRef):
                    values = []
                    if isinstance(node.right, ir.Literal) and isinstance(node.right.value, str):
                        values = [node.right.value]
                    elif isinstance(node.right, ir.ListExpr):
                        values = [i.value for i in node.right.items if isinstance(i, ir.Literal) and isinstance(i.value, str)]
                    pool.setdefault(node.left.name, set()).update(values)
    return {k: sorted(v) for k, v in pool.items()}


def _date_pool(rulebook) -> list[date]:
    days: set[date] = set()
    for e in rulebook.editions.values():
        for d in (e.start, e.end):
            if d is not None:
                days.update({previous_day(d), d, next_day(d)})
    for r in rulebook.rules:
        days.add(r.effective_from)
    return sorted(days)


_DAY_COUNTS = {"spread_days", "post_overlap_days", "gap_before_days", "overlap_before_days"}
_YEARS = {"event_year"}  # calendar years, judged against a year such as 1995


MESSAGE_ONLY = frozenset({"person"})


class RandomFacts:
    """Seeded random fact sets over the whole schema, biased so that joins and edge cases happen."""

    def __init__(self, rulebook, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        # Fact types that only messages read (`person`: names beside ids) draw from their own generator,
        # so that they leave the other types' random stream — and the corners it reaches — as it was.
        self.message_rng = random.Random(f"messages:{seed}")
        # the dossier's turn facts draw from a stream of their own, so adding them left every other draw as it was
        self.turn_rng = random.Random(f"turn:{seed}")
        self.strings = _string_pool(rulebook.rules)
        self.lists = _list_pool(rulebook.rules)
        self.dates = _date_pool(rulebook)
        self.n = 0

    def value(self, fact_type: str, name: str, ft) -> Any:
        rng = self.message_rng if fact_type in MESSAGE_ONLY else self.turn_rng if fact_type == "turn" else self.rng
        if ft.may_be_unknown and rng.random() < 0.1:
            return Unknown(f"{fact_type}.{name}: outside the calendar (random)")
        if ft.nullable and rng.random() < 0.25:
            return None
        if ft.kind == "bool":
            return rng.random() < 0.5
        if ft.kind == "int":
            if name in _DAY_COUNTS:  # counts of days, judged against thresholds of weeks or months
                return rng.choice([0, 1, 31, 32, 183, 184, rng.randint(0, 400)])
            if name in _YEARS:
                return rng.choice([1994, 1995, 1996, rng.randint(1980, 2025)])
            if name == "on_prevailing":  # mostly at or above the thresholds (3, 5, 16, 18) ...
                return rng.choice([3, 4, 5, 6, 16, 18, 19])
            if name == "fewest":  # ... and the fewest mostly below them: a verdict another source would turn
                return rng.choice([1, 2, 2, 4, 15, 17])
            value = rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 12, rng.randint(0, 40)])
            # education ranks start at -1 (初中及以下): shifted, not redrawn, so every other draw stays as it was
            return value - 1 if name == "education_rank" else value
        if ft.kind == "num":
            return rng.choice([0.0, 0.5, 1.0, 2.5, rng.uniform(0, 20)])
        if ft.kind == "date":
            if rng.random() < 0.4:
                return rng.choice(self.dates)
            return days_after(date(2012, 1, 1), rng.randint(0, 3650))
        if ft.kind == "list":
            pool = self.lists.get(name, []) + ["m1", "m2"]
            return [rng.choice(pool) for _ in range(rng.choice([0, 0, 1, 1, 2, 3]))]
        pool = self.strings.get(name, []) + ["c1", "c2", "other"]
        if fact_type == "turn" and name == "measure":
            pool = self.strings.get(name, []) + ["other"]
        if name in _IDS:
            pool = ["c1", "c2", "c3"]
        return rng.choice(pool)

    def factset(self) -> FactSet:
        rng = self.rng
        self.n += 1
        facts: FactSet = {}
        for fact_type, fields in SCHEMA.items():
            count = 1 if fact_type == "case" else (self.message_rng if fact_type in MESSAGE_ONLY else self.turn_rng
                                                   if fact_type == "turn" else rng).choice(
                [0, 1, 1, 2, 3])
            if fact_type == "turn":  # one per count a rule judges: several per candidate, many branches to reach
                count *= 3
            out = []
            for i in range(count):
                fact: dict[str, Any] = {"id": f"{fact_type}:{self.n}/{i}", "path": f"{fact_type}[{i}]"}
                for name, ft in fields.items():
                    if name not in ("id", "path"):
                        fact[name] = self.value(fact_type, name, ft)
                out.append(fact)
            facts[fact_type] = out
        return facts

    def __iter__(self) -> Iterator[FactSet]:
        while True:
            yield self.factset()


def shuffled(facts: FactSet, rng: random.Random) -> FactSet:
    """The same facts in another order (per type, and the types themselves)."""
    types = list(facts)
    rng.shuffle(types)
    out: FactSet = {}
    for t in types:
        items = list(facts[t])
        rng.shuffle(items)
        out[t] = items
    return out


def comparable(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    return [f.to_dict() for f in findings]


def first_difference(expected: list[Finding], actual: list[Finding]) -> str | None:
    """None if both lists are identical; else a readable account of the first difference."""
    if list(expected) == list(actual):  # dataclass equality: every field, as to_dict() would compare
        return None
    a, b = comparable(expected), comparable(actual)
    if a == b:
        return None
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            keys = sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))
            return (f"finding #{i} differs in {', '.join(keys)}:\n  python:  {[(k, x.get(k)) for k in keys]}\n"
                    f"  durable: {[(k, y.get(k)) for k in keys]}")
    longer, name = (a, "python") if len(a) > len(b) else (b, "durable")
    extra = longer[min(len(a), len(b))]
    return (f"{name} has {abs(len(a) - len(b))} more finding(s); first extra: "
            f"{extra['rule_id']} {extra['verdict']} {extra['evidence']}")


def describe_facts(facts: Mapping[str, list[dict[str, Any]]]) -> str:
    lines = []
    for t, items in facts.items():
        for f in items:
            lines.append(f"  {t}: {f}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Differential runs over a corpus, split across processes (CI has two cores).


def _evaluators(rulebook):
    from cadre_rules.engine.durable import DurableEvaluator
    from cadre_rules.engine.python import PythonEvaluator

    args = (list(rulebook.rules), rulebook.editions, rulebook.stages.order)
    return PythonEvaluator(*args), DurableEvaluator(*args)


def _counting(du) -> dict[str, int]:
    """Count, per engine rule, how often it fires in `du` (to show a corpus is not vacuous)."""
    fired: dict[str, int] = {}
    run = du.run

    def counting_run(payload):
        matches = run(payload)
        for name, _ in matches:
            fired[name] = fired.get(name, 0) + 1
        return matches

    du.run = counting_run
    return fired


def _tally(report: dict[str, Any], findings: list[Finding]) -> None:
    report["findings"] += len(findings)
    for f in findings:
        report["verdicts"][f.verdict] = report["verdicts"].get(f.verdict, 0) + 1
        report["severities"].setdefault(f.rule_id, set()).add(f.severity)


def _new_report() -> dict[str, Any]:
    return {"cases": 0, "findings": 0, "failure": None, "verdicts": {}, "severities": {}, "fired": {}}


def compare_synthetic(rulebook, seed: int, violation_rate: float, start: int, stop: int) -> dict[str, Any]:
    """Both evaluators on synthetic cases start..stop-1 of the corpus (seed, violation_rate)."""
    import json

    from cadre_rules.reading.cases import validate_case
    from cadre_rules.facts import derive_facts
    from cadre_rules.testing.synth import generate_case

    py, du = _evaluators(rulebook)
    report = _new_report()
    report["fired"] = _counting(du)
    for index in range(start, stop):
        data = generate_case(seed, index, violation_rate)
        facts = derive_facts(validate_case(data))
        expected, actual = py.evaluate(facts), du.evaluate(facts)
        diff = first_difference(expected, actual)
        if diff is None and du.last_notes:
            diff = f"notes: {du.last_notes}"
        if diff is not None:
            report["failure"] = (f"synthetic case #{index} ({data.get('id')}) differs: {diff}\n"
                                 f"{json.dumps(data, ensure_ascii=False, default=str)}")
            break
        report["cases"] += 1
        _tally(report, expected)
    report["stats"] = dict(du.stats)
    return report


def compare_random(rulebook, seed: int, count: int) -> dict[str, Any]:
    """Both evaluators on `count` random fact sets (RandomFacts(rulebook, seed))."""
    py, du = _evaluators(rulebook)
    report = _new_report()
    report["fired"] = _counting(du)
    gen = RandomFacts(rulebook, seed=seed)
    for n in range(count):
        facts = gen.factset()
        expected, actual = py.evaluate(facts), du.evaluate(facts)
        diff = first_difference(expected, actual)
        if diff is None and du.last_notes:
            diff = f"notes: {du.last_notes}"
        if diff is not None:
            report["failure"] = f"random fact set #{n} of seed {seed}: {diff}\n{describe_facts(facts)}"
            break
        report["cases"] += 1
        _tally(report, expected)
    report["stats"] = dict(du.stats)
    return report


_JOB: dict[str, Any] = {}


def _run_job(name: str, args: tuple) -> dict[str, Any]:
    return globals()[name](_JOB["rulebook"], *args)


def in_processes(function, rulebook, jobs: list[tuple], processes: int = 2) -> dict[str, Any]:
    """Run function(rulebook, *job) for every job, `processes` at a time in forked children (the
    rulebook is inherited, not pickled); merge the reports (the first failure wins)."""
    import multiprocessing

    if processes <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        reports = [function(rulebook, *job) for job in jobs]
    else:
        _JOB["rulebook"] = rulebook
        try:
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                reports = pool.starmap(_run_job, [(function.__name__, job) for job in jobs])
        finally:
            _JOB.clear()
    merged = _new_report()
    merged["stats"] = {}
    for report in reports:
        merged["cases"] += report["cases"]
        merged["findings"] += report["findings"]
        merged["failure"] = merged["failure"] or report["failure"]
        for k, v in report["verdicts"].items():
            merged["verdicts"][k] = merged["verdicts"].get(k, 0) + v
        for k, v in report["severities"].items():
            merged["severities"].setdefault(k, set()).update(v)
        for k, v in report["fired"].items():
            merged["fired"][k] = merged["fired"].get(k, 0) + v
        for k, v in report["stats"].items():
            merged["stats"][k] = merged["stats"].get(k, 0) + v
    return merged
