"""Mutants of the facts layer and the code generator that the specs must notice (issue 20, part 4).

Each entry changes one function's source in memory — an off-by-one in counting working days, full
years counted on the anniversary's eve, recused members counted present for the quorum, the earlier of
two equal speaking orders taken as the last speaker, an Unknown dropped or mistaken in `and`/`or` — and
the Gherkin scenarios (features/) and the example cases (examples/cases) are judged again: some must fail.
The function is restored afterwards (and the test checks it is); no file is ever written.
"""
from __future__ import annotations

import inspect
import sys
import textwrap
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from cadre_rules.rulebook import load_rulebook
from cadre_rules.bdd.mutation import spec_failures
from cadre_rules.facts.compose import forget_builders

ROOT = Path(__file__).resolve().parents[2]
FEATURES = ROOT / "features"
EXAMPLES = ROOT / "examples" / "cases"

# (module, function, original text, mutated text, feature files to judge (None: all), what it breaks)
SOURCE_MUTANTS = [
    ("cadre_rules.facts.calendar", "working_days_inclusive",
     "return cumulative[last + 1] - cumulative[first]", "return cumulative[last] - cumulative[first]",
     ["60-任前公示.feature"], "working days: the last day of a period not counted"),
    ("cadre_rules.facts.calendar", "working_days_after",
     "working_days_inclusive(start + _ONE_DAY, end)", "working_days_inclusive(start, end)",
     ["80-报备.feature", "70-任职.feature"], "working days after a date: the start day counted too"),
    ("cadre_rules.facts.periods", "full_years",
     "(end.month == month and end.day < day)", "(end.month == month and end.day <= day)",
     ["40-讨论决定.feature"], "full years: the anniversary itself not yet a full year"),
    ("cadre_rules.facts.items", "present",
     "for_item if recused is None else [x for x in for_item if x not in recused]", "for_item",
     ["40-讨论决定.feature"], "quorum: members who recused counted present"),
    ("cadre_rules.facts.items", "due",
     "dict.fromkeys(meeting.members_due)", "dict.fromkeys(meeting.attendees)",
     ["40-讨论决定.feature"], "quorum and majority: members present counted as the members due"),
    ("cadre_rules.facts.items", "spoken",
     "if last_order is None or order >= last_order:", "if last_order is None or order > last_order:",
     ["40-讨论决定.feature"], "last speaker: of two equal speaking orders the earlier-listed taken"),
    ("cadre_rules.engine.codegen", "_kleene",
     'f"{out} = {not decisive} if {unknown} is None else {unknown}"', 'f"{out} = {not decisive}"',
     ["60-任前公示.feature"], "and/or: an undecided Unknown operand forgotten (false/true instead of unknown)"),
    ("cadre_rules.engine.codegen", "_keep_first_unknown",
     "if not value.unknown:", "if True:",
     ["60-任前公示.feature"], "and/or: an Unknown operand taken as an ordinary value"),
]


@contextmanager
def patched(module_name: str, function: str, old: str, new: str) -> Iterator[None]:
    """Replace `function` of `module_name` by its source with `old` replaced by `new`, everywhere the
    package refers to it, for the duration of the block."""
    module = sys.modules.get(module_name) or __import__(module_name, fromlist=["_"])
    original = getattr(module, function)
    source = textwrap.dedent(inspect.getsource(original))
    assert source.count(old) == 1, f"{module_name}.{function}: the text to mutate must occur once: {old!r}"
    namespace = dict(vars(module))
    exec(compile(source.replace(old, new), f"<mutant of {module_name}.{function}>", "exec"), namespace)  # noqa: S102
    mutant = namespace[function]
    holders = [m for name, m in list(sys.modules.items())
               if name.startswith("cadre_rules") and getattr(m, function, None) is original]
    for holder in holders:
        setattr(holder, function, mutant)
    forget_builders()  # the fact builders composed from facts/items.py and facts/case_fact.py: anew
    try:
        yield
    finally:
        for holder in holders:
            setattr(holder, function, original)
        forget_builders()
    assert getattr(module, function) is original


def test_the_unchanged_source_passes_the_specs_it_is_judged_by():
    assert spec_failures(load_rulebook(), FEATURES, EXAMPLES, ["60-任前公示.feature", "80-报备.feature"]) == []


@pytest.mark.parametrize("module,function,old,new,features,what", SOURCE_MUTANTS,
                         ids=[m[5] for m in SOURCE_MUTANTS])
def test_a_source_mutant_makes_some_spec_fail(module, function, old, new, features, what):
    with patched(module, function, old, new):
        failures = spec_failures(load_rulebook(), FEATURES, EXAMPLES, features)
    assert failures, f"no scenario or example notices: {what}"
    after = getattr(sys.modules[module], function)
    assert old in inspect.getsource(after), "the source is restored"
