"""Facts on demand: deriving only what a rulebook reads gives the same values as deriving everything.

Why: the auditor derives, for each case, only the facts its rules and messages read (the plan that
engine.codegen.facts_read makes from the rulebook), so a rulebook of a few rules pays for a few
facts. That is safe only if every field a plan names has exactly the value the full derivation
gives, on every case: checked here for the whole rulebook, for a subset, and for each rule alone,
on the example cases and on synthetic cases with injected violations.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from cadre_rules.engine.codegen import facts_read
from cadre_rules.facts import SCHEMA, derive_facts
from cadre_rules.reading.cases import iter_case_files, load_case, validate_case
from cadre_rules.testing.synth import generate

ROOT = Path(__file__).resolve().parents[2]
SUBSET = {"DEC-QUORUM", "DEC-PASS", "DEC-LAST-SPEAKER", "DEC-RECUSAL", "APT-PUB-5WD", "RPT-FILING", "MOT-NO-ADHOC",
          "INS-TEAM-2", "INS-BEFORE-DECISION"}


@pytest.fixture(scope="module")
def cases():
    examples = [load_case(p) for p in iter_case_files([ROOT / "examples" / "cases"])]
    return examples + [validate_case(d) for d in generate(150, 11, 0.6)]


def assert_same_on_plan(case, plan, full):
    part = derive_facts(case, plan)
    assert set(part) == set(plan), case.id  # exactly the planned fact types
    for fact_type, fields in plan.items():
        assert len(part[fact_type]) == len(full[fact_type]), (case.id, fact_type)
        for ours, theirs in zip(part[fact_type], full[fact_type]):
            for name in fields if fields is not None else theirs:
                assert ours[name] == theirs[name], (case.id, fact_type, name)


def test_the_plan_names_only_schema_fields_and_what_rules_read(rulebook):
    plan = facts_read(rulebook.rules)
    for fact_type, fields in plan.items():
        assert fields <= set(SCHEMA[fact_type]), fact_type
    one = facts_read([rulebook.rule("DEC-QUORUM")])
    assert set(one) == {"item", "person"}  # messages name people through the person facts
    assert one["person"] == set(SCHEMA["person"])
    assert {"kind", "present", "members_due", "date", "candidate", "id", "path"} <= one["item"]
    assert "yes" not in one["item"]  # DEC-PASS reads it, DEC-QUORUM does not
    assert set(facts_read([rulebook.rule("INS-BEFORE-DECISION")])) == {"item", "inspection", "person"}  # via `exists`


def test_a_subset_rulebook_derives_a_subset(rulebook, cases):
    plan = facts_read([r for r in rulebook.rules if r.id in SUBSET])
    assert "candidate" not in plan and "recommendation" not in plan
    for case in cases[:5]:
        assert set(derive_facts(case, plan)) < set(derive_facts(case))


def test_planned_derivation_equals_full_derivation(rulebook, cases):
    plans = [facts_read(rulebook.rules), facts_read([r for r in rulebook.rules if r.id in SUBSET]),
             *(facts_read([r]) for r in rulebook.rules)]
    for case in cases:
        full = derive_facts(case)
        for plan in plans:
            assert_same_on_plan(case, plan, full)


def test_without_a_plan_every_fact_type_of_the_schema(cases):
    assert list(derive_facts(cases[0])) == list(SCHEMA)
