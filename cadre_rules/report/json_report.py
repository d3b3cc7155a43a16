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
from cadre_rules.report.base import Renderer, ReportContext, Text, render_results, write_text
from cadre_rules.report.model import ReportedCase, finding_dict


def _dumps(value: Any, indent: int | None = 2) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, default=str)


_LINE = json.JSONEncoder(ensure_ascii=False, default=str).encode  # `_dumps(value, None)`, its encoder kept


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

    def chunk(self, fragments: list[Any]) -> Text:
        return Text.of("".join([",\n" + fragment for fragment in fragments]), len(fragments))

    def add_chunk(self, out: TextIO, chunk: Any) -> None:
        write_text(out, chunk.text, 0 if self.count else 1)  # the first case has no comma before it
        self.count += chunk.count

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

    def __init__(self, ctx: ReportContext) -> None:
        super().__init__(ctx)
        # id of an AccountabilityMap.shared_entry → (the entry, its JSON text): written once per rule and
        # instrument, not once per finding (the entry is kept so that its id is never reused)
        self._accountability: dict[int, tuple[Any, str]] = {}

    def fragment(self, case: ReportedCase) -> str:
        """`_dumps(case.to_dict(accountability), None)`, the same text, cheaper: each part written by
        the same encoder, and a violated finding's accountability written once per rule and instrument."""
        if not case.findings:
            return _LINE(case.to_dict()) + "\n"
        accountability = self.ctx.rulebook.accountability
        head, tail = _LINE(case.head()), _LINE(case.tail())
        findings = ", ".join([self._finding(f, accountability) for f in case.findings])
        return f'{head[:-1]}, "findings": [{findings}], {tail[1:]}\n'

    def _finding(self, finding: Any, accountability: Any) -> str:
        text = _LINE(finding_dict(finding))
        if accountability is None or finding.verdict != "violated":
            return text
        entry = accountability.shared_entry(finding.rule_id, finding.stage, finding.act_date)
        if entry is None:
            return text
        kept = self._accountability.get(id(entry))
        if kept is None:
            kept = self._accountability[id(entry)] = (entry, _LINE(entry))
        return f'{text[:-1]}, "accountability": {kept[1]}}}'

    def end(self, out: TextIO, summary: dict[str, Any]) -> None:
        out.write(_dumps({**header(self.ctx), "summary": summary}, None) + "\n")


def render_jsonl(results: Iterable[CaseResult], rulebook: Rulebook, **context: Any) -> str:
    return render_results(JsonLinesRenderer, results, rulebook, **context)
