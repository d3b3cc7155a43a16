"""The one batch driver: read → judge (in worker processes if asked) → apply waivers → yield results.

Every batch goes through here: `Auditor.audit_paths`, the `audit` command (report/batch.py renders
what this yields), the annual report and the spot checks (`valid_cases`). Inputs are read by the one
case reader (reading/cases.py) as units. With `workers > 1` the workers read the input themselves, in
pieces (`iter_pieces`): spans of JSON Lines files cut at line boundaries, lists of case files by path;
the parent only cuts, hands out and collects, and with `gathered` gets back one result per piece
(the audit's rendered chunk with its counts), so it does almost no work per case.

What happens to a judged case after judging — rendering, redaction — is injected as a *finisher*:
a function `finish_factory(finish_arg, rulebook)` returning `Judged -> T`. It must be a module-level
function with picklable `finish_arg`, because each worker builds its own finisher and the results
come back already finished (rendered), in input order. This keeps the audit room free of any import
of the report room (report → audit only).

Memory stays flat: one case at a time in process, at most `workers * ahead` pieces handed out and
not yet yielded (each at most PIECE_BYTES of input).
A case that cannot be read, does not validate or makes the engine fail is that case's result; the
batch goes on.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, NamedTuple

from cadre_rules.audit.auditor import Auditor, CaseResult
from cadre_rules.audit.waivers import WaiverSet, load_waivers
from cadre_rules.errors import CaseValidationError, ErrorKind, InputError, Problem, Said
from cadre_rules.facts import derive_facts
from cadre_rules.model import Case
from cadre_rules.reading.cases import STDIN as STDIN_PATH
from cadre_rules.errors import os_reason
from cadre_rules.reading.cases import (RawCase, Unit, count_lines, input_size, iter_units, jsonl_spans, parse_unit,
                                      read_jsonl_span, validate_case, validate_deferred, walk_inputs)
from cadre_rules.reading.limits import current_limits
from cadre_rules.rulebook import Rulebook, load_rulebook


@dataclass(frozen=True)
class BatchOptions:
    """What every process needs to judge the same way as the parent (picklable, hashable)."""

    rules_dir: str | None = None
    profile: str = "national"
    engine: str = "python"
    waivers: str | None = None  # waiver file, loaded once per process
    as_of: date = field(default_factory=date.today)  # reference date for waiver expiry
    keep_data: bool = False  # keep every case's raw data (e.g. for redaction)
    scope: bool = False  # also list acts before the earliest edition (CaseResult.out_of_scope)
    keep_text: bool = False  # keep every case's text (to place findings in it: SARIF regions)


class Judged(NamedTuple):
    """One case as judged: its result (waivers applied), the validated case if any, the raw data if
    read (for invalid inputs, or always with `keep_data`), what the waivers did, and input bytes."""

    result: CaseResult
    case: Case | None = None
    data: Any = None
    waiver_events: list[Any] = []
    size: int = 0
    source_text: tuple[str, str, int | None] | None = None  # (text, suffix, JSON Lines line), with keep_text


Finisher = Callable[[Judged], Any]
FinishFactory = Callable[[Any, Rulebook], Finisher]


class CaseJudge:
    """Judges one unit at a time against one rulebook, with the waivers applied; one per process."""

    def __init__(self, options: BatchOptions, rulebook: Rulebook | None = None, waivers: WaiverSet | None = None,
                 auditor: Auditor | None = None) -> None:
        self.options = options
        self.rulebook = rulebook or (auditor.rulebook if auditor else load_rulebook(options.rules_dir, options.profile))
        if waivers is None and options.waivers:
            waivers = load_waivers(options.waivers, self.rulebook.waivable_ids)
        self.waivers = waivers
        self._owned = auditor is None
        self.auditor = auditor or Auditor(self.rulebook, options.engine)
        # The input limits (CADRE_RULES_MAX_*), read once: a batch runs under one setting, and a bad
        # one is refused here, at the call, before any output (CaseInputError).
        self.limits = current_limits()

    def close(self) -> None:
        if self._owned:
            self.auditor.close()

    def judge_unit(self, unit: Unit) -> Judged:
        """Never raises: a bug met by one case becomes that case's `internal error` result.

        Every case goes through the one strict reader (parse_unit): pydantic-core's direct
        JSON-to-model path was faster but lets a repeated key silently replace the first."""
        try:
            raw = parse_unit(unit, defer_limits=True, limits=self.limits)
            if raw.limits_deferred:
                case = validate_deferred(raw, self.limits)
                if case is not None:
                    return self.with_text(self.judge_valid(case, raw.source, raw.data, unit.size), raw)
                raw = parse_unit(unit, limits=self.limits)  # the strict reading: a limit's error first, as always
            return self.judge_raw(raw, unit.size)
        except Exception as exc:  # one case's problem, never the batch's
            return Judged(CaseResult(None, unit.source, "invalid", [InputError("", Problem(ErrorKind.internal_error, type=type(exc).__name__))]),
                          size=unit.size)

    def judge_raw(self, raw: RawCase, size: int = 0) -> Judged:
        checked = self.validate(raw, size)
        if isinstance(checked, Judged):
            return checked
        return self.with_text(self.judge_valid(checked, raw.source, raw.data, size), raw)

    def with_text(self, judged: Judged, raw: RawCase) -> Judged:
        """The judged case with its text, when the options ask to keep it."""
        if not self.options.keep_text or raw.text is None:
            return judged
        return judged._replace(source_text=(raw.text, raw.suffix, raw.first_line))

    def validate(self, raw: RawCase, size: int = 0) -> Case | Judged:
        """The valid case, or the `invalid` result naming why it is not one."""
        if raw.error is not None:
            return Judged(CaseResult(raw.case_id, raw.source, "invalid", [raw.input_error()]), None, raw.data,
                          size=size)
        try:
            return validate_case(raw.data)
        except CaseValidationError as exc:
            return Judged(CaseResult(exc.case_id, raw.source, "invalid", raw.locate(exc.errors)), None, raw.data,
                          size=size)

    def judge_valid(self, case: Case, source: str, data: Any = None, size: int = 0) -> Judged:
        """A validated case's result, waivers applied; an engine failure is this case's `invalid` result."""
        try:
            findings, notes = self.auditor.judge(case)
        except Exception as exc:  # an engine failure is this case's problem, never the batch's
            return Judged(CaseResult(case.id, source, "invalid",
                                     [InputError("", Problem(ErrorKind.internal_error_judging, type=type(exc).__name__, detail=str(exc)))]),
                          case, data, size=size)
        return self.judged(case, source, findings, notes, data, size)

    def judged(self, case: Case, source: str, findings: list[Any], notes: list[str], data: Any = None,
               size: int = 0) -> Judged:
        events: list[Any] = []
        if self.waivers is not None:
            findings, events = self.waivers.apply(case.id, findings, self.options.as_of, self.rulebook.version)
        scope = self.auditor.out_of_scope(case) if self.options.scope else []
        return Judged(CaseResult(case.id, source, "ok", findings=findings, notes=list(notes), out_of_scope=scope),
                      case, data, events, size)

    def judge_serial(self, units: Iterable[Unit], chunk: int = 64) -> Iterator[Judged]:
        """Every unit in this process, in order. With the durable engine in a child process, cases
        are pipelined to it a chunk at a time (the child judges while the parent reads)."""
        worker = self.auditor.worker
        if worker is None:
            yield from map(self.judge_unit, units)
            return
        batch: list[tuple[Judged | Case, Unit, Any]] = []
        for unit in units:
            try:
                raw = parse_unit(unit, limits=self.limits)
                checked = self.validate(raw, unit.size)
                batch.append((checked, unit, raw))
            except Exception:
                batch.append((self.judge_unit(unit), unit, None))
            if len(batch) >= chunk:
                yield from self._flush(worker, batch)
                batch = []
        if batch:
            yield from self._flush(worker, batch)

    def _flush(self, worker: Any, batch: list[tuple[Judged | Case, Unit, RawCase | None]]) -> Iterator[Judged]:
        items = [(c.id, derive_facts(c), None, i) for i, (c, _, _) in enumerate(batch) if isinstance(c, Case)]
        answers: dict[int, tuple[list[Any], list[str]]] = {}
        try:
            for i, findings, notes in worker.judge_many(items):
                answers[i] = (findings, notes)
        except Exception:  # judged one by one below, each failure that case's own
            pass
        for i, (checked, unit, raw) in enumerate(batch):
            if isinstance(checked, Judged):
                yield checked
                continue
            assert raw is not None
            if i in answers:
                judged = self.judged(checked, unit.source, *answers[i], raw.data, unit.size)
            else:
                judged = self.judge_valid(checked, unit.source, raw.data, unit.size)
            yield self.with_text(judged, raw)


def judge_paths(paths: Iterable[str | Path], options: BatchOptions, *, workers: int = 1,
                finish: Finisher | None = None, finish_factory: FinishFactory | None = None, finish_arg: Any = None,
                rulebook: Rulebook | None = None, waivers: WaiverSet | None = None, auditor: Auditor | None = None,
                stdin: BinaryIO | None = None, gathered: bool = False) -> Iterator[Any]:
    """Judge every case under `paths`, in input order, each passed through the finisher.

    In this process the finisher is `finish`, else `finish_factory(finish_arg, rulebook)`, else none
    (the `Judged` themselves are yielded). Worker processes (`workers > 1`; 0 means `auto_workers`: as many as pay)
    build theirs with `finish_factory(finish_arg, rulebook)`; without a factory they send back
    `Judged`. Raises RulebookError / WaiverError, and CaseInputError for a bad CADRE_RULES_MAX_*
    setting, at the call, never after.

    With `workers > 1` the input goes to the workers in pieces they read themselves (`iter_pieces`:
    spans of JSON Lines files, lists of case files), so the parent never reads a case. With
    `gathered` too, what is yielded is not each case's result but, for each piece in input order,
    `finisher.gather(results)` of its cases' finished results, made in the worker (the finisher
    must have a `gather` method): the parent then does no work per case (report/batch.py).
    """
    judge = CaseJudge(options, rulebook, waivers, auditor)  # rulebook, waiver, engine, limit setting errors: here
    local = finish or (finish_factory(finish_arg, judge.rulebook) if finish_factory else None)
    if workers <= 0:
        paths = list(paths)
        workers = auto_workers(paths)
    if workers > 1:
        paths = list(paths)
        pieces = iter_pieces(paths, piece_sizes(workers, input_size(paths)), stdin, lead=workers)
        return _drive_pieces(judge, pieces, workers, local, (options, finish_factory, finish_arg), gathered)
    return _drive(judge, iter_units(paths, stdin=stdin), local)


class Piece(NamedTuple):
    """A piece of the input that a worker process reads itself, so that the parent does no work per
    case: a span of a JSON Lines file (`span`: file, start, end, the line number at start — None until
    the lines before it are counted, `SpanLines`), or `items`: paths of case files (the worker reads
    each with `iter_units`) and units already read in the parent (standard input's lines, which cannot
    be read twice, and what the directory walk found unreadable)."""

    span: tuple[str, int, int, int | None] | None = None
    items: tuple[str | Unit, ...] = ()
    size: int = 0  # bytes of input


def piece_units(piece: Piece) -> Iterator[Unit]:
    """The piece's units, read by the one case reader as `iter_units` reads the whole input."""
    if piece.span is not None:
        path, start, end, line = piece.span
        yield from read_jsonl_span(path, start, end, count_lines(path, start) if line is None else line)[0]
        return
    for item in piece.items:
        if isinstance(item, Unit):
            yield item
        else:
            yield from iter_units([item])


