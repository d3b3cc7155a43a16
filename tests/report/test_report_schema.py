"""The JSON report has a version and a schema, and every report the command writes keeps to it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from cadre_rules.report.schema import REPORT_VERSION, Report

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cadre_rules", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def examples_report() -> dict:
    proc = cli("audit", "examples/cases", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)


def test_the_examples_report_validates_and_carries_the_version(examples_report):
    assert examples_report["report_version"] == REPORT_VERSION
    Report.model_validate(examples_report)


def test_the_schema_refuses_what_the_contract_does_not_have(examples_report):
    broken = json.loads(json.dumps(examples_report))
    finding = next(f for c in broken["cases"] for f in c["findings"])
    finding["verdict"] = "maybe"
    with pytest.raises(ValidationError):
        Report.model_validate(broken)
    broken = json.loads(json.dumps(examples_report))
    broken["cases"][0]["surprise"] = 1
    with pytest.raises(ValidationError):
        Report.model_validate(broken)


def test_schema_command_prints_the_report_schema():
    proc = cli("schema", "--report")
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    assert schema["$schema"].endswith("2020-12/schema") and "cases" in schema["properties"]
    assert "report_version" in schema["required"]


def test_invalid_inputs_and_waived_findings_keep_to_the_schema(tmp_path, baseline):
    from casedata import attend, dump

    attend(baseline, ["m01", "m02", "m03", "m04", "m05", "m06", "m07"])
    (tmp_path / "a.json").write_text(dump(baseline), encoding="utf-8")
    (tmp_path / "b.json").write_text('{"id": "x"}', encoding="utf-8")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(f"waivers:\n  - case: {baseline['id']}\n    rule: DEC-QUORUM\n    approver: 张三\n"
                       "    reason: 经批准的特殊情况\n    expires: 2099-12-31\n", encoding="utf-8")
    proc = cli("audit", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--format", "json", "--waivers", str(waivers))
    document = json.loads(proc.stdout)
    Report.model_validate(document)
    assert any(f["verdict"] == "waived" for c in document["cases"] for f in c["findings"])
