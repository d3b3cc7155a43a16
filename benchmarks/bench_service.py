"""Load on the decision service, on loopback only: throughput and latency against the in-process audit.

    python benchmarks/bench_service.py [--cases 2000] [--concurrency 4] [--batch 100]

Generates synthetic cases (seed fixed), judges them in this process (`CaseJudge` and `RenderCase`, what
`cadre-rules audit` runs) for the baseline, then starts `cadre-rules serve` on 127.0.0.1 as a
child process and sends the same cases from `--concurrency` client threads, each with one
keep-alive connection: one case per request (`POST /v1/audit`) with the decision log off, with it
on at `--decision-log-sync NORMAL` and `FULL`, and `--batch` cases per request (`/v1/audit/batch`).
Every answer's findings are checked against the in-process ones, and the decision log is verified
at the end. The load is bounded (`--cases` at most 10,000) and never leaves the machine.
Figures go to docs/performance.md.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cadre_rules.live.journal import verify_journal  # noqa: E402
from cadre_rules.reading.cases import RawCase  # noqa: E402
from cadre_rules.audit.batch import CaseJudge  # noqa: E402
from cadre_rules.report.batch import AuditOptions, RenderCase  # noqa: E402
from cadre_rules.testing.synth import generate  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Server:
    """`cadre-rules serve` as a child process on a free loopback port."""

    def __init__(self, tmp: Path, *extra: str) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen([sys.executable, "-m", "cadre_rules", "serve", "--host", "127.0.0.1",
                                      "--port", str(self.port), "--journal", str(tmp / "live.journal"),
                                      "--max-body", str(64 * 1024 * 1024), *extra],
                                     cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/ready")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the service did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(30)


def load(port: int, bodies: list[bytes], path: str, concurrency: int) -> tuple[float, list[float], list[Any]]:
    """Send every body from `concurrency` threads; (wall seconds, latencies in ms, answers in order)."""
    answers: list[Any] = [None] * len(bodies)
    latencies: list[float] = [0.0] * len(bodies)
    next_index = iter(range(len(bodies)))
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                break
            start = time.perf_counter()
            conn.request("POST", path, bodies[i], {"Content-Type": "application/json"})
            response = conn.getresponse()
            data = response.read()
            latencies[i] = (time.perf_counter() - start) * 1000
            answers[i] = (response.status, json.loads(data))
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, latencies, answers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    if not 1 <= args.cases <= 10_000:
        parser.error("--cases must be between 1 and 10,000 (a bounded load)")
    cases = [json.loads(json.dumps(c, ensure_ascii=False, default=str)) for c in generate(args.cases, args.seed, 0.3)]

    options = AuditOptions("json")
    judge = CaseJudge(options.batch)
    render = RenderCase(options, judge.rulebook)
    per_case: list[float] = []
    expected: list[Any] = []
    start = time.perf_counter()
    for i, data in enumerate(cases):
        t0 = time.perf_counter()
        expected.append(render.reported(judge.judge_raw(RawCase("request", data))).to_dict()["findings"])
        per_case.append((time.perf_counter() - t0) * 1000)
    in_process = time.perf_counter() - start
    rows = [("in-process `CaseJudge` + `RenderCase`", args.cases, in_process, per_case)]

    singles = [json.dumps({"input": c}, ensure_ascii=False).encode("utf-8") for c in cases]
    batches = [json.dumps({"inputs": cases[i:i + args.batch]}, ensure_ascii=False).encode("utf-8")
               for i in range(0, len(cases), args.batch)]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        runs = [("POST /v1/audit, no decision log", ["--no-decision-log"], singles, "/v1/audit"),
                ("POST /v1/audit, decision log NORMAL", ["--decision-log", str(tmp / "normal.journal"),
                                                         "--decision-log-sync", "NORMAL"], singles, "/v1/audit"),
                ("POST /v1/audit, decision log FULL", ["--decision-log", str(tmp / "full.journal")], singles, "/v1/audit"),
                (f"POST /v1/audit/batch ({args.batch} per request), log FULL",
                 ["--decision-log", str(tmp / "batch.journal")], batches, "/v1/audit/batch")]
        for label, extra, bodies, path in runs:
            server = Server(tmp, "--max-concurrent", str(args.concurrency * 2), *extra)
            try:
                wall, latencies, answers = load(server.port, bodies, path, args.concurrency)
            finally:
                server.stop()
            statuses = {status for status, _ in answers}
            assert statuses == {200}, f"{label}: statuses {statuses}"
            if path == "/v1/audit":
                got = [body["result"]["findings"] for _, body in answers]
            else:
                got = [item["result"]["findings"] for _, body in answers for item in body["results"]]
            assert got == expected, f"{label}: answers differ from the in-process audit"
            log = next((Path(e) for e in extra if e.endswith(".journal")), None)
            if log is not None:
                report = verify_journal(log)
                assert report.ok and report.entries == args.cases, f"{label}: decision log {report}"
            rows.append((label, len(bodies), wall, latencies))

    print(f"{args.cases} synthetic cases (seed {args.seed}), {args.concurrency} client threads on loopback, "
          f"{os.cpu_count()} CPUs; every answer equals the in-process findings; decision logs verified")
    print()
    print("| run | requests | wall | cases/s | p50 per request | p99 per request |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, requests, wall, latencies in rows:
        print(f"| {label} | {requests:,} | {wall:.2f} s | {args.cases / wall:,.0f} | "
              f"{statistics.median(latencies):.1f} ms | {percentile(latencies, 0.99):.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
