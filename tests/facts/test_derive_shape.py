"""derive_facts builds its result as literals: fact types and fields must stay in the schema's order
(messages and JSON outputs follow it), and lists handed out must not be the case's own."""
from datetime import date
from pathlib import Path

import pytest

import cadre_rules
from cadre_rules.facts import SCHEMA, Unknown, derive_facts
from cadre_rules.testing.synth import generate

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples" / "cases").glob("*.yaml"))


def _cases():
    yield from (cadre_rules.validate_case(d) for d in generate(150, 3, 1.0))
    yield from (cadre_rules.validate_case(d) for d in generate(50, 4, 0.0))
    for path in EXAMPLES:
        try:
            yield cadre_rules.load_case(path)
        except Exception:  # examples of bad input
            continue


def test_fact_types_and_fields_in_schema_order():
    seen: set[str] = set()
    for case in _cases():
        facts = derive_facts(case)
        assert list(facts) == list(SCHEMA)
        for kind, items in facts.items():
            for fact in items:
                assert list(fact) == list(SCHEMA[kind]), (case.id, kind)
                seen.add(kind)
    assert seen == set(SCHEMA)  # every fact type was produced at least once


@pytest.mark.parametrize("kind, field, source", [
    ("inspection", "methods", lambda case: case.inspections[0].methods),
    ("motion", "intended_candidates", lambda case: case.motion.intended_candidates),
])
def test_lists_are_copies(kind, field, source):
    case = cadre_rules.load_case(EXAMPLES[0])
    assert derive_facts(case)[kind][0][field] is not source(case)



_KINDS = {"str": (str,), "int": (int,), "num": (int, float), "bool": (bool,), "date": (date,), "list": (list,)}


def test_every_value_keeps_to_its_field_type():
    """The schema is a contract the evaluator relies on: it emits no Unknown test for a field that may
    not be Unknown, and no null test for a field that may not be null (engine/codegen.py)."""
    unknowns = 0
    for case in _cases():
        for kind, items in derive_facts(case).items():
            for fact in items:
                for name, value in fact.items():
                    ft = SCHEMA[kind][name]
                    where = (case.id, kind, fact["id"], name, value)
                    if isinstance(value, Unknown):
                        assert ft.may_be_unknown, where
                        unknowns += 1
                    elif value is None:
                        assert ft.nullable, where
                    else:
                        assert isinstance(value, _KINDS[ft.kind]), where
                        assert ft.kind == "bool" or not isinstance(value, bool), where  # a bool is an int too
    assert unknowns  # the examples include acts outside the holiday data
