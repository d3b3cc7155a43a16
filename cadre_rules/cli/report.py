"""The `report annual` and `spotcheck` commands (a thin layer over cadre_rules.report.annual and .spotcheck)."""
from __future__ import annotations

import json
import shlex
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from cadre_rules.errors import CaseInputError, RosterError, in_language
from cadre_rules.cli.tools import lang_option
from cadre_rules.reading.cases import read_cases


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(2)


def _report_outputs(command: Any) -> Any:
    """--markdown, --docx and --template: where a report is written, the same for every report command."""
    command = click.option("--template", type=click.Path(exists=True, dir_okay=False), default=None,
                           help="A .docx template for --docx (default: the bundled GB/T 9704 official-document form)."
                           )(command)
    command = click.option("--docx", "docx_path", type=click.Path(dir_okay=False), default=None,
                           help="Write the .docx report here.")(command)
    return click.option("--markdown", "markdown_path", type=click.Path(dir_okay=False), default=None,
                        help="Write the Markdown report here (default: standard output, unless --docx is given)."
                        )(command)


@click.group("report")
def report() -> None:
    """Reports over many cases: the annual selection-work report."""


@report.command("annual")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--year", type=int, required=True, help="The year reported on.")
@click.option("--org", "organisation", required=True, help="The organisation (Case.organisation) reported on.")
@_report_outputs
@click.option("--spotcheck", "record", type=click.Path(exists=True, dir_okay=False), default=None,
              help="A spot-check record (`cadre-rules spotcheck --record`) for the random checks.")
@click.option("--reviews", "reviews_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="The year's two-reviews record (两评议, docs/reviews.md).")
@click.option("--team-profile", "team_profile_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Targets for the leadership teams' structure (docs/team-structure.md).")
@click.option("--waivers", type=click.Path(exists=True, dir_okay=False), default=None, help="YAML file of waivers.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Reference date for waiver expiry (default: today).")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
              help="Rulebook directory (default: the bundled rules).")
@click.option("--profile", default="national", show_default=True, help="Jurisdiction profile.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the errors and warnings printed (the report itself is Chinese).")
def annual(paths: tuple[str, ...], year: int, organisation: str, markdown_path: str | None, docx_path: str | None,
           template: str | None, record: str | None, reviews_path: str | None, team_profile_path: str | None,
           waivers: str | None, as_of, rules_dir: str | None, profile: str, lang: str) -> None:
    """Write the annual report on cadre selection work (干部选拔任用工作情况报告) in Chinese.

    Exit status: 0; 2 if an input was invalid (the report is still written, listing it), no case of
    the organisation was found, or the rulebook, waivers, template, spot-check record, two-reviews
    record or team profile are wrong.
    """
    from cadre_rules.report.annual import build_annual_report, render_docx, render_markdown
    from cadre_rules.audit.waivers import WaiverError, load_waivers
    from cadre_rules.errors import Problem, RecordFileError
    from cadre_rules.model.team import TeamProfile
    from cadre_rules.reading.records import read_record
    from cadre_rules.reading.reviews import load_reviews
    from cadre_rules.cli.output import set_language
    from cadre_rules.cli.tools import rulebook_or_exit

    set_language(lang)  # the command's own errors (rulebook heading, interrupt, output) in this language
    zh = lang == "zh"
    rulebook = rulebook_or_exit(rules_dir, profile)
    try:
        waiver_set = load_waivers(waivers, rulebook.waivable_ids) if waivers else None
    except WaiverError as exc:
        _fail(f"豁免文件有误:\n{exc.describe('zh')}" if zh else f"waiver error:\n{exc}")
    spotcheck = None
    if record:
        try:
            spotcheck = json.loads(Path(record).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            _fail(f"{record}：无法读取抽查记录：{_unreadable_zh(exc)}" if zh else
                  f"{record}: cannot read the spot-check record: {exc}")
    try:
        reviews = load_reviews(reviews_path) if reviews_path else None
        team_profile = read_record(team_profile_path, TeamProfile) if team_profile_path else None
    except RecordFileError as exc:
        _fail(exc.describe(lang))
    try:
        result = build_annual_report(read_cases(paths), year, organisation, rulebook, waivers=waiver_set,
                                     as_of=as_of.date() if as_of else date.today(), spotcheck=spotcheck,
                                     reviews=reviews, team_profile=team_profile)
    except CaseInputError:
        raise  # a bad CADRE_RULES_MAX_* setting: the command line's error (cli/output.run_command), no file's
    except ValueError as exc:
        culprit = reviews_path if "two-reviews" in str(exc) else record
        problem = exc.args[0] if exc.args else None
        _fail(f"{culprit}：{problem.text('zh')}" if zh and isinstance(problem, Problem) else f"{culprit}: {exc}")
    _write_report(render_markdown(result), lambda: render_docx(result, docx_path, template), markdown_path, docx_path,
                  lang)
    for line in result.skipped:
        click.echo(f"未计入：{in_language(line, lang)}" if zh else f"not counted: {line}", err=True)
    if not result.matched:
        click.echo(f"警告：未找到单位 {organisation!r} 的案例，报告未计入任何案例" if zh else
                   f"warning: no case of organisation {organisation!r} was found; the report counts nothing", err=True)
    sys.exit(2 if result.skipped or not result.matched else 0)


@report.command("departure")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--register", "register_path", type=click.Path(exists=True, dir_okay=False), required=True,
              help="The organisation register (docs/register.md).")
