"""Breakers of democratic recommendation (民主推荐): required, recent, in order, with the right participants."""
from __future__ import annotations

from datetime import date

from cadre_rules.facts import calendar
from cadre_rules.facts.periods import anniversary
from cadre_rules.testing.applicability import edition_start, rulebook
from cadre_rules.testing.breakers.registry import breaker
from cadre_rules.testing.draft import CATEGORIES, Draft, Redraw, draw_working_day, pick, target_item


@breaker("REC-REQUIRED", moves=("promotion", "further_use"), needs={"recommendation", "unrecommended_candidate"},
         rebuilds={"change_of_term"}, conflicts={"REC-NOT-BY-VOTES"})
def _break_recommendation(d: Draft) -> str:
    """REC-REQUIRED: the candidate reaches the meeting without any recommendation result."""
    candidate = target_item(d).candidate
    kept = []
    for rec in d.case["recommendations"]:
        rec["results"] = [r for r in rec["results"] if r["candidate"] != candidate]
        if rec["results"]:
            kept.append(rec)
    d.case["recommendations"] = kept
    return "not_recommended"


@breaker("REC-VALIDITY-1Y", needs={"recommendation", "stale_recommendation"}, latest_motion=date(2025, 4, 30))
def _break_validity(d: Draft) -> str:
    """REC-VALIDITY-1Y: the targets are fixed more than a year after the recommendation (the plan left the gap)."""
    last = max(r["date"] for r in d.case["recommendations"])
    if d.dates["target"] <= anniversary(last, 1):
        raise Redraw
    return "recommended_over_a_year_before"


@breaker("REC-FORM-ORDER", needs={"recommendation"}, rebuilds={"change_of_term"})
def _break_form_order(d: Draft) -> str:
    """REC-FORM-ORDER: a second meeting round outside a change of term, or (2019 text) a change of term
    recommended by meeting without the talks first."""
    rng, recs = d.rng, d.case["recommendations"]
    term = (len(d.inspected) > d.case["post"]["posts_to_fill"] and min(r["date"] for r in recs) >= edition_start("2019")
            and not d.rules & {"REC-REF-DIFFERENTIAL", "INS-TARGET-COLLECTIVE", "MOT-INITIATION"}
            and any(r["form"] == "meeting" for r in recs))
    variant = pick(d, "second_meeting_round", "change_of_term_without_talks" if term else None)
    if variant == "change_of_term_without_talks":
        d.case["change_of_term"] = True
        d.case["recommendations"] = [r for r in recs if r["form"] != "talk"]
        return variant
    last = recs[-1]
    stale = "REC-VALIDITY-1Y" in d.rules  # the second round too must be over a year old at the targets
    day = draw_working_day(rng, calendar.add_working_days(last["date"], 1), calendar.add_working_days(last["date"], 2) if stale else d.dates["target"])
    if stale and d.dates["target"] <= anniversary(day, 1):
        raise Redraw
    results = [{"candidate": r["candidate"], "votes": r["votes"]} for r in last["results"]]
    recs.append({"id": f"r{len(recs) + 1}", "form": "second_meeting", "date": day,
                 "participants_expected": last["participants_expected"], "participants_actual": last["participants_actual"],
                 "results": results})
    return variant


@breaker("REC-PARTICIPANTS", needs={"recommendation"})
def _break_participants(d: Draft) -> str:
    """REC-PARTICIPANTS: a category of participants the rules require is absent."""
    rng = d.rng
    if not d.case["recommendations"]:
        raise Redraw
    rnd = rng.choice(d.case["recommendations"])
    required = list(CATEGORIES[:rng.randint(2, len(CATEGORIES))])
    rnd["required_categories"] = required
    absent = rng.choice(required)
    rnd["participant_categories"] = [c for c in required if c != absent]
    return "category_absent"


