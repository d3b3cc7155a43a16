"""Each rule of the core rulebook: a violating and a compliant variant of the same case, and boundaries.

The baseline (examples/cases/01) is compliant: 11 members due, 9 present, the secretary (m01) speaks
last, the discipline secretary (m04) attends, 8 of 11 vote yes, publicity 2021-04-19..25, notice
2021-04-28, filing 2021-05-07.
"""
from __future__ import annotations

from typing import Any, Callable

import pytest

Data = dict[str, Any]


def item(d: Data) -> Data:
    return d["meetings"][0]["agenda"][0]


def set_presence(d: Data, present: list[str]) -> None:
    """Attendance, statements (principal last) and an all-yes vote for exactly these members."""
    meeting = d["meetings"][0]
    meeting["attendees"] = present
    others = [m for m in present if m != "m01"]
    order = others + (["m01"] if "m01" in present else [])
    item(d)["statements"] = [{"member": m, "order": i + 1, "view": "agree"} for i, m in enumerate(order)]
    item(d)["vote"] = {"method": "hands", "agree": len(present), "disagree": 0, "abstain": 0}


def members(n: int) -> list[str]:
    return [f"m{i:02d}" for i in range(1, n + 1)]


def with_body_size(d: Data, n: int) -> None:
    d["body"]["members"] = d["body"]["members"][:n] + [
        {"id": f"m{i:02d}", "name": f"成员{i}"} for i in range(len(d["body"]["members"]) + 1, n + 1)]
    d["meetings"][0]["members_due"] = members(n)


# --- one violating mutation per rule ------------------------------------------------------------

def adhoc(d: Data) -> None:
    item(d)["added_at_meeting"] = True
    item(d)["circulated_in_advance"] = False


def no_motion(d: Data) -> None:
    del d["motion"]


def over_quota(d: Data) -> None:
    d["post"]["incumbents"] = 1


def no_recommendation(d: Data) -> None:
    d["recommendations"] = []


def inspection_incomplete(d: Data) -> None:
    d["inspections"][0]["completed"] = None


def one_inspector(d: Data) -> None:
    d["inspections"][0]["team"] = d["inspections"][0]["team"][:1]


def file_review_late(d: Data) -> None:
    d["inspections"][0]["file_review"]["date"] = "2021-04-16"


def concealment(d: Data) -> None:
    d["inspections"][0]["personal_matters"]["outcome"] = "concealment"


def no_discipline_opinion(d: Data) -> None:
    d["inspections"][0]["discipline_opinion"] = None


def open_petition(d: Data) -> None:
    d["inspections"][0]["petitions"] = [{"id": "x1", "received": "2021-04-01", "specific": True, "closed": None}]


def short_quorum(d: Data) -> None:
    set_presence(d, members(7))  # 7 of 11: 21 < 22


def yes_not_majority_of_due(d: Data) -> None:
    item(d)["vote"] = {"method": "hands", "agree": 5, "disagree": 4, "abstain": 0}  # 5*2 = 10 <= 11


def silent_member(d: Data) -> None:
    item(d)["statements"][1]["view"] = "unclear"


def principal_first(d: Data) -> None:
    for s in item(d)["statements"]:
        s["order"] = 1 if s["member"] == "m01" else s["order"] + 1


def no_discipline_official(d: Data) -> None:
    set_presence(d, ["m01", "m02", "m03", "m05", "m06", "m07", "m08", "m09", "m10"])


def unrecused_spouse(d: Data) -> None:
    d["relations"] = [{"person": "m06", "relative": "c1", "kind": "spouse"}]


def rush_promotion(d: Data) -> None:
    d["leader_departure"] = {"leader": "m01", "decided": "2021-04-01"}


def short_publicity(d: Data) -> None:
    d["publicity"][0]["end"] = "2021-04-22"  # Mon 19 .. Thu 22: 4 working days


def notice_before_publicity_ends(d: Data) -> None:
    d["appointments"][0]["date"] = "2021-04-23"
    d["filings"][0]["date"] = "2021-04-28"


def late_filing(d: Data) -> None:
    d["filings"][0]["date"] = "2021-05-20"


