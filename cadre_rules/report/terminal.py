"""The terminal a readable table goes to: its width, and whether it takes colour.

Why: tables were drawn 160 or 200 columns wide whatever the screen, so on an 80-column terminal
every row wrapped into a mess, and they never used colour. A person reading a table on a terminal
wants it to fit and wants violations to stand out; a file, a pipe or a CI log wants no escape codes.
The conventions followed (https://no-color.org, https://force-color.org):

* colour: `NO_COLOR` set and not empty → none; else `FORCE_COLOR` set and not empty (and not `0`)
  → colour; else colour only when the output is a terminal and `TERM` is not `dumb`;
* width: `COLUMNS` when it is a whole number; else the terminal's width when the output is one;
  else `DEFAULT_WIDTH` (a file or a pipe). Never less than `MIN_WIDTH`, so a table stays readable.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Mapping

DEFAULT_WIDTH = 120
MIN_WIDTH = 60


@dataclass(frozen=True)
class Terminal:
    """Where a table is written: its width in columns and whether ANSI colour is wanted."""

    width: int = DEFAULT_WIDTH
    colour: bool = False


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def wants_colour(stream: Any, env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    if env.get("NO_COLOR"):
        return False
    force = env.get("FORCE_COLOR")
    if force:
        return force.strip().lower() not in ("0", "false", "no")
    return _isatty(stream) and env.get("TERM") != "dumb"


def width_of(stream: Any, env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    columns = env.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(MIN_WIDTH, int(columns))
    if _isatty(stream):
        try:
            return max(MIN_WIDTH, os.get_terminal_size(stream.fileno()).columns)
        except (OSError, ValueError, AttributeError):
            pass
    return DEFAULT_WIDTH


def detect(stream: Any, env: Mapping[str, str] | None = None) -> Terminal:
    """The width and colour for a table written to `stream` (a terminal, a file, a pipe)."""
    return Terminal(width_of(stream, env), wants_colour(stream, env))


def console(buffer: Any, terminal: Terminal) -> Any:
    """A rich Console writing to `buffer` as if it were that terminal."""
    from rich.console import Console

    if terminal.colour:
        return Console(file=buffer, width=terminal.width, force_terminal=True, color_system="standard",
                       highlight=False, legacy_windows=False)
    return Console(file=buffer, width=terminal.width, no_color=True, highlight=False, force_terminal=False,
                   color_system=None)


# How each finding is shown in colour (rich styles), by report/base.finding_class: a violated rule by
# its severity, else the verdict; no colour means plain text.
VERDICT_STYLES = {"violation": "bold red", "invalid": "bold red", "warning": "yellow", "info": "blue",
                  "pending": "yellow", "unknown": "magenta", "waived": "cyan", "compliant": "green"}
