"""Auditing cases: validate, derive facts, evaluate, and collect results — one case never stops the rest."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from cadre_rules.errors import CaseInputError, CaseValidationError, InputError
from cadre_rules.reading.cases import RawCase, validate_case
from cadre_rules.reading.limits import check_data, current_limits
from cadre_rules import codecache
from cadre_rules.engine import make_evaluator
from cadre_rules.engine.findings import Finding
from cadre_rules.engine.codegen import facts_read
from cadre_rules.engine.fused import FusedJudge
from cadre_rules.facts import FactSet, derive_facts
from cadre_rules.facts.calendar import years_covered
from cadre_rules.facts.derive import recorded_act_dates
from cadre_rules.model import Case
from cadre_rules.rulebook import Rulebook, load_rulebook
from cadre_rules.rulebook.editions import earliest_start


@dataclass
class CaseResult:
    case_id: str | None
    source: str
    status: str  # ok | invalid
    errors: list[InputError] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the case was judged when not as asked (engine fallbacks)
    out_of_scope: list[dict[str, Any]] = field(default_factory=list)  # acts before the earliest edition, not judged

    def to_dict(self) -> dict[str, Any]:
        out = {"case_id": self.case_id, "source": self.source, "status": self.status,
               "errors": [e.to_dict() for e in self.errors], "findings": [f.to_dict() for f in self.findings]}
        if self.notes:
            out["notes"] = list(self.notes)
        if self.out_of_scope:
            out["out_of_scope"] = list(self.out_of_scope)
        return out


class Auditor:
    """Judges cases against one rulebook with one engine. Reuse it: compiling happens once."""

    def __init__(self, rulebook: Rulebook | None = None, engine: str = "python", isolate: bool = True) -> None:
        """`engine="durable"` runs durable_rules in a child process (isolate=False: in this process)."""
        # The holiday files CADRE_RULES_HOLIDAYS names are read here, once: one that does not read is
        # the caller's HolidayDataError now, not an internal error of every case judged (facts/calendar.py
        # reads the variable when a working day is first counted).
        years_covered()
        self.rulebook = rulebook or load_rulebook()
        self.engine = engine
        self._scope: Any = None
        self.worker = None
        if engine == "durable" and isolate:
            from cadre_rules.engine.durable import check_available
            from cadre_rules.engine.durable_worker import DurableWorker

            check_available(self.rulebook)  # EngineUnavailable / compile errors here, not in the child
            self.evaluator = None
            self.worker = DurableWorker(list(self.rulebook.rules), self.rulebook.editions, self.rulebook.stages.order)
        else:
            self.evaluator = make_evaluator(engine, self.rulebook)
        # The facts the rulebook's rules and messages read (engine.codegen.facts_read): the Python
        # engine is given only those; the durable engine's network asserts every fact, so it gets all.
        self.plan = facts_read(self.rulebook.rules) if engine == "python" else None
        # Judging with the Python engine derives as generated for this rulebook (engine/fused.py).
        self.fused = FusedJudge(self.rulebook.rules, self.evaluator) if engine == "python" else None
        codecache.flush()  # the generated code compiled for this rulebook, for the next run (engine/codecache.py)

    def derive(self, case: Case) -> FactSet:
        """The facts of `case` that this auditor's rules read."""
        return derive_facts(case, self.plan)

    def findings(self, case: Case, only: set[str] | None = None) -> list[Finding]:
        """All findings for a validated case, in a deterministic order."""
        return self.judge(case, only)[0]

    def judge(self, case: Case, only: set[str] | None = None) -> tuple[list[Finding], list[str]]:
        """Findings and notes (e.g. the durable engine failed and Python judged the case)."""
        if self.worker is not None:
            return self.worker.judge(case.id, derive_facts(case), only)
        if self.fused is not None:
            return self.fused.findings(case, only), []
        findings = self.evaluator.evaluate(derive_facts(case, self.plan), only)
        return findings, list(getattr(self.evaluator, "last_notes", ()))

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()

    def audit_data(self, data: Any, source: str = "<data>") -> CaseResult:
        """Validate raw data and judge it; invalid data gives an `invalid` result, never an exception."""
        try:
            check_data(data, current_limits())  # depth, strings, numbers: before pydantic walks it
            case = validate_case(data)
        except CaseInputError as exc:
            case_id = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
            return CaseResult(case_id if exc.field != "id" else None, source, "invalid", [InputError(exc.field, exc.message)])
        except CaseValidationError as exc:
            return CaseResult(exc.case_id, source, "invalid", exc.errors)
        findings, notes = self.judge(case)
        return CaseResult(case.id, source, "ok", findings=findings, notes=notes, out_of_scope=self.out_of_scope(case))

    def out_of_scope(self, case: Case) -> list[dict[str, Any]]:
        """Acts of the case dated before the earliest edition in the rulebook (reported, not judged)."""
        earliest = earliest_start(self.rulebook.editions.values())
        if min(recorded_act_dates(case), default=earliest) >= earliest:
            return []  # the common case: nothing predates the earliest edition, no second pass needed
        if self._scope is None:
            self._scope = make_evaluator("python", self.rulebook)
        return self._scope.out_of_scope(derive_facts(case), earliest)

    def audit_raw(self, raw: RawCase) -> CaseResult:
        if raw.error is not None:
            return CaseResult(raw.case_id, raw.source, "invalid", [raw.input_error()])
        result = self.audit_data(raw.data, raw.source)
        if result.status == "invalid" and raw.text is not None:
            result.errors = raw.locate(result.errors)
        return result

    def audit_paths(self, paths: Iterable[str | Path]) -> Iterator[CaseResult]:
        """Results for every case under `paths` (files, directories, .jsonl, `-` for standard input),
        in input order, through the one batch driver (audit/batch.py)."""
        from cadre_rules.audit.batch import BatchOptions, judge_paths  # batch builds on this module

        options = BatchOptions(engine=self.engine, scope=True)
        for judged in judge_paths(paths, options, auditor=self):
            yield judged.result


def summarize(results: Iterable[CaseResult]) -> dict[str, Any]:
    cases = invalid = violated = pending = unknown = 0
    by_rule: dict[str, int] = {}
    for result in results:
        cases += 1
        invalid += result.status == "invalid"
        for f in result.findings:
            if f.verdict == "violated":
                violated += 1
                by_rule[f.rule_id] = by_rule.get(f.rule_id, 0) + 1
            pending += f.verdict == "pending"
            unknown += f.verdict == "unknown"
    return {"cases": cases, "invalid": invalid, "violated": violated, "pending": pending, "unknown": unknown,
            "by_rule": dict(sorted(by_rule.items()))}


def exit_status(results: Iterable[CaseResult]) -> int:
    """2 if any input was invalid; else 1 if a finding is violated with severity violation; else 0."""
    results = list(results)
    if any(r.status == "invalid" for r in results):
        return 2
    if any(f.blocking for r in results for f in r.findings):
        return 1
    return 0

