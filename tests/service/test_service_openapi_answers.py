"""Every answer the service sends is described by its OpenAPI document, strictly: the status is one
the operation declares, the body validates against the declared schema, and no member is sent that
the schema does not name (a generated Java class has no field for it; `model_validate` on the
pydantic models, as the other tests do, ignores such members, which is how these slipped through).

Found by a review playing a Java client: `/v1/rules`, `/v1/rules/{rule_id}`, `/v1/schema` and
`/v1/workflow` were declared to answer `{"type": "string"}` (a generator makes them return a String
and fails on the object sent); `/ready` and `/v1/cases/{id}/verify` sent the journal report's
`checkpoints` and `keys`, which `JournalReport` did not declare; the operations with a path
parameter declared a 422 of FastAPI's `HTTPValidationError`, a shape the service never sends; and
401, 429, 500 and 503, which docs/service.md says answer a `Problem`, were not declared where they
happen."""
from __future__ import annotations

import copy
import json
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the service extra (fastapi) is not installed")
pytest.importorskip("httpx", reason="the test client needs httpx")

from fastapi.testclient import TestClient  # noqa: E402

from cadre_rules import validate_case  # noqa: E402
from cadre_rules.live.derive import events_from_case  # noqa: E402
from cadre_rules.service import ServiceConfig, create_app  # noqa: E402


def as_json(data: Any) -> Any:
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def undescribed(value: Any, schema: dict[str, Any], components: dict[str, Any], path: str = "$") -> list[str]:
    """What of `value` the OpenAPI 3.0 `schema` does not describe (empty: all of it)."""
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if value is None:
        return [] if schema.get("nullable") or not schema else [f"{path}: null, not nullable"]
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema:
            tries = [undescribed(value, sub, components, path) for sub in schema[key]]
            if key == "allOf":
                return [p for t in tries for p in t]
            return [] if any(not t for t in tries) else tries[0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__}, not an object"]
        props, extra = schema.get("properties", {}), schema.get("additionalProperties")
        out = [f"{path}.{k}: required, absent" for k in schema.get("required", []) if k not in value]
        for k, v in value.items():
            if k in props:
                out += undescribed(v, props[k], components, f"{path}.{k}")
            elif isinstance(extra, dict):
                out += undescribed(v, extra, components, f"{path}.{k}")
            elif extra is None and props:
                out.append(f"{path}.{k}: not declared")
        return out
    if kind == "array":
        if not isinstance(value, list):
            return [f"{path}: not an array"]
        return [p for i, v in enumerate(value) for p in undescribed(v, schema.get("items", {}), components, f"{path}[{i}]")]
    python = {"string": str, "integer": int, "number": (int, float), "boolean": bool}.get(kind)
    if python is not None and (not isinstance(value, python) or (kind != "boolean" and isinstance(value, bool))):
        return [f"{path}: {type(value).__name__}, not {kind}"]
    return []


