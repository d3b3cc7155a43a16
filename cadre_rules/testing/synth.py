"""Seeded synthetic selection cases, compliant by construction, with optionally injected violations.

Why this exists: benchmarks and detection tests need many varied, *valid* cases whose expected verdicts
are known in advance. Every case is first built compliant with all 69 national rules — with the complete
records a clean case needs (motion steps, recommendation rounds, inspection steps and report, the four
musts, consultations, meeting records, attestations, talks) and no finding at all, warnings and the
informational GEN-VERSION included; then, with probability `violation_rate`, 1–3 rules are chosen and for
each one a mutation breaks exactly that rule. The chosen rule ids are recorded in
`meta.injected_violations` (the way each was broken in `meta.injection_variants`), so an auditor is
correct on a case exactly when the set of rule ids it finds violated equals that list. REC-ATTENDANCE is
never injected (`NOT_INJECTED`): the national profile switches it off.

Design points, each for a reason:

* Determinism. Case `i` of seed `s` is drawn from its own `random.Random` seeded with the string
  "cadre-rules-synth:{s}:{i}" (string seeds are hashed with SHA-512, stable across runs and Python
  versions). So the same arguments give byte-identical output, and case `i` does not depend on how many
  cases are asked for. Neither the global `random` nor the clock is used.
* A plan first. The injected rules fix the case's shape before anything is drawn (`_plan`): the move,
  the setting (county/division-level qualification rules need a city or provincial post), a chief or
  deputy post, one candidate or two (and a differential selection), talks before a meeting
  recommendation, a reconsideration meeting.
* Edition windows. A rule can only be violated by an act on a date it is in force, so the plan fixes the
  earliest motion date from the injected rules (2019 text: analysis, prechecks, differential reference
  names, the audit first, the principal speaking last; the four musts and the integrity sign-off from
  2016-08-01). All dates up to the decision are one chain of working-day steps, so a case can also be
  anchored at its meeting: GEN-VERSION puts the meeting inside the open window 2019-03-03..16, which
  clean cases never enter. Clean cases follow the windows too (no four-musts record before 2016-08, the
  principal sometimes speaks first before 2019-03-03) because a compliant case of its time looked like that.
* Exact arithmetic. Quorum and adoption are checked as `present*3 >= 2*N` and `yes*2 > N`, the vote is
  derived from the recorded views (or, where a rule needs it, a ballot that differs from them), full
  years count by anniversary, and working days come from `cadre_rules.facts.calendar` (holidays and make-up
  working days), never from weekday arithmetic.
* No collisions. Mutations run in one canonical order (`RULE_IDS`: qualifications, motion,
  recommendation, inspection, meeting, publicity, notice, filing), each building what it needs and
  keeping the other rules' conditions intact; the meetings' views are settled after them, and the records
  that follow the final notice dates (talks, probation, submissions) are drawn next, before the few
  mutations that break those (`_LATE`). Rule sets that no case can carry are never drawn (`compatible`);
  a combination that the drawn case cannot support (e.g. a quorum breach plus a silent member with a
  lawful majority left) is redrawn from the same generator, which keeps the output deterministic.
* Variety. Clean cases carry the compliant variations of a real corpus (`_variety`): approved 破格,
  old sanctions with the reuse approved, co-managed posts, posts managed by the superior with their
  submission, nominations, early checks, competitive selection, resolved publicity objections, relatives
  outside the avoidance lines, probation, audits, reconsiderations, changes of term, non-CPC candidates.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from cadre_rules.facts import calendar
from cadre_rules.facts.periods import add_months, anniversary, full_months

# The rules that can be injected, in the order their mutations are applied (see the module docstring).
RULE_IDS: tuple[str, ...] = (
    "GEN-VERSION",
    "GEN-COLLECTIVE",
    "GEN-AUTHORITY",
    "QUAL-WORKYEARS",
    "QUAL-GRASSROOTS",
    "QUAL-TWO-POSTS",
    "QUAL-DEP2CHIEF-2Y",
    "QUAL-CHIEF2UPDEP-3Y",
    "QUAL-EDUCATION",
    "QUAL-TRAINING",
    "QUAL-HEALTH-LEGAL",
    "QUAL-PARTY-AGE",
    "QUAL-BASIC-CONDITIONS",
    "BRK-GROUNDS",
    "BRK-LIMITS",
    "BRK-PRIOR-APPROVAL",
    "DISQ-LIST",
    "DISQ-DISCIPLINE-PERIOD",
    "MOT-ANALYSIS",
    "MOT-INITIATION",
    "MOT-VACANCY",
    "MOT-NO-ADHOC",
    "MOT-PRECHECK",
    "MOT-COMPETITIVE",
    "REC-REQUIRED",
    "REC-VALIDITY-1Y",
    "REC-FORM-ORDER",
    "REC-PARTICIPANTS",
    "REC-REF-DIFFERENTIAL",
    "REC-NOT-BY-VOTES",
    "REC-INDIV-SIGNED",
    "INS-TARGET-COLLECTIVE",
    "INS-TEAM-2",
    "INS-STEPS",
    "INS-BEFORE-DECISION",
    "INS-FILE-REVIEW",
    "INS-PERSONAL-MATTERS",
    "INS-DISCIPLINE-OPINION",
    "INS-PETITION-CHECK",
    "INS-INTEGRITY-SIGNOFF",
    "INS-AUDIT-FIRST",
    "INS-MATERIALS",
    "DEC-BREWING",
    "DEC-DISCIPLINE-OBSERVER",
    "DEC-QUORUM",
    "DEC-RECUSAL",
    "DEC-PASS",
    "DEC-EXPLICIT-VIEW",
    "DEC-LAST-SPEAKER",
    "DEC-VOTE-METHOD",
    "DEC-DEFER",
    "DEC-RECONSIDER",
    "DEC-PRESENTATION",
    "DEC-FULLCOMMITTEE",
    "DEC-RECORDS",
    "DIS-NO-RUSH",
    "APT-PUB-SCOPE",
    "APT-PUB-5WD",
    "APT-PUB-WINDOW",
    "APT-PUB-OUTCOME",
    "APT-PROBATION",
    "APT-TALK",
    "APT-TENURE-START",
    "RPT-PRIOR-MATTERS",
    "RPT-SUBMISSION",
    "RPT-FILING",
    "AVD-KINSHIP",
    "AVD-GEOGRAPHIC",
)

# Rules never injected: REC-ATTENDANCE applies only where a provincial profile sets a local attendance
# threshold (parameter `applies`, false in the national profile), so no national case can violate it.
NOT_INJECTED: tuple[str, ...] = ("REC-ATTENDANCE",)

# Rules that judge promotions only (case.is_promotion in their condition, or a record only promotions carry).
_PROMOTION_ONLY = frozenset({
    "INS-FILE-REVIEW", "INS-PERSONAL-MATTERS", "INS-DISCIPLINE-OPINION", "INS-PETITION-CHECK", "INS-INTEGRITY-SIGNOFF",
    "APT-PUB-WINDOW", "APT-PUB-SCOPE", "APT-PROBATION", "QUAL-WORKYEARS", "QUAL-GRASSROOTS", "QUAL-TWO-POSTS",
    "QUAL-DEP2CHIEF-2Y", "QUAL-CHIEF2UPDEP-3Y", "QUAL-EDUCATION", "QUAL-TRAINING", "QUAL-HEALTH-LEGAL",
    "QUAL-BASIC-CONDITIONS", "BRK-GROUNDS", "BRK-LIMITS", "BRK-PRIOR-APPROVAL", "DEC-FULLCOMMITTEE"})
# Rules that need a promotion or further use: recommendation is required for both, and both are publicised here.
_PROMOTION_OR_FURTHER_USE = frozenset({"REC-REQUIRED", "APT-PUB-5WD", "APT-PUB-OUTCOME", "DISQ-DISCIPLINE-PERIOD"})
# Rules judged only for posts at county/division level and above (the city and provincial settings).
_DIVISION_ONLY = frozenset({"QUAL-WORKYEARS", "QUAL-GRASSROOTS", "QUAL-TWO-POSTS", "QUAL-DEP2CHIEF-2Y",
                            "QUAL-CHIEF2UPDEP-3Y", "QUAL-TRAINING"})
# Rules whose injection needs a chief post.
_CHIEF_ONLY = frozenset({"QUAL-DEP2CHIEF-2Y", "DEC-FULLCOMMITTEE"})
# Rules whose injection needs a democratic recommendation on record (a transfer may have none).
_NEEDS_RECOMMENDATION = frozenset({"REC-REQUIRED", "REC-VALIDITY-1Y", "REC-FORM-ORDER", "REC-PARTICIPANTS",
                                   "REC-REF-DIFFERENTIAL", "REC-NOT-BY-VOTES"})
# Candidates of these injections stay CPC members (a non-CPC candidate has no Party age).
_PARTY_MEMBER_NEEDED = frozenset({"QUAL-PARTY-AGE"})
# Injections that rebuild what a compliant variation (see `_variety`) would otherwise supply.
_BREAKTHROUGH_RULES = frozenset({"BRK-GROUNDS", "BRK-LIMITS", "BRK-PRIOR-APPROVAL", "DEC-PRESENTATION", "APT-PUB-WINDOW",
                                 "QUAL-WORKYEARS", "QUAL-GRASSROOTS", "QUAL-DEP2CHIEF-2Y", "QUAL-CHIEF2UPDEP-3Y"})
_SANCTION_RULES = frozenset({"DISQ-DISCIPLINE-PERIOD", "RPT-PRIOR-MATTERS"})
_KINSHIP_RULES = frozenset({"AVD-KINSHIP", "RPT-PRIOR-MATTERS"})
_AUTHORITY_RULES = frozenset({"GEN-AUTHORITY", "RPT-SUBMISSION"})
_MEETING_KIND_RULES = frozenset({"GEN-COLLECTIVE"})
_PUBLICITY_RULES = frozenset({"APT-PUB-5WD", "APT-PUB-WINDOW", "APT-PUB-OUTCOME"})
_MOTION_RULES = frozenset({"MOT-ANALYSIS", "MOT-INITIATION", "MOT-PRECHECK", "MOT-COMPETITIVE"})
# Combinations one case cannot carry: the meeting in the open March 2019 window leaves no room for a
# motion or recommendation under the 2019 text before it; an approved 破格 silences the qualification
# rules it covers; a post is filled either from deputy to chief or from lower chief to upper deputy.
_INCOMPATIBLE: dict[str, frozenset[str]] = {
    "GEN-VERSION": frozenset({"MOT-ANALYSIS", "MOT-PRECHECK", "REC-REF-DIFFERENTIAL"}),
    "BRK-GROUNDS": frozenset({"QUAL-WORKYEARS", "QUAL-GRASSROOTS", "QUAL-DEP2CHIEF-2Y", "QUAL-CHIEF2UPDEP-3Y"}),
    "BRK-LIMITS": frozenset({"QUAL-WORKYEARS", "QUAL-GRASSROOTS", "QUAL-DEP2CHIEF-2Y", "QUAL-CHIEF2UPDEP-3Y"}),
    "QUAL-CHIEF2UPDEP-3Y": _CHIEF_ONLY,
    "REC-REQUIRED": frozenset({"REC-NOT-BY-VOTES"}),  # the fewest votes among the recommended, with one unrecommended
}
# Without a committee decision (GEN-COLLECTIVE) the rules on decisions have nothing to judge; these rules
# judge acts before or after it that stand on their own.
_COLLECTIVE_COMPANIONS = frozenset({
    "MOT-ANALYSIS", "MOT-INITIATION", "MOT-PRECHECK", "MOT-COMPETITIVE", "REC-VALIDITY-1Y", "REC-FORM-ORDER",
    "REC-PARTICIPANTS", "REC-REF-DIFFERENTIAL", "REC-NOT-BY-VOTES", "REC-INDIV-SIGNED", "INS-TARGET-COLLECTIVE",
    "INS-TEAM-2", "INS-STEPS", "INS-MATERIALS", "DISQ-LIST", "APT-PUB-5WD", "APT-PUB-WINDOW", "APT-PUB-SCOPE",
    "APT-PUB-OUTCOME", "APT-PROBATION", "APT-TALK", "QUAL-TRAINING", "GEN-AUTHORITY", "RPT-SUBMISSION", "RPT-FILING"})
# First day each rule can be violated, where that is later than the generator's first motion date.
FOUR_MUSTS_FROM = date(2016, 8, 1)
LAST_SPEAKER_FROM = date(2019, 3, 3)
VERSION_2019 = LAST_SPEAKER_FROM
# GEN-VERSION flags meetings between the 2019 text's date and its release (open issue O1).
VERSION_WINDOW = (date(2019, 3, 3), date(2019, 3, 16))
_IN_FORCE_FROM: dict[str, date] = {
    "INS-FILE-REVIEW": FOUR_MUSTS_FROM,
    "INS-PERSONAL-MATTERS": FOUR_MUSTS_FROM,
    "INS-PETITION-CHECK": FOUR_MUSTS_FROM,
    "INS-INTEGRITY-SIGNOFF": FOUR_MUSTS_FROM,
    "DEC-LAST-SPEAKER": LAST_SPEAKER_FROM,
    "MOT-ANALYSIS": VERSION_2019,
    "MOT-PRECHECK": VERSION_2019,
    "REC-REF-DIFFERENTIAL": VERSION_2019,
    "INS-AUDIT-FIRST": VERSION_2019,
}
# Motions are drawn in this range; a whole case spans at most about five months, so every act stays
# inside the holiday data (2004–2026). Injections that stretch a case (a stale recommendation, a
# record kept beyond the first year in office) end their motions earlier.
FIRST_MOTION = date(2015, 1, 5)
LAST_MOTION = date(2026, 6, 30)
_LATEST_MOTION: dict[str, date] = {
    "REC-VALIDITY-1Y": date(2025, 4, 30),
    "QUAL-TRAINING": date(2025, 5, 31),
    "APT-PROBATION": date(2025, 5, 31),
}
_KIND_WEIGHTS = {"county": 40, "city": 25, "city_bureau": 20, "province_dept": 15}

_MAX_ATTEMPTS = 200

# --- small Chinese vocabularies ------------------------------------------------------------------

_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
             "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万严武戴孔汤")
_GIVEN = "建国文华海燕志强晓梅庆立新春兰永明丽萍卫东俊杰辉红军秀英桂芳玉德胜振宏伟娟雪刚平少勇爱民静怡涵浩然思远鸣嘉欣磊敏洁超斌霞琳鹏飞颖婷亮峰涛"
_COUNTIES = ("清溪", "青石", "云川", "临河", "安平", "长宁", "永和", "白水", "丰乐", "南屏", "石门", "桃源", "柳江", "松阳",
             "望川", "新桥", "凤鸣", "黎山")
_TOWNS = ("青石", "东岭", "白沙", "柳塘", "双河", "金湾", "杨柳", "梅岭", "龙泉", "三江", "石桥", "花溪", "马坪", "云台")
_CITIES = ("江州", "平阳", "东陵", "宁远", "西岭", "海川", "北屏", "临川")
_PROVINCE = "江南省"
_BUREAUS = ("财政", "教育", "交通运输", "自然资源", "农业农村", "人力资源和社会保障", "卫生健康", "商务", "水利", "审计",
            "统计", "民政", "住房和城乡建设", "生态环境", "文化和旅游", "应急管理", "市场监督管理", "司法")
_SECTIONS = ("办公室", "综合科", "规划科", "财务科", "法规科", "人事科", "监督科", "计划科")
_DIVISIONS = ("办公室", "综合处", "规划处", "财务处", "法规处", "人事处", "监督处", "发展计划处")
_SCHOOLS = ("江南大学", "江南财经大学", "江州师范学院", "平阳理工学院", "东陵农业大学", "江南政法学院", "临川医学院")
_DEGREES = ("大学本科", "大学本科", "大学本科", "硕士研究生", "大专")
_RESOLVED_NOTES = ("出生日期记载前后不一致，已查清并认定", "入党时间材料缺失，已补充并认定", "学历材料有疑点，已核实")
_KINSHIPS_IN_SCOPE = ("spouse", "parent", "child", "sibling", "uncle_aunt", "nephew_niece", "cousin",
                      "parent_in_law", "child_in_law", "sibling_in_law")
_LEVELS = ("section_deputy", "section_chief", "division_deputy", "division_chief")
_PROPOSERS = ("organisation_department", "organisation_department", "committee", "principal_leader")
_BREW_VIEWS = ("同意提交会议讨论", "无不同意见", "原则同意")
_CATEGORIES = ("leadership_team", "department_heads", "subordinate_chiefs", "other_cadres")
_RATIONALES = ("推荐意见集中，等额考察", "综合推荐得票和一贯表现，经集体研究确定", "人岗相适，经集体研究确定",
               "差额考察，择优确定")
_METHODS = ("opinion_forms", "evaluation", "interview", "site_visit")
_STRENGTHS = ("政治立场坚定，熟悉业务，工作实绩突出", "作风扎实，善于统筹协调，推进重点工作成效明显",
              "综合素质好，群众基础扎实，担当意识强")
_WEAKNESSES = ("统筹全局工作的经验有待丰富", "工作方法有时不够灵活", "理论学习的系统性有待加强")
_BREAKTHROUGH_BASES = ("outstanding_a", "outstanding_b", "outstanding_c", "need_a", "need_b", "need_c")
_SUBMISSION_DOCS = ("approval_form", "inspection_report", "personnel_file", "minutes", "discussion_record",
                    "recommendation_results")


class _Redraw(Exception):
    """The drawn case cannot carry the planned violations (e.g. body too small); draw again."""


def _draw_working_day(rng: random.Random, first: date, last: date) -> date:
    """A random working day in [first, last] (the calendar's numbering); none there: draw the case again."""
    numbers = calendar.working_day_range(first, last)
    if not numbers:
        raise _Redraw
    return calendar.nth_working_day(rng.choice(numbers))


# --- the draft a case is built in --------------------------------------------------------------------

@dataclass
class _Item:
    """One agenda item while the meeting is being drafted; views are settled at the end."""

    id: str
    candidate: str
    adopted: bool
    departed: list[str] = field(default_factory=list)
    recused: list[str] = field(default_factory=list)
    circulated: bool = True
    added_at_meeting: bool = False
    vote_method: str | None = "hands"
    bundled: bool = False
    break_pass: bool = False
    split_views: bool = False
    silent: bool = False
    silent_mode: str = "unclear"
    break_last_speaker: bool = False
    presenter: str = "org_lead"  # org_lead | org_head (non-member department head) | other (a plain member)
    explained: bool = False
    consent: int | None = None


@dataclass
class _Meeting:
    id: str
    kind: str
    date: date
    due: list[str]
    attendees: list[str]
    non_voting: list[dict[str, Any]]
    items: list[_Item]
    principal_first: bool = False
    records: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(
        ("minutes", "discussion_record", "signed_by_chair", "signed_by_recorder"), True))
    urgent: bool | str | None = False


