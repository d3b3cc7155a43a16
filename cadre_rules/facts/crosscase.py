"""Cross-case facts: a unit of the organisation register and the appointments its cases made, turned
into flat facts for the register rules (rules with `scope: register`, docs/register.md).

Why a separate derivation: these facts belong to a unit and a window, not to one case. A case
contributes one small `CaseAppointment` row per appointment notice (`appointment_rows`), which the
batch keeps on disk, not in memory (audit/register.py); the facts of one unit are derived from its
register entry and its rows alone, so memory holds one unit at a time.

Fact types (schema in facts/schema.py, REGISTER_SCHEMA):
- `window`: a departure or restructuring window with the decisions its cases took inside it;
- `post_day`: a post on a day someone started in it: approved number and holders that day;
- `tenure`: someone holding a post on the register's date: years in the post and at the level;
- `retirement`: the same holder's statutory retirement date under the 2025 reform;
- `person`: who the register's person ids of the unit are (name and post), so that messages name a
  person beside the id as case findings do ("p-jz-1 卫东（副市长）"); `--redact` takes the names out.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable, NamedTuple

from cadre_rules.codes import HolderSource, LeaderRole, MoveKind, PriorMatter, Reply, RetirementCategory, WindowKind
from cadre_rules.facts.derive import _adopted_decisions
from cadre_rules.facts.periods import days_of_month, full_months, full_years, previous_day
from cadre_rules.facts.retirement import retirement_age_months, retirement_date
from cadre_rules.facts.values import Fact, FactSet, MonthFacts, Unknown
from cadre_rules.model import Case
from cadre_rules.model.base import MonthDate
from cadre_rules.model.register import Person, Register, Unit


class CaseAppointment(NamedTuple):
    """What the register needs of one appointment notice of a case (all plain values: it is spilled to disk)."""

    unit: str
    post: str
    case_id: str
    candidate: str
    decided: date | None  # the adopted decision (讨论决定), or None
    start: date  # the appointment notice: the day the holder starts
    promotion: bool
    move: str
    departure_reply: date | None  # an approved prior report on the departing leader, replied on
    over_quota_reply: date | None  # an approved prior report on over-quota staffing, replied on
    source: str

    @property
    def acted(self) -> date:
        """The day the unit acted: the decision, else the notice."""
        return self.decided or self.start


def _approved_reply(case: Case, matter: PriorMatter) -> date | None:
    days = [r.reply_date for r in case.prior_reports
            if r.matter == matter and r.reply == Reply.approved and r.reply_date is not None]
    return min(days) if days else None


def appointment_rows(case: Case, source: str = "") -> list[CaseAppointment]:
    """One row per appointment notice of the case, for the unit it names (`organisation`)."""
    decisions = _adopted_decisions(case)
    departure = _approved_reply(case, PriorMatter.leader_departure)
    over_quota = _approved_reply(case, PriorMatter.over_quota)
    return [CaseAppointment(case.organisation, case.post.id, case.id, notice.candidate, decisions.get(notice.candidate),
                            notice.date, case.move == MoveKind.promotion, case.move.value, departure, over_quota, source)
            for notice in case.appointments]


class _Held(NamedTuple):
    person: str
    post: str
    start: date  # a MonthDate when an appointment notice gives the month only
    end: date | None  # the earliest day the holding may have ended
    source: str  # HolderSource
    ref: str  # the case id, or the roster entry's path
    end_last: date | None = None  # the latest, when a move dated to the month only ended it (else `end`)


# An appointment decided or notified in a month only (a MonthDate, the 全程纪实 spreadsheets' 2021-06) is
# a range of days, never its first day: the cross-case facts below count it where every day of the
# month agrees, and are `Unknown` (naming the case and its month) where the days would disagree.

def _days(day: date) -> tuple[date, date]:
    """The first and last day a date may be: the day twice, or a MonthDate's month."""
    return days_of_month(day) if isinstance(day, MonthDate) else (day, day)


def _when(day: date) -> tuple[date, bool]:
    """A day or a month as a key: a MonthDate equals its month's first day as a `date`, so alone it
    would merge with that day in a set."""
    return day, isinstance(day, MonthDate)


