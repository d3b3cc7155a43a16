"""The command line: a thin layer over the public API (no rule logic here)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from cadre_rules.cli.tools import emit, lang_option, rulebook_or_exit
from cadre_rules.engine import EngineUnavailable
from cadre_rules.errors import TemplateError
from cadre_rules.model import Case
from cadre_rules.report import FORMATS
from cadre_rules.rulebook import Rulebook, RulebookError, load_rulebook


_rulebook = rulebook_or_exit
_emit = emit


rules_option = click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
                            help="Rulebook directory, a layered rulebook, or an installed rulebook's name (default: the bundled rules).")
profile_option = click.option("--profile", default="national", show_default=True, help="Jurisdiction profile.")


class _Main(click.Group):
    """The top-level group: every way a command can end maps to one exit status (cli/output.py):
    0 ok, 1 violations, 2 invalid input, 3 usage error, 4 internal error, 5 output not written,
    130 interrupted (143 SIGTERM, 129 SIGHUP)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        from cadre_rules.cli.output import run_command

        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        status = run_command(lambda: super(_Main, self).main(args, prog_name, complete_var, standalone_mode=False,
                                                                 **extra))
        sys.exit(status)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "CADRE_RULES"})
@click.version_option(package_name="cadre-rules")
@click.option("--no-cache", is_flag=True,
              help="Load the rulebook afresh: neither read nor write the rulebook cache (also CADRE_RULES_CACHE=off; "
                   "its directory: CADRE_RULES_CACHE_DIR, default the user's cache directory).")
@click.pass_context
def main(ctx: click.Context, no_cache: bool) -> None:
    """cadre-rules: audit and enforce the cadre selection procedure (干部选拔任用).

    Options may also come from CADRE_RULES_<COMMAND>_<OPTION> environment variables and from a
    configuration file (cadre-rules.toml, or [tool.cadre-rules] in pyproject.toml; docs/cli.md).

    Exit status: 0 ok, 1 violations (or tampering, or rule errors, as each command says), 2 invalid
    input, 3 usage error, 4 internal error, 5 the output could not be written, 130 interrupted.
    """
    from cadre_rules.cli.config import default_map, find_config
    from cadre_rules.cli.output import set_language
    from cadre_rules.errors import ConfigError

    set_language("en")  # until a command with --lang says otherwise
    if no_cache:  # through the environment, so that worker processes and child commands see it too
        _set_env(ctx, "CADRE_RULES_CACHE", "off")

    try:
        found = find_config()
        if found:
            ctx.default_map = default_map(main, *found)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    _one_line_deprecations()


def _set_env(ctx: click.Context, name: str, value: str) -> None:
    """Set an environment variable for this command, as it was again when the command ends."""
    import os

    before = os.environ.get(name)
    os.environ[name] = value

    def restore() -> None:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before

    ctx.call_on_close(restore)


def _one_line_deprecations() -> None:
    """Case-format deprecations (CaseFormatDeprecated) as one `warning: ...` line on standard error,
    without Python's source line; shown once per process (each worker inherits this by fork)."""
    import warnings

    from cadre_rules.errors import CaseFormatDeprecated

    previous = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):  # type: ignore[no-untyped-def]
        if issubclass(category, CaseFormatDeprecated):
            from cadre_rules.cli.output import language

            zh = language() == "zh"
            click.echo(f"警告：{getattr(message, 'zh', message)}" if zh else f"warning: {message}", err=True)
        else:
            previous(message, category, filename, lineno, file, line)

    warnings.showwarning = show
    warnings.simplefilter("once", CaseFormatDeprecated)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="table", show_default=True,
              help="table, json, jsonl (one case per line, streamed), markdown, html, sarif, junit or github.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="Write the report to a file (`-`: standard output).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the readable reports (JSON carries both).")
@click.option("--engine", type=click.Choice(["python", "durable"]), default="python", show_default=True,
              help="Evaluator: compiled Python, or the durable_rules Rete engine (run in a child process).")
