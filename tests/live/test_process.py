"""The stage workflow: legal transitions, guards evaluated by the rules, refusals kept in the history."""
from __future__ import annotations

from datetime import date

import networkx as nx
import pytest

from cadre_rules import CaseProcess, TransitionRefused, validate_case


def test_graph_every_stage_reachable_and_no_dead_end(rulebook):
    stages = rulebook.stages
    assert set(nx.descendants(stages.graph, "motion")) | {"motion"} == set(stages.titles)
    assert stages.start == "motion" and {"filing", "aborted"} <= stages.terminal
    assert list(stages.titles)[:8] == ["motion", "recommendation", "inspection", "discussion", "decision",
                                        "publicity", "appointment", "filing"]


def test_happy_path_through_every_stage(baseline, rulebook):
    case = validate_case(baseline)
    process = CaseProcess(case, rulebook)
    for stage, day in [("recommendation", "2021-03-10"), ("inspection", "2021-03-20"), ("discussion", "2021-04-10"),
                       ("decision", "2021-04-16"), ("publicity", "2021-04-19"), ("appointment", "2021-04-28"),
                       ("filing", "2021-05-07")]:
        t = process.advance(stage, date.fromisoformat(day))
        assert t.accepted, t.reason
    assert process.stage == "filing"
    assert [t.target for t in process.history] == ["recommendation", "inspection", "discussion", "decision",
                                                    "publicity", "appointment", "filing"]


def test_illegal_transition_is_refused_and_recorded(baseline, rulebook):
    process = CaseProcess(validate_case(baseline), rulebook)
    t = process.advance("decision", date(2021, 3, 5))
    assert not t.accepted and t.refused_by == ("ILLEGAL-TRANSITION",)
    assert "allowed: aborted, inspection, recommendation" in t.reason
    assert process.stage == "motion" and process.history == [t]


def test_guard_rules_refuse_the_decision_and_the_refusal_is_kept(baseline, rulebook):
    baseline["meetings"][0]["attendees"] = ["m01", "m02", "m03", "m04", "m05", "m06", "m07"]
    baseline["meetings"][0]["agenda"][0]["statements"] = [
        s for s in baseline["meetings"][0]["agenda"][0]["statements"] if s["member"] in {"m01", "m02", "m03", "m04", "m05", "m06", "m07"}]
    baseline["meetings"][0]["agenda"][0]["vote"]["agree"] = 7
    process = CaseProcess(validate_case(baseline), rulebook, stage="discussion")
    with pytest.raises(TransitionRefused) as info:
        process.advance("decision", date(2021, 4, 16), strict=True)
    assert info.value.transition.refused_by == ("DEC-QUORUM",)
    assert process.stage == "discussion" and not process.history[-1].accepted
    assert process.history[-1].findings[0].article == "38"


def test_warnings_do_not_block_and_pending_does_not_block(baseline, rulebook):
    baseline["meetings"][0]["attendees"].remove("m04")  # no discipline official: a warning
    baseline["meetings"][0]["attendees"].append("m10")
    for s in baseline["meetings"][0]["agenda"][0]["statements"]:
        if s["member"] == "m04":
            s["member"] = "m10"
    del baseline["filings"]
    case = validate_case(baseline)
    process = CaseProcess(case, rulebook, stage="discussion")
    t = process.advance("decision", date(2021, 4, 16))
    assert t.accepted and [f.rule_id for f in t.findings] == ["DEC-DISCIPLINE-OBSERVER"]
    process.stage = "appointment"
    t = process.advance("filing", date(2021, 5, 6))  # filing not yet due as of that date
    assert t.accepted and [(f.rule_id, f.verdict) for f in t.findings] == [("RPT-FILING", "pending")]


def test_a_later_record_can_be_supplied_with_the_transition(baseline, rulebook):
    early = dict(baseline, meetings=[], publicity=[], appointments=[], filings=[])
    process = CaseProcess(validate_case(early), rulebook, stage="inspection")
    assert process.advance("discussion", date(2021, 4, 12)).accepted
    assert process.advance("decision", date(2021, 4, 16), case=validate_case(baseline)).accepted


def test_a_refused_record_does_not_enter_the_case(baseline, rulebook):
    good = validate_case(baseline)
    baseline["inspections"][0]["team"] = baseline["inspections"][0]["team"][:1]
    process = CaseProcess(good, rulebook, stage="inspection")
    t = process.advance("discussion", date(2021, 4, 12), case=validate_case(baseline))
    assert not t.accepted and t.refused_by == ("INS-TEAM-2",)
    assert process.case is good and process.stage == "inspection"


def test_lateral_transfer_may_go_to_inspection_without_recommendation(baseline, rulebook):
    baseline.update(move="lateral_transfer", recommendations=[])
    process = CaseProcess(validate_case(baseline), rulebook)
    assert process.advance("inspection", date(2021, 3, 20)).accepted
