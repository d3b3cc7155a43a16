"""The live API: events judged at once — accepted, refused (with rule ids, articles, messages), pending,
idempotent — and the incremental judging that must equal a full audit after every event."""
from __future__ import annotations

import copy
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from cadre_rules import Auditor, Event, EventConflict, Journal, LiveCase, ProcedureViolation, load_case, load_rulebook
from cadre_rules import validate_case
from cadre_rules import errors as cr_errors
from cadre_rules.live import ILLEGAL_TRANSITION, INVALID_EVENT, OUT_OF_ORDER, CASE_CLOSED, apply_event
from cadre_rules.live.derive import events_from_case

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"
D = date.fromisoformat


def scenario(data):
    """(initial record, opening date, {event id: Event}, [events in order]) of a case record."""
    init, opened, events = events_from_case(validate_case(data))
    return init, opened, {e.id: e for e in events}, events


def replace_data(event: Event, **changes) -> Event:
    return Event(event.id, event.kind, event.on, {**event.data, **changes})


def run_until(live: LiveCase, events, stop_id: str):
    """Submit events up to (not including) stop_id; each must be accepted."""
    for e in events:
        if e.id == stop_id:
            return
        result = live.submit(e)
        assert result.accepted, (e.id, result.reason)
    raise AssertionError(f"{stop_id} not in the scenario")


def ids(findings):
    return [(f.rule_id, f.verdict) for f in findings]


def test_compliant_case_passes_every_stage_and_rebuilds_the_record(baseline, rulebook):
    init, opened, _, events = scenario(baseline)
    live = LiveCase.open(init, opened, rulebook)
    assert live.stage == "motion" and live.findings == ()
    stages = []
    for e in events:
        result = live.submit(e)
        assert result.accepted and not result.refused_by, (e.id, result.reason)
        stages.append(result.stage)
    assert stages[-1] == "filing" and live.findings == ()
    assert [t.target for t in live.history] == ["recommendation", "inspection", "discussion", "decision", "publicity",
                                                 "appointment", "filing"]
    assert all(t.accepted for t in live.history)
    record = validate_case(baseline)
    assert live.case.model_dump(exclude={"status", "as_of", "meta"}) == record.model_dump(exclude={"status", "as_of", "meta"})
    assert (live.case.status, live.case.as_of) == ("open", D("2021-05-07"))


def quorum_failure(event: Event) -> Event:
    """The decision meeting with 7 of 11 members present (two thirds would be 8)."""
    present = ["m01", "m02", "m03", "m04", "m05", "m06", "m07"]
    item = copy.deepcopy(event.data["agenda"][0])
    item["statements"] = [s for s in item["statements"] if s["member"] in present]
    item["vote"] = {"method": "hands", "agree": 6, "disagree": 1, "abstain": 0}
    return Event("mt1-short", event.kind, event.on, {**event.data, "attendees": present, "agenda": [item]})


def test_refused_event_names_rule_article_and_message_and_is_recorded(baseline, rulebook):
    init, opened, by_id, events = scenario(baseline)
    journal = Journal(":memory:")
    live = LiveCase.open(init, opened, rulebook, journal=journal)
    run_until(live, events, "meeting:mt1")
    before_case, entries_before = live.case, len(journal)
    result = live.submit(quorum_failure(by_id["meeting:mt1"]))
    assert not result.accepted
    assert result.refused_rule_ids == ("DEC-QUORUM",)
    (refusal,) = result.refused_by
    assert refusal.article == "38" and refusal.edition == "2019" and refusal.evidence == ("item:mt1/a1",)
    assert "7 人，不足三分之二" in refusal.message["zh"] and "7 of 11 members" in refusal.message["en"]
    assert "第38条" in refusal.citation["zh"]
    assert result.reason == "refused by DEC-QUORUM"
    # Nothing moved: stage, record and findings are as before; the refusal is kept in the log, history, journal.
    assert live.stage == "discussion" and live.case is before_case and live.case.meetings == []
    assert live.log[-1] is result and not live.history[-1].accepted
    assert live.history[-1].refused_by == ("DEC-QUORUM",) and (live.history[-1].source, live.history[-1].target) == (
        "discussion", "decision")
    (entry,) = [e for e in journal.entries(after=entries_before)]
    assert (entry.kind, entry.event_id, entry.seq) == ("refusal", "mt1-short", result.seq)
    assert [r["rule_id"] for r in entry.content["refused_by"]] == ["DEC-QUORUM"]
    assert entry.content["refused_by"][0]["article"] == "38"
    # The corrected meeting goes through.
    assert live.submit(by_id["meeting:mt1"]).accepted and live.stage == "decision"


