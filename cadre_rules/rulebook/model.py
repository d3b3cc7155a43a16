"""What a loaded rulebook is: editions, rules with their citations, parameters and compiled IR."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from cadre_rules.errors import Problem, RulebookError  # noqa: F401 - re-exported: rulebook.model.RulebookError keeps working
from cadre_rules.rulebook import ir

SEVERITIES = ("violation", "warning", "info")
CONFIDENCE = ("high", "medium-high", "medium", "low-medium", "low", "unverified")


@dataclass(frozen=True)
class Edition:
    """A dated instrument: an edition of the 条例 or a companion rule, with the window it governs."""

    id: str
    document: str
    title_en: str
    start: date
    end: date | None  # last day in force; None while in force
    primary: bool = False  # an edition of the 条例 itself (preferred when several instruments apply)
    date_confidence: str = "high"
    note: str = ""
    # How reports name the instrument: {"zh": "《…》（2014年）", "en": "… (2014)"}; never the internal id.
    title: Mapping[str, str] = field(default_factory=dict)
    document_number: str = ""  # 文号, where known
    issuer: str = ""
    sources: tuple[str, ...] = ()  # ids in sources.yaml where the text was read
    # Named instruments of a grouped edition (e.g. the four 2010 supervision rules): document → title per language
    documents: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def heading(self, document: str | None = None) -> dict[str, str]:
        """The title reports show for `document` (default: the edition's own document) in this edition."""
        if document and document != self.document:
            if document in self.documents:
                return dict(self.documents[document])
            return {"zh": f"《{document}》", "en": document}
        if self.title:
            return dict(self.title)
        return {"zh": f"《{self.document}》（{self.start.year}年）", "en": self.title_en or f"{self.document} ({self.start.year})"}

    def in_force(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Citation:
    """The basis of a rule in one edition: where it is written and how sure we are of the article."""

    edition: str
    document: str
    article: str | None
    confidence: str
    verified: bool
    source: str = ""
    note: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    # The instrument's title as reports show it, per language (set by the loader from editions.yaml).
    heading: Mapping[str, str] = field(default_factory=dict)

    def label(self, lang: str = "zh") -> str:
        """A citation for people: the instrument's title, then the article — marked when the article is not
        verified. The internal edition id never appears: readers know the document, not our ids."""
        numbered = bool(self.article and self.article[0].isdigit())
        if lang == "zh":
            title = self.heading.get("zh") or f"《{self.document}》"
            art = "、".join(_zh_article(part) for part in re.split(r",\s*", self.article or "")) if numbered \
                else (self.article or "条文未定位")
            return f"{title}{art}{'' if self.verified else '〔未核实〕'}"
        title = self.heading.get("en") or self.document
        art = f"Art{'s' if self.article and re.search(r'[-,]', self.article) else ''}. {self.article}" if numbered \
            else (self.article or "article not located")
        return f"{title}, {art}{'' if self.verified else ' [unverified]'}"


def _zh_article(part: str) -> str:
    """"38" → 第38条, "61(3)" → 第61条(3), "12-14" → 第12—14条."""
    match = re.match(r"^(\d+)(?:-(\d+))?(.*)$", part.strip())
    if not match:
        return part
    first, last, rest = match.groups()
    return f"第{first}—{last}条{rest}" if last else f"第{first}条{rest}"


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # int | num | str | bool | date
    default: Any
    doc: str = ""
    nullable: bool = False


@dataclass(frozen=True)
class MessageVariant:
    """A message for the findings whose matched facts make `when` true: a rule whose condition has
    alternatives says which one was found ("未审核" / "审核问题未查清"), not "A 或 B"."""

    when: ir.Node
    message: Mapping[str, str]


@dataclass(frozen=True)
class Rule:
    id: str
    stage: str
    severity: str
    title: Mapping[str, str]
    catalogue: Mapping[str, Any]
    basis: tuple[Citation, ...]
    effective_from: date
    effective_to: date | None
    parameters: Mapping[str, Parameter]
    match: tuple[tuple[str, str], ...]  # (alias, fact type), in binding order
    act_date: ir.Node
    when: ir.Node
    pending_when: ir.Node | None
    message: Mapping[str, str]
    pending_message: Mapping[str, str] | None
    notes: str
    file: str
    line: int
    escalate_to: str | None = None  # a higher severity for findings where `escalate_when` holds
    escalate_when: ir.Node | None = None
    mutation: Mapping[str, str] = field(default_factory=dict)  # mutant id → why it is equivalent (rules mutate)
    # A violated finding takes the first variant whose `when` holds (true, not unknown), else `message`.
    message_variants: tuple[MessageVariant, ...] = ()
    scope: str = "case"  # "register": a rule over a unit of the organisation register and its cases

    def condition_trees(self) -> list[ir.Node]:
        """Every condition tree of the rule: its act date, `when`, pending and escalation conditions and
        the message variants' conditions (those it has)."""
        return [node for node in (self.act_date, self.when, self.pending_when, self.escalate_when,
                                  *(v.when for v in self.message_variants)) if node is not None]

    def message_texts(self) -> list[Mapping[str, str]]:
        """Every message template of the rule: the variants, `message`, `pending_message`."""
        return [*(v.message for v in self.message_variants), self.message,
                *((self.pending_message,) if self.pending_message else ())]

    def applies_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True)
class LoadError:
    file: str
    line: int
    rule_id: str | None
    message: str

    def __str__(self) -> str:
        return self.describe("en")

    def describe(self, lang: str = "en") -> str:
        """`file:line: rule id: message`, the message in `lang` when it is a Problem (its kind known)."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        message = self.message.text(lang) if isinstance(self.message, Problem) else self.message
        # str(): a key the file gave as a number (`1:` under `overrides`) was `int + str`, a TypeError
        # while reporting the very error (found by fuzzing layered rulebooks)
        return f"{where}: {str(self.rule_id) + ': ' if self.rule_id else ''}{message}"

