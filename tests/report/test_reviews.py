"""The two reviews (两评议): the record file, its rates and flags, and the annual report's section 六,
read back from the Markdown and the .docx.

The example record (examples/reviews/2021-中共清溪县委-两评议.yaml) has, by construction: 120 due,
112 present; the work 78/20/9/4 with 1 spoilt form (111 valid: 不满意 9/111 = 8.1 %, 满意率 98/111 =
88.3 %, no flag); cadre A1 90/15/5/2 (no flag); cadre A2 40/20/45/7 (不认可 45/112 = 40.2 % > 1/3: flagged).
"""
from __future__ import annotations

import copy
import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cadre_rules.cli.main import main
from cadre_rules.errors import RecordFileError
from cadre_rules.facts.reviews import percent, review_figures, tally
from cadre_rules.codes import ReviewForm
from cadre_rules.reading.cases import read_cases
from cadre_rules.reading.reviews import load_reviews
from cadre_rules.report.annual import build_annual_report, render_docx, render_markdown
from test_annual import ORG, make_annual_corpus
from test_report_formats import ROOT

EXAMPLE = ROOT / "examples" / "reviews" / "2021-中共清溪县委-两评议.yaml"


def test_example_record_rates_and_flags(rulebook):
    f = review_figures(load_reviews(EXAMPLE), rulebook.review_thresholds)
    assert (f.expected, f.present, percent(f.turnout)) == (120, 112, "93.3%")
    assert f.work.valid == 111 and f.work.invalid == 1
    assert f.work.rates["dissatisfied"] == Fraction(9, 111) and percent(f.work.rates["favourable"]) == "88.3%"
    assert f.work.flags == []
    a1, a2 = f.appointees
    assert a1.flags == [] and a2.counts["disapprove"] == 45
    assert [fl.threshold_id for fl in a2.flags] == ["REV-APPOINTEE-DISAPPROVED"]
    assert percent(a2.flags[0].rate) == "40.2%" and a2.flags[0].kind == "local"
    assert a2.flags[0].to_dict()["figure_kind"] == "local"


def test_every_figure_is_a_local_parameter_with_the_articles_read(rulebook):
    # no text read gives a number for 满意度明显偏低: each figure names what was read, none is 〔阈值未核实〕
    for t in rulebook.review_thresholds:
        assert t.local and t.figure_read and all(c.verified for c in t.figure_read), t.id
    work = next(t for t in rulebook.review_thresholds if t.id == "REV-WORK-DISSATISFIED")
    assert [c.label() for c in work.figure_read][0] == "《党政领导干部选拔任用工作责任追究办法（试行）》（2010年）第9条"


def _rules_with_profile(tmp_path, extra: str) -> Path:
    import shutil

    from cadre_rules.rulebook import bundled_rules_dir

    root = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), root)
    (root / "profiles" / "local.yaml").write_text("id: local\ntitle: {zh: 本地, en: Local}\noverrides: {}\n" + extra,
                                                  encoding="utf-8")
    return root


def test_a_profile_sets_a_local_figure(tmp_path):
    from cadre_rules.rulebook import load_rulebook

    root = _rules_with_profile(tmp_path, 'review_thresholds:\n  REV-APPOINTEE-DISAPPROVED: "1/4"\n')
    local = load_rulebook(root, profile="local")
    ballots = {"approve": 70, "basically_approve": 0, "disapprove": 30, "unknown": 0}  # 30 %: above 1/4, not 1/3
    assert tally(ReviewForm.appointee, "X", ballots, 0, local.review_thresholds).flags[0].value == Fraction(1, 4)
    assert tally(ReviewForm.appointee, "X", ballots, 0, load_rulebook(root).review_thresholds).flags == []
    changed = next(t for t in local.review_thresholds if t.id == "REV-APPOINTEE-DISAPPROVED")
    assert changed.profile == "local"


@pytest.mark.parametrize("extra, message", [
    ('review_thresholds:\n  REV-NO-SUCH: "1/4"\n', "unknown review threshold"),
    ('review_thresholds:\n  REV-WORK-DISSATISFIED: "5/4"\n', "fraction between 0 and 1"),
])
def test_a_bad_profile_figure_is_a_load_error_at_its_line(tmp_path, extra, message):
    from cadre_rules.rulebook import RulebookError, load_rulebook

    root = _rules_with_profile(tmp_path, extra)
    with pytest.raises(RulebookError) as err:
        load_rulebook(root, profile="local")
    hits = [e for e in err.value.errors if message in e.message]
    assert hits and hits[0].file.endswith("profiles/local.yaml") and hits[0].line == 5, err.value


