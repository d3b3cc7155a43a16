"""A non-editable install must find the bundled rules: build the wheel and use it from elsewhere."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from cadre_rules import load_rulebook

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_the_rulebook_and_works_outside_the_checkout(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True, text=True)
    (wheel,) = tmp_path.glob("cadre_rules-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    rule_files = sorted(p.relative_to(ROOT / "rules").as_posix() for p in (ROOT / "rules").rglob("*.yaml"))
    assert rule_files and all(f"cadre_rules/rules/{f}" in names for f in rule_files)
    assert any(n.endswith("entry_points.txt") for n in names)
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import cadre_rules as cr; from cadre_rules.rulebook import bundled_rules_dir;"
        "print(bundled_rules_dir()); print(len(cr.load_rulebook().rules));"
        "print(len(cr.audit(cr.load_case(sys.argv[2]))))"
    )
    example = ROOT / "examples" / "cases" / "01-合规-县财政局局长提拔.yaml"
    out = subprocess.run([sys.executable, "-c", probe, str(site), str(example)], cwd=elsewhere,
                         check=True, capture_output=True, text=True).stdout.split()
    assert out[0] == str(site / "cadre_rules" / "rules")
    assert int(out[1]) == len(load_rulebook().rules)  # the whole rulebook, loaded from the wheel
    assert out[2] == "0"
