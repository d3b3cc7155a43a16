"""Deriving the facts of one case. Every count, period and comparison of people and dates is here.

Deriving runs for every case of an audit and on every event of a live case, so it is written for
speed where that stays readable:
- per-case lookups (candidates by id, filings and objections by candidate, the members holding a
  role, who attended a meeting) are built once per case or meeting, not searched for each fact;
- enum members used in loops are module constants (`View.agree` is a slow class-attribute lookup),
  and enum values are read as `member._value_` (`.value` is a property, about five times slower);
- a str-valued enum member equals and hashes as its value, so it is looked up in sets and dicts of
  values directly (`grade in _LOW_GRADES`);
- the records with many fields read (case, post, candidate, inspection, agenda item) are read through
  their `__dict__`, where pydantic keeps the field values: a pydantic attribute read goes through the
  model's `__getattr__` hook and costs about three dict lookups.
"""
from __future__ import annotations

import functools

from datetime import date
from functools import lru_cache
from operator import attrgetter
from typing import Any, Callable, Iterable, Mapping, Optional

from cadre_rules.facts.dossier import dossier_facts, prevailing_dates
from cadre_rules.facts import appointment as appointment_functions
from cadre_rules.facts import case_fact as case_fact_functions
from cadre_rules.facts import items as item_functions
from cadre_rules.facts import motion as motion_functions
from cadre_rules.facts import publicity as publicity_functions
from cadre_rules.codecache import compile_source
from cadre_rules.facts.compose import compile_builder, compile_record_builder, list_readers, on_forget, record_reads
from cadre_rules.facts.levels import DEPUTY_LEVELS, EDUCATION_RANKS, LEVEL_RANKS, NON_LEADING_LEVELS
from cadre_rules.facts.kinship import KinshipGraph, kinship_graph, within_recusal_scope
from cadre_rules.codes import DECIDING_MEETINGS, ReportSection
from cadre_rules.model import Case, Level, Outcome
from cadre_rules.model.base import YearMonth, earliest_day
from cadre_rules.model.people import Candidate
from cadre_rules.model.steps import Inspection
from cadre_rules.facts.periods import anniversary, full_months, full_years, full_years_from
from cadre_rules.facts.schema import SCHEMA
from cadre_rules.facts.values import Fact, FactSet, Unknown
from cadre_rules.model.labels import path_label

_RANKS = LEVEL_RANKS  # 副科 = 0; 科员 -1, 办事员 -2 (facts/levels.py)
_DIVISION_DEPUTY = _RANKS[Level.division_deputy]
_DEPUTY_LEVELS = DEPUTY_LEVELS
_EDUCATION_RANKS = EDUCATION_RANKS  # 高中、中专 = 0; 初中及以下 -1
_LOW_GRADES = {"basically_competent", "incompetent"}
_ADOPTED = Outcome.adopted
_DATE = attrgetter("date")
_DECIDING = DECIDING_MEETINGS
SUBMISSION_DOCS = case_fact_functions.SUBMISSION_DOCS  # what a submission to the superior must enclose
_REPORT_SECTIONS = ReportSection.values()
_ALL: dict[str, None] = dict.fromkeys(SCHEMA)  # the plan of the whole schema
_DOSSIER_TYPES = frozenset({"sourced", "turn", "study", "career", "identity", "review"})


FactPlan = Mapping[str, "frozenset[str] | None"]  # fact type -> the fields wanted (None: all of them)


ItemBuilder = Callable[[Case, KinshipGraph], "list[Fact]"]
CaseBuilder = Callable[[Case, "dict[str, date]", "date | None", "int | None"], "list[Fact]"]


def derive_facts(case: Case, plan: FactPlan | None = None, *, items: ItemBuilder | None = None,
                 cases: CaseBuilder | None = None, people_on_demand: bool = False) -> FactSet:
    """The facts of a case, each type in the case file's order (deterministic).

    Without a plan, every fact of the schema. With one (engine.codegen.facts_read: what a rulebook's
    rules and messages read), only the fact types it names, and of those facts at least the fields it
    names: the same values as without a plan, computed by the same code, but nothing that no rule
    reads (a type's builder skips its costly fields that are not wanted). tests/facts/
    test_derive_plan.py holds the two derivations equal on every field a plan names.

    The derivation of a plan is one function generated for it (`compile_derivation`, kept per plan).
    The `item`, `case`, `appointment`, `publicity` and `motion` facts are built by builders composed
    for the plan's fields (facts/compose.py, from the functions of facts/items.py, case_fact.py,
    appointment.py, publicity.py and motion.py); `items`, `cases`: the first two already in hand
    (engine/fused.py keeps them). `people_on_demand`: a `PeopleOnDemand` fact set whose `person` facts
    are derived when first read (for a plan whose rules never join them)."""
    if plan is None:
        return _derivation(None, items, cases, people_on_demand)(case)
    try:  # a rulebook's plan (engine.codegen.facts_read) holds frozensets: its items are the key as they are
        derive = _derivation(tuple(plan.items()), items, cases, people_on_demand)
    except TypeError:  # a field set that cannot be hashed (a set): made a frozenset
        derive = _derivation(_plan_key(plan), items, cases, people_on_demand)
    return derive(case)


