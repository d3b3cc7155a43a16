"""The live path's incremental answer is the from-scratch answer, after every event.

The live path derives only the fact types whose case fields an event changed (live/incremental.py
FACT_INPUTS) and re-runs only the rules reading what changed. Here every example case and a sample of
synthetic cases is replayed event by event (live/derive.py `events_from_case`) through two LiveCases:
one as the live path runs, one that derives every fact and judges every rule from scratch for each
version of the case. Every answer (accepted or refused, the refusing rules, the findings raised and
resolved, the stage) must be the same, and the incremental facts must equal the full derivation.
Corrections, previews of refused events and extra review events are replayed too.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from cadre_rules import Event, LiveCase, load_case, validate_case
from cadre_rules.codes import MeetingKind
from cadre_rules.errors import EventDataError
from cadre_rules.facts.months import month_only_dates
from cadre_rules.live import apply_event
from cadre_rules.live.derive import events_from_case
from cadre_rules.live.events import apply_change, changed_record
from cadre_rules.live.incremental import FACT_INPUTS, IncrementalJudge, changed_fields, declared_fields
from cadre_rules.model import Case
from cadre_rules.testing.synth import generate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))


class FromScratch:
    """A judge that derives every fact and evaluates every rule for each version of the case."""

    def __init__(self, auditor: Any) -> None:
        self.auditor = auditor

    def findings(self, case: Any, change: Any = None) -> list[Any]:  # (what the event declared: not used)
        return self.auditor.findings(case)


def same_day(before: Any, event: Event, auditor: Any) -> None:
    """The event applied without moving the record's date: only the fields the event itself changes
    differ, so a fact type left out of re-derivation wrongly shows here (the date, which most events
    move, would otherwise hide it)."""
    try:
        after = apply_event(before, event).model_copy(update={"as_of": before.as_of})
    except EventDataError:
        return
    judge = IncrementalJudge(auditor)
    judge._memo = (before, bool(month_only_dates(before)), auditor.derive(before), [])
    assert judge.derive(after, bool(month_only_dates(after))) == auditor.derive(after), (event.id, judge.last_derived)


def declared_as_compared(before: Any, event: Event) -> None:
    """What the event's kind declares it changed (live/events.py TOUCHES, `Change`) is what comparing
    the two versions finds: the same fields, the same parts read alone, the same one record."""
    try:
        after, change = apply_change(before, event, checked=True)
    except EventDataError:
        return
    assert change.base is before
    compared = changed_fields(before, after)
    assert declared_fields(change, after, ({}, {})) == compared, (event.id, change, compared)
    assert change.fields == {f for f in compared if f in Case.model_fields}, (event.id, change.fields, compared)
    fields = change.fields - {"as_of"}
    if change.record is not None:
        name, k = change.record
        assert fields == {name} and changed_record(getattr(before, name), getattr(after, name)) == k, (event.id, change)
        if change.record_fields is not None:  # the record's fields its kind said it replaced: every one that differs
            old, new = getattr(before, name)[k].__dict__, getattr(after, name)[k].__dict__
            differ = {f for f, v in new.items() if old[f] is not v}
            assert differ <= change.record_fields <= new.keys(), (event.id, differ, change.record_fields)
            REPLACED_SEEN.add(event.kind)
    elif len(fields) == 1 and isinstance(getattr(after, next(iter(fields))), list):
        name = next(iter(fields))
        assert changed_record(getattr(before, name), getattr(after, name)) in (None, len(getattr(after, name))), event.id
    DECLARED_SEEN.add(event.kind if change.record is None else f"{event.kind}:{change.record[0]}")


DECLARED_SEEN: set[str] = set()  # the kinds (with the list of the one record they changed) seen declared
REPLACED_SEEN: set[str] = set()  # the kinds seen saying which fields of their one record they replaced


def answer(result: Any) -> dict[str, Any]:
    out = result.to_dict()
    out.pop("receipt", None)
    return out


def replay(case: Any, rulebook: Any, auditor: Any) -> int:
    """Both LiveCases through the case's events (and a correction and a review); the number compared."""
    init, opened, events = events_from_case(case)
    live = LiveCase.open(init, opened, rulebook)
    scratch = LiveCase.open(init, opened, rulebook)
    scratch._incremental = FromScratch(auditor)
    scratch._checked = False  # and checks the integrity of the whole record for every event
    judge = live._incremental
    extra: list[Event] = []
    accepted = [e for e in events]
    if len(accepted) > 3:  # correct an early accepted event later on, then review the record a week on
        target = accepted[len(accepted) // 3]
        extra = [Event("fix-1", "correct", accepted[-1].on, {"supersedes": target.id, "reason": "entered twice"}),
                 Event("review-1", "review", accepted[-1].on + timedelta(days=7), {})]
    extra += breaking(case, accepted[-1].on + timedelta(days=8) if accepted else opened)
    compared = 0
    for event in [*events, *extra]:
        same_day(live.case, event, auditor)
        declared_as_compared(live.case, event)
        preview = live.preview(event)
        assert answer(preview) == answer(scratch.preview(event)), (case.id, event.id, "preview")
        got, expected = live.submit(event), scratch.submit(event)
        assert answer(got) == answer(expected), (case.id, event.id)
        memo = judge._memo
        if memo is not None:  # the facts the incremental judge holds are those of a full derivation
            assert memo[2] == auditor.derive(memo[0]), (case.id, event.id, judge.last_derived)
            # and it knows whether the case has acts dated to the month only (from the changed record)
            assert memo[1] == bool(month_only_dates(memo[0])), (case.id, event.id)
            MONTHS_SEEN.add(memo[1])
        compared += 1
        for fact_type in judge.last_by_record or ():
            BY_RECORD_SEEN.add(fact_type)

    assert live.findings == scratch.findings and live.stage == scratch.stage
    return compared


BY_RECORD_SEEN: set[str] = set()  # the fact types some replayed event derived for one record only
MONTHS_SEEN: set[bool] = set()  # whether replayed cases had acts dated to the month only


def breaking(case: Any, on: date) -> list[Event]:
    """Events whose record is valid alone but breaks the case's integrity: in its own section (an
    attestation for nobody) and in another one (a decision adopting a candidate after their notice)."""
    out = [Event("bad-attestation", "record_added", on, {"field": "attestations", "value": {
        "kind": "health", "candidate": "nobody", "date": on.isoformat(), "by": "组织部"}})]
    if case.appointments and case.meetings:
        meeting = case.meetings[-1]
        data = meeting.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude={"date", "agenda"})
        item = meeting.agenda[0].model_dump(mode="json", by_alias=True, exclude_defaults=True) if meeting.agenda else {}
        data.update(id="late-decision", kind="decision",
                    agenda=[{**item, "id": "late", "candidate": case.appointments[0].candidate, "outcome": "adopted"}])
        out.append(Event("late-decision", "meeting_held", on, data))
    return out


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name[:2])
def test_examples_replayed_incrementally_answer_as_from_scratch(path, rulebook, auditor):
    assert replay(load_case(path), rulebook, auditor) > 0


