"""The facts of an agenda item, one small function per value: the one definition of each `item` field.

Why one function per value: the auditor's derivation is generated per rulebook (engine/fused.py), and
computes only the fields its rules read, each value at its first use; the facts layer stays the one
home of the arithmetic because the generator composes (and, for a function that is one `return`,
inlines) exactly these functions (facts/compose.py): all of them for every other derivation
(facts/derive.py: no plan, the durable engine, the live path), those a rulebook reads for the auditor.

The conventions the composer relies on (tests/engine/test_fused.py checks them):
- a function's parameters are named after the values it needs: another function of this module, or a
  root of `ROOTS` (the case and its kinship graph; a meeting and its index `m`; an agenda item and its
  index `a`); the value is computed once per case, meeting or item, whichever is the deepest it needs;
- `FIELDS` maps each field of the `item` fact to the function giving it, in the fact's field order;
- every function is pure: it reads the model, never changes it.

Who was due and who attended is the meeting's; who was present for the item (not departed, not
recused) and what they said is the item's.
"""
from __future__ import annotations

from typing import Any

from cadre_rules.facts.kinship import KinshipGraph, within_scope_of
from cadre_rules.facts.values import Unknown
from cadre_rules.model import Case, Role, View
from cadre_rules.model.labels import path_label
from cadre_rules.model.steps import AgendaItem, Meeting

_AGREE, _DISAGREE, _DEFER, _UNCLEAR = View.agree, View.disagree, View.defer, View.unclear
_PRINCIPAL, _DISCIPLINE, _ORGANISATION_LEAD = Role.principal_leader, Role.discipline_official, Role.organisation_lead

#: the values the functions start from, and how deep each is: 0 the case, 1 a meeting, 2 an agenda item
ROOTS = {"case": 0, "graph": 0, "m": 1, "meeting": 1, "a": 2, "item": 2}
#: the builder's arguments, and its loops: (index, record, what it iterates), outermost first
ARGS = ("case", "graph")
LOOPS = (("m", "meeting", "case.meetings"), ("a", "item", "meeting.agenda"))


# --- once per case ---------------------------------------------------------------------------------

def member_roles(case: Case) -> tuple[str | None, dict[str, list[Role]]]:
    """The principal leader (the first member listed as such) and each member's roles (of a member id
    listed twice, the last entry counts)."""
    principal = None
    roles: dict[str, list[Role]] = {}
    for member in case.body.members:
        roles[member.id] = these = member.roles
        if principal is None and _PRINCIPAL in these:
            principal = member.id
    return principal, roles


def principal(member_roles: tuple[str | None, dict[str, list[Role]]]) -> str | None:
    return member_roles[0]


def discipline(member_roles: tuple[str | None, dict[str, list[Role]]]) -> set[str]:
    return {member for member, roles in member_roles[1].items() if _DISCIPLINE in roles}


def organisation_leads(member_roles: tuple[str | None, dict[str, list[Role]]]) -> set[str]:
    return {member for member, roles in member_roles[1].items() if _ORGANISATION_LEAD in roles}


def approved_replies(case: Case) -> list[tuple[Any, str]]:
    return [(r.reply_date, r.matter) for r in case.prior_reports if r.reply == "approved" and r.reply_date is not None]


# --- once per meeting ------------------------------------------------------------------------------

def approved_matters(approved_replies: list[tuple[Any, str]], meeting: Meeting) -> list[str]:
    """The matters the superior approved before the meeting (one list, shared by its items' facts)."""
    return sorted({matter for replied, matter in approved_replies if replied < meeting.date})


def due(meeting: Meeting) -> list[str]:
    return list(dict.fromkeys(meeting.members_due))


def attendee_set(meeting: Meeting) -> set[str]:
    return set(meeting.attendees)


def attended(due: list[str], attendee_set: set[str]) -> list[str]:
    return [x for x in due if x in attendee_set]


def observer_listed(m: int, meeting: Meeting) -> "bool | Unknown":
    return ("discipline_official" in [nv.role for nv in meeting.non_voting_attendees]
            if meeting.non_voting_attendees is not None else
            Unknown(f"meetings[{m}].non_voting_attendees: not recorded (who attended without a vote, e.g. the discipline official)",
                    f"{path_label(f'meetings[{m}].non_voting_attendees')}未记录（纪检监察负责人是否列席）"))


