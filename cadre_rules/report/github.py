"""GitHub Actions workflow commands: one annotation line per finding, so a pull request that changes
case files shows each finding on the file it rests on (`::error file=…,line=…,title=…::message`).

A blocking finding (violated, severity violation) is an `error`, another violated finding a `warning`,
pending, unknown and waived findings a `notice`; an invalid input is an `error` with its field
errors. The line is the case's line in a JSON Lines file; other files are annotated as a whole. The
summary is a last `notice`, followed, when some rule could not be judged, by a `notice` "未判断及原因 /
Not judged, and why" counting the unknown findings per rule and per missing record. Escaping follows the workflow-command rules (`%`, CR, LF everywhere;
`:` and `,` in properties too).
"""
from __future__ import annotations

from typing import Any, Iterable, TextIO

from cadre_rules.audit.auditor import CaseResult
from cadre_rules.report.base import Renderer, render_results
from cadre_rules.report.model import ReportedCase
from cadre_rules.rulebook import Rulebook
from cadre_rules.report.controls import shown


def _data(text: str) -> str:
    return shown(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _place(source: str, error: Any = None) -> str:
    """`file=…[,line=…[,col=…]]` from a case's source (`file` or `file.jsonl:LINE`) and, for an
    invalid input, the place of its first error."""
    name, _, line = source.rpartition(":")
    if name and line.isdigit():
        where = f"file={_property(name)},line={line}"
    elif error is not None and error.line is not None:
        return f"file={_property(source)},line={error.line}" + (f",col={error.column}" if error.column else "")
    else:
        return f"file={_property(source)}"
    return where + (f",col={error.column}" if error is not None and error.column else "")


class GithubRenderer(Renderer):
    name = "github"
    media_type = "text/plain"

    def _level(self, finding: Any) -> str:
        if finding.verdict == "violated":
            return "error" if finding.blocking else "warning"
        return "notice"

    def fragment(self, case: ReportedCase) -> str:
        lang = self.ctx.lang
        where = _place(case.source)
        who = case.case_id or case.source
        if case.status == "invalid":
            where = _place(case.source, case.errors[0] if case.errors else None)
            text = "\n".join(e.located(lang) for e in case.errors)
            title = f"{who}: 输入无效" if lang == "zh" else f"{who}: invalid input"
            return f"::error {where},title={_property(title)}::{_data(text)}\n"
        lines = []
        for f in case.findings:
            title = f"{f.rule_id} {self.ctx.finding_label(f)} ({who})"
            message = f"{f.message[lang]}\n{self.ctx.citation(f)}"
            lines.append(f"::{self._level(f)} {where},title={_property(title)}::{_data(message)}\n")
        return "".join(lines)

    def end(self, out: TextIO, summary: dict[str, Any]) -> None:
        if self.ctx.lang == "zh":
            text = (f"cadre-rules：{summary['cases']} 个案例，{summary['invalid']} 个输入无效，"
                    f"{summary['cases_with_violations']} 个案例有违规")
        else:
            text = (f"cadre-rules: {summary['cases']} cases, {summary['invalid']} invalid, "
                    f"{summary['cases_with_violations']} with violations")
        out.write(f"::notice title=cadre-rules::{_data(text)}\n")
        lines = self.ctx.not_judged_lines(summary)
        if lines:  # "not judged, and why": what to collect before these rules can be judged
            out.write(f"::notice title={_property(lines[0])}::{_data(chr(10).join(lines[1:]))}\n")


def render_github(results: Iterable[CaseResult], rulebook: Rulebook, **context: Any) -> str:
    return render_results(GithubRenderer, results, rulebook, **context)
