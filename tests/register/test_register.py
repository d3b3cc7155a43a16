"""The organisation register and the cross-case rules (issue 17): a batch of individually compliant cases
inside a departure window gives one finding naming all of them, none outside it; a quota breach is found
on the exact day the holders exceed the approved number and not before; the departure report reads back."""
from __future__ import annotations

import dataclasses

import copy
import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import cadre_rules as cr
from cadre_rules.audit.register import judge_register
from cadre_rules.cli.main import main
from cadre_rules.codes import RetirementCategory
from cadre_rules.errors import RegisterError, RulebookError
from cadre_rules.facts.retirement import retirement_date
from cadre_rules.reading.register import load_register, validate_register

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "register"
REGISTER = EXAMPLE / "register.yaml"


@pytest.fixture(scope="module")
def rulebook():
    return cr.load_rulebook()


@pytest.fixture(scope="module")
def cases():
    return [cr.load_case(p) for p in sorted((EXAMPLE / "cases").glob("*.yaml"))]


def _data() -> dict:
    return yaml.safe_load(REGISTER.read_text(encoding="utf-8"))


def _findings(register, cases, rulebook, rule_id):
    return [(r.unit.id, f) for r in judge_register(register, cases, rulebook) for f in r.findings if f.rule_id == rule_id]


def test_each_example_case_is_compliant_on_its_own(cases, rulebook):
    for case in cases:
        assert [f.rule_id for f in cr.audit(case, rulebook) if f.verdict == "violated" and f.severity == "violation"] == []


def test_a_batch_inside_the_departure_window_gives_one_finding_naming_every_case(cases, rulebook):
    found = _findings(load_register(REGISTER), cases, rulebook, "XC-RUSH-WINDOW")
    assert len(found) == 1
    unit, finding = found[0]
    assert unit == "中共清溪县委" and finding.verdict == "violated"
    for case_id in ("qx-2021-02", "qx-2021-03", "qx-2021-04"):
        assert case_id in finding.message["zh"] and case_id in finding.message["en"]
    assert "qx-2021-01" not in finding.message["zh"] and "qx-2022-01" not in finding.message["zh"]
    assert finding.act_date == "2021-08-20"  # the last decision of the batch


def test_the_same_batch_outside_the_window_gives_none(cases, rulebook):
    data = _data()
    leader = data["units"][0]["leaders"][0]
    leader.update({"departure_decided": date(2021, 9, 1), "successor_in_office": date(2021, 9, 30)})
    assert _findings(validate_register(data), cases, rulebook, "XC-RUSH-WINDOW") == []


def test_an_approved_prior_report_takes_a_case_out_of_the_batch(cases, rulebook):
    approved = []
    for case in cases:
        if case.id == "qx-2021-03":
            data = json.loads(case.model_dump_json(by_alias=True, exclude_none=True))
            data["prior_reports"] = [{"id": "pr1", "matter": "leader_departure", "submitted": "2021-07-01",
                                      "reply_date": "2021-07-08", "reply": "approved"}]
            case = cr.validate_case(data)
        approved.append(case)
    [(_, finding)] = _findings(load_register(REGISTER), approved, rulebook, "XC-RUSH-WINDOW")
    assert "qx-2021-03" not in finding.message["zh"] and "qx-2021-02" in finding.message["zh"]


def test_quota_breach_on_the_exact_day_and_not_before(cases, rulebook):
    found = _findings(load_register(REGISTER), cases, rulebook, "XC-OVER-QUOTA")
    assert [(u, f.act_date) for u, f in found] == [("中共柳河县委", "2023-03-29")]
    assert "lh-2023-01" in found[0][1].message["zh"]
    # the first appointment (2022-04-27) fills the post to its approved number: no finding
    early = [c for c in cases if c.id != "lh-2023-01"]
    assert _findings(load_register(REGISTER), early, rulebook, "XC-OVER-QUOTA") == []


def test_quota_breach_follows_the_approved_number_on_the_day(cases, rulebook):
    data = _data()
    data["units"][1]["posts"][0]["quota"].append({"since": date(2023, 1, 1), "number": 3})
    assert _findings(validate_register(data), cases, rulebook, "XC-OVER-QUOTA") == []


