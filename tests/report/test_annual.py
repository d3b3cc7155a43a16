"""The annual report's figures against a small corpus whose answers are known by construction.

Organisation 中共清溪县委, year 2021:
  001  promotion to a 正处 post (division_chief), personal-matters check clear          — counted
  002  promotion to a 副处 post (division_deputy), quorum missed, concealment found      — counted
  003  rotation (交流轮岗) to a 正处 post, check clear; its record has the members' birth dates
       (meta.member_birth_dates for m01–m03, m04's from an identity number)             — counted
  004  the same as 001 a year earlier (every date 364 days back)                        — other year
  02   example case 02 (another organisation)                                          — other organisation
  bad  an invalid case of the organisation                                             — listed, not counted
"""
from __future__ import annotations

import copy
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cadre_rules.report.annual import AGE_TIERS, birth_from_id_number, build_annual_report, render_markdown
from wording import english_words
from cadre_rules.reading.cases import read_cases
from cadre_rules.cli.main import main
from casedata import attend, dump
from test_report_formats import ROOT
from cadre_rules.reading.yamlmarks import safe_load

ORG = "中共清溪县委"
ID_NUMBER_M04 = "110101196001011234"


def shift_dates(node: Any, days: int) -> Any:
    if isinstance(node, dict):
        return {k: shift_dates(v, days) for k, v in node.items()}
    if isinstance(node, list):
        return [shift_dates(v, days) for v in node]
    if isinstance(node, date):
        return node + timedelta(days=days)
    if isinstance(node, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", node):
        return (date.fromisoformat(node) + timedelta(days=days)).isoformat()
    return node


def make_annual_corpus(tmp_path: Path, baseline: dict[str, Any]) -> Path:
    root = tmp_path / "annual"
    root.mkdir()
    a = copy.deepcopy(baseline)
    a["post"]["level"] = "division_chief"
    b = copy.deepcopy(baseline)
    b["id"] = "2021-qx-czj-002"
    b["post"]["level"] = "division_deputy"
    attend(b, ["m01", "m02", "m03", "m04", "m05", "m06", "m07"])
    b["inspections"][0]["personal_matters"]["outcome"] = "concealment"
    c = copy.deepcopy(baseline)
    c["id"], c["move"] = "2021-qx-czj-003", "rotation"
    c["post"]["level"] = "division_chief"
    c["meta"] = {"member_birth_dates": {"m01": "1968-05-01", "m02": "1980-12-31", "m03": "1981-01-01"}}
    c["body"]["members"][3]["id_number"] = ID_NUMBER_M04
    d = shift_dates(copy.deepcopy(baseline), -364)
    d["id"] = "2020-qx-czj-004"
    bad = copy.deepcopy(baseline)
    bad["id"] = "2021-qx-czj-009"
    bad["meetings"][0]["attendees"][0] = "m99"
    for name, data in (("a", a), ("b", b), ("c", c), ("d", d), ("bad", bad)):
        (root / f"{name}.json").write_text(dump(data), encoding="utf-8")
    other = next((ROOT / "examples" / "cases").glob("02-*.yaml"))
    (root / "e.json").write_text(dump(safe_load(other.read_text(encoding="utf-8"))), encoding="utf-8")
    return root


@pytest.fixture
def corpus(tmp_path, baseline) -> Path:
    return make_annual_corpus(tmp_path, baseline)


def test_figures_of_the_known_corpus(corpus, rulebook, auditor):
    r = build_annual_report(read_cases([corpus]), 2021, ORG, rulebook, auditor, as_of=date(2024, 1, 1))
    value = lambda fig: (fig.value, fig.cases)  # noqa: E731
    one, two, three = "2021-qx-czj-001", "2021-qx-czj-002", "2021-qx-czj-003"
    assert value(r.figures["rounds"]) == (3, [one, two, three])
    assert value(r.moves["promotion"]) == (2, [one, two])
    assert value(r.moves["rotation"]) == (1, [three])
    assert value(r.moves["further_use"]) == value(r.moves["lateral_transfer"]) == (0, [])
    assert value(r.figures["appointed"]) == (3, [one, two, three])
    assert value(r.levels["division_chief"]) == (2, [one, three])
    assert value(r.levels["division_deputy"]) == (1, [two])
    assert value(r.levels["other"]) == (0, [])
    assert value(r.figures["rotations"]) == (1, [three])
    assert value(r.figures["lateral"]) == (0, [])
    assert value(r.figures["targeted"]) == (3, [one, two, three])
    assert value(r.outcomes["clear"]) == (2, [one, three])
    assert value(r.outcomes["concealment"]) == (1, [two])
    assert r.other_year_cases == 1  # 004; example 02 is another organisation
    assert len(r.skipped) == 1 and "bad.json" in r.skipped[0]
    # Findings by stage: exactly the auditor's findings for the three cases of the year.
    expected: dict[str, dict[str, int]] = {}
    for case_file in ("a", "b", "c"):
        for f in auditor.audit_paths([corpus / f"{case_file}.json"]).__next__().findings:
            expected.setdefault(f.stage, {}).setdefault(f.verdict, 0)
            expected[f.stage][f.verdict] += 1
    assert {stage: counts for stage, _, counts, _ in r.stages} == expected
    assert expected["decision"]["violated"] >= 1 and expected["inspection"]["violated"] >= 1
    assert {(p["case"], p["rule"]) for p in r.problems} >= {(two, "DEC-QUORUM"), (two, "INS-PERSONAL-MATTERS")}
    # Age tiers of the team, from case 003's record, at 2021-12-31: 53, 41, 40 and 61 (identity number).
    (team,) = r.teams
    assert (team.body_id, team.case_id, team.members) == ("qx-cwh", three, 11)
    assert team.tiers == {"40岁及以下": 1, "41—45岁": 1, "46—50岁": 0, "51—55岁": 1, "56岁及以上": 1, "年龄不详": 7}
    assert team.average == 48.8 and team.sources == {"meta": 3, "id_number": 1}
    assert [t[0] for t in AGE_TIERS] == list(team.tiers)[:5]


def test_markdown_states_the_figures_with_their_cases(corpus, rulebook, auditor):
    r = build_annual_report(read_cases([corpus]), 2021, ORG, rulebook, auditor, as_of=date(2024, 1, 1))
    text = render_markdown(r)
    assert text.startswith(f"# {ORG}2021年度干部选拔任用工作情况报告")
    rounds, chief = r.figures["rounds"], r.levels["division_chief"]
    assert f"共开展干部选拔任用工作 3[^{rounds.id}] 次" in text
    assert f"正处级 2[^{chief.id}] 人" in text
    assert f"[^{chief.id}]: 任用正处级干部（人）：2021-qx-czj-001、2021-qx-czj-003" in text
    assert f"| {chief.id} | 任用正处级干部（人） | 2 | 2021-qx-czj-001、2021-qx-czj-003 |" in text
    # Every footnote marker used has a definition listing cases.
    for marker in set(re.findall(r"\[\^(F\d+)\](?!:)", text)):
        assert re.search(rf"^\[\^{marker}\]: ", text, re.M), marker
    assert "随机核查：未提供抽查记录" in text
    for name in ("周建国", "马俊杰", "张卫红"):
        assert name not in text


def test_a_left_out_input_is_named_in_chinese_in_the_report_and_under_lang_zh(corpus, tmp_path):
    """The report is a Chinese document: the invalid input it leaves out is listed in Chinese there
    (by place and field path, never by the message, which may echo personal data), and on standard
    error under the default --lang zh; --lang en keeps the English line."""
    md = tmp_path / "r.md"
    zh = CliRunner().invoke(main, ["report", "annual", str(corpus), "--year", "2021", "--org", ORG,
                                   "--markdown", str(md), "--as-of", "2024-01-01"])
    assert zh.exit_code == 2
    (line,) = [ln for ln in zh.stderr.splitlines() if "bad.json" in ln]
    assert line.startswith("未计入：") and "：无效，共 " in line and "个问题，第一个问题" in line, line
    text = md.read_text(encoding="utf-8")
    (listed,) = [ln for ln in text.splitlines() if "bad.json" in ln]
    assert listed == "- " + line.removeprefix("未计入：") and not english_words(listed.split("：", 1)[1]), listed
    en = CliRunner().invoke(main, ["report", "annual", str(corpus), "--year", "2021", "--org", ORG,
                                   "--as-of", "2024-01-01", "--lang", "en"])
    assert any(ln.startswith("not counted: ") and ": invalid, " in ln and "problem(s), first at" in ln
               for ln in en.stderr.splitlines() if "bad.json" in ln), en.stderr


def test_cli_writes_markdown_and_docx(corpus, tmp_path):
    from docx import Document

    md, docx_path = tmp_path / "r.md", tmp_path / "r.docx"
    result = CliRunner().invoke(main, ["report", "annual", str(corpus), "--year", "2021", "--org", ORG,
                                       "--markdown", str(md), "--docx", str(docx_path), "--as-of", "2024-01-01",
                                       "--lang", "en"])
    assert result.exit_code == 2  # the invalid input is listed and makes the status 2; the report is written
    assert "not counted:" in result.stderr and "bad.json" in result.stderr
    assert md.read_text(encoding="utf-8").startswith(f"# {ORG}2021年度")
    doc = Document(str(docx_path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == f"{ORG}2021年度干部选拔任用工作情况报告"
    assert "共开展干部选拔任用工作 3〔F1〕 次" in text
    appendix = doc.tables[-1]
    rows = {row.cells[1].text: (row.cells[2].text, row.cells[3].text) for row in appendix.rows[1:]}
    assert rows["任用正处级干部（人）"] == ("2", "2021-qx-czj-001、2021-qx-czj-003")
    assert rows["任用副处级干部（人）"] == ("1", "2021-qx-czj-002")
    assert rows["交流轮岗（人）"] == ("1", "2021-qx-czj-003")
    ages = doc.tables[0]
    assert [c.text for c in ages.rows[1].cells][:8] == ["中共清溪县委常委会", "11", "1", "1", "0", "1", "1", "7"]
    assert "周建国" not in text


def test_random_checks_come_from_the_spotcheck_record(corpus, tmp_path):
    record = tmp_path / "draw.json"
    valid = [str(corpus / name) for name in ("a.json", "b.json", "c.json")]
    drawn = CliRunner().invoke(main, ["spotcheck", *valid, "--year", "2021", "--org", ORG, "--size", "2",
                                      "--seed", "42", "--record", str(record)])
    assert drawn.exit_code == 0, drawn.output
    result = CliRunner().invoke(main, ["report", "annual", str(corpus / "a.json"), str(corpus / "b.json"),
                                       str(corpus / "c.json"), "--year", "2021", "--org", ORG,
                                       "--spotcheck", str(record)])
    assert result.exit_code == 0, result.stderr
    assert re.search(r"随机核查 2\[\^F\d+\] 人（从 15 人中随机抽取，抽样种子 42", result.stdout)
    wrong = CliRunner().invoke(main, ["report", "annual", str(corpus / "a.json"), "--year", "2022", "--org", ORG,
                                      "--spotcheck", str(record), "--lang", "en"])
    assert wrong.exit_code == 2 and "is for 2021" in wrong.stderr
    chinese = CliRunner().invoke(main, ["report", "annual", str(corpus / "a.json"), "--year", "2022", "--org", ORG,
                                        "--spotcheck", str(record)])
    assert chinese.exit_code == 2 and f'抽查记录是 2021 年度 "{ORG}" 的，不是 2022 年度' in chinese.stderr



WANT = {"random[0].cases": "a list of case ids", "random": "a list of the people drawn"}


def test_a_spot_check_record_of_another_shape_is_named_not_an_internal_error(corpus, tmp_path):
    """Found by fuzzing the report's inputs: a JSON list given to --spotcheck (a roster file, say) or a
    record whose `random` entries were edited stopped `report annual` with 'internal error:
    AttributeError' (exit 4, no report). Now exit 2 naming the file and the field."""
    record = tmp_path / "draw.json"
    CliRunner().invoke(main, ["spotcheck", str(corpus), "--year", "2021", "--org", ORG, "--size", "2",
                              "--seed", "42", "--record", str(record)])
    good = json.loads(record.read_text(encoding="utf-8"))
    roster = tmp_path / "roster.json"
    roster.write_text('[{"key": "x", "targeted": false}]', encoding="utf-8")
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps({**good, "random": [{**good["random"][0], "cases": "2021-qx-czj-001"}]}), encoding="utf-8")
    population = tmp_path / "population.json"
    population.write_text(json.dumps({**good, "population": [15]}), encoding="utf-8")
    nothing_drawn = tmp_path / "null.json"
    nothing_drawn.write_text(json.dumps({**good, "random": None}), encoding="utf-8")
    for path, field, zh in ((roster, "the record", "该记录应为一个 JSON 对象"),
                            (nothing_drawn, "random", "random应为抽中人员的列表"),
                            (edited, "random[0].cases", "random[0].cases应为案例编号的列表"),
                            (population, "population", "population应为一个 JSON 对象")):
        args = ["report", "annual", str(corpus / "a.json"), "--year", "2021", "--org", ORG, "--spotcheck", str(path)]
        english = CliRunner().invoke(main, [*args, "--lang", "en"])
        assert english.exit_code == 2, english.output
        assert english.stderr == (f"{path}: not a spot-check record as `cadre-rules spotcheck --record` writes it: "
                                  f"{field} should be {WANT.get(field, 'a JSON object')}\n")
        chinese = CliRunner().invoke(main, args)
        assert chinese.exit_code == 2 and chinese.stderr == f"{path}：不是 `cadre-rules spotcheck --record` 写出的抽查记录：{zh}\n"

def test_birth_date_from_identity_numbers():
    assert birth_from_id_number("11010119800512001X") == date(1980, 5, 12)
    assert birth_from_id_number("110101800512001") == date(1980, 5, 12)
    assert birth_from_id_number("110101198013320011") is None  # month 13
    assert birth_from_id_number(None) is None and birth_from_id_number("abc") is None


def test_markdown_to_standard_output_and_json_safe(corpus):
    result = CliRunner().invoke(main, ["report", "annual", str(corpus / "a.json"), "--year", "2021", "--org", ORG])
    assert result.exit_code == 0 and result.stdout.startswith(f"# {ORG}2021")
    assert json.dumps(result.stdout)  # plain text


def test_no_name_in_a_case_id_a_waiver_reason_or_an_inspection_team(tmp_path, baseline):
    """The report prints no person's name: not in a case id (2021-马俊杰-401, shown 2021-〔c1〕-401),
    not in a waiver's reason, not of an inspection-team member, nor an identity number."""
    from docx import Document

    case = copy.deepcopy(baseline)
    case["id"] = "2021-马俊杰-401"
    attend(case, ["m01", "m02", "m03", "m04", "m05", "m06", "m07"])  # DEC-QUORUM violated, waived below
    case["inspections"][0]["team"] = [{"name": "张卫红", "role": "leader"}]  # INS-TEAM-2 violated
    case["candidates"][0]["id_number"] = "110101198005120011"
    case["appointments"][0]["talk"]["by"] = "许明"  # an inspection-team member's name in free text
    path = tmp_path / "a.json"
    path.write_text(dump(case), encoding="utf-8")
    waivers = tmp_path / "w.yaml"
    waivers.write_text("- case: 2021-马俊杰-401\n  rule: DEC-QUORUM\n  approver: 王审批\n"
                       "  reason: 经周建国同志书面同意，张卫红核实\n  expires: 2030-12-31\n", encoding="utf-8")
    md, docx_path = tmp_path / "r.md", tmp_path / "r.docx"
    result = CliRunner().invoke(main, ["report", "annual", str(path), "--year", "2021", "--org", ORG,
                                       "--markdown", str(md), "--docx", str(docx_path), "--as-of", "2024-01-01",
                                       "--waivers", str(waivers)])
    assert result.exit_code == 0, result.stderr
    doc = Document(str(docx_path))
    word = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "2021-〔c1〕-401" in md.read_text(encoding="utf-8") and "2021-〔c1〕-401" in word
    for text in (md.read_text(encoding="utf-8"), word, result.stdout + result.stderr):
        for secret in ("马俊杰", "周建国", "张卫红", "王审批", "110101198005120011"):
            assert secret not in text, secret
    assert "经〔m01〕同志书面同意" in md.read_text(encoding="utf-8")  # the waiver (and its reason) still shown


def test_an_input_left_out_is_named_without_the_names_it_records(tmp_path, baseline):
    """An invalid case is listed as not counted by file and field: a file named after a person the
    case records (周建国.json) is listed under the redacted name, as `audit --redact` lists it."""
    good = copy.deepcopy(baseline)
    principal = good["body"]["members"][0]["name"]  # 周建国
    bad = copy.deepcopy(baseline)
    bad["id"] = "2021-qx-czj-402"
    bad["post"] = None
    (tmp_path / "a.json").write_text(dump(good), encoding="utf-8")
    (tmp_path / f"{principal}.json").write_text(dump(bad), encoding="utf-8")
    md = tmp_path / "r.md"
    result = CliRunner().invoke(main, ["report", "annual", str(tmp_path), "--year", "2021", "--org", ORG,
                                       "--markdown", str(md), "--as-of", "2024-01-01"])
    assert result.exit_code == 2
    text = md.read_text(encoding="utf-8")
    assert "〔m01〕.json" in text and "〔m01〕.json" in result.stderr
    assert principal not in text and principal not in result.stderr
