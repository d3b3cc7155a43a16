"""The one place the test tooling builds the records of a case: the deciding body and its members,
meetings and their agenda items
(statements, speaking order and vote), publicity, appointment notices, filings, recommendation rounds,
inspections and their checks, consultations, attestations, prior reports and submissions.

Why one place: the Gherkin builder (testing/builder.py, model level, used by bdd/steps.py), the
generator (testing/synth.py with its draft and breakers) and the baseline (testing/baseline.py) all
build these records. Built three ways, the kinds drifted apart (a vote counted abstentions one way in
synth and another in the builder); built here, a record kind has one shape, one set of defaults and one
derivation (who speaks in which order, how views become a vote). tests/testing/test_one_case_builder.py
fails when a record kind is constructed anywhere else in cadre_rules/testing/ or cadre_rules/bdd/.

A record is returned as case-file data: a dict with the case file's keys (in the order a case file
lists them) and `date` objects for dates. Only the fields given are set (a `None` argument leaves the
key out, as a case file would), so the model-level callers get a model whose unset fields are the
model's defaults: `Model.model_validate(records.x(...))`. Randomness stays with the caller (synth draws
the values; the builder takes them from the scenario's words); nothing here draws or validates.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Mapping

__all__ = ["agenda_item", "appointment_notice", "attestation", "body", "check", "consultation", "discussion", "filing", "inspection", "inspection_report",
           "integrity_conclusion", "meeting", "meeting_records", "member", "non_voting", "objection", "petition", "prior_report",
           "probation", "publicity", "recommendation", "recommendation_result", "speaking_order", "statements",
           "submission", "talk", "tally", "target_decision", "team_member", "vote"]

Record = dict[str, Any]


def _record(**fields: Any) -> Record:
    """The fields given (not None), in the order the function lists them."""
    return {k: v for k, v in fields.items() if v is not None}


# --- the deciding body ------------------------------------------------------------------------------------

def member(id: str, name: str, roles: list[Any] | None = None) -> Record:
    """A member of the deciding body; a plain member's roles are left out (the model's default)."""
    return _record(id=id, name=name, roles=roles)


def body(id: str, name: str, kind: str, members: list[Any]) -> Record:
    return {"id": id, "name": name, "kind": kind, "members": members}


# --- the deciding meeting ------------------------------------------------------------------------------

def meeting(id: str, kind: Any, date: date, members_due: list[str], attendees: list[str], *,
            non_voting_attendees: list[Record] | None = None, chair: str | None = None,
            records: Record | None = None, agenda: list[Record] | None = None,
            urgent_between_plenums: bool | None = None, plenum_members_consulted: bool | None = None) -> Record:
    return _record(id=id, kind=kind, date=date, members_due=list(members_due), attendees=list(attendees),
                   non_voting_attendees=non_voting_attendees, chair=chair, records=records, agenda=agenda,
                   urgent_between_plenums=urgent_between_plenums, plenum_members_consulted=plenum_members_consulted)


def non_voting(name: str, role: str) -> Record:
    """A non-voting attendee (列席): never counted toward the quorum."""
    return {"name": name, "role": role}


def meeting_records(minutes: bool = True, discussion_record: bool = True, signed_by_chair: bool = True,
                    signed_by_recorder: bool = True) -> Record:
    """The meeting's minutes and discussion record (complete and signed unless told otherwise)."""
    return {"minutes": minutes, "discussion_record": discussion_record, "signed_by_chair": signed_by_chair,
            "signed_by_recorder": signed_by_recorder}


def agenda_item(id: str, candidate: str, *, circulated_in_advance: bool | None = None,
                added_at_meeting: bool | None = None, presenter: str | None = None,
                presented_by_org_head: bool | None = None, reportable_matters_explained: bool | None = None,
                reconsideration_consent: int | None = None, departed: list[str] | None = None,
                recused: list[str] | None = None, statements: list[Record] | None = None,
                vote: Record | None = None, outcome: Any = None) -> Record:
    return _record(id=id, candidate=candidate, circulated_in_advance=circulated_in_advance,
                   added_at_meeting=added_at_meeting, presenter=presenter, presented_by_org_head=presented_by_org_head,
                   reportable_matters_explained=reportable_matters_explained,
                   reconsideration_consent=reconsideration_consent, departed=departed, recused=recused,
                   statements=statements, vote=vote, outcome=outcome)


