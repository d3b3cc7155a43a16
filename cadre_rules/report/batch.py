"""A whole audit run: read cases as a stream, judge each (in worker processes if asked), apply waivers
and redaction, render case by case, summarise, and decide the exit status.

Memory stays flat: inputs are read one case at a time (a directory is listed, not loaded; a .jsonl
file is read line by line), every case is rendered as soon as it is judged, and only counters are
kept. With `workers > 1` the cases go in chunks to worker processes, each with its own pipeline
(rulebook, auditor, waivers, renderer), and come back — rendered — in input order; the parent only
writes the text and adds up the counts. A case that cannot be read, does not validate, or makes the
engine fail is reported as that case's result and the run goes on.
"""
from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple, TextIO

from cadre_rules.audit.auditor import Auditor, map_ordered
from cadre_rules.model import Case
from cadre_rules.reading.cases import (CASE_SUFFIXES, CaseValidationError, InputError, RawCase, _parse, case_from_json, iter_case_files,
                      validate_case)
from cadre_rules.report.redact import Redactor
from cadre_rules.rulebook import Rulebook, load_rulebook
from cadre_rules.audit.waivers import WaivedFinding, WaiverSet, load_waivers
from cadre_rules.report import FORMATS
from cadre_rules.report.base import ReportContext
from cadre_rules.report.model import CaseStats, ReportedCase, Summary, case_info

APPROVER_TOKEN = "〔审批人〕"


@dataclass(frozen=True)
class AuditOptions:
    """Everything a worker process needs to build the same pipeline as the parent (all picklable)."""

    fmt: str = "json"
    lang: str = "zh"
    rules_dir: str | None = None
    profile: str = "national"
    engine: str = "python"
    waivers: str | None = None
    as_of: date = field(default_factory=date.today)
    redact: bool = False
    command: str | None = None


class Unit(NamedTuple):
    """One case as read, not yet parsed: parsing happens where the case is judged (maybe a worker).

    Named tuples, here and for what comes back, because they cross between processes cheaply. For
    worker processes a case in a regular file is sent by reference (`file`, `offset`, `size`: the
    worker reads the bytes itself), so the parent never copies case texts through a pipe."""

    source: str
    suffix: str  # .json | .yaml | .yml | .jsonl (one line) | "" (an error)
    text: str | None = None
    error: str | None = None
    size: int = 0  # bytes of input it stands for (progress)
    file: str | None = None  # set when `text` is to be read from `file` at `offset`
    offset: int = 0


class Processed(NamedTuple):
    fragment: Any
    stats: CaseStats
    messages: tuple[str, ...]  # for standard error (already redacted when asked)
    size: int


def iter_units(paths: Iterable[str | Path], by_reference: bool = False) -> Iterator[Unit]:
    """Cases from files, directories and .jsonl streams, unparsed; same order and errors as caseio.read_cases.

    Every text is decoded here, so that a file that is not UTF-8 gives the same errors whoever reads
    it; with `by_reference`, a case in a regular file is then yielded by its place in the file."""
    for path in iter_case_files(paths):
        source = str(path)
        if not path.exists():
            yield Unit(source, "", error="no such file or directory")
            continue
        suffix = path.suffix.lower()
        if suffix not in CASE_SUFFIXES:
            yield Unit(source, "", error=f"not a case file (expected {', '.join(sorted(CASE_SUFFIXES))})")
            continue
        refer = by_reference and path.is_file()  # not a pipe: its bytes can be read again
        try:
            if suffix == ".jsonl":
                offset = 0
                with path.open("rb") as handle:
                    for number, line in enumerate(handle, start=1):
                        if line.strip():
                            text = line.decode("utf-8")
                            yield (Unit(f"{source}:{number}", ".jsonl", size=len(line), file=source, offset=offset)
                                   if refer else Unit(f"{source}:{number}", ".jsonl", text, size=len(line)))
                        offset += len(line)
                continue
            raw = path.read_bytes()
            text = raw.decode("utf-8")
            yield Unit(source, suffix, size=len(raw), file=source) if refer else Unit(source, suffix, text, size=len(raw))
        except (OSError, UnicodeDecodeError) as exc:
            yield Unit(source, "", error=f"cannot read: {exc}")


def unit_text(unit: Unit) -> str | None:
    """The unit's text, read from its file if it was sent by reference."""
    if unit.text is not None or unit.file is None:
        return unit.text
    fd = os.open(unit.file, os.O_RDONLY)
    try:
        return os.pread(fd, unit.size, unit.offset).decode("utf-8")
    finally:
        os.close(fd)


