"""Deriving the facts of one case. Every count, period and comparison of people and dates is here."""
from __future__ import annotations

from datetime import date
from typing import Iterable

import networkx as nx

from .. import calendar
from ..kinship import kinship_graph, within_recusal_scope
from ..model import Case, Level, MeetingKind, MoveKind, Role, View
from ..model.steps import AgendaItem, Inspection, Meeting
from .periods import add_months, anniversary, full_months, full_years, working_days_or_unknown
from .schema import SCHEMA
from .values import Fact, FactSet, Unknown

LEVELS = list(Level)  # lowest first
_EDUCATION = ("secondary", "college", "bachelor", "master", "doctor")
_LOW_GRADES = {"basically_competent", "incompetent"}
_DECIDING = (MeetingKind.decision, MeetingKind.reconsideration, MeetingKind.full_committee)
# What a submission to the superior must enclose (2014 Art 39 / 2019 Art 40).
SUBMISSION_DOCS = ("approval_form", "inspection_report", "personnel_file", "minutes", "discussion_record",
                   "recommendation_results")


def derive_facts(case: Case) -> FactSet:
    """All facts of a case, each type in the case file's order (deterministic)."""
    facts: FactSet = {name: [] for name in SCHEMA}
    decisions = _adopted_decisions(case)
    as_of = case.as_of or _last_recorded_date(case)
    judged_on = min(decisions.values()) if decisions else as_of
    graph = kinship_graph(case)
    facts["case"].append(_case_fact(case, decisions, as_of, graph))
    targets = {i.candidate: (i.target_decision.date if i.target_decision else i.start) for i in case.inspections}
    for i, c in enumerate(case.candidates):
        facts["candidate"].append(_candidate_fact(case, i, c, judged_on, targets.get(c.id, judged_on)))
        for s, sanction in enumerate(c.sanctions):
            facts["sanction"].append({
                "id": f"sanction:{c.id}/{s}", "path": f"candidates[{i}].sanctions[{s}]", "candidate": c.id,
                "system": sanction.system, "type": sanction.type, "decision_date": sanction.decision_date,
                "period_months": sanction.period_months, "months_elapsed": full_months(sanction.decision_date, judged_on)})
    if case.motion:
        facts["motion"].append(_motion_fact(case))
    _recommendation_facts(case, facts)
    for n, nom in enumerate(case.nominations):
        facts["nomination"].append({"id": f"nomination:{n}", "path": f"nominations[{n}]", "candidate": nom.candidate,
                                    "signed": nom.signed})
    votes = {(res.candidate): res.votes for rec in case.recommendations for res in rec.results}
    for n, ins in enumerate(case.inspections):
        facts["inspection"].append(_inspection_fact(n, ins, graph, votes))
        for p, pet in enumerate(ins.petitions):
            facts["petition"].append({"id": f"petition:{ins.id}/{pet.id}", "path": f"inspections[{n}].petitions[{p}]",
                                      "candidate": ins.candidate, "inspection": ins.id, "received": pet.received,
                                      "specific": pet.specific, "closed": pet.closed})
    principal = next((m.id for m in case.body.members if Role.principal_leader in m.roles), None)
    roles = {m.id: set(m.roles) for m in case.body.members}
    for m, meeting in enumerate(case.meetings):
        approved = sorted({r.matter for r in case.prior_reports
                           if r.reply == "approved" and r.reply_date is not None and r.reply_date < meeting.date})
        for a, item in enumerate(meeting.agenda):
            facts["item"].append({**_item_fact(m, meeting, a, item, graph, principal, roles), "approved_matters": approved})
    for c, cons in enumerate(case.consultations):
        facts["consultation"].append({"id": f"consultation:{c}", "path": f"consultations[{c}]", "kind": cons.with_,
                                      "date": cons.date})
    for p, pub in enumerate(case.publicity):
        path = f"publicity[{p}]"
        facts["publicity"].append({
            "id": f"publicity:{pub.id}", "path": path, "candidate": pub.candidate, "start": pub.start, "end": pub.end,
            "working_days": working_days_or_unknown(calendar.working_days_inclusive, f"{path}.start/end", pub.start,
                                                    pub.end) if pub.end else None,
            "calendar_days": (pub.end - pub.start).days + 1 if pub.end else None,
            "open_objections": sum(1 for o in pub.objections if o.resolved is None),
            "blocking_objections": sum(1 for o in pub.objections if o.affects_appointment),
            "breakthrough_statement": pub.breakthrough_statement,
        })
    for a, notice in enumerate(case.appointments):
        facts["appointment"].append(_appointment_fact(case, a, notice, decisions, as_of))
    for r, rep in enumerate(case.prior_reports):
        facts["prior_report"].append({"id": f"prior_report:{rep.id}", "path": f"prior_reports[{r}]", "matter": rep.matter,
                                      "submitted": rep.submitted, "reply_date": rep.reply_date, "reply": rep.reply})
    if case.leader_departure:
        dep = case.leader_departure
        facts["departure"].append({"id": f"departure:{dep.leader}", "path": "leader_departure", "leader": dep.leader,
                                   "decided": dep.decided, "left": dep.left})
    for k, col in enumerate(case.colleagues):
        facts["colleague"].append({
            "id": f"colleague:{col.id}", "path": f"colleagues[{k}]", "name": col.name, "leads_organ": col.leads_organ,
            "direct_line": col.direct_line, "same_supervisor": col.same_supervisor,
            "related_candidates": [c.id for c in case.candidates if within_recusal_scope(graph, col.id, c.id)]})
    for b, biz in enumerate(case.relatives_business):
        facts["business"].append({"id": f"business:{b}", "path": f"relatives_business[{b}]", "relative": biz.relative,
                                  "regulated_by_post": biz.regulated_by_post})
    return facts


