"""Small helpers shared by the command groups, so every command reports a bad rulebook the same way."""
from __future__ import annotations

import sys
import click

from cadre_rules.rulebook import Rulebook, RulebookError, load_rulebook


def rulebook_or_exit(rules_dir: str | None, profile: str) -> Rulebook:
    """The rulebook, or exit 2 with every load error listed (file:line, rule id), in the command's
    language (--lang) where the error's kind is known (docs/errors.md); the others stay English."""
    from cadre_rules.cli.output import language

    try:
        return load_rulebook(rules_dir, profile)
    except RulebookError as exc:
        click.echo(f"{'规则库有误' if language() == 'zh' else 'rulebook error'}:\n{exc.describe(language())}", err=True)
        sys.exit(2)


def emit(text: str, output: str | None) -> None:
    """Write to a file if asked (complete or not at all: see cli/output.py), else to standard output."""
    if output:
        from cadre_rules.cli.output import output_file

        with output_file(output) as handle:
            handle.write(text)
    else:
        click.echo(text, nl=False)


def holidays_or_exit(files: tuple[str, ...]) -> None:
    """Add the years of these holiday files (docs/holidays.md), or exit 2 listing every problem."""
    from cadre_rules.facts.calendar import HolidayDataError, use_holiday_files

    if not files:
        return
    try:
        use_holiday_files(files)
    except HolidayDataError as exc:
        click.echo(f"holiday data error:\n{exc}", err=True)
        sys.exit(2)


def register_or_exit(path: str, lang: str = "en"):  # -> model.register.Register
    """The organisation register (docs/register.md), or exit 2 naming the file and every bad field
    (in `lang`: the audit's --lang)."""
    from cadre_rules.errors import RegisterError
    from cadre_rules.reading.register import load_register

    try:
        return load_register(path)
    except RegisterError as exc:
        click.echo(f"{'台账有误' if lang == 'zh' else 'register error'}:\n{exc.describe(lang)}", err=True)
        sys.exit(2)
