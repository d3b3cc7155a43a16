"""Importing 干部任免审批表 files (.lrmx, .lrm): values, 简历, round trip, unsafe XML, the command."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import cadre_rules as cr
from cadre_rules.cli import main
from cadre_rules.importers import FormError, export_lrmx, import_form, parse_lrm, parse_lrmx
from cadre_rules.importers.candidate import candidate_from_form
from cadre_rules.importers.resume import read_resume
from cadre_rules.model import Candidate, YearMonth
from cadre_rules.reading.yamlmarks import safe_load

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "import"
FORMS = sorted(EXAMPLES.glob("*.lrmx")) + sorted(EXAMPLES.glob("*.lrm"))


def test_there_are_three_lrmx_and_one_lrm_example():
    assert len([p for p in FORMS if p.suffix == ".lrmx"]) >= 3
    assert len([p for p in FORMS if p.suffix == ".lrm"]) >= 1


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_every_example_imports_to_a_valid_candidate(path):
    result = import_form(path)
    cand = Candidate.model_validate(result.candidate)
    form = cand.records.appointment_form
    assert form.source == "任免审批表" and form.file == path.name
    assert cand.name and form.values["XingMing"] == cand.name
    assert isinstance(cand.birth_date, YearMonth)  # the forms give months only, kept as months
    # the skeleton says what is still missing, as the case model reports it
    assert {"organisation", "move", "body"} <= set(result.to_complete)
    assert result.skeleton["meta"]["import"]["to_complete"] == result.to_complete


def test_values_of_a_form_as_the_model_holds_them():
    cand = Candidate.model_validate(import_form(EXAMPLES / "马俊杰.lrmx").candidate)
    assert (str(cand.birth_date), str(cand.work_start_date), str(cand.party_join_date)) == (
        "1980-05", "2002-07", "2001-06")
    assert cand.current_post == "清溪县财政局副局长" and cand.party_member
    assert [(a.year, a.grade.value) for a in cand.appraisals] == [
        (2018, "excellent"), (2019, "competent"), (2020, "competent")]
    assert cand.education[0].degree == "大学本科" and cand.education[0].full_time
    assert cand.work_history == []  # the 简历 is not judged into posts
    form = cand.records.appointment_form
    assert [(m.title, m.kinship.value, m.name) for m in form.family] == [
        ("妻子", "spouse", "林秀英"), ("女儿", "child", "马思琪"), ("父亲", "parent", "马德胜")]
    assert [(p.start, p.end) for p in form.resume] == [
        ("1998-09", "2002-07"), ("2002-07", "2009-12"), ("2010-01", "2016-03"), ("2016-03", None)]


def test_2025_reform_fields_and_a_sanction_dated_by_month():
    result = import_form(EXAMPLES / "郑国栋.lrmx")
    values = result.candidate["records"]["appointment_form"]["values"]
    assert values["DaoLingNianYue"] == "202903" and values["GaiGeQianRenZhiNianLingJieXian"] == "202809"
    assert "ZhaoPian" not in values  # the photo is not imported
    assert result.candidate["sanctions"] == [{"system": "party", "type": "warning", "decision_date": "2016-03-01"}]
    assert [a["year"] for a in result.candidate["appraisals"]] == [2022, 2023, 2024]


def test_resume_styles_open_end_parallel_study_and_wrapped_lines():
    reading = read_resume(
        "1995.09-1998.07 江州师范专科学校中文专业学习\n"
        "199807-200305 白沙镇党政办公室干事\n"
        "2011.08--2017.01  白沙镇党委副书记、镇长\n"
        "                （2016.12当选镇人民代表大会代表）\n"
        "2017.01-至今 白沙镇党委书记\n"
        "（其间：2013.09-2016.06在江南大学\n"
        "公共管理专业在职研究生学习）\n"
        "2012年在国家行政学院进修\n")
    starts = [(p.start.iso, p.end.iso if p.end else None) for p in reading.periods]
    assert starts == [("1995-09", "1998-07"), ("1998-07", "2003-05"), ("2011-08", "2017-01"), ("2017-01", None)]
    assert reading.periods[2].text.endswith("（2016.12当选镇人民代表大会代表）")
    assert reading.periods[3].during == ["2013.09-2016.06在江南大学公共管理专业在职研究生学习"]
    assert reading.unread == ["2012年在国家行政学院进修"]


def test_an_unread_resume_line_is_reported_with_its_text():
    result = import_form(EXAMPLES / "郑国栋.lrmx")
    assert any(n.field == "JianLi" and "2012年在国家行政学院进修" in n.message for n in result.notes)
    form = result.candidate["records"]["appointment_form"]
    assert form["unread_resume_lines"] == ["2012年在国家行政学院进修"]
    assert form["resume"][2]["during"] == ["1999.09-2001.12在江南省委党校经济管理专业在职研究生学习"]


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_round_trip_import_export_import_gives_the_same_records(path):
    first = import_form(path).candidate
    again = candidate_from_form(parse_lrmx(export_lrmx(first)), first["id"], path.name).candidate
    strip = lambda c: {**c, "records": {"appointment_form": {k: v for k, v in c["records"]["appointment_form"].items()
                                                               if k != "format"}}}
    assert strip(again) == strip(first)


def test_export_writes_an_edited_model_field_over_the_form_value():
    cand = copy.deepcopy(import_form(EXAMPLES / "马俊杰.lrmx").candidate)
    cand["current_post"] = "清溪县财政局局长"
    cand["birth_date"] = "1980-06"
    cand["work_start_date"] = "2002-07-15"
    form = parse_lrmx(export_lrmx(cand))
    assert form.values["XianRenZhiWu"] == "清溪县财政局局长" and form.values["ChuShengNianYue"] == "198006"
    assert form.values["CanJiaGongZuoShiJian"] == "20020715"


def test_lrm_is_decoded_as_gbk_and_split_into_its_fields():
    form = parse_lrm((EXAMPLES / "林海涛.lrm").read_bytes())
    assert form.values["XingMing"] == "林海涛" and form.values["QuanRiZhiJiaoYu_XueWei"] == "法学学士"
    assert form.values["JianLi"].count("\n") == 3 and "\r" not in form.values["JianLi"]
    assert [m["ChengWei"] for m in form.family] == ["妻子", "儿子", "父亲"]
    with pytest.raises(FormError, match="GB2312/GBK"):
        parse_lrm(b'"\xff\xff\xff"')
    with pytest.raises(FormError, match="33"):
        parse_lrm('"林海涛","男"'.encode("gbk"))


def test_external_entity_is_refused_without_reading_the_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER", encoding="utf-8")
    evil = tmp_path / "evil.lrmx"
    evil.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE Person [<!ENTITY x SYSTEM "file://{secret}">]>\n'
                    "<Person><XingMing>&x;</XingMing></Person>", encoding="utf-8")
    with pytest.raises(FormError, match="refused") as exc:
        import_form(evil)
    assert "TOP-SECRET-MARKER" not in str(exc.value)


def test_entity_expansion_is_refused_before_expanding():
    lol = ['<!ENTITY a0 "lollollollollollollollollollol">'] + [
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    bomb = ('<?xml version="1.0"?><!DOCTYPE Person [' + "".join(lol) + ']><Person><XingMing>&a9;</XingMing></Person>')
    with pytest.raises(FormError, match="refused"):
        parse_lrmx(bomb.encode())


def test_malformed_and_foreign_xml_name_the_problem(tmp_path):
    bad = tmp_path / "bad.lrmx"
    bad.write_text("<Person><XingMing>x</Person>", encoding="utf-8")
    with pytest.raises(FormError, match=r"bad\.lrmx: not well-formed"):
        import_form(bad)
    with pytest.raises(FormError, match="<Person>"):
        parse_lrmx(b"<Case/>")


@pytest.mark.parametrize("declared,codec", [("GB2312", "gbk"), ("GBK", "gbk"), ("gb18030", "gb18030"),
                                            ("UTF-8", "utf-8")])
def test_an_lrmx_in_a_declared_chinese_encoding_reads_as_in_utf8(declared, codec):
    """Editors other than the national one write GB2312/GBK XML; expat reads neither (this stopped the
    import with an internal error)."""
    text = (EXAMPLES / "马俊杰.lrmx").read_text(encoding="utf-8")
    form = parse_lrmx(text.replace('encoding="UTF-8"', f'encoding="{declared}"').encode(codec))
    assert form == parse_lrmx(text.encode("utf-8")) and form.values["XingMing"] == "马俊杰"


def test_an_encoding_the_declaration_gets_wrong_is_named(tmp_path):
    text = (EXAMPLES / "马俊杰.lrmx").read_text(encoding="utf-8")
    with pytest.raises(FormError, match="an encoding no reader knows: 'JTF-8'"):
        parse_lrmx(text.replace('encoding="UTF-8"', 'encoding="JTF-8"').encode("utf-8"))
    with pytest.raises(FormError, match="not GBK text: undecodable bytes at offset"):
        parse_lrmx(text.replace('encoding="UTF-8"', 'encoding="GBK"').encode("utf-8")[:-30] + b"\x81\x20")
    bad = tmp_path / "misdeclared.lrmx"
    bad.write_bytes(text.replace('encoding="UTF-8"', 'encoding="JTF-8"').encode("utf-8"))
    result = CliRunner().invoke(main, ["import", "lrmx", str(bad), *map(str, FORMS), "--out", str(tmp_path / "out"),
                                       "--lang", "en"])
    assert result.exit_code == 2 and "misdeclared.lrmx: the XML declares an encoding no reader knows" in result.output
    zh = CliRunner().invoke(main, ["import", "lrmx", str(bad), "--out", str(tmp_path / "out")])  # Chinese by default
    assert zh.exit_code == 2 and zh.output == f"错误：{bad}：XML 声明了无法识别的编码：'JTF-8'\n"
    assert len(list((tmp_path / "out").iterdir())) == len(FORMS)  # the batch went on


def test_command_writes_skeletons_and_reports_a_bad_file_without_stopping(tmp_path):
    bad = tmp_path / "broken.lrmx"
    bad.write_text("<Person>", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["import", "lrmx", str(bad), *map(str, FORMS), "--out", str(out), "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "broken.lrmx: not well-formed" in result.output
    zh = CliRunner().invoke(main, ["import", "lrmx", str(bad), str(FORMS[0]), "--out", str(tmp_path / "zh")])
    assert zh.exit_code == 2 and zh.output.startswith(f"错误：{bad}：XML 格式不正确：")
    assert f"{FORMS[0]}：已写出 {tmp_path / 'zh' / FORMS[0].stem}.yaml" in zh.output
    assert "Traceback" not in result.output
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(f"{p.stem}.yaml" for p in FORMS)
    # notes quote the form (personal data): in the file, not on the terminal unless asked
    assert "国家行政学院" not in result.output
    data = yaml.safe_load((out / "郑国栋.yaml").read_text(encoding="utf-8"))
    assert any("国家行政学院" in n for n in data["meta"]["import"]["notes"])


def test_importing_again_keeps_a_skeleton_completed_by_hand_and_names_a_clash(tmp_path):
    """Importing a folder of forms again (one form added) kept nothing: every skeleton completed by
    hand was replaced, and two forms of one name wrote one file. Now both are said, the file kept."""
    out = tmp_path / "out"
    form = EXAMPLES / "马俊杰.lrmx"
    assert CliRunner().invoke(main, ["import", "lrmx", str(form), "--out", str(out)]).exit_code == 0
    skeleton = out / "马俊杰.yaml"
    skeleton.write_text(skeleton.read_text(encoding="utf-8") + "# completed by hand\n", encoding="utf-8")
    again = CliRunner().invoke(main, ["import", "lrmx", *map(str, FORMS), "--out", str(out), "--lang", "en"])
    assert again.exit_code == 2
    assert f"error: {form}: not written: {skeleton} is already there (a file completed by hand is kept" in again.output
    zh = CliRunner().invoke(main, ["import", "lrmx", str(form), "--out", str(out)])
    assert zh.exit_code == 2 and zh.output == f"错误：{form}：未写出：{skeleton} 已存在（手工补全过的文件不覆盖；加 --overwrite 可覆盖）\n"
    assert skeleton.read_text(encoding="utf-8").endswith("# completed by hand\n")
    assert len(list(out.iterdir())) == len(FORMS)  # the others were written
    other = tmp_path / "elsewhere" / "马俊杰.lrmx"
    other.parent.mkdir()
    other.write_bytes(form.read_bytes())
    both = CliRunner().invoke(main, ["import", "lrmx", str(form), str(other), "--out", str(out), "--overwrite",
                                     "--lang", "en"])
    assert both.exit_code == 2 and "# completed by hand" not in skeleton.read_text(encoding="utf-8")
    assert f"error: {other}: not written: {skeleton} was written from another input of this import" in both.output


def test_a_completed_skeleton_is_audited(tmp_path):
    skeleton = import_form(EXAMPLES / "马俊杰.lrmx").skeleton
    base = safe_load((ROOT / "examples/cases/01-合规-县财政局局长提拔.yaml").read_text(encoding="utf-8"))
    case = {**base, "candidates": skeleton["candidates"], "meta": skeleton["meta"]}
    # the form's candidate is judged as the hand-typed one of the example is: no finding
    assert [f.rule_id for f in cr.audit(case)] == [f.rule_id for f in cr.audit(base)] == []
    # and a fact the form states is judged: a sanction in force bars the promotion
    sanctioned = copy.deepcopy(case)
    sanctioned["candidates"][0]["sanctions"] = import_form(EXAMPLES / "郑国栋.lrmx").candidate["sanctions"]
    sanctioned["candidates"][0]["sanctions"][0]["decision_date"] = "2021-01-01"
    assert any(f.verdict == "violated" for f in cr.audit(sanctioned))


def test_a_skeletons_case_id_carries_no_name():
    """The case id was the form's file name, which is the cadre's name (马俊杰.lrmx → `马俊杰`): every
    report, the spot-check keys (`<case id>/<candidate id>`) and the re-draw command then printed it,
    also where names are never printed. It is now `form-` and the first 12 hex digits of the
    SHA-256 of the file's bytes (`sha256sum` shows them): the same file gives the same id, and the id
    says nothing without the file."""
    import hashlib

    for path in FORMS:
        skeleton = import_form(path).skeleton
        assert skeleton["id"] == "form-" + hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        assert path.stem not in skeleton["id"] and skeleton["candidates"][0]["name"] not in skeleton["id"]
        assert import_form(path).skeleton["id"] == skeleton["id"]  # deterministic
    assert len({import_form(p).skeleton["id"] for p in FORMS}) == len(FORMS)
    # the former ids, for whoever relies on them
    assert import_form(EXAMPLES / "马俊杰.lrmx", case_ids="file-name").skeleton["id"] == "马俊杰"
    assert import_form(EXAMPLES / "马俊杰.lrmx", case_id="2021-x-001").skeleton["id"] == "2021-x-001"
    with pytest.raises(ValueError):
        import_form(EXAMPLES / "马俊杰.lrmx", case_ids="name")


def test_the_command_writes_case_ids_without_names_unless_asked(tmp_path):
    form = EXAMPLES / "马俊杰.lrmx"
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["import", "lrmx", str(form), "--out", str(out)]).exit_code == 0
    skeleton = out / "马俊杰.yaml"  # the file keeps the form's file name: a second import finds it
    assert safe_load(skeleton.read_text(encoding="utf-8"))["id"] == import_form(form).skeleton["id"]
    old = tmp_path / "old"
    result = CliRunner().invoke(main, ["import", "lrmx", str(form), "--out", str(old), "--case-ids", "file-name"])
    assert result.exit_code == 0 and safe_load((old / "马俊杰.yaml").read_text(encoding="utf-8"))["id"] == "马俊杰"


def test_a_spot_check_of_imported_cases_prints_no_name(tmp_path):
    """docs/reports.md: spot-check keys carry no personal data. With the former case ids the
    population, the targeted list and the re-draw command named the candidate of every imported form."""
    base = safe_load((ROOT / "examples/cases/01-合规-县财政局局长提拔.yaml").read_text(encoding="utf-8"))
    cases = tmp_path / "cases"
    cases.mkdir()
    names = []
    for n, path in enumerate(p for p in FORMS if p.suffix == ".lrmx"):
        skeleton = import_form(path).skeleton
        candidate = {k: v for k, v in skeleton["candidates"][0].items() if k != "id_number"}  # keyed by case
        names.append(candidate["name"])
        case = {**base, "id": skeleton["id"], "candidates": [candidate], "meta": skeleton["meta"]}
        (cases / f"{n}.yaml").write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    for fmt in ("text", "json"):
        result = CliRunner().invoke(main, ["spotcheck", str(cases), "--seed", "7", "--size", "2", "--format", fmt])
        assert result.exit_code == 0, result.output
        assert not [name for name in names if name in result.output], result.output
