"""Breakers of the motion (动议): analysis first, a reported and reasoned initiation, a vacancy, no ad-hoc names."""
from __future__ import annotations


from cadre_rules.facts import calendar
from cadre_rules.testing import records
from cadre_rules.testing.breakers.registry import breaker
from cadre_rules.testing.draft import Draft, pick, target_item

# Rules on the motion itself: without a motion on record they could not be broken.
_MOTION_RULES = frozenset({"MOT-ANALYSIS", "MOT-INITIATION", "MOT-PRECHECK", "MOT-COMPETITIVE"})


@breaker("MOT-ANALYSIS")
def _break_analysis(d: Draft) -> str:
    """MOT-ANALYSIS: no analysis of the team and cadres before the motion (2019 text)."""
    motion = d.case["motion"]
    variant = pick(d, "no_analysis", "analysis_after_motion")
    if variant == "no_analysis":
        motion.pop("analysis_date", None)
    else:
        motion["analysis_date"] = calendar.add_working_days(motion["date"], d.rng.randint(1, 5))
    return variant


@breaker("MOT-INITIATION")
def _break_initiation(d: Draft) -> str:
    """MOT-INITIATION: an improper proposer, a missing step, or the steps out of order."""
    rng, motion = d.rng, d.case["motion"]
    late_plan = d.case["recommendations"] and "REC-REQUIRED" not in d.rules  # which may drop the first round
    variant = pick(d, "no_work_plan", "not_reported_to_principal", "improper_proposer",
                    "work_plan_after_recommendation" if late_plan else None, "consulted_before_reporting")
    if variant == "no_work_plan":
        del motion["work_plan_date"]
    elif variant == "not_reported_to_principal":
        del motion["reported_to_principal"]
    elif variant == "improper_proposer":
        motion["proposer"] = rng.choice(("deputy_leader", "individual"))
    elif variant == "work_plan_after_recommendation":
        first = min(r["date"] for r in d.case["recommendations"])
        motion["work_plan_date"] = calendar.add_working_days(first, rng.randint(1, 3))
    else:
        motion["consultation_dates"] = [motion["date"]] + motion["consultation_dates"]
        motion["reported_to_principal"] = calendar.add_working_days(motion["date"], 1)
    return variant


@breaker("MOT-VACANCY")
def _break_vacancy(d: Draft) -> str:
    """MOT-VACANCY: the adopted candidates push holders above the quota without an approved report."""
    rng, post = d.rng, d.case["post"]
    d.case["prior_reports"] = [r for r in d.case["prior_reports"] if r["matter"] != "over_quota"]
    variant = rng.choice(("post_filled", "quota_cut", "report_not_approved"))
    if variant == "quota_cut":
        post["quota"] = post["incumbents"] + len(d.adopted) - 1
        return variant
    post["incumbents"] = post["quota"] - len(d.adopted) + 1 + rng.randint(0, 1)
    if variant == "report_not_approved":
        submitted = calendar.add_working_days(d.meeting.date, -rng.randint(3, 8))
        if rng.random() < 0.5:
            d.case["prior_reports"].append(records.prior_report(
                "pr-quota", "over_quota", submitted, calendar.add_working_days(d.meeting.date, -1), "rejected"))
        else:  # approved, but only after the decision
            d.case["prior_reports"].append(records.prior_report(
                "pr-quota", "over_quota", submitted, calendar.add_working_days(d.decided, rng.randint(0, 3)), "approved"))
    return variant


@breaker("MOT-NO-ADHOC")
def _break_adhoc(d: Draft) -> str:
    """MOT-NO-ADHOC: an item raised at the meeting, not circulated, or with no motion on record."""
    variant = pick(d, "added_at_meeting", "not_circulated", None if d.rules & _MOTION_RULES else "no_motion")
    if variant == "no_motion":
        del d.case["motion"]
        return variant
    item = target_item(d)
    item.circulated = False
    item.added_at_meeting = variant == "added_at_meeting"
    return variant


@breaker("MOT-PRECHECK", rebuilds={"precheck"})
def _break_precheck(d: Draft) -> str:
    """MOT-PRECHECK: a blocking problem found by the early check of an intended candidate is left open."""
    rng, motion = d.rng, d.case["motion"]
    kind = rng.choice(("personal_matters", "file", "integrity"))
    motion["prechecks"] = [{"kind": kind, "date": calendar.add_working_days(motion["date"], rng.randint(0, 3)), "blocking": True}]
    return f"{kind}_unresolved"


@breaker("MOT-COMPETITIVE", rebuilds={"competitive"})
def _break_competitive(d: Draft) -> str:
    """MOT-COMPETITIVE: competitive selection without a reason, or relaxed eligibility not approved first."""
    rng, motion = d.rng, d.case["motion"]
    motion.pop("method_reason", None)
    variant = pick(d, "no_reason", "relaxation_not_reported", "relaxation_approved_after_motion")
    if variant == "no_reason":
        motion["method"] = rng.choice(("competition", "open_selection"))
        return variant
    motion["eligibility_relaxations"] = [rng.choice(("age", "years_in_level", "education"))]
    if variant == "relaxation_approved_after_motion":
        d.approve("eligibility_relaxation", calendar.add_working_days(motion["date"], rng.randint(1, 5)), submitted=motion["date"])
    return variant
