""""Did you mean …?": the nearest valid field name, code or id for a case error.

Why: the most common case-file error is a slip of the keyboard — `levle:` for `level:`,
`standing_comittee` for `standing_committee`, a member id `m1` for `m01`. The validator knows what
is valid; saying the nearest valid spelling turns a lookup in docs/case-format.md into a one-key fix,
as rule and waiver errors already do. A hint is only given when one candidate is close enough
(difflib's ratio ≥ 0.6), so an unrelated word gets none rather than a misleading one.
"""
from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, Iterable, Sequence

from pydantic import BaseModel

from cadre_rules.errors import ErrorKind

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The one valid spelling closest to `word`, if any is close enough."""
    options = [c for c in dict.fromkeys(choices) if c != word]
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return match[0] if match else None


def hint(word: str, choices: Iterable[str]) -> str:
    """` (did you mean "x"?)` or nothing."""
    found = nearest(word, choices)
    return f' (did you mean "{found}"?)' if found else ""


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation may hold (through Optional, lists, unions, Annotated)."""
    out: list[type[BaseModel]] = []
    stack = [annotation]
    while stack:
        current = stack.pop()
        if isinstance(current, type) and issubclass(current, BaseModel):
            out.append(current)
            continue
        origin = typing.get_origin(current)
        if origin is typing.Annotated:
            stack.append(typing.get_args(current)[0])
        elif origin is not None or isinstance(current, types.UnionType):
            stack.extend(typing.get_args(current))
    return out


def field_names_at(root: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The field names (and aliases) valid in the mapping at `loc` of a `root` document."""
    models = [root]
    for part in loc:
        if isinstance(part, int):
            continue
        following: list[type[BaseModel]] = []
        for model in models:
            info = model.model_fields.get(part) or next(
                (f for f in model.model_fields.values() if f.alias == part), None)
            if info is not None:
                following.extend(_models(info.annotation))
        if following:
            models = following
        # else: a part pydantic adds (a union member's tag): stay with the models we have
    names: list[str] = []
    for model in models:
        for name, info in model.model_fields.items():
            names.append(info.alias or name)
    return names


def validation_hint(error: dict[str, Any], root: type[BaseModel]) -> str | None:
    """The nearest valid spelling for one pydantic error (an unknown field's nearest name, an unknown
    code's nearest value), or None."""
    kind = error["type"]
    loc = error["loc"]
    if kind == "extra_forbidden" and loc and isinstance(loc[-1], str):
        return nearest(loc[-1], field_names_at(root, loc[:-1]))
    if kind in ("enum", "literal_error") and isinstance(error.get("input"), str):
        expected = (error.get("ctx") or {}).get("expected", "")
        return nearest(error["input"], _QUOTED.findall(str(expected)))
    return None


_REFERENCES = (ErrorKind.unknown_member, ErrorKind.unknown_candidate, ErrorKind.unknown_person,
               ErrorKind.unknown_recommendation, ErrorKind.unknown_prior_report)


def reference_hint(problem: str, case: Any) -> str | None:
    """For `unknown member "m1"` and the like (a Problem of an unknown_* kind): the nearest id of
    that kind declared in the case, or None."""
    kind = getattr(problem, "kind", None)
    if kind not in _REFERENCES:
        return None
    word = problem.params["id"]  # type: ignore[attr-defined]
    members = [m.id for m in case.body.members]
    candidates = [c.id for c in case.candidates]
    ids = {
        ErrorKind.unknown_member: members,
        ErrorKind.unknown_candidate: candidates,
        ErrorKind.unknown_person: members + candidates + [c.id for c in getattr(case, "colleagues", [])]
        + [t.person for i in case.inspections for t in i.team if t.person],
        ErrorKind.unknown_recommendation: [r.id for r in case.recommendations],
        ErrorKind.unknown_prior_report: [r.id for r in case.prior_reports],
    }[kind]
    return nearest(word, ids)
