"""`cadre-rules test`: cases that state meta.expected are checked like a test run."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cadre_rules", "test", *args], capture_output=True, text=True, cwd=cwd)


def test_the_examples_pass():
    proc = run("examples/cases", "--quiet", "--lang", "en")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == f"{len(list(EXAMPLES.glob('*.yaml')))} passed, 0 failed, 0 errors, 0 skipped"


def test_a_wrong_expectation_fails_and_says_what_differs(tmp_path):
    case = next(EXAMPLES.glob("01-*.yaml"))
    text = case.read_text(encoding="utf-8")
    assert "violated: []" in text
    (tmp_path / "wrong.yaml").write_text(text.replace("violated: []", "violated: [DEC-QUORUM]", 1), encoding="utf-8")
    shutil.copy(next(EXAMPLES.glob("02-*.yaml")), tmp_path / "right.yaml")
    proc = run(str(tmp_path))
    assert proc.returncode == 1
    assert "未通过" in proc.stdout and "缺少 违规 DEC-QUORUM" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == "1 通过，1 未通过，0 错误，0 跳过"


def test_an_unknown_rule_in_the_expectation_is_an_error(tmp_path):
    case = next(EXAMPLES.glob("01-*.yaml"))
    (tmp_path / "typo.yaml").write_text(case.read_text(encoding="utf-8").replace("violated: []", "violated: [DEC-QUORM]", 1),
                                        encoding="utf-8")
    proc = run(str(tmp_path), "--lang", "en")
    assert proc.returncode == 2
    assert "unknown rule 'DEC-QUORM'" in proc.stdout


def test_cases_without_expectations_are_skipped_and_none_at_all_is_an_error(tmp_path):
    case = next(EXAMPLES.glob("01-*.yaml"))
    lines = case.read_text(encoding="utf-8").splitlines()
    start = lines.index("meta:")
    kept = lines[:start] + [line for line in lines[start + 1:] if not line.startswith((" ", "\t"))]
    (tmp_path / "plain.yaml").write_text("\n".join(kept) + "\n", encoding="utf-8")
    proc = run(str(tmp_path), "--lang", "en")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "0 passed, 0 failed, 0 errors, 1 skipped" in proc.stdout and "no case states meta.expected" in proc.stderr
