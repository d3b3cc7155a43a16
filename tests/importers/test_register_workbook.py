"""The organisation register as a workbook (importers/register.py): the bundled example reads back as
the YAML register, every problem is named by sheet, row and column, and `audit --register` takes it."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cadre_rules.cli import main
from cadre_rules.errors import RegisterError
from cadre_rules.importers.register import (REGISTER_LAYOUT, import_register_workbook, register_rows,
                                            write_register_workbook)
from cadre_rules.reading.register import load_register
from cadre_rules.reading.yamlmarks import safe_load

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "register"
sys.path.insert(0, str(EXAMPLE))
from make_workbook import make_workbook  # noqa: E402 - the script that wrote the example workbook


@pytest.fixture(scope="module")
def typed():
    return load_register(EXAMPLE / "register.yaml")


def _book(tmp_path: Path, edit) -> Path:
    """The example register as a workbook, with `edit(rows)` applied to its rows first."""
    rows = register_rows(load_register(EXAMPLE / "register.yaml").model_dump(mode="json"))
    edit(rows)
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in REGISTER_LAYOUT:
        ws = wb.create_sheet(sheet.name)
        ws.append([c.header for c in sheet.columns])
        for row in rows[sheet.name]:
            ws.append(row)
    target = tmp_path / "reg.xlsx"
    wb.save(target)
    return target


def test_the_example_workbook_reads_back_as_the_yaml_register(typed):
    result = import_register_workbook(EXAMPLE / "register.xlsx")
    assert result.problems == [] and result.ignored_columns == []
    assert result.register == typed
    assert load_register(EXAMPLE / "register.xlsx") == typed


def test_the_example_workbook_is_what_its_script_writes(tmp_path):
    fresh = make_workbook(EXAMPLE, tmp_path / "fresh.xlsx")
    committed = load_workbook(EXAMPLE / "register.xlsx", read_only=True)
    written = load_workbook(fresh, read_only=True)
    assert committed.sheetnames == written.sheetnames
    for name in committed.sheetnames:
        assert list(committed[name].iter_rows(values_only=True)) == list(written[name].iter_rows(values_only=True)), name


def test_the_import_command_writes_a_register_equal_to_the_yaml_one(tmp_path, typed):
    for suffix in (".yaml", ".json"):
        out = tmp_path / f"reg{suffix}"
        result = CliRunner().invoke(main, ["import", "register", str(EXAMPLE / "register.xlsx"), "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert load_register(out) == typed
    assert "imported from the register workbook register.xlsx" in (tmp_path / "reg.yaml").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "reg.json").read_text(encoding="utf-8"))["as_of"] == "2025-03-31"
    # a register file already there (perhaps edited by hand) is kept unless --overwrite
    edited = tmp_path / "reg.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# 手工修订\n", encoding="utf-8")
    kept = CliRunner().invoke(main, ["import", "register", str(EXAMPLE / "register.xlsx"), "--out", str(edited)])
    assert kept.exit_code == 2 and f"未写出：{edited} 已存在" in kept.output
    assert edited.read_text(encoding="utf-8").endswith("# 手工修订\n")
    replaced = CliRunner().invoke(main, ["import", "register", str(EXAMPLE / "register.xlsx"), "--out", str(edited),
                                         "--overwrite"])
    assert replaced.exit_code == 0 and load_register(edited) == typed
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    under = CliRunner().invoke(main, ["import", "register", str(EXAMPLE / "register.xlsx"), "--out", str(blocked / "r.yaml")])
    assert under.exit_code == 5 and f"错误：无法写出 {blocked / 'r.yaml'}：" in under.output  # was an internal error
    under = CliRunner().invoke(main, ["import", "register", str(EXAMPLE / "register.xlsx"), "--out", str(blocked / "r.yaml"),
                                      "--lang", "en"])
    assert under.exit_code == 5 and f"error: cannot write {blocked / 'r.yaml'}: " in under.output
    # a folder that is not there is said, not made, as for `audit -o` (a mistyped folder)
    missing = tmp_path / "no-such-folder" / "r.yaml"
    absent = CliRunner().invoke(main, ["import", "register", str(EXAMPLE / "register.xlsx"), "--out", str(missing)])
    assert absent.exit_code == 5 and f"错误：无法写出 {missing}：没有这个文件或目录" in absent.output
    assert not missing.parent.exists()


def test_audit_takes_the_workbook_as_its_register(tmp_path):
    args = ["audit", str(EXAMPLE / "cases"), "--format", "json", "--register"]
    from_yaml = CliRunner().invoke(main, [*args, str(EXAMPLE / "register.yaml")])
    from_book = CliRunner().invoke(main, [*args, str(EXAMPLE / "register.xlsx")])
    assert from_yaml.exit_code == from_book.exit_code == 1

    def register_findings(output: str) -> list:
        report = json.loads(output[output.index("{"):])
        return [(r["case_id"], [(f["rule_id"], f["message"]["zh"]) for f in r["findings"]])
                for r in report["cases"] if r["case_id"].startswith("register:")]

    found = register_findings(from_book.stdout)
    assert found == register_findings(from_yaml.stdout)
    assert any(rule == "XC-OVER-QUOTA" for _, fs in found for rule, _ in fs)


def test_excel_dates_and_written_dates_are_read_and_a_month_alone_is_refused(tmp_path):
    from datetime import datetime

    def edit(rows):
        rows["台账"][0][0] = datetime(2025, 3, 31)  # an Excel date cell
        rows["职数"][1][2] = "2019年1月1日"
        rows["在职人员"][0][3] = "2018.07"  # only the month: the roster's facts are day-exact
        rows["主要领导"][0][5] = "2021/06"
    result = import_register_workbook(_book(tmp_path, edit))
    assert [str(p) for p in result.problems] == [
        "在职人员 row 2 column 任职日期 (D): '2018.07' gives only a month; this date needs the day",
        "主要领导 row 2 column 明确离任日期 (F): '2021/06' gives only a month; this date needs the day",
    ]
    assert result.data is None and result.register is None


def test_bad_values_and_references_name_sheet_row_and_column(tmp_path):
    def edit(rows):
        rows["人员"][0][4] = "男职工"  # no such retirement category
        rows["职数"][0][3] = "三"  # not a number
        rows["职位"][0][0] = "中共清河县委"  # no such unit
        rows["职数"].append(["中共柳河县委", "lh-no-post", "2023-01-01", 1, None])
        rows["主要领导"][0][2] = None  # required
        rows["职数"][1][2] = "someday"  # not a date
        rows["职位"][1][4] = "maybe"  # not yes/no
    result = import_register_workbook(_book(tmp_path, edit))
    assert [str(p) for p in result.problems] == [
        "人员 row 2 column 退休类别 (E): unknown code '男职工' for retirement "
        "(known: 男（原60周岁）、女（原55周岁）、女（原50周岁）)",
        "职位 row 2 column 单位编号 (A): unknown unit \"中共清河县委\" (not in the 单位 sheet)",
        "职位 row 3 column 正职 (E): not yes/no (是/否): 'maybe'",
        "职数 row 2 column 核定职数 (D): not a whole number: '三'",
        "职数 row 3 column 起始日期 (C): not a date: 'someday' (write YYYY-MM-DD)",
        "职数 row 10 column 职位编号 (B): unknown post \"lh-no-post\" of unit \"中共柳河县委\" (not in the 职位 sheet)",
        "主要领导 row 2 column 职务 (C): required value missing",
    ]


def test_yes_no_words_and_signed_counts_are_read_as_in_a_case_workbook(tmp_path):
    """One reading of yes/no and whole-number cells for both workbooks (importers/workbook.py): 有/无 were
    refused here, and a count typed as "-1" reaches the model's own message as a stored -1 does."""
    def edit(rows):
        rows["职位"][0][4], rows["职位"][1][4] = "无", "有"  # 正职
        rows["职数"][2][3] = "-1"
    result = import_register_workbook(_book(tmp_path, edit))
    assert [str(p) for p in result.problems] == [
        "职数 row 4 column 核定职数 (D): units[0].posts[2].quota[0].number: Input should be greater than or equal "
        "to 0 (got -1)",
    ]

    def yes_no_only(rows):
        rows["职位"][0][4], rows["职位"][1][4] = "无", "有"
    posts = import_register_workbook(_book(tmp_path, yes_no_only)).register.units[0].posts
    assert (posts[0].chief, posts[1].chief) == (False, True)


