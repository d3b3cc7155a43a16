"""Benchmarks of historical audits at scale — reported figures, not timed tests.

From a fresh clone (Linux, Python 3.11+):

    python3 -m venv .venv && .venv/bin/pip install -e '.[test]'
    .venv/bin/python benchmarks/bench_audit.py

It prints, side by side, on one synthetic corpus (`cadre_rules.testing.synth`, seed 2024, 30% violating):

1. end-to-end audit (read, parse, validate, derive facts, evaluate every rule, render JSON Lines)
   vs validate-only (read, parse, validate): throughput ratio, target >= 0.5;
2. `--workers 2` vs `--workers 1` (the same end-to-end audit): speed-up, target >= 1.9 (issue 18; it was 1.8);
3. the precedence/response subset of the rules (REC-REQUIRED, INS-BEFORE-DECISION, APT-PUB-WINDOW,
   RPT-FILING) judged by cadre-rules vs pm4py's Declare conformance checking of the same constraints,
   each including its input loading (cadre-rules: JSON Lines cases; pm4py: a CSV event log read with
   pandas and pm4py.format_dataframe): speed-up, target >= 2. pm4py is AGPL-3.0 and is never a
   dependency: it is installed in a separate virtual environment (default
   ~/.cache/cadre-rules-bench/pm4py-venv, created on first use; `--no-pm4py` skips this part);
4. resident memory of `cadre-rules audit` streaming 1,000,000 cases (generated on the fly into a
   named pipe, 10,000 distinct synthetic cases with fresh ids): peak and growth, target flat and
   < 200 MiB.

With the 2-worker figure come the CPU figures it is made of (the serial set-up: rulebook load,
afresh and from the cache, and compile; the parent's CPU; the workers' CPU) and the speed-up they
give on two idle cores; `--workers-only` prints just these.

Each timing is the best of `--repeat` runs (the machine may be shared). `--quick` runs a small
version of everything (smoke check). `--json FILE` also writes the figures as JSON.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cadre_rules.audit.auditor import Auditor  # noqa: E402
from cadre_rules.rulebook import load_rulebook  # noqa: E402
from cadre_rules.reading.cases import case_from_json, validate_case_json  # noqa: E402
from cadre_rules.report.batch import AuditOptions, run_audit  # noqa: E402
from cadre_rules.testing.synth import generate, write_jsonl  # noqa: E402

SUBSET = {"REC-REQUIRED", "INS-BEFORE-DECISION", "APT-PUB-WINDOW", "RPT-FILING"}
PM4PY_VENV = Path.home() / ".cache" / "cadre-rules-bench" / "pm4py-venv"
MIB = 1024 * 1024


def best(repeat: int, run: Callable[[], Any], clock: Callable[[], float] = time.process_time) -> tuple[float, Any]:
    """The best of `repeat` runs, in CPU seconds of this process by default: on a machine shared with
    other work, wall-clock time measures the other work too. (Worker pools are timed by the wall clock.)"""
    times, value = [], None
    for _ in range(repeat):
        start = clock()
        value = run()
        times.append(clock() - start)
    return min(times), value


def _spin(n: int) -> int:
    return sum(i * i for i in range(n))


def machine_parallelism(n: int = 3_000_000) -> float:
    """How much faster two processes do two pure-Python tasks than one process does (ideal 2.0).

    The 2-worker figure can only be read against this: on a machine shared with other work it is less."""
    import multiprocessing

    start = time.perf_counter()
    _spin(n), _spin(n)
    one = time.perf_counter() - start
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_spin, [1000, 1000])  # start the processes first
        start = time.perf_counter()
        pool.map(_spin, [n, n], chunksize=1)
        two = time.perf_counter() - start
    return one / two


def interleaved(repeat: int, runs: dict[str, Callable[[], Any]], warm: bool = True) -> dict[str, list[float]]:
    """CPU seconds of each run, the runs taking turns `repeat` times (so that a change of the machine's
    load hits all of them alike); compare the ratios of one round, not times of different rounds."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for run in runs.values() if warm else ():  # one untimed round: imports, caches, the first compilations
        run()
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.process_time()
            run()
            times[name].append(time.process_time() - start)
    return times