def test_tenure_and_retirement_warnings(cases, rulebook):
    results = {r.unit.id: r for r in judge_register(load_register(REGISTER), cases, rulebook)}
    got = sorted((f.rule_id, f.evidence[0]) for f in results["江州市人民政府"].findings)
    assert ("XC-TENURE-EXCHANGE", "tenure:江州市人民政府:jz-fsz:p-jz-1") in got
    assert ("XC-LEVEL-EXCHANGE", "tenure:江州市人民政府:jz-fsz:p-jz-3") in got
    assert ("XC-PAST-RETIREMENT", "retirement:江州市人民政府:jz-fsz:p-jz-5") in got
    assert ("XC-RETIREMENT-DUE", "retirement:江州市人民政府:jz-fsz:p-jz-4") in got
    assert ("XC-TENURE-TERM", "tenure:江州市人民政府:jz-fsz:p-jz-1") not in got  # ten years: the exchange warning instead


@pytest.mark.parametrize("birth,category,expected", [
    ((1965, 1, 15), "male_60", (2025, 2, 15)), ((1966, 1, 1), "male_60", (2026, 5, 1)),
    ((1964, 12, 1), "male_60", (2024, 12, 1)), ((1990, 1, 1), "male_60", (2053, 1, 1)),
    ((1975, 6, 1), "female_50", (2025, 9, 1)), ((1977, 1, 1), "female_50", (2028, 2, 1)),
    ((1971, 6, 1), "female_55", (2026, 11, 1)), ((1984, 11, 1), "female_50", (2039, 11, 1)),
])
def test_retirement_dates_follow_the_2025_schedule(birth, category, expected):
    assert retirement_date(date(*birth), RetirementCategory(category)) == date(*expected)


@pytest.mark.parametrize("category,former_months,retire_months", [
    # the worked examples of the human-resources explanations [S88]: men formerly retiring in Jan–Apr 2025
    # retire in Feb–May, May–Aug in Jul–Oct; women formerly at 50 due Jan, Feb in Feb, Mar, due Mar, Apr in May, Jun
    ("male_60", (1, 2, 3, 4, 5, 6, 7, 8), (2, 3, 4, 5, 7, 8, 9, 10)),
    ("female_50", (1, 2, 3, 4), (2, 3, 5, 6)),
])
def test_the_first_months_of_2025_follow_the_worked_examples(category, former_months, retire_months):
    years = {"male_60": 60, "female_50": 50}[category]
    got = [retirement_date(date(2025 - years, m, 10), RetirementCategory(category)) for m in former_months]
    assert [(d.year, d.month) for d in got] == [(2025, m) for m in retire_months]


def test_a_bad_register_names_the_file_and_the_field(tmp_path):
    data = _data()
    data["units"][1]["holders"][0]["post"] = "no-such-post"
    data["units"][0]["posts"][0]["quota"][0]["number"] = -1
    path = tmp_path / "reg.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RegisterError) as exc:
        load_register(path)
    text = str(exc.value)
    assert str(path) in text
    assert "units.0.posts.0.quota.0.number" in text or "units[0].posts[0].quota[0].number" in text
    result = CliRunner().invoke(main, ["audit", str(EXAMPLE / "cases"), "--register", str(path)])
    assert result.exit_code == 2 and "台账有误" in result.output and "Traceback" not in result.output
    assert "应大于或等于 0" in result.output  # --lang zh (default): the problem in Chinese
    english = CliRunner().invoke(main, ["audit", str(EXAMPLE / "cases"), "--register", str(path), "--lang", "en"])
    assert english.exit_code == 2 and "register error" in english.output
    assert "Input should be greater than or equal to 0" in english.output


def test_a_case_rule_may_not_match_register_facts(tmp_path, rulebook):
    import shutil

    root = tmp_path / "rules"
    shutil.copytree(Path(rulebook.root), root)
    text = (root / "national" / "95-register.yaml").read_text(encoding="utf-8")
    (root / "national" / "95-register.yaml").write_text(text.replace("    scope: register\n    stage: motion\n    severity: violation",
                                                                     "    stage: motion\n    severity: violation", 1),
                                                        encoding="utf-8")
    with pytest.raises(RulebookError) as exc:
        cr.load_rulebook(root)
    assert "XC-OVER-QUOTA" in str(exc.value) and "unknown fact type 'post_day' for scope case" in str(exc.value)


