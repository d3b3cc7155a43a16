"""Rule coverage of the specs: every rule of the rulebook has a violating and a compliant scenario.

When rules are added to rules/, this test fails until features/ has scenarios for them, tagged with
the rule id and @违规/@violating or @合规/@compliant (docs/specs.md).
"""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules import load_rulebook
from cadre_rules.bdd.coverage import coverage, read_feature
from cadre_rules.cli.main import main as cli_main

ROOT = Path(__file__).resolve().parents[2]
FEATURES = ROOT / "features"


def test_every_rule_has_a_violating_and_a_compliant_scenario() -> None:
    report = coverage(load_rulebook(), FEATURES)
    missing = [f"{rc.rule.id}: no {' and no '.join(rc.missing)} scenario" for rc in report.uncovered]
    assert not missing and not report.problems, "\n".join(missing + [str(p) for p in report.problems])


def test_every_stage_with_rules_has_its_feature() -> None:
    """One feature per stage: a rule's Chinese scenarios are all in the one feature whose file name
    carries the Chinese title of the rule's stage (讨论 and 决定 share 40-讨论决定.feature); the
    English features under en/ are extra."""
    rulebook = load_rulebook()
    report = coverage(rulebook, FEATURES)
    for rc in report.rules:
        title = rulebook.stages.titles[rc.rule.stage]["zh"]
        files = {s.feature for kind in ("violating", "compliant") for s in rc.scenarios[kind] if not s.feature.startswith("en/")}
        assert len(files) == 1 and title in next(iter(files)), (
            f"{rc.rule.id} (stage {rc.rule.stage} {title}) has its scenarios in {sorted(files)}, "
            f"not in one features/NN-…{title}….feature")


def test_thresholds_are_outlines_with_examples() -> None:
    text = (FEATURES / "40-讨论决定.feature").read_text(encoding="utf-8")
    for row in ("| 7    | 4    |", "| 9    | 5    |", "| 11   | 7    |", "| 12   | 7    |",
                "| 7    | 5    |", "| 9    | 6    |", "| 11   | 8    |", "| 12   | 8    |", "| 9    | 6    | 4    |",
                "| 9    | 6    | 5    |", "| 2019-03-03 |", "| 2019-03-02 |"):
        assert row in text, row
    publicity = (FEATURES / "60-任前公示.feature").read_text(encoding="utf-8")
    assert "2024-09-29" in publicity and "2024-10-12" in publicity


def run_cli(*args: str):
    return CliRunner().invoke(cli_main, ["rules", "coverage", *args])


def test_cli_json_lists_rules_scenarios_and_articles() -> None:
    result = run_cli("--features", str(FEATURES), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["ok"] is True and data["summary"]["uncovered"] == []
    rules = {r["id"]: r for r in data["rules"]}
    rulebook = load_rulebook()
    assert set(rules) == set(rulebook.ids) | {r.id for r in rulebook.register_rules}  # the cross-case rules too
    quorum = rules["DEC-QUORUM"]
    assert quorum["covered"] and quorum["missing"] == []
    assert {s["name"] for s in quorum["scenarios"]["violating"]} >= {"到会不足三分之二", "Fewer than two thirds present"}
    assert {s["name"] for s in quorum["scenarios"]["compliant"]} >= {"到会恰好达到三分之二（含本数）"}
    assert {a["edition"]: a["article"] for a in quorum["articles"]}["2014"] == "37"
    assert quorum["scenarios"]["violating"][0]["feature"].endswith(".feature")
    assert rules["APT-PUB-5WD"]["scenarios"]["pending"] and rules["APT-PUB-5WD"]["scenarios"]["unknown"]


def test_cli_table_and_default_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run_cli()
    assert result.exit_code == 0, result.output
    rulebook = load_rulebook()
    count = len(rulebook.ids) + len(rulebook.register_rules)  # the cross-case rules have scenarios too
    assert "DEC-QUORUM" in result.output and f"{count}/{count} rules covered" in result.output
    assert "0 problems" in result.output


def write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_cli_exit_1_when_a_rule_lacks_scenarios(tmp_path: Path) -> None:
    write(tmp_path, "one.feature", """
        # language: zh-CN
        功能: 只有一条规则
          规则: DEC-QUORUM
            @DEC-QUORUM @违规
            场景: 不足
              假如 常委会共有 9 名成员
              当 召开讨论决定会议，到会 5 人
              那么 应当发现违规 DEC-QUORUM
        """)
    result = run_cli("--features", str(tmp_path), "--format", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    rules = {r["id"]: r for r in data["rules"]}
    assert rules["DEC-QUORUM"]["missing"] == ["compliant"]
    assert rules["DEC-PASS"]["missing"] == ["violating", "compliant"]
    assert "DEC-QUORUM" in data["summary"]["uncovered"]
    table = run_cli("--features", str(tmp_path))
    assert table.exit_code == 1 and "缺 missing" in table.output


def test_cli_exit_2_without_features_directory(tmp_path: Path) -> None:
    result = run_cli("--features", str(tmp_path / "nowhere"), "--lang", "en")
    assert result.exit_code == 2
    assert "features directory not found" in result.output
    zh = run_cli("--features", str(tmp_path / "nowhere"))  # in the command's --lang (was English)
    assert zh.exit_code == 2 and zh.stderr == f"错误：找不到 .feature 文件的目录：{tmp_path / 'nowhere'}\n"


def test_classification_by_tags_and_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "f.feature", """
        # language: en
        Feature: classification
          Rule: DEC-PASS
            @DEC-PASS
            Scenario Outline: split by examples tags
              When the decision meeting is held with <present> of 9 members present
              Then the rule DEC-PASS should <be> violated

              @violating
              Examples: too few
                | present | be |
                | 6       | be |

              @compliant
              Examples: enough
                | present | be     |
                | 6       | not be |

          @DEC-QUORUM
          Scenario: no class tag
            Then no violation should be found

          @compliant
          Scenario: class without rule
            Then no violation should be found

          @DEC-QUORUM @violating @compliant
          Scenario: two classes
            Then no violation should be found

          @DEC-NOSUCH @violating
          Scenario: unknown rule
            Then violation DEC-NOSUCH should be found

          @DEC-QUORUM @violating
          Scenario: never names its rule
            Then no violation should be found

          @DEC-QUORUM @compliant
          Scenario: two classes
            Then no violation should be found
        """)
    scenarios, problems = read_feature(path, "f.feature", set(load_rulebook().ids))
    kinds = {(s.name, s.examples, s.kind) for s in scenarios}
    assert ("split by examples tags", ("too few",), "violating") in kinds
    assert ("split by examples tags", ("enough",), "compliant") in kinds
    messages = "\n".join(str(p) for p in problems)
    assert "'no class tag' names DEC-QUORUM but has no class tag" in messages
    assert "'class without rule' is tagged compliant but names no rule" in messages
    assert "'two classes' has several class tags" in messages
    assert "@DEC-NOSUCH names no rule of the rulebook" in messages
    assert "'never names its rule' never names DEC-QUORUM in a step" in messages
    assert "scenario name 'two classes' is used again" in messages
    assert "f.feature:" in messages


def test_unparsable_feature_is_a_problem(tmp_path: Path) -> None:
    write(tmp_path, "bad.feature", "# language: zh-CN\n功能: 一\n  @违规\n")
    report = coverage(load_rulebook(), tmp_path)
    assert not report.ok
    assert any("does not parse" in p.message for p in report.problems)
