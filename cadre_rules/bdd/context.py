"""One scenario's state: the case being built, the rulebook it is judged by, and the expectations.

`SpecContext` is what the steps act on, and what a project's own steps may act on too (it is the
`cadre_spec` fixture). It judges the case the way a user's case file is judged: the built `Case` is
dumped to plain data, validated with `validate_case`, and audited by an `Auditor` over the chosen
rulebook. Failed expectations raise AssertionError with every finding listed, in the staff's words.
"""
from __future__ import annotations

import atexit
import hashlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable

import yaml

from cadre_rules import Auditor, Case, CaseValidationError, Finding, Rulebook, Unknown, derive_facts, load_rulebook, validate_case
from cadre_rules.codes import Verdict
from cadre_rules.testing.builder import CaseBuilder

VERDICT_ZH = {v.value: v.zh for v in Verdict}

AuditorCache = dict[tuple[str | None, str], Auditor]

#: Rulebook copies with a profile that overrides parameters, by (rule directory, profile, overrides):
#: written once per run to a temporary directory and removed at exit.
_OVERRIDDEN: dict[tuple[str, str, str], Path] = {}
SEVERITY_WORDS = {"违规": "violation", "警告": "warning", "提示": "info",
                  "violation": "violation", "warning": "warning", "info": "info"}


def _cleanup() -> None:
    for path in _OVERRIDDEN.values():
        shutil.rmtree(path.parent.parent, ignore_errors=True)


atexit.register(_cleanup)


def overridden_rulebook(rules_dir: Path | None, profile: str, overrides: dict[str, dict[str, Any]]) -> tuple[Path, str]:
    """A copy of the rulebook in `rules_dir` (None: the bundled one) whose profile `<profile>-spec-<hash>`
    is `profile` with these parameter overrides added ({rule id: {parameter: value}}). The loader checks
    the names and types, as for any profile: an unknown rule or parameter is a load error."""
    from cadre_rules.rulebook import bundled_rules_dir

    base = rules_dir or bundled_rules_dir()
    text = json.dumps(overrides, sort_keys=True, ensure_ascii=False)
    key = (str(base), profile, text)
    name = f"{profile}-spec-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
    if key not in _OVERRIDDEN:
        root = Path(tempfile.mkdtemp(prefix="cadre-spec-")) / "rules"
        shutil.copytree(base, root)
        source = base / "profiles" / f"{profile}.yaml"
        data = yaml.safe_load(source.read_text(encoding="utf-8")) if source.is_file() else None
        if not isinstance(data, dict):
            raise AssertionError(f"规则配置不存在 profile not found: {source}")
        merged = dict(data.get("overrides") or {})
        for rule_id, params in overrides.items():
            change = dict(merged.get(rule_id) or {})
            change["parameters"] = {**(change.get("parameters") or {}), **params}
            merged[rule_id] = change
        profile_file = root / "profiles" / f"{name}.yaml"
        profile_file.write_text(yaml.safe_dump({"id": name, "title": data.get("title"), "overrides": merged},
                                               allow_unicode=True, sort_keys=False), encoding="utf-8")
        _OVERRIDDEN[key] = profile_file
    return _OVERRIDDEN[key].parent.parent, name


