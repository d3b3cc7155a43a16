"""Seeded synthetic selection cases, compliant by construction, with optionally injected violations.

Why this exists: benchmarks and detection tests need many varied, *valid* cases whose expected verdicts
are known in advance. Every case is first built compliant with all 19 national rules; then, with
probability `violation_rate`, 1–3 rules are chosen and for each one a mutation breaks exactly that
rule. The chosen rule ids are recorded in `meta.injected_violations`, so an auditor is correct on a
case exactly when the set of rule ids it finds violated equals that list.

Design points, each for a reason:

* Determinism. Case `i` of seed `s` is drawn from its own `random.Random` seeded with the string
  "cadre-rules-synth:{s}:{i}" (string seeds are hashed with SHA-512, stable across runs and Python
  versions). So the same arguments give byte-identical output, and case `i` does not depend on how many
  cases are asked for. Neither the global `random` nor the clock is used.
* Edition windows. A rule can only be violated by an act on a date it is in force, so the plan of a
  case fixes the earliest motion date from the injected rules (the principal speaking last from
  2019-03-03, the four musts from 2016-08-01); clean cases use the windows too (no four-musts record
  before 2016-08, the principal sometimes speaks first before 2019-03-03) because a compliant case of
  its time looked like that.
* Exact arithmetic. Quorum and adoption are checked as `present*3 >= 2*N` and `yes*2 > N`, the vote is
  derived from the recorded views, and working days come from `cadre_rules.calendar` (holidays and
  make-up working days), never from weekday arithmetic.
* No collisions. Mutations run in one canonical order (attendance before views, views before the
  speaking order, publicity before the appointment notice, the notice before the filing), and the
  meeting's views are settled last so that each mutation keeps the other rules' conditions intact.
  A combination that a drawn body size cannot support (e.g. a quorum breach plus a silent member with
  a lawful majority left) is redrawn from the same generator, which keeps the output deterministic.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable, Iterator

from . import calendar

# The rules that can be injected, in the order their mutations are applied (see the module docstring).
RULE_IDS: tuple[str, ...] = (
    "MOT-VACANCY",
    "MOT-NO-ADHOC",
    "REC-REQUIRED",
    "INS-TEAM-2",
    "INS-BEFORE-DECISION",
    "INS-FILE-REVIEW",
    "INS-PERSONAL-MATTERS",
    "INS-DISCIPLINE-OPINION",
    "INS-PETITION-CHECK",
    "DEC-DISCIPLINE-OBSERVER",
    "DEC-QUORUM",
    "DEC-RECUSAL",
    "DEC-PASS",
    "DEC-EXPLICIT-VIEW",
    "DEC-LAST-SPEAKER",
    "DIS-NO-RUSH",
    "APT-PUB-5WD",
    "APT-PUB-WINDOW",
    "RPT-FILING",
)

# Rules that judge promotions only (case.is_promotion in their condition).
_PROMOTION_ONLY = frozenset({"INS-FILE-REVIEW", "INS-PERSONAL-MATTERS", "INS-DISCIPLINE-OPINION",
                             "INS-PETITION-CHECK", "APT-PUB-WINDOW"})
# Rules that need a promotion or further use: recommendation is required for both, and both are publicised here.
_PROMOTION_OR_FURTHER_USE = frozenset({"REC-REQUIRED", "APT-PUB-5WD"})
# First day each rule can be violated, where that is later than the generator's first motion date.
FOUR_MUSTS_FROM = date(2016, 8, 1)
LAST_SPEAKER_FROM = date(2019, 3, 3)
_IN_FORCE_FROM: dict[str, date] = {
    "INS-FILE-REVIEW": FOUR_MUSTS_FROM,
    "INS-PERSONAL-MATTERS": FOUR_MUSTS_FROM,
    "INS-PETITION-CHECK": FOUR_MUSTS_FROM,
    "DEC-LAST-SPEAKER": LAST_SPEAKER_FROM,
}
# Motions are drawn in this range; a whole case spans at most about five months, so every act stays
# inside the holiday data (2004–2026).
FIRST_MOTION = date(2015, 1, 5)
LAST_MOTION = date(2026, 6, 30)

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


class _Redraw(Exception):
    """The drawn case cannot carry the planned violations (e.g. body too small); draw again."""


# --- working days ----------------------------------------------------------------------------------

def _wd_on_or_after(day: date) -> date:
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def _wd_after(day: date, k: int) -> date:
    """The k-th working day strictly after `day` (k >= 1)."""
    for _ in range(k):
        day += timedelta(days=1)
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
    return day


def _wd_before(day: date, k: int) -> date:
    """The k-th working day strictly before `day` (k >= 1)."""
    for _ in range(k):
        day -= timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= timedelta(days=1)
    return day


def _wd_span_end(start: date, count: int) -> date:
    """The last day of a span of `count` working days starting on working day `start`."""
    return start if count <= 1 else _wd_after(start, count - 1)


def _wd_between(rng: random.Random, first: date, last: date) -> date:
    """A random working day in [first, last]; `first` must be a working day."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    choices = [d for d in days if calendar.is_working_day(d)]
    return rng.choice(choices)


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
    break_pass: bool = False
    silent: bool = False
    silent_mode: str = "unclear"
    break_last_speaker: bool = False


