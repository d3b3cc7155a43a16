"""Small helpers shared by the command groups, so every command reports a bad rulebook the same way."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from cadre_rules.rulebook import Rulebook, RulebookError, load_rulebook


def rulebook_or_exit(rules_dir: str | None, profile: str) -> Rulebook:
    """The rulebook, or exit 2 with every load error listed (file:line, rule id)."""
    try:
        return load_rulebook(rules_dir, profile)
    except RulebookError as exc:
        click.echo(f"rulebook error:\n{exc}", err=True)
        sys.exit(2)


def emit(text: str, output: str | None) -> None:
    """Write to a file if asked, else to standard output."""
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