def test_synthetic_cases_replayed_incrementally_answer_as_from_scratch(rulebook, auditor):
    derived_less = 0
    BY_RECORD_SEEN.clear()
    REPLACED_SEEN.clear()
    for data in generate(12, 18, 0.5):
        case = validate_case(data)
        assert replay(case, rulebook, auditor) > 0
    assert {"inspection_step", "inspection_completed", "publicity_ended", "record_updated"} <= REPLACED_SEEN, REPLACED_SEEN
    # several candidates: an inspection step derives that inspection's facts alone
    assert {"inspection", "petition"} <= BY_RECORD_SEEN, BY_RECORD_SEEN
    # and the live path does derive less: a small event leaves most fact types as they were
    live_case = validate_case(next(iter(generate(1, 18, 0.0))))
    init, opened, events = events_from_case(live_case)
    live = LiveCase.open(init, opened, rulebook)
    for event in events:
        live.submit(event)
        if live._incremental.last_derived is not None and len(live._incremental.last_derived) < len(auditor.plan) / 2:
            derived_less += 1
    assert derived_less > 0


def with_preparatory_meeting(case: Any) -> Any:
    """The case with a secretaries' meeting (书记专题会, not deciding) on the same candidates two days
    before its first deciding meeting: a case whose decision meeting is the second with an agenda."""
    deciding = [m for m in case.meetings if m.kind.value in ("decision", "full_committee")]
    if not deciding:
        return None
    first = min(deciding, key=lambda m: m.date)
    agenda = [item.model_copy(update={"id": f"pre-{item.id}", "outcome": None, "vote": None}) for item in first.agenda]
    pre = first.model_copy(update={"id": f"pre-{first.id}", "kind": MeetingKind.secretaries, "date": first.date - timedelta(days=2),
                                   "agenda": agenda})
    return validate_case({**case.model_dump(mode="json", by_alias=True, exclude_defaults=True),
                          "meetings": [pre.model_dump(mode="json", by_alias=True, exclude_defaults=True),
                                       *(m.model_dump(mode="json", by_alias=True, exclude_defaults=True)
                                         for m in case.meetings)]})


def test_cases_with_two_meetings_replayed_incrementally_answer_as_from_scratch(rulebook, auditor):
    """A decision meeting after another meeting with an agenda: its items are derived for it alone (the
    first meeting's taken over), and every answer and fact is still the from-scratch one."""
    BY_RECORD_SEEN.clear()
    for path in EXAMPLES[::4]:
        case = with_preparatory_meeting(load_case(path))
        if case is not None:
            assert replay(case, rulebook, auditor) > 0
    assert "item" in BY_RECORD_SEEN, BY_RECORD_SEEN


def test_every_named_input_is_a_case_field_or_a_known_part(auditor):
    from cadre_rules.live.incremental import _PARTS
    from cadre_rules.model import Case

    named = set().union(*FACT_INPUTS.values())
    assert named <= set(Case.model_fields) | set(_PARTS), named - set(Case.model_fields) - set(_PARTS)
    assert set(FACT_INPUTS) <= set(auditor.plan) | {"window", "post_day", "tenure", "retirement"} | set(FACT_INPUTS)


def test_changed_fields_sees_a_month_date_replacing_its_first_day(baseline):
    from cadre_rules.model.base import MonthDate

    case = validate_case(baseline)
    day = case.inspections[0].start.replace(day=1)
    a = case.model_copy(update={"as_of": day})
    b = case.model_copy(update={"as_of": MonthDate(day.year, day.month)})
    assert changed_fields(a, b) == {"as_of"} and changed_fields(a, a.model_copy()) == set()


def test_a_fact_type_is_unchanged_by_every_case_field_it_is_not_derived_from(auditor):
    """The frame of FACT_INPUTS, field by field: a case with one field taken from another case keeps
    the facts of every type not derived from that field (a chronological replay never shows some of
    these, e.g. a reply to a prior report recorded after the meeting it would concern)."""
    from cadre_rules.live.incremental import _PARTS
    from cadre_rules.model import Case

    from cadre_rules.testing.synth import RULE_IDS, generate_case

    cases = [load_case(p) for p in EXAMPLES]
    # one synthetic case breaking each rule: between them they set nearly every part of a record
    cases += [validate_case(generate_case(7, k, 1.0, inject=[rule_id])) for k, rule_id in enumerate(RULE_IDS)]
    checked = 0
    # the live path always has the record's date (without one the facts layer takes the last recorded
    # act's date, read from every step: IncrementalJudge derives everything then)
    cases = [c.model_copy(update={"as_of": c.as_of or date(2024, 6, 28)}) for c in cases]
    pairs = [(a, cases[(i + step) % len(cases)]) for i, a in enumerate(cases) for step in (1, 7, 31)]
    # and values no case above sets: each case against itself with one such field changed
    for a in cases:
        approved = [r.id for r in a.prior_reports if r.reply == "approved"]
        changes = [{"batch_size": 3}, {"jurisdiction": "jiangnan"},
                   {"body": a.body.model_copy(update={"id": "another-body"})},
                   {"post": a.post.model_copy(update={"managed_by": a.body.id})}]
        changes += [{"recommendation_exemption": approved[0]}] if approved else []
        pairs += [(a, a.model_copy(update=change)) for change in changes]
        # and fields that matter only beside another: the exempting report, the managing body
        if approved:
            exempt = a.model_copy(update={"recommendation_exemption": approved[0]})
            pairs.append((exempt, exempt.model_copy(update={"prior_reports": []})))
        managed = a.model_copy(update={"post": a.post.model_copy(update={"managed_by": a.body.id})})
        pairs.append((managed, managed.model_copy(update={"body": a.body.model_copy(update={"id": "another-body"})})))
    for a, b in pairs:
        if month_only_dates(a) or month_only_dates(b):
            continue
        base = auditor.derive(a)
        for name in Case.model_fields:
            if name in ("id",) or getattr(a, name) == getattr(b, name):
                continue
            mixed = a.model_copy(update={name: getattr(b, name)})
            if month_only_dates(mixed):
                continue
            try:
                facts = auditor.derive(mixed)
            except Exception:  # noqa: BLE001 - a mixture the model would refuse (a dangling reference)
                continue
            moved = changed_fields(a, mixed)
            for fact_type, inputs in FACT_INPUTS.items():
                if fact_type in base and inputs.isdisjoint(moved):
                    assert facts[fact_type] == base[fact_type], (a.id, name, fact_type)
                    checked += 1
    assert checked > 1000 and set(_PARTS) <= set().union(*FACT_INPUTS.values())