PlanKey = Optional[tuple[tuple[str, Optional[frozenset[str]]], ...]]  # a plan, hashable (None: every fact)


def _plan_key(plan: FactPlan | None) -> PlanKey:
    if plan is None:
        return None
    return tuple((t, f if f is None or f.__class__ is frozenset else frozenset(f)) for t, f in plan.items())


def compile_derivation(plan: FactPlan | None = None, *, items: ItemBuilder | None = None,
                       cases: CaseBuilder | None = None, people_on_demand: bool = False) -> Callable[[Case], FactSet]:
    """`derive(case)`: `derive_facts(case, plan, ...)` as one function generated for the plan: only the
    plan's fact types, and of the values they share (the adopted decisions, the date the case is judged
    as of, the kinship graph, the post's rank) only those they need, with no test of the plan per case.
    The auditor keeps one (engine/fused.py); `derive_facts` keeps one per plan."""
    return _derivation(_plan_key(plan), items, cases, people_on_demand)


@lru_cache(maxsize=256)
def _derivation(key: PlanKey, items: "ItemBuilder | None", cases: "CaseBuilder | None",
                people_on_demand: bool) -> Callable[[Case], FactSet]:
    plan: dict[str, "frozenset[str] | None"] = dict(key) if key is not None else dict(_ALL)
    wants = plan.__contains__
    judging = wants("candidate") or wants("sanction") or bool(_DOSSIER_TYPES & plan.keys())
    consts: dict[str, Any] = {"PeopleOnDemand": PeopleOnDemand}
    lines = ["def _derive(case):"]

    def emit(line: str) -> None:
        lines.append("    " + line)

    # the values several fact types share, each only when a wanted type reads it
    if wants("case") or wants("appointment") or judging:
        emit("decisions = _adopted_decisions(case)")
    if wants("case") or wants("appointment"):
        emit("as_of = case.as_of or _last_recorded_date(case)")
    elif judging:  # the candidates are judged as of the first decision, else as of the record's date
        emit("as_of = None if decisions else (case.as_of or _last_recorded_date(case))")
    if judging:
        emit("judged_on = _judging(decisions, as_of)")
    if _GRAPH_TYPES & plan.keys():
        emit("graph = kinship_graph(case) if case.relations else {}")
    if wants("case") or wants("candidate") or wants("sanction") or wants("appointment"):
        emit("post_rank = rank(case.post.level)")
    if people_on_demand:
        emit("out = PeopleOnDemand()")
        emit("out.case = case")
    else:
        emit("out = {}")
    # The fact types in the schema's order (a test holds the two together).
    if wants("case"):
        consts["CASES"] = cases or compile_builder(case_fact_functions, plan["case"])
        emit('out["case"] = CASES(case, decisions, as_of, post_rank)')
    if wants("candidate") or wants("sanction"):
        emit(f"candidates, sanctions = _candidate_facts(case, judged_on, post_rank, {wants('candidate')})")
        for kind, name in (("candidate", "candidates"), ("sanction", "sanctions")):
            if wants(kind):
                emit(f"out[{kind!r}] = {name}")
    if wants("motion"):
        consts["MOTION"] = compile_builder(motion_functions, plan["motion"])
        emit('out["motion"] = MOTION(case)')
    if wants("recommendation") or wants("round"):
        emit("recommendations, rounds = _recommendation_facts(case)")
        for kind, name in (("recommendation", "recommendations"), ("round", "rounds")):
            if wants(kind):
                emit(f"out[{kind!r}] = {name}")
    if wants("nomination"):
        emit('out["nomination"] = _nomination_facts(case)')
    if wants("inspection") or wants("petition"):
        consts["INSPECTION_FIELDS"] = plan.get("inspection")
        emit("inspections, petitions = _inspection_facts(case, graph, INSPECTION_FIELDS)")
        for kind, name in (("inspection", "inspections"), ("petition", "petitions")):
            if wants(kind):
                emit(f"out[{kind!r}] = {name}")
    if wants("item"):
        consts["ITEMS"] = items or compile_builder(item_functions, plan["item"])
        emit('out["item"] = ITEMS(case, graph)')
    if wants("consultation"):
        emit('out["consultation"] = _consultation_facts(case)')
    if wants("publicity"):
        consts["PUBLICITY"] = compile_builder(publicity_functions, plan["publicity"])
        emit('out["publicity"] = PUBLICITY(case)')
    if wants("appointment"):
        consts["APPOINTMENTS"] = compile_builder(appointment_functions, plan["appointment"])
        emit('out["appointment"] = APPOINTMENTS(case, decisions, as_of, post_rank)')
    for kind, call in (("prior_report", "_prior_report_facts(case)"), ("departure", "_departure_facts(case)"),
                       ("colleague", "_colleague_facts(case, graph)"), ("business", "_business_facts(case)")):
        if wants(kind):
            emit(f"out[{kind!r}] = {call}")
    if _DOSSIER_TYPES & plan.keys():
        emit("dossier = _dossier(case, judged_on)")
        for kind in _DOSSIER_ORDER:
            if wants(kind):
                emit(f"out[{kind!r}] = dossier[{kind!r}]")
    if wants("canvassing"):
        emit('out["canvassing"] = _canvassing_facts(case)')
    if wants("person"):
        emit('out["person"] = person_facts(case)')
    emit("return out")
    namespace = {**globals(), **consts}
    source = "\n".join(lines)
    exec(compile_source(source, "<cadre-rules facts/derive.py derivation>"), namespace)  # noqa: S102 - our own source
    derive = namespace["_derive"]
    derive.source = source
    return derive


