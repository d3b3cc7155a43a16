"""A whole audit run, rendered: the one batch driver (audit/batch.py) reads, judges and applies
waivers; this module renders each judged case (redacted if asked), summarises, and decides the exit
status.

Memory stays flat: inputs are read one case at a time, every case is rendered as soon as it is
judged, and only counters are kept. With `workers > 1` each worker process builds its own renderer
(`_finisher`, a picklable factory handed to the driver), reads its own pieces of the input and sends
each back as one `Chunk` (`RenderCase.gather`): the piece's rendered text, already UTF-8, and its
counts. The parent copies the text in input order and merges the counts — per case it only notes the
case id (repeated ids are warned about) — so its work does not grow with the cases' size. The table
keeps its rows per case (its tables hold CHUNK cases counted across the report). A case that cannot be
read, does not validate, or makes the engine fail is reported as that case's result and the run goes on.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Callable, Iterable, NamedTuple, TextIO

from cadre_rules.audit.batch import BatchOptions, Judged, auto_workers, judge_paths
from cadre_rules.audit.waivers import WaivedFinding, WaiverSet, load_waivers
from cadre_rules.errors import ErrorKind, InputError, Problem
from cadre_rules.facts.crosscase import appointment_rows
from cadre_rules.reading.cases import input_size
from cadre_rules.reading.places import Locator
from cadre_rules.report import FORMATS
from cadre_rules.report.base import ReportContext
from cadre_rules.report.model import CaseStats, ReportedCase, Summary, case_info
from cadre_rules.report.redact import CASE_ID_TOKEN, Redactor
from cadre_rules.report.terminal import Terminal, detect
from cadre_rules.rulebook import Rulebook, load_rulebook

APPROVER_TOKEN = "〔审批人〕"

# What an audit says on standard error, in the language of its report (--lang; Chinese by default).
STDERR = {
    "zh": {"case": "案例 {id}：", "note": "说明：{note}",
           "duplicate": "警告：案例编号 {id} 在本次运行中出现不止一次（按案例编号归集的结果、豁免和日志会混在一起）",
           "waiver_error": "豁免错误：{line}", "waiver_note": "豁免说明：{where}：案例 {case}、规则 {rule} 的豁免没有对应的问题",
           "waiver_unused": "{where}：案例 {case}、规则 {rule} 的豁免没有对应的问题",
           "no_cases": "错误：没有找到案例文件（应为 .json、.jsonl、.yaml 或 .yml）",
           "bar": "审计", "bar_counts": "{cases} 件 · 输入无效 {invalid} · 问题 {violated}", "eta": "剩余",
           "no_unit": "{register}：说明：{count} 项任职所属单位“{unit}”不在台账中，未作跨案卷审查"},
    "en": {"case": "case {id}: ", "note": "note: {note}",
           "duplicate": "warning: case id {id} appears more than once in this run "
                        "(results, waivers and journals keyed by case id will mix them)",
           "waiver_error": "waiver error: {line}",
           "waiver_note": "waiver note: {where}: waiver for case {case} and rule {rule} matched no violated finding",
           "waiver_unused": "{where}: waiver for case {case} and rule {rule} matched no violated finding",
           "no_cases": "error: no case files found (expected .json, .jsonl, .yaml or .yml)",
           "bar": "audit", "bar_counts": "{cases} cases · {invalid} invalid · {violated} violated", "eta": "ETA",
           "no_unit": "{register}: note: {count} appointment(s) of cases naming organisation {unit!r} are not judged "
                      "across cases: the register has no such unit"},
}


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
    fail_on: str = "violation"  # the exit-status threshold (report/model.py FAIL_ON)
    docs_url: str | None = None  # where the rule reference pages are (SARIF helpUri); None: the checkout's docs
    terminal: Terminal | None = None  # the table's width and colour; None: detected from the output
    html_template: str | None = None  # the HTML page template (report/html.py); None: the bundled one
    letterhead: str | None = None  # an HTML fragment for the letterhead slot of the HTML report
    register: str | None = None  # an organisation register file: the cross-case rules run too (docs/register.md)

    @property
    def batch(self) -> BatchOptions:
        """The driver's options: judging and waivers (redaction needs every case's raw data)."""
        return BatchOptions(self.rules_dir, self.profile, self.engine, self.waivers, self.as_of, keep_data=self.redact,
                            scope=True, keep_text=FORMATS[self.fmt].places_findings)


class Processed(NamedTuple):
    fragment: Any
    stats: CaseStats
    messages: tuple[str, ...]  # for standard error (already redacted when asked)
    size: int
    rows: tuple[Any, ...] = ()  # the case's appointments for the register's cross-case rules (facts/crosscase.py)


class RenderCase:
    """Turns a judged case into its rendered fragment, counts and standard-error lines; one per process."""

    def __init__(self, options: AuditOptions, rulebook: Rulebook) -> None:
        self.options = options
        self.ctx = ReportContext(rulebook, options.lang, options.as_of, options.redact, options.waivers,
                                 options.command, options.docs_url, options.terminal, options.html_template,
                                 options.letterhead)
        self.renderer = FORMATS[options.fmt](self.ctx)

    def reported(self, judged: Judged) -> ReportedCase:
        """The case's result with its context (title, organisation, ...), redacted if asked."""
        r = judged.result
        case = ReportedCase(r.case_id, r.source, r.status, r.errors, r.findings, r.notes, r.out_of_scope,
                            case=case_info(judged.case, judged.data), waiver_events=list(judged.waiver_events),
                            places=finding_places(judged.source_text, r.findings))
        if self.options.redact:
            case = redact_case(case, judged.data)
        return case

    def messages(self, case: ReportedCase) -> tuple[str, ...]:
        """Lines for standard error: each problem of an invalid input, and engine notes."""
        words = STDERR[self.options.lang]
        who = words["case"].format(id=case.case_id) if case.case_id else ""
        lines = [f"{e.place(case.source)}: {who}{e.path + ': ' if e.path else ''}{e.text(self.options.lang)}" for e in case.errors] \
            if case.status == "invalid" else []
        lines += [f"{case.source}: {who}" + words["note"].format(note=note) for note in getattr(case, "notes", ())]
        return tuple(lines)

    def gather(self, items: list[Processed]) -> "Chunk":
        """A piece of the input's cases, rendered, as one chunk (in the worker that judged them): the
        writing process then only copies its text and adds up its counts (`Chunk`)."""
        summary = Summary()
        for item in items:
            summary.add(item.stats)
        redacted = any(item.stats.shown_id is not None for item in items)
        return Chunk(self.renderer.chunk([item.fragment for item in items]), summary,
                     tuple(item.stats.case_id for item in items),
                     tuple((n, item.messages) for n, item in enumerate(items) if item.messages),
                     sum(item.size for item in items),
                     tuple(item.rows for item in items) if self.options.register else (),
                     tuple(item.stats.shown for item in items) if redacted else ())

    def __call__(self, judged: Judged) -> Processed:
        real_id = judged.result.case_id if self.options.redact else None  # waivers name the real id
        try:
            case = self.reported(judged)
            fragment = self.renderer.fragment(case)
        except Exception as exc:  # a bug met by one case is reported as that case's result; the batch goes on
            case = ReportedCase(None, judged.result.source, "invalid",
                                [InputError("", Problem(ErrorKind.internal_error, type=type(exc).__name__))])
            fragment = self.renderer.fragment(case)
            real_id = None
        rows = tuple(appointment_rows(judged.case, judged.result.source)) \
            if self.options.register and judged.case is not None else ()
        return Processed(fragment, CaseStats.of(case, real_id), self.messages(case), judged.size, rows)


