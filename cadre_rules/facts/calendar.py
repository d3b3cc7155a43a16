"""Chinese official working days: statutory holidays and make-up working days (调休).

A working day is a day the State Council calendar marks as one: Monday to Friday minus statutory
holidays, plus the weekend days that are made working days. chinese-calendar's
`get_workdays(include_weekends=False)` drops those make-up days, so it is not used here.
Outside the years the holiday data covers there is no answer, and none is guessed.

The bundled data is the pinned `chinesecalendar` release. The State Council publishes each year's
arrangement (国务院办公厅关于某年部分节假日安排的通知) weeks before the year starts, often before a
release of the package has it, so users may add years from holiday files (docs/holidays.md):
`use_holiday_files` (the `--holidays` option, or the `CADRE_RULES_HOLIDAYS` environment variable, which
worker processes inherit). A file may only add years the bundled data lacks: verdicts on a year that
is covered never depend on which files were passed.
"""
from __future__ import annotations

import os
from array import array
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import chinese_calendar

from cadre_rules.errors import (ErrorKind, HolidayDataError, InputError, OutsideCalendar, Problem, os_reason,
                                yaml_complaint)

ENV_VAR = "CADRE_RULES_HOLIDAYS"


@dataclass(frozen=True)
class HolidayYear:
    """One year's arrangement as published in the State Council's notice."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]  # make-up working days (调休上班), always weekend days
    notice: str  # the notice's 文号 and date, as the file gives them
    source: str  # file:line of the year's entry


@dataclass(frozen=True)
class CalendarSource:
    """Where the working days of some years come from (shown in reports beside the counts they judged)."""

    years: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {"years": self.years, "source": self.source}


_extra: tuple[HolidayYear, ...] = ()
_loaded_env: str | None = None


def _bundled_years() -> set[int]:
    return {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}


def _ensure_env() -> None:
    """Load the files named by CADRE_RULES_HOLIDAYS once (a worker process inherits the variable)."""
    global _loaded_env
    value = os.environ.get(ENV_VAR, "")
    if value != _loaded_env:
        # Loaded before it is marked loaded: a file that does not read raises on every call, never
        # once and then silently leaves the years it was to add uncovered.
        _install(load_holiday_files([p for p in value.split(os.pathsep) if p]) if value else ())
        _loaded_env = value


def use_holiday_files(paths: Iterable[str | Path]) -> tuple[HolidayYear, ...]:
    """Add the years of these holiday files to the bundled data for this process and the worker processes
    it starts. Raises HolidayDataError (nothing is changed) when a file is invalid."""
    paths = [str(p) for p in paths]
    years = load_holiday_files(paths)
    global _loaded_env
    _loaded_env = os.pathsep.join(paths)
    if paths:
        os.environ[ENV_VAR] = _loaded_env
    else:
        os.environ.pop(ENV_VAR, None)
    _install(years)
    return years


def _install(years: tuple[HolidayYear, ...]) -> None:
    global _extra
    _extra = years
    _tables.cache_clear()
    _working_day_index.cache_clear()
    _working_days.cache_clear()


def load_holiday_files(paths: Iterable[str | Path]) -> tuple[HolidayYear, ...]:
    """Read and check holiday files; every problem of every file is reported at once, each with its
    kind so that it can be said in Chinese (the staff who keep these files read Chinese)."""
    import yaml

    from cadre_rules.reading.yamlmarks import line_of, load_marked

    bundled = _bundled_years()
    years: list[HolidayYear] = []
    problems: list[tuple[str, InputError]] = []
    seen: dict[int, str] = {}
    for path in paths:
        try:
            doc = load_marked(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            problems.append((str(path), InputError("", Problem(ErrorKind.cannot_read, reason=os_reason(exc)))))
            continue
        except UnicodeDecodeError:
            problems.append((str(path), InputError("", Problem(ErrorKind.record_not_utf8))))
            continue
        except yaml.YAMLError as exc:  # YAML syntax: named with its line
            mark = getattr(exc, "problem_mark", None)
            detail = yaml_complaint(str(getattr(exc, "problem", None) or exc))
            place = f"{path}:{mark.line + 1}" if mark is not None else str(path)
            problems.append((place, InputError("", Problem(ErrorKind.holiday_invalid_yaml, detail=detail))))
            continue
        entries = doc.get("years") if isinstance(doc, dict) else None
        if not isinstance(entries, list) or not entries:
            problems.append((str(path), InputError("", Problem(ErrorKind.holiday_file_shape))))
            continue
        for index, entry in enumerate(entries):
            where = f"{path}:{line_of(entry) or line_of(doc, 'years')}"
            number = entry.get("year") if isinstance(entry, dict) else None
            # Only a year can be a bundled one: `year: [2027]` or `year: {a: 1}` is unhashable and
            # stopped `audit --holidays` with an internal error (found by fuzzing holiday files);
            # _parse_year names it as a bad year.
            if isinstance(number, int) and number in bundled:
                problems.append((where, InputError(f"years[{index}].year", Problem(
                    ErrorKind.holiday_bundled_year, year=number, covered=coverage_label(bundled)))))
                continue
            year, errs = _parse_year(entry, f"years[{index}]", where)
            problems += [(where, e) for e in errs]
            if year is None:
                continue
            if year.year in seen:
                problems.append((where, InputError(f"years[{index}].year", Problem(
                    ErrorKind.holiday_year_twice, year=year.year, other=seen[year.year]))))
            else:
                seen[year.year] = where
                years.append(year)
    if problems:
        raise HolidayDataError(problems)
    return tuple(sorted(years, key=lambda y: y.year))


def _parse_year(entry: Any, at: str, where: str) -> tuple[HolidayYear | None, list[InputError]]:
    from cadre_rules.reading.yamlmarks import as_date

    def problem(path: str, kind: ErrorKind, **params: Any) -> InputError:
        return InputError(path, Problem(kind, **params))

    if not isinstance(entry, dict):
        return None, [problem(at, ErrorKind.holiday_entry_not_mapping)]
    # Sorted by their text: keys of several types (`1:` beside `foo:`) do not compare, and stopped
    # `audit --holidays` with an internal error (found by fuzzing holiday files).
    unknown = sorted(set(entry) - {"year", "notice", "holidays", "workdays"}, key=str)
    problems = [problem(f"{at}.{key}", ErrorKind.holiday_unknown_field) for key in unknown]
    year = entry.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 < year < 2200:
        return None, problems + [problem(f"{at}.year", ErrorKind.holiday_bad_year, got=repr(year))]
    notice = entry.get("notice")
    if not isinstance(notice, str) or not notice.strip():
        problems.append(problem(f"{at}.notice", ErrorKind.holiday_notice_missing))
    days: dict[str, set[date]] = {}
    for key in ("holidays", "workdays"):
        days[key] = set()
        values = entry.get(key, [])
        if not isinstance(values, list):
            problems.append(problem(f"{at}.{key}", ErrorKind.holiday_days_not_list))
            continue
        for i, value in enumerate(values):
            span = value if isinstance(value, dict) else {"from": value, "to": value}
            start, end = as_date(span.get("from")), as_date(span.get("to"))
            if start is None or end is None or end < start or set(span) - {"from", "to"}:
                problems.append(problem(f"{at}.{key}[{i}]", ErrorKind.holiday_bad_day, got=repr(value)))
                continue
            for offset in range((end - start).days + 1):
                day = start + timedelta(days=offset)
                if day.year != year:
                    problems.append(problem(f"{at}.{key}[{i}]", ErrorKind.holiday_day_other_year,
                                            day=day.isoformat(), year=year))
                    break
                days[key].add(day)
    for day in sorted(days["workdays"]):
        if day.weekday() <= 4:
            problems.append(problem(f"{at}.workdays", ErrorKind.holiday_workday_weekday, day=day.isoformat()))
    for day in sorted(days["holidays"] & days["workdays"]):
        problems.append(problem(at, ErrorKind.holiday_holiday_and_workday, day=day.isoformat()))
    if problems:
        return None, problems
    return HolidayYear(year, frozenset(days["holidays"]), frozenset(days["workdays"]), notice.strip(), where), []


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[int], Any, Any]:
    """Covered years, holidays and make-up working days: the bundled data plus the added years."""
    holidays, workdays = set(chinese_calendar.holidays), set(chinese_calendar.workdays)
    for year in _extra:
        holidays |= year.holidays
        workdays |= year.workdays
    return frozenset(_bundled_years() | {y.year for y in _extra}), holidays, workdays


def years_covered() -> frozenset[int]:
    _ensure_env()
    return _tables()[0]


def coverage() -> tuple[int, int]:
    """First and last year of the holiday data (years in between may be missing when files skip one)."""
    years = years_covered()
    return min(years), max(years)


def coverage_label(years: Iterable[int] | None = None) -> str:
    """The covered years as ranges, e.g. `2004–2026` or `2004–2026, 2028`."""
    ordered = sorted(years if years is not None else years_covered())
    runs: list[list[int]] = []
    for year in ordered:
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(f"{a}–{b}" if a != b else str(a) for a, b in runs)


def sources() -> list[CalendarSource]:
    """Which data judges which years: the bundled release, then each added year with its notice and file."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = f"chinesecalendar {version('chinesecalendar')}"
    except PackageNotFoundError:  # pragma: no cover - installed as a dependency
        release = "chinesecalendar"
    _ensure_env()
    out = [CalendarSource(coverage_label(_bundled_years()), release)]
    out += [CalendarSource(str(y.year), f"{y.notice} ({y.source})") for y in _extra]
    return out


