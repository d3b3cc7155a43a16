"""The journal: an append-only, hash-chained record of what happened to live cases (SQLite).

Every entry carries a sequence number (1, 2, 3 … with no gaps), the case it belongs to, a kind
(`open`, `event`, `refusal`, `finding`), an optional event id, its content (JSON), the version of
the rulebook that judged it, the time it was recorded and the hash of the entry before it. Its own
hash is the SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of all of these:

    sha256(canonical({"seq", "case", "kind", "event", "content", "rulebook", "recorded", "prev"}))

so changing, deleting, inserting or reordering any entry breaks the chain at that entry, and
`verify` names the first bad one. A `head` row in the `meta` table, written in the same
transaction as every append, catches a deleted tail. Someone able to rewrite the file *and*
recompute every hash is caught only by an anchor kept elsewhere: the (seq, hash) receipt an
append returns; `verify(anchors=...)` checks the journal still holds it.

The recorded time comes from an injectable clock (UTC now by default). It is metadata: no verdict
ever depends on it — the verdicts depend on the dates of the events.

Durability and concurrency: WAL mode, `synchronous=FULL`, each append one `BEGIN IMMEDIATE`
transaction. An append is acknowledged when `append` (or the `transaction()` block) returns; a
process killed at any point before that leaves no trace of it, a process killed after it loses
nothing. Writers in several processes are serialised by SQLite's write lock (waiting up to
`timeout` seconds); the next sequence number and previous hash are read inside the lock.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import urllib.parse
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from cadre_rules.errors import JournalError, JournalTampered, JournalUnreadable

FORMAT = "cadre-rules-journal/1"
GENESIS = "0" * 64
KINDS = ("open", "event", "refusal", "finding")

Clock = Callable[[], datetime]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    seq      INTEGER PRIMARY KEY,
    case_id  TEXT NOT NULL,
    kind     TEXT NOT NULL,
    event_id TEXT,
    content  TEXT NOT NULL,
    rulebook TEXT NOT NULL,
    recorded TEXT NOT NULL,
    prev     TEXT NOT NULL,
    hash     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_case ON entries (case_id, seq);
"""


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def canonical_json(value: Any) -> str:
    """The one serialisation that is hashed: sorted keys, no whitespace, UTF-8 text, no NaN."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def entry_hash(seq: int, case_id: str, kind: str, event_id: str | None, content: Any, rulebook: str, recorded: str,
               prev: str) -> str:
    body = {"seq": seq, "case": case_id, "kind": kind, "event": event_id, "content": content, "rulebook": rulebook,
            "recorded": recorded, "prev": prev}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Receipt:
    """What an acknowledged append returns: keep it elsewhere to anchor the journal."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> "Receipt":
        seq, sep, digest = text.partition(":")
        if not sep or not seq.strip().isdigit() or len(digest.strip()) != 64:
            raise ValueError(f"an anchor is SEQ:SHA256, not {text!r}")
        return cls(int(seq), digest.strip().lower())


@dataclass(frozen=True)
class Entry:
    seq: int
    case_id: str
    kind: str
    event_id: str | None
    content: Any
    rulebook: str
    recorded: str
    prev: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def receipt(self) -> Receipt:
        return Receipt(self.seq, self.hash)


@dataclass(frozen=True)
class Problem:
    """The first bad entry: its sequence number, what is wrong, and a sentence for people."""

    seq: int
    kind: str  # altered | broken-link | missing | out-of-sequence | unreadable-entry | truncated | anchor
    message: str


@dataclass(frozen=True)
class VerifyReport:
    entries: int
    head: Receipt | None
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def __str__(self) -> str:
        if self.problem is not None:
            return f"tampered: entry {self.problem.seq}: {self.problem.message}"
        head = f"; head {self.head}" if self.head else ""
        return f"intact: {self.entries} entries{head}"

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "head": asdict(self.head) if self.head else None,
                "problem": asdict(self.problem) if self.problem else None}


