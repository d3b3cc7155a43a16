"""Events of a live case: what each kind records, and where in the stage graph it takes the case.

An event is `Event(id, kind, on, data)`. Its date `on` is the date of the act: the record it adds
takes its date from it (a recommendation's `date`, an inspection's `start`, a check's `date`, a
meeting's `date`, a publicity's `start` or `end`, a notice's or filing's `date`, a report's
`submitted` …), so `data` never carries that date. Every record is validated by the case model
(unknown fields are errors), and the new case is checked for dangling references and impossible
chronology (`integrity_problems`). Nothing is mutated: each event builds a new `Case`.
"""
from __future__ import annotations

import functools
import json
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, Callable, Iterable, Mapping, NamedTuple

from pydantic import BaseModel, TypeAdapter, ValidationError

from cadre_rules.codes import DECIDING_MEETINGS, Reply
from cadre_rules.reading.cases import format_loc
from cadre_rules.errors import ErrorKind, EventDataError, LiveInputError, Problem, Said
from cadre_rules.live.canonical import MAX_SAFE_INTEGER, journalable, unjournalable
from cadre_rules.model import (
    AppointmentNotice,
    Case,
    Check,
    Filing,
    Inspection,
    IntegrityConclusion,
    LeaderDeparture,
    Meeting,
    Motion,
    Objection,
    Petition,
    PriorReport,
    Publicity,
    Recommendation,
    integrity_problems,
)
from cadre_rules.model.base import DAY_TEXT
from cadre_rules.model.case import INTEGRITY_RECORD_FIELDS

ANY = "*"  # `where`: the event may be recorded in any stage


def plain(value: Any) -> Any:
    """JSON-able data: dates as ISO strings, enums as values, models dumped, tuples as lists."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_defaults=True)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if type(value) is float and value.is_integer() and abs(value) <= MAX_SAFE_INTEGER:
        # 8.0 is 8, as the journal's canonical form writes it: the event equals itself read back after a
        # restart (its fingerprint, its answer), or a resubmission would be taken for another event
        return int(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"event data must be JSON-like; {type(value).__name__} is not")


def as_date(value: Any, field: str, named: str = "", *, event_id: str | None = None) -> date:
    """`value` as a date: a date, an ISO text, or a datetime at midnight (as the case model takes one);
    LiveInputError naming `field` otherwise. Why a datetime with a time of day is refused rather than
    cut to its date: which day it means depends on a time zone the caller did not give."""
    if isinstance(value, datetime):
        if value.time() == datetime.min.time() and value.tzinfo is None:
            return value.date()
        raise LiveInputError(f"{named}`{field}` must be a date, not a datetime with a time of day ({value})",
                             field=field, event_id=event_id)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        # YYYY-MM-DD only, as the case model reads dates: Python 3.11's fromisoformat also takes week
        # dates (2021-W10-1) and compact ones (20210305), which no caller means as a date of an act
        try:
            if DAY_TEXT.fullmatch(value):
                return date.fromisoformat(value)
            problem = "not a calendar date"
        except ValueError as exc:
            problem = str(exc)
        raise LiveInputError(f"{named}`{field}` must be a date YYYY-MM-DD, not {value!r:.60} ({problem})",
                             field=field, event_id=event_id)
    raise LiveInputError(f"{named}`{field}` must be a date, not {type(value).__name__}", field=field,
                         event_id=event_id)


@dataclass(frozen=True)
class Event:
    """Something that happened in a case on a date. `id` is unique within the case (idempotency key)."""

    id: str
    kind: str
    on: date
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise LiveInputError("an event needs a non-empty string id", field="id")
        if not isinstance(self.kind, str) or self.kind not in KINDS:
            raise LiveInputError(f"event {self.id}: unknown event kind {self.kind!r}; known: {', '.join(KINDS)}",
                                 field="kind", event_id=self.id)
        object.__setattr__(self, "on", as_date(self.on, "on", f"event {self.id}: ", event_id=self.id))
        try:
            data = plain(self.data if self.data is not None else {})  # an empty list is not "no data"
        except TypeError as exc:
            raise LiveInputError(f"event {self.id}: {exc}", field="data", event_id=self.id) from None
        if not isinstance(data, dict):
            raise LiveInputError(f"event {self.id}: data must be a mapping", field="data", event_id=self.id)
        object.__setattr__(self, "data", data)
        # tested once, where the data is made (not a field: equality and the fingerprint ignore it)
        object.__setattr__(self, "_journalable", journalable({"id": self.id, "kind": self.kind, "data": data}))

    def check_journalable(self) -> None:
        """LiveInputError naming the first value no journal can hold (NaN, an integer beyond 2^53, a lone
        surrogate). Asked of what a caller submits, journal or not (it raised JournalError at the
        append, naming nothing); not of an Event read back from a journal, which must always resume."""
        if self.__dict__.get("_journalable", False):  # the quick test at construction found nothing
            return
        problems = unjournalable({"id": self.id, "kind": self.kind, "data": self.data})
        if problems:
            where, why = problems[0]
            raise LiveInputError(f"event {self.id!r}: {where}: {why}", field=where, event_id=self.id)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "on": self.on.isoformat(), "data": self.data}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Event":
        """The event of `{"id", "kind", "on", "data"}`; LiveInputError naming the field otherwise."""
        if not isinstance(d, Mapping):
            raise LiveInputError(f"an event must be an Event or a mapping with id, kind, on and data, "
                                 f"not {type(d).__name__}")
        event_id = d.get("id") if isinstance(d.get("id"), str) else None
        named = f"event {event_id}: " if event_id else ""
        unknown = sorted(str(k) for k in d if k not in ("id", "kind", "on", "data"))
        if unknown:
            raise LiveInputError(f"{named}unknown event fields: {', '.join(unknown)}", field=unknown[0],
                                 event_id=event_id)
        for key in ("id", "kind", "on"):
            if key not in d:
                raise LiveInputError(f"{named}`{key}` is required", field=key, event_id=event_id)
        return cls(d["id"], d["kind"], d["on"], d.get("data") or {})

    def fingerprint(self) -> str:
        """Canonical form, to tell a true re-submission from a different event reusing an id."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


