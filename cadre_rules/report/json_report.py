"""The JSON report: one document, the contract other tools read (see docs/cli.md)."""
from __future__ import annotations

import json
from typing import Any, Iterable

from ..audit import CaseResult, summarize
from ..rulebook import Rulebook


def report_document(results: list[CaseResult], rulebook: Rulebook) -> dict[str, Any]:
    return {
        "rulebook": {"version": rulebook.version, "profile": rulebook.profile},
        "cases": [r.to_dict() for r in results],
        "summary": summarize(results),
    }


def render_json(results: Iterable[CaseResult], rulebook: Rulebook) -> str:
    return json.dumps(report_document(list(results), rulebook), ensure_ascii=False, indent=2) + "\n"
