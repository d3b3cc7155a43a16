"""The organisation register (组织机构与职数台账): units, posts with their approved number over time,
who holds them, and the principal leaders' tenures with the dates their departure was settled.

Why beside the cases: a case file can only carry its own claim about the quota and the departing
leader; the breaches that show across cases (a batch of promotions inside a departure window, posts
filled beyond the approved number) need the unit's own record. The file format is docs/register.md;
`reading/register.py` reads it with the same reader and limits as case files.
"""
from __future__ import annotations

from datetime import date
from typing import Iterator, Literal

from pydantic import Field, ValidationInfo, model_validator

from cadre_rules.codes import HolderSource, LeaderRole, Level, RetirementCategory, closed
from cadre_rules.model.base import DayOrMonth, Id, Record, WholeNumber
from cadre_rules.errors import ErrorKind, Problem, Said

LeaderRoleCode = closed(LeaderRole)
RetirementCategoryCode = closed(RetirementCategory)


class QuotaPeriod(Record):
    """The approved number (职数) of a post from a date until the next period starts."""

    since: date = Field(description="first day this approved number holds")
    number: WholeNumber = Field(ge=0, description="approved number of holders")
    basis: str | None = Field(default=None, description="the establishment decision (三定方案 or 编制批复), free text")


class RegisterPost(Record):
    """A post of a unit (a position with an approved number), e.g. 副县长."""

    id: Id
    title: str
    level: Level | None = None
    chief: bool = Field(default=False, description="a chief (正职) post")
    leading_member: bool = Field(default=False, description="a leading member (领导成员) of a local Party committee or "
                                                            "government at county level or above: exchange rules apply")
    quota: list[QuotaPeriod] = Field(min_length=1, description="approved number over time, oldest first")


class Person(Record):
    """Someone who holds or held a post. Personal data: reports show the id unless asked otherwise."""

    id: Id
    name: str
    gender: str | None = None
    birth_date: DayOrMonth | None = Field(default=None, description="a day, or the month alone (YYYY-MM) when the "
                                                                    "record gives no day (the retirement month is then known, "
                                                                    "not its day)")
    retirement: RetirementCategoryCode | None = Field(
        default=None, description="male_60 | female_55 | female_50: the statutory age before the 2025 reform")
    level: Level | None = Field(default=None, description="the person's present level (职级/职务层次)")
    level_since: date | None = Field(default=None, description="since when the person has held that level")


class Holding(Record):
    """Someone holding a post from a date (to a date): the roster."""

    person: Id
    post: Id
    start: date
    end: date | None = Field(default=None, description="last day in the post; null while held")
    source: Literal["roster"] = "roster"


class LeaderTenure(Record):
    """A principal leader's tenure in the unit, with the date the departure was settled (明确离任)."""

    person: Id
    role: LeaderRoleCode
    start: date
    end: date | None = Field(default=None, description="last day in office; null while in office")
    departure_decided: date | None = Field(default=None, description="date the departure was settled")
    successor_in_office: date | None = Field(default=None, description="date the successor took office: the window closes")


class Restructuring(Record):
    """A restructuring of the unit (机构变动), from the date it was decided until it was completed."""

    id: Id
    decided: date
    completed: date | None = None
    note: str | None = None


class Unit(Record):
    """A body or unit whose posts the register records."""

    id: Id = Field(description="the organisation as cases name it (Case.organisation)")
    name: str
    level: Level | None = None
    parent: Id | None = None
    posts: list[RegisterPost] = Field(default_factory=list)
    holders: list[Holding] = Field(default_factory=list)
    leaders: list[LeaderTenure] = Field(default_factory=list)
    restructurings: list[Restructuring] = Field(default_factory=list)

    def post(self, post_id: str) -> RegisterPost | None:
        return next((p for p in self.posts if p.id == post_id), None)


class Register(Record):
    """The whole register: units, the people they name, and the date tenure and age are judged on."""

    version: Literal[1] = Field(default=1, description="format version")
    as_of: date = Field(description="date the roster is complete to: tenure and age are judged on it")
    people: list[Person] = Field(default_factory=list)
    units: list[Unit] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_integrity(self, info: ValidationInfo) -> "Register":
        if info.context and info.context.get("defer_integrity"):
            return self
        problems = list(register_problems(self))
        if problems:
            raise ValueError("; ".join(f"{path}: {msg}" for path, msg in problems))
        return self

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)


