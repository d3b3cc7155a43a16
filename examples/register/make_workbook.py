"""Write examples/register/register.xlsx, the example register as a workbook (run from the repository
root; the small .xlsx output is committed): the same register as register.yaml beside it, written by
`cadre_rules.importers.register.write_register_workbook`, so that `cadre-rules import register
register.xlsx` gives back register.yaml's register (tests/importers/test_register_workbook.py).

All people, units and events are invented.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from cadre_rules.importers.register import write_register_workbook  # noqa: E402
from cadre_rules.reading.register import load_register  # noqa: E402


def make_workbook(here: Path = HERE, target: Path | None = None) -> Path:
    register = load_register(here / "register.yaml")
    return write_register_workbook(target or here / "register.xlsx", register.model_dump(mode="json"))


if __name__ == "__main__":
    print(make_workbook().relative_to(HERE.parents[1]))
