"""The compiled-code store (cadre_rules/codecache.py): a rulebook's generated code read back judges as
freshly compiled code does; nothing but the same source text ever hits; a damaged store is ignored and
replaced; the opt-out neither reads nor writes."""
from __future__ import annotations

from pathlib import Path

import pytest

from cadre_rules import Auditor, codecache, load_case, load_rulebook

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))[:12]


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    """An empty cache directory of this test's own; the process's view of the store read again."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CADRE_RULES_CACHE_DIR", str(folder))
    monkeypatch.delenv("CADRE_RULES_CACHE", raising=False)
    codecache.forget()
    yield folder / "code"
    codecache.forget()


def findings(auditor: Auditor) -> list[dict]:
    return [f.to_dict() for path in EXAMPLES for f in auditor.findings(load_case(path))]


def refuse_compile(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("compiled afresh, not read from the store")
    monkeypatch.setattr(codecache, "compile", refuse, raising=False)  # the module's builtins lookup finds it first


def test_code_read_back_judges_as_freshly_compiled_code(store, monkeypatch):
    rulebook = load_rulebook()
    cold = findings(Auditor(rulebook))
    assert len(list(store.glob("*.pickle"))) == 1
    codecache.forget()  # as a new process would: the store's file is all there is
    refuse_compile(monkeypatch)
    assert findings(Auditor(rulebook)) == cold


def test_other_source_misses(store):
    one = codecache.compile_source("def _generated():\n    return 1\n", "<t>")
    two = codecache.compile_source("def _generated():\n    return 2\n", "<t>")
    same = codecache.compile_source("def _generated():\n    return 1\n", "<t>")
    elsewhere = codecache.compile_source("def _generated():\n    return 1\n", "<u>")
    assert same is one and two is not one and elsewhere is not one and elsewhere.co_filename == "<u>"
    namespace: dict = {}
    exec(two, namespace)
    assert namespace["_generated"]() == 2


@pytest.mark.parametrize("damage", [b"", b"not a store", b"cadre-rules rulebook cache 1\n" + b"\0" * 40])
def test_a_damaged_store_is_ignored_and_replaced(store, damage):
    rulebook = load_rulebook()
    cold = findings(Auditor(rulebook))
    (entry,) = store.glob("*.pickle")
    entry.write_bytes(damage)
    codecache.forget()
    assert findings(Auditor(rulebook)) == cold
    assert entry.read_bytes() != damage  # written anew


def test_the_opt_out_neither_reads_nor_writes(store, monkeypatch):
    rulebook = load_rulebook()
    Auditor(rulebook)
    (entry,) = store.glob("*.pickle")
    entry.unlink()
    monkeypatch.setenv("CADRE_RULES_CACHE", "off")
    codecache.forget()
    calls = []
    real = compile

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(codecache, "compile", counting, raising=False)
    Auditor(rulebook)
    assert calls  # compiled, not read
    assert not codecache._read()  # nor held in memory for a store that is never written
    assert not list(store.glob("*.pickle"))  # and not written


def test_a_process_keeps_no_code_once_it_has_written_the_store(store):
    """A process that builds rulebook after rulebook (a mutation run) holds no code object for ever."""
    Auditor(load_rulebook())
    assert list(store.glob("*.pickle"))
    held = len(codecache._read())
    for n in range(3):
        codecache.compile_source(f"def _generated():\n    return {n}\n", "<later>")
    assert len(codecache._read()) == held
