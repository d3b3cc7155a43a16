"""The rulebook: rule files, editions, the stage graph and a profile, loaded and validated as one;
or a layer extending another rulebook (rulebook/layers.py)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from cadre_rules.errors import ErrorKind, Problem, Said
from cadre_rules.rulebook.cache import cached
from cadre_rules.rulebook.stages import StageGraph, build_stage_graph
from cadre_rules.rulebook.loader import (
    _Collector,
    _read_yaml,
    apply_profile,
    bundled_rules_dir,
    load_editions,
    load_rule_files,
    rulebook_files,
    version_hash,
)
from cadre_rules.rulebook.layers import DisabledRule, installed_rulebooks, is_layer, load_layer, resolve
from cadre_rules.rulebook.legend import FILES as LEGEND_FILES, Legend, OpenQuestion, Source, load_legend
from cadre_rules.rulebook.loader import _citation, is_profile, malformed
from cadre_rules.rulebook.supervision import (
    ACCOUNTABILITY_FILE,
    FILES as SUPERVISION_FILES,
    REVIEWS_FILE,
    AccountabilityMap,
    ReviewThreshold,
    apply_threshold_profile,
    load_accountability,
    load_review_thresholds,
)
from cadre_rules.rulebook.model import Citation, Edition, LoadError, Parameter, Rule, RulebookError


@dataclass(frozen=True)
class Rulebook:
    root: Path
    rules: tuple[Rule, ...]
    editions: Mapping[str, Edition]
    stages: StageGraph
    profile: str
    version: str
    legend: Legend = Legend()
    disabled: tuple[DisabledRule, ...] = ()  # rules layers switched off, each with its reason
    base: str | None = None  # for a layered rulebook: the profile (name) of the rulebook it extends
    # Rules with `scope: register` (docs/register.md): judged per unit of an organisation register, never per case.
    register_rules: tuple[Rule, ...] = ()
    accountability: AccountabilityMap = AccountabilityMap()  # rules/accountability.yaml
    review_thresholds: tuple[ReviewThreshold, ...] = ()  # rules/reviews.yaml

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    @property
    def ids(self) -> list[str]:
        return [r.id for r in self.rules]

    @property
    def waivable_ids(self) -> list[str]:
        """The rules a waiver may name: the case rules and the cross-case (register) rules, whose
        findings a waiver names by the unit's result id `register:<unit id>`."""
        return [*self.ids, *(r.id for r in self.register_rules)]


def load_rulebook(root: str | Path | None = None, profile: str = "national") -> Rulebook:
    """Load and validate a rulebook (the bundled one by default): a directory, or the name of an
    installed rulebook (entry point group `cadre_rules.rulebooks`).

    Layout: editions.yaml, workflow.yaml, profiles/<name>.yaml and rule files (any other *.yaml,
    each a mapping with a `rules:` list); or a layer — `rulebook.yaml` naming the rulebook it
    extends, with rule files of its own (rulebook/layers.py). Raises RulebookError listing every problem.

    A rulebook that loaded once is kept on disk and loaded from there while none of its files, the
    profile, the library and Python change (rulebook/cache.py; `CADRE_RULES_CACHE=off` turns it off).
    """
    try:
        base = bundled_rules_dir() if root is None else Path(root)
        if root is not None and not base.is_dir():
            base = resolve(root)
        if not base.is_dir() or is_layer(base):
            raise LookupError(base)
        files = rulebook_files(base)
    except Exception:  # an unknown name, a layer, an unreadable directory: the loader says what is wrong
        return _load(root, profile, ())
    return cached(base, files, profile, Rulebook, lambda: _load(base, profile, ()))


