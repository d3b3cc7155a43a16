"""The dossier checks (issue 13): each DOS-* rule found by one focused change to a compliant case with
consistent sourced records, and kept silent by a close compliant variant; the prevailing value feeds
the qualification rules; a consistent record never raises a dossier finding; --redact hides the values."""
from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from typing import Any, Callable

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadre_rules.cli.main import main
from cadre_rules.facts.dossier import id_number_problem
from cadre_rules.testing.breakers.dossier import id_number
from cadre_rules.facts.periods import anniversary
from dossier_records import consistent_records

Data = dict[str, Any]


def cand(d: Data) -> Data:
    return d["candidates"][0]


def recs(d: Data) -> Data:
    return cand(d)["records"]


@pytest.fixture
def case(baseline) -> Data:
    cand(baseline)["records"] = consistent_records(cand(baseline))
    return baseline


def division(d: Data) -> None:
    """A promotion into a county/division-level deputy post, fully qualified (as in test_each_rule)."""
    d["post"].update(level="division_deputy", title="县人民政府副县长", unit="清溪县人民政府")
    history = [
        {"title": "乡镇财政所科员", "unit": "青石镇", "grassroots": True, "start": date(2002, 7, 1), "end": date(2009, 12, 31)},
        {"title": "青石镇党委书记", "unit": "青石镇", "level": "section_chief", "grassroots": True,
         "start": date(2010, 1, 1), "end": date(2016, 2, 29), "promotion": True},
        {"title": "县财政局局长", "unit": "清溪县财政局", "level": "section_chief", "start": date(2016, 3, 1)}]
    cand(d).update(current_level="section_chief", current_since=date(2016, 3, 1), work_history=history,
                   training=[{"year": 2019, "hours": 300}, {"year": 2020, "hours": 300}])
    cand(d)["records"] = consistent_records(cand(d))


# --- violating changes, one per rule -------------------------------------------------------------

def form_birth_lowered(d: Data) -> None:
    recs(d)["birth_date"][2]["value"] = date(1982, 5, 12)


def system_work_start_later_turns_the_verdict(d: Data) -> None:
    division(d)
    recs(d)["work_start_date"].append({"source": "information_system", "value": date(2017, 7, 1)})
    recs(d)["dossier_review"].append({"item": "work_start_date", "status": "resolved", "date": date(2021, 3, 25),
                                      "value": date(2002, 7, 1)})


def county_party_post(d: Data) -> None:
    """The post brings membership of a county Party committee: three years of Party membership (QUAL-PARTY-AGE)."""
    d["post"].update(is_party_post=True, committee_level="county")


def system_party_join_later_turns_the_party_age(d: Data) -> None:
    county_party_post(d)
    recs(d)["party_join_date"].append({"source": "information_system", "value": date(2019, 3, 1)})
    recs(d)["dossier_review"].append({"item": "party_join_date", "status": "resolved", "date": date(2021, 3, 25),
                                      "value": date(2001, 6, 1)})


def system_birth_later_turns_the_party_admission_age(d: Data) -> None:
    # born 1983-09-01 on the information system: admitted on 2001-06-01 at seventeen
    recs(d)["birth_date"].append({"source": "information_system", "value": date(1983, 9, 1)})


def work_start_at_fifteen(d: Data) -> None:
    for v in recs(d)["work_start_date"]:
        v["value"] = date(1995, 8, 1)
    recs(d)["cadre_identity"]["acquired"] = date(2002, 7, 1)


def party_at_sixteen(d: Data) -> None:
    for v in recs(d)["party_join_date"]:
        v["value"] = date(1996, 6, 1)


def bachelor_at_seventeen(d: Data) -> None:
    recs(d)["education"] = [{"source": "dossier", "degree": "大学本科", "level": "bachelor", "end": date(1997, 6, 30),
                             "mode": "in_service"}]


def full_time_master_in_post(d: Data) -> None:
    recs(d)["education"].append({"source": "dossier", "degree": "硕士研究生", "level": "master",
                                 "start": date(2011, 9, 1), "end": date(2013, 6, 30), "mode": "full_time"})


def in_service_shown_full_time(d: Data) -> None:
    recs(d)["education"] += [
        {"source": "dossier", "degree": "硕士研究生", "level": "master", "mode": "in_service"},
        {"source": "appointment_form", "degree": "硕士研究生", "level": "master", "mode": "full_time"}]


