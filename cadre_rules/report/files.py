"""Writing an output file whole or not at all: the one home of it for every command and report (a
report, an export, a .docx, a template workbook), so that an interrupt, a full disk or a crash never
leaves a truncated file where a complete one was asked for, and a previous one stays as it was."""
from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterator

from cadre_rules.errors import OutputError

#: errno values of a write that failed for want of room or a reader (not a bug): said in one line
WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EPIPE, errno.EIO, errno.EROFS, errno.EBADF}


@contextmanager
def output_file(path: str | os.PathLike[str], binary: bool = False) -> Iterator[IO[Any]]:
    """A text handle (a binary one with `binary`: a .docx, an .xlsx) for the report at `path`: a temporary file in the same directory, renamed over
    `path` only when the block completes (so an interrupted or failed run never leaves a truncated
    report, and an existing one stays as it was). A target that exists and is not a regular file
    (a device such as /dev/null, a pipe) is written directly. Write failures raise OutputError."""
    target = Path(path)
    if target.exists() and not target.is_file():
        try:
            handle = open(target, "wb") if binary else open(target, "w", encoding="utf-8", newline="")
        except OSError as exc:
            raise OutputError.cannot_write(target, exc) from None
        try:
            yield handle
            handle.close()
        except OSError as exc:
            if exc.errno not in WRITE_ERRORS:
                raise
            raise OutputError.cannot_write(target, exc) from None
        finally:
            if not handle.closed:
                try:
                    handle.close()
                except OSError:
                    pass
        return
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent or ".")
    except OSError as exc:
        raise OutputError.cannot_write(target, exc) from None
    done = False
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        os.replace(temporary, target)
        done = True
    except OSError as exc:
        if exc.errno not in WRITE_ERRORS | {errno.EACCES, errno.EPERM, errno.EXDEV, errno.EISDIR}:
            raise
        raise OutputError.cannot_write(target, exc) from None
    finally:
        if not done:
            try:
                os.unlink(temporary)
            except OSError:
                pass



__all__ = ["WRITE_ERRORS", "output_file"]
