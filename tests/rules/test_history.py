"""The historical record: each rule whose history changed is judged on both sides of each edition
boundary, with a violating and a compliant case on each side."""
from __future__ import annotations

from datetime import date

import pytest

import cadre_rules as cr
from cadre_rules.testing.builder import CaseBuilder


def violated(builder: CaseBuilder, rulebook) -> dict[str, str]:
    """Rule id → governing edition id of every violated finding."""
    return {f.rule_id: f.edition for f in cr.audit(builder.case, rulebook) if f.verdict == "violated"}


# --- REC-REQUIRED: both forms (meeting and individual talks) under the 2002 and 2014 texts ------------------

@pytest.mark.parametrize("meeting_day, edition, both_required", [
    (date(2014, 1, 13), "2002", True),   # last day of the 2002 text
    (date(2014, 1, 14), "2014", True),   # first day of the 2014 text
    (date(2019, 3, 2), "2014", True),    # last day of the 2014 text
    (date(2019, 3, 3), "2019", False),   # first day of the 2019 text
])
def test_recommendation_needs_both_forms_until_the_2019_text(rulebook, meeting_day, edition, both_required):
    meeting_only = CaseBuilder()
    meeting_only.set_meeting_date(meeting_day)
    meeting_only.without_individual_talks()
    found = violated(meeting_only, rulebook)
    if both_required:
        assert found.get("REC-REQUIRED") == edition
    else:
        assert "REC-REQUIRED" not in found

    talks_only = CaseBuilder()
    talks_only.set_meeting_date(meeting_day)
    talks_only.only_talk_recommendation()
    assert ("REC-REQUIRED" in violated(talks_only, rulebook)) == both_required

    both = CaseBuilder()  # the baseline holds individual talks at its recommendation meeting
    both.set_meeting_date(meeting_day)
    assert "REC-REQUIRED" not in violated(both, rulebook)


def test_no_recommendation_at_all_is_a_violation_under_every_edition(rulebook):
    for day, edition in ((date(2003, 5, 6), "2002"), (date(2016, 5, 10), "2014"), (date(2021, 4, 16), "2019")):
        builder = CaseBuilder()
        builder.set_meeting_date(day)
        builder.no_recommendation()
        assert violated(builder, rulebook).get("REC-REQUIRED") == edition


# --- REC-CANVASSING: canvassing established in the case voids the recommendation it touched ----------------

@pytest.mark.parametrize("meeting_day, edition", [
    (date(2014, 1, 13), "2001-canvassing-notice"),  # the 2002 text says nothing; the 2001 notice does
    (date(2014, 1, 14), "2014"),                    # 2014 Art 61(6)
])
def test_canvassing_for_the_candidate_voids_the_recommendation(rulebook, meeting_day, edition):
    for source, after in (("petition", False), ("inspection", False), ("discipline", True)):
        builder = CaseBuilder()
        builder.set_meeting_date(meeting_day)
        builder.add_canvassing(source, after_decision=after)
        assert violated(builder, rulebook) == {"REC-CANVASSING": edition}
    other = CaseBuilder()
    other.set_meeting_date(meeting_day)
    other.add_canvassing("petition", for_other=True)
    assert "REC-CANVASSING" not in violated(other, rulebook)


def test_a_canvassing_finding_must_name_a_known_candidate_and_round(baseline):
    from cadre_rules import CaseValidationError, validate_case

    baseline["canvassing_findings"] = [{"id": "lp1", "candidate": "c9", "recommendation": "r7", "date": "2021-04-01",
                                        "source": "petition"}]
    with pytest.raises(CaseValidationError) as info:
        validate_case(baseline)
    text = str(info.value)
    assert 'canvassing_findings[0].candidate: unknown candidate "c9"' in text
    assert 'canvassing_findings[0].recommendation: unknown recommendation round "r7"' in text


# --- APT-PROBATION: the 2001 interim provisions until 2014-01-13, the 2014 text from 2014-01-14 ------------

def _probation_case(notice: date, probation: bool, assessed: bool) -> CaseBuilder:
    """A promotion to a probationary post whose appointment notice is dated `notice` (the rule's act)."""
    from datetime import timedelta

    builder = CaseBuilder()
    builder.update_post(probation=True)
    builder.set_meeting_date(notice - timedelta(days=30))
    builder.set_meeting_date(builder.meeting_date + (notice - builder.case.appointments[0].date))
    assert builder.case.appointments[0].date == notice
    if probation:
        end = date(notice.year + 1, notice.month, notice.day)
        builder.set_probation(notice, end)
        if assessed:
            builder.probation_assessed(end + timedelta(days=10))
        else:
            builder.set_open(end + timedelta(days=40))  # the record runs past the end: the assessment is missing
    return builder


@pytest.mark.parametrize("notice, edition, assessment_required", [
    (date(2004, 6, 1), "2001-probation", False),
    (date(2014, 1, 13), "2001-probation", False),  # last day the 2001 provisions are cited
    (date(2014, 1, 14), "2014", True),             # first day of the 2014 text
])
def test_probation_history(rulebook, notice, edition, assessment_required):
    assert violated(_probation_case(notice, probation=False, assessed=False), rulebook).get("APT-PROBATION") == edition
    assert "APT-PROBATION" not in violated(_probation_case(notice, probation=True, assessed=True), rulebook)
    unassessed = violated(_probation_case(notice, probation=True, assessed=False), rulebook)
    assert ("APT-PROBATION" in unassessed) == assessment_required
