"""People's dates known only to the month: a rule that counts from them gives `unknown` exactly when
the day within the month could change its verdict, and judges as on any day of the month otherwise.

Property: for every day of the month, the verdicts on the full date equal the verdicts on the month,
or the month's verdict is `unknown`.
"""
from __future__ import annotations

import calendar
import copy
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cadre_rules as cr
from cadre_rules.model import YearMonth
from cadre_rules.reading.yamlmarks import safe_load

ROOT = Path(__file__).resolve().parents[2]
AUDITOR = cr.Auditor()  # one auditor: its rulebook is compiled once


def example(prefix: str) -> dict:
    path = next((ROOT / "examples" / "cases").glob(f"{prefix}-*.yaml"))
    return safe_load(path.read_text(encoding="utf-8"))


# Example 25 is judged on its meeting of 2022-05-26 (QUAL-WORKYEARS: five full years of work; the
# work start is 2018-07-01); example 26 on 2022-09-15 (QUAL-PARTY-AGE counts full years of membership).
BASES = {"25": ("work_start_date", 2022, 5), "26": ("party_join_date", 2022, 9)}


def verdicts(case: dict) -> dict[str, str]:
    return {f.rule_id: f.verdict for f in AUDITOR.findings(cr.validate_case(case))}


def with_date(base: dict, field: str, value: str) -> dict:
    case = copy.deepcopy(base)
    case["candidates"][0][field] = value
    return case


def check_month(prefix: str, year: int, month: int) -> dict[str, str]:
    field = BASES[prefix][0]
    base = example(prefix)
    on_month = verdicts(with_date(base, field, f"{year:04d}-{month:02d}"))
    for day in range(1, calendar.monthrange(year, month)[1] + 1):
        on_day = verdicts(with_date(base, field, date(year, month, day).isoformat()))
        for rule in set(on_month) | set(on_day):
            assert on_month.get(rule) == "unknown" or on_month.get(rule) == on_day.get(rule), (
                f"{field} {year}-{month:02d}-{day:02d}: {rule} is {on_day.get(rule)} on the day, "
                f"{on_month.get(rule)} on the month")
    return on_month


def test_the_threshold_month_is_unknown_and_names_the_month():
    # five full years before 2022-05-26 end in 2017-05: the day decides
    found = {f.rule_id: f for f in AUDITOR.findings(cr.validate_case(with_date(example("25"), "work_start_date", "2017-05")))}
    assert found["QUAL-WORKYEARS"].verdict == "unknown"
    assert found["QUAL-WORKYEARS"].reason.startswith("candidates[0].work_start_date: only the month is recorded (2017-05)")
    check_month("25", 2017, 5)


def test_a_month_that_cannot_change_the_verdict_is_judged():
    assert verdicts(with_date(example("25"), "work_start_date", "2018-07"))["QUAL-WORKYEARS"] == "violated"
    assert "QUAL-WORKYEARS" not in verdicts(with_date(example("25"), "work_start_date", "2016-04"))
    assert check_month("25", 2018, 7)["QUAL-WORKYEARS"] == "violated"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(sorted(BASES)), back=st.integers(min_value=0, max_value=96))
def test_every_day_of_the_month_agrees_with_the_month_or_the_month_is_unknown(prefix, back):
    """Months from eight years before the judging date up to it, threshold months included."""
    _, year, month = BASES[prefix]
    index = year * 12 + (month - 1) - back
    check_month(prefix, index // 12, index % 12 + 1)


def test_month_dates_read_and_write_as_yyyy_mm():
    case = cr.validate_case(with_date(example("25"), "work_start_date", "2017-05"))
    assert case.candidates[0].work_start_date == YearMonth(2017, 5)
    assert case.model_dump(mode="json")["candidates"][0]["work_start_date"] == "2017-05"
    again = cr.validate_case_json(case.model_dump_json())
    assert again.candidates[0].work_start_date == YearMonth(2017, 5)
