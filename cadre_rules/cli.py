"""The command line: a thin layer over the public API (no rule logic here)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .audit import Auditor, exit_status
from .model import Case
from .report import RENDERERS
from .rulebook import Rulebook, RulebookError, load_rulebook


def _rulebook(rules_dir: str | None, profile: str) -> Rulebook:
    try:
        return load_rulebook(rules_dir, profile)
    except RulebookError as exc:
        click.echo(f"rulebook error:\n{exc}", err=True)
        sys.exit(2)


def _emit(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


rules_option = click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
                            help="Rulebook directory (default: the bundled rules).")
profile_option = click.option("--profile", default="national", show_default=True, help="Jurisdiction profile.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cadre-rules")
def main() -> None:
    """cadre-rules: audit and enforce the cadre selection procedure (干部选拔任用)."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write the report to a file.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language of the table.")
@click.option("--engine", type=click.Choice(["python"]), default="python", show_default=True)
@rules_option
@profile_option
def audit(paths: tuple[str, ...], fmt: str, output: str | None, lang: str, engine: str, rules_dir: str | None,
          profile: str) -> None:
    """Audit case files (.json, .yaml, .jsonl, or directories of them).

    Exit status: 2 if any input was invalid; else 1 if any violation of severity `violation`; else 0.
    """
    rulebook = _rulebook(rules_dir, profile)
    auditor = Auditor(rulebook, engine)
    results = list(auditor.audit_paths(paths))
    for r in results:
        if r.status == "invalid":
            for e in r.errors:
                click.echo(f"{r.source}: {'case ' + r.case_id + ': ' if r.case_id else ''}"
                           f"{e.path + ': ' if e.path else ''}{e.message}", err=True)
    render = RENDERERS[fmt]
    text = render(results, rulebook, lang=lang) if fmt == "table" else render(results, rulebook)
    _emit(text, output)
    sys.exit(exit_status(results))


@main.group()
def rules() -> None:
    """Inspect the rulebook."""


@rules.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@rules_option
@profile_option
def rules_list(fmt: str, rules_dir: str | None, profile: str) -> None:
    """List every rule with its stage, severity and citations per edition."""
    from .rulebook.describe import describe_rules, rules_table

    rulebook = _rulebook(rules_dir, profile)
    if fmt == "json":
        click.echo(json.dumps(describe_rules(rulebook), ensure_ascii=False, indent=2))
    else:
        click.echo(rules_table(rulebook), nl=False)


@main.command()
def schema() -> None:
    """Print the JSON Schema of a case file."""
    click.echo(json.dumps(Case.model_json_schema(), ensure_ascii=False, indent=2))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["mermaid", "json"]), default="mermaid", show_default=True)
@rules_option
def workflow(fmt: str, rules_dir: str | None) -> None:
    """Print the stage graph of a case."""
    stages = _rulebook(rules_dir, "national").stages
    if fmt == "mermaid":
        click.echo(stages.to_mermaid(), nl=False)
    else:
        click.echo(json.dumps({
            "start": stages.start, "terminal": sorted(stages.terminal), "stages": stages.titles,
            "transitions": [{"from": a, "to": b, "event": d.get("event", ""), "guards": list(d.get("guards", ()))}
                            for a, b, d in stages.graph.edges(data=True)],
        }, ensure_ascii=False, indent=2))


@main.command()
@click.option("--n", "count", type=click.IntRange(min=0), required=True, help="Number of cases.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--violation-rate", type=click.FloatRange(0, 1), default=0.3, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="Output .jsonl file.")
def synth(count: int, seed: int, violation_rate: float, out: str) -> None:
    """Write synthetic valid cases, some with injected violations (listed in meta.injected_violations)."""
    from .synth import write_jsonl

    written = write_jsonl(Path(out), count, seed, violation_rate)
    click.echo(f"wrote {written} cases to {out}", err=True)


if __name__ == "__main__":
    main()
