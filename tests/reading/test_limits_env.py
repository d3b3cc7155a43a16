"""The limits in force follow the environment: kept while the CADRE_RULES_MAX_* variables stay as
they are (a reading asks for them; a batch once, at its start), read again as soon as one changes or
disappears."""
from __future__ import annotations

import pytest

from cadre_rules.errors import CaseInputError
from cadre_rules.reading.limits import InputLimits, current_limits


def test_a_changed_variable_is_read_at_the_next_case(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("CADRE_RULES_MAX_DEPTH", "CADRE_RULES_MAX_INT_DIGITS", "CADRE_RULES_MAX_STRING",
                "CADRE_RULES_MAX_CASE_BYTES"):
        monkeypatch.delenv(var, raising=False)
    assert current_limits() == InputLimits()
    assert current_limits() is current_limits()  # kept while nothing changed
    monkeypatch.setenv("CADRE_RULES_MAX_DEPTH", "9")
    assert current_limits().max_depth == 9
    monkeypatch.setenv("CADRE_RULES_MAX_DEPTH", "10")
    monkeypatch.setenv("CADRE_RULES_MAX_INT_DIGITS", "4")
    assert (current_limits().max_depth, current_limits().max_int_digits) == (10, 4)
    monkeypatch.delenv("CADRE_RULES_MAX_DEPTH")
    assert (current_limits().max_depth, current_limits().max_int_digits) == (64, 4)


def test_a_bad_setting_is_refused_every_time_it_is_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADRE_RULES_MAX_STRING", "lots")
    for _ in range(2):
        with pytest.raises(CaseInputError, match="CADRE_RULES_MAX_STRING"):
            current_limits()
    monkeypatch.setenv("CADRE_RULES_MAX_STRING", "7")
    assert current_limits().max_string == 7
