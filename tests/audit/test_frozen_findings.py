"""Findings frozen before a restructuring stay byte-identical after it.

`data/frozen/` holds 20,000 synthetic cases (seed 11, written before the package was re-housed) with
the JSON Lines report the command line gave on them, and the example cases' report. Any change to a
finding — verdict, message, citation, evidence, order — fails here. When a change of findings is
intended (a rule's text or history changes), regenerate the frozen reports with
`python tests/data/frozen/refreeze.py` and say in the commit which findings changed and why.
"""
from __future__ import annotations

import gzip
import json
import lzma
import shutil
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
FROZEN = ROOT / "tests" / "data" / "frozen"
EXAMPLES = ROOT / "examples" / "cases"


def audit_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cadre_rules", "audit", *args], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8")


def test_example_findings_are_unchanged(tmp_path):
    out = tmp_path / "examples.json"
    proc = audit_cli([".", "--format", "json", "-o", str(out)], cwd=EXAMPLES)
    assert proc.returncode == 1, proc.stderr
    cases = json.loads(out.read_text(encoding="utf-8"))["cases"]
    frozen = json.loads((FROZEN / "examples-cases.json").read_text(encoding="utf-8"))
    assert [c["case_id"] for c in cases] == [c["case_id"] for c in frozen]
    for got, want in zip(cases, frozen):
        assert got == want, f"findings of {got['case_id']} changed"


def test_synthetic_corpus_findings_are_byte_identical(tmp_path):
    with lzma.open(FROZEN / "corpus.jsonl.xz") as src, open(tmp_path / "corpus.jsonl", "wb") as dst:
        shutil.copyfileobj(src, dst)
    proc = audit_cli(["corpus.jsonl", "--format", "jsonl", "--workers", "1", "-o", "report.jsonl"], cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    got = (tmp_path / "report.jsonl").read_bytes().splitlines()
    with gzip.open(FROZEN / "report.jsonl.gz") as fh:
        want = fh.read().splitlines()
    assert len(got) == len(want) == 20001  # a report line per case, then the summary
    summary_got, summary_want = json.loads(got.pop()), json.loads(want.pop())
    for summary in (summary_got, summary_want):  # the day of the run and the rulebook's hash may differ
        summary.pop("as_of"), summary["summary"].pop("as_of"), summary.pop("rulebook"), summary.pop("calendar", None), summary.pop("report_version", None)
    assert summary_got == summary_want
    changed = [i for i, (a, b) in enumerate(zip(got, want)) if a != b]
    assert not changed, (f"{len(changed)} case reports differ, first at line {changed[0] + 1}:\n"
                         f"got  {got[changed[0]][:600]!r}\nwant {want[changed[0]][:600]!r}")
