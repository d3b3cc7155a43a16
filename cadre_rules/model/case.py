"""The selection case: the root record, and the integrity checks that tie its parts together."""
from __future__ import annotations

import datetime as _dt
from datetime import date
from functools import lru_cache
from operator import attrgetter
from typing import Any, Iterable, Iterator, Mapping

from pydantic import Field, ValidationInfo, model_validator

from cadre_rules.codes import DECIDING_MEETINGS, KNOWN_SANCTIONS, NON_LEADING_LEVELS, CanvassingSource, closed
from cadre_rules.errors import ErrorKind, Problem
from cadre_rules.model.base import (
    AttestationKind, AvoidanceLevelCode, CommitteeLevelCode, ConsultationWithCode, Id, Level, MoveKind, PostFunctionCode,
    Record, RecordStatus, RecordStatusCode, ReplyCode, before, surely_before, WholeNumber, WholeNumberOrNone,
)
from cadre_rules.model.people import Body, Candidate, Relation
from cadre_rules.model.steps import (
    AppointmentNotice,
    Filing,
    Inspection,
    LeaderDeparture,
    Meeting,
    Motion,
    PriorReport,
    Publicity,
    Recommendation,
)


class DualManagement(Record):
    """双重管理: the lead side consults the co-managing side in writing; silence for a month is consent."""

    co_side: str
    consult_sent: date
    reply_date: date | None = None


class TargetPost(Record):
    """The post being filled, with the quota that the establishment authority approved (职数)."""

    id: Id
    title: str
    unit: str
    level: Level | None = None
    quota: WholeNumber = Field(ge=0, description="approved number of such posts in the unit")
    incumbents: WholeNumber = Field(ge=0, description="holders before this case's appointments")
    filing_required: bool = True
    posts_to_fill: WholeNumber = Field(default=1, ge=1)
    managed_by: str | None = Field(default=None, description="body holding management authority, if not the deciding body")
    is_party_post: bool = Field(default=False, description="a Party post that brings committee membership")
    committee_level: CommitteeLevelCode | None = Field(default=None, description="level of that committee")
    probation: bool = Field(default=False, description="in the categories with a one-year probation")
    special: bool = Field(default=False, description="special post: exempt from publicity and the naked-official bar")
    function: PostFunctionCode | None = None
    avoidance_level: AvoidanceLevelCode | None = Field(default=None, description="a chief post under home-place avoidance")
    locality: str | None = Field(default=None, description="locality code of the post, for home-place avoidance")
    city_county_chief: bool = Field(default=False, description="chief of a city/county Party committee or government")
    statutory_requirements: list[str] = Field(default_factory=list)
    audit_required: bool = Field(default=False, description="an economic-responsibility audit must precede the appointment")
    dual_management: DualManagement | None = None


class Breakthrough(Record):
    """破格 / 越级 as the case records it."""

    basis: str | None = Field(default=None, description="outstanding_a|outstanding_b|outstanding_c|need_a|need_b|need_c")
    items: list[str] = Field(default_factory=list, description="qualification items breached, e.g. work_years")
    skip_level: bool = False
    via_recommendation: bool = True


class Attestation(Record):
    """A recorded attestation for what rules cannot check (health, statutory qualification, basic conditions)."""

    kind: AttestationKind
    candidate: Id
    date: date
    by: str


class Consultation(Record):
    """酝酿 / 征求意见 before the decision."""

    with_: ConsultationWithCode = Field(alias="with")
    date: date
    view: str | None = None


class Submission(Record):
    """报上级审批: the request and its reply, for posts managed by a higher body."""

    date: date
    docs: list[str] = Field(default_factory=list)
    reply_date: date | None = None
    result: ReplyCode | None = None


class Nomination(Record):
    """个人推荐: an individual's written nomination."""

    nominator: str
    candidate: Id
    signed: bool


class Colleague(Record):
    """Someone already in the organ, for kinship avoidance (任职回避)."""

    id: Id
    name: str
    post: str
    leads_organ: bool = False
    direct_line: bool = Field(default=False, description="direct superior-subordinate line with the post")
    same_supervisor: bool = Field(default=False, description="reports to the same leader as the post")