@click.option("--leader", required=True, help="Person id of the departing principal leader (register `people`).")
@click.option("--org", "organisation", required=True, help="The unit (register `units[].id` = Case.organisation).")
@_report_outputs
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
              help="Rulebook directory (default: the bundled rules).")
@click.option("--profile", default="national", show_default=True, help="Jurisdiction profile.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the errors and warnings printed (the report itself is Chinese).")
def departure(paths: tuple[str, ...], register_path: str, leader: str, organisation: str, markdown_path: str | None,
              docx_path: str | None, template: str | None, rules_dir: str | None, profile: str,
              lang: str) -> None:
    """Write the departure check (离任检查) of a unit's principal leader, in Chinese (docs/register.md).

    Exit status: 0; 2 if an input was invalid (the report is still written), or the register, the
    leader, the unit, the rulebook or the template are wrong.
    """
    from cadre_rules.audit.batch import valid_cases
    from cadre_rules.report.redact import without_names
    from cadre_rules.cli.tools import register_or_exit
    from cadre_rules.errors import RegisterError
    from cadre_rules.report.departure import build_departure_report, render_docx, render_markdown
    from cadre_rules.cli.output import set_language
    from cadre_rules.cli.tools import rulebook_or_exit

    set_language(lang)  # the command's own errors (rulebook heading, interrupt, output) in this language
    zh = lang == "zh"
    rulebook = rulebook_or_exit(rules_dir, profile)
    register = register_or_exit(register_path, lang)
    skipped: list[str] = []
    try:
        result = build_departure_report(register, valid_cases(read_cases(paths), skipped, without_names), rulebook, leader,
                                        organisation, register_path)
    except RegisterError as exc:
        _fail(f"台账有误:\n{exc.describe('zh')}" if zh else f"register error:\n{exc}")
    _write_report(render_markdown(result), lambda: render_docx(result, docx_path, template), markdown_path, docx_path,
                  lang)
    for line in skipped:
        click.echo(f"未读取：{in_language(line, lang)}" if zh else f"not read: {line}", err=True)
    sys.exit(2 if skipped else 0)


@click.command("spotcheck")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--year", type=int, default=None, help="Only the cases of this year (default: all).")
@click.option("--org", "organisation", default=None, help="Only the cases of this organisation (default: all).")
@click.option("--rate", type=click.FloatRange(0, 1), default=None,
              help="Share of the non-targeted population drawn, rounded up (default 0.1).")
@click.option("--size", type=click.IntRange(min=0), default=None, help="Number of people drawn (instead of --rate).")
@click.option("--seed", type=click.IntRange(min=0), default=None, help="Seed of the draw (default: a fresh one, printed).")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False), default=None,
              help="YAML/JSON list of further people: {key, targeted, reason}.")
