"""The structure of a leadership team (班子梯次结构): age tiers, gender, education and 专业 of the
members of a deciding body at a reference day, and how it measures against a team profile's targets.

Where each member's data comes from, first found wins:
  birth date  `meta.member_birth_dates` {member id: YYYY-MM-DD} of the case, the member's `birth_date`,
              else the birth date in an 18- or 15-digit identity number;
  gender      `meta.member_profiles` {member id: {gender: 男|女|male|female}}, else the identity number's
              sequence digit (odd: male, even: female — GB 11643);
  education   `meta.member_profiles[id].education`: an EducationLevel code or its Chinese name;
  专业        `meta.member_profiles[id].specialty`: free text.
A value that cannot be read counts as unknown and is listed in `notes` (the member id and field only,
never the value: it is personal data).

A target is `met`, `not_met`, or `unknown` when the members whose data is missing could still tip it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from cadre_rules.codes import EducationLevel, Gender
from cadre_rules.facts.periods import age_on
from cadre_rules.reading.yamlmarks import as_date

DEFAULT_TIER_BOUNDS = (40, 45, 50, 55)
UNKNOWN = "unknown"
UNKNOWN_AGE = "年龄不详"  # the tier of members whose birth date is not known (a label: tiers are labelled)
EDUCATION_ORDER = {level.value: i for i, level in enumerate(EducationLevel)}


def tier_labels(bounds: tuple[int, ...] = DEFAULT_TIER_BOUNDS) -> list[tuple[str, int, int]]:
    """(label, lowest age, highest age) of each tier: "40岁及以下", "41—45岁", …, "56岁及以上"."""
    out = [(f"{bounds[0]}岁及以下", 0, bounds[0])]
    out += [(f"{low + 1}—{high}岁", low + 1, high) for low, high in zip(bounds, bounds[1:])]
    out.append((f"{bounds[-1] + 1}岁及以上", bounds[-1] + 1, 200))
    return out


def birth_from_id_number(id_number: str | None) -> date | None:
    """The birth date an 18-digit (YYYYMMDD at 7–14) or 15-digit (YYMMDD at 7–12) identity number holds."""
    if not id_number:
        return None
    text = id_number.strip()
    try:
        if len(text) == 18 and text[:17].isdigit():
            return date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
        if len(text) == 15 and text.isdigit():
            return date(1900 + int(text[6:8]), int(text[8:10]), int(text[10:12]))
    except ValueError:
        return None
    return None


def gender_from_id_number(id_number: str | None) -> Gender | None:
    """Gender from the sequence digit (17th of 18, 15th of 15): odd male, even female."""
    text = (id_number or "").strip()
    digit = text[16] if len(text) == 18 and text[:17].isdigit() else text[14] if len(text) == 15 and text.isdigit() else None
    if digit is None or birth_from_id_number(text) is None:
        return None
    return Gender.male if int(digit) % 2 else Gender.female


def _meta(case: Any, key: str) -> dict[str, Any]:
    value = case.meta.get(key) if isinstance(case.meta, dict) else None
    return value if isinstance(value, dict) else {}


def member_birth_date(case: Any, member: Any) -> tuple[date | None, str]:
    """A body member's birth date and where it came from (meta, record, id_number, or '')."""
    known = _meta(case, "member_birth_dates")
    if member.id in known:
        day = as_date(known[member.id])
        if day:
            return day, "meta"
    if getattr(member, "birth_date", None):
        return member.birth_date, "record"
    day = birth_from_id_number(member.id_number)
    return (day, "id_number") if day else (None, "")


@dataclass
class MemberFacts:
    id: str
    birth: date | None
    birth_source: str
    gender: Gender | None
    education: EducationLevel | None
    specialty: str | None


def member_facts(case: Any, member: Any, notes: list[str]) -> MemberFacts:
    birth, source = member_birth_date(case, member)
    profile = _meta(case, "member_profiles").get(member.id)
    profile = profile if isinstance(profile, dict) else {}
    gender = None
    if profile.get("gender") is not None:
        gender = Gender.words().get(str(profile["gender"])) or Gender.lookup(profile["gender"])
        if gender is None:
            notes.append(f"{member.id}: gender not read (男/女/male/female)")
    if gender is None:
        gender = gender_from_id_number(member.id_number)
    education = None
    if profile.get("education") is not None:
        education = EducationLevel.lookup(profile["education"]) or EducationLevel.words().get(str(profile["education"]))
        if education is None:
            notes.append(f"{member.id}: education not read (an EducationLevel code or name)")
    specialty = profile.get("specialty")
    specialty = specialty.strip() if isinstance(specialty, str) and specialty.strip() else None
    return MemberFacts(member.id, birth, source, gender, education, specialty)


@dataclass
class TargetCheck:
    target: str  # e.g. "min_women"
    label: str  # Chinese, for reports
    wanted: str
    actual: str
    status: str  # met | not_met | unknown
    source: str


