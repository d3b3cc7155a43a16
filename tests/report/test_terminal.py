"""Tables fit the terminal they are written to and use colour only where it is wanted (issue 15, item 5):
NO_COLOR, FORCE_COLOR and COLUMNS are honoured; a file or a pipe gets no escape codes."""
from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

from click.testing import CliRunner
from rich.cells import cell_len

from cadre_rules.cli.main import main
from cadre_rules.report.terminal import DEFAULT_WIDTH, MIN_WIDTH, detect

ROOT = Path(__file__).resolve().parents[2]
CASE = str(ROOT / "examples" / "cases" / "13-违规-到会人数不足三分之二.yaml")


class _Pipe:
    def isatty(self) -> bool:
        return False


class _Tty:
    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        raise OSError("no real terminal")


def test_colour_and_width_follow_the_conventions() -> None:
    assert detect(_Pipe(), {}) == detect(_Pipe(), {"TERM": "xterm"})
    assert not detect(_Pipe(), {}).colour and detect(_Pipe(), {}).width == DEFAULT_WIDTH
    assert detect(_Tty(), {"TERM": "xterm"}).colour
    assert not detect(_Tty(), {"TERM": "dumb"}).colour
    assert not detect(_Tty(), {"NO_COLOR": "1", "TERM": "xterm"}).colour
    assert detect(_Pipe(), {"FORCE_COLOR": "1"}).colour
    assert not detect(_Pipe(), {"FORCE_COLOR": "1", "NO_COLOR": "1"}).colour  # NO_COLOR wins
    assert not detect(_Pipe(), {"FORCE_COLOR": "0"}).colour
    assert detect(_Pipe(), {"COLUMNS": "93"}).width == 93
    assert detect(_Pipe(), {"COLUMNS": "20"}).width == MIN_WIDTH
    assert detect(_Pipe(), {"COLUMNS": "wide"}).width == DEFAULT_WIDTH


def _table(env: dict[str, str], *args: str) -> str:
    result = CliRunner(env=env).invoke(main, ["audit", CASE, *args])
    assert result.exit_code == 1, result.output
    return result.stdout


def test_the_audit_table_fits_the_width_and_no_column_is_squeezed() -> None:
    for columns in (80, 200):
        out = _table({"COLUMNS": str(columns), "NO_COLOR": "", "FORCE_COLOR": ""})
        table = [ln for ln in out.splitlines() if ln[:1] in "┏┃┡│└"]
        assert table and max(cell_len(ln) for ln in table) <= columns
        assert "DEC-QUORUM" in out  # the rule id is never folded
        assert "\x1b[" not in out
    wide = _table({"COLUMNS": "200", "NO_COLOR": "", "FORCE_COLOR": ""})
    assert max(cell_len(ln) for ln in wide.splitlines()) > 160  # no longer fixed at 160


def test_colour_when_forced_and_never_with_no_color() -> None:
    coloured = _table({"FORCE_COLOR": "1", "NO_COLOR": "", "COLUMNS": "120"})
    assert "\x1b[1;31m违规" in coloured  # the verdict in bold red
    assert "\x1b[" not in _table({"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "120"})


def test_a_real_terminal_gets_its_width_and_colour() -> None:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR")}
    env["TERM"] = "xterm"
    proc = subprocess.Popen([sys.executable, "-m", "cadre_rules", "audit", CASE, "--no-progress"], stdout=slave,
                            stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    out = b"".join(chunks).decode("utf-8", "replace")
    assert "\x1b[" in out
    plain = [ln for ln in out.replace("\r", "").splitlines() if "┃" in ln or "│" in ln]
    import re

    widths = [cell_len(re.sub(r"\x1b\[[0-9;]*m", "", ln)) for ln in plain]
    assert widths and max(widths) == 100
