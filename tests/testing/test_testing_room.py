"""The testing room stays out of the judging path, and rule ids live in the rulebook and the breakers only.

* Every rule of the bundled rulebook has exactly one breaker (cadre_rules.testing.breakers) and every
  breaker names a rule of the rulebook: adding a rule without a way to break it fails here.
* Nothing under cadre_rules imports cadre_rules.testing except the testing room itself, the Gherkin step
  library (cadre_rules.bdd, which builds cases with the builder) and the `synth` command, which imports
  the generator only when it runs.
* No module outside cadre_rules/rulebook/ and the breakers names a rule id in its code (string literals
  and identifiers; docstrings and comments may give examples): rule logic and rule lists belong in rules/.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from cadre_rules import Auditor, load_rulebook
from cadre_rules.testing.breakers import BREAKERS, compatible, injectable
from cadre_rules.testing.synth import generate_case

PACKAGE = Path(__file__).resolve().parents[2] / "cadre_rules"


def test_every_rule_has_exactly_one_breaker_and_every_breaker_a_rule(rulebook) -> None:
    assert set(BREAKERS) - set(rulebook.ids) == set(), "breakers of rules the rulebook does not have"
    assert set(rulebook.ids) - set(BREAKERS) == set(), "rules without a breaker"
    for rule_id, b in BREAKERS.items():
        assert b.conflicts <= set(rulebook.ids) and (b.companions or set()) <= set(rulebook.ids), rule_id


def test_what_can_be_injected_follows_the_profile() -> None:
    national, province = injectable("national"), injectable("example-province")
    # The national profile switches REC-ATTENDANCE off (parameter `applies` false); the example province on.
    assert "REC-ATTENDANCE" not in national and "REC-ATTENDANCE" in province
    assert set(province) - set(national) == {"REC-ATTENDANCE"}
    assert compatible({"DEC-QUORUM"}) and not compatible({"QUAL-CHIEF2UPDEP-3Y", "QUAL-DEP2CHIEF-2Y"})


def test_a_rule_switched_on_by_a_profile_is_broken_there_and_nowhere_else() -> None:
    national, province = Auditor(load_rulebook()), Auditor(load_rulebook(profile="example-province"))
    for index in range(3):
        case = generate_case(5, index, 0.0, inject=["REC-ATTENDANCE"], profile="example-province")
        assert case["meta"]["injected_violations"] == ["REC-ATTENDANCE"]
        in_province = {f.rule_id for f in province.audit_data(case, case["id"]).findings if f.verdict == "violated"}
        assert in_province == {"REC-ATTENDANCE"}
        assert national.audit_data(case, case["id"]).findings == []  # nationally the case is clean
    with pytest.raises(ValueError, match="not injectable"):
        generate_case(5, 0, 0.0, inject=["REC-ATTENDANCE"])


def _imports_of_testing(tree: ast.AST) -> list[tuple[int, bool]]:
    """(line, at module level) of every import of cadre_rules.testing."""
    found = []
    top = {id(n) for n in getattr(tree, "body", [])}
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        if any(n == "cadre_rules.testing" or n.startswith("cadre_rules.testing.") for n in names):
            found.append((node.lineno, id(node) in top))
    return found


def test_only_the_testing_room_the_step_library_and_synth_import_the_testing_room() -> None:
    offenders, lazy_cli = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        room = path.relative_to(PACKAGE).parts[0]
        if room in ("testing", "bdd"):
            continue
        for line, top_level in _imports_of_testing(ast.parse(path.read_text(encoding="utf-8"))):
            if path.relative_to(PACKAGE).as_posix() == "cli/main.py" and not top_level:
                lazy_cli.append(line)
            else:
                offenders.append(f"{path.relative_to(PACKAGE)}:{line}")
    assert offenders == []
    assert lazy_cli, "the synth command imports the generator when it runs"


def _code_strings(tree: ast.AST) -> list[tuple[int, str]]:
    """String literals and identifiers of a module, docstrings left out."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            out.append((node.lineno, node.value))
        elif isinstance(node, ast.Name):
            out.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute):
            out.append((node.lineno, node.attr))
    return out


def test_no_rule_id_outside_the_rulebook_and_the_breakers(rulebook) -> None:
    prefixes = sorted({rule_id.split("-")[0] for rule_id in rulebook.ids})
    pattern = re.compile(rf"\b(?:{'|'.join(prefixes)})-[A-Z0-9][A-Z0-9-]*\b")
    named = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where.startswith(("rulebook/", "testing/breakers/")):
            continue
        for line, text in _code_strings(ast.parse(path.read_text(encoding="utf-8"))):
            named += [f"{where}:{line}: {m}" for m in pattern.findall(text)]
    assert named == []


def test_where_a_rule_can_be_broken_is_read_from_the_rulebook(rulebook) -> None:
    from cadre_rules.testing.breakers import injection

    rules = {r.id: r for r in rulebook.rules}
    last_speaker = injection(frozenset({"DEC-LAST-SPEAKER"}))
    assert last_speaker.earliest == rules["DEC-LAST-SPEAKER"].effective_from
    version = injection(frozenset({"GEN-VERSION"}))
    assert version.window == (rules["GEN-VERSION"].effective_from, rules["GEN-VERSION"].effective_to)
    # `case.is_promotion` / `case.division_or_above` in a rule's condition limit the case drawn for it.
    assert injection(frozenset({"QUAL-WORKYEARS"})).moves == ("promotion",)
    assert injection(frozenset({"QUAL-WORKYEARS"})).settings == ("city", "province_dept")
    assert injection(frozenset({"DEC-QUORUM"})).moves is None
