"""Containment: the durable engine runs in a child process; a crash costs one case, never the batch.

The parent derives the facts and sends them to the worker; the worker judges them with a
DurableEvaluator and answers with the findings and notes. If the worker dies (a segfault or abort
in the C engine, or any other signal) or stops answering, the parent judges the case in flight with
the Python evaluator, marks it with a note, starts a new worker and goes on with the rest.

For tests, the environment variable CADRE_RULES_DURABLE_CRASH_CASE=<case id> makes the worker kill
itself with SIGSEGV when it receives that case (the way a crash of the C engine would end it).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from typing import Any, Mapping

from cadre_rules.facts import FactSet
from cadre_rules.rulebook.model import Edition, Rule
from cadre_rules.engine.findings import Finding
from cadre_rules.engine.python import PythonEvaluator

CRASH_ENV = "CADRE_RULES_DURABLE_CRASH_CASE"
DEFAULT_TIMEOUT = 120.0  # seconds a worker may take for one case before it is considered hung


def _worker_main(conn, rules: list[Rule], editions: Mapping[str, Edition], stage_order: Mapping[str, int]) -> None:
    from cadre_rules.engine.children import die_with_parent
    from cadre_rules.engine.durable import DurableEvaluator

    die_with_parent()
    evaluator = DurableEvaluator(rules, editions, stage_order)
    crash_on = os.environ.get(CRASH_ENV)
    conn.send(("ready", None, None))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        seq, case_id, facts, only = message
        if crash_on is not None and case_id == crash_on:
            import faulthandler

            faulthandler.disable()  # a deliberate crash: no Python traceback on stderr
            os.kill(os.getpid(), signal.SIGSEGV)
        try:
            findings = evaluator.evaluate(facts, only)
            conn.send((seq, findings, list(evaluator.last_notes)))
        except Exception as exc:  # a bug on our side: say so, the parent judges the case in Python
            conn.send((seq, None, [f"durable worker error ({type(exc).__name__}: {exc})"]))


class WorkerDied(RuntimeError):
    pass


class DurableWorker:
    """One child process running the durable engine, with a small window of cases in flight."""

    def __init__(self, rules: list[Rule], editions: Mapping[str, Edition], stage_order: Mapping[str, int],
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.rules, self.editions, self.stage_order = list(rules), editions, dict(stage_order)
        self.fallback = PythonEvaluator(self.rules, editions, stage_order)
        self.timeout = timeout
        self.ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        self.process = None
        self.conn = None
        self.restarts = 0
        self._seq = 0

    # -- process lifecycle -----------------------------------------------------------------------
    def start(self) -> None:
        parent, child = self.ctx.Pipe()
        self.process = self.ctx.Process(target=_worker_main, args=(child, self.rules, self.editions, self.stage_order),
                                        daemon=True, name="cadre-rules-durable")
        self.process.start()
        child.close()
        self.conn = parent
        if not self.conn.poll(self.timeout):
            self._kill()
            raise RuntimeError("the durable worker did not start")
        try:
            ready = self.conn.recv()
        except EOFError:
            self.process.join(5)
            raise RuntimeError(f"the durable worker failed to start ({self._how_died()})") from None
        assert ready[0] == "ready"

    def _kill(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
        if self.process is not None:
            self.process.join(5)

    def close(self) -> None:
        if self.process is None:
            return
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        self.process.join(5)
        self._kill()
        self.conn.close()
        self.process = self.conn = None

    def _how_died(self) -> str:
        code = self.process.exitcode if self.process is not None else None
        if code is None:
            return "no answer"
        if code < 0:
            try:
                return f"killed by signal {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exited with status {code}"

    def _send(self, seq: int, case_id: str | None, facts: FactSet, only: set[str] | None) -> None:
        try:
            self.conn.send((seq, case_id, facts, only))
        except (BrokenPipeError, OSError):
            pass  # the worker is gone; noticed when its answer is awaited

    def _receive(self):
        if not self.conn.poll(self.timeout):
            raise WorkerDied("no answer")
        try:
            return self.conn.recv()
        except (EOFError, OSError):
            self.process.join(5)
            raise WorkerDied(self._how_died()) from None

    # -- judging ----------------------------------------------------------------------------------
    def judge(self, case_id: str | None, facts: FactSet, only: set[str] | None = None) -> tuple[list[Finding], list[str]]:
        return next(iter(self.judge_many([(case_id, facts, only)])))[1:]

    def judge_many(self, items, window: int = 2):
        """Yield (tag, findings, notes) for each (case_id, facts, only[, tag]) in order, `window` in flight."""
        if self.process is None:
            self.start()
        pending: deque = deque()
        source = iter(items)
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                try:
                    item = next(source)
                except StopIteration:
                    exhausted = True
                    break
                case_id, facts, only = item[0], item[1], item[2]
                tag = item[3] if len(item) > 3 else case_id
                self._seq += 1
                pending.append((self._seq, case_id, facts, only, tag))
                self._send(self._seq, case_id, facts, only)
            if not pending:
                return
            seq, case_id, facts, only, tag = pending[0]
            try:
                answer = self._receive()
            except WorkerDied as exc:
                how = str(exc)
                self._kill()
                findings = self.fallback.evaluate(facts, only)
                note = (f"durable worker {how} while judging this case; judged by the Python evaluator "
                        "and the worker restarted")
                pending.popleft()
                yield tag, findings, [note]
                self.restarts += 1
                self.start()
                for s, c, f, o, _ in pending:  # cases queued to the dead worker go to the new one
                    self._send(s, c, f, o)
                continue
            got_seq, findings, notes = answer
            if got_seq != seq:
                raise RuntimeError(f"durable worker answered case {got_seq}, expected {seq}")
            pending.popleft()
            if findings is None:
                findings = self.fallback.evaluate(facts, only)
                notes = notes + ["judged by the Python evaluator"]
            yield tag, findings, notes

    def __enter__(self) -> "DurableWorker":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
