"""Incremental judging for the live path: re-evaluate only the rules whose inputs changed.

A rule's findings are a function of the facts it can see: the fact types it matches or quantifies
over (`exists`), and of those, the fields its act date, condition, pending condition and messages
read. Between two fact sets of the same case (before and after one event) most facts are equal, so
most rules would give the same findings again. `IncrementalJudge` compares the two fact sets,
re-evaluates the rules that read something that changed (or whose fact lists gained, lost or
reordered facts), keeps the previous findings of the others, and sorts as the evaluator does. When
an event derived the facts of one record alone (an inspection, a notice, a publicity, a candidate), a
rule whose findings on a fact read no other fact of that type is judged on the facts derived alone,
and its findings on the other facts are kept (`IncrementalJudge._alone`).
The result is the evaluator's result exactly; tests/live/test_live.py checks it against a full audit
after every event.
"""
from __future__ import annotations

import re
from datetime import date
from dataclasses import fields as dc_fields
from itertools import compress
from operator import itemgetter, ne
from typing import Any, Callable, Iterable

from cadre_rules.audit.auditor import Auditor
from cadre_rules.engine.findings import Finding
from cadre_rules.engine.fused import compile_dispatch
from cadre_rules.engine.python import PythonEvaluator
from cadre_rules.facts import FactSet, derive_facts
from cadre_rules.facts import items as item_functions
from cadre_rules.facts.compose import compile_builder
from cadre_rules.facts.derive import (appointment_record_facts, candidate_fact_attested, derive_facts as derive_days,
                                      inspection_fact_after, inspection_fact_moves, inspection_record_fact,
                                      judging_date, meeting_item_facts, petition_record_facts, publicity_record_fact,
                                      record_fact_after, record_facts_apart)
from cadre_rules.facts.months import ACT_DATE_FIELDS, month_only_dates
from cadre_rules.model.base import MonthDate
from cadre_rules.facts.values import Fact, MonthFacts
from cadre_rules.live.events import Change, changed_record
from cadre_rules.model import Case
from cadre_rules.rulebook import ir
from cadre_rules.rulebook.model import Rule

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\}")


def rule_inputs(rule: Rule) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """The fact types a rule ranges over, and the (fact type, field) pairs it reads."""
    types: set[str] = {t for _, t in rule.match}
    reads: set[tuple[str, str]] = set()

    def visit(node: Any, scope: dict[str, str]) -> None:
        if isinstance(node, ir.Exists):
            types.add(node.fact_type)
            visit(node.cond, {**scope, node.alias: node.fact_type})
            return
        if isinstance(node, ir.FieldRef):
            fact_type = scope.get(node.alias)
            if fact_type is None:  # the loader forbids this; be conservative if it ever happens
                raise ValueError(f"{rule.id}: unknown alias {node.alias!r}")
            reads.add((fact_type, node.name))
            return
        for f in dc_fields(node):
            value = getattr(node, f.name)
            for child in value if isinstance(value, tuple) else (value,):
                if hasattr(child, "__dataclass_fields__"):
                    visit(child, scope)

    scope = dict(rule.match)
    for tree in rule.condition_trees():
        visit(tree, scope)
    for texts in rule.message_texts():
        for template in texts.values():
            for alias, name in _PLACEHOLDER.findall(template):
                if alias in scope:
                    reads.add((scope[alias], name))
                    # an id in the message is shown with the person's name and post (engine/python.py)
                    reads.update(("person", field) for field in ("name", "post", "roles"))
    return frozenset(types), frozenset(reads)


def _quantifies(rule: Rule, fact_type: str) -> bool:
    """Whether some `exists` of the rule ranges over `fact_type`."""
    return any(isinstance(node, ir.Exists) and node.fact_type == fact_type
               for tree in rule.condition_trees() for node in ir.walk(tree))


_MISSING = object()
_NONE: list[Fact] = []  # the facts of a type a fact set does not have (never changed)


class ReadValues:
    """Of a fact type, the fields some rule reads (sorted) and a function giving a fact's values of them
    as a tuple (in C: `operator.itemgetter`; it raises KeyError for a fact without one of them): two
    facts are compared on what is read at once, and where they differ is found in C too."""

    __slots__ = ("names", "of")

    def __init__(self, read: Iterable[str]) -> None:
        self.names = tuple(sorted(read))
        get = itemgetter(*self.names) if self.names else None
        self.of: Callable[[Fact], tuple[Any, ...]] = (
            get if len(self.names) > 1 else (lambda fact: (get(fact),)) if get else (lambda fact: ()))