def speaking_order(others: Iterable[str], principal: str | None, opener: str | None,
                   principal_place: str | int = "last") -> list[str]:
    """Who speaks in which order on an item: the opener (the member presenting, or the organisation lead)
    first, then `others` in the order given, and the principal leader `last` (the rule since 2019),
    `first`, or at the index given (before someone else: the rule broken). None: not speaking."""
    order = list(others)
    if opener is not None:
        order.insert(0, opener)
    if principal is not None:
        if principal_place == "last":
            order.append(principal)
        elif principal_place == "first":
            order.insert(0, principal)
        else:
            order.insert(int(principal_place), principal)
    return order


def statements(order: Iterable[str], views: Mapping[str, Any]) -> list[Record]:
    """One statement per speaker, numbered from 1 in speaking order, with the speaker's view."""
    return [{"member": m, "order": k, "view": views[m]} for k, m in enumerate(order, start=1)]


def tally(views: Iterable[Any], voting: int) -> tuple[int, int, int]:
    """A vote recorded as the stated views: yes = agree, no = disagree, and every other member of the
    `voting` present for the item (deferring, unclear or silent) abstains."""
    values = [getattr(v, "value", v) for v in views]
    yes, no = values.count("agree"), values.count("disagree")
    return yes, no, voting - yes - no


def discussion(others: Iterable[str], principal: str | None, opener: str | None, principal_place: str | int,
               views: Mapping[str, Any], voting: int, method: str | None,
               ballot: tuple[int, int, int] | None = None,
               per_candidate: bool | None = None) -> tuple[list[Record], Record | None]:
    """How an item's plan becomes its record: the statements in speaking order (`speaking_order`) with
    each speaker's view, and the vote (none without a `method`) — the `ballot` when one was recorded
    apart from the views (a secret ballot), else the views counted (`tally`) over the `voting` present."""
    order = speaking_order(others, principal, opener, principal_place)
    said = statements(order, views)
    if method is None:
        return said, None
    yes, no, abstain = ballot if ballot is not None else tally((views[m] for m in order), voting)
    return said, vote(method, yes, no, abstain, per_candidate)


def vote(method: str, yes: int, no: int | None = None, abstain: int | None = None,
         per_candidate: bool | None = None) -> Record:
    return _record(method=method, agree=yes, disagree=no, abstain=abstain, per_candidate=per_candidate)


# --- publicity, appointment, filing --------------------------------------------------------------------

def publicity(id: str, candidate: str, start: date, end: date | None = None, channel: str | None = None, *,
              objections: list[Record] | None = None, breakthrough_statement: bool | None = None) -> Record:
    return _record(id=id, candidate=candidate, start=start, end=end, channel=channel, objections=objections,
                   breakthrough_statement=breakthrough_statement)


def objection(received: date, affects_appointment: bool | None = None, resolved: date | None = None) -> Record:
    return _record(received=received, affects_appointment=affects_appointment, resolved=resolved)


def appointment_notice(id: str, candidate: str, date: date, number: str | None = None, *,
                       talk: Record | None = None, probation: Record | None = None) -> Record:
    return _record(id=id, candidate=candidate, date=date, number=number, talk=talk, probation=probation)


def talk(date: date, by: str) -> Record:
    """The appointment talk (任职谈话)."""
    return {"date": date, "by": by}


def probation(start: date, planned_end: date, assessment_date: date | None = None, result: str | None = None) -> Record:
    return _record(start=start, planned_end=planned_end, assessment_date=assessment_date, result=result)


def filing(id: str, candidate: str, date: date, to: str) -> Record:
    """The appointment filed with the superior organisation department (备案)."""
    return {"id": id, "candidate": candidate, "date": date, "to": to}


# --- recommendation --------------------------------------------------------------------------------------

def recommendation(id: str, form: str, date: date, *, participants_expected: int | None = None,
                   participants_actual: int | None = None, required_categories: list[str] | None = None,
                   participant_categories: list[str] | None = None, reference_list: list[str] | None = None,
                   results: list[Record] | None = None, individual_talks: bool | None = None) -> Record:
    """A democratic recommendation round (meeting, talk or second meeting) and its results;
    `individual_talks`: talks held at the same sitting as a meeting (both forms, REC-REQUIRED)."""
    return _record(id=id, form=form, date=date, participants_expected=participants_expected,
                   participants_actual=participants_actual, individual_talks=individual_talks,
                   required_categories=required_categories,
                   participant_categories=participant_categories, reference_list=reference_list, results=results)


