"""The JSON Canonicalization Scheme (RFC 8785, "JCS") and a strict JSON reader, for the journal.

Why JCS: the journal's hashes and signatures must be reproducible by a verifier written in another
language. RFC 8785 fixes every choice a serialiser makes (member order by UTF-16 code units, the
ECMAScript number format, minimal string escapes, no whitespace), and JavaScript's own
`JSON.stringify` already writes strings and numbers that way, so a short Node.js script can check a
journal (examples/verify-journal.mjs).

Why a strict reader: a JSON text with a duplicate member (`{"accepted":true,"accepted":false}`) is
read differently by different readers (Python keeps the last, SQLite's json_extract the first). A
stored entry is accepted only if it is exactly the JCS form of what a strict reader makes of it: no
duplicate member, no NaN or infinity, no lone surrogate, no integer beyond ±(2^53 − 1).
"""
from __future__ import annotations

import json
import math
from typing import Any

from cadre_rules.errors import CanonicalError

MAX_SAFE_INTEGER = 2**53 - 1


def _reject_constant(name: str) -> Any:
    raise CanonicalError(f"{name} is not JSON")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise CanonicalError(f"duplicate member {key!r}")
        out[key] = value
    return out


def strict_loads(text: str) -> Any:
    """Parse JSON, refusing duplicate members and NaN/Infinity (CanonicalError)."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except CanonicalError:
        raise
    except (TypeError, ValueError) as exc:
        raise CanonicalError(f"not JSON ({exc})") from None


def _string(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise CanonicalError("a lone surrogate in a string") from None
    # Python's escapes with ensure_ascii=False are JSON.stringify's: \" \\ \b \f \n \r \t and \u00xx
    # (lower-case hex) for the other control characters; everything else is written as is.
    return json.dumps(value, ensure_ascii=False)


def _number(value: int | float) -> str:
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise CanonicalError(f"the integer {value} is beyond ±(2^53 - 1) (I-JSON)")
        return str(value)
    if math.isnan(value) or math.isinf(value):
        raise CanonicalError(f"{value} is not JSON")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    mantissa, _, exp = repr(abs(value)).partition("e")  # repr: the shortest digits that round-trip
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    e10 = int(exp or 0) - len(fraction)
    stripped = digits.rstrip("0")
    e10 += len(digits) - len(stripped)
    s, k = stripped, len(stripped)
    n = e10 + k  # value = 0.s × 10^n
    if k <= n <= 21:
        text = s + "0" * (n - k)
    elif 0 < n <= 21:
        text = s[:n] + "." + s[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + s
    else:
        e = n - 1
        text = (s if k == 1 else s[0] + "." + s[1:]) + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + text


def unjournalable(value: Any, path: str = "") -> list[tuple[str, str]]:
    """(field path, reason) of each value in a JSON-like `value` that has no canonical form, so that no
    journal can hold it: NaN or infinity, an integer beyond ±(2^53 - 1), a lone surrogate. Why apart
    from `jcs`: a caller's input is checked with it before anything is judged, so the problem is named
    where it is (`data.agenda[0].note`) instead of surfacing as a journal failure, with or without a
    journal."""
    if journalable(value):  # nearly always: a walk of type tests alone, no value formatted
        return []
    problems: list[tuple[str, str]] = []
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        try:
            if isinstance(item, str):
                _string(item)
            elif isinstance(item, (int, float)) and not isinstance(item, bool):
                _number(item)
        except CanonicalError as exc:
            problems.append((where, str(exc)))
        if isinstance(item, dict):
            for key, sub in reversed(list(item.items())):
                name = str(key)
                try:
                    _string(name)
                except CanonicalError as exc:
                    problems.append((where, f"a member name: {exc}"))
                stack.append((f"{where}.{name}" if where else name, sub))
        elif isinstance(item, (list, tuple)):
            stack.extend((f"{where}[{i}]", sub) for i, sub in reversed(list(enumerate(item))))
    return problems


_INF = float("inf")


def journalable(value: Any) -> bool:
    """Whether every value in `value` surely has a canonical form (then `unjournalable` finds none): the
    tests `_string` and `_number` make, without writing anything; False for anything other than plain
    JSON types, which the full walk looks at. Why: every event a caller makes is tested (live/events.py
    `Event`), and formatting each string and number cost ~9 µs for a one-field event and ~280 µs for a
    decision meeting's (bench_live.py), against ~1 and ~19 here."""
    stack = [value]
    texts: list[str] = []
    pop, extend = stack.pop, stack.extend
    while stack:
        item = pop()
        kind = type(item)
        if kind is str:
            texts.append(item)
        elif kind is dict:
            texts.extend(item)  # keys: strings, else the full walk says so (TypeError below)
            extend(item.values())
        elif kind is list or kind is tuple:
            extend(item)
        elif kind is int:
            if not -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER:
                return False
        elif kind is float:
            if item != item or item == _INF or item == -_INF:
                return False
        elif not (item is None or kind is bool):
            return False
    try:
        "".join(texts).encode("utf-8")  # one encoding of every string: a lone surrogate anywhere fails it
    except (UnicodeEncodeError, TypeError):
        return False
    return True


def jcs(value: Any) -> str:
    """The RFC 8785 canonical text of a JSON value (dict, list, str, int, float, bool, None)."""
    out: list[str] = []
    stack: list[Any] = [value]
    # Iterative, so a deeply nested value cannot exhaust the stack; markers are plain strings.
    while stack:
        item = stack.pop()
        if isinstance(item, _Raw):
            out.append(item.text)
        elif item is None:
            out.append("null")
        elif item is True:
            out.append("true")
        elif item is False:
            out.append("false")
        elif isinstance(item, str):
            out.append(_string(item))
        elif isinstance(item, (int, float)):
            out.append(_number(item))
        elif isinstance(item, dict):
            for key in item:
                if not isinstance(key, str):
                    raise CanonicalError(f"a member name must be text, not {type(key).__name__}")
            keys = sorted(item, key=lambda k: k.encode("utf-16-be"))
            parts: list[Any] = [_Raw("{")]
            for i, key in enumerate(keys):
                parts += [_Raw(("," if i else "") + _string(key) + ":"), item[key]]
            parts.append(_Raw("}"))
            stack.extend(reversed(parts))
        elif isinstance(item, (list, tuple)):
            parts = [_Raw("[")]
            for i, element in enumerate(item):
                if i:
                    parts.append(_Raw(","))
                parts.append(element)
            parts.append(_Raw("]"))
            stack.extend(reversed(parts))
        else:
            raise CanonicalError(f"{type(item).__name__} is not JSON")
    return "".join(out)


class _Raw:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def canonical_text_of(stored: str) -> Any:
    """The value of a stored JSON text that must already be in JCS form; CanonicalError otherwise."""
    value = strict_loads(stored)
    if jcs(value) != stored:
        raise CanonicalError("the stored text is not in its canonical (RFC 8785) form")
    return value


__all__ = ["CanonicalError", "MAX_SAFE_INTEGER", "canonical_text_of", "jcs", "journalable", "strict_loads",
           "unjournalable"]
