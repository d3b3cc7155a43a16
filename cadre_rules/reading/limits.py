"""Limits on what one case may hold, and the strict JSON reader that enforces them.

Why: a case file comes from outside (another system, a colleague, an attacker). Without limits a
10,000-deep list, a 5,000-digit number or a lone UTF-16 surrogate escape crash the reader or the
report writer with a traceback, and a second `meetings` key silently erases the first. Each limit
turns such input into one clear error for that case (`file: message`, `file:line` where known),
and every other case of the run is still judged.

Defaults are generous for real cases and can be changed through the environment:

    CADRE_RULES_MAX_CASE_BYTES   size of one case file or JSON Lines line   (default 16 MiB)
    CADRE_RULES_MAX_DEPTH        nesting of mappings and lists              (default 64)
    CADRE_RULES_MAX_STRING       characters in one string                   (default 100,000)
    CADRE_RULES_MAX_INT_DIGITS   digits in one integer                      (default 30)
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Callable

from cadre_rules.errors import CaseInputError, ErrorKind, Problem, Said


@dataclass(frozen=True)
class InputLimits:
    """What one case may hold; `from_env()` reads the CADRE_RULES_MAX_* variables."""

    max_case_bytes: int = 16 * 1024 * 1024
    max_depth: int = 64
    max_string: int = 100_000
    max_int_digits: int = 30

    @classmethod
    def from_env(cls) -> "InputLimits":
        values: dict[str, int] = {}
        for field, var in _ENV.items():
            raw = os.environ.get(var)
            if raw is None or not raw.strip():
                continue
            try:
                value = int(raw)
            except ValueError:
                raise CaseInputError(Problem(ErrorKind.bad_limit_setting, var=var, raw=repr(raw))) from None
            if value <= 0:
                raise CaseInputError(Problem(ErrorKind.bad_limit_setting, var=var, raw=repr(raw)))
            if field == "max_depth" and value > MOST_DEPTH:
                raise CaseInputError(Problem(ErrorKind.limit_setting_too_high, var=var, raw=repr(raw), most=MOST_DEPTH))
            values[field] = value
        return cls(**values)


# The deepest nesting the readers can follow, with room for the callers' own frames: JSON's and YAML's
# readers recurse once a level, against Python's recursion limit (1,000). A setting above it read a
# file nested 1,000 deep as "more than 100000 levels", naming the setting and not what stopped it.
MOST_DEPTH = 500


_ENV = {"max_case_bytes": "CADRE_RULES_MAX_CASE_BYTES", "max_depth": "CADRE_RULES_MAX_DEPTH",
        "max_string": "CADRE_RULES_MAX_STRING", "max_int_digits": "CADRE_RULES_MAX_INT_DIGITS"}


_VARS = tuple(_ENV.values())
_cached: tuple[tuple[Any, ...], InputLimits] | None = None


def current_limits() -> InputLimits:
    """The limits in force (the environment, read again only when one of its CADRE_RULES_MAX_*
    variables changed). A batch asks once (audit/batch.CaseJudge) and passes them down the reader;
    a single reading asks each time."""
    global _cached
    snapshot = tuple(map(os.environ.get, _VARS))
    cached = _cached
    if cached is not None and cached[0] == snapshot:
        return cached[1]
    limits = InputLimits.from_env()  # a bad setting raises every time it is asked for, as before
    _cached = (snapshot, limits)
    return limits


def check_data(data: Any, limits: InputLimits) -> None:
    """Raise CaseInputError when parsed data breaks a limit: depth, string length, lone surrogates,
    integer digits. Iterative (a deep input cannot exhaust the stack). A quick pass decides; only
    when it finds a fault does a second pass find the field path to name (paths cost time)."""
    if not _within(data, limits):
        _find_fault(data, limits)


def _within(data: Any, limits: InputLimits) -> bool:
    max_depth, max_string, biggest = limits.max_depth, limits.max_string, 10 ** limits.max_int_digits
    if not isinstance(data, (dict, list)):
        return _find_fault_ok(data, limits)
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        container, depth = stack.pop()
        if depth > max_depth:
            return False
        is_dict = isinstance(container, dict)
        values = container.values() if is_dict else container
        if is_dict:
            for key in container:
                if type(key) is str and (len(key) > max_string or not key.isascii() and not _encodes(key)):
                    return False
        for value in values:
            kind = type(value)
            if kind is str:
                if len(value) > max_string or not value.isascii() and not _encodes(value):
                    return False
            elif kind is dict or kind is list:
                stack.append((value, depth + 1))
            elif kind is int and not -biggest < value < biggest:
                return False
            elif kind not in (bool, float, int, type(None)) and isinstance(value, (dict, list, str, int)):
                return _find_fault_ok(data, limits)  # a subclass (e.g. a marked YAML mapping): the full walk
    return True


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _find_fault_ok(data: Any, limits: InputLimits) -> bool:
    _find_fault(data, limits)
    return True


def _find_fault(data: Any, limits: InputLimits) -> None:
    stack: list[tuple[Any, int, str]] = [(data, 1, "")]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, str):
            _check_string(value, limits, path)
        elif isinstance(value, bool) or value is None or isinstance(value, float):
            continue
        elif isinstance(value, int):
            if abs(value) >= 10 ** limits.max_int_digits:
                raise CaseInputError(Problem(ErrorKind.number_over_limit, limit=limits.max_int_digits), field=path)
        elif isinstance(value, (dict, list)):
            if depth > limits.max_depth:
                raise CaseInputError(Problem(ErrorKind.nesting_over_limit, limit=limits.max_depth), field=path)
            if isinstance(value, dict):
                for key, item in value.items():
                    if isinstance(key, str):
                        _check_string(key, limits, path)
                    stack.append((item, depth + 1, f"{path}.{key}" if path else str(key)))
            else:
                stack.extend((item, depth + 1, f"{path}[{i}]") for i, item in enumerate(value))


def _check_string(value: str, limits: InputLimits, path: str) -> None:
    if len(value) > limits.max_string:
        raise CaseInputError(Problem(ErrorKind.string_over_limit, limit=limits.max_string), field=path)
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise CaseInputError(Problem(ErrorKind.lone_surrogate, advice=Said(
                ": write the character itself, or a valid surrogate pair", "：请写出字符本身，或写成有效的代理对")),
                field=path) from None


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return out


_REREAD = object()  # `_quick_json` could not show the text free of repeated keys: read it the strict way


def _int_parser(digits: int) -> Callable[[str], int]:
    """json.loads' `parse_int` refusing an integer of more than `digits` digits (one per limit,
    kept: the quick path should not build a closure per case)."""
    parser = _PARSERS.get(digits)
    if parser is None:
        def parser(token: str, _int: Callable[[str], int] = int) -> int:
            # a token no longer than the limit (sign included) needs no closer look
            if len(token) > digits and len(token.lstrip("-")) > digits:
                raise CaseInputError(Problem(ErrorKind.number_over_limit, limit=digits))
            return _int(token)
        _PARSERS[digits] = parser
    return parser


_PARSERS: dict[int, Callable[[str], int]] = {}


def _quick_json(text: str, parse_int: Callable[[str], int]) -> Any:
    """json.loads of a text without a repeated key, the cheap way; else `_REREAD`.

    Why: refusing repeated keys through `object_pairs_hook` calls a Python function that builds each
    object's dict from its pairs; here the C scanner builds the dicts and the hook only notes them.
    Every key is followed by a colon outside any string, and a repeated key leaves its dict one key
    short; so when the dicts hold as many keys as the text has colons, no key was repeated. A colon
    inside a string, a repeated key or any error (a long number, malformed JSON, too deep) gives
    `_REREAD`, and the strict reading gives the answer and the error it always gave."""
    objects: list[dict[str, Any]] = []
    note = objects.append

    def hook(obj: dict[str, Any]) -> dict[str, Any]:
        note(obj)
        return obj

    try:
        data = json.loads(text, object_hook=hook, parse_int=parse_int)
    except (ValueError, CaseInputError, RecursionError):
        return _REREAD
    if sum(map(len, objects)) != text.count(":"):
        return _REREAD
    return data


def load_json(text: str, limits: InputLimits | None = None, line: int | None = None, walk: bool = True) -> Any:
    """json.loads, strict: duplicate keys, too deep, too long numbers and strings, lone surrogates
    are CaseInputError with the line and column of the fault (`line`, when given, is the line of a
    JSON Lines case in its file: the column is then on that line); malformed JSON stays
    json.JSONDecodeError. Places are found only on the error path (reading/places.py).

    `walk=False` leaves out the walk over the parsed data (`check_data`: depth, strings, surrogates);
    duplicate keys and long numbers are still refused while parsing. Only for a caller that proves
    those limits otherwise (reading/cases.py `within_limits`)."""
    limits = limits or current_limits()
    parse_int = _int_parser(limits.max_int_digits)
    data = _quick_json(text, parse_int)
    if data is not _REREAD and not walk:
        return data
    return _strict_json(text, limits, line, walk, parse_int, data)


def _strict_json(text: str, limits: InputLimits, line: int | None, walk: bool, parse_int: Callable[[str], int],
                 data: Any) -> Any:
    """`load_json` after the quick reading: the strict reading when that gave `_REREAD`, every error
    with its place, and the walk over the data."""
    from cadre_rules.reading.places import Locator, json_long_number, json_too_deep, line_column

    digits = limits.max_int_digits

    def at(place: tuple[int, int] | None) -> dict[str, Any]:
        if place is None:
            return {"line": line}
        return {"line": line if line is not None else place[0], "column": place[1]}

    try:
        if data is _REREAD:
            data = json.loads(text, object_pairs_hook=_pairs, parse_int=parse_int)
    except _Duplicate as dup:
        found = duplicate_key_offset(text, dup.key)
        raise CaseInputError(Problem(ErrorKind.duplicate_key, key=repr(dup.key)),
                             **at(None if found is None else line_column(text, found))) from None
    except CaseInputError as exc:
        raise CaseInputError(exc.message, field=exc.field, **at(json_long_number(text, digits))) from None
    except RecursionError:
        raise CaseInputError(Problem(ErrorKind.nesting_over_limit, limit=limits.max_depth),
                             **at(json_too_deep(text, limits.max_depth))) from None
    if not walk:
        return data
    try:
        check_data(data, limits)
    except CaseInputError as exc:
        place = (json_too_deep(text, limits.max_depth) if exc.message.startswith("too deeply")
                 else Locator(text, ".json").find(exc.field))
        raise CaseInputError(exc.message, field=exc.field, **at(place)) from None
    return data


def nesting_within(data: Any, max_depth: int) -> bool:
    """Whether JSON data (dicts, lists, scalars) nests no deeper than `max_depth` (`within`'s depth
    test alone: a mapping or list is one level). For data whose strings and numbers are already
    known to keep their limits (reading/cases.py `validate_deferred`), this is all `within` adds."""
    if type(data) is not dict and type(data) is not list:
        return True
    if max_depth < 1:
        return False
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        container, depth = stack.pop()
        for value in container.values() if type(container) is dict else container:
            kind = type(value)
            if kind is dict or kind is list:
                if depth >= max_depth:
                    return False
                if value:
                    stack.append((value, depth + 1))
    return True


def within(data: Any, limits: InputLimits) -> bool:
    """The quick pass of `check_data` alone: True when `data` keeps every limit."""
    return _within(data, limits)


def duplicate_key_line(text: str, key: str) -> int | None:
    """The line (1-based) of the first key repeated within one JSON object, if it is `key`."""
    offset = duplicate_key_offset(text, key)
    return None if offset is None else text.count("\n", 0, offset) + 1


def duplicate_key_offset(text: str, key: str) -> int | None:
    """The offset of the first key repeated within one JSON object, if it is `key`.

    Only called on the error path: a character scan keeping, per open object, the keys seen."""
    stack: list[set[str] | None] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            token = text[i:j + 1]
            k = j + 1
            while k < n and text[k] in " \t\r\n":
                k += 1
            if k < n and text[k] == ":" and stack and stack[-1] is not None:
                try:
                    name = json.loads(token)
                except ValueError:
                    name = token
                if name in stack[-1]:
                    return i if name == key else None
                stack[-1].add(name)
            i = j
        elif ch == "{":
            stack.append(set())
        elif ch == "[":
            stack.append(None)
        elif ch in "]}" and stack:
            stack.pop()
        i += 1
    return None
