"""Every kind of input problem (cadre_rules.ErrorKind) has a broken input that triggers it; under
`--lang zh` its text is Chinese (no English word outside quoted ids, codes, values and paths), under
`--lang en` (and in the JSON report) it is the English text as before the kinds.

The corpus is generated here from the compliant baseline: one broken input per kind, written as files
and read by the one case reader (reading/cases.py) as the command line reads them; the few kinds that
need a failing system call or a bug are triggered by making that call fail (monkeypatch).
"""
from __future__ import annotations

import copy
import dataclasses
import errno
import json
import os
import pathlib
import re
from pathlib import Path
from typing import Any, Callable

import pytest
from click.testing import CliRunner
from pydantic import TypeAdapter, ValidationError

from cadre_rules import ErrorKind
from cadre_rules.cli.main import main
from cadre_rules.errors import MESSAGES, CaseInputError, CaseValidationError, InputError, render
from cadre_rules.model.base import YearMonth
from cadre_rules.reading.cases import Unit, input_error, load_case, parse_unit, read_cases, validate_case
from cadre_rules.reading.limits import current_limits
from wording import english_words, field_paths

Spoil = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Spoil:
    """A spoiler that sets the value at a dotted path (`meetings.0.chair`)."""
    def spoil(d: dict[str, Any]) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        for p in parents:
            d = d[p]
        d[last] = value  # type: ignore[index]
    return spoil


def _do(*spoilers: Spoil) -> Spoil:
    def spoil(d: dict[str, Any]) -> None:
        for s in spoilers:
            s(d)
    return spoil


def _delete(key: str) -> Spoil:
    return lambda d: d.pop(key)


#: kind → how to break the baseline case for it (a JSON file is written from the result).
DATA: dict[ErrorKind, Spoil] = {
    ErrorKind.duplicate_id: lambda d: d["candidates"].append(copy.deepcopy(d["candidates"][0])),
    ErrorKind.open_case_without_as_of: _set("status", "open"),
    ErrorKind.post_at_non_leading_level: _set("post.level", "staff"),
    ErrorKind.unknown_member: _set("meetings.0.chair", "m99"),
    ErrorKind.unknown_candidate: _set("publicity.0.candidate", "c9"),
    ErrorKind.unknown_person: _set("relations", [{"person": "c1", "relative": "p9", "kind": "spouse"}]),
    ErrorKind.unknown_recommendation: _set("canvassing_findings", [
        {"id": "k1", "candidate": "c1", "recommendation": "r9", "date": "2021-03-01", "source": "petition"}]),
    ErrorKind.unknown_prior_report: _set("recommendation_exemption", "pr9"),
    ErrorKind.inspection_completed_before_start: _set("inspections.0.completed", "1990-01-01"),
    ErrorKind.closed_before_received: _set("inspections.0.petitions", [
        {"id": "p1", "received": "2021-03-10", "specific": True, "closed": "2021-03-01"}]),
    ErrorKind.publicity_end_before_start: _set("publicity.0.end", "1990-01-01"),
    ErrorKind.notice_before_decision: _set("appointments.0.date", "1990-01-01"),
    ErrorKind.filing_before_notice: _set("filings.0.date", "1990-01-01"),
    ErrorKind.reply_before_submission: _set("prior_reports", [
        {"id": "pr1", "matter": "over_quota", "submitted": "2021-01-05", "reply_date": "2021-01-01"}]),
    ErrorKind.left_before_decided: _set("leader_departure", {"leader": "m01", "decided": "2021-02-02", "left": "2021-01-01"}),
    ErrorKind.work_start_before_birth: _set("candidates.0.work_start_date", "1900-01-01"),
    ErrorKind.end_before_start: _set("candidates.0.work_history.0.end", "1990-01-01"),
    ErrorKind.speaker_not_attendee: _set("meetings.0.agenda.0.statements.0.member", "m10"),
    ErrorKind.votes_exceed_due: _set("meetings.0.agenda.0.vote.agree", 99),
    ErrorKind.sanction_period_unknown: _set("candidates.0.sanctions", [
        {"system": "party", "type": "odd", "decision_date": "2015-01-01"}]),
    ErrorKind.no_such_month: _set("candidates.0.birth_date", "1980-13"),
    ErrorKind.not_a_date: _set("candidates.0.birth_date", "1980-02-30"),
    ErrorKind.date_format: _set("candidates.0.birth_date", "yesterday"),
    ErrorKind.history_end_before_start: _set("candidates.0.records", {"work_history": [
        {"source": "dossier", "start": "2010-01-01", "end": "2009-01-01", "organisation": "青石镇", "post": "科员"}]}),
    ErrorKind.both_vote_keys: _set("meetings.0.agenda.0.vote.yes", 9),
    ErrorKind.missing: _delete("organisation"),
    ErrorKind.extra_forbidden: _set("titel", "x"),
    ErrorKind.literal_error: _set("status", "shut"),
    ErrorKind.enum: _set("move", "promotoin"),
    ErrorKind.date_from_datetime_parsing: _set("candidates.0.education.0.completed", "x"),
    ErrorKind.date_from_datetime_inexact: _set("candidates.0.education.0.completed", 1.5),
    ErrorKind.date_type: _set("candidates.0.education.0.completed", []),
    ErrorKind.int_parsing: _set("post.quota", "x"),
    ErrorKind.int_type: _set("post.quota", []),
    ErrorKind.int_from_float: _set("post.quota", 1.5),
    ErrorKind.string_type: _set("organisation", []),
    ErrorKind.bool_parsing: _set("candidates.0.education.0.full_time", "x"),
    ErrorKind.bool_type: _set("candidates.0.education.0.full_time", []),
    ErrorKind.list_type: _set("body.members.0.roles", {}),
    ErrorKind.dict_type: _set("meta", []),
    ErrorKind.model_type: _set("body.members.0", []),
    ErrorKind.greater_than_equal: _set("post.quota", -1),
    ErrorKind.too_short: _set("candidates", []),
    ErrorKind.string_too_short: _set("post.id", ""),
    ErrorKind.string_too_long: _set("post.id", "p" * 200),
}

#: kind → (file name, text) of an input that cannot be read as a case.
TEXTS: dict[ErrorKind, tuple[str, str | bytes]] = {
    ErrorKind.invalid_json: ("invalid_json.json", '{"id": "x",, }'),
    ErrorKind.invalid_yaml: ("invalid_yaml.yaml", "id: x\nmove: [promotion\n"),
    ErrorKind.duplicate_key: ("duplicate_key.json", '{"id": "a", "post": {}, "post": {}}'),
    ErrorKind.duplicate_yaml_key: ("duplicate_yaml_key.yaml", "id: a\nmeetings: []\npost: x\nmeetings: []\n"),
    ErrorKind.yaml_alias: ("yaml_alias.yaml", "a: &a [1]\nb: *a\n"),
    ErrorKind.yaml_tag: ("yaml_tag.yaml", "id: a\npost: !custom x\n"),
    ErrorKind.yaml_documents: ("yaml_documents.yaml", "id: a\n---\nid: b\n"),
    ErrorKind.string_over_limit: ("string_over_limit.json", '{"id": "x", "title": "' + "a" * 100_001 + '"}'),
    ErrorKind.number_over_limit: ("number_over_limit.json", '{"id": "x", "n": ' + "9" * 40 + "}"),
    ErrorKind.nesting_over_limit: ("nesting_over_limit.json", '{"meta": ' + "[" * 70 + "]" * 70 + "}"),
    ErrorKind.lone_surrogate: ("lone_surrogate.json", '{"id": "x", "post": "\\ud800"}'),
    ErrorKind.not_utf8: ("not_utf8.json", b'{"id": "\xff"}'),
    ErrorKind.case_not_mapping: ("case_not_mapping.json", "[]"),
}


