"""Breakers of the dossier checks (三龄二历一身份, rules/national/16-dossier.yaml): each adds the sourced
records (candidates[].records) that show exactly one falsified or inconsistent item on an adopted candidate.

They run late, so that the candidate's own dates are final when they are copied into the records, and
each touches only its own part of the records.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from cadre_rules.facts.dossier import id_number_problem
from cadre_rules.facts.periods import add_months, anniversary, full_years
from cadre_rules.testing.breakers.registry import DIVISION_SETTINGS, breaker
from cadre_rules.testing.draft import Draft, pick

_DOS = ("DOS-SOURCES-DIFFER", "DOS-VERDICT-BY-SOURCE", "DOS-WORK-UNDERAGE", "DOS-PARTY-UNDERAGE", "DOS-DEGREE-AGE",
        "DOS-STUDY-OVERLAP", "DOS-EDU-MODE", "DOS-HISTORY-GAP", "DOS-HISTORY-UNSUPPORTED", "DOS-LEVEL-TENURE",
        "DOS-REVIEW-PENDING", "DOS-ID-NUMBER", "DOS-ID-BIRTH", "DOS-CADRE-IDENTITY")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _others(*rules: str) -> set[str]:
    return {r for r in _DOS if r not in rules}


def _target(d: Draft) -> tuple[dict[str, Any], dict[str, Any]]:
    """An adopted candidate and its records (created empty)."""
    cand = d.candidate(d.rng.choice(d.adopted))
    return cand, cand.setdefault("records", {})


def id_number(born: date, serial: int, valid: bool = True) -> str:
    """An 18-digit identity number for `born`, with a right (or deliberately wrong) GB 11643 check digit."""
    body = f"330102{born:%Y%m%d}{serial % 1000:03d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, _WEIGHTS)) % 11]
    if not valid:
        check = "10X98765432"[("10X98765432".index(check) + 1) % 11]
    number = body + check
    assert (id_number_problem(number)[0] is None) == valid
    return number


@breaker("DOS-SOURCES-DIFFER", late=True, conflicts={"DOS-WORK-UNDERAGE", "DOS-VERDICT-BY-SOURCE"})
def _break_sources_differ(d: Draft) -> str:
    """DOS-SOURCES-DIFFER: the appointment form gives a later birth date than the dossier's earliest record,
    or an information system an earlier work start than the dossier."""
    cand, records = _target(d)
    birth = cand["birth_date"]
    # Lowered by no more years than keep the candidate eighteen at the Party admission and sixteen on
    # starting work on the form's value too: more would also turn those verdicts (DOS-VERDICT-BY-SOURCE).
    slack = min([full_years(birth, day) - age for day, age in ((cand.get("party_join_date"), 18),
                                                               (cand.get("work_start_date"), 16)) if day], default=3)
    variant = pick(d, "form_birth_date_lowered" if slack >= 1 else None, "system_work_start_earlier")
    if variant == "form_birth_date_lowered":
        records["birth_date"] = [
            {"source": "dossier", "value": birth, "recorded": anniversary(birth, 15), "document": "入团志愿书"},
            {"source": "household_register", "value": birth},
            {"source": "appointment_form", "value": anniversary(birth, d.rng.randint(1, min(3, slack)))}]
    else:
        start = cand["work_start_date"]
        records["work_start_date"] = [{"source": "dossier", "value": start},
                                      {"source": "information_system", "value": add_months(start, -d.rng.randint(6, 30))}]
    return variant


@breaker("DOS-VERDICT-BY-SOURCE", late=True, settings=DIVISION_SETTINGS, moves=("promotion",), rebuilds={"non_party"},
         conflicts=_others("DOS-VERDICT-BY-SOURCE") | {"QUAL-WORKYEARS", "QUAL-PARTY-AGE"})
def _break_verdict_by_source(d: Draft) -> str:
    """DOS-VERDICT-BY-SOURCE: a date of the three ages reviewed and resolved (认定) on the dossier's value,
    while an information system's value would turn a verdict: a later work start leaving fewer than five
    years of work, a later Party admission leaving too few years for a Party committee post, or a later
    birth date making the candidate seventeen at the Party admission."""
    cand, records = _target(d)
    judged = d.decided
    born, joined = cand["birth_date"], cand.get("party_join_date")
    # an approved 破格 lifts the work-years requirement: then no work start could turn QUAL-WORKYEARS
    exempt = any(r.get("matter") == "breakthrough" and r.get("reply") == "approved" for r in d.case.get("prior_reports", ()))
    variant = pick(d, None if exempt else "system_work_start_later", "system_party_join_later" if joined else None,
                   "system_birth_later" if joined and anniversary(born, 18) <= joined else None)
    review = judged - timedelta(days=d.rng.randint(15, 40))
    if variant == "system_work_start_later":
        dossier = min(cand["work_start_date"], anniversary(judged, -7))
        cand["work_start_date"] = dossier
        system = anniversary(judged, -4) - timedelta(days=d.rng.randint(10, 200))
        records["work_start_date"] = [{"source": "dossier", "value": dossier},
                                      {"source": "information_system", "value": system}]
        records["dossier_review"] = [{"item": "work_start_date", "status": "resolved", "value": dossier, "date": review}]
    elif variant == "system_party_join_later":
        post = d.case["post"]
        post["is_party_post"] = True
        post["committee_level"] = "county" if d.setting.kind == "county" else "prefectural"
        needed = 3 if post["committee_level"] == "county" else 5
        dossier = max(min(joined, anniversary(judged, -(needed + 2))), anniversary(born, 18))
        cand["party_join_date"] = dossier
        system = anniversary(judged, -(needed - 1)) - timedelta(days=d.rng.randint(10, 200))
        records["party_join_date"] = [{"source": "dossier", "value": dossier},
                                      {"source": "information_system", "value": system}]
        records["dossier_review"] = [{"item": "party_join_date", "status": "resolved", "value": dossier, "date": review}]
    else:
        # born later on the information system: seventeen at the (dossier's) Party admission
        system = anniversary(joined, -17) - timedelta(days=d.rng.randint(10, 200))
        records["birth_date"] = [{"source": "dossier", "value": born, "recorded": anniversary(born, 15),
                                  "document": "入团志愿书"},
                                 {"source": "information_system", "value": system}]
        records["dossier_review"] = [{"item": "birth_date", "status": "resolved", "value": born, "date": review}]
    return variant


@breaker("DOS-WORK-UNDERAGE", late=True, conflicts=_others("DOS-WORK-UNDERAGE") | {"QUAL-WORKYEARS"})
def _break_work_underage(d: Draft) -> str:
    """DOS-WORK-UNDERAGE: the dossier's work start falls before the sixteenth birthday (after 1995)."""
    cand, records = _target(d)
    earliest = date(1995, 1, 1)
    if anniversary(cand["birth_date"], 15) < earliest:  # born too early to start under age after 1995
        cand["birth_date"] = date(1980, d.rng.randint(1, 12), d.rng.randint(1, 28))
    start = anniversary(cand["birth_date"], 15) + timedelta(days=d.rng.randint(30, 300))
    records["work_start_date"] = [{"source": "dossier", "value": start, "document": "招工登记表"},
                                  {"source": "appointment_form", "value": start}]
    return "work_start_at_fifteen"


