"""Reading case files and turning raw data into validated cases, with errors a person can act on.

The one case reader: `iter_units` lists the inputs (files, directories walked in sorted order, JSON
Lines files line by line, `-` for JSON Lines on standard input) without parsing them, `parse_unit`
parses one, and `read_cases` is the two together. With worker processes the batch driver
(audit/batch.py) lets each worker read its own pieces of the input with the same functions — spans of
a JSON Lines file (`jsonl_spans`, `read_jsonl_span`), case files by path (`iter_units`) — so the
library and the command line read every input the same way, with the same errors.

Every problem is reported as `source:line:column: field.path: message` (source being the file, or
file:line for .jsonl), the place found in the text only when there is an error (reading/places.py). A file that cannot be parsed is one invalid input; in a batch, every other case still runs.
"""
from __future__ import annotations

import errno
import json
import os
import stat
import sys
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator, NamedTuple

import yaml
from pydantic import BaseModel, ValidationError

from cadre_rules.errors import (
    CaseInputError, CaseJSONError, CaseValidationError, ErrorKind, InputError, Problem, Said, json_complaint, os_reason, pydantic_error,
    type_name, yaml_complaint,
)
from cadre_rules.model import Case, integrity_problems
from cadre_rules.reading.hints import reference_hint, validation_hint
from cadre_rules.reading.limits import InputLimits, current_limits, load_json, nesting_within
from cadre_rules.reading.places import Locator
from cadre_rules.reading.yamlmarks import load_case_yaml

CASE_SUFFIXES = {".json", ".yaml", ".yml", ".jsonl"}


@dataclass(frozen=True)
class RawCase:
    """One case as read from input: its data, or the reason it could not be read."""

    source: str
    data: Any = None
    error: str | None = None
    # Read by `parse_unit(..., defer_limits=True)`: the walk over the data for the input limits was left
    # for `validate_deferred`, which validates first and walks only what the model does not bound.
    limits_deferred: bool = False
    line: int | None = None  # where the error is (file line, 1-based), when known
    column: int | None = None
    path: str = ""  # the field the error is in, when known
    text: str | None = field(default=None, repr=False, compare=False)  # the text read (to place errors)
    suffix: str = ""
    first_line: int | None = None  # a JSON Lines case: the line of the file it is on
    # text that is not JSON: json's own error (`validated` raises it as a CaseJSONError)
    decode_error: json.JSONDecodeError | None = field(default=None, repr=False, compare=False)

    def input_error(self) -> InputError:
        """The read error as an InputError (message, field, line and column)."""
        return InputError(self.path, self.error or "", self.line, self.column)

    def locate(self, errors: list[InputError]) -> list[InputError]:
        """`errors` with the line and column of each field path in this case's text, where found."""
        if self.text is None or not self.suffix:
            return errors
        locator = Locator(self.text, self.suffix)
        out = []
        for e in errors:
            if e.line is not None:
                out.append(e)
                continue
            place = locator.find(e.path)
            out.append(e if place is None else replace(e, line=self._line(place[0]), column=place[1]))
        return out

    def _line(self, line: int) -> int | None:
        """The line in the file: a JSON Lines case's own line (unknown when the text came without
        one, e.g. a row handed over by Spark), else the line in the text."""
        if self.suffix == ".jsonl":
            return self.first_line
        return line

    @property
    def case_id(self) -> str | None:
        if isinstance(self.data, dict) and isinstance(self.data.get("id"), str):
            return self.data["id"]
        return None