on_forget(_derivation.cache_clear)  # the derivations hold the builders composed when they were made
_GRAPH_TYPES = frozenset({"inspection", "petition", "item", "colleague"})  # the types that read the kinship graph
_DOSSIER_ORDER = ("sourced", "turn", "study", "career", "identity", "review")


def _nomination_facts(case: Case) -> list[Fact]:
    return [{"id": f"nomination:{n}", "path": f"nominations[{n}]", "candidate": nom.candidate, "signed": nom.signed}
            for n, nom in enumerate(case.nominations)]


def _consultation_facts(case: Case) -> list[Fact]:
    return [{"id": f"consultation:{c}", "path": f"consultations[{c}]", "kind": cons.with_, "date": cons.date}
            for c, cons in enumerate(case.consultations)]


def _prior_report_facts(case: Case) -> list[Fact]:
    return [{"id": f"prior_report:{rep.id}", "path": f"prior_reports[{r}]", "matter": rep.matter,
             "submitted": rep.submitted, "reply_date": rep.reply_date, "reply": rep.reply}
            for r, rep in enumerate(case.prior_reports)]


def _departure_facts(case: Case) -> list[Fact]:
    dep = case.leader_departure
    return [{"id": f"departure:{dep.leader}", "path": "leader_departure", "leader": dep.leader,
             "decided": dep.decided, "left": dep.left}] if dep else []


def _colleague_facts(case: Case, graph: KinshipGraph) -> list[Fact]:
    return [{"id": f"colleague:{col.id}", "path": f"colleagues[{k}]", "name": col.name,
             "leads_organ": col.leads_organ, "direct_line": col.direct_line,
             "same_supervisor": col.same_supervisor,
             "related_candidates": [c.id for c in case.candidates if within_recusal_scope(graph, col.id, c.id)]}
            for k, col in enumerate(case.colleagues)]


def _business_facts(case: Case) -> list[Fact]:
    return [{"id": f"business:{b}", "path": f"relatives_business[{b}]", "relative": biz.relative,
             "regulated_by_post": biz.regulated_by_post} for b, biz in enumerate(case.relatives_business)]


def _dossier(case: Case, judged_on: date) -> dict[str, list[Fact]]:
    """The personnel-file facts of every candidate with records, by type."""
    dossier: dict[str, list[Fact]] = {kind: [] for kind in _DOSSIER_ORDER}
    for i, c in enumerate(case.candidates):
        if c.records is not None:
            for kind, facts in dossier_facts(i, c, judged_on).items():
                dossier[kind].extend(facts)
    return dossier


def _canvassing_facts(case: Case) -> list[Fact]:
    return [{"id": f"canvassing:{c.id}", "path": f"canvassing_findings[{k}]", "candidate": c.candidate,
             "recommendation": c.recommendation, "found": c.date, "source": c.source}
            for k, c in enumerate(case.canvassing_findings)]


def _judging(decisions: dict[str, date], as_of: "date | None") -> "date | None":
    """The date the candidates are judged on: the first adopted decision, else the record's date."""
    return min(decisions.values()) if decisions else as_of


def judging_date(case: Case) -> date:
    """The date the candidate, sanction and dossier facts are judged on (as `derive_facts` takes it):
    the first adopted decision, else `as_of` (or the last recorded act's date). The live path derives
    those facts again only when this date moves (live/incremental.py)."""
    decisions = _adopted_decisions(case)
    return _judging(decisions, None if decisions else (case.as_of or _last_recorded_date(case)))  # type: ignore[return-value]


# -- one record at a time (the live path: an event adds or changes one record) -----------------------

def inspection_record_facts(case: Case, n: int, fields: "frozenset[str] | None" = None
                            ) -> tuple[Fact, list[Fact]]:
    """The inspection fact and the petition facts of `case.inspections[n]`, exactly as `derive_facts`
    gives them (the same functions): what an event touching one inspection changes."""
    return inspection_record_fact(case, n, fields), petition_record_facts(case, n)


def inspection_record_fact(case: Case, n: int, fields: "frozenset[str] | None" = None,
                           lowest_ranked: "bool | None" = None) -> Fact:
    """The inspection fact of `case.inspections[n]`, exactly as `derive_facts` gives it.

    `lowest_ranked`: whether its candidate had the fewest recommendation votes, when the caller knows
    it (the live path: from the fact before, the recommendations and the candidate unchanged): it is
    the one value read from outside the inspection, and working it out reads every round's results."""
    ins = case.inspections[n]
    if fields is not None and fields <= _INSPECTION_CORE:
        return _inspection_core(n, ins)
    if lowest_ranked is None:
        lowest_ranked = _lowest_ranked(ins.candidate, *_vote_range(case))
    return _inspection_fact(n, ins, kinship_graph(case) if case.relations else {}, lowest_ranked)