def year_without_post(d: Data) -> None:
    recs(d)["work_history"][1]["start"] = date(2011, 1, 1)


def invented_post_on_form(d: Data) -> None:
    recs(d)["work_history"].append({"source": "appointment_form", "start": date(2009, 1, 1), "end": date(2009, 12, 31),
                                    "organisation": "清溪县发展和改革局", "post": "副主任科员"})


def chief_after_a_year_as_deputy(d: Data) -> None:
    recs(d)["work_history"] = [
        {"source": "dossier", "start": date(2015, 3, 1), "end": date(2016, 2, 29), "organisation": "某县人民政府",
         "post": "副县长", "level": "division_deputy"},
        {"source": "dossier", "start": date(2016, 3, 1), "organisation": "某县人民政府", "post": "县长",
         "level": "division_chief"}]


def history_review_pending(d: Data) -> None:
    recs(d)["dossier_review"].append({"item": "work_history", "status": "pending", "date": date(2021, 3, 25)})


def wrong_check_digit(d: Data) -> None:
    cand(d)["id_number"] = id_number(cand(d)["birth_date"], 541, valid=False)


def id_birth_two_years_later(d: Data) -> None:
    cand(d)["id_number"] = id_number(date(1982, 5, 12), 541)


def status_before_work(d: Data) -> None:
    recs(d)["cadre_identity"] = {"how": "招干", "acquired": date(2000, 3, 1)}


VIOLATIONS: list[tuple[str, Callable[[Data], None]]] = [
    ("DOS-SOURCES-DIFFER", form_birth_lowered),
    ("DOS-VERDICT-BY-SOURCE", system_work_start_later_turns_the_verdict),
    ("DOS-VERDICT-BY-SOURCE", system_party_join_later_turns_the_party_age),
    ("DOS-VERDICT-BY-SOURCE", system_birth_later_turns_the_party_admission_age),
    ("DOS-WORK-UNDERAGE", work_start_at_fifteen),
    ("DOS-PARTY-UNDERAGE", party_at_sixteen),
    ("DOS-DEGREE-AGE", bachelor_at_seventeen),
    ("DOS-STUDY-OVERLAP", full_time_master_in_post),
    ("DOS-EDU-MODE", in_service_shown_full_time),
    ("DOS-HISTORY-GAP", year_without_post),
    ("DOS-HISTORY-UNSUPPORTED", invented_post_on_form),
    ("DOS-LEVEL-TENURE", chief_after_a_year_as_deputy),
    ("DOS-REVIEW-PENDING", history_review_pending),
    ("DOS-ID-NUMBER", wrong_check_digit),
    ("DOS-ID-BIRTH", id_birth_two_years_later),
    ("DOS-CADRE-IDENTITY", status_before_work),
]


# --- compliant neighbours, one per rule ----------------------------------------------------------

def form_birth_lowered_but_corrected(d: Data) -> None:  # the register differs, the review resolved it
    recs(d)["birth_date"][1].update(value=date(1982, 5, 12), recorded=date(2005, 6, 1))


def system_differs_without_turning_the_verdict(d: Data) -> None:
    division(d)
    recs(d)["work_start_date"].append({"source": "information_system", "value": date(2012, 7, 1)})
    recs(d)["dossier_review"].append({"item": "work_start_date", "status": "resolved", "date": date(2021, 3, 25),
                                      "value": date(2002, 7, 1)})


def system_party_join_later_still_three_years(d: Data) -> None:
    county_party_post(d)
    recs(d)["party_join_date"].append({"source": "information_system", "value": date(2017, 3, 1)})
    recs(d)["dossier_review"].append({"item": "party_join_date", "status": "resolved", "date": date(2021, 3, 25),
                                      "value": date(2001, 6, 1)})


def system_birth_later_still_eighteen_at_admission(d: Data) -> None:
    recs(d)["birth_date"].append({"source": "information_system", "value": date(1983, 6, 1)})


def work_start_at_sixteen(d: Data) -> None:
    for v in recs(d)["work_start_date"]:
        v["value"] = date(1996, 6, 1)
    recs(d)["cadre_identity"]["acquired"] = date(2002, 7, 1)


