"""Facts of the dossier checks (三龄二历一身份): sourced values compared, the prevailing value chosen,
records tested for what cannot be true, and the identity number checked.

Which value prevails follows the rules on 认定 (see rules/national/16-dossier.yaml for where each was
read): a dossier review's resolved conclusion (认定) first; for the birth date otherwise the earliest
record in the dossier or the household register (组通字〔2006〕41号 as reported; the earliest-recorded
principle); for the work start and Party admission otherwise the dossier. The facts only compute; every
threshold is a rule parameter.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from cadre_rules.codes import SourcedMeasure
from cadre_rules.facts.levels import DEPUTY_LEVELS, EDUCATION_RANKS, LEVEL_AT, LEVEL_RANKS
from cadre_rules.facts.periods import days_of_month, full_years, full_years_from, full_years_until
from cadre_rules.facts.values import Fact, Unknown
from cadre_rules.model.base import YearMonth
from cadre_rules.model.people import Candidate
from cadre_rules.model.records import SOURCE_NAMES, SourcedDate, SourcedRecords
from cadre_rules.model.labels import path_label

DATE_ITEMS = ("birth_date", "work_start_date", "party_join_date")
ITEM_NAMES = {"birth_date": "出生日期", "work_start_date": "参加工作时间", "party_join_date": "入党时间",
              "education": "学历学位", "work_history": "工作经历", "cadre_identity": "干部身份"}
_RANKS, _DEPUTY, _EDUCATION_RANKS = LEVEL_RANKS, DEPUTY_LEVELS, EDUCATION_RANKS  # 副科 = 0; 高中、中专 = 0
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
RULE_REVIEW = "干部人事档案审核认定结论"
RULE_EARLIEST = "以档案和户籍中最先记载的出生日期为准"
RULE_DOSSIER = "以干部人事档案记载为准"
RULE_FIRST = "无档案记载，以第一个来源为准"


def source_name(source: Any) -> str:
    return SOURCE_NAMES[getattr(source, "_value_", source)]


def prevailing(item: str, values: list[SourcedDate], records: SourcedRecords) -> tuple[date, str, str]:
    """The value that prevails for a date item, the source it comes from and the rule that says so."""
    for review in records.dossier_review:
        if review.item == item and review.status == "resolved" and review.value is not None:
            return review.value, "审核认定", RULE_REVIEW
    if item == "birth_date":
        primary = [v for v in values if v.source._value_ in ("dossier", "household_register")]
        dated = [v for v in primary if v.recorded is not None]
        if dated:
            first = min(dated, key=lambda v: (v.recorded, v.source._value_ != "dossier"))
            return first.value, source_name(first.source), RULE_EARLIEST
        if primary:
            first = next((v for v in primary if v.source._value_ == "dossier"), primary[0])
            return first.value, source_name(first.source), RULE_EARLIEST
    dossier = next((v for v in values if v.source._value_ == "dossier"), None)
    if dossier is not None:
        return dossier.value, source_name(dossier.source), RULE_DOSSIER
    return values[0].value, source_name(values[0].source), RULE_FIRST


def prevailing_dates(candidate: Candidate) -> dict[str, date | None]:
    """The candidate's three dates as the rules judge them: the prevailing sourced value where sources
    exist, otherwise the candidate's own field."""
    fields = candidate.__dict__
    out = {item: fields[item] for item in DATE_ITEMS}
    records = fields["records"]
    if records is not None:
        for item in DATE_ITEMS:
            values = getattr(records, item)
            if values:
                out[item] = prevailing(item, values, records)[0]
    return out


def id_number_problem(number: str) -> tuple[str | None, date | None]:
    """GB 11643: (problem, birth date in the number). Problems: format | date | check_digit."""
    number = number.strip().upper()
    if len(number) == 18 and number[:17].isdigit() and (number[17].isdigit() or number[17] == "X"):
        digits = number[6:14]
    elif len(number) == 15 and number.isdigit():
        digits = "19" + number[6:12]
    else:
        return "format", None
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return "date", None
    if len(number) == 18:
        total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS))
        if _CHECK[total % 11] != number[17]:
            return "check_digit", born
    return None, born


