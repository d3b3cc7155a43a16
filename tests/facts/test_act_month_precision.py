"""Acts of the procedure dated to the month only (`2009-05`, as 全程纪实 spreadsheets often give them):
every fact depending on such a date is decided for every day of the month (then judged) or unknown
(rule verdict 「无法判断」 with the reason), never guessed; an edition or the rule itself starting within
the month makes the rule unknown.

Property (as for people's dates, tests/facts/test_month_precision.py): for every day of the month, each
finding on the full date equals the finding on the month, or the month's finding is `unknown`; and a
finding on some day is never missing on the month.
"""
from __future__ import annotations

import calendar
import copy
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cadre_rules as cr
from cadre_rules.errors import CaseValidationError
from cadre_rules.facts import Unknown, derive_facts
from cadre_rules.facts.months import ACT_DATE_FIELDS
from cadre_rules.model import MonthDate
from cadre_rules.reading.yamlmarks import safe_load

ROOT = Path(__file__).resolve().parents[2]
AUDITOR = cr.Auditor()


def example(prefix: str) -> dict:
    path = next((ROOT / "examples" / "cases").glob(f"{prefix}-*.yaml"))
    return safe_load(path.read_text(encoding="utf-8"))


def act_dates(data: dict) -> list[tuple[str, int | None, str]]:
    """(field, index, attribute) of every act date the case records."""
    out = []
    for name, is_list, attrs in ACT_DATE_FIELDS:
        value = data.get(name)
        records = list(enumerate(value or [])) if is_list else ([(None, value)] if value else [])
        for index, record in records:
            out += [(name, index, attr) for attr in attrs if record.get(attr) is not None]
    return out


def set_date(data: dict, where: tuple[str, int | None, str], value: str) -> dict:
    data = copy.deepcopy(data)
    name, index, attr = where
    (data[name] if index is None else data[name][index])[attr] = value
    return data


def findings(data: dict) -> dict[tuple[str, tuple[str, ...]], str] | None:
    """(rule, evidence) → verdict; None when these dates make the case impossible (refused by the reader)."""
    try:
        case = cr.validate_case(data)
    except CaseValidationError:
        return None
    return {(f.rule_id, tuple(f.evidence)): f.verdict for f in AUDITOR.findings(case)}


def check_month(data: dict, where: tuple[str, int | None, str]) -> dict:
    name, index, attr = where
    record = data[name] if index is None else data[name][index]
    day = record[attr] if isinstance(record[attr], date) else date.fromisoformat(str(record[attr]))
    on_month = findings(set_date(data, where, f"{day.year:04d}-{day.month:02d}"))
    assert on_month is not None, "a month that contains the recorded day is always possible"
    for d in range(1, calendar.monthrange(day.year, day.month)[1] + 1):
        on_day = findings(set_date(data, where, date(day.year, day.month, d).isoformat()))
        if on_day is None:
            continue  # e.g. a notice before its decision: that day is not possible for this case
        for key in set(on_month) | set(on_day):
            assert on_month.get(key) == "unknown" or on_month.get(key) == on_day.get(key), (
                f"{name}[{index}].{attr} on day {d}: {key} is {on_day.get(key)} on the day, {on_month.get(key)} on the month")
    return on_month


# compliant, publicity too short (working days), quorum, unfinished inspection, filing late, appointment
# during the publicity, a 2005 case under the 2002 text, a rule in force for days inside a month (47), a
# discipline period counted in full months (32)
PREFIXES = ["01", "05", "09", "13", "20", "21", "22", "32", "47"]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), pick=st.integers(min_value=0, max_value=40))
def test_every_day_of_the_month_agrees_with_the_month_or_the_month_is_unknown(prefix, pick):
    data = example(prefix)
    places = act_dates(data)
    check_month(data, places[pick % len(places)])


def test_a_month_that_can_change_a_verdict_is_unknown_with_the_reason_and_one_that_cannot_is_judged():
    data = example("20")  # the publicity over the National Day holiday: fewer than five working days
    recorded = findings(data)
    assert "violated" in recorded.values()
    where = ("publicity", 0, "end")
    month = check_month(data, where)
    unknown = [f for f in AUDITOR.findings(cr.validate_case(set_date(data, where, _month_of(data, where))))
               if f.verdict == "unknown"]
    assert unknown and "unknown" in month.values()
    assert all(f.reason.startswith(f"publicity[0].end: only the month is recorded ({_month_of(data, where)})")
               for f in unknown)
    # The motion dated 2024-08: the analysis (2024-07-31) surely came before it, so MOT-ANALYSIS is judged
    # (compliant, no finding) as on the recorded day; the report to the principal leader (2024-08-06) may
    # have come before or after it, so MOT-INITIATION cannot be judged and says why.
    on_month = check_month(data, ("motion", None, "date"))
    assert {k: v for k, v in on_month.items() if v != "unknown"} == recorded
    assert [k[0] for k, v in on_month.items() if v == "unknown"] == ["MOT-INITIATION"]
    (initiation,) = [f for f in AUDITOR.findings(cr.validate_case(set_date(data, ("motion", None, "date"), "2024-08")))
                     if f.rule_id == "MOT-INITIATION"]
    assert initiation.reason.startswith("motion.date: only the month is recorded (2024-08)")
    assert initiation.message["zh"].startswith("无法判断「")


