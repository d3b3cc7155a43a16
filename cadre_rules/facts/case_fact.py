"""The `case` fact, one small function per value: the one definition of each of its fields.

Why one function per value: as for the agenda items (facts/items.py, whose module docstring gives the
conventions), the auditor's derivation is generated per rulebook (engine/fused.py) and computes only
the `case` fields its rules read, composing (or inlining) these functions (facts/compose.py; facts/
derive.py composes them all for every other derivation). The roots are the case, its adopted decisions
(candidate -> date), the date the case is judged as of, and the rank of the post's level.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from cadre_rules.codes import SubmissionDoc
from cadre_rules.facts.levels import LEVEL_RANKS
from cadre_rules.facts.periods import add_months
from cadre_rules.model import Case, Level, MoveKind

RANKS = LEVEL_RANKS  # 副科 = 0; 科员 -1, 办事员 -2 (facts/levels.py: one home for the ranks)
_RANKS = RANKS
DIVISION_DEPUTY, BUREAU_DEPUTY = RANKS[Level.division_deputy], RANKS[Level.bureau_deputy]
_DIVISION_DEPUTY, _BUREAU_DEPUTY = DIVISION_DEPUTY, BUREAU_DEPUTY
_PROMOTION = MoveKind.promotion
# What a submission to the superior must enclose (2014 Art 39 / 2019 Art 40).
SUBMISSION_DOCS = SubmissionDoc.values()

#: the values the functions start from (all once per case)
ROOTS = {"case": 0, "decisions": 0, "as_of": 0, "post_rank": 0}
ARGS = ("case", "decisions", "as_of", "post_rank")
LOOPS: tuple[tuple[str, str, str], ...] = ()

Post = dict[str, Any]
Fields = dict[str, Any]
Decisions = dict[str, date]


# --- what several fields read ------------------------------------------------------------------------

def fields(case: Case) -> Fields:
    """The case's field values (pydantic keeps them in `__dict__`: cheaper than attribute reads)."""
    return case.__dict__


def post(case: Case) -> Post:
    return case.post.__dict__


def brk(fields: Fields) -> Any:
    return fields["breakthrough"]


def sub(fields: Fields) -> Any:
    return fields["submission"]


def motion(fields: Fields) -> Any:
    return fields["motion"]


def dual(post: Post) -> Any:
    return post["dual_management"]


def move(fields: Fields) -> MoveKind:
    return fields["move"]


def level(post: Post) -> Level | None:
    return post["level"]


# --- the fields --------------------------------------------------------------------------------------

def case_id(fields: Fields) -> str:
    return f"case:{fields['id']}"


def case_path() -> str:
    return ""

def jurisdiction(fields: Fields) -> Any:
    return fields["jurisdiction"]


def change_of_term(fields: Fields) -> Any:
    return fields["change_of_term"]


def batch_size(fields: Fields) -> Any:
    return fields["batch_size"]


def quota(post: Post) -> Any:
    return post["quota"]


def incumbents(post: Post) -> Any:
    return post["incumbents"]


def posts_to_fill(post: Post) -> Any:
    return post["posts_to_fill"]


def special_post(post: Post) -> Any:
    return post["special"]


def probation_post(post: Post) -> Any:
    return post["probation"]


def party_post(post: Post) -> Any:
    return post["is_party_post"]


def committee_level(post: Post) -> Any:
    return post["committee_level"]


def city_county_chief(post: Post) -> Any:
    return post["city_county_chief"]


def audit_required(post: Post) -> Any:
    return post["audit_required"]


def post_function(post: Post) -> Any:
    return post["function"]


def avoidance_level(post: Post) -> Any:
    return post["avoidance_level"]


def locality(post: Post) -> Any:
    return post["locality"]


def move_code(move: MoveKind) -> Any:
    return move._value_


def is_promotion(move: MoveKind) -> Any:
    return move is _PROMOTION


def in_progress(fields: Fields) -> Any:
    return fields["status"] == "open"


def as_of_date(as_of: date) -> Any:
    return as_of


def adopted(decisions: Decisions) -> Any:
    return len(decisions)


def holders_after(post: Post, decisions: Decisions) -> Any:
    return post["incumbents"] + len(decisions)


def first_decision(decisions: Decisions) -> Any:
    return min(decisions.values()) if decisions else None


def post_level(level: Level | None) -> Any:
    return level._value_ if level else None


def post_rank_of(post_rank: int | None) -> Any:
    return post_rank


def post_is_chief(level: Level | None) -> Any:
    return bool(level and level._value_.endswith("_chief"))


def division_or_above(post_rank: int | None) -> Any:
    return post_rank is not None and post_rank >= _DIVISION_DEPUTY


