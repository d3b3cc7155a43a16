"""A hand-written reference: 16 rules of the national rulebook checked by plain Python on the case model.

Why this exists (issue 18): rules as data pay off only if they cost about what the same checks cost
written by hand. This module is what an embedding system would write instead of using the library:
one function walking the validated `Case` once, with the rules' conditions as `if`s, the three-valued
answers (a value the record does not give makes the verdict `unknown`), the rules' start dates and the
2002 text's calendar-day publicity minimum written in. It uses the library only where a hand-writer
would too: the holiday calendar (working days) and the kinship scope (who must recuse).

It is a benchmark's yardstick, not part of the library: `judge(case)` returns the verdicts
`(rule id, verdict, severity, evidence ids)` in no particular order, and tests/audit/
test_handwritten_reference.py checks that they are exactly the library's verdicts for these rules
(`RULES`) on the examples and on synthetic cases. `benchmarks/bench_audit.py` times it against
the library's derivation + evaluation of the same rules, interleaved.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from cadre_rules.codes import DECIDING_MEETINGS
from cadre_rules.facts import calendar
from cadre_rules.facts.kinship import kinship_graph, within_recusal_scope
from cadre_rules.model import Case
from cadre_rules.model.base import earliest_day

RULES = frozenset({
    "DEC-QUORUM", "DEC-PASS", "DEC-EXPLICIT-VIEW", "DEC-LAST-SPEAKER", "DEC-DISCIPLINE-OBSERVER", "DEC-RECUSAL",
    "DEC-VOTE-METHOD", "DEC-RECORDS", "DIS-NO-RUSH", "MOT-NO-ADHOC", "MOT-VACANCY", "INS-BEFORE-DECISION",
    "INS-TEAM-2", "APT-PUB-5WD", "APT-PUB-WINDOW", "RPT-FILING",
})

U = "unknown"  # a value the record does not give (the library's Unknown)
Verdict = tuple[str, str, str, tuple[str, ...]]

# The first day each rule is in force (its `effective.from`, an edition of its basis in force from then on).
_D2002, _D2006, _D2010, _D2014, _D2019 = (date(2002, 7, 9), date(2006, 4, 6), date(2010, 3, 1), date(2014, 1, 14),
                                         date(2019, 3, 3))
_DR = ("decision", "reconsideration")
_DRF = ("decision", "reconsideration", "full_committee")
_METHODS = ("oral", "hands", "secret")


def _not(x: Any) -> Any:
    return x if x is U else not x


def _workdays(fn: Any, a: date, b: date) -> Any:
    try:
        return fn(a, b)
    except calendar.OutsideCalendar:
        return U


def _emit(out: list[Verdict], rule: str, condition: Any, severity: str, evidence: tuple[str, ...],
          pending: Any = False) -> None:
    if condition is U:
        out.append((rule, "unknown", severity, evidence))
    elif condition:
        if pending is U:
            out.append((rule, "unknown", severity, evidence))
        else:
            out.append((rule, "pending" if pending else "violated", severity, evidence))


def _decisions(case: Case) -> dict[str, date]:
    out: dict[str, date] = {}
    for meeting in sorted((m for m in case.meetings if m.kind in DECIDING_MEETINGS), key=lambda m: m.date):
        for item in meeting.agenda:
            if item.outcome is not None:
                if item.outcome == "adopted":
                    out[item.candidate] = meeting.date
                else:
                    out.pop(item.candidate, None)
    return out


def _as_of(case: Case) -> date:
    if case.as_of:
        return case.as_of
    dates = [case.motion.date] if case.motion else []
    dates += [r.date for r in case.recommendations]
    for i in case.inspections:
        dates.append(i.start)
        if i.completed:
            dates.append(i.completed)
    dates += [m.date for m in case.meetings]
    dates += [p.end or p.start for p in case.publicity]
    dates += [a.date for a in case.appointments]
    dates += [f.date for f in case.filings]
    return max(dates) if dates else max(earliest_day(c.birth_date) for c in case.candidates)


def judge(case: Case) -> list[Verdict]:
    """The verdicts of the rules in RULES on one validated case."""
    out: list[Verdict] = []
    case_id = f"case:{case.id}"
    decisions = _decisions(case)
    graph = kinship_graph(case)
    _meetings(case, graph, out)
    _motion_and_inspections(case, decisions, case_id, out)
    _publicity_and_appointments(case, decisions, case_id, out)
    return out


def _meetings(case: Case, graph: Any, out: list[Verdict]) -> None:
    if not case.meetings:
        return
    principal = None
    roles: dict[str, Any] = {}
    for member in case.body.members:
        roles[member.id] = member.roles
        if principal is None and "principal_leader" in member.roles:
            principal = member.id
    discipline = {m for m, r in roles.items() if "discipline_official" in r}
    motion_date = case.motion.date if case.motion else None
    completed: dict[str, list[date]] = {}
    for ins in case.inspections:
        if ins.completed is not None:
            completed.setdefault(ins.candidate, []).append(ins.completed)
    departure = case.leader_departure
    departure_approved = [r.reply_date for r in case.prior_reports if r.matter == "leader_departure"
                          and r.reply == "approved" and r.reply_date is not None]
    for meeting in case.meetings:
        day, kind = meeting.date, meeting.kind
        if day < _D2002:
            continue
        dr, drf = kind in _DR, kind in _DRF
        due = list(dict.fromkeys(meeting.members_due))
        attendees = set(meeting.attendees)
        attended = [x for x in due if x in attendees]
        nv = meeting.non_voting_attendees
        listed = U if nv is None else any(a.role == "discipline_official" for a in nv)
        records = meeting.records
        for item in meeting.agenda:
            evidence = (f"item:{meeting.id}/{item.id}",)
            if kind == "decision":
                # MOT-NO-ADHOC: added at the meeting, not circulated, or no motion before it
                if day >= _D2010:
                    circulated = U if item.circulated_in_advance is None else item.circulated_in_advance
                    no_motion = motion_date is None or not motion_date < day
                    adhoc = True if item.added_at_meeting else (True if circulated is False else (
                        True if no_motion else (U if circulated is U else False)))
                    _emit(out, "MOT-NO-ADHOC", adhoc, "violation", evidence)
                # INS-BEFORE-DECISION: an inspection of the candidate completed before the meeting
                if day >= _D2014 and not any(c < day for c in completed.get(item.candidate, ())):
                    out.append(("INS-BEFORE-DECISION", "violated", "violation", evidence))
            if not drf:
                continue
            vote = item.vote
            if day >= _D2014:
                bundled = vote is not None and not vote.per_candidate
                if bundled or (vote is not None and vote.method not in _METHODS):
                    out.append(("DEC-VOTE-METHOD", "violated", "violation" if bundled else "warning", evidence))
                minutes = bool(records and records.minutes)
                discussion = bool(records and records.discussion_record)
                if not minutes or not discussion or not (records and records.signed_by_chair and records.signed_by_recorder):
                    out.append(("DEC-RECORDS", "violated", "warning" if minutes and discussion else "violation", evidence))
            if not dr:
                continue
            present = [x for x in attended if x not in item.departed and x not in item.recused]
            # DEC-QUORUM: two thirds of the members due present (departed and recused not counted)
            if len(present) * 3 < len(due) * 2:
                out.append(("DEC-QUORUM", "violated", "violation", evidence))
            statements = item.statements
            views: dict[str, Any] = {}
            last = last_order = None
            for s in statements or ():
                views[s.member] = s.view
                if last_order is None or s.order >= last_order:
                    last, last_order = s.member, s.order
            # DEC-PASS: more than half of the members due in favour
            if item.outcome == "adopted":
                yes = vote.agree if vote else (U if statements is None else
                                               sum(1 for x in present if views.get(x) == "agree"))
                _emit(out, "DEC-PASS", U if yes is U else yes * 2 <= len(due), "violation", evidence)
            if day >= _D2014:
                # DEC-EXPLICIT-VIEW: everyone present agrees, disagrees or defers
                silent = U if statements is None else any(views.get(x) in (None, "unclear") for x in present)
                _emit(out, "DEC-EXPLICIT-VIEW", silent, "violation", evidence)
                # DEC-RECUSAL: neither the candidate nor a relative in the scope present
                if any(within_recusal_scope(graph, x, item.candidate) for x in present):
                    out.append(("DEC-RECUSAL", "violated", "violation", evidence))
            # DEC-LAST-SPEAKER: the principal leader, when present, speaks last
            if day >= _D2019 and principal is not None and principal in present:
                spoke_last = U if statements is None else (last == principal if principal in views else None)
                _emit(out, "DEC-LAST-SPEAKER", spoke_last if spoke_last is U else spoke_last is False, "violation",
                      evidence)
            # DEC-DISCIPLINE-OBSERVER: a discipline official present or listed as attending without a vote
            if day >= _D2006 and discipline.isdisjoint(present):
                _emit(out, "DEC-DISCIPLINE-OBSERVER", _not(listed), "warning", evidence)
            # DIS-NO-RUSH: no appointment while the principal leader's departure is settled, unless approved
            if (departure is not None and day >= _D2010 and item.outcome == "adopted" and departure.decided <= day
                    and (departure.left is None or day < departure.left)
                    and not any(r < day for r in departure_approved)):
                out.append(("DIS-NO-RUSH", "violated", "violation", (evidence[0], f"departure:{departure.leader}")))


def _motion_and_inspections(case: Case, decisions: dict[str, date], case_id: str, out: list[Verdict]) -> None:
    # MOT-VACANCY: within the quota, or with the superior's approval to exceed it
    if decisions:
        first = min(decisions.values())
        post = case.post
        if first >= _D2010 and post.incumbents + len(decisions) > post.quota and not any(
                r.matter == "over_quota" and r.reply == "approved" and r.reply_date is not None and r.reply_date < first
                for r in case.prior_reports):
            out.append(("MOT-VACANCY", "violated", "violation", (case_id,)))
    # INS-TEAM-2: at least two inspectors
    for ins in case.inspections:
        if ins.start >= _D2014 and len(ins.team) < 2:
            out.append(("INS-TEAM-2", "violated", "violation", (f"inspection:{ins.id}",)))


def _publicity_and_appointments(case: Case, decisions: dict[str, date], case_id: str, out: list[Verdict]) -> None:
    as_of = _as_of(case)
    in_progress = case.status == "open"
    publicity = case.publicity
    # APT-PUB-5WD: five working days (2014 and 2019 texts), seven calendar days (2002 text)
    for pub in publicity:
        start, end = pub.start, pub.end
        if start < _D2002:
            continue
        evidence = (f"publicity:{pub.id}", case_id)
        if end is None or end > as_of:
            _emit(out, "APT-PUB-5WD", True, "violation", evidence, pending=in_progress)
        elif start < _D2014:
            if (end - start).days + 1 < 7:
                out.append(("APT-PUB-5WD", "violated", "violation", evidence))
        else:
            days = _workdays(calendar.working_days_inclusive, start, end)
            _emit(out, "APT-PUB-5WD", U if days is U else days < 5, "violation", evidence)
    if not case.appointments:
        return
    promotion = case.move == "promotion"
    brk = case.breakthrough
    breakthrough = bool(brk and (brk.basis or brk.items or brk.skip_level))
    first_filing: dict[str, date] = {}
    for f in case.filings:
        if f.candidate not in first_filing or f.date < first_filing[f.candidate]:
            first_filing[f.candidate] = f.date
    filing_required = case.post.filing_required
    for notice in case.appointments:
        day, candidate = notice.date, notice.candidate
        if day < _D2014:
            continue
        evidence = (f"appointment:{notice.id}", case_id)
        # APT-PUB-WINDOW: a publicity between the decision and the notice; a 破格 one states its ground
        if promotion:
            own = [p for p in publicity if p.candidate == candidate]
            if own:
                decided = decisions.get(candidate)
                in_window = any(p.end is not None and p.end < day and (decided is None or p.start >= decided)
                                for p in own)
                if not in_window or (breakthrough and not any(p.breakthrough_statement for p in own)):
                    out.append(("APT-PUB-WINDOW", "violated", "violation", evidence))
        # RPT-FILING: filed within seven working days of the notice
        if filing_required:
            filed = first_filing.get(candidate)
            if filed is None:
                late = True
                pending = in_progress and _le(_workdays(calendar.working_days_after, day, as_of), 7)
            else:
                late = _gt(_workdays(calendar.working_days_after, day, filed), 7)
                pending = False
            _emit(out, "RPT-FILING", late, "warning", evidence, pending=pending)


def _gt(x: Any, n: int) -> Any:
    return U if x is U else x > n


def _le(x: Any, n: int) -> Any:
    return U if x is U else x <= n


__all__ = ["RULES", "judge"]