Apply = Callable[[Case, Event], Case]
Target = Callable[[Case, Event], "str | None"]
# A kind that replaces one record of a list: the new case, (the list, the record's index), and the
# fields of the record it replaced (the others are the same objects as before). A kind whose data
# names the field (record_updated, record_added) answers None for a field that is not a list, and
# no fields for a record appended.
Replacing = Callable[[Case, Event], "tuple[Case, tuple[str, int] | None, frozenset[str] | None]"]


@dataclass(frozen=True)
class EventKind:
    name: str
    apply: Apply
    target: str | Target | None  # the stage the event takes the case to (None: no move)
    where: frozenset[str] | str  # stages where it is recorded without a move (ANY: everywhere)
    zh: str
    en: str
    # The case fields `apply` replaces (besides `as_of`, which every event sets); None: it depends on
    # the data (record_added, record_updated), found by comparing the case's fields.
    touches: tuple[str, ...] | None = None
    # Parts of those fields that some fact types read alone (live/incremental.py _PARTS) that the kind
    # never changes (an inspection step leaves each inspection's candidate, start and target decision).
    keeps: frozenset[str] = frozenset()
    # Of a kind that replaces one record of a list (an inspection step, a publicity ended …): `apply`
    # saying which record and which of its fields, so that nothing compares the lists or the records'
    # fields to find out (apply_change, live/incremental.py). `apply` is then `replacing(...)[0]`.
    replacing: Replacing | None = None

    def target_for(self, case_after: Case, event: Event) -> str | None:
        return self.target(case_after, event) if callable(self.target) else self.target


# -- helpers ---------------------------------------------------------------------------------------


_UNKNOWN_FIELD = Problem(ErrorKind.record_unknown_field)  # "unknown field", "未知字段"


def _validate(model: type[BaseModel], data: Mapping[str, Any], prefix: str = "data") -> Any:
    """`model.model_validate(data)`, its validator called directly (pydantic's wrapper passes seven
    default keyword arguments on: a tenth of validating a small record such as a check)."""
    try:
        return model.__pydantic_validator__.validate_python(data if type(data) is dict else dict(data))
    except ValidationError as exc:
        errors = []
        for e in _keys_in_order(exc.errors(include_url=False)):
            loc = format_loc(e["loc"])
            msg = _UNKNOWN_FIELD if e["type"] == "extra_forbidden" else str(e["msg"])
            errors.append((f"{prefix}.{loc}" if loc else prefix, msg))
        raise EventDataError(errors) from None


def _keys_in_order(errors: list[Any]) -> list[Any]:
    """pydantic's errors, with each run of unknown keys of one record sorted by key. Why: pydantic names
    the fields a model knows in the model's order, but unknown keys in the order the data gives them,
    and a JSON object's keys have no order (the journal stores an event's data sorted): the same data
    must be refused in the same words, on submission and when its journal is judged again."""
    out: list[Any] = []
    run: list[Any] = []
    for e in [*errors, None]:
        if e is not None and e["type"] == "extra_forbidden" and (not run or run[0]["loc"][:-1] == e["loc"][:-1]):
            run.append(e)
            continue
        out += sorted(run, key=lambda x: str(x["loc"][-1]))
        run = [e] if e is not None and e["type"] == "extra_forbidden" else []
        if e is not None and not run:
            out.append(e)
    return out


def _only(event: Event, allowed: Iterable[str] | None = None, dated: Iterable[str] = (),
          owned: Iterable[str] = ()) -> dict[str, Any]:
    """The event's data, refusing keys the event date fills in (`dated`), keys other events own
    (`owned`) and, if `allowed` is given, anything else. Record fields are otherwise left to the model."""
    data = dict(event.data)
    errors = [(f"data.{key}", f"comes from the event date ({event.on}); leave it out") for key in dated if key in data]
    if owned:
        errors += [(f"data.{key}", "is recorded by its own event (see docs/live.md)") for key in owned if key in data]
    if allowed is not None:
        unknown = set(data).difference(allowed)
        if unknown:
            errors += [(f"data.{k}", _UNKNOWN_FIELD) for k in sorted(unknown)]
    if errors:
        raise EventDataError(errors)
    return data


def _pick(items: list[Any], key: str | None, what: str, open_only: Callable[[Any], bool] | None = None) -> int:
    """Index of the record with id `key`, or of the only (open) one when no id is given."""
    if key is not None:
        for i, item in enumerate(items):
            if item.id == key:
                return i
        raise EventDataError([(f"data.{what}", f'unknown {what} "{key}"')])
    candidates = [i for i, item in enumerate(items) if open_only is None or open_only(item)]
    if len(candidates) != 1:
        raise EventDataError([(f"data.{what}", f"name the {what} (there are {len(candidates)} to choose from)")])
    return candidates[0]


def _replace(items: list[Any], index: int, new: Any) -> list[Any]:
    """A new list: `items` with the record at `index` replaced by `new` (the others the same objects)."""
    return [*items[:index], new, *items[index + 1:]]


