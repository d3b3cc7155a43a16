"""The condition language: parsing into IR, precedence, true division, membership, absence, Kleene logic."""
from __future__ import annotations

from datetime import date

import pytest

from cadre_rules.engine.codegen import compile_node
from cadre_rules.facts import Unknown
from cadre_rules.rulebook import ir
from cadre_rules.rulebook.expr import ParseError, parse


def run(text: str, env: dict | None = None, params: dict | None = None, facts: dict | None = None):
    return compile_node(parse(text))(env or {}, params or {}, facts or {})


def test_precedence_and_true_division():
    assert run("7 * 2 / 3 > 4") is True  # 4.67, not integer 4
    assert run("1 + 2 * 3 == 7") is True
    assert run("-(1 + 2) == -3") is True
    assert run("not 1 > 2 and 2 > 1") is True  # not binds tighter than and
    assert run("1 > 2 or 2 > 1 and 3 > 4") is False  # and binds tighter than or
    assert run("(1 > 2 or 2 > 1) and 3 > 2") is True


def test_membership_and_dates():
    assert run('"b" in ["a", "b"]') is True
    assert run('"c" not in ["a", "b"]') is True
    assert run('date("2019-03-03") > date("2019-03-02")') is True


def test_parse_produces_the_ir():
    node = parse("not exists recommendation as r where r.candidate == item.candidate")
    assert node == ir.Not(ir.Exists("recommendation", "r", ir.Compare(
        "==", ir.FieldRef("r", "candidate"), ir.FieldRef("item", "candidate"))))
    assert ir.to_dict(parse('x.a < date("2020-01-02")'))["right"] == {"node": "Literal", "value": {"date": "2020-01-02"}}


def test_exists_joins_with_outer_alias_and_absence():
    facts = {"recommendation": [{"candidate": "c1", "date": date(2021, 3, 1)}, {"candidate": "c2", "date": date(2021, 5, 1)}]}
    env = {"item": {"candidate": "c2", "date": date(2021, 4, 1)}}
    text = "exists recommendation as r where r.candidate == item.candidate and r.date < item.date"
    assert run(text, env, facts=facts) is False
    assert run("not " + text, env, facts=facts) is True
    env["item"]["candidate"] = "c1"
    assert run(text, env, facts=facts) is True


def test_kleene_logic_over_unknown_values():
    u = Unknown("publicity[0]: outside the holiday data")
    env = {"p": {"wd": u, "n": 3, "none": None}}
    assert run("p.wd < 5", env) == u
    assert run("p.wd < 5 and p.n > 5", env) is False  # false and unknown = false
    assert run("p.wd < 5 or p.n < 5", env) is True  # true or unknown = true
    assert run("p.wd < 5 or p.n > 5", env) == u
    assert run("not p.wd < 5", env) == u
    assert run("p.wd + 1 > 2", env) == u


def test_null_never_satisfies_an_ordering():
    env = {"p": {"none": None}}
    assert run("p.none < 5", env) is False and run("p.none > 5", env) is False
    assert run("p.none == null", env) is True


@pytest.mark.parametrize("text,col,message", [
    ("a.b >", 5, "expected"),
    ("a.b > 1 1", 8, "unexpected '1'"),
    ("exists t a where a.x", 9, "expected 'as'"),
    ('a.b in [1, 2', 12, "expected ']'"),
    ("a.b # 1", 4, "unexpected character '#'"),
])
def test_parse_errors_carry_the_column(text, col, message):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert info.value.col == col and message in str(info.value)


def test_no_eval_anywhere():
    """Conditions are parsed into IR; nothing Python-executable survives parsing."""
    with pytest.raises(ParseError):
        parse("__import__('os').system('true')")
