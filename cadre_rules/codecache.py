"""Generated source compiled once per machine, not once per run.

Why: compiling a rulebook's generated matchers, builders and dispatch (engine/codegen.py,
facts/compose.py, engine/fused.py: ~350 functions for the bundled rulebook) spent ~70 ms of the
~90 ms set-up in Python's `compile()`: serial time before a worker process starts, and a tenth of what
`cadre-rules audit` of one case costs (docs/performance.md, "Workers, third round"). The code objects
are kept with the loaded rulebooks (rulebook/cache.py: in its directory's `code/`, with the same
opt-out, trust checks and atomic writes) and read back with `marshal` in a few milliseconds.

Never a wrong function: an entry is found by a hash of the exact source text and its file name, so
any change of what the generator writes misses; the whole store is keyed by the library's code
fingerprint and the Python version (marshal's format is per version), and an unreadable, corrupt or
foreign store is ignored and written anew. Only source this library generated passes through here
(`compile_source`); constants are never in the source (they are passed in the namespace when the
code runs), so the code object is all there is to keep.
"""
from __future__ import annotations

import hashlib
import marshal
from types import CodeType


MAX_ENTRIES = 20_000  # code objects kept; one bundled rulebook needs ~350

_codes: dict[str, CodeType] | None = None  # this process's view of the store (None: not read yet)
_added = False  # compiled here and not yet written
_written = False  # this process wrote the store already
_keeping = False  # the cache is on: compiled code is kept for the store


def _store():  # type: ignore[no-untyped-def]
    """rulebook/cache.py, imported when first needed: this module imports nothing of the package, so
    that the facts layer's composer can use it."""
    from cadre_rules.rulebook import cache

    return cache


def _key() -> str:
    return "code-" + hashlib.sha256(f"{_store().code_fingerprint()}\0code-objects".encode()).hexdigest()


def _read() -> dict[str, CodeType]:
    global _codes, _keeping
    if _codes is None:
        _codes = {}
        store = _store()
        _keeping = store.cache_enabled()
        if _keeping:
            key = _key()
            kept = store.read_entry(store.cache_dir() / "code" / f"{key}.pickle", key, dict)
            if kept:
                try:
                    _codes = {name: marshal.loads(blob) for name, blob in kept.items()}
                except (ValueError, EOFError, TypeError):  # a store that passed its checksum yet does not load
                    _codes = {}
    return _codes


def compile_source(source: str, filename: str) -> CodeType:
    """`compile(source, filename, "exec")`, from the store when the same text was compiled before."""
    global _added
    codes = _read()
    name = hashlib.sha256(f"{filename}\0{source}".encode()).hexdigest()
    code = codes.get(name)
    if code is None:
        code = compile(source, filename, "exec")
        # Kept only for the store (not with the cache off), until this process has written it, and never
        # past MAX_ENTRIES: a process that builds one rulebook after another (a mutation run) must not
        # hold every one's code for ever.
        if _keeping and not _written and len(codes) < MAX_ENTRIES:
            codes[name] = code
            _added = True
    return code


def flush() -> None:
    """Write what this process compiled to the store: once a process, after its first rulebook's code is
    built (audit.Auditor). Once, because a process that builds many rulebooks (a mutation run: one per
    mutant) would otherwise rewrite the whole store for each; a no-op when nothing was added or the
    cache is off."""
    global _added, _written
    store = _store()
    if _written or not _added or _codes is None or not store.cache_enabled():
        return
    _added, _written = False, True
    key = _key()
    store.write_entry(store.cache_dir() / "code", key, {name: marshal.dumps(code) for name, code in _codes.items()})


def forget() -> None:
    """Read the store again at the next compile (tests that change the cache directory)."""
    global _codes, _added, _written
    _codes, _added, _written = None, False, False


__all__ = ["compile_source", "flush", "forget"]