_new, _set = object.__new__, object.__setattr__
# BaseModel's slots, set through their descriptors (object.__setattr__ looks each name up on the type first)
_SET_EXTRA, _SET_FIELDS_SET, _SET_PRIVATE = (BaseModel.__dict__[name].__set__ for name in (
    "__pydantic_extra__", "__pydantic_fields_set__", "__pydantic_private__"))


def _copy(model: Any, update: Mapping[str, Any]) -> Any:
    """`model.model_copy(update=update)`, made directly: a new instance with the same field dict
    updated, the updated fields marked as set (the models forbid extra fields and hold no private
    attributes; any other model is copied by pydantic)."""
    if model.__pydantic_extra__ is not None or getattr(model, "__pydantic_private__", None) is not None:
        return model.model_copy(update=dict(update))
    new = _new(type(model))
    _set(new, "__dict__", {**model.__dict__, **update})
    _SET_EXTRA(new, None)
    _SET_FIELDS_SET(new, model.__pydantic_fields_set__ | update.keys())
    _SET_PRIVATE(new, None)
    return new


def _with(case: Case, **update: Any) -> Case:
    return _copy(case, update)


def _replacing(case: Case, name: str, index: int, update: Mapping[str, Any]) -> tuple[Case, tuple[str, int], frozenset[str]]:
    """The case with the record at `index` of its list `name` copied with `update` (a `Replacing`
    kind's answer: the record and the fields replaced)."""
    records = case.__dict__[name]
    new = _copy(records[index], update)
    return _copy(case, {name: _replace(records, index, new)}), (name, index), frozenset(update)


def _applying(replacing: Replacing) -> Apply:
    """A `Replacing` kind's `apply`: its case alone."""
    @functools.wraps(replacing)
    def apply(case: Case, ev: Event) -> Case:
        return replacing(case, ev)[0]
    return apply


# -- what each kind records ------------------------------------------------------------------------


def _motion(case: Case, ev: Event) -> Case:
    if case.motion is not None:
        raise EventDataError([("motion", f"a motion of {case.motion.date} is already recorded")])
    data = _only(ev, dated=["date"])
    return _with(case, motion=_validate(Motion, {**data, "date": ev.on}))


def _recommendation(case: Case, ev: Event) -> Case:
    rec = _validate(Recommendation, {**_only(ev, dated=["date"]), "date": ev.on})
    return _with(case, recommendations=[*case.recommendations, rec])


def _check_fields() -> tuple[str, ...]:
    """Inspection fields that hold a Check (the four musts, and any the model adds, e.g. economic_audit)."""
    return tuple(name for name, info in Inspection.model_fields.items()
                 if Check in typing.get_args(info.annotation) or info.annotation is Check)


CHECKS = _check_fields()
STEPS = (*CHECKS, "integrity_conclusion", "petition", "petition_closed")
# Inspection fields recorded by inspection_step / inspection_completed, never in inspection_started.
INSPECTION_STEPS = frozenset({*CHECKS, "integrity_conclusion", "petitions", "completed"})


def _inspection_started(case: Case, ev: Event) -> Case:
    data = _only(ev, dated=["start"], owned=INSPECTION_STEPS)
    return _with(case, inspections=[*case.inspections, _validate(Inspection, {**data, "start": ev.on})])


_STEP_COMMON = frozenset({"inspection", "step"})
_CHECK_KEYS = _STEP_COMMON | {"outcome", "note"}


def _inspection_step(case: Case, ev: Event) -> tuple[Case, tuple[str, int], frozenset[str]]:
    data = ev.data
    step = data.get("step")
    if step not in STEPS:
        raise EventDataError([("data.step", f"must be one of {', '.join(STEPS)}, not {step!r}")])
    index = _pick(case.inspections, data.get("inspection"), "inspection")
    ins = case.inspections[index]
    common = _STEP_COMMON
    if step in CHECKS:
        rest = _only(ev, _CHECK_KEYS, ("date",))
        check = _validate(Check, {k: v for k, v in rest.items() if k not in common} | {"date": ev.on})
        update: dict[str, Any] = {step: check}
    elif step == "integrity_conclusion":
        rest = _only(ev, common | {"signed_by_secretary", "signed_by_discipline_head"}, ["date"])
        conclusion = _validate(IntegrityConclusion, {k: v for k, v in rest.items() if k not in common} | {"date": ev.on})
        update = {"integrity_conclusion": conclusion}
    elif step == "petition":
        rest = _only(ev, common | {"id", "specific", "conclusion"}, ["received", "closed"])
        petition = _validate(Petition, {k: v for k, v in rest.items() if k not in common} | {"received": ev.on})
        update = {"petitions": [*ins.petitions, petition]}
    else:  # petition_closed
        rest = _only(ev, common | {"id", "conclusion"}, ["closed"])
        p = _pick(ins.petitions, rest.get("id"), "petition", lambda x: x.closed is None)
        if ins.petitions[p].closed is not None:
            raise EventDataError([("data.id", f"petition {ins.petitions[p].id} was closed on {ins.petitions[p].closed}")])
        closed = _copy(ins.petitions[p], {"closed": ev.on, "conclusion": rest.get("conclusion")})
        update = {"petitions": _replace(ins.petitions, p, closed)}
    return _replacing(case, "inspections", index, update)


def _inspection_completed(case: Case, ev: Event) -> tuple[Case, tuple[str, int], frozenset[str]]:
    data = _only(ev, {"inspection"}, ["completed"])
    index = _pick(case.inspections, data.get("inspection"), "inspection", lambda i: i.completed is None)
    ins = case.inspections[index]
    if ins.completed is not None:
        raise EventDataError([("data.inspection", f"inspection {ins.id} was completed on {ins.completed}")])
    return _replacing(case, "inspections", index, {"completed": ev.on})