def test_audit_with_a_register_lists_each_unit(tmp_path):
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["audit", str(EXAMPLE / "cases"), "--register", str(REGISTER), "--format", "json",
                                       "-o", str(out)])
    assert result.exit_code == 1, result.output  # the cross-case violations
    doc = json.loads(out.read_text(encoding="utf-8"))
    units = {c["case_id"]: [f["rule_id"] for f in c["findings"]] for c in doc["cases"] if c["case_id"].startswith("register:")}
    assert units["register:中共清溪县委"] == ["XC-RUSH-WINDOW"]
    assert units["register:中共柳河县委"] == ["XC-OVER-QUOTA"]
    plain = CliRunner().invoke(main, ["audit", str(EXAMPLE / "cases"), "--format", "json"])
    assert plain.exit_code == 0  # without the register every case is compliant


def test_departure_report_reads_back_from_markdown_and_docx(tmp_path):
    from docx import Document

    md, docx_path = tmp_path / "dep.md", tmp_path / "dep.docx"
    result = CliRunner().invoke(main, ["report", "departure", str(EXAMPLE / "cases"), "--register", str(REGISTER),
                                       "--leader", "p-qx-sec", "--org", "中共清溪县委", "--markdown", str(md),
                                       "--docx", str(docx_path)])
    assert result.exit_code == 0, result.output
    text = md.read_text(encoding="utf-8")
    assert "## 四、遵守组织人事纪律情况，特别是离任前有无突击提拔调整干部" in text
    assert "作出任用决定 4 人次" in text and "其间作出任用决定 3 人次" in text
    assert "XC-RUSH-WINDOW" in text and "发现 1 项违反组织人事纪律的问题" in text
    window = text.split("## 附表二")[1]
    assert [c for c in ("qx-2021-01", "qx-2021-02", "qx-2021-03", "qx-2021-04") if c in window] == \
        ["qx-2021-02", "qx-2021-03", "qx-2021-04"]
    doc = Document(str(docx_path))
    paragraphs = [p.text for p in doc.paragraphs]
    assert any("离任检查情况报告" in p for p in paragraphs)
    assert any("发现 1 项违反组织人事纪律的问题" in p for p in paragraphs)
    cells = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert [row[0] for row in cells[1:]] == ["qx-2021-02", "qx-2021-03", "qx-2021-04"]
    unknown = CliRunner().invoke(main, ["report", "departure", str(EXAMPLE / "cases"), "--register", str(REGISTER),
                                        "--leader", "nobody", "--org", "中共清溪县委"])
    assert unknown.exit_code == 2 and "nobody" in unknown.output


def test_both_engines_give_the_same_cross_case_findings(cases, rulebook):
    pytest.importorskip("durable_rules_engine")
    data = _data()
    data["as_of"] = date(2026, 6, 30)  # more tenure and retirement findings
    register = validate_register(data)
    python = [[f.to_dict() for f in r.findings] for r in judge_register(register, cases, rulebook)]
    durable = [[f.to_dict() for f in r.findings] for r in judge_register(register, cases, rulebook, "durable")]
    assert python == durable and sum(map(len, python)) >= 10


def test_the_register_page_documents_every_register_rule_and_fact_field(rulebook):
    from cadre_rules.facts import REGISTER_SCHEMA

    text = (ROOT / "docs" / "register.md").read_text(encoding="utf-8")
    for rule in rulebook.register_rules:
        assert f"`{rule.id}`" in text
    for fact_type, fields in REGISTER_SCHEMA.items():
        assert f"`{fact_type}`" in text
        for name in fields:
            assert f"`{name}`" in text or name in ("id", "path"), f"docs/register.md: {fact_type}.{name}"


def test_rules_show_and_list_name_the_register_rules():
    shown = CliRunner().invoke(main, ["rules", "show", "XC-RUSH-WINDOW"])
    assert shown.exit_code == 0 and json.loads(shown.output)["engine"] == "durable"
    listed = json.loads(CliRunner().invoke(main, ["rules", "list", "--format", "json"]).output)
    assert {r["id"] for r in listed["register_rules"]} >= {"XC-RUSH-WINDOW", "XC-OVER-QUOTA", "XC-PAST-RETIREMENT"}