def _read_changes(x: Fact, y: Fact, read: frozenset[str], values: ReadValues | None) -> list[str]:
    """The fields of `read` whose values differ between two facts (a missing field differs from any
    value). Why `values`: a fact derived anew for an event usually differs in none of the fields read
    (an inspection's petition check is read by no rule) or in a few of many (the case fact's date), and
    the two tuples of values are built and compared in C."""
    if values is not None:
        try:
            vx, vy = values.of(x), values.of(y)
        except KeyError:  # a fact without one of the fields: compared one by one
            pass
        else:
            return [] if vx == vy else list(compress(values.names, map(ne, vx, vy)))
    return [k for k in read if x.get(k, _MISSING) != y.get(k, _MISSING)]


def changes(old: FactSet, new: FactSet, types: Iterable[str] | None = None,
            reads: dict[str, frozenset[str]] | None = None,
            values: dict[str, ReadValues] | None = None) -> tuple[set[str], set[tuple[str, str]]]:
    """Fact types whose list changed shape (facts added, removed, reordered), and changed fields.

    A list taken over from the version before is the same object; of a list derived anew, equal
    facts are passed over in C, and only a fact that differs is compared key by key. `types`: the
    only fact types whose lists may differ (the others taken over); `reads`: of a fact type, the only
    fields anything looks at (the others' changes are not reported); `values`: of a fact type, its
    `ReadValues` of those fields (to compare them in C)."""
    reshaped: set[str] = set()
    changed: set[tuple[str, str]] = set()
    if types is None:
        types = old.keys() if old.keys() == new.keys() else old.keys() | new.keys()
    for fact_type in types:
        a, b = old.get(fact_type, _NONE), new.get(fact_type, _NONE)
        if a is b or a == b:
            continue
        if len(a) != len(b):
            reshaped.add(fact_type)
            continue
        fields: set[str] = set()
        read = reads.get(fact_type, ()) if reads is not None else None
        getter = values.get(fact_type) if values is not None and read else None
        for x, y in zip(a, b):  # (a fact equal to its old one changes no field read: not compared as a whole)
            if x is y:
                continue
            if x.get("id") != y.get("id") or x.get("path") != y.get("path"):
                reshaped.add(fact_type)
                break
            if read is not None:
                fields.update(_read_changes(x, y, read, getter))
            elif x.keys() == y.keys():
                fields.update([k for k, v in x.items() if y[k] != v])
            else:
                fields.update([k for k, v in x.items() if k not in y or y[k] != v])
                fields.update([k for k in y if k not in x])
        else:
            changed.update([(fact_type, k) for k in fields])
    return reshaped, changed


