"""The journal: an append-only, hash-chained record of what happened to live cases (SQLite).

Every entry carries a sequence number (1, 2, 3 … with no gaps), the case it belongs to, a kind
(`open`, `event`, `refusal`, `finding`; `decision` in the decision service's log), an optional event id, its content (JSON), the version of
the rulebook that judged it, the time it was recorded and the hash of the entry before it. Its own
hash is the SHA-256 of the RFC 8785 (JCS) canonical JSON of all of these, UTF-8:

    sha256(JCS({"seq", "case", "kind", "event", "content", "rulebook", "recorded", "prev"}))

where `content` is the stored text itself, which must be exactly the JCS form of its value (so the
hash covers the stored bytes: a duplicate member or any other re-spelling fails verification, and a
verifier in another language needs only JCS and SHA-256; see docs/journal.md). Changing, deleting,
inserting or reordering any entry breaks the chain at that entry, and `verify` names the first bad
one. A `head` row in the `meta` table, written in the same transaction as every append, catches a
deleted tail. Someone able to rewrite the file *and* recompute every hash is caught by what is kept
elsewhere: the (seq, hash) receipt an append returns (`verify(anchors=...)`), and signed checkpoints
(Ed25519 over the head, cadre_rules/live/signing.py): a journal opened with a `signer` signs its head
in every write transaction, and `verify` checks every checkpoint it holds or is given.

Formats: `cadre-rules-journal/1` hashed Python's canonical JSON of the parsed content. Opening such a
journal for writing migrates it to `/2` by recording `jcs_from` (the first entry under JCS) in the
meta table; the older entries keep their hashes and verify by the old rule (with duplicate members
refused), so old journals still verify.

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
import os
import shutil
import sqlite3
import tempfile
import threading
import urllib.parse
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from cadre_rules.errors import ErrorKind, JournalError, JournalTampered, JournalUnreadable, Said
from cadre_rules.errors import Problem as Unreadable  # a journal's kind of problem (Problem here is verify's)
from cadre_rules.live.canonical import CanonicalError, canonical_text_of, jcs, strict_loads
from cadre_rules.live.signing import Checkpoint, Signer, SigningError

FORMAT = "cadre-rules-journal/2"
LEGACY_FORMAT = "cadre-rules-journal/1"
CHAIN_EXPORT_FORMAT = "cadre-rules-journal-chain/1"
GENESIS = "0" * 64
# `decision`: an entry of the decision service's log (cadre_rules.service), kept in its own journal file
KINDS = ("open", "event", "refusal", "finding", "decision")

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
CREATE TABLE IF NOT EXISTS checkpoints (seq INTEGER NOT NULL, body TEXT NOT NULL);
"""


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def canonical_json(value: Any) -> str:
    """The one serialisation that is hashed: sorted keys, no whitespace, UTF-8 text, no NaN."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def entry_hash(seq: int, case_id: str, kind: str, event_id: str | None, content: Any, rulebook: str, recorded: str,
               prev: str) -> str:
    """The hash of a `cadre-rules-journal/1` entry (over the parsed content)."""
    body = {"seq": seq, "case": case_id, "kind": kind, "event": event_id, "content": content, "rulebook": rulebook,
            "recorded": recorded, "prev": prev}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def entry_body(seq: int, case_id: str, kind: str, event_id: str | None, content_text: str, rulebook: str,
               recorded: str, prev: str) -> str:
    """The JCS text hashed for a `/2` entry: the stored content text goes in verbatim (it must itself
    be canonical), the other members are JCS-encoded; members in JCS order."""
    members = (("case", jcs(case_id)), ("content", content_text), ("event", jcs(event_id)), ("kind", jcs(kind)),
               ("prev", jcs(prev)), ("recorded", jcs(recorded)), ("rulebook", jcs(rulebook)), ("seq", jcs(seq)))
    return "{" + ",".join(f'"{name}":{value}' for name, value in members) + "}"


def entry_hash_jcs(seq: int, case_id: str, kind: str, event_id: str | None, content_text: str, rulebook: str,
                   recorded: str, prev: str) -> str:
    """The hash of a `/2` entry: SHA-256 of the UTF-8 bytes of `entry_body`."""
    return hashlib.sha256(entry_body(seq, case_id, kind, event_id, content_text, rulebook, recorded, prev)
                          .encode("utf-8")).hexdigest()


def stored_hash(row: tuple[Any, ...], jcs_from: int) -> str:
    """The hash a stored row (seq, case, kind, event, content text, rulebook, recorded, prev, …) must
    have, by the rule of its format; CanonicalError if its content is not acceptable JSON."""
    seq, case_id, kind, event_id, text, rulebook, recorded, prev = row[:8]
    if seq >= jcs_from:
        canonical_text_of(text)
        return entry_hash_jcs(seq, case_id, kind, event_id, text, rulebook, recorded, prev)
    return entry_hash(seq, case_id, kind, event_id, strict_loads(text), rulebook, recorded, prev)


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
    content_text: str = field(default="", compare=False, repr=False)  # the stored text, as hashed

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        del out["content_text"]
        return out

    @property
    def receipt(self) -> Receipt:
        return Receipt(self.seq, self.hash)


@dataclass(frozen=True)
class Problem:
    """The first bad entry: its sequence number, what is wrong, and a sentence for people."""

    seq: int
    kind: str  # altered | broken-link | missing | out-of-sequence | unreadable-entry | truncated | anchor | checkpoint | unsigned
    message: str
    zh: str = field(default="", compare=False)  # the sentence in Chinese (`journal verify --lang zh`)

    def text(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" and self.zh else self.message


@dataclass(frozen=True)
class VerifyReport:
    entries: int
    head: Receipt | None
    problem: Problem | None = None
    checkpoints: int = 0  # signed checkpoints checked (held in the journal and given)
    keys: tuple[str, ...] = ()  # the public keys that signed them

    @property
    def ok(self) -> bool:
        return self.problem is None

    def __str__(self) -> str:
        return self.describe("en")

    def describe(self, lang: str = "en") -> str:
        """The verdict in one line, in `lang` ("zh" or "en"; str() is the English)."""
        keys = ", ".join(k[:16] + "…" for k in self.keys)
        if lang == "zh":
            if self.problem is not None:
                return f"已被篡改：第 {self.problem.seq} 条记录：{self.problem.text('zh')}"
            head = f"；头 {self.head}" if self.head else ""
            signed = f"；{self.checkpoints} 个签名检查点（密钥 {keys}）" if self.checkpoints else ""
            return f"完好：{self.entries} 条记录{head}{signed}"
        if self.problem is not None:
            return f"tampered: entry {self.problem.seq}: {self.problem.message}"
        head = f"; head {self.head}" if self.head else ""
        signed = (f"; {self.checkpoints} signed checkpoint{'s' if self.checkpoints != 1 else ''} "
                  f"(key {keys})" if self.checkpoints else "")
        return f"intact: {self.entries} entries{head}{signed}"

    def to_dict(self) -> dict[str, Any]:
        """For `--format json`: the English sentence, as ever, beside the problem's kind."""
        problem = ({"seq": self.problem.seq, "kind": self.problem.kind, "message": self.problem.message}
                   if self.problem else None)
        return {"ok": self.ok, "entries": self.entries, "head": asdict(self.head) if self.head else None,
                "problem": problem, "checkpoints": self.checkpoints, "keys": list(self.keys)}


