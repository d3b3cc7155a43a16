"""Procedure workbooks (全程纪实) into cases: one sheet per record kind (`layout.LAYOUT`).

Every problem is reported with its sheet, row, column and case, and never as a traceback: a value
that does not convert (an unknown code, a bad date), a required column missing, a reference to a
person or record that does not exist (found by the case model's own checks, traced back to the cell
that wrote it). A case with a problem is not written; the other cases are.

openpyxl reads the workbook in read-only mode (rows streamed, not loaded as cell objects).
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator

from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from cadre_rules.errors import ErrorKind, InputError, Problem, Said
from cadre_rules.importers.forms import FormError
from cadre_rules.importers.layout import CODES, LAYOUT, Column, Sheet
from cadre_rules.importers.mapping import Mapping

_SPLIT = re.compile(r"[,，、;；\s]+")
_BUILTIN_DATES = ("%Y-%m-%d", "%Y.%m.%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d")
_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", "✗"}


@dataclass(frozen=True)
class WorkbookProblem:
    """One problem, where it is: sheet, row (as Excel numbers it), column header (and letter), case.
    The message is a Problem (its kind, and so its Chinese, known) or the case/register model's
    InputError (`error`, the message then `path: message`); plain text only where neither is known."""

    sheet: str
    row: int | None
    column: str | None
    case: str | None
    message: str
    letter: str | None = None
    error: InputError | None = field(default=None, compare=False, repr=False)

    def place(self, lang: str = "en") -> str:
        """`sheet row N column H (L) case C` (每部分已知时), in `lang`."""
        if lang != "zh":
            where = self.sheet or "(workbook)"
            if self.row:
                where += f" row {self.row}"
            if self.column:
                where += f" column {self.column}" + (f" ({self.letter})" if self.letter else "")
            if self.case:
                where += f" case {self.case}"
            return where
        where = f"「{self.sheet}」表" if self.sheet else "（工作簿）"
        if self.row:
            where += f"第 {self.row} 行"
        if self.column:
            where += f"「{self.column}」列" + (f"（`{self.letter}`）" if self.letter else "")
        if self.case:
            where += f' 案例 "{self.case}"'
        return where

    def __str__(self) -> str:
        return f"{self.place()}: {self.message}"

    def text(self, lang: str = "en") -> str:
        """The problem with its place, in `lang` (English where the message has no kind)."""
        return self.input_error().text(lang)

    def input_error(self) -> InputError:
        """As an InputError (the whole text its English message, the place its `at`), for a RegisterError."""
        if self.error is not None:
            e, path = self.error, self.error.path
            at = Said(f"{self.place()}: {path}" if path else self.place(),
                      f"{self.place('zh')}：{path}" if path else self.place("zh"))
            return InputError("", str(self), kind=e.kind, params=e.params, template=e.template or e.kind, at=at)
        if isinstance(self.message, Problem):
            return InputError("", str(self), kind=self.message.kind, params=self.message.params,
                              template=self.message.template, at=Said(self.place(), self.place("zh")))
        return InputError("", str(self))


#: The records a row of a sheet hangs under, named in both languages (a row naming one that is not there).
_PARENTS = {"meetings": Said("meeting", "会议"), "agenda": Said("agenda item", "议题"), "candidates": Said("candidate", "人选")}


def problem_of(exc: ValueError) -> str:
    """The message a conversion raised: its Problem (kind kept) when it raised one, else its text."""
    return exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], Problem) else str(exc)


@dataclass
class WorkbookImport:
    cases: dict[str, dict[str, Any]] = field(default_factory=dict)  # valid cases, in workbook order
    problems: list[WorkbookProblem] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # cases not imported because of a problem
    ignored_columns: list[str] = field(default_factory=list)  # "sheet: header" not in the layout


@dataclass
class _Case:
    data: dict[str, Any]
    row: int
    prov: dict[str, tuple[str, int, str | None, str | None]] = field(default_factory=dict)
    failed: bool = False


def open_workbook(p: Path, problems: list) -> Any:
    """The workbook at `p` opened read-only, or None with the problem appended: the one place both
    importers (cases and the register) turn a missing or unreadable file into a named problem."""
    from openpyxl import load_workbook

    try:
        return load_workbook(p, read_only=True, data_only=True)
    except FileNotFoundError:
        problems.append(WorkbookProblem("", None, None, None, Problem(ErrorKind.workbook_not_found, path=p)))
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        problems.append(WorkbookProblem("", None, None, None,
                                        Problem(ErrorKind.not_a_workbook, path=p, type=type(exc).__name__)))
    return None


def import_workbook(path: str | Path, mapping: Mapping | None = None) -> WorkbookImport:
    """Read a procedure workbook into cases (dicts as in a case file, validated by the case model)."""
    mapping = mapping or Mapping()
    p = Path(path)
    out = WorkbookImport()
    wb = open_workbook(p, out.problems)
    if wb is None:
        return out
    try:
        reader = _Reader(wb, p.parent, mapping, out)
        reader.run()
    finally:
        wb.close()
    return out


class _Reader:
    def __init__(self, wb, base: Path, mapping: Mapping, out: WorkbookImport) -> None:
        self.wb, self.base, self.mapping, self.out = wb, base, mapping, out
        self.cases: dict[str, _Case] = {}
        self.actual: dict[tuple[str, str], str] = {}  # (sheet, template header) -> the workbook's header
        # records whose row was rejected: rows under them say nothing new (their problem is reported once)
        self.rejected: set[tuple[str, str, Any]] = set()

    # -- problems -------------------------------------------------------------------------------
    def problem(self, sheet: str, row: int | None, column: Column | str | None, case: str | None, message: str,
                index: int | None = None) -> None:
        header = column.header if isinstance(column, Column) else column
        header = self.actual.get((sheet, header), header) if header else header
        letter = get_column_letter(index + 1) if index is not None else None
        self.out.problems.append(WorkbookProblem(sheet, row, header, case, message, letter))
        if case in self.cases:
            self.cases[case].failed = True

    # -- the run --------------------------------------------------------------------------------
    def run(self) -> None:
        for sheet in LAYOUT:
            name = self.mapping.sheet_name(sheet.name)
            if name not in self.wb.sheetnames:
                if sheet.collection is None:
                    self.problem(name, None, None, None, Problem(ErrorKind.sheet_missing,
                                                                 why=Said("a workbook needs its cases sheet", "工作簿须有「案例」表")))
                    return
                continue
            self.read_sheet(sheet, name)
        for case_id, case in self.cases.items():
            _mark_unrecorded(case.data)
            if not case.failed:
                self.validate(case_id, case)
            if case.failed:
                self.out.failed.append(case_id)
            else:
                self.out.cases[case_id] = case.data

    def read_sheet(self, sheet: Sheet, name: str) -> None:
        rows = self.wb[name].iter_rows(values_only=True)
        header_row = self.mapping.header_row
        headers: tuple[Any, ...] = ()
        for number, values in enumerate(rows, start=1):
            if number == header_row:
                headers = values
                break
        else:
            self.problem(name, header_row, None, None, Problem(ErrorKind.no_header_row))
            return
        index: dict[str, int] = {}
        labels = [str(h).strip() if h is not None else "" for h in headers]
        for col in sheet.columns:
            for alias in self.mapping.headers(sheet.name, col.header):
                if alias in labels:
                    index[col.header] = labels.index(alias)
                    self.actual[(name, col.header)] = alias
                    break
        known = {a for col in sheet.columns for a in self.mapping.headers(sheet.name, col.header)}
        self.out.ignored_columns += [f"{name}: {h}" for h in labels if h and h not in known]
        missing = [c for c in sheet.columns if c.required and c.header not in index]
        for col in missing:
            self.problem(name, header_row, col, None, Problem(ErrorKind.column_missing))
        if missing:
            # every case this sheet speaks of is incomplete: not imported (one problem per column, not per row)
            if "案例编号" not in index:
                for case in self.cases.values():
                    case.failed = True
                return
            for number, values in enumerate(rows, start=header_row + 1):
                case_id = cell_text(cell_at(values, index["案例编号"]))
                if case_id in self.cases:
                    self.cases[case_id].failed = True
            return
        for number, values in enumerate(rows, start=header_row + 1):
            if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            self.read_row(sheet, name, number, values, index)

    def read_row(self, sheet: Sheet, name: str, number: int, values: tuple[Any, ...], index: dict[str, int]) -> None:
        case_col = sheet.columns[0]
        case_id = cell_text(cell_at(values, index[case_col.header]))
        if not case_id:
            self.problem(name, number, case_col, None, Problem(ErrorKind.no_case_id), index[case_col.header])
            return
        converted: dict[str, Any] = {}
        bad = False
        for col in sheet.columns[1:]:
            if col.header not in index:
                continue
            raw = cell_at(values, index[col.header])
            try:
                value = self.convert(raw, col)
            except ValueError as exc:  # a value that does not convert: a problem at its cell
                self.problem(name, number, col, case_id, problem_of(exc), index[col.header])
                bad = True
                continue
            if value is None:
                if col.required:
                    self.problem(name, number, col, case_id, Problem(ErrorKind.value_missing), index[col.header])
                    bad = True
                continue
            converted[col.header] = value
        if sheet.collection is None:
            if case_id in self.cases:
                self.problem(name, number, case_col, case_id, Problem(ErrorKind.case_defined_twice, id=repr(case_id),
                                                                     first=self.cases[case_id].row), index[case_col.header])
                return
            self.cases[case_id] = case = _Case({"id": case_id}, number)
            case.prov[""] = (name, number, None, None)
            if bad:
                case.failed = True
            for col in sheet.columns[1:]:
                if col.header in converted:
                    _set(case.data, col.path, converted[col.header])
                    case.prov[col.path] = (name, number, self.actual.get((name, col.header), col.header),
                                           _letter(index, col))
            return
        case = self.cases.get(case_id)
        if case is None:
            self.problem(name, number, case_col, case_id, Problem(ErrorKind.sheet_unknown_case, id=repr(case_id)),
                         index[case_col.header])
            return
        if bad:
            case.failed = True
            if sheet.id_column and sheet.collection:
                self.rejected.add((case_id, sheet.collection.rsplit(".", 1)[-1], converted.get(sheet.id_column)))
            return
        self.attach(sheet, name, number, case_id, case, converted, index)

    def attach(self, sheet: Sheet, name: str, number: int, case_id: str, case: _Case, values: dict[str, Any],
               index: dict[str, int]) -> None:
        container, path = case.data, ""
        for collection, header in sheet.parents:
            wanted = values.get(header)
            items = container.get(collection) or []
            found = next((i for i, r in enumerate(items) if r.get("id") == wanted), None)
            if found is None and (case_id, collection, wanted) in self.rejected:
                return
            if found is None:
                what = _PARENTS.get(collection, Said(collection, f"`{collection}`"))
                self.problem(name, number, header, case_id, Problem(ErrorKind.sheet_unknown_record, what=what,
                                                                    id=repr(wanted)), index.get(header))
                return
            container, path = items[found], f"{path}{'.' if path else ''}{collection}[{found}]"
        record_fields = {c.header: c for c in sheet.columns[1:] if c.path and not c.path.startswith("+")}
        if sheet.single:
            record = container.setdefault(sheet.collection, {})
            record_path = f"{path}{'.' if path else ''}{sheet.collection}"
        else:
            parent_dict, leaf = _parent(container, sheet.collection)
            items = parent_dict.setdefault(leaf, [])
            record = None
            if sheet.id_column:
                wanted = values.get(sheet.id_column)
                found = next((i for i, r in enumerate(items) if r.get("id") == wanted), None)
                if found is not None:
                    record = items[found]
            if record is None:
                items.append({})
                found = len(items) - 1
                record = items[found]
            record_path = f"{path}{'.' if path else ''}{sheet.collection}[{found}]"
        case.prov.setdefault(record_path, (name, number, None, None))
        if sheet.collection == "candidates" and values.get("任免审批表"):
            self.merge_form(name, number, case_id, case, record, values["任免审批表"], index)
        for key, value in sheet.fixed.items():
            record[key] = value
        for header, col in record_fields.items():
            if header not in values:
                continue
            value = values[header]
            existing = _get(record, col.path)
            if existing is not None and existing != value and sheet.id_column and col.header != sheet.id_column \
                    and not (sheet.collection == "candidates" and values.get("任免审批表")):
                self.problem(name, number, col, case_id, Problem(ErrorKind.differs_from_earlier_row, value=repr(existing)),
                             index.get(header))
                continue
            _set(record, col.path, value)
            case.prov[f"{record_path}.{col.path}"] = (name, number, self.actual.get((name, header), header),
                                                      _letter(index, col))
        child = {c.path[1:].split(".", 1)[1]: values[c.header] for c in sheet.columns
                 if c.path.startswith("+") and c.header in values}
        if child:
            child_list = next(c.path[1:].split(".", 1)[0] for c in sheet.columns if c.path.startswith("+"))
            entries = record.setdefault(child_list, [])
            entries.append(child)
            case.prov[f"{record_path}.{child_list}[{len(entries) - 1}]"] = (name, number, None, None)
            for c in sheet.columns:
                if c.path.startswith("+") and c.header in values:
                    field_name = c.path[1:].split(".", 1)[1]
                    case.prov[f"{record_path}.{child_list}[{len(entries) - 1}].{field_name}"] = (
                        name, number, self.actual.get((name, c.header), c.header), _letter(index, c))
        if sheet.team:
            team = record.setdefault("team", [])
            leader, members = values.get("考察组组长"), values.get("考察组成员")
            for person, role in ([(leader, "leader")] if leader else []) + [(m, "member") for m in _SPLIT.split(members or "") if m]:
                if not any(t["name"] == person for t in team):
                    team.append({"name": person, "role": role})
            members_col = next(c for c in sheet.columns if c.header == "考察组成员")
            case.prov.setdefault(f"{record_path}.team", (name, number, self.actual.get((name, "考察组成员"), "考察组成员"),
                                                         _letter(index, members_col)))
        if "列席人员" in values:
            self.attendees(name, number, case_id, case, record, record_path, values["列席人员"], index)

    def attendees(self, name: str, number: int, case_id: str, case: _Case, record: dict, record_path: str,
                  text: str, index: dict[str, int]) -> None:
        out = record.setdefault("non_voting_attendees", [])
        if text.strip() in ("无", "没有"):  # recorded: nobody attended without a vote
            return
        for part in _SPLIT.split(text):
            if not part:
                continue
            m = re.fullmatch(r"(.+?)[（(](.+?)[)）]", part)
            if not m:
                self.problem(name, number, "列席人员", case_id, Problem(ErrorKind.attendee_without_role, value=repr(part)),
                             index.get("列席人员"))
                continue
            try:
                role = self.code(m.group(2), "attendee_role")
            except ValueError as exc:  # a value that does not convert: a problem at its cell
                self.problem(name, number, "列席人员", case_id, problem_of(exc), index.get("列席人员"))
                continue
            out.append({"name": m.group(1), "role": role})
        case.prov[f"{record_path}.non_voting_attendees"] = (name, number, self.actual.get((name, "列席人员"), "列席人员"),
                                                            None)

    def merge_form(self, name: str, number: int, case_id: str, case: _Case, record: dict, file: str,
                   index: dict[str, int]) -> None:
        from cadre_rules.importers.skeleton import import_form

        target = Path(file)
        if not target.is_absolute():
            target = self.base / target
        try:
            imported = import_form(target, candidate_id=record.get("id") or "c1")
        except FormError as exc:
            self.problem(name, number, "任免审批表", case_id, str(exc), index.get("任免审批表"))
            return
        for key, value in imported.candidate.items():
            record.setdefault(key, value)

    # -- values ---------------------------------------------------------------------------------
    def convert(self, raw: Any, col: Column) -> Any:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        kind = col.type
        if kind in ("text", "id"):
            return cell_text(raw)
        if kind == "int":
            return whole_number(raw)
        if kind == "bool":
            return yes_no(raw)
        if kind == "date":
            return self.date(raw)
        if kind == "month":
            return self.date(raw, month_allowed=True)
        if kind == "dates":
            if isinstance(raw, (date, datetime)):
                return [self.date(raw)]
            return [self.date(p) for p in _SPLIT.split(str(raw).strip()) if p]
        if kind == "ids":
            return [p for p in _SPLIT.split(cell_text(raw)) if p]
        if kind.startswith("code:"):
            return self.code(raw, kind[5:])
        if kind.startswith("codes:"):
            return [self.code(p, kind[6:]) for p in _SPLIT.split(cell_text(raw)) if p]
        raise AssertionError(f"unknown column type {kind}")

    def date(self, raw: Any, month_allowed: bool = False) -> str:
        return parse_date(raw, self.mapping.dates, month_allowed)

    def code(self, raw: Any, table: str) -> str:
        text = cell_text(raw)
        for value, labels in CODES[table].items():
            extra = self.mapping.codes.get(table, {}).get(value, ())
            if text == value or text in labels or text in extra:
                return value
        known = "、".join(labels[0] for labels in CODES[table].values())
        raise ValueError(Problem(ErrorKind.unknown_code, value=repr(text[:40]), table=table, known=known,
                                 more=Said("; or map it in a mapping file", "；也可在映射文件中映射")))

    # -- the case model's verdict on the assembled case -----------------------------------------------
    def validate(self, case_id: str, case: _Case) -> None:
        from cadre_rules.reading.cases import CaseValidationError, validate_case

        try:
            validate_case(case.data)
        except CaseValidationError as exc:
            for error in exc.errors:
                sheet, row, column, letter = self.locate(case, error.path)
                self.out.problems.append(WorkbookProblem(sheet, row, column, case_id,
                                                         f"{error.path}: {error.message}", letter, error))
            case.failed = True

    def column_for(self, sheet_name: str, rest: str) -> str | None:
        """The workbook's header of the column a sheet has for a field (relative to the sheet's record)."""
        for sheet in LAYOUT:
            if self.mapping.sheet_name(sheet.name) != sheet_name:
                continue
            for col in sheet.columns:
                target = col.path.lstrip("+")
                if col.path and (target == rest or (col.path.startswith("+") and target.endswith("." + rest))):
                    return self.actual.get((sheet_name, col.header), col.header)
        return None

    def locate(self, case: _Case, path: str) -> tuple[str, int | None, str | None, str | None]:
        """The cell that wrote a field path, or the nearest record's row and the column meant for it."""
        probe = path
        while True:
            if probe in case.prov:
                sheet, row, column, letter = case.prov[probe]
                if column is None and probe != path:
                    rest = path[len(probe):].lstrip(".")
                    rest = re.sub(r"\[\d+\]$", "", rest)
                    column = self.column_for(sheet, rest)
                return sheet, row, column, letter
            if not probe:
                return "", None, None, None
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""


