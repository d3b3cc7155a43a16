"""The decision log: every decision the service answers, appended to a hash-chained journal.

It reuses `cadre_rules.live.journal.Journal` (entries of kind `decision`, in a journal file of its
own so that decision entries never mix with live cases); `cadre-rules journal verify` checks it
like any journal. An entry holds the decision id, the caller (the header the gateway sets), the
endpoint, the outcome and the case object answered — with people's names and identity numbers
masked as `audit --redact` masks them, unless the service is configured to keep them — and the
SHA-256 of the input instead of the input itself. The entry is committed before the answer is
sent: an answered decision is a logged one.
"""
from __future__ import annotations

import hashlib
import uuid
from typing import Any

from cadre_rules.live.journal import Journal, Receipt, canonical_json
from cadre_rules.report.redact import Redactor


def new_decision_id() -> str:
    """A random (version 4) UUID: unique without coordination between service processes."""
    return str(uuid.uuid4())


def input_digest(data: Any) -> str:
    """SHA-256 of the input's canonical JSON: proves which input was judged without keeping it."""
    try:
        text = canonical_json(data)
    except (TypeError, ValueError):
        text = repr(data)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DecisionLog:
    """Appends decisions to a journal; `None` path means decisions are not logged."""

    def __init__(self, path: str | None, rulebook_version: str, *, keep_personal_data: bool = False,
                 synchronous: str = "FULL") -> None:
        self.path = path
        self.version = rulebook_version
        self.keep_personal_data = keep_personal_data
        self.journal = Journal(path, synchronous=synchronous) if path else None

    def mask(self, value: Any, raw: Any) -> Any:
        """The value with the people named in `raw` (and anything shaped like an identity number) masked."""
        if self.keep_personal_data:
            return value
        return Redactor.for_case(raw).apply(value)

    def record(self, decision_id: str, case_id: str | None, endpoint: str, caller: str | None, outcome: str,
               detail: dict[str, Any], raw: Any = None, names: Any = None) -> Receipt | None:
        """Append one decision (durably, before the caller is answered); returns the journal receipt.

        `raw` is the input (hashed); the people to mask are those named in `names` (default: `raw`),
        e.g. the live case's record when the input is one of its events."""
        if self.journal is None:
            return None
        return self.journal.append(*self.entry(decision_id, case_id, endpoint, caller, outcome, detail, raw, names))

    def entry(self, decision_id: str, case_id: str | None, endpoint: str, caller: str | None, outcome: str,
              detail: dict[str, Any], raw: Any = None, names: Any = None) -> tuple[str, str, dict[str, Any], str, str]:
        """The journal entry of a decision: (case id, kind, content, rulebook version, decision id)."""
        # the case id is a column of the entry, outside its content, and may hold a name as well
        case_id, detail = self.mask((case_id or "-", detail), raw if names is None else names)
        content = {"decision_id": decision_id, "endpoint": endpoint, "caller": caller, "outcome": outcome,
                   "input_sha256": input_digest(raw) if raw is not None else None,
                   "masked": not self.keep_personal_data, **detail}
        return case_id, "decision", content, self.version, decision_id

    def record_many(self, entries: list[tuple[str, str, dict[str, Any], str, str]]) -> None:
        """Append the decisions of a batch in one transaction: one disk sync for the whole batch."""
        if self.journal is None or not entries:
            return
        with self.journal.transaction() as writer:
            for entry in entries:
                writer.append(*entry)

    def verify(self) -> dict[str, Any] | None:
        return self.journal.verify().to_dict() if self.journal is not None else None

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()