def test_strict_mode_raises_after_recording_the_refusal(baseline, rulebook):
    init, opened, by_id, events = scenario(baseline)
    live = LiveCase.open(init, opened, rulebook, journal=Journal(":memory:"))
    run_until(live, events, "meeting:mt1")
    with pytest.raises(ProcedureViolation) as info:
        live.submit(quorum_failure(by_id["meeting:mt1"]), strict=True)
    assert [r.rule_id for r in info.value.refused_by] == ["DEC-QUORUM"]
    assert info.value.result is live.log[-1] and info.value.result.seq is not None
    assert "DEC-QUORUM" in str(info.value)
    # strict re-submission of the same refused event raises again, with the same recorded result
    with pytest.raises(ProcedureViolation) as again:
        live.submit(quorum_failure(by_id["meeting:mt1"]), strict=True)
    assert again.value.result is info.value.result
    assert live.submit(by_id["meeting:mt1"], strict=True).accepted


def test_an_event_that_itself_breaks_a_blocking_rule_is_refused_without_any_guard(baseline, rulebook):
    init, opened, by_id, events = scenario(baseline)
    live = LiveCase.open(init, opened, rulebook)
    run_until(live, events, "inspection:i1")
    assert rulebook.stages.guards("recommendation", "inspection") == []
    alone = replace_data(by_id["inspection:i1"], team=[{"name": "张卫红", "role": "leader"}])
    result = live.submit(Event("i1-alone", alone.kind, alone.on, alone.data))
    assert not result.accepted and result.refused_rule_ids == ("INS-TEAM-2",)
    assert "只有 1 人" in result.refused_by[0].message["zh"]
    assert live.stage == "recommendation"


def test_publicity_pending_while_running_short_end_refused_then_full_end_accepted(baseline, rulebook):
    init, opened, by_id, events = scenario(baseline)
    live = LiveCase.open(init, opened, rulebook)
    run_until(live, events, "publicity:p1/ended")
    assert live.stage == "publicity" and ids(live.pending) == [("APT-PUB-5WD", "pending")]
    assert ids(live.check(D("2021-04-21"))) == [("APT-PUB-5WD", "pending")]  # still running, nothing recorded
    # 2021-04-19 (Mon) .. 04-22 (Thu): four working days; ending it now breaks APT-PUB-5WD.
    early = live.submit(Event("p1-end-early", "publicity_ended", D("2021-04-22"), {"publicity": "p1"}))
    assert not early.accepted and early.refused_rule_ids == ("APT-PUB-5WD",)
    assert "4 个工作日" in early.refused_by[0].message["zh"]
    notice_now = live.submit(Event("n1-early", "notice_issued", D("2021-04-22"), {"id": "n1", "candidate": "c1"}))
    assert not notice_now.accepted and "APT-PUB-WINDOW" in notice_now.refused_rule_ids
    ended = live.submit(by_id["publicity:p1/ended"])
    assert ended.accepted and ended.pending == () and ids(ended.resolved) == [("APT-PUB-5WD", "pending")]


