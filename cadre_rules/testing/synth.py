"""Seeded synthetic selection cases, compliant by construction, with optionally injected violations.

Why this exists: benchmarks and detection tests need many varied, *valid* cases whose expected verdicts
are known in advance. Every case is first built compliant with every rule of the national rulebook —
with the complete records a clean case needs (motion steps, recommendation rounds, inspection steps and
report, the four musts, consultations, meeting records, attestations, talks) and no finding at all,
warnings and informational findings included; then, with probability `violation_rate`, 1–3 rules are
chosen and each rule's breaker (cadre_rules.testing.breakers) breaks exactly that rule. The chosen rule
ids are recorded in `meta.injected_violations` (the way each was broken in `meta.injection_variants`),
so an auditor is correct on a case exactly when the set of rule ids it finds violated equals that list.
A rule the profile switches off (parameter `applies` false) is never injected (`NOT_INJECTED`).

Design points, each for a reason:

* Determinism. Case `i` of seed `s` is drawn from its own `random.Random` seeded with the string
  "cadre-rules-synth:{s}:{i}" (string seeds are hashed with SHA-512, stable across runs and Python
  versions). So the same arguments give byte-identical output, and case `i` does not depend on how many
  cases are asked for. Neither the global `random` nor the clock is used.
* A plan first. The injected rules' breakers fix the case's shape before anything is drawn (`_plan`,
  from `breakers.injection`): the move, the setting, a chief or deputy post, one candidate or two, talks
  before a meeting recommendation, a reconsideration meeting.
* Windows in force from the rulebook. A rule can only be violated by an act on a date it is in force, so
  the plan fixes the earliest motion date from the injected rules' `effective` dates; a rule with a
  closed window (`meeting_in_window`) puts the decision meeting inside it, and clean cases stay out of
  it. Clean cases follow the editions too (no four-musts record before the 2016 opinion, the principal
  sometimes speaks first before the 2019 text) because a compliant case of its time looked like that.
* Exact arithmetic. Quorum and adoption are checked as `present*3 >= 2*N` and `yes*2 > N`, the vote is
  derived from the recorded views (or, where a rule needs it, a ballot that differs from them), full
  years count by anniversary (`facts.periods`), and working days come from `facts.calendar` (holidays
  and make-up working days), never from weekday arithmetic.
* No collisions. Breakers run in their registration order, each building what it needs and keeping
  the other rules' conditions intact; the meetings' views are settled after them, and the records that
  follow the final notice dates (talks, probation, submissions) are drawn next, before the `late`
  breakers. Rule sets that no case can carry are never drawn (`compatible`); a combination that the
  drawn case cannot support is redrawn from the same generator, which keeps the output deterministic.
* Variety. Clean cases carry the compliant variations of a real corpus (`_variety`): approved 破格,
  old sanctions with the reuse approved, co-managed posts, posts managed by the superior with their
  submission, nominations, early checks, competitive selection, resolved publicity objections, relatives
  outside the avoidance lines, probation, audits, reconsiderations, changes of term, non-CPC candidates.
  A breaker switches off the variations it rebuilds (`rebuilds`).

No rule id is written here: everything rule-specific is in the breakers or the rulebook.
"""
from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, TextIO

from cadre_rules.codes import BreakthroughBasis, MoveKind
from cadre_rules.facts import calendar
from cadre_rules.facts.periods import add_months, anniversary, full_months
from cadre_rules.testing import records
from cadre_rules.testing.applicability import applicability, edition_start
from cadre_rules.testing.breakers import BREAKERS, compatible, injectable, injection, window_of
from cadre_rules.testing.draft import (CATEGORIES, COUNTIES, KINSHIPS_IN_SCOPE, SUBMISSION_DOCS, Draft, DraftItem,
                                       DraftMeeting, Redraw, approved_breakthrough, draw_working_day)

__all__ = ["FOUR_MUSTS_FROM", "LAST_SPEAKER_FROM", "NOT_INJECTED", "RULE_IDS", "VERSION_WINDOW", "compatible",
           "generate", "generate_case", "write_cases", "write_jsonl"]