def party_at_eighteen(d: Data) -> None:
    for v in recs(d)["party_join_date"]:
        v["value"] = date(1998, 5, 12)


def bachelor_at_nineteen(d: Data) -> None:
    recs(d)["education"] = [{"source": "dossier", "degree": "大学本科", "level": "bachelor", "end": date(1999, 6, 30),
                             "mode": "in_service"}]


def in_service_master_in_post(d: Data) -> None:
    recs(d)["education"].append({"source": "dossier", "degree": "硕士研究生", "level": "master",
                                 "start": date(2011, 9, 1), "end": date(2013, 6, 30), "mode": "in_service"})


def in_service_everywhere(d: Data) -> None:
    recs(d)["education"] += [
        {"source": "dossier", "degree": "硕士研究生", "level": "master", "mode": "in_service"},
        {"source": "appointment_form", "degree": "硕士研究生", "level": "master", "mode": "in_service"}]


def short_gap(d: Data) -> None:
    recs(d)["work_history"][1]["start"] = date(2010, 4, 1)


def form_history_matches(d: Data) -> None:
    recs(d)["work_history"].append({"source": "appointment_form", "start": date(2002, 7, 1), "end": date(2009, 12, 31),
                                    "organisation": "青石镇", "post": "乡镇财政所科员"})


def chief_after_two_years_as_deputy(d: Data) -> None:
    recs(d)["work_history"] = [
        {"source": "dossier", "start": date(2014, 2, 1), "end": date(2016, 2, 29), "organisation": "某县人民政府",
         "post": "副县长", "level": "division_deputy"},
        {"source": "dossier", "start": date(2016, 3, 1), "organisation": "某县人民政府", "post": "县长",
         "level": "division_chief"}]


def history_review_resolved(d: Data) -> None:
    recs(d)["dossier_review"].append({"item": "work_history", "status": "resolved", "date": date(2021, 3, 25)})


def right_check_digit(d: Data) -> None:
    cand(d)["id_number"] = id_number(cand(d)["birth_date"], 541)


def status_on_starting_work(d: Data) -> None:
    recs(d)["cadre_identity"] = {"how": "公务员录用", "acquired": date(2002, 7, 1)}


COMPLIANT: list[tuple[str, Callable[[Data], None]]] = [
    ("DOS-SOURCES-DIFFER", form_birth_lowered_but_corrected),
    ("DOS-VERDICT-BY-SOURCE", system_differs_without_turning_the_verdict),
    ("DOS-VERDICT-BY-SOURCE", system_party_join_later_still_three_years),
    ("DOS-VERDICT-BY-SOURCE", system_birth_later_still_eighteen_at_admission),
    ("DOS-WORK-UNDERAGE", work_start_at_sixteen),
    ("DOS-PARTY-UNDERAGE", party_at_eighteen),
    ("DOS-DEGREE-AGE", bachelor_at_nineteen),
    ("DOS-STUDY-OVERLAP", in_service_master_in_post),
    ("DOS-EDU-MODE", in_service_everywhere),
    ("DOS-HISTORY-GAP", short_gap),
    ("DOS-HISTORY-UNSUPPORTED", form_history_matches),
    ("DOS-LEVEL-TENURE", chief_after_two_years_as_deputy),
    ("DOS-REVIEW-PENDING", history_review_resolved),
    ("DOS-ID-NUMBER", right_check_digit),
    ("DOS-ID-BIRTH", right_check_digit),
    ("DOS-CADRE-IDENTITY", status_on_starting_work),
]


def findings(auditor, data: Data) -> list:
    result = auditor.audit_data(data, "test")
    assert result.status == "ok", result.errors
    return result.findings


def test_consistent_records_raise_nothing(case, auditor):
    assert findings(auditor, case) == []


@pytest.mark.parametrize("rule_id,mutate", VIOLATIONS, ids=[f"{r}-{m.__name__}" for r, m in VIOLATIONS])
def test_each_dossier_rule_finds_exactly_its_finding(rule_id, mutate, case, auditor):
    mutate(case)
    found = findings(auditor, case)
    assert {f.rule_id for f in found} == {rule_id}, [f.message["zh"] for f in found]


