"""Benchmark of the cross-case rules over an organisation register — reported figures, not timed tests.

From a fresh clone (Linux, Python 3.11+):

    python3 -m venv .venv && .venv/bin/pip install -e '.[test]'
    .venv/bin/python benchmarks/bench_register.py --units 10000 --cases 1000000

It builds a synthetic register (`--units` units, each with posts, a quota history, roster holders,
a principal leader whose departure window is settled, and people with birth dates and levels) and
streams `--cases` appointments (each a promotion that never ends a holding: with the default approved
number of 60 per post a unit's 5 posts fill up late in the period, with `--quota 2` nearly every
appointment day is over quota, the worst case of one finding per row) into the batch's spool (`audit/register.py`), exactly the rows
`cadre-rules audit --register` takes from each judged case (one per appointment notice,
`facts/crosscase.appointment_rows`), spread over the units. Then every unit is judged by the seven
`scope: register` rules. It prints:

1. time to spool the rows and to judge all units (rows/s, units/s);
2. resident memory (RSS of this process) after the register is built, after a tenth, half and all
   of the rows are spooled, and after judging, and the peak: flat means the rows do not stay in
   memory (the register itself is in memory: it grows with the units, not with the cases);
3. the cost of taking the rows from one judged case (`appointment_rows` on the compliant baseline).

The per-case audit itself (read, validate, derive facts, judge each case) is measured by
benchmarks/bench_audit.py; this benchmark measures what the register adds. `--json FILE` writes the
figures as JSON.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from datetime import date
from typing import Any, Iterator

from cadre_rules.audit.register import AppointmentSpool, RegisterJudge
from cadre_rules.facts.crosscase import CaseAppointment, appointment_rows
from cadre_rules.facts.periods import days_after
from cadre_rules.model.register import Register
from cadre_rules.rulebook import load_rulebook


def rss_mib() -> float:
    """Resident set size of this process now, MiB (Linux /proc; else the peak so far)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mib()


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_register(units: int, quota: int = 60, seed: int = 17) -> Register:
    rng = random.Random(seed)
    people: list[dict[str, Any]] = []
    out: list[dict[str, Any]] = []
    for u in range(units):
        uid = f"u{u:05d}"
        posts, holders = [], []
        for p in range(5):
            post_id = f"{uid}-p{p}"
            posts.append({"id": post_id, "title": f"职位{p}", "leading_member": p == 0,
                          "quota": [{"since": date(2015, 1, 1), "number": quota + 1}, {"since": date(2021, 1, 1), "number": quota}]})
            for h in range(2):
                pid = f"{post_id}-h{h}"
                people.append({"id": pid, "name": pid, "gender": rng.choice(["男", "女"]),
                               "birth_date": date(rng.randint(1962, 1985), rng.randint(1, 12), rng.randint(1, 28)),
                               "level": "division_deputy", "level_since": date(rng.randint(2008, 2022), 1, 1)})
                holders.append({"person": pid, "post": post_id, "start": date(rng.randint(2010, 2020), rng.randint(1, 12), 1)})
        leader = f"{uid}-sec"
        people.append({"id": leader, "name": leader})
        decided = date(rng.randint(2018, 2023), rng.randint(1, 12), 1)
        out.append({"id": uid, "name": f"单位{u}", "posts": posts, "holders": holders,
                    "leaders": [{"person": leader, "role": "party_secretary", "start": date(2014, 1, 1),
                                 "departure_decided": decided, "successor_in_office": days_after(decided, 120),
                                 "end": days_after(decided, 119)}]})
    return Register.model_validate({"version": 1, "as_of": date(2025, 6, 30), "people": people, "units": out})


def synthetic_rows(units: int, cases: int, seed: int = 23) -> Iterator[CaseAppointment]:
    rng = random.Random(seed)
    for n in range(cases):
        u = rng.randrange(units)
        decided = days_after(date(2016, 1, 1), rng.randrange(3400))
        yield CaseAppointment(f"u{u:05d}", f"u{u:05d}-p{rng.randrange(5)}", f"case-{n:07d}", "c1", decided,
                              days_after(decided, 12), rng.random() < 0.7, "promotion", None, None, "")


def run(units: int, cases: int, quota: int = 60) -> dict[str, Any]:
    rulebook = load_rulebook()
    figures: dict[str, Any] = {"units": units, "cases": cases, "quota": quota, "python": sys.version.split()[0],
                               "rss_start_mib": round(rss_mib(), 1)}
    started = time.perf_counter()
    register = synthetic_register(units, quota)
    figures["register_build_s"] = round(time.perf_counter() - started, 2)
    figures["rss_after_register_mib"] = round(rss_mib(), 1)
    with AppointmentSpool() as spool:
        started = time.perf_counter()
        batch: list[CaseAppointment] = []
        for i, row in enumerate(synthetic_rows(units, cases)):
            batch.append(row)  # the parent adds one case's rows at a time; 64 cases a batch as the driver's chunk
            if len(batch) >= 64:
                spool.add(batch)
                batch = []
            if i == cases // 10:
                figures["rss_tenth_spooled_mib"] = round(rss_mib(), 1)
            if i == cases // 2:
                figures["rss_half_spooled_mib"] = round(rss_mib(), 1)
        spool.add(batch)
        figures["spool_s"] = round(time.perf_counter() - started, 2)
        figures["spool_rows_per_s"] = round(cases / max(figures["spool_s"], 1e-9))
        figures["rss_all_spooled_mib"] = round(rss_mib(), 1)
        judge = RegisterJudge(rulebook)
        started = time.perf_counter()
        counts: dict[str, int] = {}
        for result in judge.judge(register, spool):
            for finding in result.findings:
                counts[finding.rule_id] = counts.get(finding.rule_id, 0) + 1
        figures["judge_s"] = round(time.perf_counter() - started, 2)
        figures["units_per_s"] = round(units / max(figures["judge_s"], 1e-9))
        figures["findings"] = dict(sorted(counts.items()))
    figures["rss_after_judging_mib"] = round(rss_mib(), 1)
    figures["rss_peak_mib"] = round(peak_rss_mib(), 1)
    from cadre_rules.testing.baseline import baseline_case

    case = baseline_case()
    started = time.perf_counter()
    for _ in range(10_000):
        appointment_rows(case)
    figures["rows_from_one_case_us"] = round((time.perf_counter() - started) / 10_000 * 1e6, 1)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--quota", type=int, default=60,
                        help="approved number of each post from 2021 (the rows never end a holding, so a small number "
                             "makes nearly every appointment day over quota: one finding per row, the worst case)")
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    figures = run(args.units, args.cases, args.quota)
    for key, value in figures.items():
        print(f"{key:28} {value}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
