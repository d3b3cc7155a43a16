"""`--format github`: workflow-command annotations a GitHub Actions run turns into file annotations."""
from __future__ import annotations

import copy
import re
import subprocess
import sys
from pathlib import Path

from casedata import attend, dump

LINE = re.compile(r"^::(error|warning|notice) (?:file=([^,:]+)(?:,line=(\d+))?(?:,col=\d+)?,)?title=([^:]*)::(.*)$")


def run_github(tmp_path: Path, baseline: dict, lang: str = "zh") -> tuple[int, list[re.Match]]:
    stream = tmp_path / "cases.jsonl"
    broken = copy.deepcopy(baseline)
    broken["id"] = "2021-qx-czj-002"
    attend(broken, ["m01", "m02", "m03", "m04", "m05", "m06", "m07"])
    stream.write_text("\n".join([dump(baseline), dump(broken), '{"id": "x", "title": 1}']) + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "cadre_rules", "audit", str(stream), "--format", "github",
                           "--lang", lang], capture_output=True, text=True)
    lines = proc.stdout.splitlines()
    matches = [LINE.match(line) for line in lines]
    assert all(matches), [line for line, m in zip(lines, matches) if not m]
    return proc.returncode, matches


def test_each_finding_is_an_annotation_on_its_line(tmp_path, baseline):
    status, lines = run_github(tmp_path, baseline)
    assert status == 2  # the invalid third line
    on_case2 = [m for m in lines if m.group(3) == "2"]
    assert on_case2 and all(m.group(2).endswith("cases.jsonl") for m in on_case2)
    quorum = [m for m in on_case2 if m.group(4).startswith("DEC-QUORUM")]
    assert quorum and quorum[0].group(1) == "error"
    assert "%0A" in quorum[0].group(5) and "\n" not in quorum[0].group(5)  # message and citation, escaped
    assert not [m for m in lines if m.group(3) == "1"]  # the compliant case has nothing to say
    invalid = [m for m in lines if m.group(3) == "3"]
    assert len(invalid) == 1 and invalid[0].group(1) == "error" and "输入无效" in invalid[0].group(4)
    assert lines[-1].group(1) == "notice" and "3 个案例" in lines[-1].group(5)


def test_english_titles(tmp_path, baseline):
    _, lines = run_github(tmp_path, baseline, lang="en")
    assert any("DEC-QUORUM violation" in m.group(4) for m in lines)
    assert "3 cases" in lines[-1].group(5)


def test_properties_are_escaped():
    from cadre_rules.report.github import _place, _property

    assert _property("a:b,c%") == "a%3Ab%2Cc%25"
    assert _place("dir/x.jsonl:12") == "file=dir/x.jsonl,line=12"
    assert _place("C:case.yaml") == "file=C%3Acase.yaml"
