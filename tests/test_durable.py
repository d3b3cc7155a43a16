"""The durable_rules backend: same findings as the Python evaluator, crash-free, contained, selectable.

Done-criteria of issue 3, each a test: the examples audited with `--engine durable --format json` give
the Python output; 20,000 seeded synthetic cases (cadre_rules.synth) and random fact sets agree
finding by finding (the first differing case is printed); the order of facts does not matter
(hypothesis); an engine error is survived (ruleset recreated, case judged in Python, a note); a
worker killed by a signal costs one case (judged in Python, marked) and the batch goes on; where
durable_rules does not import, `--engine durable` exits 2 with a clear message.
"""
from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadre_rules import Auditor
from cadre_rules.caseio import read_cases, validate_case
from cadre_rules.cli import main
from cadre_rules.engine import EngineUnavailable, make_evaluator
from cadre_rules.engine.durable import DurableEvaluator
from cadre_rules.engine.durable_check import RandomFacts, describe_facts, first_difference, shuffled
from cadre_rules.engine.durable_worker import CRASH_ENV
from cadre_rules.engine.python import PythonEvaluator
from cadre_rules.facts import derive_facts
from cadre_rules.rulebook.describe import describe_rules

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "cases"
SYNTH_CASES = 20_000
RANDOM_FACT_SETS = 6_000


@pytest.fixture(scope="module")
def py(rulebook):
    return PythonEvaluator(list(rulebook.rules), rulebook.editions, rulebook.stages.order)


@pytest.fixture(scope="module")
def du(rulebook):
    return DurableEvaluator(list(rulebook.rules), rulebook.editions, rulebook.stages.order)


def example_facts():
    for raw in read_cases([EXAMPLES]):
        yield raw.source, derive_facts(validate_case(raw.data))


def test_engine_is_registered_and_judges_most_rules(rulebook):
    assert isinstance(make_evaluator("durable", rulebook), DurableEvaluator)
    described = {r["id"]: r for r in describe_rules(rulebook)["rules"]}
    on_engine = {rid for rid, r in described.items() if r["engine"] == "durable"}
    assert len(on_engine) >= 17, on_engine
    for rid, r in described.items():
        if r["engine"] == "python":
            assert r["engine_reason"], rid  # every rule left to Python says why
    # the two rules reading working days (which may be unknown: Kleene logic) stay in Python
    assert described["APT-PUB-5WD"]["engine"] == described["RPT-FILING"]["engine"] == "python"
    assert "unknown" in described["RPT-FILING"]["engine_reason"]


def test_rules_list_shows_the_engine_column(rulebook):
    out = CliRunner().invoke(main, ["rules", "list", "--format", "json"])
    assert out.exit_code == 0
    rules = json.loads(out.output)["rules"]
    assert {r["engine"] for r in rules} == {"durable", "python"}


def test_examples_identical_in_process(py, du):
    count = 0
    for source, facts in example_facts():
        diff = first_difference(py.evaluate(facts), du.evaluate(facts))
        assert diff is None, f"{source}: {diff}"
        assert du.last_notes == [], source
        count += 1
    assert count >= 1


def test_cli_audit_json_identical():
    runner = CliRunner()
    py_out = runner.invoke(main, ["audit", str(EXAMPLES), "--format", "json"])
    du_out = runner.invoke(main, ["audit", str(EXAMPLES), "--format", "json", "--engine", "durable"])
    assert py_out.exit_code == du_out.exit_code
    assert du_out.output == py_out.output
    assert json.loads(du_out.output)["cases"]


def test_twenty_thousand_synthetic_cases_agree(py, du):
    from cadre_rules.synth import generate

    findings = 0
    for n, data in enumerate(generate(SYNTH_CASES, 20240, 0.3)):
        facts = derive_facts(validate_case(data))
        expected, actual = py.evaluate(facts), du.evaluate(facts)
        diff = first_difference(expected, actual)
        if diff is not None:
            pytest.fail(f"synthetic case #{n} ({data['id']}) differs: {diff}\n{json.dumps(data, ensure_ascii=False, default=str)}")
        assert du.last_notes == [], (data["id"], du.last_notes)
        findings += len(expected)
    assert n + 1 == SYNTH_CASES
    assert findings > SYNTH_CASES * 0.3  # violations were injected: agreement is not vacuous
    assert du.stats["engine_errors"] == 0


def test_random_fact_sets_agree(rulebook, py, du):
    """Nulls, unknowns, edition boundaries, several facts per type: corners real cases rarely reach."""
    gen = RandomFacts(rulebook, seed=2024)
    verdicts: dict[str, int] = {}
    for n in range(RANDOM_FACT_SETS):
        facts = gen.factset()
        expected, actual = py.evaluate(facts), du.evaluate(facts)
        diff = first_difference(expected, actual)
        assert diff is None, f"random fact set #{n}: {diff}\n{describe_facts(facts)}"
        for f in expected:
            verdicts[f.verdict] = verdicts.get(f.verdict, 0) + 1
    assert set(verdicts) == {"violated", "pending", "unknown"}, verdicts


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), order=st.integers(0, 2**32 - 1), only=st.sets(st.sampled_from(
    ["MOT-VACANCY", "MOT-NO-ADHOC", "REC-REQUIRED", "INS-BEFORE-DECISION", "DIS-NO-RUSH", "APT-PUB-WINDOW",
     "APT-PUB-5WD", "DEC-QUORUM"]), max_size=3))
