"""The cheap reading of JSON (`limits._quick_json`, tried first by `load_json`) gives exactly what the
strict reading gives: the same data, or the same error. A repeated key can never slip through, even
when a colon inside a string could make the key count look right."""
from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cadre_rules.errors import CaseInputError
from cadre_rules.reading import limits
from cadre_rules.reading.limits import InputLimits, load_json

LIMITS = InputLimits(max_int_digits=5)


def outcome(text: str, walk: bool = True) -> Any:
    try:
        data = load_json(text, LIMITS, walk=walk)
    except CaseInputError as exc:
        return ("refused", exc.message, exc.field, exc.line, exc.column)
    except json.JSONDecodeError as exc:
        return ("malformed", exc.msg, exc.pos)
    return ("ok", repr(data))


def strict_outcome(text: str, walk: bool = True) -> Any:
    """What load_json gave before the quick reading was tried: the strict reading alone."""
    saved = limits._quick_json
    limits._quick_json = lambda text, parse_int: limits._REREAD
    try:
        return outcome(text, walk)
    finally:
        limits._quick_json = saved


KEYS = st.sampled_from(["a", "b", "a:b", ":", "id", "x\"y", "时间"])
LEAVES = st.one_of(st.integers(-10**7, 10**7), st.sampled_from(["10:30", "x", ":", "", "a\":b"]),
                   st.booleans(), st.none())


def dump(value: Any, depth: int = 0) -> str:
    """JSON text of `value`, where ("obj", pairs) is an object whose pairs may repeat a key; the
    spacing around colons varies (a key's colon need not follow its closing quote)."""
    if isinstance(value, tuple):
        space = ["", " ", "\n "][depth % 3]
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}{space}:{dump(v, depth + 1)}"
                              for k, v in value[1]) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dump(v, depth + 1) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


VALUES = st.recursive(LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.lists(st.tuples(KEYS, inner), max_size=4).map(lambda pairs: ("obj", pairs))), max_leaves=12)
TEXTS = VALUES.map(dump)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.booleans())
def test_the_quick_reading_is_the_strict_one(text: str, walk: bool) -> None:
    # walk=False is the audit's deferred reading: the quick data is returned without the strict tail
    assert outcome(text, walk) == strict_outcome(text, walk), text


def test_the_number_limit_counts_digits_not_the_sign() -> None:
    # the quick reading's integer parser looks closer only at tokens longer than the limit
    assert load_json('{"a": -12345, "b": 12345}', LIMITS, walk=False) == {"a": -12345, "b": 12345}
    for text in ('{"a": -123456}', '{"a": 123456}', '[1, {"b": [-1234567]}]'):
        try:
            load_json(text, LIMITS, walk=False)
        except CaseInputError as exc:
            assert exc.message.startswith("number too long"), (text, exc.message)
        else:
            raise AssertionError(f"taken: {text}")


NESTED = st.recursive(st.one_of(st.integers(-9, 9), st.text(max_size=3), st.none()), lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=2), inner, max_size=3)), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(NESTED, st.integers(1, 6))
def test_the_nesting_test_is_the_walks_depth_limit(data: Any, depth: int) -> None:
    # validate_deferred tests only the nesting of `meta` (its strings and numbers are known short):
    # for such data, the same answer as the whole walk
    assert limits.nesting_within(data, depth) == limits.within(data, InputLimits(max_depth=depth)), (data, depth)


def test_a_repeated_key_is_refused_whatever_colons_the_strings_hold() -> None:
    for text in ['{"a": 1, "a": 2}', '{"a": "x:y", "a": 2}', '{"t": "10:30", "k": {"a": 1, "a": 1}}',
                 '{"a:b": 1, "a:b": 1}', '[{"a": 1}, {"b": 2, "b": 3}]']:
        try:
            load_json(text, LIMITS)
        except CaseInputError as exc:
            assert exc.message.startswith("duplicate key"), text
        else:
            raise AssertionError(f"taken: {text}")
    assert load_json('{"a": "10:30", "b": {"c": ":"}}', LIMITS) == {"a": "10:30", "b": {"c": ":"}}
    # the quick reading does take a text without repeated keys or colons in strings, and leaves the rest
    assert limits._quick_json('{"a": [1, {"b": "x"}], "c": {}}', int) == {"a": [1, {"b": "x"}], "c": {}}
    assert limits._quick_json('{"a": "10:30"}', int) is limits._REREAD
    assert limits._quick_json('{"a": 1, "a": 1}', int) is limits._REREAD
    assert load_json('{"a" : 1 , "b"\n:\n[{"c": 2}]}', LIMITS) == {"a": 1, "b": [{"c": 2}]}


def test_a_long_number_after_a_repeated_key_gives_the_error_the_strict_reading_gives() -> None:
    # the strict reading meets the repeated key first (its object closes before the number is read)
    text = '{"k": {"a": 1, "a": 2}, "n": 1234567}'
    try:
        load_json(text, LIMITS)
    except CaseInputError as exc:
        assert exc.message == "duplicate key 'a': a key may appear once in a mapping"
    else:
        raise AssertionError("taken")
