"""Case errors name `file:line:column` and the nearest valid spelling; SARIF places each finding on
the line of the record it rests on and links each rule to its reference page (issue 15, item 3)."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

from click.testing import CliRunner

from cadre_rules.cli.main import main
from cadre_rules.reading.places import Locator

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "cases" / "01-合规-县财政局局长提拔.yaml"
QUORUM = ROOT / "examples" / "cases" / "13-违规-到会人数不足三分之二.yaml"


def _audit(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["audit", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_yaml_errors_name_line_column_and_the_nearest_name_or_code(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    bad = tmp_path / "a.yaml"
    bad.write_text(text.replace("kind: standing_committee", "kind: standing_comittee")
                   .replace("  quota: 1", "  quta: 1"), encoding="utf-8")
    code, _, stderr = _audit("--format", "json", str(bad))
    assert code == 2
    kind_line, quota_line = _line_of(bad, "standing_comittee"), _line_of(bad, "quta:")
    assert (f"{bad}:{kind_line}:3: 案例 2021-qx-czj-001：body.kind: 应为以下取值之一：'standing_committee'"
            in stderr)
    assert '（是否应为 "standing_committee"？）' in stderr
    assert f'{bad}:{quota_line}:3: 案例 2021-qx-czj-001：post.quta: 未知字段（是否应为 "quota"？）' in stderr


def test_a_word_far_from_every_name_gets_no_guess(tmp_path: Path, baseline: dict) -> None:
    baseline["post"]["zzzzqqq"] = 1
    (tmp_path / "a.json").write_text(json.dumps(baseline, ensure_ascii=False, default=str))
    _, _, stderr = _audit(str(tmp_path / "a.json"))
    assert "post.zzzzqqq: 未知字段\n" in stderr


def test_multi_line_json_places_unknown_ids_and_over_limit_values(tmp_path: Path, baseline: dict) -> None:
    baseline["meetings"][0]["attendees"][0] = "m99"
    pretty = json.dumps(baseline, ensure_ascii=False, default=str, indent=2)
    (tmp_path / "ref.json").write_text(pretty, encoding="utf-8")
    # issue 16's leftover: a too-long or too-deep value in a multi-line file is named by its line
    baseline["meetings"][0]["attendees"][0] = "m01"
    baseline["title"] = "长" * 100_001
    (tmp_path / "long.json").write_text(json.dumps(baseline, ensure_ascii=False, default=str, indent=2))
    del baseline["title"]
    deep: object = []
    for _ in range(70):
        deep = [deep]
    baseline["notes"] = deep
    (tmp_path / "deep.json").write_text(json.dumps(baseline, ensure_ascii=False, default=str, indent=1))
    code, out, stderr = _audit("--format", "json", str(tmp_path))
    assert code == 2
    ref_line = next(i for i, ln in enumerate(pretty.splitlines(), 1) if '"m99"' in ln)
    assert f'{tmp_path / "ref.json"}:{ref_line}:9: 案例 ' in stderr
    assert '未知的班子成员 "m99"（是否应为 "m09"？）' in stderr
    long_line = _line_of(tmp_path / "long.json", '"title"')
    assert f"{tmp_path / 'long.json'}:{long_line}:3: title: 字符串过长（超过 " in stderr  # --lang zh (default)
    deep_line = _line_of(tmp_path / "deep.json", '"notes"')
    assert f"{tmp_path / 'deep.json'}:{deep_line + 63}:" in stderr and "嵌套过深（超过 64 层）" in stderr
    cases = {Path(c["source"]).name: c for c in json.loads(out)["cases"]}
    assert cases["long.json"]["errors"][0]["line"] == long_line  # the JSON report carries the place too


def test_json_lines_errors_name_the_line_and_the_column_on_it(tmp_path: Path, baseline: dict) -> None:
    baseline["move"] = "promtion"
    line = json.dumps(baseline, ensure_ascii=False, default=str)
    (tmp_path / "b.jsonl").write_text('{"id": "ok"}\n' + line + "\n")
    _, _, stderr = _audit(str(tmp_path / "b.jsonl"))
    column = line.index('"move"') + 1
    assert f'{tmp_path / "b.jsonl"}:2:{column}: 案例 2021-qx-czj-001：move: ' in stderr
    assert '（是否应为 "promotion"？）' in stderr


def test_locator_finds_paths_in_yaml_and_json_alike() -> None:
    yaml_text = "id: a\nmeetings:\n  - id: mt1\n    agenda:\n      - {id: a1, member: m9}\n"
    json_text = '{"id": "a",\n "meetings": [\n  {"id": "mt1", "agenda": [{"id": "a1", "member": "m9"}]}]}'
    assert Locator(yaml_text, ".yaml").find("meetings[0].agenda[0].member") == (5, 18)
    assert Locator(json_text, ".json").find("meetings[0].agenda[0].member") == (3, 41)
    assert Locator(json_text, ".json").find("meetings[0].missing") == (3, 3)  # the deepest part present
    assert Locator("{broken", ".json").find("id") is None


def test_sarif_results_carry_the_region_of_their_record_and_rules_a_help_uri() -> None:
    code, out, _ = _audit("--format", "sarif", str(QUORUM))
    run = json.loads(out)["runs"][0]
    (result,) = [r for r in run["results"] if r["ruleId"] == "DEC-QUORUM"]
    assert result["properties"]["paths"][0] == "meetings[0].agenda[0]"
    region = result["locations"][0]["physicalLocation"]["region"]
    lines = QUORUM.read_text(encoding="utf-8").splitlines()
    agenda = next(i for i, ln in enumerate(lines, 1) if ln.strip() == "agenda:")
    assert region["startLine"] == agenda + 1 and lines[agenda].strip().startswith("- ")
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    uri = rules["DEC-QUORUM"]["helpUri"]
    assert uri.endswith("/docs/rules/decision.md#dec-quorum")
    page = Path(unquote(uri.removeprefix("file://").split("#")[0]))
    assert "## DEC-QUORUM " in page.read_text(encoding="utf-8")  # the anchor's heading is on that page
    _, out, _ = _audit("--format", "sarif", "--docs-url", "https://docs.example.org/cadre/", str(QUORUM))
    rules = {r["id"]: r for r in json.loads(out)["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["DEC-QUORUM"]["helpUri"] == "https://docs.example.org/cadre/rules/decision/#dec-quorum"