def covered(day: date) -> bool:
    return day.year in years_covered()


def is_working_day(day: date) -> bool:
    """Whether the State Council calendar makes `day` a working day."""
    origin, cumulative = _working_day_index()
    k = day.toordinal() - origin
    if not 0 <= k < len(cumulative) - 1 or not covered(day):
        raise OutsideCalendar(day, coverage_label())
    return cumulative[k + 1] > cumulative[k]


def working_days_inclusive(start: date, end: date) -> int:
    """Working days in [start, end], both ends counted (how a notice "X月X日至Y月Y日" is read)."""
    if end < start:
        return 0
    origin, cumulative = _working_day_index()
    first, last = start.toordinal() - origin, end.toordinal() - origin
    # The index spans the first to the last covered year; a day outside it, or in a year between that no
    # data covers, has no answer.
    if not 0 <= first < len(cumulative) - 1:
        raise OutsideCalendar(start, coverage_label())
    if not last < len(cumulative) - 1:
        raise OutsideCalendar(end, coverage_label())
    years = _tables()[0]
    for year in range(start.year, end.year + 1):
        if year not in years:
            raise OutsideCalendar(max(start, date(year, 1, 1)), coverage_label())
    return cumulative[last + 1] - cumulative[first]


@lru_cache(maxsize=1)
def _working_day_index() -> tuple[int, array]:
    """The ordinal of the first covered day, and the running count of working days over the covered
    years (`cumulative[k]` = working days among the first k days): counting a range is then one
    subtraction instead of a walk over its days (counts are asked for every publicity and notice),
    and one day's answer is the step at its place."""
    _ensure_env()
    first, last = coverage()
    _, holidays, workdays = _tables()
    origin = date(first, 1, 1).toordinal()
    # chinese_calendar.is_workday's rule, read from its tables directly: the function itself scans all
    # holidays on every call to validate the date (~20 µs a day, 0.2 s for the index).
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


