"""The Spark adapter in local[2] mode against `cadre-rules audit --workers 2`, on the frozen 20,000-case corpus.

    python benchmarks/bench_spark.py [--cases 20000] [--partitions 4]

Needs the `spark` extra (pyspark, pandas, pyarrow) and Java. Runs the example job
(examples/spark/audit_job.py: JSON Lines in, Parquet out) on loopback in local[2] mode, and the CLI
with two worker processes on the same file; checks that the findings are the same (case, rule,
verdict, evidence, as a multiset) and prints the times. On one machine the worker pool is the faster
way (the adapter is for clusters, where the data already is): the figures say by how much.
"""
from __future__ import annotations

import argparse
import itertools
import json
import lzma
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "frozen" / "corpus.jsonl.xz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000)
    args = parser.parse_args()
    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus.jsonl"
        with lzma.open(CORPUS, "rt", encoding="utf-8") as src, corpus.open("w", encoding="utf-8") as dst:
            dst.writelines(itertools.islice(src, args.cases))

        start = time.perf_counter()
        report = tmp / "report.jsonl"
        cli = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", "--format", "jsonl", "--workers", "2",
                              "--no-progress", "-o", str(report), str(corpus)], cwd=ROOT, capture_output=True, text=True)
        cli_time = time.perf_counter() - start
        assert cli.returncode in (0, 1), cli.stderr[-2000:]
        expected: Counter = Counter()
        invalid = 0
        with report.open(encoding="utf-8") as handle:
            for line in handle:
                case = json.loads(line)
                if "summary" in case:
                    continue
                invalid += case["status"] == "invalid"
                for f in case["findings"]:
                    expected[(case["case_id"], f["rule_id"], f["verdict"], json.dumps(f["evidence"], ensure_ascii=False))] += 1

        out = tmp / "findings.parquet"
        env = {**os.environ, "PYSPARK_SUBMIT_ARGS": "--master local[2] pyspark-shell", "SPARK_LOCAL_IP": "127.0.0.1",
               "PYSPARK_PYTHON": sys.executable, "PYTHONPATH": str(ROOT)}
        start = time.perf_counter()
        job = subprocess.run([sys.executable, str(ROOT / "examples" / "spark" / "audit_job.py"), str(corpus), str(out)],
                             capture_output=True, text=True, env=env, cwd=tmp)
        spark_time = time.perf_counter() - start
        assert job.returncode == 0, job.stderr[-3000:]
        rows = pd.read_parquet(out)
        got = Counter(zip(rows.loc[rows.kind == "finding", "case_id"], rows.loc[rows.kind == "finding", "rule_id"],
                          rows.loc[rows.kind == "finding", "verdict"], rows.loc[rows.kind == "finding", "evidence"]))
        same = got == expected and int((rows.kind == "invalid").sum()) == invalid
        print(f"{args.cases} cases, {sum(expected.values())} findings, {invalid} invalid; "
              f"Spark findings equal the CLI's: {same}")
        print()
        print("| run | wall | cases/s |")
        print("|---|---:|---:|")
        print(f"| `cadre-rules audit --workers 2 --format jsonl` | {cli_time:.1f} s | {args.cases / cli_time:,.0f} |")
        print(f"| Spark local[2], examples/spark/audit_job.py (JSON Lines → Parquet, JVM start included) | "
              f"{spark_time:.1f} s | {args.cases / spark_time:,.0f} |")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
