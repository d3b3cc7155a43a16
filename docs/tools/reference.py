"""Generate the reference tables of the documentation from the code, so that they cannot drift.

These sections are generated, each between markers in a page:

- rule-format.md, `facts`: every fact type and field of `cadre_rules.facts.SCHEMA`;
- case-format.md, `fields`: every record and field of the case model (`cadre_rules.Case`), and the
  values of every enumeration;
- index.md, `stage-graph`: the output of `cadre-rules workflow --format mermaid`;
- workflow.md, `transitions`: the stages, transitions and guard rules of rules/workflow.yaml;
- api.md, `embed-output`: what docs/examples/embed.py prints, from its bad-input part on;
- case-format.md, `case-example`: the bundled example examples/cases/01-合规-县财政局局长提拔.yaml;
- codes.md, `codes`: every code list of `cadre_rules.codes`, with its names and accepted words, and
  the fact fields and case fields that use it.
- import-workbook.md, `workbook-layout`: every sheet, column and code table of the procedure workbook.
- errors.md, `error-kinds`: every kind of input problem (`cadre_rules.ErrorKind`) with its Chinese and
  English message (`cadre_rules.errors.MESSAGES`); `record-labels`: the Chinese names of case-file
  records and fields that Chinese reasons use (`cadre_rules.model.labels`).

Run from the repository root after changing the fact schema, the case model or the workflow:

    .venv/bin/python docs/tools/reference.py          # rewrite the sections
    .venv/bin/python docs/tools/reference.py --check  # exit 1 if a page is out of date

tests/docs/test_docs.py runs the check. Meanings come from the code first (field descriptions, the docs of
the fact schema, the comments beside model fields and enum values); the NOTES below fill in fields
the code leaves undescribed.
"""
from __future__ import annotations

import enum
import inspect
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT))

from cadre_rules.codes import CODE_LISTS, Code  # noqa: E402
from cadre_rules.facts import SCHEMA  # noqa: E402
from cadre_rules.model import ActDate, Case  # noqa: E402
from cadre_rules.model.base import act_day_or_month as ACT_MONTHS  # noqa: E402 - marks an act date

# --- facts -----------------------------------------------------------------------------------------

FACT_INTRO = {
    "case": "Exactly one per case. Id `case:<case id>`; its path is empty (the whole case).",
    "candidate": ("One per candidate. Id `candidate:<id>`, path `candidates[i]`. Ages and years are full years "
                  "counted by anniversary up to the first adopted decision, or up to `as_of` without one."),
    "sanction": "One per sanction of each candidate. Id `sanction:<candidate>/<k>`, path `candidates[i].sanctions[k]`.",
    "motion": "One if the case records a motion, else none. Id `motion`, path `motion`.",
    "recommendation": ("One per candidate result of each recommendation round. Id `recommendation:<round>/<candidate>`, "
                       "path `recommendations[r].results[k]`."),
    "round": "One per recommendation round. Id `round:<id>`, path `recommendations[r]`.",
    "nomination": "One per individual nomination. Id `nomination:<k>`, path `nominations[k]`.",
    "inspection": "One per inspection. Id `inspection:<id>`, path `inspections[n]`.",
    "petition": ("One per petition of each inspection. Id `petition:<inspection>/<petition>`, "
                 "path `inspections[n].petitions[p]`."),
    "item": ("One per agenda item of every meeting, whatever the meeting's kind. Id `item:<meeting>/<item>`, "
             "path `meetings[m].agenda[a]`. Members are counted as sets: a member listed twice counts once."),
    "consultation": "One per consultation in `consultations`. Id `consultation:<k>`, path `consultations[k]`.",
    "publicity": "One per publicity. Id `publicity:<id>`, path `publicity[p]`.",
    "appointment": "One per appointment notice. Id `appointment:<id>`, path `appointments[a]`.",
    "prior_report": "One per prior report. Id `prior_report:<id>`, path `prior_reports[r]`.",
    "departure": "One if the case records a leader departure, else none. Id `departure:<leader>`, path `leader_departure`.",
    "colleague": "One per colleague (someone already in the organ). Id `colleague:<id>`, path `colleagues[k]`.",
    "business": "One per business run by a candidate's relative. Id `business:<k>`, path `relatives_business[k]`.",
    "canvassing": ("One per canvassing finding (拉票) in `canvassing_findings`. Id `canvassing:<id>`, "
                   "path `canvassing_findings[k]`."),
}

