"""The synthetic-case generator: valid cases whose injected violations are exactly what the audit finds.

The strong property is checked on a 10,000-case corpus (seed 7, rate 0.3) through one Auditor: no case
is invalid, and for every case the set of rules found violated equals `meta.injected_violations` —
nothing missed, nothing extra, no pending or unknown finding (every synthetic case is closed and lies
inside the holiday data). Clean cases raise no finding at all, warnings and the informational
GEN-VERSION included. Every rule of the national rulebook is injected, except REC-ATTENDANCE, which the
national profile switches off (parameter `applies` false) and which therefore cannot fire. The corpus is
generated and audited once per module (about 20 s of CPU, shared by two processes).
"""
from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cadre_rules.facts import calendar
from cadre_rules.audit.auditor import Auditor
from cadre_rules.cli.main import main
from cadre_rules.testing.synth import (FOUR_MUSTS_FROM, LAST_SPEAKER_FROM, NOT_INJECTED, RULE_IDS, VERSION_WINDOW, compatible,
                               generate, generate_case, write_jsonl)

CORPUS_SIZE = 10_000


_CHUNK = 250
_FORKED: dict[str, Auditor] = {}


def _generate_and_audit(start: int) -> list[tuple[str, Any]]:
    """Cases start..start+_CHUNK-1 as JSON text (cheap to pass between processes) with their audit results."""
    auditor = _FORKED["auditor"]
    out = []
    for index in range(start, min(start + _CHUNK, CORPUS_SIZE)):
        case = generate_case(7, index, 0.3)
        out.append((json.dumps(case, ensure_ascii=False), auditor.audit_data(case, case["id"])))
    return out


@pytest.fixture(scope="module")
def corpus(auditor: Auditor) -> list[tuple[dict[str, Any], Any]]:
    """(case data, audit result) for the whole corpus, audited by the one session Auditor.

    Generating and auditing take about 2 ms of CPU per case, so the work is split between two forked
    processes where the platform can fork (each inherits the Auditor; case i never depends on the
    others, so the corpus is the same however it is split)."""
    starts = range(0, CORPUS_SIZE, _CHUNK)
    if "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1:
        _FORKED["auditor"] = auditor
        try:
            with multiprocessing.get_context("fork").Pool(2) as pool:
                chunks = pool.map(_generate_and_audit, starts)
        finally:
            _FORKED.clear()
        return [(json.loads(text), result) for chunk in chunks for text, result in chunk]
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


def test_every_rule_is_injected_and_records_are_consistent(corpus, rulebook) -> None:
    # Every rule of the rulebook can be injected but REC-ATTENDANCE (off in the national profile).
    assert set(NOT_INJECTED) == {"REC-ATTENDANCE"}
    assert set(RULE_IDS) == set(rulebook.ids) - set(NOT_INJECTED) and len(RULE_IDS) == len(set(RULE_IDS))
    counts: Counter[str] = Counter()
    variants: Counter[tuple[str, str]] = Counter()
    for index, (case, _) in enumerate(corpus):
        meta = case["meta"]
        assert meta["seed"] == 7 and meta["index"] == index
        assert meta["injected_violations"] == sorted(set(meta["injected_violations"]))
        assert 0 <= len(meta["injected_violations"]) <= 3
        assert set(meta["injection_variants"]) == set(meta["injected_violations"])
        assert compatible(set(meta["injected_violations"]))
        counts.update(meta["injected_violations"])
        variants.update(meta["injection_variants"].items())
    assert set(counts) == set(RULE_IDS), f"never injected: {sorted(set(RULE_IDS) - set(counts))}"
    # About 5,100 injections over 82 rules; the rarest is GEN-COLLECTIVE, which combines with few others.
    assert min(counts.values()) >= 15, counts.most_common()[-5:]  # 84 rules share the injections: each still ~15+ times
    assert len(variants) >= 2 * len(RULE_IDS)  # most rules are broken in more than one way


def test_cases_are_varied_and_acts_fall_on_working_days(corpus) -> None:
    sizes, moves, years, candidates = Counter(), Counter(), Counter(), Counter()
    features: Counter[str] = Counter()
    clean_features: Counter[str] = Counter()
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
        if {"INS-FILE-REVIEW", "INS-PERSONAL-MATTERS", "INS-PETITION-CHECK", "INS-INTEGRITY-SIGNOFF"} & set(injected):
            assert meeting["date"] >= FOUR_MUSTS_FROM.isoformat()
        if {"MOT-ANALYSIS", "MOT-PRECHECK"} & set(injected):
            assert case["motion"]["date"] >= LAST_SPEAKER_FROM.isoformat()
        in_window = VERSION_WINDOW[0].isoformat() <= meeting["date"] <= VERSION_WINDOW[1].isoformat()
        assert in_window == ("GEN-VERSION" in injected), case["id"]
        for key in ("breakthrough", "submission", "colleagues", "nominations", "change_of_term", "as_of"):
            features[key] += key in case
        features["reconsideration"] += len(case["meetings"]) > 1
        features["sanction"] += any(c.get("sanctions") for c in case["candidates"])
        features["non_party"] += any(c.get("party_member") is False for c in case["candidates"])
        features["probation"] += any("probation" in a for a in case["appointments"])
        features["audit"] += bool(case["post"].get("audit_required"))
        features["division"] += case["post"]["level"].startswith("division")
        features["reference_names"] += len(case["candidates"]) > len(case["inspections"])
        if not injected:
            clean_features.update(key for key in ("breakthrough", "submission", "colleagues") if key in case)
            clean_features["reconsideration"] += len(case["meetings"]) > 1
            clean_features["sanction"] += any(c.get("sanctions") for c in case["candidates"])
    assert set(sizes) == set(range(5, 16))
    assert set(moves) == {"promotion", "further_use", "lateral_transfer"} and moves["promotion"] > CORPUS_SIZE // 2
    assert set(years) >= {str(y) for y in range(2015, 2027)}
    assert set(candidates) >= {1, 2, 3}  # a single candidate, two, and reference names besides
    # Compliant variations appear in clean cases too, not only around injections.
    assert all(clean_features[k] > 10 for k in ("breakthrough", "submission", "colleagues", "reconsideration",
                                                  "sanction")), clean_features
    assert all(features[k] > 50 for k in ("nominations", "non_party", "probation", "audit", "division",
                                            "reference_names", "as_of", "change_of_term")), features


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


def test_requested_violations_and_impossible_combinations(judge) -> None:
    case = generate_case(5, 17, 0.0, inject={"DEC-DEFER", "AVD-KINSHIP"})
    assert case["meta"]["injected_violations"] == ["AVD-KINSHIP", "DEC-DEFER"]
    assert judge(case)["violated"] == {"AVD-KINSHIP", "DEC-DEFER"}
    # The open March 2019 window for the meeting leaves no room for a motion under the 2019 text before it.
    assert not compatible({"GEN-VERSION", "MOT-ANALYSIS"})
    with pytest.raises(ValueError):
        generate_case(5, 17, 0.0, inject={"GEN-VERSION", "MOT-ANALYSIS"})
    with pytest.raises(ValueError):
        generate_case(5, 17, 0.0, inject={"REC-ATTENDANCE"})


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
