"""One "break this rule" function per rule of the bundled rulebook (a breaker), registered by rule id.

A breaker takes a compliant draft (cadre_rules.testing.draft) and changes it so that exactly its rule is
violated and every other rule stays satisfied; it returns the name of the way it broke the rule (the
variant recorded in `meta.injection_variants`). Adding a rule means adding one breaker here; a test fails
while a rule of the rulebook has none, or a breaker names a rule the rulebook does not have.

What a breaker declares is what only the breaker knows — how the case must be shaped so that its way of
breaking the rule is possible. Where a rule is in force, whether the profile switches it on and which
moves and post levels its condition judges are read from the rulebook (cadre_rules.testing.applicability).

* `late`: runs after the meetings are settled and the records that follow the final notice dates (talks,
  probation, submissions) are drawn, because it breaks one of those.
* `moves`, `settings`, `post`: the moves, settings (county, city, city_bureau, province_dept) and post
  (chief or deputy) it can break the rule in, beyond what the rule's own condition limits.
* `needs`: features the case's plan must have (see NEEDS).
* `rebuilds`: compliant variations (see REBUILDS) that clean cases carry and that this breaker either
  builds itself or that would hide its violation; they are switched off.
* `conflicts`, `companions`: rules it cannot be injected together with; or the only rules it can be.
* `latest_motion`: the latest motion date its case can have (it stretches the case in time).

Breakers run in the order they are registered (the order of this file: qualifications, motion,
recommendation, inspection, meeting, publicity, notice, filing); each keeps the conditions of the rules
after it intact.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date, timedelta
from typing import Any, Callable, Iterable

from cadre_rules.facts import calendar
from cadre_rules.facts.periods import add_months, anniversary
from cadre_rules.testing.applicability import DIVISION_SETTINGS, applicability, edition_start, rulebook
from cadre_rules.testing.draft import (CATEGORIES, COUNTIES, KINSHIPS_IN_SCOPE, SUBMISSION_DOCS, Draft, Redraw,
                                       approved_breakthrough, draw_working_day, pick, target_item)

#: Features a plan can be asked for.
NEEDS = {
    "recommendation": "a democratic recommendation on record (a transfer may have none)",
    "two_candidates": "a second candidate besides the one the breaker works on",
    "unrecommended_candidate": "a second candidate when other injected rules need the recommendation kept",
    "two_rounds": "talks first, then a meeting recommendation",
    "reconsideration": "a reconsideration (复议) meeting after the decision",
    "stale_recommendation": "a recommendation more than a year before the inspection targets",
    "meeting_in_window": "the decision meeting inside the rule's closed window in force",
    "unpublicised_seat": "two seats, so that one adopted candidate can go unpublicised",
    "publicity": "a publicity (公示) to break",
}
#: Compliant variations of clean cases that a breaker can switch off.
REBUILDS = {
    "breakthrough": "an approved 破格", "sanction": "an old sanction with its reuse approved",
    "relatives": "relatives outside the avoidance lines", "managed_by_superior": "a post managed by the superior",
    "dual_management": "a co-managed post", "nomination": "a signed nomination", "precheck": "early checks",
    "competitive": "competitive selection", "objection": "a resolved publicity objection",
    "home_place": "home-place avoidance respected", "change_of_term": "a change of term (换届)",
    "county_chief": "a county chief decided between plenums", "reconsideration": "a reconsideration meeting",
    "principal_absent": "the principal leader away from the meeting", "audit": "an economic audit",
    "filing_omitted": "no filing where none is due", "non_party": "a non-CPC candidate",
}


@dataclass(frozen=True)
class Breaker:
    """A registered breaker and what it declares (see the module docstring)."""

    rule_id: str
    apply: Callable[[Draft], str]
    late: bool = False
    moves: tuple[str, ...] | None = None
    settings: tuple[str, ...] | None = None
    post: str | None = None  # chief | deputy
    needs: frozenset[str] = frozenset()
    rebuilds: frozenset[str] = frozenset()
    conflicts: frozenset[str] = frozenset()
    companions: frozenset[str] | None = None
    latest_motion: date | None = None


BREAKERS: dict[str, Breaker] = {}


def breaker(rule_id: str, *, late: bool = False, moves: tuple[str, ...] | None = None,
            settings: tuple[str, ...] | None = None, post: str | None = None, needs: Iterable[str] = (),
            rebuilds: Iterable[str] = (), conflicts: Iterable[str] = (), companions: Iterable[str] | None = None,
            latest_motion: date | None = None) -> Callable[[Callable[[Draft], str]], Callable[[Draft], str]]:
    """Register the decorated function as the breaker of `rule_id`."""
    unknown = (set(needs) - set(NEEDS)) | (set(rebuilds) - set(REBUILDS))
    if rule_id in BREAKERS or unknown or post not in (None, "chief", "deputy"):
        raise ValueError(f"breaker {rule_id}: registered twice, or unknown needs/rebuilds/post {sorted(unknown)} {post}")

    def register(fn: Callable[[Draft], str]) -> Callable[[Draft], str]:
        BREAKERS[rule_id] = Breaker(rule_id, fn, late, moves, settings, post, frozenset(needs), frozenset(rebuilds),
                                    frozenset(conflicts), None if companions is None else frozenset(companions),
                                    latest_motion)
        return fn
    return register


def injectable(profile: str = "national") -> tuple[str, ...]:
    """Rules that can be injected in `profile`, in breaker order: those with a breaker that the profile
    does not switch off (a rule whose parameter `applies` is false there cannot fire)."""
    rules = applicability(profile)
    return tuple(r for r in BREAKERS if r in rules and rules[r].switched_on)


@dataclass(frozen=True)
class Injection:
    """What a set of injected rules asks of the case: the union of their breakers' declarations and the
    intersection of the moves, settings and dates where each can be violated."""

    rules: frozenset[str]
    needs: frozenset[str]
    rebuilds: frozenset[str]
    moves: tuple[str, ...] | None
    settings: tuple[str, ...] | None
    post: str | None
    earliest: date | None  # the latest first day in force among the rules
    latest: date | None  # the earliest `latest_motion`
    window: tuple[date, date] | None  # where the decision meeting must fall (`meeting_in_window`)


def _meet(a: tuple[str, ...] | None, b: tuple[str, ...] | None) -> tuple[str, ...] | None:
    if a is None or b is None:
        return a if b is None else b
    return tuple(x for x in a if x in b)


@lru_cache(maxsize=4096)
def injection(rules: frozenset[str], profile: str = "national") -> Injection:
    """The combined declaration of `rules` (each must have a breaker)."""
    facts = applicability(profile)
    chosen = [BREAKERS[r] for r in BREAKERS if r in rules]
    needs = frozenset().union(*(b.needs for b in chosen))
    rebuilds = frozenset().union(*(b.rebuilds for b in chosen))
    moves = settings = None
    posts = {b.post for b in chosen if b.post}
    window = None
    for b in chosen:
        moves = _meet(_meet(moves, b.moves), facts[b.rule_id].moves)
        settings = _meet(_meet(settings, b.settings), facts[b.rule_id].settings)
        if "meeting_in_window" in b.needs:
            window = (facts[b.rule_id].start, facts[b.rule_id].end)
    starts = [facts[b.rule_id].start for b in chosen]
    latest = [b.latest_motion for b in chosen if b.latest_motion]
    return Injection(rules, needs, rebuilds, moves, settings, posts.pop() if len(posts) == 1 else None,
                     max(starts) if starts else None, min(latest) if latest else None, window)


def compatible(rules: Iterable[str]) -> bool:
    """Whether one case can break all these rules and no other."""
    rules = frozenset(rules)
    chosen = [BREAKERS[r] for r in rules]
    if any(b.conflicts & rules or (b.companions is not None and not rules - {b.rule_id} <= b.companions)
           for b in chosen):
        return False
    if len({b.post for b in chosen if b.post}) > 1:
        return False
    inj = injection(rules)
    # One adopted candidate publicised and one not needs two seats, which a single chief post does not have.
    return not ({"unpublicised_seat", "publicity"} <= inj.needs and inj.post == "chief")


def window_of(need: str, profile: str = "national") -> tuple[date, date] | None:
    """The closed window in force of the rule whose breaker needs `need` (clean cases stay out of it)."""
    facts = applicability(profile)
    for b in BREAKERS.values():
        if need in b.needs and facts[b.rule_id].end is not None:
            return facts[b.rule_id].start, facts[b.rule_id].end
    return None


# --- the breakers, in the order they run -------------------------------------------------------------

# Without a committee decision (GEN-COLLECTIVE) the rules on decisions have nothing to judge; these rules
# judge acts before or after it that stand on their own.
_COLLECTIVE_COMPANIONS = frozenset({"MOT-ANALYSIS", "MOT-INITIATION", "MOT-PRECHECK", "MOT-COMPETITIVE",
    "REC-VALIDITY-1Y", "REC-FORM-ORDER", "REC-PARTICIPANTS", "REC-REF-DIFFERENTIAL", "REC-NOT-BY-VOTES",
    "REC-INDIV-SIGNED", "INS-TARGET-COLLECTIVE", "INS-TEAM-2", "INS-STEPS", "INS-MATERIALS", "DISQ-LIST",
    "APT-PUB-5WD", "APT-PUB-WINDOW", "APT-PUB-SCOPE", "APT-PUB-OUTCOME", "APT-PROBATION", "APT-TALK",
    "QUAL-TRAINING", "GEN-AUTHORITY", "RPT-SUBMISSION", "RPT-FILING"})
# Rules on the motion itself: without a motion on record they could not be broken.
_MOTION_RULES = frozenset({"MOT-ANALYSIS", "MOT-INITIATION", "MOT-PRECHECK", "MOT-COMPETITIVE"})


def _rebuilding(variation: str) -> frozenset[str]:
    """The rules whose breakers rebuild `variation` (see REBUILDS)."""
    return frozenset(r for r, b in BREAKERS.items() if variation in b.rebuilds)


def _version_window() -> tuple[date, date]:
    window = window_of("meeting_in_window")
    assert window is not None, "the rule with a closed window has no breaker"
    return window

@breaker("GEN-VERSION", needs={"meeting_in_window"}, conflicts={"MOT-ANALYSIS", "MOT-PRECHECK", "REC-REF-DIFFERENTIAL"})
def _break_version(d: Draft) -> str:
    """GEN-VERSION: the meeting falls between the 2019 text's date and its release (the plan put it there)."""
    if not _version_window()[0] <= d.meeting.date <= _version_window()[1]:
        raise Redraw
    return "meeting_in_open_window"


