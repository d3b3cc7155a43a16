"""Every report format on one small corpus: contract, structure, streaming, reference date.

The corpus (built by `make_corpus`, also used by the redaction and waiver tests):
  a-compliant.json   2021-qx-czj-001  compliant
  b-quorum.json      2021-qx-czj-002  DEC-QUORUM violated (7 of 11 members present)
  c-invalid.json     2021-qx-czj-003  invalid (unknown member m99)
  d-stream.jsonl     line 1: 2023-jz-sthj-002 compliant (example 02: another organisation and year);
                     line 3: broken JSON
"""
from __future__ import annotations

import copy
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cadre_rules.audit.auditor import summarize
from cadre_rules.cli.main import main
from cadre_rules.reading.yamlmarks import safe_load
from casedata import attend, dump

ROOT = Path(__file__).resolve().parents[2]

CASE_IDS = ["2021-qx-czj-001", "2021-qx-czj-002", "2021-qx-czj-003", "2023-jz-sthj-002", None]


def make_corpus(tmp_path: Path, baseline: dict[str, Any]) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    a = copy.deepcopy(baseline)
    (root / "a-compliant.json").write_text(dump(a), encoding="utf-8")
    b = copy.deepcopy(baseline)
    b["id"], b["title"] = "2021-qx-czj-002", "清溪县教育局局长提拔（到会不足）"
    attend(b, ["m01", "m02", "m03", "m04", "m05", "m06", "m07"])
    (root / "b-quorum.json").write_text(dump(b), encoding="utf-8")
    c = copy.deepcopy(baseline)
    c["id"] = "2021-qx-czj-003"
    c["meetings"][0]["attendees"][0] = "m99"
    (root / "c-invalid.json").write_text(dump(c), encoding="utf-8")
    d = safe_load(next((ROOT / "examples" / "cases").glob("02-*.yaml")).read_text(encoding="utf-8"))
    (root / "d-stream.jsonl").write_text(dump(d) + "\n\n" + '{"id": "broken",\n', encoding="utf-8")
    return root


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["audit", *args])


@pytest.fixture
def corpus(tmp_path, baseline) -> Path:
    return make_corpus(tmp_path, baseline)


def test_json_is_one_streamed_document_with_the_contract(corpus):
    result = run(str(corpus), "--format", "json", "--as-of", "2024-06-30")
    assert result.exit_code == 2  # one invalid input, even with a violation elsewhere
    text = result.stdout
    doc = json.loads(text)
    assert json.dumps(doc, ensure_ascii=False, indent=2) + "\n" == text  # same text as a one-shot dump
    assert [c["case_id"] for c in doc["cases"]] == CASE_IDS
    assert [c["status"] for c in doc["cases"]] == ["ok", "ok", "invalid", "ok", "invalid"]
    assert doc["cases"][4]["source"].endswith("d-stream.jsonl:3")
    assert doc["as_of"] == "2024-06-30" and doc["summary"]["as_of"] == "2024-06-30"
    assert doc["rulebook"]["profile"] == "national" and doc["redacted"] is False
    for case in doc["cases"]:
        assert set(case) >= {"case_id", "source", "status", "errors", "findings", "case"}
    summary = doc["summary"]
    assert (summary["cases"], summary["invalid"], summary["violated"], summary["by_rule"]) == (5, 2, 1, {"DEC-QUORUM": 1})
    assert summary["by_stage"]["decision"]["violated"] == 1
    assert summary["by_year"]["2021"] == {"cases": 2, "invalid": 0, "violated": 1}
    assert summary["by_year"]["2023"] == {"cases": 1, "invalid": 0, "violated": 0}
    assert summary["by_organisation"]["江州市生态环境局"]["cases"] == 1
    assert doc["cases"][1]["case"] == {"title": "清溪县教育局局长提拔（到会不足）", "organisation": "中共清溪县委",
                                       "year": 2021, "move": "promotion"}


def test_summary_keeps_the_legacy_counts(corpus, auditor):
    results = list(auditor.audit_paths([corpus]))
    doc = json.loads(run(str(corpus), "--format", "json").stdout)
    legacy = summarize(results)
    assert {k: doc["summary"][k] for k in legacy} == legacy


def test_jsonl_one_case_per_line_then_the_summary(corpus):
    result = run(str(corpus), "--format", "jsonl", "--as-of", "2024-06-30")
    lines = result.stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["case_id"] for r in records[:-1]] == CASE_IDS
    assert all("summary" not in r for r in records[:-1])
    assert records[-1]["summary"]["cases"] == 5 and records[-1]["as_of"] == "2024-06-30"
    full = json.loads(run(str(corpus), "--format", "json", "--as-of", "2024-06-30").stdout)
    assert records[:-1] == full["cases"]


