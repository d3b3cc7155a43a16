"""What the renderers receive: a case's result with its context, and a summary built case by case.

`ReportedCase` is a `CaseResult` (the JSON contract's fields unchanged) plus `case`: the title,
organisation, year and kind of move that the summary charts and the readable reports group by.
`Summary` adds up cases one at a time from `CaseStats` — a few small tuples per case — so that a
batch of any size is summarised in constant memory, and a worker process can hand its part back
cheaply.
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field, fields
from datetime import date
from operator import attrgetter
from typing import Any, NamedTuple

from cadre_rules.audit.auditor import CaseResult
from cadre_rules.model import Case

INFO_KEYS = ("title", "organisation", "year", "move")


@dataclass
class ReportedCase(CaseResult):
    case: dict[str, Any] = field(default_factory=lambda: dict.fromkeys(INFO_KEYS))
    waiver_events: list[Any] = field(default_factory=list)  # WaiverEvent per waiver that matched
    # (line, column) in the case file of each field path the findings rest on, for renderers that place
    # findings (SARIF regions); not part of the JSON report
    places: dict[str, tuple[int, int]] = field(default_factory=dict)

    def to_dict(self, accountability: Any = None) -> dict[str, Any]:
        """The case as the JSON report has it; with an `AccountabilityMap` (rulebook.accountability), each
        violated finding also says who answers for it (`accountability`, report_version 1.2)."""
        findings = [finding_dict(f) for f in self.findings]
        if accountability is not None:
            for f, out_f in zip(self.findings, findings):
                if f.verdict == "violated":
                    entry = accountability.for_finding(f.rule_id, f.stage, f.act_date)
                    if entry is not None:
                        out_f["accountability"] = entry
        out = self.head()
        out["findings"] = findings
        out.update(self.tail())
        return out

    def head(self) -> dict[str, Any]:
        """The keys of `to_dict` before `findings` (a renderer may write the findings its own way)."""
        return {"case_id": self.case_id, "source": self.source, "status": self.status,
                "errors": [e.to_dict() for e in self.errors]}

    def tail(self) -> dict[str, Any]:
        """The keys of `to_dict` after `findings`."""
        out: dict[str, Any] = {}
        notes = getattr(self, "notes", None)
        if notes:
            out["notes"] = list(notes)
        if self.out_of_scope:  # acts before the earliest edition: listed, never judged
            out["out_of_scope"] = list(self.out_of_scope)
        out["case"] = dict(self.case)
        return out


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def finding_dict(finding: Any) -> dict[str, Any]:
    """`Finding.to_dict()` without `dataclasses.asdict`'s deep copy (its values are flat: str, list, dict of str)."""
    names = _FIELD_NAMES.get(type(finding))
    if names is None:
        names = _FIELD_NAMES[type(finding)] = tuple(f.name for f in fields(finding))
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(finding, name)
        if isinstance(value, dict):
            value = dict(value)
        elif isinstance(value, (list, tuple)):
            value = list(value)
        out[name] = value
    return out


def case_date(case: Case) -> date | None:
    """The date a case is dated by: its first decision meeting (讨论决定); else its appointment notice,
    its motion, its first recommendation or inspection; else the date its record is complete to."""
    # each candidate date only when those before it are missing (plain loops: called for every case)
    decisions = [m.date for m in case.meetings if m.kind.value in _DECIDING]
    if decisions:
        day = sorted(decisions)[0]
        if day is not None:
            return day
    for records, attr in ((case.appointments, "date"), (None, "motion"), (case.recommendations, "date"),
                          (case.inspections, "start")):
        if records is None:
            day = case.motion.date if case.motion else None
        else:
            day = min(map(attrgetter(attr), records)) if records else None
        if day is not None:
            return day
    return case.as_of


_DECIDING = ("decision", "reconsideration")


def case_year(case: Case) -> int | None:
    """The year a case belongs to: the year of `case_date`."""
    day = case_date(case)
    return day.year if day else None


def case_info(case: Case | None, data: Any = None) -> dict[str, Any]:
    """Title, organisation, year and move of a case; for an invalid one, what the raw data shows."""
    if case is not None:
        return {"title": case.title, "organisation": case.organisation, "year": case_year(case),
                "move": case.move.value}
    info: dict[str, Any] = dict.fromkeys(INFO_KEYS)
    if isinstance(data, dict):
        for key in ("title", "organisation", "move"):
            if isinstance(data.get(key), str):
                info[key] = data[key]
    return info


