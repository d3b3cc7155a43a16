"""A case's text with control characters in it: shown in the readable reports, never acted on.

Found by fuzzing the reports with hostile text: a candidate's name carrying ESC sequences reached the
terminal table, Markdown, HTML and GitHub annotations raw (a name could erase the finding printed
above it, or recolour the screen), and a vertical tab or NUL in any text the annual report quotes
stopped `report annual --docx` with an internal error (XML refuses them). The JSON reports keep the
text exact: JSON escapes control characters itself.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules.cli.main import main
from cadre_rules.report.controls import shown
from cadre_rules.reading.yamlmarks import safe_load

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "张\x1b[1A\x1b[2K三\x07\x0b\x00\x9b"  # cursor up, erase the line, bell, VT, NUL, CSI
ACTED_ON = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@pytest.fixture
def hostile_case(tmp_path) -> Path:
    data = safe_load((ROOT / "examples" / "cases" / "06-违规-临时动议.yaml").read_text(encoding="utf-8"))
    data.pop("meta", None)
    data["candidates"][0]["name"] = HOSTILE
    data["body"]["name"] += HOSTILE  # the annual report's tables name the body
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def test_shown_writes_each_control_character_as_its_code_and_keeps_line_ends():
    assert shown(HOSTILE) == "张\\x1b[1A\\x1b[2K三\\x07\\x0b\\x00\\x9b"
    assert shown("第一行\n第二行\r\n\t缩进") == "第一行\n第二行\r\n\t缩进"


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "github", "junit"])
def test_readable_reports_show_the_control_characters_of_a_name(hostile_case, fmt):
    result = CliRunner().invoke(main, ["audit", str(hostile_case), "--format", fmt])
    assert result.exit_code == 1, result.output
    assert not ACTED_ON.findall(result.stdout), sorted({hex(ord(c)) for c in ACTED_ON.findall(result.stdout)})
    assert "x1b[1A" in result.stdout and "x1b[2K" in result.stdout  # the name is there, its sequences visible


def test_the_json_report_keeps_the_name_exactly(hostile_case):
    result = CliRunner().invoke(main, ["audit", str(hostile_case), "--format", "json"])
    (finding,) = json.loads(result.stdout)["cases"][0]["findings"]
    assert HOSTILE in finding["message"]["zh"]


def test_the_annual_report_is_written_with_such_text(hostile_case, tmp_path):
    from docx import Document

    md, docx_path = tmp_path / "r.md", tmp_path / "r.docx"
    organisation = json.loads(hostile_case.read_text(encoding="utf-8"))["organisation"]
    result = CliRunner().invoke(main, ["report", "annual", str(hostile_case), "--year", "2022", "--org", organisation,
                                       "--markdown", str(md), "--docx", str(docx_path), "--as-of", "2024-01-01"])
    assert result.exit_code == 0, result.output
    cells = [c.text for table in Document(str(docx_path)).tables for row in table.rows for c in row.cells]
    assert any("\\x1b[1A" in c for c in cells) and "\\x1b[1A" in md.read_text(encoding="utf-8")
    assert not ACTED_ON.findall(md.read_text(encoding="utf-8"))
