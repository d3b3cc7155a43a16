"""The code lists (cadre_rules/codes.py) are the one place codes live, and the rulebook is checked against them.

- a misspelt code in a rule condition refuses the rulebook, naming file:line, rule and the nearest code;
- every shipped rule that compares a code is covered: misspelling one of its codes fails its load;
- no other module of the package spells out a code list of its own;
- the case model, the fact schema, messages and the spec vocabulary read the same lists.
"""
from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from cadre_rules.codes import CODE_LISTS, Code, MeetingKind, MoveKind, PriorMatter, closed
from cadre_rules.facts import SCHEMA
from cadre_rules.rulebook import RulebookError, load_rulebook
from cadre_rules.rulebook.typecheck import TypeChecker

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"
PACKAGE = ROOT / "cadre_rules"


def copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES, target)
    return target


def load_errors(rules_dir: Path) -> list[str]:
    with pytest.raises(RulebookError) as info:
        load_rulebook(rules_dir)
    return str(info.value).splitlines()


# --- the rule type checker -----------------------------------------------------------------------------

def test_a_misspelt_meeting_kind_in_dec_explicit_view_does_not_load(tmp_path: Path) -> None:
    """On main before the code lists, this rulebook loaded all 69 rules and DEC-EXPLICIT-VIEW then
    flagged nothing (no item has kind "decison")."""
    rules = copy_rules(tmp_path)
    path = rules / "national" / "40-decision.yaml"
    text = path.read_text(encoding="utf-8")
    wrong = 'when: item.kind in ["decison", "reconsideration"] and item.silent_count > 0'
    text = text.replace('when: item.kind in ["decision", "reconsideration"] and item.silent_count > 0', wrong, 1)
    assert wrong in text
    path.write_text(text, encoding="utf-8")
    line = text[: text.index(wrong)].count("\n") + 1
    errors = load_errors(rules)
    (error,) = [e for e in errors if "decison" in e]
    assert error.startswith(f"rules/national/40-decision.yaml:{line}: DEC-EXPLICIT-VIEW: when: ")
    assert "'decison' is not a code of item.kind (MeetingKind); did you mean 'decision'?" in error


def _misspell(value: str, codes: type[Code]) -> str:
    for wrong in (value[:-2] + value[-1] + value[-2], value[:-1], value + "s"):
        if wrong != value and wrong not in codes.values():
            return wrong
    raise AssertionError(value)


def test_every_rule_that_compares_a_code_refuses_a_misspelt_one(tmp_path: Path) -> None:
    """One mutation per rule, found through the IR: the first code literal of its condition is
    misspelt in a copy of the rule directory, and the load must name that rule and that text."""
    rulebook = load_rulebook()
    rules = copy_rules(tmp_path)
    mutated: dict[str, str] = {}
    for rule in rulebook.rules:
        checker = TypeChecker(SCHEMA, {name: p.kind for name, p in rule.parameters.items()})
        found = [lit for node in (rule.when, rule.pending_when, rule.escalate_when) if node is not None
                 for lit in checker.code_literals(node, dict(rule.match))]
        if not found:
            continue
        literal, codes, _ = found[0]
        wrong = _misspell(str(literal.value), codes)
        path = ROOT / rule.file if (ROOT / rule.file).exists() else Path(rule.file)
        copy = rules / path.resolve().relative_to(RULES)
        lines = copy.read_text(encoding="utf-8").split("\n")
        # the rule's block starts at its line; its condition is the first `when:` after it
        start = next(i for i in range(rule.line - 1, len(lines)) if re.match(r"\s+when:", lines[i]))
        at = next(i for i in range(start, len(lines)) if f'"{literal.value}"' in lines[i])
        lines[at] = lines[at].replace(f'"{literal.value}"', f'"{wrong}"', 1)
        copy.write_text("\n".join(lines), encoding="utf-8")
        mutated[rule.id] = wrong
    assert len(mutated) >= 40, "most rules compare codes (kinds of meeting, outcomes, matters …)"
    errors = load_errors(rules)
    for rule_id, wrong in mutated.items():
        assert any(f": {rule_id}: " in e and f"'{wrong}' is not a code of" in e for e in errors), \
            f"{rule_id}: the misspelt code {wrong!r} loaded"


@pytest.mark.parametrize(("condition", "message"), [
    ('"decision" == item.kind', None),
    ('item.kind != "decison"', "'decison' is not a code of item.kind (MeetingKind); did you mean 'decision'?"),
    ('"decisio" == item.kind', "'decisio' is not a code of item.kind (MeetingKind); did you mean 'decision'?"),
    ('"breakthru" in item.approved_matters', "'breakthru' is not a code of item.approved_matters (PriorMatter); "
                                             "did you mean 'breakthrough'?"),
    ('item.outcome not in ["adopted", "rejectd"]', "did you mean 'rejected'?"),
    ('item.vote_method == "xyz"', "'xyz' is not a code of item.vote_method (VoteMethod) (codes: oral, hands, secret)"),
    ('exists prior_report as r where r.matter == "over_qouta"', "did you mean 'over_quota'?"),
    ('item.candidate == "anyone"', None),  # ids are not codes
])
def test_code_literals_are_checked_on_either_side_and_in_lists(condition: str, message: str | None) -> None:
    from cadre_rules.rulebook.expr import ParseError, parse

    checker = TypeChecker(SCHEMA, {})
    node = parse(condition)
    if message is None:
        assert checker.check(node, {"item": "item"}) == "bool"
    else:
        with pytest.raises(ParseError, match=re.escape(message)):
            checker.check(node, {"item": "item"})


