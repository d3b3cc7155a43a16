"""`cadre-rules rules show | check | docs`: inspecting, validating and documenting a rulebook."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from cadre_rules.cli.main import main
from cadre_rules.rulebook import bundled_rules_dir

ROOT = Path(__file__).resolve().parents[2]


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_show_one_rule_with_its_citations():
    result = invoke("rules", "show", "DEC-QUORUM")
    assert result.exit_code == 0
    rule = json.loads(result.stdout)
    assert rule["id"] == "DEC-QUORUM" and rule["parameters"]["quorum_numerator"]["value"] == 2
    assert [b["edition"] for b in rule["basis"]] == ["2002", "2014", "2019"]
    missing = invoke("rules", "show", "NO-SUCH-RULE", "--lang", "en")
    assert missing.exit_code == 2 and missing.stderr == "unknown rule 'NO-SUCH-RULE' (see `cadre-rules rules list`)\n"
    zh = invoke("rules", "show", "NO-SUCH-RULE")  # the command's own error in its --lang (was English)
    assert zh.exit_code == 2 and zh.stderr == "错误：未知的规则 NO-SUCH-RULE（规则见 `cadre-rules rules list`）\n"
    mutate = invoke("rules", "mutate", "--rule", "NO-SUCH-RULE", "--rule", "DEC-QUORM")
    assert mutate.exit_code == 2 and mutate.stderr == "错误：未知的规则 DEC-QUORM、NO-SUCH-RULE（规则见 `cadre-rules rules list`）\n"


def test_check_a_users_rule_directory(tmp_path):
    root = tmp_path / "myrules"
    shutil.copytree(bundled_rules_dir(), root)
    ok = invoke("rules", "check", str(root))
    assert ok.exit_code == 0 and ok.stdout.endswith(": ok\n")
    rule_file = root / "national" / "40-decision.yaml"
    rule_file.write_text(rule_file.read_text(encoding="utf-8").replace("item.present * param.quorum_denominator",
                                                                         "item.presnt * param.quorum_denominator"),
                         encoding="utf-8")
    bad = invoke("rules", "check", str(root), "--lang", "en")
    assert bad.exit_code == 1
    assert "myrules/national/40-decision.yaml:" in bad.stderr and "DEC-QUORUM: when: unknown field item.presnt" in bad.stderr


def test_check_a_profile(tmp_path):
    root = tmp_path / "myrules"
    shutil.copytree(bundled_rules_dir(), root)
    (root / "profiles" / "mine.yaml").write_text("id: mine\noverrides:\n  DEC-QUORUM: {parameters: {quorum: 1}}\n",
                                                 encoding="utf-8")
    result = invoke("rules", "check", str(root), "--profile", "mine", "--lang", "en")
    assert result.exit_code == 1 and "myrules/profiles/mine.yaml:3: DEC-QUORUM: profile sets unknown parameter 'quorum'" in result.stderr


def test_docs_generates_one_page_per_stage(tmp_path):
    out = tmp_path / "rules"
    result = invoke("rules", "docs", "--out", str(out), "--examples", str(ROOT / "examples/cases"),
                    "--features", str(ROOT / "features"))
    assert result.exit_code == 0
    decision = (out / "decision.md").read_text(encoding="utf-8")
    assert "## DEC-QUORUM 应有三分之二以上成员到会" in decision
    assert "《党政领导干部选拔任用工作条例》（2019年）第38条〔未核实〕" in decision
    assert "[S1] 问答页：2019年条例讨论决定条款的表述" in decision  # the sources, by title
    assert "`13-违规-到会人数不足三分之二.yaml`" in decision  # the example case that shows it
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "[决定 Decision](decision.md)" in index


def test_docs_says_when_its_examples_or_features_are_not_there(tmp_path):
    """Run from another directory, the defaults examples/cases and features are not there: the pages
    were written without their example cases and scenarios, exit 0, and nothing said so."""
    out = tmp_path / "rules"
    result = invoke("rules", "docs", "--out", str(out), "--examples", str(tmp_path / "none"),
                    "--features", str(ROOT / "features"))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [f"注意：没有 --examples 目录 {tmp_path / 'none'}：各页不列示例案例",
                                          f"wrote 9 pages to {out}"]
    en = invoke("rules", "docs", "--out", str(out), "--lang", "en", "--features", str(tmp_path / "none"))
    assert en.exit_code == 0 and f"note: no --features directory {tmp_path / 'none'}: the pages list no scenarios" \
        in en.stderr.splitlines()


def test_committed_reference_is_up_to_date(tmp_path):
    """docs/rules/ is generated from the rule files; editing a rule without regenerating fails here."""
    out = tmp_path / "rules"
    invoke("rules", "docs", "--out", str(out), "--examples", str(ROOT / "examples/cases"),
           "--features", str(ROOT / "features"))
    committed = ROOT / "docs" / "rules"
    generated = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.md")}
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in committed.glob("*.md")}
    assert generated == on_disk, "run: cadre-rules rules docs"