def fine_interleaved(items: list[Any], runs: dict[str, Callable[[Any], Any]], chunk: int = 50,
                     repeat: int = 2) -> dict[str, list[float]]:
    """CPU seconds of each run over all items, the runs taking turns chunk by chunk (`chunk` items
    each): on a shared virtual machine a burst of other work, or of time stolen by the hypervisor
    (which counts as this process's CPU time), then hits every run alike. One total per repeat.

    The order of the runs rotates from chunk to chunk: the first run on a chunk pays the first touch
    of its cases (the CPU caches), so a fixed order favoured the runs after it (measured: ~0.05 on the
    hand-written ratio, docs/performance.md "Measuring fairly")."""
    chunks = [items[i:i + chunk] for i in range(0, len(items), chunk)]
    for run in runs.values():
        for item in chunks[0]:
            run(item)
    clock = time.process_time
    out: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        totals = dict.fromkeys(runs, 0.0)
        order = list(runs.items())
        for k, part in enumerate(chunks):
            for name, run in order[k % len(order):] + order[:k % len(order)]:
                start = clock()
                for item in part:
                    run(item)
                totals[name] += clock() - start
        for name, total in totals.items():
            out[name].append(total)
    return out


def per_case_comparison(corpus: Path, repeat: int) -> dict[str, Any]:
    """Validate-only vs the audit's work on each case (read, parse, validate, derive, evaluate, render to
    JSON Lines: CaseJudge.judge_unit and the `audit` command's renderer), taking turns 50 cases at a time."""
    from cadre_rules.audit.batch import BatchOptions, CaseJudge
    from cadre_rules.reading.cases import iter_units
    from cadre_rules.report.batch import RenderCase

    units = list(iter_units([str(corpus)]))
    judge = CaseJudge(BatchOptions(scope=True))
    render = RenderCase(AuditOptions(fmt="jsonl"), judge.rulebook)
    runs = {"validate": lambda u: case_from_json(u.text), "audit": lambda u: render(judge.judge_unit(u))}
    if NATIVE is not None:  # EXPERIMENT: the same audit with its generated code compiled by Cython
        judge_n, render_n = native_twin(lambda: (lambda j: (j, RenderCase(AuditOptions(fmt="jsonl"), j.rulebook)))(
            CaseJudge(BatchOptions(scope=True))))
        for unit in units[:2000]:
            assert render_n(judge_n.judge_unit(unit)) == render(judge.judge_unit(unit)), "native report differs"
        runs["audit_native"] = lambda u: render_n(judge_n.judge_unit(u))
    times = fine_interleaved(units, runs, repeat=repeat)
    ratios = [v / a for v, a in zip(times["validate"], times["audit"])]
    n = len(units)
    out = {"cases": n, "us_per_case": {k: min(v) / n * 1e6 for k, v in times.items()}, "ratios": ratios,
           "ratio": max(ratios)}
    if NATIVE is not None:
        out["ratios_native"] = [v / a for v, a in zip(times["validate"], times["audit_native"])]
    return out


NATIVE: Path | None = None  # --native DIR: EXPERIMENT, the generated code compiled by Cython (benchmarks/native.py)


