"""Redaction of personal data in reports: people's names and identity numbers.

A case names people in several places (members of the deciding body, candidates, inspection teams,
non-voting attendees); each may also carry an identity number. Findings mostly speak of people by
their ids, but sources (file names), case titles, validation messages that echo an input value and
free text can carry a name. `Redactor.for_case(raw_data)` collects every name and identity number the
raw case data holds — it walks the whole mapping, so a field added to the model later is covered
too — and `Redactor.apply(value)` replaces them in any string inside a result, a dataclass, a
mapping or a list.

Replacements:

* a name of a record with an id becomes ``〔<id>〕`` (e.g. ``〔m03〕``), so a redacted report still
  tells people apart; a name without an id (an inspection-team member not in the case) ``〔姓名〕``;
* an identity number — a known one, or anything shaped like one (18 digits or 17 and ``X``,
  or 15 digits) — becomes ``〔身份证号〕``;
* a validation message's echo of the input value (``(got '...')``) becomes ``(got 〔已隐去〕)``,
  since the echoed value may be personal data that was put in the wrong field.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any

NAME_TOKEN = "〔姓名〕"
ID_NUMBER_TOKEN = "〔身份证号〕"
ECHO_TOKEN = "(got 〔已隐去〕)"

# 18-digit resident identity numbers (last character may be X) and the older 15-digit ones.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_ECHO = re.compile(r"\(got .*\)$", re.S)
# Keys under which the case model keeps a name that is not a person's.
_NOT_PERSONAL = {("body", "name")}


class Redactor:
    """Replaces the names and identity numbers of one case (and anything shaped like an identity number)."""

    def __init__(self, replacements: dict[str, str] | None = None) -> None:
        # Longest first, so that 王海燕 is replaced before a shorter name 王海 could split it.
        self._pairs = sorted((replacements or {}).items(), key=lambda kv: (-len(kv[0]), kv[0]))

    @classmethod
    def for_case(cls, data: Any) -> "Redactor":
        """A redactor for the people named anywhere in raw case data (valid or not)."""
        found: dict[str, str] = {}
        _collect(data, (), found)
        return cls(found)

    @property
    def names(self) -> list[str]:
        return [text for text, token in self._pairs if token != ID_NUMBER_TOKEN]

    def text(self, value: str) -> str:
        value = ID_NUMBER.sub(ID_NUMBER_TOKEN, value)
        for text, token in self._pairs:
            if text in value:
                value = value.replace(text, token)
        if "(got " in value:
            value = _ECHO.sub(ECHO_TOKEN, value)
        return value

    def apply(self, value: Any) -> Any:
        """The value with every string in it redacted: strings, dataclasses, mappings, lists and tuples."""
        if isinstance(value, str):
            return self.text(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: self.apply(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
            return dataclasses.replace(value, **changes)
        if isinstance(value, dict):
            return {self.apply(k) if isinstance(k, str) else k: self.apply(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.apply(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.apply(v) for v in value)
        return value


def _collect(node: Any, path: tuple[str, ...], found: dict[str, str]) -> None:
    if isinstance(node, dict):
        ident = node.get("id") if isinstance(node.get("id"), str) else None
        person = node.get("person") if isinstance(node.get("person"), str) else None
        for key, value in node.items():
            key = str(key)
            if key == "name" and isinstance(value, str) and path[-1:] + (key,) not in _NOT_PERSONAL:
                name = value.strip()
                if len(name) >= 2 and name not in found:
                    label = person or ident
                    found[name] = f"〔{label}〕" if label and name not in label else NAME_TOKEN
            elif key == "id_number" and isinstance(value, (str, int)) and str(value).strip():
                found[str(value).strip()] = ID_NUMBER_TOKEN
            else:
                _collect(value, path + (key,), found)
    elif isinstance(node, list):
        for item in node:
            _collect(item, path, found)
