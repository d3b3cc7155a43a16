"""Which edition governs an act: the rulebook's editions as dated data."""
from __future__ import annotations

from datetime import date
from typing import Iterable

from cadre_rules.rulebook.model import Citation, Edition, Rule


def citations_in_force(rule: Rule, editions: dict[str, Edition], day: date) -> list[Citation]:
    """The rule's citations whose edition was in force on `day`, 条例 editions first, then newest."""
    live = [c for c in rule.basis if editions[c.edition].in_force(day)]
    return sorted(live, key=lambda c: (not editions[c.edition].primary, -editions[c.edition].start.toordinal()))


def earliest_start(editions: Iterable[Edition]) -> date:
    return min(e.start for e in editions)
