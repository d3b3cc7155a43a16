"""A case, turned into flat facts: the one home of the domain's arithmetic.

Rules never count people, days or years themselves: they compare the numbers this module derives
(present members, members due, working days, who spoke last) with thresholds in the rule files.
Each fact is a plain dict with an `id` (used as evidence) and a `path` (where in the case file it
comes from). A value that cannot be derived honestly (a date outside the holiday data) is an
`Unknown` carrying the reason and the field path; rules that depend on it say "cannot evaluate".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable

from . import calendar
from .kinship import kinship_graph, within_recusal_scope
from .model import Case, MeetingKind, MoveKind, Role, View

Fact = dict[str, Any]
FactSet = dict[str, list[Fact]]


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be derived; `reason` (English) and `reason_zh` name the field and why."""

    reason: str
    reason_zh: str = ""

    def __str__(self) -> str:
        return f"<unknown: {self.reason}>"


@dataclass(frozen=True)
class FieldType:
    """The type of a fact field as the rule language sees it."""

    kind: str  # str | int | num | bool | date | list
    nullable: bool = False
    may_be_unknown: bool = False
    doc: str = ""


def _f(kind: str, doc: str = "", *, null: bool = False, unknown: bool = False) -> FieldType:
    return FieldType(kind, null, unknown, doc)


_COMMON = {"id": _f("str", "stable id of the fact, used as evidence"), "path": _f("str", "where the fact comes from in the case file")}

# The fact schema: what rule files may refer to. Loading a rulebook checks every field against it.
SCHEMA: dict[str, dict[str, FieldType]] = {
    "case": {
        **_COMMON,
        "jurisdiction": _f("str"),
        "move": _f("str", "promotion | further_use | lateral_transfer | rotation"),
        "is_promotion": _f("bool"),
        "in_progress": _f("bool", "the case is open (unfinished)"),
        "as_of": _f("date", "date the record is complete to (the last recorded act of a closed case)"),
        "quota": _f("int", "approved posts (职数)"),
        "incumbents": _f("int", "holders before this case"),
        "adopted": _f("int", "candidates adopted at decision meetings"),
        "holders_after": _f("int", "incumbents + adopted"),
        "first_decision": _f("date", "date of the first adopted decision", null=True),
    },
    "candidate": {
        **_COMMON,
        "name": _f("str"),
        "birth_date": _f("date"),
        "current_level": _f("str", null=True),
        "age": _f("int", "full years of age at the first decision (or as_of)"),
        "work_years": _f("int", "full years since starting work (工龄), at the same date", null=True),
        "years_in_level": _f("int", "full years at the current level (任职年限), at the same date", null=True),
        "grassroots_years": _f("int", "full years of grassroots posts in the work history", null=True),
    },
    "motion": {**_COMMON, "date": _f("date"), "reported_to_principal": _f("date", null=True), "intended_candidates": _f("list")},
    "recommendation": {
        **_COMMON,
        "recommendation": _f("str", "id of the recommendation round"),
        "candidate": _f("str"),
        "form": _f("str", "meeting | talk"),
        "date": _f("date"),
        "votes": _f("int"),
    },
    "inspection": {
        **_COMMON,
        "candidate": _f("str"),
        "start": _f("date"),
        "completed": _f("date", null=True),
        "team_size": _f("int"),
        "team_leaders": _f("int"),
        "file_review_date": _f("date", null=True),
        "file_review_outcome": _f("str", "clear | resolved | open | concealment", null=True),
        "personal_matters_date": _f("date", null=True),
        "personal_matters_outcome": _f("str", null=True),
        "discipline_opinion_date": _f("date", null=True),
        "discipline_opinion_outcome": _f("str", null=True),
        "petition_check_date": _f("date", null=True),
        "petition_check_outcome": _f("str", null=True),
        "integrity_date": _f("date", null=True),
        "integrity_cosigned": _f("bool", "signed by both the secretary and the discipline head"),
    },
    "petition": {
        **_COMMON,
        "candidate": _f("str"),
        "inspection": _f("str"),
        "received": _f("date"),
        "specific": _f("bool", "specific and checkable"),
        "closed": _f("date", null=True),
    },
    "item": {
        **_COMMON,
        "meeting": _f("str"),
        "kind": _f("str", "decision | reconsideration | secretaries | department"),
        "date": _f("date"),
        "candidate": _f("str"),
        "circulated": _f("bool", "circulated with the agenda before the meeting"),
        "added_at_meeting": _f("bool"),
        "members_due": _f("int", "N: all sitting members due to attend (应到会成员)"),
        "attendees": _f("int", "members due who attended the meeting"),
        "present": _f("int", "members due present for this item, excluding those who left or recused"),
        "present_incl_recused": _f("int", "as present, but counting recused members (open issue O4)"),
        "yes": _f("int", "votes in favour; without a recorded vote, the members stating agree"),
        "no": _f("int"),
        "abstain": _f("int", null=True),
        "vote_method": _f("str", null=True),
        "outcome": _f("str", "adopted | rejected | deferred", null=True),
        "silent_members": _f("list", "present, non-recused members without an explicit view"),
        "silent_count": _f("int"),
        "principal": _f("str", "the principal leader's member id", null=True),
        "principal_present": _f("bool", "present for this item and not recused"),
        "principal_spoke_last": _f("bool", "null when the principal stated no view", null=True),
        "last_speaker": _f("str", null=True),
        "discipline_observer": _f("bool", "a discipline official was there for this item (member present and not recused, or non-voting)"),
        "unrecused_relatives": _f("list", "present members who are the candidate or a relative in scope, not recused"),
        "unrecused_count": _f("int"),
    },
    "publicity": {
        **_COMMON,
        "candidate": _f("str"),
        "start": _f("date"),
        "end": _f("date", null=True),
        "working_days": _f("int", "working days in [start, end]", null=True, unknown=True),
        "calendar_days": _f("int", "calendar days in [start, end]", null=True),
        "open_objections": _f("int"),
        "blocking_objections": _f("int", "objections found to affect the appointment"),
    },
    "appointment": {
        **_COMMON,
        "candidate": _f("str"),
        "date": _f("date", "date of the appointment notice"),
        "decision_date": _f("date", "date of the adopted decision", null=True),
        "filing_required": _f("bool"),
        "filing_date": _f("date", null=True),
        "workdays_to_filing": _f("int", "working days after the notice until filing", null=True, unknown=True),
        "workdays_to_as_of": _f("int", "working days after the notice until as_of", unknown=True),
    },
    "prior_report": {
        **_COMMON,
        "matter": _f("str"),
        "submitted": _f("date"),
        "reply_date": _f("date", null=True),
        "reply": _f("str", "approved | rejected", null=True),
    },
    "departure": {**_COMMON, "leader": _f("str"), "decided": _f("date"), "left": _f("date", null=True)},
}


