"""Reading a journal back: replay (same rulebook, same answers), re-judging (newer rulebook, drift) and export.

`replay` re-executes every recorded event through a fresh `LiveCase` and compares each answer —
accepted or refused, stage, findings — with what was recorded. With the rulebook that wrote the
journal it must be identical; a difference is a `Divergence`.

`rejudge` follows the history as it was recorded (events that were accepted stay accepted, so the
rest of the case can still be judged) and judges it with another rulebook: for each finding whose
verdict or severity differs it reports the rule, the entry where the difference starts, the old
and new verdicts, both rulebook versions and why (the rule's definition changes, when the previous
rulebook is given); for each event it reports whether the new rulebook would have decided it
differently.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Iterable, Iterator, Mapping

from cadre_rules.errors import CaseValidationError
from cadre_rules.reading.cases import validate_case
from cadre_rules.engine.findings import Finding
from cadre_rules.live.journal import Entry, Journal, JournalError, JournalTampered
from cadre_rules.model import Case
from cadre_rules.rulebook import Rulebook, load_rulebook
from cadre_rules.rulebook.model import Rule
from cadre_rules.live.case import EventResult, LiveCase, finding_key
from cadre_rules.live.events import Event, EventDataError, apply_event


def _case_entries(journal: Journal, case_id: str, verify: bool) -> list[Entry]:
    if verify:
        report = journal.verify()
        if not report.ok:
            raise JournalTampered(report)
    entries = list(journal.entries(case_id=case_id))
    if not entries or entries[0].kind != "open":
        raise JournalError(f"case {case_id} is not in the journal {journal.path}", path=journal.path, case_id=case_id,
                           zh=f"日志 {journal.path} 中没有案件 {case_id}")
    return entries


# -- replay -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Divergence:
    seq: int
    event_id: str | None
    what: str  # accepted | stage | findings
    recorded: Any
    replayed: Any


@dataclass
class Replay:
    live: LiveCase  # the case rebuilt by re-executing every event (not journaled)
    divergences: list[Divergence]

    @property
    def identical(self) -> bool:
        return not self.divergences


def replay(journal: Journal, case_id: str, rulebook: Rulebook | None = None, *, verify: bool = True) -> Replay:
    """Re-execute a journaled case event by event and compare every answer with the recorded one."""
    rulebook = rulebook or load_rulebook()
    entries = _case_entries(journal, case_id, verify)
    opening = entries[0].content
    live = LiveCase.open(validate_case(opening["case"]), date.fromisoformat(opening["on"]), rulebook,
                         stage=opening["stage"])
    out: list[Divergence] = []
    if [f.to_dict() for f in live.findings] != opening.get("findings", []):
        out.append(Divergence(entries[0].seq, None, "findings", opening.get("findings", []),
                              [f.to_dict() for f in live.findings]))
    for entry in entries[1:]:
        if entry.kind not in ("event", "refusal"):
            continue
        recorded = entry.content
        result = live.submit(Event.from_dict(recorded["event"]))
        event_id = result.event.id
        if result.accepted != recorded["accepted"]:
            out.append(Divergence(entry.seq, event_id, "accepted", recorded["accepted"], result.accepted))
        if result.stage != recorded["stage"]:
            out.append(Divergence(entry.seq, event_id, "stage", recorded["stage"], result.stage))
        replayed = [f.to_dict() for f in result.findings]
        if replayed != recorded["findings"]:
            out.append(Divergence(entry.seq, event_id, "findings", recorded["findings"], replayed))
    return Replay(live, out)


# -- drift ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingChange:
    """A finding judged differently by the newer rulebook, from the entry where the difference starts."""

    seq: int
    event_id: str | None
    on: str
    rule_id: str
    evidence: tuple[str, ...]
    old_verdict: str | None  # None: the rule raised nothing
    new_verdict: str | None
    old_severity: str | None
    new_severity: str | None
    old_rulebook: str
    new_rulebook: str
    message: Mapping[str, str]
    why: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["evidence"], d["why"], d["message"] = list(self.evidence), list(self.why), dict(self.message)
        return d

    def __str__(self) -> str:
        old = f"{self.old_verdict}/{self.old_severity}" if self.old_verdict else "—"
        new = f"{self.new_verdict}/{self.new_severity}" if self.new_verdict else "—"
        return (f"entry {self.seq} ({self.event_id or 'open'}, {self.on}) {self.rule_id} [{', '.join(self.evidence)}]: "
                f"{old} → {new} (rulebook {self.old_rulebook} → {self.new_rulebook}); why: {'; '.join(self.why)}")


@dataclass(frozen=True)
class OutcomeChange:
    """An event the newer rulebook would decide differently."""

    seq: int
    event_id: str
    on: str
    kind: str
    old_accepted: bool
    new_accepted: bool
    old_refused_by: tuple[str, ...]
    new_refused_by: tuple[str, ...]
    old_rulebook: str
    new_rulebook: str

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["old_refused_by"], d["new_refused_by"] = list(self.old_refused_by), list(self.new_refused_by)
        return d

    def __str__(self) -> str:
        word = lambda ok, by: "accepted" if ok else f"refused by {', '.join(by)}"  # noqa: E731
        return (f"entry {self.seq} event {self.event_id} ({self.kind}, {self.on}): {word(self.old_accepted, self.old_refused_by)}"
                f" → {word(self.new_accepted, self.new_refused_by)} (rulebook {self.old_rulebook} → {self.new_rulebook})")


@dataclass
class Drift:
    case_id: str
    new_rulebook: str
    old_rulebooks: tuple[str, ...]
    findings: list[FindingChange] = field(default_factory=list)
    outcomes: list[OutcomeChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.findings or self.outcomes)

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "new_rulebook": self.new_rulebook, "old_rulebooks": list(self.old_rulebooks),
                "findings": [c.to_dict() for c in self.findings], "outcomes": [c.to_dict() for c in self.outcomes]}

    def __str__(self) -> str:
        head = (f"case {self.case_id}: rulebook {', '.join(self.old_rulebooks)} → {self.new_rulebook}: "
                f"{len(self.findings)} finding change(s), {len(self.outcomes)} decision change(s)")
        return "\n".join([head, *(f"  {c}" for c in self.outcomes), *(f"  {c}" for c in self.findings)]) + "\n"


def rule_differences(old: Rule | None, new: Rule | None) -> list[str]:
    """What changed in one rule's definition between two rulebooks, in words."""
    if old is None and new is None:
        return []
    if old is None:
        return ["rule added in the newer rulebook"]
    if new is None:
        return ["rule removed from the newer rulebook"]
    out = []
    if old.severity != new.severity:
        out.append(f"severity {old.severity} → {new.severity}")
    for name in sorted(set(old.parameters) | set(new.parameters)):
        a, b = old.parameters.get(name), new.parameters.get(name)
        if a is None or b is None or a.default != b.default:
            out.append(f"parameter {name}: {a.default if a else 'absent'} → {b.default if b else 'absent'}")
    old_params = {c.edition: dict(c.params) for c in old.basis}
    new_params = {c.edition: dict(c.params) for c in new.basis}
    if old_params != new_params:
        out.append("edition-specific parameters or citations changed")
    for attr, label in (("when", "condition"), ("pending_when", "pending condition"), ("act_date", "act date"),
                        ("match", "matched facts")):
        if getattr(old, attr) != getattr(new, attr):
            out.append(f"{label} changed")
    if (old.effective_from, old.effective_to) != (new.effective_from, new.effective_to):
        out.append(f"effective {old.effective_from}–{old.effective_to or ''} → {new.effective_from}–{new.effective_to or ''}")
    return out


