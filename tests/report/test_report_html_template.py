"""The HTML report comes from a template a department can replace, with a letterhead slot, and its
charts are sorted by count (issue 15, item 4). Rendering in a browser: test_report_html_browser.py."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from wording import english_words

from cadre_rules.cli.main import main
from cadre_rules.report.html import BUNDLED_TEMPLATE

CASES = Path(__file__).resolve().parents[2] / "examples" / "cases"


def _html(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(main, ["audit", str(CASES), "--format", "html", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def page() -> str:
    code, out, _ = _html()
    assert code == 1
    return out


def _chart(page: str, chart_id: str) -> list[tuple[str, int]]:
    table = re.search(rf'<table class="chart" id="{chart_id}">(.*?)</table>', page, re.S).group(1)
    return [(k, int(n)) for k, n in re.findall(r'<tr data-key="([^"]*)" data-total="(\d+)"', table)]


def test_charts_of_rules_and_organisations_are_sorted_by_count(page: str) -> None:
    for chart in ("chart-rule", "chart-organisation", "chart-organisation-cases"):
        rows = _chart(page, chart)
        assert len(rows) > 3
        assert rows == sorted(rows, key=lambda r: (-r[1], r[0])), chart
        assert rows[0][1] > rows[-1][1]  # the ordering is visible
    years = [k for k, _ in _chart(page, "chart-year-cases")]
    assert years == sorted(years)  # a time series stays in time order


def test_the_default_page_has_an_empty_letterhead_slot_and_a_print_stylesheet(page: str) -> None:
    assert '<header class="letterhead"></header>' in page
    assert "@media print" in page and "size:A4" in page
    assert page.count('<details class="case"') == len(list(CASES.glob("*.yaml")))
    assert "<script" not in page


def test_a_department_template_and_letterhead(tmp_path: Path) -> None:
    template = tmp_path / "ours.html"
    template.write_text(BUNDLED_TEMPLATE.read_text(encoding="utf-8").replace(
        "<main>", '<main><p class="classification">内部资料 注意保存 — 费用 $$0</p>'), encoding="utf-8")
    head = tmp_path / "head.html"
    head.write_text('<div class="org">中共示例市委组织部</div>', encoding="utf-8")
    code, out, err = _html("--html-template", str(template), "--letterhead", str(head))
    assert code == 1, err
    assert '<header class="letterhead"><div class="org">中共示例市委组织部</div></header>' in out
    assert '<p class="classification">内部资料 注意保存 — 费用 $0</p>' in out
    assert out.index("classification") < out.index('id="summary"') < out.index('id="cases"')
    assert out.rstrip().endswith("</html>")
    # the configuration file and the environment reach the options too (docs/cli.md)
    code, out, _ = _html(env={"CADRE_RULES_AUDIT_LETTERHEAD": str(head)})
    assert "中共示例市委组织部" in out


@pytest.mark.parametrize("text, message", [
    ("<html>$title</html>", "must hold $cases exactly once"),
    ("<html>$cases $cases</html>", "must hold $cases exactly once"),
    ("<html>$titel $cases</html>", "unknown placeholder $titel (did you mean $title?)"),
    ("<html>$cases costs 5$</html>", ":1: a lone '$'"),
])
def test_a_broken_template_is_refused_before_any_case_is_judged(tmp_path: Path, text: str, message: str) -> None:
    template = tmp_path / "bad.html"
    template.write_text(text, encoding="utf-8")
    code, out, err = _html("--html-template", str(template), "--lang", "en")
    assert code == 2 and out == ""
    assert f"template error: {template}" in err and message in err
    code, out, err = _html("--html-template", str(template))  # Chinese by default
    assert code == 2 and out == "" and err.startswith(f"模板有误：{template}")
    assert not english_words(err.split(str(template), 1)[1]), err
