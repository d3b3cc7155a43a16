"""Mutation testing of a rulebook: does each rule's own specification notice when the rule changes?

For every mutant (cadre_rules/rulebook/mutate.py) of a rule, the rule's Gherkin scenarios (tagged with
its id) and the example cases (whose `meta.expected` lists their findings) are judged again with the rule
changed; a mutant is *killed* when some scenario fails or some example's findings differ, *survives*
otherwise. Mutants of editions.yaml change every rule citing the edition and are judged by all scenarios
and examples.

How it stays fast (minutes for the national rulebook on two cores): each scenario's case-building steps
run once; a mutant replaces only the changed rules' findings (the rule compiled again, evaluated on the
scenario's derived facts, kept in the same order the evaluator sorts them), and only the scenario's
expectations run again. No file is written and no process started.
"""
from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from cadre_rules.bdd.context import SpecContext
from cadre_rules.bdd.inprocess import Prepared, StepLibrary, passes, prepare, read_scenarios
from cadre_rules.engine.findings import Finding
from cadre_rules.engine.python import CompiledRule
from cadre_rules.facts import derive_facts
from cadre_rules.rulebook import Rulebook
from cadre_rules.rulebook.model import Rule
from cadre_rules.rulebook.mutate import Mutant, equivalence, generate, generate_editions

STATUSES = ("killed", "survived", "equivalent")
EDITIONS = "(editions)"


@dataclass
class MutantResult:
    mutant: Mutant
    status: str  # killed | survived | equivalent
    diff: str
    killed_by: str | None = None  # scenario (feature:line name) or example file, and what failed
    equivalent: str | None = None  # why: "by construction: …" or "recorded: …"
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        m = self.mutant
        out: dict[str, Any] = {"id": m.id, "kind": m.kind, "change": m.stage_of_change, "description": m.description,
                               "status": self.status, "diff": self.diff}
        for key in ("killed_by", "equivalent", "note"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        return out


@dataclass
class RuleResult:
    rule_id: str
    stage: str
    scenarios: int
    results: list[MutantResult] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # recorded equivalents that name no mutant any more

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def score(self) -> float:
        judged = len(self.results) - self.count("equivalent")
        return 1.0 if judged == 0 else self.count("killed") / judged

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule_id, "stage": self.stage, "scenarios": self.scenarios, "mutants": len(self.results),
                **{s: self.count(s) for s in STATUSES}, "score": round(self.score, 4),
                "survivors": [r.to_dict() for r in self.results if r.status == "survived"],
                "equivalents": [r.to_dict() for r in self.results if r.status == "equivalent"],
                **({"stale_equivalents": self.stale} if self.stale else {}),
                "mutants_detail": [r.to_dict() for r in self.results]}


@dataclass
class MutationReport:
    rulebook: Rulebook
    features: str | None
    examples: str | None
    rules: list[RuleResult]
    scenario_problems: list[str]
    example_problems: list[str]
    seconds: float
    sample: int | None = None
    seed: int | None = None

    def all_results(self) -> list[MutantResult]:
        return [r for rule in self.rules for r in rule.results]

    def summary(self) -> dict[str, Any]:
        results = self.all_results()
        counts = Counter(r.status for r in results)
        judged = len(results) - counts["equivalent"]
        by_stage: dict[str, Counter] = {}
        for rule in self.rules:
            c = by_stage.setdefault(rule.stage, Counter())
            c["rules"] += 1
            c["mutants"] += len(rule.results)
            for status in STATUSES:
                c[status] += rule.count(status)
        by_kind: dict[str, Counter] = {}
        for r in results:
            by_kind.setdefault(r.mutant.kind, Counter())[r.status] += 1
        return {"rules": sum(1 for r in self.rules if r.rule_id != EDITIONS), "mutants": len(results),
                **{s: counts[s] for s in STATUSES},
                "killed_percent": round(100.0 * counts["killed"] / judged, 2) if judged else 100.0,
                "by_stage": {stage: {"rules": c["rules"], "mutants": c["mutants"], **{s: c[s] for s in STATUSES},
                                     "killed_percent": round(100.0 * c["killed"] / (c["mutants"] - c["equivalent"]), 2)
                                     if c["mutants"] - c["equivalent"] else 100.0}
                             for stage, c in by_stage.items()},
                "by_kind": {kind: {s: c[s] for s in STATUSES} for kind, c in sorted(by_kind.items())},
                "seconds": round(self.seconds, 1)}

    def below(self, min_score: float) -> list[RuleResult]:
        return [r for r in self.rules if r.results and r.score < min_score]

    def to_dict(self) -> dict[str, Any]:
        return {"rulebook": {"root": str(self.rulebook.root), "profile": self.rulebook.profile,
                             "version": self.rulebook.version},
                "features": self.features, "examples": self.examples,
                **({"sample": self.sample, "seed": self.seed} if self.sample is not None else {}),
                "summary": self.summary(),
                "problems": {"scenarios": self.scenario_problems, "examples": self.example_problems},
                "rules": [r.to_dict() for r in self.rules]}