class Writer:
    """Appends inside one open transaction; see `Journal.transaction`."""

    def __init__(self, journal: "Journal") -> None:
        self._journal = journal
        with journal._storage("read"):
            row = journal._conn.execute("SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1").fetchone()
        self.head: Receipt | None = Receipt(row[0], row[1]) if row else None
        self.appended: list[Receipt] = []

    def append(self, case_id: str, kind: str, content: Any, rulebook: str, event_id: str | None = None) -> Receipt:
        if kind not in KINDS:
            raise ValueError(f"unknown entry kind {kind!r}")
        seq = self.head.seq + 1 if self.head else 1
        prev = self.head.hash if self.head else GENESIS
        recorded = self._journal._now()
        try:
            text = jcs(content)
        except CanonicalError as exc:
            raise JournalError(f"entry content cannot be journaled: {exc}") from None
        if seq >= self._journal.jcs_from:
            digest = entry_hash_jcs(seq, case_id, kind, event_id, text, rulebook, recorded, prev)
        else:  # pragma: no cover - a migrated journal always appends under JCS
            digest = entry_hash(seq, case_id, kind, event_id, json.loads(text), rulebook, recorded, prev)
        with self._journal._storage("append"):
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
        with self._journal._storage("read"):
            return self._journal._conn.execute("SELECT 1 FROM entries WHERE case_id = ? LIMIT 1",
                                               (case_id,)).fetchone() is not None


