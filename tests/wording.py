"""What counts as English in Chinese text, for the tests that keep Chinese output Chinese.

Chinese messages may quote ids, codes, values and file names (in "", '', “”, 「」 or ``), name formats
(JSON, YAML, YYYY-MM-DD) and show field paths where a place is meant; they must not fall back to English
words, nor (in reasons) name a record by its field path.
"""
from __future__ import annotations

import re

_QUOTED = re.compile(r'"[^"]*"|\'[^\']*\'|“[^”]*”|「[^」]*」|`[^`]*`|（实际为 .*?）(?=（|$)')
_TOKEN = re.compile(r"[A-Za-z0-9_.\[\]/&*\\+=:#<>@$-]+")
#: Names that stay as they are in Chinese text: formats and encodings, date patterns.
_KEPT = {"JSON", "YAML", "FIFO", "YYYY", "MM", "DD", "Unicode"}
#: A field path of a case file: `publicity[0].start/end`, `meetings[].agenda`, `candidates[0]`, `item.date`.
FIELD_PATH = re.compile(r"[A-Za-z_]+(?:\[\d*\])*(?:\.[A-Za-z_/]+(?:\[\d*\])*)+|[A-Za-z_]+\[\d*\]")


def english_words(text: str) -> list[str]:
    """The English words of a Chinese text: runs of letters only, outside quotation marks and the value
    found, that are not a format's name; ids, codes, paths and numbers (with digits, `_`, `.`, `[`) are not words."""
    bare = _QUOTED.sub(" ", text)
    return [t for t in _TOKEN.findall(bare) if re.fullmatch(r"[A-Za-z]+", t) and t not in _KEPT]


def field_paths(text: str) -> list[str]:
    """The field paths a text names (outside quotation marks)."""
    return FIELD_PATH.findall(_QUOTED.sub(" ", text))
