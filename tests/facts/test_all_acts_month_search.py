"""A search for unsound verdicts on cases whose acts are ALL dated to the month only.

Real historical dossiers often give every act only its month (motion, recommendation, inspection start
and completion, meeting, publicity start and end, notice, filing: nine or more month-only dates).
cadre_rules/facts/months.py derives the facts on chosen days of those months, not on every combination
of days (with more than four month-only dates: each date moved over its days while the others sit on
their first days, then on their last days). This search checks, on example and synthetic cases, that no
combination of days contradicts what the months leave decided.

Every act date of a case is cut to its month at once and the case is audited so (the month verdicts).
Then day assignments inside those months are audited as full-dated cases:
- the recorded days, every month's first days, every month's last days;
- pairs: for each two month-only dates, the four corners of the pair (first or last day of each) with
  the other dates on their first days, on their last days, or on their recorded days — exactly what
  months.py does not try (two dates moved at once from its bases);
- seeded draws in turn: each date on a corner of its month independently, on a random day, the two
  mixed, and some dates moved to a corner or a random day while the others keep their recorded days.
An assignment the reader refuses (a notice before its decision) is no possible case and is skipped. A
month verdict is sound when, for every other assignment, each finding on the days equals the finding on
the months, or the months' finding is `unknown` — the comparison of test_act_month_precision.py, where a
finding missing on one side counts as silence (so 'violated' on the months against silence on some
days is unsound, and so is silence against 'violated').

The facts themselves are compared too, as a finer check than the verdicts: a fact field the months keep
must have that value on every possible assignment, and one they leave unknown with a range (a date, a
count) must fall inside it.

Default size: a few seconds. `CADRE_RULES_MONTH_SEARCH=N`: every example and N synthetic cases, N seeded
draws each (the pairs always); `CADRE_RULES_MONTH_SEARCH=200` takes about three minutes.
"""
from __future__ import annotations

import calendar
import copy
import itertools
import os
import random
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest

import cadre_rules as cr
from cadre_rules.errors import CaseValidationError
from cadre_rules.facts import Unknown, derive_facts
from cadre_rules.testing.synth import generate_case

from test_act_month_precision import AUDITOR, ROOT, act_dates, example

_SIZE = int(os.environ.get("CADRE_RULES_MONTH_SEARCH", "0") or 0)
SYNTH_CASES = _SIZE or 6
DRAWS = _SIZE or 20
EXAMPLES = (sorted(p.name[:2] for p in (ROOT / "examples" / "cases").glob("*.yaml")) if _SIZE
            else ["01", "21"])

Where = tuple[str, "int | None", str]
Place = tuple[Where, date]  # an act date and its recorded day


def _record(data: dict, where: Where) -> dict:
    name, index, _ = where
    return data[name] if index is None else data[name][index]


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def cut_to_months(data: dict) -> tuple[dict, list[Place]]:
    """The case with every act date cut to its month, and (place, recorded day) of each."""
    places = [(where, _day(_record(data, where)[where[2]])) for where in act_dates(data)]
    months = copy.deepcopy(data)
    for where, day in places:
        _record(months, where)[where[2]] = f"{day.year:04d}-{day.month:02d}"
    return months, places


def with_days(data: dict, places: list[Place], days: tuple[date, ...]) -> dict:
    out = copy.deepcopy(data)
    for (where, _), day in zip(places, days):
        _record(out, where)[where[2]] = day.isoformat()
    return out


def day_assignments(places: list[Place], rng: random.Random, draws: int) -> Iterator[tuple[date, ...]]:
    """The assignments of the module docstring, in that order (some may repeat)."""
    bounds = []
    for _, day in places:
        last = calendar.monthrange(day.year, day.month)[1]
        bounds.append((date(day.year, day.month, 1), date(day.year, day.month, last)))
    recorded = tuple(day for _, day in places)
    firsts, lasts = tuple(b[0] for b in bounds), tuple(b[1] for b in bounds)
    yield from (recorded, firsts, lasts)
    for i, j in itertools.combinations(range(len(places)), 2):
        for base in (firsts, lasts, recorded):
            for di, dj in itertools.product(bounds[i], bounds[j]):
                days = list(base)
                days[i], days[j] = di, dj
                yield tuple(days)
    for k in range(draws):
        kind = k % 5
        days = []
        for (first, last), day in zip(bounds, recorded):
            corner, anyday = rng.choice((first, last)), first.replace(day=rng.randint(1, last.day))
            if kind == 0:    # a corner of the range
                days.append(corner)
            elif kind == 1:  # a random day of each month
                days.append(anyday)
            elif kind == 2:  # corners and random days mixed
                days.append(rng.choice((corner, anyday)))
            elif kind == 3:  # some dates moved to a corner, the others on their recorded days
                days.append(rng.choice((corner, day)))
            else:            # some dates moved to a random day, the others on their recorded days
                days.append(rng.choice((anyday, day)))
        yield tuple(days)


