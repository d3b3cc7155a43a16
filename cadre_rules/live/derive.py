"""From a recorded case to the events that would have built it: for migrating finished or running
cases into the live API, for demonstrations ("this case would have been stopped here"), and for tests.

`events_from_case(case)` returns the initial record (body, post, candidates and the parts of the
record no event owns), the date to open on, and the events in date order. Same-day events follow
the procedure's order (reports and departures, motion, recommendation, inspection, meetings,
publicity, notice, filing). A deferred vote gives a `defer` event after its meeting and a `resume`
before the next; a reconsideration meeting is preceded by `reconsider`; a rejected item ends in
`abort`. For an open case, acts dated after `as_of` (e.g. the announced end of a publicity still
running) are left out: as of that date they have not happened.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from cadre_rules.model import Case
from cadre_rules.live.events import CHECKS, DECIDING, INSPECTION_STEPS, Event, generic_fields, plain
from cadre_rules.model.base import earliest_day

_ORDER = {"record_added": 0, "prior_report": 0, "prior_reply": 1, "leader_departure": 1, "leader_left": 1,
          "motion": 2, "recommendation_held": 3, "inspection_started": 4, "inspection_step": 5, "record_updated": 6,
          "inspection_completed": 7, "resume": 8, "reconsider": 8, "meeting_held": 9, "defer": 10, "abort": 10,
          "publicity_started": 11, "publicity_ended": 12, "notice_issued": 13, "filing_made": 14}


def _dated(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    found = getattr(value, "date", None) if isinstance(value, BaseModel) else None
    return found if isinstance(found, date) else None


def _split(record: BaseModel, primary: date, exclude: set[str]) -> tuple[dict[str, Any], list[tuple[str, Any, date]]]:
    """A record's data for its own event, and the fields dated after it (recorded later, at their dates)."""
    now, later = {}, []
    shown = plain(record)
    for name in type(record).model_fields:
        if name in exclude or name not in shown:
            continue
        value = getattr(record, name)
        when = _dated(value)
        if when is not None and when > primary:
            later.append((name, shown[name], when))
        else:
            now[name] = shown[name]
    return now, later


def initial_record(case: Case) -> dict[str, Any]:
    """The part of a case that exists when it is opened: who and what, and the undated other records."""
    keep = {"id", "title", "organisation", "jurisdiction", "move", "body", "post", "candidates"}
    data = case.model_dump(mode="json", exclude_defaults=True, by_alias=True, include=keep)
    data["candidates"] = [c.model_dump(mode="json", exclude_defaults=True, by_alias=True) for c in case.candidates]
    for name in generic_fields():
        value = getattr(case, name)
        if isinstance(value, list):
            undated = [item for item in value if _dated(item) is None]
            if undated:
                data[name] = [plain(item) if not isinstance(item, BaseModel) else
                              item.model_dump(mode="json", exclude_defaults=True, by_alias=True) for item in undated]
        elif value != Case.model_fields[name].default and _dated(value) is None:
            data[name] = value.model_dump(mode="json", exclude_defaults=True, by_alias=True) \
                if isinstance(value, BaseModel) else plain(value)
    return data