def test_the_per_record_derivations_give_the_facts_of_the_whole_derivation(auditor):
    """facts/derive.py's per-record entry points, on every example and for every record: the facts of a
    meeting's items (and those after it) and of an inspection are those of the whole derivation."""
    from cadre_rules.facts import items as item_functions
    from cadre_rules.facts.compose import compile_builder
    from cadre_rules.facts.derive import derive_facts, inspection_record_facts, meeting_item_facts

    builder = compile_builder(item_functions, auditor.plan["item"])
    checked = 0
    for path in EXAMPLES:
        case = load_case(path)
        full = derive_facts(case, auditor.plan)
        for k in range(len(case.meetings) + 1):
            first = sum(len(m.agenda) for m in case.meetings[:k])
            assert meeting_item_facts(case, k, builder) == full["item"][first:], (case.id, k)
        petitions = 0
        for n, ins in enumerate(case.inspections):
            fact, pets = inspection_record_facts(case, n, auditor.plan.get("inspection"))
            assert fact == full["inspection"][n] and pets == full["petition"][petitions:petitions + len(ins.petitions)]
            petitions += len(ins.petitions)
            checked += 1
    assert checked > 50


def test_an_inspection_fact_updated_for_the_fields_replaced_is_the_one_derived(auditor):
    """facts/derive.py `inspection_fact_after`: an inspection of the examples (and of the same with no
    target decision: its start is then read twice) with one field replaced by another inspection's value
    or none. It updates the fact before for a check, the completion, the dates taken as they are, the
    integrity conclusion, the report and the petitions, and the result is the fact derived from the new record; it declines (None) every other field."""
    from cadre_rules.facts.derive import derive_facts, inspection_fact_after, inspection_fact_moves
    from cadre_rules.codes import ReportSection
    from cadre_rules.model import Check, InspectionReport, IntegrityConclusion

    checks = ("file_review", "personal_matters", "discipline_opinion", "petition_check", "economic_audit")
    as_is = ("completed", "plan_date", "unit_consultation_date", "notice_date", "feedback_date", "department_review_date")
    cases = [load_case(path) for path in EXAMPLES]
    pool: dict[str, list[Any]] = {}
    for case in cases:
        for ins in case.inspections:
            for name, value in ins.__dict__.items():
                pool.setdefault(name, []).append(value)
    for name in checks:  # values the examples may not have
        pool[name][:0] = [Check(date=date(2021, 4, 1), outcome=outcome) for outcome in ("open", "concealment")]
    for name in (*as_is, "start"):
        pool[name].insert(0, date(2021, 4, 2))
    # an integrity conclusion signed by one of two or both, a report with sections left empty or none
    pool["integrity_conclusion"][:0] = [IntegrityConclusion(date=date(2021, 4, 3), signed_by_secretary=True,
                                                            signed_by_discipline_head=signed) for signed in (False, True)]
    pool["report"][:0] = [InspectionReport(date=date(2021, 4, 4), strengths="s"),
                          InspectionReport(date=date(2021, 4, 4), **{s: "x" for s in ReportSection.values()})]
    updated, declined = set(), set()
    for case in cases[:10]:
        untargeted = case.model_copy(update={"inspections": [i.model_copy(update={"target_decision": None})
                                                              for i in case.inspections]})
        for base in (case, untargeted):
            full = derive_facts(base, auditor.plan)["inspection"]
            for n, ins in enumerate(base.inspections):
                assert inspection_fact_after(full[n], ins, ins) is full[n]
                for name, values in pool.items():
                    optional = type(ins).model_fields[name].default is None
                    for value in [v for v in values if v is not ins.__dict__[name]][:3] + ([None] if optional else []):
                        if value is ins.__dict__[name]:
                            continue
                        after = ins.model_copy(update={name: value})
                        got = inspection_fact_after(full[n], ins, after)
                        # told the one field replaced (as an event says it), the same answer
                        assert inspection_fact_after(full[n], ins, after, (name,)) == got, (case.id, n, name)
                        if got is not None:  # and every value it changed is one it says it may change
                            moved = {k for k, v in got.items() if full[n].get(k, got) != v}
                            assert moved <= inspection_fact_moves(frozenset({name})), (case.id, n, name, moved)
                        if got is None:
                            declined.add(name)
                            continue
                        replaced = base.model_copy(update={"inspections": [*base.inspections[:n], after,
                                                                           *base.inspections[n + 1:]]})
                        assert got == derive_facts(replaced, auditor.plan)["inspection"][n], (case.id, n, name)
                        updated.add(name)
    assert updated == {*checks, *as_is, "petitions", "integrity_conclusion", "report"} and declined == set(pool) - updated


def test_an_inspection_fact_given_its_lowest_ranked_value_is_the_one_derived(auditor):
    """The live path passes an inspection's `lowest_ranked` from its fact before (the recommendations and
    the candidate unchanged): with the value derived, the fact is the whole derivation's; the value given
    is the value used."""
    from cadre_rules.facts.derive import derive_facts, inspection_record_fact

    plan = auditor.plan.get("inspection")
    seen = set()
    for path in EXAMPLES:
        case = load_case(path)
        full = derive_facts(case, auditor.plan)["inspection"]
        for n, fact in enumerate(full):
            seen.add(fact["lowest_ranked"])
            assert inspection_record_fact(case, n, plan, fact["lowest_ranked"]) == fact
            assert inspection_record_fact(case, n, plan, not fact["lowest_ranked"])["lowest_ranked"] is not fact["lowest_ranked"]
    assert seen == {True, False}


