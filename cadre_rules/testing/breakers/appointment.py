"""Breakers of publicity, probation, the appointment talk and the tenure start (任职)."""
from __future__ import annotations

from datetime import date, timedelta

from cadre_rules.facts import calendar
from cadre_rules.testing import records
from cadre_rules.facts.periods import anniversary
from cadre_rules.testing.breakers.registry import breaker, rebuilding
from cadre_rules.testing.breakers.shared import extend_record, ensure_breakthrough
from cadre_rules.testing.draft import Draft, Redraw, draw_working_day, pick


def _publicised(d: Draft) -> list[str]:
    """Adopted candidates that still have a publicity (APT-PUB-SCOPE may have removed one)."""
    return [c for c in d.adopted if d.publicity_of(c) is not None]


@breaker("APT-PUB-SCOPE", needs={"unpublicised_seat"})
def _break_publicity_scope(d: Draft) -> str:
    """APT-PUB-SCOPE: a promotion without any pre-appointment publicity."""
    keep = 1 if d.rules & {"APT-PUB-5WD", "APT-PUB-WINDOW", "APT-PUB-OUTCOME"} else 0
    candidates = _publicised(d)
    if len(candidates) <= keep:
        raise Redraw
    d.case["publicity"].remove(d.publicity_of(d.rng.choice(candidates)))
    return "no_publicity"


@breaker("APT-PUB-5WD", moves=("promotion", "further_use"), needs={"publicity"})
def _break_publicity_length(d: Draft) -> str:
    """APT-PUB-5WD: the publicity runs fewer than five working days (often a calendar week over a holiday)."""
    rng = d.rng
    pub = d.publicity_of(rng.choice(_publicised(d)))
    week_end = pub["start"] + timedelta(days=6)
    if calendar.working_days_inclusive(pub["start"], week_end) < 5:
        pub["end"], variant = week_end, "calendar_week_over_holiday"
    else:
        pub["end"], variant = calendar.add_working_days(pub["start"], rng.randint(2, 4) - 1), "short"
    pub.pop("objections", None)
    notice = d.notice_of(pub["candidate"])
    if notice["date"] <= pub["end"]:
        notice["date"] = calendar.add_working_days(pub["end"], rng.randint(1, 3))
        d.reschedule_filing(pub["candidate"])
    return variant


@breaker("APT-PUB-WINDOW", needs={"publicity"}, rebuilds={"breakthrough"})
def _break_publicity_window(d: Draft) -> str:
    """APT-PUB-WINDOW: the publicity does not end after the decision and before the appointment notice, or a
    破格 promotion's publicity does not state the ground."""
    rng = d.rng
    candidate = rng.choice(_publicised(d))
    pub = d.publicity_of(candidate)
    notice = d.notice_of(candidate)
    decided = "GEN-COLLECTIVE" not in d.rules  # without a decision, only the notice's timing can be wrong
    moved = decided and "APT-PUB-5WD" not in d.rules  # moving the publicity would undo its shortening
    statement = decided and ("breakthrough" in d.case or not d.rules & (rebuilding("breakthrough") - {"APT-PUB-WINDOW"}))
    variant = pick(d, "notice_during_publicity", "publicity_before_decision" if moved else None,
                    "breakthrough_not_stated" if statement else None)
    pub.pop("objections", None)
    if variant == "breakthrough_not_stated":
        ensure_breakthrough(d)
        pub["breakthrough_statement"] = False
        return variant
    if variant == "notice_during_publicity":
        notice["date"] = draw_working_day(rng, pub["start"], pub["end"])
    else:
        pub["start"] = calendar.add_working_days(d.meeting.date, -rng.randint(1, 3))
        pub["end"] = calendar.add_working_days(pub["start"], rng.randint(5, 7) - 1)
        notice["date"] = calendar.add_working_days(max(pub["end"], d.decided), rng.randint(1, 3))
    d.reschedule_filing(candidate)
    return variant


@breaker("APT-PUB-OUTCOME", moves=("promotion", "further_use"), needs={"publicity"}, rebuilds={"objection"})
def _break_publicity_outcome(d: Draft) -> str:
    """APT-PUB-OUTCOME: the notice is issued while a publicity objection is unresolved, or despite one found
    to affect the appointment."""
    rng = d.rng
    pub = d.publicity_of(rng.choice(_publicised(d)))
    notice = d.notice_of(pub["candidate"])
    received = draw_working_day(rng, pub["start"], min(pub["end"], notice["date"]))
    variant = pick(d, "unresolved_at_notice", "resolved_after_notice", "affects_appointment")
    if variant == "resolved_after_notice":
        objection = records.objection(received, resolved=calendar.add_working_days(notice["date"], rng.randint(1, 10)))
    elif variant == "affects_appointment":
        objection = records.objection(received, True, draw_working_day(rng, received, notice["date"]))
    else:
        objection = records.objection(received)
    pub["objections"] = [objection]
    return variant


@breaker("APT-PROBATION", late=True, latest_motion=date(2025, 5, 31))
def _break_probation(d: Draft) -> str:
    """APT-PROBATION: a probationary post without a one-year probation on record, or not assessed at its end."""
    rng, case = d.rng, d.case
    case["post"]["probation"] = True
    for a in case["appointments"]:
        if "probation" not in a:
            end = anniversary(a["date"], 1)
            a["probation"] = records.probation(a["date"], end, end + timedelta(days=rng.randint(3, 30)), "confirmed")
    notice = rng.choice(case["appointments"])
    variant = pick(d, "no_probation", "probation_under_a_year", "not_assessed")
    if variant == "no_probation":
        del notice["probation"]
    elif variant == "probation_under_a_year":
        notice["probation"].update(planned_end=notice["date"] + timedelta(days=rng.randint(90, 270)))
    else:
        del notice["probation"]["assessment_date"], notice["probation"]["result"]
        extend_record(d, notice["probation"]["planned_end"] + timedelta(days=rng.randint(5, 60)))
    return variant


@breaker("APT-TALK", late=True)
def _break_talk(d: Draft) -> str:
    """APT-TALK: no appointment talk on record, or one held before the decision."""
    notice = d.rng.choice(d.case["appointments"])
    variant = pick(d, "no_talk", None if "GEN-COLLECTIVE" in d.rules else "talk_before_decision")
    if variant == "no_talk":
        del notice["talk"]
    else:
        notice["talk"]["date"] = calendar.add_working_days(d.decided, -d.rng.randint(1, 5))
    return variant


@breaker("APT-TENURE-START", late=True)
def _break_tenure(d: Draft) -> str:
    """APT-TENURE-START: the recorded tenure start is not the decision date (the notice or talk date instead)."""
    notice = d.rng.choice(d.case["appointments"])
    variant = pick(d, "tenure_from_notice", "tenure_from_talk" if "talk" in notice else None)
    notice["tenure_start"] = notice["date"] if variant == "tenure_from_notice" else notice["talk"]["date"]
    return variant