def _verdicts(case: cr.Case) -> dict[tuple[str, tuple[str, ...]], str]:
    return {(f.rule_id, tuple(f.evidence)): f.verdict for f in AUDITOR.findings(case)}


def _fact_contradictions(on_months: Any, on_days: Any) -> Iterator[str]:
    """Fact fields the months keep that differ on these days, or whose range these days leave."""
    for fact_type, facts in on_months.items():
        for n, fact in enumerate(facts):
            other = on_days[fact_type][n]
            for name, value in fact.items():
                seen = other.get(name)
                if isinstance(seen, Unknown):
                    continue
                if not isinstance(value, Unknown):
                    if value != seen:
                        yield f"{fact_type}[{n}].{name}: {value!r} on the months, {seen!r} on the days"
                elif value.days is not None and type(seen) is not bool and seen is not None \
                        and not value.days[0] <= seen <= value.days[1]:
                    yield f"{fact_type}[{n}].{name}: {value.days} on the months, {seen!r} on the days"


def search(data: dict, seed: str, draws: int) -> tuple[int, list[str]]:
    """(possible day assignments compared, the contradictions found) for one case with every act cut to
    its month."""
    months, places = cut_to_months(data)
    month_case = cr.validate_case(months)  # months holding the recorded days are always possible
    on_months, month_facts = _verdicts(month_case), derive_facts(month_case)
    compared, unsound, seen = 0, [], set()
    for days in day_assignments(places, random.Random(seed), draws):
        if days in seen:
            continue
        seen.add(days)
        try:
            day_case = cr.validate_case(with_days(months, places, days))
        except CaseValidationError:
            continue  # no possible case on these days
        compared += 1
        on_days = _verdicts(day_case)
        wrong = [f"{key[0]} {'/'.join(key[1])}: {on_months.get(key) or 'silent'} on the months, "
                 f"{on_days.get(key) or 'silent'} on the days"
                 for key in sorted(set(on_months) | set(on_days))
                 if on_months.get(key) != "unknown" and on_months.get(key) != on_days.get(key)]
        wrong += _fact_contradictions(month_facts, derive_facts(day_case))
        if wrong:
            dated = ", ".join(f"{w[0]}{'' if w[1] is None else f'[{w[1]}]'}.{w[2]}={d}"
                              for (w, _), d in zip(places, days))
            unsound += [f"{line} ({dated})" for line in wrong]
    return compared, unsound


@pytest.mark.parametrize("prefix", EXAMPLES)
def test_an_example_with_every_act_dated_to_its_month_is_never_contradicted_by_its_days(prefix):
    data = example(prefix)
    assert len(act_dates(data)) >= 5
    compared, unsound = search(data, f"months:{prefix}", DRAWS)
    assert compared > 0
    assert unsound == [], "\n".join(unsound[:10])


@pytest.mark.parametrize("index", range(SYNTH_CASES))
def test_a_synthetic_case_with_every_act_dated_to_its_month_is_never_contradicted_by_its_days(index):
    data = generate_case(7, index, 0.5)
    compared, unsound = search(data, f"months:synth:{index}", DRAWS)
    assert compared > 0
    assert unsound == [], "\n".join(unsound[:10])


def test_the_search_reaches_the_extremes_of_a_fact_moved_by_two_dates_each_way():
    """The shape months.py may keep wrongly with more than four month-only dates (docs/case-format.md,
    Limits): days from the earliest of the motion and the recommendation (March 2021) to the latest of
    the publicity's start and end (April 2021). Its shortest, one day, needs both March dates on the 31st
    and both April dates on the 1st — two dates moved at once from the first days. The search's day
    assignments give this fact its least and its most value over every corner of those four dates, so a
    fact of this shape kept on the months would be contradicted."""
    data = example("01")
    months, places = cut_to_months(data)
    where = [w for w, _ in places]
    picked = [where.index(w) for w in (("motion", None, "date"), ("recommendations", 0, "date"),
                                       ("publicity", 0, "start"), ("publicity", 0, "end"))]
    assert [str(places[i][1])[:7] for i in picked] == ["2021-03", "2021-03", "2021-04", "2021-04"]

    def span(days: tuple[date, ...]) -> int:
        motion, recommendation, start, end = (days[i] for i in picked)
        return (max(start, end) - min(motion, recommendation)).days

    def possible(days: tuple[date, ...]) -> bool:
        try:
            cr.validate_case(with_days(months, places, days))
        except CaseValidationError:
            return False
        return True

    firsts = tuple(day.replace(day=1) for _, day in places)
    corners = []
    for combo in itertools.product(*((day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1]))
                                     for i, (_, day) in enumerate(places) if i in picked)):
        days = list(firsts)
        for i, day in zip(picked, combo):
            days[i] = day
        corners.append(tuple(days))
    every = {span(days) for days in corners if possible(days)}
    searched = {span(days) for days in day_assignments(places, random.Random(0), 0) if possible(days)}
    assert min(every) == 1 and (min(searched), max(searched)) == (min(every), max(every))
