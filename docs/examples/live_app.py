"""A small case-management service embedding the live API of cadre-rules (docs/tutorial-live.md).

Run from the repository root:

    .venv/bin/python docs/examples/live_app.py

It keeps its journal in a temporary directory and uses a fixed clock, so its output is the same on
every run. The case is made up: a county standing committee of seven members promotes a deputy
director to director.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

import cadre_rules as cr


# -- step 1: the service ---------------------------------------------------------------------------

class CaseDesk:
    """What an organisation department's system wraps: one rulebook, one journal, many live cases."""

    def __init__(self, journal_path: Path, rulebook: cr.Rulebook | None = None, clock=None) -> None:
        self.rulebook = rulebook or cr.load_rulebook()          # load and compile once
        self.journal = cr.Journal(journal_path, clock=clock)    # SQLite, WAL, one transaction per append
        self.cases: dict[str, cr.LiveCase] = {}

    def open_case(self, record: dict[str, Any], on: date) -> cr.LiveCase:
        live = cr.LiveCase.open(record, on, self.rulebook, journal=self.journal)
        self.cases[live.case.id] = live
        return live

    def case(self, case_id: str) -> cr.LiveCase:
        """A case this process has not touched yet is rebuilt from the journal (after a restart, say)."""
        if case_id not in self.cases:
            self.cases[case_id] = cr.LiveCase.resume(self.journal, case_id, self.rulebook)
        return self.cases[case_id]

    def handle(self, case_id: str, request: dict[str, Any]) -> dict[str, Any]:
        """One request from a form or an API client, answered at once; the answer is what the clerk sees."""
        result = self.case(case_id).submit(request)  # {"id", "kind", "on", "data"}
        return {
            "event": result.event.id,
            "accepted": result.accepted,
            "stage": result.stage,
            "refused_by": [{"rule": r.rule_id, "article": r.article, "message": r.message["zh"]}
                           for r in result.refused_by],
            "pending": [f.rule_id for f in result.pending],
            "receipt": f"{result.seq}:{result.hash[:12]}" if result.seq else None,
        }

    def nightly(self, on: date) -> dict[str, list[str]]:
        """A daily job: what is overdue or still due in every open case, as of `on` (nothing is recorded)."""
        out = {}
        for case_id in self.journal.cases():
            findings = self.case(case_id).check(on)
            out[case_id] = [f"{f.rule_id}:{f.verdict}" for f in findings]
        return out

    def close(self) -> None:
        self.journal.close()


# -- the data a clerk enters ------------------------------------------------------------------------

MEMBERS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7"]

RECORD = {
    "id": "demo-2021-007",
    "organisation": "中共示例县委",
    "move": "promotion",
    "body": {"id": "demo-cwh", "name": "中共示例县委常委会", "members": [
        {"id": "m1", "name": "成员甲", "roles": ["principal_leader"]},
        {"id": "m2", "name": "成员乙", "roles": ["organisation_lead"]},
        {"id": "m3", "name": "成员丙", "roles": ["discipline_official"]},
        {"id": "m4", "name": "成员丁"}, {"id": "m5", "name": "成员戊"},
        {"id": "m6", "name": "成员己"}, {"id": "m7", "name": "成员庚"}]},
    "post": {"id": "demo-post", "title": "县交通运输局局长", "unit": "示例县交通运输局",
             "level": "section_chief", "quota": 1, "incumbents": 0},
    "candidates": [{"id": "c1", "name": "候选人甲", "birth_date": "1982-04-01", "current_level": "section_deputy",
                    "education": [{"degree": "大学本科"}]}],
}


def meeting(present: list[str]) -> dict[str, Any]:
    """The decision meeting as the clerk records it: who came, who said what in which order, the vote."""
    speakers = [m for m in ["m2", "m3", "m4", "m5", "m6", "m7", "m1"] if m in present]  # the principal last
    return {"id": "mt1", "kind": "decision", "attendees": present, "chair": "m1", "agenda": [{
        "id": "a1", "candidate": "c1", "presenter": "m2",
        "statements": [{"member": m, "order": n, "view": "agree"} for n, m in enumerate(speakers, start=1)],
        "vote": {"method": "hands", "agree": len(present), "disagree": 0}, "outcome": "adopted"}],
        "records": {"minutes": True, "discussion_record": True, "signed_by_chair": True, "signed_by_recorder": True}}


