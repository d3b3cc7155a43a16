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


def test_every_problem_is_said_in_the_report_language(tmp_path):
    """Under the default --lang zh a case that does not read, a case that does not validate and an
    expectation that is malformed are each said in Chinese (they were English whatever --lang said);
    under --lang en each is the English message as before."""
    from wording import english_words

    case = next(EXAMPLES.glob("01-*.yaml")).read_text(encoding="utf-8")
    promise = "expected: {violated: [], pending: [], unknown: []}"
    assert promise in case
    files = {
        "a-yaml.yaml": case + "\n  : : :\n",
        "b-field.yaml": case.replace("participants_expected: 45", "participants_expected: 45\n    bogus: 1", 1),
        "c-shape.yaml": case.replace(promise, "expected: [1]", 1),
        "d-list.yaml": case.replace(promise, "expected: {violated: 5, pending: [], unknown: []}", 1),
        "e-rule.yaml": case.replace(promise, "expected: {violated: [DEC-QUORM], pending: [], unknown: []}", 1),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    zh, en = run(str(tmp_path), str(tmp_path / "absent.yaml")), run(str(tmp_path), str(tmp_path / "absent.yaml"), "--lang", "en")
    assert zh.returncode == en.returncode == 2
    said = [line.strip() for line in zh.stdout.splitlines() if line.startswith("    ")]
    assert len(said) == len(files) + 1
    for line in said:
        assert not english_words(line.split(": ")[-1]), line
    assert said[2:] == ["meta.expected: 应为映射，把 `violated`、`pending`、`unknown` 各对应到一个规则编号列表",
                        "meta.expected.violated: 应为规则编号的列表",
                        "meta.expected.violated: 规则库中没有规则 'DEC-QUORM'",
                        "没有这个文件或目录"]
    assert [line.strip() for line in en.stdout.splitlines() if line.startswith("    ")][2:] == [
        "meta.expected: must map exactly violated, pending, unknown to lists of rule ids",
        "meta.expected.violated: must be a list of rule ids",
        "meta.expected.violated: unknown rule 'DEC-QUORM'",
        "no such file or directory"]
    assert zh.stdout.strip().splitlines()[-1] == "0 通过，0 未通过，6 错误，0 跳过"
