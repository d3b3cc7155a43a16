"""Running Gherkin scenarios in this process, through the step library, without pytest.

Why: mutation testing judges every scenario of a rule against dozens of changed rulebooks. Starting
pytest for each would take hours; here each scenario is read once (gherkin-official), its steps are
matched against the step definitions pytest-bdd registered (`cadre_rules.bdd.steps` and any other
module given), its case-building steps run once on a `SpecContext`, and only its expectations
(那么/Then steps, which read `SpecContext.findings`) run again for each change of the rules.

A scenario whose steps the library cannot run here (resolve raises LookupError) (an unknown step text, a step needing a fixture
other than `cadre_spec` and `request`) is reported as not runnable, never silently passed.
"""
from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Iterable

from cadre_rules.bdd.context import SpecContext
from cadre_rules.bdd.coverage import CoverageInputError, feature_files, parse_feature
from cadre_rules.bdd.vocabulary import RULE_ID

_KEYWORD_TYPES = {"Context": "given", "Action": "when", "Outcome": "then"}


@dataclass(frozen=True)
class Step:
    type: str  # given | when | then
    text: str
    line: int


@dataclass(frozen=True)
class Scenario:
    """One scenario (an outline gives one per example row), with every tag that applies to it."""

    feature: str  # relative to the features directory
    path: Path
    name: str
    line: int
    tags: tuple[str, ...]
    steps: tuple[Step, ...]

    @property
    def where(self) -> str:
        return f"{self.feature}:{self.line}"

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(t for t in self.tags if re.fullmatch(RULE_ID, t))


def read_scenarios(features_dir: str | Path) -> list[Scenario]:
    """Every scenario under `features_dir`, outlines expanded row by row, background steps included."""
    base = Path(features_dir)
    if not base.is_dir():
        raise CoverageInputError(f"features directory not found: {base}")
    out: list[Scenario] = []
    for path in feature_files(base):
        shown = path.relative_to(base).as_posix()
        document, why = parse_feature(path)
        if document is None:
            raise CoverageInputError(f"{shown}: {why}")
        feature = document.get("feature")
        if feature:
            out += _visit(feature.get("children", []), _tags(feature), [], path, shown)
    return out


def _tags(node: dict[str, Any]) -> list[str]:
    return [t["name"].lstrip("@") for t in node.get("tags", [])]


def _steps(raw: Iterable[dict[str, Any]], previous: str = "given") -> list[Step]:
    out = []
    for s in raw:
        kind = _KEYWORD_TYPES.get(s.get("keywordType", ""), previous)
        out.append(Step(kind, s["text"], s["location"]["line"]))
        previous = kind
    return out


def _visit(children: list[dict[str, Any]], tags: list[str], background: list[Step], path: Path,
           shown: str) -> list[Scenario]:
    out: list[Scenario] = []
    background = background + [s for c in children if "background" in c for s in _steps(c["background"].get("steps", []))]
    for child in children:
        if "rule" in child:
            rule = child["rule"]
            out += _visit(rule.get("children", []), tags + _tags(rule), background, path, shown)
        elif "scenario" in child:
            sc = child["scenario"]
            own = tags + _tags(sc)
            steps = _steps(sc.get("steps", []), background[-1].type if background else "given")
            blocks = sc.get("examples") or []
            if not blocks:
                out.append(Scenario(shown, path, sc["name"], sc["location"]["line"], tuple(dict.fromkeys(own)),
                                    tuple(background + steps)))
            for block in blocks:
                header = [c["value"] for c in (block.get("tableHeader") or {}).get("cells", [])]
                for row in block.get("tableBody") or []:
                    values = dict(zip(header, (c["value"] for c in row["cells"])))
                    filled = [Step(s.type, _fill(s.text, values), s.line) for s in steps]
                    out.append(Scenario(shown, path, f"{sc['name']} [{', '.join(values.values())}]",
                                        row["location"]["line"], tuple(dict.fromkeys(own + _tags(block))),
                                        tuple(background + filled)))
    return out


def _fill(text: str, values: dict[str, str]) -> str:
    return re.sub(r"<([^<>]+)>", lambda m: values.get(m.group(1), m.group(0)), text)