def rank(level: Level | None) -> int | None:
    return LEVELS.index(level) if level is not None else None


def _case_fact(case: Case, decisions: dict[str, date], as_of: date, graph: nx.MultiGraph) -> Fact:
    post, brk, sub, dual = case.post, case.breakthrough, case.submission, case.post.dual_management
    post_rank = rank(post.level)
    exemption = next((r for r in case.prior_reports if r.id == case.recommendation_exemption), None)
    return {
        "id": f"case:{case.id}", "path": "", "jurisdiction": case.jurisdiction, "move": case.move.value,
        "is_promotion": case.move is MoveKind.promotion, "in_progress": case.status == "open", "as_of": as_of,
        "quota": post.quota, "incumbents": post.incumbents, "adopted": len(decisions),
        "holders_after": post.incumbents + len(decisions),
        "first_decision": min(decisions.values()) if decisions else None,
        "change_of_term": case.change_of_term, "posts_to_fill": post.posts_to_fill, "batch_size": case.batch_size,
        "post_level": post.level.value if post.level else None, "post_rank": post_rank,
        "post_is_chief": bool(post.level and post.level.value.endswith("_chief")),
        "division_or_above": post_rank is not None and post_rank >= rank(Level.division_deputy),
        "bureau_or_above": post_rank is not None and post_rank >= rank(Level.bureau_deputy),
        "managed_elsewhere": post.managed_by is not None and post.managed_by != case.body.id,
        "special_post": post.special, "probation_post": post.probation, "party_post": post.is_party_post,
        "committee_level": post.committee_level, "city_county_chief": post.city_county_chief,
        "audit_required": post.audit_required, "post_function": post.function,
        "avoidance_level": post.avoidance_level, "locality": post.locality,
        "breakthrough": bool(brk and (brk.basis or brk.items or brk.skip_level)),
        "breakthrough_basis": brk.basis if brk else None, "breakthrough_items": list(brk.items) if brk else [],
        "skip_level": bool(brk and brk.skip_level) or any(
            (rank(c.current_level) is not None and post_rank is not None and post_rank - rank(c.current_level) >= 2)
            for c in case.candidates),
        "via_recommendation": brk.via_recommendation if brk else True,
        "recommendation_exempt": bool(exemption and exemption.reply == "approved"),
        "dual_management": dual is not None, "dual_consult_sent": dual.consult_sent if dual else None,
        "dual_reply": dual.reply_date if dual else None,
        "dual_deemed_consent": add_months(dual.consult_sent, 1) if dual else None,
        "submission_date": sub.date if sub else None, "submission_reply": sub.reply_date if sub else None,
        "submission_result": sub.result if sub else None,
        "submission_missing_docs": [d for d in SUBMISSION_DOCS if d not in sub.docs] if sub else list(SUBMISSION_DOCS),
        "inspection_targets": len({i.candidate for i in case.inspections}),
        "intended_method": case.motion.method if case.motion else None,
        "method_reason": bool(case.motion and case.motion.method_reason),
        "eligibility_relaxations": list(case.motion.eligibility_relaxations) if case.motion else [],
        "unsigned_nominations": sum(1 for n in case.nominations if not n.signed),
    }


