"""The generated derivation (engine/fused.py) gives exactly the findings of the dictionary path.

Why: the auditor judges every case through `FusedJudge` (the item facts built from facts/items.py for
just the fields the rulebook reads, the person facts on a message's need, the rules grouped by the
fact types they join). That is safe only if it finds what the planned dictionary derivation plus the
rules' matchers find, finding for finding, message for message: checked here for the whole rulebook,
the hand-written reference's 16 rules, and each rule alone, on the example cases and synthetic cases
(150 by default; CADRE_RULES_FUSED_CASES=20000 for a long run). And the generator's inputs are held
to their conventions: every field of the item and case schemas has its function, every field a rule reads is
produced, and the inline choice of an edition period is what `bisect` on the periods gives.
"""
from __future__ import annotations

import dataclasses
import os
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from cadre_rules import Auditor
from cadre_rules.engine.codegen import Periods, _Source, facts_read
from cadre_rules.engine.fused import FusedJudge, compile_case_builder, compile_item_builder, rules_join
from cadre_rules.facts.compose import compile_builder
from cadre_rules.engine.python import PythonEvaluator
from cadre_rules.facts import SCHEMA, appointment, case_fact, derive_facts, items, motion, publicity
from cadre_rules.facts.derive import PeopleOnDemand, _adopted_decisions, _last_recorded_date, rank
from cadre_rules.facts.kinship import kinship_graph
from cadre_rules.facts.values import MonthFacts
from cadre_rules.reading.cases import iter_case_files, load_case, validate_case
from cadre_rules.testing.baseline import baseline_data
from cadre_rules.testing.synth import generate

