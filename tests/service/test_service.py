"""The decision service (`cadre-rules serve`): its answers are the CLI's, its errors name fields, its
limits hold, every decision is in a hash-chained log with personal data masked, and its OpenAPI
description is 3.0.3 that client generators accept."""
from __future__ import annotations

import copy
import json
import logging
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the service extra (fastapi) is not installed")
pytest.importorskip("httpx", reason="the test client needs httpx")

from click.testing import CliRunner  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from cadre_rules import Journal, validate_case, verify_journal  # noqa: E402
from cadre_rules.cli.main import main as cli_main  # noqa: E402
from cadre_rules.live.derive import events_from_case  # noqa: E402
from cadre_rules.reading.yamlmarks import safe_load  # noqa: E402
from cadre_rules.service import ServiceConfig, create_app  # noqa: E402
from cadre_rules.service import schemas  # noqa: E402
from cadre_rules.service.openapi import problems_for_java  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def as_json(data: Any) -> Any:
    """Case data as a JSON client sends it (dates as text)."""
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def example(path: Path) -> dict[str, Any]:
    return as_json(safe_load(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def client(rulebook):
    with TestClient(create_app(ServiceConfig(), rulebook)) as c:
        yield c


@pytest.fixture(scope="module")
def cli_report() -> dict[str, Any]:
    result = CliRunner().invoke(cli_main, ["audit", "--format", "json", str(EXAMPLES)])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_answers_for_the_examples_equal_the_cli_case_objects(client, cli_report):
    assert len(EXAMPLE_FILES) >= 56 and len(cli_report["cases"]) == len(EXAMPLE_FILES)
    inputs = [example(p) for p in EXAMPLE_FILES]
    sources = [str(p) for p in EXAMPLE_FILES]
    batch = client.post("/v1/audit/batch", json={"inputs": inputs, "sources": sources})
    assert batch.status_code == 200
    body = batch.json()
    assert [item["result"] for item in body["results"]] == cli_report["cases"]
    assert body["summary"]["by_rule"] == cli_report["summary"]["by_rule"]
    assert body["rulebook"] == cli_report["rulebook"]
    assert len({item["decision_id"] for item in body["results"]}) == len(EXAMPLE_FILES)
    # one by one too: the single-case endpoint gives the same objects
    for data, source, expected in zip(inputs, sources, cli_report["cases"]):
        one = client.post("/v1/audit", json={"input": data, "source": source})
        assert one.status_code == 200, one.text
        answer = one.json()
        assert answer["result"] == expected
        assert answer["rulebook"] == cli_report["rulebook"] and answer["decision_id"]
        assert answer["timing"]["duration_ms"] >= 0
        schemas.Decision.model_validate(answer)  # the OpenAPI description matches what is sent


def test_an_invalid_case_gets_422_with_the_cli_field_errors(client, tmp_path, baseline):
    bad = as_json(copy.deepcopy(baseline))
    bad["meetings"][0]["date"] = "2021-02-30"
    bad["candidates"][0]["surprise"] = 1
    del bad["post"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    cli = json.loads(CliRunner().invoke(cli_main, ["audit", "--format", "json", str(path)]).stdout)["cases"][0]
    answer = client.post("/v1/audit", json={"input": bad, "source": str(path)})
    assert answer.status_code == 422
    body = answer.json()
    # the same errors; the command line also knows where each one is in the file (the service has no file)
    assert all(e["line"] and e["column"] for e in cli["errors"])
    cli["errors"] = [{"path": e["path"], "message": e["message"], "kind": e["kind"]} for e in cli["errors"]]
    assert body["errors"] == cli["errors"] and len(body["errors"]) == 3
    assert {e["path"] for e in body["errors"]} == {"post", "candidates[0].surprise", "meetings[0].date"}
    assert body["result"] == cli and body["decision_id"]
    # in a batch the invalid case is reported in its place and the others are judged
    batch = client.post("/v1/audit/batch", json={"inputs": [bad, as_json(baseline)]}).json()
    assert [r["result"]["status"] for r in batch["results"]] == ["invalid", "ok"]
    assert batch["summary"]["invalid"] == 1 and batch["summary"]["cases"] == 2


@pytest.mark.parametrize("body, path, message", [
    (b"{not json", "", "invalid JSON: Expecting property name"),
    (b"[1, 2]", "", "must be a JSON object, not list"),
    (b'{"case": {}}', "case", "unknown field"),
    (b'{}', "input", "required field missing"),
    (b'{"input": 7}', "", "a case must be a mapping, not int"),
    (b"\xff\xfe", "", "not UTF-8"),
])
def test_malformed_requests_get_422_naming_the_problem(client, body, path, message):
    answer = client.post("/v1/audit", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert any(e["path"] == path and message in e["message"] for e in errors), errors


@pytest.mark.parametrize("source", [5, ["a"], {"file": "x"}, True])
def test_a_source_label_that_is_not_text_gets_422_naming_it(client, baseline, source):
    """Found by review: a `source` of the wrong type was dropped without a word (the answer said
    `request`), while the batch's `sources` of the wrong type get a 422 naming them."""
    answer = client.post("/v1/audit", json={"input": as_json(baseline), "source": source})
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"] == [{"path": "source", "message": "a label (text) is required"}]
    assert client.post("/v1/audit", json={"input": as_json(baseline), "source": None}).json()["result"]["source"] == "request"


def test_hostile_bodies_get_clear_answers_and_the_service_goes_on(client):
    deep = client.post("/v1/audit", content=b'{"input": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                       headers={"content-type": "application/json"})
    assert deep.status_code == 422 and "too deeply nested" in deep.json()["errors"][0]["message"]
    wide = client.post("/v1/audit", json={"input": {"id": "x", "meetings": [{}] * 5000}})
    assert wide.status_code == 422 and len(wide.json()["errors"]) > 100
    assert client.get("/health").status_code == 200


def test_rules_schema_and_workflow_are_the_cli_ones(client):
    runner = CliRunner()
    rules = json.loads(runner.invoke(cli_main, ["rules", "list", "--format", "json"]).stdout)
    assert client.get("/v1/rules").json() == rules
    rule_id = rules["rules"][3]["id"]
    assert client.get(f"/v1/rules/{rule_id}").json() == json.loads(runner.invoke(cli_main, ["rules", "show", rule_id]).stdout)
    missing = client.get("/v1/rules/NO-SUCH-RULE")
    assert missing.status_code == 404 and "NO-SUCH-RULE" in missing.json()["errors"][0]["message"]
    assert client.get("/v1/schema").json() == json.loads(runner.invoke(cli_main, ["schema"]).stdout)
    assert client.get("/v1/workflow").json() == json.loads(runner.invoke(cli_main, ["workflow", "--format", "json"]).stdout)
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200 and ready.json()["status"] == "ready" and ready.json()["journal"]["ok"]
    assert client.get("/v1/nowhere").status_code == 404


# -- limits: nothing crashes the server --------------------------------------------------------------

def test_oversized_body_and_batch_get_413(rulebook, baseline):
    with TestClient(create_app(ServiceConfig(max_body=4096, max_batch=2), rulebook)) as c:
        big = c.post("/v1/audit", json={"input": as_json(baseline)})  # the baseline alone is > 4 KiB
        assert big.status_code == 413 and "at most 4096" in big.json()["errors"][0]["message"]
        small = {"id": "x"}
        many = c.post("/v1/audit/batch", json={"inputs": [small, small, small]})
        assert many.status_code == 413 and many.json()["errors"][0]["path"] == "inputs"
        assert c.get("/health").status_code == 200


class SlowJudge:
    """Stands in for the pipeline: blocks until released, so that requests overlap for certain."""

    def __init__(self, service) -> None:
        self.service, self.release, self.entered = service, threading.Event(), threading.Semaphore(0)
        self.real = service.judge

    def __call__(self, data, source):
        self.entered.release()
        self.release.wait(10)
        return self.real(data, source)


def test_too_many_concurrent_requests_get_429_and_too_slow_gets_503(rulebook, baseline):
    app = create_app(ServiceConfig(max_concurrent=1, timeout=0.5), rulebook)
    service = app.state.service
    slow = SlowJudge(service)
    service.judge = slow
    with TestClient(app) as c:
        answers: list[Any] = []
        first = threading.Thread(target=lambda: answers.append(c.post("/v1/audit", json={"input": as_json(baseline)})))
        first.start()
        assert slow.entered.acquire(timeout=10)
        busy = c.post("/v1/audit", json={"input": as_json(baseline)})
        assert busy.status_code == 429 and busy.headers["retry-after"] == "1"
        first.join(10)
        assert answers[0].status_code == 503 and "within 0.5 s" in answers[0].json()["errors"][0]["message"]
        still = c.post("/v1/audit", json={"input": as_json(baseline)})
        assert still.status_code == 429  # the slow judgement still holds its slot after the 503
        slow.release.set()
        deadline = time.monotonic() + 10
        while service.runner.busy and time.monotonic() < deadline:
            time.sleep(0.01)
        service.judge = slow.real
        assert c.post("/v1/audit", json={"input": as_json(baseline)}).status_code == 200


def test_an_internal_error_is_a_500_answer_and_the_service_goes_on(rulebook, baseline):
    app = create_app(ServiceConfig(), rulebook)
    service = app.state.service
    real = service.judge

    def broken(data, source):
        raise RuntimeError("王海燕 110101199003071234")  # a message that must not be echoed

    service.judge = broken
    with TestClient(app, raise_server_exceptions=False) as c:
        answer = c.post("/v1/audit", json={"input": as_json(baseline)})
        assert answer.status_code == 500
        assert answer.json()["errors"] == [{"path": "", "message": "internal error: RuntimeError"}]
        service.judge = real
        assert c.post("/v1/audit", json={"input": as_json(baseline)}).status_code == 200


def test_an_internal_error_reaches_no_log_with_its_message_nor_the_case_id(rulebook, baseline, caplog):
    """A crash is answered 500 and logged by type and route only: the exception does not go on to the
    server either (uvicorn would log its traceback, message and all), and the path logged is the
    route's, not the request's (a case id in it may hold a name)."""
    app = create_app(ServiceConfig(journal=":memory:"), rulebook)
    service = app.state.service

    def broken(*args, **kwargs):
        raise RuntimeError("王海燕 110101199003071234")  # a message that must not be echoed

    service.judge = broken
    service.live.submit = broken
    caplog.set_level(logging.DEBUG)
    with TestClient(app) as c:  # raises what the app lets out, as a server would see it
        answer = c.post("/v1/audit", json={"input": as_json(baseline)})
        assert answer.status_code == 500
        assert answer.json()["errors"] == [{"path": "", "message": "internal error: RuntimeError"}]
        answer = c.post("/v1/cases/2021-马俊杰-001/events", json={"id": "e1", "kind": "review", "on": "2021-05-01"})
        assert answer.status_code == 500
    logged = "\n".join(caplog.text.splitlines() + [str(r.exc_info) for r in caplog.records])
    assert "RuntimeError" in logged and "/v1/cases/{case_id}/events" in logged
    for secret in ("王海燕", "110101199003071234", "马俊杰"):
        assert secret not in logged


def test_shared_token_guards_everything_but_health(rulebook, baseline):
    with TestClient(create_app(ServiceConfig(token="s3cret"), rulebook)) as c:
        assert c.get("/health").status_code == 200 and c.get("/ready").status_code == 200
        denied = c.post("/v1/audit", json={"input": as_json(baseline)})
        assert denied.status_code == 401 and denied.headers["www-authenticate"] == "Bearer"
        assert c.get("/v1/rules", headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = c.post("/v1/audit", json={"input": as_json(baseline)}, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200


# -- the decision log -------------------------------------------------------------------------------

def test_every_decision_is_logged_with_caller_and_masked_personal_data(rulebook, baseline, tmp_path):
    log_path = tmp_path / "decisions.journal"
    data = as_json(baseline)
    data["candidates"][0]["id_number"] = "110101199003071234"
    name = data["candidates"][0]["name"]
    with TestClient(create_app(ServiceConfig(decision_log=str(log_path)), rulebook)) as c:
        one = c.post("/v1/audit", json={"input": data}, headers={"X-Caller": "hr-system"}).json()
        bad = c.post("/v1/audit", json={"input": {"id": "x", "title": f"{name}提拔",
                                                  "candidates": [{"id": "c1", "name": name}]}}).json()
    assert verify_journal(log_path).ok
    entries = list(Journal(log_path, create=False).entries())
    assert [(e.kind, e.event_id) for e in entries] == [("decision", one["decision_id"]), ("decision", bad["decision_id"])]
    first = entries[0].content
    assert first["caller"] == "hr-system" and first["endpoint"] == "/v1/audit" and first["outcome"] == "ok"
    assert first["masked"] and len(first["input_sha256"]) == 64
    text = json.dumps([e.content for e in entries], ensure_ascii=False)
    assert name not in text and "110101199003071234" not in text
    assert first["result"]["findings"] == one["result"]["findings"] or name not in json.dumps(one["result"])
    assert entries[1].content["outcome"] == "invalid" and entries[1].content["caller"] is None
    # configured to keep personal data: the result is logged as answered
    kept = tmp_path / "kept.journal"
    with TestClient(create_app(ServiceConfig(decision_log=str(kept), log_personal_data=True), rulebook)) as c:
        c.post("/v1/audit", json={"input": {"id": "x", "title": name, "candidates": [{"id": "c1", "name": name}]}})
    assert name in json.dumps(next(Journal(kept, create=False).entries()).content, ensure_ascii=False)


# -- live cases -------------------------------------------------------------------------------------

def test_live_case_open_submit_refuse_state_and_verify(rulebook, baseline, tmp_path):
    init, opened, events = events_from_case(validate_case(baseline))
    journal = tmp_path / "live.journal"
    log = tmp_path / "decisions.journal"
    app = create_app(ServiceConfig(journal=str(journal), decision_log=str(log)), rulebook)
    with TestClient(app) as c:
        created = c.post("/v1/cases", json={"record": as_json(init), "on": opened.isoformat()})
        assert created.status_code == 201, created.text
        case_id = created.json()["state"]["case_id"]
        assert c.post("/v1/cases", json={"record": as_json(init), "on": opened.isoformat()}).status_code == 409
        meeting = next(e for e in events if e.kind == "meeting_held")
        for event in events[:events.index(meeting)]:
            answer = c.post(f"/v1/cases/{case_id}/events", json=event.to_dict())
            assert answer.status_code == 200 and answer.json()["result"]["accepted"], answer.text
        short = copy.deepcopy(meeting.to_dict())
        present = ["m01", "m02", "m03", "m04", "m05", "m06", "m07"]
        short["id"], short["data"]["attendees"] = "mt1-short", present
        item = short["data"]["agenda"][0]
        item["statements"] = [s for s in item["statements"] if s["member"] in present]
        item["vote"] = {"method": "hands", "agree": 6, "disagree": 1, "abstain": 0}
        refused = c.post(f"/v1/cases/{case_id}/events", json=short).json()["result"]
        assert not refused["accepted"] and [r["rule_id"] for r in refused["refused_by"]] == ["DEC-QUORUM"]
        assert refused["refused_by"][0]["article"] == "38" and refused["seq"] and len(refused["hash"]) == 64
        # the same id again: the first result, unchanged; the same id for other content: 409
        assert c.post(f"/v1/cases/{case_id}/events", json=short).json()["result"] == refused
        short["data"]["attendees"] = present[:6]
        assert c.post(f"/v1/cases/{case_id}/events", json=short).status_code == 409
        accepted = c.post(f"/v1/cases/{case_id}/events", json=meeting.to_dict()).json()
        assert accepted["result"]["accepted"] and accepted["result"]["stage"] == "decision"
        state = c.get(f"/v1/cases/{case_id}").json()
        schemas.CaseState.model_validate(state)
        assert state["stage"] == "decision" and state["events"] == events.index(meeting) + 2
        verified = c.get(f"/v1/cases/{case_id}/verify").json()
        assert verified["journal"]["ok"] and verified["last"]["seq"] == accepted["result"]["seq"]
        assert c.get("/v1/cases/nobody").status_code == 404
        assert c.post("/v1/cases/nobody/events", json=meeting.to_dict()).status_code == 404
        unknown_kind = c.post(f"/v1/cases/{case_id}/events", json={"id": "t", "kind": "telepathy", "on": "2021-05-01"})
        assert unknown_kind.status_code == 422 and "telepathy" in unknown_kind.json()["errors"][0]["message"]
        no_date = c.post(f"/v1/cases/{case_id}/events", json={"id": "t", "kind": "review", "on": "soon"})
        assert no_date.status_code == 422 and no_date.json()["errors"][0]["path"] == "on"
        bad_record = c.post("/v1/cases", json={"record": {"id": "r"}, "on": "2021-01-01"})
        assert bad_record.status_code == 422 and {"path": "body", "message": "required field missing", "kind": "missing"} in bad_record.json()["errors"]
    # a new process (restart) resumes the case from the journal and goes on
    with TestClient(create_app(ServiceConfig(journal=str(journal), decision_log=str(log)), rulebook)) as c:
        assert c.get(f"/v1/cases/{case_id}").json()["stage"] == "decision"
        following = events[events.index(meeting) + 1]
        assert c.post(f"/v1/cases/{case_id}/events", json=following.to_dict()).json()["result"]["accepted"]
    assert verify_journal(journal).ok and verify_journal(log).ok
    logged = [e.content for e in Journal(log, create=False).entries()]
    assert logged[0]["outcome"] == "opened"
    # the resubmission was answered too, so it is a decision of its own: same event, same journal receipt
    refusals = [d for d in logged if d["outcome"] == "refused"]
    assert [d["event_id"] for d in refusals] == ["mt1-short", "mt1-short"]
    assert refusals[0]["receipt"] == refusals[1]["receipt"] == {"seq": refused["seq"], "hash": refused["hash"]}
    assert refusals[0]["refused_by"] == ["DEC-QUORUM"]


def test_an_event_refused_for_invalid_data_answers_its_field_errors(rulebook, baseline, tmp_path):
    """The field errors of an INVALID-EVENT refusal, as objects a Java system or a form can use to mark
    the field: path and message in Chinese and English; the message and reason as they were. The
    decision log keeps the refusing rule only, as before: an error quoting what was submitted (an
    attendee written as a name) does not reach it."""
    init, opened, events = events_from_case(validate_case(baseline))
    log = tmp_path / "decisions.journal"
    name = baseline["candidates"][0]["name"]
    with TestClient(create_app(ServiceConfig(journal=str(tmp_path / "live.journal"), decision_log=str(log)),
                               rulebook)) as c:
        case_id = c.post("/v1/cases", json={"record": as_json(init), "on": opened.isoformat()}).json()["state"]["case_id"]
        meeting = next(e for e in events if e.kind == "meeting_held")
        for event in events[:events.index(meeting)]:
            assert c.post(f"/v1/cases/{case_id}/events", json=event.to_dict()).json()["result"]["accepted"]
        bad = copy.deepcopy(meeting.to_dict())
        bad["id"] = "mt1-bad"
        bad["data"]["attendees"].append(name)
        bad["data"]["surprise"] = 1
        answer = c.post(f"/v1/cases/{case_id}/events", json=bad)
        assert answer.status_code == 200
        result = answer.json()["result"]
        (refusal,) = result["refused_by"]
        assert refusal["rule_id"] == "INVALID-EVENT"
        assert refusal["errors"] == [{"path": "data.surprise", "message": {"zh": "未知字段", "en": "unknown field"}}]
        del bad["data"]["surprise"]
        bad["id"] = "mt1-stranger"
        refusal = c.post(f"/v1/cases/{case_id}/events", json=bad).json()["result"]["refused_by"][0]
        path = f"data.attendees[{len(bad['data']['attendees']) - 1}]"
        assert refusal["errors"] == [{"path": path, "message": {"zh": f'未知的班子成员 "{name}"',
                                                                "en": f'unknown member "{name}"'}}]
        assert refusal["message"] == {"zh": f'事项数据无效：{path}：未知的班子成员 "{name}"',
                                      "en": f'invalid event data: {path}: unknown member "{name}"'}
        schemas.EventDecision.model_validate(c.post(f"/v1/cases/{case_id}/events", json=bad).json())
    refused = [e.content for e in Journal(log, create=False).entries() if e.content["outcome"] == "refused"]
    assert [d["refused_by"] for d in refused] == [["INVALID-EVENT"]] * 3
    assert name not in json.dumps(refused, ensure_ascii=False)


# -- the OpenAPI description ------------------------------------------------------------------------


def test_wrong_types_in_a_live_request_get_422_naming_the_field(rulebook, baseline, tmp_path):
    """Found by fuzzing the service: a `stage` that was a list or an object when opening a case answered
    500 'internal error: TypeError', and an event whose `kind` was a list answered 422 "unhashable type:
    'list'", naming no field; data given as an empty list was taken for no data. Now each is a 422 naming
    its field, and nothing of them reaches the journal."""
    journal = tmp_path / "live.journal"
    init, opened, events = events_from_case(validate_case(baseline))
    with TestClient(create_app(ServiceConfig(journal=str(journal), decision_log=":memory:"), rulebook)) as c:
        for stage in ([], {"stage": "motion"}):
            answer = c.post("/v1/cases", json={"record": as_json(init), "on": opened.isoformat(), "stage": stage})
            assert answer.status_code == 422, answer.text
            assert answer.json()["errors"][0]["path"] == "stage" and "unknown stage" in answer.json()["errors"][0]["message"]
        case_id = c.post("/v1/cases", json={"record": as_json(init), "on": opened.isoformat()}).json()["state"]["case_id"]
        first = events[0].to_dict()
        for key, value, message in (("kind", ["motion"], "unknown event kind ['motion']"), ("kind", {}, "unknown event kind {}"),
                                    ("id", [], "an event needs a non-empty string id"),
                                    ("data", [], "data must be a mapping"), ("data", "x", "data must be a mapping")):
            answer = c.post(f"/v1/cases/{case_id}/events", json={**first, key: value})
            assert answer.status_code == 422, (key, value, answer.text)
            [error] = answer.json()["errors"]
            assert error["path"] == key and message in error["message"], error
        assert c.get(f"/v1/cases/{case_id}").json()["events"] == 0
        accepted = c.post(f"/v1/cases/{case_id}/events", json=first).json()["result"]
        assert accepted["accepted"] and accepted["seq"]
        assert c.get(f"/v1/cases/{case_id}/verify").json()["journal"]["ok"]

def test_openapi_is_3_0_3_without_constructs_java_generators_mishandle(client):
    doc = client.get("/openapi.json").json()
    assert doc["openapi"] == "3.0.3"
    assert problems_for_java(doc) == []
    text = json.dumps(doc)
    assert '"type": "null"' not in text and "$defs" not in text and '"const"' not in text
    from openapi_spec_validator import validate

    validate(doc)  # a valid OpenAPI 3.0 document
    schemas_ = doc["components"]["schemas"]
    assert schemas_["AuditRequest"]["properties"]["input"] == {"$ref": "#/components/schemas/Case"}
    assert schemas_["Finding" + "Model"]["properties"]["article"].get("nullable") is True
    ops = {op["operationId"] for path in doc["paths"].values() for op in path.values()}
    assert {"audit", "auditBatch", "openCase", "submitEvent", "caseState", "verifyCase"} <= ops


def test_the_downgrade_turns_3_1_nullables_into_3_0(client):
    from cadre_rules.service.openapi import downgrade

    doc = downgrade({"openapi": "3.1.0", "paths": {}, "components": {"schemas": {"X": {
        "type": "object", "properties": {
            "a": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "b": {"anyOf": [{"$ref": "#/$defs/Y"}, {"type": "null"}]},
            "c": {"type": ["integer", "null"], "exclusiveMinimum": 0},
            "d": {"const": "x"}},
        "$defs": {"Y": {"type": "object", "properties": {"z": {"type": "string"}}}}}}}})
    x = doc["components"]["schemas"]["X"]["properties"]
    assert x["a"] == {"type": "string", "nullable": True}
    assert x["b"] == {"nullable": True, "allOf": [{"$ref": "#/components/schemas/Y"}]}
    assert x["c"] == {"type": "integer", "nullable": True, "minimum": 0, "exclusiveMinimum": True}
    assert x["d"] == {"enum": ["x"]}
    assert "Y" in doc["components"]["schemas"] and problems_for_java(doc) == []


def test_serve_refuses_a_file_that_is_not_a_journal(tmp_path):
    not_a_journal = tmp_path / "notes.journal"
    not_a_journal.write_text("not sqlite", encoding="utf-8")
    result = CliRunner().invoke(cli_main, ["serve", "--journal", str(not_a_journal), "--no-decision-log"])
    assert result.exit_code == 2
    assert "notes.journal" in result.stderr and "Traceback" not in result.stderr


def test_the_decision_log_masks_a_name_in_the_case_id_too(rulebook, baseline, tmp_path):
    """The entry's case id (a column of its own, outside the masked content) is masked as well: a
    case id may hold a name (`2021-马俊杰-001`). Audits, invalid audits, live cases and their events."""
    log_path = tmp_path / "decisions.journal"
    data = as_json(baseline)
    name = data["candidates"][0]["name"]
    data["id"] = f"2021-{name}-001"
    init, opened, events = events_from_case(validate_case(baseline))
    record = as_json(init)
    record["id"] = f"2021-{name}-002"
    with TestClient(create_app(ServiceConfig(journal=":memory:", decision_log=str(log_path)), rulebook)) as c:
        assert c.post("/v1/audit", json={"input": data}).status_code == 200
        invalid = {**data, "post": None}
        assert c.post("/v1/audit", json={"input": invalid}).status_code == 422
        assert c.post("/v1/audit/batch", json={"inputs": [data, invalid]}).status_code == 200
        created = c.post("/v1/cases", json={"record": record, "on": opened.isoformat()})
        assert created.status_code == 201, created.text
        case_id = created.json()["state"]["case_id"]
        assert name in case_id  # answered as it is: the caller sent it
        answer = c.post(f"/v1/cases/{case_id}/events", json=events[0].to_dict())
        assert answer.status_code == 200, answer.text
    entries = list(Journal(log_path, create=False).entries())
    assert len(entries) == 6
    assert all(name not in e.case_id for e in entries), [e.case_id for e in entries]
    assert all(name not in json.dumps(e.content, ensure_ascii=False) for e in entries)
    assert {e.case_id for e in entries} == {"2021-〔c1〕-001", "2021-〔c1〕-002"}
    assert verify_journal(log_path).ok


def test_the_access_log_of_serve_names_the_route_not_the_case_id(monkeypatch):
    """uvicorn's access log (on by default) prints each request's path; under /v1/cases/ that holds a
    case id, which may hold a name. `serve` logs the route there instead; other paths are kept."""
    import uvicorn

    started: list[Any] = []
    def run(self: Any, *args: Any, **kwargs: Any) -> None:  # as if it had served and been stopped
        self.started = True
        started.append(self)

    monkeypatch.setattr(uvicorn.Server, "run", run)
    access = logging.getLogger("uvicorn.access")
    before = list(access.filters)
    try:
        result = CliRunner().invoke(cli_main, ["serve", "--journal", ":memory:", "--no-decision-log"])
        assert result.exit_code == 0 and started, result.output

        def line(path: str) -> str:
            record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                                       ("127.0.0.1:5000", "POST", path, "1.1", 200), None)
            assert access.filter(record)
            return record.getMessage()

        encoded = "/v1/cases/2021-%E9%A9%AC%E4%BF%8A%E6%9D%B0-001/events"  # 马俊杰, as a client sends it
        assert line(encoded) == '127.0.0.1:5000 - "POST /v1/cases/{case_id}/events HTTP/1.1" 200'
        assert "马俊杰" not in line("/v1/cases/2021-马俊杰-001?x=1") and "{case_id}" in line("/v1/cases/2021-马俊杰-001")
        assert line("/v1/audit") == '127.0.0.1:5000 - "POST /v1/audit HTTP/1.1" 200'
    finally:
        access.filters[:] = before


def test_values_a_journal_cannot_hold_get_422_naming_them(rulebook, baseline):
    """Found by review: an integer beyond 2^53 (short enough for the reader's 30-digit limit) in an
    event's data or an opening record answered 500 'internal error: JournalError'."""
    init, opened, _ = events_from_case(validate_case(baseline))
    with TestClient(create_app(ServiceConfig(journal=":memory:", decision_log=":memory:"), rulebook)) as c:
        record = {**as_json(init), "post": {**as_json(init)["post"], "quota": 2 ** 60}}
        answer = c.post("/v1/cases", json={"record": record, "on": opened.isoformat()})
        assert answer.status_code == 422, answer.text
        assert [e["path"] for e in answer.json()["errors"]] == ["post.quota"]
        case_id = c.post("/v1/cases", json={"record": as_json(init), "on": opened.isoformat()}).json()["state"]["case_id"]
        answer = c.post(f"/v1/cases/{case_id}/events",
                        json={"id": "e1", "kind": "review", "on": opened.isoformat(), "data": {"note": 2 ** 60}})
        assert answer.status_code == 422, answer.text
        [error] = answer.json()["errors"]
        assert error["path"] == "data.note" and "2^53" in error["message"]
        assert c.get(f"/v1/cases/{case_id}").json()["events"] == 0


def test_an_unusable_journal_is_a_503_not_an_internal_error(rulebook, baseline, tmp_path, caplog):
    """docs/service.md: 503 when 'the journal is unusable'. Found by review: a storage failure of the
    live journal (disk full, locked past its timeout) while opening a case or submitting an event, or of
    the decision log while recording an audit, answered 500 'internal error: JournalError'."""
    from cadre_rules import JournalError

    init, opened, events = events_from_case(validate_case(baseline))
    app = create_app(ServiceConfig(journal=str(tmp_path / "live.journal"), decision_log=str(tmp_path / "d.journal")),
                     rulebook)
    service = app.state.service

    def full(*args, **kwargs):
        raise JournalError("database or disk is full")

    with TestClient(app, raise_server_exceptions=False) as c:
        case_id = c.post("/v1/cases", json={"record": as_json(init), "on": opened.isoformat()}).json()["state"]["case_id"]
        live_transaction, log_append = service.live.journal.transaction, service.decisions.journal.append
        service.live.journal.transaction = full
        other = {**as_json(init), "id": "another"}
        for method, url, body in (("post", "/v1/cases", {"record": other, "on": opened.isoformat()}),
                                  ("post", f"/v1/cases/{case_id}/events", events[0].to_dict())):
            answer = c.request(method, url, json=body)
            assert answer.status_code == 503, (url, answer.text)
            assert answer.json()["title"] == "journal unusable" and "disk is full" in answer.json()["errors"][0]["message"]
        # the log names the route, not the request's path: a case id may hold a name
        logged = [r.getMessage() for r in caplog.records if "journal unusable" in r.getMessage()]
        assert "journal unusable on POST /v1/cases/{case_id}/events: JournalError" in logged, logged
        assert not any(case_id in line for line in logged), logged
        service.live.journal.transaction = live_transaction
        service.decisions.journal.append = full
        answer = c.post("/v1/audit", json={"input": as_json(baseline)})
        assert answer.status_code == 503 and answer.json()["title"] == "journal unusable", answer.text
        service.decisions.journal.append = log_append
        assert c.post(f"/v1/cases/{case_id}/events", json=events[0].to_dict()).json()["result"]["accepted"]


def test_a_week_date_is_not_a_date(client):
    """docs/service.md documents `on` as YYYY-MM-DD; "2021-W10-1" (ten characters) was read as 8 March."""
    answer = client.post("/v1/cases", json={"record": {"id": "w"}, "on": "2021-W10-1"})
    assert answer.status_code == 422 and answer.json()["errors"][0]["path"] == "on", answer.text


def test_a_wrong_method_answers_405_with_the_allowed_methods(client):
    """RFC 9110 15.5.6: a 405 names the methods the route allows (`Allow`); the Problem handler dropped
    the header Starlette gives it."""
    answer = client.get("/v1/audit")
    assert answer.status_code == 405 and answer.headers["allow"] == "POST"
    assert answer.json()["title"] == "method not allowed"


POSTS = ["/v1/audit", "/v1/audit/batch", "/v1/cases", "/v1/cases/any-case/events"]


@pytest.mark.parametrize("route", POSTS)
@pytest.mark.parametrize("declared", [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                                      "application/jsonx", "application/json-seq", "application/problem+json",
                                      "application/json; charset=latin-1", "application/json; charset=utf-16",
                                      "application/json, text/plain", "json", ""])
def test_a_body_not_declared_json_gets_415(client, route, declared):
    """Found by review: any Content-Type (or none) was read as JSON. A body is read as JSON only when it
    says it is (RFC 9110 15.5.16): a client that sends a form, text or nothing learns it at once, named,
    instead of a 422 about a body it did not mean to send as JSON. Nothing is judged or recorded."""
    headers = {} if declared is None else {"content-type": declared}
    answer = client.post(route, content=b'{"input": {}}', headers=headers)
    assert answer.status_code == 415, (declared, answer.text)
    body = answer.json()
    assert body["status"] == 415 and body["title"] == "unsupported media type"
    (error,) = body["errors"]
    assert error["path"] == "" and "Content-Type: application/json" in error["message"]
    assert answer.headers["accept-post"] == "application/json"


@pytest.mark.parametrize("declared", ["application/json", "application/json; charset=utf-8", "Application/JSON",
                                      'application/json;charset="UTF-8"', "application/json ; charset=utf-8"])
def test_json_with_or_without_its_utf8_charset_is_read(client, baseline, declared):
    body = json.dumps({"input": as_json(baseline)}, ensure_ascii=False).encode("utf-8")
    answer = client.post("/v1/audit", content=body, headers={"content-type": declared})
    assert answer.status_code == 200, (declared, answer.text)


def test_the_media_type_is_checked_after_the_token_and_the_size(rulebook):
    with TestClient(create_app(ServiceConfig(token="s3cret", max_body=100), rulebook)) as c:
        assert c.post("/v1/audit", content=b"{}", headers={"content-type": "text/plain"}).status_code == 401
        auth = {"authorization": "Bearer s3cret", "content-type": "text/plain"}
        assert c.post("/v1/audit", content=b"x" * 200, headers=auth).status_code == 413
        assert c.post("/v1/audit", content=b"{}", headers=auth).status_code == 415