class RelativeBusiness(Record):
    """A business run by the candidate's spouse, child or child's spouse."""

    relative: str
    business: str
    regulated_by_post: bool


class CanvassingFinding(Record):
    """拉票: canvassing for a candidate established in the case (from a petition check, the inspection or a
    discipline finding). The recommendation it touched cannot carry the candidate (REC-CANVASSING)."""

    id: Id
    candidate: Id = Field(description="the candidate for whom votes were canvassed")
    recommendation: Id | None = Field(default=None, description="id of the recommendation round it touched, if known")
    date: _dt.date = Field(description="date the canvassing was established (a live case records it on that date)")
    source: closed(CanvassingSource) = Field(description="how it was established")  # type: ignore[valid-type]
    note: str | None = None


class Case(Record):
    """One selection case (一次选拔任用), as the organisation department records it."""

    id: Id
    title: str | None = None
    organisation: str = Field(description="the unit whose post is filled")
    jurisdiction: str = "national"
    status: RecordStatusCode = Field(default=RecordStatus.closed, description="open: an unfinished case, judged as of `as_of`")
    as_of: date | None = Field(default=None, description="date up to which the record is complete; required for open cases")
    move: MoveKind
    body: Body
    post: TargetPost
    candidates: list[Candidate] = Field(min_length=1)
    relations: list[Relation] = Field(default_factory=list)
    motion: Motion | None = None
    recommendations: list[Recommendation] = Field(default_factory=list)
    inspections: list[Inspection] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    publicity: list[Publicity] = Field(default_factory=list)
    appointments: list[AppointmentNotice] = Field(default_factory=list)
    filings: list[Filing] = Field(default_factory=list)
    prior_reports: list[PriorReport] = Field(default_factory=list)
    leader_departure: LeaderDeparture | None = None
    change_of_term: bool = Field(default=False, description="换届")
    batch_size: WholeNumberOrNone = Field(default=None, ge=1, description="cadres adjusted in the same batch")
    breakthrough: Breakthrough | None = None
    recommendation_exemption: str | None = Field(default=None, description="id of the approved prior report exempting recommendation")
    attestations: list[Attestation] = Field(default_factory=list)
    consultations: list[Consultation] = Field(default_factory=list)
    submission: Submission | None = None
    nominations: list[Nomination] = Field(default_factory=list)
    colleagues: list[Colleague] = Field(default_factory=list)
    relatives_business: list[RelativeBusiness] = Field(default_factory=list)
    canvassing_findings: list[CanvassingFinding] = Field(default_factory=list, description="拉票 established in the case")
    meta: dict[str, Any] = Field(default_factory=dict, description="free-form data, never judged (e.g. meta.injected_violations)")

    @model_validator(mode="after")
    def _check_integrity(self, info: ValidationInfo) -> "Case":
        # The file loader asks to defer this, so that it can report each problem with its own path.
        if info.context and info.context.get("defer_integrity"):
            return self
        problems = list(integrity_problems(self))
        if problems:
            raise ValueError("; ".join(f"{path}: {msg}" for path, msg in problems))
        return self

    def candidate(self, candidate_id: str) -> Candidate:
        return next(c for c in self.candidates if c.id == candidate_id)


# KNOWN_SANCTIONS (codes.py): sanction types whose influence period the rulebook knows; any other type
# must carry its own period, so that a typo can never silently end a ban.


_ID, _MEMBER = attrgetter("id"), attrgetter("member")


