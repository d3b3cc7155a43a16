"""Every closed value set of the domain, declared once: the codes, their Chinese and English names,
and the other words that inputs accept for them.

Why one place: the case model, the fact schema, the rule type checker, messages, reports and the
Gherkin vocabulary all read these lists. When each kept its own copy they drifted (the engine said
平级交流 where the case generator said 交流任职), and a misspelt code in a rule condition loaded
silently and matched nothing. Now the fact schema knows which code list each field draws from and
the type checker rejects a literal that is not one of its codes.

A code list is a `Code` (a `StrEnum`): each member is declared as

    value = "value", "中文名", "English name", ("other accepted word", ...), "中文全称"

- `zh` is the name shown in Chinese messages and reports (for codes that rule messages print, it is
  the name findings have always shown, so findings stay byte-identical);
- `en` is the English name;
- `synonyms` are further words some input already accepts (the Gherkin steps); `words()` gives
  every accepted word (zh, en and synonyms) mapped to its code;
- `zh_full` is an optional longer name where the short one reads ambiguously out of context
  (tallies in the annual report).

Wording follows the project glossary (/work/shared/domain/glossary.md) where it names the term.
docs/codes.md is generated from this module (docs/tools/reference.py).
"""
from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

C = TypeVar("C", bound="Code")


class Code(StrEnum):
    """Base of every code list: a text code with its Chinese and English names and accepted synonyms."""

    zh: str
    en: str
    synonyms: tuple[str, ...]
    zh_full: str

    def __new__(cls, value: str, zh: str = "", en: str = "", synonyms: tuple[str, ...] = (), zh_full: str = "") -> "Code":
        member = str.__new__(cls, value)
        member._value_ = value
        member.zh = zh or value
        member.en = en or value.replace("_", " ")
        member.synonyms = tuple(synonyms)
        member.zh_full = zh_full or member.zh
        return member

    def label(self, lang: str) -> str:
        """The member's name in `lang` ("zh" or "en")."""
        return self.zh if lang == "zh" else self.en

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """The codes, in declaration order."""
        return tuple(m.value for m in cls)

    @classmethod
    def words(cls: type[C]) -> dict[str, C]:
        """Every word an input may use for a code (Chinese name, synonyms, English name) → the code."""
        out: dict[str, C] = {}
        for member in cls:
            for word in (member.zh, *member.synonyms, member.en):
                if out.setdefault(word, member) is not member:
                    raise ValueError(f"{cls.__name__}: the word {word!r} names both {out[word].value} and {member.value}")
        return out

    @classmethod
    def lookup(cls: type[C], value: object) -> C | None:
        """The member whose code is `value`, or None (an open field may hold other text)."""
        try:
            return cls(value)  # type: ignore[arg-type]
        except ValueError:
            return None


class _AsLiteral:
    """Validates a code as the `Literal[...]` of its values, then gives the member."""

    def __init__(self, codes: type[Code]) -> None:
        self.codes = codes

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        # The literal admits only the members' values, so the member is a lookup in the enum's own
        # value map (calling the enum class costs a Python-level __call__ and __new__ per value).
        member = self.codes._value2member_map_.__getitem__
        return core_schema.no_info_after_validator_function(member, core_schema.literal_schema(list(self.codes.values())))


def closed(codes: type[Code]) -> Any:
    """`codes` as a pydantic field type that validates, and shows in the JSON Schema, as the
    `Literal[...]` of its values: the fields typed so before the code lists were unified keep their
    schema and their error messages, and hold the enum member once validated."""
    return Annotated[codes, _AsLiteral(codes)]


# --- the case and its people -----------------------------------------------------------------------

class RecordStatus(Code):
    """Whether the case record is complete."""

    closed = "closed", "已办结", "closed"
    open = "open", "办理中", "open", (), "办理中（按 as_of 判断）"


