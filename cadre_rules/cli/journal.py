"""`cadre-rules journal …`: verify, export and re-judge journals (registered by cadre_rules.cli.main).

Exit statuses: 0 intact (verify) / written (export) / no change (rejudge); 1 the journal was
tampered with (every command verifies first), or rejudge found changes; 2 the input is not a
readable journal, or a usage error.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from cadre_rules.cli.tools import emit, rulebook_or_exit
from cadre_rules.live.journal import Journal, JournalError, JournalTampered, JournalUnreadable, Receipt, export_entries, verify_journal


def _anchor(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[Receipt]:
    try:
        return [Receipt.parse(v) for v in values]
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _open(path: str) -> Journal:
    try:
        return Journal(path, create=False)
    except JournalUnreadable as exc:
        click.echo(f"unreadable journal: {exc}", err=True)
        sys.exit(2)


def _verified(journal: Journal) -> None:
    report = journal.verify()
    if not report.ok:
        click.echo(f"{journal.path}: {report}", err=True)
        sys.exit(1)


def _cases(journal: Journal, case_id: str | None) -> list[str]:
    cases = journal.cases()
    if case_id is not None:
        if case_id not in cases:
            click.echo(f"{journal.path}: no case {case_id!r} (cases: {', '.join(cases) or 'none'})", err=True)
            sys.exit(2)
        return [case_id]
    return cases


_rulebook = rulebook_or_exit
_emit = emit


@click.group()
def journal() -> None:
    """Verify, export and re-judge the journal of live cases (see docs/live.md)."""


@journal.command("verify")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--anchor", "anchors", multiple=True, callback=_anchor, metavar="SEQ:SHA256",
              help="A receipt kept outside the journal; the journal must still hold it (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def verify(path: str, anchors: list[Receipt], fmt: str) -> None:
    """Check the hash chain; name the first altered, deleted, inserted or reordered entry.

    Exit status: 0 intact, 1 tampered, 2 unreadable.
    """
    try:
        report = verify_journal(path, anchors)
    except JournalUnreadable as exc:
        click.echo(f"unreadable journal: {exc}", err=True)
        sys.exit(2)
    if fmt == "json":
        click.echo(json.dumps({"path": path, **report.to_dict()}, ensure_ascii=False, indent=2))
    else:
        click.echo(f"{path}: {report}")
    sys.exit(0 if report.ok else 1)


@journal.command("export")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "case"]), default="json", show_default=True,
              help="json: one document; jsonl: one entry per line; case: the case file `cadre-rules audit` reads.")
@click.option("--case", "case_id", default=None, help="Only this case.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write to a file.")
@click.option("--no-verify", is_flag=True, help="Export even if the chain is broken.")
def export(path: str, fmt: str, case_id: str | None, output: str | None, no_verify: bool) -> None:
    """Export the journal's entries, or the live cases as case files.

    With --format case, one case is written as a JSON document and several as JSON lines (name the
    file .jsonl); each is open as of its last event, so auditing it gives the live findings.
    """
    from cadre_rules.live.replay import export_case_data

    handle = _open(path)
    try:
        if not no_verify:
            _verified(handle)
        if fmt in ("json", "jsonl"):
            if case_id is not None:
                _cases(handle, case_id)
            _emit(export_entries(handle, fmt, case_id), output)
            return
        cases = [export_case_data(handle, c, verify=False) for c in _cases(handle, case_id)]
        if len(cases) == 1:
            text = json.dumps(cases[0], ensure_ascii=False, indent=2) + "\n"
        else:
            text = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases)
        _emit(text, output)
    except JournalError as exc:
        click.echo(f"{path}: {exc}", err=True)
        sys.exit(1)
    finally:
        handle.close()


@journal.command("rejudge")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
              help="The newer rulebook (default: the bundled rules).")
@click.option("--profile", default="national", show_default=True)
@click.option("--previous-rules", "previous_dir", type=click.Path(file_okay=False), default=None,
              help="The rulebook the journal was written with, to explain each change by rule definitions.")
@click.option("--previous-profile", default="national", show_default=True)
@click.option("--case", "case_id", default=None, help="Only this case.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rejudge_command(path: str, rules_dir: str | None, profile: str, previous_dir: str | None, previous_profile: str,
                    case_id: str | None, fmt: str) -> None:
    """Judge the recorded history with another rulebook; report findings and decisions that change.

    Exit status: 0 nothing changes, 1 something changes (or the journal was tampered with), 2 unreadable.
    """
    from cadre_rules.live.replay import rejudge

    rulebook = _rulebook(rules_dir, profile)
    previous = _rulebook(previous_dir, previous_profile) if previous_dir else None
    handle = _open(path)
    try:
        _verified(handle)
        drifts = [rejudge(handle, c, rulebook, previous, verify=False) for c in _cases(handle, case_id)]
    except (JournalError, JournalTampered) as exc:
        click.echo(f"{path}: {exc}", err=True)
        sys.exit(1)
    finally:
        handle.close()
    if fmt == "json":
        click.echo(json.dumps([d.to_dict() for d in drifts], ensure_ascii=False, indent=2))
    else:
        click.echo("".join(str(d) for d in drifts), nl=False)
    sys.exit(1 if any(d.changed for d in drifts) else 0)
