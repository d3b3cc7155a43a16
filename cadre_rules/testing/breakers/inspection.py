"""Breakers of inspection (考察): collective targets, a team, its steps, the four musts and the integrity sign-off."""
from __future__ import annotations


from cadre_rules.facts import calendar
from cadre_rules.testing import records
from cadre_rules.testing.breakers.registry import breaker
from cadre_rules.testing.draft import Draft, draw_working_day, pick, target_item


@breaker("INS-TARGET-COLLECTIVE", rebuilds={"change_of_term"})
def _break_target_collective(d: Draft) -> str:
    """INS-TARGET-COLLECTIVE: targets not fixed collectively, or one target per post without concentrated views."""
    one_to_one = len(d.inspected) <= d.case["post"]["posts_to_fill"] and not d.case.get("change_of_term")
    variant = pick(d, "not_collective", "one_to_one_without_concentrated_views" if one_to_one else None)
    ins = d.inspection_of(d.rng.choice(d.inspected))
    if variant == "not_collective":
        ins["target_decision"].update(collective=False, body=f"{d.setting.organisation}主要负责人")
    else:
        ins["target_decision"]["views_concentrated"] = False
    return variant


@breaker("INS-TEAM-2")
def _break_team(d: Draft) -> str:
    """INS-TEAM-2: the inspection team has fewer than two members."""
    ins = d.inspection_of(target_item(d).candidate)
    variant = d.rng.choice(("one_inspector", "no_team"))
    ins["team"] = ins["team"][:1] if variant == "one_inspector" else []
    return variant


_STEP_FIELDS = {"no_plan": "plan_date", "no_notice": "notice_date", "no_unit_consultation": "unit_consultation_date",
                "no_feedback": "feedback_date", "no_department_review": "department_review_date"}


@breaker("INS-STEPS")
def _break_steps(d: Draft) -> str:
    """INS-STEPS: a mandatory inspection step missing, or out of order."""
    rng = d.rng
    ins = d.inspection_of(rng.choice(d.inspected))
    decided = "GEN-COLLECTIVE" not in d.rules  # the department's review is due before a decision, if any
    variant = pick(d, "no_plan", "no_notice", "no_unit_consultation", "no_feedback", "no_individual_talk",
                    "no_file_review_method", "notice_before_plan", "no_department_review" if decided else None,
                    "reviewed_after_decision" if decided else None)
    if variant in _STEP_FIELDS:
        del ins[_STEP_FIELDS[variant]]
    elif variant == "no_individual_talk":
        ins["methods"] = [m for m in ins["methods"] if m != "individual_talk"] or ["opinion_forms"]
    elif variant == "no_file_review_method":
        ins["methods"] = [m for m in ins["methods"] if m != "file_review"]
    elif variant == "notice_before_plan":
        ins["notice_date"] = calendar.add_working_days(ins["plan_date"], -rng.randint(1, 3))
    else:
        ins["department_review_date"] = calendar.add_working_days(d.decided, rng.randint(0, 2))
    return variant


@breaker("INS-BEFORE-DECISION")
def _break_inspection_done(d: Draft) -> str:
    """INS-BEFORE-DECISION: the inspection is not completed before the meeting."""
    ins = d.inspection_of(target_item(d).candidate)
    needs_completion = d.rules & {"INS-STEPS", "INS-MATERIALS"}  # both judge completed inspections only
    variant = pick(d, None if needs_completion else "not_completed", "completed_on_meeting_day",
                    "completed_after_meeting")
    ins["completed"] = {"not_completed": None, "completed_on_meeting_day": d.meeting.date,
                        "completed_after_meeting": calendar.add_working_days(d.meeting.date, d.rng.randint(1, 5))}[variant]
    return variant


def _break_check(d: Draft, key: str, bad_outcomes: tuple[str, ...]) -> str:
    """A four-musts check that is missing, done on/after the meeting, or left with an unacceptable outcome."""
    ins = d.inspection_of(target_item(d).candidate)
    variant = d.rng.choice(("missing", "after_meeting") + tuple(f"outcome_{o}" for o in bad_outcomes))
    if variant == "missing":
        ins[key] = None
    elif variant == "after_meeting":
        ins[key] = records.check(calendar.add_working_days(d.meeting.date, d.rng.randint(0, 4)))
    else:
        ins[key] = records.check(ins[key]["date"], variant.removeprefix("outcome_"),
                                 "问题尚未查清" if variant != "outcome_concealment" else "查核发现漏报房产")
    return variant


