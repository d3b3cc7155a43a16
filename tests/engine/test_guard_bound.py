"""The readers' filters that benchmarks/profile_fields.py bounds static guards with are sound.

Why: the profile (docs/performance.md "Derivation, fifth round: static guards") says on how many
records some rule reading a field gets past its cheap filters (an item's kind, whether it was adopted,
a flag of the record), and so how much a derivation computing the field only there could save. That
figure means something only if a field it calls not needed on a record is truly never read there:
checked here by poisoning every such field (a value that fails the test on any comparison, truth test
or rendering) and requiring the same findings, message for message, for the 16 reference rules and
the whole rulebook, on the examples and synthetic cases. And a filter taken from one reader only,
while another reads the field unfiltered, is caught by the same check.

Cases with acts dated to the month only are left out: they are judged by the lenient matchers, where
any field may be unknown, so no filter is decided by the schema there (a static guard would not apply).
"""
from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import pytest

from cadre_rules.engine.codegen import facts_read
from cadre_rules.engine.python import PythonEvaluator
from cadre_rules.facts import derive_facts
from cadre_rules.facts.months import month_only_dates
from cadre_rules.reading.cases import iter_case_files, load_case, validate_case
from cadre_rules.rulebook import ir
from cadre_rules.testing.baseline import baseline_data
from cadre_rules.testing.synth import generate

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import handwritten  # noqa: E402
import profile_fields  # noqa: E402

SYNTHETIC = int(os.environ.get("CADRE_RULES_GUARD_CASES", "120"))


class Poison:
    """A value no rule may read: any comparison, truth test, length or rendering fails the test."""

    def _read(self, *_: object) -> None:
        raise AssertionError("a field called not needed on this record was read")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __len__ = _read  # type: ignore[assignment]
    __str__ = __repr__ = __format__ = __iter__ = __contains__ = __add__ = __mul__ = __neg__ = _read  # type: ignore[assignment]
    __hash__ = None  # type: ignore[assignment]


@pytest.fixture(scope="module")
def cases():
    examples = [load_case(p) for p in iter_case_files([ROOT / "examples" / "cases"])]
    every = examples + [validate_case(d) for d in generate(SYNTHETIC, 11, 0.6)]
    return [c for c in every if not month_only_dates(c)]


def poisoned(facts, guards_of, fact_types):
    """`facts` with every field that no reader gets past its filters for replaced by a Poison; how many."""
    plans = {}
    for fact_type in fact_types:
        for fact in facts.get(fact_type, ()):
            plans[id(fact)] = [f for f in fact if (fact_type, f) in guards_of
                               and not profile_fields.needed(fact, guards_of[(fact_type, f)])]
    count = 0
    for fact_type in fact_types:
        for fact in facts.get(fact_type, ()):
            for name in plans[id(fact)]:
                fact[name] = Poison()
                count += 1
    return count


def findings(evaluator, facts):
    return [f.to_dict() for f in evaluator.evaluate(facts)]


@pytest.mark.parametrize("which", ["the 16 reference rules", "the whole rulebook"])
def test_a_field_called_not_needed_is_never_read(rulebook, cases, which):
    rules = [r for r in rulebook.rules if which == "the whole rulebook" or r.id in handwritten.RULES]
    evaluator = PythonEvaluator(rules, rulebook.editions, rulebook.stages.order)
    plan = facts_read(rules)
    guards_of = profile_fields.readers(rules)
    assert set(guards_of) >= {(t, f) for t in profile_fields.MODULES if t in plan for f in plan[t]}
    total = found = 0
    for case in cases:
        expected = findings(evaluator, derive_facts(case, plan))
        facts = derive_facts(case, plan)
        total += poisoned(facts, guards_of, profile_fields.MODULES)
        ours = findings(evaluator, facts)
        assert ours == expected, case.id
        found += len(ours)
    assert total > len(cases) and found > len(cases) // 10  # fields were poisoned, findings were made


def test_the_filters_found_for_the_reference_rules(rulebook):
    rules = [r for r in rulebook.rules if r.id in handwritten.RULES]
    guards_of = profile_fields.readers(rules)
    dr = ("in", "kind", ("decision", "reconsideration"))
    assert set(guards_of[("item", "yes")]) == {(dr, ("==", "outcome", "adopted"))}  # DEC-PASS and its message
    assert set(guards_of[("appointment", "workdays_to_as_of")]) == {
        (("truthy", "filing_required", None), ("==", "filing_date", None))}  # RPT-FILING's pending condition and message
    assert None in guards_of[("item", "kind")]  # the filter itself is read on every item
    assert None in guards_of[("item", "date")]  # the act date is read before any filter


def test_a_filter_of_one_reader_is_not_the_field_s(rulebook):
    """DEC-QUORUM reads `present` behind the item's kind; a second rule reading it on every item means
    no filter holds for the field. Taking the first rule's filter alone poisons what the second reads."""
    quorum = rulebook.rule("DEC-QUORUM")
    unfiltered = dataclasses.replace(quorum, id="TEST-PRESENT-ANY-KIND", when=ir.Compare(
        "<", ir.FieldRef("item", "present"), ir.Literal(100)))
    data = baseline_data()
    data["meetings"][0]["kind"] = "department"  # an item no rule of DEC-QUORUM's filter judges
    case = validate_case(data)
    rules = [quorum, unfiltered]
    evaluator = PythonEvaluator(rules, rulebook.editions, rulebook.stages.order)
    plan = facts_read(rules)
    both = profile_fields.readers(rules)
    assert None in both[("item", "present")]
    expected = findings(evaluator, derive_facts(case, plan))
    assert any(f["rule_id"] == "TEST-PRESENT-ANY-KIND" for f in expected)
    facts = derive_facts(case, plan)
    poisoned(facts, both, ["item"])
    assert findings(evaluator, facts) == expected
    one_reader = profile_fields.readers([quorum])  # the filter hoisted from DEC-QUORUM only: wrong
    facts = derive_facts(case, plan)
    assert poisoned(facts, one_reader, ["item"]) > 0
    with pytest.raises(AssertionError, match="was read"):
        findings(evaluator, facts)
