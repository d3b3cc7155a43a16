"""The Word annual report in the official-document form (GB/T 9704-2012), read back with python-docx."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from cadre_rules.cli.main import main
from cadre_rules.report.official import BUNDLED_TEMPLATE, OfficialDocument, TemplateError
from test_annual import ORG, make_annual_corpus


@pytest.fixture
def report(tmp_path, baseline) -> Document:
    corpus = make_annual_corpus(tmp_path, baseline)
    path = tmp_path / "r.docx"
    result = CliRunner().invoke(main, ["report", "annual", str(corpus), "--year", "2021", "--org", ORG,
                                       "--docx", str(path), "--as-of", "2024-01-01"])
    assert result.exit_code == 2 and path.exists(), result.output  # 2: the corpus holds one invalid input
    return Document(str(path))


def east_asian(style) -> str:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def test_page_is_a4_with_the_standard_margins(report):
    section = report.sections[0]
    def close(a, b) -> bool:  # Word stores lengths in twentieths of a point
        return abs(a - b) < Mm(0.1)

    assert close(section.page_width, Mm(210)) and close(section.page_height, Mm(297))
    assert close(section.top_margin, Mm(37)) and close(section.left_margin, Mm(28))  # 天头, 订口
    # the type area is 156 × 225 mm
    assert abs(section.page_width - section.left_margin - section.right_margin - Mm(156)) < Mm(0.1)
    assert abs(section.page_height - section.top_margin - section.bottom_margin - Mm(225)) < Mm(0.1)


def test_fonts_and_sizes_of_title_headings_and_body(report):
    styles = report.styles
    assert (east_asian(styles["Title"]), styles["Title"].font.size) == ("方正小标宋简体", Pt(22))
    assert (east_asian(styles["Heading 1"]), styles["Heading 1"].font.size) == ("黑体", Pt(16))
    assert (east_asian(styles["Heading 2"]), styles["Heading 2"].font.size) == ("楷体_GB2312", Pt(16))
    assert (east_asian(styles["Normal"]), styles["Normal"].font.size) == ("仿宋_GB2312", Pt(16))
    assert styles["Normal"].paragraph_format.line_spacing == Pt(28.95)  # 22 lines in 225 mm
    paragraphs = report.paragraphs
    assert paragraphs[0].style.name == "Title" and paragraphs[0].text == f"{ORG}2021年度干部选拔任用工作情况报告"
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["一、干部选拔任用工作基本情况", "二、个人有关事项报告查核情况"]
    assert all(p.style.name in ("Title", "Heading 1", "Heading 2", "Normal", "Note") for p in paragraphs)


def test_page_numbers_are_dashes_around_the_page_field_odd_right_even_left(report):
    section = report.sections[0]
    assert report.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        assert p.alignment == align
        assert p._p.find(qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"
        assert "".join(t.text for t in p._p.iter(qn("w:t"))) == "— 1 —"  # the field shows the page number
        sizes = {size.get(qn("w:val")) for size in p._p.iter(qn("w:sz"))}
        assert sizes == {"28"}  # 4号 = 14 pt, in half-points, on every run including the field's


def test_a_department_template_is_used_and_a_bad_one_refused(tmp_path, baseline):
    custom = Document(str(BUNDLED_TEMPLATE))
    custom.sections[0].header.paragraphs[0].text = "中共清溪县委组织部"  # the department's own letterhead
    custom.save(str(tmp_path / "ours.docx"))
    corpus = make_annual_corpus(tmp_path, baseline)
    out = tmp_path / "r.docx"
    CliRunner().invoke(main, ["report", "annual", str(corpus), "--year", "2021", "--org", ORG, "--docx", str(out),
                              "--template", str(tmp_path / "ours.docx")])
    assert Document(str(out)).sections[0].header.paragraphs[0].text == "中共清溪县委组织部"
    plain = Document()
    plain.save(str(tmp_path / "plain.docx"))
    with pytest.raises(TemplateError, match="lacks the paragraph styles Note, Table Text"):
        OfficialDocument(tmp_path / "plain.docx")
    (tmp_path / "junk.docx").write_text("not a zip", encoding="utf-8")
    result = CliRunner().invoke(main, ["report", "annual", str(corpus), "--year", "2021", "--org", ORG,
                                       "--docx", str(out), "--template", str(tmp_path / "junk.docx"), "--lang", "en"])
    assert result.exit_code == 2 and "not a usable .docx template" in result.stderr


def test_an_organisation_with_no_case_warns_and_fails(tmp_path, baseline):
    corpus = make_annual_corpus(tmp_path, baseline)
    result = CliRunner().invoke(main, ["report", "annual", str(corpus), "--year", "2021", "--org", "中共无此县委",
                                       "--lang", "en"])
    assert result.exit_code == 2
    assert "no case of organisation '中共无此县委' was found" in result.stderr


def test_the_bundled_template_is_what_its_generator_writes(tmp_path, monkeypatch):
    """docs/tools/make_official_template.py and the committed template agree on every setting read above."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_template", Path(__file__).resolve().parents[2] / "docs" / "tools"
                                                  / "make_official_template.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path / "fresh.docx")
    module.main()
    fresh, committed = Document(str(tmp_path / "fresh.docx")), Document(str(BUNDLED_TEMPLATE))

    def settings(doc):
        s = doc.sections[0]
        styles = {name: (east_asian(doc.styles[name]), doc.styles[name].font.size,
                         doc.styles[name].paragraph_format.line_spacing) for name in ("Title", "Heading 1", "Normal")}
        return (s.page_width, s.page_height, s.top_margin, s.bottom_margin, s.left_margin, s.right_margin,
                s.footer_distance, styles, s.footer.paragraphs[0].text, s.even_page_footer.paragraphs[0].text)

    assert settings(fresh) == settings(committed)