@dataclass
class _Meeting:
    id: str
    date: date
    due: list[str]
    attendees: list[str]
    non_voting: list[dict[str, Any]]
    items: list[_Item]
    principal_first: bool = False


@dataclass
class _Draft:
    """A case under construction: the case data (with date objects) and what the mutations need."""

    rng: random.Random
    rules: frozenset[str]
    case: dict[str, Any]
    meeting: _Meeting
    principal: str
    org_lead: str
    discipline: str
    adopted: list[str]
    filing_offset: dict[str, int]
    superior: str
    quorum_broken: bool = False
    variants: dict[str, str] = field(default_factory=dict)

    def present(self, item: _Item) -> list[str]:
        """Members due who are present for this item (attended, did not leave, not recused)."""
        return [x for x in self.meeting.attendees if x not in item.departed and x not in item.recused]

    def item_of(self, candidate: str) -> _Item:
        return next(i for i in self.meeting.items if i.candidate == candidate)

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
                f["date"] = _wd_after(self.notice_of(candidate)["date"], self.filing_offset[candidate])


# --- public API ---------------------------------------------------------------------------------------

def generate(n: int, seed: int, violation_rate: float) -> Iterator[dict[str, Any]]:
    """Yield `n` valid, JSON-serialisable cases; about `violation_rate` of them carry injected violations."""
    if n < 0:
        raise ValueError(f"n must be >= 0, not {n}")
    if not 0.0 <= violation_rate <= 1.0:
        raise ValueError(f"violation_rate must be within [0, 1], not {violation_rate}")
    for index in range(n):
        yield generate_case(seed, index, violation_rate)


def generate_case(seed: int, index: int, violation_rate: float) -> dict[str, Any]:
    """Case `index` of the corpus of `seed`: independent of the corpus size, same every time."""
    rng = random.Random(f"cadre-rules-synth:{seed}:{index}")
    rules: frozenset[str] = frozenset()
    if rng.random() < violation_rate:
        k = rng.choices((1, 2, 3), weights=(5, 3, 2))[0]
        rules = frozenset(rng.sample(RULE_IDS, k))
    for _ in range(_MAX_ATTEMPTS):
        try:
            draft = _build(rng, rules, seed, index)
            for rule_id in RULE_IDS:
                if rule_id in rules:
                    draft.variants[rule_id] = MUTATIONS[rule_id](draft)
            _settle_meeting(draft)
        except _Redraw:
            continue
        case = draft.case
        case["meta"] = {
            "generator": "cadre_rules.synth",
            "seed": seed,
            "index": index,
            "injected_violations": sorted(rules),
            "injection_variants": {r: draft.variants[r] for r in sorted(rules)},
        }
        return _jsonable(case)
    raise RuntimeError(f"could not draw case {index} of seed {seed} with violations {sorted(rules)}")