class MoveKind(Code):
    """Kind of personnel move; only promotions carry publicity and the four musts."""

    promotion = "promotion", "提拔", "promotion"
    further_use = "further_use", "进一步使用", "further use", ("重用",)
    lateral_transfer = "lateral_transfer", "平级交流", "lateral transfer", ("平级转任", "转任")
    rotation = "rotation", "交流轮岗", "rotation"


class Level(Code):
    """Administrative levels, lowest first (order matters for level gaps). The two levels below 副科 are
    non-leading (办事员, 科员): a candidate may hold them, a leading post is never at them. The section-level
    promotion rules need them (three years as 科员 before a 乡科级副职, issue 12)."""

    clerk = "clerk", "办事员", "clerk", ("办事员级",)
    staff = "staff", "科员", "staff", ("科员级", "一级科员", "二级科员")
    section_deputy = "section_deputy", "副科", "section deputy"
    section_chief = "section_chief", "正科", "section chief"
    division_deputy = "division_deputy", "副处", "division deputy", ("副县",)
    division_chief = "division_chief", "正处", "division chief", ("正县",)
    bureau_deputy = "bureau_deputy", "副厅", "bureau deputy", ("副局",)
    bureau_chief = "bureau_chief", "正厅", "bureau chief", ("正局",)


# The non-leading levels below 副科: a candidate may hold them, a leading post is never at them.
NON_LEADING_LEVELS = frozenset((Level.clerk, Level.staff))


class BodyKind(Code):
    """Kind of deciding body."""

    standing_committee = "standing_committee", "党委常委会", "standing committee", ("常委会",)
    party_group = "party_group", "党组", "party group"
    full_committee = "full_committee", "全委会", "full committee", ("党委", "party committee")
    other = "other", "其他领导班子", "other body", ("领导班子", "leadership team", "body")


class Role(Code):
    """Roles a member of a deciding body may hold (several at once)."""

    principal_leader = "principal_leader", "主要负责人（书记）", "principal leader"
    organisation_lead = "organisation_lead", "分管组织（人事）工作的领导成员", "organisation lead"
    discipline_official = "discipline_official", "纪委书记／派驻纪检监察组组长", "discipline official"
    member = "member", "成员", "member (no other role)"


class CommitteeLevel(Code):
    """Level of the Party committee a Party post brings membership of."""

    provincial = "provincial", "省级", "provincial"
    prefectural = "prefectural", "设区的市级", "prefectural", ("市级",)
    county = "county", "县级", "county"


class PostFunction(Code):
    """Function of the post, for the posts with special rules (组织人事、纪检监察、审计、财务)."""

    personnel = "personnel", "组织人事", "personnel"
    discipline = "discipline", "纪检监察", "discipline"
    audit = "audit", "审计", "audit"
    finance = "finance", "财务", "finance"
    other = "other", "其他", "other"


class AvoidanceLevel(Code):
    """The chief posts under home-place avoidance (地域回避)."""

    county = "county", "县（市）", "county", ("县",)
    prefecture = "prefecture", "市（地）", "prefecture", ("地市",)


class Kinship(Code):
    """Kinship kinds of the recusal rules (夫妻、直系血亲、三代以内旁系血亲、近姻亲) plus `other`."""

    spouse = "spouse", "配偶", "spouse", ("妻子", "丈夫")
    parent = "parent", "父母", "parent", ("父亲", "母亲")
    child = "child", "子女", "child", ("儿子", "女儿")
    grandparent = "grandparent", "祖父母", "grandparent", ("外祖父母",)
    grandchild = "grandchild", "孙子女", "grandchild", ("外孙子女",)
    sibling = "sibling", "兄弟姐妹", "sibling", ("哥哥", "弟弟", "姐姐", "妹妹")
    uncle_aunt = "uncle_aunt", "伯叔姑舅姨", "uncle or aunt", ("叔叔", "舅舅", "姑姑", "姨妈")
    nephew_niece = "nephew_niece", "侄子女", "nephew or niece", ("侄子", "外甥")
    cousin = "cousin", "堂兄弟姐妹", "cousin", ("表兄弟姐妹",)
    parent_in_law = "parent_in_law", "岳父母", "parent-in-law", ("公婆",), "配偶的父母（岳父母、公婆）"
    child_in_law = "child_in_law", "子女的配偶", "child-in-law", ("女婿", "儿媳")
    sibling_in_law = "sibling_in_law", "配偶的兄弟姐妹", "sibling-in-law", ("兄弟姐妹的配偶",), "兄弟姐妹的配偶、配偶的兄弟姐妹"
    other = "other", "其他亲属", "distant relative", ("远房亲戚",), "其他亲属（不在法定回避范围内）"