def _candidate_fact(case: Case, i: int, c, judged_on: date, target_date: date) -> Fact:
    path = f"candidates[{i}]"
    post_rank, current = rank(case.post.level), rank(c.current_level)
    gap = post_rank - current if post_rank is not None and current is not None else None
    if gap is None:
        step = "unknown"
    elif gap <= 0:
        step = "same_or_lower"
    elif gap == 1:
        step = "deputy_to_chief" if c.current_level.value.endswith("_deputy") else "chief_to_upper_deputy"
    else:
        step = "skip"
    lower = {(p.title, p.unit) for p in c.work_history
             if post_rank is not None and p.level is not None and rank(p.level) == post_rank - 1}
    promotions = sorted((p for p in c.work_history if p.promotion and p.start <= judged_on), key=lambda p: p.start)
    last = promotions[-1] if promotions else None
    recent = range(target_date.year - 3, target_date.year)
    educations = [r for r in (_education_rank(e) for e in c.education) if r is not None]
    return {
        "id": f"candidate:{c.id}", "path": path, "candidate": c.id, "name": c.name, "birth_date": c.birth_date,
        "current_level": c.current_level.value if c.current_level else None,
        "age": full_years(c.birth_date, judged_on),
        "work_years": full_years(c.work_start_date, judged_on) if c.work_start_date else Unknown(
            f"{path}.work_start_date: not recorded", f"{path}.work_start_date：未记录参加工作时间"),
        "years_in_level": full_years(c.current_since, judged_on) if c.current_since else None,
        "grassroots_years": _grassroots_years(c, judged_on) if c.work_history else None,
        "step": step, "level_gap": gap, "lower_level_posts": len(lower),
        "education_rank": max(educations) if educations else None,
        "party_member": c.party_member,
        "party_years": full_years(c.party_join_date, judged_on) if c.party_join_date else None,
        "on_probation": any(p.probation_end and p.start <= judged_on < p.probation_end for p in c.work_history),
        "years_since_promotion": full_years(last.start, judged_on) if last else None,
        "last_promotion_tenure_breakthrough": bool(last and last.tenure_breakthrough),
        "attested": sorted({a.kind.value for a in case.attestations if a.candidate == c.id and a.date <= judged_on}),
        "statutory_missing": [r for r in case.post.statutory_requirements if r not in c.statutory_qualifications],
        "low_appraisal_recent": any(a.year in recent and a.grade.value in _LOW_GRADES for a in c.appraisals),
        "canvassing_found": c.canvassing_found, "low_recognition": c.low_recognition,
        "naked_official": c.spouse_emigrated or c.children_all_emigrated, "growth_place": c.growth_place,
    }


# Degree texts as recorded in personnel files, highest first, when the level is not given explicitly.
_DEGREE_WORDS = (("博士", 4), ("硕士", 3), ("研究生", 3), ("本科", 2), ("学士", 2), ("大专", 1), ("专科", 1),
                 ("中专", 0), ("高中", 0))


def _education_rank(education) -> int | None:
    if education.level is not None:
        return _EDUCATION.index(education.level.value)
    return next((r for word, r in _DEGREE_WORDS if word in education.degree), None)


def _motion_fact(case: Case) -> Fact:
    m = case.motion
    assert m is not None
    consultations = sorted(m.consultation_dates)
    return {
        "id": "motion", "path": "motion", "date": m.date, "proposer": m.proposer, "analysis_date": m.analysis_date,
        "reported_to_principal": m.reported_to_principal,
        "first_consultation": consultations[0] if consultations else None,
        "last_consultation": consultations[-1] if consultations else None, "work_plan_date": m.work_plan_date,
        "intended_candidates": list(m.intended_candidates),
        "open_blocking_prechecks": sum(1 for p in m.prechecks if p.blocking and p.resolved is None),
    }


def _recommendation_facts(case: Case, facts: FactSet) -> None:
    talks = [r.date for r in case.recommendations if r.form == "talk"]
    meetings = [r.date for r in case.recommendations if r.form in ("meeting", "second_meeting")]
    for r, rec in enumerate(case.recommendations):
        facts["round"].append({
            "id": f"round:{rec.id}", "path": f"recommendations[{r}]", "form": rec.form, "date": rec.date,
            "chair_body": rec.chair_body, "expected": rec.participants_expected, "actual": rec.participants_actual,
            "missing_categories": [c for c in rec.required_categories if c not in rec.participant_categories],
            "reference_count": len(rec.reference_list),
            "preceded_by_talk": any(d < rec.date for d in talks),
            "followed_by_meeting": any(d > rec.date for d in meetings),
        })
        for k, res in enumerate(rec.results):
            facts["recommendation"].append({
                "id": f"recommendation:{rec.id}/{res.candidate}", "path": f"recommendations[{r}].results[{k}]",
                "recommendation": rec.id, "candidate": res.candidate, "form": rec.form, "date": rec.date,
                "votes": res.votes, "valid_until": anniversary(rec.date, 1)})


