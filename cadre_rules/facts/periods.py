"""Periods counted the way the regulations count them: full years by anniversary, working days."""
from __future__ import annotations

from calendar import monthrange  # the standard library's; `.. import calendar` below is the holiday calendar
from datetime import date, timedelta
from typing import Callable

from cadre_rules.facts import calendar
from cadre_rules.facts.values import Unknown
from cadre_rules.model.base import YearMonth
from cadre_rules.model.labels import path_label


def _bounded(compute: Callable[[], date], forward: bool) -> date:
    """A date past the calendar's ends (after 9999-12-31 or before 0001-01-01) held at that end.

    Why: a valid far date in a case (9999-12-31) plus a year is not a `date`; every comparison with a
    date a case can hold gives the same answer with the end itself (nothing a case records is later
    than 9999-12-31), so the case is judged instead of crashing with `year 10000 is out of range`."""
    try:
        return compute()
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, ValueError) and "out of range" not in str(exc):
            raise
        return date.max if forward else date.min


def anniversary(start: date, years: int) -> date:
    """The date `years` after `start`; a 29 February start falls on 28 February in common years
    (民法典 Art 202: without a corresponding day, the last day of the month ends the period).
    Held at 9999-12-31 / 0001-01-01 past the calendar's ends."""
    if not 1 <= start.year + years <= 9999:
        return date.max if years > 0 else date.min
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def full_years_from(start: "date | YearMonth", end: date) -> int | None:
    """Completed years from a day or a month (`YearMonth`) to `end`; None when the day within the
    month decides (full years never fall as the start moves later, so its first and last day bound them)."""
    if isinstance(start, date):
        return full_years(start, end)
    first = start.first_day
    last = first.replace(day=monthrange(start.year, start.month)[1])
    most, least = full_years(first, end), full_years(last, end)
    return most if most == least else None


def days_of_month(month: "date | YearMonth") -> tuple[date, date]:
    """The first and last day of a month (a YearMonth, or a MonthDate: an act dated to the month)."""
    return date(month.year, month.month, 1), date(month.year, month.month, monthrange(month.year, month.month)[1])


def act_days(act_date: str) -> tuple[date, date] | None:
    """The first and last day a finding's act date may be: a day twice, a month (`2009-05`: an act dated
    to the month) its first and last day, a range (`2009-05-20/2009-06-12`) its ends; None when the text
    is none of these. Why here: reports that place a finding in a period must not compare the text, in
    which a month sorts before its own first day."""
    start, _, end = act_date.partition("/")
    try:
        first = days_of_month(YearMonth.parse(start))[0] if len(start) == 7 else date.fromisoformat(start)
        end = end or start
        last = days_of_month(YearMonth.parse(end))[1] if len(end) == 7 else date.fromisoformat(end)
    except ValueError:
        return None
    return first, last


def full_years_until(start: date, end: "date | YearMonth") -> int | None:
    """Completed years from a day to a day or a month (`YearMonth`, e.g. a Party admission known to the
    month); None when the day within the month decides (full years never fall as the end moves later)."""
    if isinstance(end, date):
        return full_years(start, end)
    first = end.first_day
    least, most = full_years(start, first), full_years(start, first.replace(day=monthrange(end.year, end.month)[1]))
    return least if least == most else None


def full_years(start: date, end: date) -> int:
    """Completed years from start to end, counted by anniversary (足年): 0 if end is before the first one."""
    if end < start:
        return 0
    years = end.year - start.year
    month, day = start.month, start.day
    if month != 2 or day != 29:
        # The anniversary in end's year is on start's month and day: one year fewer if end is before it.
        return years - (end.month < month or (end.month == month and end.day < day))
    while years > 0 and anniversary(start, years) > end:
        years -= 1
    return years


def days_after(day: date, days: int) -> date:
    """The calendar date `days` days after `day` (before it for a negative count)."""
    return _bounded(lambda: day + timedelta(days=days), days >= 0)


def next_day(day: date) -> date:
    """The calendar day after `day` (e.g. the first day after an edition's last day in force)."""
    return _bounded(lambda: day + timedelta(days=1), True)


def previous_day(day: date) -> date:
    """The calendar day before `day` (e.g. the last day in force before the next edition starts)."""
    return _bounded(lambda: day - timedelta(days=1), False)


def age_on(birth: date, day: date) -> int:
    """A person's age on `day`: full years since birth, counted by anniversary like every period
    here (so a 29 February birthday comes on 28 February in common years)."""
    return full_years(birth, day)


def day_ordinal(day: date) -> int:
    """Days since 0001-01-01: dates as plain integers, for engines that compare numbers only."""
    return day.toordinal()


def full_months(start: date, end: date) -> int:
    """Completed months from start to end (a 31st start completes a month on the last day of a shorter month)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    # add_months(start, months) falls in end's month: on start's day, or on the month's last day if
    # that is earlier. It is after end (one month fewer) only if both are after end's day.
    if months > 0 and start.day > end.day and monthrange(end.year, end.month)[1] > end.day:
        months -= 1
    return months


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day where there is no such day (民法典 Art 202)."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, min(start.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def working_days_or_unknown(fn: Callable[[date, date], int], path: str, start: date, end: date) -> int | Unknown:
    """A working-day count, or Unknown naming the field when the holiday data does not cover it."""
    try:
        return fn(start, end)
    except calendar.OutsideCalendar as exc:
        first, last = calendar.coverage()
        return Unknown(f"{path}: {exc}", f"{path_label(path)}：{exc.day.isoformat()} 超出节假日数据范围（{first}—{last}年）")