def _surely_covers(h: "_Held", first: date, last: date) -> bool:
    """The holding covers every day from `first` to `last`, whichever day its month-only dates are."""
    return _days(h.start)[1] <= first and (h.end is None or h.end >= last)


def _maybe_covers(h: "_Held", first: date, last: date) -> bool:
    """The holding covers some day from `first` to `last` on some day its month-only dates may be."""
    end = h.end_last or h.end
    return _days(h.start)[0] <= last and (end is None or end >= first)


def _unsure(count: tuple[int, int], months: list[str], what: str, what_zh: str) -> "int | Unknown":
    """A count known as a range: the number when both ends agree, else Unknown naming the month-only acts
    with the fewest and the most it can be, so that a rule whose threshold the fewest already reach (or
    the most never reach) still judges it."""
    if count[0] == count[1]:
        return count[0]
    listed = "、".join(months)
    return Unknown(f"{what} depends on the days of acts recorded to the month only: {listed}",
                   f"{what_zh}取决于只记录到月的日期：{listed}", count)


def _person_key(row: CaseAppointment, people: set[str]) -> str:
    """A candidate is a register person when the ids agree; else the case's own candidate."""
    return row.candidate if row.candidate in people else f"{row.case_id}/{row.candidate}"


def holdings(unit: Unit, rows: Iterable[CaseAppointment], people: set[str], u: int = 0) -> list[_Held]:
    """The roster's holdings plus each case appointment the roster does not already record. A case
    appointment ends the same person's other open holding in the unit on the day before (a move
    within the unit vacates the former post). Linear in the rows: holdings are indexed by person."""
    held = [_Held(h.person, h.post, h.start, h.end, HolderSource.roster.value, f"units[{u}].holders[{k}]")
            for k, h in enumerate(unit.holders)]
    by_person: dict[str, list[int]] = {}
    for i, h in enumerate(held):
        by_person.setdefault(h.person, []).append(i)
    for row in sorted(rows, key=lambda r: (r.start, r.case_id, r.candidate)):
        person = _person_key(row, people)
        mine = by_person.setdefault(person, [])
        first, last = _days(row.start)
        if any(held[i].post == row.post and _maybe_covers(held[i], first, last) for i in mine):
            continue
        for i in mine:
            h = held[i]
            if h.post != row.post and h.end is None and _days(h.start)[0] < last:
                end, end_last = previous_day(first), previous_day(last)
                held[i] = h._replace(end=end, end_last=end_last if end_last != end else None)
        mine.append(len(held))
        held.append(_Held(person, row.post, row.start, None, HolderSource.case.value, row.case_id))
    return held


def _covers(h: _Held, day: date) -> bool:
    return _surely_covers(h, day, day)


def _tri(surely: bool, maybe: bool) -> bool | None:
    """True, False, or None when the days of a month-only date decide."""
    return True if surely else (None if maybe else False)


def acted_within(row: CaseAppointment, first: date, last: date | None) -> bool | None:
    """Whether the day the row's unit acted falls from `first` to `last` (open-ended without one): None
    when the act is dated to the month only and the day decides (reports that list rows by period)."""
    lo, hi = _days(row.acted)
    return _tri(first <= lo and (last is None or hi <= last), first <= hi and (last is None or lo <= last))


def _act_day(r: CaseAppointment) -> "date | Unknown":
    """The day a row's unit acted, as the rules' act date: a month is its range of days (the edition
    in force is then chosen for the whole month, engine/python.py)."""
    if not isinstance(r.acted, MonthDate):
        return r.acted
    return Unknown(f"{r.case_id}: the decision is recorded to the month only ({r.acted})",
                   f"{r.case_id}：决定日期只记录到月（{r.acted}）", _days(r.acted))


def _label(r: CaseAppointment) -> str:
    return f"{r.case_id}（{r.acted.isoformat()}）"