FACT_NOTES = {
    ("case", "jurisdiction"): "the case's `jurisdiction`",
    ("case", "is_promotion"): "`move` is `promotion`",
    ("case", "posts_to_fill"): "the post's `posts_to_fill`",
    ("case", "special_post"): "the post's `special`",
    ("case", "city_county_chief"): "the post's `city_county_chief`",
    ("case", "locality"): "the post's `locality`",
    ("case", "breakthrough_basis"): "the case's `breakthrough.basis`",
    ("case", "breakthrough_items"): "the case's `breakthrough.items`",
    ("case", "dual_management"): "the post records `dual_management`",
    ("case", "dual_consult_sent"): "`post.dual_management.consult_sent`",
    ("case", "dual_reply"): "`post.dual_management.reply_date`",
    ("case", "submission_date"): "`submission.date`",
    ("case", "submission_reply"): "`submission.reply_date`",
    ("case", "submission_result"): "`submission.result`: approved \\| rejected",
    ("case", "eligibility_relaxations"): "the motion's `eligibility_relaxations`",
    ("candidate", "name"): "the candidate's name",
    ("candidate", "birth_date"): "the candidate's birth date",
    ("candidate", "current_level"): "the candidate's `current_level`",
    ("candidate", "party_member"): "the candidate's `party_member`",
    ("candidate", "last_promotion_tenure_breakthrough"): "the last promotion was a 破格 on tenure (`tenure_breakthrough`)",
    ("candidate", "canvassing_found"): "the candidate's `canvassing_found`",
    ("candidate", "low_recognition"): "the candidate's `low_recognition`",
    ("candidate", "growth_place"): "the candidate's `growth_place`",
    ("sanction", "candidate"): "candidate id",
    ("sanction", "type"): "the sanction's `type`",
    ("sanction", "decision_date"): "date of the sanction decision",
    ("motion", "date"): "date of the motion",
    ("motion", "proposer"): "committee \\| organisation_department \\| principal_leader",
    ("motion", "analysis_date"): "date of the analysis (分析研判)",
    ("motion", "reported_to_principal"): "date the motion was reported to the principal leader",
    ("motion", "first_consultation"): "earliest of the motion's `consultation_dates`",
    ("motion", "last_consultation"): "latest of the motion's `consultation_dates`",
    ("motion", "work_plan_date"): "date the work plan was fixed",
    ("motion", "intended_candidates"): "candidate ids",
    ("recommendation", "candidate"): "candidate id",
    ("recommendation", "date"): "date of the round",
    ("recommendation", "votes"): "votes for this candidate in this round",
    ("round", "date"): "date of the round",
    ("round", "chair_body"): "the round's `chair_body`",
    ("round", "expected"): "`participants_expected`",
    ("round", "actual"): "`participants_actual`",
    ("nomination", "candidate"): "candidate id",
    ("nomination", "signed"): "the nomination is signed",
    ("inspection", "candidate"): "candidate id",
    ("inspection", "start"): "first day of the inspection",
    ("inspection", "completed"): "date the inspection was completed",
    ("inspection", "team_size"): "members of the inspection team",
    ("inspection", "team_leaders"): "team members with role `leader`",
    ("inspection", "file_review_date"): "date of the personnel-file review (档案凡提必审)",
    ("inspection", "personal_matters_date"): "date of the personal-matters check (个人有关事项凡提必核)",
    ("inspection", "personal_matters_outcome"): "clear \\| resolved \\| open \\| concealment",
    ("inspection", "discipline_opinion_date"): "date the discipline body's opinion was heard (纪检监察机关意见凡提必听)",
    ("inspection", "discipline_opinion_outcome"): "clear \\| resolved \\| open \\| concealment",
    ("inspection", "petition_check_date"): "date of the overall petition check (信访举报凡提必查)",
    ("inspection", "petition_check_outcome"): "clear \\| resolved \\| open \\| concealment",
    ("inspection", "integrity_date"): "date of the integrity conclusion (廉洁自律结论性意见)",
    ("inspection", "audit_date"): "date of the economic-responsibility audit (`economic_audit`)",
    ("inspection", "audit_outcome"): "its outcome: clear \\| resolved \\| open \\| concealment",
    ("inspection", "target_body"): "`target_decision.body`: who fixed the inspection targets",
    ("inspection", "target_collective"): "`target_decision.collective`",
    ("inspection", "views_concentrated"): "`target_decision.views_concentrated`",
    ("inspection", "plan_date"): "the inspection's `plan_date`",
    ("inspection", "unit_consultation_date"): "the inspection's `unit_consultation_date`",
    ("inspection", "notice_date"): "the inspection's `notice_date` (考察预告)",
    ("inspection", "feedback_date"): "the inspection's `feedback_date`",
    ("inspection", "department_review_date"): "the inspection's `department_review_date`",
    ("inspection", "methods"): "the inspection's `methods`",
    ("inspection", "report_date"): "`report.date` (考察材料)",
    ("petition", "candidate"): "candidate id (of the inspection)",
    ("petition", "inspection"): "id of the inspection",
    ("petition", "received"): "date the petition was received",
    ("petition", "closed"): "date it was closed",
    ("item", "meeting"): "id of the meeting",
    ("item", "date"): "date of the meeting",
    ("item", "candidate"): "candidate id",
    ("item", "added_at_meeting"): "the item was added at the meeting itself",
    ("item", "no"): "votes against; without a recorded vote, the members stating disagree",
    ("item", "abstain"): "abstentions; null without a recorded vote",
    ("item", "vote_method"): "oral \\| hands \\| secret; null without a recorded vote",
    ("item", "agree_views"): "present members stating agree",
    ("item", "silent_count"): "`len(silent_members)`",
    ("item", "last_speaker"): "member id of the last statement in speaking order; null without statements",
    ("item", "unrecused_count"): "`len(unrecused_relatives)`",
    ("item", "reportable_explained"): "the item's `reportable_matters_explained`",
    ("item", "reconsideration_consent"): "the item's `reconsideration_consent`",
    ("item", "has_minutes"): "the meeting's `records.minutes`",
    ("item", "has_discussion_record"): "the meeting's `records.discussion_record`",
    ("item", "urgent_between_plenums"): "the meeting's `urgent_between_plenums`",
    ("item", "plenum_members_consulted"): "the meeting's `plenum_members_consulted`",
    ("item", "secret_ballot"): "the recorded vote's `method` is secret",
    ("consultation", "date"): "date of the consultation; `kind` is its `with`",
    ("publicity", "candidate"): "candidate id",
    ("publicity", "start"): "first day of the publicity",
    ("publicity", "end"): "last day; null when not recorded",
    ("publicity", "open_objections"): "objections not yet resolved",
    ("publicity", "breakthrough_statement"): "the publicity's `breakthrough_statement`",
    ("appointment", "candidate"): "candidate id",
    ("appointment", "filing_required"): "the post's `filing_required`",
    ("appointment", "filing_date"): "date of the candidate's filing (the earliest, if several); null if not filed",
    ("appointment", "talk_date"): "`talk.date` (任职谈话)",
    ("appointment", "probation_start"): "`probation.start` (试用期)",
    ("appointment", "probation_assessed"): "`probation.assessment_date`",
    ("appointment", "probation_result"): "`probation.result`: confirmed \\| removed",
    ("appointment", "tenure_start"): "the notice's `tenure_start`",
    ("prior_report", "matter"): ("over_quota \\| leader_departure \\| breakthrough \\| skip_level \\| relative \\| "
                                 "sanction_reuse \\| large_batch \\| other"),
    ("prior_report", "submitted"): "date the report was submitted",
    ("prior_report", "reply_date"): "date of the superior's reply",
    ("departure", "leader"): "member id of the departing principal leader",
    ("departure", "decided"): "date the departure was settled",
    ("departure", "left"): "date the successor took office; null while the window is open",
    ("colleague", "name"): "the colleague's name",
    ("colleague", "leads_organ"): "the colleague's `leads_organ`",
    ("colleague", "direct_line"): "the colleague's `direct_line`",
    ("colleague", "same_supervisor"): "the colleague's `same_supervisor`",
    ("business", "relative"): "the relative running the business",
    ("business", "regulated_by_post"): "the business is regulated by the post",
}


