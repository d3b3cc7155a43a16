"""Waivers: an approved, dated exception that turns a violated finding into a `waived` one.

A waiver file is YAML, a list of waivers (or a mapping with a `waivers:` list)::

    waivers:
      - case: 2021-qx-czj-001          # case id
        rule: DEC-QUORUM               # rule id (must exist in the rulebook)
        rulebook_version: 8413301162f14f71   # optional: only for findings of this rulebook version
        approver: 市委组织部干部监督处
        reason: 经上级组织部门复核，缺席成员书面意见已附卷
        expires: 2025-12-31            # last day the waiver applies
        granted: 2025-01-10            # optional

A waiver binds one case and one rule: every `violated` finding of that rule in that case becomes
`waived` (still shown, the original verdict kept in `waived_from`, the waiver in `waiver`), and no
longer counts toward exit status 1. Pending and unknown findings are never waived.

A waiver stops applying — and the finding stays `violated`, flagged with the waiver and its status —
when it has expired (`expires` is before the audit's reference date, `--as-of`) or when it names a
rulebook version other than the one auditing (`version-mismatch`). A waiver naming a rule the
rulebook does not have, or a malformed waiver, is an error with `file:line`; so is a waiver whose case
is not among the audited cases (known only once every case has been read).

The units of an organisation register are judged as results `register:<unit id>` (docs/register.md);
a waiver naming such an id and a register rule applies to that unit's cross-case findings alike.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any, Collection, Iterable

import yaml

from cadre_rules.reading.yamlmarks import as_date as _as_date
from cadre_rules.codes import ReportMark
from cadre_rules.engine.findings import Finding
from cadre_rules.errors import ErrorKind, Problem, Said, WaiverError, os_reason, yaml_complaint
from cadre_rules.reading.yamlmarks import MarkedDict, line_of, load_marked

ACTIVE, EXPIRED, VERSION_MISMATCH = "active", "expired", "version-mismatch"
_FIELDS = {"case", "rule", "rulebook_version", "approver", "reason", "expires", "granted"}
_REQUIRED = ("case", "rule", "approver", "reason", "expires")


@dataclass(frozen=True)
class Waiver:
    case: str
    rule: str
    approver: str
    reason: str
    expires: date
    rulebook_version: str | None = None
    granted: date | None = None
    file: str = ""
    line: int = 0

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def status(self, as_of: date, rulebook_version: str) -> str:
        if self.rulebook_version is not None and self.rulebook_version != rulebook_version:
            return VERSION_MISMATCH
        if self.expires < as_of:
            return EXPIRED
        return ACTIVE

    def describe(self, status: str) -> dict[str, Any]:
        return {"approver": self.approver, "reason": self.reason, "expires": self.expires.isoformat(),
                "granted": self.granted.isoformat() if self.granted else None,
                "rulebook_version": self.rulebook_version, "status": status, "source": self.where}


@dataclass(frozen=True)
class WaivedFinding(Finding):
    """A finding a waiver spoke to: `waived` (verdict kept in `waived_from`), or still violated with the
    waiver that no longer applies (`waiver.status` expired or version-mismatch, `waived_from` null)."""

    waived_from: str | None = None
    waiver: dict[str, Any] | None = None


@dataclass(frozen=True)
class WaiverEvent:
    """What one waiver did to one case: for the summary and the end-of-run checks."""

    where: str
    status: str  # active | expired | version-mismatch
    findings: int


class WaiverSet:
    def __init__(self, waivers: Iterable[Waiver]) -> None:
        self.waivers = list(waivers)
        self.index = {(w.case, w.rule): w for w in self.waivers}
        self.cases = {w.case for w in self.waivers}

    def __len__(self) -> int:
        return len(self.waivers)

    def apply(self, case_id: str | None, findings: list[Finding], as_of: date,
              rulebook_version: str) -> tuple[list[Finding], list[WaiverEvent]]:
        """The findings with waivers applied, and what each matching waiver did."""
        if case_id not in self.cases:
            return findings, []
        out: list[Finding] = []
        hits: dict[str, list[Any]] = {}
        for f in findings:
            waiver = self.index.get((case_id, f.rule_id))
            if waiver is None or f.verdict != "violated":
                out.append(f)
                continue
            status = waiver.status(as_of, rulebook_version)
            base = {fl.name: getattr(f, fl.name) for fl in fields(Finding)}
            if status == ACTIVE:
                base["verdict"] = ReportMark.waived
                out.append(WaivedFinding(**base, waived_from=f.verdict, waiver=waiver.describe(status)))
            else:
                out.append(WaivedFinding(**base, waived_from=None, waiver=waiver.describe(status)))
            hit = hits.setdefault(waiver.where, [status, 0])
            hit[1] += 1
        return out, [WaiverEvent(where, status, n) for where, (status, n) in hits.items()]

    def unknown_case_problems(self, seen: Collection[str], label: str | None = None) -> list[tuple[str, Problem]]:
        """(file:line, problem) for each waiver whose case was not among the audited cases. `label`,
        when given, is said instead of the case id (--redact: no audited case tells whose names it may hold)."""
        return [(w.where, Problem(ErrorKind.waiver_unknown_case, case=label if label is not None else w.case))
                for w in self.waivers if w.case not in seen]

    def unknown_cases(self, seen: Collection[str], lang: str = "en", label: str | None = None) -> list[str]:
        """Those problems as `file:line: message` lines, in `lang`."""
        return [f"{where}: {problem.text(lang)}" for where, problem in self.unknown_case_problems(seen, label)]

    def unused(self, seen: Collection[str], used: set[str]) -> list[Waiver]:
        """Waivers whose case was audited but had no violated finding of the waived rule."""
        return [w for w in self.waivers if w.case in seen and w.where not in used]


def load_waivers(path: str | Path, rule_ids: Iterable[str] | None = None) -> WaiverSet:
    """Read and check a waiver file; raises WaiverError listing every problem with file:line."""
    path = Path(path)
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else Said(str(exc), "不是 UTF-8 编码")
        raise WaiverError([(shown, Problem(ErrorKind.cannot_read, reason=Said(str(exc), reason.zh)))], shown) from None
    try:
        data = load_marked(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{shown}:{mark.line + 1}" if mark else shown
        problem = Problem(ErrorKind.invalid_yaml, detail=yaml_complaint(str(getattr(exc, "problem", None) or exc)))
        raise WaiverError([(where, problem)], shown) from None
    if isinstance(data, dict) and set(data) == {"waivers"}:
        data = data["waivers"]
    if data is None:
        data = []
    if not isinstance(data, list):
        raise WaiverError([(f"{shown}:{line_of(data) or 1}", Problem(ErrorKind.waivers_not_a_list))], shown)
    known = set(rule_ids) if rule_ids is not None else None
    problems: list[tuple[str, str]] = []
    waivers: list[Waiver] = []
    first: dict[tuple[str, str], int] = {}
    for number, entry in enumerate(data, start=1):
        line = line_of(entry) or line_of(data)
        if not isinstance(entry, MarkedDict):
            problems.append((f"{shown}:{line}", Problem(ErrorKind.waiver_not_a_mapping, number=number, fields=Said(
                ", ".join(_REQUIRED), "、".join(f"`{k}`" for k in _REQUIRED)))))
            continue
        errors: list[tuple[str, str]] = []
        for key in entry:
            if str(key) not in _FIELDS:
                errors.append((f"{shown}:{line_of(entry, str(key))}", Problem(
                    ErrorKind.waiver_unknown_field, key=repr(key),
                    known=Said(", ".join(sorted(_FIELDS)), "、".join(f"`{k}`" for k in sorted(_FIELDS))))))
        for key in _REQUIRED:
            if key not in entry or entry[key] in (None, ""):
                errors.append((f"{shown}:{line}", Problem(ErrorKind.waiver_field_required, number=number, key=key)))
        values: dict[str, Any] = {}
        for key in ("case", "rule", "approver", "reason", "rulebook_version"):
            if key in entry and entry[key] not in (None, ""):
                if not isinstance(entry[key], (str, int)) or isinstance(entry[key], bool):
                    errors.append((f"{shown}:{line_of(entry, key)}", Problem(ErrorKind.waiver_field_text, key=key)))
                else:
                    values[key] = str(entry[key]).strip()
        for key in ("expires", "granted"):
            if key in entry and entry[key] not in (None, ""):
                day = _as_date(entry[key])
                if day is None:
                    errors.append((f"{shown}:{line_of(entry, key)}",
                                   Problem(ErrorKind.waiver_field_date, key=key, value=repr(entry[key]))))
                values[key] = day
        if known is not None and "rule" in values and values["rule"] not in known:
            errors.append((f'{shown}:{line_of(entry, "rule")}', Problem(ErrorKind.waiver_unknown_rule, rule=values["rule"])))
        if not errors:
            key = (values["case"], values["rule"])
            if key in first:
                errors.append((f"{shown}:{line}", Problem(ErrorKind.waiver_duplicate, case=key[0], rule=key[1],
                                                          first=first[key])))
            else:
                first[key] = line
        if errors:
            problems.extend(errors)
            continue
        waivers.append(Waiver(values["case"], values["rule"], values["approver"], values["reason"], values["expires"],
                              values.get("rulebook_version"), values.get("granted"), shown, line))
    if problems:
        raise WaiverError(problems, shown)
    return WaiverSet(waivers)
