"""Event streams no caller was meant to send: every event gets an answer, the same as from scratch.

Why: callers are other systems (Java services, the decision service's clients) and they send what
their own data holds — an event twice under another id, a date a day off, a field named by a list,
an event of another kind than the data fits, events missing. One such event (a `record_updated`
naming its field by a list) raised TypeError out of `LiveCase.submit` instead of an answer. Here the
event streams of the examples and of synthetic cases are mutated (data changed, dates moved, events
dropped, repeated, re-kinded or inserted empty) and fed to two LiveCases: the live path, judging
incrementally, and one judging every version of the case from scratch. Each event must be answered
(accepted or refused, never an exception), and the two answers must be the same.

600 streams by default (~9 s); CADRE_RULES_EVENT_STREAMS=5000 for a long run (seeded: the same streams
each run; 5,000 pass).
"""
from __future__ import annotations

import copy
import os
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from cadre_rules import Event, LiveCase, load_case, validate_case
from cadre_rules.live.derive import events_from_case
from cadre_rules.live.events import KINDS
from cadre_rules.testing.synth import generate
from casedata import leaves
from test_incremental_replay import FromScratch, answer

ROOT = Path(__file__).resolve().parents[2]
STREAMS = int(os.environ.get("CADRE_RULES_EVENT_STREAMS", "600"))
VALUES = (None, "", -1, 0, "x", [], {}, True, "2009-05", "2030-01-01", "c1", "m1", "c9", ["m1"], "2015-02-30")


def mutate_data(data: dict[str, Any], rng: random.Random) -> None:
    paths = [path for path, _ in leaves(data)]
    if not paths:
        data[rng.choice(("field", "record", "value", "inspection"))] = rng.choice(VALUES)
        return
    path = rng.choice(paths)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = rng.choice(VALUES)


def mutated(events: list[Event], rng: random.Random) -> list[dict[str, Any]]:
    out = [e.to_dict() for e in events]
    for n in range(rng.randint(1, 3)):
        if not out:
            break
        j, roll = rng.randrange(len(out)), rng.random()
        if roll < 0.35:
            mutate_data(out[j]["data"], rng)
        elif roll < 0.5:
            out[j]["on"] = (date.fromisoformat(out[j]["on"]) + timedelta(days=rng.choice((-30, -1, 1, 30)))).isoformat()
        elif roll < 0.6:
            del out[j]
        elif roll < 0.7:
            out.insert(j, {**copy.deepcopy(out[j]), "id": f"{out[j]['id']}-again{n}"})
        elif roll < 0.85:
            out[j]["kind"] = rng.choice(sorted(KINDS))
        else:
            out.insert(j, {"id": f"inserted-{n}", "kind": rng.choice(sorted(KINDS)), "on": out[j]["on"], "data": {}})
    return out


def test_every_mutated_event_is_answered_as_from_scratch(rulebook, auditor):
    rng = random.Random(20261207)
    cases = [load_case(p) for p in sorted((ROOT / "examples" / "cases").glob("*.yaml"))]
    cases += [validate_case(d) for d in generate(10, 7, 0.5)]
    answered = refused = 0
    for _ in range(STREAMS):
        init, opened, events = events_from_case(rng.choice(cases))
        live = LiveCase.open(init, opened, rulebook)
        scratch = LiveCase.open(init, opened, rulebook)
        scratch._incremental = FromScratch(auditor)
        scratch._checked = False  # the integrity of the whole record checked for every event
        for data in mutated(events, rng):
            event = Event.from_dict(data)
            got, expected = live.submit(event), scratch.submit(event)  # an answer, never an exception
            assert answer(got) == answer(expected), (data, got.reason, expected.reason)
            answered += 1
            refused += not got.accepted
        assert live.findings == scratch.findings and live.stage == scratch.stage
    assert answered > STREAMS * 5 and 0 < refused < answered  # the mutations were refused, not all of it
