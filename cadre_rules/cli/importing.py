"""`cadre-rules import …` and `cadre-rules template …`: thin commands over cadre_rules.importers.

Notes on what an import could not take over quote the source's text, which is personal data: they go
into the written file (meta.import.notes), and to standard error only with --verbose.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group("import")
def import_group() -> None:
    """Import records departments hold (appointment forms, procedure workbooks) as case files."""


@import_group.command("lrmx")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True, help="Directory for the case skeletons.")
@click.option("--verbose", "-v", is_flag=True, help="Also print each note (quotes the form's text) on standard error.")
def import_lrmx(files: tuple[str, ...], out_dir: str, verbose: bool) -> None:
    """Import 干部任免审批表 files (.lrmx, .lrm) into case skeletons, one YAML file each.

    Exit status: 2 if any file could not be read (the others are still imported), else 0.
    """
    from cadre_rules.importers import FormError, import_form, skeleton_yaml

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for name in files:
        try:
            result = import_form(name)
        except FormError as exc:
            click.echo(f"error: {exc}", err=True)
            failed += 1
            continue
        target = out / f"{Path(name).stem}.yaml"
        target.write_text(skeleton_yaml(result), encoding="utf-8")
        fields = sorted({n.field for n in result.notes})
        summary = f"{name}: wrote {target}"
        if result.notes:
            summary += f"; {len(result.notes)} note(s) on {', '.join(fields)} (meta.import.notes)"
        click.echo(summary, err=True)
        if verbose:
            for note in result.notes:
                click.echo(f"  {note}", err=True)
    sys.exit(2 if failed else 0)