def _cell(text: str) -> str:
    return text.replace("\n", " ").replace("|", "\\|") if "\\|" not in text else text.replace("\n", " ")


def facts_reference() -> str:
    out: list[str] = []
    for fact_type, fields in SCHEMA.items():
        out.append(f"### `{fact_type}`\n")
        out.append(FACT_INTRO.get(fact_type, f"Facts of type `{fact_type}`.") + "\n")
        out.append("| field | type | null | unknown | meaning |")
        out.append("|---|---|---|---|---|")
        for name, ft in fields.items():
            meaning = _cell(ft.doc) if ft.doc else FACT_NOTES.get((fact_type, name), "")
            kind = f"[{ft.type_name}](codes.md#{ft.codes.__name__.lower()})" if ft.codes else ft.kind
            out.append(f"| `{name}` | {kind} | {'yes' if ft.nullable else ''} | "
                       f"{'yes' if ft.may_be_unknown else ''} | {meaning} |")
        out.append("")
    return "\n".join(out)


# --- case model ------------------------------------------------------------------------------------

MODEL_NOTES = {
    ("Case", "id"): "the case's id; every report names it",
    ("Case", "title"): "a human title",
    ("Case", "move"): "kind of move",
    ("Case", "body"): "the deciding body",
    ("Case", "post"): "the post being filled",
    ("Case", "candidates"): "the people considered",
    ("Case", "relations"): "declared family ties, for recusal",
    ("Case", "motion"): "动议",
    ("Case", "recommendations"): "民主推荐 rounds",
    ("Case", "inspections"): "考察, one per target",
    ("Case", "meetings"): "meetings with personnel items",
    ("Case", "publicity"): "任前公示",
    ("Case", "appointments"): "任职通知",
    ("Case", "filings"): "报备",
    ("Case", "prior_reports"): "事先报告 to the superior organisation department",
    ("Case", "leader_departure"): "the principal leader's departure (freeze window)",
    ("Case", "breakthrough"): "破格 / 越级, as recorded",
    ("Case", "attestations"): "recorded attestations for what rules cannot check",
    ("Case", "consultations"): "酝酿 / 征求意见 before the decision",
    ("Case", "submission"): "报上级审批, for posts managed by a higher body",
    ("Case", "nominations"): "个人推荐",
    ("Case", "colleagues"): "people already in the organ, for kinship avoidance",
    ("Case", "relatives_business"): "businesses run by a candidate's spouse, child or child's spouse",
    ("Case", "jurisdiction"): "jurisdiction of the case (rules see it as `case.jurisdiction`)",
    ("Body", "id"): "the body's id",
    ("TargetPost", "id"): "the post's id",
    ("TargetPost", "title"): "title of the post",
    ("TargetPost", "unit"): "the unit",
    ("TargetPost", "level"): "level of the post",
    ("TargetPost", "posts_to_fill"): "how many such posts this case fills",
    ("TargetPost", "dual_management"): "双重管理",
    ("Candidate", "id"): "unique among the candidates",
    ("Candidate", "gender"): "as recorded",
    ("Candidate", "birth_date"): "date of birth",
    ("Candidate", "work_start_date"): "date the candidate started work (参加工作时间)",
    ("Candidate", "party_join_date"): "date the candidate joined the Party",
    ("Motion", "prechecks"): "动议即审: early checks of intended candidates",
    ("Recommendation", "id"): "unique among the recommendation rounds",
    ("Recommendation", "participants_expected"): "people expected to take part",
    ("Recommendation", "participants_actual"): "people who took part",
    ("Inspection", "id"): "unique among the inspections",
    ("Publicity", "id"): "unique among the publicity records",
    ("Publicity", "candidate"): "candidate id",
    ("AppointmentNotice", "id"): "unique among the appointment notices",
    ("AppointmentNotice", "candidate"): "candidate id",
    ("Filing", "id"): "unique among the filings",
    ("Filing", "candidate"): "candidate id",
    ("PriorReport", "id"): "unique among the prior reports",
    ("Member", "id"): "unique among the members",
    ("Sanction", "period_months"): "influence period in months",
    ("Check", "note"): "free text",
    ("Petition", "id"): "the petition's id",
    ("Body", "name"): "e.g. 中共某县委常委会",
    ("Body", "members"): "the sitting members",
    ("Member", "name"): "the member's name",
    ("Member", "roles"): "a member may hold several roles",
    ("TargetPost", "filing_required"): "appointments to the post must be filed (报备)",
    ("TargetPost", "statutory_requirements"): "statutory qualifications the post requires",
    ("Candidate", "name"): "the candidate's name",
    ("Candidate", "education"): "education records",
    ("Candidate", "work_history"): "posts held, for tenure, grassroots years and earlier promotions",
    ("Candidate", "current_post"): "title of the current post",
    ("Candidate", "current_level"): "level of the current post",
    ("Candidate", "current_since"): "date the candidate reached the current level",
    ("Candidate", "sanctions"): "disciplinary sanctions",
    ("Candidate", "training"): "training records",
    ("Candidate", "party_member"): "member of the Party",
    ("Candidate", "spouse_emigrated"): "the spouse has emigrated",
    ("Candidate", "statutory_qualifications"): "statutory qualifications the candidate holds",
    ("Relation", "person"): "a person of the case: a member, a candidate, a colleague or an inspection team member's `person`",
    ("Relation", "relative"): "another person of the case",
    ("Relation", "kind"): "the kind of tie; its direction does not matter for recusal",
    ("Motion", "date"): "date of the motion",
    ("Motion", "reported_to_principal"): "date it was reported to the principal leader",
    ("Motion", "method_reason"): "why the method was chosen",
    ("Motion", "eligibility_relaxations"): "qualification items relaxed for this selection",
    ("Motion", "intended_candidates"): "candidate ids",
    ("Recommendation", "date"): "date of the round",
    ("Recommendation", "chair_body"): "the body that chaired the round",
    ("Recommendation", "results"): "votes per candidate",
    ("Recommendation", "targeted_post"): "the round recommended for this post",
    ("RecommendationResult", "candidate"): "candidate id",
    ("RecommendationResult", "votes"): "votes for the candidate",
    ("Inspection", "candidate"): "candidate id: the target inspected",
    ("Inspection", "team"): "the inspection team",
    ("Inspection", "target_decision"): "确定考察对象",
    ("Inspection", "plan_date"): "date of the inspection plan",
    ("Inspection", "report"): "考察材料",
    ("Inspection", "start"): "first day of the inspection",
    ("Inspection", "completed"): "date the inspection was completed",
    ("Inspection", "petitions"): "complaints about the candidate (信访举报)",
    ("Inspection", "integrity_conclusion"): "廉洁自律结论性意见",
    ("Check", "date"): "date of the check",
    ("Check", "outcome"): "what it found",
    ("TeamMember", "name"): "the team member's name",
    ("Petition", "received"): "date received",
    ("Petition", "closed"): "date closed",
    ("Petition", "conclusion"): "what the check concluded",
    ("Meeting", "id"): "the meeting's id",
    ("Meeting", "kind"): "讨论决定, 复议, 全委会, 书记办公会 (may consult, never decide), 部务会",
    ("Meeting", "date"): "date of the meeting",
    ("Meeting", "non_voting_attendees"): "列席",
    ("Meeting", "chair"): "member id of the chair",
    ("Meeting", "agenda"): "the personnel items",
    ("Meeting", "records"): "会议纪要 and 讨论记录",
    ("Meeting", "plenum_members_consulted"): "plenum members were consulted on an urgent decision between plenums",
    ("AgendaItem", "id"): "unique within the meeting",
    ("AgendaItem", "candidate"): "candidate id",
    ("AgendaItem", "circulated_in_advance"): "on the agenda circulated before the meeting",
    ("AgendaItem", "added_at_meeting"): "added at the meeting itself (临时动议)",
    ("AgendaItem", "presenter"): "member id of the presenter",
    ("AgendaItem", "defer_reason"): "why the vote was deferred",
    ("AgendaItem", "recused"): "members who recused from this item",
    ("AgendaItem", "statements"): "members' statements, in speaking order",
    ("AgendaItem", "vote"): "the recorded vote; without one, explicit views are counted as the (oral) vote",
    ("AgendaItem", "outcome"): "the decision on the item",
    ("Statement", "member"): "member id",
    ("Statement", "order"): "speaking order, from 1",
    ("Statement", "view"): "the member's stated view",
    ("Vote", "yes"): "votes in favour",
    ("Vote", "no"): "votes against",
    ("Vote", "abstain"): "abstentions",
    ("NonVotingAttendee", "name"): "the attendee's name",
    ("NonVotingAttendee", "person"): "id of a person of the case, if any",
    ("MeetingRecords", "minutes"): "会议纪要 kept",
    ("MeetingRecords", "discussion_record"): "讨论记录 kept",
    ("MeetingRecords", "signed_by_chair"): "the discussion record is signed by the chair",
    ("MeetingRecords", "signed_by_recorder"): "the discussion record is signed by the recorder",
    ("Publicity", "start"): "first day; both ends are counted",
    ("Publicity", "end"): "last day, as announced",
    ("Publicity", "channel"): "where it was published",
    ("Publicity", "objections"): "objections received",
    ("Objection", "received"): "date received",
    ("Objection", "affects_appointment"): "found to affect the appointment",
    ("Objection", "resolved"): "date resolved",
    ("AppointmentNotice", "date"): "date of the notice",
    ("AppointmentNotice", "talk"): "任职谈话",
    ("AppointmentNotice", "probation"): "试用期",
    ("Talk", "date"): "date of the talk",
    ("Talk", "by"): "who held it",
    ("Probation", "start"): "first day",
    ("Probation", "planned_end"): "planned last day",
    ("Probation", "extended_to"): "last day after an extension",
    ("Probation", "assessment_date"): "date of the assessment at its end",
    ("Filing", "date"): "date filed",
    ("Filing", "to"): "the superior department",
    ("PriorReport", "submitted"): "date submitted",
    ("PriorReport", "reply_date"): "date of the reply",
    ("LeaderDeparture", "leader"): "member id of the departing principal leader",
    ("LeaderDeparture", "decided"): "date the departure was settled",
    ("LeaderDeparture", "announced"): "date it was announced",
    ("DualManagement", "co_side"): "the co-managing side",
    ("DualManagement", "consult_sent"): "date the written consultation was sent",
    ("DualManagement", "reply_date"): "date of the reply; without one, consent is deemed a month after sending",
    ("Breakthrough", "skip_level"): "越级",
    ("Breakthrough", "via_recommendation"): "the candidate came through democratic recommendation",
    ("Attestation", "kind"): "what is attested",
    ("Attestation", "candidate"): "candidate id",
    ("Attestation", "date"): "date of the attestation",
    ("Attestation", "by"): "who attested",
    ("Consultation", "date"): "date of the consultation",
    ("Consultation", "view"): "the view given",
    ("Submission", "date"): "date submitted",
    ("Submission", "docs"): ("documents enclosed: approval_form, inspection_report, personnel_file, minutes, "
                             "discussion_record, recommendation_results"),
    ("Submission", "reply_date"): "date of the reply",
    ("Nomination", "nominator"): "who nominated",
    ("Nomination", "candidate"): "candidate id",
    ("Nomination", "signed"): "the nomination is signed",
    ("Colleague", "id"): "a person id, usable in `relations`",
    ("Colleague", "name"): "the colleague's name",
    ("Colleague", "post"): "the colleague's post",
    ("Colleague", "leads_organ"): "leads the organ",
    ("RelativeBusiness", "relative"): "the relative running it",
    ("RelativeBusiness", "business"): "the business",
    ("RelativeBusiness", "regulated_by_post"): "the business is regulated by the post",
    ("Education", "degree"): "the degree, as written",
    ("Education", "level"): "the level of education",
    ("Education", "institution"): "where",
    ("Education", "full_time"): "full-time education",
    ("Education", "completed"): "date completed",
    ("Appraisal", "year"): "the year appraised",
    ("Appraisal", "grade"): "年度考核等次",
    ("Training", "year"): "the year",
    ("Training", "hours"): "training hours",
    ("Training", "institution"): "where",
    ("Post", "title"): "title of the post",
    ("Post", "unit"): "the unit",
    ("Post", "level"): "level of the post",
    ("Post", "is_chief"): "a chief (正职) post",
    ("Post", "grassroots"): "a grassroots (基层) post",
    ("Post", "start"): "first day in the post",
    ("Post", "end"): "last day; absent for the current post",
    ("Sanction", "type"): "the kind of sanction",
    ("Sanction", "decision_date"): "date of the decision",
    ("Precheck", "date"): "date of the check",
    ("Precheck", "blocking"): "it found something that blocks the candidate",
    ("Precheck", "resolved"): "date the blocking finding was resolved",
    ("TargetDecision", "body"): "who fixed the targets",
    ("TargetDecision", "date"): "when",
    ("TargetDecision", "collective"): "fixed collectively",
    ("TargetDecision", "rationale"): "why these targets",
    ("TargetDecision", "views_concentrated"): "the recommendation's views were concentrated",
    ("InspectionReport", "date"): "date of the report",
    ("InspectionReport", "strengths"): "section: strengths",
    ("InspectionReport", "weaknesses"): "section: weaknesses",
    ("InspectionReport", "recommendation_results"): "section: recommendation results",
    ("InspectionReport", "evaluation_results"): "section: evaluation results",
    ("IntegrityConclusion", "date"): "date of the conclusion",
    ("IntegrityConclusion", "signed_by_secretary"): "signed by the unit's Party secretary",
    ("IntegrityConclusion", "signed_by_discipline_head"): "signed by the discipline head",
}


