"""Benchmark of the procedure workbook import at scale — reported figures, not a timed test.

    .venv/bin/python benchmarks/bench_import.py [--cases N] [--repeat R]

Writes a template-layout workbook of N cases (copies of the bundled example workbook's first case
with fresh ids; default 2,000, about 100,000 rows over the sheets), then imports it with
`cadre_rules.importers.workbook.import_workbook` (openpyxl read-only mode) and prints the best time
of R runs, cases per second, and the peak of Python allocations (tracemalloc) during one import. The
cases are validated by the case model as part of the import, as in `cadre-rules import workbook`.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples" / "import"))

from make_workbooks import TEMPLATE_ROWS  # noqa: E402 - the example's rows

from cadre_rules.importers.template import write_workbook  # noqa: E402
from cadre_rules.importers.workbook import import_workbook  # noqa: E402


def big_rows(n: int) -> dict[str, list[list]]:
    first = TEMPLATE_ROWS["案例"][0][0]
    rows: dict[str, list[list]] = {}
    for sheet, sheet_rows in TEMPLATE_ROWS.items():
        own = [r for r in sheet_rows if r[0] == first]
        rows[sheet] = [[f"{first}-{i:06d}", *r[1:]] for i in range(n) for r in own]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        book = write_workbook(Path(tmp) / "big.xlsx", big_rows(args.cases), guide=False)
        rows = sum(len(v) for v in big_rows(args.cases).values())
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = import_workbook(book)
            best = min(best, time.perf_counter() - start)
            assert len(result.cases) == args.cases and not result.problems, result.problems[:3]
        tracemalloc.start()
        import_workbook(book)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        size = book.stat().st_size
    print(f"{args.cases} cases, {rows} rows, {size} bytes")
    print(f"import: best {best:.2f} s of {args.repeat} ({args.cases / best:.0f} cases/s); "
          f"peak Python allocations {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
