from datetime import date

import chinese_calendar
import pytest

from cadre_rules.facts import calendar


def test_make_up_working_days_count_and_holidays_do_not():
    # National Day 2024: Oct 1-7 off; Sunday Sep 29 and Saturday Oct 12 are make-up working days.
    assert calendar.is_working_day(date(2024, 9, 29))
    assert calendar.is_working_day(date(2024, 10, 12))
    assert not calendar.is_working_day(date(2024, 10, 1))
    assert not calendar.is_working_day(date(2024, 10, 5))
    # Fri 27, Sun 29 (make-up), Mon 30, then holiday, then Tue 8 .. Fri 11, Sat 12 (make-up)
    assert calendar.working_days_inclusive(date(2024, 9, 27), date(2024, 10, 12)) == 8


def test_library_shortcut_would_drop_make_up_days():
    """Why we do not use get_workdays(include_weekends=False): it loses the make-up Sunday."""
    span = (date(2024, 9, 27), date(2024, 10, 8))
    assert len(chinese_calendar.get_workdays(*span, include_weekends=False)) == 3
    assert calendar.working_days_inclusive(*span) == 4


def test_start_day_not_counted_after():
    assert calendar.working_days_after(date(2021, 4, 28), date(2021, 5, 7)) == 4  # Apr 29, 30, May 6, 7: May Day off


def test_outside_coverage_is_an_error_not_a_guess():
    first, last = calendar.coverage()
    with pytest.raises(calendar.OutsideCalendar, match=f"outside the holiday data \\({first}–{last}\\)"):
        calendar.working_days_inclusive(date(last + 1, 1, 4), date(last + 1, 1, 8))
    with pytest.raises(calendar.OutsideCalendar):
        calendar.is_working_day(date(first - 1, 6, 2))


def test_full_years_by_anniversary():
    from cadre_rules.facts import full_years
    assert full_years(date(2019, 4, 16), date(2021, 4, 15)) == 1
    assert full_years(date(2019, 4, 16), date(2021, 4, 16)) == 2
    assert full_years(date(2020, 2, 29), date(2021, 2, 27)) == 0
    assert full_years(date(2020, 2, 29), date(2021, 2, 28)) == 1  # no 29 Feb: the month's last day
    assert full_years(date(2020, 2, 29), date(2024, 2, 28)) == 3
    assert full_years(date(2020, 2, 29), date(2024, 2, 29)) == 4
    assert full_years(date(2021, 5, 1), date(2020, 5, 1)) == 0


def test_candidate_tenure_facts(baseline):
    from cadre_rules import derive_facts, validate_case
    (cand,) = derive_facts(validate_case(baseline))["candidate"]
    # decided 2021-04-16; born 1980-05-12; working since 2002-07-01; deputy since 2016-03-01
    assert (cand["age"], cand["work_years"], cand["years_in_level"]) == (40, 18, 5)
    assert cand["grassroots_years"] == 7  # 2002-07-01 .. 2009-12-31


def test_stepping_by_working_days_skips_holidays_and_keeps_make_up_days():
    # National Day 2019: 1–7 October off, Saturday 12 October a make-up working day.
    assert calendar.add_working_days(date(2019, 9, 30), 1) == date(2019, 10, 8)
    assert calendar.add_working_days(date(2019, 10, 8), -1) == date(2019, 9, 30)
    assert calendar.add_working_days(date(2019, 10, 3), 1) == date(2019, 10, 8)  # from a holiday
    assert calendar.add_working_days(date(2019, 10, 11), 1) == date(2019, 10, 12)  # the make-up Saturday
    assert calendar.add_working_days(date(2019, 10, 11), 0) == date(2019, 10, 11)
    assert calendar.working_day_on_or_after(date(2019, 10, 1)) == date(2019, 10, 8)
    assert calendar.working_day_on_or_after(date(2019, 10, 8)) == date(2019, 10, 8)
    days = [calendar.nth_working_day(n) for n in calendar.working_day_range(date(2019, 9, 28), date(2019, 10, 12))]
    assert days == [date(2019, 9, 29), date(2019, 9, 30), date(2019, 10, 8), date(2019, 10, 9), date(2019, 10, 10),
                    date(2019, 10, 11), date(2019, 10, 12)]  # 29 September 2019 was a make-up Sunday
    assert len(days) == calendar.working_days_inclusive(date(2019, 9, 28), date(2019, 10, 12))
    last = calendar.coverage()[1]
    with pytest.raises(calendar.OutsideCalendar):
        calendar.add_working_days(date(last, 12, 31), 1)
