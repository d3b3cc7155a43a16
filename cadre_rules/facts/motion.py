"""The `motion` fact, one small function per value: the one definition of each of its fields.

Why one function per value: as for the agenda items (facts/items.py, whose module docstring gives the
conventions), the auditor's derivation composes only the fields its rules read (engine/fused.py,
facts/compose.py): MOT-NO-ADHOC reads the motion's date alone, not its sorted consultations or its
prechecks. facts/derive.py composes all of them for every other derivation. The roots are the case and
its motion (a case has at most one: the builder makes no fact without it).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from cadre_rules.model.steps import Motion

#: the values the functions start from: 0 the case, 1 its motion
ROOTS = {"case": 0, "k": 1, "motion": 1}
ARGS = ("case",)
LOOPS = (("k", "motion", "(case.motion,) if case.motion else ()"),)


def motion_id() -> str:
    return "motion"


def path() -> str:
    return "motion"


def motion_date(motion: Motion) -> date:
    return motion.date


def proposer(motion: Motion) -> Any:
    return motion.proposer


def analysis_date(motion: Motion) -> date | None:
    return motion.analysis_date


def reported_to_principal(motion: Motion) -> date | None:
    return motion.reported_to_principal


def consultations(motion: Motion) -> list[date]:
    return sorted(motion.consultation_dates)


def first_consultation(consultations: list[date]) -> date | None:
    return consultations[0] if consultations else None


def last_consultation(consultations: list[date]) -> date | None:
    return consultations[-1] if consultations else None


def work_plan_date(motion: Motion) -> date | None:
    return motion.work_plan_date


def intended_candidates(motion: Motion) -> list[str]:
    return list(motion.intended_candidates)


def open_blocking_prechecks(motion: Motion) -> int:
    return sum(1 for p in motion.prechecks if p.blocking and p.resolved is None)


#: field of the `motion` fact -> the function above giving it, in the fact's field order
FIELDS = {
    "id": "motion_id", "path": "path", "date": "motion_date", "proposer": "proposer", "analysis_date": "analysis_date",
    "reported_to_principal": "reported_to_principal", "first_consultation": "first_consultation",
    "last_consultation": "last_consultation", "work_plan_date": "work_plan_date",
    "intended_candidates": "intended_candidates", "open_blocking_prechecks": "open_blocking_prechecks",
}
