"""Register messages name a person beside the id, as case findings do ("p-jz-1 卫东（副市长）"), and
`--redact` takes the names (and the birth-derived retirement dates) out again."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cadre_rules as cr
from cadre_rules.audit.register import judge_register
from cadre_rules.cli.main import main
from cadre_rules.reading.register import load_register

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "register"


@pytest.fixture(scope="module")
def jiangzhou():
    register = load_register(EXAMPLE / "register.yaml")
    cases = [cr.load_case(p) for p in sorted((EXAMPLE / "cases").glob("*.yaml"))]
    return next(r for r in judge_register(register, cases, cr.load_rulebook()) if r.unit.id == "江州市人民政府")


def _messages(doc: dict, unit: str, rule: str) -> list[dict]:
    return [f["message"] for c in doc["cases"] if c["case_id"] == f"register:{unit}" for f in c["findings"]
            if f["rule_id"] == rule]


def test_tenure_and_retirement_messages_name_the_person_beside_the_id(jiangzhou):
    by_rule = {}
    for f in jiangzhou.findings:
        by_rule.setdefault(f.rule_id, []).append(f.message)
    assert by_rule["XC-TENURE-EXCHANGE"][0]["zh"].startswith("江州市人民政府副市长：p-jz-1 卫东（副市长） 自 2013-02-01 任现职")
    assert "p-jz-1 卫东 (副市长) has held the post" in by_rule["XC-TENURE-EXCHANGE"][0]["en"]
    assert "p-jz-5 杨梅（副市长） 已于 2024-10-01 达到法定退休年龄" in by_rule["XC-PAST-RETIREMENT"][0]["zh"]
    assert "p-jz-4 韩磊（副市长） 将于 2025-04-10 达到法定退休年龄" in by_rule["XC-RETIREMENT-DUE"][0]["zh"]
    assert {p["id"] for p in jiangzhou.people} == {"p-jz-1", "p-jz-2", "p-jz-3", "p-jz-4", "p-jz-5"}


def test_a_leader_without_a_post_is_named_by_role(tmp_path):
    register = load_register(EXAMPLE / "register.yaml")
    from cadre_rules.facts.crosscase import unit_facts

    people = {p["person"]: p for p in unit_facts(register, 0, [])["person"]}
    assert people["p-qx-sec"]["name"] == "周建国" and people["p-qx-sec"]["post"] == "党委书记"
    assert people["p-qx-d1"]["post"] == "县财政局副局长"


def test_redact_removes_the_names_and_the_retirement_dates(tmp_path):
    args = ["audit", str(EXAMPLE / "cases"), "--register", str(EXAMPLE / "register.yaml"), "--format", "json"]
    plain = CliRunner().invoke(main, args)
    redacted = CliRunner().invoke(main, [*args, "--redact"])
    assert plain.exit_code == redacted.exit_code == 1
    before = json.loads(plain.stdout[plain.stdout.index("{"):])
    after = json.loads(redacted.stdout[redacted.stdout.index("{"):])
    assert "卫东" in json.dumps(before, ensure_ascii=False)
    text = json.dumps(after, ensure_ascii=False)
    for name in ("卫东", "蒋华", "沈岩", "韩磊", "杨梅", "2024-10-01", "2025-04-10"):
        assert name not in text, name
    assert _messages(after, "江州市人民政府", "XC-PAST-RETIREMENT")[0]["zh"] == \
        "江州市人民政府副市长：p-jz-5（副市长） 已于 〔日期〕 达到法定退休年龄（女（原55周岁）），至 2025-03-31 仍在职"
    # the rest of the message, and the other units' messages, stay as they were
    assert _messages(after, "中共柳河县委", "XC-OVER-QUOTA") == _messages(before, "中共柳河县委", "XC-OVER-QUOTA")
    assert next(c["source"] for c in after["cases"] if c["case_id"] == "register:江州市人民政府") == \
        str(EXAMPLE / "register.yaml")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_redact_hides_what_an_invalid_register_echoes(tmp_path, lang):
    """A register that does not validate stops the audit with its problems on standard error; under
    --redact they name no person of the register and echo no value (a name and an identity number
    put in a level), in either language."""
    text = (EXAMPLE / "register.yaml").read_text(encoding="utf-8")
    person = "{id: p-qx-d1, name: 何明, gender: 男, birth_date: 1979-09-01}"
    assert person in text
    bad = tmp_path / "register.yaml"
    bad.write_text(text.replace(person, "{id: p-qx-d1, name: 何明, gender: 男, birth_date: 1979-09-01, "
                                        "level: 何明110101197909010011}"), encoding="utf-8")
    args = ["audit", str(EXAMPLE / "cases"), "--register", str(bad), "--lang", lang]
    plain = CliRunner().invoke(main, args)
    assert plain.exit_code == 2 and "110101197909010011" in plain.stderr
    redacted = CliRunner().invoke(main, [*args, "--redact"])
    assert redacted.exit_code == 2 and "people[1].level" in redacted.stderr
    assert "何明" not in redacted.stderr and "110101197909010011" not in redacted.stderr
    assert ("（实际为 〔已隐去〕）" if lang == "zh" else "(got 〔已隐去〕)") in redacted.stderr