def _all_inspections_done(case: Case, ev: Event) -> str | None:
    return "discussion" if all(i.completed is not None for i in case.inspections) else None


def _meeting(case: Case, ev: Event) -> Case:
    if "date" in ev.data:
        raise EventDataError([("data.date", f"comes from the event date ({ev.on}); leave it out")])
    data = {"members_due": [m.id for m in case.body.members], **ev.data, "date": ev.on}
    return _with(case, meetings=[*case.meetings, _validate(Meeting, data)])


DECIDING = DECIDING_MEETINGS  # meetings that decide (cadre_rules/codes.py)


def _meeting_target(case: Case, ev: Event) -> str | None:
    return "decision" if case.meetings[-1].kind.value in DECIDING else None


def _publicity_started(case: Case, ev: Event) -> Case:
    data = _only(ev, dated=["start"], owned=["end", "objections"])
    return _with(case, publicity=[*case.publicity, _validate(Publicity, {**data, "start": ev.on})])


def _publicity_ended(case: Case, ev: Event) -> tuple[Case, tuple[str, int], frozenset[str]]:
    data = _only(ev, {"publicity", "objections"}, ["end"])
    index = _pick(case.publicity, data.get("publicity"), "publicity", lambda p: p.end is None)
    pub = case.publicity[index]
    if pub.end is not None:
        raise EventDataError([("data.publicity", f"publicity {pub.id} ended on {pub.end}")])
    objections = [_validate(Objection, o, f"data.objections[{i}]") if isinstance(o, Mapping) else
                  _fail(f"data.objections[{i}]", "must be a mapping") for i, o in enumerate(data.get("objections") or [])]
    return _replacing(case, "publicity", index, {"end": ev.on, "objections": [*pub.objections, *objections]})


def _fail(path: str, message: str) -> Any:
    raise EventDataError([(path, message)])


def _notice(case: Case, ev: Event) -> Case:
    _only(ev, dated=["date"])
    return _with(case, appointments=[*case.appointments, _validate(AppointmentNotice, {**ev.data, "date": ev.on})])


def _filing(case: Case, ev: Event) -> Case:
    _only(ev, dated=["date"])
    return _with(case, filings=[*case.filings, _validate(Filing, {**ev.data, "date": ev.on})])


def _prior_report(case: Case, ev: Event) -> Case:
    _only(ev, dated=["submitted"], owned=["reply_date", "reply"])
    return _with(case, prior_reports=[*case.prior_reports, _validate(PriorReport, {**ev.data, "submitted": ev.on})])


def _prior_reply(case: Case, ev: Event) -> tuple[Case, tuple[str, int], frozenset[str]]:
    data = _only(ev, {"report", "reply"}, ["reply_date"])
    index = _pick(case.prior_reports, data.get("report"), "report", lambda r: r.reply_date is None)
    report = case.prior_reports[index]
    if report.reply_date is not None:
        raise EventDataError([("data.report", f"report {report.id} was answered on {report.reply_date}")])
    if data.get("reply") not in Reply.values():
        raise EventDataError([("data.reply", f"must be approved or rejected, not {data.get('reply')!r}")])
    return _replacing(case, "prior_reports", index, {"reply_date": ev.on, "reply": data["reply"]})


def _departure(case: Case, ev: Event) -> Case:
    if case.leader_departure is not None:
        raise EventDataError([("leader_departure", f"a departure decided {case.leader_departure.decided} is recorded")])
    data = _only(ev, dated=["decided"], owned=["left"])
    return _with(case, leader_departure=_validate(LeaderDeparture, {**data, "decided": ev.on}))


def _leader_left(case: Case, ev: Event) -> Case:
    _only(ev, set())
    dep = case.leader_departure
    if dep is None or dep.left is not None:
        raise EventDataError([("leader_departure", "no departure is waiting for the successor")])
    return _with(case, leader_departure=_copy(dep, {"left": ev.on}))


def _note_only(case: Case, ev: Event) -> Case:
    _only(ev, {"reason", "note"})
    return case


# Fields of the case that dedicated events (or the opening record) own; `record_added` sets the others.
OWNED = frozenset({"id", "title", "organisation", "jurisdiction", "status", "as_of", "move", "body", "post", "candidates",
                   "motion", "recommendations", "inspections", "meetings", "publicity", "appointments", "filings",
                   "prior_reports", "leader_departure", "meta"})


def generic_fields() -> list[str]:
    """Case fields `record_added` may set: every field the case model has beyond the owned ones."""
    return [name for name in Case.model_fields if name not in OWNED]


@functools.lru_cache(maxsize=None)
def _adapter(model: type[BaseModel], name: str, element: bool) -> TypeAdapter[Any]:
    """The validator of a field of a record (of one element, for a list field), built once: building a
    TypeAdapter costs far more than validating a value with it. A whole field keeps its constraints
    (e.g. `batch_size` >= 1); an element's are in its own type, and appending never shortens a list."""
    info = model.model_fields[name]
    if element:
        return TypeAdapter(typing.get_args(info.annotation)[0])
    return TypeAdapter(typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation)