#: The rules that can be injected (national profile), in the order their breakers run.
RULE_IDS: tuple[str, ...] = injectable()
#: Rules of the rulebook that the national profile switches off, so no national case can violate them.
NOT_INJECTED: tuple[str, ...] = tuple(r for r, a in applicability().items() if not a.switched_on)
#: The four musts (2016 opinion) and the 2019 text (the principal speaks last, analysis, prechecks).
FOUR_MUSTS_FROM = edition_start("2016-opinion")
LAST_SPEAKER_FROM = edition_start("2019")
#: The closed window of the rule on the open effective date of the 2019 text: clean meetings stay out.
VERSION_WINDOW: tuple[date, date] = window_of("meeting_in_window")  # type: ignore[assignment]

# Motions are drawn in this range; a whole case spans at most about five months, so every act stays
# inside the holiday data (2004–2026). Injections that stretch a case (a stale recommendation, a
# record kept beyond the first year in office) end their motions earlier.
FIRST_MOTION = date(2015, 1, 5)
LAST_MOTION = date(2026, 6, 30)
_KIND_WEIGHTS = {"county": 40, "city": 25, "city_bureau": 20, "province_dept": 15}

_MAX_ATTEMPTS = 200

# --- small Chinese vocabularies ------------------------------------------------------------------

_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
             "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万严武戴孔汤")
_GIVEN = "建国文华海燕志强晓梅庆立新春兰永明丽萍卫东俊杰辉红军秀英桂芳玉德胜振宏伟娟雪刚平少勇爱民静怡涵浩然思远鸣嘉欣磊敏洁超斌霞琳鹏飞颖婷亮峰涛"
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
_LEVELS = ("section_deputy", "section_chief", "division_deputy", "division_chief")
_PROPOSERS = ("organisation_department", "organisation_department", "committee", "principal_leader")
_BREW_VIEWS = ("同意提交会议讨论", "无不同意见", "原则同意")
_RATIONALES = ("推荐意见集中，等额考察", "综合推荐得票和一贯表现，经集体研究确定", "人岗相适，经集体研究确定",
               "差额考察，择优确定")
_METHODS = ("opinion_forms", "evaluation", "interview", "site_visit")
_STRENGTHS = ("政治立场坚定，熟悉业务，工作实绩突出", "作风扎实，善于统筹协调，推进重点工作成效明显",
              "综合素质好，群众基础扎实，担当意识强")
_WEAKNESSES = ("统筹全局工作的经验有待丰富", "工作方法有时不够灵活", "理论学习的系统性有待加强")
_BREAKTHROUGH_BASES = BreakthroughBasis.values()


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
                  inject: Iterable[str] | None = None, profile: str = "national") -> dict[str, Any]:
    """Case `index` of the corpus of `seed`: independent of the corpus size, same every time.

    `inject` asks for exactly these violations instead of drawing them (a compatible set of the rules
    injectable in `profile`: with a provincial profile, rules it switches on can be asked for too; drawn
    violations always come from the national RULE_IDS, so the corpus does not depend on the profile)."""
    rng = random.Random(f"cadre-rules-synth:{seed}:{index}")
    rules: frozenset[str] = frozenset()
    if inject is not None:
        rules = frozenset(inject)
        unknown = rules - set(injectable(profile))
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
            draft.profile = profile
            chosen = [b for b in BREAKERS.values() if b.rule_id in rules]
            for b in chosen:
                if not b.late:
                    draft.variants[b.rule_id] = b.apply(draft)
            _settle_meetings(draft)
            _finalize(draft)
            for b in chosen:
                if b.late:
                    draft.variants[b.rule_id] = b.apply(draft)
        except (Redraw, calendar.OutsideCalendar):  # the plan cannot be carried or dated: draw again
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


def write_jsonl(path: str | Path, n: int, seed: int, violation_rate: float) -> int:
    """Write `n` cases to `path`, one JSON object per line (UTF-8, "\\n"); return the number written."""
    with Path(path).open("w", encoding="utf-8", newline="\n") as out:
        return write_cases(out, n, seed, violation_rate)


