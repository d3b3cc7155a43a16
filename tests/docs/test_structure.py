"""The package's shape: rooms import each other in one direction, dates are counted in the facts
layer only, and .feature files have one reader."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

import cadre_rules

PACKAGE = Path(cadre_rules.__file__).parent


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


# ---- one home for dates -----------------------------------------------------------------------

def test_date_arithmetic_lives_in_the_facts_layer():
    """No timedelta or year/month arithmetic outside facts/. The testing room is exempt: it draws random
    offsets for synthetic cases (plain `timedelta(days=n)`), while every date helper it steps with —
    working days, months, anniversaries — is the facts layer's (tests/testing/test_testing_room.py)."""
    import re

    allowed = {"facts", "testing"}
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
