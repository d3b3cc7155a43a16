"""Builders of facts composed from one small function per value (facts/items.py, facts/case_fact.py).

Why: a fact type's fields are written as functions whose parameters name the values they need (another
function of the module, or a root: the case, a meeting, an agenda item...). From such a module and a
set of fields, `compile_builder` writes one function that computes just those fields, each value once
per record it depends on, in local variables, inlining every function that is a single `return` (the
others are called): the facts layer stays the one home of the arithmetic, and a derivation pays only
for the fields it is asked for. facts/derive.py builds every field this way; engine/fused.py builds
the fields a rulebook reads. `compile_record_builder` composes the same for one record (the live path:
an event adds or replaces one notice or publicity), and `record_reads` says which of the record's
attributes each field reads (a record replaced in one field updates its fact in the values reading it).

A fields module declares `ROOTS` (root name -> depth: 0 for the builder's arguments, then one per
loop), `ARGS` (the builder's arguments), `LOOPS` ((index, record, what it iterates), outermost first)
and `FIELDS` (fact field -> the function giving it, in the fact's field order); the builder returns one
fact per innermost record.
"""
from __future__ import annotations

import ast
import inspect
import re
from functools import lru_cache
from types import ModuleType
from typing import Any, Callable, Iterable, Mapping, Sequence

from cadre_rules.codecache import compile_source
from cadre_rules.facts.values import Fact


class _Node:
    """One function of a fields module: its parameters, and its body when it is one `return`."""

    def __init__(self, name: str, function: Callable[..., Any], tree: ast.FunctionDef | None) -> None:
        self.name, self.function, self.tree = name, function, tree
        self.params = list(inspect.signature(function).parameters)
        self.expr: str | None = None
        self.names: set[str] = set()
        if tree is None:  # no source of its own (made by exec: tests/bdd/test_source_mutants.py): called
            return
        body = [stmt for stmt in tree.body
                if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))]  # no docstring
        self.expr = ast.unparse(body[0].value) if len(body) == 1 and isinstance(body[0], ast.Return) \
            and body[0].value is not None else None
        self.names = ({n.id for n in ast.walk(body[0].value) if isinstance(n, ast.Name)}  # type: ignore[union-attr]
                      if self.expr is not None else set())


@lru_cache(maxsize=None)
def _nodes(module: ModuleType) -> dict[str, _Node]:
    """The module's functions, read once per process from one parse of the module's file.

    Why one parse: `inspect.getsource` per function re-reads and tokenises the file for each of the
    ~165 functions, ~100 ms of every process's set-up (the CLI, the service, each Spark worker)."""
    defs = _top_level_defs(module)
    out = {}
    for name, fn in vars(module).items():
        if inspect.isfunction(fn) and fn.__module__ == module.__name__ and not name.startswith("_"):
            tree = defs.get(name)
            # the def in the file only if it is this function's (not one made by exec and put in its place)
            code = fn.__code__
            if tree is not None and (code.co_filename != module.__file__ or code.co_firstlineno != min(
                    [tree.lineno, *(d.lineno for d in tree.decorator_list)])):
                tree = None
            out[name] = _Node(name, fn, tree)
    return out


def _top_level_defs(module: ModuleType) -> dict[str, ast.FunctionDef]:
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return {}
    return {node.name: node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)}


def compile_builder(module: ModuleType, fields: Iterable[str] | None, inline: bool = True) -> Callable[..., list[Fact]]:
    """The builder of one fact type from a fields module (facts/items.py, facts/case_fact.py, ...): its
    arguments are the module's `ARGS`, it loops as `LOOPS` says and makes one fact per innermost record
    with just `fields` (None: all of them). `inline=False` calls every function (tests compare the two)."""
    return _builder(module, frozenset(fields) if fields is not None else None, inline)


def compile_record_builder(module: ModuleType, fields: Iterable[str] | None) -> Callable[..., Fact]:
    """The fact of one record, composed from the same functions as `compile_builder`'s: its arguments
    are the module's `ARGS` followed by each loop's index and record (`LOOPS`, outermost first), and it
    returns the one fact the builder makes for that record. Why: an event adds or replaces one record
    (a notice, a publicity); the live path derives that record's fact alone (facts/derive.py
    `record_facts`) and takes the others over, with no second copy of the arithmetic."""
    return _builder(module, frozenset(fields) if fields is not None else None, True, True)