def native_twin(make: Callable[[], Any]) -> Any:
    """EXPERIMENT: what `make()` returns, built with the library's generated sources compiled by Cython
    (benchmarks/native.py, modules built in NATIVE); the library's own compile is restored after."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import native

    native.install(NATIVE)  # type: ignore[arg-type]
    try:
        return make()
    finally:
        native.restore()
        print(f"native: {native.STATS}", file=sys.stderr)


def handwritten_comparison(corpus: Path, repeat: int, limit: int = 10_000) -> dict[str, Any]:
    """The library's derivation + evaluation of the reference's rules (a rulebook of just those) vs the
    hand-written checks of benchmarks/handwritten.py, on the same validated cases, interleaved, CPU time.
    The verdicts are checked to be the same before anything is timed."""
    import dataclasses
    from collections import Counter

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import handwritten

    cases = []
    with corpus.open("rb") as handle:
        for line in handle:
            if len(cases) >= limit:
                break
            cases.append(validate_case_json(line))
    rulebook = load_rulebook()
    subset = Auditor(dataclasses.replace(rulebook, rules=tuple(r for r in rulebook.rules if r.id in handwritten.RULES)))
    for case in cases:
        ours = Counter((f.rule_id, f.verdict, f.severity, tuple(f.evidence)) for f in subset.findings(case))
        assert ours == Counter(handwritten.judge(case)), f"the reference disagrees with the library on {case.id}"
    from cadre_rules.facts import derive_facts as derive_all

    runs = {}
    if NATIVE is not None:  # EXPERIMENT: the same subset with its generated code compiled by Cython
        native_subset = native_twin(lambda: Auditor(dataclasses.replace(subset.rulebook)))
        for case in cases:
            ours = Counter((f.rule_id, f.verdict, f.severity, tuple(f.evidence)) for f in native_subset.findings(case))
            assert ours == Counter(handwritten.judge(case)), f"the reference disagrees with the native library on {case.id}"
        runs["library_native"] = native_subset.findings

    # what the auditor derives to judge a case: the generated derivation (engine/fused.py) when it has one
    facts_for = subset.fused.derive if getattr(subset, "fused", None) is not None else getattr(subset, "derive", derive_all)
    times = fine_interleaved(cases, {
        "handwritten": handwritten.judge,
        "library": subset.findings,
        "library_derive": facts_for,
        "derive_all": derive_all,
        **runs,
    }, repeat=repeat)
    ratios = [h / lib for h, lib in zip(times["handwritten"], times["library"])]
    n = len(cases)
    out = {"cases": n, "rules": len(handwritten.RULES),
           "us_per_case": {k: min(v) / n * 1e6 for k, v in times.items()},
           "ratios": ratios, "ratio": max(ratios)}
    if runs:
        out["ratios_native"] = [h / lib for h, lib in zip(times["handwritten"], times["library_native"])]
    return out


def validate_only(path: Path) -> int:
    n = 0
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                case_from_json(line)  # the reference: pydantic-core's one pass (validate_case_json reads as the audit does)
                n += 1
    return n


def audit(path: Path, workers: int) -> dict[str, Any]:
    with open(os.devnull, "w", encoding="utf-8") as out:
        result = run_audit([str(path)], AuditOptions(fmt="jsonl"), out, workers=workers, progress=False,
                           err=lambda line: None)
    return result.summary


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def audit_cpu(path: Path, workers: int) -> dict[str, float]:
    """One audit: wall clock, this process's CPU (with 2 workers: loading, compiling, feeding and
    writing) and its worker processes' CPU (they have ended when the audit returns)."""
    children, cpu, wall = _children_cpu(), time.process_time(), time.perf_counter()
    audit(path, workers)
    return {"wall": time.perf_counter() - wall, "parent_cpu": time.process_time() - cpu,
            "workers_cpu": _children_cpu() - children}


def setup_seconds(repeat: int) -> dict[str, float]:
    """CPU of the serial set-up before the first case: the rulebook loaded afresh and from the cache
    (rulebook/cache.py, a private directory), and its rules compiled."""
    saved = {name: os.environ.get(name) for name in ("CADRE_RULES_CACHE", "CADRE_RULES_CACHE_DIR")}
    with tempfile.TemporaryDirectory(prefix="cadre-bench-cache-") as folder:
        os.environ["CADRE_RULES_CACHE_DIR"] = folder
        try:
            os.environ["CADRE_RULES_CACHE"] = "off"
            cold, rulebook = best(repeat, load_rulebook)
            del os.environ["CADRE_RULES_CACHE"]
            load_rulebook()  # writes the entry
            cached, _ = best(repeat, load_rulebook)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    compiled, _ = best(repeat, lambda: Auditor(rulebook))
    return {"load_fresh": cold, "load_cached": cached, "compile": compiled}


