"""Building a case the way the staff describe it: "the body has 9 members", "6 attended", "the principal
leader did not speak last".

A `CaseBuilder` holds a `Case` (the public pydantic model) and changes it with `model_copy(update=...)`
or by constructing new records; it never edits dicts or JSON. Each method changes only what it is
about and keeps the rest of the case as it was, so a scenario that starts from the compliant baseline
and changes one thing tests exactly that thing.

Two things are kept consistent for the writer:

* The decision meeting's statements and vote are derived from a small plan — who is present, each
  member's view (default: agree), who stays silent, whether the principal leader speaks last — and
  are rebuilt whenever the plan changes. A vote is recorded as the members' views (yes = agree,
  no = disagree, and every other member present abstains: deferring, unclear or silent).
* Setting the meeting date moves the whole case in time (every date, birth dates included, so that
  intervals and ages stay the same) and then lays publicity, appointment notice and filing out again
  after the meeting, with a publicity of 21 calendar days: long enough for five working days across
  any holiday. Set the meeting date before the publicity, notice or filing dates.

The builder does not validate: `SpecContext` validates the finished case through `validate_case`,
exactly as a case file is validated, so an impossible case fails the scenario with the field named.

Who owns what in the test tooling (tests/testing/test_one_case_builder.py keeps it so):

* testing/records.py builds every record of a case — meeting, agenda item, how views become the
  speaking order, statements and vote, publicity, appointment notice, filing, recommendation round,
  inspection and its checks, prior report, submission — as case-file data. This builder validates that
  data into models (`Model.model_validate(records.x(...))`); synth, its draft and its breakers use the
  data as it is; the baseline (testing/baseline.py) is built from it too.
* This module decides *what* a scenario's words change in a model-level case (the meeting plan, moving
  the case in time, laying out publicity, notice and filing after the meeting).
* testing/synth.py and testing/draft.py decide what a random case looks like (the plan, the schedule,
  the drawn views); testing/breakers/ how each rule is broken. Neither builds a record itself.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel

from cadre_rules.codes import NON_LEADING_LEVELS, RecommendationForm
from cadre_rules.model import (
    AppointmentNotice,
    Case,
    Check,
    CheckOutcome,
    Filing,
    Inspection,
    IntegrityConclusion,
    Kinship,
    LeaderDeparture,
    Level,
    Meeting,
    MeetingKind,
    Motion,
    MoveKind,
    NonVotingAttendee,
    Objection,
    Outcome,
    Petition,
    PriorReport,
    Publicity,
    Recommendation,
    RecommendationResult,
    Relation,
    Role,
    Sanction,
    Statement,
    TeamMember,
    View,
    Vote,
)
from cadre_rules.facts.derive import SUBMISSION_DOCS
from cadre_rules.errors import CaseBuildError
from cadre_rules.facts.periods import anniversary
from cadre_rules.model.base import AttestationKind, Grade
from cadre_rules.model.case import Attestation, Breakthrough, CanvassingFinding, Colleague, Consultation, Nomination, RelativeBusiness, Submission
from cadre_rules.model.people import Appraisal, Candidate, Post, Training
from cadre_rules.model.steps import InspectionReport, MeetingRecords, Precheck, Probation, Talk, TargetDecision
from cadre_rules.testing import records
from cadre_rules.testing.baseline import baseline_case, make_members

DAY = timedelta(days=1)
#: Publicity laid out after a moved meeting: starts 3 days later and runs 21 calendar days.
PUBLICITY_GAP, PUBLICITY_SPAN = 3, 21
#: A meeting further than this before a publicity set by a step is moved to just before it.
MEETING_TO_PUBLICITY = timedelta(days=30)


def shift_dates(value: Any, delta: timedelta) -> Any:
    """Every date inside a model (recursively) moved by `delta`; free-form `meta` is left alone."""
    if isinstance(value, date):
        return value + delta
    if isinstance(value, BaseModel):
        return value.model_copy(update={name: shift_dates(getattr(value, name), delta)
                                        for name in type(value).model_fields if name != "meta"})
    if isinstance(value, list):
        return [shift_dates(v, delta) for v in value]
    return value


def _motion_dates(motion: Motion) -> list[date]:
    return [d for d in (motion.date, motion.analysis_date, motion.reported_to_principal, motion.work_plan_date,
                        *motion.consultation_dates) if d is not None]


class CaseBuilder:
    """A case under construction; `case` is the current `Case`."""

    def __init__(self, case: Case | None = None) -> None:
        self._case = case if case is not None else baseline_case()
        self.version = 0
        self.views: dict[str, View] = {}
        self.silent: set[str] = set()
        self.principal_first = False
        #: The principal leader shares the last speaking order with the member before: "after" (listed
        #: after that member) or "before" (listed before); None: every order differs.
        self.principal_tie: str | None = None
        self.related_member: str | None = None
        #: A ballot recorded apart from the stated views (yes, no, abstain), e.g. a secret ballot.
        self.ballot: tuple[int, int, int] | None = None
        #: The candidate the steps act on when not the first (see `focus_on_other`).
        self.focus: str | None = None
        self._adopt_meeting_plan()

    @classmethod
    def from_file(cls, path: str | Path) -> "CaseBuilder":
        """Start from a case file (validated as `cadre-rules audit` validates it)."""
        from cadre_rules import load_case

        return cls(load_case(path))

    # --- plumbing -------------------------------------------------------------------------------

    @property
    def case(self) -> Case:
        return self._case

    def replace(self, **changes: Any) -> "CaseBuilder":
        """Set top-level fields of the case (model_copy with update)."""
        self._case = self._case.model_copy(update=changes)
        self.version += 1
        return self

    @property
    def candidate(self) -> str:
        """The candidate the steps act on: the case's first candidate, unless `focus_on_other` moved on."""
        return self.focus or self._case.candidates[0].id

    def focus_on_other(self, inspected: bool = True) -> str:
        """Let the following steps act on another candidate (added if needed, and inspected as the
        first one was when `inspected`), e.g. a second inspection target who is not decided on — to
        show that a rule joins its facts on the candidate."""
        first = self._case.candidates[0].id
        if inspected:
            if len({i.candidate for i in self._case.inspections}) < 2:
                self.add_targets(1)
            other = next(i.candidate for i in self._case.inspections if i.candidate != first)
        else:
            other = self.ensure_candidates(2)[1]
        self.focus = other
        self.version += 1
        return other

    def _members_with(self, role: Role) -> list[str]:
        return [m.id for m in self._case.body.members if role in m.roles]

    @property
    def principal(self) -> str | None:
        found = self._members_with(Role.principal_leader)
        return found[0] if found else None

    def _meeting_index(self) -> int:
        meetings = self._case.meetings
        if not meetings:
            raise CaseBuildError("the case has no meeting (案例中没有讨论决定会议)")
        decisions = [i for i, m in enumerate(meetings) if m.kind in (MeetingKind.decision, MeetingKind.reconsideration)]
        return decisions[-1] if decisions else len(meetings) - 1

    @property
    def meeting(self) -> Meeting:
        return self._case.meetings[self._meeting_index()]

    def _item_index(self, meeting: Meeting) -> int:
        if not meeting.agenda:
            raise CaseBuildError(f"meeting {meeting.id} has no agenda item (会议没有议题)")
        for i, item in enumerate(meeting.agenda):
            if item.candidate == self.candidate:
                return i
        return 0

    @property
    def item(self):
        meeting = self.meeting
        return meeting.agenda[self._item_index(meeting)]

    def _set_meeting(self, meeting: Meeting) -> None:
        meetings = list(self._case.meetings)
        meetings[self._meeting_index()] = meeting
        self.replace(meetings=meetings)

    def _update_meeting(self, **changes: Any) -> None:
        self._set_meeting(self.meeting.model_copy(update=changes))
        self._sync_statements()

    def _update_item(self, **changes: Any) -> None:
        meeting = self.meeting
        agenda = list(meeting.agenda)
        index = self._item_index(meeting)
        agenda[index] = agenda[index].model_copy(update=changes)
        self._set_meeting(meeting.model_copy(update={"agenda": agenda}))
        self._sync_statements()

    def _records(self, field: str) -> list[Any]:
        return list(getattr(self._case, field))

    def _for_candidate(self, records: Iterable[Any]) -> list[int]:
        return [i for i, r in enumerate(records) if getattr(r, "candidate", None) == self.candidate]

    @property
    def meeting_date(self) -> date:
        return self.meeting.date

    # --- the meeting plan -----------------------------------------------------------------------

    def _adopt_meeting_plan(self) -> None:
        """Read the plan (views, silence, speaking order) from the case's decision meeting, if any."""
        if not self._case.meetings or not self.meeting.agenda:
            return
        item, meeting = self.item, self.meeting
        self.views = {s.member: s.view for s in item.statements}
        spoke = {s.member for s in item.statements}
        self.silent = {m for m in meeting.attendees if m not in spoke}
        ordered = sorted(item.statements, key=lambda s: s.order)
        principal = self.principal
        self.principal_first = bool(ordered and principal in spoke and ordered[-1].member != principal)

    def present(self) -> list[str]:
        """Members due who attend and are present for the item (not departed, not recused), in body order."""
        meeting, item = self.meeting, self.item
        attending, gone = set(meeting.attendees), set(item.departed) | set(item.recused)
        due = set(meeting.members_due)
        return [m.id for m in self._case.body.members if m.id in due and m.id in attending and m.id not in gone]

    def _sync_statements(self) -> None:
        """Rebuild the item's statements and vote from the plan."""
        item, principal = self.item, self.principal
        present = self.present()
        speaking = [m for m in present if m not in self.silent]
        opener = item.presenter if item.presenter in speaking and item.presenter != principal else None
        said, counted = records.discussion(
            [m for m in speaking if m not in (principal, opener)], principal if principal in speaking else None, opener,
            "first" if self.principal_first else "last", {m: self.views.get(m, View.agree) for m in speaking},
            len(present), item.vote.method if item.vote else "hands", self.ballot,
            item.vote.per_candidate if item.vote else True)
        statements = [Statement.model_validate(s) for s in said]
        if self.principal_tie and len(statements) >= 2 and statements[-1].member == principal:
            # two statements share a speaking order; the principal listed after (or before) the other
            other, chief = statements[-2], statements[-1].model_copy(update={"order": statements[-2].order})
            statements[-2:] = [other, chief] if self.principal_tie == "after" else [chief, other]
        vote = Vote.model_validate(counted)
        meeting = self.meeting
        agenda = list(meeting.agenda)
        index = self._item_index(meeting)
        agenda[index] = item.model_copy(update={"statements": statements, "vote": vote})
        self._set_meeting(meeting.model_copy(update={"agenda": agenda}))

    def _ordinary_present(self, count: int, purpose: str, exclude: Iterable[str] = ()) -> list[str]:
        """`count` present members without a leading role (not principal, presenter, organisation or
        discipline lead), taken from the end of the member list."""
        special = set(self._members_with(Role.principal_leader)) | set(self._members_with(Role.organisation_lead))
        special |= set(self._members_with(Role.discipline_official)) | {self.item.presenter} | set(exclude)
        pool = [m for m in reversed(self.present()) if m not in special]
        if len(pool) < count:
            raise CaseBuildError(f"only {len(pool)} ordinary members are present, {count} needed to {purpose} "
                                 f"(到会的普通成员只有 {len(pool)} 人)")
        return pool[:count]

    # --- the deciding body and attendance ---------------------------------------------------------

    def set_body(self, size: int, kind: str | None = None, name: str | None = None) -> "CaseBuilder":
        """The body has `size` members (1st principal leader, 3rd organisation lead, 4th discipline
        official); all of them are due and, until told otherwise, present."""
        if size < 1:
            raise CaseBuildError("a body has at least one member")
        members = make_members(size)
        ids = [m.id for m in members]
        body = self._case.body.model_copy(update={"members": members, **({"kind": kind} if kind else {}),
                                                  **({"name": name} if name else {})})
        people = set(ids) | {c.id for c in self._case.candidates} | {
            t.person for i in self._case.inspections for t in i.team if t.person}
        relations = [r for r in self._case.relations if r.person in people and r.relative in people]
        changes: dict[str, Any] = {"body": body, "relations": relations}
        if self._case.leader_departure is not None:
            changes["leader_departure"] = self._case.leader_departure.model_copy(update={"leader": ids[0]})
        self.replace(**changes)
        self.views, self.silent, self.principal_first, self.related_member = {}, set(), False, None
        self.ballot = None
        presenter = next((m.id for m in members if Role.organisation_lead in m.roles), None)
        meeting = self.meeting
        agenda = [a.model_copy(update={"departed": [], "recused": [], "statements": [], "vote": None,
                                       "presenter": presenter if a.presenter else None}) for a in meeting.agenda]
        self._set_meeting(meeting.model_copy(update={"members_due": ids, "attendees": ids, "chair": ids[0],
                                                     "agenda": agenda}))
        self._sync_statements()
        return self

    def set_attendance(self, count: int) -> "CaseBuilder":
        """`count` of the members due attend: the principal leader, the organisation lead and the
        discipline official first, the others in member order; the last members are absent."""
        meeting = self.meeting
        due = list(meeting.members_due)
        if count > len(due):
            raise CaseBuildError(f"{count} present but only {len(due)} members are due (到会人数超过应到会成员)")
        first = [m for role in (Role.principal_leader, Role.organisation_lead, Role.discipline_official)
                 for m in self._members_with(role) if m in due]
        priority = list(dict.fromkeys(first + due))
        chosen = set(priority[:count])
        attendees = [m for m in due if m in chosen]
        item = self.item
        agenda = list(meeting.agenda)
        index = self._item_index(meeting)
        agenda[index] = item.model_copy(update={"departed": [m for m in item.departed if m in chosen],
                                                "recused": [m for m in item.recused if m in chosen]})
        self._update_meeting(attendees=attendees, agenda=agenda)
        return self

    def principal_absent(self) -> "CaseBuilder":
        principal = self.principal
        meeting = self.meeting
        attendees = [m for m in meeting.attendees if m != principal]
        chair = meeting.chair if meeting.chair != principal else (attendees[0] if attendees else None)
        self._update_meeting(attendees=attendees, chair=chair)
        return self

    def discipline_absent(self) -> "CaseBuilder":
        """No discipline official at the meeting: not as a member, not as a non-voting attendee."""
        discipline = set(self._members_with(Role.discipline_official))
        meeting = self.meeting
        self._update_meeting(attendees=[m for m in meeting.attendees if m not in discipline],
                             non_voting_attendees=[a for a in meeting.non_voting_attendees
                                                   if a.role != "discipline_official"])
        return self

    def add_observers(self, count: int, role: str = "other", name: str = "列席人员") -> "CaseBuilder":
        """Non-voting attendees (列席): they never count toward the quorum."""
        meeting = self.meeting
        extra = [NonVotingAttendee.model_validate(records.non_voting(name if count == 1 else f"{name}{i + 1}", role))
                 for i in range(count)]
        self._update_meeting(non_voting_attendees=list(meeting.non_voting_attendees) + extra)
        return self

    def members_depart(self, count: int) -> "CaseBuilder":
        """`count` ordinary members leave before the item is discussed (离席)."""
        chosen = self._ordinary_present(count, "leave")
        self._update_item(departed=list(self.item.departed) + chosen)
        return self

    def members_recuse(self, count: int) -> "CaseBuilder":
        chosen = self._ordinary_present(count, "recuse")
        self._update_item(recused=list(self.item.recused) + chosen)
        return self

    # --- what the members say ------------------------------------------------------------------

    def members_state(self, count: int, view: View) -> "CaseBuilder":
        """`count` ordinary members state `view` (unclear = a statement without an explicit view)."""
        taken = [m for m, v in self.views.items() if v is not View.agree] + list(self.silent)
        for m in self._ordinary_present(count, f"state {view.value}", exclude=taken):
            self.views[m] = view
        self._sync_statements()
        return self

    def members_silent(self, count: int) -> "CaseBuilder":
        """`count` ordinary members say nothing at all on the item."""
        taken = [m for m, v in self.views.items() if v is not View.agree] + list(self.silent)
        self.silent |= set(self._ordinary_present(count, "stay silent", exclude=taken))
        self._sync_statements()
        return self

    def all_silent(self) -> "CaseBuilder":
        """No present member says anything on the item: only the vote is recorded."""
        self.silent = set(self.present())
        self._sync_statements()
        return self

    def principal_speaks_last(self, last: bool = True) -> "CaseBuilder":
        self.principal_first = not last
        self._sync_statements()
        return self

    def principal_ties_last(self, listed_last: bool) -> "CaseBuilder":
        """The principal leader and the member before share the last speaking order; the principal is
        listed after that member (`listed_last`) or before. Of equal orders the later-listed spoke last."""
        self.principal_first = False
        self.principal_tie = "after" if listed_last else "before"
        self._sync_statements()
        return self

    def vote(self, yes: int, no: int | None = None, abstain: int = 0) -> "CaseBuilder":
        """Record the vote as views: the principal leader and the presenter agree first."""
        self.ballot = None
        present = [m for m in self.present() if m not in self.silent]
        if no is None:
            no = len(present) - yes - abstain
        if no < 0 or yes + no + abstain != len(present):
            raise CaseBuildError(f"{yes} yes + {no} no + {abstain} abstentions do not add up to the {len(present)} "
                                 f"members voting (表决票数之和应等于参加表决的人数)")
        leaders = [m for m in (self.principal, self.item.presenter) if m in present]
        order = list(dict.fromkeys(leaders + present))
        for i, m in enumerate(order):
            self.views[m] = View.agree if i < yes else View.disagree if i < yes + no else View.defer
        self._sync_statements()
        return self

    def secret_ballot(self, yes: int, no: int | None = None, abstain: int = 0) -> "CaseBuilder":
        """A secret ballot whose count is recorded apart from the views stated in the discussion
        (the rest of the members present vote against)."""
        present = [m for m in self.present() if m not in self.silent]
        if no is None:
            no = len(present) - yes - abstain
        if no < 0 or yes + no + abstain > len(present):
            raise CaseBuildError(f"{yes} yes + {no} no + {abstain} abstentions exceed the {len(present)} members voting "
                                 f"(表决票数之和超过参加表决的人数)")
        self.ballot = (yes, no, abstain)
        item = self.item
        vote = item.vote or Vote.model_validate(records.vote("hands", 0))
        self._update_item(vote=vote.model_copy(update={"method": "secret"}))
        return self

    def bundled_vote(self) -> "CaseBuilder":
        """Several candidates voted on together (一揽子表决), not one at a time."""
        item = self.item
        vote = item.vote or Vote.model_validate(records.vote("hands", 0))
        self._update_item(vote=vote.model_copy(update={"per_candidate": False}))
        return self

    def set_outcome(self, outcome: Outcome) -> "CaseBuilder":
        self._update_item(outcome=outcome)
        return self

    def set_meeting_kind(self, kind: MeetingKind) -> "CaseBuilder":
        self._update_meeting(kind=kind)
        return self

    def related_present_member(self, kind: Kinship) -> str:
        """An ordinary present member is a relative of the candidate; returns the member's id."""
        related = {r.person for r in self._case.relations}
        member = self._ordinary_present(1, "be the relative", exclude=related)[0]
        self.replace(relations=list(self._case.relations) + [Relation(person=member, relative=self.candidate, kind=kind)])
        self.related_member = member
        return member

    def related_member_recuses(self) -> "CaseBuilder":
        if self.related_member is None:
            raise CaseBuildError("no related member named yet (请先说明哪名成员是该人选的亲属)")
        self._update_item(recused=list(self.item.recused) + [self.related_member])
        return self

    def related_member_departs(self) -> "CaseBuilder":
        if self.related_member is None:
            raise CaseBuildError("no related member named yet (请先说明哪名成员是该人选的亲属)")
        self._update_item(departed=list(self.item.departed) + [self.related_member])
        return self

    # --- time ------------------------------------------------------------------------------------

    def set_meeting_date(self, day: date) -> "CaseBuilder":
        """Move the whole case so that the decision meeting is on `day`; then lay out publicity,
        notice and filing again after it."""
        delta = day - self.meeting_date
        if delta:
            self._case = shift_dates(self._case, delta)
            self.version += 1
        self._lay_out_after_meeting()
        return self

    def _lay_out_after_meeting(self) -> None:
        start = self.meeting_date + PUBLICITY_GAP * DAY
        end = start + (PUBLICITY_SPAN - 1) * DAY
        publicity = self._records("publicity")
        for i in self._for_candidate(publicity):
            publicity[i] = self._moved(publicity[i], "start", start).model_copy(update={"end": end})
        self.replace(publicity=publicity)
        self._after_publicity(end if self._for_candidate(publicity) else self.meeting_date + DAY)

    @staticmethod
    def _moved(record: Any, field: str, day: date) -> Any:
        """The record with every date in it moved so that `field` is `day` (a notice keeps its talk a day later)."""
        return shift_dates(record, day - getattr(record, field))

    def _after_publicity(self, last_day: date | None) -> None:
        """Appointment notice two days after `last_day`, filing two days after the notice."""
        if last_day is None:
            self.replace(appointments=[a for a in self._case.appointments if a.candidate != self.candidate],
                         filings=[f for f in self._case.filings if f.candidate != self.candidate])
            return
        self.set_notice_date(last_day + 2 * DAY, create=False)

    def set_open(self, as_of: date) -> "CaseBuilder":
        """The case is not finished: its record is complete up to `as_of`; later records are dropped."""
        appointments = [a if a.talk is None or a.talk.date <= as_of else a.model_copy(update={"talk": None})
                        for a in self._case.appointments if a.date <= as_of]
        self.replace(status="open", as_of=as_of,
                     publicity=[p for p in self._case.publicity if p.start <= as_of],
                     appointments=appointments,
                     filings=[f for f in self._case.filings if f.date <= as_of])
        return self

    def set_vote_method(self, method: str) -> "CaseBuilder":
        item = self.item
        vote = item.vote or Vote.model_validate(records.vote("hands", 0))
        self._update_item(vote=vote.model_copy(update={"method": method}))
        return self

    # --- the candidate ------------------------------------------------------------------------------------

    def _candidate_index(self) -> int:
        return next(i for i, c in enumerate(self._case.candidates) if c.id == self.candidate)

    def update_candidate(self, **changes: Any) -> "CaseBuilder":
        candidates = self._records("candidates")
        index = self._candidate_index()
        candidates[index] = candidates[index].model_copy(update=changes)
        return self.replace(candidates=candidates)

    def add_sanction(self, system: str, kind: str, decided: date, months: int | None) -> "CaseBuilder":
        candidate = self._case.candidates[self._candidate_index()]
        sanction = Sanction(system=system, type=kind, decision_date=decided, period_months=months)
        return self.update_candidate(sanctions=list(candidate.sanctions) + [sanction])

    # --- motion, post, prior reports ------------------------------------------------------------------

    def set_move(self, move: MoveKind) -> "CaseBuilder":
        return self.replace(move=move)

    def set_quota(self, quota: int, incumbents: int) -> "CaseBuilder":
        return self.replace(post=self._case.post.model_copy(update={"quota": quota, "incumbents": incumbents}))

    def set_post_level(self, level: Level | None) -> "CaseBuilder":
        """The post is at `level`; None: its level is not recorded (the level rules cannot place it)."""
        return self.replace(post=self._case.post.model_copy(update={"level": level}))

    def no_motion(self) -> "CaseBuilder":
        return self.replace(motion=None)

    def motion_on(self, day: date) -> "CaseBuilder":
        """The motion is made on `day`; its own steps (analysis, report, consultation, work plan) move with it."""
        motion = self._case.motion
        if motion is None:
            return self.replace(motion=Motion(date=day, reported_to_principal=day, intended_candidates=[self.candidate]))
        return self.replace(motion=shift_dates(motion, day - motion.date))

    def item_added_at_meeting(self) -> "CaseBuilder":
        self._update_item(added_at_meeting=True, circulated_in_advance=False)
        return self

    def item_not_circulated(self) -> "CaseBuilder":
        self._update_item(circulated_in_advance=False)
        return self

    def prior_report(self, matter: str, reply_date: date, reply: str = "approved") -> "CaseBuilder":
        reports = self._records("prior_reports")
        reports.append(PriorReport.model_validate(records.prior_report(f"pr{len(reports) + 1}", matter,
                                                                       reply_date - 7 * DAY, reply_date, reply)))
        return self.replace(prior_reports=reports)

    def leader_departure(self, decided: date | None = None, left: date | None | str = "keep") -> "CaseBuilder":
        """The principal leader's departure is settled on `decided`; the successor arrives on `left`."""
        current = self._case.leader_departure
        principal = self.principal
        if principal is None:
            raise CaseBuildError("the body has no principal leader (班子没有主要负责人)")
        if decided is None:
            if current is None:
                if not isinstance(left, date):
                    raise CaseBuildError("say when the departure was settled (请说明离任何时明确)")
                decided = left - 30 * DAY
            else:
                decided = current.decided
        new_left = (current.left if current else None) if left == "keep" else left
        return self.replace(leader_departure=LeaderDeparture(leader=principal, decided=decided, left=new_left))

    # --- recommendation ---------------------------------------------------------------------------

    def no_recommendation(self) -> "CaseBuilder":
        return self.replace(recommendations=[])

    def add_recommendation_round(self, form: str, day: date) -> "CaseBuilder":
        """One more round of `form` (meeting | talk | second_meeting) on `day` recommending only the
        candidate the steps act on; a meeting round without individual talks, so that each form can be
        placed (and dated) on its own."""
        recs = self._records("recommendations")
        new = Recommendation.model_validate(records.recommendation(
            self._new_id("r", (r.id for r in recs)), form, day, individual_talks=False if form != "talk" else None,
            results=[records.recommendation_result(self.candidate, 30)]))
        return self.replace(recommendations=sorted(recs + [new], key=lambda r: r.date))

    def add_canvassing(self, source: str, for_other: bool = False, after_decision: bool = False) -> "CaseBuilder":
        """A canvassing finding (拉票) touching the first recommendation round, established from `source`
        (petition | inspection | discipline) before the decision meeting, or after it; for the candidate,
        or for another person of the case (`for_other`)."""
        recs = self._records("recommendations")
        if not recs:
            raise CaseBuildError("no democratic recommendation in the case (没有民主推荐记录)")
        first = min(recs, key=lambda r: r.date)
        candidate = self.ensure_candidates(2)[1] if for_other else self.candidate
        found = self.meeting_date + 30 * DAY if after_decision else self.meeting_date - 5 * DAY
        findings = self._records("canvassing_findings")
        findings.append(CanvassingFinding(id=f"lp{len(findings) + 1}", candidate=candidate, recommendation=first.id,
                                          date=found, source=source))
        return self.replace(canvassing_findings=findings)

    def without_individual_talks(self) -> "CaseBuilder":
        """Only the meeting form: no talk round and no individual talks at the meeting rounds."""
        recs = [r.model_copy(update={"individual_talks": False}) for r in self._records("recommendations")
                if r.form != "talk"]
        return self.replace(recommendations=recs)

    def only_talk_recommendation(self) -> "CaseBuilder":
        """Only the individual-talk form: the meeting rounds become talk rounds."""
        recs = [r.model_copy(update={"form": "talk", "individual_talks": False}) for r in self._records("recommendations")]
        return self.replace(recommendations=recs)

    def recommendation_on(self, day: date) -> "CaseBuilder":
        """The recommendation (its first round; later rounds keep their distance) is held on `day`. A motion
        whose work plan would then come on or after it is moved back with it, so it still precedes it."""
        recs = self._records("recommendations")
        if not recs:
            recs = [Recommendation.model_validate(records.recommendation(
                "r1", "meeting", day, results=[records.recommendation_result(self.candidate, 1)]))]
        delta = day - min(r.date for r in recs)
        recs = [r.model_copy(update={"date": r.date + delta}) for r in recs]
        motion = self._case.motion
        if motion is not None and delta and max(_motion_dates(motion)) >= day:
            self.replace(motion=shift_dates(motion, delta))
        return self.replace(recommendations=recs)

    def recommendation_turnout(self, expected: int, actual: int) -> "CaseBuilder":
        recs = [r.model_copy(update={"participants_expected": expected, "participants_actual": actual})
                for r in self._case.recommendations]
        if not recs:
            raise CaseBuildError("no democratic recommendation in the case (没有民主推荐记录)")
        return self.replace(recommendations=recs)

    def recommendation_votes(self, votes: int) -> "CaseBuilder":
        recs = []
        for r in self._case.recommendations:
            results = [x.model_copy(update={"votes": votes}) if x.candidate == self.candidate else x for x in r.results]
            if not any(x.candidate == self.candidate for x in results):
                results.append(RecommendationResult.model_validate(records.recommendation_result(self.candidate, votes)))
            recs.append(r.model_copy(update={"results": results}))
        if not recs:
            raise CaseBuildError("no democratic recommendation in the case (没有民主推荐记录)")
        return self.replace(recommendations=recs)

    # --- inspection -------------------------------------------------------------------------------

    def _inspection(self) -> tuple[int, Inspection]:
        for i, ins in enumerate(self._case.inspections):
            if ins.candidate == self.candidate:
                return i, ins
        raise CaseBuildError("the candidate was not inspected in this case (该人选没有考察记录)")

    def _update_inspection(self, **changes: Any) -> "CaseBuilder":
        index, ins = self._inspection()
        inspections = self._records("inspections")
        inspections[index] = ins.model_copy(update=changes)
        return self.replace(inspections=inspections)

    def no_inspection(self) -> "CaseBuilder":
        return self.replace(inspections=[i for i in self._case.inspections if i.candidate != self.candidate])

    def inspection_completed(self, day: date | None) -> "CaseBuilder":
        return self._update_inspection(completed=day)

    def team_size(self, size: int) -> "CaseBuilder":
        team = [TeamMember.model_validate(records.team_member(name, "leader" if i == 0 else "member"))
                for i, name in enumerate(["张卫红", "许明", "钱志宏", "沈丽华", "江海波", "程晓燕"][:size])]
        team += [TeamMember.model_validate(records.team_member(f"考察组成员{i + 1}")) for i in range(len(team), size)]
        return self._update_inspection(team=team)

    def check_missing(self, check: str) -> "CaseBuilder":
        return self._update_inspection(**{check: None})

    def check_done(self, check: str, day: date | None = None, outcome: CheckOutcome | None = None) -> "CaseBuilder":
        _, ins = self._inspection()
        current: Check | None = getattr(ins, check)
        base = current or Check.model_validate(records.check(day or ins.start, outcome=None))
        changes: dict[str, Any] = {}
        if day is not None:
            changes["date"] = day
        if outcome is not None:
            changes["outcome"] = outcome
        return self._update_inspection(**{check: base.model_copy(update=changes)})

    def integrity_conclusion(self, present: bool = True, secretary: bool = True, discipline_head: bool = True) -> "CaseBuilder":
        """The 廉洁自律结论性意见: absent, or signed by the secretary and/or the discipline head."""
        _, ins = self._inspection()
        if not present:
            return self._update_inspection(integrity_conclusion=None)
        current = ins.integrity_conclusion or IntegrityConclusion.model_validate(
            records.integrity_conclusion(ins.completed or ins.start))
        return self._update_inspection(integrity_conclusion=current.model_copy(update={
            "signed_by_secretary": secretary, "signed_by_discipline_head": discipline_head}))

    def add_petition(self, received: date, specific: bool, closed: date | None) -> "CaseBuilder":
        _, ins = self._inspection()
        petitions = list(ins.petitions)
        petitions.append(Petition.model_validate(records.petition(f"x{len(petitions) + 1}", received, specific, closed,
                                                                  "已查结" if closed else None)))
        return self._update_inspection(petitions=petitions)

    # --- publicity, notice, filing -------------------------------------------------------------------

    def set_publicity(self, start: date, end: date | None) -> "CaseBuilder":
        """Publicity from `start` to `end` (inclusive; None: still running). Unless the meeting was
        held in the month before `start`, the case is moved so that it was held three days before;
        the notice follows two days after the end, the filing two days after the notice."""
        if not timedelta(0) <= start - self.meeting_date <= MEETING_TO_PUBLICITY:
            self.set_meeting_date(start - PUBLICITY_GAP * DAY)
        publicity = self._records("publicity")
        mine = self._for_candidate(publicity)
        if mine:
            publicity[mine[0]] = self._moved(publicity[mine[0]], "start", start).model_copy(update={"end": end})
        else:
            publicity.append(Publicity.model_validate(records.publicity(f"p{len(publicity) + 1}", self.candidate, start, end)))
        self.replace(publicity=publicity)
        self._after_publicity(end)
        return self

    def publicity_before_decision(self) -> "CaseBuilder":
        """The publicity ran (and ended) before the meeting decided."""
        end = self.meeting_date - PUBLICITY_GAP * DAY
        start = end - (PUBLICITY_SPAN - 1) * DAY
        publicity = self._records("publicity")
        for i in self._for_candidate(publicity):
            publicity[i] = self._moved(publicity[i], "start", start).model_copy(update={"end": end})
        return self.replace(publicity=publicity)

    def add_objection(self, affects: bool, resolved: bool) -> "CaseBuilder":
        """An objection received the day after the publicity started; resolved the day after that."""
        publicity = self._records("publicity")
        mine = self._for_candidate(publicity)
        if not mine:
            raise CaseBuildError("no publicity to object to (没有任前公示)")
        pub = publicity[mine[0]]
        received = pub.start + DAY
        objection = Objection.model_validate(records.objection(received, affects, received + DAY if resolved else None))
        publicity[mine[0]] = pub.model_copy(update={"objections": list(pub.objections) + [objection]})
        return self.replace(publicity=publicity)

    def no_publicity(self) -> "CaseBuilder":
        return self.replace(publicity=[p for p in self._case.publicity if p.candidate != self.candidate])

    def _notice(self) -> AppointmentNotice:
        for a in self._case.appointments:
            if a.candidate == self.candidate:
                return a
        raise CaseBuildError("no appointment notice for the candidate (该人选没有任职通知)")

    def set_notice_date(self, day: date, create: bool = True) -> "CaseBuilder":
        """The appointment notice is dated `day` (its talk and other dates move with it); the filing
        follows two days later (set it after this)."""
        appointments = self._records("appointments")
        mine = self._for_candidate(appointments)
        if mine:
            appointments[mine[0]] = self._moved(appointments[mine[0]], "date", day)
        elif create:
            appointments.append(AppointmentNotice.model_validate(
                records.appointment_notice(f"n{len(appointments) + 1}", self.candidate, day)))
        filings = self._records("filings")
        for i in self._for_candidate(filings):
            filings[i] = self._moved(filings[i], "date", day + 2 * DAY)
        return self.replace(appointments=appointments, filings=filings)

    def notice_during_publicity(self) -> "CaseBuilder":
        """The notice was issued the day after the publicity started, before it ended."""
        publicity = [self._case.publicity[i] for i in self._for_candidate(self._case.publicity)]
        if not publicity:
            raise CaseBuildError("no publicity to issue the notice during (没有任前公示)")
        return self.set_notice_date(publicity[0].start + DAY)

    def set_filing_date(self, day: date) -> "CaseBuilder":
        filings = self._records("filings")
        mine = self._for_candidate(filings)
        if mine:
            filings[mine[0]] = filings[mine[0]].model_copy(update={"date": day})
        else:
            filings.append(Filing.model_validate(records.filing(f"f{len(filings) + 1}", self.candidate, day, "上级组织部门")))
        return self.replace(filings=filings)

    def no_filing(self) -> "CaseBuilder":
        return self.replace(filings=[f for f in self._case.filings if f.candidate != self.candidate])

    def filing_required(self, required: bool) -> "CaseBuilder":
        return self.replace(post=self._case.post.model_copy(update={"filing_required": required}))


    # --- moving the whole case by another anchor -----------------------------------------------------

    def anchor_date(self, anchor: str) -> date:
        """The date of a step of the procedure: motion, recommendation (first round), meeting_recommendation
        (first meeting round), target (inspection targets fixed), inspection (start), meeting."""
        case = self._case
        if anchor == "motion":
            if case.motion is None:
                raise CaseBuildError("no motion recorded (没有动议记录)")
            return case.motion.date
        if anchor in ("recommendation", "meeting_recommendation"):
            forms = ("meeting",) if anchor == "meeting_recommendation" else RecommendationForm.values()
            dates = [r.date for r in case.recommendations if r.form in forms]
            if not dates:
                raise CaseBuildError("no such recommendation round in the case (没有相应的民主推荐记录)")
            return min(dates)
        if anchor in ("target", "inspection"):
            _, ins = self._inspection()
            if anchor == "target" and ins.target_decision is not None:
                return ins.target_decision.date
            return ins.start
        return self.meeting_date

    def move_case(self, anchor: str, day: date) -> "CaseBuilder":
        """Move the whole case (as `set_meeting_date` does) so that the step `anchor` falls on `day`."""
        return self.set_meeting_date(self.meeting_date + (day - self.anchor_date(anchor)))

    def years_before_decision(self, years: int) -> date:
        """The date `years` full years before the decision meeting (by anniversary)."""
        return anniversary(self.meeting_date, -years)

    # --- the motion's own steps ------------------------------------------------------------------------

    def update_motion(self, **changes: Any) -> "CaseBuilder":
        if self._case.motion is None:
            raise CaseBuildError("no motion recorded (没有动议记录)")
        return self.replace(motion=self._case.motion.model_copy(update=changes))

    def work_plan_after_recommendation(self) -> "CaseBuilder":
        """The work plan is fixed the day after the first recommendation round."""
        if not self._case.recommendations:
            raise CaseBuildError("no democratic recommendation in the case (没有民主推荐记录)")
        return self.update_motion(work_plan_date=self.anchor_date("recommendation") + DAY)

    def add_precheck(self, blocking: bool, resolved: bool) -> "CaseBuilder":
        """An early check (动议即审) of the intended candidate two days after the motion."""
        motion = self._case.motion
        if motion is None:
            raise CaseBuildError("no motion recorded (没有动议记录)")
        check = Precheck(kind="personal_matters", date=motion.date + 2 * DAY, blocking=blocking,
                         resolved=motion.date + 5 * DAY if resolved else None)
        return self.update_motion(prechecks=list(motion.prechecks) + [check])

    # --- recommendation rounds, other candidates, targets ----------------------------------------------------

    def ensure_candidates(self, count: int) -> list[str]:
        """At least `count` candidates (others are added after the first); returns their ids in order."""
        candidates = self._records("candidates")
        ids = {c.id for c in candidates}
        n = len(candidates)
        while len(candidates) < count:
            n += 1
            cid = f"c{n}"
            while cid in ids:
                n += 1
                cid = f"c{n}"
            name = OTHER_CANDIDATES[(len(candidates) - 1) % len(OTHER_CANDIDATES)]
            candidates.append(Candidate(id=cid, name=name, birth_date=candidates[0].birth_date + 265 * DAY))
            ids.add(cid)
        if len(candidates) != len(self._case.candidates):
            self.replace(candidates=candidates)
        return [c.id for c in candidates]

    def _new_id(self, prefix: str, existing: Iterable[str]) -> str:
        taken = set(existing)
        n = len(taken) + 1
        while f"{prefix}{n}" in taken:
            n += 1
        return f"{prefix}{n}"

    def add_talk_round(self) -> "CaseBuilder":
        """A talk-and-research recommendation (谈话调研推荐) four days before the first meeting round."""
        recs = self._records("recommendations")
        if not recs:
            raise CaseBuildError("no democratic recommendation in the case (没有民主推荐记录)")
        first = self.anchor_date("meeting_recommendation")
        talk = Recommendation.model_validate(records.recommendation(
            self._new_id("r", (r.id for r in recs)), "talk", first - 4 * DAY,
            results=[records.recommendation_result(self.candidate, 20)]))
        return self.replace(recommendations=[talk] + recs)

    def add_second_round(self) -> "CaseBuilder":
        """A second-round meeting recommendation (二次会议推荐) the day after the last meeting round."""
        recs = self._records("recommendations")
        meetings = [r.date for r in recs if r.form in ("meeting", "second_meeting")]
        if not meetings:
            raise CaseBuildError("no meeting recommendation in the case (没有会议推荐记录)")
        second = Recommendation.model_validate(records.recommendation(
            self._new_id("r", (r.id for r in recs)), "second_meeting", max(meetings) + DAY,
            results=[records.recommendation_result(self.candidate, 30)]))
        return self.replace(recommendations=recs + [second])

    def set_reference_list(self, count: int) -> "CaseBuilder":
        """The meeting rounds present `count` reference names (参考人选), the candidate first."""
        names = self.ensure_candidates(count)[:count]
        recs = [r.model_copy(update={"reference_list": names}) if r.form == "meeting" else r
                for r in self._case.recommendations]
        return self.replace(recommendations=recs)

    def set_categories(self, missing: str | None) -> "CaseBuilder":
        """The rounds require the standard categories of participants; `missing` did not take part."""
        if not self._case.recommendations:
            raise CaseBuildError("no democratic recommendation in the case (没有民主推荐记录)")
        required = list(PARTICIPANT_CATEGORIES)
        took_part = [c for c in required if c != missing]
        return self.replace(recommendations=[r.model_copy(update={"required_categories": required,
                                                                   "participant_categories": took_part})
                                             for r in self._case.recommendations])

    def add_rival(self, votes: int) -> "CaseBuilder":
        """Another person recommended in every round with `votes` votes (not inspected)."""
        if not self._case.recommendations:
            raise CaseBuildError("no democratic recommendation in the case (没有民主推荐记录)")
        rival = self.ensure_candidates(2)[1]
        recs = []
        for r in self._case.recommendations:
            results = [x for x in r.results if x.candidate != rival] + [RecommendationResult.model_validate(
                records.recommendation_result(rival, votes))]
            recs.append(r.model_copy(update={"results": results}))
        return self.replace(recommendations=recs)

    def add_targets(self, count: int) -> "CaseBuilder":
        """`count` more inspection targets, inspected as the candidate was (differential inspection)."""
        _, ins = self._inspection()
        inspected = {i.candidate for i in self._case.inspections}
        ids = self.ensure_candidates(len(inspected) + count)
        inspections = self._records("inspections")
        for cid in [c for c in ids if c not in inspected][:count]:
            inspections.append(ins.model_copy(update={"id": self._new_id("i", (i.id for i in inspections)),
                                                      "candidate": cid}))
        return self.replace(inspections=inspections)

    def add_nomination(self, signed: bool) -> "CaseBuilder":
        nomination = Nomination(nominator="县领导（个人推荐）", candidate=self.candidate, signed=signed)
        return self.replace(nominations=list(self._case.nominations) + [nomination])

    # --- inspection steps, targets, report ---------------------------------------------------------------

    def update_target_decision(self, **changes: Any) -> "CaseBuilder":
        _, ins = self._inspection()
        current = ins.target_decision or TargetDecision.model_validate(records.target_decision("组织部门部务会", ins.start))
        return self._update_inspection(target_decision=current.model_copy(update=changes))

    def update_inspection(self, **changes: Any) -> "CaseBuilder":
        return self._update_inspection(**changes)

    @property
    def inspection(self) -> Inspection:
        """The candidate's inspection (the one the steps change)."""
        return self._inspection()[1]

    def drop_method(self, method: str) -> "CaseBuilder":
        _, ins = self._inspection()
        return self._update_inspection(methods=[m for m in ins.methods if m != method])

    def notice_before_plan(self) -> "CaseBuilder":
        _, ins = self._inspection()
        plan = ins.plan_date or ins.start
        return self._update_inspection(plan_date=plan, notice_date=plan - DAY)

    def report_section_missing(self, section: str | None) -> "CaseBuilder":
        """A section of the inspection report left empty; None: no report at all."""
        _, ins = self._inspection()
        if section is None:
            return self._update_inspection(report=None)
        report = ins.report or InspectionReport.model_validate(records.inspection_report(ins.completed or ins.start))
        return self._update_inspection(report=report.model_copy(update={section: None}))

    # --- attestations ------------------------------------------------------------------------------------

    def drop_attestation(self, kind: AttestationKind) -> "CaseBuilder":
        return self.replace(attestations=[a for a in self._case.attestations
                                          if not (a.kind == kind and a.candidate == self.candidate)])

    def attest(self, kind: AttestationKind, day: date) -> "CaseBuilder":
        kept = [a for a in self._case.attestations if not (a.kind == kind and a.candidate == self.candidate)]
        by = {AttestationKind.health: "县委组织部（体检结论）", AttestationKind.basic_conditions: "考察组（考察材料）"}
        return self.replace(attestations=kept + [Attestation.model_validate(
            records.attestation(kind, self.candidate, day, by.get(kind, "组织部门")))])

    # --- the post and the candidate's record ---------------------------------------------------------------

    def update_post(self, **changes: Any) -> "CaseBuilder":
        return self.replace(post=self._case.post.model_copy(update=changes))

    def post_grade(self, level: Level) -> "CaseBuilder":
        """The post is at `level`, and the candidate a qualified holder of the level below: grassroots work
        since starting work, two posts at the level below (the current one for five years), training hours
        in the two years before the meeting. A scenario then changes the one qualification it is about."""
        rank = LEVELS.index(level)
        if rank == 0:
            raise CaseBuildError("a promotion needs a post above the lowest level (职位级别过低)")
        below = LEVELS[rank - 1]
        delta = self.meeting_date - BASELINE_MEETING
        title, unit = POST_TITLES[level]
        earlier, current = ALT_POST_TITLES[below], POST_TITLES[below]
        candidate = self._case.candidates[self._candidate_index()]
        first = candidate.work_history[0] if candidate.work_history else Post(
            title="乡镇财政所科员", unit="青石镇", grassroots=True, start=date(2002, 7, 1) + delta, end=date(2009, 12, 31) + delta)
        history = [first.model_copy(update={"level": None, "promotion": False, "probation_end": None}),
                   Post(title=earlier[0], unit=earlier[1], level=below, grassroots=below is Level.section_chief,
                        start=date(2010, 1, 1) + delta, end=date(2016, 2, 29) + delta, promotion=True),
                   Post(title=current[0], unit=current[1], level=below, start=date(2016, 3, 1) + delta)]
        year = self.meeting_date.year
        self.update_candidate(current_post=current[0], current_level=below, current_since=date(2016, 3, 1) + delta,
                              work_history=history,
                              training=[Training(year=year - 2, hours=300), Training(year=year - 1, hours=300)])
        return self.update_post(level=level, title=title, unit=unit)

    def set_grassroots_years(self, years: int) -> "CaseBuilder":
        """Grassroots experience of exactly `years` full years: the first post, shortened to that length."""
        history = [p.model_copy(update={"grassroots": False}) for p in self._case.candidates[self._candidate_index()].work_history]
        if not history:
            raise CaseBuildError("the candidate has no work history (该人选没有工作经历记录)")
        if years > 0:
            first = history[0]
            history[0] = first.model_copy(update={"grassroots": True, "end": anniversary(first.start, years) - DAY})
        return self.update_candidate(work_history=history)

    def set_lower_level_posts(self, count: int) -> "CaseBuilder":
        """The candidate held `count` different posts at the level just below the post."""
        level = self._case.post.level
        if level is None or LEVELS.index(level) == 0:
            raise CaseBuildError("say the level of the post first (请先说明拟任职位级别)")
        below = LEVELS[LEVELS.index(level) - 1]
        history, kept = [], 0
        for post in self._case.candidates[self._candidate_index()].work_history:
            if post.level == below:
                if kept >= count:
                    post = post.model_copy(update={"level": None})
                else:
                    kept += 1
            history.append(post)
        start = self._case.candidates[self._candidate_index()].current_since or self.meeting_date
        while kept < count:
            kept += 1
            history.append(Post(title=f"挂职{POST_TITLES[below][0]}（{kept}）", level=below, start=start))
        return self.update_candidate(work_history=history)

    def last_promotion(self, day: date, probation: bool = False, tenure_breakthrough: bool = False) -> "CaseBuilder":
        """The candidate's current post was a promotion on `day` (still on probation, if said so; by a
        破格 on time in level, if said so)."""
        candidate = self._case.candidates[self._candidate_index()]
        history = list(candidate.work_history)
        if not history:
            raise CaseBuildError("the candidate has no work history (该人选没有工作经历记录)")
        changes: dict[str, Any] = {"promotion": True, "start": day, "tenure_breakthrough": tenure_breakthrough}
        if probation:
            changes["probation_end"] = self.meeting_date + 180 * DAY
        history[-1] = history[-1].model_copy(update=changes)
        if len(history) > 1 and history[-2].end is not None and history[-2].end >= day:
            history[-2] = history[-2].model_copy(update={"end": day - DAY})
        return self.update_candidate(work_history=history, current_since=day)

    def on_probation(self) -> "CaseBuilder":
        candidate = self._case.candidates[self._candidate_index()]
        start = candidate.current_since or (self.meeting_date - 180 * DAY)
        return self.last_promotion(start, probation=True)

    def set_training(self, hours: int) -> "CaseBuilder":
        """`hours` of training in the year before the decision (within the five years counted)."""
        return self.update_candidate(training=[Training(year=self.meeting_date.year - 1, hours=hours)])

    def add_training(self, year: int, hours: int) -> "CaseBuilder":
        candidate = self._case.candidates[self._candidate_index()]
        return self.update_candidate(training=list(candidate.training) + [Training(year=year, hours=hours)])

    def add_appraisal(self, year: int, grade: Grade) -> "CaseBuilder":
        candidate = self._case.candidates[self._candidate_index()]
        appraisals = [a for a in candidate.appraisals if a.year != year] + [Appraisal(year=year, grade=grade)]
        return self.update_candidate(appraisals=sorted(appraisals, key=lambda a: a.year))

    # --- exceptional promotion (破格) -------------------------------------------------------------------

    def approved_breakthrough(self, basis: str | None = "need_a", items: Iterable[str] = ("years_in_level",)) -> "CaseBuilder":
        """An exceptional promotion done by the book: a listed ground, the superior's consent before the
        meeting, explained at the meeting, and stated in the publicity."""
        self.replace(breakthrough=Breakthrough(basis=basis, items=list(items)))
        self.prior_report("breakthrough", self.meeting_date - 3 * DAY)
        self._update_item(reportable_matters_explained=True)
        return self.breakthrough_statement(True)

    def update_breakthrough(self, **changes: Any) -> "CaseBuilder":
        current = self._case.breakthrough or Breakthrough()
        return self.replace(breakthrough=current.model_copy(update=changes))

    def drop_prior_reports(self, matter: str) -> "CaseBuilder":
        return self.replace(prior_reports=[r for r in self._case.prior_reports if r.matter != matter])

    def explain_reportable(self, explained: bool) -> "CaseBuilder":
        self._update_item(reportable_matters_explained=explained)
        return self

    def breakthrough_statement(self, stated: bool) -> "CaseBuilder":
        publicity = self._records("publicity")
        for i in self._for_candidate(publicity):
            publicity[i] = publicity[i].model_copy(update={"breakthrough_statement": stated})
        return self.replace(publicity=publicity)

    # --- the decision meeting: presentation, consultation, records ----------------------------------------

    def presented_by(self, who: str) -> "CaseBuilder":
        """who: organisation_lead (the default), org_head (the department head, not a member), member."""
        if who == "org_head":
            self._update_item(presenter=None, presented_by_org_head=True)
        elif who == "member":
            member = self._ordinary_present(1, "present the candidate")[0]
            self._update_item(presenter=member, presented_by_org_head=False)
        else:
            leads = [m for m in self._members_with(Role.organisation_lead) if m in self.present()]
            if not leads:
                raise CaseBuildError("no organisation lead is present (分管组织工作的领导成员不在场)")
            self._update_item(presenter=leads[0], presented_by_org_head=False)
        return self

    def add_consultation(self, with_: str, day: date) -> "CaseBuilder":
        return self.replace(consultations=list(self._case.consultations) + [Consultation.model_validate(
            records.consultation(with_, day))])

    def set_reconsideration(self, consent: int | None) -> "CaseBuilder":
        self._update_meeting(kind=MeetingKind.reconsideration)
        self._update_item(reconsideration_consent=consent)
        return self

    def urgent_between_plenums(self, consulted: bool, urgent: bool = True) -> "CaseBuilder":
        """The standing committee decides a chief post urgently between plenums (闭会期间); with
        `urgent` false, it consulted the plenum members without the urgency that allows it."""
        self._update_meeting(urgent_between_plenums=urgent, plenum_members_consulted=consulted)
        return self

    def decide_other_candidate(self, kind: MeetingKind, method: str) -> "CaseBuilder":
        """Another candidate (added if needed) is decided on the same day at a meeting of its own (`kind`,
        voting by `method`): the candidate's own item stays as it is — to show a rule joins on the candidate."""
        other = next(c for c in self.ensure_candidates(2) if c != self.candidate)
        meeting, item = self.meeting, self.item
        vote = item.vote.model_copy(update={"method": method}) if item.vote is not None else None
        extra = meeting.model_copy(update={
            "id": self._new_id("mt", (m.id for m in self._case.meetings)), "kind": kind,
            "agenda": [item.model_copy(update={"id": f"{item.id}-{other}", "candidate": other, "vote": vote})]})
        return self.replace(meetings=list(self._case.meetings) + [extra])

    def set_records(self, **changes: Any) -> "CaseBuilder":
        current = self.meeting.records or MeetingRecords.model_validate(records.meeting_records())
        self._update_meeting(records=current.model_copy(update=changes))
        return self

    # --- relatives, submissions ----------------------------------------------------------------------

    def add_colleague(self, kind: Kinship, post: str, **flags: bool) -> "CaseBuilder":
        """A relative of the candidate already working in the organ (for avoidance and prior reports)."""
        colleagues = self._records("colleagues")
        cid = self._new_id("x", (c.id for c in colleagues))
        colleagues.append(Colleague(id=cid, name=f"{self._case.candidates[0].name[0]}国强", post=post, **flags))
        relations = list(self._case.relations) + [Relation(person=cid, relative=self.candidate, kind=kind)]
        return self.replace(colleagues=colleagues, relations=relations)

    def add_relative_business(self, relative: str, regulated: bool) -> "CaseBuilder":
        business = RelativeBusiness(relative=relative, business="清溪县某建材有限公司", regulated_by_post=regulated)
        return self.replace(relatives_business=list(self._case.relatives_business) + [business])

    def submission(self, reply: date | None, result: str | None, sent: date | None = None) -> "CaseBuilder":
        """The decision submitted to the superior for approval, with every document, three days after the meeting."""
        sub = Submission.model_validate(records.submission(sent or self.meeting_date + 3 * DAY, SUBMISSION_DOCS, reply,
                                                           result))
        return self.replace(submission=sub)

    def update_submission(self, **changes: Any) -> "CaseBuilder":
        if self._case.submission is None:
            raise CaseBuildError("nothing was submitted for approval (没有报上级审批)")
        return self.replace(submission=self._case.submission.model_copy(update=changes))

    # --- appointment -------------------------------------------------------------------------------------

    @property
    def notice(self) -> AppointmentNotice:
        """The candidate's appointment notice."""
        return self._notice()

    def update_notice(self, **changes: Any) -> "CaseBuilder":
        appointments = self._records("appointments")
        mine = self._for_candidate(appointments)
        if not mine:
            raise CaseBuildError("no appointment notice for the candidate (该人选没有任职通知)")
        appointments[mine[0]] = appointments[mine[0]].model_copy(update=changes)
        return self.replace(appointments=appointments)

    def set_probation(self, start: date, end: date) -> "CaseBuilder":
        return self.update_notice(probation=Probation.model_validate(records.probation(start, end)))

    def probation_assessed(self, day: date) -> "CaseBuilder":
        probation = self._notice().probation
        if probation is None:
            raise CaseBuildError("no probation recorded (没有试用期记录)")
        return self.update_notice(probation=probation.model_copy(update={"assessment_date": day, "result": "confirmed"}))

    def talk_on(self, day: date | None) -> "CaseBuilder":
        notice = self._notice()
        if day is None:
            return self.update_notice(talk=None)
        talk = notice.talk or Talk.model_validate(records.talk(day, "分管组织工作的领导成员"))
        return self.update_notice(talk=talk.model_copy(update={"date": day}))


