"""The registry of breakers and what a set of injected rules asks of a case (see the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Callable, Iterable

from cadre_rules.testing.applicability import DIVISION_SETTINGS, applicability
from cadre_rules.testing.draft import Draft

__all__ = ["BREAKERS", "DIVISION_SETTINGS", "NEEDS", "REBUILDS", "Breaker", "Injection", "breaker", "compatible",
           "injectable", "injection", "rebuilding", "window_of"]

#: Features a plan can be asked for.
NEEDS = {
    "recommendation": "a democratic recommendation on record (a transfer may have none)",
    "two_candidates": "a second candidate besides the one the breaker works on",
    "unrecommended_candidate": "a second candidate when other injected rules need the recommendation kept",
    "two_rounds": "talks first, then a meeting recommendation",
    "reconsideration": "a reconsideration (复议) meeting after the decision",
    "stale_recommendation": "a recommendation more than a year before the inspection targets",
    "meeting_in_window": "the decision meeting inside the rule's closed window in force",
    "unpublicised_seat": "two seats, so that one adopted candidate can go unpublicised",
    "publicity": "a publicity (公示) to break",
}
#: Compliant variations of clean cases that a breaker can switch off.
REBUILDS = {
    "breakthrough": "an approved 破格", "sanction": "an old sanction with its reuse approved",
    "relatives": "relatives outside the avoidance lines", "managed_by_superior": "a post managed by the superior",
    "dual_management": "a co-managed post", "nomination": "a signed nomination", "precheck": "early checks",
    "competitive": "competitive selection", "objection": "a resolved publicity objection",
    "home_place": "home-place avoidance respected", "change_of_term": "a change of term (换届)",
    "county_chief": "a county chief decided between plenums", "reconsideration": "a reconsideration meeting",
    "principal_absent": "the principal leader away from the meeting", "audit": "an economic audit",
    "filing_omitted": "no filing where none is due", "non_party": "a non-CPC candidate",
}


@dataclass(frozen=True)
class Breaker:
    """A registered breaker and what it declares (see the module docstring)."""

    rule_id: str
    apply: Callable[[Draft], str]
    late: bool = False
    moves: tuple[str, ...] | None = None
    settings: tuple[str, ...] | None = None
    post: str | None = None  # chief | deputy
    needs: frozenset[str] = frozenset()
    rebuilds: frozenset[str] = frozenset()
    conflicts: frozenset[str] = frozenset()
    companions: frozenset[str] | None = None
    latest_motion: date | None = None


BREAKERS: dict[str, Breaker] = {}


def breaker(rule_id: str, *, late: bool = False, moves: tuple[str, ...] | None = None,
            settings: tuple[str, ...] | None = None, post: str | None = None, needs: Iterable[str] = (),
            rebuilds: Iterable[str] = (), conflicts: Iterable[str] = (), companions: Iterable[str] | None = None,
            latest_motion: date | None = None) -> Callable[[Callable[[Draft], str]], Callable[[Draft], str]]:
    """Register the decorated function as the breaker of `rule_id`."""
    unknown = (set(needs) - set(NEEDS)) | (set(rebuilds) - set(REBUILDS))
    if rule_id in BREAKERS or unknown or post not in (None, "chief", "deputy"):
        raise ValueError(f"breaker {rule_id}: registered twice, or unknown needs/rebuilds/post {sorted(unknown)} {post}")

    def register(fn: Callable[[Draft], str]) -> Callable[[Draft], str]:
        BREAKERS[rule_id] = Breaker(rule_id, fn, late, moves, settings, post, frozenset(needs), frozenset(rebuilds),
                                    frozenset(conflicts), None if companions is None else frozenset(companions),
                                    latest_motion)
        return fn
    return register


def injectable(profile: str = "national") -> tuple[str, ...]:
    """Rules that can be injected in `profile`, in breaker order: those with a breaker that the profile
    does not switch off (a rule whose parameter `applies` is false there cannot fire)."""
    rules = applicability(profile)
    return tuple(r for r in BREAKERS if r in rules and rules[r].switched_on)


@dataclass(frozen=True)
class Injection:
    """What a set of injected rules asks of the case: the union of their breakers' declarations and the
    intersection of the moves, settings and dates where each can be violated."""

    rules: frozenset[str]
    needs: frozenset[str]
    rebuilds: frozenset[str]
    moves: tuple[str, ...] | None
    settings: tuple[str, ...] | None
    post: str | None
    earliest: date | None  # the latest first day in force among the rules
    latest: date | None  # the earliest `latest_motion`
    window: tuple[date, date] | None  # where the decision meeting must fall (`meeting_in_window`)


def _meet(a: tuple[str, ...] | None, b: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if a is None or b is None:
        return a if b is None else b
    return tuple(x for x in a if x in b)


@lru_cache(maxsize=4096)
def injection(rules: frozenset[str], profile: str = "national") -> Injection:
    """The combined declaration of `rules` (each must have a breaker)."""
    facts = applicability(profile)
    chosen = [BREAKERS[r] for r in BREAKERS if r in rules]
    needs = frozenset().union(*(b.needs for b in chosen))
    rebuilds = frozenset().union(*(b.rebuilds for b in chosen))
    moves = settings = None
    posts = {b.post for b in chosen if b.post}
    window = None
    for b in chosen:
        moves = _meet(_meet(moves, b.moves), facts[b.rule_id].moves)
        settings = _meet(_meet(settings, b.settings), facts[b.rule_id].settings)
        if "meeting_in_window" in b.needs:
            window = (facts[b.rule_id].start, facts[b.rule_id].end)
    starts = [facts[b.rule_id].start for b in chosen]
    latest = [b.latest_motion for b in chosen if b.latest_motion]
    return Injection(rules, needs, rebuilds, moves, settings, posts.pop() if len(posts) == 1 else None,
                     max(starts) if starts else None, min(latest) if latest else None, window)


def compatible(rules: Iterable[str]) -> bool:
    """Whether one case can break all these rules and no other."""
    rules = frozenset(rules)
    chosen = [BREAKERS[r] for r in rules]
    if any(b.conflicts & rules or (b.companions is not None and not rules - {b.rule_id} <= b.companions)
           for b in chosen):
        return False
    if len({b.post for b in chosen if b.post}) > 1:
        return False
    inj = injection(rules)
    if inj.settings == () or inj.moves == ():  # e.g. a section-level rule with a county/division-level one
        return False
    # One adopted candidate publicised and one not needs two seats, which a single chief post does not have.
    return not ({"unpublicised_seat", "publicity"} <= inj.needs and inj.post == "chief")


def window_of(need: str, profile: str = "national") -> tuple[date, date] | None:
    """The closed window in force of the rule whose breaker needs `need` (clean cases stay out of it)."""
    facts = applicability(profile)
    for b in BREAKERS.values():
        if need in b.needs and facts[b.rule_id].end is not None:
            return facts[b.rule_id].start, facts[b.rule_id].end
    return None


def rebuilding(variation: str) -> frozenset[str]:
    """The rules whose breakers rebuild `variation` (see REBUILDS)."""
    return frozenset(r for r, b in BREAKERS.items() if variation in b.rebuilds)