@breaker("GEN-COLLECTIVE", rebuilds={"county_chief", "reconsideration"},
         companions=_COLLECTIVE_COMPANIONS)
def _break_collective(d: Draft) -> str:
    """GEN-COLLECTIVE: the appointment rests on a secretaries' or department meeting, not a committee decision."""
    variant = pick(d, "secretaries_meeting", "department_meeting")
    for meeting in d.meetings:
        meeting.kind = variant.removesuffix("_meeting")
    return variant


@breaker("GEN-AUTHORITY", late=True, rebuilds={"managed_by_superior"})
def _break_authority(d: Draft) -> str:
    """GEN-AUTHORITY: the post is managed by the superior, whose approval is missing or comes after the notice."""
    rng, case = d.rng, d.case
    case["post"]["managed_by"] = "superior-committee"
    first = min(a["date"] for a in case["appointments"])
    variant = pick(d, None if "RPT-SUBMISSION" in d.rules else "no_submission", "rejected", "approved_after_notice")
    if variant == "no_submission":
        case.pop("submission", None)
        return variant
    sent = draw_working_day(rng, d.decided, first)
    if variant == "rejected":
        case["submission"] = {"date": sent, "docs": list(SUBMISSION_DOCS), "reply_date": draw_working_day(rng, sent, first),
                              "result": "rejected"}
    else:
        case["submission"] = {"date": sent, "docs": list(SUBMISSION_DOCS),
                              "reply_date": calendar.add_working_days(first, rng.randint(1, 10)), "result": "approved"}
    return variant


def _adopted_candidate(d: Draft) -> dict[str, Any]:
    return d.candidate(d.rng.choice(d.adopted))


@breaker("QUAL-WORKYEARS", rebuilds={"breakthrough"})
def _break_work_years(d: Draft) -> str:
    """QUAL-WORKYEARS: the recorded start of work (工龄) is fewer than five full years before the decision."""
    cand = _adopted_candidate(d)
    cand["work_start_date"] = add_months(d.decided.replace(day=1), -d.rng.randint(14, 58))  # earlier years were not counted as 工龄
    return "work_years_short"


@breaker("QUAL-GRASSROOTS", rebuilds={"breakthrough"})
def _break_grassroots(d: Draft) -> str:
    """QUAL-GRASSROOTS: fewer than two years of grassroots posts."""
    cand = _adopted_candidate(d)
    history = cand["work_history"]
    variant = pick(d, "grassroots_short", "no_grassroots_post")
    if variant == "no_grassroots_post":
        for post in history:
            post.pop("grassroots", None)
        history[0]["title"], history[0]["unit"] = f"{d.setting.post_unit}科员", d.setting.post_unit
        return variant
    first = history[0]
    cut = add_months(first["start"].replace(day=1), d.rng.randint(6, 20))
    rest = {"title": f"{d.setting.post_unit}科员", "unit": d.setting.post_unit, "level": None, "start": cut,
            "end": first["end"]}
    first["end"] = cut - timedelta(days=1)
    history.insert(1, rest)
    return variant


@breaker("QUAL-TWO-POSTS")
def _break_two_posts(d: Draft) -> str:
    """QUAL-TWO-POSTS: only one post held at the level just below the post."""
    cand = _adopted_candidate(d)
    prev = cand["work_history"][-2]
    variant = pick(d, "earlier_post_below_level", "same_post_twice")
    if variant == "earlier_post_below_level":
        prev["level"] = None
        prev.pop("promotion", None)
        prev.pop("probation_end", None)
    else:  # the record splits one post in two (a reappointment): the same title at the same unit
        prev["title"] = cand["work_history"][-1]["title"]
    return variant


def _shorten_tenure(d: Draft, cand: dict[str, Any], months: int) -> None:
    since = add_months(d.decided.replace(day=1), -months)
    cand["current_since"] = since
    cand["work_history"][-1]["start"] = since
    cand["work_history"][-2]["end"] = since - timedelta(days=1)


@breaker("QUAL-DEP2CHIEF-2Y", post="chief", rebuilds={"breakthrough"})
def _break_deputy_tenure(d: Draft) -> str:
    """QUAL-DEP2CHIEF-2Y: a deputy becomes chief with fewer than two full years as deputy."""
    _shorten_tenure(d, _adopted_candidate(d), d.rng.randint(6, 22))
    return "deputy_under_two_years"


@breaker("QUAL-CHIEF2UPDEP-3Y", post="deputy", rebuilds={"breakthrough"},
         conflicts={"QUAL-DEP2CHIEF-2Y", "DEC-FULLCOMMITTEE"})
def _break_chief_tenure(d: Draft) -> str:
    """QUAL-CHIEF2UPDEP-3Y: a lower-level chief becomes upper deputy with fewer than three full years as chief."""
    _shorten_tenure(d, _adopted_candidate(d), d.rng.randint(6, 34))
    return "chief_under_three_years"


@breaker("QUAL-EDUCATION")
def _break_education(d: Draft) -> str:
    """QUAL-EDUCATION: no college degree on record, or none recorded at all."""
    cand = _adopted_candidate(d)
    variant = pick(d, "secondary_only", "not_recorded")
    if variant == "secondary_only":
        school = d.rng.choice(("中专", "职业高中", "高中"))
        cand["education"] = [{"degree": school, "institution": f"{d.setting.locality}{school}", "full_time": True,
                              "completed": date(cand["work_start_date"].year, 6, 30)}]
    else:
        cand["education"] = []
    return variant


