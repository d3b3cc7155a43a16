"""Live enforcement: a case judged event by event, with a tamper-evident journal of what happened.

    import cadre_rules as cr
    journal = cr.Journal("cases.journal")                       # SQLite; ":memory:" for tests
    live = cr.LiveCase.open(initial_record, date(2021, 3, 2), journal=journal)
    result = live.submit(cr.Event("e1", "recommendation_held", date(2021, 3, 16), {...}))
    result.accepted, result.refused_by, result.findings, result.pending

See docs/live.md for the event kinds, the refusal rules and the journal format.
"""
from cadre_rules.live.case import (
    CASE_CLOSED,
    IMPLAUSIBLE_DATE,
    ILLEGAL_TRANSITION,
    INVALID_EVENT,
    OUT_OF_ORDER,
    PROCEDURAL,
    EventConflict,
    EventFieldError,
    EventResult,
    LiveCase,
    ProcedureViolation,
    Refusal,
    finding_key,
)
from cadre_rules.live.events import KINDS as EVENT_KINDS
from cadre_rules.live.events import Event, EventDataError, apply_event
from cadre_rules.live.replay import (
    Divergence,
    Drift,
    FindingChange,
    OutcomeChange,
    RecordedCase,
    Replay,
    export_case_data,
    recorded_case,
    rejudge,
    replay,
    rule_differences,
)

open_case = LiveCase.open

__all__ = ["CASE_CLOSED", "IMPLAUSIBLE_DATE", "EVENT_KINDS", "ILLEGAL_TRANSITION", "INVALID_EVENT", "OUT_OF_ORDER", "PROCEDURAL", "Divergence",
           "Drift", "Event", "EventConflict", "EventDataError", "EventFieldError", "EventResult", "FindingChange", "LiveCase",
           "OutcomeChange", "ProcedureViolation", "RecordedCase", "Refusal", "Replay", "apply_event",
           "export_case_data", "finding_key", "open_case", "recorded_case", "rejudge", "replay", "rule_differences"]
