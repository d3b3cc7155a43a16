"""Auditing a Spark DataFrame of case documents: one output row per finding, one per invalid case.

Each input row holds one case as a JSON document (a line of a JSON Lines file read with
`spark.read.text`, for instance) and optionally a source label. Every case goes through the same
pipeline as `cadre-rules audit` (`CaseJudge`: the one strict reader — input limits, repeated keys
refused —, validation with field errors, the compiled rules), so the findings are the CLI's. A case that is not JSON or does not validate —
or that makes the engine fail — becomes a row of kind `invalid` with its errors: never a failed task,
so that one bad record among millions does not stop a job.

The rulebook is loaded and compiled once per Python worker process (`_PIPELINES`), not per batch or
per task: Spark reuses its Python workers (`spark.python.worker.reuse`, on by default).
"""
from __future__ import annotations

import functools
import json
from typing import Any, Iterable, Iterator

from cadre_rules.audit.batch import CaseJudge
from cadre_rules.errors import ErrorKind, InputError, Problem, type_name
from cadre_rules.reading.cases import Unit
from cadre_rules.report.batch import AuditOptions, RenderCase
from cadre_rules.report.model import ReportedCase

# (name, Spark SQL type) of every output column, in order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("case_id", "string"), ("source", "string"),
    ("kind", "string"),  # finding | invalid
    ("rule_id", "string"), ("verdict", "string"), ("severity", "string"), ("stage", "string"),
    ("edition", "string"), ("article", "string"), ("act_date", "string"),
    ("evidence", "string"),  # JSON list of matched fact ids
    ("paths", "string"),  # JSON list of field paths in the case
    ("message_zh", "string"), ("message_en", "string"), ("citation_zh", "string"),
    ("errors", "string"),  # JSON list of {path, message}, for kind invalid
    ("rulebook", "string"),  # rulebook version
)
SPARK_SCHEMA = ", ".join(f"{name} {kind}" for name, kind in COLUMNS)
_NAMES = tuple(name for name, _ in COLUMNS)

_PIPELINES: dict[tuple[str | None, str], tuple[CaseJudge, RenderCase]] = {}


def pipeline_for(rules_dir: str | None = None, profile: str = "national") -> tuple[CaseJudge, RenderCase]:
    """The judge and renderer of this process for a rulebook, built (rulebook loaded and compiled) on first use."""
    key = (rules_dir, profile)
    found = _PIPELINES.get(key)
    if found is None:
        options = AuditOptions(fmt="json", rules_dir=rules_dir, profile=profile)
        judge = CaseJudge(options.batch)
        found = _PIPELINES[key] = (judge, RenderCase(options, judge.rulebook))
    return found


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def rows_of(case: ReportedCase, version: str) -> list[dict[str, Any]]:
    """The output rows of one judged case: one per finding, or one for an invalid case (none if compliant)."""
    base = dict.fromkeys(_NAMES)
    base.update(case_id=case.case_id, source=case.source, rulebook=version)
    if case.status == "invalid":
        return [{**base, "kind": "invalid", "errors": _dumps([e.to_dict() for e in case.errors])}]
    return [{**base, "kind": "finding", "rule_id": f.rule_id, "verdict": f.verdict, "severity": f.severity,
             "stage": f.stage, "edition": f.edition, "article": f.article, "act_date": f.act_date,
             "evidence": _dumps(list(f.evidence)), "paths": _dumps(list(f.paths)), "message_zh": f.message["zh"],
             "message_en": f.message["en"], "citation_zh": f.citation["zh"]} for f in case.findings]


def document_unit(source: str, text: Any) -> Unit:
    """One Spark row's document as the one case reader's unit: a JSON Lines line as the CLI reads it
    (with its newline, so error positions agree), or the reason it is no document."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", errors="replace")
    if text is None or (isinstance(text, float) and text != text):  # null (NaN once in pandas)
        return Unit(source, "", error=Problem(ErrorKind.no_document))
    if not isinstance(text, str):
        return Unit(source, "", error=Problem(ErrorKind.not_a_document, type=type_name(text)))
    return Unit(source, ".jsonl", text if text.endswith("\n") else text + "\n")


def audit_documents(documents: Iterable[tuple[str, Any]], rules_dir: str | None = None,
                    profile: str = "national") -> Iterator[dict[str, Any]]:
    """(source, JSON text) pairs in, output rows out (pure Python; what each Spark batch runs)."""
    judge, render = pipeline_for(rules_dir, profile)
    version = judge.rulebook.version
    for source, text in documents:
        source = str(source)
        unit = document_unit(source, text)
        try:  # the CLI's path: fast JSON validation, then the general one (judge_unit never raises)
            case = render.reported(judge.judge_unit(unit))
        except Exception as exc:  # noqa: BLE001 - a bug met by one case is that case's row, never a failed task
            case = ReportedCase(None, source, "invalid", [InputError("", Problem(ErrorKind.internal_error, type=type(exc).__name__))])
        yield from rows_of(case, version)


def audit_batches(batches: Iterable[Any], document_col: str = "value", source_col: str | None = None,
                  rules_dir: str | None = None, profile: str = "national") -> Iterator[Any]:
    """pandas DataFrames of case documents in, pandas DataFrames of output rows (COLUMNS) out.

    The function `mapInPandas` runs; without a `source_col` a row's source is `row <n>` (its place
    in this worker's input), which only serves to tell invalid rows apart."""
    import pandas as pd

    seen = 0
    for batch in batches:
        texts = batch[document_col].tolist()
        sources = batch[source_col].tolist() if source_col else [f"row {seen + i}" for i in range(len(texts))]
        seen += len(texts)
        rows = list(audit_documents(zip(sources, texts), rules_dir, profile))
        yield pd.DataFrame(rows, columns=list(_NAMES)) if rows else pd.DataFrame({n: pd.Series([], dtype="object")
                                                                                   for n in _NAMES})


def audit_dataframe(df: Any, document_col: str = "value", source_col: str | None = None,
                    rules_dir: str | None = None, profile: str = "national") -> Any:
    """A Spark DataFrame of case documents (a JSON text column) → a DataFrame of findings and invalid cases.

    `rules_dir` must be readable on the executors (default: the rulebook inside the installed
    package, shipped with the environment archive — see docs/spark.md)."""
    columns = [document_col] + ([source_col] if source_col else [])
    run = functools.partial(audit_batches, document_col=document_col, source_col=source_col, rules_dir=rules_dir,
                            profile=profile)
    return df.select(*columns).mapInPandas(run, schema=SPARK_SCHEMA)
