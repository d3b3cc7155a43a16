"""Breakers of the general rules: the committee decides, within its authority, and the open window of the 2019 text."""
from __future__ import annotations

from datetime import date

from cadre_rules.facts import calendar
from cadre_rules.testing import records
from cadre_rules.testing.breakers.registry import breaker, window_of
from cadre_rules.testing.draft import SUBMISSION_DOCS, Draft, Redraw, draw_working_day, pick

# Without a committee decision (GEN-COLLECTIVE) the rules on decisions have nothing to judge; these rules
# judge acts before or after it that stand on their own.
_COLLECTIVE_COMPANIONS = frozenset({"MOT-ANALYSIS", "MOT-INITIATION", "MOT-PRECHECK", "MOT-COMPETITIVE",
    "REC-VALIDITY-1Y", "REC-FORM-ORDER", "REC-PARTICIPANTS", "REC-REF-DIFFERENTIAL", "REC-NOT-BY-VOTES",
    "REC-INDIV-SIGNED", "INS-TARGET-COLLECTIVE", "INS-TEAM-2", "INS-STEPS", "INS-MATERIALS", "DISQ-LIST",
    "APT-PUB-5WD", "APT-PUB-WINDOW", "APT-PUB-SCOPE", "APT-PUB-OUTCOME", "APT-PROBATION", "APT-TALK",
    "QUAL-TRAINING", "GEN-AUTHORITY", "RPT-SUBMISSION", "RPT-FILING"})


def _version_window() -> tuple[date, date]:
    """GEN-VERSION's window in force, from the rulebook (`effective: {from, to}`)."""
    window = window_of("meeting_in_window")
    assert window is not None, "the rule with a closed window has no breaker"
    return window


@breaker("GEN-VERSION", needs={"meeting_in_window"}, conflicts={"MOT-ANALYSIS", "MOT-PRECHECK", "REC-REF-DIFFERENTIAL"})
def _break_version(d: Draft) -> str:
    """GEN-VERSION: the meeting falls between the 2019 text's date and its release (the plan put it there)."""
    if not _version_window()[0] <= d.meeting.date <= _version_window()[1]:
        raise Redraw
    return "meeting_in_open_window"


@breaker("GEN-COLLECTIVE", rebuilds={"county_chief", "reconsideration"},
         companions=_COLLECTIVE_COMPANIONS)
def _break_collective(d: Draft) -> str:
    """GEN-COLLECTIVE: the appointment rests on a secretaries' or department meeting, not a committee decision."""
    variant = pick(d, "secretaries_meeting", "department_meeting")
    for meeting in d.meetings:
        meeting.kind = variant.removesuffix("_meeting")
    return variant


@breaker("GEN-AUTHORITY", late=True, rebuilds={"managed_by_superior"})
def _break_authority(d: Draft) -> str:
    """GEN-AUTHORITY: the post is managed by the superior, whose approval is missing or comes after the notice."""
    rng, case = d.rng, d.case
    case["post"]["managed_by"] = "superior-committee"
    first = min(a["date"] for a in case["appointments"])
    variant = pick(d, None if "RPT-SUBMISSION" in d.rules else "no_submission", "rejected", "approved_after_notice")
    if variant == "no_submission":
        case.pop("submission", None)
        return variant
    sent = draw_working_day(rng, d.decided, first)
    if variant == "rejected":
        case["submission"] = records.submission(sent, SUBMISSION_DOCS, draw_working_day(rng, sent, first), "rejected")
    else:
        case["submission"] = records.submission(sent, SUBMISSION_DOCS, calendar.add_working_days(first, rng.randint(1, 10)),
                                                "approved")
    return variant
