"""`cadre-rules journal …`: verify, export and re-judge journals (registered by cadre_rules.cli.main).

Exit statuses: 0 intact (verify) / written (export) / no change (rejudge); 1 the journal was
tampered with (every command verifies first), or rejudge found changes; 2 the input is not a
readable journal, or a usage error; 5 `checkpoint -o FILE` could not be written. Every line on standard
error is said in the command's --lang (zh by default); `--format json` keeps its English sentences.
"""
from __future__ import annotations

import json
import sys
from typing import NoReturn

import click

from cadre_rules.cli.output import language
from cadre_rules.cli.tools import emit, lang_option, rulebook_or_exit
from cadre_rules.errors import os_reason
from cadre_rules.live.journal import (Journal, JournalError, JournalUnreadable, Receipt, VerifyReport,
                                      export_entries, verify_journal)
from cadre_rules.live.signing import Checkpoint, Signer, SigningError, load_checkpoints, read_public_key


def _anchor(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[Receipt]:
    try:
        return [Receipt.parse(v) for v in values]
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _unreadable(exc: JournalUnreadable) -> NoReturn:
    """Exit 2: not a journal, said in the command's --lang."""
    lang = language()
    click.echo(f"{'无法读取日志：' if lang == 'zh' else 'unreadable journal: '}{exc.describe(lang)}", err=True)
    sys.exit(2)


def _error(en: str, zh: str, status: int = 2) -> NoReturn:
    """Exit `status` with one line on standard error in the command's --lang."""
    click.echo(f"错误：{zh}" if language() == "zh" else f"error: {en}", err=True)
    sys.exit(status)


def _open(path: str, write: bool = False) -> Journal:
    """The journal (read-only unless `write`), or exit 2 saying why."""
    try:
        return Journal(path, create=False, readonly=not write)
    except JournalUnreadable as exc:
        _unreadable(exc)


def _report(path: str, report: VerifyReport) -> str:
    """`PATH: intact: …` / `PATH: tampered: …` in the command's --lang."""
    return f"{path}：{report.describe('zh')}" if language() == "zh" else f"{path}: {report}"


def _verified(journal: Journal) -> None:
    report = journal.verify()
    if not report.ok:
        click.echo(_report(str(journal.path), report), err=True)
        sys.exit(1)


def _journal_error(path: str, exc: JournalError, status: int) -> NoReturn:
    click.echo(f"{path}：{exc.describe('zh')}" if language() == "zh" else f"{path}: {exc}", err=True)
    sys.exit(status)


def _cases(journal: Journal, case_id: str | None) -> list[str]:
    cases = journal.cases()
    if case_id is not None:
        if case_id not in cases:
            if language() == "zh":
                click.echo(f"{journal.path}：没有案件 {case_id!r}（日志中的案件：{'、'.join(cases) or '无'}）", err=True)
            else:
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
@click.option("--checkpoint", "checkpoint_files", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="A file of signed checkpoints kept outside the journal (repeatable); the journal must still hold "
                   "every entry they sign.")
@click.option("--public-key", "public_keys", multiple=True, metavar="HEX|FILE",
              help="A trusted Ed25519 public key (64 hex digits or the .pub file of `journal keygen`); every "
                   "checkpoint must be signed by one of them (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
def verify(path: str, anchors: list[Receipt], checkpoint_files: tuple[str, ...], public_keys: tuple[str, ...],
           fmt: str) -> None:
    """Check the hash chain; name the first altered, deleted, inserted or reordered entry. Every signed
    checkpoint the journal holds is checked too (signature, and that its entry is still there with
    its hash), and so is every checkpoint file given. The journal is opened read-only.

    Exit status: 0 intact, 1 tampered, 2 unreadable (journal, checkpoint file or key).
    """
    try:
        checkpoints = [c for f in checkpoint_files for c in load_checkpoints(f)]
        keys = [read_public_key(k) for k in public_keys]
        report = verify_journal(path, anchors, checkpoints, keys)
    except JournalUnreadable as exc:
        _unreadable(exc)
    except SigningError as exc:
        _error(str(exc), exc.describe("zh"))
    if fmt == "json":
        click.echo(json.dumps({"path": path, **report.to_dict()}, ensure_ascii=False, indent=2))
    else:
        click.echo(_report(path, report))
    sys.exit(0 if report.ok else 1)


@journal.command("export")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "chain", "case"]), default="json", show_default=True,
              help="json: one document; jsonl: one entry per line; chain: the stored chain and its signed checkpoints, "
                   "for an independent verifier (docs/journal.md); case: the case file `cadre-rules audit` reads.")