def _grassroots_years(candidate, until: date) -> int:
    """Full years of grassroots experience: the grassroots posts' days added up, then counted as years
    of 365 days (periods are rarely whole years; the catalogue leaves the exact convention open)."""
    days = 0
    for post in candidate.work_history:
        if post.grassroots and post.start <= until:
            days += ((min(post.end, until) if post.end else until) - post.start).days + 1
    return days // 365


def _inspection_fact(n: int, ins: Inspection, graph: nx.MultiGraph, votes: dict[str, int]) -> Fact:
    def check(name: str) -> tuple[date | None, str | None]:
        c = getattr(ins, name)
        return (c.date, c.outcome.value) if c else (None, None)

    fr, pm, do, pc, au = (check(k) for k in ("file_review", "personal_matters", "discipline_opinion", "petition_check",
                                               "economic_audit"))
    ic, td, report = ins.integrity_conclusion, ins.target_decision, ins.report
    sections = ("strengths", "weaknesses", "recommendation_results", "evaluation_results")
    return {
        "id": f"inspection:{ins.id}", "path": f"inspections[{n}]", "candidate": ins.candidate,
        "start": ins.start, "completed": ins.completed, "team_size": len(ins.team),
        "team_leaders": sum(1 for t in ins.team if t.role == "leader"),
        "team_related": [t.name for t in ins.team if t.person and within_recusal_scope(graph, t.person, ins.candidate)],
        "file_review_date": fr[0], "file_review_outcome": fr[1],
        "personal_matters_date": pm[0], "personal_matters_outcome": pm[1],
        "discipline_opinion_date": do[0], "discipline_opinion_outcome": do[1],
        "petition_check_date": pc[0], "petition_check_outcome": pc[1],
        "integrity_date": ic.date if ic else None,
        "integrity_cosigned": bool(ic and ic.signed_by_secretary and ic.signed_by_discipline_head),
        "audit_date": au[0], "audit_outcome": au[1],
        "target_body": td.body if td else None, "target_date": td.date if td else ins.start,
        "target_collective": td.collective if td else None, "target_rationale": bool(td and td.rationale),
        "views_concentrated": bool(td and td.views_concentrated),
        "lowest_ranked": ins.candidate in votes and len(votes) > 1 and votes[ins.candidate] == min(votes.values())
        and votes[ins.candidate] < max(votes.values()),
        "plan_date": ins.plan_date, "unit_consultation_date": ins.unit_consultation_date,
        "notice_date": ins.notice_date, "feedback_date": ins.feedback_date,
        "department_review_date": ins.department_review_date, "methods": list(ins.methods),
        "report_date": report.date if report else None,
        "report_missing_sections": [s for s in sections if not (report and getattr(report, s))] if report else list(sections),
    }


def _item_fact(m: int, meeting: Meeting, a: int, item: AgendaItem, graph: nx.MultiGraph, principal: str | None,
               roles: dict[str, set[Role]]) -> Fact:
    due = list(dict.fromkeys(meeting.members_due))
    attended = [x for x in due if x in set(meeting.attendees)]
    for_item = [x for x in attended if x not in set(item.departed)]
    present = [x for x in for_item if x not in set(item.recused)]
    views = {s.member: s for s in item.statements}
    stated = [views[x].view for x in present if x in views]
    silent = [x for x in present if x not in views or views[x].view is View.unclear]
    ordered = sorted(item.statements, key=lambda s: s.order)
    last = ordered[-1].member if ordered else None
    principal_present = principal is not None and principal in present
    spoke_last = None
    if principal_present and principal in views:
        spoke_last = last == principal
    # A discipline official who left before the item or recused was not there to observe it.
    observer = any(nv.role == "discipline_official" for nv in meeting.non_voting_attendees) or any(
        Role.discipline_official in roles.get(x, ()) for x in present)
    unrecused = [x for x in for_item if x not in set(item.recused) and within_recusal_scope(graph, x, item.candidate)]
    vote, records = item.vote, meeting.records
    return {
        "id": f"item:{meeting.id}/{item.id}", "path": f"meetings[{m}].agenda[{a}]", "meeting": meeting.id,
        "kind": meeting.kind.value, "date": meeting.date, "candidate": item.candidate,
        "circulated": item.circulated_in_advance, "added_at_meeting": item.added_at_meeting,
        "members_due": len(due), "attendees": len(attended), "present": len(present),
        "present_incl_recused": len(for_item),
        # Without a recorded count, the explicit views are the (oral) vote.
        "yes": vote.yes if vote else stated.count(View.agree),
        "no": vote.no if vote else stated.count(View.disagree),
        "abstain": vote.abstain if vote else None,
        "vote_method": vote.method if vote else None, "bundled": bool(vote and not vote.per_candidate),
        "outcome": item.outcome.value if item.outcome else None,
        "agree_views": stated.count(View.agree),
        "against_or_defer_views": stated.count(View.disagree) + stated.count(View.defer),
        "silent_members": silent, "silent_count": len(silent), "principal": principal,
        "principal_present": principal_present, "principal_spoke_last": spoke_last, "last_speaker": last,
        "discipline_observer": observer, "unrecused_relatives": unrecused, "unrecused_count": len(unrecused),
        "presenter_ok": item.presented_by_org_head or (
            item.presenter is not None and Role.organisation_lead in roles.get(item.presenter, ())),
        "reportable_explained": item.reportable_matters_explained,
        "reconsideration_consent": item.reconsideration_consent,
        "has_minutes": bool(records and records.minutes),
        "has_discussion_record": bool(records and records.discussion_record),
        "record_signed": bool(records and records.signed_by_chair and records.signed_by_recorder),
        "urgent_between_plenums": meeting.urgent_between_plenums,
        "plenum_members_consulted": meeting.plenum_members_consulted,
        "secret_ballot": bool(vote and vote.method == "secret"),
    }


