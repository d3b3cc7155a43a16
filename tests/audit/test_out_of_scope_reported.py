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


def _old_case_result(year_from: str = "2021-", year_to: str = "2001-"):
    import cadre_rules as cr

    data = json.loads(json.dumps(baseline_data(), ensure_ascii=False, default=str).replace(year_from, year_to))
    return cr.Auditor().audit_data(data, "old.json")


def test_the_readable_reports_list_acts_out_of_scope_and_never_say_compliant():
    import cadre_rules as cr
    from cadre_rules.report import render_html, render_markdown, render_table
    from cadre_rules.report.terminal import Terminal

    result = _old_case_result()
    assert result.findings == [] and result.out_of_scope
    rulebook = cr.load_rulebook()
    for lang, compliant, marker in (("zh", "合规", "早于规则库最早版本（2002-07-09）的环节，未判断"),
                                    ("en", "compliant", "Acts before the earliest edition in the rulebook (2002-07-09): not judged")):
        table = render_table([result], rulebook, lang=lang, terminal=Terminal(400, False))  # no line folds
        markdown = render_markdown([result], rulebook, lang=lang)
        html = render_html([result], rulebook, lang=lang)
        for text in (table, markdown, html):
            assert marker.split("（")[0].split(" (")[0] in text
            assert "motion (2001-03-02)" in text and "MOT-INITIATION" in text
        # the case's status is "before the earliest edition", never compliant
        assert f"**{compliant}**" not in markdown
        assert "早于最早版本（未判断）" in markdown if lang == "zh" else "before the earliest edition (not judged)" in markdown
        assert 'data-status="out_of_scope"' in html and 'badge compliant' not in html
        assert f" {compliant} " not in table.replace("│", " ")


def test_a_case_judged_in_part_lists_its_early_acts_below_its_findings():
    import cadre_rules as cr
    from cadre_rules.report import render_markdown

    # only the motion predates 2002-07-09: the rest is judged, the motion is listed as not judged
    data = json.loads(json.dumps(baseline_data(), ensure_ascii=False, default=str))
    data["motion"]["date"] = "2001-03-02"
    result = cr.Auditor().audit_data(data, "mixed.json")
    assert [e["path"] for e in result.out_of_scope] == ["motion"]
    markdown = render_markdown([result], cr.load_rulebook(), lang="en")
    assert "- motion (2001-03-02) — rules: " in markdown