def test_acts_dated_to_a_month_inside_one_edition_are_judged_by_it():
    """A 2005 case: the 2002 text governs the whole month of its motion and recommendation, so their
    months change nothing (its violation stays a violation, judged by the 2002 text)."""
    data = example("05")
    recorded = findings(data)
    assert "violated" in recorded.values()
    for where in act_dates(data):
        month = _month_of(data, where)
        found = AUDITOR.findings(cr.validate_case(set_date(data, where, month)))
        # what the month leaves decided is as on the recorded day, and judged by the 2002 text
        assert {(f.rule_id, tuple(f.evidence)): f.verdict for f in found if f.verdict != "unknown"} == {
            k: v for k, v in recorded.items() if k in {(f.rule_id, tuple(f.evidence)) for f in found if f.verdict != "unknown"}}
        assert all(f.edition == "2002" for f in found), where
        # the publicity's shortfall does not depend on the motion's or the recommendation's day
        if where[0] in ("motion", "recommendations"):
            assert "violated" in {f.verdict for f in found}


def _month_of(data: dict, where: tuple[str, int | None, str]) -> str:
    name, index, attr = where
    record = data[name] if index is None else data[name][index]
    return str(record[attr])[:7]


def test_an_edition_starting_within_the_month_leaves_the_rule_unknown_with_the_reason():
    """DEC-LAST-SPEAKER applies from the 2019 text (2019-03-03): a meeting dated 2019-03 cannot be judged by it."""
    data = example("16")
    data = set_date(data, ("meetings", 0, "date"), "2019-03-20")
    for key in ("publicity", "appointments", "filings"):
        for record in data.get(key, []):
            for attr in ("start", "end", "date"):
                if record.get(attr):
                    record[attr] = "2019-04-" + str(record[attr])[8:10]
    on_day = {f.rule_id: f for f in AUDITOR.findings(cr.validate_case(data))}
    assert on_day["DEC-LAST-SPEAKER"].verdict == "violated"
    month = {f.rule_id: f for f in AUDITOR.findings(cr.validate_case(set_date(data, ("meetings", 0, "date"), "2019-03")))}
    f = month["DEC-LAST-SPEAKER"]
    assert f.verdict == "unknown" and f.act_date == "2019-03"
    assert f.reason.startswith("meetings[0].date: only the month is recorded (2019-03)")
    assert "2019-03-03" in f.reason and "无法判断" in f.message["zh"]


def test_month_only_act_dates_read_and_write_as_yyyy_mm():
    data = set_date(example("01"), ("meetings", 0, "date"), "2021-04")
    case = cr.validate_case(data)
    assert case.meetings[0].date == MonthDate(2021, 4) and str(case.meetings[0].date) == "2021-04"
    assert case.model_dump(mode="json")["meetings"][0]["date"] == "2021-04"
    again = cr.validate_case_json(case.model_dump_json())
    assert type(again.meetings[0].date) is MonthDate
    facts = derive_facts(case)
    item = facts["item"][0]
    assert isinstance(item["date"], Unknown) and item["date"].days == (date(2021, 4, 1), date(2021, 4, 30))
    # the reader still refuses what no day of the month makes possible
    with pytest.raises(CaseValidationError, match="appointments"):
        cr.validate_case(set_date(data, ("appointments", 0, "date"), "2021-03"))


def test_both_engines_agree_on_month_only_acts(rulebook):
    from cadre_rules.engine.durable import DurableEvaluator
    from cadre_rules.engine.python import PythonEvaluator

    args = (list(rulebook.rules), rulebook.editions, rulebook.stages.order)
    py, du = PythonEvaluator(*args), DurableEvaluator(*args)
    for prefix, where in (("13", ("meetings", 0, "date")), ("20", ("publicity", 0, "end"))):
        data = example(prefix)
        facts = derive_facts(cr.validate_case(set_date(data, where, _month_of(data, where))))
        assert [f.to_dict() for f in py.evaluate(facts)] == [f.to_dict() for f in du.evaluate(facts)]