@breaker("DOS-PARTY-UNDERAGE", late=True, conflicts={"DOS-WORK-UNDERAGE", "QUAL-PARTY-AGE"}, rebuilds={"non_party"})
def _break_party_underage(d: Draft) -> str:
    """DOS-PARTY-UNDERAGE: the dossier's Party admission falls before the eighteenth birthday."""
    cand, records = _target(d)
    joined = anniversary(cand["birth_date"], d.rng.randint(15, 17)) + timedelta(days=d.rng.randint(10, 300))
    records["party_join_date"] = [{"source": "dossier", "value": joined, "document": "入党志愿书"}]
    return "party_admission_under_eighteen"


@breaker("DOS-DEGREE-AGE", late=True, conflicts={"DOS-WORK-UNDERAGE", "DOS-STUDY-OVERLAP", "DOS-EDU-MODE"})
def _break_degree_age(d: Draft) -> str:
    """DOS-DEGREE-AGE: a bachelor's degree completed at seventeen."""
    cand, records = _target(d)
    end = anniversary(cand["birth_date"], 17) + timedelta(days=d.rng.randint(10, 300))
    records["education"] = [{"source": "dossier", "degree": "大学本科", "level": "bachelor", "end": end,
                             "mode": "in_service"}]
    return "bachelor_at_seventeen"


@breaker("DOS-STUDY-OVERLAP", late=True,
         conflicts={"DOS-WORK-UNDERAGE", "DOS-DEGREE-AGE", "DOS-EDU-MODE", "DOS-HISTORY-GAP", "DOS-HISTORY-UNSUPPORTED",
                    "DOS-LEVEL-TENURE"})
def _break_study_overlap(d: Draft) -> str:
    """DOS-STUDY-OVERLAP: a full-time master's course during the current full-time post."""
    cand, records = _target(d)
    since = cand["current_since"]
    start = since + timedelta(days=d.rng.randint(40, 120))
    records["work_history"] = [{"source": "dossier", "start": since, "organisation": d.setting.post_unit,
                                "post": cand["current_post"]}]
    records["education"] = [{"source": "dossier", "degree": "硕士研究生", "level": "master", "start": start,
                             "end": start + timedelta(days=d.rng.randint(200, 700)), "mode": "full_time"}]
    return "full_time_study_in_post"


@breaker("DOS-EDU-MODE", late=True, conflicts={"DOS-WORK-UNDERAGE", "DOS-DEGREE-AGE", "DOS-STUDY-OVERLAP"})
def _break_edu_mode(d: Draft) -> str:
    """DOS-EDU-MODE: the dossier records an in-service master's degree that the appointment form shows as full-time."""
    cand, records = _target(d)
    records["education"] = [{"source": "dossier", "degree": "硕士研究生", "level": "master", "mode": "in_service"},
                            {"source": "appointment_form", "degree": "硕士研究生", "level": "master", "mode": "full_time"}]
    return "in_service_as_full_time"