def _overlap_days(a_start: date, a_end: date | None, b_start: date, b_end: date | None, today: date) -> int:
    end = min(a_end or today, b_end or today)
    start = max(a_start, b_start)
    return max(0, (end - start).days + 1)


def _listing(values: list[SourcedDate]) -> str:
    parts = []
    for v in values:
        text = f"{source_name(v.source)} {v.value.isoformat()}"
        if v.recorded is not None:
            text += f"（最早记载 {v.recorded.isoformat()}）"
        parts.append(text)
    return "；".join(parts)


# The counts another source's value of a date could turn: years to the judging date from each source's
# work start or Party admission, and the age on the prevailing work start or Party admission from each
# source's birth date (which rules judge them is the rulebook's: rules/national/16-dossier.yaml).
_YEARS = {"work_start_date": SourcedMeasure.work_years, "party_join_date": SourcedMeasure.party_years}
_AGES = {"party_join_date": SourcedMeasure.party_admission_age, "work_start_date": SourcedMeasure.work_start_age}


def _turn(cid: str, path: str, item: str, measure: SourcedMeasure, counts: list[tuple[int | None, SourcedDate]], on_prevailing: int | None, prevailing_value: date,
          source: str, rule: str, event: "date | YearMonth | None", why: Unknown | None) -> Fact:
    """One count on the prevailing value of `item` and on the source giving the fewest (None: the day of a
    month-only date decides, then the count is Unknown with `why`)."""
    known = [(n, v) for n, v in counts if n is not None]
    fewest, fewest_source = None, None
    if known:
        n, v = min(known, key=lambda nv: (nv[0], nv[1].source._value_))
        fewest, fewest_source = n, source_name(v.source)
    return {
        "id": f"turn:{cid}/{measure._value_}", "path": f"{path}.{item}", "candidate": cid, "item": item,
        "item_name": ITEM_NAMES[item], "measure": measure._value_,
        "on_prevailing": on_prevailing if on_prevailing is not None else why,
        "fewest": fewest if fewest is not None and len(known) == len(counts) else why,
        "fewest_source": fewest_source, "prevailing": prevailing_value, "prevailing_source": source,
        "prevailing_rule": rule, "values": _listing([v for _, v in counts]),
        "event_year": event.year if event is not None else None,
    }


def turn_facts(i: int, candidate: Candidate, judged_on: date) -> list[Fact]:
    """The counts the qualification and plausibility rules judge on a date of the three ages, on the
    prevailing value and on the source that gives the fewest: work and Party years from each source's
    work start and Party admission, and the age at the prevailing work start and Party admission from
    each source's birth date. The rules say when the two counts fall on both sides of a threshold."""
    c = candidate.__dict__
    records: SourcedRecords | None = c["records"]
    if records is None:
        return []
    cid, path = c["id"], f"candidates[{i}].records"
    out: list[Fact] = []
    for item, measure in _YEARS.items():
        values = getattr(records, item)
        if values:
            value, source, rule = prevailing(item, values, records)
            counts = [(full_years(v.value, judged_on), v) for v in values]
            out.append(_turn(cid, path, item, measure, counts, full_years(value, judged_on), value,
                             source, rule, None, None))
    births = records.birth_date
    if births:
        birth, source, rule = prevailing("birth_date", births, records)
        dates = prevailing_dates(candidate)
        for item, measure in _AGES.items():
            event = dates[item]
            if event is None:
                continue
            why = None
            if isinstance(event, YearMonth):
                why = Unknown(f"candidates[{i}].{item}: only the month is recorded ({event}); the day decides the age on it",
                              f"{path_label(f'candidates[{i}].{item}')}只记录到月（{event}），具体日期决定当时的年龄")
            counts = [(full_years_until(v.value, event), v) for v in births]
            out.append(_turn(cid, path, "birth_date", measure, counts, full_years_until(birth, event), birth,
                             source, rule, event, why))
    return out


