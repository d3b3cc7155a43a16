"""The legend of the rule files: the sources cited as [S1]…, the open questions cited as O1…, and the
catalogue's severity marks (H-VOID …).

Rule files cite their research sources by short tags so that a rule stays readable; the tags are only
honest if a reader can look each one up. This module loads the three legend files of a rulebook
directory and finds every tag in a piece of rule text, so that the loader can refuse a tag that
resolves nowhere (`file:line: RULE-ID: unknown source [S99]`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from cadre_rules.errors import ErrorKind, Problem
from cadre_rules.reading.yamlmarks import MarkedDict, line_of

SOURCES_FILE = "sources.yaml"
OPEN_QUESTIONS_FILE = "open-questions.yaml"
LEGEND_FILE = "legend.yaml"
FILES = (SOURCES_FILE, OPEN_QUESTIONS_FILE, LEGEND_FILE)

SOURCE_TAG = re.compile(r"\[(S\d+)\]")
# "O2", "（O12）", "(O4)" — not part of a longer word or number such as "PO2" or "O2x"
OPEN_QUESTION_TAG = re.compile(r"(?<![A-Za-z0-9_-])(O\d{1,3})(?![A-Za-z0-9_])")


@dataclass(frozen=True)
class Source:
    """One research source: what it is, the instrument it reproduces or discusses, and where to read it."""

    id: str
    title: str
    instrument: str = ""
    document_number: str = ""
    issuer: str = ""
    date: str = ""
    kind: str = ""
    where: tuple[str, ...] = ()
    used_for: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "instrument": self.instrument or None,
                "document_number": self.document_number or None, "issuer": self.issuer or None,
                "date": self.date or None, "kind": self.kind, "where": list(self.where)}


@dataclass(frozen=True)
class OpenQuestion:
    id: str
    question: str
    assumes: str


@dataclass(frozen=True)
class Legend:
    sources: Mapping[str, Source] = field(default_factory=dict)
    open_questions: Mapping[str, OpenQuestion] = field(default_factory=dict)
    severities: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def unresolved(self, text: str) -> list[str]:
        """The tags in `text` that resolve nowhere, as written ("[S99]", "O42"), in order of appearance."""
        bad = [f"[{tag}]" for tag in SOURCE_TAG.findall(text) if tag not in self.sources]
        bad += [tag for tag in OPEN_QUESTION_TAG.findall(text) if tag not in self.open_questions]
        return bad

    def source_ids(self, text: str) -> list[str]:
        """The source ids cited in `text`, each once, in order of appearance."""
        return list(dict.fromkeys(SOURCE_TAG.findall(text)))


AddError = Callable[[str, int, "str | None", str], None]


def _entries(data: Any, key: str, display: str, add: AddError) -> list[MarkedDict]:
    if data is None:
        return []
    if not isinstance(data, MarkedDict) or not isinstance(data.get(key), list):
        add(display, line_of(data), None, Problem(ErrorKind.rule_list_file, key=repr(key)))
        return []
    out = []
    for entry in data[key]:
        if not isinstance(entry, MarkedDict) or not str(entry.get("id") or ""):
            add(display, line_of(entry), None, Problem(ErrorKind.rule_entry_needs_id, key=repr(key)))
            continue
        out.append(entry)
    return out


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def load_legend(base: Path, shown: Callable[[Path], str], read_yaml: Callable[[Path, str], Any], add: AddError) -> Legend:
    """The legend files of a rulebook directory; a missing file is an empty legend (then any tag is unknown)."""

    def read(name: str) -> tuple[Any, str]:
        path = base / name
        return (read_yaml(path, shown(path)) if path.is_file() else None), shown(path)

    data, display = read(SOURCES_FILE)
    sources: dict[str, Source] = {}
    for entry in _entries(data, "sources", display, add):
        sid = str(entry["id"])
        where = entry.get("where") or []
        if not re.fullmatch(r"S\d+", sid):
            add(display, line_of(entry), sid, Problem(ErrorKind.rule_source_id))
        elif sid in sources:
            add(display, line_of(entry), sid, Problem(ErrorKind.rule_duplicate_source))
        elif not _text(entry.get("title")) or not where:
            add(display, line_of(entry), sid, Problem(ErrorKind.rule_source_fields))
        else:
            sources[sid] = Source(sid, _text(entry["title"]), _text(entry.get("instrument")),
                                  _text(entry.get("document_number")), _text(entry.get("issuer")),
                                  _text(entry.get("date")), _text(entry.get("kind")),
                                  tuple(str(w) for w in (where if isinstance(where, list) else [where])),
                                  _text(entry.get("used_for")))

    data, display = read(OPEN_QUESTIONS_FILE)
    questions: dict[str, OpenQuestion] = {}
    for entry in _entries(data, "open_questions", display, add):
        qid = str(entry["id"])
        if not re.fullmatch(r"O\d+", qid) or qid in questions:
            add(display, line_of(entry), qid, Problem(ErrorKind.rule_question_id))
        elif not _text(entry.get("question")) or not _text(entry.get("assumes")):
            add(display, line_of(entry), qid, Problem(ErrorKind.rule_question_fields))
        else:
            questions[qid] = OpenQuestion(qid, _text(entry["question"]), _text(entry["assumes"]))

    data, display = read(LEGEND_FILE)
    severities: dict[str, Mapping[str, str]] = {}
    for entry in _entries(data, "catalogue_severities", display, add):
        severities[str(entry["id"])] = {k: _text(entry.get(k)) for k in ("zh", "en", "engine_severity")}
    return Legend(sources, questions, severities)
