"""The integrity check per section (model/case.py INTEGRITY_INPUTS) finds what the whole check finds.

The live path checks, for each event, only the sections reading a case field the event changed
(`integrity_problems(case, changed)`, `apply_event(..., checked=True)`): its record passed every check
before, so a problem can only be in such a section. Here, field by field: a valid case with one field
taken from a broken case gives, checked for that field alone, exactly the problems (paths, messages,
order) of the whole check, including problems in other sections that read the field (a decision
moved after the appointment notice, a member removed from the body that a meeting names ...). And a
live case refuses an event breaking another section with the whole check's error.
"""
from __future__ import annotations

import pickle

import copy
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from cadre_rules import Event, LiveCase, load_case
from cadre_rules.errors import EventDataError
from cadre_rules.live import apply_event
from cadre_rules.live.derive import events_from_case
from cadre_rules.model import Case, integrity_problems
from cadre_rules.model.case import INTEGRITY_INPUTS
from cadre_rules.testing.synth import generate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))


def _broken_variants(d: dict[str, Any]) -> list[Callable[[dict[str, Any]], None]]:
    """Changes of a case's data aimed at every check, several of them reading a field of another section."""
    members = [m["id"] for m in d["body"]["members"]]
    first = d["candidates"][0]["id"]

    def each(name: str, change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
        def apply(m: dict[str, Any]) -> None:
            for record in m.get(name) or []:
                change(record)
        return apply

    def meeting_later(m: dict[str, Any]) -> None:  # the decision moves after the notices and filings
        for meeting in m.get("meetings") or []:
            meeting["date"] = "2099-01-01"
            for item in meeting.get("agenda") or []:
                item["outcome"] = "adopted"
            meeting["kind"] = "decision"

    def everything(m: dict[str, Any]) -> None:
        m["status"], m["as_of"] = "open", None
        m["post"]["level"] = "staff"
        m["motion"] = {"date": "2020-01-01", "intended_candidates": ["zz"]}
        m["recommendations"] = [*(m.get("recommendations") or []),
                                {"id": "rz", "form": "talk", "date": "2020-01-02", "results": [{"candidate": "zz", "votes": 1}],
                                 "reference_list": ["zz"]}]
        m["canvassing_findings"] = [{"id": "cf", "candidate": "zz", "recommendation": "r-none", "date": "2020-01-03",
                                     "source": "inspection"}]
        m["attestations"] = [{"kind": "health", "candidate": "zz", "date": "2020-01-01", "by": "x"}]
        m["nominations"] = [{"nominator": "x", "candidate": "zz", "signed": True}]
        m["recommendation_exemption"] = "pr-zz"
        m["relations"] = [{"person": "yy", "relative": first, "kind": "spouse"}]
        for ins in m.get("inspections") or []:
            ins["candidate"], ins["completed"] = "zz", "1990-01-01"
        for meeting in m.get("meetings") or []:
            meeting["members_due"] = [*meeting.get("members_due", members), "zz"]
            meeting["chair"] = "zz"
        for pub in m.get("publicity") or []:
            pub["candidate"], pub["end"] = "zz", "1990-01-01"
        for notice in m.get("appointments") or []:
            notice["date"] = "1990-01-01"
        for filing in m.get("filings") or []:
            filing["date"] = "1989-01-01"
        m["prior_reports"] = [{"id": "p", "matter": "other", "submitted": "2020-01-05", "reply_date": "2020-01-01"}]
        m["leader_departure"] = {"leader": "zz", "decided": "2020-02-02", "left": "2020-01-01"}
        m["candidates"] = [*m["candidates"], copy.deepcopy(m["candidates"][0])]
        m["candidates"][0]["work_start_date"] = "1900-01-01"
        m["body"]["members"] = [*m["body"]["members"], copy.deepcopy(m["body"]["members"][0])]

    return [
        everything,
        meeting_later,
        lambda m: m["body"].update(members=m["body"]["members"][:1]),  # meetings, departure, relations
        lambda m: m.update(candidates=[c for c in m["candidates"] if c["id"] == first]),  # every reference
        lambda m: m.update(recommendations=[]),  # the canvassing findings' rounds
        lambda m: m.update(prior_reports=[]),  # the exempting report
        lambda m: m.update(inspections=[]),  # the inspection teams' people named by relations
        lambda m: m.update(colleagues=[]),  # the colleagues named by relations
        lambda m: m.update(appointments=[{**n, "date": "2099-12-31"} for n in m.get("appointments") or []]),
        each("meetings", lambda mt: mt.update(agenda=[*(mt.get("agenda") or []), *(mt.get("agenda") or [])[:1]])),
    ]


def _with_references(d: dict[str, Any]) -> dict[str, Any]:
    """The case with records that the variants can break: relations to an inspection team member and a
    colleague, a canvassing finding on a recommendation round, an exemption by a prior report, the
    departure of the body's last member."""
    d = copy.deepcopy(d)
    first = d["candidates"][0]["id"]
    d["colleagues"] = [*(d.get("colleagues") or []), {"id": "col-x", "name": "某某", "post": "科员"}]
    relations = [{"person": "col-x", "relative": first, "kind": "spouse"}]
    for ins in d.get("inspections") or []:
        team = ins.setdefault("team", [])
        team.append({"name": "考察组成员", "role": "member", "person": "team-x"})
        relations.append({"person": "team-x", "relative": first, "kind": "other"})
        break
    d["relations"] = [*(d.get("relations") or []), *relations]
    if d.get("recommendations"):
        d["canvassing_findings"] = [{"id": "cf-x", "candidate": first, "recommendation": d["recommendations"][0]["id"],
                                     "date": d["recommendations"][0]["date"], "source": "inspection"}]
    d["prior_reports"] = [*(d.get("prior_reports") or []),
                          {"id": "pr-x", "matter": "other", "submitted": "2019-01-05"}]
    d.setdefault("recommendation_exemption", "pr-x")
    d.setdefault("leader_departure", {"leader": d["body"]["members"][-1]["id"], "decided": "2019-01-01"})
    return d


def _cases() -> list[dict[str, Any]]:
    datas = [load_case(p).model_dump(mode="json", by_alias=True, exclude_defaults=True) for p in EXAMPLES[::3]]
    datas += list(generate(6, 5, 0.3))
    return [_with_references(d) for d in datas]


def _case(d: dict[str, Any]) -> Case:
    return Case.model_validate(d, context={"defer_integrity": True})


def _clean_and_broken(variants: int | None = None) -> Iterator[tuple[Case, Case]]:
    """Each example or synthetic case that passes every check, with each of its broken versions (the
    first `variants` of them) that still validates as a model."""
    for data in _cases():
        clean = _case(data)
        if list(integrity_problems(clean)):
            continue
        for change in _broken_variants(data)[:variants]:
            broken_data = copy.deepcopy(data)
            try:
                change(broken_data)
                broken = _case(broken_data)
            except (KeyError, IndexError, ValueError):
                continue
            yield clean, broken


def test_each_section_checked_for_a_changed_field_finds_what_the_whole_check_finds():
    compared = found = 0
    for clean, broken in _clean_and_broken():
        for name in Case.model_fields:
            value = getattr(broken, name)
            if value == getattr(clean, name):
                continue
            mixed = clean.model_copy(update={name: value})
            whole = list(integrity_problems(mixed))
            assert list(integrity_problems(mixed, {name})) == whole, (clean.id, name, whole)
            compared += 1
            found += bool(whole)
    assert compared > 300 and found > 150, (compared, found)


def test_every_section_is_named_with_case_fields():
    assert set().union(*INTEGRITY_INPUTS.values()) <= set(Case.model_fields)


def _live_at_end(path: Path) -> tuple[LiveCase, Case]:
    case = load_case(path)
    init, opened, events = events_from_case(case)
    live = LiveCase.open(init, opened)
    for event in events:
        live.submit(event)
    return live, case


def test_an_event_breaking_another_section_is_refused_with_the_whole_checks_error():
    """A deciding meeting adopting a candidate after their appointment notice: the meeting is valid on its
    own, the notice (another section, reading the meetings) is now before its decision."""
    live, case = _live_at_end(EXAMPLES[0])
    assert live._checked and case.appointments
    notice = live.case.appointments[0]
    meeting = live.case.meetings[-1]
    on = live.last_on + timedelta(days=1)
    data = meeting.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude={"date"})
    data["id"] = "late-decision"
    data["agenda"] = [{**data["agenda"][0], "candidate": notice.candidate, "outcome": "adopted"}]
    event = Event("late-decision", "meeting_held", on, data)
    with pytest.raises(EventDataError) as whole:
        apply_event(live.case, event)
    # the problem is elsewhere in the case (the notice), made by the event: named by the case's path, and said so
    (path, message), = [(p, m) for p, m in whole.value.errors if p.startswith("appointments[")]
    assert message.endswith("(elsewhere in the case record, made wrong by this event)"), message
    again = pickle.loads(pickle.dumps(whole.value))  # (to and from worker processes, both languages kept)
    assert again.errors == whole.value.errors and [m.text("zh") for _, m in again.errors] == \
        [m.text("zh") for _, m in whole.value.errors]
    result = live.preview(event)
    assert not result.accepted and result.refused_rule_ids == ("INVALID-EVENT",)
    assert result.reason == f"refused by INVALID-EVENT: invalid event data: {whole.value}"
    zh = "；".join(f"{p}：{m.text('zh')}" if p else m.text("zh") for p, m in whole.value.errors)
    assert result.refused_by[0].message["zh"] == f"事项数据无效：{zh}"
    assert "（案件记录的其他部分，因本事项而出错）" in zh


