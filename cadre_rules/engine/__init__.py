"""Evaluators of a rulebook. `python` (compiled closures) is the default and the reference."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .findings import Finding
from .python import PythonEvaluator

if TYPE_CHECKING:
    from ..rulebook import Rulebook

ENGINES = ("python",)


class EngineUnavailable(RuntimeError):
    pass


def make_evaluator(name: str, rulebook: "Rulebook") -> PythonEvaluator:
    if name == "python":
        return PythonEvaluator(list(rulebook.rules), rulebook.editions, rulebook.stages.order)
    raise EngineUnavailable(f"unknown engine {name!r} (available: {', '.join(ENGINES)})")


__all__ = ["ENGINES", "EngineUnavailable", "Finding", "PythonEvaluator", "make_evaluator"]
