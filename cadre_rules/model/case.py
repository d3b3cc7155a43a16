"""The selection case: the root record, and the integrity checks that tie its parts together."""
from __future__ import annotations

from datetime import date
from typing import Any, Iterator, Literal

from pydantic import Field, ValidationInfo, model_validator

from .base import AttestationKind, Id, Level, MoveKind, Record
from .people import Body, Candidate, Relation
from .steps import (
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
    quota: int = Field(ge=0, description="approved number of such posts in the unit")
    incumbents: int = Field(ge=0, description="holders before this case's appointments")
    filing_required: bool = True
    posts_to_fill: int = Field(default=1, ge=1)
    managed_by: str | None = Field(default=None, description="body holding management authority, if not the deciding body")
    is_party_post: bool = Field(default=False, description="a Party post that brings committee membership")
    committee_level: Literal["provincial", "prefectural", "county"] | None = Field(default=None, description="level of that committee")
    probation: bool = Field(default=False, description="in the categories with a one-year probation")
    special: bool = Field(default=False, description="special post: exempt from publicity and the naked-official bar")
    function: Literal["personnel", "discipline", "audit", "finance", "other"] | None = None
    avoidance_level: Literal["county", "prefecture"] | None = Field(default=None, description="a chief post under home-place avoidance")
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

    with_: Literal["leaders", "superior_leader", "united_front", "co_side", "other"] = Field(alias="with")
    date: date
    view: str | None = None


class Submission(Record):
    """报上级审批: the request and its reply, for posts managed by a higher body."""

    date: date
    docs: list[str] = Field(default_factory=list)
    reply_date: date | None = None
    result: Literal["approved", "rejected"] | None = None


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


class Case(Record):
    """One selection case (一次选拔任用), as the organisation department records it."""

    id: Id
    title: str | None = None
    organisation: str = Field(description="the unit whose post is filled")
    jurisdiction: str = "national"
    status: Literal["closed", "open"] = Field(default="closed", description="open: an unfinished case, judged as of `as_of`")
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
    batch_size: int | None = Field(default=None, ge=1, description="cadres adjusted in the same batch")
    breakthrough: Breakthrough | None = None
    recommendation_exemption: str | None = Field(default=None, description="id of the approved prior report exempting recommendation")
    attestations: list[Attestation] = Field(default_factory=list)
    consultations: list[Consultation] = Field(default_factory=list)
    submission: Submission | None = None
    nominations: list[Nomination] = Field(default_factory=list)
    colleagues: list[Colleague] = Field(default_factory=list)
    relatives_business: list[RelativeBusiness] = Field(default_factory=list)
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


# Sanction types whose influence period the rulebook knows (DISQ-DISCIPLINE-PERIOD's parameters); any
# other type must carry its own period, so that a typo can never silently end a ban.
KNOWN_SANCTIONS = {
    ("party", "warning"), ("party", "serious_warning"), ("party", "removal_from_post"),
    ("administrative", "warning"), ("administrative", "demerit"), ("administrative", "major_demerit"),
    ("administrative", "demotion"), ("administrative", "dismissal"),
}


def integrity_problems(case: Case) -> Iterator[tuple[str, str]]:
    """Dangling references, duplicate ids and impossible chronology, each with its field path."""
    yield from _duplicate_ids(case)
    members = {m.id for m in case.body.members}
    candidates = {c.id for c in case.candidates}
    people = members | candidates
    inspectors = {t.person for i in case.inspections for t in i.team if t.person}
    people |= inspectors

    def ref(path: str, value: str, known: set[str], what: str) -> Iterator[tuple[str, str]]:
        if value not in known:
            yield path, f'unknown {what} "{value}"'

    if case.status == "open" and case.as_of is None:
        yield "as_of", "an open case needs the date its record is complete to (as_of)"
    if case.motion:
        for i, c in enumerate(case.motion.intended_candidates):
            yield from ref(f"motion.intended_candidates[{i}]", c, candidates, "candidate")
    for r, rec in enumerate(case.recommendations):
        for i, res in enumerate(rec.results):
            yield from ref(f"recommendations[{r}].results[{i}].candidate", res.candidate, candidates, "candidate")
        for i, cid in enumerate(rec.reference_list):
            yield from ref(f"recommendations[{r}].reference_list[{i}]", cid, candidates, "candidate")
    for a, att in enumerate(case.attestations):
        yield from ref(f"attestations[{a}].candidate", att.candidate, candidates, "candidate")
    for n, nom in enumerate(case.nominations):
        yield from ref(f"nominations[{n}].candidate", nom.candidate, candidates, "candidate")
    if case.recommendation_exemption:
        yield from ref("recommendation_exemption", case.recommendation_exemption, {r.id for r in case.prior_reports},
                       "prior report")
    people |= {c.id for c in case.colleagues}
    for i, rel in enumerate(case.relations):
        yield from ref(f"relations[{i}].person", rel.person, people, "person")
        yield from ref(f"relations[{i}].relative", rel.relative, people, "person")
    for n, ins in enumerate(case.inspections):
        yield from ref(f"inspections[{n}].candidate", ins.candidate, candidates, "candidate")
        if ins.completed and ins.completed < ins.start:
            yield f"inspections[{n}].completed", f"{ins.completed} is before the inspection start {ins.start}"
        for p, pet in enumerate(ins.petitions):
            if pet.closed and pet.closed < pet.received:
                yield f"inspections[{n}].petitions[{p}].closed", f"{pet.closed} is before it was received ({pet.received})"
    decided: dict[str, date] = {}
    for m, meeting in enumerate(case.meetings):
        due = set(meeting.members_due)
        for i, mid in enumerate(meeting.members_due):
            yield from ref(f"meetings[{m}].members_due[{i}]", mid, members, "member")
        for i, mid in enumerate(meeting.attendees):
            yield from ref(f"meetings[{m}].attendees[{i}]", mid, members, "member")
        if meeting.chair:
            yield from ref(f"meetings[{m}].chair", meeting.chair, members, "member")
        for a, item in enumerate(meeting.agenda):
            base = f"meetings[{m}].agenda[{a}]"
            yield from ref(f"{base}.candidate", item.candidate, candidates, "candidate")
            if item.presenter:
                yield from ref(f"{base}.presenter", item.presenter, members, "member")
            for key in ("departed", "recused"):
                for i, mid in enumerate(getattr(item, key)):
                    yield from ref(f"{base}.{key}[{i}]", mid, members, "member")
            for s, st in enumerate(item.statements):
                yield from ref(f"{base}.statements[{s}].member", st.member, members, "member")
                if st.member in members and st.member not in meeting.attendees:
                    yield f"{base}.statements[{s}].member", f'"{st.member}" speaks but is not among the attendees'
            if item.vote:
                cast = item.vote.yes + item.vote.no + item.vote.abstain
                if cast > len(due):
                    yield f"{base}.vote", f"{cast} votes cast but only {len(due)} members are due"
            if meeting.kind.value in ("decision", "reconsideration", "full_committee") and item.outcome and item.outcome.value == "adopted":
                decided[item.candidate] = meeting.date
    for p, pub in enumerate(case.publicity):
        yield from ref(f"publicity[{p}].candidate", pub.candidate, candidates, "candidate")
        if pub.end and pub.end < pub.start:
            yield f"publicity[{p}].end", f"{pub.end} is before the publicity start {pub.start}"
        for o, obj in enumerate(pub.objections):
            if obj.resolved and obj.resolved < obj.received:
                yield f"publicity[{p}].objections[{o}].resolved", f"{obj.resolved} is before it was received ({obj.received})"
    notices: dict[str, date] = {}
    for a, notice in enumerate(case.appointments):
        yield from ref(f"appointments[{a}].candidate", notice.candidate, candidates, "candidate")
        notices[notice.candidate] = notice.date
        if notice.candidate in decided and notice.date < decided[notice.candidate]:
            yield f"appointments[{a}].date", f"appointment notice {notice.date} is before the decision of {decided[notice.candidate]}"
    for f, filing in enumerate(case.filings):
        yield from ref(f"filings[{f}].candidate", filing.candidate, candidates, "candidate")
        if filing.candidate in notices and filing.date < notices[filing.candidate]:
            yield f"filings[{f}].date", f"filing {filing.date} is before the appointment notice of {notices[filing.candidate]}"
    for r, rep in enumerate(case.prior_reports):
        if rep.reply_date and rep.reply_date < rep.submitted:
            yield f"prior_reports[{r}].reply_date", f"{rep.reply_date} is before the report was submitted ({rep.submitted})"
    if case.leader_departure:
        dep = case.leader_departure
        yield from ref("leader_departure.leader", dep.leader, members, "member")
        if dep.left and dep.left < dep.decided:
            yield "leader_departure.left", f"{dep.left} is before the departure was decided ({dep.decided})"
    for c, cand in enumerate(case.candidates):
        for s, sanction in enumerate(cand.sanctions):
            if (sanction.system, sanction.type) not in KNOWN_SANCTIONS and sanction.period_months is None:
                yield (f"candidates[{c}].sanctions[{s}].type",
                       f'no known influence period for {sanction.system} "{sanction.type}": record period_months')
        if cand.work_start_date and cand.work_start_date < cand.birth_date:
            yield f"candidates[{c}].work_start_date", f"{cand.work_start_date} is before the birth date {cand.birth_date}"
        for w, post in enumerate(cand.work_history):
            if post.end and post.end < post.start:
                yield f"candidates[{c}].work_history[{w}].end", f"{post.end} is before the start {post.start}"


def _duplicate_ids(case: Case) -> Iterator[tuple[str, str]]:
    groups: dict[str, list[tuple[str, str]]] = {
        "body.members": [(f"body.members[{i}].id", m.id) for i, m in enumerate(case.body.members)],
        "candidates": [(f"candidates[{i}].id", c.id) for i, c in enumerate(case.candidates)],
        "recommendations": [(f"recommendations[{i}].id", r.id) for i, r in enumerate(case.recommendations)],
        "inspections": [(f"inspections[{i}].id", r.id) for i, r in enumerate(case.inspections)],
        "meetings": [(f"meetings[{i}].id", r.id) for i, r in enumerate(case.meetings)],
        "publicity": [(f"publicity[{i}].id", r.id) for i, r in enumerate(case.publicity)],
        "appointments": [(f"appointments[{i}].id", r.id) for i, r in enumerate(case.appointments)],
        "filings": [(f"filings[{i}].id", r.id) for i, r in enumerate(case.filings)],
        "prior_reports": [(f"prior_reports[{i}].id", r.id) for i, r in enumerate(case.prior_reports)],
    }
    for m, meeting in enumerate(case.meetings):
        groups[f"meetings[{m}].agenda"] = [(f"meetings[{m}].agenda[{i}].id", a.id) for i, a in enumerate(meeting.agenda)]
    for entries in groups.values():
        seen: set[str] = set()
        for path, value in entries:
            if value in seen:
                yield path, f'duplicate id "{value}"'
            seen.add(value)
