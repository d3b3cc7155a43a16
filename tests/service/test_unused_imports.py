"""The embedding surfaces — the decision service and the Spark adapter — import only what they use.

Found by a review reading them as an embedding Java system or Spark job meets them:
`cadre_rules/service/app.py` and `cadre_rules/spark/audit.py` imported `BatchOptions` and never used
it. An unused import there is not harmless: it is a dependency a reader has to look for and not find,
and it keeps a name alive that a later refactoring of `audit.batch` would have to keep importable.
No linter is a dependency of the project, so the check is the few lines below (the standard `ast`).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "cadre_rules"
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def unused_imports(source: str) -> list[tuple[int, str]]:
    """(line, name) of every name a module imports and never mentions again: not as a name, and not
    in a string either (a string annotation, `__all__`). `import a as a` is an explicit re-export."""
    tree = ast.parse(source)
    imported: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            for alias in node.names:
                if alias.name == "*" or alias.asname == alias.name:
                    continue
                imported[(alias.asname or alias.name).split(".")[0]] = node.lineno
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            used.update(_WORD.findall(node.value))
    return sorted((line, name) for name, line in imported.items() if name not in used)


def test_the_check_finds_an_unused_import():
    assert unused_imports("from a import B, C\nimport d\nx: 'C' = d.f()\n") == [(1, "B")]


@pytest.mark.parametrize("room", ["service", "spark"])
def test_the_embedding_surfaces_import_only_what_they_use(room):
    found = [f"{path.relative_to(PACKAGE.parent)}:{line}: {name}"
             for path in sorted((PACKAGE / room).rglob("*.py")) if path.name != "__init__.py"
             for line, name in unused_imports(path.read_text(encoding="utf-8"))]
    assert found == []