# --- judging a changed rulebook ----------------------------------------------------------------------------


class _Switch:
    """The mutant in force for every context of the run (None: the unchanged rules)."""

    def __init__(self) -> None:
        self.mutant: Mutant | None = None
        self._compiled: dict[tuple[int, str], dict[str, CompiledRule]] = {}

    def compiled(self, rulebook: Rulebook) -> dict[str, CompiledRule]:
        """The changed case rules of `rulebook` under the current mutant, compiled (cached per rulebook)."""
        return self._changed(rulebook, "case")

    def compiled_register(self, rulebook: Rulebook) -> dict[str, CompiledRule]:
        """The changed `scope: register` rules (judged per unit of a register, never on a case's facts)."""
        return self._changed(rulebook, "register")

    def _changed(self, rulebook: Rulebook, scope: str) -> dict[str, CompiledRule]:
        assert self.mutant is not None
        key = (id(rulebook), scope, self.mutant.id + "\0" + self.mutant.rule_id)
        if key not in self._compiled:
            out: dict[str, CompiledRule] = {}
            for rule in rulebook.rules if scope == "case" else rulebook.register_rules:
                applied = self.mutant.apply(rule, rulebook.editions)
                if applied is not None:
                    out[rule.id] = CompiledRule(applied[0], applied[1])
            self._compiled[key] = out
        return self._compiled[key]

    def forget(self) -> None:
        self._compiled.clear()


def _patched(base: list[Finding], changed: Mapping[str, CompiledRule], facts: Any,
             stage_order: Mapping[str, int]) -> list[Finding]:
    """The findings with the changed rules' findings replaced, ordered as the evaluator orders them."""
    out = [f for f in base if f.rule_id not in changed]
    for compiled in changed.values():
        out += compiled.evaluate(facts)
    out.sort(key=lambda f: f.sort_key(dict(stage_order)))
    return out


