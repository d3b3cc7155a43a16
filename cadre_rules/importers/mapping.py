"""Mapping files: another workbook layout described in terms of the template's (docs/import-workbook.md).

```yaml
header_row: 2                      # the row holding the column headers (default 1)
sheets: {会议: 会议记录}             # template sheet -> the workbook's sheet
columns:
  会议: {日期: [会议日期, 召开日期]}   # template header -> the workbook's header(s)
codes:
  outcome: {adopted: [同意任用]}     # code table -> model value -> the workbook's label(s)
dates: ["%Y年%m月%d日"]             # extra date formats (strptime), tried after the built-in ones
```

Every key is checked against the layout, so a misspelt sheet, column, table or value is an error
naming where it is in the mapping file, not a mapping silently ignored.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cadre_rules.errors import MappingError
from cadre_rules.importers.layout import CODES, SHEETS


@dataclass
class Mapping:
    header_row: int = 1
    sheets: dict[str, str] = field(default_factory=dict)
    columns: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    codes: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    dates: tuple[str, ...] = ()

    def sheet_name(self, template_name: str) -> str:
        return self.sheets.get(template_name, template_name)

    def headers(self, sheet: str, header: str) -> tuple[str, ...]:
        """The headers a template column may have in the workbook: its own, then the aliases."""
        return (header, *self.columns.get(sheet, {}).get(header, ()))


def _names(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise MappingError(f"{where}: a name or a list of names, not {value!r}")


def parse_mapping(data: Any, source: str = "mapping") -> Mapping:
    if data is None:
        return Mapping()
    if not isinstance(data, dict):
        raise MappingError(f"{source}: a mapping file is a YAML mapping")
    unknown = set(data) - {"header_row", "sheets", "columns", "codes", "dates"}
    if unknown:
        raise MappingError(f"{source}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    out = Mapping()
    row = data.get("header_row", 1)
    if not isinstance(row, int) or isinstance(row, bool) or row < 1:
        raise MappingError(f"{source}: header_row: a row number from 1, not {row!r}")
    out.header_row = row
    for sheet, name in (data.get("sheets") or {}).items():
        if sheet not in SHEETS:
            raise MappingError(f"{source}: sheets.{sheet}: no such sheet in the layout")
        out.sheets[sheet] = _names(name, f"{source}: sheets.{sheet}")[0]
    for sheet, cols in (data.get("columns") or {}).items():
        if sheet not in SHEETS:
            raise MappingError(f"{source}: columns.{sheet}: no such sheet in the layout")
        if not isinstance(cols, dict):
            raise MappingError(f"{source}: columns.{sheet}: a mapping of template header to header(s)")
        known = {c.header for c in SHEETS[sheet].columns}
        for header, alias in cols.items():
            if header not in known:
                raise MappingError(f"{source}: columns.{sheet}.{header}: no such column in the sheet {sheet}")
            out.columns.setdefault(sheet, {})[header] = _names(alias, f"{source}: columns.{sheet}.{header}")
    for table, values in (data.get("codes") or {}).items():
        if table not in CODES:
            raise MappingError(f"{source}: codes.{table}: no such code table (known: {', '.join(CODES)})")
        if not isinstance(values, dict):
            raise MappingError(f"{source}: codes.{table}: a mapping of value to label(s)")
        for value, labels in values.items():
            if value not in CODES[table]:
                raise MappingError(f"{source}: codes.{table}.{value}: not a value of {table} ({', '.join(CODES[table])})")
            out.codes.setdefault(table, {})[value] = _names(labels, f"{source}: codes.{table}.{value}")
    dates = data.get("dates") or []
    if not isinstance(dates, list) or not all(isinstance(d, str) for d in dates):
        raise MappingError(f"{source}: dates: a list of strptime formats")
    for fmt in dates:
        try:
            datetime.strptime(datetime(2021, 4, 16).strftime(fmt), fmt)
        except ValueError:
            raise MappingError(f"{source}: dates: {fmt!r} is not a usable date format") from None
    out.dates = tuple(dates)
    return out


def load_mapping(path: str | Path) -> Mapping:
    from cadre_rules.reading.yamlmarks import safe_load

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise MappingError(f"{p}: cannot read: {exc.strerror or exc}") from None
    try:
        data = safe_load(text)
    except Exception as exc:  # yaml.YAMLError: its message names line and column
        raise MappingError(f"{p}: not YAML: {exc}") from None
    return parse_mapping(data, str(p))
