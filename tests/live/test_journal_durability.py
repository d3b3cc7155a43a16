"""Durability and concurrency with real processes: a writer killed with SIGKILL mid-append loses no
acknowledged entry and leaves an intact chain; two processes writing one case are serialised."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cadre_rules import Journal, LiveCase, Receipt, replay, validate_case, verify_journal
from cadre_rules.live.derive import events_from_case

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

ROOT = Path(__file__).resolve().parents[2]

RAW_WRITER = r"""
import sys
from cadre_rules.live.journal import Journal
path, tag = sys.argv[1], sys.argv[2]
journal = Journal(path)
i = 0
while True:
    with journal.transaction() as w:          # three entries, one transaction
        for part in range(3):
            w.append("raw", "event", {"writer": tag, "i": i, "part": part, "pad": "x" * 3000}, "test", f"{tag}-{i}-{part}")
    print(w.head.seq, w.head.hash, flush=True)  # acknowledged: the transaction has committed
    i += 1
"""

LIVE_WRITER = r"""
import os, sys, time
from datetime import date
from cadre_rules import Event, Journal, LiveCase, load_rulebook
path, case_id, tag, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
live = LiveCase.resume(Journal(path), case_id, load_rulebook())
if len(sys.argv) > 5:                           # a barrier, so that the writers really overlap
    open(f"{path}.{tag}.ready", "w").close()
    deadline = time.time() + 30
    while not all(os.path.exists(f"{path}.{t}.ready") for t in sys.argv[5].split(",")) and time.time() < deadline:
        time.sleep(0.005)
i = 0
while count < 0 or i < count:
    result = live.submit(Event(f"{tag}-{i}", "review", date(2021, 3, 2), {"note": f"{tag} {i}"}))
    assert result.accepted, result.reason
    print(result.seq, result.hash, result.event.id, flush=True)
    i += 1
    if len(sys.argv) > 5:
        time.sleep(0.003)                       # an application does other work between events
"""


def spawn(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def kill_after(proc: subprocess.Popen, acks: int) -> list[list[str]]:
    """Read `acks` acknowledgements, let it run a moment more, SIGKILL it; return every line it printed."""
    lines = []
    while len(lines) < acks:
        line = proc.stdout.readline()
        assert line, f"writer died early: {proc.stderr.read()}"
        lines.append(line.split())
    time.sleep(random.uniform(0, 0.01))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    rest = proc.stdout.read()
    # A writer killed in the middle of printing leaves a partial last line: that is no acknowledgement.
    complete = rest.split("\n")[:-1] if not rest.endswith("\n") else rest.splitlines()
    lines += [line.split() for line in complete if line.strip()]
    proc.stderr.close()
    proc.stdout.close()
    return lines


def test_sigkill_mid_append_loses_no_acknowledged_entry_and_never_breaks_the_chain(tmp_path):
    path = tmp_path / "kill.journal"
    acked: list[Receipt] = []
    for round_ in range(3):  # each writer starts on the journal its killed predecessor left behind
        lines = kill_after(spawn(RAW_WRITER, path, f"w{round_}"), acks=random.randint(5, 15))
        acked += [Receipt(int(seq), digest) for seq, digest in lines]
        assert verify_journal(path).ok
    report = verify_journal(path, acked)  # every acknowledged entry is there, with the hash it was acked with
    assert report.ok, report
    journal = Journal(path, create=False)
    entries = list(journal.entries())
    assert len(entries) % 3 == 0 and len(entries) >= acked[-1].seq  # no half-written transaction survives
    for start in range(0, len(entries), 3):
        group = [e.content for e in entries[start:start + 3]]
        assert [g["part"] for g in group] == [0, 1, 2] and len({(g["writer"], g["i"]) for g in group}) == 1
    journal.close()


def open_case(path: Path, baseline) -> str:
    init, opened, _ = events_from_case(validate_case(baseline))
    journal = Journal(path)
    live = LiveCase.open(init, opened, journal=journal)
    journal.close()
    return live.case.id


def test_sigkill_of_a_live_writer_keeps_every_acknowledged_event(tmp_path, baseline, rulebook):
    path = tmp_path / "live-kill.journal"
    case_id = open_case(path, baseline)
    acked: dict[str, Receipt] = {}
    for round_ in range(2):
        for seq, digest, event_id in kill_after(spawn(LIVE_WRITER, path, case_id, f"k{round_}", -1), acks=8):
            acked[event_id] = Receipt(int(seq), digest)
    assert verify_journal(path, acked.values()).ok
    journal = Journal(path)
    live = LiveCase.resume(journal, case_id, rulebook)
    logged = {r.event.id: Receipt(r.seq, r.hash) for r in live.log}
    assert all(logged[event_id] == receipt for event_id, receipt in acked.items())
    assert replay(journal, case_id, rulebook).identical
    journal.close()


def test_two_processes_writing_one_case_are_serialised(tmp_path, baseline, rulebook):
    path = tmp_path / "two.journal"
    case_id = open_case(path, baseline)
    count = 40
    writers = [spawn(LIVE_WRITER, path, case_id, tag, count, "a,b") for tag in ("a", "b")]
    outputs = []
    for proc in writers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outputs.append([line.split() for line in out.splitlines()])
    acked = [Receipt(int(seq), digest) for lines in outputs for seq, digest, _ in lines]
    assert len(acked) == 2 * count and len({r.seq for r in acked}) == 2 * count  # no sequence number given twice
    assert verify_journal(path, acked).ok
    journal = Journal(path, create=False)
    order = [e.event_id for e in journal.entries(case_id=case_id) if e.kind == "event"]
    for tag in ("a", "b"):
        assert [x for x in order if x.startswith(f"{tag}-")] == [f"{tag}-{i}" for i in range(count)]
    switches = sum(1 for x, y in zip(order, order[1:]) if x[0] != y[0])
    assert switches >= 2, order  # the writers really interleaved
    live = LiveCase.resume(journal, case_id, rulebook)
    assert len(live.log) == 2 * count and replay(journal, case_id, rulebook).identical
    journal.close()
    assert [r.seq for r in live.log] == sorted(r.seq for r in live.log)  # the log follows the journal's order