def test_changes_compared_in_c_finds_what_a_comparison_key_by_key_finds():
    """`changes` with `ReadValues` (the read fields' values compared as tuples in C) reports the same
    reshaped types and changed fields as without: facts equal, differing in read or unread fields, one
    read field missing (compared key by key), one read field, lists of another length or order."""
    from cadre_rules.live.incremental import ReadValues, changes

    reads = {"a": frozenset({"x", "y", "z"}), "b": frozenset({"x"}), "c": frozenset({"x"})}
    values = {t: ReadValues(names) for t, names in reads.items()}
    f = lambda i, **kw: {"id": f"f{i}", "path": f"p[{i}]", "x": 1, "y": 2, "z": 3, "u": 0, **kw}  # noqa: E731
    old = {"a": [f(0), f(1), f(2)], "b": [f(0), f(1)], "c": [f(0)], "d": [f(0)]}
    variants = [
        {"a": [f(0), f(1), f(2)]},  # equal, new objects
        {"a": [f(0), f(1, u=5), f(2)]},  # an unread field
        {"a": [f(0), f(1, y=5), f(2, x=0, z=9)]},  # read fields
        {"a": [f(0), {k: v for k, v in f(1).items() if k != "y"}, f(2)]},  # a read field missing
        {"a": [f(0), {**f(1), "y": None}, f(2)]},  # a read field set to None
        {"b": [f(0), f(1, x=7)], "c": [f(0, x=2)]},  # a single read field
        {"b": [f(1), f(0)]},  # reordered
        {"a": [f(0), f(1)], "d": []},  # shorter
    ]
    compared = 0
    for variant in variants:
        new = {**old, **variant}
        for types in (None, set(variant)):
            plain = changes(old, new, types, reads)
            assert changes(old, new, types, reads, values) == plain, variant
            compared += bool(plain[0] or plain[1])
    missing = {**old, "a": [f(0), {k: v for k, v in f(1).items() if k != "y"}, f(2)]}
    assert changes(old, missing, None, reads, values) == (set(), {("a", "y")})
    assert changes(old, {**old, "a": [f(0), f(1, y=5), f(2, x=0, z=9)]}, {"a"}, reads, values) == (
        set(), {("a", "y"), ("a", "x"), ("a", "z")})
    assert compared == 12


def test_changed_record_names_the_one_record_added_or_replaced():
    from cadre_rules.live.incremental import changed_record

    a, b, c, d = object(), object(), object(), object()
    assert changed_record([a, b], [a, b, c]) == 2 and changed_record([a, b], [a, c]) == 1
    assert changed_record([a, b], [c, b]) == 0 and changed_record([a, b], [a, b]) == 2
    assert changed_record([a, b], [c, d]) is None and changed_record([a, b], [b, a, c]) is None
    assert changed_record([a, b], [a]) is None and changed_record([a, b], [a, b, c, d]) is None


def test_an_act_dated_to_the_month_in_the_changed_record_is_seen(baseline):
    """The live path looks for acts dated to the month only in what the event changed (the case before
    had none): a month in the one record changed, or in a changed field, is found; elsewhere it is not
    looked for, because a record the event did not change is the one the case before had."""
    from cadre_rules.facts.months import ACT_DATE_FIELDS
    from cadre_rules.live.events import Change
    from cadre_rules.live.incremental import _month_only_in
    from cadre_rules.model.base import MonthDate

    baseline = validate_case(baseline)
    seen = 0
    for name, is_list, attrs in ACT_DATE_FIELDS:
        value = getattr(baseline, name)
        records = list(value) if is_list else ([value] if value is not None else [])
        for k, record in enumerate(records):
            for attr in attrs:
                day = getattr(record, attr)
                if day is None:
                    continue
                month = record.model_copy(update={attr: MonthDate(day.year, day.month, 1)})
                new_value = [*value[:k], month, *value[k + 1:]] if is_list else month
                case = baseline.model_copy(update={name: new_value})
                assert month_only_dates(case)
                by_record = Change(baseline, frozenset({name}), (name, k) if is_list else None)
                by_field = Change(baseline, frozenset({name, "as_of"}))
                assert _month_only_in(case, by_record) and _month_only_in(case, by_field), (name, k, attr)
                other = Change(baseline, frozenset({"as_of", "attestations"}))
                assert not _month_only_in(case, other)
                seen += 1
    assert seen >= 8 and not _month_only_in(baseline, Change(baseline, frozenset(f for f, _, _ in ACT_DATE_FIELDS)))


def test_every_kind_declares_what_it_changes(baseline):
    """Each event kind's declaration (live/events.py TOUCHES) is what comparing the case before and after
    finds, for the kinds the replays above rarely reach too (a departure and the successor, deferring,
    resuming, reconsidering, stopping, closing), on the same day and a day later."""
    case = validate_case(baseline)
    on = case.as_of or date(2021, 6, 1)
    DECLARED_SEEN.clear()
    for day in (on, on + timedelta(days=1)):
        stream = [Event("dep", "leader_departure", day, {"leader": case.body.members[0].id}),
                  Event("left", "leader_left", day, {}),
                  *(Event(kind, kind, day, {"reason": "x"}) for kind in ("defer", "resume", "reconsider", "abort")),
                  Event("rev", "review", day, {}), Event("fix", "correct", day, {"supersedes": "dep", "reason": "x"}),
                  Event("close", "close", day, {}),
                  Event("upd", "record_updated", day, {"record": "leader_departure", "field": "announced"}),
                  Event("add", "record_added", day, {"field": "batch_size", "value": 2})]
        current = case
        for event in stream:
            declared_as_compared(current, event)
            current = apply_event(current, event)
    from cadre_rules.live.events import KINDS, TOUCHES
    assert {k.partition(":")[0] for k in DECLARED_SEEN} >= {"leader_departure", "leader_left", "close", "abort", "defer",
                                                          "record_updated", "record_added"}
    assert set(TOUCHES) | {"record_added", "record_updated"} == set(KINDS)


