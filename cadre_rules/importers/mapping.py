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

from cadre_rules.errors import ErrorKind, MappingError, Problem, Said, os_reason, yaml_complaint
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


def _names(value: Any, source: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise MappingError(source, key, Problem(ErrorKind.mapping_names, value=repr(value)))


# The sections that map names: each must be a mapping. `sheets: [案件信息]` once reached `.items()`
# and stopped `import workbook --mapping` with an internal error (found by fuzzing mapping files).
_SECTIONS = {
    "sheets": Said("template sheet to the workbook's sheet", "模板工作表名到本单位工作表名"),
    "columns": Said("template sheet to its columns", "模板工作表名到其列名映射"),
    "codes": Said("code table to its values", "代码表名到其取值映射"),
}


def parse_mapping(data: Any, source: str = "mapping") -> Mapping:
    if data is None:
        return Mapping()
    if not isinstance(data, dict):
        raise MappingError(source, "", Problem(ErrorKind.mapping_not_mapping))
    unknown = set(data) - {"header_row", "sheets", "columns", "codes", "dates"}
    if unknown:
        keys = sorted(map(str, unknown))
        raise MappingError(source, "", Problem(ErrorKind.mapping_unknown_keys,
                                               keys=Said(", ".join(keys), "、".join(f"`{k}`" for k in keys))))
    out = Mapping()
    row = data.get("header_row", 1)
    if not isinstance(row, int) or isinstance(row, bool) or row < 1:
        raise MappingError(source, "header_row", Problem(ErrorKind.mapping_header_row, value=repr(row)))
    out.header_row = row
    for key, what in _SECTIONS.items():
        if not isinstance(data.get(key) or {}, dict):
            raise MappingError(source, key, Problem(ErrorKind.mapping_section_not_mapping, what=what))
    for sheet, name in (data.get("sheets") or {}).items():
        if sheet not in SHEETS:
            raise MappingError(source, f"sheets.{sheet}", Problem(ErrorKind.mapping_no_sheet))
        out.sheets[sheet] = _names(name, source, f"sheets.{sheet}")[0]
    for sheet, cols in (data.get("columns") or {}).items():
        if sheet not in SHEETS:
            raise MappingError(source, f"columns.{sheet}", Problem(ErrorKind.mapping_no_sheet))
        if not isinstance(cols, dict):
            raise MappingError(source, f"columns.{sheet}", Problem(ErrorKind.mapping_columns_not_mapping))
        known = {c.header for c in SHEETS[sheet].columns}
        for header, alias in cols.items():
            if header not in known:
                raise MappingError(source, f"columns.{sheet}.{header}", Problem(ErrorKind.mapping_no_column, sheet=sheet))
            out.columns.setdefault(sheet, {})[header] = _names(alias, source, f"columns.{sheet}.{header}")
    for table, values in (data.get("codes") or {}).items():
        if table not in CODES:
            raise MappingError(source, f"codes.{table}", Problem(ErrorKind.mapping_no_code_table, known=", ".join(CODES)))
        if not isinstance(values, dict):
            raise MappingError(source, f"codes.{table}", Problem(ErrorKind.mapping_codes_not_mapping))
        for value, labels in values.items():
            if value not in CODES[table]:
                raise MappingError(source, f"codes.{table}.{value}", Problem(ErrorKind.mapping_no_code_value, table=table,
                                                                               known=", ".join(CODES[table])))
            out.codes.setdefault(table, {})[value] = _names(labels, source, f"codes.{table}.{value}")
    dates = data.get("dates") or []
    if not isinstance(dates, list) or not all(isinstance(d, str) for d in dates):
        raise MappingError(source, "dates", Problem(ErrorKind.mapping_dates_list))
    for fmt in dates:
        try:
            datetime.strptime(datetime(2021, 4, 16).strftime(fmt), fmt)
        except ValueError:
            raise MappingError(source, "dates", Problem(ErrorKind.mapping_date_format, format=repr(fmt))) from None
    out.dates = tuple(dates)
    return out


def load_mapping(path: str | Path) -> Mapping:
    from cadre_rules.reading.yamlmarks import safe_load

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise MappingError(str(p), "", Problem(ErrorKind.mapping_cannot_read, reason=os_reason(exc))) from None
    try:
        data = safe_load(text)
    except Exception as exc:  # yaml.YAMLError: its message names line and column
        mark = getattr(exc, "problem_mark", None)
        said = yaml_complaint(str(getattr(exc, "problem", None) or exc))
        zh = f"第 {mark.line + 1} 行，{said.zh}" if mark is not None else said.zh
        raise MappingError(str(p), "", Problem(ErrorKind.mapping_invalid_yaml, detail=Said(str(exc), zh))) from None
    return parse_mapping(data, str(p))
