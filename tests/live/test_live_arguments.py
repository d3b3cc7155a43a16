"""What an embedding system hands the live API that is not an event or not a date gets a typed error
naming the field (`cadre_rules.LiveInputError`, a `CadreRulesError` and a `ValueError`), raised before
anything is judged or recorded — never a bare KeyError, TypeError or a comparison error from deep
inside. Found by a review playing a case-management system: a missing `on` raised KeyError('on'), an
event given as a list raised "sequence item 0: expected str instance, int found", a date such as
2021-02-30 raised "day is out of range for month" naming neither the field nor the event, a
`datetime` passed the type check and then failed comparing with the case's dates, and
`LiveCase.open(record, "2021-03-02")` raised "'<=' not supported between 'datetime.date' and 'str'"
while `open(record, None)` opened a case that no event could ever be submitted to."""
from __future__ import annotations

from datetime import date, datetime

import pytest

import cadre_rules as cr
from cadre_rules import Journal, LiveCase, validate_case
from cadre_rules.live.derive import events_from_case


@pytest.fixture
def opened(rulebook, baseline):
    init, on, events = events_from_case(validate_case(baseline))
    journal = Journal(":memory:")
    return LiveCase.open(init, on, rulebook, journal=journal), events[0].to_dict(), journal


@pytest.mark.parametrize("change, field, text", [
    ({"on": "2021-02-30"}, "on", "2021-02-30"),
    ({"on": "soon"}, "on", "soon"),
    ({"on": 20210305}, "on", "int"),
    ({"on": None}, "on", "NoneType"),
    ({"on": datetime(2021, 3, 5, 8, 30)}, "on", "datetime"),
    ({"id": 5}, "id", "non-empty string id"),
    ({"kind": ["motion"]}, "kind", "unknown event kind"),
    ({"data": [1]}, "data", "data must be a mapping"),
    ({"extra": 1}, "extra", "unknown event fields"),
    ({"on": ...}, "on", "required"),
    ({"id": ...}, "id", "required"),
    ({"kind": ...}, "kind", "required"),
])
def test_a_malformed_event_raises_a_typed_error_naming_its_field(opened, change, field, text):
    live, first, journal = opened
    event = {k: v for k, v in {**first, **change}.items() if v is not ...}
    head = journal.head()
    for call in (live.preview, live.submit):
        with pytest.raises(cr.LiveInputError) as caught:
            call(event)
        assert isinstance(caught.value, cr.CadreRulesError) and isinstance(caught.value, ValueError)
        assert caught.value.field == field and text in str(caught.value), str(caught.value)
    assert journal.head() == head and live.log == []  # nothing recorded


@pytest.mark.parametrize("event", [[1, 2], None, "motion"])
def test_an_event_that_is_not_a_mapping_raises_a_typed_error(opened, event):
    live, _, _ = opened
    with pytest.raises(cr.LiveInputError, match="an event must be an Event or a mapping") as caught:
        live.submit(event)
    assert caught.value.field == ""


def test_an_event_built_with_a_bad_date_names_the_event_and_the_field():
    with pytest.raises(cr.LiveInputError) as caught:
        cr.Event("e7", "review", "2021-13-01")
    assert caught.value.field == "on" and caught.value.event_id == "e7" and "e7" in str(caught.value)
    # a datetime at midnight is a date; with a time of day it is refused, as the case model refuses it
    assert cr.Event("e8", "review", datetime(2021, 3, 5)).on == date(2021, 3, 5)
    assert type(cr.Event("e8", "review", datetime(2021, 3, 5)).on) is date


@pytest.mark.parametrize("on, text", [("2021-02-30", "2021-02-30"), (None, "NoneType"),
                                      (datetime(2021, 3, 2, 9), "datetime"), (20210302, "int")])
def test_opening_on_something_that_is_not_a_date_raises_a_typed_error(rulebook, baseline, on, text):
    init, _, _ = events_from_case(validate_case(baseline))
    journal = Journal(":memory:")
    with pytest.raises(cr.LiveInputError) as caught:
        LiveCase.open(init, on, rulebook, journal=journal)
    assert caught.value.field == "on" and text in str(caught.value)
    assert journal.head() is None


def test_opening_on_an_iso_text_is_opening_on_that_date(rulebook, baseline):
    """As an event's `on` may be an ISO text, so may the opening date."""
    init, on, _ = events_from_case(validate_case(baseline))
    live = LiveCase.open(init, on.isoformat(), rulebook)
    assert live.last_on == on and live.case.as_of == on


@pytest.mark.parametrize("record", [[1], None, "x"])
def test_opening_a_record_that_is_not_a_mapping_is_a_case_validation_error(rulebook, record):
    with pytest.raises(cr.CaseValidationError, match="a case must be a mapping"):
        LiveCase.open(record, date(2021, 3, 2), rulebook)


@pytest.mark.parametrize("stage", ["nowhere", ["motion"]])
def test_opening_at_an_unknown_stage_raises_a_typed_error(rulebook, baseline, stage):
    init, on, _ = events_from_case(validate_case(baseline))
    with pytest.raises(cr.LiveInputError, match="unknown stage") as caught:
        LiveCase.open(init, on, rulebook, stage=stage)
    assert caught.value.field == "stage"


