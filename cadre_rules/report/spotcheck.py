"""Spot checks: who is verified on their personal-matters report (个人有关事项报告查核), drawn reproducibly.

The sample has two parts:

* 重点核查 (targeted): every candidate proposed for promotion or further use in the year's cases
  (凡提必核) — not drawn, all of them — plus roster entries marked `targeted`;
* 随机核查 (random): a sample of everyone else in the population — the members of the deciding
  bodies and the other candidates of the year's cases, plus an optional roster of cadres — of
  `size` people, or `rate` of them rounded up (default 10%).

The draw is a keyed ranking: each person's rank is SHA-256 of "<seed>|<key>", and the `size` lowest
ranks are drawn. Anyone with the seed and the population can re-draw it and check it, on any machine
and Python version, and a person's chance does not depend on the order the input was read in. The
seed is printed with the population (and its fingerprint), the sample and the exact command that
re-draws it.

People are identified by keys made of ids, never of names: `<body id>/<member id>` for a member,
`<case id>/<candidate id>` for a candidate, or `id:` and a hash of the identity number when the case
records one (so the same person in several cases is one person). Names are never printed; a key is
as free of personal data as the ids it is made of (a case id `2021-马俊杰-001` is not, which is why
`import lrmx` no longer makes case ids from the form's file name), and the `id:` hash is a
pseudonym that anyone who knows the identity number can compute (docs/reports.md, "Spot checks").
How keys are formed and ranked is what makes a recorded draw reproducible: it does not change.
"""
from __future__ import annotations

import hashlib
import json
import math
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from cadre_rules.audit.batch import valid_cases
from cadre_rules.report.redact import without_names
from cadre_rules.errors import RosterError, os_reason
from cadre_rules.reading.cases import RawCase
from cadre_rules.model import Case
from cadre_rules.report.model import case_year
from cadre_rules.reading.yamlmarks import safe_load
from cadre_rules.report.controls import shown

DEFAULT_RATE = 0.10
TARGETED_MOVES = ("promotion", "further_use")


def person_key(id_number: str | None, fallback: str) -> str:
    if id_number:
        return "id:" + hashlib.sha256(id_number.strip().upper().encode()).hexdigest()[:16]
    return fallback


@dataclass
class Person:
    key: str
    roles: set[str] = field(default_factory=set)  # member | candidate | roster
    cases: set[str] = field(default_factory=set)
    targeted: list[str] = field(default_factory=list)  # why this person is checked in any case

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "roles": sorted(self.roles), "cases": sorted(self.cases),
                "targeted": sorted(set(self.targeted))}


@dataclass
class Population:
    year: int | None
    organisation: str | None
    people: dict[str, Person] = field(default_factory=dict)
    cases: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # inputs that did not validate

    def person(self, key: str) -> Person:
        return self.people.setdefault(key, Person(key))

    def add_case(self, case: Case) -> None:
        self.cases.append(case.id)
        for m in case.body.members:
            p = self.person(person_key(m.id_number, f"{case.body.id}/{m.id}"))
            p.roles.add("member")
            p.cases.add(case.id)
        for c in case.candidates:
            p = self.person(person_key(c.id_number, f"{case.id}/{c.id}"))
            p.roles.add("candidate")
            p.cases.add(case.id)
            if case.move.value in TARGETED_MOVES:
                p.targeted.append(f"{case.move.value} {case.id}")

    def add_roster(self, entries: list[dict[str, Any]], source: str) -> None:
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("key"), str) or not entry["key"].strip():
                raise RosterError(f"{source}: entry {i + 1}: expected a mapping with a text `key`",
                                  zh=f"{source}：第 {i + 1} 项：应为带文字 `key` 的映射")
            p = self.person(entry["key"].strip())
            p.roles.add("roster")
            if entry.get("targeted"):
                p.targeted.append(str(entry.get("reason") or f"roster {source}"))

    @property
    def fingerprint(self) -> str:
        return "sha256:" + hashlib.sha256("\n".join(sorted(self.people)).encode()).hexdigest()[:32]


def build_population(raws: Iterable[RawCase], year: int | None = None, organisation: str | None = None) -> Population:
    """The people of the cases of `organisation` (all if None) whose year is `year` (all if None)."""
    pop = Population(year, organisation)
    for case in valid_cases(raws, pop.skipped, without_names):
        if organisation is not None and case.organisation != organisation:
            continue
        if year is not None and case_year(case) != year:
            continue
        pop.add_case(case)
    return pop


