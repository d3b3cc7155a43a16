"""Ranks of administrative levels and of education, counted from a fixed floor.

Level ranks count from 副科 (section deputy = 0), so the levels below it (科员 -1, 办事员 -2), which the
section-level promotion rules need, were added without changing what a rank means in a rule parameter or a
profile (DOS-LEVEL-TENURE's `min_rank: 2` is still 副处). Education ranks count from 高中、中专 (0) for the same
reason: QUAL-EDUCATION's `min_rank: 1` is still 大专, and 初中及以下 is -1.
"""
from __future__ import annotations

from cadre_rules.codes import NON_LEADING_LEVELS, EducationLevel, Level

LEVEL_RANKS: dict[Level, int] = {level: r - list(Level).index(Level.section_deputy) for r, level in enumerate(Level)}
LEVEL_AT: dict[int, Level] = {r: level for level, r in LEVEL_RANKS.items()}
__all__ = ["DEPUTY_LEVELS", "EDUCATION_RANKS", "LEVEL_AT", "LEVEL_RANKS", "NON_LEADING_LEVELS"]
DEPUTY_LEVELS = frozenset(level for level in Level if level.value.endswith("_deputy"))

EDUCATION_RANKS: dict[str, int] = {
    name: r - EducationLevel.values().index(EducationLevel.secondary.value) for r, name in enumerate(EducationLevel.values())}
