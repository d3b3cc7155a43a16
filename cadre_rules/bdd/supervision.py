"""The state of a supervision scenario: the two reviews' ballots (两评议) and a leadership team's targets
(班子结构), judged by the same code as the annual report (facts/reviews.py, facts/team.py) with the
rulebook's review thresholds (rules/reviews.yaml).

Why apart from SpecContext: these are not rules of one case. The ballots make a review record validated
by the record model (model/reviews.py), the targets a team profile (model/team.py); the team is the
deciding body of the scenario's case, with its members' data in the case's `meta`, as the annual report
reads it.
"""
from __future__ import annotations

from datetime import date
from typing import Any
from weakref import WeakKeyDictionary

from cadre_rules.bdd.context import SpecContext
from cadre_rules.codes import WorkOption
from cadre_rules.facts.reviews import ReviewFigures, Tally, review_figures
from cadre_rules.facts.team import TargetCheck, check_targets, team_structure
from cadre_rules.model.reviews import ReviewRecord
from cadre_rules.model.team import TeamProfile


class SupervisionSpec:
    """Ballots of the two reviews and a team's targets; `figures` and `checks` judge them."""

    def __init__(self, spec: SpecContext) -> None:
        self.spec = spec
        self.work: dict[str, int] | None = None
        self.appointees: dict[str, dict[str, int]] = {}
        self.target: dict[str, Any] = {}
        self.ref: date | None = None

    # --- the two reviews ----------------------------------------------------------------------------

    def record(self) -> ReviewRecord:
        """The review record of the ballots given: everyone who handed in a form was present and expected."""
        work = self.work or {option.value: 0 for option in WorkOption if option != WorkOption.unknown}
        forms = [sum(work.values()), *(sum(b.values()) for b in self.appointees.values())]
        present = max(forms) or 1
        return ReviewRecord.model_validate({
            "organisation": "场景单位", "year": 2021, "date": "2022-01-20",
            "participants": {"expected": present, "present": present}, "work": work,
            "appointees": [{"id": pid, "post": pid, "ballots": ballots} for pid, ballots in self.appointees.items()],
        })

    @property
    def figures(self) -> ReviewFigures:
        return review_figures(self.record(), self.spec.rulebook.review_thresholds)

    def tally(self, appointee: str | None) -> Tally:
        figures = self.figures
        if appointee is None:
            return figures.work
        found = next((t for t in figures.appointees if t.subject == appointee), None)
        if found is None:
            raise AssertionError(f"没有新选拔任用干部“{appointee}”的评议 (no review of the appointee {appointee!r})")
        return found

    def flagged(self, appointee: str | None = None) -> list[str]:
        """The thresholds crossed: by the work review, or by one appointee's review; all of them if neither."""
        figures = self.figures
        if appointee is not None:
            return [f.threshold_id for f in self.tally(appointee).flags]
        return [f.threshold_id for f in figures.flags]

    def listing(self) -> str:
        figures = self.figures
        parts = [f"{t.subject}: {', '.join(f.threshold_id for f in t.flags) or '—'}"
                 for t in (figures.work, *figures.appointees)]
        return "；".join(parts)

    # --- team structure -----------------------------------------------------------------------------

    def describe_members(self, members: list[str], gender: str | None, birth: date | None, education: str | None,
                         specialty: str | None) -> None:
        builder = self.spec.builder
        case = builder.case
        known = {m.id for m in case.body.members}
        unknown = [m for m in members if m not in known]
        if unknown:
            raise AssertionError(f"班子没有成员 {unknown}（现有 {sorted(known)}）(no such members)")
        meta = dict(case.meta or {})
        profiles = {k: dict(v) for k, v in (meta.get("member_profiles") or {}).items()}
        births = dict(meta.get("member_birth_dates") or {})
        for member in members:
            profile = profiles.setdefault(member, {})
            if gender is not None:
                profile["gender"] = gender
            if education is not None:
                profile["education"] = education
            if specialty is not None:
                profile["specialty"] = specialty
            if birth is not None:
                births[member] = birth.isoformat()
        meta["member_profiles"] = profiles
        meta["member_birth_dates"] = births
        builder.replace(meta=meta)

    def add_target(self, **items: Any) -> None:
        for key, value in items.items():
            if key == "young":
                self.target.setdefault("young", []).append(value)
            else:
                self.target[key] = value

    @property
    def checks(self) -> list[TargetCheck]:
        profile = TeamProfile.model_validate({"id": "scenario", "title": "场景中的班子结构目标",
                                              "targets": [{**self.target, "source": "场景"}]})
        case = self.spec.validated_case()
        ref = self.ref or date(self.spec.builder.meeting_date.year, 12, 31)
        team = team_structure(case, ref, tuple(profile.age_tiers))
        return check_targets(team, profile)

    def check(self, which: str) -> TargetCheck:
        checks = self.checks
        found = [c for c in checks if which in (c.label, c.target)]
        if len(found) != 1:
            raise AssertionError(f"班子结构目标“{which}”不在目标中：{[(c.target, c.label) for c in checks]} "
                                 f"(no such target)")
        return found[0]


_SPECS: "WeakKeyDictionary[SpecContext, SupervisionSpec]" = WeakKeyDictionary()


def supervision_spec(spec: SpecContext) -> SupervisionSpec:
    """The supervision scenario state of a scenario (one per SpecContext, made on first use)."""
    found = _SPECS.get(spec)
    if found is None:
        found = _SPECS[spec] = SupervisionSpec(spec)
    return found


__all__ = ["SupervisionSpec", "supervision_spec"]