def _windows(unit: Unit, u: int, rows: list[CaseAppointment], as_of: date) -> list[Fact]:
    spans: list[tuple[str, str, str | None, date, date | None]] = []
    for k, t in enumerate(unit.leaders):
        if t.departure_decided is not None:
            spans.append((f"units[{u}].leaders[{k}]", WindowKind.departure.value, t.person, t.departure_decided,
                          t.successor_in_office or t.end))
    for k, r in enumerate(unit.restructurings):
        spans.append((f"units[{u}].restructurings[{k}]", WindowKind.restructuring.value, None, r.decided, r.completed))
    out = []
    for n, (path, kind, leader, opened, closed) in enumerate(spans):
        # each row: (inside, reported), each True, False, or None where a month-only act date decides
        marks = []
        for r in sorted(rows, key=lambda r: (r.acted, r.case_id, r.candidate)):
            first, last = _days(r.acted)
            inside = _tri(opened <= first and (closed is None or last < closed),
                          opened <= last and (closed is None or first < closed))
            if inside is False:
                continue
            reply = r.departure_reply
            marks.append((r, inside, _tri(reply is not None and reply < first, reply is not None and reply < last)))
        inside = [r for r, i, _ in marks if i]
        reported = [r for r, i, rep in marks if i and rep]
        unreported = [r for r, i, rep in marks if i and rep is False]
        unsure = [_label(r) for r, i, rep in marks if i is None or rep is None]
        most = [r for r, i, rep in marks if rep is not True]  # unreported on some days
        counts = {
            "decisions": _unsure((len(inside), len(marks)), unsure, "the number of decisions in the window", "窗口期内的决定数"),
            "reported": _unsure((len(reported), sum(1 for _, _, rep in marks if rep is not False)), unsure,
                                "the number of reported decisions in the window", "窗口期内已报告的决定数"),
            "unreported": _unsure((len(unreported), len(most)), unsure, "the number of unreported decisions in the window",
                                  "窗口期内未报告的决定数"),
            "promotions": _unsure((sum(1 for r in unreported if r.promotion), sum(1 for r in most if r.promotion)),
                                  unsure, "the number of unreported promotions in the window", "窗口期内未报告的提拔数"),
        }
        out.append({
            "id": f"window:{unit.id}:{n}", "path": path, "unit": unit.id, "unit_name": unit.name, "kind": kind,
            "leader": leader, "opened": opened, "closed": closed, "as_of": as_of,
            **counts,
            "cases": [_label(r) for r in unreported],
            "case_ids": sorted({r.case_id for r in unreported}),
            "first": _act_day(most[0]) if most else None,  # `most` is `unreported` unless a month decides
            "last": _act_day(most[-1]) if most else None,
        })
    return out


def approved_number(unit: Unit, post_id: str, day: date) -> int | None:
    """The approved number of a post on a day (the latest period begun by then), or None before the first."""
    post = unit.post(post_id)
    if post is None:
        return None
    number = None
    for period in post.quota:
        if period.since <= day:
            number = period.number
    return number


def _post_days(unit: Unit, u: int, held: list[_Held], rows: list[CaseAppointment]) -> list[Fact]:
    out = []
    excused: dict[tuple[str, tuple[date, bool]], bool | None] = {}  # over-quota report before the act (None: the days decide)
    for r in rows:
        if r.over_quota_reply is not None:
            first, last = _days(r.acted)
            key = (r.post, _when(r.start))
            mark, before = _tri(r.over_quota_reply <= first, r.over_quota_reply <= last), excused.get(key, False)
            excused[key] = True if mark or before else (None if mark is None or before is None else False)
    for p, post in enumerate(unit.posts):
        mine = [h for h in held if h.post == post.id]
        for when in sorted({_when(h.start) for h in mine}):
            day = next(h.start for h in mine if _when(h.start) == when)
            first, last = _days(day)
            starting = [h for h in mine if _when(h.start) == when]
            others = [h for h in mine if _when(h.start) != when]
            surely = len(starting) + sum(1 for h in others if _surely_covers(h, first, last))
            maybe = len(starting) + sum(1 for h in others if _maybe_covers(h, first, last))
            months = sorted({f"{h.ref}（{h.start}）" for h in others
                             if _surely_covers(h, first, last) != _maybe_covers(h, first, last)})
            holders: object = _unsure((surely, maybe), months, f"the number of holders of {post.id} on {day}",
                                      f"{post.title}在 {day} 的在职人数")
            quota: object = approved_number(unit, post.id, first)
            if quota != approved_number(unit, post.id, last):
                quota = Unknown(f"{post.id}: the approved number changes within {day}, the month of an appointment "
                                f"recorded to the month only", f"{post.title}的职数在 {day} 内变化，任职日期只记录到月")
            reported: object = excused.get((post.id, when), False)
            if reported is None:
                reported = Unknown(f"{post.id}: the over-quota report was approved within {day}, the month of "
                                   f"the act recorded to the month only", f"{post.title}：超职数事前报告在 {day} 内批复，"
                                   f"决定或任职日期只记录到月")
            excess = (None if quota is None else
                      holders - quota if isinstance(holders, int) and isinstance(quota, int) else
                      holders if isinstance(holders, Unknown) else quota)
            out.append({
                "id": f"post_day:{unit.id}:{post.id}:{day.isoformat()}", "path": f"units[{u}].posts[{p}]",
                "unit": unit.id, "unit_name": unit.name, "post": post.id, "post_title": post.title, "date": day,
                "quota": quota, "holders": holders, "excess": excess,
                "appointed": [h.ref if h.source == HolderSource.case.value else h.person for h in starting],
                "cases": sorted({h.ref for h in starting if h.source == HolderSource.case.value}),
                "reported": reported,
            })
    return out


