"""Waivers: a waived finding stays visible as `waived`, stops counting toward exit status 1, expires on
the audit's reference date, and a wrong waiver file is an error naming file:line."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cadre_rules.cli.main import main
from cadre_rules.audit.waivers import WaiverError, load_waivers
from casedata import attend, dump

CASE = "2021-qx-czj-002"


@pytest.fixture
def cases(tmp_path, baseline) -> Path:
    root = tmp_path / "cases"
    root.mkdir()
    (root / "a.json").write_text(dump(baseline), encoding="utf-8")  # 2021-qx-czj-001, compliant
    b = copy.deepcopy(baseline)
    b["id"] = CASE
    attend(b, ["m01", "m02", "m03", "m04", "m05", "m06", "m07"])  # DEC-QUORUM, severity violation
    (root / "b.json").write_text(dump(b), encoding="utf-8")
    return root


def waiver_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


QUORUM = """\
waivers:
  - case: 2021-qx-czj-002
    rule: DEC-QUORUM
    approver: 市委组织部干部监督处
    reason: 缺席成员书面意见已附卷，经复核同意
    expires: 2024-12-31
    granted: 2024-01-10
"""


def audit(*args: str) -> Any:
    return CliRunner().invoke(main, ["audit", "--format", "json", *args])


def quorum_finding(doc: dict[str, Any]) -> dict[str, Any]:
    (case,) = [c for c in doc["cases"] if c["case_id"] == CASE]
    (finding,) = case["findings"]
    return finding


def test_without_waiver_the_violation_fails(cases):
    result = audit(str(cases), "--as-of", "2024-06-30")
    assert result.exit_code == 1
    assert quorum_finding(json.loads(result.stdout))["verdict"] == "violated"


def test_active_waiver_turns_the_finding_waived_and_exit_zero(cases, tmp_path):
    path = waiver_file(tmp_path, QUORUM)
    result = audit(str(cases), "--waivers", str(path), "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    finding = quorum_finding(doc)
    assert finding["verdict"] == "waived" and finding["waived_from"] == "violated"
    assert finding["rule_id"] == "DEC-QUORUM" and finding["message"]["zh"]  # still fully visible
    assert finding["waiver"] == {"approver": "市委组织部干部监督处", "reason": "缺席成员书面意见已附卷，经复核同意",
                                 "expires": "2024-12-31", "granted": "2024-01-10", "rulebook_version": None,
                                 "status": "active", "source": f"{path}:2"}
    s = doc["summary"]
    assert (s["violated"], s["waived"], s["by_rule"], s["waivers"]["applied"]) == (0, 1, {}, 1)
    assert s["by_stage"]["decision"]["waived"] == 1
    assert doc["as_of"] == "2024-06-30" and doc["waivers"] == str(path)


def test_last_day_applies_and_the_next_day_it_has_expired(cases, tmp_path):
    path = waiver_file(tmp_path, QUORUM)
    assert audit(str(cases), "--waivers", str(path), "--as-of", "2024-12-31").exit_code == 0
    result = audit(str(cases), "--waivers", str(path), "--as-of", "2025-01-01")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    finding = quorum_finding(doc)
    assert finding["verdict"] == "violated" and finding["waived_from"] is None
    assert finding["waiver"]["status"] == "expired"  # flagged, not silently dropped
    assert doc["summary"]["waivers"]["expired"] == 1 and doc["summary"]["violated"] == 1


def test_as_of_defaults_to_today(cases, tmp_path):
    from datetime import date

    doc = json.loads(audit(str(cases)).stdout)
    assert doc["as_of"] == date.today().isoformat()


def test_waiver_for_another_rulebook_version_does_not_apply(cases, tmp_path):
    path = waiver_file(tmp_path, QUORUM.replace("    expires:", "    rulebook_version: 0000000000000000\n    expires:"))
    result = audit(str(cases), "--waivers", str(path), "--as-of", "2024-06-30")
    assert result.exit_code == 1
    assert quorum_finding(json.loads(result.stdout))["waiver"]["status"] == "version-mismatch"


def test_waiver_for_the_current_rulebook_version_applies(cases, tmp_path, rulebook):
    path = waiver_file(tmp_path, QUORUM.replace("    expires:", f"    rulebook_version: '{rulebook.version}'\n    expires:"))
    assert audit(str(cases), "--waivers", str(path), "--as-of", "2024-06-30").exit_code == 0


def test_unknown_rule_is_an_error_with_file_and_line(cases, tmp_path):
    path = waiver_file(tmp_path, QUORUM.replace("rule: DEC-QUORUM", "rule: DEC-QUORUMX"))
    result = audit(str(cases), "--waivers", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert f'{path}:3: 豁免所指的规则 "DEC-QUORUMX" 不存在' in result.stderr  # --lang zh (default)
    english = audit(str(cases), "--waivers", str(path), "--lang", "en")
    assert f'{path}:3: waiver names unknown rule "DEC-QUORUMX"' in english.stderr


def test_unknown_case_is_an_error_with_file_and_line(cases, tmp_path):
    path = waiver_file(tmp_path, QUORUM + """\
  - case: 2021-no-such-case
    rule: DEC-PASS
    approver: 某某
    reason: 测试
    expires: 2030-01-01
