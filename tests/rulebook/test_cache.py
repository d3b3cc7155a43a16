"""The rulebook cache (rulebook/cache.py): a hit judges as a fresh load does, and nothing but the same
files, profile, library and Python ever hits."""
from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import cadre_rules.rulebook as rulebook_module
from cadre_rules import Auditor, load_case, load_rulebook
from cadre_rules.cli.main import main
from cadre_rules.rulebook import cache

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "cases" / "06-违规-临时动议.yaml"
MESSAGE = "属临时动议：该议题在会上临时提出"  # MOT-NO-ADHOC's message on EXAMPLE
EDITED = "属临时动议：该议题在会中临时提出"  # as many bytes: the size alone does not tell


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CADRE_RULES_CACHE_DIR", str(folder))
    monkeypatch.delenv("CADRE_RULES_CACHE", raising=False)
    return folder


@pytest.fixture
def rules(tmp_path) -> Path:
    """A copy of the bundled rulebook to edit."""
    return Path(shutil.copytree(ROOT / "rules", tmp_path / "rules"))


@pytest.fixture
def no_fresh_load(monkeypatch):
    """Makes a load that does not come from the cache fail."""
    def refuse(*args, **kwargs):
        raise AssertionError("loaded afresh, not from the cache")
    return lambda: monkeypatch.setattr(rulebook_module, "_load", refuse)


def messages(rulebook) -> list[str]:
    return [f.message["zh"] for f in Auditor(rulebook).findings(load_case(EXAMPLE)) if f.verdict == "violated"]


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


def test_a_hit_judges_as_a_fresh_load(cache_dir, rules, no_fresh_load):
    cold = load_rulebook(rules)
    assert len(entries(cache_dir)) == 1
    no_fresh_load()
    hit = load_rulebook(rules)
    assert hit is not cold and hit.rules == cold.rules and hit.version == cold.version
    assert hit.editions == cold.editions and hit.stages.titles == cold.stages.titles
    assert messages(hit) == messages(cold)
    assert any(MESSAGE in m for m in messages(hit))


def test_a_cache_hit_gives_the_identical_report(cache_dir):
    runner = CliRunner()
    args = ["audit", str(EXAMPLE), str(EXAMPLE.parent / "01-合规-县财政局局长提拔.yaml"), "--format", "json"]
    fresh = runner.invoke(main, ["--no-cache", *args])
    assert entries(cache_dir) == []  # --no-cache writes nothing
    cold = runner.invoke(main, args)
    assert len(entries(cache_dir)) == 1
    hit = runner.invoke(main, args)
    assert fresh.exit_code == cold.exit_code == hit.exit_code == 1
    assert MESSAGE in fresh.output
    assert hit.output == cold.output == fresh.output


def test_an_edited_rule_file_misses_and_the_edit_shows_in_the_findings(cache_dir, rules):
    assert any(MESSAGE in m for m in messages(load_rulebook(rules)))
    motion = rules / "national" / "10-motion.yaml"
    motion.write_text(motion.read_text(encoding="utf-8").replace(MESSAGE, EDITED), encoding="utf-8")
    edited = messages(load_rulebook(rules))
    assert any(EDITED in m for m in edited) and not any(MESSAGE in m for m in edited)
    assert len(entries(cache_dir)) == 2


