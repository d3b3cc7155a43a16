"""Layered rulebooks: a local rulebook that extends another (the national one, or another layer).

Why: a province or a city has rules of its own on top of the central ones — a stricter deadline, a
binding severity, a rule the centre does not have. Copying the whole national rulebook to change
three lines means the copy silently falls behind every national correction. A layer names what it
builds on (`extends`) and says only what differs; everything else stays the base's, and moves
with it.

A layer is a directory with a `rulebook.yaml` manifest and rule files of its own:

    id: example-city
    title: {zh: 示例市, en: Example city}
    extends: national              # the bundled rulebook, a directory (relative to this file), or an
                                   # installed rulebook's name (entry point group cadre_rules.rulebooks)
    profile: example-province      # the base's profile to start from (default: national)
    overrides:                     # severities and parameters, as in a profile
      RPT-FILING: {severity: violation, parameters: {deadline_workdays: 5}}
    disable:                       # a rule is disabled only with a recorded reason
      MOT-ANALYSIS: {reason: "…", source: "市委组织部2024年第3号通知"}

Every other `*.yaml` in the directory (outside `profiles/`) is a rule file, read exactly as the
base's: the new rules cite the base's editions and sources and use its stages. A new rule may not
reuse a base rule's id (change a rule with `overrides`, or disable it and add one with a new id);
a rule that guards a workflow transition cannot be disabled. Every problem is reported as
`file:line: RULE-ID: message`, and the layered rulebook is refused whole, like any rulebook.

An installed rulebook is a Python package declaring an entry point in the group
`cadre_rules.rulebooks` whose object is the layer's directory: a path, a package (its directory),
or a function returning either. `--rules NAME` and `extends: NAME` find it by that name.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable

from cadre_rules.errors import ErrorKind, Problem, Said
from cadre_rules.reading.yamlmarks import MarkedDict, line_of
from cadre_rules.rulebook.loader import (
    _Collector,
    _read_yaml,
    apply_overrides,
    apply_profile,
    bundled_rules_dir,
    is_profile,
    load_rule_files,
    rulebook_files,
    unknown_rule,
    version_hash,
)
from cadre_rules.rulebook.model import LoadError, RulebookError

if TYPE_CHECKING:
    from cadre_rules.rulebook import Rulebook

MANIFEST = "rulebook.yaml"
ENTRY_POINT_GROUP = "cadre_rules.rulebooks"
BUNDLED = "national"
MANIFEST_KEYS = {"id", "title", "extends", "profile", "overrides", "disable", "notes"}
DISABLE_KEYS = {"reason", "approved_by", "source", "date"}


@dataclass(frozen=True)
class DisabledRule:
    """A rule a layer switched off, and why (the reason is required: it is part of the audit trail)."""

    rule_id: str
    reason: str
    layer: str  # the id of the layer that disabled it
    file: str
    line: int
    approved_by: str | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "reason": self.reason, "layer": self.layer,
                "where": f"{self.file}:{self.line}", "approved_by": self.approved_by, "source": self.source}


def is_layer(root: Path) -> bool:
    return (root / MANIFEST).is_file()


def installed_rulebooks() -> dict[str, metadata.EntryPoint]:
    """The rulebooks installed as packages: entry point name → entry point."""
    return {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}


def _directory_of(obj: Any) -> Path | None:
    if callable(obj) and not isinstance(obj, ModuleType):
        obj = obj()
    if isinstance(obj, ModuleType):
        file = getattr(obj, "__file__", None)
        return Path(file).parent if file else None
    if isinstance(obj, (str, os.PathLike)):
        return Path(obj)
    return None


def resolve(name: str | os.PathLike[str], relative_to: Path | None = None) -> Path:
    """The directory of a rulebook given as a directory (relative to `relative_to` when given), as
    `national` (the bundled one) or as the name of an installed rulebook. RulebookError otherwise,
    naming the installed rulebooks and the nearest one."""
    text = os.fspath(name)
    candidates = [Path(text)] if relative_to is None else [relative_to / text, Path(text)]
    for path in candidates:
        if path.is_dir():
            return path
    if text == BUNDLED:
        return bundled_rules_dir()
    installed = installed_rulebooks()
    if text in installed:
        try:
            directory = _directory_of(installed[text].load())
        except Exception as exc:  # a broken package: say which, never a traceback
            raise RulebookError([LoadError(text, 0, None, Problem(
                ErrorKind.rule_installed_broken, name=repr(text), value=installed[text].value,
                type=type(exc).__name__, detail=Said(str(exc), f"“{exc}”")))]) from None
        if directory is None or not directory.is_dir():
            raise RulebookError([LoadError(text, 0, None, Problem(ErrorKind.rule_installed_not_directory,
                                                                  name=repr(text), value=installed[text].value))])
        return directory
    near = difflib.get_close_matches(text, [BUNDLED, *installed], n=1)
    known = ", ".join(sorted([BUNDLED, *installed]))
    hint = Said(f"; did you mean {near[0]!r}?", f"（是否应为 {near[0]!r}？）") if near else ""
    raise RulebookError([LoadError(text, 0, None, Problem(ErrorKind.rule_not_found, known=known, near=hint))])


def load_layer(root: Path, profile: str, load_base: Callable[..., "Rulebook"], seen: tuple[Path, ...]) -> "Rulebook":
    """The base rulebook with this layer's rules, overrides and disabled rules applied."""
    from cadre_rules.rulebook import Rulebook

    errs = _Collector()

    def shown(p: Path) -> str:
        return (Path(root.name) / p.relative_to(root)).as_posix()

    manifest_path = root / MANIFEST
    display = shown(manifest_path)
    data = _read_yaml(manifest_path, display, errs)
    if not isinstance(data, MarkedDict):
        if data is not None or not errs.errors:
            errs.add(display, line_of(data), None, Problem(ErrorKind.rule_manifest_shape))
        raise RulebookError(errs.errors)
    for key in data:
        if key not in MANIFEST_KEYS:
            near = difflib.get_close_matches(str(key), sorted(MANIFEST_KEYS), n=1)
            hint = Said(f" (did you mean {near[0]!r}?)", f"（是否应为 {near[0]!r}？）") if near else ""
            errs.add(display, line_of(data, key), None, Problem(ErrorKind.rule_manifest_unknown_key, key=repr(key), near=hint))
    layer_id, extends = data.get("id"), data.get("extends")
    if not isinstance(layer_id, str) or not layer_id.strip():
        errs.add(display, line_of(data, "id"), None, Problem(ErrorKind.rule_layer_id))
        layer_id = root.name
    if not isinstance(extends, str) or not extends.strip():
        errs.add(display, line_of(data, "extends"), None, Problem(ErrorKind.rule_layer_extends))
    base_profile = data.get("profile", "national")
    if not isinstance(base_profile, str):
        errs.add(display, line_of(data, "profile"), None, Problem(ErrorKind.rule_layer_profile))
        base_profile = "national"
    if errs.errors:
        raise RulebookError(errs.errors)
    try:
        base_root = resolve(extends, relative_to=root)
    except RulebookError as exc:
        raise RulebookError([LoadError(display, line_of(data, "extends"), None, e.message) for e in exc.errors]) from None
    if base_root.resolve() in seen:
        raise RulebookError([LoadError(display, line_of(data, "extends"), None,
                                       Problem(ErrorKind.rule_layer_cycle, extends=repr(extends)))])
    base = load_base(base_root, base_profile, seen + (root.resolve(),))

    # the layer's own rules, read against the base's editions, stages and sources
    files = [p for p in rulebook_files(root) if p != manifest_path and "profiles" not in p.relative_to(root).parts]
    added = load_rule_files([(p, shown(p)) for p in files], base.editions, set(base.stages.titles), errs, base.legend)
    base_ids = {r.id: r for r in base.rules}
    fresh = []
    for rule in added:
        if rule.id in base_ids:
            first = base_ids[rule.id]
            errs.add(rule.file, rule.line, rule.id, Problem(ErrorKind.rule_base_has_rule, first=f"{first.file}:{first.line}"))
        else:
            fresh.append(rule)
    rules = apply_overrides([*base.rules, *fresh], data, display, errs, "layer")
    rules, disabled = _disable(rules, data, display, layer_id, base, errs)
    name = layer_id
    if profile != "national":
        profile_path = root / "profiles" / f"{profile}.yaml"
        if is_profile(profile_path, profile):
            _, rules = apply_profile(rules, profile_path, shown(profile_path), errs)
            name = f"{layer_id}/{profile}"
        else:
            errs.add(f"{shown(root / 'profiles')}/{profile}.yaml", 0, None, Problem(ErrorKind.rule_unknown_profile, profile=repr(profile), why=Said(
                " (a layer's base profile is set by 'profile' in rulebook.yaml)",
                "（本层规则库所依据的基础配置由 `rulebook.yaml` 中的 `profile` 设定）")))
    if errs.errors:
        raise RulebookError(errs.errors)
    order = base.stages.order
    rules.sort(key=lambda r: (order[r.stage], r.id))
    # a layer keeps the base's register rules (docs/register.md) and may add its own
    register_rules = base.register_rules + tuple(r for r in rules if r.scope == "register")
    return Rulebook(root, tuple(r for r in rules if r.scope == "case"), base.editions, base.stages, name,
                    version_hash(root, profile, base.version), base.legend, disabled=base.disabled + tuple(disabled),
                    base=base.profile, register_rules=register_rules,
                    accountability=base.accountability, review_thresholds=base.review_thresholds)