def _age_on(birth: "date | YearMonth", day: date, where: str) -> "int | Unknown | None":
    """Full years of age on `day`; None when `day` is before the birth. A birth known to the month only
    (the appointment form's 出生年月, `where`) gives the age every day of that month agrees on, else
    Unknown: the day of birth is never guessed."""
    if isinstance(birth, date):
        return full_years(birth, day) if day >= birth else None
    first, last = days_of_month(birth)
    if day < first:
        return None
    years = full_years_from(birth, day) if day > last else None  # within the month: perhaps before the birth
    if years is not None:
        return years
    return Unknown(f"{where}: only the month is recorded ({birth}); the day decides the age on {day}",
                   f"{path_label(where)}只记录到月（{birth}），{day} 时的年龄取决于具体日期")


def _same_birth(day: date, birth: "date | YearMonth") -> bool:
    """The identity number's birth day agrees with the birth date: the same day, or a day of the month
    when only the month is recorded."""
    if isinstance(birth, date):
        return day == birth
    return (day.year, day.month) == (birth.year, birth.month)


def _day_or_unknown(value: "date | YearMonth | None", where: str) -> "date | Unknown | None":
    """A date the rules compare with days: a month alone is Unknown with the month's days, so that a
    comparison every day of the month decides alike is still made (engine/codegen.py range_compare)
    and only one that the day would decide reads `unknown`."""
    if value is None or isinstance(value, date):
        return value
    return Unknown(f"{where}: only the month is recorded ({value})", f"{path_label(where)}只记录到月（{value}）",
                   days_of_month(value))


