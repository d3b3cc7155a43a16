"""`audit --redact` and the files read beside the cases: a waiver file, an organisation register.

An invalid waiver file stops the audit before any case is read, so no case tells which names to take
out: its errors printed every value they complained of — the case id of a duplicate waiver, a rule id
the rulebook lacks, a date as written, an unknown field's key, what the YAML parser quoted (a
duplicate key, an alias, a tag) — and any of them may be a person's name (a case id such as
`2021-林雪梅-001` is common). Under `--redact` such an error names the file, the line, the waiver's
number and the field, and quotes nothing the file says. A register's error named a name written
where a person id belongs (`unknown person "林雪梅"`). Case files' own parser complaints are the
same class: the quoted key, tag or alias is hidden too.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from casedata import dump
from test_redact_echo import STRANGER, run  # a name recorded nowhere in the cases; `audit` as of 2024-01-01

ROOT = Path(__file__).resolve().parents[2]
PINYIN = "linxuemei"  # the same name as a YAML alias or tag can spell it (ASCII only)


@pytest.fixture
def cases(tmp_path, baseline) -> Path:
    root = tmp_path / "cases"
    root.mkdir()
    (root / "1.json").write_text(dump(baseline), encoding="utf-8")
    return root


BAD_VALUES = f"""\
- case: 2022-{STRANGER}-009
  rule: DEC-QUORUM
  approver: x
  reason: y
  expires: 2030-12-31
- case: 2022-{STRANGER}-009
  rule: DEC-QUORUM
  approver: x
  reason: y
  expires: 2030-12-31
- case: c
  rule: {STRANGER}
  approver: x
  reason: y
  expires: {STRANGER}
- case: d
  rule: DEC-QUORUM
  approver: x
  reason: y
  expires: 2030-12-31
  {STRANGER}: 经{STRANGER}同意
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_waiver_errors_quote_no_value_of_the_file_under_redact(cases, tmp_path, lang):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(BAD_VALUES, encoding="utf-8")
    plain = run(str(cases), "--waivers", str(waivers), "--lang", lang)
    assert plain.exit_code == 2 and STRANGER in plain.stderr  # the check can fail
    result = run(str(cases), "--waivers", str(waivers), "--lang", lang, "--redact")
    assert result.exit_code == 2 and result.stdout == ""
    assert STRANGER not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == len(plain.stderr.splitlines()) == 5  # the heading and the same four problems
    # each still names the file, the line and (where it has one) the field
    for line, expected in zip(lines[1:], (6, 15, 12, 21)):
        assert line.startswith(f"{waivers}:{expected}: "), line
    assert "expires" in lines[2] and "〔已隐去〕" in lines[2]


@pytest.mark.parametrize("lang, text", [
    (lang, text) for text in (
        f"- case: a\n  {STRANGER}: 1\n  {STRANGER}: 2\n",  # PyYAML: duplicate key '林雪梅'
        f"- case: *{PINYIN}\n",  # found undefined alias 'linxuemei' (in Chinese: 别名未定义, nothing quoted)
        f"- case: !!python/name:{PINYIN} x\n",  # could not determine a constructor for the tag '…linxuemei'
    ) for lang in ("zh", "en") if not (lang == "zh" and "*" in text)])
def test_a_waiver_file_that_is_no_yaml_quotes_nothing_under_redact(cases, tmp_path, text, lang):
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(text, encoding="utf-8")
    plain = run(str(cases), "--waivers", str(waivers), "--lang", lang)
    assert plain.exit_code == 2 and (STRANGER in plain.stderr or PINYIN in plain.stderr)
    result = run(str(cases), "--waivers", str(waivers), "--lang", lang, "--redact")
    assert result.exit_code == 2
    assert STRANGER not in result.stderr and PINYIN not in result.stderr, result.stderr
    assert f"{waivers}:" in result.stderr and "YAML" in result.stderr


def test_register_errors_hide_a_name_written_for_a_person_under_redact(tmp_path):
    register = tmp_path / "register.yaml"
    register.write_text(f"""\
version: 1
as_of: 2025-03-31
people:
  - {{id: p1, name: 卫东, gender: 男, birth_date: 1970-01-15}}
units:
  - id: u1
    name: x
    posts:
      - {{id: post1, title: 局长, level: section_chief, quota: [{{since: 2019-01-01, number: 1}}]}}
    holders:
      - {{person: {STRANGER}, post: post1, start: 2020-01-01}}
    leaders:
      - {{person: p1, role: party_secretary, start: 2016-05-10}}
""", encoding="utf-8")
    cases = str(ROOT / "examples" / "register" / "cases")
    plain = run(cases, "--register", str(register), "--lang", "en")
    assert plain.exit_code == 2 and f'unknown person "{STRANGER}"' in plain.stderr
    for lang in ("zh", "en"):
        result = run(cases, "--register", str(register), "--lang", lang, "--redact")
        assert result.exit_code == 2 and STRANGER not in result.stderr, result.stderr
        assert "units[0].holders[0].person" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "table"])
@pytest.mark.parametrize("text", [
    f"id: x\n{STRANGER}: 1\n{STRANGER}: 2\n",  # duplicate key '林雪梅'
    f"id: x\ntitle: !{PINYIN} y\n",  # the tag '!linxuemei' is not allowed
])
def test_a_case_files_parser_complaint_quotes_nothing_under_redact(tmp_path, text, fmt):
    root = tmp_path / "cases"
    root.mkdir()
    (root / "1.yaml").write_text(text, encoding="utf-8")
    plain = run(str(root), "--format", fmt, "--lang", "en")
    assert plain.exit_code == 2 and (STRANGER in plain.stdout or PINYIN in plain.stdout)
    result = run(str(root), "--format", fmt, "--lang", "en", "--redact")
    assert result.exit_code == 2
    assert STRANGER not in result.stdout + result.stderr and PINYIN not in result.stdout + result.stderr
    if fmt == "json":
        (case,) = json.loads(result.stdout)["cases"]
        (error,) = case["errors"]
        assert error["line"] in (2, 3)  # the place stays


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_engine_failures_own_words_are_hidden_under_redact(cases, monkeypatch, workers):
    """A case the engine fails on is reported as that case's `internal error while judging: TYPE:
    TEXT`; the text is the exception's, which may quote the case (a name it does not record as one,
    a birth date). Under --redact the type stays and the text goes."""
    from cadre_rules.audit.auditor import Auditor

    def judge(self, case, only=None):
        raise RuntimeError(f"cannot rank {STRANGER} born 1968-05-01")

    monkeypatch.setattr(Auditor, "judge", judge)
    plain = run(str(cases), "--format", "json", "--lang", "en")
    assert STRANGER in plain.stdout
    result = run(str(cases), "--format", "json", "--lang", "en", "--redact", "--workers", workers)
    assert result.exit_code == 2
    assert STRANGER not in result.stdout + result.stderr and "1968-05-01" not in result.stdout + result.stderr
    (case,) = json.loads(result.stdout)["cases"]
    assert case["errors"][0]["message"] == "internal error while judging: RuntimeError: 〔已隐去〕"