def _load(root: str | Path | None, profile: str, seen: tuple[Path, ...]) -> Rulebook:
    if root is None:
        base = bundled_rules_dir()
    else:
        base = Path(root)
        if not base.is_dir():
            base = resolve(root)  # `national`, or an installed rulebook's name
    if is_layer(base):
        return load_layer(base, profile, _load, seen)
    errs = _Collector()

    def shown(p: Path) -> str:
        return (Path(base.name) / p.relative_to(base)).as_posix()

    special = {base / "editions.yaml", base / "workflow.yaml"}
    for required in sorted(special):
        if not required.is_file():
            errs.add(shown(required), 0, None, Problem(ErrorKind.rule_file_missing))
    if errs.errors:
        raise RulebookError(errs.errors)
    def guarded(display: str, fallback, build, *args):
        """A file whose shape no check foresaw (a list where a name belongs) is an error at file, not a traceback."""
        try:
            return build(*args)
        except (TypeError, ValueError, AttributeError) as exc:
            errs.add(display, 0, None, malformed(Said("file", "文件"), exc))
            return fallback

    legend = guarded(shown(base / "sources.yaml"), Legend(), load_legend, base, shown,
                     lambda p, d: _read_yaml(p, d, errs), errs.add)
    editions = guarded(shown(base / "editions.yaml"), {}, load_editions, base / "editions.yaml",
                       shown(base / "editions.yaml"), errs, legend)
    stages = guarded(shown(base / "workflow.yaml"), None, lambda: build_stage_graph(
        _read_yaml(base / "workflow.yaml", shown(base / "workflow.yaml"), errs), shown(base / "workflow.yaml"), errs.add))
    special |= {base / name for name in LEGEND_FILES} | {base / name for name in SUPERVISION_FILES}
    rule_files = [p for p in rulebook_files(base) if p not in special and "profiles" not in p.relative_to(base).parts]
    rules = load_rule_files([(p, shown(p)) for p in rule_files], editions, set(stages.titles) if stages else set(), errs,
                            legend)
    # A rule that is written but has an error is reported once, at its file: the workflow's guards and the
    # accountability map that name it are not also told it "is not a rule" / "unknown rule id".
    written = {r.id for r in rules} | {e.rule_id for e in errs.errors if e.rule_id}
    profile_path = base / "profiles" / f"{profile}.yaml"
    if not is_profile(profile_path, profile):
        errs.add(f"{shown(base / 'profiles')}/{profile}.yaml", 0, None,
                 Problem(ErrorKind.rule_unknown_profile, profile=repr(profile), why=""))
    else:
        profile, rules = guarded(shown(profile_path), (profile, rules), apply_profile, rules, profile_path,
                                 shown(profile_path), errs)
    if stages:
        known = written
        for a, b, data in stages.graph.edges(data=True):
            for guard in data.get("guards", ()):
                if guard not in known:
                    errs.add(shown(base / "workflow.yaml"), data.get("line", 0), guard,
                             Problem(ErrorKind.rule_guard_not_rule, source=a, target=b))

    def cite(entry, display, context):
        return _citation(entry, display, context, editions, errs, legend)

    accountability, thresholds = AccountabilityMap(), ()
    if (base / ACCOUNTABILITY_FILE).is_file():
        shown_file = shown(base / ACCOUNTABILITY_FILE)
        accountability = guarded(shown_file, AccountabilityMap(), load_accountability,
                                 _read_yaml(base / ACCOUNTABILITY_FILE, shown_file, errs), shown_file, editions,
                                 written, set(stages.titles) if stages else set(), cite, errs.add)
    if (base / REVIEWS_FILE).is_file():
        shown_file = shown(base / REVIEWS_FILE)
        thresholds = guarded(shown_file, (), load_review_thresholds, _read_yaml(base / REVIEWS_FILE, shown_file, errs),
                             shown_file, cite, errs.add)
        if is_profile(profile_path, profile):  # the figures the instruments leave open are the profile's to set
            thresholds = guarded(shown(profile_path), thresholds, apply_threshold_profile, thresholds,
                                 _read_yaml(profile_path, shown(profile_path), errs), shown(profile_path), errs.add)
    if errs.errors or stages is None:
        raise RulebookError(errs.errors)
    order = stages.order
    rules.sort(key=lambda r: (order[r.stage], r.id))
    case_rules = tuple(r for r in rules if r.scope == "case")
    register_rules = tuple(r for r in rules if r.scope == "register")
    return Rulebook(base, case_rules, editions, stages, profile, version_hash(base, profile), legend,
                    register_rules=register_rules, accountability=accountability, review_thresholds=thresholds)


__all__ = ["AccountabilityMap", "ReviewThreshold", "Citation", "DisabledRule", "Edition", "Legend", "installed_rulebooks", "OpenQuestion", "Source", "LoadError", "Parameter", "Rule", "Rulebook", "RulebookError", "load_rulebook",
           "bundled_rules_dir"]
