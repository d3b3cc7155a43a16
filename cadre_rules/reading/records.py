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

from cadre_rules.errors import RecordFileError
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


def _message(error: dict[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field"
    if error["type"] == "missing":
        return "required field missing"
    msg = str(error["msg"]).removeprefix("Value error, ")
    if "input" in error and error["type"] not in ("model_type", "dict_type", "list_type", "value_error") \
            and "name" not in error["loc"]:
        return f"{msg} (got {repr(error['input'])[:60]})"
    return msg


def read_record(path: str | Path, model: type[M]) -> M:
    """The file at `path` as a `model`; raises RecordFileError naming file, line and field."""
    path = Path(path)
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RecordFileError([f"{shown}: cannot read: {exc.strerror or exc}"], shown) from None
    if len(raw) > MAX_BYTES:
        raise RecordFileError([f"{shown}: larger than {MAX_BYTES} bytes"], shown)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RecordFileError([f"{shown}: not UTF-8 text"], shown) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else load_marked(text)
    except json.JSONDecodeError as exc:
        raise RecordFileError([f"{shown}:{exc.lineno}: not valid JSON: {exc.msg}"], shown) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise RecordFileError([f"{shown}{where}: not valid YAML: {getattr(exc, 'problem', None) or exc}"], shown) from None
    if not isinstance(data, dict):
        raise RecordFileError([f"{shown}: the file must hold a mapping, not {type(data).__name__}"], shown)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for e in exc.errors(include_url=False):
            line = _line(data, tuple(e["loc"]))
            field = format_loc(e["loc"])
            problems.append(f"{shown}{':' + str(line) if line else ''}: {field + ': ' if field else ''}{_message(e)}")
        raise RecordFileError(problems, shown) from None