def _record_added(case: Case, ev: Event) -> tuple[Case, tuple[str, int] | None, None]:
    """Any other part of the record (attestations, consultations, relations …): a list gets the value
    appended, any other field is set. The value carries its own dates. (A `Replacing` kind's answer: a
    record appended is said with its list and index, and no fields replaced; a field set, nothing.)"""
    data = _only(ev, {"field", "value"})
    name = data.get("field")
    if name not in generic_fields():
        raise EventDataError([("data.field", f"must be one of {', '.join(generic_fields())}, not {name!r}")])
    if "value" not in data:
        raise EventDataError([("data.value", "required field missing")])
    current = getattr(case, name)
    is_list = isinstance(current, list)
    try:
        value = _adapter(Case, name, is_list).validate_python(data["value"])
    except ValidationError as exc:
        raise EventDataError([(f"data.value.{format_loc(e['loc'])}".rstrip("."),
                               "unknown field" if e["type"] == "extra_forbidden" else str(e["msg"]))
                              for e in exc.errors(include_url=False)]) from None
    if is_list:  # one record added at the end of its list, said (nothing compares the case's fields)
        return _copy(case, {name: [*current, value]}), (name, len(current)), None
    return _with(case, **{name: value}), None, None


# Fields of step records that identify them or that a dedicated event records.
UPDATE_OWNED: dict[type, frozenset[str]] = {
    Motion: frozenset({"date"}), Recommendation: frozenset({"id", "date"}),
    Inspection: frozenset({"id", "candidate", "start", *INSPECTION_STEPS}), Meeting: frozenset({"id", "date"}),
    Publicity: frozenset({"id", "candidate", "start", "end", "objections"}),
    AppointmentNotice: frozenset({"id", "candidate", "date"}), Filing: frozenset({"id", "candidate", "date"}),
    PriorReport: frozenset({"id", "submitted", "reply_date", "reply"}),
    LeaderDeparture: frozenset({"leader", "decided", "left"}),
}


def _model_of(annotation: Any) -> type[BaseModel] | None:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _record_updated(case: Case, ev: Event) -> tuple[Case, tuple[str, int] | None, frozenset[str] | None]:
    """Another field of a step record, e.g. an inspection's report or feedback date, a notice's talk:
    `record` is "motion", "leader_departure" or "<collection>:<id>" (e.g. "inspections:i1"). A date field
    without a value takes the event date; so does the `date` of a record value that leaves it out. A
    list field gets the value appended. (A `Replacing` kind's answer: a record of a list is said with
    its list, index and the one field replaced; the motion or the leader's departure, nothing.)"""
    data = _only(ev, {"record", "field", "value"})
    where, _, key = str(data.get("record", "")).partition(":")
    current = getattr(case, where, None) if where in Case.model_fields else None
    if isinstance(current, list) and key:
        index = next((i for i, item in enumerate(current) if getattr(item, "id", None) == key), None)
        if index is None:
            raise EventDataError([("data.record", f'no "{key}" in {where}')])
        record = current[index]
    elif isinstance(current, BaseModel) and not key:
        record, index = current, None
    else:
        raise EventDataError([("data.record", f"must be motion, leader_departure or <collection>:<id>, not "
                                              f"{data.get('record')!r} (or it is not recorded yet)")])
    name = data.get("field")
    model = type(record)
    if not isinstance(name, str) or name not in model.model_fields or name in UPDATE_OWNED.get(model, frozenset({"id"})):
        allowed = sorted(set(model.model_fields) - UPDATE_OWNED.get(model, frozenset({"id"})))
        raise EventDataError([("data.field", f"{model.__name__} fields that may be updated: {', '.join(allowed)}; "
                                             f"not {name!r}")])
    annotation = model.model_fields[name].annotation
    existing = getattr(record, name)
    if isinstance(existing, list):
        annotation = typing.get_args(annotation)[0]
    value = data.get("value")
    inner = _model_of(annotation)
    if "value" not in data and date in (annotation, *typing.get_args(annotation)):
        value = ev.on
    elif isinstance(value, Mapping) and inner is not None and "date" in inner.model_fields and "date" not in value:
        value = {**value, "date": ev.on.isoformat()}
    try:
        value = _adapter(model, name, isinstance(existing, list)).validate_python(value)
    except ValidationError as exc:
        raise EventDataError([(f"data.value.{format_loc(e['loc'])}".rstrip("."),
                               "unknown field" if e["type"] == "extra_forbidden" else str(e["msg"]))
                              for e in exc.errors(include_url=False)]) from None
    updated = _copy(record, {name: [*existing, value] if isinstance(existing, list) else value})
    if index is None:
        return _with(case, **{where: updated}), None, None
    return _copy(case, {where: _replace(current, index, updated)}), (where, index), frozenset((name,))


def _correct(case: Case, ev: Event) -> Case:
    """A correction names the accepted event it supersedes and why; LiveCase rebuilds the record
    without that event (the journal keeps both: history is never rewritten)."""
    data = _only(ev, {"supersedes", "reason"})
    if not isinstance(data.get("supersedes"), str) or not data["supersedes"].strip():
        raise EventDataError([("data.supersedes", "name the id of the accepted event this one corrects")])
    if not isinstance(data.get("reason"), str) or not data["reason"].strip():
        raise EventDataError([("data.reason", "say why the event was wrong")])
    return case


def _close(case: Case, ev: Event) -> Case:
    _only(ev, {"note"})
    return _with(case, status="closed")


PROCEDURE = frozenset({"motion", "recommendation", "inspection", "discussion", "decision", "deferred",
                       "reconsideration", "publicity", "appointment", "filing"})


