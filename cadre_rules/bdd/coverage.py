"""Rule coverage of the specs: which rules have a violating and a compliant scenario.

A scenario belongs to every rule whose id it carries as a tag (@DEC-QUORUM), and is classified by
one class tag: @违规/@violating, @合规/@compliant, @待定/@pending or @无法判断/@unknown. Tags
of the feature, of the `规则:`/`Rule:` block and, for a scenario outline, of each `例子:`/`Examples:`
block count too, so an outline may be split into a violating and a compliant examples block.

A rule is covered when it has at least one violating and one compliant scenario. Problems that
make the report fail as well:

* a rule-tagged scenario with no class tag, or with two;
* a class tag on a scenario that names no rule;
* a tag that looks like a rule id but is not in the rulebook (a renamed or mistyped rule);
* a violating, pending or unknown scenario whose steps never name its rule (it cannot check it);
* two scenarios of one feature with the same name (pytest-bdd would run only the last);
* a feature file that does not parse.

Gherkin is read with gherkin-official (installed with pytest-bdd).
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any, Iterable

from cadre_rules.codes import ScenarioClass
from cadre_rules.rulebook import Rule, Rulebook
from cadre_rules.errors import CoverageInputError
from cadre_rules.bdd.vocabulary import RULE_ID, SCENARIO_CLASSES

REQUIRED_KINDS = ("violating", "compliant")
KINDS = ScenarioClass.values()
KIND_ZH = {kind.value: kind.zh for kind in ScenarioClass}
#: The classes whose scenarios must show the rule flagging something.
FLAGGING = tuple(k for k in KINDS if k != ScenarioClass.compliant)


@dataclass(frozen=True)
class SpecScenario:
    feature: str  # path relative to the features directory
    name: str
    line: int
    kind: str | None
    rules: tuple[str, ...]
    tags: tuple[str, ...]
    examples: tuple[str, ...] = ()  # names of the examples blocks this entry stands for (outlines)
    rule_block: str | None = None

    @property
    def where(self) -> str:
        return f"{self.feature}:{self.line}"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "rules": list(self.rules), "tags": list(self.tags), "examples": list(self.examples)}


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class RuleCoverage:
    rule: Rule
    scenarios: dict[str, list[SpecScenario]] = field(default_factory=lambda: {k: [] for k in KINDS})

    @property
    def missing(self) -> list[str]:
        return [k for k in REQUIRED_KINDS if not self.scenarios[k]]

    @property
    def covered(self) -> bool:
        return not self.missing


@dataclass
class CoverageReport:
    features_dir: Path
    rulebook: Rulebook
    rules: list[RuleCoverage]
    scenarios: list[SpecScenario]
    problems: list[Problem]

    @property
    def uncovered(self) -> list[RuleCoverage]:
        return [r for r in self.rules if not r.covered]

    @property
    def ok(self) -> bool:
        return not self.uncovered and not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": str(self.features_dir),
            "rulebook": {"root": str(self.rulebook.root), "profile": self.rulebook.profile,
                         "version": self.rulebook.version},
            "classification": {tag: kind for tag, kind in SCENARIO_CLASSES.items()},
            "ok": self.ok,
            "summary": {"rules": len(self.rules), "covered": len(self.rules) - len(self.uncovered),
                        "uncovered": [r.rule.id for r in self.uncovered], "scenarios": len(self.scenarios),
                        "problems": len(self.problems)},
            "rules": [{
                "id": rc.rule.id, "stage": rc.rule.stage, "severity": rc.rule.severity, "title": dict(rc.rule.title),
                "articles": [{"edition": c.edition, "document": c.document, "article": c.article,
                              "verified": c.verified, "citation": {"zh": c.label("zh"), "en": c.label("en")}}
                             for c in rc.rule.basis],
                "covered": rc.covered, "missing": rc.missing,
                "scenarios": {kind: [s.to_dict() for s in found] for kind, found in rc.scenarios.items()},
            } for rc in self.rules],
            "problems": [{"where": p.where, "message": p.message} for p in self.problems],
        }


def _tags(node: dict[str, Any]) -> list[str]:
    return [t["name"].lstrip("@") for t in node.get("tags", [])]


def _step_text(scenario: dict[str, Any], background: list[str], examples: Iterable[dict[str, Any]]) -> str:
    parts = background + [s["text"] for s in scenario.get("steps", [])]
    for block in examples:
        for row in [block.get("tableHeader")] + list(block.get("tableBody") or []):
            if row:
                parts += [c["value"] for c in row["cells"]]
    return "\n".join(parts)


def _background(children: Iterable[dict[str, Any]]) -> list[str]:
    return [s["text"] for c in children if "background" in c for s in c["background"].get("steps", [])]


def parse_feature(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """The gherkin document of one feature file, or None and why not (the one place feature files are parsed)."""
    try:
        from gherkin.errors import CompositeParserException
        from gherkin.parser import Parser
    except ImportError as exc:  # pragma: no cover - gherkin comes with pytest-bdd
        raise CoverageInputError("reading .feature files needs gherkin-official: pip install 'cadre-rules[test]'") from exc
    try:
        return Parser().parse(path.read_text(encoding="utf-8")), None
    except CompositeParserException as exc:
        return None, f"does not parse: {exc}"
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"cannot read: {exc}"


def read_feature(path: Path, shown: str, known_rules: set[str]) -> tuple[list[SpecScenario], list[Problem]]:
    """The classified scenarios of one feature file, and its problems."""
    document, why = parse_feature(path)
    if document is None:
        return [], [Problem(shown, str(why))]
    feature = document.get("feature")
    if not feature:
        return [], []
    out: list[SpecScenario] = []
    problems: list[Problem] = []
    names: dict[str, int] = {}
    feature_tags = _tags(feature)
    feature_bg = _background(feature.get("children", []))

    def visit(children: Iterable[dict[str, Any]], inherited: list[str], background: list[str],
              rule_block: str | None) -> None:
        for child in children:
            if "rule" in child:
                rule = child["rule"]
                visit(rule.get("children", []), inherited + _tags(rule), background + _background(rule.get("children", [])),
                      rule.get("name"))
            elif "scenario" in child:
                add(child["scenario"], inherited, background, rule_block)

    def add(scenario: dict[str, Any], inherited: list[str], background: list[str], rule_block: str | None) -> None:
        name, line = scenario["name"], scenario["location"]["line"]
        where = f"{shown}:{line}"
        if name in names:
            problems.append(Problem(where, f"scenario name {name!r} is used again (first at line {names[name]}); "
                                           "pytest-bdd runs only one of them"))
        names[name] = line
        own = inherited + _tags(scenario)
        blocks = scenario.get("examples") or []
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        if blocks:
            for block in blocks:
                groups.setdefault(tuple(dict.fromkeys(own + _tags(block))), []).append(block)
        else:
            groups[tuple(dict.fromkeys(own))] = []
        for tags, members in groups.items():
            rules = tuple(t for t in tags if re.fullmatch(RULE_ID, t))
            classes = sorted({SCENARIO_CLASSES[t] for t in tags if t in SCENARIO_CLASSES})
            for rid in rules:
                if rid not in known_rules:
                    problems.append(Problem(where, f"tag @{rid} names no rule of the rulebook"))
            kind = classes[0] if len(classes) == 1 else None
            if rules and not classes:
                problems.append(Problem(where, f"scenario {name!r} names {', '.join(rules)} but has no class tag "
                                               "(@违规/@violating, @合规/@compliant, @待定/@pending, @无法判断/@unknown)"))
            elif len(classes) > 1:
                problems.append(Problem(where, f"scenario {name!r} has several class tags: {', '.join(classes)}"))
            elif classes and not rules:
                problems.append(Problem(where, f"scenario {name!r} is tagged {classes[0]} but names no rule"))
            if kind in FLAGGING:
                text = _step_text(scenario, background, members)
                for rid in rules:
                    if rid not in text:
                        problems.append(Problem(where, f"{kind} scenario {name!r} never names {rid} in a step, "
                                                       "so it cannot check it"))
            if rules or classes:
                out.append(SpecScenario(shown, name, line, kind, rules, tags,
                                        tuple(b.get("name") or "" for b in members), rule_block))

    visit(feature.get("children", []), feature_tags, feature_bg, None)
    return out, problems


def feature_files(features_dir: Path) -> list[Path]:
    return sorted(p for p in features_dir.rglob("*.feature") if p.is_file())


def coverage(rulebook: Rulebook, features_dir: str | Path) -> CoverageReport:
    """Coverage of `rulebook` by the .feature files under `features_dir` (recursively)."""
    base = Path(features_dir)
    if not base.is_dir():
        raise CoverageInputError(f"features directory not found: {base}")
    every = [*rulebook.rules, *rulebook.register_rules]  # the cross-case rules have scenarios too
    known = {r.id for r in every}
    scenarios: list[SpecScenario] = []
    problems: list[Problem] = []
    for path in feature_files(base):
        found, wrong = read_feature(path, path.relative_to(base).as_posix(), known)
        scenarios += found
        problems += wrong
    by_rule = {r.id: RuleCoverage(r) for r in every}
    for s in scenarios:
        for rid in s.rules:
            if rid in by_rule and s.kind:
                by_rule[rid].scenarios[s.kind].append(s)
    return CoverageReport(base, rulebook, list(by_rule.values()), scenarios, problems)


def _latest_citation(rule: Rule, rulebook: Rulebook) -> str:
    newest = max(rule.basis, key=lambda c: (rulebook.editions[c.edition].primary, rulebook.editions[c.edition].start))
    return newest.label("zh")


def coverage_table(report: CoverageReport, terminal: Any = None) -> str:
    """The coverage as a table as wide as `terminal` (report/terminal.py; default 120 columns)."""
    from rich.table import Table

    from cadre_rules.report.terminal import Terminal, console as terminal_console

    buffer = StringIO()
    console = terminal_console(buffer, terminal or Terminal())
    table = Table(title=f"规则场景覆盖 Rule coverage — {report.features_dir}", show_lines=True)
    for col in ("规则 Rule", "阶段 Stage", "依据 Article", "违规 violating", "合规 compliant", "其他 other", "状态 Status"):
        table.add_column(col, overflow="fold")

    def names(found: list[SpecScenario]) -> str:
        return "\n".join(f"{s.name} ({s.where})" for s in found) or "—"

    for rc in report.rules:
        other = rc.scenarios["pending"] + rc.scenarios["unknown"]
        status = "✓" if rc.covered else "缺 missing: " + "、".join(f"{KIND_ZH[k]} {k}" for k in rc.missing)
        table.add_row(f"{rc.rule.id}\n{rc.rule.title['zh']}", rc.rule.stage, _latest_citation(rc.rule, report.rulebook),
                      names(rc.scenarios["violating"]), names(rc.scenarios["compliant"]), names(other), status)
    console.print(table)
    covered = len(report.rules) - len(report.uncovered)
    console.print(f"{covered}/{len(report.rules)} rules covered by a violating and a compliant scenario; "
                  f"{len(report.scenarios)} classified scenarios; {len(report.problems)} problems")
    for p in report.problems:
        console.print(f"problem: {p}")
    return buffer.getvalue()


__all__ = ["CoverageInputError", "CoverageReport", "Problem", "RuleCoverage", "SpecScenario", "coverage",
           "coverage_table", "read_feature"]
