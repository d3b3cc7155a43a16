"""The procedure workbook template: every sheet of the layout with its header row, a 说明 sheet
describing each column and a 代码 sheet with the labels of every code table."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from cadre_rules.importers.layout import CODES, LAYOUT
from cadre_rules.importers.sheets import write_layout_workbook

_TYPES = {"text": "文本", "id": "编号", "date": "日期 YYYY-MM-DD", "month": "日期 YYYY-MM-DD，或只记到月 YYYY-MM", "int": "整数", "bool": "是/否",
          "ids": "编号列表（、分隔）", "dates": "日期列表（、分隔）"}


def type_label(kind: str) -> str:
    if kind.startswith("code:"):
        return f"代码 {kind[5:]}"
    if kind.startswith("codes:"):
        return f"代码列表 {kind[6:]}（、分隔）"
    return _TYPES[kind]


def write_workbook(path: str | Path, rows: dict[str, list[list[Any]]] | None = None, guide: bool = True) -> Path:
    """The template layout, with data rows per sheet if given (used for the bundled examples)."""
    rows = rows or {}
    unknown = set(rows) - {s.name for s in LAYOUT}
    if unknown:
        raise ValueError(f"no such sheet in the layout: {', '.join(sorted(unknown))}")
    for sheet in LAYOUT:
        for row in rows.get(sheet.name, []):
            if len(row) > len(sheet.columns):
                raise ValueError(f"{sheet.name}: a row has {len(row)} values, the sheet {len(sheet.columns)} columns")
    notes = ([sheet.name, col.header, type_label(col.type), "是" if col.required else "", col.path.lstrip("+") or "",
              col.note or (sheet.meaning if col is sheet.columns[0] else "")]
             for sheet in LAYOUT for col in sheet.columns)
    return write_layout_workbook(path, [(sheet.name, [col.header for col in sheet.columns]) for sheet in LAYOUT], rows,
                                 notes if guide else None, CODES)