def test_filing_obligation_pending_until_the_working_day_deadline_then_violated(baseline, rulebook):
    init, opened, by_id, events = scenario(baseline)
    journal = Journal(":memory:")
    live = LiveCase.open(init, opened, rulebook, journal=journal)
    run_until(live, events, "filing:f1")
    notice = next(r for r in live.log if r.event.id == "notice:n1")
    assert notice.event.kind == "notice_issued"
    assert ids(notice.pending) == [("APT-TALK", "pending"), ("RPT-FILING", "pending")]  # the talk comes a day later
    # Notice 2021-04-28; 7 working days after it: 04-29, 04-30, (05-01..05 holiday), 05-06, 05-07,
    # 05-08 (make-up Saturday), 05-10, 05-11. Due by 05-11; late from 05-12 — never the wall clock.
    on_time = live.submit(Event("chk-0511", "review", D("2021-05-11")))
    assert on_time.accepted and ids(on_time.findings) == [("RPT-FILING", "pending")] and on_time.raised == ()
    late = live.submit(Event("chk-0512", "review", D("2021-05-12")))
    assert late.accepted and ids(late.findings) == [("RPT-FILING", "violated")]
    assert ids(late.raised) == [("RPT-FILING", "violated")] and ids(live.findings) == [("RPT-FILING", "violated")]
    change = [e.content for e in journal.entries(kind="finding") if e.event_id == "chk-0512"]
    assert [(c["change"], c["previous"], c["finding"]["verdict"]) for c in change] == [("changed", "pending", "violated")]
    # A warning in the national profile: the late filing is still accepted, and stays reported.
    filed = live.submit(Event("f1-late", "filing_made", D("2021-05-13"), {"id": "f1", "candidate": "c1", "to": "市委组织部"}))
    assert filed.accepted and filed.stage == "filing" and ids(filed.findings) == [("RPT-FILING", "violated")]
    assert "8 个工作日" not in filed.findings[0].message["zh"]  # the message names the parameter, 7


@pytest.fixture(scope="module")
def strict_filing_rulebook(tmp_path_factory):
    """The bundled rules with a profile that makes RPT-FILING a blocking violation."""
    root = tmp_path_factory.mktemp("rules") / "rules"
    shutil.copytree(load_rulebook().root, root)
    (root / "profiles" / "strict.yaml").write_text(yaml.safe_dump(
        {"id": "strict", "title": {"zh": "严格", "en": "strict"},
         "overrides": {"RPT-FILING": {"severity": "violation"}}}), encoding="utf-8")
    return load_rulebook(root, "strict")


def test_a_deadline_passing_is_reported_but_does_not_refuse_an_unrelated_event(baseline, strict_filing_rulebook):
    init, opened, by_id, events = scenario(baseline)
    live = LiveCase.open(init, opened, strict_filing_rulebook)
    run_until(live, events, "filing:f1")
    report = live.submit(Event("rep-1", "prior_report", D("2021-05-12"), {"id": "pr1", "matter": "other"}))
    assert report.accepted  # RPT-FILING turned violated because time passed, not because of the report
    assert ids(report.blocking) == [("RPT-FILING", "violated")]
    late = live.submit(Event("f1-late", "filing_made", D("2021-05-13"), {"id": "f1", "candidate": "c1", "to": "x"}))
    assert not late.accepted and late.refused_rule_ids == ("RPT-FILING",)  # a guard of appointment -> filing
    assert live.stage == "appointment"


def test_resubmitting_an_event_id_is_idempotent(baseline, rulebook, tmp_path):
    init, opened, by_id, events = scenario(baseline)
    path = tmp_path / "j.sqlite"
    journal = Journal(path)
    live = LiveCase.open(init, opened, rulebook, journal=journal)
    run_until(live, events, "meeting:mt1")
    accepted = live.submit(by_id["meeting:mt1"])
    refused = live.submit(Event("n-x", "notice_issued", D("2021-04-16"), {"id": "n1", "candidate": "c1"}))
    assert accepted.accepted and not refused.accepted
    state = (live.case, live.stage, live.findings, len(live.log), len(live.history), len(journal))
    # The same events again (rebuilt from plain data, dates as strings): same results, no effect.
    again = live.submit(Event.from_dict(by_id["meeting:mt1"].to_dict()))
    assert again == accepted and again.seq == accepted.seq
    assert live.submit({"id": "n-x", "kind": "notice_issued", "on": "2021-04-16",
                        "data": {"id": "n1", "candidate": "c1"}}) == refused
    assert (live.case, live.stage, live.findings, len(live.log), len(live.history), len(journal)) == state
    assert len(live.case.meetings) == 1
    # A different event under a used id is an error, not a silent success; nothing is written.
    with pytest.raises(EventConflict):
        live.submit(replace_data(by_id["meeting:mt1"], chair="m02"))
    assert len(journal) == state[-1]
    journal.close()
    # Idempotent across restarts: the journal remembers the results.
    reopened = Journal(path)
    resumed = LiveCase.resume(reopened, live.case.id, rulebook)
    assert resumed.submit(by_id["meeting:mt1"]) == accepted
    assert resumed.submit(Event("n-x", "notice_issued", D("2021-04-16"), {"id": "n1", "candidate": "c1"})) == refused
    assert len(reopened) == state[-1] and resumed.case == live.case and resumed.stage == live.stage
    reopened.close()