def _appointment_fact(case: Case, a: int, notice, decisions: dict[str, date], as_of: date) -> Fact:
    path = f"appointments[{a}]"
    filing = min((f for f in case.filings if f.candidate == notice.candidate), key=lambda f: f.date, default=None)
    objections = [o for p in case.publicity if p.candidate == notice.candidate for o in p.objections]
    probation = notice.probation
    decided = decisions.get(notice.candidate) or notice.date
    cand = next(c for c in case.candidates if c.id == notice.candidate)
    hours_5y = sum(t.hours for t in cand.training if decided.year - 4 <= t.year <= decided.year)
    deadline = anniversary(notice.date, 1)
    post_rank = rank(case.post.level)
    return {
        "id": f"appointment:{notice.id}", "path": path, "candidate": notice.candidate, "date": notice.date,
        "decision_date": decisions.get(notice.candidate), "filing_required": case.post.filing_required,
        "filing_date": filing.date if filing else None,
        "workdays_to_filing": working_days_or_unknown(calendar.working_days_after, f"{path}.date/filings", notice.date,
                                                      filing.date) if filing else None,
        "workdays_to_as_of": working_days_or_unknown(calendar.working_days_after, f"{path}.date/as_of", notice.date, as_of),
        "objections_open_at_notice": sum(1 for o in objections if o.received <= notice.date
                                         and (o.resolved is None or o.resolved > notice.date)),
        "objections_blocking": sum(1 for o in objections if o.affects_appointment),
        "talk_date": notice.talk.date if notice.talk else None,
        "probation_start": probation.start if probation else None,
        "probation_end": (probation.extended_to or probation.planned_end) if probation else None,
        "probation_full_year": bool(probation and probation.planned_end >= anniversary(probation.start, 1)),
        "probation_assessed": probation.assessment_date if probation else None,
        "probation_result": probation.result if probation else None,
        "tenure_start": notice.tenure_start,
        "training_hours_5y": hours_5y,
        "training_hours_with_catch_up": hours_5y + sum(t.hours for t in cand.training if decided.year < t.year <= deadline.year),
        "catch_up_deadline": deadline,
        "division_or_above": post_rank is not None and post_rank >= rank(Level.division_deputy),
    }


def _adopted_decisions(case: Case) -> dict[str, date]:
    """Candidate → date of the adopted decision (the latest, if reconsidered)."""
    out: dict[str, date] = {}
    for meeting in sorted(case.meetings, key=lambda mt: mt.date):
        if meeting.kind in _DECIDING:
            for item in meeting.agenda:
                if item.outcome is not None:
                    if item.outcome.value == "adopted":
                        out[item.candidate] = meeting.date
                    else:
                        out.pop(item.candidate, None)
    return out


def _last_recorded_date(case: Case) -> date:
    """For a closed case without as_of: the date of its last recorded act (never the wall clock)."""
    return max(recorded_act_dates(case), default=max(c.birth_date for c in case.candidates))


def recorded_act_dates(case: Case) -> Iterable[date]:
    """The dates of the procedure's acts recorded in the case (not people's dates such as births)."""
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