def test_a_live_case_opened_on_a_record_that_fails_the_checks_checks_the_whole_record():
    case = load_case(EXAMPLES[0])
    broken = case.model_copy(update={"attestations": [*case.attestations, case.attestations[0].model_copy(
        update={"candidate": "nobody"})]} if case.attestations else {"nominations": []})
    if not case.attestations:
        pytest.skip("example 01 records no attestation")
    live = LiveCase.open(broken, case.as_of or date(2021, 1, 1))
    assert not live._checked
    result = live.preview(Event("review-x", "review", live.last_on, {}))
    assert not result.accepted and "attestations[" in result.reason


RECORD_SECTIONS = ("recommendations", "attestations", "nominations", "inspections", "meetings", "publicity",
                   "prior_reports")


def test_one_record_checked_alone_finds_what_the_whole_check_finds():
    """`integrity_problems(case, changed, at)`: a valid case with one record of a list replaced by (or
    extended with) a broken case's record, or given another record's id, checked for that record alone,
    gives exactly the whole check's problems (including those of other sections reading the list)."""
    compared = found = 0
    for clean, broken in _clean_and_broken(variants=2):
        for name in RECORD_SECTIONS:
            records, bad = getattr(clean, name), getattr(broken, name)
            for k, record in enumerate(bad):
                swaps = [record]
                if records and hasattr(record, "id") and k:
                    swaps.append(records[k - 1] if k <= len(records) else record)  # a duplicate id
                for new in swaps:
                    mixed_list = [*records[:k], new, *records[k + 1:]] if k < len(records) else [*records, new]
                    at = min(k, len(records))
                    mixed = clean.model_copy(update={name: mixed_list})
                    whole = list(integrity_problems(mixed))
                    assert list(integrity_problems(mixed, {name, "as_of"}, {name: at})) == whole, (clean.id, name, k)
                    compared += 1
                    found += bool(whole)
    assert compared > 100 and found > 50, (compared, found)