def _disable(rules: list[Any], data: MarkedDict, display: str, layer_id: str, base: "Rulebook",
             errs: _Collector) -> tuple[list[Any], list[DisabledRule]]:
    entries = data.get("disable") or {}
    if not isinstance(entries, dict):
        errs.add(display, line_of(data, "disable"), None, Problem(ErrorKind.rule_disable_shape))
        return rules, []
    ids = [r.id for r in rules]
    guards = {g: (a, b) for a, b, d in base.stages.graph.edges(data=True) for g in d.get("guards", ())}
    disabled: list[DisabledRule] = []
    for rid, entry in entries.items():
        line = line_of(entries, rid)
        if rid not in ids:
            near = difflib.get_close_matches(str(rid), ids, n=1)
            errs.add(display, line, rid, unknown_rule("disable", near))
            continue
        if isinstance(entry, str):
            entry = {"reason": entry}
        reason = entry.get("reason") if isinstance(entry, dict) else None
        if not isinstance(reason, str) or not reason.strip():
            errs.add(display, line, rid, Problem(ErrorKind.rule_disable_reason))
            continue
        unknown = set(entry) - DISABLE_KEYS
        if unknown:
            errs.add(display, line, rid, Problem(ErrorKind.rule_disable_keys, keys=", ".join(sorted(map(str, unknown))),
                                                 known=", ".join(sorted(DISABLE_KEYS))))
            continue
        if rid in guards:
            a, b = guards[rid]
            errs.add(display, line, rid, Problem(ErrorKind.rule_disable_guard, source=a, target=b))
            continue
        disabled.append(DisabledRule(str(rid), reason.strip(), layer_id, display, line,
                                     _text(entry.get("approved_by")), _text(entry.get("source"))))
    off = {d.rule_id for d in disabled}
    return [r for r in rules if r.id not in off], disabled


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


