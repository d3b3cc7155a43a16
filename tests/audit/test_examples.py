"""The bundled example cases (examples/cases) produce exactly the findings each one promises.

Every example states under `meta.expected` what auditing it must give: a mapping verdict
(violated | pending | unknown) → sorted list of rule ids, a rule listed once per finding, warnings
under their verdict like any other finding. Here each example is audited and compared with that
promise; together the examples must violate every rule of the rulebook, include compliant cases,
show the edition, pending and unknown behaviour they claim to show, and the command line must
report them exactly as the library does.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cadre_rules.audit.auditor import CaseResult, exit_status
from cadre_rules.reading.cases import iter_case_files, read_cases, validate_case
from cadre_rules.facts import derive_facts

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"
FILES = list(iter_case_files([EXAMPLES]))
VERDICTS = ("violated", "pending", "unknown")
LAST_SPEAKER_FROM = date(2019, 3, 3)  # DEC-LAST-SPEAKER first appears in the 2019 text

# Rules that the national profile switches off (a parameter `applies: false`): no example can violate
# them under the bundled profile. Each is shown instead by the named example audited with a local
# profile that switches it on (test_profile_only_rules_are_shown_under_a_local_profile).
PROFILE_ONLY = {
    # 推荐会到会比例 is a local rule (e.g. 青海2020年民主推荐暂行办法); the 条例 sets none.
    "REC-ATTENDANCE": ("56-合规-推荐会到会不足三分之二全国无规定.yaml", {"applies": True}),
}


def expected_of(data: dict[str, Any]) -> Counter:
    """meta.expected as a multiset of (verdict, rule id), after checking its shape."""
    meta = data.get("meta") or {}
    assert isinstance(meta.get("shows"), str) and meta["shows"].strip(), "meta.shows must say what the example shows"
    expected = meta.get("expected")
    assert isinstance(expected, dict) and set(expected) == set(VERDICTS), \
        f"meta.expected must map exactly {VERDICTS} to lists of rule ids, got {expected!r}"
    for verdict in VERDICTS:
        ids = expected[verdict]
        assert isinstance(ids, list) and ids == sorted(ids), f"meta.expected.{verdict} must be a sorted list: {ids!r}"
    return Counter((verdict, rule_id) for verdict in VERDICTS for rule_id in expected[verdict])


def found(result: CaseResult) -> Counter:
    return Counter((f.verdict, f.rule_id) for f in result.findings)


@pytest.fixture(scope="module")
def audited(auditor) -> dict[str, tuple[dict[str, Any], CaseResult]]:
    """file name → (raw data, audit result), each example audited once."""
    out = {}
    for raw in read_cases(FILES):
        out[Path(raw.source).name] = (raw.data, auditor.audit_raw(raw))
    return out


def test_there_are_enough_examples():
    assert len(FILES) >= 13
    assert len({p.name for p in FILES}) == len(FILES)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_example_produces_exactly_its_expected_findings(path, audited, rulebook):
    data, result = audited[path.name]
    assert result.status == "ok", [e.to_dict() for e in result.errors]
    expected = expected_of(data)
    known = {r.id for r in rulebook.rules}
    assert {rule_id for _, rule_id in expected} <= known, "meta.expected names a rule the rulebook does not have"
    got = found(result)
    assert got == expected, (
        f"{path.name}: missing {sorted((expected - got).elements())}, unexpected {sorted((got - expected).elements())}\n"
        + "\n".join(f"  {f.verdict} {f.rule_id}: {f.message['zh']}" for f in result.findings))


def test_every_rule_is_violated_by_some_example_and_some_examples_are_compliant(audited, rulebook):
    violated = {f.rule_id for _, result in audited.values() for f in result.findings if f.verdict == "violated"}
    missing = sorted({r.id for r in rulebook.rules} - violated - set(PROFILE_ONLY))
    assert not missing, f"no example violates {missing}"
    assert not violated & set(PROFILE_ONLY), "a profile-only rule fired under the national profile"

    compliant = [data for data, result in audited.values()
                 if not result.findings and not expected_of(data)]
    assert len(compliant) >= 3
    # Compliant examples cover different deciding bodies and different kinds of move.
    assert {d["body"]["kind"] for d in compliant} >= {"standing_committee", "party_group"}
    assert {d["move"] for d in compliant} >= {"promotion", "further_use", "lateral_transfer"}


def test_profile_only_rules_are_shown_under_a_local_profile(tmp_path, audited, rulebook):
    """A rule the national profile switches off is violated by its example once a local profile switches it on."""
    from cadre_rules import Auditor, load_rulebook
    from cadre_rules.rulebook import bundled_rules_dir

    assert set(PROFILE_ONLY) <= {r.id for r in rulebook.rules}
    for rule_id, (name, parameters) in PROFILE_ONLY.items():
        data, national = audited[name]
        assert rule_id not in {f.rule_id for f in national.findings}
        root = tmp_path / rule_id / "rules"
        shutil.copytree(bundled_rules_dir(), root)
        (root / "profiles" / "local.yaml").write_text(
            "id: local\noverrides:\n  " + rule_id + ": {parameters: " + json.dumps(parameters) + "}\n", encoding="utf-8")
        local = Auditor(load_rulebook(root, "local")).audit_data(data, name)
        assert local.status == "ok", local.errors
        assert found(local) == found(national) + Counter({("violated", rule_id): 1}), name


def test_an_example_before_2019_lets_the_principal_speak_early_without_a_finding(audited):
    """Before the 2019 text there is no 'principal leader speaks last' rule; from it there is."""
    early = late = 0
    for data, result in audited.values():
        flagged = {tuple(f.evidence) for f in result.findings if f.rule_id == "DEC-LAST-SPEAKER"}
        for item in derive_facts(validate_case(data))["item"]:
            if item["principal_spoke_last"] is not False:
                continue
            if item["date"] < LAST_SPEAKER_FROM:
                early += 1
                assert (item["id"],) not in flagged
            else:
                late += 1
                assert (item["id"],) in flagged
    assert early >= 1, "no example shows a pre-2019 meeting where the principal leader did not speak last"
    assert late >= 1


def test_a_2005_example_is_judged_by_the_2002_text_in_calendar_days(audited):
    """The 2002 text wants 7 calendar days of publicity: 5 working days (Mon–Fri) are not enough in 2005."""
    shown = []
    for data, result in audited.values():
        facts = derive_facts(validate_case(data))
        publicity = {p["id"]: p for p in facts["publicity"]}
        for f in result.findings:
            if f.rule_id == "APT-PUB-5WD" and f.edition == "2002":
                pub = publicity[f.evidence[0]]
                assert f.verdict == "violated" and pub["start"].year < 2014
                shown.append((pub["working_days"], pub["calendar_days"]))
    assert any(wd >= 5 and cd < 7 for wd, cd in shown), shown


def test_examples_show_edition_selection_in_2005_2016_and_2021(audited):
    """Examples from 2005, 2016 and 2021 are each judged by the text in force then (issue 4), including rules
    the 69-rule rulebook added: the 2005 inspection without the unit-consultation and feedback steps of the 2014
    text passes INS-STEPS under the 2002 text; a 2016 motion without analysis raises no MOT-ANALYSIS (2019 text)."""
    editions: dict[int, set[str]] = {}
    steps_2002 = analysis_2014 = 0
    for data, result in audited.values():
        case = validate_case(data)
        facts = derive_facts(case)
        for f in result.findings:
            editions.setdefault(date.fromisoformat(f.act_date).year, set()).add(f.edition)
        first = facts["case"][0]["first_decision"]
        if first and first.year == 2005:
            for ins in facts["inspection"]:
                if ins["completed"] and ins["feedback_date"] is None and ins["unit_consultation_date"] is None:
                    assert "INS-STEPS" not in {x.rule_id for x in result.findings}
                    steps_2002 += 1
        if first and first.year == 2016:
            for m in facts["motion"]:
                if m["analysis_date"] is None:
                    assert "MOT-ANALYSIS" not in {x.rule_id for x in result.findings}
                    analysis_2014 += 1
    assert steps_2002 >= 1 and analysis_2014 >= 1
    assert "2002" in editions.get(2005, set())
    years = {validate_case(d).meetings[0].date.year for d, _ in audited.values() if validate_case(d).meetings}
    assert {2005, 2016, 2021} <= years


def test_pending_findings_come_only_from_open_cases(audited):
    pending = Counter()
    for data, result in audited.values():
        for f in result.findings:
            if f.verdict == "pending":
                assert data["status"] == "open" and data.get("as_of"), f"pending finding in a closed case: {f.rule_id}"
                pending[f.rule_id] += 1
    assert pending["APT-PUB-5WD"] >= 1 and pending["RPT-FILING"] >= 1


def test_an_unknown_finding_names_the_field_it_could_not_evaluate(audited):
    unknown = [f for _, result in audited.values() for f in result.findings if f.verdict == "unknown"]
    assert any(f.rule_id == "APT-PUB-5WD" for f in unknown)
    for f in unknown:
        assert f.reason and f.reason.startswith(f.paths[0] + "."), (f.reason, f.paths)
        assert "outside the holiday data" in f.reason


def test_only_examples_with_a_violation_of_severity_violation_fail_the_audit(audited, rulebook):
    """Warnings, info, pending and unknown findings are reported but do not make the audit fail. A rule may
    escalate some of its findings (e.g. AVD-GEOGRAPHIC for a county post): the finding's severity decides."""
    severity = {r.id: r.severity for r in rulebook.rules}
    quiet_with_findings = 0
    for name, (data, result) in audited.items():
        expected = expected_of(data)
        for f in result.findings:
            assert f.severity == severity[f.rule_id] or f.severity == "violation", (name, f.rule_id, f.severity)
        blocking = any(f.verdict == "violated" and f.severity == "violation" for f in result.findings)
        assert exit_status([result]) == (1 if blocking else 0), name
        quiet_with_findings += bool(expected) and not blocking
    assert quiet_with_findings >= 3  # warning-only, info, pending and unknown examples


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("cadre-rules")
    if script.exists():
        return [str(script)]
    found_on_path = shutil.which("cadre-rules")
    return [found_on_path] if found_on_path else [sys.executable, "-m", "cadre_rules"]


def test_cli_json_report_of_the_examples(audited):
    proc = subprocess.run([*_cli(), "audit", "examples/cases", "--format", "json"], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "examples/cases" not in proc.stderr, proc.stderr  # no input errors
    doc = json.loads(proc.stdout)
    assert doc["summary"]["cases"] == len(FILES)
    assert doc["summary"]["invalid"] == 0
    by_name = {Path(c["source"]).name: c for c in doc["cases"]}
    assert set(by_name) == {p.name for p in FILES}
    totals: Counter = Counter()
    by_rule: Counter = Counter()
    for name, case in by_name.items():
        data, _ = audited[name]
        expected = expected_of(data)
        assert case["status"] == "ok" and case["case_id"] == data["id"]
        assert Counter((f["verdict"], f["rule_id"]) for f in case["findings"]) == expected, name
        for verdict, rule_id in expected.elements():
            totals[verdict] += 1
            if verdict == "violated":
                by_rule[rule_id] += 1
    for verdict in VERDICTS:
        assert doc["summary"][verdict] == totals[verdict], verdict
    assert doc["summary"]["by_rule"] == dict(sorted(by_rule.items()))
