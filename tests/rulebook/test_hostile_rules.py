"""Hostile rule files (generated here, small): every one is refused with `file:line: RULE-ID: message`,
never a traceback, a RecursionError, a hang or a run that crashes in the generated code later."""
from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cadre_rules import Auditor
from cadre_rules.cli.main import main
from cadre_rules.rulebook import RulebookError, bundled_rules_dir, load_rulebook
from cadre_rules.rulebook.expr import MAX_DEPTH, ParseError, parse

RULE = {
    "id": "GEN-COLLECTIVE", "stage": "decision", "severity": "violation",
    "title": {"zh": "集体讨论决定", "en": "Decided collectively"},
    "basis": [{"edition": "2014", "article": "35(1)", "confidence": "high", "verified": True},
              {"edition": "2019", "article": "36", "confidence": "low", "verified": False}],
    "effective": {"from": "2010-03-01"}, "match": {"a": "appointment"}, "act_date": "a.date",
    "when": "a.decision_date == null",
    "message": {"zh": "{a.candidate} 无决定", "en": "no decision for {a.candidate}"},
}


def rulebook_dir(tmp_path: Path, rule_text: str) -> Path:
    """A one-rule rulebook: the bundled editions, legend and workflow, a plain profile and `rule_text`."""
    root = tmp_path / "rb"
    root.mkdir(parents=True)
    for name in ("editions.yaml", "sources.yaml", "open-questions.yaml", "legend.yaml"):  # editions cite sources
        shutil.copy(bundled_rules_dir() / name, root / name)
    workflow = yaml.safe_load((bundled_rules_dir() / "workflow.yaml").read_text(encoding="utf-8"))
    for transition in workflow["transitions"]:
        transition.pop("guards", None)  # they name rules this rulebook has not got
    (root / "workflow.yaml").write_text(yaml.safe_dump(workflow, allow_unicode=True), encoding="utf-8")
    (root / "profiles").mkdir()
    (root / "profiles" / "national.yaml").write_text("id: national\noverrides: {}\n", encoding="utf-8")
    (root / "r.yaml").write_text(rule_text, encoding="utf-8")
    return root


def rule_file(**changes) -> str:
    rule = copy.deepcopy(RULE)
    rule.update(changes)
    return yaml.safe_dump({"rules": [rule]}, allow_unicode=True, width=10**9)


def check(root: Path):
    return CliRunner().invoke(main, ["rules", "check", str(root), "--lang", "en"])


def nested_bool(depth: int, inner: str = "a.decision_date == null") -> str:
    """`(false or (true and (false or ... inner)))`: the same verdict as `inner`, `depth` blocks deep."""
    text = inner
    for level in range(depth):
        text = f"(false or {text})" if level % 2 else f"(true and {text})"
    return text


def nested_exists(depth: int) -> str:
    text = "a.decision_date == null"
    for level in range(depth):
        text = f"exists appointment as x{level} where (x{level}.candidate == a.candidate and {text})"
    return text


HOSTILE_CONDITIONS = {
    "125 nested parentheses": "(" * 125 + "a.decision_date == null" + ")" * 125,
    "1000 nested parentheses": "(" * 1000 + "true" + ")" * 1000,
    "a long not chain": "not " * 600 + "true",
    "a long minus chain": "-" * 600 + "1 == 1",
    "a 50,000-term sum": " + ".join(["1"] * 50_000) + " == 1",
    "a 2,000-term sum": "+".join(["1"] * 2_000) + " == 1",
    "a 5,000-digit literal": "1" * 5000 + " == 1",
    "a bad \\u escape": '"\\uZZ" == "a"',
    "a lone surrogate escape": '"\\ud800" == "a"',
    "an unknown escape": '"\\q" == "a"',
    "a nested list": "[" * 300 + "1" + "]" * 300 + " == null",
}


@pytest.mark.parametrize("name", list(HOSTILE_CONDITIONS))
def test_a_hostile_condition_is_a_file_line_error(tmp_path, name):
    result = check(rulebook_dir(tmp_path, rule_file(when=HOSTILE_CONDITIONS[name])))
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert re.search(r"^rb/r\.yaml:\d+: GEN-COLLECTIVE: when: ", result.stderr, re.M), result.stderr
    assert "Traceback" not in result.output and "RecursionError" not in result.output


@pytest.mark.parametrize("key,value", [
    ("stage", ["decision"]), ("match", {"a": ["appointment"]}), ("catalogue", [1, 2]),
    ("parameters", {"n": {"type": ["int"], "default": 1}}), ("severity", {"a": 1}), ("when", ["true"]),
    ("act_date", 12), ("effective", "soon"), ("basis", [["2014"]]), ("escalate", {"severity": ["x"], "when": 1}),
])
def test_a_value_of_the_wrong_shape_is_a_file_line_error(tmp_path, key, value):
    result = check(rulebook_dir(tmp_path, rule_file(**{key: value})))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "rb/r.yaml:" in result.stderr and "GEN-COLLECTIVE" in result.stderr