#: The date hints parse_date is given, in both languages.
_HINTS = {"write YYYY-MM-DD, or give a format in the mapping file": Said(
    "write YYYY-MM-DD, or give a format in the mapping file", "应写作 YYYY-MM-DD，或在映射文件中给出格式"),
    "write YYYY-MM-DD": Said("write YYYY-MM-DD", "应写作 YYYY-MM-DD")}


def parse_date(raw: Any, formats: tuple[str, ...] = (), month_allowed: bool = False,
               hint: str = "write YYYY-MM-DD, or give a format in the mapping file") -> str:
    """A workbook cell as ISO `YYYY-MM-DD` (an Excel date, or text in a built-in or given `formats`); with
    `month_allowed` (an act's date, a person's date) a month alone is kept as `YYYY-MM`, which the audit
    treats as any day of that month (never a guessed day). Raises ValueError saying what is wrong."""
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    text = str(raw).strip()
    for fmt in _BUILTIN_DATES + tuple(formats):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}[.\-/年]\d{1,2}月?|\d{6}", text):
        if month_allowed:
            digits = re.findall(r"\d+", text)
            year, month = (int(digits[0]), int(digits[1])) if len(digits) == 2 else (int(text[:4]), int(text[4:]))
            if 1 <= month <= 12:
                return f"{year:04d}-{month:02d}"
            raise ValueError(Problem(ErrorKind.cell_not_a_month, value=repr(text[:40])))
        raise ValueError(Problem(ErrorKind.date_needs_day, value=repr(text)))
    raise ValueError(Problem(ErrorKind.cell_not_a_date, value=repr(text[:40]), how=_HINTS.get(hint, hint)))


