"""The decision service: HTTP in front of the library, with no judging of its own.

Routes follow what users of policy engines know — OPA's data API (`{"input": …}` in, `{"result": …,
"decision_id": …}` out) and the KIE server's containers of rules:

    POST /v1/audit                      one case → its case object of the JSON report
    POST /v1/audit/batch                many cases → their case objects and the report's summary
    POST /v1/cases                      open a live case (LiveCase.open, journaled)
    POST /v1/cases/{case_id}/events     submit an event → the LiveCase result (accepted or refused)
    GET  /v1/cases/{case_id}            where the case stands
    GET  /v1/cases/{case_id}/verify     the journal's hash chain, checked now
    GET  /v1/rules, /v1/rules/{rule_id}, /v1/schema, /v1/workflow
    GET  /health (alive), /ready (rulebook loaded, journal intact)
    GET  /openapi.json                  OpenAPI 3.0.3

Every judgement goes through the same code as `cadre-rules audit` (the batch driver's `CaseJudge`
and the report's `RenderCase`), so an
answer's `result` is byte for byte the case object of `audit --format json` (its `source` is the
request's label). Errors are one shape (`Problem`): the field errors of an invalid case are the
CLI's `{path, message}` list.
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from contextlib import asynccontextmanager
from datetime import date, datetime, timezone
from typing import Any, Callable

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic.json_schema import models_json_schema
from starlette.exceptions import HTTPException as StarletteHTTPException

from cadre_rules.errors import LiveInputError
from cadre_rules.live.case import EventConflict
from cadre_rules.model.base import DAY_TEXT
from cadre_rules.live.journal import JournalError, JournalTampered
from cadre_rules.model import Case
from cadre_rules.reading.cases import CaseValidationError, RawCase, _parse
from cadre_rules.audit.batch import CaseJudge
from cadre_rules.report.json_report import rulebook_info
from cadre_rules.report.batch import AuditOptions, RenderCase
from cadre_rules.report.model import CaseStats, ReportedCase, Summary
from cadre_rules.rulebook import Rulebook, load_rulebook
from cadre_rules.service import schemas
from cadre_rules.service.config import ServiceConfig
from cadre_rules.service.decisions import DecisionLog, new_decision_id
from cadre_rules.service.limits import OPEN_PATHS, Gate, Refused, Runner
from cadre_rules.service.live import CaseExists, LiveRegistry, UnknownCase, result_of, state_of
from cadre_rules.service.openapi import downgrade

log = logging.getLogger("cadre_rules.service")
VERSION = "1"


class JSON(JSONResponse):
    """JSON as the CLI writes it (UTF-8, not ASCII-escaped, dates as text). A JSONResponse, not a plain
    Response, because FastAPI describes a plain Response's answer as `{"type": "string"}`: the routes
    without a model (rules, schema, workflow) were declared to answer a string to client generators."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, default=str).encode("utf-8")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _errors(errors: Any) -> list[dict[str, str]]:
    return [e.to_dict() if hasattr(e, "to_dict") else dict(e) for e in errors]


def declares_json(content_type: str | None) -> bool:
    """Whether a Content-Type declares the JSON the service reads: `application/json` (any case), with
    no parameter but a UTF-8 charset (`application/json; charset=utf-8`). Anything else — another type,
    `application/problem+json`, another charset, an unknown parameter, no Content-Type at all — is not:
    the service does not guess what a body is (docs/service.md, Errors)."""
    if not content_type:
        return False
    media, _, parameters = content_type.partition(";")
    if media.strip().lower() != "application/json":
        return False
    for parameter in parameters.split(";"):
        if not parameter.strip():
            continue
        name, _, value = parameter.partition("=")
        if name.strip().lower() != "charset" or value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return False
    return True


async def _json_body(request: Request) -> bytes:
    """The request's body, when its Content-Type declares JSON (415 otherwise, before it is read). Why
    refuse rather than try: a form, text or a body without a type that happened to parse would be judged
    as something its sender did not say it was, and one that does not parse got a 422 about JSON the
    sender never meant to send."""
    declared = request.headers.get("content-type")
    if not declares_json(declared):
        got = f"got {declared!r:.60}" if declared else "it has none"
        raise Refused(415, "unsupported media type",
                      [{"path": "", "message": f"the body must be JSON, sent with Content-Type: application/json "
                                               f"(charset utf-8, if one is named); {got}"}],
                      {"Accept-Post": "application/json"})
    return await request.body()


