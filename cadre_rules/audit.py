"""Auditing cases: validate, derive facts, evaluate, and collect results — one case never stops the rest."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from .caseio import CaseValidationError, InputError, RawCase, read_cases, validate_case
from .engine import make_evaluator
from .engine.findings import Finding
from .facts import derive_facts
from .model import Case
from .rulebook import Rulebook, load_rulebook


@dataclass
class CaseResult:
    case_id: str | None
    source: str
    status: str  # ok | invalid
    errors: list[InputError] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "source": self.source, "status": self.status,
                "errors": [e.to_dict() for e in self.errors], "findings": [f.to_dict() for f in self.findings]}


class Auditor:
    """Judges cases against one rulebook with one engine. Reuse it: compiling happens once."""

    def __init__(self, rulebook: Rulebook | None = None, engine: str = "python") -> None:
        self.rulebook = rulebook or load_rulebook()
        self.evaluator = make_evaluator(engine, self.rulebook)

    def findings(self, case: Case, only: set[str] | None = None) -> list[Finding]:
        """All findings for a validated case, in a deterministic order."""
        return self.evaluator.evaluate(derive_facts(case), only)

    def audit_data(self, data: Any, source: str = "<data>") -> CaseResult:
        """Validate raw data and judge it; invalid data gives an `invalid` result, never an exception."""
        try:
            case = validate_case(data)
        except CaseValidationError as exc:
            return CaseResult(exc.case_id, source, "invalid", exc.errors)
        return CaseResult(case.id, source, "ok", findings=self.findings(case))

    def audit_raw(self, raw: RawCase) -> CaseResult:
        if raw.error is not None:
            return CaseResult(raw.case_id, raw.source, "invalid", [InputError("", raw.error)])
        return self.audit_data(raw.data, raw.source)

    def audit_paths(self, paths: Iterable[str | Path]) -> Iterator[CaseResult]:
        for raw in read_cases(paths):
            yield self.audit_raw(raw)


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