# --- one definition per code list --------------------------------------------------------------------

#: The testing room's literals are sample data drawn from code lists (a generator's weighted choices,
#: a baseline case's values), not definitions of them; there only a literal naming a whole list counts.
SAMPLE_DATA = "testing/"


def _string_literals(tree: ast.AST):
    for node in ast.walk(tree):
        items = node.keys if isinstance(node, ast.Dict) else node.elts if isinstance(node, (ast.Set, ast.List, ast.Tuple)) else None
        if items and all(isinstance(i, ast.Constant) and isinstance(i.value, str) for i in items):
            yield node.lineno, [i.value for i in items]


def test_no_module_defines_a_code_list_of_its_own() -> None:
    """A dict (its keys), set, list or tuple of three or more texts that are all codes of one list is
    a second definition of that list, and drifts: it must read cadre_rules/codes.py instead."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where == "codes.py":
            continue
        for line, values in _string_literals(ast.parse(path.read_text(encoding="utf-8"))):
            if len(values) < 3:
                continue
            for codes in CODE_LISTS:
                if where.startswith(SAMPLE_DATA):
                    if set(values) == set(codes.values()):
                        found.append(f"{where}:{line}: the whole of {codes.__name__}")
                elif set(values) <= set(codes.values()):
                    found.append(f"{where}:{line}: codes of {codes.__name__}: {values}")
    assert not found, "\n".join(found)


def test_the_scan_finds_a_copied_code_list() -> None:
    """The check above can fail: a module with a copy of the kinds of move is caught."""
    tree = ast.parse('MOVES_ZH = {"promotion": "提拔", "further_use": "进一步使用", "rotation": "交流轮岗"}')
    (line, values), = _string_literals(tree)
    assert set(values) <= set(MoveKind.values())


# --- the lists themselves, and their readers ------------------------------------------------------------

def test_each_code_list_names_every_code_and_no_word_twice() -> None:
    for codes in CODE_LISTS:
        words = codes.words()  # raises if one word named two codes
        for member in codes:
            assert member.zh and member.en, f"{codes.__name__}.{member.value} needs both names"
            assert words[member.zh] is member and words[member.en] is member


def test_lateral_transfer_has_one_chinese_name() -> None:
    """The engine said 平级交流 and the case generator 交流任职; the glossary's term is kept."""
    assert MoveKind.lateral_transfer.zh == "平级交流"
    from cadre_rules.report.annual import MOVES_ZH

    assert MOVES_ZH["lateral_transfer"] == "平级交流"


def test_the_fact_schema_knows_each_code_field() -> None:
    assert SCHEMA["item"]["kind"].codes is MeetingKind
    assert SCHEMA["case"]["move"].codes is MoveKind and SCHEMA["case"]["move"].type_name == "code(MoveKind)"
    assert SCHEMA["item"]["approved_matters"].codes is PriorMatter
    assert SCHEMA["item"]["approved_matters"].type_name == "list of code(PriorMatter)"
    assert SCHEMA["item"]["candidate"].codes is None


def test_the_case_model_validates_codes_as_before_and_holds_members() -> None:
    from pydantic import TypeAdapter, ValidationError

    from cadre_rules.codes import CommitteeLevel
    from cadre_rules.model import TargetPost

    post = TargetPost(id="p", title="t", unit="u", quota=1, incumbents=0, committee_level="county")
    assert post.committee_level is CommitteeLevel.county
    with pytest.raises(ValidationError) as info:
        TargetPost(id="p", title="t", unit="u", quota=1, incumbents=0, committee_level="city")
    assert "Input should be 'provincial', 'prefectural' or 'county'" in str(info.value)
    assert TypeAdapter(closed(CommitteeLevel)).json_schema() == {"enum": ["provincial", "prefectural", "county"],
                                                                "type": "string"}


def test_chinese_messages_show_codes_by_their_chinese_name() -> None:
    from cadre_rules.engine.python import render

    env = {"case": {"committee_level": "prefectural", "jurisdiction": "county"}}
    assert render("{case.committee_level}/{case.jurisdiction}", env, {}, "zh", {"case": "case"}) == "设区的市级/county"
    assert render("{case.committee_level}", env, {}, "en", {"case": "case"}) == "prefectural"


def test_the_spec_vocabulary_reads_the_code_lists() -> None:
    from cadre_rules.bdd import vocabulary

    assert vocabulary.MOVES == MoveKind.words()
    assert vocabulary.MEETING_KINDS == MeetingKind.words()
    assert vocabulary.PRIOR_MATTERS["破格提拔"] is PriorMatter.breakthrough
