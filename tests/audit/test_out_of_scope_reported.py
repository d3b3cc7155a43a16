"""Acts before the earliest edition are listed in the report as not judged, never passed as compliant."""
from __future__ import annotations

import json
import subprocess
import sys

from cadre_rules.report.schema import Report
from cadre_rules.testing.baseline import baseline_data


def test_a_2001_case_lists_its_acts_out_of_scope_in_the_json_report(tmp_path):
    text = json.dumps(baseline_data(), ensure_ascii=False, default=str).replace("2021-", "2001-")
    (tmp_path / "old.json").write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", str(tmp_path / "old.json"), "--format", "json"],
                          capture_output=True, text=True)
    report = json.loads(proc.stdout)
    Report.model_validate(report)
    case = report["cases"][0]
    assert case["findings"] == []
    scoped = {entry["path"]: entry for entry in case["out_of_scope"]}
    assert scoped["motion"]["act_date"] == "2001-03-02" and "MOT-INITIATION" in scoped["motion"]["rules"]
    assert any(p.startswith("meetings[0]") for p in scoped)