class CaseStats(NamedTuple):
    """One case's contribution to the summary: all a parent process needs besides the rendered text."""

    case_id: str | None
    status: str
    year: int | None
    organisation: str | None
    findings: tuple[tuple[str, str, str, bool, str], ...]  # (verdict, rule_id, stage, blocking, severity)
    waivers: tuple[tuple[str, str, int], ...] = ()  # (waiver file:line, status, findings)
    not_judged: tuple[tuple[str, str], ...] = ()  # (rule_id, missing record) of each unknown finding
    shown_id: str | None = None  # the id as the report shows it, when redaction changed it (`shown`)

    @property
    def shown(self) -> str | None:
        """The case id to print (on standard error, in the summary): the redacted one under --redact."""
        return self.shown_id if self.shown_id is not None else self.case_id

    @classmethod
    def of(cls, case: ReportedCase, real_id: str | None = None) -> "CaseStats":
        """The stats of a reported case. `real_id`: the case's own id when `case` is redacted —
        waivers and the repeated-id warning go by the real id (a redacted one may hide a name that
        a waiver spells out, or make two ids alike); what is printed is the redacted one."""
        events = case.waiver_events
        ident = real_id if real_id is not None else case.case_id
        return cls(ident, case.status, case.case.get("year"), case.case.get("organisation"),
                   tuple((f.verdict, f.rule_id, f.stage, f.blocking, f.severity) for f in case.findings),
                   tuple((e.where, e.status, e.findings) for e in events),
                   tuple((f.rule_id, missing_record(f.reason)) for f in case.findings if f.verdict == "unknown"),
                   case.case_id if case.case_id != ident else None)


_INDEX = re.compile(r"\[\d+\]")


def missing_record(reason: str | None) -> str:
    """What an unknown finding lacks, counted across cases: the field path its reason names, with the
    list positions left out (`meetings[0].agenda[1].statements: not recorded` → `meetings[].agenda[].statements`)."""
    if not reason:
        return "?"
    head = reason.split(": ", 1)[0] if ": " in reason else reason
    return _INDEX.sub("[]", head)


def _bump(table: dict[str, dict[str, int]], key: str, column: str, by: int = 1) -> None:
    row = table.setdefault(key, {})
    row[column] = row.get(column, 0) + by


FAIL_ON = ("violation", "warning", "pending", "unknown")  # --fail-on thresholds, strictest first