def dossier_facts(i: int, candidate: Candidate, judged_on: date) -> dict[str, list[Fact]]:
    """The sourced, study, career, identity and review facts of one candidate (empty without records)."""
    c = candidate.__dict__
    records: SourcedRecords | None = c["records"]
    out: dict[str, list[Fact]] = {"sourced": [], "turn": [], "study": [], "career": [], "identity": [], "review": []}
    if records is None:
        return out
    out["turn"] = turn_facts(i, candidate, judged_on)
    cid, path = c["id"], f"candidates[{i}].records"
    dates = prevailing_dates(candidate)
    birth = dates["birth_date"]
    birth_path = f"candidates[{i}].birth_date"  # a month alone only there: sourced values are days
    for item in DATE_ITEMS:
        values = getattr(records, item)
        if not values:
            continue
        value, source, rule = prevailing(item, values, records)
        differing = [v for v in values if v.value != value]
        days = [v.value.toordinal() for v in values]
        years = {v.source._value_: full_years(v.value, judged_on) for v in values if v.value <= judged_on}
        low = min(years, key=lambda s: (years[s], s)) if years else None
        resolved = any(r.item == item and r.status == "resolved" for r in records.dossier_review)
        out["sourced"].append({
            "id": f"sourced:{cid}/{item}", "path": f"{path}.{item}", "candidate": cid, "item": item,
            "item_name": ITEM_NAMES[item], "values": _listing(values), "source_count": len(values),
            "distinct": len({v.value for v in values}), "spread_days": max(days) - min(days),
            "differing_sources": sorted({source_name(v.source) for v in differing}),
            "form_differs": any(v.source._value_ in ("appointment_form", "publicity") for v in differing),
            "prevailing": value, "prevailing_source": source, "prevailing_rule": rule, "resolved": resolved,
            "age_at_prevailing": _age_on(birth, value, birth_path) if item != "birth_date" else None,
            "years_prevailing": full_years(value, judged_on) if value <= judged_on else 0,
            "years_min": years[low] if low else 0,
            "years_min_source": source_name(low) if low else None,
        })
    dossier_lines = [h for h in records.work_history if h.source._value_ == "dossier"]
    full_time_lines = [h for h in (dossier_lines or records.work_history) if h.full_time]
    for e, entry in enumerate(records.education):
        overlap, overlap_post = 0, None
        if entry.mode._value_ == "full_time" and entry.start is not None and entry.end is not None:
            for h in full_time_lines:
                days = _overlap_days(entry.start, entry.end, h.start, h.end, judged_on)
                if days > overlap:
                    overlap, overlap_post = days, f"{h.organisation}{h.post}"
        level = entry.level._value_ if entry.level is not None else None
        others = [o for o in records.education if o is not entry and o.mode != entry.mode
                  and (o.level == entry.level if entry.level is not None else o.degree == entry.degree)
                  and (o.institution is None or entry.institution is None or o.institution == entry.institution)]
        out["study"].append({
            "id": f"study:{cid}/{e}", "path": f"{path}.education[{e}]", "candidate": cid,
            "source": source_name(entry.source), "degree": entry.degree,
            "rank": _EDUCATION_RANKS[level] if level else None, "mode": entry.mode._value_, "end": entry.end,
            "age_at_end": _age_on(birth, entry.end, birth_path) if entry.end is not None else None,
            "post_overlap_days": overlap, "overlap_post": overlap_post,
            "mode_conflict": bool(entry.mode._value_ == "full_time" and any(o.mode._value_ == "in_service" for o in others)),
            "other_modes": "；".join(f"{source_name(o.source)} {'在职' if o.mode._value_ == 'in_service' else '全日制'}"
                                    for o in others),
        })
    by_source: dict[str, list[tuple[int, Any]]] = {}
    for h, line in enumerate(records.work_history):
        by_source.setdefault(line.source._value_, []).append((h, line))
    facts: dict[int, Fact] = {}
    for source, lines in by_source.items():
        lines = sorted(lines, key=lambda hl: (hl[1].start, hl[0]))
        previous = None
        for h, line in lines:
            gap = overlap = 0
            if previous is not None:
                prev_end = previous.end or judged_on
                gap = max(0, (line.start - prev_end).days - 1)
                overlap = max(0, (prev_end - line.start).days + 1) if line.start <= prev_end else 0
            rank = _RANKS[line.level] if line.level is not None else None
            step, years_below = "other", None
            if rank is not None and rank > 0:
                below = [x for _, x in lines if x.level is not None and _RANKS[x.level] == rank - 1 and x.start < line.start]
                if below:
                    step = "deputy_to_chief" if LEVEL_AT[rank - 1] in _DEPUTY else "chief_to_upper_deputy"
                    days = sum((min(x.end or line.start, line.start) - x.start).days for x in below)
                    years_below = days // 365
            supported = None
            if source != "dossier" and dossier_lines:
                supported = any(d.organisation == line.organisation and d.post == line.post
                                and _overlap_days(d.start, d.end, line.start, line.end, judged_on) > 0 for d in dossier_lines)
            facts[h] = {
                "id": f"career:{cid}/{h}", "path": f"{path}.work_history[{h}]", "candidate": cid,
                "source": source_name(line.source), "organisation": line.organisation, "post": line.post,
                "level": line.level._value_ if line.level is not None else None, "rank": rank,
                "start": line.start, "end": line.end,
                "previous": f"{previous.organisation}{previous.post}" if previous is not None else None,
                "gap_before_days": gap, "overlap_before_days": overlap, "step": step, "years_below": years_below,
                "supported": supported,
            }
            previous = line if previous is None or (line.end or judged_on) >= (previous.end or judged_on) else previous
    out["career"] = [facts[h] for h in sorted(facts)]
    number = c["id_number"]
    problem, id_birth = id_number_problem(number) if number else (None, None)
    identity = records.cadre_identity
    out["identity"].append({
        "id": f"identity:{cid}", "path": f"candidates[{i}]", "candidate": cid,
        "id_number_present": bool(number), "id_problem": problem, "id_birth": id_birth,
        "id_birth_differs": id_birth is not None and not _same_birth(id_birth, birth), "birth_prevailing": birth,
        "identity_how": identity.how if identity else None, "identity_acquired": identity.acquired if identity else None,
        "work_start": _day_or_unknown(dates["work_start_date"], f"candidates[{i}].work_start_date"),
    })
    for r, review in enumerate(records.dossier_review):
        out["review"].append({
            "id": f"review:{cid}/{r}", "path": f"{path}.dossier_review[{r}]", "candidate": cid, "item": review.item,
            "item_name": ITEM_NAMES[review.item], "status": review.status, "date": review.date,
        })
    return out
