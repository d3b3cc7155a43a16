"""A journal a forger cannot rewrite unnoticed once a signed checkpoint exists after the change:
RFC 8785 hashing over the stored bytes, Ed25519 checkpoints, read-only verification, storage
failures as JournalError, corrections without rewriting history, and a verifier in another language."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules import Event, Journal, JournalError, LiveCase, validate_case, verify_journal
from cadre_rules.cli.main import main
from cadre_rules.live.canonical import CanonicalError, jcs, strict_loads
from cadre_rules.live.derive import events_from_case
from cadre_rules.live.journal import GENESIS, LEGACY_FORMAT, canonical_json, entry_hash, entry_hash_jcs, export_chain
from cadre_rules.live.signing import Checkpoint, Signer, load_checkpoints

ROOT = Path(__file__).resolve().parents[2]
NODE_VERIFIER = ROOT / "docs" / "examples" / "verify-journal.mjs"
D = date.fromisoformat


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2030, 1, 1, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer.generate()


@pytest.fixture
def case_events(baseline):
    return events_from_case(validate_case(baseline))


def signed_journal(path: Path, signer: Signer, case_events, rulebook, upto: int = 8) -> tuple[Journal, LiveCase]:
    init, opened, events = case_events
    journal = Journal(path, clock=Clock(), signer=signer)
    live = LiveCase.open(init, opened, rulebook, journal=journal)
    for event in events[:upto]:
        assert live.submit(event).accepted
    return journal, live


def copy_journal(source: Path, target: Path, with_wal: bool = True) -> Path:
    shutil.copyfile(source, target)
    if with_wal and Path(f"{source}-wal").exists():
        shutil.copyfile(f"{source}-wal", f"{target}-wal")
    return target


def sql(path: Path, *statements) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        statement(conn) if callable(statement) else conn.execute(statement)
    conn.commit()
    conn.close()


def recompute_all(conn) -> None:
    """The forger who knows the formula: change entry 3, recompute every hash and the head, drop the
    checkpoints the journal holds (they cannot be re-signed without the key)."""
    rows = conn.execute("SELECT seq, case_id, kind, event_id, content, rulebook, recorded FROM entries ORDER BY seq").fetchall()
    prev = GENESIS
    for seq, case_id, kind, event_id, content, rulebook, recorded in rows:
        if seq == 3:
            content = jcs({**json.loads(content), "forged": True})
        digest = entry_hash_jcs(seq, case_id, kind, event_id, content, rulebook, recorded, prev)
        conn.execute("UPDATE entries SET content = ?, prev = ?, hash = ? WHERE seq = ?", (content, prev, digest, seq))
        prev = digest
    conn.execute("UPDATE meta SET value = ? WHERE key = 'head'", (f"{rows[-1][0]}:{prev}",))
    conn.execute("DELETE FROM checkpoints")
    conn.execute("DELETE FROM meta WHERE key = 'signed_heads'")


def truncate_and_update_head(conn) -> None:
    n = conn.execute("SELECT MAX(seq) FROM entries").fetchone()[0]
    conn.execute("DELETE FROM entries WHERE seq > ?", (n - 3,))
    head = conn.execute("SELECT hash FROM entries WHERE seq = ?", (n - 3,)).fetchone()[0]
    conn.execute("UPDATE meta SET value = ? WHERE key = 'head'", (f"{n - 3}:{head}",))


# -- canonical form -------------------------------------------------------------------------------

def test_jcs_is_rfc_8785():
    assert jcs({"b": [1.0, 1e21, 1e-7, -0.0, 0.5], "a": "决定\t\u0001", "\U0001F600": 1, "\uffff": 2}) == \
        '{"a":"决定\\t\\u0001","b":[1,1e+21,1e-7,0,0.5],"😀":1,"\uffff":2}'
    for bad in (float("nan"), 2**53, "\ud800"):
        with pytest.raises(CanonicalError):
            jcs(bad)
    with pytest.raises(CanonicalError, match="duplicate member 'accepted'"):
        strict_loads('{"accepted":true,"accepted":false}')


def test_the_hash_covers_the_stored_bytes_and_a_duplicate_key_never_verifies(tmp_path, signer, case_events, rulebook):
    journal, _ = signed_journal(tmp_path / "j.journal", signer, case_events, rulebook, upto=3)
    entry = next(e for e in journal.entries() if e.kind == "event")
    assert entry.content_text == jcs(entry.content)
    assert entry.hash == entry_hash_jcs(entry.seq, entry.case_id, entry.kind, entry.event_id, entry.content_text,
                                        entry.rulebook, entry.recorded, entry.prev)
    journal.close()
    forged = copy_journal(tmp_path / "j.journal", tmp_path / "dup.journal")
    # `"accepted":false,` put in front: json.loads keeps the last member, SQLite's json_extract the first.
    sql(forged, f"UPDATE entries SET content = '{{\"accepted\":false,' || substr(content, 2) WHERE seq = {entry.seq}")
    conn = sqlite3.connect(forged)
    assert conn.execute(f"SELECT json_extract(content, '$.accepted') FROM entries WHERE seq = {entry.seq}").fetchone()[0] == 0
    conn.close()
    report = verify_journal(forged)
    assert not report.ok and report.problem.seq == entry.seq and "duplicate member 'accepted'" in report.problem.message
    respaced = copy_journal(tmp_path / "j.journal", tmp_path / "space.journal")
    sql(respaced, f"UPDATE entries SET content = replace(content, ':', ': ') WHERE seq = {entry.seq}")
    assert verify_journal(respaced).problem.kind == "unreadable-entry"


# -- signed checkpoints: each forgery caught once a checkpoint exists after the change --------------

def test_signed_heads_verify_and_name_their_key(tmp_path, signer, case_events, rulebook):
    journal, _ = signed_journal(tmp_path / "j.journal", signer, case_events, rulebook)
    journal.close()
    report = verify_journal(tmp_path / "j.journal", trusted_keys=[signer.public_hex])
    assert report.ok and report.checkpoints >= 9 and report.keys == (signer.public_hex,)
    other = Signer.generate()
    untrusted = verify_journal(tmp_path / "j.journal", trusted_keys=[other.public_hex])
    assert not untrusted.ok and untrusted.problem.kind == "checkpoint" and "not trusted" in untrusted.problem.message


def test_truncation_with_a_head_update_is_caught_by_the_signed_head(tmp_path, signer, case_events, rulebook):
    journal, _ = signed_journal(tmp_path / "j.journal", signer, case_events, rulebook)
    exported = journal.checkpoint()
    journal.close()
    bad = copy_journal(tmp_path / "j.journal", tmp_path / "cut.journal")
    sql(bad, truncate_and_update_head)
    report = verify_journal(bad)
    assert not report.ok and report.problem.kind == "truncated" and "older copy" in report.problem.message
    # also when the forger deletes the checkpoints held inside: the exported one still catches it
    sql(bad, "DELETE FROM checkpoints", "DELETE FROM meta WHERE key = 'signed_heads'")
    assert verify_journal(bad).ok  # nothing inside the file can tell now …
    assert verify_journal(bad, checkpoints=[exported]).problem.kind == "truncated"  # … the kept checkpoint can


def test_a_recompute_all_rewrite_is_caught_by_a_kept_checkpoint(tmp_path, signer, case_events, rulebook):
    journal, _ = signed_journal(tmp_path / "j.journal", signer, case_events, rulebook)
    kept = journal.checkpoint()
    journal.close()
    bad = copy_journal(tmp_path / "j.journal", tmp_path / "rewritten.journal")
    sql(bad, recompute_all)
    assert verify_journal(bad).ok  # a consistent rewrite without any checkpoint
    report = verify_journal(bad, checkpoints=[kept])
    assert not report.ok and report.problem.kind == "checkpoint" and "rewritten" in report.problem.message
    forged = replace(kept, hash="0" * 64)  # and a checkpoint cannot be edited to match
    assert "signature does not verify" in verify_journal(bad, checkpoints=[forged]).problem.message


def test_a_rollback_to_an_older_copy_and_a_lost_wal_are_caught(tmp_path, signer, case_events, rulebook):
    init, opened, events = case_events
    path = tmp_path / "j.journal"
    journal, live = signed_journal(path, signer, case_events, rulebook, upto=4)
    older = copy_journal(path, tmp_path / "older.journal")  # a backup taken now
    journal._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # what SQLite does from time to time
    for event in events[4:8]:
        assert live.submit(event).accepted
    kept = journal.checkpoint()
    assert Path(f"{path}-wal").exists()  # the writer is still open: recent entries are in the -wal only
    no_wal = copy_journal(path, tmp_path / "no-wal.journal", with_wal=False)
    journal.close()
    for bad in (older, no_wal):
        assert verify_journal(bad).ok  # each is a consistent journal on its own
        report = verify_journal(bad, checkpoints=[kept])
        assert not report.ok and report.problem.kind == "truncated", bad


def test_entries_appended_without_the_key_are_unsigned(tmp_path, signer, case_events, rulebook):
    init, opened, events = case_events
    journal, live = signed_journal(tmp_path / "j.journal", signer, case_events, rulebook, upto=2)
    journal.close()
    plain = Journal(tmp_path / "j.journal", clock=Clock())  # no signer
    resumed = LiveCase.resume(plain, live.case.id, rulebook)
    assert resumed.submit(events[2]).accepted
    plain.close()
    report = verify_journal(tmp_path / "j.journal")
    assert not report.ok and report.problem.kind == "unsigned"


def test_checkpoint_cli_and_verify_by_default(tmp_path, signer, case_events, rulebook):
    heads = Signer.generate()  # the application's key, signing every head
    journal, _ = signed_journal(tmp_path / "j.journal", heads, case_events, rulebook, upto=3)
    journal.close()
    key = tmp_path / "keys" / "journal.key"  # the auditor's key, signing exported checkpoints
    key.parent.mkdir()
    made_key = invoke("journal", "keygen", key)
    assert made_key.exit_code == 0 and made_key.output == f"已写出 {key}（私钥）和 {key}.pub（公钥）\n"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    again = {lang: invoke("journal", "keygen", key, "--lang", lang) for lang in ("zh", "en")}
    assert again["zh"].exit_code == again["en"].exit_code == 2
    assert again["zh"].output == f"错误：{key} 已存在；不覆盖密钥\n"
    assert again["en"].output == f"error: {key} exists; not overwriting a key\n"
    kept = tmp_path / "kept.checkpoints"
    made = invoke("journal", "checkpoint", tmp_path / "j.journal", "--key", key, "-o", kept, "--lang", "en")
    assert made.exit_code == 0 and made.output.startswith(f"{tmp_path / 'j.journal'}: signed entry "), made.output
    assert len(load_checkpoints(kept)) == 1
    made = invoke("journal", "checkpoint", tmp_path / "j.journal", "--key", key, "-o", kept)
    assert made.exit_code == 0 and made.output.startswith(f"{tmp_path / 'j.journal'}：已签署第 "), made.output
    assert len(load_checkpoints(kept)) == 2
    # a checkpoint file that cannot be written is exit status 5 (the output could not be written), not 2
    unwritable = invoke("journal", "checkpoint", tmp_path / "j.journal", "--key", key, "-o", tmp_path / "no" / "c")
    assert unwritable.exit_code == 5 and unwritable.output == f"错误：无法写出 {tmp_path / 'no' / 'c'}：没有这个文件或目录\n"
    pub = f"{key}.pub"
    ok = invoke("journal", "verify", tmp_path / "j.journal", "--checkpoint", kept, "--public-key", pub,
                "--public-key", heads.public_hex, "--lang", "en")
    assert ok.exit_code == 0 and "signed checkpoints" in ok.output, ok.output  # the signed heads + the kept one
    zh = invoke("journal", "verify", tmp_path / "j.journal", "--checkpoint", kept, "--public-key", pub,
                "--public-key", heads.public_hex)
    assert zh.exit_code == 0 and "个签名检查点（密钥 " in zh.output, zh.output
    assert invoke("journal", "verify", tmp_path / "j.journal").exit_code == 0  # checked by default
    # the kept checkpoint is also held in the journal (`journal checkpoint` keeps it): one checkpoint
    # verified, not two (the count once said one more than the journal holds)
    held = verify_journal(tmp_path / "j.journal").checkpoints
    assert verify_journal(tmp_path / "j.journal", checkpoints=load_checkpoints(kept)).checkpoints == held
    # signed heads by another key are in the file: verified by default, refused when that key is not trusted
    strict = invoke("journal", "verify", tmp_path / "j.journal", "--public-key", pub, "--lang", "en")
    assert strict.exit_code == 1 and "not trusted" in strict.output
    strict = invoke("journal", "verify", tmp_path / "j.journal", "--public-key", pub)
    assert strict.exit_code == 1 and "：日志中保存的第 1 个检查点：由不受信任的密钥 " in strict.output, strict.output
    sql(tmp_path / "j.journal", truncate_and_update_head, "DELETE FROM checkpoints",
        "DELETE FROM meta WHERE key = 'signed_heads'")
    caught = invoke("journal", "verify", tmp_path / "j.journal", "--checkpoint", kept, "--lang", "en")
    assert caught.exit_code == 1 and "tampered" in caught.output
    caught = invoke("journal", "verify", tmp_path / "j.journal", "--checkpoint", kept)
    assert caught.exit_code == 1 and "已被篡改" in caught.output and caught.output.endswith("：所给的第 4 条记录的检查点签署了第 4 条记录，但日志只有 1 条：记录被删除，或放回了较旧的副本\n"), caught.output
    nonsense = {lang: invoke("journal", "verify", tmp_path / "j.journal", "--public-key", "nonsense", "--lang", lang)
                for lang in ("zh", "en")}
    assert nonsense["zh"].exit_code == nonsense["en"].exit_code == 2
    assert nonsense["zh"].output.startswith("错误：nonsense：既不是公钥（64 位十六进制数字），也不是可读取的密钥文件（"), nonsense["zh"].output
    assert nonsense["en"].output.startswith("error: nonsense: not a public key (64 hex digits) nor a readable key file (")


# -- older journals, read-only copies, storage failures ---------------------------------------------

def test_an_old_format_journal_still_verifies_and_is_migrated_on_write(tmp_path, case_events, rulebook):
    path = tmp_path / "old.journal"
    journal = Journal(path, clock=Clock())
    init, opened, events = case_events
    live = LiveCase.open(init, opened, rulebook, journal=journal)
    journal.close()
    # Make it what format 1 wrote, including an entry whose number format differs from JCS (1e-07).
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'format'", (LEGACY_FORMAT,))
    conn.execute("DELETE FROM meta WHERE key IN ('jcs_from', 'id')")
    seq, prev = conn.execute("SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1").fetchone()
    content = {"note": "old", "ratio": 1e-7}
    digest = entry_hash(seq + 1, live.case.id, "finding", None, content, "x", "2019-01-01", prev)
    conn.execute("INSERT INTO entries VALUES (?, ?, 'finding', NULL, ?, 'x', '2019-01-01', ?, ?)",
                 (seq + 1, live.case.id, canonical_json(content), prev, digest))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'head'", (f"{seq + 1}:{digest}",))
    conn.commit()
    conn.close()
    assert canonical_json(content) != jcs(content)
    assert verify_journal(path).ok
    journal = Journal(path, clock=Clock())  # opened for writing: migrated
    assert journal.jcs_from == seq + 2
    resumed = LiveCase.resume(journal, live.case.id, rulebook)
    assert resumed.submit(events[0]).accepted
    journal.close()
    assert verify_journal(path).ok
    assert invoke("journal", "verify", path).exit_code == 0


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to drop to another user")
def test_a_read_only_copy_with_its_wal_verifies(tmp_path, signer, case_events, rulebook):
    journal, _ = signed_journal(tmp_path / "j.journal", signer, case_events, rulebook, upto=4)
    place = Path(os.environ.get("TMPDIR", "/tmp")) / f"cadre-ro-{os.getpid()}"
    place.mkdir()
    try:
        copy = copy_journal(tmp_path / "j.journal", place / "j.journal")
        journal.close()
        assert Path(f"{copy}-wal").exists() and not Path(f"{copy}-shm").exists()
        for item in (copy, Path(f"{copy}-wal")):
            item.chmod(0o444)
        place.chmod(0o555)
        before = {p.name: p.read_bytes() for p in place.iterdir()}
        program = textwrap.dedent(f"""
            from cadre_rules import verify_journal
            report = verify_journal({str(copy)!r})
            print(report)
        """)
        proc = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c", program],
                              capture_output=True, text=True, timeout=120, cwd="/")
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith("intact: ") and "signed checkpoint" in proc.stdout
        assert {p.name: p.read_bytes() for p in place.iterdir()} == before  # nothing written
    finally:
        place.chmod(0o755)
        shutil.rmtree(place)


def test_storage_failures_are_journal_errors(tmp_path, case_events, rulebook):
    path = tmp_path / "j.journal"
    journal = Journal(path, timeout=0.2)
    journal.append("c", "open", {"x": 1}, "v")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(JournalError, match="locked"):
        journal.append("c", "event", {"x": 2}, "v")
    holder.execute("ROLLBACK")
    holder.close()
    journal._conn.execute("PRAGMA max_page_count = " + str(journal._conn.execute("PRAGMA page_count").fetchone()[0]))
    with pytest.raises(JournalError, match="full"):
        for i in range(2000):
            journal.append("c", "event", {"x": "y" * 2000, "i": i}, "v")
    journal.close()
    assert verify_journal(path).ok  # what was acknowledged is intact


# -- corrections and the plausibility window --------------------------------------------------------

def test_a_mistyped_year_is_refused_and_a_mistaken_event_can_be_corrected(tmp_path, case_events, rulebook):
    init, opened, events = case_events
    journal = Journal(tmp_path / "j.journal", clock=Clock())
    live = LiveCase.open(init, opened, rulebook, journal=journal)
    assert live.submit(events[0]).accepted
    far = Event("typo-2201", events[1].kind, D("2201-03-16"), events[1].data)
    refused = live.submit(far)
    assert not refused.accepted and refused.refused_rule_ids == ("IMPLAUSIBLE-DATE",)
    # a wrong but plausible date is accepted … and then blocks every real event
    wrong = Event("typo-2022", events[1].kind, D("2022-03-16"), events[1].data)
    assert live.submit(wrong).accepted and live.stage == "recommendation"
    assert live.submit(events[1]).refused_rule_ids == ("OUT-OF-ORDER",)
    fix = live.submit(Event("fix-1", "correct", D("2021-03-17"), {"supersedes": "typo-2022", "reason": "年份输错"}))
    assert fix.accepted and fix.stage == "motion" and live.last_on == D("2021-03-02")
    assert live.submit(Event("rec-again", events[1].kind, events[1].on, events[1].data)).accepted
    for event in events[2:6]:
        assert live.submit(event).accepted, live.log[-1].reason
    assert not live.submit(Event("fix-2", "correct", D("2021-04-01"), {"supersedes": "typo-2022", "reason": "x"})).accepted
    assert not live.submit(Event("fix-3", "correct", D("2021-04-01"), {"supersedes": "nothing", "reason": "x"})).accepted
    kinds = [e.event_id for e in journal.entries(kind="event")]
    assert "typo-2022" in kinds and "fix-1" in kinds  # history kept, not rewritten
    journal.close()
    again = Journal(tmp_path / "j.journal")
    resumed = LiveCase.resume(again, live.case.id, rulebook)
    assert resumed.case == live.case and resumed.stage == live.stage and resumed.findings == live.findings
    again.close()
    assert verify_journal(tmp_path / "j.journal").ok


# -- a verifier in another language ------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_node_verifier_checks_an_exported_chain(tmp_path, signer, case_events, rulebook):
    journal, _ = signed_journal(tmp_path / "j.journal", signer, case_events, rulebook)
    journal.close()
    out = tmp_path / "chain.json"
    assert invoke("journal", "export", tmp_path / "j.journal", "--format", "chain", "-o", out).exit_code == 0

    def node(path: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["node", str(NODE_VERIFIER), str(path), *args], capture_output=True, text=True, timeout=60)

    ok = node(out, "--public-key", signer.public_hex)
    assert ok.returncode == 0 and ok.stdout.startswith("intact: ") and signer.public_hex in ok.stdout, ok.stderr
    assert node(out, "--public-key", Signer.generate().public_hex).returncode == 1
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["entries"][4]["content"] = '{"accepted":false,' + doc["entries"][4]["content"][1:]
    dup = tmp_path / "dup.json"
    dup.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    caught = node(dup)
    assert caught.returncode == 1 and "entry 5" in caught.stdout and "canonical" in caught.stdout
    # a recompute-all rewrite exported: every hash fits, the signed checkpoints do not
    bad = copy_journal(tmp_path / "j.journal", tmp_path / "rewritten.journal")
    sql(bad, recompute_all)
    (tmp_path / "rewritten.json").write_text(export_chain(Journal(bad, create=False, readonly=True)), encoding="utf-8")
    kept = tmp_path / "kept.jsonl"
    kept.write_text("".join(text + "\n" for text in Journal(tmp_path / "j.journal", readonly=True).stored_checkpoints()))
    assert node(tmp_path / "rewritten.json").returncode == 0  # no checkpoint: a consistent rewrite
    rewritten = node(tmp_path / "rewritten.json", "--checkpoint", str(kept))
    assert rewritten.returncode == 1 and "rewritten" in rewritten.stdout


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_jcs_numbers_and_strings_match_javascript():
    import random

    rng = random.Random(8785)
    values: list = [1.0, 0.1, 1e21, 1e20, 1e-7, 1e-6, 123.456, -1.234e-6, 5e-324, 1.7976931348623157e308, 1e23,
                    2.5e-5, 9007199254740991, -9007199254740991, 0.5]
    values += [rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30) for _ in range(2000)]
    values += ["a\u0001\u001f\"\\\b\f\n\r\t\u007f\u2028决", "\U0001F600", {"b": [1, {"\U0001F600": 1, "\uffff": 2}], "€": 3}]
    program = "const v=JSON.parse(require('fs').readFileSync(0,'utf8'));" \
              "const j=x=>x===null||typeof x!=='object'?JSON.stringify(x):Array.isArray(x)?'['+x.map(j).join(',')+']':" \
              "'{'+Object.keys(x).sort().map(k=>JSON.stringify(k)+':'+j(x[k])).join(',')+'}';" \
              "console.log(JSON.stringify(v.map(j)))"
    proc = subprocess.run(["node", "-e", program], input=json.dumps(values), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert [jcs(v) for v in values] == json.loads(proc.stdout)
