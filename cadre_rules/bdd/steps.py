"""The step library: Gherkin steps in the staff's words (zh-CN) with English aliases of the same functions.

Loaded by the `cadre_rules` pytest plugin (cadre_rules/bdd/plugin.py) when pytest-bdd is installed.
Steps that describe the case take any keyword (假如/当/而且, Given/When/And); expectations are
那么/Then steps. Every step acts on the `cadre_spec` fixture (a `SpecContext`); a project adds its own
steps by requesting that fixture. The full list of step texts is in docs/specs.md.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import pytest
from pytest_bdd import parsers, step, then

import yaml

from cadre_rules.model import Education, Outcome
from cadre_rules.model.case import DualManagement
from cadre_rules.testing.builder import DAY, CaseBuilder
from cadre_rules.bdd.context import SEVERITY_WORDS, AuditorCache, SpecContext
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cadre_rules.bdd.register import RegisterSpec
    from cadre_rules.bdd.supervision import SupervisionSpec
from cadre_rules.codes import (AccountableRole, AppointeeOption, BreakthroughBasis, EducationLevel, QualificationItem, Reply,
                               WorkOption)
from cadre_rules.bdd.vocabulary import (
    ANCHORS,
    ATTESTATIONS,
    AVOIDANCE_LEVELS,
    BODY_KINDS,
    BUSINESS_RELATIVES,
    CANDIDATE_FLAGS,
    CHECK_OUTCOMES,
    CHECKS,
    COMMITTEE_LEVELS,
    DATE,
    DATE_ITEMS,
    DEGREE_LEVELS,
    DEGREES,
    DOSSIER_ITEMS,
    FUNCTIONS,
    GRADES,
    INSPECTION_GAPS,
    KINSHIPS,
    LEVELS,
    MEETING_KINDS,
    RECOMMENDATION_FORMS,
    MOVES,
    NUMBER,
    PARTICIPANTS,
    POST_GRADES,
    PRESENTERS,
    PRIOR_MATTERS,
    PROPOSERS,
    RECORD_SOURCES,
    RECORDS,
    REVIEW_STATES,
    REPORT_SECTIONS,
    RULE_ID,
    RULE_LIST,
    SANCTION_SYSTEMS,
    SANCTION_TYPES,
    SCENARIO_CLASSES,
    SELECTION_METHODS,
    SIGNERS,
    STUDY_MODES,
    SUBMISSION_DOC_WORDS,
    VERDICT_WORDS,
    VIEWS,
    VOTE_METHODS,
    alternatives,
    day,
    number,
    quoted,
    rule_ids,
)

FEATURE_FILE = pytest.StashKey[str]()
#: Tags of the supervision scenarios, which judge no rule: the two reviews' thresholds and team targets.
SUPERVISION_TAGS = {"两评议": "scenarios of the two reviews' thresholds (rules/reviews.yaml)",
                    "reviews": "scenarios of the two reviews' thresholds (rules/reviews.yaml)",
                    "班子结构": "scenarios of leadership team targets (docs/team-structure.md)",
                    "team-structure": "scenarios of leadership team targets (docs/team-structure.md)"}
_CONFIG: list[pytest.Config] = []

# Chinese texts take 9 or 九 and 2024-09-29 or 2024年9月29日; English texts take digits and ISO dates.
N = rf"\s*(?P<n>{NUMBER})\s*"
D = rf"\s*(?P<d>{DATE})\s*"
EN_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
EN_N = r"\s*(?P<n>\d+)\s*"
EN_D = rf"\s*(?P<d>{EN_DATE})\s*"
R = rf"(?P<rule>{RULE_ID})"
EN_RULE_LIST = rf"{RULE_ID}(?:(?:,\s*|\s+)(?:and\s+)?{RULE_ID})*"
C = "[，,]\\s*"  # a comma, Chinese or not


def _zh(table: dict[str, Any]) -> str:
    """The Chinese words of a vocabulary table, as a regex alternation."""
    return alternatives({k: v for k, v in table.items() if not k.isascii()})


def _en(table: dict[str, Any]) -> str:
    return alternatives({k: v for k, v in table.items() if k.isascii()})


def _steps(*patterns: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register one function under several regex step texts, for any keyword (given/when/and)."""
    def deco(func: Callable[..., Any]) -> Callable[..., Any]:
        for pattern in patterns:
            step(parsers.re(pattern), stacklevel=2)(func)
        return func
    return deco


def _thens(*patterns: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def deco(func: Callable[..., Any]) -> Callable[..., Any]:
        for pattern in patterns:
            then(parsers.re(pattern), stacklevel=2)(func)
        return func
    return deco


# --- fixtures ---------------------------------------------------------------------------------------------


def _ini_path(config: pytest.Config, value: str) -> str:
    base = config.inipath.parent if config.inipath else config.rootpath
    return str((base / value).resolve())


@pytest.fixture(scope="session")
def cadre_rulebook_cache() -> AuditorCache:
    """Loaded rulebooks (compiled auditors) by (directory, profile), shared by all scenarios."""
    return {}


@pytest.fixture
def cadre_rules_dir(request: pytest.FixtureRequest) -> str | None:
    """The rule directory scenarios are judged by: --cadre-rules, else the `cadre_rules_dir` ini
    option (relative to the ini file), else None (the bundled rulebook). Override it in a conftest."""
    config = request.config
    option = config.getoption("cadre_rules_dir", default=None)
    if option:
        return str(Path(option).resolve())
    ini = config.getini("cadre_rules_dir") if _has_ini(config, "cadre_rules_dir") else ""
    return _ini_path(config, ini) if ini else None


@pytest.fixture
def cadre_profile(request: pytest.FixtureRequest) -> str:
    """The profile: --cadre-profile, else the `cadre_profile` ini option, else "national"."""
    config = request.config
    option = config.getoption("cadre_profile", default=None)
    if option:
        return str(option)
    ini = config.getini("cadre_profile") if _has_ini(config, "cadre_profile") else ""
    return str(ini) if ini else "national"


def _has_ini(config: pytest.Config, name: str) -> bool:
    try:
        config.getini(name)
        return True
    except ValueError:
        return False


@pytest.fixture
def cadre_spec(cadre_rules_dir: str | None, cadre_profile: str, cadre_rulebook_cache: AuditorCache) -> SpecContext:
    """The scenario's state: the case being built and the rulebook that judges it."""
    return SpecContext(cadre_rules_dir, cadre_profile, cadre_rulebook_cache)


# --- hooks: remember the feature file; register rule tags as markers -------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    _CONFIG.append(config)
    for tag, kind in SCENARIO_CLASSES.items():
        config.addinivalue_line("markers", f"{tag}: a {kind} scenario of the rule it is tagged with (cadre-rules specs)")
    for tag, what in SUPERVISION_TAGS.items():
        config.addinivalue_line("markers", f"{tag}: {what} (cadre-rules specs, no rule of the rulebook)")


def pytest_unconfigure(config: pytest.Config) -> None:
    if config in _CONFIG:
        _CONFIG.remove(config)


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: Callable[..., Any]) -> None:
    """Rule ids used as tags (@DEC-QUORUM) are registered as markers, so -m DEC-QUORUM selects a rule's
    scenarios and --strict-markers still catches other typos. Returns None: pytest-bdd applies the mark."""
    if _CONFIG and re.fullmatch(RULE_ID, tag):
        config = _CONFIG[-1]
        if tag not in config.getini("markers"):
            config.addinivalue_line("markers", f"{tag}: scenarios of rule {tag}")


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    request.node.stash[FEATURE_FILE] = feature.filename


def _relative(request: pytest.FixtureRequest, path: str) -> Path:
    """A path in a step, relative to the feature file's folder."""
    feature = request.node.stash.get(FEATURE_FILE, None)
    base = Path(feature).parent if feature else request.config.rootpath
    return (base / path).resolve()


# --- the case: where it starts, which rules judge it ----------------------------------------------------


@_steps("一个程序完整的提拔案例", "一个合规的提拔案例", "a complete promotion case", "a compliant promotion case")
def baseline(cadre_spec: SpecContext) -> None:
    cadre_spec.start()


@_steps(rf"案例文件\s*{quoted('path')}", rf"从案例文件\s*{quoted('path')}\s*开始", rf"the case file {quoted('path')}")
def case_file(cadre_spec: SpecContext, request: pytest.FixtureRequest, path: str) -> None:
    cadre_spec.start(CaseBuilder.from_file(_relative(request, path)))


@_steps(rf"使用规则目录\s*{quoted('path')}", rf"the rule directory {quoted('path')}", rf"the rules in {quoted('path')}")
def rule_directory(cadre_spec: SpecContext, request: pytest.FixtureRequest, path: str) -> None:
    cadre_spec.use_rules(_relative(request, path))


@_steps("使用内置规则", "the bundled rules")
def bundled_rules(cadre_spec: SpecContext) -> None:
    """The rulebook shipped with cadre-rules, with its national profile."""
    cadre_spec.use_rules(None)
    cadre_spec.use_profile("national")


@_steps(rf"使用规则配置\s*{quoted('name')}", rf"the profile {quoted('name')}")
def profile(cadre_spec: SpecContext, name: str) -> None:
    cadre_spec.use_profile(name)


# --- the body and the decision meeting -------------------------------------------------------------------


@_steps(rf"(?P<body>{_zh(BODY_KINDS)})共有{N}名成员",
        rf"the (?P<body>{_en(BODY_KINDS)}) has{EN_N}members")
def body_size(cadre_spec: SpecContext, body: str, n: str) -> None:
    cadre_spec.builder.set_body(number(n), BODY_KINDS[body], body if not body.isascii() else None)


@_steps(rf"召开讨论决定会议{C}(?:应到会\s*(?P<due>{NUMBER})\s*人{C})?到会{N}人",
        rf"the decision meeting is held with{EN_N}(?:of (?P<due>\d+) )?members present")
def meeting_attendance(cadre_spec: SpecContext, n: str, due: str | None) -> None:
    if due:
        cadre_spec.builder.set_body(number(due))
    cadre_spec.builder.set_attendance(number(n))


