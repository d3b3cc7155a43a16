"""Plain descriptions of the rules, for `rules list` and the docs."""
from __future__ import annotations

from io import StringIO
from typing import Any

from rich.console import Console
from rich.table import Table

from cadre_rules.rulebook import Rulebook


def engine_plans(rulebook: Rulebook) -> dict[str, tuple[str, str | None]]:
    """Per rule: which evaluator judges it under `--engine durable`, and why not the engine if not."""
    from cadre_rules.engine.durable_compile import compile_ruleset

    compiled = compile_ruleset(list(rulebook.rules), rulebook.editions)
    return {p.rule.id: (p.engine, p.reason or None) for p in compiled.plans}


def _sources(rulebook: Rulebook, text: str) -> list[dict[str, Any]]:
    """The sources a citation names ([S8] …), with their titles and where to read them."""
    legend = rulebook.legend
    return [legend.sources[sid].to_dict() for sid in legend.source_ids(text) if sid in legend.sources]


def describe_rules(rulebook: Rulebook) -> dict[str, Any]:
    plans = engine_plans(rulebook)
    return {
        "rulebook": {"version": rulebook.version, "profile": rulebook.profile},
        "editions": [{"id": e.id, "document": e.document, "title": e.heading(), "document_number": e.document_number or None,
                      "issuer": e.issuer or None, "sources": list(e.sources), "from": e.start.isoformat(),
                      "to": e.end.isoformat() if e.end else None, "date_confidence": e.date_confidence, "note": e.note}
                     for e in rulebook.editions.values()],
        "rules": [{
            "id": r.id, "stage": r.stage, "severity": r.severity, "title": dict(r.title),
            "catalogue": dict(r.catalogue),
            "effective": {"from": r.effective_from.isoformat(), "to": r.effective_to.isoformat() if r.effective_to else None},
            "basis": [{"edition": c.edition, "document": c.document, "instrument": dict(c.heading),
                       "article": c.article, "confidence": c.confidence,
                       "verified": c.verified, "source": c.source, "note": c.note, "params": dict(c.params),
                       "citation": {"zh": c.label("zh"), "en": c.label("en")},
                       "sources": _sources(rulebook, c.source + " " + c.note)} for c in r.basis],
            "parameters": {p.name: {"type": p.kind, "value": p.default, "doc": p.doc} for p in r.parameters.values()},
            # under --engine durable: "durable" (matched by the Rete engine) or "python" (with the reason)
            "engine": plans[r.id][0],
            "engine_reason": plans[r.id][1],
            "source": f"{r.file}:{r.line}",
        } for r in rulebook.rules],
    }


def rules_table(rulebook: Rulebook) -> str:
    buffer = StringIO()
    console = Console(file=buffer, width=160, no_color=True, highlight=False)
    table = Table(title=f"规则 Rules — {rulebook.profile} {rulebook.version}", show_lines=False)
    for col in ("ID", "阶段 Stage", "严重性 Severity", "标题 Title", "依据 Basis", "--engine durable"):
        table.add_column(col, overflow="fold")
    plans = engine_plans(rulebook)
    for r in rulebook.rules:
        engine, reason = plans[r.id]
        table.add_row(r.id, r.stage, r.severity, r.title["zh"], "\n".join(c.label("zh") for c in r.basis),
                      engine if reason is None else f"{engine}: {reason}")
    console.print(table)
    return buffer.getvalue()