@pytest.mark.parametrize("rule_id,mutate", COMPLIANT, ids=[f"{r}-{m.__name__}" for r, m in COMPLIANT])
def test_each_dossier_rule_stays_silent_on_its_compliant_neighbour(rule_id, mutate, case, auditor):
    mutate(case)
    assert findings(auditor, case) == []


def test_every_dossier_rule_has_both_cases(rulebook):
    dossier = {r.id for r in rulebook.rules if r.id.startswith("DOS-")}
    assert {r for r, _ in VIOLATIONS} == dossier == {r for r, _ in COMPLIANT}


def test_a_difference_names_each_source_its_value_and_what_prevails(case, auditor):
    form_birth_lowered(case)
    (f,) = findings(auditor, case)
    assert f.severity == "violation"  # the case's own form differs
    for text in ("出生日期", "档案 1980-05-12（最早记载 1995-09-01）", "户籍 1980-05-12", "任免审批表 1982-05-12",
                 "相差 730 天", "以档案和户籍中最先记载的出生日期为准", "应以档案 1980-05-12 为准"):
        assert text in f.message["zh"], text
    assert "sourced:c1/birth_date" in f.evidence


def test_a_difference_outside_the_case_documents_is_a_warning_until_resolved(case, auditor):
    recs(case)["work_start_date"].append({"source": "information_system", "value": date(2001, 7, 1)})
    (f,) = findings(auditor, case)
    assert (f.rule_id, f.severity) == ("DOS-SOURCES-DIFFER", "warning")
    recs(case)["dossier_review"].append({"item": "work_start_date", "status": "resolved", "date": date(2021, 3, 25)})
    assert findings(auditor, case) == []


def test_the_earliest_record_prevails_and_the_qualification_rules_judge_it(case, auditor):
    """The dossier's work start (earliest, 2002) prevails over a later information-system value; with only
    the later value in the dossier, QUAL-WORKYEARS finds the shortfall on the prevailing value."""
    division(case)
    assert findings(auditor, case) == []
    for v in recs(case)["work_start_date"]:
        v["value"] = date(2017, 7, 1)  # the candidate's own field still says 2002
    recs(case)["cadre_identity"]["acquired"] = date(2017, 7, 1)
    assert {f.rule_id for f in findings(auditor, case)} == {"QUAL-WORKYEARS"}


def test_birth_date_prevails_by_earliest_record_across_dossier_and_register(case, auditor):
    from cadre_rules import validate_case
    from cadre_rules.facts import derive_facts
    recs(case)["birth_date"] = [{"source": "dossier", "value": date(1981, 5, 12), "recorded": date(1998, 9, 1)},
                                {"source": "household_register", "value": date(1980, 5, 12), "recorded": date(1986, 9, 1)}]
    (fact,) = [f for f in derive_facts(validate_case(case))["sourced"] if f["item"] == "birth_date"]
    assert (fact["prevailing"], fact["prevailing_source"]) == (date(1980, 5, 12), "户籍")
    recs(case)["dossier_review"] = [{"item": "birth_date", "status": "resolved", "date": date(2021, 3, 25),
                                     "value": date(1981, 5, 12)}]
    (fact,) = [f for f in derive_facts(validate_case(case))["sourced"] if f["item"] == "birth_date"]
    assert (fact["prevailing"], fact["prevailing_source"]) == (date(1981, 5, 12), "审核认定")


def test_a_turned_verdict_names_the_count_both_values_and_the_rule_it_would_turn(case, auditor):
    system_birth_later_turns_the_party_admission_age(case)
    (f,) = findings(auditor, case)
    assert f.evidence[0] == "turn:c1/party_admission_age" and f.severity == "warning"
    for text in ("按档案记载的出生日期（以档案和户籍中最先记载的出生日期为准）", "入党时年龄为 21 年，符合要求",
                 "按信息系统的记载只有 17 年，判断结论将相反", "信息系统 1983-09-01"):
        assert text in f.message["zh"], (text, f.message["zh"])
    # a birth date recorded six years later elsewhere turns both ages: at the work start and at admission
    recs(case)["birth_date"][-1]["value"] = date(1986, 9, 1)
    turned = {f.evidence[0]: f for f in findings(auditor, case)}
    assert set(turned) == {"turn:c1/party_admission_age", "turn:c1/work_start_age"}
    assert "参加工作时年龄为 22 年" in turned["turn:c1/work_start_age"].message["zh"]