@pytest.mark.parametrize("as_of,verdicts", [
    # born in March 1965 (day not recorded): the statutory age is reached in April 2025, on an unknown day
    ("2025-03-01", {"XC-RETIREMENT-DUE": "violated"}),  # one full month left whatever the day: less than six
    ("2025-04-15", {"XC-RETIREMENT-DUE": "unknown", "XC-PAST-RETIREMENT": "unknown"}),  # inside the month
    ("2025-05-01", {"XC-PAST-RETIREMENT": "violated"}),  # past whatever the day
])
def test_a_birth_known_to_the_month_is_judged_where_every_day_agrees(as_of, verdicts, rulebook):
    data = _data()
    next(p for p in data["people"] if p["id"] == "p-jz-4")["birth_date"] = "1965-03"
    data["as_of"] = as_of
    register = validate_register(data)
    assert str(register.people[[p.id for p in register.people].index("p-jz-4")].birth_date) == "1965-03"
    for engine in ("python", "durable"):
        units = judge_register(register, [], rulebook, engine=engine)
        found = {f.rule_id: f.verdict for u in units for f in u.findings
                 if "retirement:江州市人民政府:jz-fsz:p-jz-4" in f.evidence}
        assert found == verdicts, engine
        messages = [f.message["zh"] + (f.reason or "") for u in units for f in u.findings
                    if "retirement:江州市人民政府:jz-fsz:p-jz-4" in f.evidence]
        assert all("2025-04" in m for m in messages)  # the retirement month, never a guessed day