def write_jsonl(path: str | Path, n: int, seed: int, violation_rate: float) -> int:
    """Write `n` cases to `path`, one JSON object per line (UTF-8, "\\n"); return the number written."""
    written = 0
    with Path(path).open("w", encoding="utf-8", newline="\n") as out:
        for case in generate(n, seed, violation_rate):
            out.write(json.dumps(case, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
            written += 1
    return written


_PLAIN = (str, int, float, bool, type(None))


def _jsonable(value: Any) -> Any:
    """The draft's date objects as ISO strings (the rest is JSON already); leaves are not recursed into."""
    if isinstance(value, dict):
        return {k: v if isinstance(v, _PLAIN) else _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [v if isinstance(v, _PLAIN) else _jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


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
    chief_elsewhere: tuple[str, ...]
    deputy_elsewhere: tuple[str, ...]
    lower_titles: tuple[str, ...]
    grassroots_titles: tuple[str, ...]


def _setting(rng: random.Random) -> _Setting:
    kind = rng.choices(("county", "city", "city_bureau", "province_dept"), weights=(40, 25, 20, 15))[0]
    county, city, bureau = rng.choice(_COUNTIES), rng.choice(_CITIES), rng.choice(_BUREAUS)
    towns = rng.sample(_TOWNS, 3)
    grassroots = tuple(f"{t}镇{r}" for t in towns[:2] for r in ("党政办科员", "经济发展办干部"))
    if kind == "county":
        return _Setting(
            f"中共{county}县委", f"中共{county}县委常委会", "standing_committee", (7, 15), f"{county}县{bureau}局",
            f"{county}县{bureau}局局长", f"{county}县{bureau}局副局长", "section_chief", f"中共{city}市委组织部",
            county[0] + "委", f"{county}县人民政府网站",
            (f"{towns[0]}镇党委书记", f"{towns[1]}镇镇长", f"{county}县{rng.choice(_BUREAUS)}局局长"),
            (f"{towns[0]}镇副镇长", f"{towns[2]}镇党委副书记", f"{county}县{rng.choice(_BUREAUS)}局副局长"),
            (f"{county}县{bureau}局{rng.choice(_SECTIONS)}股长", f"{county}县{bureau}局一级主任科员"), grassroots)
    if kind == "city":
        return _Setting(
            f"中共{city}市委", f"中共{city}市委常委会", "standing_committee", (9, 15), f"{city}市{bureau}局",
            f"{city}市{bureau}局局长", f"{city}市{bureau}局副局长", "division_chief", f"中共{_PROVINCE}委组织部",
            city[0] + "委", f"{city}日报、{city}市人民政府网站",
            (f"{county}县副县长", f"{city}市{rng.choice(_BUREAUS)}局副局长"),
            (f"{city}市{rng.choice(_BUREAUS)}局{rng.choice(_SECTIONS)}科长", f"{county}县{rng.choice(_BUREAUS)}局局长"),
            (f"{city}市{bureau}局{rng.choice(_SECTIONS)}科长", f"{county}县{bureau}局局长"), grassroots)
    if kind == "city_bureau":
        section = rng.choice(_SECTIONS)
        return _Setting(
            f"中共{city}市{bureau}局党组", f"中共{city}市{bureau}局党组", "party_group", (5, 9), f"{city}市{bureau}局{section}",
            f"{city}市{bureau}局{section}科长", f"{city}市{bureau}局{section}副科长", "section_chief", f"中共{city}市委组织部",
            city[0] + bureau[0] + "党", f"{city}市{bureau}局门户网站",
            (f"{city}市{bureau}局{rng.choice(_SECTIONS)}科长",), (f"{city}市{bureau}局{rng.choice(_SECTIONS)}副科长",),
            (f"{city}市{bureau}局一级主任科员", f"{city}市{bureau}局二级主任科员"), grassroots)
    division = rng.choice(_DIVISIONS)
    return _Setting(
        f"中共{_PROVINCE}{bureau}厅党组", f"中共{_PROVINCE}{bureau}厅党组", "party_group", (5, 11),
        f"{_PROVINCE}{bureau}厅{division}", f"{_PROVINCE}{bureau}厅{division}处长", f"{_PROVINCE}{bureau}厅{division}副处长",
        "division_chief", f"中共{_PROVINCE}委组织部", _PROVINCE[:2] + bureau[0] + "党", f"{_PROVINCE}{bureau}厅门户网站",
        (f"{_PROVINCE}{bureau}厅{rng.choice(_DIVISIONS)}处长", f"{city}市{bureau}局局长"),
        (f"{_PROVINCE}{bureau}厅{rng.choice(_DIVISIONS)}副处长", f"{city}市{bureau}局副局长"),
        (f"{_PROVINCE}{bureau}厅{rng.choice(_DIVISIONS)}一级调研员", f"{city}市{bureau}局{rng.choice(_SECTIONS)}科长"),
        grassroots)


def _pick_move(rng: random.Random, rules: frozenset[str]) -> str:
    if rules & _PROMOTION_ONLY:
        return "promotion"
    if rules & _PROMOTION_OR_FURTHER_USE:
        return rng.choices(("promotion", "further_use"), weights=(85, 15))[0]
    return rng.choices(("promotion", "further_use", "lateral_transfer"), weights=(75, 14, 11))[0]


def _build(rng: random.Random, rules: frozenset[str], seed: int, index: int) -> _Draft:
    """A fully compliant case (the plan's move and date window respected), before any mutation."""
    names = _Names(rng)
    setting = _setting(rng)
    move = _pick_move(rng, rules)

    # The shape: one post, or two seats of a deputy post, or two candidates of whom one is adopted (差额).
    shape = rng.choices(("single", "two_seats", "differential"), weights=(70, 15, 15))[0]
    if shape == "differential" and move == "lateral_transfer":
        shape = "single"
    chief = shape != "two_seats" and rng.random() < 0.7
    level_chief = setting.level_chief
    target_level = level_chief if chief else _LEVELS[_LEVELS.index(level_chief) - 1]
    n_candidates = 1 if shape == "single" else 2

    # Dates: motion → recommendation → inspection → meeting → publicity → notice → filing, on working days.
    earliest = max([FIRST_MOTION] + [_IN_FORCE_FROM[r] for r in rules if r in _IN_FORCE_FROM])
    motion_date = _wd_on_or_after(earliest + timedelta(days=rng.randrange((LAST_MOTION - earliest).days + 1)))
    reported = _wd_after(motion_date, rng.randint(1, 2)) if rng.random() < 0.7 else motion_date
    rec_dates = [_wd_after(motion_date, rng.randint(5, 15))]
    if rng.random() < 0.2:
        rec_dates.append(_wd_after(rec_dates[0], rng.randint(3, 8)))
    ins_start = _wd_after(rec_dates[-1], rng.randint(3, 10))
    ins_done = _wd_after(ins_start, rng.randint(6, 15))
    meeting_date = _wd_after(ins_done, rng.randint(2, 10))

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

    # Candidates.
    cand_ids = [f"c{i}" for i in range(1, n_candidates + 1)]
    candidates = [_candidate(rng, names, cid, setting, move, target_level, motion_date) for cid in cand_ids]
    adopted = list(cand_ids) if shape != "differential" else [cand_ids[0]]

    # Post quota: enough room for the adopted candidates (over quota only with an approved report).
    prior_reports: list[dict[str, Any]] = []
    if chief:
        quota, incumbents = 1, 0
    else:
        quota = rng.randint(len(adopted) + 1, 5)
        incumbents = rng.randint(0, quota - len(adopted))
    if rng.random() < 0.04:
        incumbents = quota - len(adopted) + 1
        submitted = _wd_after(rec_dates[0], 1)
        prior_reports.append({"id": "pr-quota", "matter": "over_quota", "submitted": submitted,
                              "reply_date": _wd_after(submitted, rng.randint(1, 4)), "reply": "approved"})
    post = {"id": "post-1", "title": setting.chief_title if chief else setting.deputy_title, "unit": setting.post_unit,
            "level": target_level, "quota": quota, "incumbents": incumbents}

    recommendations = _recommendations(rng, rec_dates, cand_ids, move)
    inspectors = [names() for _ in range(rng.randint(2, 4))]
    inspections = [_inspection(rng, f"i{k + 1}", cid, inspectors, ins_start, ins_done, meeting_date)
                   for k, cid in enumerate(cand_ids)]

    meeting = _draft_meeting(rng, rules, member_ids, principal, org_lead, discipline, cand_ids, adopted, meeting_date)

    # Publicity (promotion and further use), the appointment notice and the filing.
    publicity, appointments, filings = [], [], []
    filing_required = "RPT-FILING" in rules or rng.random() < 0.9
    filing_offset: dict[str, int] = {}
    year_no = rng.randint(3, 60)
    for k, cid in enumerate(adopted):
        if move in ("promotion", "further_use"):
            start = _wd_after(meeting_date, rng.randint(1, 3))
            end = _wd_span_end(start, rng.randint(5, 7))
            if rng.random() < 0.3:  # notices often run to the weekend ("X月X日至Y月Y日")
                while not calendar.is_working_day(end + timedelta(days=1)) and (end - start).days < 12:
                    end += timedelta(days=1)
            publicity.append({"id": f"p{k + 1}", "candidate": cid, "start": start, "end": end, "channel": setting.channel})
            notice = _wd_after(end, rng.randint(1, 5))
        else:
            notice = _wd_after(meeting_date, rng.randint(1, 6))
        appointments.append({"id": f"n{k + 1}", "candidate": cid, "date": notice,
                             "number": f"{setting.abbrev}〔{notice.year}〕{year_no + k}号"})
        filing_offset[cid] = rng.randint(1, 7)
        if filing_required or rng.random() < 0.5:
            filings.append({"id": f"f{k + 1}", "candidate": cid, "date": _wd_after(notice, filing_offset[cid]),
                            "to": setting.superior})
    post["filing_required"] = filing_required

    relations = _clean_relations(rng, meeting, cand_ids, principal, discipline, size)
    last_act = max([a["date"] for a in appointments] + [f["date"] for f in filings])
    leader_departure = None
    if rng.random() < 0.08:
        if rng.random() < 0.5:  # settled after the case closed: no freeze during the case
            decided = _wd_after(last_act, rng.randint(3, 40))
            leader_departure = {"leader": principal, "decided": decided}
        else:  # settled before the meeting, but the superior approved the appointments in advance
            decided = _wd_before(meeting_date, rng.randint(6, 12))
            submitted = _wd_after(decided, 1)
            leader_departure = {"leader": principal, "decided": decided, "announced": _wd_after(decided, 2),
                                "left": _wd_after(last_act, rng.randint(5, 30))}
            prior_reports.append({"id": "pr-leave", "matter": "leader_departure", "submitted": submitted,
                                  "reply_date": _wd_after(submitted, rng.randint(1, 3)), "reply": "approved"})

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
        "motion": {"date": motion_date, "proposer": "organisation_department", "reported_to_principal": reported,
                   "intended_candidates": list(cand_ids)},
        "recommendations": recommendations,
        "inspections": inspections,
        "meetings": [],
        "publicity": publicity,
        "appointments": appointments,
        "filings": filings,
        "prior_reports": prior_reports,
    }
    if leader_departure:
        case["leader_departure"] = leader_departure
    return _Draft(rng, rules, case, meeting, principal, org_lead, discipline, adopted, filing_offset, setting.superior)


def _candidate(rng: random.Random, names: _Names, cid: str, setting: _Setting, move: str, target_level: str,
               motion: date) -> dict[str, Any]:
    """A candidate whose career plausibly leads to the post (one level below it for a promotion)."""
    age = rng.randint(31, 52)
    birth = date(motion.year - age, rng.randint(1, 12), rng.randint(1, 28))
    work_start = date(birth.year + rng.randint(21, 25), rng.choice((7, 8)), 1)
    if move == "promotion":
        idx = _LEVELS.index(target_level) - 1
        current_level = _LEVELS[idx] if idx >= 0 else None
    else:
        current_level = target_level
    years_in_post = rng.randint(2, max(2, min(7, motion.year - work_start.year - 3)))
    current_since = date(motion.year - years_in_post, rng.randint(1, 12), 1)
    if current_since <= work_start:
        current_since = date(work_start.year + 2, 1, 1)
    if current_level == target_level:  # further use or transfer: a post of the same level elsewhere
        current_title = rng.choice(setting.chief_elsewhere if target_level == setting.level_chief else setting.deputy_elsewhere)
    elif target_level == setting.level_chief:  # deputy to chief, possibly in the same unit
        current_title = rng.choice(setting.deputy_elsewhere + (setting.deputy_title,))
    else:  # into a deputy post from the level below
        current_title = rng.choice(setting.lower_titles)

    # Work history: a grassroots post, one or two middle posts, the current post.
    span = (current_since - work_start).days
    cuts = sorted(rng.sample(range(200, max(201, span - 60)), rng.choice((1, 2)))) if span > 400 else []
    starts = [work_start] + [date((work_start + timedelta(days=c)).year, (work_start + timedelta(days=c)).month, 1)
                             for c in cuts]
    starts = sorted(set(starts))
    history = []
    for k, start in enumerate(starts):
        end = (starts[k + 1] if k + 1 < len(starts) else current_since) - timedelta(days=1)
        if k == 0:
            title = rng.choice(setting.grassroots_titles)
            history.append({"title": title, "unit": title[:title.index("镇") + 1], "level": None, "grassroots": True,
                            "start": start, "end": end})
        else:
            titles = [t for t in setting.lower_titles if t != current_title and t != history[-1]["title"]]
            title = rng.choice(titles or list(setting.lower_titles))
            history.append({"title": title, "level": None, "start": start, "end": end})
    history.append({"title": current_title, "level": current_level, "start": current_since})
    degree = rng.choice(_DEGREES)
    education = [{"degree": degree, "institution": rng.choice(_SCHOOLS), "full_time": True,
                  "completed": date(work_start.year, 6, 30)}]
    if degree != "硕士研究生" and rng.random() < 0.3:
        education.append({"degree": "在职研究生", "institution": rng.choice(_SCHOOLS), "full_time": False,
                          "completed": date(min(motion.year - 1, work_start.year + rng.randint(4, 10)), 6, 30)})
    party = date(birth.year + rng.randint(19, 27), rng.randint(1, 12), 1)
    return {
        "id": cid, "name": names(), "gender": rng.choice(("男", "男", "女")), "birth_date": birth,
        "work_start_date": work_start, "party_join_date": min(party, current_since),
        "education": education, "current_post": current_title, "current_level": current_level,
        "current_since": current_since, "work_history": history,
    }


def _recommendations(rng: random.Random, dates: list[date], cand_ids: list[str], move: str) -> list[dict[str, Any]]:
    if move == "lateral_transfer" and rng.random() < 0.5:
        return []  # a same-level transfer does not need a democratic recommendation
    rounds = []
    forms = ["talk", "meeting"] if len(dates) == 2 else [rng.choice(("meeting", "meeting", "talk"))]
    for k, (day, form) in enumerate(zip(dates, forms)):
        expected = rng.randint(25, 90) if form == "meeting" else rng.randint(10, 30)
        actual = expected - rng.randint(0, expected // 10)
        results, share = [], rng.uniform(0.55, 0.9)
        for cid in cand_ids:
            results.append({"candidate": cid, "votes": int(actual * share)})
            share *= rng.uniform(0.3, 0.8)
        rounds.append({"id": f"r{k + 1}", "form": form, "date": day, "participants_expected": expected,
                       "participants_actual": actual, "results": results})
    return rounds


def _inspection(rng: random.Random, iid: str, cid: str, inspectors: list[str], start: date, done: date,
                meeting: date) -> dict[str, Any]:
    """A completed inspection with the four musts (only the discipline opinion before 2016-08)."""
    days = sorted(_wd_between(rng, start, done) for _ in range(5))
    team = [{"name": inspectors[0], "role": "leader"}] + [{"name": n, "role": "member"} for n in inspectors[1:]]

    def check(day: date) -> dict[str, Any]:
        if rng.random() < 0.1:
            return {"date": day, "outcome": "resolved", "note": rng.choice(_RESOLVED_NOTES)}
        return {"date": day, "outcome": "clear"}

    ins: dict[str, Any] = {"id": iid, "candidate": cid, "team": team, "start": start, "completed": done}
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
        received = _wd_before(done, rng.randint(4, 9))
        petitions.append({"id": "q1", "received": received, "specific": True,
                          "closed": _wd_after(received, rng.randint(1, 3)), "conclusion": "经核查，反映问题不属实"})
    elif roll < 0.18:  # an anonymous complaint without checkable leads
        petitions.append({"id": "q1", "received": _wd_before(done, rng.randint(1, 9)), "specific": False})
    elif roll < 0.21 and meeting < FOUR_MUSTS_FROM:  # before the four musts, an open complaint was not a bar
        petitions.append({"id": "q1", "received": _wd_before(done, rng.randint(1, 9)), "specific": True})
    ins["petitions"] = petitions
    if four_musts:
        ins["integrity_conclusion"] = {"date": days[4], "signed_by_secretary": True, "signed_by_discipline_head": True}
    return ins


def _draft_meeting(rng: random.Random, rules: frozenset[str], member_ids: list[str], principal: str, org_lead: str,
                   discipline: str, cand_ids: list[str], adopted: list[str], day: date) -> _Meeting:
    """Attendance with a lawful quorum; items in candidate order; the views are settled later."""
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
        items.append(_Item(f"a{k + 1}", cid, cid in adopted, vote_method=method))
    meeting = _Meeting("mt1", day, list(member_ids), attendees, non_voting, items)
    meeting.principal_first = day < LAST_SPEAKER_FROM and rng.random() < 0.2
    # A member leaves before the second item, when the quorum has room for it.
    if len(items) == 2 and rng.random() < 0.1:
        leavers = [m for m in attendees if m not in (principal, org_lead, discipline)]
        if (len(attendees) - 1) * 3 >= 2 * size and leavers:
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


# --- settling the meeting ------------------------------------------------------------------------------

def _settle_meeting(d: _Draft) -> None:
    """Views, speaking order and vote of every item, keeping every rule not injected satisfied."""
    rng, meeting = d.rng, d.meeting
    size = len(meeting.due)
    majority = size // 2 + 1
    agenda = []
    for item in meeting.items:
        present = d.present(item)
        if not d.quorum_broken and len(present) * 3 < 2 * size:
            raise _Redraw
        silent: str | None = None
        if item.silent:
            choices = [x for x in present if x not in (d.principal, d.org_lead)] or \
                      [x for x in present if x != d.principal]
            silent = rng.choice(choices)
        voters = [x for x in present if x != silent]  # members whose view can be explicit
        views: dict[str, str] = {}
        if item.break_pass:
            yes = size // 2 - (1 if size // 2 > 2 and rng.random() < 0.3 else 0)
            yes = min(yes, len(voters))
            leads = [x for x in (d.principal, d.org_lead) if x in voters]
            others = [x for x in voters if x not in leads]
            backers = leads + rng.sample(others, len(others))
            for x in voters:
                views[x] = "agree" if x in backers[:yes] else rng.choice(("disagree", "disagree", "defer"))
        elif item.adopted:  # the principal and the presenter back the candidate they brought to the meeting
            for x in voters:
                views[x] = "agree" if x in (d.principal, d.org_lead) else \
                    rng.choices(("agree", "disagree", "defer"), weights=(85, 8, 7))[0]
            dissent = [x for x in voters if views[x] != "agree"]
            rng.shuffle(dissent)
            while sum(v == "agree" for v in views.values()) < majority:
                if not dissent:
                    raise _Redraw
                views[dissent.pop()] = "agree"
        else:  # the other candidate of a differential selection is not adopted
            for x in voters:
                views[x] = rng.choices(("agree", "disagree", "defer"), weights=(25, 60, 15))[0]
            backers = [x for x in voters if views[x] == "agree"]
            rng.shuffle(backers)
            while len(backers) * 2 > size:
                views[backers.pop()] = "disagree"
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
        if d.org_lead in present:
            entry["presenter"] = d.org_lead
        if item.departed:
            entry["departed"] = list(item.departed)
        if item.recused:
            entry["recused"] = list(item.recused)
        entry["statements"] = statements
        if item.vote_method is not None:
            yes = sum(views[x] == "agree" for x in speakers)
            no = sum(views[x] == "disagree" for x in speakers)
            entry["vote"] = {"method": item.vote_method, "yes": yes, "no": no, "abstain": len(present) - yes - no}
        entry["outcome"] = "adopted" if item.adopted else "rejected"
        agenda.append(entry)
    chair = d.principal if d.principal in meeting.attendees else d.org_lead
    d.case["meetings"] = [{
        "id": meeting.id, "kind": "decision", "date": meeting.date, "members_due": list(meeting.due),
        "attendees": list(meeting.attendees), "non_voting_attendees": list(meeting.non_voting), "chair": chair,
        "agenda": agenda,
    }]


# --- one mutation per rule: each breaks exactly its rule and keeps the others satisfied --------------

def _target_item(d: _Draft, adopted_only: bool = False) -> _Item:
    items = [i for i in d.meeting.items if i.adopted or not adopted_only]
    return d.rng.choice(items)


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
        submitted = _wd_before(d.meeting.date, rng.randint(3, 8))
        if rng.random() < 0.5:
            d.case["prior_reports"].append({"id": "pr-quota", "matter": "over_quota", "submitted": submitted,
                                            "reply_date": _wd_before(d.meeting.date, 1), "reply": "rejected"})
        else:  # approved, but only after the decision
            d.case["prior_reports"].append({"id": "pr-quota", "matter": "over_quota", "submitted": submitted,
                                            "reply_date": _wd_after(d.meeting.date, rng.randint(0, 3)), "reply": "approved"})
    return variant


def _break_adhoc(d: _Draft) -> str:
    """MOT-NO-ADHOC: an item raised at the meeting, not circulated, or with no motion on record."""
    variant = d.rng.choice(("added_at_meeting", "not_circulated", "no_motion"))
    if variant == "no_motion":
        del d.case["motion"]
        return variant
    item = _target_item(d)
    item.circulated = False
    item.added_at_meeting = variant == "added_at_meeting"
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


def _break_team(d: _Draft) -> str:
    """INS-TEAM-2: the inspection team has fewer than two members."""
    ins = d.inspection_of(_target_item(d).candidate)
    variant = d.rng.choice(("one_inspector", "no_team"))
    ins["team"] = ins["team"][:1] if variant == "one_inspector" else []
    return variant


def _break_inspection_done(d: _Draft) -> str:
    """INS-BEFORE-DECISION: the inspection is not completed before the meeting."""
    ins = d.inspection_of(_target_item(d).candidate)
    variant = d.rng.choice(("not_completed", "completed_on_meeting_day", "completed_after_meeting"))
    ins["completed"] = {"not_completed": None, "completed_on_meeting_day": d.meeting.date,
                        "completed_after_meeting": _wd_after(d.meeting.date, d.rng.randint(1, 5))}[variant]
    return variant


def _break_check(d: _Draft, key: str, bad_outcomes: tuple[str, ...]) -> str:
    """A four-musts check that is missing, done on/after the meeting, or left with an unacceptable outcome."""
    ins = d.inspection_of(_target_item(d).candidate)
    variant = d.rng.choice(("missing", "after_meeting") + tuple(f"outcome_{o}" for o in bad_outcomes))
    if variant == "missing":
        ins[key] = None
    elif variant == "after_meeting":
        ins[key] = {"date": _wd_after(d.meeting.date, d.rng.randint(0, 4)), "outcome": "clear"}
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
    received = _wd_before(d.meeting.date, rng.randint(3, 20))
    variant = rng.choice(("open", "closed_after_meeting"))
    petition: dict[str, Any] = {"id": "q9", "received": received, "specific": True}
    if variant == "closed_after_meeting":
        petition["closed"] = _wd_after(d.meeting.date, rng.randint(0, 10))
        petition["conclusion"] = "会后查结"
    ins["petitions"].append(petition)
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


def _break_rush(d: _Draft) -> str:
    """DIS-NO-RUSH: the meeting appoints while the principal leader's departure is settled, without approval."""
    rng = d.rng
    d.case["prior_reports"] = [r for r in d.case["prior_reports"] if r["matter"] != "leader_departure"]
    decided = _wd_before(d.meeting.date, rng.randint(0, 15))
    departure: dict[str, Any] = {"leader": d.principal, "decided": decided}
    last_act = max([a["date"] for a in d.case["appointments"]] + [f["date"] for f in d.case["filings"]])
    if rng.random() < 0.5:
        departure["left"] = _wd_after(last_act, rng.randint(1, 30))
    d.case["leader_departure"] = departure
    variant = rng.choice(("no_report", "report_not_approved", "approved_too_late"))
    if variant == "report_not_approved":
        d.case["prior_reports"].append({"id": "pr-leave", "matter": "leader_departure", "submitted": decided,
                                        "reply": "rejected", "reply_date": decided})
    elif variant == "approved_too_late":
        d.case["prior_reports"].append({"id": "pr-leave", "matter": "leader_departure", "submitted": decided,
                                        "reply_date": _wd_after(d.meeting.date, rng.randint(0, 3)), "reply": "approved"})
    return variant


def _break_publicity_length(d: _Draft) -> str:
    """APT-PUB-5WD: the publicity runs fewer than five working days (often a calendar week over a holiday)."""
    rng = d.rng
    pubs = [p for p in d.case["publicity"] if p["candidate"] in d.adopted]
    pub = rng.choice(pubs)
    week_end = pub["start"] + timedelta(days=6)
    if calendar.working_days_inclusive(pub["start"], week_end) < 5:
        pub["end"], variant = week_end, "calendar_week_over_holiday"
    else:
        pub["end"], variant = _wd_span_end(pub["start"], rng.randint(2, 4)), "short"
    notice = d.notice_of(pub["candidate"])
    if notice["date"] <= pub["end"]:
        notice["date"] = _wd_after(pub["end"], rng.randint(1, 3))
        d.reschedule_filing(pub["candidate"])
    return variant


def _break_publicity_window(d: _Draft) -> str:
    """APT-PUB-WINDOW: no publicity after the decision that ended before the appointment notice."""
    rng = d.rng
    candidate = rng.choice(d.adopted)
    pub = d.publicity_of(candidate)
    notice = d.notice_of(candidate)
    choices = ["notice_during_publicity"]
    if "APT-PUB-5WD" not in d.rules:  # those two would shorten or drop the publicity APT-PUB-5WD judges
        choices += ["no_publicity", "publicity_before_decision"]
    variant = rng.choice(choices)
    if variant == "no_publicity":
        d.case["publicity"].remove(pub)
    elif variant == "notice_during_publicity":
        notice["date"] = _wd_between(rng, pub["start"], pub["end"])
    else:
        pub["start"] = _wd_before(d.meeting.date, rng.randint(1, 3))
        pub["end"] = _wd_span_end(pub["start"], rng.randint(5, 7))
        notice["date"] = _wd_after(pub["end"], rng.randint(1, 3))
    d.reschedule_filing(candidate)
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
                                  "date": _wd_after(d.notice_of(candidate)["date"], rng.randint(8, 25)),
                                  "to": d.superior})
    return variant


MUTATIONS: dict[str, Callable[[_Draft], str]] = {
    "MOT-VACANCY": _break_vacancy,
    "MOT-NO-ADHOC": _break_adhoc,
    "REC-REQUIRED": _break_recommendation,
    "INS-TEAM-2": _break_team,
    "INS-BEFORE-DECISION": _break_inspection_done,
    "INS-FILE-REVIEW": _break_file_review,
    "INS-PERSONAL-MATTERS": _break_personal_matters,
    "INS-DISCIPLINE-OPINION": _break_discipline_opinion,
    "INS-PETITION-CHECK": _break_petition,
    "DEC-DISCIPLINE-OBSERVER": _break_observer,
    "DEC-QUORUM": _break_quorum,
    "DEC-RECUSAL": _break_recusal,
    "DEC-PASS": _break_pass,
    "DEC-EXPLICIT-VIEW": _break_explicit_view,
    "DEC-LAST-SPEAKER": _break_last_speaker,
    "DIS-NO-RUSH": _break_rush,
    "APT-PUB-5WD": _break_publicity_length,
    "APT-PUB-WINDOW": _break_publicity_window,
    "RPT-FILING": _break_filing,
}
assert tuple(MUTATIONS) == RULE_IDS, "mutations must run in the canonical order"
