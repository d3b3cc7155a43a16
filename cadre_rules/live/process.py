"""A case moving through its stages: legal transitions, guard rules, and a history that keeps refusals.

The stage graph comes from the rulebook (rules/workflow.yaml). A transition is allowed when the
graph has the edge and none of its guard rules is violated with severity `violation` on the case as
recorded up to the transition date. Every attempt — accepted or refused — stays in the history.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cadre_rules.audit.auditor import Auditor
from cadre_rules.engine.findings import Finding
from cadre_rules.errors import TransitionRefused
from cadre_rules.model import Case
from cadre_rules.rulebook import Rulebook


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    on: date
    accepted: bool
    refused_by: tuple[str, ...] = ()  # rule ids, or "ILLEGAL-TRANSITION"
    reason: str = ""
    findings: tuple[Finding, ...] = ()


@dataclass
class CaseProcess:
    """The live state of one case: its current stage and the history of every attempted transition."""

    case: Case
    rulebook: Rulebook
    stage: str = ""
    history: list[Transition] = field(default_factory=list)
    _auditor: Auditor | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.stage = self.stage or self.rulebook.stages.start
        if self.stage not in self.rulebook.stages.titles:
            raise ValueError(f"unknown stage {self.stage!r}")
        self._auditor = self._auditor or Auditor(self.rulebook)

    def allowed_next(self) -> list[str]:
        return sorted(self.rulebook.stages.graph.successors(self.stage))

    def advance(self, target: str, on: date, case: Case | None = None, strict: bool = False) -> Transition:
        """Try to move to `target` on date `on`, with the case as recorded then (if given).

        The case is judged as an open case as of `on`, so obligations whose deadline has not come are
        pending, not violations. Returns the recorded transition; with strict=True a refusal raises.
        """
        judged_case = case if case is not None else self.case
        graph = self.rulebook.stages.graph
        if not graph.has_edge(self.stage, target):
            reason = f"no transition {self.stage} -> {target}; allowed: {', '.join(self.allowed_next()) or 'none'}"
            return self._record(Transition(self.stage, target, on, False, ("ILLEGAL-TRANSITION",), reason), strict)
        guards = set(self.rulebook.stages.guards(self.stage, target))
        findings: tuple[Finding, ...] = ()
        if guards:
            judged = judged_case.model_copy(update={"status": "open", "as_of": on})
            assert self._auditor is not None
            findings = tuple(self._auditor.findings(judged, only=guards))
        blocking = tuple(dict.fromkeys(f.rule_id for f in findings if f.blocking))
        if blocking:
            reason = "refused by " + ", ".join(blocking)
            return self._record(Transition(self.stage, target, on, False, blocking, reason, findings), strict)
        accepted = Transition(self.stage, target, on, True, (), "", findings)
        self.stage, self.case = target, judged_case  # a refused record never enters the case
        return self._record(accepted, strict)

    def _record(self, transition: Transition, strict: bool) -> Transition:
        self.history.append(transition)
        if strict and not transition.accepted:
            raise TransitionRefused(transition)
        return transition
