"""Findings a person can sign (issue 15, item 2): every message names the people it speaks of, says the
one defect found, and no Chinese text shows an internal code of the case model or of a code list.

The messages are rendered on the bundled examples and on synthetic cases in which each injectable rule
is broken in turn (a few cases per rule, so the breakers' different ways of breaking it are met)."""
from __future__ import annotations

import re
import shutil
import typing
from functools import lru_cache
from pathlib import Path

import pytest
from pydantic import BaseModel

import cadre_rules
from cadre_rules.codes import CODE_LISTS
from cadre_rules.facts import SCHEMA
from cadre_rules.model import Case
from cadre_rules.report.redact import Redactor
from cadre_rules.rulebook import load_rulebook
from cadre_rules.errors import RulebookError
from cadre_rules.rulebook import bundled_rules_dir
from cadre_rules.testing.breakers import injectable
from cadre_rules.testing.synth import generate_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
PER_RULE = 3  # synthetic cases per injected rule


def _model_fields(model: type[BaseModel], seen: set[type]) -> set[str]:
    """Every field name of a pydantic model and of the models inside it."""
    if model in seen:
        return set()
    seen.add(model)
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names |= {name, info.alias} - {None}
        stack = [info.annotation]
        while stack:
            tp = stack.pop()
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                names |= _model_fields(tp, seen)
            stack.extend(typing.get_args(tp))
    return names