class EducationLevel(Code):
    """Highest education, lowest first (the order is used for thresholds). `junior` (初中及以下) was split off
    `secondary` for the section-level floor of 高中、中专 (issue 12); `secondary` keeps its former name as a synonym."""

    junior = "junior", "初中及以下", "junior secondary or below", ("初中", "小学")
    secondary = "secondary", "高中、中专", "secondary", ("中专、高中及以下", "高中", "中专")
    college = "college", "大专", "college"
    bachelor = "bachelor", "大学本科", "bachelor"
    master = "master", "硕士研究生", "master"
    doctor = "doctor", "博士研究生", "doctor"


class Grade(Code):
    """Annual appraisal grades (年度考核等次)."""

    excellent = "excellent", "优秀", "excellent"
    competent = "competent", "称职", "competent"
    basically_competent = "basically_competent", "基本称职", "basically competent"
    incompetent = "incompetent", "不称职", "incompetent"


class AttestationKind(Code):
    """Requirements no rule can check mechanically; the case must carry a recorded attestation."""

    health = "health", "身体健康", "health", ("身体健康状况",), "身体健康，能正常履职"
    statutory = "statutory", "法定任职资格", "statutory qualification", (), "符合法定任职资格"
    basic_conditions = "basic_conditions", "基本条件评价", "basic conditions", (), "基本条件（德）经考察作出评价"


class SanctionSystem(Code):
    """The family a sanction belongs to (glossary 92: 党纪处分 / 政务处分 / 组织处理)."""

    party = "party", "党纪", "party", ("党纪处分",)
    administrative = "administrative", "政务", "administrative", ("政务处分",)
    organisational = "organisational", "组织处理", "organisational", ("诫勉",)


class SanctionType(Code):
    """Kinds of sanction the rules name (their influence periods are rule parameters); a case may
    record other kinds, which must then carry their own period."""

    warning = "warning", "警告", "warning"
    serious_warning = "serious_warning", "严重警告", "serious warning"
    removal_from_post = "removal_from_post", "撤销党内职务", "removal from post"
    demerit = "demerit", "记过", "demerit"
    major_demerit = "major_demerit", "记大过", "major demerit"
    demotion = "demotion", "降级", "demotion"
    dismissal = "dismissal", "撤职", "dismissal"


#: The (system, type) pairs whose influence period the rulebook knows (DISQ-DISCIPLINE-PERIOD).
KNOWN_SANCTIONS: frozenset[tuple[SanctionSystem, SanctionType]] = frozenset({
    (SanctionSystem.party, SanctionType.warning), (SanctionSystem.party, SanctionType.serious_warning),
    (SanctionSystem.party, SanctionType.removal_from_post),
    (SanctionSystem.administrative, SanctionType.warning), (SanctionSystem.administrative, SanctionType.demerit),
    (SanctionSystem.administrative, SanctionType.major_demerit), (SanctionSystem.administrative, SanctionType.demotion),
    (SanctionSystem.administrative, SanctionType.dismissal),
})


# --- the steps of the procedure ----------------------------------------------------------------------

class Proposer(Code):
    """Who proposed the selection (动议); the rules accept the first three."""

    committee = "committee", "党委（党组）", "committee", ("党委", "党组", "the committee")
    organisation_department = "organisation_department", "组织部门", "organisation department", ("the organisation department",)
    principal_leader = "principal_leader", "主要负责人", "principal leader", ("the principal leader",)
    deputy_leader = "deputy_leader", "分管领导", "deputy leader", ("a deputy leader",)
    individual = "individual", "其他个人", "individual", ("an individual",)