def test_every_answer_is_the_one_the_openapi_document_declares(rulebook, baseline):
    init, opened, events = events_from_case(validate_case(baseline))
    app = create_app(ServiceConfig(journal=":memory:", decision_log=":memory:"), rulebook)
    with TestClient(app, raise_server_exceptions=False) as c:
        doc = c.get("/openapi.json").json()
        components = doc["components"]["schemas"]
        case_id = init["id"]
        bad = as_json(baseline)
        del bad["post"]
        calls = [("get", "/health", "/health", None), ("get", "/ready", "/ready", None),
                 ("post", "/v1/audit", "/v1/audit", {"input": as_json(baseline)}),
                 ("post", "/v1/audit", "/v1/audit", {"input": bad}),
                 ("post", "/v1/audit", "/v1/audit", b"{not json"),
                 *[("post", url, route, "{}") for url, route in (
                     ("/v1/audit", "/v1/audit"), ("/v1/audit/batch", "/v1/audit/batch"), ("/v1/cases", "/v1/cases"),
                     (f"/v1/cases/{case_id}/events", "/v1/cases/{case_id}/events"))],
                 ("post", "/v1/audit/batch", "/v1/audit/batch", {"inputs": [as_json(baseline), bad, 7]}),
                 ("post", "/v1/cases", "/v1/cases", {"record": as_json(init), "on": opened.isoformat()}),
                 ("post", "/v1/cases", "/v1/cases", {"record": as_json(init), "on": opened.isoformat()}),
                 *[("post", f"/v1/cases/{case_id}/events", "/v1/cases/{case_id}/events", e.to_dict()) for e in events[:3]],
                 ("post", f"/v1/cases/{case_id}/events", "/v1/cases/{case_id}/events",
                  {**events[0].to_dict(), "id": "early", "on": "2021-01-04"}),
                 ("post", f"/v1/cases/{case_id}/events", "/v1/cases/{case_id}/events",  # INVALID-EVENT: field errors
                  {**events[3].to_dict(), "id": "invalid", "data": {**events[3].data, "surprise": 1}}),
                 ("post", "/v1/cases/nobody/events", "/v1/cases/{case_id}/events", events[0].to_dict()),
                 ("get", f"/v1/cases/{case_id}", "/v1/cases/{case_id}", None),
                 ("get", "/v1/cases/nobody", "/v1/cases/{case_id}", None),
                 ("get", f"/v1/cases/{case_id}/verify", "/v1/cases/{case_id}/verify", None),
                 ("get", "/v1/rules", "/v1/rules", None), ("get", "/v1/rules/DEC-QUORUM", "/v1/rules/{rule_id}", None),
                 ("get", "/v1/rules/NOPE", "/v1/rules/{rule_id}", None),
                 ("get", "/v1/schema", "/v1/schema", None), ("get", "/v1/workflow", "/v1/workflow", None)]
        problems = []
        for method, url, route, body in calls:
            if isinstance(body, str):  # a body declared as something else than JSON
                answer = c.request(method, url, content=body.encode("utf-8"), headers={"content-type": "text/plain"})
            elif isinstance(body, bytes):
                answer = c.request(method, url, content=body, headers={"content-type": "application/json"})
            else:
                answer = c.request(method, url, json=body)
            declared = doc["paths"][route][method]["responses"]
            if str(answer.status_code) not in declared:
                problems.append(f"{method} {url}: {answer.status_code} not declared ({sorted(declared)})")
                continue
            schema = declared[str(answer.status_code)]["content"]["application/json"]["schema"]
            problems += [f"{method} {url} {answer.status_code}: {p}"
                         for p in undescribed(answer.json(), schema, components)[:5]]
        assert problems == []


def test_declared_errors_are_problems_where_they_can_happen(client_doc):
    doc = client_doc
    for route, methods in doc["paths"].items():
        for method, op in methods.items():
            for status, answer in op["responses"].items():
                if status.startswith(("4", "5")):
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Problem"}, (method, route, status, schema)
            guarded = route not in ("/health", "/ready", "/openapi.json")
            assert ("401" in op["responses"]) == guarded, (method, route)
            assert "500" in op["responses"], (method, route)
            # a request body is JSON, declared so (415 otherwise), and only the operations with one check it
            assert ("415" in op["responses"]) == ("requestBody" in op), (method, route)
            if route.startswith("/v1/cases"):  # judged in the bounded pool: busy (429) or too slow (503)
                assert {"429", "503"} <= set(op["responses"]), (method, route)
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    for route in ("/v1/rules", "/v1/rules/{rule_id}", "/v1/schema", "/v1/workflow"):  # objects, not strings
        assert doc["paths"][route]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "object"


@pytest.fixture(scope="module")
def client_doc(rulebook):
    with TestClient(create_app(ServiceConfig(journal=":memory:", decision_log=None), rulebook)) as c:
        return c.get("/openapi.json").json()
