"""The draft a synthetic case is built in, shared by the generator (synth) and the breakers.

A draft is the case as plain data (dicts with `date` objects) plus what the breakers need to break a rule
without touching the others: the deciding meeting as a plan (who is present, who stays silent, whether
the principal leader speaks last) whose views and votes are settled only after every breaker ran, the
candidates inspected and adopted, and the case's dates. `Redraw` is how a breaker says the drawn case
cannot carry its violation; the generator then draws again from the same random stream.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from cadre_rules.codes import BreakthroughBasis
from cadre_rules.facts import calendar
from cadre_rules.testing import records
from cadre_rules.facts.derive import SUBMISSION_DOCS

if TYPE_CHECKING:
    from cadre_rules.testing.synth import _Names, _Plan, _Setting

__all__ = ["BREAKTHROUGH_BASES", "COUNTIES", "CATEGORIES", "KINSHIPS_IN_SCOPE", "SUBMISSION_DOCS", "Draft", "DraftItem", "DraftMeeting",
           "Redraw", "approved_breakthrough", "draw_working_day", "pick", "target_item"]
COUNTIES = ("清溪", "青石", "云川", "临河", "安平", "长宁", "永和", "白水", "丰乐", "南屏", "石门", "桃源", "柳江", "松阳",
             "望川", "新桥", "凤鸣", "黎山")
KINSHIPS_IN_SCOPE = ("spouse", "parent", "child", "sibling", "uncle_aunt", "nephew_niece", "cousin",
                      "parent_in_law", "child_in_law", "sibling_in_law")
CATEGORIES = ("leadership_team", "department_heads", "subordinate_chiefs", "other_cadres")

BREAKTHROUGH_BASES = BreakthroughBasis.values()


class Redraw(Exception):
    """The drawn case cannot carry the planned violations (e.g. body too small); draw again."""


def draw_working_day(rng: random.Random, first: date, last: date) -> date:
    """A random working day in [first, last] (the calendar's numbering); none there: draw the case again."""
    numbers = calendar.working_day_range(first, last)
    if not numbers:
        raise Redraw
    return calendar.nth_working_day(rng.choice(numbers))


# --- the draft a case is built in --------------------------------------------------------------------

@dataclass
class DraftItem:
    """One agenda item while the meeting is being drafted; views are settled at the end."""

    id: str
    candidate: str
    adopted: bool
    departed: list[str] = field(default_factory=list)
    recused: list[str] = field(default_factory=list)
    circulated: bool = True
    added_at_meeting: bool = False
    vote_method: str | None = "hands"
    bundled: bool = False
    break_pass: bool = False
    split_views: bool = False
    silent: bool = False
    silent_mode: str = "unclear"
    break_last_speaker: bool = False
    presenter: str = "org_lead"  # org_lead | org_head (non-member department head) | other (a plain member)
    explained: bool = False
    consent: int | None = None


@dataclass
class DraftMeeting:
    id: str
    kind: str
    date: date
    due: list[str]
    attendees: list[str]
    non_voting: list[dict[str, Any]]
    items: list[DraftItem]
    principal_first: bool = False
    records: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(
        ("minutes", "discussion_record", "signed_by_chair", "signed_by_recorder"), True))
    urgent: bool | str | None = False


@dataclass
class Draft:
    """A case under construction: the case data (with date objects) and what the breakers need."""

    rng: random.Random
    rules: frozenset[str]
    case: dict[str, Any]
    meetings: list[DraftMeeting]
    principal: str
    org_lead: str
    discipline: str
    inspected: list[str]
    adopted: list[str]
    filing_offset: dict[str, int]
    setting: "_Setting"
    dates: dict[str, date]
    names: "_Names"
    plan: "_Plan"
    quorum_broken: bool = False
    profile: str = "national"  # the rulebook profile the case is drawn for (breakers read its parameters)
    variants: dict[str, str] = field(default_factory=dict)

    @property
    def meeting(self) -> DraftMeeting:
        """The decision meeting (a reconsideration, when there is one, follows it)."""
        return self.meetings[0]

    @property
    def decided(self) -> date:
        """Date of the last adopted decision: publicity, notices and submissions come after it."""
        return self.meetings[-1].date

    @property
    def superior(self) -> str:
        return self.setting.superior

    def present(self, item: DraftItem, meeting: DraftMeeting | None = None) -> list[str]:
        """Members due who are present for this item (attended, did not leave, not recused)."""
        meeting = meeting or self.meeting
        return [x for x in meeting.attendees if x not in item.departed and x not in item.recused]

    def candidate(self, cid: str) -> dict[str, Any]:
        return next(c for c in self.case["candidates"] if c["id"] == cid)

    def inspection_of(self, candidate: str) -> dict[str, Any]:
        return next(i for i in self.case["inspections"] if i["candidate"] == candidate)

    def notice_of(self, candidate: str) -> dict[str, Any]:
        return next(a for a in self.case["appointments"] if a["candidate"] == candidate)

    def publicity_of(self, candidate: str) -> dict[str, Any] | None:
        return next((p for p in self.case["publicity"] if p["candidate"] == candidate), None)

    def reschedule_filing(self, candidate: str) -> None:
        """Keep the filing its planned number of working days after a moved appointment notice."""
        for f in self.case["filings"]:
            if f["candidate"] == candidate:
                f["date"] = calendar.add_working_days(self.notice_of(candidate)["date"], self.filing_offset[candidate])

    def approve(self, matter: str, reply: date, submitted: date | None = None, reply_kind: str = "approved") -> None:
        """A prior report to the superior department on `matter`, answered on `reply`."""
        submitted = submitted or calendar.add_working_days(reply, -self.rng.randint(1, 4))
        number = len(self.case["prior_reports"]) + 1
        self.case["prior_reports"].append(records.prior_report(f"pr{number}-{matter}", matter, submitted, reply, reply_kind))


def approved_breakthrough(d: Draft, item: str, basis: str | None = None) -> None:
    """A 破格 with a listed ground, approved by the superior before the meeting (before the inspection
    started, so that any kind of exception is covered), explained at the meeting and in the publicity."""
    rng = d.rng
    d.case["breakthrough"] = {"basis": basis or rng.choice(BREAKTHROUGH_BASES), "items": [item]}
    d.approve("breakthrough", draw_working_day(d.rng, d.dates["target"], calendar.add_working_days(d.dates["start"], -1)))
    for meeting in d.meetings:
        for it in meeting.items:
            it.explained = True
    for pub in d.case["publicity"]:
        pub["breakthrough_statement"] = True


# --- helpers the breakers share -------------------------------------------------------------------------

def target_item(d: Draft, adopted_only: bool = False) -> DraftItem:
    items = [i for i in d.meeting.items if i.adopted or not adopted_only]
    return d.rng.choice(items)


def pick(d: Draft, *variants: str | None) -> str:
    """One of the variants that the combination allows (None marks one it rules out)."""
    allowed = [v for v in variants if v is not None]
    if not allowed:
        raise Redraw
    return d.rng.choice(allowed)