def write_cases(out: TextIO, n: int, seed: int, violation_rate: float) -> int:
    """Write `n` cases to an open text handle, one JSON object per line; return the number written.
    Why a handle: the command line writes through a temporary file renamed into place when complete."""
    written = 0
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
    county, city, bureau = rng.choice(COUNTIES), rng.choice(_CITIES), rng.choice(_BUREAUS)
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
    inj = injection(rules)
    if inj.moves == ("promotion",):
        move = "promotion"
    elif inj.moves is not None:
        move = rng.choices(("promotion", "further_use"), weights=(85, 15))[0]
    else:
        move = rng.choices(("promotion", "further_use", "lateral_transfer"), weights=(75, 14, 11))[0]
    kinds = tuple(k for k in _KIND_WEIGHTS if inj.settings is None or k in inj.settings)
    # A target with the fewest votes needs another one; so does an unrecommended candidate whose case is
    # judged on its recommendations too.
    need_two = "two_candidates" in inj.needs or (
        "unrecommended_candidate" in inj.needs and sum("recommendation" in BREAKERS[r].needs for r in rules) > 1)
    shape = rng.choices(("single", "two_seats", "differential"), weights=(70, 15, 15))[0]
    if {"unpublicised_seat", "publicity"} <= inj.needs:  # one adopted candidate unpublicised, one not
        shape = "two_seats"
    elif need_two and shape == "single":
        shape = rng.choice(("two_seats", "differential"))
    if shape == "differential" and move == "lateral_transfer":
        shape = "two_seats" if need_two else "single"
    chief = shape != "two_seats" and rng.random() < 0.7
    if inj.post == "chief":
        chief = True
        if shape == "two_seats":
            shape = "differential" if need_two else "single"
    if inj.post == "deputy":
        chief = False
    two_rounds = "two_rounds" in inj.needs or rng.random() < 0.2
    reconsider = "reconsideration" in inj.needs or (rng.random() < 0.02 and "reconsideration" not in inj.rebuilds)
    return _Plan(move, shape, chief, kinds, two_rounds, reconsider)


def _schedule(rng: random.Random, rules: frozenset[str], plan: _Plan) -> dict[str, date]:
    """Every date up to the decision, as one chain of working-day steps from the motion.

    Being one chain, the plan can be anchored at either end: at the motion (drawn in the window the
    injected rules allow) or at the meeting (inside a rule's closed window, `meeting_in_window`).
    """
    steps = [("reported", rng.choice((0, 1, 1, 2))), ("consult1", rng.randint(1, 3))]
    if rng.random() < 0.6:
        steps.append(("consult2", rng.randint(1, 3)))
    steps += [("work_plan", rng.randint(1, 4)), ("round1", rng.randint(2, 10))]
    if plan.two_rounds:
        steps.append(("round2", rng.randint(3, 8)))
    inj = injection(rules)
    # A recommendation more than a year old: some 270+ working days pass before the targets.
    steps += [("target", rng.randint(270, 310) if "stale_recommendation" in inj.needs else rng.randint(1, 5)),
              ("plan", rng.randint(0, 2)), ("unit_consultation", rng.randint(1, 2)), ("notice", rng.randint(0, 1)),
              ("start", rng.randint(0, 2)), ("done", rng.randint(6, 15)), ("review", rng.randint(1, 3)),
              ("brew1", rng.randint(0, 2)), ("brew2", rng.randint(0, 2)), ("meeting", rng.randint(1, 5))]
    in_window = inj.window is not None
    if inj.window is not None:
        motion = calendar.add_working_days(draw_working_day(rng, *inj.window), -sum(k for _, k in steps))
    else:
        earliest = max(FIRST_MOTION, inj.earliest or FIRST_MOTION)
        latest = min(LAST_MOTION, inj.latest or LAST_MOTION)
        motion = calendar.working_day_on_or_after(earliest + timedelta(days=rng.randrange((latest - earliest).days + 1)))
    if plan.reconsider:
        steps.append(("reconsideration", rng.randint(2, 8)))
    dates = {"motion": motion, "analysis": calendar.add_working_days(motion, -rng.randint(1, 10))}
    day = motion
    for name, k in steps:
        day = calendar.add_working_days(day, k)
        if name in ("meeting", "reconsideration") and not in_window:
            while VERSION_WINDOW[0] <= day <= VERSION_WINDOW[1]:  # keep clean meetings out of the closed window
                day = calendar.add_working_days(day, 1)
        dates[name] = day
    return dates