def test_a_month_only_admission_that_leaves_the_age_undecided_is_unknown(case, auditor):
    """Party admission known to the month (2001-06) and a birth date of 1983-06-15 elsewhere: seventeen or
    eighteen at admission depending on the day, so the verdict is unknown and names the month."""
    del recs(case)["party_join_date"]
    cand(case)["party_join_date"] = "2001-06"
    recs(case)["birth_date"].append({"source": "information_system", "value": date(1983, 6, 15)})
    (f,) = findings(auditor, case)
    assert (f.rule_id, f.verdict) == ("DOS-VERDICT-BY-SOURCE", "unknown")
    assert f.reason.startswith("candidates[0].party_join_date: only the month is recorded (2001-06)")
    recs(case)["birth_date"][-1]["value"] = date(1983, 7, 1)  # seventeen on every day of June 2001
    assert [(f.rule_id, f.verdict) for f in findings(auditor, case)] == [("DOS-VERDICT-BY-SOURCE", "violated")]


def birth_to_the_month(d: Data) -> None:
    """The birth date as appointment forms give it (出生年月, 1980-05), with no sourced birth date."""
    cand(d)["birth_date"] = "1980-05"
    del recs(d)["birth_date"]
    cand(d)["id_number"] = id_number(date(1980, 5, 12), 541)


def test_a_birth_known_to_the_month_is_judged_on_every_day_of_it(case, auditor):
    """The candidate's birth known to the month only, beside dossier records of degrees and dates: the
    ages come out where every day of the month agrees, else unknown naming the birth field. (This case
    was an internal error, a comparison of a day with a month, and the identity number's day read as
    differing from the month: a false DOS-ID-BIRTH.)"""
    birth_to_the_month(case)
    assert findings(auditor, case) == []
    cand(case)["id_number"] = id_number(date(1980, 6, 12), 541)
    assert [(f.rule_id, f.verdict) for f in findings(auditor, case)] == [("DOS-ID-BIRTH", "violated")]
    cand(case)["id_number"] = id_number(date(1980, 5, 31), 541)
    # born on any day of May 1980: eighteen on 1999-04-30, eighteen or nineteen on 1999-05-20, nineteen on
    # 1999-06-01 (a bachelor's degree at nineteen at the earliest)
    for end, verdict in ((date(1999, 4, 30), "violated"), (date(1999, 5, 20), "unknown"), (date(1999, 6, 1), None)):
        recs(case)["education"] = [{"source": "dossier", "degree": "大学本科", "level": "bachelor", "end": end,
                                    "mode": "in_service"}]
        found = findings(auditor, case)
        assert [(f.rule_id, f.verdict) for f in found] == ([("DOS-DEGREE-AGE", verdict)] if verdict else []), end
        if verdict == "unknown":
            assert found[0].reason == ("candidates[0].birth_date: only the month is recorded (1980-05); the day decides "
                                       "the age on 1999-05-20")


def test_a_work_start_known_to_the_month_leaves_the_cadre_status_check_open(case, auditor):
    """Cadre status acquired on 2002-07-01 and work started in July 2002 (the month only): whether the
    status came first depends on the day, so the check is unknown, not an internal error."""
    cand(case)["work_start_date"] = "2002-07"
    del recs(case)["work_start_date"]
    (f,) = findings(auditor, case)
    assert (f.rule_id, f.verdict) == ("DOS-CADRE-IDENTITY", "unknown")
    assert f.reason == "candidates[0].work_start_date: only the month is recorded (2002-07)"


@pytest.mark.parametrize("acquired, verdict", [
    (date(2002, 6, 30), "violated"),  # before every day of July 2002
    (date(2002, 7, 1), "unknown"),    # the day of July decides
    (date(2002, 7, 15), "unknown"),
    (date(2002, 7, 31), None),        # not before any day of it
    (date(2002, 8, 1), None),
])
def test_a_work_start_known_to_the_month_is_compared_on_every_day_of_it(case, auditor, acquired, verdict):
    """A work start known to the month only was unknown whatever the other date: cadre status acquired
    in June against work started in July 2002 is before it on every day of July (violated, the message
    naming the month), and acquired in August never is (no finding); only a date inside the month is
    left to the day."""
    cand(case)["work_start_date"] = "2002-07"
    del recs(case)["work_start_date"]
    recs(case)["cadre_identity"]["acquired"] = acquired
    found = findings(auditor, case)
    assert [(f.rule_id, f.verdict) for f in found] == ([("DOS-CADRE-IDENTITY", verdict)] if verdict else [])
    if verdict == "violated":
        assert found[0].message["zh"].endswith(f"取得于 {acquired.isoformat()}，早于认定的参加工作时间 2002-07")