# The case fields each integrity check reads (the section names are those `integrity_problems` checks
# under). A case known to pass every check, changed in some fields, can have problems only in the
# sections reading one of them: the live path checks those (`integrity_problems(case, changed)`), and
# tests/live/test_integrity_sections.py holds the answer equal to the whole check, field by field.
INTEGRITY_INPUTS: dict[str, frozenset[str]] = {
    "as_of": frozenset({"status", "as_of"}),
    "post": frozenset({"post"}),
    "motion": frozenset({"motion", "candidates"}),
    "recommendations": frozenset({"recommendations", "candidates"}),
    "canvassing_findings": frozenset({"canvassing_findings", "candidates", "recommendations"}),
    "attestations": frozenset({"attestations", "candidates"}),
    "nominations": frozenset({"nominations", "candidates"}),
    "recommendation_exemption": frozenset({"recommendation_exemption", "prior_reports"}),
    "relations": frozenset({"relations", "body", "candidates", "inspections", "colleagues"}),
    "inspections": frozenset({"inspections", "candidates"}),
    "meetings": frozenset({"meetings", "body", "candidates"}),
    "publicity": frozenset({"publicity", "candidates"}),
    "appointments": frozenset({"appointments", "candidates", "meetings"}),
    "filings": frozenset({"filings", "candidates", "appointments"}),
    "prior_reports": frozenset({"prior_reports"}),
    "leader_departure": frozenset({"leader_departure", "body"}),
    "candidates": frozenset({"candidates"}),
}


# Of a list's records, the fields any integrity check reads (its own section's, the ids, and other
# sections': the relations read the inspection teams). A record replaced by one that differs only in
# other fields (an inspection's four musts, its report) cannot change the problems; the live path then
# checks nothing of that list. tests/live/test_integrity_sections.py changes every other field.
INTEGRITY_RECORD_FIELDS: dict[str, frozenset[str]] = {
    "inspections": frozenset({"id", "candidate", "start", "completed", "petitions", "team"}),
    # its own section and the filings' read a notice's candidate and date (a talk, a number … none)
    "appointments": frozenset({"id", "candidate", "date"}),
}


def integrity_sections(changed: Iterable[str]) -> frozenset[str]:
    """The sections of `integrity_problems` that read one of the `changed` case fields."""
    return _sections(frozenset(changed))


@lru_cache(maxsize=256)
def _sections(changed: frozenset[str]) -> frozenset[str]:
    return frozenset(name for name, inputs in INTEGRITY_INPUTS.items() if not inputs.isdisjoint(changed))


