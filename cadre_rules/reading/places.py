"""Where a field is in a case file: the line and column of a field path, in YAML or JSON text.

Why: an error such as `meetings[0].agenda[0].votes.agree: Input should be a valid integer` names the
field, but a person fixing a 400-line file wants `file:line:column` as compilers and linters give it,
and a code-scanning tool wants the line a finding rests on (SARIF `region`). Case files are parsed
without position marks (marks cost time on every case); positions are found here, only when asked —
for an invalid case, or for a report format that places findings — by walking the text again.

`Locator(text, suffix).find(parts)` gives (line, column), 1-based, of the deepest part of the path
present in the text: the key of a mapping member, the start of a list item. A path that goes on past
what the text holds (a missing field) is placed at the last part that is there. JSON is scanned
without recursion (a case may be nested as deep as the limits allow); YAML is composed (not
constructed) with the C parser where PyYAML has it.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable, Iterator, Sequence

import yaml

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_WS = " \t\r\n"
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def path_parts(path: str) -> list[str | int]:
    """`meetings[0].agenda[1].member` → ["meetings", 0, "agenda", 1, "member"]."""
    return [int(index) if index else name for name, index in _PART.findall(path)]


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class Locator:
    """Finds field paths in one case text; builds its index (the YAML node tree) once, lazily."""

    def __init__(self, text: str, suffix: str) -> None:
        self.text = text
        self.json = suffix in (".json", ".jsonl")
        self._root: Any = None
        self._composed = False

    def find(self, parts: Sequence[str | int] | str) -> tuple[int, int] | None:
        """(line, column) of the deepest part of `parts` present in the text; None if unparseable."""
        if isinstance(parts, str):
            parts = path_parts(parts)
        try:
            return self._json(parts) if self.json else self._yaml(parts)
        except (ValueError, IndexError, yaml.YAMLError, RecursionError):
            return None

    def find_all(self, paths: Iterable[str]) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for path in paths:
            if path not in out:
                place = self.find(path)
                if place is not None:
                    out[path] = place
        return out

    # ---- YAML ----------------------------------------------------------------------------------

    def _yaml(self, parts: Sequence[str | int]) -> tuple[int, int] | None:
        if not self._composed:
            self._composed = True
            self._root = yaml.compose(self.text, Loader=_COMPOSER)  # noqa: S506 - composing only, safe loader
        node = self._root
        if node is None:
            return None
        mark = node.start_mark
        for part in parts:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                member = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part),
                              None)
                if member is None:
                    continue  # a part pydantic adds (a union's tag) or a missing field: stay at this node
                mark, node = member[0].start_mark, member[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        return mark.line + 1, mark.column + 1

    # ---- JSON ----------------------------------------------------------------------------------

    def _json(self, parts: Sequence[str | int]) -> tuple[int, int] | None:
        text = self.text
        i = _skip_ws(text, 0)
        if i >= len(text):
            return None
        place = i
        for part in parts:
            if text[i] == "{" and isinstance(part, str):
                found = _member(text, i, part)
                if found is None:
                    continue
                place, i = found
            elif text[i] == "[" and isinstance(part, int):
                found_at = _item(text, i, part)
                if found_at is None:
                    break
                place = i = found_at
            else:
                break
        return line_column(text, place)


def _skip_ws(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i] in _WS:
        i += 1
    return i


def _string_end(text: str, i: int) -> int:
    """Index after the string that starts at text[i] == '"'."""
    j = i + 1
    n = len(text)
    while j < n:
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == '"':
            return j + 1
        j += 1
    raise ValueError("unterminated string")


def _value_end(text: str, i: int) -> int:
    """Index after the JSON value starting at i (iterative: no recursion on nesting)."""
    ch = text[i]
    if ch == '"':
        return _string_end(text, i)
    if ch in "{[":
        depth, j, n = 0, i, len(text)
        while j < n:
            ch = text[j]
            if ch == '"':
                j = _string_end(text, j)
                continue
            if ch in "{[":
                depth += 1
            elif ch in "}]":
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
        raise ValueError("unterminated container")
    j, n = i, len(text)
    while j < n and text[j] not in ",}]" + _WS:
        j += 1
    return j


def _member(text: str, i: int, name: str) -> tuple[int, int] | None:
    """(key offset, value offset) of member `name` of the object at i, or None."""
    j = _skip_ws(text, i + 1)
    while j < len(text) and text[j] != "}":
        key_at = j
        key_end = _string_end(text, j)
        key = json.loads(text[j:key_end])
        j = _skip_ws(text, key_end)
        if text[j] != ":":
            raise ValueError("expected ':'")
        value_at = _skip_ws(text, j + 1)
        if key == name:
            return key_at, value_at
        j = _skip_ws(text, _value_end(text, value_at))
        if j < len(text) and text[j] == ",":
            j = _skip_ws(text, j + 1)
    return None


def _item(text: str, i: int, index: int) -> int | None:
    j = _skip_ws(text, i + 1)
    k = 0
    while j < len(text) and text[j] != "]":
        if k == index:
            return j
        j = _skip_ws(text, _value_end(text, j))
        if j < len(text) and text[j] == ",":
            j = _skip_ws(text, j + 1)
        k += 1
    return None


def _outside_strings(text: str) -> Iterator[int]:
    """Offsets of the characters outside JSON strings, in order; ends at an unterminated string.

    Why one walk: both scanners below must not mistake a bracket or a digit inside a string for
    structure, and that string-skipping is the part that is easy to get subtly wrong."""
    j, n = 0, len(text)
    while j < n:
        if text[j] == '"':
            try:
                j = _string_end(text, j)
            except ValueError:
                return
            continue
        yield j
        j += 1


def json_too_deep(text: str, max_depth: int) -> tuple[int, int] | None:
    """(line, column) of the first bracket that opens level `max_depth + 1`, outside strings."""
    depth = 0
    for j in _outside_strings(text):
        ch = text[j]
        if ch in "{[":
            depth += 1
            if depth > max_depth:
                return line_column(text, j)
        elif ch in "}]":
            depth -= 1
    return None


_NUMBER = re.compile(r"-?\d+")


def json_long_number(text: str, max_digits: int) -> tuple[int, int] | None:
    """(line, column) of the first integer outside strings with more than `max_digits` digits."""
    after = 0  # the end of the last number read: its digits are not the start of another
    for j in _outside_strings(text):
        ch = text[j]
        if j >= after and (ch == "-" or ch.isdigit()):
            match = _NUMBER.match(text, j)
            if match is not None:
                if len(match.group().lstrip("-")) > max_digits:
                    return line_column(text, j)
                after = match.end()
    return None