_WHAT = {"person": Said("person", "人员"), "unit": Said("unit", "单位"), "post": Said("post", "职位"),
         "restructuring": Said("restructuring", "机构调整")}


def register_problems(reg: Register) -> Iterator[tuple[str, str]]:
    """Dangling references, duplicate ids and impossible chronology, each with its field path and the
    message as a Problem (English text that knows its ErrorKind)."""
    people: set[str] = set()
    for i, person in enumerate(reg.people):
        if person.id in people:
            yield f"people[{i}].id", Problem(ErrorKind.duplicate_register_id, what=_WHAT["person"], id=person.id)
        people.add(person.id)
    units: set[str] = set()
    for u, unit in enumerate(reg.units):
        where = f"units[{u}]"
        if unit.id in units:
            yield f"{where}.id", Problem(ErrorKind.duplicate_register_id, what=_WHAT["unit"], id=unit.id)
        units.add(unit.id)
        posts: set[str] = set()
        for p, post in enumerate(unit.posts):
            if post.id in posts:
                yield f"{where}.posts[{p}].id", Problem(ErrorKind.duplicate_register_id, what=_WHAT["post"], id=post.id)
            posts.add(post.id)
            for q in range(1, len(post.quota)):
                if post.quota[q].since <= post.quota[q - 1].since:
                    yield (f"{where}.posts[{p}].quota[{q}].since",
                           Problem(ErrorKind.quota_period_order, since=post.quota[q].since, previous=post.quota[q - 1].since))
        for h, holding in enumerate(unit.holders):
            if holding.post not in posts:
                yield f"{where}.holders[{h}].post", Problem(ErrorKind.unknown_post, id=holding.post)
            if holding.person not in people:
                yield f"{where}.holders[{h}].person", Problem(ErrorKind.unknown_person, id=holding.person)
            if holding.end and holding.end < holding.start:
                yield f"{where}.holders[{h}].end", Problem(ErrorKind.end_before_start, end=holding.end, start=holding.start)
        for k, tenure in enumerate(unit.leaders):
            if tenure.person not in people:
                yield f"{where}.leaders[{k}].person", Problem(ErrorKind.unknown_person, id=tenure.person)
            if tenure.end and tenure.end < tenure.start:
                yield f"{where}.leaders[{k}].end", Problem(ErrorKind.end_before_start, end=tenure.end, start=tenure.start)
            if tenure.departure_decided and tenure.departure_decided < tenure.start:
                yield f"{where}.leaders[{k}].departure_decided", Problem(ErrorKind.decided_before_start, date=tenure.departure_decided, start=tenure.start)
            if tenure.successor_in_office and tenure.departure_decided is None:
                yield f"{where}.leaders[{k}].successor_in_office", Problem(ErrorKind.successor_without_settled)
            if (tenure.successor_in_office and tenure.departure_decided
                    and tenure.successor_in_office < tenure.departure_decided):
                yield (f"{where}.leaders[{k}].successor_in_office",
                       Problem(ErrorKind.successor_before_settled, date=tenure.successor_in_office,
                               settled=tenure.departure_decided))
        ids: set[str] = set()
        for r, change in enumerate(unit.restructurings):
            if change.id in ids:
                yield f"{where}.restructurings[{r}].id", Problem(ErrorKind.duplicate_register_id, what=_WHAT["restructuring"], id=change.id)
            ids.add(change.id)
            if change.completed and change.completed < change.decided:
                yield f"{where}.restructurings[{r}].completed", Problem(ErrorKind.completed_before_decided, completed=change.completed, decided=change.decided)
    for u, unit in enumerate(reg.units):
        if unit.parent is not None and unit.parent not in units:
            yield f"units[{u}].parent", Problem(ErrorKind.unknown_unit, id=unit.parent)


__all__ = ["Holding", "HolderSource", "LeaderTenure", "Person", "QuotaPeriod", "Register", "RegisterPost",
           "Restructuring", "Unit", "register_problems"]