@click.option("--workers", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes (0: as many as pay here: the free cores, or none); output stays in input order.")
@click.option("--waivers", type=click.Path(dir_okay=False, exists=True), default=None,
              help="YAML file of waivers (case, rule, approver, reason, expires).")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Reference date of the audit, for waiver expiry (default: today); recorded in the report.")
@click.option("--redact", is_flag=True, help="Replace people's names and identity numbers in the report.")
@click.option("--holidays", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Holiday file adding years to the bundled holiday data (docs/holidays.md); repeatable.")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "pending", "unknown"]), default="violation",
              show_default=True, help="Exit 1 from this finding on: a violation; also a violated warning; also "
                                      "pending; also unknown.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on standard error (default: if a terminal).")
@click.option("--docs-url", default=None, metavar="URL",
              help="The documentation site, for each rule's helpUri in SARIF (default: the checkout's docs/, if any).")
@click.option("--html-template", type=click.Path(dir_okay=False, exists=True), default=None,
              help="The HTML report's page template (default: the bundled one; docs/reports.md).")
@click.option("--letterhead", type=click.Path(dir_okay=False, exists=True), default=None,
              help="An HTML fragment put in the HTML report's letterhead slot.")
@click.option("--register", "register", type=click.Path(dir_okay=False, exists=True), default=None,
              help="Organisation register (docs/register.md): also judge the cross-case rules, one result per unit.")
@rules_option
@profile_option
def audit(paths: tuple[str, ...], fmt: str, output: str | None, lang: str, engine: str, workers: int,
          waivers: str | None, as_of, redact: bool, holidays: tuple[str, ...], fail_on: str, progress: bool | None,
          docs_url: str | None, html_template: str | None, letterhead: str | None, register: str | None,
          rules_dir: str | None, profile: str) -> None:
    """Audit case files (.json, .yaml, .jsonl, or directories of them), streaming.

    Exit status: 2 if any input was invalid or a waiver is wrong; else 1 if any finding no waiver
    covers reaches --fail-on (default: a violation of severity `violation`); else 0 (and 3 usage, 4 internal error, 5 the report could not
    be written, 130 interrupted). With -o the report appears only when complete.
    """
    from datetime import date

    from cadre_rules.report.batch import AuditOptions, run_audit
    from cadre_rules.audit.waivers import WaiverError, load_waivers

    from cadre_rules.cli.output import set_language
    from cadre_rules.cli.tools import use_holidays

    set_language(lang)  # the command's own errors (interrupt, output, internal) in the report's language
    use_holidays(holidays)
    if fmt == "html" or html_template or letterhead:
        from cadre_rules.report.html import load_template

        try:
            load_template(html_template, letterhead)  # refused before any case is judged
        except TemplateError as exc:
            click.echo(f"模板有误：{exc.describe('zh')}" if lang == "zh" else f"template error: {exc}", err=True)
            sys.exit(2)
    rulebook = _rulebook(rules_dir, profile)
    try:
        waiver_set = load_waivers(waivers, rulebook.waivable_ids) if waivers else None
    except WaiverError as exc:
        if redact:  # read before any case, so no case tells whose names the file may hold: quote none of it
            from cadre_rules.report.redact import Redactor

            exc = WaiverError([(place, Redactor().apply(message)) for place, message in exc.placed], exc.path)
        click.echo(f"{'豁免文件有误' if lang == 'zh' else 'waiver error'}:\n{exc.describe(lang)}", err=True)
        sys.exit(2)
    command = (" ".join(["cadre-rules", *sys.argv[1:]])
               if Path(sys.argv[0]).name.startswith("cadre-rules") and not redact else None)
    options = AuditOptions(fmt, lang, rules_dir, profile, engine, waivers, as_of.date() if as_of else date.today(),
                           redact, command, fail_on, docs_url, html_template=html_template, letterhead=letterhead,
                           register=register)
    if register:
        from cadre_rules.cli.tools import register_or_exit

        register_or_exit(register, lang, redact)
    if output == "-":
        output = None  # `-o -` is standard output
    from contextlib import nullcontext

    from cadre_rules.cli.output import output_file
    from cadre_rules.report.controls import shown  # an input's control characters, on stderr too (see there)

    try:
        with output_file(output) if output else nullcontext(sys.stdout) as handle:
            result = run_audit(paths, options, handle, workers=workers, progress=progress,
                               err=lambda line: click.echo(shown(line), err=True), rulebook=rulebook, waivers=waiver_set)
    except EngineUnavailable as exc:
        click.echo(f"错误：--engine {engine} 不可用：{exc}" if lang == "zh" else
                   f"error: --engine {engine} is not available: {exc}", err=True)
        sys.exit(2)
    sys.exit(result.status)


@main.group()
def rules() -> None:
    """Inspect the rulebook."""


@rules.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@rules_option
@profile_option
@lang_option
def rules_list(fmt: str, rules_dir: str | None, profile: str) -> None:
    """List every rule with its stage, severity and citations per edition."""
    from cadre_rules.cli.describe import describe_rules, rules_table

    rulebook = _rulebook(rules_dir, profile)
    if fmt == "json":
        click.echo(json.dumps(describe_rules(rulebook), ensure_ascii=False, indent=2))
    else:
        from cadre_rules.report.terminal import detect

        terminal = detect(sys.stdout)
        click.echo(rules_table(rulebook, terminal), nl=False, color=terminal.colour)


@rules.command("show")
@click.argument("rule_id")
@rules_option
@profile_option
@lang_option
def rules_show(rule_id: str, rules_dir: str | None, profile: str) -> None:
    """Show one rule: titles, citations per edition, parameters and its source."""
    from cadre_rules.cli.describe import describe_rules

    rulebook = _rulebook(rules_dir, profile)
    described = describe_rules(rulebook)
    found = [r for r in described["rules"] + described["register_rules"] if r["id"] == rule_id]
    if not found:
        _say_unknown_rules([rule_id], f"unknown rule {rule_id!r} (see `cadre-rules rules list`)")
    click.echo(json.dumps(found[0], ensure_ascii=False, indent=2))


def _say_unknown_rules(rule_ids: list[str], english: str) -> None:
    """Exit 2 naming rule ids the rulebook lacks, in the command's --lang (`english` under en, as ever)."""
    from cadre_rules.cli.output import language

    zh = f"错误：未知的规则 {'、'.join(rule_ids)}（规则见 `cadre-rules rules list`）"
    click.echo(zh if language() == "zh" else english, err=True)
    sys.exit(2)


def _say_coverage_input(exc: Exception, features_dir: str) -> None:
    """Exit 2 for features that cannot be read (the directory missing, gherkin not installed), in --lang."""
    from cadre_rules.cli.output import language

    if language() != "zh":
        click.echo(f"error: {exc}", err=True)
    elif not Path(features_dir).is_dir():
        click.echo(f"错误：找不到 .feature 文件的目录：{features_dir}", err=True)
    else:
        click.echo(f"错误：{exc}", err=True)
    sys.exit(2)


@rules.command("check")
@click.argument("directory", type=click.Path(file_okay=False, exists=True))
@profile_option
@lang_option
def rules_check(directory: str, profile: str) -> None:
    """Validate a rule directory (and profile); print every error as file:line and exit 1 if any.

    Every rule is also compiled exactly as an audit compiles it, so a rulebook that passes runs.
    The errors are in --lang (Chinese by default; `en`: as they always were)."""
    from cadre_rules.cli.output import language
    from cadre_rules.engine.python import compile_rules

    try:
        rulebook = load_rulebook(directory, profile)
        compile_rules(list(rulebook.rules), rulebook.editions)
    except RulebookError as exc:
        click.echo(exc.describe(language()), err=True)
        sys.exit(1)
    click.echo(f"{directory}: {len(rulebook.rules)} rules, profile {rulebook.profile}, version {rulebook.version}: ok")


@rules.command("docs")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="docs/rules", show_default=True)
@click.option("--examples", "examples_dir", type=click.Path(file_okay=False), default="examples/cases", show_default=True)
@click.option("--features", "features_dir", type=click.Path(file_okay=False), default="features", show_default=True)
@rules_option
@profile_option
@lang_option
def rules_docs(out_dir: str, examples_dir: str, features_dir: str, rules_dir: str | None, profile: str) -> None:
    """Generate the rule reference (one page per stage) from the rule files.

    An --examples or --features directory that is not there is left out of the pages, and a line on
    standard error says so: run from another directory, the defaults (relative to it) silently gave
    pages without their example cases and scenarios."""
    from cadre_rules.cli.output import language
    from cadre_rules.cli.reference import generate_reference

    rulebook = _rulebook(rules_dir, profile)
    zh = language() == "zh"
    for option, folder, what_zh, what_en in (("--examples", examples_dir, "示例案例", "example cases"),
                                             ("--features", features_dir, "场景", "scenarios")):
        if not Path(folder).is_dir():
            click.echo(f"注意：没有 {option} 目录 {folder}：各页不列{what_zh}" if zh else
                       f"note: no {option} directory {folder}: the pages list no {what_en}", err=True)
    written = generate_reference(rulebook, Path(out_dir), Path(examples_dir), Path(features_dir))
    click.echo(f"wrote {len(written)} pages to {out_dir}", err=True)


