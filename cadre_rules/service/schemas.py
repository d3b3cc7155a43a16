"""Pydantic models of the service's requests and answers — for the OpenAPI description only.

Requests are parsed and validated by the library itself (`validate_case`, `Event.from_dict`), so
that the field errors are exactly the CLI's; answers are the library's own dictionaries (the JSON
report's case object, `EventResult.to_dict()`). These models describe those shapes so that a
client generator (Java, TypeScript …) produces typed classes; a test checks that real answers
validate against them, so the description cannot drift from what the service sends.
"""
from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field

from cadre_rules.model import Case


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class FieldError(BaseModel):
    path: str = Field(description="Field path inside the input, e.g. meetings[2].attendees[0]; empty for the whole input")
    message: str
    kind: str | None = Field(default=None, description="Stable kind of the problem (cadre_rules.ErrorKind, docs/errors.md)")
    line: int | None = Field(default=None, description="Line of the problem in the request body (1-based), when known")
    column: int | None = Field(default=None, description="Column on that line (1-based), when known")


class Text(BaseModel):
    zh: str
    en: str


class AlsoCited(_Open):
    edition: str
    article: Optional[str] = None
    article_verified: bool
    confidence: str
    citation: Text


class FindingModel(BaseModel):
    rule_id: str
    verdict: str = Field(description="violated | pending | unknown")
    severity: str = Field(description="violation | warning | info")
    stage: str
    edition: str
    article: Optional[str] = None
    article_verified: bool
    confidence: str
    citation: Text
    title: Text
    message: Text
    evidence: list[str]
    paths: list[str]
    act_date: Optional[str] = None
    reason: Optional[str] = None
    also_cited: list[AlsoCited]
    accountability: Optional[dict[str, Any]] = Field(
        default=None, description="violated findings only: who answers for it and under which article "
                                  "(the JSON report's `accountability`, docs/accountability.md)")


class CaseInfo(BaseModel):
    title: Optional[str] = None
    organisation: Optional[str] = None
    year: Optional[int] = None
    move: Optional[str] = None


class CaseObject(BaseModel):
    """One case of the JSON report (`cadre-rules audit --format json`), unchanged."""

    case_id: Optional[str] = None
    source: str
    status: str = Field(description="ok | invalid")
    errors: list[FieldError]
    findings: list[FindingModel]
    notes: Optional[list[str]] = None
    case: CaseInfo


class DisabledRuleRef(BaseModel):
    rule_id: str
    reason: str
    layer: str
    where: str
    approved_by: str | None = None
    source: str | None = None


class RulebookRef(BaseModel):
    version: str
    profile: str
    base: str | None = Field(default=None, description="A layered rulebook: the rulebook it extends")
    disabled: list[DisabledRuleRef] | None = Field(default=None, description="Rules a layer disabled, with the reason")


class Timing(BaseModel):
    received: str = Field(description="When the request was received (UTC, ISO 8601)")
    duration_ms: float = Field(description="Validating and judging, in milliseconds")


class AuditRequest(BaseModel):
    """OPA-style: the case under `input`."""

    input: Case
    source: Optional[str] = Field(None, description="Label echoed as the case object's `source` (default `request`)")


class Decision(BaseModel):
    decision_id: str
    rulebook: RulebookRef
    result: CaseObject
    timing: Timing


class BatchRequest(BaseModel):
    inputs: list[Case]
    sources: Optional[list[str]] = None


class BatchItem(BaseModel):
    decision_id: str
    result: CaseObject


class BatchDecision(BaseModel):
    batch_id: str
    rulebook: RulebookRef
    results: list[BatchItem]
    summary: dict[str, Any] = Field(description="The JSON report's summary over the batch")
    timing: Timing


class Problem(BaseModel):
    """Every error answer: 401, 404, 409, 413, 415, 422, 429, 500, 503."""

    status: int
    title: str
    errors: list[FieldError]
    decision_id: Optional[str] = None
    result: Optional[CaseObject] = None


class OpenCaseRequest(BaseModel):
    record: Case = Field(description="The initial record (body, post, candidates …)")
    on: str = Field(description="Opening date, YYYY-MM-DD")
    stage: Optional[str] = None


class EventRequest(BaseModel):
    id: str = Field(description="Unique within the case: resubmitting it returns the first result (idempotent)")
    kind: str
    on: str = Field(description="Date of the act, YYYY-MM-DD")
    data: Optional[dict[str, Any]] = None


class EventFieldError(BaseModel):
    """One field error of an event refused for invalid data (`INVALID-EVENT`), to mark the field."""

    path: str = Field(description="The event's field, as the message names it: data.attendees[9], "
                                  "data.agenda[0].statements[1].member, on; or a case path for a problem the "
                                  "event made elsewhere in the case, which the message says")
    message: Text  # the problem in Chinese and English (a plain reference: no allOf for the Java generators)


class RefusalModel(BaseModel):
    rule_id: str
    message: Text
    article: Optional[str] = None
    citation: dict[str, str]
    edition: Optional[str] = None
    severity: str
    verdict: str
    evidence: list[str]
    errors: list[EventFieldError] = Field(
        default_factory=list, description="INVALID-EVENT only (absent otherwise): the field errors of the "
                                          "event's data, each with its path and message in Chinese and English")


class EventModel(BaseModel):
    id: str
    kind: str
    on: str
    data: dict[str, Any]


class EventResultModel(BaseModel):
    event: EventModel
    accepted: bool
    stage_before: str
    stage: str
    transition: Optional[list[str]] = None
    refused_by: list[RefusalModel]
    reason: str
    findings: list[FindingModel]
    raised: list[FindingModel]
    resolved: list[FindingModel]
    seq: Optional[int] = Field(None, description="Journal receipt: sequence number of the entry")
    hash: Optional[str] = Field(None, description="Journal receipt: SHA-256 of the entry")


class EventDecision(BaseModel):
    decision_id: str
    rulebook: RulebookRef
    result: EventResultModel
    timing: Timing


class CaseState(BaseModel):
    case_id: str
    stage: str
    closed: bool
    last_on: str
    allowed_next: list[str]
    events: int
    findings: list[FindingModel]
    pending: list[str]
    blocking: list[str]
    record: dict[str, Any]


class OpenedCase(BaseModel):
    decision_id: str
    rulebook: RulebookRef
    state: CaseState
    timing: Timing


class Receipt(BaseModel):
    seq: int
    hash: str


class VerifyProblem(BaseModel):
    seq: int
    kind: str
    message: str


class JournalReport(BaseModel):
    ok: bool
    entries: int
    head: Optional[Receipt] = None
    problem: Optional[VerifyProblem] = None
    checkpoints: int = Field(0, description="Signed checkpoints checked (held in the journal)")
    keys: list[str] = Field(default_factory=list, description="The public keys (hex) that signed them")


class CaseVerification(BaseModel):
    case_id: str
    journal: JournalReport
    case_entries: int
    last: Optional[Receipt] = None


class Health(BaseModel):
    status: str


class Readiness(_Open):
    status: str = Field(description="ready | not-ready")
    rulebook: RulebookRef
    journal: JournalReport
    decision_log: Optional[str] = None


REQUESTS = {"AuditRequest": AuditRequest, "BatchRequest": BatchRequest, "OpenCaseRequest": OpenCaseRequest,
            "EventRequest": EventRequest}
