"""Guards in front of the service: the shared token, the body size, and the number of judgements at once.

The body limit and the token check are a plain ASGI middleware, so that an oversized body is refused
(413) before any of it is parsed, and an unauthenticated request before it is read. The concurrency
limit and the time limit are `Runner`'s: judging runs in a bounded thread pool; a request that finds
every slot taken is answered 429 at once (a queue would only turn overload into timeouts), and one
still running after the time limit is answered 503 — its thread keeps the slot until it really
ends, so slow inputs cannot pile up threads behind the answers.
"""
from __future__ import annotations

import asyncio
import hmac
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Awaitable, Callable

OPEN_PATHS = frozenset({"/health", "/ready"})


class Refused(Exception):
    """An answer other than success: status, title and field errors (the Problem object)."""

    def __init__(self, status: int, title: str, errors: list[dict[str, str]] | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        self.status, self.title = status, title
        self.errors = errors if errors is not None else [{"path": "", "message": title}]
        self.headers = headers or {}
        self.extra = extra
        super().__init__(title)

    def body(self) -> dict[str, Any]:
        return {"status": self.status, "title": self.title, "errors": self.errors, **self.extra}


def problem_bytes(status: int, title: str, message: str | None = None) -> bytes:
    return json.dumps({"status": status, "title": title, "errors": [{"path": "", "message": message or title}]},
                      ensure_ascii=False).encode("utf-8")


async def _send_problem(send: Callable[..., Awaitable[None]], status: int, title: str, message: str,
                        headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = problem_bytes(status, title, message)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *headers]})
    await send({"type": "http.response.body", "body": body})


class Gate:
    """ASGI middleware: shared-token check (if configured) and the request body limit."""

    def __init__(self, app: Any, max_body: int, token: str | None = None) -> None:
        self.app = app
        self.max_body = max_body
        self.expected = ("Bearer " + token).encode("utf-8") if token else None

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Awaitable[Any]],
                       send: Callable[..., Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        if self.expected is not None and scope["path"] not in OPEN_PATHS:
            if not hmac.compare_digest(headers.get(b"authorization", b""), self.expected):
                await _send_problem(send, 401, "unauthorized", "a valid 'Authorization: Bearer <token>' header is required",
                                    [(b"www-authenticate", b"Bearer")])
                return
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            await _send_problem(send, 413, "body too large",
                                f"the body has {int(declared)} bytes; at most {self.max_body} are accepted")
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await _send_problem(send, 413, "body too large", f"the body exceeds {self.max_body} bytes")
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        delivered = False

        async def replay() -> dict[str, Any]:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class Runner:
    """Runs blocking work in at most `slots` threads, answering 429 when all are busy and 503 after `timeout`."""

    def __init__(self, slots: int, timeout: float) -> None:
        self.slots = max(1, slots)
        self.timeout = timeout
        self.busy = 0
        self.pool = ThreadPoolExecutor(self.slots, thread_name_prefix="cadre-judge")

    async def run(self, work: Callable[[], Any]) -> Any:
        if self.busy >= self.slots:
            raise Refused(429, "too many requests",
                          [{"path": "", "message": f"{self.slots} judgements are running; retry shortly"}],
                          {"Retry-After": "1"})
        self.busy += 1
        future = asyncio.get_running_loop().run_in_executor(self.pool, work)
        future.add_done_callback(self._release)
        try:
            return await asyncio.wait_for(asyncio.shield(future), self.timeout)
        except asyncio.TimeoutError:
            raise Refused(503, "too slow",
                          [{"path": "", "message": f"not judged within {self.timeout:g} s; the request may be retried"}],
                          {"Retry-After": "5"}) from None

    def _release(self, future: Any) -> None:
        self.busy -= 1
        if not future.cancelled():
            future.exception()  # retrieved: an error after a timeout answer is not logged as "never retrieved"

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