def test_the_register_model_s_problems_are_traced_to_their_cells(tmp_path):
    def edit(rows):
        rows["在职人员"][0][2] = "qx-no-such-post"
        rows["职数"][2][3] = -1
        rows["主要领导"][0][4] = "2015-01-01"  # ends before it starts
    result = import_register_workbook(_book(tmp_path, edit))
    assert [str(p) for p in result.problems] == [
        "职数 row 4 column 核定职数 (D): units[0].posts[2].quota[0].number: Input should be greater than or equal "
        "to 0 (got -1)",
    ]  # pydantic's field errors come first; the references are checked once the fields are valid

    def edit2(rows):
        rows["在职人员"][0][2] = "qx-no-such-post"
        rows["主要领导"][0][4] = "2015-01-01"
    result = import_register_workbook(_book(tmp_path, edit2))
    assert [str(p) for p in result.problems] == [
        '在职人员 row 2 column 职位编号 (C): units[0].holders[0].post: unknown post "qx-no-such-post"',
        "主要领导 row 2 column 离任日期 (E): units[0].leaders[0].end: 2015-01-01 is before the start 2016-05-10",
    ]


def test_missing_sheets_columns_and_duplicate_rows_are_named(tmp_path):
    def edit(rows):
        rows["台账"].append(["2025-04-30", 1])
        rows["单位"].append(list(rows["单位"][0]))
    result = import_register_workbook(_book(tmp_path, edit))
    assert [str(p) for p in result.problems] == [
        "台账 row 3: the register sheet has one row; this is a second",
        '单位 row 5 column 单位编号 (A): unit "中共清溪县委" already defined in row 2',
    ]
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "单位"
    wb.active.append(["单位编号"])
    target = tmp_path / "thin.xlsx"
    wb.save(target)
    assert [str(p) for p in import_register_workbook(target).problems] == [
        "台账: sheet missing: a register workbook needs it",
        "单位 row 1 column 单位名称: required column missing",
    ]