class SelectionMethod(Code):
    """How the post is filled."""

    regular = "regular", "常规", "regular"
    open_selection = "open_selection", "公开选拔", "open selection"
    competition = "competition", "竞争上岗", "competition"


class RecommendationForm(Code):
    """Form of a democratic-recommendation round (glossary 45–47)."""

    meeting = "meeting", "会议推荐", "meeting recommendation"
    talk = "talk", "谈话调研推荐", "talk/research recommendation"
    second_meeting = "second_meeting", "二次会议推荐", "second-round meeting recommendation"


class TeamRole(Code):
    """Role in an inspection team (考察组)."""

    leader = "leader", "组长", "team leader"
    member = "member", "组员", "team member"


class InspectionMethod(Code):
    """Methods of an inspection; individual talks and the file review are required."""

    individual_talk = "individual_talk", "个别谈话", "individual talks"
    opinion_forms = "opinion_forms", "发放征求意见表", "opinion forms"
    evaluation = "evaluation", "民主测评", "democratic evaluation"
    site_visit = "site_visit", "实地走访", "site visit"
    file_review = "file_review", "查阅干部档案", "file review"
    interview = "interview", "面谈", "interview"


class CheckOutcome(Code):
    """Outcome of one of the four musts (凡提四必)."""

    clear = "clear", "无问题", "clear", ("未发现问题",), "未发现问题"
    resolved = "resolved", "已查清", "resolved", ("问题已查清",), "发现问题已查清"
    open = "open", "未查清", "open", ("问题尚未查清",), "发现问题未查清"
    concealment = "concealment", "瞒报", "concealment", ("发现瞒报",), "查实瞒报"


class ReportSection(Code):
    """Sections of the inspection report (考察材料) that must not be empty."""

    strengths = "strengths", "主要优点", "strengths"
    weaknesses = "weaknesses", "主要不足", "weaknesses"
    recommendation_results = "recommendation_results", "民主推荐情况", "recommendation results"
    evaluation_results = "evaluation_results", "民主测评情况", "evaluation results"


class ConsultationWith(Code):
    """With whom the decision was brewed (酝酿 / 征求意见)."""

    leaders = "leaders", "有关领导", "relevant leaders"
    superior_leader = "superior_leader", "上级分管领导", "superior leader in charge"
    united_front = "united_front", "统战部门", "united-front department"
    co_side = "co_side", "协管方", "co-managing side"
    other = "other", "其他", "other"


# Kind of meeting; only the deciding kinds (DECIDING_MEETINGS) decide. (No docstring: the case's JSON
# Schema shows an enum's docstring, and this enum's schema stays as it was.)
class MeetingKind(Code):

    decision = "decision", "党委（党组）会议", "committee meeting", ("常委会会议", "党组会议"), "党委（党组）会议讨论决定"
    reconsideration = "reconsideration", "复议会议", "reconsideration meeting", (), "复议"
    full_committee = "full_committee", "全委会", "full committee meeting", ("全委会会议",), "全委会（票决）"
    secretaries = "secretaries", "书记办公会", "secretaries' meeting", ("书记专题会",), "书记办公会（可酝酿，不得决定）"
    department = "department", "部务会", "department meeting"


#: Meetings that decide on personnel (the others may consult but never decide).
DECIDING_MEETINGS: frozenset[MeetingKind] = frozenset(
    {MeetingKind.decision, MeetingKind.reconsideration, MeetingKind.full_committee})


class NonVotingRole(Code):
    """Role of a non-voting attendee (列席)."""

    discipline_official = "discipline_official", "纪检监察干部", "discipline official"
    organisation_department = "organisation_department", "组织部门", "organisation department"
    recorder = "recorder", "记录人", "recorder"
    other = "other", "其他", "other"