def test_order_of_facts_does_not_matter(rulebook, py, du, seed, order, only):
    facts = RandomFacts(rulebook, seed=seed).factset()
    expected = py.evaluate(facts)
    reordered = shuffled(facts, random.Random(order))
    assert first_difference(expected, du.evaluate(reordered)) is None
    assert first_difference(py.evaluate(facts, only or None), du.evaluate(reordered, only or None)) is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.integers(0, 10_000), order=st.integers(0, 2**32 - 1))
def test_order_of_a_synthetic_case_does_not_matter(py, du, index, order):
    from cadre_rules.synth import generate

    data = next(iter(generate(1, index, 0.6)))
    facts = derive_facts(validate_case(data))
    assert first_difference(py.evaluate(facts), du.evaluate(shuffled(facts, random.Random(order)))) is None


@pytest.mark.parametrize("fault", ["invalid handle", "duplicate fact"])
def test_engine_error_recreates_the_ruleset_and_judges_in_python(rulebook, py, monkeypatch, fault):
    du = DurableEvaluator(list(rulebook.rules), rulebook.editions, rulebook.stages.order)
    source, facts = next(iter(example_facts()))
    handle = du.handle
    real_encode = du.encode
    if fault == "invalid handle":  # the C engine answers error 111
        du.handle = 100_000
    else:  # the same fact id twice: the engine says "observed" (2), which never happens in a sound batch
        def encode(f):
            payload, index = real_encode(f)
            batch = json.loads(payload)
            return json.dumps([batch[0]] + batch), index
        monkeypatch.setattr(du, "encode", encode)
    got = du.evaluate(facts)
    assert first_difference(py.evaluate(facts), got) is None
    assert du.last_notes and "durable engine error" in du.last_notes[0] and "Python evaluator" in du.last_notes[0]
    assert du.handle not in (handle, 100_000) and du.stats["engine_errors"] == 1
    monkeypatch.setattr(du, "encode", real_encode)
    for source, facts in example_facts():  # the new ruleset goes on judging in the engine
        assert first_difference(py.evaluate(facts), du.evaluate(facts)) is None
        assert du.last_notes == []


def test_facts_outside_the_exact_range_go_to_python(rulebook, py, du):
    source, facts = next(iter(example_facts()))
    facts = {t: [dict(f) for f in v] for t, v in facts.items()}
    facts["item"][0]["members_due"] = 10**12
    assert first_difference(py.evaluate(facts), du.evaluate(facts)) is None
    assert du.last_notes and "not used for this case" in du.last_notes[0]


def test_a_crashing_worker_costs_one_case(rulebook, monkeypatch):
    raws = list(read_cases([EXAMPLES]))
    victim = raws[len(raws) // 2].case_id
    monkeypatch.setenv(CRASH_ENV, victim)
    auditor = Auditor(rulebook, engine="durable")
    try:
        results = list(auditor.audit_paths([EXAMPLES]))
        restarts = auditor.worker.restarts
    finally:
        auditor.close()
    expected = list(Auditor(rulebook).audit_paths([EXAMPLES]))
    assert [r.case_id for r in results] == [r.case_id for r in expected]
    for got, want in zip(results, expected):
        assert first_difference(want.findings, got.findings) is None, got.case_id
        if got.case_id == victim:
            assert len(got.notes) == 1 and "SIGSEGV" in got.notes[0] and "Python evaluator" in got.notes[0]
        else:
            assert got.notes == [], got.case_id
    assert restarts == 1


def test_cli_survives_a_crash_and_reports_it(tmp_path):
    raws = list(read_cases([EXAMPLES]))
    victim = raws[0].case_id
    env = {**__import__("os").environ, CRASH_ENV: victim}
    cmd = [sys.executable, "-m", "cadre_rules.cli", "audit", str(EXAMPLES), "--engine", "durable", "--format", "json"]
    crashed = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    plain = subprocess.run(cmd[:-4] + ["--format", "json"], capture_output=True, text=True, timeout=300)
    assert crashed.returncode == plain.returncode
    assert f"case {victim}: note: durable worker killed by signal SIGSEGV" in crashed.stderr
    a, b = json.loads(crashed.stdout), json.loads(plain.stdout)
    assert [c["findings"] for c in a["cases"]] == [c["findings"] for c in b["cases"]]


def test_unavailable_engine_is_a_clear_error(monkeypatch, rulebook):
    monkeypatch.setitem(sys.modules, "durable_rules_engine", None)  # as on Python 3.13: the import fails
    with pytest.raises(EngineUnavailable, match="Python < 3.13"):
        Auditor(rulebook, engine="durable")
    out = CliRunner().invoke(main, ["audit", str(EXAMPLES), "--engine", "durable"])
    assert out.exit_code == 2
    assert "--engine durable is not available" in out.output and "--engine python" in out.output
    ok = CliRunner().invoke(main, ["audit", str(EXAMPLES), "--engine", "python", "--format", "json"])
    assert ok.exit_code in (0, 1) and json.loads(ok.output)["cases"]


def test_api_selection(rulebook):
    data = next(iter(read_cases([EXAMPLES]))).data
    a = Auditor(rulebook, engine="durable")
    b = Auditor(rulebook, engine="durable", isolate=False)
    try:
        want = Auditor(rulebook).audit_data(data)
        for auditor in (a, b):
            got = auditor.audit_data(data)
            assert got.status == want.status and first_difference(want.findings, got.findings) is None
            assert got.notes == []
    finally:
        a.close()
    with pytest.raises(EngineUnavailable):
        Auditor(rulebook, engine="drools")