ROOT = Path(__file__).resolve().parents[2]
SYNTHETIC = int(os.environ.get("CADRE_RULES_FUSED_CASES", "150"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import handwritten  # noqa: E402


@pytest.fixture(scope="module")
def cases():
    examples = [load_case(p) for p in iter_case_files([ROOT / "examples" / "cases"])]
    return examples + [validate_case(d) for d in generate(SYNTHETIC, 7, 0.6)]


def dictionary_findings(evaluator: PythonEvaluator, rules, case):
    """What the auditor found before issue 18's generated derivation: planned dictionaries, every matcher."""
    return evaluator.evaluate(derive_facts(case, facts_read(rules)))


def fused_for(rulebook, ids=None):
    rules = [r for r in rulebook.rules if ids is None or r.id in ids]
    evaluator = PythonEvaluator(rules, rulebook.editions, rulebook.stages.order)
    return rules, evaluator, FusedJudge(rules, evaluator)


def assert_same_findings(rules, evaluator, fused, case):
    ours = [f.to_dict() for f in fused.findings(case)]
    theirs = [f.to_dict() for f in dictionary_findings(evaluator, rules, case)]
    assert ours == theirs, case.id


def test_the_whole_rulebook_finds_the_same(rulebook, cases):
    rules, evaluator, fused = fused_for(rulebook)
    assert fused.people_on_demand and "person" not in fused.plan
    found = 0
    for case in cases:
        assert_same_findings(rules, evaluator, fused, case)
        found += len(fused.findings(case))
    assert found > len(cases) // 2  # the synthetic cases carry violations: messages (and people) were rendered


def test_the_reference_rules_find_the_same(rulebook, cases):
    rules, evaluator, fused = fused_for(rulebook, handwritten.RULES)
    assert len(rules) == len(handwritten.RULES)
    for case in cases:
        assert_same_findings(rules, evaluator, fused, case)


def test_each_rule_alone_finds_the_same(rulebook, cases):
    for rule in rulebook.rules:
        rules, evaluator, fused = fused_for(rulebook, {rule.id})
        for case in cases[:40]:
            assert_same_findings(rules, evaluator, fused, case)


def test_the_auditor_judges_through_the_generated_derivation(rulebook, cases):
    auditor = Auditor(rulebook)
    assert isinstance(auditor.fused, FusedJudge)
    case = next(c for c in cases if auditor.findings(c))
    assert [f.to_dict() for f in auditor.findings(case)] == \
        [f.to_dict() for f in auditor.evaluator.evaluate(derive_facts(case, auditor.plan))]
    only = {auditor.findings(case)[0].rule_id}
    assert {f.rule_id for f in auditor.findings(case, only)} == only


def test_a_case_dated_to_the_month_is_judged_the_lenient_way_with_its_people(rulebook):
    data = baseline_data()
    data["meetings"][0]["date"] = str(data["meetings"][0]["date"])[:7]  # the deciding meeting known to the month
    case = validate_case(data)
    rules, evaluator, fused = fused_for(rulebook)
    facts = fused.derive(case)
    assert isinstance(facts, MonthFacts) and "person" in facts
    assert any(f.verdict == "unknown" for f in fused.findings(case))  # some rule cannot tell on a month
    assert_same_findings(rules, evaluator, fused, case)


def test_people_are_derived_only_when_a_message_asks(rulebook):
    case = validate_case(baseline_data())
    rules, evaluator, fused = fused_for(rulebook)
    facts = fused.derive(case)
    assert isinstance(facts, PeopleOnDemand) and "person" not in facts
    assert facts.get("person") is None  # the matchers' way of reading a pool never derives them
    assert facts["person"] == derive_facts(case)["person"]


def test_rules_join_no_person_facts_but_messages_name_people(rulebook):
    assert "person" not in rules_join(rulebook.rules)
    assert "person" in facts_read(rulebook.rules)


# --- the generator's inputs -------------------------------------------------------------------------

@pytest.mark.parametrize("fact_type, module", [("item", items), ("case", case_fact), ("appointment", appointment),
                                               ("publicity", publicity), ("motion", motion)])
def test_every_field_has_one_function_in_the_schema_order(fact_type, module):
    assert list(module.FIELDS) == list(SCHEMA[fact_type])
    assert all(callable(getattr(module, name)) for name in module.FIELDS.values())
    compile_builder(module, None)  # every function's parameters name a function or a root, none circular


def test_every_field_a_rule_reads_is_produced(rulebook, cases):
    for rule in rulebook.rules:
        _, _, fused = fused_for(rulebook, {rule.id})
        for case in cases[:5]:
            facts = fused.derive(case)
            for fact_type, fields in fused.plan.items():
                for fact in facts[fact_type]:
                    missing = set(fields) - set(fact)
                    assert not missing, (rule.id, fact_type, missing)


def test_a_field_without_a_function_is_refused():
    with pytest.raises(ValueError, match="no function gives"):
        compile_item_builder({"id", "not_a_field"})
    with pytest.raises(ValueError, match="no function gives"):
        compile_case_builder({"id", "not_a_field"})


def test_generated_case_builders_equal_the_uninlined_one(rulebook, cases):
    plans = [None, *({"id", name} for name in case_fact.FIELDS),
             *(facts_read([rule])["case"] for rule in rulebook.rules if "case" in facts_read([rule]))]
    builders = [(fields, compile_case_builder(fields)) for fields in plans]
    for case in cases[:60]:
        decisions = _adopted_decisions(case)
        args = (case, decisions, case.as_of or _last_recorded_date(case), rank(case.post.level))
        (full,) = compile_builder(case_fact, None, inline=False)(*args)  # every function called, none inlined
        assert full == derive_facts(case)["case"][0] and list(full) == list(SCHEMA["case"])
        for fields, build in builders:
            (mine,) = build(*args)
            wanted = list(full) if fields is None else [f for f in full if f in fields]
            assert list(mine) == wanted, case.id
            assert all(mine[f] == full[f] and type(mine[f]) is type(full[f]) for f in wanted), case.id


@pytest.mark.parametrize("plan", ["all", "each field", "each rule"])
def test_generated_item_builders_equal_the_uninlined_one(rulebook, cases, plan):
    if plan == "all":
        plans = [None]
    elif plan == "each field":
        plans = [{"id", name} for name in items.FIELDS]
    else:
        plans = [facts_read([rule]).get("item") for rule in rulebook.rules if "item" in facts_read([rule])]
    builders = [(fields, compile_item_builder(fields)) for fields in plans]
    for case in cases[:60]:
        graph = kinship_graph(case) if case.relations else {}
        full = compile_builder(items, None, inline=False)(case, graph)  # every function called, none inlined
        assert full == derive_facts(case)["item"]
        for fields, build in builders:
            ours = build(case, graph)
            assert len(ours) == len(full)
            for mine, theirs in zip(ours, full):
                wanted = list(theirs) if fields is None else [f for f in theirs if f in fields]
                assert list(mine) == wanted, case.id  # just the fields asked for, in the fact's order
                assert all(mine[f] == theirs[f] and type(mine[f]) is type(theirs[f]) for f in wanted), case.id


@pytest.mark.parametrize("fact_type, module", [("appointment", appointment), ("publicity", publicity),
                                               ("motion", motion)])
def test_composed_builders_of_any_fields_equal_the_full_derivation(rulebook, cases, fact_type, module):
    """The appointment, publicity and motion facts composed for each field alone and for each rule's
    plan: just those fields, in the fact's order, each the value (and type) of the full derivation."""
    plans = [None, *({"id", name} for name in module.FIELDS),
             *(facts_read([rule])[fact_type] for rule in rulebook.rules if fact_type in facts_read([rule]))]
    builders = [(fields, compile_builder(module, fields)) for fields in plans]
    for case in cases[:60]:
        full = derive_facts(case)[fact_type]
        args = (case,) if fact_type != "appointment" else (
            case, _adopted_decisions(case), case.as_of or _last_recorded_date(case), rank(case.post.level))
        assert compile_builder(module, None, inline=False)(*args) == full  # every function called, none inlined
        for fields, build in builders:
            ours = build(*args)
            assert len(ours) == len(full), case.id
            for mine, theirs in zip(ours, full):
                wanted = list(theirs) if fields is None else [f for f in theirs if f in fields]
                assert list(mine) == wanted, case.id
                assert all(mine[f] == theirs[f] and type(mine[f]) is type(theirs[f]) for f in wanted), case.id


def test_the_generated_derivation_is_the_planned_one(rulebook, cases):
    """FusedJudge derives with the function generated for its plan (facts/derive.py compile_derivation):
    the same facts as `derive_facts` with that plan, and only the plan's fact types."""
    for ids in (None, handwritten.RULES, {"MOT-NO-ADHOC"}, {"RPT-FILING"}):
        _, _, fused = fused_for(rulebook, ids)
        for case in cases[:60]:
            ours = fused.derive(case)
            assert ours == derive_facts(case, fused.plan, people_on_demand=True), (ids, case.id)
            assert set(ours) <= set(fused.plan), (ids, case.id)
    _, _, fused = fused_for(rulebook, {"MOT-NO-ADHOC"})
    assert fused.plan["motion"] == {"date"} and "MOTION(case)" in fused._derive.source
    assert "sorted" not in compile_builder(motion, fused.plan["motion"]).source  # not the consultations


# --- the edition period chosen inline -----------------------------------------------------------------

def test_the_inline_period_is_the_bisected_one(rulebook):
    evaluator = PythonEvaluator(list(rulebook.rules), rulebook.editions, rulebook.stages.order)
    for compiled in evaluator.compiled:
        rule = compiled.rule
        periods = Periods(rule.effective_from, rule.effective_to, compiled._periods, compiled._in_force_by_period)
        src = _Source()
        src.emit(0, "def _generated(act):")
        periods.emit(src, "act", 1, "return None")
        src.emit(1, "return in_force")
        choose = src.build(f"{rule.id} periods")
        edges = [rule.effective_from, *compiled._periods, *([rule.effective_to] if rule.effective_to else [])]
        days = {d + timedelta(days=k) for d in edges for k in (-1, 0, 1)} | {date(1990, 1, 1), date(2030, 1, 1)}
        for day in sorted(days):
            expected = None
            if rule.applies_on(day):
                in_force = compiled._in_force(day)
                expected = in_force if in_force[0] else None
            assert choose(day) is expected, (rule.id, day)


def test_a_subset_rulebook_derives_only_what_it_reads(rulebook):
    _, _, fused = fused_for(rulebook, {"DEC-QUORUM"})
    assert set(fused.plan) == {"item"}
    source = fused.items.source
    assert "tallies" not in source and "unrecused" not in source  # DEC-QUORUM reads neither
    auditor = Auditor(dataclasses.replace(rulebook, rules=(rulebook.rule("DEC-QUORUM"),)))
    assert auditor.fused.plan == fused.plan


# --- messages rendered when read ------------------------------------------------------------------------

@pytest.mark.parametrize("read", ["message", "to_dict", "report", "pickle", "eq", "replace", "deepcopy"])
def test_a_message_is_rendered_when_read_and_is_the_eager_one(rulebook, cases, read):
    import copy
    import pickle

    from cadre_rules.report.model import finding_dict

    auditor = Auditor(rulebook)
    case = next(c for c in cases if any(f.verdict == "violated" for f in auditor.findings(c)))
    eager = [f.to_dict() for f in auditor.evaluator.evaluate(derive_facts(case, auditor.plan))]
    finding = next(f for f in auditor.findings(case) if f.verdict == "violated")
    expected = next(e for e in eager if e["rule_id"] == finding.rule_id and e["evidence"] == finding.evidence)
    assert "_message" not in finding.__dict__  # nothing rendered yet
    if read == "message":
        assert finding.message == expected["message"] and type(finding.message) is dict
    elif read == "to_dict":
        assert finding.to_dict() == expected
    elif read == "report":
        assert finding_dict(finding) == expected
    elif read == "pickle":
        assert pickle.loads(pickle.dumps(finding)).to_dict() == expected
    elif read == "eq":
        assert finding != dataclasses.replace(finding, message={"zh": "", "en": ""})
    elif read == "replace":
        assert dataclasses.replace(finding, verdict="waived").message == expected["message"]
    else:
        assert copy.deepcopy(finding).to_dict() == expected
    assert finding.to_dict() == expected
