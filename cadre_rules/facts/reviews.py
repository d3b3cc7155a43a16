"""The figures of the two reviews (两评议): turnout, the share of each option, the favourable share, and
which thresholds of the rulebook (rules/reviews.yaml) they cross.

Why exact fractions: a threshold such as 1/3 must flag 34 of 100 and not 33 of 99; comparing floats
would make that depend on rounding. Percentages are rounded only for display (one decimal).

The denominator of a rate is the valid forms: every option, 不了解 included; spoilt forms (`invalid`)
count in none. A review with no valid forms has no rates and flags nothing (it says so).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterable, Mapping

from cadre_rules.codes import AppointeeOption, ReviewForm, WorkOption
from cadre_rules.model.reviews import ReviewRecord

FAVOURABLE = "favourable"
FAVOURABLE_OPTIONS = {ReviewForm.work: ("satisfied", "basically_satisfied"),
                      ReviewForm.appointee: ("approve", "basically_approve")}


def percent(rate: Fraction | None) -> str:
    """A rate as a percentage with one decimal (half up), or — when there is none."""
    if rate is None:
        return "—"
    tenths = (rate * 1000 + Fraction(1, 2)).__floor__()
    return f"{tenths // 10}.{tenths % 10}%"


@dataclass
class Flag:
    threshold_id: str
    title: Mapping[str, str]
    measure: str
    bound: str
    value: Fraction
    rate: Fraction
    follow_up: Mapping[str, str]
    confidence: str  # of the figure
    kind: str = ""  # "local": the instruments set no figure, a local parameter (rules/reviews.yaml figure.kind)

    def to_dict(self) -> dict[str, Any]:
        return {"threshold": self.threshold_id, "measure": self.measure, "bound": self.bound,
                "value": str(self.value), "rate": percent(self.rate), "figure_confidence": self.confidence,
                "figure_kind": self.kind or None,
                "title": dict(self.title), "follow_up": dict(self.follow_up)}


@dataclass
class Tally:
    """One review form's ballots (the work, or one appointee) with its rates and flags."""

    form: ReviewForm
    subject: str  # "work" or the appointee id
    post: str | None
    counts: dict[str, int]
    invalid: int
    valid: int
    rates: dict[str, Fraction | None]
    flags: list[Flag] = field(default_factory=list)

    def rate(self, measure: str) -> Fraction | None:
        return self.rates.get(measure)


@dataclass
class ReviewFigures:
    organisation: str
    year: int
    date: str
    meeting: str | None
    expected: int
    present: int
    turnout: Fraction
    groups: dict[str, int]
    work: Tally
    appointees: list[Tally]
    notes: list[str] = field(default_factory=list)  # plausibility remarks (Chinese), shown with the figures

    @property
    def flags(self) -> list[Flag]:
        return self.work.flags + [f for t in self.appointees for f in t.flags]


def tally(form: ReviewForm, subject: str, counts: Mapping[Any, int], invalid: int, thresholds: Iterable[Any],
          post: str | None = None) -> Tally:
    """Rates of each option and of the favourable options among the valid forms, and the flags."""
    plain = {str(k.value if hasattr(k, "value") else k): int(v) for k, v in counts.items()}
    valid = sum(plain.values())
    rates: dict[str, Fraction | None] = {k: (Fraction(v, valid) if valid else None) for k, v in plain.items()}
    rates[FAVOURABLE] = Fraction(sum(plain[o] for o in FAVOURABLE_OPTIONS[form]), valid) if valid else None
    out = Tally(form, subject, post, plain, invalid, valid, rates)
    for t in thresholds:
        if t.form == form and t.flags(rates.get(t.measure)):
            out.flags.append(Flag(t.id, t.title, t.measure, t.bound, t.value, rates[t.measure], t.follow_up,
                                  t.figure_confidence, getattr(t, "figure_kind", "")))
    return out


def review_figures(record: ReviewRecord, thresholds: Iterable[Any]) -> ReviewFigures:
    """Every figure of a year's two reviews, with the thresholds (rulebook.review_thresholds) they cross."""
    thresholds = tuple(thresholds)
    work = tally(ReviewForm.work, "work", record.work.counts(), record.work.invalid, thresholds)
    people = [tally(ReviewForm.appointee, p.id, p.ballots.counts(), p.ballots.invalid, thresholds, p.post)
              for p in record.appointees]
    parts = record.participants
    notes = []
    if record.date.year - record.year not in (0, 1):  # 2010 办法 Art 3: late in the year or early the next
        notes.append(f"评议日期 {record.date.isoformat()} 不在{record.year}年底或次年初（办法第3条），请核对年度。")
    return ReviewFigures(record.organisation, record.year, record.date.isoformat(), record.meeting, parts.expected,
                         parts.present, Fraction(parts.present, parts.expected), dict(parts.groups), work, people, notes)


OPTION_NAMES = {ReviewForm.work: {o.value: o.zh for o in WorkOption},
                ReviewForm.appointee: {o.value: o.zh for o in AppointeeOption}}
