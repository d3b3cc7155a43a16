"""A system embedding cadre-rules: audit a case built in code, catch bad input, drive a live case.

Run from the repository root:

    .venv/bin/python docs/examples/embed.py

Every name used here comes from the public API in `cadre_rules/__init__.py`. The case is made up:
a county standing committee of seven members promotes one deputy director to director.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import cadre_rules as cr


def make_case() -> dict[str, Any]:
    """A complete, compliant promotion case as plain data (what a JSON API or a database would hand over)."""
    members = ["m1", "m2", "m3", "m4", "m5", "m6", "m7"]
    return {
        "id": "demo-2021-001",
        "organisation": "中共示例县委",
        "status": "closed",
        "move": "promotion",
        "body": {
            "id": "demo-cwh",
            "name": "中共示例县委常委会",
            "members": [
                {"id": "m1", "name": "成员甲", "roles": ["principal_leader"]},
                {"id": "m2", "name": "成员乙", "roles": ["organisation_lead"]},
                {"id": "m3", "name": "成员丙", "roles": ["discipline_official"]},
                {"id": "m4", "name": "成员丁"},
                {"id": "m5", "name": "成员戊"},
                {"id": "m6", "name": "成员己"},
                {"id": "m7", "name": "成员庚"},
            ],
        },
        "post": {"id": "demo-post", "title": "县交通运输局局长", "unit": "示例县交通运输局",
                 "level": "division_chief", "quota": 1, "incumbents": 0},
        "candidates": [{"id": "c1", "name": "候选人甲", "birth_date": "1982-04-01",
                        "current_level": "division_deputy"}],
        "motion": {"date": "2021-03-01", "reported_to_principal": "2021-03-02", "intended_candidates": ["c1"]},
        "recommendations": [{"id": "r1", "form": "meeting", "date": "2021-03-15",
                             "results": [{"candidate": "c1", "votes": 30}]}],
        "inspections": [{
            "id": "i1", "candidate": "c1", "start": "2021-03-22", "completed": "2021-04-08",
            "team": [{"name": "考察组长", "role": "leader"}, {"name": "考察组员", "role": "member"}],
            "file_review": {"date": "2021-03-24", "outcome": "clear"},
            "personal_matters": {"date": "2021-03-29", "outcome": "clear"},
            "discipline_opinion": {"date": "2021-04-01", "outcome": "clear"},
            "petition_check": {"date": "2021-04-06", "outcome": "clear"},
        }],
        "meetings": [{
            "id": "mt1", "kind": "decision", "date": "2021-04-15",
            "members_due": members, "attendees": members, "chair": "m1",
            "agenda": [{
                "id": "a1", "candidate": "c1", "presenter": "m2",
                # Speaking order: the principal leader (m1) states a view last.
                "statements": [{"member": m, "order": n, "view": "agree"}
                               for n, m in enumerate(["m2", "m3", "m4", "m5", "m6", "m7", "m1"], start=1)],
                "vote": {"method": "hands", "yes": 7, "no": 0},
                "outcome": "adopted",
            }],
        }],
        "publicity": [{"id": "p1", "candidate": "c1", "start": "2021-04-19", "end": "2021-04-25"}],
        "appointments": [{"id": "n1", "candidate": "c1", "date": "2021-04-28"}],
        "filings": [{"id": "f1", "candidate": "c1", "date": "2021-05-07", "to": "中共示例市委组织部"}],
    }


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
    case = cr.validate_case(make_case())
    print(f"\n[audit] {case.id}")
    show(cr.audit(case, rulebook))

    # 3. The same case with a one-person inspection team and the principal leader speaking first.
    data = make_case()
    data["inspections"][0]["team"] = [{"name": "考察组长", "role": "leader"}]
    statements = data["meetings"][0]["agenda"][0]["statements"]
    statements[0]["order"], statements[-1]["order"] = 7, 1  # m2 now speaks last, m1 first
    flawed = cr.validate_case(data)
    print(f"\n[audit] {flawed.id} with two defects")
    findings = cr.audit(flawed, rulebook)
    show(findings)
    print(f"  blocking: {sorted({f.rule_id for f in findings if f.blocking})}")

    # 4. Bad input never gets as far as the rules: CaseValidationError names every field.
    bad = make_case()
    bad["post"]["quota"] = "one"                              # wrong type
    bad["meetings"][0]["chiar"] = "m1"                        # misspelt field
    del bad["move"]                                           # required field
    try:
        cr.validate_case(bad)
    except cr.CaseValidationError as exc:
        print("\n[invalid] CaseValidationError")
        for error in exc.errors:
            print(f"  {error.path}: {error.message}")
    dangling = make_case()
    dangling["publicity"][0]["candidate"] = "c9"              # a reference to nobody
    try:
        cr.validate_case(dangling)
    except cr.CaseValidationError as exc:
        print("[invalid] CaseValidationError")
        for error in exc.errors:
            print(f"  {error.path}: {error.message}")

    # A batch system that must not raise uses Auditor.audit_data: bad data becomes an `invalid` result.
    auditor = cr.Auditor(rulebook)
    results = [auditor.audit_data(make_case(), "api:1"), auditor.audit_data(bad, "api:2")]
    print(f"[batch] summary {cr.summarize(results)}; exit status {cr.exit_status(results)}")

    # 5. A live case: CaseProcess refuses transitions whose guard rules are violated.
    process = cr.CaseProcess(flawed, rulebook)
    print(f"\n[workflow] start at {process.stage}; next: {process.allowed_next()}")
    steps = [
        ("recommendation", date(2021, 3, 10), None),
        ("inspection", date(2021, 3, 20), None),
        ("decision", date(2021, 4, 9), None),               # skips a stage: not an edge of the graph
        ("discussion", date(2021, 4, 9), None),             # the one-person team violates INS-TEAM-2
        ("discussion", date(2021, 4, 9), case),             # with a two-person team recorded instead
        ("decision", date(2021, 4, 15), case),
        ("publicity", date(2021, 4, 19), case),
        ("appointment", date(2021, 4, 28), case),
    ]
    for target, on, recorded in steps:
        t = process.advance(target, on, case=recorded)
        outcome = "accepted" if t.accepted else f"refused by {', '.join(t.refused_by)}"
        print(f"  {on} {t.source} -> {t.target}: {outcome}")
        if not t.accepted and t.reason and "ILLEGAL-TRANSITION" in t.refused_by:
            print(f"    {t.reason}")
        for f in t.findings:
            if f.blocking:
                print(f"    {f.rule_id}: {f.message['zh']}")
    print(f"  now at {process.stage}; {len(process.history)} attempts kept in the history")

    # strict=True turns a refusal into an exception for callers that prefer one.
    strict = cr.CaseProcess(flawed, rulebook, stage="inspection")
    try:
        strict.advance("discussion", date(2021, 4, 9), strict=True)
    except cr.TransitionRefused as exc:
        print(f"  strict: TransitionRefused({exc.transition.refused_by})")

    return 0


if __name__ == "__main__":
    raise SystemExit(main())