def _object(body: bytes, allowed: set[str], required: set[str], what: str) -> dict[str, Any]:
    """The request body as a JSON object with the named keys (422 naming each problem otherwise)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(422, "invalid input", [{"path": "", "message": f"cannot read: not UTF-8 ({exc.reason})"}]) from None
    try:
        raw = _parse("request", text, ".json")  # the CLI's JSON reading, with its error messages
    except RecursionError:
        raise Refused(422, "invalid input", [{"path": "", "message": "JSON nested too deeply"}]) from None
    if raw.error is not None:
        raise Refused(422, "invalid input", [raw.input_error().to_dict()])
    doc = raw.data
    if not isinstance(doc, dict):
        raise Refused(422, "invalid input", [{"path": "", "message": f"{what} must be a JSON object, "
                                                                    f"not {type(doc).__name__}"}])
    problems = [{"path": key, "message": "unknown field"} for key in doc if key not in allowed]
    problems += [{"path": key, "message": "required field missing"} for key in sorted(required) if key not in doc]
    if problems:
        raise Refused(422, "invalid input", problems)
    return doc


def _date(value: Any, path: str) -> date:
    """A YYYY-MM-DD date from the request (422 naming `path` otherwise)."""
    try:
        if isinstance(value, str) and DAY_TEXT.fullmatch(value):  # not a week date such as 2021-W10-1
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise Refused(422, "invalid input", [{"path": path, "message": f"a date YYYY-MM-DD is required (got {value!r:.60})"}])


def _event_fields(doc: dict[str, Any]) -> None:
    """The event's id, kind and data of the types an event has (422 naming each field otherwise), with
    the texts live.events.Event gives. Why here: a kind that is a list or object reached the kinds'
    lookup as a key and came back as "unhashable type: 'list'", naming no field; data that is an empty
    list was taken for no data."""
    from cadre_rules.live.events import KINDS

    problems = []
    event_id, kind, data = doc["id"], doc["kind"], doc.get("data")
    if not isinstance(event_id, str) or not event_id.strip():
        problems.append({"path": "id", "message": "an event needs a non-empty string id"})
    if not isinstance(kind, str) or kind not in KINDS:
        problems.append({"path": "kind", "message": f"unknown event kind {kind!r:.60}; known: {', '.join(KINDS)}"})
    if data is not None and not isinstance(data, dict):
        problems.append({"path": "data", "message": f"event {event_id!s:.60}: data must be a mapping"})
    if problems:
        raise Refused(422, "invalid event", problems)


class Service:
    """What the routes share: the rulebook, the audit pipeline, live cases, the decision log, the limits."""

    def __init__(self, config: ServiceConfig, rulebook: Rulebook | None = None) -> None:
        self.config = config
        self.rulebook = rulebook or load_rulebook(config.rules_dir, config.profile)
        self.ref = rulebook_info(self.rulebook)
        options = AuditOptions(fmt="json", rules_dir=config.rules_dir, profile=config.profile, engine="python")
        # One judge for every thread: compiled once, now (the first request should not pay for it).
        # Judging keeps no per-call state in it (the Python evaluator's compiled rules are pure functions
        # of the facts); the durable engine, which has a child process per auditor, is not offered here.
        self._judge = CaseJudge(options.batch, self.rulebook)
        self._render = RenderCase(options, self.rulebook)
        self.live = LiveRegistry(config.journal, self.rulebook)
        self.decisions = DecisionLog(config.decision_log, self.rulebook.version,
                                     keep_personal_data=config.log_personal_data, synchronous=config.decision_log_sync)
        self.runner = Runner(config.max_concurrent, config.timeout)
        self._rules: dict[str, Any] | None = None

    def judge(self, data: Any, source: str) -> ReportedCase:
        """The case's result as `audit --format json` reports it (the case object: `.to_dict()`)."""
        return self._render.reported(self._judge.judge_raw(RawCase(source, data)))

    def rules(self) -> dict[str, Any]:
        if self._rules is None:
            from cadre_rules.report.rules import describe_rules

            self._rules = describe_rules(self.rulebook)
        return self._rules

    def log(self, decision_id: str, case: dict[str, Any], endpoint: str, caller: str | None, raw: Any) -> None:
        """Record an audit decision (masked unless configured otherwise) before it is answered."""
        self.decisions.record(decision_id, case.get("case_id"), endpoint, caller, case["status"],
                              {"result": case, "rulebook": self.ref}, raw)

    def caller(self, request: Request) -> str | None:
        return request.headers.get(self.config.caller_header)

    def close(self) -> None:
        self.runner.close()
        self.live.close()
        self.decisions.close()


