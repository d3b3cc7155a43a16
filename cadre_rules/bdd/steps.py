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

from ..model import Outcome
from .builder import DAY, CaseBuilder
from .context import AuditorCache, SpecContext
from .vocabulary import (
    BODY_KINDS,
    CHECK_OUTCOMES,
    CHECKS,
    DATE,
    KINSHIPS,
    LEVELS,
    MEETING_KINDS,
    MOVES,
    NUMBER,
    PRIOR_MATTERS,
    RULE_ID,
    RULE_LIST,
    SANCTION_SYSTEMS,
    SCENARIO_CLASSES,
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


@_steps("主要负责人缺席", "主要负责人未到会", "the principal leader is absent")
def principal_absent(cadre_spec: SpecContext) -> None:
    cadre_spec.builder.principal_absent()


@_steps(rf"有{N}名到会成员表示(?P<view>同意|不同意|缓议)", rf"有{N}名到会成员(?P<view>未明确表态)",
        rf"(?P<n>\d+) members? present (?P<view>agrees?|disagrees?|defers?|states? no clear view)")
def members_view(cadre_spec: SpecContext, n: str, view: str) -> None:
    word = view if view in VIEWS else view.replace("states", "state").rstrip("s")
    cadre_spec.builder.members_state(number(n), VIEWS[word])


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
    cadre_spec.builder.add_sanction(SANCTION_SYSTEMS[system], kind, day(d), int(months) if months else None)


@_steps(rf"该职位为(?P<level>{_zh(LEVELS)})级", rf"the post is at (?P<level>{_en(LEVELS)}) level")
def post_level(cadre_spec: SpecContext, level: str) -> None:
    cadre_spec.builder.set_post_level(LEVELS[level])


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
    builder.prior_report(PRIOR_MATTERS[matter], reply_date, "approved" if reply in ("同意", "approved") else "rejected")


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


@_thens(rf"(?:{R}\s*)?依据的版本为\s*(?P<edition>\S+)", rf"(?:{R} should cite|the cited edition should be) (?:the )?(?P<edition>\S+?)(?: edition)?")
def expect_edition(cadre_spec: SpecContext, edition: str, rule: str | None) -> None:
    cadre_spec.expect_edition(edition, rule)


@_thens(rf"(?:{R}\s*)?依据的条款为第\s*(?P<article>[^\s条]+)\s*条", rf"the cited article should be (?P<article>\S+)")
def expect_article(cadre_spec: SpecContext, article: str, rule: str | None = None) -> None:
    cadre_spec.expect_article(article, rule)


@_thens(rf"(?:违规)?说明应当包含\s*{quoted('text')}", rf"the message should mention {quoted('text')}")
def expect_text(cadre_spec: SpecContext, text: str) -> None:
    cadre_spec.expect_text(text)


@_thens(rf"公示期应计{N}个工作日", rf"the publicity should count{EN_N}working days")
def expect_working_days(cadre_spec: SpecContext, n: str) -> None:
    actual = cadre_spec.publicity_working_days()
    if actual != number(n):
        raise AssertionError(f"公示期应计 {number(n)} 个工作日，实为 {actual} 个 (expected {number(n)} working days, counted {actual})")


__all__ = ["FEATURE_FILE", "SpecContext"]
