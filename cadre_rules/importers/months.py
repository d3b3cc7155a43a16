"""Dates as appointment forms write them: most carry only a month (`198005`, `1980.05`, `1980年5月`).

A month is kept as a month: `Month(1980, 5)`, written `1980-05` in case records. Nothing here guesses
a day; where the case model needs a full date the caller decides, and records that it did.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Accepted spellings, all anchored: 198005, 19800512, 1980.05, 1980.5, 1980-05, 1980/05, 1980年5月,
# 1980.05.12, 1980-05-12, 1980年5月12日. Full-width digits and dots are normalised first.
_PATTERNS = (
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})?"),
    re.compile(r"(?P<y>\d{4})[.\-/](?P<m>\d{1,2})(?:[.\-/](?P<d>\d{1,2}))?"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?"),
)
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－／", "0123456789.-/")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, optionally with its day when the source gave one."""

    year: int
    month: int
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} out of range")
        if self.day is not None:
            date(self.year, self.month, self.day)  # raises on 2021-02-30

    @property
    def iso(self) -> str:
        """`YYYY-MM`, or `YYYY-MM-DD` when the day is known."""
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")

    @property
    def compact(self) -> str:
        """The form's own spelling: `YYYYMM` (or `YYYYMMDD`)."""
        return f"{self.year:04d}{self.month:02d}" + (f"{self.day:02d}" if self.day else "")

    def first_day(self) -> date:
        return date(self.year, self.month, self.day or 1)


def parse_month(text: str | None) -> Month | None:
    """The month (and day, if written) of a form value; None when the value is not a date at all.

    Raises ValueError for something that looks like a date but is impossible (`1980.13`)."""
    if text is None:
        return None
    value = text.strip().translate(_FULL_WIDTH)
    if not value:
        return None
    for pattern in _PATTERNS:
        m = pattern.fullmatch(value)
        if m:
            day = m.group("d")
            return Month(int(m.group("y")), int(m.group("m")), int(day) if day else None)
    return None


def parse_iso_month(text: str) -> Month:
    """`YYYY-MM` or `YYYY-MM-DD` as written in case records."""
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text)
    if not m:
        raise ValueError(f"not a YYYY-MM date: {text!r}")
    return Month(int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None)
