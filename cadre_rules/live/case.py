"""A live case: events submitted one at a time, each accepted or refused at once, optionally journaled.

Decision for one event, in this order (the first that applies wins):

1. `CASE-CLOSED`      — the case was closed by a `close` event; nothing more is recorded.
2. `IMPLAUSIBLE-DATE` — the event's date lies outside the plausibility window: more than
                        `PLAUSIBLE_AHEAD` after today or `PLAUSIBLE_BEFORE` before the case opened
                        (a mistyped year 2201 would otherwise refuse every later real event).
   `OUT-OF-ORDER`     — the event is dated before the last accepted event (a `correct` event is
                        exempt: it supersedes a mistaken accepted event, and the record is rebuilt
                        from the remaining accepted events, as recorded; the journal keeps both).
3. `INVALID-EVENT`    — its data does not make a valid record (field paths in the messages).
4. `ILLEGAL-TRANSITION` — the stage graph has no edge from the current stage to the event's stage,
                         or the event cannot be recorded at the current stage.
5. rule refusals      — the case with the event, judged open as of the event's date, has a blocking
                        finding (violated, severity `violation`) that is either a guard of the
                        transition, or raised by the event itself: blocking now but not on the record
                        without the event as of the same date. A violation that arises only because
                        time passed (a deadline) is reported with the event but does not refuse it.

A refused event changes nothing but the log (and the journal). An accepted one replaces the case
with a new validated `Case`, moves the stage if it has one to move to, and its findings become the
case's findings. Re-submitting an id returns the first result unchanged, with no new effect and no
new journal entry; reusing an id for different content raises `EventConflict`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from operator import is_
from typing import Any, Callable, Iterable, Mapping

from cadre_rules.audit.auditor import Auditor
from cadre_rules.reading.cases import validate_case
from cadre_rules.engine.findings import Finding
from cadre_rules.facts.periods import anniversary
from cadre_rules.errors import CaseValidationError, EventConflict, InputError, LiveInputError, ProcedureViolation, in_language
from cadre_rules.live.canonical import unjournalable
from cadre_rules.live.journal import Entry, Journal, JournalError, JournalTampered, Receipt, Writer
from cadre_rules.model import Case, integrity_problems
from cadre_rules.rulebook import Rulebook, load_rulebook
from cadre_rules.live.process import ILLEGAL_TRANSITION, StageGate, Transition
from cadre_rules.live.events import (ANY, KINDS, Change, Event, EventDataError, EventKind, apply_change, apply_event,
                                     as_date)
from cadre_rules.live.incremental import IncrementalJudge

CASE_CLOSED = "CASE-CLOSED"
OUT_OF_ORDER = "OUT-OF-ORDER"
INVALID_EVENT = "INVALID-EVENT"
IMPLAUSIBLE_DATE = "IMPLAUSIBLE-DATE"
PROCEDURAL = (CASE_CLOSED, IMPLAUSIBLE_DATE, OUT_OF_ORDER, INVALID_EVENT, ILLEGAL_TRANSITION)

# The plausibility window for event dates, in years: acts are recorded when they happen, so a date
# more than a year after today is a typing error; one more than ten years before the case opened is too.
PLAUSIBLE_AHEAD = 1
PLAUSIBLE_BEFORE = 10

Key = tuple[str, tuple[str, ...]]


def finding_key(f: Finding) -> Key:
    """A finding's identity across evaluations: the rule and the facts it matched."""
    return (f.rule_id, tuple(f.evidence))


def finding_from_dict(d: Mapping[str, Any]) -> Finding:
    return Finding(**{**d, "evidence": list(d["evidence"]), "paths": list(d.get("paths") or [])})