@click.option("--record", type=click.Path(dir_okay=False), default=None, help="Also write the draw as JSON here.")
@click.option("--overwrite", is_flag=True, help="Replace a --record file that holds another draw (kept by default).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
def spotcheck(paths: tuple[str, ...], year: int | None, organisation: str | None, rate: float | None,
              size: int | None, seed: int | None, roster: str | None, record: str | None, overwrite: bool,
              fmt: str) -> None:
    """Draw the personal-matters verification sample (重点核查 and 随机核查) reproducibly.

    Prints the seed, the population, the sample and the exact command that re-draws it. A --record
    file that holds another draw is kept (exit 2) unless --overwrite: it is the evidence of that draw.
    An input that is not a valid case is named on standard error and the exit status is 2, after the
    draw over the rest is printed (and recorded).
    """
    from cadre_rules.cli.output import language
    from cadre_rules.report.spotcheck import DEFAULT_RATE, build_population, draw, load_roster, render_text

    zh = language() == "zh"
    if rate is not None and size is not None:
        _fail("只能给出 --rate 或 --size 之一，不能都给" if zh else "give --rate or --size, not both")
    if not paths and not roster:
        _fail("没有可抽取的对象：请给出案例路径或 --roster" if zh else "nothing to draw from: give case PATHS or --roster")
    population = build_population(read_cases(paths), year, organisation)
    if roster:
        try:
            population.add_roster(load_roster(roster), roster)
        except RosterError as exc:
            _fail(f"名册有误：{exc.describe('zh')}" if zh else str(exc))
    result = draw(population, seed, rate, size)
    args = ["cadre-rules", "spotcheck"]
    if year is not None:
        args += ["--year", str(year)]
    if organisation is not None:
        args += ["--org", organisation]
    args += ["--seed", str(result.seed)]
    args += ["--size", str(size)] if size is not None else ["--rate", str(rate if rate is not None else DEFAULT_RATE)]
    if roster:
        args += ["--roster", roster]
    args += list(paths)
    command = shlex.join(args)
    doc = result.to_dict(command)
    if record:
        from cadre_rules.cli.output import output_file

        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        target = Path(record)
        if target.is_file() and not overwrite and target.read_bytes() != text.encode("utf-8"):
            click.echo(f"错误：{record} 记录的是另一次抽取；不覆盖那次抽取的记录（加 --overwrite 可覆盖）" if zh else
                       f"error: {record} holds another draw; not replacing the record of that draw "
                       "(--overwrite replaces it)", err=True)
            sys.exit(2)
        with output_file(target) as handle:
            handle.write(text)
    if fmt == "json":
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(result, command), nl=False)
    if population.skipped:  # the draw stands, but it is not the draw over what was asked: exit 2 (docs/cli.md)
        for skipped in population.skipped:
            click.echo(f"输入无效，未参与抽取：{in_language(skipped, 'zh')}" if zh else
                       f"invalid input, not drawn from: {skipped}", err=True)
        sys.exit(2)


def _write_report(text: str, write_docx, markdown_path: str | None, docx_path: str | None, lang: str = "en") -> None:
    """The annual and departure reports alike: Markdown to its file (or standard output when no file is
    asked for), then the .docx; a template that will not do is a usage error, not a traceback."""
    from cadre_rules.errors import TemplateError

    if markdown_path:
        from cadre_rules.cli.output import output_file

        with output_file(markdown_path) as handle:  # renamed into place only when complete
            handle.write(text)
    elif not docx_path:
        click.echo(text, nl=False)
    if docx_path:
        try:
            write_docx()
        except TemplateError as exc:
            _fail(f"模板有误：{exc.describe('zh')}" if lang == "zh" else str(exc))


def _unreadable_zh(exc: Exception) -> str:
    """Why a spot-check record did not read, in Chinese (the system's English reason is left out)."""
    if isinstance(exc, json.JSONDecodeError):
        return f"第 {exc.lineno} 行第 {exc.colno} 列不是有效的 JSON"
    if isinstance(exc, OSError):
        return "文件无法打开"
    return "不是有效的抽查记录"
