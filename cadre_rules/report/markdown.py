"""The Markdown report: summary tables first, then one section per case (spooled, flat memory)."""
from __future__ import annotations

from typing import Any, Iterable

from cadre_rules.audit.auditor import CaseResult
from cadre_rules.rulebook import Rulebook
from cadre_rules.report.base import ReportContext, SpoolingRenderer, render_results
from cadre_rules.report.model import ReportedCase
from cadre_rules.model.labels import path_label
from cadre_rules.report.controls import shown

T = {
    "zh": {"title": "干部选拔任用合规审计报告", "rulebook": "规则库", "as_of": "基准日", "redacted": "已脱敏",
           "waivers": "豁免文件", "summary": "汇总", "item": "项目", "count": "数量", "cases": "案例（件）",
           "invalid": "输入无效（件）", "violated": "发现问题（项）", "pending": "待定（项）", "unknown": "无法判断（项）",
           "waived": "已豁免（项）", "with_violations": "有违规的案例（件）", "by_rule": "问题按规则",
           "sev_violation": "其中违规（项）", "sev_warning": "其中提醒（项）", "sev_info": "其中提示（项）",
           "by_stage": "按阶段", "by_year": "按年度", "by_org": "按单位", "rule": "规则", "rule_title": "名称",
           "stage": "阶段", "year": "年度", "org": "单位", "cases_col": "案例", "invalid_col": "无效",
           "violated_col": "问题", "pending_col": "待定", "unknown_col": "无法判断", "waived_col": "已豁免",
           "case_section": "案例明细", "source": "来源", "verdict": "结论", "severity": "严重性", "basis": "依据",
           "message": "说明", "where": "位置", "none": "无", "yes": "是", "no": "否", "problems": "问题",
           "waiver": "豁免", "expired": "豁免已过期（不再适用）", "version-mismatch": "豁免所依规则库版本不符（不适用）",
           "unused": "未用到的豁免", "errors": "豁免错误", "not_judged": "未判断及原因",
           "missing_record": "缺少的记录", "not_judged_col": "未判断"},
    "en": {"title": "Cadre selection compliance audit", "rulebook": "Rulebook", "as_of": "As of", "redacted": "Redacted",
           "waivers": "Waiver file", "summary": "Summary", "item": "Item", "count": "Count", "cases": "Cases",
           "invalid": "Invalid inputs", "violated": "Findings (rules not met)", "pending": "Pending findings",
           "sev_violation": "of which violations", "sev_warning": "of which warnings", "sev_info": "of which notes",
           "unknown": "Unknown findings", "waived": "Waived findings", "with_violations": "Cases with violations",
           "by_rule": "Findings by rule", "by_stage": "By stage", "by_year": "By year", "by_org": "By organisation",
           "rule": "Rule", "rule_title": "Title", "stage": "Stage", "year": "Year", "org": "Organisation",
           "cases_col": "Cases", "invalid_col": "Invalid", "violated_col": "Findings", "pending_col": "Pending",
           "unknown_col": "Unknown", "waived_col": "Waived", "case_section": "Cases", "source": "Source",
           "verdict": "Verdict", "severity": "Severity", "basis": "Basis", "message": "Message", "where": "Where",
           "none": "none", "yes": "yes", "no": "no", "problems": "Problems", "waiver": "Waiver",
           "expired": "waiver expired (no longer applies)",
           "version-mismatch": "waiver for another rulebook version (does not apply)", "unused": "Unused waivers",
           "errors": "Waiver errors", "not_judged": "Not judged, and why", "missing_record": "Missing record",
           "not_judged_col": "Not judged"},
}


def cell(value: Any) -> str:
    text = "" if value is None else shown(str(value))
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def row(*values: Any) -> str:
    return "| " + " | ".join(cell(v) for v in values) + " |\n"


