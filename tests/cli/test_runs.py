"""Interrupted and failing runs: exit statuses, no orphaned worker processes, no truncated report,
one line for a write error (docs/cli.md, "Exit status")."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from typing import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules.cli.main import main
from cadre_rules.reading.yamlmarks import safe_load

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "examples" / "cases" / "01-合规-县财政局局长提拔.yaml"
PREVIOUS = "the report of yesterday\n"


def many_cases(path: Path, count: int) -> Path:
    data = safe_load(BASELINE.read_text(encoding="utf-8"))
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            out.write(json.dumps({**data, "id": f"case-{i:05d}"}, ensure_ascii=False, default=str) + "\n")
    return path


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def descendants_of(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        for child in children_of(todo.pop()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _interruptible() -> None:
    """In the audit's process before it starts: Ctrl-C as a terminal delivers it. A test run started in
    the background by a shell without job control (`.ci/run &`) has SIGINT ignored, which its children
    inherit and Python keeps: the audit then ran to the end and the Ctrl-C test skipped."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_audit(tmp_path: Path, *extra: str, expect: int = 2) -> tuple[subprocess.Popen, set[int]]:
    """An audit of many cases with two workers (and what `extra` adds), once `expect` descendants run."""
    cases = many_cases(tmp_path / "cases.jsonl", 4000)
    out = tmp_path / "report.json"
    out.write_text(PREVIOUS, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "cadre_rules", "audit", str(cases), "--workers", "2", "--format",
                             "json", "-o", str(out), *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=tmp_path, start_new_session=True, preexec_fn=_interruptible)
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None:
        workers = {pid for pid in descendants_of(proc.pid) if alive(pid)}
        if len(workers) >= expect:
            time.sleep(0.3)  # well into the run
            return proc, workers
        time.sleep(0.02)
    proc.kill()
    _, stderr = proc.communicate()
    pytest.skip(f"the audit ended (status {proc.returncode}) before its workers could be seen (machine too fast "
                f"or too slow): {stderr.decode()[-300:]!r}")


def signalled(tmp_path: Path, send: Callable[[subprocess.Popen], None]) -> tuple[Path, subprocess.Popen, set[int], bytes]:
    """An audit started with start_audit and sent a signal by `send`, once it has ended: its folder, the
    process, its workers and its standard error."""
    proc, workers = start_audit(tmp_path)
    send(proc)
    _, stderr = proc.communicate(timeout=120)  # returns: no child holds the pipes open
    return tmp_path, proc, workers, stderr


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killing_the_parent_leaves_no_worker_and_no_truncated_report(tmp_path, signum):
    tmp_path, proc, workers, stderr = signalled(tmp_path, lambda proc: os.kill(proc.pid, signum))
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if alive(pid)], "worker processes survived their parent"
    assert proc.returncode == (143 if signum == signal.SIGTERM else -signal.SIGKILL)
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == PREVIOUS  # not truncated, not replaced
    assert b"Traceback" not in stderr
    if signum == signal.SIGTERM:
        assert not list(tmp_path.glob(".report.json.*.partial"))  # cleaned up
        assert stderr.decode().strip().splitlines()[-1].startswith("已中断（SIGTERM）")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_durable_engine_children_die_with_the_workers_and_their_parent(tmp_path):
    pytest.importorskip("durable")
    proc, descendants = start_audit(tmp_path, "--engine", "durable", expect=4)  # 2 workers, each with its engine
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in descendants) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in descendants if alive(pid)], "engine or worker processes survived"
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == PREVIOUS


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_ctrl_c_exits_130_in_one_line_without_child_tracebacks(tmp_path):
    # as a terminal does: the whole process group
    tmp_path, proc, workers, stderr = signalled(tmp_path, lambda proc: os.killpg(proc.pid, signal.SIGINT))
    assert proc.returncode == 130
    text = stderr.decode()
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert text.strip().splitlines() == ["已中断（SIGINT）；没有留下写了一半的输出文件"]
    assert (tmp_path / "report.json").read_text(encoding="utf-8") == PREVIOUS
    assert not list(tmp_path.glob(".report.json.*.partial"))
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if alive(pid)]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_one_line_and_status_5(tmp_path):
    case = ROOT / "examples" / "cases"
    said = {("-o", "en"): "error: cannot write /dev/full: No space left on device",
            ("-o", "zh"): "错误：无法写出 /dev/full：设备上没有空间",  # was 错误：cannot write …: No space left on device
            ("stdout", "en"): "error: cannot write the output: No space left on device",
            ("stdout", "zh"): "错误：无法写出报告：设备上没有空间"}
    for (where, lang), line in said.items():
        args, stdout = (([str(case), "-o", "/dev/full"], subprocess.PIPE) if where == "-o"
                        else ([str(case)], open("/dev/full", "w")))
        proc = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", "--lang", lang, *args], stdout=stdout,
                              stderr=subprocess.PIPE, timeout=300)
        assert proc.returncode == 5, proc.stderr.decode()
        assert proc.stderr.decode().strip().splitlines() == [line]


