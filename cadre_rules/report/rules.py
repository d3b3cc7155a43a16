"""The rulebook described as plain data: what `cadre-rules rules list --format json` prints and the
decision service's GET /v1/rules answers (one function, so that the two cannot differ)."""
from __future__ import annotations

from typing import Any

from cadre_rules.rulebook import Rulebook


def engine_plans(rulebook: Rulebook) -> dict[str, tuple[str, str | None]]:
    """Per rule: which evaluator judges it under `--engine durable`, and why not the engine if not."""
    from cadre_rules.engine.durable_compile import compile_ruleset

    compiled = compile_ruleset(list(rulebook.rules), rulebook.editions)
    return {p.rule.id: (p.engine, p.reason or None) for p in compiled.plans}


def describe_rules(rulebook: Rulebook) -> dict[str, Any]:
    plans = engine_plans(rulebook)
    return {
        "rulebook": {"version": rulebook.version, "profile": rulebook.profile},
        "editions": [{"id": e.id, "document": e.document, "from": e.start.isoformat(),
                      "to": e.end.isoformat() if e.end else None, "date_confidence": e.date_confidence, "note": e.note}
                     for e in rulebook.editions.values()],
        "rules": [{
            "id": r.id, "stage": r.stage, "severity": r.severity, "title": dict(r.title),
            "catalogue": dict(r.catalogue),
            "effective": {"from": r.effective_from.isoformat(), "to": r.effective_to.isoformat() if r.effective_to else None},
            "basis": [{"edition": c.edition, "document": c.document, "article": c.article, "confidence": c.confidence,
                       "verified": c.verified, "source": c.source, "note": c.note, "params": dict(c.params),
                       "citation": {"zh": c.label("zh"), "en": c.label("en")}} for c in r.basis],
            "parameters": {p.name: {"type": p.kind, "value": p.default, "doc": p.doc} for p in r.parameters.values()},
            # under --engine durable: "durable" (matched by the Rete engine) or "python" (with the reason)
            "engine": plans[r.id][0],
            "engine_reason": plans[r.id][1],
            "source": f"{r.file}:{r.line}",
        } for r in rulebook.rules],
    }
