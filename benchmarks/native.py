"""EXPERIMENT (issue 18), benchmark-only: the library's generated Python compiled to native code by Cython.

Not a path of the library: nothing here is imported by cadre_rules, and the default behaviour is
unchanged. The benchmarks import it to measure what "generated code compiled to native code" (the
closing notes of issue 18) would buy; docs/performance.md, "Experiment: the generated code compiled
by Cython", has the figures.

How. The library compiles every generated source in one place (`cadre_rules/codecache.py`
`compile_source`), and its four callers `exec` the code object into a namespace of constants, then take
the functions out of it. Here:

1. `record()` replaces `compile_source` in those four modules by one that keeps each (file name,
   source) it is asked for; a recording run builds the rulebooks a benchmark builds.
2. `build(sources, out)` writes each distinct source as a *factory* into Cython modules:

       def f_<hash>(g):              # g: the namespace the caller would exec into
           K3 = g['K3']              # each global the source reads that is not a builtin
           def _generated(...):      # the source itself, unchanged, one level in
               ...
           return {'_generated': _generated}

   and compiles them (`cython -3`, plain Python mode, then gcc -O2 via setuptools, two processes). The
   globals become closure variables of the factory (the values are the namespace's, taken once); the
   builtins stay builtins (Cython's optimised `len`, `enumerate`, `isinstance`), and `install` refuses
   (falls back to Python) a namespace that shadows one the source reads.
3. `install(modules)` replaces `compile_source` by one returning a two-line stub whose `exec` into the
   caller's namespace calls the factory of that source with the namespace and puts its functions into
   it: the callers are not changed. A source with no factory (or top-level code other than `def`) is
   compiled by Python as today, and counted (`STATS`).

The generated functions call the facts layer's functions that are not inlined (facts/items.py, ...)
and the model's pydantic objects as before: only the generated code is native.

    .venv/bin/python benchmarks/native.py build --out /tmp/cadre-native   # record + compile (~minutes)
    .venv/bin/python benchmarks/native.py check --out /tmp/cadre-native   # findings identical?
"""
from __future__ import annotations

import argparse
import ast
import builtins
import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import symtable
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CALLERS = ("cadre_rules.facts.derive", "cadre_rules.facts.compose", "cadre_rules.engine.fused",
           "cadre_rules.engine.codegen")
STATS = {"native": 0, "python": 0, "missing": 0, "refused": 0}
_FACTORIES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}
_ORIGINAL: Callable[..., Any] | None = None
_BUILTINS = frozenset(dir(builtins))


def key(source: str, filename: str) -> str:
    return hashlib.sha256(f"{filename}\0{source}".encode()).hexdigest()[:24]


def _callers() -> list[Any]:
    import importlib

    return [importlib.import_module(name) for name in CALLERS]


def _patch(replacement: Callable[..., Any]) -> None:
    global _ORIGINAL
    import cadre_rules.codecache as codecache

    if _ORIGINAL is None:
        _ORIGINAL = codecache.compile_source
    for module in _callers():
        module.compile_source = replacement
    _forget()


def restore() -> None:
    """Back to the library's own `compile_source` (functions made meanwhile stay native)."""
    if _ORIGINAL is not None:
        for module in _callers():
            module.compile_source = _ORIGINAL
    _forget()


def _forget() -> None:
    """Drop the builders and derivations composed so far (lru caches), so the next rulebook built makes
    its functions through the current `compile_source`."""
    from cadre_rules.facts.compose import forget_builders

    forget_builders()


def record() -> list[tuple[str, str]]:
    """Keep every source compiled from now on (in a list returned now and filled later)."""
    seen: list[tuple[str, str]] = []
    original = _ORIGINAL or __import__("cadre_rules.codecache", fromlist=["x"]).compile_source

    def recording(source: str, filename: str) -> Any:
        seen.append((filename, source))
        return original(source, filename)

    _patch(recording)
    return seen


# ---------------------------------------------------------------------------------------- build


def analyse(source: str) -> tuple[list[str], list[str], list[str]] | None:
    """(top-level defs, globals read that are not builtins, builtins read) of a source, or None when its
    top level holds anything but function definitions (then it stays Python)."""
    tree = ast.parse(source)
    if not all(isinstance(stmt, ast.FunctionDef) for stmt in tree.body):
        return None
    if '"""' in source or "'''" in source:  # indenting a multi-line string would change it
        return None
    defs = [stmt.name for stmt in tree.body]
    names: set[str] = set()

    def walk(table: symtable.SymbolTable) -> None:
        for sym in table.get_symbols():
            if sym.is_global() or sym.is_declared_global():
                if sym.is_declared_global():
                    raise ValueError("a generated function declares a global")
                names.add(sym.get_name())
        for child in table.get_children():
            walk(child)

    for child in symtable.symtable(source, "<generated>", "exec").get_children():
        walk(child)
    names -= set(defs)
    return defs, sorted(names - _BUILTINS), sorted(names & _BUILTINS)