def _kinds() -> dict[str, EventKind]:
    def k(name: str, apply: Apply | Replacing, target: str | Target | None, where: Iterable[str] | str, zh: str,
          en: str) -> EventKind:
        touches, keeps = TOUCHES.get(name, (None, frozenset()))
        replacing = apply if name in REPLACING else None
        if replacing is not None:  # its one record is of the one field it declares it changes, or of the one the data names
            assert touches == ((REPLACING[name],) if REPLACING[name] else None), name
            apply = _applying(replacing)  # type: ignore[arg-type]
        return EventKind(name, apply, target, where if where == ANY else frozenset(where), zh, en, touches, keeps,
                         replacing)  # type: ignore[arg-type]

    steps = ("inspection", "discussion", "deferred")
    table = [
        k("motion", _motion, None, ["motion"], "动议记录", "motion recorded"),
        k("recommendation_held", _recommendation, "recommendation", (), "民主推荐", "recommendation held"),
        k("inspection_started", _inspection_started, "inspection", (), "考察开始", "inspection started"),
        k("inspection_step", _inspection_step, None, steps, "考察环节（凡提四必、举报、廉洁结论）",
          "inspection step done (four musts, petitions, integrity conclusion)"),
        k("inspection_completed", _inspection_completed, _all_inspections_done, ["inspection"], "考察完成",
          "inspection completed"),
        k("meeting_held", _meeting, _meeting_target, PROCEDURE, "会议（到会、发言、表决）",
          "meeting held (attendance, statements, votes)"),
        k("defer", _note_only, "deferred", (), "暂缓表决", "vote deferred"),
        k("resume", _note_only, "discussion", (), "重新上会", "back to the meeting"),
        k("reconsider", _note_only, "reconsideration", (), "复议", "reopened for reconsideration"),
        k("publicity_started", _publicity_started, "publicity", (), "公示开始", "publicity started"),
        k("publicity_ended", _publicity_ended, None, ["publicity"], "公示结束", "publicity ended"),
        k("notice_issued", _notice, "appointment", (), "发任职通知", "appointment notice issued"),
        k("filing_made", _filing, "filing", (), "报备", "filing made"),
        k("prior_report", _prior_report, None, ANY, "事先报告", "prior report submitted"),
        k("prior_reply", _prior_reply, None, ANY, "事先报告批复", "reply to a prior report"),
        k("leader_departure", _departure, None, ANY, "主要领导离任明确", "principal leader's departure decided"),
        k("leader_left", _leader_left, None, ANY, "继任者到任", "successor took office"),
        k("record_updated", _record_updated, None, ANY, "补充记录（如考察材料、反馈、任前谈话）",
          "a field of a step record updated (e.g. inspection report, feedback, appointment talk)"),
        k("record_added", _record_added, None, ANY, "其他记录（征求意见、说明、亲属关系等）",
          "another part of the record added (consultations, attestations, relations …)"),
        k("correct", _correct, None, ANY, "更正（撤销一个误录的事项，原记录保留）",
          "correction: a mistaken accepted event is superseded (the journal keeps both)"),
        k("review", _note_only, None, ANY, "检查（无新记录，按日期重新判断）", "review (no new record; judged as of the date)"),
        k("abort", _note_only, "aborted", (), "终止", "procedure stopped"),
        k("close", _close, None, (), "结案", "case closed (only at a terminal stage)"),
    ]
    return {kind.name: kind for kind in table}


# What each kind changes: (the case fields its `apply` replaces, the parts of them it never changes).
# Kinds not named here (record_added, record_updated) change a field the data names: the list of the
# record they say (REPLACING), else compared.
# tests/live/test_incremental_replay.py holds each declaration equal to the comparison on every replayed event.
_STEP_KEEPS = frozenset({"inspection_targets", "inspection_candidates"})
TOUCHES: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "motion": (("motion",), frozenset()),
    "recommendation_held": (("recommendations",), frozenset()),
    "inspection_started": (("inspections",), frozenset()),
    "inspection_step": (("inspections",), _STEP_KEEPS),
    "inspection_completed": (("inspections",), _STEP_KEEPS),
    "meeting_held": (("meetings",), frozenset()),
    "publicity_started": (("publicity",), frozenset()),
    "publicity_ended": (("publicity",), frozenset()),
    "notice_issued": (("appointments",), frozenset()),
    "filing_made": (("filings",), frozenset()),
    "prior_report": (("prior_reports",), frozenset()),
    "prior_reply": (("prior_reports",), frozenset()),
    "leader_departure": (("leader_departure",), frozenset()),
    "leader_left": (("leader_departure",), frozenset()),
    "close": (("status",), frozenset()),
    **dict.fromkeys(("defer", "resume", "reconsider", "correct", "review", "abort"), ((), frozenset())),
}

# The kinds whose `apply` replaces one record of a list and says so (`Replacing`): kind -> the list
# (None: the list the data names, or no record when it names a field that is not a list; the case
# field changed is then the record's list, else compared).
REPLACING: dict[str, str | None] = {"inspection_step": "inspections", "inspection_completed": "inspections",
                                    "publicity_ended": "publicity", "prior_reply": "prior_reports",
                                    "record_updated": None, "record_added": None}

KINDS: dict[str, EventKind] = _kinds()


class Change(NamedTuple):
    """What one event changed in a case, as its kind declares it: the live path then neither compares
    the case's fields nor scans its lists to find out (live/incremental.py). (A named tuple: made on
    every event, in C, where a frozen dataclass sets each field through object.__setattr__.)"""

    base: Case  # the case the event was applied to
    fields: frozenset[str]  # the case fields replaced (`as_of` when its value changed)
    record: tuple[str, int] | None = None  # (list field, index): the one record added or replaced, the others kept
    keeps: frozenset[str] = frozenset()  # parts of `fields` known unchanged (live/incremental.py _PARTS)
    # of the one record replaced (`record`), its fields replaced, as its kind said (`Replacing`; the
    # others are the same objects as before); None: not said (compare them)
    record_fields: frozenset[str] | None = None

    def __repr__(self) -> str:  # (without the case)
        return (f"Change(fields={set(self.fields)!r}, record={self.record!r}, keeps={set(self.keeps)!r}, "
                f"record_fields={self.record_fields!r})")


