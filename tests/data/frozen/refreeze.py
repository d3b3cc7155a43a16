"""Regenerate the frozen reports of tests/audit/test_frozen_findings.py from the current code.

Run only when a change of findings is intended, and say in the commit which findings changed and why.
The corpus itself (corpus.jsonl.xz) is never regenerated: it is the fixed input.
"""
from __future__ import annotations

import gzip
import json
import lzma
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parents[2] / "examples" / "cases"


def audit(args: list[str], cwd: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", *args], cwd=cwd)
    if proc.returncode not in (0, 1):
        sys.exit(f"audit failed with status {proc.returncode}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with lzma.open(HERE / "corpus.jsonl.xz") as src, open(work / "corpus.jsonl", "wb") as dst:
            shutil.copyfileobj(src, dst)
        audit(["corpus.jsonl", "--format", "jsonl", "--workers", "1", "-o", "report.jsonl"], work)
        with open(work / "report.jsonl", "rb") as src, gzip.open(HERE / "report.jsonl.gz", "wb", 9) as dst:
            shutil.copyfileobj(src, dst)
        audit([".", "--format", "json", "-o", str(work / "examples.json")], EXAMPLES)
        cases = json.loads((work / "examples.json").read_text(encoding="utf-8"))["cases"]
        (HERE / "examples-cases.json").write_text(json.dumps(cases, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