def rejudge(journal: Journal, case_id: str, rulebook: Rulebook, previous: Rulebook | None = None, *,
            verify: bool = True) -> Drift:
    """Judge a journaled case's recorded history with `rulebook` and report what changes.

    `previous`, if given, is the rulebook the journal was written with; the report then explains
    each change by the rule's definition changes. Without it, the explanation is the version change.
    """
    entries = _case_entries(journal, case_id, verify)
    versions = tuple(dict.fromkeys(e.rulebook for e in entries))
    drift = Drift(case_id, rulebook.version, versions)
    live = LiveCase._from_open(entries[0], rulebook, None)
    last_pair: dict[tuple[str, tuple[str, ...]], tuple[str | None, str | None, str | None, str | None]] = {}

    def compare(entry: Entry, event_id: str | None, on: date, recorded: Iterable[Finding], new: Iterable[Finding]) -> None:
        old_map = {finding_key(f): f for f in recorded}
        new_map = {finding_key(f): f for f in new}
        for key in sorted(set(old_map) | set(new_map)):
            a, b = old_map.get(key), new_map.get(key)
            pair = (a.verdict if a else None, b.verdict if b else None, a.severity if a else None, b.severity if b else None)
            if pair[0] == pair[1] and pair[2] == pair[3]:
                last_pair.pop(key, None)
                continue
            if last_pair.get(key) == pair:
                continue
            last_pair[key] = pair
            why = _why(key[0], entry.rulebook, previous, rulebook)
            shown = b or a
            assert shown is not None
            drift.findings.append(FindingChange(entry.seq, event_id, on.isoformat(), key[0], key[1], *pair,
                                                entry.rulebook, rulebook.version, dict(shown.message), tuple(why)))

    compare(entries[0], None, live.last_on, live.findings, live._judge(live.case))
    for entry in entries[1:]:
        if entry.kind not in ("event", "refusal"):
            continue
        recorded = EventResult.from_dict(entry.content, entry.seq, entry.hash)
        event = recorded.event
        now = live.preview(event)
        if now.accepted != recorded.accepted:
            drift.outcomes.append(OutcomeChange(entry.seq, event.id, event.on.isoformat(), event.kind, recorded.accepted,
                                                now.accepted, recorded.refused_rule_ids, now.refused_rule_ids,
                                                entry.rulebook, rulebook.version))
        if entry.kind == "event":
            try:
                after = apply_event(live.case, event)
            except EventDataError as exc:
                raise JournalError(f"entry {entry.seq}: recorded event {event.id} no longer applies: {exc}",
                                   seq=entry.seq, case_id=entry.case_id,
                                   zh=f"第 {entry.seq} 条记录：所记事件 {event.id} 已不能适用：{exc}") from None
            compare(entry, event.id, event.on, recorded.findings, live._judge(after))
        live._apply_recorded(entry)
    return drift


