"""An example Spark job: audit case documents from JSON Lines files and write the findings as Parquet.

    spark-submit examples/spark/audit_job.py INPUT.jsonl [INPUT2.jsonl ...] OUTPUT_DIR

Each line of the input is one case (as `cadre-rules synth` writes them, or as exported from an
information-set database). The output has one row per finding and one per invalid case (kind
`invalid`, its errors as JSON): see cadre_rules.spark.COLUMNS. Shipping Python and cadre-rules to
the executors (an archive of the virtual environment) is described in docs/spark.md.
"""
from __future__ import annotations

import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from cadre_rules.spark import audit_dataframe


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    *inputs, output = argv
    spark = SparkSession.builder.appName("cadre-rules audit").getOrCreate()
    try:
        cases = spark.read.text(inputs).withColumn("source", F.input_file_name())
        rows = audit_dataframe(cases, document_col="value", source_col="source")
        rows.write.mode("overwrite").parquet(output)
        written = spark.read.parquet(output)
        counts = {r["kind"]: r["count"] for r in written.groupBy("kind").count().collect()}
        violated = written.filter(F.col("verdict") == "violated").count()
        print(f"{output}: {counts.get('finding', 0)} findings ({violated} violated), "
              f"{counts.get('invalid', 0)} invalid cases")
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
