"""Auditing cases: validate, derive facts, evaluate, and collect results — one case never stops the rest."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from cadre_rules.reading.cases import CaseValidationError, InputError, RawCase, read_cases, validate_case
from cadre_rules.engine import make_evaluator
from cadre_rules.engine.findings import Finding
from cadre_rules.facts import derive_facts
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

    def findings(self, case: Case, only: set[str] | None = None) -> list[Finding]:
        """All findings for a validated case, in a deterministic order."""
        return self.judge(case, only)[0]

    def judge(self, case: Case, only: set[str] | None = None) -> tuple[list[Finding], list[str]]:
        """Findings and notes (e.g. the durable engine failed and Python judged the case)."""
        if self.worker is not None:
            return self.worker.judge(case.id, derive_facts(case), only)
        findings = self.evaluator.evaluate(derive_facts(case), only)
        return findings, list(getattr(self.evaluator, "last_notes", ()))

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()

    def audit_data(self, data: Any, source: str = "<data>") -> CaseResult:
        """Validate raw data and judge it; invalid data gives an `invalid` result, never an exception."""
        try:
            case = validate_case(data)
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
            return CaseResult(raw.case_id, raw.source, "invalid", [InputError("", raw.error)])
        return self.audit_data(raw.data, raw.source)

    def audit_paths(self, paths: Iterable[str | Path]) -> Iterator[CaseResult]:
        if self.worker is not None:
            yield from self._audit_in_worker(read_cases(paths))
            return
        for raw in read_cases(paths):
            yield self.audit_raw(raw)

    def _audit_in_worker(self, raws: Iterable[RawCase], chunk: int = 64) -> Iterator[CaseResult]:
        """Batch through the durable worker: cases pipelined to the child, results in input order."""
        def flush(batch: list[tuple[CaseResult, Any]]) -> Iterator[CaseResult]:
            items = [(r.case_id, facts, None, i) for i, (r, facts) in enumerate(batch) if facts is not None]
            for i, findings, notes in self.worker.judge_many(items):
                batch[i][0].findings, batch[i][0].notes = findings, notes
            yield from (r for r, _ in batch)

        batch: list[tuple[CaseResult, Any]] = []
        for raw in raws:
            if raw.error is not None:
                batch.append((CaseResult(raw.case_id, raw.source, "invalid", [InputError("", raw.error)]), None))
            else:
                try:
                    case = validate_case(raw.data)
                except CaseValidationError as exc:
                    batch.append((CaseResult(exc.case_id, raw.source, "invalid", exc.errors), None))
                else:
                    batch.append((CaseResult(case.id, raw.source, "ok"), derive_facts(case)))
            if len(batch) >= chunk:
                yield from flush(batch)
                batch = []
        if batch:
            yield from flush(batch)


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


# ---- worker processes for batch audits (`cadre-rules audit --workers N`) ----

_WORKER_FN: Callable[[Any], Any] | None = None


def _worker_init(factory: Callable[[Any], Callable[[Any], Any]], arg: Any) -> None:
    global _WORKER_FN
    _WORKER_FN = factory(arg)


def _worker_chunk(items: list[Any]) -> list[Any]:
    assert _WORKER_FN is not None
    return [_WORKER_FN(item) for item in items]


def map_ordered(factory: Callable[[Any], Callable[[Any], Any]], arg: Any, items: Iterable[Any], workers: int, *,
                fallback: Callable[[Any], Any] | None = None, chunk: int = 64, ahead: int = 2) -> Iterator[Any]:
    """`factory(arg)(item)` for every item, computed in `workers` processes, yielded in input order.

    Each worker builds its function once (`factory` and `arg` must be picklable: a module-level
    function and plain options). Items go in chunks, at most `workers * ahead` chunks in flight, so
    memory stays flat however long the input. If a chunk fails — a worker died — `fallback` (a
    function of this process) computes that chunk item by item, and the rest of the input too once
    the pool is broken: one crash never stops the batch.
    """
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from itertools import islice

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init, initargs=(factory, arg))
    source = iter(items)
    pending: deque[tuple[list[Any], Any]] = deque()
    broken = False

    def submit() -> bool:
        nonlocal broken
        batch = list(islice(source, chunk))
        if not batch:
            return False
        future = None
        if not broken:
            try:
                future = pool.submit(_worker_chunk, batch)
            except Exception:
                if fallback is None:
                    raise
                broken = True
        pending.append((batch, future))
        return True

    try:
        for _ in range(max(1, workers * ahead)):
            if not submit():
                break
        while pending:
            batch, future = pending.popleft()
            try:
                if future is None:
                    raise RuntimeError("worker pool unavailable")
                results = future.result()
            except Exception:
                if fallback is None:
                    raise
                broken = True
                results = [fallback(item) for item in batch]
            yield from results
            submit()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