def anniversary(start: date, years: int) -> date:
    """The date `years` after `start`; a 29 February start falls on 28 February in common years
    (民法典 Art 202: without a corresponding day, the last day of the month ends the period)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def full_years(start: date, end: date) -> int:
    """Completed years from start to end, counted by anniversary (足年): 0 if end is before the first one."""
    if end < start:
        return 0
    years = end.year - start.year
    while years > 0 and anniversary(start, years) > end:
        years -= 1
    return years


def day_ordinal(day: date) -> int:
    """Days since 0001-01-01: dates as plain integers, for engines that compare numbers only."""
    return day.toordinal()


def _days(fn: Callable[[date, date], int], path: str, start: date, end: date) -> int | Unknown:
    try:
        return fn(start, end)
    except calendar.OutsideCalendar as exc:
        first, last = calendar.coverage()
        return Unknown(f"{path}: {exc}", f"{path}：{exc.day.isoformat()} 超出节假日数据范围（{first}—{last}年）")


def derive_facts(case: Case) -> FactSet:
    """All facts of a case, each type in the case file's order (deterministic)."""
    facts: FactSet = {name: [] for name in SCHEMA}
    decisions = _adopted_decisions(case)
    as_of = case.as_of or _last_recorded_date(case)
    facts["case"].append({
        "id": f"case:{case.id}", "path": "", "jurisdiction": case.jurisdiction, "move": case.move.value,
        "is_promotion": case.move is MoveKind.promotion, "in_progress": case.status == "open", "as_of": as_of,
        "quota": case.post.quota, "incumbents": case.post.incumbents, "adopted": len(decisions),
        "holders_after": case.post.incumbents + len(decisions),
        "first_decision": min(decisions.values()) if decisions else None,
    })
    judged_on = min(decisions.values()) if decisions else as_of
    for i, c in enumerate(case.candidates):
        facts["candidate"].append({
            "id": f"candidate:{c.id}", "path": f"candidates[{i}]", "name": c.name, "birth_date": c.birth_date,
            "current_level": c.current_level.value if c.current_level else None,
            "age": full_years(c.birth_date, judged_on),
            "work_years": full_years(c.work_start_date, judged_on) if c.work_start_date else None,
            "years_in_level": full_years(c.current_since, judged_on) if c.current_since else None,
            "grassroots_years": _grassroots_years(c, judged_on) if c.work_history else None,
        })
    if case.motion:
        facts["motion"].append({"id": "motion", "path": "motion", "date": case.motion.date,
                                "reported_to_principal": case.motion.reported_to_principal,
                                "intended_candidates": list(case.motion.intended_candidates)})
    for r, rec in enumerate(case.recommendations):
        for k, res in enumerate(rec.results):
            facts["recommendation"].append({"id": f"recommendation:{rec.id}/{res.candidate}", "path": f"recommendations[{r}].results[{k}]",
                                            "recommendation": rec.id, "candidate": res.candidate, "form": rec.form,
                                            "date": rec.date, "votes": res.votes})
    for n, ins in enumerate(case.inspections):
        facts["inspection"].append(_inspection_fact(n, ins))
        for p, pet in enumerate(ins.petitions):
            facts["petition"].append({"id": f"petition:{ins.id}/{pet.id}", "path": f"inspections[{n}].petitions[{p}]",
                                      "candidate": ins.candidate, "inspection": ins.id, "received": pet.received,
                                      "specific": pet.specific, "closed": pet.closed})
    graph = kinship_graph(case)
    principal = next((m.id for m in case.body.members if Role.principal_leader in m.roles), None)
    disciplinary = {m.id for m in case.body.members if Role.discipline_official in m.roles}
    for m, meeting in enumerate(case.meetings):
        for a, item in enumerate(meeting.agenda):
            facts["item"].append(_item_fact(case, m, meeting, a, item, graph, principal, disciplinary))
    for p, pub in enumerate(case.publicity):
        path = f"publicity[{p}]"
        facts["publicity"].append({
            "id": f"publicity:{pub.id}", "path": path, "candidate": pub.candidate, "start": pub.start, "end": pub.end,
            "working_days": _days(calendar.working_days_inclusive, f"{path}.start/end", pub.start, pub.end) if pub.end else None,
            "calendar_days": (pub.end - pub.start).days + 1 if pub.end else None,
            "open_objections": sum(1 for o in pub.objections if o.resolved is None),
            "blocking_objections": sum(1 for o in pub.objections if o.affects_appointment),
        })
    filings = {f.candidate: f for f in sorted(case.filings, key=lambda f: f.date)}
    for a, notice in enumerate(case.appointments):
        path = f"appointments[{a}]"
        filing = filings.get(notice.candidate)
        facts["appointment"].append({
            "id": f"appointment:{notice.id}", "path": path, "candidate": notice.candidate, "date": notice.date,
            "decision_date": decisions.get(notice.candidate), "filing_required": case.post.filing_required,
            "filing_date": filing.date if filing else None,
            "workdays_to_filing": _days(calendar.working_days_after, f"{path}.date/filings", notice.date, filing.date) if filing else None,
            "workdays_to_as_of": _days(calendar.working_days_after, f"{path}.date/as_of", notice.date, as_of),
        })
    for r, rep in enumerate(case.prior_reports):
        facts["prior_report"].append({"id": f"prior_report:{rep.id}", "path": f"prior_reports[{r}]", "matter": rep.matter,
                                      "submitted": rep.submitted, "reply_date": rep.reply_date, "reply": rep.reply})
    if case.leader_departure:
        dep = case.leader_departure
        facts["departure"].append({"id": f"departure:{dep.leader}", "path": "leader_departure", "leader": dep.leader,
                                   "decided": dep.decided, "left": dep.left})
    return facts


