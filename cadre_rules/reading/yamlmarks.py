"""YAML loading that remembers line numbers, so every error can name file:line."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Callable

import yaml

from cadre_rules.errors import ErrorKind, Problem


def _strict(base: type) -> type:
    """`base` (a safe loader) with YAML 1.2 booleans — only true/false, so a vote's `yes:` and `no:`
    stay keys — and integers without YAML 1.1's octal and sexagesimal forms (an id written 0123 stays
    the text "0123"); an impossible date such as 2019-13-03 stays text, so validation names the field."""
    loader = type(f"Strict{base.__name__}", (base,), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers
                if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int")]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))
    loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
    for tag, construct in (("int", yaml.SafeLoader.construct_yaml_int), ("float", yaml.SafeLoader.construct_yaml_float),
                           ("bool", yaml.SafeLoader.construct_yaml_bool)):
        loader.add_constructor(f"tag:yaml.org,2002:{tag}", _fitting(tag, construct))
    return loader


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A date, or the text itself when it is none (also an explicit `!!timestamp` on text that does
    not look like one, which PyYAML's constructor meets with AttributeError)."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, AttributeError):
        return loader.construct_scalar(node)


def _fitting(tag: str, construct: Callable[[Any, yaml.ScalarNode], Any]) -> Callable[[Any, yaml.Node], Any]:
    """PyYAML's constructor of `!!tag`, with a value that is not one made a YAML error at the node.

    Why: a plain value only gets this tag when it looks like one, but an explicit tag (`!!int abc`,
    `!!float x`, `!!bool maybe`, `!!int ''`) reaches PyYAML's constructor with any text, and it
    fails with ValueError, KeyError or IndexError: a case file showed as an internal error, a
    waivers file stopped `audit` with exit status 4 (found by fuzzing case files). As a
    ConstructorError it is the file's `invalid YAML` with its line and column, like any other."""

    def build(loader: Any, node: yaml.Node) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, KeyError, IndexError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"value does not fit its tag !!{tag}", node.start_mark) from exc

    return build


# The same loader on PyYAML's pure-Python parser and, where PyYAML was built with it, on libyaml's C
# parser (several times faster; rulebooks and case files are read on every run). Both build the same
# data; on an error the pure-Python parser is run again, for its wording and the source line it shows.
StrictBoolLoader = _strict(yaml.SafeLoader)
_FAST = _strict(yaml.CSafeLoader) if getattr(yaml, "__with_libyaml__", False) else None


def _load(text: str, slow: type, fast: type | None) -> Any:
    try:
        if fast is not None:
            try:
                return yaml.load(text, Loader=fast)  # noqa: S506 - a safe loader
            except yaml.YAMLError:
                pass
        return yaml.load(text, Loader=slow)  # noqa: S506 - a safe loader
    except RecursionError:
        raise yaml.MarkedYAMLError(problem="too deeply nested", problem_mark=_deepest(text)) from None


def _deepest(text: str) -> Any:
    """The place of the first node at the deepest nesting of `text` (None if not found).

    Why: PyYAML composes and constructs nested nodes recursively, so a few thousand `[` raise
    RecursionError — it stopped `audit --waivers` with an internal error (found by fuzzing waiver
    files). Only on that error path, the event stream (the parser is iterative) finds the place."""
    depth, deepest, mark = 0, 0, None
    try:
        for event in yaml.parse(text, Loader=_FAST or yaml.SafeLoader):  # libyaml's: linear in the depth
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > deepest:
                    deepest, mark = depth, event.start_mark
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    return mark


def safe_load(text: str) -> Any:
    """yaml.safe_load with YAML 1.2 booleans."""
    return _load(text, StrictBoolLoader, _FAST)


