"""The readable table report for a terminal (Chinese by default)."""
from __future__ import annotations

from io import StringIO
from typing import Iterable

from rich.console import Console
from rich.table import Table

from ..audit import CaseResult, summarize
from ..rulebook import Rulebook

_VERDICT = {"zh": {"violated": "违规", "pending": "待定", "unknown": "无法判断"},
            "en": {"violated": "violated", "pending": "pending", "unknown": "unknown"}}


def render_table(results: Iterable[CaseResult], rulebook: Rulebook, lang: str = "zh", width: int = 160) -> str:
    results = list(results)
    buffer = StringIO()
    console = Console(file=buffer, width=width, no_color=True, highlight=False)
    zh = lang == "zh"
    table = Table(title="干部选拔任用合规审计" if zh else "Cadre selection compliance audit", show_lines=True)
    for header in (("案例", "Case"), ("规则", "Rule"), ("结论", "Verdict"), ("严重性", "Severity"),
                   ("依据", "Basis"), ("说明", "Message")):
        table.add_column(header[0] if zh else header[1], overflow="fold")
    for result in results:
        label = f"{result.case_id or '?'}\n{result.source}"
        if result.status == "invalid":
            text = "\n".join(f"{e.path + ': ' if e.path else ''}{e.message}" for e in result.errors)
            table.add_row(label, "—", "输入无效" if zh else "invalid input", "", "", text)
            continue
        if not result.findings:
            table.add_row(label, "—", "合规" if zh else "compliant", "", "", "")
        for f in result.findings:
            message = f.message[lang] + (f"\n（{f.reason}）" if f.reason else "")
            table.add_row(label, f.rule_id, _VERDICT[lang][f.verdict], f.severity, f.citation[lang], message)
    console.print(table)
    s = summarize(results)
    console.print(
        (f"案例 {s['cases']} 件，输入无效 {s['invalid']} 件；违规 {s['violated']} 项，待定 {s['pending']} 项，无法判断 {s['unknown']} 项。"
         if zh else
         f"{s['cases']} cases, {s['invalid']} invalid; {s['violated']} violated, {s['pending']} pending, {s['unknown']} unknown.")
        + f"  rulebook {rulebook.version} ({rulebook.profile})")
    return buffer.getvalue()