def _timed(work: Callable[[], Any]) -> Callable[[], tuple[Any, float]]:
    def run() -> tuple[Any, float]:
        start = time.perf_counter()
        value = work()
        return value, round((time.perf_counter() - start) * 1000, 3)
    return run


def create_app(config: ServiceConfig | None = None, rulebook: Rulebook | None = None) -> FastAPI:
    """The ASGI application (serve it with uvicorn: `cadre-rules serve`)."""
    config = config or ServiceConfig()
    service = Service(config, rulebook)

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # noqa: ANN202 - FastAPI's protocol
        yield
        service.close()

    app = FastAPI(title="cadre-rules decision service", version=VERSION, lifespan=lifespan, docs_url=None,
                  redoc_url=None, default_response_class=JSON,
                  description="Audits of cadre selection cases (干部选拔任用) and live enforcement, over HTTP. "
                              "Authentication is the gateway's job; see docs/service.md.")
    app.state.service = service

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> JSON:
        return JSON(exc.body(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSON:
        title = {404: "not found", 405: "method not allowed"}.get(exc.status_code, str(exc.detail))
        return JSON(Refused(exc.status_code, title, [{"path": "", "message": f"{request.method} {request.url.path}: "
                                                                             f"{exc.detail}"}]).body(),
                    status_code=exc.status_code, headers=exc.headers)  # a 405's Allow

    @app.exception_handler(JournalError)
    async def journal_unusable(request: Request, exc: JournalError) -> JSON:
        # docs/service.md: 503 when a journal (the live one, or the decision log) cannot be used — disk
        # full, locked past its timeout, tampered with. Not a bug of the service; the request may be
        # retried (an event with the same id: it returns its first result if it was recorded after all).
        # The log names the route, not the path: a case id may hold a name (see `Contained`).
        route = getattr(request.scope.get("route"), "path", None) or "(no route)"
        log.error("journal unusable on %s %s: %s", request.method, route, type(exc).__name__)
        title = "journal tampered" if isinstance(exc, JournalTampered) else "journal unusable"
        return JSON(Refused(503, title, [{"path": "", "message": str(exc)}]).body(), status_code=503,
                    headers={"Retry-After": "5"})

    problem = {"model": schemas.Problem}
    # the rules, the case schema, the stage graph: JSON objects of the CLI's, with no model of their own
    an_object = {200: {"content": {"application/json": {"schema": {"type": "object", "additionalProperties": True}}}}}
    common = {413: problem, 422: problem, 429: problem, 503: problem}

    # -- health ----------------------------------------------------------------------------------

    @app.get("/health", response_model=None, responses={200: {"model": schemas.Health}}, tags=["health"])
    async def health() -> JSON:
        """Liveness: the process answers."""
        return JSON({"status": "ok"})

    @app.get("/ready", response_model=None, responses={200: {"model": schemas.Readiness}, 503: problem},
             tags=["health"])
    async def ready() -> JSON:
        """Readiness: the rulebook is loaded and the live journal was intact when opened."""
        ok = service.live.intact
        body = {"status": "ready" if ok else "not-ready", "rulebook": service.ref, "journal": service.live.verified,
                "decision_log": config.decision_log}
        return JSON(body, status_code=200 if ok else 503)

    # -- audits ----------------------------------------------------------------------------------

    @app.post("/v1/audit", response_model=None, operation_id="audit", tags=["audit"],
              responses={200: {"model": schemas.Decision}, **common})
    async def audit(request: Request) -> JSON:
        """Audit one case: `{"input": case}` → the case object of the JSON report, with a decision id.

        An invalid case answers 422 with the CLI's field errors (and the case object, status invalid)."""
        received = _now()
        doc = _object(await _json_body(request), {"input", "source"}, {"input"}, "the request")
        source = doc.get("source")
        if source is not None and not isinstance(source, str):  # not dropped in silence: the batch refuses it too
            raise Refused(422, "invalid input", [{"path": "source", "message": "a label (text) is required"}])
        source = source if source is not None else "request"
        decision_id, caller = new_decision_id(), service.caller(request)

        def work() -> dict[str, Any]:
            case = service.judge(doc["input"], source).to_dict(service.rulebook.accountability)
            service.log(decision_id, case, "/v1/audit", caller, doc["input"])
            return case

        case, took = await service.runner.run(_timed(work))
        if case["status"] == "invalid":
            raise Refused(422, "invalid case", case["errors"], decision_id=decision_id, result=case)
        return JSON({"decision_id": decision_id, "rulebook": service.ref, "result": case,
                     "timing": {"received": received, "duration_ms": took}})

    @app.post("/v1/audit/batch", response_model=None, operation_id="auditBatch", tags=["audit"],
              responses={200: {"model": schemas.BatchDecision}, **common})
    async def audit_batch(request: Request) -> JSON:
        """Audit many cases: `{"inputs": [case, …]}`. An invalid case is reported in its place (status
        invalid, with its field errors) and the others are judged, as in a CLI batch."""
        received = _now()
        doc = _object(await _json_body(request), {"inputs", "sources"}, {"inputs"}, "the request")
        inputs, sources = doc["inputs"], doc.get("sources")
        if not isinstance(inputs, list):
            raise Refused(422, "invalid input", [{"path": "inputs", "message": "a list of cases is required"}])
        if len(inputs) > config.max_batch:
            raise Refused(413, "batch too large", [{"path": "inputs", "message": f"{len(inputs)} cases; at most "
                                                                                  f"{config.max_batch} per request"}])
        if sources is not None and (not isinstance(sources, list) or len(sources) != len(inputs)
                                    or not all(isinstance(s, str) for s in sources)):
            raise Refused(422, "invalid input", [{"path": "sources", "message": "one label (text) per input"}])
        labels = sources or [f"request[{i}]" for i in range(len(inputs))]
        caller = service.caller(request)

        def work() -> tuple[list[dict[str, Any]], dict[str, Any]]:
            summary = Summary(date.today(), service.rulebook.stages.order)
            items, entries = [], []
            for data, label in zip(inputs, labels):
                result = service.judge(data, label)
                summary.add(CaseStats.of(result))
                decision_id, case = new_decision_id(), result.to_dict(service.rulebook.accountability)
                if service.decisions.journal is not None:
                    entries.append(service.decisions.entry(decision_id, case.get("case_id"), "/v1/audit/batch", caller,
                                                           case["status"], {"result": case, "rulebook": service.ref},
                                                           data))
                items.append({"decision_id": decision_id, "result": case})
            service.decisions.record_many(entries)  # one transaction, committed before the answer
            return items, summary.to_dict()

        (items, summary), took = await service.runner.run(_timed(work))
        return JSON({"batch_id": new_decision_id(), "rulebook": service.ref, "results": items,
                     "summary": summary, "timing": {"received": received, "duration_ms": took}})

    # -- live cases ------------------------------------------------------------------------------

    @app.post("/v1/cases", response_model=None, status_code=201, operation_id="openCase", tags=["live"],
              responses={201: {"model": schemas.OpenedCase}, 409: problem, **common})
    async def open_case(request: Request) -> JSON:
        """Open a live case from its initial record, on a date; journaled. 409 if the id is open already."""
        received = _now()
        doc = _object(await _json_body(request), {"record", "on", "stage"}, {"record", "on"}, "the request")
        on = _date(doc["on"], "on")
        if not isinstance(doc["record"], dict):
            raise Refused(422, "invalid input", [{"path": "record", "message": "a case record (object) is required"}])
        stage = doc.get("stage")
        # a list or object here is a wrong type, not a stage (as a key it raised TypeError: a 500 before)
        if stage is not None and (not isinstance(stage, str) or stage not in service.rulebook.stages.titles):
            raise Refused(422, "invalid input", [{"path": "stage", "message": f"unknown stage {stage!r}"}])

        decision_id, caller = new_decision_id(), service.caller(request)

        def work() -> dict[str, Any]:
            try:
                state = state_of(service.live.open(doc["record"], on, stage))
            except CaseValidationError as exc:
                raise Refused(422, "invalid case", _errors(exc.errors)) from None
            except CaseExists as exc:
                raise Refused(409, "case exists", [{"path": "record.id", "message": str(exc)}]) from None
            service.decisions.record(decision_id, state["case_id"], "/v1/cases", caller, "opened",
                                     {"stage": state["stage"], "findings": [f["rule_id"] for f in state["findings"]]},
                                     doc, doc["record"])
            return state

        state, took = await service.runner.run(_timed(work))
        return JSON({"decision_id": decision_id, "rulebook": service.ref, "state": state,
                     "timing": {"received": received, "duration_ms": took}}, status_code=201)

    @app.post("/v1/cases/{case_id}/events", response_model=None, operation_id="submitEvent", tags=["live"],
              responses={200: {"model": schemas.EventDecision}, 404: problem, 409: problem, **common})
    async def submit_event(case_id: str, request: Request) -> JSON:
        """Submit an event `{id, kind, on, data}`: the LiveCase result, accepted or refused (with the rules
        that refused it). Resubmitting an id returns the first result; a 503 answer may have been
        recorded all the same, so retry with the same id."""
        received = _now()
        doc = _object(await _json_body(request), {"id", "kind", "on", "data"}, {"id", "kind", "on"}, "an event")
        _date(doc["on"], "on")
        _event_fields(doc)
        decision_id, caller = new_decision_id(), service.caller(request)

        def work() -> dict[str, Any]:
            try:
                result = service.live.submit(case_id, doc)
            except UnknownCase:
                raise Refused(404, "unknown case", [{"path": "", "message": f"no live case {case_id!r}"}]) from None
            except EventConflict as exc:
                raise Refused(409, "event id reused", [{"path": "id", "message": str(exc)}]) from None
            except JournalTampered as exc:
                raise Refused(503, "journal tampered", [{"path": "", "message": str(exc)}]) from None
            except LiveInputError as exc:  # Event: a field of the wrong shape, a value no journal holds
                raise Refused(422, "invalid event", [{"path": exc.field, "message": str(exc)}]) from None
            answer = result_of(result)
            service.decisions.record(
                decision_id, case_id, "/v1/cases/{case_id}/events", caller,
                "accepted" if result.accepted else "refused",
                {"event_id": result.event.id, "kind": result.event.kind, "refused_by": list(result.refused_rule_ids),
                 "receipt": {"seq": result.seq, "hash": result.hash}},
                doc, service.live.get(case_id).case.model_dump(mode="json"))
            return answer

        result, took = await service.runner.run(_timed(work))
        return JSON({"decision_id": decision_id, "rulebook": service.ref, "result": result,
                     "timing": {"received": received, "duration_ms": took}})

    @app.get("/v1/cases/{case_id}", response_model=None, operation_id="caseState", tags=["live"],
             responses={200: {"model": schemas.CaseState}, 404: problem, 429: problem, 503: problem})
    async def case_state(case_id: str) -> JSON:
        """Where a live case stands: stage, findings, pending and blocking rules, the record."""
        return JSON(await service.runner.run(lambda: _known(lambda: service.live.state(case_id), case_id)))

    @app.get("/v1/cases/{case_id}/verify", response_model=None, operation_id="verifyCase", tags=["live"],
             responses={200: {"model": schemas.CaseVerification}, 404: problem, 429: problem, 503: problem})
    async def verify_case(case_id: str) -> JSON:
        """The journal's hash chain, checked now, and the case's entries in it."""
        return JSON(await service.runner.run(lambda: _known(lambda: service.live.verify(case_id), case_id)))

    def _known(work: Callable[[], Any], case_id: str) -> Any:
        try:
            return work()
        except UnknownCase:
            raise Refused(404, "unknown case", [{"path": "", "message": f"no live case {case_id!r}"}]) from None
        except JournalError as exc:
            raise Refused(503, "journal unusable", [{"path": "", "message": str(exc)}]) from None

    # -- the rulebook ----------------------------------------------------------------------------

    @app.get("/v1/rules", response_model=None, operation_id="listRules", tags=["rules"], responses=an_object)
    async def list_rules() -> JSON:
        """Every rule (as `cadre-rules rules list --format json`)."""
        return JSON(await asyncio.get_running_loop().run_in_executor(None, service.rules))

    @app.get("/v1/rules/{rule_id}", response_model=None, operation_id="showRule", tags=["rules"],
             responses={**an_object, 404: problem})
    async def show_rule(rule_id: str) -> JSON:
        """One rule (as `cadre-rules rules show`)."""
        rules = await asyncio.get_running_loop().run_in_executor(None, service.rules)
        for rule in rules["rules"] + rules.get("register_rules", []):  # the cross-case rules too
            if rule["id"] == rule_id:
                return JSON(rule)
        raise Refused(404, "unknown rule", [{"path": "", "message": f"unknown rule {rule_id!r}"}])

    @app.get("/v1/schema", response_model=None, operation_id="caseSchema", tags=["rules"], responses=an_object)
    async def case_schema() -> JSON:
        """The JSON Schema of a case (as `cadre-rules schema`)."""
        return JSON(Case.model_json_schema())

    @app.get("/v1/workflow", response_model=None, operation_id="workflow", tags=["rules"], responses=an_object)
    async def workflow() -> JSON:
        """The stage graph (as `cadre-rules workflow --format json`)."""
        return JSON(service.rulebook.stages.to_dict())

    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    app.add_middleware(Gate, max_body=config.max_body, token=config.token)
    app.add_middleware(Contained)  # outermost of ours: a crash of the gate is contained too
    return app


class CaseIdsOutOfAccessLog(logging.Filter):
    """For uvicorn's access log (on by default): a request under `/v1/cases/` is logged by its route,
    `/v1/cases/{case_id}/…`, since a case id may hold a name; the decision log says which case, masked.
    uvicorn logs `'%s - "%s %s HTTP/%s" %d'` with the path (and query) as the third argument."""

    _CASE = re.compile(r"^(/v1/cases/)[^/?#]+")

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and args[2].startswith("/v1/cases/"):
            record.args = (*args[:2], self._CASE.sub(r"\1{case_id}", args[2]), *args[3:])
        return True


class Contained:
    """Answers an unexpected exception with a 500 that names its type only, and keeps the exception
    from the server. An `exception_handler(Exception)` would not do: Starlette re-raises after
    answering, and uvicorn logs the traceback — whose message may echo personal data from the input.
    The log line names the route (`/v1/cases/{case_id}/events`), not the request's path: a case id
    may hold a name."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:  # noqa: BLE001 - any bug: answered, logged by type, the service goes on
            route = getattr(scope.get("route"), "path", None) or "(no route)"
            log.error("internal error on %s %s: %s", scope.get("method"), route, type(exc).__name__)
            if not started:
                body = Refused(500, "internal error", [{"path": "", "message": f"internal error: {type(exc).__name__}"}])
                await JSON(body.body(), status_code=500)(scope, receive, send)


REQUEST_BODIES = {("/v1/audit", "post"): "AuditRequest", ("/v1/audit/batch", "post"): "BatchRequest",
                  ("/v1/cases", "post"): "OpenCaseRequest", ("/v1/cases/{case_id}/events", "post"): "EventRequest"}


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's description plus the request bodies (parsed by the library, so not declared as
    parameters), rewritten as OpenAPI 3.0.3 for Java client generators."""
    if app.openapi_schema is None:
        doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        _, top = models_json_schema([(m, "validation") for m in schemas.REQUESTS.values()],
                                    ref_template="#/components/schemas/{model}")
        components = doc.setdefault("components", {}).setdefault("schemas", {})
        for name, sub in top.get("$defs", {}).items():
            components.setdefault(name, sub)
        for (path, method), name in REQUEST_BODIES.items():
            doc["paths"][path][method]["requestBody"] = {
                "required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}
        _declare_problems(doc)
        # the quick-start token (--token); behind a gateway the gateway's own scheme applies instead
        doc["components"]["securitySchemes"] = {"bearerToken": {"type": "http", "scheme": "bearer",
                                                                "description": "only when the service runs with --token"}}
        doc["security"] = [{}, {"bearerToken": []}]
        app.openapi_schema = downgrade(doc)
    return app.openapi_schema


def _declare_problems(doc: dict[str, Any]) -> None:
    """Every error an operation can answer declared as the `Problem` it is (docs/service.md, Errors):
    401 where the token guards the route (all but /health and /ready), 415 where a request body is
    read (a body not declared `application/json`), 500 everywhere. FastAPI's own
    422 (`HTTPValidationError`, added for operations with a path parameter) is removed: a text path
    parameter never fails its validation, and the service answers no error in that shape."""
    problem = {"description": "Problem",
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    for route, operations in doc["paths"].items():
        for operation in operations.values():
            answers = operation["responses"]
            fastapi_422 = answers.get("422", {}).get("content", {}).get("application/json", {}).get("schema", {})
            if fastapi_422.get("$ref", "").endswith("/HTTPValidationError"):
                del answers["422"]
            if route not in OPEN_PATHS:
                answers.setdefault("401", problem)
            if "requestBody" in operation:
                answers.setdefault("415", problem)
            answers.setdefault("500", problem)
    for name in ("HTTPValidationError", "ValidationError"):
        doc.get("components", {}).get("schemas", {}).pop(name, None)