_COMMENT = re.compile(r"^\s+(\w+)\s*(?::[^#]*)?=?[^#]*#\s*(.+)$")


def _source_comments(cls: type) -> dict[str, str]:
    """Comments written beside fields or enum members in the class source (`name: T = x  # comment`)."""
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return {}
    out = {}
    for line in source.splitlines()[1:]:
        m = _COMMENT.match(line)
        if m and not m.group(2).startswith(("noqa", "type:")):
            out[m.group(1)] = m.group(2).strip()
    return out


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().split("\n\n")[0].replace("\n", " ")


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without `| None`, and whether None was allowed."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _type_name(annotation: Any, metadata: list[Any], models: list[type], enums: list[type]) -> str:
    annotation, _ = _unwrap(annotation)
    if annotation == ActDate or any(getattr(m, "func", None) is ACT_MONTHS for m in metadata):
        return "date or month"  # an act's date: a day, or the month alone (YYYY-MM)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        if inner is str and any(getattr(e, "min_length", None) for e in extra):
            return "id"
        return _type_name(inner, list(extra) + metadata, models, enums)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return "list of " + _type_name(item, [], models, enums)
    if origin is dict:
        return "mapping"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in models:
            models.append(annotation)
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        if annotation not in enums:
            enums.append(annotation)
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    names = {str: "text", int: "integer", bool: "boolean", float: "number"}
    name = names.get(annotation, getattr(annotation, "__name__", str(annotation)))
    if annotation is str and any(getattr(m, "min_length", None) for m in metadata):
        return "id"
    bounds = []
    for m in metadata:
        for attr, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            if getattr(m, attr, None) is not None:
                bounds.append(f"{sign} {getattr(m, attr)}")
    return name + (" " + ", ".join(bounds) if bounds else "")


