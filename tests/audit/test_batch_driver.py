"""One case reader (reading/cases.py) and one batch driver (audit/batch.py) for every batch."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import cadre_rules
from cadre_rules import Auditor, ErrorKind, load_rulebook
from cadre_rules.audit import batch
from cadre_rules.audit.batch import BatchOptions, judge_paths
from cadre_rules.reading.cases import iter_units, parse_unit, read_cases, unit_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"


@pytest.fixture
def inputs(tmp_path) -> Path:
    """A valid case, a JSON Lines file with a good line, a bad line and a blank line, and bad files."""
    good = json.loads(json.dumps(next(iter(read_cases([EXAMPLES / "01-合规-县财政局局长提拔.yaml"]))).data,
                                 default=str))
    (tmp_path / "a.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps(good, ensure_ascii=False) + "\n{oops\n\n" +
                                      json.dumps({"id": "x2", "title": 3}) + "\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (tmp_path / "d.json").write_bytes(b'{"id": "\xff"}')
    (tmp_path / "notes.txt").write_text("not a case", encoding="utf-8")  # skipped in a walk, refused by name
    return tmp_path


def test_units_by_reference_read_the_same_texts_and_errors(inputs):
    paths = [inputs, inputs / "missing.json", inputs / "notes.txt"]
    plain, refs = list(iter_units(paths)), list(iter_units(paths, by_reference=True))
    assert [u.source for u in plain] == [u.source for u in refs]
    assert any(u.file and u.text is None for u in refs)  # regular files go by reference
    assert [unit_text(u) for u in plain] == [unit_text(u) for u in refs]
    assert [parse_unit(u) for u in plain] == [parse_unit(u) for u in refs] == list(read_cases(paths))
    errors = {r.source.replace(str(inputs), ""): r.input_error().describe(r.source.replace(str(inputs), ""))
              for r in read_cases(paths) if r.error}
    assert errors["/b.jsonl:2"].startswith("/b.jsonl:2:2: invalid JSON")
    assert errors["/c.yaml"].startswith("/c.yaml:2:1: invalid YAML")
    assert errors["/d.json"].startswith("/d.json:1: not UTF-8: byte 0xff")
    assert errors["/missing.json"] == "/missing.json: no such file or directory"
    assert errors["/notes.txt"].startswith("/notes.txt: not a case file")


def test_dash_reads_json_lines_from_standard_input(inputs):
    text = (inputs / "b.jsonl").read_bytes()
    units = list(iter_units(["-"], by_reference=True, stdin=io.BytesIO(text)))
    assert [u.source for u in units] == ["-:1", "-:2", "-:4"] and all(u.file is None for u in units)
    from_file = [r.data or r.error for r in read_cases([inputs / "b.jsonl"])]
    assert [parse_unit(u).data or parse_unit(u).error for u in units] == from_file


@pytest.mark.parametrize("piped, units", [
    ("yaml", 1),     # a YAML case piped in: one problem, where each of its lines was a JSON error
    ("pretty", 1),   # a pretty-printed JSON case: the same
    ("bad-first", 3),  # JSON Lines whose first line is broken: every line read, the cases after it too
])
def test_standard_input_that_is_not_json_lines_is_one_problem_saying_how_it_is_read(piped, units):
    import yaml as _yaml

    case = _yaml.safe_load(next((ROOT / "examples" / "cases").glob("01-*.yaml")).read_text(encoding="utf-8"))
    line = json.dumps(case, ensure_ascii=False, default=str)
    text = {"yaml": _yaml.safe_dump(case, allow_unicode=True),
            "pretty": json.dumps(case, ensure_ascii=False, default=str, indent=2),
            "bad-first": "not a case\n" + line + "\n" + line + "\n"}[piped]
    got = list(iter_units(["-"], stdin=io.BytesIO(text.encode("utf-8"))))
    assert len(got) == units
    if units == 1:
        (unit,) = got
        assert unit.source == "-:1" and unit.error.kind == ErrorKind.stdin_not_json_lines
        assert unit.error.params["lines"] == len([x for x in text.splitlines() if x.strip()])
    else:
        assert [u.error is None for u in got] == [True, True, True]  # the bad line fails when parsed, alone


def test_cli_audit_reads_standard_input(inputs):
    proc = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", "-", "--format", "jsonl"],
                          input=(inputs / "b.jsonl").read_bytes(), capture_output=True)
    lines = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [c.get("source") for c in lines[:-1]] == ["-:1", "-:2", "-:4"]
    assert [c["status"] for c in lines[:-1]] == ["ok", "invalid", "invalid"]
    assert "-:2:2: JSON 格式错误：".encode() in proc.stderr and proc.returncode == 2  # --lang zh (default)


def test_auditor_audit_paths_goes_through_the_driver(inputs, monkeypatch):
    seen = []
    original = batch.iter_units

    def counting(paths, **kw):
        for unit in original(paths, **kw):
            seen.append(unit.source)
            yield unit

    monkeypatch.setattr(batch, "iter_units", counting)
    auditor = Auditor()
    results = list(auditor.audit_paths([inputs]))
    assert [r.source for r in results] == seen and len(seen) == 6
    assert [r.status for r in results] == ["ok", "ok", "invalid", "invalid", "invalid", "invalid"]
    assert results[0].findings == auditor.findings(cadre_rules.load_case(inputs / "a.json"))


def test_workers_give_the_same_judged_results_in_the_same_order(inputs):
    rulebook = load_rulebook()
    serial = [j.result.to_dict() for j in judge_paths([inputs, EXAMPLES], BatchOptions(), rulebook=rulebook)]
    parallel = [j.result.to_dict() for j in judge_paths([inputs, EXAMPLES], BatchOptions(), workers=2,
                                                           rulebook=rulebook)]
    assert serial == parallel and len(serial) == 6 + len(list(EXAMPLES.glob("*.yaml")))


def test_a_forked_worker_judges_with_the_parents_compiled_rules():
    """Workers started by fork take the parent's compiled Python-engine auditor (no second compile of
    the rulebook per worker); a durable-engine auditor (its own child process) is never shared."""
    rulebook = load_rulebook()
    options = BatchOptions()
    auditor = Auditor(rulebook)
    batch._INHERITED[options] = (rulebook, None, auditor)
    try:
        judge = batch._worker_factory((options, None, None)).__self__
        assert judge.auditor is auditor and judge.rulebook is rulebook
        batch._INHERITED[options] = (rulebook, None, None)
        assert batch._worker_factory((options, None, None)).__self__.auditor is not auditor
    finally:
        batch._INHERITED.clear()


def test_driver_raises_rulebook_and_waiver_errors_at_the_call(tmp_path):
    with pytest.raises(cadre_rules.WaiverError):
        judge_paths([tmp_path], BatchOptions(waivers=str(tmp_path / "none.yaml")))
    with pytest.raises(cadre_rules.RulebookError):
        judge_paths([tmp_path], BatchOptions(rules_dir=str(tmp_path / "no-rules")))


def test_workers_0_picks_a_number_that_pays(inputs, tmp_path_factory):
    """`--workers 0`: the free cores (affinity less the load), two at least or judged in-process;
    never a pool for an input too small to pay for starting it; the judged results are the same."""
    big = tmp_path_factory.mktemp("big") / "big.jsonl"
    line = (inputs / "a.json").read_text(encoding="utf-8") + "\n"
    big.write_text(line * (batch.AUTO_MIN_BYTES // len(line.encode()) + 1), encoding="utf-8")
    assert batch.auto_workers([big], cpus=8, load=0.2) == 8
    assert batch.auto_workers([big], cpus=8, load=5.0) == 3
    assert batch.auto_workers([big], cpus=2, load=0.9) == 1  # one free core: a pool would only be slower
    assert batch.auto_workers([big], cpus=1, load=0.0) == 1
    assert batch.auto_workers([inputs], cpus=8, load=0.0) == 1  # a few small files
    assert batch.auto_workers(iter(["-"]), cpus=4, load=0.0) == 4  # standard input: size unknown
    assert batch.auto_workers([big], cpus=2, load=0.4) == 2
    options = BatchOptions()
    auto = [j.result.to_dict() for j in judge_paths(iter([inputs]), options, workers=0)]
    assert auto == [j.result.to_dict() for j in judge_paths([inputs], options, workers=1)] and auto


def test_workers_0_counts_work_that_just_began_and_a_cpu_quota(tmp_path, monkeypatch):
    """The load average lags a minute behind: processes running now count when they are more. A
    control group allowed one CPU's time gets no pool however many cores it sees."""
    loadavg = tmp_path / "loadavg"
    monkeypatch.setattr(batch.os, "getloadavg", lambda: (0.2, 0.1, 0.0))
    loadavg.write_text("0.20 0.10 0.00 1/120 4242\n")  # only this process runs
    assert batch.current_load(str(loadavg)) == 0.2
    loadavg.write_text("0.20 0.10 0.00 3/120 4242\n")  # two others run now
    assert batch.current_load(str(loadavg)) == 2.0
    assert batch.current_load(str(tmp_path / "none")) == 0.2
    cgroup, root = tmp_path / "cgroup", tmp_path / "fs"
    (root / "box").mkdir(parents=True)
    cgroup.write_text("0::/box\n")
    (root / "box" / "cpu.max").write_text("max 100000\n")
    assert batch._cgroup_quota(str(cgroup), str(root)) is None
    (root / "box" / "cpu.max").write_text("150000 100000\n")
    assert batch._cgroup_quota(str(cgroup), str(root)) == 1.5
    (root / "cpu,cpuacct" / "v1").mkdir(parents=True)
    cgroup.write_text("4:memory:/x\n2:cpu,cpuacct:/v1\n")
    (root / "cpu,cpuacct" / "v1" / "cpu.cfs_quota_us").write_text("100000\n")
    (root / "cpu,cpuacct" / "v1" / "cpu.cfs_period_us").write_text("100000\n")
    assert batch._cgroup_quota(str(cgroup), str(root)) == 1.0
    monkeypatch.setattr(batch, "_cgroup_quota", lambda: 1.0)
    monkeypatch.setattr(batch.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    assert batch.usable_cpus() == 1
    assert batch.auto_workers(["-"], load=0.0) == 1
    monkeypatch.setattr(batch, "_cgroup_quota", lambda: None)
    assert batch.usable_cpus() == 4 and batch.auto_workers(["-"], load=0.0) == 4


def test_pieces_grow_smaller_towards_the_end_and_results_keep_their_order():
    size = batch.piece_sizes(2, total=1_000_000, largest=64_000, smallest=8_000)
    assert size(0) == 64_000 and size(400_000) == 64_000  # 600 kB left: more than four pieces a worker
    assert size(900_000) == 12_500  # 100 kB left: a quarter of a worker's share
    assert size(990_000) == 8_000 and size(2_000_000) == 8_000  # never below the smallest
    assert batch.piece_sizes(2, total=0)(123) == batch.PIECE_BYTES  # size unknown (standard input)
    out = list(batch.run_ordered(_square_factory, None, _apply, range(300), 2))
    assert out == [i * i for i in range(300)]


def _apply(item):
    """A task run in a worker: its function (`factory(arg)`) applied to the item."""
    return batch._WORKER_FN(item)


def _square_factory(arg):
    return lambda i: i * i

