"""Live cases behind the service: `LiveCase` objects kept in one journal, one lock per case.

Nothing here judges: opening, submitting and resuming are `LiveCase`'s, durability is the
journal's. The registry only finds the case a request names — in memory, or resumed from the
journal after a restart — and makes requests for the same case take turns (a `LiveCase` is not
meant to be used by two threads at once; different cases run side by side, and the journal's write
lock orders their appends).
"""
from __future__ import annotations

import threading
from datetime import date
from typing import Any, Mapping

from cadre_rules.live.case import EventResult, LiveCase
from cadre_rules.live.journal import Journal, JournalError, Receipt
from cadre_rules.rulebook import Rulebook


class UnknownCase(LookupError):
    """No live case with this id in the journal."""


class CaseExists(ValueError):
    """A live case with this id is already in the journal."""


def state_of(live: LiveCase) -> dict[str, Any]:
    """What `GET /v1/cases/{id}` answers: where the case stands and what it owes."""
    return {"case_id": live.case.id, "stage": live.stage, "closed": live.closed, "last_on": live.last_on.isoformat(),
            "allowed_next": live.allowed_next(), "events": len(live.log),
            "findings": [f.to_dict() for f in live.findings], "pending": [f.rule_id for f in live.pending],
            "blocking": [f.rule_id for f in live.blocking], "record": live.case.model_dump(mode="json")}


def result_of(result: EventResult) -> dict[str, Any]:
    """The LiveCase result of one event, with its journal receipt (seq, hash) when journaled."""
    return {**result.to_dict(), "seq": result.seq, "hash": result.hash}


class LiveRegistry:
    """The live cases of one journal."""

    def __init__(self, journal_path: str, rulebook: Rulebook) -> None:
        self.journal = Journal(journal_path)
        self.rulebook = rulebook
        self._cases: dict[str, LiveCase] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        report = self.journal.verify()  # once at start; cases are then resumed without re-walking the chain
        self.verified = report.to_dict()

    @property
    def intact(self) -> bool:
        return bool(self.verified["ok"])

    def lock(self, case_id: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(case_id, threading.Lock())

    def open(self, record: Mapping[str, Any], on: date, stage: str | None = None) -> LiveCase:
        """Open a new live case (CaseValidationError for an invalid record, CaseExists for a known id)."""
        case_id = record.get("id") if isinstance(record.get("id"), str) else None
        with self.lock(case_id or ""):
            if case_id is not None and case_id in self._cases:
                raise CaseExists(f"case {case_id} is already open")
            try:
                live = LiveCase.open(record, on, self.rulebook, journal=self.journal, stage=stage)
            except JournalError as exc:
                if "already in the journal" in str(exc):
                    raise CaseExists(f"case {case_id} is already open") from None
                raise
            self._cases[live.case.id] = live
            return live

    def get(self, case_id: str) -> LiveCase:
        """The case, resumed from the journal if this process has not seen it yet (UnknownCase if absent)."""
        live = self._cases.get(case_id)
        if live is not None:
            return live
        try:
            live = LiveCase.resume(self.journal, case_id, self.rulebook, verify=False)
        except JournalError as exc:
            if "is not in the journal" in str(exc):
                raise UnknownCase(case_id) from None
            raise
        with self._guard:
            return self._cases.setdefault(case_id, live)

    def submit(self, case_id: str, event: Mapping[str, Any]) -> EventResult:
        with self.lock(case_id):
            return self.get(case_id).submit(event)

    def state(self, case_id: str) -> dict[str, Any]:
        with self.lock(case_id):
            live = self.get(case_id)
            live.sync()
            return state_of(live)

    def verify(self, case_id: str) -> dict[str, Any]:
        """The whole chain checked now (a case's entries are only as trustworthy as the chain)."""
        self.get(case_id)
        report = self.journal.verify().to_dict()
        entries = list(self.journal.entries(case_id=case_id))
        return {"case_id": case_id, "journal": report, "case_entries": len(entries),
                "last": {"seq": entries[-1].seq, "hash": entries[-1].hash} if entries else None}

    def head(self) -> Receipt | None:
        return self.journal.head()

    def close(self) -> None:
        self.journal.close()