@dataclass(frozen=True)
class EventFieldError:
    """One field error of an event refused for invalid data (`INVALID-EVENT`): the field `path` as the
    refusal's message names it — the event's own field (`data.attendees[9]`, `on`), or a case path for
    a problem the event made elsewhere in the case, said so in the message — and the `message` in
    Chinese and English (`{"zh", "en"}`, as a finding's). Why: the errors reached an embedding system
    only inside one message text; a form or a Java system needs the path apart to mark the field."""

    path: str
    message: Mapping[str, str]

    @classmethod
    def of(cls, path: str, message: str) -> "EventFieldError":
        """One (path, message) pair of an `EventDataError`, said as the refusal's message says it."""
        return cls(path, {"zh": in_language(message, "zh"), "en": str(message)})

    def text(self, lang: str = "zh") -> str:
        """The message in `lang` (Chinese by default, as the project's messages are)."""
        return self.message["en" if lang == "en" else "zh"]

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "message": {"zh": self.message["zh"], "en": self.message["en"]}}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "EventFieldError":
        return cls(d["path"], {"zh": d["message"]["zh"], "en": d["message"]["en"]})


@dataclass(frozen=True)
class Refusal:
    """Why an event was refused: a rule (with its article and message) or a procedural reason.

    `errors` are the field errors of an event refused for invalid data (`INVALID-EVENT`), empty for
    every other refusal; `to_dict` writes them only when there are some, so every other answer and
    journal entry is what it was before they existed."""

    rule_id: str
    message: Mapping[str, str]
    article: str | None = None
    citation: Mapping[str, str] = field(default_factory=dict)
    edition: str | None = None
    severity: str = "violation"
    verdict: str = "violated"
    evidence: tuple[str, ...] = ()
    errors: tuple[EventFieldError, ...] = ()

    @classmethod
    def from_finding(cls, f: Finding) -> "Refusal":
        return cls(f.rule_id, dict(f.message), f.article, dict(f.citation), f.edition, f.severity, f.verdict,
                   tuple(f.evidence))

    @classmethod
    def procedural(cls, rule_id: str, zh: str, en: str, errors: tuple[EventFieldError, ...] = ()) -> "Refusal":
        return cls(rule_id, {"zh": zh, "en": en}, errors=errors)

    def to_dict(self) -> dict[str, Any]:
        d = {"rule_id": self.rule_id, "message": dict(self.message), "article": self.article,
             "citation": dict(self.citation), "edition": self.edition, "severity": self.severity,
             "verdict": self.verdict, "evidence": list(self.evidence)}
        if self.errors:  # only an INVALID-EVENT refusal: the journal content of every other one unchanged
            d["errors"] = [e.to_dict() for e in self.errors]
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Refusal":
        """A refusal as `to_dict` wrote it; one journaled before refusals had `errors` has none."""
        return cls(d["rule_id"], dict(d["message"]), d.get("article"), dict(d.get("citation") or {}), d.get("edition"),
                   d.get("severity", "violation"), d.get("verdict", "violated"), tuple(d.get("evidence") or ()),
                   tuple(EventFieldError.from_dict(e) for e in d.get("errors") or ()))


class _Standing:
    """What a set of findings asks of the case: shared by an event's result and the live case."""

    findings: tuple[Finding, ...]

    @property
    def pending(self) -> tuple[Finding, ...]:
        """Obligations whose time has not come yet (publicity running, filing not yet due …)."""
        return tuple(f for f in self.findings if f.verdict == "pending")

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """Findings that stop the procedure: violated rules of severity `violation`."""
        return tuple(f for f in self.findings if f.blocking)