class Summary:
    """Counts over a stream of cases. `to_dict()` keeps the JSON contract's keys (cases, invalid,
    violated, pending, unknown, by_rule = violated findings per rule) and adds waived findings and
    breakdowns by stage, year and organisation."""

    def __init__(self, as_of: date | None = None, stage_order: dict[str, int] | None = None) -> None:
        self.as_of = as_of
        self.stage_order = stage_order or {}
        self.cases = self.invalid = 0
        self.verdicts = {"violated": 0, "pending": 0, "unknown": 0, "waived": 0}
        self.blocking = 0
        self.violated_warnings = 0  # violated findings of severity warning (below `violation`, above `info`)
        # Cases with a violated rule of severity `violation` — the cases JUnit fails and exit status 1
        # counts; a case with warnings only is not "a case with violations" in any format.
        self.cases_with_violations = 0
        self.by_severity = {"violation": 0, "warning": 0, "info": 0}  # violated findings by the rule's severity
        self.by_rule: dict[str, int] = {}
        self.by_stage: dict[str, dict[str, int]] = {}
        self.by_year: dict[str, dict[str, int]] = {}
        self.by_organisation: dict[str, dict[str, int]] = {}
        self.waivers = {"active": 0, "expired": 0, "version-mismatch": 0}
        self.waivers_used: set[str] = set()
        # only ids a waiver names (bounded by the waiver file): the real id -> the id as shown (redacted or not)
        self.cases_seen: dict[str, str] = {}
        self.watch: set[str] = set()
        self.not_judged_by_rule: dict[str, int] = {}
        self.not_judged_by_record: dict[str, int] = {}

    def add(self, stats: CaseStats) -> None:
        self.cases += 1
        if stats.case_id in self.watch:
            self.cases_seen[stats.case_id] = stats.shown or stats.case_id
        year = str(stats.year) if stats.year is not None else "?"
        org = stats.organisation or "?"
        _bump(self.by_year, year, "cases")
        _bump(self.by_organisation, org, "cases")
        if stats.status == "invalid":
            self.invalid += 1
            _bump(self.by_year, year, "invalid")
            _bump(self.by_organisation, org, "invalid")
            return
        blocked = False
        for verdict, rule_id, stage, blocking, severity in stats.findings:
            self.verdicts[verdict] = self.verdicts.get(verdict, 0) + 1
            _bump(self.by_stage, stage, verdict)
            if verdict == "violated":
                self.by_rule[rule_id] = self.by_rule.get(rule_id, 0) + 1
                _bump(self.by_year, year, "violated")
                _bump(self.by_organisation, org, "violated")
                self.by_severity[str(severity)] = self.by_severity.get(str(severity), 0) + 1
            self.blocking += blocking
            blocked = blocked or bool(blocking)
            self.violated_warnings += verdict == "violated" and severity == "warning"
        self.cases_with_violations += blocked
        for rule_id, record in stats.not_judged:
            self.not_judged_by_rule[rule_id] = self.not_judged_by_rule.get(rule_id, 0) + 1
            self.not_judged_by_record[record] = self.not_judged_by_record.get(record, 0) + 1
        for where, status, count in stats.waivers:
            self.waivers[status] = self.waivers.get(status, 0) + count
            self.waivers_used.add(where)

    def merge(self, other: "Summary") -> None:
        """Add the counts of `other`, a summary of the cases that come after this one's (a worker's
        piece of the input): the same counts, with keys in the same order, as adding its cases here
        one by one. `cases_seen` is left to the caller, who knows the ids it watches."""
        self.cases += other.cases
        self.invalid += other.invalid
        self.blocking += other.blocking
        self.violated_warnings += other.violated_warnings
        self.cases_with_violations += other.cases_with_violations
        for mine, theirs in ((self.verdicts, other.verdicts), (self.by_severity, other.by_severity),
                             (self.by_rule, other.by_rule), (self.waivers, other.waivers),
                             (self.not_judged_by_rule, other.not_judged_by_rule),
                             (self.not_judged_by_record, other.not_judged_by_record)):
            for key, count in theirs.items():
                mine[key] = mine.get(key, 0) + count
        for mine_table, theirs_table in ((self.by_stage, other.by_stage), (self.by_year, other.by_year),
                                         (self.by_organisation, other.by_organisation)):
            for key, row in theirs_table.items():
                for column, count in row.items():
                    _bump(mine_table, key, column, count)
        self.waivers_used |= other.waivers_used

    @property
    def exit_status(self) -> int:
        return self.status("violation")

    def status(self, fail_on: str = "violation") -> int:
        """2 if an input was invalid; else 1 if a finding reaches the `fail_on` threshold; else 0.

        Thresholds, each including those before it: `violation` (a violated rule of severity
        violation), `warning` (also a violated warning), `pending` (also a pending obligation),
        `unknown` (also a rule that could not be judged)."""
        if self.invalid:
            return 2
        if fail_on not in FAIL_ON:
            raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
        level = FAIL_ON.index(fail_on)
        reached = (self.blocking, self.violated_warnings, self.verdicts["pending"], self.verdicts["unknown"])
        return 1 if any(reached[: level + 1]) else 0

    def to_dict(self) -> dict[str, Any]:
        order = self.stage_order

        def rows(table: dict[str, dict[str, int]], columns: tuple[str, ...]) -> dict[str, dict[str, int]]:
            return {k: {c: table[k].get(c, 0) for c in columns} for k in sorted(table)}

        doc = {
            "cases": self.cases, "invalid": self.invalid, "violated": self.verdicts["violated"],
            "pending": self.verdicts["pending"], "unknown": self.verdicts["unknown"],
            "by_rule": dict(sorted(self.by_rule.items())),
            "waived": self.verdicts["waived"],
            "cases_with_violations": self.cases_with_violations,
            "by_severity": dict(self.by_severity),
            "by_stage": {k: {c: self.by_stage[k].get(c, 0) for c in ("violated", "pending", "unknown", "waived")}
                         for k in sorted(self.by_stage, key=lambda s: (order.get(s, 99), s))},
            "by_year": rows(self.by_year, ("cases", "invalid", "violated")),
            "by_organisation": rows(self.by_organisation, ("cases", "invalid", "violated")),
            "waivers": {"applied": self.waivers.get("active", 0), "expired": self.waivers.get("expired", 0),
                        "version_mismatch": self.waivers.get("version-mismatch", 0), "errors": [], "unused": []},
        }
        if self.not_judged_by_rule:
            # "Not judged, and why": present when a rule gave `unknown`, so an auditor knows what to collect.
            doc["not_judged"] = {"by_rule": dict(sorted(self.not_judged_by_rule.items())),
                                 "by_record": dict(sorted(self.not_judged_by_record.items(), key=lambda kv: (-kv[1], kv[0])))}
        return doc
