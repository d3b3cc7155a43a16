"""Exit statuses, interrupts and output files of the command line (docs/cli.md, "Exit status").

Why one place: a calling program must tell "violations found" from "the input was bad", "the
command line was wrong", "the program failed" and "it was interrupted", and must never find a
report file cut off half-way. So every command runs inside `run_command`, which maps each way of
ending to its status, and report files are written to a temporary file in the target's directory
and renamed over the target only when complete.
"""
from __future__ import annotations

import errno
import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import click

from cadre_rules.errors import CaseInputError, ErrorKind, HolidayDataError, OutputError, in_language, os_reason
from cadre_rules.report.controls import shown
from cadre_rules.report.files import WRITE_ERRORS, output_file  # re-exported: commands write through it

EXIT_OK = 0
EXIT_VIOLATIONS = 1  # violations found (audit); tampered (journal verify); errors found (rules check)
EXIT_INVALID = 2  # invalid input: a case, waiver, rulebook, journal or key that cannot be used
EXIT_USAGE = 3  # the command line itself is wrong (unknown option, missing argument, bad value)
EXIT_INTERNAL = 4  # a bug: an unexpected exception (one line; CADRE_RULES_DEBUG=1 shows the traceback)
EXIT_OUTPUT = 5  # the output could not be written (disk full, /dev/full, a closed pipe)
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT); SIGTERM gives 143 and SIGHUP 129 (128 + the signal number)



class Interrupted(KeyboardInterrupt):
    """A termination signal (SIGTERM, SIGHUP) turned into an exception, so that cleanup runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_interrupted(signum: int, frame: Any) -> None:
    raise Interrupted(signum)


@contextmanager
def _signals_as_exceptions() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    for s in previous:
        signal.signal(s, _raise_interrupted)
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


# The language of the command's own last-line messages (interrupt, output, internal error): set by a
# command with --lang (Chinese by default there); English for commands without one.
_WORDS = {
    "zh": {"interrupted": "已中断（{signal}）；没有留下写了一半的输出文件", "error": "错误：{text}",
           "holidays": "节假日数据有误:\n{text}",
           "cannot_write": "错误：无法写出报告：{text}",
           "internal": "内部错误：{kind}{where}（这是程序缺陷，请报告；错误信息可能引用输入的内容，故不显示："
                       "设置 CADRE_RULES_DEBUG=1 可显示错误信息和出错位置）", "where": "，位于 {where}"},
    "en": {"interrupted": "interrupted ({signal}); no output file was left half-written", "error": "error: {text}",
           "holidays": "holiday data error:\n{text}",
           "cannot_write": "error: cannot write the output: {text}",
           "internal": "internal error: {kind}{where} (a bug: please report it; its message is not shown, as it may "
                       "quote the input: CADRE_RULES_DEBUG=1 shows it and the traceback)", "where": " in {where}"},
}
_language = ["en"]


def set_language(lang: str) -> None:
    """Say the command's own errors in `lang` ("zh" or "en") from now on."""
    _language[0] = lang if lang in _WORDS else "en"


def language() -> str:
    """The language the command's own messages are said in (set_language)."""
    return _language[0]


def _say(key: str, **values: Any) -> None:
    click.echo(_WORDS[_language[0]][key].format(**values), err=True)


def _silence_stdout() -> None:
    """After a failed write to standard output, stop Python from failing again when it flushes at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def run_command(invoke: Callable[[], Any]) -> int:
    """Run a click command in non-standalone mode and return the exit status of the table above."""
    debug = os.environ.get("CADRE_RULES_DEBUG") == "1"
    try:
        with _signals_as_exceptions():
            result = invoke()
        return result if isinstance(result, int) else EXIT_OK
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_INVALID)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        exc.show()
        return EXIT_USAGE
    except click.ClickException as exc:  # e.g. a file option that does not exist
        exc.show()
        return EXIT_INVALID
    except (KeyboardInterrupt, click.Abort) as exc:
        cause = exc.__cause__ or exc.__context__ if isinstance(exc, click.Abort) else exc  # click wraps the interrupt
        signum = cause.signum if isinstance(cause, Interrupted) else signal.SIGINT
        _say("interrupted", signal=signal.Signals(signum).name)
        return 128 + int(signum)
    except OutputError as exc:
        _silence_stdout()
        _say("error", text=exc.describe(_language[0]))
        return EXIT_OUTPUT
    except OSError as exc:
        if exc.errno in WRITE_ERRORS:
            _silence_stdout()
            if exc.errno != errno.EPIPE:  # a reader that went away (`| head`) is not worth a message
                reason = os_reason(exc)
                _say("cannot_write", text=reason.zh if _language[0] == "zh" else reason.en)
            return EXIT_OUTPUT
        return _internal(exc, debug)
    except CaseInputError as exc:
        # What the reader refuses outside any one case is the user's setting, not a bug: a
        # CADRE_RULES_MAX_* variable that is not a positive whole number, or a depth the readers cannot
        # follow (every case's problems are that case's results and never arrive here).
        _say("error", text=(f"{exc.field}: " if exc.field else "") + in_language(exc.message, _language[0]))
        settings = (ErrorKind.bad_limit_setting, ErrorKind.limit_setting_too_high)
        return EXIT_USAGE if getattr(exc.message, "kind", None) in settings else EXIT_INVALID
    except HolidayDataError as exc:  # the files CADRE_RULES_HOLIDAYS names (--holidays: cli/tools.py)
        _say("holidays", text=shown(exc.describe(_language[0])))
        return EXIT_INVALID
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one line, a distinct status
        return _internal(exc, debug)


def _internal(exc: BaseException, debug: bool) -> int:
    """One line for a bug: the exception's type and the innermost place in the package it passed,
    never its message. Why: an unexpected exception's text may quote the input (`KeyError: '马俊杰'`,
    a value a parser choked on), and personal data is not printed unless asked for — with --redact or
    without, as the decision service answers a bug with the type alone (docs/service.md). The
    message and the traceback are for CADRE_RULES_DEBUG=1, set on purpose."""
    if debug:
        import traceback

        traceback.print_exception(exc)
    where = _where(exc)
    words = _WORDS[_language[0]]
    _say("internal", kind=type(exc).__name__, where=words["where"].format(where=where) if where else "")
    return EXIT_INTERNAL


def _where(exc: BaseException) -> str:
    """`cadre_rules/…/module.py:LINE` of the innermost frame of the package in the traceback ("" if none)."""
    import traceback

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # …/cadre_rules
    place = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        path = os.path.abspath(frame.filename)
        if path.startswith(package + os.sep):
            relative = os.path.relpath(path, os.path.dirname(package)).replace(os.sep, "/")
            place = f"{relative}:{frame.lineno}"
    return place


__all__ = ["EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_INVALID", "EXIT_OK", "EXIT_OUTPUT", "EXIT_USAGE",
           "EXIT_VIOLATIONS", "Interrupted", "OutputError", "output_file", "run_command"]