class MarkedDict(dict):
    """A mapping that knows the line it starts on and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class MarkedList(list):
    line: int = 0




def _mapping(loader: Any, node: yaml.MappingNode) -> MarkedDict:
    """A mapping with its lines. Every fault is a YAML error at its place, never a Python one: a
    list or mapping as a key (`? [a, b]`) once raised TypeError, which stopped `audit --waivers`
    with an internal error (found by fuzzing waiver files)."""
    out = MarkedDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict)):  # `? [a, b]`: PyYAML's own wording, but at the key's line
            raise yaml.constructor.ConstructorError("while constructing a mapping", node.start_mark,
                                                    "found unhashable key", key_node.start_mark)
        if key in out:
            raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


def _sequence(loader: Any, node: yaml.SequenceNode) -> MarkedList:
    out = MarkedList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    return out


def _marked(base: type) -> type:
    loader = type(f"Marked{base.__name__}", (base,), {})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)
    return loader


_MARKED, _MARKED_FAST = _marked(StrictBoolLoader), _marked(_FAST) if _FAST is not None else None


def load_marked(text: str) -> Any:
    """Parse YAML (safe subset) keeping line marks; raises yaml.YAMLError with a mark on bad input."""
    return _load(text, _MARKED, _MARKED_FAST)


def line_of(container: Any, key: Any = None) -> int:
    """The line of `key` in a mapping (its keys' lines are kept by their text, so a key written as a
    number, `1:`, is found too), else the line the container starts on."""
    if key is not None and isinstance(container, MarkedDict):
        return container.key_lines.get(str(key), container.line)
    return getattr(container, "line", 0)


def as_date(value: Any) -> date | None:
    """A date from a YAML or JSON value (a date, a datetime or ISO text), or None if it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


# Tags a case file may carry (resolved implicitly from plain scalars): anything else — `!!python/...`,
# `!custom`, `!!binary`, `!!set` — is refused, so a case reads the same in every YAML tool.
_CASE_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
}




def load_case_yaml(text: str, limits: Any) -> Any:
    """A case file's YAML, strict: no aliases or anchors (refused while composing, before anything is
    expanded, so an alias bomb costs nothing), no custom or explicit non-standard tags, no duplicate
    keys, and the input limits (depth, string length, integer digits). Faults raise
    yaml.MarkedYAMLError with the line and column of the offending node."""
    loader = (_FAST or StrictBoolLoader)(text)
    try:
        if not loader.check_node():
            return None
        node = loader.get_node()  # aliases stay shared nodes here: nothing is expanded yet
        _check_nodes(node, limits)
        data = loader.construct_document(node)
        if loader.check_node():
            raise yaml.MarkedYAMLError(problem=Problem(ErrorKind.yaml_documents),
                                       problem_mark=loader.get_node().start_mark)  # type: ignore[union-attr]
        return data
    finally:
        loader.dispose()


def _check_nodes(root: yaml.Node, limits: Any) -> None:
    """Walk the composed nodes (iteratively): a node met twice is an alias; tags, duplicate keys and
    limits are checked on the nodes, where each still knows its line."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        mark = node.start_mark
        if id(node) in seen:
            raise yaml.MarkedYAMLError(problem=Problem(ErrorKind.yaml_alias),
                                       problem_mark=mark)
        seen.add(id(node))
        if node.tag not in _CASE_TAGS:
            raise yaml.MarkedYAMLError(problem=Problem(ErrorKind.yaml_tag, tag=repr(node.tag)), problem_mark=mark)
        if isinstance(node, yaml.ScalarNode):
            if len(node.value) > limits.max_string:
                raise yaml.MarkedYAMLError(problem=Problem(ErrorKind.string_over_limit, limit=limits.max_string),
                                           problem_mark=mark)
            if node.tag.endswith(":int") and len(node.value.lstrip("+-").replace("_", "")) > limits.max_int_digits:
                raise yaml.MarkedYAMLError(problem=Problem(ErrorKind.number_over_limit, limit=limits.max_int_digits),
                                           problem_mark=mark)
            if not node.value.isascii():
                try:
                    node.value.encode("utf-8")
                except UnicodeEncodeError:
                    raise yaml.MarkedYAMLError(problem=Problem(ErrorKind.lone_surrogate, advice=""),
                                               problem_mark=mark) from None
            continue
        if depth > limits.max_depth:
            raise yaml.MarkedYAMLError(problem=Problem(ErrorKind.nesting_over_limit, limit=limits.max_depth),
                                       problem_mark=mark)
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, int] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in keys:
                        raise yaml.MarkedYAMLError(
                            problem=Problem(ErrorKind.duplicate_yaml_key, key=repr(key_node.value),
                                            first=keys[key_node.value]),
                            problem_mark=key_node.start_mark)
                    keys[key_node.value] = key_node.start_mark.line + 1
                stack.append((key_node, depth + 1))
                stack.append((value_node, depth + 1))
        else:
            stack.extend((child, depth + 1) for child in node.value)