@dataclass
class _Draft:
    """A case under construction: the case data (with date objects) and what the mutations need."""

    rng: random.Random
    rules: frozenset[str]
    case: dict[str, Any]
    meetings: list[_Meeting]
    principal: str
    org_lead: str
    discipline: str
    inspected: list[str]
    adopted: list[str]
    filing_offset: dict[str, int]
    setting: "_Setting"
    dates: dict[str, date]
    names: "_Names"
    plan: "_Plan"
    quorum_broken: bool = False
    variants: dict[str, str] = field(default_factory=dict)

    @property
    def meeting(self) -> _Meeting:
        """The decision meeting (a reconsideration, when there is one, follows it)."""
        return self.meetings[0]

    @property
    def decided(self) -> date:
        """Date of the last adopted decision: publicity, notices and submissions come after it."""
        return self.meetings[-1].date

    @property
    def superior(self) -> str:
        return self.setting.superior

    def present(self, item: _Item, meeting: _Meeting | None = None) -> list[str]:
        """Members due who are present for this item (attended, did not leave, not recused)."""
        meeting = meeting or self.meeting
        return [x for x in meeting.attendees if x not in item.departed and x not in item.recused]

    def candidate(self, cid: str) -> dict[str, Any]:
        return next(c for c in self.case["candidates"] if c["id"] == cid)

    def inspection_of(self, candidate: str) -> dict[str, Any]:
        return next(i for i in self.case["inspections"] if i["candidate"] == candidate)

    def notice_of(self, candidate: str) -> dict[str, Any]:
        return next(a for a in self.case["appointments"] if a["candidate"] == candidate)

    def publicity_of(self, candidate: str) -> dict[str, Any] | None:
        return next((p for p in self.case["publicity"] if p["candidate"] == candidate), None)

    def reschedule_filing(self, candidate: str) -> None:
        """Keep the filing its planned number of working days after a moved appointment notice."""
        for f in self.case["filings"]:
            if f["candidate"] == candidate:
                f["date"] = calendar.add_working_days(self.notice_of(candidate)["date"], self.filing_offset[candidate])

    def approve(self, matter: str, reply: date, submitted: date | None = None, reply_kind: str = "approved") -> None:
        """A prior report to the superior department on `matter`, answered on `reply`."""
        submitted = submitted or calendar.add_working_days(reply, -self.rng.randint(1, 4))
        number = len(self.case["prior_reports"]) + 1
        self.case["prior_reports"].append({"id": f"pr{number}-{matter}", "matter": matter, "submitted": submitted,
                                           "reply_date": reply, "reply": reply_kind})


# --- public API ---------------------------------------------------------------------------------------

def generate(n: int, seed: int, violation_rate: float) -> Iterator[dict[str, Any]]:
    """Yield `n` valid, JSON-serialisable cases; about `violation_rate` of them carry injected violations."""
    if n < 0:
        raise ValueError(f"n must be >= 0, not {n}")
    if not 0.0 <= violation_rate <= 1.0:
        raise ValueError(f"violation_rate must be within [0, 1], not {violation_rate}")
    for index in range(n):
        yield generate_case(seed, index, violation_rate)


def generate_case(seed: int, index: int, violation_rate: float, *,
                  inject: Iterable[str] | None = None) -> dict[str, Any]:
    """Case `index` of the corpus of `seed`: independent of the corpus size, same every time.

    `inject` asks for exactly these violations instead of drawing them (a compatible set of RULE_IDS)."""
    rng = random.Random(f"cadre-rules-synth:{seed}:{index}")
    rules: frozenset[str] = frozenset()
    if inject is not None:
        rules = frozenset(inject)
        unknown = rules - set(RULE_IDS)
        if unknown or not compatible(rules):
            raise ValueError(f"cannot inject {sorted(rules)}: " + (f"not injectable {sorted(unknown)}" if unknown
                                                                    else "no case can break these rules together"))
    elif rng.random() < violation_rate:
        k = rng.choices((1, 2, 3), weights=(5, 3, 2))[0]
        rules = frozenset(rng.sample(RULE_IDS, k))
        while not compatible(rules):
            rules = frozenset(rng.sample(RULE_IDS, k))
    for _ in range(_MAX_ATTEMPTS):
        try:
            draft = _build(rng, rules, seed, index)
            for rule_id in RULE_IDS:
                if rule_id in rules and rule_id not in _LATE:
                    draft.variants[rule_id] = MUTATIONS[rule_id](draft)
            _settle_meetings(draft)
            _finalize(draft)
            for rule_id in RULE_IDS:
                if rule_id in rules and rule_id in _LATE:
                    draft.variants[rule_id] = MUTATIONS[rule_id](draft)
        except (_Redraw, calendar.OutsideCalendar):  # the plan cannot be carried or dated: draw again
            continue
        case = draft.case
        case["meta"] = {
            "generator": "cadre_rules.testing.synth",
            "seed": seed,
            "index": index,
            "injected_violations": sorted(rules),
            "injection_variants": {r: draft.variants[r] for r in sorted(rules)},
        }
        return _jsonable(case)
    raise RuntimeError(f"could not draw case {index} of seed {seed} with violations {sorted(rules)}")


def compatible(rules: frozenset[str] | set[str]) -> bool:
    """Whether one case can break all these rules and no other (see _INCOMPATIBLE and _COLLECTIVE_COMPANIONS)."""
    if "GEN-COLLECTIVE" in rules and not rules - {"GEN-COLLECTIVE"} <= _COLLECTIVE_COMPANIONS:
        return False
    if "APT-PUB-SCOPE" in rules and rules & _PUBLICITY_RULES and rules & _CHIEF_ONLY:
        return False  # two adopted candidates (one publicised, one not) for a single chief post
    return not any(a in rules and rules & others for a, others in _INCOMPATIBLE.items())


