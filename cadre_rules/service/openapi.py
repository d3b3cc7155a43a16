"""The OpenAPI description as OpenAPI 3.0.3, because Java client generators read 3.0 well and 3.1 badly.

FastAPI and pydantic write OpenAPI 3.1 / JSON Schema 2020-12: optional values as
`anyOf: [T, {type: null}]`, `const`, `examples` lists, numeric `exclusiveMinimum`, `$defs`. The
generators most used with Spring (openapi-generator, swagger-codegen) turn the `anyOf` with null
into a useless wrapper type or fail. `downgrade` rewrites the document into the 3.0.3 dialect:
`nullable: true` instead of a null branch, `enum` instead of `const`, one `example`, boolean
exclusive bounds, every schema under `components/schemas` (refs rewritten), and nothing of
JSON Schema that 3.0 does not know (`$schema`, `$id`, `prefixItems`, `contentMediaType` …).
"""
from __future__ import annotations

import copy
from typing import Any

_DROP = {"$schema", "$id", "$comment", "contentMediaType", "contentEncoding", "unevaluatedProperties",
         "unevaluatedItems", "dependentRequired", "dependentSchemas", "propertyNames", "if", "then", "else",
         "$anchor", "$dynamicRef", "$dynamicAnchor"}


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null" and len(schema) <= 2


def _ref(name: str) -> str:
    return f"#/components/schemas/{name}"


