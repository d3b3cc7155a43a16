"""Reading case files and turning raw data into validated cases, with errors a person can act on.

Every problem is reported as `source: field.path: message` (source being the file, or file:line for
.jsonl). A file that cannot be parsed is one invalid input; in a batch, every other case still runs.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml
from pydantic import ValidationError

from cadre_rules.errors import CaseValidationError, InputError
from cadre_rules.model import Case, integrity_problems
from cadre_rules.reading.yamlmarks import safe_load

CASE_SUFFIXES = {".json", ".yaml", ".yml", ".jsonl"}


@dataclass(frozen=True)
class RawCase:
    """One case as read from input: its data, or the reason it could not be read."""

    source: str
    data: Any = None
    error: str | None = None

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
        raise CaseValidationError([InputError("", f"a case must be a mapping, not {type(data).__name__}")])
    try:
        case = Case.model_validate(data, context={"defer_integrity": True})
    except ValidationError as exc:
        errors = [InputError(format_loc(e["loc"]), _message(e)) for e in exc.errors(include_url=False)]
        raise CaseValidationError(errors, case_id=data.get("id") if isinstance(data.get("id"), str) else None) from None
    return _checked(case)


def validate_case_json(text: str | bytes) -> Case:
    """`validate_case(json.loads(text))`, faster: the JSON is parsed and validated in one go by
    pydantic-core, without building the intermediate dicts.

    Same result, same errors: any text the fast path does not accept (invalid JSON, a lone surrogate
    escape, a case that does not validate, ...) goes through `json.loads` and `validate_case`, so a
    malformed text still raises json.JSONDecodeError and an invalid case the same CaseValidationError,
    field paths and messages as before. The fast path only accepts text that json.loads parses to
    data validating to the same Case (same duplicate-key rule, numbers and strings).
    """
    case = case_from_json(text)
    return case if case is not None else validate_case(json.loads(text))


def case_from_json(text: str | bytes) -> Case | None:
    """The fast path alone: the valid Case, or None when pydantic-core does not accept the text (the
    caller then takes the general path, which gives the errors). Integrity problems still raise."""
    try:
        case = Case.model_validate_json(text, context={"defer_integrity": True})
    except ValidationError:
        return None
    return _checked(case)


def _checked(case: Case) -> Case:
    problems = [InputError(p, m) for p, m in integrity_problems(case)]
    if problems:
        raise CaseValidationError(problems, case_id=case.id)
    return case


# Fields whose values are personal data: an error names the field but never repeats the value.
PERSONAL_FIELDS = {"id_number", "name", "birth_date"}


def _message(error: dict[str, Any]) -> str:
    msg = str(error["msg"])
    if error["type"] == "extra_forbidden":
        return "unknown field"
    if error["type"] == "missing":
        return "required field missing"
    if any(part in PERSONAL_FIELDS for part in error["loc"]):
        return msg
    if "input" in error and error["type"] not in ("model_type", "dict_type", "list_type"):
        shown = repr(error["input"])
        return f"{msg} (got {shown[:60]})"
    return msg


def valid_cases(raws: Iterable[RawCase], skipped: list[str]) -> Iterator[Case]:
    """The cases that read and validate; each other input is noted in `skipped` by source and field
    path only (a validation message may echo personal data)."""
    for raw in raws:
        if raw.error is not None:
            skipped.append(f"{raw.source}: {raw.error}")
            continue
        try:
            yield validate_case(raw.data)
        except CaseValidationError as exc:
            skipped.append(f"{raw.source}: invalid, {len(exc.errors)} problem(s), first at "
                           f"{exc.errors[0].path or 'the whole input'}")


def iter_case_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Case files under the given paths, directories walked in sorted order (deterministic)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in CASE_SUFFIXES)
        else:
            yield path


def read_cases(paths: Iterable[str | Path]) -> Iterator[RawCase]:
    """Raw cases from files, directories and .jsonl streams; unreadable input becomes an error entry."""
    for path in iter_case_files(paths):
        source = str(path)
        if not path.exists():
            yield RawCase(source, error="no such file or directory")
            continue
        suffix = path.suffix.lower()
        if suffix not in CASE_SUFFIXES:
            yield RawCase(source, error=f"not a case file (expected {', '.join(sorted(CASE_SUFFIXES))})")
            continue
        try:
            if suffix == ".jsonl":
                yield from _read_jsonl(path)
                continue
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            yield RawCase(source, error=f"cannot read: {exc}")
            continue
        yield _parse(source, text, suffix)


def _parse(source: str, text: str, suffix: str) -> RawCase:
    if suffix == ".json":
        try:
            return RawCase(source, json.loads(text))
        except json.JSONDecodeError as exc:
            return RawCase(source, error=f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
    try:
        return RawCase(source, safe_load(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        return RawCase(source, error=f"invalid YAML{where}: {getattr(exc, 'problem', None) or exc}")


def _read_jsonl(path: Path) -> Iterator[RawCase]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            source = f"{path}:{number}"
            try:
                yield RawCase(source, json.loads(line))
            except json.JSONDecodeError as exc:
                yield RawCase(source, error=f"invalid JSON at column {exc.colno}: {exc.msg}")


def load_case(path: str | Path) -> Case:
    """Read and validate one case file (.json or .yaml); errors name the file and the field."""
    raws = list(read_cases([path]))
    if len(raws) != 1:
        raise CaseValidationError([InputError("", f"expected one case, found {len(raws)}")], str(path))
    raw = raws[0]
    if raw.error is not None:
        raise CaseValidationError([InputError("", raw.error)], raw.source)
    try:
        return validate_case(raw.data)
    except CaseValidationError as exc:
        raise CaseValidationError(exc.errors, raw.source, exc.case_id) from None