def format_loc(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def validate_case(data: Any) -> Case:
    """Validate raw data (a dict) as a Case; raises CaseValidationError naming every bad field."""
    if not isinstance(data, dict):
        raise CaseValidationError([InputError("", Problem(ErrorKind.case_not_mapping, type=type_name(data)))])
    try:
        case = Case.model_validate(data, context={"defer_integrity": True})
    except ValidationError as exc:
        errors = [input_error(e, Case) for e in exc.errors(include_url=False)]
        raise CaseValidationError(errors, case_id=data.get("id") if isinstance(data.get("id"), str) else None) from None
    return _checked(case)


def validate_case_json(text: str | bytes) -> Case:
    """A case from JSON text (`str`, or `bytes` in UTF-8), read exactly as `cadre-rules audit` reads a
    `.json` file (`parse_unit`: the input limits, a repeated key refused) and validated, with the same
    errors (CaseValidationError: field path, kind, line and column in the text).

    Why the audit's reading rather than json.loads or pydantic-core's one-pass JSON validation, which
    is faster: this is how an embedding system hands over a case it holds as text (a message, a
    database column, a Spark row), so it must refuse what the audit refuses. The quicker paths raised
    RecursionError for deep nesting and ValueError for an integer beyond Python's int-string limit,
    and kept the last of two repeated keys, a recorded value lost without a word. Malformed JSON is a
    CaseJSONError: a CaseValidationError, and the json.JSONDecodeError this function always raised."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        try:
            text = _decode(bytes(text))
        except CaseInputError as exc:
            raise CaseValidationError([InputError("", exc.message, exc.line)]) from None
    elif not isinstance(text, str):
        raise TypeError(f"validate_case_json takes JSON text (str or bytes), not {type(text).__name__}; "
                        "validate_case takes parsed data")
    limits = current_limits()
    unit = Unit("", ".json", text)
    raw = parse_unit(unit, defer_limits=True, limits=limits)
    if raw.limits_deferred:  # as the audit's batch reads it (audit/batch.py CaseJudge.judge_unit)
        case = validate_deferred(raw, limits)
        if case is not None:
            return case
        raw = parse_unit(unit, limits=limits)  # the strict reading: a limit's error first, as always
    return validated(raw)


def case_from_json(text: str | bytes) -> Case | None:
    """pydantic-core's one-pass JSON validation alone: the valid Case, or None when it does not accept
    the text. Not a reader: it keeps the last of two repeated keys and applies none of the input limits
    (`validate_case_json` is the library's reading of JSON text). Kept as the benchmarks' reference, the
    least validating a case can cost (benchmarks/bench_audit.py). Integrity problems still raise."""
    try:
        case = Case.model_validate_json(text, context={"defer_integrity": True})
    except ValidationError:
        return None
    return _checked(case)


def _checked(case: Case) -> Case:
    problems = [InputError(p, m.with_hint(reference_hint(m, case)) if isinstance(m, Problem) else m)
                for p, m in integrity_problems(case)]
    if problems:
        raise CaseValidationError(problems, case_id=case.id)
    return case


# Fields whose values are personal data: an error names the field but never repeats the value.
PERSONAL_FIELDS = {"id_number", "name", "birth_date"}


def _message(error: dict[str, Any]) -> str:
    """The English message of one pydantic error, with the value found (never a personal field's)."""
    msg, got = _msg_got(error)
    return msg if got is None else f"{msg} (got {got})"


def _msg_got(error: dict[str, Any]) -> tuple[str, str | None]:
    msg = str(error["msg"])
    if error["type"] == "extra_forbidden":
        return "unknown field", None
    if error["type"] == "missing":
        return "required field missing", None
    if any(part in PERSONAL_FIELDS for part in error["loc"]):
        return msg, None
    if "input" in error and error["type"] not in ("model_type", "dict_type", "list_type"):
        return msg, repr(error["input"])[:60]
    return msg, None


def input_error(error: dict[str, Any], root: type[BaseModel]) -> InputError:
    """One pydantic error of a `root` document as an InputError: field path, English message with the
    value found and the nearest valid spelling, and its kind (errors.pydantic_error)."""
    msg, got = _msg_got(error)
    word = validation_hint(error, root)
    message = (msg if got is None else f"{msg} (got {got})") + (f' (did you mean "{word}"?)' if word else "")
    return pydantic_error(format_loc(error["loc"]), error, message, got=got, hint=word)


class Unit(NamedTuple):
    """One case as read, not yet parsed: parsing happens where the case is judged (maybe a worker).

    A named tuple because it crosses between processes cheaply. For worker processes a case in a
    regular file is sent by reference (`file`, `offset`, `size`: the worker reads the bytes itself),
    so the parent never copies case texts through a pipe."""

    source: str
    suffix: str  # .json | .yaml | .yml | .jsonl (one line) | "" (an error)
    text: str | None = None
    error: str | None = None
    size: int = 0  # bytes of input it stands for (progress)
    file: str | None = None  # set when `text` is to be read from `file` at `offset`
    offset: int = 0
    line: int | None = None  # a JSON Lines case: its line in the file


STDIN = "-"  # a path of "-" reads JSON Lines (one case per line) from standard input


def iter_case_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Case files under the given paths, directories walked in sorted order (deterministic)."""
    for path, _ in _walk(paths):
        yield path


def walk_inputs(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Problem | None]]:
    """Each input `iter_units` reads, in its order: (path, None), or (path, why it cannot be read)
    for what a directory walk found unreadable (`iter_units` makes that an error unit)."""
    return _walk(paths)


def _walk(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str | None]]:
    """(path, None) for each input to read, (path, why) for each one that cannot be: a directory
    that cannot be listed, a dangling symbolic link, a case-named entry that is not a regular file.
    Nothing under a directory is skipped without a word, except files without a case suffix."""
    for raw in paths:
        path = Path(raw)
        if str(raw) != STDIN and path.is_dir():
            yield from _walk_dir(path)
        else:
            yield path, None


# A linked directory that leads back to a folder being walked: read, it would be walked again
# below itself until the system's link limit, 2^40 paths with two such links (found by fuzzing
# case directories: `ln -s .. up` in a case folder made `audit` run for ever).
_LOOP = Said("a symbolic link back to a folder above it (a loop)", "符号链接指回其上级目录（循环）")


def _walk_dir(root: Path, above: frozenset[tuple[int, int]] = frozenset()) -> Iterator[tuple[Path, str | None]]:
    """The inputs under `root`; `above`: the (device, inode) of the folders being walked."""
    try:
        info = root.stat()
        here = (info.st_dev, info.st_ino)
        if here in above:
            yield root, Problem(ErrorKind.cannot_read_directory, reason=_LOOP)
            return
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        yield root, Problem(ErrorKind.cannot_read_directory, reason=os_reason(exc))
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            if entry.is_dir():  # follows links, as rglob did not: a linked directory is read too
                yield from _walk_dir(path, above | {here})
                continue
        except OSError as exc:
            yield path, Problem(ErrorKind.cannot_read, reason=os_reason(exc))
            continue
        if path.suffix.lower() not in CASE_SUFFIXES:
            continue
        if entry.is_symlink() and not path.exists():
            yield path, Problem(ErrorKind.dangling_link)
        else:
            yield path, None


def _not_regular(mode: int) -> Problem | None:
    if stat.S_ISREG(mode):
        return None
    kind = (Said("a named pipe (FIFO)", "命名管道（FIFO）") if stat.S_ISFIFO(mode)
            else Said("a device", "设备文件") if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else Said("a socket", "套接字") if stat.S_ISSOCK(mode) else Said("a special file", "特殊文件"))
    return Problem(ErrorKind.not_regular_file, what=kind)


def iter_units(paths: Iterable[str | Path], by_reference: bool = False, stdin: BinaryIO | None = None) -> Iterator[Unit]:
    """Cases from files, directories, .jsonl streams and standard input (`-`), unparsed, in input order.

    Every text is decoded here, so that a file that is not UTF-8 gives the same errors whoever reads
    it; with `by_reference`, a case in a regular file is then yielded by its place in the file.
    Standard input is read as JSON Lines, sources `-:LINE`, never by reference (it cannot be read twice)."""
    limits = current_limits()
    for path, problem in _walk(paths):
        source = str(path)
        if problem is not None:
            yield Unit(source, "", error=problem)
            continue
        if source == STDIN:
            try:
                yield from _stdin_units(stdin if stdin is not None else _stdin(), limits)
            except OSError as exc:
                yield Unit(source, "", error=Problem(ErrorKind.cannot_read, reason=os_reason(exc)))
            continue
        if not path.exists():
            yield Unit(source, "", error=Problem(ErrorKind.dangling_link) if path.is_symlink()
                       else Problem(ErrorKind.no_such_file))
            continue
        suffix = path.suffix.lower()
        if suffix not in CASE_SUFFIXES:
            yield Unit(source, "", error=Problem(ErrorKind.not_case_file, suffixes=Said(
                ", ".join(sorted(CASE_SUFFIXES)), "、".join(sorted(CASE_SUFFIXES)))))
            continue
        try:
            info = path.stat()  # before opening: opening a FIFO would wait for a writer
            wrong = _not_regular(info.st_mode)
            if wrong is not None:
                yield Unit(source, "", error=wrong)
                continue
            if suffix == ".jsonl":
                with path.open("rb") as handle:
                    yield from _jsonl_units(handle, source, by_reference, limits)
                continue
            if info.st_size > limits.max_case_bytes:
                yield Unit(source, "", error=_too_big(info.st_size, limits))
                continue
            with path.open("rb") as handle:
                raw = handle.read(limits.max_case_bytes + 1)  # the limit holds even if the file grew
            if len(raw) > limits.max_case_bytes:
                yield Unit(source, "", error=_too_big(len(raw), limits))
                continue
            text = _decode(raw)
            yield Unit(source, suffix, size=len(raw), file=source) if by_reference else Unit(source, suffix, text, size=len(raw))
        except OSError as exc:
            yield Unit(source, "", error=Problem(ErrorKind.cannot_read, reason=os_reason(exc)))
        except CaseInputError as exc:
            yield Unit(source, "", error=exc.message, line=exc.line)


def _stdin_units(handle: BinaryIO, limits: InputLimits) -> Iterator[Unit]:
    """Standard input's cases, JSON Lines. When neither of its first two lines is a case, a JSON object
    on its line (a YAML case or a pretty-printed JSON file piped in: `cat case.yaml | cadre-rules audit
    -`), the input is not JSON Lines at all: one problem saying how standard input is read, where every
    line of it gave its own JSON error before. A stream with one bad line among cases reads as always."""
    units = _jsonl_units(handle, STDIN, False, limits)
    head = list(islice(units, 2))
    if head and all(u.error is None and not _one_object_a_line(u.text) for u in head):
        rest = sum(1 for _ in units)
        yield Unit(head[0].source, "", error=Problem(ErrorKind.stdin_not_json_lines, lines=len(head) + rest),
                   line=head[0].line)
        return
    yield from head
    yield from units


def _one_object_a_line(text: str) -> bool:
    """Whether a line may be a case of JSON Lines: it opens a JSON object and does not end there."""
    line = text.strip("\ufeff \t\r\n")
    return line.startswith("{") and line != "{"


def _stdin() -> BinaryIO:
    """Standard input's bytes. Python sets sys.stdin to None when the process was started with it
    closed (`audit - <&-`, some schedulers): that was an AttributeError, an internal error (found by
    fuzzing the inputs); now it is the input's `cannot read` error, like any unreadable file."""
    if sys.stdin is None:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))
    return sys.stdin.buffer


def _too_big(size: int, limits: InputLimits) -> Problem:
    return Problem(ErrorKind.file_too_large, size=size, limit=limits.max_case_bytes)


def _decode(raw: bytes, line: int | None = None) -> str:
    """UTF-8 text, or CaseInputError naming the line and column of the first bad byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start]
        at = line if line is not None else before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise CaseInputError(Problem(ErrorKind.not_utf8, byte=f"{raw[exc.start]:02x}", column=column),
                             line=at) from None


def _jsonl_units(handle: BinaryIO | _Span, source: str, refer: bool, limits: InputLimits, number: int = 0,
                 offset: int = 0) -> Iterator[Unit]:
    """One unit per non-blank line; a line over the size limit or not UTF-8 is that line's error
    (named `source:LINE`), and the lines after it are still read. `number` and `offset`: the lines
    and bytes before where `handle` stands (a span of the file, `read_jsonl_span`)."""
    cap = limits.max_case_bytes
    while True:
        line = handle.readline(cap + 1)
        if not line:
            return
        number += 1
        start, size = offset, len(line)
        offset += size
        where = f"{source}:{number}"
        if size > cap and not line.endswith(b"\n"):
            while True:  # skip the rest of the line without holding it
                rest = handle.readline(1 << 20)
                offset += len(rest)
                size += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            yield Unit(where, "", error=Problem(ErrorKind.line_too_long, size=size, limit=cap), line=number)
            continue
        if not line.strip():
            continue
        try:
            text = _decode(line)
        except CaseInputError as exc:
            yield Unit(where, "", error=exc.message, line=number)
            continue
        yield (Unit(where, ".jsonl", size=size, file=source, offset=start, line=number) if refer
               else Unit(where, ".jsonl", text, size=size, line=number))


class _Span:
    """A binary file read line by line up to `size` bytes from where it stands: one span of a JSON
    Lines file, read by `_jsonl_units` exactly as the whole file is; `lines` counts the line ends read."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self.handle, self.left, self.lines = handle, size, 0

    def readline(self, limit: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        line = self.handle.readline(self.left if limit < 0 else min(limit, self.left))
        self.left -= len(line)
        self.lines += line[-1:] == b"\n"
        return line


# How far before a span's wanted end its cut is looked for; a span whose last 64 KiB hold no line end
# reaches forward to the next one instead.
_CUT_WINDOW = 64 * 1024
_CUT_FIRST = 8 * 1024  # read first before a cut; the whole _CUT_WINDOW only when no line ends in it


def jsonl_spans(path: str, want: Callable[[], int]) -> Iterator[tuple[int, int]]:
    """A JSON Lines file cut into spans (start, end) of about `want()` bytes each, each ending after a
    newline or at the end of the file, so that worker processes can read the spans themselves
    (`read_jsonl_span`). Only the bytes just before each cut are read (the last newline in a window
    of up to 64 KiB): the cost is per span, not per case. A line longer than that is read past (in
    1 MiB blocks) to its end, never held."""
    fd = os.open(path, os.O_RDONLY)
    try:
        start = 0
        while True:
            size = max(1, want())
            eof = os.fstat(fd).st_size
            if start >= eof:
                return
            end = eof
            if start + size < eof:
                # the last few KiB first (a case is a few KiB): the same last newline, when it is in
                # them, for an eighth of the bytes read (this process's work between two pieces)
                window = min(size, _CUT_FIRST)
                tail = os.pread(fd, window, start + size - window)
                newline = tail.rfind(b"\n")
                if newline < 0 and window < min(size, _CUT_WINDOW):
                    window = min(size, _CUT_WINDOW)
                    tail = os.pread(fd, window, start + size - window)
                    newline = tail.rfind(b"\n")
                if newline >= 0:
                    end = start + size - window + newline + 1
                else:  # no line end near the cut: read on to the end of this line
                    end = start + size
                    while True:
                        more = os.pread(fd, 1 << 20, end)
                        newline = more.find(b"\n")
                        if newline >= 0:
                            end += newline + 1
                            break
                        if not more:
                            break
                        end += len(more)
            yield start, end
            start = end
    finally:
        os.close(fd)


def read_jsonl_span(path: str, start: int, end: int, line: int) -> tuple[list[Unit], int]:
    """The units of the bytes [start, end) of a JSON Lines file, `line` being the line number at
    `start` (a span from `jsonl_spans`) — the units `iter_units` gives for those lines, texts read —
    and the number of lines the span holds (the next span's first line is `line` + that)."""
    units: list[Unit] = []
    span = None
    try:
        with open(path, "rb") as handle:
            handle.seek(start)
            span = _Span(handle, end - start)
            units.extend(_jsonl_units(span, path, False, current_limits(), line - 1, start))
    except OSError as exc:
        units.append(Unit(path, "", error=Problem(ErrorKind.cannot_read, reason=os_reason(exc))))
    return units, span.lines if span is not None else 0


def count_lines(path: str, end: int) -> int:
    """The line number at byte `end` of a file (1 + the newlines before it), read in 1 MiB blocks."""
    lines, offset = 1, 0
    fd = os.open(path, os.O_RDONLY)
    try:
        while offset < end:
            block = os.pread(fd, min(1 << 20, end - offset), offset)
            if not block:
                break
            lines += block.count(b"\n")
            offset += len(block)
    finally:
        os.close(fd)
    return lines


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
    """Bytes of input under `paths` (for a progress bar; standard input counts 0)."""
    total = 0
    for path in iter_case_files(paths):
        if str(path) == STDIN:
            continue
        try:
            total += path.stat().st_size
        except OSError:
            pass
    return total


def _model_depth(annotation: Any, seen: frozenset = frozenset()) -> int:
    """How deeply a value of `annotation` nests mappings and lists (a model counts as a mapping);
    free-form values (`Any`) count 0 here and are walked instead (`validate_deferred`)."""
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return 64  # recursive: no bound
        return 1 + max((_model_depth(f.annotation, seen | {annotation}) for f in annotation.model_fields.values()),
                       default=0)
    args = get_args(annotation)
    origin = getattr(annotation, "__origin__", None)
    inner = max((_model_depth(a, seen) for a in args), default=0)
    return inner + (1 if origin in (list, dict, tuple, set, frozenset) else 0)


_CASE_DEPTH = _model_depth(Case)  # the deepest a valid case's data nests outside `meta`


def _deferrable(text: str, limits: InputLimits) -> bool:
    """Whether the text alone shows that no string is too long and no lone surrogate escape is in it
    (a valid case's depth is bounded by the model, `meta`'s is walked): then the limits walk can wait."""
    return (len(text) <= limits.max_string and limits.max_depth >= _CASE_DEPTH + 1
            # most texts hold no backslash at all, and a single character is found far faster
            and ("\\" not in text or "\\ud" not in text and "\\uD" not in text))


def validate_deferred(raw: RawCase, limits: InputLimits | None = None) -> Case | None:
    """For a RawCase read with `defer_limits`: the valid case, if the data validates and keeps the input
    limits; else None, and the caller reads the unit again the strict way (`parse_unit`), which gives
    exactly the errors it always gave (a limit broken first, then validation). Most cases are valid,
    so most never pay for the limits walk; an invalid one pays twice. `limits`: those in force (a
    batch reads them once: `current_limits()` when not given)."""
    try:
        case = validate_case(raw.data)
    except CaseValidationError:
        return None
    # Only `meta` is free-form. Its strings and numbers are known to keep the limits (`_deferrable` read
    # the text; the reading refused long numbers), so its nesting is all that is left to test.
    meta = raw.data.get("meta")
    if meta and type(meta) in (dict, list) and not nesting_within({"meta": meta}, (limits or current_limits()).max_depth):
        return None
    return case


def parse_unit(unit: Unit, defer_limits: bool = False, limits: InputLimits | None = None) -> RawCase:
    """The unit's data, or the reason it cannot be read (file, or file:line for JSON Lines).

    `defer_limits`: for JSON whose text shows the string limits kept, leave the walk over the data
    for the depth limit to `validate_deferred` (RawCase.limits_deferred). `limits`: those in force (a
    batch reads them once: `current_limits()` when not given)."""
    if unit.error is not None:
        return RawCase(unit.source, error=unit.error, line=unit.line)
    try:
        text = unit_text(unit)
    except OSError as exc:
        return RawCase(unit.source, error=Problem(ErrorKind.cannot_read, reason=os_reason(exc)))
    except UnicodeDecodeError as exc:
        return RawCase(unit.source, error=Problem(ErrorKind.not_utf8_text, reason=exc.reason))
    limits = limits or current_limits()
    if defer_limits and unit.suffix in (".jsonl", ".json") and text and _deferrable(text, limits):
        try:
            return RawCase(unit.source, load_json(text, limits, walk=False), limits_deferred=True, text=text,
                           suffix=unit.suffix, first_line=unit.line)
        except (json.JSONDecodeError, CaseInputError, RecursionError):
            pass  # the strict reading below gives the error
    return _parse(unit.source, text or "", unit.suffix, unit.line, limits)


def read_cases(paths: Iterable[str | Path]) -> Iterator[RawCase]:
    """Raw cases from files, directories, .jsonl streams and `-` (standard input, JSON Lines);
    unreadable input becomes an error entry, never an exception."""
    for unit in iter_units(paths):
        yield parse_unit(unit)


def _parse(source: str, text: str, suffix: str, first_line: int | None = None,
           limits: InputLimits | None = None) -> RawCase:
    """The data, or the error with its place: line and column in the file (a JSON Lines case: its
    line, and the column on it)."""
    known = {"text": text, "suffix": suffix, "first_line": first_line}
    if suffix in (".json", ".jsonl"):
        try:
            return RawCase(source, load_json(text, limits, line=first_line), **known)
        except json.JSONDecodeError as exc:
            return RawCase(source, error=Problem(ErrorKind.invalid_json, detail=json_complaint(exc.msg)),
                           line=first_line if suffix == ".jsonl" else exc.lineno, column=exc.colno,
                           decode_error=exc, **known)
        except CaseInputError as exc:
            return RawCase(source, error=exc.message, line=exc.line, column=exc.column, path=exc.field, **known)
    try:
        return RawCase(source, load_case_yaml(text, limits or current_limits()), **known)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        error = (Problem(ErrorKind.invalid_yaml, detail=problem).reported_as(problem.kind) if isinstance(problem, Problem)
                 else Problem(ErrorKind.invalid_yaml, detail=yaml_complaint(problem)))
        return RawCase(source, error=error,
                       line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None, **known)


def load_case(path: str | Path) -> Case:
    """Read and validate one case file (.json or .yaml); errors name the file and the field."""
    raws = list(read_cases([path]))
    if len(raws) != 1:
        raise CaseValidationError([InputError("", Problem(ErrorKind.expected_one_case, count=len(raws)))], str(path))
    return validated(raws[0])


def validated(raw: RawCase) -> Case:
    """The case a RawCase holds, or the CaseValidationError naming why it is none: its read error (a
    CaseJSONError for text that is not JSON), or its field errors placed in its text (line, column)."""
    if raw.error is not None:
        if isinstance(raw.decode_error, json.JSONDecodeError):
            raise CaseJSONError([raw.input_error()], raw.decode_error, raw.source)
        raise CaseValidationError([raw.input_error()], raw.source)
    try:
        return validate_case(raw.data)
    except CaseValidationError as exc:
        raise CaseValidationError(raw.locate(exc.errors), raw.source, exc.case_id) from None
