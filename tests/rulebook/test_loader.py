"""Loading the rulebook: everything validated up front, errors with file:line and rule id, never partial use."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cadre_rules import RulebookError, load_rulebook
from cadre_rules.rulebook import bundled_rules_dir
from cadre_rules.cli.describe import describe_rules

GOOD_RULE = """
rules:
  - id: TEST-RULE
    stage: decision
    severity: violation
    title: {zh: 测试, en: Test}
    basis:
      - {edition: "2019", article: "38", confidence: low, verified: false}
    effective: {from: 2019-03-03}
    match: {item: item}
    act_date: item.date
    when: WHEN
    message: {zh: "{item.date} 测试", en: "{item.date} test"}
"""


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), root)
    return root


def add_rule(root: Path, text: str, name: str = "99-test.yaml") -> Path:
    path = root / "national" / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(root: Path, profile: str = "national") -> list[str]:
    with pytest.raises(RulebookError) as info:
        load_rulebook(root, profile)
    return [str(e) for e in info.value.errors]


def test_bundled_rulebook_loads_with_its_catalogue_ids(rulebook):
    catalogued = [r for r in rulebook.rules if "row" in r.catalogue]
    assert sorted(r.catalogue["row"] for r in catalogued) == list(range(1, 70))  # catalogue rows 1-69
    dossier = [r.id for r in rulebook.rules if r.file.endswith("16-dossier.yaml")]  # issue 13, beyond the catalogue
    assert len(dossier) == 14 and all(rid.startswith("DOS-") for rid in dossier)
    # REC-CANVASSING and the section-level QUAL-SECTION-*, which the catalogue does not list (issue 12)
    beyond = ["REC-CANVASSING", "QUAL-SECTION-DEP2CHIEF-2Y", "QUAL-SECTION-STAFF2DEP-3Y", "QUAL-SECTION-EDUCATION"]
    assert sorted(r.id for r in rulebook.rules if "row" not in r.catalogue) == sorted([*beyond, *dossier])
    assert len(rulebook.rules) == len(set(rulebook.ids)) == 69 + len(beyond) + len(dossier)
    assert all(r.basis and r.title["zh"] and r.message["en"] for r in rulebook.rules)
    assert len(rulebook.version) == 16


def test_a_valid_added_rule_loads(rules_copy):
    add_rule(rules_copy, GOOD_RULE.replace("WHEN", "item.present * 3 / 2 < item.members_due"))
    book = load_rulebook(rules_copy)
    assert "TEST-RULE" in book.ids and book.version != load_rulebook().version


@pytest.mark.parametrize("when,message", [
    ("item.nonsense > 1", "unknown field item.nonsense"),
    ("inspection.team_size > 1", "unknown alias 'inspection'"),
    ("item.date > 3", "cannot compare date with int"),
    ("item.present + item.kind > 1", "arithmetic '+' needs numbers, not int and str"),
    ("item.present", "the condition must be bool, but it is int"),
    ("item.kind in item.present", "'in' needs a list on the right, not int"),
    ("exists nothing as x where x.a == 1", "unknown fact type 'nothing'"),
    ("exists inspection as item where item.team_size > 1", "alias 'item' is already bound"),
    ("item.date < date(\"2019-02-30\")", "bad date"),
    ("item.present > param.missing", "unknown parameter param.missing"),
    ("item.present >", "expected"),
    ("item.present > 1 )", "unexpected ')'"),
    ("item.present @ 1", "unexpected character '@'"),
    ("frobnicate(item.present)", "unknown function 'frobnicate'"),
    ("item.date < null", "only == and != compare with null"),
])
def test_condition_errors_name_file_line_rule_and_problem(rules_copy, when, message):
    path = add_rule(rules_copy, GOOD_RULE.replace("WHEN", when))
    (err,) = errors(rules_copy)
    assert err.startswith("rules/national/99-test.yaml:12: TEST-RULE: when: ")
    assert message in err
    assert path.exists()


def test_structural_errors_are_all_collected(rules_copy):
    text = GOOD_RULE.replace("WHEN", "item.present > 1").replace("stage: decision", "stage: nowhere") \
        .replace("severity: violation", "severity: fatal").replace("from: 2019-03-03", "from: 2019-13-03") \
        .replace('edition: "2019"', 'edition: "2031"').replace("{item.date} test", "{item.nope} test")
    add_rule(rules_copy, text + "    colour: red\n")
    errs = errors(rules_copy)
    joined = "\n".join(errs)
    for expected in ("unknown key 'colour'", "unknown stage 'nowhere'", "severity must be one of",
                     "effective needs a valid 'from' date", "unknown edition '2031'"):
        assert expected in joined
    assert all(e.startswith("rules/national/99-test.yaml:") and "TEST-RULE" in e for e in errs)


def test_unknown_placeholder_in_message(rules_copy):
    add_rule(rules_copy, GOOD_RULE.replace("WHEN", "item.present > 1").replace("{item.date} test", "{item.nope} test"))
    assert errors(rules_copy) == ["rules/national/99-test.yaml:13: TEST-RULE: message.en: unknown placeholder {item.nope}"]


def test_duplicate_rule_id_points_to_first_definition(rules_copy):
    add_rule(rules_copy, GOOD_RULE.replace("WHEN", "item.present > 1").replace("TEST-RULE", "DEC-QUORUM"))
    (err,) = errors(rules_copy)
    assert "DEC-QUORUM: duplicate rule id (first defined at rules/national/40-decision.yaml:" in err


def test_verified_requires_high_confidence(rules_copy):
    add_rule(rules_copy, GOOD_RULE.replace("WHEN", "item.present > 1").replace("verified: false", "verified: true"))
    (err,) = errors(rules_copy)
    assert "an article marked verified must have confidence high, not 'low'" in err


def test_invalid_yaml_and_yaml_duplicate_keys(rules_copy):
    add_rule(rules_copy, "rules:\n  - id: A-B\n    id: A-C\n", "98-dup.yaml")
    add_rule(rules_copy, "rules: [\n", "97-broken.yaml")
    errs = errors(rules_copy)
    assert any(e.startswith("rules/national/98-dup.yaml:3:") and "duplicate key 'id'" in e for e in errs)
    assert any(e.startswith("rules/national/97-broken.yaml:") and "invalid YAML" in e for e in errs)


def test_a_rulebook_with_one_error_is_never_used_in_part(rules_copy):
    add_rule(rules_copy, GOOD_RULE.replace("WHEN", "item.bogus"))
    with pytest.raises(RulebookError):
        load_rulebook(rules_copy)


def test_profile_overrides_and_its_errors(rules_copy):
    (rules_copy / "profiles" / "strict.yaml").write_text(
        "id: strict\noverrides:\n  DEC-DISCIPLINE-OBSERVER: {severity: violation}\n"
        "  RPT-FILING: {parameters: {deadline_workdays: 10}}\n", encoding="utf-8")
    book = load_rulebook(rules_copy, "strict")
    assert book.rule("DEC-DISCIPLINE-OBSERVER").severity == "violation"
    assert book.rule("RPT-FILING").parameters["deadline_workdays"].default == 10
    assert book.version != load_rulebook(rules_copy).version
    (rules_copy / "profiles" / "bad.yaml").write_text(
        "id: bad\noverrides:\n  NO-SUCH-RULE: {severity: warning}\n  RPT-FILING: {parameters: {deadline: 3}}\n"
        "  DEC-PASS: {parameters: {majority_numerator: one}}\n", encoding="utf-8")
    errs = errors(rules_copy, "bad")
    assert errs == [
        "rules/profiles/bad.yaml:3: NO-SUCH-RULE: profile names an unknown rule",
        "rules/profiles/bad.yaml:4: RPT-FILING: profile sets unknown parameter 'deadline'",
        "rules/profiles/bad.yaml:5: DEC-PASS: parameter majority_numerator='one' is not int",
    ]
    assert errors(rules_copy, "nowhere") == ["rules/profiles/nowhere.yaml: unknown profile 'nowhere'"]


def test_profile_changes_the_verdicts(rules_copy, baseline):
    from cadre_rules import Auditor
    baseline["filings"][0]["date"] = "2021-05-12"  # 8 working days after the notice of 04-28
    assert {f.rule_id for f in Auditor(load_rulebook(rules_copy)).audit_data(baseline).findings} == {"RPT-FILING"}
    (rules_copy / "profiles" / "lenient.yaml").write_text(
        "id: lenient\noverrides:\n  RPT-FILING: {parameters: {deadline_workdays: 10}}\n", encoding="utf-8")
    assert Auditor(load_rulebook(rules_copy, "lenient")).audit_data(baseline).findings == []


def test_workflow_graph_is_checked(rules_copy):
    wf = rules_copy / "workflow.yaml"
    text = wf.read_text(encoding="utf-8")
    wf.write_text(text.replace("  - {from: motion, to: recommendation, event: 工作方案确定 work plan fixed}\n", "")
                  .replace("  - {from: decision, to: deferred, event: 暂缓表决 vote deferred}\n", "")
                  + "  - {from: motion, to: limbo}\n", encoding="utf-8")
    errs = "\n".join(errors(rules_copy))
    assert "transition 'motion' -> 'limbo' names an undeclared stage" in errs


def test_unreachable_and_dead_end_stages(rules_copy):
    wf = rules_copy / "workflow.yaml"
    text = wf.read_text(encoding="utf-8")
    text = text.replace("  - {id: aborted, zh: 终止, en: Aborted}\n",
                        "  - {id: aborted, zh: 终止, en: Aborted}\n  - {id: orphan, zh: 孤立, en: Orphan}\n"
                        "  - {id: trap, zh: 死路, en: Trap}\n")
    wf.write_text(text + "  - {from: motion, to: trap}\n", encoding="utf-8")
    errs = "\n".join(errors(rules_copy))
    assert "stage 'orphan' cannot be reached from 'motion'" in errs
    assert "stage 'trap' is a dead end" in errs


def test_guard_must_name_a_rule(rules_copy):
    wf = rules_copy / "workflow.yaml"
    wf.write_text(wf.read_text(encoding="utf-8").replace("guards: [INS-TEAM-2]", "guards: [INS-TEAM-3]"), encoding="utf-8")
    (err,) = errors(rules_copy)
    assert "INS-TEAM-3: guard of inspection -> discussion is not a rule" in err


def test_a_broken_guard_rule_is_one_error_not_three(rules_copy):
    """DEC-QUORUM guards two transitions and has an accountability entry: a slip in its condition was
    also reported as "guard of discussion -> decision is not a rule" (twice) and "unknown rule id",
    naming a rule that is written right there."""
    path = rules_copy / "national" / "40-decision.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: DEC-QUORUM")
    when = text.index("    when: >-\n", start)
    end = text.index("    message:", when)
    path.write_text(text[:when] + "    when: item.date == 1\n" + text[end:], encoding="utf-8")
    (err,) = errors(rules_copy)
    assert err.endswith("DEC-QUORUM: when: cannot compare date with int (column 11: 'item.date == 1')"), err
    (rules_copy / "profiles" / "strict.yaml").write_text("id: strict\noverrides:\n  DEC-QUORUM: {severity: warning}\n",
                                                       encoding="utf-8")
    assert errors(rules_copy, "strict") == [err]  # nor does a profile that overrides it ("names an unknown rule")


def test_rules_list_json_describes_citations_per_edition(rulebook):
    doc = describe_rules(rulebook)
    by_id = {r["id"]: r for r in doc["rules"]}
    assert set(by_id) == set(rulebook.ids)
    quorum = by_id["DEC-QUORUM"]
    assert [(b["edition"], b["article"], b["verified"]) for b in quorum["basis"]] == [
        ("2002", None, False), ("2014", "37", True), ("2019", "38", False)]
    assert quorum["effective"] == {"from": "2002-07-09", "to": None}
    assert by_id["RPT-FILING"]["parameters"]["deadline_workdays"]["value"] == 7


def test_example_provincial_profile_tightens_local_rules(baseline):
    from cadre_rules import Auditor
    province = load_rulebook(profile="example-province")
    assert province.rule("RPT-FILING").severity == "violation"
    assert province.rule("REC-ATTENDANCE").parameters["applies"].default is True
    assert province.version != load_rulebook().version
    baseline["meetings"][0]["attendees"].remove("m04")  # no discipline official
    baseline["meetings"][0]["agenda"][0]["statements"] = [
        s for s in baseline["meetings"][0]["agenda"][0]["statements"] if s["member"] != "m04"]
    baseline["meetings"][0]["agenda"][0]["vote"]["agree"] = 7
    national = {f.rule_id: f.severity for f in Auditor().audit_data(baseline).findings}
    local = {f.rule_id: f.severity for f in Auditor(province).audit_data(baseline).findings}
    assert national == {"DEC-DISCIPLINE-OBSERVER": "warning"} and local == {"DEC-DISCIPLINE-OBSERVER": "violation"}


def test_an_unquoted_comma_in_a_flow_title_is_a_load_error(tmp_path):
    """`{zh: …, en: A, b}` is YAML for en "A" plus a key "b": the English title would be cut short."""
    import shutil

    from cadre_rules.rulebook import bundled_rules_dir

    root = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), root)
    path = root / "national" / "40-decision.yaml"
    text = path.read_text(encoding="utf-8")
    title = "title: {zh: 应有三分之二以上成员到会, en: At least two thirds of the members are present}"
    assert title in text
    path.write_text(text.replace(title, title.replace("At least two thirds", "At least, two thirds")), encoding="utf-8")
    with pytest.raises(RulebookError, match="DEC-QUORUM: title has keys other than zh and en"):
        load_rulebook(root)
