"""One builder per record kind: only cadre_rules/testing/records.py constructs the records of a case.

The Gherkin builder, the generator (synth, its draft and breakers) and the baseline all build the body
and its members, consultations, attestations, meetings, agenda items (statements, votes), publicity,
appointment notices, filings, recommendation rounds, inspections (and their checks), prior reports and
submissions. This test scans every module of
cadre_rules/testing/ and cadre_rules/bdd/ and fails where such a record is built another way: by calling
its model's constructor, or by writing a dict literal with the keys that mark the kind. Changing a
field of an existing record (`model_copy(update=...)`, `dict.update`, item assignment) is not building.
"""
from __future__ import annotations

import ast
from pathlib import Path

from cadre_rules.testing import records

PACKAGE = Path(__file__).resolve().parents[2] / "cadre_rules"
OWNER = PACKAGE / "testing" / "records.py"

#: Models whose instances only records.py may describe (callers validate its data: Model.model_validate).
RECORD_MODELS = {
    "Meeting", "AgendaItem", "Statement", "Vote", "MeetingRecords", "NonVotingAttendee", "Publicity", "Objection",
    "AppointmentNotice", "Talk", "Probation", "Filing", "Recommendation", "RecommendationResult", "Inspection",
    "TeamMember", "TargetDecision", "InspectionReport", "Check", "IntegrityConclusion", "Petition", "PriorReport",
    "Submission", "Member", "Body", "Consultation", "Attestation",
}
#: Keys that mark a dict literal as a record of a kind (any one set, all of its keys present).
SIGNATURES = {
    "meeting": [{"members_due"}, {"attendees", "agenda"}],
    "agenda item": [{"circulated_in_advance"}, {"statements"}],
    "statement": [{"member", "view"}],
    "vote": [{"yes", "no"}, {"method", "yes"}],
    "publicity": [{"candidate", "start", "end"}, {"channel"}],
    "appointment notice": [{"candidate", "number"}],
    "filing": [{"candidate", "to"}],
    "recommendation round": [{"form", "date"}, {"participants_expected"}],
    "recommendation result": [{"candidate", "votes"}],
    "inspection": [{"target_decision"}, {"team"}],
    "check": [{"date", "outcome"}],
    "integrity conclusion": [{"signed_by_secretary"}],
    "petition": [{"received", "specific"}],
    "objection": [{"received"}],
    "probation": [{"planned_end"}],
    "prior report": [{"matter", "reply"}, {"matter", "submitted"}],
    "submission": [{"docs"}],
    "member or body": [{"roles"}, {"kind", "members"}],
    "consultation": [{"with"}],
    "attestation": [{"kind", "candidate", "by"}],
}


def _updates(tree: ast.AST) -> set[int]:
    """Dict literals that change an existing record: `x.model_copy(update={...})`."""
    return {id(k.value) for node in ast.walk(tree) if isinstance(node, ast.Call)
            for k in node.keywords if k.arg == "update" and isinstance(k.value, ast.Dict)}


def record_builders(source: str) -> list[tuple[int, str]]:
    """(line, what) for every record built in `source` other than through records.py."""
    tree = ast.parse(source)
    updates = _updates(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else \
                node.func.attr if isinstance(node.func, ast.Attribute) else None
            if name in RECORD_MODELS:
                found.append((node.lineno, f"{name}(...)"))
        elif isinstance(node, ast.Dict) and id(node) not in updates:
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
            for kind, signatures in SIGNATURES.items():
                if any(sig <= keys for sig in signatures):
                    found.append((node.lineno, f"a {kind} as a dict literal {sorted(keys)}"))
                    break
    return found


def test_only_the_records_module_builds_the_records_of_a_case() -> None:
    offenders = []
    for room in ("testing", "bdd"):
        for path in sorted((PACKAGE / room).rglob("*.py")):
            if path == OWNER:
                continue
            offenders += [f"{path.relative_to(PACKAGE)}:{line}: {what}"
                          for line, what in record_builders(path.read_text(encoding="utf-8"))]
    assert offenders == [], "build these through cadre_rules/testing/records.py:\n" + "\n".join(offenders)


def test_the_scan_catches_a_second_builder() -> None:
    """The scan is not vacuous: each way of building a record elsewhere is found."""
    source = '''
publicity.append({"id": "p1", "candidate": "c1", "start": day, "end": day})
filings.append(Filing(id="f1", candidate="c1", date=day, to="x"))
meeting = {"id": "mt1", "members_due": due}
kept = pub.model_copy(update={"start": day, "end": day, "candidate": "c2"})
'''
    found = sorted(record_builders(source))
    assert [line for line, _ in found] == [2, 3, 4]
    assert "publicity" in found[0][1] and "Filing" in found[1][1] and "meeting" in found[2][1]


def test_records_set_only_the_fields_given_in_case_file_order() -> None:
    """A record carries only what its caller gave (a case file leaves the rest out), keys in file order."""
    assert records.filing("f1", "c1", "2021-05-07", "x") == {"id": "f1", "candidate": "c1", "date": "2021-05-07", "to": "x"}
    assert list(records.publicity("p1", "c1", "2021-04-19")) == ["id", "candidate", "start"]
    assert records.speaking_order(["m4", "m5"], "m1", "m3") == ["m3", "m4", "m5", "m1"]
    assert records.speaking_order(["m4", "m5"], "m1", "m3", "first") == ["m1", "m3", "m4", "m5"]
    assert records.speaking_order(["m4", "m5"], "m1", "m3", 1) == ["m3", "m1", "m4", "m5"]
    # views become a vote: silent or unclear members present abstain
    assert records.tally(["agree", "agree", "disagree", "unclear"], 5) == (2, 1, 2)