@breaker("QUAL-TRAINING", late=True, settings=DIVISION_SETTINGS, latest_motion=date(2025, 5, 31))
def _break_training(d: Draft) -> str:
    """QUAL-TRAINING: fewer than 550 training hours in five years, not made up within a year of the notice;
    the record runs past that year (case.as_of), so the finding is violated, not pending."""
    rng = d.rng
    notice = rng.choice(d.case["appointments"])
    cand = d.candidate(notice["candidate"])
    deadline = anniversary(notice["date"], 1)
    year = d.decided.year
    variant = pick(d, "hours_short", "made_up_too_late")
    cand["training"] = [{"year": y, "hours": rng.randint(20, 100)} for y in range(year - 4, year + 1)]
    if variant == "made_up_too_late":
        cand["training"].append({"year": deadline.year + 1, "hours": rng.randint(300, 500)})
    _extend_record(d, deadline + timedelta(days=rng.randint(5, 60)))
    return variant


def _extend_record(d: Draft, as_of: date) -> None:
    """The closed case's record runs to `as_of` (the follow-up of the first year in office)."""
    if "as_of" not in d.case or d.case["as_of"] < as_of:
        d.case["as_of"] = as_of


@breaker("QUAL-HEALTH-LEGAL")
def _break_health(d: Draft) -> str:
    """QUAL-HEALTH-LEGAL: no fitness attestation before the decision, or a statutory qualification missing."""
    rng, case = d.rng, d.case
    cid = rng.choice(d.adopted)
    variant = pick(d, "no_health_attestation", "attested_after_decision", "statutory_qualification_missing")
    if variant == "statutory_qualification_missing":
        case["post"]["statutory_requirements"] = ["法律职业资格"]
        for other in d.adopted:
            if other != cid:
                d.candidate(other)["statutory_qualifications"] = ["法律职业资格"]
        return variant
    att = next(a for a in case["attestations"] if a["candidate"] == cid and a["kind"] == "health")
    if variant == "no_health_attestation":
        case["attestations"].remove(att)
    else:
        att["date"] = calendar.add_working_days(d.decided, rng.randint(1, 5))
    return variant


@breaker("QUAL-PARTY-AGE", rebuilds={"non_party"})
def _break_party_age(d: Draft) -> str:
    """QUAL-PARTY-AGE: a Party post bringing committee membership, for a member of too few years."""
    rng, post = d.rng, d.case["post"]
    post["is_party_post"] = True
    post["committee_level"] = "county" if d.setting.kind == "county" else "prefectural"
    cand = _adopted_candidate(d)
    variant = pick(d, "party_years_short", "party_join_not_recorded")
    if variant == "party_years_short":
        needed = 3 if post["committee_level"] == "county" else 5
        cand["party_join_date"] = add_months(d.decided.replace(day=1), -rng.randint(3, 12 * needed - 2))
    else:
        cand.pop("party_join_date", None)
    return variant


@breaker("QUAL-BASIC-CONDITIONS")
def _break_basic_conditions(d: Draft) -> str:
    """QUAL-BASIC-CONDITIONS: no assessment of the basic conditions before the decision."""
    rng, case = d.rng, d.case
    cid = rng.choice(d.adopted)
    att = next(a for a in case["attestations"] if a["candidate"] == cid and a["kind"] == "basic_conditions")
    variant = pick(d, "not_assessed", "assessed_after_decision")
    if variant == "not_assessed":
        case["attestations"].remove(att)
    else:
        att["date"] = calendar.add_working_days(d.decided, rng.randint(1, 5))
    return variant


def _ensure_breakthrough(d: Draft) -> dict[str, Any]:
    """The case's 破格 record, drawn (with a listed ground and an approval before the inspection) if missing."""
    if "breakthrough" not in d.case:
        approved_breakthrough(d, "years_in_level")
    return d.case["breakthrough"]


@breaker("BRK-GROUNDS", moves=("promotion",), rebuilds={"breakthrough"},
         conflicts={"QUAL-WORKYEARS", "QUAL-GRASSROOTS", "QUAL-DEP2CHIEF-2Y", "QUAL-CHIEF2UPDEP-3Y"})
def _break_grounds(d: Draft) -> str:
    """BRK-GROUNDS: a 破格 without a listed ground (approved, explained and publicised all the same)."""
    brk = _ensure_breakthrough(d)
    variant = pick(d, "no_ground", "unlisted_ground")
    brk["basis"] = None if variant == "no_ground" else d.rng.choice(("seniority", "long_service", "other"))
    return variant


@breaker("BRK-LIMITS", moves=("promotion",), rebuilds={"breakthrough"},
         conflicts={"QUAL-WORKYEARS", "QUAL-GRASSROOTS", "QUAL-DEP2CHIEF-2Y", "QUAL-CHIEF2UPDEP-3Y"})
def _break_limits(d: Draft) -> str:
    """BRK-LIMITS: a 破格 for someone promoted less than a year ago (still on probation), or a second 破格 on tenure."""
    rng = d.rng
    brk = _ensure_breakthrough(d)
    cand = _adopted_candidate(d)
    # A tenure of months is lawful only under an approved 破格 (else the tenure rules fire at division level).
    variant = pick(d, None if "BRK-PRIOR-APPROVAL" in d.rules else "promoted_within_a_year",
                    "tenure_breakthrough_again")
    if variant == "promoted_within_a_year":
        since = add_months(d.decided.replace(day=1), -rng.randint(3, 11))
        cand["current_since"] = since
        current = cand["work_history"][-1]
        current.update(start=since, promotion=True, probation_end=anniversary(since, 1))
        cand["work_history"][-2]["end"] = since - timedelta(days=1)
    else:
        if "years_in_level" not in brk["items"]:
            brk["items"].append("years_in_level")
        cand["work_history"][-2].update(promotion=True, tenure_breakthrough=True)
    return variant


@breaker("BRK-PRIOR-APPROVAL", moves=("promotion",), rebuilds={"breakthrough"})
def _break_prior_approval(d: Draft) -> str:
    """BRK-PRIOR-APPROVAL: a 破格 decided without the superior's consent before the meeting, or a declared
    level-skip consented to only after the inspection began."""
    rng, case = d.rng, d.case
    brk = _ensure_breakthrough(d)
    case["prior_reports"] = [r for r in case["prior_reports"] if r["matter"] not in ("breakthrough", "skip_level")]
    variant = pick(d, "not_reported", "rejected", "approved_after_decision",
                    "skip_level_approved_after_inspection_began")
    if variant == "rejected":
        d.approve("breakthrough", calendar.add_working_days(d.meeting.date, -rng.randint(1, 5)), reply_kind="rejected")
    elif variant == "approved_after_decision":
        d.approve("breakthrough", calendar.add_working_days(d.meeting.date, rng.randint(0, 5)))
    elif variant == "skip_level_approved_after_inspection_began":
        brk["skip_level"] = True
        d.approve("skip_level", draw_working_day(rng, d.dates["start"], calendar.add_working_days(d.meeting.date, -1)))
    return variant


@breaker("DISQ-LIST")
def _break_disqualified(d: Draft) -> str:
    """DISQ-LIST: an inspection target who should have been barred (appraisal, canvassing, recognition, 裸官)."""
    rng = d.rng
    cand = d.candidate(rng.choice(d.inspected))
    variant = pick(d, "basically_competent_recently", "canvassing_found", "low_recognition", "naked_official")
    if variant == "basically_competent_recently":
        rng.choice(cand["appraisals"])["grade"] = rng.choice(("basically_competent", "basically_competent", "incompetent"))
    elif variant == "naked_official":
        cand["spouse_emigrated"] = True
    else:
        cand[variant] = True
    return variant


@breaker("DISQ-DISCIPLINE-PERIOD", moves=("promotion", "further_use"), rebuilds={"sanction"})
def _break_discipline_period(d: Draft) -> str:
    """DISQ-DISCIPLINE-PERIOD: promoted inside a sanction's influence period (its reuse was reported and approved)."""
    rng = d.rng
    cand = _adopted_candidate(d)
    system, kind, period = rng.choice((("party", "warning", 12), ("administrative", "demerit", 12),
                                       ("administrative", "major_demerit", 18), ("party", "removal_from_post", 24),
                                       ("organisational", "admonishment", None)))
    months = rng.randint(2, (period or 12) - 2)
    sanction: dict[str, Any] = {"system": system, "type": kind,
                                "decision_date": add_months(d.decided.replace(day=1), -months - 1) + timedelta(days=rng.randint(0, 27))}
    if period is None:
        sanction["period_months"] = 12  # organisational handling records its own period
    cand["sanctions"] = [sanction]
    d.approve("sanction_reuse", draw_working_day(rng, d.dates["target"], calendar.add_working_days(d.meeting.date, -1)))
    return f"{system}_{kind}"


