"""Streaming and worker processes: the same report whatever the number of workers, a crash or an engine
error costs one case (never the batch), and the progress bar shows only when asked or on a terminal."""
from __future__ import annotations

import json
import os
import re
from io import StringIO
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules.audit.batch import run_ordered
from cadre_rules.cli.main import main
from cadre_rules.report.batch import AuditOptions, run_audit
from cadre_rules.testing.synth import write_jsonl

N = 80


@pytest.fixture(scope="module")
def stream(tmp_path_factory) -> Path:
    """80 synthetic cases (some violating) with a broken line and an invalid case in the middle."""
    tmp = tmp_path_factory.mktemp("stream")
    path = tmp / "cases.jsonl"
    write_jsonl(path, N, 11, 0.4)
    lines = path.read_text(encoding="utf-8").splitlines()
    invalid = json.loads(lines[50])
    invalid["meetings"][0]["attendees"] = ["nobody"]
    lines[50] = json.dumps(invalid, ensure_ascii=False)
    lines.insert(30, '{"id": "broken"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def report(path: Path, fmt: str, workers: int, **options) -> tuple[str, int, list[str]]:
    out, messages = StringIO(), []
    result = run_audit([str(path)], AuditOptions(fmt=fmt, **options), out, workers=workers, progress=False,
                       err=messages.append)
    return out.getvalue(), result.status, messages


@pytest.mark.parametrize("fmt", ["jsonl", "json", "sarif", "junit"])
def test_two_workers_give_the_same_report_as_one(stream, fmt):
    from datetime import date

    one = report(stream, fmt, 1, as_of=date(2024, 1, 1))
    two = report(stream, fmt, 2, as_of=date(2024, 1, 1))
    assert one == two
    assert one[1] == 2  # the broken line and the invalid case


def test_cases_sent_by_reference_read_as_the_parent_reads_them(stream, tmp_path):
    """Workers read case texts from the files themselves: a directory of .json, .yaml and .jsonl files,
    one of them not UTF-8 from its third line, gives the report one process gives."""
    lines = stream.read_bytes().splitlines(keepends=True)
    (tmp_path / "a.jsonl").write_bytes(b"".join(lines[:10]))
    (tmp_path / "b.jsonl").write_bytes(b"".join(lines[10:12]) + b'{"id": "\xff\xfe"}\n' + lines[12])
    (tmp_path / "c.json").write_bytes(lines[13].rstrip())
    (tmp_path / "d.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    one, two = report(tmp_path, "jsonl", 1), report(tmp_path, "jsonl", 2)
    assert one == two
    # b.jsonl: two cases, the line with a bad byte (its own error, with its line number), the case after it
    assert sum(1 for line in one[0].splitlines() if '"case_id"' in line) == 10 + 4 + 1 + 1
    assert any("b.jsonl:3: 不是 UTF-8 编码：第 9 列的字节 0xff" in m for m in one[2])  # --lang zh (default)


def test_worker_output_is_in_input_order_with_every_case(stream):
    text, status, messages = report(stream, "jsonl", 2)
    records = [json.loads(line) for line in text.splitlines()]
    cases = records[:-1]
    assert len(cases) == N + 1
    lines = [int(c["source"].rsplit(":", 1)[1]) for c in cases]
    assert lines == sorted(lines) == list(range(1, N + 2))
    assert cases[30]["status"] == "invalid" and cases[51]["status"] == "invalid"
    assert records[-1]["summary"]["cases"] == N + 1 and records[-1]["summary"]["invalid"] == 2
    assert any(re.search(r":31:\d+: JSON 格式错误：", m) for m in messages)  # the line, and the column on it


def _crashing_square(parent: int):
    def square(x: int) -> int:
        if x == 5 and os.getpid() != parent:
            os._exit(1)  # the worker dies, as a crash in a C extension would end it
        return x * x
    return square


def test_a_dead_worker_costs_nothing_but_time():
    parent = os.getpid()
    out = list(run_ordered(_crashing_square, parent, _apply, range(40), 2, fallback=_crashing_square(parent)))
    assert out == [x * x for x in range(40)]


def _apply(x: int) -> int:
    """A task run in a worker: its function (`factory(arg)`) applied to the item."""
    from cadre_rules.audit import batch

    return batch._WORKER_FN(x)


def test_an_engine_error_is_that_cases_problem(stream, monkeypatch):
    from cadre_rules.audit.auditor import Auditor

    original = Auditor.judge
    victim = json.loads(stream.read_text(encoding="utf-8").splitlines()[10])["id"]

    def judge(self, case, only=None):
        if case.id == victim:
            raise RuntimeError("engine exploded")
        return original(self, case, only)

    monkeypatch.setattr(Auditor, "judge", judge)
    text, status, messages = report(stream, "jsonl", 1)
    cases = [json.loads(line) for line in text.splitlines()[:-1]]
    assert len(cases) == N + 1 and status == 2
    (bad,) = [c for c in cases if c["case_id"] == victim]
    assert bad["status"] == "invalid" and "internal error while judging: RuntimeError: engine exploded" in \
        bad["errors"][0]["message"]
    assert sum(c["status"] == "ok" for c in cases) == N - 2


def test_progress_is_silent_unless_asked(stream, tmp_path):
    out = tmp_path / "r.jsonl"
    quiet = CliRunner().invoke(main, ["audit", str(stream), "--format", "jsonl", "-o", str(out)])
    assert "件 ·" not in quiet.stderr and "剩余" not in quiet.stderr
    loud = CliRunner().invoke(main, ["audit", str(stream), "--format", "jsonl", "-o", str(out), "--progress"])
    assert f"{N + 1} 件 · 输入无效 2 ·" in loud.stderr and "剩余" in loud.stderr


def test_cli_workers_option(stream):
    one = CliRunner().invoke(main, ["audit", str(stream), "--format", "json", "--as-of", "2024-01-01"])
    two = CliRunner().invoke(main, ["audit", str(stream), "--format", "json", "--as-of", "2024-01-01",
                                    "--workers", "2"])
    assert one.exit_code == two.exit_code == 2 and one.stdout == two.stdout


def test_a_rendering_bug_is_that_cases_problem(stream, monkeypatch):
    from cadre_rules.report.json_report import JsonLinesRenderer

    original = JsonLinesRenderer.fragment
    calls = []

    def fragment(self, case):
        calls.append(case.case_id)
        if len(calls) == 3:
            raise KeyError("boom")
        return original(self, case)

    monkeypatch.setattr(JsonLinesRenderer, "fragment", fragment)
    text, status, messages = report(stream, "jsonl", 1)
    cases = [json.loads(line) for line in text.splitlines()[:-1]]
    assert len(cases) == N + 1 and status == 2
    assert cases[2]["status"] == "invalid" and cases[2]["errors"][0]["message"] == "internal error: KeyError"
