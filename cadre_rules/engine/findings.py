"""Findings: what an evaluator says about one rule and one set of matched facts."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from cadre_rules.codes import ReportMark, Severity, Verdict

VERDICTS = Verdict.values()


@dataclass(frozen=True)
class Finding:
    rule_id: str
    verdict: Verdict | ReportMark  # violated | pending | unknown, or waived once a waiver applies (str enums:
    # they compare and serialise as their text)
    severity: Severity  # violation | warning | info
    stage: str
    edition: str
    article: str | None
    article_verified: bool
    confidence: str
    citation: dict[str, str]  # {"zh": ..., "en": ...}
    title: dict[str, str]
    message: dict[str, str]
    evidence: list[str]  # ids of the matched facts
    paths: list[str] = field(default_factory=list)  # where those facts are in the case file
    act_date: str | None = None
    reason: str | None = None  # why the rule could not be evaluated (verdict unknown)
    # The rule's other instruments in force on the act's date (a companion rule, or a 条例 edition
    # whose article is not located while the companion's is): {edition, article, article_verified,
    # confidence, citation}. The governing citation above is the 条例 edition when one is in force.
    also_cited: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Engines and stored journals hand over plain text; a Finding always holds the typed codes.
        if not isinstance(self.verdict, (Verdict, ReportMark)):
            object.__setattr__(self, "verdict", Verdict.lookup(self.verdict) or ReportMark(self.verdict))
        if not isinstance(self.severity, Severity):
            object.__setattr__(self, "severity", Severity(self.severity))

    def sort_key(self, stage_order: dict[str, int]) -> tuple[Any, ...]:
        return (stage_order.get(self.stage, 99), self.rule_id, self.evidence, self.verdict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def blocking(self) -> bool:
        """A finding that stops the procedure: a violated rule of severity `violation`."""
        return self.verdict == "violated" and self.severity == "violation"