def recommendation_result(candidate: str, votes: int) -> Record:
    return {"candidate": candidate, "votes": votes}


# --- inspection ------------------------------------------------------------------------------------------

def inspection(id: str, candidate: str, team: list[Record], *, target_decision: Record | None = None,
               plan_date: date | None = None, unit_consultation_date: date | None = None,
               notice_date: date | None = None, methods: list[str] | None = None, feedback_date: date | None = None,
               start: date | None = None, completed: date | None = None, department_review_date: date | None = None,
               report: Record | None = None, file_review: Record | None = None,
               personal_matters: Record | None = None, discipline_opinion: Record | None = None,
               petition_check: Record | None = None, petitions: list[Record] | None = None,
               integrity_conclusion: Record | None = None, economic_audit: Record | None = None) -> Record:
    return _record(id=id, candidate=candidate, team=team, target_decision=target_decision, plan_date=plan_date,
                   unit_consultation_date=unit_consultation_date, notice_date=notice_date, methods=methods,
                   feedback_date=feedback_date, start=start, completed=completed,
                   department_review_date=department_review_date, report=report, file_review=file_review,
                   personal_matters=personal_matters, discipline_opinion=discipline_opinion,
                   petition_check=petition_check, petitions=petitions, integrity_conclusion=integrity_conclusion,
                   economic_audit=economic_audit)


def team_member(name: str, role: str | None = None) -> Record:
    return _record(name=name, role=role)


def target_decision(body: str, date: date, collective: bool = True, views_concentrated: bool | None = None,
                    rationale: str | None = None) -> Record:
    """Who fixed the inspection targets, when, and on what grounds."""
    return _record(body=body, date=date, collective=collective, views_concentrated=views_concentrated,
                   rationale=rationale)


def inspection_report(date: date, strengths: str | None = None, weaknesses: str | None = None,
                      recommendation_results: str | None = None, evaluation_results: str | None = None) -> Record:
    return _record(date=date, strengths=strengths, weaknesses=weaknesses,
                   recommendation_results=recommendation_results, evaluation_results=evaluation_results)


def check(date: date, outcome: Any = "clear", note: str | None = None) -> Record:
    """One of the four musts (or the economic audit): done on `date` with `outcome`."""
    return _record(date=date, outcome=outcome, note=note)


def integrity_conclusion(date: date, signed_by_secretary: bool = True, signed_by_discipline_head: bool = True) -> Record:
    """The 廉洁自律结论性意见, signed by the secretary and the discipline head unless told otherwise."""
    return {"date": date, "signed_by_secretary": signed_by_secretary,
            "signed_by_discipline_head": signed_by_discipline_head}


def petition(id: str, received: date, specific: bool, closed: date | None = None, conclusion: str | None = None) -> Record:
    return _record(id=id, received=received, specific=specific, closed=closed, conclusion=conclusion)


# --- before the meeting: consultations and attestations ----------------------------------------------------

def consultation(with_: str, date: date, view: str | None = None) -> Record:
    """A consultation before the meeting (酝酿): with the leaders, the superior's leader, the united front."""
    return _record(**{"with": with_}, date=date, view=view)


def attestation(kind: Any, candidate: str, date: date, by: str) -> Record:
    """A fitness (health) or basic-conditions assessment of a candidate, by whom and when."""
    return {"kind": kind, "candidate": candidate, "date": date, "by": by}


# --- reports to the superior -------------------------------------------------------------------------------

def prior_report(id: str, matter: str, submitted: date, reply_date: date | None, reply: str | None) -> Record:
    """A matter reported to the superior before acting (事先报告) and the superior's reply."""
    return _record(id=id, matter=matter, submitted=submitted, reply_date=reply_date, reply=reply)


def submission(date: date, docs: list[str], reply_date: date | None = None, result: str | None = None) -> Record:
    """The decision submitted to the superior for approval (报批), with the documents sent."""
    return _record(date=date, docs=list(docs), reply_date=reply_date, result=result)