""")
    result = audit(str(cases), "--waivers", str(path), "--as-of", "2024-06-30")
    assert result.exit_code == 2
    assert f'豁免错误：{path}:8: 豁免所指的案例 "2021-no-such-case" 不在本次审计的案例之中' in result.stderr
    doc = json.loads(result.stdout)  # the report is still complete; its summary in the report's language
    assert doc["summary"]["waivers"]["errors"] == [f'{path}:8: 豁免所指的案例 "2021-no-such-case" 不在本次审计的案例之中']
    english = audit(str(cases), "--waivers", str(path), "--as-of", "2024-06-30", "--lang", "en")
    assert f'{path}:8: waiver names unknown case "2021-no-such-case" (not among the audited cases)' in english.stderr
    assert json.loads(english.stdout)["summary"]["waivers"]["errors"] == [
        f'{path}:8: waiver names unknown case "2021-no-such-case" (not among the audited cases)']
    assert quorum_finding(doc)["verdict"] == "waived"


def test_malformed_waivers_are_listed_with_lines(tmp_path):
    path = waiver_file(tmp_path, """\
- case: a
  rule: DEC-QUORUM
  reason: 无审批人
  expires: 2024-13-01
- case: b
  rule: DEC-PASS
  approver: x
  reason: y
  expires: 2025-01-01
  note: 多余字段
- case: a
  rule: DEC-QUORUM
  approver: x
  reason: y
  expires: 2025-01-01
- case: a
  rule: DEC-QUORUM
  approver: x
  reason: y
  expires: 2025-02-01
- just text
""")
    with pytest.raises(WaiverError) as exc:
        load_waivers(path, ["DEC-QUORUM", "DEC-PASS"])
    problems = exc.value.problems
    assert f"{path}:1: waiver 1: `approver` is required" in problems
    assert f"{path}:4: `expires` must be a date YYYY-MM-DD, not '2024-13-01'" in problems
    assert any(p.startswith(f"{path}:10: unknown field 'note'") for p in problems)
    assert f"{path}:16: duplicate waiver for case a and rule DEC-QUORUM (first at line 11)" in problems
    assert any(p.startswith(f"{path}:1: waiver 5: expected a mapping") for p in problems)  # a bare scalar: the list's line
    result = CliRunner().invoke(main, ["audit", str(tmp_path), "--waivers", str(path)])
    assert result.exit_code == 2 and "豁免文件有误" in result.stderr
    assert f'{path}:16: 案例 "a"、规则 DEC-QUORUM 的豁免重复（首次在第 11 行）' in result.stderr  # --lang zh (default)
    assert f"{path}:1: 第 1 项豁免：缺少 `approver`" in result.stderr
    english = CliRunner().invoke(main, ["audit", str(tmp_path), "--waivers", str(path), "--lang", "en"])
    assert "waiver error" in english.stderr and f"{path}:16: duplicate waiver for case a" in english.stderr


def test_unused_waiver_is_noted_not_an_error(cases, tmp_path):
    path = waiver_file(tmp_path, QUORUM.replace("2021-qx-czj-002", "2021-qx-czj-001"))  # the compliant case
    result = audit(str(cases), "--waivers", str(path), "--as-of", "2024-06-30")
    assert result.exit_code == 1  # case 002's violation is not waived
    assert "规则 DEC-QUORUM 的豁免没有对应的问题" in result.stderr
    (line,) = json.loads(result.stdout)["summary"]["waivers"]["unused"]
    assert line.endswith("：案例 2021-qx-czj-001、规则 DEC-QUORUM 的豁免没有对应的问题")  # the report's language
    english = audit(str(cases), "--waivers", str(path), "--as-of", "2024-06-30", "--lang", "en")
    (line,) = json.loads(english.stdout)["summary"]["waivers"]["unused"]
    assert line.endswith(": waiver for case 2021-qx-czj-001 and rule DEC-QUORUM matched no violated finding")


def test_waived_findings_in_sarif_are_suppressions(cases, tmp_path):
    path = waiver_file(tmp_path, QUORUM)
    doc = json.loads(CliRunner().invoke(main, ["audit", str(cases), "--format", "sarif", "--waivers", str(path),
                                               "--as-of", "2024-06-30"]).stdout)
    (result,) = doc["runs"][0]["results"]
    (suppression,) = result["suppressions"]
    assert suppression["kind"] == "external" and suppression["status"] == "accepted"
    assert suppression["justification"] == "缺席成员书面意见已附卷，经复核同意"
    assert suppression["properties"]["approver"] == "市委组织部干部监督处"
    expired = json.loads(CliRunner().invoke(main, ["audit", str(cases), "--format", "sarif", "--waivers", str(path),
                                                   "--as-of", "2025-06-30"]).stdout)
    assert expired["runs"][0]["results"][0]["suppressions"][0]["status"] == "rejected"


def test_waived_findings_in_junit_and_table_pass(cases, tmp_path):
    import xml.etree.ElementTree as ET

    path = waiver_file(tmp_path, QUORUM)
    junit = CliRunner().invoke(main, ["audit", str(cases), "--format", "junit", "--waivers", str(path),
                                      "--as-of", "2024-06-30"])
    root = ET.fromstring(junit.stdout.encode())
    assert root.get("failures") == "0"
    assert "〔豁免有效：" in root.find(".//testcase[@name='2021-qx-czj-002']/system-out").text  # --lang zh (default)
    english = CliRunner().invoke(main, ["audit", str(cases), "--format", "junit", "--waivers", str(path),
                                        "--as-of", "2024-06-30", "--lang", "en"])
    assert "waiver active" in ET.fromstring(english.stdout.encode()).find(
        ".//testcase[@name='2021-qx-czj-002']/system-out").text
    table = CliRunner().invoke(main, ["audit", str(cases), "--waivers", str(path), "--as-of", "2024-06-30"])
    assert table.exit_code == 0 and "已豁免" in table.stdout