VIOLATIONS: list[tuple[str, Callable[[Data], None]]] = [
    ("MOT-NO-ADHOC", adhoc),
    ("MOT-NO-ADHOC", no_motion),
    ("MOT-VACANCY", over_quota),
    ("REC-REQUIRED", no_recommendation),
    ("INS-BEFORE-DECISION", inspection_incomplete),
    ("INS-TEAM-2", one_inspector),
    ("INS-FILE-REVIEW", file_review_late),
    ("INS-PERSONAL-MATTERS", concealment),
    ("INS-DISCIPLINE-OPINION", no_discipline_opinion),
    ("INS-PETITION-CHECK", open_petition),
    ("DEC-QUORUM", short_quorum),
    ("DEC-PASS", yes_not_majority_of_due),
    ("DEC-EXPLICIT-VIEW", silent_member),
    ("DEC-LAST-SPEAKER", principal_first),
    ("DEC-DISCIPLINE-OBSERVER", no_discipline_official),
    ("DEC-RECUSAL", unrecused_spouse),
    ("DIS-NO-RUSH", rush_promotion),
    ("APT-PUB-5WD", short_publicity),
    ("APT-PUB-WINDOW", notice_before_publicity_ends),
    ("RPT-FILING", late_filing),
]


def test_baseline_is_compliant(baseline, judge):
    assert judge(baseline) == {"violated": set(), "pending": set(), "unknown": set()}


@pytest.mark.parametrize("rule_id,mutate", VIOLATIONS, ids=[f"{r}-{m.__name__}" for r, m in VIOLATIONS])
def test_each_rule_finds_exactly_its_violation(rule_id, mutate, baseline, judge):
    mutate(baseline)
    assert judge(baseline)["violated"] == {rule_id}


CORE_RULES = {  # the rules of the core issue; tests/rules/test_each_rule.py covers the rest of the catalogue
    "MOT-NO-ADHOC", "MOT-VACANCY", "REC-REQUIRED", "INS-BEFORE-DECISION", "INS-TEAM-2", "INS-FILE-REVIEW",
    "INS-PERSONAL-MATTERS", "INS-DISCIPLINE-OPINION", "INS-PETITION-CHECK", "DEC-QUORUM", "DEC-PASS",
    "DEC-EXPLICIT-VIEW", "DEC-LAST-SPEAKER", "DEC-DISCIPLINE-OBSERVER", "DEC-RECUSAL", "DIS-NO-RUSH", "APT-PUB-5WD",
    "APT-PUB-WINDOW", "RPT-FILING",
}


def test_every_core_rule_has_a_violating_test(rulebook):
    assert {r for r, _ in VIOLATIONS} == CORE_RULES and CORE_RULES <= set(rulebook.ids)


# --- compliant variants close to each rule's edge -------------------------------------------------

def test_adhoc_item_needs_both_circulation_and_prior_motion(baseline, judge):
    baseline["motion"]["date"] = "2021-04-16"  # motion on the meeting day itself is not "before"
    assert "MOT-NO-ADHOC" in judge(baseline)["violated"]


def test_over_quota_with_approved_prior_report_is_compliant(baseline, judge):
    over_quota(baseline)
    baseline["prior_reports"] = [{"id": "pr1", "matter": "over_quota", "submitted": "2021-03-01",
                                  "reply_date": "2021-03-20", "reply": "approved"}]
    assert judge(baseline)["violated"] == set()
    baseline["prior_reports"][0]["reply"] = "rejected"
    assert judge(baseline)["violated"] == {"MOT-VACANCY"}


def test_recommendation_not_required_for_lateral_transfer(baseline, judge):
    no_recommendation(baseline)
    baseline["move"] = "lateral_transfer"
    assert "REC-REQUIRED" not in judge(baseline)["violated"]


def test_four_musts_not_required_for_non_promotion(baseline, judge):
    concealment(baseline)
    baseline["move"] = "further_use"
    assert judge(baseline)["violated"] == set()


def test_closed_petition_and_unspecific_petition_are_compliant(baseline, judge):
    baseline["inspections"][0]["petitions"] = [
        {"id": "x1", "received": "2021-04-01", "specific": True, "closed": "2021-04-12"},
        {"id": "x2", "received": "2021-04-01", "specific": False, "closed": None},
    ]
    assert judge(baseline)["violated"] == set()


def test_recused_relative_is_compliant(baseline, judge):
    unrecused_spouse(baseline)
    item(baseline)["recused"] = ["m06"]
    item(baseline)["statements"] = [s for s in item(baseline)["statements"] if s["member"] != "m06"]
    assert judge(baseline)["violated"] == set()