def _grassroots_years(candidate, until: date) -> int:
    """Full years of grassroots experience: the grassroots posts' days added up, then counted as years
    of 365 days (periods are rarely whole years; the catalogue leaves the exact convention open)."""
    days = 0
    for post in candidate.work_history:
        if post.grassroots and post.start <= until:
            days += ((min(post.end, until) if post.end else until) - post.start).days + 1
    return days // 365


def _inspection_fact(n: int, ins) -> Fact:
    def check(name: str) -> tuple[date | None, str | None]:
        c = getattr(ins, name)
        return (c.date, c.outcome.value) if c else (None, None)

    fr, pm, do, pc = (check(k) for k in ("file_review", "personal_matters", "discipline_opinion", "petition_check"))
    ic = ins.integrity_conclusion
    return {
        "id": f"inspection:{ins.id}", "path": f"inspections[{n}]", "candidate": ins.candidate,
        "start": ins.start, "completed": ins.completed, "team_size": len(ins.team),
        "team_leaders": sum(1 for t in ins.team if t.role == "leader"),
        "file_review_date": fr[0], "file_review_outcome": fr[1],
        "personal_matters_date": pm[0], "personal_matters_outcome": pm[1],
        "discipline_opinion_date": do[0], "discipline_opinion_outcome": do[1],
        "petition_check_date": pc[0], "petition_check_outcome": pc[1],
        "integrity_date": ic.date if ic else None,
        "integrity_cosigned": bool(ic and ic.signed_by_secretary and ic.signed_by_discipline_head),
    }


