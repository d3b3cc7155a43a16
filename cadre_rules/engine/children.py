"""Child processes that never outlive the run that started them, and never print a traceback on an interrupt.

Why: a batch audit runs worker processes (and the durable engine runs in a child). If the parent is
killed — SIGTERM from a supervisor, SIGKILL, a crash — children that keep running hold the output
pipes open, so a calling program waiting for end-of-file blocks for ever. On Linux the kernel sends
each child SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG); elsewhere a watchdog thread in the
child polls for the parent. Ctrl-C reaches the whole process group: children ignore SIGINT and the
parent, which owns the run, stops them — so only the parent reports the interrupt, in one line.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1


_LIBC: list[ctypes.CDLL | None] = []


def prepare() -> None:
    """Find the C library's `prctl` now (in a parent about to fork its children, which inherit it).
    The process's own symbols (`CDLL(None)`) hold it wherever Python is linked to the C library;
    `find_library` is the fallback only: it runs a command (ldconfig), ~10 ms of waiting."""
    if not _LIBC and sys.platform.startswith("linux"):
        libc = None
        for name in (None, "find"):
            try:
                libc = ctypes.CDLL(ctypes.util.find_library("c") if name else None, use_errno=True)
                libc.prctl  # noqa: B018 - raises AttributeError when these symbols lack it
                break
            except (OSError, AttributeError):
                libc = None
        _LIBC.append(libc)


def _linux_parent_death_signal() -> bool:
    prepare()
    try:
        libc = _LIBC[0]
        return libc is not None and libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watchdog(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def die_with_parent() -> None:
    """Call first thing in a child process: die when the parent dies (by any signal), ignore Ctrl-C."""
    parent = os.getppid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not (sys.platform.startswith("linux") and _linux_parent_death_signal()):
        threading.Thread(target=_watchdog, args=(parent,), daemon=True, name="parent-watchdog").start()
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)


__all__ = ["die_with_parent"]
