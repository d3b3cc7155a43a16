"""Cross-case judging over an organisation register: the `scope: register` rules, unit by unit.

Why a spool: the rules need every appointment of a unit, but a batch may hold a million cases in any
order. Each judged case hands over its few `CaseAppointment` rows (facts/crosscase.py), which go to a
temporary SQLite file, not to memory; afterwards each unit's rows are read back through an index and
judged with that unit's register entry alone, so memory holds one unit at a time. The rules are
compiled once, by the same compiler as the case rules (engine/python.py).
"""
from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Iterator

from cadre_rules.engine.findings import Finding
from cadre_rules.engine.python import PythonEvaluator
from cadre_rules.facts.crosscase import CaseAppointment, appointment_rows, people_by_id, unit_facts
from cadre_rules.model import Case
from cadre_rules.model.base import MonthDate, act_day_or_month
from cadre_rules.model.register import Register, Unit
from cadre_rules.rulebook import Rulebook

_COLUMNS = ("unit", "post", "case_id", "candidate", "decided", "start", "promotion", "move", "departure_reply",
            "over_quota_reply", "source")


def _day(text: str | None) -> date | None:
    """A stored day, or a month (`YYYY-MM`: a decision or notice the case dates to the month only,
    model.base.MonthDate, which prints so): read back as it went in, never as a guessed day."""
    if not text:
        return None
    day = act_day_or_month(text)
    return day if isinstance(day, MonthDate) else date.fromisoformat(text)


class AppointmentSpool:
    """The appointment rows of a batch, on disk (a temporary SQLite file removed on close)."""

    def __init__(self, directory: str | None = None) -> None:
        handle, self.path = tempfile.mkstemp(prefix="cadre-rules-register-", suffix=".sqlite", dir=directory)
        os.close(handle)
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute(f"CREATE TABLE rows (seq INTEGER PRIMARY KEY, {', '.join(_COLUMNS)})")
        self.count = 0
        self._indexed = False

    def add(self, rows: Iterable[CaseAppointment]) -> None:
        values = [(r.unit, r.post, r.case_id, r.candidate, r.decided.isoformat() if r.decided else None,
                   r.start.isoformat(), int(r.promotion), r.move,
                   r.departure_reply.isoformat() if r.departure_reply else None,
                   r.over_quota_reply.isoformat() if r.over_quota_reply else None, r.source) for r in rows]
        if values:
            self.db.executemany(f"INSERT INTO rows ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                                values)
            self.count += len(values)

    def add_case(self, case: Case, source: str = "") -> None:
        self.add(appointment_rows(case, source))

    def rows(self, unit: str) -> list[CaseAppointment]:
        """The unit's rows, in the order they were added."""
        if not self._indexed:
            self.db.execute("CREATE INDEX rows_unit ON rows (unit, seq)")
            self._indexed = True
        out = []
        for (u, post, case_id, candidate, decided, start, promotion, move, dep, oq, source) in self.db.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM rows WHERE unit = ? ORDER BY seq", (unit,)):
            out.append(CaseAppointment(u, post, case_id, candidate, _day(decided), _day(start),
                                       bool(promotion), move, _day(dep), _day(oq), source))
        return out

    def units_not_in(self, known: set[str]) -> dict[str, int]:
        """Units named by cases that the register does not have, with their number of appointments."""
        return {u: n for u, n in self.db.execute("SELECT unit, COUNT(*) FROM rows GROUP BY unit ORDER BY unit")
                if u not in known}

    def close(self) -> None:
        self.db.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass

    def __enter__(self) -> "AppointmentSpool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class UnitResult:
    """The cross-case findings of one unit, and the people its facts name (`person` facts, with each
    one's birth and retirement dates): what `--redact` takes out of the unit's messages."""

    unit: Unit
    findings: list[Finding] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)  # {"id", "name", "dates"}

    @property
    def case_id(self) -> str:
        """How reports list the unit among the cases (`register:<unit id>`)."""
        return f"register:{self.unit.id}"


class RegisterJudge:
    """The register rules of a rulebook, compiled once; judges one unit at a time, with the compiled
    Python evaluator or (`engine="durable"`) the durable_rules engine, in this process: a unit's facts
    are few and are judged once per run, unlike a batch's cases."""

    def __init__(self, rulebook: Rulebook, engine: str = "python") -> None:
        self.rulebook = rulebook
        rules = list(rulebook.register_rules)
        if engine == "durable":
            from cadre_rules.engine.durable import DurableEvaluator

            self.evaluator: Any = DurableEvaluator(rules, rulebook.editions, rulebook.stages.order)
        else:
            self.evaluator = PythonEvaluator(rules, rulebook.editions, rulebook.stages.order)

    def judge_unit(self, register: Register, index: int, rows: Iterable[CaseAppointment],
                   people: dict[str, Any] | None = None) -> UnitResult:
        unit = register.units[index]
        facts = unit_facts(register, index, rows, people)
        dates: dict[str, list[date]] = {}
        for r in facts["retirement"]:
            dates.setdefault(r["person"], []).extend((r["birth_date"], r["retirement_date"]))
        named = [{"id": p["person"], "name": p["name"], "dates": dates.get(p["person"], [])} for p in facts["person"]]
        return UnitResult(unit, self.evaluator.evaluate(facts), named)

    def judge(self, register: Register, spool: AppointmentSpool) -> Iterator[UnitResult]:
        """Every unit of the register, in the register's order, with the rows its cases gave."""
        people = people_by_id(register)  # once per run, not per unit
        for index, unit in enumerate(register.units):
            yield self.judge_unit(register, index, spool.rows(unit.id), people)


def judge_register(register: Register, cases: Iterable[Case], rulebook: Rulebook, engine: str = "python") -> list[UnitResult]:
    """The cross-case findings of a register and some cases (a convenience for small inputs and tests)."""
    with AppointmentSpool() as spool:
        for case in cases:
            spool.add_case(case)
        return list(RegisterJudge(rulebook, engine).judge(register, spool))


__all__ = ["AppointmentSpool", "RegisterJudge", "UnitResult", "judge_register"]
