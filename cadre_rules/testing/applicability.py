"""What the rulebook itself says about where a rule can be broken: its window in force, the editions,
whether the profile switches it on, and which moves and settings its condition is limited to.

Why this exists: the generator must only inject a violation into a case the rule judges, and it used
to keep its own tables of in-force dates and promotion-only rules, which drifted whenever a rule
changed. Everything here is read from the loaded rulebook (rule `effective`, `editions.yaml`, the
profile's parameters, the top-level conjuncts of the rule's `when`), so a new rule needs no table.
No rule id appears here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from cadre_rules.rulebook import Rulebook, ir, load_rulebook
from cadre_rules.rulebook.model import Rule

#: Case facts whose truth, as a top-level conjunct of a rule's condition, limits the moves it judges.
_MOVE_FLAGS = {"is_promotion": ("promotion",)}
#: The same for the synthetic settings: posts at county/division level and above exist in these.
DIVISION_SETTINGS = ("city", "province_dept")
_SETTING_FLAGS = {"division_or_above": DIVISION_SETTINGS}


@dataclass(frozen=True)
class Applicability:
    """Where one rule can be violated, according to the rulebook."""

    rule_id: str
    start: date  # first day in force
    end: date | None  # last day in force, None while in force
    switched_on: bool  # False when the profile sets the rule's `applies` parameter to false
    moves: tuple[str, ...] | None  # the moves its condition is limited to (None: any move)
    settings: tuple[str, ...] | None  # the synthetic settings it can judge (None: any)


@lru_cache(maxsize=4)
def rulebook(profile: str = "national") -> Rulebook:
    """The bundled rulebook in `profile` (loaded once per process)."""
    return load_rulebook(profile=profile)


def _conjuncts(node: ir.Node):
    if isinstance(node, ir.BoolOp) and node.op == "and":
        for item in node.items:
            yield from _conjuncts(item)
    else:
        yield node


def _case_flags(rule: Rule) -> set[str]:
    """Boolean case facts the rule's condition requires outright (`case.is_promotion and …`)."""
    kinds = dict(rule.match)
    return {c.name for c in _conjuncts(rule.when) if isinstance(c, ir.FieldRef) and kinds.get(c.alias) == "case"}


def _limit(flags: set[str], table: dict[str, tuple[str, ...]]) -> tuple[str, ...] | None:
    allowed: tuple[str, ...] | None = None
    for flag, values in table.items():
        if flag in flags:
            allowed = values if allowed is None else tuple(v for v in allowed if v in values)
    return allowed


@lru_cache(maxsize=4)
def applicability(profile: str = "national") -> dict[str, Applicability]:
    """Every rule of the bundled rulebook in `profile`, by id, in rulebook order."""
    out: dict[str, Applicability] = {}
    for rule in rulebook(profile).rules:
        applies = rule.parameters.get("applies")
        flags = _case_flags(rule)
        out[rule.id] = Applicability(rule.id, rule.effective_from, rule.effective_to,
                                     applies is None or bool(applies.default), _limit(flags, _MOVE_FLAGS),
                                     _limit(flags, _SETTING_FLAGS))
    return out


def edition_start(edition: str, profile: str = "national") -> date:
    """First day of an edition or companion instrument (`editions.yaml`)."""
    return rulebook(profile).editions[edition].start
