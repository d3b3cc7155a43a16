"""`--redact`: no person's name or identity number in any format, nor on standard error.

The corpus puts personal data where findings do not usually look: the file name, the case title, an
identity number in the title, a name put in a date field (which a validation message may echo), the
waiver's approver. Without `--redact` each of them shows up (so the check can fail); with it none does.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cadre_rules.cli.main import main
from cadre_rules.report.redact import ID_NUMBER_TOKEN, NAME_TOKEN, Redactor
from casedata import attend, dump

FORMATS = ["table", "json", "jsonl", "markdown", "html", "sarif", "junit"]
CANDIDATE_ID_NUMBER = "110101198005120011"
MEMBER_ID_NUMBER = "11010119650307002X"
APPROVER = "王审批"


@pytest.fixture
def corpus(tmp_path, baseline) -> tuple[Path, Path, list[str]]:
    root = tmp_path / "cases"
    root.mkdir()
    one = copy.deepcopy(baseline)
    candidate = one["candidates"][0]["name"]  # 马俊杰
    one["id"] = "2021-qx-czj-101"
    one["title"] = f"提拔{candidate}任县财政局局长（身份证号 {CANDIDATE_ID_NUMBER}）"
    one["candidates"][0]["id_number"] = CANDIDATE_ID_NUMBER
    one["body"]["members"][0]["id_number"] = MEMBER_ID_NUMBER
    attend(one, ["m01", "m02", "m03", "m04", "m05", "m06", "m07"])  # DEC-QUORUM violated
    (root / f"1-{candidate}.json").write_text(dump(one), encoding="utf-8")
    two = copy.deepcopy(baseline)
    principal = two["body"]["members"][0]["name"]  # 周建国
    two["id"] = "2021-qx-czj-102"
    two["candidates"][0]["birth_date"] = principal  # invalid: the error message echoes the input
    (root / f"2-{principal}.json").write_text(dump(two), encoding="utf-8")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(f"- case: 2021-qx-czj-101\n  rule: DEC-QUORUM\n  approver: {APPROVER}\n"
                       f"  reason: 测试豁免\n  expires: 2030-12-31\n", encoding="utf-8")
    people = [m["name"] for m in baseline["body"]["members"]] + [candidate] + \
        [t["name"] for t in baseline["inspections"][0]["team"]]
    return root, waivers, people


def audit(root: Path, waivers: Path, fmt: str, *extra: str) -> Any:
    return CliRunner().invoke(main, ["audit", str(root), "--format", fmt, "--waivers", str(waivers),
                                     "--as-of", "2024-01-01", *extra])


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_redact_personal_data_shows(corpus, fmt):
    root, waivers, people = corpus
    result = audit(root, waivers, fmt)
    text = result.stdout + result.stderr
    sensitive = ["马俊杰", "周建国", APPROVER] + ([] if fmt == "junit" else [CANDIDATE_ID_NUMBER])  # junit: no title
    if fmt == "table":  # a narrow column may wrap a name; one is enough to show the check can fail
        assert any(s in text for s in sensitive)
    else:
        for s in sensitive:
            assert s in text, (fmt, s)


@pytest.mark.parametrize("fmt", FORMATS)
def test_redact_removes_names_and_identity_numbers_everywhere(corpus, fmt):
    root, waivers, people = corpus
    result = audit(root, waivers, fmt, "--redact")
    assert result.exit_code == 2  # the invalid case
    for text in (result.stdout, result.stderr):
        for secret in people + [CANDIDATE_ID_NUMBER, MEMBER_ID_NUMBER, APPROVER]:
            assert secret not in text, (fmt, secret)
    if fmt != "table":
        assert "〔c1〕" in result.stdout and "〔审批人〕" in result.stdout
        assert fmt == "junit" or ID_NUMBER_TOKEN in result.stdout
    assert "candidates[0].birth_date" in result.stderr  # the problem is still named


def test_redacted_json_keeps_the_structure(corpus):
    root, waivers, _ = corpus
    doc = json.loads(audit(root, waivers, "json", "--redact").stdout)
    assert doc["redacted"] is True
    one, two = doc["cases"]
    assert one["source"].endswith("1-〔c1〕.json") and two["source"].endswith("2-〔m01〕.json")
    assert one["case"]["title"] == f"提拔〔c1〕任县财政局局长（身份证号 {ID_NUMBER_TOKEN}）"
    (finding,) = one["findings"]
    assert finding["verdict"] == "waived" and finding["waiver"]["approver"] == "〔审批人〕"
    (error,) = [e for e in two["errors"] if e["path"] == "candidates[0].birth_date"]
    assert "周建国" not in error["message"]  # an echo of the input, if any, is redacted


def test_redactor_units():
    data = {"body": {"name": "中共清溪县委常委会", "members": [{"id": "m1", "name": "李四", "id_number": "123"}]},
            "candidates": [{"id": "c1", "name": "李四光"}],
            "inspections": [{"team": [{"name": "赵六"}, {"name": "钱七", "person": "m1"}]}]}
    r = Redactor.for_case(data)
    assert r.text("李四光与李四、赵六、钱七；中共清溪县委常委会") == f"〔c1〕与〔m1〕、{NAME_TOKEN}、〔m1〕；中共清溪县委常委会"
    assert r.text("证件 123 与 44010619900101123X、440106900101123") == \
        f"证件 {ID_NUMBER_TOKEN} 与 {ID_NUMBER_TOKEN}、{ID_NUMBER_TOKEN}"
    assert r.text("Input should be a valid date (got '李四')") == "Input should be a valid date (got 〔已隐去〕)"
    assert Redactor.for_case("not a mapping").text("1234567890123456789") == "1234567890123456789"  # 19 digits
