"""Small helpers shared by the command groups, so every command reports a bad rulebook the same way."""
from __future__ import annotations

import sys
import click

from cadre_rules.rulebook import Rulebook, RulebookError, load_rulebook


def _say_in(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from cadre_rules.cli.output import set_language

    set_language(value)
    return value


# `--lang` of a command whose only words in a language are its errors (the rulebook's, rulebook_or_exit;
# the command's own interrupt/output/internal-error lines): Chinese by default, as every --lang.
lang_option = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                           expose_value=False, callback=_say_in,
                           help="Language of the rulebook's errors (and this command's own) on standard error.")


def rulebook_or_exit(rules_dir: str | None, profile: str, lang: str | None = None) -> Rulebook:
    """The rulebook, or exit 2 with every load error listed (file:line, rule id), in `lang` (default:
    the command's --lang, cli/output.py language()); every rulebook error has a kind (docs/errors.md)."""
    from cadre_rules.cli.output import language

    lang = lang or language()
    try:
        return load_rulebook(rules_dir, profile)
    except RulebookError as exc:
        click.echo(f"{'规则库有误' if lang == 'zh' else 'rulebook error'}:\n{exc.describe(lang)}", err=True)
        sys.exit(2)


def emit(text: str, output: str | None) -> None:
    """Write to a file if asked (complete or not at all: see cli/output.py), else to standard output."""
    if output:
        from cadre_rules.cli.output import output_file

        with output_file(output) as handle:
            handle.write(text)
    else:
        click.echo(text, nl=False)


def use_holidays(files: tuple[str, ...]) -> None:
    """Add the years of these holiday files (docs/holidays.md). A file that cannot be used raises
    HolidayDataError, which cli/output.py run_command says in the command's --lang (exit 2)."""
    from cadre_rules.facts.calendar import use_holiday_files

    if files:
        use_holiday_files(files)


def register_or_exit(path: str, lang: str = "en", redact: bool = False):  # -> model.register.Register
    """The organisation register (docs/register.md), or exit 2 naming the file and every bad field
    (in `lang`: the audit's --lang); with `redact` (audit --redact) the errors name none of the
    register's people and echo no value, as a case's errors do."""
    from cadre_rules.errors import RegisterError
    from cadre_rules.reading.register import load_register

    try:
        return load_register(path)
    except RegisterError as exc:
        if redact:
            from cadre_rules.report.redact import Redactor

            exc.errors = Redactor.for_case(_personal_part(exc.data)).apply(exc.errors)
        click.echo(f"{'台账有误' if lang == 'zh' else 'register error'}:\n{exc.describe(lang)}", err=True)
        sys.exit(2)


def _personal_part(data: object) -> dict[str, list[object]]:
    """What of a register names people: its `people`, and each unit's holders and leaders, whose
    `person` is a name when it is no person's id (`unknown person "…"` would print it). Not the
    units' own names: a unit's name inside its id (柳河县 in 中共柳河县委) would be taken for a person's."""
    if not isinstance(data, dict):
        return {"people": []}
    people = data.get("people")
    units = data.get("units")
    return {"people": people if isinstance(people, list) else [],
            "units": [{key: unit.get(key) for key in ("holders", "leaders")} for unit in units if isinstance(unit, dict)]
            if isinstance(units, list) else []}
