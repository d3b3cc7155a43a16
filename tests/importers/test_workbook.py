"""Importing procedure workbooks (全程纪实): the template layout, a mapped foreign layout, and errors
named by sheet, row, column and case."""
from __future__ import annotations

import copy
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import cadre_rules as cr
from cadre_rules.cli import main
from cadre_rules.importers.layout import LAYOUT, SHEETS
from cadre_rules.importers.mapping import MappingError, load_mapping, parse_mapping
from cadre_rules.importers.template import write_workbook
from cadre_rules.importers.workbook import import_workbook
from cadre_rules.reading.yamlmarks import safe_load
from wording import english_words

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "import"
TEMPLATE_BOOK = EXAMPLES / "程序纪实-模板格式.xlsx"
FOREIGN_BOOK = EXAMPLES / "程序纪实-外部格式.xlsx"
MAPPING = EXAMPLES / "外部格式映射.yaml"
sys.path.insert(0, str(EXAMPLES))
from make_workbooks import TEMPLATE_ROWS, make_workbooks  # noqa: E402 - the rows the example workbook was written from


def test_template_example_reproduces_the_hand_typed_example_case():
    result = import_workbook(TEMPLATE_BOOK)
    assert result.problems == [] and result.failed == []
    imported = cr.validate_case(result.cases["2021-qx-czj-001"]).model_dump(mode="json", exclude={"meta"})
    typed = cr.load_case(ROOT / "examples/cases/01-合规-县财政局局长提拔.yaml").model_dump(mode="json", exclude={"meta"})
    assert imported == typed


def test_the_example_workbooks_are_what_their_script_writes(tmp_path):
    """The committed examples follow the layout as it is now (their 说明 and 代码 sheets included): a
    layout change without re-running examples/import/make_workbooks.py fails here."""
    for fresh in make_workbooks(tmp_path):
        committed = load_workbook(EXAMPLES / fresh.name, read_only=True)
        written = load_workbook(fresh, read_only=True)
        assert committed.sheetnames == written.sheetnames, fresh.name
        for name in committed.sheetnames:
            assert list(committed[name].iter_rows(values_only=True)) == list(written[name].iter_rows(values_only=True)), \
                (fresh.name, name)


def test_a_candidate_row_naming_a_form_is_filled_from_it():
    case = cr.validate_case(import_workbook(TEMPLATE_BOOK).cases["2024-qx-sfj-001"])
    cand = case.candidates[0]
    assert cand.name == "林海涛" and str(cand.birth_date) == "1982-03"
    assert cand.current_level.value == "section_deputy"  # the row's value, beside the form's
    assert cand.records.appointment_form.format == "lrm"


def test_the_foreign_layout_is_read_through_its_mapping():
    result = import_workbook(FOREIGN_BOOK, load_mapping(MAPPING))
    assert result.problems == [], [str(p) for p in result.problems]
    case = cr.validate_case(result.cases["QX-2023-017"])
    assert case.move.value == "lateral_transfer" and case.post.quota == 3
    assert case.meetings[0].date.isoformat() == "2023-06-12"  # 2023年6月12日, a mapped date format
    assert case.meetings[0].agenda[0].outcome.value == "adopted"  # 同意任用, a mapped code
    assert case.recommendations[0].form == "talk" and case.recommendations[0].results[0].votes == 21
    assert [m.roles[0].value for m in case.body.members[:3]] == ["principal_leader", "member", "organisation_lead"]
    assert case.candidates[0].name == "周雅琴"


def test_imported_cases_are_audited():
    cases = list(import_workbook(TEMPLATE_BOOK).cases.values()) + list(
        import_workbook(FOREIGN_BOOK, load_mapping(MAPPING)).cases.values())
    findings = {c["id"]: {f.rule_id: f for f in cr.audit(c)} for c in cases}
    assert findings["2021-qx-czj-001"] == {}
    # 2024: the record has no statements, no 会前送达 and no 列席人员: those rules are not judged, and say why
    b = findings["2024-qx-sfj-001"]
    assert b["DEC-EXPLICIT-VIEW"].verdict == "unknown"
    assert b["DEC-EXPLICIT-VIEW"].reason.startswith("meetings[0].agenda[0].statements: not recorded")
    assert b["MOT-NO-ADHOC"].verdict == "unknown" and "circulated_in_advance: not recorded" in b["MOT-NO-ADHOC"].reason
    assert b["DEC-DISCIPLINE-OBSERVER"].verdict == "unknown"  # m04 absent, and no record of who sat in
    assert b["INS-MATERIALS"].verdict == "violated"  # what the record does say is judged
    # the foreign case was filed 11 working days after the notice
    assert findings["QX-2023-017"]["RPT-FILING"].verdict == "violated"


