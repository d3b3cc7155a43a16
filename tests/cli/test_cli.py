"""The command line as a user runs it: contract of the JSON report, exit statuses, other commands."""
from __future__ import annotations

import json

from click.testing import CliRunner

from cadre_rules.cli.main import main


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def attend(data, present):
    """Only these members attend; the others' statements go too."""
    data["meetings"][0]["attendees"] = present
    item = data["meetings"][0]["agenda"][0]
    item["statements"] = [s for s in item["statements"] if s["member"] in present]
    item["vote"]["agree"] = len(present)


def write_case(tmp_path, data, name="case.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def test_audit_json_contract_and_exit_status(tmp_path, baseline):
    attend(baseline, ["m01", "m02", "m03", "m04", "m05", "m06", "m07"])
    baseline["meetings"][0]["agenda"][0]["statements"][1]["view"] = "unclear"
    path = write_case(tmp_path, baseline)
    result = invoke("audit", str(path), "--format", "json")
    assert result.exit_code == 1  # a violation of severity "violation"
    doc = json.loads(result.stdout)
    (case,) = doc["cases"]
    assert set(case) >= {"case_id", "source", "status", "errors", "findings"}
    assert (case["case_id"], case["source"], case["status"], case["errors"]) == ("2021-qx-czj-001", str(path), "ok", [])
    for finding in case["findings"]:
        assert set(finding) >= {"rule_id", "verdict", "severity", "stage", "edition", "article", "message", "evidence"}
        assert set(finding["message"]) == {"zh", "en"}
    assert [f["rule_id"] for f in case["findings"]] == ["DEC-EXPLICIT-VIEW", "DEC-QUORUM"]
    summary = doc["summary"]
    assert (summary["cases"], summary["invalid"], summary["violated"]) == (1, 0, 2)
    assert summary["by_rule"] == {"DEC-EXPLICIT-VIEW": 1, "DEC-QUORUM": 1}


def test_exit_zero_when_only_warnings(tmp_path, baseline):
    baseline["filings"][0]["date"] = "2021-05-20"  # RPT-FILING is a warning by default
    result = invoke("audit", str(write_case(tmp_path, baseline)), "--format", "json")
    assert result.exit_code == 0
    assert [f["severity"] for f in json.loads(result.stdout)["cases"][0]["findings"]] == ["warning"]


def test_exit_three_on_usage_error():
    """Usage errors have their own status (3), apart from invalid input (2): see docs/cli.md."""
    assert invoke("audit").exit_code == 3
    assert invoke("audit", "x.json", "--format", "pdf").exit_code == 3


def test_table_output_in_chinese_and_english(tmp_path, baseline, monkeypatch):
    monkeypatch.setenv("COLUMNS", "260")  # wide enough that no citation is folded mid-word
    attend(baseline, ["m01", "m02", "m03", "m04", "m05", "m06", "m07"])
    path = write_case(tmp_path, baseline)
    zh = invoke("audit", str(path))
    assert zh.exit_code == 1 and "DEC-QUORUM" in zh.stdout and "违规" in zh.stdout and "第37条" not in zh.stdout
    assert "〔未核实〕" in zh.stdout  # the 2019 article number is not verified
    en = invoke("audit", str(path), "--lang", "en")
    assert "Cadre selection compliance audit" in en.stdout and "1 cases, 0 invalid, 1 with violations; 1 findings (1 violations" in en.stdout


def test_output_file(tmp_path, baseline):
    out = tmp_path / "report.json"
    result = invoke("audit", str(write_case(tmp_path, baseline)), "--format", "json", "--output", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["cases"] == 1


def test_same_input_gives_the_same_report(tmp_path, baseline):
    attend(baseline, ["m01", "m02", "m03", "m05", "m06", "m07"])
    path = write_case(tmp_path, baseline)
    first, second = invoke("audit", str(path), "--format", "json"), invoke("audit", str(path), "--format", "json")
    assert first.stdout == second.stdout


def test_rules_list_json_has_every_rule_with_basis(rulebook):
    result = invoke("rules", "list", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert [r["id"] for r in doc["rules"]] == rulebook.ids
    assert all(r["basis"] and r["effective"]["from"] for r in doc["rules"])
    assert invoke("rules", "list").exit_code == 0


def test_rules_option_reports_a_broken_rulebook(tmp_path):
    (tmp_path / "editions.yaml").write_text("editions: []\n", encoding="utf-8")
    result = invoke("audit", "x.json", "--rules", str(tmp_path), "--lang", "en")
    assert result.exit_code == 2 and "rulebook error" in result.stderr and "workflow.yaml: missing" in result.stderr
    zh = invoke("audit", "x.json", "--rules", str(tmp_path))  # the heading follows --lang (zh by default)
    assert zh.exit_code == 2 and zh.stderr.startswith("规则库有误:\n") and "workflow.yaml: 缺少此文件" in zh.stderr


def test_schema_is_the_case_json_schema():
    schema = json.loads(invoke("schema").stdout)
    assert schema["title"] == "Case" and "meetings" in schema["properties"] and "Meeting" in schema["$defs"]


def test_workflow_mermaid_and_json():
    mermaid = invoke("workflow", "--format", "mermaid").stdout
    assert mermaid.startswith("stateDiagram-v2") and "discussion --> decision" in mermaid
    graph = json.loads(invoke("workflow", "--format", "json").stdout)
    edge = next(t for t in graph["transitions"] if (t["from"], t["to"]) == ("discussion", "decision"))
    assert "DEC-QUORUM" in edge["guards"]


def test_table_keeps_bracketed_text_literally(tmp_path, baseline):
    baseline["id"] = "a[/b]"
    baseline["inspections"][0]["team"] = baseline["inspections"][0]["team"][:1]
    result = invoke("audit", str(write_case(tmp_path, baseline)), "--lang", "en")
    assert result.exit_code == 1 and "a[/b]" in result.stdout
    assert "[unverified]" in result.stdout  # INS-TEAM-2 cites the 2019 text's unverified Art. 34


def test_an_empty_directory_is_an_error_not_a_clean_audit(tmp_path):
    result = invoke("audit", str(tmp_path), "--format", "json")
    assert result.exit_code == 2 and "错误：没有找到案例文件" in result.stderr
    result = invoke("audit", str(tmp_path), "--format", "json", "--lang", "en")
    assert result.exit_code == 2 and "error: no case files found" in result.stderr