def input_size(paths: Iterable[str | Path]) -> int:
    total = 0
    for path in iter_case_files(paths):
        try:
            total += path.stat().st_size
        except OSError:
            pass
    return total


def parse_unit(unit: Unit) -> RawCase:
    if unit.error is not None:
        return RawCase(unit.source, error=unit.error)
    text = unit_text(unit)
    if unit.suffix == ".jsonl":
        try:
            return RawCase(unit.source, json.loads(text))
        except json.JSONDecodeError as exc:
            return RawCase(unit.source, error=f"invalid JSON at column {exc.colno}: {exc.msg}")
    return _parse(unit.source, text or "", unit.suffix)


class CasePipeline:
    """Judges, waives, redacts and renders one case at a time; one per process."""

    def __init__(self, options: AuditOptions, rulebook: Rulebook | None = None, waivers: WaiverSet | None = None) -> None:
        self.options = options
        self.rulebook = rulebook or load_rulebook(options.rules_dir, options.profile)
        if waivers is None and options.waivers:
            waivers = load_waivers(options.waivers, self.rulebook.ids)
        self.waivers = waivers
        self.auditor = Auditor(self.rulebook, options.engine)
        self.ctx = ReportContext(self.rulebook, options.lang, options.as_of, options.redact, options.waivers,
                                 options.command)
        self.renderer = FORMATS[options.fmt](self.ctx)

    def close(self) -> None:
        close = getattr(self.auditor, "close", None)
        if close:
            close()

    def judge(self, raw: RawCase) -> ReportedCase:
        """The case's result with its context, waivers applied and (if asked) redacted."""
        if raw.error is not None:
            result = ReportedCase(raw.case_id, raw.source, "invalid", [InputError("", raw.error)],
                                  case=case_info(None, raw.data))
        else:
            try:
                case = validate_case(raw.data)
            except CaseValidationError as exc:
                result = ReportedCase(exc.case_id, raw.source, "invalid", exc.errors, case=case_info(None, raw.data))
            else:
                result = self.judge_valid(case, raw.source)
        if self.options.redact:
            result = redact_case(result, raw.data)
        return result

    def judge_valid(self, case: Case, source: str) -> ReportedCase:
        """A validated case's result with its context and waivers applied (not redacted)."""
        try:
            judge = getattr(self.auditor, "judge", None)
            findings, notes = judge(case) if judge else (self.auditor.findings(case), [])
        except Exception as exc:  # an engine failure is this case's problem, never the batch's
            return ReportedCase(case.id, source, "invalid",
                                [InputError("", f"internal error while judging: {type(exc).__name__}: {exc}")],
                                case=case_info(case))
        events: list[Any] = []
        if self.waivers is not None:
            findings, events = self.waivers.apply(case.id, findings, self.options.as_of, self.rulebook.version)
        result = ReportedCase(case.id, source, "ok", findings=findings, case=case_info(case), waiver_events=events)
        if notes:
            result.notes = list(notes)  # CaseResult.notes: how the engine judged it (fallbacks)
        return result

    def _judge_unit(self, unit: Unit) -> ReportedCase:
        """JSON that validates goes straight from text to Case (pydantic-core parses and validates in
        one pass); anything else, and every case when redacting (which needs the raw data), takes the
        general path, which gives the errors."""
        if unit.suffix in (".json", ".jsonl") and unit.error is None and not self.options.redact:
            text = unit_text(unit)
            try:
                case = case_from_json(text)
            except CaseValidationError:
                case = None
            if case is not None:
                return self.judge_valid(case, unit.source)
            unit = unit._replace(text=text)  # read once
        return self.judge(parse_unit(unit))

    def messages(self, case: ReportedCase) -> tuple[str, ...]:
        """Lines for standard error: each problem of an invalid input, and engine notes."""
        who = f"{case.source}: {'case ' + case.case_id + ': ' if case.case_id else ''}"
        lines = [f"{who}{e.path + ': ' if e.path else ''}{e.message}" for e in case.errors] \
            if case.status == "invalid" else []
        lines += [f"{who}note: {note}" for note in getattr(case, "notes", ())]
        return tuple(lines)

    def process(self, unit: Unit) -> Processed:
        try:
            case = self._judge_unit(unit)
            fragment = self.renderer.fragment(case)
        except Exception as exc:  # a bug met by one case is reported as that case's result; the batch goes on
            case = ReportedCase(None, unit.source, "invalid",
                                [InputError("", f"internal error: {type(exc).__name__}")])
            fragment = self.renderer.fragment(case)
        return Processed(fragment, CaseStats.of(case), self.messages(case), unit.size)


