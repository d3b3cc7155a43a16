"""The HTML report: one self-contained page (no scripts, no external assets).

Summary first — counts, then bar charts (CSS bars, widths proportional to the counts) of violated
findings by rule, findings by stage and cases and violations by year and by organisation — then one
collapsible section per case. Cases are spooled while the summary is gathered (flat memory).
"""
from __future__ import annotations

from html import escape
from typing import Any, Iterable

from cadre_rules.audit.auditor import CaseResult
from cadre_rules.rulebook import Rulebook
from cadre_rules.report.base import ReportContext, SpoolingRenderer, finding_class, render_results
from cadre_rules.report.markdown import T
from cadre_rules.report.model import ReportedCase

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","WenQuanYi Micro Hei",system-ui,sans-serif;margin:2rem;
color:#1f2328;background:#fff;line-height:1.5}
h1{font-size:1.6rem;margin:0 0 .5rem}h2{font-size:1.25rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem;margin:0 0 1rem}
dl.meta dt{font-weight:600}dl.meta dd{margin:0}
.counts{display:flex;flex-wrap:wrap;gap:.6rem;margin:.5rem 0 1rem}
.count{border:1px solid #d0d7de;border-radius:6px;padding:.4rem .8rem;min-width:7rem}
.count b{display:block;font-size:1.4rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(26rem,1fr));gap:1.5rem}
table.chart{border-collapse:collapse;width:100%;table-layout:fixed}
table.chart td{padding:.15rem .4rem;vertical-align:middle;font-size:.9rem}
table.chart td.label{width:40%;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
table.chart td.n{text-align:right;width:3.5rem;font-variant-numeric:tabular-nums}
.track{background:#eef1f4;height:.9rem;width:100%;display:flex}
.bar{height:100%;display:block}
.bar.violated{background:#cf222e}.bar.pending{background:#bf8700}.bar.unknown{background:#8c959f}
.bar.waived{background:#0969da}.bar.cases{background:#6e7781}.bar.invalid{background:#953800}
.legend span{display:inline-block;margin-right:1rem;font-size:.85rem}
.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
details.case{border:1px solid #d0d7de;border-radius:6px;margin:.4rem 0;padding:.3rem .7rem}
details.case>summary{cursor:pointer;font-weight:600}
.badge{display:inline-block;border-radius:1rem;padding:0 .55rem;font-size:.8rem;color:#fff;margin-left:.4rem}
.badge.violated,.badge.violation{background:#cf222e}.badge.warning{background:#9a6700}.badge.info{background:#57606a}.badge.pending{background:#bf8700}.badge.unknown{background:#8c959f}
.badge.waived{background:#0969da}.badge.invalid{background:#953800}.badge.compliant{background:#1a7f37}
table.findings{border-collapse:collapse;width:100%;margin:.4rem 0;font-size:.9rem}
table.findings th,table.findings td{border:1px solid #d0d7de;padding:.25rem .45rem;text-align:left;vertical-align:top}
table.findings th{background:#f6f8fa}
.src{color:#57606a;font-size:.85rem;font-weight:400}
"""


# A case's badges, gravest first: what its findings are called (report/base.py finding_label).
_MARKS = ("violation", "warning", "info", "pending", "unknown", "waived")


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _chart(chart_id: str, title: str, rows: list[tuple[str, dict[str, int]]], series: list[tuple[str, str]]) -> str:
    """A bar chart as a table: one row per key, stacked CSS bars of the series, widths relative to the largest."""
    biggest = max((sum(values.get(s, 0) for s, _ in series) for _, values in rows), default=0) or 1
    out = [f'<section class="chart-box"><h3>{_e(title)}</h3>',
           '<div class="legend">' + "".join(f'<span><i class="bar {s}"></i>{_e(label)}</span>' for s, label in series)
           + "</div>", f'<table class="chart" id="{chart_id}">']
    for key, values in rows:
        total = sum(values.get(s, 0) for s, _ in series)
        bars = "".join(
            f'<span class="bar {s}" data-series="{s}" data-value="{values.get(s, 0)}" '
            f'style="width:{100 * values.get(s, 0) / biggest:.4f}%"></span>'
            for s, _ in series if values.get(s, 0))
        out.append(f'<tr data-key="{_e(key)}" data-total="{total}"><td class="label" title="{_e(key)}">{_e(key)}</td>'
                   f'<td><div class="track">{bars}</div></td><td class="n">{total}</td></tr>')
    if not rows:
        out.append('<tr><td class="label">—</td><td></td><td class="n">0</td></tr>')
    out.append("</table></section>")
    return "".join(out)


class HtmlRenderer(SpoolingRenderer):
    name = "html"
    media_type = "text/html"

    def __init__(self, ctx: ReportContext) -> None:
        super().__init__(ctx)
        self.t = T[ctx.lang]

    def fragment(self, case: ReportedCase) -> str:
        t, lang, ctx = self.t, self.ctx.lang, self.ctx
        marks = [finding_class(f) for f in case.findings]  # violation | warning | info | pending | unknown | waived
        labels = {finding_class(f): ctx.finding_label(f) for f in case.findings}
        overall = ("invalid" if case.status == "invalid" else
                   next((v for v in _MARKS if v in marks), "compliant"))
        info = case.case
        badges = (f'<span class="badge {overall}">{_e(ctx.verdict_label(overall))}</span>' if overall in
                  ("invalid", "compliant") else "".join(
                      f'<span class="badge {v}">{_e(labels[v])} {marks.count(v)}</span>'
                      for v in _MARKS if v in marks))
        out = [f'<details class="case" data-case-id="{_e(case.case_id)}" data-status="{overall}"'
               f'{" open" if overall in ("violation", "invalid") else ""}>',
               f"<summary>{_e(case.case_id or '?')} {_e(info.get('title') or '')}{badges} "
               f'<span class="src">{_e(case.source)}</span></summary>',
               f'<dl class="meta"><dt>{_e(t["org"])}</dt><dd>{_e(info.get("organisation") or "—")}</dd>'
               f'<dt>{_e(t["year"])}</dt><dd>{_e(info.get("year") or "—")}</dd></dl>']
        if case.status == "invalid":
            out.append('<ul class="errors">' + "".join(
                f"<li><code>{_e(e.path or '—')}</code>: {_e(e.message)}</li>" for e in case.errors) + "</ul>")
        elif case.findings:
            out.append('<table class="findings"><tr>' + "".join(
                f"<th>{_e(t[k])}</th>" for k in ("rule", "verdict", "severity", "stage", "basis", "message", "where"))
                + "</tr>")
            for f in case.findings:
                message = _e(f.message[lang]) + (f"<br><i>{_e(f.reason)}</i>" if f.reason else "")
                waiver = getattr(f, "waiver", None)
                if waiver:
                    label = t["waiver"] if waiver["status"] == "active" else t[waiver["status"]]
                    message += (f'<br><span class="waiver" data-status="{_e(waiver["status"])}">{_e(label)}: '
                                f'{_e(waiver["approver"])} — {_e(waiver["reason"])} (→ {_e(waiver["expires"])})</span>')
                if responsible := ctx.accountability_text(f):
                    message += f'<br><span class="accountability">{_e(responsible)}</span>'
                out.append(f'<tr class="finding" data-rule="{_e(f.rule_id)}" data-verdict="{_e(f.verdict)}">'
                           f"<td>{_e(f.rule_id)}<br>{_e(f.title.get(lang, ''))}</td>"
                           f'<td><span class="badge {_e(finding_class(f))}">{_e(ctx.finding_label(f))}</span></td>'
                           f"<td>{_e(ctx.severity_label(f.severity))}</td><td>{_e(ctx.stage_label(f.stage))}</td>"
                           f"<td>{_e(ctx.citation(f))}</td><td>{message}</td><td>{_e(', '.join(f.paths))}</td></tr>")
            out.append("</table>")
        return "".join(out) + "</details>\n"

    def head(self, summary: dict[str, Any]) -> str:
        t, ctx = self.t, self.ctx
        rb = ctx.rulebook
        titles = {r.id: r.title.get(ctx.lang, r.id) for r in rb.rules}
        meta = [(t["rulebook"], f"{rb.version} ({rb.profile})"), (t["as_of"], ctx.as_of.isoformat()),
                (t["redacted"], t["yes"] if ctx.redacted else t["no"])]
        if ctx.waivers:
            meta.append((t["waivers"], ctx.waivers))
        counts = [("cases", "cases"), ("invalid", "invalid"), ("cases_with_violations", "with_violations"),
                  ("violated", "violated"), ("pending", "pending"), ("unknown", "unknown"), ("waived", "waived")]
        v = lambda key: T[ctx.lang][key]  # noqa: E731
        charts = [
            _chart("chart-rule", t["by_rule"], [(f"{k} {titles.get(k, '')}", {"violated": n})
                                                for k, n in summary["by_rule"].items()],
                   [("violated", v("violated_col"))]),
            _chart("chart-stage", t["by_stage"], [(ctx.stage_label(k), c) for k, c in summary["by_stage"].items()],
                   [("violated", v("violated_col")), ("pending", v("pending_col")), ("unknown", v("unknown_col")),
                    ("waived", v("waived_col"))]),
            _chart("chart-year", t["by_year"], list(summary["by_year"].items()),
                   [("violated", v("violated_col")), ("invalid", v("invalid_col"))]),
            _chart("chart-year-cases", f'{t["by_year"]} — {t["cases_col"]}',
                   [(k, {"cases": c["cases"]}) for k, c in summary["by_year"].items()], [("cases", v("cases_col"))]),
            _chart("chart-organisation", t["by_org"], list(summary["by_organisation"].items()),
                   [("violated", v("violated_col")), ("invalid", v("invalid_col"))]),
            _chart("chart-organisation-cases", f'{t["by_org"]} — {t["cases_col"]}',
                   [(k, {"cases": c["cases"]}) for k, c in summary["by_organisation"].items()],
                   [("cases", v("cases_col"))]),
        ]
        problems = ""
        not_judged = summary.get("not_judged")
        if not_judged:
            md = T[ctx.lang]
            problems += (f'<h3>{_e(md["not_judged"])}</h3><table class="not-judged" id="not-judged-rules">'
                         f'<tr><th>{_e(md["rule"])}</th><th>{_e(md["rule_title"])}</th><th>{_e(md["not_judged_col"])}</th></tr>'
                         + "".join(f"<tr><td>{_e(k)}</td><td>{_e(titles.get(k, ''))}</td><td>{n}</td></tr>"
                                   for k, n in not_judged["by_rule"].items())
                         + f'</table><table class="not-judged" id="not-judged-records"><tr><th>{_e(md["missing_record"])}</th>'
                         f'<th>{_e(md["not_judged_col"])}</th></tr>'
                         + "".join(f"<tr><td><code>{_e(k)}</code></td><td>{n}</td></tr>"
                                   for k, n in not_judged["by_record"].items()) + "</table>")
        waivers = summary.get("waivers", {})
        for key in ("errors", "unused"):
            if waivers.get(key):
                problems += (f'<h3>{_e(t[key])}</h3><ul class="waiver-{key}">'
                             + "".join(f"<li>{_e(p)}</li>" for p in waivers[key]) + "</ul>")
        return ("<!DOCTYPE html>\n"
                f'<html lang="{"zh-CN" if ctx.lang == "zh" else "en"}"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{_e(t['title'])}</title><style>{CSS}</style></head><body>\n"
                f"<h1>{_e(t['title'])}</h1>"
                '<dl class="meta" id="report-meta">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(val)}</dd>" for k, val in meta)
                + "</dl>\n"
                f'<h2>{_e(t["summary"])}</h2><div class="counts" id="counts">'
                + "".join(f'<div class="count" data-key="{key}"><b>{summary[key]}</b>{_e(t[label])}</div>'
                          for key, label in counts)
                + f'</div>\n<div class="charts">{"".join(charts)}</div>{problems}\n'
                f'<h2>{_e(t["case_section"])}</h2>\n<div id="cases">\n')

    def foot(self, summary: dict[str, Any]) -> str:
        return "</div>\n</body></html>\n"


def render_html(results: Iterable[CaseResult], rulebook: Rulebook, **context: Any) -> str:
    return render_results(HtmlRenderer, results, rulebook, **context)
