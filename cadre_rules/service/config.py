"""What a decision service is configured with: one frozen value, so that a test, the CLI and a
container all build the same application from the same settings."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceConfig:
    """Settings of `cadre-rules serve` (see docs/service.md for each one's why).

    Limits exist so that one caller cannot take the service down: a body larger than `max_body`
    bytes is refused with 413, a batch of more than `max_batch` cases with 413, a request arriving
    while `max_concurrent` judgements are running with 429, and a judgement still running after
    `timeout` seconds is answered 503 (its thread finishes in the background and keeps its slot
    until then, so slow inputs cannot pile up threads).
    """

    rules_dir: str | None = None
    profile: str = "national"
    journal: str = ":memory:"  # live cases: the hash-chained journal they are kept in
    decision_log: str | None = ":memory:"  # a separate journal file of every decision; None: no log
    decision_log_sync: str = "FULL"  # SQLite synchronous level of the decision log (FULL: fsync per decision)
    log_personal_data: bool = False  # True: the decision log keeps names and identity numbers unmasked
    caller_header: str = "X-Caller"  # set by the gateway after authentication; recorded with each decision
    token: str | None = None  # quick start only: a shared bearer token; the gateway authenticates in production
    max_body: int = 2 * 1024 * 1024
    max_batch: int = 1000
    max_concurrent: int = 8
    timeout: float = 30.0