class Writer:
    """Appends inside one open transaction; see `Journal.transaction`."""

    def __init__(self, journal: "Journal") -> None:
        self._journal = journal
        row = journal._conn.execute("SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1").fetchone()
        self.head: Receipt | None = Receipt(row[0], row[1]) if row else None
        self.appended: list[Receipt] = []

    def append(self, case_id: str, kind: str, content: Any, rulebook: str, event_id: str | None = None) -> Receipt:
        if kind not in KINDS:
            raise ValueError(f"unknown entry kind {kind!r}")
        seq = self.head.seq + 1 if self.head else 1
        prev = self.head.hash if self.head else GENESIS
        recorded = self._journal._now()
        text = canonical_json(content)
        digest = entry_hash(seq, case_id, kind, event_id, json.loads(text), rulebook, recorded, prev)
        self._journal._conn.execute(
            "INSERT INTO entries (seq, case_id, kind, event_id, content, rulebook, recorded, prev, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (seq, case_id, kind, event_id, text, rulebook, recorded, prev, digest))
        self.head = Receipt(seq, digest)
        self.appended.append(self.head)
        return self.head

    def entries(self, after: int = 0, case_id: str | None = None) -> list[Entry]:
        """Entries written by anyone up to now (the transaction holds the write lock)."""
        return list(self._journal.entries(after=after, case_id=case_id))

    def has_case(self, case_id: str) -> bool:
        return self._journal._conn.execute("SELECT 1 FROM entries WHERE case_id = ? LIMIT 1", (case_id,)).fetchone() is not None


class Journal:
    """An append-only, hash-chained journal in an SQLite file (or ":memory:").

    `clock` returns the time an entry is recorded (default: UTC now); it never affects a verdict.
    `create=False` opens an existing journal only (JournalUnreadable otherwise), and writes nothing
    unless asked to append.
    """

    def __init__(self, path: str | Path = ":memory:", *, clock: Clock | None = None, create: bool = True,
                 timeout: float = 30.0, synchronous: str = "FULL") -> None:
        self.path = str(path)
        self._clock = clock or utc_now
        self._lock = threading.RLock()
        memory = self.path == ":memory:"
        if not memory and not create and not Path(self.path).is_file():
            raise JournalUnreadable(f"{self.path}: no such journal file", path=self.path)
        target = self.path if memory or create else f"file:{urllib.parse.quote(self.path)}?mode=rw"
        try:
            self._conn = sqlite3.connect(target, isolation_level=None, timeout=timeout, uri=not (memory or create),
                                         check_same_thread=False)
            self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            if create:
                self._setup(synchronous)
            else:
                self._conn.execute(f"PRAGMA synchronous = {synchronous}")
            self._check_format()
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            raise JournalUnreadable(f"{self.path}: {exc}", path=self.path) from None
        except BaseException:
            self._close_quietly()
            raise

    # -- set-up ---------------------------------------------------------------------------------

    def _foreign_tables(self) -> set[str] | None:
        tables = {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return tables if tables and not {"meta", "entries"} <= tables else None

    def _setup(self, synchronous: str) -> None:
        foreign = self._foreign_tables()  # before anything is changed, even the journal mode
        if foreign:
            raise JournalUnreadable(f"{self.path}: an SQLite database that is not a cadre-rules journal "
                                    f"(tables: {', '.join(sorted(foreign))}); not touching it", path=self.path)
        if self.path != ":memory:":
            mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise JournalError(f"{self.path}: cannot switch to WAL mode (got {mode})", path=self.path)
        self._conn.execute(f"PRAGMA synchronous = {synchronous}")
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            foreign = self._foreign_tables()
            if foreign:
                raise JournalUnreadable(f"{self.path}: an SQLite database that is not a cadre-rules journal "
                                        f"(tables: {', '.join(sorted(foreign))}); not touching it", path=self.path)
            for statement in filter(str.strip, _SCHEMA.split(";")):
                self._conn.execute(statement)
            self._conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('format', ?)", (FORMAT,))
            self._conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('created', ?)", (self._now(),))
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise

    def _check_format(self) -> None:
        tables = {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"meta", "entries"} <= tables:
            raise JournalUnreadable(f"{self.path}: not a cadre-rules journal (no entries/meta tables)", path=self.path)
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if row is None or row[0] != FORMAT:
            raise JournalUnreadable(f"{self.path}: unknown journal format {row[0] if row else None!r} (expected {FORMAT})", path=self.path)

    def _now(self) -> str:
        moment = self._clock()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")

    def _close_quietly(self) -> None:
        try:
            self._conn.close()
        except Exception:  # noqa: BLE001 - closing a half-open connection
            pass

    # -- writing --------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Writer]:
        """One write transaction (BEGIN IMMEDIATE): every append in the block commits together or not at all."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                writer = Writer(self)
                yield writer
                if writer.appended:
                    self._conn.execute("INSERT INTO meta (key, value) VALUES ('head', ?)"
                                       " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(writer.head),))
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def append(self, case_id: str, kind: str, content: Any, rulebook: str, event_id: str | None = None) -> Receipt:
        """Append one entry in its own transaction; the receipt means it is durable."""
        with self.transaction() as writer:
            receipt = writer.append(case_id, kind, content, rulebook, event_id)
        return receipt

    # -- reading --------------------------------------------------------------------------------

    def entries(self, after: int = 0, case_id: str | None = None, kind: str | None = None) -> Iterator[Entry]:
        """Entries in sequence order (content parsed), optionally of one case or kind, after a sequence number."""
        sql = "SELECT seq, case_id, kind, event_id, content, rulebook, recorded, prev, hash FROM entries WHERE seq > ?"
        args: list[Any] = [after]
        if case_id is not None:
            sql += " AND case_id = ?"
            args.append(case_id)
        if kind is not None:
            sql += " AND kind = ?"
            args.append(kind)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY seq", args).fetchall()
        for row in rows:
            yield Entry(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], row[6], row[7], row[8])

    def head(self) -> Receipt | None:
        with self._lock:
            row = self._conn.execute("SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1").fetchone()
        return Receipt(row[0], row[1]) if row else None

    def cases(self) -> list[str]:
        """Case ids in the order they first appear."""
        with self._lock:
            rows = self._conn.execute("SELECT case_id, MIN(seq) AS first FROM entries GROUP BY case_id ORDER BY first")
            return [r[0] for r in rows]

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def verify(self, anchors: Iterable[Receipt] = ()) -> VerifyReport:
        """Walk the whole chain in one read snapshot (streaming); the report names the first bad entry, if any."""
        with self._lock:
            own = not self._conn.in_transaction
            if own:
                self._conn.execute("BEGIN")
            try:
                head_row = self._conn.execute("SELECT value FROM meta WHERE key = 'head'").fetchone()
                cursor = self._conn.execute("SELECT seq, case_id, kind, event_id, content, rulebook, recorded, prev, hash"
                                            " FROM entries ORDER BY seq")
                return check_chain(cursor, head_row[0] if head_row else None, list(anchors))
            finally:
                if own:
                    self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_chain(rows: Iterable[tuple[Any, ...]], recorded_head: str | None, anchors: list[Receipt]) -> VerifyReport:
    """The chain check itself, over raw rows (seq, case_id, kind, event_id, content, rulebook, recorded, prev, hash)
    in sequence order; constant memory apart from the anchored hashes."""
    prev, expected, count = GENESIS, 1, 0
    last: Receipt | None = None
    wanted = {a.seq for a in anchors}
    hashes: dict[int, str] = {}

    def bad(seq: int, kind: str, message: str) -> VerifyReport:
        return VerifyReport(count, last, Problem(seq, kind, message))

    for seq, case_id, kind, event_id, content, rulebook, recorded, link, digest in rows:
        if seq != expected:
            if seq > expected:
                missing = f"entry {expected}" if seq == expected + 1 else f"entries {expected}–{seq - 1}"
                return bad(seq, "missing", f"{missing} missing before it (deleted?)")
            return bad(seq, "out-of-sequence", f"sequence number {seq} where {expected} was expected")
        try:
            parsed = json.loads(content)
        except (TypeError, ValueError) as exc:
            return bad(seq, "unreadable-entry", f"content is not JSON ({exc})")
        if link != prev:
            return bad(seq, "broken-link", f"its previous hash does not match entry {seq - 1}: an entry before it was "
                                           "deleted, inserted or reordered")
        try:
            actual = entry_hash(seq, case_id, kind, event_id, parsed, rulebook, recorded, link)
        except (TypeError, ValueError) as exc:
            return bad(seq, "unreadable-entry", f"cannot hash the entry ({exc})")
        if actual != digest:
            return bad(seq, "altered", "its content does not match its hash (altered)")
        if seq in wanted:
            hashes[seq] = digest
        prev, expected, count, last = digest, expected + 1, count + 1, Receipt(seq, digest)
    if recorded_head != (str(last) if last else None):
        try:
            head_seq = Receipt.parse(recorded_head).seq if recorded_head else 0
        except ValueError:
            head_seq = -1
        if recorded_head is None:
            return bad(count, "truncated", "the journal's head record is missing")
        if head_seq < 0:
            return bad(max(count, 1), "truncated", f"the journal's head record {recorded_head!r} is unreadable")
        if head_seq > count:
            return bad(count + 1, "truncated", f"the head record says the journal ends at entry {head_seq}, but it ends "
                                               f"at {count}: entries were deleted from the end")
        if head_seq < count:
            return bad(head_seq + 1, "truncated", f"the head record says the journal ends at entry {head_seq}: the "
                                                  "entries after it were added outside the journal")
        return bad(count, "altered", "the last entry differs from the head record: it was replaced")
    for anchor in anchors:
        if anchor.seq not in hashes:
            return bad(anchor.seq, "truncated", f"anchored entry {anchor.seq} is missing (the journal has {count})")
        if hashes[anchor.seq] != anchor.hash:
            return bad(anchor.seq, "anchor", f"hash {hashes[anchor.seq][:16]}… differs from the anchor "
                                              f"{anchor.hash[:16]}…: the journal was rewritten up to here")
    return VerifyReport(count, last)


def verify_journal(path: str | Path, anchors: Iterable[Receipt] = ()) -> VerifyReport:
    """Open an existing journal file without changing it and verify it; JournalUnreadable if it is not one."""
    journal = Journal(path, create=False)
    try:
        try:
            return journal.verify(anchors)
        except sqlite3.DatabaseError as exc:
            raise JournalUnreadable(f"{path}: {exc}", path=str(path)) from None
    finally:
        journal.close()


def export_entries(journal: Journal, fmt: str = "json", case_id: str | None = None) -> str:
    """Entries as one JSON document (with the verification result) or as JSON lines, one entry per line."""
    entries = [e.to_dict() for e in journal.entries(case_id=case_id)]
    if fmt == "jsonl":
        return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
    if fmt == "json":
        doc = {"format": FORMAT, "path": journal.path, "verify": journal.verify().to_dict(), "entries": entries}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown export format {fmt!r} (json, jsonl)")


__all__ = ["FORMAT", "GENESIS", "Entry", "Journal", "JournalError", "JournalTampered", "JournalUnreadable", "Problem",
           "Receipt", "VerifyReport", "Writer", "canonical_json", "check_chain", "entry_hash", "export_entries",
           "utc_now", "verify_journal"]
