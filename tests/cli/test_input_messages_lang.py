"""Invalid case input under `audit --lang`: Chinese messages by default, English unchanged under --lang en."""
from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner

from cadre_rules.cli.main import main
from cadre_rules.errors import ErrorKind, InputError, Problem


def audit(tmp_path, data, *options: str):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return CliRunner().invoke(main, ["audit", str(path), *options])


def spoil(data, how):
    data = copy.deepcopy(data)
    if how == "missing":
        del data["organisation"]
    elif how == "unknown":
        data["titel"] = "x"
    elif how == "code":
        data["move"] = "promotoin"
    elif how == "member":
        data["meetings"][0]["chair"] = "m99"
    return data


CASES = {
    "missing": ("organisation: 缺少必填字段", "organisation: required field missing"),
    "unknown": ('titel: 未知字段（是否应为 "title"？）', 'titel: unknown field (did you mean "title"?)'),
    "code": ('（实际为 \'promotoin\'）（是否应为 "promotion"？）', '(got \'promotoin\') (did you mean "promotion"?)'),
    "member": ('meetings[0].chair: 未知的班子成员 "m99"', 'meetings[0].chair: unknown member "m99"'),
}


@pytest.mark.parametrize("how", list(CASES))
def test_invalid_input_message_follows_the_report_language(tmp_path, baseline, how):
    zh_text, en_text = CASES[how]
    zh = audit(tmp_path, spoil(baseline, how))  # Chinese is the default
    assert zh.exit_code == 2, zh.output
    assert zh_text in zh.stderr and en_text not in zh.stderr
    assert "case.json:" in zh.stderr  # the place stays
    en = audit(tmp_path, spoil(baseline, how), "--lang", "en")
    assert en_text in en.stderr and zh_text not in en.stderr


def test_a_bad_code_names_the_allowed_values_in_chinese(tmp_path, baseline):
    zh = audit(tmp_path, spoil(baseline, "code"), "--format", "markdown")
    assert "move`: 应为以下取值之一：" in zh.stdout and "Input should be" not in zh.stdout


def test_english_message_is_kept_and_a_message_without_a_kind_stays_english():
    error = InputError("a.b", Problem(ErrorKind.unknown_candidate, id="c9").with_hint("c1"), 3, 5)
    assert error.message == 'unknown candidate "c9" (did you mean "c1"?)' and error.kind == "unknown_candidate"
    assert error.describe("f.yaml", "zh") == 'f.yaml:3:5: a.b: 未知的考察对象 "c9"（是否应为 "c1"？）'
    assert error.describe("f.yaml") == 'f.yaml:3:5: a.b: unknown candidate "c9" (did you mean "c1"?)'
    assert error == InputError("a.b", 'unknown candidate "c9" (did you mean "c1"?)', 3, 5)  # the kind is not compared
    plain = InputError("", "something new")  # built as text by a caller: no kind, never half translated
    assert plain.kind is None and plain.text("zh") == "something new" and plain.to_dict()["kind"] is None
