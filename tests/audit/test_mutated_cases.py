"""Valid cases no generator writes: every one is judged, and both derivations agree on it.

Why: the examples and the synthetic cases are written by people and by `testing.synth`, who keep to
the shapes they know. Real records combine what the model accepts in other ways: a birth known to the
month beside dossier records, dates shifted across an edition's start, a value of one record in
another. Such a case once stopped the audit with an internal error (a day compared with a month in
facts/dossier.py). Here each example and synthetic case is mutated by changes that keep many of them
valid — a date moved or cut to its month, a value replaced by one the same field holds elsewhere, an
optional field dropped — and every mutant the model accepts must be judged without an error, with the
same findings from the generated derivation (engine/fused.py) as from the planned dictionaries.

3,000 mutants by default (~4 s); CADRE_RULES_MUTANTS=30000 for a long run (seeded: the same mutants each run).
"""
from __future__ import annotations

import copy
import json
import os
import random
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from cadre_rules.engine.codegen import facts_read
from cadre_rules.errors import CaseValidationError
from cadre_rules.facts import derive_facts
from cadre_rules.reading.cases import validate_case
from cadre_rules.reading.yamlmarks import safe_load
from cadre_rules.testing.synth import generate
from casedata import leaves

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = int(os.environ.get("CADRE_RULES_MUTANTS", "3000"))
SHIFTS = (-2000, -400, -30, -7, -3, -1, 1, 3, 7, 30, 400)


def plain(data: Any) -> Any:
    """JSON types only (dates as ISO text), as a case file holds them."""
    return json.loads(json.dumps(data, default=str))


def field_of(path: tuple) -> str:
    return next(k for k in reversed(path) if isinstance(k, str))


def as_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def mutate(data: dict[str, Any], rng: random.Random, seen: dict[str, list[Any]]) -> None:
    """One change at a random leaf: a date moved or cut to its month, else null, dropped, or another
    value the same field holds somewhere in the corpus."""
    path, value = rng.choice(list(leaves(data)))
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    key, roll = path[-1], rng.random()
    day = as_date(value)
    if day is not None:
        parent[key] = value[:7] if roll < 0.2 else (day + timedelta(days=rng.choice(SHIFTS))).isoformat()
    elif roll < 0.15 and isinstance(parent, dict):
        parent[key] = None
    elif roll < 0.25 and isinstance(parent, dict):
        del parent[key]
    else:
        parent[key] = copy.deepcopy(rng.choice(seen[field_of(path)]))


@pytest.fixture(scope="module")
def mutants() -> list[Any]:
    bases = [plain(safe_load(p.read_text(encoding="utf-8"))) for p in sorted((ROOT / "examples" / "cases").glob("*.yaml"))]
    bases += [plain(d) for d in generate(40, 5, 0.5)]
    seen: dict[str, list[Any]] = {}
    for base in bases:
        for path, value in leaves(base):
            if path and any(isinstance(k, str) for k in path):
                seen.setdefault(field_of(path), []).append(value)
    rng = random.Random(20261207)
    out = []
    for _ in range(MUTANTS):
        data = copy.deepcopy(rng.choice(bases))
        for _ in range(rng.randint(1, 4)):
            mutate(data, rng, seen)
        try:
            out.append(validate_case(data))
        except CaseValidationError:
            continue  # refused with its errors: tests/reading holds those to their texts
    return out


def test_enough_mutants_are_valid_to_mean_something(mutants):
    assert len(mutants) >= MUTANTS // 5
    # some with a date cut to its month (an act, or a person's date)
    assert any(isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}", v) for case in mutants
               for _, v in leaves(case.model_dump(mode="json", by_alias=True)))


def test_every_valid_mutant_is_judged_alike_by_both_derivations(mutants, auditor, rulebook):
    evaluator, plan = auditor.evaluator, facts_read(list(rulebook.rules))
    found = 0
    for case in mutants:
        ours = [f.to_dict() for f in auditor.findings(case)]  # no internal error
        assert ours == [f.to_dict() for f in evaluator.evaluate(derive_facts(case, plan))], case.id
        found += len(ours)
    assert found > len(mutants)  # mutants break rules: the comparison is not of empty lists