@breaker("INS-FILE-REVIEW")
def _break_file_review(d: Draft) -> str:
    """INS-FILE-REVIEW: the personnel file is not reviewed, or its problems not resolved, before the meeting."""
    return _break_check(d, "file_review", ("open",))


@breaker("INS-PERSONAL-MATTERS")
def _break_personal_matters(d: Draft) -> str:
    """INS-PERSONAL-MATTERS: the personal-matters report is not verified, or concealment is found."""
    return _break_check(d, "personal_matters", ("open", "concealment"))


@breaker("INS-DISCIPLINE-OPINION")
def _break_discipline_opinion(d: Draft) -> str:
    """INS-DISCIPLINE-OPINION: the discipline body is not heard, or the issues it raised stay open."""
    return _break_check(d, "discipline_opinion", ("open",))


@breaker("INS-PETITION-CHECK")
def _break_petition(d: Draft) -> str:
    """INS-PETITION-CHECK: a specific complaint received before the meeting is still open at it."""
    rng = d.rng
    ins = d.inspection_of(target_item(d).candidate)
    received = calendar.add_working_days(d.meeting.date, -rng.randint(3, 20))
    variant = rng.choice(("open", "closed_after_meeting"))
    if variant == "closed_after_meeting":
        petition = records.petition("q9", received, True, calendar.add_working_days(d.meeting.date, rng.randint(0, 10)),
                                    "会后查结")
    else:
        petition = records.petition("q9", received, True)
    ins["petitions"].append(petition)
    return variant


@breaker("INS-INTEGRITY-SIGNOFF")
def _break_integrity(d: Draft) -> str:
    """INS-INTEGRITY-SIGNOFF: the integrity conclusion lacks a signature, is missing, or is dated at the meeting."""
    rng = d.rng
    ins = d.inspection_of(target_item(d).candidate)
    variant = pick(d, "secretary_did_not_sign", "discipline_head_did_not_sign", "missing",
                    "signed_at_or_after_meeting")
    if variant == "missing":
        ins.pop("integrity_conclusion", None)
        return variant
    conclusion = {**records.integrity_conclusion(ins["completed"] or d.dates["done"]), **(ins.get("integrity_conclusion") or {})}
    if variant == "signed_at_or_after_meeting":
        conclusion["date"] = calendar.add_working_days(d.meeting.date, rng.randint(0, 3))
    else:
        unsigned = "signed_by_secretary" if variant == "secretary_did_not_sign" else "signed_by_discipline_head"
        conclusion[unsigned] = False
    ins["integrity_conclusion"] = conclusion
    return variant


@breaker("INS-AUDIT-FIRST", rebuilds={"audit"})
def _break_audit(d: Draft) -> str:
    """INS-AUDIT-FIRST: the post needs an economic-responsibility audit, not concluded before the meeting."""
    rng = d.rng
    d.case["post"]["audit_required"] = True
    for ins in d.case["inspections"]:
        ins["economic_audit"] = records.check(draw_working_day(rng, calendar.add_working_days(ins["start"], -20),
                                                               calendar.add_working_days(d.meeting.date, -2)))
    ins = d.inspection_of(target_item(d).candidate)
    variant = pick(d, "no_audit", "audit_after_meeting", "audit_findings_open")
    if variant == "no_audit":
        del ins["economic_audit"]
    elif variant == "audit_after_meeting":
        ins["economic_audit"]["date"] = calendar.add_working_days(d.meeting.date, rng.randint(0, 10))
    else:
        ins["economic_audit"].update(outcome="open", note="审计发现问题尚在整改")
    return variant


@breaker("INS-MATERIALS")
def _break_materials(d: Draft) -> str:
    """INS-MATERIALS: the inspection report is missing, or a required section is empty."""
    ins = d.inspection_of(d.rng.choice(d.inspected))
    variant = pick(d, "no_weaknesses", "no_evaluation_results", "no_report")
    if variant == "no_report":
        del ins["report"]
    else:
        ins["report"][variant.removeprefix("no_")] = None
    return variant
