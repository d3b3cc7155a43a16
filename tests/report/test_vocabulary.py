"""One severity vocabulary across every format (issue 15, item 2): a violated rule is named by its severity —
违规 (violation), 提醒 (warning), 提示 (note) — so a warning is never labelled 违规, and every format counts
the same cases "with violations" (those JUnit fails and exit status 1 counts)."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import cadre_rules
from cadre_rules.report import render_github, render_html, render_junit, render_markdown, render_table
from cadre_rules.report.base import finding_label
from cadre_rules.report.model import CaseStats, Summary
from cadre_rules.report.base import as_reported
from cadre_rules.report.markdown import cell

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
AS_OF = date(2026, 6, 30)


@lru_cache(maxsize=1)
def _results():
    return list(cadre_rules.Auditor().audit_paths([EXAMPLES]))


def _rulebook():
    return cadre_rules.load_rulebook()


def test_labels_follow_the_severity():
    kinds = {(str(f.verdict), str(f.severity)): finding_label(f) for r in _results() for f in r.findings}
    assert kinds[("violated", "violation")] == "违规"
    assert kinds[("violated", "warning")] == "提醒"
    assert kinds[("violated", "info")] == "提示"
    assert kinds[("pending", "violation")] == "待定"


def test_html_junit_and_summary_count_the_same_cases_with_violations():
    results = _results()
    blocking_cases = sum(any(f.blocking for f in r.findings) for r in results)
    warning_only = sum(any(f.verdict == "violated" for f in r.findings) and not any(f.blocking for f in r.findings)
                       for r in results)
    assert blocking_cases and warning_only  # the examples hold both kinds, so the counts could differ
    html = render_html(results, _rulebook(), as_of=AS_OF)
    junit = render_junit(results, _rulebook(), as_of=AS_OF)
    html_count = int(re.search(r'data-key="cases_with_violations"><b>(\d+)</b>', html).group(1))
    junit_failures = int(re.search(r'<testsuite name="cadre-rules audit" tests="\d+" failures="(\d+)"', junit).group(1))
    assert html_count == junit_failures == blocking_cases
    summary = Summary(AS_OF)
    for r in results:
        summary.add(CaseStats.of(as_reported(r)))
    doc = summary.to_dict()
    assert doc["cases_with_violations"] == blocking_cases
    assert sum(doc["by_severity"].values()) == doc["violated"]
    table = render_table(results, _rulebook(), as_of=AS_OF)
    assert f"有违规的案例 {blocking_cases} 件" in table
    github = render_github(results, _rulebook(), as_of=AS_OF)
    assert f"{blocking_cases} 个案例有违规" in github


def test_a_warning_is_never_labelled_violation_in_any_format():
    results = _results()
    warnings = [(r, f) for r in results for f in r.findings if f.verdict == "violated" and f.severity == "warning"]
    assert warnings
    html = render_html(results, _rulebook(), as_of=AS_OF)
    for rule_id, badge, severity in re.findall(
            r'<tr class="finding" data-rule="([^"]+)" data-verdict="violated"><td>.*?</td>'
            r'<td><span class="badge [a-z]+">([^<]+)</span></td><td>([^<]+)</td>', html, re.S):
        assert (badge, severity) in {("违规", "违规"), ("提醒", "提醒"), ("提示", "提示")}, rule_id
    assert "提醒" in html
    markdown = render_markdown(results, _rulebook(), as_of=AS_OF)
    for r, f in warnings:
        line = next(l for l in markdown.splitlines() if l.startswith(f"| {f.rule_id} |") and f" {cell(f.message['zh'])}" in l)  # the cell may go on (责任追究)
        assert line.split(" | ")[1:3] == ["提醒", "提醒"], line
    github = render_github(results, _rulebook(), as_of=AS_OF)
    for r, f in warnings:
        assert f"title={f.rule_id} 提醒 (" in github
        if not any(g.rule_id == f.rule_id and g.blocking for x in results for g in x.findings):
            assert f"title={f.rule_id} 违规 (" not in github
    junit = render_junit(results, _rulebook(), as_of=AS_OF)
    assert "[提醒]" in junit and "[violated/" not in junit


def test_english_vocabulary():
    results = _results()
    markdown = render_markdown(results, _rulebook(), lang="en", as_of=AS_OF)
    assert "| warning | warning |" in markdown and "| violation | violation |" in markdown
    head = markdown.split("## Cases")[0]
    assert "| of which warnings |" in head and "| Cases with violations |" in head
