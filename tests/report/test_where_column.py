"""The "where" column of the Markdown and HTML reports names the case-level record (a finding's empty
path) by its label in the report's language, never as an empty string after a comma."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules.cli.main import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cases" / "09-违规-考察未完成即上会.yaml"


@pytest.mark.parametrize("lang,label", [("zh", "案例整体"), ("en", "the case as a whole")])
def test_case_level_record_is_named(lang: str, label: str) -> None:
    md = CliRunner().invoke(main, ["audit", str(EXAMPLE), "--format", "markdown", "--lang", lang])
    html = CliRunner().invoke(main, ["audit", str(EXAMPLE), "--format", "html", "--lang", lang])
    rows = [line for line in md.stdout.splitlines() if line.startswith("| QUAL-BASIC-CONDITIONS")]
    assert any(r.rstrip(" |").endswith(f"meetings[0].agenda[0], candidates[0], {label}") for r in rows), rows
    cells = re.findall(r'<td class="where">([^<]*)</td>', html.stdout)
    assert f"meetings[0].agenda[0], candidates[0], {label}" in cells
    for cell in cells + [r.rsplit("|", 2)[-2] for r in md.stdout.splitlines() if r.startswith("| ")]:
        assert not cell.strip().endswith(","), cell