def test_procedural_refusals(baseline, rulebook):
    init, opened, by_id, events = scenario(baseline)
    live = LiveCase.open(init, opened, rulebook)
    run_until(live, events, "inspection:i1/completed")
    skip = live.submit(Event("skip", "notice_issued", D("2021-04-09"), {"id": "n1", "candidate": "c1"}))
    assert skip.refused_rule_ids == (ILLEGAL_TRANSITION,) and "allowed: aborted, discussion" in skip.reason
    wrong_stage = live.submit(Event("pe", "publicity_ended", D("2021-04-09")))
    assert wrong_stage.refused_rule_ids == (ILLEGAL_TRANSITION,)
    old = live.submit(Event("old", "inspection_step", D("2021-03-01"), {"step": "file_review"}))
    assert old.refused_rule_ids == (OUT_OF_ORDER,)
    for data, expected in [({"step": "file_review", "outcome": "perfect"}, "data.outcome"),
                           ({"step": "file_review", "date": "2021-04-01"}, "data.date"),
                           ({"step": "file_review", "colour": "red"}, "data.colour"),
                           ({"step": "x-ray"}, "data.step"),
                           ({"step": "file_review", "inspection": "i9"}, "unknown inspection")]:
        bad = live.submit(Event(f"bad-{len(live.log)}", "inspection_step", live.last_on, data))
        assert bad.refused_rule_ids == (INVALID_EVENT,) and expected in bad.refused_by[0].message["en"], data
    dangling = live.submit(Event("dangling", "record_added", live.last_on,
                                 {"field": "relations", "value": {"person": "c9", "relative": "c1", "kind": "spouse"}}))
    assert dangling.refused_rule_ids == (INVALID_EVENT,) and 'unknown person "c9"' in dangling.reason
    assert live.stage == "inspection" and all(not r.accepted for r in live.log[-8:])
    early_close = live.submit(Event("close-early", "close", D("2021-04-09")))
    assert early_close.refused_rule_ids == (ILLEGAL_TRANSITION,) and "terminal" in early_close.reason
    for e in events[events.index(by_id["inspection:i1/completed"]):]:
        assert live.submit(e).accepted
    closing = live.submit(Event("close", "close", D("2021-05-20")))
    assert closing.accepted and live.closed and live.case.status == "closed"
    after = live.submit(Event("late-review", "review", D("2021-06-01")))
    assert after.refused_rule_ids == (CASE_CLOSED,)
    with pytest.raises(ValueError):
        Event("x", "telepathy", D("2021-01-01"))
    with pytest.raises(ValueError):
        Event("", "review", D("2021-01-01"))
    # a kind that is not a text, data that is a list: ValueError as any wrong event (was TypeError, and [] read as no data)
    with pytest.raises(ValueError, match="unknown event kind"):
        Event("x", ["review"], D("2021-01-01"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="data must be a mapping"):
        Event("x", "review", D("2021-01-01"), [])  # type: ignore[arg-type]


def test_closing_turns_unmet_obligations_into_violations(baseline, rulebook):
    init, opened, by_id, events = scenario(baseline)
    live = LiveCase.open(init, opened, rulebook)
    run_until(live, events, "filing:f1")
    assert ids(live.pending) == [("RPT-FILING", "pending")]
    closed = live.submit(Event("close", "close", D("2021-04-29")))  # appointment is a terminal stage
    assert closed.accepted and ids(closed.findings) == [("RPT-FILING", "violated")]


def test_other_parts_of_the_record_can_be_added(baseline, rulebook):
    init, opened, by_id, events = scenario(baseline)
    live = LiveCase.open(init, opened, rulebook)
    tie = live.submit(Event("rel-1", "record_added", D("2021-03-02"),
                            {"field": "relations", "value": {"person": "m05", "relative": "c1", "kind": "sibling"}}))
    assert tie.accepted and live.case.relations[0].kind.value == "sibling"
    bad = live.submit(Event("rel-2", "record_added", D("2021-03-02"), {"field": "meetings", "value": {}}))
    assert bad.refused_rule_ids == (INVALID_EVENT,)
    wrong = live.submit(Event("rel-3", "record_added", D("2021-03-02"),
                              {"field": "relations", "value": {"person": "m05", "relative": "c1", "kind": "pal"}}))
    assert wrong.refused_rule_ids == (INVALID_EVENT,) and "data.value.kind" in wrong.reason
    # a field's own constraints hold as in a case file: a batch has at least one cadre
    empty = live.submit(Event("batch-0", "record_added", D("2021-03-02"), {"field": "batch_size", "value": 0}))
    assert empty.refused_rule_ids == (INVALID_EVENT,) and "greater than or equal to 1" in empty.reason
    run_until(live, events, "meeting:mt1")
    # m05 is the candidate's sibling and sits in the meeting without recusing: refused by DEC-RECUSAL.
    meeting = live.submit(by_id["meeting:mt1"])
    assert not meeting.accepted and meeting.refused_rule_ids == ("DEC-RECUSAL",)


def test_preview_records_nothing(baseline, rulebook):
    init, opened, by_id, events = scenario(baseline)
    live = LiveCase.open(init, opened, rulebook, journal=Journal(":memory:"))
    run_until(live, events, "meeting:mt1")
    n = len(live.journal)
    preview = live.preview(quorum_failure(by_id["meeting:mt1"]))
    assert not preview.accepted and preview.refused_rule_ids == ("DEC-QUORUM",) and preview.seq is None
    assert len(live.journal) == n and live.stage == "discussion" and live.log[-1].event.id != "mt1-short"


def example_paths(marker: str):
    return sorted(p for p in EXAMPLES.glob("*.yaml") if f"-{marker}-" in p.name)


@pytest.mark.parametrize("path", example_paths("违规"), ids=lambda p: p.name[:2])
def test_violating_examples_are_stopped_at_their_rule_and_judging_stays_exact(path, rulebook, auditor):
    case = load_case(path)
    expected = set(case.meta["expected"]["violated"])
    init, opened, events = events_from_case(case)
    live = LiveCase.open(init, opened, rulebook)
    refusals = []
    for e in events:
        result = live.submit(e)
        # incremental judging must equal the full audit of the same record, accepted or refused
        judged = live.case if result.accepted else (
            apply_event(live.case, e) if result.findings else None)
        if judged is not None:
            assert [f.to_dict() for f in result.findings] == [f.to_dict() for f in auditor.findings(judged)], e.id
        if not result.accepted:
            refusals.append(set(result.refused_rule_ids))
    if not refusals:
        # Obligations that fall due with time or at closing (probation assessment, the talk) never refuse
        # an unrelated event: judged as of the record's date they are reported, still open or overdue.
        due = {f.rule_id for f in live.check(case.as_of) if f.verdict in ("violated", "pending")}
        assert expected <= due, f"{path.name}: nothing was refused and {expected - due} not reported"
        return
    first = refusals[0]
    assert first & (expected | {ILLEGAL_TRANSITION}) and first <= expected | {ILLEGAL_TRANSITION}, (first, expected)


@pytest.mark.parametrize("name", ["01", "03", "04", "17", "22", "24"])
def test_examples_that_break_no_blocking_rule_run_through_and_rebuild_their_record(name, rulebook, auditor):
    (path,) = EXAMPLES.glob(f"{name}-*.yaml")
    case = load_case(path)
    init, opened, events = events_from_case(case)
    live = LiveCase.open(init, opened, rulebook)
    for e in events:
        result = live.submit(e)
        assert result.accepted, (e.id, result.reason)
        assert [f.to_dict() for f in live.findings] == [f.to_dict() for f in auditor.findings(live.case)]
    assert live.case.model_dump(exclude={"status", "as_of", "meta"}) == case.model_dump(exclude={"status", "as_of", "meta"})


def test_incremental_judging_reevaluates_only_rules_whose_inputs_changed(baseline, rulebook):
    init, opened, by_id, events = scenario(baseline)
    live = LiveCase.open(init, opened, rulebook)
    run_until(live, events, "inspection:i1/personal_matters")
    live.submit(by_id["inspection:i1/personal_matters"])
    rerun = live._incremental.last_reevaluated
    assert rerun is not None and "INS-PERSONAL-MATTERS" in rerun
    assert not rerun & {"DEC-QUORUM", "DEC-PASS", "MOT-VACANCY", "INS-TEAM-2"}
    assert len(rerun) < len(rulebook.rules) / 2, sorted(rerun)
    auditor = Auditor(rulebook)
    assert live.findings == tuple(auditor.findings(live.case))


def test_a_step_record_is_completed_by_later_events(baseline, rulebook):
    init, opened, by_id, events = scenario(baseline)
    live = LiveCase.open(init, opened, rulebook)
    run_until(live, events, "inspection:i1/file_review")
    on = live.last_on

    def update(event_id, **data):
        return live.submit(Event(event_id, "record_updated", on, data))

    ins = lambda: live.case.inspections[0]  # noqa: E731
    assert update("u1", record="inspections:i1", field="feedback_date").accepted and ins().feedback_date == on
    assert update("u2", record="inspections:i1", field="report", value={"strengths": "x"}).accepted
    assert ins().report.date == on and ins().report.strengths == "x"
    methods = list(ins().methods)
    assert update("u3", record="inspections:i1", field="methods", value="site_visit").accepted
    assert ins().methods == [*methods, "site_visit"]
    for event_id, data, message in [
            ("u4", {"record": "inspections:i1", "field": "completed"}, "may be updated"),
            ("u5", {"record": "inspections:i9", "field": "feedback_date"}, 'no "i9"'),
            ("u6", {"record": "publicity:p1", "field": "channel", "value": "x"}, "no \"p1\" in publicity"),
            ("u6b", {"record": "leader_departure", "field": "announced"}, "not recorded yet"),
            ("u7", {"record": "motion", "field": "work_plan_date", "value": "soon"}, "data.value"),
            # a field named by a list or a mapping: refused, not a TypeError out of submit (found by fuzzing)
            ("u8", {"record": "inspections:i1", "field": ["report"]}, "may be updated"),
            ("u9", {"record": "motion", "field": {"work_plan_date": None}}, "may be updated")]:
        refused = update(event_id, **data)
        assert refused.refused_rule_ids == (INVALID_EVENT,) and message in refused.reason, (data, refused.reason)


def test_event_result_is_a_frozen_dataclass_whose_init_takes_every_field_in_order():
    """EventResult defines its own __init__ (one dict update, cheaper than the frozen dataclass's): its
    parameters must stay the fields, in order and with their defaults, and the instance stay frozen."""
    import dataclasses
    import inspect

    from cadre_rules.live import EventResult

    params = list(inspect.signature(EventResult).parameters.values())
    fields = dataclasses.fields(EventResult)
    assert [p.name for p in params] == [f.name for f in fields]
    assert [p.default for p in params] == [inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
                                           for f in fields]
    event = Event("e1", "review", date(2021, 3, 1))
    result = EventResult(event, True, "motion", "motion", None, reason="x")
    assert dataclasses.replace(result, seq=3) == EventResult(event, True, "motion", "motion", None, (), "x", seq=3)
    assert dataclasses.asdict(result)["reason"] == "x"
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.accepted = False  # type: ignore[misc]


def _invalid_paths(result) -> str:
    assert result.refused_rule_ids == (INVALID_EVENT,), result.reason
    return result.refused_by[0].message["en"]


def test_an_events_invalid_data_is_named_by_the_events_own_fields(baseline, rulebook):
    """Found by review: what the whole-case check (integrity_problems) found in the record an event made
    was named by the case's path (`meetings[0].attendees[11]`), which the system that submitted the event
    has to translate back; it is named by the event's field now (`data.attendees[11]`), like the errors
    the event's own validation gives (`data.outcome`)."""
    init, opened, by_id, events = scenario(baseline)
    live = LiveCase.open(init, opened, rulebook)
    run_until(live, events, "meeting:mt1")
    meeting = by_id["meeting:mt1"]
    attendees = [*meeting.data["attendees"], "zz"]
    stranger = live.preview(replace_data(meeting, attendees=attendees))
    message = _invalid_paths(stranger)
    assert f'data.attendees[{len(attendees) - 1}]: unknown member "zz"' in message and "meetings[" not in message
    item = copy.deepcopy(meeting.data["agenda"][0])
    item["statements"][1]["member"] = "ghost"
    ghost = live.preview(replace_data(meeting, agenda=[item]))
    assert 'data.agenda[0].statements[1].member: unknown member "ghost"' in _invalid_paths(ghost)
    with pytest.raises(cr_errors.EventDataError) as info:
        apply_event(live.case, replace_data(meeting, chair="nobody"))
    assert info.value.errors == [("data.chair", 'unknown member "nobody"')]
    # the Chinese message says it in Chinese, with the same field
    assert "data.chair：未知的班子成员 \"nobody\"" in live.preview(replace_data(meeting, chair="nobody")).refused_by[0].message["zh"]
    assert live.submit(meeting).accepted
    again = live.preview(Event("mt-again", "meeting_held", meeting.on, meeting.data))  # the same meeting id
    assert 'data.id: duplicate id "mt1"' in _invalid_paths(again)
    late = live.preview(Event("u-att", "record_updated", meeting.on,
                              {"record": "meetings:mt1", "field": "attendees", "value": "zz"}))
    assert 'data.value: unknown member "zz"' in _invalid_paths(late)
    run_until(live, events, "notice:n1")
    nobody = live.preview(Event("n-x", "notice_issued", by_id["notice:n1"].on, {"id": "n9", "candidate": "c9"}))
    assert 'data.candidate: unknown candidate "c9"' in _invalid_paths(nobody)
    tie = live.preview(Event("rel-x", "record_added", by_id["notice:n1"].on,
                             {"field": "relations", "value": {"person": "c9", "relative": "c1", "kind": "spouse"}}))
    assert 'data.value.person: unknown person "c9"' in _invalid_paths(tie)


def test_a_problem_the_events_date_makes_is_named_on(baseline):
    """Dated records take their date from the event's `on`: a notice dated before the decision is the
    event's `on` (reachable through apply_event, which does not check the order of events)."""
    case = validate_case(baseline)
    notice = case.appointments[0]
    early = Event("n-early", "notice_issued", D("2021-04-01"), {"id": "n2", "candidate": notice.candidate})
    with pytest.raises(cr_errors.EventDataError) as info:
        apply_event(case, early)
    assert [path for path, _ in info.value.errors] == ["on"]
    assert "before the decision" in info.value.errors[0][1]


def test_publicity_objections_added_by_an_event_are_named_by_their_place_in_it(baseline, rulebook):
    init, opened, by_id, events = scenario(baseline)
    live = LiveCase.open(init, opened, rulebook)
    run_until(live, events, "publicity:p1/ended")
    ended = by_id["publicity:p1/ended"]
    bad = live.preview(replace_data(ended, objections=[{"received": "2021-04-20", "resolved": "2021-04-22"},
                                                       {"received": "2021-04-21", "resolved": "2021-04-20"}]))
    assert "data.objections[1].resolved: 2021-04-20 is before it was received" in _invalid_paths(bad)


def _leaves(value, path):
    """(path, text) of every text in event data, paths as the errors write them (`data.agenda[0].candidate`)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


def _planted(data, path, text):
    out = copy.deepcopy(data)
    parts = [p for p in path.replace("]", "").replace("[", ".").split(".")[1:]]
    holder = out
    for part in parts[:-1]:
        holder = holder[int(part)] if isinstance(holder, list) else holder[part]
    last = parts[-1]
    if isinstance(holder, list):
        holder[int(last)] = text
    else:
        holder[last] = text
    return out


def test_every_unknown_reference_planted_in_an_event_is_named_where_it_was_planted(baseline):
    """Each reference to a member or candidate in each event of the baseline, replaced by an unknown id:
    the event is refused naming exactly that field of the event (never the case's path)."""
    case = validate_case(baseline)
    init, opened, events = events_from_case(case)
    ids = {m.id for m in case.body.members} | {c.id for c in case.candidates}
    current, planted = validate_case(init), 0
    for event in events:
        for path, text in _leaves(event.data, "data"):
            if text not in ids:
                continue
            try:
                apply_event(current, Event(event.id, event.kind, event.on, _planted(event.data, path, "zz-unknown")))
            except cr_errors.EventDataError as exc:
                assert path in [p for p, _ in exc.errors], (event.id, path, exc.errors)
                planted += 1
            else:
                raise AssertionError(f"{event.id}: {path} = zz-unknown was accepted")
        current = apply_event(current, event)
    assert planted >= 40
