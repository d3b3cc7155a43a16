"""Waivers apply to the cross-case (register) results as to a case's findings: a waiver names the unit by
`register:<unit id>` and a register rule; the finding turns `waived` with the waiver's reason recorded,
an expired waiver leaves it violated, a waiver that matched nothing is reported as unused."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cadre_rules.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "register"


def _audit(tmp_path: Path, waivers: str, *extra: str):
    file = tmp_path / "waivers.yaml"
    file.write_text(waivers, encoding="utf-8")
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["audit", str(EXAMPLE / "cases"), "--register", str(EXAMPLE / "register.yaml"),
                                       "--waivers", str(file), "--as-of", "2025-06-01", "--format", "json",
                                       "-o", str(out), *extra])
    doc = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
    return result, doc, file


def _unit(doc: dict, unit: str) -> list[dict]:
    return next(c["findings"] for c in doc["cases"] if c["case_id"] == f"register:{unit}")


WAIVE_BOTH = """\
waivers:
  - case: register:中共柳河县委
    rule: XC-OVER-QUOTA
    approver: 市委组织部干部监督处
    reason: 机构改革过渡期，经市委编办同意暂时超配
    expires: 2026-12-31
  - case: register:中共清溪县委
    rule: XC-RUSH-WINDOW
    approver: 省委组织部
    reason: 三项任职均经上级组织部门事前同意，批复附卷
    expires: 2026-12-31
  - case: register:江州市人民政府
    rule: XC-OVER-QUOTA
    approver: 市委组织部
    reason: 误填
    expires: 2026-12-31
"""


def test_a_waiver_turns_a_cross_case_violation_waived_with_its_reason(tmp_path):
    result, doc, file = _audit(tmp_path, WAIVE_BOTH)
    assert result.exit_code == 0, result.output  # both cross-case violations waived: nothing left to fail on
    quota = _unit(doc, "中共柳河县委")[0]
    assert quota["rule_id"] == "XC-OVER-QUOTA" and quota["verdict"] == "waived" and quota["waived_from"] == "violated"
    assert quota["waiver"]["reason"] == "机构改革过渡期，经市委编办同意暂时超配"
    assert quota["waiver"]["status"] == "active" and quota["waiver"]["source"] == f"{file}:2"
    assert _unit(doc, "中共清溪县委")[0]["verdict"] == "waived"
    assert doc["summary"]["waivers"]["applied"] == 2
    # the waiver for a unit without that finding is reported unused, on standard error and in the report
    assert doc["summary"]["waivers"]["unused"] == [f"{file}:12：案例 register:江州市人民政府、规则 XC-OVER-QUOTA 的豁免没有对应的问题"]
    assert f"豁免说明：{file}:12：案例 register:江州市人民政府" in result.output


def test_an_expired_waiver_leaves_the_cross_case_finding_violated(tmp_path):
    expired = WAIVE_BOTH.replace("expires: 2026-12-31", "expires: 2025-01-31", 1)
    result, doc, _ = _audit(tmp_path, expired)
    assert result.exit_code == 1
    quota = _unit(doc, "中共柳河县委")[0]
    assert quota["verdict"] == "violated" and quota["waiver"]["status"] == "expired"
    assert doc["summary"]["waivers"]["expired"] == 1


def test_a_waiver_of_a_unit_the_register_lacks_or_an_unknown_rule_is_an_error(tmp_path):
    result, doc, file = _audit(tmp_path, WAIVE_BOTH.replace("register:江州市人民政府", "register:中共无此县委"),
                               "--lang", "en")  # the English text (zh is tested in tests/audit/test_waivers.py)
    assert result.exit_code == 2
    assert doc["summary"]["waivers"]["errors"] == [
        f'{file}:12: waiver names unknown case "register:中共无此县委" (not among the audited cases)']
    bad, _, file = _audit(tmp_path, WAIVE_BOTH.replace("rule: XC-RUSH-WINDOW", "rule: XC-NO-SUCH-RULE"), "--lang", "en")
    assert bad.exit_code == 2 and f'{file}:8: waiver names unknown rule "XC-NO-SUCH-RULE"' in bad.output


def test_the_redacted_report_hides_the_approver_of_a_cross_case_waiver(tmp_path):
    _, doc, _ = _audit(tmp_path, WAIVE_BOTH, "--redact")
    assert _unit(doc, "中共柳河县委")[0]["waiver"]["approver"] == "〔审批人〕"
