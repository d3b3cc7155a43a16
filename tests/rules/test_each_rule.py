"""The rest of the catalogue (rows 1–69 beyond the core): each rule violated by one focused change to the
compliant baseline and kept compliant by a close variant; rules that differ by edition are judged on
both sides of the edition boundary with the same facts."""
from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any, Callable

import pytest

Data = dict[str, Any]


def item(d: Data) -> Data:
    return d["meetings"][0]["agenda"][0]


def cand(d: Data) -> Data:
    return d["candidates"][0]


def ins(d: Data) -> Data:
    return d["inspections"][0]


def shift(d: Data, weeks: int) -> Data:
    """The whole case moved by whole weeks (weekdays kept), for judging it under another edition."""
    delta = timedelta(weeks=weeks)

    def move(value: Any) -> Any:
        if isinstance(value, date):
            return value + delta
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return (date.fromisoformat(value) + delta).isoformat()
            except ValueError:
                return value
        if isinstance(value, dict):
            return {k: (v if k in ("birth_date",) else move(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [move(v) for v in value]
        return value

    return move(copy.deepcopy(d))


def division(d: Data) -> None:
    """Make the case a promotion into a county/division-level deputy post, fully qualified."""
    d["post"].update(level="division_deputy", title="县人民政府副县长", unit="清溪县人民政府")
    cand(d).update(current_level="section_chief", current_since="2016-03-01", work_history=[
        {"title": "乡镇财政所科员", "unit": "青石镇", "grassroots": True, "start": "2002-07-01", "end": "2009-12-31"},
        {"title": "青石镇党委书记", "unit": "青石镇", "level": "section_chief", "grassroots": True,
         "start": "2010-01-01", "end": "2016-02-29", "promotion": True},
        {"title": "县财政局局长", "unit": "清溪县财政局", "level": "section_chief", "start": "2016-03-01"},
    ], training=[{"year": 2019, "hours": 300}, {"year": 2020, "hours": 300}])


def approve(d: Data, matter: str, reply: str = "2021-04-12") -> None:
    d.setdefault("prior_reports", []).append(
        {"id": f"pr-{matter}", "matter": matter, "submitted": "2021-03-15", "reply_date": reply, "reply": "approved"})


def test_baseline_and_its_variants_are_compliant(baseline, judge):
    assert judge(baseline) == {"violated": set(), "pending": set(), "unknown": set()}
    division(baseline)
    assert judge(baseline)["violated"] == set()


# --- one violating change per rule ---------------------------------------------------------------

def secretaries_meeting(d: Data) -> None:
    d["meetings"][0]["kind"] = "secretaries"


def managed_by_city(d: Data) -> None:
    d["post"]["managed_by"] = "jz-swcwh"


def short_work_years(d: Data) -> None:
    division(d)
    cand(d)["work_start_date"] = "2017-07-01"


def short_section_deputy_tenure(d: Data) -> None:
    """The baseline's 副科 (since 2016) becomes 正科: made deputy a year before the meeting instead."""
    c = cand(d)
    c["current_since"] = "2020-06-01"
    c["work_history"][-1]["start"] = "2020-06-01"
    c["work_history"][-2]["end"] = "2020-05-31"


def short_staff_tenure(d: Data) -> None:
    """The post becomes a 副科 post and the candidate a 科员 since a year before the meeting."""
    d["post"]["level"] = "section_deputy"
    c = cand(d)
    c["current_level"] = "staff"
    c["current_since"] = "2020-06-01"
    c["work_history"][-1].update(start="2020-06-01", level="staff", title="县财政局一级科员")
    c["work_history"][-2]["end"] = "2020-05-31"


def junior_schooling(d: Data) -> None:
    """The baseline's 正科 post; the candidate's only schooling is 初中."""
    cand(d)["education"] = [{"degree": "初中", "institution": "清溪县第一初级中学", "full_time": True,
                             "completed": "1995-06-30"}]


def short_grassroots(d: Data) -> None:
    division(d)
    for post in cand(d)["work_history"][:2]:
        post["grassroots"] = False
    cand(d)["work_history"][0]["grassroots"] = True
    cand(d)["work_history"][0]["end"] = "2003-01-31"


def canvassing_for_candidate(d: Data) -> None:
    d["canvassing_findings"] = [{"id": "lp1", "candidate": "c1", "recommendation": "r1", "date": "2021-04-06",
                                 "source": "petition", "note": "信访核查查实有人为其打电话拉票"}]


def one_lower_post(d: Data) -> None:
    division(d)
    cand(d)["work_history"][1]["level"] = None


def deputy_too_short(d: Data) -> None:
    division(d)
    d["post"]["level"] = "division_chief"
    cand(d).update(current_level="division_deputy", current_since="2020-03-01")
    cand(d)["work_history"][2]["end"] = "2020-02-29"
    cand(d)["work_history"] += [
        {"title": "县委常委、组织部部长", "level": "division_deputy", "start": "2020-03-01", "end": "2020-12-31",
         "promotion": True},
        {"title": "县委常委、常务副县长", "level": "division_deputy", "start": "2021-01-01"}]


def chief_too_short(d: Data) -> None:
    division(d)
    cand(d)["current_since"] = "2019-03-01"


def low_education(d: Data) -> None:
    cand(d)["education"] = [{"degree": "中专", "institution": "清溪县职业中专"}]


def no_training(d: Data) -> None:
    division(d)
    cand(d)["training"] = []


def no_health_attestation(d: Data) -> None:
    d["attestations"] = [a for a in d["attestations"] if a["kind"] != "health"]


def young_party_member(d: Data) -> None:
    d["post"].update(is_party_post=True, committee_level="county")
    cand(d)["party_join_date"] = "2019-06-01"


def no_basic_conditions(d: Data) -> None:
    d["attestations"] = [a for a in d["attestations"] if a["kind"] != "basic_conditions"]


def breakthrough_without_ground(d: Data) -> None:
    d["breakthrough"] = {"items": ["years_in_level"]}
    approve(d, "breakthrough")
    item(d)["reportable_matters_explained"] = True
    d["publicity"][0]["breakthrough_statement"] = True


def skip_two_levels(d: Data) -> None:
    """副科 → 正处 skips two levels: forbidden even with the superior's consent."""
    division(d)
    d["post"]["level"] = "division_chief"
    cand(d)["current_level"] = "section_deputy"
    cand(d)["work_history"] += [{"title": f"挂职副县长{i}", "level": "division_deputy", "start": "2018-01-01"} for i in (1, 2)]
    approve(d, "skip_level", reply="2021-03-18")
    item(d)["reportable_matters_explained"] = True


def breakthrough_unapproved(d: Data) -> None:
    d["breakthrough"] = {"basis": "need_b", "items": ["years_in_level"]}
    item(d)["reportable_matters_explained"] = True
    d["publicity"][0]["breakthrough_statement"] = True


def low_appraisal(d: Data) -> None:
    cand(d)["appraisals"] = [{"year": 2019, "grade": "basically_competent"}, {"year": 2020, "grade": "competent"}]


def sanction_in_period(d: Data) -> None:
    cand(d)["sanctions"] = [{"system": "party", "type": "warning", "decision_date": "2020-09-01"}]
    approve(d, "sanction_reuse")


def no_analysis(d: Data) -> None:
    del d["motion"]["analysis_date"]


def no_work_plan(d: Data) -> None:
    del d["motion"]["work_plan_date"]


def open_precheck(d: Data) -> None:
    d["motion"]["prechecks"] = [{"kind": "personal_matters", "date": "2021-03-04", "blocking": True}]


def competition_without_reason(d: Data) -> None:
    d["motion"]["method"] = "competition"


def stale_recommendation(d: Data) -> None:
    d["recommendations"][0]["date"] = "2020-03-16"
    d["motion"].update(date="2020-03-02", analysis_date="2020-02-26", reported_to_principal="2020-03-03",
                       consultation_dates=["2020-03-05"], work_plan_date="2020-03-10")


def second_round(d: Data) -> None:
    d["recommendations"].append({"id": "r2", "form": "second_meeting", "date": "2021-03-17",
                                 "results": [{"candidate": "c1", "votes": 30}]})


def missing_category(d: Data) -> None:
    d["recommendations"][0].update(required_categories=["committee_members", "department_heads"],
                                   participant_categories=["committee_members"])


def single_reference(d: Data) -> None:
    d["recommendations"].insert(0, {"id": "r0", "form": "talk", "date": "2021-03-12",
                                    "results": [{"candidate": "c1", "votes": 20}]})
    d["recommendations"][1]["reference_list"] = ["c1"]


def lowest_ranked_without_reason(d: Data) -> None:
    d["candidates"].append({"id": "c2", "name": "刘振华", "birth_date": "1981-02-02"})
    d["recommendations"][0]["results"].append({"candidate": "c2", "votes": 40})
    ins(d)["target_decision"]["rationale"] = None


def unsigned_nomination(d: Data) -> None:
    d["nominations"] = [{"nominator": "某县领导", "candidate": "c1", "signed": False}]


def not_collective(d: Data) -> None:
    ins(d)["target_decision"]["collective"] = False


def no_notice(d: Data) -> None:
    del ins(d)["notice_date"]


def single_signature(d: Data) -> None:
    ins(d)["integrity_conclusion"]["signed_by_discipline_head"] = False


def audit_missing(d: Data) -> None:
    d["post"]["audit_required"] = True


def no_weaknesses(d: Data) -> None:
    ins(d)["report"]["weaknesses"] = None


def no_consultation(d: Data) -> None:
    d["consultations"] = []


def bundled_vote(d: Data) -> None:
    item(d)["vote"]["per_candidate"] = False


def divided_views(d: Data) -> None:
    views = ["disagree", "disagree", "defer", "disagree", "defer", "agree", "agree", "agree", "agree"]
    for statement, view in zip(item(d)["statements"], views):
        statement["view"] = view


def reconsideration_without_consent(d: Data) -> None:
    d["meetings"][0]["kind"] = "reconsideration"
    item(d)["reconsideration_consent"] = 5


def wrong_presenter(d: Data) -> None:
    item(d)["presenter"] = "m02"


def chief_without_plenum(d: Data) -> None:
    d["post"]["city_county_chief"] = True


def no_discussion_record(d: Data) -> None:
    d["meetings"][0]["records"]["discussion_record"] = False


def no_publicity(d: Data) -> None:
    d["publicity"] = []


def open_objection(d: Data) -> None:
    d["publicity"][0]["objections"] = [{"received": "2021-04-21", "affects_appointment": False}]


def no_probation(d: Data) -> None:
    d["post"]["probation"] = True


def no_talk(d: Data) -> None:
    del d["appointments"][0]["talk"]


def tenure_from_notice(d: Data) -> None:
    d["appointments"][0]["tenure_start"] = "2021-04-28"


def relative_leads_unit(d: Data) -> None:
    d["colleagues"] = [{"id": "x1", "name": "马国强", "post": "县财政局党组书记", "leads_organ": True}]
    d["relations"] = [{"person": "x1", "relative": "c1", "kind": "sibling"}]


def incomplete_submission(d: Data) -> None:
    d["post"]["managed_by"] = "jz-swcwh"
    d["submission"] = {"date": "2021-04-19", "docs": ["approval_form", "inspection_report"],
                       "reply_date": "2021-04-26", "result": "approved"}


def sister_in_direct_line(d: Data) -> None:
    d["colleagues"] = [{"id": "x1", "name": "马俊丽", "post": "县财政局预算股股长", "direct_line": True}]
    d["relations"] = [{"person": "x1", "relative": "c1", "kind": "sibling"}]


def home_county_chief(d: Data) -> None:
    d["post"].update(avoidance_level="county", locality="qx")
    cand(d)["growth_place"] = "qx"


NEW_RULES: list[tuple[str, Callable[[Data], None]]] = [
    ("GEN-COLLECTIVE", secretaries_meeting),
    ("GEN-AUTHORITY", managed_by_city),
    ("QUAL-WORKYEARS", short_work_years),
    ("QUAL-SECTION-DEP2CHIEF-2Y", short_section_deputy_tenure),
    ("QUAL-SECTION-STAFF2DEP-3Y", short_staff_tenure),
    ("QUAL-SECTION-EDUCATION", junior_schooling),
    ("QUAL-GRASSROOTS", short_grassroots),
    ("QUAL-TWO-POSTS", one_lower_post),
    ("QUAL-DEP2CHIEF-2Y", deputy_too_short),
    ("QUAL-CHIEF2UPDEP-3Y", chief_too_short),
    ("QUAL-EDUCATION", low_education),
    ("QUAL-TRAINING", no_training),
    ("QUAL-HEALTH-LEGAL", no_health_attestation),
    ("QUAL-PARTY-AGE", young_party_member),
    ("QUAL-BASIC-CONDITIONS", no_basic_conditions),
    ("BRK-GROUNDS", breakthrough_without_ground),
    ("BRK-LIMITS", skip_two_levels),
    ("BRK-PRIOR-APPROVAL", breakthrough_unapproved),
    ("DISQ-LIST", low_appraisal),
    ("DISQ-DISCIPLINE-PERIOD", sanction_in_period),
    ("MOT-ANALYSIS", no_analysis),
    ("MOT-INITIATION", no_work_plan),
    ("MOT-PRECHECK", open_precheck),
    ("MOT-COMPETITIVE", competition_without_reason),
    ("REC-VALIDITY-1Y", stale_recommendation),
    ("REC-FORM-ORDER", second_round),
    ("REC-PARTICIPANTS", missing_category),
    ("REC-REF-DIFFERENTIAL", single_reference),
    ("REC-NOT-BY-VOTES", lowest_ranked_without_reason),
    ("REC-INDIV-SIGNED", unsigned_nomination),
    ("REC-CANVASSING", canvassing_for_candidate),
    ("INS-TARGET-COLLECTIVE", not_collective),
    ("INS-STEPS", no_notice),
    ("INS-INTEGRITY-SIGNOFF", single_signature),
    ("INS-AUDIT-FIRST", audit_missing),
    ("INS-MATERIALS", no_weaknesses),
    ("DEC-BREWING", no_consultation),
    ("DEC-VOTE-METHOD", bundled_vote),
    ("DEC-DEFER", divided_views),
    ("DEC-RECONSIDER", reconsideration_without_consent),
    ("DEC-PRESENTATION", wrong_presenter),
    ("DEC-FULLCOMMITTEE", chief_without_plenum),
    ("DEC-RECORDS", no_discussion_record),
    ("APT-PUB-SCOPE", no_publicity),
    ("APT-PUB-OUTCOME", open_objection),
    ("APT-PROBATION", no_probation),
    ("APT-TALK", no_talk),
    ("APT-TENURE-START", tenure_from_notice),
    ("RPT-PRIOR-MATTERS", relative_leads_unit),
    ("RPT-SUBMISSION", incomplete_submission),
    ("AVD-KINSHIP", sister_in_direct_line),
    ("AVD-GEOGRAPHIC", home_county_chief),
]


@pytest.mark.parametrize("rule_id,mutate", NEW_RULES, ids=[f"{r}-{m.__name__}" for r, m in NEW_RULES])
def test_each_rule_finds_exactly_its_finding(rule_id, mutate, baseline, auditor):
    mutate(baseline)
    result = auditor.audit_data(baseline, "test")
    assert result.status == "ok", result.errors
    assert {f.rule_id for f in result.findings} == {rule_id}, [f.message["zh"] for f in result.findings]


def test_every_catalogue_rule_has_a_violating_test(rulebook):
    from test_rule_edges import VIOLATIONS  # the core rules' tests
    tested = {r for r, _ in VIOLATIONS} | {r for r, _ in NEW_RULES} | {"GEN-VERSION", "REC-ATTENDANCE"}
    tested |= {r.id for r in rulebook.rules if r.id.startswith("DOS-")}  # tests/dossier/test_dossier_rules.py
    assert tested == set(rulebook.ids)


def test_recommendation_attendance_applies_only_where_a_profile_says_so(tmp_path, baseline):
    import shutil

    from cadre_rules import Auditor, load_rulebook
    from cadre_rules.rulebook import bundled_rules_dir

    baseline["recommendations"][0].update(participants_expected=45, participants_actual=29)  # 29*3 < 45*2
    assert Auditor(load_rulebook()).audit_data(baseline).findings == []
    root = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), root)
    (root / "profiles" / "local.yaml").write_text(
        "id: local\noverrides:\n  REC-ATTENDANCE: {parameters: {applies: true}}\n", encoding="utf-8")
    local = Auditor(load_rulebook(root, "local"))
    assert [f.rule_id for f in local.audit_data(baseline).findings] == ["REC-ATTENDANCE"]
    baseline["recommendations"][0]["participants_actual"] = 30
    assert local.audit_data(baseline).findings == []


# --- compliant neighbours -------------------------------------------------------------------------

def test_an_approved_breakthrough_silences_the_qualification_rules(baseline, judge):
    short_work_years(baseline)
    baseline["breakthrough"] = {"basis": "need_b", "items": ["work_years"]}
    approve(baseline, "breakthrough")
    item(baseline)["reportable_matters_explained"] = True
    baseline["publicity"][0]["breakthrough_statement"] = True
    assert judge(baseline)["violated"] == set()
    baseline["publicity"][0]["breakthrough_statement"] = False  # the publicity must state the 破格
    assert judge(baseline)["violated"] == {"APT-PUB-WINDOW"}


def test_level_skipping_needs_approval_before_the_inspection(baseline, judge):
    division(baseline)
    cand(baseline)["current_level"] = "section_deputy"  # 副科 → 副处 skips 正科
    item(baseline)["reportable_matters_explained"] = True
    approve(baseline, "skip_level", reply="2021-04-12")  # after the inspection began on 03-22
    assert judge(baseline)["violated"] == {"BRK-PRIOR-APPROVAL"}
    baseline["prior_reports"][0]["reply_date"] = "2021-03-18"
    assert judge(baseline)["violated"] == set()


def test_sanction_after_its_period_needs_only_the_reuse_report(baseline, judge):
    cand(baseline)["sanctions"] = [{"system": "administrative", "type": "demerit", "decision_date": "2019-09-01"}]
    assert judge(baseline)["violated"] == {"RPT-PRIOR-MATTERS"}
    approve(baseline, "sanction_reuse")
    assert judge(baseline)["violated"] == set()


def test_party_serious_warning_period_depends_on_the_rules_in_force(baseline, judge):
    approve(baseline, "sanction_reuse")
    cand(baseline)["sanctions"] = [{"system": "party", "type": "serious_warning", "decision_date": "2015-11-01"}]
    baseline = shift(baseline, -5 * 52)  # meeting 2016-04: 17 months after a 2015 serious warning (12-month period)
    assert "DISQ-DISCIPLINE-PERIOD" not in judge(baseline)["violated"]
    cand(baseline)["sanctions"][0]["decision_date"] = "2016-01-04"  # 15 months before, under the 18-month rule
    assert "DISQ-DISCIPLINE-PERIOD" in judge(baseline)["violated"]


def test_one_to_one_inspection_needs_concentrated_views(baseline, auditor):
    ins(baseline)["target_decision"]["views_concentrated"] = False
    (finding,) = auditor.audit_data(baseline).findings
    assert (finding.rule_id, finding.severity) == ("INS-TARGET-COLLECTIVE", "warning")
    baseline["change_of_term"] = True  # a change of term must be differential (and recommend by talks first)
    findings = {f.rule_id: f for f in auditor.audit_data(baseline).findings}
    assert set(findings) == {"INS-TARGET-COLLECTIVE", "REC-FORM-ORDER"}
    assert findings["INS-TARGET-COLLECTIVE"].severity == "violation"


def test_bundled_vote_escalates_an_unlisted_method_does_not(baseline, auditor):
    item(baseline)["vote"]["method"] = "applause"
    (finding,) = auditor.audit_data(baseline).findings
    assert (finding.rule_id, finding.severity) == ("DEC-VOTE-METHOD", "warning")
    bundled_vote(baseline)
    (finding,) = auditor.audit_data(baseline).findings
    assert finding.severity == "violation"


def test_unsigned_record_is_a_warning_missing_record_a_violation(baseline, auditor):
    baseline["meetings"][0]["records"]["signed_by_recorder"] = False
    (finding,) = auditor.audit_data(baseline).findings
    assert (finding.rule_id, finding.severity) == ("DEC-RECORDS", "warning")


def test_prefecture_home_place_is_a_warning(baseline, auditor):
    home_county_chief(baseline)
    baseline["post"]["avoidance_level"] = "prefecture"
    (finding,) = auditor.audit_data(baseline).findings
    assert (finding.rule_id, finding.severity) == ("AVD-GEOGRAPHIC", "warning")


def test_dual_management_silence_for_a_month_is_consent(baseline, judge):
    baseline["post"]["dual_management"] = {"co_side": "市财政局党组", "consult_sent": "2021-03-20"}
    assert judge(baseline)["violated"] == {"DEC-BREWING"}  # meeting 04-16, less than a month
    baseline["post"]["dual_management"]["consult_sent"] = "2021-03-16"
    assert judge(baseline)["violated"] == set()


def test_non_party_candidate_needs_united_front_consultation(baseline, judge):
    cand(baseline)["party_member"] = False
    assert judge(baseline)["violated"] == {"DEC-BREWING"}
    baseline["consultations"].append({"with": "united_front", "date": "2021-04-14"})
    assert judge(baseline)["violated"] == set()


def test_full_committee_secret_ballot_satisfies_the_chief_rule(baseline, judge):
    chief_without_plenum(baseline)
    baseline["meetings"][0]["kind"] = "full_committee"
    item(baseline)["vote"]["method"] = "secret"
    assert judge(baseline)["violated"] == set()


def test_probation_running_in_an_open_case_is_pending(baseline, judge):
    no_probation(baseline)
    baseline["appointments"][0]["probation"] = {"start": "2021-04-28", "planned_end": "2022-04-28"}
    assert judge(baseline)["pending"] == {"APT-PROBATION"}  # running beyond the record: not yet assessable
    baseline["appointments"][0]["probation"]["assessment_date"] = "2022-05-10"
    assert judge(baseline)["pending"] == set() and judge(baseline)["violated"] == set()
    baseline["appointments"][0]["probation"]["planned_end"] = "2021-10-28"  # six months only
    assert judge(baseline)["violated"] == {"APT-PROBATION"}


def test_training_can_be_caught_up_within_a_year(baseline, judge):
    no_training(baseline)
    cand(baseline)["training"] = [{"year": 2022, "hours": 560}]
    assert judge(baseline)["violated"] == set()
    baseline.update(status="open", as_of="2021-09-01")
    cand(baseline)["training"] = []
    assert judge(baseline)["pending"] == {"QUAL-TRAINING"}


def test_recommendation_valid_to_the_anniversary_day(baseline, judge):
    baseline["recommendations"][0]["date"] = "2020-03-19"  # the target was fixed 2021-03-19
    baseline["motion"].update(date="2020-03-02", analysis_date="2020-02-26", reported_to_principal="2020-03-03",
                              consultation_dates=["2020-03-05"], work_plan_date="2020-03-10")
    assert "REC-VALIDITY-1Y" not in judge(baseline)["violated"]
    baseline["recommendations"][0]["date"] = "2020-03-18"
    assert "REC-VALIDITY-1Y" in judge(baseline)["violated"]


# --- edition boundaries ---------------------------------------------------------------------------

@pytest.mark.parametrize("rule_id,mutate", [("MOT-ANALYSIS", no_analysis), ("REC-REF-DIFFERENTIAL", single_reference)])
def test_rules_new_in_2019_are_silent_under_2014(rule_id, mutate, baseline, judge):
    mutate(baseline)
    assert rule_id in judge(baseline)["violated"]
    earlier = shift(baseline, -110)  # the motion and recommendation fall in early 2019, under the 2014 text
    assert rule_id not in judge(earlier)["violated"]


def test_presentation_of_reportable_matters_is_2019(baseline, judge):
    breakthrough_unapproved(baseline)
    approve(baseline, "breakthrough")
    item(baseline)["reportable_matters_explained"] = False
    assert judge(baseline)["violated"] == {"DEC-PRESENTATION"}
    earlier = shift(baseline, -160)  # 2018: the 2014 text did not ask for it at the meeting
    assert "DEC-PRESENTATION" not in judge(earlier)["violated"]


def test_second_round_recommendation_allowed_at_change_of_term_only_under_2014(baseline, judge):
    second_round(baseline)
    baseline["change_of_term"] = True
    ins(baseline)["target_decision"]["views_concentrated"] = True
    baseline["candidates"].append({"id": "c2", "name": "刘振华", "birth_date": "1981-02-02"})
    baseline["inspections"].append({**copy.deepcopy(ins(baseline)), "id": "i2", "candidate": "c2"})
    assert "REC-FORM-ORDER" in judge(baseline)["violated"]
    earlier = shift(baseline, -160)
    assert "REC-FORM-ORDER" not in judge(earlier)["violated"]


def test_inspection_feedback_step_is_not_asked_of_2002_text(baseline, judge):
    del ins(baseline)["feedback_date"]
    assert judge(baseline)["violated"] == {"INS-STEPS"}
    earlier = shift(baseline, -8 * 52)  # 2013: the 2002 text had no feedback step
    assert "INS-STEPS" not in judge(earlier)["violated"]


def test_audit_first_and_integrity_signoff_windows(baseline, judge):
    audit_missing(baseline)
    single_signature(baseline)
    assert judge(baseline)["violated"] == {"INS-AUDIT-FIRST", "INS-INTEGRITY-SIGNOFF"}
    in_2018 = judge(shift(baseline, -120))["violated"]  # before the 2019 text
    assert "INS-INTEGRITY-SIGNOFF" in in_2018 and "INS-AUDIT-FIRST" not in in_2018
    in_2016 = judge(shift(baseline, -250))["violated"]  # 2016-06: before the 2016 opinion
    assert not in_2016 & {"INS-AUDIT-FIRST", "INS-INTEGRITY-SIGNOFF"}


def test_gen_version_flags_the_open_2019_window(baseline, auditor):
    march = shift(baseline, -(date(2021, 4, 16) - date(2019, 3, 8)).days // 7)
    findings = auditor.audit_data(march).findings
    assert [(f.rule_id, f.severity, f.verdict) for f in findings if f.rule_id == "GEN-VERSION"] == [
        ("GEN-VERSION", "info", "violated")]
    assert [f.rule_id for f in auditor.audit_data(baseline).findings] == []


def test_acts_before_the_earliest_edition_are_out_of_scope_not_judged(baseline, auditor):
    old = shift(baseline, -20 * 52)  # the whole case in 2001, before the 2002 text
    old["meetings"][0]["attendees"] = old["meetings"][0]["attendees"][:5]  # would breach quorum if judged
    old["meetings"][0]["agenda"][0]["statements"] = [
        s for s in old["meetings"][0]["agenda"][0]["statements"] if s["member"] in old["meetings"][0]["attendees"]]
    result = auditor.audit_data(old)
    assert result.findings == []
    scope = {entry["path"]: entry for entry in result.out_of_scope}
    assert scope["meetings[0].agenda[0]"]["act_date"] == "2001-05-11"  # 2021-04-16 less 1,040 weeks
    assert "DEC-QUORUM" in scope["meetings[0].agenda[0]"]["rules"]
    assert result.to_dict()["out_of_scope"] == result.out_of_scope
    assert auditor.audit_data(baseline).out_of_scope == []