class MarkdownRenderer(SpoolingRenderer):
    name = "markdown"
    media_type = "text/markdown"

    def __init__(self, ctx: ReportContext) -> None:
        super().__init__(ctx)
        self.t = T[ctx.lang]

    def fragment(self, case: ReportedCase) -> str:
        t, lang = self.t, self.ctx.lang
        info = case.case
        title = f" — {info['title']}" if info.get("title") else ""
        out = [f"### {cell(case.case_id or '?')}{cell(title)}\n\n",
               f"- {t['source']}: `{shown(case.source).replace('`', '')}`\n"]
        if info.get("organisation"):
            out.append(f"- {t['org']}: {cell(info['organisation'])}\n")
        if info.get("year"):
            out.append(f"- {t['year']}: {info['year']}\n")
        out.append("\n")
        if case.status == "invalid":
            out.append(f"**{self.ctx.verdict_label('invalid')}**\n\n")
            for e in case.errors:
                out.append(f"- {e.where() + ' ' if e.where() else ''}`{e.path or '—'}`: {cell(e.text(lang))}\n")
            return "".join(out) + "\n"
        scope = self._scope(case)
        if not case.findings:
            return "".join(out) + f"**{self.ctx.verdict_label(self.ctx.overall(case))}**\n\n" + scope
        out.append(row(t["rule"], t["verdict"], t["severity"], t["stage"], t["basis"], t["message"], t["where"]))
        out.append("|---|---|---|---|---|---|---|\n")
        for f in case.findings:
            message = f.message[lang] + (f" ({f.reason})" if f.reason and lang != "zh" else "")  # zh: in the message
            waiver = getattr(f, "waiver", None)
            if waiver:
                label = t["waiver"] if waiver["status"] == "active" else t[waiver["status"]]
                message += f"\n{label}: {waiver['approver']} — {waiver['reason']} (→ {waiver['expires']})"
            if responsible := self.ctx.accountability_text(f):
                message += f"\n{responsible}"
            out.append(row(f.rule_id, self.ctx.finding_label(f), self.ctx.severity_label(f.severity), self.ctx.stage_label(f.stage),
                           self.ctx.citation(f), message, self.ctx.where(f)))
        return "".join(out) + "\n" + scope

    def _scope(self, case: ReportedCase) -> str:
        """Acts before the earliest edition, listed as not judged (empty when there are none)."""
        if not case.out_of_scope:
            return ""
        return (f"{cell(self.ctx.scope_heading())}:\n\n"
                + "".join(f"- {cell(line)}\n" for line in self.ctx.scope_lines(case)) + "\n")

    def head(self, summary: dict[str, Any]) -> str:
        t, ctx = self.t, self.ctx
        rb = ctx.rulebook
        out = [f"# {t['title']}\n\n",
               f"- {t['rulebook']}: `{rb.version}` ({rb.profile})\n",
               f"- {t['as_of']}: {ctx.as_of.isoformat()}\n",
               f"- {t['redacted']}: {t['yes'] if ctx.redacted else t['no']}\n"]
        if ctx.waivers:
            out.append(f"- {t['waivers']}: `{ctx.waivers}`\n")
        out += [f"\n## {t['summary']}\n\n", row(t["item"], t["count"]), "|---|---:|\n"]
        for key, label in (("cases", "cases"), ("invalid", "invalid"), ("cases_with_violations", "with_violations"),
                           ("violated", "violated"), ("pending", "pending"), ("unknown", "unknown"),
                           ("waived", "waived")):
            out.append(row(t[label], summary[key]))
            if key == "violated":
                out += [row(t[f"sev_{sev}"], n) for sev, n in summary.get("by_severity", {}).items()]
        if summary["by_rule"]:
            out += [f"\n### {t['by_rule']}\n\n", row(t["rule"], t["rule_title"], t["violated_col"]), "|---|---|---:|\n"]
            titles = {r.id: r.title.get(ctx.lang, r.id) for r in rb.rules}
            for rule_id, n in summary["by_rule"].items():
                out.append(row(rule_id, titles.get(rule_id, ""), n))
        if summary["by_stage"]:
            out += [f"\n### {t['by_stage']}\n\n",
                    row(t["stage"], t["violated_col"], t["pending_col"], t["unknown_col"], t["waived_col"]),
                    "|---|---:|---:|---:|---:|\n"]
            for stage, c in summary["by_stage"].items():
                out.append(row(ctx.stage_label(stage), c["violated"], c["pending"], c["unknown"], c["waived"]))
        not_judged = summary.get("not_judged")
        if not_judged:
            out += [f"\n### {t['not_judged']}\n\n", row(t["rule"], t["rule_title"], t["not_judged_col"]), "|---|---|---:|\n"]
            titles = {r.id: r.title.get(ctx.lang, r.id) for r in rb.rules}
            for rule_id, n in not_judged["by_rule"].items():
                out.append(row(rule_id, titles.get(rule_id, ""), n))
            out += ["\n", row(t["missing_record"], t["not_judged_col"]), "|---|---:|\n"]
            for record, n in not_judged["by_record"].items():
                out.append(row(f"{path_label(record)}（`{record}`）" if ctx.lang == "zh" else f"`{record}`", n))
        for key, label, col in (("by_year", "by_year", "year"), ("by_organisation", "by_org", "org")):
            if summary[key]:
                out += [f"\n### {t[label]}\n\n", row(t[col], t["cases_col"], t["invalid_col"], t["violated_col"]),
                        "|---|---:|---:|---:|\n"]
                for k, c in summary[key].items():
                    out.append(row(k, c["cases"], c["invalid"], c["violated"]))
        waivers = summary.get("waivers", {})
        for key in ("errors", "unused"):
            if waivers.get(key):
                out.append(f"\n### {t[key]}\n\n" + "".join(f"- {cell(p)}\n" for p in waivers[key]))
        out.append(f"\n## {t['case_section']}\n\n")
        return "".join(out)


def render_markdown(results: Iterable[CaseResult], rulebook: Rulebook, **context: Any) -> str:
    return render_results(MarkdownRenderer, results, rulebook, **context)
