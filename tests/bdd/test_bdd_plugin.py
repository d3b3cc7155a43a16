"""The step library as a product: the plugin, the case builder, reports, and specs that can fail.

- the specs' baseline is the compliant example case 01, built from the models;
- every step of every feature (ours and examples/bdd) matches exactly one step of the library, and
  every step has a Chinese and an English text;
- examples/bdd — another project's specs on its own rulebook — passes when run on its own;
- `--cucumberjson` writes a report that lists the scenarios by rule tag;
- breaking a rule file (DEC-QUORUM's quorum numerator 2 → 1) makes the quorum scenarios fail;
- without pytest-bdd the plugin stays out of the way.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from pytest_bdd.parser import FeatureParser
from pytest_bdd.steps import step_function_context_registry

import cadre_rules as cr
from cadre_rules.bdd import CaseBuilder, CaseBuildError, SpecContext, baseline_case
from cadre_rules.reading.yamlmarks import safe_load
from cadre_rules.testing.baseline import baseline_data
from cadre_rules.bdd import steps as library

ROOT = Path(__file__).resolve().parents[2]
FEATURES = ROOT / "features"
EXAMPLE = ROOT / "examples" / "bdd"


def run_pytest(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


# --- the baseline and the builder ------------------------------------------------------------------------


def test_baseline_is_the_compliant_example_case() -> None:
    example = cr.load_case(ROOT / "examples" / "cases" / "01-合规-县财政局局长提拔.yaml")
    assert baseline_case() == example.model_copy(update={"meta": {}})
    assert cr.audit(baseline_case()) == []
    # The suite's `baseline` fixture is the same case as the data the example file holds (its meta aside).
    data = safe_load((ROOT / "examples" / "cases" / "01-合规-县财政局局长提拔.yaml").read_text(encoding="utf-8"))
    data.pop("meta")
    assert baseline_data() == data and baseline_data() is not baseline_data()


def test_moving_the_meeting_moves_the_whole_case() -> None:
    builder = CaseBuilder()
    before = builder.case
    builder.set_meeting_date(date(2016, 5, 10))
    after = builder.case
    delta = date(2016, 5, 10) - date(2021, 4, 16)
    assert after.meetings[0].date == date(2016, 5, 10)
    assert after.candidates[0].birth_date == before.candidates[0].birth_date + delta
    assert after.inspections[0].completed == before.inspections[0].completed + delta
    assert after.motion.date == before.motion.date + delta
    publicity = after.publicity[0]
    assert publicity.start == date(2016, 5, 13) and publicity.end == date(2016, 6, 2)
    assert after.appointments[0].date == date(2016, 6, 4) and after.filings[0].date == date(2016, 6, 6)
    assert cr.audit(after) == []


def test_publicity_far_from_the_meeting_moves_the_meeting() -> None:
    builder = CaseBuilder().set_publicity(date(2024, 9, 27), date(2024, 10, 8))
    assert builder.meeting_date == date(2024, 9, 24)
    assert builder.case.appointments[0].date == date(2024, 10, 10)
    near = CaseBuilder().set_meeting_date(date(2024, 9, 10)).set_publicity(date(2024, 9, 27), date(2024, 10, 9))
    assert near.meeting_date == date(2024, 9, 10)


def test_statements_and_vote_follow_the_plan() -> None:
    builder = CaseBuilder().set_body(9).set_attendance(6).vote(4)
    item = builder.item
    assert [s.member for s in item.statements][-1] == "m01"
    assert (item.vote.yes, item.vote.no, item.vote.abstain) == (4, 2, 0)
    builder.principal_speaks_last(False)
    assert builder.item.statements[0].member == "m01"
    with pytest.raises(CaseBuildError, match="do not add up"):
        builder.vote(4, 1)
    with pytest.raises(CaseBuildError, match="到会人数超过应到会成员"):
        builder.set_attendance(10)


def test_a_typo_in_a_rule_id_fails_instead_of_passing() -> None:
    spec = SpecContext()
    with pytest.raises(AssertionError, match="不在规则集中"):
        spec.expect_not_violated("DEC-QUORUMM")
    spec.expect_no_violations()


@pytest.mark.parametrize("text,says", [("2023-13-05", "month must be in 1..12"), ("2023年2月30日", "day is out of range"),
                                       ("2023/06/05", "write 2024-09-29 or 2024年9月29日")])
def test_a_date_a_step_cannot_read_is_named_in_the_failure(text: str, says: str) -> None:
    from cadre_rules.bdd.vocabulary import day

    with pytest.raises(ValueError, match=f"not a date: '{re.escape(text)}' \\(.*{re.escape(says)}"):
        day(text)


def test_failed_expectations_list_the_findings() -> None:
    spec = SpecContext()
    spec.builder.set_body(9).set_attendance(5)
    spec.expect_violated("DEC-QUORUM")
    with pytest.raises(AssertionError) as info:
        spec.expect_no_violations()
    assert "DEC-QUORUM 违规/violated" in str(info.value) and "5" in str(info.value)


def test_an_impossible_case_fails_validation_with_the_field_named() -> None:
    spec = SpecContext()
    spec.builder.set_notice_date(date(2021, 4, 1))  # before the decision of 2021-04-16
    with pytest.raises(AssertionError, match=r"appointments\[0\]\.date"):
        spec.findings


def run_step(spec: SpecContext, text: str) -> None:
    """Run one step text (Chinese or English) of the library on `spec`, as pytest-bdd would."""
    [ctx] = [c for c in library_steps() if c.parser.is_matching(text)]
    args = ctx.parser.parse_arguments(text)
    ctx.step_func(cadre_spec=spec, **{k: v for k, v in args.items()
                                      if k in ctx.step_func.__code__.co_varnames[:ctx.step_func.__code__.co_argcount]})


@pytest.mark.parametrize("zh, en", [
    ("该人选出生于 1970年5月12日", "the candidate was born on 1970-05-12"),
    ("该人选于 1992-07-01 参加工作", "the candidate started work on 1992-07-01"),
    ("该人选于 1995-06-01 入党", "the candidate joined the Party on 1995-06-01"),
    ("该人选自 2019-03-01 起任副科级职务", "the candidate has held a section deputy post since 2019-03-01"),
    ("该人选于 2020-06-01 受到党纪处分（警告），影响期 6 个月",
     "the candidate received a party sanction (警告) on 2020-06-01 with an influence period of 6 months"),
    ("该职位为正处级", "the post is at division chief level"),
    ("该事项由书记办公会讨论决定", "the item is decided by a secretaries' meeting"),
    ("表决方式为无记名投票", "the vote is taken by secret ballot"),
    ("民主推荐应参加 45 人，实际参加 三十 人", "the recommendation had 30 of 45 participants"),
    ("该人选得推荐票 20 票", "the candidate received 20 recommendation votes"),
    ("没有廉洁自律结论性意见", "there is no integrity conclusion"),
    ("廉洁自律结论性意见未经纪委书记签字", "the integrity conclusion is not signed by the discipline head"),
    ("公示期间收到反映问题，经查影响任用", "an objection was received during the publicity that affects the appointment"),
])
def test_steps_for_rules_to_come_change_the_case(zh: str, en: str) -> None:
    """Steps no current rule needs yet (issue 4 will): each language changes the case the same way."""
    cases = []
    for text in (zh, en):
        spec = SpecContext()
        before = spec.builder.case
        run_step(spec, text)
        assert spec.builder.case != before, text
        spec.validated_case()
        cases.append(spec.builder.case)
    assert cases[0] == cases[1], (zh, en)


def test_extra_steps_set_the_fields_they_name() -> None:
    spec = SpecContext()
    for text in ("该人选于 2020-06-01 受到党纪处分（警告），影响期 6 个月", "该人选自 2019-03-01 起任副科级职务",
                 "民主推荐应参加 45 人，实际参加 30 人", "廉洁自律结论性意见未经纪委书记签字", "公示期间收到反映问题，尚未查结",
                 "表决方式为无记名投票", "该事项由部务会讨论决定"):
        run_step(spec, text)
    case = spec.builder.case
    [sanction] = case.candidates[0].sanctions
    assert (sanction.system, sanction.type, str(sanction.decision_date), sanction.period_months) == (
        "party", "warning", "2020-06-01", 6)  # the kind as the rules name it (警告 → warning)
    assert (case.candidates[0].current_level.value, str(case.candidates[0].current_since)) == ("section_deputy", "2019-03-01")
    assert (case.recommendations[0].participants_expected, case.recommendations[0].participants_actual) == (45, 30)
    ic = case.inspections[0].integrity_conclusion
    assert ic.signed_by_secretary and not ic.signed_by_discipline_head
    [objection] = case.publicity[0].objections
    assert objection.resolved is None and not objection.affects_appointment
    assert case.meetings[0].agenda[0].vote.method == "secret" and case.meetings[0].kind.value == "department"


# --- every step is the library's, in both languages --------------------------------------------------------


def library_steps():
    return [ctx for ctx in step_function_context_registry.values() if ctx.step_func.__module__ == library.__name__]


def feature_steps():
    for path in sorted(FEATURES.rglob("*.feature")) + sorted(EXAMPLE.glob("*.feature")):
        feature = FeatureParser(str(path.parent), path.name).parse()
        for template in feature.scenarios.values():
            contexts = [c for ex in template.examples for c in ex.as_contexts()] or [{}]
            for context in contexts:
                for step in template.render(context).steps:
                    yield path.name, step


def test_every_feature_step_matches_exactly_one_library_step() -> None:
    steps = library_steps()
    assert len(steps) > 100
    seen = 0
    for feature, step in feature_steps():
        matches = [ctx.step_func.__name__ for ctx in steps
                   if ctx.type in (None, step.type) and ctx.parser.is_matching(step.name)]
        assert len(matches) == 1, f"{feature}:{step.line_number} {step.type} {step.name!r} matches {matches}"
        seen += 1
    assert seen > 400


def test_every_step_has_chinese_and_english_texts() -> None:
    texts: dict[str, list[str]] = {}
    for ctx in library_steps():
        texts.setdefault(ctx.step_func.__name__, []).append(ctx.parser.name)
    chinese = re.compile(r"[\u4e00-\u9fff]")
    for name, patterns in texts.items():
        assert any(chinese.search(p) for p in patterns), f"step {name} has no Chinese text"
        assert any(not chinese.search(p) and re.search(r"[a-z]{3}", p) for p in patterns), f"step {name} has no English text"


# --- runs in other processes ------------------------------------------------------------------------------


def test_the_external_example_passes_on_its_own() -> None:
    """`pytest examples/bdd`: its own pytest.ini makes it its own project, judged by its own rules."""
    proc = run_pytest("examples/bdd", "-rA")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "6 passed" in proc.stdout
    assert "rootdir: " + str(EXAMPLE) in proc.stdout


def test_cucumber_json_lists_scenarios_by_rule_tag(tmp_path: Path) -> None:
    """Two rules' scenarios, chosen with `-m` as docs/specs.md says, in Chinese and English features:
    the report lists each scenario under its rule's tag with its steps passed, and nothing else. (That
    every rule has a violating and a compliant scenario, and that every scenario passes, the suite
    checks already: test_spec_coverage.py and test_features.py. Running every feature a second time
    here for its report cost ~25 s of the suite.)"""
    report = tmp_path / "specs.json"
    chosen = {"DEC-QUORUM", "APT-PUB-5WD"}
    proc = run_pytest("tests/bdd/test_features.py", "-m", " or ".join(sorted(chosen)), f"--cucumberjson={report}")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    features = json.loads(report.read_text(encoding="utf-8"))
    assert {f["language"] for f in features if f["elements"]} == {"zh-CN", "en"}
    ids = set(cr.load_rulebook().ids)
    by_rule: dict[str, set[str]] = {}
    for feature in features:
        for element in feature["elements"]:
            tags = {t["name"] for t in element["tags"]}
            assert element["steps"] and all(s["result"]["status"] == "passed" for s in element["steps"])
            assert tags & chosen, tags  # only the scenarios asked for
            for rule in tags & ids:
                by_rule.setdefault(rule, set()).update(tags)
    for rule in chosen:
        assert rule in by_rule, f"no scenario of {rule} in the cucumber report"
        assert by_rule[rule] & {"违规", "violating"} and by_rule[rule] & {"合规", "compliant"}, rule


def test_breaking_a_rule_file_makes_its_scenarios_fail(tmp_path: Path) -> None:
    """DEC-QUORUM with a quorum of one third instead of two thirds: the violating quorum scenarios
    must fail. The unchanged copy, run the same way, passes (so the failure is the rule's)."""
    intact, broken = tmp_path / "intact", tmp_path / "broken"
    shutil.copytree(ROOT / "rules", intact)
    shutil.copytree(ROOT / "rules", broken)
    decision = broken / "national" / "40-decision.yaml"
    text = decision.read_text(encoding="utf-8")
    old = "quorum_numerator: {type: int, default: 2,"
    assert text.count(old) == 1
    decision.write_text(text.replace(old, "quorum_numerator: {type: int, default: 1,"), encoding="utf-8")
    runs = {name: subprocess.Popen([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/bdd/test_features.py",
                                    "-m", "DEC-QUORUM", f"--cadre-rules={path}", "-rf"], cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name, path in (("intact", intact), ("broken", broken))}
    out = {name: proc.communicate(timeout=300) + (proc.returncode,) for name, proc in runs.items()}
    assert out["intact"][2] == 0, out["intact"][0][-3000:]
    stdout, _, status = out["broken"]
    assert status == 1, stdout[-3000:]
    assert "FAILED tests/bdd/test_features.py::test_到会不足三分之二[7-4]" in stdout
    assert "FAILED tests/bdd/test_features.py::test_fewer_than_two_thirds_present[12-7]" in stdout
    assert "expected exactly these violations; missing: ['DEC-QUORUM']" in stdout


def test_the_plugin_stays_out_of_the_way_without_pytest_bdd(tmp_path: Path) -> None:
    (tmp_path / "test_plain.py").write_text("def test_plain():\n    assert True\n", encoding="utf-8")
    code = textwrap.dedent(f"""
        import sys

        class Hide:  # as if pytest-bdd were not installed
            def find_spec(self, name, path=None, target=None):
                if name == "pytest_bdd" or name.startswith("pytest_bdd."):
                    raise ModuleNotFoundError(name)

        sys.meta_path.insert(0, Hide())
        import pytest
        # (plain asserts: the rewriting import hook would find pytest_bdd past the finder above)
        sys.exit(pytest.main(["-p", "no:pytest-bdd", "-p", "no:cacheprovider", "--assert=plain", "-q", {str(tmp_path)!r}]))
        """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout


def test_docs_list_every_step_in_both_languages() -> None:
    """The step table of docs/specs.md: every example text is a real step, and every step is shown."""
    text = (ROOT / "docs" / "specs.md").read_text(encoding="utf-8")
    table = text.split("## 步骤一览", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) > 50
    shown: dict[str, set[str]] = {"zh": set(), "en": set()}
    steps = library_steps()
    for row in rows:
        cells = row.split(" | ")
        for lang, cell in (("zh", cells[0]), ("en", cells[1])):
            for example in re.findall(r"`([^`]+)`", cell):
                found = {ctx.step_func.__name__ for ctx in steps if ctx.parser.is_matching(example)}
                assert len(found) == 1, f"docs/specs.md: {example!r} matches {sorted(found)}"
                shown[lang] |= found
    every = {ctx.step_func.__name__ for ctx in steps}
    assert every - shown["zh"] == set(), "steps without a Chinese example in docs/specs.md"
    assert every - shown["en"] == set(), "steps without an English example in docs/specs.md"