def test_deep_yaml_and_long_numbers_in_a_rule_file_are_refused(tmp_path):
    deep = rule_file().replace("notes", "x") + "extra: " + "[" * 100 + "]" * 100 + "\n"
    result = check(rulebook_dir(tmp_path, deep))
    assert result.exit_code == 1 and "nested more than" in result.stderr and "Traceback" not in result.output
    (tmp_path / "rb").rename(tmp_path / "old")
    result = check(rulebook_dir(tmp_path, rule_file() + "catalogue_row: " + "9" * 5000 + "\n"))
    assert result.exit_code == 1 and "rb/r.yaml:" in result.stderr and "more than 30 digits" in result.stderr


def test_an_alias_bomb_in_notes_is_refused_at_once(tmp_path):
    bomb = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    bomb += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
             for i in range(1, 12)]
    text = rule_file() + "bombs:\n" + "".join(f"  {line}\n" for line in bomb)
    text = text.replace("rules:\n", "rules:\n", 1)
    result = check(rulebook_dir(tmp_path, text))
    assert result.exit_code == 1
    assert "anchors and aliases" in result.stderr and "rb/r.yaml:" in result.stderr


def test_parse_errors_carry_the_column():
    with pytest.raises(ParseError, match=f"more than {MAX_DEPTH} levels"):
        parse("(" * 200 + "1" + ")" * 200)
    with pytest.raises(ParseError, match="bad escape") as bad:
        parse('a.kind == "ok\\x41"')
    assert bad.value.col == 13


def test_non_ascii_text_with_an_escape_is_decoded_as_written():
    node = parse('"决定\\t会议\\u4e00\\\\" == "x"')
    assert node.left.value == "决定\t会议一\\"
    assert parse("'它\\'s'").value == "它's"


@pytest.mark.parametrize("condition", [nested_bool(25), nested_bool(60), nested_exists(25)],
                         ids=["25 nested and/or", "60 nested and/or", "25 nested exists"])
def test_deeply_nested_conditions_pass_the_check_and_audit_as_the_flat_rule(tmp_path, baseline, condition):
    root = rulebook_dir(tmp_path, rule_file(when=condition))
    result = check(root)
    assert result.exit_code == 0, result.output
    flat = Auditor(load_rulebook(rulebook_dir(tmp_path / "flat", rule_file())))
    deep = Auditor(load_rulebook(root))
    undecided = copy.deepcopy(baseline)
    undecided["meetings"][0]["agenda"][0]["outcome"] = "rejected"
    for data in (baseline, undecided):
        assert deep.audit_data(data, "t").status == "ok"
        expected = [(f.rule_id, f.verdict, f.message) for f in flat.audit_data(data, "t").findings]
        assert [(f.rule_id, f.verdict, f.message) for f in deep.audit_data(data, "t").findings] == expected
    assert any(f.rule_id == "GEN-COLLECTIVE" for f in flat.audit_data(undecided, "t").findings)


@pytest.mark.parametrize("edit, said", [
    (lambda w: w["transitions"][0].update(guards=[{"from": "2099-01-01"}]), "{'from': '2099-01-01'}: guard of "),
    (lambda w: w.update(start=["motion"]), "start stage ['motion'] is not declared"),
    (lambda w: w.update(terminal=[{"a": 1}]), "terminal stage {'a': 1} is not declared"),
    (lambda w: w["transitions"][0].update({"from": ["motion"]}), "transition ['motion'] -> "),
])
def test_a_list_or_mapping_where_the_workflow_names_a_stage_or_guard_is_a_file_line_error(tmp_path, edit, said):
    """Found by fuzzing rulebooks: such a value was looked up in a set (unhashable): `rules check`
    stopped with exit status 4, an internal error, or said only "malformed file (TypeError ...)"."""
    root = rulebook_dir(tmp_path, rule_file())
    workflow = yaml.safe_load((root / "workflow.yaml").read_text(encoding="utf-8"))
    edit(workflow)
    (root / "workflow.yaml").write_text(yaml.safe_dump(workflow, allow_unicode=True), encoding="utf-8")
    result = check(root)
    assert result.exit_code == 1, result.output
    assert re.search(r"rb/workflow\.yaml:[1-9][0-9]*: ", result.stderr) and said in result.stderr, result.stderr
    assert "internal error" not in result.stderr and "malformed" not in result.stderr


@pytest.mark.parametrize("scope", [["case"], {"a": 1}])
def test_a_list_or_mapping_as_scope_names_the_field(tmp_path, scope):
    """Found by fuzzing rulebooks: `scope: [case]` was looked up in a dict (unhashable) and said only
    "malformed rule (TypeError ...)"; now it names the field and its values."""
    result = check(rulebook_dir(tmp_path, rule_file(scope=scope)))
    assert result.exit_code == 1
    assert "rb/r.yaml:" in result.stderr and "GEN-COLLECTIVE: scope must be one of case, register" in result.stderr
    assert "malformed" not in result.stderr
