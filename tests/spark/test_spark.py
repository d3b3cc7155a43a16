"""The Spark adapter: its pure part (pandas batches in, rows out) gives the CLI's findings and turns
bad records into rows, always; the example job runs in Spark local[2] mode when pyspark and Java
are installed (pyspark is not in the `test` extra: ~300 MiB), and is skipped otherwise."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from click.testing import CliRunner

from cadre_rules.cli.main import main as cli_main
from cadre_rules.spark import COLUMNS, audit_documents
from cadre_rules.testing.synth import write_jsonl

ROOT = Path(__file__).resolve().parents[2]
BAD_LINES = ['{"id": "broken", ', '{"id": "half", "title": "t"}', "[1, 2]"]


def cli_findings(path: Path) -> tuple[Counter, dict[str, list[dict]]]:
    """(case_id, rule_id, verdict, evidence) of every finding of the CLI's JSON report, and the
    errors of each invalid case by source line."""
    report = json.loads(CliRunner().invoke(cli_main, ["audit", "--format", "json", str(path)]).stdout)
    found = Counter((c["case_id"], f["rule_id"], f["verdict"], json.dumps(f["evidence"], ensure_ascii=False))
                    for c in report["cases"] for f in c["findings"])
    invalid = {c["source"].rsplit(":", 1)[1]: c["errors"] for c in report["cases"] if c["status"] == "invalid"}
    return found, invalid


def rows_key(rows) -> Counter:
    return Counter((r["case_id"], r["rule_id"], r["verdict"], r["evidence"]) for r in rows if r["kind"] == "finding")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("spark") / "cases.jsonl"
    write_jsonl(path, 120, seed=5, violation_rate=0.5)
    with path.open("a", encoding="utf-8") as out:
        out.write("\n".join(BAD_LINES) + "\n")
    return path


def test_pure_part_gives_the_cli_findings_and_errors_as_rows(corpus):
    pd = pytest.importorskip("pandas")
    from cadre_rules.spark import audit_batches

    lines = corpus.read_text(encoding="utf-8").splitlines()
    frame = pd.DataFrame({"value": lines, "source": [f"{corpus}:{i}" for i in range(1, len(lines) + 1)]})
    batches = [frame.iloc[i:i + 50] for i in range(0, len(frame), 50)]  # as mapInPandas hands them over
    out = pd.concat(list(audit_batches(iter(batches), source_col="source")), ignore_index=True)
    assert list(out.columns) == [name for name, _ in COLUMNS]
    rows = out.to_dict("records")
    expected, invalid = cli_findings(corpus)
    assert rows_key(rows) == expected and sum(expected.values()) > 100
    bad = [r for r in rows if r["kind"] == "invalid"]
    assert len(bad) == len(BAD_LINES) == len(invalid)
    for row in bad:  # the same field errors as the CLI, for the same line (a row has no file line to name)
        cli = [{k: e[k] for k in ("path", "message", "kind")} for e in invalid[row["source"].rsplit(":", 1)[1]]]
        assert json.loads(row["errors"]) == cli
    assert {r["rulebook"] for r in rows} == {json.loads(CliRunner().invoke(
        cli_main, ["audit", "--format", "json", str(corpus)]).stdout)["rulebook"]["version"]}


def test_pure_part_never_fails_on_odd_values():
    rows = list(audit_documents([("a", None), ("b", 7), ("c", b'{"id": "x"}'), ("d", "")]))
    assert [(r["source"], r["kind"]) for r in rows] == [("a", "invalid"), ("b", "invalid"), ("c", "invalid"),
                                                         ("d", "invalid")]
    assert json.loads(rows[0]["errors"]) == [{"path": "", "message": "no document (null)", "kind": "no_document"}]
    assert json.loads(rows[1]["errors"]) == [{"path": "", "message": "not a JSON document (int)", "kind": "not_a_document"}]
    assert rows[2]["case_id"] == "x" and "required field missing" in rows[2]["errors"]


def _spark_ready() -> str | None:
    try:
        import pyspark  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        return "pyspark and pyarrow are not installed (the `spark` extra)"
    if shutil.which("java") is None:
        return "no Java runtime"
    return None


@pytest.mark.skipif(_spark_ready() is not None, reason=str(_spark_ready()))
def test_example_job_in_local_mode_writes_the_cli_findings_as_parquet(corpus, tmp_path):
    import pandas as pd

    out = tmp_path / "findings.parquet"
    env = {**os.environ, "PYSPARK_SUBMIT_ARGS": "--master local[2] pyspark-shell", "SPARK_LOCAL_IP": "127.0.0.1",
           "PYSPARK_PYTHON": sys.executable, "PYTHONPATH": str(ROOT)}
    job = subprocess.run([sys.executable, str(ROOT / "examples" / "spark" / "audit_job.py"), str(corpus), str(out)],
                         capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path)
    assert job.returncode == 0, job.stderr[-3000:]
    rows = pd.read_parquet(out).to_dict("records")
    expected, invalid = cli_findings(corpus)
    assert rows_key(rows) == expected
    assert sorted(json.loads(r["errors"])[0]["message"][:12] for r in rows if r["kind"] == "invalid") == sorted(
        e[0]["message"][:12] for e in invalid.values())
    assert f"{sum(expected.values())} findings" in job.stdout and f"{len(BAD_LINES)} invalid cases" in job.stdout
