"""An event refused for invalid data (INVALID-EVENT) carries its field errors as objects — the event's
field path and the message in Chinese and English — beside the one message text that held them
before, so that an embedding system (a form front end, a Java system) can mark the offending field
without parsing the text. Everything that was there stays byte-identical: the message, the reason,
the other refusals, an accepted event's result, and a journal written before (it verifies, replays
and resumes as it did; tests/data/journals/)."""
from __future__ import annotations

import copy
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from cadre_rules import Event, EventFieldError, Journal, LiveCase, load_case, validate_case, verify_journal
from cadre_rules.errors import EventDataError, in_language
from cadre_rules.live import INVALID_EVENT, OUT_OF_ORDER, EventResult, Refusal, apply_event, replay
from cadre_rules.live.derive import events_from_case

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_01 = sorted((ROOT / "examples" / "cases").glob("01-*.yaml"))[0]
OLD_JOURNAL = ROOT / "tests" / "data" / "journals" / "invalid-event-refusals-3087231.journal"


def expected_errors(exc: EventDataError) -> tuple[EventFieldError, ...]:
    return tuple(EventFieldError(p, {"zh": in_language(m, "zh"), "en": str(m)}) for p, m in exc.errors)


@pytest.fixture
def at_meeting(baseline, rulebook):
    init, opened, events = events_from_case(validate_case(baseline))
    live = LiveCase.open(init, opened, rulebook, journal=Journal(":memory:"))
    meeting = next(e for e in events if e.kind == "meeting_held")
    for e in events[:events.index(meeting)]:
        assert live.submit(e).accepted
    return live, meeting, events


def variants(meeting: Event) -> dict[str, Event]:
    d = meeting.data
    item = copy.deepcopy(d["agenda"][0])
    item["statements"][1]["member"] = "ghost"
    return {"stranger": Event("bad-1", meeting.kind, meeting.on, {**d, "attendees": [*d["attendees"], "zz"]}),
            "ghost": Event("bad-2", meeting.kind, meeting.on, {**d, "agenda": [item]}),
            "chair": Event("bad-3", meeting.kind, meeting.on, {**d, "chair": "nobody"}),
            "unknown": Event("bad-4", meeting.kind, meeting.on, {**d, "surprise": 1, "aside": 2})}


def test_an_invalid_event_carries_its_field_errors_in_both_languages(at_meeting):
    live, meeting, _ = at_meeting
    for name, event in variants(meeting).items():
        with pytest.raises(EventDataError) as info:
            apply_event(live.case, event)
        result = live.submit(event)
        assert result.refused_rule_ids == (INVALID_EVENT,), name
        refusal = result.refused_by[0]
        assert refusal.errors == expected_errors(info.value), name
        assert result.errors == refusal.errors
        assert all(isinstance(e, EventFieldError) for e in result.errors)
        # the message and the reason are what they were, byte for byte
        zh = "；".join(f"{p}：{in_language(m, 'zh')}" if p else in_language(m, "zh") for p, m in info.value.errors)
        assert refusal.message == {"zh": f"事项数据无效：{zh}", "en": f"invalid event data: {info.value}"}
        assert result.reason == f"refused by INVALID-EVENT: invalid event data: {info.value}"
        as_dict = result.to_dict()["refused_by"][0]
        assert as_dict["errors"] == [{"path": p, "message": {"zh": in_language(m, "zh"), "en": str(m)}} for p, m in info.value.errors]
        assert list(as_dict)[:-1] == ["rule_id", "message", "article", "citation", "edition", "severity", "verdict",
                                       "evidence"]
    stranger = live.preview(variants(meeting)["stranger"])
    (error,) = stranger.errors
    assert error.path == f"data.attendees[{len(meeting.data['attendees'])}]"
    assert error.message == {"zh": '未知的班子成员 "zz"', "en": 'unknown member "zz"'}
    assert error.text() == '未知的班子成员 "zz"' and error.text("en") == 'unknown member "zz"'  # Chinese by default
    unknown = live.preview(variants(meeting)["unknown"])
    assert [e.path for e in unknown.errors] == ["data.aside", "data.surprise"]  # unknown keys sorted


def test_a_problem_elsewhere_in_the_case_keeps_its_case_path_and_says_so():
    live = LiveCase.open(*events_from_case(load_case(EXAMPLE_01))[:2])
    for event in events_from_case(load_case(EXAMPLE_01))[2]:
        assert live.submit(event).accepted
    notice, meeting = live.case.appointments[0], live.case.meetings[-1]
    data = meeting.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude={"date"})
    data["id"] = "late-decision"
    data["agenda"] = [{**data["agenda"][0], "candidate": notice.candidate, "outcome": "adopted"}]
    result = live.preview(Event("late-decision", "meeting_held", live.last_on + timedelta(days=1), data))
    (error,) = [e for e in result.errors if e.path.startswith("appointments[")]
    assert error.message["en"].endswith("(elsewhere in the case record, made wrong by this event)")
    assert error.message["zh"].endswith("（案件记录的其他部分，因本事项而出错）")


def test_an_invalid_correction_is_refused_in_the_words_of_any_invalid_event(at_meeting):
    """Its Chinese message was the English one behind a Chinese prefix (`事项数据无效：data.why: unknown field`)."""
    live, meeting, _ = at_meeting
    assert live.submit(meeting).accepted
    bad = Event("fix", "correct", meeting.on, {"supersedes": meeting.id, "reason": "typo", "why": 1})
    result = live.submit(bad)
    assert result.refused_rule_ids == (INVALID_EVENT,)
    assert result.errors == (EventFieldError("data.why", {"zh": "未知字段", "en": "unknown field"}),)
    assert result.refused_by[0].message == {"zh": "事项数据无效：data.why：未知字段",
                                            "en": "invalid event data: data.why: unknown field"}


