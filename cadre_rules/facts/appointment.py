"""The `appointment` fact, one small function per value: the one definition of each of its fields.

Why one function per value: as for the agenda items (facts/items.py, whose module docstring gives the
conventions), the auditor's derivation is generated per rulebook (engine/fused.py): it composes only
the fields its rules read (facts/compose.py), and a field read only when a finding is made (RPT-FILING
reads `workdays_to_as_of` in its pending condition alone) is computed then, not for every notice.
facts/derive.py composes all of them for every other derivation.

The roots are the case, its adopted decisions (candidate -> date), the date the case is judged as of
and the rank of the post's level (once per case), and an appointment notice with its index `a`.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from cadre_rules.facts import calendar
from cadre_rules.facts.levels import LEVEL_RANKS
from cadre_rules.facts.periods import anniversary, working_days_or_unknown
from cadre_rules.model import Case, Level
from cadre_rules.model.people import Candidate
from cadre_rules.model.steps import AppointmentNotice

_DIVISION_DEPUTY = LEVEL_RANKS[Level.division_deputy]

#: the values the functions start from: 0 once per case, 1 once per appointment notice
ROOTS = {"case": 0, "decisions": 0, "as_of": 0, "post_rank": 0, "a": 1, "notice": 1}
ARGS = ("case", "decisions", "as_of", "post_rank")
LOOPS = (("a", "notice", "case.appointments"),)

Decisions = dict[str, date]


# --- once per case -----------------------------------------------------------------------------------

def first_filing(case: Case) -> dict[str, date]:
    """Each candidate's earliest filing."""
    out: dict[str, date] = {}
    for f in case.filings:
        if f.candidate not in out or f.date < out[f.candidate]:
            out[f.candidate] = f.date
    return out


def objections_by_candidate(case: Case) -> dict[str, list[Any]]:
    """The objections to each candidate's publicity."""
    out: dict[str, list[Any]] = {}
    for pub in case.publicity:
        if pub.objections:
            out.setdefault(pub.candidate, []).extend(pub.objections)
    return out


def candidates_by_id(case: Case) -> dict[str, Candidate]:
    out: dict[str, Candidate] = {}
    for c in case.candidates:
        out.setdefault(c.id, c)  # the first of an id, as a search from the start finds it
    return out


def filing_required(case: Case) -> bool:
    return case.post.filing_required


def division_or_above(post_rank: int | None) -> bool:
    return post_rank is not None and post_rank >= _DIVISION_DEPUTY


# --- once per notice ---------------------------------------------------------------------------------

def path(a: int) -> str:
    return f"appointments[{a}]"


def appointment_id(notice: AppointmentNotice) -> str:
    return f"appointment:{notice.id}"


def candidate(notice: AppointmentNotice) -> str:
    return notice.candidate


def notice_date(notice: AppointmentNotice) -> date:
    return notice.date


def decision_date(decisions: Decisions, notice: AppointmentNotice) -> date | None:
    return decisions.get(notice.candidate)


def filing_date(first_filing: dict[str, date], notice: AppointmentNotice) -> date | None:
    return first_filing.get(notice.candidate)


def workdays_to_filing(path: str, notice: AppointmentNotice, filing_date: date | None) -> Any:
    return working_days_or_unknown(calendar.working_days_after, f"{path}.date/filings", notice.date,
                                   filing_date) if filing_date else None


def workdays_to_as_of(path: str, notice: AppointmentNotice, as_of: date) -> Any:
    return working_days_or_unknown(calendar.working_days_after, f"{path}.date/as_of", notice.date, as_of)


def objection_counts(objections_by_candidate: dict[str, list[Any]], notice: AppointmentNotice) -> tuple[int, int]:
    """The objections to the candidate's publicity open on the notice's day, and those found to affect
    the appointment."""
    day = notice.date
    open_at_notice = blocking = 0
    for o in objections_by_candidate.get(notice.candidate, ()):
        if o.received <= day and (o.resolved is None or o.resolved > day):
            open_at_notice += 1
        if o.affects_appointment:
            blocking += 1
    return open_at_notice, blocking


def objections_open_at_notice(objection_counts: tuple[int, int]) -> int:
    return objection_counts[0]


def objections_blocking(objection_counts: tuple[int, int]) -> int:
    return objection_counts[1]


def talk_date(notice: AppointmentNotice) -> date | None:
    return notice.talk.date if notice.talk else None


def probation_start(notice: AppointmentNotice) -> date | None:
    return notice.probation.start if notice.probation else None


def probation_end(notice: AppointmentNotice) -> date | None:
    probation = notice.probation
    return (probation.extended_to or probation.planned_end) if probation else None


def probation_full_year(notice: AppointmentNotice) -> bool:
    probation = notice.probation
    return bool(probation and probation.planned_end >= anniversary(probation.start, 1))


def probation_assessed(notice: AppointmentNotice) -> date | None:
    return notice.probation.assessment_date if notice.probation else None


def probation_result(notice: AppointmentNotice) -> Any:
    return notice.probation.result if notice.probation else None


def tenure_start(notice: AppointmentNotice) -> date | None:
    return notice.tenure_start


def catch_up_deadline(notice: AppointmentNotice) -> date:
    """A year after the notice: training hours missing at the decision may be made up by then."""
    return anniversary(notice.date, 1)


def training_hours(candidates_by_id: dict[str, Candidate], decisions: Decisions, notice: AppointmentNotice,
                   catch_up_deadline: date) -> tuple[int, int]:
    """Training hours in the five years up to the decision (the notice's day without one), and those
    that the year after the notice adds."""
    decided = decisions.get(notice.candidate) or notice.date
    hours_5y = catch_up = 0
    decided_year, deadline_year = decided.year, catch_up_deadline.year
    for t in candidates_by_id[notice.candidate].training:
        year = t.year
        if decided_year - 4 <= year <= decided_year:
            hours_5y += t.hours
        if decided_year < year <= deadline_year:
            catch_up += t.hours
    return hours_5y, catch_up


def training_hours_5y(training_hours: tuple[int, int]) -> int:
    return training_hours[0]


def training_hours_with_catch_up(training_hours: tuple[int, int]) -> int:
    return training_hours[0] + training_hours[1]


#: field of the `appointment` fact -> the function above giving it, in the fact's field order
FIELDS = {
    "id": "appointment_id", "path": "path", "candidate": "candidate", "date": "notice_date",
    "decision_date": "decision_date", "filing_required": "filing_required", "filing_date": "filing_date",
    "workdays_to_filing": "workdays_to_filing", "workdays_to_as_of": "workdays_to_as_of",
    "objections_open_at_notice": "objections_open_at_notice", "objections_blocking": "objections_blocking",
    "talk_date": "talk_date", "probation_start": "probation_start", "probation_end": "probation_end",
    "probation_full_year": "probation_full_year", "probation_assessed": "probation_assessed",
    "probation_result": "probation_result", "tenure_start": "tenure_start",
    "training_hours_5y": "training_hours_5y", "training_hours_with_catch_up": "training_hours_with_catch_up",
    "catch_up_deadline": "catch_up_deadline", "division_or_above": "division_or_above",
}
