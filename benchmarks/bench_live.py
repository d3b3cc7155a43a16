"""Latency of the live check: how long `LiveCase` takes to answer one event on a ~30-fact case.

Not a test: run it by hand, pinned to one core.

    .venv/bin/python benchmarks/bench_live.py              # table
    .venv/bin/python benchmarks/bench_live.py --json       # machine-readable
    .venv/bin/python benchmarks/bench_live.py --iterations 20000 --appends 1000
    .venv/bin/python benchmarks/bench_live.py --preparatory-meeting   # the decision after another meeting
    .venv/bin/python benchmarks/bench_live.py --all-events  # the check of every event of the stream

The case is examples/cases/01 widened to four candidates (two recommendation rounds, four
inspections with a petition each, one decision meeting with four items, four publicities, notices
and filings). Three events are measured (see MEASURED): the decision meeting — the transition with the most guard
rules (discussion -> decision, 15 guards), 24 facts before and 28 after — the first appointment
notice (publicity -> appointment, ~33 facts) and a small inspection step. What is timed, per event:

  check              LiveCase.preview(meeting): everything `submit` does before writing to the
                     journal — build and validate the new Case, derive its facts, judge it
                     (incrementally), decide. The incremental memo is reset to the state before the
                     event on every iteration, as in real use.
  ├ apply+validate   apply_change as LiveCase calls it: the new Case (one copy + record validation +
                     the integrity checks of the sections reading a field the event changed, of a
                     list with one record added or replaced that record's) and what the event's kind
                     declares it changed (live/events.py TOUCHES, Change)
  ├ derive (incr.)   the facts of the new Case that the rulebook reads, given that declaration: the
                     fact types whose case fields the event changed derived anew (of an inspection,
                     a later meeting, a notice, a publicity, a filing or an attestation, the facts of
                     that record or its candidate alone), the others taken from the case before
                     (live/incremental.py FACT_INPUTS, BY_RECORD)
  derive (all types) for comparison: every fact type the rulebook reads (Auditor.derive)
  ├ judge (incr.)    re-evaluation of the rules whose inputs changed (a dispatch generated for
                     that set of rules), merged with the others' findings, given the facts derived
                     just before (as `submit` does: the derivation tells the judge which lists it
                     made; before 7 December 2026, evening, this row compared every fact type)
  judge (all rules)  for comparison: the evaluator on every rule, as a plain audit does
  judge (guards)     for comparison: the 15 guard rules of the transition only
  submit+journal     LiveCase.submit of a `review` event to an SQLite journal file (WAL, one
                     BEGIN IMMEDIATE transaction, synchronous=FULL: includes the fsync)

And a machine reference row ("machine: fixed work of ~N µs"): a constant pure-Python workload
(`machine_work`: small dicts merged, tuples and lists built, attributes and keys read, as the check
does; no cadre-rules code), timed exactly like the `check` rows (`timed()`, same core, same
iterations), its size calibrated at start-up so that its p50 is close to the small event's check
p50 (`--machine-us` fixes the target instead). Its work never varies, so its p99/p50 is what this
VM adds to any figure of that size at that moment (timer ticks, the other vCPU, the host): read a
check's p99 against it. On this VM (7 December 2026, load 1.8–2.3) the reference itself ran at
p99/p50 1.5–2.1 at ~20–25 µs, up to 2.7 at ~30 µs (docs/performance.md, "Live path, sixth round").

`--all-events` times the `check` (LiveCase.preview, the incremental memo reset to the state before the
event on every iteration, as in MEASURED) of every event of the same case's stream, in order, each on
the case as the events before it left it (each event is submitted after it is timed). One row an
event: its kind, id, transition, how many rules the incremental judge re-ran, the fact types it derived
anew (`all`: every type, as when the judging date moves), p50/p90/p99 (`--all-iterations` samples an
event, 2000 by default); under `--json` the rows are the list `all_events`. Only this table is printed
(the three MEASURED events, the machine row and the journal are left out), so that a whole stream
(~70 events) takes ~20 s.
"""
from __future__ import annotations