def _default(info: Any) -> str:
    if info.is_required():
        return "*required*"
    if info.default_factory is not None:
        value = info.default_factory()
    else:
        value = info.default
    if value is None or value is PydanticUndefined:
        return "none"
    if isinstance(value, enum.Enum):
        return f"`{value.value}`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, list):
        return "`[" + ", ".join(v.value if isinstance(v, enum.Enum) else str(v) for v in value) + "]`"
    if isinstance(value, dict):
        return "`{}`" if not value else f"`{value}`"
    return f"`{value}`"


def _extra_constraints(info: Any) -> str:
    """`min_length` of a list (of an id it is part of the type)."""
    if typing.get_origin(_unwrap(info.annotation)[0]) is not list:
        return ""
    for m in info.metadata:
        if getattr(m, "min_length", None):
            return f", at least {m.min_length}"
    return ""


def case_reference() -> str:
    models: list[type] = [Case]
    enums: list[type] = []
    out: list[str] = []
    i = 0
    while i < len(models):
        cls = models[i]
        i += 1
        comments = _source_comments(cls)
        out.append(f"### {cls.__name__}\n")
        doc = _first_line(cls.__doc__)
        if doc:
            out.append(doc + "\n")
        out.append("| field | type | default | meaning |")
        out.append("|---|---|---|---|")
        for name, info in cls.model_fields.items():
            shown = info.alias or name
            kind = _type_name(info.annotation, list(info.metadata), models, enums)
            meaning = info.description or comments.get(name) or MODEL_NOTES.get((cls.__name__, name), "")
            out.append(f"| `{shown}` | {kind} | {_default(info)}{_extra_constraints(info)} | {_cell(meaning)} |")
        out.append("")
    out.append("### Enumerations\n")
    out.append("Enumerated fields accept exactly these values.\n")
    for cls in sorted(enums, key=lambda c: c.__name__):
        comments = _source_comments(cls)
        doc = _first_line(cls.__doc__) if cls.__doc__ and cls.__doc__ != enum.Enum.__doc__ else ""
        out.append(f"#### {cls.__name__}\n")
        if doc and not doc.startswith("An enumeration"):
            out.append(doc + "\n")
        out.append("| value | meaning |")
        out.append("|---|---|")
        for member in cls:
            if isinstance(member, Code):
                meaning = f"{member.zh_full} — {member.en}"
            else:
                meaning = comments.get(member.name, "")
            out.append(f"| `{member.value}` | {_cell(meaning)} |")
        out.append("")
    return "\n".join(out)


