"""Killing the service mid-load loses no acknowledged live event: a server process is SIGKILLed while
two clients submit events, restarted on the same journal, and every event it had answered is still
there with the same receipt; both journals verify intact. Loopback only, bounded."""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the service extra (fastapi) is not installed")
pytest.importorskip("uvicorn", reason="the service extra (uvicorn) is not installed")

from cadre_rules import Journal, validate_case, verify_journal  # noqa: E402
from cadre_rules.live.derive import events_from_case  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(tmp: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "cadre_rules", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--journal", str(tmp / "live.journal"), "--decision-log", str(tmp / "decisions.journal")],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode()
        try:
            if call(port, "GET", "/ready")[0] == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("the service did not start")


def call(port: int, method: str, path: str, body=None, conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, json.dumps(body, ensure_ascii=False, default=str).encode() if body is not None else None,
                     {"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        if own:
            conn.close()


def test_killed_mid_load_the_service_loses_no_acknowledged_event(tmp_path, baseline):
    init, opened, _ = events_from_case(validate_case(baseline))
    port = free_port()
    server = start(tmp_path, port)
    case_ids = ["fault-a", "fault-b"]
    for case_id in case_ids:
        status, body = call(port, "POST", "/v1/cases", {"record": {**init, "id": case_id}, "on": opened.isoformat()})
        assert status == 201, body
    acknowledged: dict[str, tuple[int, str]] = {}
    lock = threading.Lock()
    stop = threading.Event()

    def client(case_id: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        i = 0
        while not stop.is_set():
            event = {"id": f"{case_id}-{i}", "kind": "review", "on": opened.isoformat(), "data": {"note": f"n{i}"}}
            try:
                status, body = call(port, "POST", f"/v1/cases/{case_id}/events", event, conn)
            except (OSError, http.client.HTTPException, ValueError):
                return  # the server is gone: this event was never acknowledged
            assert status == 200 and body["result"]["accepted"], body
            with lock:
                acknowledged[event["id"]] = (body["result"]["seq"], body["result"]["hash"])
            i += 1

    threads = [threading.Thread(target=client, args=(c,)) for c in case_ids]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 120
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(server.pid, signal.SIGKILL)  # mid-load: requests are in flight
    server.wait(30)
    stop.set()
    for t in threads:
        t.join(60)
    assert len(acknowledged) >= 40 and server.returncode == -signal.SIGKILL

    assert verify_journal(tmp_path / "live.journal").ok
    assert verify_journal(tmp_path / "decisions.journal").ok
    recorded = {e.event_id: (e.seq, e.hash) for e in Journal(tmp_path / "live.journal", create=False).entries(kind="event")}
    lost = {k: v for k, v in acknowledged.items() if recorded.get(k) != v}
    assert not lost, f"acknowledged but not in the journal: {sorted(lost)[:5]}"

    server = start(tmp_path, port)  # restarted on the same journals
    try:
        status, ready = call(port, "GET", "/ready")
        assert status == 200 and ready["journal"]["ok"]
        for case_id in case_ids:
            done = sorted(int(k.rsplit("-", 1)[1]) for k in recorded if k.startswith(case_id + "-"))
            state = call(port, "GET", f"/v1/cases/{case_id}")[1]
            assert state["events"] == len(done) and done == list(range(len(done)))
            # resubmitting an acknowledged event gives its recorded receipt; the next one goes on
            if done:
                last = f"{case_id}-{done[-1]}"
                again = call(port, "POST", f"/v1/cases/{case_id}/events",
                             {"id": last, "kind": "review", "on": opened.isoformat(), "data": {"note": f"n{done[-1]}"}})
                assert (again[1]["result"]["seq"], again[1]["result"]["hash"]) == recorded[last]
            fresh = call(port, "POST", f"/v1/cases/{case_id}/events",
                         {"id": f"{case_id}-after", "kind": "review", "on": opened.isoformat()})
            assert fresh[0] == 200 and fresh[1]["result"]["accepted"]
        status, verified = call(port, "GET", f"/v1/cases/{case_ids[0]}/verify")
        assert status == 200 and verified["journal"]["ok"]
    finally:
        server.terminate()
        server.wait(30)
    assert verify_journal(tmp_path / "live.journal").ok and verify_journal(tmp_path / "decisions.journal").ok
