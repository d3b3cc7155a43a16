"""Breakers of the decision meeting (讨论决定): brewing, quorum, recusal, views, the vote, and its records."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from cadre_rules.facts import calendar
from cadre_rules.testing import records
from cadre_rules.testing.applicability import edition_start
from cadre_rules.testing.breakers.registry import breaker, rebuilding
from cadre_rules.testing.breakers.shared import ensure_breakthrough
from cadre_rules.testing.draft import KINSHIPS_IN_SCOPE, Draft, Redraw, pick, target_item


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
               and ("breakthrough" in d.case or not d.rules & (rebuilding("breakthrough") - {"DEC-PRESENTATION"})))
    variant = pick(d, "presented_by_another_member", "breakthrough_not_explained" if explain else None)
    item = target_item(d)
    if variant == "presented_by_another_member":
        item.presenter = "other"
    else:
        ensure_breakthrough(d)
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
        d.case["prior_reports"].append(records.prior_report("pr-leave", "leader_departure", decided, decided, "rejected"))
    elif variant == "approved_too_late":
        d.case["prior_reports"].append(records.prior_report(
            "pr-leave", "leader_departure", decided, calendar.add_working_days(d.meeting.date, rng.randint(0, 3)), "approved"))
    return variant