import argparse
import copy
import gc
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cadre_rules as cr  # noqa: E402
from cadre_rules.facts import derive_facts  # noqa: E402
from cadre_rules.live import Event, LiveCase  # noqa: E402
from cadre_rules.live.events import apply_change  # noqa: E402
from cadre_rules.live.derive import events_from_case  # noqa: E402
from cadre_rules.reading.yamlmarks import safe_load  # noqa: E402

BASELINE = ROOT / "examples" / "cases" / "01-合规-县财政局局长提拔.yaml"


def wide_case(n: int = 4, preparatory: bool = False) -> cr.Case:
    """Example 01 with n candidates going through every step together (`preparatory`: with a
    secretaries' meeting on the same agenda, not deciding, two days before the decision meeting)."""
    data = safe_load(BASELINE.read_text(encoding="utf-8"))
    base_candidate, base_ins = data["candidates"][0], data["inspections"][0]
    base_item, base_pub = data["meetings"][0]["agenda"][0], data["publicity"][0]
    ids = [f"c{i}" for i in range(1, n + 1)]
    data["post"].update(quota=n, incumbents=0)
    data["candidates"] = [{**copy.deepcopy(base_candidate), "id": c, "name": f"候选人{c}"} for c in ids]
    data["motion"]["intended_candidates"] = ids
    data["recommendations"] = [
        {"id": f"r{k}", "form": form, "date": day, "participants_expected": 45, "participants_actual": 42,
         "results": [{"candidate": c, "votes": 30 + i} for i, c in enumerate(ids)],
         # after a talk round, the meeting is shown a reference list longer than the posts (差额)
         **({"reference_list": ids} if form == "meeting" else {})}
        for k, (form, day) in enumerate([("talk", "2021-03-12"), ("meeting", "2021-03-16")], start=1)]
    data["inspections"] = []
    for i, c in enumerate(ids, start=1):
        ins = {**copy.deepcopy(base_ins), "id": f"i{i}", "candidate": c}
        ins["petitions"] = [{"id": f"pt{i}", "received": "2021-03-26", "specific": True, "closed": "2021-04-05",
                             "conclusion": "查无实据"}]
        data["inspections"].append(ins)
    data["meetings"][0]["agenda"] = [{**copy.deepcopy(base_item), "id": f"a{i}", "candidate": c}
                                     for i, c in enumerate(ids, start=1)]
    data["publicity"] = [{**base_pub, "id": f"p{i}", "candidate": c} for i, c in enumerate(ids, start=1)]
    base_notice = data["appointments"][0]
    data["appointments"] = [{**copy.deepcopy(base_notice), "id": f"n{i}", "candidate": c}
                            for i, c in enumerate(ids, start=1)]
    data["attestations"] = [{**a, "candidate": c} for c in ids for a in data["attestations"]]
    data["filings"] = [{"id": f"f{i}", "candidate": c, "date": "2021-05-07", "to": "中共江州市委组织部"}
                       for i, c in enumerate(ids, start=1)]
    if preparatory:
        decision = data["meetings"][0]
        day = date.fromisoformat(str(decision["date"])) - timedelta(days=2)
        agenda = [{k: v for k, v in item.items() if k not in ("outcome", "vote")} | {"id": f"pre-{item['id']}"}
                  for item in decision["agenda"]]
        data["meetings"].insert(0, {**copy.deepcopy(decision), "id": "pre", "kind": "secretaries",
                                    "date": day.isoformat(), "agenda": agenda})
    data.pop("meta", None)
    return cr.validate_case(data)


def percentiles(samples_ns: list[int]) -> dict[str, float]:
    s = sorted(samples_ns)
    at = lambda q: s[min(len(s) - 1, int(q * len(s)))] / 1000  # noqa: E731
    return {"n": len(s), "p50_us": at(0.50), "p90_us": at(0.90), "p99_us": at(0.99), "max_us": s[-1] / 1000,
            "mean_us": statistics.fmean(s) / 1000}