def test_a_figure_from_an_instrument_is_not_a_local_parameter(tmp_path):
    from cadre_rules.rulebook import RulebookError, load_rulebook

    root = _rules_with_profile(tmp_path, 'review_thresholds:\n  REV-WORK-DISSATISFIED: "1/4"\n')
    path = root / "reviews.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      kind: local\n", "      kind: instrument\n      confidence: high\n", 1), encoding="utf-8")
    with pytest.raises(RulebookError) as err:  # kind instrument needs a verified article in basis: it has one (Art 9)
        load_rulebook(root, profile="local")
    assert any("not a local parameter" in e.message for e in err.value.errors), err.value
    path.write_text(text.replace("      read:\n        - {edition", "      unread:\n        - {edition", 1), encoding="utf-8")
    with pytest.raises(RulebookError) as err:
        load_rulebook(root)
    assert any("unknown key 'unread'" in e.message for e in err.value.errors)
    assert any("figure.read" in e.message for e in err.value.errors)


@pytest.mark.parametrize("disapprove, others, flagged", [(34, 66, True), (33, 66, False), (1, 2, False), (2, 3, True)])
def test_threshold_is_exact_and_strict(rulebook, disapprove, others, flagged):
    """1/3 flags 34 of 100 and 2 of 5, never exactly a third (33 of 99, 1 of 3)."""
    t = tally(ReviewForm.appointee, "X", {"approve": others, "basically_approve": 0, "disapprove": disapprove,
                                          "unknown": 0}, 0, rulebook.review_thresholds)
    assert bool(t.flags) is flagged


def test_low_favourable_rate_of_the_work_is_flagged(rulebook):
    t = tally(ReviewForm.work, "work", {"satisfied": 30, "basically_satisfied": 30, "dissatisfied": 30, "unknown": 10},
              0, rulebook.review_thresholds)
    assert [f.threshold_id for f in t.flags] == ["REV-WORK-FAVOURABLE-LOW"]  # 60 % < 2/3; 不满意 30 % ≤ 1/3
    empty = tally(ReviewForm.work, "work", {"satisfied": 0, "basically_satisfied": 0, "dissatisfied": 0, "unknown": 0},
                  3, rulebook.review_thresholds)
    assert empty.flags == [] and empty.rates["favourable"] is None


