"""A count is a number, never a yes/no: `"abstain": true` (a JSON writer's slip) or `votes: yes`
(YAML 1.1 reads `yes` as true) was read as 1 — a vote, a quota, a head count the record never said —
because pydantic's lax integers take booleans. It is an error naming the field, as any other value
that is not a whole number; what the lax reading is documented to accept stays (`"2"`, `2.0`)."""
from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from cadre_rules import CaseValidationError, validate_case, validate_case_json


def _refused(data: dict[str, Any], path: str) -> None:
    for check in (lambda: validate_case(data), lambda: validate_case_json(json.dumps(data, ensure_ascii=False, default=str))):
        with pytest.raises(CaseValidationError) as caught:
            check()
        errors = [e for e in caught.value.errors if e.path == path]
        assert errors, caught.value.paths()
        assert errors[0].kind == "int_type", errors[0]


@pytest.mark.parametrize("flag", [True, False])
def test_a_vote_count_given_as_a_yes_no_is_refused(baseline, flag) -> None:
    baseline["meetings"][0]["agenda"][0]["vote"]["abstain"] = flag
    _refused(baseline, "meetings[0].agenda[0].vote.abstain")


@pytest.mark.parametrize("where, path", [
    (lambda d: d["post"], "post.quota"),
    (lambda d: d["recommendations"][0]["results"][0], "recommendations[0].results[0].votes"),
    (lambda d: d, "batch_size"),  # an optional count
])
def test_other_counts_given_as_a_yes_no_are_refused(baseline, where, path) -> None:
    where(baseline)[path.rsplit(".", 1)[-1]] = True
    _refused(baseline, path)


def test_yaml_yes_in_a_count_is_refused(baseline) -> None:
    text = yaml.safe_dump(baseline, allow_unicode=True).replace("abstain: 0", "abstain: yes", 1)
    assert "abstain: yes" in text
    with pytest.raises(CaseValidationError, match="abstain"):
        validate_case(yaml.safe_load(text))


def test_the_documented_lax_numbers_still_read(baseline) -> None:
    vote = baseline["meetings"][0]["agenda"][0]["vote"]
    vote["agree"], vote["abstain"] = "8", 0.0
    case = validate_case(baseline)
    read = case.meetings[0].agenda[0].vote
    assert (read.agree, read.abstain) == (8, 0) and type(read.abstain) is int