def workers_figures(corpus: Path, n: int, repeat: int) -> dict[str, Any]:
    """1 worker and 2 workers taking turns, each with its CPU figures, and the 2-worker speed-up that
    the CPU figures give on two idle cores: the parent's set-up (serial), then the workers' and the
    parent's remaining CPU shared by two cores. Under load only the CPU figures mean anything."""
    one: list[dict[str, float]] = []
    two: list[dict[str, float]] = []
    for _ in range(repeat):
        one.append(audit_cpu(corpus, 1))
        two.append(audit_cpu(corpus, 2))
    setup = setup_seconds(repeat)
    serial = min(r["parent_cpu"] for r in one)
    parent = min(r["parent_cpu"] for r in two)
    workers = min(r["workers_cpu"] for r in two)
    start = setup["load_cached"] + setup["compile"]
    idle_two = start + (workers + max(parent - start, 0.0)) / 2
    # The same with the workers' CPU taken equal to one process's judging (serial - start): under load
    # the workers' CPU time swells with the other work (caches, memory bandwidth) by ±10 % from run to
    # run, which hides the parent's share; this figure shows only what the parent's work costs.
    same_work = start + (serial - start + max(parent - start, 0.0)) / 2
    return {"setup": setup, "one": one, "two": two, "serial_cpu": serial, "parent_cpu": parent,
            "workers_cpu": workers, "parent_us_per_case": max(parent - start, 0.0) / n * 1e6,
            "workers_us_per_case": workers / n * 1e6, "serial_us_per_case": (serial - start) / n * 1e6,
            "expected_idle_speedup": serial / idle_two, "parent_only_speedup": serial / same_work,
            "wall_speedup": min(r["wall"] for r in one) / min(r["wall"] for r in two)}


def report_workers(w: dict[str, Any], parallelism: float, load: list[float]) -> None:
    s = w["setup"]
    print(f"  serial set-up, CPU: rulebook load {s['load_fresh'] * 1000:.0f} ms afresh, {s['load_cached'] * 1000:.0f} ms"
          f" from the cache; compile {s['compile'] * 1000:.0f} ms")
    print(f"  1 worker: CPU {w['serial_cpu']:.2f} s ({w['serial_us_per_case']:.0f} us/case after the set-up)"
          f"   2 workers: parent CPU {w['parent_cpu']:.2f} s ({w['parent_us_per_case']:.0f} us/case after the set-up),"
          f" workers' CPU {w['workers_cpu']:.2f} s ({w['workers_us_per_case']:.0f} us/case)")
    print(f"  2 workers vs 1 on two idle cores, from the CPU figures {w['expected_idle_speedup']:.2f}x"
          f" ({w['parent_only_speedup']:.2f}x with the workers' CPU per case taken as one process's);"
          f" wall clock here {w['wall_speedup']:.2f}x (machine parallelism {parallelism:.2f}x,"
          f" load average {' '.join(f'{x:.2f}' for x in load)})")


def subset_rulebook(ids: set[str]):
    import dataclasses

    rulebook = load_rulebook()
    return dataclasses.replace(rulebook, rules=tuple(r for r in rulebook.rules if r.id in ids))


def subset_audit(path: Path, rulebook: Any) -> set[str]:
    """The precedence/response subset, judged by cadre-rules from the JSON Lines input through the batch
    driver (strict reading, validation, the facts these four rules read): cases violating it."""
    from cadre_rules.audit.batch import BatchOptions, judge_paths

    return {j.result.case_id for j in judge_paths([str(path)], BatchOptions(), rulebook=rulebook)
            if any(f.verdict == "violated" for f in j.result.findings)}