def test_the_command_prints_every_problem_writes_nothing_and_exits_2(tmp_path):
    book = _book(tmp_path, lambda rows: rows["职数"][0].__setitem__(3, "三"))
    out = tmp_path / "reg.yaml"
    result = CliRunner().invoke(main, ["import", "register", str(book), "--out", str(out), "--lang", "en"])
    assert result.exit_code == 2 and not out.exists()
    assert f"error: {book}: 职数 row 2 column 核定职数 (D): not a whole number: '三'" in result.output
    zh = CliRunner().invoke(main, ["import", "register", str(book), "--out", str(out)])  # Chinese by default
    assert zh.exit_code == 2 and not out.exists()
    assert f"错误：{book}：「职数」表第 2 行「核定职数」列（`D`）：应为整数（实际为 '三'）" in zh.output
    assert f"{book}：未写出台账（1 个问题）" in zh.output
    assert "Traceback" not in result.output
    with pytest.raises(RegisterError) as err:
        load_register(book)
    assert "职数 row 2 column 核定职数 (D)" in str(err.value) and str(book) in str(err.value)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    bad = CliRunner().invoke(main, ["import", "register", str(fake), "--out", str(out), "--lang", "en"])
    assert bad.exit_code == 2 and "not an .xlsx workbook" in bad.output


def test_the_template_command_writes_every_sheet_and_its_guide(tmp_path):
    target = tmp_path / "t.xlsx"
    result = CliRunner().invoke(main, ["template", "register", "--out", str(target)])
    assert result.exit_code == 0 and result.output == f"已写出 {target}\n", result.output
    again = CliRunner().invoke(main, ["template", "register", "--out", str(target), "--lang", "en"])  # maybe filled in
    assert again.exit_code == 2 and "exists; not overwriting it" in again.output
    wb = load_workbook(target, read_only=True)
    assert wb.sheetnames == [s.name for s in REGISTER_LAYOUT] + ["说明", "代码"]
    guide = list(wb["说明"].iter_rows(values_only=True))
    assert ("主要领导", "明确离任日期", "日期 YYYY-MM-DD", None, "departure_decided",
            "the departure was settled: the window opens") in guide
    codes = list(wb["代码"].iter_rows(values_only=True))
    assert ("leader_role", "party_secretary", "党委书记、书记") in codes
    empty = import_register_workbook(target)  # headers only: no register row
    assert [str(p) for p in empty.problems] == [
        "台账 row 2 column 截至日期: no register row: write the date the roster is complete to"]


def test_a_written_register_round_trips_with_every_field(tmp_path, typed):
    data = typed.model_dump(mode="json")
    data["units"][0]["restructurings"] = [{"id": "r1", "decided": "2022-03-01", "completed": "2022-09-30",
                                           "note": "机构改革"}]
    data["units"][1]["parent"] = data["units"][0]["id"]
    book = write_register_workbook(tmp_path / "r.xlsx", data, guide=False)
    back = import_register_workbook(book)
    assert back.problems == []
    assert back.register.model_dump(mode="json") == data
    assert safe_load(json.dumps(back.data))["units"][0]["restructurings"][0]["note"] == "机构改革"


def test_a_birth_date_may_be_the_month_alone(tmp_path):
    def edit(rows):
        rows["人员"][7][3] = "1965.03"  # p-jz-4: as a 任免审批表 writes it
        rows["人员"][8][3] = "1969年10月"
    result = import_register_workbook(_book(tmp_path, edit))
    assert result.problems == []
    people = {p.id: p for p in result.register.people}
    assert str(people["p-jz-4"].birth_date) == "1965-03" and str(people["p-jz-5"].birth_date) == "1969-10"
    back = import_register_workbook(write_register_workbook(tmp_path / "again.xlsx", result.data, guide=False))
    assert back.register == result.register