def test_in_law_through_spouse_must_recuse(baseline, judge):
    # m07's wife is the candidate's sister: a close in-law derived through the spouse, not declared.
    baseline["candidates"].append({"id": "c2", "name": "马俊丽", "birth_date": "1982-01-01"})
    baseline["relations"] = [{"person": "m07", "relative": "c2", "kind": "spouse"},
                             {"person": "c2", "relative": "c1", "kind": "sibling"}]
    assert judge(baseline)["violated"] == {"DEC-RECUSAL"}


def test_distant_tie_outside_scope_needs_no_recusal(baseline, judge):
    baseline["relations"] = [{"person": "m06", "relative": "c1", "kind": "other"}]
    assert judge(baseline)["violated"] == set()


def test_rush_promotion_with_approval_or_after_successor_is_compliant(baseline, judge):
    rush_promotion(baseline)
    baseline["prior_reports"] = [{"id": "pr1", "matter": "leader_departure", "submitted": "2021-04-05",
                                  "reply_date": "2021-04-12", "reply": "approved"}]
    assert judge(baseline)["violated"] == set()
    baseline["prior_reports"] = []
    baseline["leader_departure"]["left"] = "2021-04-10"
    assert judge(baseline)["violated"] == set()


def test_discipline_official_as_non_voting_attendee_suffices(baseline, judge):
    no_discipline_official(baseline)
    baseline["meetings"][0]["non_voting_attendees"].append({"name": "派驻纪检监察组组长", "role": "discipline_official"})
    assert judge(baseline)["violated"] == set()


# --- boundaries -----------------------------------------------------------------------------------

@pytest.mark.parametrize("n,minimum", [(7, 5), (9, 6), (11, 8), (12, 8)])
def test_quorum_boundary(n, minimum, baseline, judge):
    with_body_size(baseline, n)
    set_presence(baseline, members(minimum))
    assert "DEC-QUORUM" not in judge(baseline)["violated"]
    set_presence(baseline, members(minimum - 1))
    assert "DEC-QUORUM" in judge(baseline)["violated"]


def test_recused_member_does_not_count_toward_quorum(baseline, judge):
    set_presence(baseline, members(8))  # 8 of 11 present: exactly quorum
    unrecused_spouse(baseline)
    item(baseline)["recused"] = ["m06"]
    item(baseline)["statements"] = [s for s in item(baseline)["statements"] if s["member"] != "m06"]
    assert judge(baseline)["violated"] == {"DEC-QUORUM"}


def test_member_who_left_before_the_item_does_not_count(baseline, judge):
    set_presence(baseline, members(8))
    item(baseline)["departed"] = ["m08"]
    item(baseline)["statements"] = [s for s in item(baseline)["statements"] if s["member"] != "m08"]
    assert judge(baseline)["violated"] == {"DEC-QUORUM"}


def test_observers_never_count_toward_quorum(baseline, judge):
    set_presence(baseline, members(7))
    baseline["meetings"][0]["non_voting_attendees"] += [{"name": f"列席{i}", "role": "other"} for i in range(5)]
    assert "DEC-QUORUM" in judge(baseline)["violated"]


def test_adoption_counts_members_due_not_present(baseline, judge):
    with_body_size(baseline, 9)
    set_presence(baseline, members(6))
    item(baseline)["vote"] = {"method": "hands", "agree": 4, "disagree": 2, "abstain": 0}  # 4 of 6 present, not > 9/2
    assert judge(baseline)["violated"] == {"DEC-PASS"}
    item(baseline)["vote"] = {"method": "hands", "agree": 5, "disagree": 1, "abstain": 0}
    assert judge(baseline)["violated"] == set()


def test_without_vote_count_the_explicit_views_are_counted(baseline, judge):
    del item(baseline)["vote"]
    assert judge(baseline)["violated"] == set()  # 8 agree of 11
    for s in item(baseline)["statements"][:4]:
        s["view"] = "disagree"
    assert judge(baseline)["violated"] == {"DEC-PASS", "DEC-DEFER"}  # 4 agree of 11, 5 against


