"""`cadre-rules test`: each case's `meta.expected` against its audit, reported like a test run."""
from __future__ import annotations

import sys

import click

from cadre_rules.cli.tools import rulebook_or_exit
from cadre_rules.report.controls import shown

LABELS = {
    "zh": {"passed": "通过", "failed": "未通过", "error": "错误", "skipped": "跳过", "missing": "缺少",
           "unexpected": "多出", "none": "没有案例写明 meta.expected", "violated": "违规", "pending": "待定",
           "unknown": "无法判断", "error_line": "错误："},
    "en": {"passed": "passed", "failed": "failed", "error": "error", "skipped": "skipped", "missing": "missing",
           "unexpected": "unexpected", "none": "no case states meta.expected", "violated": "violated",
           "pending": "pending", "unknown": "unknown", "error_line": "error: "},
}


@click.command("test")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="Only failures, errors and the closing line.")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
              help="Rulebook directory (default: the bundled rules).")
@click.option("--profile", default="national", show_default=True, help="Jurisdiction profile.")
def test(paths: tuple[str, ...], lang: str, quiet: bool, rules_dir: str | None, profile: str) -> None:
    """Check each case's meta.expected (violated / pending / unknown rule ids) against its audit.

    Exit status: 0 every case that states an expectation meets it; 1 some case differs; 2 a case is
    invalid, its expectation is malformed, or no case states one.
    """
    from cadre_rules.audit import Auditor
    from cadre_rules.audit.batch import BatchOptions, judge_paths
    from cadre_rules.audit.expectations import check_expectation

    words = LABELS[lang]
    rulebook = rulebook_or_exit(rules_dir, profile, lang)
    auditor = Auditor(rulebook)
    counts = dict.fromkeys(("passed", "failed", "error", "skipped"), 0)
    # the one batch driver; keep_data: the expectation is read from each case's raw meta
    for judged in judge_paths(paths, BatchOptions(keep_data=True, scope=True), auditor=auditor):
        outcome = check_expectation(judged.result.source, judged.data, judged.result, rulebook.ids)
        counts[outcome.outcome] += 1
        if quiet and outcome.outcome in ("passed", "skipped"):
            continue
        # shown(): a case file's own text (its id, a field named in a problem) may carry control
        # characters; on the terminal they are their code (\x1b), never acted on
        who = shown(f"{outcome.source}" + (f" ({outcome.case_id})" if outcome.case_id else ""))
        click.echo(f"{words[outcome.outcome].upper() if lang == 'en' else words[outcome.outcome]} {who}")
        for verdict, rule_id in outcome.missing:
            click.echo(f"    {words['missing']} {words[verdict]} {rule_id}")
        for verdict, rule_id in outcome.unexpected:
            click.echo(f"    {words['unexpected']} {words[verdict]} {rule_id}")
        for problem in outcome.problems:
            click.echo(f"    {shown(problem.located(lang))}")
    stated = counts["passed"] + counts["failed"] + counts["error"]
    if lang == "zh":
        click.echo(f"{counts['passed']} 通过，{counts['failed']} 未通过，{counts['error']} 错误，{counts['skipped']} 跳过")
    else:
        click.echo(f"{counts['passed']} passed, {counts['failed']} failed, {counts['error']} errors, "
                   f"{counts['skipped']} skipped")
    if not stated:
        click.echo(f"{words['error_line']}{words['none']}", err=True)
        sys.exit(2)
    sys.exit(2 if counts["error"] else 1 if counts["failed"] else 0)