@click.option("--case", "case_id", default=None, help="Only this case.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write to a file.")
@click.option("--no-verify", is_flag=True, help="Export even if the chain is broken.")
@lang_option
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
        if fmt in ("json", "jsonl", "chain"):
            if case_id is not None and fmt == "chain":
                _error("--format chain exports the whole chain (no --case)", "--format chain 导出整条链（不能与 --case 同用）")
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
        _journal_error(path, exc, 1)
    finally:
        handle.close()


@journal.command("keygen")
@click.argument("key_file", type=click.Path(dir_okay=False))
@lang_option
def keygen(key_file: str) -> None:
    """Make an Ed25519 key for signing journal heads: KEY_FILE (private, mode 0600; keep it away from
    the journal) and KEY_FILE.pub (the public key, 64 hex digits, for `verify --public-key`)."""
    try:
        public = Signer.generate().save(key_file)
    except FileExistsError:
        _error(f"{key_file} exists; not overwriting a key", f"{key_file} 已存在；不覆盖密钥")
    except OSError as exc:
        reason = os_reason(exc)
        _error(f"{key_file}: {exc.strerror or exc}", f"{key_file}：{reason.zh}")
    click.echo(f"已写出 {key_file}（私钥）和 {public}（公钥）" if language() == "zh" else
               f"wrote {key_file} (private) and {public} (public)", err=True)


@journal.command("checkpoint")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--key", "key_file", type=click.Path(dir_okay=False, exists=True), required=True,
              help="The Ed25519 private key (`journal keygen`).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Append the checkpoint to this file (one JSON document a line); default: standard output.")
@lang_option
def checkpoint_command(path: str, key_file: str, output: str | None) -> None:
    """Sign the journal's current head (after verifying it), keep the checkpoint in the journal and
    write it out, to be kept elsewhere and given to `verify --checkpoint`.

    Exit status: 0 written, 1 the journal was tampered with, 2 unreadable journal or key.
    """
    try:
        signer = Signer.from_file(key_file)
    except SigningError as exc:
        _error(str(exc), exc.describe("zh"))
    handle = _open(path, write=True)
    try:
        _verified(handle)
        made: Checkpoint = handle.checkpoint(signer)
    except JournalError as exc:
        _journal_error(path, exc, 2)
    finally:
        handle.close()
    line = made.to_json() + "\n"
    if output:
        try:
            with open(output, "a", encoding="utf-8") as out:
                out.write(line)
        except OSError as exc:  # the checkpoint is kept in the journal all the same (export --format chain)
            reason = os_reason(exc)
            _error(f"cannot write {output}: {exc.strerror or exc}", f"无法写出 {output}：{reason.zh}", 5)
        click.echo(f"{path}：已签署第 {made.seq} 条记录（{made.hash[:16]}…）→ {output}" if language() == "zh" else
                   f"{path}: signed entry {made.seq} ({made.hash[:16]}…) -> {output}", err=True)
    else:
        click.echo(line, nl=False)


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
@lang_option
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
    except JournalError as exc:
        _journal_error(path, exc, 1)
    finally:
        handle.close()
    if fmt == "json":
        click.echo(json.dumps([d.to_dict() for d in drifts], ensure_ascii=False, indent=2))
    else:
        click.echo("".join(str(d) for d in drifts), nl=False)
    sys.exit(1 if any(d.changed for d in drifts) else 0)
