"""The rulebook described as plain data: what `cadre-rules rules list --format json` prints and the
decision service's GET /v1/rules answers (one function, so that the two cannot differ)."""
from __future__ import annotations

from typing import Any

from cadre_rules.rulebook import Rulebook


def engine_plans(rulebook: Rulebook, register: bool = False) -> dict[str, tuple[str, str | None]]:
    """Per rule: which evaluator judges it under `--engine durable`, and why not the engine if not."""
    from cadre_rules.engine.durable_compile import compile_ruleset

    compiled = compile_ruleset(list(rulebook.register_rules if register else rulebook.rules), rulebook.editions)
    return {p.rule.id: (p.engine, p.reason or None) for p in compiled.plans}


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None


def _sources(rulebook: Rulebook, text: str) -> list[dict[str, Any]]:
    """The sources a citation names ([S8] …), with their titles and where to read them."""
    legend = rulebook.legend
    return [legend.sources[sid].to_dict() for sid in legend.source_ids(text) if sid in legend.sources]


def citation_status(c: Any) -> str:
    """verified (article and wording checked against a text), located (an article number, not verified),
    or not_located (no article found)."""
    return "verified" if c.verified else ("located" if c.article is not None else "not_located")


def citation_counts(rulebook: Rulebook) -> dict[str, dict[str, int]]:
    """Per edition (in editions.yaml order): how many citations are verified, located, not located."""
    counts = {e: {"verified": 0, "located": 0, "not_located": 0} for e in rulebook.editions}
    for rule in rulebook.rules:
        for c in rule.basis:
            counts[c.edition][citation_status(c)] += 1
    return {e: n for e, n in counts.items() if sum(n.values())}


def citation_summary(rulebook: Rulebook) -> list[str]:
    """One line per edition: the state of its citations, for people checking them against the texts."""
    lines = []
    for eid, n in citation_counts(rulebook).items():
        title = rulebook.editions[eid].heading()["zh"]
        total = sum(n.values())
        lines.append(f"{title} [{eid}]: {total} — verified {n['verified']}, located {n['located']}, "
                     f"not located {n['not_located']}")
    return lines


def describe_rules(rulebook: Rulebook) -> dict[str, Any]:
    plans = engine_plans(rulebook)
    register_plans = engine_plans(rulebook, register=True)
    return {
        "rulebook": {"version": rulebook.version, "profile": rulebook.profile, "base": rulebook.base,
                     "disabled": [d.to_dict() for d in rulebook.disabled]},
        "editions": [{"id": e.id, "document": e.document, "title": e.heading(), "document_number": e.document_number or None,
                      "issuer": e.issuer or None, "sources": list(e.sources), "from": e.start.isoformat(),
                      "to": e.end.isoformat() if e.end else None, "date_confidence": e.date_confidence, "note": e.note}
                     for e in rulebook.editions.values()],
        "citations": citation_counts(rulebook),
        "rules": [_rule(r, rulebook, plans) for r in rulebook.rules],
        # the cross-case rules (`scope: register`, docs/register.md): judged per unit of an organisation register
        "register_rules": [_rule(r, rulebook, register_plans) for r in rulebook.register_rules],
    }


def _rule(r: Any, rulebook: Rulebook, plans: dict[str, tuple[str, str | None]]) -> dict[str, Any]:
    return {
        "id": r.id, "stage": r.stage, "severity": r.severity, "title": dict(r.title),
        "catalogue": dict(r.catalogue),
        "effective": {"from": r.effective_from.isoformat(), "to": r.effective_to.isoformat() if r.effective_to else None},
        # the rule's editions: each citation with the window its edition is in force
        "basis": [{"edition": c.edition, "document": c.document, "instrument": dict(c.heading),
                   "from": rulebook.editions[c.edition].start.isoformat(),
                   "to": _iso(rulebook.editions[c.edition].end),
                   "article": c.article, "confidence": c.confidence,
                   "verified": c.verified, "located": c.article is not None, "status": citation_status(c),
                   "source": c.source, "note": c.note, "params": dict(c.params),
                   "citation": {"zh": c.label("zh"), "en": c.label("en")},
                   "sources": _sources(rulebook, c.source + " " + c.note)} for c in r.basis],
        "parameters": {p.name: {"type": p.kind, "value": p.default, "doc": p.doc} for p in r.parameters.values()},
        # under --engine durable: "durable" (matched by the Rete engine) or "python" (with the reason)
        "engine": plans[r.id][0],
        "engine_reason": plans[r.id][1],
        "source": f"{r.file}:{r.line}",
    }
