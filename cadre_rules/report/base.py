"""The renderer protocol: each format renders one case at a time, so a batch streams.

A renderer's `fragment(case)` is a pure function of one case (it may run in a worker process, and
must return something picklable — text, for every format but the table); `begin`, `add` and `end` run
in the process that writes the report. Formats whose summary comes first (markdown, html, junit)
spool the case fragments to a temporary file — on disk past a few MiB — and write summary then
cases at the end, so memory stays flat whatever the number of cases. With worker processes, the
fragments of a piece of the input are joined in the worker (`chunk`) and written at once (`add_chunk`),
byte for byte what `add` writes case by case (tests/report/test_workers_identical.py).
"""
from __future__ import annotations

import codecs
import io
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, NamedTuple, TextIO

from cadre_rules.audit.auditor import CaseResult
from cadre_rules.codes import ReportMark, Severity, Verdict
from cadre_rules.rulebook import Rulebook
from cadre_rules.rulebook.editions import earliest_start
from cadre_rules.report.model import CaseStats, ReportedCase, Summary
from cadre_rules.report.terminal import Terminal
from cadre_rules.model.labels import path_label

SPOOL_IN_MEMORY = 4 * 1024 * 1024

# The names of the verdicts and of the other marks a report gives (cadre_rules/codes.py).
VERDICT_LABELS = {lang: {code.value: code.label(lang) for code in (*Verdict, *ReportMark)} for lang in ("zh", "en")}
# One vocabulary for what a finding is, in every format: a violated rule is named by its severity — 违规
# (violation, blocks), 提醒 (warning), 提示 (note) — so that a warning is never called 违规; the other
# verdicts by their own names (待定, 无法判断, 已豁免).
SEVERITY_LABELS = {lang: {code.value: code.label(lang) for code in Severity} for lang in ("zh", "en")}


def finding_label(finding: Any, lang: str = "zh") -> str:
    """What a finding is called in a report: its severity when violated, else its verdict."""
    verdict = str(finding.verdict)
    if verdict == "violated":
        return SEVERITY_LABELS[lang].get(str(finding.severity), str(finding.severity))
    return VERDICT_LABELS[lang].get(verdict, verdict)


def finding_class(finding: Any) -> str:
    """The CSS class / machine mark of `finding_label`: violation, warning, info, or the verdict."""
    return str(finding.severity) if str(finding.verdict) == "violated" else str(finding.verdict)


#: The case-level record (a finding's empty path) as the "where" column names it.
CASE_RECORD = {"zh": "案例整体", "en": "the case as a whole"}