def test_two_acts_dated_to_the_same_month_are_never_judged_on_a_guessed_order():
    """Example 21 (the appointment notice issued while its publicity was still running): publicity and
    notice both dated to their month. On every pair of days (every third day, for time) each finding
    equals the month's, or the month's is unknown."""
    data = example("21")
    pub, notice = ("publicity", 0, "end"), ("appointments", 0, "date")
    months = {where: _month_of(data, where) for where in (pub, notice)}
    both = set_date(set_date(data, pub, months[pub]), notice, months[notice])
    on_month = findings(both)
    assert on_month is not None and "unknown" in on_month.values()
    for where in (pub, notice):
        year, month = map(int, months[where].split("-"))
        assert calendar.monthrange(year, month)[1] >= 28
    y1, m1 = map(int, months[pub].split("-"))
    y2, m2 = map(int, months[notice].split("-"))
    for d1 in range(1, calendar.monthrange(y1, m1)[1] + 1, 3):
        for d2 in range(1, calendar.monthrange(y2, m2)[1] + 1, 3):
            on_days = findings(set_date(set_date(data, pub, date(y1, m1, d1).isoformat()), notice,
                                        date(y2, m2, d2).isoformat()))
            if on_days is None:
                continue
            for key in set(on_month) | set(on_days):
                assert on_month.get(key) == "unknown" or on_month.get(key) == on_days.get(key), (d1, d2, key)


def test_a_month_wholly_before_the_earliest_edition_is_out_of_scope_and_listed_by_its_month():
    import json

    from cadre_rules.testing.baseline import baseline_data

    data = json.loads(json.dumps(baseline_data(), ensure_ascii=False, default=str).replace("2021-", "2001-"))
    data["meetings"][0]["date"] = "2001-04"
    result = AUDITOR.audit_data(data, "old.json")
    assert result.findings == []
    scoped = {entry["path"]: entry["act_date"] for entry in result.out_of_scope}
    assert scoped["meetings[0].agenda[0]"] == "2001-04" and scoped["motion"] == "2001-03-02"


# Every act date of these examples cut to its month and compared with every day of it: three by default
# (~3 s); CADRE_RULES_MONTH_EXAMPLES=all for the 78 (~3 min), or a comma-separated list of prefixes.
_EXHAUSTIVE = os.environ.get("CADRE_RULES_MONTH_EXAMPLES", "20,32,47")


@pytest.mark.parametrize("prefix", sorted(p.name[:2] for p in (ROOT / "examples" / "cases").glob("*.yaml"))
                         if _EXHAUSTIVE == "all" else _EXHAUSTIVE.split(","))
def test_every_act_date_of_an_example_agrees_with_its_month_on_every_day(prefix):
    """The property above, exhaustively: a sampled run missed a rule in force for days inside a month
    (example 47), which this found."""
    data = example(prefix)
    for where in act_dates(data):
        check_month(data, where)


def test_a_rule_in_force_only_for_days_inside_the_month_is_unknown_not_silent():
    """GEN-VERSION applies from 2019-03-03 to 2019-03-16 only: a meeting dated 2019-03 was judged on the
    month's first and last day alone, where the rule applies on neither, so it said nothing although on
    3–16 March it flags the meeting. It is now `unknown`, naming the days the rule starts and ends."""
    data = example("47")
    assert [k[0] for k in findings(data)] == ["GEN-VERSION"]
    month = check_month(data, ("meetings", 0, "date"))  # every day agrees with the month, or it is unknown
    assert month[("GEN-VERSION", ("item:mt1/a1",))] == "unknown"
    (f,) = [f for f in AUDITOR.findings(cr.validate_case(set_date(data, ("meetings", 0, "date"), "2019-03")))
            if f.rule_id == "GEN-VERSION"]
    assert f.reason.startswith("meetings[0].date: only the month is recorded (2019-03)")
    assert "2019-03-03" in f.reason and "2019-03-17" in f.reason


@pytest.mark.parametrize("prefix, where, rule, before", [
    ("07", ("filings", 0, "date"), "RPT-FILING", None),   # filed within the limit on every day of the month
    ("32", ("meetings", 0, "date"), "DISQ-DISCIPLINE-PERIOD", "violated"),  # inside the period on every day
])
def test_a_count_every_day_of_the_month_decides_alike_is_judged(prefix, where, rule, before):
    """A count that depends on a month-only date (working days to the filing, full months of a discipline
    period) was `unknown` whenever the days gave different numbers, though every one of them decides the
    rule alike; it is now the range of those numbers, and the rule judges it as on the recorded day."""
    data = example(prefix)
    month = check_month(data, where)
    assert {k[0]: v for k, v in month.items()}.get(rule) == before
    assert "unknown" not in {v for k, v in month.items() if k[0] == rule}