@pytest.mark.parametrize("number,problem", [
    ("11010519491231002X", None), ("110105194912310021", "check_digit"), ("11010519491331002X", "date"),
    ("1101051949123100", "format"), ("110105491231002", None)])
def test_gb11643_check(number, problem):
    assert id_number_problem(number)[0] == problem


def test_old_case_files_without_records_are_judged_as_before(baseline, auditor):
    assert "records" not in cand(baseline) and findings(auditor, baseline) == []


def test_redact_masks_the_values_and_names(tmp_path):
    from pathlib import Path
    example = Path(__file__).resolve().parents[2] / "examples" / "cases" / "63-违规-任免审批表改小年龄.yaml"
    out = CliRunner().invoke(main, ["audit", str(example), "--redact", "--format", "json"])
    assert "DOS-SOURCES-DIFFER" in out.output
    for secret in ("1980-05-12", "1982-05-12", "1995-09-01", "马俊杰"):
        assert secret not in out.output, secret
    plain = CliRunner().invoke(main, ["audit", str(example), "--format", "json"]).output
    assert "1982-05-12" in plain


_DAY = st.integers(min_value=0, max_value=364)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(birth_year=st.integers(1962, 1985), birth_day=_DAY, work_after=st.integers(18, 30), work_day=_DAY,
       party_after=st.integers(18, 34), party_day=_DAY, sources=st.lists(
           st.sampled_from(["household_register", "appointment_form", "publicity", "inspection_report",
                            "information_system"]), unique=True, max_size=5),
       segments=st.lists(st.integers(200, 3000), min_size=1, max_size=5))
def test_a_consistent_record_never_raises_a_dossier_finding(_baseline_data, auditor, birth_year, birth_day, work_after,
                                                           work_day, party_after, party_day, sources, segments):
    """All sources equal, plausible ages, an unbroken history: no DOS-* finding (other rules may judge
    the new dates as they like)."""
    data = copy.deepcopy(_baseline_data)
    c = cand(data)
    decided = date(2021, 4, 16)
    birth = date(birth_year, 1, 1) + timedelta(days=birth_day)
    work = min(anniversary(birth, work_after) + timedelta(days=work_day), decided - timedelta(days=400))
    party = min(anniversary(birth, party_after) + timedelta(days=party_day), decided - timedelta(days=30))
    history, start = [], work
    for n, length in enumerate(segments):
        end = start + timedelta(days=length)
        if end >= decided or n == len(segments) - 1:
            history.append({"source": "dossier", "start": start, "organisation": f"单位{n}", "post": f"职务{n}"})
            break
        history.append({"source": "dossier", "start": start, "end": end, "organisation": f"单位{n}", "post": f"职务{n}"})
        start = end + timedelta(days=1)
    c.update(birth_date=birth, work_start_date=work, party_join_date=party,
             id_number=id_number(birth, birth_day))
    c["records"] = {
        "birth_date": [{"source": "dossier", "value": birth}] + [{"source": s, "value": birth} for s in sources],
        "work_start_date": [{"source": "dossier", "value": work}] + [{"source": s, "value": work} for s in sources],
        "party_join_date": [{"source": "dossier", "value": party}] + [{"source": s, "value": party} for s in sources],
        "education": [{"source": s, "degree": "大学本科", "level": "bachelor", "start": anniversary(birth, 18),
                       "end": anniversary(birth, 22) - timedelta(days=1), "mode": "in_service"}
                      for s in ["dossier", *sources]],
        "work_history": history,
        "cadre_identity": {"how": "公务员录用", "acquired": work},
        "dossier_review": [{"item": "birth_date", "status": "resolved", "date": date(2021, 3, 25)}],
    }
    result = auditor.audit_data(data, "prop")
    assert result.status == "ok", result.errors
    assert [f.message["zh"] for f in result.findings if f.rule_id.startswith("DOS-")] == []