class View(Code):
    """A member's stated position on an item; `unclear` records a statement with no explicit view."""

    agree = "agree", "同意", "agree"
    disagree = "disagree", "不同意", "disagree"
    defer = "defer", "缓议", "defer"
    unclear = "unclear", "未明确表态", "no clear view", ("state no clear view",)


class VoteMethod(Code):
    """Permitted voting methods (glossary 66: 口头、举手、无记名投票); a case may record another
    method (鼓掌通过), which DEC-VOTE-METHOD flags."""

    oral = "oral", "口头表决", "oral vote"
    hands = "hands", "举手表决", "show of hands"
    secret = "secret", "无记名投票", "secret ballot"


# Outcome of an agenda item. (No docstring, as MeetingKind.)
class Outcome(Code):

    adopted = "adopted", "通过", "adopted"
    rejected = "rejected", "未通过", "rejected"
    deferred = "deferred", "暂缓", "deferred"


class Reply(Code):
    """The superior's reply to a prior report or a submission (批复)."""

    approved = "approved", "同意", "approved"
    rejected = "rejected", "不同意", "rejected"


class ProbationResult(Code):
    """Result of the probation assessment (试用期考核)."""

    confirmed = "confirmed", "胜任", "confirmed"
    removed = "removed", "不胜任", "removed"


class PriorMatter(Code):
    """Matters reported to the superior organisation department before deciding (事先报告)."""

    over_quota = "over_quota", "超职数配备", "over-quota staffing"
    leader_departure = "leader_departure", "主要领导离任前调整干部", "appointments before the leader leaves", ("离任前调整干部",)
    breakthrough = "breakthrough", "破格提拔", "exceptional promotion"
    skip_level = "skip_level", "越级提拔", "level-skipping promotion"
    relative = "relative", "任用领导干部近亲属", "appointing a leader's close relative"
    sanction_reuse = "sanction_reuse", "受处分干部重新任用", "reuse after a sanction"
    large_batch = "large_batch", "非换届集中调整干部", "large batch outside a change of term"
    chief_tenure = "chief_tenure", "正职任职年限", "tenure of a chief"
    eligibility_relaxation = "eligibility_relaxation", "放宽资格条件", "relaxed eligibility"
    recommendation_exemption = "recommendation_exemption", "不经民主推荐", "exemption from recommendation"
    other = "other", "其他", "other"


class BreakthroughBasis(Code):
    """The listed grounds of an exceptional promotion (破格): outstanding merit or special need of the work."""

    outstanding_a = "outstanding_a", "特别优秀（一）", "outstanding merit (a)", ("特别优秀", "outstanding merit")
    outstanding_b = "outstanding_b", "特别优秀（二）", "outstanding merit (b)"
    outstanding_c = "outstanding_c", "特别优秀（三）", "outstanding merit (c)"
    need_a = "need_a", "工作特殊需要（一）", "special need (a)", ("工作特殊需要", "special need")
    need_b = "need_b", "工作特殊需要（二）", "special need (b)"
    need_c = "need_c", "工作特殊需要（三）", "special need (c)"


class QualificationItem(Code):
    """Basic qualifications (基本资格) a 破格 may breach."""

    work_years = "work_years", "工龄", "years of service"
    grassroots = "grassroots", "基层工作经历", "grassroots experience"
    years_in_level = "years_in_level", "任职年限", "time in post/level"
    education = "education", "学历", "education"
    training = "training", "培训", "training"


class EligibilityItem(Code):
    """Eligibility conditions a competitive selection may relax (放宽资格条件), with prior approval."""

    age = "age", "年龄", "age"
    years_in_level = "years_in_level", "任职年限", "time in post/level"
    education = "education", "学历", "education"
    work_years = "work_years", "工龄", "years of service"
    grassroots = "grassroots", "基层工作经历", "grassroots experience"
    party_years = "party_years", "党龄", "years of Party membership"


class SourcedMeasure(Code):
    """A count a rule judges on a date of the three ages (三龄), which another source's value of that date
    could turn (the `turn` facts of the dossier checks, DOS-VERDICT-BY-SOURCE)."""

    work_years = "work_years", "工龄", "years of work"
    party_years = "party_years", "党龄", "years of Party membership"
    party_admission_age = "party_admission_age", "入党时年龄", "age at Party admission"
    work_start_age = "work_start_age", "参加工作时年龄", "age on starting work"