class _Readers:
    """Which rules read each fact type and each (fact type, field): looking up what changed is then a
    few set unions, not a test of every rule."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.of_type: dict[str, set[str]] = {}
        self.of_field: dict[tuple[str, str], set[str]] = {}
        # rule -> the fact types it ranges over; and, of those it matches with one alias alone and never
        # quantifies over (`exists`), that alias's place in its match: its findings on one fact of that
        # type read no other fact of it (IncrementalJudge.update judges that fact alone)
        self.types_of: dict[str, frozenset[str]] = {}
        self.alone: dict[str, dict[str, int]] = {}
        for rule in rules:
            types, reads = rule_inputs(rule)
            self.types_of[rule.id] = types
            matched = [t for _, t in rule.match]
            self.alone[rule.id] = {t: matched.index(t) for t in matched
                                   if matched.count(t) == 1 and not _quantifies(rule, t)}
            for fact_type in types:
                self.of_type.setdefault(fact_type, set()).add(rule.id)
            for read in reads:
                self.of_field.setdefault(read, set()).add(rule.id)
        fields: dict[str, set[str]] = {}
        for fact_type, name in self.of_field:
            fields.setdefault(fact_type, set()).add(name)
        # of each fact type, the fields some rule reads (a change of another field affects no rule)
        self.fields_of: dict[str, frozenset[str]] = {t: frozenset(names) for t, names in fields.items()}
        self.values_of: dict[str, ReadValues] = {t: ReadValues(names) for t, names in self.fields_of.items()}

    def affected(self, reshaped: Iterable[str], changed: Iterable[tuple[str, str]]) -> set[str]:
        out: set[str] = set()
        for fact_type in reshaped:
            out |= self.of_type.get(fact_type, set())
        for read in changed:
            out |= self.of_field.get(read, set())
        return out


_READERS: dict[int, tuple[Auditor, _Readers]] = {}


def _readers_of(auditor: Auditor) -> _Readers:
    cached = _READERS.get(id(auditor))
    if cached is None or cached[0] is not auditor:
        cached = _READERS[id(auditor)] = (auditor, _Readers(auditor.rulebook.rules))
        while len(_READERS) > 8:
            _READERS.pop(next(iter(_READERS)))
    return cached[1]


# The case fields each fact type is derived from (facts/derive.py), shared inputs included. A fact type
# none of whose fields changed between two versions of a case has the same facts in both, so the live
# path takes them from the version before instead of deriving them again. The candidates, their
# sanctions and dossiers are judged on `judged_on` (facts/derive.py `judging_date`: the first adopted
# decision, else `as_of`): a part of the meetings and the record's date that moves only when a decision
# is first adopted, or with the date while none is. Conservative by construction: a fact type not named
# here (any type added later) is derived on every event, and so is everything when the case has acts
# dated to the month only (facts/months.py derives those over the days of the month, across fact types).
# tests/live/test_incremental_replay.py replays the examples and synthetic cases event by event and
# holds the facts and answers equal to a derivation and judgement from scratch after every event.
_DOSSIER = frozenset({"candidates", "judged_on"})
FACT_INPUTS: dict[str, frozenset[str]] = {
    "case": frozenset({"id", "jurisdiction", "move", "status", "post", "candidates", "breakthrough", "body",
                       "recommendation_exemption", "prior_reports", "submission", "motion", "nominations",
                       "change_of_term", "batch_size", "inspection_candidates", "meetings", "as_of"}),
    # of the inspections, a candidate's facts read only the date its targets were fixed
    "candidate": frozenset({"candidates", "inspection_targets", "attestations", "post", "judged_on"}),
    "sanction": frozenset({"candidates", "judged_on"}),
    "motion": frozenset({"motion"}),
    "recommendation": frozenset({"recommendations"}),
    "round": frozenset({"recommendations"}),
    "nomination": frozenset({"nominations"}),
    "inspection": frozenset({"inspections", "recommendations", "relations"}),
    "petition": frozenset({"inspections", "recommendations", "relations"}),
    "item": frozenset({"meetings", "body", "prior_reports", "relations"}),
    "consultation": frozenset({"consultations"}),
    "publicity": frozenset({"publicity"}),
    "appointment": frozenset({"appointments", "filings", "publicity", "candidates", "post", "meetings", "as_of"}),
    "prior_report": frozenset({"prior_reports"}),
    "departure": frozenset({"leader_departure"}),
    "colleague": frozenset({"colleagues", "candidates", "relations"}),
    "business": frozenset({"relatives_business"}),
    **dict.fromkeys(("sourced", "turn", "study", "career", "identity", "review"), _DOSSIER),
    "canvassing": frozenset({"canvassing_findings"}),
    "person": frozenset({"candidates", "body"}),
}
# Fact types derived record by record from one list of the case (facts/derive.py's per-record entry
# points): when, of their inputs, only that list changed, by one record added at its end or replaced,
# the facts of that record (of an agenda's meeting: of it and the meetings after it) are derived and
# the others' facts taken over. case list -> its fact types.
# A list whose records give facts of another type keyed by candidate (an attestation: its candidate's
# fact; a filing or a publicity: the appointment facts of its candidate's notices) names that type too.
BY_RECORD: dict[str, tuple[str, ...]] = {"inspections": ("inspection", "petition"), "meetings": ("item",),
                                         "attestations": ("candidate",), "appointments": ("appointment",),
                                         "publicity": ("publicity", "appointment"), "filings": ("appointment",)}
# Of each BY_RECORD list, the case fields its fact types read besides the list: when one of those
# changed too, the facts of the one record changed would not do.
_BY_RECORD_OTHERS: dict[str, frozenset[str]] = {
    field: frozenset().union(*(FACT_INPUTS[t] - {field} for t in types)) for field, types in BY_RECORD.items()}
_SCALARS = (str, int, bool, float, date, type(None))
_OWN_TYPE = {"appointments": "appointment", "publicity": "publicity"}  # a list -> the type of its records' facts
_KEYED = {"attestations": "candidate", "filings": "appointment", "publicity": "appointment"}  # ... by candidate


def _inspection_targets(case: Case) -> list[tuple[Any, ...]]:
    """What the candidate facts read of the inspections (facts/derive.py `_candidate_facts`)."""
    return [(i.candidate, type(i.start), i.start, i.target_decision) for i in case.inspections]


def _inspection_candidates(case: Case) -> set[str]:
    """What the case fact reads of the inspections (the number of candidates inspected)."""
    return {i.candidate for i in case.inspections}


# Parts of case fields that some fact types read alone: "changed" when the part differs (computed only
# when one of the fields it is read from changed).
_PARTS = {"inspection_targets": (("inspections",), _inspection_targets),
          "inspection_candidates": (("inspections",), _inspection_candidates),
          "judged_on": (("meetings", "as_of"), judging_date)}


def changed_fields(old: Case, new: Case, parts: tuple[dict[str, Any], dict[str, Any]] | None = None) -> set[str]:
    """The case fields whose values differ: a field kept by `model_copy` is the same object; a date
    or other plain value set again (`as_of` on every event) counts as changed only if its value (and
    its type: a MonthDate equals its month's first day) differs. A part some fact types read alone
    (`_PARTS`) is named too when it differs. `parts`: the parts already read of `old`, and a dict
    that gets those read of `new` (the next event's `old`)."""
    a, b = old.__dict__, new.__dict__
    out = set()
    for name, value in b.items():
        before = a.get(name)
        if before is value or (type(before) is type(value) and type(value) in _SCALARS and before == value):
            continue
        out.add(name)
    read_before, read_now = parts if parts is not None else ({}, {})
    for part, (names, read) in _PARTS.items():
        if not out.isdisjoint(names):
            now = read_now[part] = read(new)
            if (read_before[part] if part in read_before else read(old)) != now:
                out.add(part)
    return out


def declared_fields(change: Change, new: Case,
                    parts: tuple[dict[str, Any], dict[str, Any]]) -> frozenset[str] | set[str]:
    """`changed_fields` of the case an event was applied to and `new`, from what the event declared:
    its fields as they are, and of the parts read from them only those it may change compared (no
    part changed: the declared frozenset itself)."""
    fields = change.fields
    out = None
    read_before, read_now = parts
    for part, (names, read) in _PARTS.items():
        if fields.isdisjoint(names):
            continue
        if part in change.keeps:
            if part in read_before:
                read_now[part] = read_before[part]
            continue
        now = read_now[part] = read(new)
        if (read_before[part] if part in read_before else read(change.base)) != now:
            if out is None:
                out = set(fields)
            out.add(part)
    return fields if out is None else out


_ACT_DATES = {name: (is_list, attrs) for name, is_list, attrs in ACT_DATE_FIELDS}


def _month_only_in(case: Case, change: Change) -> bool:
    """Whether an act date that `change` put in the case is known only to the month (facts/months.py
    ACT_DATE_FIELDS), the case it was made from having none: of a list with one record changed, that
    record's dates are read; of another changed field, its records'."""
    fields = change.fields if change.record is None else (change.record[0],)
    replaced = change.record_fields
    for name in fields:
        found = _ACT_DATES.get(name)
        if found is None:
            continue
        is_list, attrs = found
        if replaced is not None and replaced.isdisjoint(attrs):
            continue  # the record's dates are those it had (the same objects), in a case that had none
        value = getattr(case, name)
        if value is None:
            continue
        records = (value[change.record[1]],) if change.record is not None else value if is_list else (value,)
        for record in records:
            values = record.__dict__
            for attr in attrs:
                if type(values[attr]) is MonthDate:
                    return True
    return False


_PETITION_READS = frozenset({"id", "candidate", "petitions"})


def _same_petitions(before: Any, after: Any, replaced: frozenset[str] | None = None) -> bool:
    """Whether an inspection replaced at the same index has the same petition facts: they read its id,
    its candidate and its petitions (facts/derive.py `_petition_facts`), here the same objects.
    `replaced`: the inspection's fields replaced, when known (the others are the same objects)."""
    if replaced is not None:
        return replaced.isdisjoint(_PETITION_READS)
    return before.petitions is after.petitions and before.id == after.id and before.candidate == after.candidate


_ALONE_FROM = 8  # of a list this long or shorter, rules are judged on one fact alone only if one had findings


class IncrementalJudge:
    """Judges successive versions of one case, deriving only the fact types whose case fields changed
    and reusing the findings of rules whose inputs are unchanged."""

    def __init__(self, auditor: Auditor) -> None:
        self.auditor = auditor
        self.evaluator = getattr(auditor, "evaluator", None)
        self.readers = _readers_of(auditor)
        # whether its evaluator can judge some rules and merge (sort) their findings with the others'
        self._sorts = self.evaluator is not None and hasattr(self.evaluator, "stage_order")
        # (the case judged last, whether it had acts dated to the month only, its facts, its findings)
        self._memo: tuple[Case, bool, FactSet, list[Finding]] | None = None
        self.last_reevaluated: set[str] | None = None  # rule ids re-evaluated by the last call (None: all)
        self.last_alone: dict[str, set[str]] | None = None  # of those, by fact type, the rules judged on
        # the facts derived for one record alone (the findings on the type's other facts kept)
        self.last_derived: set[str] | None = None  # fact types derived by the last call (None: all)
        self.last_by_record: set[str] | None = None  # of those, the types derived for one record only
        self._items: Any = None  # the item builder of the auditor's plan (facts/compose.py), on first need
        self._dispatches: dict[frozenset[str], Any] = {}  # rules re-run together -> their evaluation
        self._stale_by_change: dict[frozenset[str], tuple[str, ...]] = {}  # changed fields -> types to derive
        self._parts: tuple[Case, dict[str, Any]] | None = None  # the parts read of the case judged last
        # (facts made by the last derive, the facts they were made from, the types derived anew, those of
        # them known to differ from the facts before in no field a rule reads, and of a type derived for
        # one record the indexes of its facts derived: the others are the facts before, the same objects,
        # and the list is as long or one longer, its last fact derived)
        self._fresh: tuple[FactSet, FactSet, set[str], set[str], dict[str, tuple[int, ...]]] | None = None
        self._single: dict[str, tuple[int, ...]] = {}

    def findings(self, case: Case, change: Change | None = None) -> list[Finding]:
        """All findings of `case` (`change`: what the event that made it changed, as declared)."""
        if not self._sorts:
            self.last_reevaluated = None
            return self.auditor.findings(case)
        memo = self._memo
        if change is not None and memo is not None and change.base is memo[0] and not memo[1]:
            months = _month_only_in(case, change)  # the case before had none: only what changed can
        else:
            months = bool(month_only_dates(case))
        facts = self.derive(case, months, change)
        if self._memo is None:
            result = self.evaluator.evaluate(facts)
            self.last_reevaluated = None
        else:
            result = self.update(self._memo[2], self._memo[3], facts)
        self._memo = (case, months, facts, result)
        return list(result)

    def derive(self, case: Case, months: bool = False, change: Change | None = None) -> FactSet:
        """The facts the rulebook reads (Auditor.derive): of the fact types whose case fields did not
        change since the case judged last, its facts; the others derived anew. `change`: what made
        `case` from the case judged last, as the event declared it (else the fields are compared)."""
        derive = getattr(self.auditor, "derive", derive_facts)
        plan = getattr(self.auditor, "plan", None)
        memo = self._memo
        # without the record's date the facts layer takes the last recorded act's, read from every step
        if memo is None or plan is None or months or memo[1] or case.as_of is None or memo[0].as_of is None:
            self.last_derived = None
            return derive(case)
        before = memo[0]
        parts = (self._parts[1] if self._parts is not None and self._parts[0] is before else {}, {})
        record = replaced = None
        if change is not None and change.base is before:
            changed = declared_fields(change, case, parts)
            record, replaced = change.record, change.record_fields
        else:
            changed = changed_fields(before, case, parts)
        self._parts = (case, parts[1])
        stale = {t: plan[t] for t in self._stale(frozenset(changed), plan)}
        self.last_derived = set(stale)
        self.last_by_record = None
        if len(stale) == len(plan):
            return derive(case)
        old = memo[2]
        quiet: set[str] = set()
        self._single = {}
        by_record = self._by_record(before, case, old, stale, changed, plan, record, replaced, quiet) if stale else {}
        for fact_type in by_record:
            del stale[fact_type]
        out = dict(old)
        if stale:
            out.update(derive_days(case, stale))  # no act dated to the month only (checked above)
        out.update(by_record)
        self._fresh = (out, old, self.last_derived, quiet, self._single)
        return out

    def _stale(self, changed: frozenset[str], plan: Any) -> tuple[str, ...]:
        """The fact types of `plan` derived from one of the `changed` fields (or not in FACT_INPUTS)."""
        found = self._stale_by_change.get(changed)
        if found is None:
            if len(self._stale_by_change) >= 256:
                self._stale_by_change.clear()
            found = self._stale_by_change[changed] = tuple(
                t for t in plan if t not in FACT_INPUTS or not FACT_INPUTS[t].isdisjoint(changed))
        return found

    def _by_record(self, before: Case, case: Case, old: FactSet, stale: dict[str, Any], changed: set[str],
                   plan: Any, record: tuple[str, int] | None = None, replaced: frozenset[str] | None = None,
                   quiet: set[str] | None = None) -> FactSet:
        """The facts of the `BY_RECORD` types whose list changed by one record alone: that record's facts
        derived (facts/derive.py per-record entry points), the others' taken over from `old`. `replaced`:
        the fields of the one record `record` replaced, when the event said (`Change.record_fields`);
        `quiet` gets the types whose facts are known to differ in no field a rule reads."""
        out: FactSet = {}
        for field, types in BY_RECORD.items():
            if field not in changed:  # (its types are stale for another input, or not at all)
                continue
            wanted = [t for t in types if t in stale and t in old]
            if not wanted or not _BY_RECORD_OTHERS[field].isdisjoint(changed):
                continue
            records_before, records = getattr(before, field), getattr(case, field)
            k = record[1] if record is not None and record[0] == field else changed_record(records_before, records)
            if k is None:
                continue
            if k == len(records):  # no record differs
                out.update((t, old[t]) for t in wanted)
                continue
            if field in _OWN_TYPE or field in _KEYED:
                out.update(self._record_of(field, records_before, case, old, k, wanted, plan,
                                           replaced if record is not None and record[0] == field else None))
                continue
            if len(records) == 1 or (field == "meetings" and not any(m.agenda for m in records_before[:k])):
                continue  # no other record's facts to take over: derived with the other types
            if field == "inspections":
                out.update(self._inspection_record(records_before, case, old, k, wanted, plan,
                                                   replaced if record is not None and record[0] == field else None,
                                                   quiet))
            else:  # meetings: the items of the meeting and of those after it
                if self._items is None:
                    self._items = compile_builder(item_functions, plan["item"])
                first = sum(len(m.agenda) for m in records_before[:k])
                out["item"] = [*old["item"][:first], *meeting_item_facts(case, k, self._items)]
        self.last_by_record = set(out)
        return out

    def _record_of(self, field: str, records_before: list[Any], case: Case, old: FactSet, k: int,
                   wanted: list[str], plan: Any, replaced: frozenset[str] | None = None) -> FactSet:
        """The facts of `wanted` when `case.<field>[k]` was added or replaced, its list the one input of
        theirs that changed: of the record's own type (a notice, a publicity) its fact derived, of a
        type keyed by candidate (the candidate facts, the appointment facts) the facts of the record's
        candidate (and of the one it replaced) derived; the others taken over from `old`
        (facts/derive.py per-record entry points; of a record replaced in the fields `replaced`, its
        fact updated in the values reading them). `self._single` gets each type's indexes derived."""
        out: FactSet = {}
        records = getattr(case, field)
        own = _OWN_TYPE.get(field)
        if own in wanted and record_facts_apart(own, plan.get(own)):  # the record's own fact (else derived whole)
            facts = old[own]
            fact = None
            if replaced is not None and len(records) == len(records_before):
                fact = record_fact_after(own, facts[k], case, k, replaced, plan.get(own))
            if fact is None:
                fact = (appointment_record_facts(case, (k,), plan.get("appointment"))[0] if own == "appointment"
                        else publicity_record_fact(case, k, plan.get("publicity")))
            out[own] = [*facts[:k], fact, *facts[k + 1:]]
            self._single[own] = (k,)
        keyed = _KEYED.get(field)
        if keyed in wanted:  # the facts of the record's candidate (before and after)
            who = {records[k].candidate}
            if k < len(records_before):
                who.add(records_before[k].candidate)
            if keyed == "candidate":
                facts = old["candidate"]
                indexes = tuple(i for i, c in enumerate(case.candidates) if c.id in who)
                judged_on = judging_date(case)  # (the same as before: else every candidate is derived)
                made = {i: candidate_fact_attested(facts[i], case, judged_on) for i in indexes}
            else:
                facts = old["appointment"]
                indexes = tuple(a for a, n in enumerate(case.appointments) if n.candidate in who)
                made = dict(zip(indexes, appointment_record_facts(case, indexes, plan.get("appointment"))))
            out[keyed] = [made.get(i, fact) for i, fact in enumerate(facts)] if made else facts
            self._single[keyed] = indexes
        return out

    def _inspection_record(self, records_before: list[Any], case: Case, old: FactSet, k: int, wanted: list[str],
                           plan: Any, replaced: frozenset[str] | None = None, quiet: set[str] | None = None) -> FactSet:
        """The inspection and petition facts with those of `case.inspections[k]` (added or replaced)
        derived anew, the other inspections' taken over from `old` (`replaced`: the inspection's fields
        replaced, when known; then `quiet` gets "inspection" when its fact was updated in values no rule
        reads, e.g. the petition check of the four musts)."""
        out: FactSet = {}
        records = case.inspections
        same_length = len(records) == len(records_before)
        fields = replaced if same_length else None
        if "inspection" in wanted:
            facts = old["inspection"]
            # a step recorded (a check, the completion, a petition): its fact updated, the other values kept
            fact = inspection_fact_after(facts[k], records_before[k], records[k], fields) if same_length else None
            if fact is None:
                # the one value read from outside the inspection, the same when its candidate is: the
                # recommendations did not change (else this record's facts alone would not do)
                known = facts[k].get("lowest_ranked") if same_length and \
                    records_before[k].candidate == records[k].candidate else None
                fact = inspection_record_fact(case, k, plan.get("inspection"), known)
            elif fields is not None and quiet is not None and \
                    inspection_fact_moves(fields).isdisjoint(self.readers.fields_of.get("inspection", ())):
                quiet.add("inspection")  # (the same id and path: its list is not reshaped either)
            out["inspection"] = [*facts[:k], fact, *facts[k + 1:]]
            self._single["inspection"] = (k,)
        if "petition" in wanted:
            if same_length and _same_petitions(records_before[k], records[k], fields):
                out["petition"] = old["petition"]  # what its petition facts read did not change
            else:
                first = sum(len(i.petitions) for i in records_before[:k])
                gone = len(records_before[k].petitions) if same_length else 0
                facts = old["petition"]
                out["petition"] = [*facts[:first], *petition_record_facts(case, k), *facts[first + gone:]]
        return out

    def update(self, old_facts: FactSet, old_findings: Iterable[Finding], facts: FactSet) -> list[Finding]:
        """The findings for `facts`, given those for `old_facts`: only the rules reading what changed re-run."""
        # only the lists derived anew can differ (the others are the version before's); of their facts,
        # only the fields some rule reads matter
        fresh = self._fresh
        derived = single = None
        if fresh is not None and fresh[0] is facts and fresh[1] is old_facts:
            derived = fresh[2] - fresh[3] if fresh[3] else fresh[2]
            single = fresh[4]
        reshaped, changed = changes(old_facts, facts, derived, self.readers.fields_of, self.readers.values_of)
        affected = self.readers.affected(reshaped, changed)
        self.last_reevaluated = affected
        self.last_alone = None
        if not affected:
            return list(old_findings)
        if isinstance(facts, MonthFacts) or not isinstance(self.evaluator, PythonEvaluator):
            fresh = self.evaluator.evaluate(facts, affected)  # (rules compiled for acts dated to the month)
            merged = [f for f in old_findings if f.rule_id not in affected]
        else:
            alone = None
            if single and type(facts) is dict and (old_findings or any(len(facts[t]) > _ALONE_FROM for t in single)):
                alone = self._alone(affected, reshaped, changed, single, old_findings, facts)
            whole = affected if not alone else affected.difference(*alone.values())
            fresh = []
            if whole:
                self._dispatch(frozenset(whole))(facts, fresh)
            if alone:
                self.last_alone = alone
                return self._judge_alone(alone, whole, old_facts, old_findings, facts, single, fresh)  # type: ignore[arg-type]
            merged = [f for f in old_findings if f.rule_id not in affected]
        return self._sorted(merged + fresh)

    def _sorted(self, findings: list[Finding]) -> list[Finding]:
        """The findings in the evaluator's order."""
        if len(findings) > 1:
            stage_order = self.evaluator.stage_order
            findings.sort(key=lambda f: f.sort_key(stage_order))
        return findings

    def _alone(self, affected: set[str], reshaped: set[str], changed: set[tuple[str, str]],
               single: dict[str, tuple[int, ...]], old_findings: Iterable[Finding], facts: FactSet
               ) -> dict[str, set[str]]:
        """Of the `affected` rules, those whose findings change only on the facts derived for one record:
        fact type -> the rules that are judged on those facts of it alone. A rule qualifies when, of the
        fact types it ranges over, that type is the only one that changed (in shape or in a field some
        rule reads), it was derived record by record (`single`), and the rule matches it with one alias
        and never quantifies over it (`_Readers.alone`): its findings on the other facts read nothing
        that changed. Of a short list (`_ALONE_FROM` facts or fewer) its rules are judged so only when
        one of them had findings: what that saves is making those findings on the other facts again;
        judging a few facts that give none costs less than setting the rules apart (~2.5 µs, docs/
        performance.md "Live path, eighth round")."""
        touched = reshaped.union([t for t, _ in changed])
        out: dict[str, set[str]] = {}
        types_of, alone = self.readers.types_of, self.readers.alone
        for rule_id in affected:
            hit = touched.intersection(types_of.get(rule_id, ()))
            if len(hit) == 1:
                (fact_type,) = hit
                if fact_type in single and fact_type in alone.get(rule_id, ()):
                    out.setdefault(fact_type, set()).add(rule_id)
        if out:
            had = {f.rule_id for f in old_findings}
            for fact_type in [t for t, rules in out.items() if len(facts[t]) <= _ALONE_FROM and had.isdisjoint(rules)]:
                del out[fact_type]
        return out

    def _judge_alone(self, alone: dict[str, set[str]], whole: set[str], old_facts: FactSet,
                     old_findings: Iterable[Finding], facts: FactSet, single: dict[str, tuple[int, ...]],
                     fresh: list[Finding]) -> list[Finding]:
        """The findings when the rules of `alone` are judged on the facts derived anew alone (the rules of
        `whole` already judged on every fact, into `fresh`): of those rules, the findings before on the
        other facts of the type are kept (their paths at the rule's alias of that type name another
        fact), those on the facts replaced dropped, and the rules run on a fact set whose list of that
        type holds only the facts derived."""
        dropped: dict[str, tuple[int, set[str]]] = {}  # rule -> (its alias's place, paths of facts replaced)
        for fact_type, rules in alone.items():
            indexes = single[fact_type]
            before, now = old_facts[fact_type], facts[fact_type]
            gone = {before[i]["path"] for i in indexes if i < len(before)}
            for rule_id in rules:
                dropped[rule_id] = (self.readers.alone[rule_id][fact_type], gone)
            view = dict(facts)  # (a plain dict: the facts made by `derive` for one record, see `update`)
            view[fact_type] = [now[i] for i in indexes]
            self._dispatch(frozenset(rules))(view, fresh)
        merged = []
        for f in old_findings:
            rule_id = f.rule_id
            if rule_id in dropped:
                place, gone = dropped[rule_id]
                if f.paths[place] not in gone:
                    merged.append(f)
            elif rule_id not in whole:
                merged.append(f)
        return self._sorted(merged + fresh)

    def _dispatch(self, rules: frozenset[str]) -> Any:
        """`evaluate(facts, out)` of just these rules, generated once per set of rules (engine/fused.py
        `compile_dispatch`: grouped by the fact types they join, a group skipped when one is empty)."""
        found = self._dispatches.get(rules)
        if found is None:
            if len(self._dispatches) >= 64:
                self._dispatches.pop(next(iter(self._dispatches)))
            found = self._dispatches[rules] = compile_dispatch(
                [([t for _, t in c.rule.match], c.match) for c in self.evaluator.compiled if c.rule.id in rules])
        return found

    def reset(self) -> None:
        self._memo = None


__all__ = ["BY_RECORD", "FACT_INPUTS", "IncrementalJudge", "changed_fields", "changed_record", "changes", "declared_fields",
           "rule_inputs"]