class Chunk(NamedTuple):
    """A piece of the input as a worker rendered it: the renderer's chunk of its cases (`Renderer.chunk`),
    their counts, and what the writing process still does per case — the case ids (a repeated id is
    warned about; waivers name ids), standard-error lines (by the case's place in the piece) and the
    register's rows."""

    body: Any
    summary: Summary
    ids: tuple[str | None, ...]
    messages: tuple[tuple[int, tuple[str, ...]], ...]
    size: int
    rows: tuple[tuple[Any, ...], ...] = ()
    shown: tuple[str | None, ...] = ()  # the ids as shown, when redaction changed one (else the ids themselves)


def finding_places(source_text: tuple[str, str, int | None] | None, findings: list[Any]) -> dict[str, tuple[int, int]]:
    """The line and column in the case file of each record the findings rest on (their field paths)."""
    if source_text is None or not findings:
        return {}
    text, suffix, first_line = source_text
    places = Locator(text, suffix).find_all(p for f in findings for p in f.paths)
    if first_line is not None:  # a JSON Lines case: its line in the file, the column on it
        places = {path: (first_line, column) for path, (_, column) in places.items()}
    return places


def _finisher(options: AuditOptions, rulebook: Rulebook) -> RenderCase:
    """The driver's finish factory: module-level, so worker processes can build their own renderer."""
    return RenderCase(options, rulebook)