@dataclass(frozen=True)
class EventResult(_Standing):
    """What the live API says about one event, at once.

    `findings` are every finding of the case with the event, judged open as of the event's date
    (for a refused event: of the case it would have made; empty when nothing was judged).
    `raised`/`resolved` compare them with the case's findings before (new or changed verdict, gone).
    `seq`/`hash` are the journal receipt of the entry, when journaled.
    """

    event: Event
    accepted: bool
    stage_before: str
    stage: str
    transition: tuple[str, str] | None
    refused_by: tuple[Refusal, ...] = ()
    reason: str = ""
    findings: tuple[Finding, ...] = ()
    raised: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = ()
    seq: int | None = None
    hash: str | None = None

    def __init__(self, event: Event, accepted: bool, stage_before: str, stage: str,
                 transition: tuple[str, str] | None, refused_by: tuple[Refusal, ...] = (), reason: str = "",
                 findings: tuple[Finding, ...] = (), raised: tuple[Finding, ...] = (),
                 resolved: tuple[Finding, ...] = (), seq: int | None = None, hash: str | None = None) -> None:
        # The fields above, set in one update of the instance dict: the frozen dataclass's own __init__
        # sets each through object.__setattr__, ~1 µs of a small event's check (dataclass keeps an
        # __init__ the class defines; tests/live/test_live.py holds this one's parameters to the fields).
        self.__dict__.update(event=event, accepted=accepted, stage_before=stage_before, stage=stage,
                             transition=transition, refused_by=refused_by, reason=reason, findings=findings,
                             raised=raised, resolved=resolved, seq=seq, hash=hash)

    @property
    def refused_rule_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.rule_id for r in self.refused_by))

    @property
    def errors(self) -> tuple[EventFieldError, ...]:
        """The field errors of an event refused for invalid data (`INVALID-EVENT`); empty otherwise
        (also for a refusal journaled before refusals carried them)."""
        return tuple(e for r in self.refused_by for e in r.errors)

    def to_dict(self) -> dict[str, Any]:
        return {"event": self.event.to_dict(), "accepted": self.accepted, "stage_before": self.stage_before,
                "stage": self.stage, "transition": list(self.transition) if self.transition else None,
                "refused_by": [r.to_dict() for r in self.refused_by], "reason": self.reason,
                "findings": [f.to_dict() for f in self.findings], "raised": [f.to_dict() for f in self.raised],
                "resolved": [f.to_dict() for f in self.resolved]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], seq: int | None = None, digest: str | None = None) -> "EventResult":
        fs = lambda key: tuple(finding_from_dict(x) for x in d.get(key) or ())  # noqa: E731
        return cls(Event.from_dict(d["event"]), bool(d["accepted"]), d["stage_before"], d["stage"],
                   tuple(d["transition"]) if d.get("transition") else None,  # type: ignore[arg-type]
                   tuple(Refusal.from_dict(r) for r in d.get("refused_by") or ()), d.get("reason", ""),
                   fs("findings"), fs("raised"), fs("resolved"), seq, digest)


_AUDITORS: dict[tuple[int, str], Auditor] = {}


def auditor_for(rulebook: Rulebook) -> Auditor:
    """One compiled evaluator per rulebook object (compiling is the expensive part)."""
    key = (id(rulebook), rulebook.version)
    found = _AUDITORS.get(key)
    if found is None or found.rulebook is not rulebook:
        found = _AUDITORS[key] = Auditor(rulebook)
        while len(_AUDITORS) > 8:  # a few rulebooks at a time (e.g. the current one and the next)
            _AUDITORS.pop(next(iter(_AUDITORS)))
    return found


@dataclass
class _Next:
    """The state an accepted event leads to (applied only once the journal has committed)."""

    case: Case
    stage: str
    findings: tuple[Finding, ...]
    on: date | None = None  # the new date of the last accepted act (a correction may move it back)


