"""Renderers of audit results, one module per format.

`FORMATS` maps a format name to its streaming renderer class (see `base.Renderer`); `RENDERERS` maps
it to a function `render(results, rulebook, **context) -> str` for library use.
"""
from cadre_rules.report.base import Renderer, ReportContext, SpoolingRenderer
from cadre_rules.report.github import GithubRenderer, render_github
from cadre_rules.report.html import HtmlRenderer, render_html
from cadre_rules.report.json_report import JsonLinesRenderer, JsonRenderer, render_json, render_jsonl, report_document
from cadre_rules.report.junit import JunitRenderer, render_junit
from cadre_rules.report.markdown import MarkdownRenderer, render_markdown
from cadre_rules.report.model import CaseStats, ReportedCase, Summary
from cadre_rules.report.sarif import SarifRenderer, render_sarif
from cadre_rules.report.table import TableRenderer, render_table

FORMATS: dict[str, type[Renderer]] = {
    "table": TableRenderer, "json": JsonRenderer, "jsonl": JsonLinesRenderer, "markdown": MarkdownRenderer,
    "html": HtmlRenderer, "sarif": SarifRenderer, "junit": JunitRenderer, "github": GithubRenderer,
}

RENDERERS = {"table": render_table, "json": render_json, "jsonl": render_jsonl, "markdown": render_markdown,
             "html": render_html, "sarif": render_sarif, "junit": render_junit, "github": render_github}

__all__ = ["FORMATS", "RENDERERS", "CaseStats", "Renderer", "ReportContext", "ReportedCase", "SpoolingRenderer",
           "Summary", "report_document", "render_github", "render_html", "render_json", "render_jsonl", "render_junit",
           "render_markdown", "render_sarif", "render_table"]