def test_a_record_changed_only_in_fields_no_check_reads_has_no_new_problem():
    """model/case.py INTEGRITY_RECORD_FIELDS: of an inspection, every field outside the ones named, taken
    from a broken case's inspection (or the broken values the checks look for), leaves the whole check
    as it was; and the live path, which then checks nothing of the list, refuses nothing it should."""
    from cadre_rules.model import Inspection, Petition
    from cadre_rules.model.case import INTEGRITY_RECORD_FIELDS

    read = INTEGRITY_RECORD_FIELDS["inspections"]
    assert read < set(Inspection.model_fields)
    compared = 0
    for data in _cases():
        clean = _case(data)
        if list(integrity_problems(clean)) or not clean.inspections:
            continue
        broken_data = copy.deepcopy(data)
        _broken_variants(data)[0](broken_data)
        try:
            broken = _case(broken_data)
        except (KeyError, IndexError, ValueError):
            continue
        for k, record in enumerate(clean.inspections):
            other = broken.inspections[min(k, len(broken.inspections) - 1)]
            day = record.completed or record.start
            breakers = {  # values that break a check reading the field (tried should the field leave the set)
                "petitions": [Petition(id="px", received=day, specific=True, closed=day - timedelta(days=1))],
                "start": day + timedelta(days=400) if record.completed else None,
                "team": [], "id": clean.inspections[-1 - k].id if len(clean.inspections) > 1 else None,
            }
            for name in sorted(set(Inspection.model_fields) - read):
                values = [getattr(other, name), getattr(clean.inspections[-1 - k], name)]
                values += [breakers[name]] if breakers.get(name) is not None else []
                for value in values:
                    mixed_record = record.model_copy(update={name: value})
                    mixed = clean.model_copy(update={"inspections": [*clean.inspections[:k], mixed_record,
                                                                     *clean.inspections[k + 1:]]})
                    assert list(integrity_problems(mixed)) == [], (data["id"], k, name)
                    compared += 1
            # and a field the checks do read, broken, is found
            for name in ("candidate", "completed"):
                mixed = clean.model_copy(update={"inspections": [
                    *clean.inspections[:k], record.model_copy(update={name: getattr(other, name)}), *clean.inspections[k + 1:]]})
                assert list(integrity_problems(mixed)), (data["id"], k, name)
    assert compared > 100, compared