def test_jsonl_is_written_while_the_input_is_still_being_read(corpus, monkeypatch):
    """Each case is written before the next one is read: the report streams."""
    from io import StringIO

    from cadre_rules.audit import batch
    from cadre_rules.report.batch import AuditOptions, run_audit

    read = []
    original = batch.iter_units

    def counting(paths, **options):
        for unit in original(paths, **options):
            read.append(unit.source)
            yield unit

    class Out(StringIO):
        def write(self, text):
            if text.startswith('{"case_id"'):
                writes.append(len(read))
            return super().write(text)

    writes: list[int] = []
    monkeypatch.setattr(batch, "iter_units", counting)
    run_audit([str(corpus)], AuditOptions(fmt="jsonl"), Out(), progress=False, err=lambda line: None)
    assert writes == [1, 2, 3, 4, 5]


def test_markdown(corpus):
    result = run(str(corpus), "--format", "markdown", "--as-of", "2024-06-30", "--lang", "zh")
    text = result.stdout
    assert text.startswith("# 干部选拔任用合规审计报告\n")
    assert "- 基准日: 2024-06-30" in text
    assert "| DEC-QUORUM | 应有三分之二以上成员到会 | 1 |" in text
    for case_id in CASE_IDS[:4]:
        assert f"### {case_id}" in text
    assert text.index("## 汇总") < text.index("## 案例明细") < text.index("### 2021-qx-czj-001")
    assert '未知的班子成员 "m99"' in text and "**输入无效**" in text
    # Every table row has as many cells as its header (pipes inside text are escaped).
    for block in re.findall(r"((?:^\|.*\|\n)+)", text, re.M):
        rows = block.splitlines()
        widths = {len(re.split(r"(?<!\\)\|", r)) for r in rows}
        assert len(widths) == 1, rows
    en = run(str(corpus), "--format", "markdown", "--lang", "en").stdout
    assert en.startswith("# Cadre selection compliance audit") and "Findings by rule" in en
    assert 'unknown member "m99"' in en and "未知的班子成员" not in en  # input errors follow --lang too


def test_sarif_loads_into_the_sarif_object_model(corpus):
    from sarif_pydantic import Sarif
    from sarif_pydantic.sarif import Notification

    result = run(str(corpus), "--format", "sarif", "--as-of", "2024-06-30")
    doc = json.loads(result.stdout)
    log = Sarif.model_validate(doc)
    assert log.version == "2.1.0"
    assert_no_unknown_fields(log, allowed={"toolExecutionNotifications"})
    (run_,) = log.runs
    rules = run_.tool.driver.rules
    assert [r.id for r in rules][:3] == ["MOT-NO-ADHOC", "MOT-VACANCY", "REC-REQUIRED"] or len(rules) >= 19
    quorum = next(r for r in rules if r.id == "DEC-QUORUM")
    assert "《党政领导干部选拔任用工作条例》" in quorum.help.text and "三分之二" in quorum.short_description.text
    assert quorum.default_configuration.level == "error"
    assert quorum.properties["citations"] and all("label" in c for c in quorum.properties["citations"])
    (res,) = run_.results
    assert res.rule_id == "DEC-QUORUM" and rules[res.rule_index].id == "DEC-QUORUM"
    assert res.kind == "fail" and res.level.value == "error"
    kinds = [(loc.kind, loc.fully_qualified_name) for loc in res.locations[0].logical_locations]
    assert kinds[:2] == [("case", "2021-qx-czj-002"), ("stage", "2021-qx-czj-002/decision")]
    assert kinds[2][0] == "event" and kinds[2][1].startswith("2021-qx-czj-002/decision/")
    assert res.locations[0].physical_location.artifact_location.uri.endswith("b-quorum.json")
    (invocation,) = run_.invocations
    assert invocation.properties["asOf"] == "2024-06-30"
    notes = [Notification.model_validate(n) for n in doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]]
    full = json.loads(run(str(corpus), "--format", "json").stdout)
    assert len(notes) == sum(len(c["errors"]) for c in full["cases"]) >= 2  # one per problem of an invalid input
    assert all(n.level.value == "error" and n.descriptor.id == "INPUT-INVALID" for n in notes)
    assert notes[0].locations[0].logical_locations[0].name == "2021-qx-czj-003"
    assert notes[-1].locations[0].physical_location.region.start_line == 3  # the .jsonl line
    assert run_.properties["summary"]["cases"] == 5


