"""A case, turned into flat facts: the one home of the domain's arithmetic.

Rules never count people, days or years themselves: they compare the numbers this layer derives
(present members, members due, working days, full years, who spoke last) with thresholds in the
rule files. Each fact is a plain dict with an `id` (used as evidence) and a `path` (where in the case
file it comes from). A value that cannot be derived honestly (a date outside the holiday data, a
date not recorded) is an `Unknown` carrying the reason and the field path; rules that depend on it
say "cannot evaluate".
"""
from cadre_rules.facts.months import derive_facts  # facts/derive.py, with acts dated to the month handled
from cadre_rules.facts.periods import add_months, anniversary, day_ordinal, full_months, full_years
from cadre_rules.facts.schema import REGISTER_SCHEMA, SCHEMA
from cadre_rules.facts.values import Fact, FactSet, FieldType, Unknown

__all__ = ["REGISTER_SCHEMA", "SCHEMA", "Fact", "FactSet", "FieldType", "Unknown", "add_months", "anniversary", "day_ordinal", "derive_facts",
           "full_months", "full_years"]
