"""The fast validation paths give exactly what the plain ones give.

- `validate_case_json(text)` reads the text as `cadre-rules audit` reads a `.json` file (`load_case`):
  same Case, or the same CaseValidationError (paths, messages, kinds, lines and columns). It was
  `validate_case(json.loads(text))` with a pydantic-core shortcut, and so raised RecursionError for
  deep nesting and ValueError for an integer beyond Python's int-string limit, and kept the last of
  two repeated keys (a value lost without a word), where the audit refuses all three (found by review).
- `integrity_problems` (one pass over id sets) names every broken reference and impossible date, in
  record order: the order is part of the contract, since error reports list problems as yielded.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from cadre_rules.reading.cases import CaseValidationError, load_case, validate_case, validate_case_json
from cadre_rules.model import Case, integrity_problems
from cadre_rules.testing.synth import generate


def broken_references(d: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Variants of a valid case aimed at every integrity check (several problems at once, too)."""
    def variant(change) -> Iterator[dict[str, Any]]:
        m = copy.deepcopy(d)
        try:
            change(m)
        except (KeyError, IndexError):
            return
        yield m

    members = [x["id"] for x in d["body"]["members"]]
    cand = d["candidates"][0]["id"]

    def everything(m: dict[str, Any]) -> None:
        m["status"] = "open"
        m.pop("as_of", None)
        m["candidates"].append({**copy.deepcopy(m["candidates"][0])})
        m["body"]["members"].append(copy.deepcopy(m["body"]["members"][0]))
        m["nominations"] = [{"nominator": "x", "candidate": "zz", "signed": True}]
        m["recommendation_exemption"] = "pr-zz"
        m["prior_reports"] = [{"id": "p", "matter": "other", "submitted": "2020-01-05", "reply_date": "2020-01-01"}]
        m["colleagues"] = [{"id": "col", "name": "n", "post": "p"}]
        m["relations"] = [{"person": "col", "relative": "zz", "kind": "spouse"}, {"person": "yy", "relative": cand, "kind": "other"}]
        m["leader_departure"] = {"leader": "zz", "decided": "2020-02-02", "left": "2020-01-01"}
        m["candidates"][0]["sanctions"] = [{"system": "party", "type": "warning", "decision_date": "2010-01-01"},
                                           {"system": "party", "type": "odd", "decision_date": "2010-01-01"}]
        meeting = m["meetings"][0]
        meeting["members_due"] = [*meeting["members_due"], "zz", meeting["members_due"][0]]
        gone = meeting["attendees"].pop(0)
        meeting["attendees"].append("zz-att")
        meeting["chair"] = "zz"
        item = meeting["agenda"][0]
        item.update(presenter="zz", departed=[members[0], "zz1"], recused=["zz2"], candidate="zz-c",
                    vote={"agree": 40, "disagree": 1}, outcome="adopted")
        item["statements"] = [{"member": gone, "order": 1, "view": "agree"}, {"member": "zz-att", "order": 2, "view": "agree"},
                              *item.get("statements", [])]
        meeting["agenda"].append(copy.deepcopy(meeting["agenda"][0]))
        for n in m["appointments"]:
            n["date"] = "2000-01-01"
        for f in m["filings"]:
            f["date"] = "1999-01-01"
        m["publicity"][0]["objections"] = [{"received": "2020-05-05", "resolved": "2020-05-01"}]
        m["publicity"][0]["end"] = "1990-01-01"
        m["inspections"][0]["completed"] = "1990-01-01"
        m["candidates"][0]["work_start_date"] = "1900-01-01"

    yield from variant(everything)
    yield from variant(lambda m: m["meetings"][0]["agenda"][0]["statements"].append(
        {"member": "ghost", "order": 99, "view": "agree"}))
    yield from variant(lambda m: m["meetings"][0].update(kind="secretaries") or
                       [n.update(date="2000-01-01") for n in m["appointments"]])
    yield from variant(lambda m: m["meetings"][0].update(kind="reconsideration") or
                       [n.update(date="2000-01-01") for n in m["appointments"]])
    yield from variant(lambda m: m["candidates"][0].update(id=" " + cand + " "))