@rules.command("coverage")
@click.option("--features", "features_dir", type=click.Path(file_okay=False), default="features", show_default=True,
              help="Directory of .feature files (searched recursively).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@rules_option
@profile_option
@lang_option
def rules_coverage(features_dir: str, fmt: str, rules_dir: str | None, profile: str) -> None:
    """List each rule with its violating and compliant scenarios (tags @违规/@violating, @合规/@compliant).

    Exit status: 1 if a rule lacks either kind or the features have a tagging problem; 2 on bad input.
    """
    from cadre_rules.bdd.coverage import CoverageInputError, coverage, coverage_table

    rulebook = _rulebook(rules_dir, profile)
    try:
        report = coverage(rulebook, features_dir)
    except CoverageInputError as exc:
        _say_coverage_input(exc, features_dir)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        from cadre_rules.report.terminal import detect

        terminal = detect(sys.stdout)
        click.echo(coverage_table(report, terminal), nl=False, color=terminal.colour)
    sys.exit(0 if report.ok else 1)


@rules.command("mutate")
@click.option("--rule", "rule_ids", multiple=True, metavar="ID", help="Only this rule (repeatable; default: every rule).")
@click.option("--features", "features_dir", type=click.Path(file_okay=False), default="features", show_default=True,
              help="Directory of .feature files; each rule is judged by the scenarios tagged with its id.")
@click.option("--examples", "examples_dir", type=click.Path(file_okay=False), default="examples/cases", show_default=True,
              help="Example cases whose meta.expected lists their findings (skipped if the directory is absent).")
@click.option("--rules-dir", "--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
              help="Rulebook directory (default: the bundled rules); scenarios are judged by it.")
@profile_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Exit 1 if a rule kills less than this share of its non-equivalent mutants.")
@click.option("--sample", type=click.IntRange(min=1), default=None, help="Judge only this many mutants, drawn with --seed.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--steps", "step_modules", multiple=True, metavar="MODULE",
              help="Another module of step definitions (a project's own steps; importable).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write the report to a file.")
@click.option("--write-doc", "write_doc", type=click.Path(dir_okay=False, exists=True), default=None, metavar="PAGE",
              help="Also rewrite the page's last-run section and Open gaps list (e.g. docs/mutation.md) from this whole run.")
@lang_option
def rules_mutate(rule_ids: tuple[str, ...], features_dir: str, examples_dir: str, rules_dir: str | None, profile: str,
                 fmt: str, min_score: float, sample: int | None, seed: int, step_modules: tuple[str, ...],
                 output: str | None, write_doc: str | None) -> None:
    """Mutation testing: change each rule slightly (flipped comparisons, dropped conjuncts, negated exists,
    parameters off by one, editions and start dates a year off) and check that the rule's own scenarios or
    the examples notice. Lists every surviving mutant as a diff.

    Exit status: 1 if a rule scores below --min-score; 2 on bad input.
    """
    from cadre_rules.bdd.coverage import CoverageInputError
    from cadre_rules.bdd.mutation import mutation_table, run_mutation

    rulebook = _rulebook(rules_dir, profile)
    unknown = sorted(set(rule_ids) - set(rulebook.ids) - {r.id for r in rulebook.register_rules})
    if unknown:
        _say_unknown_rules(unknown, f"unknown rule(s): {', '.join(unknown)} (see `cadre-rules rules list`)")
    examples = examples_dir if Path(examples_dir).is_dir() else None
    try:
        report = run_mutation(rulebook, features_dir, examples, rules_dir, only=rule_ids or None, sample=sample, seed=seed,
                              step_modules=("cadre_rules.bdd.steps", *step_modules))
    except CoverageInputError as exc:
        _say_coverage_input(exc, features_dir)
    except ImportError as exc:
        click.echo(f"error: cannot import step module: {exc}", err=True)
        sys.exit(2)
    if write_doc:
        from cadre_rules.bdd.mutation_doc import MutationDocError, rewrite_doc

        page = Path(write_doc)
        try:
            page.write_text(rewrite_doc(page.read_text(encoding="utf-8"), report), encoding="utf-8")
        except MutationDocError as exc:
            click.echo(f"error: {page}: {exc}", err=True)
            sys.exit(2)
    if fmt == "json":
        _emit(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n", output)
    else:
        _emit(mutation_table(report), output)
    below = report.below(min_score)
    for r in below:
        click.echo(f"{r.rule_id}: score {r.score:.0%} is below {min_score:.0%}", err=True)
    sys.exit(1 if below else 0)


@main.command()
@click.option("--report", is_flag=True, help="The JSON Schema of the JSON report instead.")
def schema(report: bool) -> None:
    """Print the JSON Schema of a case file (or, with --report, of the JSON report)."""
    if report:
        from cadre_rules.report.schema import report_schema

        click.echo(json.dumps(report_schema(), ensure_ascii=False, indent=2))
    else:
        click.echo(json.dumps(Case.model_json_schema(), ensure_ascii=False, indent=2))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["mermaid", "json"]), default="mermaid", show_default=True)
