"""Helpers more than one stage's breakers use."""
from __future__ import annotations

from datetime import date
from typing import Any

from cadre_rules.testing.draft import Draft, approved_breakthrough


def extend_record(d: Draft, as_of: date) -> None:
    """The closed case's record runs to `as_of` (the follow-up of the first year in office)."""
    if "as_of" not in d.case or d.case["as_of"] < as_of:
        d.case["as_of"] = as_of


def ensure_breakthrough(d: Draft) -> dict[str, Any]:
    """The case's 破格 record, drawn (with a listed ground and an approval before the inspection) if missing."""
    if "breakthrough" not in d.case:
        approved_breakthrough(d, "years_in_level")
    return d.case["breakthrough"]
