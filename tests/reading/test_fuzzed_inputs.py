"""Inputs found by fuzzing the files a user hands the command line (case files, waivers, mappings)
that once ended in an internal error instead of the file's own error. Each test shows what a user
sees now: the exit status of bad input and one line naming the file and the line of the fault."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "examples" / "cases" / "01-合规-县财政局局长提拔.yaml"

# An explicit YAML tag on a value that is not one: PyYAML's constructors raised ValueError,
# KeyError or IndexError, which no reader expected.
MISTAGGED = ["!!int abc", "!!float x", "!!bool maybe", "!!int ''"]


@pytest.mark.parametrize("value", MISTAGGED)
def test_a_mistagged_value_in_a_case_file_is_that_files_yaml_error(tmp_path: Path, value: str) -> None:
    bad = tmp_path / "a-bad.yaml"
    bad.write_text(GOOD.read_text(encoding="utf-8").replace("\nid: ", f"\nx_note: {value}\nid: ", 1), encoding="utf-8")
    (tmp_path / "b-good.yaml").write_bytes(GOOD.read_bytes())
    line = bad.read_text(encoding="utf-8").split("\n").index(f"x_note: {value}") + 1
    run = CliRunner().invoke(main, ["audit", str(tmp_path), "--format", "json", "--lang", "en"])
    assert run.exit_code == 2, run.output
    cases = {Path(c["source"]).name: c for c in json.loads(run.stdout)["cases"]}
    (error,) = cases["a-bad.yaml"]["errors"]
    assert error["kind"] == "invalid_yaml" and error["line"] == line and error["column"] == 9, error
    assert "value does not fit its tag !!" in error["message"]
    assert f"{bad}:{line}:9: invalid YAML: value does not fit its tag" in run.stderr
    assert "internal error" not in run.stderr
    assert cases["b-good.yaml"]["status"] == "ok"


def test_a_mistagged_value_in_the_waivers_file_is_its_error_not_an_internal_one(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - case: !!int abc\n    rule: DEC-QUORUM\n", encoding="utf-8")
    run = CliRunner().invoke(main, ["audit", str(GOOD), "--waivers", str(waivers)])
    assert run.exit_code == 2, run.output
    assert f"{waivers}:2: YAML 格式错误：值与其标签不符" in run.stderr
    assert "内部错误" not in run.stderr and "internal error" not in run.stderr


def test_a_mistagged_value_in_a_workbook_mapping_names_the_file_and_line(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("sheets:\n  动议: !!bool maybe\n", encoding="utf-8")
    run = CliRunner().invoke(main, ["import", "workbook", str(ROOT / "examples" / "import" / "程序纪实-外部格式.xlsx"),
                                    "--mapping", str(mapping), "--out", str(tmp_path / "out")])
    assert run.exit_code == 2, run.output
    assert f"{mapping}" in run.stderr and "第 2 行，值与其标签不符" in run.stderr


@pytest.mark.parametrize("text, line", [("? [a, b]\n: 1\n", 1), ("waivers:\n  - {? {a: 1} : 2, case: x}\n", 2)])
def test_a_list_or_mapping_as_a_key_in_the_waivers_file_is_its_error(tmp_path: Path, text: str, line: int) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(text, encoding="utf-8")
    run = CliRunner().invoke(main, ["audit", str(GOOD), "--waivers", str(waivers)])
    assert run.exit_code == 2, run.output
    assert f"{waivers}:{line}: YAML 格式错误：映射的键不能是列表或映射" in run.stderr
    assert "内部错误" not in run.stderr


def test_a_deeply_nested_waivers_file_is_its_error_not_an_internal_one(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    run = CliRunner().invoke(main, ["audit", str(GOOD), "--waivers", str(waivers)])
    assert run.exit_code == 2, run.output
    assert f"{waivers}:2: YAML 格式错误：嵌套过深" in run.stderr
    assert "内部错误" not in run.stderr


def test_a_symbolic_link_loop_in_a_case_folder_is_one_error_and_the_cases_are_judged(tmp_path: Path) -> None:
    """Found by fuzzing case directories: with `up -> ..` and `self -> .` in a folder, the walk went
    down the links until the system's limit, 2^40 paths: `audit` ran for ever."""
    import os

    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(GOOD.read_bytes())
    os.symlink("..", folder / "up")
    os.symlink(".", folder / "self")
    run = CliRunner().invoke(main, ["audit", str(tmp_path), "--format", "json", "--lang", "en"])
    assert run.exit_code == 2, run.output
    cases = json.loads(run.stdout)["cases"]
    assert [c["source"] for c in cases] == [str(folder / "a.yaml"), str(folder / "self"), str(folder / "up")]
    assert cases[0]["status"] == "ok"
    assert f"{folder / 'up'}: cannot read directory: a symbolic link back to a folder above it (a loop)" in run.stderr


def test_standard_input_closed_is_the_inputs_error_not_an_internal_one() -> None:
    """`audit - <&-` (a scheduler may start a job so): Python's sys.stdin is None, and reading it
    was an AttributeError, exit status 4; now it is `-`'s own `cannot read`, exit status 2."""
    import os
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", "-", str(GOOD), "--lang", "en"],
                         preexec_fn=lambda: os.close(0), capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("-: cannot read: ") and "internal error" not in run.stderr
    assert "2021-qx-czj-001" in run.stdout  # the case after it is still judged


def test_control_characters_of_a_case_file_are_shown_not_acted_on_in_the_error_lines(tmp_path: Path) -> None:
    """Found by fuzzing case files: a field name or value carrying ESC or NUL was echoed raw in the
    error line on standard error (`audit`) and standard output (`test`), where a terminal acts on it
    (ESC [2J clears the screen). It is now written as its code, as the reports already do."""
    bad = tmp_path / "a.json"
    bad.write_text(json.dumps({"id": "x", "\x1b[2Jname": 1}), encoding="utf-8")
    run = CliRunner().invoke(main, ["audit", str(bad), "--lang", "en"])
    assert run.exit_code == 2 and "\x1b" not in run.stderr
    assert f"{bad}:1:1: case x: \\x1b[2Jname: unknown field" in run.stderr
    test = CliRunner().invoke(main, ["test", str(bad), "--lang", "en"])
    assert "\x1b" not in test.stdout and "\\x1b[2Jname: unknown field" in test.stdout
