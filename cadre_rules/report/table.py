"""The readable table report for a terminal (Chinese by default).

Rows are printed in tables of at most `CHUNK` cases, so a long batch streams in flat memory; a batch
of fewer cases gives one table. The table is as wide as the terminal it goes to, and verdicts are in
colour there (report/terminal.py: `NO_COLOR`, `FORCE_COLOR`, `COLUMNS`; a file or pipe gets no colour).
"""
from __future__ import annotations

from io import StringIO
from typing import Any, Iterable, TextIO

from rich.table import Table
from rich.text import Text

from cadre_rules.audit.auditor import CaseResult
from cadre_rules.rulebook import Rulebook
from cadre_rules.model.labels import path_label
from cadre_rules.report.base import Renderer, finding_class, render_results
from cadre_rules.report.model import ReportedCase
from cadre_rules.report.terminal import VERDICT_STYLES, Terminal, console
from cadre_rules.report.controls import shown

CHUNK = 500


class TableRenderer(Renderer):
    name = "table"

    def __init__(self, ctx, width: int | None = None) -> None:
        super().__init__(ctx)
        terminal = ctx.terminal or Terminal()
        self.terminal = terminal if width is None else Terminal(width, terminal.colour)
        self.rows: list[tuple[str, ...]] = []
        self.cases_in_chunk = 0
        self.tables = 0

    def fragment(self, case: ReportedCase) -> list[tuple[str, ...]]:
        lang, zh = self.ctx.lang, self.ctx.lang == "zh"
        label = f"{case.case_id or '?'}\n{case.source}"
        if case.status == "invalid":
            text = "\n".join(e.located(lang) for e in case.errors)
            return [(label, "—", self.ctx.verdict_label("invalid"), "", "", text, "invalid")]
        scope = self._scope_row(label, case)
        if not case.findings:
            return scope or [(label, "—", self.ctx.verdict_label("compliant"), "", "", "", "compliant")]
        rows = []
        for f in case.findings:
            message = f.message[lang] + (f"\n（{f.reason}）" if f.reason and lang != "zh" else "")  # zh: in the message
            waiver = getattr(f, "waiver", None)
            if waiver:
                status = {"active": "豁免" if zh else "waiver", "expired": "豁免已过期" if zh else "waiver expired",
                          "version-mismatch": "豁免版本不符" if zh else "waiver for another rulebook version"}
                message += (f"\n［{status.get(waiver['status'], waiver['status'])}：{waiver['approver']}，"
                            f"{waiver['reason']}，{'至' if zh else 'until'} {waiver['expires']}］")
            rows.append((label, f.rule_id, self.ctx.finding_label(f), self.ctx.severity_label(f.severity),
                         f.citation[lang], message, finding_class(f)))
        return rows + scope

    def _scope_row(self, label: str, case: ReportedCase) -> list[tuple[str, ...]]:
        """Acts before the earliest edition: one row saying they were not judged (docs/cli.md)."""
        if not case.out_of_scope:
            return []
        text = "\n".join([self.ctx.scope_heading(), *self.ctx.scope_lines(case)])
        return [(label, "—", self.ctx.verdict_label("out_of_scope"), "", "", text, "out_of_scope")]

    def _flush(self, out: TextIO) -> None:
        if not self.rows and self.tables:
            return
        buffer = StringIO()
        screen = console(buffer, self.terminal)
        colour = self.terminal.colour
        zh = self.ctx.lang == "zh"
        title = None if self.tables else ("干部选拔任用合规审计" if zh else "Cadre selection compliance audit")
        table = Table(title=title, show_lines=True)
        # The short columns never fold below their widest word (no column squeezed to a character a
        # line); the basis and the message take what is left and wrap.
        for header, ratio in ((("案例", "Case"), 2), (("规则", "Rule"), None), (("结论", "Verdict"), None),
                              (("严重性", "Severity"), None), (("依据", "Basis"), 3), (("说明", "Message"), 4)):
            table.add_column(header[0] if zh else header[1], overflow="fold", ratio=ratio,
                             no_wrap=ratio is None)
        for *cells, verdict in self.rows:
            style = VERDICT_STYLES.get(verdict, "") if colour else ""
            # cell text is data, never rich markup
            table.add_row(*(Text(shown(str(cell)), style=style if i == 2 else "") for i, cell in enumerate(cells)))
        screen.print(table)
        out.write(buffer.getvalue())
        self.rows, self.cases_in_chunk = [], 0
        self.tables += 1

    def add(self, out: TextIO, fragment: Any) -> None:
        self.rows.extend(fragment)
        self.count += 1
        self.cases_in_chunk += 1
        if self.cases_in_chunk >= CHUNK:
            self._flush(out)

    def chunk(self, fragments: list[Any]) -> list[Any]:
        """The rows of each case as they are: the tables hold CHUNK cases counted across the whole
        report, so rows are laid out in the writing process, case by case (`add`)."""
        return fragments

    def add_chunk(self, out: TextIO, chunk: Any) -> None:
        for fragment in chunk:
            self.add(out, fragment)

    def end(self, out: TextIO, summary: dict[str, Any]) -> None:
        self._flush(out)
        s, zh = summary, self.ctx.lang == "zh"
        sev = s.get("by_severity", {})
        line = (f"案例 {s['cases']} 件，输入无效 {s['invalid']} 件，有违规的案例 {s['cases_with_violations']} 件；"
                f"发现问题 {s['violated']} 项（违规 {sev.get('violation', 0)} 项，提醒 {sev.get('warning', 0)} 项，"
                f"提示 {sev.get('info', 0)} 项），待定 {s['pending']} 项，"
                f"无法判断 {s['unknown']} 项" + (f"，已豁免 {s['waived']} 项" if s["waived"] else "") + "。"
                if zh else
                f"{s['cases']} cases, {s['invalid']} invalid, {s['cases_with_violations']} with violations; "
                f"{s['violated']} findings ({sev.get('violation', 0)} violations, {sev.get('warning', 0)} warnings, "
                f"{sev.get('info', 0)} notes), {s['pending']} pending, "
                f"{s['unknown']} unknown" + (f", {s['waived']} waived" if s["waived"] else "") + ".")
        not_judged = s.get("not_judged")
        if not_judged:
            by_rule = "、".join(f"{k} {n}" for k, n in not_judged["by_rule"].items())
            by_record = "、".join(f"{path_label(k) + '（' + k + '）' if zh else k} {n}"
                                 for k, n in not_judged["by_record"].items())
            out.write(f"未判断及原因：按规则 {by_rule}；按缺少的记录 {by_record}\n" if zh else
                      f"Not judged, and why: by rule {by_rule}; by missing record {by_record}\n")
        extra = (f"  基准日 {self.ctx.as_of.isoformat()}" if zh else f"  as of {self.ctx.as_of.isoformat()}")
        if self.ctx.redacted:
            extra += "  已脱敏" if zh else "  redacted"
        book = "规则库" if zh else "rulebook"
        out.write(line + f"  {book} {self.ctx.rulebook.version} ({self.ctx.rulebook.profile})" + extra + "\n")


def render_table(results: Iterable[CaseResult], rulebook: Rulebook, lang: str = "zh", **context: Any) -> str:
    return render_results(TableRenderer, results, rulebook, lang=lang, **context)