#: Baseline dates that `post_grade` lays out again relative to the (moved) meeting.
BASELINE_MEETING = date(2021, 4, 16)
#: Names of other persons recommended or inspected.
OTHER_CANDIDATES = ["刘振华", "陈立新", "赵雅琴", "孙浩然"]
#: The standard categories of participants of an individual promotion's recommendation.
PARTICIPANT_CATEGORIES = ("leadership", "department_heads", "subordinate_chiefs", "others")
#: A post of each level (title, unit) and another one, for the candidate's career below the post.
POST_TITLES = {
    Level.section_deputy: ("县财政局副局长", "清溪县财政局"), Level.section_chief: ("县财政局局长", "清溪县财政局"),
    Level.division_deputy: ("县人民政府副县长", "清溪县人民政府"), Level.division_chief: ("江州市财政局局长", "江州市财政局"),
    Level.bureau_deputy: ("省财政厅副厅长", "省财政厅"), Level.bureau_chief: ("省财政厅厅长", "省财政厅"),
}
ALT_POST_TITLES = {
    Level.section_deputy: ("青石镇副镇长", "青石镇"), Level.section_chief: ("青石镇党委书记", "青石镇"),
    Level.division_deputy: ("县委常委、组织部部长", "中共清溪县委"), Level.division_chief: ("江州市审计局局长", "江州市审计局"),
    Level.bureau_deputy: ("省审计厅副厅长", "省审计厅"), Level.bureau_chief: ("省审计厅厅长", "省审计厅"),
}
LEVELS = [level for level in Level if level not in NON_LEADING_LEVELS]  # the leading levels, lowest first


__all__ = ["CaseBuildError", "CaseBuilder", "shift_dates"]