def _rows() -> dict:
    return copy.deepcopy(TEMPLATE_ROWS)


def _book(tmp_path: Path, rows: dict, name: str = "wb.xlsx") -> Path:
    """A template-layout workbook of the rows, beside the form file the example's 候选人 sheet names."""
    shutil.copy(EXAMPLES / "林海涛.lrm", tmp_path / "林海涛.lrm")
    return write_workbook(tmp_path / name, rows)


def test_each_deliberate_error_gives_one_clear_problem_and_the_other_cases_are_imported(tmp_path):
    rows = _rows()
    good = "2021-qx-czj-001"
    base = next(r for r in rows["案例"] if r[0] == good)
    for cid in ("E-code", "E-date", "E-person", "E-column"):
        rows["案例"].append([cid, *base[1:]])
        for sheet in ("班子成员", "候选人", "会议", "议题与表决"):
            rows[sheet] += [[cid, *r[1:]] for r in rows[sheet] if r[0] == good]
    rows["案例"][-4][3] = "升职"  # E-code: unknown code in 调整类型 (column D)
    next(r for r in rows["会议"] if r[0] == "E-date")[3] = "2021-13-45"  # E-date: bad date in 日期
    next(r for r in rows["会议"] if r[0] == "E-person")[5] = "m01、m02、m99"  # E-person: m99 does not exist
    # E-column: the only case with publicity, in a 公示 sheet that lacks its required 开始日期 column
    rows["公示"] = [["E-column", "p1", "c1", "2021-04-19", "2021-04-25", "清溪县人民政府网站"]]
    book = _book(tmp_path, rows, "errors.xlsx")
    wb = load_workbook(book)
    headers = [c.value for c in wb["公示"][1]]
    wb["公示"].delete_cols(headers.index("开始日期") + 1)
    wb.save(book)

    result = import_workbook(book)
    problems = [(p.sheet, p.row, p.column, p.case) for p in result.problems]
    assert problems == [
        ("案例", 4, "调整类型", "E-code"),
        ("会议", 5, "日期", "E-date"),
        ("公示", 1, "开始日期", None),
        ("会议", 6, "实到成员", "E-person"),
    ], [str(p) for p in result.problems]
    messages = [str(p) for p in result.problems]
    assert "unknown code '升职'" in messages[0] and "column 调整类型 (D)" in messages[0]
    assert "not a date: '2021-13-45'" in messages[1]
    assert "required column missing" in messages[2]
    assert 'unknown member "m99"' in messages[3]
    chinese = [p.text("zh") for p in result.problems]  # import workbook --lang zh (the default)
    assert chinese[3] == '「会议」表第 6 行「实到成员」列（`F`） 案例 "E-person"：meetings[0].attendees[2]：未知的班子成员 "m99"（是否应为 "m09"？）'
    assert all(not english_words(text) for text in chinese), chinese
    assert result.failed == ["E-code", "E-date", "E-person", "E-column"]
    assert list(result.cases) == [good, "2024-qx-sfj-001"]  # the others are still imported
    assert cr.validate_case(result.cases[good]).publicity == []


def test_a_good_case_beside_bad_ones_is_written_by_the_command(tmp_path):
    rows = _rows()
    rows["案例"].append(["E-code", *rows["案例"][0][1:]])
    rows["案例"][-1][3] = "升职"
    book = _book(tmp_path, rows)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["import", "workbook", str(book), "--out", str(out), "--lang", "en"])
    assert result.exit_code == 2
    assert "案例 row 4 column 调整类型 (D) case E-code: unknown code '升职'" in result.output
    assert f"{book}: wrote 2 case(s) to {out}; not imported: E-code" in result.output
    out_zh = tmp_path / "out_zh"
    chinese = CliRunner().invoke(main, ["import", "workbook", str(book), "--out", str(out_zh)])  # the default: zh
    assert chinese.exit_code == 2
    assert f"错误：{book}：「案例」表第 4 行「调整类型」列（`D`） 案例 \"E-code\"：代码表 `move` 中没有代码 '升职'" in chinese.output
    assert f"{book}：已将 2 个案例写入 {out_zh}；未导入：E-code" in chinese.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == ["2021-qx-czj-001.yaml", "2024-qx-sfj-001.yaml"]
    written = safe_load((out / "2021-qx-czj-001.yaml").read_text(encoding="utf-8"))
    assert cr.validate_case(written).id == "2021-qx-czj-001"
    ok = CliRunner().invoke(main, ["audit", str(out)])
    assert ok.exit_code in (0, 1), ok.output