class Journal:
    """An append-only, hash-chained journal in an SQLite file (or ":memory:").

    `clock` returns the time an entry is recorded (default: UTC now); it never affects a verdict.
    `create=False` opens an existing journal only (JournalUnreadable otherwise), and writes nothing
    unless asked to append. `readonly=True` opens it read-only (SQLite `mode=ro`): nothing can be
    written, and a journal in a read-only place can still be read and verified. `signer` (an Ed25519
    key, see cadre_rules.live.signing) signs the head in every write transaction.
    Every storage failure (locked, disk full, I/O error) is a JournalError.
    """

    def __init__(self, path: str | Path = ":memory:", *, clock: Clock | None = None, create: bool = True,
                 timeout: float = 30.0, synchronous: str = "FULL", readonly: bool = False,
                 signer: Signer | None = None) -> None:
        self.path = str(path)
        self._clock = clock or utc_now
        self._lock = threading.RLock()
        self.signer = signer
        self.readonly = readonly
        self.jcs_from = 1
        self.id = ""
        memory = self.path == ":memory:"
        if readonly:
            create = False
        if not memory and not create and not Path(self.path).is_file():
            raise JournalUnreadable.of(self.path, Unreadable(ErrorKind.journal_missing))
        mode = "ro" if readonly else "rw"
        target = self.path if memory or create else f"file:{urllib.parse.quote(self.path)}?mode={mode}"
        try:
            self._conn = sqlite3.connect(target, isolation_level=None, timeout=timeout, uri=not (memory or create),
                                         check_same_thread=False)
            self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            if create:
                self._setup(synchronous)
            elif not readonly:
                self._conn.execute(f"PRAGMA synchronous = {synchronous}")
            self._check_format()
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            raise JournalUnreadable.of(self.path, Unreadable(ErrorKind.journal_not_database, detail=str(exc))) from None
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
            raise JournalUnreadable.of(self.path, Unreadable(ErrorKind.journal_foreign_database, tables=", ".join(sorted(foreign))))
        if self.path != ":memory:":
            mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise JournalError(f"{self.path}: cannot switch to WAL mode (got {mode})", path=self.path)
        self._conn.execute(f"PRAGMA synchronous = {synchronous}")
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            foreign = self._foreign_tables()
            if foreign:
                raise JournalUnreadable.of(self.path, Unreadable(ErrorKind.journal_foreign_database,
                                                               tables=", ".join(sorted(foreign))))
            for statement in filter(str.strip, _SCHEMA.split(";")):
                self._conn.execute(statement)
            row = self._conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            if row is None:  # a new journal: JCS from its first entry
                self._conn.execute("INSERT INTO meta (key, value) VALUES ('format', ?)", (FORMAT,))
                self._conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('jcs_from', '1')")
            elif row[0] == LEGACY_FORMAT:  # migrate: the entries from the next one on are hashed under JCS
                last = self._conn.execute("SELECT COALESCE(MAX(seq), 0) FROM entries").fetchone()[0]
                self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('jcs_from', ?)", (str(last + 1),))
                self._conn.execute("UPDATE meta SET value = ? WHERE key = 'format'", (FORMAT,))
            self._conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('id', ?)", (str(uuid.uuid4()),))
            self._conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('created', ?)", (self._now(),))
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise

    def _check_format(self) -> None:
        tables = {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"meta", "entries"} <= tables:
            raise JournalUnreadable.of(self.path, Unreadable(ErrorKind.journal_no_tables))
        meta = dict(self._conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("format") not in (FORMAT, LEGACY_FORMAT):
            raise JournalUnreadable.of(self.path, Unreadable(ErrorKind.journal_unknown_format,
                                                          format=repr(meta.get("format")), expected=FORMAT))
        if meta["format"] == LEGACY_FORMAT:
            self.jcs_from = 2**62  # every entry by the old rule
        else:
            try:
                self.jcs_from = int(meta.get("jcs_from", "1"))
            except ValueError:
                raise JournalUnreadable.of(self.path, Unreadable(ErrorKind.journal_bad_meta, key="jcs_from",
                                                              value=repr(meta.get("jcs_from")))) from None
        self.id = meta.get("id", "")
        self._has_checkpoints = "checkpoints" in tables

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

    @contextmanager
    def _storage(self, doing: str) -> Iterator[None]:
        """SQLite's own failures (locked, disk full, I/O, read-only) as JournalError, naming the file."""
        try:
            yield
        except sqlite3.Error as exc:
            raise JournalError(f"{self.path}: cannot {doing}: {exc}", path=self.path) from None

    # -- writing --------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Writer]:
        """One write transaction (BEGIN IMMEDIATE): every append in the block commits together or not at all."""
        with self._lock:
            with self._storage("start a write"):
                self._conn.execute("BEGIN IMMEDIATE")
            try:
                writer = Writer(self)
                yield writer
                with self._storage("write"):
                    if writer.appended:
                        self._conn.execute("INSERT INTO meta (key, value) VALUES ('head', ?)"
                                           " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(writer.head),))
                        if self.signer is not None and writer.head is not None:
                            self._store_checkpoint(self._sign(writer.head))
                            self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('signed_heads', ?)",
                                               (self.signer.public_hex,))
                    self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    try:
                        self._conn.execute("ROLLBACK")
                    except sqlite3.Error:  # the rollback of a failed write (e.g. I/O error) may fail too
                        pass
                raise

    def _sign(self, head: Receipt) -> Checkpoint:
        assert self.signer is not None
        return Checkpoint.make(self.signer, self.id, head.seq, head.hash, self._now())

    def _store_checkpoint(self, checkpoint: Checkpoint) -> None:
        self._conn.execute("CREATE TABLE IF NOT EXISTS checkpoints (seq INTEGER NOT NULL, body TEXT NOT NULL)")
        self._conn.execute("INSERT INTO checkpoints (seq, body) VALUES (?, ?)", (checkpoint.seq, checkpoint.to_json()))

    def append(self, case_id: str, kind: str, content: Any, rulebook: str, event_id: str | None = None) -> Receipt:
        """Append one entry in its own transaction; the receipt means it is durable."""
        with self.transaction() as writer:
            receipt = writer.append(case_id, kind, content, rulebook, event_id)
        return receipt

    def checkpoint(self, signer: Signer | None = None) -> Checkpoint:
        """Sign the current head with `signer` (default: the journal's), keep it in the journal and
        return it, to be exported and kept elsewhere (`journal checkpoint`)."""
        signer = signer or self.signer
        if signer is None:
            raise JournalError("a checkpoint needs a signing key")
        with self._lock:
            with self._storage("write a checkpoint"):
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    head = self.head()
                    if head is None:
                        raise JournalError(f"{self.path}: an empty journal has no head to sign", path=self.path)
                    checkpoint = Checkpoint.make(signer, self.id, head.seq, head.hash, self._now())
                    self._store_checkpoint(checkpoint)
                    self._conn.execute("COMMIT")
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
        return checkpoint

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
        with self._lock, self._storage("read"):
            rows = self._conn.execute(sql + " ORDER BY seq", args).fetchall()
        for row in rows:
            try:
                content = json.loads(row[4])
            except (TypeError, ValueError) as exc:  # a damaged file: never written so by `append`
                raise JournalError(f"entry {row[0]}: its stored content is not JSON ({exc}): the journal is damaged "
                                   "(`cadre-rules journal verify` names the first altered entry)",
                                   path=self.path, case_id=row[1], seq=row[0],
                                   zh=f"第 {row[0]} 条记录：所存内容不是 JSON（{exc}）：日志已损坏"
                                      "（`cadre-rules journal verify` 会指出第一条被改动的记录）") from None
            yield Entry(row[0], row[1], row[2], row[3], content, row[5], row[6], row[7], row[8], row[4])

    def rehash(self, entry: Entry) -> str | None:
        """The hash `entry` must have by its format's rule (None if its stored content is not acceptable)."""
        try:
            return stored_hash((entry.seq, entry.case_id, entry.kind, entry.event_id, entry.content_text, entry.rulebook,
                                entry.recorded, entry.prev), self.jcs_from)
        except (CanonicalError, TypeError, ValueError):
            return None

    def head(self) -> Receipt | None:
        with self._lock, self._storage("read"):
            row = self._conn.execute("SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1").fetchone()
        return Receipt(row[0], row[1]) if row else None

    def cases(self) -> list[str]:
        """Case ids in the order they first appear."""
        with self._lock, self._storage("read"):
            rows = self._conn.execute("SELECT case_id, MIN(seq) AS first FROM entries GROUP BY case_id ORDER BY first")
            return [r[0] for r in rows]

    def __len__(self) -> int:
        with self._lock, self._storage("read"):
            return int(self._conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def stored_checkpoints(self) -> list[str]:
        """The signed checkpoints the journal holds, as stored (JSON texts), oldest first."""
        with self._lock, self._storage("read"):
            tables = {r[0] for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "checkpoints" not in tables:
                return []
            return [r[0] for r in self._conn.execute("SELECT body FROM checkpoints ORDER BY rowid")]

    def verify(self, anchors: Iterable[Receipt] = (), checkpoints: Iterable[Checkpoint] = (),
               trusted_keys: Iterable[str] = ()) -> VerifyReport:
        """Walk the whole chain in one read snapshot (streaming); the report names the first bad entry, if any.

        Then every signed checkpoint the journal holds, and every one given (kept elsewhere), must carry a
        good signature (by one of `trusted_keys`, when given) and name an entry the chain still holds,
        with the same hash. If the journal signs its heads, its last checkpoint must be its head."""
        with self._lock, self._storage("read"):
            own = not self._conn.in_transaction
            if own:
                self._conn.execute("BEGIN")
            try:
                meta = dict(self._conn.execute("SELECT key, value FROM meta").fetchall())
                stored = self.stored_checkpoints()
                cursor = self._conn.execute("SELECT seq, case_id, kind, event_id, content, rulebook, recorded, prev, hash"
                                            " FROM entries ORDER BY seq")
                signed: list[tuple[str | Said, Checkpoint | str]] = [
                    (Said(f"checkpoint {i + 1} held in the journal", f"日志中保存的第 {i + 1} 个检查点"), text)
                    for i, text in enumerate(stored)]
                given = [(Said(f"checkpoint of entry {c.seq} given", f"所给的第 {c.seq} 条记录的检查点"), c) for c in checkpoints]
                return check_chain(cursor, meta.get("head"), list(anchors), self.jcs_from, signed + given,
                                   [k.lower() for k in trusted_keys], meta.get("id", ""), meta.get("signed_heads"))
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


def check_chain(rows: Iterable[tuple[Any, ...]], recorded_head: str | None, anchors: list[Receipt],
                jcs_from: int = 2**62, checkpoints: list[tuple[str | Said, Checkpoint | str]] = (),  # type: ignore[assignment]
                trusted_keys: list[str] = (), journal_id: str = "",  # type: ignore[assignment]
                signed_heads: str | None = None) -> VerifyReport:
    """The chain check itself, over raw rows (seq, case_id, kind, event_id, content, rulebook, recorded, prev, hash)
    in sequence order; constant memory apart from the hashes anchored or checkpointed. Each checkpoint
    comes with where it was found (a Said names it in both languages), and each problem is said in both."""
    prev, expected, count = GENESIS, 1, 0
    last: Receipt | None = None
    parsed_checkpoints: list[tuple[Said, Checkpoint]] = []
    for named, item in checkpoints:
        where = Said.of(named)
        if isinstance(item, str):
            try:
                item = Checkpoint.from_json(item, where)
            except SigningError as exc:
                return VerifyReport(0, None, Problem(0, "checkpoint", f"{where.en} is unreadable: {exc}",
                                                     f"{where.zh}无法读取：{exc.describe('zh')}"))
        parsed_checkpoints.append((where, item))
    wanted = {a.seq for a in anchors} | {c.seq for _, c in parsed_checkpoints}
    hashes: dict[int, str] = {}

    def bad(seq: int, kind: str, message: str, zh: str) -> VerifyReport:
        return VerifyReport(count, last, Problem(seq, kind, message, zh))

    for seq, case_id, kind, event_id, content, rulebook, recorded, link, digest in rows:
        if seq != expected:
            if seq > expected:
                missing = f"entry {expected}" if seq == expected + 1 else f"entries {expected}–{seq - 1}"
                span = f"{expected}" if seq == expected + 1 else f"{expected}–{seq - 1}"
                return bad(seq, "missing", f"{missing} missing before it (deleted?)",
                           f"其前缺少第 {span} 条记录（被删除？）")
            return bad(seq, "out-of-sequence", f"sequence number {seq} where {expected} was expected",
                       f"序号为 {seq}，此处应为 {expected}")
        if link != prev:
            return bad(seq, "broken-link", f"its previous hash does not match entry {seq - 1}: an entry before it was "
                                           "deleted, inserted or reordered",
                       f"其记下的前一哈希与第 {seq - 1} 条记录不符：此前有记录被删除、插入或调换了顺序")
        try:
            actual = stored_hash((seq, case_id, kind, event_id, content, rulebook, recorded, link), jcs_from)
        except CanonicalError as exc:
            return bad(seq, "unreadable-entry", f"its content is not acceptable JSON: {exc}",
                       f"其内容不是可接受的 JSON：{exc}")
        except (TypeError, ValueError) as exc:
            return bad(seq, "unreadable-entry", f"cannot hash the entry ({exc})", f"无法计算该记录的哈希（{exc}）")
        if actual != digest:
            return bad(seq, "altered", "its content does not match its hash (altered)", "其内容与其哈希不符（已被改动）")
        if seq in wanted:
            hashes[seq] = digest
        prev, expected, count, last = digest, expected + 1, count + 1, Receipt(seq, digest)
    if recorded_head != (str(last) if last else None):
        try:
            head_seq = Receipt.parse(recorded_head).seq if recorded_head else 0
        except ValueError:
            head_seq = -1
        if recorded_head is None:
            return bad(count, "truncated", "the journal's head record is missing", "日志的头记录缺失")
        if head_seq < 0:
            return bad(max(count, 1), "truncated", f"the journal's head record {recorded_head!r} is unreadable",
                       f"日志的头记录 {recorded_head!r} 无法读取")
        if head_seq > count:
            return bad(count + 1, "truncated", f"the head record says the journal ends at entry {head_seq}, but it ends "
                                               f"at {count}: entries were deleted from the end",
                       f"头记录称日志止于第 {head_seq} 条记录，实际止于第 {count} 条：末尾的记录被删除了")
        if head_seq < count:
            return bad(head_seq + 1, "truncated", f"the head record says the journal ends at entry {head_seq}: the "
                                                  "entries after it were added outside the journal",
                       f"头记录称日志止于第 {head_seq} 条记录：其后的记录是在日志之外添加的")
        return bad(count, "altered", "the last entry differs from the head record: it was replaced",
                   "最后一条记录与头记录不符：它被替换了")
    for anchor in anchors:
        if anchor.seq not in hashes:
            return bad(anchor.seq, "truncated", f"anchored entry {anchor.seq} is missing (the journal has {count})",
                       f"锚定的第 {anchor.seq} 条记录缺失（日志共 {count} 条）")
        if hashes[anchor.seq] != anchor.hash:
            return bad(anchor.seq, "anchor", f"hash {hashes[anchor.seq][:16]}… differs from the anchor "
                                              f"{anchor.hash[:16]}…: the journal was rewritten up to here",
                       f"哈希 {hashes[anchor.seq][:16]}… 与锚定的 {anchor.hash[:16]}… 不同：日志截至此处已被改写")
    keys: dict[str, None] = {}
    for where, checkpoint in parsed_checkpoints:
        if not checkpoint.signature_ok():
            return bad(checkpoint.seq, "checkpoint", f"{where.en}: the signature does not verify (forged or altered)",
                       f"{where.zh}：签名无法验证（伪造或被改动）")
        if trusted_keys and checkpoint.key not in trusted_keys:
            return bad(checkpoint.seq, "checkpoint", f"{where.en}: signed by key {checkpoint.key[:16]}…, which is not trusted",
                       f"{where.zh}：由不受信任的密钥 {checkpoint.key[:16]}… 签名")
        if journal_id and checkpoint.journal != journal_id:
            return bad(checkpoint.seq, "checkpoint", f"{where.en}: made for another journal ({checkpoint.journal})",
                       f"{where.zh}：是为另一日志（{checkpoint.journal}）所作")
        if checkpoint.seq not in hashes:
            return bad(checkpoint.seq, "truncated", f"{where.en} signs entry {checkpoint.seq}, but the journal has {count}: "
                                                    "entries were removed or an older copy put back",
                       f"{where.zh}签署了第 {checkpoint.seq} 条记录，但日志只有 {count} 条：记录被删除，或放回了较旧的副本")
        if hashes[checkpoint.seq] != checkpoint.hash:
            return bad(checkpoint.seq, "checkpoint", f"{where.en}: entry {checkpoint.seq} has hash {hashes[checkpoint.seq][:16]}…,"
                                                     f" the signed one is {checkpoint.hash[:16]}…: the journal was rewritten",
                       f"{where.zh}：第 {checkpoint.seq} 条记录的哈希为 {hashes[checkpoint.seq][:16]}…，"
                       f"签署的是 {checkpoint.hash[:16]}…：日志已被改写")
        keys[checkpoint.key] = None
    if signed_heads and count and not any(c.seq == count for _, c in parsed_checkpoints):
        latest = max((c.seq for _, c in parsed_checkpoints), default=0)
        return bad(latest + 1, "unsigned", f"the journal signs its heads, but entries {latest + 1}–{count} carry no "
                                           "signed checkpoint: they were added without the key",
                   f"日志对其头签名，但第 {latest + 1}–{count} 条记录没有签名检查点：它们是在没有密钥的情况下添加的")
    # a checkpoint both held in the journal and given from a file (the usual case: `journal checkpoint`
    # keeps it and writes it out) is one checkpoint verified, not two
    return VerifyReport(count, last, checkpoints=len({c for _, c in parsed_checkpoints}), keys=tuple(keys))


def _readable_copy(path: Path, into: Path) -> Path:
    """A copy of the journal and its -wal, for verifying a journal SQLite cannot open read-only in place
    (a read-only directory without the -shm file)."""
    target = into / path.name
    shutil.copyfile(path, target)
    wal = Path(str(path) + "-wal")
    if wal.exists():
        shutil.copyfile(wal, str(target) + "-wal")
    return target


def verify_journal(path: str | Path, anchors: Iterable[Receipt] = (), checkpoints: Iterable[Checkpoint] = (),
                   trusted_keys: Iterable[str] = ()) -> VerifyReport:
    """Verify a journal file without changing it (opened read-only; a journal in a read-only place is
    verified from a private copy of it and its -wal). JournalUnreadable if it is not a journal."""
    anchors, checkpoints, trusted_keys = list(anchors), list(checkpoints), list(trusted_keys)
    try:
        journal = Journal(path, create=False, readonly=True)
    except JournalUnreadable as exc:
        if not Path(path).is_file() or not os.access(path, os.R_OK) or "unable to open" not in str(exc) \
                and "readonly" not in str(exc) and "read-only" not in str(exc):
            raise
        with tempfile.TemporaryDirectory(prefix="cadre-journal-") as tmp:
            try:
                copy = _readable_copy(Path(path), Path(tmp))
            except OSError as err:
                raise JournalUnreadable(f"{path}: {err}", path=str(path)) from None
            return verify_journal(copy, anchors, checkpoints, trusted_keys)
    try:
        try:
            return journal.verify(anchors, checkpoints, trusted_keys)
        except JournalError as exc:
            if "unable to open" in str(exc) or "readonly" in str(exc) or "read-only" in str(exc):
                journal.close()
                with tempfile.TemporaryDirectory(prefix="cadre-journal-") as tmp:
                    return verify_journal(_readable_copy(Path(path), Path(tmp)), anchors, checkpoints, trusted_keys)
            raise JournalUnreadable(f"{path}: {exc}", path=str(path)) from None
    finally:
        journal.close()


def export_entries(journal: Journal, fmt: str = "json", case_id: str | None = None) -> str:
    """Entries as one JSON document (with the verification result) or as JSON lines, one entry per line;
    `chain`: the stored chain for an independent verifier (see `export_chain`)."""
    if fmt == "chain":
        return export_chain(journal)
    entries = [e.to_dict() for e in journal.entries(case_id=case_id)]
    if fmt == "jsonl":
        return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
    if fmt == "json":
        doc = {"format": journal_format(journal), "path": journal.path, "verify": journal.verify().to_dict(),
               "entries": entries}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown export format {fmt!r} (json, jsonl, chain)")


def journal_format(journal: Journal) -> str:
    return FORMAT if journal.jcs_from < 2**62 else LEGACY_FORMAT


def export_chain(journal: Journal) -> str:
    """The whole chain as stored, for a verifier in another language (examples/verify-journal.mjs):

        {"format": "cadre-rules-journal-chain/1", "journal": ID, "jcs_from": N, "head": "SEQ:HASH",
         "entries": [{"seq", "case", "kind", "event", "content": STORED TEXT, "rulebook", "recorded",
                      "prev", "hash"}, …],
         "checkpoints": [signed checkpoint documents held in the journal]}

    `content` is the stored text (a string), so the verifier hashes exactly the stored bytes."""
    with journal._lock, journal._storage("read"):
        journal._conn.execute("BEGIN")
        try:
            meta = dict(journal._conn.execute("SELECT key, value FROM meta").fetchall())
            rows = journal._conn.execute("SELECT seq, case_id, kind, event_id, content, rulebook, recorded, prev, hash"
                                         " FROM entries ORDER BY seq").fetchall()
            stored = journal.stored_checkpoints()
        finally:
            journal._conn.execute("COMMIT")
    doc = {"format": CHAIN_EXPORT_FORMAT, "journal": meta.get("id", ""),
           "jcs_from": journal.jcs_from if journal.jcs_from < 2**62 else None, "head": meta.get("head"),
           "entries": [{"seq": r[0], "case": r[1], "kind": r[2], "event": r[3], "content": r[4], "rulebook": r[5],
                        "recorded": r[6], "prev": r[7], "hash": r[8]} for r in rows],
           "checkpoints": [json.loads(text) for text in stored]}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


__all__ = ["CHAIN_EXPORT_FORMAT", "FORMAT", "GENESIS", "LEGACY_FORMAT", "Entry", "Journal", "JournalError",
           "JournalTampered", "JournalUnreadable", "Problem", "Receipt", "VerifyReport", "Writer", "canonical_json",
           "check_chain", "entry_body", "entry_hash", "entry_hash_jcs", "export_chain", "export_entries", "stored_hash",
           "utc_now", "verify_journal"]