def export_event_log(path: Path, out: Path) -> int:
    """One trace per case and candidate: the events the subset's constraints speak of, dated."""
    rows = 0
    with path.open("rb") as handle, out.open("w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(["case", "activity", "time"])
        for line in handle:
            case = json.loads(line)
            promotion = case["move"] in ("promotion", "further_use")
            decided = "讨论决定" if promotion else "讨论决定（交流）"
            appointed = "任职" if case["move"] == "promotion" else "任职（交流）"
            for cand in case["candidates"]:
                c, events = cand["id"], []
                events += [(r["date"], "民主推荐") for r in case.get("recommendations", [])
                           if any(x["candidate"] == c for x in r.get("results", []))]
                events += [(i["completed"], "考察完成") for i in case.get("inspections", [])
                           if i["candidate"] == c and i.get("completed")]
                events += [(m["date"], decided) for m in case.get("meetings", []) if m.get("kind", "decision") == "decision"
                           for a in m.get("agenda", []) if a["candidate"] == c]
                events += [(p["end"], "公示结束") for p in case.get("publicity", []) if p["candidate"] == c and p.get("end")]
                events += [(a["date"], appointed) for a in case.get("appointments", []) if a["candidate"] == c]
                events += [(f["date"], "报备") for f in case.get("filings", []) if f["candidate"] == c]
                order = {"民主推荐": 0, "考察完成": 1, decided: 2, "公示结束": 3, appointed: 4, "报备": 5}
                for day, activity in sorted(events, key=lambda e: (e[0], order[e[1]])):
                    writer.writerow([f"{case['id']}/{c}", activity, day])
                    rows += 1
    return rows


def ensure_pm4py(venv: Path) -> Path | None:
    python = venv / "bin" / "python"
    if python.exists():
        return python
    print(f"setting up pm4py in {venv} (separate benchmark environment; pm4py is AGPL-3.0) ...", file=sys.stderr)
    try:
        venv.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "pm4py"], check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"pm4py could not be installed: {exc}", file=sys.stderr)
        return None
    return python