def _month_cut(tmp_path: Path, dates: dict[str, dict[str, str]]) -> Path:
    """The example cases, with some act dates cut to the month (`{case id: {"meeting"|"notice": "YYYY-MM"}}`),
    as a 全程纪实 spreadsheet gives them."""
    folder = tmp_path / "cases"
    folder.mkdir()
    for path in sorted((EXAMPLE / "cases").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for what, month in dates.get(data["id"], {}).items():
            (data["meetings"][0] if what == "meeting" else data["appointments"][0])["date"] = month
        (folder / path.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def test_appointments_dated_to_the_month_are_judged_across_cases_not_an_internal_error(tmp_path):
    """Found by fuzzing the register's cases: a decision or notice dated to the month (`2021-06`) stopped
    `audit --register` and `report departure` with 'internal error: ValueError: Invalid isoformat string'
    (exit 4, no report at all). Months wholly inside the window count as the days did."""
    folder = _month_cut(tmp_path, {"qx-2021-02": {"meeting": "2021-06", "notice": "2021-06"},
                                   "qx-2021-04": {"meeting": "2021-08"}, "lh-2023-01": {"notice": "2023-03"}})
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["audit", str(folder), "--register", str(REGISTER), "--format", "json",
                                       "-o", str(out), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    units = {c["case_id"]: c["findings"] for c in json.loads(out.read_text(encoding="utf-8"))["cases"]
             if c["case_id"].startswith("register:")}
    [window] = units["register:中共清溪县委"]
    assert (window["rule_id"], window["verdict"]) == ("XC-RUSH-WINDOW", "violated")
    assert "qx-2021-02（2021-06）、qx-2021-03（2021-07-16）、qx-2021-04（2021-08）" in window["message"]["zh"]
    [quota] = units["register:中共柳河县委"]
    assert (quota["rule_id"], quota["verdict"]) == ("XC-OVER-QUOTA", "violated")
    assert "2023-03 当日在职 3 人" in quota["message"]["zh"]
    departure = CliRunner().invoke(main, ["report", "departure", str(folder), "--register", str(REGISTER),
                                          "--leader", "p-qx-sec", "--org", "中共清溪县委"])
    assert departure.exit_code == 0, departure.output
    assert "| qx-2021-02 | 县教育局局长 | 提拔 | 2021-06 | 2021-06 |" in departure.output


def test_a_decision_month_across_the_window_end_is_unknown_naming_the_case(rulebook):
    """June 2021 is partly inside a window that closes on 2021-06-20: whether the decision was taken in
    it depends on the day, so the rule cannot judge, and says which case and month; never the 1st."""
    data = _data()
    data["units"][0]["leaders"][0]["successor_in_office"] = date(2021, 6, 20)
    raw = yaml.safe_load((EXAMPLE / "cases" / "qx-2021-02.yaml").read_text(encoding="utf-8"))
    raw["meetings"][0]["date"] = raw["appointments"][0]["date"] = "2021-06"
    [(_, finding)] = _findings(validate_register(data), [cr.validate_case(raw)], rulebook, "XC-RUSH-WINDOW")
    assert finding.verdict == "unknown"
    assert "qx-2021-02（2021-06）" in finding.reason and "month only" in finding.reason
    raw["meetings"][0]["date"] = raw["appointments"][0]["date"] = "2021-05"  # wholly before the window
    assert _findings(validate_register(data), [cr.validate_case(raw)], rulebook, "XC-RUSH-WINDOW") == []


def test_the_departure_report_marks_a_month_the_day_of_which_decides_never_its_first_day(tmp_path):
    """The departure settled on 2021-06-15 and a decision recorded as June 2021: whether it was taken in
    the window depends on the day. The report listed it as if taken on 1 June (outside the window, in no
    count of it); it now lists it in the window's table, marked, and counts it apart."""
    folder = _month_cut(tmp_path, {"qx-2021-02": {"meeting": "2021-06", "notice": "2021-06"}})
    data = yaml.safe_load(REGISTER.read_text(encoding="utf-8"))
    data["units"][0]["leaders"][0]["departure_decided"] = "2021-06-15"
    register = tmp_path / "register.yaml"
    register.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    md = tmp_path / "dep.md"
    result = CliRunner().invoke(main, ["report", "departure", str(folder), "--register", str(register),
                                       "--leader", "p-qx-sec", "--org", "中共清溪县委", "--markdown", str(md)])
    assert result.exit_code == 0, result.output
    text = md.read_text(encoding="utf-8")
    assert "作出任用决定 4 人次" in text  # the tenure: June 2021 is wholly inside it, counted as before
    assert ("其间作出任用决定 2 人次；另有 1 人次的决定日期只记录到月，是否在此期间内取决于具体日期" in text)
    during, window = text.split("## 附表一")[1].split("## 附表二")
    assert "| qx-2021-02 | 县教育局局长 | 提拔 | 2021-06 | 2021-06 |" in during
    assert "| qx-2021-02 | 县教育局局长 | 提拔 | 2021-06（只记录到月，是否在期间内取决于具体日期） | 2021-06 |" in window


def test_a_window_whose_certain_decisions_already_breach_it_is_violated_whatever_the_day_of_a_month(rulebook):
    """The departure settled on 2021-06-15; two unreported decisions are surely in the window and one,
    recorded as June 2021, may be. The count was `unknown` as a whole, so the window read unknown though
    two certain decisions already breach it; it is now the range 2–3, which the rule's threshold (one)
    decides: violated, the message giving the range. With the threshold above the most it can be, nothing;
    between the fewest and the most, unknown."""
    data = _data()
    data["units"][0]["leaders"][0]["departure_decided"] = date(2021, 6, 15)
    cases = []
    for path in sorted((EXAMPLE / "cases").glob("qx-2021-*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if raw["id"] == "qx-2021-02":
            raw["meetings"][0]["date"] = raw["appointments"][0]["date"] = "2021-06"
        cases.append(cr.validate_case(raw))
    for engine in ("python", "durable"):
        [finding] = [f for r in judge_register(validate_register(data), cases, rulebook, engine) for f in r.findings
                     if f.rule_id == "XC-RUSH-WINDOW"]
        assert finding.verdict == "violated", engine
        assert "期间作出 2–3 人次任用决定" in finding.message["zh"], finding.message["zh"]
    for threshold, verdicts in ((2, ["violated"]), (3, ["unknown"]), (4, [])):
        book = dataclasses.replace(rulebook, register_rules=tuple(
            _with_parameter(r, "min_unreported", threshold) if r.id == "XC-RUSH-WINDOW" else r
            for r in rulebook.register_rules))
        found = [f.verdict for r in judge_register(validate_register(data), cases, book) for f in r.findings
                 if f.rule_id == "XC-RUSH-WINDOW"]
        assert found == verdicts, threshold


def _with_parameter(rule, name, value):
    """The rule with one parameter's default changed, as a profile's override changes it."""
    from cadre_rules.rulebook.model import Parameter

    p = rule.parameters[name]
    return dataclasses.replace(rule, parameters={**rule.parameters, name: Parameter(p.name, p.kind, value, p.doc, p.nullable)})


@pytest.mark.parametrize("act_date, within", [
    ("2021-06", True),             # a month whose days reach into the tenure: as text it sorted before 2021-06-10
    ("2021-05", False), ("2021-06-09", False), ("2021-06-10", True), ("2021-09-30", True), ("2021-10-01", False),
    ("2021-05-20/2021-06-12", True), ("2021-05-01/2021-06-09", False), ("2021-10", False), ("2021-09", True),
])
def test_the_departure_report_places_a_findings_act_month_by_its_days_not_its_text(act_date, within):
    """A cross-case finding's act date known to the month (`2021-06`) was compared with the tenure as
    text, and a month sorts before its own first day: a breach in the tenure's first month was left out
    of the report's discipline section."""
    from cadre_rules.report.departure import _may_fall_within

    assert _may_fall_within(act_date, date(2021, 6, 10), date(2021, 9, 30)) is within