_FACT_LOCAL = re.compile(r"^    (?:\s*)(?:for (a_\d+) in |(a_\d+) = )")


def typed_facts(source: str) -> list[str]:
    """The source's lines with `cdef dict a_0, ...` after each top-level def: the rule matchers' aliases
    (`a_N`, bound by a loop over a fact pool or taken from the environment) are fact dictionaries, so
    `a_0['date']` can be Cython's direct dictionary lookup (a fact that is not an exact dict would
    raise TypeError: the identical-report check would show it)."""
    lines = source.splitlines()
    out: list[str] = []
    for n, line in enumerate(lines):
        out.append(line)
        if line.startswith("def "):
            body = []
            for later in lines[n + 1:]:
                if later.startswith("def "):
                    break
                body.append(later)
            names = sorted({m.group(1) or m.group(2) for m in map(_FACT_LOCAL.match, body) if m})
            if names:
                out.append(f"    cdef dict {', '.join(names)}")
    return out


def factory_source(name: str, source: str, defs: list[str], names: list[str], typed: bool = False) -> str:
    lines = [f"def {name}(g):"]
    lines += [f"    {n} = g[{n!r}]" for n in names]
    body = typed_facts(source) if typed else source.splitlines()
    lines += ["    " + line if line.strip() else line for line in body]
    lines.append("    return {" + ", ".join(f"{d!r}: {d}" for d in defs) + "}")
    return "\n".join(lines) + "\n"


