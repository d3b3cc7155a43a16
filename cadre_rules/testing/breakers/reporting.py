"""Breakers of reports to the superior (报告、审批、备案) and avoidance (回避)."""
from __future__ import annotations

from typing import Any

from cadre_rules.facts import calendar
from cadre_rules.testing import records
from cadre_rules.facts.periods import add_months
from cadre_rules.testing.breakers.registry import breaker
from cadre_rules.testing.draft import COUNTIES, KINSHIPS_IN_SCOPE, SUBMISSION_DOCS, Draft, draw_working_day, pick


@breaker("RPT-PRIOR-MATTERS", rebuilds={"sanction", "relatives"})
def _break_prior_matters(d: Draft) -> str:
    """RPT-PRIOR-MATTERS: a reportable matter (a unit head's relative, reuse after a sanction) not approved
    by the superior before the meeting."""
    rng, case = d.rng, d.case
    sanction = case["move"] != "lateral_transfer" and "DISQ-DISCIPLINE-PERIOD" not in d.rules
    variant = pick(d, "relative_of_unit_head_not_reported", "relative_approved_after_meeting",
                    "sanction_reuse_not_reported" if sanction else None)
    cid = rng.choice(d.adopted)
    if variant == "sanction_reuse_not_reported":
        d.candidate(cid)["sanctions"] = [{"system": "administrative", "type": "warning",
                                          "decision_date": add_months(d.decided.replace(day=1), -rng.randint(20, 60))}]
        case["prior_reports"] = [r for r in case["prior_reports"] if r["matter"] != "sanction_reuse"]
        return variant
    case.setdefault("colleagues", []).append({"id": "x8", "name": d.names(), "post": d.setting.unit_leader,
                                              "leads_organ": True})
    case["relations"].append({"person": "x8", "relative": cid, "kind": rng.choice(("sibling", "cousin", "uncle_aunt",
                                                                                    "sibling_in_law"))})
    if variant == "relative_approved_after_meeting":
        d.approve("relative", calendar.add_working_days(d.meeting.date, rng.randint(0, 5)))
    return variant


@breaker("RPT-SUBMISSION", late=True, rebuilds={"managed_by_superior"})
def _break_submission(d: Draft) -> str:
    """RPT-SUBMISSION: the submission to the superior lacks required documents, or precedes the decision."""
    rng, case = d.rng, d.case
    case["post"]["managed_by"] = "superior-committee"
    first = min(a["date"] for a in case["appointments"])
    if "submission" not in case:
        sent = draw_working_day(rng, d.decided, first)
        case["submission"] = records.submission(sent, SUBMISSION_DOCS, draw_working_day(rng, sent, first), "approved")
    sub = case["submission"]
    variant = pick(d, "documents_missing", None if "GEN-COLLECTIVE" in d.rules else "submitted_before_decision")
    if variant == "documents_missing":
        missing = set(rng.sample(SUBMISSION_DOCS[1:], rng.randint(1, 3)))
        sub["docs"] = [doc for doc in sub["docs"] if doc not in missing]
    else:
        sub["date"] = calendar.add_working_days(d.decided, -rng.randint(1, 5))
    return variant


@breaker("RPT-FILING", rebuilds={"filing_omitted"})
def _break_filing(d: Draft) -> str:
    """RPT-FILING: the appointment is not filed, or filed more than seven working days after the notice."""
    rng = d.rng
    candidate = rng.choice(d.adopted)
    d.case["post"]["filing_required"] = True
    variant = rng.choice(("not_filed", "filed_late"))
    d.case["filings"] = [f for f in d.case["filings"] if f["candidate"] != candidate]
    if variant == "filed_late":
        d.case["filings"].append(records.filing(
            f"f-{candidate}", candidate, calendar.add_working_days(d.notice_of(candidate)["date"], rng.randint(8, 25)),
            d.superior))
    return variant


@breaker("AVD-KINSHIP", rebuilds={"relatives"})
def _break_kinship(d: Draft) -> str:
    """AVD-KINSHIP: a close relative in the line of authority or under the same leader, heading the unit of a
    finance or personnel post, or running a business the post regulates."""
    rng, case = d.rng, d.case
    cid = rng.choice(d.inspected)
    leads = "RPT-PRIOR-MATTERS" not in d.rules
    variant = pick(d, "relative_in_direct_line", "relative_under_same_leader", "relative_business_regulated",
                    "relative_heads_unit_of_finance_post" if leads else None)
    if variant == "relative_business_regulated":
        case["relatives_business"] = [{"relative": rng.choice(("配偶", "子女", "子女的配偶")),
                                       "business": "某工程建设有限公司", "regulated_by_post": True}]
        return variant
    colleague: dict[str, Any] = {"id": "x9", "name": d.names(), "post": f"{d.setting.post_unit}干部"}
    if variant == "relative_in_direct_line":
        colleague["direct_line"] = True
    elif variant == "relative_under_same_leader":
        colleague["same_supervisor"] = True
    else:
        colleague.update(post=d.setting.unit_leader, leads_organ=True)
        case["post"]["function"] = rng.choice(("finance", "personnel"))
        d.approve("relative", calendar.add_working_days(d.meeting.date, -rng.randint(1, 5)))
    case.setdefault("colleagues", []).append(colleague)
    case["relations"].append({"person": "x9", "relative": cid, "kind": rng.choice(KINSHIPS_IN_SCOPE)})
    return variant


@breaker("AVD-GEOGRAPHIC", rebuilds={"home_place"})
def _break_geographic(d: Draft) -> str:
    """AVD-GEOGRAPHIC: a post under home-place avoidance given to someone who grew up there."""
    post = d.case["post"]
    post["avoidance_level"] = "county" if d.setting.kind == "county" else "prefecture"
    post["locality"] = d.setting.locality
    for cid in d.inspected:
        d.candidate(cid).setdefault("growth_place", d.rng.choice([p + "县" for p in COUNTIES
                                                                   if p + "县" != d.setting.locality]))
    d.candidate(d.rng.choice(d.inspected))["growth_place"] = d.setting.locality
    return f"{post['avoidance_level']}_home_place"
