"""The reader of a two-reviews record file (docs/reviews.md)."""
from __future__ import annotations

from pathlib import Path

from cadre_rules.model.reviews import ReviewRecord
from cadre_rules.reading.records import read_record


def load_reviews(path: str | Path) -> ReviewRecord:
    """A two-reviews record; raises RecordFileError naming file, line and field."""
    return read_record(path, ReviewRecord)