def test_importing_again_keeps_case_files_completed_by_hand(tmp_path):
    """A case file already in --out (perhaps completed by hand since) is kept, and said so, unless
    --overwrite: importing the workbook again replaced every one without a word."""
    book = _book(tmp_path, _rows())
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["import", "workbook", str(book), "--out", str(out)]).exit_code == 0
    edited = out / "2021-qx-czj-001.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# 已手工补全\n", encoding="utf-8")
    again = CliRunner().invoke(main, ["import", "workbook", str(book), "--out", str(out)])
    assert again.exit_code == 2
    assert f"案例 2021-qx-czj-001：未写出：{edited} 已存在（手工补全过的文件不覆盖；加 --overwrite 可覆盖）" in again.output
    assert f"已将 0 个案例写入 {out}" in again.output and edited.read_text(encoding="utf-8").endswith("# 已手工补全\n")
    replaced = CliRunner().invoke(main, ["import", "workbook", str(book), "--out", str(out), "--overwrite"])
    assert replaced.exit_code == 0 and "# 已手工补全" not in edited.read_text(encoding="utf-8")


def test_a_month_only_date_where_the_day_is_needed_and_a_missing_required_value_are_named(tmp_path):
    rows = _rows()
    rows["酝酿"][0][2] = "2021.04"  # a consultation's date: not an act the audit can take to the month
    rows["报备"][0][4] = None
    result = import_workbook(_book(tmp_path, rows))
    messages = [str(p) for p in result.problems]
    assert messages == [
        "酝酿 row 2 column 日期 (C) case 2021-qx-czj-001: '2021.04' gives only a month; this date needs the day",
        "报备 row 2 column 报送机关 (E) case 2021-qx-czj-001: required value missing",
    ]


def test_acts_dated_to_the_month_are_imported_as_months_and_audited_without_a_guessed_day(tmp_path):
    """全程纪实 sheets often record only the month of an act: kept as YYYY-MM, then judged where every day
    of the month agrees and 「无法判断」 (with the month named) where the day decides."""
    rows = _rows()
    rows["公示"][0][3] = "2021.04"
    rows["报备"][0][3] = "2021年5月"
    result = import_workbook(_book(tmp_path, rows))
    assert result.problems == []
    case = cr.validate_case(result.cases["2021-qx-czj-001"])
    assert str(case.publicity[0].start) == "2021-04" and str(case.filings[0].date) == "2021-05"
    found = cr.Auditor().findings(case)
    assert {f.verdict for f in found} <= {"unknown"} and found
    assert any(f.reason.startswith("publicity[0].start: only the month is recorded (2021-04)") for f in found)


def test_references_to_unknown_records_name_the_cell(tmp_path):
    rows = _rows()
    rows["表态顺序"][0][1] = "mt9"
    rows["候选人"].append(["nobody", "c1", "某某", None, "1980-01-01"])
    result = import_workbook(_book(tmp_path, rows))
    assert [str(p) for p in result.problems] == [
        "候选人 row 4 column 案例编号 (A) case nobody: unknown case 'nobody' (not in the cases sheet)",
        "表态顺序 row 2 column 会议编号 (B) case 2021-qx-czj-001: unknown meeting 'mt9'",
    ]


