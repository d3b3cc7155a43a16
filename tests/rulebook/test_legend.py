"""The legend of the rule files: every [S#] / O# tag resolves, an unknown one is a load error with
file:line, and no citation a reader sees names an internal edition id."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from cadre_rules.rulebook import RulebookError, bundled_rules_dir, load_rulebook
from cadre_rules.rulebook.legend import OPEN_QUESTION_TAG, SOURCE_TAG

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), root)
    return root


def load_errors(root: Path) -> list[str]:
    with pytest.raises(RulebookError) as info:
        load_rulebook(root)
    return [str(e) for e in info.value.errors]


def line_number(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_an_unknown_source_tag_is_a_load_error_with_file_and_line(rules_copy):
    path = rules_copy / "national" / "21-recommendation-rounds.yaml"
    text = path.read_text(encoding="utf-8")
    needle = '{edition: "2014", article: "14", confidence: high, verified: true, source: "[S8]"}'
    assert needle in text
    path.write_text(text.replace(needle, needle.replace("[S8]", "[S99]")), encoding="utf-8")
    line = line_number(path, "[S99]")
    assert f"rules/national/21-recommendation-rounds.yaml:{line}: REC-VALIDITY-1Y: unknown source [S99]" in load_errors(rules_copy)


def test_an_unknown_open_question_and_catalogue_severity_are_load_errors(rules_copy):
    path = rules_copy / "national" / "40-decision.yaml"
    text = path.read_text(encoding="utf-8")
    assert "（O2）" in text and "severity: H-VOID" in text
    path.write_text(text.replace("（O2）", "（O42）", 1).replace("severity: H-VOID", "severity: H-NULL", 1),
                    encoding="utf-8")
    errors = load_errors(rules_copy)
    assert any(re.search(r"40-decision\.yaml:\d+: [A-Z-]+: unknown open question O42$", e) for e in errors), errors
    assert any("unknown catalogue severity 'H-NULL'" in e for e in errors), errors


def test_a_rulebook_without_sources_file_refuses_its_tags(rules_copy):
    (rules_copy / "sources.yaml").unlink()
    errors = load_errors(rules_copy)
    assert any(e.endswith("unknown source [S8]") for e in errors)


def test_every_tag_in_the_bundled_rules_resolves():
    """Every [S#] and O# written anywhere under rules/ (comments included) is in the legend."""
    rulebook = load_rulebook()
    legend = rulebook.legend
    unresolved = []
    for path in sorted(bundled_rules_dir().rglob("*.yaml")):
        if path.name in ("sources.yaml", "open-questions.yaml"):
            continue
        text = path.read_text(encoding="utf-8")
        unresolved += [f"{path.name}: [{t}]" for t in SOURCE_TAG.findall(text) if t not in legend.sources]
        unresolved += [f"{path.name}: {t}" for t in OPEN_QUESTION_TAG.findall(text) if t not in legend.open_questions]
    assert not unresolved
    assert {r.catalogue.get("severity") for r in rulebook.rules if r.catalogue} <= set(legend.severities)
    # each source says where it can be read and what it is used for
    assert all(s.where and s.used_for for s in legend.sources.values())


def _internal_ids(rulebook) -> list[str]:
    return list(rulebook.editions)


def _assert_no_internal_id(text: str, ids: list[str]) -> None:
    """Ids like "2016-opinion" must not appear at all; the 条例's ids are years, which a title may carry
    ("（2014年）", "(2014)") but never as the bare Chinese tag "（2014）" the labels used to show."""
    for eid in ids:
        assert f"（{eid}）" not in text, text
        if not eid.isdigit():
            assert eid not in text, text
    assert not re.search(r"[\u4e00-\u9fff》] \(\d{4}\)", text), text  # "…条例 (2014) Art." — the old English form


def test_no_rendered_citation_names_an_internal_edition_id():
    rulebook = load_rulebook()
    ids = _internal_ids(rulebook)
    assert "2016-opinion" in ids
    labels = [c.label(lang) for r in rulebook.rules for c in r.basis for lang in ("zh", "en")]
    for label in labels:
        _assert_no_internal_id(label, ids)
    # the instruments are named by their titles
    assert any(label.startswith("《关于防止干部“带病提拔”的意见》（中共中央办公厅，2016年）") for label in labels)
    assert any(label.startswith("《党政领导干部选拔任用工作条例》（2014年）第14条") for label in labels)


def test_no_citation_in_the_example_reports_names_an_internal_edition_id():
    """The frozen example reports: every citation and see-also citation a reader sees."""
    rulebook = load_rulebook()
    ids = _internal_ids(rulebook)
    cases = json.loads((ROOT / "tests/data/frozen/examples-cases.json").read_text(encoding="utf-8"))
    seen = 0
    for case in cases:
        for finding in case.get("findings", []):
            for cited in [finding["citation"], *(c["citation"] for c in finding.get("also_cited", []))]:
                for text in cited.values():
                    _assert_no_internal_id(text, ids)
                    seen += 1
    assert seen > 100


def test_rules_list_sums_up_citations_per_edition_and_json_carries_each_citations_state():
    from click.testing import CliRunner

    from cadre_rules.cli import main

    runner = CliRunner()
    table = runner.invoke(main, ["rules", "list"])
    assert table.exit_code == 0
    assert "《党政领导干部选拔任用工作条例》（2019年） [2019]:" in table.output
    data = json.loads(runner.invoke(main, ["rules", "list", "--format", "json"]).output)
    counted = {}
    for rule in data["rules"]:
        for c in rule["basis"]:
            assert c["located"] == (c["article"] is not None) and c["status"] in ("verified", "located", "not_located")
            assert c["from"] and ("to" in c)
            counted.setdefault(c["edition"], {"verified": 0, "located": 0, "not_located": 0})[c["status"]] += 1
    assert counted == data["citations"]
    # the summary line of each edition states the same counts
    for eid, n in data["citations"].items():
        line = f"[{eid}]: {sum(n.values())} — verified {n['verified']}, located {n['located']}, not located {n['not_located']}"
        assert line in table.output, line
    rec = next(r for r in data["rules"] if r["id"] == "REC-REQUIRED")
    assert [(c["edition"], c["from"], c["to"]) for c in rec["basis"]] == [
        ("2002", "2002-07-09", "2014-01-13"), ("2014", "2014-01-14", "2019-03-02"), ("2019", "2019-03-03", None)]
    assert rec["basis"][1]["sources"][0]["title"]  # sources by title


def test_historical_page_lists_every_edition_and_every_late_rule():
    """docs/historical.md: the editions table and the table of rules starting after 2002-07-09 are current."""
    from collections import defaultdict
    from datetime import date

    text = (ROOT / "docs" / "historical.md").read_text(encoding="utf-8")
    rulebook = load_rulebook()
    editions = text.split("<!-- editions:begin -->")[1].split("<!-- editions:end -->")[0]
    for e in rulebook.editions.values():
        assert f"| {e.heading()['zh']} | `{e.id}` |" in editions and f"| {e.start} |" in editions, e.id
    late = defaultdict(list)
    for r in rulebook.rules:
        if r.effective_from > date(2002, 7, 9):
            late[r.effective_from].append(r.id)
    starts = text.split("<!-- starts:begin -->")[1].split("<!-- starts:end -->")[0]
    rows = [line for line in starts.splitlines() if line.startswith("| 2")]
    assert rows == [f"| {d} | {', '.join(f'`{i}`' for i in sorted(late[d]))} |" for d in sorted(late)]


def _unexplained_silences(rules) -> list[str]:
    """Rules that start after 2002-07-09 (the first 条例 edition the rulebook knows) without their file saying why
    no instrument applied before: the notes must hold "Silent before <start>" and a reason after it."""
    from datetime import date

    out = []
    for r in rules:
        if r.effective_from <= date(2002, 7, 9):
            continue
        match = re.search(rf"Silent before {r.effective_from}\b[^:]*:\s*(.+)", r.notes or "", re.S)
        if not match or len(match.group(1).strip()) < 40:
            out.append(r.id)
    return out


def test_no_rule_is_silent_after_2002_unless_its_file_says_why(tmp_path):
    """Issue 12: no rule is silent between 2002-07-09 and its start date unless its file says why no instrument
    applied. Checked on the bundled rules (case rules and register rules); and the check can fail: a rule whose
    start moves later, or whose reason is removed, is named."""
    rulebook = load_rulebook()
    assert _unexplained_silences([*rulebook.rules, *rulebook.register_rules]) == []
    root = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), root)
    path = root / "national" / "40-decision.yaml"
    text = path.read_text(encoding="utf-8")
    quorum = text.index("  - id: DEC-QUORUM")
    moved = text[:quorum] + text[quorum:].replace("effective: {from: 2002-07-09}", "effective: {from: 2004-01-01}", 1)
    path.write_text(moved, encoding="utf-8")
    assert _unexplained_silences(load_rulebook(root).rules) == ["DEC-QUORUM"]
    path.write_text(text.replace("Silent before 2019-03-03 (issue 12): the main leader", "The main leader", 1), encoding="utf-8")
    assert _unexplained_silences(load_rulebook(root).rules) == ["DEC-LAST-SPEAKER"]
