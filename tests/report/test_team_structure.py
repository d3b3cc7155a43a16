"""The structure of a leadership team (班子梯次结构) in the annual report: age tiers, gender, education
and 专业, against a team profile's targets, read back from the Markdown and the .docx.

The team (the baseline's standing committee, 11 members) is given, at 2021-12-31:
  m01 53 女 master 经济管理 · m02 44 男 bachelor 法学 · m03 39 (id number: born 1982-03-05, female)
  bachelor 法学 · m04 61 男 college — · m05 48 (gender 'x': not read) doctor 工学 · m06–m11: nothing.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from cadre_rules.errors import RecordFileError
from cadre_rules.facts.team import check_targets, gender_from_id_number, team_structure
from cadre_rules.model.team import TeamProfile
from cadre_rules.reading.cases import read_cases, validate_case
from cadre_rules.reading.records import read_record
from cadre_rules.report.annual import build_annual_report, render_docx, render_markdown

ROOT = Path(__file__).resolve().parents[2]
REF = date(2021, 12, 31)
ID_M03 = "11010119820305002X"  # sequence digit 2: female


@pytest.fixture
def team_case(baseline):
    baseline["meta"] = {
        "member_birth_dates": {"m01": "1968-05-01", "m02": "1977-06-30", "m04": "1960-01-01", "m05": "1973-02-02"},
        "member_profiles": {"m01": {"gender": "女", "education": "master", "specialty": "经济管理"},
                            "m02": {"gender": "male", "education": "大学本科", "specialty": "法学"},
                            "m03": {"education": "bachelor", "specialty": "法学"},
                            "m04": {"gender": "男", "education": "college"},
                            "m05": {"gender": "x", "education": "doctor", "specialty": "工学"}}}
    baseline["body"]["members"][2]["id_number"] = ID_M03
    return baseline


def profile(**target) -> TeamProfile:
    return TeamProfile(id="p", title="测试目标", targets=[{"source": "测试规划", **target}])


def test_gender_from_the_identity_number():
    assert gender_from_id_number(ID_M03).value == "female"
    assert gender_from_id_number("110101196001011234").value == "male"
    assert gender_from_id_number("11010119601301123X") is None  # no such day: not an identity number


def test_structure_of_the_team(team_case):
    t = team_structure(validate_case(team_case), REF)
    assert t.tiers == {"40岁及以下": 1, "41—45岁": 1, "46—50岁": 1, "51—55岁": 1, "56岁及以上": 1, "年龄不详": 6}
    assert t.average == 49.0 and t.sources == {"meta": 4, "id_number": 1}
    assert t.gender == {"male": 2, "female": 2, "unknown": 7}
    assert t.education == {"junior": 0, "secondary": 0, "college": 1, "bachelor": 2, "master": 1, "doctor": 1, "unknown": 6}
    assert t.specialties == {"工学": 1, "法学": 2, "经济管理": 1, "unknown": 7}
    assert t.notes == ["m05: gender not read (男/女/male/female)"]


@pytest.mark.parametrize("target, status", [
    ({"min_women": 2}, "met"),
    ({"min_women": 3}, "unknown"),  # 7 members' gender unknown
    ({"young": [{"age": 45, "count": 2}]}, "met"),
    ({"young": [{"age": 40, "count": 8}]}, "not_met"),  # 1 known + 6 unknown cannot reach 8
    ({"max_average_age": 50}, "unknown"),  # 6 ages unknown
    ({"education": {"level": "bachelor", "share": 0.3}}, "met"),  # 4 of 11
    ({"education": {"level": "master", "share": 0.9}}, "not_met"),  # 2 + 6 unknown < 10
    ({"min_specialties": 3}, "met"),
    ({"min_specialties": 11}, "not_met"),
    ({"body_kind": "party_group", "min_women": 5}, None),  # applies to another kind of body
])
def test_targets(team_case, target, status):
    team = team_structure(validate_case(team_case), REF)
    checks = check_targets(team, profile(**target))
    assert [c.status for c in checks] == ([status] if status else [])


def test_average_age_target_is_judged_when_every_age_is_known(team_case):
    case = validate_case(team_case)
    four = case.body.model_copy(update={"members": case.body.members[:4]})
    small = case.model_copy(update={"body": four})  # m01–m04: 53, 44, 39, 61 — every age known
    team = team_structure(small, REF)
    assert team.average == 49.2 and team.tiers["年龄不详"] == 0
    assert [c.status for c in check_targets(team, profile(max_average_age=49.25))] == ["met"]
    assert [c.status for c in check_targets(team, profile(max_average_age=49))] == ["not_met"]


def test_custom_tiers(team_case):
    t = team_structure(validate_case(team_case), REF, (45, 55))
    assert t.tiers == {"45岁及以下": 2, "46—55岁": 2, "56岁及以上": 1, "年龄不详": 6}


@pytest.mark.parametrize("text, expect", [
    ("id: p\ntitle: t\ntargets:\n  - min_women: 1\n", ":4: targets[0].source: required field missing"),
    ("id: p\ntitle: t\ntargets:\n  - source: s\n", ":4: targets[0]: a target sets at least one of"),
    ("id: p\ntitle: t\nage_tiers: [50, 40]\n", ":3: age_tiers: age_tiers are ascending"),
    ("id: p\ntitle: t\ntargets:\n  - source: s\n    education: {level: phd, share: 0.5}\n",
     ":5: targets[0].education.level: Input should be"),
])
def test_bad_profile_names_file_line_and_field(tmp_path, text, expect):
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecordFileError) as err:
        read_record(path, TeamProfile)
    assert any(p.startswith(str(path)) and expect in p for p in err.value.problems), err.value.problems


def test_example_profile_reads():
    p = read_record(ROOT / "examples" / "reviews" / "team-profile.yaml", TeamProfile)
    assert p.targets[0].body_kind.value == "standing_committee" and p.targets[0].young[0].count == 2


def _annual(tmp_path, team_case, rulebook):
    (tmp_path / "a.json").write_text(json.dumps(team_case, ensure_ascii=False, default=str), encoding="utf-8")
    prof = profile(min_women=3, young=[{"age": 45, "count": 2}], min_specialties=11)
    return build_annual_report(read_cases([tmp_path / "a.json"]), 2021, team_case["organisation"], rulebook,
                               as_of=date(2024, 1, 1), team_profile=prof)


def test_annual_markdown_shows_structure_and_targets(tmp_path, team_case, rulebook):
    text = render_markdown(_annual(tmp_path, team_case, rulebook))
    section = text.split("## 三、领导班子结构")[1].split("## 四、")[0]
    assert "| 中共清溪县委常委会 | 11 | 1 | 1 | 1 | 1 | 1 | 6 | 49.0 | 2021-qx-czj-001 |" in section
    assert "| 中共清溪县委常委会 | 2 | 2 | 7 | 2 | 2 | 1 | 6 | 工学 1、法学 2、经济管理 1（不详 7） |" in section
    assert "| 中共清溪县委常委会 | 女干部 | ≥3名 | 2名（不详7） | 无法判断（数据不全） | 测试规划 |" in section
    assert "| 中共清溪县委常委会 | 45岁及以下 | ≥2名 | 2名（不详6） | 达到 | 测试规划 |" in section
    assert "| 中共清溪县委常委会 | 专业门类 | ≥11类 | 3类（不详7） | 未达到 | 测试规划 |" in section
    assert "m05: gender not read" in section and "x" not in section.split("未能读取的成员信息")[1].split("\n")[0]


def test_annual_docx_shows_structure_and_targets(tmp_path, team_case, rulebook):
    from docx import Document

    out = tmp_path / "annual.docx"
    render_docx(_annual(tmp_path, team_case, rulebook), out)
    doc = Document(str(out))
    by_head = {t.rows[0].cells[1].text: t for t in doc.tables}
    ages = [c.text for c in by_head["成员数"].rows[1].cells]
    assert ages == ["中共清溪县委常委会", "11", "1", "1", "1", "1", "1", "6", "49.0", "2021-qx-czj-001"]
    composition = [c.text for c in by_head["男"].rows[1].cells]
    assert composition[1:4] == ["2", "2", "7"]
    targets = [[c.text for c in row.cells] for row in by_head["指标"].rows[1:]]
    assert ["中共清溪县委常委会", "专业门类", "≥11类", "3类（不详7）", "未达到", "测试规划"] in targets
    assert "（三）对照班子结构目标（测试目标）" in [p.text for p in doc.paragraphs]
