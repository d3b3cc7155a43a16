"""Layered rulebooks (issue 15, item 8): a local rulebook extends the national one — adds rules,
overrides parameters and severities, disables a rule only with a recorded reason — and can be an
installed Python package found through the entry point group `cadre_rules.rulebooks`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules import Auditor, RulebookError, load_rulebook
from cadre_rules.cli.main import main
from cadre_rules.rulebook import layers

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "cases" / "01-合规-县财政局局长提拔.yaml"

MANIFEST = """\
id: test-city
title: {zh: 测试市, en: Test city}
extends: national
profile: example-province
overrides:
  RPT-FILING: {parameters: {deadline_workdays: 5}}
  MOT-INITIATION: {severity: warning}
disable:
  MOT-ANALYSIS: {reason: 本市以年度分析研判代替逐次研判, approved_by: 市委组织部}
"""

LOCAL_RULE = """\
rules:
  - id: LOC-WORK-PLAN
    stage: motion
    severity: violation
    title: {zh: 动议须有书面工作方案（测试用示例规则）, en: A motion needs a written work plan (illustrative test rule)}
    basis:
      - {edition: "2019", article: null, confidence: low, verified: false, note: 测试用的示例规则，并非任何地方的规定}
    effective: {from: 2019-03-03}
    match: {m: motion}
    act_date: m.date
    when: m.work_plan_date == null
    message:
      zh: "动议（{m.date}）没有书面工作方案"
      en: "The motion of {m.date} has no written work plan"