def test_a_notice_changed_only_in_fields_no_check_reads_has_no_new_problem():
    """model/case.py INTEGRITY_RECORD_FIELDS of the appointment notices: every field of a notice
    outside its id, candidate and date, taken from another notice or a broken case's, leaves the whole
    check as it was (the live path then checks nothing of the list: a talk or a number recorded);
    and each of the three named, broken, is found (so the live path must check it)."""
    from cadre_rules.model import AppointmentNotice
    from cadre_rules.model.case import INTEGRITY_RECORD_FIELDS, _decided

    read = INTEGRITY_RECORD_FIELDS["appointments"]
    assert read < set(AppointmentNotice.model_fields)
    compared = broken_found = 0
    for data in _cases():
        clean = _case(data)
        if list(integrity_problems(clean)) or not clean.appointments:
            continue
        others = [n for n in clean.appointments]
        for variant in _broken_variants(data):
            broken_data = copy.deepcopy(data)
            variant(broken_data)
            try:
                others += _case(broken_data).appointments
            except (KeyError, IndexError, ValueError):
                continue
        for k, record in enumerate(clean.appointments):
            def with_notice(notice: Any) -> Case:
                return clean.model_copy(update={"appointments": [*clean.appointments[:k], notice,
                                                                 *clean.appointments[k + 1:]]})
            for name in sorted(set(AppointmentNotice.model_fields) - read):
                for other in others:
                    assert list(integrity_problems(with_notice(record.model_copy(
                        update={name: getattr(other, name)})))) == [], (data["id"], k, name)
                    compared += 1
            decided = _decided(clean)
            breakers = {"candidate": "nobody", "id": clean.appointments[-1 - k].id if len(clean.appointments) > 1 else None,
                        "date": decided[record.candidate] - timedelta(days=30) if record.candidate in decided else None}
            for name, value in breakers.items():
                if value is not None:
                    assert list(integrity_problems(with_notice(record.model_copy(update={name: value})))), (data["id"], name)
                    broken_found += 1
    assert compared > 100 and broken_found > 10, (compared, broken_found)