class SpecContext:
    """The state of one scenario. `rules_dir=None` means the bundled rulebook."""

    def __init__(self, rules_dir: str | Path | None = None, profile: str = "national",
                 cache: AuditorCache | None = None) -> None:
        self.rules_dir = Path(rules_dir).resolve() if rules_dir else None
        self.profile = profile
        self._cache: AuditorCache = cache if cache is not None else {}
        self._builder: CaseBuilder | None = None
        self._judged: tuple[Any, ...] | None = None
        self._findings: list[Finding] = []
        self.last_rule: str | None = None
        #: Parameters set by the scenario ({rule id: {parameter: value}}) and the rulebook they apply to.
        self.overrides: dict[str, dict[str, Any]] = {}
        self._unmodified: tuple[Path | None, str] | None = None

    # --- what is judged, and by what -------------------------------------------------------------------

    @property
    def builder(self) -> CaseBuilder:
        """The case under construction; the compliant baseline unless a step started another."""
        if self._builder is None:
            self._builder = CaseBuilder()
        return self._builder

    def start(self, builder: CaseBuilder | None = None) -> CaseBuilder:
        self._builder = builder or CaseBuilder()
        return self._builder

    def use_rules(self, rules_dir: str | Path | None) -> None:
        """Judge by the rulebook in `rules_dir` (None: the bundled one); parameters set by the scenario
        are applied to it too."""
        if rules_dir is not None:
            path = Path(rules_dir).resolve()
            if not path.is_dir():
                raise AssertionError(f"规则目录不存在 rule directory not found: {path}")
            self.rules_dir = path
        else:
            self.rules_dir = None
        self._reapply_overrides()

    def use_profile(self, profile: str) -> None:
        self.profile = profile
        self._reapply_overrides()

    def _reapply_overrides(self) -> None:
        if self.overrides:
            self._unmodified = (self.rules_dir, self.profile)
            self.rules_dir, self.profile = overridden_rulebook(*self._unmodified, self.overrides)

    def set_parameter(self, rule_id: str, name: str, value: Any) -> None:
        """Judge by the current rulebook and profile with one parameter changed, as a profile would
        change it (`overrides: {RULE: {parameters: {name: value}}}`). Choose the rule directory and the
        profile first; later parameters add to earlier ones."""
        if self._unmodified is None:
            self._unmodified = (self.rules_dir, self.profile)
        self.overrides.setdefault(rule_id, {})[name] = value
        self.rules_dir, self.profile = overridden_rulebook(*self._unmodified, self.overrides)

    @property
    def auditor(self) -> Auditor:
        key = (str(self.rules_dir) if self.rules_dir else None, self.profile)
        if key not in self._cache:
            self._cache[key] = Auditor(load_rulebook(self.rules_dir, self.profile))
        return self._cache[key]

    @property
    def rulebook(self) -> Rulebook:
        return self.auditor.rulebook

    def validated_case(self) -> Case:
        """The built case as a user's case file would be: plain data, validated."""
        data = self.builder.case.model_dump(mode="json")
        try:
            return validate_case(data)
        except CaseValidationError as exc:
            raise AssertionError(f"案例无法通过校验 the case built by the steps does not validate:\n{exc}") from None

    @property
    def findings(self) -> list[Finding]:
        key = (id(self.builder), self.builder.version, self.rules_dir, self.profile)
        if self._judged != key:
            self._findings = self.auditor.findings(self.validated_case())
            self._judged = key
        return self._findings

    # --- reading the findings ---------------------------------------------------------------------------

    def known(self, rule_id: str) -> str:
        """The rule id, after checking that the rulebook has it (a typo must not pass silently)."""
        if rule_id not in self.rulebook.ids:
            raise AssertionError(f"规则 {rule_id} 不在规则集中 (rule {rule_id} is not in the rulebook "
                                 f"{self.rules_dir or 'bundled'}/{self.profile}; known: {', '.join(self.rulebook.ids)})")
        self.last_rule = rule_id
        return rule_id

    def of(self, rule_id: str, verdict: str | None = None) -> list[Finding]:
        self.known(rule_id)
        return [f for f in self.findings if f.rule_id == rule_id and (verdict is None or f.verdict == verdict)]

    def describe(self) -> str:
        if not self.findings:
            return "  （没有任何发现 no findings）"
        return "\n".join(
            f"  - {f.rule_id} {VERDICT_ZH.get(f.verdict, f.verdict)}/{f.verdict} [{f.severity}] "
            f"依据 {f.citation['zh']}: {f.message['zh']}" + (f" （{f.reason}）" if f.reason else "")
            for f in self.findings)

    def _fail(self, expectation: str) -> None:
        raise AssertionError(f"{expectation}\n实际发现 findings:\n{self.describe()}")

    # --- expectations -----------------------------------------------------------------------------------

    def expect_violated(self, rule_id: str, severity: str | None = None) -> None:
        found = self.of(rule_id, "violated")
        if severity is not None:
            found = [f for f in found if f.severity == severity]
        if not found:
            what = "警告" if severity == "warning" else "违规"
            self._fail(f"应当发现{what} {rule_id}，但没有发现 (expected {rule_id} to be violated"
                       f"{' as a ' + severity if severity else ''})")

    def expect_not_violated(self, rule_id: str) -> None:
        if self.of(rule_id, "violated"):
            self._fail(f"不应发现违规 {rule_id} (expected no violation of {rule_id})")

    def expect_no_violations(self) -> None:
        if any(f.verdict == "violated" for f in self.findings):
            self._fail("不应发现任何违规 (expected no violation)")

    def expect_no_findings(self) -> None:
        if self.findings:
            self._fail("不应有任何发现 (expected no findings at all)")

    def expect_only_violated(self, rule_ids: Iterable[str]) -> None:
        wanted = {self.known(r) for r in rule_ids}
        actual = {f.rule_id for f in self.findings if f.verdict == "violated"}
        if actual != wanted:
            self._fail(f"只应发现违规 {'、'.join(sorted(wanted))} (expected exactly these violations; "
                       f"missing: {sorted(wanted - actual)}, unexpected: {sorted(actual - wanted)})")

    def expect_verdict(self, rule_id: str, verdict: str) -> None:
        if not self.of(rule_id, verdict):
            self._fail(f"{rule_id} 应当{VERDICT_ZH[verdict]} (expected a finding of {rule_id} with verdict {verdict})")

    def _cited(self, rule_id: str | None) -> list[Finding]:
        rule_id = rule_id or self.last_rule
        if rule_id is None:
            raise AssertionError("先说明是哪条规则 (name a rule first, e.g. 那么 应当发现违规 <规则编号 rule id>)")
        found = self.of(rule_id)
        if not found:
            self._fail(f"规则 {rule_id} 没有任何发现，无从判断其依据 (no finding of {rule_id} to read a citation from)")
        return found

    def expect_severity(self, severity: str, rule_id: str | None = None) -> None:
        """Every violated finding of the rule (the one last named) has this severity (after escalation)."""
        wanted = SEVERITY_WORDS.get(severity, severity)
        found = [f for f in self._cited(rule_id) if f.verdict == "violated"]
        if not found:
            self._fail(f"规则 {rule_id or self.last_rule} 没有违规发现，无从判断严重性 (no violated finding to read a severity from)")
        actual = sorted({f.severity for f in found})
        if actual != [wanted]:
            self._fail(f"{found[0].rule_id} 的严重性应为 {wanted}，实为 {'、'.join(actual)} (expected severity {wanted})")

    def expect_edition(self, edition: str, rule_id: str | None = None) -> None:
        found = self._cited(rule_id)
        editions = sorted({f.edition for f in found})
        if editions != [edition]:
            self._fail(f"{found[0].rule_id} 依据的版本应为 {edition}，实为 {'、'.join(editions)} "
                       f"(expected the {edition} edition to be cited)")

    def expect_also_cited(self, edition: str, rule_id: str | None = None, cited: bool = True) -> None:
        """The rule's findings also cite (or do not also cite) an instrument in force beside the governing one."""
        found = self._cited(rule_id)
        also = sorted({c["edition"] for f in found for c in f.also_cited})
        if (edition in also) != cited:
            self._fail(f"{found[0].rule_id} {'应当' if cited else '不应'}同时依据 {edition}，同时依据的为 {'、'.join(also) or '无'} "
                       f"(expected the {edition} edition {'to be' if cited else 'not to be'} cited as well)")

    def expect_article(self, article: str, rule_id: str | None = None) -> None:
        found = self._cited(rule_id)
        articles = sorted({str(f.article) for f in found})
        if articles != [article]:
            self._fail(f"{found[0].rule_id} 依据的条款应为第{article}条，实为 {'、'.join(articles)} "
                       f"(expected article {article} to be cited)")

    def expect_text(self, text: str, rule_id: str | None = None) -> None:
        """A finding of the rule whose message (zh or en) or reason mentions `text`."""
        found = self._cited(rule_id)
        if not any(text in f.message["zh"] or text in f.message["en"] or text in (f.reason or "") for f in found):
            self._fail(f"{found[0].rule_id} 的说明应当包含 “{text}” (expected the message to mention {text!r})")

    def _accountability(self, rule_id: str | None) -> list[dict]:
        """The accountability entries of the rule's violated findings (rules/accountability.yaml)."""
        found = [f for f in self._cited(rule_id) if f.verdict == "violated"]
        if not found:
            self._fail(f"规则 {rule_id or self.last_rule} 没有违规发现，无从判断责任追究 (no violated finding)")
        return [self.rulebook.accountability.for_finding(f.rule_id, f.stage, f.act_date) for f in found]

    def expect_accountable(self, role: str, article: str | None, rule_id: str | None = None) -> None:
        """Every violated finding of the rule names `role` (an AccountableRole code), under `article`
        (None: the article is not located) of the instrument in force."""
        for entry in self._accountability(rule_id):
            cited = [p["article"] for p in (entry or {}).get("parties", []) if p["role"] == role]
            if cited != [article]:
                self._fail(f"{rule_id or self.last_rule} 的责任人应包括 {role}（第{article or '—'}条），"
                           f"实为 {[(p['role'], p['article']) for p in (entry or {}).get('parties', [])]} "
                           f"(expected {role} under article {article})")

    def expect_accountability_instrument(self, edition: str | None, rule_id: str | None = None) -> None:
        """The accountability instrument of every violated finding of the rule (None: no entry at all)."""
        actual = sorted({(e or {}).get("instrument") or "—" for e in self._accountability(rule_id)})
        if actual != [edition or "—"]:
            self._fail(f"{rule_id or self.last_rule} 的责任追究应依据 {edition or '（不追究）'}，实为 {'、'.join(actual)} "
                       f"(expected the accountability instrument {edition})")

    def publicity_working_days(self) -> int:
        """Working days of the candidate's publicity, as the facts layer counts them."""
        facts = derive_facts(self.validated_case())["publicity"]
        mine = [f for f in facts if f["candidate"] == self.builder.candidate]
        if not mine or mine[0]["working_days"] is None:
            raise AssertionError("该人选没有起止日期完整的任前公示 (no publicity with both dates)")
        value = mine[0]["working_days"]
        if isinstance(value, Unknown):
            raise AssertionError(f"公示期的工作日无法计算 (working days cannot be counted): {value.reason}")
        return int(value)
