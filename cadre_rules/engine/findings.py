"""Findings: what an evaluator says about one rule and one set of matched facts."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Callable

from cadre_rules.codes import ReportMark, Severity, Verdict

VERDICTS = Verdict.values()
LANGS = ("zh", "en")  # a finding's message, citation and title: Chinese first


class RenderLater:
    """A finding's message not rendered yet: `render(lang)` gives its text in one language."""

    __slots__ = ("render",)

    def __init__(self, render: Callable[[str], str]) -> None:
        self.render = render


class _RenderedOnRead:
    """`Finding.message`: a plain {"zh": ..., "en": ...} dict, rendered from its templates when first read.

    Why: rendering a message fills every placeholder (codes by their names, people by name and post),
    which costs more than judging the binding; a caller that never reads a finding's message (the
    library's verdicts, a check of counts) does not pay for it. The evaluator passes a `RenderLater`;
    whatever reads the attribute (a report, `to_dict`, `==`, `repr`, pickling) gets the same plain dict
    an eager rendering gives (tests/engine/test_fused.py). A data descriptor, so that the dataclass keeps
    `message` as an ordinary field (fields(), asdict, replace)."""

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            raise AttributeError("message")  # no default: the field stays required
        values = obj.__dict__
        message = values.get("_message")
        if message is None:
            later = values.pop("_message_later")
            message = values["_message"] = {lang: later.render(lang) for lang in LANGS}
        return message

    def __set__(self, obj: Any, value: Any) -> None:
        if isinstance(value, RenderLater):
            obj.__dict__["_message_later"] = value
            obj.__dict__.pop("_message", None)
        else:
            obj.__dict__["_message"] = value


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
    message: dict[str, str] = _RenderedOnRead()  # type: ignore[assignment]  # {"zh": ..., "en": ...}, on first read
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

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (to and from worker processes) with its message rendered: the renderer stays here."""
        self.message  # noqa: B018 - renders it
        return dict(self.__dict__)

    def sort_key(self, stage_order: dict[str, int]) -> tuple[Any, ...]:
        return (stage_order.get(self.stage, 99), self.rule_id, self.evidence, self.verdict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def blocking(self) -> bool:
        """A finding that stops the procedure: a violated rule of severity `violation`."""
        return self.verdict == "violated" and self.severity == "violation"
