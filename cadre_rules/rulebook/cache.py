"""A loaded rulebook kept on disk, so that the next run starts judging sooner.

Loading the bundled rulebook (reading, checking and type-checking ~30 YAML files) costs ~70 ms of CPU
before the first case; unpickling the result costs ~5 ms. For `audit` of one case that is a tenth of
what the user waits for, and before worker processes start it is serial time that no worker can share
(docs/performance.md, "Workers, third round").

Never a stale or wrong rulebook: an entry is found under a key that hashes every byte of every file
the loader reads (the same *.yaml files as `version_hash`), the profile, the rulebook's absolute path,
the library and Python versions, the versions of the libraries a loaded rulebook is made of, and the
size and modification time of every module of this package (an edited checkout misses). An entry
that is unreadable, truncated, fails its checksum or holds anything but a rulebook of that key is
ignored and replaced; so is an entry another user could have written (POSIX: owner and write
permissions of the entry and its directory). Only a rulebook that loaded without error is kept; a layer (rulebook/layers.py,
which reads another rulebook too) is always loaded afresh.

Where: `$CADRE_RULES_CACHE_DIR`, else the user's cache directory (`$XDG_CACHE_HOME` or ~/.cache,
~/Library/Caches on macOS, %LOCALAPPDATA% on Windows) + `cadre-rules/rulebooks`. Off with
`CADRE_RULES_CACHE=off` (or 0, no, false) or `cadre-rules --no-cache`. Writers are safe together:
each writes a temporary file in the directory and renames it over the entry (atomic). At most
MAX_ENTRIES entries are kept (the oldest are removed): rulebooks edited in a loop do not fill the disk.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, TypeVar

T = TypeVar("T")

MAGIC = b"cadre-rules rulebook cache 1\n"
MAX_ENTRIES = 32
_OFF = {"0", "off", "no", "false"}
_CODE_FINGERPRINT: str | None = None


def cache_enabled() -> bool:
    return os.environ.get("CADRE_RULES_CACHE", "").strip().lower() not in _OFF


def cache_dir() -> Path:
    """Where entries are kept (not created until the first entry is written)."""
    explicit = os.environ.get("CADRE_RULES_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "cadre-rules" / "rulebooks"


def code_fingerprint() -> str:
    """The library's own modules (path, size, modification time) and the versions of what a loaded
    rulebook is built from: a changed loader, fact schema or model class misses the cache."""
    global _CODE_FINGERPRINT
    if _CODE_FINGERPRINT is None:
        import networkx
        import pydantic
        import yaml

        import cadre_rules

        digest = hashlib.sha256()
        package = Path(cadre_rules.__file__).parent
        for folder, dirs, files in os.walk(package):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".py"):
                    info = os.stat(os.path.join(folder, name))
                    digest.update(f"{os.path.join(folder, name)}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
        digest.update(f"{cadre_rules.__version__}\0{sys.version}\0{sys.implementation.cache_tag}\0"
                      f"{networkx.__version__}\0{yaml.__version__}\0{pydantic.VERSION}".encode())
        _CODE_FINGERPRINT = digest.hexdigest()
    return _CODE_FINGERPRINT


def cache_key(base: Path, files: list[Path], profile: str) -> str:
    """The entry's name: everything a loaded rulebook depends on (see the module docstring)."""
    digest = hashlib.sha256()
    # the path as given too: a rulebook keeps it (`Rulebook.root`, shown in reports) as a fresh load would
    digest.update(f"{code_fingerprint()}\0{base}\0{base.resolve()}\0{profile}\0".encode())
    for path in files:
        content = path.read_bytes()
        digest.update(f"{path.relative_to(base).as_posix()}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def _trusted(path: Path) -> bool:
    """An entry is unpickled only if this user wrote it and only this user can replace it (POSIX): an
    entry is a pickle, and a directory others may write to is no place to load one from."""
    if os.name != "posix":
        return True
    try:
        entry, folder = path.stat(), path.parent.stat()
    except OSError:
        return False
    uid = os.getuid()
    return entry.st_uid == uid and folder.st_uid == uid and not (folder.st_mode | entry.st_mode) & 0o022


def read_entry(path: Path, key: str, kind: type) -> Any | None:
    """The object kept under `key`, or None if there is none or it cannot be trusted."""
    if not _trusted(path):
        return None
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + 32
    if not blob.startswith(MAGIC) or len(blob) < head:
        return None
    payload = blob[head:]
    if hashlib.sha256(payload).digest() != blob[len(MAGIC):head]:
        return None
    try:
        stored_key, value = pickle.loads(payload)
    except Exception:  # a corrupt entry (it passed the checksum, yet): load afresh
        return None
    return value if stored_key == key and isinstance(value, kind) else None


def write_entry(folder: Path, key: str, value: Any) -> None:
    """Keep `value` under `key`: written to a temporary file, then renamed over the entry. A cache
    that cannot be written (read-only home, full disk) only costs the next run its load."""
    try:
        payload = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, folder / f"{key}.pickle")
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        _prune(folder)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        pass


def _prune(folder: Path) -> None:
    """The newest MAX_ENTRIES entries are kept; temporary files of writers that died an hour ago go."""
    entries = []
    for path in folder.glob("*.pickle"):
        try:
            entries.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    for path in folder.glob(".tmp-*"):
        try:
            if path.stat().st_mtime < time.time() - 3600:
                path.unlink()
        except OSError:
            continue
    entries.sort(reverse=True)
    for _, path in entries[MAX_ENTRIES:]:
        try:
            path.unlink()
        except OSError:
            pass


def cached(base: Path, files: list[Path], profile: str, kind: type, build: Callable[[], T]) -> T:
    """`build()`'s result for this rulebook, from the cache when an entry of the same key exists."""
    if not cache_enabled():
        return build()
    try:
        key = cache_key(base, files, profile)
    except OSError:  # a file cannot be read: the loader names it
        return build()
    folder = cache_dir()
    found = read_entry(folder / f"{key}.pickle", key, kind)
    if found is not None:
        return found
    value = build()
    try:
        unchanged = cache_key(base, files, profile) == key  # a file edited while it loaded: not kept
    except OSError:
        unchanged = False
    if unchanged:
        write_entry(folder, key, value)
    return value


__all__ = ["cache_dir", "cache_enabled", "cache_key", "cached", "code_fingerprint", "read_entry", "write_entry"]
