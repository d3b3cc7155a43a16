"""docs/architecture.md lists exactly the rooms of the package, and tests/ has a folder for each."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def documented_rooms() -> list[str]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("<!-- rooms:begin -->")[1].split("<!-- rooms:end -->")[0]
    return re.findall(r"^\| `(\w+)/` \|", table, flags=re.M)


def package_rooms() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "cadre_rules").glob("*/__init__.py"))


def test_the_architecture_page_lists_every_room_once():
    rooms = documented_rooms()
    assert len(rooms) == len(set(rooms))
    assert sorted(rooms) == package_rooms()


def test_tests_have_a_folder_per_room():
    missing = [room for room in package_rooms() if not (ROOT / "tests" / room).is_dir()]
    assert not missing, f"rooms without a tests/ folder: {missing}"


def test_no_loose_test_modules_but_packaging():
    loose = sorted(p.name for p in (ROOT / "tests").glob("test_*.py"))
    assert loose == ["test_packaging.py"], "test modules belong in the folder of the room they test"
