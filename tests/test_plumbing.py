"""One case reader, one batch driver, and rooms that import each other in one direction only."""
from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

import cadre_rules
from cadre_rules import Auditor, load_rulebook
from cadre_rules.audit import batch
from cadre_rules.audit.batch import BatchOptions, judge_paths
from cadre_rules.reading.cases import iter_units, parse_unit, read_cases, unit_text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "cases"
PACKAGE = Path(cadre_rules.__file__).parent


@pytest.fixture
def inputs(tmp_path) -> Path:
    """A valid case, a JSON Lines file with a good line, a bad line and a blank line, and bad files."""
    good = json.loads(json.dumps(next(iter(read_cases([EXAMPLES / "01-合规-县财政局局长提拔.yaml"]))).data,
                                 default=str))
    (tmp_path / "a.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps(good, ensure_ascii=False) + "\n{oops\n\n" +
                                      json.dumps({"id": "x2", "title": 3}) + "\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (tmp_path / "d.json").write_bytes(b'{"id": "\xff"}')
    (tmp_path / "notes.txt").write_text("not a case", encoding="utf-8")  # skipped in a walk, refused by name
    return tmp_path


def test_units_by_reference_read_the_same_texts_and_errors(inputs):
    paths = [inputs, inputs / "missing.json", inputs / "notes.txt"]
    plain, refs = list(iter_units(paths)), list(iter_units(paths, by_reference=True))
    assert [u.source for u in plain] == [u.source for u in refs]
    assert any(u.file and u.text is None for u in refs)  # regular files go by reference
    assert [unit_text(u) for u in plain] == [unit_text(u) for u in refs]
    assert [parse_unit(u) for u in plain] == [parse_unit(u) for u in refs] == list(read_cases(paths))
    errors = {r.source.replace(str(inputs), ""): r.error for r in read_cases(paths) if r.error}
    assert errors["/b.jsonl:2"].startswith("invalid JSON at column 2")
    assert errors["/c.yaml"].startswith("invalid YAML at line 2 column 1")
    assert errors["/d.json"].startswith("cannot read: 'utf-8' codec can't decode")
    assert errors["/missing.json"] == "no such file or directory"
    assert errors["/notes.txt"].startswith("not a case file")


def test_dash_reads_json_lines_from_standard_input(inputs):
    text = (inputs / "b.jsonl").read_bytes()
    units = list(iter_units(["-"], by_reference=True, stdin=io.BytesIO(text)))
    assert [u.source for u in units] == ["-:1", "-:2", "-:4"] and all(u.file is None for u in units)
    from_file = [r.data or r.error for r in read_cases([inputs / "b.jsonl"])]
    assert [parse_unit(u).data or parse_unit(u).error for u in units] == from_file


def test_cli_audit_reads_standard_input(inputs):
    proc = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", "-", "--format", "jsonl"],
                          input=(inputs / "b.jsonl").read_bytes(), capture_output=True)
    lines = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [c.get("source") for c in lines[:-1]] == ["-:1", "-:2", "-:4"]
    assert [c["status"] for c in lines[:-1]] == ["ok", "invalid", "invalid"]
    assert b"-:2: invalid JSON at column 2" in proc.stderr and proc.returncode == 2


def test_auditor_audit_paths_goes_through_the_driver(inputs, monkeypatch):
    seen = []
    original = batch.iter_units

    def counting(paths, **kw):
        for unit in original(paths, **kw):
            seen.append(unit.source)
            yield unit

    monkeypatch.setattr(batch, "iter_units", counting)
    auditor = Auditor()
    results = list(auditor.audit_paths([inputs]))
    assert [r.source for r in results] == seen and len(seen) == 6
    assert [r.status for r in results] == ["ok", "ok", "invalid", "invalid", "invalid", "invalid"]
    assert results[0].findings == auditor.findings(cadre_rules.load_case(inputs / "a.json"))


def test_workers_give_the_same_judged_results_in_the_same_order(inputs):
    rulebook = load_rulebook()
    serial = [j.result.to_dict() for j in judge_paths([inputs, EXAMPLES], BatchOptions(), rulebook=rulebook)]
    parallel = [j.result.to_dict() for j in judge_paths([inputs, EXAMPLES], BatchOptions(), workers=2,
                                                           rulebook=rulebook)]
    assert serial == parallel and len(serial) == 6 + len(list(EXAMPLES.glob("*.yaml")))


def test_driver_raises_rulebook_and_waiver_errors_at_the_call(tmp_path):
    with pytest.raises(cadre_rules.WaiverError):
        judge_paths([tmp_path], BatchOptions(waivers=str(tmp_path / "none.yaml")))
    with pytest.raises(cadre_rules.RulebookError):
        judge_paths([tmp_path], BatchOptions(rules_dir=str(tmp_path / "no-rules")))


# ---- the import graph -------------------------------------------------------------------------

def _room(module: str) -> str:
    """cadre_rules.report.batch -> report; cadre_rules.errors -> errors; cadre_rules -> the package itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "cadre_rules"


def _is_room(name: str) -> bool:
    return (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file()


def room_graph() -> dict[str, dict[str, set[str]]]:
    """room -> imported room -> the module-level imports that make the edge (TYPE_CHECKING excluded)."""
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(rel[:-1] if rel[-1] == "__init__" else rel)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                # `from cadre_rules import errors` imports a room; `from cadre_rules import Auditor` the facade
                targets = [node.module] if node.module != "cadre_rules" else [
                    f"cadre_rules.{a.name}" if _is_room(a.name) else "cadre_rules" for a in node.names]
            else:
                continue
            for target in targets:
                if target.split(".")[0] != "cadre_rules":
                    continue
                here, there = _room(module), _room(target)
                if here == there:
                    continue
                graph[here][there].add(f"{module} -> {target}")
    return graph


def test_the_rooms_import_each_other_without_a_cycle():
    graph = room_graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(room: str) -> None:
        state[room] = 1
        stack.append(room)
        for nxt in sorted(graph.get(room, {})):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import cycle " + " -> ".join(cycle) + ": " +
                            "; ".join(sorted(graph[a][b])[0] for a, b in zip(cycle, cycle[1:])))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[room] = 2

    for room in sorted(graph):
        if room not in state:
            visit(room)
    assert "report" not in graph["audit"] and "cli" not in graph["rulebook"] and graph["errors"] == {}


# ---- one stage machine ------------------------------------------------------------------------

def test_case_process_and_live_case_enforce_the_same_stage_gate(baseline, rulebook, monkeypatch):
    """Both refuse through StageGate: a gate that closes one edge and names a guard shows in both."""
    from datetime import date

    from cadre_rules import CaseProcess, LiveCase, validate_case
    from cadre_rules.live import ILLEGAL_TRANSITION
    from cadre_rules.live.derive import events_from_case
    from cadre_rules.live.process import StageGate

    gate = StageGate(rulebook.stages)
    for source in rulebook.stages.titles:
        for target in rulebook.stages.titles:
            legal = rulebook.stages.graph.has_edge(source, target)
            assert (gate.illegal(source, target) is None) == legal
            assert gate.guards(source, target) == (frozenset(rulebook.stages.guards(source, target)) if legal
                                                    else frozenset())
    original = StageGate.illegal
    monkeypatch.setattr(StageGate, "illegal", lambda self, s, t: "closed" if (s, t) == ("motion", "recommendation")
                        else original(self, s, t))
    case = validate_case(baseline)
    process = CaseProcess(case, rulebook)
    assert process.advance("recommendation", date(2021, 3, 10)).refused_by == (ILLEGAL_TRANSITION,)
    init, opened, events = events_from_case(case)
    live = LiveCase.open(init, opened, rulebook)
    moved = None
    for event in events:
        result = live.submit(event)
        if result.transition == ("motion", "recommendation"):
            moved = result
            break
    assert moved is not None and moved.refused_rule_ids == (ILLEGAL_TRANSITION,) and live.stage == "motion"
    assert process.allowed_next() == live.allowed_next() == gate.allowed_next("motion")


# ---- one home for dates -----------------------------------------------------------------------

def test_date_arithmetic_lives_in_the_facts_layer():
    """No timedelta or year/month arithmetic outside facts/ (the testing builders are another task's)."""
    import re

    allowed = {"facts", "testing/synth.py", "testing/builder.py"}
    pattern = re.compile(r"\btimedelta\b|\.year\s*[-+]|\.month\s*[-+]|relativedelta|monthrange")
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.split("/")[0] in allowed or rel in allowed:
            continue
        offenders += [f"{rel}:{n}" for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                      if pattern.search(line.split("#")[0])]
    assert offenders == []


def test_age_is_counted_like_every_other_period():
    from datetime import date

    from cadre_rules.facts.periods import age_on, full_years, next_day, previous_day

    assert age_on(date(1980, 12, 31), date(2021, 12, 31)) == 41 == full_years(date(1980, 12, 31), date(2021, 12, 31))
    assert age_on(date(1981, 1, 1), date(2021, 12, 31)) == 40
    assert age_on(date(2000, 2, 29), date(2021, 2, 28)) == 21  # 民法典 Art 202: the month's last day
    assert next_day(date(2020, 2, 28)) == date(2020, 2, 29) and previous_day(date(2021, 3, 1)) == date(2021, 2, 28)


# ---- one Gherkin reader -----------------------------------------------------------------------

def test_feature_files_are_read_by_one_reader(tmp_path):
    from cadre_rules.cli.reference import scenario_index

    readers = [p.relative_to(PACKAGE).as_posix() for p in sorted(PACKAGE.rglob("*.py"))
               if '"*.feature"' in p.read_text(encoding="utf-8") or "gherkin.parser" in p.read_text(encoding="utf-8")]
    assert readers == ["bdd/coverage.py"]
    (tmp_path / "a.feature").write_text(
        "# language: en\n@DEC-QUORUM\nFeature: f\n\n  @DEC-PASS @violating\n  Scenario Outline: vote <n>\n"
        "    Given a case\n\n    Examples:\n      | n |\n      | 1 |\n\n    @MOT-NO-ADHOC\n    Examples: more\n"
        "      | n |\n      | 2 |\n", encoding="utf-8")
    assert scenario_index(tmp_path) == {"DEC-QUORUM": ["a.feature: vote <n>"], "DEC-PASS": ["a.feature: vote <n>"],
                                        "MOT-NO-ADHOC": ["a.feature: vote <n>"]}
