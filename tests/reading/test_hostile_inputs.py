"""Hostile case input (issue 16, "Case input"; issue 15 item 6): each class gives one clear line
naming the file (file:line where known), no traceback, exit status 2, and the good case beside it
is still judged. The corpus is generated here, in a temporary directory, never committed."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from cadre_rules import load_case
from cadre_rules.errors import CaseInputError, CaseValidationError
from cadre_rules.facts.periods import anniversary, days_after, next_day
from cadre_rules.reading.cases import iter_units, read_cases
from cadre_rules.reading.limits import InputLimits, load_json
from cadre_rules.reading.yamlmarks import load_case_yaml

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "examples" / "cases" / "01-合规-县财政局局长提拔.yaml"

BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [f"{n}: &{n} [{', '.join(['*' + p] * 9)}]" for p, n in zip("abcdef", "bcdefg")]
    + ["h: *g"]) + "\n"


def _corpus(tmp: Path) -> dict[str, str]:
    """name → the text expected in its one-line error."""
    (tmp / "deep.json").write_text("[" * 10_000 + "]" * 10_000)
    (tmp / "digits.json").write_text('{"id": "x", "n": ' + "9" * 5000 + "}")
    (tmp / "surrogate.json").write_text('{"id": "x", "post": "\\ud800"}')
    (tmp / "dup.json").write_text('{\n  "id": "a",\n  "post": {},\n  "post": {}\n}\n')
    (tmp / "dup.yaml").write_text("id: a\nmeetings: []\npost: x\nmeetings: []\n")
    (tmp / "bomb.yaml").write_text(BOMB)
    (tmp / "tag.yaml").write_text("id: a\npost: !custom x\n")
    (tmp / "lines.jsonl").write_bytes(b'{"id": "ok-line"}\n{"id": "\xff"}\n')
    (tmp / "deep.yaml").write_text("a: " + "[" * 10_000 + "]" * 10_000 + "\n")
    os.symlink("/dev/zero", tmp / "zero.json")
    os.symlink(tmp / "missing.json", tmp / "dangling.json")
    os.mkfifo(tmp / "fifo.yaml")
    return {
        "deep.json": "deep.json:1:65: too deeply nested", "digits.json": "digits.json:1:18: number too long",
        "surrogate.json": "surrogate.json:1:13: post: a lone surrogate",
        "dup.json": "dup.json:4:3: duplicate key 'post'",
        "dup.yaml": "dup.yaml:4:1: invalid YAML: duplicate key 'meetings' (first at line 2)",
        "bomb.yaml": "bomb.yaml:1:4: invalid YAML: YAML anchors and aliases",
        "tag.yaml": "tag.yaml:2:7: invalid YAML: the tag '!custom'",
        "lines.jsonl:2": "not UTF-8: byte 0xff at column 9", "deep.yaml": "deep.yaml:1:",
        "zero.json": "a device, not a regular file", "dangling.json": "dangling symbolic link",
        "fifo.yaml": "a named pipe (FIFO), not a regular file",
    }


def test_every_hostile_class_is_one_line_and_the_good_case_is_still_judged(tmp_path: Path) -> None:
    expected = _corpus(tmp_path)
    good = tmp_path / "zz-good.yaml"
    good.write_bytes(GOOD.read_bytes())
    run = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", str(tmp_path), "--format", "json", "--lang", "en"],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    cases = {Path(c["source"]).name: c for c in json.loads(run.stdout)["cases"]}
    for name, text in expected.items():
        case = cases[name]
        assert case["status"] == "invalid", name
        messages = [e["message"] for e in case["errors"]]
        line = [ln for ln in run.stderr.splitlines() if ln.startswith(str(tmp_path / name) + ":")]
        assert len(line) == 1 and text in line[0], (name, line, messages)
    assert cases["zz-good.yaml"]["status"] == "ok" and cases["zz-good.yaml"]["case_id"]


def test_library_calls_return_results_not_exceptions(tmp_path: Path) -> None:
    from cadre_rules import Auditor

    _corpus(tmp_path)
    auditor = Auditor()
    results = list(auditor.audit_paths([tmp_path]))
    assert len(results) == 13 and {r.status for r in results} == {"invalid"}
    deep: object = []
    for _ in range(10_000):
        deep = [deep]
    result = auditor.audit_data({"id": "x", "meetings": deep})
    assert result.status == "invalid" and "too deeply nested" in result.errors[0].message
    assert auditor.audit_data({"id": "x", "post": "\ud800"}).errors[0].path == "post"
    with pytest.raises(CaseValidationError, match="too deeply nested"):
        load_case(tmp_path / "deep.json")


def test_limits_are_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.json").write_text('{"id": "' + "x" * 200 + '"}')
    monkeypatch.setenv("CADRE_RULES_MAX_CASE_BYTES", "100")
    assert "file too large" in next(read_cases([tmp_path / "a.json"])).error
    monkeypatch.setenv("CADRE_RULES_MAX_CASE_BYTES", "1000")
    monkeypatch.setenv("CADRE_RULES_MAX_STRING", "50")
    raw = next(read_cases([tmp_path / "a.json"]))
    assert raw.path == "id" and "string too long" in raw.error and (raw.line, raw.column) == (1, 2)
    with pytest.raises(CaseInputError, match="number too long"):
        load_json('{"n": 123456}', InputLimits(max_int_digits=5))


def test_a_long_jsonl_line_is_refused_and_the_next_one_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": "' + "x" * 500 + '"}\n{"id": "b"}\n')
    monkeypatch.setenv("CADRE_RULES_MAX_CASE_BYTES", "100")
    units = list(iter_units([tmp_path / "a.jsonl"]))
    assert [u.source.rsplit(":", 1)[1] for u in units] == ["1", "2"]
    assert "line too long" in units[0].error and units[1].error is None


def test_an_alias_bomb_is_refused_before_any_expansion() -> None:
    # Nine to the seventh (4.8 million) values if expanded; refused on the composed nodes, where an
    # alias is one shared node: the refusal does not depend on how far it would expand.
    with pytest.raises(yaml.MarkedYAMLError, match="aliases"):
        load_case_yaml(BOMB, InputLimits())
    with pytest.raises(yaml.MarkedYAMLError, match="aliases"):
        load_case_yaml("a: &x 1\nb: *x\n", InputLimits())


def test_far_dates_are_held_at_the_calendars_end_and_judged(tmp_path: Path) -> None:
    assert anniversary(date(9999, 12, 31), 1) == date.max
    assert days_after(date(9999, 12, 30), 5) == date.max and next_day(date.max) == date.max
    text = GOOD.read_text(encoding="utf-8").replace("2021-", "9999-")
    far = tmp_path / "far.yaml"
    far.write_text(text, encoding="utf-8")
    from cadre_rules import Auditor

    result = Auditor().audit_paths([far])
    (only,) = list(result)
    assert only.status == "ok", only.errors


def test_a_repeated_case_id_draws_one_warning(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        (tmp_path / name).write_bytes(GOOD.read_bytes())
    run = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", str(tmp_path), "--format", "json"],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines() == ["警告：案例编号 2021-qx-czj-001 在本次运行中出现不止一次"
                                       "（按案例编号归集的结果、豁免和日志会混在一起）"]


def test_redact_never_sees_an_alias_bomb(tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_text(BOMB)
    run = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", str(tmp_path / "bomb.yaml"), "--redact",
                          "--format", "json"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    # said in Chinese (the default), as without --redact: redaction keeps the nested problem's kind
    assert "锚点和别名" in run.stderr and json.loads(run.stdout)["cases"][0]["status"] == "invalid"


def test_an_unreadable_directory_or_file_is_reported_not_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, which reads everything: the refusal is simulated where the reader meets it.
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.yaml").write_text("id: a\n")
    (tmp_path / "b.json").write_text("{}")
    real_scandir, real_open = os.scandir, Path.open

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    def open_(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.name == "b.json":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr("cadre_rules.reading.cases.os.scandir", scandir)
    monkeypatch.setattr(Path, "open", open_)
    errors = {Path(r.source).name: r.error for r in read_cases([tmp_path])}
    assert errors == {"b.json": "cannot read: Permission denied", "locked": "cannot read directory: Permission denied"}
