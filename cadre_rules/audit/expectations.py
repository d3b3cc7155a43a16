"""A case's own promise about its audit (`meta.expected`), checked the way `openfisca test` or
`conftest verify` check a policy's tests: the findings, as a multiset of (verdict, rule id), must equal
what the case file says.

    meta:
      expected:                       # every verdict listed, each a sorted list of rule ids
        violated: [DEC-QUORUM]        # a rule listed once per finding
        pending: []
        unknown: []

A user keeps a corpus of such cases beside a local rulebook and runs `cadre-rules test` whenever the
rulebook changes: a difference is a failed test, not an audit finding.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from cadre_rules.codes import Verdict
from cadre_rules.errors import ErrorKind, InputError, Problem, Said

VERDICTS = Verdict.values()  # cadre_rules/codes.py


@dataclass(frozen=True)
class ExpectationResult:
    """The outcome of one case: `passed`, `failed` (differences), `error` (the case or its promise is
    unusable) or `skipped` (the case makes no promise)."""

    source: str
    case_id: str | None
    outcome: str
    missing: tuple[tuple[str, str], ...] = ()  # (verdict, rule id) expected, not found
    unexpected: tuple[tuple[str, str], ...] = ()  # found, not expected
    problems: tuple[InputError, ...] = field(default=())  # each with its kind: said in the report's language


def expected_findings(data: Any, known_rules: Iterable[str]) -> tuple[Counter | None, list[InputError]]:
    """`meta.expected` as a multiset of (verdict, rule id), or None when the case makes no promise;
    with the problems of a promise that is malformed or names rules the rulebook lacks."""
    meta = data.get("meta") if isinstance(data, dict) else None
    expected = meta.get("expected") if isinstance(meta, dict) else None
    if expected is None:
        return None, []
    if not isinstance(expected, dict) or set(expected) != set(VERDICTS):
        verdicts = Said(", ".join(VERDICTS), "、".join(f"`{v}`" for v in VERDICTS))
        return None, [InputError("meta.expected", Problem(ErrorKind.expectation_shape, verdicts=verdicts))]
    problems: list[InputError] = []
    known = set(known_rules)
    out: Counter = Counter()
    for verdict in VERDICTS:
        ids = expected[verdict]
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            problems.append(InputError(f"meta.expected.{verdict}", Problem(ErrorKind.expectation_not_list)))
            continue
        for rule_id in ids:
            if rule_id not in known:
                problems.append(InputError(f"meta.expected.{verdict}",
                                           Problem(ErrorKind.expectation_unknown_rule, rule=repr(rule_id))))
            out[(verdict, rule_id)] += 1
    return (None if problems else out), problems


def check_expectation(source: str, data: Any, result: Any, known_rules: Iterable[str]) -> ExpectationResult:
    """Compare an audit result (`CaseResult`) with the case's promise."""
    case_id = result.case_id
    expected, problems = expected_findings(data, known_rules)
    if problems:
        return ExpectationResult(source, case_id, "error", problems=tuple(problems))
    if result.status != "ok":
        return ExpectationResult(source, case_id, "error", problems=tuple(result.errors))
    if expected is None:
        return ExpectationResult(source, case_id, "skipped")
    got = Counter((f.verdict, f.rule_id) for f in result.findings)
    missing = tuple(sorted((expected - got).elements()))
    unexpected = tuple(sorted((got - expected).elements()))
    return ExpectationResult(source, case_id, "failed" if missing or unexpected else "passed", missing, unexpected)