def json_texts(d: dict[str, Any]) -> Iterator[str | bytes]:
    line = json.dumps(d, ensure_ascii=False, default=str)
    yield line
    yield line.encode("utf-8")
    yield line[:-1] + ', "id": "last-wins"}'
    yield line[:-1] + ', "meta": {"nan": NaN, "inf": -Infinity, "big": 123456789012345678901234567890, "f": 0.1}}'
    yield line[:-1] + ', "title": "\\ud800"}'  # a lone surrogate: json.loads takes it, pydantic-core does not
    yield line[:-1] + ', "batch_size": 2.0, "change_of_term": "yes", "as_of": "2021-01-01T00:00:00"}'
    yield line[:-1] + ', "batch_size": 2.5}'
    yield line[:-1] + ', "as_of": "2021-02-30"}'
    yield line[:-1] + ', "bogus": 1}'
    yield line.replace('"move": "', '"move": "x', 1)
    yield line + " trailing"
    yield "\ufeff" + line
    yield line[: len(line) // 2]
    yield "[]"
    yield "null"


def outcome(fn) -> Any:
    """What a reading gives: the case, or its errors with their places (never another exception)."""
    try:
        case = fn()
    except CaseValidationError as exc:
        return ("invalid", [e.to_dict() for e in exc.errors], exc.case_id)
    return ("ok", repr(case), case.model_dump(mode="json"), sorted(case.model_fields_set), type(case))


def read_as_a_file(text: str | bytes, folder: Path) -> Any:
    """The outcome of `load_case` on the text written to a `.json` file: the audit's reading."""
    path = folder / "case.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return outcome(lambda: load_case(path))


@pytest.fixture(scope="module")
def samples(_baseline_data) -> list[dict[str, Any]]:
    return [_baseline_data, *generate(25, 11, 0.3)]


EVERYTHING_BROKEN = [
    ("body.members[11].id", 'duplicate id "m01"'),
    ("candidates[1].id", 'duplicate id "c1"'),
    ("meetings[0].agenda[1].id", 'duplicate id "a1"'),
    ("as_of", "an open case needs the date its record is complete to (as_of)"),
    ("nominations[0].candidate", 'unknown candidate "zz"'),
    ("recommendation_exemption", 'unknown prior report "pr-zz"'),
    ("relations[0].relative", 'unknown person "zz"'),
    ("relations[1].person", 'unknown person "yy"'),
    ("inspections[0].completed", "1990-01-01 is before the inspection start 2021-03-22"),
    ("meetings[0].members_due[11]", 'unknown member "zz"'),
    ("meetings[0].attendees[8]", 'unknown member "zz-att"'),
    ("meetings[0].chair", 'unknown member "zz"'),
    *[problem for a in (0, 1) for problem in [
        (f"meetings[0].agenda[{a}].candidate", 'unknown candidate "zz-c"'),
        (f"meetings[0].agenda[{a}].presenter", 'unknown member "zz"'),
        (f"meetings[0].agenda[{a}].departed[1]", 'unknown member "zz1"'),
        (f"meetings[0].agenda[{a}].recused[0]", 'unknown member "zz2"'),
        (f"meetings[0].agenda[{a}].statements[0].member", '"m01" speaks but is not among the attendees'),
        (f"meetings[0].agenda[{a}].statements[1].member", 'unknown member "zz-att"'),
        (f"meetings[0].agenda[{a}].statements[10].member", '"m01" speaks but is not among the attendees'),
        (f"meetings[0].agenda[{a}].vote", "41 votes cast but only 12 members are due"),
    ]],
    ("publicity[0].end", "1990-01-01 is before the publicity start 2021-04-19"),
    ("publicity[0].objections[0].resolved", "2020-05-01 is before it was received (2020-05-05)"),
    ("filings[0].date", "filing 1999-01-01 is before the appointment notice of 2000-01-01"),
    ("prior_reports[0].reply_date", "2020-01-01 is before the report was submitted (2020-01-05)"),
    ("leader_departure.leader", 'unknown member "zz"'),
    ("leader_departure.left", "2020-01-01 is before the departure was decided (2020-02-02)"),
    ("candidates[0].sanctions[1].type", 'no known influence period for party "odd": record period_months'),
    ("candidates[0].work_start_date", "1900-01-01 is before the birth date 1980-05-12"),
]


def test_integrity_problems_name_every_broken_record_in_order(_baseline_data):
    everything = next(broken_references(_baseline_data))
    assert list(integrity_problems(Case.model_validate(everything, context={"defer_integrity": True}))) \
        == EVERYTHING_BROKEN
    assert not list(integrity_problems(Case.model_validate(_baseline_data, context={"defer_integrity": True})))


def test_validate_case_json_reads_the_text_as_the_audit_reads_a_json_file(samples, tmp_path):
    for d in samples:
        variants = [d, *broken_references(d)]
        m = copy.deepcopy(d)
        m["candidates"][0]["name"] = 12345  # a personal field: its value never shows in the message
        variants.append(m)
        for data in variants:
            for text in json_texts(data) if data is d else [json.dumps(data, ensure_ascii=False, default=str)]:
                assert outcome(lambda: validate_case_json(text)) == read_as_a_file(text, tmp_path), text[:80]


def hostile_texts(d: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(the kind of error the audit's reader gives, a text) of what it refuses before validating."""
    line = json.dumps(d, ensure_ascii=False, default=str)
    yield "nesting_over_limit", line[:-1] + ', "meta": ' + "[" * 5000 + "]" * 5000 + "}"  # was RecursionError
    yield "nesting_over_limit", line[:-1] + ', "meta": ' + "[" * 100 + "]" * 100 + "}"  # was accepted
    yield "number_over_limit", line[:-1] + ', "meta": {"n": ' + "9" * 5000 + "}}"  # was ValueError (int limit)
    yield "number_over_limit", line[:-1] + ', "meta": {"n": -' + "9" * 31 + "}}"  # was accepted
    yield "duplicate_key", line[:-1] + ', "title": "another title"}'  # the first title was lost
    assert '"chair": ' in line
    yield "duplicate_key", line.replace('"chair": ', '"chair": "m02", "chair": ', 1)  # inside a meeting
    yield "duplicate_key", line[:-1] + ', "meta": {"a": 1, "a": 2}}'  # in free-form data too
    yield "string_over_limit", line[:-1] + ', "meta": {"note": "' + "x" * 100_001 + '"}}'
    yield "lone_surrogate", line[:-1] + ', "meta": {"note": "\\udc00"}}'
    yield "invalid_json", line[:-2]


def test_hostile_text_is_refused_as_the_audit_refuses_it(_baseline_data, tmp_path):
    for kind, text in hostile_texts(_baseline_data):
        with pytest.raises(CaseValidationError) as info:
            validate_case_json(text)
        (error,) = info.value.errors
        assert error.kind == kind, (kind, error)
        assert error.line == 1 and error.column is not None, error  # the position in the text
        assert outcome(lambda: validate_case_json(text)) == read_as_a_file(text, tmp_path)
        assert outcome(lambda: validate_case_json(text.encode("utf-8"))) == read_as_a_file(text, tmp_path)


def test_malformed_json_is_still_a_json_decode_error(_baseline_data):
    """Documented before as `json.JSONDecodeError`: it stays one (and is a CaseValidationError now, as the
    reader reports it), so that code catching either keeps working."""
    text = json.dumps(_baseline_data, ensure_ascii=False, default=str)[:-2]
    with pytest.raises(json.JSONDecodeError) as info:
        validate_case_json(text)
    with pytest.raises(json.JSONDecodeError) as plain:
        json.loads(text)
    assert isinstance(info.value, CaseValidationError)
    assert (info.value.msg, info.value.pos, info.value.lineno, info.value.colno) == \
        (plain.value.msg, plain.value.pos, plain.value.lineno, plain.value.colno)
    (error,) = info.value.errors
    assert (error.kind, error.line, error.column) == ("invalid_json", plain.value.lineno, plain.value.colno)


def test_text_that_is_not_utf8_is_named_by_its_place(_baseline_data, tmp_path):
    raw = json.dumps(_baseline_data, ensure_ascii=False, default=str).encode("utf-8")[:-1] + b', "title": "\xff"}'
    with pytest.raises(CaseValidationError) as info:
        validate_case_json(raw)
    assert info.value.errors[0].kind == "not_utf8"
    assert outcome(lambda: validate_case_json(raw)) == read_as_a_file(raw, tmp_path)


def test_validate_case_json_takes_text_only():
    with pytest.raises(TypeError, match="validate_case"):
        validate_case_json({"id": "x"})  # type: ignore[arg-type]


def test_validate_case_json_reports_personal_fields_without_their_value(_baseline_data):
    data = copy.deepcopy(_baseline_data)
    data["candidates"][0]["birth_date"] = "1980-02-30"
    with pytest.raises(CaseValidationError) as info:
        validate_case_json(json.dumps(data, ensure_ascii=False, default=str))
    (error,) = info.value.errors
    assert error.path == "candidates[0].birth_date" and "1980-02-30" not in error.message