def test_other_answers_are_as_they_were_without_errors(at_meeting, rulebook):
    live, meeting, events = at_meeting
    accepted = live.submit(meeting)
    assert accepted.errors == () and "errors" not in str(accepted.to_dict().keys())
    late = live.submit(Event("early", "review", events[0].on, {}))
    assert late.refused_rule_ids == (OUT_OF_ORDER,) and late.errors == ()
    assert list(late.to_dict()["refused_by"][0]) == ["rule_id", "message", "article", "citation", "edition",
                                                     "severity", "verdict", "evidence"]
    assert Refusal.from_dict(late.refused_by[0].to_dict()) == late.refused_by[0]


def test_the_field_errors_are_journaled_and_a_resubmission_after_a_restart_returns_them(baseline, rulebook, tmp_path):
    init, opened, events = events_from_case(validate_case(baseline))
    meeting = next(e for e in events if e.kind == "meeting_held")
    journal = Journal(tmp_path / "live.journal")
    live = LiveCase.open(init, opened, rulebook, journal=journal)
    for e in events[:events.index(meeting)]:
        assert live.submit(e).accepted
    bad = variants(meeting)["ghost"]
    first = live.submit(bad)
    assert first.errors and first.errors[0].path == "data.agenda[0].statements[1].member"
    recorded = journal.entries(case_id=live.case.id)
    assert [e.content["refused_by"][0]["errors"] for e in recorded if e.kind == "refusal"] == \
        [[e.to_dict() for e in first.errors]]
    assert EventResult.from_dict(first.to_dict()).refused_by == first.refused_by
    journal.close()
    again = LiveCase.resume(Journal(tmp_path / "live.journal"), live.case.id, rulebook)
    assert again.submit(bad).errors == first.errors
    assert verify_journal(tmp_path / "live.journal").ok


def test_a_journal_written_before_verifies_replays_and_resumes_as_it_did(rulebook, tmp_path):
    """The journal in tests/data/journals/ was written by the code of 3087231, before refusals carried
    field errors (tests/data/journals/make_invalid_refusals.py): its refusals have none, it verifies,
    replays identical and resumes; the same events judged now give the same content byte for byte but
    for the errors added and the Chinese message (now Chinese throughout: `未知字段` where it said
    `unknown field`, and a correction's as any other's), and the journal goes on."""
    path = tmp_path / OLD_JOURNAL.name
    shutil.copyfile(OLD_JOURNAL, path)
    assert verify_journal(path).ok
    journal = Journal(path)
    (case_id,) = {e.case_id for e in journal.entries()}
    refusals = [e for e in journal.entries() if e.kind == "refusal"]
    assert {e.content["refused_by"][0]["rule_id"] for e in refusals} == {INVALID_EVENT}
    assert all("errors" not in e.content["refused_by"][0] for e in refusals)
    assert replay(journal, case_id, rulebook).identical
    again = replay(journal, case_id, rulebook).live
    for entry in refusals:  # judged now, as replay did: what was recorded, and the errors
        now = next(r for r in again.log if r.event.id == entry.event_id).to_dict()
        errors = now["refused_by"][0].pop("errors")
        assert errors and all(set(e) == {"path", "message"} for e in errors)
        zh = "；".join(f"{e['path']}：{e['message']['zh']}" for e in errors)
        assert now["refused_by"][0]["message"]["zh"] == f"事项数据无效：{zh}", entry.event_id
        recorded = copy.deepcopy(entry.content)
        recorded["refused_by"][0]["message"]["zh"] = now["refused_by"][0]["message"]["zh"]
        assert now == recorded, entry.event_id
    resumed = LiveCase.resume(journal, case_id, rulebook)
    for entry in refusals:  # a resubmission returns the first result, as recorded (without errors)
        known = resumed.submit(Event.from_dict(entry.content["event"]))
        assert known.to_dict() == entry.content and known.errors == ()
    meeting = next(e for e in resumed.log if e.event.kind == "meeting_held" and e.accepted).event
    fresh = resumed.submit(Event("after-upgrade", "meeting_held", resumed.last_on,
                                 {**meeting.data, "id": "mt9", "chair": "nobody"}))
    assert fresh.refused_rule_ids == (INVALID_EVENT,) and fresh.errors
    journal.close()
    assert verify_journal(path).ok


def test_unknown_fields_are_named_in_the_same_order_whatever_the_order_of_the_keys(at_meeting):
    """A JSON object's keys have no order: the same data, with its keys in another order (as the journal
    stores an event: sorted), gives the same refusal, word for word — pydantic names unknown keys in
    the order the data gives them, and that order is not part of the record."""
    live, meeting, _ = at_meeting
    d = meeting.data
    item = {**d["agenda"][0], "zz_note": 1, "aa_note": 2}
    one = Event("keys-1", meeting.kind, meeting.on, {**d, "zz": 1, "agenda": [item], "aa": 2})
    other = Event("keys-2", meeting.kind, meeting.on,
                  {"aa": 2, **{k: d[k] for k in reversed(list(d))}, "agenda": [dict(reversed(list(item.items())))], "zz": 1})
    first, second = live.preview(one), live.preview(other)
    assert not first.accepted and first.reason == second.reason
    assert [e.path for e in first.errors] == [e.path for e in second.errors]
    assert [e.path for e in first.errors] == ["data.agenda[0].aa_note", "data.agenda[0].zz_note", "data.aa", "data.zz"]