# --- code lists ------------------------------------------------------------------------------------

def _case_fields_using(codes: type[Code]) -> list[str]:
    """`Record.field` of every case-model field typed with `codes` (alone, optional or in a list)."""
    found: list[str] = []
    models: list[type] = [Case]
    i = 0
    while i < len(models):
        cls = models[i]
        i += 1
        for name, info in cls.model_fields.items():
            stack = [info.annotation]
            while stack:
                t = stack.pop()
                if t is codes:
                    found.append(f"`{cls.__name__}.{info.alias or name}`")
                elif isinstance(t, type) and issubclass(t, BaseModel):
                    if t not in models:
                        models.append(t)
                else:
                    stack.extend(typing.get_args(t))
    return list(dict.fromkeys(found))


def codes_reference() -> str:
    out: list[str] = []
    for codes in CODE_LISTS:
        out.append(f"### {codes.__name__}\n")
        doc = _first_line(codes.__doc__) if codes.__doc__ and codes.__doc__ != Code.__doc__ else ""
        if doc:
            out.append(doc + "\n")
        facts = [f"`{t}.{n}`" for t, fields in SCHEMA.items() for n, ft in fields.items() if ft.codes is codes]
        case = _case_fields_using(codes)
        if case:
            out.append("Case fields: " + ", ".join(case) + ".\n")
        if facts:
            out.append("Fact fields: " + ", ".join(facts) + ".\n")
        out.append("| code | 中文 | 全称 | English | also accepted in specs |")
        out.append("|---|---|---|---|---|")
        for m in codes:
            full = m.zh_full if m.zh_full != m.zh else ""
            out.append(f"| `{m.value}` | {_cell(m.zh)} | {_cell(full)} | {_cell(m.en)} | {_cell(', '.join(m.synonyms))} |")
        out.append("")
    return "\n".join(out)


