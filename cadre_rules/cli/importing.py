"""`cadre-rules import …` and `cadre-rules template …`: thin commands over cadre_rules.importers.

Notes on what an import could not take over quote the source's text, which is personal data: they go
into the written file (meta.import.notes), and to standard error only with --verbose.

A case file an import would write where one already is stays as it is unless --overwrite is given: a
skeleton is completed by hand before it is audited, and importing a folder of forms again (one form
added) must not lose that work. Two inputs that give one file name are both reported, the second not
written. Each file is written whole or not at all.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import click

from cadre_rules.cli.output import language
from cadre_rules.cli.tools import _say_in, lang_option


@click.group("import")
def import_group() -> None:
    """Import records departments hold (appointment forms, procedure workbooks, register workbooks)."""


@import_group.command("lrmx")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True, help="Directory for the case skeletons.")
@click.option("--verbose", "-v", is_flag=True, help="Also print each note (quotes the form's text) on standard error.")
@click.option("--overwrite", is_flag=True, help="Replace case skeletons already in --out (kept by default).")
@click.option("--case-ids", "case_ids", type=click.Choice(["digest", "file-name"]), default="digest", show_default=True,
              help="Case ids from the form file's SHA-256 (form-<12 hex digits>: no personal data), or from its "
                   "file name (as before; usually the cadre's name).")
@lang_option
def import_lrmx(files: tuple[str, ...], out_dir: str, verbose: bool, overwrite: bool, case_ids: str) -> None:
    """Import 干部任免审批表 files (.lrmx, .lrm) into case skeletons, one YAML file each.

    A skeleton already in --out is kept (it may have been completed by hand) unless --overwrite.
    Its case id is made from the file's digest, not its name (a form is named after the cadre, and
    the case id is printed where names are not: spot-check keys). Exit status: 2 if any file could
    not be read or its skeleton was not written (the others are still imported), else 0.
    """
    from cadre_rules.importers import FormError, import_form, skeleton_yaml

    zh = language() == "zh"
    out = _out_dir(out_dir)
    failed = 0
    written: set[Path] = set()
    for name in files:
        try:
            result = import_form(name, case_ids=case_ids)
        except FormError as exc:
            click.echo(f"错误：{exc.describe('zh')}" if zh else f"error: {exc}", err=True)
            failed += 1
            continue
        target = out / f"{Path(name).stem}.yaml"
        kept = _write_new(target, skeleton_yaml(result), overwrite, written)
        if kept is not None:
            why = _NOT_WRITTEN[language()][kept].format(target=target)
            click.echo(f"错误：{name}：{why}" if zh else f"error: {name}: {why}", err=True)
            failed += 1
            continue
        fields = sorted({n.field for n in result.notes})
        if zh:
            summary = f"{name}：已写出 {target}"
            if result.notes:
                summary += f"；{'、'.join(fields)} 有 {len(result.notes)} 条附注（meta.import.notes）"
        else:
            summary = f"{name}: wrote {target}"
            if result.notes:
                summary += f"; {len(result.notes)} note(s) on {', '.join(fields)} (meta.import.notes)"
        click.echo(summary, err=True)
        if verbose:
            for note in result.notes:
                click.echo(f"  {note}", err=True)
    sys.exit(2 if failed else 0)


@import_group.command("workbook")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True, help="Directory for the case files.")
@click.option("--mapping", "mapping_file", type=click.Path(dir_okay=False), default=None,
              help="YAML mapping of another layout onto the template's (sheets, columns, codes, dates).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, callback=_say_in,
              help="The language of the problems and lines printed.")
@click.option("--overwrite", is_flag=True, help="Replace case files already in --out (kept by default).")
def import_workbook_cmd(file: str, out_dir: str, mapping_file: str | None, lang: str, overwrite: bool) -> None:
    """Import a procedure workbook (全程纪实) into case files, one YAML file per case.

    Every problem is printed with its sheet, row, column and case; a case with a problem is not
    written, the others are. A case file already in --out is kept unless --overwrite. Exit status:
    2 if there was any problem or a case was not written, else 0.
    """
    from cadre_rules.importers.mapping import MappingError, load_mapping
    from cadre_rules.importers.workbook import import_workbook, case_yaml

    zh = lang == "zh"
    try:
        mapping = load_mapping(mapping_file) if mapping_file else None
    except MappingError as exc:
        click.echo(f"映射文件有误：{exc.describe('zh')}" if zh else f"error: {exc}", err=True)
        sys.exit(2)
    result = import_workbook(file, mapping)
    for problem in result.problems:
        click.echo(_problem_line(file, problem, zh), err=True)
    out = _out_dir(out_dir) if result.cases else Path(out_dir)  # nothing to write: no folder made for it
    written: set[Path] = set()
    for case_id, data in result.cases.items():
        target = out / f"{_file_name(case_id)}.yaml"
        kept = _write_new(target, case_yaml(data, Path(file).name), overwrite, written)
        if kept is not None:
            why = _NOT_WRITTEN[lang][kept].format(target=target)
            click.echo(f"错误：{file}：案例 {case_id}：{why}" if zh else f"error: {file}: case {case_id}: {why}", err=True)
    if zh:
        click.echo(f"{file}：已将 {len(written)} 个案例写入 {out}"
                   + (f"；未导入：{'、'.join(result.failed)}" if result.failed else ""), err=True)
    else:
        click.echo(f"{file}: wrote {len(written)} case(s) to {out}"
                   + (f"; not imported: {', '.join(result.failed)}" if result.failed else ""), err=True)
    if result.ignored_columns:
        click.echo(f"{file}：以下列不在版式之中，已忽略：{'；'.join(result.ignored_columns)}" if zh else
                   f"{file}: columns not in the layout, ignored: {'; '.join(result.ignored_columns)}", err=True)
    sys.exit(2 if result.problems or len(written) < len(result.cases) else 0)


def _problem_line(file: str, problem, zh: bool) -> str:  # problem: importers.workbook.WorkbookProblem
    """One problem of a workbook import as printed: `错误：FILE：place：what`. A file that is missing or not a
    workbook is said once (`错误：x.xlsx：没有这个文件`), not `错误：x.xlsx：（工作簿）：x.xlsx：没有这个文件`."""
    from cadre_rules.errors import ErrorKind, Problem

    message = problem.message
    if not problem.sheet and isinstance(message, Problem) and message.kind in (ErrorKind.workbook_not_found,
                                                                               ErrorKind.not_a_workbook):
        return f"错误：{message.text('zh')}" if zh else f"error: {message.text('en')}"
    return f"错误：{file}：{problem.text('zh')}" if zh else f"error: {file}: {problem}"


_NOT_WRITTEN = {
    "en": {"exists": "not written: {target} is already there (a file completed by hand is kept; --overwrite "
                     "replaces it)",
           "clash": "not written: {target} was written from another input of this import (the same file name)"},
    "zh": {"exists": "未写出：{target} 已存在（手工补全过的文件不覆盖；加 --overwrite 可覆盖）",
           "clash": "未写出：本次导入的另一项已写出 {target}（文件名相同）"},
}


def _write_new(target: Path, text: str, overwrite: bool, written: set[Path]) -> str | None:
    """Write `text` to `target` whole or not at all, unless it would replace a file: one this import
    wrote already ("clash"), or, without `overwrite`, one that was there before ("exists")."""
    from cadre_rules.cli.output import output_file

    if target in written:
        return "clash"
    if target.is_file() and not overwrite:  # (a device such as /dev/stdout is written to as ever)
        return "exists"
    with output_file(target) as handle:
        handle.write(text)
    written.add(target)
    return None


def _file_name(case_id: str) -> str:
    """A file name for a case id: characters no file system takes made `_`, at most 200 bytes.

    Why the limit: an id of 120 Chinese characters (the model allows 128) made a name too long for
    the file system, and `import workbook` stopped with an internal error (found by fuzzing workbooks)."""
    import re

    name = re.sub(r'[\\/:*?"<>|\s\x00-\x1f\x7f]+', "_", case_id).strip("._")
    return name.encode("utf-8")[:200].decode("utf-8", "ignore").strip("._") or "case"


def _out_dir(out_dir: str) -> Path:
    """The output directory, made if missing; one that cannot be made (`--out /proc/x`, a folder
    under a file) is exit status 5 naming it, where it was an internal error."""
    from cadre_rules.errors import OutputError

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError.cannot_write(out, exc) from None
    return out


@click.group("template")
def template_group() -> None:
    """Write templates of the importable formats."""


@template_group.command("workbook")
@click.option("--out", "out_file", type=click.Path(dir_okay=False), required=True, help="The .xlsx file to write.")
@click.option("--overwrite", is_flag=True, help="Replace the file if it is there (kept by default).")
@lang_option
def template_workbook(out_file: str, overwrite: bool) -> None:
    """Write the empty procedure workbook template: one sheet per record kind, a 说明 sheet describing
    every column and a 代码 sheet listing every code value. An existing file is kept (exit 2) unless
    --overwrite: it may be a workbook already filled in."""
    from cadre_rules.importers.template import write_workbook

    _refuse_to_replace(out_file, overwrite)
    _wrote(_write_made(out_file, write_workbook))


def _wrote(target: Path) -> None:
    click.echo(f"已写出 {target}" if language() == "zh" else f"wrote {target}", err=True)


def _refuse_to_replace(path: str, overwrite: bool) -> None:
    """An empty template written over a workbook a department has filled in would lose its records."""
    if Path(path).is_file() and not overwrite:  # (a device such as /dev/null is written to as ever)
        click.echo(f"错误：{path} 已存在；不以空模板覆盖它（加 --overwrite 可覆盖）" if language() == "zh" else
                   f"error: {path} exists; not overwriting it with an empty template (--overwrite replaces it)", err=True)
        sys.exit(2)


@import_group.command("register")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--out", "out_file", type=click.Path(dir_okay=False), required=True,
              help="The register file to write (.yaml, or .json).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, callback=_say_in,
              help="The language of the problems printed.")
@click.option("--overwrite", is_flag=True, help="Replace the register file if it is there (kept by default).")
def import_register_cmd(file: str, out_file: str, lang: str, overwrite: bool) -> None:
    """Import an organisation register workbook (组织机构与职数台账, .xlsx) into a register file.

    Every problem is printed with its sheet, row and column; the register is validated as a whole, so
    a workbook with any problem writes nothing. A register file already there is kept unless
    --overwrite (it may have been edited by hand). Exit status: 2 if there was any problem or the
    file was kept, else 0.
    """
    import json

    from cadre_rules.importers.register import import_register_workbook, register_yaml

    zh = lang == "zh"
    result = import_register_workbook(file)
    for problem in result.problems:
        click.echo(_problem_line(file, problem, zh), err=True)
    if result.ignored_columns:
        click.echo(f"{file}：以下列不在版式之中，已忽略：{'；'.join(result.ignored_columns)}" if zh else
                   f"{file}: columns not in the layout, ignored: {'; '.join(result.ignored_columns)}", err=True)
    if result.problems or result.data is None:
        click.echo(f"{file}：未写出台账（{len(result.problems)} 个问题）" if zh else
                   f"{file}: no register written ({len(result.problems)} problem(s))", err=True)
        sys.exit(2)
    target = Path(out_file)
    text = (json.dumps(result.data, ensure_ascii=False, indent=2) + "\n" if target.suffix == ".json"
            else register_yaml(result.data, Path(file).name))
    kept = _write_new(target, text, overwrite, set())
    if kept is not None:
        why = _NOT_WRITTEN[lang][kept].format(target=target)
        click.echo(f"错误：{file}：{why}" if zh else f"error: {file}: {why}", err=True)
        sys.exit(2)
    units = len(result.data["units"])
    click.echo(f"{file}：已将台账（{units} 个单位）写入 {target}" if zh else
               f"{file}: wrote the register ({units} unit(s)) to {target}", err=True)


@template_group.command("register")
@click.option("--out", "out_file", type=click.Path(dir_okay=False), required=True, help="The .xlsx file to write.")
@click.option("--overwrite", is_flag=True, help="Replace the file if it is there (kept by default).")
@lang_option
def template_register(out_file: str, overwrite: bool) -> None:
    """Write the empty organisation register workbook: one sheet per record kind, a 说明 sheet
    describing every column and a 代码 sheet listing every code value. An existing file is kept
    (exit 2) unless --overwrite: it may be a register already filled in."""
    from cadre_rules.importers.register import write_register_workbook

    _refuse_to_replace(out_file, overwrite)
    _wrote(_write_made(out_file, write_register_workbook))


def _write_made(out_file: str, make: Callable[[Path], Path]) -> Path:
    """The file `make` writes, made in a temporary folder and then put at `out_file` whole
    (report/files.py). A folder that does not exist is exit status 5, as for every output file
    (`audit -o`, `synth --out`): a mistyped folder is said, not made.

    Why: a template written straight to a path that cannot be written (`/proc/x.xlsx`, a folder
    under a file) was an internal error, exit 4, and to a full disk it printed the zip writer's
    traceback (found by fuzzing the commands' paths). Now that is exit status 5 naming the file, and
    a failed write leaves no half file behind (a device such as /dev/null is written directly)."""
    import tempfile

    from cadre_rules.cli.output import output_file

    with tempfile.TemporaryDirectory() as folder:
        data = make(Path(folder) / "template.xlsx").read_bytes()
    target = Path(out_file)
    with output_file(target, binary=True) as handle:
        handle.write(data)
    return target
