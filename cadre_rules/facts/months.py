"""Facts of a case whose acts are dated to the month only (`2009-05`, model.base.MonthDate).

A month is a range of days, never a guessed day. The facts are derived for days of each month
(facts/derive.py, unchanged, on copies of the case with days put in) and compared: a fact field that
every derivation gives alike keeps its value — the rules judge it as for any case; a field that differs
is `Unknown`, naming the month-only dates that change it, so every rule reading it says 「无法判断」 with
that reason. A date field that differs keeps the range of its values (`Unknown.days`): the engine chooses
the edition for the whole range, and gives `unknown` when an edition starts or ends inside it. So does a
count (working days, full years): a comparison that every value of the range decides alike is made
(`5–9` working days against five), others are `unknown`.

Which days are tried (why this is exact for the facts this layer derives):
- each fact here is, in one act's date, either monotone (working days between two dates, full years,
  a comparison of two dates, the earliest or latest of several) or piecewise constant with its steps at
  other recorded dates (an objection open on the day: received on or before it, resolved after it);
- so for each month-only date the days tried are its month's first and last day and the days around
  every other date the case records in that month (the day before, the day, the day after): on these a
  fact of one month-only date takes every value it takes in the month;
- with several month-only dates, each is moved over its days while the others stay on their first days,
  and again on their last days; with at most four, every combination of first and last days is tried
  too (every corner of the range). A fact moved by several dates, at most one of them pushing it the
  other way from the rest, takes its extremes on the days these include; a fact with two or more dates
  pushing each way, in a case of more than four month-only dates, is the one shape whose value could be
  kept where some combination of days would not give it. No fact derived today has that shape: the
  search of tests/facts/test_all_acts_month_search.py (every act of a case cut to its month at once,
  compared with pairs of first and last days and seeded draws) finds no contradiction; a new fact moved
  by several act dates needs that search run again (docs/case-format.md, "Limits").
"""
from __future__ import annotations

from datetime import date, timedelta
from itertools import product
from typing import Any, Callable, NamedTuple

from cadre_rules.facts.derive import FactPlan, derive_facts as derive_facts_of_days
from cadre_rules.facts.periods import days_of_month
from cadre_rules.facts.values import FactSet, MonthFacts, Unknown
from cadre_rules.model import Case
from cadre_rules.model.base import MonthDate
from cadre_rules.model.labels import path_label

#: (case field, list or single record, date fields) of the acts whose date may be a month.
ACT_DATE_FIELDS: tuple[tuple[str, bool, tuple[str, ...]], ...] = (
    ("motion", False, ("date",)),
    ("recommendations", True, ("date",)),
    ("inspections", True, ("start", "completed")),
    ("meetings", True, ("date",)),
    ("publicity", True, ("start", "end")),
    ("appointments", True, ("date",)),
    ("filings", True, ("date",)),
)
_CORNERS_UP_TO = 4


class MonthOnly(NamedTuple):
    """One act date recorded to the month: where it is, and the days tried for it."""

    path: str
    field: str
    index: int | None
    attr: str
    month: MonthDate
    days: tuple[date, ...]


def month_only_dates(case: Case) -> list[MonthOnly]:
    """The case's act dates known only to the month, in file order ([] for nearly every case)."""
    fields = case.__dict__
    # the common case first, cheaply (this runs for every case): no act dated to the month
    if not _any_month_only(fields):
        return []
    found: list[tuple[str, str, int | None, str, MonthDate]] = []
    for name, is_list, attrs in ACT_DATE_FIELDS:
        value = fields[name]
        records = list(enumerate(value)) if is_list else ([(None, value)] if value is not None else [])
        for index, record in records:
            for attr in attrs:
                day = record.__dict__[attr]
                if type(day) is MonthDate:
                    path = f"{name}[{index}].{attr}" if index is not None else f"{name}.{attr}"
                    found.append((path, name, index, attr, day))
    recorded = _recorded_days(case)
    out = []
    for path, name, index, attr, month in found:
        first, last = days_of_month(month)
        days = {first, last}
        for day in recorded:
            if first <= day <= last:
                days.update(d for d in (day - timedelta(days=1), day, day + timedelta(days=1)) if first <= d <= last)
        out.append(MonthOnly(path, name, index, attr, month, tuple(sorted(days))))
    return out


def _any_month_only(fields: dict[str, Any]) -> bool:
    """Whether any act date of ACT_DATE_FIELDS is a MonthDate: plain loops, no generator frames (this
    runs for every case, and nearly every case has none)."""
    for name, is_list, attrs in ACT_DATE_FIELDS:
        value = fields[name]
        if value is None:
            continue
        for record in value if is_list else (value,):
            values = record.__dict__
            for attr in attrs:
                if values[attr].__class__ is MonthDate:
                    return True
    return False