def _write(tmp_path: Path, data, name="r.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def record_data():
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("change, where", [
    (lambda d: d["work"].pop("dissatisfied"), ("work.dissatisfied", "required field missing")),
    (lambda d: d["participants"].update(present=130), ("participants", "present (130) exceeds expected (120)")),
    (lambda d: d["work"].update(satisfied=178), ("", "work: 212 forms counted, more than the 112 present")),
    (lambda d: d["appointees"][1].update(id="A1"), ("", "appointees[1]: the id 'A1' is used twice")),
    (lambda d: d["appointees"][0]["ballots"].update(approve=-1), ("appointees[0].ballots.approve", "greater than or equal to 0")),
    (lambda d: d.update(votes=3), ("votes", "unknown field")),
])
def test_bad_record_names_file_line_and_field(tmp_path, record_data, change, where):
    change(record_data)
    path = _write(tmp_path, record_data)
    with pytest.raises(RecordFileError) as err:
        load_reviews(path)
    field, message = where
    (problem,) = err.value.problems
    assert problem.startswith(f"{path}:") and message in problem
    assert (f": {field}: " in problem) if field else True
    assert problem.split(":")[1].isdigit()  # a line number


def test_names_never_appear_in_errors_or_reports(tmp_path, record_data, rulebook):
    record_data["appointees"][0]["name"] = "张三丰"
    record_data["appointees"][0]["ballots"]["approve"] = "x"
    with pytest.raises(RecordFileError) as err:
        load_reviews(_write(tmp_path, record_data))
    assert "张三丰" not in str(err.value)
    record_data["appointees"][0]["ballots"]["approve"] = 90
    text = render_markdown(_report(tmp_path, rulebook, load_reviews(_write(tmp_path, record_data, "ok.yaml"))))
    assert "张三丰" not in text and "A1（县财政局局长）" in text


def test_bad_json_and_yaml_name_the_line(tmp_path):
    bad = tmp_path / "r.json"
    bad.write_text('{"organisation": "x",\n "year": }', encoding="utf-8")
    with pytest.raises(RecordFileError, match=r"r\.json:2: not valid JSON"):
        load_reviews(bad)
    bad = tmp_path / "r.yaml"
    bad.write_text("organisation: x\nyear: [\n", encoding="utf-8")
    with pytest.raises(RecordFileError, match=r"r\.yaml:\d+: not valid YAML"):
        load_reviews(bad)


def _report(tmp_path, rulebook, reviews):
    (tmp_path / "c").mkdir(exist_ok=True)
    corpus = make_annual_corpus(tmp_path / "c", _baseline())
    return build_annual_report(read_cases([corpus]), 2021, ORG, rulebook, as_of=date(2024, 1, 1), reviews=reviews)


def _baseline():
    from cadre_rules.testing.baseline import baseline_data

    return baseline_data()


def test_annual_markdown_states_the_review_figures(tmp_path, rulebook):
    text = render_markdown(_report(tmp_path, rulebook, load_reviews(EXAMPLE)))
    section = text.split("## 六、“两评议”情况")[1].split("## 附录")[0]
    assert "应参加 120 人，实参加 112 人（参评率 93.3%）" in section
    assert "满意 78 票（70.3%）、基本满意 20 票（18.0%）、不满意 9 票（8.1%）、不了解 4 票（3.6%）" in section
    rows = {line.split(" | ")[0].strip("| "): line for line in section.splitlines() if line.startswith("| ")}
    assert "| 111 | 78（70.3%） |" in rows["选人用人工作"]
    assert "45（40.2%）" in rows["A2（县发展改革局局长）"] and "新选拔任用干部“不认可”率偏高" in rows["A2（县发展改革局局长）"]
    assert rows["A1（县财政局局长）"].endswith("| — |")
    assert "1. 【REV-APPOINTEE-DISAPPROVED】新选拔任用干部 A2（县发展改革局局长）" in section
    assert "40.2%高于1/3〔本地参数〕" in section and "〔阈值未核实〕" not in section.split("比率以有效票")[0]
    assert "未给出具体比例，该比例为本地参数" in section


def test_annual_docx_carries_the_same_review_figures(tmp_path, rulebook):
    from docx import Document

    report = _report(tmp_path, rulebook, load_reviews(EXAMPLE))
    out = tmp_path / "annual.docx"
    render_docx(report, out)
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert "六、“两评议”情况" in texts
    assert any("实参加 112 人（参评率 93.3%）" in t for t in texts)
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "评议对象")
    cells = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}
    assert cells["选人用人工作"][1:3] == ["111", "78（70.3%）"]
    assert cells["A2（县发展改革局局长）"][4] == "45（40.2%）"
    assert cells["A2（县发展改革局局长）"][-1] == "新选拔任用干部“不认可”率偏高"
    assert any(t.startswith("1. 【REV-APPOINTEE-DISAPPROVED】") for t in texts)


def test_without_a_record_the_section_says_so(tmp_path, rulebook):
    text = render_markdown(_report(tmp_path, rulebook, None))
    assert "未提供“两评议”记录（`--reviews`），本报告不统计。" in text


def test_cli_reads_the_record_and_refuses_another_year(tmp_path, record_data):
    corpus = make_annual_corpus(tmp_path, _baseline())
    runner = CliRunner()
    ok = runner.invoke(main, ["report", "annual", str(corpus), "--year", "2021", "--org", ORG, "--reviews", str(EXAMPLE),
                              "--as-of", "2024-01-01"])
    assert "【REV-APPOINTEE-DISAPPROVED】" in ok.output
    record_data["year"] = 2020
    other = _write(tmp_path, record_data, "2020.yaml")
    wrong = runner.invoke(main, ["report", "annual", str(corpus), "--year", "2021", "--org", ORG, "--reviews", str(other),
                                 "--lang", "en"])
    assert wrong.exit_code == 2 and f"{other}: the two-reviews record is for 2020" in wrong.output
    chinese = runner.invoke(main, ["report", "annual", str(corpus), "--year", "2021", "--org", ORG, "--reviews", str(other)])
    assert chinese.exit_code == 2 and f'{other}：两评议记录是 2020 年度 "{ORG}" 的，不是 2021 年度' in chinese.output
    record_data["work"]["satisfied"] = "many"
    bad = _write(tmp_path, record_data, "bad.yaml")
    broken = runner.invoke(main, ["report", "annual", str(corpus), "--year", "2021", "--org", ORG, "--reviews", str(bad)])
    assert broken.exit_code == 2 and f"{bad}:" in broken.output and "work.satisfied" in broken.output
    assert "Traceback" not in broken.output