# Of an inspection's fields, those the inspection fact reads into values of their own alone, and which:
# a check's date and outcome (as `_inspection_fact` reads them), a value taken as it is; its petitions
# give no value of it (their own facts). `inspection_fact_after` updates a fact for these fields.
_CHECK_VALUES = {"file_review": ("file_review_date", "file_review_outcome"),
                 "personal_matters": ("personal_matters_date", "personal_matters_outcome"),
                 "discipline_opinion": ("discipline_opinion_date", "discipline_opinion_outcome"),
                 "petition_check": ("petition_check_date", "petition_check_outcome"),
                 "economic_audit": ("audit_date", "audit_outcome")}
_AS_IS = frozenset({"completed", "plan_date", "unit_consultation_date", "notice_date", "feedback_date",
                    "department_review_date"})
# and the two records read into values of their own alone, as `_inspection_fact` reads them: the
# integrity conclusion and the report (its date and the sections it leaves empty)
_OWN_RECORD_VALUES = {"integrity_conclusion": ("integrity_date", "integrity_cosigned"),
                      "report": ("report_date", "report_missing_sections")}


def _own_record_values(name: str, value: Any) -> tuple[Any, Any]:
    """The two values of the inspection fact read from its integrity conclusion or its report alone."""
    if name == "integrity_conclusion":
        return (value.date if value else None,
                bool(value and value.signed_by_secretary and value.signed_by_discipline_head))
    return (value.date if value else None,
            [s for s in _REPORT_SECTIONS if not getattr(value, s)] if value else list(_REPORT_SECTIONS))


def inspection_fact_after(fact: Fact, before: Inspection, after: Inspection,
                          fields: "Iterable[str] | None" = None) -> "Fact | None":
    """The inspection fact of `after`, given `fact`, that of `before` at the same place, when the two
    differ only in fields read into values of their own (`_CHECK_VALUES`, `_AS_IS`, `_OWN_RECORD_VALUES`,
    the petitions):
    `fact` with those values read again, exactly as `_inspection_fact` reads them. Why: an event
    records one step of an inspection (a check, its completion, a petition) and the other 30 values
    stay. None when another field differs (derive the fact whole). `fields`: the only fields of
    `after` that may differ from `before`'s (the others the same objects), when the caller knows."""
    if type(before) is not type(after):
        return None
    b, a = before.__dict__, after.__dict__
    update: dict[str, Any] = {}
    for name in a if fields is None else fields:
        value = a[name]
        if b[name] is value:
            continue
        if name in _CHECK_VALUES:  # a check recorded
            day, outcome = _CHECK_VALUES[name]
            update[day], update[outcome] = (value.date, value.outcome._value_) if value else (None, None)
        elif name in _AS_IS:
            update[name] = value
        elif name in _OWN_RECORD_VALUES:  # the integrity conclusion or the report recorded
            first, second = _OWN_RECORD_VALUES[name]
            update[first], update[second] = _own_record_values(name, value)
        elif name != "petitions":
            return None
    if not update:
        return fact
    return {**fact, **update} if update.keys() <= fact.keys() else None  # (else values the plan does not want)


@functools.lru_cache(maxsize=64)
def inspection_fact_moves(fields: frozenset[str]) -> frozenset[str]:
    """The values of an inspection fact that `inspection_fact_after` may change when it updates the
    fact for these replaced fields of the record (a check's date and outcome, a value taken as it is;
    the petitions none): every other value of the fact it returns is the fact before's."""
    out: set[str] = set()
    for name in fields:
        if name in _CHECK_VALUES:
            out.update(_CHECK_VALUES[name])
        elif name in _AS_IS:
            out.add(name)
        elif name in _OWN_RECORD_VALUES:
            out.update(_OWN_RECORD_VALUES[name])
    return frozenset(out)


def candidate_fact_attested(fact: Fact, case: Case, judged_on: date) -> Fact:
    """The candidate fact `fact` (of a version of `case` differing only in its attestations, judged on
    the same date) with `attested` read again from `case`'s attestations: the one value of the fact
    that reads them (`_candidate_fact`). What an attestation added or replaced changes."""
    kinds = _attested_value(_attested(case, judged_on).get(fact["candidate"], ()))
    return fact if kinds == fact["attested"] else {**fact, "attested": kinds}


def appointment_record_facts(case: Case, indexes: Iterable[int], fields: "frozenset[str] | None" = None
                             ) -> list[Fact]:
    """The appointment facts of `case.appointments[a]` for each of `indexes`, exactly as `derive_facts`
    gives them for a plan wanting `fields` of them: the builder composed for one notice from the same
    functions (facts/appointment.py, facts/compose.py `compile_record_builder`), given the values the
    derivation shares (the adopted decisions, the date the case is judged as of, the post's rank).
    What a notice added or changed, or a filing or a publicity of its candidate, changes."""
    build = compile_record_builder(appointment_functions, fields)
    shared = _appointment_shared(case, build.needs)
    notices = case.appointments
    return [build(case, *shared, a, notices[a]) for a in indexes]


def _appointment_shared(case: Case, needs: frozenset[str]) -> tuple[Any, Any, Any]:
    """The values an appointment builder shares with the derivation's (the adopted decisions, the date
    the case is judged as of, the post's rank), each only when the builder reads it (`needs`)."""
    return (_adopted_decisions(case) if "decisions" in needs else None,
            (case.as_of or _last_recorded_date(case)) if "as_of" in needs else None,
            rank(case.post.level) if "post_rank" in needs else None)