def test_an_existing_report_is_replaced_only_when_complete(tmp_path, monkeypatch):
    out = tmp_path / "report.json"
    out.write_text(PREVIOUS, encoding="utf-8")

    def broken(*args, **kwargs):
        args[2].write('{"half": ')
        raise RuntimeError("boom")

    monkeypatch.setattr("cadre_rules.report.batch.run_audit", broken)
    result = CliRunner().invoke(main, ["audit", str(ROOT / "examples" / "cases"), "-o", str(out), "--lang", "en"])
    assert result.exit_code == 4  # an internal error has its own status …
    (line,) = result.stderr.strip().splitlines()
    assert re.fullmatch(f"internal error: RuntimeError in {WHERE}:[0-9]+ " + re.escape(
        "(a bug: please report it; its message is not shown, as it may quote the input: CADRE_RULES_DEBUG=1 "
        "shows it and the traceback)"), line), line
    zh = CliRunner().invoke(main, ["audit", str(ROOT / "examples" / "cases"), "-o", str(out)])
    (line,) = zh.stderr.strip().splitlines()
    assert zh.exit_code == 4 and re.fullmatch(f"内部错误：RuntimeError，位于 {WHERE}:[0-9]+" + re.escape(
        "（这是程序缺陷，请报告；错误信息可能引用输入的内容，故不显示：设置 CADRE_RULES_DEBUG=1 可显示错误信息和出错位置）"), line), line
    assert out.read_text(encoding="utf-8") == PREVIOUS  # … and leaves the previous report as it was
    assert not list(tmp_path.glob(".report.json.*"))
    monkeypatch.undo()
    ok = CliRunner().invoke(main, ["audit", str(BASELINE), "--format", "json", "-o", str(out)])
    assert ok.exit_code == 0 and json.loads(out.read_text(encoding="utf-8"))["summary"]["cases"] == 1
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


WHERE = "cadre_rules/cli/main.py"  # the innermost frame of the package: the audit command, which called the stage


NAME = "马俊杰"  # a candidate's name, as the message of an unexpected exception may quote it


@pytest.mark.parametrize("redact", [[], ["--redact"]])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_internal_error_does_not_print_its_message(monkeypatch, lang, redact):
    """A run-level crash printed `internal error: KeyError: '马俊杰'`: the text of an unexpected
    exception, which may quote the input (a name, an identity number, a birth date) — under --redact
    too. It now names the exception's type and the place in the package, never its text; the
    traceback and the text are for CADRE_RULES_DEBUG=1, asked for on purpose."""
    def stage(*args, **kwargs):
        raise KeyError(f"{NAME} 110101196805010011 1968-05-01")

    monkeypatch.setattr("cadre_rules.report.batch.Summary.to_dict", stage)
    args = ["audit", str(BASELINE), "--lang", lang, *redact]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 4
    (line,) = result.stderr.strip().splitlines()
    assert "KeyError" in line and "cadre_rules/report/batch.py" in line and "CADRE_RULES_DEBUG=1" in line
    for secret in (NAME, "110101196805010011", "1968-05-01"):
        assert secret not in line
    monkeypatch.setenv("CADRE_RULES_DEBUG", "1")  # asked for: the traceback with the message
    debug = CliRunner().invoke(main, args)
    assert debug.exit_code == 4 and NAME in debug.stderr and "Traceback" in debug.stderr