def _write_corpus(tmp: Path, baseline: dict[str, Any]) -> dict[str, ErrorKind]:
    """Every file-made broken input under tmp/cases; file name → the kind it is made to trigger."""
    cases = tmp / "cases"
    cases.mkdir()
    made: dict[str, ErrorKind] = {}
    for kind, spoil in DATA.items():
        data = copy.deepcopy(baseline)
        spoil(data)
        (cases / f"{kind.value}.json").write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
        made[f"{kind.value}.json"] = kind
    for kind, (name, text) in TEXTS.items():
        (cases / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        made[name] = kind
    os.symlink(tmp / "gone.json", cases / "dangling_link.json")
    made["dangling_link.json"] = ErrorKind.dangling_link
    os.mkfifo(cases / "not_regular_file.yaml")
    made["not_regular_file.yaml"] = ErrorKind.not_regular_file
    return made


def _errors_of(paths: list[Path | str]) -> list[tuple[str, InputError]]:
    """(source, problem) for every input under `paths`, read and validated as the command line does."""
    out: list[tuple[str, InputError]] = []
    for raw in read_cases(paths):
        if raw.error is not None:
            out.append((raw.source, raw.input_error()))
            continue
        try:
            validate_case(raw.data)
        except CaseValidationError as exc:
            out.extend((raw.source, e) for e in exc.errors)
    return out


def _special(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, InputError]]:
    """The kinds a file's content cannot cause: a system call that fails, a limit set in the environment,
    a bug in judging, a type used directly."""
    out: list[tuple[str, InputError]] = []
    other = tmp / "other"
    other.mkdir()
    (other / "notes.txt").write_text("not a case")
    out += _errors_of([other / "notes.txt", other / "absent.json"])  # not_case_file, no_such_file
    two = other / "two.jsonl"
    two.write_text('{"id": "a"}\n{"id": "b"}\n')
    with pytest.raises(CaseValidationError) as many:
        load_case(two)
    out += [(str(two), e) for e in many.value.errors]  # expected_one_case
    changed = other / "changed.json"
    changed.write_bytes(b'{"id": "\xfe"}')
    raw = parse_unit(Unit(str(changed), ".json", size=changed.stat().st_size, file=str(changed)))
    out.append((raw.source, raw.input_error()))  # not_utf8_text: a file that changed after it was listed
    from cadre_rules.spark.audit import document_unit

    for source, document in (("row-1", None), ("row-2", 7)):  # the Spark adapter's rows without a document
        out.append((source, parse_unit(document_unit(source, document)).input_error()))
    with pytest.raises(ValidationError) as month:
        TypeAdapter(YearMonth).validate_python("May 1980")
    out += [("YearMonth", input_error(e, YearMonth)) for e in month.value.errors(include_url=False)]  # type: ignore[arg-type]
    with monkeypatch.context() as m:
        m.setenv("CADRE_RULES_MAX_CASE_BYTES", "50")
        (other / "big.json").write_text('{"id": "' + "x" * 80 + '"}')
        (other / "long.jsonl").write_text('{"id": "' + "x" * 80 + '"}\n')
        out += _errors_of([other / "big.json", other / "long.jsonl"])  # file_too_large, line_too_long
        m.setenv("CADRE_RULES_MAX_DEPTH", "lots")
        with pytest.raises(CaseInputError) as setting:
            current_limits()
        out.append(("environment", InputError(setting.value.field, setting.value.message)))  # bad_limit_setting
        m.setenv("CADRE_RULES_MAX_DEPTH", "100000")
        with pytest.raises(CaseInputError) as setting:
            current_limits()
        out.append(("environment", InputError(setting.value.field, setting.value.message)))  # limit_setting_too_high
    import importlib

    cases_module = importlib.import_module("cadre_rules.reading.cases")
    locked = tmp / "locked"
    locked.mkdir()
    (locked / "a.json").write_text("{}")
    real_scandir, real_open = os.scandir, pathlib.Path.open

    def scandir(path: Any) -> Any:
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_scandir(path)

    def opener(self: pathlib.Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "a.json" and self.parent == other:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(self, *args, **kwargs)

    (other / "a.json").write_text("{}")
    with monkeypatch.context() as m:
        m.setattr(cases_module.os, "scandir", scandir)
        m.setattr(pathlib.Path, "open", opener)
        out += _errors_of([locked, other / "a.json"])  # cannot_read_directory, cannot_read
    return out


REGISTER = Path(__file__).resolve().parents[2] / "examples" / "register" / "register.yaml"

#: kind → how to break the example organisation register for it.
REGISTER_SPOILS: dict[ErrorKind, Spoil] = {
    ErrorKind.duplicate_register_id: lambda r: r["people"].append(copy.deepcopy(r["people"][0])),
    ErrorKind.quota_period_order: _set("units.1.posts.0.quota.1.since", "2018-01-01"),
    ErrorKind.unknown_post: _set("units.0.holders.0.post", "no-post"),
    ErrorKind.unknown_unit: _set("units.1.parent", "no-unit"),
    ErrorKind.decided_before_start: _set("units.0.leaders.0.departure_decided", "2010-01-01"),
    ErrorKind.successor_without_settled: lambda r: r["units"][0]["leaders"][0].pop("departure_decided"),
    ErrorKind.successor_before_settled: _set("units.0.leaders.0.successor_in_office", "2021-05-01"),
    ErrorKind.completed_before_decided: _set("units.0.restructurings", [
        {"id": "r1", "decided": "2020-01-01", "completed": "2019-01-01"}]),
}


def _units(paths: Any) -> list[Any]:
    from cadre_rules.reading.cases import iter_units

    return list(iter_units(paths))


def _register_errors(tmp: Path, rulebook: Any) -> list[tuple[str, InputError]]:
    """The organisation register's kinds: each break of the example register, a register that is no
    mapping, a wrong suffix, a missing file, two registers in one file; a unit or leader not in it."""
    import yaml

    from cadre_rules.errors import RegisterError
    from cadre_rules.reading.register import load_register
    from cadre_rules.report.departure import build_departure_report

    base = yaml.safe_load(REGISTER.read_text(encoding="utf-8"))
    folder = tmp / "registers"
    folder.mkdir()
    inputs: list[Path] = []
    for kind, spoil in REGISTER_SPOILS.items():
        data = copy.deepcopy(base)
        spoil(data)
        inputs.append(folder / f"{kind.value}.json")
        inputs[-1].write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    (folder / "list.json").write_text("[]")
    (folder / "register.txt").write_text("version: 1")
    inputs += [folder / "list.json", folder / "register.txt", folder / "absent.yaml"]
    out: list[tuple[str, InputError]] = []
    for path in inputs:
        with pytest.raises(RegisterError) as bad:
            load_register(path)
        out += [(str(path), e) for e in bad.value.errors]
    import importlib

    reading = importlib.import_module("cadre_rules.reading.register")
    with pytest.MonkeyPatch.context() as m:  # a guard: one regular file is one unit, unless the reader changes
        m.setattr(reading, "iter_units", lambda paths: _units(paths) * 2)
        with pytest.raises(RegisterError) as bad:
            load_register(REGISTER)
        out += [(str(REGISTER), e) for e in bad.value.errors]
    register = load_register(REGISTER)
    for leader, unit in (("p-qx-sec", "no-unit"), ("nobody", "中共清溪县委")):
        with pytest.raises(RegisterError) as bad:
            build_departure_report(register, [], rulebook, leader, unit, str(REGISTER))
        out += [(str(REGISTER), e) for e in bad.value.errors]
    return out


def _workbook(path: Path, rows: dict[str, list[list[Any]]], sheets: dict[str, list[str] | None] | None = None) -> Path:
    """A register workbook: the layout's sheets (or `sheets`: name → headers, None for a sheet with no
    header row) with `rows`."""
    from openpyxl import Workbook

    from cadre_rules.importers.register import REGISTER_LAYOUT

    wb = Workbook()
    wb.remove(wb.active)
    layout = sheets if sheets is not None else {s.name: [c.header for c in s.columns] for s in REGISTER_LAYOUT}
    for name, headers in layout.items():
        ws = wb.create_sheet(name)
        if headers is not None:
            ws.append(headers)
            for row in rows.get(name, []):
                ws.append(row)
    wb.save(path)
    return path


def _register_workbook_errors(tmp: Path) -> list[tuple[str, InputError]]:
    """The register workbook's kinds (importers/register.py, read by load_register as .xlsx): every
    value that does not convert, a reference to a row not there, sheets, columns and rows missing, a
    register problem traced back to its cell, a file that is no workbook or not there."""
    from cadre_rules.errors import RegisterError
    from cadre_rules.importers.register import REGISTER_LAYOUT, import_register_workbook, register_rows
    from cadre_rules.reading.register import load_register

    folder = tmp / "workbooks"
    folder.mkdir()
    base = register_rows(load_register(REGISTER).model_dump(mode="json"))
    values = copy.deepcopy(base)
    values["职数"][0][3] = "三"  # not_whole_number
    values["职位"][1][4] = "maybe"  # not_yes_no
    values["人员"][0][4] = "男职工"  # unknown_code
    values["职数"][1][2] = "someday"  # cell_not_a_date
    values["人员"][0][3] = "1968.13"  # cell_not_a_month
    values["在职人员"][0][3] = "2018.07"  # date_needs_day
    values["主要领导"][0][2] = None  # value_missing
    values["职位"][0][0] = "no-unit"  # sheet_unknown_unit
    values["职数"].append([base["单位"][0][0], "no-post", "2023-01-01", 1, None])  # sheet_unknown_post
    values["单位"].append(list(base["单位"][0]))  # unit_defined_twice
    values["台账"].append(list(base["台账"][0]))  # second_register_row
    traced = copy.deepcopy(base)
    traced["在职人员"][0][2] = "no-post"  # a register problem (unknown_post) named by its cell
    headers = {s.name: [c.header for c in s.columns] for s in REGISTER_LAYOUT}
    thin = {"单位": [h for h in headers["单位"] if h != "单位名称"], "人员": None}  # sheet_missing, column_missing, no_header_row
    books = [_workbook(folder / "values.xlsx", values), _workbook(folder / "traced.xlsx", traced),
             _workbook(folder / "thin.xlsx", {}, thin),
             _workbook(folder / "empty.xlsx", {"单位": base["单位"]}, {"台账": headers["台账"], "单位": headers["单位"]})]
    (folder / "fake.xlsx").write_text("not a zip", encoding="utf-8")  # not_a_workbook
    out: list[tuple[str, InputError]] = []
    for book in [*books, folder / "fake.xlsx"]:
        with pytest.raises(RegisterError) as bad:
            load_register(book)
        out += [(str(book), e) for e in bad.value.errors]
    absent = folder / "absent.xlsx"  # workbook_not_found (load_register names a missing file before opening it)
    out += [(str(absent), p.input_error()) for p in import_register_workbook(absent).problems]
    return out


RULES = Path(__file__).resolve().parents[2] / "rules"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _yaml(path: Path, data: Any) -> Path:
    import yaml

    class Dumper(yaml.SafeDumper):  # a value used twice is written twice (a rulebook refuses aliases)
        def ignore_aliases(self, data: Any) -> bool:
            return True

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100_000), encoding="utf-8")
    return path