class LiveCase(_Standing):
    """One case under live enforcement. Create it with `LiveCase.open` or `LiveCase.resume`."""

    today: Callable[[], date] = staticmethod(date.today)  # the plausibility window's "now" (injectable)

    def __init__(self, case: Case, rulebook: Rulebook, stage: str, on: date, findings: Iterable[Finding] = (),
                 journal: Journal | None = None) -> None:
        if stage not in rulebook.stages.titles:
            raise LiveInputError(f"unknown stage {stage!r}", field="stage")
        self._opening = (case, stage, on)  # what a correction rebuilds the record from
        self._superseded: set[str] = set()
        self.case = case
        self.rulebook = rulebook
        self.stage = stage
        self.last_on = on
        self.findings: tuple[Finding, ...] = tuple(findings)
        self.journal = journal
        self.log: list[EventResult] = []  # every submitted event, accepted or refused, in order
        self.history: list[Transition] = []  # every attempted stage transition, like CaseProcess.history
        self.opened: tuple[Finding, ...] = self.findings
        self._results: dict[str, EventResult] = {}
        self._fingerprints: dict[str, str] = {}
        self._auditor = auditor_for(rulebook)
        self._incremental = IncrementalJudge(self._auditor)
        self._seen: Receipt | None = None
        self._before: tuple[date, Case, list[Finding]] | None = None
        # An opening record that passes the integrity checks (a validated Case does) keeps passing them:
        # every later version is made by apply_event, which checks what each event changes.
        self._checked = not any(integrity_problems(case))
        self._gates: dict[tuple[str, str], frozenset[str]] = {}  # guards by transition (cached)
        # (event kind, its target, stage) -> `_route`'s answer: it reads nothing else (the stage graph is fixed)
        self._routes: dict[tuple[str, str | None, str], tuple[tuple[str, str] | None, Refusal | None]] = {}
        self._windows: tuple[date, date, date, date] | None = None  # (today, opened, plausibility window)

    # -- creating ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, record: Case | Mapping[str, Any], on: date, rulebook: Rulebook | None = None, *,
             journal: Journal | None = None, stage: str | None = None) -> "LiveCase":
        """Open a case from its initial record (body, post, candidates …) on date `on`.

        Invalid data raises CaseValidationError. With a journal, the opening record and its findings
        are the case's first entries; a case id already in the journal raises JournalError (use resume).
        """
        rulebook = rulebook or load_rulebook()
        on = as_date(on, "on", "opening a live case: ")
        if stage is not None and (not isinstance(stage, str) or stage not in rulebook.stages.titles):
            raise LiveInputError(f"unknown stage {stage!r:.60}; known: {', '.join(rulebook.stages.titles)}",
                                 field="stage")
        # validate_case names what is wrong with a record that is not a mapping (dict() raised TypeError)
        case = record if isinstance(record, Case) else validate_case(dict(record) if isinstance(record, Mapping)
                                                                      else record)
        case = case.model_copy(update={"status": "open", "as_of": on})
        # a value the journal could not hold (an integer beyond 2^53 …) named as a field error, journal or not
        problems = unjournalable(case.model_dump(mode="json"))
        if problems:
            raise CaseValidationError([InputError(path, f"cannot be journaled: {why}") for path, why in problems],
                                      case_id=case.id)
        stage = stage or rulebook.stages.start
        live = cls(case, rulebook, stage, on, journal=journal)
        live.findings = live.opened = tuple(live._judge(case))
        if journal is not None:
            with journal.transaction() as writer:
                if writer.has_case(case.id):
                    raise JournalError(f"case {case.id} is already in the journal {journal.path}; use LiveCase.resume",
                                       path=journal.path, case_id=case.id)
                content = {"case": case.model_dump(mode="json"), "stage": stage, "on": on.isoformat(),
                           "findings": [f.to_dict() for f in live.findings]}
                writer.append(case.id, "open", content, rulebook.version)
                live._journal_changes(writer, None, (), live.findings)
            live._seen = writer.head
        return live

    @classmethod
    def resume(cls, journal: Journal, case_id: str, rulebook: Rulebook | None = None, *,
               verify: bool = True) -> "LiveCase":
        """Rebuild a journaled case as recorded (outcomes are not re-judged) and keep journaling to it.

        The journal may have been written with another rulebook version; the recorded findings are
        kept until the next event is judged by this rulebook.
        """
        rulebook = rulebook or load_rulebook()
        if verify:
            report = journal.verify()
            if not report.ok:
                raise JournalTampered(report)
        head = journal.head()  # what we read up to; later entries are caught up by submit/sync
        entries = [e for e in journal.entries(case_id=case_id) if head is not None and e.seq <= head.seq]
        if not entries or entries[0].kind != "open":
            raise JournalError(f"case {case_id} is not in the journal {journal.path}", path=journal.path, case_id=case_id)
        live = cls._from_open(entries[0], rulebook, journal)
        for entry in entries[1:]:
            live._apply_recorded(entry)
        live._seen = head
        return live

    @classmethod
    def _from_open(cls, entry: Entry, rulebook: Rulebook, journal: Journal | None) -> "LiveCase":
        content = entry.content
        case = validate_case(content["case"])
        stage = content["stage"] if content["stage"] in rulebook.stages.titles else rulebook.stages.start
        findings = tuple(finding_from_dict(f) for f in content.get("findings") or ())
        return cls(case, rulebook, stage, date.fromisoformat(content["on"]), findings, journal)

    # -- asking -----------------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self.case.status == "closed"

    @property
    def gate(self) -> StageGate:
        """The stage machine this case enforces (shared with CaseProcess)."""
        return StageGate(self.rulebook.stages)

    def allowed_next(self) -> list[str]:
        return self.gate.allowed_next(self.stage)

    def check(self, on: date) -> list[Finding]:
        """The findings of the record as it stands, judged as of `on` (nothing is recorded)."""
        if self.closed:
            return self._judge(self.case)
        return self._judge(self.case.model_copy(update={"as_of": on}))

    def preview(self, event: Event | Mapping[str, Any]) -> EventResult:
        """What `submit` would answer, without recording anything (a known id gives its recorded result)."""
        event = _coerce(event)
        known = self._known(event)
        return known if known is not None else self._decide(event)[0]

    # -- submitting -------------------------------------------------------------------------------

    def submit(self, event: Event | Mapping[str, Any], strict: bool = False) -> EventResult:
        """Judge the event and record it (accepted or refused); with strict=True a refusal raises
        ProcedureViolation after it has been recorded."""
        event = _coerce(event)
        if self.journal is None:
            result = self._known(event)
            if result is None:
                result, nxt = self._decide(event)
                self._commit(result, nxt)
        else:
            with self.journal.transaction() as writer:
                self._catch_up(writer.entries(after=self._seen.seq if self._seen else 0))
                result = self._known(event)
                nxt = None
                if result is None:
                    result, nxt = self._decide(event)
                    kind = "event" if result.accepted else "refusal"
                    receipt = writer.append(self.case.id, kind, result.to_dict(), self.rulebook.version, event.id)
                    result = _with_receipt(result, receipt)
                    if nxt is not None:
                        self._journal_changes(writer, event.id, self.findings, nxt.findings)
                    fresh = True
                else:
                    fresh = False
            if fresh:  # committed: now (and only now) the state moves
                self._seen = writer.head
                self._commit(result, nxt)
        if strict and not result.accepted:
            raise ProcedureViolation(result)
        return result

    def _known(self, event: Event) -> EventResult | None:
        known = self._results.get(event.id)
        if known is not None and self._fingerprints[event.id] != event.fingerprint():
            raise EventConflict(f"event id {event.id} was used for {known.event.kind} on {known.event.on}; "
                                "a different event needs a new id", event_id=event.id, case_id=self.case.id)
        return known

    def _decide(self, event: Event) -> tuple[EventResult, _Next | None]:
        stage, kind = self.stage, KINDS[event.kind]
        if self.closed:
            return _refused(event, stage, CASE_CLOSED, f"案件已于 {self.case.as_of} 结案，不再记录事项",
                            f"the case was closed on {self.case.as_of}; nothing more is recorded")
        earliest, latest = self._window()
        if not earliest <= event.on <= latest:
            return _refused(event, stage, IMPLAUSIBLE_DATE,
                            f"事项日期 {event.on} 不可信：应在 {earliest} 至 {latest} 之间（年份是否输错？）",
                            f"the date {event.on} is implausible: it must lie between {earliest} and {latest} "
                            "(a mistyped year?)")
        if event.kind == "correct":
            return self._decide_correction(event)
        if event.on < self.last_on:
            return _refused(event, stage, OUT_OF_ORDER, f"事项日期 {event.on} 早于上一个已记录事项的日期 {self.last_on}",
                            f"dated {event.on}, before the last recorded event ({self.last_on})")
        route = None
        if not callable(kind.target):  # where the event goes does not depend on its data: check that first
            route = self._route(kind, kind.target, stage)
            if route[1] is not None:
                return _refused_by(event, stage, route[1], route[0])
        try:
            after, change = apply_change(self.case, event, checked=self._checked)
        except EventDataError as exc:
            return _invalid(event, stage, exc)
        if route is None:
            route = self._route(kind, kind.target_for(after, event), stage)
            if route[1] is not None:
                return _refused_by(event, stage, route[1], route[0])
        transition = route[0]
        findings = tuple(self._judge(after, change))
        blocking = [f for f in findings if f.blocking]
        refusing: list[Finding] = []
        if blocking:
            guards = self._guards(transition) if transition else frozenset()
            refusing = [f for f in blocking if f.rule_id in guards]  # StageGate.refusing
            others = [f for f in blocking if f.rule_id not in guards]
            if others:
                before = {finding_key(f) for f in self._judged_before(event.on) if f.blocking}
                refusing += [f for f in others if finding_key(f) not in before]
        raised, resolved = _diff(self.findings, findings)
        if refusing:
            refusals = tuple({finding_key(f): Refusal.from_finding(f) for f in refusing}.values())
            reason = "refused by " + ", ".join(dict.fromkeys(r.rule_id for r in refusals))
            return EventResult(event, False, stage, stage, transition, refusals, reason, findings, raised,
                               resolved), None
        target_stage = transition[1] if transition else stage
        result = EventResult(event, True, stage, target_stage, transition, (), "", findings, raised, resolved)
        return result, _Next(after, target_stage, findings)

    def _window(self) -> tuple[date, date]:
        """The plausibility window for event dates (computed again only when the day changes)."""
        today = self.today()
        window = self._windows
        if window is None or window[0] != today or window[1] != self._opening[2]:
            window = self._windows = (today, self._opening[2], anniversary(self._opening[2], -PLAUSIBLE_BEFORE),
                                      anniversary(today, PLAUSIBLE_AHEAD))
        return window[2], window[3]

    def _decide_correction(self, event: Event) -> tuple[EventResult, _Next | None]:
        """A `correct` event: the record rebuilt without the superseded event (and any it superseded
        before), from the opening record and the remaining accepted events as recorded."""
        try:
            apply_event(self.case, event)  # validates the data (supersedes, reason)
        except EventDataError as exc:
            return _invalid(event, self.stage, exc)
        target = str(event.data["supersedes"])
        accepted = {r.event.id: r for r in self.log if r.accepted}
        if target not in accepted or accepted[target].event.kind == "correct":
            return _refused(event, self.stage, INVALID_EVENT, f"没有可更正的已接受事项 {target}",
                            f"no accepted event {target} to correct (a correction corrects an accepted event)")
        if target in self._superseded:
            return _refused(event, self.stage, INVALID_EVENT, f"事项 {target} 已被更正",
                            f"event {target} was already corrected")
        try:
            rebuilt = self._rebuild(self._superseded | {target})
        except EventDataError as exc:
            return _refused(event, self.stage, INVALID_EVENT, f"不能更正 {target}：其后的事项依赖它（{exc}）",
                            f"cannot correct {target}: later events depend on it ({exc})")
        case, stage, on = rebuilt
        findings = self._judge(case if case.status == "closed" else case.model_copy(update={"as_of": on}))
        raised, resolved = _diff(self.findings, findings)
        transition = (self.stage, stage) if stage != self.stage else None
        result = EventResult(event, True, self.stage, stage, transition, (), "", tuple(findings), raised, resolved)
        return result, _Next(case, stage, tuple(findings), on)

    def _rebuild(self, superseded: set[str]) -> tuple[Case, str, date]:
        """The opening record with every accepted event not superseded applied again, as recorded."""
        case, stage, on = self._opening
        for result in self.log:
            if not result.accepted or result.event.kind == "correct" or result.event.id in superseded:
                continue
            case = apply_event(case, result.event, checked=self._checked)
            stage, on = result.stage, result.event.on
        return case, stage, on

    def _guards(self, transition: tuple[str, str]) -> frozenset[str]:
        """The transition's guard rules (StageGate.guards, once per transition)."""
        found = self._gates.get(transition)
        if found is None:
            found = self._gates[transition] = self.gate.guards(*transition)
        return found

    def _route(self, kind: EventKind, target: str | None,
               stage: str) -> tuple[tuple[str, str] | None, Refusal | None]:
        """(the transition the event makes from `stage`, or None if it stays; why it cannot happen there, if so),
        worked out once per kind, target and stage."""
        key = (kind.name, target, stage)
        found = self._routes.get(key)
        if found is None:
            found = self._routes[key] = self._find_route(kind, target, stage)
        return found

    def _find_route(self, kind: EventKind, target: str | None,
                    stage: str) -> tuple[tuple[str, str] | None, Refusal | None]:
        if kind.name == "close":
            if stage not in self.rulebook.stages.terminal:
                terminal = ", ".join(sorted(self.rulebook.stages.terminal))
                return None, Refusal.procedural(ILLEGAL_TRANSITION, f"只有在终结阶段（{terminal}）才能结案，当前阶段为 {stage}",
                                                f"a case is closed only at a terminal stage ({terminal}); it is at {stage}")
            return None, None
        if target is None or target == stage:
            if target == stage or kind.where == ANY or stage in kind.where:
                return None, None
            where = ", ".join(sorted(kind.where)) if kind.where != ANY else "any"
            return None, Refusal.procedural(ILLEGAL_TRANSITION, f"{kind.zh}只能在以下阶段记录：{where}；当前阶段为 {stage}",
                                            f"{kind.en} is recorded only at {where}; the case is at {stage}")
        if self.gate.illegal(stage, target) is not None:
            allowed = ", ".join(self.gate.allowed_next(stage)) or "none"
            return (stage, target), Refusal.procedural(
                ILLEGAL_TRANSITION, f"不能从 {stage} 进入 {target}（{kind.zh}）；可进入：{allowed}",
                f"no transition {stage} -> {target} ({kind.en}); allowed: {allowed}")
        return (stage, target), None

    def _commit(self, result: EventResult, nxt: _Next | None) -> None:
        event = result.event
        self._results[event.id] = result
        self._fingerprints[event.id] = event.fingerprint()
        self.log.append(result)
        if result.transition:
            ids = tuple(dict.fromkeys(r.rule_id for r in result.refused_by))
            self.history.append(Transition(result.transition[0], result.transition[1], event.on, result.accepted, ids,
                                           result.reason, self.gate.of_guards(*result.transition, result.findings)))
        if event.kind == "correct" and result.accepted:
            self._superseded.add(str(event.data["supersedes"]))
        if nxt is not None:
            self.case, self.stage, self.findings = nxt.case, nxt.stage, nxt.findings
            self.last_on = nxt.on if nxt.on is not None else event.on
            self._before = None

    # -- judging ----------------------------------------------------------------------------------

    def _judge(self, case: Case, change: Change | None = None) -> list[Finding]:
        """All findings of a case version (incrementally: only rules whose inputs changed are re-run;
        `change`: what the event that made it declared it changed)."""
        if change is None:
            return self._incremental.findings(case)
        return self._incremental.findings(case, change)

    def _judged_before(self, on: date) -> list[Finding]:
        """The record without the event, judged as of the event's date (cached per date)."""
        if self._before is None or self._before[0] != on or self._before[1] is not self.case:
            judged = self.case if self.closed else self.case.model_copy(update={"as_of": on})
            self._before = (on, self.case, self._judge(judged))
        return self._before[2]

    # -- journal ----------------------------------------------------------------------------------

    def _journal_changes(self, writer: Writer, event_id: str | None, old: Iterable[Finding],
                         new: Iterable[Finding]) -> None:
        previous = {finding_key(f): f for f in old}
        current = {finding_key(f): f for f in new}
        for key, f in current.items():
            was = previous.get(key)
            if was is None or was.verdict != f.verdict or was.severity != f.severity:
                writer.append(self.case.id, "finding", {"event": event_id, "change": "raised" if was is None else "changed",
                                                         "previous": was.verdict if was else None,
                                                         "finding": f.to_dict()}, self.rulebook.version, event_id)
        for key, f in previous.items():
            if key not in current:
                writer.append(self.case.id, "finding", {"event": event_id, "change": "resolved", "previous": f.verdict,
                                                         "finding": f.to_dict()}, self.rulebook.version, event_id)

    def sync(self) -> int:
        """Catch up with what other writers journaled for this case; returns the number of new entries seen.
        (`submit` does this itself, under the journal's write lock.)"""
        if self.journal is None:
            return 0
        before = self._seen.seq if self._seen else 0
        self._catch_up(self.journal.entries(after=before))
        return (self._seen.seq if self._seen else 0) - before

    def _catch_up(self, entries: Iterable[Entry]) -> None:
        """Apply what other writers appended for this case since we last looked, checking that the
        chain still links up from the last entry we saw."""
        prev = self._seen
        for entry in entries:
            expected = prev.hash if prev else "0" * 64
            if entry.prev != expected or self.journal.rehash(entry) != entry.hash:  # type: ignore[union-attr]
                raise JournalTampered(self.journal.verify())  # type: ignore[union-attr]
            if entry.case_id == self.case.id:
                self._apply_recorded(entry)
            prev = entry.receipt
        self._seen = prev

    def _apply_recorded(self, entry: Entry) -> None:
        """Fold one recorded entry of this case into the state, as recorded (no re-judging)."""
        if entry.kind not in ("event", "refusal"):
            return
        result = EventResult.from_dict(entry.content, entry.seq, entry.hash)
        nxt = None
        if entry.kind == "event":
            try:
                if result.event.kind == "correct":
                    case, _, on = self._rebuild(self._superseded | {str(result.event.data["supersedes"])})
                    nxt = _Next(case, result.stage, result.findings, on)
                else:
                    nxt = _Next(apply_event(self.case, result.event, checked=self._checked), result.stage,
                                result.findings)
            except EventDataError as exc:
                raise JournalError(f"entry {entry.seq}: recorded event {result.event.id} no longer applies: {exc}",
                                   seq=entry.seq, case_id=self.case.id) from None
        self._commit(result, nxt)