def assert_no_unknown_fields(model: Any, allowed: set[str], where: str = "$") -> None:
    """Every key we wrote is a property of the SARIF object model (except inside property bags)."""
    from pydantic import BaseModel

    if isinstance(model, BaseModel):
        extra = set(model.model_extra or {}) - allowed
        assert not extra, f"{where}: not SARIF 2.1.0 properties: {sorted(extra)}"
        for name in type(model).model_fields:
            if name != "properties":
                assert_no_unknown_fields(getattr(model, name), allowed, f"{where}.{name}")
    elif isinstance(model, list):
        for i, item in enumerate(model):
            assert_no_unknown_fields(item, allowed, f"{where}[{i}]")


def test_junit_one_testcase_per_case(corpus):
    result = run(str(corpus), "--format", "junit", "--as-of", "2024-06-30")
    root = ET.fromstring(result.stdout.encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases][:4] == CASE_IDS[:4]
    assert len(cases) == 5
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("5", "1", "2")
    failing = cases[1].find("failure")
    assert failing is not None and failing.get("message") == "DEC-QUORUM" and "DEC-QUORUM" in failing.text
    assert cases[2].find("error") is not None and '未知的班子成员 "m99"' in cases[2].find("error").text
    assert cases[0].find("failure") is None and cases[0].find("error") is None
    assert cases[3].get("classname") == "江州市生态环境局"
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props["as_of"] == "2024-06-30" and props["rulebook.profile"] == "national"


def test_html_is_one_self_contained_page(corpus):
    text = run(str(corpus), "--format", "html", "--as-of", "2024-06-30").stdout
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|url\(|@import|href=\"(?:https?:)?//", text)
    for chart in ("chart-rule", "chart-stage", "chart-year", "chart-organisation"):
        assert f'id="{chart}"' in text
    assert text.count('<details class="case"') == 5
    assert '<dd>2024-06-30</dd>' in text
    assert_balanced(text)


def assert_balanced(text: str) -> None:
    """Every element opened is closed, in order (void elements aside)."""
    from html.parser import HTMLParser

    void = {"meta", "br", "hr", "img", "input", "link"}

    class Checker(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag not in void:
                self.stack.append(tag)

        def handle_endtag(self, tag):
            assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:], self.getpos())
            self.stack.pop()

    checker = Checker()
    checker.feed(text)
    checker.close()
    assert checker.stack == []


def test_table_default_and_output_file(corpus, tmp_path):
    result = run(str(corpus), "--as-of", "2024-06-30")
    assert "干部选拔任用合规审计" in result.stdout and "基准日 2024-06-30" in result.stdout
    assert "案例 5 件，输入无效 2 件，有违规的案例 1 件；发现问题 1 项（违规 1 项，提醒 0 项，提示 0 项）" in result.stdout
    out = tmp_path / "r.html"
    result = run(str(corpus), "--format", "html", "-o", str(out))
    assert result.stdout == "" and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_every_format_is_listed_and_renders_the_api_way(corpus, auditor, rulebook):
    from cadre_rules.report import FORMATS, RENDERERS

    assert set(FORMATS) == set(RENDERERS) == {"table", "json", "jsonl", "markdown", "html", "sarif", "junit", "github"}
    results = list(auditor.audit_paths([corpus]))
    for name, render in RENDERERS.items():
        text = render(results, rulebook)
        assert "2021-qx-czj-002" in text, name


def test_fast_finding_dict_equals_asdict(corpus, auditor, tmp_path, baseline):
    from cadre_rules.report.model import finding_dict
    from cadre_rules.audit.waivers import load_waivers

    results = list(auditor.audit_paths([corpus]))
    findings = [f for r in results for f in r.findings]
    assert findings
    for f in findings:
        assert finding_dict(f) == f.to_dict()
    path = tmp_path / "w.yaml"
    path.write_text("- {case: 2021-qx-czj-002, rule: DEC-QUORUM, approver: x, reason: y, expires: 2030-01-01}\n",
                    encoding="utf-8")
    waived, _ = load_waivers(path).apply("2021-qx-czj-002", findings, __import__("datetime").date(2024, 1, 1), "v")
    assert any(getattr(f, "waiver", None) for f in waived)
    for f in waived:
        assert finding_dict(f) == f.to_dict()