def redact_case(case: ReportedCase, data: Any) -> ReportedCase:
    findings = [replace(f, waiver={**f.waiver, "approver": APPROVER_TOKEN})
                if isinstance(f, WaivedFinding) and f.waiver else f for f in case.findings]
    case = replace(case, findings=findings)
    # a unit of the register brings its own redactor (its people); a case, its raw data
    return (data if isinstance(data, Redactor) else Redactor.for_case(data)).apply(case)


@dataclass
class RunResult:
    status: int
    summary: dict[str, Any]
    problems: list[str]


def run_audit(paths: Iterable[str], options: AuditOptions, out: TextIO, *, workers: int = 1,
              progress: bool | None = None, err: Callable[[str], None] | None = None,
              rulebook: Rulebook | None = None, waivers: WaiverSet | None = None) -> RunResult:
    """Audit `paths` and write the report to `out`. Raises RulebookError / WaiverError before any output.

    `out` must write a line end as "\\n" (the CLI's files are opened with `newline=""`; a standard output
    on POSIX does so): to a UTF-8 `io.TextIOWrapper` the workers' rendered chunks go straight to its
    binary buffer (report/base.py `write_text`), past any newline translation it was opened with."""
    err = err or (lambda line: print(line, file=sys.stderr))
    paths = list(paths)
    rulebook = rulebook or load_rulebook(options.rules_dir, options.profile)
    if waivers is None and options.waivers:
        waivers = load_waivers(options.waivers, rulebook.waivable_ids)
    if options.terminal is None:
        options = replace(options, terminal=detect(out))
    summary = Summary(options.as_of, rulebook.stages.order)
    if waivers is not None:
        summary.watch = set(waivers.cases)
    finish = RenderCase(options, rulebook)
    renderer = finish.renderer
    if workers <= 0:
        workers = auto_workers(paths)
    # With worker processes each piece of the input comes back rendered in one chunk (RenderCase.gather).
    chunked = workers > 1
    results = judge_paths(paths, options.batch, workers=workers, finish=finish, finish_factory=_finisher,
                          finish_arg=options, rulebook=rulebook, waivers=waivers, gathered=chunked)
    # By default a bar only when standard error is a terminal and the report does not go to that terminal too.
    show = progress if progress is not None else (sys.stderr.isatty() and not _isatty(out))
    words = STDERR[options.lang]
    bar = _Progress(input_size(paths), words) if show else None
    spool = cross_case_spool(options, rulebook)
    writer = _Writer(out, renderer, summary, err, words, spool[1] if spool is not None else None, bar)
    renderer.begin(out)
    try:
        if chunked:
            for chunk in results:
                writer.chunk(chunk)
        else:
            for item in results:
                writer.case(item)
        if spool is not None:
            for unit_case, events, redactor in cross_case_results(options, rulebook, *spool, err, waivers):
                item = finish(Judged(unit_case, data=redactor, waiver_events=events))
                summary.add(item.stats)
                renderer.add(out, item.fragment)
    finally:
        if bar:
            bar.stop()
        results.close()
        if spool is not None:
            spool[1].close()
    problems: list[str] = []
    doc = summary.to_dict()
    if waivers is not None:
        # Waivers name cases by their real ids; the lines show an audited case's id as the report
        # does (redacted), and under --redact hide the id of a case not audited (its people unknown).
        seen = summary.cases_seen
        problems = waivers.unknown_cases(seen, options.lang, CASE_ID_TOKEN if options.redact else None)
        doc["waivers"]["errors"] = problems
        unused = list(waivers.unused(seen, summary.waivers_used))
        doc["waivers"]["unused"] = [words["waiver_unused"].format(where=w.where, case=seen[w.case], rule=w.rule)
                                    for w in unused]
        for line in problems:
            err(words["waiver_error"].format(line=line))
        for w in unused:
            err(words["waiver_note"].format(where=w.where, case=seen[w.case], rule=w.rule))
    if summary.cases == 0:  # an audit of nothing is a mistake in the paths, not a clean bill
        problems.append("no case files found (expected .json, .jsonl, .yaml or .yml)")
        err(words["no_cases"])
    doc["as_of"] = options.as_of.isoformat()
    renderer.end(out, doc)
    out.flush()
    status = 2 if problems else summary.status(options.fail_on)
    return RunResult(status, doc, problems)