@dataclass(frozen=True)
class ReportContext:
    """What every renderer needs besides the cases: the rulebook, language, reference date and options."""

    rulebook: Rulebook
    lang: str = "zh"
    as_of: date = field(default_factory=date.today)
    redacted: bool = False
    waivers: str | None = None  # the waiver file, as given
    command: str | None = None  # the command line that produced the report (SARIF invocation)
    docs_url: str | None = None  # base of the rule reference pages (SARIF helpUri); None: the checkout's docs
    terminal: Terminal | None = None  # width and colour of the terminal a table goes to (None: a file, 120 wide)
    html_template: str | None = None  # the HTML report's page template (None: the bundled one)
    letterhead: str | None = None  # an HTML fragment for the HTML report's letterhead slot

    @property
    def stage_titles(self) -> dict[str, dict[str, str]]:
        return self.rulebook.stages.titles

    def stage_label(self, stage: str) -> str:
        return self.stage_titles.get(stage, {}).get(self.lang, stage)

    def verdict_label(self, verdict: str) -> str:
        return VERDICT_LABELS[self.lang].get(verdict, verdict)

    def finding_label(self, finding: Any) -> str:
        """违规 / 提醒 / 提示 / 待定 / 无法判断 / 已豁免 (violation / warning / note / pending / …)."""
        return finding_label(finding, self.lang)

    def severity_label(self, severity: str) -> str:
        """The rule's severity in the report's language (违规 / 提醒 / 提示)."""
        return SEVERITY_LABELS[self.lang].get(str(severity), str(severity))

    def overall(self, case: Any) -> str:
        """A judged case's one-word status: its gravest verdict; `compliant` only when nothing was found
        AND every act was judged — a case whose acts precede the earliest edition (`out_of_scope`) and
        that has no finding is `out_of_scope`, never compliant."""
        if case.status == "invalid":
            return "invalid"
        verdicts = {f.verdict for f in case.findings}
        found = next((v for v in ("violated", "pending", "unknown", "waived") if v in verdicts), None)
        return found or ("out_of_scope" if case.out_of_scope else "compliant")

    def scope_heading(self) -> str:
        """The heading of a case's list of acts not judged because they precede the earliest edition."""
        first = earliest_start(self.rulebook.editions.values()).isoformat()
        return (f"早于规则库最早版本（{first}）的环节，未判断" if self.lang == "zh"
                else f"Acts before the earliest edition in the rulebook ({first}): not judged")

    def scope_lines(self, case: Any) -> list[str]:
        """One line per act before the earliest edition: where, its date, the rules that would judge it."""
        sep = "、" if self.lang == "zh" else ", "
        rules = "规则" if self.lang == "zh" else "rules"
        return [f"{entry['path']} ({entry['act_date']}) — {rules}: {sep.join(entry['rules'])}"
                for entry in case.out_of_scope]

    def not_judged_lines(self, summary: dict[str, Any]) -> list[str]:
        """"Not judged, and why" as plain lines (the formats without tables: SARIF, JUnit, GitHub): the
        heading, then the unknown findings per rule (with its title) and per missing record; [] when
        every rule was judged."""
        not_judged = summary.get("not_judged")
        if not not_judged:
            return []
        zh = self.lang == "zh"
        titles = {r.id: r.title.get(self.lang, r.id) for r in self.rulebook.rules}
        lines = ["未判断及原因" if zh else "Not judged, and why", "按规则：" if zh else "By rule:"]
        lines += [f"  {rule_id} {titles.get(rule_id, '')}: {n}" for rule_id, n in not_judged["by_rule"].items()]
        lines.append("按缺少的记录：" if zh else "By missing record:")
        lines += [f"  {path_label(record) + '（' + record + '）' if zh else record}: {n}"
                  for record, n in not_judged["by_record"].items()]
        return lines

    def where(self, finding: Any) -> str:
        """The "where" column: the finding's field paths, the case-level record (the empty path) named
        by its label rather than shown as nothing (`motion, ` read as if a path were missing)."""
        case_record = CASE_RECORD[self.lang]
        return ", ".join(path or case_record for path in finding.paths)

    def citation(self, finding: Any) -> str:
        """The governing citation, then the rule's other instruments in force ("see also")."""
        also = [c["citation"][self.lang] for c in getattr(finding, "also_cited", ())]
        see_also = "；另见" if self.lang == "zh" else "; see also "
        return finding.citation[self.lang] + (see_also + ("；" if self.lang == "zh" else "; ").join(also) if also else "")

    def accountability(self, finding: Any) -> dict[str, Any] | None:
        """Who answers for a violated finding, under which article (rules/accountability.yaml); None otherwise."""
        if finding.verdict != "violated":
            return None
        return self.rulebook.accountability.for_finding(finding.rule_id, finding.stage, finding.act_date)

    def accountability_text(self, finding: Any) -> str:
        """'责任追究：主要负责人（《…》第4条(2)）；…' in the report's language, or ''."""
        entry = self.accountability(finding)
        if not entry:
            return ""
        sep, head = ("；", "责任追究：") if self.lang == "zh" else ("; ", "Accountability: ")
        open_, close = ("（", "）") if self.lang == "zh" else (" (", ")")
        groups: dict[str, list[str]] = {}
        for p in entry["parties"]:  # parties that share a citation are named together
            groups.setdefault(p["citation"][self.lang], []).append(p["name"][self.lang])
        join = "、" if self.lang == "zh" else ", "
        return head + sep.join(f"{join.join(names)}{open_}{cite}{close}" for cite, names in groups.items())


