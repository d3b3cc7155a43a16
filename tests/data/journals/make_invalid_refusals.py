"""How tests/data/journals/invalid-event-refusals-3087231.journal was written: by this script, run from
the repository root with the code of commit 3087231 (before refusals carried field errors), e.g. from
`git archive 3087231 | tar -x -C OLD` with `PYTHONPATH=OLD`:

    python tests/data/journals/make_invalid_refusals.py tests/data/journals/invalid-event-refusals-3087231.journal

Run with later code it writes the later form (refusals with `errors`): the journal is kept as written
then, to check that a journal of that time still verifies, replays and resumes
(tests/live/test_event_field_errors.py)."""
import copy, sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from cadre_rules import Event, Journal, LiveCase, load_case, load_rulebook
from cadre_rules.live.derive import events_from_case

out = Path(sys.argv[1])
t0 = datetime(2026, 12, 1, tzinfo=timezone.utc)
ticks = iter(range(10**6))
journal = Journal(out, clock=lambda: t0 + timedelta(seconds=next(ticks)))
rulebook = load_rulebook()
case = load_case(sorted(Path("examples/cases").glob("01-*.yaml"))[0])
init, opened, events = events_from_case(case)
live = LiveCase.open(init, opened, rulebook, journal=journal)
for e in events:
    if e.kind == "meeting_held" and e.data.get("agenda"):
        d = e.data
        live.submit(Event("bad-attendee", e.kind, e.on, {**d, "attendees": [*d["attendees"], "zz"]}))
        item = copy.deepcopy(d["agenda"][0]); item["statements"][1]["member"] = "ghost"
        live.submit(Event("bad-member", e.kind, e.on, {**d, "agenda": [item]}))
        live.submit(Event("bad-chair", e.kind, e.on, {**d, "aside": 2, "chair": "nobody", "surprise": 1}))
    r = live.submit(e)
    assert r.accepted, (e.id, r.reason)
notice = live.case.appointments[0]
meeting = live.case.meetings[-1]
data = meeting.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude={"date"})
data["id"] = "late-decision"
data["agenda"] = [{**data["agenda"][0], "candidate": notice.candidate, "outcome": "adopted"}]
on = live.last_on + timedelta(days=1)
r = live.submit(Event("late-decision", "meeting_held", on, data))
assert r.refused_rule_ids == ("INVALID-EVENT",), r.reason
r = live.submit(Event("bad-correction", "correct", on, {"supersedes": events[-1].id, "reason": "typo", "why": 1}))
assert r.refused_rule_ids == ("INVALID-EVENT",), r.reason
r = live.submit(Event("review-1", "review", on, {}))
assert r.accepted
print(len(journal), journal.verify().ok)
journal.close()
