"""Chinese official working days: statutory holidays and make-up working days (调休).

A working day is a day the State Council calendar marks as one: Monday to Friday minus statutory
holidays, plus the weekend days that are made working days. chinese-calendar's
`get_workdays(include_weekends=False)` drops those make-up days, so it is not used here.
Outside the years the holiday data covers there is no answer, and none is guessed.
"""
from __future__ import annotations

from array import array
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


def is_working_day(day: date) -> bool:
    """Whether the State Council calendar makes `day` a working day."""
    origin, cumulative = _working_day_index()
    k = day.toordinal() - origin
    if not 0 <= k < len(cumulative) - 1:
        raise OutsideCalendar(day)
    return cumulative[k + 1] > cumulative[k]


def working_days_inclusive(start: date, end: date) -> int:
    """Working days in [start, end], both ends counted (how a notice "X月X日至Y月Y日" is read)."""
    if end < start:
        return 0
    origin, cumulative = _working_day_index()
    first, last = start.toordinal() - origin, end.toordinal() - origin
    # The index spans exactly the covered years, so an offset outside it is a day outside the data.
    if not 0 <= first < len(cumulative) - 1:
        raise OutsideCalendar(start)
    if not last < len(cumulative) - 1:
        raise OutsideCalendar(end)
    return cumulative[last + 1] - cumulative[first]


@lru_cache(maxsize=1)
def _working_day_index() -> tuple[int, array]:
    """The ordinal of the first covered day, and the running count of working days over the covered
    years (`cumulative[k]` = working days among the first k days): counting a range is then one
    subtraction instead of a walk over its days (counts are asked for every publicity and notice),
    and one day's answer is the step at its place."""
    first, last = coverage()
    origin = date(first, 1, 1).toordinal()
    # chinese_calendar.is_workday's rule, read from its tables directly: the function itself scans all
    # holidays on every call to validate the date (~20 µs a day, 0.2 s for the index).
    holidays, workdays = chinese_calendar.holidays, chinese_calendar.workdays
    cumulative = array("I", [0])
    count = 0
    for ordinal in range(origin, date(last, 12, 31).toordinal() + 1):
        day = date.fromordinal(ordinal)
        count += day in workdays or (day.weekday() <= 4 and day not in holidays)
        cumulative.append(count)
    return origin, cumulative


_ONE_DAY = timedelta(days=1)


def working_days_after(start: date, end: date) -> int:
    """Working days in (start, end]: the start day is not counted (民法典 Art 201 convention)."""
    return working_days_inclusive(start + _ONE_DAY, end) if end > start else 0