@rules_option
@lang_option
def workflow(fmt: str, rules_dir: str | None) -> None:
    """Print the stage graph of a case."""
    stages = _rulebook(rules_dir, "national").stages
    if fmt == "mermaid":
        click.echo(stages.to_mermaid(), nl=False)
    else:
        click.echo(json.dumps(stages.to_dict(), ensure_ascii=False, indent=2))


@main.command()
@click.option("--n", "count", type=click.IntRange(min=0), required=True, help="Number of cases.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--violation-rate", type=click.FloatRange(0, 1), default=0.3, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="Output .jsonl file.")
@lang_option
def synth(count: int, seed: int, violation_rate: float, out: str) -> None:
    """Write synthetic valid cases, some with injected violations (listed in meta.injected_violations).

    The file is written whole or not at all (cli/output.py): a --out that cannot be written is exit
    status 5 naming it, and an interrupted run leaves no half-written file."""
    from cadre_rules.cli.output import language, output_file
    from cadre_rules.testing.synth import write_cases

    with output_file(out) as handle:
        written = write_cases(handle, count, seed, violation_rate)
    click.echo(f"已将 {written} 个案例写入 {out}" if language() == "zh" else f"wrote {written} cases to {out}", err=True)


from cadre_rules.cli.journal import journal as _journal_group  # noqa: E402 - the `journal` group (logic in cadre_rules.live)