class Renderer:
    """Base renderer: cases written as they come, between `begin` and `end`."""

    name = ""
    media_type = "text/plain"
    places_findings = False  # True: the cases come with `places` (the line of each finding's records)

    def __init__(self, ctx: ReportContext) -> None:
        self.ctx = ctx
        self.count = 0

    def fragment(self, case: ReportedCase) -> Any:
        raise NotImplementedError

    def begin(self, out: TextIO) -> None:
        pass

    def add(self, out: TextIO, fragment: Any) -> None:
        out.write(fragment)
        self.count += 1

    def end(self, out: TextIO, summary: dict[str, Any]) -> None:
        pass

    # A piece of the input judged in a worker process comes back as one chunk: `chunk` runs in the
    # worker on the fragments of the piece's cases, in order; `add_chunk` in the writing process must
    # write exactly what `add` would have written for each fragment, and keep the same counts.

    def chunk(self, fragments: list[Any]) -> Any:
        """The fragments of consecutive cases as one text (UTF-8: the writing process copies it as it
        is), for formats whose `add` writes each fragment unchanged."""
        return Text.of("".join(fragments), len(fragments))

    def add_chunk(self, out: TextIO, chunk: Any) -> None:
        write_text(out, chunk.text)
        self.count += chunk.count


class Text(NamedTuple):
    """Rendered text of consecutive cases: UTF-8 bytes (str only if it cannot be encoded, as a lone
    surrogate cannot: the writing process then fails on it as it would on the fragment), and how many
    cases it holds."""

    text: bytes | str
    count: int

    @classmethod
    def of(cls, text: str, count: int) -> "Text":
        try:
            return cls(text.encode("utf-8"), count)
        except UnicodeEncodeError:
            return cls(text, count)


def write_text(out: TextIO, text: bytes | str, skip: int = 0) -> None:
    """`text` (UTF-8 bytes, or str) written to `out` from its `skip`-th byte (an ASCII separator the
    first case has not): straight to the binary buffer under a UTF-8 text file, which then needs
    no decoding and encoding again (~1 µs a KiB each), else decoded."""
    if skip:
        text = text[skip:]
    if not text:
        return
    if isinstance(text, str):
        out.write(text)
        return
    buffer = getattr(out, "buffer", None) if isinstance(out, io.TextIOWrapper) else None
    if buffer is not None and _utf8(out):
        out.flush()
        buffer.write(text)
    else:
        out.write(text.decode("utf-8"))


def _utf8(out: io.TextIOWrapper) -> bool:
    """Whether `out` writes UTF-8 with no newline translation (every file this package opens, and a
    standard output in a UTF-8 locale on a POSIX system)."""
    try:
        return codecs.lookup(out.encoding).name == "utf-8" and os.linesep == "\n"
    except LookupError:
        return False


class SpoolingRenderer(Renderer):
    """A renderer whose head needs the summary: case fragments wait in a temporary file."""

    def head(self, summary: dict[str, Any]) -> str:
        raise NotImplementedError

    def foot(self, summary: dict[str, Any]) -> str:
        return ""

    def begin(self, out: TextIO) -> None:
        self._spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, mode="w+", encoding="utf-8")

    def add(self, out: TextIO, fragment: Any) -> None:
        self._spool.write(fragment)
        self.count += 1

    def add_chunk(self, out: TextIO, chunk: Any) -> None:
        text = chunk.text
        self._spool.write(text.decode("utf-8") if isinstance(text, bytes) else text)
        self.count += chunk.count

    def end(self, out: TextIO, summary: dict[str, Any]) -> None:
        out.write(self.head(summary))
        self._spool.seek(0)
        shutil.copyfileobj(self._spool, out, 1024 * 1024)
        self._spool.close()
        out.write(self.foot(summary))


def as_reported(result: CaseResult) -> ReportedCase:
    if isinstance(result, ReportedCase):
        return result
    return ReportedCase(result.case_id, result.source, result.status, list(result.errors), list(result.findings),
                        list(result.notes), list(result.out_of_scope))


def render_results(renderer_cls: type[Renderer], results: Iterable[CaseResult], rulebook: Rulebook,
                   **context: Any) -> str:
    """Render already-audited results in one string (the library API; the CLI streams instead)."""
    from io import StringIO

    ctx = ReportContext(rulebook, **context)
    renderer = renderer_cls(ctx)
    summary = Summary(ctx.as_of, rulebook.stages.order)
    out = StringIO()
    renderer.begin(out)
    for result in results:
        case = as_reported(result)
        summary.add(CaseStats.of(case))
        renderer.add(out, renderer.fragment(case))
    renderer.end(out, summary.to_dict())
    return out.getvalue()