def widened(data: dict[str, Any], n: int = 3) -> Any:
    """The case with n candidates going through every step together, each inspection with two petitions
    (received, then closed): petition events on one inspection of several, as in benchmarks/bench_live.py."""
    import copy

    data = copy.deepcopy(data)
    ids = [f"w{i}" for i in range(1, n + 1)]
    base_candidate = data["candidates"][0]
    data["candidates"] = [{**copy.deepcopy(base_candidate), "id": c, "name": f"候选人{c}"} for c in ids]
    data["post"].update(quota=n, incumbents=0)
    if data.get("motion"):
        data["motion"]["intended_candidates"] = ids
    for rec in data.get("recommendations") or []:
        rec["results"] = [{"candidate": c, "votes": 30 + i} for i, c in enumerate(ids)]
        if rec.get("reference_list"):
            rec["reference_list"] = ids
    base_ins = data["inspections"][0]
    start = date.fromisoformat(str(base_ins["start"]))
    data["inspections"] = [{**copy.deepcopy(base_ins), "id": f"i{i}", "candidate": c, "petitions": [
        {"id": f"pt{i}a", "received": (start + timedelta(days=2 + i)).isoformat(), "specific": True,
         "closed": (start + timedelta(days=6 + i)).isoformat(), "conclusion": "查无实据"},
        {"id": f"pt{i}b", "received": (start + timedelta(days=3 + i)).isoformat(), "specific": False}]}
        for i, c in enumerate(ids, start=1)]
    for meeting in data.get("meetings") or []:
        if meeting.get("agenda"):
            item = meeting["agenda"][0]
            meeting["agenda"] = [{**copy.deepcopy(item), "id": f"a{i}", "candidate": c} for i, c in enumerate(ids, start=1)]
    for key in ("publicity", "appointments", "filings"):
        if data.get(key):
            first = data[key][0]
            data[key] = [{**copy.deepcopy(first), "id": f"{key[:2]}{i}", "candidate": c} for i, c in enumerate(ids, start=1)]
    data["attestations"] = [{**a, "candidate": c} for c in ids for a in data.get("attestations") or []
                            if a.get("candidate") == base_candidate["id"]]
    for key in ("relations", "canvassing_findings", "nominations"):  # (the consultations stay: DEC-BREWING)
        data.pop(key, None)
    data.pop("meta", None)
    return validate_case(data)


def test_petition_events_on_one_inspection_of_several_replayed_incrementally(rulebook, auditor, baseline):
    """Petitions received and closed on one inspection of three: that inspection's petition facts are
    derived alone (the others' taken over), or kept when its petitions did not change (a check)."""
    BY_RECORD_SEEN.clear()
    REPLACED_SEEN.clear()
    case = widened(baseline)
    assert len(case.inspections) == 3 and all(len(i.petitions) == 2 for i in case.inspections)
    assert replay(case, rulebook, auditor) > 20
    assert {"inspection", "petition"} <= BY_RECORD_SEEN
    # and an attestation its candidate's fact
    assert "candidate" in BY_RECORD_SEEN
    # and a notice, a publicity or a filing their record's facts: the stream goes through to the filing
    # (a widened case without its consultations was refused at the decision meeting, DEC-BREWING, and
    # every later event with it, so the replay never reached those kinds)
    assert {"appointment", "publicity"} <= BY_RECORD_SEEN
    init, opened, events = events_from_case(case)
    live = LiveCase.open(init, opened, rulebook)
    refused = [(e.id, r.reason) for e in events if not (r := live.submit(e)).accepted]
    assert refused == [] and live.stage == "filing"
    # the kinds that say which record and which of its fields they replaced were replayed saying so
    assert {"inspection_step", "inspection_completed"} <= REPLACED_SEEN


def test_a_replaced_record_is_said_for_its_own_event_and_date(baseline):
    """What `apply_change` says an event replaced (`Change.fields`, made once per fields and date;
    `record`, `record_fields`) belongs to that event: the same step on the record's date and on a
    later one, another check, the completion, a petition and its closing on another inspection each
    say their own record and fields, and the record date only when it moved."""
    from cadre_rules.live.events import KINDS, REPLACING

    case = widened(baseline)
    on = max(i.start for i in case.inspections) + timedelta(days=5)  # before the meeting, as the steps are
    bare = case.model_copy(update={"as_of": on, "inspections": [
        i.model_copy(update={"petition_check": None, "completed": None}) for i in case.inspections]})
    step = {"step": "petition_check", "outcome": "clear"}
    seen = []
    for event in (Event("s1", "inspection_step", on, {**step, "inspection": "i2"}),
                  Event("s2", "inspection_step", on + timedelta(days=1), {**step, "inspection": "i2"}),
                  Event("s3", "inspection_step", on, {**step, "inspection": "i3", "step": "file_review"}),
                  Event("s4", "inspection_completed", on + timedelta(days=2), {"inspection": "i1"}),
                  Event("s5", "inspection_step", on, {"inspection": "i3", "step": "petition", "id": "new",
                                                      "specific": True}),
                  Event("s6", "inspection_step", on, {"inspection": "i1", "step": "petition_closed", "id": "pt1b"})):
        after, change = apply_change(bare, event, checked=True)
        seen.append((change.fields, change.record, change.record_fields))
        declared_as_compared(bare, event)
    assert seen == [
        (frozenset({"inspections"}), ("inspections", 1), frozenset({"petition_check"})),
        (frozenset({"inspections", "as_of"}), ("inspections", 1), frozenset({"petition_check"})),
        (frozenset({"inspections"}), ("inspections", 2), frozenset({"file_review"})),
        (frozenset({"inspections", "as_of"}), ("inspections", 0), frozenset({"completed"})),
        (frozenset({"inspections"}), ("inspections", 2), frozenset({"petitions"})),
        (frozenset({"inspections"}), ("inspections", 0), frozenset({"petitions"}))]
    assert set(REPLACING) == {name for name, kind in KINDS.items() if kind.replacing is not None}
    assert all(KINDS[name].touches == ((field,) if field else None) for name, field in REPLACING.items())