def _item_fact(case: Case, m: int, meeting, a: int, item, graph, principal: str | None, disciplinary: set[str]) -> Fact:
    due = list(dict.fromkeys(meeting.members_due))
    attended = [x for x in due if x in set(meeting.attendees)]
    for_item = [x for x in attended if x not in set(item.departed)]
    present = [x for x in for_item if x not in set(item.recused)]
    views = {s.member: s for s in item.statements}
    silent = [x for x in present if x not in views or views[x].view is View.unclear]
    ordered = sorted(item.statements, key=lambda s: s.order)
    last = ordered[-1].member if ordered else None
    principal_present = principal is not None and principal in present
    spoke_last = None
    if principal_present and principal in views:
        spoke_last = last == principal
    # A discipline official who left before the item or recused was not there to observe it.
    observer = any(nv.role == "discipline_official" for nv in meeting.non_voting_attendees) or any(
        x in disciplinary for x in present)
    unrecused = [x for x in for_item if x not in set(item.recused) and within_recusal_scope(graph, x, item.candidate)]
    vote = item.vote
    return {
        "id": f"item:{meeting.id}/{item.id}", "path": f"meetings[{m}].agenda[{a}]", "meeting": meeting.id,
        "kind": meeting.kind.value, "date": meeting.date, "candidate": item.candidate,
        "circulated": item.circulated_in_advance, "added_at_meeting": item.added_at_meeting,
        "members_due": len(due), "attendees": len(attended), "present": len(present),
        "present_incl_recused": len(for_item),
        # Without a recorded count, the explicit views are the (oral) vote.
        "yes": vote.yes if vote else sum(1 for x in present if x in views and views[x].view is View.agree),
        "no": vote.no if vote else sum(1 for x in present if x in views and views[x].view is View.disagree), "abstain": vote.abstain if vote else None,
        "vote_method": vote.method if vote else None, "outcome": item.outcome.value if item.outcome else None,
        "silent_members": silent, "silent_count": len(silent), "principal": principal,
        "principal_present": principal_present, "principal_spoke_last": spoke_last, "last_speaker": last,
        "discipline_observer": observer, "unrecused_relatives": unrecused, "unrecused_count": len(unrecused),
    }


def _adopted_decisions(case: Case) -> dict[str, date]:
    """Candidate → date of the adopted decision (the latest, if reconsidered)."""
    out: dict[str, date] = {}
    for meeting in sorted(case.meetings, key=lambda mt: mt.date):
        if meeting.kind in (MeetingKind.decision, MeetingKind.reconsideration):
            for item in meeting.agenda:
                if item.outcome is not None:
                    if item.outcome.value == "adopted":
                        out[item.candidate] = meeting.date
                    else:
                        out.pop(item.candidate, None)
    return out


def _last_recorded_date(case: Case) -> date:
    """For a closed case without as_of: the date of its last recorded act (never the wall clock)."""
    return max(_all_dates(case), default=max(c.birth_date for c in case.candidates))


def _all_dates(case: Case) -> Iterable[date]:
    if case.motion:
        yield case.motion.date
    yield from (r.date for r in case.recommendations)
    for i in case.inspections:
        yield i.start
        if i.completed:
            yield i.completed
    yield from (m.date for m in case.meetings)
    for p in case.publicity:
        yield p.end or p.start
    yield from (a.date for a in case.appointments)
    yield from (f.date for f in case.filings)