@lru_cache(maxsize=128)
def _builder(module: ModuleType, fields: frozenset[str] | None, inline: bool = True,
             one: bool = False) -> Callable[..., Any]:
    nodes = _nodes(module)
    roots: Mapping[str, int] = module.ROOTS
    loops: Sequence[tuple[str, str, str]] = module.LOOPS
    where = f"{module.__name__.replace('.', '/')}.py"
    wanted = [f for f in module.FIELDS if fields is None or f in fields]
    unknown = set(fields or ()) - set(module.FIELDS)
    if unknown:
        raise ValueError(f"no function gives the field(s) {sorted(unknown)} ({where})")
    # every node the wanted fields need, and how deep it sits (0 the arguments, then one per loop)
    level: dict[str, int] = dict(roots)
    order: list[str] = []

    def need(name: str, chain: tuple[str, ...] = ()) -> int:
        if name in level:
            return level[name]
        if name in chain:
            raise ValueError(f"{where}: {' -> '.join((*chain, name))} is circular")
        node = nodes.get(name)
        if node is None:
            raise ValueError(f"{where}: no function or root named {name!r} (needed by {chain[-1] if chain else 'FIELDS'!r})")
        level[name] = max((need(p, (*chain, name)) for p in node.params), default=0)
        order.append(name)
        return level[name]

    for field in wanted:
        need(module.FIELDS[field])
    uses: dict[str, int] = {}
    for name in order:
        for p in nodes[name].params:
            uses[p] = uses.get(p, 0) + 1
    for field in wanted:
        uses[module.FIELDS[field]] = uses.get(module.FIELDS[field], 0) + 1
    namespace: dict[str, Any] = dict(vars(module))
    namespace.update({f"_f_{name}": node.function for name, node in nodes.items()})
    clash = set(nodes) & {"out", "enumerate", *(n for loop in loops for n in loop[:2])}
    if clash:
        raise ValueError(f"{where}: a function is named like a local of the builder: {sorted(clash)}")
    every_name = set(nodes) | set(roots)

    def value(name: str) -> str:
        """The expression computing node `name`: its body inlined when it reads only its parameters
        and the module's globals (not another node's name), else a call."""
        node = nodes[name]
        if inline and node.expr is not None and not ((node.names - set(node.params)) & every_name):
            return f"({node.expr})"
        return f"_f_{name}({', '.join(node.params)})"  # by an alias: the local of the same name shadows it

    if one:  # one record: its loops' indexes and records are arguments, every value at one level
        params = [*module.ARGS, *(n for index, record, _ in loops for n in (index, record))]
        lines = [f"def _generated({', '.join(params)}):"]
        heads = [""] * len(loops)
    else:
        lines = [f"def _generated({', '.join(module.ARGS)}):", "    out = []"]
        heads = [f"for {index}, {record} in enumerate({source}):" for index, record, source in loops]
    # a value of the innermost record read by its fact only: computed inside the fact's dictionary
    direct = {module.FIELDS[f] for f in wanted
              if uses.get(module.FIELDS[f], 0) == 1 and level[module.FIELDS[f]] == len(loops)}
    for depth in range(len(loops) + 1):
        indent = "    " * (1 if one else depth + 1)
        for name in order:
            if level[name] == depth and name not in direct:
                lines.append(f"{indent}{name} = {value(name)}")
        if depth < len(loops) and not one:
            lines.append(indent + heads[depth])
    indent = "    " * (1 if one else len(loops) + 1)
    entries = ", ".join(f"{field!r}: {value(module.FIELDS[field]) if module.FIELDS[field] in direct else module.FIELDS[field]}"
                        for field in wanted)
    if one:
        lines.append(f"{indent}return {{{entries}}}")
    else:
        lines.append(f"{indent}out.append({{{entries}}})")
        lines.append("    return out")
    source = "\n".join(lines)
    exec(compile_source(source, f"<cadre-rules {where}>"), namespace)  # noqa: S102 - our own source
    built = namespace["_generated"]
    built.source = source  # type: ignore[attr-defined]
    # the arguments its body reads (a builder of a few values of one record may need no shared value)
    body = "\n".join(lines[1:])
    built.needs = frozenset(a for a in built.__code__.co_varnames[:built.__code__.co_argcount]  # type: ignore[attr-defined]
                            if re.search(rf"\b{a}\b", body))
    return built


