"""Both evaluators in one run on the same corpus: cases/s and their ratio.

    .venv/bin/python benchmarks/bench_engines.py --cases 5000 --rounds 3
    .venv/bin/python benchmarks/bench_engines.py --engine-path /tmp/opt   # another build of durable_rules_engine

The corpus is `cadre_rules.testing.synth` (seeded); facts are derived once, outside the timed part, so the
figures compare the evaluators alone (matching, findings, message rendering). Runs are interleaved
(python, durable, python, durable, ...) and the best round of each is reported, with the median.
Every durable finding list is checked against the Python one while timing: a difference aborts.
`--worker` also times the batch path (durable in a child process, facts pickled to it).
`--engine-path DIR` puts DIR first on sys.path, to measure a durable_rules_engine built another way
(e.g. with optimisation; see docs/engines.md) without installing it. `--clock cpu` times the
in-process evaluators by this process's CPU time, steadier than the wall clock on a shared machine.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--violation-rate", type=float, default=0.3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--worker", action="store_true", help="also time durable in a child process")
    parser.add_argument("--engine-path", default=None, help="directory with another durable_rules_engine build")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="time the in-process evaluators by wall clock or by this process's CPU time (steadier "
                             "on a shared machine; the child-process path is always timed by wall clock)")
    args = parser.parse_args(argv)
    if args.engine_path:
        sys.path.insert(0, args.engine_path)

    import durable_rules_engine

    from cadre_rules.reading.cases import validate_case
    from cadre_rules.engine.durable import DurableEvaluator
    from cadre_rules.testing.durable_check import first_difference
    from cadre_rules.engine.python import PythonEvaluator
    from cadre_rules.facts import derive_facts
    from cadre_rules.rulebook import load_rulebook
    from cadre_rules.testing.synth import generate

    rb = load_rulebook()
    corpus = [derive_facts(validate_case(d)) for d in generate(args.cases, args.seed, args.violation_rate)]
    py = PythonEvaluator(list(rb.rules), rb.editions, rb.stages.order)
    du = DurableEvaluator(list(rb.rules), rb.editions, rb.stages.order)
    reference = [py.evaluate(f) for f in corpus]
    findings = sum(len(r) for r in reference)

    clock = time.process_time if args.clock == "cpu" else time.perf_counter

    def time_python() -> float:
        t = clock()
        for facts in corpus:
            py.evaluate(facts)
        return clock() - t

    def time_durable() -> float:
        t = clock()
        got = [du.evaluate(facts) for facts in corpus]
        elapsed = clock() - t
        for i, (a, b) in enumerate(zip(reference, got)):
            diff = first_difference(a, b)
            if diff:
                raise SystemExit(f"case {i} differs: {diff}")
        return elapsed

    def time_worker() -> float:
        from cadre_rules.engine.durable_worker import DurableWorker

        with DurableWorker(list(rb.rules), rb.editions, rb.stages.order) as worker:
            worker.start()
            t = time.perf_counter()
            got = [f for _, f, _ in worker.judge_many((None, facts, None, i) for i, facts in enumerate(corpus))]
            elapsed = time.perf_counter() - t
        assert all(first_difference(a, b) is None for a, b in zip(reference, got))
        return elapsed

    times: dict[str, list[float]] = {"python": [], "durable": []}
    if args.worker:
        times["durable (child process)"] = []
    for _ in range(args.rounds):
        times["python"].append(time_python())
        times["durable"].append(time_durable())
        if args.worker:
            times["durable (child process)"].append(time_worker())
    n = len(corpus)
    rate = {k: n / min(v) for k, v in times.items()}
    median = {k: n / statistics.median(v) for k, v in times.items()}
    engine_rules = sum(len(p.engine_rules) for p in du.compiled.plans)
    on_engine = sum(1 for p in du.compiled.plans if p.engine == "durable")
    report = {
        "python": platform.python_version(), "machine": platform.machine(), "cases": n, "findings": findings,
        "rules": len(rb.rules), "rules_on_engine": on_engine, "engine_rules": engine_rules,
        "engine_module": durable_rules_engine.__file__, "rounds": args.rounds, "clock": args.clock,
        "cases_per_s_best": {k: round(v) for k, v in rate.items()},
        "cases_per_s_median": {k: round(v) for k, v in median.items()},
        "ratio_python_over_durable": round(rate["python"] / rate["durable"], 2),
        "engine_errors": du.stats["engine_errors"],
        # durable evaluations in which some rules were judged in Python because a value they read was unknown
        "unknown_fallbacks": du.stats.get("unknown_fallbacks", 0),
        "alpha_stack": max(du.compiled.alpha_stack.values()),
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"corpus: {n} synthetic cases (seed {args.seed}), {findings} findings; "
              f"{on_engine}/{len(rb.rules)} rules on the engine as {engine_rules} engine rules")
        print(f"engine module: {report['engine_module']}; clock: {args.clock}")
        for k in times:
            print(f"  {k:<26} {rate[k]:>9.0f} cases/s best   {median[k]:>9.0f} median   ({args.rounds} rounds)")
        print(f"  python / durable: {report['ratio_python_over_durable']}x   (engine errors: {report['engine_errors']}, "
              f"evaluations with rules judged in Python for an unknown value: {report['unknown_fallbacks']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