def _field_errors(exc: EventDataError) -> tuple[EventFieldError, ...]:
    """The field errors of an event's invalid data, each as the refusal's message says it (only on the
    refusal path: an accepted event never gets here)."""
    return tuple(EventFieldError.of(p, m) for p, m in exc.errors)


def _invalid(event: Event, stage: str, exc: EventDataError) -> tuple[EventResult, None]:
    """The answer refusing `event` for invalid data (INVALID-EVENT), a correction's as any other's: each
    field error in the message in its language, and as an object (`errors`)."""
    errors = _field_errors(exc)
    zh = "；".join(f"{e.path}：{e.message['zh']}" if e.path else e.message["zh"] for e in errors)
    return _refused(event, stage, INVALID_EVENT, f"事项数据无效：{zh}", f"invalid event data: {exc}", errors)


def _refused(event: Event, stage: str, rule_id: str, zh: str, en: str,
             errors: tuple[EventFieldError, ...] = ()) -> tuple[EventResult, None]:
    """The answer refusing `event` at `stage` for a procedural reason (`PROCEDURAL`)."""
    return _refused_by(event, stage, Refusal.procedural(rule_id, zh, en, errors), None)


def _refused_by(event: Event, stage: str, refusal: Refusal,
                transition: tuple[str, str] | None) -> tuple[EventResult, None]:
    return EventResult(event, False, stage, stage, transition, (refusal,),
                       f"refused by {refusal.rule_id}: {refusal.message['en']}"), None


