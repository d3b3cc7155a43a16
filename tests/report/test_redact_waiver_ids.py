"""`--redact` and a case id holding a name: waivers match the case by its real id (redaction is for
what is shown), and the waiver notes and errors on standard error and in the summary show the
redacted id — or, for a case not among the audited ones (its people unknown), no id at all.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules.cli.main import main
from casedata import dump

FORMATS = ["table", "json", "jsonl", "markdown", "html", "sarif", "junit", "github"]
STRANGER = "林雪梅"  # recorded nowhere in the case as a name


def run(*args: str):
    return CliRunner().invoke(main, ["audit", *args, "--as-of", "2024-01-01"])


@pytest.fixture
def named_case(tmp_path, baseline) -> tuple[Path, Path, str]:
    root = tmp_path / "cases"
    root.mkdir()
    case = copy.deepcopy(baseline)
    candidate = case["candidates"][0]["name"]  # 马俊杰
    case["id"] = f"2021-{candidate}-001"
    case["relations"] = [{"person": "m05", "relative": "c1", "kind": "sibling"}]  # DEC-RECUSAL violated
    (root / "1.json").write_text(dump(case), encoding="utf-8")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(f"- case: 2021-{candidate}-001\n  rule: DEC-RECUSAL\n  approver: 王审批\n  reason: 测试\n"
                       f"  expires: 2030-12-31\n"
                       f"- case: 2021-{candidate}-001\n  rule: DEC-QUORUM\n  approver: 王审批\n  reason: 测试\n"
                       f"  expires: 2030-12-31\n", encoding="utf-8")
    return root, waivers, candidate


@pytest.mark.parametrize("workers", ["1", "2"])
def test_waivers_match_a_case_whose_id_holds_a_name(named_case, workers):
    root, waivers, candidate = named_case
    plain = run(str(root), "--waivers", str(waivers), "--format", "json", "--workers", workers)
    result = run(str(root), "--waivers", str(waivers), "--format", "json", "--workers", workers, "--redact")
    assert plain.exit_code == result.exit_code == 0, result.stderr
    assert "豁免错误" not in result.stderr
    doc = json.loads(result.stdout)
    assert doc["summary"]["waivers"]["errors"] == []
    assert doc["summary"]["waivers"]["applied"] == 1
    (finding,) = [f for f in doc["cases"][0]["findings"] if f["rule_id"] == "DEC-RECUSAL"]
    assert finding["verdict"] == "waived"
    # the unused waiver (DEC-QUORUM) is still noted, under the redacted id
    assert candidate in plain.stderr and candidate in json.dumps(json.loads(plain.stdout)["summary"], ensure_ascii=False)
    assert candidate not in result.stdout + result.stderr
    assert "2021-〔c1〕-001" in result.stderr
    assert any("2021-〔c1〕-001" in line for line in doc["summary"]["waivers"]["unused"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_waiver_for_a_case_not_audited_does_not_show_its_id_when_redacted(named_case, fmt):
    root, waivers, candidate = named_case
    waivers.write_text(waivers.read_text(encoding="utf-8") +
                       f"- case: 2022-{STRANGER}-009\n  rule: DEC-QUORUM\n  approver: 王审批\n  reason: 测试\n"
                       f"  expires: 2030-12-31\n", encoding="utf-8")
    plain = run(str(root), "--waivers", str(waivers), "--format", fmt)
    assert STRANGER in plain.stderr
    result = run(str(root), "--waivers", str(waivers), "--format", fmt, "--redact")
    assert result.exit_code == 2  # still an error: the waiver names no audited case
    assert STRANGER not in result.stdout + result.stderr and candidate not in result.stdout + result.stderr
    assert f"{waivers}:11" in result.stderr  # the waiver is still named, by file and line



def _cases(root: Path, baseline, names: list[str]) -> None:
    root.mkdir()
    for n, name in enumerate(names):
        case = copy.deepcopy(baseline)
        case["candidates"][0]["name"] = name
        case["id"] = f"2021-{name}-001"
        (root / f"{n}.json").write_text(dump(case), encoding="utf-8")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_repeated_case_ids_are_told_by_the_real_id_and_printed_redacted(tmp_path, baseline, workers):
    _cases(tmp_path / "distinct", baseline, ["马俊杰", "林小川"])  # two ids redacted alike: 2021-〔c1〕-001
    result = run(str(tmp_path / "distinct"), "--format", "jsonl", "--workers", workers, "--redact")
    assert "不止一次" not in result.stderr, result.stderr
    _cases(tmp_path / "repeated", baseline, ["马俊杰", "马俊杰"])
    result = run(str(tmp_path / "repeated"), "--format", "jsonl", "--workers", workers, "--redact")
    (warning,) = [line for line in result.stderr.splitlines() if "不止一次" in line]
    assert "2021-〔c1〕-001" in warning and "马俊杰" not in result.stderr