@dataclass
class TeamStructure:
    body_id: str
    body_name: str
    body_kind: str
    case_id: str
    members: int
    tiers: dict[str, int]
    average: float | None
    sources: dict[str, int]
    gender: dict[str, int]
    education: dict[str, int]
    specialties: dict[str, int]
    checks: list[TargetCheck] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ref: date | None = None
    people: list[MemberFacts] = field(default_factory=list, repr=False)  # for check_targets; not printed


def _status(known_ok: bool, could_still: bool) -> str:
    return "met" if known_ok else ("unknown" if could_still else "not_met")


def team_structure(case: Any, ref: date, bounds: tuple[int, ...] = DEFAULT_TIER_BOUNDS) -> TeamStructure:
    """The structure of the body of `case` on `ref`."""
    labels = tier_labels(bounds)
    tiers = {label: 0 for label, _, _ in labels} | {UNKNOWN_AGE: 0}
    notes: list[str] = []
    people = [member_facts(case, m, notes) for m in case.body.members]
    ages, sources = [], {}
    for p in people:
        if p.birth is None:
            tiers[UNKNOWN_AGE] += 1
            continue
        sources[p.birth_source] = sources.get(p.birth_source, 0) + 1
        age = age_on(p.birth, ref)
        ages.append(age)
        tiers[next(label for label, low, high in labels if low <= age <= high)] += 1
    gender = {g.value: sum(p.gender == g for p in people) for g in Gender} | {UNKNOWN: sum(p.gender is None for p in people)}
    education = {e.value: sum(p.education == e for p in people) for e in EducationLevel} \
        | {UNKNOWN: sum(p.education is None for p in people)}
    specialties: dict[str, int] = {}
    for p in people:
        key = p.specialty or UNKNOWN
        specialties[key] = specialties.get(key, 0) + 1
    average = round(sum(ages) / len(ages), 1) if ages else None
    out = TeamStructure(case.body.id, case.body.name, case.body.kind.value, case.id, len(people), tiers, average,
                        sources, gender, education, dict(sorted(specialties.items())), notes=notes, ref=ref,
                        people=people)
    return out


def check_targets(team: TeamStructure, profile: Any) -> list[TargetCheck]:
    """The targets of `profile` (model/team.TeamProfile) that apply to this team's kind of body, checked."""
    people, ref = team.people, team.ref or date.today()
    n = len(people)
    checks: list[TargetCheck] = []
    for target in profile.targets:
        if target.body_kind is not None and target.body_kind.value != team.body_kind:
            continue
        if target.min_women is not None:
            women, unknown = team.gender["female"], team.gender[UNKNOWN]
            checks.append(TargetCheck("min_women", "女干部", f"≥{target.min_women}名", f"{women}名（不详{unknown}）",
                                      _status(women >= target.min_women, women + unknown >= target.min_women), target.source))
        for young in target.young:
            known = sum(1 for p in people if p.birth is not None and age_on(p.birth, ref) <= young.age)
            unknown = sum(1 for p in people if p.birth is None)
            checks.append(TargetCheck(f"young_{young.age}", f"{young.age}岁及以下", f"≥{young.count}名",
                                      f"{known}名（不详{unknown}）",
                                      _status(known >= young.count, known + unknown >= young.count), target.source))
        if target.max_average_age is not None:
            unknown = team.tiers[UNKNOWN_AGE]
            actual = "—" if team.average is None else f"{team.average}岁"
            ok = team.average is not None and unknown == 0 and team.average <= target.max_average_age
            status = "met" if ok else ("unknown" if unknown or team.average is None else "not_met")
            checks.append(TargetCheck("max_average_age", "平均年龄", f"≤{target.max_average_age}岁",
                                      actual + (f"（不详{unknown}）" if unknown else ""), status, target.source))
        if target.education is not None:
            floor = EDUCATION_ORDER[target.education.level.value]
            known = sum(1 for p in people if p.education is not None and EDUCATION_ORDER[p.education.value] >= floor)
            unknown = team.education[UNKNOWN]
            need = Fraction(str(target.education.share))
            ok = n > 0 and Fraction(known, n) >= need
            could = n > 0 and Fraction(known + unknown, n) >= need
            checks.append(TargetCheck("education", f"{target.education.level.zh}及以上学历",
                                      f"≥{float(need) * 100:.0f}%", f"{known}/{n}（不详{unknown}）",
                                      _status(ok, could), target.source))
        if target.min_specialties is not None:
            distinct = len([k for k in team.specialties if k != UNKNOWN])
            unknown = team.specialties.get(UNKNOWN, 0)
            checks.append(TargetCheck("min_specialties", "专业门类", f"≥{target.min_specialties}类",
                                      f"{distinct}类（不详{unknown}）",
                                      _status(distinct >= target.min_specialties,
                                              distinct + unknown >= target.min_specialties), target.source))
    return checks