def _build(rng: random.Random, rules: frozenset[str], seed: int, index: int) -> Draft:
    """A fully compliant case (the plan's move and date window respected), before any breaker runs."""
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
    roles = {principal: ["principal_leader"], org_lead: ["organisation_lead"], discipline: ["discipline_official"]}
    for mid in member_ids:
        members.append(records.member(mid, names(), roles.get(mid)))

    # Candidates (those inspected), and for a talk-then-meeting recommendation further reference names,
    # so that the meeting is offered more names than posts.
    cand_ids = [f"c{i}" for i in range(1, n_candidates + 1)]
    current_level = target_level if move != "promotion" else (
        _LEVELS[_LEVELS.index(target_level) - 1] if _LEVELS.index(target_level) > 0 else None)
    candidates = [_candidate(rng, names, cid, setting, target_level, current_level, dates, decided) for cid in cand_ids]
    if rng.random() < 0.05 and "non_party" not in injection(rules).rebuilds:
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
        prior_reports.append(records.prior_report("pr-quota", "over_quota", submitted,
                                                  calendar.add_working_days(submitted, rng.randint(1, 4)), "approved"))
    post: dict[str, Any] = {
        "id": "post-1", "title": setting.chief_title if plan.chief else setting.deputy_title, "unit": setting.post_unit,
        "level": target_level, "quota": quota, "incumbents": incumbents, "posts_to_fill": posts_to_fill}
    if move == "promotion" and rng.random() < 0.25:
        post["probation"] = True  # a one-year probation, assessed at its end
    audit = plan.chief and rng.random() < 0.15 and "audit" not in injection(rules).rebuilds
    if audit:
        post["audit_required"] = True

    needs_rec = "recommendation" in injection(rules).needs
    recommendations = _recommendations(rng, dates, cand_ids + ref_ids, move, needs_rec)
    inspectors = [names() for _ in range(rng.randint(2, 4))]
    concentrated = n_candidates <= posts_to_fill or rng.random() < 0.5
    inspections = [_inspection(rng, f"i{k + 1}", cid, inspectors, dates, setting, concentrated, audit)
                   for k, cid in enumerate(cand_ids)]

    meetings = [_draft_meeting(rng, rules, "mt1", "decision", member_ids, principal, org_lead, discipline, cand_ids,
                               adopted, meeting_date)]

    # Publicity (promotion and further use), the appointment notice and the filing.
    publicity, appointments, filings = [], [], []
    filing_required = "filing_omitted" in injection(rules).rebuilds or rng.random() < 0.9
    filing_offset: dict[str, int] = {}
    year_no = rng.randint(3, 60)
    for k, cid in enumerate(adopted):
        if move in ("promotion", "further_use"):
            start = calendar.add_working_days(decided, rng.randint(1, 3))
            end = calendar.add_working_days(start, rng.randint(5, 7) - 1)
            if rng.random() < 0.3:  # notices often run to the weekend ("X月X日至Y月Y日")
                while not calendar.is_working_day(end + timedelta(days=1)) and (end - start).days < 12:
                    end += timedelta(days=1)
            publicity.append(records.publicity(f"p{k + 1}", cid, start, end, setting.channel))
            notice = calendar.add_working_days(end, rng.randint(1, 5))
        else:
            notice = calendar.add_working_days(decided, rng.randint(1, 6))
        appointments.append(records.appointment_notice(f"n{k + 1}", cid, notice,
                                                       f"{setting.abbrev}〔{notice.year}〕{year_no + k}号"))
        filing_offset[cid] = rng.randint(1, 7)
        if filing_required or rng.random() < 0.5:
            filings.append(records.filing(f"f{k + 1}", cid, calendar.add_working_days(notice, filing_offset[cid]),
                                          setting.superior))
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
            prior_reports.append(records.prior_report("pr-leave", "leader_departure", submitted,
                                                      calendar.add_working_days(submitted, rng.randint(1, 3)), "approved"))

    # Motion, consultations before the meeting and the attestations the qualification rules ask for.
    motion: dict[str, Any] = {"date": dates["motion"], "proposer": rng.choice(_PROPOSERS)}
    if dates["motion"] >= edition_start("2019") or rng.random() < 0.6:
        motion["analysis_date"] = dates["analysis"]
    motion["reported_to_principal"] = dates["reported"]
    motion["consultation_dates"] = [dates[k] for k in ("consult1", "consult2") if k in dates]
    motion["work_plan_date"] = dates["work_plan"]
    motion["intended_candidates"] = list(cand_ids)
    consultations = [records.consultation("leaders", dates["brew1"], rng.choice(_BREW_VIEWS)),
                     records.consultation("superior_leader", dates["brew2"], "无不同意见")]
    if any(not c.get("party_member", True) for c in candidates):
        consultations.append(records.consultation("united_front", dates["brew1"], "同意，无不同意见"))
    attestations = []
    for c in cand_ids:
        attestations.append(records.attestation("health", c, draw_working_day(rng, dates["start"], dates["done"]), "体检结论"))
        attestations.append(records.attestation("basic_conditions", c, dates["done"], "考察组（考察材料）"))

    move_zh = MoveKind(move).zh
    case: dict[str, Any] = {
        "id": f"synth-{seed}-{index:06d}",
        "title": f"{post['title']}{move_zh}（合成案例）",
        "organisation": setting.organisation,
        "jurisdiction": "national",
        "status": "closed",
        "move": move,
        "body": records.body("body-1", setting.body_name, setting.body_kind, members),
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
    draft = Draft(rng, rules, case, meetings, principal, org_lead, discipline, cand_ids, adopted, filing_offset,
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


# Until the 2019 text, a recommendation needs both the meeting and the individual talks (REC-REQUIRED).
_BOTH_FORMS_UNTIL = date(2019, 3, 3)


def _recommendations(rng: random.Random, dates: dict[str, date], ranked: list[str], move: str,
                     needed: bool) -> list[dict[str, Any]]:
    if move == "lateral_transfer" and not needed and rng.random() < 0.5:
        return []  # a same-level transfer does not need a democratic recommendation
    days = [dates["round1"]] + ([dates["round2"]] if "round2" in dates else [])
    forms = ["talk", "meeting"] if len(days) == 2 else [rng.choice(("meeting", "meeting", "talk"))]
    if len(days) == 1 and forms[0] == "talk" and days[0] < _BOTH_FORMS_UNTIL:
        forms = ["meeting"]  # before the 2019 text a lone talk round is not a complete recommendation
    rounds = []
    for k, (day, form) in enumerate(zip(days, forms)):
        expected = rng.randint(25, 90) if form == "meeting" else rng.randint(10, 30)
        actual = expected - rng.randint(0, expected // 10)
        results, share = [], rng.uniform(0.55, 0.9)
        for cid in ranked:
            results.append(records.recommendation_result(cid, int(actual * share)))
            share *= rng.uniform(0.3, 0.8)
        required = list(CATEGORIES[:rng.randint(2, len(CATEGORIES))]) if rng.random() < 0.4 else None
        rounds.append(records.recommendation(
            f"r{k + 1}", form, day, participants_expected=expected, participants_actual=actual,
            # talks at the same sitting: both forms (REC-REQUIRED, 2002/2014 texts)
            individual_talks=True if form == "meeting" and len(days) == 1 else None,
            required_categories=required, participant_categories=list(required) if required else None,
            # the meeting after the talks is offered reference names, more than the posts (差额)
            reference_list=list(ranked) if k > 0 else None, results=results))
    return rounds


def _inspection(rng: random.Random, iid: str, cid: str, inspectors: list[str], dates: dict[str, date],
                setting: _Setting, concentrated: bool, audit: bool) -> dict[str, Any]:
    """A complete inspection: targets fixed collectively, plan, consultation with the unit, notice, the
    required methods, feedback, the report, the department's review and the four musts (only the
    discipline opinion before 2016-08)."""
    start, done = dates["start"], dates["done"]
    meeting = dates.get("reconsideration", dates["meeting"])  # the four musts bind every deciding meeting
    days = sorted(draw_working_day(rng, start, done) for _ in range(6))
    team = [records.team_member(inspectors[0], "leader")] + [records.team_member(n, "member") for n in inspectors[1:]]

    def check(day: date) -> dict[str, Any]:
        if rng.random() < 0.1:
            return records.check(day, "resolved", rng.choice(_RESOLVED_NOTES))
        return records.check(day)

    target = records.target_decision(setting.target_body, dates["target"], True, concentrated, rng.choice(_RATIONALES))
    methods = ["individual_talk"] + [m for m in _METHODS if rng.random() < 0.7] + ["file_review"]
    report = records.inspection_report(done, rng.choice(_STRENGTHS), rng.choice(_WEAKNESSES), "推荐得票位次靠前",
                                       "民主测评称职以上票占95%以上")
    four_musts = meeting >= FOUR_MUSTS_FROM or rng.random() < 0.3
    file_review = check(days[0]) if four_musts else None
    personal_matters = check(days[1]) if four_musts else None
    discipline_opinion = check(days[2])
    petitions = []
    roll = rng.random()
    if roll < 0.12:  # a specific complaint, investigated and closed before the meeting
        received = calendar.add_working_days(done, -rng.randint(4, 9))
        petitions.append(records.petition("q1", received, True, calendar.add_working_days(received, rng.randint(1, 3)),
                                          "经核查，反映问题不属实"))
    elif roll < 0.18:  # an anonymous complaint without checkable leads
        petitions.append(records.petition("q1", calendar.add_working_days(done, -rng.randint(1, 9)), False))
    elif roll < 0.21 and meeting < FOUR_MUSTS_FROM:  # before the four musts, an open complaint was not a bar
        petitions.append(records.petition("q1", calendar.add_working_days(done, -rng.randint(1, 9)), True))
    economic_audit = check(draw_working_day(rng, calendar.add_working_days(start, -20), days[4])) if audit else None
    return records.inspection(
        iid, cid, team, target_decision=target, plan_date=dates["plan"],
        unit_consultation_date=dates["unit_consultation"], notice_date=dates["notice"], methods=methods,
        feedback_date=days[5], start=start, completed=done, department_review_date=dates["review"], report=report,
        file_review=file_review, personal_matters=personal_matters, discipline_opinion=discipline_opinion,
        petition_check=records.check(days[3]) if four_musts else None, petitions=petitions,
        integrity_conclusion=records.integrity_conclusion(days[4]) if four_musts else None,
        economic_audit=economic_audit)


def _draft_meeting(rng: random.Random, rules: frozenset[str], mid: str, kind: str, member_ids: list[str],
                   principal: str, org_lead: str, discipline: str, cand_ids: list[str], adopted: list[str], day: date,
                   relations: list[dict[str, Any]] | None = None) -> DraftMeeting:
    """Attendance with a lawful quorum; items in candidate order; the views are settled later.

    A reconsideration (`relations` given) recuses every member related to the candidate within the scope."""
    size = len(member_ids)
    min_present = -(-2 * size // 3)
    absent_max = size - min_present
    absent_n = min(absent_max, rng.choices((0, 1, 2, 3, 4, 5), weights=(30, 35, 20, 8, 5, 2))[0])
    pool = [m for m in member_ids if m not in (principal, org_lead)]
    absent = set(rng.sample(pool, absent_n))
    if "principal_absent" not in injection(rules).rebuilds and absent_n < absent_max and rng.random() < 0.03:
        absent.add(principal)  # the secretary is away; the rule on speaking last does not apply
    attendees = [m for m in member_ids if m not in absent]
    non_voting: list[dict[str, Any]] = []
    if rng.random() < 0.8:
        non_voting.append(records.non_voting("组织部干部科负责人", "organisation_department"))
    if discipline in absent or rng.random() < 0.1:
        non_voting.append(records.non_voting("派驻纪检监察组组长", "discipline_official"))
    if rng.random() < 0.3:
        non_voting.append(records.non_voting("办公室记录人员", "recorder"))
    items = []
    for k, cid in enumerate(cand_ids):
        method = rng.choices(("hands", "secret", "oral", None), weights=(55, 20, 10, 15))[0]
        item = DraftItem(f"a{k + 1}", cid, cid in adopted, vote_method=method)
        if kind == "reconsideration":
            item.consent = rng.randint(size // 2 + 1, len(attendees))
            related = {r["person"] for r in relations or () if r["relative"] == cid and r["kind"] != "other"}
            item.recused = [m for m in attendees if m in related]
            if (len(attendees) - len(item.recused)) * 3 < 2 * size:
                raise Redraw
        items.append(item)
    meeting = DraftMeeting(mid, kind, day, list(member_ids), attendees, non_voting, items)
    meeting.principal_first = day < LAST_SPEAKER_FROM and rng.random() < 0.2
    # A member leaves before the second item, when the quorum has room for it.
    if len(items) == 2 and rng.random() < 0.1:
        leavers = [m for m in attendees if m not in (principal, org_lead, discipline) and m not in items[1].recused]
        if (len(attendees) - len(items[1].recused) - 1) * 3 >= 2 * size and leavers:
            items[1].departed.append(rng.choice(leavers))
    return meeting


def _clean_relations(rng: random.Random, meeting: DraftMeeting, cand_ids: list[str], principal: str, discipline: str,
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
            relations.append({"person": member, "relative": item.candidate, "kind": rng.choice(KINSHIPS_IN_SCOPE)})
    elif roll < 0.11:
        member = rng.choice([m for m in meeting.due if m != principal])
        relations.append({"person": member, "relative": rng.choice(cand_ids), "kind": "other"})
    return relations


def _variety(d: Draft) -> None:
    """Compliant variations a real corpus has: approved exceptions, old sanctions, consultations with a
    co-managing side, signed nominations, resolved early checks, competitive selection, resolved publicity
    objections, relatives outside the avoidance lines, posts managed by the superior, county chiefs
    decided between plenums, home-place avoidance respected. The rules injected here switch off the
    variations their breakers rebuild."""
    rng, case, dates = d.rng, d.case, d.dates
    inj = injection(d.rules)
    promotion = case["move"] == "promotion"
    meeting_date = d.meeting.date
    if promotion and rng.random() < 0.04 and "breakthrough" not in inj.rebuilds:
        approved_breakthrough(d, rng.choice(("years_in_level", "work_years", "grassroots")))
    if case["move"] != "lateral_transfer" and rng.random() < 0.03 and "sanction" not in inj.rebuilds:
        cand = d.candidate(d.adopted[0])
        cand["sanctions"] = [{"system": "administrative", "type": rng.choice(("warning", "demerit")),
                              "decision_date": add_months(meeting_date.replace(day=1), -rng.randint(30, 60)) + timedelta(days=9)}]
        d.approve("sanction_reuse", draw_working_day(rng, dates["target"], calendar.add_working_days(meeting_date, -1)))
    if rng.random() < 0.04 and "dual_management" not in inj.rebuilds:
        sent = calendar.add_working_days(meeting_date, -rng.randint(25, 40))
        dual: dict[str, Any] = {"co_side": "上级主管部门党组", "consult_sent": sent}
        if rng.random() < 0.5:
            dual["reply_date"] = calendar.add_working_days(sent, rng.randint(3, 10))
        case["post"]["dual_management"] = dual
    if rng.random() < 0.08 and "nomination" not in inj.rebuilds:
        case["nominations"] = [{"nominator": d.names(), "candidate": d.inspected[0], "signed": True}]
    if rng.random() < 0.1 and "precheck" not in inj.rebuilds:
        day = calendar.add_working_days(dates["motion"], rng.randint(0, 2))
        case["motion"]["prechecks"] = [
            {"kind": "personal_matters", "date": day, "blocking": False} if rng.random() < 0.5 else
            {"kind": "file", "date": day, "blocking": True, "resolved": calendar.add_working_days(day, rng.randint(1, 5))}]
    if rng.random() < 0.05 and "competitive" not in inj.rebuilds:
        case["motion"]["method"] = rng.choice(("competition", "open_selection"))
        case["motion"]["method_reason"] = "本单位符合条件人选较多，经研究采取竞争上岗方式"
    if case["publicity"] and rng.random() < 0.08 and "objection" not in inj.rebuilds:
        pub = rng.choice(case["publicity"])
        received = draw_working_day(rng, pub["start"], pub["end"])
        pub["objections"] = [records.objection(received, False, draw_working_day(rng, received, pub["end"]))]
    if rng.random() < 0.04 and "relatives" not in inj.rebuilds:
        cand = rng.choice(d.inspected)
        case["colleagues"] = [{"id": "x1", "name": d.names(), "post": f"{d.setting.organisation}下属单位干部"}]
        case["relations"].append({"person": "x1", "relative": cand, "kind": rng.choice(KINSHIPS_IN_SCOPE)})
    if rng.random() < 0.03 and "relatives" not in inj.rebuilds:
        case["relatives_business"] = [{"relative": "配偶之兄", "business": "某商贸有限公司", "regulated_by_post": False}]
    if rng.random() < 0.08 and "managed_by_superior" not in inj.rebuilds:
        case["post"]["managed_by"] = "superior-committee"
    if d.plan.chief and rng.random() < 0.12 and "home_place" not in inj.rebuilds:
        case["post"]["avoidance_level"] = "county" if d.setting.kind == "county" else "prefecture"
        case["post"]["locality"] = d.setting.locality
        for cid in d.inspected:
            d.candidate(cid)["growth_place"] = rng.choice([p for p in COUNTIES if p + "县" != d.setting.locality]) + "县"
    if (d.plan.shape == "differential" and d.plan.two_rounds and case["recommendations"] and rng.random() < 0.3
            and "change_of_term" not in inj.rebuilds):
        case["change_of_term"] = True  # 换届: talks first, then the meeting; differential inspection
    if (d.setting.kind == "city" and d.plan.chief and case["move"] == "promotion" and rng.random() < 0.05
            and "county_chief" not in inj.rebuilds):
        case["post"]["title"], case["post"]["unit"] = d.setting.county_chief
        case["post"]["city_county_chief"] = True
        for meeting in d.meetings:
            meeting.urgent = True  # decided by the standing committee between plenums, members consulted


def _finalize(d: Draft) -> None:
    """Records that follow the final dates of the notices: the appointment talk, the probation, the recorded
    tenure start and, for a post managed by the superior, the submission and its approval."""
    rng, case = d.rng, d.case
    talker = next(m["name"] for m in case["body"]["members"] if m["id"] == d.org_lead)
    for a in case["appointments"]:
        a["talk"] = records.talk(calendar.add_working_days(a["date"], rng.choice((0, 0, 1, 2, 3))), talker)
        if case["post"].get("probation"):
            end = anniversary(a["date"], 1)
            a["probation"] = records.probation(a["date"], end, end + timedelta(days=rng.randint(3, 30)), "confirmed")
        if rng.random() < 0.3:
            a["tenure_start"] = d.decided
    if case["post"].get("managed_by"):
        first = min(a["date"] for a in case["appointments"])
        sent = draw_working_day(rng, d.decided, first)
        case["submission"] = records.submission(sent, SUBMISSION_DOCS, draw_working_day(rng, sent, first), "approved")


# --- settling the meetings -----------------------------------------------------------------------------

def _settle_meetings(d: Draft) -> None:
    """Views, speaking order and vote of every item, keeping every rule not injected satisfied."""
    d.case["meetings"] = [_settle(d, meeting) for meeting in d.meetings]


def _settle(d: Draft, meeting: DraftMeeting) -> dict[str, Any]:
    rng = d.rng
    size = len(meeting.due)
    majority = size // 2 + 1
    agenda = []
    for item in meeting.items:
        present = d.present(item, meeting)
        if not d.quorum_broken and len(present) * 3 < 2 * size:
            raise Redraw
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
            # Stated views split at least evenly (`split_views`), or a ballot short of the majority while the
            # stated views stay clearly for (`break_pass`): either way the ballot is what counts.
            agree = len(voters) // 2 if item.split_views else None
            if agree is not None:
                for x in voters:
                    views[x] = "agree" if x in backers[:agree] else rng.choice(("disagree", "disagree", "defer"))
            if not item.break_pass and majority > len(present):
                raise Redraw
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
                        raise Redraw
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
        others = [x for x in speakers if x not in (d.principal, d.org_lead)]
        rng.shuffle(others)
        opener = d.org_lead if d.org_lead in speakers else None
        place: str | int = "last"
        if d.principal in speakers:
            if item.break_last_speaker:
                if not others and opener is None:
                    raise Redraw
                place = rng.randrange(len(others) + (opener is not None))
            elif meeting.principal_first:
                place = "first"
        elif item.break_last_speaker:
            raise Redraw
        if item.presenter == "other":
            presenter: str | None = rng.choice([x for x in present if x != d.org_lead])
        elif item.presenter == "org_lead" and d.org_lead in present:
            presenter = d.org_lead
        else:  # the organisation department's head, who is not a member, presents
            presenter = None
        recorded = None  # a ballot apart from the views: those present not voting yes or no abstain
        if item.vote_method is not None and ballot is not None:
            no = rng.randint(0, len(present) - ballot)
            recorded = (ballot, no, len(present) - ballot - no)
        statements, vote = records.discussion(others, d.principal if d.principal in speakers else None, opener, place,
                                              views, len(present), item.vote_method, recorded,
                                              per_candidate=False if item.bundled else None)
        agenda.append(records.agenda_item(
            item.id, item.candidate, circulated_in_advance=item.circulated, added_at_meeting=item.added_at_meeting or None,
            presenter=presenter, presented_by_org_head=True if presenter is None else None,
            reportable_matters_explained=item.explained or None, reconsideration_consent=item.consent,
            departed=list(item.departed) or None, recused=list(item.recused) or None,
            statements=statements, vote=vote, outcome="adopted" if item.adopted else "rejected"))
    urgent = {"urgent_between_plenums": True, "plenum_members_consulted": meeting.urgent != "not_consulted"} \
        if meeting.urgent else {}  # a county chief decided between plenums, the plenum's members consulted (or not)
    return records.meeting(meeting.id, meeting.kind, meeting.date, meeting.due, meeting.attendees,
                           non_voting_attendees=list(meeting.non_voting),
                           chair=d.principal if d.principal in meeting.attendees else d.org_lead,
                           records=dict(meeting.records), agenda=agenda, **urgent)
