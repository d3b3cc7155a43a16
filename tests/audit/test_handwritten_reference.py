"""The hand-written reference of benchmarks/handwritten.py gives exactly the library's verdicts.

Why: bench_audit.py compares the library's speed with these plain functions (issue 18); the
comparison means something only if both answer the same question. Checked on every example case and
on synthetic cases: 400 by default (CADRE_RULES_REFERENCE_CASES=10000 for the full corpus of the
benchmark), half of them with injected violations. A verdict is (rule, verdict, severity, evidence).
"""
from __future__ import annotations

import dataclasses
import os
import sys
from collections import Counter
from pathlib import Path

import pytest

from cadre_rules.audit.auditor import Auditor
from cadre_rules.reading.cases import load_case, iter_case_files, validate_case
from cadre_rules.testing.synth import generate

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import handwritten  # noqa: E402

SYNTHETIC = int(os.environ.get("CADRE_RULES_REFERENCE_CASES", "400"))


@pytest.fixture(scope="module")
def subset_auditor(rulebook):
    """The library on a rulebook of exactly the reference's rules."""
    return Auditor(dataclasses.replace(rulebook, rules=tuple(r for r in rulebook.rules if r.id in handwritten.RULES)))


def library_verdicts(auditor, case):
    return Counter((f.rule_id, f.verdict, f.severity, tuple(f.evidence)) for f in auditor.findings(case))


def test_the_reference_covers_the_rules_issue_18_names(rulebook):
    assert len(handwritten.RULES) >= 15
    assert {"DEC-QUORUM", "DEC-PASS", "DEC-LAST-SPEAKER", "DEC-RECUSAL", "APT-PUB-5WD", "RPT-FILING",
            "MOT-NO-ADHOC"} <= handwritten.RULES <= set(rulebook.ids)


def test_the_reference_agrees_with_the_library_on_every_example(subset_auditor):
    cases = [load_case(p) for p in iter_case_files([ROOT / "examples" / "cases"])]
    assert len(cases) > 50
    seen = Counter()
    for case in cases:
        ours = Counter(handwritten.judge(case))
        assert ours == library_verdicts(subset_auditor, case), case.id
        seen.update(v[1] for v in ours.elements())
    assert seen["violated"] and seen["unknown"] and seen["pending"]  # the examples reach every verdict


def test_the_reference_agrees_with_the_library_on_synthetic_cases(subset_auditor):
    fired = Counter()
    for data in generate(SYNTHETIC, 2024, 0.5):
        case = validate_case(data)
        ours = Counter(handwritten.judge(case))
        assert ours == library_verdicts(subset_auditor, case), case.id
        fired.update(v[0] for v in ours.elements())
    assert len(fired) >= 10  # most rules of the reference fire somewhere in the corpus