def _coerce(event: Event | Mapping[str, Any]) -> Event:
    """What a caller submits as an Event, refusing a value no journal can hold (journal or not)."""
    event = event if isinstance(event, Event) else Event.from_dict(event)
    event.check_journalable()
    return event


def _with_receipt(result: EventResult, receipt: Receipt) -> EventResult:
    from dataclasses import replace

    return replace(result, seq=receipt.seq, hash=receipt.hash)


def _diff(old: Iterable[Finding], new: Iterable[Finding]) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    old, new = tuple(old), tuple(new)
    if len(old) == len(new) and all(map(is_, old, new)):  # the findings kept as they were
        return (), ()
    previous = {finding_key(f): f for f in old}
    current = {finding_key(f): f for f in new}
    raised = tuple(f for k, f in current.items()
                   if k not in previous or previous[k].verdict != f.verdict or previous[k].severity != f.severity)
    resolved = tuple(f for k, f in previous.items() if k not in current)
    return raised, resolved


__all__ = ["CASE_CLOSED", "IMPLAUSIBLE_DATE", "ILLEGAL_TRANSITION", "INVALID_EVENT", "OUT_OF_ORDER", "PROCEDURAL", "EventConflict",
           "EventFieldError", "EventResult", "LiveCase", "ProcedureViolation", "Refusal", "auditor_for", "finding_from_dict",
           "finding_key"]