main.add_command(_journal_group)

from cadre_rules.cli.report import report as _report_group, spotcheck as _spotcheck  # noqa: E402 - logic in annual/spotcheck

main.add_command(_report_group)
main.add_command(_spotcheck)

from cadre_rules.cli.verify import test as _test  # noqa: E402 - meta.expected checks (logic in cadre_rules.audit)

main.add_command(_test)

from cadre_rules.cli.importing import import_group as _import_group, template_group as _template_group  # noqa: E402 - logic in cadre_rules.importers

main.add_command(_import_group)
main.add_command(_template_group)
from cadre_rules.cli.serve import serve as _serve  # noqa: E402 - the decision service (cadre_rules.service)

main.add_command(_serve)


def _name_environment_variables(group: click.Group, prefix: str = "CADRE_RULES") -> None:
    """Give every option the environment variable docs/cli.md names: CADRE_RULES_<COMMAND>_<OPTION>,
    from the long option (`--format` → CADRE_RULES_AUDIT_FORMAT). Why: click's automatic names come
    from the Python parameter, so the options whose parameter is named otherwise (`--format` → fmt,
    `--rules` → rules_dir, `--org` → organisation …) read CADRE_RULES_AUDIT_FMT and ignored the documented
    variable without a word. The parameter's name is still read after it, as it was."""
    for name, command in group.commands.items():
        here = f"{prefix}_{name.upper().replace('-', '_')}"
        if isinstance(command, click.Group):
            _name_environment_variables(command, here)
            continue
        for param in command.params:
            longs = [o for o in param.opts if o.startswith("--")] if isinstance(param, click.Option) else []
            if not longs or param.envvar is not None or not param.allow_from_autoenv:
                continue
            documented = f"{here}_{longs[0][2:].upper().replace('-', '_')}"
            internal = f"{here}_{(param.name or '').upper()}"
            param.envvar = [documented] if documented == internal else [documented, internal]


_name_environment_variables(main)

if __name__ == "__main__":
    main()
