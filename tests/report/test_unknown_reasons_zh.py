"""「无法判断」 says why in Chinese, naming the record (第1次公示的起止日期), never its field path
(`publicity[0].start/end`): the path stays in the finding's `paths` and the English reason.

Checked on every reason the facts layer can give (one variant of the baseline per place that gives
one: a test fails when a place is not exercised), on the unknown findings of the examples, of those
variants and of synthetic cases, and on the Chinese reports of the variants.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import pytest
from click.testing import CliRunner

from cadre_rules import Auditor
from cadre_rules.cli.main import main
from cadre_rules.facts import Unknown, derive_facts
from cadre_rules.model.labels import path_label
from cadre_rules.reading.cases import read_cases, validate_case
from cadre_rules.testing.synth import generate
from wording import english_words, field_paths

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"


def _variants(base: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One variant of the baseline per place in the facts layer that gives an unknown value."""
    day = base["meetings"][0]["date"]
    changes: dict[str, Callable[[dict[str, Any]], Any]] = {
        "holiday": lambda d: d["publicity"][0].update(start="2027-01-04", end="2027-01-12"),
        "holiday_filing": lambda d: (d["appointments"][0].update(date="2027-01-05"), d["filings"][0].update(date="2027-01-08")),
        "non_voting": lambda d: (d["meetings"][0].update(non_voting_attendees=None),  # and no discipline official
                                 [m.pop("roles", None) for m in d["body"]["members"] if "discipline_official" in (m.get("roles") or ())]),
        "circulated": lambda d: d["meetings"][0]["agenda"][0].update(circulated_in_advance=None),
        "statements": lambda d: d["meetings"][0]["agenda"][0].update(statements=None),
        "work_start": lambda d: d["candidates"][0].pop("work_start_date"),
        "birth_month": lambda d: d["candidates"][0].update(birth_date=f"{day.year - 40}-{day.month:02d}"),
        "meeting_month": lambda d: d["meetings"][0].update(date=f"{day.year}-{day.month:02d}"),
        "edition_month": lambda d: d["meetings"][0].update(date="2019-03"),
        "dossier_month": lambda d: d["candidates"][0].update(party_join_date="2003-07", records={"birth_date": [
            {"source": "dossier", "value": "1985-07-12"}, {"source": "appointment_form", "value": "1985-07-20"}]}),
    }
    out = {}
    for name, change in changes.items():
        data = copy.deepcopy(base)
        change(data)
        out[name] = json.loads(json.dumps(data, ensure_ascii=False, default=str))
    return out


#: Every place that gives an unknown value, by a phrase of its English reason.
PLACES = ("is outside the holiday data", ".date/filings:", ".date/as_of:", "non_voting_attendees: not recorded",
          "circulated_in_advance: not recorded", "statements: not recorded", "work_start_date: not recorded",
          "the day decides the full years", "the day decides the age on it", "; the day decides ",
          "the edition in force changes within")


@pytest.fixture(scope="module")
def variants(_baseline_data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return _variants(_baseline_data)


def _unknowns(facts: dict[str, list[dict[str, Any]]]) -> list[Unknown]:
    return [v for rows in facts.values() for fact in rows for v in fact.values() if isinstance(v, Unknown)]


def _bad(text: str) -> list[str]:
    return field_paths(text) + english_words(text)


def test_the_labels_name_records_in_chinese() -> None:
    assert path_label("publicity[0].start/end") == "第1次公示的起止日期"
    assert path_label("meetings[1].agenda[0].statements") == "第2次会议第1项议题的逐一表态"
    assert path_label("meetings[].agenda[].statements") == "会议议题的逐一表态"
    assert path_label("candidates[0].party_join_date") == "第1名考察对象的入党时间"
    assert _bad("第1次公示的起止日期：2027-01-04 超出节假日数据范围") == []
    assert _bad("publicity[0].start/end：2027-01-04 超出节假日数据范围") == ["publicity[0].start/end"]  # the check can fail


def test_every_reason_of_the_facts_layer_is_chinese(variants) -> None:
    reasons: list[Unknown] = []
    auditor = Auditor()
    for data in variants.values():
        case = validate_case(data)
        reasons += _unknowns(derive_facts(case))
        reasons += [Unknown(f.reason or "", f.message["zh"]) for f in auditor.findings(case) if f.verdict == "unknown"]
    english = " | ".join(u.reason for u in reasons)
    missing = [place for place in PLACES if place not in english]
    assert not missing, f"no variant gives an unknown value at {missing}"
    bad = {u.reason_zh: _bad(u.reason_zh) for u in reasons if not u.reason_zh or _bad(u.reason_zh)}
    assert not bad, "\n".join(f"{text!r}: {words}" for text, words in bad.items())


def test_unknown_findings_of_examples_and_synthetic_cases_are_chinese() -> None:
    auditor = Auditor()
    cases = [validate_case(raw.data) for raw in read_cases([EXAMPLES])]
    cases += [validate_case(data) for data in generate(40, 5, 0.3)]
    unknown = [f for case in cases for f in auditor.findings(case) if f.verdict == "unknown"]
    assert unknown  # the examples hold one (holiday data); a check over nothing would pass
    for f in unknown:
        assert not _bad(f.message["zh"]), (f.rule_id, f.message["zh"])
        assert f.paths  # the place stays with the finding


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "sarif", "junit", "github"])
def test_chinese_reports_give_no_english_reason(tmp_path, variants, fmt) -> None:
    """The reports in Chinese show the Chinese reason only (the English `reason` stays in JSON and in
    SARIF's result properties); in English they show the English one."""
    for name, data in variants.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    args = ["audit", str(tmp_path), "--format", fmt, "--as-of", "2027-06-30"]
    zh = CliRunner().invoke(main, args, env={"COLUMNS": "400"})
    en = CliRunner().invoke(main, [*args, "--lang", "en"], env={"COLUMNS": "400"})
    assert zh.exit_code == en.exit_code == 1, zh.output
    shown_zh, shown_en = zh.stdout, en.stdout
    if fmt == "sarif":  # what a reader is shown: each result's message
        shown_zh, shown_en = ("\n".join(r["message"]["text"] for run in json.loads(out)["runs"] for r in run["results"])
                              for out in (zh.stdout, en.stdout))
    assert "无法判断「" in shown_zh
    for phrase in ("only the month is recorded", "outside the holiday data", "not recorded"):
        assert phrase not in shown_zh, phrase
        if fmt != "table":  # a table wraps its cells
            assert phrase in shown_en, phrase