def _merged_current(held: list[_Held], as_of: date) -> list[_Held]:
    """Holdings on `as_of`, each joined with the same person's earlier holding of the same post that it continues."""
    out = []
    for h in held:
        if not _covers(h, as_of):  # surely held that day: a month-only start or move leaves it out there
            continue
        start = h.start
        earlier = sorted((e for e in held if e.person == h.person and e.post == h.post and e is not h and e.end),
                         key=lambda e: e.start, reverse=True)
        for e in earlier:
            if e.end is not None and e.end >= previous_day(start) and e.start < start:
                start = e.start
        out.append(h._replace(start=start))
    return sorted(out, key=lambda h: (h.post, h.start, h.person))


def _category(person: Person | None) -> RetirementCategory | None:
    if person is None:
        return None
    if person.retirement is not None:
        return RetirementCategory(person.retirement)
    gender = (person.gender or "").strip().lower()
    if gender in ("男", "male", "m"):
        return RetirementCategory.male_60
    if gender in ("女", "female", "f"):  # a woman in a leading post is a cadre: formerly 55 (not the workers' 50)
        return RetirementCategory.female_55
    return None


def _people_facts(unit: Unit, u: int, held: list[_Held], people: dict[str, Person], as_of: date) -> tuple[list[Fact], list[Fact]]:
    tenures, retirements = [], []
    for h in _merged_current(held, as_of):
        post = unit.post(h.post)
        if post is None:
            continue
        person = people.get(h.person)
        common = {"unit": unit.id, "unit_name": unit.name, "post": post.id, "post_title": post.title,
                  "person": h.person, "as_of": as_of}
        since = person.level_since if person else None
        first, last = _days(h.start)
        years: object = full_years(first, as_of)
        if years != full_years(last, as_of):
            years = Unknown(f"{h.ref}: the start in {post.id} is recorded to the month only ({h.start}); the full "
                            f"years to {as_of} depend on its day",
                            f"{h.ref}：{post.title}任职日期只记录到月（{h.start}），至 {as_of} 的整年数取决于具体日期")
        tenures.append({
            "id": f"tenure:{unit.id}:{post.id}:{h.person}", "path": h.ref if h.source == HolderSource.roster.value
            else f"units[{u}].posts", **common, "leading_member": post.leading_member, "chief": post.chief,
            "start": h.start, "years_in_post": years,
            "level": person.level.value if person and person.level else (post.level.value if post.level else None),
            "level_since": since, "years_in_level": full_years(since, as_of) if since else None,
        })
        category = _category(person)
        if person is None or person.birth_date is None or category is None:
            continue
        retirements.append({
            "id": f"retirement:{unit.id}:{post.id}:{h.person}", "path": f"people[{h.person}]", **common,
            "category": category.value, **_retirement(person, category, as_of),
        })
    return tenures, retirements