def publicity_2024(d: Data, start: str, end: str) -> None:
    """Move the case to autumn 2024 so that publicity spans National Day."""
    d["meetings"][0]["date"] = "2024-09-20"
    d["publicity"][0].update(start=start, end=end)
    d["appointments"][0]["date"] = "2024-10-15"
    d["appointments"][0]["talk"]["date"] = "2024-10-16"
    d["filings"][0]["date"] = "2024-10-18"


def test_publicity_across_national_day_counts_make_up_days(baseline, judge):
    publicity_2024(baseline, "2024-09-27", "2024-10-08")  # Fri 27, Sun 29, Mon 30, Tue 8 = 4
    assert judge(baseline)["violated"] == {"APT-PUB-5WD"}
    publicity_2024(baseline, "2024-09-27", "2024-10-09")  # + Wed 9 = 5
    assert judge(baseline)["violated"] == set()


def test_publicity_of_five_plain_working_days_is_enough(baseline, judge):
    baseline["publicity"][0].update(start="2021-04-19", end="2021-04-23")  # Mon..Fri
    assert judge(baseline)["violated"] == set()


# --- editions -------------------------------------------------------------------------------------

def test_principal_speaking_first_is_judged_by_the_edition_in_force(baseline, judge, auditor):
    principal_first(baseline)
    baseline["meetings"][0]["date"] = "2019-03-02"
    assert "DEC-LAST-SPEAKER" not in judge(baseline)["violated"]
    baseline["meetings"][0]["date"] = "2019-03-03"
    assert "DEC-LAST-SPEAKER" in judge(baseline)["violated"]
    finding = next(f for f in auditor.audit_data(baseline).findings if f.rule_id == "DEC-LAST-SPEAKER")
    assert (finding.edition, finding.article, finding.article_verified) == ("2019", "38", False)
    assert "未核实" in finding.citation["zh"] and "unverified" in finding.citation["en"]


def test_quorum_cites_2014_text_for_2016_meeting(baseline, auditor):
    short_quorum(baseline)
    baseline["meetings"][0]["date"] = "2016-05-10"
    finding = next(f for f in auditor.audit_data(baseline).findings if f.rule_id == "DEC-QUORUM")
    assert (finding.edition, finding.article, finding.article_verified) == ("2014", "37", True)


def test_a_companion_instrument_in_force_is_cited_too(auditor):
    """The 2019 条例 governs, but its avoidance article is not located; the 2006 avoidance provisions,
    also in force, are cited with their verified articles, and reports show them as 另见 / see also."""
    from pathlib import Path

    from cadre_rules import load_case
    from cadre_rules.report import FORMATS
    from cadre_rules.report.base import ReportContext, render_results

    path = next((Path(__file__).resolve().parents[2] / "examples" / "cases").glob("53-*.yaml"))
    result = auditor.audit_data(load_case(path).model_dump(mode="json"), str(path))
    finding = next(f for f in result.findings if f.rule_id == "AVD-KINSHIP")
    assert (finding.edition, finding.article) == ("2019", None)
    assert [(c["edition"], c["article"], c["article_verified"]) for c in finding.also_cited] == \
        [("2006-avoidance", "3-4", True)]
    zh = ReportContext(auditor.rulebook).citation(finding)
    en = ReportContext(auditor.rulebook, lang="en").citation(finding)
    assert zh.endswith("；另见《党政领导干部任职回避暂行规定》（2006年）第3—4条")
    assert en.endswith("; see also Interim Provisions on Avoidance in the Posting of Party and Government Leading Cadres (2006), Arts. 3-4")
    for fmt in ("markdown", "html"):
        assert "另见《党政领导干部任职回避暂行规定》（2006年）第3—4条" in \
            render_results(FORMATS[fmt], [result], auditor.rulebook)


def test_four_musts_do_not_apply_before_the_2016_opinion(baseline, judge):
    concealment(baseline)
    baseline["meetings"][0]["date"] = "2016-07-29"
    assert "INS-PERSONAL-MATTERS" not in judge(baseline)["violated"]
    baseline["meetings"][0]["date"] = "2016-08-02"
    assert "INS-PERSONAL-MATTERS" in judge(baseline)["violated"]


# --- pending and unknown --------------------------------------------------------------------------

