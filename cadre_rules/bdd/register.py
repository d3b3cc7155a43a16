"""The state of a register scenario: an organisation register being described, the cases of its units
(each built from the compliant baseline), and the cross-case findings once judged.

Why apart from SpecContext: a register scenario judges a unit over several cases, never the one case
the other steps build; the two share only the rulebook cache (the compiled rulebook).
"""
from __future__ import annotations

from datetime import date
from typing import Any
from weakref import WeakKeyDictionary

from cadre_rules.audit.register import AppointmentSpool, UnitResult, judge_register
from cadre_rules.bdd.context import AuditorCache, SpecContext
from cadre_rules.engine.findings import Finding
from cadre_rules.facts.crosscase import people_by_id, unit_facts
from cadre_rules.facts.periods import add_months, days_after
from cadre_rules.model import Case
from cadre_rules.model.case import TargetPost
from cadre_rules.model.steps import PriorReport
from cadre_rules.reading.register import validate_register
from cadre_rules.testing import records
from cadre_rules.testing.builder import CaseBuilder


class RegisterSpec:
    """A register scenario: `unit`, `post`, `person`, `case` add to the register and the cases; `results` judges."""

    def __init__(self, spec: SpecContext) -> None:
        self.spec = spec
        self.as_of = date(2025, 12, 31)
        self.units: dict[str, dict[str, Any]] = {}
        self.people: dict[str, dict[str, Any]] = {}
        self.builders: dict[str, CaseBuilder] = {}
        self._results: list[UnitResult] | None = None
        self._judged_by: Any = None  # the auditor the results are from (a mutation run changes the rulebook)
        self._facts: tuple[Any, list[Any]] | None = None  # (the results they belong to, the units' facts)

    # --- the register -------------------------------------------------------------------------------

    def unit(self, unit_id: str) -> dict[str, Any]:
        self._results = None
        return self.units.setdefault(unit_id, {"id": unit_id, "name": unit_id, "posts": [], "holders": [],
                                               "leaders": [], "restructurings": []})

    def post(self, unit_id: str, post_id: str) -> dict[str, Any]:
        unit = self.unit(unit_id)
        for post in unit["posts"]:
            if post["id"] == post_id:
                return post
        post = {"id": post_id, "title": post_id, "quota": []}
        unit["posts"].append(post)
        return post

    def unit_of_post(self, post_id: str) -> str:
        for unit_id, unit in self.units.items():
            if any(p["id"] == post_id for p in unit["posts"]):
                return unit_id
        raise AssertionError(f"职位“{post_id}”尚未在台账中记录 (post {post_id!r} is not in the register yet)")

    def person(self, person_id: str) -> dict[str, Any]:
        self._results = None
        return self.people.setdefault(person_id, {"id": person_id, "name": person_id})

    def departure(self, unit_id: str, decided: date, successor: date | None) -> None:
        leader = f"{unit_id}-书记"
        self.person(leader)
        self.unit(unit_id)["leaders"].append({"person": leader, "role": "party_secretary",
                                              "start": add_months(decided, -60), "departure_decided": decided,
                                              "successor_in_office": successor, "end": successor})

    def restructuring(self, unit_id: str, decided: date, completed: date | None) -> None:
        unit = self.unit(unit_id)
        unit["restructurings"].append({"id": f"r{len(unit['restructurings']) + 1}", "decided": decided,
                                       "completed": completed})

    def quota(self, unit_id: str, post_id: str, since: date, number: int) -> None:
        post = self.post(unit_id, post_id)
        post["quota"] = sorted([*post["quota"], {"since": since, "number": number}], key=lambda q: q["since"])

    def holders(self, post_id: str, count: int, since: date) -> None:
        unit = self.unit(self.unit_of_post(post_id))
        for _ in range(count):
            person = self.person(f"{post_id}-在职{len(unit['holders']) + 1}")
            unit["holders"].append({"person": person["id"], "post": post_id, "start": since})

    def holding(self, person_id: str, unit_id: str, post_id: str, since: date, leading: bool) -> None:
        post = self.post(unit_id, post_id)
        post["leading_member"] = post.get("leading_member", False) or leading
        if not post["quota"]:
            post["quota"] = [{"since": date(1990, 1, 1), "number": 99}]
        self.person(person_id)
        self.unit(unit_id)["holders"].append({"person": person_id, "post": post_id, "start": since})

    # --- the cases ------------------------------------------------------------------------------------

    def case(self, case_id: str, unit_id: str, decided: date, post_id: str | None = None) -> None:
        """A compliant promotion case of the unit (the baseline), decided on `decided`."""
        self._results = None
        builder = CaseBuilder()
        builder.set_meeting_date(decided)
        post = builder.case.post
        if post_id is not None:
            post = TargetPost.model_validate({**post.model_dump(by_alias=True), "id": post_id, "title": post_id})
        builder.replace(id=case_id, organisation=unit_id, post=post)
        self.builders[case_id] = builder

    def notice(self, case_id: str, day: date) -> None:
        self._results = None
        self.builders[case_id].set_notice_date(day)

    def prior_report(self, case_id: str, matter: str) -> None:
        """An approved prior report on `matter`, replied a week before the decision meeting."""
        self._results = None
        builder = self.builders[case_id]
        meeting = builder.meeting_date
        report = PriorReport.model_validate(records.prior_report(
            f"pr{len(builder.case.prior_reports) + 1}", matter, days_after(meeting, -14), days_after(meeting, -7),
            "approved"))
        builder.replace(prior_reports=[*builder.case.prior_reports, report])

    @property
    def cases(self) -> list[Case]:
        return [b.case for b in self.builders.values()]

    # --- judging ----------------------------------------------------------------------------------------

    def register_data(self) -> dict[str, Any]:
        return {"version": 1, "as_of": self.as_of, "people": list(self.people.values()),
                "units": list(self.units.values())}

    @property
    def results(self) -> list[UnitResult]:
        """The units' cross-case findings; in a mutation run (bdd/mutation.py) the context replaces the
        changed register rule's findings, judged again on each unit's facts."""
        auditor = self.spec.auditor
        if self._results is None or self._judged_by is not auditor:
            register = validate_register(self.register_data(), "<scenario>")
            self._results = judge_register(register, self.cases, auditor.rulebook)
            self._judged_by = auditor
        mutated = getattr(self.spec, "mutated_register", None)
        return self._results if mutated is None else mutated(self._results, self.unit_facts)

    def unit_facts(self) -> list[Any]:
        """Each unit's facts, in the register's order (as judge_register builds them), made once per judging."""
        if self._facts is None or self._facts[0] is not self._results:
            register = validate_register(self.register_data(), "<scenario>")
            with AppointmentSpool() as spool:
                for case in self.cases:
                    spool.add_case(case)
                people = people_by_id(register)
                facts = [unit_facts(register, i, spool.rows(u.id), people) for i, u in enumerate(register.units)]
            self._facts = (self._results, facts)
        return self._facts[1]

    def findings(self, rule_id: str | None = None) -> list[Finding]:
        return [f for r in self.results for f in r.findings if rule_id is None or f.rule_id == rule_id]

    def listing(self) -> str:
        return "；".join(f"{f.rule_id} {f.act_date}: {f.message['zh']}" for f in self.findings()) or "（无 none）"

    def case_violations(self) -> list[tuple[str, str]]:
        auditor = self.spec.auditor
        return [(c.id, f.rule_id) for c in self.cases for f in auditor.findings(c)
                if f.verdict == "violated" and f.severity == "violation"]


_SPECS: "WeakKeyDictionary[SpecContext, RegisterSpec]" = WeakKeyDictionary()


def register_spec(spec: SpecContext) -> RegisterSpec:
    """The register scenario state of a scenario (one per SpecContext, made on first use)."""
    found = _SPECS.get(spec)
    if found is None:
        found = _SPECS[spec] = RegisterSpec(spec)
    return found


__all__ = ["AuditorCache", "RegisterSpec", "register_spec"]