def _schema(node: Any, defs: dict[str, Any]) -> Any:
    """One schema in the 3.0 dialect (collecting nested `$defs` into `defs`)."""
    if isinstance(node, list):
        return [_schema(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    node = dict(node)
    for key in ("$defs", "definitions"):
        for name, sub in (node.pop(key, None) or {}).items():
            defs.setdefault(name, sub)
    for key in list(node):
        if key in _DROP:
            node.pop(key)
    if "$ref" in node:
        ref = node["$ref"]
        for prefix in ("#/$defs/", "#/definitions/"):
            if ref.startswith(prefix):
                ref = _ref(ref[len(prefix):])
        rest = {k: v for k, v in node.items() if k != "$ref"}
        # 3.0 ignores siblings of $ref: keep the ones that matter through allOf
        if rest:
            keep = {k: _schema(v, defs) for k, v in rest.items() if k in ("description", "title", "nullable", "default")}
            return {"allOf": [{"$ref": ref}], **keep}
        return {"$ref": ref}
    if "const" in node:
        node["enum"] = [node.pop("const")]
    if "examples" in node:
        examples = node.pop("examples")
        if isinstance(examples, list) and examples:
            node.setdefault("example", examples[0])
    for bound, flag in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(node.get(bound), (int, float)) and not isinstance(node.get(bound), bool):
            node[flag] = node.pop(bound)
            node[bound] = True
    kind = node.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        if len(kinds) < len(kind):
            node["nullable"] = True
        if len(kinds) == 1:
            node["type"] = kinds[0]
        else:
            node.pop("type")
            node["anyOf"] = [{"type": k} for k in kinds]
    if "prefixItems" in node:
        items = node.pop("prefixItems")
        node.setdefault("items", {"anyOf": items} if items else {})
    for combiner in ("anyOf", "oneOf"):
        if combiner in node:
            branches = node[combiner]
            if any(_is_null(b) for b in branches):
                branches = [b for b in branches if not _is_null(b)]
                node["nullable"] = True
                if len(branches) == 1:
                    node.pop(combiner)
                    only = _schema(branches[0], defs)
                    if "$ref" in only:
                        node["allOf"] = [only]
                    elif "allOf" in only and "$ref" in only["allOf"][0]:
                        node["allOf"] = only["allOf"]
                    else:
                        for key, value in only.items():
                            node.setdefault(key, value)
                    continue
                node[combiner] = branches
            node[combiner] = [_schema(b, defs) for b in node[combiner]]
    for key in ("allOf", "not"):
        if key in node:
            node[key] = _schema(node[key], defs)
    if "items" in node:
        node["items"] = _schema(node["items"], defs)
    if isinstance(node.get("additionalProperties"), dict):
        node["additionalProperties"] = _schema(node["additionalProperties"], defs)
    if isinstance(node.get("properties"), dict):
        node["properties"] = {k: _schema(v, defs) for k, v in node["properties"].items()}
    if isinstance(node.get("patternProperties"), dict):
        node.pop("patternProperties")
    if node.get("type") == "null":  # a bare null schema has no 3.0 form
        node.pop("type")
        node["nullable"] = True
    if node.get("required") == []:  # 3.0 requires at least one name in `required`
        node.pop("required")
    if "discriminator" in node and isinstance(node["discriminator"].get("mapping"), dict):
        node["discriminator"]["mapping"] = {k: _rewrite_ref(v) for k, v in node["discriminator"]["mapping"].items()}
    return node


def _rewrite_ref(ref: str) -> str:
    for prefix in ("#/$defs/", "#/definitions/"):
        if ref.startswith(prefix):
            return _ref(ref[len(prefix):])
    return ref


def _walk_media(node: Any, defs: dict[str, Any]) -> Any:
    """Convert every `schema` found in paths (parameters, bodies, responses)."""
    if isinstance(node, dict):
        return {k: (_schema(v, defs) if k == "schema" else _walk_media(v, defs)) for k, v in node.items()}
    if isinstance(node, list):
        return [_walk_media(v, defs) for v in node]
    return node


def downgrade(document: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI 3.1 document (FastAPI's) rewritten as OpenAPI 3.0.3."""
    doc = copy.deepcopy(document)
    doc["openapi"] = "3.0.3"
    doc.pop("jsonSchemaDialect", None)
    doc.pop("webhooks", None)
    defs: dict[str, Any] = {}
    doc["paths"] = _walk_media(doc.get("paths", {}), defs)
    components = doc.setdefault("components", {})
    schemas = {name: _schema(s, defs) for name, s in (components.get("schemas") or {}).items()}
    while defs:  # nested $defs found on the way, converted in turn (they may hold more)
        name, sub = defs.popitem()
        if name not in schemas:
            schemas[name] = _schema(sub, defs)
    components["schemas"] = dict(sorted(schemas.items()))
    for key in ("responses", "parameters", "requestBodies"):
        if key in components:
            components[key] = _walk_media(components[key], defs)
    return doc


def problems_for_java(document: dict[str, Any]) -> list[str]:
    """What Java generators trip over, if anything is left: a 3.1 construct or a dangling reference."""
    found: list[str] = []
    schemas = (document.get("components") or {}).get("schemas") or {}

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            kind = node.get("type")
            if kind == "null" or isinstance(kind, list):
                found.append(f"{where}: type {kind!r}")
            for combiner in ("anyOf", "oneOf"):
                if any(_is_null(b) for b in node.get(combiner) or ()):
                    found.append(f"{where}: {combiner} with a null branch")
            if not where.endswith("/properties"):  # there the keys are property names
                for key in ("const", "$defs", "prefixItems"):
                    if key in node:
                        found.append(f"{where}: {key}")
                if isinstance(node.get("examples"), list):  # a schema's list (a media type's is a map)
                    found.append(f"{where}: examples list")
            ref = node.get("$ref")
            if isinstance(ref, str):
                if not ref.startswith("#/components/schemas/") or ref.rsplit("/", 1)[1] not in schemas:
                    found.append(f"{where}: dangling $ref {ref}")
                if len(node) > 1:
                    found.append(f"{where}: siblings of $ref")
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")

    if document.get("openapi") != "3.0.3":
        found.append(f"openapi is {document.get('openapi')!r}, not 3.0.3")
    walk(document.get("paths"), "paths")
    walk(schemas, "components/schemas")
    return found
