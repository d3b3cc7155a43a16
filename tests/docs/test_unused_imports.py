"""Every module imports only what it uses, or says on the import's line that it re-exports it
(`# noqa: F401`).

Found by a review reading the decision service and the Spark adapter as an embedding system meets
them: both imported `BatchOptions` and never used it, and nine more names were imported unused across
the package. An unused import is not harmless: it is a dependency a reader has to look for and not
find, and it keeps a name alive that a later refactoring would have to keep importable. No linter is a
dependency of the project, so the check is the few lines below (the standard `ast`).
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
    in a string either (a string annotation, `__all__`). `import a as a`, and an import whose first
    line says `noqa: F401`, is an explicit re-export."""
    tree = ast.parse(source)
    lines = source.splitlines()
    imported: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.ImportFrom) and node.module == "__future__" or "noqa: F401" in lines[node.lineno - 1]:
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
    assert unused_imports("from a import B  # noqa: F401 - re-exported\nfrom e import F\n") == [(2, "F")]


@pytest.mark.parametrize("room", sorted(path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name != "__pycache__")
                         + ["."])
def test_every_module_imports_only_what_it_uses(room):
    """Package `__init__` modules are left out: importing names to re-export them is their job."""
    paths = sorted((PACKAGE / room).rglob("*.py")) if room != "." else sorted(PACKAGE.glob("*.py"))
    found = [f"{path.relative_to(PACKAGE.parent)}:{line}: {name}"
             for path in paths if path.name != "__init__.py"
             for line, name in unused_imports(path.read_text(encoding="utf-8"))]
    assert found == []
