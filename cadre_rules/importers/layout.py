"""The procedure workbook layout (全程纪实): one sheet per record kind, one column per field.

This table is the single description of the layout: the importer reads by it, `cadre-rules template
workbook` writes its empty template from it, and docs/import-workbook.md lists it. A mapping file
(`cadre_rules.importers.mapping`) renames sheets, columns and code values of another layout onto it.

A column's `path` is where its value goes inside the sheet's record (`vote.agree`); a path starting
with `+` goes into a per-row child entry of the record (`+results.votes`: each row of a
recommendation adds one result). Rows with the same record id merge into one record; a sheet with
`parents` attaches its records under a record of an earlier sheet (an agenda item under its meeting).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cadre_rules import codes as c

# Code tables: the code lists of cadre_rules.codes, each code with the words a workbook may write for it:
# the workbook's own words first (the first is what the template writes), then the code list's Chinese
# name and synonyms. The words are looked up per code, so the lists themselves live only in codes.py.
_TABLES: dict[str, type[c.Code]] = {
    "move": c.MoveKind,
    "status": c.RecordStatus,
    "body_kind": c.BodyKind,
    "level": c.Level,
    "role": c.Role,
    "proposer": c.Proposer,
    "recommendation_form": c.RecommendationForm,
    "meeting_kind": c.MeetingKind,
    "vote_method": c.VoteMethod,
    "outcome": c.Outcome,
    "view": c.View,
    "check": c.CheckOutcome,
    "method": c.InspectionMethod,
    "consultation": c.ConsultationWith,
    "attestation": c.AttestationKind,
    "attendee_role": c.NonVotingRole,
}
_WORKBOOK_WORDS: dict[type[c.Code], dict[c.Code, tuple[str, ...]]] = {  # per list: members of two lists may share a code
    c.MoveKind: {
        c.MoveKind.further_use: ('进一步使用', '进一步使用（重用）'),
        c.MoveKind.rotation: ('交流轮岗', '轮岗'),
    },
    c.RecordStatus: {
        c.RecordStatus.closed: ('已办结', '办结'),
        c.RecordStatus.open: ('进行中', '在办'),
    },
    c.BodyKind: {
        c.BodyKind.standing_committee: ('常委会',),
        c.BodyKind.other: ('其他',),
    },
    c.Level: {
        c.Level.clerk: ('办事员', '办事员级'),
        c.Level.staff: ('科员', '科员级', '一级科员', '二级科员'),
        c.Level.section_deputy: ('副科', '副科级'),
        c.Level.section_chief: ('正科', '正科级'),
        c.Level.division_deputy: ('副处', '副处级', '副县级'),
        c.Level.division_chief: ('正处', '正处级', '正县级'),
        c.Level.bureau_deputy: ('副厅', '副厅级', '副局级'),
        c.Level.bureau_chief: ('正厅', '正厅级', '正局级'),
    },
    c.Role: {
        c.Role.principal_leader: ('主要负责人', '书记'),
        c.Role.organisation_lead: ('分管组织', '组织部长'),
        c.Role.discipline_official: ('纪委书记', '纪检监察组组长'),
        c.Role.member: ('成员', '委员'),
    },
    c.Proposer: {
        c.Proposer.committee: ('党委',),
        c.Proposer.organisation_department: ('组织部门', '组织部'),
    },
    c.RecommendationForm: {
        c.RecommendationForm.talk: ('谈话推荐',),
    },
    c.MeetingKind: {
        c.MeetingKind.decision: ('常委会议', '党委会议', '讨论决定'),
        c.MeetingKind.reconsideration: ('复议',),
    },
    c.VoteMethod: {
        c.VoteMethod.oral: ('口头表决', '口头'),
        c.VoteMethod.hands: ('举手表决', '举手'),
        c.VoteMethod.secret: ('无记名投票', '票决'),
    },
    c.Outcome: {
        c.Outcome.rejected: ('未通过', '否决'),
    },
    c.View: {
        c.View.defer: ('暂缓',),
        c.View.unclear: ('未明确表态', '不明确'),
    },
    c.InspectionMethod: {
        c.InspectionMethod.opinion_forms: ('征求意见',),
        c.InspectionMethod.file_review: ('查阅档案',),
    },
    c.ConsultationWith: {
        c.ConsultationWith.leaders: ('班子成员',),
        c.ConsultationWith.superior_leader: ('上级领导',),
    },
    c.AttestationKind: {
        c.AttestationKind.basic_conditions: ('基本条件',),
    },
    c.NonVotingRole: {
        c.NonVotingRole.discipline_official: ('纪检监察',),
    },
}


def code_words(member: c.Code) -> tuple[str, ...]:
    """The words a code may be written as in a workbook cell: the workbook's own, its Chinese name, its synonyms."""
    words = (*_WORKBOOK_WORDS.get(type(member), {}).get(member, ()), member.zh, *member.synonyms)
    return tuple(dict.fromkeys(words))


