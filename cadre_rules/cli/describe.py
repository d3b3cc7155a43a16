"""Plain descriptions of the rules, for `rules list` and the docs."""
from __future__ import annotations

from io import StringIO

from rich.table import Table

from cadre_rules.report.rules import citation_summary, describe_rules, engine_plans  # noqa: F401 - re-exported for the commands
from cadre_rules.report.terminal import Terminal, console as terminal_console
from cadre_rules.rulebook import Rulebook


def rules_table(rulebook: Rulebook, terminal: Terminal | None = None) -> str:
    """The rules as a table as wide as `terminal` (default: 120 columns, no colour)."""
    buffer = StringIO()
    console = terminal_console(buffer, terminal or Terminal())
    table = Table(title=f"规则 Rules — {rulebook.profile} {rulebook.version}", show_lines=False)
    for col in ("ID", "阶段 Stage", "严重性 Severity", "标题 Title", "依据 Basis", "--engine durable"):
        table.add_column(col, overflow="fold")
    plans = engine_plans(rulebook)
    for r in rulebook.rules:
        engine, reason = plans[r.id]
        table.add_row(r.id, r.stage, r.severity, r.title["zh"], "\n".join(c.label("zh") for c in r.basis),
                      engine if reason is None else f"{engine}: {reason}")
    console.print(table)
    for d in rulebook.disabled:
        console.print(f"停用 Disabled: {d.rule_id} — {d.reason}（{d.layer}，{d.file}:{d.line}"
                      + (f"，{d.approved_by}" if d.approved_by else "") + "）", soft_wrap=True, markup=False)
    console.print("引用核实情况 Citations by edition (verified: article and wording checked against a text; "
                  "located: an article number, not verified; not located: none):", soft_wrap=True)
    for line in citation_summary(rulebook):
        console.print(f"  {line}", soft_wrap=True)
    return buffer.getvalue()
