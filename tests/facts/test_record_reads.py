"""facts/compose.py `record_reads`: which attributes of one record each field of a fields module reads,
from the functions' source. The live path updates a notice's or a publicity's fact in the values that
read the attributes an event replaced (facts/derive.py `record_fact_after`), so a read the analysis
misses would leave a value stale: anything it cannot follow must answer None (derive the fact whole)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from cadre_rules.facts.compose import compile_record_builder, list_readers, record_reads

FIELDS_MODULE = '''\
ROOTS = {"case": 0, "k": 1, "rec": 1}
ARGS = ("case",)
LOOPS = (("k", "rec", "case.things"),)


def _secret(r):
    return r.secret


def path(k):
    return f"things[{k}]"


def plain(rec):
    return rec.a


def both(plain, rec):
    return (plain, rec.b)


def passed_on(rec):
    return _secret(rec)


def listed(case):
    return len(case.things)


def counted(listed, rec):
    return listed + rec.b


def owner_passed(case):
    return _secret(case)


def shared(case):
    return case.name


FIELDS = {"path": "path", "plain": "plain", "both": "both", "passed_on": "passed_on", "counted": "counted",
          "owner": "owner_passed", "shared": "shared"}
'''


def test_the_attributes_a_field_reads_are_followed_and_what_cannot_be_followed_is_none(tmp_path: Path) -> None:
    """Attributes read directly and through the values a function uses are named; the record passed on
    whole to a helper, the record's list read (its length), the list's owner passed on whole give None;
    and the last two may read the list (a record's fact is then not derived apart from the others)."""
    source = tmp_path / "things_fields.py"
    source.write_text(FIELDS_MODULE, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("things_fields", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["things_fields"] = module
    try:
        spec.loader.exec_module(module)
        assert record_reads(module) == {"path": frozenset(), "plain": frozenset({"a"}), "both": frozenset({"a", "b"}),
                                        "passed_on": None, "counted": None, "owner": None, "shared": frozenset()}
        # the fields that may read the list itself: its length, its owner passed on (not the record passed on)
        assert list_readers(module) == {"counted", "owner"}
        # and the builder of one record of those fields gives what the functions give
        build = compile_record_builder(module, {"both", "path"})

        class Thing:
            a, b = 1, 2

        assert build(None, 3, Thing()) == {"path": "things[3]", "both": (1, 2)}
    finally:
        del sys.modules["things_fields"]