def _why(rule_id: str, old_version: str, previous: Rulebook | None, rulebook: Rulebook) -> list[str]:
    if previous is not None and previous.version == old_version:
        old = next((r for r in previous.rules if r.id == rule_id), None)
        new = next((r for r in rulebook.rules if r.id == rule_id), None)
        reasons = rule_differences(old, new)
        return reasons or [f"rule {rule_id} is defined the same; another part of the rulebook changed"]
    return [f"judged by rulebook {rulebook.version} instead of {old_version}"]


# -- export -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedCase:
    """A journaled case's record as it stands, rebuilt without judging (no rulebook needed)."""

    case: Case
    stage: str
    on: date
    events: int
    refusals: int
    head: str  # seq:hash of the case's last entry


def recorded_case(journal: Journal, case_id: str, *, verify: bool = True) -> RecordedCase:
    entries = _case_entries(journal, case_id, verify)
    with _reading(entries[0]):
        opening = entries[0].content
        case, stage, on = validate_case(opening["case"]), opening["stage"], date.fromisoformat(opening["on"])
    events = refusals = 0
    for entry in entries[1:]:
        if entry.kind == "refusal":
            refusals += 1
        if entry.kind != "event":
            continue
        with _reading(entry):
            event = Event.from_dict(entry.content["event"])
            stage = entry.content["stage"]
        try:
            case = apply_event(case, event)
        except EventDataError as exc:
            raise JournalError(f"entry {entry.seq}: recorded event {event.id} no longer applies: {exc}",
                               seq=entry.seq, case_id=entry.case_id,
                               zh=f"第 {entry.seq} 条记录：所记事件 {event.id} 已不能适用：{exc}") from None
        on, events = event.on, events + 1
    return RecordedCase(case, stage, on, events, refusals, str(entries[-1].receipt))


@contextmanager
def _reading(entry: Entry) -> Iterator[None]:
    """An entry whose content is not what this library records (a damaged journal exported with
    --no-verify, or a record the case model no longer accepts): a JournalError naming the entry."""
    try:
        yield
    except (CaseValidationError, KeyError, TypeError, ValueError) as exc:
        what = str(exc) if not isinstance(exc, KeyError) else f"no {exc}"
        raise JournalError(f"entry {entry.seq}: cannot be read as a recorded {entry.kind} ({what})",
                           seq=entry.seq, case_id=entry.case_id,
                           zh=f"第 {entry.seq} 条记录：无法作为所记的 {entry.kind} 读取（{what}）") from None


def export_case_data(journal: Journal, case_id: str, *, verify: bool = True) -> dict[str, Any]:
    """The case file `cadre-rules audit` reads: the live record (open, as of its last event), with the
    live stage and the journal position under meta.live (meta is never judged)."""
    rec = recorded_case(journal, case_id, verify=verify)
    data = rec.case.model_dump(mode="json", exclude_defaults=True)
    data["status"], data["as_of"] = rec.case.status, rec.case.as_of.isoformat() if rec.case.as_of else None
    meta = dict(data.get("meta") or {})
    meta["live"] = {"stage": rec.stage, "events": rec.events, "refusals": rec.refusals, "journal_head": rec.head}
    data["meta"] = meta
    return data


__all__ = ["Divergence", "Drift", "FindingChange", "OutcomeChange", "RecordedCase", "Replay", "export_case_data",
           "recorded_case", "rejudge", "replay", "rule_differences"]
