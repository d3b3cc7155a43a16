"""JUnit XML: one `<testcase>` per case, so CI dashboards show the audit as a test run.

* `classname` is the organisation (or the source file when the case has none), `name` the case id,
  `file` the source.
* A case with a blocking finding (violated, severity violation — what makes exit status 1) has a
  `<failure>` listing those findings; an invalid input has an `<error>`; every other case passes.
  Warnings, pending, unknown and waived findings are listed in the case's `<system-out>`.
* "Not judged, and why": when some rule gave `unknown`, the suite's `<system-out>` (after the test
  cases) counts the unknown findings per rule and per missing record, and `<properties>` carry
  `unknown` and `not_judged.RULE-ID` counts.
* The `<testsuite>` carries the counts and, as `<properties>`, the rulebook version, profile,
  reference date (`as_of`), redaction and waiver file.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, NamedTuple
from xml.sax.saxutils import escape, quoteattr

from cadre_rules.audit.auditor import CaseResult
from cadre_rules.rulebook import Rulebook
from cadre_rules.report.base import ReportContext, SpoolingRenderer, Text, finding_label, render_results
from cadre_rules.report.model import ReportedCase
from cadre_rules.report.controls import shown

# A waiver's status in Chinese, for the note after a waived finding (the JSON report keeps the code).
WAIVER_ZH = {"active": "有效", "expired": "已过期（不再适用）", "version-mismatch": "所依规则库版本不符（不适用）"}
_BAD_XML = re.compile("[\ufffe\uffff]")  # not characters in XML (the control characters are `shown`)


def _text(value: Any) -> str:
    return escape(_BAD_XML.sub("\ufffd", "" if value is None else shown(str(value))))


def _attr(value: Any) -> str:
    return quoteattr(_BAD_XML.sub("\ufffd", "" if value is None else shown(str(value))), {"\n": "&#10;", "\r": "&#13;",
                                                                                  "\t": "&#9;"})


class JunitRenderer(SpoolingRenderer):
    name = "junit"
    media_type = "application/xml"

    def __init__(self, ctx: ReportContext) -> None:
        super().__init__(ctx)
        self.failures = self.errors = 0

    def _line(self, f: Any) -> str:
        lang = self.ctx.lang
        waiver = getattr(f, "waiver", None)
        if waiver and lang == "zh":
            note = f" 〔豁免{WAIVER_ZH.get(waiver['status'], waiver['status'])}：{waiver['approver']} — {waiver['reason']} → {waiver['expires']}〕"
        elif waiver:
            note = f" [waiver {waiver['status']}: {waiver['approver']} — {waiver['reason']} → {waiver['expires']}]"
        else:
            note = ""
        reason = f" ({f.reason})" if f.reason and lang != "zh" else ""  # zh: the reason is in the message
        return f"{f.rule_id} [{finding_label(f, lang)}] {f.message[lang]}{reason} — {f.citation[lang]}{note}"

    def fragment(self, case: ReportedCase) -> str:
        classname = case.case.get("organisation") or case.source.rsplit(":", 1)[0]
        name = case.case_id or case.source
        head = f"    <testcase classname={_attr(classname)} name={_attr(name)} file={_attr(case.source)}"
        if case.status == "invalid":
            text = "\n".join(e.located(self.ctx.lang) for e in case.errors)
            return (f'{head}>\n      <error type="invalid-input" message={_attr(text.splitlines()[0] if text else "")}>'
                    f"{_text(text)}</error>\n    </testcase>\n")
        blocking = [f for f in case.findings if f.blocking]
        others = [f for f in case.findings if not f.blocking]
        body = ""
        if blocking:
            message = ", ".join(dict.fromkeys(f.rule_id for f in blocking))
            body += (f'      <failure type="violation" message={_attr(message)}>'
                     f"{_text(chr(10).join(self._line(f) for f in blocking))}</failure>\n")
        if others:
            body += f"      <system-out>{_text(chr(10).join(self._line(f) for f in others))}</system-out>\n"
        return f"{head}>\n{body}    </testcase>\n" if body else f"{head}/>\n"

    def add(self, out: Any, fragment: Any) -> None:
        super().add(out, fragment)
        # The counts come from the fragment itself, so they hold whatever process rendered it.
        self.failures += "<failure " in fragment
        self.errors += "<error " in fragment

    def chunk(self, fragments: list[Any]) -> "_Chunk":
        text = Text.of("".join(fragments), len(fragments))
        return _Chunk(text.text, text.count, sum("<failure " in f for f in fragments),
                      sum("<error " in f for f in fragments))

    def add_chunk(self, out: Any, chunk: Any) -> None:
        super().add_chunk(out, chunk)
        self.failures += chunk.failures
        self.errors += chunk.errors

    def head(self, summary: dict[str, Any]) -> str:
        ctx = self.ctx
        counts = f'tests="{self.count}" failures="{self.failures}" errors="{self.errors}" skipped="0"'
        props = {"rulebook.version": ctx.rulebook.version, "rulebook.profile": ctx.rulebook.profile,
                 "as_of": ctx.as_of.isoformat(), "redacted": str(ctx.redacted).lower(), "waivers": ctx.waivers or "",
                 "violated": summary["violated"], "waived": summary["waived"]}
        if summary.get("not_judged"):
            props["unknown"] = summary["unknown"]
            props.update({f"not_judged.{rule_id}": n for rule_id, n in summary["not_judged"]["by_rule"].items()})
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<testsuites name="cadre-rules" {counts}>\n'
                f'  <testsuite name="cadre-rules audit" {counts}>\n    <properties>\n'
                + "".join(f"      <property name={_attr(k)} value={_attr(v)}/>\n" for k, v in props.items())
                + "    </properties>\n")

    def foot(self, summary: dict[str, Any]) -> str:
        lines = self.ctx.not_judged_lines(summary)
        # "Not judged, and why" as the suite's own output (after its test cases, as the JUnit schema orders them)
        out = f"    <system-out>{_text(chr(10).join(lines))}</system-out>\n" if lines else ""
        return out + "  </testsuite>\n</testsuites>\n"


class _Chunk(NamedTuple):
    """Consecutive cases' test cases as one text, with the failures and errors among them."""

    text: bytes | str
    count: int
    failures: int
    errors: int


def render_junit(results: Iterable[CaseResult], rulebook: Rulebook, **context: Any) -> str:
    return render_results(JunitRenderer, results, rulebook, **context)