def test_another_profile_library_or_place_misses(cache_dir, rules, monkeypatch):
    load_rulebook(rules)
    key = cache.cache_key(rules, rulebook_module.rulebook_files(rules), "national")
    assert cache.cache_key(rules, rulebook_module.rulebook_files(rules), "other") != key
    moved = Path(shutil.copytree(rules, rules.parent / "moved"))
    assert cache.cache_key(moved, rulebook_module.rulebook_files(moved), "national") != key
    monkeypatch.setattr(cache, "_CODE_FINGERPRINT", "another version of the library")
    assert cache.cache_key(rules, rulebook_module.rulebook_files(rules), "national") != key


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "other key", "not a rulebook"])
def test_a_corrupt_entry_is_ignored_and_replaced(cache_dir, rules, damage):
    good = load_rulebook(rules)
    [entry] = entries(cache_dir)
    blob = entry.read_bytes()
    key = entry.stem
    if damage == "garbage":
        entry.write_bytes(b"\x00not a cache entry")
    elif damage == "truncated":
        entry.write_bytes(blob[: len(blob) // 2])
    elif damage == "flipped":  # still a sound pickle, with another message: only the checksum tells
        assert blob.count(MESSAGE.encode()) == 1
        entry.write_bytes(blob.replace(MESSAGE.encode(), EDITED.encode()))
    elif damage == "other key":  # a sound entry, stored under another key
        cache.write_entry(cache_dir, "0" * 64, good)
        (cache_dir / f"{'0' * 64}.pickle").replace(entry)
    else:  # a sound entry of the right key holding something else
        cache.write_entry(cache_dir, key, {"rules": []})
    assert cache.read_entry(entry, key, rulebook_module.Rulebook) is None
    again = load_rulebook(rules)
    assert again.rules == good.rules and messages(again) == messages(good)
    replaced = cache.read_entry(entry, key, rulebook_module.Rulebook)
    assert replaced is not None and replaced.rules == good.rules


def poison(folder: Path, rules: Path) -> None:
    """A sound entry of the right key whose rulebook has no rules: what a stale hit would judge with."""
    right = load_rulebook(rules)
    [entry] = entries(folder)
    cache.write_entry(folder, entry.stem, dataclasses.replace(right, rules=()))


def test_the_opt_out_neither_reads_nor_writes(cache_dir, rules, monkeypatch):
    poison(cache_dir, rules)
    assert messages(load_rulebook(rules)) == []  # the poisoned entry is what the cache gives
    monkeypatch.setenv("CADRE_RULES_CACHE", "off")
    assert any(MESSAGE in m for m in messages(load_rulebook(rules)))
    other = rules.parent / "other"
    shutil.copytree(rules, other)
    load_rulebook(other)
    assert len(entries(cache_dir)) == 1


def test_the_no_cache_option_loads_afresh(cache_dir, rules):
    poison(cache_dir, rules)
    runner = CliRunner()
    args = ["audit", str(EXAMPLE), "--rules", str(rules), "--format", "json"]
    assert MESSAGE not in runner.invoke(main, args).output
    fresh = runner.invoke(main, ["--no-cache", *args])
    assert fresh.exit_code == 1 and MESSAGE in fresh.output
    assert MESSAGE not in runner.invoke(main, args).output  # the option ends with its command


def test_an_unwritable_cache_only_costs_the_load(tmp_path, monkeypatch, rules):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("CADRE_RULES_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.delenv("CADRE_RULES_CACHE", raising=False)
    assert any(MESSAGE in m for m in messages(load_rulebook(rules)))


def test_a_layer_is_loaded_afresh(cache_dir, tmp_path):
    """A layer reads another rulebook's files too: never cached, so an edit of its base always shows."""
    layer = tmp_path / "layer"
    layer.mkdir()
    (layer / "rulebook.yaml").write_text("id: test-layer\ntitle: {zh: 测试, en: Test}\nextends: national\n",
                                         encoding="utf-8")
    loaded = load_rulebook(layer)
    assert loaded.base is not None and loaded.rules and entries(cache_dir) == []


def test_the_path_as_given_is_kept_as_a_fresh_load_keeps_it(cache_dir, rules, monkeypatch):
    monkeypatch.chdir(rules.parent)
    relative = load_rulebook("rules")
    absolute = load_rulebook(rules)
    assert relative.root == Path("rules") and absolute.root == rules
    assert len(entries(cache_dir)) == 2


@pytest.mark.skipif(os.name != "posix", reason="owner and permission bits")
def test_an_entry_others_could_have_written_is_not_loaded(cache_dir, rules):
    poison(cache_dir, rules)
    assert messages(load_rulebook(rules)) == []
    cache_dir.chmod(0o777)
    try:
        assert any(MESSAGE in m for m in messages(load_rulebook(rules)))
    finally:
        cache_dir.chmod(0o700)
    poison(cache_dir, rules)
    [entry] = entries(cache_dir)
    assert messages(load_rulebook(rules)) == []
    entry.chmod(0o666)
    assert any(MESSAGE in m for m in messages(load_rulebook(rules)))
