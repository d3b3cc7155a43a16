"""Users add a year of holiday data (the State Council notice) before a package release has it."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cadre_rules.facts import calendar
from cadre_rules.facts.calendar import HolidayDataError, load_holiday_files, use_holiday_files

# Test data in the shape of a notice, not the real 2027 arrangement (which the project has not verified).
YEAR_2027 = """\
years:
  - year: 2027
    notice: 测试用通知（非真实文号），2026-12-01
    holidays:
      - 2027-01-01
      - {from: 2027-02-05, to: 2027-02-11}
    workdays:
      - 2027-02-13
"""


@pytest.fixture
def holiday_file(tmp_path) -> Path:
    path = tmp_path / "holidays-2027.yaml"
    path.write_text(YEAR_2027, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def bundled_only():
    use_holiday_files([])
    yield
    use_holiday_files([])


def test_a_year_is_added_and_counted(holiday_file):
    assert not calendar.covered(calendar.date(2027, 1, 4))
    with pytest.raises(calendar.OutsideCalendar):
        calendar.working_days_inclusive(calendar.date(2027, 1, 4), calendar.date(2027, 1, 8))
    use_holiday_files([holiday_file])
    assert calendar.working_days_inclusive(calendar.date(2027, 1, 4), calendar.date(2027, 1, 8)) == 5
    assert not calendar.is_working_day(calendar.date(2027, 2, 8))  # a holiday on a Monday
    assert calendar.is_working_day(calendar.date(2027, 2, 13))     # a make-up Saturday
    # a count across the year boundary uses both sources: 2026-12-31 (Thu) .. 2027-01-04 (Mon)
    assert calendar.working_days_inclusive(calendar.date(2026, 12, 31), calendar.date(2027, 1, 4)) == 2
    assert [s.years for s in calendar.sources()] == ["2004–2026", "2027"]
    assert "测试用通知" in calendar.sources()[1].source


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("2027-02-13", "2027-02-15"), "2027-02-15 is a weekday"),
    (lambda t: t.replace("      - 2027-02-13", "      - 2027-02-13\n      - 2027-02-06"),
     "2027-02-06 is both a holiday and a make-up working day"),
    (lambda t: t.replace("2027", "2026"), "2026 is in the bundled holiday data already"),
    (lambda t: t + t.split("years:\n")[1], "2027 is given twice"),
    (lambda t: t.replace("    notice: 测试用通知（非真实文号），2026-12-01\n", ""), "notice"),
    (lambda t: t.replace("2027-01-01", "2028-01-01"), "2028-01-01 is not in 2027"),
    (lambda t: t.replace("holidays:", "holiday:"), "holiday: unknown field"),
])
def test_invalid_files_are_refused_with_file_and_line(tmp_path, edit, message):
    path = tmp_path / "bad.yaml"
    path.write_text(edit(YEAR_2027), encoding="utf-8")
    with pytest.raises(HolidayDataError) as exc:
        load_holiday_files([path])
    assert message in str(exc.value)
    assert f"{path}:2:" in str(exc.value) or f"{path}:" in str(exc.value)
    assert str(exc.value).startswith(f"{path}:")


def publicity_case_in_2027(baseline: dict) -> dict:
    """The baseline with its publicity on 2027-01-04..01-08 and everything after moved into 2027."""
    data = copy.deepcopy(baseline)
    data["publicity"][0]["start"], data["publicity"][0]["end"] = "2027-01-04", "2027-01-08"
    return data


def test_a_2027_publicity_is_unknown_without_the_file_and_judged_with_it(baseline, holiday_file, tmp_path):
    data = publicity_case_in_2027(baseline)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")

    def audit(*extra: str) -> dict:
        proc = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", str(path), "--format", "json", *extra],
                              capture_output=True, text=True)
        assert proc.returncode in (0, 1), proc.stderr
        return json.loads(proc.stdout)

    without = audit()
    unknown = {f["rule_id"] for f in without["cases"][0]["findings"] if f["verdict"] == "unknown"}
    assert "APT-PUB-5WD" in unknown
    assert [c["years"] for c in without["calendar"]] == ["2004–2026"]
    judged = audit("--holidays", str(holiday_file))
    findings = {(f["rule_id"], f["verdict"]) for f in judged["cases"][0]["findings"]}
    assert ("APT-PUB-5WD", "unknown") not in findings and ("APT-PUB-5WD", "violated") not in findings
    assert [c["years"] for c in judged["calendar"]] == ["2004–2026", "2027"]


@pytest.mark.parametrize("lang, said", [
    ("zh", ["节假日数据有误:", "{bad}:2: years[0].workdays: 2027-02-15 是周一至周五中的一天；调休上班日应在周末"]),
    ("en", ["holiday data error:",
            "{bad}:2: years[0].workdays: 2027-02-15 is a weekday; make-up working days (调休上班) are weekend days"]),
])
def test_an_invalid_holiday_file_is_an_input_error_said_in_the_report_language(tmp_path, lang, said):
    """The staff who add a year's notice read Chinese: under the default --lang zh the file's problems
    are Chinese (they were English whatever --lang said)."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(YEAR_2027.replace("2027-02-13", "2027-02-15"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", "examples/cases", "--holidays", str(bad),
                           "--lang", lang], capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [line.format(bad=bad) for line in said]


