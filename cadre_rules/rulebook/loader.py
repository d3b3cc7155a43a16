"""Loading a rulebook: rule files, editions, workflow and a profile, validated as a whole.

Everything is checked before anything is used: unknown keys and fields, types, duplicate ids,
bad dates, unknown editions, stages, parameters and message placeholders. All errors are
collected and reported with file:line and rule id; a rulebook with any error is refused whole.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import yaml

from cadre_rules.errors import ErrorKind, Problem, Said, condition_kind, names, os_reason, yaml_complaint
from cadre_rules.facts import REGISTER_SCHEMA, SCHEMA
from cadre_rules.reading.yamlmarks import MarkedDict, as_date as _as_date, line_of, load_marked
from cadre_rules.rulebook import ir
from cadre_rules.rulebook.expr import ParseError, parse
from cadre_rules.rulebook.legend import Legend
from cadre_rules.rulebook.model import (
    CONFIDENCE, SEVERITIES, Citation, Edition, LoadError, MessageVariant, Parameter, Rule,
)
from cadre_rules.rulebook.typecheck import TypeChecker, literal_kind

RULE_KEYS = {"id", "stage", "severity", "title", "catalogue", "basis", "effective", "parameters", "match",
             "act_date", "when", "pending_when", "message", "message_variants", "pending_message", "escalate",
             "notes", "mutation", "scope"}
REQUIRED = ("id", "stage", "severity", "title", "basis", "effective", "match", "act_date", "when", "message")
CITATION_KEYS = {"edition", "document", "document_en", "article", "confidence", "verified", "source", "note", "params"}
PARAM_KINDS = {"int", "num", "str", "bool", "date"}
_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
# A rule judges one case (`scope: case`, the default) or a unit of the organisation register with its
# cases (`scope: register`, docs/register.md); each scope has its own fact types.
SCOPES = {"case": SCHEMA, "register": REGISTER_SCHEMA}
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\}")


def bundled_rules_dir() -> Path:
    """The rulebook shipped with the package (inside the wheel), or the checkout's rules/."""
    packaged = Path(str(resources.files("cadre_rules"))) / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


# Messages several checks share (docs/errors.md): each English text as it always was, with its Chinese.
_WHAT = {"profile": Said("profile", "配置文件"), "layer": Said("layer", "本层规则库"), "disable": Said("disable", "`disable`")}


def _one_of(key: str | Said, options: Any) -> Problem:
    """`KEY must be one of A, B, C`."""
    return Problem(ErrorKind.rule_one_of, key=key if isinstance(key, Said) else Said(key, f"`{key}`"),
                   known=", ".join(options))


def unknown_rule(what: str, near: list[str]) -> Problem:
    """`profile names an unknown rule (did you mean X?)` (a profile, a layer's overrides or disable)."""
    hint = Said(f" (did you mean {near[0]}?)", f"（是否应为 `{near[0]}`？）") if near else ""
    return Problem(ErrorKind.rule_names_unknown_rule, what=_WHAT[what], near=hint)


def malformed(what: Said, exc: Exception) -> Problem:
    """A rule or file whose shape no check foresaw (the exception it raised, cut at 200 characters)."""
    detail = str(exc)[:200]
    return Problem(ErrorKind.rule_malformed, what=what, type=type(exc).__name__, detail=Said(detail, f"“{detail}”"))


def _reason(exc: Exception) -> Said:
    """Why a rulebook file could not be read, as str(exc) says it, with its Chinese."""
    if isinstance(exc, OSError):
        return Said(str(exc), os_reason(exc).zh)
    if isinstance(exc, UnicodeDecodeError):
        return Said(str(exc), "不是 UTF-8 编码")
    return Said(str(exc), yaml_complaint(str(exc)).zh)


class _Collector:
    def __init__(self) -> None:
        self.errors: list[LoadError] = []

    def add(self, file: str, line: int, rule_id: str | None, message: str) -> None:
        self.errors.append(LoadError(file, line, rule_id, message))


