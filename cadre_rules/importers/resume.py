"""The 简历 (work history) of an appointment form, read into periods without judging them.

Real forms write a period a line: `2002.07--2009.12  青石镇财政所科员`, with the other date style
(`200207-200912`), an open end (`2016.03--`, `2016.03-至今`), parallel study in brackets
(`（其间：2005.09--2008.07在省委党校在职研究生班学习）`) and long texts wrapped onto the next,
indented line. A line that is neither a period, a bracket nor an indented continuation is reported
with its text: nothing is silently dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from cadre_rules.importers.months import Month, parse_month

_DATE = r"\d{4}(?:[.．]\d{1,2}|\d{2})"
# start, a dash run (-- — ～ ~ 至 -), an end date, 至今 or nothing, then the text
_PERIOD = re.compile(
    rf"^\s*(?P<start>{_DATE})\s*(?:--|—+|－+|-|～|~|至)\s*(?P<end>{_DATE}|至今|今)?\s*(?P<text>.*)$")
_DURING_OPEN = re.compile(r"^\s*[（(]\s*(?:其间|期间)\s*[：:]?\s*(?P<body>.*)$")


@dataclass
class ResumePeriod:
    start: Month
    end: Month | None  # None: open (至今, or no end written)
    text: str
    during: list[str] = field(default_factory=list)
    open_ended_marker: str = ""  # "至今" as written, "" when the end was left blank


@dataclass
class ResumeReading:
    periods: list[ResumePeriod] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # lines read as nothing, with their text


def read_resume(text: str) -> ResumeReading:
    """Periods of a 简历 text in the order written, and the lines that could not be read."""
    out = ResumeReading()
    in_bracket: list[str] | None = None
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip().replace("\u3000", " ")
        if not line:
            continue
        if in_bracket is not None:  # a parallel-study bracket continued over several lines
            in_bracket.append(line)
            if _closes(line):
                _close_bracket(out, in_bracket)
                in_bracket = None
            continue
        opening = _DURING_OPEN.match(line)
        if opening:
            if not out.periods:
                out.unread.append(raw.strip())
                continue
            if _closes(line):
                out.periods[-1].during.append(_strip_bracket(opening.group("body")))
            else:
                in_bracket = [opening.group("body")]
            continue
        m = _PERIOD.match(line)
        if m:
            try:
                start = parse_month(m.group("start"))
                end_text = m.group("end") or ""
                end = parse_month(end_text) if end_text not in ("", "至今", "今") else None
            except ValueError:
                out.unread.append(raw.strip())
                continue
            if start is None:
                out.unread.append(raw.strip())
                continue
            body = m.group("text").strip()
            during: list[str] = []
            inline = re.search(r"[（(]\s*(?:其间|期间)\s*[：:]?(.*)[）)]\s*$", body)
            if inline:
                during.append(inline.group(1).strip())
                body = body[: inline.start()].strip()
            out.periods.append(ResumePeriod(start, end, body, during, "至今" if end_text in ("至今", "今") else ""))
            continue
        if out.periods and raw[:1] in (" ", "\t", "\u3000") and not _looks_like_date(line):
            # an indented line is a long text wrapped onto the next line: it belongs to the period above
            out.periods[-1].text += line
            continue
        out.unread.append(raw.strip())
    if in_bracket is not None:  # never closed: keep what was read, and say so
        out.unread.append("".join(in_bracket))
    return out


def _closes(line: str) -> bool:
    return line.rstrip().endswith(("）", ")"))


def _strip_bracket(text: str) -> str:
    return text.rstrip().removesuffix("）").removesuffix(")").strip()


def _close_bracket(out: ResumeReading, parts: list[str]) -> None:
    out.periods[-1].during.append(_strip_bracket("".join(parts)))


def _looks_like_date(line: str) -> bool:
    return bool(re.match(r"^\s*\d{4}", line))


def write_resume(periods: list[ResumePeriod]) -> str:
    """The 简历 text of periods, in the editor's own style (`2002.07--2009.12  text`)."""
    lines = []
    for p in periods:
        end = f"{p.end.year:04d}.{p.end.month:02d}" if p.end else p.open_ended_marker
        lines.append(f"{p.start.year:04d}.{p.start.month:02d}--{end}  {p.text}")
        for d in p.during:
            lines.append(f"（其间：{d}）")
    return "\n".join(lines)