def records(meeting: Meeting) -> Any:
    return meeting.records


# --- once per agenda item ----------------------------------------------------------------------------

def it(item: AgendaItem) -> dict[str, Any]:
    """The item's field values (pydantic keeps them in `__dict__`: cheaper than attribute reads)."""
    return item.__dict__


def path(m: int, a: int) -> str:
    return f"meetings[{m}].agenda[{a}]"


def departed(it: dict[str, Any]) -> set[str] | None:
    """Who left before the item (None: nobody)."""
    return set(it["departed"]) if it["departed"] else None


def recused(it: dict[str, Any]) -> set[str] | None:
    return set(it["recused"]) if it["recused"] else None


def for_item(attended: list[str], departed: set[str] | None) -> list[str]:
    """The members there for the item, with those recused still counted (not departed before it)."""
    return attended if departed is None else [x for x in attended if x not in departed]


def present(for_item: list[str], recused: set[str] | None) -> list[str]:
    return for_item if recused is None else [x for x in for_item if x not in recused]


def statements(it: dict[str, Any]) -> Any:
    return it["statements"]


def spoken(statements: Any) -> tuple[dict[str, View], str | None]:
    """Each member's view, and the member with the highest speaking order (of equal orders, the later-listed)."""
    views: dict[str, View] = {}
    last, last_order = None, None
    for s in statements or ():
        member, order = s.member, s.order
        views[member] = s.view
        if last_order is None or order >= last_order:
            last, last_order = member, order
    return views, last


def tallies(present: list[str], spoken: tuple[dict[str, View], str | None]) -> tuple[int, int, int, list[str]]:
    """Of the members present: how many agreed, disagreed, deferred, and who stated no clear view."""
    views = spoken[0]
    agree = disagree = defer = 0
    silent = []
    for x in present:
        view = views.get(x)
        if view is None or view is _UNCLEAR:
            silent.append(x)
        elif view == _AGREE:
            agree += 1
        elif view == _DISAGREE:
            disagree += 1
        elif view == _DEFER:
            defer += 1
    return agree, disagree, defer, silent


def not_stated(statements: Any, path: str) -> "Unknown | None":
    """Not recorded is not "nobody spoke": every fact read from the statements is unknown then."""
    return None if statements is not None else Unknown(
        f"{path}.statements: not recorded (each member's view, in speaking order)",
        f"{path_label(path + '.statements')}未记录（表态顺序和意见）")


def vote(it: dict[str, Any]) -> Any:
    return it["vote"]


def principal_present(principal: str | None, present: list[str]) -> bool:
    return principal is not None and principal in present


# --- the fields ------------------------------------------------------------------------------------

def item_id(meeting: Meeting, it: dict[str, Any]) -> str:
    return f"item:{meeting.id}/{it['id']}"


def meeting_id(meeting: Meeting) -> str:
    return meeting.id


def meeting_kind(meeting: Meeting) -> str:
    return meeting.kind._value_


def meeting_date(meeting: Meeting) -> Any:
    return meeting.date


def item_candidate(it: dict[str, Any]) -> str:
    return it["candidate"]


def circulated(it: dict[str, Any], path: str) -> "bool | Unknown":
    return it["circulated_in_advance"] if it["circulated_in_advance"] is not None else Unknown(
        f"{path}.circulated_in_advance: not recorded (whether the item was circulated before the meeting)",
        f"{path_label(path)}未记录是否会前送达")


def added_at_meeting(it: dict[str, Any]) -> bool:
    return it["added_at_meeting"]


def members_due(due: list[str]) -> int:
    return len(due)


def attendees(attended: list[str]) -> int:
    return len(attended)


def present_count(present: list[str]) -> int:
    return len(present)


def present_incl_recused(for_item: list[str]) -> int:
    return len(for_item)


def yes(vote: Any, tallies: tuple[int, int, int, list[str]], not_stated: "Unknown | None") -> "int | Unknown":
    """Without a recorded count, the explicit views are the (oral) vote."""
    return vote.agree if vote else not_stated or tallies[0]


def no(vote: Any, tallies: tuple[int, int, int, list[str]], not_stated: "Unknown | None") -> "int | Unknown":
    return vote.disagree if vote else not_stated or tallies[1]


def abstain(vote: Any) -> int | None:
    return vote.abstain if vote else None


def vote_method(vote: Any) -> str | None:
    return vote.method if vote else None