def _history(d: Draft, cand: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"source": "dossier", "start": cand["current_since"], "organisation": d.setting.post_unit,
             "post": cand["current_post"]}]


@breaker("DOS-HISTORY-GAP", late=True,
         conflicts={"DOS-WORK-UNDERAGE", "DOS-STUDY-OVERLAP", "DOS-HISTORY-UNSUPPORTED", "DOS-LEVEL-TENURE"})
def _break_history_gap(d: Draft) -> str:
    """DOS-HISTORY-GAP: a year without any post before the current one."""
    cand, records = _target(d)
    since = cand["current_since"]
    gap = d.rng.randint(200, 500)
    records["work_history"] = [{"source": "dossier", "start": since - timedelta(days=gap + 900),
                                "end": since - timedelta(days=gap + 1), "organisation": "某乡镇人民政府", "post": "科员"},
                               *_history(d, cand)]
    return "unexplained_gap"


@breaker("DOS-HISTORY-UNSUPPORTED", late=True,
         conflicts={"DOS-WORK-UNDERAGE", "DOS-STUDY-OVERLAP", "DOS-HISTORY-GAP", "DOS-LEVEL-TENURE"})
def _break_history_unsupported(d: Draft) -> str:
    """DOS-HISTORY-UNSUPPORTED: the appointment form lists a post the dossier does not record."""
    cand, records = _target(d)
    since = cand["current_since"]
    records["work_history"] = [*_history(d, cand),
                               {"source": "appointment_form", "start": since - timedelta(days=700),
                                "end": since - timedelta(days=1), "organisation": "某县发展和改革局", "post": "副局长"}]
    return "invented_post_on_form"


@breaker("DOS-LEVEL-TENURE", late=True,
         conflicts={"DOS-WORK-UNDERAGE", "DOS-STUDY-OVERLAP", "DOS-HISTORY-GAP", "DOS-HISTORY-UNSUPPORTED"})
def _break_level_tenure(d: Draft) -> str:
    """DOS-LEVEL-TENURE: the dossier history shows a division chief post after one year as division deputy."""
    cand, records = _target(d)
    step = max(d.decided - timedelta(days=d.rng.randint(100, 400)), date(2014, 2, 1))  # under the 2014 条例 or later
    deputy = step - timedelta(days=d.rng.randint(200, 600))
    records["work_history"] = [
        {"source": "dossier", "start": deputy, "end": step - timedelta(days=1), "organisation": "某县人民政府",
         "post": "副县长", "level": "division_deputy"},
        {"source": "dossier", "start": step, "organisation": "某县人民政府", "post": "县长", "level": "division_chief"}]
    return "chief_after_short_deputy"


@breaker("DOS-REVIEW-PENDING", late=True, conflicts={"DOS-WORK-UNDERAGE", "DOS-VERDICT-BY-SOURCE"})
def _break_review_pending(d: Draft) -> str:
    """DOS-REVIEW-PENDING: the dossier review left the work history pending (待认定) at the decision."""
    cand, records = _target(d)
    records["dossier_review"] = [{"item": d.rng.choice(["work_history", "education", "cadre_identity"]),
                                  "status": "pending", "date": d.decided - timedelta(days=d.rng.randint(5, 60))}]
    return "item_pending"


@breaker("DOS-ID-NUMBER", late=True, conflicts={"DOS-WORK-UNDERAGE", "DOS-ID-BIRTH"})
def _break_id_number(d: Draft) -> str:
    """DOS-ID-NUMBER: an identity number whose check digit is wrong (its birth date is right)."""
    cand, _ = _target(d)
    cand["id_number"] = id_number(cand["birth_date"], d.rng.randint(0, 999), valid=False)
    return "wrong_check_digit"


@breaker("DOS-ID-BIRTH", late=True, conflicts={"DOS-WORK-UNDERAGE", "DOS-ID-NUMBER"})
def _break_id_birth(d: Draft) -> str:
    """DOS-ID-BIRTH: a valid identity number whose birth date is a year or two later than the recorded one."""
    cand, _ = _target(d)
    cand["id_number"] = id_number(anniversary(cand["birth_date"], d.rng.randint(1, 2)), d.rng.randint(0, 999))
    return "id_birth_later"


@breaker("DOS-CADRE-IDENTITY", late=True, conflicts={"DOS-WORK-UNDERAGE", "DOS-VERDICT-BY-SOURCE"})
def _break_cadre_identity(d: Draft) -> str:
    """DOS-CADRE-IDENTITY: cadre status recorded as acquired before the candidate started work."""
    cand, records = _target(d)
    records["cadre_identity"] = {"how": "招干", "acquired": cand["work_start_date"] - timedelta(days=d.rng.randint(60, 700))}
    return "status_before_work"
