"""Writing a layout as an .xlsx workbook: the one home of what the procedure workbook template and the
register workbook have in common.

Why one writer: both workbooks are read back by importers that staff fill in by hand, so both must look
alike (a bold header row, columns wide enough for their Chinese headers, the header frozen, a 说明 sheet
describing each column and a 代码 sheet with every code's labels) and come out the same every time (no
date of the run in the file). What differs is only what a column writes into (a case field path or a
register key), which the caller gives as the guide's rows.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

GUIDE_SHEET, CODES_SHEET = "说明", "代码"
GUIDE_HEADER = ("工作表", "列", "类型", "必填", "写入字段", "说明")
CODES_HEADER = ("代码表", "取值", "可写作")
_FIXED_DATE = datetime(2025, 1, 1)  # the file's created/modified date: no date of the run in it


def write_layout_workbook(path: str | Path, sheets: Sequence[tuple[str, Sequence[str]]],
                          rows: Mapping[str, Iterable[Sequence[Any]]],
                          guide: Iterable[Sequence[Any]] | None = None,
                          codes: Mapping[str, Mapping[str, Sequence[str]]] | None = None) -> Path:
    """A workbook with one sheet per (name, headers) of `sheets`, holding `rows[name]`; with `guide`,
    a 说明 sheet of those rows (GUIDE_HEADER's columns) and a 代码 sheet listing `codes` (table -> value ->
    labels). The parent folder is made when missing."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)

    def sheet_with(name: str, headers: Sequence[str]) -> Any:
        ws = wb.create_sheet(name)
        ws.append(list(headers))
        for cell in ws[1]:
            cell.font = bold
        return ws

    for name, headers in sheets:
        ws = sheet_with(name, headers)
        for i, header in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(10, 2 * len(header) + 4)
        ws.freeze_panes = "A2"
        for values in rows.get(name, ()):
            ws.append(list(values))
    if guide is not None:
        ws = sheet_with(GUIDE_SHEET, GUIDE_HEADER)
        for values in guide:
            ws.append(list(values))
        ws = sheet_with(CODES_SHEET, CODES_HEADER)
        for table, values in (codes or {}).items():
            for value, labels in values.items():
                ws.append([table, value, "、".join(labels)])
    wb.properties.created = wb.properties.modified = _FIXED_DATE
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


__all__ = ["CODES_HEADER", "CODES_SHEET", "GUIDE_HEADER", "GUIDE_SHEET", "write_layout_workbook"]