def integrity_problems(case: Case, changed: Iterable[str] | None = None,
                       at: Mapping[str, int] | None = None) -> Iterator[tuple[str, str]]:
    """Dangling references, duplicate ids and impossible chronology, each with its field path and the
    message as a Problem (a str in English that knows its ErrorKind and parameters).

    One pass over the case with id sets; a field path and message are only built for a problem found.
    The order of the problems is part of the contract (error reports list them as yielded).

    `changed`: for a case made from a version that passed every check by changing these case fields,
    only the checks reading one of them run (`INTEGRITY_INPUTS`): the same problems, in the same order.

    `at` (with `changed`): {list field: index} for a list of which one record was added or replaced,
    the others the same objects as in the version that passed: that section checks that record alone
    when no other field it reads changed (the others' problems were none and still are), and its ids
    are checked for duplicates only when the record's id is another record's too."""
    run = None if changed is None else integrity_sections(changed)
    if run is not None and not run:  # no check reads a changed field (nor the ids: every list is some section's)
        return
    one = _one_record(case, run, set(changed), at) if at and changed is not None else {}
    yield from _duplicate_ids(case, None if changed is None else set(changed), one)
    members = set(map(_ID, case.body.members)) if run is None or not run.isdisjoint(_READ_MEMBERS) else set()
    candidates = set(map(_ID, case.candidates)) if run is None or not run.isdisjoint(_READ_CANDIDATES) else set()

    if (run is None or "as_of" in run) and case.status == "open" and case.as_of is None:
        yield "as_of", Problem(ErrorKind.open_case_without_as_of)
    if (run is None or "post" in run) and case.post.level is not None and case.post.level in NON_LEADING_LEVELS:
        yield "post.level", Problem(ErrorKind.post_at_non_leading_level, level=case.post.level.value, name=case.post.level.zh)
    if (run is None or "motion" in run) and case.motion:
        intended = case.motion.intended_candidates
        if not candidates.issuperset(intended):
            yield from _unknown("motion.intended_candidates", intended, candidates, ErrorKind.unknown_candidate)
    for r, rec in _rows(case.recommendations, "recommendations", run, one):
        for i, res in enumerate(rec.results):
            if res.candidate not in candidates:
                yield f"recommendations[{r}].results[{i}].candidate", Problem(ErrorKind.unknown_candidate, id=res.candidate)
        if rec.reference_list and not candidates.issuperset(rec.reference_list):
            yield from _unknown(f"recommendations[{r}].reference_list", rec.reference_list, candidates, ErrorKind.unknown_candidate)
    if (run is None or "canvassing_findings" in run) and case.canvassing_findings:
        rounds = {r.id for r in case.recommendations}
        for k, finding in enumerate(case.canvassing_findings):
            if finding.candidate not in candidates:
                yield f"canvassing_findings[{k}].candidate", Problem(ErrorKind.unknown_candidate, id=finding.candidate)
            if finding.recommendation is not None and finding.recommendation not in rounds:
                yield f"canvassing_findings[{k}].recommendation", Problem(ErrorKind.unknown_recommendation, id=finding.recommendation)
    for a, att in _rows(case.attestations, "attestations", run, one):
        if att.candidate not in candidates:
            yield f"attestations[{a}].candidate", Problem(ErrorKind.unknown_candidate, id=att.candidate)
    for n, nom in _rows(case.nominations, "nominations", run, one):
        if nom.candidate not in candidates:
            yield f"nominations[{n}].candidate", Problem(ErrorKind.unknown_candidate, id=nom.candidate)
    if (run is None or "recommendation_exemption" in run) and case.recommendation_exemption:
        if case.recommendation_exemption not in {r.id for r in case.prior_reports}:
            yield "recommendation_exemption", Problem(ErrorKind.unknown_prior_report, id=case.recommendation_exemption)
    if (run is None or "relations" in run) and case.relations:
        people = members | candidates
        for ins in case.inspections:
            for t in ins.team:
                if t.person:
                    people.add(t.person)
        people |= {c.id for c in case.colleagues}
        for i, rel in enumerate(case.relations):
            if rel.person not in people:
                yield f"relations[{i}].person", Problem(ErrorKind.unknown_person, id=rel.person)
            if rel.relative not in people:
                yield f"relations[{i}].relative", Problem(ErrorKind.unknown_person, id=rel.relative)
    for n, ins in _rows(case.inspections, "inspections", run, one):
        if ins.candidate not in candidates:
            yield f"inspections[{n}].candidate", Problem(ErrorKind.unknown_candidate, id=ins.candidate)
        if ins.completed and surely_before(ins.completed, ins.start):
            yield f"inspections[{n}].completed", Problem(ErrorKind.inspection_completed_before_start, completed=ins.completed, start=ins.start)
        for p, pet in enumerate(ins.petitions):
            if pet.closed and pet.closed < pet.received:
                yield f"inspections[{n}].petitions[{p}].closed", Problem(ErrorKind.closed_before_received, date=pet.closed, received=pet.received)
    for m, meeting in _rows(case.meetings, "meetings", run, one):
        due = meeting.members_due
        attendees = meeting.attendees
        if not members.issuperset(due):
            yield from _unknown(f"meetings[{m}].members_due", due, members, ErrorKind.unknown_member)
        if not members.issuperset(attendees):
            yield from _unknown(f"meetings[{m}].attendees", attendees, members, ErrorKind.unknown_member)
        if meeting.chair and meeting.chair not in members:
            yield f"meetings[{m}].chair", Problem(ErrorKind.unknown_member, id=meeting.chair)
        if not meeting.agenda:
            continue
        present = set(attendees)
        speakers = members & present  # who may speak: a known member among the attendees
        n_due = len(set(due))
        for a, item in enumerate(meeting.agenda):
            if item.candidate not in candidates:
                yield f"meetings[{m}].agenda[{a}].candidate", Problem(ErrorKind.unknown_candidate, id=item.candidate)
            if item.presenter and item.presenter not in members:
                yield f"meetings[{m}].agenda[{a}].presenter", Problem(ErrorKind.unknown_member, id=item.presenter)
            if item.departed and not members.issuperset(item.departed):
                yield from _unknown(f"meetings[{m}].agenda[{a}].departed", item.departed, members, ErrorKind.unknown_member)
            if item.recused and not members.issuperset(item.recused):
                yield from _unknown(f"meetings[{m}].agenda[{a}].recused", item.recused, members, ErrorKind.unknown_member)
            if item.statements and not speakers.issuperset(map(_MEMBER, item.statements)):
                for s, st in enumerate(item.statements):
                    if st.member not in members:
                        yield f"meetings[{m}].agenda[{a}].statements[{s}].member", Problem(ErrorKind.unknown_member, id=st.member)
                    elif st.member not in present:
                        yield (f"meetings[{m}].agenda[{a}].statements[{s}].member",
                               Problem(ErrorKind.speaker_not_attendee, member=st.member))
            vote = item.vote
            if vote:
                cast = vote.agree + vote.disagree + vote.abstain
                if cast > n_due:
                    yield f"meetings[{m}].agenda[{a}].vote", Problem(ErrorKind.votes_exceed_due, cast=cast, due=n_due)
    for p, pub in _rows(case.publicity, "publicity", run, one):
        if pub.candidate not in candidates:
            yield f"publicity[{p}].candidate", Problem(ErrorKind.unknown_candidate, id=pub.candidate)
        if pub.end and surely_before(pub.end, pub.start):
            yield f"publicity[{p}].end", Problem(ErrorKind.publicity_end_before_start, end=pub.end, start=pub.start)
        for o, obj in enumerate(pub.objections):
            if obj.resolved and obj.resolved < obj.received:
                yield f"publicity[{p}].objections[{o}].resolved", Problem(ErrorKind.closed_before_received, date=obj.resolved, received=obj.received)
    if (run is None or "appointments" in run) and case.appointments:
        decided = _decided(case)
        for a, notice in enumerate(case.appointments):
            if notice.candidate not in candidates:
                yield f"appointments[{a}].candidate", Problem(ErrorKind.unknown_candidate, id=notice.candidate)
            if notice.candidate in decided and surely_before(notice.date, decided[notice.candidate]):
                yield f"appointments[{a}].date", Problem(ErrorKind.notice_before_decision, date=notice.date, decided=decided[notice.candidate])
    if (run is None or "filings" in run) and case.filings:
        notices = {notice.candidate: notice.date for notice in case.appointments}  # of a candidate's notices, the last
        for f, filing in enumerate(case.filings):
            if filing.candidate not in candidates:
                yield f"filings[{f}].candidate", Problem(ErrorKind.unknown_candidate, id=filing.candidate)
            if filing.candidate in notices and surely_before(filing.date, notices[filing.candidate]):
                yield f"filings[{f}].date", Problem(ErrorKind.filing_before_notice, date=filing.date, notice=notices[filing.candidate])
    for r, rep in _rows(case.prior_reports, "prior_reports", run, one):
        if rep.reply_date and rep.reply_date < rep.submitted:
            yield f"prior_reports[{r}].reply_date", Problem(ErrorKind.reply_before_submission, reply=rep.reply_date, submitted=rep.submitted)
    if (run is None or "leader_departure" in run) and case.leader_departure:
        dep = case.leader_departure
        if dep.leader not in members:
            yield "leader_departure.leader", Problem(ErrorKind.unknown_member, id=dep.leader)
        if dep.left and dep.left < dep.decided:
            yield "leader_departure.left", Problem(ErrorKind.left_before_decided, left=dep.left, decided=dep.decided)
    for c, cand in enumerate(case.candidates if run is None or "candidates" in run else ()):
        for s, sanction in enumerate(cand.sanctions):
            if (sanction.system, sanction.type) not in KNOWN_SANCTIONS and sanction.period_months is None:
                yield (f"candidates[{c}].sanctions[{s}].type",
                       Problem(ErrorKind.sanction_period_unknown, system=sanction.system, type=sanction.type))
        if cand.work_start_date and before(cand.work_start_date, cand.birth_date):
            yield f"candidates[{c}].work_start_date", Problem(ErrorKind.work_start_before_birth, work_start=cand.work_start_date, birth=cand.birth_date)
        for w, post in enumerate(cand.work_history):
            if post.end and post.end < post.start:
                yield f"candidates[{c}].work_history[{w}].end", Problem(ErrorKind.end_before_start, end=post.end, start=post.start)