def test_an_internal_error_of_another_command_does_not_print_its_message(monkeypatch):
    def stage(*args, **kwargs):
        raise ValueError(f"no rank for {NAME}")

    monkeypatch.setattr("cadre_rules.report.spotcheck.rank", stage)
    result = CliRunner().invoke(main, ["spotcheck", str(BASELINE), "--size", "1", "--seed", "1"])
    assert result.exit_code == 4 and "ValueError" in result.stderr and NAME not in result.stderr


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_usage_errors_have_their_own_status():
    runner = CliRunner()
    assert runner.invoke(main, ["audit"]).exit_code == 3
    assert runner.invoke(main, ["no-such-command"]).exit_code == 3
    assert runner.invoke(main, ["audit", "x.json", "--workers", "-1"]).exit_code == 3
    assert runner.invoke(main, ["rules", "check", "/no/such/dir"]).exit_code == 3  # a bad argument value


def test_synth_writes_its_file_whole_or_says_why_not(tmp_path):
    """docs/cli.md: a file that cannot be written is status 5 in one line; `synth --out` into a missing
    folder was an internal error (status 4), and its file was written in place, not renamed when complete."""
    from cadre_rules.testing.synth import write_jsonl

    missing = tmp_path / "no-such-folder" / "s.jsonl"
    run = CliRunner().invoke(main, ["synth", "--n", "2", "--out", str(missing), "--lang", "en"])
    assert run.exit_code == 5, run.output
    assert run.stderr.strip().splitlines() == [f"error: cannot write {missing}: No such file or directory"]
    run = CliRunner().invoke(main, ["synth", "--n", "2", "--out", str(missing)])  # Chinese by default
    assert run.exit_code == 5 and run.stderr == f"错误：无法写出 {missing}：没有这个文件或目录\n"
    out = tmp_path / "s.jsonl"
    out.write_text(PREVIOUS, encoding="utf-8")
    ok = CliRunner().invoke(main, ["synth", "--n", "3", "--seed", "4", "--out", str(out), "--lang", "en"])
    assert ok.exit_code == 0 and ok.stderr.strip() == f"wrote 3 cases to {out}"
    ok = CliRunner().invoke(main, ["synth", "--n", "3", "--seed", "4", "--out", str(out)])
    assert ok.exit_code == 0 and ok.stderr == f"已将 3 个案例写入 {out}\n"
    write_jsonl(tmp_path / "direct.jsonl", 3, 4, 0.3)
    assert out.read_bytes() == (tmp_path / "direct.jsonl").read_bytes()  # the same bytes as before
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    assert not list(tmp_path.glob(".s.jsonl.*"))


def test_the_docx_report_is_written_as_every_report_is(tmp_path):
    """docs/cli.md "Output files": `report annual --docx` into a folder that does not exist was an internal
    error (exit 4); the .docx got mkstemp's 0600 where the Markdown got the umask's; and a target that is
    not a regular file (here a link to /dev/null) was replaced instead of written to."""
    args = ["report", "annual", "--year", "2021", "--org", "中共清溪县委", str(ROOT / "examples" / "cases")]
    missing = tmp_path / "no-such-folder" / "r.docx"
    zh = CliRunner().invoke(main, [*args, "--docx", str(missing)])
    assert zh.exit_code == 5 and zh.stderr.strip().splitlines() == [f"错误：无法写出 {missing}：没有这个文件或目录"]
    en = CliRunner().invoke(main, [*args, "--docx", str(missing), "--lang", "en"])
    assert en.exit_code == 5 and en.stderr.strip().splitlines() == [f"error: cannot write {missing}: No such file or directory"]
    docx = tmp_path / "r.docx"
    ok = CliRunner().invoke(main, [*args, "--docx", str(docx)])
    assert ok.exit_code == 0, ok.output
    assert oct(docx.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    link = tmp_path / "null.docx"
    link.symlink_to(os.devnull)
    ok = CliRunner().invoke(main, [*args, "--docx", str(link)])
    assert ok.exit_code == 0 and link.is_symlink() and not list(tmp_path.glob(".null.docx.*"))
