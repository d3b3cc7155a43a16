"""Statutory retirement dates under the 2025 reform (渐进式延迟法定退休年龄).

From 2025-01-01 the statutory age rises in small steps: for men (formerly 60) and for women formerly
retiring at 55, by one month for every four months, up to 63 and 58; for women formerly retiring at
50, by one month for every two months, up to 55 (NPC Standing Committee decision of 2024-09-13 and
the State Council measures it approved, Art 1; where it was read: rules/sources.yaml S87, S88 — the
article's text on two reprints that agree, the start of the schedule checked against the worked examples
of the human-resources explanations; the annexed month-by-month tables were not read).

Why here: the facts layer is the one home of date arithmetic; rules compare the months left with a
threshold. Only people whose former retirement month falls in 2025 or later are delayed: the first
delayed month is January 2025 (former month 2025-01 → one month later).
"""
from __future__ import annotations

from datetime import date

from cadre_rules.codes import RetirementCategory
from cadre_rules.facts.periods import add_months

REFORM_START = date(2025, 1, 1)

# category → (former age in years, months of birth per month of delay, most months of delay)
SCHEDULE: dict[RetirementCategory, tuple[int, int, int]] = {
    RetirementCategory.male_60: (60, 4, 36),
    RetirementCategory.female_55: (55, 4, 36),
    RetirementCategory.female_50: (50, 2, 60),
}


def delay_months(birth: date, category: RetirementCategory) -> int:
    """Months the reform adds to the former statutory age for someone born on `birth`."""
    years, step, most = SCHEDULE[category]
    former = (birth.year + years) * 12 + birth.month - 1  # the former retirement month, as a month number
    since_reform = former - (REFORM_START.year * 12 + REFORM_START.month - 1)
    if since_reform < 0:
        return 0
    return min(most, since_reform // step + 1)


def retirement_date(birth: date, category: RetirementCategory) -> date:
    """The day the statutory retirement age is reached (the former age plus the reform's delay)."""
    years, _, _ = SCHEDULE[category]
    return add_months(birth, years * 12 + delay_months(birth, category))


def retirement_age_months(birth: date, category: RetirementCategory) -> int:
    """The statutory retirement age, in months."""
    return SCHEDULE[category][0] * 12 + delay_months(birth, category)


__all__ = ["REFORM_START", "SCHEDULE", "delay_months", "retirement_age_months", "retirement_date"]