def _retirement(person: Person, category: RetirementCategory, as_of: date) -> dict[str, object]:
    """Birth and retirement dates, whether the date is past on `as_of` and the full months left. With the
    birth month alone the retirement month is known (the reform's delay depends on the month of birth)
    but not its day: `past` and `months_left` are then `Unknown` where the days of that month disagree,
    never judged on a guessed day."""
    birth = person.birth_date
    if isinstance(birth, date):
        due = retirement_date(birth, category)
        past = due <= as_of
        return {"birth_date": birth, "retirement_date": due, "age_months": retirement_age_months(birth, category),
                "past": past, "months_left": 0 if past else full_months(as_of, due)}
    first, last = days_of_month(birth)
    due_first, due_last = retirement_date(first, category), retirement_date(last, category)
    month = MonthDate(due_first.year, due_first.month)
    why = (f"people[{person.id}].birth_date: only the month is recorded ({birth}); the retirement date falls "
           f"in {month}, and {as_of} is inside that month",
           f"people[{person.id}].birth_date：仅记录出生年月（{birth}），法定退休日期在 {month} 内，{as_of} 是否已到无法确定")
    if due_last <= as_of:
        past: object = True
    elif due_first > as_of:
        past = False
    else:
        past = Unknown(*why)
    left: object = 0 if past is True else full_months(as_of, due_first)
    if past is not True and left != full_months(as_of, due_last):
        left = Unknown(*why) if isinstance(past, Unknown) else Unknown(
            f"people[{person.id}].birth_date: only the month is recorded ({birth}); the full months from {as_of} "
            f"to the retirement date in {month} depend on its day",
            f"people[{person.id}].birth_date：仅记录出生年月（{birth}），距 {month} 内的法定退休日期的整月数取决于具体日期")
    return {"birth_date": MonthDate(birth.year, birth.month), "retirement_date": month,
            "age_months": retirement_age_months(first, category), "past": past, "months_left": left}


def _people_named(unit: Unit, held: list[_Held], people: dict[str, Person]) -> list[Fact]:
    """The `person` facts of the unit: each register person holding one of its posts (roster or case)
    or leading it, with the titles of the posts held in it (latest first), else the leader's role."""
    posts: dict[str, list[str]] = {}
    for h in sorted(held, key=lambda h: (h.start, h.post), reverse=True):
        post = unit.post(h.post)
        if h.person in people and post is not None and post.title not in posts.setdefault(h.person, []):
            posts[h.person].append(post.title)
    for t in unit.leaders:
        if t.person in people and not posts.get(t.person):
            role = LeaderRole.lookup(t.role)
            posts[t.person] = [role.zh if role is not None else str(t.role)]
    return [{"id": f"person:{unit.id}:{pid}", "path": f"people[{pid}]", "person": pid, "name": people[pid].name,
             "post": "、".join(titles) or None, "roles": []} for pid, titles in sorted(posts.items())]


def people_by_id(register: Register) -> dict[str, Person]:
    return {p.id: p for p in register.people}


def unit_facts(register: Register, unit_index: int, rows: Iterable[CaseAppointment],
               people: dict[str, Person] | None = None) -> FactSet:
    """The cross-case facts of one unit (register entry `units[unit_index]`) and its cases' rows;
    `people` is `people_by_id(register)`, made once for all the units of a run."""
    unit = register.units[unit_index]
    rows = list(rows)
    people = people if people is not None else people_by_id(register)
    held = holdings(unit, rows, set(people), unit_index)
    tenures, retirements = _people_facts(unit, unit_index, held, people, register.as_of)
    facts = {
        "window": _windows(unit, unit_index, rows, register.as_of),
        "post_day": _post_days(unit, unit_index, held, rows),
        "tenure": tenures,
        "retirement": retirements,
        "person": _people_named(unit, held, people),
    }
    # a birth known to the month may leave `past` or `months_left` unknown, an appointment decided or notified
    # in a month the window counts, holders or years in post: the evaluators then test every field
    if any(isinstance(v, Unknown) for kind in facts.values() for fact in kind for v in fact.values()):
        return MonthFacts(facts)
    return facts


__all__ = ["CaseAppointment", "acted_within", "appointment_rows", "approved_number", "holdings", "people_by_id", "unit_facts"]
