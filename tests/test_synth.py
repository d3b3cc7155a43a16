"""The synthetic-case generator: valid cases whose injected violations are exactly what the audit finds.

The strong property is checked on a 10,000-case corpus (seed 7, rate 0.3) through one Auditor: no case
is invalid, and for every case the set of rules found violated equals `meta.injected_violations` —
nothing missed, nothing extra, no pending or unknown finding (every synthetic case is closed and lies
inside the holiday data). The corpus is generated and audited once per module (about 10 s).
"""
from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cadre_rules import calendar
from cadre_rules.audit import Auditor
from cadre_rules.cli import main
from cadre_rules.synth import FOUR_MUSTS_FROM, LAST_SPEAKER_FROM, RULE_IDS, generate, generate_case, write_jsonl

CORPUS_SIZE = 10_000


@pytest.fixture(scope="module")
def corpus(auditor: Auditor) -> list[tuple[dict[str, Any], Any]]:
    """(case data, audit result) for the whole corpus, audited by the one session Auditor."""
    return [(case, auditor.audit_data(case, case["id"])) for case in generate(CORPUS_SIZE, 7, 0.3)]


def test_violated_rules_are_exactly_the_injected_ones(corpus) -> None:
    invalid, mismatched, other_verdicts = [], [], []
    clean = 0
    for case, result in corpus:
        if result.status != "ok":
            invalid.append((case["id"], [f"{e.path}: {e.message}" for e in result.errors][:3]))
            continue
        injected = set(case["meta"]["injected_violations"])
        violated = {f.rule_id for f in result.findings if f.verdict == "violated"}
        if violated != injected:
            mismatched.append((case["id"], {"missed": sorted(injected - violated), "extra": sorted(violated - injected),
                                            "variants": case["meta"]["injection_variants"]}))
        other_verdicts += [(case["id"], f.rule_id, f.verdict, f.reason) for f in result.findings if f.verdict != "violated"]
        clean += not injected
    assert not invalid, invalid[:5]
    assert not mismatched, mismatched[:5]
    assert not other_verdicts, other_verdicts[:5]
    # A rate of 0.3 leaves roughly 70 % of the cases clean; those raised no violated finding above.
    assert 0.66 * CORPUS_SIZE < clean < 0.74 * CORPUS_SIZE


def test_every_rule_is_injected_and_records_are_consistent(corpus) -> None:
    counts: Counter[str] = Counter()
    for index, (case, _) in enumerate(corpus):
        meta = case["meta"]
        assert meta["seed"] == 7 and meta["index"] == index
        assert meta["injected_violations"] == sorted(set(meta["injected_violations"]))
        assert 0 <= len(meta["injected_violations"]) <= 3
        assert set(meta["injection_variants"]) == set(meta["injected_violations"])
        counts.update(meta["injected_violations"])
    assert set(counts) == set(RULE_IDS), f"never injected: {sorted(set(RULE_IDS) - set(counts))}"
    assert min(counts.values()) >= 100, counts


def test_cases_are_varied_and_acts_fall_on_working_days(corpus) -> None:
    sizes, moves, years, candidates = Counter(), Counter(), Counter(), Counter()
    for case, _ in corpus:
        meeting = case["meetings"][0]
        size = len(case["body"]["members"])
        sizes[size] += 1
        moves[case["move"]] += 1
        years[meeting["date"][:4]] += 1
        candidates[len(case["candidates"])] += 1
        roles = Counter(r for m in case["body"]["members"] for r in m.get("roles", []))
        assert roles["principal_leader"] == roles["organisation_lead"] == roles["discipline_official"] == 1
        acts = [meeting["date"]] + [a["date"] for a in case["appointments"]] + [f["date"] for f in case["filings"]]
        acts += [r["date"] for r in case["recommendations"]] + [p["start"] for p in case["publicity"]]
        acts += [i["start"] for i in case["inspections"]] + ([case["motion"]["date"]] if "motion" in case else [])
        assert all(calendar.is_working_day(date.fromisoformat(d)) for d in acts), case["id"]
        injected = case["meta"]["injected_violations"]
        if "DEC-LAST-SPEAKER" in injected:
            assert meeting["date"] >= LAST_SPEAKER_FROM.isoformat()
        if {"INS-FILE-REVIEW", "INS-PERSONAL-MATTERS", "INS-PETITION-CHECK"} & set(injected):
            assert meeting["date"] >= FOUR_MUSTS_FROM.isoformat()
    assert set(sizes) == set(range(5, 16))
    assert set(moves) == {"promotion", "further_use", "lateral_transfer"} and moves["promotion"] > CORPUS_SIZE // 2
    assert set(years) >= {str(y) for y in range(2015, 2027)}
    assert set(candidates) == {1, 2}


def test_write_jsonl_is_deterministic(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    assert write_jsonl(first, 300, 42, 0.5) == 300
    assert write_jsonl(second, 300, 42, 0.5) == 300
    assert first.read_bytes() == second.read_bytes()
    write_jsonl(other, 300, 43, 0.5)
    assert other.read_bytes() != first.read_bytes()
    lines = first.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 300 and all(json.loads(line)["meta"]["seed"] == 42 for line in lines)
    # Case i does not depend on how many cases are asked for.
    assert json.loads(lines[123]) == generate_case(42, 123, 0.5)


def test_rate_extremes_and_bad_arguments() -> None:
    assert all(c["meta"]["injected_violations"] == [] for c in generate(200, 1, 0.0))
    assert all(c["meta"]["injected_violations"] for c in generate(200, 1, 1.0))
    assert list(generate(0, 1, 0.3)) == []
    with pytest.raises(ValueError):
        list(generate(-1, 1, 0.3))
    with pytest.raises(ValueError):
        list(generate(1, 1, 1.5))


def test_cli_synth_then_audit(tmp_path: Path) -> None:
    out = tmp_path / "tmp.jsonl"
    runner = CliRunner()
    made = runner.invoke(main, ["synth", "--n", "50", "--seed", "3", "--violation-rate", "0.5", "--out", str(out)])
    assert made.exit_code == 0, made.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 50
    audited = runner.invoke(main, ["audit", str(out), "--format", "json"])
    assert audited.exit_code in (0, 1), audited.output  # 1: violations found; 2 would mean invalid input
    report = json.loads(audited.stdout)
    assert report["summary"]["cases"] == 50
    assert report["summary"]["invalid"] == 0
    injected = {json.loads(line)["id"]: set(json.loads(line)["meta"]["injected_violations"])
                for line in out.read_text(encoding="utf-8").splitlines()}
    for result in report["cases"]:
        violated = {f["rule_id"] for f in result["findings"] if f["verdict"] == "violated"}
        assert violated == injected[result["case_id"]], result["case_id"]
