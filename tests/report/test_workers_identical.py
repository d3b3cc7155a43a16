"""Workers read their own pieces of the input and send each back rendered in one chunk: the report,
standard error and exit status are byte for byte those of one process, for every format and every
shape of input (JSON Lines spans cut anywhere, case files by path, standard input, errors mixed in)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules.audit import batch
from cadre_rules.cli.main import main
from cadre_rules.report import FORMATS
from cadre_rules.testing.synth import generate

AS_OF = "2024-01-01"


def _line(case: dict) -> bytes:
    return json.dumps(case, ensure_ascii=False).encode("utf-8")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    """A JSON Lines file with every awkward line, a directory of case files with bad ones, a waiver file."""
    root = tmp_path_factory.mktemp("shapes")
    cases = list(generate(9, 5, 0.5))
    invalid = dict(cases[4], candidates="nobody")
    jsonl = root / "cases.jsonl"
    jsonl.write_bytes(b"".join([
        _line(cases[0]), b"\n", b"\n", b"   \n",  # blank lines
        _line(cases[1]), b"\r\n",  # CRLF
        b'{"id": "broken"\n',  # invalid JSON
        _line(cases[2])[:-1] + b', "title": "\xff"}\n',  # not UTF-8
        _line(invalid), b"\n",  # does not validate
        _line(cases[3]), b"\n",
        _line(cases[3]), b"\n",  # the same case id twice
        _line(cases[5]),  # a last line without a newline
    ]))
    folder = root / "folder"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.json").write_bytes(_line(cases[6]))
    (folder / "sub" / "b.json").write_bytes(_line(cases[7]))
    (folder / "c.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (folder / "d.json").write_bytes(b'{"id": "\xff"}')
    (folder / "e.jsonl").write_bytes(_line(cases[8]) + b"\n" + _line(cases[0]) + b"\n")
    (folder / "gone.json").symlink_to(folder / "nowhere.json")  # a dangling link
    os.mkfifo(folder / "pipe.json")  # not a regular file: refused, never opened
    (root / "empty.jsonl").write_bytes(b"")
    (root / "nothing").mkdir()
    waivers = root / "waivers.yaml"
    waivers.write_text(f"- case: {cases[0]['id']}\n  rule: DEC-QUORUM\n  approver: 张三\n  reason: 测试\n"
                       "  expires: 2030-12-31\n", encoding="utf-8")
    return {"root": root, "jsonl": jsonl, "folder": folder, "waivers": waivers}


def audit(args: list[str], workers: int, stdin: bytes | None = None) -> tuple[int, bytes, bytes]:
    result = CliRunner().invoke(main, ["audit", *args, "--as-of", AS_OF, "--workers", str(workers)], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout_bytes, result.stderr_bytes


def same(args: list[str], stdin: bytes | None = None) -> tuple[int, bytes, bytes]:
    one, two = audit(args, 1, stdin), audit(args, 2, stdin)
    assert one == two, args
    return one


@pytest.fixture
def small_pieces(monkeypatch):
    """Pieces of a few hundred bytes: several JSON Lines spans, a cut in almost every case."""
    monkeypatch.setattr(batch, "PIECE_BYTES", 700)
    monkeypatch.setattr(batch, "SMALLEST_PIECE_BYTES", 1)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_is_byte_identical_with_two_workers(inputs, small_pieces, fmt):
    args = [str(inputs["jsonl"]), str(inputs["folder"]), str(inputs["root"] / "missing.json"),
            "--format", fmt, "--waivers", str(inputs["waivers"]), "--lang", "en"]
    status, out, err = same(args)
    assert status == 2 and out
    assert b"cases.jsonl:5" in err and b"cases.jsonl:6" in err  # the broken line, the line not UTF-8
    assert b"appears more than once" in err and b"missing.json" in err + out
    if fmt == "jsonl":
        sources = [json.loads(line).get("source") for line in out.decode().splitlines()[:-1]]
        assert sources[:6] == [f"{inputs['jsonl']}:{n}" for n in (1, 4, 5, 6, 7, 8)]
        assert sources[7] == f"{inputs['jsonl']}:10"  # the last line, without a newline


@pytest.mark.parametrize("piece", [1, 5000, 10**7], ids=["a-line-each", "a-few-lines", "one-piece"])
def test_json_lines_spans_anywhere_read_as_one_process(inputs, monkeypatch, piece):
    monkeypatch.setattr(batch, "PIECE_BYTES", piece)
    monkeypatch.setattr(batch, "SMALLEST_PIECE_BYTES", 1)
    for fmt in ("jsonl", "sarif"):
        same([str(inputs["jsonl"]), "--format", fmt])


def test_standard_input_and_redaction(inputs, small_pieces):
    text = inputs["jsonl"].read_bytes()
    status, out, _ = same(["-", "--format", "json"], stdin=text)
    assert status == 2 and b'"source": "-:10"' in out
    same(["-", "--format", "github"], stdin=text)
    same([str(inputs["jsonl"]), str(inputs["folder"]), "--format", "jsonl", "--redact"])


def test_an_empty_input(inputs, small_pieces):
    for fmt in ("json", "junit", "table"):
        status, out, err = same([str(inputs["root"] / "empty.jsonl"), str(inputs["root"] / "nothing"),
                                 "--format", fmt])
        assert status == 2 and "没有找到案例文件" in err.decode()


def test_a_report_file_is_byte_identical(inputs, small_pieces, tmp_path):
    for workers in (1, 2):
        audit([str(inputs["jsonl"]), str(inputs["folder"]), "--format", "json", "-o", str(tmp_path / f"{workers}.json")],
              workers)
    assert (tmp_path / "1.json").read_bytes() == (tmp_path / "2.json").read_bytes()
    assert json.loads((tmp_path / "2.json").read_text(encoding="utf-8"))["summary"]["cases"] == 16
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1.json", "2.json"]  # no partial file left


def test_the_parent_never_reads_a_json_lines_case(inputs, small_pieces, monkeypatch):
    """The parent cuts JSON Lines files into spans (it never splits or decodes their lines) and
    hands other case files out by path; the pieces hold every case once, in input order."""
    from cadre_rules.reading import cases

    monkeypatch.setattr(cases, "_decode", lambda *a: pytest.fail("the parent decoded a case"))
    pieces = list(batch.iter_pieces([inputs["jsonl"], inputs["folder"]], batch.piece_sizes(2, 0)))
    spans = [p.span for p in pieces if p.span is not None and p.span[0] == str(inputs["jsonl"])]
    assert len(spans) > 3 and spans[0][1:] == (0, spans[0][2], 1)
    assert all(a[2] == b[1] for a, b in zip(spans, spans[1:]))  # contiguous
    assert spans[-1][2] == inputs["jsonl"].stat().st_size
    items = [item for p in pieces for item in p.items]
    assert [Path(i).name if isinstance(i, str) else Path(i.source).name for i in items][:5] == \
        ["a.json", "c.yaml", "d.json", "gone.json", "pipe.json"]


def test_the_first_spans_come_with_their_line_counted(inputs, small_pieces):
    """With `lead`, the first spans of a JSON Lines file carry their first line number, counted in the
    parent (so that every worker starts at once), and it is the line number the span starts at; the
    later spans' are left to the workers (`SpanLines`)."""
    from cadre_rules.reading.cases import count_lines

    path = inputs["jsonl"]
    pieces = list(batch.iter_pieces([path], batch.piece_sizes(2, 0), lead=3))
    spans = [p.span for p in pieces if p.span is not None]
    assert len(spans) > 4
    assert [s[3] for s in spans[:3]] == [count_lines(str(path), s[1]) for s in spans[:3]]
    assert spans[2][3] > spans[1][3] > spans[0][3] == 1
    assert all(s[3] is None for s in spans[3:])