@_steps(rf"会议日期为{D}", rf"讨论决定会议于{D}召开", rf"the meeting is held on{EN_D}")
def meeting_date(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.set_meeting_date(day(d))


@_steps("主要负责人不是最后表态", "the principal leader does not speak last")
def principal_not_last(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.principal_speaks_last(False)


@_steps("主要负责人最后表态", "the principal leader speaks last")
def principal_last(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.principal_speaks_last(True)


@_steps("主要负责人与前一名成员表态顺序相同(?P<where>、记录在其后|、记录在其前)",
        "the principal leader shares the last speaking order with the member before, (?P<where>listed after|listed before) them")
def principal_tie(cadre_spec: SpecContext, where: str) -> None:
    """Two statements with one speaking order: the later-listed one is taken as the last speaker."""
    cadre_spec.builder.principal_ties_last(where in ("、记录在其后", "listed after"))


@_steps("主要负责人缺席", "主要负责人未到会", "the principal leader is absent")
def principal_absent(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.principal_absent()


@_steps(rf"有{N}名到会成员表示(?P<view>同意|不同意|缓议)", rf"有{N}名到会成员(?P<view>未明确表态)",
        rf"(?P<n>\d+) members? present (?P<view>agrees?|disagrees?|defers?|states? no clear view)")
def members_view(cadre_spec: SpecContext, n: str, view: str) -> None:
    word = view if view in VIEWS else view.replace("states", "state").rstrip("s")
    cadre_spec.builder.members_state(number(n), VIEWS[word])


@_steps("到会成员都未发言，直接表决", "no member present says anything; the item goes straight to the vote")
def all_silent(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.all_silent()


@_steps(rf"有{N}名到会成员未发言", rf"(?P<n>\d+) members? present (?:say|says) nothing")
def members_silent(cadre_spec: SpecContext, n: str) -> None:
    cadre_spec.builder.members_silent(number(n))


@_steps(rf"讨论该人选前有{N}名成员离席", rf"有{N}名到会成员在讨论前离席",
        rf"(?P<n>\d+) members? leaves? before the item is discussed")
def members_depart(cadre_spec: SpecContext, n: str) -> None:
    cadre_spec.builder.members_depart(number(n))


@_steps(rf"有{N}名到会成员回避", rf"(?P<n>\d+) members? present recuses? (?:themselves|himself|herself)")
def members_recuse(cadre_spec: SpecContext, n: str) -> None:
    cadre_spec.builder.members_recuse(number(n))


@_steps(rf"表决结果为同意{N}票(?:(?:、|{C})不同意\s*(?P<no>{NUMBER})\s*票)?(?:(?:、|{C})弃权\s*(?P<abstain>{NUMBER})\s*票)?",
        rf"the vote is{EN_N}in favour(?:, (?P<no>\d+) against)?(?:, (?P<abstain>\d+) abstaining)?")
def vote(cadre_spec: SpecContext, n: str, no: str | None, abstain: str | None) -> None:
    cadre_spec.builder.vote(number(n), number(no) if no else None, number(abstain) if abstain else 0)


@_steps("会议决定任用该人选", "会议通过任用", "the meeting adopts the appointment")
def adopted(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.set_outcome(Outcome.adopted)


@_steps("会议未通过任用", "the meeting rejects the appointment")
def rejected(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.set_outcome(Outcome.rejected)


@_steps("纪检监察负责人未参加会议", "no discipline official attends the meeting")
def discipline_absent(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.discipline_absent()


@_steps("(?:派驻)?纪检监察组组长列席会议", "纪委书记列席会议", "a discipline official attends without a vote")
def discipline_observer(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.add_observers(1, "discipline_official", "派驻纪检监察组组长")


@_steps(rf"另有{N}人列席会议", rf"(?P<n>\d+) (?:more )?(?:people|person) attends? without a vote")
def observers(cadre_spec: SpecContext, n: str) -> None:
    cadre_spec.builder.add_observers(number(n))


_ZH_KIN = _zh(KINSHIPS)
_EN_KIN = _en(KINSHIPS)


@_steps(rf"一名到会成员是该人选的(?P<kind>{_ZH_KIN})", rf"a member present is the candidate's (?P<kind>{_EN_KIN})")
def related_member(cadre_spec: SpecContext, kind: str) -> None:
    cadre_spec.builder.related_present_member(KINSHIPS[kind])


@_steps("该成员在讨论时回避", "that member recuses", "that member recuses themselves")
def related_recuses(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.related_member_recuses()


@_steps("该成员在讨论前离席", "that member leaves before the item is discussed")
def related_departs(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.related_member_departs()


@_steps("该成员未回避", "that member does not recuse")
def related_stays(cadre_spec: SpecContext) -> None:
    builder = cadre_spec.builder
    if builder.related_member is None or builder.related_member not in builder.present():
        raise AssertionError("该成员并不在场 (the related member is not present for the item)")


@_steps(rf"该事项由(?P<kind>{_zh(MEETING_KINDS)})讨论决定", rf"the item is decided by an? (?P<kind>{_en(MEETING_KINDS)})")
def meeting_kind(cadre_spec: SpecContext, kind: str) -> None:
    cadre_spec.builder.set_meeting_kind(MEETING_KINDS[kind])


@_steps(rf"表决方式为(?P<method>{_zh(VOTE_METHODS)})", rf"the vote is taken by (?:an? )?(?P<method>{_en(VOTE_METHODS)})")
def vote_method(cadre_spec: SpecContext, method: str) -> None:
    cadre_spec.builder.set_vote_method(VOTE_METHODS[method])


# --- the candidate --------------------------------------------------------------------------------------------


@_steps(rf"该人选出生于{D}", rf"the candidate was born on{EN_D}")
def born(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.update_candidate(birth_date=day(d))


@_steps(rf"该人选于{D}参加工作", rf"the candidate started work on{EN_D}")
def started_work(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.update_candidate(work_start_date=day(d))


@_steps(rf"该人选于{D}入党", rf"the candidate joined the Party on{EN_D}")
def joined_party(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.update_candidate(party_join_date=day(d))


@_steps(rf"该人选自{D}起任(?P<level>{_zh(LEVELS)})级职务",
        rf"the candidate has held a (?P<level>{_en(LEVELS)}) post since{EN_D}")
def current_level(cadre_spec: SpecContext, d: str, level: str) -> None:
    cadre_spec.builder.update_candidate(current_level=LEVELS[level], current_since=day(d))


@_steps(rf"该人选于{D}受到(?P<system>{_zh(SANCTION_SYSTEMS)})（(?P<kind>[^）]+)）(?:{C}影响期\s*(?P<months>\d+)\s*个月)?",
        rf"the candidate received an? (?P<system>{_en(SANCTION_SYSTEMS)}) sanction \((?P<kind>[^)]+)\) on{EN_D}"
        rf"(?:with an influence period of (?P<months>\d+) months)?")
def sanction(cadre_spec: SpecContext, d: str, system: str, kind: str, months: str | None) -> None:
    """The kind is read as the rules name it (警告 → warning, 记过 → demerit …); other words are kept."""
    cadre_spec.builder.add_sanction(SANCTION_SYSTEMS[system], SANCTION_TYPES.get(kind.strip(), kind.strip()), day(d),
                                    int(months) if months else None)


@_steps(rf"该职位为(?P<level>{_zh(LEVELS)})级", rf"the post is at (?P<level>{_en(LEVELS)}) level")
def post_level(cadre_spec: SpecContext, level: str) -> None:
    cadre_spec.builder.set_post_level(LEVELS[level])


@_steps(r"该职位未记录级别", r"the post's level is not recorded")
def post_level_unrecorded(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.set_post_level(None)


# --- sourced records (三龄二历一身份) ----------------------------------------------------------------------
# Each step adds one source's record to the candidate's `records` (docs/case-format.md, "Sourced values").

_SRC = rf"(?P<source>{_zh(RECORD_SOURCES)})"
_EN_SRC = rf"the (?P<source>{_en(RECORD_SOURCES)})"
_DD = rf"\s*(?P<start>{DATE})\s*"
_EN_DD = rf"\s*(?P<start>{EN_DATE})\s*"


def _add_record(cadre_spec: SpecContext, key: str, entry: Any) -> None:
    """Add one source's record to the focused candidate's records (the first candidate unless a step
    moved on to another: a scenario can then show that a dossier rule joins its facts on the candidate)."""
    from cadre_rules.model.people import CandidateRecords
    builder = cadre_spec.builder  # the candidate the steps act on (another one after 以下情形针对另一名人选)
    records = next(c for c in builder.case.candidates if c.id == builder.candidate).records or CandidateRecords()
    value = entry if key == "cadre_identity" else [*getattr(records, key), entry]
    cadre_spec.builder.update_candidate(records=CandidateRecords.model_validate(
        {**records.model_dump(), key: value}))


@_steps(rf"{_SRC}记载该人选的(?P<item>{_zh(DATE_ITEMS)})为{D}(?:（最早记载于\s*(?P<recorded>{DATE})\s*）)?",
        rf"{_EN_SRC} records the candidate's (?P<item>{_en(DATE_ITEMS)}) as{EN_D}"
        rf"(?:\(first recorded on (?P<recorded>{EN_DATE})\))?")
def sourced_date(cadre_spec: SpecContext, source: str, item: str, d: str, recorded: str | None) -> None:
    _add_record(cadre_spec, DATE_ITEMS[item], {"source": RECORD_SOURCES[source], "value": day(d),
                                               "recorded": day(recorded) if recorded else None})


@_steps(rf"{_SRC}记载该人选{_DD}至\s*(?P<end>{DATE})\s*(?P<mode>{_zh(STUDY_MODES)})就读(?P<degree>{_zh(DEGREE_LEVELS)})",
        rf"{_EN_SRC} records (?P<mode>{_en(STUDY_MODES)}) (?P<degree>{_en(DEGREE_LEVELS)}) study from{_EN_DD}"
        rf"to\s*(?P<end>{EN_DATE})")
def sourced_study(cadre_spec: SpecContext, source: str, start: str, end: str, mode: str, degree: str) -> None:
    _add_record(cadre_spec, "education", {"source": RECORD_SOURCES[source], "degree": degree,
                                          "level": DEGREE_LEVELS[degree], "start": day(start), "end": day(end),
                                          "mode": STUDY_MODES[mode]})


@_steps(rf"{_SRC}记载该人选{_DD}(?:至\s*(?P<end>{DATE})\s*)?在{quoted('organisation')}任{quoted('post')}"
        rf"(?:（(?P<level>{_zh(LEVELS)})级）)?",
        rf"{_EN_SRC} records the candidate as {quoted('post')} at {quoted('organisation')} from{_EN_DD}"
        rf"(?:to\s*(?P<end>{EN_DATE})\s*)?(?:at (?P<level>{_en(LEVELS)}) level)?")
def sourced_post(cadre_spec: SpecContext, source: str, start: str, end: str | None, organisation: str, post: str,
                 level: str | None) -> None:
    _add_record(cadre_spec, "work_history", {"source": RECORD_SOURCES[source], "start": day(start),
                                             "end": day(end) if end else None, "organisation": organisation,
                                             "post": post, "level": LEVELS[level] if level else None})


@_steps(rf"该人选于{D}以{quoted('how')}取得干部身份", rf"the candidate acquired cadre status by {quoted('how')} on{EN_D}")
def cadre_identity(cadre_spec: SpecContext, d: str, how: str) -> None:
    _add_record(cadre_spec, "cadre_identity", {"how": how, "acquired": day(d)})


@_steps(rf"档案审核于{D}对该人选的(?P<item>{_zh(DOSSIER_ITEMS)})(?P<status>{_zh(REVIEW_STATES)})"
        rf"(?:，认定为\s*(?P<value>{DATE}))?",
        rf"the dossier review of{EN_D}left the candidate's (?P<item>{_en(DOSSIER_ITEMS)}) (?P<status>{_en(REVIEW_STATES)})"
        rf"(?: at (?P<value>{EN_DATE}))?")
def dossier_review(cadre_spec: SpecContext, d: str, item: str, status: str, value: str | None) -> None:
    _add_record(cadre_spec, "dossier_review", {"item": DOSSIER_ITEMS[item], "status": REVIEW_STATES[status],
                                               "date": day(d), "value": day(value) if value else None})


@_steps(rf"该人选的公民身份号码为\s*{quoted('number')}", rf"the candidate's identity number is {quoted('number')}")
def identity_number(cadre_spec: SpecContext, number: str) -> None:
    cadre_spec.builder.update_candidate(id_number=number)


# --- motion, post, prior reports, departure ---------------------------------------------------------------


@_steps("没有动议记录", "no motion is recorded")
def no_motion(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.no_motion()


@_steps("动议在会议当天才提出", "the motion is made on the day of the meeting")
def motion_same_day(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.motion_on(cadre_spec.builder.meeting_date)


@_steps("该人选在会上临时提出", "the candidate is raised ad hoc at the meeting")
def adhoc(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.item_added_at_meeting()


@_steps("议题未在会前印发", "the item is not circulated before the meeting")
def not_circulated(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.item_not_circulated()


@_steps(rf"该职位核定职数{N}名{C}现有\s*(?P<m>{NUMBER})\s*名在职",
        rf"the post has a quota of{EN_N}with (?P<m>\d+) in post")
def quota(cadre_spec: SpecContext, n: str, m: str) -> None:
    cadre_spec.builder.set_quota(number(n), number(m))


_ZH_MATTER = _zh(PRIOR_MATTERS)
_EN_MATTER = _en(PRIOR_MATTERS)


@_steps(rf"上级组织部门(?P<when>已于会前|于会后才|已?于{D})批复(?P<reply>同意|不同意)(?P<matter>{_ZH_MATTER})",
        rf"the superior department (?P<reply>approved|rejected) (?P<matter>{_EN_MATTER}) "
        rf"(?P<when>before the meeting|after the meeting|on{EN_D})")
def prior_report(cadre_spec: SpecContext, when: str, reply: str, matter: str, d: str | None) -> None:
    builder = cadre_spec.builder
    if d:
        reply_date = day(d)
    elif "会前" in when or "before" in when:
        reply_date = builder.meeting_date - 3 * DAY
    else:
        reply_date = builder.meeting_date + 3 * DAY
    builder.prior_report(PRIOR_MATTERS[matter], reply_date, Reply.words()[reply])


@_steps(rf"本次任用属于(?P<move>{_zh(MOVES)})",
        rf"the move is an? (?P<move>{_en(MOVES)})")
def move(cadre_spec: SpecContext, move: str) -> None:
    cadre_spec.builder.set_move(MOVES[move])


@_steps(rf"主要负责人离任已于会前明确(?:{C}继任者尚未到任)?",
        "the principal leader's departure was settled before the meeting")
def departure_before(cadre_spec: SpecContext) -> None:
    builder = cadre_spec.builder
    builder.leader_departure(builder.meeting_date - 5 * DAY, None)


@_steps("主要负责人离任于会后才明确", "the principal leader's departure was settled after the meeting")
def departure_after(cadre_spec: SpecContext) -> None:
    builder = cadre_spec.builder
    builder.leader_departure(builder.meeting_date + 5 * DAY, None)


@_steps(rf"主要负责人离任已于{D}明确", rf"the principal leader's departure was settled on{EN_D}")
def departure_on(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.leader_departure(day(d))


@_steps("继任者已于会前到任", "the successor took office before the meeting")
def successor_before(cadre_spec: SpecContext) -> None:
    builder = cadre_spec.builder
    builder.leader_departure(left=builder.meeting_date - DAY)


@_steps(rf"继任者于{D}到任", rf"the successor took office on{EN_D}")
def successor_on(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.leader_departure(left=day(d))


# --- recommendation -----------------------------------------------------------------------------------------


@_steps("没有进行民主推荐", "未经民主推荐", "there was no democratic recommendation")
def no_recommendation(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.no_recommendation()


@_steps(rf"该人选于{D}经(?P<form>{_zh(RECOMMENDATION_FORMS)})",
        rf"the candidate was recommended by (?P<form>{_en(RECOMMENDATION_FORMS)}) on{EN_D}")
def recommended_by(cadre_spec: SpecContext, d: str, form: str) -> None:
    """A round of one form on its own date, recommending only this candidate (with 没有进行民主推荐 first,
    each form's date can be set apart: e.g. talks before the meeting, the meeting round on its day)."""
    cadre_spec.builder.add_recommendation_round(RECOMMENDATION_FORMS[form], day(d))


_CANVASSING_SOURCES = {"信访核查": "petition", "考察": "inspection", "纪律审查": "discipline",
                       "a petition check": "petition", "the inspection": "inspection", "a discipline review": "discipline"}


@_steps(rf"(?P<after>会后)?经(?P<source>{_zh(_CANVASSING_SOURCES)})查实{C}有人在民主推荐中为(?P<whom>该人选|另一名人选)拉票",
        rf"(?P<after>after the meeting )?(?P<source>{_en(_CANVASSING_SOURCES)}) established canvassing for "
        rf"(?P<whom>the candidate|another person) in the recommendation")
def canvassing(cadre_spec: SpecContext, source: str, whom: str, after: str | None) -> None:
    cadre_spec.builder.add_canvassing(_CANVASSING_SOURCES[source], for_other=whom in ("另一名人选", "another person"),
                                      after_decision=bool(after))


@_steps("民主推荐只进行了会议推荐", "会议推荐时未进行个别谈话推荐",
        "the recommendation was by meeting only, without individual talks")
def meeting_only(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.without_individual_talks()


@_steps("民主推荐只进行了个别谈话推荐", "the recommendation was by individual talks only")
def talks_only(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.only_talk_recommendation()


@_steps("民主推荐在会议当天才进行", "the recommendation was held on the day of the meeting")
def recommendation_same_day(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.recommendation_on(cadre_spec.builder.meeting_date)


@_steps(rf"民主推荐于{D}进行", rf"the recommendation was held on{EN_D}")
def recommendation_on(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.recommendation_on(day(d))


@_steps(rf"民主推荐应参加\s*(?P<expected>{NUMBER})\s*人{C}实际参加\s*(?P<actual>{NUMBER})\s*人",
        r"the recommendation had (?P<actual>\d+) of (?P<expected>\d+) participants")
def recommendation_turnout(cadre_spec: SpecContext, expected: str, actual: str) -> None:
    cadre_spec.builder.recommendation_turnout(number(expected), number(actual))


@_steps(rf"该人选得推荐票{N}票", rf"the candidate received{EN_N}recommendation votes?")
def recommendation_votes(cadre_spec: SpecContext, n: str) -> None:
    cadre_spec.builder.recommendation_votes(number(n))


# --- inspection ---------------------------------------------------------------------------------------------

_ZH_CHECK = _zh(CHECKS)
_EN_CHECK = _en(CHECKS)


@_steps("没有进行考察", "the candidate was not inspected")
def no_inspection(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.no_inspection()


@_steps("考察尚未完成", "the inspection is not completed")
def inspection_incomplete(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.inspection_completed(None)


@_steps("考察在会议当天才完成", "the inspection was completed on the day of the meeting")
def inspection_same_day(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.inspection_completed(cadre_spec.builder.meeting_date)


@_steps(rf"考察于{D}开始", rf"the inspection started on{EN_D}")
def inspection_started(cadre_spec: SpecContext, d: str) -> None:
    """The inspection of the candidate the steps act on starts on this day (its other dates stay)."""
    cadre_spec.builder.update_inspection(start=day(d))


@_steps(rf"考察于{D}完成", rf"the inspection was completed on{EN_D}")
def inspection_on(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.inspection_completed(day(d))


@_steps(rf"考察组(?:只有|有|共有){N}人", rf"the inspection team has (?:only )?(?P<n>\d+) members?")
def team(cadre_spec: SpecContext, n: str) -> None:
    cadre_spec.builder.team_size(number(n))


@_steps(rf"未(?:进行)?(?P<check>{_ZH_CHECK})", rf"no (?P<check>{_EN_CHECK}) was done")
def check_missing(cadre_spec: SpecContext, check: str) -> None:
    cadre_spec.builder.check_missing(CHECKS[check])


@_steps(rf"(?P<check>{_ZH_CHECK})结论为(?P<outcome>{_zh(CHECK_OUTCOMES)})",
        rf"the (?P<check>{_EN_CHECK}) found (?P<outcome>{_en(CHECK_OUTCOMES)})")
def check_outcome(cadre_spec: SpecContext, check: str, outcome: str) -> None:
    cadre_spec.builder.check_done(CHECKS[check], outcome=CHECK_OUTCOMES[outcome])


@_steps(rf"(?P<check>{_ZH_CHECK})在会议当天才进行", rf"the (?P<check>{_EN_CHECK}) was done on the day of the meeting")
def check_same_day(cadre_spec: SpecContext, check: str) -> None:
    cadre_spec.builder.check_done(CHECKS[check], day=cadre_spec.builder.meeting_date)


@_steps(rf"(?P<check>{_ZH_CHECK})于{D}进行", rf"the (?P<check>{_EN_CHECK}) was done on{EN_D}")
def check_on(cadre_spec: SpecContext, check: str, d: str) -> None:
    cadre_spec.builder.check_done(CHECKS[check], day=day(d))


@_steps(rf"会前收到一件线索(?P<spec>具体|不具体)的信访举报{C}(?P<state>尚未查结|已于会前查结|会后才查结)",
        "a (?P<spec>specific|vague) complaint was received before the meeting and "
        "(?P<state>is still open|was closed before the meeting|was closed after the meeting)")
def petition(cadre_spec: SpecContext, spec: str, state: str) -> None:
    builder = cadre_spec.builder
    meeting = builder.meeting_date
    closed = {"尚未查结": None, "is still open": None, "已于会前查结": meeting - 2 * DAY,
              "was closed before the meeting": meeting - 2 * DAY}.get(state, meeting + 2 * DAY)
    builder.add_petition(meeting - 10 * DAY, spec in ("具体", "specific"), closed)


@_steps("没有廉洁自律结论性意见", "there is no integrity conclusion")
def no_integrity(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.integrity_conclusion(present=False)


@_steps("廉洁自律结论性意见未经(?P<who>党委（党组）书记|党委书记|党组书记|纪委书记|纪检监察组组长)签字",
        "the integrity conclusion is not signed by the (?P<who>secretary|discipline head)")
def integrity_unsigned(cadre_spec: SpecContext, who: str) -> None:
    discipline = who in ("纪委书记", "纪检监察组组长", "discipline head")
    cadre_spec.builder.integrity_conclusion(secretary=discipline, discipline_head=not discipline)


# --- publicity, notice, filing, open cases ---------------------------------------------------------------------


@_steps(rf"公示期间收到反映问题{C}(?P<state>经查影响任用|经查不影响任用|尚未查结)",
        "an objection was received during the publicity (?:that|and) "
        "(?P<state>affects the appointment|does not affect the appointment|is still open)")
def objection(cadre_spec: SpecContext, state: str) -> None:
    affects = state in ("经查影响任用", "affects the appointment")
    open_ = state in ("尚未查结", "is still open")
    cadre_spec.builder.add_objection(affects, resolved=not open_)


@_steps(rf"公示期为{D}至\s*(?P<e>{DATE})\s*", rf"(?:the )?publicity runs from{EN_D}to (?P<e>{EN_DATE})")
def publicity(cadre_spec: SpecContext, d: str, e: str) -> None:
    cadre_spec.builder.set_publicity(day(d), day(e))


@_steps(rf"公示于{D}开始{C}尚未结束", rf"(?:the )?publicity started on{EN_D}and has not ended")
def publicity_running(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.set_publicity(day(d), None)


@_steps("没有进行任前公示", "there was no publicity")
def no_publicity(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.no_publicity()


@_steps("公示在讨论决定之前进行", "the publicity was held before the decision")
def publicity_early(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.publicity_before_decision()


@_steps("任职通知在公示结束前发出", "the appointment notice was issued before the publicity ended")
def notice_early(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.notice_during_publicity()


@_steps(rf"任职通知于{D}发出", rf"the appointment notice was issued on{EN_D}")
def notice_on(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.set_notice_date(day(d))


@_steps(rf"报备日期为{D}", rf"于{D}报备", rf"the appointment was filed on{EN_D}")
def filed_on(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.set_filing_date(day(d))


@_steps("尚未报备", "the appointment has not been filed")
def not_filed(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.no_filing()


@_steps("该职位的任免不需要报备", "该职位不需要报备", "the post needs no filing")
def no_filing_needed(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.filing_required(False)


@_steps(rf"案例尚未办结{C}记录截至{D}", rf"the case is still open, recorded up to{EN_D}")
def open_case(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.set_open(day(d))


# --- moving the whole case; parameters of the rulebook ----------------------------------------------------


@_steps(rf"整体平移案例{C}使(?P<anchor>{_zh(ANCHORS)})于{D}(?:进行|提出|召开|开始|确定)",
        rf"the whole case is moved so that the (?P<anchor>{_en(ANCHORS)}) falls on{EN_D}")
def move_case(cadre_spec: SpecContext, anchor: str, d: str) -> None:
    cadre_spec.builder.move_case(ANCHORS[anchor], day(d))


_VALUE_WORDS = {"是": True, "否": False, "真": True, "假": False, "空": None}


@_steps(rf"(?:适用)?(?:规则)?参数\s*{R}\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*为\s*(?P<value>\S+)",
        rf"the parameter {R}\.(?P<name>[A-Za-z_][A-Za-z0-9_]*) is (?P<value>\S+)")
def parameter(cadre_spec: SpecContext, rule: str, name: str, value: str) -> None:
    """Judge by the current rulebook with a profile that sets this parameter (written to a temporary copy)."""
    parsed = _VALUE_WORDS[value] if value in _VALUE_WORDS else yaml.safe_load(value)
    cadre_spec.set_parameter(rule, name, parsed)


# --- the motion's own steps ------------------------------------------------------------------------------------


@_steps("没有分析研判记录", "动议前未进行分析研判", "no analysis was made before the motion")
def no_analysis(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.update_motion(analysis_date=None)


@_steps("分析研判在动议之后才进行", "the analysis was made after the motion")
def analysis_late(cadre_spec: SpecContext) -> None:
    builder = cadre_spec.builder
    builder.update_motion(analysis_date=builder.anchor_date("motion") + DAY)


@_steps(rf"分析研判于{D}进行", rf"the analysis was made on{EN_D}")
def analysis_on(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.update_motion(analysis_date=day(d))


@_steps(rf"动议于{D}报告主要负责人", rf"the motion was reported to the principal leader on{EN_D}")
def reported_on(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.update_motion(reported_to_principal=day(d))


@_steps(rf"动议的酝酿于{D}至\s*(?P<e>{DATE})\s*进行", rf"the motion was consulted on from{EN_D}to (?P<e>{EN_DATE})")
def motion_consultations(cadre_spec: SpecContext, d: str, e: str) -> None:
    cadre_spec.builder.update_motion(consultation_dates=sorted({day(d), day(e)}))


@_steps(rf"工作方案于{D}确定", rf"the work plan was fixed on{EN_D}")
def work_plan_on(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.update_motion(work_plan_date=day(d))


@_steps("动议未报告主要负责人", "the motion was not reported to the principal leader")
def not_reported(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.update_motion(reported_to_principal=None)


@_steps("没有确定工作方案", "未确定工作方案", "no work plan was fixed")
def no_work_plan(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.update_motion(work_plan_date=None)


@_steps("工作方案在民主推荐之后才确定", "the work plan was fixed after the recommendation")
def work_plan_late(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.work_plan_after_recommendation()


@_steps(rf"动议由(?P<who>{_zh(PROPOSERS)})提出", rf"the motion was made by (?P<who>{_en(PROPOSERS)})")
def proposer(cadre_spec: SpecContext, who: str) -> None:
    cadre_spec.builder.update_motion(proposer=PROPOSERS[who])


@_steps(rf"动议阶段提前核查发现(?P<kind>影响使用|不影响使用)的问题(?:{C}(?P<state>尚未查清|已经查清|已查清))?",
        r"early screening found an? (?P<kind>blocking|minor) problem(?: that (?P<state>is still open|was resolved))?")
def precheck(cadre_spec: SpecContext, kind: str, state: str | None) -> None:
    cadre_spec.builder.add_precheck(blocking=kind in ("影响使用", "blocking"),
                                    resolved=state in ("已经查清", "已查清", "was resolved"))


@_steps(rf"动议采用(?P<method>{_zh(SELECTION_METHODS)})方式(?:{C}(?:未说明理由|理由为\s*{quoted('reason')}))?",
        rf"the motion uses (?P<method>{_en(SELECTION_METHODS)})(?: with no reason| for the reason {quoted('reason')})?")
def selection_method(cadre_spec: SpecContext, method: str, reason: str | None) -> None:
    cadre_spec.builder.update_motion(method=SELECTION_METHODS[method], method_reason=reason)


@_steps(r"动议放宽了资格条件（(?P<what>[^）]+)）", r"the motion relaxed the eligibility \((?P<what>[^)]+)\)")
def relaxed_eligibility(cadre_spec: SpecContext, what: str) -> None:
    builder = cadre_spec.builder
    motion = builder.case.motion
    builder.update_motion(eligibility_relaxations=list(motion.eligibility_relaxations if motion else []) + [what])


@_steps(rf"(?P<matter>{_ZH_MATTER})未事先报经上级组织部门同意",
        rf"the (?P<matter>{_EN_MATTER}) was not approved in advance")
def no_prior_report(cadre_spec: SpecContext, matter: str) -> None:
    cadre_spec.builder.drop_prior_reports(PRIOR_MATTERS[matter])


# --- recommendation rounds, other persons, targets -----------------------------------------------------------


@_steps(rf"民主推荐先进行谈话调研推荐(?:{C}再进行会议推荐)?",
        "a talk-and-research recommendation precedes the recommendation meeting")
def talk_round(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.add_talk_round()


@_steps(rf"会议推荐(?:的)?参考人选(?:为|有)?{N}名", r"the recommendation meeting has (?P<n>\d+) reference names?")
def reference_list(cadre_spec: SpecContext, n: str) -> None:
    cadre_spec.builder.set_reference_list(number(n))


@_steps("又进行了二次会议推荐", "进行了二次会议推荐", "a second-round meeting recommendation was held")
def second_round(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.add_second_round()


@_steps(rf"本次拟任职数为{N}名", r"(?P<n>\d+) posts? (?:is|are) to be filled")
def posts_to_fill(cadre_spec: SpecContext, n: str) -> None:
    cadre_spec.builder.update_post(posts_to_fill=number(n))


@_steps(rf"本次集中调整干部{N}名", r"(?P<n>\d+) cadres are appointed in one batch")
def batch_size(cadre_spec: SpecContext, n: str) -> None:
    cadre_spec.builder.replace(batch_size=number(n))


@_steps("本次调整属于换届", "the appointments are part of a change of term")
def change_of_term(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.replace(change_of_term=True)


@_steps(rf"另有{N}名考察对象", r"there (?:is|are) (?P<n>\d+) more inspection targets?")
def more_targets(cadre_spec: SpecContext, n: str) -> None:
    cadre_spec.builder.add_targets(number(n))


@_steps(rf"(?P<who>{_zh(PARTICIPANTS)})未参加民主推荐", rf"(?:the )?(?P<who>{_en(PARTICIPANTS)}) did not take part in the recommendation")
def category_missing(cadre_spec: SpecContext, who: str) -> None:
    cadre_spec.builder.set_categories(PARTICIPANTS[who])


@_steps("规定范围的人员均参加了民主推荐", "every required category took part in the recommendation")
def categories_complete(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.set_categories(None)


@_steps(rf"另一名人选得推荐票{N}票", r"another person received (?P<n>\d+) recommendation votes?")
def rival(cadre_spec: SpecContext, n: str) -> None:
    cadre_spec.builder.add_rival(number(n))


@_steps(rf"有人以个人名义推荐该人选{C}(?P<signed>未署名|署名并提交了书面材料)",
        "someone nominated the candidate individually (?P<signed>without signing|in a signed letter)")
def nomination(cadre_spec: SpecContext, signed: str) -> None:
    cadre_spec.builder.add_nomination(signed in ("署名并提交了书面材料", "in a signed letter"))


@_steps(rf"考察对象于{D}确定", rf"the inspection targets were fixed on{EN_D}")
def targets_on(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.update_target_decision(date=day(d))


@_steps(rf"民主推荐在确定考察对象前{N}天进行", r"the recommendation was held (?P<n>\d+) days before the targets were fixed")
def recommendation_days_before(cadre_spec: SpecContext, n: str) -> None:
    builder = cadre_spec.builder
    builder.recommendation_on(builder.anchor_date("target") - number(n) * DAY)


# --- inspection: targets, steps, report, audit ---------------------------------------------------------------


@_steps("考察对象未经集体研究确定", "the targets were not fixed collectively")
def targets_not_collective(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.update_target_decision(collective=False)


@_steps(rf"推荐意见不集中{C}仍等额考察", "views were not concentrated, yet one target per post was inspected")
def views_scattered(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.update_target_decision(views_concentrated=False)


@_steps("确定考察对象时未说明理由", "no reason was recorded for the choice of targets")
def no_target_reason(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.update_target_decision(rationale=None)


@_steps(rf"确定考察对象的理由为\s*{quoted('reason')}", rf"the reason recorded for the targets is {quoted('reason')}")
def target_reason(cadre_spec: SpecContext, reason: str) -> None:
    cadre_spec.builder.update_target_decision(rationale=reason)


@_steps(rf"(?P<gap>{_zh(INSPECTION_GAPS)})", rf"(?P<gap>{_en(INSPECTION_GAPS)})")
def inspection_gap(cadre_spec: SpecContext, gap: str) -> None:
    what, name = INSPECTION_GAPS[gap]
    if what == "method":
        cadre_spec.builder.drop_method(name)
    else:
        cadre_spec.builder.update_inspection(**{name: None})


@_steps("考察预告在考察方案确定之前发布", "the inspection notice came before the plan")
def notice_before_plan(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.notice_before_plan()


@_steps("考察结果在讨论决定会议当天才经组织部门研究", "the department reviewed the inspection on the day of the meeting")
def review_same_day(cadre_spec: SpecContext) -> None:
    builder = cadre_spec.builder
    builder.update_inspection(department_review_date=builder.meeting_date)


@_steps("没有形成考察材料", "no inspection report was written")
def no_report(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.report_section_missing(None)


@_steps(rf"考察材料未写明(?P<section>{_zh(REPORT_SECTIONS)})",
        rf"the inspection report leaves out the (?P<section>{_en(REPORT_SECTIONS)})")
def report_gap(cadre_spec: SpecContext, section: str) -> None:
    cadre_spec.builder.report_section_missing(REPORT_SECTIONS[section])


@_steps("该职位须先进行经济责任审计", "the post requires an economic-responsibility audit first")
def audit_required(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.update_post(audit_required=True)


@_steps(rf"没有该人选(?P<kind>{_zh(ATTESTATIONS)})的书面(?:记录|确认)",
        rf"there is no record of the candidate's (?P<kind>{_en(ATTESTATIONS)})")
def no_attestation(cadre_spec: SpecContext, kind: str) -> None:
    cadre_spec.builder.drop_attestation(ATTESTATIONS[kind])


@_steps(rf"该人选(?P<kind>{_zh(ATTESTATIONS)})的书面(?:记录|确认)于{D}出具",
        rf"the record of the candidate's (?P<kind>{_en(ATTESTATIONS)}) is dated{EN_D}")
def attestation_on(cadre_spec: SpecContext, kind: str, d: str) -> None:
    cadre_spec.builder.attest(ATTESTATIONS[kind], day(d))


@_steps(rf"该人选\s*(?P<year>\d{{4}})\s*年度考核(?:为|被评为)\s*(?P<grade>{_zh(GRADES)})",
        rf"the candidate was appraised (?P<grade>{_en(GRADES)}) for (?P<year>\d{{4}})")
def appraisal(cadre_spec: SpecContext, year: str, grade: str) -> None:
    cadre_spec.builder.add_appraisal(int(year), GRADES[grade])


@_steps(rf"该人选(?P<flag>{_zh(CANDIDATE_FLAGS)})", rf"the candidate (?P<flag>{_en(CANDIDATE_FLAGS)})")
def candidate_flag(cadre_spec: SpecContext, flag: str) -> None:
    cadre_spec.builder.update_candidate(**{CANDIDATE_FLAGS[flag]: True})


@_steps("该职位为特殊岗位", "the post is a special post")
def special_post(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.update_post(special=True)


# --- qualifications ---------------------------------------------------------------------------------------


@_steps(rf"拟任职位为(?P<grade>{_zh(POST_GRADES)})", rf"the post to fill is an? (?P<grade>{_en(POST_GRADES)}) post")
def post_grade(cadre_spec: SpecContext, grade: str) -> None:
    cadre_spec.builder.post_grade(POST_GRADES[grade])


@_steps(rf"(?:该)?人选工龄为{N}年", r"the candidate has (?P<n>\d+) years? of work")
def work_years(cadre_spec: SpecContext, n: str) -> None:
    builder = cadre_spec.builder
    builder.update_candidate(work_start_date=builder.years_before_decision(number(n)))


@_steps(rf"(?:该)?人选基层工作经历为{N}年", r"the candidate has (?P<n>\d+) years? of grassroots work")
def grassroots_years(cadre_spec: SpecContext, n: str) -> None:
    cadre_spec.builder.set_grassroots_years(number(n))


@_steps(rf"(?:该)?人选在下一级(?:只)?任过{N}个职位", r"the candidate held (?P<n>\d+) posts? at the level below")
def lower_posts(cadre_spec: SpecContext, n: str) -> None:
    cadre_spec.builder.set_lower_level_posts(number(n))


@_steps(rf"该人选(?:的)?(?:最高)?学历为(?P<degree>{_zh(DEGREES)})",
        rf"the candidate's highest education is (?:an? )?(?P<degree>{_en(DEGREES)})")
def education(cadre_spec: SpecContext, degree: str) -> None:
    cadre_spec.builder.update_candidate(education=[Education(degree=DEGREES[degree])])


@_steps(rf"拟任职务为(?P<level>{_zh(COMMITTEE_LEVELS)})党委委员",
        rf"the post brings membership of a (?P<level>{_en(COMMITTEE_LEVELS)}) Party committee")
def party_post(cadre_spec: SpecContext, level: str) -> None:
    cadre_spec.builder.update_post(is_party_post=True, committee_level=COMMITTEE_LEVELS[level])


@_steps("拟任职务进入党委，但未记载党委层级", "the post brings membership of a Party committee of unrecorded level")
def party_post_level_unknown(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.update_post(is_party_post=True, committee_level=None)


@_steps(rf"拟任职务不进入党委，但记载了(?P<level>{_zh(COMMITTEE_LEVELS)})党委层级",
        rf"the post brings no Party committee membership but records a (?P<level>{_en(COMMITTEE_LEVELS)}) committee level")
def committee_level_without_party_post(cadre_spec: SpecContext, level: str) -> None:
    """A committee level recorded on a post that is no Party post (e.g. the level of the unit's committee):
    the Party-age rules must go by `is_party_post`, not by the level."""
    cadre_spec.builder.update_post(is_party_post=False, committee_level=COMMITTEE_LEVELS[level])


@_steps(rf"(?:该)?人选党龄为{N}年", r"the candidate has been a Party member for (?P<n>\d+) years?")
def party_years(cadre_spec: SpecContext, n: str) -> None:
    builder = cadre_spec.builder
    builder.update_candidate(party_join_date=builder.years_before_decision(number(n)))


@_steps(rf"该职位要求(?:具备)?法定任职资格\s*{quoted('what')}", rf"the post requires the statutory qualification {quoted('what')}")
def statutory_requirement(cadre_spec: SpecContext, what: str) -> None:
    builder = cadre_spec.builder
    builder.update_post(statutory_requirements=list(builder.case.post.statutory_requirements) + [what])


@_steps(rf"该人选具备(?:法定任职资格)?\s*{quoted('what')}", rf"the candidate holds {quoted('what')}")
def statutory_qualification(cadre_spec: SpecContext, what: str) -> None:
    builder = cadre_spec.builder
    held = builder.case.candidates[0].statutory_qualifications
    builder.update_candidate(statutory_qualifications=list(held) + [what])


@_steps(r"该人选近五年(?:累计)?培训\s*(?P<n>\d+)\s*学时", r"the candidate had (?P<n>\d+) training hours in the last five years")
def training(cadre_spec: SpecContext, n: str) -> None:
    cadre_spec.builder.set_training(int(n))


@_steps(r"该人选于\s*(?P<year>\d{4})\s*年(?:补足|参加)?培训\s*(?P<n>\d+)\s*学时",
        r"the candidate trained (?P<n>\d+) hours in (?P<year>\d{4})")
def training_in(cadre_spec: SpecContext, year: str, n: str) -> None:
    cadre_spec.builder.add_training(int(year), int(n))


# --- exceptional promotion (破格、越级) ----------------------------------------------------------------------

_BASES = BreakthroughBasis.words()  # 特别优秀 / 工作特殊需要 name the first ground of each kind


@_steps(rf"该人选经批准破格提拔(?:（(?P<basis>{_zh(_BASES)})）)?",
        rf"the candidate is promoted exceptionally with approval(?: \((?P<basis>{_en(_BASES)})\))?")
def approved_breakthrough(cadre_spec: SpecContext, basis: str | None) -> None:
    cadre_spec.builder.approved_breakthrough(_BASES[basis] if basis else "need_a")


@_steps("破格提拔没有记录规定情形", "the exceptional promotion records no listed ground")
def breakthrough_no_ground(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.update_breakthrough(basis=None)


@_steps("会上(?P<neg>未)?说明(?:了)?破格等报告事项及上级意见",
        "the reportable matters were (?P<neg>not )?explained at the meeting")
def reportable_explained(cadre_spec: SpecContext, neg: str | None) -> None:
    cadre_spec.builder.explain_reportable(not neg)


@_steps("公示(?:中)?(?P<neg>未)?说明(?:了)?破格情形", "the publicity (?P<neg>does not state|states) the exceptional ground")
def breakthrough_statement(cadre_spec: SpecContext, neg: str) -> None:
    cadre_spec.builder.breakthrough_statement(not neg or neg == "states")


@_steps(rf"该人选上次提拔任职于{D}(?P<tenure>{C}在任职年限上破格)?",
        rf"the candidate was last promoted on{EN_D}(?P<tenure>, by an exceptional promotion on time in level)?")
def last_promotion(cadre_spec: SpecContext, d: str, tenure: str | None) -> None:
    cadre_spec.builder.last_promotion(day(d), tenure_breakthrough=bool(tenure))


_QUALIFICATION_ITEMS = QualificationItem.words()


@_steps(rf"本次破格的事项为(?P<item>{_zh(_QUALIFICATION_ITEMS)})",
        rf"the exceptional promotion breaches (?P<item>{_en(_QUALIFICATION_ITEMS)})")
def breakthrough_item(cadre_spec: SpecContext, item: str) -> None:
    """Which basic qualification this 破格 breaches (after 该人选经批准破格提拔, which says 任职年限)."""
    cadre_spec.builder.update_breakthrough(items=[_QUALIFICATION_ITEMS[item]])


@_steps("该人选(?:尚)?在试用期内", "the candidate is still on probation")
def on_probation(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.on_probation()


# --- the decision meeting: presentation, consultation, vote, records ---------------------------------------


@_steps(rf"人选情况由(?P<who>{_zh(PRESENTERS)})介绍", rf"the candidate is presented by (?P<who>{_en(PRESENTERS)})")
def presenter(cadre_spec: SpecContext, who: str) -> None:
    cadre_spec.builder.presented_by(PRESENTERS[who])


@_steps("讨论决定前未进行酝酿", "there was no consultation before the decision")
def no_consultation(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.replace(consultations=[])


@_steps("该人选为非中共党员", "the candidate is not a Party member")
def non_party(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.update_candidate(party_member=False, party_join_date=None)


@_steps("会前已征求统战部门意见", "the united front department was consulted before the meeting")
def united_front(cadre_spec: SpecContext) -> None:
    builder = cadre_spec.builder
    builder.add_consultation("united_front", builder.meeting_date - 2 * DAY)


@_steps(rf"该职位实行双重管理{C}于{D}征求协管方意见",
        rf"the post is under dual management and the co-managing side was consulted on{EN_D}")
def dual_management(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.update_post(dual_management=DualManagement(co_side="市财政局党组", consult_sent=day(d)))


@_steps(rf"协管方于{D}回复同意", rf"the co-managing side agreed on{EN_D}")
def dual_reply(cadre_spec: SpecContext, d: str) -> None:
    builder = cadre_spec.builder
    dual = builder.case.post.dual_management
    if dual is None:
        raise AssertionError("该职位没有实行双重管理 (say first that the post is under dual management)")
    builder.update_post(dual_management=dual.model_copy(update={"reply_date": day(d)}))


@_steps("对多名人选一揽子表决", "several candidates are voted on together")
def bundled_vote(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.bundled_vote()


@_steps(rf"无记名投票结果为同意{N}票(?:(?:、|{C})不同意\s*(?P<no>{NUMBER})\s*票)?(?:(?:、|{C})弃权\s*(?P<abstain>{NUMBER})\s*票)?",
        rf"the secret ballot is{EN_N}in favour(?:, (?P<no>\d+) against)?(?:, (?P<abstain>\d+) abstaining)?")
def secret_ballot(cadre_spec: SpecContext, n: str, no: str | None, abstain: str | None) -> None:
    cadre_spec.builder.secret_ballot(number(n), number(no) if no else None, number(abstain) if abstain else 0)


@_steps(rf"该事项为复议{C}同意复议的成员有{N}人", r"the item is reconsidered with (?P<n>\d+) members consenting")
def reconsideration(cadre_spec: SpecContext, n: str) -> None:
    cadre_spec.builder.set_reconsideration(number(n))


@_steps("该职位为市县党政正职", "the post is a city or county chief post")
def city_county_chief(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.update_post(city_county_chief=True)


@_steps(rf"闭会期间由常委会紧急决定(?:{C}(?P<consulted>已|未)征求全委会成员意见)?",
        "the standing committee decides urgently between plenums(?:, (?P<consulted>after|without) consulting the plenum members)?")
def urgent_decision(cadre_spec: SpecContext, consulted: str | None) -> None:
    cadre_spec.builder.urgent_between_plenums(consulted in ("已", "after"))


@_steps("常委会决定前已征求全委会成员意见，但不属闭会期间的紧急情况",
        "the standing committee consulted the plenum members, though not urgently between plenums")
def consulted_not_urgent(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.urgent_between_plenums(True, urgent=False)


@_steps(rf"另一名人选由(?P<kind>{_zh(MEETING_KINDS)})(?P<method>{_zh(VOTE_METHODS)})决定任用",
        rf"another candidate is appointed by an? (?P<kind>{_en(MEETING_KINDS)}) by (?P<method>{_en(VOTE_METHODS)})")
def other_candidate_decided(cadre_spec: SpecContext, kind: str, method: str) -> None:
    cadre_spec.builder.decide_other_candidate(MEETING_KINDS[kind], VOTE_METHODS[method])


@_steps(rf"会议没有形成(?P<what>{_zh(RECORDS)})", rf"the meeting kept no (?P<what>{_en(RECORDS)})")
def no_record(cadre_spec: SpecContext, what: str) -> None:
    cadre_spec.builder.set_records(**{RECORDS[what]: False})


@_steps(rf"讨论记录未经(?P<who>{_zh(SIGNERS)})签字", rf"the discussion record is not signed by the (?P<who>{_en(SIGNERS)})")
def record_unsigned(cadre_spec: SpecContext, who: str) -> None:
    cadre_spec.builder.set_records(**{SIGNERS[who]: False})


# --- relatives, avoidance, submissions ----------------------------------------------------------------------


@_steps(rf"该人选的(?P<kind>{_ZH_KIN})任本单位主要负责人", rf"the candidate's (?P<kind>{_EN_KIN}) heads the unit")
def relative_heads_unit(cadre_spec: SpecContext, kind: str) -> None:
    cadre_spec.builder.add_colleague(KINSHIPS[kind], "本单位党组书记", leads_organ=True)


_COLLEAGUE_LINES = {
    "与该职位为直接上下级关系": {"direct_line": True}, "与该职位由同一名领导分管": {"same_supervisor": True},
    "与该职位无直接上下级关系": {},
    "in a direct line with the post": {"direct_line": True}, "under the same leader as the post": {"same_supervisor": True},
    "with no direct line to the post": {},
}


@_steps(rf"该人选的(?P<kind>{_ZH_KIN})在本单位任职{C}(?P<line>{_zh(_COLLEAGUE_LINES)})",
        rf"the candidate's (?P<kind>{_EN_KIN}) works in the unit (?P<line>{_en(_COLLEAGUE_LINES)})")
def relative_in_unit(cadre_spec: SpecContext, kind: str, line: str) -> None:
    cadre_spec.builder.add_colleague(KINSHIPS[kind], "本单位科室负责人", **_COLLEAGUE_LINES[line])


@_steps(rf"该职位从事(?P<function>{_zh(FUNCTIONS)})工作", rf"the post works in (?P<function>{_en(FUNCTIONS)})")
def post_function(cadre_spec: SpecContext, function: str) -> None:
    cadre_spec.builder.update_post(function=FUNCTIONS[function])


@_steps(rf"该人选的(?P<who>{_zh(BUSINESS_RELATIVES)})经商办企业{C}(?P<reg>受该职位监管|不受该职位监管)",
        rf"the candidate's (?P<who>{_en(BUSINESS_RELATIVES)}) runs a business (?P<reg>regulated by the post|not regulated by the post)")
def relative_business(cadre_spec: SpecContext, who: str, reg: str) -> None:
    cadre_spec.builder.add_relative_business(BUSINESS_RELATIVES[who], reg in ("受该职位监管", "regulated by the post"))


_LOCALITIES = {"county": "清溪县", "prefecture": "江州市"}


@_steps(rf"该职位为(?P<level>{_zh(AVOIDANCE_LEVELS)})级党政正职{C}须实行地域回避",
        rf"the post is a (?P<level>{_en(AVOIDANCE_LEVELS)})-level chief post under home-place avoidance")
def geographic_avoidance(cadre_spec: SpecContext, level: str) -> None:
    code = AVOIDANCE_LEVELS[level]
    cadre_spec.builder.update_post(avoidance_level=code, locality=_LOCALITIES[code])


@_steps("该人选(?:在)?(?P<where>本地|外地)成长", "the candidate grew up (?P<where>locally|elsewhere)")
def growth_place(cadre_spec: SpecContext, where: str) -> None:
    builder = cadre_spec.builder
    here = builder.case.post.locality or "清溪县"
    builder.update_candidate(growth_place=here if where in ("本地", "locally") else "外地")


@_steps("该职位由上级党委管理", "the post is managed by the superior committee")
def managed_elsewhere(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.update_post(managed_by="江州市委常委会")


@_steps(rf"会后报上级审批{C}上级于{D}批复(?P<result>同意|不同意)",
        rf"the decision was submitted for approval and the superior (?P<result>approved|rejected) it on{EN_D}")
def submission(cadre_spec: SpecContext, d: str, result: str) -> None:
    cadre_spec.builder.submission(day(d), Reply.words()[result])


@_steps(rf"报上级审批的材料缺少(?P<doc>{_zh(SUBMISSION_DOC_WORDS)})",
        rf"the submission lacks the (?P<doc>{_en(SUBMISSION_DOC_WORDS)})")
def submission_gap(cadre_spec: SpecContext, doc: str) -> None:
    builder = cadre_spec.builder
    sub = builder.case.submission
    if sub is None:
        raise AssertionError("没有报上级审批 (say first that the decision was submitted for approval)")
    builder.update_submission(docs=[x for x in sub.docs if x != SUBMISSION_DOC_WORDS[doc]])


@_steps("报上级审批在讨论决定之前", "the submission was sent before the decision")
def submission_early(cadre_spec: SpecContext) -> None:
    builder = cadre_spec.builder
    builder.update_submission(date=builder.meeting_date - DAY)


# --- appointment: probation, talk, tenure ---------------------------------------------------------------------


@_steps("该职位实行任职试用期", "the post carries a probation")
def probation_post(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.update_post(probation=True)


@_steps(rf"试用期为{D}至\s*(?P<e>{DATE})\s*", rf"the probation runs from{EN_D}to (?P<e>{EN_DATE})")
def probation(cadre_spec: SpecContext, d: str, e: str) -> None:
    cadre_spec.builder.set_probation(day(d), day(e))


@_steps(rf"试用期满后于{D}考核合格", rf"the probation was assessed on{EN_D}")
def probation_assessed(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.probation_assessed(day(d))


@_steps("未进行任职谈话", "no appointment talk was held")
def no_talk(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.talk_on(None)


@_steps(rf"任职谈话于{D}进行", rf"the appointment talk was held on{EN_D}")
def talk_on(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.talk_on(day(d))


@_steps(rf"任职时间记为{D}", rf"the tenure start is recorded as{EN_D}")
def tenure_start(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.update_notice(tenure_start=day(d))


@_steps("任职时间(?:从|自)(?P<start>任职通知|党委（党组）决定)之日起计算",
        "the tenure is counted from the (?P<start>notice|decision)")
def tenure_from(cadre_spec: SpecContext, start: str) -> None:
    builder = cadre_spec.builder
    builder.update_notice(tenure_start=builder.notice.date if start in ("任职通知", "notice") else builder.meeting_date)


@_steps(rf"案例记录截至{D}", rf"the record is complete up to{EN_D}")
def record_until(cadre_spec: SpecContext, d: str) -> None:
    """A closed case whose record is complete up to this date (later deadlines can be judged)."""
    cadre_spec.builder.replace(as_of=day(d))


@_steps("以下情形针对另一名考察对象", "the following concerns another inspection target")
def other_target(cadre_spec: SpecContext) -> None:
    """Another inspection target, inspected alike but not decided on: the next steps concern them."""
    cadre_spec.builder.focus_on_other(inspected=True)


@_steps("以下情形针对另一名人选", "the following concerns another candidate")
def other_candidate(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.focus_on_other(inspected=False)


# --- dates at the edge: on the meeting day, on the same day ----------------------------------------------


@_steps("廉洁自律结论性意见在会议当天才形成", "the integrity conclusion was written on the day of the meeting")
def integrity_same_day(cadre_spec: SpecContext) -> None:
    builder = cadre_spec.builder
    builder.integrity_conclusion(present=True)
    conclusion = builder.inspection.integrity_conclusion.model_copy(update={"date": builder.meeting_date})
    builder.update_inspection(integrity_conclusion=conclusion)


@_steps(rf"于{D}收到一件线索具体的信访举报(?:{C}于\s*(?P<e>{DATE})\s*查结)?",
        rf"a specific petition was received on{EN_D}(?:and closed on (?P<e>{EN_DATE}))?")
def petition_on(cadre_spec: SpecContext, d: str, e: str | None) -> None:
    cadre_spec.builder.add_petition(day(d), True, day(e) if e else None)


@_steps("讨论决定前的酝酿在会议当天才进行", "the consultation was held on the day of the meeting")
def consultation_same_day(cadre_spec: SpecContext) -> None:
    builder = cadre_spec.builder
    builder.replace(consultations=[c.model_copy(update={"date": builder.meeting_date}) for c in builder.case.consultations])


@_steps("统战部门意见在会议当天才征求", "the united front department was consulted on the day of the meeting")
def united_front_same_day(cadre_spec: SpecContext) -> None:
    builder = cadre_spec.builder
    builder.add_consultation("united_front", builder.meeting_date)


@_steps(rf"报上级审批于{D}报送", rf"the submission was sent on{EN_D}")
def submission_sent(cadre_spec: SpecContext, d: str) -> None:
    cadre_spec.builder.update_submission(date=day(d))


@_steps("考察结果未经组织部门研究", "the department never reviewed the inspection")
def no_department_review(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.update_inspection(department_review_date=None)


@_steps("该职位所在地未记载", "the post's locality is not recorded")
def post_locality_unknown(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.update_post(locality=None)


@_steps(r"该职位所在地为(?P<place>\S+)", r"the post is located in (?P<place>\S+)")
def post_locality(cadre_spec: SpecContext, place: str) -> None:
    """Where the post is, without home-place avoidance (which `须实行地域回避` adds)."""
    cadre_spec.builder.update_post(locality=place)


@_steps("考察预告与考察方案在同一天", "the inspection notice came on the day the plan was fixed")
def notice_with_plan(cadre_spec: SpecContext) -> None:
    builder = cadre_spec.builder
    builder.update_inspection(notice_date=builder.inspection.plan_date)


# --- expectations ----------------------------------------------------------------------------------------------


@_thens(rf"应当发现违规\s*{R}", rf"violation {R} should be found", rf"the rule {R} should be violated")
def expect_violated(cadre_spec: SpecContext, rule: str) -> None:
    cadre_spec.expect_violated(rule)


@_thens(rf"应当发现警告\s*{R}", rf"warning {R} should be found")
def expect_warning(cadre_spec: SpecContext, rule: str) -> None:
    cadre_spec.expect_violated(rule, "warning")


@_thens(rf"不应发现违规\s*{R}", rf"violation {R} should not be found", rf"the rule {R} should not be violated")
def expect_not_violated(cadre_spec: SpecContext, rule: str) -> None:
    cadre_spec.expect_not_violated(rule)


@_thens("不应发现任何违规", "no violation should be found")
def expect_clean(cadre_spec: SpecContext) -> None:
    cadre_spec.expect_no_violations()


@_thens("不应有任何发现", "there should be no findings")
def expect_nothing(cadre_spec: SpecContext) -> None:
    cadre_spec.expect_no_findings()


@_thens(rf"只应发现违规\s*(?P<rules>{RULE_LIST})", rf"only (?:the )?violations? (?P<rules>{EN_RULE_LIST}) should be found")
def expect_only(cadre_spec: SpecContext, rules: str) -> None:
    cadre_spec.expect_only_violated(rule_ids(rules))


@_thens(rf"{R}\s*应当(?P<verdict>违规|待定|无法判断)", rf"{R} should be (?P<verdict>violated|pending|unknown)")
def expect_verdict(cadre_spec: SpecContext, rule: str, verdict: str) -> None:
    cadre_spec.expect_verdict(rule, VERDICT_WORDS[verdict])


@_thens(rf"(?:{R}\s*的|该违规的)严重性为\s*(?P<severity>{alternatives(SEVERITY_WORDS)})",
        rf"(?:the severity should be|{R} should have severity) (?P<severity>violation|warning|info)")
def expect_severity(cadre_spec: SpecContext, severity: str, rule: str | None = None) -> None:
    cadre_spec.expect_severity(SEVERITY_WORDS[severity], rule)


@_thens(rf"(?:{R}\s*)?依据的版本为\s*(?P<edition>\S+)", rf"(?:{R} should cite|the cited edition should be) (?:the )?(?P<edition>\S+?)(?: edition)?")
def expect_edition(cadre_spec: SpecContext, edition: str, rule: str | None) -> None:
    cadre_spec.expect_edition(edition, rule)


@_thens(rf"(?:{R}\s*)?(?P<neg>不)?同时依据\s*(?P<edition>\S+)",
        rf"(?:{R} )?should (?P<neg>not )?also cite (?:the )?(?P<edition>\S+?) edition")
def expect_also_cited(cadre_spec: SpecContext, edition: str, neg: str | None, rule: str | None = None) -> None:
    """Another instrument in force beside the governing citation (e.g. a companion opinion)."""
    cadre_spec.expect_also_cited(edition, rule, cited=not neg)


@_thens(rf"(?:{R}\s*)?依据的条款为第\s*(?P<article>[^\s条]+)\s*条", rf"the cited article should be (?P<article>\S+)")
def expect_article(cadre_spec: SpecContext, article: str, rule: str | None = None) -> None:
    cadre_spec.expect_article(article, rule)


_ROLE_WORDS = AccountableRole.words()
_ZH_ROLES = "|".join(sorted((re.escape(m.zh) for m in AccountableRole), key=len, reverse=True))
_EN_ROLES = "|".join(sorted((re.escape(m.en) for m in AccountableRole), key=len, reverse=True))


@_thens(rf"(?:{R}\s*)?的?责任人应包括\s*(?P<role>{_ZH_ROLES})\s*[，,]\s*(?:依据第\s*(?P<article>[^\s条]+)\s*条|(?P<none>条文未定位))",
        rf"(?:{R} )?should hold (?:the )?(?P<role>{_EN_ROLES}) accountable (?:under article (?P<article>\S+)|with (?P<none>no) article located)")
def expect_accountable(cadre_spec: SpecContext, role: str, rule: str | None = None, article: str | None = None,
                       none: str | None = None) -> None:
    """Who answers for the breach (rules/accountability.yaml), and under which article."""
    cadre_spec.expect_accountable(_ROLE_WORDS[role].value, None if none else article, rule)


@_thens(rf"(?:{R}\s*)?的?责任追究(?:应依据\s*(?P<edition>\S+)|(?P<none>无所依据))",
        rf"(?:{R} )?(?:accountability should follow the (?P<edition>\S+) instrument|should carry (?P<none>no) accountability)")
def expect_accountability_instrument(cadre_spec: SpecContext, rule: str | None = None, edition: str | None = None,
                                     none: str | None = None) -> None:
    """The accountability instrument in force on the act's date (or none, before 2010-03-01)."""
    cadre_spec.expect_accountability_instrument(None if none is not None else edition, rule)


@_thens(rf"(?:违规)?说明应当包含\s*{quoted('text')}", rf"the message should mention {quoted('text')}")
def expect_text(cadre_spec: SpecContext, text: str) -> None:
    cadre_spec.expect_text(text)


@_thens(rf"公示期应计{N}个工作日", rf"the publicity should count{EN_N}working days")
def expect_working_days(cadre_spec: SpecContext, n: str) -> None:
    actual = cadre_spec.publicity_working_days()
    if actual != number(n):
        raise AssertionError(f"公示期应计 {number(n)} 个工作日，实为 {actual} 个 (expected {number(n)} working days, counted {actual})")


# --- the organisation register: cross-case rules (docs/register.md) --------------------------------------------
# A register scenario describes units, posts, holders and leaders, and several cases of a unit (each the
# compliant baseline, moved to its date); the cross-case rules judge them together.

U = quoted("unit")
P = quoted("post")
K = quoted("case")
X = quoted("person")


def _register(cadre_spec: SpecContext) -> "RegisterSpec":
    """The scenario's organisation register and the cases of its units, kept beside its SpecContext (so
    that the steps need no other fixture and run in-process too, bdd/inprocess.py)."""
    from cadre_rules.bdd.register import register_spec

    return register_spec(cadre_spec)


def _d2(text: str | None) -> Any:
    return day(text) if text else None


@_steps(rf"台账截至{D}", rf"the register is complete to{EN_D}")
def register_as_of(cadre_spec: SpecContext, d: str) -> None:
    _register(cadre_spec).as_of = day(d)


@_steps(rf"单位\s*{U}\s*的主要领导于{D}明确离任(?:{C}继任者于\s*(?P<e>{DATE})\s*到任)?",
        rf"the departure of the principal leader of {U} is settled on{EN_D}(?:, the successor taking office on (?P<e>{EN_DATE}))?")
def register_departure(cadre_spec: SpecContext, unit: str, d: str, e: str | None = None) -> None:
    _register(cadre_spec).departure(unit, day(d), _d2(e))


@_steps(rf"单位\s*{U}\s*于{D}决定机构变动(?:{C}于\s*(?P<e>{DATE})\s*完成)?",
        rf"{U} decides a restructuring on{EN_D}(?:, completed on (?P<e>{EN_DATE}))?")
def register_restructuring(cadre_spec: SpecContext, unit: str, d: str, e: str | None = None) -> None:
    _register(cadre_spec).restructuring(unit, day(d), _d2(e))


@_steps(rf"单位\s*{U}\s*的职位\s*{P}\s*自{D}起核定职数{N}名",
        rf"the post {P} of {U} has an approved number of{EN_N}from{EN_D}")
def register_quota(cadre_spec: SpecContext, unit: str, post: str, d: str, n: str) -> None:
    _register(cadre_spec).quota(unit, post, day(d), number(n))


@_steps(rf"职位\s*{P}\s*自{D}起已有{N}人在职", rf"the post {P} has{EN_N}holders? since{EN_D}")
def register_holders(cadre_spec: SpecContext, post: str, d: str, n: str) -> None:
    _register(cadre_spec).holders(post, number(n), day(d))


@_steps(rf"{X}\s*自{D}起担任单位\s*{U}\s*的(?P<leading>领导成员)?职位\s*{P}",
        rf"{X} holds the (?P<leading>leading member )?post {P} of {U} since{EN_D}")
def register_holding(cadre_spec: SpecContext, person: str, d: str, unit: str, post: str,
                     leading: str | None = None) -> None:
    _register(cadre_spec).holding(person, unit, post, day(d), bool(leading))


@_steps(rf"{X}\s*为(?P<sex>男性|女性)，生于{D}", rf"{X} is a (?P<sex>man|woman) born on{EN_D}")
def register_birth(cadre_spec: SpecContext, person: str, sex: str, d: str) -> None:
    _register(cadre_spec).person(person).update({"gender": "男" if sex in ("男性", "man") else "女", "birth_date": day(d)})


@_steps(rf"{X}\s*自{D}起任现职级", rf"{X} has held the present level since{EN_D}")
def register_level(cadre_spec: SpecContext, person: str, d: str) -> None:
    _register(cadre_spec).person(person).update({"level": "division_deputy", "level_since": day(d)})


@_steps(rf"单位\s*{U}\s*的合规案例\s*{K}\s*于{D}讨论决定(?:任用到职位\s*{P})?",
        rf"a compliant case {K} of {U} is decided on{EN_D}(?: for the post {P})?")
def register_case(cadre_spec: SpecContext, unit: str, case: str, d: str, post: str | None = None) -> None:
    _register(cadre_spec).case(case, unit, day(d), post)


@_steps(rf"案例\s*{K}\s*的任职通知于{D}发出", rf"the appointment notice of case {K} is issued on{EN_D}")
def register_case_notice(cadre_spec: SpecContext, case: str, d: str) -> None:
    _register(cadre_spec).notice(case, day(d))


@_steps(rf"案例\s*{K}\s*事先报告(?P<matter>离任期间任用|超职数配备)并获上级同意",
        rf"case {K} reported the (?P<matter>departure-window appointment|over-quota staffing) beforehand and the superior approved")
def register_case_report(cadre_spec: SpecContext, case: str, matter: str) -> None:
    _register(cadre_spec).prior_report(case, "leader_departure" if matter in ("离任期间任用", "departure-window appointment")
                                else "over_quota")


@_thens("各案例单独审查均无违规", "each case alone should have no violation")
def expect_cases_regular(cadre_spec: SpecContext) -> None:
    found = _register(cadre_spec).case_violations()
    if found:
        raise AssertionError(f"单独审查发现违规 (violations case by case): {found}")


@_thens(rf"应当发现跨案卷(?P<kind>违规|提醒|提示)\s*{R}(?:{C}列明案例\s*(?P<cases>.+))?",
        rf"the cross-case (?P<kind>violation|warning|note) {R} should be found(?: naming the cases (?P<cases>.+))?")
def expect_cross_case(cadre_spec: SpecContext, kind: str, rule: str, cases: str | None = None) -> None:
    severity = {"违规": "violation", "提醒": "warning", "提示": "info", "violation": "violation", "warning": "warning",
                "note": "info"}[kind]
    found = [f for f in _register(cadre_spec).findings(rule) if f.verdict == "violated"]
    if len(found) != 1 or found[0].severity != severity:
        raise AssertionError(f"应有一项跨案卷{kind} {rule}，实有：{_register(cadre_spec).listing()} "
                             f"(expected one {severity} {rule})")
    if cases:
        named = re.findall(r"[\"“「]([^\"”」]+)[\"”」]", cases)
        others = [c for c in _register(cadre_spec).builders if c not in named]
        message = found[0].message["zh"]
        missing = [c for c in named if c not in message]
        extra = [c for c in others if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", message)]
        if missing or extra:
            raise AssertionError(f"{rule} 应列明 {named}，未列明 {missing}，多列 {extra}：{message}")


@_thens(rf"跨案卷违规\s*{R}\s*的日期应为{D}", rf"the cross-case violation {R} should be dated{EN_D}")
def expect_cross_case_date(cadre_spec: SpecContext, rule: str, d: str) -> None:
    dates = [f.act_date for f in _register(cadre_spec).findings(rule)]
    if dates != [day(d).isoformat()]:
        raise AssertionError(f"{rule} 应只在 {day(d)} 发现一次，实为 {dates} (expected once, on {day(d)})")


@_thens(rf"跨案卷规则\s*{R}\s*依据的版本应为\s*(?P<edition>\S+)",
        rf"the cross-case finding {R} should cite the (?P<edition>\S+?) edition")
def expect_cross_case_edition(cadre_spec: SpecContext, rule: str, edition: str) -> None:
    """The edition a cross-case finding cites first (which instrument governs on its act date)."""
    cited = [f.edition for f in _register(cadre_spec).findings(rule)]
    if not cited or any(e != edition for e in cited):
        raise AssertionError(f"{rule} 应依据 {edition}，实为 {cited or '（无发现 none）'} (expected to cite {edition})")


@_thens(rf"不应发现跨案卷规则\s*{R}", rf"the cross-case rule {R} should not be found")
def expect_no_cross_case_rule(cadre_spec: SpecContext, rule: str) -> None:
    if _register(cadre_spec).findings(rule):
        raise AssertionError(f"不应发现 {rule}：{_register(cadre_spec).listing()}")


@_thens("不应有跨案卷发现", "there should be no cross-case findings")
def expect_no_cross_case(cadre_spec: SpecContext) -> None:
    if _register(cadre_spec).findings():
        raise AssertionError(f"不应有跨案卷发现 (expected none)：{_register(cadre_spec).listing()}")


# --- supervision: the two reviews (两评议) and team structure (班子结构), docs/reviews.md, docs/team-structure.md ---

T = rf"(?P<threshold>{RULE_ID})"
_OPT = r"(?:、不了解{u}票)?(?:、废票{x}张)?"
_PCT = r"\s*(?P<pct>\d+(?:\.\d)?)\s*%"
_MEASURES = {"满意率（含基本满意）": "favourable", "不满意率": "dissatisfied", "认可率（含基本认可）": "favourable",
             "不认可率": "disapprove", "favourable": "favourable", "dissatisfied": "dissatisfied",
             "disapprove": "disapprove"}
_EDUCATION = {**{e.zh: e.value for e in EducationLevel}, **{e.value: e.value for e in EducationLevel}}
_STATUS = {"达到": "met", "未达到": "not_met", "无法判断": "unknown", "met": "met", "not met": "not_met",
           "unknown": "unknown"}


def _supervision(cadre_spec: SpecContext) -> "SupervisionSpec":
    """The scenario's ballots and team targets, kept beside its SpecContext (bdd/supervision.py)."""
    from cadre_rules.bdd.supervision import supervision_spec

    return supervision_spec(cadre_spec)


_DIGITS = r"\d+"


def _n(name: str, zh: bool = True) -> str:
    """A number group named `name`: Chinese texts take 9 or 九, English ones digits."""
    return rf"\s*(?P<{name}>{NUMBER if zh else _DIGITS})\s*"


def _ballots(options: tuple[Any, Any, Any, Any], a: str, b: str, c: str, u: str | None,
             x: str | None) -> tuple[dict, int]:
    """The counts of a form's options (favourable, basically, against, unknown) and the spoilt forms."""
    first, second, third, unknown = (o.value for o in options)
    counts = {first: number(a), second: number(b), third: number(c), unknown: number(u) if u else 0}
    return counts, number(x) if x else 0


@_steps(rf"选人用人工作民主评议：满意{_n('a')}票、基本满意{_n('b')}票、不满意{_n('c')}票"
        + _OPT.format(u=_n("u"), x=_n("x")),
        rf"the work review counts{_n('a', False)}satisfied,{_n('b', False)}basically satisfied,{_n('c', False)}dissatisfied"
        rf"(?:,{_n('u', False)}unknown)?(?:,{_n('x', False)}spoilt)?")
def review_work(cadre_spec: SpecContext, a: str, b: str, c: str, u: str | None = None, x: str | None = None) -> None:
    counts, invalid = _ballots((WorkOption.satisfied, WorkOption.basically_satisfied, WorkOption.dissatisfied,
                                WorkOption.unknown), a, b, c, u, x)
    _supervision(cadre_spec).work = {**counts, "invalid": invalid}


@_steps(rf"新选拔任用干部\s*{X}\s*民主评议：认可{_n('a')}票、基本认可{_n('b')}票、不认可{_n('c')}票"
        + _OPT.format(u=_n("u"), x=_n("x")),
        rf"the review of the new appointee {X} counts{_n('a', False)}approve,{_n('b', False)}basically approve,"
        rf"{_n('c', False)}disapprove(?:,{_n('u', False)}unknown)?(?:,{_n('x', False)}spoilt)?")
def review_appointee(cadre_spec: SpecContext, person: str, a: str, b: str, c: str, u: str | None = None,
                     x: str | None = None) -> None:
    counts, invalid = _ballots((AppointeeOption.approve, AppointeeOption.basically_approve,
                                AppointeeOption.disapprove, AppointeeOption.unknown), a, b, c, u, x)
    _supervision(cadre_spec).appointees[person] = {**counts, "invalid": invalid}


@_thens(rf"应当提示两评议阈值\s*{T}(?:（新选拔任用干部\s*{X}）)?",
        rf"the review threshold {T} should be crossed(?: for the new appointee {X})?")
def expect_review_flag(cadre_spec: SpecContext, threshold: str, person: str | None = None) -> None:
    state = _supervision(cadre_spec)
    if threshold not in {t.id for t in cadre_spec.rulebook.review_thresholds}:
        raise AssertionError(f"规则库没有两评议阈值 {threshold} (no such review threshold)")
    if threshold not in state.flagged(person):
        raise AssertionError(f"应提示 {threshold}，实际：{state.listing()} (expected {threshold} to be crossed)")


@_thens(rf"不应提示两评议阈值\s*{T}(?:（新选拔任用干部\s*{X}）)?",
        rf"the review threshold {T} should not be crossed(?: for the new appointee {X})?")
def expect_no_review_flag(cadre_spec: SpecContext, threshold: str, person: str | None = None) -> None:
    state = _supervision(cadre_spec)
    if threshold not in {t.id for t in cadre_spec.rulebook.review_thresholds}:
        raise AssertionError(f"规则库没有两评议阈值 {threshold} (no such review threshold)")
    if threshold in state.flagged(person):
        raise AssertionError(f"不应提示 {threshold}，实际：{state.listing()} (expected {threshold} not to be crossed)")


@_thens(rf"(?:选人用人工作|新选拔任用干部\s*{X}\s*)的(?P<measure>满意率（含基本满意）|不满意率|认可率（含基本认可）|不认可率)应为{_PCT}",
        rf"the (?P<measure>favourable|dissatisfied|disapprove) rate of (?:the work|the new appointee {X}) should be{_PCT}")
def expect_review_rate(cadre_spec: SpecContext, measure: str, pct: str, person: str | None = None) -> None:
    from cadre_rules.facts.reviews import percent

    shown = percent(_supervision(cadre_spec).tally(person).rate(_MEASURES[measure]))
    if shown != f"{pct}%":
        raise AssertionError(f"{measure} 应为 {pct}%，实为 {shown}")


_MEMBERS = r"(?P<members>[\"“「][^\"”」]+[\"”」](?:\s*(?:、|,|，|and)\s*[\"“「][^\"”」]+[\"”」])*)"


@_steps(rf"班子成员\s*{_MEMBERS}\s*(?:均)?为(?P<sex>男性|女性)(?:{C}生于{D})?(?:{C}学历为(?P<edu>{alternatives({k: k for k in _EDUCATION if not k.isascii()})}))?"
        rf"(?:{C}专业为\s*{quoted('specialty')})?",
        rf"the members? {_MEMBERS} (?:is|are) (?:a )?(?P<sex>man|woman|men|women)(?:, born on{EN_D})?"
        rf"(?:, with (?P<edu>{'|'.join(e.value for e in EducationLevel)}) education)?(?:, specialty {quoted('specialty')})?")
def team_members(cadre_spec: SpecContext, members: str, sex: str, d: str | None = None, edu: str | None = None,
                 specialty: str | None = None) -> None:
    ids = re.findall(r"[\"“「]([^\"”」]+)[\"”」]", members)
    _supervision(cadre_spec).describe_members(ids, "female" if sex in ("女性", "woman", "women") else "male",
                                              day(d) if d else None, _EDUCATION[edu] if edu else None, specialty)


@_steps(rf"班子结构统计截至{D}", rf"the team structure is taken on{EN_D}")
def team_reference_date(cadre_spec: SpecContext, d: str) -> None:
    _supervision(cadre_spec).ref = day(d)


@_steps(rf"班子结构目标：女干部至少{N}名", rf"the team target: at least{EN_N}wom[ae]n")
def team_target_women(cadre_spec: SpecContext, n: str) -> None:
    _supervision(cadre_spec).add_target(min_women=number(n))


@_steps(rf"班子结构目标：{_n('age')}岁及以下至少{N}名", rf"the team target: at least{EN_N}members? aged{_n('age', False)}or younger")
def team_target_young(cadre_spec: SpecContext, age: str, n: str) -> None:
    _supervision(cadre_spec).add_target(young={"age": number(age), "count": number(n)})


@_steps(rf"班子结构目标：平均年龄不超过{N}岁", rf"the team target: an average age of at most{EN_N}")
def team_target_average(cadre_spec: SpecContext, n: str) -> None:
    _supervision(cadre_spec).add_target(max_average_age=number(n))


@_steps(rf"班子结构目标：(?P<edu>{alternatives({k: k for k in _EDUCATION if not k.isascii()})})及以上学历不少于{_PCT}",
        rf"the team target: at least{_PCT} with (?P<edu>{'|'.join(e.value for e in EducationLevel)}) education or higher")
def team_target_education(cadre_spec: SpecContext, edu: str, pct: str) -> None:
    _supervision(cadre_spec).add_target(education={"level": _EDUCATION[edu], "share": float(pct) / 100})


@_steps(rf"班子结构目标：专业门类至少{N}类", rf"the team target: at least{EN_N}specialt(?:y|ies)")
def team_target_specialties(cadre_spec: SpecContext, n: str) -> None:
    _supervision(cadre_spec).add_target(min_specialties=number(n))


@_thens(rf"班子结构目标\s*{quoted('target')}\s*应当(?P<status>达到|未达到|无法判断)(?:{C}实际为\s*{quoted('actual')})?",
        rf"the team target {quoted('target')} should be (?P<status>met|not met|unknown)(?:, actually {quoted('actual')})?")
def expect_team_target(cadre_spec: SpecContext, target: str, status: str, actual: str | None = None) -> None:
    check = _supervision(cadre_spec).check(target)
    if check.status != _STATUS[status] or (actual is not None and check.actual != actual):
        raise AssertionError(f"班子结构目标“{check.label}”（{check.wanted}）应为{status}"
                             f"{f'，实际 {actual}' if actual else ''}；实为 {check.status}，实际 {check.actual}")


__all__ = ["FEATURE_FILE", "SpecContext"]