def test_running_publicity_of_open_case_is_pending(baseline, judge):
    baseline.update(status="open", as_of="2021-04-21")
    short_publicity(baseline)
    del baseline["appointments"], baseline["filings"]
    assert judge(baseline) == {"violated": set(), "pending": {"APT-PUB-5WD"}, "unknown": set()}
    baseline["as_of"] = "2021-04-23"  # it ended on the 22nd, too short: now a violation
    assert judge(baseline)["violated"] == {"APT-PUB-5WD"}


def test_filing_pending_until_deadline_then_violated(baseline, judge):
    del baseline["filings"]
    baseline.update(status="open", as_of="2021-05-07")  # 4 working days after the notice of 04-28
    assert judge(baseline) == {"violated": set(), "pending": {"RPT-FILING"}, "unknown": set()}
    baseline["as_of"] = "2021-05-11"  # 29, 30, 6, 7, 8 (make-up Sat), 10, 11 = 7: still due today
    assert judge(baseline)["pending"] == {"RPT-FILING"}
    baseline["as_of"] = "2021-05-12"  # 8 working days: overdue
    assert judge(baseline)["violated"] == {"RPT-FILING"}
    baseline["status"] = "closed"
    baseline["as_of"] = "2021-05-08"  # a closed case without filing is a violation at once
    assert judge(baseline)["violated"] == {"RPT-FILING"}


def test_publicity_outside_holiday_data_cannot_be_evaluated(baseline, auditor):
    baseline["meetings"][0]["date"] = "2026-12-18"
    baseline["publicity"][0].update(start="2026-12-28", end="2027-01-06")
    baseline["appointments"][0]["date"] = "2027-01-08"
    baseline["appointments"][0]["talk"]["date"] = "2027-01-08"
    del baseline["filings"]
    baseline["post"]["filing_required"] = False
    findings = auditor.audit_data(baseline).findings
    assert [(f.rule_id, f.verdict) for f in findings] == [("APT-PUB-5WD", "unknown")]
    assert findings[0].reason.startswith("publicity[0].start/end: 2027-01-06 is outside the holiday data")


def test_findings_carry_evidence_paths_and_messages(baseline, auditor):
    short_quorum(baseline)
    (finding,) = auditor.audit_data(baseline).findings
    assert finding.evidence == ["item:mt1/a1"] and finding.paths == ["meetings[0].agenda[0]"]
    assert "应到会成员 11 人" in finding.message["zh"] and "7 of 11" in finding.message["en"]
    assert (finding.stage, finding.severity, finding.verdict) == ("decision", "violation", "violated")


def test_any_running_publicity_is_pending_never_silent(baseline, judge, auditor):
    baseline.update(status="open", as_of="2021-04-21")
    del baseline["appointments"], baseline["filings"]
    assert judge(baseline)["pending"] == {"APT-PUB-5WD"}  # announced long enough, still running
    del baseline["publicity"][0]["end"]
    assert judge(baseline)["pending"] == {"APT-PUB-5WD"}  # no end announced yet
    (finding,) = auditor.audit_data(baseline).findings
    assert "尚未结束" in finding.message["zh"] and "少于" not in finding.message["zh"]
    baseline["status"] = "closed"
    assert judge(baseline)["violated"] == {"APT-PUB-5WD"}  # a closed case without a recorded end


def test_unknown_finding_says_what_could_not_be_judged(baseline, auditor):
    baseline["meetings"][0]["date"] = "2026-12-18"
    baseline["publicity"][0].update(start="2026-12-28", end="2027-01-06")
    baseline["appointments"][0]["date"] = "2027-01-08"
    baseline["appointments"][0]["talk"]["date"] = "2027-01-08"
    baseline["post"]["filing_required"] = False
    del baseline["filings"]
    (finding,) = auditor.audit_data(baseline).findings
    assert finding.message["zh"] == ("无法判断「公示期不少于五个工作日」：第1次公示的起止日期：2027-01-06 "
                                     "超出节假日数据范围（2004—2026年）")  # the record named, its path in `paths`
    assert finding.message["en"].startswith("Cannot evaluate “Publicity lasts at least five working days”")


def test_discipline_official_who_left_before_the_item_did_not_observe_it(baseline, judge):
    item(baseline)["departed"] = ["m04"]
    item(baseline)["statements"] = [s for s in item(baseline)["statements"] if s["member"] != "m04"]
    item(baseline)["vote"]["agree"] = 7
    assert judge(baseline)["violated"] == {"DEC-DISCIPLINE-OBSERVER"}
