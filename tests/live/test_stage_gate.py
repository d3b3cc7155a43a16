"""One stage machine: CaseProcess and LiveCase enforce transitions through the same StageGate."""
from __future__ import annotations


def test_case_process_and_live_case_enforce_the_same_stage_gate(baseline, rulebook, monkeypatch):
    """Both refuse through StageGate: a gate that closes one edge and names a guard shows in both."""
    from datetime import date

    from cadre_rules import CaseProcess, LiveCase, validate_case
    from cadre_rules.live import ILLEGAL_TRANSITION
    from cadre_rules.live.derive import events_from_case
    from cadre_rules.live.process import StageGate

    gate = StageGate(rulebook.stages)
    for source in rulebook.stages.titles:
        for target in rulebook.stages.titles:
            legal = rulebook.stages.graph.has_edge(source, target)
            assert (gate.illegal(source, target) is None) == legal
            assert gate.guards(source, target) == (frozenset(rulebook.stages.guards(source, target)) if legal
                                                    else frozenset())
    original = StageGate.illegal
    monkeypatch.setattr(StageGate, "illegal", lambda self, s, t: "closed" if (s, t) == ("motion", "recommendation")
                        else original(self, s, t))
    case = validate_case(baseline)
    process = CaseProcess(case, rulebook)
    assert process.advance("recommendation", date(2021, 3, 10)).refused_by == (ILLEGAL_TRANSITION,)
    init, opened, events = events_from_case(case)
    live = LiveCase.open(init, opened, rulebook)
    moved = None
    for event in events:
        result = live.submit(event)
        if result.transition == ("motion", "recommendation"):
            moved = result
            break
    assert moved is not None and moved.refused_rule_ids == (ILLEGAL_TRANSITION,) and live.stage == "motion"
    assert process.allowed_next() == live.allowed_next() == gate.allowed_next("motion")