def test_a_record_updated_or_added_says_its_own_record_field_and_date(rulebook, auditor, baseline):
    """`record_updated` of a record of a list and `record_added` to a list say their record (and the
    one field replaced) without comparing the case's fields: another record, another field, another
    day each say their own; the motion updated or a field set that is no list say no record (compared
    instead); and the incremental judge told so answers as a full audit."""
    case = widened(baseline)
    on = max(i.start for i in case.inspections) + timedelta(days=5)
    case = case.model_copy(update={"as_of": on})
    assert case.appointments and case.motion is not None and case.attestations
    notice = case.appointments[-1].id
    attestation = case.attestations[0].model_dump(mode="json", by_alias=True, exclude_defaults=True)
    seen = []
    events = [Event("u1", "record_updated", on, {"record": "inspections:i2", "field": "report", "value": {"strengths": "s"}}),
              Event("u2", "record_updated", on, {"record": "inspections:i3", "field": "report", "value": {"weaknesses": "w"}}),
              Event("u3", "record_updated", on + timedelta(days=1), {"record": "inspections:i2", "field": "feedback_date"}),
              Event("u4", "record_updated", on, {"record": f"appointments:{notice}", "field": "number", "value": "n"}),
              Event("u5", "record_updated", on, {"record": "motion", "field": "method_reason", "value": "x"}),
              Event("a1", "record_added", on, {"field": "batch_size", "value": 2}),
              Event("a2", "record_added", on + timedelta(days=1), {"field": "attestations", "value": attestation})]
    for event in events:
        after, change = apply_change(case, event, checked=True)
        seen.append((change.fields, change.record, change.record_fields))
        declared_as_compared(case, event)
        judge = IncrementalJudge(auditor)
        judge.findings(case)
        got = judge.findings(after, change)
        assert [f.to_dict() for f in got] == [f.to_dict() for f in auditor.findings(after)], event.id
    expected = [
        (frozenset({"inspections"}), ("inspections", 1), frozenset({"report"})),
        (frozenset({"inspections"}), ("inspections", 2), frozenset({"report"})),
        (frozenset({"inspections", "as_of"}), ("inspections", 1), frozenset({"feedback_date"})),
        (frozenset({"appointments"}), ("appointments", len(case.appointments) - 1), frozenset({"number"})),
        (frozenset({"motion"}), None, None),
        (frozenset({"batch_size"}), None, None),
        (frozenset({"attestations", "as_of"}), ("attestations", len(case.attestations)), None)]
    assert seen == expected


def test_a_step_changing_only_values_no_rule_reads_reruns_nothing_and_one_a_rule_reads_reruns(rulebook, auditor,
                                                                                               baseline):
    """The incremental judge passes over an inspection fact updated in values no rule reads (the
    petition check: `quiet`), and re-runs the rules reading a value a step changed (a file review
    found open, concealment in the personal matters): the findings are a full audit's either way."""
    case = widened(baseline)
    on = max(i.start for i in case.inspections) + timedelta(days=5)
    bare = case.model_copy(update={"as_of": on, "inspections": [
        i.model_copy(update={"petition_check": None, "file_review": None, "personal_matters": None})
        for i in case.inspections]})
    reads = IncrementalJudge(auditor).readers.fields_of["inspection"]
    assert "petition_check_date" not in reads and "file_review_outcome" in reads  # (else pick other steps)
    for data, quiet in (({"step": "petition_check", "outcome": "clear"}, True),
                        ({"step": "file_review", "outcome": "open"}, False),
                        ({"step": "personal_matters", "outcome": "concealment"}, False),
                        ({"step": "file_review", "outcome": "clear"}, False)):
        judge = IncrementalJudge(auditor)
        judge.findings(bare)
        after, change = apply_change(bare, Event("s", "inspection_step", on, {**data, "inspection": "i2"}), checked=True)
        got = judge.findings(after, change)
        assert [f.to_dict() for f in got] == [f.to_dict() for f in auditor.findings(after)], data
        assert judge._fresh is not None and ("inspection" in judge._fresh[3]) is quiet, data
        assert bool(judge.last_reevaluated) is not quiet, (data, judge.last_reevaluated)


def _with_attestations_of(case: Any, keep: set[str]) -> Any:
    """The case with the attestations of the candidates in `keep` alone (candidates attested differently)."""
    return case.model_copy(update={"attestations": [a for a in case.attestations if a.candidate in keep]})


def test_the_per_record_appointment_publicity_and_candidate_facts_are_those_of_the_whole_derivation(auditor, baseline):
    """facts/derive.py's entry points for one notice and one publicity (the builders composed for one
    record from the same functions: facts/compose.py `compile_record_builder`) and a candidate's
    attestations (`candidate_fact_attested`), on
    every example, a widened case whose candidates are attested differently and synthetic cases, for
    every record, every field and the fields the auditor's rules read: the facts of the whole
    derivation, whatever the order the records are asked for in."""
    from cadre_rules.facts.derive import (appointment_record_facts, candidate_fact_attested, derive_facts,
                                          judging_date, publicity_record_fact)

    cases = [load_case(path) for path in EXAMPLES]
    cases.append(_with_attestations_of(widened(baseline), {"w2"}))
    cases += [validate_case(data) for data in generate(6, 7, 0.5)]
    checked = 0
    for case in cases:
        for plan in (None, auditor.plan):
            full = derive_facts(case, plan)
            appointments = (plan or {}).get("appointment")
            indexes = list(range(len(case.appointments)))[::-1]
            if "appointment" in full:
                assert appointment_record_facts(case, indexes, appointments) == full["appointment"][::-1], case.id
            if "publicity" in full:
                assert [publicity_record_fact(case, p, (plan or {}).get("publicity"))
                        for p in range(len(case.publicity))] == full["publicity"], case.id
            # a candidate's fact derived without the attestations, then given them
            judged_on = judging_date(case)
            unattested = derive_facts(case.model_copy(update={"attestations": []}), plan)["candidate"]
            assert [candidate_fact_attested(fact, case, judged_on) for fact in unattested] == full["candidate"], case.id
            checked += len(case.appointments) + len(case.publicity) + len(case.candidates)
    assert checked > 200


