"""Small helpers for tests that edit raw case data (tests/ is on sys.path through its conftest)."""
from __future__ import annotations

import json
from typing import Any, Iterator


def attend(data: dict[str, Any], present: list[str]) -> None:
    data["meetings"][0]["attendees"] = present
    item = data["meetings"][0]["agenda"][0]
    item["statements"] = [s for s in item["statements"] if s["member"] in present]
    item["vote"]["agree"] = len(present)


def dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


def leaves(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Each scalar of nested mappings and lists with its path of keys and positions (the fuzz tests'
    mutations pick one)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for k, value in enumerate(node):
            yield from leaves(value, (*path, k))
    else:
        yield path, node