# The sections reading the body's members and the candidates (the id sets are built only for them).
_READ_MEMBERS = frozenset({"relations", "meetings", "leader_departure"})
_READ_CANDIDATES = frozenset(name for name, inputs in INTEGRITY_INPUTS.items() if "candidates" in inputs)


def _one_record(case: Case, run: frozenset[str], changed: set[str], at: Mapping[str, int]) -> dict[str, int]:
    """Of the sections named in `at`, those that may check the one record alone: the section runs, its
    list is the only field it reads that changed, and the index lies in the list."""
    out = {}
    for field, index in at.items():
        if field in run and INTEGRITY_INPUTS[field] & changed == {field} and 0 <= index < len(getattr(case, field)):
            out[field] = index
    return out


def _rows(records: list[Any], section: str, run: frozenset[str] | None, one: Mapping[str, int]) -> Iterable[tuple[int, Any]]:
    """The (index, record) pairs a per-record section checks: all, none, or the one record that changed."""
    if run is not None and section not in run:
        return ()
    if section in one:
        return ((one[section], records[one[section]]),)
    return enumerate(records)


def _decided(case: Case) -> dict[str, date]:
    """Candidate -> the date of the last deciding meeting (in file order) that adopted them."""
    decided: dict[str, date] = {}
    for meeting in case.meetings:
        if meeting.agenda and meeting.kind in DECIDING_MEETINGS:
            for item in meeting.agenda:
                if item.outcome and item.outcome.value == "adopted":
                    decided[item.candidate] = meeting.date
    return decided


