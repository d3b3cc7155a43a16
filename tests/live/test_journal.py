"""The journal: hash chain, tamper detection (altered, deleted, inserted, reordered, truncated, rewritten),
the CLI, replay equality, drift under a newer rulebook, older journals, exports audited later."""
from __future__ import annotations

import copy
import hashlib
import json
import shutil
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cadre_rules import Event, Journal, JournalError, JournalTampered, JournalUnreadable, LiveCase, Receipt
from cadre_rules import load_rulebook, rejudge, replay, validate_case, verify_journal
from cadre_rules.cli.main import main
from cadre_rules.live.journal import GENESIS, canonical_json, entry_hash
from cadre_rules.live import export_case_data, recorded_case
from cadre_rules.live.derive import events_from_case

D = date.fromisoformat


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2030, 1, 1, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def drive(live: LiveCase, events, refuse_quorum: bool = True) -> None:
    """Submit the events; before the decision meeting, a refused short meeting (so the journal has a refusal)."""
    for e in events:
        if e.kind == "meeting_held" and refuse_quorum:
            present = ["m01", "m02", "m03", "m04", "m05", "m06", "m07"]
            item = copy.deepcopy(e.data["agenda"][0])
            item["statements"] = [s for s in item["statements"] if s["member"] in present]
            short = Event("mt1-short", e.kind, e.on, {**e.data, "attendees": present, "agenda": [item]})
            assert not live.submit(short).accepted
        assert live.submit(e).accepted, (e.id, live.log[-1].reason)


@pytest.fixture
def written(tmp_path, baseline, rulebook):
    """A journal file with one case driven to the appointment (filing still due), and the live case."""
    path = tmp_path / "cases.journal"
    journal = Journal(path, clock=FakeClock())
    init, opened, events = events_from_case(validate_case(baseline))
    live = LiveCase.open(init, opened, rulebook, journal=journal)
    drive(live, [e for e in events if e.kind != "filing_made"])
    journal.close()
    return path, live


def test_hash_chain_follows_the_documented_formula(written):
    path, live = written
    journal = Journal(path, create=False)
    entries = list(journal.entries())
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert {e.kind for e in entries} == {"open", "event", "refusal", "finding"}
    prev = GENESIS
    for e in entries:
        body = {"seq": e.seq, "case": e.case_id, "kind": e.kind, "event": e.event_id, "content": e.content,
                "rulebook": e.rulebook, "recorded": e.recorded, "prev": prev}
        expected = hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                                  .encode("utf-8")).hexdigest()
        assert e.prev == prev and e.hash == expected
        prev = e.hash
    assert all(e.recorded.startswith("2030-01-01T00:") for e in entries)  # the injected clock, not the wall clock
    assert all(e.rulebook == live.rulebook.version for e in entries)
    report = journal.verify()
    assert report.ok and report.entries == len(entries) and report.head == entries[-1].receipt
    assert live.log[-1].seq is not None and entries[-1].receipt == journal.head()
    journal.close()


def test_the_clock_is_metadata_and_never_changes_a_verdict(baseline, rulebook):
    init, opened, events = events_from_case(validate_case(baseline))
    results = []
    for clock in (FakeClock(), lambda: datetime(1999, 12, 31, 23, 59, tzinfo=timezone.utc)):
        live = LiveCase.open(init, opened, rulebook, journal=Journal(":memory:", clock=clock))
        drive(live, events)
        results.append([(r.accepted, r.stage, r.findings) for r in live.log])
    assert results[0] == results[1]


def tampered_copy(path: Path, tmp_path: Path, name: str, *statements) -> Path:
    target = tmp_path / name
    shutil.copy(path, target)
    for suffix in ("-wal", "-shm"):
        if Path(str(path) + suffix).exists():
            shutil.copy(str(path) + suffix, str(target) + suffix)
    conn = sqlite3.connect(target)
    for statement in statements:
        if callable(statement):
            statement(conn)
        else:
            conn.execute(statement)
    conn.commit()
    conn.close()
    return target


def rows(conn, where=""):
    return conn.execute(f"SELECT seq, case_id, kind, event_id, content, rulebook, recorded, prev, hash FROM entries {where}"
                        " ORDER BY seq").fetchall()


def shift_up(conn, start):
    for (seq,) in conn.execute("SELECT seq FROM entries WHERE seq >= ? ORDER BY seq DESC", (start,)).fetchall():
        conn.execute("UPDATE entries SET seq = seq + 1 WHERE seq = ?", (seq,))


