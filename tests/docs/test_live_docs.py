"""The live documentation matches the code: the tutorial's program runs and prints what the tutorial
shows, and docs/live.md lists every event kind and every procedural refusal."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from cadre_rules.live import EVENT_KINDS, PROCEDURAL

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def test_the_tutorial_program_runs_and_prints_what_the_tutorial_shows():
    proc = subprocess.run([sys.executable, str(DOCS / "examples" / "live_app.py")], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr == "", proc.stderr  # it used a vote's deprecated yes/no: a FutureWarning on every run
    tutorial = (DOCS / "tutorial-live.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```(\w*)\n(.*?)^```", tutorial, re.S | re.M)
    shown = [body for tag, body in blocks if not tag and body.startswith(("[", "  "))]
    assert len(shown) >= 8
    for block in shown:
        assert block in proc.stdout, f"the tutorial shows output the program does not print:\n{block}"


def test_live_md_lists_every_event_kind_and_procedural_refusal():
    text = (DOCS / "live.md").read_text(encoding="utf-8")
    for kind in EVENT_KINDS:
        assert f"| `{kind}` |" in text, kind
    for rule_id in PROCEDURAL:
        assert f"| `{rule_id}` |" in text, rule_id