def _unknown(path: str, values: list[str], known: set[str], what: ErrorKind) -> Iterator[tuple[str, str]]:
    """The entries of a list of references that name nothing known (the slow path: a problem was found)."""
    for i, value in enumerate(values):
        if value not in known:
            yield f"{path}[{i}]", Problem(what, id=value)


# The lists of records with ids, by case field and path (in the order their duplicates are reported).
_ID_PATHS = (("body", "body.members"), *((f, f) for f in ("candidates", "recommendations", "inspections", "meetings",
             "publicity", "appointments", "filings", "prior_reports", "canvassing_findings")))
_ID_LISTS = frozenset(field for field, _ in _ID_PATHS)
assert _ID_LISTS <= frozenset().union(*INTEGRITY_INPUTS.values())  # (integrity_problems relies on it)


def _duplicate_ids(case: Case, changed: set[str] | None = None, one: Mapping[str, int] | None = None
                   ) -> Iterator[tuple[str, str]]:
    """Duplicate ids within each list of records (`changed`: only the lists of these case fields; `one`:
    of these lists, one record changed, the others passed: checked only when its id is another's too)."""
    if changed is not None and changed.isdisjoint(_ID_LISTS):
        return
    groups: list[tuple[str, list[Any]]] = [
        (path, case.body.members if field == "body" else getattr(case, field)) for field, path in _ID_PATHS
        if changed is None or field in changed]
    if changed is None or "meetings" in changed:
        if one and "meetings" in one:  # of the agendas, only the changed meeting's can have a new duplicate
            m = one["meetings"]
            groups.append((f"meetings[{m}].agenda", case.meetings[m].agenda))
        else:
            groups += [(f"meetings[{m}].agenda", meeting.agenda) for m, meeting in enumerate(case.meetings)]
    for path, records in groups:
        if len(records) < 2:
            continue
        if one and path in one:
            key = records[one[path]].id
            if sum(1 for r in records if r.id == key) < 2:
                continue
        if len(set(map(_ID, records))) == len(records):
            continue
        seen: set[str] = set()
        for i, value in enumerate(map(_ID, records)):
            if value in seen:
                yield f"{path}[{i}].id", Problem(ErrorKind.duplicate_id, id=value)
            seen.add(value)
