"""Where the audit's time per case goes, stage by stage — reported figures, not timed tests.

    .venv/bin/python benchmarks/bench_stages.py                 # 2,000 cases, 3 repeats
    .venv/bin/python benchmarks/bench_stages.py --cases 3000 --repeat 2

On one synthetic corpus (`cadre_rules.testing.synth`, seed 2024, 30% violating), CPU microseconds per
case of:

  validate-only  `case_from_json` (bench_audit.py's reference: pydantic-core's one-pass JSON
                 validation and the integrity checks; no repeated-key check, no input limits)
  read           `parse_unit(unit, defer_limits=True)`: the strict reading of the audit
  validate       `validate_deferred` of that reading: the model, the integrity checks, meta's limits
  render         the JSON Lines renderer (`RenderCase`) on an already judged case
  audit          `RenderCase(CaseJudge.judge_unit(unit))`: all of it, as bench_audit.py times it

and then the same stages of each case one after the other, as the audit runs them (`in_turn`).

The stages take turns 50 cases at a time (a burst of other work on a shared machine hits them alike),
so compare figures of one run, and print the load average beside them. Judging alone is about
audit - read - validate - render. Before/after a change: run this file of each checkout one after
the other (each imports the package beside it).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cadre_rules.audit.batch import BatchOptions, CaseJudge  # noqa: E402
from cadre_rules.reading.cases import case_from_json, iter_units, parse_unit, validate_deferred  # noqa: E402
from cadre_rules.report.batch import AuditOptions, RenderCase  # noqa: E402
from cadre_rules.testing.synth import write_jsonl  # noqa: E402
from bench_audit import fine_interleaved  # noqa: E402 - one way of taking turns for every benchmark


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--native", type=Path, default=None, metavar="DIR",
                        help="EXPERIMENT: also `audit-native`, the audit with its generated code compiled by Cython"
                             " (modules built by `benchmarks/native.py build --out DIR`)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cadre-stages-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        write_jsonl(corpus, args.cases, 2024, 0.3)
        units = list(iter_units([str(corpus)]))
    judge = CaseJudge(BatchOptions(scope=True))
    render = RenderCase(AuditOptions(fmt="jsonl"), judge.rulebook)
    raws = [parse_unit(u, defer_limits=True) for u in units]
    judged = [judge.judge_unit(u) for u in units]
    stages = {
        "validate-only": lambda i: case_from_json(units[i].text),
        "read": lambda i: parse_unit(units[i], defer_limits=True),
        "validate": lambda i: validate_deferred(raws[i]),
        "render": lambda i: render(judged[i]),
        "audit": lambda i: render(judge.judge_unit(units[i])),
    }
    if args.native is not None:  # EXPERIMENT (benchmarks/native.py): the same judge, its generated code native
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import native

        native.install(args.native)
        judge_n = CaseJudge(BatchOptions(scope=True))
        render_n = RenderCase(AuditOptions(fmt="jsonl"), judge_n.rulebook)
        native.restore()
        assert all(render_n(judge_n.judge_unit(u)) == render(judge.judge_unit(u)) for u in units), "native differs"
        stages["audit-native"] = lambda i: render_n(judge_n.judge_unit(units[i]))
        print(f"native: {native.STATS}")
    load = os.getloadavg()
    totals = fine_interleaved(list(range(len(units))), stages, repeat=args.repeat)  # the order rotates per chunk
    n = len(units)
    print(f"{n} cases, load average {load[0]:.2f} before, {os.getloadavg()[0]:.2f} after; CPU µs per case, each repeat")
    for name, values in totals.items():
        print(f"  {name:14s}" + "".join(f"{v / n * 1e6:9.1f}" for v in values))
    for audit in ("audit", "audit-native") if args.native is not None else ("audit",):
        ratios = [v / a for v, a in zip(totals["validate-only"], totals[audit])]
        print(f"  {audit} vs validate-only" + "".join(f"{r:9.3f}" for r in ratios))
    in_turn(units, judge, render, args.repeat)


def in_turn(units: list, judge: CaseJudge, render: RenderCase, repeat: int) -> None:
    """The stages of each case one after the other, as the audit runs them, then validate-only of the
    same case: each stage here finds the others' working sets in the cache, not its own (compare with
    the figures above, where each stage runs over 50 cases in a row)."""
    clock = time.perf_counter
    names = ("read", "validate", "judge", "render", "validate-only")
    rounds = []
    for _ in range(repeat):
        totals = [0.0] * len(names)
        for unit in units:
            t0 = clock()
            raw = parse_unit(unit, defer_limits=True, limits=judge.limits)
            t1 = clock()
            case = validate_deferred(raw, judge.limits)
            t2 = clock()
            judged = judge.judge_valid(case, raw.source, raw.data, unit.size)
            t3 = clock()
            render(judged)
            t4 = clock()
            case_from_json(unit.text)
            t5 = clock()
            for k, (a, b) in enumerate(((t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5))):
                totals[k] += b - a
        rounds.append(totals)
    n = len(units)
    print("each case's stages in turn, as the audit runs them (wall clock µs per case, each repeat)")
    for k, name in enumerate(names):
        print(f"  {name:14s}" + "".join(f"{r[k] / n * 1e6:9.1f}" for r in rounds))
    print("  audit vs validate-only" + "".join(f"{r[4] / sum(r[:4]):9.3f}" for r in rounds))


if __name__ == "__main__":
    main()