def redact_case(case: ReportedCase, data: Any) -> ReportedCase:
    findings = [replace(f, waiver={**f.waiver, "approver": APPROVER_TOKEN})
                if isinstance(f, WaivedFinding) and f.waiver else f for f in case.findings]
    case = replace(case, findings=findings)
    return Redactor.for_case(data).apply(case)


# The parent's rulebook and waivers, keyed by options: worker processes started by fork inherit them
# instead of loading the rulebook again (with spawn the mapping is empty and each worker loads it).
_INHERITED: dict[AuditOptions, tuple[Rulebook, WaiverSet | None]] = {}


def _pipeline_factory(options: AuditOptions) -> Callable[[Unit], Processed]:
    rulebook, waivers = _INHERITED.get(options, (None, None))
    return CasePipeline(options, rulebook, waivers).process


@dataclass
class RunResult:
    status: int
    summary: dict[str, Any]
    problems: list[str]


def run_audit(paths: Iterable[str], options: AuditOptions, out: TextIO, *, workers: int = 1,
              progress: bool | None = None, err: Callable[[str], None] | None = None,
              rulebook: Rulebook | None = None, waivers: WaiverSet | None = None) -> RunResult:
    """Audit `paths` and write the report to `out`. Raises RulebookError / WaiverError before any output."""
    err = err or (lambda line: print(line, file=sys.stderr))
    paths = list(paths)
    rulebook = rulebook or load_rulebook(options.rules_dir, options.profile)
    if waivers is None and options.waivers:
        waivers = load_waivers(options.waivers, rulebook.ids)
    pipeline = CasePipeline(options, rulebook, waivers)
    summary = Summary(options.as_of, rulebook.stages.order)
    if waivers is not None:
        summary.watch = set(waivers.cases)
    renderer = pipeline.renderer
    if workers <= 0:
        workers = os.cpu_count() or 1
    units = iter_units(paths, by_reference=workers > 1)
    if workers > 1:
        _INHERITED.clear()
        _INHERITED[options] = (rulebook, waivers)
        results: Iterator[Processed] = map_ordered(_pipeline_factory, options, units, workers,
                                                   fallback=pipeline.process)
    else:
        results = map(pipeline.process, units)
    # By default a bar only when standard error is a terminal and the report does not go to that terminal too.
    show = progress if progress is not None else (sys.stderr.isatty() and not _isatty(out))
    bar = _Progress(input_size(paths)) if show else None
    renderer.begin(out)
    try:
        for item in results:
            summary.add(item.stats)
            renderer.add(out, item.fragment)
            for line in item.messages:
                err(line)
            if bar:
                bar.advance(item.size, summary)
    finally:
        if bar:
            bar.stop()
        pipeline.close()
        _INHERITED.clear()
    problems: list[str] = []
    doc = summary.to_dict()
    if waivers is not None:
        problems = waivers.unknown_cases(summary.cases_seen)
        doc["waivers"]["errors"] = problems
        doc["waivers"]["unused"] = [f"{w.where}: waiver for case {w.case} and rule {w.rule} matched no violated finding"
                                    for w in waivers.unused(summary.cases_seen, summary.waivers_used)]
        for line in problems:
            err(f"waiver error: {line}")
        for line in doc["waivers"]["unused"]:
            err(f"waiver note: {line}")
    if summary.cases == 0:  # an audit of nothing is a mistake in the paths, not a clean bill
        problems.append("no case files found (expected .json, .jsonl, .yaml or .yml)")
        err(f"error: {problems[-1]}")
    doc["as_of"] = options.as_of.isoformat()
    renderer.end(out, doc)
    out.flush()
    status = 2 if problems else summary.exit_status
    return RunResult(status, doc, problems)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class _Progress:
    """A rich progress bar on standard error: bytes of input read (for the ETA), cases and findings so far."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("[bold]audit"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.fields[cases]} cases · {task.fields[invalid]} invalid · {task.fields[violated]} violated"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=Console(stderr=True), transient=False)
        self.task = self.progress.add_task("audit", total=total or None, cases=0, invalid=0, violated=0)
        self.pending = 0
        self.last = 0.0
        self.progress.start()

    def advance(self, size: int, summary: Summary) -> None:
        self.pending += size
        now = time.monotonic()
        if now - self.last >= 0.1:  # a few updates a second are enough; the bar costs nothing per case
            self._update(summary)
            self.last = now
        self.summary = summary

    def _update(self, summary: Summary) -> None:
        self.progress.update(self.task, advance=self.pending, cases=summary.cases, invalid=summary.invalid,
                             violated=summary.verdicts["violated"])
        self.pending = 0

    def stop(self) -> None:
        if getattr(self, "summary", None) is not None:
            self._update(self.summary)
        self.progress.stop()