def _mark_unrecorded(case: dict[str, Any]) -> None:
    """What a workbook leaves empty it did not record: written as null, so that the rules reading it
    give `unknown` naming the missing record instead of judging the model's default. An item with no
    statement rows has no recorded statements; an empty 会前送达 or 列席人员 cell says nothing."""
    for meeting in case.get("meetings") or []:
        meeting.setdefault("non_voting_attendees", None)
        for item in meeting.get("agenda") or []:
            item.setdefault("circulated_in_advance", None)
            item.setdefault("statements", None)


def _letter(index: dict[str, int], col: Column) -> str | None:
    return get_column_letter(index[col.header] + 1) if col.header in index else None


def cell_at(values: tuple[Any, ...], i: int) -> Any:
    """A row's value in column `i` (openpyxl leaves out the empty cells at a row's end)."""
    return values[i] if i < len(values) else None


def whole_number(raw: Any) -> int:
    """An `int` column's cell: a number Excel stored (a whole float too) or typed as text. A sign is
    read like the digits: whether a negative count is allowed is the model's to say, with its own
    message, whichever way the cell was stored."""
    if isinstance(raw, bool):
        raise ValueError(Problem(ErrorKind.not_whole_number, value=repr(raw)))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    raise ValueError(Problem(ErrorKind.not_whole_number, value=repr(text[:40])))


def yes_no(raw: Any) -> bool:
    """A `bool` column's cell: a checkbox value, or one of the words staff write for yes and no."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(Problem(ErrorKind.not_yes_no, value=repr(str(raw)[:40])))


def cell_text(raw: Any) -> str:
    """A cell as the text staff typed (a whole number Excel stored as a float without its .0; a date as ISO)."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, (datetime, date)):
        return raw.isoformat()[:10]
    return str(raw).strip()


def _parent(container: dict, dotted: str) -> tuple[dict, str]:
    parts = dotted.split(".")
    for part in parts[:-1]:
        container = container.setdefault(part, {})
    return container, parts[-1]


def _set(record: dict, dotted: str, value: Any) -> None:
    parent, leaf = _parent(record, dotted)
    parent[leaf] = value


def _get(record: dict, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(record, dict) or part not in record:
            return None
        record = record[part]
    return record


def iter_problems_text(result: WorkbookImport) -> Iterator[str]:
    for p in result.problems:
        yield str(p)


def case_yaml(data: dict[str, Any], source: str) -> str:
    """A case imported from a workbook, as a YAML case file naming its source."""
    import yaml

    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    return f"# 由程序纪实工作簿导入 / imported from the procedure workbook {source}\n{body}"