@lru_cache(maxsize=None)
def record_reads(module: ModuleType) -> dict[str, "frozenset[str] | None"]:
    """Of each field of a fields module, the attributes of the innermost loop's record (a notice, a
    publicity) its value is computed from, read off the functions' source: a value is the same for a
    record replaced by a copy differing only in other attributes (at the same index, the rest of the
    case the same). None: it may read the record otherwise (the record passed on whole, a function with
    no source of its own) or read the record's list itself. Why: an event replacing one field of a
    record (a notice's talk) needs only the values reading that field computed again, by the builder
    composed for them (facts/derive.py `record_fact_after`)."""
    nodes = _nodes(module)
    record = module.LOOPS[-1][1]
    own = {name: found[0] for name, found in _record_analysis(module).items()}
    roots = module.ROOTS

    @lru_cache(maxsize=None)
    def reads(name: str) -> "frozenset[str] | None":
        if name in roots:
            return frozenset()
        out = own.get(name, None)
        if out is None:
            return None
        for param in nodes[name].params:
            if param == record:
                continue
            more = reads(param)
            if more is None:
                return None
            out = out | more
        return out

    return {field: reads(function) for field, function in module.FIELDS.items()}


@lru_cache(maxsize=None)
def list_readers(module: ModuleType) -> frozenset[str]:
    """The fields of a fields module whose functions may read the innermost loop's list itself (its
    length, another record of it): read off their source as `record_reads` does (a function reading the
    list's attribute, passing the list's owner on whole, or with no source of its own). Every other
    field of a record is the same whatever the list's other records are: the live path derives the fact
    of one record added or replaced alone (facts/derive.py `record_facts_apart`) only for fields outside
    these."""
    nodes = _nodes(module)
    analysis = _record_analysis(module)
    roots = module.ROOTS

    @lru_cache(maxsize=None)
    def reads_list(name: str) -> bool:
        if name in roots:
            return False
        return analysis[name][1] or any(reads_list(p) for p in nodes[name].params)

    return frozenset(field for field, function in module.FIELDS.items() if reads_list(function))


@lru_cache(maxsize=None)
def _record_analysis(module: ModuleType) -> dict[str, tuple["frozenset[str] | None", bool]]:
    """Of each function of a fields module, read off its source: the attributes of the innermost loop's
    record it reads (None: it may read the record otherwise), and whether it may read the record's list."""
    nodes = _nodes(module)
    index, record, source = module.LOOPS[-1]
    # the list's owner and its own attribute (`case` and `appointments` of `case.appointments`): a function
    # reading that attribute, or passing its owner on whole, may read the list
    owner, _, listed = source.rpartition(".")
    out: dict[str, tuple["frozenset[str] | None", bool]] = {}
    for name, node in nodes.items():
        tree = node.tree
        if tree is None:  # no source of its own: anything
            out[name] = (None, True)
            continue
        parents = {id(child): parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
        attrs: "set[str] | None" = set()
        list_read = False
        for n in ast.walk(tree):
            if isinstance(n, ast.Attribute) and n.attr == listed:
                attrs, list_read = None, True
                break
            if isinstance(n, ast.Name) and n.id in (record, owner) and n.id in node.params:
                parent = parents.get(id(n))
                if isinstance(parent, ast.Attribute) and parent.value is n:
                    if n.id == record and attrs is not None:
                        attrs.add(parent.attr)
                else:  # passed on whole: anything of the record, or of the list's owner
                    attrs = None
                    if n.id == owner:
                        list_read = True
                        break
        out[name] = (frozenset(attrs) if attrs is not None else None, list_read)
    return out


#: what else keeps composed builders (facts/derive.py's generated derivations): told to forget them too
_FORGET: list[Callable[[], None]] = []


def forget_builders() -> None:
    """Compose anew from the modules' functions as they are now (a test that replaces one of them)."""
    _nodes.cache_clear()
    _builder.cache_clear()
    record_reads.cache_clear()
    list_readers.cache_clear()
    _record_analysis.cache_clear()
    for forget in _FORGET:
        forget()


def on_forget(forget: Callable[[], None]) -> None:
    """Call `forget` whenever `forget_builders` runs (a cache of functions holding composed builders)."""
    _FORGET.append(forget)


__all__ = ["compile_builder", "compile_record_builder", "forget_builders", "list_readers", "on_forget", "record_reads"]