# --- workflow --------------------------------------------------------------------------------------

def _stages():
    from cadre_rules.rulebook import load_rulebook

    return load_rulebook().stages


def stage_graph() -> str:
    """The Mermaid diagram, exactly as `cadre-rules workflow --format mermaid` prints it."""
    return "```mermaid\n" + _stages().to_mermaid() + "```\n"


def transitions_reference() -> str:
    stages = _stages()
    out = ["| stage | 中文 | English | |", "|---|---|---|---|"]
    for stage, title in stages.titles.items():
        notes = []
        if stage == stages.start:
            notes.append("start")
        if stage in stages.terminal:
            notes.append("terminal")
        out.append(f"| `{stage}` | {title['zh']} | {title['en']} | {', '.join(notes)} |")
    out += ["", "| from | to | event | guard rules |", "|---|---|---|---|"]
    for a, b, data in stages.graph.edges(data=True):
        guards = ", ".join(f"`{g}`" for g in data.get("guards", ())) or "—"
        out.append(f"| `{a}` | `{b}` | {_cell(data.get('event', ''))} | {guards} |")
    return "\n".join(out) + "\n"


# --- the example case ------------------------------------------------------------------------------

EXAMPLE_CASE = ROOT / "examples" / "cases" / "01-合规-县财政局局长提拔.yaml"


def case_example() -> str:
    """The bundled compliant example, verbatim."""
    return "```yaml\n" + EXAMPLE_CASE.read_text(encoding="utf-8").rstrip("\n") + "\n```\n"


# --- the embedding example ---------------------------------------------------------------------------