def test_a_record_moved_to_another_candidate_rederives_the_facts_of_both(rulebook, auditor, baseline):
    """A filing, a publicity or an attestation is keyed to a candidate in the facts of another type (the
    appointment facts of their notices, the candidate facts): a version of the case with one of them
    added, or replaced by one naming another candidate (no event does that, a version compared may),
    derives those of the candidate it names and of the one it named before, and the facts and findings
    are those of a full derivation and audit."""
    case = _with_attestations_of(widened(baseline), {"w1", "w2"})
    on = max(n.date for n in case.appointments) + timedelta(days=2)
    case = case.model_copy(update={"as_of": on})
    assert len(case.filings) == 3 and len(case.publicity) == 3 and case.attestations

    def moved(name: str, k: int, candidate: str) -> Any:
        records = list(getattr(case, name))
        records[k] = records[k].model_copy(update={"candidate": candidate})
        return case.model_copy(update={name: records})

    added = case.attestations[0].model_copy(update={"candidate": "w3"})
    versions = {"filing": moved("filings", 0, "w2"), "publicity": moved("publicity", 2, "w1"),
                "attestation": case.model_copy(update={"attestations": [*case.attestations, added]}),
                "attestation moved": moved("attestations", 0, "w3")}
    derived = {}
    for name, after in versions.items():
        judge = IncrementalJudge(auditor)
        judge.findings(case)
        got = judge.findings(after)
        assert judge._memo[2] == auditor.derive(after), (name, judge.last_by_record)
        assert [f.to_dict() for f in got] == [f.to_dict() for f in auditor.findings(after)], name
        derived[name] = (judge.last_by_record, dict(judge._single))
    assert derived == {"filing": ({"appointment"}, {"appointment": (0, 1)}),
                       "publicity": ({"publicity", "appointment"}, {"publicity": (2,), "appointment": (0, 2)}),
                       "attestation": ({"candidate"}, {"candidate": (2,)}),
                       "attestation moved": ({"candidate"}, {"candidate": (0, 2)})}


def test_a_rule_judged_on_the_one_fact_derived_keeps_its_findings_on_the_others(rulebook, auditor, baseline):
    """A talk recorded on one notice of three, and a notice added, when the other notices have findings
    of the rules that re-run (no talk recorded with them): those rules are judged on the one notice's
    fact alone (`last_alone`), their findings on the other notices are kept (the same objects), those on
    the notice replaced are made again, and the findings are a full audit's."""
    case = widened(baseline)
    on = max(n.date for n in case.appointments) + timedelta(days=1)
    untalked = [n.model_copy(update={"talk": None}) for n in case.appointments]
    case = case.model_copy(update={"as_of": on, "appointments": untalked})
    talk = {"date": on.isoformat(), "by": "组织部"}
    fourth = case.appointments[0].model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude={"date"})
    case4 = case.model_copy(update={"appointments": case.appointments[:2]})
    for before, event, rules in (
            (case, Event("t", "record_updated", on, {"record": "appointments:ap2", "field": "talk", "value": talk}),
             {"APT-TALK"}),
            (case4, Event("n", "notice_issued", on, {**fourth, "id": "ap9", "candidate": "w3"}), None)):
        judge = IncrementalJudge(auditor)
        old = judge.findings(before)
        after, change = apply_change(before, event, checked=True)
        got = judge.findings(after, change)
        assert [f.to_dict() for f in got] == [f.to_dict() for f in auditor.findings(after)], event.id
        alone = judge.last_alone["appointment"]
        assert alone == rules if rules is not None else "APT-TALK" in alone, (event.id, judge.last_alone)
        replaced = "appointments[1]" if event.id == "t" else None
        others = [f for f in old if f.rule_id in alone and replaced not in f.paths]
        assert len([f for f in old if f.rule_id == "APT-TALK"]) >= 2, event.id  # (else the test shows nothing)
        kept = {id(f) for f in got}
        assert others and all(id(f) in kept for f in others), event.id
        if replaced is not None:
            assert not any(id(f) in kept for f in old if f.rule_id in alone and replaced in f.paths)


_JOINING_RULES = """\
rules:
  - id: LOC-TWO-NOTICES
    stage: appointment
    severity: warning
    title: {zh: 同一人两份任职通知（测试用示例规则）, en: Two notices for one person (illustrative test rule)}
    basis:
      - {edition: "2019", article: null, confidence: low, verified: false, note: 测试用的示例规则，并非任何地方的规定}
    effective: {from: 2019-03-03}
    match: {a: appointment, b: appointment}
    act_date: a.date
    when: a.candidate == b.candidate and a.id != b.id
    message: {zh: "{a.candidate} 有两份任职通知", en: "{a.candidate} has two notices"}
  - id: LOC-NO-TALK-YET
    stage: appointment
    severity: warning
    title: {zh: 尚无任何任职谈话（测试用示例规则）, en: No appointment talk held yet (illustrative test rule)}
    basis:
      - {edition: "2019", article: null, confidence: low, verified: false, note: 测试用的示例规则，并非任何地方的规定}
    effective: {from: 2019-03-03}
    match: {a: appointment}
    act_date: a.date
    when: a.talk_date == null and not (exists appointment as o where o.talk_date != null)
    message: {zh: "{a.candidate} 的任职通知之后尚无谈话", en: "No talk after the notice of {a.candidate}"}
"""


def test_a_rule_joining_or_quantifying_over_the_changed_type_is_judged_on_every_fact(tmp_path, baseline):
    """A rule matching the type derived for one record with two aliases (a notice joined with another)
    or quantifying over it (`exists` another notice) reads the other facts of that type: it is judged on
    every fact, and the findings are a full audit's, while a rule matching it with one alias alone is
    judged on the one fact derived."""
    from cadre_rules import Auditor, load_rulebook

    layer = tmp_path / "joining"
    layer.mkdir()
    (layer / "rulebook.yaml").write_text("id: test-joining\ntitle: {zh: 测试, en: Test}\nextends: national\n",
                                         encoding="utf-8")
    (layer / "10-local.yaml").write_text(_JOINING_RULES, encoding="utf-8")
    auditor = Auditor(load_rulebook(layer))
    case = widened(baseline)
    on = max(n.date for n in case.appointments) + timedelta(days=1)
    untalked = [n.model_copy(update={"talk": None}) for n in case.appointments]
    case = case.model_copy(update={"as_of": on, "appointments": untalked})
    again = case.appointments[0].model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude={"date"})
    talk = {"date": on.isoformat(), "by": "组织部"}
    for event, rule in ((Event("t", "record_updated", on, {"record": "appointments:ap2", "field": "talk",
                                                           "value": talk}), "LOC-NO-TALK-YET"),
                        (Event("n", "notice_issued", on, {**again, "id": "ap9"}), "LOC-TWO-NOTICES")):
        judge = IncrementalJudge(auditor)
        before = judge.findings(case)
        after, change = apply_change(case, event, checked=True)
        got = judge.findings(after, change)
        expected = auditor.findings(after)
        assert [f.to_dict() for f in got] == [f.to_dict() for f in expected], event.id
        # (the rule's findings change on the other notices: else the test shows nothing)
        assert [f.paths for f in before if f.rule_id == rule] != [f.paths for f in expected if f.rule_id == rule]
        assert rule in judge.last_reevaluated and rule not in judge.last_alone["appointment"], (event.id, judge.last_alone)
        assert "APT-TALK" in judge.last_alone["appointment"], event.id


