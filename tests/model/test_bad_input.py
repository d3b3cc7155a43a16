"""Every class of bad input gives a clear message naming file, case and field — never a traceback —
and in a batch the other cases are still audited."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules import CaseValidationError, load_case, validate_case
from cadre_rules.cli.main import main


def write(tmp: Path, name: str, content: str) -> Path:
    path = tmp / name
    path.write_text(content, encoding="utf-8")
    return path


def audit_json(*paths: Path) -> tuple[int, dict, str]:
    result = CliRunner().invoke(main, ["audit", "--format", "json", *map(str, paths)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, json.loads(result.stdout), result.stderr


def errors_of(report: dict, source_suffix: str) -> list[dict]:
    (case,) = [c for c in report["cases"] if c["source"].endswith(source_suffix)]
    assert case["status"] == "invalid"
    return case["errors"]


def test_invalid_json_and_yaml_are_reported_and_the_batch_goes_on(tmp_path, baseline):
    good = write(tmp_path, "good.json", json.dumps(baseline, ensure_ascii=False, default=str))
    bad_json = write(tmp_path, "bad.json", '{"id": "x",, }')
    bad_yaml = write(tmp_path, "bad.yaml", "id: x\nmove: [promotion\n")
    code, report, stderr = audit_json(bad_json, good, bad_yaml)
    assert code == 2
    assert report["summary"]["cases"] == 3 and report["summary"]["invalid"] == 2
    assert [c["status"] for c in report["cases"]] == ["invalid", "ok", "invalid"]
    first = errors_of(report, "bad.json")[0]
    assert first["message"].startswith("invalid JSON:") and (first["line"], first["column"]) == (1, 12)
    assert errors_of(report, "bad.yaml")[0]["message"].startswith("invalid YAML:")
    assert errors_of(report, "bad.yaml")[0]["line"] == 3
    assert f"{bad_json}:1:12: JSON 格式错误：键名应写在双引号中" in stderr  # --lang zh (default)
    assert "Traceback" not in stderr


def test_schema_errors_name_the_field(tmp_path, baseline):
    baseline["meetings"][0]["agenda"][0]["vote"]["agree"] = "eight"
    baseline["candidates"][0]["nickname"] = "小马"
    del baseline["post"]["quota"]
    code, report, stderr = audit_json(write(tmp_path, "a.json", json.dumps(baseline, ensure_ascii=False, default=str)))
    assert code == 2
    paths = {e["path"]: e["message"] for e in errors_of(report, "a.json")}
    assert paths["meetings[0].agenda[0].vote.agree"].startswith("Input should be a valid integer")
    assert paths["candidates[0].nickname"] == 'unknown field (did you mean "name"?)'
    assert paths["post.quota"] == "required field missing"
    assert f"{tmp_path / 'a.json'}:1:666: 案例 2021-qx-czj-001：post.quota: 缺少必填字段" in stderr  # --lang zh (default)


def test_dangling_reference(tmp_path, baseline):
    baseline["meetings"][0]["attendees"][0] = "m99"
    code, report, stderr = audit_json(write(tmp_path, "a.json", json.dumps(baseline, ensure_ascii=False, default=str)))
    assert code == 2
    assert {"path": "meetings[0].attendees[0]", "message": 'unknown member "m99" (did you mean "m09"?)',
            "kind": "unknown_member", "line": 1, "column": 3265} in errors_of(report, "a.json")
    assert 'a.json:1:3265: 案例 2021-qx-czj-001：meetings[0].attendees[0]: 未知的班子成员 "m99"' in stderr


def test_dates_out_of_order(baseline):
    baseline["appointments"][0]["date"] = "2021-04-10"  # before the decision of 2021-04-16
    baseline["publicity"][0]["end"] = "2021-04-01"
    try:
        validate_case(baseline)
    except CaseValidationError as exc:
        found = {e.path: e.message for e in exc.errors}
    else:
        raise AssertionError("chronology errors were not reported")
    assert found["appointments[0].date"] == "appointment notice 2021-04-10 is before the decision of 2021-04-16"
    assert found["publicity[0].end"] == "2021-04-01 is before the publicity start 2021-04-19"


def test_duplicate_ids(baseline):
    baseline["body"]["members"][1]["id"] = "m01"
    try:
        validate_case(baseline)
    except CaseValidationError as exc:
        assert any(e.path == "body.members[1].id" and "duplicate" in e.message for e in exc.errors)
    else:
        raise AssertionError("duplicate id accepted")


def test_date_outside_holiday_data_is_stated_in_the_output(tmp_path, baseline):
    baseline["meetings"][0]["date"] = "2026-12-18"
    baseline["publicity"][0].update(start="2026-12-28", end="2027-01-06")
    baseline["appointments"][0]["date"] = "2027-01-08"
    baseline["appointments"][0]["talk"]["date"] = "2027-01-08"
    baseline["filings"][0]["date"] = "2027-01-12"
    code, report, _ = audit_json(write(tmp_path, "late.json", json.dumps(baseline, ensure_ascii=False, default=str)))
    findings = report["cases"][0]["findings"]
    assert code == 0 and report["cases"][0]["status"] == "ok"
    assert {(f["rule_id"], f["verdict"]) for f in findings} == {("APT-PUB-5WD", "unknown"), ("RPT-FILING", "unknown")}
    reasons = {f["rule_id"]: f["reason"] for f in findings}
    assert "publicity[0].start/end: 2027-01-06 is outside the holiday data" in reasons["APT-PUB-5WD"]
    assert "appointments[0].date/filings" in reasons["RPT-FILING"]


def test_jsonl_reports_line_numbers_and_continues(tmp_path, baseline):
    lines = [json.dumps(baseline, ensure_ascii=False, default=str), "{not json", json.dumps({"id": "only-id"})]
    code, report, _ = audit_json(write(tmp_path, "batch.jsonl", "\n".join(lines) + "\n"))
    assert code == 2
    assert [(c["source"].rsplit(":", 1)[-1], c["status"]) for c in report["cases"]] == [
        ("1", "ok"), ("2", "invalid"), ("3", "invalid")]
    assert report["cases"][2]["case_id"] == "only-id"


def test_missing_file_and_wrong_kind(tmp_path):
    code, report, stderr = audit_json(tmp_path / "nope.json", write(tmp_path, "notes.txt", "hello"))
    assert code == 2
    assert [c["errors"][0]["message"] for c in report["cases"]] == [
        "no such file or directory", "not a case file (expected .json, .jsonl, .yaml, .yml)"]


def test_a_case_that_is_not_a_mapping(tmp_path):
    code, report, _ = audit_json(write(tmp_path, "list.yaml", "- 1\n- 2\n"))
    assert code == 2 and report["cases"][0]["errors"][0]["message"] == "a case must be a mapping, not list"


def test_load_case_names_the_file(tmp_path, baseline):
    baseline["meetings"][0]["attendees"][0] = "m99"
    path = write(tmp_path, "a.json", json.dumps(baseline, ensure_ascii=False, default=str))
    try:
        load_case(path)
    except CaseValidationError as exc:
        assert str(exc).splitlines()[0] == f'{path}:1:3265: meetings[0].attendees[0]: unknown member "m99" (did you mean "m09"?)'
    else:
        raise AssertionError("dangling reference accepted")


def test_yes_and_no_keys_stay_keys_in_yaml(tmp_path):
    """YAML 1.1 would read `yes:` as a boolean key; vote records rely on YAML 1.2 booleans."""
    from cadre_rules.reading.yamlmarks import safe_load
    assert safe_load("vote: {yes: 8, no: 1}\nflag: yes\nok: true\n") == {"vote": {"yes": 8, "no": 1}, "flag": "yes", "ok": True}


def test_impossible_unquoted_yaml_date_is_a_field_error(tmp_path):
    text = (Path(__file__).parents[2] / "examples/cases/01-合规-县财政局局长提拔.yaml").read_text(encoding="utf-8")
    path = write(tmp_path, "a.yaml", text.replace("date: 2021-04-28", "date: 2021-04-31"))
    code, report, stderr = audit_json(path)
    assert code == 2 and "Traceback" not in stderr
    (error,) = errors_of(report, "a.yaml")
    assert error["path"] == "appointments[0].date" and "2021-04-31" in error["message"]


def test_errors_never_repeat_personal_values(baseline):
    baseline["candidates"][0]["id_number"] = 110101198005120011  # an unquoted number where text is expected
    try:
        validate_case(baseline)
    except CaseValidationError as exc:
        (error,) = exc.errors
        assert error.path == "candidates[0].id_number" and "110101" not in error.message
    else:
        raise AssertionError("a number accepted as an identity number")


def test_leading_zero_numbers_stay_text_in_yaml():
    from cadre_rules.reading.yamlmarks import safe_load
    assert safe_load("id: 0123\nn: 12\nm: 010\n") == {"id": "0123", "n": 12, "m": "010"}


def test_codes_are_checked_not_silently_ignored(baseline):
    baseline["prior_reports"] = [{"id": "p", "matter": "over_quota", "submitted": "2021-03-01",
                                  "reply_date": "2021-03-05", "reply": "Approved"}]
    try:
        validate_case(baseline)
    except CaseValidationError as exc:
        assert [e.path for e in exc.errors] == ["prior_reports[0].reply"]
    else:
        raise AssertionError("an unknown reply code was accepted")


def test_unknown_sanction_type_needs_a_recorded_period(baseline):
    baseline["candidates"][0]["sanctions"] = [{"system": "party", "type": "warnig", "decision_date": "2020-01-01"}]
    try:
        validate_case(baseline)
    except CaseValidationError as exc:
        assert [e.path for e in exc.errors] == ["candidates[0].sanctions[0].type"]
    else:
        raise AssertionError("a sanction of unknown type without a period was accepted")


def test_notice_before_a_full_committee_decision(baseline):
    baseline["meetings"][0]["kind"] = "full_committee"
    baseline["appointments"][0]["date"] = "2021-04-15"
    try:
        validate_case(baseline)
    except CaseValidationError as exc:
        assert any(e.path == "appointments[0].date" for e in exc.errors)
    else:
        raise AssertionError("a notice dated before the full committee's decision was accepted")


def test_yaml_reads_the_same_with_libyaml_and_reports_errors_as_pure_python(monkeypatch):
    """Case files and rules are parsed by libyaml when PyYAML has it; the data and line marks are those of
    the pure-Python parser, and a malformed text gets the pure-Python parser's message (with the line)."""
    import glob

    import yaml

    from cadre_rules.reading import yamlmarks

    def marks(x):
        if isinstance(x, dict):
            return getattr(x, "line", None), dict(getattr(x, "key_lines", {})), {k: marks(v) for k, v in x.items()}
        if isinstance(x, list):
            return getattr(x, "line", None), [marks(v) for v in x]
        return type(x).__name__, x

    root = Path(__file__).resolve().parents[2]
    texts = [Path(p).read_text(encoding="utf-8") for p in sorted(glob.glob(str(root / "rules" / "**" / "*.yaml"),
                                                                         recursive=True))[:20]]
    texts += [(root / "examples" / "cases" / name).read_text(encoding="utf-8")
              for name in sorted(p.name for p in (root / "examples" / "cases").glob("*.yaml"))[:10]]
    texts.append("a: yes\nb: no\nc: 0123\nd: 2019-13-03\ne: 1_000\nf: 2021-03-02\ng: [x, {h: ~}]\n")
    fast = [(marks(yamlmarks.safe_load(t)), marks(yamlmarks.load_marked(t))) for t in texts]
    monkeypatch.setattr(yamlmarks, "_FAST", None)
    monkeypatch.setattr(yamlmarks, "_MARKED_FAST", None)
    assert fast == [(marks(yamlmarks.safe_load(t)), marks(yamlmarks.load_marked(t))) for t in texts]
    monkeypatch.undo()
    with pytest.raises(yaml.YAMLError) as info:
        yamlmarks.load_marked("x: [1, 2\n")
    assert "expected ',' or ']', but got '<stream end>'" in str(info.value) and "x: [1, 2" in str(info.value)


def test_a_post_at_a_non_leading_level_is_refused_but_a_candidate_may_hold_one(baseline):
    """科员 and 办事员 are levels a candidate may hold (the section-level promotion rules need them, issue 12);
    a leading post is never at them, so a post recorded there is a named error, not a silent promotion."""
    baseline["candidates"][0]["current_level"] = "staff"
    baseline["post"]["level"] = "section_deputy"
    assert validate_case(baseline).candidates[0].current_level.value == "staff"
    baseline["post"]["level"] = "clerk"
    try:
        validate_case(baseline)
    except CaseValidationError as exc:
        assert [e.path for e in exc.errors] == ["post.level"] and "non-leading" in exc.errors[0].message
    else:
        raise AssertionError("a post at 办事员 level was accepted")