def record_fact_after(fact_type: str, fact: Fact, case: Case, k: int, replaced: frozenset[str],
                      fields: "frozenset[str] | None" = None) -> "Fact | None":
    """The `appointment` or `publicity` fact of `case.<list>[k]`, given `fact`, that of the record it
    replaced at the same index, the two records differing only in the attributes `replaced` and the
    rest of the case the same: `fact` with the values that read one of them computed again by the
    builder composed for those values alone (facts/compose.py `record_reads`, `compile_record_builder`:
    the same functions). Why: a notice's talk recorded moves its `talk_date` alone, and the other
    values (working days, training hours, objections) need not be worked out again. None when a value
    may read the record otherwise (derive the fact whole). `fields`: the fields of the plan (`fact`'s)."""
    moved = _moved(fact_type, replaced, fields)
    if moved is None:
        return None
    if not moved:
        return fact
    module, name = _RECORD_MODULES[fact_type]
    build = compile_record_builder(module, moved)
    record = getattr(case, name)[k]
    if fact_type == "publicity":
        return {**fact, **build(case, k, record)}
    return {**fact, **build(case, *_appointment_shared(case, build.needs), k, record)}


_RECORD_MODULES = {"appointment": (appointment_functions, "appointments"), "publicity": (publicity_functions, "publicity")}


@functools.lru_cache(maxsize=64)
def record_facts_apart(fact_type: str, fields: "frozenset[str] | None" = None) -> bool:
    """Whether the `appointment` or `publicity` facts (of a plan wanting `fields` of them) of one record
    are the same whatever the list's other records are: no field's functions read the list itself
    (facts/compose.py `list_readers`). Then a record added or replaced changes its own fact alone."""
    readers = list_readers(_RECORD_MODULES[fact_type][0])
    return not readers if fields is None else readers.isdisjoint(fields)


on_forget(record_facts_apart.cache_clear)


@functools.lru_cache(maxsize=256)
def _moved(fact_type: str, replaced: frozenset[str], fields: "frozenset[str] | None") -> "frozenset[str] | None":
    """Of the fields of a fact type (those of the plan), those reading one of the record's attributes
    `replaced`; None when one may read the record otherwise."""
    module = _RECORD_MODULES[fact_type][0]
    reads = record_reads(module)
    out = set()
    for field in (module.FIELDS if fields is None else fields):
        read = reads.get(field)
        if read is None:
            return None
        if not read.isdisjoint(replaced):
            out.add(field)
    return frozenset(out)


on_forget(_moved.cache_clear)


def publicity_record_fact(case: Case, p: int, fields: "frozenset[str] | None" = None) -> Fact:
    """The publicity fact of `case.publicity[p]`, exactly as `derive_facts` gives it for a plan wanting
    `fields` of it (the builder composed for one publicity from facts/publicity.py)."""
    return compile_record_builder(publicity_functions, fields)(case, p, case.publicity[p])


def petition_record_facts(case: Case, n: int) -> list[Fact]:
    """The petition facts of `case.inspections[n]`, exactly as `derive_facts` gives them."""
    return _petition_facts(n, case.inspections[n])


def meeting_item_facts(case: Case, first: int, items: ItemBuilder, graph: "KinshipGraph | None" = None) -> list[Fact]:
    """The `item` facts of `case.meetings[first:]`, exactly as the builder `items` (facts/compose.py,
    from facts/items.py) gives them for the whole case: the builder is run on the case with the
    meetings before `first` standing in without their agenda, so they make no facts and the others
    keep their index (an item's path names it). What an event adding a meeting changes."""
    if graph is None:
        graph = kinship_graph(case) if case.relations else {}
    return items(_MeetingsFrom(case, first), graph)  # type: ignore[arg-type]


class _MeetingsFrom:
    """A case as the item builder reads it, its meetings before `first` copied without their agenda."""

    __slots__ = ("_case", "meetings")

    def __init__(self, case: Case, first: int) -> None:
        self._case = case
        meetings = case.meetings
        self.meetings = [m.model_copy(update={"agenda": []}) for m in meetings[:first]] + meetings[first:]

    def __getattr__(self, name: str) -> object:
        return getattr(self._case, name)


def person_facts(case: Case) -> list[Fact]:
    """The people of the case (candidates, then the body's members): how messages name them."""
    return [*({"id": f"person:{c.id}", "path": f"candidates[{i}]", "person": c.id, "name": c.name,
               "post": c.current_post, "roles": []} for i, c in enumerate(case.candidates)),
            *({"id": f"person:{m.id}", "path": f"body.members[{k}]", "person": m.id, "name": m.name,
               "post": None, "roles": [r._value_ for r in m.roles]}
              for k, m in enumerate(case.body.members))]