def _recorded_days(case: Case) -> set[date]:
    """Every full date the case records (the steps at which a fact of a month-only date may change)."""
    days: set[date] = set()

    def walk(value: Any) -> None:
        if isinstance(value, date):
            if type(value) is not MonthDate:
                days.add(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif hasattr(value, "__dict__") and hasattr(type(value), "model_fields"):
            for item in value.__dict__.values():
                walk(item)
    walk(case)
    return days


def with_days(case: Case, months: list[MonthOnly], days: tuple[date, ...]) -> Case:
    """A copy of the case with each month-only date set to the given day (no validation: a copy only)."""
    by_field: dict[str, list[tuple[MonthOnly, date]]] = {}
    for m, day in zip(months, days):
        by_field.setdefault(m.field, []).append((m, day))
    update: dict[str, Any] = {}
    for name, changes in by_field.items():
        value = case.__dict__[name]
        if isinstance(value, list):
            items = list(value)
            per_index: dict[int, dict[str, date]] = {}
            for m, day in changes:
                per_index.setdefault(m.index, {})[m.attr] = day  # type: ignore[index]
            for index, attrs in per_index.items():
                items[index] = items[index].model_copy(update=attrs)
            update[name] = items
        else:
            update[name] = value.model_copy(update={m.attr: day for m, day in changes})
    return case.model_copy(update=update)


def _assignments(months: list[MonthOnly]) -> list[tuple[date, ...]]:
    """The combinations of days tried (see the module docstring); the first is every month's first day."""
    firsts = tuple(m.days[0] for m in months)
    lasts = tuple(m.days[-1] for m in months)
    seen: dict[tuple[date, ...], None] = {firsts: None, lasts: None}
    for i, m in enumerate(months):
        for base in (firsts, lasts):
            for day in m.days:
                seen.setdefault(base[:i] + (day,) + base[i + 1:], None)
    if len(months) <= _CORNERS_UP_TO:
        for corner in product(*((m.days[0], m.days[-1]) for m in months)):
            seen.setdefault(corner, None)
    return list(seen)


def derive_facts(case: Case, plan: "FactPlan | None" = None, **how: Any) -> FactSet:
    """The facts of a case (facts/derive.py; `plan`: only those a rulebook reads); for acts dated to the
    month only, the facts every day of the month agrees on, and `Unknown` (with the reason) for the others.
    `how`: derive.derive_facts's `items` and `people_on_demand`, for a case without month-only acts
    (one with them is derived the one way, every planned type in full)."""
    months = month_only_dates(case)
    if not months:
        return derive_facts_of_days(case, plan, **how)
    if how.get("people_on_demand") and plan is not None and "person" not in plan:
        plan = {**plan, "person": None}  # the merged facts are derived in full: the people with them
    return facts_over_days(case, months, lambda day_case: derive_facts_of_days(day_case, plan))


def facts_over_days(case: Case, months: list[MonthOnly], derive: Callable[[Case], FactSet]) -> FactSet:
    assignments = _assignments(months)
    sets = [derive(with_days(case, months, days)) for days in assignments]
    base = sets[0]
    # which month-only date moves a field: compare each single move from the first days with the base
    singles: list[tuple[int, FactSet]] = []
    firsts = assignments[0]
    for k, days in enumerate(assignments):
        moved = [i for i, (a, b) in enumerate(zip(days, firsts)) if a != b]
        if len(moved) == 1:
            singles.append((moved[0], sets[k]))
    merged: FactSet = MonthFacts()
    for fact_type, facts in base.items():
        out = []
        for n, fact in enumerate(facts):
            # Which records exist never depends on a day (one fact per record): the same fact at the same
            # place in every derivation. Should one be missing, each of its fields counts as differing.
            others = [s[fact_type][n] if n < len(s.get(fact_type, ())) else {} for s in sets[1:]]
            if all(o == fact for o in others):
                out.append(fact)
                continue
            fact = dict(fact)
            for name, value in list(fact.items()):
                values = [value, *(o.get(name) for o in others)]
                if all(v == value for v in values[1:]):
                    continue
                movers = sorted({i for i, s in singles
                                 if (s[fact_type][n] if n < len(s.get(fact_type, ())) else {}).get(name) != value})
                fact[name] = _unknown(fact_type, name, values, [months[i] for i in movers] or months)
            out.append(fact)
        merged[fact_type] = out
    return merged


def _unknown(fact_type: str, name: str, values: list[Any], movers: list[MonthOnly]) -> Unknown:
    """The reason a fact field is not known: the month-only dates that decide it, each with its month."""
    where = "; ".join(f"{m.path}: only the month is recorded ({m.month})" for m in movers)
    where_zh = "；".join(f"{path_label(m.path)}只记录到月（{m.month}）" for m in movers)
    days = None
    dated = [v for v in values if isinstance(v, date)]
    counted = [v for v in values if type(v) is int]  # counts: working days, full years, members (never a bool)
    if dated and len(dated) == len(values):
        days = (min(dated), max(dated))
    elif counted and len(counted) == len(values):
        days = (min(counted), max(counted))
    return Unknown(f"{where}; the day decides {fact_type}.{name}",
                   f"{where_zh}，具体日期决定判断结果", days)