def load_roster(path: str | Path) -> list[dict[str, Any]]:
    """The roster's people; RosterError naming the file (and the line) when it does not read. Why the
    YAML error is turned here: it is no ValueError, and a roster with a syntax error stopped
    `spotcheck` with an internal error (exit 4)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RosterError(f"{path}: cannot read: not UTF-8 ({exc.reason} at byte {exc.start})",
                          zh=f"{path}：无法读取：不是 UTF-8 编码（第 {exc.start} 字节：{exc.reason}）") from None
    except OSError as exc:
        reason = os_reason(exc)
        raise RosterError(f"{path}: cannot read: {reason.en}", zh=f"{path}：无法读取：{reason.zh}") from None
    try:
        data = json.loads(text) if str(path).endswith(".json") else safe_load(text)
    except json.JSONDecodeError as exc:
        raise RosterError(f"{path}: invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                          zh=f"{path}：JSON 格式错误：{exc.msg}（第 {exc.lineno} 行第 {exc.colno} 列）") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        where_zh = f"（第 {mark.line + 1} 行第 {mark.column + 1} 列）" if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc
        raise RosterError(f"{path}: invalid YAML: {problem}{where}",
                          zh=f"{path}：YAML 格式错误：{problem}{where_zh}") from None
    if isinstance(data, dict) and "people" in data:
        data = data["people"]
    if not isinstance(data, list):
        raise RosterError(f"{path}: expected a list of people (or a mapping with `people:`)",
                          zh=f"{path}：应为人员列表（或带 `people:` 的映射）")
    return data


def rank(seed: int, key: str) -> str:
    return hashlib.sha256(f"{seed}|{key}".encode()).hexdigest()


@dataclass
class Draw:
    seed: int
    population: Population
    rate: float | None
    size: int
    targeted: list[Person]
    random: list[tuple[str, Person]]  # (rank, person), in draw order

    def to_dict(self, command: str | None = None) -> dict[str, Any]:
        pop = self.population
        return {
            "kind": "personal-matters spot check",
            "seed": self.seed, "year": pop.year, "organisation": pop.organisation,
            "rate": self.rate, "size": self.size,
            "population": {"count": len(pop.people), "fingerprint": pop.fingerprint, "cases": pop.cases,
                           "people": [pop.people[k].to_dict() for k in sorted(pop.people)],
                           "skipped_inputs": pop.skipped},
            "targeted": [p.to_dict() for p in self.targeted],
            "random": [{**p.to_dict(), "rank": r} for r, p in self.random],
            "command": command,
        }


def draw(population: Population, seed: int | None = None, rate: float | None = None, size: int | None = None) -> Draw:
    """Targeted people, and a random sample of the rest of `size` (or `rate`, rounded up; default 10%)."""
    if seed is None:
        seed = secrets.randbelow(2**31)
    targeted = sorted((p for p in population.people.values() if p.targeted), key=lambda p: p.key)
    rest = [p for p in population.people.values() if not p.targeted]
    if size is None:
        rate = DEFAULT_RATE if rate is None else rate
        size = math.ceil(rate * len(rest))
    size = min(size, len(rest))
    ranked = sorted((rank(seed, p.key), p) for p in rest)
    return Draw(seed, population, rate, size, targeted, ranked[:size])


def render_text(d: Draw, command: str) -> str:
    pop = d.population
    scope = f"{pop.year if pop.year is not None else '所有年度'} · {pop.organisation or '所有单位'}"
    lines = [
        "个人有关事项报告查核抽样 / personal-matters verification sample",
        f"seed: {d.seed}",
        f"scope: {scope} ({len(pop.cases)} cases)",
        f"population: {len(pop.people)} people, fingerprint {pop.fingerprint}",
    ]
    lines += [f"  {p.key}  [{', '.join(sorted(p.roles))}]  cases: {', '.join(sorted(p.cases)) or '—'}"
              for p in (pop.people[k] for k in sorted(pop.people))]
    lines.append(f"targeted (重点核查, 凡提必核): {len(d.targeted)}")
    lines += [f"  {p.key}  ({'; '.join(sorted(set(p.targeted)))})" for p in d.targeted]
    rest = len(pop.people) - len(d.targeted)
    how = f"rate {d.rate:.0%} of {rest}, rounded up" if d.rate is not None else f"size {d.size} of {rest}"
    lines.append(f"random (随机核查): {len(d.random)} ({how})")
    lines += [f"  {i}. {p.key}  rank {r[:12]}" for i, (r, p) in enumerate(d.random, start=1)]
    if pop.skipped:
        lines.append(f"inputs not used (invalid): {len(pop.skipped)}")
        lines += [f"  {s}" for s in pop.skipped]
    lines.append(f"re-draw: {command}")
    return shown("\n".join(lines) + "\n")