def changed_record(old: list[Any], new: list[Any]) -> int | None:
    """The index of the one record `new` adds at the end of `old` or replaces in it (the others the
    same objects, as events make them); the length when no record differs; None otherwise."""
    n = len(old)
    if len(new) == n + 1:
        k = n
    elif len(new) == n:
        k = n
        for i in range(n):
            if old[i] is not new[i]:
                k = i
                break
    else:
        return None
    for i in range(k + 1 if len(new) == n else 0, n):  # (before k they are the same when replaced)
        if old[i] is not new[i]:
            return None
    return k


_PLAIN = (str, int, bool, float, date, type(None))


def _differs(before: Any, value: Any) -> bool:
    """Whether a case field was changed: replaced by another object, unless a plain value equal to the
    one before and of its type (a MonthDate equals its month's first day, but is another date)."""
    return before is not value and not (type(before) is type(value) and type(value) in _PLAIN and before == value)


def _unread_by_checks(record: tuple[str, int], old: list[Any], new: list[Any]) -> bool:
    """Whether the one record replaced in a list kept every field the integrity checks read (the same
    objects: model/case.py INTEGRITY_RECORD_FIELDS), so that the list's checks find what they found."""
    name, k = record
    read = INTEGRITY_RECORD_FIELDS.get(name)
    if read is None or len(old) != len(new):
        return False
    before, after = old[k].__dict__, new[k].__dict__
    for attribute in read:
        if before[attribute] is not after[attribute]:
            return False
    return True


def apply_event(case: Case, event: Event, *, checked: bool = False) -> Case:
    """The case with the event's record added (a new, validated Case), as of the event's date.

    `checked`: `case` is known to pass the integrity checks (a LiveCase's record: its opening record
    passed them, and every later version was made here), so only the checks reading a case field the
    event changed run (model/case.py INTEGRITY_INPUTS), of a list with one record added or replaced
    on that record alone: the same problems, in the same order."""
    return apply_change(case, event, checked=checked)[0]


def apply_change(case: Case, event: Event, *, checked: bool = False) -> tuple[Case, Change]:
    """`apply_event`, with what the event changed (`Change`): the fields its kind declares it replaces
    (compared for the kinds whose field the data names), and the one record of a list it added or
    replaced (of a `Replacing` kind, as it says, with the record's fields it replaced)."""
    kind = KINDS[event.kind]
    replacing = kind.replacing
    record_fields = None
    if replacing is not None:
        new, record, record_fields = replacing(case, event)
    else:
        new, record = kind.apply(case, event), None
    before = case.__dict__
    as_of = before.get("as_of")
    if new is case:
        new = _copy(case, {"as_of": event.on})
    else:  # a copy made for this event, held by nobody else: dated as model_copy(update=...) would
        new.__dict__["as_of"] = event.on
        new.__pydantic_fields_set__.add("as_of")
    touched = kind.touches
    if touched is None and record is not None:  # (a kind whose data names the list: the one field replaced)
        touched = (record[0],)
    elif touched is None:
        touched = tuple(name for name, value in new.__dict__.items() if name != "as_of" and _differs(before.get(name), value))
    if record is None and len(touched) == 1:
        name = touched[0]
        records = new.__dict__[name]
        if type(records) is list:
            k = changed_record(before[name], records)
            if k is not None and k < len(records):
                record = (name, k)
    fields = _fields(touched, _differs(as_of, event.on))
    if checked:
        checked_fields = fields
        if record is not None and (_unread_by_checks(record, before[record[0]], new.__dict__[record[0]])
                                   if record_fields is None else _fields_unread_by_checks(record[0], record_fields)):
            checked_fields = fields - {record[0]}
        # nothing left to check (a record replaced in fields no check reads, the date kept): no problem
        problems = list(integrity_problems(new, checked_fields, {record[0]: record[1]} if record else None)) \
            if checked_fields else []
    else:
        problems = list(integrity_problems(new))
    if problems:
        raise EventDataError(event_problems(problems, event, case, new, record, checked))
    return new, Change(case, fields, record, kind.keeps, record_fields)


# -- naming a problem of the new case by the event's field -----------------------------------------
# The whole-case check (`integrity_problems`) names what it finds by the case's paths: an unknown
# attendee of the meeting an event adds is `meetings[2].attendees[0]`. The system that submitted the
# event knows its own fields, `data.attendees[0]`; so a problem in the record the event made or changed
# is named by the field of the event it came from (its `data`, or `on` for the date the record takes
# from the event), and a problem elsewhere in the case keeps the case's path and says so. Only on the
# refusal path: an accepted event never gets here.

_DATED = {"motion": "date", "recommendation_held": "date", "inspection_started": "start", "meeting_held": "date",
          "publicity_started": "start", "notice_issued": "date", "filing_made": "date", "prior_report": "submitted",
          "leader_departure": "decided"}  # the kinds making a record of their data, and the field `on` fills
_SCALAR = {"motion": "motion", "leader_departure": "leader_departure"}  # of those, the ones of a case field


class Elsewhere(str):
    """A problem the whole-case check found outside the record an event made or changed (a notice now
    before its decision, after a deciding meeting): the case's path is the right name for it, and the
    message says that it is elsewhere in the case. `text(lang)` in Chinese or English, as a Problem."""

    NOTE = {True: Said(" (elsewhere in the case record, made wrong by this event)", "（案件记录的其他部分，因本事项而出错）"),
            False: Said(" (elsewhere in the case record, already so before this event)", "（案件记录的其他部分，本事项之前已如此）")}

    def __new__(cls, problem: str, made: bool) -> "Elsewhere":
        self = super().__new__(cls, f"{problem}{cls.NOTE[made].en}")
        self.problem, self.made = problem, made
        self.kind = getattr(problem, "kind", None)
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # (a str subclass: pickle would call __new__ with the text alone)
        return (Elsewhere, (self.problem, self.made))

    def text(self, lang: str = "en") -> str:
        base = self.problem.text(lang) if isinstance(self.problem, Problem) else str(self.problem)
        note = self.NOTE[self.made]
        return base + (note.zh if lang == "zh" else note.en)