class SubmissionDoc(Code):
    """Documents a submission for approval encloses (2014 Art 39 / 2019 Art 40)."""

    approval_form = "approval_form", "干部任免审批表", "approval form"
    inspection_report = "inspection_report", "考察材料", "inspection report"
    personnel_file = "personnel_file", "干部人事档案", "personnel file"
    minutes = "minutes", "会议纪要", "minutes"
    discussion_record = "discussion_record", "讨论记录", "discussion record"
    recommendation_results = "recommendation_results", "民主推荐情况", "recommendation results"


class ReviewStatus(Code):
    """State of a dossier review (档案审核认定) of one item."""

    pending = "pending", "尚未认定", "pending"
    resolved = "resolved", "已认定", "resolved"


class CanvassingSource(Code):
    """How canvassing (拉票) was established."""

    petition = "petition", "信访举报", "a complaint"
    inspection = "inspection", "考察", "the inspection"
    discipline = "discipline", "纪检监察机关", "the discipline-inspection body"


class IdProblem(Code):
    """What is wrong with an identity number (GB 11643)."""

    format = "format", "格式不符", "malformed"
    date = "date", "所含出生日期无效", "invalid birth date inside"
    check_digit = "check_digit", "校验码不符", "wrong check digit"


class Step(Code):
    """The candidate's move in levels, as the facts layer derives it."""

    deputy_to_chief = "deputy_to_chief", "副职提任正职", "deputy to chief"
    chief_to_upper_deputy = "chief_to_upper_deputy", "下级正职提任上级副职", "lower chief to upper deputy"
    staff_to_deputy = "staff_to_deputy", "科员提任乡科级副职", "staff to section deputy"
    skip = "skip", "越级", "level skip"
    same_or_lower = "same_or_lower", "平级或降级", "same level or lower"
    unknown = "unknown", "无法判断", "unknown"


# --- verdicts ---------------------------------------------------------------------------------------

class Verdict(Code):
    """What a finding says of a rule on a case."""

    violated = "violated", "违规", "violated"
    pending = "pending", "待定", "pending"
    unknown = "unknown", "无法判断", "unknown"


class Severity(Code):
    """How much a violated rule weighs: a violation stops the procedure (and makes exit status 1), a
    warning (提醒) and a note (提示) do not."""

    violation = "violation", "违规", "violation"
    warning = "warning", "提醒", "warning"
    info = "info", "提示", "note"


class ReportMark(Code):
    """What reports say besides the verdicts: a waived finding, an invalid input, a compliant case, and a
    case whose acts all precede the earliest edition (listed, never judged: it must not read as compliant)."""

    waived = "waived", "已豁免", "waived"
    invalid = "invalid", "输入无效", "invalid input"
    compliant = "compliant", "合规", "compliant"
    out_of_scope = "out_of_scope", "早于最早版本（未判断）", "before the earliest edition (not judged)"


class ScenarioClass(Code):
    """Tags that classify a rule-tagged scenario for `rules coverage` (docs/specs.md)."""

    violating = "violating", "违规", "violating"
    compliant = "compliant", "合规", "compliant"
    pending = "pending", "待定", "pending"
    unknown = "unknown", "无法判断", "unknown"


# --- the organisation register (cross-case supervision) ----------------------------------------------

class WindowKind(Code):
    """Why a unit's appointments are frozen for a while (a departure or restructuring window)."""

    departure = "departure", "主要领导离任", "principal leader's departure", ("离任",)
    restructuring = "restructuring", "机构变动", "restructuring", ("机构调整",)


class LeaderRole(Code):
    """The principal leader's role in a unit (whose tenure the departure check reviews)."""

    party_secretary = "party_secretary", "党委书记", "Party secretary", ("书记",)
    government_head = "government_head", "政府主要负责人", "head of government"
    unit_head = "unit_head", "单位主要负责人", "head of the unit"


