"""Word documents in the official-document form (党政机关公文格式, GB/T 9704-2012), from a template.

The page, fonts and page numbers live in a .docx template, not in code, so a department can put its
own letterhead, fonts or margins on every report by passing its own template (made from the bundled
one in Word or LibreOffice). The bundled template (`templates/official.docx`, written by
docs/tools/make_official_template.py) follows GB/T 9704-2012: A4, top margin (天头) 37 mm, left (订口)
28 mm, a 156 × 225 mm type area, 22 lines of 28 characters, body in 3号仿宋, the title in 2号小标宋,
first-level headings in 3号黑体 and second-level in 3号楷体, page numbers 「— 1 —」 in 4号宋体, odd pages
on the right and even pages on the left, one character in.

A report uses the template's styles by name: `Title` (标题), `Heading 1`, `Heading 2`, `Normal` (正文),
`Note` (说明, smaller), `Table Text` (表格) and the table style `Table Grid`.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from cadre_rules.errors import ErrorKind, Problem, Said, TemplateError
from cadre_rules.report.controls import shown
from cadre_rules.report.files import output_file

BUNDLED_TEMPLATE = Path(__file__).resolve().parent / "templates" / "official.docx"
REQUIRED_STYLES = ("Title", "Heading 1", "Heading 2", "Normal", "Note", "Table Text")


class OfficialDocument:
    """A report being written on a template: the template's body is cleared, its sections, headers,
    footers and styles are kept."""

    def __init__(self, template: str | Path | None = None) -> None:
        from docx import Document

        path = Path(template) if template else BUNDLED_TEMPLATE
        try:
            self.doc = Document(str(path))
        except Exception as exc:  # python-docx raises several kinds for a file that is not a .docx
            raise TemplateError(Problem(ErrorKind.docx_template_unusable, path=path, detail=exc, type=type(exc).__name__),
                                path=str(path)) from None
        names = {style.name for style in self.doc.styles}
        missing = [name for name in REQUIRED_STYLES if name not in names]
        if missing:
            styles = Said(", ".join(missing), "、".join(f"“{name}”" for name in missing))
            raise TemplateError(Problem(ErrorKind.docx_template_styles, path=path, styles=styles), path=str(path))
        body = self.doc.element.body
        for child in list(body):
            if not child.tag.endswith("}sectPr"):  # keep the page setup of the template's last section
                body.remove(child)

    def title(self, text: str) -> Any:
        return self.doc.add_paragraph(shown(text), style="Title")

    def heading(self, text: str, level: int = 1) -> Any:
        return self.doc.add_paragraph(shown(text), style=f"Heading {level}")

    def para(self, text: str) -> Any:
        return self.doc.add_paragraph(shown(text), style="Normal")

    def note(self, text: str) -> Any:
        return self.doc.add_paragraph(shown(text), style="Note")

    def table(self, header: list[str], rows: list[list[str]]) -> Any:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page the table runs over
        repeat.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(repeat)
        for cell, text in zip(table.rows[0].cells, header):
            cell.paragraphs[0].style = "Table Text"
            cell.paragraphs[0].add_run(shown(text)).bold = True
        for row in rows:
            for cell, text in zip(table.add_row().cells, row):
                cell.paragraphs[0].style = "Table Text"
                cell.paragraphs[0].add_run(shown(text))
        return table

    def save(self, path: str | Path, title: str) -> None:
        """Written whole or not at all, as every report is (report/files.py): made in memory first (a
        .docx is a zip), so that a target that is not a regular file (/dev/null, a pipe) is written
        directly too; a target that cannot be written is an OutputError naming it (exit status 5)."""
        self.doc.core_properties.title = shown(title)
        self.doc.core_properties.author = "cadre-rules"
        made = io.BytesIO()
        self.doc.save(made)
        with output_file(path, binary=True) as handle:
            handle.write(made.getvalue())
