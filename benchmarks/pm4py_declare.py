"""pm4py's Declare conformance on an exported event log — the comparison point of bench_audit.py.

Runs ONLY in a separate benchmark virtual environment that has pm4py (AGPL-3.0): cadre-rules never
imports or depends on pm4py. bench_audit.py creates that environment and calls this script as

    <pm4py-venv>/bin/python benchmarks/pm4py_declare.py LOG.csv

and reads the last line it prints: JSON with the CPU seconds (this process, all its threads; as
bench_audit.py times cadre-rules, so that other work on a shared machine counts for neither) spent loading the log (pandas CSV reader +
pm4py.format_dataframe) and checking it (pm4py.conformance_declare), and the traces that do not fit.
The Declare model is the precedence/response subset of the rulebook (see bench_audit.py).
"""
from __future__ import annotations

import contextlib
import io
import json
import sys
import time

PRECEDENCE = [
    ("民主推荐", "讨论决定"),          # REC-REQUIRED: a recommendation before the decision (promotion, further use)
    ("考察完成", "讨论决定"),          # INS-BEFORE-DECISION: a completed inspection before the decision
    ("考察完成", "讨论决定（交流）"),  # ... for moves without recommendation too
    ("公示结束", "任职"),              # APT-PUB-WINDOW: publicity finished before the appointment notice (promotions)
]
RESPONSE = [
    ("任职", "报备"),                  # RPT-FILING: an appointment is followed by its filing
    ("任职（交流）", "报备"),
]


def main(path: str) -> None:
    started = time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):  # pm4py prints a banner on import
        import pandas as pd
        import pm4py
    imported = time.process_time()
    frame = pd.read_csv(path, dtype={"case": str, "activity": str, "time": str})
    frame = pm4py.format_dataframe(frame, case_id="case", activity_key="activity", timestamp_key="time")
    loaded = time.process_time()
    model = {"precedence": {pair: {"support": 1.0, "confidence": 1.0} for pair in PRECEDENCE},
             "response": {pair: {"support": 1.0, "confidence": 1.0} for pair in RESPONSE}}
    with contextlib.redirect_stdout(io.StringIO()):
        diagnostics = pm4py.conformance_declare(frame, model, return_diagnostics_dataframe=True)
    checked = time.process_time()
    unfit = diagnostics[diagnostics["no_dev_total"] > 0]  # a trace with any deviation
    case_column = "case_id"
    print(json.dumps({
        "pm4py": pm4py.__version__,
        "import_seconds": imported - started,
        "load_seconds": loaded - imported,
        "check_seconds": checked - loaded,
        "traces": int(len(diagnostics)),
        "unfit_traces": sorted(str(c) for c in unfit[case_column]),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