def events_from_case(case: Case) -> tuple[dict[str, Any], date, list[Event]]:
    """(initial record, opening date, events) that rebuild the case through the live API."""
    out: list[tuple[date, int, int, Event]] = []

    def add(kind: str, on: date, event_id: str, data: dict[str, Any] | None = None) -> None:
        out.append((on, _ORDER[kind], len(out), Event(event_id, kind, on, data or {})))

    def dump(record: Any, *drop: str) -> dict[str, Any]:
        return {k: v for k, v in plain(record).items() if k not in drop}

    def later(record: str, fields: list[tuple[str, Any, date]]) -> None:
        for name, value, when in fields:
            add("record_updated", when, f"{record}/{name}", {"record": record, "field": name, "value": value})

    for name in generic_fields():
        value = getattr(case, name)
        for k, item in enumerate(value if isinstance(value, list) else [value]):
            when = _dated(item)
            if when is not None:
                shown = item.model_dump(mode="json", exclude_defaults=True, by_alias=True)
                add("record_added", when, f"{name}[{k}]", {"field": name, "value": shown})
    for r in case.prior_reports:
        add("prior_report", r.submitted, f"prior_report:{r.id}", dump(r, "submitted", "reply_date", "reply"))
        if r.reply_date is not None:
            add("prior_reply", r.reply_date, f"prior_reply:{r.id}", {"report": r.id, "reply": r.reply})
    if case.leader_departure is not None:
        dep = case.leader_departure
        add("leader_departure", dep.decided, "leader_departure", dump(dep, "decided", "left"))
        if dep.left is not None:
            add("leader_left", dep.left, "leader_left")
    if case.motion is not None:
        add("motion", case.motion.date, "motion", dump(case.motion, "date"))
    for rec in case.recommendations:
        add("recommendation_held", rec.date, f"recommendation:{rec.id}", dump(rec, "date"))
    for ins in case.inspections:
        now, rest = _split(ins, ins.start, {"start", *INSPECTION_STEPS})
        add("inspection_started", ins.start, f"inspection:{ins.id}", now)
        later(f"inspections:{ins.id}", rest)
        for step in (*CHECKS, "integrity_conclusion"):
            check = getattr(ins, step)
            if check is not None:
                add("inspection_step", check.date, f"inspection:{ins.id}/{step}",
                    {"inspection": ins.id, "step": step, **dump(check, "date")})
        for pet in ins.petitions:
            add("inspection_step", pet.received, f"inspection:{ins.id}/petition:{pet.id}",
                {"inspection": ins.id, "step": "petition", **dump(pet, "received", "closed", "conclusion")})
            if pet.closed is not None:
                extra = {"conclusion": pet.conclusion} if pet.conclusion is not None else {}
                add("inspection_step", pet.closed, f"inspection:{ins.id}/petition:{pet.id}/closed",
                    {"inspection": ins.id, "step": "petition_closed", "id": pet.id, **extra})
        if ins.completed is not None:
            add("inspection_completed", ins.completed, f"inspection:{ins.id}/completed", {"inspection": ins.id})
    deferred = False
    for meeting in sorted(case.meetings, key=lambda m: m.date):
        deciding = meeting.kind.value in DECIDING
        if deciding and deferred:
            add("resume", meeting.date, f"resume:{meeting.id}")
            deferred = False
        if meeting.kind.value == "reconsideration":
            add("reconsider", meeting.date, f"reconsider:{meeting.id}")
        add("meeting_held", meeting.date, f"meeting:{meeting.id}", dump(meeting, "date"))
        outcomes = {i.outcome.value for i in meeting.agenda if i.outcome is not None}
        if deciding and outcomes and outcomes <= {"deferred"}:
            add("defer", meeting.date, f"defer:{meeting.id}")
            deferred = True
        elif deciding and outcomes and outcomes <= {"rejected"}:
            add("abort", meeting.date, f"abort:{meeting.id}", {"reason": "rejected"})
    for pub in case.publicity:
        add("publicity_started", pub.start, f"publicity:{pub.id}", dump(pub, "start", "end", "objections"))
        if pub.end is not None:
            objections = [plain(o) for o in pub.objections]
            add("publicity_ended", pub.end, f"publicity:{pub.id}/ended",
                {"publicity": pub.id, **({"objections": objections} if objections else {})})
    for notice in case.appointments:
        now, rest = _split(notice, notice.date, {"date"})
        add("notice_issued", notice.date, f"notice:{notice.id}", now)
        later(f"appointments:{notice.id}", rest)
    for filing in case.filings:
        add("filing_made", filing.date, f"filing:{filing.id}", dump(filing, "date"))
    out.sort(key=lambda t: (t[0], t[1], t[2]))
    events = [t[3] for t in out if case.status != "open" or case.as_of is None or t[0] <= case.as_of]
    opened = events[0].on if events else (case.as_of or min(earliest_day(c.birth_date) for c in case.candidates))
    return initial_record(case), opened, events


__all__ = ["events_from_case", "initial_record"]