@breaker("MOT-ANALYSIS")
def _break_analysis(d: Draft) -> str:
    """MOT-ANALYSIS: no analysis of the team and cadres before the motion (2019 text)."""
    motion = d.case["motion"]
    variant = pick(d, "no_analysis", "analysis_after_motion")
    if variant == "no_analysis":
        motion.pop("analysis_date", None)
    else:
        motion["analysis_date"] = calendar.add_working_days(motion["date"], d.rng.randint(1, 5))
    return variant


@breaker("MOT-INITIATION")
def _break_initiation(d: Draft) -> str:
    """MOT-INITIATION: an improper proposer, a missing step, or the steps out of order."""
    rng, motion = d.rng, d.case["motion"]
    late_plan = d.case["recommendations"] and "REC-REQUIRED" not in d.rules  # which may drop the first round
    variant = pick(d, "no_work_plan", "not_reported_to_principal", "improper_proposer",
                    "work_plan_after_recommendation" if late_plan else None, "consulted_before_reporting")
    if variant == "no_work_plan":
        del motion["work_plan_date"]
    elif variant == "not_reported_to_principal":
        del motion["reported_to_principal"]
    elif variant == "improper_proposer":
        motion["proposer"] = rng.choice(("deputy_leader", "individual"))
    elif variant == "work_plan_after_recommendation":
        first = min(r["date"] for r in d.case["recommendations"])
        motion["work_plan_date"] = calendar.add_working_days(first, rng.randint(1, 3))
    else:
        motion["consultation_dates"] = [motion["date"]] + motion["consultation_dates"]
        motion["reported_to_principal"] = calendar.add_working_days(motion["date"], 1)
    return variant


@breaker("MOT-VACANCY")
def _break_vacancy(d: Draft) -> str:
    """MOT-VACANCY: the adopted candidates push holders above the quota without an approved report."""
    rng, post = d.rng, d.case["post"]
    d.case["prior_reports"] = [r for r in d.case["prior_reports"] if r["matter"] != "over_quota"]
    variant = rng.choice(("post_filled", "quota_cut", "report_not_approved"))
    if variant == "quota_cut":
        post["quota"] = post["incumbents"] + len(d.adopted) - 1
        return variant
    post["incumbents"] = post["quota"] - len(d.adopted) + 1 + rng.randint(0, 1)
    if variant == "report_not_approved":
        submitted = calendar.add_working_days(d.meeting.date, -rng.randint(3, 8))
        if rng.random() < 0.5:
            d.case["prior_reports"].append({"id": "pr-quota", "matter": "over_quota", "submitted": submitted,
                                            "reply_date": calendar.add_working_days(d.meeting.date, -1), "reply": "rejected"})
        else:  # approved, but only after the decision
            d.case["prior_reports"].append({"id": "pr-quota", "matter": "over_quota", "submitted": submitted,
                                            "reply_date": calendar.add_working_days(d.decided, rng.randint(0, 3)), "reply": "approved"})
    return variant


@breaker("MOT-NO-ADHOC")
def _break_adhoc(d: Draft) -> str:
    """MOT-NO-ADHOC: an item raised at the meeting, not circulated, or with no motion on record."""
    variant = pick(d, "added_at_meeting", "not_circulated", None if d.rules & _MOTION_RULES else "no_motion")
    if variant == "no_motion":
        del d.case["motion"]
        return variant
    item = target_item(d)
    item.circulated = False
    item.added_at_meeting = variant == "added_at_meeting"
    return variant


@breaker("MOT-PRECHECK", rebuilds={"precheck"})
def _break_precheck(d: Draft) -> str:
    """MOT-PRECHECK: a blocking problem found by the early check of an intended candidate is left open."""
    rng, motion = d.rng, d.case["motion"]
    kind = rng.choice(("personal_matters", "file", "integrity"))
    motion["prechecks"] = [{"kind": kind, "date": calendar.add_working_days(motion["date"], rng.randint(0, 3)), "blocking": True}]
    return f"{kind}_unresolved"


@breaker("MOT-COMPETITIVE", rebuilds={"competitive"})
def _break_competitive(d: Draft) -> str:
    """MOT-COMPETITIVE: competitive selection without a reason, or relaxed eligibility not approved first."""
    rng, motion = d.rng, d.case["motion"]
    motion.pop("method_reason", None)
    variant = pick(d, "no_reason", "relaxation_not_reported", "relaxation_approved_after_motion")
    if variant == "no_reason":
        motion["method"] = rng.choice(("competition", "open_selection"))
        return variant
    motion["eligibility_relaxations"] = [rng.choice(("age", "years_in_level", "education"))]
    if variant == "relaxation_approved_after_motion":
        d.approve("eligibility_relaxation", calendar.add_working_days(motion["date"], rng.randint(1, 5)), submitted=motion["date"])
    return variant


@breaker("REC-REQUIRED", moves=("promotion", "further_use"), needs={"recommendation", "unrecommended_candidate"},
         rebuilds={"change_of_term"}, conflicts={"REC-NOT-BY-VOTES"})
def _break_recommendation(d: Draft) -> str:
    """REC-REQUIRED: the candidate reaches the meeting without any recommendation result."""
    candidate = target_item(d).candidate
    kept = []
    for rec in d.case["recommendations"]:
        rec["results"] = [r for r in rec["results"] if r["candidate"] != candidate]
        if rec["results"]:
            kept.append(rec)
    d.case["recommendations"] = kept
    return "not_recommended"


@breaker("REC-VALIDITY-1Y", needs={"recommendation", "stale_recommendation"}, latest_motion=date(2025, 4, 30))
def _break_validity(d: Draft) -> str:
    """REC-VALIDITY-1Y: the targets are fixed more than a year after the recommendation (the plan left the gap)."""
    last = max(r["date"] for r in d.case["recommendations"])
    if d.dates["target"] <= anniversary(last, 1):
        raise Redraw
    return "recommended_over_a_year_before"


@breaker("REC-FORM-ORDER", needs={"recommendation"}, rebuilds={"change_of_term"})
def _break_form_order(d: Draft) -> str:
    """REC-FORM-ORDER: a second meeting round outside a change of term, or (2019 text) a change of term
    recommended by meeting without the talks first."""
    rng, recs = d.rng, d.case["recommendations"]
    term = (len(d.inspected) > d.case["post"]["posts_to_fill"] and min(r["date"] for r in recs) >= edition_start("2019")
            and not d.rules & {"REC-REF-DIFFERENTIAL", "INS-TARGET-COLLECTIVE", "MOT-INITIATION"}
            and any(r["form"] == "meeting" for r in recs))
    variant = pick(d, "second_meeting_round", "change_of_term_without_talks" if term else None)
    if variant == "change_of_term_without_talks":
        d.case["change_of_term"] = True
        d.case["recommendations"] = [r for r in recs if r["form"] != "talk"]
        return variant
    last = recs[-1]
    stale = "REC-VALIDITY-1Y" in d.rules  # the second round too must be over a year old at the targets
    day = draw_working_day(rng, calendar.add_working_days(last["date"], 1), calendar.add_working_days(last["date"], 2) if stale else d.dates["target"])
    if stale and d.dates["target"] <= anniversary(day, 1):
        raise Redraw
    results = [{"candidate": r["candidate"], "votes": r["votes"]} for r in last["results"]]
    recs.append({"id": f"r{len(recs) + 1}", "form": "second_meeting", "date": day,
                 "participants_expected": last["participants_expected"], "participants_actual": last["participants_actual"],
                 "results": results})
    return variant


