"""The JSON Lines renderer writes each case in parts (its head, each finding, its tail) and a violated
finding's accountability from a text kept per rule and instrument: the line must stay the very text
`json.dumps` gives of the case's `to_dict`, byte for byte, whatever the case holds."""
from __future__ import annotations

from pathlib import Path

from cadre_rules.audit.batch import BatchOptions, CaseJudge
from cadre_rules.reading.cases import Unit, iter_units
from cadre_rules.report.batch import AuditOptions, RenderCase
from cadre_rules.report.json_report import _dumps
from cadre_rules.testing.baseline import baseline_data
from cadre_rules.testing.synth import generate

ROOT = Path(__file__).resolve().parents[2]


def test_every_line_is_the_dump_of_the_cases_dict() -> None:
    import json

    judge = CaseJudge(BatchOptions(scope=True))
    render = RenderCase(AuditOptions(fmt="jsonl"), judge.rulebook)
    accountability = judge.rulebook.accountability
    units = list(iter_units([ROOT / "examples" / "cases"]))
    units += [Unit(f"synth:{i}", ".jsonl", json.dumps(case, ensure_ascii=False))
              for i, case in enumerate(generate(150, 7, 0.9))]
    units += [Unit("bad:1", ".jsonl", '{"id": "x", "id": "y"}'), Unit("bad:2", ".jsonl", '{"id": 1}')]
    baseline = json.dumps(baseline_data(), ensure_ascii=False, default=str)
    units += [Unit(f"old:{year}", ".jsonl", baseline.replace("2021-", f"{year}-")) for year in (2001, 2009)]
    seen = {"violated": 0, "accountability": 0, "errors": 0, "out_of_scope": 0, "findings, twice one rule": 0}
    for unit in units:
        case = render.reported(judge.judge_unit(unit))
        want = _dumps(case.to_dict(accountability), None) + "\n"
        assert render.renderer.fragment(case) == want, unit.source
        assert render.renderer.fragment(case) == want, unit.source  # the kept texts give it again
        doc = json.loads(want)
        seen["violated"] += any(f["verdict"] == "violated" for f in doc["findings"])
        seen["accountability"] += any("accountability" in f for f in doc["findings"])
        seen["errors"] += bool(doc["errors"])
        seen["out_of_scope"] += "out_of_scope" in doc
        rules = [f["rule_id"] for f in doc["findings"]]
        seen["findings, twice one rule"] += len(rules) != len(set(rules))
    assert all(seen.values()), seen  # every kind of part was met


def test_the_accountability_answers_are_copies() -> None:
    # a report may change the entry it was given; the next finding's must not change with it
    judge = CaseJudge(BatchOptions())
    accountability = judge.rulebook.accountability
    first = accountability.for_finding("APT-PUB-5WD", "publicity", "2015-06-01")
    first["instrument_title"]["zh"] = "changed"
    first["parties"][0]["citation"]["en"] = "changed"
    first["parties"][0]["name"]["zh"] = "changed"
    first["parties"].append({})
    again = accountability.for_finding("APT-PUB-5WD", "publicity", "2015-06-02")
    assert "changed" not in str(again) and {} not in again["parties"]
    assert again == accountability.shared_entry("APT-PUB-5WD", "publicity", "2015-06-01")
