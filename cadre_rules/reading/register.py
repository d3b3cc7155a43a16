"""Reading an organisation register (docs/register.md): the same reader, limits and errors as case files.

The file goes through the one case reader (`reading/cases.py`: size, depth, duplicate keys, YAML
anchors refused, JSON or YAML), then validates as `model.register.Register`; every problem is
reported as `file: field.path: message`, never as a traceback.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cadre_rules.errors import ErrorKind, InputError, Problem, RegisterError, pydantic_error, type_name
from cadre_rules.model.register import Register, register_problems
from cadre_rules.reading.cases import _message, _msg_got, format_loc, iter_units, parse_unit

REGISTER_SUFFIXES = {".json", ".yaml", ".yml"}


def validate_register(data: Any, source: str = "") -> Register:
    """Validate raw data as a Register; raises RegisterError naming every bad field."""
    if not isinstance(data, dict):
        raise RegisterError([InputError("", Problem(ErrorKind.register_not_mapping, type=type_name(data)))], source)
    try:
        register = Register.model_validate(data, context={"defer_integrity": True})
    except ValidationError as exc:
        raise RegisterError([pydantic_error(format_loc(e["loc"]), e, _message(e), got=_msg_got(e)[1])
                             for e in exc.errors(include_url=False)], source, data) from None
    problems = [InputError(path, message) for path, message in register_problems(register)]
    if problems:
        raise RegisterError(problems, source, data)
    return register


def load_register(path: str | Path) -> Register:
    """Read and validate one register file (.yaml, .yml or .json), or a register workbook (.xlsx,
    importers/register.py: each problem then names its sheet, row and column)."""
    path = Path(path)
    if path.suffix not in REGISTER_SUFFIXES | {".xlsx"}:
        raise RegisterError([InputError("", Problem(ErrorKind.register_suffix))], str(path))
    if not path.is_file():
        raise RegisterError([InputError("", Problem(ErrorKind.register_not_found))], str(path))
    if path.suffix == ".xlsx":
        from cadre_rules.importers.register import import_register_workbook

        imported = import_register_workbook(path)
        if imported.problems or imported.data is None:
            raise RegisterError([p.input_error() for p in imported.problems], str(path), imported.data)
        return validate_register(imported.data, str(path))
    units = list(iter_units([path]))
    if len(units) != 1:
        raise RegisterError([InputError("", Problem(ErrorKind.expected_one_register, count=len(units)))], str(path))
    raw = parse_unit(units[0])
    if raw.error is not None:
        raise RegisterError([InputError("", raw.error)], raw.source)
    return validate_register(raw.data, raw.source)


__all__ = ["load_register", "validate_register"]