def bundled(vote: Any) -> bool:
    return bool(vote and not vote.per_candidate)


def item_outcome(it: dict[str, Any]) -> str | None:
    return it["outcome"]._value_ if it["outcome"] else None


def agree_views(tallies: tuple[int, int, int, list[str]], not_stated: "Unknown | None") -> "int | Unknown":
    return not_stated or tallies[0]


def against_or_defer_views(tallies: tuple[int, int, int, list[str]], not_stated: "Unknown | None") -> "int | Unknown":
    return not_stated or tallies[1] + tallies[2]


def silent_members(tallies: tuple[int, int, int, list[str]]) -> list[str]:
    # (with the statements not recorded, a list fact is never unknown: every member present is listed)
    return tallies[3]


def silent_count(tallies: tuple[int, int, int, list[str]], not_stated: "Unknown | None") -> "int | Unknown":
    return not_stated or len(tallies[3])


def principal_spoke_last(principal: str | None, principal_present: bool, spoken: tuple[dict[str, View], str | None],
                         not_stated: "Unknown | None") -> "bool | Unknown | None":
    return (not_stated or (spoken[1] == principal if principal in spoken[0] else None)) if principal_present else None


def last_speaker(spoken: tuple[dict[str, View], str | None], not_stated: "Unknown | None") -> "str | Unknown | None":
    return not_stated or spoken[1]


def discipline_observer(discipline: set[str], present: list[str], observer_listed: "bool | Unknown") -> "bool | Unknown":
    """A discipline official who left before the item or recused was not there to observe it."""
    return True if not discipline.isdisjoint(present) else observer_listed


def unrecused_relatives(graph: KinshipGraph, present: list[str], it: dict[str, Any]) -> list[str]:
    return within_scope_of(graph, present, it["candidate"])


def unrecused_count(unrecused_relatives: list[str]) -> int:
    return len(unrecused_relatives)


def presenter_ok(it: dict[str, Any], organisation_leads: set[str]) -> bool:
    return it["presented_by_org_head"] or (it["presenter"] is not None and it["presenter"] in organisation_leads)


def reportable_explained(it: dict[str, Any]) -> Any:
    return it["reportable_matters_explained"]


def reconsideration_consent(it: dict[str, Any]) -> Any:
    return it["reconsideration_consent"]


def has_minutes(records: Any) -> bool:
    return bool(records and records.minutes)


def has_discussion_record(records: Any) -> bool:
    return bool(records and records.discussion_record)


def record_signed(records: Any) -> bool:
    return bool(records and records.signed_by_chair and records.signed_by_recorder)


def urgent_between_plenums(meeting: Meeting) -> Any:
    return meeting.urgent_between_plenums


def plenum_members_consulted(meeting: Meeting) -> Any:
    return meeting.plenum_members_consulted


def secret_ballot(vote: Any) -> bool:
    return bool(vote and vote.method == "secret")


#: field of the `item` fact -> the function above giving it, in the fact's field order
FIELDS = {
    "id": "item_id", "path": "path", "meeting": "meeting_id", "kind": "meeting_kind", "date": "meeting_date",
    "candidate": "item_candidate", "circulated": "circulated", "added_at_meeting": "added_at_meeting",
    "members_due": "members_due", "attendees": "attendees", "present": "present_count",
    "present_incl_recused": "present_incl_recused", "yes": "yes", "no": "no", "abstain": "abstain",
    "vote_method": "vote_method", "bundled": "bundled", "outcome": "item_outcome", "agree_views": "agree_views",
    "against_or_defer_views": "against_or_defer_views", "silent_members": "silent_members",
    "silent_count": "silent_count", "principal": "principal", "principal_present": "principal_present",
    "principal_spoke_last": "principal_spoke_last", "last_speaker": "last_speaker",
    "discipline_observer": "discipline_observer", "unrecused_relatives": "unrecused_relatives",
    "unrecused_count": "unrecused_count", "presenter_ok": "presenter_ok",
    "reportable_explained": "reportable_explained", "reconsideration_consent": "reconsideration_consent",
    "has_minutes": "has_minutes", "has_discussion_record": "has_discussion_record",
    "record_signed": "record_signed", "urgent_between_plenums": "urgent_between_plenums",
    "plenum_members_consulted": "plenum_members_consulted", "secret_ballot": "secret_ballot",
    "approved_matters": "approved_matters",
}