def test_a_notice_or_publicity_updated_in_some_fields_is_the_fact_derived(auditor, baseline):
    """facts/derive.py `record_fact_after`: a notice or a publicity of the examples and a widened case
    with one attribute replaced (by its default, another record's value, a day later, a talk of another
    day), the rest of the case the same. The fact before with the values reading that attribute computed
    again (facts/compose.py `record_reads` tells which) is the fact derived, for every field and for the
    fields the auditor's rules read; it is always updated (no function of facts/appointment.py or
    facts/publicity.py reads its record otherwise), never derived whole."""
    from cadre_rules.facts.derive import derive_facts, record_fact_after

    cases = [load_case(path) for path in EXAMPLES] + [widened(baseline)]
    updated = set()
    for case in cases:
        for fact_type, name in (("appointment", "appointments"), ("publicity", "publicity")):
            records = getattr(case, name)
            for k, record in enumerate(records):
                other = records[k - 1] if len(records) > 1 else None
                for attr, spec in type(record).model_fields.items():
                    values = [] if spec.is_required() else [spec.get_default(call_default_factory=True)]
                    if other is not None:
                        values.append(getattr(other, attr))
                    own = getattr(record, attr)
                    if isinstance(own, date):
                        values.append(own + timedelta(days=1))
                    if attr == "talk" and own is not None:
                        values.append(own.model_copy(update={"date": own.date + timedelta(days=1)}))
                    for value in values:
                        if value == getattr(record, attr):
                            continue
                        changed = [*records[:k], record.model_copy(update={attr: value}), *records[k + 1:]]
                        after = case.model_copy(update={name: changed})
                        for plan in (None, auditor.plan):
                            fields = (plan or {}).get(fact_type)
                            before = derive_facts(case, plan)[fact_type][k]
                            got = record_fact_after(fact_type, before, after, k, frozenset({attr}), fields)
                            assert got is not None, (case.id, fact_type, attr)
                            assert got == derive_facts(after, plan)[fact_type][k], (case.id, fact_type, k, attr, value)
                            updated.add((fact_type, attr))
    assert {("appointment", "talk"), ("appointment", "probation"), ("appointment", "date"),
            ("appointment", "candidate"), ("publicity", "end"), ("publicity", "objections")} <= updated, updated


def test_rules_of_a_short_list_without_findings_are_judged_on_every_fact_and_of_a_long_one_on_one(auditor, baseline):
    """A feedback date recorded for one inspection: of three inspections with no finding of the rules that
    re-run, those rules are judged on every inspection (setting them apart would cost more than judging
    two more facts); of ten, on the one inspection's fact alone. The findings are a full audit's."""
    for n, alone in ((3, None), (10, {"inspection"})):
        case = widened(baseline, n)
        on = max(i.start for i in case.inspections) + timedelta(days=5)
        case = case.model_copy(update={"as_of": on})
        judge = IncrementalJudge(auditor)
        before = judge.findings(case)
        event = Event("s", "record_updated", on, {"record": "inspections:i2", "field": "feedback_date"})
        after, change = apply_change(case, event, checked=True)
        got = judge.findings(after, change)
        assert [f.to_dict() for f in got] == [f.to_dict() for f in auditor.findings(after)], n
        assert not {f.rule_id for f in before} & judge.last_reevaluated, n  # (no finding of those rules before)
        assert (set(judge.last_alone) if judge.last_alone else None) == alone, (n, judge.last_alone)


def test_a_notice_fact_whose_functions_may_read_the_list_is_derived_whole(auditor, baseline, monkeypatch):
    """When a function of facts/appointment.py may read the notices' list (here one made by exec, with no
    source to read), a notice's fact is not derived apart from the others (facts/derive.py
    `record_facts_apart`): a talk recorded derives every appointment fact, and the facts and findings are
    a full derivation's and audit's."""
    from cadre_rules.facts import appointment as appointment_functions
    from cadre_rules.facts.compose import forget_builders
    from cadre_rules.facts.derive import record_facts_apart

    case = widened(baseline)
    on = max(n.date for n in case.appointments) + timedelta(days=1)
    case = case.model_copy(update={"as_of": on, "appointments": [n.model_copy(update={"talk": None})
                                                                 for n in case.appointments]})
    event = Event("t", "record_updated", on, {"record": "appointments:ap2", "field": "talk",
                                              "value": {"date": on.isoformat(), "by": "组织部"}})
    namespace: dict[str, Any] = {"__name__": appointment_functions.__name__}  # (a function of that module)
    exec("def talk_date(notice):\n    return notice.talk.date if notice.talk else None\n", namespace)  # noqa: S102
    for replaced, apart in ((False, True), (True, False)):
        if replaced:
            monkeypatch.setattr(appointment_functions, "talk_date", namespace["talk_date"])
        forget_builders()
        try:
            assert record_facts_apart("appointment", auditor.plan.get("appointment")) is apart
            judge = IncrementalJudge(auditor)
            judge.findings(case)
            after, change = apply_change(case, event, checked=True)
            got = judge.findings(after, change)
            assert judge._memo[2] == auditor.derive(after)
            assert [f.to_dict() for f in got] == [f.to_dict() for f in auditor.findings(after)]
            assert ("appointment" in (judge.last_by_record or ())) is apart, judge.last_by_record
        finally:
            monkeypatch.undo()
            forget_builders()