def test_spans_end_at_the_last_line_end_before_each_cut(tmp_path):
    """`jsonl_spans` reads a few KiB before a cut first and the whole window only when no line ends in
    them: the cuts are those of the last newline before each cut, for lines shorter and longer than
    the first read, and past a line longer than the whole window."""
    from cadre_rules.reading.cases import _CUT_FIRST, _CUT_WINDOW, jsonl_spans

    lengths = [100, 3 * _CUT_FIRST, 50, _CUT_FIRST + 7, 2 * _CUT_WINDOW, 10, 9000, 300] * 3
    data = b"".join(b"x" * n + b"\n" for n in lengths)
    path = tmp_path / "long.jsonl"
    path.write_bytes(data)
    want = 5 * _CUT_FIRST
    expected, start = [], 0
    while start < len(data):
        end = len(data)
        if start + want < len(data):
            window = min(want, _CUT_WINDOW)
            newline = data.rfind(b"\n", start + want - window, start + want)
            end = newline + 1 if newline >= 0 else data.index(b"\n", start + want) + 1
        expected.append((start, end))
        start = end
    assert list(jsonl_spans(str(path), lambda: want)) == expected


def test_a_worker_that_dies_changes_nothing_in_the_report(inputs, small_pieces, monkeypatch, tmp_path):
    """A worker killed mid-run (as a crash in a C extension would end it): its piece and the rest of
    the input are judged in the parent; report, messages and status are those of one process."""
    from cadre_rules.audit.auditor import Auditor

    parent, original = os.getpid(), Auditor.judge
    victim = json.loads(inputs["jsonl"].read_bytes().splitlines()[7])["id"]  # line 8, the 4th span or so

    def judge(self, case, only=None):
        if case.id == victim and os.getpid() != parent:
            (tmp_path / "died").touch()
            os._exit(1)
        return original(self, case, only)

    monkeypatch.setattr(Auditor, "judge", judge)
    for fmt in ("jsonl", "junit"):
        status, out, err = same([str(inputs["jsonl"]), str(inputs["folder"]), "--format", fmt])
        assert status == 2 and victim.encode() in out
    assert (tmp_path / "died").exists()



def test_durable_engine_in_workers_is_identical_and_quiet():
    """A worker with the durable engine's child of its own closes it when it ends: the same report as
    one process, and no traceback of a child terminated at exit on standard error (a real process:
    the children's standard error is the terminal's, not a test runner's)."""
    import subprocess
    import sys

    pytest.importorskip("durable")
    root = Path(__file__).resolve().parents[2] / "examples" / "cases"
    args = [str(root / "01-合规-县财政局局长提拔.yaml"), str(root / "05-违规-2005年公示不足七天按2002年版判断.yaml"),
            "--engine", "durable", "--format", "jsonl"]
    one = audit(args, 1)
    two = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", *args, "--as-of", AS_OF, "--workers", "2"],
                         capture_output=True, timeout=300)
    assert (two.returncode, two.stdout, two.stderr) == one and one[0] == 1 and one[2] == b""