def fixed_clock():
    """Recorded times for the journal: metadata only; a fixed clock makes this script's output stable."""
    moment = [datetime(2021, 1, 1, tzinfo=timezone.utc)]

    def tick() -> datetime:
        moment[0] += timedelta(seconds=1)
        return moment[0]
    return tick


def show(response: dict[str, Any]) -> None:
    verdict = "accepted" if response["accepted"] else "REFUSED"
    line = f"  {response['event']:<14} {verdict:<9} stage={response['stage']}"
    if response["pending"]:
        line += f" pending={','.join(response['pending'])}"
    print(line)
    for r in response["refused_by"]:
        print(f"    {r['rule']} (第{r['article']}条): {r['message']}")


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="cadre-live-"))
    try:
        return run(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(workdir: Path) -> int:
    path = workdir / "cases.journal"
    clock = fixed_clock()

    # -- step 2: open a case ------------------------------------------------------------------------
    desk = CaseDesk(path, clock=clock)
    live = desk.open_case(RECORD, date(2021, 3, 1))
    print(f"[open] {live.case.id} at stage {live.stage}; next: {live.allowed_next()}")

    # -- step 3: events as they happen --------------------------------------------------------------
    case_id = live.case.id
    requests = [
        {"id": "e01", "kind": "motion", "on": "2021-03-01",
         "data": {"analysis_date": "2021-02-25", "reported_to_principal": "2021-03-02",
                  "consultation_dates": ["2021-03-04"], "work_plan_date": "2021-03-08", "intended_candidates": ["c1"]}},
        {"id": "e02", "kind": "recommendation_held", "on": "2021-03-15",
         "data": {"id": "r1", "form": "meeting", "results": [{"candidate": "c1", "votes": 30}]}},
        {"id": "e03", "kind": "inspection_started", "on": "2021-03-22",
         "data": {"id": "i1", "candidate": "c1", "team": [{"name": "考察组长", "role": "leader"},
                                                          {"name": "考察组员", "role": "member"}],
                  "target_decision": {"body": "县委组织部部务会", "date": "2021-03-18", "views_concentrated": True},
                  "plan_date": "2021-03-18", "unit_consultation_date": "2021-03-22", "notice_date": "2021-03-22",
                  "methods": ["individual_talk", "evaluation", "file_review", "interview"]}},
        {"id": "e04", "kind": "inspection_step", "on": "2021-03-24", "data": {"step": "file_review"}},
        {"id": "e05", "kind": "inspection_step", "on": "2021-03-29", "data": {"step": "personal_matters"}},
        {"id": "e06", "kind": "inspection_step", "on": "2021-04-01", "data": {"step": "discipline_opinion"}},
        {"id": "e07", "kind": "inspection_step", "on": "2021-04-06", "data": {"step": "petition_check"}},
        {"id": "e07a", "kind": "inspection_step", "on": "2021-04-06",
         "data": {"step": "integrity_conclusion", "signed_by_secretary": True, "signed_by_discipline_head": True}},
        {"id": "e07b", "kind": "record_updated", "on": "2021-04-07",
         "data": {"record": "inspections:i1", "field": "feedback_date"}},
        {"id": "e07c", "kind": "record_updated", "on": "2021-04-08", "data": {
            "record": "inspections:i1", "field": "report",
            "value": {"strengths": "熟悉交通运输管理", "weaknesses": "统筹经验有待丰富",
                      "recommendation_results": "会议推荐30票", "evaluation_results": "称职以上100%"}}},
        {"id": "e08", "kind": "inspection_completed", "on": "2021-04-08"},
        {"id": "e08a", "kind": "record_updated", "on": "2021-04-12",
         "data": {"record": "inspections:i1", "field": "department_review_date"}},
        {"id": "e08b", "kind": "record_added", "on": "2021-04-12", "data": {"field": "attestations", "value": {
            "kind": "health", "candidate": "c1", "date": "2021-04-07", "by": "县委组织部（体检结论）"}}},
        {"id": "e08c", "kind": "record_added", "on": "2021-04-12", "data": {"field": "attestations", "value": {
            "kind": "basic_conditions", "candidate": "c1", "date": "2021-04-08", "by": "考察组"}}},
        {"id": "e08d", "kind": "record_added", "on": "2021-04-13", "data": {"field": "consultations", "value": {
            "with": "leaders", "date": "2021-04-13"}}},
    ]
    print("[events]")
    for request in requests:
        show(desk.handle(case_id, request))

    # -- step 4: a refusal --------------------------------------------------------------------------
    print("[refusal] four of seven members came")
    show(desk.handle(case_id, {"id": "e09", "kind": "meeting_held", "on": "2021-04-15",
                               "data": meeting(["m1", "m2", "m3", "m4"])}))
    show(desk.handle(case_id, {"id": "e10", "kind": "meeting_held", "on": "2021-04-15", "data": meeting(MEMBERS)}))

    # -- step 5: pending obligations and the nightly job -------------------------------------------
    print("[publicity]")
    show(desk.handle(case_id, {"id": "e11", "kind": "publicity_started", "on": "2021-04-19",
                               "data": {"id": "p1", "candidate": "c1", "channel": "县政府网站"}}))
    print(f"  nightly 2021-04-21: {desk.nightly(date(2021, 4, 21))}")
    show(desk.handle(case_id, {"id": "e12", "kind": "publicity_ended", "on": "2021-04-25"}))

    # -- step 6: a retried request ------------------------------------------------------------------
    notice = {"id": "e13", "kind": "notice_issued", "on": "2021-04-28",
              "data": {"id": "n1", "candidate": "c1", "number": "示委〔2021〕7号"}}
    first = desk.handle(case_id, notice)
    again = desk.handle(case_id, notice)  # the client timed out and sent it again
    show(first)
    show(desk.handle(case_id, {"id": "e13a", "kind": "record_updated", "on": "2021-04-29",
                               "data": {"record": "appointments:n1", "field": "talk", "value": {"by": "成员乙"}}}))
    print(f"  retried: same answer {first == again}, journal entries {len(desk.journal)}")

    # -- step 7: a restart ---------------------------------------------------------------------------
    desk.close()
    desk = CaseDesk(path, clock=clock)   # a new process: the cases come back from the journal
    print(f"[restart] {case_id} at stage {desk.case(case_id).stage}")
    print(f"  nightly 2021-05-11: {desk.nightly(date(2021, 5, 11))}")
    print(f"  nightly 2021-05-12: {desk.nightly(date(2021, 5, 12))}")
    show(desk.handle(case_id, {"id": "e14", "kind": "filing_made", "on": "2021-05-07",
                               "data": {"id": "f1", "candidate": "c1", "to": "中共示例市委组织部"}}))

    # -- step 8: the audit trail --------------------------------------------------------------------
    report = desk.journal.verify()
    print(f"[journal] {report.entries} entries, intact: {report.ok}")
    exported = workdir / "case.json"
    exported.write_text(json.dumps(cr.live.export_case_data(desk.journal, case_id), ensure_ascii=False),
                        encoding="utf-8")
    audited = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", str(exported), "--format", "json"],
                             capture_output=True, text=True)
    later = json.loads(audited.stdout)["cases"][0]["findings"]
    live_now = [f.to_dict() for f in desk.case(case_id).findings]
    print(f"  audit of the exported case: exit {audited.returncode}, same findings as live: {later == live_now}")

    # -- step 9: a new rulebook ---------------------------------------------------------------------
    rules = workdir / "rules"
    shutil.copytree(desk.rulebook.root, rules)
    (rules / "profiles" / "strict.yaml").write_text(yaml.safe_dump({
        "id": "strict", "title": {"zh": "严格", "en": "strict"},
        "overrides": {"RPT-FILING": {"severity": "violation", "parameters": {"deadline_workdays": 3}}}}),
        encoding="utf-8")
    drift = cr.rejudge(desk.journal, case_id, cr.load_rulebook(rules, "strict"), previous=desk.rulebook)
    print("[rejudge] a province files within 3 working days, as a violation:")
    for change in drift.findings:
        old = f"{change.old_verdict}/{change.old_severity}" if change.old_verdict else "nothing"
        print(f"  {change.event_id}: {change.rule_id} {old} -> {change.new_verdict}/{change.new_severity}"
              f" ({'; '.join(change.why)})")
    for outcome in drift.outcomes:
        print(f"  {outcome.event_id}: {'accepted' if outcome.old_accepted else 'refused'} -> "
              f"{'accepted' if outcome.new_accepted else 'refused by ' + ', '.join(outcome.new_refused_by)}")
    desk.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