# --- stepping by working days ---------------------------------------------------------------------
# Generators and planners ask "the k-th working day after this one" thousands of times a second; these
# answer from the same index by position (the working days numbered 0, 1, 2 … over the covered years)
# instead of walking day by day. A step that leaves the data raises OutsideCalendar: no guess.


@lru_cache(maxsize=1)
def _working_days() -> array:
    """The ordinals of every covered working day, in order (the inverse of `_working_day_index`)."""
    origin, cumulative = _working_day_index()
    return array("I", [origin + k for k in range(len(cumulative) - 1) if cumulative[k + 1] > cumulative[k]])


def _position(day: date) -> int:
    """How many indexed working days come before `day` (its number, if it is a working day itself)."""
    if not covered(day):
        raise OutsideCalendar(day, coverage_label())
    origin, cumulative = _working_day_index()
    return cumulative[day.toordinal() - origin]


def _numbered(number: int, near: date) -> date:
    """The working day numbered `number`, counted from `near`: every year between them must be covered
    (the index runs through a year no data covers, but a count across it would be a guess)."""
    days = _working_days()
    if not 0 <= number < len(days):
        raise OutsideCalendar(near, coverage_label())
    found = date.fromordinal(days[number])
    _check_years(min(near, found), max(near, found))
    return found


def _check_years(first: date, last: date) -> None:
    years = years_covered()
    for year in range(first.year, last.year + 1):
        if year not in years:
            raise OutsideCalendar(max(first, date(year, 1, 1)), coverage_label())


def working_day_on_or_after(day: date) -> date:
    """`day` if it is a working day, else the next working day."""
    return _numbered(_position(day), day)


def add_working_days(day: date, k: int) -> date:
    """The k-th working day after `day` (`day` not counted), or before it for negative k; `day` for 0."""
    if k == 0:
        return day
    if k > 0:
        return _numbered(_position(day) + is_working_day(day) + k - 1, day)
    return _numbered(_position(day) + k, day)


def working_day_range(first: date, last: date) -> range:
    """The numbers of the working days in [first, last], for drawing one of them (`nth_working_day`)."""
    if last < first:
        return range(0)
    _check_years(first, last)
    return range(_position(first), _position(last) + is_working_day(last))


def nth_working_day(number: int) -> date:
    """The working day numbered `number` (see `working_day_range`)."""
    return _numbered(number, date(coverage()[0], 1, 1))
