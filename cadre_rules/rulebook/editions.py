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
    """Where the rulebook's scope begins: the first edition of the 条例 itself (2002-07-09). A companion
    instrument dated earlier (the 2001 probation provisions) is cited from then on, but it does not bring
    acts governed by the 1995 interim regulations into scope (docs/historical.md)."""
    editions = list(editions)
    primary = [e.start for e in editions if e.primary]
    return min(primary) if primary else min(e.start for e in editions)