def forge_insert(conn, at):
    """Insert a well-formed entry (correct prev and hash for its place) at `at`, shifting the rest."""
    prev = rows(conn, f"WHERE seq = {at - 1}")[0][8]
    shift_up(conn, at)
    content = {"note": "forged"}
    digest = entry_hash(at, "2021-qx-czj-001", "event", "forged", content, "x", "2030-01-01", prev)
    conn.execute("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (at, "2021-qx-czj-001", "event", "forged", canonical_json(content), "x", "2030-01-01", prev, digest))


def swap(conn, a, b):
    conn.execute("UPDATE entries SET seq = -1 WHERE seq = ?", (a,))
    conn.execute("UPDATE entries SET seq = ? WHERE seq = ?", (a, b))
    conn.execute("UPDATE entries SET seq = ? WHERE seq = -1", (b,))


def rewrite_from(conn, start):
    """An attacker who knows the formula: alter an entry and recompute every hash after it, and the head."""
    all_rows = rows(conn)
    prev = all_rows[start - 2][8] if start > 1 else GENESIS
    for seq, case_id, kind, event_id, content, rb, recorded, _, _ in all_rows[start - 1:]:
        data = json.loads(content)
        if seq == start:
            data["reason"] = "rewritten"
        digest = entry_hash(seq, case_id, kind, event_id, data, rb, recorded, prev)
        conn.execute("UPDATE entries SET content = ?, prev = ?, hash = ? WHERE seq = ?",
                     (canonical_json(data), prev, digest, seq))
        prev = digest
    conn.execute("UPDATE meta SET value = ? WHERE key = 'head'", (f"{all_rows[-1][0]}:{prev}",))


@pytest.mark.parametrize("name, statements, seq, kind", [
    ("altered", ["UPDATE entries SET content = replace(content, '\"accepted\":true', '\"accepted\":false') WHERE seq = 5"],
     5, "altered"),
    ("altered-rulebook", ["UPDATE entries SET rulebook = 'ffffffffffffffff' WHERE seq = 9"], 9, "altered"),
    ("altered-time", ["UPDATE entries SET recorded = '2031-01-01' WHERE seq = 3"], 3, "altered"),
    ("deleted", ["DELETE FROM entries WHERE seq = 7"], 8, "missing"),
    ("inserted", [lambda conn: forge_insert(conn, 6)], 7, "broken-link"),
    ("inserted-bogus", [lambda conn: shift_up(conn, 6),
                        "INSERT INTO entries SELECT 6, case_id, kind, 'x', content, rulebook, recorded, prev, hash"
                        " FROM entries WHERE seq = 5"], 6, "broken-link"),
    ("reordered", [lambda conn: swap(conn, 4, 5)], 4, "broken-link"),
    ("tail-deleted", ["DELETE FROM entries WHERE seq = (SELECT MAX(seq) FROM entries)"], None, "truncated"),
])
def test_verify_names_the_first_bad_entry(written, tmp_path, name, statements, seq, kind):
    path, _ = written
    intact = verify_journal(path)
    assert intact.ok
    bad = tampered_copy(path, tmp_path, f"{name}.journal", *statements)
    report = verify_journal(bad)
    assert not report.ok and report.problem.kind == kind
    assert report.problem.seq == (seq if seq is not None else intact.entries)
    result = invoke("journal", "verify", bad, "--lang", "en")
    assert result.exit_code == 1 and result.output == f"{bad}: tampered: entry {report.problem.seq}: {report.problem.message}\n"
    # said in Chinese by default, every kind of tampering in its own words
    zh = invoke("journal", "verify", bad)
    assert zh.exit_code == 1 and zh.output == f"{bad}：已被篡改：第 {report.problem.seq} 条记录：{report.problem.zh}\n"
    assert report.problem.zh and not report.problem.zh.isascii()


def test_a_rewritten_chain_is_caught_by_an_anchor_kept_elsewhere(written, tmp_path):
    path, live = written
    anchor = Receipt(live.log[-1].seq, live.log[-1].hash)  # the receipt the application kept
    bad = tampered_copy(path, tmp_path, "rewritten.journal", lambda conn: rewrite_from(conn, 4))
    assert verify_journal(bad).ok  # without an anchor, a consistent rewrite cannot be told apart
    report = verify_journal(bad, [anchor])
    assert not report.ok and report.problem.kind == "anchor" and report.problem.seq == anchor.seq
    assert invoke("journal", "verify", bad, "--anchor", str(anchor)).exit_code == 1
    assert invoke("journal", "verify", path, "--anchor", str(anchor)).exit_code == 0
    beyond = Receipt(10_000, anchor.hash)
    assert verify_journal(path, [beyond]).problem.kind == "truncated"


def test_verify_cli_exit_statuses(written, tmp_path):
    path, _ = written
    ok = invoke("journal", "verify", path, "--lang", "en")
    assert ok.exit_code == 0 and "intact" in ok.output
    zh = invoke("journal", "verify", path)
    assert zh.exit_code == 0 and zh.output.startswith(f"{path}：完好：{as_json_entries(path)} 条记录；头 ")
    as_json = json.loads(invoke("journal", "verify", path, "--format", "json").output)
    assert as_json["ok"] and as_json["problem"] is None and as_json["entries"] > 15
    assert invoke("journal", "verify", tmp_path / "missing.journal").exit_code == 2
    assert not (tmp_path / "missing.journal").exists()  # verifying never creates a journal
    text = tmp_path / "notes.journal"
    text.write_text("not a database, just text " * 100, encoding="utf-8")
    assert invoke("journal", "verify", text).exit_code == 2
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    # every journal command says it in its --lang (Chinese by default)
    for command in ("verify", "rejudge", "export"):
        said = {lang: invoke("journal", command, other, *(["--lang", lang] if lang else [])) for lang in ("", "en")}
        assert said[""].exit_code == said["en"].exit_code == 2
        assert said[""].output.strip() == f"无法读取日志：{other}: 不是 cadre-rules 日志（没有 `entries`、`meta` 表）"
        assert said["en"].output.strip() == f"unreadable journal: {other}: not a cadre-rules journal (no entries/meta tables)"
    assert invoke("journal", "verify", path, "--anchor", "nonsense").exit_code == 3  # a usage error (docs/cli.md)
    with pytest.raises(JournalUnreadable):
        Journal(tmp_path / "missing.journal", create=False)


def as_json_entries(path) -> int:
    return json.loads(invoke("journal", "verify", path, "--format", "json").output)["entries"]


def test_replay_gives_the_same_case_state_and_findings(written, rulebook):
    path, live = written
    journal = Journal(path, create=False)
    rep = replay(journal, live.case.id, rulebook)
    assert rep.identical, rep.divergences
    assert rep.live.case == live.case and rep.live.stage == live.stage == "appointment"
    assert rep.live.findings == live.findings and [f.rule_id for f in live.findings] == ["RPT-FILING"]
    assert [(r.event.id, r.accepted, r.stage, r.findings) for r in rep.live.log] == \
        [(r.event.id, r.accepted, r.stage, r.findings) for r in live.log]
    resumed = LiveCase.resume(journal, live.case.id, rulebook)
    assert resumed.case == live.case and resumed.stage == live.stage and resumed.findings == live.findings
    assert [r.event.id for r in resumed.log] == [r.event.id for r in live.log]
    assert recorded_case(journal, live.case.id).case == live.case
    journal.close()


def test_replay_and_resume_refuse_a_tampered_journal(written, tmp_path, rulebook):
    path, live = written
    bad = tampered_copy(path, tmp_path, "bad.journal", "DELETE FROM entries WHERE seq = 3")
    journal = Journal(bad, create=False)
    for call in (lambda: replay(journal, live.case.id, rulebook), lambda: LiveCase.resume(journal, live.case.id, rulebook)):
        with pytest.raises(JournalTampered) as info:
            call()
        assert info.value.report.problem.seq == 4
    journal.close()


@pytest.fixture(scope="module")
def stricter_quorum(tmp_path_factory):
    """A copy of the bundled rules with a profile requiring five sixths of the members (DEC-QUORUM)."""
    root = tmp_path_factory.mktemp("rules-quorum") / "rules"
    shutil.copytree(load_rulebook().root, root)
    (root / "profiles" / "quorum56.yaml").write_text(yaml.safe_dump(
        {"id": "quorum56", "title": {"zh": "六分之五", "en": "five sixths"},
         "overrides": {"DEC-QUORUM": {"parameters": {"quorum_numerator": 5, "quorum_denominator": 6}}}}),
        encoding="utf-8")
    return root


def test_rejudging_with_a_newer_rulebook_reports_what_changed_and_why(written, rulebook, stricter_quorum):
    path, live = written
    newer = load_rulebook(stricter_quorum, "quorum56")
    assert newer.version != rulebook.version
    journal = Journal(path, create=False)
    assert not rejudge(journal, live.case.id, rulebook, rulebook).changed  # same rulebook: no drift
    drift = rejudge(journal, live.case.id, newer, previous=rulebook)
    assert drift.changed and drift.old_rulebooks == (rulebook.version,) and drift.new_rulebook == newer.version
    # 9 of 11 present: enough for two thirds, not for five sixths.
    (change,) = drift.findings
    assert (change.rule_id, change.old_verdict, change.new_verdict) == ("DEC-QUORUM", None, "violated")
    assert (change.event_id, change.old_rulebook, change.new_rulebook) == ("meeting:mt1", rulebook.version, newer.version)
    assert "parameter quorum_numerator: 2 → 5" in change.why and "parameter quorum_denominator: 3 → 6" in change.why
    assert "9" in change.message["en"]
    (outcome,) = drift.outcomes
    assert (outcome.event_id, outcome.old_accepted, outcome.new_accepted, outcome.new_refused_by) == \
        ("meeting:mt1", True, False, ("DEC-QUORUM",))
    unexplained = rejudge(journal, live.case.id, newer)
    assert unexplained.findings[0].why == (f"judged by rulebook {newer.version} instead of {rulebook.version}",)
    journal.close()
    result = invoke("journal", "rejudge", path, "--rules", stricter_quorum, "--profile", "quorum56",
                    "--previous-rules", rulebook.root, "--format", "json")
    assert result.exit_code == 1
    (doc,) = json.loads(result.output)
    assert doc["findings"][0]["rule_id"] == "DEC-QUORUM" and doc["outcomes"][0]["new_refused_by"] == ["DEC-QUORUM"]
    assert invoke("journal", "rejudge", path).exit_code == 0


def test_a_journal_written_by_an_older_rulebook_stays_readable(written, rulebook, stricter_quorum, baseline):
    path, live = written
    newer = load_rulebook(stricter_quorum, "quorum56")
    journal = Journal(path)
    resumed = LiveCase.resume(journal, live.case.id, newer)  # the old findings are kept as recorded
    assert resumed.findings == live.findings and resumed.stage == "appointment"
    filed = resumed.submit(Event("filing:f1", "filing_made", D("2021-05-07"),
                                 {"id": "f1", "candidate": "c1", "to": "中共江州市委组织部"}))
    assert filed.accepted and filed.stage == "filing"
    versions = [e.rulebook for e in journal.entries()]
    assert set(versions) == {rulebook.version, newer.version} and versions[-1] == newer.version
    assert journal.verify().ok
    assert export_case_data(journal, live.case.id)["meta"]["live"]["stage"] == "filing"
    # Replayed with the newer rulebook, the meeting of the old entries is now refused: reported, not an error.
    divergent = replay(journal, live.case.id, newer)
    assert not divergent.identical and divergent.divergences[0].what == "accepted"
    journal.close()
    assert invoke("journal", "verify", path).exit_code == 0


def test_exported_case_audited_later_gives_the_live_findings(written, tmp_path):
    path, live = written
    out = tmp_path / "live-case.json"
    result = invoke("journal", "export", path, "--format", "case", "-o", out)
    assert result.exit_code == 0, result.output
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["status"] == "open" and exported["as_of"] == live.case.as_of.isoformat()
    assert exported["meta"]["live"]["stage"] == "appointment"
    audited = invoke("audit", out, "--format", "json")
    assert audited.exit_code == 0, audited.output  # RPT-FILING pending: not a violation
    (case,) = json.loads(audited.stdout)["cases"]
    assert case["findings"] == [f.to_dict() for f in live.findings]
    assert [(f["rule_id"], f["verdict"]) for f in case["findings"]] == [("RPT-FILING", "pending")]


def test_export_entries_as_json_and_jsonl(written, tmp_path):
    path, live = written
    doc = json.loads(invoke("journal", "export", path, "--format", "json").output)
    lines = [json.loads(x) for x in invoke("journal", "export", path, "--format", "jsonl").output.splitlines()]
    assert doc["verify"]["ok"] and doc["entries"] == lines
    assert [e["seq"] for e in lines] == list(range(1, len(lines) + 1))
    refusal = next(e for e in lines if e["kind"] == "refusal")
    assert refusal["event_id"] == "mt1-short" and refusal["content"]["refused_by"][0]["rule_id"] == "DEC-QUORUM"
    assert invoke("journal", "export", path, "--case", "no-such-case").exit_code == 2
    bad = tampered_copy(path, tmp_path, "bad.journal", "DELETE FROM entries WHERE seq = 2")
    refused = invoke("journal", "export", bad, "--format", "case", "--lang", "en")
    assert refused.exit_code == 1 and "entry 3" in refused.output
    refused = invoke("journal", "export", bad, "--format", "case")
    assert refused.exit_code == 1 and refused.output == f"{bad}：已被篡改：第 3 条记录：其前缺少第 2 条记录（被删除？）\n"
    missing = invoke("journal", "export", path, "--case", "no-such-case")
    assert missing.exit_code == 2 and missing.output.startswith(f"{path}：没有案件 'no-such-case'（日志中的案件：")
    assert invoke("journal", "export", bad, "--format", "jsonl", "--no-verify").exit_code == 0
    assert invoke("journal", "export", tmp_path / "none.journal").exit_code == 2


def test_a_damaged_journal_exported_unverified_names_the_entry_it_cannot_read(written, tmp_path):
    """--no-verify exports what can be read; an entry whose stored text is not JSON, or whose recorded
    case the model does not accept, is named (this was an internal error: found by fuzzing journals)."""
    path, _ = written
    cut = tampered_copy(path, tmp_path, "cut.journal", "UPDATE entries SET content = substr(content, 1, 40) WHERE seq = 3")
    for fmt in ("json", "jsonl", "case"):
        result = invoke("journal", "export", cut, "--format", fmt, "--no-verify", "--lang", "en")
        assert result.exit_code == 1 and "entry 3: its stored content is not JSON" in result.output, (fmt, result.output)
        zh = invoke("journal", "export", cut, "--format", fmt, "--no-verify")
        assert zh.exit_code == 1 and f"{cut}：第 3 条记录：所存内容不是 JSON（" in zh.output, (fmt, zh.output)
        assert "internal error" not in result.output
    renamed = tampered_copy(path, tmp_path, "renamed.journal",
                            """UPDATE entries SET content = replace(content, '"id":', '"ident":') WHERE seq = 1""")
    result = invoke("journal", "export", renamed, "--format", "case", "--no-verify", "--lang", "en")
    assert result.exit_code == 1 and "entry 1: cannot be read as a recorded open" in result.output, result.output
    zh = invoke("journal", "export", renamed, "--format", "case", "--no-verify")
    assert zh.exit_code == 1 and "第 1 条记录：无法作为所记的 open 读取（" in zh.output, zh.output
    assert invoke("journal", "export", renamed, "--format", "jsonl", "--no-verify").exit_code == 0  # as stored


def test_two_handles_on_one_case_see_each_others_events(tmp_path, baseline, rulebook):
    path = tmp_path / "shared.journal"
    init, opened, events = events_from_case(validate_case(baseline))
    a = LiveCase.open(init, opened, rulebook, journal=Journal(path))
    b = LiveCase.resume(Journal(path), a.case.id, rulebook)
    handles = [a, b]
    for i, e in enumerate(events):
        assert handles[i % 2].submit(e).accepted  # each catches up with the other's events first
    last, other = handles[(len(events) - 1) % 2], handles[len(events) % 2]
    assert last.sync() == 0 and other.sync() > 0  # the other has not seen the last event yet
    assert a.stage == b.stage == "filing" and a.case == b.case
    assert b.submit(events[0]) == a.log[0]  # an id the other handle submitted: the recorded result
    with pytest.raises(JournalError):
        LiveCase.open(init, opened, rulebook, journal=Journal(path))  # the case is already journaled
    journal = Journal(path, create=False)
    assert journal.verify().ok and replay(journal, a.case.id, rulebook).identical
    assert [r.event.id for r in LiveCase.resume(journal, a.case.id, rulebook).log] == [e.id for e in events]


def test_a_foreign_database_is_never_turned_into_a_journal(tmp_path):
    other = tmp_path / "app.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE people (name)")
    conn.commit()
    conn.close()
    with pytest.raises(JournalUnreadable):
        Journal(other)
    conn = sqlite3.connect(other)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    conn.close()
    assert tables == {"people"} and mode == "delete"


def test_a_writer_notices_a_forged_entry_appended_behind_its_back(tmp_path, baseline, rulebook):
    path = tmp_path / "forged.journal"
    init, opened, events = events_from_case(validate_case(baseline))
    live = LiveCase.open(init, opened, rulebook, journal=Journal(path))
    assert live.submit(events[0]).accepted
    conn = sqlite3.connect(path)
    seq, digest = conn.execute("SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1").fetchone()
    forged = {"event": {"id": "x", "kind": "review", "on": "2021-03-02", "data": {}}}
    conn.execute("INSERT INTO entries VALUES (?, ?, 'event', 'x', ?, 'x', '2030', ?, ?)",
                 (seq + 1, live.case.id, canonical_json(forged), digest, "f" * 64))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'head'", (f"{seq + 1}:{'f' * 64}",))
    conn.commit()
    conn.close()
    n = len(live.journal)
    with pytest.raises(JournalTampered) as info:
        live.submit(events[1])
    assert info.value.report.problem.seq == seq + 1 and len(live.journal) == n and live.stage == "motion"
