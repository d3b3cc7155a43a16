"""The HTML report: one self-contained page (no scripts, no external assets).

Summary first — counts, then bar charts (CSS bars, widths proportional to the counts) of violated
findings by rule, findings by stage and cases and violations by year and by organisation — then one
collapsible section per case. Cases are spooled while the summary is gathered (flat memory).

The page comes from a template a department can replace (`templates/report.html`, placeholders
`$title`, `$letterhead`, `$meta`, `$summary`, `$cases`, ...: `--html-template FILE`), with a
letterhead slot filled from an HTML fragment (`--letterhead FILE`) and a stylesheet for screen and
print (`templates/report.css`: A4, every case printed in full, bars in colour). Charts of rules and
organisations are sorted by count, largest first; years run in order of time, stages in the order
of the procedure.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from string import Template
from typing import Any, Iterable

from cadre_rules.audit.auditor import CaseResult
from cadre_rules.errors import ErrorKind, Problem, Said, TemplateError, os_reason
from cadre_rules.codes import ReportMark
from cadre_rules.rulebook import Rulebook
from cadre_rules.report.base import ReportContext, SpoolingRenderer, finding_class, render_results
from cadre_rules.report.markdown import T
from cadre_rules.report.model import ReportedCase
from cadre_rules.model.labels import path_label
from cadre_rules.report.controls import shown

TEMPLATES = Path(__file__).resolve().parent / "templates"
BUNDLED_TEMPLATE = TEMPLATES / "report.html"
STYLE = (TEMPLATES / "report.css").read_text(encoding="utf-8")
PLACEHOLDERS = ("lang", "title", "style", "letterhead", "meta", "summary", "cases")
_CASES = "\x00cases\x00"  # where the streamed case sections go


@dataclass(frozen=True)
class PageTemplate:
    """A page template split where the cases go: what comes before them and what after."""

    path: str
    text: str
    letterhead: str = ""

    def parts(self, values: dict[str, str]) -> tuple[str, str]:
        page = Template(self.text).substitute({**values, "letterhead": self.letterhead, "cases": _CASES})
        head, foot = page.split(_CASES)
        return head, foot


def load_template(template: str | Path | None = None, letterhead: str | Path | None = None) -> PageTemplate:
    """The page template (the bundled one by default) and the letterhead fragment, checked before any
    case is judged: readable UTF-8, only known placeholders, `$cases` exactly once. TemplateError
    names the file and what is wrong."""
    path = Path(template) if template else BUNDLED_TEMPLATE
    text = _read(path, "HTML template")
    try:
        named = [m.group("named") or m.group("braced") for m in Template.pattern.finditer(text)
                 if m.group("named") or m.group("braced") or m.group("invalid") is not None]
        bad = [m for m in Template.pattern.finditer(text) if m.group("invalid") is not None]
    except re.error:  # pragma: no cover - the pattern is the standard library's
        named, bad = [], []
    if bad:
        line = text.count("\n", 0, bad[0].start()) + 1
        raise TemplateError(Problem(ErrorKind.template_lone_dollar, path=path, line=line), path=str(path))
    for name in named:
        if name not in PLACEHOLDERS:
            near = difflib.get_close_matches(name, PLACEHOLDERS, n=1)
            shown = Said(f" (did you mean ${near[0]}?)", f"（是否应为 ${near[0]}？）") if near else ""
            known = Said(", ".join("$" + p for p in PLACEHOLDERS), "、".join("$" + p for p in PLACEHOLDERS))
            raise TemplateError(Problem(ErrorKind.template_unknown_placeholder, path=path, name=name, near=shown,
                                        known=known), path=str(path))
    if named.count("cases") != 1:
        raise TemplateError(Problem(ErrorKind.template_cases_once, path=path, count=named.count("cases")), path=str(path))
    head = _read(Path(letterhead), "letterhead") if letterhead else ""
    return PageTemplate(str(path), text, head)


_WHAT = {"HTML template": Said("HTML template", "网页模板"), "letterhead": Said("letterhead", "信头文件")}


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = Said(str(exc), os_reason(exc).zh if isinstance(exc, OSError) else "不是 UTF-8 编码")
        raise TemplateError(Problem(ErrorKind.template_cannot_read, path=path, what=_WHAT.get(what, what),
                                    reason=reason),
                            path=str(path)) from None


def by_count(rows: list[tuple[str, dict[str, int]]], series: list[tuple[str, str]]) -> list[tuple[str, dict[str, int]]]:
    """Chart rows, largest total of the shown series first (ties by key): the biggest problem is read first."""
    return sorted(rows, key=lambda row: (-sum(row[1].get(s, 0) for s, _ in series), row[0]))


# A case's badges, gravest first: what its findings are called (report/base.py finding_label).
_MARKS = ("violation", "warning", "info", "pending", "unknown", "waived")
# A case shown by one badge (its status) rather than by counts of its findings' verdicts.
_ONE_BADGE = frozenset({ReportMark.invalid, ReportMark.compliant, ReportMark.out_of_scope})


def _e(value: Any) -> str:
    return escape("" if value is None else shown(str(value)), quote=True)


def _chart(chart_id: str, title: str, rows: list[tuple[str, dict[str, int]]], series: list[tuple[str, str]],
           sort: bool = False) -> str:
    """A bar chart as a table: one row per key, stacked CSS bars of the series, widths relative to the
    largest; with `sort`, largest first."""
    if sort:
        rows = by_count(rows, series)
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
        self._page: PageTemplate | None = None
        self._foot = ""

    @property
    def page(self) -> PageTemplate:
        """The page template, read when the page is written (in the process that writes it)."""
        if self._page is None:
            self._page = load_template(self.ctx.html_template, self.ctx.letterhead)
        return self._page

    def fragment(self, case: ReportedCase) -> str:
        t, lang, ctx = self.t, self.ctx.lang, self.ctx
        marks = [finding_class(f) for f in case.findings]  # violation | warning | info | pending | unknown | waived
        labels = {finding_class(f): ctx.finding_label(f) for f in case.findings}
        overall = ("invalid" if case.status == "invalid" else next((v for v in _MARKS if v in marks), None)
                   or ("out_of_scope" if case.out_of_scope else "compliant"))  # never compliant with acts unjudged
        info = case.case
        badges = (f'<span class="badge {overall}">{_e(ctx.verdict_label(overall))}</span>' if overall in
                  _ONE_BADGE else "".join(
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
                f"<li>{_e(e.where() + ' ') if e.where() else ''}<code>{_e(e.path or '—')}</code>: {_e(e.text(lang))}</li>" for e in case.errors) + "</ul>")
        elif case.findings:
            out.append('<div class="table-box"><table class="findings"><tr>' + "".join(
                f'<th class="{k}">{_e(t[k])}</th>' for k in ("rule", "verdict", "severity", "stage", "basis", "message",
                                                             "where"))
                + "</tr>")
            for f in case.findings:
                message = _e(f.message[lang]) + (f"<br><i>{_e(f.reason)}</i>" if f.reason and lang != "zh" else "")
                waiver = getattr(f, "waiver", None)
                if waiver:
                    label = t["waiver"] if waiver["status"] == "active" else t[waiver["status"]]
                    message += (f'<br><span class="waiver" data-status="{_e(waiver["status"])}">{_e(label)}: '
                                f'{_e(waiver["approver"])} — {_e(waiver["reason"])} (→ {_e(waiver["expires"])})</span>')
                if responsible := ctx.accountability_text(f):
                    message += f'<br><span class="accountability">{_e(responsible)}</span>'
                out.append(f'<tr class="finding" data-rule="{_e(f.rule_id)}" data-verdict="{_e(f.verdict)}">'
                           f'<td class="rule">{_e(f.rule_id)}<br>{_e(f.title.get(lang, ""))}</td>'
                           f'<td class="verdict"><span class="badge {_e(finding_class(f))}">{_e(ctx.finding_label(f))}'
                           f'</span></td><td class="severity">{_e(ctx.severity_label(f.severity))}</td>'
                           f'<td class="stage">{_e(ctx.stage_label(f.stage))}</td>'
                           f'<td class="basis">{_e(ctx.citation(f))}</td><td class="message">{message}</td>'
                           f'<td class="where">{_e(ctx.where(f))}</td></tr>')
            out.append("</table></div>")
        if case.status != "invalid" and case.out_of_scope:
            out.append(f'<div class="out-of-scope"><p>{_e(ctx.scope_heading())}</p><ul>' + "".join(
                f"<li>{_e(line)}</li>" for line in ctx.scope_lines(case)) + "</ul></div>")
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
                   [("violated", v("violated_col"))], sort=True),
            _chart("chart-stage", t["by_stage"], [(ctx.stage_label(k), c) for k, c in summary["by_stage"].items()],
                   [("violated", v("violated_col")), ("pending", v("pending_col")), ("unknown", v("unknown_col")),
                    ("waived", v("waived_col"))]),
            _chart("chart-year", t["by_year"], list(summary["by_year"].items()),
                   [("violated", v("violated_col")), ("invalid", v("invalid_col"))]),
            _chart("chart-year-cases", f'{t["by_year"]} — {t["cases_col"]}',
                   [(k, {"cases": c["cases"]}) for k, c in summary["by_year"].items()], [("cases", v("cases_col"))]),
            _chart("chart-organisation", t["by_org"], list(summary["by_organisation"].items()),
                   [("violated", v("violated_col")), ("invalid", v("invalid_col"))], sort=True),
            _chart("chart-organisation-cases", f'{t["by_org"]} — {t["cases_col"]}',
                   [(k, {"cases": c["cases"]}) for k, c in summary["by_organisation"].items()],
                   [("cases", v("cases_col"))], sort=True),
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
                         + "".join(f"<tr><td>{_e(path_label(k)) + '（' if ctx.lang == 'zh' else ''}<code>{_e(k)}</code>"
                                   f"{'）' if ctx.lang == 'zh' else ''}</td><td>{n}</td></tr>"
                                   for k, n in not_judged["by_record"].items()) + "</table>")
        waivers = summary.get("waivers", {})
        for key in ("errors", "unused"):
            if waivers.get(key):
                problems += (f'<h3>{_e(t[key])}</h3><ul class="waiver-{key}">'
                             + "".join(f"<li>{_e(p)}</li>" for p in waivers[key]) + "</ul>")
        values = {
            "lang": "zh-CN" if ctx.lang == "zh" else "en",
            "title": _e(t["title"]),
            "style": STYLE,
            "meta": '<dl class="meta" id="report-meta">'
                    + "".join(f"<dt>{_e(k)}</dt><dd>{_e(val)}</dd>" for k, val in meta) + "</dl>",
            "summary": f'<section id="summary"><h2>{_e(t["summary"])}</h2><div class="counts" id="counts">'
                       + "".join(f'<div class="count" data-key="{key}"><b>{summary[key]}</b>{_e(t[label])}</div>'
                                 for key, label in counts)
                       + f'</div>\n<div class="charts">{"".join(charts)}</div>{problems}</section>',
        }
        head, self._foot = self.page.parts(values)
        return f'{head}<section id="case-list"><h2>{_e(t["case_section"])}</h2>\n<div id="cases">\n'

    def foot(self, summary: dict[str, Any]) -> str:
        return "</div></section>\n" + self._foot


def render_html(results: Iterable[CaseResult], rulebook: Rulebook, **context: Any) -> str:
    return render_results(HtmlRenderer, results, rulebook, **context)
