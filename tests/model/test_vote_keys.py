"""Vote counts under keys every YAML loader reads the same (issue 15, item 6): `agree`, `disagree`,
`abstain`; the old `yes`/`no` still read, with a deprecation warning, never an error."""
from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import yaml

from cadre_rules import Auditor, CaseFormatDeprecated, CaseValidationError, validate_case
from cadre_rules.model import Case

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name[:2])
def test_every_example_survives_a_yaml_1_1_loader(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", CaseFormatDeprecated)  # no example uses the old keys
        case = validate_case(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert case.id


def _old_keys(text: str) -> str:
    return text.replace("disagree: ", "no: ").replace("agree: ", "yes: ")


def test_old_keys_give_the_same_findings_with_a_warning() -> None:
    path = EXAMPLES[13]  # 14-违规-同意票未超过应到会成员半数: the finding names the vote count
    text = path.read_text(encoding="utf-8")
    from cadre_rules.reading.yamlmarks import safe_load

    new = Auditor().audit_data(safe_load(text))
    with pytest.warns(CaseFormatDeprecated, match="`agree`/`disagree`"):
        old = Auditor().audit_data(safe_load(_old_keys(text)))
    assert new.status == old.status == "ok"
    assert [f.message for f in new.findings] == [f.message for f in old.findings] and new.findings


def test_both_spellings_in_one_vote_is_an_error(baseline) -> None:
    baseline["meetings"][0]["agenda"][0]["vote"]["yes"] = 8
    with pytest.raises(CaseValidationError, match="`yes` and `agree` both given"):
        validate_case(baseline)


def test_the_cli_warns_in_one_line_and_judges(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(_old_keys(EXAMPLES[0].read_text(encoding="utf-8")), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", str(old), str(old), "--format", "json",
                          "--lang", "en"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    deprecations = [line for line in run.stderr.splitlines() if "yes`/`no" in line]
    assert deprecations == ["warning: a vote's `yes`/`no` keys are deprecated (YAML 1.1 tools read them "
                            "as booleans): write `agree`/`disagree`; they are still read the same"]  # once
    zh = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", str(old), "--format", "json"],
                        capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert [line for line in zh.stderr.splitlines() if "yes`/`no" in line] == [
        "警告：表决的 `yes`/`no` 键已不推荐使用（YAML 1.1 工具会把它们读成布尔值）：请写作 `agree`/`disagree`；目前仍照常读取"]
    assert "Traceback" not in run.stderr


def test_the_json_schema_names_the_new_keys_and_marks_the_old() -> None:
    vote = Case.model_json_schema()["$defs"]["Vote"]
    assert {"agree", "disagree", "abstain"} <= set(vote["properties"])
    assert vote["properties"]["yes"]["deprecated"] is True