def event_problems(problems: list[tuple[str, str]], event: Event, base: Case, new: Case,
                   record: tuple[str, int] | None, checked: bool) -> list[tuple[str, str]]:
    """The whole-case check's problems of the case an event made, each named by the event's field it
    comes from (`data.…`, or `on`), or kept at its case path with the note that it is elsewhere (and
    whether the event made it so: a case opened on a record that failed the checks has problems of its
    own, which `checked` false says may be there)."""
    origins = _origins(event, base, new, record)
    before = set() if checked else set(integrity_problems(base))
    out: list[tuple[str, str]] = []
    for path, message in problems:
        named = None if (path, message) in before else _from_event(path, origins)
        out.append((path, Elsewhere(message, (path, message) not in before)) if named is None else (named, message))
    return out


def _from_event(path: str, origins: list[tuple[str, str]]) -> str | None:
    """The event's field of a case path, by the first of `origins` (case prefix, event prefix) it lies in."""
    for prefix, event_field in origins:
        if path == prefix or path.startswith(prefix) and path[len(prefix)] in ".[":
            return event_field if event_field == "on" else event_field + path[len(prefix):]
    return None


def _origins(event: Event, base: Case, new: Case, record: tuple[str, int] | None) -> list[tuple[str, str]]:
    """Where the event's data and date went in the new case: (case path prefix, event field), the more
    specific first. `record`: the one record of a list the event added or replaced."""
    kind, data = event.kind, event.data
    at = f"{record[0]}[{record[1]}]" if record is not None else None
    if kind in _DATED:
        here = _SCALAR.get(kind, at)
        return [] if here is None else [(f"{here}.{_DATED[kind]}", "on"), (here, "data")]
    if at is None and kind not in ("record_updated", "record_added", "leader_left"):
        return []
    if kind == "inspection_step":
        step, (name, index) = data.get("step"), record  # type: ignore[misc]
        if step == "petition":
            petition = f"{at}.petitions[{len(base.inspections[index].petitions)}]"
            return [(f"{petition}.received", "on"), (petition, "data")]
        if step == "petition_closed":
            old, now = base.inspections[index].petitions, new.inspections[index].petitions
            p = next((i for i in range(len(old)) if old[i] is not now[i]), None)
            return [] if p is None else [(f"{at}.petitions[{p}].closed", "on"), (f"{at}.petitions[{p}]", "data")]
        return [(f"{at}.{step}.date", "on"), (f"{at}.{step}", "data")]
    if kind == "inspection_completed":
        return [(f"{at}.completed", "on")]
    if kind == "publicity_ended":
        n = len(base.publicity[record[1]].objections)  # type: ignore[index]
        added = len(new.publicity[record[1]].objections) - n  # type: ignore[index]
        return [(f"{at}.end", "on"), *((f"{at}.objections[{n + j}]", f"data.objections[{j}]") for j in range(added))]
    if kind == "prior_reply":
        return [(f"{at}.reply_date", "on"), (f"{at}.reply", "data.reply")]
    if kind == "leader_left":
        return [("leader_departure.left", "on")]
    if kind == "record_updated":
        where, _, _key = str(data.get("record", "")).partition(":")
        holder = base.__dict__[where][record[1]] if record is not None else getattr(base, where, None)
        name = data.get("field")
        if holder is None or not isinstance(name, str):
            return []
        here = f"{at or where}.{name}"
        existing = getattr(holder, name, None)
        if isinstance(existing, list):
            here = f"{here}[{len(existing)}]"
        if "value" not in data:
            return [(here, "on")]
        value = data["value"]
        dated = [(f"{here}.date", "on")] if isinstance(value, Mapping) and "date" not in value else []
        return [*dated, (here, "data.value")]
    if kind == "record_added":
        name = data.get("field")
        current = getattr(base, name, None) if isinstance(name, str) else None
        here = f"{name}[{len(current)}]" if isinstance(current, list) else str(name)
        return [(here, "data.value")]
    return []


_FIELDS: dict[tuple[tuple[str, ...], bool], frozenset[str]] = {}


def _fields(touched: tuple[str, ...], dated: bool) -> frozenset[str]:
    """`Change.fields`: the fields touched, and `as_of` when `dated` (its value changed); one frozenset
    per (fields, dated), made once (a kind's fields are few, and a field named in the data is one)."""
    key = (touched, dated)
    found = _FIELDS.get(key)
    if found is None:
        if len(_FIELDS) >= 1024:
            _FIELDS.clear()
        found = _FIELDS[key] = frozenset((*touched, "as_of")) if dated else frozenset(touched)
    return found


def _fields_unread_by_checks(name: str, replaced: frozenset[str]) -> bool:
    """`_unread_by_checks` told which fields of the record were replaced (the others the same objects)."""
    read = INTEGRITY_RECORD_FIELDS.get(name)
    return read is not None and read.isdisjoint(replaced)

__all__ = ["ANY", "CHECKS", "KINDS", "OWNED", "STEPS", "TOUCHES", "Change", "Elsewhere", "generic_fields", "Event", "EventDataError",
           "EventKind", "apply_change", "apply_event", "changed_record", "event_problems", "plain"]
