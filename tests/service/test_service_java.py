"""The Java 17 client under examples/java/ builds with javac alone and works against the running
service on loopback: audits (the same findings as the CLI), field errors, and a live case."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the service extra (fastapi) is not installed")
uvicorn = pytest.importorskip("uvicorn", reason="the service extra (uvicorn) is not installed")

from click.testing import CliRunner  # noqa: E402

from cadre_rules import validate_case  # noqa: E402
from cadre_rules.cli.main import main as cli_main  # noqa: E402
from cadre_rules.live.derive import events_from_case  # noqa: E402
from cadre_rules.reading.yamlmarks import safe_load  # noqa: E402
from cadre_rules.service import ServiceConfig, create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "examples" / "java" / "CadreRulesClient.java"
VIOLATING = ROOT / "examples" / "cases" / "06-违规-临时动议.yaml"

pytestmark = pytest.mark.skipif(shutil.which("javac") is None or shutil.which("java") is None,
                                reason="needs a JDK (javac and java)")


@pytest.fixture(scope="module")
def server(rulebook, tmp_path_factory):
    """The service under uvicorn in a thread, on a free loopback port."""
    tmp = tmp_path_factory.mktemp("served")
    app = create_app(ServiceConfig(journal=str(tmp / "live.journal"), decision_log=str(tmp / "decisions.journal"),
                                   token="java-test"), rulebook)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert srv.started, "the service did not start"
    port = srv.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", tmp
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def java(tmp_path_factory):
    out = tmp_path_factory.mktemp("java-classes")
    build = subprocess.run(["javac", "--release", "17", "-Xlint:all", "-Werror", "-d", str(out), str(CLIENT)],
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr

    def run(*args: str, token: str = "java-test") -> subprocess.CompletedProcess:
        env = {**os.environ, "CADRE_RULES_TOKEN": token, "CADRE_RULES_CALLER": "java-client"}
        return subprocess.run(["java", "-cp", str(out), "CadreRulesClient", *args], capture_output=True, text=True,
                              timeout=120, env=env, encoding="utf-8")
    return run


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def test_java_client_audits_a_case_with_the_cli_findings(server, java, tmp_path):
    base, _ = server
    case = write_json(tmp_path / "case.json", safe_load(VIOLATING.read_text(encoding="utf-8")))
    cli = json.loads(CliRunner().invoke(cli_main, ["audit", "--format", "json", str(case)]).stdout)["cases"][0]
    run = java(base, "audit", str(case))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("decision_id ") and len(lines[0].split()[1]) == 36
    assert lines[2] == f"case {cli['case_id']} ok"
    assert lines[3:] == [f"finding {f['rule_id']} {f['verdict']} {','.join(f['evidence'])}" for f in cli["findings"]]
    assert any(" violated " in line for line in lines[3:])


def test_java_client_reports_field_errors_and_auth_failures(server, java, tmp_path):
    base, _ = server
    bad = write_json(tmp_path / "bad.json", {"id": "x1", "title": "t", "surprise": 1})
    run = java(base, "audit", str(bad))
    assert run.returncode == 1
    assert run.stdout.splitlines()[0] == "error 422 invalid case"
    assert "field surprise: unknown field" in run.stdout and "field body: required field missing" in run.stdout
    denied = java(base, "rules", token="wrong")
    assert denied.returncode == 1 and denied.stdout.startswith("error 401 unauthorized")
    rules = java(base, "rules")
    assert rules.returncode == 0 and int(rules.stdout.split()[1]) > 20


def test_java_client_drives_a_live_case(server, java, tmp_path, baseline, rulebook):
    base, tmp = server
    init, opened, events = events_from_case(validate_case(baseline))
    record = write_json(tmp_path / "record.json", init)
    run = java(base, "open", str(record), opened.isoformat())
    assert run.returncode == 0, run.stdout + run.stderr
    case_id = init["id"]
    assert run.stdout.strip() == f"opened {case_id} at {rulebook.stages.start}"
    for event in events[:3]:
        path = write_json(tmp_path / f"{event.id}.json", event.to_dict())
        step = java(base, "event", case_id, str(path))
        assert step.returncode == 0 and step.stdout.startswith(f"accepted {event.id} -> "), step.stdout + step.stderr
    # an event out of order is refused, with its procedural reason
    late = events[2].to_dict()
    late["id"], late["on"] = "too-early", (events[2].on - timedelta(days=1)).isoformat()
    refused = java(base, "event", case_id, str(write_json(tmp_path / "late.json", late)))
    assert refused.returncode == 0 and refused.stdout.startswith("refused too-early by OUT-OF-ORDER seq ")
    assert len(refused.stdout.splitlines()) == 1
    # an event refused for invalid data: its field errors, one line each (path and the Chinese message)
    bad = {**events[3].to_dict(), "id": "bad-data", "data": {**events[3].data, "aside": 1}}
    invalid = java(base, "event", case_id, str(write_json(tmp_path / "bad-data.json", bad)))
    assert invalid.returncode == 0, invalid.stdout + invalid.stderr
    assert invalid.stdout.splitlines()[0].startswith("refused bad-data by INVALID-EVENT seq ")
    assert invalid.stdout.splitlines()[1:] == ["field data.aside: 未知字段"]
    state = java(base, "state", case_id)
    assert state.returncode == 0 and state.stdout.startswith(f"state {case_id} ") and " events 5 " in state.stdout
    from cadre_rules import Journal, verify_journal

    assert verify_journal(tmp / "decisions.journal").ok and verify_journal(tmp / "live.journal").ok
    callers = {e.content["caller"] for e in Journal(tmp / "decisions.journal", create=False).entries()}
    assert callers == {"java-client"}
