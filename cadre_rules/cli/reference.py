"""The rule reference for people: one Markdown page per stage, generated from the rule files alone.

Each rule shows its titles, severity, effective window, citations per edition (unverified ones marked),
parameters, notes, and which bundled example cases and Gherkin scenarios exercise it, so the staff who
own the rules can check them against the texts.
"""
from __future__ import annotations

from pathlib import Path

from cadre_rules.bdd.coverage import feature_files, read_feature
from cadre_rules.reading.yamlmarks import safe_load
from cadre_rules.rulebook import Rulebook
from cadre_rules.rulebook.model import Rule



def example_index(examples_dir: Path) -> dict[str, list[str]]:
    """Rule id → example files whose `meta.expected` lists it (any verdict)."""
    out: dict[str, list[str]] = {}
    for path in sorted(examples_dir.glob("*.y*ml")):
        data = safe_load(path.read_text(encoding="utf-8")) or {}
        expected = (data.get("meta") or {}).get("expected") or {}
        for rule_ids in expected.values():
            for rule_id in rule_ids or ():
                out.setdefault(rule_id, []).append(path.name)
    return out


def scenario_index(features_dir: Path) -> dict[str, list[str]]:
    """Rule id → "file: scenario title" for every scenario tagged with the rule id (or under a tagged
    rule block), read by the one Gherkin reader (bdd/coverage.py)."""
    out: dict[str, list[str]] = {}
    for path in feature_files(features_dir):
        scenarios, _ = read_feature(path, path.name, set())  # problems are `cadre-rules spec coverage`'s job
        for scenario in scenarios:
            for rule_id in scenario.rules:
                entry = f"{path.name}: {scenario.name}"
                entries = out.setdefault(rule_id, [])
                if entry not in entries:  # an outline's examples blocks are one scenario here
                    entries.append(entry)
    return out


def _rule_section(rule: Rule, rulebook: Rulebook, examples: list[str], scenarios: list[str]) -> list[str]:
    window = f"{rule.effective_from}" + (f" — {rule.effective_to}" if rule.effective_to else " —")
    catalogue = rule.catalogue
    lines = [
        f"## {rule.id} {rule.title['zh']}", "",
        f"*{rule.title['en']}*", "",
        f"- 严重性 Severity: **{rule.severity}**"
        + (f"（目录 catalogue row {catalogue.get('row')}: {catalogue.get('severity')}, confidence {catalogue.get('confidence')}）"
           if catalogue else ""),
        f"- 施行期间 Effective: {window}",
        f"- 规则文件 Source: `{rule.file}:{rule.line}`", "",
        "| 版本 Edition | 施行 In force | 依据 Citation | 可信度 Confidence | 核实 Verified |",
        "|---|---|---|---|---|",
    ]
    for c in rule.basis:
        edition = rulebook.editions[c.edition]
        span = f"{edition.start} — {edition.end or ''}"
        lines.append(f"| {c.edition} | {span} | {c.label('zh')}<br>{c.label('en')} | {c.confidence} | "
                     f"{'是 yes' if c.verified else '否 no（未核实）'} |")
    cited = list(dict.fromkeys(sid for c in rule.basis for sid in rulebook.legend.source_ids(c.source + " " + c.note)))
    if cited:
        lines += ["", "来源 Sources（rules/sources.yaml）:", ""]
        for sid in cited:
            src = rulebook.legend.sources[sid]
            lines.append(f"- [{sid}] {src.title}" + (f"（{src.instrument}）" if src.instrument else "")
                         + (f" — {src.where[0]}" if src.where else ""))
    notes = [f"{c.edition}: {c.note}" for c in rule.basis if c.note]
    if rule.parameters:
        lines += ["", "| 参数 Parameter | 值 Value | 说明 Meaning |", "|---|---|---|"]
        for p in rule.parameters.values():
            per_edition = [f"{c.edition}: {c.params[p.name]}" for c in rule.basis if p.name in c.params]
            value = f"`{p.default}`" + (f"（{'; '.join(per_edition)}）" if per_edition else "")
            lines.append(f"| `{p.name}` | {value} | {p.doc} |")
    if rule.notes or notes:
        lines += ["", "说明 Notes:", ""] + [f"- {n}" for n in ([rule.notes] if rule.notes else []) + notes]
    lines += ["", "条件 Condition (rule language):", "", "```text", _condition_text(rule, rulebook), "```", ""]
    if rule.message_variants:
        # Which defect a finding names: the first variant whose condition holds, else the general message.
        lines += ["说明文字 Messages（依次取第一个成立的情形 the first case that holds）:", "",
                  "| 情形 Case | 说明 Message |", "|---|---|"]
        for n, variant in enumerate(rule.message_variants):
            when = " ".join(_raw_rule(rule, rulebook).get("message_variants", [{}] * (n + 1))[n].get("when", "").split())
            lines.append(f"| `{when.replace('|', '¦')}` | {variant.message['zh']}<br>{variant.message['en']} |")
        lines += [f"| 其他 otherwise | {rule.message['zh']}<br>{rule.message['en']} |", ""]
    lines += ["示例案例 Example cases: " + (", ".join(f"`{e}`" for e in examples) or "—"),
              "", "验收场景 Scenarios:" + ("" if scenarios else " —")]
    lines += [f"- {s}" for s in scenarios]
    return lines + [""]


def _raw_rule(rule: Rule, rulebook: Rulebook) -> dict:
    """The rule as written in its file (re-read so the page shows the source, not the IR)."""
    path = rulebook.root.parent / rule.file
    data = safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    for raw in (data or {}).get("rules", []):
        if raw.get("id") == rule.id:
            return raw
    return {}


def _condition_text(rule: Rule, rulebook: Rulebook) -> str:
    """The condition as written in the rule file."""
    return str(_raw_rule(rule, rulebook).get("when", "(see the rule file)")).strip()


def generate_reference(rulebook: Rulebook, out_dir: Path, examples_dir: Path, features_dir: Path) -> list[Path]:
    """Write docs/rules/: an index and one page per stage. Returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    examples = example_index(examples_dir) if examples_dir.is_dir() else {}
    scenarios = scenario_index(features_dir) if features_dir.is_dir() else {}
    written: list[Path] = []
    index = ["# 规则参考 Rule reference", "",
             f"Generated from the rule files by `cadre-rules rules docs` (rulebook {rulebook.version}, profile "
             f"`{rulebook.profile}`). Do not edit by hand.", "",
             "| 阶段 Stage | 规则 Rules |", "|---|---|"]
    for stage, title in rulebook.stages.titles.items():
        rules = [r for r in rulebook.rules if r.stage == stage]
        if not rules:
            continue
        page = out_dir / f"{stage}.md"
        body = [f"# {title['zh']} {title['en']}", ""]
        for rule in rules:
            body += _rule_section(rule, rulebook, examples.get(rule.id, []), scenarios.get(rule.id, []))
        page.write_text("\n".join(body), encoding="utf-8")
        written.append(page)
        index.append(f"| [{title['zh']} {title['en']}]({stage}.md) | " + ", ".join(r.id for r in rules) + " |")
    (out_dir / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return [out_dir / "index.md"] + written
