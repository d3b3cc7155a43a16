"""The closed-form period and working-day counts agree with their step-by-step definitions."""
from datetime import date, timedelta

import chinese_calendar
import pytest

from cadre_rules.facts import calendar
from cadre_rules.facts import add_months, anniversary, full_months, full_years


def _full_years_by_steps(start: date, end: date) -> int:
    if end < start:
        return 0
    years = end.year - start.year
    while years > 0 and anniversary(start, years) > end:
        years -= 1
    return years


def _full_months_by_steps(start: date, end: date) -> int:
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months


def _days(first: date, last: date, step: int = 1):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=step)


# Month ends, leap days and their neighbours, plus a spread of ordinary days.
STARTS = sorted({*_days(date(2019, 1, 1), date(2021, 12, 31), 7),
                 *(date(y, m, d) for y in (2019, 2020, 2024) for m in (1, 2, 3, 4, 12) for d in (1, 27, 28, 29, 30, 31)
                   if not (m == 2 and d > (29 if y % 4 == 0 else 28)) and not (m == 4 and d == 31))})
ENDS = sorted({*_days(date(2018, 12, 1), date(2025, 3, 31), 5),
               *(add_months(date(2019, 1, 31), k) for k in range(80)),
               *(add_months(date(2019, 1, 31), k) - timedelta(days=1) for k in range(80))})


def test_full_years_and_months_match_their_definitions():
    for start in STARTS:
        for end in ENDS:
            assert full_years(start, end) == _full_years_by_steps(start, end), (start, end)
            assert full_months(start, end) == _full_months_by_steps(start, end), (start, end)


def test_working_day_index_matches_the_holiday_data_day_by_day():
    first, last = calendar.coverage()
    for day in _days(date(first, 1, 1), date(last, 12, 31)):
        assert calendar.is_working_day(day) == bool(chinese_calendar.is_workday(day)), day


@pytest.mark.parametrize("start, length", [(date(2004, 1, 1), 0), (date(2004, 1, 1), 400), (date(2019, 9, 20), 30),
                                           (date(2024, 9, 27), 15), (date(2021, 4, 28), 9), (date(2026, 12, 1), 30)])
def test_working_days_inclusive_counts_day_by_day(start, length):
    end = start + timedelta(days=length)
    assert calendar.working_days_inclusive(start, end) == sum(calendar.is_working_day(d) for d in _days(start, end))
    assert calendar.working_days_inclusive(end, start - timedelta(days=1)) == 0


def test_working_days_at_the_edges_of_the_data():
    first, last = calendar.coverage()
    with pytest.raises(calendar.OutsideCalendar) as before:
        calendar.working_days_inclusive(date(first - 1, 12, 31), date(last + 1, 1, 1))
    assert before.value.day == date(first - 1, 12, 31)  # the start is named first
    with pytest.raises(calendar.OutsideCalendar) as after:
        calendar.working_days_inclusive(date(last, 12, 31), date(last + 1, 1, 1))
    assert after.value.day == date(last + 1, 1, 1)
    with pytest.raises(calendar.OutsideCalendar):
        calendar.working_days_after(date(last, 12, 31), date(last + 1, 1, 5))
    assert calendar.working_days_after(date(last + 1, 1, 5), date(last, 12, 31)) == 0
    with pytest.raises(calendar.OutsideCalendar):
        calendar.is_working_day(date(last + 1, 1, 1))