class PeopleOnDemand(dict):  # type: ignore[type-arg]
    """A FactSet whose `person` facts are derived from its case when first asked for (`facts["person"]`).

    Why: messages name people through the person facts (engine/python.py people_of), but only findings
    have messages, and most cases have few or none; no rule joins the person facts. The generated
    matchers read pools with `facts.get`, which never derives them: use this only when no rule joins
    `person` (engine.codegen.facts_read without messages)."""

    __slots__ = ("case",)

    def __missing__(self, key: str) -> list[Fact]:
        if key != "person":
            raise KeyError(key)
        people = self["person"] = person_facts(self.case)
        return people


def rank(level: Level | None) -> int | None:
    return _RANKS[level] if level is not None else None


def _candidate_facts(case: Case, judged_on: date, post_rank: int | None,
                     with_candidates: bool = True) -> tuple[list[Fact], list[Fact]]:
    """Candidate and sanction facts. Each candidate's tenure is judged at the first adopted decision, and
    its recent appraisals at the date its inspection targets were fixed (inspection start without one)."""
    targets = _inspection_targets(case)
    attested = _attested(case, judged_on)
    requirements = case.post.statutory_requirements
    candidate_facts: list[Fact] = []
    sanction_facts: list[Fact] = []
    for i, c in enumerate(case.candidates):
        if with_candidates:
            candidate_facts.append(_candidate_fact(i, c, post_rank, judged_on, targets.get(c.id, judged_on),
                                                   attested.get(c.id, ()), requirements))
        for s, sanction in enumerate(c.sanctions):
            sanction_facts.append({
                "id": f"sanction:{c.id}/{s}", "path": f"candidates[{i}].sanctions[{s}]", "candidate": c.id,
                "system": sanction.system, "type": sanction.type, "decision_date": sanction.decision_date,
                "period_months": sanction.period_months, "months_elapsed": full_months(sanction.decision_date, judged_on)})
    return candidate_facts, sanction_facts


def _inspection_targets(case: Case) -> dict[str, date]:
    """Candidate -> the date their inspection's targets were fixed (its start without a target decision)."""
    return {i.candidate: (i.target_decision.date if i.target_decision else i.start) for i in case.inspections}


def _attested(case: Case, judged_on: date) -> dict[str, set[str]]:
    """Candidate -> the kinds attested for them by the judging date."""
    attested: dict[str, set[str]] = {}
    for a in case.attestations:
        if a.date <= judged_on:
            attested.setdefault(a.candidate, set()).add(a.kind._value_)
    return attested


def _attested_value(attested: Iterable[str]) -> list[str]:
    """The candidate fact's `attested`: the kinds attested for them by the judging date, sorted."""
    return sorted(attested)


def _candidate_fact(i: int, candidate: Candidate, post_rank: int | None, judged_on: date, target_date: date,
                    attested: Iterable[str], requirements: list[str]) -> Fact:
    """One candidate, judged on `judged_on`; `attested` are the kinds attested for them by then."""
    path = f"candidates[{i}]"
    c = candidate.__dict__  # field values (see the module docstring)
    level = c["current_level"]
    current = _RANKS[level] if level is not None else None
    gap = post_rank - current if post_rank is not None and current is not None else None
    if gap is None:
        step = "unknown"
    elif gap <= 0:
        step = "same_or_lower"
    elif gap == 1:
        step = "deputy_to_chief" if level in _DEPUTY_LEVELS else (
            "staff_to_deputy" if level in NON_LEADING_LEVELS else "chief_to_upper_deputy")
    else:
        step = "skip"
    # One pass over the work history: posts one level below the post, the last promotion by the
    # judging date (the latest start; of equal starts the later-listed), grassroots days, probation.
    below = post_rank - 1 if post_rank is not None else None
    lower: set[tuple[str, str | None]] = set()
    last = None
    grassroots_days = 0
    on_probation = False
    history = c["work_history"]
    for p in history:
        post_level, start = p.level, p.start
        if below is not None and post_level is not None and _RANKS[post_level] == below:
            lower.add((p.title, p.unit))
        if start <= judged_on:
            if p.promotion and (last is None or start >= last.start):
                last = p
            if p.grassroots:
                end = p.end
                grassroots_days += ((min(end, judged_on) if end else judged_on) - start).days + 1
            probation_end = p.probation_end
            if probation_end and judged_on < probation_end:
                on_probation = True
    education_rank = None
    for e in c["education"]:
        r = _education_rank(e)
        if r is not None and (education_rank is None or r > education_rank):
            education_rank = r
    recent_from, recent_to = target_date.year - 3, target_date.year  # the three years before the target date
    low_appraisal_recent = False
    for appraisal in c["appraisals"]:
        if recent_from <= appraisal.year < recent_to and appraisal.grade in _LOW_GRADES:
            low_appraisal_recent = True
            break
    current_since = c["current_since"]
    # sourced values: the rules judge the value that prevails (facts/dossier.py); a field may be a month
    dates = prevailing_dates(candidate) if c["records"] is not None else c
    birth, work_start, party_join = dates["birth_date"], dates["work_start_date"], dates["party_join_date"]
    return {
        "id": f"candidate:{c['id']}", "path": path, "candidate": c["id"], "name": c["name"],
        "birth_date": birth if birth.__class__ is date else _month_only(path, "birth_date", birth),
        "current_level": level._value_ if level else None,
        "age": _years(path, "birth_date", birth, judged_on),
        "work_years": _years(path, "work_start_date", work_start, judged_on) if work_start else Unknown(
            f"{path}.work_start_date: not recorded", f"{path_label(path + '.work_start_date')}未记录"),
        "years_in_level": full_years(current_since, judged_on) if current_since else None,
        # Full years of grassroots experience: the grassroots posts' days added up, then counted as years
        # of 365 days (periods are rarely whole years; the catalogue leaves the exact convention open).
        "grassroots_years": grassroots_days // 365 if history else None,
        "step": step, "level_gap": gap, "lower_level_posts": len(lower),
        "education_rank": education_rank,
        "party_member": c["party_member"],
        "party_years": _years(path, "party_join_date", party_join, judged_on) if party_join else None,
        "on_probation": on_probation,
        "years_since_promotion": full_years(last.start, judged_on) if last else None,
        "last_promotion_tenure_breakthrough": bool(last and last.tenure_breakthrough),
        "attested": _attested_value(attested),
        "statutory_missing": [r for r in requirements if r not in c["statutory_qualifications"]],
        "low_appraisal_recent": low_appraisal_recent,
        "canvassing_found": c["canvassing_found"], "low_recognition": c["low_recognition"],
        "naked_official": c["spouse_emigrated"] or c["children_all_emigrated"], "growth_place": c["growth_place"],
    }