@breaker("REC-ATTENDANCE", needs={"recommendation"})
def _break_attendance(d: Draft) -> str:
    """REC-ATTENDANCE: fewer attend a recommendation meeting than the local share of those due (only where a
    profile switches the rule on; the share is the profile's). The votes stay as they were: more were due."""
    params = rulebook(d.profile).rules[rulebook(d.profile).ids.index("REC-ATTENDANCE")].parameters
    numerator, denominator = params["numerator"].default, params["denominator"].default
    meetings = [r for r in d.case["recommendations"] if r["form"] in ("meeting", "second_meeting")]
    if not meetings:
        raise Redraw
    rnd = d.rng.choice(meetings)
    actual = rnd["participants_actual"]
    # the smallest number due that `actual` falls short of, and a few more
    rnd["participants_expected"] = actual * denominator // numerator + 1 + d.rng.randint(0, actual // 3)
    return "attendance_short"


@breaker("REC-REF-DIFFERENTIAL", needs={"recommendation", "two_rounds"})
def _break_reference(d: Draft) -> str:
    """REC-REF-DIFFERENTIAL: the meeting after the talks is offered no more names than posts (2019 text)."""
    posts = d.case["post"]["posts_to_fill"]
    rnd = next((r for r in d.case["recommendations"] if "reference_list" in r), None)
    if rnd is None:
        raise Redraw
    variant = pick(d, "as_many_names_as_posts", "no_reference_list")
    if variant == "no_reference_list":
        del rnd["reference_list"]
    else:
        rnd["reference_list"] = rnd["reference_list"][:posts]
    return variant


@breaker("REC-NOT-BY-VOTES", needs={"recommendation", "two_candidates"})
def _break_by_votes(d: Draft) -> str:
    """REC-NOT-BY-VOTES: the target with the fewest votes is chosen without a recorded reason."""
    rng, recs = d.rng, d.case["recommendations"]
    target = rng.choice(d.inspected)
    final = {res["candidate"]: res for rec in recs for res in rec["results"]}
    if target not in final or len(final) < 2:
        raise Redraw
    floor = min(res["votes"] for cid, res in final.items() if cid != target)
    if floor < 2:
        raise Redraw
    final[target]["votes"] = rng.randint(0, floor - 1)
    d.inspection_of(target)["target_decision"]["rationale"] = None
    return "fewest_votes_no_reason"


@breaker("REC-INDIV-SIGNED", rebuilds={"nomination"})
def _break_nomination(d: Draft) -> str:
    """REC-INDIV-SIGNED: an individual nomination without a signed written statement."""
    d.case["nominations"] = [{"nominator": d.names(), "candidate": d.rng.choice(d.inspected), "signed": False}]
    return "unsigned_nomination"


@breaker("REC-CANVASSING", needs={"recommendation"})
def _break_canvassing(d: Draft) -> str:
    """REC-CANVASSING: canvassing (拉票) for an adopted candidate was established, before the decision or after it."""
    rng = d.rng
    adopted = [i for i in d.meeting.items if i.adopted]
    if d.meeting.kind not in ("decision", "full_committee") or not adopted or not d.case["recommendations"]:
        raise Redraw
    candidate = rng.choice(adopted).candidate
    touched = [r["id"] for r in d.case["recommendations"] if any(x["candidate"] == candidate for x in r["results"])]
    variant = pick(d, "petition_before_decision", "inspection_before_decision", "discipline_after_decision")
    first = min(r["date"] for r in d.case["recommendations"])
    found = (calendar.add_working_days(d.meeting.date, rng.randint(5, 40)) if variant == "discipline_after_decision"
             else draw_working_day(rng, calendar.add_working_days(first, 1), d.meeting.date))
    findings = d.case.setdefault("canvassing_findings", [])
    findings.append({"id": f"lp{len(findings) + 1}", "candidate": candidate,
                     "recommendation": touched[0] if touched else None, "date": found, "source": variant.split("_")[0]})
    return variant