def embed_output() -> str:
    """The output of docs/examples/embed.py from its bad-input part to the end, as it really prints it."""
    import subprocess

    proc = subprocess.run([sys.executable, str(DOCS / "examples" / "embed.py")], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=True)
    lines = proc.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("[invalid]"))
    return "```\n" + "\n".join(lines[start:]).strip("\n") + "\n```\n"


# --- the procedure workbook layout --------------------------------------------------------------------

def workbook_layout() -> str:
    """Every sheet and column of the procedure workbook layout, and every code table."""
    from cadre_rules.importers.layout import CODES, LAYOUT
    from cadre_rules.importers.template import type_label

    out = []
    for sheet in LAYOUT:
        where = f"`{sheet.collection}`" if sheet.collection else "the case itself"
        if sheet.parents:
            where += " under " + " / ".join(f"`{c}` ({h})" for c, h in sheet.parents)
        out.append(f"### {sheet.name}\n\n{sheet.meaning}; records go to {where}"
                   + (f", merged by {sheet.id_column}" if sheet.id_column else "")
                   + (f"; fixed: {', '.join(f'`{k}: {v}`' for k, v in sheet.fixed.items())}" if sheet.fixed else "")
                   + ".\n\n| column | type | required | field | note |\n|---|---|---|---|---|")
        for col in sheet.columns:
            out.append(f"| {col.header} | {_cell(type_label(col.type))} | {'yes' if col.required else ''} | "
                       f"{('`' + col.path.lstrip('+') + '`') if col.path else ''} | {_cell(col.note)} |")
        out.append("")
    out.append("### Code tables\n\n| table | value | labels |\n|---|---|---|")
    for table, values in CODES.items():
        for value, labels in values.items():
            out.append(f"| {table} | `{value}` | {'、'.join(labels)} |")
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    """`text` as a Markdown code span in a table cell: fenced by one backtick more than its longest run
    of backticks (a message that quotes a `name` would otherwise end the span early)."""
    runs = [len(run) for run in re.findall("`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{_cell(text)}{pad}{fence}"


def error_kinds() -> str:
    """The table of input problems: kind, Chinese message, English message (templates: `{name}` is
    a parameter; the value found and the nearest valid spelling follow where known)."""
    from cadre_rules.errors import MESSAGES, ErrorKind

    out = ["| kind | 中文 | English |", "|---|---|---|"]
    for kind in ErrorKind:
        zh, en = MESSAGES[kind]
        shown = _code(en) if en is not None else "pydantic's own message"
        out.append(f"| `{kind.value}` | {_code(zh)} | {shown} |")
    return "\n".join(out) + "\n"


def record_labels() -> str:
    """The Chinese names of the case file's records and fields (cadre_rules.model.labels)."""
    from cadre_rules.model.labels import FIELDS, RECORDS

    out = ["| record | 第 n 个 | without a position |", "|---|---|---|"]
    out += [f"| `{name}` | {numbered.format(n='n')} | {plain} |" for name, (numbered, plain) in RECORDS.items()]
    out += ["", "| field | 中文 |", "|---|---|"]
    out += [f"| `{name}` | {label} |" for name, label in FIELDS.items()]
    return "\n".join(out) + "\n"


# --- pages -----------------------------------------------------------------------------------------

SECTIONS = {
    "facts": ("rule-format.md", facts_reference),
    "fields": ("case-format.md", case_reference),
    "stage-graph": ("index.md", stage_graph),
    "transitions": ("workflow.md", transitions_reference),
    "embed-output": ("api.md", embed_output),
    "case-example": ("case-format.md", case_example),
    "codes": ("codes.md", codes_reference),
    "workbook-layout": ("import-workbook.md", workbook_layout),
    "error-kinds": ("errors.md", error_kinds),
    "record-labels": ("errors.md", record_labels),
}


def markers(name: str) -> tuple[str, str]:
    return (f"<!-- BEGIN GENERATED {name}: docs/tools/reference.py -->",
            f"<!-- END GENERATED {name} -->")


def splice(text: str, name: str, body: str) -> str:
    begin, end = markers(name)
    if begin not in text or end not in text:
        raise SystemExit(f"the markers of section {name!r} are missing")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n\n{body.rstrip()}\n\n{end}{tail}"


def expected_pages() -> dict[Path, str]:
    pages: dict[Path, str] = {}
    for name, (page, render) in SECTIONS.items():
        path = DOCS / page
        text = pages.get(path) or path.read_text(encoding="utf-8")
        pages[path] = splice(text, name, render())
    return pages


def main(argv: list[str]) -> int:
    stale = [path for path, text in expected_pages().items() if path.read_text(encoding="utf-8") != text]
    if "--check" in argv:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run .venv/bin/python docs/tools/reference.py")
        return 1 if stale else 0
    for path, text in expected_pages().items():
        if path in stale:
            path.write_text(text, encoding="utf-8")
            print(f"rewrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
