"""A system embedding cadre-rules: audit a case handed over as data, catch bad input, drive a live case.

Run from the repository root:

    .venv/bin/python docs/examples/embed.py

Every name used here comes from the public API in `cadre_rules/__init__.py`. The case is the bundled
compliant example (a county standing committee promotes a deputy director of the finance bureau),
turned into plain JSON-like data, the way a case-management system or a web API would hand it over.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import cadre_rules as cr

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cases" / "01-合规-县财政局局长提拔.yaml"


def case_data() -> dict[str, Any]:
    """The example case as plain data (strings, numbers, lists, dicts), as a JSON API would send it."""
    return cr.load_case(EXAMPLE).model_dump(mode="json")


def show(findings: list[cr.Finding]) -> None:
    if not findings:
        print("  no findings (compliant)")
    for f in findings:
        print(f"  {f.rule_id} {f.verdict} [{f.severity}] {f.citation['en']}")
        print(f"    {f.message['en']}  (evidence: {', '.join(f.evidence)})")


def main() -> int:
    # 1. The rulebook: loaded and validated once, then reused for every case.
    rulebook = cr.load_rulebook()
    print(f"rulebook {rulebook.version} ({rulebook.profile}): {len(rulebook.rules)} rules")

    # 2. Validate raw data, then audit it.
    case = cr.validate_case(case_data())
    print(f"\n[audit] {case.id}")
    show(cr.audit(case, rulebook))

    # 3. The same case with a one-person inspection team, and the principal leader (m01) speaking first.
    data = case_data()
    data["inspections"][0]["team"] = data["inspections"][0]["team"][:1]
    for statement in data["meetings"][0]["agenda"][0]["statements"]:
        if statement["member"] == "m01":
            statement["order"] = 1
        elif statement["order"] == 1:
            statement["order"] = 9
    flawed = cr.validate_case(data)
    print(f"\n[audit] {flawed.id} with two defects")
    findings = cr.audit(flawed, rulebook)
    show(findings)
    print(f"  blocking: {sorted({f.rule_id for f in findings if f.blocking})}")

    # 4. Bad input never gets as far as the rules: CaseValidationError names every field.
    bad = case_data()
    bad["post"]["quota"] = "one"                              # wrong type
    bad["meetings"][0]["chiar"] = "m01"                       # misspelt field
    del bad["move"]                                           # required field
    try:
        cr.validate_case(bad)
    except cr.CaseValidationError as exc:
        print("\n[invalid] CaseValidationError")
        for error in exc.errors:
            print(f"  {error.path}: {error.message}")
    dangling = case_data()
    dangling["publicity"][0]["candidate"] = "c9"              # a reference to nobody
    try:
        cr.validate_case(dangling)
    except cr.CaseValidationError as exc:
        print("[invalid] CaseValidationError")
        for error in exc.errors:
            print(f"  {error.path}: {error.message}")

    # A batch system that must not raise uses Auditor.audit_data: bad data becomes an `invalid` result.
    auditor = cr.Auditor(rulebook)
    results = [auditor.audit_data(case_data(), "api:1"), auditor.audit_data(bad, "api:2")]
    for result in results:
        print(f"[batch] {result.source}: {result.status}, {len(result.errors)} error(s), "
              f"{len(result.findings)} finding(s)")
    print(f"[batch] exit status {cr.exit_status(results)}")

    # 5. A live case: CaseProcess refuses transitions whose guard rules are violated.
    process = cr.CaseProcess(flawed, rulebook)
    print(f"\n[workflow] start at {process.stage}; next: {process.allowed_next()}")
    steps = [
        ("recommendation", date(2021, 3, 10), None),
        ("inspection", date(2021, 3, 19), None),
        ("decision", date(2021, 4, 12), None),               # skips a stage: not an edge of the graph
        ("discussion", date(2021, 4, 12), None),             # the one-person team violates INS-TEAM-2
        ("discussion", date(2021, 4, 12), case),             # with the two-person team recorded instead
        ("decision", date(2021, 4, 16), case),
        ("publicity", date(2021, 4, 19), case),
        ("appointment", date(2021, 4, 28), case),
        ("filing", date(2021, 5, 7), case),
    ]
    for target, on, recorded in steps:
        t = process.advance(target, on, case=recorded)
        outcome = "accepted" if t.accepted else f"refused by {', '.join(t.refused_by)}"
        print(f"  {on} {t.source} -> {t.target}: {outcome}")
        if "ILLEGAL-TRANSITION" in t.refused_by:
            print(f"    {t.reason}")
        for f in t.findings:
            if f.blocking:
                print(f"    {f.rule_id}: {f.message['zh']}")
    print(f"  now at {process.stage}; {len(process.history)} attempts kept in the history")

    # strict=True turns a refusal into an exception for callers that prefer one.
    strict = cr.CaseProcess(flawed, rulebook, stage="inspection")
    try:
        strict.advance("discussion", date(2021, 4, 12), strict=True)
    except cr.TransitionRefused as exc:
        print(f"  strict: TransitionRefused({exc.transition.refused_by})")

    return 0


if __name__ == "__main__":
    raise SystemExit(main())