#: kind → the condition (`when`, over `{item: item}`) that triggers it (rulebook/expr.py, typecheck.py).
CONDITIONS: dict[ErrorKind, list[str]] = {
    ErrorKind.condition_too_long: ["true or " * 2600 + "true"],
    ErrorKind.condition_too_deep: ["(" * 70 + "true" + ")" * 70],
    ErrorKind.condition_chain_too_deep: ["1" + " + 1" * 70 + " == 1"],
    ErrorKind.condition_unexpected_character: ["item.kind == @"],
    ErrorKind.condition_escape_not_character: ['item.kind == "\\ud800"'],
    ErrorKind.condition_unknown_escape: ['item.kind == "\\q"'],
    ErrorKind.condition_expected: ["(true", "exists 1 as x where true", "param.1 == 1", "item.1 == 1", "1 == 1 and x"],
    ErrorKind.condition_unexpected: ["true true", "item.kind =="],
    ErrorKind.rule_number_too_long: ["item.kind == " + "1" * 31],
    ErrorKind.condition_date_argument: ["item.date == date(1)"],
    ErrorKind.rule_bad_date: ['item.date == date("2019-02-30")'],
    ErrorKind.condition_unknown_function: ["max(1) == 1"],
    ErrorKind.condition_wrong_type: ["1"],
    ErrorKind.condition_unknown_alias: ["x.kind == 1"],
    ErrorKind.condition_unknown_field: ["item.nothing == 1"],
    ErrorKind.condition_unknown_parameter: ["param.nothing == 1"],
    ErrorKind.condition_mixed_list: ['item.kind in [1, "a"]'],
    ErrorKind.condition_cannot_negate: ['-"a" == 1'],
    ErrorKind.condition_arithmetic: ['"a" + 1 == 1'],
    ErrorKind.condition_in_needs_list: ["1 in 1", "1 not in 1"],
    ErrorKind.condition_in_needs_value: ["true in [true]"],
    ErrorKind.condition_null_order: ["item.date < null"],
    ErrorKind.condition_cannot_compare: ["item.date == 1"],
    ErrorKind.condition_cannot_order: ["true < false"],
    ErrorKind.condition_bool_operands: ["1 and true", "true or 1"],
    ErrorKind.condition_not_operand: ["not 1"],
    ErrorKind.condition_len_argument: ["len(1) == 1"],
    ErrorKind.condition_unknown_fact_type: ["exists nothing as x where true"],
    ErrorKind.condition_alias_bound: ["exists item as item where true"],
    ErrorKind.condition_where_type: ["exists item as x where 1"],
    ErrorKind.condition_unknown_code: ['item.kind == "decison"', 'item.kind == "zzz"'],
}


def _rule_spoils(rule: dict[str, Any], basis: dict[str, Any]) -> list[Any]:
    """Broken copies of a bundled rule (each with an id of its own): one or more per rule kind."""
    def spoiled(**changes: Any) -> dict[str, Any]:
        out = copy.deepcopy(rule)
        for key, value in changes.items():
            if value is None:
                out.pop(key)
            else:
                out[key] = value
        return out

    def cite(**changes: Any) -> list[dict[str, Any]]:
        return [{**basis, **changes}]

    n = iter(range(1, 1000))
    texts = {"zh": "甲", "en": "a"}
    variants: list[dict[str, Any]] = [
        spoiled(titel="x"),  # rule_unknown_key
        spoiled(act_date=None),  # rule_missing_key
        spoiled(stage="nowhere"),  # rule_unknown_stage
        spoiled(severity="fatal"),  # rule_one_of
        spoiled(pending_when="true"),  # rule_pending_pair
        spoiled(title={"zh": "甲"}),  # rule_needs_zh_en
        spoiled(message={**texts, "b": "c"}),  # rule_text_extra_keys
        spoiled(message_variants=[]),  # rule_variants_shape
        spoiled(message_variants=[{"when": "true"}]),  # rule_variant_keys
        spoiled(effective={"from": "someday"}),  # rule_effective
        spoiled(basis=[]),  # rule_basis_empty
        spoiled(basis=["x"]),  # rule_each_mapping
        spoiled(basis=cite(page=1)),  # rule_unknown_key in basis
        spoiled(basis=cite(confidence="sure")),  # rule_one_of
        spoiled(basis=cite(verified="yes")),  # rule_basis_verified
        spoiled(basis=cite(verified=True, confidence="low")),  # rule_verified_confidence
        spoiled(basis=cite(params=[1])),  # rule_must_be_mapping
        spoiled(parameters=[1]),  # rule_must_be_mapping
        spoiled(catalogue="x"),  # rule_catalogue_shape
        spoiled(catalogue={"row": 1, "severity": "HUGE", "confidence": "sure"}),  # rule_catalogue_severity, rule_one_of
        spoiled(parameters={"n": {"type": "float", "default": 1}}),  # rule_parameter_spec
        spoiled(parameters={"n": {"type": "int", "default": "x"}}),  # rule_default_type
        spoiled(basis=cite(params={"m": 1})),  # rule_undeclared_parameter
        spoiled(parameters={"n": {"type": "int", "default": 1}}, basis=cite(params={"n": "x"})),  # rule_value_type
        spoiled(scope="world"),  # rule_one_of
        spoiled(match={}),  # rule_match_shape
        spoiled(match={"a": ["x"]}),  # rule_match_names
        spoiled(match={"a": "nothing"}),  # rule_unknown_fact_type
        spoiled(match={"param": "item"}),  # rule_alias_reserved
        spoiled(escalate={"severity": "x"}),  # rule_escalate_shape
        spoiled(mutation={"equivalent": {"m1": ""}}),  # rule_mutation_shape
        spoiled(when=""),  # rule_expression_empty
        spoiled(message={"zh": "{item.nothing}", "en": "a"}),  # rule_unknown_placeholder
        spoiled(scope=["x"]),  # rule_malformed (a shape no check foresaw)
        *(spoiled(when=when) for whens in CONDITIONS.values() for when in whens),  # rule_condition
    ]
    for v in variants:
        v["id"] = f"ZZ-K{next(n)}"
    twice = spoiled(id="ZZ-TWICE")
    return [*variants, "just text", spoiled(id="bad_id"), twice, twice]  # rule_each_mapping, rule_id_format, rule_duplicate_id