def _years(path: str, name: str, start: "date | YearMonth", judged_on: date) -> "int | Unknown":
    """Full years from a person's date; `unknown` only when it is a month and the day would decide."""
    if start.__class__ is date:
        return full_years(start, judged_on)
    years = full_years_from(start, judged_on)
    return years if years is not None else _month_only(path, name, start, judged_on)


def _month_only(path: str, name: str, month: "YearMonth", judged_on: date | None = None) -> Unknown:
    decides = f"; the day decides the full years on {judged_on}" if judged_on else ""
    decides_zh = f"，{judged_on} 时的足年数取决于具体日期" if judged_on else ""
    return Unknown(f"{path}.{name}: only the month is recorded ({month}){decides}",
                   f"{path_label(f'{path}.{name}')}只记录到月（{month}）{decides_zh}")


# Degree texts as recorded in personnel files, highest first, when the level is not given explicitly.
_DEGREE_WORDS = (("博士", 4), ("硕士", 3), ("研究生", 3), ("本科", 2), ("学士", 2), ("大专", 1), ("专科", 1),
                 ("中专", 0), ("高中", 0), ("初中", -1), ("小学", -1))


def _education_rank(education) -> int | None:
    if education.level is not None:
        return _EDUCATION_RANKS[education.level]
    degree = education.degree
    for word, r in _DEGREE_WORDS:
        if word in degree:
            return r
    return None


def _recommendation_facts(case: Case) -> tuple[list[Fact], list[Fact]]:
    """Recommendation results, and the rounds. A round is preceded by a talk round if the earliest
    talk is before it, and followed by a meeting round if the latest meeting is after it."""
    recs = case.recommendations
    first_talk = last_meeting = None
    for rec in recs:
        if rec.form == "talk":
            if first_talk is None or rec.date < first_talk:
                first_talk = rec.date
        elif rec.form in ("meeting", "second_meeting"):
            if last_meeting is None or rec.date > last_meeting:
                last_meeting = rec.date
    rounds: list[Fact] = []
    results: list[Fact] = []
    for r, rec in enumerate(recs):
        rec_id, form, day = rec.id, rec.form, rec.date
        rounds.append({
            "id": f"round:{rec_id}", "path": f"recommendations[{r}]", "form": form, "date": day,
            "chair_body": rec.chair_body, "expected": rec.participants_expected, "actual": rec.participants_actual,
            "missing_categories": [c for c in rec.required_categories if c not in rec.participant_categories],
            "reference_count": len(rec.reference_list),
            "preceded_by_talk": first_talk is not None and first_talk < day,
            "followed_by_meeting": last_meeting is not None and last_meeting > day,
        })
        if rec.results:
            valid_until = anniversary(day, 1)
            for k, res in enumerate(rec.results):
                results.append({
                    "id": f"recommendation:{rec_id}/{res.candidate}", "path": f"recommendations[{r}].results[{k}]",
                    "recommendation": rec_id, "candidate": res.candidate, "form": form, "date": day,
                    "votes": res.votes, "valid_until": valid_until,
                    "with_talks": form == "talk" or rec.individual_talks})
    return results, rounds


_INSPECTION_CORE = frozenset({"id", "path", "candidate", "start", "completed", "team_size"})


def _inspection_facts(case: Case, graph: KinshipGraph, fields: "frozenset[str] | None" = None
                      ) -> tuple[list[Fact], list[Fact]]:
    """Inspection and petition facts. `lowest_ranked` compares the candidate's recommendation votes
    (the last round that lists the candidate) with everyone's. With `fields` within the core fields
    (`_INSPECTION_CORE`), only those are derived."""
    core = fields is not None and fields <= _INSPECTION_CORE
    votes: dict[str, int] = {}
    fewest = most = None
    if not core:  # the votes are read for `lowest_ranked` only
        votes, fewest, most = _vote_range(case)
    inspections: list[Fact] = []
    petitions: list[Fact] = []
    for n, ins in enumerate(case.inspections):
        if core:
            inspections.append(_inspection_core(n, ins))
        else:
            inspections.append(_inspection_fact(n, ins, graph, _lowest_ranked(ins.candidate, votes, fewest, most)))
        if ins.petitions:
            petitions.extend(_petition_facts(n, ins))
    return inspections, petitions