class RetirementCategory(Code):
    """The statutory retirement age a person had before the 2025 reform (the reform raises each by its own step)."""

    male_60 = "male_60", "男（原60周岁）", "man (formerly 60)", ("男",)
    female_55 = "female_55", "女（原55周岁）", "woman (formerly 55)", ("女干部",)
    female_50 = "female_50", "女（原50周岁）", "woman (formerly 50)", ("女职工",)


class HolderSource(Code):
    """Where the register learnt that someone holds a post."""

    roster = "roster", "在职名册", "roster"
    case = "case", "选拔任用案卷", "audited case"


# --- supervision: the two reviews, accountability, team structure (docs/reviews.md, docs/accountability.md) ---

class ReviewForm(Code):
    """The two democratic reviews of 一报告两评议: of the year's selection work, and of each newly appointed cadre."""

    work = "work", "选人用人工作民主评议", "review of the selection work", ("干部选拔任用工作民主评议",)
    appointee = "appointee", "新选拔任用干部民主评议", "review of a newly appointed cadre", ("新提拔干部民主评议",)


class WorkOption(Code):
    """The options of the review of the selection work (《干部选拔任用工作民主评议表》)."""

    satisfied = "satisfied", "满意", "satisfied"
    basically_satisfied = "basically_satisfied", "基本满意", "basically satisfied"
    dissatisfied = "dissatisfied", "不满意", "dissatisfied"
    unknown = "unknown", "不了解", "does not know"


class AppointeeOption(Code):
    """The options of the review of a newly appointed cadre (《新选拔任用领导干部民主评议表》)."""

    approve = "approve", "认可", "approves"
    basically_approve = "basically_approve", "基本认可", "basically approves"
    disapprove = "disapprove", "不认可", "disapproves"
    unknown = "unknown", "不了解", "does not know"


class AccountableRole(Code):
    """Whom an accountability instrument holds responsible (the 2010 办法's five groups, with the leader in charge)."""

    committee = "committee", "党委（党组）", "the committee (party group)"
    principal_leader = "principal_leader", "主要负责人", "principal leader"
    deputy_leader = "deputy_leader", "分管负责人", "leader in charge of personnel work"
    organisation_department = "organisation_department", "组织（人事）部门", "organisation (personnel) department"
    inspection_team = "inspection_team", "考察组", "inspection team"
    discipline_body = "discipline_body", "纪检监察机关", "discipline inspection and supervision body"
    other_persons = "other_persons", "其他有关领导干部和人员", "other leaders and persons concerned"


class Gender(Code):
    """Gender, for the structure of a leadership team (from `meta.member_profiles` or the identity number)."""

    male = "male", "男", "male"
    female = "female", "女", "female"


#: Every code list, in the order docs/codes.md shows them.
CODE_LISTS: tuple[type[Code], ...] = (
    RecordStatus, MoveKind, Level, BodyKind, Role, CommitteeLevel, PostFunction, AvoidanceLevel, Kinship,
    EducationLevel, Grade, AttestationKind, SanctionSystem, SanctionType, Proposer, SelectionMethod,
    RecommendationForm, TeamRole, InspectionMethod, CheckOutcome, ReportSection, ConsultationWith, MeetingKind,
    NonVotingRole, View, VoteMethod, Outcome, Reply, ProbationResult, PriorMatter, BreakthroughBasis,
    QualificationItem, EligibilityItem, SourcedMeasure, SubmissionDoc, ReviewStatus, CanvassingSource, IdProblem, Step, Verdict, ReportMark, ScenarioClass,
    WindowKind, LeaderRole, RetirementCategory, HolderSource,
    ReviewForm, WorkOption, AppointeeOption, AccountableRole, Gender,
)


def code_list(name: str) -> type[Code]:
    """The code list called `name` (e.g. "MoveKind")."""
    for codes in CODE_LISTS:
        if codes.__name__ == name:
            return codes
    raise KeyError(name)