"""


def make_layer(root: Path, manifest: str = MANIFEST, rules: str = LOCAL_RULE) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "rulebook.yaml").write_text(manifest, encoding="utf-8")
    (root / "10-local.yaml").write_text(rules, encoding="utf-8")
    return root


def test_a_layer_adds_overrides_and_disables_on_top_of_the_base(tmp_path: Path) -> None:
    national = load_rulebook()
    province = load_rulebook(profile="example-province")
    book = load_rulebook(make_layer(tmp_path / "city"))
    ids = set(book.ids)
    assert ids == set(national.ids) - {"MOT-ANALYSIS"} | {"LOC-WORK-PLAN"}
    assert book.rule("RPT-FILING").parameters["deadline_workdays"].default == 5
    assert book.rule("RPT-FILING").severity == province.rule("RPT-FILING").severity == "violation"  # from the base profile
    assert book.rule("MOT-INITIATION").severity == "warning"
    assert book.rule("DEC-QUORUM") == national.rule("DEC-QUORUM")  # everything else is the base's
    (off,) = book.disabled
    assert (off.rule_id, off.reason, off.approved_by, off.layer) == (
        "MOT-ANALYSIS", "本市以年度分析研判代替逐次研判", "市委组织部", "test-city")
    assert off.file == "city/rulebook.yaml" and off.line == 9
    assert book.profile == "test-city" and book.base == "example-province" and book.version != province.version


def test_the_local_rule_judges_cases_and_the_report_records_the_layer(tmp_path: Path) -> None:
    layer = make_layer(tmp_path / "city")
    case = EXAMPLE.read_text(encoding="utf-8").replace("  work_plan_date: 2021-03-10\n", "")
    (tmp_path / "case.yaml").write_text(case, encoding="utf-8")
    auditor = Auditor(load_rulebook(layer))
    (result,) = list(auditor.audit_paths([tmp_path / "case.yaml"]))
    violated = {f.rule_id: f.severity for f in result.findings if f.verdict == "violated"}
    assert violated == {"LOC-WORK-PLAN": "violation", "MOT-INITIATION": "warning"}  # the national one, lowered
    run = CliRunner().invoke(main, ["audit", "--rules", str(layer), "--format", "json", str(tmp_path / "case.yaml")])
    assert run.exit_code == 1, run.output
    info = json.loads(run.stdout)["rulebook"]
    assert info["profile"] == "test-city" and info["base"] == "example-province"
    assert info["disabled"] == [{"rule_id": "MOT-ANALYSIS", "reason": "本市以年度分析研判代替逐次研判", "layer": "test-city",
                                 "where": "city/rulebook.yaml:9", "approved_by": "市委组织部", "source": None}]
    listing = CliRunner().invoke(main, ["rules", "list", "--rules", str(layer)])
    assert "LOC-WORK-PLAN" in listing.stdout and "停用 Disabled: MOT-ANALYSIS — 本市以年度分析研判代替逐次研判" in listing.stdout


@pytest.mark.parametrize("change, expected", [
    ("  MOT-ANALYSIS: {reason: x}\n  DEC-QUORUM: {}\n", "city/rulebook.yaml:10: DEC-QUORUM: a rule is disabled only with a recorded reason"),
    ("  MOT-ANALYSIS: {reason: '  '}\n", "city/rulebook.yaml:9: MOT-ANALYSIS: a rule is disabled only with a recorded reason"),
    ("  MOT-ANALYSYS: {reason: x}\n", "city/rulebook.yaml:9: MOT-ANALYSYS: disable names an unknown rule (did you mean MOT-ANALYSIS?)"),
    ("  DEC-PASS: {reason: x}\n", "DEC-PASS: guards the workflow transition"),
])
def test_disabling_needs_a_reason_a_known_rule_and_not_a_guard(tmp_path: Path, change: str, expected: str) -> None:
    manifest = MANIFEST.split("disable:\n")[0] + "disable:\n" + change
    with pytest.raises(RulebookError) as caught:
        load_rulebook(make_layer(tmp_path / "city", manifest))
    assert any(expected in str(e) for e in caught.value.errors), caught.value


def test_layer_errors_name_file_line_and_rule(tmp_path: Path) -> None:
    clash = LOCAL_RULE.replace("LOC-WORK-PLAN", "DEC-QUORUM")
    manifest = MANIFEST.replace("deadline_workdays: 5", "deadline_days: 5").replace("extends:", "extend: x\nextends:")
    with pytest.raises(RulebookError) as caught:
        load_rulebook(make_layer(tmp_path / "city", manifest, clash))
    text = str(caught.value)
    assert "city/rulebook.yaml:3: unknown key 'extend' (did you mean 'extends'?)" in text
    manifest = MANIFEST.replace("deadline_workdays: 5", "deadline_days: 5")
    with pytest.raises(RulebookError) as caught:
        load_rulebook(make_layer(tmp_path / "town", manifest, clash))
    text = str(caught.value)
    assert "town/10-local.yaml:2: DEC-QUORUM: the base rulebook already has this rule" in text
    assert "town/rulebook.yaml:6: RPT-FILING: layer sets unknown parameter 'deadline_days'" in text
    cycle = make_layer(tmp_path / "a", MANIFEST.replace("extends: national", "extends: ../b"))
    make_layer(tmp_path / "b", MANIFEST.replace("extends: national", "extends: ../a"))
    with pytest.raises(RulebookError, match="a cycle"):
        load_rulebook(cycle)
    with pytest.raises(RulebookError, match="did you mean 'national'"):
        load_rulebook(make_layer(tmp_path / "c", MANIFEST.replace("extends: national", "extends: nationl")))


def test_a_layer_can_extend_another_layer(tmp_path: Path) -> None:
    make_layer(tmp_path / "city")
    county = tmp_path / "county"
    county.mkdir()
    (county / "rulebook.yaml").write_text(
        "id: test-county\nextends: ../city\noverrides:\n  LOC-WORK-PLAN: {severity: warning}\n"
        "disable:\n  REC-ATTENDANCE: {reason: 县里另有规定}\n", encoding="utf-8")
    book = load_rulebook(county)
    assert book.rule("LOC-WORK-PLAN").severity == "warning" and book.base == "test-city"
    assert [d.rule_id for d in book.disabled] == ["MOT-ANALYSIS", "REC-ATTENDANCE"]


def _installed_package(site: Path) -> None:
    """What `pip install` leaves on disk for a rulebook package: the package (its directory holding
    rulebook.yaml and rule files) and a .dist-info with the entry point."""
    package = site / "cadre_city_rules"
    make_layer(package)
    (package / "__init__.py").write_text('"""An installed local rulebook."""\n', encoding="utf-8")
    info = site / "cadre_city_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: cadre-city-rules\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[cadre_rules.rulebooks]\ntest-city = cadre_city_rules\n", encoding="utf-8")


def test_an_installed_package_is_found_through_its_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    site.mkdir()
    _installed_package(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", "--rules", "test-city", "--format", "json",
                          str(EXAMPLE)], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["rulebook"]["profile"] == "test-city"
    # and from Python: a layer may extend an installed rulebook by name
    monkeypatch.syspath_prepend(str(site))
    assert "test-city" in layers.installed_rulebooks()
    county = tmp_path / "county"
    county.mkdir()
    (county / "rulebook.yaml").write_text("id: test-county\nextends: test-city\n", encoding="utf-8")
    book = load_rulebook(county)
    assert "LOC-WORK-PLAN" in book.ids and book.base == "test-city"
    with pytest.raises(RulebookError, match="did you mean 'test-city'"):
        load_rulebook("test-ctiy")


def test_an_entry_point_may_name_a_function_returning_the_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    layer = make_layer(tmp_path / "city")
    module = tmp_path / "mod" / "city_rules_fn.py"
    module.parent.mkdir()
    module.write_text(f"def rulebook():\n    return {str(layer)!r}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(module.parent))
    point = metadata.EntryPoint(name="fn-city", value="city_rules_fn:rulebook", group=layers.ENTRY_POINT_GROUP)
    monkeypatch.setattr(layers.metadata, "entry_points", lambda group: [point] if group == layers.ENTRY_POINT_GROUP else [])
    assert "LOC-WORK-PLAN" in load_rulebook("fn-city").ids
    broken = metadata.EntryPoint(name="broken", value="no_such_module_here", group=layers.ENTRY_POINT_GROUP)
    monkeypatch.setattr(layers.metadata, "entry_points", lambda group: [broken])
    with pytest.raises(RulebookError, match="installed rulebook 'broken' cannot be loaded"):
        load_rulebook("broken")


def test_the_documented_example_layer_loads() -> None:
    """docs/rule-format.md shows a layer; the same files are in examples/rulebooks/ and must load."""
    book = load_rulebook(ROOT / "examples" / "rulebooks" / "example-city")
    doc = (ROOT / "docs" / "rule-format.md").read_text(encoding="utf-8")
    manifest = (ROOT / "examples" / "rulebooks" / "example-city" / "rulebook.yaml").read_text(encoding="utf-8")
    assert manifest.strip() in doc
    assert book.disabled and all(d.reason for d in book.disabled)


@pytest.mark.parametrize("manifest, expected", [
    (MANIFEST.replace("{parameters: {deadline_workdays: 5}}", "{parameters: 5}"),
     "city/rulebook.yaml:6: RPT-FILING: parameters must be a mapping"),
    (MANIFEST.replace("  MOT-INITIATION:", "  1: {severity: warning}\n  MOT-INITIATION:"),
     "city/rulebook.yaml:7: 1: layer names an unknown rule"),
    (MANIFEST.replace("profile: example-province", "profile: /tmp"), "profiles//tmp.yaml: unknown profile '/tmp'"),
])
def test_odd_values_found_by_fuzzing_a_layer_are_its_errors(tmp_path: Path, manifest: str, expected: str) -> None:
    """Each stopped `rules check` with exit status 4, an internal error: `parameters: 5` reached
    `.items()`, a numeric key broke the error's own wording (int + str), and a profile named with a
    slash made a path outside the rulebook that could not be shown relative to it."""
    result = CliRunner().invoke(main, ["--no-cache", "rules", "check", str(make_layer(tmp_path / "city", manifest)),
                                       "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert expected in result.stderr and "internal error" not in result.stderr
