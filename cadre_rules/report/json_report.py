"""The JSON report: one document, the contract other tools read (see docs/cli.md).

Written as a stream — head, one case at a time, then the summary — so that memory stays flat; the
text is the same as `json.dumps(report_document(...), indent=2)` would give.
"""
from __future__ import annotations

import json
from typing import Any, Iterable, TextIO

from cadre_rules.audit.auditor import CaseResult
from cadre_rules.facts import calendar
from cadre_rules.rulebook import Rulebook
from cadre_rules.report.base import Renderer, ReportContext, render_results
from cadre_rules.report.model import ReportedCase


def _dumps(value: Any, indent: int | None = 2) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, default=str)


def _nest(text: str, by: int) -> str:
    pad = " " * by
    return text.replace("\n", "\n" + pad)


def rulebook_info(rulebook: Rulebook) -> dict[str, Any]:
    """Which rules produced the report; for a layered rulebook also its base and what it disabled, and why."""
    info: dict[str, Any] = {"version": rulebook.version, "profile": rulebook.profile}
    if rulebook.base is not None:
        info["base"] = rulebook.base
    if rulebook.disabled:
        info["disabled"] = [d.to_dict() for d in rulebook.disabled]
    return info


def header(ctx: ReportContext) -> dict[str, Any]:
    from cadre_rules.report.schema import REPORT_VERSION

    return {"report_version": REPORT_VERSION, "rulebook": rulebook_info(ctx.rulebook),
            "as_of": ctx.as_of.isoformat(), "redacted": ctx.redacted, "waivers": ctx.waivers,
            "calendar": [source.to_dict() for source in calendar.sources()]}  # which data counted the working days


class JsonRenderer(Renderer):
    name = "json"
    media_type = "application/json"

    def fragment(self, case: ReportedCase) -> str:
        return "    " + _nest(_dumps(case.to_dict(self.ctx.rulebook.accountability)), 4)

    def begin(self, out: TextIO) -> None:
        head = _dumps(header(self.ctx))
        out.write(head[:-2] + ',\n  "cases": [')

    def add(self, out: TextIO, fragment: Any) -> None:
        out.write(("," if self.count else "") + "\n" + fragment)
        self.count += 1

    def end(self, out: TextIO, summary: dict[str, Any]) -> None:
        out.write(("\n  ]" if self.count else "]") + ',\n  "summary": ' + _nest(_dumps(summary), 2) + "\n}\n")


def report_document(results: list[CaseResult], rulebook: Rulebook, **context: Any) -> dict[str, Any]:
    return json.loads(render_json(results, rulebook, **context))


def render_json(results: Iterable[CaseResult], rulebook: Rulebook, **context: Any) -> str:
    return render_results(JsonRenderer, results, rulebook, **context)


class JsonLinesRenderer(Renderer):
    """One case per line, as soon as it is judged; the last line is the summary (it has a `summary` key)."""

    name = "jsonl"
    media_type = "application/x-ndjson"

    def fragment(self, case: ReportedCase) -> str:
        return _dumps(case.to_dict(self.ctx.rulebook.accountability), None) + "\n"

    def end(self, out: TextIO, summary: dict[str, Any]) -> None:
        out.write(_dumps({**header(self.ctx), "summary": summary}, None) + "\n")


def render_jsonl(results: Iterable[CaseResult], rulebook: Rulebook, **context: Any) -> str:
    return render_results(JsonLinesRenderer, results, rulebook, **context)
