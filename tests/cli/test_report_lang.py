"""`report annual` and `report departure` speak the command's language (--lang, default zh; also from
the configuration file and CADRE_RULES_REPORT_<COMMAND>_LANG): a bad record file, a Word template
that will not do, a bad register, the no-case warning and the rulebook heading are Chinese under zh
(no English word outside quoted ids, values and paths) and the English lines as before under en."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules.cli.main import main
from cadre_rules.errors import RecordFileError, TemplateError
from wording import english_words

ROOT = Path(__file__).resolve().parents[2]
REVIEWS = ROOT / "examples" / "reviews" / "2021-中共清溪县委-两评议.yaml"
REGISTER = ROOT / "examples" / "register" / "register.yaml"
CASES = ROOT / "examples" / "register" / "cases"
ORG = "中共清溪县委"


def _annual(*extra: str, lang: str | None = "zh", env: dict[str, str] | None = None) -> tuple[int, str]:
    args = ["report", "annual", str(CASES), "--year", "2021", "--org", ORG, *extra]
    result = CliRunner().invoke(main, args + (["--lang", lang] if lang else []), env=env)
    return result.exit_code, result.stderr if hasattr(result, "stderr") else result.output


def _departure(*extra: str, lang: str = "zh", register: Path = REGISTER) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["report", "departure", str(CASES), "--register", str(register), "--leader",
                                       "p-qx-sec", "--org", ORG, "--lang", lang, *extra])
    return result.exit_code, result.stderr


def _chinese(text: str) -> str:
    assert text.strip() and not english_words(text), (english_words(text), text)
    return text


@pytest.fixture()
def broken(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "reviews.yaml").write_text("year: [2021\n", encoding="utf-8")
    (tmp_path / "fake.docx").write_text("not a zip", encoding="utf-8")
    (tmp_path / "spot.json").write_text('{"year": ,}', encoding="utf-8")
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "national" / "zz-bad.yaml").write_text("rules: [\n", encoding="utf-8")
    register = tmp_path / "register.yaml"
    register.write_text(REGISTER.read_text(encoding="utf-8").replace("units:", "unitz:", 1), encoding="utf-8")
    return {"reviews": tmp_path / "reviews.yaml", "template": tmp_path / "fake.docx", "rules": rules,
            "spot": tmp_path / "spot.json", "register": register, "out": tmp_path / "out.docx"}


def test_a_bad_record_file_is_described_in_the_command_language(broken):
    with pytest.raises(RecordFileError) as bad:
        from cadre_rules.model.reviews import ReviewRecord
        from cadre_rules.reading.records import read_record

        read_record(broken["reviews"], ReviewRecord)
    status, zh = _annual("--reviews", str(broken["reviews"]))
    assert status == 2 and _chinese(zh).strip() == bad.value.describe("zh")
    status, en = _annual("--reviews", str(broken["reviews"]), lang="en")
    assert status == 2 and en.strip() == str(bad.value)


def test_default_is_chinese_and_the_config_file_or_environment_can_say_english(broken, tmp_path, monkeypatch):
    status, default = _annual("--reviews", str(broken["reviews"]), lang=None)
    assert status == 2 and _chinese(default)
    _, english = _annual("--reviews", str(broken["reviews"]), lang="en")
    _, from_env = _annual("--reviews", str(broken["reviews"]), lang=None, env={"CADRE_RULES_REPORT_ANNUAL_LANG": "en"})
    assert from_env == english
    work = tmp_path / "work"
    work.mkdir()
    (work / "cadre-rules.toml").write_text('lang = "en"\n', encoding="utf-8")
    monkeypatch.chdir(work)
    _, from_config = _annual("--reviews", str(broken["reviews"]), lang=None)
    assert from_config == english


def test_a_bad_word_template_is_described_in_the_command_language(broken):
    from cadre_rules.report.official import OfficialDocument

    with pytest.raises(TemplateError) as bad:
        OfficialDocument(broken["template"])
    for run in (_annual, _departure):
        status, zh = run("--docx", str(broken["out"]), "--template", str(broken["template"]))
        assert status == 2 and _chinese(zh).strip() == f"模板有误：{bad.value.describe('zh')}"
        status, en = run("--docx", str(broken["out"]), "--template", str(broken["template"]), lang="en")
        assert status == 2 and en.strip() == str(bad.value)


def test_the_rulebook_heading_follows_the_command_language(broken):
    for run in (_annual, _departure):
        status, zh = run("--rules", str(broken["rules"]))
        assert status == 2 and zh.startswith("规则库有误:\n")
        assert "zz-bad.yaml:2: YAML 格式错误：找不到应有的内容" in zh and not english_words(zh)  # a common kind, in Chinese with its place
        status, en = run("--rules", str(broken["rules"]), lang="en")
        assert status == 2 and en.startswith("rulebook error:\n")
        assert "zz-bad.yaml:2: invalid YAML: did not find expected node content" in en


def test_a_bad_spot_check_record_and_no_case_found(broken):
    status, zh = _annual("--spotcheck", str(broken["spot"]))
    assert status == 2 and "无法读取抽查记录" in _chinese(zh)
    status, en = _annual("--spotcheck", str(broken["spot"]), lang="en")
    assert status == 2 and "cannot read the spot-check record: Expecting value" in en
    status, zh = _annual("--org", "无此单位", "--markdown", str(broken["out"].with_suffix(".md")))
    assert status == 2 and "未找到单位 '无此单位' 的案例" in _chinese(zh)
    status, en = _annual("--org", "无此单位", "--markdown", str(broken["out"].with_suffix(".md")), lang="en")
    assert en.strip() == "warning: no case of organisation '无此单位' was found; the report counts nothing"


def test_a_bad_register_and_an_unknown_leader_in_the_command_language(broken):
    status, zh = _departure(register=broken["register"])
    assert status == 2 and _chinese(zh).startswith("台账有误:\n")
    status, en = _departure(register=broken["register"], lang="en")
    assert status == 2 and en.startswith("register error:\n")
    status, zh = _departure("--leader", "nobody")
    assert status == 2 and "nobody" in _chinese(zh)
    status, en = _departure("--leader", "nobody", lang="en")
    assert status == 2 and en.startswith("register error:\n") and "nobody" in en
