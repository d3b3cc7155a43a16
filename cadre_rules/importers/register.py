"""The organisation register as a workbook (.xlsx): read into a register, written from one.

Departments keep their establishment tables (职数台账) and rosters in spreadsheets. The layout below
is the single description of the register workbook: the importer reads by it, the writer (the empty
template, the bundled example) writes by it, docs/register.md lists it. One sheet per record kind,
headers in the first row, one row per record; every sheet below 单位 names its unit by 单位编号 (and a
quota period its post by 职位编号).

The register is validated as a whole (model.register), as a YAML register is: every problem is named
by sheet, row, column (header and letter) and reported, none as a traceback, and a workbook with any
problem gives no register. Dates are days — the register's facts are day-exact (a quota is exceeded
on the day of a notice), so a month alone (`2021.06`) is refused naming its cell, as the case importer
refuses it where the case model needs the day — except a person's 出生日期, which may be the month
alone (as 任免审批表 give it), as the case importer takes a candidate's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from cadre_rules import codes as c
from cadre_rules.importers.layout import code_words
from cadre_rules.errors import ErrorKind, Problem, Said
from cadre_rules.importers.sheets import write_layout_workbook
from cadre_rules.importers.workbook import (WorkbookProblem, cell_at, cell_text, open_workbook, parse_date, problem_of,
                                            whole_number, yes_no)

_CODE_LISTS: dict[str, type[c.Code]] = {"level": c.Level, "leader_role": c.LeaderRole,
                                        "retirement": c.RetirementCategory}
_LEVEL_WORDS = {c.Level.section_deputy: ("副科", "副科级"), c.Level.section_chief: ("正科", "正科级"),
                c.Level.division_deputy: ("副处", "副处级", "副县级"), c.Level.division_chief: ("正处", "正处级", "正县级"),
                c.Level.bureau_deputy: ("副厅", "副厅级", "副局级"), c.Level.bureau_chief: ("正厅", "正厅级", "正局级")}
_DATE_HINT = "write YYYY-MM-DD"


def _labels(member: c.Code) -> tuple[str, ...]:
    words = _LEVEL_WORDS.get(member, ()) if isinstance(member, c.Level) else ()
    return tuple(dict.fromkeys((*words, *code_words(member))))


# code list name -> {code: accepted words, the first being what the writer writes}
REGISTER_CODES: dict[str, dict[str, tuple[str, ...]]] = {
    name: {m.value: _labels(m) for m in enum} for name, enum in _CODE_LISTS.items()}


@dataclass(frozen=True)
class RColumn:
    header: str
    key: str  # field of the record; "" for the unit / post reference columns
    type: str = "text"  # text, date, month (a date, or the month alone), int, bool, code:<list>
    required: bool = False
    note: str = ""


@dataclass(frozen=True)
class RSheet:
    name: str
    meaning: str
    collection: str  # "" (the register itself), "people", "units", or a list of the unit: posts, holders, ...
    columns: tuple[RColumn, ...]


UNIT = RColumn("单位编号", "", "text", True, "the unit (单位 sheet), as cases name it: Case.organisation")
POST = RColumn("职位编号", "", "text", True, "the post (职位 sheet) of the unit")

REGISTER_LAYOUT: tuple[RSheet, ...] = (
    RSheet("台账", "the register: one row", "", (
        RColumn("截至日期", "as_of", "date", True, "the roster is complete to this date: tenure and age are judged on it"),
        RColumn("格式版本", "version", "int", note="1"))),
    RSheet("人员", "everyone the units name (personal data)", "people", (
        RColumn("人员编号", "id", "text", True), RColumn("姓名", "name", "text", True), RColumn("性别", "gender"),
        RColumn("出生日期", "birth_date", "month", note="a day, or the month alone (1968.02): the retirement month is then "
                                                         "known, not its day"),
        RColumn("退休类别", "retirement", "code:retirement", note="the statutory age before the 2025 reform"),
        RColumn("现职级", "level", "code:level"), RColumn("任现职级时间", "level_since", "date"))),
    RSheet("单位", "units: one row each", "units", (
        RColumn("单位编号", "id", "text", True, "as cases name it: Case.organisation"),
        RColumn("单位名称", "name", "text", True), RColumn("层级", "level", "code:level"),
        RColumn("上级单位", "parent", "text", note="another unit's 单位编号"))),
    RSheet("职位", "posts of a unit", "posts", (
        UNIT, RColumn("职位编号", "id", "text", True, "as cases name it: Case.post.id"),
        RColumn("职位名称", "title", "text", True), RColumn("层级", "level", "code:level"),
        RColumn("正职", "chief", "bool"), RColumn("领导成员", "leading_member", "bool",
                                                   note="a leading member of a local Party committee or government"))),
    RSheet("职数", "approved number of a post over time: one row per period, oldest first", "quota", (
        UNIT, POST, RColumn("起始日期", "since", "date", True, "first day this approved number holds"),
        RColumn("核定职数", "number", "int", True), RColumn("依据", "basis", note="the establishment decision"))),
    RSheet("在职人员", "the roster: who holds which post, from when (to when)", "holders", (
        UNIT, RColumn("人员编号", "person", "text", True), RColumn("职位编号", "post", "text", True),
        RColumn("任职日期", "start", "date", True), RColumn("免职日期", "end", "date", note="last day in the post"))),
    RSheet("主要领导", "principal leaders' tenures", "leaders", (
        UNIT, RColumn("人员编号", "person", "text", True), RColumn("职务", "role", "code:leader_role", True),
        RColumn("任职日期", "start", "date", True), RColumn("离任日期", "end", "date", note="last day in office"),
        RColumn("明确离任日期", "departure_decided", "date", note="the departure was settled: the window opens"),
        RColumn("继任者到任日期", "successor_in_office", "date", note="the window closes (exclusive)"))),
    RSheet("机构变动", "restructurings: a window from the decision until completion", "restructurings", (
        UNIT, RColumn("变动编号", "id", "text", True), RColumn("决定日期", "decided", "date", True),
        RColumn("完成日期", "completed", "date"), RColumn("说明", "note"))),
)
REGISTER_SHEETS = {s.name: s for s in REGISTER_LAYOUT}
_WHERE = tuple[str, int, str | None, str | None]  # sheet, row, header, column letter


@dataclass
class RegisterImport:
    """What a register workbook gave: the data (as in a register file) when there was no problem."""

    data: dict[str, Any] | None = None
    problems: list[WorkbookProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)  # "sheet: header" not in the layout

    @property
    def register(self):
        """The validated `Register` (None if there was a problem)."""
        from cadre_rules.reading.register import validate_register

        return validate_register(self.data) if self.data is not None and not self.problems else None


def import_register_workbook(path: str | Path) -> RegisterImport:
    """Read a register workbook; every problem is named by sheet, row and column (docs/register.md)."""
    p = Path(path)
    out = RegisterImport()
    wb = open_workbook(p, out.problems)
    if wb is None:
        return out
    try:
        data = _Reader(wb, out).run()
    finally:
        wb.close()
    if not out.problems:
        out.data = data
    return out


class _Reader:
    def __init__(self, wb, out: RegisterImport) -> None:
        self.wb, self.out = wb, out
        self.data: dict[str, Any] = {"version": 1, "people": [], "units": []}
        self.units: dict[str, int] = {}  # unit id -> index in data["units"]
        self.prov: dict[str, _WHERE] = {}  # field path -> where it was written

    def problem(self, sheet: str, row: int | None, header: str | None, message: str, letter: str | None = None,
                error: Any = None) -> None:
        self.out.problems.append(WorkbookProblem(sheet, row, header, None, message, letter, error))

    def run(self) -> dict[str, Any]:
        for sheet in REGISTER_LAYOUT:
            if sheet.name not in self.wb.sheetnames:
                if sheet.name in ("台账", "单位"):
                    self.problem(sheet.name, None, None, Problem(ErrorKind.sheet_missing, why=Said(
                        "a register workbook needs it", "台账工作簿必须有这张表")))
                continue
            self.read_sheet(sheet)
        if "台账" in self.wb.sheetnames and "as_of" not in self.data and not any(
                p.sheet == "台账" for p in self.out.problems):
            self.problem("台账", 2, "截至日期", Problem(ErrorKind.no_register_row))
        if not self.out.problems:
            self.validate()
        return self.data

    def read_sheet(self, sheet: RSheet) -> None:
        rows = self.wb[sheet.name].iter_rows(values_only=True)
        headers = next(rows, None)
        if headers is None:
            self.problem(sheet.name, 1, None, Problem(ErrorKind.no_header_row))
            return
        labels = [str(h).strip() if h is not None else "" for h in headers]
        index = {col.header: labels.index(col.header) for col in sheet.columns if col.header in labels}
        known = {col.header for col in sheet.columns}
        self.out.ignored_columns += [f"{sheet.name}: {h}" for h in labels if h and h not in known]
        missing = [col for col in sheet.columns if col.required and col.header not in index]
        for col in missing:
            self.problem(sheet.name, 1, col.header, Problem(ErrorKind.column_missing))
        if missing:
            return
        seen_register_row = False
        for number, values in enumerate(rows, start=2):
            if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if sheet.collection == "":
                if seen_register_row:
                    self.problem(sheet.name, number, None, Problem(ErrorKind.second_register_row))
                    continue
                seen_register_row = True
            self.read_row(sheet, number, values, index)

    def read_row(self, sheet: RSheet, number: int, values: tuple[Any, ...], index: dict[str, int]) -> None:
        record: dict[str, Any] = {}
        where: dict[str, _WHERE] = {}
        bad = False
        for col in sheet.columns:
            if col.header not in index:
                continue
            letter = get_column_letter(index[col.header] + 1)
            raw = cell_at(values, index[col.header])
            try:
                value = _convert(raw, col)
            except ValueError as exc:
                self.problem(sheet.name, number, col.header, problem_of(exc), letter)
                bad = True
                continue
            if value is None:
                if col.required:
                    self.problem(sheet.name, number, col.header, Problem(ErrorKind.value_missing), letter)
                    bad = True
                continue
            key = col.key or col.header
            record[key] = value
            where[key] = (sheet.name, number, col.header, letter)
        if bad:
            return
        if sheet.collection == "":
            self.data.update(record)
            self.prov.update({k: w for k, w in where.items()})
            self.prov[""] = (sheet.name, number, None, None)
            return
        if sheet.collection == "people":
            self.add(self.data["people"], "people", record, where, sheet, number)
            return
        if sheet.collection == "units":
            if record["id"] in self.units:
                first = self.prov[f"units[{self.units[record['id']]}]"][1]
                self.problem(sheet.name, number, "单位编号", Problem(ErrorKind.unit_defined_twice, id=record["id"], first=first),
                             where["id"][3])
                return
            self.units[record["id"]] = len(self.data["units"])
            self.add(self.data["units"], "units", record, where, sheet, number)
            return
        unit_id = record.pop("单位编号")
        u = self.units.get(unit_id)
        if u is None:
            self.problem(sheet.name, number, "单位编号", Problem(ErrorKind.sheet_unknown_unit, id=unit_id),
                         where["单位编号"][3])
            return
        unit = self.data["units"][u]
        if sheet.collection == "quota":
            post_id = record.pop("职位编号")
            posts = unit.get("posts") or []
            p = next((i for i, post in enumerate(posts) if post["id"] == post_id), None)
            if p is None:
                self.problem(sheet.name, number, "职位编号", Problem(ErrorKind.sheet_unknown_post, post=post_id, unit=unit_id),
                             where["职位编号"][3])
                return
            self.add(posts[p].setdefault("quota", []), f"units[{u}].posts[{p}].quota", record, where, sheet, number)
            return
        self.add(unit.setdefault(sheet.collection, []), f"units[{u}].{sheet.collection}", record, where, sheet, number)

    def add(self, items: list, path: str, record: dict[str, Any], where: dict[str, _WHERE], sheet: RSheet,
            number: int) -> None:
        at = f"{path}[{len(items)}]"
        items.append(record)
        self.prov[at] = (sheet.name, number, None, None)
        for key, w in where.items():
            self.prov[f"{at}.{key}"] = w

    def validate(self) -> None:
        from cadre_rules.errors import RegisterError
        from cadre_rules.reading.register import validate_register

        try:
            validate_register(self.data)
        except RegisterError as exc:
            for error in exc.errors:
                sheet, row, header, letter = self.locate(error.path)
                self.problem(sheet, row, header, f"{error.path}: {error.message}" if error.path else error.message, letter,
                             error)

    def locate(self, path: str) -> _WHERE | tuple[str, None, None, None]:
        """The cell that wrote a field path, or the row of the nearest record (and the column meant for the field)."""
        probe = path
        while True:
            if probe in self.prov:
                sheet, row, header, letter = self.prov[probe]
                if header is None and probe != path:
                    rest = re.sub(r"\[\d+\]$", "", path[len(probe):].lstrip("."))
                    header = next((col.header for col in REGISTER_SHEETS[sheet].columns if col.key == rest), None)
                return sheet, row, header, letter
            if not probe:
                return "", None, None, None
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""


def _convert(raw: Any, col: RColumn) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if col.type == "text":
        return cell_text(raw)
    if col.type in ("date", "month"):
        return parse_date(raw, month_allowed=col.type == "month", hint=_DATE_HINT)
    if col.type == "int":
        return whole_number(raw)
    if col.type == "bool":
        return yes_no(raw)
    if col.type.startswith("code:"):
        table = col.type[5:]
        text = cell_text(raw)
        for value, labels in REGISTER_CODES[table].items():
            if text == value or text in labels:
                return value
        known = "、".join(labels[0] for labels in REGISTER_CODES[table].values())
        raise ValueError(Problem(ErrorKind.unknown_code, value=repr(text[:40]), table=table, known=known,
                                 more=Said("", "")))
    raise AssertionError(f"unknown column type {col.type}")


# -- writing -------------------------------------------------------------------------------------

def _cell_value(value: Any, col: RColumn) -> Any:
    if value is None:
        return None
    if col.type in ("date", "month"):
        return str(value)  # ISO text (YYYY-MM-DD, or YYYY-MM): read back exactly, whatever the spreadsheet's date settings
    if col.type == "bool":
        return "是" if value else None
    if col.type.startswith("code:"):
        return REGISTER_CODES[col.type[5:]][str(getattr(value, "value", value))][0]
    return value


def register_rows(data: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """The rows of each sheet for register data (as in a register file, dates as ISO text or dates)."""
    def row(sheet: str, record: dict[str, Any], **refs: Any) -> list[Any]:
        return [refs[col.header] if col.header in refs else _cell_value(record.get(col.key), col)
                for col in REGISTER_SHEETS[sheet].columns]

    rows: dict[str, list[list[Any]]] = {s.name: [] for s in REGISTER_LAYOUT}
    rows["台账"].append(row("台账", {"as_of": data["as_of"], "version": data.get("version", 1)}))
    for person in data.get("people") or []:
        rows["人员"].append(row("人员", person))
    for unit in data.get("units") or []:
        rows["单位"].append(row("单位", unit))
        ref = {"单位编号": unit["id"]}
        for post in unit.get("posts") or []:
            rows["职位"].append(row("职位", post, **ref))
            for period in post.get("quota") or []:
                rows["职数"].append(row("职数", period, **ref, 职位编号=post["id"]))
        for sheet, key in (("在职人员", "holders"), ("主要领导", "leaders"), ("机构变动", "restructurings")):
            for record in unit.get(key) or []:
                rows[sheet].append(row(sheet, record, **ref))
    return rows


def write_register_workbook(path: str | Path, data: dict[str, Any] | None = None, guide: bool = True) -> Path:
    """The register workbook: every sheet with its headers and, if `data` is given (a register as read
    from a file or `Register.model_dump()`), its rows; with `guide` a 说明 sheet describing every column
    and a 代码 sheet with the words each code may be written as."""
    from cadre_rules.importers.template import type_label

    kinds = {"date": "日期 YYYY-MM-DD", "month": "日期 YYYY-MM-DD，或只记到月 YYYY-MM"}
    notes = ([sheet.name, col.header, kinds.get(col.type) or type_label(col.type), "是" if col.required else "", col.key,
              col.note or (sheet.meaning if col is sheet.columns[0] else "")]
             for sheet in REGISTER_LAYOUT for col in sheet.columns)
    return write_layout_workbook(path, [(sheet.name, [col.header for col in sheet.columns]) for sheet in REGISTER_LAYOUT],
                                 register_rows(data) if data is not None else {}, notes if guide else None, REGISTER_CODES)


def register_yaml(data: dict[str, Any], source: str) -> str:
    """An imported register as a YAML register file naming its source."""
    import yaml

    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    return f"# 由组织机构与职数台账工作簿导入 / imported from the register workbook {source}\n{body}"


__all__ = ["REGISTER_CODES", "REGISTER_LAYOUT", "RegisterImport", "import_register_workbook", "register_rows",
           "register_yaml", "write_register_workbook"]