@breaker("REC-PARTICIPANTS", needs={"recommendation"})
def _break_participants(d: Draft) -> str:
    """REC-PARTICIPANTS: a category of participants the rules require is absent."""
    rng = d.rng
    if not d.case["recommendations"]:
        raise Redraw
    rnd = rng.choice(d.case["recommendations"])
    required = list(CATEGORIES[:rng.randint(2, len(CATEGORIES))])
    rnd["required_categories"] = required
    absent = rng.choice(required)
    rnd["participant_categories"] = [c for c in required if c != absent]
    return "category_absent"


@breaker("REC-ATTENDANCE", needs={"recommendation"})
def _break_attendance(d: Draft) -> str:
    """REC-ATTENDANCE: fewer attend a recommendation meeting than the local share of those due (only where a
    profile switches the rule on; the share is the profile's). The votes stay as they were: more were due."""
    params = rulebook(d.profile).rules[rulebook(d.profile).ids.index("REC-ATTENDANCE")].parameters
    numerator, denominator = params["numerator"].default, params["denominator"].default
    meetings = [r for r in d.case["recommendations"] if r["form"] in ("meeting", "second_meeting")]
    if not meetings:
        raise Redraw
    rnd = d.rng.choice(meetings)
    actual = rnd["participants_actual"]
    # the smallest number due that `actual` falls short of, and a few more
    rnd["participants_expected"] = actual * denominator // numerator + 1 + d.rng.randint(0, actual // 3)
    return "attendance_short"


@breaker("REC-REF-DIFFERENTIAL", needs={"recommendation", "two_rounds"})
def _break_reference(d: Draft) -> str:
    """REC-REF-DIFFERENTIAL: the meeting after the talks is offered no more names than posts (2019 text)."""
    posts = d.case["post"]["posts_to_fill"]
    rnd = next((r for r in d.case["recommendations"] if "reference_list" in r), None)
    if rnd is None:
        raise Redraw
    variant = pick(d, "as_many_names_as_posts", "no_reference_list")
    if variant == "no_reference_list":
        del rnd["reference_list"]
    else:
        rnd["reference_list"] = rnd["reference_list"][:posts]
    return variant


@breaker("REC-NOT-BY-VOTES", needs={"recommendation", "two_candidates"})
def _break_by_votes(d: Draft) -> str:
    """REC-NOT-BY-VOTES: the target with the fewest votes is chosen without a recorded reason."""
    rng, recs = d.rng, d.case["recommendations"]
    target = rng.choice(d.inspected)
    final = {res["candidate"]: res for rec in recs for res in rec["results"]}
    if target not in final or len(final) < 2:
        raise Redraw
    floor = min(res["votes"] for cid, res in final.items() if cid != target)
    if floor < 2:
        raise Redraw
    final[target]["votes"] = rng.randint(0, floor - 1)
    d.inspection_of(target)["target_decision"]["rationale"] = None
    return "fewest_votes_no_reason"


@breaker("REC-INDIV-SIGNED", rebuilds={"nomination"})
def _break_nomination(d: Draft) -> str:
    """REC-INDIV-SIGNED: an individual nomination without a signed written statement."""
    d.case["nominations"] = [{"nominator": d.names(), "candidate": d.rng.choice(d.inspected), "signed": False}]
    return "unsigned_nomination"


@breaker("INS-TARGET-COLLECTIVE", rebuilds={"change_of_term"})
def _break_target_collective(d: Draft) -> str:
    """INS-TARGET-COLLECTIVE: targets not fixed collectively, or one target per post without concentrated views."""
    one_to_one = len(d.inspected) <= d.case["post"]["posts_to_fill"] and not d.case.get("change_of_term")
    variant = pick(d, "not_collective", "one_to_one_without_concentrated_views" if one_to_one else None)
    ins = d.inspection_of(d.rng.choice(d.inspected))
    if variant == "not_collective":
        ins["target_decision"].update(collective=False, body=f"{d.setting.organisation}主要负责人")
    else:
        ins["target_decision"]["views_concentrated"] = False
    return variant


@breaker("INS-TEAM-2")
def _break_team(d: Draft) -> str:
    """INS-TEAM-2: the inspection team has fewer than two members."""
    ins = d.inspection_of(target_item(d).candidate)
    variant = d.rng.choice(("one_inspector", "no_team"))
    ins["team"] = ins["team"][:1] if variant == "one_inspector" else []
    return variant


_STEP_FIELDS = {"no_plan": "plan_date", "no_notice": "notice_date", "no_unit_consultation": "unit_consultation_date",
                "no_feedback": "feedback_date", "no_department_review": "department_review_date"}


@breaker("INS-STEPS")
def _break_steps(d: Draft) -> str:
    """INS-STEPS: a mandatory inspection step missing, or out of order."""
    rng = d.rng
    ins = d.inspection_of(rng.choice(d.inspected))
    decided = "GEN-COLLECTIVE" not in d.rules  # the department's review is due before a decision, if any
    variant = pick(d, "no_plan", "no_notice", "no_unit_consultation", "no_feedback", "no_individual_talk",
                    "no_file_review_method", "notice_before_plan", "no_department_review" if decided else None,
                    "reviewed_after_decision" if decided else None)
    if variant in _STEP_FIELDS:
        del ins[_STEP_FIELDS[variant]]
    elif variant == "no_individual_talk":
        ins["methods"] = [m for m in ins["methods"] if m != "individual_talk"] or ["opinion_forms"]
    elif variant == "no_file_review_method":
        ins["methods"] = [m for m in ins["methods"] if m != "file_review"]
    elif variant == "notice_before_plan":
        ins["notice_date"] = calendar.add_working_days(ins["plan_date"], -rng.randint(1, 3))
    else:
        ins["department_review_date"] = calendar.add_working_days(d.decided, rng.randint(0, 2))
    return variant


@breaker("INS-BEFORE-DECISION")
def _break_inspection_done(d: Draft) -> str:
    """INS-BEFORE-DECISION: the inspection is not completed before the meeting."""
    ins = d.inspection_of(target_item(d).candidate)
    needs_completion = d.rules & {"INS-STEPS", "INS-MATERIALS"}  # both judge completed inspections only
    variant = pick(d, None if needs_completion else "not_completed", "completed_on_meeting_day",
                    "completed_after_meeting")
    ins["completed"] = {"not_completed": None, "completed_on_meeting_day": d.meeting.date,
                        "completed_after_meeting": calendar.add_working_days(d.meeting.date, d.rng.randint(1, 5))}[variant]
    return variant


def _break_check(d: Draft, key: str, bad_outcomes: tuple[str, ...]) -> str:
    """A four-musts check that is missing, done on/after the meeting, or left with an unacceptable outcome."""
    ins = d.inspection_of(target_item(d).candidate)
    variant = d.rng.choice(("missing", "after_meeting") + tuple(f"outcome_{o}" for o in bad_outcomes))
    if variant == "missing":
        ins[key] = None
    elif variant == "after_meeting":
        ins[key] = {"date": calendar.add_working_days(d.meeting.date, d.rng.randint(0, 4)), "outcome": "clear"}
    else:
        ins[key] = {"date": ins[key]["date"], "outcome": variant.removeprefix("outcome_"),
                    "note": "问题尚未查清" if variant != "outcome_concealment" else "查核发现漏报房产"}
    return variant


@breaker("INS-FILE-REVIEW")
def _break_file_review(d: Draft) -> str:
    """INS-FILE-REVIEW: the personnel file is not reviewed, or its problems not resolved, before the meeting."""
    return _break_check(d, "file_review", ("open",))


@breaker("INS-PERSONAL-MATTERS")
def _break_personal_matters(d: Draft) -> str:
    """INS-PERSONAL-MATTERS: the personal-matters report is not verified, or concealment is found."""
    return _break_check(d, "personal_matters", ("open", "concealment"))


@breaker("INS-DISCIPLINE-OPINION")
def _break_discipline_opinion(d: Draft) -> str:
    """INS-DISCIPLINE-OPINION: the discipline body is not heard, or the issues it raised stay open."""
    return _break_check(d, "discipline_opinion", ("open",))


