"""YAML loading that remembers line numbers, so every error can name file:line."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import yaml


class StrictBoolLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so a vote's `yes:` and `no:` stay keys."""


StrictBoolLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictBoolLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
# Integers without YAML 1.1's octal and sexagesimal forms: an id written 0123 stays the text "0123".
StrictBoolLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:int"]
    for first, resolvers in StrictBoolLoader.yaml_implicit_resolvers.items()
}
StrictBoolLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """An impossible date such as 2019-13-03 stays text, so validation can name the field."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


StrictBoolLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def safe_load(text: str) -> Any:
    """yaml.safe_load with YAML 1.2 booleans."""
    return yaml.load(text, Loader=StrictBoolLoader)  # noqa: S506 - a SafeLoader subclass


class MarkedDict(dict):
    """A mapping that knows the line it starts on and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class MarkedList(list):
    line: int = 0


class _Loader(StrictBoolLoader):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> MarkedDict:
    out = MarkedDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> MarkedList:
    out = MarkedList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_marked(text: str) -> Any:
    """Parse YAML (safe subset) keeping line marks; raises yaml.YAMLError with a mark on bad input."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


def line_of(container: Any, key: str | None = None) -> int:
    if key is not None and isinstance(container, MarkedDict):
        return container.key_lines.get(key, container.line)
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