def judge_piece(piece: Piece, process: Callable[[Unit], Any], gather: Callable[[list[Any]], Any] | None,
                counted: Callable[[int], None]) -> Any:
    """A piece's cases, each passed through `process`, gathered if asked. A span's lines are all read
    before the first is judged, and `counted(the span's number of lines)` is called then: the line
    number at the start of the next span is known long before that span is due (`SpanLines`)."""
    if piece.span is not None:
        path, start, end, line = piece.span
        assert line is not None
        units, lines = read_jsonl_span(path, start, end, line)
        counted(lines)
    else:
        units = piece_units(piece)  # type: ignore[assignment]
    results = [process(unit) for unit in units]
    return gather(results) if gather is not None else results


class SpanLines:
    """The line number at the start of each span of a JSON Lines file, learnt from the span before it
    as the process judging that span counts its lines: the parent never reads the lines to count them."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, int], int] = {}  # (file, offset) → the line number there

    def resolve(self, piece: Piece, force: bool = False) -> Piece | None:
        """The piece with its first line number, or None while the span before it is not counted yet
        (with `force`, counted here from the start of the file: a path taken only after a failure)."""
        if piece.span is None or piece.span[3] is not None:
            return piece
        path, start, end, _ = piece.span
        line = self.known.pop((path, start), None)
        if line is None:
            if not force:
                return None
            line = count_lines(path, start)
        return piece._replace(span=(path, start, end, line))

    def counted(self, piece: Piece, lines: int) -> None:
        if piece.span is not None and piece.span[3] is not None:
            path, _, end, line = piece.span
            self.known[(path, end)] = line + lines


# A piece's input at most (~70 cases of the synthetic corpus, 7 KiB each: a worker's CPU for it ~45 ms),
# and at least, once the pieces shrink towards the end of the input (see `piece_sizes`).
PIECE_BYTES = 512 * 1024
SMALLEST_PIECE_BYTES = 32 * 1024


def piece_sizes(workers: int, total: int, largest: int | None = None,
                smallest: int | None = None) -> Callable[[int], int]:
    """The size of the next piece given the bytes handed out so far: `largest` (PIECE_BYTES) until
    fewer than four pieces a worker are left, then a quarter of a worker's share of what is left, down
    to `smallest` (SMALLEST_PIECE_BYTES): the last pieces end at about the same time in every worker."""
    largest = PIECE_BYTES if largest is None else largest
    smallest = min(largest, SMALLEST_PIECE_BYTES if smallest is None else smallest)
    if total <= 0:
        return lambda seen: largest
    return lambda seen: max(smallest, min(largest, max(total - seen, 0) // (4 * workers)))


def iter_pieces(paths: Iterable[str | Path], size: Callable[[int], int],
                stdin: BinaryIO | None = None, lead: int = 1) -> Iterator[Piece]:
    """The input under `paths` in pieces of about `size(bytes so far)` bytes, in input order: each
    JSON Lines file cut into spans at line boundaries (`jsonl_spans`: the parent reads only the bytes
    before each cut; the first line number of a span after the first `lead` is learnt from its
    workers, `SpanLines`; those first spans' are counted here, ~0.1 ms each, so that every worker
    starts at once instead of waiting for the worker before it to count its span), other case files
    by path (a `stat` each), standard input as the units `iter_units` reads from it."""
    seen = 0
    items: list[str | Unit] = []
    held = 0

    def piece() -> Piece:
        nonlocal seen, held, items
        out = Piece(items=tuple(items), size=held)
        seen, held, items = seen + held, 0, []
        return out

    for path, problem in walk_inputs(paths):
        source = str(path)
        if problem is not None:
            items.append(Unit(source, "", error=problem))
            continue
        if source == STDIN_PATH:
            for unit in iter_units([source], stdin=stdin):
                items.append(unit)
                held += unit.size
                if held >= size(seen):
                    yield piece()
            continue
        try:
            info: os.stat_result | None = os.stat(source)
        except OSError:
            info = None
        if info is not None and stat.S_ISREG(info.st_mode) and path.suffix.lower() == ".jsonl":
            if items:
                yield piece()
            try:
                for number, (start, end) in enumerate(jsonl_spans(source, lambda: size(seen))):
                    seen += end - start
                    line = count_lines(source, start) if number < lead else None
                    yield Piece((source, start, end, line), size=end - start)
            except OSError as exc:  # as `iter_units` names a file it cannot read (after the lines it read)
                items.append(Unit(source, "", error=Problem(ErrorKind.cannot_read, reason=os_reason(exc))))
            continue
        items.append(source)  # read by the worker, errors and all
        held += info.st_size if info is not None else 0
        if held >= size(seen):
            yield piece()
    if items:
        yield piece()


# Below this much input a worker pool does not pay for itself with certainty. On two idle cores two
# workers pass one at about 40 cases (~0.3 MiB of the synthetic corpus, 7 KiB a case): the pool costs
# ~10 ms to start and the chunks' end ~5 ms. 2 MiB (~300 cases) leaves room for slower cores, larger
# cases and a load average that lags (docs/performance.md, "Workers, third round").
AUTO_MIN_BYTES = 2 * 1024 * 1024


def auto_workers(paths: Iterable[str | Path], cpus: int | None = None, load: float | None = None) -> int:
    """`--workers 0`: the number of worker processes that pays on this machine now.

    The cores this process may use (its CPU affinity, and no more than a CPU quota of its control
    group allows), less the load other work puts on them, rounded down: a worker on a busy core only
    competes with the parent. The load is the 1-minute load average or, when more, the processes
    running at this instant (/proc/loadavg; the average lags a minute behind work that just began).
    Two workers at least, or none: one worker process is one core's work plus the parent's reading
    and writing, slower than judging in this process; and a small input (under AUTO_MIN_BYTES,
    standard input counted as large) is judged in this process too. docs/performance.md has the figures."""
    if cpus is None:
        cpus = usable_cpus()
    if load is None:
        load = current_load()
    free = min(cpus, int(cpus - load + 0.5))
    if free < 2:
        return 1
    paths = list(paths)
    if STDIN_PATH not in (str(p) for p in paths) and input_size(paths) < AUTO_MIN_BYTES:
        return 1
    return free


def usable_cpus() -> int:
    """The cores this process may run on (affinity), capped by its control group's CPU quota."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    quota = _cgroup_quota()
    return max(1, min(cpus, int(quota))) if quota is not None else cpus