@breaker("INS-PETITION-CHECK")
def _break_petition(d: Draft) -> str:
    """INS-PETITION-CHECK: a specific complaint received before the meeting is still open at it."""
    rng = d.rng
    ins = d.inspection_of(target_item(d).candidate)
    received = calendar.add_working_days(d.meeting.date, -rng.randint(3, 20))
    variant = rng.choice(("open", "closed_after_meeting"))
    petition: dict[str, Any] = {"id": "q9", "received": received, "specific": True}
    if variant == "closed_after_meeting":
        petition["closed"] = calendar.add_working_days(d.meeting.date, rng.randint(0, 10))
        petition["conclusion"] = "会后查结"
    ins["petitions"].append(petition)
    return variant


@breaker("INS-INTEGRITY-SIGNOFF")
def _break_integrity(d: Draft) -> str:
    """INS-INTEGRITY-SIGNOFF: the integrity conclusion lacks a signature, is missing, or is dated at the meeting."""
    rng = d.rng
    ins = d.inspection_of(target_item(d).candidate)
    variant = pick(d, "secretary_did_not_sign", "discipline_head_did_not_sign", "missing",
                    "signed_at_or_after_meeting")
    if variant == "missing":
        ins.pop("integrity_conclusion", None)
        return variant
    conclusion = {"date": ins["completed"] or d.dates["done"], "signed_by_secretary": True,
                  "signed_by_discipline_head": True, **(ins.get("integrity_conclusion") or {})}
    if variant == "signed_at_or_after_meeting":
        conclusion["date"] = calendar.add_working_days(d.meeting.date, rng.randint(0, 3))
    else:
        unsigned = "signed_by_secretary" if variant == "secretary_did_not_sign" else "signed_by_discipline_head"
        conclusion[unsigned] = False
    ins["integrity_conclusion"] = conclusion
    return variant


@breaker("INS-AUDIT-FIRST", rebuilds={"audit"})
def _break_audit(d: Draft) -> str:
    """INS-AUDIT-FIRST: the post needs an economic-responsibility audit, not concluded before the meeting."""
    rng = d.rng
    d.case["post"]["audit_required"] = True
    for ins in d.case["inspections"]:
        ins["economic_audit"] = {"date": draw_working_day(rng, calendar.add_working_days(ins["start"], -20), calendar.add_working_days(d.meeting.date, -2)),
                                 "outcome": "clear"}
    ins = d.inspection_of(target_item(d).candidate)
    variant = pick(d, "no_audit", "audit_after_meeting", "audit_findings_open")
    if variant == "no_audit":
        del ins["economic_audit"]
    elif variant == "audit_after_meeting":
        ins["economic_audit"]["date"] = calendar.add_working_days(d.meeting.date, rng.randint(0, 10))
    else:
        ins["economic_audit"].update(outcome="open", note="审计发现问题尚在整改")
    return variant


@breaker("INS-MATERIALS")
def _break_materials(d: Draft) -> str:
    """INS-MATERIALS: the inspection report is missing, or a required section is empty."""
    ins = d.inspection_of(d.rng.choice(d.inspected))
    variant = pick(d, "no_weaknesses", "no_evaluation_results", "no_report")
    if variant == "no_report":
        del ins["report"]
    else:
        ins["report"][variant.removeprefix("no_")] = None
    return variant


@breaker("DEC-BREWING", rebuilds={"dual_management"})
def _break_brewing(d: Draft) -> str:
    """DEC-BREWING: no consultation before the meeting, none with the united front for a non-CPC candidate,
    or a co-managing side neither answering nor given a month."""
    rng, case = d.rng, d.case
    variant = pick(d, "no_consultation", "consulted_after_meeting",
                    None if "QUAL-PARTY-AGE" in d.rules else "non_party_without_united_front",
                    "co_side_not_waited_for")
    if variant == "no_consultation":
        case["consultations"] = []
    elif variant == "consulted_after_meeting":
        for cons in case["consultations"]:
            cons["date"] = calendar.add_working_days(d.meeting.date, rng.randint(0, 2))
    elif variant == "non_party_without_united_front":
        cand = d.candidate(target_item(d).candidate)
        cand["party_member"] = False
        cand.pop("party_join_date", None)
        case["consultations"] = [c for c in case["consultations"] if c["with"] != "united_front"]
    else:
        sent = calendar.working_day_on_or_after(d.meeting.date - timedelta(days=rng.randint(5, 25)))  # under a month before
        case["post"]["dual_management"] = {"co_side": "上级主管部门党组", "consult_sent": sent}
    return variant


@breaker("DEC-DISCIPLINE-OBSERVER")
def _break_observer(d: Draft) -> str:
    """DEC-DISCIPLINE-OBSERVER: the discipline official is away and no discipline official sits in.

    To keep the quorum, an absent member attends in the official's place when there is one.
    """
    meeting = d.meeting
    meeting.non_voting = [nv for nv in meeting.non_voting if nv["role"] != "discipline_official"]
    if d.discipline not in meeting.attendees:
        return "stationed_head_absent"
    absent = [m for m in meeting.due if m not in meeting.attendees and m != d.principal]
    attendees = [m for m in meeting.attendees if m != d.discipline]
    if absent:
        attendees.append(d.rng.choice(absent))
    meeting.attendees = [m for m in meeting.due if m in attendees]
    for item in meeting.items:
        item.departed = [m for m in item.departed if m != d.discipline]
        item.recused = [m for m in item.recused if m != d.discipline]
    return "discipline_official_absent"


@breaker("DEC-QUORUM")
def _break_quorum(d: Draft) -> str:
    """DEC-QUORUM: fewer than two thirds of the members due are present for an item."""
    rng, meeting = d.rng, d.meeting
    size = len(meeting.due)
    item = target_item(d)
    variant = "members_left" if meeting.items.index(item) > 0 and rng.random() < 0.5 else "members_absent"
    keep = {d.principal, d.org_lead, d.discipline}
    while len(d.present(item)) * 3 >= 2 * size:
        removable = [x for x in d.present(item) if x not in keep]
        if not removable:
            raise Redraw
        gone = rng.choice(removable)
        if variant == "members_left":
            item.departed.append(gone)
        else:
            meeting.attendees.remove(gone)
            for other in meeting.items:
                for group in (other.departed, other.recused):
                    if gone in group:
                        group.remove(gone)
    d.quorum_broken = True
    return variant


@breaker("DEC-RECUSAL")
def _break_recusal(d: Draft) -> str:
    """DEC-RECUSAL: a member related to the candidate (in scope) takes part in the item."""
    item = target_item(d)
    present = [x for x in d.present(item) if x != d.principal]
    member = d.rng.choice(present)
    kind = d.rng.choice(KINSHIPS_IN_SCOPE)
    d.case["relations"].append({"person": member, "relative": item.candidate, "kind": kind})
    return kind


@breaker("DEC-PASS")
def _break_pass(d: Draft) -> str:
    """DEC-PASS: the item is adopted with yes votes not above half of the members due."""
    target_item(d, adopted_only=True).break_pass = True
    return "yes_not_above_half_of_due"


@breaker("DEC-EXPLICIT-VIEW")
def _break_explicit_view(d: Draft) -> str:
    """DEC-EXPLICIT-VIEW: a present member states no explicit view (unclear, or no statement)."""
    item = target_item(d)
    item.silent = True
    item.silent_mode = d.rng.choice(("unclear", "no_statement"))
    return item.silent_mode


@breaker("DEC-LAST-SPEAKER", rebuilds={"principal_absent"})
def _break_last_speaker(d: Draft) -> str:
    """DEC-LAST-SPEAKER: the principal leader states a view before others (meeting on/after 2019-03-03)."""
    target_item(d).break_last_speaker = True
    return "principal_not_last"


@breaker("DEC-VOTE-METHOD")
def _break_vote_method(d: Draft) -> str:
    """DEC-VOTE-METHOD: several people voted on together (一揽子), or a method outside oral, hands and ballot."""
    item = target_item(d)
    variant = pick(d, "bundled_vote", "unlisted_method")
    if variant == "bundled_vote":
        item.bundled = True
        item.vote_method = item.vote_method or "hands"
    else:
        item.vote_method = d.rng.choice(("acclamation", "applause"))
    return variant


