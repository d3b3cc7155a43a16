"""Control characters of a case's text, shown rather than acted on in the readable reports.

Why: the text of a case file (a name, a note, a title) reaches the terminal table, Markdown, HTML,
GitHub annotations, JUnit and .docx reports as it was recorded. A control character in it is acted
on, not shown: ESC and CSI start terminal sequences that move the cursor, erase a line of the report
or recolour it (a finding above could vanish from the screen), and XML refuses most C0 characters
outright (the .docx writer stopped with an internal error). Tab and line ends stay as they are; every
other C0 character, DEL and the C1 characters are written as their code (`\\x1b`). The JSON reports
need none of this: JSON escapes them (`\\u001b`) and keeps the record exact.
"""
from __future__ import annotations

import re

_ACTED_ON = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def shown(text: str) -> str:
    """`text` with each control character a terminal or an XML reader would act on written as `\\xNN`."""
    return _ACTED_ON.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


__all__ = ["shown"]
