"""Executable specs: Gherkin steps over the public API, a case builder, and rule coverage of the specs.

  CaseBuilder  — builds a `Case` in the staff's terms from a compliant baseline (builder.py)
  SpecContext  — one scenario: the case, the rulebook, the expectations (context.py)
  steps        — the zh-CN/English step library, loaded by the `cadre_rules` pytest plugin (plugin.py)
  coverage     — which rules have violating and compliant scenarios (`cadre-rules rules coverage`)

Nothing here imports pytest or pytest-bdd except `steps` and `plugin`. See docs/specs.md.
"""
from __future__ import annotations

from cadre_rules.testing.baseline import baseline_case
from cadre_rules.testing.builder import CaseBuildError, CaseBuilder
from cadre_rules.bdd.context import SpecContext

__all__ = ["CaseBuildError", "CaseBuilder", "SpecContext", "baseline_case"]