# Limits of a rulebook file (why: a rule file is data that anyone may hand to `rules check`; a deep or
# self-expanding document must be refused with file:line, not exhaust the stack or memory).
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_YAML_DEPTH = 32
MAX_NUMBER_DIGITS = 30
_LONG_NUMBER = re.compile(rf"^[-+]?[0-9_.]{{{MAX_NUMBER_DIGITS + 1},}}$")
_EVENT_LOADER = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader


def _refuse_hostile_yaml(text: str) -> tuple[int, str] | None:
    """Scan the YAML event stream (the parser is iterative, unlike the composer) for what a rule
    file never needs: aliases (anchors are refused too, so an alias bomb in `notes:` costs nothing)
    and nesting deeper than MAX_YAML_DEPTH. Returns (line, message) of the first problem."""
    depth = 0
    for event in yaml.parse(text, Loader=_EVENT_LOADER):
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return line, Problem(ErrorKind.rule_yaml_alias)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                return line, Problem(ErrorKind.rule_yaml_too_deep, limit=MAX_YAML_DEPTH)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent) and event.implicit[0] and _LONG_NUMBER.match(event.value):
            return line, Problem(ErrorKind.rule_number_too_long, limit=MAX_NUMBER_DIGITS)
    return None


def _read_yaml(path: Path, display: str, errs: _Collector) -> Any:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            errs.add(display, 0, None, Problem(ErrorKind.rule_file_too_large, limit=MAX_FILE_BYTES // (1024 * 1024)))
            return None
        text = path.read_text(encoding="utf-8")
        if hostile := _refuse_hostile_yaml(text):
            errs.add(display, hostile[0], None, hostile[1])
            return None
        return load_marked(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        errs.add(display, mark.line + 1 if mark else 0, None,
                 Problem(ErrorKind.rule_invalid_yaml, detail=yaml_complaint(str(exc.problem))))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        errs.add(display, 0, None, Problem(ErrorKind.rule_cannot_read, reason=_reason(exc)))
    except (TypeError, ValueError) as exc:  # e.g. a list or mapping used as a mapping key
        detail = str(exc)[:200]
        errs.add(display, 0, None, Problem(ErrorKind.rule_invalid_yaml, detail=Said(
            detail, "映射的键不能是列表或映射" if "unhashable" in detail else f"“{detail}”")))
    return None


def _check_tags(text: Any, legend: Legend, display: str, line: int, rid: str | None, errs: _Collector) -> None:
    """Every [S#] and O# tag in `text` must resolve in the legend (sources.yaml, open-questions.yaml)."""
    if not isinstance(text, str):
        return
    for tag in legend.unresolved(text):
        kind = Said("source", "来源") if tag.startswith("[") else Said("open question", "待决问题")
        errs.add(display, line, rid, Problem(ErrorKind.rule_unknown_source, what=kind, tag=tag))


def _titles(value: Any) -> dict[str, str] | None:
    if isinstance(value, dict) and all(isinstance(value.get(k), str) and value.get(k) for k in ("zh", "en")):
        return {"zh": value["zh"], "en": value["en"]}
    return None


def load_editions(path: Path, display: str, errs: _Collector, legend: Legend | None = None) -> dict[str, Edition]:
    legend = legend or Legend()
    data = _read_yaml(path, display, errs)
    out: dict[str, Edition] = {}
    if not isinstance(data, MarkedDict) or not isinstance(data.get("editions"), list):
        if data is not None:
            errs.add(display, line_of(data), None, Problem(ErrorKind.rule_editions_not_list))
        return out
    for entry in data["editions"]:
        line = line_of(entry)
        if not isinstance(entry, dict):
            errs.add(display, line, None, Problem(ErrorKind.rule_edition_not_mapping))
            continue
        eid = str(entry.get("id", ""))
        start, end = _as_date(entry.get("from")), entry.get("to")
        if not eid or start is None:
            errs.add(display, line, eid or None, Problem(ErrorKind.rule_edition_needs_id))
            continue
        if end is not None and _as_date(end) is None:
            errs.add(display, line_of(entry, "to"), eid, Problem(ErrorKind.rule_bad_date, value=repr(end)))
            continue
        if eid in out:
            errs.add(display, line, eid, Problem(ErrorKind.rule_duplicate_edition))
            continue
        title = _titles(entry.get("title")) if "title" in entry else {}
        if title is None:
            errs.add(display, line_of(entry, "title"), eid, Problem(ErrorKind.rule_needs_zh_en, key="title", why=Said(
                " (how reports name the instrument)", "（报告据此称呼该文件）")))
            title = {}
        documents: dict[str, dict[str, str]] = {}
        for name, titles in (entry.get("documents") or {}).items():
            if _titles(titles) is None:
                errs.add(display, line_of(entry["documents"], name), eid, Problem(ErrorKind.rule_document_titles, name=repr(name)))
            else:
                documents[str(name)] = _titles(titles) or {}
        sources = [str(s) for s in (entry.get("sources") or [])]
        for sid in sources:
            if sid not in legend.sources:
                errs.add(display, line_of(entry, "sources"), eid,
                         Problem(ErrorKind.rule_unknown_source, what=Said("source", "来源"), tag=f"[{sid}]"))
        _check_tags(entry.get("note"), legend, display, line_of(entry, "note"), eid, errs)
        out[eid] = Edition(eid, str(entry.get("document", "")), str(entry.get("title_en", "")), start,
                           _as_date(end), bool(entry.get("primary", False)),
                           str(entry.get("date_confidence", "high")), str(entry.get("note", "")),
                           title, str(entry.get("document_number") or ""), str(entry.get("issuer") or ""),
                           tuple(sources), documents)
    return out


def _citation(entry: Any, display: str, rid: str, editions: Mapping[str, Edition], errs: _Collector,
              legend: Legend) -> Citation | None:
    line = line_of(entry)
    if not isinstance(entry, dict):
        errs.add(display, line, rid, Problem(ErrorKind.rule_each_mapping, what=Said("basis entry", "引文")))
        return None
    for key in set(entry) - CITATION_KEYS:
        errs.add(display, line_of(entry, key), rid, Problem(ErrorKind.rule_unknown_key, key=repr(key), place=Said(
            " in basis", "（引文中）"), known=", ".join(sorted(CITATION_KEYS))))
    edition = str(entry.get("edition", ""))
    if edition not in editions:
        errs.add(display, line_of(entry, "edition"), rid,
                 Problem(ErrorKind.rule_unknown_edition, edition=repr(edition), known=", ".join(editions)))
        return None
    confidence = str(entry.get("confidence", ""))
    if confidence not in CONFIDENCE:
        errs.add(display, line_of(entry, "confidence"), rid, _one_of("confidence", CONFIDENCE))
    verified = entry.get("verified")
    if not isinstance(verified, bool):
        errs.add(display, line_of(entry, "verified"), rid, Problem(ErrorKind.rule_basis_verified))
        verified = False
    if verified and confidence != "high":
        errs.add(display, line_of(entry, "verified"), rid, Problem(ErrorKind.rule_verified_confidence,
                                                                    confidence=repr(confidence)))
    article = entry.get("article")
    params = entry.get("params") or {}
    if not isinstance(params, dict):
        errs.add(display, line_of(entry, "params"), rid, Problem(ErrorKind.rule_must_be_mapping, key="params"))
        params = {}
    for key in ("source", "note"):
        _check_tags(entry.get(key), legend, display, line_of(entry, key), rid, errs)
    document = str(entry.get("document") or editions[edition].document)
    heading = editions[edition].heading(document)
    if entry.get("document_en"):
        heading["en"] = str(entry["document_en"])
    return Citation(edition, document, None if article is None else str(article), confidence, verified,
                    str(entry.get("source", "")), str(entry.get("note", "")), dict(params), heading)


def _parameters(raw: Any, display: str, rid: str, errs: _Collector) -> dict[str, Parameter]:
    out: dict[str, Parameter] = {}
    if raw is None:
        return out
    if not isinstance(raw, dict):
        errs.add(display, line_of(raw), rid, Problem(ErrorKind.rule_must_be_mapping, key="parameters"))
        return out
    for name, spec in raw.items():
        line = line_of(raw, name)
        if (not isinstance(name, str) or not isinstance(spec, dict) or not isinstance(spec.get("type"), str)
                or spec.get("type") not in PARAM_KINDS or "default" not in spec):
            errs.add(display, line, rid, Problem(ErrorKind.rule_parameter_spec, name=repr(name),
                                                  kinds=", ".join(sorted(PARAM_KINDS))))
            continue
        kind, default = spec["type"], spec["default"]
        nullable = bool(spec.get("nullable", False))
        if not _fits(kind, default, nullable):
            errs.add(display, line, rid, Problem(ErrorKind.rule_default_type, value=repr(default), name=repr(name),
                                                  kind=condition_kind(kind)))
        out[name] = Parameter(name, kind, default, str(spec.get("doc", "")), nullable)
    return out


def _fits(kind: str, value: Any, nullable: bool) -> bool:
    if value is None:
        return nullable
    try:
        actual = literal_kind(value)
    except TypeError:
        return False
    return actual == kind or (kind == "num" and actual == "int")


def _expr(text: Any, display: str, line: int, rid: str, key: str, checker: TypeChecker, scope: dict[str, str],
          expect: str, errs: _Collector) -> ir.Node | None:
    if not isinstance(text, str) or not text.strip():
        errs.add(display, line, rid, Problem(ErrorKind.rule_expression_empty, key=key))
        return None
    try:
        node = parse(text)
        checker.check(node, scope, expect)
        return node
    except ParseError as exc:
        errs.add(display, line, rid, Problem(ErrorKind.rule_condition, key=key, problem=exc.problem or str(exc),
                                              column=exc.col + 1, text=repr(text.strip()[:60])))
        return None


def _rule(raw: Any, display: str, editions: Mapping[str, Edition], stages: set[str], errs: _Collector,
          legend: Legend) -> Rule | None:
    line = line_of(raw)
    if not isinstance(raw, dict):
        errs.add(display, line, None, Problem(ErrorKind.rule_each_mapping, what=Said("rule", "规则")))
        return None
    rid = str(raw.get("id", "")) or None
    before = len(errs.errors)
    for key in sorted(set(raw) - RULE_KEYS):
        errs.add(display, line_of(raw, key), rid, Problem(ErrorKind.rule_unknown_key, key=repr(key), place="",
                                                          known=", ".join(sorted(RULE_KEYS))))
    missing = [key for key in REQUIRED if key not in raw]
    for key in missing:
        errs.add(display, line, rid, Problem(ErrorKind.rule_missing_key, key=repr(key)))
    if missing or rid is None:
        return None
    assert rid is not None
    if not _ID.match(rid):
        errs.add(display, line_of(raw, "id"), rid, Problem(ErrorKind.rule_id_format, example="DEC-QUORUM"))
    if not isinstance(raw["stage"], str) or raw["stage"] not in stages:
        errs.add(display, line_of(raw, "stage"), rid, Problem(ErrorKind.rule_unknown_stage, stage=repr(raw["stage"]),
                                                              known=", ".join(sorted(stages))))
    if not isinstance(raw["severity"], str) or raw["severity"] not in SEVERITIES:
        errs.add(display, line_of(raw, "severity"), rid, _one_of("severity", SEVERITIES))
    if ("pending_when" in raw) != ("pending_message" in raw):
        errs.add(display, line, rid, Problem(ErrorKind.rule_pending_pair))
    for key in ("title", "message") + (("pending_message",) if "pending_message" in raw else ()):
        value = raw[key]
        if not isinstance(value, dict) or not all(isinstance(value.get(lang), str) and value.get(lang) for lang in ("zh", "en")):
            errs.add(display, line_of(raw, key), rid, Problem(ErrorKind.rule_needs_zh_en, key=key, why=""))
        elif set(value) != {"zh", "en"}:
            # In a flow mapping an unquoted comma ends the value: `{en: A, b}` is en "A" plus a key "b".
            extra = ", ".join(repr(k) for k in value if k not in ("zh", "en"))
            errs.add(display, line_of(raw, key), rid, Problem(ErrorKind.rule_text_extra_keys, key=key, extra=extra))
    variants_raw = raw.get("message_variants")
    if variants_raw is not None:
        if not isinstance(variants_raw, list) or not variants_raw:
            errs.add(display, line_of(raw, "message_variants"), rid, Problem(ErrorKind.rule_variants_shape))
            variants_raw = None
        else:
            for entry in variants_raw:
                if not (isinstance(entry, dict) and set(entry) == {"when", "zh", "en"}
                        and all(isinstance(entry[lang], str) and entry[lang] for lang in ("zh", "en"))):
                    errs.add(display, line_of(entry) if isinstance(entry, dict) else line_of(raw, "message_variants"),
                             rid, Problem(ErrorKind.rule_variant_keys))
    eff = raw["effective"]
    start = _as_date(eff.get("from")) if isinstance(eff, dict) else None
    end_raw = eff.get("to") if isinstance(eff, dict) else None
    end = _as_date(end_raw) if end_raw is not None else None
    if start is None or (end_raw is not None and end is None):
        errs.add(display, line_of(raw, "effective"), rid, Problem(ErrorKind.rule_effective))
    basis_raw = raw["basis"]
    basis: list[Citation] = []
    if not isinstance(basis_raw, list) or not basis_raw:
        errs.add(display, line_of(raw, "basis"), rid, Problem(ErrorKind.rule_basis_empty))
    else:
        basis = [c for c in (_citation(e, display, rid, editions, errs, legend) for e in basis_raw) if c]
    _check_tags(raw.get("notes"), legend, display, line_of(raw, "notes"), rid, errs)
    catalogue = raw.get("catalogue")
    if catalogue is not None:
        if not isinstance(catalogue, dict):
            errs.add(display, line_of(raw, "catalogue"), rid, Problem(ErrorKind.rule_catalogue_shape))
        else:
            mark = catalogue.get("severity")
            if mark is not None and str(mark) not in legend.severities:
                errs.add(display, line_of(raw, "catalogue"), rid, Problem(ErrorKind.rule_catalogue_severity, mark=repr(mark),
                                                                   known=names(list(legend.severities))))
            if catalogue.get("confidence") is not None and str(catalogue["confidence"]) not in CONFIDENCE:
                errs.add(display, line_of(raw, "catalogue"), rid, _one_of(Said("catalogue confidence", "`catalogue` 的 `confidence`"),
                                                                   CONFIDENCE))
    params = _parameters(raw.get("parameters"), display, rid, errs)
    for citation in basis:
        for name, value in citation.params.items():
            if name not in params:
                errs.add(display, line_of(raw, "basis"), rid, Problem(ErrorKind.rule_undeclared_parameter,
                                                               edition=citation.edition, name=repr(name)))
            elif not _fits(params[name].kind, value, params[name].nullable):
                errs.add(display, line_of(raw, "basis"), rid, Problem(
                    ErrorKind.rule_value_type, what=Said(f"basis {citation.edition}:", f"版本 `{citation.edition}` 的引文中，参数"),
                    name=name, value=repr(value), kind=condition_kind(params[name].kind)))
    rule_scope = raw.get("scope", "case")
    if not isinstance(rule_scope, str) or rule_scope not in SCOPES:  # `scope: [case]` was unhashable: "malformed rule"
        errs.add(display, line_of(raw, "scope"), rid, _one_of("scope", SCOPES))
        rule_scope = "case"
    schema = SCOPES[rule_scope]
    match = raw["match"]
    scope: dict[str, str] = {}
    if not isinstance(match, dict) or not match:
        errs.add(display, line_of(raw, "match"), rid, Problem(ErrorKind.rule_match_shape))
    else:
        for alias, fact_type in match.items():
            if not isinstance(alias, str) or not isinstance(fact_type, str):
                errs.add(display, line_of(match, alias), rid, Problem(ErrorKind.rule_match_names))
            elif fact_type not in schema:
                errs.add(display, line_of(match, alias), rid, Problem(ErrorKind.rule_unknown_fact_type, fact_type=repr(fact_type),
                                                                   scope=rule_scope, known=", ".join(schema)))
            elif alias in ("param", "case") and fact_type != "case":
                errs.add(display, line_of(match, alias), rid, Problem(ErrorKind.rule_alias_reserved, alias=repr(alias)))
            else:
                scope[str(alias)] = fact_type
    escalate = raw.get("escalate")
    if escalate is not None and (not isinstance(escalate, dict) or set(escalate) != {"severity", "when"}
                                 or escalate.get("severity") not in SEVERITIES):
        errs.add(display, line_of(raw, "escalate"), rid, Problem(ErrorKind.rule_escalate_shape))
        escalate = None
    mutation = _mutation(raw.get("mutation"), display, line_of(raw, "mutation"), rid, errs)
    if len(errs.errors) > before:
        return None
    checker = TypeChecker(schema, {p.name: p.kind for p in params.values()})
    exprs = {key: _expr(raw.get(key), display, line_of(raw, key), rid, key, checker, scope,
                        "date" if key == "act_date" else "bool", errs)
             for key in ("act_date", "when") + (("pending_when",) if "pending_when" in raw else ())}
    escalate_when = None
    if escalate is not None:
        escalate_when = _expr(escalate["when"], display, line_of(raw, "escalate"), rid, "escalate.when", checker, scope,
                              "bool", errs)
    variants: list[MessageVariant] = []
    texts = [(key, line_of(raw, key), raw[key]) for key in ("message", "pending_message") if key in raw]
    for n, entry in enumerate(variants_raw or ()):
        where = line_of(entry)
        when = _expr(entry["when"], display, where, rid, f"message_variants[{n}].when", checker, scope, "bool", errs)
        if when is not None:
            variants.append(MessageVariant(when, {"zh": entry["zh"], "en": entry["en"]}))
        texts.append((f"message_variants[{n}]", where, entry))
    for key, where, text in texts:
        for lang in ("zh", "en"):
            for alias, name in _PLACEHOLDER.findall(text[lang]):
                known = params if alias == "param" else schema.get(scope.get(alias, ""), {})
                if name not in known:
                    errs.add(display, where, rid, Problem(ErrorKind.rule_unknown_placeholder, key=key, lang=lang,
                                                       placeholder=f"{alias}.{name}"))
    if len(errs.errors) > before:
        return None
    return Rule(rid, raw["stage"], raw["severity"], dict(raw["title"]), dict(raw.get("catalogue") or {}), tuple(basis),
                start, end, params, tuple(scope.items()), exprs["act_date"], exprs["when"], exprs.get("pending_when"),
                dict(raw["message"]), dict(raw["pending_message"]) if "pending_message" in raw else None,
                str(raw.get("notes", "")).strip(), display, line,
                escalate["severity"] if escalate else None, escalate_when, mutation, tuple(variants), rule_scope)


def _mutation(raw: Any, display: str, line: int, rid: str, errs: _Collector) -> dict[str, str]:
    """`mutation: {equivalent: {mutant id: reason}}`: mutants the team judged equivalent (see
    `cadre-rules rules mutate`), each with the reason it cannot change a finding."""
    if raw is None:
        return {}
    equivalent = raw.get("equivalent") if isinstance(raw, dict) and set(raw) <= {"equivalent"} else None
    if not isinstance(equivalent, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in equivalent.items()):
        errs.add(display, line, rid, Problem(ErrorKind.rule_mutation_shape))
        return {}
    return {str(k): str(v).strip() for k, v in equivalent.items()}


def load_rule_files(files: list[tuple[Path, str]], editions: Mapping[str, Edition], stages: set[str],
                    errs: _Collector, legend: Legend | None = None) -> list[Rule]:
    legend = legend or Legend()
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path, display in files:
        data = _read_yaml(path, display, errs)
        if data is None:
            continue
        if not isinstance(data, MarkedDict) or not isinstance(data.get("rules"), list):
            errs.add(display, line_of(data), None, Problem(ErrorKind.rule_file_not_rules))
            continue
        for raw in data["rules"]:
            try:
                rule = _rule(raw, display, editions, stages, errs, legend)
            except (TypeError, ValueError, AttributeError, RecursionError) as exc:  # a shape no check foresaw
                rid = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
                errs.add(display, line_of(raw), rid, malformed(Said("rule", "规则"), exc))
                continue
            if rule is None:
                continue
            if rule.id in seen:
                errs.add(display, rule.line, rule.id, Problem(ErrorKind.rule_duplicate_id, first=seen[rule.id]))
                continue
            seen[rule.id] = f"{display}:{rule.line}"
            rules.append(rule)
    return rules


def is_profile(path: Path, profile: str) -> bool:
    """Whether `profile` names a profile file of the rulebook: a plain name, its file there.

    Why: `--profile /tmp` (or `profile: /tmp` in a layer's rulebook.yaml) made the path
    `/tmp.yaml`, outside the rulebook, and naming it in the error raised ValueError: an internal
    error, exit 4 (found by fuzzing layered rulebooks). A name with a slash is an unknown profile."""
    return "/" not in profile and "\\" not in profile and path.is_file()


def apply_profile(rules: list[Rule], path: Path, display: str, errs: _Collector) -> tuple[str, list[Rule]]:
    """Override severities and parameter defaults from a profile; unknown rules or parameters are errors."""
    data = _read_yaml(path, display, errs)
    if not isinstance(data, MarkedDict) or "id" not in data:
        if data is not None:
            errs.add(display, line_of(data), None, Problem(ErrorKind.rule_profile_shape))
        return path.stem, rules
    return str(data["id"]), apply_overrides(rules, data, display, errs, "profile")


def apply_overrides(rules: list[Rule], data: MarkedDict, display: str, errs: _Collector, what: str) -> list[Rule]:
    """`data["overrides"]` (rule id → severity and parameters) applied to `rules`; a profile's and a
    layered rulebook's overrides alike. Unknown rules or parameters, wrong types: errors at file:line."""
    overrides = data.get("overrides") or {}
    by_id = {r.id: r for r in rules}
    out = {r.id: r for r in rules}
    if not isinstance(overrides, dict):
        errs.add(display, line_of(data, "overrides"), None, Problem(ErrorKind.rule_overrides_shape))
        return rules
    for rid, change in overrides.items():
        line = line_of(overrides, rid)
        if rid not in by_id:
            if any(e.rule_id == rid for e in errs.errors):  # written, with its own error: said there once
                continue
            import difflib

            near = difflib.get_close_matches(str(rid), list(by_id), n=1)
            errs.add(display, line, rid, unknown_rule(what, near))
            continue
        if not isinstance(change, dict) or set(change) - {"severity", "parameters"}:
            errs.add(display, line, rid, Problem(ErrorKind.rule_override_keys))
            continue
        rule = by_id[rid]
        severity = change.get("severity", rule.severity)
        if severity not in SEVERITIES:
            errs.add(display, line, rid, _one_of("severity", SEVERITIES))
            continue
        params = dict(rule.parameters)
        if not isinstance(change.get("parameters") or {}, dict):  # `parameters: 5`: once AttributeError, exit 4
            errs.add(display, line_of(change, "parameters"), rid, Problem(ErrorKind.rule_must_be_mapping, key="parameters"))
            continue
        for name, value in (change.get("parameters") or {}).items():
            if name not in params:
                errs.add(display, line, rid, Problem(ErrorKind.rule_unknown_parameter, what=_WHAT[what], name=repr(name)))
            elif not _fits(params[name].kind, value, params[name].nullable):
                errs.add(display, line, rid, Problem(ErrorKind.rule_value_type, what=Said("parameter", "参数"), name=name,
                                                      value=repr(value), kind=condition_kind(params[name].kind)))
            else:
                p = params[name]
                params[name] = Parameter(p.name, p.kind, value, p.doc, p.nullable)
        out[rid] = Rule(**{**rule.__dict__, "severity": severity, "parameters": params})
    return [out[r.id] for r in rules]


def rulebook_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if p.is_file())


def version_hash(root: Path, profile: str, base_version: str | None = None) -> str:
    """The rulebook's version: a digest of its files (names and bytes) and the profile; a layered
    rulebook (rulebook/layers.py) also digests the version of the rulebook it is laid over."""
    digest = hashlib.sha256(f"base={base_version}\0".encode() if base_version is not None else b"")
    for path in rulebook_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    digest.update(f"\0profile={profile}".encode())
    return digest.hexdigest()[:16]