class _Writer:
    """What the writing process does with each judged case, or each chunk of cases from a worker:
    the summary, a warning for a repeated case id, the report's text, standard error, the register's
    rows, the progress bar. For a chunk all of it is a few operations whatever its number of cases,
    unless a case in it has a message or a repeated id (then case by case, in the same order)."""

    def __init__(self, out: TextIO, renderer: Any, summary: Summary, err: Callable[[str], None],
                 words: dict[str, str], spool: Any, bar: "_Progress | None") -> None:
        self.out, self.renderer, self.summary, self.err, self.words = out, renderer, summary, err, words
        self.spool, self.bar = spool, bar
        self.ids: set[str] = set()  # duplicate case ids: one warning per id (waivers and reports key on ids)
        self.repeated: set[str] = set()

    def _seen(self, case_id: str | None, shown: str | None) -> None:
        """Warn once of a repeated case id (the real ids compared, the id printed as shown)."""
        if case_id is None:
            return
        if case_id in self.ids and case_id not in self.repeated:
            self.repeated.add(case_id)
            self.err(self.words["duplicate"].format(id=shown))
        self.ids.add(case_id)

    def case(self, item: Processed) -> None:
        self.summary.add(item.stats)
        self._seen(item.stats.case_id, item.stats.shown)
        self.renderer.add(self.out, item.fragment)
        if self.spool is not None:
            self.spool.add(item.rows)
        for line in item.messages:
            self.err(line)
        if self.bar:
            self.bar.advance(item.size, self.summary)

    def chunk(self, chunk: Chunk) -> None:
        self.summary.merge(chunk.summary)
        ids = [case_id for case_id in chunk.ids if case_id is not None]
        if not chunk.messages and len(set(ids)) == len(ids) and self.ids.isdisjoint(ids):
            self.ids.update(ids)
        else:
            messages = dict(chunk.messages)
            for n, case_id in enumerate(chunk.ids):
                self._seen(case_id, chunk.shown[n] if chunk.shown else case_id)
                for line in messages.get(n, ()):
                    self.err(line)
        if self.summary.watch:
            for n, case_id in enumerate(chunk.ids):
                if case_id in self.summary.watch:
                    self.summary.cases_seen[case_id] = chunk.shown[n] or case_id if chunk.shown else case_id
        self.renderer.add_chunk(self.out, chunk.body)
        if self.spool is not None:
            for rows in chunk.rows:
                self.spool.add(rows)
        if self.bar:
            self.bar.advance(chunk.size, self.summary)


def cross_case_spool(options: AuditOptions, rulebook: Rulebook) -> tuple[Any, Any] | None:
    """The register (read before any case, so a bad register stops the run early) and an empty spool."""
    if not options.register:
        return None
    from cadre_rules.audit.register import AppointmentSpool
    from cadre_rules.reading.register import load_register

    return load_register(options.register), AppointmentSpool()


def cross_case_results(options: AuditOptions, rulebook: Rulebook, register: Any, spool: Any,
                       err: Callable[[str], None], waivers: WaiverSet | None = None
                       ) -> Iterable[tuple[Any, list[Any], Redactor | None]]:
    """Each unit's cross-case findings as a result listed among the cases (`register:<unit>`), with the
    waivers applied as to a case's findings (a waiver names the unit by `register:<unit id>`), what
    each waiver did (for the summary and the unused-waiver report), and with `--redact` the redactor
    of the people the unit's messages name."""
    from cadre_rules.audit.auditor import CaseResult
    from cadre_rules.audit.register import RegisterJudge

    for unit, count in spool.units_not_in({u.id for u in register.units}).items():
        err(STDERR[options.lang]["no_unit"].format(register=options.register, count=count, unit=unit))
    for result in RegisterJudge(rulebook, options.engine).judge(register, spool):
        findings, events = (waivers.apply(result.case_id, result.findings, options.as_of, rulebook.version)
                            if waivers is not None else (result.findings, []))
        redactor = Redactor.for_register_unit(result.people) if options.redact else None
        yield CaseResult(result.case_id, options.register or "", "ok", findings=findings), events, redactor


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class _Progress:
    """A rich progress bar on standard error: bytes of input read (for the ETA), cases and findings so far."""

    def __init__(self, total: int, words: dict[str, str] = STDERR["en"]) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn(f"[bold]{words['bar']}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
            TextColumn(words["bar_counts"].format(cases="{task.fields[cases]}", invalid="{task.fields[invalid]}",
                                                  violated="{task.fields[violated]}")),
            TimeElapsedColumn(), TextColumn(words["eta"]), TimeRemainingColumn(),
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
