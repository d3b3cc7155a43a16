"""A case moving through its stages: legal transitions, guard rules, and a history that keeps refusals.

The stage graph comes from the rulebook (rules/workflow.yaml). A transition is allowed when the
graph has the edge and none of its guard rules is violated with severity `violation` on the case as
recorded up to the transition date. Every attempt — accepted or refused — stays in the history.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from cadre_rules.audit.auditor import Auditor
from cadre_rules.engine.findings import Finding
from cadre_rules.errors import TransitionRefused
from cadre_rules.model import Case
from cadre_rules.rulebook import Rulebook
from cadre_rules.rulebook.stages import StageGraph

ILLEGAL_TRANSITION = "ILLEGAL-TRANSITION"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    on: date
    accepted: bool
    refused_by: tuple[str, ...] = ()  # rule ids, or ILLEGAL_TRANSITION
    reason: str = ""
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class StageGate:
    """Whether a transition is allowed now, and which guard refuses it: the one implementation that
    both CaseProcess (stage by stage) and LiveCase (event by event) enforce.

    A transition is legal when the stage graph has the edge; it is refused when one of its guard
    rules has a blocking finding (violated, severity `violation`) on the case as judged for it.
    """

    stages: StageGraph

    def allowed_next(self, stage: str) -> list[str]:
        return sorted(self.stages.graph.successors(stage))

    def illegal(self, source: str, target: str) -> str | None:
        """Why the stage graph does not allow `source -> target` (None when it does)."""
        if self.stages.graph.has_edge(source, target):
            return None
        return f"no transition {source} -> {target}; allowed: {', '.join(self.allowed_next(source)) or 'none'}"

    def guards(self, source: str, target: str) -> frozenset[str]:
        """The guard rules of the transition (none for a transition the graph does not have)."""
        if not self.stages.graph.has_edge(source, target):
            return frozenset()
        return frozenset(self.stages.guards(source, target))

    def refusing(self, source: str, target: str, findings: Iterable[Finding]) -> list[Finding]:
        """The findings by which the transition's guards refuse it, in finding order."""
        guards = self.guards(source, target)
        return [f for f in findings if f.blocking and f.rule_id in guards]

    def of_guards(self, source: str, target: str, findings: Iterable[Finding]) -> tuple[Finding, ...]:
        """The findings of the transition's guard rules (what a Transition records)."""
        guards = self.guards(source, target)
        return tuple(f for f in findings if f.rule_id in guards)


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

    @property
    def gate(self) -> StageGate:
        return StageGate(self.rulebook.stages)

    def allowed_next(self) -> list[str]:
        return self.gate.allowed_next(self.stage)

    def advance(self, target: str, on: date, case: Case | None = None, strict: bool = False) -> Transition:
        """Try to move to `target` on date `on`, with the case as recorded then (if given).

        The case is judged as an open case as of `on`, so obligations whose deadline has not come are
        pending, not violations. Returns the recorded transition; with strict=True a refusal raises.
        """
        judged_case = case if case is not None else self.case
        gate = self.gate
        reason = gate.illegal(self.stage, target)
        if reason is not None:
            return self._record(Transition(self.stage, target, on, False, (ILLEGAL_TRANSITION,), reason), strict)
        guards = gate.guards(self.stage, target)
        findings: tuple[Finding, ...] = ()
        if guards:
            judged = judged_case.model_copy(update={"status": "open", "as_of": on})
            assert self._auditor is not None
            findings = tuple(self._auditor.findings(judged, only=set(guards)))
        blocking = tuple(dict.fromkeys(f.rule_id for f in gate.refusing(self.stage, target, findings)))
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