@pytest.mark.parametrize("data, path, text", [
    ({"note": 2 ** 60}, "data.note", "2^53"),
    ({"agenda": [{"note": float("nan")}]}, "data.agenda[0].note", "nan"),
    ({"x": float("inf")}, "data.x", "inf"),
    ({"x": "\ud800"}, "data.x", "surrogate"),
])
def test_event_data_a_journal_cannot_hold_is_refused_naming_the_value(rulebook, baseline, data, path, text):
    """Found by review: such data raised JournalError("entry content cannot be journaled: …"), naming
    no field and looking like a storage failure (the service answered 500), and only with a journal:
    without one the same event was judged. Now it is a LiveInputError naming the value, journal or not."""
    init, on, _ = events_from_case(validate_case(baseline))
    for journal in (Journal(":memory:"), None):
        live = LiveCase.open(init, on, rulebook, journal=journal)
        with pytest.raises(cr.LiveInputError) as caught:
            live.submit({"id": "e1", "kind": "review", "on": on.isoformat(), "data": data})
        assert caught.value.field == path and text in str(caught.value) and caught.value.event_id == "e1"
        assert live.log == []


def test_an_opening_record_a_journal_cannot_hold_is_a_case_validation_error(rulebook, baseline):
    init, on, _ = events_from_case(validate_case(baseline))
    record = {**init, "post": {**init["post"], "quota": 2 ** 60}}
    for journal in (Journal(":memory:"), None):
        with pytest.raises(cr.CaseValidationError) as caught:
            LiveCase.open(record, on, rulebook, journal=journal)
        assert caught.value.paths == ["post.quota"] and "2^53" in str(caught.value)
        if journal is not None:
            assert journal.head() is None


@pytest.mark.parametrize("text", ["2021-W10-1", "20210305", "2021-065"])
def test_only_a_calendar_date_yyyy_mm_dd_is_a_date(rulebook, baseline, text):
    """Found by review: Python 3.11's date.fromisoformat also reads week and compact dates, so `on:
    "2021-W10-1"` was taken for 8 March (and the service, which documents YYYY-MM-DD, took it too,
    being ten characters long). The case model reads YYYY-MM-DD only; so do events now."""
    init, on, _ = events_from_case(validate_case(baseline))
    with pytest.raises(cr.LiveInputError, match="YYYY-MM-DD") as caught:
        cr.Event("e1", "review", text)
    assert caught.value.field == "on"
    with pytest.raises(cr.LiveInputError, match="YYYY-MM-DD"):
        LiveCase.open(init, text, rulebook)


def test_a_resubmission_after_a_restart_is_the_same_event_whatever_its_number_spelling(rulebook, baseline, tmp_path):
    """docs/live.md: re-submitting an event id returns the first result, also after a restart. Found by
    review: data with a whole number written as a float (`8.0`, as a Java double or BigDecimal field
    serialises it) was journaled in canonical form (`8`), so after `resume` the same event no longer
    matched its recorded fingerprint and raised EventConflict (the service: 409)."""
    init, on, _ = events_from_case(validate_case(baseline))
    path = tmp_path / "live.journal"
    live = LiveCase.open(init, on, rulebook, journal=Journal(path))
    event = {"id": "e1", "kind": "review", "on": on.isoformat(), "data": {"x": 1.0, "y": [2.0, 2.5]}}
    first = live.submit(event)
    resumed = LiveCase.resume(Journal(path), init["id"], rulebook)
    again = resumed.submit(event)
    assert (again.seq, again.hash) == (first.seq, first.hash)
    assert again.to_dict() == first.to_dict()  # the same answer before and after the restart
    # a float such as 1e20 is journaled as 100000000000000000000 and read back as an integer beyond
    # 2^53: an Event is still made of it (a resume must not stop); only submitting such a value is refused
    assert cr.Event("old", "review", on, {"x": 10 ** 20}).data == {"x": 10 ** 20}


class _Text(str):
    pass


class _Count(int):
    pass


@pytest.mark.parametrize("value, found", [
    ({"a": [1, 2.5, "字", None, True, {"b": -(2 ** 53 - 1)}]}, []),
    ({"a": [{"b": 2 ** 53}]}, ["a[0].b"]),
    ({"a": -(2 ** 53)}, ["a"]),
    ({"a": [float("inf")]}, ["a[0]"]),
    ({"a": float("-inf")}, ["a"]),
    ({"a": ("ok", "\udc00")}, ["a[1]"]),
    ({"\ud800": 1}, [""]),  # a member name
    ({"a": _Text("\ud800")}, ["a"]),  # a str subclass (an enum's value) is looked at whole
    ({"a": _Count(2 ** 60)}, ["a"]),
    ({5: "five"}, []),  # a key that is no string is written as one
])
def test_the_quick_test_of_journalable_values_never_passes_one_the_full_walk_refuses(value, found):
    """canonical.unjournalable answers at once when its quick walk (type tests, one encoding of every
    string) finds nothing; anything else goes to the walk that names the path. The two must agree."""
    from cadre_rules.live.canonical import journalable, unjournalable

    assert [path for path, _ in unjournalable(value)] == found
    if found:  # the quick test must never let a refused value through
        assert not journalable(value)
    elif all(type(k) is str for k in value):  # plain JSON: answered by the quick test alone
        assert journalable(value)