class MutationSpec(SpecContext):
    """A scenario context whose findings come from the rulebook changed by the run's current mutant."""

    def __init__(self, switch: _Switch, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._switch = switch
        self._facts_key: Any = None
        self._facts: Any = None

    @property
    def findings(self) -> list[Finding]:
        base = SpecContext.findings.fget(self)  # type: ignore[attr-defined]
        if self._switch.mutant is None:
            return base
        changed = self._switch.compiled(self.rulebook)
        if not changed:
            return base
        key = (id(self.builder), self.builder.version)
        if self._facts_key != key:
            self._facts, self._facts_key = derive_facts(self.validated_case()), key
        return _patched(base, changed, self._facts, self.auditor.evaluator.stage_order)

    def mutated_register(self, base: list[Any], unit_facts: Callable[[], list[Any]]) -> list[Any]:
        """A register scenario's unit results (bdd/register.py) with the changed register rules' findings
        replaced, each judged again on its unit's facts; `base` itself when no register rule changed."""
        if self._switch.mutant is None:
            return base
        changed = self._switch.compiled_register(self.rulebook)
        if not changed:
            return base
        from cadre_rules.audit.register import UnitResult

        order = self.auditor.evaluator.stage_order
        return [UnitResult(r.unit, _patched(r.findings, changed, facts, order)) for r, facts in zip(base, unit_facts())]


@dataclass
class _Example:
    name: str
    facts: Any
    base: list[Finding]
    expected: Counter


def _examples(directory: Path, rulebook: Rulebook, problems: list[str]) -> list[_Example]:
    from cadre_rules.audit.auditor import Auditor
    from cadre_rules.reading.cases import CaseValidationError, iter_case_files, read_cases, validate_case

    auditor = Auditor(rulebook)
    out = []
    for raw in read_cases(list(iter_case_files([directory]))):
        name = Path(raw.source).name
        expected = ((raw.data or {}).get("meta") or {}).get("expected") if isinstance(raw.data, dict) else None
        if not isinstance(expected, dict):
            continue  # an example without promised findings cannot kill anything
        try:
            case = validate_case(raw.data)
        except CaseValidationError as exc:
            problems.append(f"{name}: invalid case ({exc})")
            continue
        want = Counter((verdict, rid) for verdict, ids in expected.items() for rid in ids or ())
        facts = derive_facts(case)
        base = auditor.evaluator.evaluate(facts)
        got = Counter((f.verdict, f.rule_id) for f in base)
        if got != want:
            problems.append(f"{name}: does not give its meta.expected findings on the unchanged rules "
                            f"(missing {sorted((want - got).elements())}, unexpected {sorted((got - want).elements())})")
            continue
        out.append(_Example(name, facts, base, want))
    return out


# --- the run ------------------------------------------------------------------------------------------------


def run_mutation(rulebook: Rulebook, features_dir: str | Path | None, examples_dir: str | Path | None = None,
                 rules_dir: str | Path | None = None, only: Iterable[str] | None = None, include_editions: bool = True,
                 sample: int | None = None, seed: int = 0, step_modules: Iterable[str] = ("cadre_rules.bdd.steps",),
                 progress: Callable[[str], None] | None = None) -> MutationReport:
    """Generate the mutants of `rulebook` (the rules in `only`, or all) and judge each by the rule's
    scenarios under `features_dir` and the examples under `examples_dir`.

    `rules_dir` is the directory scenarios are judged by when they name none (as `--cadre-rules`);
    `sample` keeps that many mutants chosen with `seed` (a bounded run for a test suite)."""
    started = time.perf_counter()
    wanted = set(only) if only is not None else None
    every = [*rulebook.rules, *rulebook.register_rules]  # case rules, then the cross-case (register) rules
    if wanted is not None and (unknown := wanted - {r.id for r in every}):
        raise KeyError(f"unknown rule(s): {', '.join(sorted(unknown))}")
    rules = [r for r in every if wanted is None or r.id in wanted]
    by_id = {r.id: r for r in every}
    switch = _Switch()
    cache: dict[Any, Any] = {}
    profile = rulebook.profile

    def make_spec() -> SpecContext:
        return MutationSpec(switch, rules_dir, profile, cache)

    library = StepLibrary(step_modules)
    scenario_problems: list[str] = []
    prepared: list[Prepared] = []
    if features_dir is not None:
        for scenario in read_scenarios(features_dir):
            if not scenario.rules or (wanted is not None and not wanted.intersection(scenario.rules)):
                continue  # only a rule's own scenarios can kill its mutants (editions: run over all rules)
            p = prepare(scenario, library, make_spec)
            if p.error:
                scenario_problems.append(f"{scenario.where} {scenario.name}: {p.error}")
            else:
                prepared.append(p)
    example_problems: list[str] = []
    examples = _examples(Path(examples_dir), rulebook, example_problems) if examples_dir is not None else []
    stage_order = dict(rulebook.stages.order)

    plan: list[tuple[str, Mutant]] = []
    for rule in rules:
        plan += [(rule.id, m) for m in generate(rule, rulebook.editions)]
    if include_editions and wanted is None:
        plan += [(EDITIONS, m) for m in generate_editions(rulebook.editions, rules)]
    if sample is not None and sample < len(plan):
        chosen = set(random.Random(seed).sample(range(len(plan)), sample))
        plan = [item for i, item in enumerate(plan) if i in chosen]

    by_rule: dict[str, RuleResult] = {}
    for rule in rules:
        by_rule[rule.id] = RuleResult(rule.id, rule.stage, sum(rule.id in p.scenario.rules for p in prepared))
    if any(owner == EDITIONS for owner, _ in plan):
        by_rule[EDITIONS] = RuleResult(EDITIONS, "editions", len(prepared))
    seen: dict[str, set[Any]] = {}
    for owner, mutant in plan:
        rule = by_id[owner] if owner != EDITIONS else None
        result = _judge(mutant, rule, rulebook, prepared, examples, switch, library, make_spec, stage_order, seen)
        if result is not None:
            by_rule[owner].results.append(result)
            if progress:
                progress(f"{owner} {mutant.id}: {result.status}")
        switch.forget()
    if sample is None:
        for rule in rules:
            ids = {r.mutant.id for r in by_rule[rule.id].results}
            by_rule[rule.id].stale = sorted(set(rule.mutation) - ids)
    return MutationReport(rulebook, str(features_dir) if features_dir else None,
                          str(examples_dir) if examples_dir else None, list(by_rule.values()), scenario_problems,
                          example_problems, time.perf_counter() - started, sample, seed if sample is not None else None)


def _judge(mutant: Mutant, rule: Rule | None, rulebook: Rulebook, prepared: list[Prepared], examples: list[_Example],
           switch: _Switch, library: StepLibrary, make_spec: Callable[[], SpecContext], stage_order: Mapping[str, int],
           seen: dict[str, set[Any]]) -> MutantResult | None:
    if rule is not None:
        diff = mutant.diff(rule, rulebook.editions)
        if mutant.part is not None:  # two mutants giving the same condition are one mutant
            applied = mutant.apply(rule, rulebook.editions)
            assert applied is not None
            key = getattr(applied[0], mutant.part)
            if key in seen.setdefault(rule.id + mutant.part, set()) or key == getattr(rule, mutant.part):
                return None
            seen[rule.id + mutant.part].add(key)
        why = equivalence(mutant, rule, rulebook.editions)
        affected = [rule.id]
    else:
        citing = [r for r in (*rulebook.rules, *rulebook.register_rules) if any(c.edition == mutant.name for c in r.basis)]
        reasons = [equivalence(mutant, r, rulebook.editions) for r in citing]
        why = reasons[0] if reasons and all(reasons) else None
        old = rulebook.editions[mutant.name or ""]
        key = "start" if mutant.source == "from" else "end"
        applied_all = mutant.apply(citing[0], rulebook.editions) if citing else None
        new = applied_all[1][old.id] if applied_all else old
        diff = f"- editions[{old.id}].{mutant.source}: {getattr(old, key)}\n+ editions[{old.id}].{mutant.source}: {getattr(new, key)}"
        affected = [r.id for r in citing]
    if why:
        return MutantResult(mutant, "equivalent", diff, equivalent=f"by construction: {why}")
    switch.mutant = mutant
    try:
        killer = _first_kill(mutant, rule, rulebook, prepared, examples, switch, library, make_spec, stage_order)
    finally:
        switch.mutant = None
    recorded = rule.mutation.get(mutant.id) if rule is not None else None
    if killer:
        note = "recorded as equivalent in the rule file, but a scenario or example kills it" if recorded else None
        return MutantResult(mutant, "killed", diff, killed_by=killer, note=note)
    if recorded:
        return MutantResult(mutant, "equivalent", diff, equivalent=f"recorded: {recorded}")
    del affected
    return MutantResult(mutant, "survived", diff)


def _first_kill(mutant: Mutant, rule: Rule | None, rulebook: Rulebook, prepared: list[Prepared],
                examples: list[_Example], switch: _Switch, library: StepLibrary,
                make_spec: Callable[[], SpecContext], stage_order: Mapping[str, int]) -> str | None:
    changed = switch.compiled(rulebook)
    for ex in examples if changed else ():  # a register rule's mutant changes no case's findings
        try:
            got = _patched(ex.base, changed, ex.facts, stage_order)
        except Exception as exc:  # noqa: BLE001 - a mutant that cannot even run is noticed
            return f"example {ex.name}: the changed rule raises {type(exc).__name__}: {exc}"
        ids = set(changed)
        now = Counter((f.verdict, f.rule_id) for f in got if f.rule_id in ids)
        want = Counter({k: v for k, v in ex.expected.items() if k[1] in ids})
        if now != want:
            return (f"example {ex.name}: missing {sorted((want - now).elements())}, "
                    f"unexpected {sorted((now - want).elements())}")
    for p in prepared:
        if rule is not None and rule.id not in p.scenario.rules:
            continue
        try:
            failure = passes(p, library, make_spec)
        except Exception as exc:  # noqa: BLE001
            return f"scenario {p.scenario.where} {p.scenario.name}: the changed rule raises {type(exc).__name__}: {exc}"
        if failure:
            return f"scenario {p.scenario.where} {p.scenario.name}: {failure}"
    return None


def spec_failures(rulebook: Rulebook, features_dir: str | Path | None, examples_dir: str | Path | None,
                  features: Iterable[str] | None = None, rules_dir: str | Path | None = None) -> list[str]:
    """Every scenario (of the named feature files, relative to `features_dir`; None: all) that fails and
    every example that does not give its `meta.expected` findings, judged as they are now — with the
    code as it is in this process (used to show that a change of the facts layer or the code generator
    is noticed by the specs)."""
    wanted = set(features) if features is not None else None
    cache: dict[Any, Any] = {}
    library = StepLibrary()
    failures: list[str] = []
    if features_dir is not None:
        for scenario in read_scenarios(features_dir):
            if wanted is not None and scenario.feature not in wanted:
                continue
            p = prepare(scenario, library, lambda: SpecContext(rules_dir, rulebook.profile, cache))
            if p.error and not p.error.startswith("not runnable"):
                failures.append(f"{scenario.where} {scenario.name}: {p.error}")
    if examples_dir is not None:
        _examples(Path(examples_dir), rulebook, failures)
    return failures


# --- output -------------------------------------------------------------------------------------------------


def mutation_table(report: MutationReport) -> str:
    from rich.console import Console
    from rich.table import Table

    buffer = StringIO()
    console = Console(file=buffer, width=200, no_color=True, highlight=False)
    table = Table(title=f"规则变异测试 Rule mutation — {report.rulebook.root} ({report.rulebook.profile})")
    for col in ("规则 Rule", "阶段 Stage", "场景 Scenarios", "变异 Mutants", "杀死 Killed", "存活 Survived",
                "等价 Equivalent", "得分 Score"):
        table.add_column(col)
    for r in report.rules:
        table.add_row(r.rule_id, r.stage, str(r.scenarios), str(len(r.results)), str(r.count("killed")),
                      str(r.count("survived")), str(r.count("equivalent")), f"{100 * r.score:.0f}%")
    console.print(table)
    s = report.summary()
    console.print(f"{s['mutants']} mutants: {s['killed']} killed, {s['survived']} survived, {s['equivalent']} equivalent; "
                  f"{s['killed_percent']}% of the non-equivalent killed ({s['seconds']} s)")
    for r in report.rules:
        for m in r.results:
            if m.status == "survived":
                console.print(f"\n存活 survived {r.rule_id} {m.mutant.id}: {m.mutant.description}\n{m.diff}")
        for stale in r.stale:
            console.print(f"\nstale: {r.rule_id} records {stale!r} as equivalent, but no such mutant exists now")
    for problem in report.scenario_problems + report.example_problems:
        console.print(f"problem: {problem}")
    return buffer.getvalue()


__all__ = ["MutantResult", "MutationReport", "RuleResult", "mutation_table", "run_mutation", "spec_failures"]
