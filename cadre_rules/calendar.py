"""Chinese official working days: statutory holidays and make-up working days (调休).

A working day is a day the State Council calendar marks as one: Monday to Friday minus statutory
holidays, plus the weekend days that are made working days. chinese-calendar's
`get_workdays(include_weekends=False)` drops those make-up days, so it is not used here.
Outside the years the holiday data covers there is no answer, and none is guessed.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


class OutsideCalendar(ValueError):
    """A date the holiday data does not cover."""

    def __init__(self, day: date) -> None:
        first, last = coverage()
        super().__init__(f"{day.isoformat()} is outside the holiday data ({first}–{last})")
        self.day = day


@lru_cache(maxsize=1)
def coverage() -> tuple[int, int]:
    """First and last year of the installed holiday data."""
    years = sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})
    return years[0], years[-1]


def covered(day: date) -> bool:
    first, last = coverage()
    return first <= day.year <= last


@lru_cache(maxsize=65536)
def is_working_day(day: date) -> bool:
    if not covered(day):
        raise OutsideCalendar(day)
    return bool(chinese_calendar.is_workday(day))


def working_days_inclusive(start: date, end: date) -> int:
    """Working days in [start, end], both ends counted (how a notice "X月X日至Y月Y日" is read)."""
    if end < start:
        return 0
    for bound in (start, end):
        if not covered(bound):
            raise OutsideCalendar(bound)
    count = 0
    day = start
    while day <= end:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


def working_days_after(start: date, end: date) -> int:
    """Working days in (start, end]: the start day is not counted (民法典 Art 201 convention)."""
    return working_days_inclusive(start + timedelta(days=1), end) if end > start else 0
