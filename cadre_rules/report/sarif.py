"""SARIF 2.1.0: the rules as `tool.driver.rules`, findings as `results`, invalid inputs as notifications.

* Every rule is a reporting descriptor with its title, a help text (zh and en, with the citation of
  each edition: document, edition, article, whether the article is verified) and its default level
  (severity violation → error, warning → warning, info → note); `properties` keep stage, severity
  and the citations as data.
* A finding is a result: `kind` fail (violated, waived), open (pending) or review (unknown); level
  from the severity for failures, `none` otherwise. Its location is logical — the case, the stage
  and each event (fact) the finding rests on, as `case-id/stage/event` — plus the physical source
  file (with the line for a JSON Lines input).
* A waived finding carries a `suppressions` entry (kind external, status accepted, the reason as
  justification, approver and expiry as properties); a waiver that no longer applies (expired, or
  for another rulebook version) appears as a suppression with status `rejected`, so the result
  still counts.
* An invalid input is a `toolExecutionNotifications` entry of the invocation (level error).
* "Not judged, and why": each rule that gave `unknown` is a `toolExecutionNotifications` entry (level
  note, descriptor NOT-JUDGED, the rule as `associatedRule`, the count), and `runs[0].properties.notJudged`
  counts the unknown findings per rule and per missing record.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from typing import Any, Iterable, TextIO
from urllib.parse import quote

from cadre_rules.audit.auditor import CaseResult
from cadre_rules.rulebook import Rulebook
from cadre_rules.report.base import SPOOL_IN_MEMORY, Renderer, ReportContext, render_results
from cadre_rules.report.model import ReportedCase

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"violation": "error", "warning": "warning", "info": "note"}
KIND = {"violated": "fail", "waived": "fail", "pending": "open", "unknown": "review"}
_JSONL_SOURCE = re.compile(r"^(?P<path>.+\.jsonl):(?P<line>\d+)$", re.I)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("cadre-rules")
    except Exception:  # pragma: no cover - running from a checkout without metadata
        return "0"


def physical_location(source: str) -> dict[str, Any]:
    match = _JSONL_SOURCE.match(source)
    path, line = (match["path"], int(match["line"])) if match else (source, None)
    location: dict[str, Any] = {"artifactLocation": {"uri": quote(path.replace("\\", "/"), safe="/:._-~")}}
    if line:
        location["region"] = {"startLine": line}
    return location


def rule_descriptor(rule: Any) -> dict[str, Any]:
    citations = [{"edition": c.edition, "document": c.document, "article": c.article, "verified": c.verified,
                  "confidence": c.confidence, "label": {"zh": c.label("zh"), "en": c.label("en")}} for c in rule.basis]
    help_zh = "\n".join(["依据：", *(f"- {c['label']['zh']}" for c in citations)])
    help_en = "\n".join(["Basis:", *(f"- {c['label']['en']}" for c in citations)])
    text = f"{rule.title['zh']}\n{help_zh}\n\n{rule.title['en']}\n{help_en}"
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.title["zh"]},
        "fullDescription": {"text": f"{rule.title['zh']} / {rule.title['en']}"},
        "help": {"text": text, "markdown": text.replace("\n", "  \n")},
        "defaultConfiguration": {"level": LEVEL.get(rule.severity, "warning")},
        "properties": {"stage": rule.stage, "severity": rule.severity, "title": dict(rule.title),
                       "citations": citations, "effective": {"from": rule.effective_from.isoformat(),
                                                             "to": rule.effective_to.isoformat()
                                                             if rule.effective_to else None},
                       "tags": [rule.stage, rule.severity]},
    }


class SarifRenderer(Renderer):
    name = "sarif"
    media_type = "application/sarif+json"

    def __init__(self, ctx: ReportContext) -> None:
        super().__init__(ctx)
        self.rule_index = {r.id: i for i, r in enumerate(ctx.rulebook.rules)}
        self.results = 0
        self.notifications = 0

    def _result(self, case: ReportedCase, f: Any) -> dict[str, Any]:
        lang, other = self.ctx.lang, "en" if self.ctx.lang == "zh" else "zh"
        case_id = case.case_id or case.source
        logical = [{"name": case_id, "fullyQualifiedName": case_id, "kind": "case"},
                   {"name": f.stage, "fullyQualifiedName": f"{case_id}/{f.stage}", "kind": "stage"}]
        logical += [{"name": event, "fullyQualifiedName": f"{case_id}/{f.stage}/{event}", "kind": "event"}
                    for event in f.evidence]
        failing = KIND[f.verdict] == "fail"
        result: dict[str, Any] = {
            "ruleId": f.rule_id,
            "kind": KIND[f.verdict],
            "level": LEVEL.get(f.severity, "warning") if failing else "none",
            "message": {"text": f.message[lang] + (f" ({f.reason})" if f.reason else "")},
            "locations": [{"physicalLocation": physical_location(case.source), "logicalLocations": logical}],
            "partialFingerprints": {"caseRuleEvidence/v1": hashlib.sha256(
                "\x1f".join([case_id, f.rule_id, *f.evidence]).encode()).hexdigest()[:32]},
            "properties": {"caseId": case.case_id, "caseTitle": case.case.get("title"),
                           "organisation": case.case.get("organisation"), "source": case.source, "verdict": f.verdict,
                           "severity": f.severity, "stage": f.stage, "edition": f.edition, "article": f.article,
                           "articleVerified": f.article_verified, "confidence": f.confidence,
                           "citation": dict(f.citation), "alsoCited": [dict(c) for c in f.also_cited],
                           "title": dict(f.title),
                           f"message_{other}": f.message[other], "evidence": list(f.evidence),
                           "paths": list(f.paths), "actDate": f.act_date, "reason": f.reason},
        }
        if f.rule_id in self.rule_index:
            result["ruleIndex"] = self.rule_index[f.rule_id]
        waiver = getattr(f, "waiver", None)
        if waiver:
            result["properties"]["waivedFrom"] = getattr(f, "waived_from", None)
            result["suppressions"] = [{
                "kind": "external",
                "status": "accepted" if waiver["status"] == "active" else "rejected",
                "justification": waiver["reason"],
                "properties": {"approver": waiver["approver"], "expires": waiver["expires"],
                               "granted": waiver["granted"], "rulebookVersion": waiver["rulebook_version"],
                               "waiverStatus": waiver["status"], "source": waiver["source"]},
            }]
        return result

    def fragment(self, case: ReportedCase) -> tuple[str, str]:
        if case.status == "invalid":
            notes = [_dumps({
                "level": "error",
                "message": {"text": f"{e.path + ': ' if e.path else ''}{e.message}"},
                "descriptor": {"id": "INPUT-INVALID"},
                "locations": [{"physicalLocation": physical_location(case.source),
                               **({"logicalLocations": [{"name": case.case_id, "kind": "case"}]}
                                  if case.case_id else {})}],
            }) for e in case.errors]
            return "", ",\n".join(notes)
        return ",\n".join(_dumps(self._result(case, f)) for f in case.findings), ""

    def begin(self, out: TextIO) -> None:
        self._notes = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, mode="w+", encoding="utf-8")
        driver = {"name": "cadre-rules", "fullName": "cadre-rules 干部选拔任用合规审计", "version": _version(),
                  "semanticVersion": _version(),
                  "language": "zh-CN" if self.ctx.lang == "zh" else "en",
                  "rules": [rule_descriptor(r) for r in self.ctx.rulebook.rules],
                  "properties": {"rulebookVersion": self.ctx.rulebook.version, "profile": self.ctx.rulebook.profile}}
        out.write('{"$schema":"' + SCHEMA + '","version":"2.1.0","runs":[{"tool":{"driver":' + _dumps(driver)
                  + '},"results":[\n')

    def add(self, out: TextIO, fragment: Any) -> None:
        results, notes = fragment
        if results:
            out.write((",\n" if self.results else "") + results)
            self.results += 1
        if notes:
            self._notes.write(("," if self.notifications else "") + notes)
            self.notifications += 1
        self.count += 1

    def end(self, out: TextIO, summary: dict[str, Any]) -> None:
        invocation_head = {"executionSuccessful": True,
                           "properties": {"asOf": self.ctx.as_of.isoformat(), "redacted": self.ctx.redacted,
                                          "waivers": self.ctx.waivers}}
        if self.ctx.command:
            invocation_head["commandLine"] = self.ctx.command
        head = _dumps(invocation_head)[:-1]
        out.write('\n],"invocations":[' + head + ',"toolExecutionNotifications":[')
        self._notes.seek(0)
        shutil.copyfileobj(self._notes, out, 1024 * 1024)
        self._notes.close()
        not_judged = self._not_judged(summary)
        if not_judged:
            out.write(("," if self.notifications else "") + ",".join(_dumps(n) for n in not_judged))
        properties: dict[str, Any] = {"asOf": self.ctx.as_of.isoformat(), "summary": summary}
        if summary.get("not_judged"):
            properties["notJudged"] = {"byRule": summary["not_judged"]["by_rule"],
                                       "byRecord": summary["not_judged"]["by_record"],
                                       "text": "\n".join(self.ctx.not_judged_lines(summary))}
        out.write(']}],"properties":' + _dumps(properties) + "}]}\n")

    def _not_judged(self, summary: dict[str, Any]) -> list[dict[str, Any]]:
        """"Not judged, and why": one `note` notification per rule that gave `unknown` (descriptor
        NOT-JUDGED, the rule as `associatedRule`, the count), so a SARIF viewer shows what to collect."""
        not_judged = summary.get("not_judged")
        if not not_judged:
            return []
        zh = self.ctx.lang == "zh"
        notes = []
        for rule_id, n in not_judged["by_rule"].items():
            rule: dict[str, Any] = {"id": rule_id}
            if rule_id in self.rule_index:
                rule["index"] = self.rule_index[rule_id]
            text = (f"{rule_id} 未能判断 {n} 项（无法判断的原因见各结果的 reason；按缺少的记录统计见 runs[0].properties.notJudged）"
                    if zh else f"{rule_id} could not be judged {n} time(s) (each result's reason says why; "
                               f"runs[0].properties.notJudged counts them per missing record)")
            notes.append({"level": "note", "message": {"text": text}, "descriptor": {"id": "NOT-JUDGED"},
                          "associatedRule": rule, "properties": {"count": n}})
        return notes


def render_sarif(results: Iterable[CaseResult], rulebook: Rulebook, **context: Any) -> str:
    return render_results(SarifRenderer, results, rulebook, **context)
