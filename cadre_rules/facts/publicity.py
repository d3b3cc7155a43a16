"""The `publicity` fact, one small function per value: the one definition of each of its fields.

Why one function per value: as for the agenda items (facts/items.py, whose module docstring gives the
conventions), the auditor's derivation composes only the fields its rules read (engine/fused.py,
facts/compose.py); facts/derive.py composes all of them for every other derivation. The roots are the
case and a publicity notice with its index `p`.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from cadre_rules.facts import calendar
from cadre_rules.facts.periods import working_days_or_unknown
from cadre_rules.model.steps import Publicity

#: the values the functions start from: 0 the case, 1 a publicity notice
ROOTS = {"case": 0, "p": 1, "pub": 1}
ARGS = ("case",)
LOOPS = (("p", "pub", "case.publicity"),)


def path(p: int) -> str:
    return f"publicity[{p}]"


def publicity_id(pub: Publicity) -> str:
    return f"publicity:{pub.id}"


def candidate(pub: Publicity) -> str:
    return pub.candidate


def start(pub: Publicity) -> date:
    return pub.start


def end(pub: Publicity) -> date | None:
    return pub.end


def working_days(path: str, pub: Publicity) -> Any:
    """Working days from the first to the last day, both counted (how a notice's dates are read)."""
    return working_days_or_unknown(calendar.working_days_inclusive, f"{path}.start/end", pub.start,
                                   pub.end) if pub.end else None


def calendar_days(pub: Publicity) -> int | None:
    return (pub.end - pub.start).days + 1 if pub.end else None


def objection_counts(pub: Publicity) -> tuple[int, int]:
    """The objections not resolved, and those found to affect the appointment."""
    open_objections = blocking = 0
    for o in pub.objections:
        if o.resolved is None:
            open_objections += 1
        if o.affects_appointment:
            blocking += 1
    return open_objections, blocking


def open_objections(objection_counts: tuple[int, int]) -> int:
    return objection_counts[0]


def blocking_objections(objection_counts: tuple[int, int]) -> int:
    return objection_counts[1]


def breakthrough_statement(pub: Publicity) -> Any:
    return pub.breakthrough_statement


#: field of the `publicity` fact -> the function above giving it, in the fact's field order
FIELDS = {
    "id": "publicity_id", "path": "path", "candidate": "candidate", "start": "start", "end": "end",
    "working_days": "working_days", "calendar_days": "calendar_days", "open_objections": "open_objections",
    "blocking_objections": "blocking_objections", "breakthrough_statement": "breakthrough_statement",
}