def _identifiers() -> set[str]:
    """ASCII identifiers a reader must never meet in Chinese text: the case model's field names, the fact
    schema's field names and every code of every code list (only those of 3+ characters or with an
    underscore: `id` or `yes` could be ordinary text)."""
    words = _model_fields(Case, set()) | {f for fields in SCHEMA.values() for f in fields}
    words |= {code.value for codes in CODE_LISTS for code in codes}
    return {w for w in words if w and w.isascii() and (len(w) >= 3 or "_" in w)}


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Not codes: a case-file location (`publicity[0].start/end`, also in the finding's `paths`), where a reader
# finds the record, and a value quoted from the case as recorded (“other”).
_LOCATION_OR_QUOTE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\[\d+\][A-Za-z0-9_.\[\]/]*|“[^”]*”")


@lru_cache(maxsize=1)
def _judged() -> list[tuple[str, dict, list]]:
    """(where, raw case data, findings) for the examples and the synthetic cases."""
    auditor = cadre_rules.Auditor()
    out = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        result = auditor.audit_raw(next(iter(cadre_rules.read_cases([path]))))
        out.append((path.name, None, result.findings))
    for n, rule_id in enumerate(sorted(injectable())):
        for k in range(PER_RULE):
            data = generate_case(11, n * PER_RULE + k, 1.0, inject=[rule_id])
            result = auditor.audit_data(data, f"synth:{rule_id}:{k}")
            assert result.status == "ok", result.errors
            out.append((f"synth {rule_id} #{k}", data, result.findings))
    return out


def test_no_internal_code_in_any_chinese_message():
    identifiers = _identifiers()
    assert {"individual_talk", "discussion_record", "weaknesses", "check_digit", "division_deputy"} <= identifiers
    leaks = []
    for where, _, findings in _judged():
        for f in findings:
            for text in (f.message["zh"], f.title["zh"], f.citation["zh"]):
                bad = [w for w in _WORD.findall(_LOCATION_OR_QUOTE.sub("", text)) if w in identifiers]
                if bad:
                    leaks.append(f"{where}: {f.rule_id}: {bad}: {text}")
    assert not leaks, "\n".join(leaks[:20])


def test_every_rule_with_findings_was_met():
    """The scan above is only as good as its coverage: every injectable rule gave a finding."""
    found = {f.rule_id for _, _, findings in _judged() for f in findings}
    assert set(injectable()) <= found


def test_people_named_beside_their_ids():
    """A message about a candidate or a member shows the id, the name and the post (current post for a
    candidate, roles for a member)."""
    checked = 0
    for where, data, findings in _judged():
        if data is None:
            continue
        people = {c["id"]: (c["name"], c.get("current_post")) for c in data["candidates"]}
        for f in findings:
            if f.verdict != "violated":
                continue
            for pid, (name, post) in people.items():
                if re.search(rf"(?<![A-Za-z0-9_]){re.escape(pid)}(?![A-Za-z0-9_])", f.message["zh"]):
                    label = f"{pid} {name}" + (f"（{post}" if post else "")
                    assert label in f.message["zh"], (where, f.rule_id, f.message["zh"])
                    assert f"{pid} {name}" in f.message["en"], (where, f.rule_id, f.message["en"])
                    checked += 1
    assert checked > 100


def test_member_named_with_roles():
    case = cadre_rules.load_case(next(EXAMPLES.glob("*最后表态*.yaml"), None) or _example_with("DEC-LAST-SPEAKER"))
    finding = next(f for f in cadre_rules.audit(case, load_rulebook()) if f.rule_id == "DEC-LAST-SPEAKER")
    principal = next(m for m in case.body.members if "principal_leader" in m.roles)
    assert f"{principal.id} {principal.name}（主要负责人（书记））" in finding.message["zh"]
    assert f"{principal.id} {principal.name} (principal leader)" in finding.message["en"]


def _example_with(rule_id: str) -> Path:
    auditor = cadre_rules.Auditor()
    for path in sorted(EXAMPLES.glob("*.yaml")):
        result = auditor.audit_raw(next(iter(cadre_rules.read_cases([path]))))
        if any(f.rule_id == rule_id for f in result.findings):
            return path
    raise AssertionError(rule_id)


def test_redaction_keeps_the_id_and_post_and_drops_the_name():
    for where, data, findings in _judged():
        if data is None or not findings:
            continue
        redactor = Redactor.for_case(data)
        for f in findings:
            redacted = redactor.apply(f.message)
            for c in data["candidates"]:
                assert c["name"] not in redacted["zh"] and c["name"] not in redacted["en"], (where, redacted)
            for m in data["body"]["members"]:
                assert m["name"] not in redacted["zh"], (where, redacted)
        return


def _default_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{[A-Za-z_]+\.[A-Za-z_]+\}", template)
    return re.compile(".*".join(re.escape(p) for p in parts), re.S)


def test_one_defect_per_finding():
    """A rule whose condition has alternatives says which one was found: on every case here each of its
    violated findings takes one of its message variants, never the catch-all "A 或 B" text."""
    rules = {r.id: r for r in load_rulebook().rules if r.message_variants}
    assert len(rules) >= 20
    seen: dict[str, set[int]] = {}
    for where, _, findings in _judged():
        for f in findings:
            rule = rules.get(f.rule_id)
            if rule is None or f.verdict != "violated":
                continue
            assert not _default_pattern(rule.message["zh"]).fullmatch(f.message["zh"]), (where, f.message["zh"])
            matched = [i for i, v in enumerate(rule.message_variants)
                       if _default_pattern(v.message["zh"]).fullmatch(f.message["zh"])]
            assert matched, (where, f.message["zh"])
            seen.setdefault(f.rule_id, set()).update(matched)
    assert len(seen) >= 15


@pytest.mark.parametrize("variant, error", [
    ('{when: "item.date", zh: "a", en: "b"}', "message_variants[0].when"),
    ('{when: "item.kind == \\"decision\\"", zh: "{item.nonesuch}", en: "b"}', "unknown placeholder {item.nonesuch}"),
    ('{when: "item.kind == \\"decision\\"", zh: "a"}', "each of message_variants needs exactly"),
    ('{when: "item.kind == \\"nonesuch\\"", zh: "a", en: "b"}', "message_variants[0].when"),
])
def test_message_variants_are_checked_when_the_rulebook_loads(tmp_path, variant, error):
    """A variant's condition is type-checked like `when` (a true/false expression over the matched facts;
    a literal must be a code), and its texts' placeholders like `message`'s."""
    root = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), root)
    (root / "national" / "99-test.yaml").write_text(f"""rules:
  - id: TST-VARIANT
    stage: decision
    severity: violation
    title: {{zh: 测试, en: test}}
    basis:
      - {{edition: "2019", article: "1", confidence: low, verified: false}}
    effective: {{from: 2019-03-17}}
    match: {{item: item}}
    act_date: item.date
    when: item.kind == "decision"
    message: {{zh: "决定 {{item.candidate}}", en: "decided {{item.candidate}}"}}
    message_variants:
      - {variant}
""", encoding="utf-8")
    with pytest.raises(RulebookError) as info:
        load_rulebook(root)
    assert "TST-VARIANT" in str(info.value) and error in str(info.value)