def test_not_judged_and_why_is_counted_per_rule_and_per_missing_record(tmp_path, baseline):
    """Unknown findings are summed per rule and per missing record in the summary of every readable report."""
    for n in (1, 2):
        d = copy.deepcopy(baseline)
        d["id"] = f"x{n}"
        d["meetings"][0]["agenda"][0]["statements"] = None  # the record does not say who stated what
        if n == 2:
            d["meetings"][0]["agenda"][0]["circulated_in_advance"] = None
        (tmp_path / f"x{n}.json").write_text(dump(d), encoding="utf-8")
    doc = json.loads(run(str(tmp_path), "--format", "json").stdout)
    assert {f["verdict"] for c in doc["cases"] for f in c["findings"]} == {"unknown"}
    assert doc["summary"]["not_judged"] == {
        "by_rule": {"DEC-DEFER": 2, "DEC-EXPLICIT-VIEW": 2, "DEC-LAST-SPEAKER": 2, "MOT-NO-ADHOC": 1},
        "by_record": {"meetings[].agenda[].statements": 6, "meetings[].agenda[].circulated_in_advance": 1}}
    table = run(str(tmp_path), "--lang", "en").stdout
    assert ("Not judged, and why: by rule DEC-DEFER 2、DEC-EXPLICIT-VIEW 2、DEC-LAST-SPEAKER 2、MOT-NO-ADHOC 1; "
            "by missing record meetings[].agenda[].statements 6、meetings[].agenda[].circulated_in_advance 1") in table
    zh_table = run(str(tmp_path)).stdout  # the Chinese table names the record in Chinese, its path beside it
    assert "按缺少的记录 会议议题的逐一表态（meetings[].agenda[].statements） 6" in zh_table
    md = run(str(tmp_path), "--format", "markdown").stdout
    assert "### 未判断及原因" in md and "| 会议议题的逐一表态（`meetings[].agenda[].statements`） | 6 |" in md
    html = run(str(tmp_path), "--format", "html").stdout
    assert "会议议题的逐一表态（<code>meetings[].agenda[].statements</code>）</td><td>6</td>" in html
    check_not_judged_in_sarif_junit_github(tmp_path)
    # a report without unknown findings has no such section
    (tmp_path / "x1.json").unlink(), (tmp_path / "x2.json").unlink()
    (tmp_path / "ok.json").write_text(dump(baseline), encoding="utf-8")
    assert "not_judged" not in json.loads(run(str(tmp_path), "--format", "json").stdout)["summary"]


def check_not_judged_in_sarif_junit_github(tmp_path):
    """The machine formats carry "not judged, and why" too: SARIF as notifications and run properties,
    JUnit as the suite's output and properties, GitHub as a last notice."""
    from sarif_pydantic import Sarif
    from sarif_pydantic.sarif import Notification

    doc = json.loads(run(str(tmp_path), "--format", "sarif", "--lang", "en").stdout)
    log = Sarif.model_validate(doc)
    assert_no_unknown_fields(log, allowed={"toolExecutionNotifications"})
    notes = [Notification.model_validate(n) for n in doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]]
    rules = [r.id for r in log.runs[0].tool.driver.rules]
    counted = {n.associated_rule.id: n.properties["count"] for n in notes if n.descriptor.id == "NOT-JUDGED"}
    assert counted == {"DEC-DEFER": 2, "DEC-EXPLICIT-VIEW": 2, "DEC-LAST-SPEAKER": 2, "MOT-NO-ADHOC": 1}
    assert all(rules[n.associated_rule.index] == n.associated_rule.id and n.level.value == "note" for n in notes)
    not_judged = doc["runs"][0]["properties"]["notJudged"]
    assert not_judged["byRecord"] == {"meetings[].agenda[].statements": 6, "meetings[].agenda[].circulated_in_advance": 1}
    assert "Not judged, and why" in not_judged["text"]

    root = ET.fromstring(run(str(tmp_path), "--format", "junit").stdout.encode("utf-8"))
    (suite,) = root.findall("testsuite")
    assert [child.tag for child in suite][-1] == "system-out"  # after the test cases, as the schema orders them
    text = suite.find("system-out").text
    assert text.startswith("未判断及原因") and "DEC-LAST-SPEAKER" in text
    assert "会议议题的逐一表态（meetings[].agenda[].statements）: 6" in text
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props["unknown"] == "7" and props["not_judged.MOT-NO-ADHOC"] == "1"

    github = run(str(tmp_path), "--format", "github", "--lang", "en").stdout.splitlines()
    assert github[-1].startswith("::notice title=Not judged%2C and why::By rule:%0A  DEC-DEFER ")
    assert "meetings[].agenda[].statements: 6" in github[-1]
