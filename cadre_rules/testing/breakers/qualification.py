"""Breakers of qualifications, exceptional promotion (破格) and disqualification: the candidate's record."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from cadre_rules.facts import calendar
from cadre_rules.facts.periods import add_months, anniversary
from cadre_rules.testing.breakers.registry import DIVISION_SETTINGS, breaker
from cadre_rules.testing.breakers.shared import extend_record, ensure_breakthrough
from cadre_rules.testing.draft import Draft, draw_working_day, pick


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


@breaker("QUAL-SECTION-DEP2CHIEF-2Y", settings=("county", "city_bureau"), post="chief", rebuilds={"breakthrough"})
def _break_section_deputy_tenure(d: Draft) -> str:
    """QUAL-SECTION-DEP2CHIEF-2Y: a section deputy becomes section chief with fewer than two full years as
    deputy (the settings whose chief post is a 正科 post)."""
    _shorten_tenure(d, _adopted_candidate(d), d.rng.randint(6, 22))
    return "section_deputy_under_two_years"


@breaker("QUAL-SECTION-STAFF2DEP-3Y", settings=("county", "city_bureau"), post="deputy", rebuilds={"breakthrough"})
def _break_staff_tenure(d: Draft) -> str:
    """QUAL-SECTION-STAFF2DEP-3Y: a 科员 becomes a section deputy (the settings whose deputy post is a 副科
    post) with fewer than three full years at 科员 level."""
    cand = _adopted_candidate(d)
    title = f"{d.setting.post_unit}{d.rng.choice(('一级科员', '科员'))}"
    cand["current_level"], cand["current_post"] = "staff", title
    cand["work_history"][-1].update(level="staff", title=title)
    _shorten_tenure(d, cand, d.rng.randint(6, 34))
    return "staff_under_three_years"


@breaker("QUAL-SECTION-EDUCATION", settings=("county", "city_bureau"), rebuilds={"breakthrough"},
         conflicts={"QUAL-EDUCATION"})
def _break_section_education(d: Draft) -> str:
    """QUAL-SECTION-EDUCATION: a candidate for a section-level post (the settings whose posts are 科级) whose
    highest schooling is 初中 or 小学."""
    cand = _adopted_candidate(d)
    school = d.rng.choice(("初中", "小学"))
    cand["education"] = [{"degree": school, "institution": f"{d.setting.locality}{school}", "full_time": True,
                          "completed": date(cand["work_start_date"].year, 6, 30)}]
    return "junior_schooling_only"


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
    extend_record(d, deadline + timedelta(days=rng.randint(5, 60)))
    return variant


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


@breaker("BRK-GROUNDS", moves=("promotion",), rebuilds={"breakthrough"},
         conflicts={"QUAL-WORKYEARS", "QUAL-GRASSROOTS", "QUAL-DEP2CHIEF-2Y", "QUAL-CHIEF2UPDEP-3Y",
                    "QUAL-SECTION-DEP2CHIEF-2Y", "QUAL-SECTION-STAFF2DEP-3Y"})
def _break_grounds(d: Draft) -> str:
    """BRK-GROUNDS: a 破格 without a listed ground (approved, explained and publicised all the same)."""
    brk = ensure_breakthrough(d)
    variant = pick(d, "no_ground", "unlisted_ground")
    brk["basis"] = None if variant == "no_ground" else d.rng.choice(("seniority", "long_service", "other"))
    return variant


@breaker("BRK-LIMITS", moves=("promotion",), rebuilds={"breakthrough"},
         conflicts={"QUAL-WORKYEARS", "QUAL-GRASSROOTS", "QUAL-DEP2CHIEF-2Y", "QUAL-CHIEF2UPDEP-3Y",
                    "QUAL-SECTION-DEP2CHIEF-2Y", "QUAL-SECTION-STAFF2DEP-3Y"})
def _break_limits(d: Draft) -> str:
    """BRK-LIMITS: a 破格 for someone promoted less than a year ago (still on probation), or a second 破格 on tenure."""
    rng = d.rng
    brk = ensure_breakthrough(d)
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
    brk = ensure_breakthrough(d)
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
