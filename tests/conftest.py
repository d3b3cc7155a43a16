"""Shared fixtures: the bundled rulebook, one auditor, and a compliant baseline case to mutate (the testing
room's one baseline, cadre_rules.testing.baseline, as case-file data)."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable

import pytest

from cadre_rules import Auditor, load_rulebook
from cadre_rules.testing.baseline import baseline_data

ROOT = Path(__file__).resolve().parents[1]

# The tests' loaded rulebooks are kept in a cache of their own (rulebook/cache.py), never in the user's;
# the commands the tests start inherit it.
_CACHE = tempfile.mkdtemp(prefix="cadre-rules-test-cache-")
os.environ["CADRE_RULES_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)


@pytest.fixture(scope="session")
def rulebook():
    return load_rulebook()


@pytest.fixture(scope="session")
def auditor(rulebook):
    return Auditor(rulebook)


@pytest.fixture(scope="session")
def _baseline_data() -> dict[str, Any]:
    """The baseline for session- and module-scoped fixtures (they copy it before changing it)."""
    return baseline_data()


@pytest.fixture
def baseline() -> dict[str, Any]:
    """A fresh copy of the fully compliant 2021 promotion case (11 members, 9 present)."""
    return baseline_data()


@pytest.fixture
def judge(auditor) -> Callable[[dict[str, Any]], dict[str, set[str]]]:
    """Audit raw case data; return {verdict: {rule ids}}; fail loudly if the data is invalid."""
    def run(data: dict[str, Any]) -> dict[str, set[str]]:
        result = auditor.audit_data(data, "test")
        assert result.status == "ok", result.errors
        out: dict[str, set[str]] = {"violated": set(), "pending": set(), "unknown": set()}
        for f in result.findings:
            out[f.verdict].add(f.rule_id)
        return out
    return run