def test_template_command_writes_every_sheet_and_an_empty_template_imports_nothing(tmp_path):
    target = tmp_path / "t.xlsx"
    result = CliRunner().invoke(main, ["template", "workbook", "--out", str(target)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(target, read_only=True)
    assert wb.sheetnames == [s.name for s in LAYOUT] + ["说明", "代码"]
    assert [c.value for c in next(wb["会议"].iter_rows(max_row=1))] == [c.header for c in SHEETS["会议"].columns]
    empty = import_workbook(target)
    assert empty.cases == {} and empty.problems == []
    # a workbook already there (perhaps filled in) is kept: an empty template over it lost its records
    filled = _book(tmp_path, _rows())
    before = filled.read_bytes()
    kept = CliRunner().invoke(main, ["template", "workbook", "--out", str(filled), "--lang", "en"])
    assert kept.exit_code == 2 and f"error: {filled} exists; not overwriting it" in kept.output
    kept = CliRunner().invoke(main, ["template", "workbook", "--out", str(filled)])
    assert kept.exit_code == 2 and kept.output == f"错误：{filled} 已存在；不以空模板覆盖它（加 --overwrite 可覆盖）\n"
    assert filled.read_bytes() == before
    assert CliRunner().invoke(main, ["template", "workbook", "--out", str(filled), "--overwrite"]).exit_code == 0
    assert import_workbook(filled).cases == {}


def test_a_file_that_is_not_a_workbook_is_one_problem(tmp_path):
    fake = tmp_path / "x.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    result = import_workbook(fake)
    assert len(result.problems) == 1 and result.cases == {}
    assert str(result.problems[0]).startswith(f"(workbook): {fake}: not an .xlsx workbook")


@pytest.mark.parametrize("data, message", [
    ({"sheets": {"会义": "x"}}, "sheets.会义: no such sheet"),
    ({"columns": {"会议": {"日子": "x"}}}, "columns.会议.日子: no such column"),
    ({"codes": {"outcome": {"passed": ["同意"]}}}, "codes.outcome.passed: not a value of outcome"),
    ({"header_row": 0}, "header_row"),
    ({"colums": {}}, "unknown key(s) colums"),
])
def test_a_wrong_mapping_file_names_the_key(data, message):
    with pytest.raises(MappingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_mapping(data, "m.yaml")


def test_a_wrong_mapping_file_is_named_in_the_language_asked_for(tmp_path):
    bad = tmp_path / "m.yaml"
    bad.write_text("codes: {outcome: {passed: [同意]}}\n", encoding="utf-8")
    args = ["import", "workbook", str(FOREIGN_BOOK), "--mapping", str(bad), "--out", str(tmp_path / "out")]
    zh, en = CliRunner().invoke(main, args), CliRunner().invoke(main, [*args, "--lang", "en"])
    assert zh.exit_code == en.exit_code == 2 and not (tmp_path / "out").exists()
    assert zh.stderr.startswith(f"映射文件有误：{bad}：`codes.outcome.passed`：不是代码表 `outcome` 的取值")
    assert not english_words(zh.stderr.split("：", 1)[1]), zh.stderr
    assert en.stderr.startswith(f"error: {bad}: codes.outcome.passed: not a value of outcome (")


def test_levels_below_section_deputy_are_read_from_the_workbook(tmp_path):
    """A 现职级 of 一级科员 (or 科员级, 办事员) is the case's level below 副科 (issue 12: the section-level rules)."""
    rows = _rows()
    a = rows["候选人"][0]
    a[9], a[10] = "一级科员", "2019-03-01"
    result = import_workbook(_book(tmp_path, rows))
    assert result.problems == []
    assert result.cases["2021-qx-czj-001"]["candidates"][0]["current_level"] == "staff"
    a[9] = "办事员级"
    result = import_workbook(_book(tmp_path, rows, "wb2.xlsx"))
    assert result.cases["2021-qx-czj-001"]["candidates"][0]["current_level"] == "clerk"


@pytest.mark.parametrize("text, key", [("sheets: [案件信息]\n", "sheets"), ("columns: 案件号\n", "columns"), ("codes: 3\n", "codes")])
def test_a_mapping_section_that_is_no_mapping_is_named(tmp_path, text, key):
    """Found by fuzzing mapping files: a list, text or number for `sheets`, `columns` or `codes`
    stopped `import workbook --mapping` with exit status 4, an internal error."""
    bad = tmp_path / "m.yaml"
    bad.write_text(text, encoding="utf-8")
    args = ["import", "workbook", str(FOREIGN_BOOK), "--mapping", str(bad), "--out", str(tmp_path / "out")]
    zh, en = CliRunner().invoke(main, args), CliRunner().invoke(main, [*args, "--lang", "en"])
    assert zh.exit_code == en.exit_code == 2 and not (tmp_path / "out").exists()
    assert zh.stderr.startswith(f"映射文件有误：{bad}：`{key}`：应为") and "（键值对）" in zh.stderr
    assert en.stderr.startswith(f"error: {bad}: {key}: a mapping of ")


def _renamed(rows: dict, old: str, new: str) -> None:
    for sheet in rows.values():
        for row in sheet:
            if row and row[0] == old:
                row[0] = new


def test_a_long_case_id_is_written_under_a_shortened_name(tmp_path):
    """Found by fuzzing workbooks: an id of 120 Chinese characters (the model allows 128) made a file
    name too long for the file system, and the import stopped with exit status 4, an internal error."""
    rows = _rows()
    _renamed(rows, "2021-qx-czj-001", "县" * 120)
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["import", "workbook", str(_book(tmp_path, rows)), "--out", str(out)])
    assert run.exit_code == 0, run.output
    (long,) = [p for p in out.iterdir() if p.name.startswith("县")]
    assert safe_load(long.read_text(encoding="utf-8"))["id"] == "县" * 120 and len(long.name.encode()) <= 205


def test_an_output_directory_that_cannot_be_made_is_exit_5_naming_it(tmp_path):
    (tmp_path / "file").write_text("", encoding="utf-8")
    run = CliRunner().invoke(main, ["import", "workbook", str(TEMPLATE_BOOK), "--out", str(tmp_path / "file" / "out"),
                                    "--lang", "en"])
    assert run.exit_code == 5, run.output
    assert f"cannot write {tmp_path / 'file' / 'out'}: Not a directory" in run.stderr and "internal error" not in run.stderr
    zh = CliRunner().invoke(main, ["import", "workbook", str(TEMPLATE_BOOK), "--out", str(tmp_path / "file" / "out")])
    assert zh.exit_code == 5 and zh.stderr.strip() == f"错误：无法写出 {tmp_path / 'file' / 'out'}：不是目录", zh.stderr


@pytest.mark.parametrize("command", ["workbook", "register"])
def test_a_template_that_cannot_be_written_is_exit_5_naming_the_file(tmp_path, command):
    """Found by fuzzing the commands' paths: a --out under a file was an internal error (exit 4)."""
    (tmp_path / "file").write_text("", encoding="utf-8")
    target = tmp_path / "file" / "t.xlsx"
    run = CliRunner().invoke(main, ["template", command, "--out", str(target), "--lang", "en"])
    assert run.exit_code == 5, run.output
    assert run.stderr.startswith(f"error: cannot write {target}: ") and "internal error" not in run.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["file"]
    # a folder that is not there is said, not made, as for `audit -o` and `synth --out`
    missing = tmp_path / "no-such-folder" / "t.xlsx"
    run = CliRunner().invoke(main, ["template", command, "--out", str(missing)])  # said in Chinese by default
    assert run.exit_code == 5 and run.stderr == f"错误：无法写出 {missing}：没有这个文件或目录\n", run.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


@pytest.mark.parametrize("command", ["workbook", "register"])
def test_a_missing_or_foreign_file_is_named_once(tmp_path, command):
    """The message of these two problems names the file itself: printed after the file and the place
    '（工作簿）' it read `错误：x.xlsx：（工作簿）：x.xlsx：没有这个文件`."""
    absent, fake = tmp_path / "absent.xlsx", tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    out = ["--out", str(tmp_path / ("out" if command == "workbook" else "r.yaml"))]
    zh = CliRunner().invoke(main, ["import", command, str(absent), *out])
    assert zh.exit_code == 2 and zh.stderr.splitlines()[0] == f"错误：{absent}：没有这个文件"
    en = CliRunner().invoke(main, ["import", command, str(fake), *out, "--lang", "en"])
    assert en.exit_code == 2
    assert not (tmp_path / "out").exists()  # nothing imported: no --out folder made for nothing
    assert en.stderr.splitlines()[0] == f"error: {fake}: not an .xlsx workbook (BadZipFile)"


@pytest.mark.parametrize("typed", [-1, "-1"])
def test_a_negative_count_is_the_model_s_to_refuse_however_the_cell_stores_it(tmp_path, typed):
    """A count typed as text is read like one Excel stored as a number: "-1" is a whole number, and
    the model refuses it for the field it is in (not "not a whole number", which it is)."""
    rows = _rows()
    quota = [c.header for c in SHEETS["案例"].columns].index("职数")
    rows["案例"][0][quota] = typed
    result = import_workbook(_book(tmp_path, rows))
    messages = [str(p) for p in result.problems]
    assert len(messages) == 1 and "column 职数" in messages[0], messages
    assert "post.quota: Input should be greater than or equal to 0 (got -1)" in messages[0], messages
    assert result.failed == [rows["案例"][0][0]]


def test_the_words_for_no_are_read_in_a_case_workbook(tmp_path):
    """The same yes/no words as a register workbook's (importers/workbook.py `yes_no`; the register's
    side: tests/importers/test_register_workbook.py)."""
    rows = _rows()
    needs_filing = [c.header for c in SHEETS["案例"].columns].index("需报备")
    rows["案例"][0][needs_filing] = "无"
    result = import_workbook(_book(tmp_path, rows))
    assert result.problems == [] and result.cases[rows["案例"][0][0]]["post"]["filing_required"] is False