def _rulebook_copy(tmp: Path, name: str) -> Path:
    import shutil

    rules = tmp / name
    shutil.copytree(RULES, rules)
    return rules


def _load_errors(rules: Path, profile: str = "national") -> list[Any]:
    """Every LoadError of loading `rules` (which must fail); English as before the kinds."""
    from cadre_rules.errors import RulebookError
    from cadre_rules.rulebook import load_rulebook

    with pytest.raises(RulebookError) as bad:
        load_rulebook(rules, profile)
    assert bad.value.describe("en") == str(bad.value)  # English as before the kinds
    return bad.value.errors


def _layer_errors(tmp: Path) -> list[Any]:
    """Layered rulebooks (rulebook/layers.py) broken each way, and installed rulebooks that do not load."""
    import importlib

    from cadre_rules.errors import RulebookError
    from cadre_rules.rulebook.layers import resolve

    layers = importlib.import_module("cadre_rules.rulebook.layers")
    folder = tmp / "layers"
    manifests: dict[str, Any] = {
        "shape": [1],  # rule_manifest_shape
        "fields": {"id": "", "extends": "", "profile": [1], "titel": "x"},  # rule_layer_id, _extends, _profile, rule_manifest_unknown_key
        "nowhere": {"id": "nowhere", "extends": "no-such-rulebook"},  # rule_not_found
        "cycle-a": {"id": "a", "extends": "../cycle-b"}, "cycle-b": {"id": "b", "extends": "../cycle-a"},  # rule_layer_cycle
        "shapes": {"id": "shapes", "extends": "national", "overrides": [1], "disable": [1]},  # rule_overrides_shape, rule_disable_shape
        "changes": {"id": "changes", "extends": "national", "overrides": {
            "NO-SUCH-RULE": {}, "GEN-COLLECTIVE": {"sev": "x"}, "GEN-AUTHORITY": {"severity": "fatal"},
            "RPT-FILING": {"parameters": {"nope": 1, "deadline_workdays": "x"}}},
            "disable": {"NO-SUCH-RULEX": "x", "GEN-COLLECTIVE": {}, "GEN-AUTHORITY": {"reason": "r", "why": "x"},
                        "DEC-QUORUM": {"reason": "r"}}},
    }
    out: list[Any] = []
    for name, manifest in manifests.items():
        _yaml(folder / name / "rulebook.yaml", manifest)
    rule = next(r for r in _bundled_rules() if r["id"] == "GEN-COLLECTIVE")
    _yaml(folder / "shapes" / "mine.yaml", {"rules": [rule]})  # rule_base_has_rule
    for name, profile in [(n, "national") for n in manifests if n != "cycle-b"] + [("changes", "absent")]:  # rule_unknown_profile
        from cadre_rules.rulebook import load_rulebook

        with pytest.raises(RulebookError) as bad:
            load_rulebook(folder / name, profile)
        assert bad.value.describe("en") == str(bad.value)
        out += bad.value.errors

    class Installed:  # an installed rulebook's entry point
        def __init__(self, obj: Any) -> None:
            self.value, self.obj = "fake.module:rules", obj

        def load(self) -> Any:
            if isinstance(self.obj, Exception):
                raise self.obj
            return self.obj

    with pytest.MonkeyPatch.context() as m:
        m.setattr(layers, "installed_rulebooks", lambda: {"broken": Installed(ImportError("no module named fake")),
                                                          "nodir": Installed(str(folder / "absent"))})
        for name in ("broken", "nodir"):  # rule_installed_broken, rule_installed_not_directory
            with pytest.raises(RulebookError) as bad:
                resolve(name)
            out += bad.value.errors
    return out


@dataclasses.dataclass(frozen=True)
class _Odd:
    """A node no condition parses to (only a bug could hand it to the type checker)."""

    col: int = 0


def _bundled_rules() -> list[dict[str, Any]]:
    import yaml

    return [r for f in sorted((RULES / "national").glob("*.yaml"))
            for r in yaml.safe_load(f.read_text(encoding="utf-8"))["rules"]]