def write_jsonl(path: str | Path, n: int, seed: int, violation_rate: float) -> int:
    """Write `n` cases to `path`, one JSON object per line (UTF-8, "\\n"); return the number written."""
    written = 0
    with Path(path).open("w", encoding="utf-8", newline="\n") as out:
        for case in generate(n, seed, violation_rate):
            out.write(json.dumps(case, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
            written += 1
    return written


def _jsonable(value: Any) -> Any:
    """The draft's date objects as ISO strings (the rest is JSON already: dicts, lists and plain values)."""
    kind = type(value)
    if kind is dict:
        return {k: v.isoformat() if type(v) is date else _jsonable(v) if type(v) in _NESTED else v
                for k, v in value.items()}
    if kind is list:
        return [v.isoformat() if type(v) is date else _jsonable(v) if type(v) in _NESTED else v for v in value]
    return value.isoformat() if kind is date else value


_NESTED = (dict, list)


# --- building a compliant case ---------------------------------------------------------------------

class _Names:
    """Distinct Chinese names within one case."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.used = rng, set()

    def __call__(self) -> str:
        while True:
            given = "".join(self.rng.choice(_GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
            name = self.rng.choice(_SURNAMES) + given
            if name not in self.used:
                self.used.add(name)
                return name


@dataclass
class _Setting:
    """Where the case happens: organisation, deciding body, target post and how to title posts."""

    kind: str
    organisation: str
    body_name: str
    body_kind: str
    body_size: tuple[int, int]
    post_unit: str
    chief_title: str
    deputy_title: str
    level_chief: str
    superior: str
    abbrev: str
    channel: str
    titles: dict[str | None, tuple[str, ...]]  # posts elsewhere by level (None: posts without a leading level)
    grassroots: tuple[tuple[str, str], ...]  # (title, unit) of grassroots posts
    target_body: str  # who fixes the inspection targets
    unit_leader: str  # head of the unit of the post (a colleague for kinship avoidance)
    county_chief: tuple[str, str]  # (title, unit) of a county chief post this body proposes
    locality: str


def _setting(rng: random.Random, kinds: tuple[str, ...]) -> _Setting:
    kind = rng.choices(kinds, weights=[_KIND_WEIGHTS[k] for k in kinds])[0]
    county, city, bureau = rng.choice(_COUNTIES), rng.choice(_CITIES), rng.choice(_BUREAUS)
    b1, b2, b3 = rng.sample([b for b in _BUREAUS if b != bureau], 3)
    s0, s1, s2 = rng.sample(_SECTIONS, 3)
    d0, d1, d2 = rng.sample(_DIVISIONS, 3)
    towns = rng.sample(_TOWNS, 3)
    grassroots = tuple((f"{t}镇{r}", f"{t}镇") for t in towns[:2] for r in ("党政办科员", "经济发展办干部", "农业服务中心干部"))
    county_chief = (f"{county}县人民政府县长", f"{county}县人民政府")
    if kind == "county":
        return _Setting(
            kind, f"中共{county}县委", f"中共{county}县委常委会", "standing_committee", (7, 15), f"{county}县{bureau}局",
            f"{county}县{bureau}局局长", f"{county}县{bureau}局副局长", "section_chief", f"中共{city}市委组织部",
            county[0] + "委", f"{county}县人民政府网站",
            {"section_chief": (f"{towns[0]}镇党委书记", f"{towns[1]}镇镇长", f"{county}县{b1}局局长"),
             "section_deputy": (f"{towns[0]}镇副镇长", f"{towns[2]}镇党委副书记", f"{county}县{b2}局副局长"),
             None: (f"{county}县{bureau}局{s1}负责人", f"{county}县{bureau}局一级主任科员", f"{county}县{b3}局二级主任科员")},
            grassroots, f"中共{county}县委组织部部务会", f"{county}县{bureau}局党组书记", county_chief, f"{county}县")
    if kind == "city":
        return _Setting(
            kind, f"中共{city}市委", f"中共{city}市委常委会", "standing_committee", (9, 15), f"{city}市{bureau}局",
            f"{city}市{bureau}局局长", f"{city}市{bureau}局副局长", "division_chief", f"中共{_PROVINCE}委组织部",
            city[0] + "委", f"{city}日报、{city}市人民政府网站",
            {"division_chief": (f"{county}县人民政府县长", f"{city}市{b1}局局长", f"{city}市{b2}局局长"),
             "division_deputy": (f"{county}县人民政府副县长", f"{city}市{b1}局副局长", f"{city}市{b3}局副局长"),
             "section_chief": (f"{city}市{bureau}局{s1}科长", f"{county}县{bureau}局局长", f"{city}市{b2}局{s2}科长"),
             None: (f"{city}市{bureau}局一级主任科员", f"{city}市{b3}局二级调研员")},
            grassroots, f"中共{city}市委组织部部务会", f"{city}市{bureau}局党组书记", county_chief, f"{city}市")
    if kind == "city_bureau":
        return _Setting(
            kind, f"中共{city}市{bureau}局党组", f"中共{city}市{bureau}局党组", "party_group", (5, 9),
            f"{city}市{bureau}局{s0}", f"{city}市{bureau}局{s0}科长", f"{city}市{bureau}局{s0}副科长", "section_chief",
            f"中共{city}市委组织部", city[0] + bureau[0] + "党", f"{city}市{bureau}局门户网站",
            {"section_chief": (f"{city}市{bureau}局{s1}科长", f"{city}市{bureau}局{s2}科长"),
             "section_deputy": (f"{city}市{bureau}局{s1}副科长", f"{city}市{bureau}局{s2}副科长"),
             None: (f"{city}市{bureau}局一级主任科员", f"{city}市{bureau}局二级主任科员")},
            grassroots, f"中共{city}市{bureau}局党组会议", f"{city}市{bureau}局党组书记", county_chief, f"{city}市")
    return _Setting(
        kind, f"中共{_PROVINCE}{bureau}厅党组", f"中共{_PROVINCE}{bureau}厅党组", "party_group", (5, 11),
        f"{_PROVINCE}{bureau}厅{d0}", f"{_PROVINCE}{bureau}厅{d0}处长", f"{_PROVINCE}{bureau}厅{d0}副处长",
        "division_chief", f"中共{_PROVINCE}委组织部", _PROVINCE[:2] + bureau[0] + "党", f"{_PROVINCE}{bureau}厅门户网站",
        {"division_chief": (f"{_PROVINCE}{bureau}厅{d1}处长", f"{city}市{bureau}局局长"),
         "division_deputy": (f"{_PROVINCE}{bureau}厅{d1}副处长", f"{city}市{bureau}局副局长", f"{_PROVINCE}{bureau}厅{d2}副处长"),
         "section_chief": (f"{city}市{bureau}局{s1}科长", f"{county}县{bureau}局局长"),
         None: (f"{_PROVINCE}{bureau}厅{d2}一级主任科员", f"{_PROVINCE}{bureau}厅{d1}四级调研员")},
        grassroots, f"中共{_PROVINCE}{bureau}厅党组会议", f"{_PROVINCE}{bureau}厅党组书记", county_chief, _PROVINCE)


@dataclass
class _Plan:
    """The case's shape, fixed before anything is drawn, so that the injected rules can be broken."""

    move: str
    shape: str  # single | two_seats | differential (two candidates, one adopted)
    chief: bool
    kinds: tuple[str, ...]
    two_rounds: bool  # talks, then a meeting recommendation
    reconsider: bool  # a 复议 meeting follows the decision


def _plan(rng: random.Random, rules: frozenset[str]) -> _Plan:
    if rules & _PROMOTION_ONLY:
        move = "promotion"
    elif rules & _PROMOTION_OR_FURTHER_USE:
        move = rng.choices(("promotion", "further_use"), weights=(85, 15))[0]
    else:
        move = rng.choices(("promotion", "further_use", "lateral_transfer"), weights=(75, 14, 11))[0]
    kinds = tuple(_KIND_WEIGHTS)
    if rules & _DIVISION_ONLY:
        kinds = ("city", "province_dept")
    if "DEC-FULLCOMMITTEE" in rules:
        kinds = ("city",)
    # A target with the fewest votes needs another one; so does an unrecommended candidate whose case is
    # judged on its recommendations too.
    need_two = "REC-NOT-BY-VOTES" in rules or ("REC-REQUIRED" in rules and len(rules & _NEEDS_RECOMMENDATION) > 1)
    shape = rng.choices(("single", "two_seats", "differential"), weights=(70, 15, 15))[0]
    if "APT-PUB-SCOPE" in rules and rules & _PUBLICITY_RULES:  # one adopted candidate unpublicised, one not
        shape = "two_seats"
    elif need_two and shape == "single":
        shape = rng.choice(("two_seats", "differential"))
    if shape == "differential" and move == "lateral_transfer":
        shape = "two_seats" if need_two else "single"
    chief = shape != "two_seats" and rng.random() < 0.7
    if rules & _CHIEF_ONLY:
        chief = True
        if shape == "two_seats":
            shape = "differential" if need_two else "single"
    if "QUAL-CHIEF2UPDEP-3Y" in rules:
        chief = False
    two_rounds = "REC-REF-DIFFERENTIAL" in rules or rng.random() < 0.2
    reconsider = "DEC-RECONSIDER" in rules or (rng.random() < 0.02 and not rules & _MEETING_KIND_RULES)
    return _Plan(move, shape, chief, kinds, two_rounds, reconsider)


def _schedule(rng: random.Random, rules: frozenset[str], plan: _Plan) -> dict[str, date]:
    """Every date up to the decision, as one chain of working-day steps from the motion.

    Being one chain, the plan can be anchored at either end: at the motion (drawn in the window the
    injected rules allow) or at the meeting (inside the open 2019 window, for GEN-VERSION).
    """
    steps = [("reported", rng.choice((0, 1, 1, 2))), ("consult1", rng.randint(1, 3))]
    if rng.random() < 0.6:
        steps.append(("consult2", rng.randint(1, 3)))
    steps += [("work_plan", rng.randint(1, 4)), ("round1", rng.randint(2, 10))]
    if plan.two_rounds:
        steps.append(("round2", rng.randint(3, 8)))
    # A recommendation more than a year old (REC-VALIDITY-1Y): some 270+ working days pass before the targets.
    steps += [("target", rng.randint(270, 310) if "REC-VALIDITY-1Y" in rules else rng.randint(1, 5)),
              ("plan", rng.randint(0, 2)), ("unit_consultation", rng.randint(1, 2)), ("notice", rng.randint(0, 1)),
              ("start", rng.randint(0, 2)), ("done", rng.randint(6, 15)), ("review", rng.randint(1, 3)),
              ("brew1", rng.randint(0, 2)), ("brew2", rng.randint(0, 2)), ("meeting", rng.randint(1, 5))]
    in_window = "GEN-VERSION" in rules
    if in_window:
        motion = calendar.add_working_days(_draw_working_day(rng, *VERSION_WINDOW), -sum(k for _, k in steps))
    else:
        earliest = max([FIRST_MOTION] + [_IN_FORCE_FROM[r] for r in rules if r in _IN_FORCE_FROM])
        latest = min([LAST_MOTION] + [_LATEST_MOTION[r] for r in rules if r in _LATEST_MOTION])
        motion = calendar.working_day_on_or_after(earliest + timedelta(days=rng.randrange((latest - earliest).days + 1)))
    if plan.reconsider:
        steps.append(("reconsideration", rng.randint(2, 8)))
    dates = {"motion": motion, "analysis": calendar.add_working_days(motion, -rng.randint(1, 10))}
    day = motion
    for name, k in steps:
        day = calendar.add_working_days(day, k)
        if name in ("meeting", "reconsideration") and not in_window:
            while VERSION_WINDOW[0] <= day <= VERSION_WINDOW[1]:  # keep clean meetings out of GEN-VERSION's window
                day = calendar.add_working_days(day, 1)
        dates[name] = day
    return dates


def _build(rng: random.Random, rules: frozenset[str], seed: int, index: int) -> _Draft:
    """A fully compliant case (the plan's move and date window respected), before any mutation."""
    names = _Names(rng)
    plan = _plan(rng, rules)
    setting = _setting(rng, plan.kinds)
    move, shape = plan.move, plan.shape
    level_chief = setting.level_chief
    target_level = level_chief if plan.chief else _LEVELS[_LEVELS.index(level_chief) - 1]
    n_candidates = 1 if shape == "single" else 2
    posts_to_fill = 2 if shape == "two_seats" else 1
    dates = _schedule(rng, rules, plan)
    meeting_date = dates["meeting"]
    decided = dates.get("reconsideration", meeting_date)

    # The body and its members (m01 is the principal leader, as in the examples).
    size = rng.randint(*setting.body_size)
    member_ids = [f"m{i:02d}" for i in range(1, size + 1)]
    org_lead, discipline = rng.sample(member_ids[1:min(size, 6)], 2)
    principal = member_ids[0]
    members = []
    for mid in member_ids:
        entry: dict[str, Any] = {"id": mid, "name": names()}
        if mid == principal:
            entry["roles"] = ["principal_leader"]
        elif mid == org_lead:
            entry["roles"] = ["organisation_lead"]
        elif mid == discipline:
            entry["roles"] = ["discipline_official"]
        members.append(entry)

    # Candidates (those inspected), and for a talk-then-meeting recommendation further reference names,
    # so that the meeting is offered more names than posts.
    cand_ids = [f"c{i}" for i in range(1, n_candidates + 1)]
    current_level = target_level if move != "promotion" else (
        _LEVELS[_LEVELS.index(target_level) - 1] if _LEVELS.index(target_level) > 0 else None)
    candidates = [_candidate(rng, names, cid, setting, target_level, current_level, dates, decided) for cid in cand_ids]
    if rng.random() < 0.05 and not rules & _PARTY_MEMBER_NEEDED:
        candidates[0]["party_member"] = False  # a non-CPC cadre: the united front department is consulted
        del candidates[0]["party_join_date"]
    ref_ids: list[str] = []
    if plan.two_rounds and n_candidates <= posts_to_fill:
        ref_ids = [f"c{i}" for i in range(n_candidates + 1, posts_to_fill + 2 + rng.randint(0, 1))]
        for rid in ref_ids:
            birth = date(dates["motion"].year - rng.randint(32, 50), rng.randint(1, 12), rng.randint(1, 28))
            candidates.append({"id": rid, "name": names(), "gender": rng.choice(("男", "男", "女")), "birth_date": birth,
                               "work_start_date": date(birth.year + rng.randint(21, 25), 7, 1),
                               "current_post": rng.choice(setting.titles[current_level])})
    adopted = list(cand_ids) if shape != "differential" else [cand_ids[0]]

    # Post quota: enough room for the adopted candidates (over quota only with an approved report).
    prior_reports: list[dict[str, Any]] = []
    if plan.chief:
        quota, incumbents = 1, 0
    else:
        quota = rng.randint(len(adopted) + 1, 5)
        incumbents = rng.randint(0, quota - len(adopted))
    if rng.random() < 0.04:
        incumbents = quota - len(adopted) + 1
        submitted = calendar.add_working_days(dates["round1"], 1)
        prior_reports.append({"id": "pr-quota", "matter": "over_quota", "submitted": submitted,
                              "reply_date": calendar.add_working_days(submitted, rng.randint(1, 4)), "reply": "approved"})
    post: dict[str, Any] = {
        "id": "post-1", "title": setting.chief_title if plan.chief else setting.deputy_title, "unit": setting.post_unit,
        "level": target_level, "quota": quota, "incumbents": incumbents, "posts_to_fill": posts_to_fill}
    if move == "promotion" and rng.random() < 0.25:
        post["probation"] = True  # a one-year probation, assessed at its end
    audit = plan.chief and rng.random() < 0.15 and "INS-AUDIT-FIRST" not in rules
    if audit:
        post["audit_required"] = True

    needs_rec = bool(rules & _NEEDS_RECOMMENDATION)
    recommendations = _recommendations(rng, dates, cand_ids + ref_ids, move, needs_rec)
    inspectors = [names() for _ in range(rng.randint(2, 4))]
    concentrated = n_candidates <= posts_to_fill or rng.random() < 0.5
    inspections = [_inspection(rng, f"i{k + 1}", cid, inspectors, dates, setting, concentrated, audit)
                   for k, cid in enumerate(cand_ids)]

    meetings = [_draft_meeting(rng, rules, "mt1", "decision", member_ids, principal, org_lead, discipline, cand_ids,
                               adopted, meeting_date)]

    # Publicity (promotion and further use), the appointment notice and the filing.
    publicity, appointments, filings = [], [], []
    filing_required = "RPT-FILING" in rules or rng.random() < 0.9
    filing_offset: dict[str, int] = {}
    year_no = rng.randint(3, 60)
    for k, cid in enumerate(adopted):
        if move in ("promotion", "further_use"):
            start = calendar.add_working_days(decided, rng.randint(1, 3))
            end = calendar.add_working_days(start, rng.randint(5, 7) - 1)
            if rng.random() < 0.3:  # notices often run to the weekend ("X月X日至Y月Y日")
                while not calendar.is_working_day(end + timedelta(days=1)) and (end - start).days < 12:
                    end += timedelta(days=1)
            publicity.append({"id": f"p{k + 1}", "candidate": cid, "start": start, "end": end, "channel": setting.channel})
            notice = calendar.add_working_days(end, rng.randint(1, 5))
        else:
            notice = calendar.add_working_days(decided, rng.randint(1, 6))
        appointments.append({"id": f"n{k + 1}", "candidate": cid, "date": notice,
                             "number": f"{setting.abbrev}〔{notice.year}〕{year_no + k}号"})
        filing_offset[cid] = rng.randint(1, 7)
        if filing_required or rng.random() < 0.5:
            filings.append({"id": f"f{k + 1}", "candidate": cid, "date": calendar.add_working_days(notice, filing_offset[cid]),
                            "to": setting.superior})
    post["filing_required"] = filing_required

    relations = _clean_relations(rng, meetings[0], cand_ids, principal, discipline, size)
    if plan.reconsider:
        meetings.append(_draft_meeting(rng, rules, "mt2", "reconsideration", member_ids, principal, org_lead,
                                       discipline, adopted, adopted, dates["reconsideration"], relations))
    last_act = max([a["date"] for a in appointments] + [f["date"] for f in filings])
    leader_departure = None
    if rng.random() < 0.08:
        if rng.random() < 0.5:  # settled after the case closed: no freeze during the case
            settled = calendar.add_working_days(last_act, rng.randint(3, 40))
            leader_departure = {"leader": principal, "decided": settled}
        else:  # settled before the meeting, but the superior approved the appointments in advance
            settled = calendar.add_working_days(meeting_date, -rng.randint(6, 12))
            submitted = calendar.add_working_days(settled, 1)
            leader_departure = {"leader": principal, "decided": settled, "announced": calendar.add_working_days(settled, 2),
                                "left": calendar.add_working_days(last_act, rng.randint(5, 30))}
            prior_reports.append({"id": "pr-leave", "matter": "leader_departure", "submitted": submitted,
                                  "reply_date": calendar.add_working_days(submitted, rng.randint(1, 3)), "reply": "approved"})

    # Motion, consultations before the meeting and the attestations the qualification rules ask for.
    motion: dict[str, Any] = {"date": dates["motion"], "proposer": rng.choice(_PROPOSERS)}
    if dates["motion"] >= VERSION_2019 or rng.random() < 0.6:
        motion["analysis_date"] = dates["analysis"]
    motion["reported_to_principal"] = dates["reported"]
    motion["consultation_dates"] = [dates[k] for k in ("consult1", "consult2") if k in dates]
    motion["work_plan_date"] = dates["work_plan"]
    motion["intended_candidates"] = list(cand_ids)
    consultations = [{"with": "leaders", "date": dates["brew1"], "view": rng.choice(_BREW_VIEWS)},
                     {"with": "superior_leader", "date": dates["brew2"], "view": "无不同意见"}]
    if any(not c.get("party_member", True) for c in candidates):
        consultations.append({"with": "united_front", "date": dates["brew1"], "view": "同意，无不同意见"})
    attestations = []
    for c in cand_ids:
        attestations.append({"kind": "health", "candidate": c, "date": _draw_working_day(rng, dates["start"], dates["done"]),
                             "by": "体检结论"})
        attestations.append({"kind": "basic_conditions", "candidate": c, "date": dates["done"], "by": "考察组（考察材料）"})

    move_zh = {"promotion": "提拔", "further_use": "进一步使用", "lateral_transfer": "交流任职"}[move]
    case: dict[str, Any] = {
        "id": f"synth-{seed}-{index:06d}",
        "title": f"{post['title']}{move_zh}（合成案例）",
        "organisation": setting.organisation,
        "jurisdiction": "national",
        "status": "closed",
        "move": move,
        "body": {"id": "body-1", "name": setting.body_name, "kind": setting.body_kind, "members": members},
        "post": post,
        "candidates": candidates,
        "relations": relations,
        "motion": motion,
        "recommendations": recommendations,
        "inspections": inspections,
        "meetings": [],
        "publicity": publicity,
        "appointments": appointments,
        "filings": filings,
        "prior_reports": prior_reports,
        "attestations": attestations,
        "consultations": consultations,
    }
    if leader_departure:
        case["leader_departure"] = leader_departure
    draft = _Draft(rng, rules, case, meetings, principal, org_lead, discipline, cand_ids, adopted, filing_offset,
                   setting, dates, names, plan)
    _variety(draft)
    return draft


def _candidate(rng: random.Random, names: _Names, cid: str, setting: _Setting, target_level: str,
               current_level: str | None, dates: dict[str, date], decided: date) -> dict[str, Any]:
    """A candidate whose career plausibly leads to the post, qualified on every count: five years of work
    and more, two or more years at the grassroots, two posts at the current level, three years or more
    in the current post, appraisals of 称职 or better and the training hours of the last five years."""
    motion = dates["motion"]
    birth = date(motion.year - rng.randint(33, 52), rng.randint(1, 12), rng.randint(1, 28))
    work_start = date(birth.year + rng.randint(21, 25), rng.choice((7, 8)), 1)
    total = full_months(work_start.replace(day=1), motion.replace(day=1))
    current_since = add_months(motion.replace(day=1), -rng.randint(37, max(37, min(100, total - 45))))
    rest = full_months(work_start.replace(day=1), current_since.replace(day=1))
    grassroots = rng.randint(27, max(27, min(72, rest - 14)))
    titles = setting.titles
    options = titles[current_level]
    if current_level != target_level and target_level == setting.level_chief:  # deputy to chief, maybe in the unit
        options = options + (setting.deputy_title,)
    current_title = rng.choice(options)
    g_title, g_unit = rng.choice(setting.grassroots)
    history: list[dict[str, Any]] = [{"title": g_title, "unit": g_unit, "level": None, "grassroots": True,
                                      "start": work_start, "end": add_months(work_start.replace(day=1), grassroots) - timedelta(days=1)}]
    cursor = add_months(work_start.replace(day=1), grassroots)
    if current_level is not None:  # an earlier post at the current level, entered by promotion
        prev_start = add_months(current_since.replace(day=1), -rng.randint(12, max(12, min(60, rest - grassroots))))
        if prev_start > cursor:
            history.append({"title": rng.choice(titles[None]), "level": None, "start": cursor,
                            "end": prev_start - timedelta(days=1)})
        history.append({"title": rng.choice([t for t in options if t != current_title]), "level": current_level,
                        "start": prev_start, "end": current_since - timedelta(days=1), "promotion": True,
                        "probation_end": anniversary(prev_start, 1)})
    else:
        history.append({"title": rng.choice([t for t in titles[None] if t != current_title]), "level": None,
                        "start": cursor, "end": current_since - timedelta(days=1)})
    history.append({"title": current_title, "level": current_level, "start": current_since})
    degree = rng.choice(_DEGREES)
    education = [{"degree": degree, "institution": rng.choice(_SCHOOLS), "full_time": True,
                  "completed": date(work_start.year, 6, 30)}]
    if degree != "硕士研究生" and rng.random() < 0.3:
        education.append({"degree": "在职研究生", "institution": rng.choice(_SCHOOLS), "full_time": False,
                          "completed": date(min(motion.year - 1, work_start.year + rng.randint(4, 10)), 6, 30)})
    party = date(birth.year + rng.randint(19, 27), rng.randint(1, 12), 1)
    target_year = dates["target"].year
    return {
        "id": cid, "name": names(), "gender": rng.choice(("男", "男", "女")), "birth_date": birth,
        "work_start_date": work_start, "party_join_date": min(party, current_since),
        "education": education, "current_post": current_title, "current_level": current_level,
        "current_since": current_since, "work_history": history,
        "appraisals": [{"year": y, "grade": rng.choice(("competent", "competent", "excellent"))}
                       for y in range(target_year - 3, target_year)],
        # Six years, so that any five-year window around the decision (or the notice) reaches 550 hours.
        "training": [{"year": y, "hours": rng.randint(110, 180)} for y in range(decided.year - 4, decided.year + 2)],
    }


def _recommendations(rng: random.Random, dates: dict[str, date], ranked: list[str], move: str,
                     needed: bool) -> list[dict[str, Any]]:
    if move == "lateral_transfer" and not needed and rng.random() < 0.5:
        return []  # a same-level transfer does not need a democratic recommendation
    days = [dates["round1"]] + ([dates["round2"]] if "round2" in dates else [])
    forms = ["talk", "meeting"] if len(days) == 2 else [rng.choice(("meeting", "meeting", "talk"))]
    rounds = []
    for k, (day, form) in enumerate(zip(days, forms)):
        expected = rng.randint(25, 90) if form == "meeting" else rng.randint(10, 30)
        actual = expected - rng.randint(0, expected // 10)
        results, share = [], rng.uniform(0.55, 0.9)
        for cid in ranked:
            results.append({"candidate": cid, "votes": int(actual * share)})
            share *= rng.uniform(0.3, 0.8)
        rnd: dict[str, Any] = {"id": f"r{k + 1}", "form": form, "date": day, "participants_expected": expected,
                               "participants_actual": actual}
        if rng.random() < 0.4:
            required = list(_CATEGORIES[:rng.randint(2, len(_CATEGORIES))])
            rnd["required_categories"] = required
            rnd["participant_categories"] = list(required)
        if k > 0:  # the meeting after the talks is offered reference names, more than the posts (差额)
            rnd["reference_list"] = list(ranked)
        rnd["results"] = results
        rounds.append(rnd)
    return rounds


def _inspection(rng: random.Random, iid: str, cid: str, inspectors: list[str], dates: dict[str, date],
                setting: _Setting, concentrated: bool, audit: bool) -> dict[str, Any]:
    """A complete inspection: targets fixed collectively, plan, consultation with the unit, notice, the
    required methods, feedback, the report, the department's review and the four musts (only the
    discipline opinion before 2016-08)."""
    start, done = dates["start"], dates["done"]
    meeting = dates.get("reconsideration", dates["meeting"])  # the four musts bind every deciding meeting
    days = sorted(_draw_working_day(rng, start, done) for _ in range(6))
    team = [{"name": inspectors[0], "role": "leader"}] + [{"name": n, "role": "member"} for n in inspectors[1:]]

    def check(day: date) -> dict[str, Any]:
        if rng.random() < 0.1:
            return {"date": day, "outcome": "resolved", "note": rng.choice(_RESOLVED_NOTES)}
        return {"date": day, "outcome": "clear"}

    ins: dict[str, Any] = {
        "id": iid, "candidate": cid, "team": team,
        "target_decision": {"body": setting.target_body, "date": dates["target"], "collective": True,
                            "views_concentrated": concentrated, "rationale": rng.choice(_RATIONALES)},
        "plan_date": dates["plan"], "unit_consultation_date": dates["unit_consultation"],
        "notice_date": dates["notice"],
        "methods": ["individual_talk"] + [m for m in _METHODS if rng.random() < 0.7] + ["file_review"],
        "feedback_date": days[5], "start": start, "completed": done, "department_review_date": dates["review"],
        "report": {"date": done, "strengths": rng.choice(_STRENGTHS), "weaknesses": rng.choice(_WEAKNESSES),
                   "recommendation_results": "推荐得票位次靠前", "evaluation_results": "民主测评称职以上票占95%以上"},
    }
    four_musts = meeting >= FOUR_MUSTS_FROM or rng.random() < 0.3
    if four_musts:
        ins["file_review"] = check(days[0])
        ins["personal_matters"] = check(days[1])
    ins["discipline_opinion"] = check(days[2])
    if four_musts:
        ins["petition_check"] = {"date": days[3], "outcome": "clear"}
    petitions = []
    roll = rng.random()
    if roll < 0.12:  # a specific complaint, investigated and closed before the meeting
        received = calendar.add_working_days(done, -rng.randint(4, 9))
        petitions.append({"id": "q1", "received": received, "specific": True,
                          "closed": calendar.add_working_days(received, rng.randint(1, 3)), "conclusion": "经核查，反映问题不属实"})
    elif roll < 0.18:  # an anonymous complaint without checkable leads
        petitions.append({"id": "q1", "received": calendar.add_working_days(done, -rng.randint(1, 9)), "specific": False})
    elif roll < 0.21 and meeting < FOUR_MUSTS_FROM:  # before the four musts, an open complaint was not a bar
        petitions.append({"id": "q1", "received": calendar.add_working_days(done, -rng.randint(1, 9)), "specific": True})
    ins["petitions"] = petitions
    if four_musts:
        ins["integrity_conclusion"] = {"date": days[4], "signed_by_secretary": True, "signed_by_discipline_head": True}
    if audit:
        ins["economic_audit"] = check(_draw_working_day(rng, calendar.add_working_days(start, -20), days[4]))
    return ins


def _draft_meeting(rng: random.Random, rules: frozenset[str], mid: str, kind: str, member_ids: list[str],
                   principal: str, org_lead: str, discipline: str, cand_ids: list[str], adopted: list[str], day: date,
                   relations: list[dict[str, Any]] | None = None) -> _Meeting:
    """Attendance with a lawful quorum; items in candidate order; the views are settled later.

    A reconsideration (`relations` given) recuses every member related to the candidate within the scope."""
    size = len(member_ids)
    min_present = -(-2 * size // 3)
    absent_max = size - min_present
    absent_n = min(absent_max, rng.choices((0, 1, 2, 3, 4, 5), weights=(30, 35, 20, 8, 5, 2))[0])
    pool = [m for m in member_ids if m not in (principal, org_lead)]
    absent = set(rng.sample(pool, absent_n))
    if "DEC-LAST-SPEAKER" not in rules and absent_n < absent_max and rng.random() < 0.03:
        absent.add(principal)  # the secretary is away; the rule on speaking last does not apply
    attendees = [m for m in member_ids if m not in absent]
    non_voting: list[dict[str, Any]] = []
    if rng.random() < 0.8:
        non_voting.append({"name": "组织部干部科负责人", "role": "organisation_department"})
    if discipline in absent or rng.random() < 0.1:
        non_voting.append({"name": "派驻纪检监察组组长", "role": "discipline_official"})
    if rng.random() < 0.3:
        non_voting.append({"name": "办公室记录人员", "role": "recorder"})
    items = []
    for k, cid in enumerate(cand_ids):
        method = rng.choices(("hands", "secret", "oral", None), weights=(55, 20, 10, 15))[0]
        item = _Item(f"a{k + 1}", cid, cid in adopted, vote_method=method)
        if kind == "reconsideration":
            item.consent = rng.randint(size // 2 + 1, len(attendees))
            related = {r["person"] for r in relations or () if r["relative"] == cid and r["kind"] != "other"}
            item.recused = [m for m in attendees if m in related]
            if (len(attendees) - len(item.recused)) * 3 < 2 * size:
                raise _Redraw
        items.append(item)
    meeting = _Meeting(mid, kind, day, list(member_ids), attendees, non_voting, items)
    meeting.principal_first = day < LAST_SPEAKER_FROM and rng.random() < 0.2
    # A member leaves before the second item, when the quorum has room for it.
    if len(items) == 2 and rng.random() < 0.1:
        leavers = [m for m in attendees if m not in (principal, org_lead, discipline) and m not in items[1].recused]
        if (len(attendees) - len(items[1].recused) - 1) * 3 >= 2 * size and leavers:
            items[1].departed.append(rng.choice(leavers))
    return meeting


def _clean_relations(rng: random.Random, meeting: _Meeting, cand_ids: list[str], principal: str, discipline: str,
                     size: int) -> list[dict[str, Any]]:
    """Declared family ties that do not breach recusal: the relative recuses, or the tie is out of scope.
    The discipline official never recuses here: that would leave the item unobserved (a finding)."""
    relations: list[dict[str, Any]] = []
    roll = rng.random()
    if roll < 0.08:
        item = rng.choice(meeting.items)
        for_item = [x for x in meeting.attendees if x not in item.departed and x not in item.recused]
        recusable = [x for x in for_item if x not in (principal, discipline)]
        if recusable and (len(for_item) - 1) * 3 >= 2 * size:
            member = rng.choice(recusable)
            item.recused.append(member)
            relations.append({"person": member, "relative": item.candidate, "kind": rng.choice(_KINSHIPS_IN_SCOPE)})
    elif roll < 0.11:
        member = rng.choice([m for m in meeting.due if m != principal])
        relations.append({"person": member, "relative": rng.choice(cand_ids), "kind": "other"})
    return relations


def _variety(d: _Draft) -> None:
    """Compliant variations a real corpus has: approved exceptions, old sanctions, consultations with a
    co-managing side, signed nominations, resolved early checks, competitive selection, resolved publicity
    objections, relatives outside the avoidance lines, posts managed by the superior, county chiefs
    decided between plenums, home-place avoidance respected. The rules injected here switch off the
    variations their mutations rebuild."""
    rng, case, rules, dates = d.rng, d.case, d.rules, d.dates
    promotion = case["move"] == "promotion"
    meeting_date = d.meeting.date
    if promotion and rng.random() < 0.04 and not rules & _BREAKTHROUGH_RULES:
        _approved_breakthrough(d, rng.choice(("years_in_level", "work_years", "grassroots")))
    if case["move"] != "lateral_transfer" and rng.random() < 0.03 and not rules & _SANCTION_RULES:
        cand = d.candidate(d.adopted[0])
        cand["sanctions"] = [{"system": "administrative", "type": rng.choice(("warning", "demerit")),
                              "decision_date": add_months(meeting_date.replace(day=1), -rng.randint(30, 60)) + timedelta(days=9)}]
        d.approve("sanction_reuse", _draw_working_day(rng, dates["target"], calendar.add_working_days(meeting_date, -1)))
    if rng.random() < 0.04 and "DEC-BREWING" not in rules:
        sent = calendar.add_working_days(meeting_date, -rng.randint(25, 40))
        dual: dict[str, Any] = {"co_side": "上级主管部门党组", "consult_sent": sent}
        if rng.random() < 0.5:
            dual["reply_date"] = calendar.add_working_days(sent, rng.randint(3, 10))
        case["post"]["dual_management"] = dual
    if rng.random() < 0.08 and "REC-INDIV-SIGNED" not in rules:
        case["nominations"] = [{"nominator": d.names(), "candidate": d.inspected[0], "signed": True}]
    if rng.random() < 0.1 and "MOT-PRECHECK" not in rules:
        day = calendar.add_working_days(dates["motion"], rng.randint(0, 2))
        case["motion"]["prechecks"] = [
            {"kind": "personal_matters", "date": day, "blocking": False} if rng.random() < 0.5 else
            {"kind": "file", "date": day, "blocking": True, "resolved": calendar.add_working_days(day, rng.randint(1, 5))}]
    if rng.random() < 0.05 and "MOT-COMPETITIVE" not in rules:
        case["motion"]["method"] = rng.choice(("competition", "open_selection"))
        case["motion"]["method_reason"] = "本单位符合条件人选较多，经研究采取竞争上岗方式"
    if case["publicity"] and rng.random() < 0.08 and "APT-PUB-OUTCOME" not in rules:
        pub = rng.choice(case["publicity"])
        received = _draw_working_day(rng, pub["start"], pub["end"])
        pub["objections"] = [{"received": received, "affects_appointment": False,
                              "resolved": _draw_working_day(rng, received, pub["end"])}]
    if rng.random() < 0.04 and not rules & _KINSHIP_RULES:
        cand = rng.choice(d.inspected)
        case["colleagues"] = [{"id": "x1", "name": d.names(), "post": f"{d.setting.organisation}下属单位干部"}]
        case["relations"].append({"person": "x1", "relative": cand, "kind": rng.choice(_KINSHIPS_IN_SCOPE)})
    if rng.random() < 0.03 and not rules & _KINSHIP_RULES:
        case["relatives_business"] = [{"relative": "配偶之兄", "business": "某商贸有限公司", "regulated_by_post": False}]
    if rng.random() < 0.08 and not rules & _AUTHORITY_RULES:
        case["post"]["managed_by"] = "superior-committee"
    if d.plan.chief and rng.random() < 0.12 and "AVD-GEOGRAPHIC" not in rules:
        case["post"]["avoidance_level"] = "county" if d.setting.kind == "county" else "prefecture"
        case["post"]["locality"] = d.setting.locality
        for cid in d.inspected:
            d.candidate(cid)["growth_place"] = rng.choice([p for p in _COUNTIES if p + "县" != d.setting.locality]) + "县"
    if (d.plan.shape == "differential" and d.plan.two_rounds and case["recommendations"] and rng.random() < 0.3
            and not rules & {"REC-FORM-ORDER", "INS-TARGET-COLLECTIVE", "REC-REQUIRED"}):
        case["change_of_term"] = True  # 换届: talks first, then the meeting; differential inspection
    if (d.setting.kind == "city" and d.plan.chief and case["move"] == "promotion" and rng.random() < 0.05
            and "DEC-FULLCOMMITTEE" not in rules and not rules & _MEETING_KIND_RULES):
        case["post"]["title"], case["post"]["unit"] = d.setting.county_chief
        case["post"]["city_county_chief"] = True
        for meeting in d.meetings:
            meeting.urgent = True  # decided by the standing committee between plenums, members consulted


def _approved_breakthrough(d: _Draft, item: str, basis: str | None = None) -> None:
    """A 破格 with a listed ground, approved by the superior before the meeting (before the inspection
    started, so that any kind of exception is covered), explained at the meeting and in the publicity."""
    rng = d.rng
    d.case["breakthrough"] = {"basis": basis or rng.choice(_BREAKTHROUGH_BASES), "items": [item]}
    d.approve("breakthrough", _draw_working_day(d.rng, d.dates["target"], calendar.add_working_days(d.dates["start"], -1)))
    for meeting in d.meetings:
        for it in meeting.items:
            it.explained = True
    for pub in d.case["publicity"]:
        pub["breakthrough_statement"] = True


def _finalize(d: _Draft) -> None:
    """Records that follow the final dates of the notices: the appointment talk, the probation, the recorded
    tenure start and, for a post managed by the superior, the submission and its approval."""
    rng, case = d.rng, d.case
    talker = next(m["name"] for m in case["body"]["members"] if m["id"] == d.org_lead)
    for a in case["appointments"]:
        a["talk"] = {"date": calendar.add_working_days(a["date"], rng.choice((0, 0, 1, 2, 3))), "by": talker}
        if case["post"].get("probation"):
            end = anniversary(a["date"], 1)
            a["probation"] = {"start": a["date"], "planned_end": end,
                              "assessment_date": end + timedelta(days=rng.randint(3, 30)), "result": "confirmed"}
        if rng.random() < 0.3:
            a["tenure_start"] = d.decided
    if case["post"].get("managed_by"):
        first = min(a["date"] for a in case["appointments"])
        sent = _draw_working_day(rng, d.decided, first)
        case["submission"] = {"date": sent, "docs": list(_SUBMISSION_DOCS), "reply_date": _draw_working_day(rng, sent, first),
                              "result": "approved"}


# --- settling the meetings -----------------------------------------------------------------------------

def _settle_meetings(d: _Draft) -> None:
    """Views, speaking order and vote of every item, keeping every rule not injected satisfied."""
    d.case["meetings"] = [_settle(d, meeting) for meeting in d.meetings]


def _settle(d: _Draft, meeting: _Meeting) -> dict[str, Any]:
    rng = d.rng
    size = len(meeting.due)
    majority = size // 2 + 1
    agenda = []
    for item in meeting.items:
        present = d.present(item, meeting)
        if not d.quorum_broken and len(present) * 3 < 2 * size:
            raise _Redraw
        silent: str | None = None
        if item.silent:
            choices = [x for x in present if x not in (d.principal, d.org_lead)] or \
                      [x for x in present if x != d.principal]
            silent = rng.choice(choices)
        voters = [x for x in present if x != silent]  # members whose view can be explicit
        leads = [x for x in (d.principal, d.org_lead) if x in voters]
        backers = leads + rng.sample([x for x in voters if x not in leads], len(voters) - len(leads))
        views: dict[str, str] = {}
        short = size // 2 - (1 if size // 2 > 2 and rng.random() < 0.3 else 0)  # yes votes for a failed majority
        ballot: int | None = None  # a recorded ballot that differs from the stated views
        if item.split_views or (item.break_pass and len(voters) >= 2 * short):
            # Stated views split at least evenly (DEC-DEFER), or a ballot short of the majority while the
            # stated views stay clearly for (DEC-PASS): either way the ballot is what counts.
            agree = len(voters) // 2 if item.split_views else None
            if agree is not None:
                for x in voters:
                    views[x] = "agree" if x in backers[:agree] else rng.choice(("disagree", "disagree", "defer"))
            if not item.break_pass and majority > len(present):
                raise _Redraw
            ballot = short if item.break_pass else rng.randint(majority, len(present))
            if item.vote_method is None:
                item.vote_method = "secret"
        elif item.break_pass:
            for x in voters:  # fewer than twice `short` state a view: the dissent stays below the support
                views[x] = "agree" if x in backers[:short] else rng.choice(("disagree", "disagree", "defer"))
        if not views:
            if item.adopted:  # the principal and the presenter back the candidate they brought to the meeting
                for x in voters:
                    views[x] = "agree" if x in leads else rng.choices(("agree", "disagree", "defer"), weights=(85, 8, 7))[0]
                dissent = [x for x in voters if views[x] != "agree"]
                rng.shuffle(dissent)
                while sum(v == "agree" for v in views.values()) < majority:
                    if not dissent:
                        raise _Redraw
                    views[dissent.pop()] = "agree"
            else:  # the other candidate of a differential selection is not adopted
                for x in voters:
                    views[x] = rng.choices(("agree", "disagree", "defer"), weights=(25, 60, 15))[0]
                yes_side = [x for x in voters if views[x] == "agree"]
                rng.shuffle(yes_side)
                while len(yes_side) * 2 > size:
                    views[yes_side.pop()] = "disagree"
        if silent is not None and item.silent_mode == "unclear":
            views[silent] = "unclear"

        speakers = [x for x in present if x in views]
        order = [x for x in speakers if x not in (d.principal, d.org_lead)]
        rng.shuffle(order)
        if d.org_lead in speakers:
            order.insert(0, d.org_lead)
        if d.principal in speakers:
            if item.break_last_speaker:
                if not order:
                    raise _Redraw
                order.insert(rng.randrange(len(order)), d.principal)
            elif meeting.principal_first:
                order.insert(0, d.principal)
            else:
                order.append(d.principal)
        elif item.break_last_speaker:
            raise _Redraw
        statements = [{"member": x, "order": k + 1, "view": views[x]} for k, x in enumerate(order)]
        entry: dict[str, Any] = {"id": item.id, "candidate": item.candidate, "circulated_in_advance": item.circulated}
        if item.added_at_meeting:
            entry["added_at_meeting"] = True
        if item.presenter == "other":
            others = [x for x in present if x != d.org_lead]
            entry["presenter"] = rng.choice(others)
        elif item.presenter == "org_lead" and d.org_lead in present:
            entry["presenter"] = d.org_lead
        else:  # the organisation department's head, who is not a member, presents
            entry["presented_by_org_head"] = True
        if item.explained:
            entry["reportable_matters_explained"] = True
        if item.consent is not None:
            entry["reconsideration_consent"] = item.consent
        if item.departed:
            entry["departed"] = list(item.departed)
        if item.recused:
            entry["recused"] = list(item.recused)
        entry["statements"] = statements
        if item.vote_method is not None:
            if ballot is not None:
                yes = ballot
                no = rng.randint(0, len(present) - yes)
            else:
                yes = sum(views[x] == "agree" for x in speakers)
                no = sum(views[x] == "disagree" for x in speakers)
            entry["vote"] = {"method": item.vote_method, "yes": yes, "no": no, "abstain": len(present) - yes - no}
            if item.bundled:
                entry["vote"]["per_candidate"] = False
        entry["outcome"] = "adopted" if item.adopted else "rejected"
        agenda.append(entry)
    chair = d.principal if d.principal in meeting.attendees else d.org_lead
    out = {"id": meeting.id, "kind": meeting.kind, "date": meeting.date, "members_due": list(meeting.due),
           "attendees": list(meeting.attendees), "non_voting_attendees": list(meeting.non_voting), "chair": chair,
           "records": dict(meeting.records), "agenda": agenda}
    if meeting.urgent:  # a county chief decided between plenums, the plenum's members consulted (or not)
        out["urgent_between_plenums"] = True
        out["plenum_members_consulted"] = meeting.urgent != "not_consulted"
    return out


# --- one mutation per rule: each breaks exactly its rule and keeps the others satisfied --------------

def _target_item(d: _Draft, adopted_only: bool = False) -> _Item:
    items = [i for i in d.meeting.items if i.adopted or not adopted_only]
    return d.rng.choice(items)


def _pick(d: _Draft, *variants: str | None) -> str:
    """One of the variants that the combination allows (None marks one it rules out)."""
    allowed = [v for v in variants if v is not None]
    if not allowed:
        raise _Redraw
    return d.rng.choice(allowed)


def _break_version(d: _Draft) -> str:
    """GEN-VERSION: the meeting falls between the 2019 text's date and its release (the plan put it there)."""
    if not VERSION_WINDOW[0] <= d.meeting.date <= VERSION_WINDOW[1]:
        raise _Redraw
    return "meeting_in_open_window"


def _break_collective(d: _Draft) -> str:
    """GEN-COLLECTIVE: the appointment rests on a secretaries' or department meeting, not a committee decision."""
    variant = _pick(d, "secretaries_meeting", "department_meeting")
    for meeting in d.meetings:
        meeting.kind = variant.removesuffix("_meeting")
    return variant


def _break_authority(d: _Draft) -> str:
    """GEN-AUTHORITY: the post is managed by the superior, whose approval is missing or comes after the notice."""
    rng, case = d.rng, d.case
    case["post"]["managed_by"] = "superior-committee"
    first = min(a["date"] for a in case["appointments"])
    variant = _pick(d, None if "RPT-SUBMISSION" in d.rules else "no_submission", "rejected", "approved_after_notice")
    if variant == "no_submission":
        case.pop("submission", None)
        return variant
    sent = _draw_working_day(rng, d.decided, first)
    if variant == "rejected":
        case["submission"] = {"date": sent, "docs": list(_SUBMISSION_DOCS), "reply_date": _draw_working_day(rng, sent, first),
                              "result": "rejected"}
    else:
        case["submission"] = {"date": sent, "docs": list(_SUBMISSION_DOCS),
                              "reply_date": calendar.add_working_days(first, rng.randint(1, 10)), "result": "approved"}
    return variant


def _adopted_candidate(d: _Draft) -> dict[str, Any]:
    return d.candidate(d.rng.choice(d.adopted))


def _break_work_years(d: _Draft) -> str:
    """QUAL-WORKYEARS: the recorded start of work (工龄) is fewer than five full years before the decision."""
    cand = _adopted_candidate(d)
    cand["work_start_date"] = add_months(d.decided.replace(day=1), -d.rng.randint(14, 58))  # earlier years were not counted as 工龄
    return "work_years_short"


def _break_grassroots(d: _Draft) -> str:
    """QUAL-GRASSROOTS: fewer than two years of grassroots posts."""
    cand = _adopted_candidate(d)
    history = cand["work_history"]
    variant = _pick(d, "grassroots_short", "no_grassroots_post")
    if variant == "no_grassroots_post":
        for post in history:
            post.pop("grassroots", None)
        history[0]["title"], history[0]["unit"] = f"{d.setting.post_unit}科员", d.setting.post_unit
        return variant
    first = history[0]
    cut = add_months(first["start"].replace(day=1), d.rng.randint(6, 20))
    rest = {"title": f"{d.setting.post_unit}科员", "unit": d.setting.post_unit, "level": None, "start": cut,
            "end": first["end"]}
    first["end"] = cut - timedelta(days=1)
    history.insert(1, rest)
    return variant


def _break_two_posts(d: _Draft) -> str:
    """QUAL-TWO-POSTS: only one post held at the level just below the post."""
    cand = _adopted_candidate(d)
    prev = cand["work_history"][-2]
    variant = _pick(d, "earlier_post_below_level", "same_post_twice")
    if variant == "earlier_post_below_level":
        prev["level"] = None
        prev.pop("promotion", None)
        prev.pop("probation_end", None)
    else:  # the record splits one post in two (a reappointment): the same title at the same unit
        prev["title"] = cand["work_history"][-1]["title"]
    return variant


def _shorten_tenure(d: _Draft, cand: dict[str, Any], months: int) -> None:
    since = add_months(d.decided.replace(day=1), -months)
    cand["current_since"] = since
    cand["work_history"][-1]["start"] = since
    cand["work_history"][-2]["end"] = since - timedelta(days=1)


def _break_deputy_tenure(d: _Draft) -> str:
    """QUAL-DEP2CHIEF-2Y: a deputy becomes chief with fewer than two full years as deputy."""
    _shorten_tenure(d, _adopted_candidate(d), d.rng.randint(6, 22))
    return "deputy_under_two_years"


def _break_chief_tenure(d: _Draft) -> str:
    """QUAL-CHIEF2UPDEP-3Y: a lower-level chief becomes upper deputy with fewer than three full years as chief."""
    _shorten_tenure(d, _adopted_candidate(d), d.rng.randint(6, 34))
    return "chief_under_three_years"


def _break_education(d: _Draft) -> str:
    """QUAL-EDUCATION: no college degree on record, or none recorded at all."""
    cand = _adopted_candidate(d)
    variant = _pick(d, "secondary_only", "not_recorded")
    if variant == "secondary_only":
        school = d.rng.choice(("中专", "职业高中", "高中"))
        cand["education"] = [{"degree": school, "institution": f"{d.setting.locality}{school}", "full_time": True,
                              "completed": date(cand["work_start_date"].year, 6, 30)}]
    else:
        cand["education"] = []
    return variant


def _break_training(d: _Draft) -> str:
    """QUAL-TRAINING: fewer than 550 training hours in five years, not made up within a year of the notice;
    the record runs past that year (case.as_of), so the finding is violated, not pending."""
    rng = d.rng
    notice = rng.choice(d.case["appointments"])
    cand = d.candidate(notice["candidate"])
    deadline = anniversary(notice["date"], 1)
    year = d.decided.year
    variant = _pick(d, "hours_short", "made_up_too_late")
    cand["training"] = [{"year": y, "hours": rng.randint(20, 100)} for y in range(year - 4, year + 1)]
    if variant == "made_up_too_late":
        cand["training"].append({"year": deadline.year + 1, "hours": rng.randint(300, 500)})
    _extend_record(d, deadline + timedelta(days=rng.randint(5, 60)))
    return variant


def _extend_record(d: _Draft, as_of: date) -> None:
    """The closed case's record runs to `as_of` (the follow-up of the first year in office)."""
    if "as_of" not in d.case or d.case["as_of"] < as_of:
        d.case["as_of"] = as_of


def _break_health(d: _Draft) -> str:
    """QUAL-HEALTH-LEGAL: no fitness attestation before the decision, or a statutory qualification missing."""
    rng, case = d.rng, d.case
    cid = rng.choice(d.adopted)
    variant = _pick(d, "no_health_attestation", "attested_after_decision", "statutory_qualification_missing")
    if variant == "statutory_qualification_missing":
        case["post"]["statutory_requirements"] = ["法律职业资格"]
        for other in d.adopted:
            if other != cid:
                d.candidate(other)["statutory_qualifications"] = ["法律职业资格"]
        return variant
    att = next(a for a in case["attestations"] if a["candidate"] == cid and a["kind"] == "health")
    if variant == "no_health_attestation":
        case["attestations"].remove(att)
    else:
        att["date"] = calendar.add_working_days(d.decided, rng.randint(1, 5))
    return variant


def _break_party_age(d: _Draft) -> str:
    """QUAL-PARTY-AGE: a Party post bringing committee membership, for a member of too few years."""
    rng, post = d.rng, d.case["post"]
    post["is_party_post"] = True
    post["committee_level"] = "county" if d.setting.kind == "county" else "prefectural"
    cand = _adopted_candidate(d)
    variant = _pick(d, "party_years_short", "party_join_not_recorded")
    if variant == "party_years_short":
        needed = 3 if post["committee_level"] == "county" else 5
        cand["party_join_date"] = add_months(d.decided.replace(day=1), -rng.randint(3, 12 * needed - 2))
    else:
        cand.pop("party_join_date", None)
    return variant


def _break_basic_conditions(d: _Draft) -> str:
    """QUAL-BASIC-CONDITIONS: no assessment of the basic conditions before the decision."""
    rng, case = d.rng, d.case
    cid = rng.choice(d.adopted)
    att = next(a for a in case["attestations"] if a["candidate"] == cid and a["kind"] == "basic_conditions")
    variant = _pick(d, "not_assessed", "assessed_after_decision")
    if variant == "not_assessed":
        case["attestations"].remove(att)
    else:
        att["date"] = calendar.add_working_days(d.decided, rng.randint(1, 5))
    return variant


def _ensure_breakthrough(d: _Draft) -> dict[str, Any]:
    """The case's 破格 record, drawn (with a listed ground and an approval before the inspection) if missing."""
    if "breakthrough" not in d.case:
        _approved_breakthrough(d, "years_in_level")
    return d.case["breakthrough"]


def _break_grounds(d: _Draft) -> str:
    """BRK-GROUNDS: a 破格 without a listed ground (approved, explained and publicised all the same)."""
    brk = _ensure_breakthrough(d)
    variant = _pick(d, "no_ground", "unlisted_ground")
    brk["basis"] = None if variant == "no_ground" else d.rng.choice(("seniority", "long_service", "other"))
    return variant


def _break_limits(d: _Draft) -> str:
    """BRK-LIMITS: a 破格 for someone promoted less than a year ago (still on probation), or a second 破格 on tenure."""
    rng = d.rng
    brk = _ensure_breakthrough(d)
    cand = _adopted_candidate(d)
    # A tenure of months is lawful only under an approved 破格 (else the tenure rules fire at division level).
    variant = _pick(d, None if "BRK-PRIOR-APPROVAL" in d.rules else "promoted_within_a_year",
                    "tenure_breakthrough_again")
    if variant == "promoted_within_a_year":
        since = add_months(d.decided.replace(day=1), -rng.randint(3, 11))
        cand["current_since"] = since
        current = cand["work_history"][-1]
        current.update(start=since, promotion=True, probation_end=anniversary(since, 1))
        cand["work_history"][-2]["end"] = since - timedelta(days=1)
    else:
        if "years_in_level" not in brk["items"]:
            brk["items"].append("years_in_level")
        cand["work_history"][-2].update(promotion=True, tenure_breakthrough=True)
    return variant


def _break_prior_approval(d: _Draft) -> str:
    """BRK-PRIOR-APPROVAL: a 破格 decided without the superior's consent before the meeting, or a declared
    level-skip consented to only after the inspection began."""
    rng, case = d.rng, d.case
    brk = _ensure_breakthrough(d)
    case["prior_reports"] = [r for r in case["prior_reports"] if r["matter"] not in ("breakthrough", "skip_level")]
    variant = _pick(d, "not_reported", "rejected", "approved_after_decision",
                    "skip_level_approved_after_inspection_began")
    if variant == "rejected":
        d.approve("breakthrough", calendar.add_working_days(d.meeting.date, -rng.randint(1, 5)), reply_kind="rejected")
    elif variant == "approved_after_decision":
        d.approve("breakthrough", calendar.add_working_days(d.meeting.date, rng.randint(0, 5)))
    elif variant == "skip_level_approved_after_inspection_began":
        brk["skip_level"] = True
        d.approve("skip_level", _draw_working_day(rng, d.dates["start"], calendar.add_working_days(d.meeting.date, -1)))
    return variant


def _break_disqualified(d: _Draft) -> str:
    """DISQ-LIST: an inspection target who should have been barred (appraisal, canvassing, recognition, 裸官)."""
    rng = d.rng
    cand = d.candidate(rng.choice(d.inspected))
    variant = _pick(d, "basically_competent_recently", "canvassing_found", "low_recognition", "naked_official")
    if variant == "basically_competent_recently":
        rng.choice(cand["appraisals"])["grade"] = rng.choice(("basically_competent", "basically_competent", "incompetent"))
    elif variant == "naked_official":
        cand["spouse_emigrated"] = True
    else:
        cand[variant] = True
    return variant


def _break_discipline_period(d: _Draft) -> str:
    """DISQ-DISCIPLINE-PERIOD: promoted inside a sanction's influence period (its reuse was reported and approved)."""
    rng = d.rng
    cand = _adopted_candidate(d)
    system, kind, period = rng.choice((("party", "warning", 12), ("administrative", "demerit", 12),
                                       ("administrative", "major_demerit", 18), ("party", "removal_from_post", 24),
                                       ("organisational", "admonishment", None)))
    months = rng.randint(2, (period or 12) - 2)
    sanction: dict[str, Any] = {"system": system, "type": kind,
                                "decision_date": add_months(d.decided.replace(day=1), -months - 1) + timedelta(days=rng.randint(0, 27))}
    if period is None:
        sanction["period_months"] = 12  # organisational handling records its own period
    cand["sanctions"] = [sanction]
    d.approve("sanction_reuse", _draw_working_day(rng, d.dates["target"], calendar.add_working_days(d.meeting.date, -1)))
    return f"{system}_{kind}"


def _break_analysis(d: _Draft) -> str:
    """MOT-ANALYSIS: no analysis of the team and cadres before the motion (2019 text)."""
    motion = d.case["motion"]
    variant = _pick(d, "no_analysis", "analysis_after_motion")
    if variant == "no_analysis":
        motion.pop("analysis_date", None)
    else:
        motion["analysis_date"] = calendar.add_working_days(motion["date"], d.rng.randint(1, 5))
    return variant


def _break_initiation(d: _Draft) -> str:
    """MOT-INITIATION: an improper proposer, a missing step, or the steps out of order."""
    rng, motion = d.rng, d.case["motion"]
    late_plan = d.case["recommendations"] and "REC-REQUIRED" not in d.rules  # which may drop the first round
    variant = _pick(d, "no_work_plan", "not_reported_to_principal", "improper_proposer",
                    "work_plan_after_recommendation" if late_plan else None, "consulted_before_reporting")
    if variant == "no_work_plan":
        del motion["work_plan_date"]
    elif variant == "not_reported_to_principal":
        del motion["reported_to_principal"]
    elif variant == "improper_proposer":
        motion["proposer"] = rng.choice(("deputy_leader", "individual"))
    elif variant == "work_plan_after_recommendation":
        first = min(r["date"] for r in d.case["recommendations"])
        motion["work_plan_date"] = calendar.add_working_days(first, rng.randint(1, 3))
    else:
        motion["consultation_dates"] = [motion["date"]] + motion["consultation_dates"]
        motion["reported_to_principal"] = calendar.add_working_days(motion["date"], 1)
    return variant


def _break_vacancy(d: _Draft) -> str:
    """MOT-VACANCY: the adopted candidates push holders above the quota without an approved report."""
    rng, post = d.rng, d.case["post"]
    d.case["prior_reports"] = [r for r in d.case["prior_reports"] if r["matter"] != "over_quota"]
    variant = rng.choice(("post_filled", "quota_cut", "report_not_approved"))
    if variant == "quota_cut":
        post["quota"] = post["incumbents"] + len(d.adopted) - 1
        return variant
    post["incumbents"] = post["quota"] - len(d.adopted) + 1 + rng.randint(0, 1)
    if variant == "report_not_approved":
        submitted = calendar.add_working_days(d.meeting.date, -rng.randint(3, 8))
        if rng.random() < 0.5:
            d.case["prior_reports"].append({"id": "pr-quota", "matter": "over_quota", "submitted": submitted,
                                            "reply_date": calendar.add_working_days(d.meeting.date, -1), "reply": "rejected"})
        else:  # approved, but only after the decision
            d.case["prior_reports"].append({"id": "pr-quota", "matter": "over_quota", "submitted": submitted,
                                            "reply_date": calendar.add_working_days(d.decided, rng.randint(0, 3)), "reply": "approved"})
    return variant


def _break_adhoc(d: _Draft) -> str:
    """MOT-NO-ADHOC: an item raised at the meeting, not circulated, or with no motion on record."""
    variant = _pick(d, "added_at_meeting", "not_circulated", None if d.rules & _MOTION_RULES else "no_motion")
    if variant == "no_motion":
        del d.case["motion"]
        return variant
    item = _target_item(d)
    item.circulated = False
    item.added_at_meeting = variant == "added_at_meeting"
    return variant


def _break_precheck(d: _Draft) -> str:
    """MOT-PRECHECK: a blocking problem found by the early check of an intended candidate is left open."""
    rng, motion = d.rng, d.case["motion"]
    kind = rng.choice(("personal_matters", "file", "integrity"))
    motion["prechecks"] = [{"kind": kind, "date": calendar.add_working_days(motion["date"], rng.randint(0, 3)), "blocking": True}]
    return f"{kind}_unresolved"


def _break_competitive(d: _Draft) -> str:
    """MOT-COMPETITIVE: competitive selection without a reason, or relaxed eligibility not approved first."""
    rng, motion = d.rng, d.case["motion"]
    motion.pop("method_reason", None)
    variant = _pick(d, "no_reason", "relaxation_not_reported", "relaxation_approved_after_motion")
    if variant == "no_reason":
        motion["method"] = rng.choice(("competition", "open_selection"))
        return variant
    motion["eligibility_relaxations"] = [rng.choice(("age", "years_in_level", "education"))]
    if variant == "relaxation_approved_after_motion":
        d.approve("eligibility_relaxation", calendar.add_working_days(motion["date"], rng.randint(1, 5)), submitted=motion["date"])
    return variant


def _break_recommendation(d: _Draft) -> str:
    """REC-REQUIRED: the candidate reaches the meeting without any recommendation result."""
    candidate = _target_item(d).candidate
    kept = []
    for rec in d.case["recommendations"]:
        rec["results"] = [r for r in rec["results"] if r["candidate"] != candidate]
        if rec["results"]:
            kept.append(rec)
    d.case["recommendations"] = kept
    return "not_recommended"


def _break_validity(d: _Draft) -> str:
    """REC-VALIDITY-1Y: the targets are fixed more than a year after the recommendation (the plan left the gap)."""
    last = max(r["date"] for r in d.case["recommendations"])
    if d.dates["target"] <= anniversary(last, 1):
        raise _Redraw
    return "recommended_over_a_year_before"


def _break_form_order(d: _Draft) -> str:
    """REC-FORM-ORDER: a second meeting round outside a change of term, or (2019 text) a change of term
    recommended by meeting without the talks first."""
    rng, recs = d.rng, d.case["recommendations"]
    term = (len(d.inspected) > d.case["post"]["posts_to_fill"] and min(r["date"] for r in recs) >= VERSION_2019
            and not d.rules & {"REC-REF-DIFFERENTIAL", "INS-TARGET-COLLECTIVE", "MOT-INITIATION"}
            and any(r["form"] == "meeting" for r in recs))
    variant = _pick(d, "second_meeting_round", "change_of_term_without_talks" if term else None)
    if variant == "change_of_term_without_talks":
        d.case["change_of_term"] = True
        d.case["recommendations"] = [r for r in recs if r["form"] != "talk"]
        return variant
    last = recs[-1]
    stale = "REC-VALIDITY-1Y" in d.rules  # the second round too must be over a year old at the targets
    day = _draw_working_day(rng, calendar.add_working_days(last["date"], 1), calendar.add_working_days(last["date"], 2) if stale else d.dates["target"])
    if stale and d.dates["target"] <= anniversary(day, 1):
        raise _Redraw
    results = [{"candidate": r["candidate"], "votes": r["votes"]} for r in last["results"]]
    recs.append({"id": f"r{len(recs) + 1}", "form": "second_meeting", "date": day,
                 "participants_expected": last["participants_expected"], "participants_actual": last["participants_actual"],
                 "results": results})
    return variant


def _break_participants(d: _Draft) -> str:
    """REC-PARTICIPANTS: a category of participants the rules require is absent."""
    rng = d.rng
    if not d.case["recommendations"]:
        raise _Redraw
    rnd = rng.choice(d.case["recommendations"])
    required = list(_CATEGORIES[:rng.randint(2, len(_CATEGORIES))])
    rnd["required_categories"] = required
    absent = rng.choice(required)
    rnd["participant_categories"] = [c for c in required if c != absent]
    return "category_absent"


def _break_reference(d: _Draft) -> str:
    """REC-REF-DIFFERENTIAL: the meeting after the talks is offered no more names than posts (2019 text)."""
    posts = d.case["post"]["posts_to_fill"]
    rnd = next((r for r in d.case["recommendations"] if "reference_list" in r), None)
    if rnd is None:
        raise _Redraw
    variant = _pick(d, "as_many_names_as_posts", "no_reference_list")
    if variant == "no_reference_list":
        del rnd["reference_list"]
    else:
        rnd["reference_list"] = rnd["reference_list"][:posts]
    return variant


def _break_by_votes(d: _Draft) -> str:
    """REC-NOT-BY-VOTES: the target with the fewest votes is chosen without a recorded reason."""
    rng, recs = d.rng, d.case["recommendations"]
    target = rng.choice(d.inspected)
    final = {res["candidate"]: res for rec in recs for res in rec["results"]}
    if target not in final or len(final) < 2:
        raise _Redraw
    floor = min(res["votes"] for cid, res in final.items() if cid != target)
    if floor < 2:
        raise _Redraw
    final[target]["votes"] = rng.randint(0, floor - 1)
    d.inspection_of(target)["target_decision"]["rationale"] = None
    return "fewest_votes_no_reason"


def _break_nomination(d: _Draft) -> str:
    """REC-INDIV-SIGNED: an individual nomination without a signed written statement."""
    d.case["nominations"] = [{"nominator": d.names(), "candidate": d.rng.choice(d.inspected), "signed": False}]
    return "unsigned_nomination"


def _break_target_collective(d: _Draft) -> str:
    """INS-TARGET-COLLECTIVE: targets not fixed collectively, or one target per post without concentrated views."""
    one_to_one = len(d.inspected) <= d.case["post"]["posts_to_fill"] and not d.case.get("change_of_term")
    variant = _pick(d, "not_collective", "one_to_one_without_concentrated_views" if one_to_one else None)
    ins = d.inspection_of(d.rng.choice(d.inspected))
    if variant == "not_collective":
        ins["target_decision"].update(collective=False, body=f"{d.setting.organisation}主要负责人")
    else:
        ins["target_decision"]["views_concentrated"] = False
    return variant


def _break_team(d: _Draft) -> str:
    """INS-TEAM-2: the inspection team has fewer than two members."""
    ins = d.inspection_of(_target_item(d).candidate)
    variant = d.rng.choice(("one_inspector", "no_team"))
    ins["team"] = ins["team"][:1] if variant == "one_inspector" else []
    return variant


_STEP_FIELDS = {"no_plan": "plan_date", "no_notice": "notice_date", "no_unit_consultation": "unit_consultation_date",
                "no_feedback": "feedback_date", "no_department_review": "department_review_date"}


def _break_steps(d: _Draft) -> str:
    """INS-STEPS: a mandatory inspection step missing, or out of order."""
    rng = d.rng
    ins = d.inspection_of(rng.choice(d.inspected))
    decided = "GEN-COLLECTIVE" not in d.rules  # the department's review is due before a decision, if any
    variant = _pick(d, "no_plan", "no_notice", "no_unit_consultation", "no_feedback", "no_individual_talk",
                    "no_file_review_method", "notice_before_plan", "no_department_review" if decided else None,
                    "reviewed_after_decision" if decided else None)
    if variant in _STEP_FIELDS:
        del ins[_STEP_FIELDS[variant]]
    elif variant == "no_individual_talk":
        ins["methods"] = [m for m in ins["methods"] if m != "individual_talk"] or ["opinion_forms"]
    elif variant == "no_file_review_method":
        ins["methods"] = [m for m in ins["methods"] if m != "file_review"]
    elif variant == "notice_before_plan":
        ins["notice_date"] = calendar.add_working_days(ins["plan_date"], -rng.randint(1, 3))
    else:
        ins["department_review_date"] = calendar.add_working_days(d.decided, rng.randint(0, 2))
    return variant


def _break_inspection_done(d: _Draft) -> str:
    """INS-BEFORE-DECISION: the inspection is not completed before the meeting."""
    ins = d.inspection_of(_target_item(d).candidate)
    needs_completion = d.rules & {"INS-STEPS", "INS-MATERIALS"}  # both judge completed inspections only
    variant = _pick(d, None if needs_completion else "not_completed", "completed_on_meeting_day",
                    "completed_after_meeting")
    ins["completed"] = {"not_completed": None, "completed_on_meeting_day": d.meeting.date,
                        "completed_after_meeting": calendar.add_working_days(d.meeting.date, d.rng.randint(1, 5))}[variant]
    return variant


def _break_check(d: _Draft, key: str, bad_outcomes: tuple[str, ...]) -> str:
    """A four-musts check that is missing, done on/after the meeting, or left with an unacceptable outcome."""
    ins = d.inspection_of(_target_item(d).candidate)
    variant = d.rng.choice(("missing", "after_meeting") + tuple(f"outcome_{o}" for o in bad_outcomes))
    if variant == "missing":
        ins[key] = None
    elif variant == "after_meeting":
        ins[key] = {"date": calendar.add_working_days(d.meeting.date, d.rng.randint(0, 4)), "outcome": "clear"}
    else:
        ins[key] = {"date": ins[key]["date"], "outcome": variant.removeprefix("outcome_"),
                    "note": "问题尚未查清" if variant != "outcome_concealment" else "查核发现漏报房产"}
    return variant


def _break_file_review(d: _Draft) -> str:
    """INS-FILE-REVIEW: the personnel file is not reviewed, or its problems not resolved, before the meeting."""
    return _break_check(d, "file_review", ("open",))


def _break_personal_matters(d: _Draft) -> str:
    """INS-PERSONAL-MATTERS: the personal-matters report is not verified, or concealment is found."""
    return _break_check(d, "personal_matters", ("open", "concealment"))


def _break_discipline_opinion(d: _Draft) -> str:
    """INS-DISCIPLINE-OPINION: the discipline body is not heard, or the issues it raised stay open."""
    return _break_check(d, "discipline_opinion", ("open",))


def _break_petition(d: _Draft) -> str:
    """INS-PETITION-CHECK: a specific complaint received before the meeting is still open at it."""
    rng = d.rng
    ins = d.inspection_of(_target_item(d).candidate)
    received = calendar.add_working_days(d.meeting.date, -rng.randint(3, 20))
    variant = rng.choice(("open", "closed_after_meeting"))
    petition: dict[str, Any] = {"id": "q9", "received": received, "specific": True}
    if variant == "closed_after_meeting":
        petition["closed"] = calendar.add_working_days(d.meeting.date, rng.randint(0, 10))
        petition["conclusion"] = "会后查结"
    ins["petitions"].append(petition)
    return variant


def _break_integrity(d: _Draft) -> str:
    """INS-INTEGRITY-SIGNOFF: the integrity conclusion lacks a signature, is missing, or is dated at the meeting."""
    rng = d.rng
    ins = d.inspection_of(_target_item(d).candidate)
    variant = _pick(d, "secretary_did_not_sign", "discipline_head_did_not_sign", "missing",
                    "signed_at_or_after_meeting")
    if variant == "missing":
        ins.pop("integrity_conclusion", None)
        return variant
    conclusion = {"date": ins["completed"] or d.dates["done"], "signed_by_secretary": True,
                  "signed_by_discipline_head": True, **(ins.get("integrity_conclusion") or {})}
    if variant == "signed_at_or_after_meeting":
        conclusion["date"] = calendar.add_working_days(d.meeting.date, rng.randint(0, 3))
    else:
        unsigned = "signed_by_secretary" if variant == "secretary_did_not_sign" else "signed_by_discipline_head"
        conclusion[unsigned] = False
    ins["integrity_conclusion"] = conclusion
    return variant


def _break_audit(d: _Draft) -> str:
    """INS-AUDIT-FIRST: the post needs an economic-responsibility audit, not concluded before the meeting."""
    rng = d.rng
    d.case["post"]["audit_required"] = True
    for ins in d.case["inspections"]:
        ins["economic_audit"] = {"date": _draw_working_day(rng, calendar.add_working_days(ins["start"], -20), calendar.add_working_days(d.meeting.date, -2)),
                                 "outcome": "clear"}
    ins = d.inspection_of(_target_item(d).candidate)
    variant = _pick(d, "no_audit", "audit_after_meeting", "audit_findings_open")
    if variant == "no_audit":
        del ins["economic_audit"]
    elif variant == "audit_after_meeting":
        ins["economic_audit"]["date"] = calendar.add_working_days(d.meeting.date, rng.randint(0, 10))
    else:
        ins["economic_audit"].update(outcome="open", note="审计发现问题尚在整改")
    return variant


def _break_materials(d: _Draft) -> str:
    """INS-MATERIALS: the inspection report is missing, or a required section is empty."""
    ins = d.inspection_of(d.rng.choice(d.inspected))
    variant = _pick(d, "no_weaknesses", "no_evaluation_results", "no_report")
    if variant == "no_report":
        del ins["report"]
    else:
        ins["report"][variant.removeprefix("no_")] = None
    return variant


def _break_brewing(d: _Draft) -> str:
    """DEC-BREWING: no consultation before the meeting, none with the united front for a non-CPC candidate,
    or a co-managing side neither answering nor given a month."""
    rng, case = d.rng, d.case
    variant = _pick(d, "no_consultation", "consulted_after_meeting",
                    None if "QUAL-PARTY-AGE" in d.rules else "non_party_without_united_front",
                    "co_side_not_waited_for")
    if variant == "no_consultation":
        case["consultations"] = []
    elif variant == "consulted_after_meeting":
        for cons in case["consultations"]:
            cons["date"] = calendar.add_working_days(d.meeting.date, rng.randint(0, 2))
    elif variant == "non_party_without_united_front":
        cand = d.candidate(_target_item(d).candidate)
        cand["party_member"] = False
        cand.pop("party_join_date", None)
        case["consultations"] = [c for c in case["consultations"] if c["with"] != "united_front"]
    else:
        sent = calendar.working_day_on_or_after(d.meeting.date - timedelta(days=rng.randint(5, 25)))  # under a month before
        case["post"]["dual_management"] = {"co_side": "上级主管部门党组", "consult_sent": sent}
    return variant


def _break_observer(d: _Draft) -> str:
    """DEC-DISCIPLINE-OBSERVER: the discipline official is away and no discipline official sits in.

    To keep the quorum, an absent member attends in the official's place when there is one.
    """
    meeting = d.meeting
    meeting.non_voting = [nv for nv in meeting.non_voting if nv["role"] != "discipline_official"]
    if d.discipline not in meeting.attendees:
        return "stationed_head_absent"
    absent = [m for m in meeting.due if m not in meeting.attendees and m != d.principal]
    attendees = [m for m in meeting.attendees if m != d.discipline]
    if absent:
        attendees.append(d.rng.choice(absent))
    meeting.attendees = [m for m in meeting.due if m in attendees]
    for item in meeting.items:
        item.departed = [m for m in item.departed if m != d.discipline]
        item.recused = [m for m in item.recused if m != d.discipline]
    return "discipline_official_absent"


def _break_quorum(d: _Draft) -> str:
    """DEC-QUORUM: fewer than two thirds of the members due are present for an item."""
    rng, meeting = d.rng, d.meeting
    size = len(meeting.due)
    item = _target_item(d)
    variant = "members_left" if meeting.items.index(item) > 0 and rng.random() < 0.5 else "members_absent"
    keep = {d.principal, d.org_lead, d.discipline}
    while len(d.present(item)) * 3 >= 2 * size:
        removable = [x for x in d.present(item) if x not in keep]
        if not removable:
            raise _Redraw
        gone = rng.choice(removable)
        if variant == "members_left":
            item.departed.append(gone)
        else:
            meeting.attendees.remove(gone)
            for other in meeting.items:
                for group in (other.departed, other.recused):
                    if gone in group:
                        group.remove(gone)
    d.quorum_broken = True
    return variant


def _break_recusal(d: _Draft) -> str:
    """DEC-RECUSAL: a member related to the candidate (in scope) takes part in the item."""
    item = _target_item(d)
    present = [x for x in d.present(item) if x != d.principal]
    member = d.rng.choice(present)
    kind = d.rng.choice(_KINSHIPS_IN_SCOPE)
    d.case["relations"].append({"person": member, "relative": item.candidate, "kind": kind})
    return kind


def _break_pass(d: _Draft) -> str:
    """DEC-PASS: the item is adopted with yes votes not above half of the members due."""
    _target_item(d, adopted_only=True).break_pass = True
    return "yes_not_above_half_of_due"


def _break_explicit_view(d: _Draft) -> str:
    """DEC-EXPLICIT-VIEW: a present member states no explicit view (unclear, or no statement)."""
    item = _target_item(d)
    item.silent = True
    item.silent_mode = d.rng.choice(("unclear", "no_statement"))
    return item.silent_mode


def _break_last_speaker(d: _Draft) -> str:
    """DEC-LAST-SPEAKER: the principal leader states a view before others (meeting on/after 2019-03-03)."""
    _target_item(d).break_last_speaker = True
    return "principal_not_last"


def _break_vote_method(d: _Draft) -> str:
    """DEC-VOTE-METHOD: several people voted on together (一揽子), or a method outside oral, hands and ballot."""
    item = _target_item(d)
    variant = _pick(d, "bundled_vote", "unlisted_method")
    if variant == "bundled_vote":
        item.bundled = True
        item.vote_method = item.vote_method or "hands"
    else:
        item.vote_method = d.rng.choice(("acclamation", "applause"))
    return variant


def _break_defer(d: _Draft) -> str:
    """DEC-DEFER: the stated views split at least evenly, yet a ballot adopted the item instead of deferring it."""
    _target_item(d, adopted_only=True).split_views = True
    return "adopted_despite_split_views"


def _break_reconsider(d: _Draft) -> str:
    """DEC-RECONSIDER: the decision is reopened (复议) without more than half of the members consenting."""
    if len(d.meetings) < 2:
        raise _Redraw
    size = len(d.meeting.due)
    item = d.rng.choice(d.meetings[1].items)
    variant = _pick(d, "consent_not_above_half", "consent_not_recorded")
    item.consent = d.rng.randint(max(1, size // 4), size // 2) if variant == "consent_not_above_half" else None
    return variant


def _break_presentation(d: _Draft) -> str:
    """DEC-PRESENTATION: presented by a member not in charge of organisation work, or (2019 text) a 破格
    not explained at the meeting."""
    explain = (d.meeting.date >= VERSION_2019 and d.case["move"] == "promotion"
               and ("breakthrough" in d.case or not d.rules & (_BREAKTHROUGH_RULES - {"DEC-PRESENTATION"})))
    variant = _pick(d, "presented_by_another_member", "breakthrough_not_explained" if explain else None)
    item = _target_item(d)
    if variant == "presented_by_another_member":
        item.presenter = "other"
    else:
        _ensure_breakthrough(d)
        item.explained = False
    return variant


def _break_full_committee(d: _Draft) -> str:
    """DEC-FULLCOMMITTEE: a county chief decided by the standing committee alone, no full-committee ballot."""
    post = d.case["post"]
    post["title"], post["unit"] = d.setting.county_chief
    post["city_county_chief"] = True
    d.case["title"] = f"{post['title']}提拔（合成案例）"
    variant = _pick(d, "standing_committee_only", "urgent_without_consulting_members")
    for meeting in d.meetings:
        meeting.urgent = None if variant == "standing_committee_only" else "not_consulted"
    return variant


def _break_records(d: _Draft) -> str:
    """DEC-RECORDS: no minutes or discussion record, or the record not signed by chair and recorder."""
    variant = _pick(d, "no_minutes", "no_discussion_record", "not_signed_by_recorder", "not_signed_by_chair")
    key = {"no_minutes": "minutes", "no_discussion_record": "discussion_record",
           "not_signed_by_recorder": "signed_by_recorder", "not_signed_by_chair": "signed_by_chair"}[variant]
    d.meeting.records[key] = False
    return variant


def _break_rush(d: _Draft) -> str:
    """DIS-NO-RUSH: the meeting appoints while the principal leader's departure is settled, without approval."""
    rng = d.rng
    d.case["prior_reports"] = [r for r in d.case["prior_reports"] if r["matter"] != "leader_departure"]
    decided = calendar.add_working_days(d.meeting.date, -rng.randint(0, 15))
    departure: dict[str, Any] = {"leader": d.principal, "decided": decided}
    last_act = max([a["date"] for a in d.case["appointments"]] + [f["date"] for f in d.case["filings"]])
    if rng.random() < 0.5:
        departure["left"] = calendar.add_working_days(last_act, rng.randint(1, 30))
    d.case["leader_departure"] = departure
    variant = rng.choice(("no_report", "report_not_approved", "approved_too_late"))
    if variant == "report_not_approved":
        d.case["prior_reports"].append({"id": "pr-leave", "matter": "leader_departure", "submitted": decided,
                                        "reply": "rejected", "reply_date": decided})
    elif variant == "approved_too_late":
        d.case["prior_reports"].append({"id": "pr-leave", "matter": "leader_departure", "submitted": decided,
                                        "reply_date": calendar.add_working_days(d.meeting.date, rng.randint(0, 3)), "reply": "approved"})
    return variant


def _publicised(d: _Draft) -> list[str]:
    """Adopted candidates that still have a publicity (APT-PUB-SCOPE may have removed one)."""
    return [c for c in d.adopted if d.publicity_of(c) is not None]


def _break_publicity_scope(d: _Draft) -> str:
    """APT-PUB-SCOPE: a promotion without any pre-appointment publicity."""
    keep = 1 if d.rules & {"APT-PUB-5WD", "APT-PUB-WINDOW", "APT-PUB-OUTCOME"} else 0
    candidates = _publicised(d)
    if len(candidates) <= keep:
        raise _Redraw
    d.case["publicity"].remove(d.publicity_of(d.rng.choice(candidates)))
    return "no_publicity"


def _break_publicity_length(d: _Draft) -> str:
    """APT-PUB-5WD: the publicity runs fewer than five working days (often a calendar week over a holiday)."""
    rng = d.rng
    pub = d.publicity_of(rng.choice(_publicised(d)))
    week_end = pub["start"] + timedelta(days=6)
    if calendar.working_days_inclusive(pub["start"], week_end) < 5:
        pub["end"], variant = week_end, "calendar_week_over_holiday"
    else:
        pub["end"], variant = calendar.add_working_days(pub["start"], rng.randint(2, 4) - 1), "short"
    pub.pop("objections", None)
    notice = d.notice_of(pub["candidate"])
    if notice["date"] <= pub["end"]:
        notice["date"] = calendar.add_working_days(pub["end"], rng.randint(1, 3))
        d.reschedule_filing(pub["candidate"])
    return variant


def _break_publicity_window(d: _Draft) -> str:
    """APT-PUB-WINDOW: the publicity does not end after the decision and before the appointment notice, or a
    破格 promotion's publicity does not state the ground."""
    rng = d.rng
    candidate = rng.choice(_publicised(d))
    pub = d.publicity_of(candidate)
    notice = d.notice_of(candidate)
    decided = "GEN-COLLECTIVE" not in d.rules  # without a decision, only the notice's timing can be wrong
    moved = decided and "APT-PUB-5WD" not in d.rules  # moving the publicity would undo its shortening
    statement = decided and ("breakthrough" in d.case or not d.rules & (_BREAKTHROUGH_RULES - {"APT-PUB-WINDOW"}))
    variant = _pick(d, "notice_during_publicity", "publicity_before_decision" if moved else None,
                    "breakthrough_not_stated" if statement else None)
    pub.pop("objections", None)
    if variant == "breakthrough_not_stated":
        _ensure_breakthrough(d)
        pub["breakthrough_statement"] = False
        return variant
    if variant == "notice_during_publicity":
        notice["date"] = _draw_working_day(rng, pub["start"], pub["end"])
    else:
        pub["start"] = calendar.add_working_days(d.meeting.date, -rng.randint(1, 3))
        pub["end"] = calendar.add_working_days(pub["start"], rng.randint(5, 7) - 1)
        notice["date"] = calendar.add_working_days(max(pub["end"], d.decided), rng.randint(1, 3))
    d.reschedule_filing(candidate)
    return variant


def _break_publicity_outcome(d: _Draft) -> str:
    """APT-PUB-OUTCOME: the notice is issued while a publicity objection is unresolved, or despite one found
    to affect the appointment."""
    rng = d.rng
    pub = d.publicity_of(rng.choice(_publicised(d)))
    notice = d.notice_of(pub["candidate"])
    received = _draw_working_day(rng, pub["start"], min(pub["end"], notice["date"]))
    variant = _pick(d, "unresolved_at_notice", "resolved_after_notice", "affects_appointment")
    objection: dict[str, Any] = {"received": received}
    if variant == "resolved_after_notice":
        objection["resolved"] = calendar.add_working_days(notice["date"], rng.randint(1, 10))
    elif variant == "affects_appointment":
        objection.update(affects_appointment=True, resolved=_draw_working_day(rng, received, notice["date"]))
    pub["objections"] = [objection]
    return variant


def _break_probation(d: _Draft) -> str:
    """APT-PROBATION: a probationary post without a one-year probation on record, or not assessed at its end."""
    rng, case = d.rng, d.case
    case["post"]["probation"] = True
    for a in case["appointments"]:
        if "probation" not in a:
            end = anniversary(a["date"], 1)
            a["probation"] = {"start": a["date"], "planned_end": end,
                              "assessment_date": end + timedelta(days=rng.randint(3, 30)), "result": "confirmed"}
    notice = rng.choice(case["appointments"])
    variant = _pick(d, "no_probation", "probation_under_a_year", "not_assessed")
    if variant == "no_probation":
        del notice["probation"]
    elif variant == "probation_under_a_year":
        notice["probation"].update(planned_end=notice["date"] + timedelta(days=rng.randint(90, 270)))
    else:
        del notice["probation"]["assessment_date"], notice["probation"]["result"]
        _extend_record(d, notice["probation"]["planned_end"] + timedelta(days=rng.randint(5, 60)))
    return variant


def _break_talk(d: _Draft) -> str:
    """APT-TALK: no appointment talk on record, or one held before the decision."""
    notice = d.rng.choice(d.case["appointments"])
    variant = _pick(d, "no_talk", None if "GEN-COLLECTIVE" in d.rules else "talk_before_decision")
    if variant == "no_talk":
        del notice["talk"]
    else:
        notice["talk"]["date"] = calendar.add_working_days(d.decided, -d.rng.randint(1, 5))
    return variant


def _break_tenure(d: _Draft) -> str:
    """APT-TENURE-START: the recorded tenure start is not the decision date (the notice or talk date instead)."""
    notice = d.rng.choice(d.case["appointments"])
    variant = _pick(d, "tenure_from_notice", "tenure_from_talk" if "talk" in notice else None)
    notice["tenure_start"] = notice["date"] if variant == "tenure_from_notice" else notice["talk"]["date"]
    return variant


def _break_prior_matters(d: _Draft) -> str:
    """RPT-PRIOR-MATTERS: a reportable matter (a unit head's relative, reuse after a sanction) not approved
    by the superior before the meeting."""
    rng, case = d.rng, d.case
    sanction = case["move"] != "lateral_transfer" and "DISQ-DISCIPLINE-PERIOD" not in d.rules
    variant = _pick(d, "relative_of_unit_head_not_reported", "relative_approved_after_meeting",
                    "sanction_reuse_not_reported" if sanction else None)
    cid = rng.choice(d.adopted)
    if variant == "sanction_reuse_not_reported":
        d.candidate(cid)["sanctions"] = [{"system": "administrative", "type": "warning",
                                          "decision_date": add_months(d.decided.replace(day=1), -rng.randint(20, 60))}]
        case["prior_reports"] = [r for r in case["prior_reports"] if r["matter"] != "sanction_reuse"]
        return variant
    case.setdefault("colleagues", []).append({"id": "x8", "name": d.names(), "post": d.setting.unit_leader,
                                              "leads_organ": True})
    case["relations"].append({"person": "x8", "relative": cid, "kind": rng.choice(("sibling", "cousin", "uncle_aunt",
                                                                                    "sibling_in_law"))})
    if variant == "relative_approved_after_meeting":
        d.approve("relative", calendar.add_working_days(d.meeting.date, rng.randint(0, 5)))
    return variant


def _break_submission(d: _Draft) -> str:
    """RPT-SUBMISSION: the submission to the superior lacks required documents, or precedes the decision."""
    rng, case = d.rng, d.case
    case["post"]["managed_by"] = "superior-committee"
    first = min(a["date"] for a in case["appointments"])
    if "submission" not in case:
        sent = _draw_working_day(rng, d.decided, first)
        case["submission"] = {"date": sent, "docs": list(_SUBMISSION_DOCS), "reply_date": _draw_working_day(rng, sent, first),
                              "result": "approved"}
    sub = case["submission"]
    variant = _pick(d, "documents_missing", None if "GEN-COLLECTIVE" in d.rules else "submitted_before_decision")
    if variant == "documents_missing":
        missing = set(rng.sample(_SUBMISSION_DOCS[1:], rng.randint(1, 3)))
        sub["docs"] = [doc for doc in sub["docs"] if doc not in missing]
    else:
        sub["date"] = calendar.add_working_days(d.decided, -rng.randint(1, 5))
    return variant


def _break_filing(d: _Draft) -> str:
    """RPT-FILING: the appointment is not filed, or filed more than seven working days after the notice."""
    rng = d.rng
    candidate = rng.choice(d.adopted)
    d.case["post"]["filing_required"] = True
    variant = rng.choice(("not_filed", "filed_late"))
    d.case["filings"] = [f for f in d.case["filings"] if f["candidate"] != candidate]
    if variant == "filed_late":
        d.case["filings"].append({"id": f"f-{candidate}", "candidate": candidate,
                                  "date": calendar.add_working_days(d.notice_of(candidate)["date"], rng.randint(8, 25)),
                                  "to": d.superior})
    return variant


def _break_kinship(d: _Draft) -> str:
    """AVD-KINSHIP: a close relative in the line of authority or under the same leader, heading the unit of a
    finance or personnel post, or running a business the post regulates."""
    rng, case = d.rng, d.case
    cid = rng.choice(d.inspected)
    leads = "RPT-PRIOR-MATTERS" not in d.rules
    variant = _pick(d, "relative_in_direct_line", "relative_under_same_leader", "relative_business_regulated",
                    "relative_heads_unit_of_finance_post" if leads else None)
    if variant == "relative_business_regulated":
        case["relatives_business"] = [{"relative": rng.choice(("配偶", "子女", "子女的配偶")),
                                       "business": "某工程建设有限公司", "regulated_by_post": True}]
        return variant
    colleague: dict[str, Any] = {"id": "x9", "name": d.names(), "post": f"{d.setting.post_unit}干部"}
    if variant == "relative_in_direct_line":
        colleague["direct_line"] = True
    elif variant == "relative_under_same_leader":
        colleague["same_supervisor"] = True
    else:
        colleague.update(post=d.setting.unit_leader, leads_organ=True)
        case["post"]["function"] = rng.choice(("finance", "personnel"))
        d.approve("relative", calendar.add_working_days(d.meeting.date, -rng.randint(1, 5)))
    case.setdefault("colleagues", []).append(colleague)
    case["relations"].append({"person": "x9", "relative": cid, "kind": rng.choice(_KINSHIPS_IN_SCOPE)})
    return variant


def _break_geographic(d: _Draft) -> str:
    """AVD-GEOGRAPHIC: a post under home-place avoidance given to someone who grew up there."""
    post = d.case["post"]
    post["avoidance_level"] = "county" if d.setting.kind == "county" else "prefecture"
    post["locality"] = d.setting.locality
    for cid in d.inspected:
        d.candidate(cid).setdefault("growth_place", d.rng.choice([p + "县" for p in _COUNTIES
                                                                   if p + "县" != d.setting.locality]))
    d.candidate(d.rng.choice(d.inspected))["growth_place"] = d.setting.locality
    return f"{post['avoidance_level']}_home_place"


MUTATIONS: dict[str, Callable[[_Draft], str]] = {
    "GEN-VERSION": _break_version,
    "GEN-COLLECTIVE": _break_collective,
    "GEN-AUTHORITY": _break_authority,
    "QUAL-WORKYEARS": _break_work_years,
    "QUAL-GRASSROOTS": _break_grassroots,
    "QUAL-TWO-POSTS": _break_two_posts,
    "QUAL-DEP2CHIEF-2Y": _break_deputy_tenure,
    "QUAL-CHIEF2UPDEP-3Y": _break_chief_tenure,
    "QUAL-EDUCATION": _break_education,
    "QUAL-TRAINING": _break_training,
    "QUAL-HEALTH-LEGAL": _break_health,
    "QUAL-PARTY-AGE": _break_party_age,
    "QUAL-BASIC-CONDITIONS": _break_basic_conditions,
    "BRK-GROUNDS": _break_grounds,
    "BRK-LIMITS": _break_limits,
    "BRK-PRIOR-APPROVAL": _break_prior_approval,
    "DISQ-LIST": _break_disqualified,
    "DISQ-DISCIPLINE-PERIOD": _break_discipline_period,
    "MOT-ANALYSIS": _break_analysis,
    "MOT-INITIATION": _break_initiation,
    "MOT-VACANCY": _break_vacancy,
    "MOT-NO-ADHOC": _break_adhoc,
    "MOT-PRECHECK": _break_precheck,
    "MOT-COMPETITIVE": _break_competitive,
    "REC-REQUIRED": _break_recommendation,
    "REC-VALIDITY-1Y": _break_validity,
    "REC-FORM-ORDER": _break_form_order,
    "REC-PARTICIPANTS": _break_participants,
    "REC-REF-DIFFERENTIAL": _break_reference,
    "REC-NOT-BY-VOTES": _break_by_votes,
    "REC-INDIV-SIGNED": _break_nomination,
    "INS-TARGET-COLLECTIVE": _break_target_collective,
    "INS-TEAM-2": _break_team,
    "INS-STEPS": _break_steps,
    "INS-BEFORE-DECISION": _break_inspection_done,
    "INS-FILE-REVIEW": _break_file_review,
    "INS-PERSONAL-MATTERS": _break_personal_matters,
    "INS-DISCIPLINE-OPINION": _break_discipline_opinion,
    "INS-PETITION-CHECK": _break_petition,
    "INS-INTEGRITY-SIGNOFF": _break_integrity,
    "INS-AUDIT-FIRST": _break_audit,
    "INS-MATERIALS": _break_materials,
    "DEC-BREWING": _break_brewing,
    "DEC-DISCIPLINE-OBSERVER": _break_observer,
    "DEC-QUORUM": _break_quorum,
    "DEC-RECUSAL": _break_recusal,
    "DEC-PASS": _break_pass,
    "DEC-EXPLICIT-VIEW": _break_explicit_view,
    "DEC-LAST-SPEAKER": _break_last_speaker,
    "DEC-VOTE-METHOD": _break_vote_method,
    "DEC-DEFER": _break_defer,
    "DEC-RECONSIDER": _break_reconsider,
    "DEC-PRESENTATION": _break_presentation,
    "DEC-FULLCOMMITTEE": _break_full_committee,
    "DEC-RECORDS": _break_records,
    "DIS-NO-RUSH": _break_rush,
    "APT-PUB-SCOPE": _break_publicity_scope,
    "APT-PUB-5WD": _break_publicity_length,
    "APT-PUB-WINDOW": _break_publicity_window,
    "APT-PUB-OUTCOME": _break_publicity_outcome,
    "APT-PROBATION": _break_probation,
    "APT-TALK": _break_talk,
    "APT-TENURE-START": _break_tenure,
    "RPT-PRIOR-MATTERS": _break_prior_matters,
    "RPT-SUBMISSION": _break_submission,
    "RPT-FILING": _break_filing,
    "AVD-KINSHIP": _break_kinship,
    "AVD-GEOGRAPHIC": _break_geographic,
}
assert tuple(MUTATIONS) == RULE_IDS, "mutations must run in the canonical order"
# Mutations of records that follow the final notice dates (talks, probation, submissions, training
# catch-up): they run after the meetings are settled and those records are drawn.
_LATE = frozenset({"GEN-AUTHORITY", "QUAL-TRAINING", "APT-PROBATION", "APT-TALK", "APT-TENURE-START", "RPT-SUBMISSION"})