def _vote_range(case: Case) -> tuple[dict[str, int], "int | None", "int | None"]:
    """Each candidate's recommendation votes (of the last round listing them), the fewest and the most."""
    votes = {res.candidate: res.votes for rec in case.recommendations for res in rec.results}
    fewest, most = (min(votes.values()), max(votes.values())) if len(votes) > 1 else (None, None)
    return votes, fewest, most


def _lowest_ranked(candidate: str, votes: dict[str, int], fewest: "int | None", most: "int | None") -> bool:
    own = votes.get(candidate)
    return own is not None and fewest is not None and own == fewest and own < most  # type: ignore[operator]


def _petition_facts(n: int, ins: Inspection) -> list[Fact]:
    return [{"id": f"petition:{ins.id}/{pet.id}", "path": f"inspections[{n}].petitions[{p}]",
             "candidate": ins.candidate, "inspection": ins.id, "received": pet.received,
             "specific": pet.specific, "closed": pet.closed} for p, pet in enumerate(ins.petitions)]


def _inspection_core(n: int, inspection: Inspection) -> Fact:
    ins = inspection.__dict__  # field values (see the module docstring)
    team = ins["team"]
    return {
        "id": f"inspection:{ins['id']}", "path": f"inspections[{n}]", "candidate": ins["candidate"],
        "start": ins["start"], "completed": ins["completed"], "team_size": len(team),
    }


def _inspection_fact(n: int, inspection: Inspection, graph: KinshipGraph, lowest_ranked: bool) -> Fact:
    ins = inspection.__dict__  # field values (see the module docstring)
    fr, pm, do, pc, au = (ins["file_review"], ins["personal_matters"], ins["discipline_opinion"],
                          ins["petition_check"], ins["economic_audit"])
    ic, td, report = ins["integrity_conclusion"], ins["target_decision"], ins["report"]
    team, candidate = ins["team"], ins["candidate"]
    return {
        **_inspection_core(n, inspection),
        "team_leaders": [t.role for t in team].count("leader"),
        "team_related": [t.name for t in team if t.person and within_recusal_scope(graph, t.person, candidate)],
        "file_review_date": fr.date if fr else None, "file_review_outcome": fr.outcome._value_ if fr else None,
        "personal_matters_date": pm.date if pm else None,
        "personal_matters_outcome": pm.outcome._value_ if pm else None,
        "discipline_opinion_date": do.date if do else None,
        "discipline_opinion_outcome": do.outcome._value_ if do else None,
        "petition_check_date": pc.date if pc else None, "petition_check_outcome": pc.outcome._value_ if pc else None,
        "integrity_date": ic.date if ic else None,
        "integrity_cosigned": bool(ic and ic.signed_by_secretary and ic.signed_by_discipline_head),
        "audit_date": au.date if au else None, "audit_outcome": au.outcome._value_ if au else None,
        "target_body": td.body if td else None, "target_date": td.date if td else ins["start"],
        "target_collective": td.collective if td else None, "target_rationale": bool(td and td.rationale),
        "views_concentrated": bool(td and td.views_concentrated),
        "lowest_ranked": lowest_ranked,
        "plan_date": ins["plan_date"], "unit_consultation_date": ins["unit_consultation_date"],
        "notice_date": ins["notice_date"], "feedback_date": ins["feedback_date"],
        "department_review_date": ins["department_review_date"], "methods": list(ins["methods"]),
        "report_date": report.date if report else None,
        "report_missing_sections": [s for s in _REPORT_SECTIONS if not getattr(report, s)] if report
        else list(_REPORT_SECTIONS),
    }


def _adopted_decisions(case: Case) -> dict[str, date]:
    """Candidate → date of the adopted decision (the latest, if reconsidered)."""
    out: dict[str, date] = {}
    deciding = [mt for mt in case.meetings if mt.kind in _DECIDING]
    if len(deciding) > 1:
        deciding.sort(key=_DATE)  # stable: meetings of one day in the file's order
    for meeting in deciding:
        for item in meeting.agenda:
            if item.outcome is not None:
                if item.outcome == _ADOPTED:
                    out[item.candidate] = meeting.date
                else:
                    out.pop(item.candidate, None)
    return out


def _last_recorded_date(case: Case) -> date:
    """For a closed case without as_of: the date of its last recorded act (never the wall clock)."""
    dates = recorded_act_dates(case)
    return max(dates) if dates else max(earliest_day(c.birth_date) for c in case.candidates)


def recorded_act_dates(case: Case) -> list[date]:
    """The dates of the procedure's acts recorded in the case (not people's dates such as births)."""
    dates = [case.motion.date] if case.motion else []
    dates += [r.date for r in case.recommendations]
    for i in case.inspections:
        dates.append(i.start)
        if i.completed:
            dates.append(i.completed)
    dates += [m.date for m in case.meetings]
    dates += [p.end or p.start for p in case.publicity]
    dates += [a.date for a in case.appointments]
    dates += [f.date for f in case.filings]
    return dates