CODES: dict[str, dict[str, tuple[str, ...]]] = {
    table: {member.value: code_words(member) for member in enum} for table, enum in _TABLES.items()}

# Column types: text, id, date, month (a date, or the month alone when the record gives no day: the acts'
# dates and a person's three dates, which the case model keeps as months), int, bool, ids (a list of ids),
# dates (a list of dates), code:<table>, codes:<table> (a list of codes).


@dataclass(frozen=True)
class Column:
    header: str
    path: str
    type: str = "text"
    required: bool = False
    note: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    meaning: str
    collection: str | None  # list in the parent record ("body.members"); None: the case row itself
    columns: tuple[Column, ...]
    id_column: str | None = None  # header of the column whose value identifies (and merges) a record
    parents: tuple[tuple[str, str], ...] = ()  # (collection of the case, header of its id column) ...
    single: bool = False  # one record, not a list (the motion)
    fixed: dict = field(default_factory=dict)
    team: bool = False  # 考察组: a leader column and a members column build `team`


CASE = Column("案例编号", "", "id", True, "the case this row belongs to (案例 sheet)")


def _s(name: str, meaning: str, collection: str | None, *columns: Column, **kw) -> Sheet:
    return Sheet(name, meaning, collection, (CASE, *columns), **kw)


LAYOUT: tuple[Sheet, ...] = (
    _s("案例", "one row per case: the case, its deciding body and the post", None,
       Column("标题", "title"), Column("单位", "organisation", required=True),
       Column("调整类型", "move", "code:move", True), Column("状态", "status", "code:status"),
       Column("截至日期", "as_of", "date", note="for an open case"), Column("换届", "change_of_term", "bool"),
       Column("决策机构编号", "body.id", "id", True), Column("决策机构名称", "body.name", required=True),
       Column("决策机构类型", "body.kind", "code:body_kind"),
       Column("职位编号", "post.id", "id", True), Column("职位名称", "post.title", required=True),
       Column("职位所在单位", "post.unit", required=True), Column("职位层级", "post.level", "code:level"),
       Column("职数", "post.quota", "int", True), Column("现有人数", "post.incumbents", "int", True),
       Column("需报备", "post.filing_required", "bool")),
    _s("班子成员", "members of the deciding body", "body.members",
       Column("成员编号", "id", "id", True), Column("姓名", "name", required=True),
       Column("职务角色", "roles", "codes:role", note="several separated by 、"),
       id_column="成员编号"),
    _s("候选人", "candidates; a 任免审批表 file fills what the row leaves empty", "candidates",
       Column("候选人编号", "id", "id", True), Column("姓名", "name"), Column("性别", "gender"),
       Column("出生日期", "birth_date", "month"), Column("参加工作时间", "work_start_date", "month"),
       Column("入党时间", "party_join_date", "month"), Column("中共党员", "party_member", "bool"),
       Column("现任职务", "current_post"), Column("现职级", "current_level", "code:level"),
       Column("任现职级时间", "current_since", "date"),
       Column("任免审批表", "", "text", note=".lrmx/.lrm file, relative to the workbook"),
       id_column="候选人编号"),
    _s("学历", "candidates' education", "education",
       Column("候选人编号", "", "id", True), Column("学历", "degree", required=True), Column("毕业院校", "institution"),
       Column("全日制", "full_time", "bool"), Column("毕业时间", "completed", "date"),
       parents=(("candidates", "候选人编号"),)),
    _s("工作经历", "candidates' work history (posts)", "work_history",
       Column("候选人编号", "", "id", True), Column("职务", "title", required=True), Column("单位", "unit"),
       Column("层级", "level", "code:level"), Column("正职", "is_chief", "bool"), Column("基层", "grassroots", "bool"),
       Column("提拔", "promotion", "bool"), Column("开始", "start", "date", True), Column("结束", "end", "date"),
       parents=(("candidates", "候选人编号"),)),
    _s("动议", "the motion (one row per case)", "motion",
       Column("动议日期", "date", "month", True), Column("动议主体", "proposer", "code:proposer"),
       Column("分析研判日期", "analysis_date", "date"), Column("报告主要负责人日期", "reported_to_principal", "date"),
       Column("酝酿日期", "consultation_dates", "dates"), Column("工作方案日期", "work_plan_date", "date"),
       Column("拟任人选", "intended_candidates", "ids"), single=True),
    _s("民主推荐", "recommendation rounds: one row per round and candidate", "recommendations",
       Column("推荐编号", "id", "id", True), Column("形式", "form", "code:recommendation_form", True),
       Column("日期", "date", "month", True), Column("应参加人数", "participants_expected", "int"),
       Column("实参加人数", "participants_actual", "int"),
       Column("候选人编号", "+results.candidate", "id"), Column("得票", "+results.votes", "int"),
       Column("同时个别谈话推荐", "individual_talks", "bool",
              note="talks held at the same sitting as the meeting (both forms, as the 2002 and 2014 texts require)"),
       id_column="推荐编号"),
    _s("谈话推荐", "talk recommendation rounds: one row per round and candidate", "recommendations",
       Column("推荐编号", "id", "id", True), Column("日期", "date", "month", True),
       Column("应参加人数", "participants_expected", "int"), Column("实参加人数", "participants_actual", "int"),
       Column("候选人编号", "+results.candidate", "id"), Column("得票", "+results.votes", "int"),
       id_column="推荐编号", fixed={"form": "talk"}),
    _s("考察", "inspections, one row per candidate inspected", "inspections",
       Column("考察编号", "id", "id", True), Column("候选人编号", "candidate", "id", True),
       Column("考察组组长", "", "text"), Column("考察组成员", "", "text", note="names separated by 、"),
       Column("确定考察对象机构", "target_decision.body"), Column("确定考察对象日期", "target_decision.date", "date"),
       Column("集体研究", "target_decision.collective", "bool"), Column("意见集中", "target_decision.views_concentrated", "bool"),
       Column("确定理由", "target_decision.rationale"),
       Column("考察方案日期", "plan_date", "date"), Column("与单位沟通日期", "unit_consultation_date", "date"),
       Column("考察预告日期", "notice_date", "date"), Column("考察方式", "methods", "codes:method"),
       Column("开始日期", "start", "month", True), Column("完成日期", "completed", "month"),
       Column("反馈日期", "feedback_date", "date"), Column("部务会研究日期", "department_review_date", "date"),
       Column("考察材料日期", "report.date", "date"), Column("主要优点", "report.strengths"),
       Column("不足", "report.weaknesses"), Column("推荐情况", "report.recommendation_results"),
       Column("测评情况", "report.evaluation_results"),
       Column("档案审核日期", "file_review.date", "date"), Column("档案审核结论", "file_review.outcome", "code:check"),
       Column("个人事项核查日期", "personal_matters.date", "date"),
       Column("个人事项核查结论", "personal_matters.outcome", "code:check"),
       Column("纪检意见日期", "discipline_opinion.date", "date"),
       Column("纪检意见结论", "discipline_opinion.outcome", "code:check"),
       Column("信访查核日期", "petition_check.date", "date"), Column("信访查核结论", "petition_check.outcome", "code:check"),
       Column("廉洁结论日期", "integrity_conclusion.date", "date"),
       Column("书记签字", "integrity_conclusion.signed_by_secretary", "bool"),
       Column("纪检负责人签字", "integrity_conclusion.signed_by_discipline_head", "bool"),
       id_column="考察编号", team=True),
    _s("酝酿", "consultations before the decision", "consultations",
       Column("对象", "with", "code:consultation", True), Column("日期", "date", "date", True), Column("意见", "view")),
    _s("会议", "meetings: who was due, who attended, who chaired", "meetings",
       Column("会议编号", "id", "id", True), Column("会议类型", "kind", "code:meeting_kind"),
       Column("日期", "date", "month", True), Column("应到成员", "members_due", "ids", True),
       Column("实到成员", "attendees", "ids"), Column("主持人", "chair", "id"),
       Column("列席人员", "", "text", note="姓名（身份）separated by 、, 身份 a code of attendee_role"),
       Column("会议纪要", "records.minutes", "bool"), Column("讨论记录", "records.discussion_record", "bool"),
       Column("主持人签字", "records.signed_by_chair", "bool"), Column("记录人签字", "records.signed_by_recorder", "bool"),
       id_column="会议编号"),
    _s("议题与表决", "agenda items of a meeting and their votes", "agenda",
       Column("会议编号", "", "id", True), Column("议题编号", "id", "id", True),
       Column("候选人编号", "candidate", "id", True), Column("会前送达", "circulated_in_advance", "bool"),
       Column("临时动议", "added_at_meeting", "bool"), Column("汇报人", "presenter", "id"),
       Column("回避成员", "recused", "ids"), Column("中途离会成员", "departed", "ids"),
       Column("表决方式", "vote.method", "code:vote_method"), Column("同意", "vote.agree", "int"),
       Column("不同意", "vote.disagree", "int"), Column("弃权", "vote.abstain", "int"), Column("结果", "outcome", "code:outcome"),
       id_column="议题编号", parents=(("meetings", "会议编号"),)),
    _s("表态顺序", "each member's statement on an item, in speaking order", "statements",
       Column("会议编号", "", "id", True), Column("议题编号", "", "id", True),
       Column("顺序", "order", "int", True), Column("成员编号", "member", "id", True),
       Column("意见", "view", "code:view", True),
       parents=(("meetings", "会议编号"), ("agenda", "议题编号"))),
    _s("公示", "publicity of each candidate", "publicity",
       Column("公示编号", "id", "id", True), Column("候选人编号", "candidate", "id", True),
       Column("开始日期", "start", "month", True), Column("结束日期", "end", "month"), Column("公示方式", "channel"),
       id_column="公示编号"),
    _s("任职", "appointment notices and talks", "appointments",
       Column("任职编号", "id", "id", True), Column("候选人编号", "candidate", "id", True),
       Column("发文日期", "date", "month", True), Column("文号", "number"), Column("谈话日期", "talk.date", "date"),
       Column("谈话人", "talk.by"), Column("任职时间", "tenure_start", "date"), id_column="任职编号"),
    _s("认定", "attestations of what rules cannot check", "attestations",
       Column("类型", "kind", "code:attestation", True), Column("候选人编号", "candidate", "id", True),
       Column("日期", "date", "date", True), Column("出具", "by", required=True)),
    _s("报备", "filings with the superior department", "filings",
       Column("报备编号", "id", "id", True), Column("候选人编号", "candidate", "id", True),
       Column("报备日期", "date", "month", True), Column("报送机关", "to", required=True), id_column="报备编号"),
)

SHEETS = {s.name: s for s in LAYOUT}