class StepLibrary:
    """The step definitions pytest-bdd registered from the given modules, matched like pytest-bdd does
    (typed definitions for their keyword, untyped ones for any)."""

    def __init__(self, modules: Iterable[str] = ("cadre_rules.bdd.steps",)) -> None:
        from pytest_bdd.steps import step_function_context_registry

        names = set()
        for name in modules:
            names.add(importlib.import_module(name).__name__)
        self.definitions = [ctx for ctx in step_function_context_registry.values()
                            if getattr(ctx.step_func, "__module__", None) in names]
        self._cache: dict[tuple[str, str], tuple[Callable[..., Any], dict[str, Any]]] = {}

    def resolve(self, step: Step) -> tuple[Callable[..., Any], dict[str, Any]]:
        key = (step.type, step.text)
        if key not in self._cache:
            for ctx in self.definitions:
                if ctx.type not in (None, step.type):
                    continue
                args = ctx.parser.parse_arguments(step.text)
                if args is not None:
                    args = {k: ctx.converters[k](v) if k in ctx.converters else v for k, v in args.items()}
                    params = inspect.signature(ctx.step_func).parameters
                    unsupported = [p for p in params if p not in args and p not in ("cadre_spec", "request")
                                   and params[p].default is inspect.Parameter.empty]
                    if unsupported:
                        raise LookupError(f"step {step.text!r} needs fixtures {unsupported} (only cadre_spec and request run in-process)")
                    self._cache[key] = (ctx.step_func, {k: v for k, v in args.items() if k in params})
                    break
            else:
                raise LookupError(f"no step definition matches {step.type} {step.text!r}")
        return self._cache[key]

    def run(self, step: Step, spec: SpecContext, scenario: Scenario) -> None:
        func, args = self.resolve(step)
        params = inspect.signature(func).parameters
        extra: dict[str, Any] = {}
        if "cadre_spec" in params:
            extra["cadre_spec"] = spec
        if "request" in params:
            extra["request"] = _request_for(scenario)
        func(**extra, **args)


def _request_for(scenario: Scenario) -> Any:
    """What the steps read of pytest's `request`: the feature file (paths in steps are relative to it)."""
    from cadre_rules.bdd.steps import FEATURE_FILE

    stash = {FEATURE_FILE: str(scenario.path)}
    return SimpleNamespace(node=SimpleNamespace(stash=stash), config=SimpleNamespace(rootpath=scenario.path.parent))


@dataclass
class Prepared:
    """A scenario whose case-building steps have run: its context, and its expectations to run again."""

    scenario: Scenario
    spec: SpecContext
    expectations: list[Step]
    error: str | None = None  # why it cannot be used (not runnable, or fails on the unchanged rules)
    replay: bool = False  # a case-building step follows an expectation: run it whole each time
    extras: dict[str, Any] = field(default_factory=dict)


def prepare(scenario: Scenario, library: StepLibrary, make_spec: Callable[[], SpecContext]) -> Prepared:
    """Run the case-building steps once and the expectations on the unchanged rules (they must pass)."""
    spec = make_spec()
    steps = list(scenario.steps)
    first_then = next((i for i, s in enumerate(steps) if s.type == "then"), len(steps))
    building, expectations = steps[:first_then], steps[first_then:]
    replay = any(s.type != "then" for s in expectations)
    prepared = Prepared(scenario, spec, list(steps) if replay else expectations, replay=replay)
    try:
        for s in steps:
            library.resolve(s)
    except LookupError as exc:  # raised only by resolve: a step this library cannot run here
        prepared.error = f"not runnable in-process: {exc}"
        return prepared
    try:
        for s in building:
            library.run(s, spec, scenario)
        for s in expectations:
            library.run(s, spec, scenario)
    except AssertionError as exc:
        prepared.error = f"fails on the unchanged rules: {(str(exc) or 'assertion failed').splitlines()[0]}"
    except Exception as exc:  # noqa: BLE001 - a step that raises is a broken scenario, reported with the others
        prepared.error = f"a step raises {type(exc).__name__}: {exc}"
    return prepared


def passes(prepared: Prepared, library: StepLibrary, make_spec: Callable[[], SpecContext]) -> str | None:
    """Run the expectations again (the whole scenario when it interleaves); None if they hold, else
    the first failure's first line."""
    spec = prepared.spec
    steps = prepared.expectations
    if prepared.replay:
        spec = make_spec()
    try:
        for s in steps:
            library.run(s, spec, prepared.scenario)
    except AssertionError as exc:
        return str(exc).splitlines()[0] if str(exc) else "assertion failed"
    return None


__all__ = ["Prepared", "Scenario", "Step", "StepLibrary", "passes", "prepare", "read_scenarios"]