def pm4py_run(python: Path, log: Path) -> dict[str, Any]:
    done = subprocess.run([str(python), str(ROOT / "benchmarks" / "pm4py_declare.py"), str(log)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def memory_run(cases: int, tmp: Path, pool_size: int = 10_000) -> dict[str, Any]:
    """Stream `cases` cases through `cadre-rules audit` via a named pipe; sample its resident memory."""
    fifo = tmp / "stream.jsonl"
    os.mkfifo(fifo)
    pool = [dict(case) for case in generate(min(pool_size, cases), 2024, 0.3)]
    written = [0]

    def feed() -> None:
        with fifo.open("w", encoding="utf-8") as pipe:
            for i in range(cases):
                case = pool[i % len(pool)]
                case["id"] = f"mem-{i:07d}"
                pipe.write(json.dumps(case, ensure_ascii=False, default=str) + "\n")
                written[0] = i + 1

    process = subprocess.Popen([sys.executable, "-m", "cadre_rules", "audit", str(fifo), "--format", "jsonl",
                                "-o", os.devnull, "--no-progress"], cwd=str(ROOT), stderr=subprocess.DEVNULL)
    feeder = threading.Thread(target=feed, daemon=True)
    start = time.perf_counter()
    feeder.start()
    samples: list[tuple[int, float]] = []  # (cases written so far, RSS MiB)
    status = Path(f"/proc/{process.pid}/status")
    while process.poll() is None:
        try:
            rss = next(int(line.split()[1]) for line in status.read_text().splitlines() if line.startswith("VmRSS"))
            samples.append((written[0], rss / 1024))
        except (OSError, StopIteration):
            pass
        time.sleep(0.5)
    seconds = time.perf_counter() - start
    feeder.join(timeout=5)

    def at(share: float) -> float:
        wanted = share * cases
        return next((rss for n, rss in samples if n >= wanted), samples[-1][1] if samples else float("nan"))

    return {"cases": cases, "seconds": seconds, "exit_status": process.returncode,
            "rss_mib": {"10%": at(0.10), "50%": at(0.5), "90%": at(0.9),
                        "peak": max((r for _, r in samples), default=float("nan"))},
            "samples": len(samples)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000, help="size of the timing corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-cases", type=int, default=1_000_000)
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--memory-only", action="store_true", help="only the streamed-memory figure")
    parser.add_argument("--no-pm4py", action="store_true")
    parser.add_argument("--pm4py-venv", type=Path, default=PM4PY_VENV)
    parser.add_argument("--quick", action="store_true", help="2,000 cases, 1 repeat, 20,000 streamed")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--workers-only", action="store_true",
                        help="only 1 worker vs 2 workers, with the CPU figures of the parent and the workers")
    parser.add_argument("--handwritten-only", action="store_true",
                        help="only the comparison with the hand-written reference (benchmarks/handwritten.py)")
    parser.add_argument("--native", type=Path, default=None, metavar="DIR",
                        help="EXPERIMENT: also time the library with its generated code compiled by Cython, modules"
                             " built by `benchmarks/native.py build --out DIR` (per-case and hand-written figures)")
    args = parser.parse_args()
    global NATIVE
    NATIVE = args.native
    if args.quick:
        args.cases, args.repeat, args.memory_cases = 2_000, 1, 20_000
    figures: dict[str, Any] = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                           "platform": platform.platform(),
                                           "load_before": os.getloadavg()}, "cases": args.cases}
    if args.memory_only:
        with tempfile.TemporaryDirectory(prefix="cadre-bench-") as tmp_name:
            figures["memory"] = memory_run(args.memory_cases, Path(tmp_name))
        report_memory(figures["memory"])
        if args.json:
            args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    with tempfile.TemporaryDirectory(prefix="cadre-bench-") as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus.jsonl"
        write_jsonl(corpus, args.cases, 2024, 0.3)
        n = args.cases
        print(f"corpus: {n} synthetic cases ({corpus.stat().st_size / MIB:.1f} MiB JSON Lines), "
              f"best of {args.repeat}", file=sys.stderr)

        if args.workers_only:
            audit(corpus, 1)  # warm
            figures["machine"]["parallelism"] = max(machine_parallelism() for _ in range(args.repeat))
            figures["workers"] = workers_figures(corpus, n, args.repeat)
            figures["machine"]["load_after"] = os.getloadavg()
            report_workers(figures["workers"], figures["machine"]["parallelism"], figures["machine"]["load_after"])
            if args.json:
                args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            return
        figures["per_case"] = per_case_comparison(corpus, args.repeat)
        if args.handwritten_only:
            figures["handwritten"] = handwritten_comparison(corpus, max(args.repeat, 3), args.cases)
            figures["machine"]["load_after"] = os.getloadavg()
            print(json.dumps(figures, indent=2))
            return
        figures["machine"]["parallelism"] = max(machine_parallelism() for _ in range(args.repeat))
        # validate-only and the 1-worker audit take turns (interleaved), CPU time; the pools: wall clock.
        rounds = interleaved(args.repeat, {"validate": lambda: validate_only(corpus), "audit": lambda: audit(corpus, 1)},
                             warm=False)
        t_validate, t_audit1 = min(rounds["validate"]), min(rounds["audit"])
        figures["ratio_audit_vs_validate_rounds"] = [v / a for v, a in zip(rounds["validate"], rounds["audit"])]
        summary = audit(corpus, 1)
        wall1, _ = best(args.repeat, lambda: audit(corpus, 1), time.perf_counter)
        t_audit2, summary2 = best(args.repeat, lambda: audit(corpus, 2), time.perf_counter)
        assert summary == summary2, "workers changed the result"
        figures["validate_only"] = {"seconds": t_validate, "cases_per_s": n / t_validate}
        figures["audit_1_worker"] = {"seconds": t_audit1, "cases_per_s": n / t_audit1}
        figures["audit_2_workers"] = {"seconds": t_audit2, "cases_per_s": n / t_audit2}
        figures["ratio_audit_vs_validate"] = t_validate / t_audit1
        # The audit's one-time cost (load the rulebook, compile its rules), which a short corpus does not
        # amortise: the per-case ratio leaves it out.
        t_setup, _ = best(args.repeat, lambda: Auditor(load_rulebook()))
        figures["audit_setup_seconds"] = t_setup
        figures["ratio_audit_vs_validate_per_case"] = t_validate / max(t_audit1 - t_setup, 1e-9)
        figures["audit_1_worker"]["wall_seconds"] = wall1
        figures["speedup_2_workers"] = wall1 / t_audit2
        figures["workers"] = workers_figures(corpus, n, args.repeat)

        figures["handwritten"] = handwritten_comparison(corpus, max(args.repeat, 3))
        subset = subset_rulebook(SUBSET)
        t_subset, ours = best(args.repeat, lambda: subset_audit(corpus, subset))
        figures["subset_cadre_rules"] = {"seconds": t_subset, "violating_cases": len(ours)}
        if not args.no_pm4py:
            python = ensure_pm4py(args.pm4py_venv)
            if python is None:
                figures["pm4py"] = "not installed"
            else:
                log = tmp / "log.csv"
                t_export, rows = best(args.repeat, lambda: export_event_log(corpus, log))
                runs = [pm4py_run(python, log) for _ in range(args.repeat)]
                seconds = min(r["load_seconds"] + r["check_seconds"] for r in runs)
                theirs = {t.rsplit("/", 1)[0] for t in runs[0]["unfit_traces"]}
                figures["pm4py"] = {"version": runs[0]["pm4py"], "events": rows, "traces": runs[0]["traces"],
                                    "seconds": seconds, "import_seconds": min(r["import_seconds"] for r in runs),
                                    "violating_cases": len(theirs), "agree_on_cases": n - len(ours ^ theirs)}
                figures["pm4py"]["export_seconds"] = t_export
                figures["speedup_vs_pm4py"] = seconds / t_subset
                # As a pm4py user must: the event log built from the same case files, then loaded and checked.
                figures["speedup_vs_pm4py_from_case_files"] = (t_export + seconds) / t_subset
        if not args.no_memory:
            figures["memory"] = memory_run(args.memory_cases, tmp)

    figures["machine"]["load_after"] = os.getloadavg()
    report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def report(f: dict[str, Any]) -> None:
    n = f["cases"]
    rows = [
        ("validate only (read, parse, validate), CPU", f"{f['validate_only']['seconds']:.2f} s",
         f"{f['validate_only']['cases_per_s']:,.0f} cases/s", ""),
        ("audit, 1 worker (end to end, jsonl), CPU", f"{f['audit_1_worker']['seconds']:.2f} s",
         f"{f['audit_1_worker']['cases_per_s']:,.0f} cases/s", ""),
        ("audit, 1 worker, wall clock", f"{f['audit_1_worker']['wall_seconds']:.2f} s",
         f"{n / f['audit_1_worker']['wall_seconds']:,.0f} cases/s", ""),
        ("audit, 2 workers, wall clock", f"{f['audit_2_workers']['seconds']:.2f} s",
         f"{f['audit_2_workers']['cases_per_s']:,.0f} cases/s", ""),
        ("subset: cadre-rules (load + judge), CPU", f"{f['subset_cadre_rules']['seconds']:.2f} s",
         f"{n / f['subset_cadre_rules']['seconds']:,.0f} cases/s",
         f"{f['subset_cadre_rules']['violating_cases']} violating"),
    ]
    pm = f.get("pm4py")
    if isinstance(pm, dict):
        rows.append((f"subset: pm4py {pm['version']} Declare (load + check)", f"{pm['seconds']:.2f} s",
                     f"{n / pm['seconds']:,.0f} cases/s",
                     f"{pm['violating_cases']} violating; agree on {pm['agree_on_cases']}/{n} cases"))
    print(f"\n{n} synthetic cases · Python {f['machine']['python']} · {f['machine']['cpus']} CPUs · load average"
          f" {' '.join(f'{x:.2f}' for x in f['machine']['load_before'])} before,"
          f" {' '.join(f'{x:.2f}' for x in f['machine']['load_after'])} after\n")
    width = max(len(r[0]) for r in rows)
    for name, seconds, rate, note in rows:
        print(f"  {name:<{width}}  {seconds:>9}  {rate:>16}  {note}")
    print("\n  ratio                                   measured   target")
    hw = f["handwritten"]
    print(f"  derive+evaluate vs hand-written, {hw['rules']} rules, same verdicts"
          f" {hw['ratio']:>5.2f}x   >= 0.9x   (each round: {', '.join(f'{r:.2f}' for r in hw['ratios'])};"
          f" us/case: hand-written {hw['us_per_case']['handwritten']:.0f}, library {hw['us_per_case']['library']:.0f},"
          f" of which derive {hw['us_per_case']['library_derive']:.0f} (all facts {hw['us_per_case']['derive_all']:.0f});"
          f" {hw['cases']} cases)")
    print(f"  audit vs validate-only (throughput, CPU) {f['ratio_audit_vs_validate']:>6.2f}x   >= 0.5x   (each round:"
          f" {', '.join(f'{r:.2f}' for r in f['ratio_audit_vs_validate_rounds'])})")
    print(f"  the same per case (rulebook load + compile, {f['audit_setup_seconds']:.2f} s, left out)"
          f" {f['ratio_audit_vs_validate_per_case']:>5.2f}x")
    pc = f["per_case"]
    print(f"  audit vs validate-only per case, 50-case turns  {pc['ratio']:>5.2f}x   >= 0.5x   (each run:"
          f" {', '.join(f'{r:.2f}' for r in pc['ratios'])}; us/case: validate {pc['us_per_case']['validate']:.0f},"
          f" audit {pc['us_per_case']['audit']:.0f})")
    print(f"  2 workers vs 1                          {f['speedup_2_workers']:>7.2f}x   >= 1.9x"
          f"   (this machine: 2 processes vs 1 on pure Python work {f['machine']['parallelism']:.2f}x)")
    report_workers(f["workers"], f["machine"]["parallelism"], f["machine"]["load_after"])
    if "speedup_vs_pm4py" in f:
        print(f"  subset vs pm4py Declare, both from the case files {f['speedup_vs_pm4py_from_case_files']:>6.2f}x   >= 2x"
              f"   (pm4py's log built from them in {pm['export_seconds']:.2f} s)")
        print(f"  subset vs pm4py Declare, log extracted beforehand {f['speedup_vs_pm4py']:>6.2f}x   (reported)")
    else:
        print(f"  subset vs pm4py Declare                 {'skipped' if pm is None else pm!s:>8}")
    if f.get("memory"):
        report_memory(f["memory"])


def report_memory(mem: dict[str, Any]) -> None:
    r = mem["rss_mib"]
    print(f"  memory, {mem['cases']:,} cases streamed      peak {r['peak']:.0f} MiB "
          f"(10%: {r['10%']:.0f}, 50%: {r['50%']:.0f}, 90%: {r['90%']:.0f})   < 200 MiB, flat"
          f"   [{mem['seconds']:.0f} s, exit {mem['exit_status']}]")


if __name__ == "__main__":
    main()
