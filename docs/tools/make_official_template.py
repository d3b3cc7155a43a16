"""Write cadre_rules/report/templates/official.docx, the bundled template of Word reports in the
official-document form (GB/T 9704-2012, 党政机关公文格式). Run after changing the form:

    python docs/tools/make_official_template.py

What GB/T 9704-2012 sets and this template follows (sections 5.1–5.2 and 7.5 of the standard):
A4 210 × 297 mm; 天头 (top) 37 mm, 订口 (left) 28 mm, type area 156 × 225 mm, so the right margin is
26 mm and the bottom 35 mm; 22 lines of 28 characters a page (a line is 225/22 ≈ 28.95 pt); 3号 (16 pt)
仿宋 for the body, 2号 (22 pt) 小标宋 for the title, 3号黑体 and 3号楷体 for first- and second-level
headings; page numbers in 4号 (14 pt) 宋体 Arabic numerals between em dashes, 7 mm below the type area,
odd pages on the right and even pages on the left, one character in.
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

OUT = Path(__file__).resolve().parents[2] / "cadre_rules" / "report" / "templates" / "official.docx"
LINE = Pt(28.95)  # 225 mm / 22 lines
BODY, TITLE, PAGE_NUMBER, NOTE, TABLE = Pt(16), Pt(22), Pt(14), Pt(14), Pt(12)


def set_font(style_or_run, east_asian: str, size, bold: bool = False, latin: str = "Times New Roman") -> None:
    font = style_or_run.font
    font.name, font.size, font.bold = latin, size, bold
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)  # theme fonts would override the names below
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)


def paragraph_style(doc, name: str, east_asian: str, size, *, bold=False, align=None, indent=True, before=0,
                    after=0, line=LINE, outline: int | None = None):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name not in ("Normal",):
        style.base_style = styles["Normal"]
    set_font(style, east_asian, size, bold)
    pf = style.paragraph_format
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, line
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    pf.first_line_indent = Pt(size.pt * 2) if indent else Pt(0)  # 左空二字
    pf.keep_with_next = outline is not None
    if align is not None:
        pf.alignment = align
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:outlineLvl")) + ppr.findall(qn("w:pBdr")):  # no rule under the title
        ppr.remove(old)
    if outline is not None:
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline))
        ppr.append(level)
    return style


def page_number(footer, align) -> None:
    """「— N —」: 4号宋体, the PAGE field between em dashes, one character in from the outer edge."""
    p = footer.paragraphs[0]
    p.alignment = align
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.left_indent = PAGE_NUMBER if align == WD_ALIGN_PARAGRAPH.LEFT else Pt(0)
    p.paragraph_format.right_indent = PAGE_NUMBER if align == WD_ALIGN_PARAGRAPH.RIGHT else Pt(0)
    set_font(p.add_run("— "), "宋体", PAGE_NUMBER, latin="宋体")
    number = p.add_run("1")  # the PAGE field's displayed value, replaced by the page number when laid out
    set_font(number, "宋体", PAGE_NUMBER, latin="宋体")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number._r.addprevious(field)
    field.append(number._r)
    set_font(p.add_run(" —"), "宋体", PAGE_NUMBER, latin="宋体")


def main() -> None:
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(23)  # the page number's top 7 mm below the type area
    section.header_distance = Mm(15)
    doc.settings.odd_and_even_pages_header_footer = True
    paragraph_style(doc, "Normal", "仿宋_GB2312", BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    paragraph_style(doc, "Title", "方正小标宋简体", TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
                    after=LINE.pt, line=Pt(36))
    paragraph_style(doc, "Heading 1", "黑体", BODY, outline=0)
    paragraph_style(doc, "Heading 2", "楷体_GB2312", BODY, outline=1)
    paragraph_style(doc, "Note", "仿宋_GB2312", NOTE, line=Pt(24))
    paragraph_style(doc, "Table Text", "仿宋_GB2312", TABLE, indent=False, line=Pt(18), align=WD_ALIGN_PARAGRAPH.LEFT)
    page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    doc.core_properties.title = "cadre-rules 公文格式模板 (GB/T 9704-2012)"
    doc.core_properties.author = "cadre-rules"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(OUT))


if __name__ == "__main__":
    main()
