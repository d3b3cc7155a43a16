"""Every error cadre-rules raises to its callers, in one place, under one base class.

An embedding system catches `CadreRulesError` for "anything cadre-rules refused", or one subclass
for one kind of problem. Each error keeps the builtin base it always had (ValueError, RuntimeError)
so older `except ValueError` code still works, and carries what a caller needs to act on it
(file, line, rule id, case id, field path) as attributes, not only in the message.

This module imports nothing from the rest of the package (it is the bottom of the import graph);
the objects some errors carry (a VerifyReport, an EventResult, a Transition) are only read here.

Internal control-flow exceptions stay private where they are raised, because none ever reaches a
caller: `engine.durable_compile.Unsupported` (caught in compile_rule), `engine.durable.InvalidFacts`
and `EngineFailure` (caught in DurableEvaluator.evaluate, the case goes to the Python evaluator),
`engine.durable_worker.WorkerDied` (caught in DurableWorker.judge_many, the worker restarts),
`testing.draft.Redraw` (caught by the generator), `reading.limits._Duplicate` (caught in load_json), and the decision service's `service.limits.Refused`
(turned into the HTTP error answer), `service.live.UnknownCase` and `CaseExists` (caught by its routes:
404 and 409).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: errors.py stays at the bottom of the import graph
    from cadre_rules.live.case import EventResult
    from cadre_rules.live.journal import VerifyReport
    from cadre_rules.live.process import Transition
    from cadre_rules.rulebook.model import LoadError


class CadreRulesError(Exception):
    """Base class of every error cadre-rules raises to its callers."""


# ---- case input ------------------------------------------------------------------------------

# Input messages are built in English (tests, logs and the service compare them byte for byte) and
# translated only where a report is rendered in a language. One table, matched on the English text:
# the common kinds (pydantic's missing / extra / enum / type errors and the case's integrity checks);
# a message no pattern knows stays English rather than being half translated.
_HINT = re.compile(r' \(did you mean "(.*)"\?\)$')
_GOT = re.compile(r" \(got (.*)\)$", re.S)
_REFERENCE_KINDS = {"member": "班子成员", "candidate": "考察对象", "person": "人员",
                    "recommendation round": "推荐轮次", "prior report": "前次报告"}
_ZH: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"unknown field$"), lambda m: "未知字段"),
    (re.compile(r"required field missing$"), lambda m: "缺少必填字段"),
    (re.compile(r'unknown (member|candidate|person|recommendation round|prior report) "(.*)"$', re.S),
     lambda m: f'未知的{_REFERENCE_KINDS[m[1]]} "{m[2]}"'),
    (re.compile(r"Input should be a valid date.*$", re.S), lambda m: "应为有效日期（YYYY-MM-DD）"),
    (re.compile(r"Input should be a valid integer.*$", re.S), lambda m: "应为整数"),
    (re.compile(r"Input should be a valid number.*$", re.S), lambda m: "应为数字"),
    (re.compile(r"Input should be a valid string$"), lambda m: "应为字符串"),
    (re.compile(r"Input should be a valid boolean.*$", re.S), lambda m: "应为布尔值"),
    (re.compile(r"Input should be a valid list$"), lambda m: "应为列表"),
    (re.compile(r"Input should be a valid dictionary.*$", re.S), lambda m: "应为映射（键值对）"),
    (re.compile(r"Input should be ((?:'[^']*'(?:, | or ))*'[^']*')$", re.S),
     lambda m: "应为以下取值之一：" + re.sub(r"' or '", "' 或 '", re.sub(r"', '", "'、'", m[1]))),
)


def localize(message: str, lang: str) -> str:
    """An input message (as InputError holds it, in English) in `lang`: Chinese for "zh" when its kind
    is known, else the English message unchanged. The did-you-mean hint and the `(got ...)` value are kept."""
    if lang != "zh":
        return message
    core, hint, got = message, "", ""
    if found := _HINT.search(core):
        core, hint = core[:found.start()], f'（是否应为 "{found[1]}"？）'
    if found := _GOT.search(core):
        core, got = core[:found.start()], f"（实际为 {found[1]}）"
    for pattern, render in _ZH:
        if match := pattern.match(core):
            return render(match) + got + hint
    return message


@dataclass(frozen=True)
class InputError:
    """One problem with an input (a value, not an exception): the field path and the message."""

    path: str  # field path inside the case, e.g. meetings[2].attendees[0]; "" for the whole input
    message: str
    line: int | None = None  # where in the file (1-based), when known
    column: int | None = None

    def to_dict(self) -> dict[str, str | int]:
        out: dict[str, str | int] = {"path": self.path, "message": self.message}
        if self.line is not None:
            out["line"] = self.line
            if self.column is not None:
                out["column"] = self.column
        return out

    def place(self, source: str) -> str:
        """`source:line:column` as compilers write it (each part when known). A JSON Lines source
        (`file.jsonl:LINE`) already names its line: only the column is added."""
        if not source or self.line is None:
            return source
        column = f":{self.column}" if self.column is not None else ""
        if source.endswith(f":{self.line}"):
            return source + column
        return f"{source}:{self.line}{column}"

    def where(self) -> str:
        """`line:column` (or `line`), or "" when the place is not known."""
        if self.line is None:
            return ""
        return f"{self.line}:{self.column}" if self.column is not None else str(self.line)

    def text(self, lang: str = "en") -> str:
        """The message in `lang` ("zh" or "en"); a message without a translation stays English."""
        return localize(self.message, lang)

    def located(self, lang: str = "en") -> str:
        """`line:column: path: message` (each part when known), for a report that names the source apart."""
        where = self.where()
        return f"{where + ': ' if where else ''}{self.path + ': ' if self.path else ''}{self.text(lang)}"

    def describe(self, source: str = "", lang: str = "en") -> str:
        """`source:line:column: path: message`, each part when known."""
        where = self.place(source)
        return f"{where + ': ' if where else ''}{self.path + ': ' if self.path else ''}{self.text(lang)}"


class CaseValidationError(CadreRulesError, ValueError):
    """A case that does not validate; `errors` name each field, `source` the file, `case_id` the case."""

    def __init__(self, errors: list[InputError], source: str = "", case_id: str | None = None) -> None:
        self.errors, self.source, self.case_id = errors, source, case_id
        super().__init__("\n".join(e.describe(source) for e in errors))

    @property
    def paths(self) -> list[str]:
        """The field paths at fault, in order ("" for the whole input)."""
        return [e.path for e in self.errors]


class RegisterError(CadreRulesError, ValueError):
    """An organisation register that cannot be read or does not validate; `errors` name each field,
    `source` the file (docs/register.md)."""

    def __init__(self, errors: list[InputError], source: str = "") -> None:
        self.errors, self.source = errors, source
        prefix = f"{source}: " if source else ""
        super().__init__("\n".join(f"{prefix}{e.path + ': ' if e.path else ''}{e.message}" for e in errors))


class CaseInputError(CadreRulesError, ValueError):
    """Case input the reader refuses before validation: over a limit (size, depth, string, number),
    a duplicate key, a YAML alias or custom tag, a file that is not a regular file. `line` is the
    line in the file when known, `column` the column on it, `field` the path to the value when known."""

    def __init__(self, message: str, line: int | None = None, field: str = "", column: int | None = None) -> None:
        self.message, self.line, self.field, self.column = message, line, field, column
        super().__init__(self.describe())

    def describe(self) -> str:
        """`line N column C: field: message`, each part only when known."""
        where = f"line {self.line}{f' column {self.column}' if self.column is not None else ''}: " \
            if self.line is not None else ""
        return f"{where}{self.field + ': ' if self.field else ''}{self.message}"


class CaseFormatDeprecated(CadreRulesError, FutureWarning):
    """A warning, not an error: a case uses a spelling that is still read but will not always be
    (a vote's `yes`/`no`, now `agree`/`disagree`). A FutureWarning, so Python shows it to users."""


class CaseBuildError(CadreRulesError, ValueError):
    """A builder step asked for something the case cannot be made to say (e.g. more present than due)."""


class RecordFileError(CadreRulesError, ValueError):
    """A supervision record file (the two reviews, a team-structure profile) that does not read or
    validate: `problems` are `file:line: field: message` lines, `path` the file."""

    def __init__(self, problems: list[str], path: str = "") -> None:
        self.problems, self.path = problems, path
        super().__init__("\n".join(problems))


# ---- rules -----------------------------------------------------------------------------------

class RulebookError(CadreRulesError, ValueError):
    """A rulebook with any error; it is never used in part. `errors` carry file, line and rule id."""

    def __init__(self, errors: list[LoadError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

    @property
    def files(self) -> list[str]:
        """The rule files at fault, each once, in order of the errors."""
        return list(dict.fromkeys(e.file for e in self.errors))

    @property
    def rule_ids(self) -> list[str]:
        """The rule ids at fault, each once (errors outside any rule have none)."""
        return list(dict.fromkeys(e.rule_id for e in self.errors if e.rule_id))


class ParseError(CadreRulesError, ValueError):
    """A condition expression that does not parse or type-check; `col` is the column at fault."""

    def __init__(self, message: str, col: int) -> None:
        super().__init__(message)
        self.col = col


class WaiverError(CadreRulesError, ValueError):
    """Problems in a waiver file, each as `file:line: message`; `path` is the waiver file."""

    def __init__(self, problems: list[str], path: str | None = None) -> None:
        self.problems = problems
        self.path = path
        super().__init__("\n".join(problems))


# ---- engines and dates -----------------------------------------------------------------------

class EngineUnavailable(CadreRulesError, RuntimeError):
    """An engine that is unknown or cannot run here (e.g. durable_rules not installed)."""


class OutsideCalendar(CadreRulesError, ValueError):
    """A date the holiday data does not cover; `day` is the date, `coverage` the covered years as text
    (e.g. `2004–2026`)."""

    def __init__(self, day: date, coverage: str) -> None:
        super().__init__(f"{day.isoformat()} is outside the holiday data ({coverage})")
        self.day = day
        self.coverage = coverage


class HolidayDataError(CadreRulesError, ValueError):
    """A holiday file that cannot be used; the message names the file and, where it can, the line."""


# ---- live cases, events and the journal ------------------------------------------------------

class EventDataError(CadreRulesError, ValueError):
    """The event's data does not make a valid record; `errors` are (field path, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{p}: {m}" if p else m for p, m in errors))


class EventConflict(CadreRulesError, ValueError):
    """An event id already used for a different event in this case."""

    def __init__(self, message: str, *, event_id: str | None = None, case_id: str | None = None) -> None:
        super().__init__(message)
        self.event_id, self.case_id = event_id, case_id


class ProcedureViolation(CadreRulesError):
    """Raised by `submit(..., strict=True)` for a refused event (already recorded); carries the result."""

    def __init__(self, result: EventResult) -> None:
        self.result = result
        self.refused_by = result.refused_by
        super().__init__(f"event {result.event.id} ({result.event.kind}, {result.event.on}) {result.reason}")

    @property
    def event_id(self) -> str:
        return self.result.event.id


class TransitionRefused(CadreRulesError):
    """Raised by CaseProcess.advance(strict=True); carries the recorded refusal."""

    def __init__(self, transition: Transition) -> None:
        self.transition = transition
        super().__init__(transition.reason)

    @property
    def refused_by(self) -> tuple[str, ...]:
        """The ids of the guard rules that refused the transition (or "ILLEGAL-TRANSITION")."""
        return self.transition.refused_by


class JournalError(CadreRulesError):
    """A journal that cannot be used as asked; `path`, `case_id` and `seq` (entry) when known."""

    def __init__(self, message: str, *, path: str | None = None, case_id: str | None = None,
                 seq: int | None = None) -> None:
        super().__init__(message)
        self.path, self.case_id, self.seq = path, case_id, seq


class JournalUnreadable(JournalError):
    """Not a journal: a missing file, not an SQLite database, or not in the journal format."""


class JournalTampered(JournalError):
    """The chain is broken; `report` says where."""

    def __init__(self, report: VerifyReport) -> None:
        self.report = report
        super().__init__(str(report), seq=report.problem.seq if report.problem is not None else None)


class CanonicalError(CadreRulesError, ValueError):
    """A value (or a stored journal text) that has no RFC 8785 canonical form, or is not in it."""


class SigningError(CadreRulesError, ValueError):
    """A signing key or a signed checkpoint that cannot be used (unreadable, malformed)."""


# ---- reports --------------------------------------------------------------------------------

class OutputError(CadreRulesError, OSError):
    """A report or export that could not be written (disk full, /dev/full, no permission); one line."""


class TemplateError(CadreRulesError, ValueError):
    """A Word template that cannot carry a report (unreadable, or without the styles a report uses);
    `path` is the template."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


# ---- importers ---------------------------------------------------------------------------------

class FormError(CadreRulesError, ValueError):
    """An appointment form (.lrmx, .lrm) that cannot be read: unsafe XML, not well-formed, a wrong
    encoding or field count; the message names the file and why."""


class MappingError(CadreRulesError, ValueError):
    """A workbook mapping file that does not fit the layout; the message names the file and key."""


# ---- tools -----------------------------------------------------------------------------------

class ConfigError(CadreRulesError, ValueError):
    """A command-line configuration file that cannot be used (unreadable, invalid TOML, an unknown key);
    `path` is the file. The command line reports it as a usage error."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class CoverageInputError(CadreRulesError, ValueError):
    """The features directory is missing or gherkin-official is not installed."""


class MutationDocError(CadreRulesError, ValueError):
    """The mutation page cannot be rewritten: no marker line, or a run limited by --rule or --sample."""


__all__ = [
    "CadreRulesError", "CanonicalError", "CaseBuildError", "CaseFormatDeprecated", "CaseInputError", "CaseValidationError", "ConfigError", "CoverageInputError",
    "EngineUnavailable", "EventConflict", "EventDataError", "FormError", "HolidayDataError", "InputError", "JournalError",
    "JournalTampered", "JournalUnreadable", "MappingError", "MutationDocError", "OutputError", "OutsideCalendar", "ParseError",
    "ProcedureViolation", "RecordFileError", "RegisterError", "RulebookError", "SigningError", "TemplateError", "TransitionRefused", "WaiverError",
]
