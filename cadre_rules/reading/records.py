"""Supervision record files — the two reviews (docs/reviews.md), team-structure profiles
(docs/team-structure.md) — read and validated like case files: YAML or JSON, pydantic models, and
every problem named by file, line and field, never a traceback.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from cadre_rules.errors import (ErrorKind, InputError, Problem, RecordFileError, json_complaint, os_reason,
                                pydantic_error, type_name, yaml_complaint)
from cadre_rules.reading.cases import format_loc
from cadre_rules.reading.yamlmarks import MarkedDict, MarkedList, line_of, load_marked

M = TypeVar("M", bound=BaseModel)
MAX_BYTES = 4 * 1024 * 1024  # a record of one organisation's year is a few KiB


def _line(data: Any, loc: tuple[Any, ...]) -> int:
    """The line of the deepest marked node on `loc` (YAML only; 0 when unknown)."""
    line, node = getattr(data, "line", 0), data
    for part in loc:
        if isinstance(node, MarkedDict) and part in node:
            line, node = line_of(node, str(part)), node[part]
        elif isinstance(node, MarkedList) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            line = getattr(node, "line", line)
        else:
            break
    return line


def _error(error: dict[str, Any], field: str, line: int) -> InputError:
    """One of pydantic's errors as a record file shows it (its own words for a field unknown or
    missing, the value found after others), with its kind."""
    if error["type"] == "extra_forbidden":
        return InputError(field, Problem(ErrorKind.record_unknown_field), line=line)
    if error["type"] == "missing":
        return InputError(field, Problem(ErrorKind.record_field_missing), line=line)
    msg = str(error["msg"]).removeprefix("Value error, ")
    got = None
    if "input" in error and error["type"] not in ("model_type", "dict_type", "list_type", "value_error") \
            and "name" not in error["loc"]:
        got = repr(error["input"])[:60]
        msg = f"{msg} (got {got})"
    e = pydantic_error(field, error, msg, got=got)
    return InputError(field, msg, line=line, kind=e.kind, params=e.params, template=e.template)


def read_record(path: str | Path, model: type[M]) -> M:
    """The file at `path` as a `model`; raises RecordFileError naming file, line and field."""
    path = Path(path)
    shown = str(path)

    def fail(message: Problem, line: int | None = None) -> RecordFileError:
        return RecordFileError([InputError("", message, line=line)], shown)

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(Problem(ErrorKind.cannot_read, reason=os_reason(exc))) from None
    if len(raw) > MAX_BYTES:
        raise fail(Problem(ErrorKind.record_too_large, limit=MAX_BYTES))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise fail(Problem(ErrorKind.record_not_utf8)) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else load_marked(text)
    except json.JSONDecodeError as exc:
        raise fail(Problem(ErrorKind.record_invalid_json, detail=json_complaint(exc.msg)), exc.lineno) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = yaml_complaint(str(getattr(exc, "problem", None) or exc))
        raise fail(Problem(ErrorKind.record_invalid_yaml, detail=detail), mark.line + 1 if mark is not None else None) from None
    if not isinstance(data, dict):
        raise fail(Problem(ErrorKind.record_not_mapping, type=type_name(data)))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [_error(e, format_loc(e["loc"]), _line(data, tuple(e["loc"])))
                    for e in exc.errors(include_url=False)]
        raise RecordFileError(problems, shown) from None