@breaker("DEC-DEFER")
def _break_defer(d: Draft) -> str:
    """DEC-DEFER: the stated views split at least evenly, yet a ballot adopted the item instead of deferring it."""
    target_item(d, adopted_only=True).split_views = True
    return "adopted_despite_split_views"


@breaker("DEC-RECONSIDER", needs={"reconsideration"})
def _break_reconsider(d: Draft) -> str:
    """DEC-RECONSIDER: the decision is reopened (复议) without more than half of the members consenting."""
    if len(d.meetings) < 2:
        raise Redraw
    size = len(d.meeting.due)
    item = d.rng.choice(d.meetings[1].items)
    variant = pick(d, "consent_not_above_half", "consent_not_recorded")
    item.consent = d.rng.randint(max(1, size // 4), size // 2) if variant == "consent_not_above_half" else None
    return variant


@breaker("DEC-PRESENTATION", rebuilds={"breakthrough"})
def _break_presentation(d: Draft) -> str:
    """DEC-PRESENTATION: presented by a member not in charge of organisation work, or (2019 text) a 破格
    not explained at the meeting."""
    explain = (d.meeting.date >= edition_start("2019") and d.case["move"] == "promotion"
               and ("breakthrough" in d.case or not d.rules & (_rebuilding("breakthrough") - {"DEC-PRESENTATION"})))
    variant = pick(d, "presented_by_another_member", "breakthrough_not_explained" if explain else None)
    item = target_item(d)
    if variant == "presented_by_another_member":
        item.presenter = "other"
    else:
        _ensure_breakthrough(d)
        item.explained = False
    return variant


@breaker("DEC-FULLCOMMITTEE", moves=("promotion",), settings=("city",), post="chief", rebuilds={"county_chief"})
def _break_full_committee(d: Draft) -> str:
    """DEC-FULLCOMMITTEE: a county chief decided by the standing committee alone, no full-committee ballot."""
    post = d.case["post"]
    post["title"], post["unit"] = d.setting.county_chief
    post["city_county_chief"] = True
    d.case["title"] = f"{post['title']}提拔（合成案例）"
    variant = pick(d, "standing_committee_only", "urgent_without_consulting_members")
    for meeting in d.meetings:
        meeting.urgent = None if variant == "standing_committee_only" else "not_consulted"
    return variant


@breaker("DEC-RECORDS")
def _break_records(d: Draft) -> str:
    """DEC-RECORDS: no minutes or discussion record, or the record not signed by chair and recorder."""
    variant = pick(d, "no_minutes", "no_discussion_record", "not_signed_by_recorder", "not_signed_by_chair")
    key = {"no_minutes": "minutes", "no_discussion_record": "discussion_record",
           "not_signed_by_recorder": "signed_by_recorder", "not_signed_by_chair": "signed_by_chair"}[variant]
    d.meeting.records[key] = False
    return variant


@breaker("DIS-NO-RUSH")
def _break_rush(d: Draft) -> str:
    """DIS-NO-RUSH: the meeting appoints while the principal leader's departure is settled, without approval."""
    rng = d.rng
    d.case["prior_reports"] = [r for r in d.case["prior_reports"] if r["matter"] != "leader_departure"]
    decided = calendar.add_working_days(d.meeting.date, -rng.randint(0, 15))
    departure: dict[str, Any] = {"leader": d.principal, "decided": decided}
    last_act = max([a["date"] for a in d.case["appointments"]] + [f["date"] for f in d.case["filings"]])
    if rng.random() < 0.5:
        departure["left"] = calendar.add_working_days(last_act, rng.randint(1, 30))
    d.case["leader_departure"] = departure
    variant = rng.choice(("no_report", "report_not_approved", "approved_too_late"))
    if variant == "report_not_approved":
        d.case["prior_reports"].append({"id": "pr-leave", "matter": "leader_departure", "submitted": decided,
                                        "reply": "rejected", "reply_date": decided})
    elif variant == "approved_too_late":
        d.case["prior_reports"].append({"id": "pr-leave", "matter": "leader_departure", "submitted": decided,
                                        "reply_date": calendar.add_working_days(d.meeting.date, rng.randint(0, 3)), "reply": "approved"})
    return variant


def _publicised(d: Draft) -> list[str]:
    """Adopted candidates that still have a publicity (APT-PUB-SCOPE may have removed one)."""
    return [c for c in d.adopted if d.publicity_of(c) is not None]


@breaker("APT-PUB-SCOPE", needs={"unpublicised_seat"})
def _break_publicity_scope(d: Draft) -> str:
    """APT-PUB-SCOPE: a promotion without any pre-appointment publicity."""
    keep = 1 if d.rules & {"APT-PUB-5WD", "APT-PUB-WINDOW", "APT-PUB-OUTCOME"} else 0
    candidates = _publicised(d)
    if len(candidates) <= keep:
        raise Redraw
    d.case["publicity"].remove(d.publicity_of(d.rng.choice(candidates)))
    return "no_publicity"


@breaker("APT-PUB-5WD", moves=("promotion", "further_use"), needs={"publicity"})
def _break_publicity_length(d: Draft) -> str:
    """APT-PUB-5WD: the publicity runs fewer than five working days (often a calendar week over a holiday)."""
    rng = d.rng
    pub = d.publicity_of(rng.choice(_publicised(d)))
    week_end = pub["start"] + timedelta(days=6)
    if calendar.working_days_inclusive(pub["start"], week_end) < 5:
        pub["end"], variant = week_end, "calendar_week_over_holiday"
    else:
        pub["end"], variant = calendar.add_working_days(pub["start"], rng.randint(2, 4) - 1), "short"
    pub.pop("objections", None)
    notice = d.notice_of(pub["candidate"])
    if notice["date"] <= pub["end"]:
        notice["date"] = calendar.add_working_days(pub["end"], rng.randint(1, 3))
        d.reschedule_filing(pub["candidate"])
    return variant


@breaker("APT-PUB-WINDOW", needs={"publicity"}, rebuilds={"breakthrough"})
def _break_publicity_window(d: Draft) -> str:
    """APT-PUB-WINDOW: the publicity does not end after the decision and before the appointment notice, or a
    破格 promotion's publicity does not state the ground."""
    rng = d.rng
    candidate = rng.choice(_publicised(d))
    pub = d.publicity_of(candidate)
    notice = d.notice_of(candidate)
    decided = "GEN-COLLECTIVE" not in d.rules  # without a decision, only the notice's timing can be wrong
    moved = decided and "APT-PUB-5WD" not in d.rules  # moving the publicity would undo its shortening
    statement = decided and ("breakthrough" in d.case or not d.rules & (_rebuilding("breakthrough") - {"APT-PUB-WINDOW"}))
    variant = pick(d, "notice_during_publicity", "publicity_before_decision" if moved else None,
                    "breakthrough_not_stated" if statement else None)
    pub.pop("objections", None)
    if variant == "breakthrough_not_stated":
        _ensure_breakthrough(d)
        pub["breakthrough_statement"] = False
        return variant
    if variant == "notice_during_publicity":
        notice["date"] = draw_working_day(rng, pub["start"], pub["end"])
    else:
        pub["start"] = calendar.add_working_days(d.meeting.date, -rng.randint(1, 3))
        pub["end"] = calendar.add_working_days(pub["start"], rng.randint(5, 7) - 1)
        notice["date"] = calendar.add_working_days(max(pub["end"], d.decided), rng.randint(1, 3))
    d.reschedule_filing(candidate)
    return variant


@breaker("APT-PUB-OUTCOME", moves=("promotion", "further_use"), needs={"publicity"}, rebuilds={"objection"})
def _break_publicity_outcome(d: Draft) -> str:
    """APT-PUB-OUTCOME: the notice is issued while a publicity objection is unresolved, or despite one found
    to affect the appointment."""
    rng = d.rng
    pub = d.publicity_of(rng.choice(_publicised(d)))
    notice = d.notice_of(pub["candidate"])
    received = draw_working_day(rng, pub["start"], min(pub["end"], notice["date"]))
    variant = pick(d, "unresolved_at_notice", "resolved_after_notice", "affects_appointment")
    objection: dict[str, Any] = {"received": received}
    if variant == "resolved_after_notice":
        objection["resolved"] = calendar.add_working_days(notice["date"], rng.randint(1, 10))
    elif variant == "affects_appointment":
        objection.update(affects_appointment=True, resolved=draw_working_day(rng, received, notice["date"]))
    pub["objections"] = [objection]
    return variant


@breaker("APT-PROBATION", late=True, latest_motion=date(2025, 5, 31))
def _break_probation(d: Draft) -> str:
    """APT-PROBATION: a probationary post without a one-year probation on record, or not assessed at its end."""
    rng, case = d.rng, d.case
    case["post"]["probation"] = True
    for a in case["appointments"]:
        if "probation" not in a:
            end = anniversary(a["date"], 1)
            a["probation"] = {"start": a["date"], "planned_end": end,
                              "assessment_date": end + timedelta(days=rng.randint(3, 30)), "result": "confirmed"}
    notice = rng.choice(case["appointments"])
    variant = pick(d, "no_probation", "probation_under_a_year", "not_assessed")
    if variant == "no_probation":
        del notice["probation"]
    elif variant == "probation_under_a_year":
        notice["probation"].update(planned_end=notice["date"] + timedelta(days=rng.randint(90, 270)))
    else:
        del notice["probation"]["assessment_date"], notice["probation"]["result"]
        _extend_record(d, notice["probation"]["planned_end"] + timedelta(days=rng.randint(5, 60)))
    return variant


@breaker("APT-TALK", late=True)
def _break_talk(d: Draft) -> str:
    """APT-TALK: no appointment talk on record, or one held before the decision."""
    notice = d.rng.choice(d.case["appointments"])
    variant = pick(d, "no_talk", None if "GEN-COLLECTIVE" in d.rules else "talk_before_decision")
    if variant == "no_talk":
        del notice["talk"]
    else:
        notice["talk"]["date"] = calendar.add_working_days(d.decided, -d.rng.randint(1, 5))
    return variant


@breaker("APT-TENURE-START", late=True)
def _break_tenure(d: Draft) -> str:
    """APT-TENURE-START: the recorded tenure start is not the decision date (the notice or talk date instead)."""
    notice = d.rng.choice(d.case["appointments"])
    variant = pick(d, "tenure_from_notice", "tenure_from_talk" if "talk" in notice else None)
    notice["tenure_start"] = notice["date"] if variant == "tenure_from_notice" else notice["talk"]["date"]
    return variant


@breaker("RPT-PRIOR-MATTERS", rebuilds={"sanction", "relatives"})
def _break_prior_matters(d: Draft) -> str:
    """RPT-PRIOR-MATTERS: a reportable matter (a unit head's relative, reuse after a sanction) not approved
    by the superior before the meeting."""
    rng, case = d.rng, d.case
    sanction = case["move"] != "lateral_transfer" and "DISQ-DISCIPLINE-PERIOD" not in d.rules
    variant = pick(d, "relative_of_unit_head_not_reported", "relative_approved_after_meeting",
                    "sanction_reuse_not_reported" if sanction else None)
    cid = rng.choice(d.adopted)
    if variant == "sanction_reuse_not_reported":
        d.candidate(cid)["sanctions"] = [{"system": "administrative", "type": "warning",
                                          "decision_date": add_months(d.decided.replace(day=1), -rng.randint(20, 60))}]
        case["prior_reports"] = [r for r in case["prior_reports"] if r["matter"] != "sanction_reuse"]
        return variant
    case.setdefault("colleagues", []).append({"id": "x8", "name": d.names(), "post": d.setting.unit_leader,
                                              "leads_organ": True})
    case["relations"].append({"person": "x8", "relative": cid, "kind": rng.choice(("sibling", "cousin", "uncle_aunt",
                                                                                    "sibling_in_law"))})
    if variant == "relative_approved_after_meeting":
        d.approve("relative", calendar.add_working_days(d.meeting.date, rng.randint(0, 5)))
    return variant


@breaker("RPT-SUBMISSION", late=True, rebuilds={"managed_by_superior"})
def _break_submission(d: Draft) -> str:
    """RPT-SUBMISSION: the submission to the superior lacks required documents, or precedes the decision."""
    rng, case = d.rng, d.case
    case["post"]["managed_by"] = "superior-committee"
    first = min(a["date"] for a in case["appointments"])
    if "submission" not in case:
        sent = draw_working_day(rng, d.decided, first)
        case["submission"] = {"date": sent, "docs": list(SUBMISSION_DOCS), "reply_date": draw_working_day(rng, sent, first),
                              "result": "approved"}
    sub = case["submission"]
    variant = pick(d, "documents_missing", None if "GEN-COLLECTIVE" in d.rules else "submitted_before_decision")
    if variant == "documents_missing":
        missing = set(rng.sample(SUBMISSION_DOCS[1:], rng.randint(1, 3)))
        sub["docs"] = [doc for doc in sub["docs"] if doc not in missing]
    else:
        sub["date"] = calendar.add_working_days(d.decided, -rng.randint(1, 5))
    return variant


@breaker("RPT-FILING", rebuilds={"filing_omitted"})
def _break_filing(d: Draft) -> str:
    """RPT-FILING: the appointment is not filed, or filed more than seven working days after the notice."""
    rng = d.rng
    candidate = rng.choice(d.adopted)
    d.case["post"]["filing_required"] = True
    variant = rng.choice(("not_filed", "filed_late"))
    d.case["filings"] = [f for f in d.case["filings"] if f["candidate"] != candidate]
    if variant == "filed_late":
        d.case["filings"].append({"id": f"f-{candidate}", "candidate": candidate,
                                  "date": calendar.add_working_days(d.notice_of(candidate)["date"], rng.randint(8, 25)),
                                  "to": d.superior})
    return variant


@breaker("AVD-KINSHIP", rebuilds={"relatives"})
def _break_kinship(d: Draft) -> str:
    """AVD-KINSHIP: a close relative in the line of authority or under the same leader, heading the unit of a
    finance or personnel post, or running a business the post regulates."""
    rng, case = d.rng, d.case
    cid = rng.choice(d.inspected)
    leads = "RPT-PRIOR-MATTERS" not in d.rules
    variant = pick(d, "relative_in_direct_line", "relative_under_same_leader", "relative_business_regulated",
                    "relative_heads_unit_of_finance_post" if leads else None)
    if variant == "relative_business_regulated":
        case["relatives_business"] = [{"relative": rng.choice(("配偶", "子女", "子女的配偶")),
                                       "business": "某工程建设有限公司", "regulated_by_post": True}]
        return variant
    colleague: dict[str, Any] = {"id": "x9", "name": d.names(), "post": f"{d.setting.post_unit}干部"}
    if variant == "relative_in_direct_line":
        colleague["direct_line"] = True
    elif variant == "relative_under_same_leader":
        colleague["same_supervisor"] = True
    else:
        colleague.update(post=d.setting.unit_leader, leads_organ=True)
        case["post"]["function"] = rng.choice(("finance", "personnel"))
        d.approve("relative", calendar.add_working_days(d.meeting.date, -rng.randint(1, 5)))
    case.setdefault("colleagues", []).append(colleague)
    case["relations"].append({"person": "x9", "relative": cid, "kind": rng.choice(KINSHIPS_IN_SCOPE)})
    return variant


@breaker("AVD-GEOGRAPHIC", rebuilds={"home_place"})
def _break_geographic(d: Draft) -> str:
    """AVD-GEOGRAPHIC: a post under home-place avoidance given to someone who grew up there."""
    post = d.case["post"]
    post["avoidance_level"] = "county" if d.setting.kind == "county" else "prefecture"
    post["locality"] = d.setting.locality
    for cid in d.inspected:
        d.candidate(cid).setdefault("growth_place", d.rng.choice([p + "县" for p in COUNTIES
                                                                   if p + "县" != d.setting.locality]))
    d.candidate(d.rng.choice(d.inspected))["growth_place"] = d.setting.locality
    return f"{post['avoidance_level']}_home_place"