def build(sources: list[tuple[str, str]], out: Path, parts: int = 2, annotate: bool = False,
          directives: str = "", cflags: str = "-O2", typed: bool = False) -> dict[str, Any]:
    """Write the distinct sources as factories into `parts` Cython modules under `out` and compile them;
    returns what was built and how long it took."""
    out.mkdir(parents=True, exist_ok=True)
    distinct: dict[str, tuple[str, str]] = {}
    for filename, source in sources:
        distinct.setdefault(key(source, filename), (filename, source))
    modules: list[list[str]] = [[] for _ in range(parts)]
    builtins_read: list[dict[str, list[str]]] = [{} for _ in range(parts)]
    skipped = 0
    lines_total = 0
    for n, (k, (filename, source)) in enumerate(sorted(distinct.items())):
        found = analyse(source)
        if found is None:
            skipped += 1
            continue
        defs, names, used = found
        part = n % parts
        modules[part].append(factory_source(f"f_{k}", source, defs, names, typed))
        builtins_read[part][k] = used
        lines_total += source.count("\n") + 1
    stamp = hashlib.sha256(f"{sorted(distinct)}{directives}{cflags}{typed}".encode()).hexdigest()[:8]
    names = []
    for part, bodies in enumerate(modules):
        name = f"cadre_native_{stamp}_{part}"
        names.append(name)
        header = f"# cython: language_level=3{directives}\n"
        table = "FACTORIES = {" + ", ".join(f"{k!r}: f_{k}" for k in builtins_read[part]) + "}\n"
        reads = f"BUILTINS_READ = {builtins_read[part]!r}\n"
        (out / f"{name}.pyx").write_text(header + "\n".join(bodies) + "\n" + table + reads, encoding="utf-8")
    setup = out / "setup_native.py"
    setup.write_text(
        "from setuptools import setup, Extension\nfrom Cython.Build import cythonize\n"
        f"exts = [Extension(n, [n + '.pyx'], extra_compile_args={cflags.split()!r}) for n in {names!r}]\n"
        f"setup(ext_modules=cythonize(exts, nthreads=2, annotate={annotate!r}, quiet=True))\n", encoding="utf-8")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(setup), "build_ext", "--inplace", "-j", "2"], cwd=out,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit("cython/gcc failed")
    info = {"modules": names, "sources": len(distinct), "compiled": len(distinct) - skipped, "skipped": skipped,
            "lines": lines_total, "seconds": round(seconds, 1),
            "so_bytes": sum(p.stat().st_size for p in out.glob("cadre_native_*.so"))}
    (out / "native.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    return info


# -------------------------------------------------------------------------------------- install


def load(out: Path) -> int:
    """Import the built modules of `out` (native.json) and keep their factories."""
    info = json.loads((out / "native.json").read_text(encoding="utf-8"))
    for name in info["modules"]:
        path = next(out.glob(f"{name}*.so"))
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        for k, factory in module.FACTORIES.items():
            _FACTORIES[k] = (factory, module.BUILTINS_READ[k])  # type: ignore[assignment]
    return len(_FACTORIES)


def _install(k: str, namespace: dict[str, Any], filename: str, source: str) -> None:
    """Called by the stub `exec`uted into a caller's namespace: the native functions of that source put
    into it, or the source compiled by Python as today when there are none or the namespace shadows a
    builtin the source reads."""
    found = _FACTORIES.get(k)
    if found is not None:
        factory, used = found  # type: ignore[misc]
        if all(n not in namespace or namespace[n] is getattr(builtins, n) for n in used):
            try:
                made = factory(namespace)
            except KeyError:
                made = None
            if made is not None:
                namespace.update(made)
                STATS["native"] += 1
                return
        STATS["refused"] += 1
    else:
        STATS["missing"] += 1
    STATS["python"] += 1
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - the library's own generated source


_SOURCES: dict[str, tuple[str, str]] = {}


def install(out: Path, only: str | None = None) -> None:
    """From now on the library's generated sources are made native (those built into `out`; with `only`,
    those whose file name matches that regular expression, e.g. `facts/` for the builders and the
    derivation, `^<cadre-rules [A-Z]|dispatch` for the rules)."""
    load(out)
    sys.modules.setdefault("cadre_native_hook", sys.modules[__name__])
    only = only if only is not None else os.environ.get("CADRE_NATIVE_ONLY") or None

    def native_compile(source: str, filename: str) -> Any:
        if only is not None and not re.search(only, filename):
            STATS["excluded"] = STATS.get("excluded", 0) + 1
            return compile(source, filename, "exec")
        k = key(source, filename)
        _SOURCES[k] = (filename, source)
        return compile(f"import cadre_native_hook as _h\n_h._install_by_key({k!r}, globals())\ndel _h\n",
                       "<cadre-native stub>", "exec")

    _patch(native_compile)


def _install_by_key(k: str, namespace: dict[str, Any]) -> None:
    filename, source = _SOURCES[k]
    _install(k, namespace, filename, source)


# ------------------------------------------------------------------------------ record + check


def corpus(n: int, seed: int = 2024) -> Path:
    import tempfile

    from cadre_rules.testing.synth import write_jsonl

    path = Path(tempfile.mkdtemp(prefix="cadre-native-")) / "corpus.jsonl"
    write_jsonl(path, n, seed, 0.3)
    return path


def exercise(path: Path, cases: int = 300) -> None:
    """Build what the benchmarks build (the whole rulebook's audit, the 16 rules of handwritten.py, the
    live check of bench_live.py) and run them on some cases, so that every generated source is made."""
    import dataclasses
    import io

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import handwritten

    from cadre_rules import load_rulebook
    from cadre_rules.audit import Auditor
    from cadre_rules.audit.batch import BatchOptions, CaseJudge
    from cadre_rules.reading.cases import iter_units, validate_case_json
    from cadre_rules.report.batch import AuditOptions, RenderCase

    units = list(iter_units([str(path)]))[:cases]
    judge = CaseJudge(BatchOptions(scope=True))
    render = RenderCase(AuditOptions(fmt="jsonl"), judge.rulebook)
    for unit in units:
        render(judge.judge_unit(unit))
    rulebook = load_rulebook()
    subset = Auditor(dataclasses.replace(rulebook, rules=tuple(r for r in rulebook.rules if r.id in handwritten.RULES)))
    for unit in units:
        subset.findings(validate_case_json(unit.text))
    try:
        import bench_live

        with io.StringIO() as sink:
            stdout, sys.stdout = sys.stdout, sink
            try:
                bench_live.main(["--iterations", "30", "--appends", "5", "--no-pin"])
                bench_live.main(["--all-events", "--all-iterations", "3", "--no-pin"])
            finally:
                sys.stdout = stdout
    except Exception as exc:  # noqa: BLE001 - the live path is optional for the experiment
        print(f"live path not exercised: {exc!r}", file=sys.stderr)


def audit_jsonl(path: Path) -> str:
    import io

    from cadre_rules.report.batch import AuditOptions, run_audit

    sink = io.StringIO()
    run_audit([str(path)], AuditOptions(fmt="jsonl"), sink)  # type: ignore[call-arg]
    return sink.getvalue()


PARTS = {"all": None, "facts": "facts/", "rules": "^<cadre-rules [A-Z]|dispatch", "none": "^$"}  # none: a control, today's code built again


def bench(variants: list[str], cases: int, repeat: int, what: str) -> None:
    """today's code and each variant (LABEL=DIR[:PART], PART one of PARTS) taking turns 50 cases at a
    time (bench_audit.fine_interleaved), CPU µs a case: the 16 rules of handwritten.py (their findings,
    and the hand-written checks) and/or the whole audit (`render(judge_unit(unit))`, and validate-only)."""
    import dataclasses
    from collections import Counter

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import handwritten
    from bench_audit import fine_interleaved

    from cadre_rules import load_rulebook
    from cadre_rules.audit import Auditor
    from cadre_rules.audit.batch import BatchOptions, CaseJudge
    from cadre_rules.reading.cases import case_from_json, iter_units, validate_case_json
    from cadre_rules.report.batch import AuditOptions, RenderCase

    units = list(iter_units([str(corpus(cases))]))
    valid = [validate_case_json(u.text) for u in units]
    rulebook = load_rulebook()
    sixteen = dataclasses.replace(rulebook, rules=tuple(r for r in rulebook.rules if r.id in handwritten.RULES))

    def make() -> tuple[Any, Any, Any]:
        judge = CaseJudge(BatchOptions(scope=True))
        return Auditor(dataclasses.replace(sixteen)), judge, RenderCase(AuditOptions(fmt="jsonl"), judge.rulebook)

    built = {"today": make()}
    for spec in variants:
        label, _, rest = spec.partition("=")
        folder, _, part = rest.partition(":")
        install(Path(folder), PARTS[part or "all"])
        built[label] = make()
        restore()
    print(f"variants: {list(built)}; {STATS}", file=sys.stderr)
    hw_runs: dict[str, Callable[[Any], Any]] = {"handwritten": handwritten.judge}
    audit_runs: dict[str, Callable[[Any], Any]] = {"validate-only": lambda i: case_from_json(units[i].text)}
    for label, (subset, judge, render) in built.items():
        for case in valid[:2000]:
            got = Counter((f.rule_id, f.verdict, f.severity, tuple(f.evidence)) for f in subset.findings(case))
            assert got == Counter(handwritten.judge(case)), (label, case.id)
        hw_runs[label] = subset.findings
        hw_runs[label + " derive"] = subset.fused.derive
        audit_runs[label] = (lambda j, r: lambda i: r(j.judge_unit(units[i])))(judge, render)
    for label, (_, judge, render) in built.items():
        for unit in units[:500]:
            assert render(judge.judge_unit(unit)) == built["today"][2](built["today"][1].judge_unit(unit)), label
    if what == "turn":
        in_turn({label: judge for label, (_, judge, _) in built.items()}, units, repeat)
        return
    load = os.getloadavg()[0]
    if what in ("both", "hw"):
        t = fine_interleaved(valid, hw_runs, repeat=repeat)
        print(f"16 rules, {len(valid)} cases, CPU µs a case per round; load {load:.2f} before, {os.getloadavg()[0]:.2f} after")
        for name, v in t.items():
            ratio = "" if name == "handwritten" or name.endswith("derive") else \
                "   hand-written/this " + " ".join(f"{h / x:.3f}" for h, x in zip(t["handwritten"], v))
            print(f"  {name:18s}" + "".join(f"{x / len(valid) * 1e6:8.1f}" for x in v) + ratio)
    load = os.getloadavg()[0]
    if what in ("both", "audit"):
        t = fine_interleaved(list(range(len(units))), audit_runs, repeat=repeat)
        print(f"whole audit, {len(units)} cases, CPU µs a case per round; load {load:.2f} before, {os.getloadavg()[0]:.2f} after")
        for name, v in t.items():
            ratio = "" if name == "validate-only" else \
                "   validate-only/this " + " ".join(f"{h / x:.3f}" for h, x in zip(t["validate-only"], v))
            print(f"  {name:18s}" + "".join(f"{x / len(units) * 1e6:8.1f}" for x in v) + ratio)


def in_turn(judges: dict[str, Any], units: list[Any], repeat: int) -> None:
    """Each case's stages one after the other, as the audit runs them (bench_stages.py `in_turn`), the
    judges taking turns 50 cases at a time: which stage a variant makes dearer (wall clock µs a case)."""
    from cadre_rules.reading.cases import case_from_json, parse_unit, validate_deferred

    clock = time.perf_counter
    names = ("read", "validate", "judge", "validate-only")
    totals = {label: [[0.0] * len(names) for _ in range(repeat)] for label in judges}
    load = os.getloadavg()[0]
    chunks = [units[i:i + 50] for i in range(0, len(units), 50)]
    for r in range(repeat):
        for k, chunk in enumerate(chunks):
            labels = list(judges)
            for label, unit in ((label, unit) for label in labels[k % len(labels):] + labels[:k % len(labels)]
                                for unit in chunk):
                judge = judges[label]
                t0 = clock()
                raw = parse_unit(unit, defer_limits=True, limits=judge.limits)
                t1 = clock()
                case = validate_deferred(raw, judge.limits)
                t2 = clock()
                judge.judge_valid(case, raw.source, raw.data, unit.size)
                t3 = clock()
                case_from_json(unit.text)  # the validate-only reference (bench_stages.py)
                t4 = clock()
                row = totals[label][r]
                for n, (a, b) in enumerate(((t0, t1), (t1, t2), (t2, t3), (t3, t4))):
                    row[n] += b - a
    print(f"stages in turn, each case through every judge in turn; load {load:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after; wall µs a case per round")
    for label, rounds in totals.items():
        for n, name in enumerate(names):
            print(f"  {label:8s} {name:14s}" + "".join(f"{row[n] / len(units) * 1e6:8.1f}" for row in rounds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build", "check", "bench", "live", "once"])
    parser.add_argument("--variant", action="append", default=[], help="bench: LABEL=DIR[:all|facts|rules]")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--what", choices=["both", "hw", "audit", "turn"], default="both")
    parser.add_argument("--out", type=Path, default=Path("/tmp/cadre-native"))
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--parts", type=int, default=2)
    parser.add_argument("--typed", action="store_true", help="build: the rules' fact aliases declared `cdef dict`")
    parser.add_argument("--cflags", default="-O2", help="build: gcc's options after Python's own (-O3 -g ...)")
    parser.add_argument("--directives", default="", help="appended to the `# cython:` line, e.g. ', boundscheck=False'")
    args = parser.parse_args()
    os.environ.setdefault("CADRE_RULES_CACHE", "off")
    if args.command == "build":
        path = corpus(args.cases)
        seen = record()
        exercise(path, args.cases)
        restore()
        print(f"recorded {len(seen)} compiles")
        print(json.dumps(build(seen, args.out, args.parts, directives=args.directives, cflags=args.cflags, typed=args.typed)))
    elif args.command == "live":  # bench_live.py's three events, today's code (--out -) or native
        import contextlib
        import io

        sys.path.insert(0, str(ROOT / "benchmarks"))
        import bench_live

        if str(args.out) != "-":
            install(args.out)
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink):
            bench_live.main(["--json", "--iterations", str(args.cases)])
        report = json.loads(sink.getvalue())
        print(f"{'native' if str(args.out) != '-' else 'today'} load {report['load_average'][0]:.2f} " + "; ".join(
            f"{e['event'][:22]} check p50 {e['timings']['check']['p50_us']:.1f} p99 {e['timings']['check']['p99_us']:.1f}"
            for e in report["events"].values()) + f"; machine p99/p50 {report['machine']['p99_over_p50']:.2f}; {STATS}")
    elif args.command == "once":  # the audit of the first --cases of 400 cases, once (under cachegrind)
        from cadre_rules.audit.batch import BatchOptions, CaseJudge
        from cadre_rules.reading.cases import iter_units
        from cadre_rules.report.batch import AuditOptions, RenderCase

        units = list(iter_units([str(corpus(400))]))[:args.cases]
        if str(args.out) != "-":
            install(args.out)
        judge = CaseJudge(BatchOptions(scope=True))
        render = RenderCase(AuditOptions(fmt="jsonl"), judge.rulebook)
        restore()
        for unit in units:
            render(judge.judge_unit(unit))
    elif args.command == "bench":
        bench(args.variant, args.cases, args.repeat, args.what)
    else:
        path = corpus(args.cases)
        before = audit_jsonl(path)
        install(args.out)
        after = audit_jsonl(path)
        restore()
        print(json.dumps(STATS), f"{len(before.splitlines())} report lines;",
              "identical" if before == after else "DIFFERENT")
        if before != after:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
