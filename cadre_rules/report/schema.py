"""The JSON report's contract as pydantic models: `cadre-rules schema --report` prints its JSON Schema,
and systems that read reports validate them against it.

`REPORT_VERSION` is written at the top of every JSON and JSON Lines report. It changes its major number
when a key is removed or changes meaning, its minor number when a key is added; readers should accept
unknown keys of a newer minor version.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

REPORT_VERSION = "1.3"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Text(_Strict):
    zh: str
    en: str


class OtherCitation(_Strict):
    edition: str
    article: str | None
    article_verified: bool
    confidence: str
    citation: Text


class Waiver(BaseModel):
    status: str = Field(description="active, expired or version-mismatch")
    approver: str
    reason: str
    expires: str | None = None


class AccountableParty(_Strict):
    role: str = Field(description="an AccountableRole code (committee, principal_leader, organisation_department …)")
    name: Text
    article: str | None = Field(description="the article of the accountability instrument; null where not located")
    article_verified: bool
    confidence: str
    citation: Text


class Accountability(_Strict):
    instrument: str = Field(description="the edition (editions.yaml) of the accountability instrument in force on the act's date")
    instrument_title: Text
    basis: Literal["rule", "stage"] = Field(description="mapped for this rule, or by the rule's stage")
    parties: list[AccountableParty]


class Finding(_Strict):
    rule_id: str
    verdict: Literal["violated", "pending", "unknown", "waived"]
    severity: Literal["violation", "warning", "info"]
    stage: str
    edition: str
    article: str | None
    article_verified: bool
    confidence: str
    citation: Text
    title: Text
    message: Text
    evidence: list[str] = Field(description="ids of the matched facts")
    paths: list[str] = Field(description="where those facts are in the case file")
    act_date: str | None
    reason: str | None = Field(description="why the rule could not be judged (verdict unknown)")
    also_cited: list[OtherCitation]
    waived_from: str | None = Field(default=None, description="the verdict a waiver replaced")
    waiver: dict[str, Any] | None = Field(default=None, description="the waiver that spoke to this finding")
    accountability: Accountability | None = Field(
        default=None, description="violated findings only (1.2): who answers for it and under which article "
                                  "(rules/accountability.yaml); absent before the first accountability instrument")


class InputProblem(_Strict):
    path: str
    message: str = Field(description="the problem in English (the text a report in Chinese shows comes from `kind`)")
    kind: str | None = Field(default=None, description="its stable kind (1.3): a value of cadre_rules.ErrorKind "
                                                       "(docs/errors.md), or pydantic's error type for one it does not list")
    line: int | None = Field(default=None, description="line of the problem in the file (1-based), when known")
    column: int | None = Field(default=None, description="column on that line (1-based), when known")


class CaseInfo(_Strict):
    title: str | None
    organisation: str | None
    year: int | None
    move: str | None


class CaseReport(_Strict):
    case_id: str | None
    source: str
    status: Literal["ok", "invalid"]
    errors: list[InputProblem]
    findings: list[Finding]
    notes: list[str] | None = None
    out_of_scope: list[dict[str, Any]] | None = Field(default=None, description="acts before the earliest edition: not judged")
    case: CaseInfo


class Summary(BaseModel):
    cases: int
    invalid: int
    violated: int
    pending: int
    unknown: int
    by_rule: dict[str, int]
    waived: int
    cases_with_violations: int = Field(description="cases with a violated rule of severity violation (what JUnit fails)")
    by_severity: dict[str, int] = Field(description="violated findings by the rule's severity: violation (违规), warning (提醒), info (提示)")
    by_stage: dict[str, dict[str, int]]
    by_year: dict[str, dict[str, int]]
    by_organisation: dict[str, dict[str, int]]
    waivers: dict[str, Any]
    as_of: str


class DisabledRule(_Strict):
    rule_id: str
    reason: str
    layer: str
    where: str
    approved_by: str | None
    source: str | None


class RulebookInfo(_Strict):
    version: str
    profile: str
    base: str | None = Field(default=None, description="a layered rulebook: the rulebook it extends")
    disabled: list[DisabledRule] | None = Field(default=None, description="rules a layer disabled, each with its reason")


class CalendarSource(_Strict):
    years: str
    source: str


class Report(_Strict):
    """The whole JSON report (`--format json`)."""

    model_config = ConfigDict(extra="forbid", title="cadre-rules JSON report")

    report_version: str = Field(description=f"the contract's version ({REPORT_VERSION} here)")
    rulebook: RulebookInfo
    as_of: str
    redacted: bool
    waivers: str | None
    calendar: list[CalendarSource]
    cases: list[CaseReport]
    summary: Summary


def report_schema() -> dict[str, Any]:
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