def bureau_or_above(post_rank: int | None) -> Any:
    return post_rank is not None and post_rank >= _BUREAU_DEPUTY


def managed_elsewhere(case: Case, post: Post) -> Any:
    return post["managed_by"] is not None and post["managed_by"] != case.body.id


def breakthrough(brk: Any) -> Any:
    return bool(brk and (brk.basis or brk.items or brk.skip_level))


def breakthrough_basis(brk: Any) -> Any:
    return brk.basis if brk else None


def breakthrough_items(brk: Any) -> Any:
    return list(brk.items) if brk else []


def skip_level(brk: Any, post_rank: int | None, fields: Fields) -> Any:
    """Declared, or some candidate's current level two or more below the post's."""
    return bool(brk and brk.skip_level) or (post_rank is not None and any(
        c.current_level is not None and post_rank - _RANKS[c.current_level] >= 2 for c in fields["candidates"]))


def via_recommendation(brk: Any) -> Any:
    return brk.via_recommendation if brk else True


def dual_management(dual: Any) -> Any:
    return dual is not None


def dual_consult_sent(dual: Any) -> Any:
    return dual.consult_sent if dual else None


def dual_reply(dual: Any) -> Any:
    return dual.reply_date if dual else None


def dual_deemed_consent(dual: Any) -> Any:
    return add_months(dual.consult_sent, 1) if dual else None


def submission_date(sub: Any) -> Any:
    return sub.date if sub else None


def submission_reply(sub: Any) -> Any:
    return sub.reply_date if sub else None


def submission_result(sub: Any) -> Any:
    return sub.result if sub else None


def submission_missing_docs(sub: Any) -> Any:
    return [d for d in SUBMISSION_DOCS if d not in sub.docs] if sub else list(SUBMISSION_DOCS)


def inspection_targets(fields: Fields) -> Any:
    return len({i.candidate for i in fields["inspections"]})


def intended_method(motion: Any) -> Any:
    return motion.method if motion else None


def method_reason(motion: Any) -> Any:
    return bool(motion and motion.method_reason)


def eligibility_relaxations(motion: Any) -> Any:
    return list(motion.eligibility_relaxations) if motion else []


def unsigned_nominations(fields: Fields) -> Any:
    return sum(1 for n in fields["nominations"] if not n.signed) if fields["nominations"] else 0


def recommendation_exempt(case: Case, fields: Fields) -> bool:
    """The prior report named as the recommendation's exemption was approved."""
    exempting = fields["recommendation_exemption"]
    if exempting is None:
        return False
    exemption = next((r for r in case.prior_reports if r.id == exempting), None)
    return bool(exemption and exemption.reply == "approved")


#: field of the `case` fact -> the function above giving it, in the fact's field order
FIELDS = {
    "id": "case_id", "path": "case_path", "jurisdiction": "jurisdiction", "move": "move_code",
    "is_promotion": "is_promotion", "in_progress": "in_progress", "as_of": "as_of_date", "quota": "quota",
    "incumbents": "incumbents", "adopted": "adopted", "holders_after": "holders_after",
    "first_decision": "first_decision", "change_of_term": "change_of_term", "posts_to_fill": "posts_to_fill",
    "batch_size": "batch_size", "post_level": "post_level", "post_rank": "post_rank_of",
    "post_is_chief": "post_is_chief", "division_or_above": "division_or_above",
    "bureau_or_above": "bureau_or_above", "managed_elsewhere": "managed_elsewhere", "special_post": "special_post",
    "probation_post": "probation_post", "party_post": "party_post", "committee_level": "committee_level",
    "city_county_chief": "city_county_chief", "audit_required": "audit_required", "post_function": "post_function",
    "avoidance_level": "avoidance_level", "locality": "locality", "breakthrough": "breakthrough",
    "breakthrough_basis": "breakthrough_basis", "breakthrough_items": "breakthrough_items",
    "skip_level": "skip_level", "via_recommendation": "via_recommendation",
    "recommendation_exempt": "recommendation_exempt", "dual_management": "dual_management",
    "dual_consult_sent": "dual_consult_sent", "dual_reply": "dual_reply",
    "dual_deemed_consent": "dual_deemed_consent", "submission_date": "submission_date",
    "submission_reply": "submission_reply", "submission_result": "submission_result",
    "submission_missing_docs": "submission_missing_docs", "inspection_targets": "inspection_targets",
    "intended_method": "intended_method", "method_reason": "method_reason",
    "eligibility_relaxations": "eligibility_relaxations", "unsigned_nominations": "unsigned_nominations",
}