def timed(fn: Callable[[], Any], iterations: int, before: Callable[[], Any] | None = None) -> dict[str, float]:
    for _ in range(min(200, iterations)):  # warm-up
        if before:
            before()
        fn()
    gc.collect()
    samples = []
    clock = time.perf_counter_ns
    for _ in range(iterations):
        if before:
            before()
        t0 = clock()
        fn()
        samples.append(clock() - t0)
    return percentiles(samples)


class _Record:
    """A small record with attributes, as the reference work reads them (a pydantic model stands here)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


_REF_FIELDS = {f"field{i}": i for i in range(16)}
_REF_KEYS = tuple(_REF_FIELDS)[::3]
_REF_RECORDS = [_Record(_REF_FIELDS) for _ in range(4)]


def _machine_unit(records: list[_Record] = _REF_RECORDS, keys: tuple[str, ...] = _REF_KEYS) -> int:
    """About 1 µs of the kind of work a live check does: a record's dict copied with one value
    replaced, a list with one element replaced, a tuple of read values compared, a few calls."""
    old = records[3]
    new = _Record({**old.__dict__, "field3": None})
    replaced = [*records[:3], new, *records[4:]]
    a, b = tuple([old.__dict__[k] for k in keys]), tuple([new.__dict__[k] for k in keys])
    changed = {k for k in keys if old.__dict__[k] != new.__dict__[k]}
    return len(replaced) + (a == b) + len(changed)


def machine_work(units: int) -> Callable[[], int]:
    """A fixed workload of `units` reference units (the same objects, the same work every call)."""
    unit = _machine_unit
    rng = range(units)

    def work() -> int:
        total = 0
        for _ in rng:
            total += unit()
        return total

    return work


def machine_row(target_us: float, iterations: int) -> dict[str, Any]:
    """The reference workload sized so its p50 is close to `target_us`, timed like the check rows."""
    unit_us = timed(machine_work(50), 2000)["p50_us"] / 50  # the cost of one unit, calibrated here
    units = max(1, round(target_us / unit_us))
    row = timed(machine_work(units), iterations)
    return {"target_us": target_us, "units": units, "unit_us": unit_us, "timings": row,
            "p99_over_p50": row["p99_us"] / row["p50_us"]}


# The decision meeting (the transition with the most guards; nearly every rule re-run), the first
# appointment notice (publicity -> appointment, a new date: the date-dependent rules re-run) and a small
# event on the same date as the one before it (one of the four musts for the last inspection).
MEASURED = ("meeting:mt1", "notice:n1", "inspection:i4/petition_check")


def measure(rulebook: cr.Rulebook, init: dict[str, Any], opened: date, events: list[Event], event_id: str,
            iterations: int) -> dict[str, Any]:
    event = next(e for e in events if e.id == event_id)
    live = LiveCase.open(init, opened, rulebook)
    for e in events[:events.index(event)]:
        assert live.submit(e).accepted, e.id
    before_case = live.case
    # what the live path derives: the facts its rulebook reads (Auditor.derive), else all of them
    derive = getattr(live._auditor, "derive", derive_facts)
    before_facts = derive(before_case)
    before_findings = list(live.findings)
    after_case, change = apply_change(before_case, event, checked=True)  # and what the event declares it changed
    after_facts = derive(after_case)
    result = live.preview(event)
    assert result.accepted, result.reason
    judge = live._incremental
    evaluator = live._auditor.evaluator

    def reset() -> None:  # the state `submit` finds: the memo holds the case before the event
        judge._memo = (before_case, False, before_facts, before_findings)

    rows = {
        "check": timed(lambda: live.preview(event), iterations, reset),
        "apply+validate": timed(lambda: apply_change(before_case, event, checked=True), iterations),
        "derive (incr.)": timed(lambda: judge.derive(after_case, False, change), iterations, reset),
        "derive (all types)": timed(lambda: derive(after_case), iterations),
    }
    # what the live path judges: lists of unchanged types reused, and what the derivation told the judge
    # about the lists it made (derived last, as in `submit`: else every fact type is compared)
    reset()
    incr_facts = judge.derive(after_case, False, change)
    rows["judge (incr.)"] = timed(lambda: judge.update(before_facts, before_findings, incr_facts), iterations)
    rows["judge (all rules)"] = timed(lambda: evaluator.evaluate(after_facts), iterations)
    if result.transition:
        guards = set(rulebook.stages.guards(*result.transition))
        rows[f"judge ({len(guards)} guards)"] = timed(lambda: evaluator.evaluate(after_facts, guards), iterations)
    reset()
    judge.derive(after_case, False, change)
    derived = judge.last_derived
    judge.update(before_facts, before_findings, incr_facts)
    return {"types_derived": sorted(derived) if derived is not None else None, "types": len(after_facts),
            "event": f"{event.kind} {event.id}", "transition": " -> ".join(result.transition or ()),
            "facts_before": sum(len(v) for v in before_facts.values()),
            "facts_after": sum(len(v) for v in after_facts.values()),
            "rules_reevaluated": sorted(judge.last_reevaluated or ()), "timings": rows}


def measure_all(rulebook: cr.Rulebook, init: dict[str, Any], opened: date, events: list[Event],
                iterations: int) -> list[dict[str, Any]]:
    """The check of every event of the stream, in order: each timed on the case the events before it
    made (the memo reset as in `measure`), then submitted."""
    live = LiveCase.open(init, opened, rulebook)
    rows = []
    for event in events:
        judge = live._incremental
        memo = judge._memo

        def reset() -> None:  # the state `submit` finds: the memo holds the case before the event
            judge._memo = memo

        result = live.preview(event)
        assert result.accepted, (event.id, result.reason)
        derived, reevaluated = judge.last_derived, judge.last_reevaluated
        timing = timed(lambda: live.preview(event), iterations, reset)
        reset()
        rows.append({"kind": event.kind, "id": event.id, "transition": " -> ".join(result.transition or ()),
                     "rules_reevaluated": None if reevaluated is None else len(reevaluated),
                     "types_derived": None if derived is None else sorted(derived),
                     "p50_us": timing["p50_us"], "p90_us": timing["p90_us"], "p99_us": timing["p99_us"],
                     "n": timing["n"]})
        assert live.submit(event).accepted, event.id
    return rows


def print_all_events(rows: list[dict[str, Any]], rules: int) -> None:
    print(f"{'kind':22} {'id':40} {'transition':26} {'rules':>5} {'p50 µs':>8} {'p90 µs':>8} {'p99 µs':>8}  types")
    for r in rows:
        n = "all" if r["rules_reevaluated"] is None else str(r["rules_reevaluated"])
        types = "all" if r["types_derived"] is None else ", ".join(r["types_derived"]) or "-"
        print(f"{r['kind']:22} {r['id']:40} {r['transition'] or '-':26} {n:>5} {r['p50_us']:8.1f} "
              f"{r['p90_us']:8.1f} {r['p99_us']:8.1f}  {types}")
    print(f"({len(rows)} events; rules re-run of {rules})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=5000)
    parser.add_argument("--appends", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--preparatory-meeting", action="store_true",
                        help="a secretaries' meeting on the same agenda before the decision meeting")
    parser.add_argument("--machine-us", type=float, default=None,
                        help="size of the machine reference work, µs p50 (default: the small event's check p50)")
    parser.add_argument("--all-events", action="store_true",
                        help="the check of every event of the stream, in order (see the module docstring)")
    parser.add_argument("--all-iterations", type=int, default=2000, help="samples an event under --all-events")
    parser.add_argument("--no-pin", action="store_true", help="do not pin the process to one core")
    parser.add_argument("--core", type=int, default=None, help="the core to pin to (default: the first allowed)")
    args = parser.parse_args(argv)
    if not args.no_pin and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.core if args.core is not None else min(os.sched_getaffinity(0))})

    rulebook = cr.load_rulebook()
    case = wide_case(preparatory=args.preparatory_meeting)
    init, opened, events = events_from_case(case)
    if args.all_events:
        all_rows = measure_all(rulebook, init, opened, events, args.all_iterations)
        load = os.getloadavg() if hasattr(os, "getloadavg") else None
        pinned = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") and not args.no_pin else None
        if args.json:
            print(json.dumps({"python": platform.python_version(), "platform": platform.platform(),
                              "pinned": pinned, "load_average": load, "rulebook": rulebook.version,
                              "rules": len(rulebook.rules), "all_events": all_rows}, ensure_ascii=False, indent=2))
            return 0
        print(f"cadre-rules live check, every event — Python {platform.python_version()}, "
              f"{'pinned to core ' + str(pinned[0]) if pinned else 'not pinned'}"
              + (f", load average {load[0]:.2f}" if load else ""))
        print_all_events(all_rows, len(rulebook.rules))
        return 0
    measured = {}
    for event_id in MEASURED:
        measured[event_id] = measure(rulebook, init, opened, events, event_id, args.iterations)

    small = measured[MEASURED[-1]]["timings"]["check"]
    machine = machine_row(args.machine_us if args.machine_us is not None else small["p50_us"], args.iterations)

    with tempfile.TemporaryDirectory() as tmp:
        journal = cr.Journal(Path(tmp) / "bench.journal")
        jl = LiveCase.open(init, opened, rulebook, journal=journal)
        counter = iter(range(10**9))
        day = opened
        rows = {}
        rows["submit+journal"] = timed(lambda: jl.submit(Event(f"r{next(counter)}", "review", day)), args.appends)
        journal.close()

    report = {
        "python": platform.python_version(), "platform": platform.platform(),
        "pinned": sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") and not args.no_pin else None,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "rulebook": rulebook.version, "rules": len(rulebook.rules), "events": measured, "journal": rows,
        "machine": machine,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    load = report["load_average"]
    print(f"cadre-rules live check — Python {report['python']}, {report['platform']}, "
          f"{'pinned to core ' + str(report['pinned'][0]) if report['pinned'] else 'not pinned'}"
          + (f", load average {load[0]:.2f}" if load else ""))
    header = f"{'':20} {'p50 µs':>10} {'p90 µs':>10} {'p99 µs':>10} {'max µs':>10} {'n':>7}"
    for m in measured.values():
        print(f"\nevent {m['event']}: {m['facts_before']} facts before, {m['facts_after']} after; "
              f"{m['transition'] or 'no transition'}")
        print(f"incremental judging re-ran {len(m['rules_reevaluated'])} of {report['rules']} rules; derived "
              f"{'all' if m['types_derived'] is None else len(m['types_derived'])} of {m['types']} fact types "
              f"{'' if m['types_derived'] is None else '(' + ', '.join(m['types_derived']) + ')'}")
        print(header)
        for name, r in m["timings"].items():
            print(f"{name:20} {r['p50_us']:10.1f} {r['p90_us']:10.1f} {r['p99_us']:10.1f} {r['max_us']:10.1f} {r['n']:7d}")
    mr = machine["timings"]
    print(f"\nmachine: fixed work of ~{machine['target_us']:.0f} µs ({machine['units']} units of "
          f"{machine['unit_us']:.2f} µs; p99/p50 {machine['p99_over_p50']:.2f}, the small event's check "
          f"{small['p99_us'] / small['p50_us']:.2f})")
    print(header)
    print(f"{'reference work':20} {mr['p50_us']:10.1f} {mr['p90_us']:10.1f} {mr['p99_us']:10.1f} "
          f"{mr['max_us']:10.1f} {mr['n']:7d}")
    print("\njournal")
    print(header)
    for name, r in rows.items():
        print(f"{name:20} {r['p50_us']:10.1f} {r['p90_us']:10.1f} {r['p99_us']:10.1f} {r['max_us']:10.1f} {r['n']:7d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
