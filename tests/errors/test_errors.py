"""One error hierarchy: every public error is a CadreRulesError, exported, and defined in one place."""
from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

import cadre_rules
from cadre_rules import errors

PACKAGE = Path(cadre_rules.__file__).parent
# Control-flow exceptions that never reach a caller (each caught where it is raised; see errors.py).
PRIVATE = {"Unsupported", "InvalidFacts", "EngineFailure", "WorkerDied", "Redraw",
           "Refused", "UnknownCase", "CaseExists",  # the decision service's, answered as HTTP errors
           "_Duplicate"}  # reading.limits: caught in load_json


def _exception_classes() -> dict[str, list[str]]:
    """Every class in the package source deriving (directly or through another) from an exception."""
    defs: dict[str, list[tuple[str, list[str]]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases]
                defs.setdefault(node.name, []).append((str(path.relative_to(PACKAGE)), bases))
    exceptional: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, sites in defs.items():
            if name not in exceptional and any(b.endswith(("Exception", "Error")) or b in exceptional
                                               for _, bases in sites for b in bases):
                exceptional.add(name)
                changed = True
    return {name: [where for where, _ in defs[name]] for name in sorted(exceptional)}


def test_each_error_class_is_defined_once_and_public_ones_in_errors_py():
    classes = _exception_classes()
    assert {name: sites for name, sites in classes.items() if len(sites) != 1} == {}
    public = {name for name in classes if name not in PRIVATE}
    assert {name: classes[name][0] for name in public if classes[name][0] != "errors.py"} == {}
    assert set(errors.__all__) - {"InputError"} == public  # nothing defined there is left out


@pytest.mark.parametrize("name", sorted(set(errors.__all__) - {"InputError"}))
def test_public_error_is_a_cadre_rules_error_and_exported(name):
    cls = getattr(errors, name)
    assert issubclass(cls, errors.CadreRulesError)
    assert getattr(cadre_rules, name) is cls and name in cadre_rules.__all__


def test_old_import_paths_give_the_same_classes():
    from cadre_rules.audit.waivers import WaiverError
    from cadre_rules.engine import EngineUnavailable
    from cadre_rules.live import EventConflict, ProcedureViolation
    from cadre_rules.live.journal import JournalTampered
    from cadre_rules.reading.cases import CaseValidationError, InputError
    from cadre_rules.rulebook import RulebookError

    assert (WaiverError, EngineUnavailable, EventConflict, ProcedureViolation, JournalTampered, CaseValidationError,
            InputError, RulebookError) == (errors.WaiverError, errors.EngineUnavailable, errors.EventConflict,
                                           errors.ProcedureViolation, errors.JournalTampered,
                                           errors.CaseValidationError, errors.InputError, errors.RulebookError)
    assert issubclass(errors.JournalTampered, errors.JournalError)
    assert issubclass(errors.CaseValidationError, ValueError)  # older `except ValueError` still catches


def test_one_except_catches_what_a_caller_can_get_wrong(tmp_path):
    bad_case = tmp_path / "c.json"
    bad_case.write_text('{"id": "x1", "nonsense": 1}', encoding="utf-8")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "r.yaml").write_text("rules:\n  - id: R-1\n    title: x\n", encoding="utf-8")
    waivers = tmp_path / "w.yaml"
    waivers.write_text("- case: x1\n", encoding="utf-8")
    caught = []
    for attempt in (lambda: cadre_rules.load_case(bad_case), lambda: cadre_rules.load_rulebook(rules),
                    lambda: cadre_rules.Auditor(engine="nope"),
                    lambda: __import__("cadre_rules.audit.waivers", fromlist=["x"]).load_waivers(waivers),
                    lambda: cadre_rules.Journal(tmp_path / "missing.db", create=False)):
        with pytest.raises(cadre_rules.CadreRulesError) as info:
            attempt()
        caught.append(type(info.value).__name__)
    assert caught == ["CaseValidationError", "RulebookError", "EngineUnavailable", "WaiverError", "JournalUnreadable"]


def test_errors_carry_where_as_attributes(tmp_path):
    bad_case = tmp_path / "c.json"
    bad_case.write_text('{"id": "x1", "nonsense": 1}', encoding="utf-8")
    with pytest.raises(cadre_rules.CaseValidationError) as info:
        cadre_rules.load_case(bad_case)
    assert info.value.source == str(bad_case) and info.value.case_id == "x1" and "nonsense" in info.value.paths
    waivers = tmp_path / "w.yaml"
    waivers.write_text("- case: x1\n", encoding="utf-8")
    from cadre_rules.audit.waivers import load_waivers

    with pytest.raises(cadre_rules.WaiverError) as winfo:
        load_waivers(waivers)
    assert winfo.value.path == str(waivers) and winfo.value.problems[0].startswith(f"{waivers}:1:")


def test_outside_calendar_names_the_day_and_the_coverage():
    from cadre_rules.facts.calendar import coverage_label, is_working_day

    with pytest.raises(cadre_rules.OutsideCalendar) as info:
        is_working_day(date(1900, 1, 1))
    assert info.value.day == date(1900, 1, 1) and info.value.coverage == coverage_label()
    assert str(info.value) == f"1900-01-01 is outside the holiday data ({coverage_label()})"


def test_journal_errors_name_the_journal(tmp_path):
    missing = tmp_path / "missing.db"
    with pytest.raises(cadre_rules.JournalUnreadable) as info:
        cadre_rules.Journal(missing, create=False)
    assert info.value.path == str(missing) and str(info.value) == f"{missing}: no such journal file"


def test_errors_with_their_problems_cross_process_boundaries():
    """An embedding system that validates in worker processes (multiprocessing, concurrent.futures) gets
    the error back pickled: CaseValidationError, RegisterError and EventDataError could not be unpickled
    (their __init__ takes the problems, and pickle called it with the message), which breaks the pool
    instead of reporting the case. Found while reviewing the library as an embedding system meets it."""
    import json
    import pickle

    from cadre_rules.errors import InputError

    problems = [InputError("meetings[0].chair", "unknown member \"m9\"", 3, 7)]
    try:
        cadre_rules.validate_case_json('{"id": ')
    except cadre_rules.CaseJSONError as exc:
        not_json = exc
    for error in (cadre_rules.CaseValidationError(problems, "case.yaml", "x1"), cadre_rules.RegisterError(problems, "r.yaml"),
                  cadre_rules.EventDataError([("data.chair", "unknown member \"m9\"")]), not_json):
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error) and str(again) == str(error)
        assert {k: v for k, v in vars(again).items()} == vars(error)
    assert isinstance(pickle.loads(pickle.dumps(not_json)), json.JSONDecodeError)
