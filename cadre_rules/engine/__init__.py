"""Evaluators of a rulebook. `python` (generated Python code) is the default and the reference.

`durable` matches the same rules with the durable_rules Rete engine (see engine/durable.py); it needs
the durable-rules package, installed on Python < 3.13 only, and raises EngineUnavailable elsewhere.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cadre_rules.engine.findings import Finding
from cadre_rules.errors import EngineUnavailable
from cadre_rules.engine.python import PythonEvaluator

if TYPE_CHECKING:
    from cadre_rules.rulebook import Rulebook

ENGINES = ("python", "durable")


def make_evaluator(name: str, rulebook: "Rulebook") -> Any:
    """An in-process evaluator. For batch work with `durable`, Auditor runs it in a child process."""
    if name == "python":
        return PythonEvaluator(list(rulebook.rules), rulebook.editions, rulebook.stages.order)
    if name == "durable":
        from cadre_rules.engine.durable import DurableEvaluator

        return DurableEvaluator(list(rulebook.rules), rulebook.editions, rulebook.stages.order)
    raise EngineUnavailable(f"unknown engine {name!r} (available: {', '.join(ENGINES)})")


__all__ = ["ENGINES", "EngineUnavailable", "Finding", "PythonEvaluator", "make_evaluator"]