def _spoil_yaml(path: Path, spoil: Spoil) -> None:
    """Rewrite a YAML file of a rulebook copy with `spoil` applied to its data."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    spoil(data)
    _yaml(path, data)


def _spoil_supervision(rules: Path) -> None:
    """The legend (sources, open questions), accountability and the two reviews' thresholds, broken
    each way (rulebook/legend.py, supervision.py); the profile `zz` sets review thresholds wrongly."""
    def sources(d: dict[str, Any]) -> None:
        d["sources"] += [{"id": "X1", "title": "t", "where": "w"},  # rule_source_id
                         copy.deepcopy(d["sources"][0]),  # rule_duplicate_source
                         {"id": "S900"},  # rule_source_fields
                         {"title": "t"}]  # rule_entry_needs_id

    def questions(d: dict[str, Any]) -> None:
        d["open_questions"] += [{"id": "Q1", "question": "q", "assumes": "a"},  # rule_question_id
                                {"id": "O900"}]  # rule_question_fields

    def accountability(d: dict[str, Any]) -> None:
        d["titel"] = 1  # rule_unknown_key
        d["before_first"] = {"zh": "甲"}  # rule_needs_texts
        d["instruments"][0]["page"] = 1  # rule_unknown_key (in an instrument)
        d["instruments"].append({"edition": "2099"})  # rule_unknown_edition
        d["roles"]["committee"]["2099-x"] = {}  # rule_not_instrument
        d["roles"]["deputy_leader"]["2010-supervision"] = "x"  # rule_citation_shape
        d["roles"]["nobody"] = {}  # rule_unknown_role
        d["rules"]["NO-SUCH-RULE"] = ["committee"]  # rule_unknown_rule_id
        d["rules"]["DEC-PASS"] = []  # rule_roles_list
        d["stages"]["nowhere"] = ["committee"]  # rule_unknown_stage_name

    def reviews(d: dict[str, Any]) -> None:
        first = d["thresholds"][0]

        def t(tid: str, **changes: Any) -> dict[str, Any]:
            return {**copy.deepcopy(first), "id": tid, **changes}

        figure = first["figure"]
        d["thresholds"] += [
            "x",  # rule_threshold_shape
            copy.deepcopy(first),  # rule_duplicate_threshold
            t("T1", form="x"),  # rule_one_of
            t("T2", measure="x"),  # rule_measure
            t("T3", below="1/2"),  # rule_threshold_bound
            t("T4", above="2"),  # rule_fraction
            t("T5", title={"zh": "甲"}),  # rule_threshold_texts
            t("T6", figure={**figure, "zz": 1}),  # rule_unknown_key (in figure)
            t("T7", figure={**figure, "kind": "x"}),  # rule_one_of
            t("T8", figure={**figure, "confidence": "sure"}),  # rule_one_of
            t("T9", figure={"kind": "local"}),  # rule_local_figure_read
            t("T10", figure={"kind": "instrument", "confidence": "high"}, basis=first["basis"][1:]),  # rule_instrument_figure
            t("T11", figure={"kind": "instrument", "confidence": "high"}, basis=first["basis"][:1]),
        ]

    _spoil_yaml(rules / "sources.yaml", sources)
    _spoil_yaml(rules / "open-questions.yaml", questions)
    _spoil_yaml(rules / "accountability.yaml", accountability)
    _spoil_yaml(rules / "reviews.yaml", reviews)
    _spoil_yaml(rules / "profiles" / "zz.yaml", lambda d: d.update(review_thresholds={  # rule_unknown_threshold,
        "NO-SUCH-THRESHOLD": "1/3", "REV-WORK-DISSATISFIED": "2", "T11": "1/2"}))  # rule_fraction, rule_threshold_not_local


def _rulebook_errors(tmp: Path) -> list[tuple[str, InputError]]:
    """The rulebook kinds (rulebook/loader.py, layers.py, __init__.py, stages.py, legend.py,
    supervision.py) and the condition language's (expr.py, typecheck.py, each inside a rule_condition):
    copies of the bundled rules broken each way (rule files, editions, workflow, sources and open
    questions, accountability, review thresholds, profiles), layered and installed rulebooks broken
    each way, conditions that do not parse or type-check."""
    from cadre_rules.errors import Problem
    from cadre_rules.rulebook.expr import ParseError
    from cadre_rules.rulebook.typecheck import TypeChecker

    rules = _rulebook_copy(tmp, "rules")
    national = rules / "national"
    (national / "zz-broken.yaml").write_text("rules: [\n", encoding="utf-8")  # rule_invalid_yaml
    (national / "zz-key.yaml").write_text("? [1]\n: 2\n", encoding="utf-8")  # rule_invalid_yaml (a list as a key)
    (national / "zz-list.yaml").write_text("- 1\n", encoding="utf-8")  # rule_file_not_rules
    (national / "zz-latin1.yaml").write_bytes(b"rules: [] # \xff\n")  # rule_cannot_read
    (national / "zz-alias.yaml").write_text("a: &a [1]\nb: *a\n", encoding="utf-8")  # rule_yaml_alias
    (national / "zz-deep.yaml").write_text("a: " + "[" * 40 + "]" * 40 + "\n", encoding="utf-8")  # rule_yaml_too_deep
    (national / "zz-number.yaml").write_text("a: " + "1" * 40 + "\n", encoding="utf-8")  # rule_number_too_long
    (national / "zz-large.yaml").write_text("#" * (4 * 1024 * 1024 + 1), encoding="utf-8")  # rule_file_too_large
    bundled = _bundled_rules()
    base = next(r for r in bundled if r["id"] == "GEN-VERSION")
    _yaml(national / "zz-kinds.yaml", {"rules": _rule_spoils(base, base["basis"][0])})
    editions = rules / "editions.yaml"
    _edit(editions, "sources: [S22, S23]", "sources: [S22, S999]")  # rule_unknown_source
    _edit(editions, "released by Xinhua 2002-07-23 [S22][S23]", "released by Xinhua 2002-07-23 [S22][S998]")  # a tag
    with editions.open("a", encoding="utf-8") as handle:
        handle.write('  - {id: "zz-test", document: x, from: 2000-01-01, to: someday}\n'  # rule_bad_date
                     "  - just text\n"  # rule_edition_not_mapping
                     "  - {document: x}\n"  # rule_edition_needs_id
                     '  - {id: "2019", document: x, from: 2019-01-01}\n'  # rule_duplicate_edition
                     '  - {id: "zz-title", document: x, from: 2000-01-01, title: {zh: x}}\n'  # rule_needs_zh_en
                     '  - {id: "zz-docs", document: x, from: 2000-01-01, documents: {y: {zh: y}}}\n')  # rule_document_titles
    _edit(national / "05-general.yaml", '{edition: "2019"', '{edition: "2099"')  # rule_unknown_edition
    _edit(rules / "workflow.yaml", "guards: [INS-TEAM-2]", "guards: [NO-SUCH-GUARD]")  # rule_guard_not_rule
    _yaml(rules / "profiles" / "zz.yaml", {"id": "zz", "overrides": {  # rule_names_unknown_rule, rule_unknown_parameter
        "NO-SUCH-RULE": {}, "GEN-COLECTIVE": {}, "RPT-FILING": {"parameters": {"nope": 1}}}})
    _spoil_supervision(rules)
    errors = _load_errors(rules, "zz")

    shapes = _rulebook_copy(tmp, "rules-shapes")
    (shapes / "editions.yaml").write_text("editions: 1\n", encoding="utf-8")  # rule_editions_not_list
    (shapes / "workflow.yaml").write_text("stages: 5\n", encoding="utf-8")  # rule_malformed (a file)
    errors += _load_errors(shapes, "absent")  # rule_unknown_profile
    profile = _rulebook_copy(tmp, "rules-profile")
    (profile / "profiles" / "zz.yaml").write_text("- 1\n", encoding="utf-8")  # rule_profile_shape
    (profile / "workflow.yaml").write_text("- 1\n", encoding="utf-8")  # rule_workflow_shape
    (profile / "accountability.yaml").write_text("- 1\n", encoding="utf-8")  # rule_accountability_shape
    (profile / "reviews.yaml").write_text("x: 1\n", encoding="utf-8")  # rule_reviews_shape
    (profile / "open-questions.yaml").write_text("open_questions: 1\n", encoding="utf-8")  # rule_list_file
    errors += _load_errors(profile, "zz")
    workflow = _rulebook_copy(tmp, "rules-workflow")

    def stages(d: dict[str, Any]) -> None:
        d["stages"] += [{"id": "x"}, {"id": "lonely", "zh": "孤", "en": "Lonely"},  # rule_stage_entry, rule_stage_unreachable
                        {"id": "stuck", "zh": "困", "en": "Stuck"}]  # rule_stage_dead_end
        d["transitions"] += [{"from": "motion", "to": "stuck"}, {"from": "motion", "to": "nowhere"}]  # rule_transition_stage
        d["terminal"].append("ghost")  # rule_stage_undeclared

    _spoil_yaml(workflow / "workflow.yaml", stages)
    _yaml(workflow / "profiles" / "zz.yaml", {"id": "zz", "overrides": {}, "review_thresholds": [1]})  # rule_thresholds_shape
    errors += _load_errors(workflow, "zz")
    start = _rulebook_copy(tmp, "rules-start")
    _spoil_yaml(start / "workflow.yaml", lambda d: d.update(start="ghost"))  # rule_stage_undeclared (the start)
    errors += _load_errors(start)
    missing = _rulebook_copy(tmp, "rules-missing")
    (missing / "workflow.yaml").unlink()  # rule_file_missing
    errors += _load_errors(missing)
    errors += _layer_errors(tmp)

    out = [(e.file, InputError("", e.message)) for e in errors if isinstance(e.message, Problem)]
    # a condition's own problem (ParseError.problem), shown inside rule_condition, is of a kind of its own
    out += [(e.file, InputError("", e.message.params["problem"])) for e in errors
            if isinstance(e.message, Problem) and e.message.kind == ErrorKind.rule_condition]
    with pytest.raises(ParseError) as bug:  # condition_unsupported: a node the type checker does not know (a bug)
        TypeChecker({}, {}).check(_Odd(), {})  # type: ignore[arg-type]
    assert bug.value.kind == ErrorKind.condition_unsupported
    out.append(("typecheck", InputError("", bug.value.problem)))
    return out


IMPORTS = Path(__file__).resolve().parents[2] / "examples" / "import"


def _case_workbook_errors(tmp: Path) -> list[tuple[str, InputError]]:
    """The procedure workbook's own kinds (importers/workbook.py, `import workbook`): the example rows
    with a row without a case id, a case defined twice, a row of a case or meeting not there, a second
    row of a meeting that differs and names an attendee without a role; a workbook without its cases sheet."""
    import shutil
    import sys

    from openpyxl import Workbook

    from cadre_rules.importers.layout import LAYOUT
    from cadre_rules.importers.template import write_workbook
    from cadre_rules.importers.workbook import import_workbook

    sys.path.insert(0, str(IMPORTS))
    try:
        from make_workbooks import TEMPLATE_ROWS
    finally:
        sys.path.remove(str(IMPORTS))

    def col(sheet: str, header: str) -> int:
        return [c.header for c in next(s for s in LAYOUT if s.name == sheet).columns].index(header)

    folder = tmp / "case-workbooks"
    folder.mkdir()
    shutil.copy(IMPORTS / "林海涛.lrm", folder / "林海涛.lrm")
    rows = copy.deepcopy(TEMPLATE_ROWS)
    first = rows["案例"][0]
    rows["案例"] += [[None, *first[1:]], list(first)]  # no_case_id, case_defined_twice
    meeting = next(r for r in rows["会议"] if r[0] == first[0])
    again = list(meeting)
    again[col("会议", "日期")] = "2001-01-01"  # differs_from_earlier_row
    again[col("会议", "列席人员")] = "张三"  # attendee_without_role
    rows["会议"] += [["no-case", *meeting[1:]], again]  # sheet_unknown_case
    item = list(next(r for r in rows["议题与表决"] if r[0] == first[0]))
    item[col("议题与表决", "会议编号")] = "no-meeting"  # sheet_unknown_record
    rows["议题与表决"].append(item)
    wb = Workbook()
    wb.active.title = "说明"
    wb.save(folder / "no-cases.xlsx")  # sheet_missing (the cases sheet)
    out: list[tuple[str, InputError]] = []
    for book in (write_workbook(folder / "rows.xlsx", rows), folder / "no-cases.xlsx"):
        out += [(str(book), p.input_error()) for p in import_workbook(book).problems]
    return out


RECORDS = Path(__file__).resolve().parents[2] / "examples" / "reviews"

#: kind → how to break the example two-reviews record (the first item) or team profile (the second).
RECORD_SPOILS: dict[ErrorKind, tuple[str, Spoil]] = {
    ErrorKind.record_unknown_field: ("reviews", _set("titel", "x")),
    ErrorKind.record_field_missing: ("reviews", _delete("organisation")),
    ErrorKind.present_exceeds_expected: ("reviews", _set("participants.present", 200)),
    ErrorKind.negative_group: ("reviews", _set("participants.groups.全委会成员", -1)),
    ErrorKind.groups_exceed_present: ("reviews", _set("participants.groups.全委会成员", 400)),
    ErrorKind.forms_exceed_present: ("reviews", _set("work.satisfied", 500)),
    ErrorKind.appointee_used_twice: ("reviews", _set("appointees.1.id", "A1")),
    ErrorKind.appointee_forms_exceed_present: ("reviews", _set("appointees.0.ballots.approve", 500)),
    ErrorKind.less_than_equal: ("reviews", _set("year", 2200)),
    ErrorKind.empty_team_target: ("team", _set("targets.0", {"body_kind": "standing_committee", "source": "x"})),
    ErrorKind.age_tiers_order: ("team", _set("age_tiers", [50, 40])),
    ErrorKind.greater_than: ("team", _set("targets.0.max_average_age", 10)),
    ErrorKind.less_than: ("team", _set("targets.0.max_average_age", 95)),
}


def _record_errors(tmp: Path) -> list[tuple[str, InputError]]:
    """The supervision record files' kinds (reading/records.py: `report annual --reviews
    --team-profile`): each break of the example records, and files that do not read as a record."""
    from cadre_rules.errors import RecordFileError
    from cadre_rules.model.reviews import ReviewRecord
    from cadre_rules.model.team import TeamProfile
    from cadre_rules.reading.records import MAX_BYTES, read_record
    from cadre_rules.reading.yamlmarks import safe_load

    folder = tmp / "records"
    folder.mkdir()
    examples = {"reviews": (RECORDS / "2021-中共清溪县委-两评议.yaml", ReviewRecord),
                "team": (RECORDS / "team-profile.yaml", TeamProfile)}
    inputs: list[tuple[Path, Any]] = []
    for kind, (which, spoil) in RECORD_SPOILS.items():
        example, model = examples[which]
        data = copy.deepcopy(safe_load(example.read_text(encoding="utf-8")))
        spoil(data)
        inputs.append((folder / f"{kind.value}.json", model))
        inputs[-1][0].write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    texts: dict[str, str | bytes] = {"bad.json": '{"year": ,}', "bad.yaml": "year: [2021\n", "list.yaml": "- 1\n",
                                     "latin1.yaml": b"organisation: \xff\n", "big.yaml": "#" * (MAX_BYTES + 1)}
    for name, text in texts.items():
        (folder / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        inputs.append((folder / name, ReviewRecord))
    inputs.append((folder / "absent.yaml", ReviewRecord))  # cannot_read
    out: list[tuple[str, InputError]] = []
    for path, model in inputs:
        with pytest.raises(RecordFileError) as bad:
            read_record(path, model)
        assert bad.value.describe("en") == str(bad.value)  # English as before the kinds
        out += [(str(path), e) for e in bad.value.errors]
    out += _other_year_errors(examples["reviews"][0])
    return out


def _other_year_errors(reviews_file: Path) -> list[tuple[str, InputError]]:
    """A two-reviews or spot-check record of another year or organisation (`report annual`); a spot-check
    record of another shape."""
    from cadre_rules.model.reviews import ReviewRecord
    from cadre_rules.reading.records import read_record
    from cadre_rules.report.annual import build_annual_report
    from cadre_rules.rulebook import load_rulebook

    rulebook = load_rulebook()
    reviews = read_record(reviews_file, ReviewRecord)
    out: list[tuple[str, InputError]] = []
    for extra in ({"reviews": reviews}, {"spotcheck": {"year": 2020, "organisation": reviews.organisation}},
                  {"spotcheck": [{"key": "x"}]}):  # spotcheck_record_shape: a roster list given as the record
        with pytest.raises(ValueError) as bad:
            build_annual_report([], reviews.year + 1, reviews.organisation, rulebook, **extra)
        out.append((str(reviews_file), InputError("", bad.value.args[0])))
    return out


def _template_errors(tmp: Path) -> list[tuple[str, InputError]]:
    """The report templates' kinds: broken HTML page templates and letterheads (`audit --html-template`,
    `--letterhead`), a Word template that is no .docx or lacks the report's styles."""
    from docx import Document

    from cadre_rules.errors import TemplateError
    from cadre_rules.report.html import load_template
    from cadre_rules.report.official import OfficialDocument

    folder = tmp / "templates"
    folder.mkdir()
    pages = {"dollar.html": "<p>5$</p>$cases", "placeholder.html": "$titel $cases", "none.html": "<p>$title</p>"}
    calls: list[tuple[str, Callable[[], Any]]] = []
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
        calls.append((name, lambda name=name: load_template(str(folder / name))))
    (folder / "head.html").write_bytes(b"<p>\xff</p>")
    calls += [("absent.html", lambda: load_template(str(folder / "absent.html"))),
              ("head.html", lambda: load_template(None, str(folder / "head.html")))]
    (folder / "fake.docx").write_text("not a zip", encoding="utf-8")
    Document().save(str(folder / "plain.docx"))  # python-docx's own template: no Note, no Table Text
    calls += [(name, lambda name=name: OfficialDocument(folder / name)) for name in ("fake.docx", "plain.docx")]
    out: list[tuple[str, InputError]] = []
    for name, call in calls:
        with pytest.raises(TemplateError) as bad:
            call()
        assert bad.value.describe("en") == str(bad.value) and bad.value.problem is not None, name
        out.append((str(folder / name), InputError("", bad.value.problem)))
    return out


WAIVERS = """\
- case: a
  rule: DEC-QUORUM
  reason: y
  expires: 2024-13-01
  note: z
- case: a
  rule: NO-SUCH-RULE
  approver: x
  reason: y
  expires: 2025-01-01
- case: [a]
  rule: DEC-QUORUM
  approver: x
  reason: y
  expires: 2025-01-01
- case: b
  rule: DEC-QUORUM
  approver: x
  reason: y
  expires: 2025-01-01
- case: b
  rule: DEC-QUORUM
  approver: x
  reason: y
  expires: 2025-02-01
- just text
"""


def _waiver_errors(tmp: Path) -> list[tuple[str, InputError]]:
    """The waiver file's kinds: every problem of a broken waiver file, a file that is no list, a
    waiver whose case was not audited."""
    from cadre_rules.audit.waivers import load_waivers
    from cadre_rules.errors import WaiverError

    folder = tmp / "waivers"
    folder.mkdir()
    files = {"broken.yaml": WAIVERS, "mapping.yaml": "case: a\n", "bad.yaml": "- [\n"}
    out: list[tuple[str, InputError]] = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        with pytest.raises(WaiverError) as bad:
            load_waivers(folder / name, ["DEC-QUORUM"])
        out += [(place, InputError("", message)) for place, message in bad.value.placed]
    (folder / "good.yaml").write_text("- {case: a, rule: DEC-QUORUM, approver: x, reason: y, expires: 2025-01-01}\n")
    good = load_waivers(folder / "good.yaml", ["DEC-QUORUM"])
    out += [(place, InputError("", problem)) for place, problem in good.unknown_case_problems(set())]
    return out


def _mapping_errors(tmp: Path) -> list[tuple[str, InputError]]:
    """The workbook mapping file's kinds (`import workbook --mapping`): one broken mapping for each."""
    from cadre_rules.errors import MappingError
    from cadre_rules.importers.mapping import load_mapping, parse_mapping

    folder = tmp / "mappings"
    folder.mkdir()
    (folder / "bad.yaml").write_text("sheets: [\n", encoding="utf-8")
    calls: list[Callable[[], Any]] = [lambda: load_mapping(folder / "absent.yaml"), lambda: load_mapping(folder / "bad.yaml")]
    calls += [lambda data=data: parse_mapping(data, "m.yaml") for data in (
        [1], {"colums": {}}, {"header_row": 0}, {"sheets": {"会议": 5}}, {"sheets": {"会义": "x"}},
        {"columns": {"会议": "x"}}, {"columns": {"会议": {"日子": "x"}}}, {"codes": {"outcom": {}}},
        {"codes": {"outcome": "x"}}, {"codes": {"outcome": {"passed": ["同意"]}}}, {"dates": "x"}, {"dates": ["%Q"]},
        {"sheets": ["会议记录"]})]
    out: list[tuple[str, InputError]] = []
    for call in calls:
        with pytest.raises(MappingError) as bad:
            call()
        assert str(bad.value) == bad.value.describe("en")
        assert not english_words(bad.value.describe("zh")), bad.value.describe("zh")
        out.append((bad.value.source, InputError("", bad.value.problem)))
    return out


def _left_out_errors(tmp: Path, baseline: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, InputError]]:
    """The lines of a report that counts cases for the inputs it leaves out (`report annual`,
    `report departure`): a file that does not read, a case that does not validate, a case the engine
    failed on."""
    from cadre_rules.audit.auditor import Auditor
    from cadre_rules.audit.batch import valid_cases
    from cadre_rules.reading.cases import read_cases
    from cadre_rules.report.annual import build_annual_report
    from cadre_rules.rulebook import load_rulebook

    folder = tmp / "left-out"
    folder.mkdir()
    (folder / "a-unreadable.json").write_text("{", encoding="utf-8")
    (folder / "b-invalid.json").write_text(json.dumps({**baseline, "meetings": "x"}, ensure_ascii=False, default=str),
                                           encoding="utf-8")
    skipped: list[str] = []
    assert list(valid_cases(read_cases([folder]), skipped)) == []
    good = folder / "c-good.json"
    good.write_text(json.dumps(baseline, ensure_ascii=False, default=str), encoding="utf-8")
    case = next(valid_cases(read_cases([good]), []))

    def broken(*_: Any, **__: Any) -> Any:
        raise KeyError("a bug")

    with monkeypatch.context() as m:
        m.setattr(Auditor, "judge", broken)
        year = int(str(case.meetings[0].date)[:4])
        report = build_annual_report(read_cases([good]), year, case.organisation, load_rulebook())
    return [(str(folder), InputError("", line)) for line in skipped + report.skipped]


def _judged_errors(tmp: Path, baseline: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, InputError]]:
    """internal_error and internal_error_judging: a bug met while reading, and while judging, one case."""
    import importlib

    from cadre_rules.audit.batch import BatchOptions, CaseJudge
    from cadre_rules.reading.cases import iter_units

    batch = importlib.import_module("cadre_rules.audit.batch")  # `cadre_rules.audit` is also a function

    good = tmp / "good.json"
    good.write_text(json.dumps(baseline, ensure_ascii=False, default=str), encoding="utf-8")
    judge = CaseJudge(BatchOptions())
    out: list[tuple[str, InputError]] = []
    try:
        def broken(*_: Any, **__: Any) -> Any:
            raise KeyError("a bug")

        with monkeypatch.context() as m:
            m.setattr(batch, "parse_unit", broken)
            (unit,) = iter_units([good])
            out += [(unit.source, e) for e in judge.judge_unit(unit).result.errors]
        with monkeypatch.context() as m:
            m.setattr(judge.auditor, "judge", broken)
            (unit,) = iter_units([good])
            out += [(unit.source, e) for e in judge.judge_unit(unit).result.errors]
    finally:
        judge.close()
    return out


def _holiday_errors(tmp: Path) -> list[tuple[str, InputError]]:
    """The holiday files' kinds (`--holidays`, docs/holidays.md): one file with a problem of each kind
    in its entries, and files that do not read, are no YAML or lack `years:`."""
    from cadre_rules.errors import HolidayDataError
    from cadre_rules.facts.calendar import load_holiday_files

    folder = tmp / "holidays"
    folder.mkdir()
    files = {
        "entries.yaml": "years:\n  - year: 2027\n    extra: 1\n    holidays: [2027-01-01, 2028-01-01, nope]\n"
                        "    workdays: [2027-02-15, 2027-01-01]\n  - year: 2026\n  - year: [2027]\n  - 5\n"
                        "  - {year: 2030, notice: x, holidays: 1}\n  - {year: 2029, notice: x}\n  - {year: 2029, notice: y}\n",
        "syntax.yaml": "years: [\n", "shape.yaml": "a: 1\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "latin1.yaml").write_bytes(b"years: [\xff]\n")
    with pytest.raises(HolidayDataError) as bad:
        load_holiday_files([folder / name for name in [*files, "latin1.yaml", "absent.yaml"]])
    assert bad.value.describe("en") == str(bad.value)
    return [(place, e) for place, e in bad.value.problems]


def _journal_errors(tmp: Path) -> list[tuple[str, InputError]]:
    """The journals that do not open (`journal rejudge --lang`): missing, no database, another
    database (created over, opened read-only), an unknown format, an unreadable `jcs_from`."""
    import sqlite3

    from cadre_rules.errors import JournalUnreadable
    from cadre_rules.live.journal import Journal

    folder = tmp / "journals"
    folder.mkdir()
    (folder / "text.journal").write_text("not a database", encoding="utf-8")
    other = folder / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (x)")
    for name, value in (("format.journal", ("format", "cadre-rules-journal/9")), ("jcs.journal", ("jcs_from", "x"))):
        Journal(str(folder / name)).close()
        with sqlite3.connect(folder / name) as conn:
            conn.execute("UPDATE meta SET value = ? WHERE key = ?", (value[1], value[0]))
    out: list[tuple[str, InputError]] = []
    for path, create in ((folder / "absent.journal", False), (folder / "text.journal", False), (other, True),
                         (other, False), (folder / "format.journal", False), (folder / "jcs.journal", False)):
        with pytest.raises(JournalUnreadable) as bad:
            Journal(str(path), create=create, readonly=not create)
        assert bad.value.describe("en") == str(bad.value)
        out.append((str(path), InputError("", bad.value.problem)))
    return out


def _stdin_errors() -> list[tuple[str, InputError]]:
    """stdin_not_json_lines: a YAML case piped to `audit -`."""
    import io

    from cadre_rules.reading.cases import iter_units

    (unit,) = iter_units(["-"], stdin=io.BytesIO("id: x\ntitle: 县财政局局长\n".encode("utf-8")))
    return [(unit.source, InputError("", unit.error, unit.line))]


def _expectation_errors(rulebook: Any) -> list[tuple[str, InputError]]:
    """`meta.expected` that `cadre-rules test` cannot use: not the three verdicts, not a list, an unknown rule."""
    from cadre_rules.audit.expectations import expected_findings

    out: list[tuple[str, InputError]] = []
    for expected in ([1], {"violated": 5, "pending": [], "unknown": []},
                     {"violated": ["DEC-QUORM"], "pending": [], "unknown": []}):
        _, problems = expected_findings({"meta": {"expected": expected}}, rulebook.ids)
        out += [("expected.yaml", e) for e in problems]
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, _baseline_data: dict[str, Any],
           rulebook: Any) -> tuple[Path, dict[str, ErrorKind], list[tuple[str, InputError]]]:
    tmp = tmp_path_factory.mktemp("kinds")
    made = _write_corpus(tmp, _baseline_data)
    monkeypatch = pytest.MonkeyPatch()
    try:
        found = (_errors_of([tmp / "cases"]) + _special(tmp, monkeypatch) + _judged_errors(tmp, _baseline_data, monkeypatch)
                 + _left_out_errors(tmp, _baseline_data, monkeypatch) + _mapping_errors(tmp)
                 + _register_errors(tmp, rulebook) + _register_workbook_errors(tmp) + _case_workbook_errors(tmp) + _rulebook_errors(tmp) + _record_errors(tmp) + _template_errors(tmp)
                 + _waiver_errors(tmp) + _holiday_errors(tmp) + _expectation_errors(rulebook)
                 + _stdin_errors() + _journal_errors(tmp))
    finally:
        monkeypatch.undo()
    return tmp / "cases", made, found


# ---- the tests -----------------------------------------------------------------------------------

def test_the_word_check_can_fail() -> None:
    assert english_words('未知字段 unknown（是否应为 "title"？）') == ["unknown"]
    assert english_words("应为整数（实际为 'x'）") == []
    assert english_words("第1次会议的chair") == ["chair"]
    assert english_words('meetings[0].chair: 未知的班子成员 "m99"') == []
    assert field_paths("第1次公示的起止日期 publicity[0].start/end，item.date") == ["publicity[0].start/end", "item.date"]


def test_every_kind_has_a_triggering_input(corpus) -> None:
    _, made, found = corpus
    kinds = {e.kind for _, e in found}
    assert not set(ErrorKind) - kinds, f"no broken input triggers {sorted(set(ErrorKind) - kinds)}"
    by_file = {Path(source).name: {e.kind for s, e in found if s == source} for source, _ in found}
    for name, kind in made.items():
        assert kind in by_file.get(name, set()), f"{name} was made for {kind} but gave {by_file.get(name)}"
    assert all(kind in MESSAGES for kind in ErrorKind)  # every kind has its messages


def test_chinese_text_has_no_english_word(corpus) -> None:
    _, _, found = corpus
    bad = [(source, e.kind, e.text("zh")) for source, e in found if english_words(e.text("zh"))]
    assert not bad, "\n".join(f"{s}: {k}: {t}" for s, k, t in bad)


def test_english_text_is_the_recorded_message(corpus) -> None:
    """--lang en shows the message as recorded; for the kinds with an English template, the recorded
    message is that template's text (one table for both languages)."""
    _, _, found = corpus
    for _, e in found:
        assert e.text("en") == e.message
        template = e.template or e.kind
        if isinstance(template, ErrorKind) and MESSAGES[template][1] is not None:
            prefix = "Value error, " if e.message.startswith("Value error, ") else ""
            got = f" (got {e.params['got']})" if e.params and "got" in e.params else ""
            at = f"{e.at.en}: " if e.at is not None else ""
            assert e.message == at + prefix + render(template, {k: v for k, v in (e.params or {}).items() if k != "got"}, "en") + got


def test_the_command_line_says_it_in_the_report_language(corpus) -> None:
    """audit over the corpus: every problem line on standard error is Chinese under the default
    --lang zh; under --lang en each is the JSON report's English message; the JSON carries the kind."""
    cases, made, _ = corpus
    zh = CliRunner().invoke(main, ["audit", str(cases), "--format", "json"])
    en = CliRunner().invoke(main, ["audit", str(cases), "--format", "json", "--lang", "en"])
    assert zh.exit_code == en.exit_code == 2
    report = json.loads(en.stdout)
    assert json.loads(zh.stdout)["cases"] == report["cases"]  # the JSON report does not follow --lang
    errors = [e for c in report["cases"] for e in c["errors"]]
    assert {Path(c["source"]).name for c in report["cases"]} == set(made)
    assert all(e["kind"] in set(ErrorKind) for e in errors)
    lines = [ln for ln in zh.stderr.splitlines() if str(cases) in ln]
    assert len(lines) == len(errors)
    for line in lines:
        message = line.rsplit(": ", 1)[1]  # source:line:column: 案例 id：path: message (zh uses full-width colons)
        assert not english_words(message), line
    for e in errors:
        assert f": {e['message']}" in en.stderr


def test_rulebook_errors_follow_lang_on_the_command_line(tmp_path: Path) -> None:
    """`rules check` (and every command that loads a rulebook: `rules list`, `test`, …) says a broken
    rulebook's errors in Chinese by default and, under --lang en, exactly as they always were."""
    rules = _rulebook_copy(tmp_path, "rules")
    general = rules / "national" / "05-general.yaml"
    _edit(general, 'when: item.kind in ["decision", "reconsideration", "full_committee"]', "when: item.date == 1")  # condition_cannot_compare
    _edit(general, "  - id: GEN-AUTHORITY\n    stage: decision\n    severity: violation",
          "  - id: GEN-AUTHORITY\n    stage: decision\n    severity: fatal")  # rule_one_of
    english = ["rules/national/05-general.yaml:12: GEN-VERSION: when: cannot compare date with int "
               "(column 11: 'item.date == 1')",
               "rules/national/05-general.yaml:47: GEN-AUTHORITY: severity must be one of violation, warning, info"]
    chinese = ["rules/national/05-general.yaml:12: GEN-VERSION: `when`：不能比较日期与整数（第 11 列：'item.date == 1'）",
               "rules/national/05-general.yaml:47: GEN-AUTHORITY: `severity` 应为以下之一：`violation, warning, info`"]
    zh = CliRunner().invoke(main, ["rules", "check", str(rules)])
    en = CliRunner().invoke(main, ["rules", "check", str(rules), "--lang", "en"])
    assert zh.exit_code == en.exit_code == 1
    assert en.stderr.splitlines() == english
    assert zh.stderr.splitlines() == chinese
    for line in zh.stderr.splitlines():
        assert not english_words(line.split(": ", 2)[2]), line
    listed = CliRunner().invoke(main, ["rules", "list", "--rules", str(rules)])
    assert listed.exit_code == 2 and listed.stderr.splitlines() == ["规则库有误:", *chinese]
    listed = CliRunner().invoke(main, ["rules", "list", "--rules", str(rules), "--lang", "en"])
    assert listed.exit_code == 2 and listed.stderr.splitlines() == ["rulebook error:", *english]
    tested = CliRunner().invoke(main, ["test", str(tmp_path), "--rules", str(rules)])
    assert tested.exit_code == 2 and tested.stderr.splitlines() == ["规则库有误:", *chinese]