def _cgroup_quota(cgroup: str = "/proc/self/cgroup", root: str = "/sys/fs/cgroup") -> float | None:
    """CPUs' worth of time the control group may use (cgroup v2 cpu.max, v1 cfs quota), None if unlimited."""
    try:
        with open(cgroup, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        try:
            if parts[0] == "0" and parts[1] == "":
                with open(f"{root}{parts[2].rstrip('/')}/cpu.max", encoding="utf-8") as handle:
                    quota, period = handle.read().split()[:2]
                if quota != "max":
                    return int(quota) / int(period)
            elif "cpu" in parts[1].split(","):
                folder = f"{root}/{parts[1]}{parts[2].rstrip('/')}"
                with open(f"{folder}/cpu.cfs_quota_us", encoding="utf-8") as handle:
                    quota = int(handle.read())
                with open(f"{folder}/cpu.cfs_period_us", encoding="utf-8") as handle:
                    period = int(handle.read())
                if quota > 0 and period > 0:
                    return quota / period
        except (OSError, ValueError):
            continue
    return None


def current_load(loadavg: str = "/proc/loadavg") -> float:
    """The other work on this machine: the 1-minute load average, or the processes running now
    besides this one when more (/proc/loadavg's fourth field counts this one too)."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = 0.0
    try:
        with open(loadavg, encoding="utf-8") as handle:
            running = int(handle.read().split()[3].split("/")[0])
        load = max(load, float(running - 1))
    except (OSError, ValueError, IndexError):
        pass
    return load


def _drive(judge: CaseJudge, units: Iterator[Unit], local: Finisher | None) -> Iterator[Any]:
    """Every unit judged (and finished) in this process, in order."""
    try:
        judged = judge.judge_serial(units)
        yield from judged if local is None else map(local, judged)
    finally:
        judge.close()


def _drive_pieces(judge: CaseJudge, pieces: Iterator[Piece], workers: int, local: Finisher | None,
                  worker_arg: tuple[BatchOptions, FinishFactory | None, Any], gathered: bool) -> Iterator[Any]:
    """Every piece judged in `workers` processes, in input order: each case's result (flattened), or
    with `gathered` each piece's `local.gather(results)`. A piece a dead worker left is judged here."""
    process = judge.judge_unit if local is None else (lambda unit: local(judge.judge_unit(unit)))
    gather = getattr(local, "gather") if gathered else None
    lines = SpanLines()

    def here(piece: Piece) -> Any:
        piece = lines.resolve(piece, force=True) or piece
        return judge_piece(piece, process, gather, lambda count: lines.counted(piece, count))

    try:
        _INHERITED.clear()
        # the compiled rules too (the Python engine's are plain functions): a worker then starts
        # judging at once instead of compiling the rulebook again (~0.1 s of CPU each)
        inherit = judge.auditor if judge.options.engine == "python" and judge.auditor.worker is None else None
        _INHERITED[judge.options] = (judge.rulebook, judge.waivers, inherit)
        for out in run_ordered(_worker_factory, worker_arg, _worker_piece, pieces, workers, fallback=here,
                               gathered=gathered, prepare=lines.resolve, note=lines.counted):
            if gathered:
                yield out
            else:
                yield from out
    finally:
        judge.close()
        _INHERITED.clear()


def valid_cases(raws: Iterable[RawCase], skipped: list[str],
                shown: Callable[[Problem, Any], Problem] | None = None) -> Iterator[Case]:
    """The cases that read and validate; each other input is noted in `skipped` by source and field
    path only (a validation message may echo personal data), as a Problem: English as a string, Chinese
    by `.text("zh")`. `shown(problem, raw data)`, when given, is how an invalid case's line is shown:
    the reports that print no names pass report/redact.py `without_names`, so that a name the case
    records is taken out of its file name and path too (`周建国.json` → `〔m01〕.json`)."""

    for raw in raws:
        if raw.error is not None:
            error = raw.input_error()
            skipped.append(Problem(ErrorKind.input_left_out,
                                   problem=Said(error.describe(raw.source), error.describe(raw.source, "zh"))))
            continue
        try:
            yield validate_case(raw.data)
        except CaseValidationError as exc:
            first = raw.locate(exc.errors[:1])[0]
            where = (Said(first.path, f"第一个问题位于 `{first.path}`") if first.path
                     else Said("the whole input", "第一个问题涉及整个输入"))
            problem = Problem(ErrorKind.invalid_case_left_out, place=first.place(raw.source), count=len(exc.errors),
                              where=where)
            skipped.append(shown(problem, raw.data) if shown is not None else problem)


# ---- worker processes -------------------------------------------------------------------------

# The parent's rulebook, waivers and (Python engine) compiled auditor, keyed by options: worker
# processes started by fork inherit them instead of loading and compiling the rulebook again (with
# spawn the mapping is empty and each worker loads it).
_INHERITED: dict[BatchOptions, tuple[Rulebook, WaiverSet | None, Auditor | None]] = {}


def _worker_factory(arg: tuple[BatchOptions, FinishFactory | None, Any]) -> Callable[[Unit], Any]:
    options, finish_factory, finish_arg = arg
    rulebook, waivers, auditor = _INHERITED.get(options, (None, None, None))
    judge = CaseJudge(options, rulebook, waivers, auditor)
    if finish_factory is None:
        return judge.judge_unit
    return _Finishing(judge, finish_factory(finish_arg, judge.rulebook))


class _Finishing:
    """A worker's function: a unit judged, then finished; `gather` is the finisher's, if it has one."""

    def __init__(self, judge: CaseJudge, finish: Finisher) -> None:
        self.judge, self.finish = judge, finish
        self.gather = getattr(finish, "gather", None)

    def __call__(self, unit: Unit) -> Any:
        return self.finish(self.judge.judge_unit(unit))


_WORKER_FN: Callable[[Any], Any] | None = None
_WORKER_GATHERS = False


def _worker_init(factory: Callable[[Any], Callable[[Any], Any]], arg: Any, gathered: bool = False) -> None:
    global _WORKER_FN, _WORKER_GATHERS
    from cadre_rules.engine.children import die_with_parent

    die_with_parent()
    _WORKER_FN = factory(arg)
    _WORKER_GATHERS = gathered


def _worker_piece(piece: Piece) -> Any:
    """A piece of the input read, judged and finished here; gathered into one result if asked."""
    fn = _WORKER_FN
    assert fn is not None
    gather = getattr(fn, "gather", None) if _WORKER_GATHERS else None
    return judge_piece(piece, fn, gather, _tell_parent)


# In a worker process, while it computes a task: sends the parent a note about the task (a span's
# number of lines) ahead of its result.
_TELL: list[Callable[[Any], None]] = []


def _tell_parent(value: Any) -> None:
    if _TELL:
        _TELL[0](value)


def run_ordered(factory: Callable[[Any], Callable[[Any], Any]], arg: Any, task: Callable[[Any], Any],
                tasks: Iterable[Any], workers: int, *, fallback: Callable[[Any], Any] | None = None,
                ahead: int = 2, gathered: bool = False, prepare: Callable[[Any], Any] | None = None,
                note: Callable[[Any, Any], None] | None = None) -> Iterator[Any]:
    """`task(t)` for every t of `tasks`, in `workers` processes whose `_WORKER_FN` is `factory(arg)`,
    yielded in the order of `tasks`, at most `workers * ahead` tasks handed out and not yet yielded.

    Each worker has its own pipe, and this thread alone sends tasks and receives results: no executor
    threads, whose hand-offs cost ~0.4 ms of this process's CPU a task. A worker is sent its next task
    as soon as its result is in, and only then: it is waiting for it and reads it whole, so neither
    end ever waits on the other's full pipe (a task can be large: standard input's lines), and the
    results of tasks after the one due next wait here.

    `prepare(t)` is the task as sent, or None while it cannot be sent yet; a worker may send a note
    about its task ahead of the result (`_tell_parent`), given to `note(task, value)` — so the line
    number a JSON Lines span starts at is learnt from the worker counting the span before it.

    A task that fails — its worker died, or it raised — is computed by `fallback` in this process, and
    so is every task after it once the pool is broken (its workers are stopped): one crash never stops
    the batch. An interrupt, or the consumer stopping, kills the workers at once."""
    import gc
    import multiprocessing
    import selectors
    from collections import deque

    from cadre_rules.engine.children import prepare as prepare_children

    prepare_children()  # what each worker would look up first (the C library), looked up once, before the fork
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # What exists now (the rulebook, the compiled rules) is shared with forked workers page by page;
    # left to the garbage collector, each worker's collections would write to every object's header
    # and so copy those pages. Frozen, the collector leaves them alone (thawed again at the end).
    gc.freeze()
    pool: list[tuple[Any, Any]] = []  # (process, this end of its pipe)
    selector = selectors.DefaultSelector()
    source = iter(tasks)
    upcoming: list[Any] = []  # the next task, taken from `tasks` but not yet sendable
    window: deque[tuple[int, Any]] = deque()  # (number, task) handed out or to compute, in order
    sent: dict[int, Any] = {}  # number → task, for the workers' notes
    done: dict[int, Any] = {}  # results received before their turn
    owner: dict[int, int] = {}  # task number → the worker computing it
    busy = [0] * workers
    broken = False
    count = 0

    def feed(worker: int) -> bool:
        nonlocal count, broken
        if broken or busy[worker] or len(window) >= workers * ahead:
            return False
        if not upcoming:
            try:
                upcoming.append(next(source))
            except StopIteration:
                return False
        item = upcoming[0] if prepare is None else prepare(upcoming[0])
        if item is None:
            return False
        upcoming.clear()
        window.append((count, item))
        sent[count] = item
        try:
            pool[worker][1].send((count, item))
            owner[count] = worker
            busy[worker] += 1
        except (OSError, ValueError):
            broken = True
        count += 1
        return True

    def feed_all() -> None:
        for worker in range(workers):
            feed(worker)

    try:
        for _ in range(workers):
            mine, theirs = context.Pipe()
            # not a daemon: a worker may start a child of its own (the durable engine's); it never
            # outlives this process (engine/children.die_with_parent, and the end of this function)
            process = context.Process(target=_worker_loop, args=(theirs, factory, arg, task, gathered))
            process.start()
            theirs.close()
            pool.append((process, mine))
            # one selector for the whole run (multiprocessing.connection.wait builds one per call)
            selector.register(mine.fileno(), selectors.EVENT_READ, (len(pool) - 1, False))
            selector.register(process.sentinel, selectors.EVENT_READ, (len(pool) - 1, True))
            feed(len(pool) - 1)  # this worker starts judging while the next is forked (~3 ms each)
        feed_all()
        while True:
            if not window:
                if upcoming:
                    item = upcoming.pop()
                else:
                    try:
                        item = next(source)  # the pool is broken (or never started): the rest here
                    except StopIteration:
                        break
                window.append((count, item))
                count += 1
            number, item = window[0]
            if number in done:
                window.popleft()
                sent.pop(number, None)
                result = done.pop(number)
                feed_all()  # the window moved: an idle worker may take a task
                yield result
                continue
            if broken or number not in owner:
                if fallback is None:
                    raise RuntimeError("a worker process failed")
                window.popleft()
                sent.pop(number, None)
                yield fallback(item)
                continue
            for key, _ in selector.select():
                worker, died = key.data
                end = pool[worker][1]
                try:
                    if died:  # a worker ended: read what it sent first; once that is read, the pool is broken
                        if not end.poll():
                            raise EOFError
                        continue
                    got, ok, value = end.recv()
                    if ok is None:  # a note ahead of the result
                        if note is not None and got in sent:
                            note(sent[got], value)
                            feed_all()
                        continue
                    busy[worker] -= 1
                    if ok == _FOLLOWS:  # the worker is idle now: its next task first, then its result
                        feed(worker)
                        value = end.recv()
                except (EOFError, OSError):
                    broken = True
                    break
                if not ok:
                    broken = True
                    break
                done[got] = value
                feed(worker)
            if broken:  # what is not in yet is computed here, and the workers are stopped
                owner = {n: w for n, w in owner.items() if n in done}
                for process, _ in pool:
                    process.kill()
    except BaseException:  # an interrupt, or the consumer stopped: do not wait for the tasks in flight
        for process, _ in pool:
            if process.is_alive():
                process.kill()
        raise
    finally:
        for process, end in pool:
            try:
                end.send(None)
            except (OSError, ValueError):
                pass
        for process, end in pool:
            process.join(5)
            if process.is_alive():
                process.kill()
                process.join()
            end.close()
        selector.close()
        gc.unfreeze()


def _worker_loop(conn: Any, factory: Callable[[Any], Callable[[Any], Any]], arg: Any, task: Callable[[Any], Any],
                 gathered: bool) -> None:
    """A worker process: builds its function, then computes each task it is sent and sends back
    (number, _FOLLOWS, None) then the result, or (number, False, the error's name) — until it is sent
    None. A note about the task (`_tell_parent`) goes as (number, None, value) before the result."""
    _worker_init(factory, arg, gathered)
    try:
        _serve(conn, task)
    finally:  # the worker's own engine child (durable) ends cleanly, not terminated at exit
        judge = getattr(_WORKER_FN, "__self__", None) or getattr(_WORKER_FN, "judge", None)
        if isinstance(judge, CaseJudge):
            judge.close()


# A worker's reply that its task is done and the result comes in the next message: the parent sends the
# worker its next task before it reads and unpickles the result (a chunk's ~75 KiB of report text, its
# counts: ~0.1-0.3 ms of which the worker would otherwise wait idle).
_FOLLOWS = 2


def _serve(conn: Any, task: Callable[[Any], Any]) -> None:
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        number, item = message
        _TELL[:] = [lambda value, number=number: conn.send((number, None, value))]
        try:
            result = task(item)
        except Exception as exc:  # the parent computes this task itself, and names any case's error
            reply = (number, False, type(exc).__name__)
        else:  # first a few bytes saying the task is done, so the next one is sent before the result is read
            reply = (number, _FOLLOWS, None)
        try:
            conn.send(reply)
            if reply[1] == _FOLLOWS:
                conn.send(result)
        except (OSError, ValueError):
            return


__all__ = ["BatchOptions", "CaseJudge", "Judged", "Piece", "auto_workers", "iter_pieces", "judge_paths",
           "piece_units", "run_ordered", "valid_cases"]