def test_stepping_by_working_days_follows_added_years_and_never_crosses_a_gap(holiday_file, tmp_path):
    with pytest.raises(calendar.OutsideCalendar):
        calendar.add_working_days(calendar.date(2026, 12, 31), 1)
    use_holiday_files([holiday_file])
    assert calendar.add_working_days(calendar.date(2026, 12, 31), 1) == calendar.date(2027, 1, 4)  # 1 January off
    assert calendar.add_working_days(calendar.date(2027, 2, 12), 1) == calendar.date(2027, 2, 13)  # make-up Saturday
    # With 2029 added but not 2028, a step from 2027 into 2029 would count through an uncovered year.
    gap = tmp_path / "holidays-2029.yaml"
    gap.write_text(YEAR_2027.replace("2027", "2029").replace("2029-02-13", "2029-02-03"), encoding="utf-8")
    use_holiday_files([holiday_file, gap])
    with pytest.raises(calendar.OutsideCalendar):
        calendar.add_working_days(calendar.date(2027, 12, 30), 300)
    with pytest.raises(calendar.OutsideCalendar):
        calendar.working_day_range(calendar.date(2027, 12, 1), calendar.date(2029, 1, 31))


@pytest.mark.parametrize("edit, message", [
    ("  - year: 2027\n", "  - year: [2027]\n"),
    ("    notice:", "    1: x\n    foo: y\n    notice:"),
])
def test_odd_keys_and_years_found_by_fuzzing_are_the_files_errors(tmp_path, edit, message):
    """`year: [2027]` (unhashable) and a number beside words as keys once stopped `audit --holidays`
    with exit status 4, an internal error."""
    from click.testing import CliRunner

    from cadre_rules.cli import main

    bad = tmp_path / "bad.yaml"
    bad.write_text(YEAR_2027.replace(edit, message, 1), encoding="utf-8")
    run = CliRunner().invoke(main, ["audit", "examples/cases/01-合规-县财政局局长提拔.yaml", "--holidays", str(bad)])
    assert run.exit_code == 2, run.output
    assert f"{bad}:2: years[0]." in run.stderr and "内部错误" not in run.stderr


def test_a_bad_file_named_by_the_environment_is_the_callers_error_not_every_cases(tmp_path, monkeypatch):
    """CADRE_RULES_HOLIDAYS naming a file that is no holiday file made every case of an audit an
    internal error while judging (exit 0 with nothing judged); it is now the command's input error
    (exit 2, the file's problem said in --lang), and the library's Auditor raises it at once."""
    from cadre_rules import Auditor

    bad = tmp_path / "bad.yaml"
    bad.write_text("a: 1\n", encoding="utf-8")
    env = {**__import__("os").environ, "CADRE_RULES_HOLIDAYS": str(bad)}
    for lang, head in (("zh", "节假日数据有误:"), ("en", "holiday data error:")):
        proc = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", "examples/cases/01-合规-县财政局局长提拔.yaml",
                               "--lang", lang], capture_output=True, text=True, env=env,
                              cwd=Path(__file__).resolve().parents[2])
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert proc.stderr.splitlines()[0] == head and proc.stderr.splitlines()[1].startswith(f"{bad}: ")
        assert proc.stdout == ""
    monkeypatch.setenv("CADRE_RULES_HOLIDAYS", str(bad))
    with pytest.raises(HolidayDataError) as raised:
        Auditor()
    assert raised.value.describe("zh") == f"{bad}: 节假日文件应为映射，含非空列表 `years:`（见 docs/holidays.md）"
    with pytest.raises(HolidayDataError):  # and again: never read once, then silently skipped
        Auditor()
